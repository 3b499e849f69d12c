"""In-year figures as the panel sees them: not rated, the comparator's year beside every
comparator figure, neighbours used, and a direction that follows the columns beside it."""

from __future__ import annotations

import numpy as np
import pandas as pd

from cppanalytics.findings import empty_findings
from cppanalytics.judgement.judge import IN_YEAR
from cppanalytics.pipeline import ReportData, ReportParams, report_period_ends
from cppanalytics.presentation import blocks, scorecard, tables

PE = pd.Timestamp("2026-09-30")


def _fytd_3plus(frame: pd.DataFrame) -> pd.Series:
    return (
        (frame["indicator_id"] == "stability_3plus_placements")
        & (pd.to_datetime(frame["window_start"]) == pd.Timestamp("2026-04-01"))
        & (pd.to_datetime(frame["period_end"]) == PE)
    )


def test_running_total_in_year_is_not_rated_on_the_scorecard(judged: pd.DataFrame) -> None:
    frame = judged.copy()
    frame["judged_as"] = ""
    frame.loc[_fytd_3plus(frame), "judged_as"] = IN_YEAR
    card = scorecard.scorecard(frame, PE).set_index("Indicator")
    fytd = card.loc["3 or more placements (since 1 April)"]
    # 12% since 1 April beside a 10% annual target: not rated Red (nor Green)
    assert fytd["RAG"] == "In year, not rated"
    assert card.loc["3 or more placements (rolling 12 months)", "RAG"] != "In year, not rated"


def test_direction_follows_the_same_quarter_last_year_column(judged: pd.DataFrame) -> None:
    frame = judged.copy()
    sel = (frame["indicator_id"] == "placed_within_20_miles") & (
        pd.to_datetime(frame["period_end"]) == PE
    )
    # the judgement's year comparison is missing; the quarter's says "improving": the
    # scorecard must not borrow it, it compares this quarter with last year's column
    frame.loc[sel, "direction_year"] = ""
    frame.loc[sel, "direction_quarter"] = "improving"
    card = scorecard.scorecard(frame, PE).set_index("_indicator_id")
    row = card.loc["placed_within_20_miles"]
    now, before = (
        float(row["This quarter"].rstrip("%")),
        float(row["Same quarter last year"].rstrip("%")),
    )
    expected = "Better ▲" if now > before else "Worse ▼" if now < before else "No change ►"
    assert row["Direction of travel"] == expected


def test_comparator_year_and_neighbours_used_are_stated() -> None:
    row = pd.Series(
        {
            "england": 70.0,
            "region": 65.0,
            "neighbours": 57.0,
            "n_neighbours": 8,
            "comparator_year": 2025,
        }
    )
    assert tables.comparator_year_cell(row) == "31 Mar 2025"
    assert tables.neighbours_cell(row, "percent") == "57% (8 of 10)"
    assert (
        tables.neighbours_cell(
            row.assign(n_neighbours=10)
            if hasattr(row, "assign")
            else pd.Series({**row, "n_neighbours": 10}),
            "percent",
        )
        == "57%"
    )
    none = pd.Series(
        {"england": np.nan, "region": np.nan, "neighbours": np.nan, "comparator_year": 2025}
    )
    assert tables.comparator_year_cell(none) == "x"


def _report(judged: pd.DataFrame, mode: str) -> ReportData:
    params = ReportParams.from_notebook(
        council_name="Ouzel Vale",
        la_code="E06000042",
        period_end="2026-09-30",
        data_dir=".",
        mode=mode,
    )
    return ReportData(
        params=params,
        results=judged,
        judged=judged,
        findings=empty_findings(),
        period_ends=report_period_ends("2026-09-30"),
    )


def test_results_csv_holds_what_the_html_shows(judged: pd.DataFrame) -> None:
    for mode in ("internal", "public"):
        report = _report(judged, mode)
        out = blocks.results_export(report)
        pe = pd.to_datetime(out["period_end"])
        # health is annual: the HTML shows 31 March only, so the CSV has no in-year figure
        health = out[out["indicator_id"] == "health_assessment"]
        assert (
            len(health)
            and ((pe[health.index].dt.month == 3) & (pe[health.index].dt.day == 31)).all()
        )
    public = blocks.results_export(_report(judged, "public"))
    pe = pd.to_datetime(public["period_end"])
    shown = set(_report(judged, "public").table_quarters)
    assert set(pe) <= shown
    breakdown = public[public["breakdown"].fillna("") != ""]
    at_profile = pd.to_datetime(breakdown["period_end"]).isin([PE, pd.Timestamp("2025-09-30")])
    by_quarter = breakdown["indicator_id"].eq("cla_by_distance_band")
    assert len(breakdown) and (at_profile | by_quarter).all()
    # the internal CSV keeps every quarter computed
    internal = blocks.results_export(_report(judged, "internal"))
    assert len(set(pd.to_datetime(internal["period_end"]))) > len(shown)
