"""The drill-down tables a public report prints, attacked with the results they sit beside.

Every case is worked by hand: a table built to be attackable is refused (the message names
table, row and column), and the same table after secondary suppression passes.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from cppanalytics.judgement.public_tables import (
    THREE_PLUS,
    TRACKING,
    YEAREND_RANGE,
    ResultKeys,
    build_ledger,
    check_publication,
    check_scorecard,
    check_tables,
    primary_hidden,
    protect_tables,
    three_plus_table,
    tracking_table,
    yearend_range_table,
)
from cppanalytics.reporting.publication import DisclosureError

D = pd.Timestamp("2024-09-30")
FYTD = pd.Timestamp("2024-04-01")


def _profile(bands: list[int], entered: list[int]) -> pd.DataFrame:
    """A who-had-3+-placements profile: five age bands, three entry groups, the total."""
    total = sum(entered)
    return pd.DataFrame(
        {
            "breakdown": ["age_band"] * 5 + ["entered_care"] * 3 + ["total"],
            "group": [
                "under 1",
                "1-4",
                "5-9",
                "10-15",
                "16+",
                "since_1_april",
                "last_financial_year",
                "longer",
                "total",
            ],
            "children": [*bands, *entered, total],
        }
    )


def _results(rows: list[tuple[str, str, float, float]]) -> pd.DataFrame:
    """Headline results rows at D: (indicator, window kind, numerator, denominator)."""
    return pd.DataFrame(
        {
            "indicator_id": [r[0] for r in rows],
            "period_end": D,
            "window_start": [FYTD if r[1] == "fytd" else D for r in rows],
            "window_end": D,
            "breakdown": "",
            "group": "",
            "numerator": [r[2] for r in rows],
            "denominator": [r[3] for r in rows],
            "value": [r[2] / r[3] * 100 for r in rows],
            "unit": "percent",
            "window": [r[1] for r in rows],
        }
    )


def _assert_refused_then_protected(tables, hidden, **kw) -> dict:
    """The tables printed as ``hidden`` are refused; protected, they pass."""
    with pytest.raises(DisclosureError, match="table '.*', row '.*', column '.*'"):
        check_tables(tables, hidden, **kw)
    chosen = protect_tables(tables, **kw)
    check_tables(tables, chosen, **kw)  # passes
    return chosen


# --------------------------------------------------------------------------- totals - parts
def test_total_minus_parts_in_the_age_bands() -> None:
    # bands 3, 6, 0, 0, 11 of 20: the 3 hidden alone is 20 - 6 - 11 = 3
    t = three_plus_table(_profile([3, 6, 0, 0, 11], [7, 6, 7]), D)
    hidden = {THREE_PLUS: primary_hidden(t)}
    assert hidden[THREE_PLUS] == {("age_band:under 1", "children"), ("age_band:under 1", "percent")}
    with pytest.raises(DisclosureError, match="row 'under 1', column 'Children'"):
        check_tables([t], hidden)
    chosen = _assert_refused_then_protected([t], hidden)
    # the next smallest band goes too (6), with its percentage; totals stay
    assert ("age_band:1-4", "children") in chosen[THREE_PLUS]
    assert ("total:total", "children") not in chosen[THREE_PLUS]


def test_an_unlisted_remainder_is_a_figure_too() -> None:
    # a child with no date of birth is in no age band: 20 - (6 + 11) = 3 without any band
    # being hidden, and 3 is a small number the table never shows
    t = three_plus_table(_profile([0, 6, 0, 0, 11], [7, 6, 7]), D)
    assert primary_hidden(t) == set()
    found = build_ledger([t], {}).attack()
    assert [(r.value, r.why) for r in found] == [(3.0, "small number")]
    chosen = _assert_refused_then_protected([t], {THREE_PLUS: set()})
    assert ("age_band:1-4", "children") in chosen[THREE_PLUS]


def test_zeros_as_lower_bounds() -> None:
    # bands 1, 1, 0, 0, 18 of 20: two c's share 20 - 18 = 2 and each is at least 1
    t = three_plus_table(_profile([1, 1, 0, 0, 18], [8, 6, 6]), D)
    hidden = {THREE_PLUS: primary_hidden(t)}
    with pytest.raises(DisclosureError, match="suppressed cell 1"):
        check_tables([t], hidden)
    chosen = _assert_refused_then_protected([t], hidden)
    assert ("age_band:16+", "children") in chosen[THREE_PLUS]


def test_a_rounded_percentage_gives_its_count_away() -> None:
    # the count 3 printed as c but its "15%" of 20 printed: 14.5% to 15.5% of 20 is 3
    t = three_plus_table(_profile([3, 3, 0, 3, 11], [7, 6, 7]), D)
    leaky = {THREE_PLUS: {("age_band:under 1", "children"), ("age_band:1-4", "children")}}
    leaky[THREE_PLUS] |= {("age_band:10-15", "children"), ("age_band:10-15", "percent")}
    with pytest.raises(DisclosureError, match="suppressed cell 3 at table 'who had 3"):
        check_tables([t], leaky)
    chosen = protect_tables([t])
    assert ("age_band:under 1", "percent") in chosen[THREE_PLUS]
    check_tables([t], chosen)


# --------------------------------------------------------------------------- complements
def test_complement_of_a_year_end_range_cell() -> None:
    # long-term stability now 54 of 57: the 3 not stable follow; best 60 of 70, worst 50
    r = pd.DataFrame(
        {
            "indicator_id": ["stability_long_term"],
            "period_end": D,
            "now_numerator": [54],
            "now_denominator": [57],
            "best_numerator": [60],
            "best_denominator": [70],
            "worst_numerator": [50],
            "worst_denominator": [70],
        }
    )
    t = yearend_range_table(r)
    assert primary_hidden(t) == {("stability_long_term", "now")}
    with pytest.raises(DisclosureError, match="small number 3"):
        check_tables([t], {YEAREND_RANGE: set()})
    check_tables([t], {YEAREND_RANGE: primary_hidden(t)})


def test_worst_case_minus_now_is_the_children_with_two_placements() -> None:
    # 3+ placements: 20 of 479 now, worst 23 of 479: 3 children have 2 placements
    r = pd.DataFrame(
        {
            "indicator_id": ["stability_3plus_placements"],
            "period_end": D,
            "now_numerator": [20],
            "now_denominator": [479],
            "best_numerator": [20],
            "best_denominator": [479],
            "worst_numerator": [23],
            "worst_denominator": [479],
        }
    )
    t = yearend_range_table(r)
    chosen = _assert_refused_then_protected([t], {YEAREND_RANGE: set()})
    assert chosen[YEAREND_RANGE]


# --------------------------------------------------------------------------- cross-table
def test_a_c_in_the_results_printed_in_full_in_a_drill_down_table() -> None:
    # the results print 3+ placements since 1 April (4 of 100) as c; the drill-down's
    # total would print the 4 (cross-table differencing)
    res = _results([("stability_3plus_placements", "fytd", 4, 100)])
    keys = ResultKeys.of(res)
    t = three_plus_table(_profile([0, 0, 0, 1, 3], [1, 1, 2]), D, keys)
    kw = {"results": res, "results_hidden": np.array([True])}
    with pytest.raises(DisclosureError, match="printed elsewhere 4 at table 'who had 3"):
        check_tables([t], {THREE_PLUS: set()}, **kw)
    chosen = protect_tables([t], **kw)
    assert ("total:total", "children") in chosen[THREE_PLUS]
    check_tables([t], chosen, **kw)


def test_the_tracking_position_is_the_results_figure() -> None:
    # long-term stability 40 of 43 is c in the results (complement 3); the tracking table
    # prints the same figure as its position at D
    res = _results(
        [
            ("stability_long_term", "point", 40, 43),
            ("stability_long_term_yearend_max", "point", 41, 50),
        ]
    )
    track = pd.DataFrame(
        {
            "period_end": [D],
            "year_end": [pd.Timestamp("2025-03-31")],
            "cohort_start": [60],
            "stable_start": [45],
            "left_care_stable": [6],
            "moved_stable": [7],
            "current_numerator": [40],
            "current_denominator": [43],
            "best_numerator": [41],
            "best_denominator": [50],
        }
    )
    t = tracking_table(track, ResultKeys.of(res))
    kw = {"results": res, "results_hidden": np.array([True, False])}
    with pytest.raises(DisclosureError, match="column 'Position'"):
        check_tables([t], {TRACKING: set()}, **kw)
    chosen = protect_tables([t], **kw)
    assert chosen[TRACKING] == {("2024-09-30", "position")}
    check_tables([t], chosen, **kw)


def test_tables_disagreeing_with_the_results_are_not_tied() -> None:
    # a drill-down figure that is not the results' figure gets its own key
    res = _results([("stability_3plus_placements", "fytd", 21, 100)])
    t = three_plus_table(_profile([0, 0, 0, 10, 10], [5, 5, 10]), D, ResultKeys.of(res))
    assert ("three_plus", D, "total") in t.figures


# --------------------------------------------------------------------------- as printed
def _report(printed: dict | None, hidden_results: bool = False) -> SimpleNamespace:
    res = _results([("stability_3plus_placements", "fytd", 20, 479)])
    prof = _profile([3, 6, 0, 0, 11], [7, 6, 7])
    extras = {
        "true_results": res,
        "results_hidden": np.array([hidden_results]),
        "yearend_range": None,
    }
    if printed is not None:
        extras["printed"] = printed
    return SimpleNamespace(
        params=SimpleNamespace(public=True, in_year=True, period_end=D),
        extras=extras,
        tracking=None,
        three_plus=prof,
        projection=None,
    )


def test_the_last_check_attacks_what_was_printed() -> None:
    t = three_plus_table(_profile([3, 6, 0, 0, 11], [7, 6, 7]), D)
    chosen = protect_tables([t])[THREE_PLUS]
    as_printed = {c: ("c" if c in chosen else "9") for c in t.cells}
    check_publication(_report({THREE_PLUS: as_printed}))  # passes
    # the presentation printed the 6 the disclosure check had hidden
    leaky = {**as_printed, ("age_band:1-4", "children"): "6", ("age_band:1-4", "percent"): "30%"}
    with pytest.raises(DisclosureError) as err:
        check_publication(_report({THREE_PLUS: leaky}))
    assert err.value.exit_status == 2
    assert "table 'who had 3+ placements', row 'under 1', column 'Children'" in str(err.value)
    # a cell the check does not know is refused too
    with pytest.raises(DisclosureError, match="does not know"):
        check_publication(_report({THREE_PLUS: {("age_band:9-99", "children"): "1"}}))


def test_the_scorecard_may_not_print_a_results_c() -> None:
    card = pd.DataFrame(
        {
            "Indicator": ["3 or more placements (since 1 April)"],
            "This quarter": ["4%"],
            "Same quarter last year": ["x"],
            "Last 31 March": ["x"],
            "_indicator_id": ["stability_3plus_placements"],
            "_window_kind": ["fytd"],
        }
    )
    with pytest.raises(DisclosureError, match="row '3 or more .*', column 'This quarter'"):
        check_scorecard(card, _report(None, hidden_results=True))
    check_scorecard(card.assign(**{"This quarter": "c"}), _report(None, hidden_results=True))
    check_scorecard(card, _report(None, hidden_results=False))


def test_export_refuses_before_writing_anything(tmp_path) -> None:
    from cppanalytics.reporting import export_tables

    t = three_plus_table(_profile([3, 6, 0, 0, 11], [7, 6, 7]), D)
    leaky = {c: "9" for c in t.cells}  # nothing printed as c
    results = pd.DataFrame({"indicator_id": ["cla_count"], "value": [479.0]})
    with pytest.raises(DisclosureError, match="row 'under 1', column 'Children' prints a count"):
        export_tables(
            tmp_path / "out", results=results, mode="public", report=_report({THREE_PLUS: leaky})
        )
    assert not (tmp_path / "out").exists()
    # an internal export is not attacked (it is never published)
    export_tables(tmp_path / "in", results=results, mode="internal", report=_report({}))
    assert (tmp_path / "in" / "results.csv").exists()


@pytest.mark.parametrize("name", ["quarterly_report", "annual_report"])
def test_the_report_notebooks_hand_their_report_to_the_last_check(name: str) -> None:
    import json
    from pathlib import Path

    nb = Path(__file__).resolve().parents[2] / "cppanalytics" / "notebooks" / f"{name}.ipynb"
    cells = ["".join(c["source"]) for c in json.loads(nb.read_text())["cells"]]
    export = [c for c in cells if "export_tables(" in c]
    assert export and "report=report" in export[0]


def _projection_report(hidden_row: bool) -> SimpleNamespace:
    """The seed's case: suitable accommodation 17-18 is 29 of 34 so far (5 not: c in the
    results), 10 birthdays to come of whom 8 meet it now."""
    ind = "care_leavers_suitable_accom_17_18"
    res = _results([(ind, "fytd", 29, 34)])
    proj = pd.DataFrame(
        {
            "indicator_id": [ind],
            "period_end": [D],
            "age_group": ["17_18"],
            "ytd_numerator": [29],
            "ytd_denominator": [34],
            "ytd_value": [29 / 34 * 100],
            "to_come": [10],
            "to_come_meeting": [8],
            "projected_numerator": [37],
            "projected_denominator": [44],
            "projected_value": [37 / 44 * 100],
            "best_value": [39 / 44 * 100],
            "worst_value": [29 / 44 * 100],
        }
    )
    return SimpleNamespace(
        params=SimpleNamespace(public=True, in_year=True, period_end=D),
        extras={
            "true_results": res,
            "results_hidden": np.array([True]),
            "projection_hidden": np.array([hidden_row]),
        },
        tracking=None,
        three_plus=None,
        projection=proj,
    )


def test_the_projection_table_is_attacked_as_printed() -> None:
    from cppanalytics.judgement.disclosure import suppress_projection
    from cppanalytics.presentation import quarterly, tables

    # disclosure control hides the row ("29 of 34" beside a c gives 5 away)
    report = _projection_report(hidden_row=False)
    chosen = suppress_projection(report.projection, report.extras["true_results"], np.array([True]))
    assert chosen.tolist() == [True]
    # printed in full anyway: refused, naming the table and row
    quarterly._suppress_projection(tables.projection_table(report.projection), report)
    assert report.extras["printed"]["care leavers: projected figures at 31 March"][
        ("care_leavers_suitable_accom_17_18", "Year to date")
    ].startswith("29 of 34")
    with pytest.raises(DisclosureError, match="row 'care_leavers_suitable_accom_17_18'"):
        check_publication(report)
    # printed as the check chose: c throughout, and it passes
    report = _projection_report(hidden_row=True)
    table = quarterly._suppress_projection(tables.projection_table(report.projection), report)
    assert (table.iloc[0, 1:] == "c").all()
    check_publication(report)
