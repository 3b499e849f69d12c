"""The disclosure check tries each attack itself; hand-worked tables built to be attacked.

Every case states the public figures, what a reader works out, and why.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cppanalytics.judgement.disclosure import (
    DisclosureError,
    Ledger,
    check_disclosure,
    projection_ledger,
    results_ledger,
    suppress_projection,
    suppress_results,
)

D = pd.Timestamp("2026-09-30")


def _breakdown(total: float, groups: dict[str, float], hidden: set[str]) -> Ledger:
    led = Ledger()
    led.add("total", total, shown=True, total=True, table="t")
    for g, v in groups.items():
        led.add(g, v, shown=g not in hidden, suppressed=g in hidden, table="t")
    led.total("total", list(groups))
    return led


def test_total_minus_parts_with_one_hidden_cell_is_refused() -> None:
    # 40 = 22 + 15 + c: the c is 3
    led = _breakdown(40, {"a": 22, "b": 15, "c": 3}, {"c"})
    with pytest.raises(DisclosureError, match="c = 3"):
        check_disclosure(led)
    hid = led.protect()
    assert hid == ["b"]  # the smallest other published cell, never the total
    check_disclosure(led)


def test_zeros_as_lower_bounds_pin_three_hidden_ones() -> None:
    # 406 = 300 + 103 + c + c + c; zeros are shown, so each c is at least 1: 3 = 1 + 1 + 1
    groups = {"a": 300, "b": 103, "x": 1, "y": 1, "z": 1}
    led = _breakdown(406, groups, {"x", "y", "z"})
    found = {r.key for r in led.attack()}
    assert found == {"x", "y", "z"}
    # with a fourth cell hidden the three share 103 + 3 = 106: each is 1 to 104
    led.protect()
    assert led.attack() == []
    assert "b" in led.hidden_shown()


def test_two_hidden_cells_with_room_to_move_pass() -> None:
    # 40 = 22 + c + c with the cs 15 and 3: c + c = 18, each 1..17
    check_disclosure(_breakdown(40, {"a": 22, "b": 15, "c": 3}, {"b", "c"}))


def test_a_small_count_never_shown_follows_from_two_shown_ones() -> None:
    # 34 children, 19 in one group and 10 in another, the rest (5) in no listed group
    led = Ledger()
    for k, v in (("all", 34), ("g1", 19), ("g2", 10)):
        led.add(k, v, shown=True, table="scorecard")
    led.add("rest", 5)
    led.total("all", ["g1", "g2", "rest"])
    with pytest.raises(DisclosureError, match="rest = 5 .small number"):
        check_disclosure(led)
    assert led.protect() == ["g2"]
    check_disclosure(led)


def test_complement_x_of_n_gives_n_minus_x() -> None:
    # "31 of 34 in suitable accommodation" tells the reader 3 are not
    led = Ledger()
    led.add("in", 31, shown=True, table="projection")
    led.add("all", 34, shown=True, table="projection", total=True)
    led.complement("in", "all")
    with pytest.raises(DisclosureError, match="small number"):
        check_disclosure(led)
    assert led.protect() == ["in"]
    check_disclosure(led)


def test_rounded_percentage_of_a_known_denominator_pins_the_numerator() -> None:
    # c of 34 shown as 91%: 30.77 <= x <= 31.11, so x = 31 and 3 are not
    led = Ledger()
    led.add("in", 31, suppressed=True, table="scorecard")
    led.add("all", 34, shown=True, total=True, table="scorecard")
    led.rounded_percent("in", "all", 91)
    with pytest.raises(DisclosureError, match="in = 31"):
        check_disclosure(led)
    # 90% of 34 would be 30.43..30.77: no whole number, a 91% of 33 (29.87..30.2) pins 30
    led2 = Ledger()
    led2.add("in", 30, suppressed=True)
    led2.add("all", 33, shown=True, total=True)
    led2.rounded_percent("in", "all", 91)
    assert [r.value for r in led2.attack()] == [30]


def test_cross_table_the_same_figure_shown_in_one_table_and_c_in_another() -> None:
    led = Ledger()
    led.add(("cla_started", "2026-09-30"), 4, suppressed=True, table="scorecard")
    led.add(("cla_started", "2026-09-30"), 4, shown=True, table="flows by quarter")
    with pytest.raises(DisclosureError, match="flows by quarter"):
        check_disclosure(led)


def test_cross_table_differencing_through_a_shared_total() -> None:
    # table 1: 50 = 30 + 20 shown; table 2 breaks the 20 into 17 + c: the c is 3
    led = Ledger()
    for k, v, tab in (("all", 50, "t1"), ("a", 30, "t1"), ("b", 20, "t1"), ("b1", 17, "t2")):
        led.add(k, v, shown=True, table=tab)
    led.add("b2", 3, suppressed=True, table="t2")
    led.total("all", ["a", "b"])
    led.total("b", ["b1", "b2"])
    with pytest.raises(DisclosureError, match="b2 = 3"):
        check_disclosure(led)
    led.protect()
    check_disclosure(led)


def _rows(period_end: pd.Timestamp, total: float, groups: dict[str, float]) -> pd.DataFrame:
    n = len(groups)
    return pd.DataFrame(
        {
            "indicator_id": ["cla_count"] + ["cla_by_sex"] * n,
            "period_end": period_end,
            "window_start": period_end,
            "window_end": period_end,
            "breakdown": [""] + ["sex"] * n,
            "group": ["", *groups],
            "numerator": [total, *groups.values()],
            "denominator": [np.nan] + [total] * n,
            "value": [total, *(v / total * 100 for v in groups.values())],
            "unit": ["count"] + ["percent"] * n,
        }
    )


def test_results_breakdown_attack_is_refused_and_suppress_results_passes() -> None:
    res = _rows(D, 40, {"male": 22, "female": 15, "unknown": 3})
    # only the 3 hidden: a reader works it out from 40 - 22 - 15
    naive = np.array([False, False, False, True])
    with pytest.raises(DisclosureError, match="unknown"):
        check_disclosure(results_ledger(res, hidden=naive))
    out = suppress_results(res)
    assert out["suppressed"].tolist() == [False, False, True, True]
    check_disclosure(results_ledger(res, hidden=out["suppressed"].to_numpy()))


def test_results_complement_and_open_breakdown_remainder() -> None:
    # cla_by_cin has no catch-all group: 34 = 19 + 10 + (5 with no code, never shown)
    res = pd.DataFrame(
        {
            "indicator_id": ["cla_count", "cla_by_cin", "cla_by_cin"],
            "period_end": D,
            "window_start": D,
            "window_end": D,
            "breakdown": ["", "cin", "cin"],
            "group": ["", "N1", "N2"],
            "numerator": [34.0, 19, 10],
            "denominator": [np.nan, 34, 34],
            "value": [34.0, 19 / 34 * 100, 10 / 34 * 100],
            "unit": ["count", "percent", "percent"],
        }
    )
    with pytest.raises(DisclosureError, match="unlisted"):
        check_disclosure(results_ledger(res, hidden=np.zeros(3, dtype=bool)))
    out = suppress_results(res)
    assert out["suppressed"].tolist() == [False, False, True]
    check_disclosure(results_ledger(res, hidden=out["suppressed"].to_numpy()))


def test_cross_period_a_previous_quarter_column_printing_a_suppressed_count() -> None:
    jun, sep = pd.Timestamp("2026-06-30"), D
    res = pd.DataFrame(
        {
            "indicator_id": ["cla_count", "cla_count"],
            "period_end": [jun, sep],
            "window_start": [jun, sep],
            "window_end": [jun, sep],
            "breakdown": "",
            "group": "",
            "numerator": [4.0, 9.0],
            "denominator": np.nan,
            "value": [4.0, 9.0],
            "unit": "count",
            "previous_quarter": [np.nan, 4.0],
        }
    )
    with pytest.raises(DisclosureError, match="previous_quarter"):
        check_disclosure(results_ledger(res, hidden=np.array([True, False])))
    # suppression hides the earlier figure wherever it is printed again
    out = suppress_results(res)
    assert out["suppressed"].tolist() == [True, False]
    assert out["previous_quarter"].isna().all()
    check_disclosure(
        results_ledger(
            res.assign(previous_quarter=out["previous_quarter"]),
            hidden=out["suppressed"].to_numpy(),
        )
    )


# --- the care-leaver projection table beside the public results ------------------------
# suitable accommodation 19-21 at 30/09/2026: 24 of 27 so far (3 not: the results row is c),
# 7 still to come, 5 of them suitable now: projected 29 of 34 (5 not).
FY = pd.Timestamp("2026-04-01")


def _cl_results(num: float, den: float) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "indicator_id": ["care_leavers_suitable_accom_19_21"],
            "period_end": [D],
            "window_start": [FY],
            "window_end": [D],
            "breakdown": [""],
            "group": [""],
            "numerator": [num],
            "denominator": [den],
            "value": [num / den * 100],
            "unit": ["percent"],
        }
    )


def _projection(ytd: tuple[float, float], to_come: float, meeting: float) -> pd.DataFrame:
    num, den = ytd
    pden = den + to_come
    return pd.DataFrame(
        [
            {
                "indicator_id": "care_leavers_suitable_accom_19_21",
                "period_end": D,
                "ytd_numerator": num,
                "ytd_denominator": den,
                "ytd_value": num / den * 100,
                "to_come": to_come,
                "to_come_meeting": meeting,
                "projected_numerator": num + meeting,
                "projected_denominator": pden,
                "projected_value": (num + meeting) / pden * 100,
                "best_value": (num + to_come) / pden * 100,
                "worst_value": num / pden * 100,
            }
        ]
    )


def test_projection_29_of_34_beside_a_suppressed_scorecard_cell_is_refused_then_hidden() -> None:
    res = _cl_results(24, 27)
    out = suppress_results(res)
    assert out["suppressed"].tolist() == [True]  # 3 not suitable: complement 1-5
    hidden = out["suppressed"].to_numpy()
    proj = _projection((24, 27), 7, 5)
    # printed as it stands, "24 of 27" gives the c away and "29 of 34" says 5 are not
    led = projection_ledger(proj, np.array([False]), results_ledger(res, hidden=hidden))
    with pytest.raises(DisclosureError, match="printed elsewhere"):
        check_disclosure(led)
    rows = suppress_projection(proj, res, hidden)
    assert rows.tolist() == [True]
    check_disclosure(projection_ledger(proj, rows, results_ledger(res, hidden=hidden)))


def test_projection_without_small_figures_is_printed() -> None:
    # 40 of 60 so far, 20 to come with 12 suitable now: 52 of 80; nothing is 1-5
    res = _cl_results(40, 60)
    hidden = suppress_results(res)["suppressed"].to_numpy()
    proj = _projection((40, 60), 20, 12)
    assert suppress_projection(proj, res, hidden).tolist() == [False]


def test_best_and_worst_percentages_pin_a_hidden_year_to_date() -> None:
    # the year to date is c in the results for another reason (secondary suppression);
    # "worst case 50%" of a printed projected 80 pins it to 39.6..40.4 = 40
    res = _cl_results(40, 60)
    proj = _projection((40, 60), 20, 12)
    led = projection_ledger(proj, np.array([False]), results_ledger(res, hidden=np.array([True])))
    assert {r.why for r in led.attack()} >= {"suppressed cell printed elsewhere"}
    assert suppress_projection(proj, res, np.array([True])).tolist() == [True]


def test_attack_skips_only_figures_two_solutions_prove_free(monkeypatch: pytest.MonkeyPatch):
    # 20 = a + b + d, all three printed as c; "a is 25% of 20" pins a = 5 (4.9..5.1);
    # b + d = 15 leaves b and d anywhere in 1..14. The range makes it a solver case.
    from cppanalytics.judgement.disclosure import Ledger

    led = Ledger()
    led.add("T", 20, shown=True, table="t")
    for key, value in (("a", 5), ("b", 6), ("d", 9)):
        led.add(key, value, suppressed=True, table="t")
    led.total("T", ["a", "b", "d"])
    led.rounded_percent("a", "T", 25)
    solves: list[int] = []
    plain = Ledger._solve

    def counted(*args):  # noqa: ANN002, ANN202
        solves.append(1)
        return plain(*args)

    monkeypatch.setattr(Ledger, "_solve", staticmethod(counted))
    found = led.attack()
    assert [(r.key, r.value) for r in found] == [("a", 5.0)]
    # a: 2 solves, b: 2 solves (b = 1 and b = 14, so d = 14 and d = 1): d needs none
    assert len(solves) == 4


def test_attack_still_finds_a_figure_pinned_after_free_ones():
    # 20 = x + y + z (all c), "z is 25% of 20" pins z = 5; x + y = 15 leaves both free.
    # x is solved first; its two solutions prove y free, and both hold z = 5, which
    # proves nothing: z is still solved, and found.
    from cppanalytics.judgement.disclosure import Ledger

    led = Ledger()
    led.add("T", 20, shown=True, table="t")
    for key, value in (("x", 7), ("y", 8), ("z", 5)):
        led.add(key, value, suppressed=True, table="t")
    led.total("T", ["x", "y", "z"])
    led.rounded_percent("z", "T", 25)
    assert [(r.key, r.value) for r in led.attack()] == [("z", 5.0)]
