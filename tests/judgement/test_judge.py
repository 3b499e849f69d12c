"""judge(): comparators, comparator year, neighbours, quartile/rank, targets, direction."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cppanalytics.dates import window
from cppanalytics.errors import CppError
from cppanalytics.judgement.judge import JUDGE_COLUMNS, judge
from cppanalytics.results import RESULT_COLUMNS, result_rows

# MK's 2025-model neighbours include 822, 303, 882, 870; 330, 340, 350 are not neighbours
LA_VALUES = {"826": 55.0, "822": 10.0, "303": 20.0, "882": 30.0, "870": 100.0,
             "330": 40.0, "340": 50.0, "350": 60.0}


def _comparators() -> pd.DataFrame:
    rows = []
    for ind in ("health_assessment", "stability_3plus_placements"):
        for year in (2024, 2025):
            shift = 0 if year == 2025 else 1
            rows.append(dict(indicator_id=ind, year=year, geography_level="england",
                             la_code_old="", region_code="", value=70.0 + shift))
            rows.append(dict(indicator_id=ind, year=year, geography_level="region",
                             la_code_old="", region_code="E12000008", value=65.0 + shift))
            rows.append(dict(indicator_id=ind, year=year, geography_level="region",
                             la_code_old="", region_code="E12000001", value=1.0))
            for code, val in LA_VALUES.items():
                rows.append(dict(indicator_id=ind, year=year, geography_level="la",
                                 la_code_old=code, region_code="", value=val + shift))
    rows.append(dict(indicator_id="sw_3plus", year=2024, geography_level="england",
                     la_code_old="", region_code="", value=27.0))
    return pd.DataFrame(rows)


def _row(ind: str, pe: str, num: float, den: float = 100, kind: str = "r12") -> pd.DataFrame:
    return result_rows(ind, pe, window(kind, pe), numerator=[num], denominator=[den],
                       unit="percent")


def test_comparators_neighbours_mean_and_median() -> None:
    res = _row("health_assessment", "2025-03-31", 65)
    mean = judge(res, la_code="826", comparators=_comparators()).iloc[0]
    median = judge(res, la_code="E06000042", comparators=_comparators(),
                   neighbour_summary="median").iloc[0]
    assert (mean.england, mean.region, mean.la_published) == (70.0, 65.0, 55.0)
    assert mean.neighbours == pytest.approx((10 + 20 + 30 + 100) / 4)
    assert median.neighbours == pytest.approx(25.0)
    assert mean.comparator_year == 2025
    assert list(judge(res, la_code="826", comparators=_comparators()).columns) == [
        *RESULT_COLUMNS, *JUDGE_COLUMNS]


def test_quartile_and_rank_follow_polarity() -> None:
    # others (MK's own published 55 replaced by our value 65): 10 20 30 100 40 50 60
    up = judge(_row("health_assessment", "2025-03-31", 65), la_code="826",
               comparators=_comparators()).iloc[0]
    assert (up["rank"], up.n_councils, up.quartile) == (2, 8, "A")  # only 100 is higher
    down = judge(_row("stability_3plus_placements", "2025-03-31", 65), la_code="826",
                 comparators=_comparators()).iloc[0]
    assert (down["rank"], down.n_councils, down.quartile) == (7, 8, "D")  # 6 are lower
    mid = judge(_row("stability_3plus_placements", "2025-03-31", 35), la_code="826",
                comparators=_comparators()).iloc[0]
    assert (mid["rank"], mid.quartile) == (4, "B")  # 10 20 30 lower: 4/8 = 0.5 -> B


def test_comparator_year_is_latest_on_or_before_period_end() -> None:
    res = pd.concat([_row("health_assessment", "2024-12-31", 60),
                     _row("health_assessment", "2025-06-30", 60),
                     _row("sw_3plus", "2025-06-30", 20)], ignore_index=True)
    out = judge(res, la_code="826", comparators=_comparators())
    assert out["comparator_year"].tolist() == [2024, 2025, 2024]
    assert out["england"].tolist() == [71.0, 70.0, 27.0]


def test_breakdown_rows_get_no_comparators() -> None:
    pe = "2025-03-31"
    res = result_rows("cla_by_sex", pe, (pe, pe), numerator=[5, 5], denominator=[10, 10],
                      unit="percent", breakdown="sex", groups=["male", "female"])
    out = judge(res, la_code="826", comparators=_comparators())
    assert out["england"].isna().all() and out["comparator_year"].isna().all()


def test_targets_rag_and_direction_of_travel() -> None:
    frames = []
    for pe, r12, fytd in (("2024-03-31", 14, 14), ("2024-12-31", 12, 9), ("2025-03-31", 11, 11),
                          ("2025-06-30", 13, 4)):
        frames.append(_row("stability_3plus_placements", pe, r12, kind="r12"))
        frames.append(_row("stability_3plus_placements", pe, fytd, kind="fytd"))
    out = judge(pd.concat(frames, ignore_index=True), la_code="826", comparators=_comparators(),
                targets={"stability_3plus_placements": {"target": 10, "tolerance": 2}})
    jun_r12 = out[(out.period_end == "2025-06-30") & (out.window_start == "2024-07-01")].iloc[0]
    assert jun_r12.previous_quarter == pytest.approx(11)
    assert jun_r12.last_march == pytest.approx(11)
    assert (jun_r12.rag, jun_r12.direction_quarter) == ("red", "worsening")
    jun_fytd = out[(out.period_end == "2025-06-30") & (out.window_start == "2025-04-01")].iloc[0]
    assert jun_fytd.rag == "green" and jun_fytd.previous_quarter == pytest.approx(11)
    mar = out[out.period_end == "2025-03-31"].iloc[0]
    assert mar.previous_quarter == pytest.approx(12)
    assert mar.same_quarter_last_year == pytest.approx(14)
    assert (mar.rag, mar.direction_year, mar.polarity) == ("amber", "improving", "down")


def test_small_denominator_interval_and_note() -> None:
    out = judge(_row("health_assessment", "2025-03-31", 12, den=16), la_code="826",
                comparators=_comparators()).iloc[0]
    assert out.ci_low == pytest.approx(50.5, abs=0.1) and out.ci_high == pytest.approx(89.8, abs=0.1)
    assert "gap to England (70%) is not statistically significant" in out.significance_note
    big = judge(_row("health_assessment", "2025-03-31", 60, den=100), la_code="826",
                comparators=_comparators()).iloc[0]
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
    res = pd.concat([_row("health_assessment", "2025-03-31", 90),
                     _row("care_leavers_eet_19_21", "2025-03-31", 60, kind="fytd")],
                    ignore_index=True)
    out = judge(res, la_code="826").set_index("indicator_id")
    assert out.loc["health_assessment", "la_published"] == pytest.approx(253 / 281 * 100)
    assert out.loc["health_assessment", "england"] == pytest.approx(52580 / 58530 * 100)
    assert out["neighbours"].notna().all() and out["quartile"].isin(list("ABCD")).all()
    old = judge(res, la_code="826", neighbour_model="2021")
    assert old["neighbours"].notna().all()
