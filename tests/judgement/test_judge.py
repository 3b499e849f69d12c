"""judge(): comparators, comparator year, neighbours, quartile/rank, targets, direction."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cppanalytics.dates import window
from cppanalytics.errors import CppError
from cppanalytics.indicators import catalogue
from cppanalytics.judgement.judge import (
    COUNT_NOT_COMPARED,
    IN_YEAR,
    JUDGE_COLUMNS,
    ROLLING,
    judge,
)
from cppanalytics.results import RESULT_COLUMNS, result_rows

# MK's 2025-model neighbours include 822, 303, 882, 870; 330, 340, 350 are not neighbours
LA_VALUES = {
    "826": 55.0,
    "822": 10.0,
    "303": 20.0,
    "882": 30.0,
    "870": 100.0,
    "330": 40.0,
    "340": 50.0,
    "350": 60.0,
}


def _comparators() -> pd.DataFrame:
    rows = []
    for ind in ("health_assessment", "stability_3plus_placements"):
        for year in (2024, 2025):
            shift = 0 if year == 2025 else 1
            rows.append(
                dict(
                    indicator_id=ind,
                    year=year,
                    geography_level="england",
                    la_code_old="",
                    region_code="",
                    value=70.0 + shift,
                )
            )
            rows.append(
                dict(
                    indicator_id=ind,
                    year=year,
                    geography_level="region",
                    la_code_old="",
                    region_code="E12000008",
                    value=65.0 + shift,
                )
            )
            rows.append(
                dict(
                    indicator_id=ind,
                    year=year,
                    geography_level="region",
                    la_code_old="",
                    region_code="E12000001",
                    value=1.0,
                )
            )
            for code, val in LA_VALUES.items():
                rows.append(
                    dict(
                        indicator_id=ind,
                        year=year,
                        geography_level="la",
                        la_code_old=code,
                        region_code="",
                        value=val + shift,
                    )
                )
    rows.append(
        dict(
            indicator_id="sw_3plus",
            year=2024,
            geography_level="england",
            la_code_old="",
            region_code="",
            value=27.0,
        )
    )
    return pd.DataFrame(rows)


def _row(ind: str, pe: str, num: float, den: float = 100, kind: str = "r12") -> pd.DataFrame:
    return result_rows(
        ind, pe, window(kind, pe), numerator=[num], denominator=[den], unit="percent"
    )


def test_comparators_neighbours_mean_and_median() -> None:
    res = _row("health_assessment", "2025-03-31", 65)
    mean = judge(res, la_code="826", comparators=_comparators()).iloc[0]
    median = judge(
        res, la_code="E06000042", comparators=_comparators(), neighbour_summary="median"
    ).iloc[0]
    assert (mean.england, mean.region, mean.la_published) == (70.0, 65.0, 55.0)
    assert mean.neighbours == pytest.approx((10 + 20 + 30 + 100) / 4)
    assert median.neighbours == pytest.approx(25.0)
    assert mean.comparator_year == 2025
    assert list(judge(res, la_code="826", comparators=_comparators()).columns) == [
        *RESULT_COLUMNS,
        *JUDGE_COLUMNS,
    ]


def test_quartile_and_rank_follow_polarity() -> None:
    # others (MK's own published 55 replaced by our value 65): 10 20 30 100 40 50 60
    up = judge(
        _row("health_assessment", "2025-03-31", 65), la_code="826", comparators=_comparators()
    ).iloc[0]
    assert (up["rank"], up.n_councils, up.quartile) == (2, 8, "A")  # only 100 is higher
    down = judge(
        _row("stability_3plus_placements", "2025-03-31", 65),
        la_code="826",
        comparators=_comparators(),
    ).iloc[0]
    assert (down["rank"], down.n_councils, down.quartile) == (7, 8, "D")  # 6 are lower
    mid = judge(
        _row("stability_3plus_placements", "2025-03-31", 35),
        la_code="826",
        comparators=_comparators(),
    ).iloc[0]
    assert (mid["rank"], mid.quartile) == (4, "B")  # 10 20 30 lower: 4/8 = 0.5 -> B


def test_comparator_year_is_latest_on_or_before_period_end() -> None:
    res = pd.concat(
        [
            _row("health_assessment", "2024-12-31", 60),
            _row("health_assessment", "2025-06-30", 60),
            _row("sw_3plus", "2025-06-30", 20),
        ],
        ignore_index=True,
    )
    out = judge(res, la_code="826", comparators=_comparators())
    assert out["comparator_year"].tolist() == [2024, 2025, 2024]
    assert out["england"].tolist() == [71.0, 70.0, 27.0]


def test_breakdown_rows_get_no_comparators() -> None:
    pe = "2025-03-31"
    res = result_rows(
        "cla_by_sex",
        pe,
        (pe, pe),
        numerator=[5, 5],
        denominator=[10, 10],
        unit="percent",
        breakdown="sex",
        groups=["male", "female"],
    )
    out = judge(res, la_code="826", comparators=_comparators())
    assert out["england"].isna().all() and out["comparator_year"].isna().all()


def test_targets_rag_and_direction_of_travel() -> None:
    frames = []
    for pe, r12, fytd in (
        ("2024-03-31", 14, 14),
        ("2024-12-31", 12, 9),
        ("2025-03-31", 11, 11),
        ("2025-06-30", 13, 4),
    ):
        frames.append(_row("stability_3plus_placements", pe, r12, kind="r12"))
        frames.append(_row("stability_3plus_placements", pe, fytd, kind="fytd"))
    out = judge(
        pd.concat(frames, ignore_index=True),
        la_code="826",
        comparators=_comparators(),
        targets={"stability_3plus_placements": {"target": 10, "tolerance": 2}},
    )
    jun_r12 = out[(out.period_end == "2025-06-30") & (out.window_start == "2024-07-01")].iloc[0]
    assert jun_r12.previous_quarter == pytest.approx(11)
    assert jun_r12.last_march == pytest.approx(11)
    assert (jun_r12.rag, jun_r12.direction_quarter) == ("red", "worsening")
    jun_fytd = out[(out.period_end == "2025-06-30") & (out.window_start == "2025-04-01")].iloc[0]
    # a quarter's running total (4% since 1 April) is not rated against the annual 10%
    # target, not ranked and not compared with full-year figures; the 12 months is
    assert (jun_fytd.rag, jun_fytd.quartile, jun_fytd.judged_as) == ("", "", IN_YEAR)
    assert pd.isna(jun_fytd["rank"]) and np.isnan(jun_fytd.england)
    assert np.isnan(jun_fytd.neighbours) and jun_fytd.direction_quarter == ""
    assert jun_r12.judged_as == ROLLING and jun_r12.england == 70.0
    mar = out[out.period_end == "2025-03-31"].iloc[0]
    assert mar.previous_quarter == pytest.approx(12)
    assert mar.same_quarter_last_year == pytest.approx(14)
    assert (mar.rag, mar.direction_year, mar.polarity) == ("amber", "improving", "down")


def test_small_denominator_interval_and_note() -> None:
    out = judge(
        _row("health_assessment", "2025-03-31", 12, den=16),
        la_code="826",
        comparators=_comparators(),
    ).iloc[0]
    assert out.ci_low == pytest.approx(50.5, abs=0.1) and out.ci_high == pytest.approx(
        89.8, abs=0.1
    )
    assert "gap to England (70%) is not statistically significant" in out.significance_note
    big = judge(
        _row("health_assessment", "2025-03-31", 60, den=100),
        la_code="826",
        comparators=_comparators(),
    ).iloc[0]
    assert np.isnan(big.ci_low) and big.significance_note == ""


def test_errors_are_clear() -> None:
    res = _row("health_assessment", "2025-03-31", 65)
    with pytest.raises(CppError, match="neighbour_summary"):
        judge(res, la_code="826", comparators=_comparators(), neighbour_summary="mode")
    with pytest.raises(CppError, match="not found"):
        judge(res, la_code="E99999999", comparators=_comparators())
    with pytest.raises(CppError, match="lacks column"):
        judge(res, la_code="826", comparators=pd.DataFrame({"x": [1]}))


def test_shipped_table_for_demo_council() -> None:
    """The demo council gets real MK/England/South East figures with no download."""
    res = pd.concat(
        [
            _row("health_assessment", "2025-03-31", 90),
            _row("care_leavers_eet_19_21", "2025-03-31", 60, kind="fytd"),
        ],
        ignore_index=True,
    )
    out = judge(res, la_code="826").set_index("indicator_id")
    assert out.loc["health_assessment", "la_published"] == pytest.approx(253 / 281 * 100)
    assert out.loc["health_assessment", "england"] == pytest.approx(52580 / 58530 * 100)
    assert out["neighbours"].notna().all() and out["quartile"].isin(list("ABCD")).all()
    old = judge(res, la_code="826", neighbour_model="2021")
    assert old["neighbours"].notna().all()


def test_neighbours_used_and_summary_are_stated() -> None:
    # 4 of MK's 10 neighbours (822 303 882 870) have a figure
    out = judge(
        _row("health_assessment", "2025-03-31", 65),
        la_code="826",
        comparators=_comparators(),
        neighbour_summary="median",
    ).iloc[0]
    assert (out.n_neighbours, out.neighbour_summary) == (4, "median")
    mean = judge(
        _row("health_assessment", "2025-03-31", 65), la_code="826", comparators=_comparators()
    ).iloc[0]
    assert (mean.n_neighbours, mean.neighbour_summary) == (4, "mean")


def _count(ind: str, pe: str, value: float, kind: str = "fytd") -> pd.DataFrame:
    return result_rows(ind, pe, window(kind, pe), numerator=[value], unit="count")


def _count_comparators() -> pd.DataFrame:
    rows = [
        dict(
            indicator_id=i,
            year=2025,
            geography_level="england",
            la_code_old="",
            region_code="",
            value=v,
        )
        for i, v in (("cla_started", 26_000.0), ("cla_started_rate_per_10k", 21.0))
    ]
    rows += [
        dict(
            indicator_id=i, year=2025, geography_level="la", la_code_old=c, region_code="", value=v
        )
        for c in ("822", "303")
        for i, v in (("cla_started", 657.0), ("cla_started_rate_per_10k", 25.0))
    ]
    return pd.DataFrame(rows)


def test_in_year_starters_are_not_rated_and_are_projected_at_the_pace_so_far() -> None:
    res = pd.concat(
        [
            _count("cla_started", "2025-03-31", 100),
            _count("cla_started", "2025-06-30", 20),
            _count("cla_started", "2025-09-30", 61),
        ],
        ignore_index=True,
    )
    out = judge(
        res,
        la_code="826",
        comparators=_count_comparators(),
        targets={"cla_started": {"target": 90, "tolerance": 5, "polarity": "down"}},
    )
    mar, jun, sep = (out.iloc[i] for i in range(3))
    # 30/09/2025: 61 in the 183 days 01/04..30/09; 61 x 365 / 183 = 121.7
    assert (sep.judged_as, sep.rag, sep.quartile) == (IN_YEAR, "", "")
    assert sep.projected_value == pytest.approx(61 * 365 / 183)
    assert sep.projection_note == (
        "61 in the 183 days since 1 April; at that pace about 122 by 31 March (365 days)"
    )
    # 30/06/2025: 20 in 91 days -> 80.2; no comparison with last quarter's running total
    assert jun.projected_value == pytest.approx(20 * 365 / 91)
    assert jun.direction_quarter == "" and sep.direction_quarter == ""
    # no England, region or neighbour count beside a council's count, ever (mean of counts)
    assert out[["england", "region", "neighbours"]].isna().all().all()
    # 31 March: the full year is rated against the target, but as a count not compared
    assert (mar.judged_as, mar.rag) == (COUNT_NOT_COMPARED, "red")
    assert np.isnan(mar.projected_value) and mar.projection_note == ""


def test_starter_rates_over_the_rolling_12_months_are_compared() -> None:
    res = result_rows(
        "cla_started_rate_per_10k",
        "2025-09-30",
        window("r12", "2025-09-30"),
        numerator=[40],
        denominator=[20000],
        unit="rate_per_10k",
    )
    out = judge(res, la_code="826", comparators=_count_comparators()).iloc[0]
    assert out.value == pytest.approx(20.0)
    assert (out.judged_as, out.comparator_year, out.england) == (ROLLING, 2025, 21.0)
    assert (out.neighbours, out.n_neighbours) == (25.0, 2)


@pytest.mark.parametrize(
    ("pe", "days"), [("2025-06-30", 91), ("2025-09-30", 183), ("2025-12-31", 275)]
)
def test_in_year_missing_shares_are_not_rated_nor_projected_and_say_why(pe: str, days: int) -> None:
    """Hand-worked at each in-year quarter end: 12 of 400 children in care since 1 April
    went missing (3%), 9 of 400 were away; incidents per child 2.5; 30 incidents. The count
    is projected at the pace so far (30 x 365 / days); the shares and the ratio are not,
    and the note says why."""
    res = pd.concat(
        [
            result_rows(
                "missing_children_pct",
                pe,
                window("fytd", pe),
                numerator=[12],
                denominator=[400],
                unit="percent",
            ),
            result_rows(
                "away_children_pct",
                pe,
                window("fytd", pe),
                numerator=[9],
                denominator=[400],
                unit="percent",
            ),
            result_rows(
                "missing_incidents_per_child",
                pe,
                window("fytd", pe),
                numerator=[30],
                denominator=[12],
                unit="ratio",
            ),
            _count("missing_incidents", pe, 30),
        ],
        ignore_index=True,
    )
    out = judge(res, la_code="826").set_index("indicator_id")
    for iid in ("missing_children_pct", "away_children_pct", "missing_incidents_per_child"):
        row = out.loc[iid]
        assert (row.judged_as, row.rag, row.quartile) == (IN_YEAR, "", "")
        assert np.isnan(row.england) and np.isnan(row.projected_value)
        assert row.projection_note == catalogue.CATALOGUE[iid].not_projected != ""
    assert "not projected" in out.loc["missing_children_pct", "projection_note"]
    count = out.loc["missing_incidents"]
    assert count.projected_value == pytest.approx(30 * 365 / days)
    assert count.projection_note.startswith(f"30 in the {days} days since 1 April")


def test_missing_shares_at_31_march_are_the_full_year_and_carry_no_note() -> None:
    res = result_rows(
        "missing_children_pct",
        "2025-03-31",
        window("fytd", "2025-03-31"),
        numerator=[20],
        denominator=[400],
        unit="percent",
    )
    row = judge(res, la_code="826").iloc[0]
    assert row.judged_as == "" and row.projection_note == ""


def test_every_running_share_says_why_it_is_not_projected() -> None:
    # one home per fact: the catalogue holds the reason for each running total that is
    # not a count (a count is projected at the pace so far)
    for ind in catalogue.CATALOGUE.values():
        if ind.running_total:
            assert bool(ind.not_projected) == (ind.unit != "count"), ind.id
