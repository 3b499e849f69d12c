"""A public report's drill-down tables print ``c`` exactly where disclosure control chose,
record what they printed, and the check before publication attacks that record."""

from __future__ import annotations

import pandas as pd
import pytest

from cppanalytics.errors import CppError
from cppanalytics.findings import empty_findings
from cppanalytics.judgement.disclosure import suppress_results
from cppanalytics.judgement.public_tables import (
    THREE_PLUS,
    TRACKING,
    YEAREND_RANGE,
    check_publication,
    protect_report,
)
from cppanalytics.pipeline import ReportData, ReportParams, report_period_ends
from cppanalytics.presentation import quarterly
from cppanalytics.reporting.publication import DisclosureError

D = pd.Timestamp("2026-09-30")


def _report(judged: pd.DataFrame, mode: str = "public") -> ReportData:
    params = ReportParams.from_notebook(
        council_name="Ouzel Vale",
        la_code="E06000042",
        period_end="2026-09-30",
        data_dir=".",
        mode=mode,
    )
    # the true figures as the pipeline keeps them: before judging (no earlier-period columns)
    printings = ["previous_quarter", "same_quarter_last_year", "last_march"]
    truth = judged.drop(columns=printings, errors="ignore").reset_index(drop=True)
    frame = suppress_results(truth, "public") if params.public else truth
    report = ReportData(
        params=params,
        results=frame,
        judged=frame,
        findings=empty_findings(),
        period_ends=report_period_ends("2026-09-30"),
        # 34 children with 3+ placements since 1 April (the conftest's results figure)
        three_plus=pd.DataFrame(
            {
                "breakdown": ["age_band"] * 5 + ["entered_care"] * 3 + ["total"],
                "group": [
                    *("under 1", "1-4", "5-9", "10-15", "16+"),
                    *("since_1_april", "last_financial_year", "longer", "total"),
                ],
                "children": [2, 0, 7, 10, 15, 9, 4, 21, 34],
            }
        ),
        tracking=pd.DataFrame(
            {
                "period_end": [D],
                "year_end": [pd.Timestamp("2027-03-31")],
                "cohort_start": [108],
                "stable_start": [78],
                "left_care_stable": [3],
                "moved_stable": [10],
                "current_numerator": [54],
                "current_denominator": [94],
                "best_numerator": [60],
                "best_denominator": [94],
            }
        ),
    )
    report.extras["yearend_range"] = pd.DataFrame(
        {
            "indicator_id": ["stability_3plus_placements"],
            "period_end": [D],
            "now_numerator": [34],
            "now_denominator": [280],
            "now_value": [34 / 280 * 100],
            "best_numerator": [34],
            "best_denominator": [280],
            "best_value": [34 / 280 * 100],
            "worst_numerator": [37],
            "worst_denominator": [280],
            "worst_value": [37 / 280 * 100],
            "assumption": ["a"],
        }
    )
    if params.public:
        report.extras["true_results"] = truth
        report.extras["results_hidden"] = frame["suppressed"].to_numpy(dtype=bool)
        protect_report(report)
    return report


def test_public_drill_downs_print_c_where_chosen_and_pass_the_check(judged: pd.DataFrame) -> None:
    report = _report(judged)
    hidden = report.extras["hidden_cells"]
    # the 2 under-1s and the 4 who entered care last year are hidden, with one more cell
    # in each breakdown (else 34 - 0 - 7 - 10 - 15 = 2); the 3 who left care too
    assert {
        ("age_band:under 1", "children"),
        ("entered_care:last_financial_year", "children"),
    } <= hidden[THREE_PLUS]
    assert len({c for c in hidden[THREE_PLUS] if c[1] == "children"}) >= 4
    assert ("2026-09-30", "left") in hidden[TRACKING]
    # worst (37) - now (34) = 3 children with 2 placements: one of the two is hidden
    assert hidden[YEAREND_RANGE]
    html = quarterly.stability_section(report).data
    frame = quarterly.three_plus_breakdown(report)
    printed = report.extras["printed"]
    assert set(printed) == {THREE_PLUS, TRACKING, YEAREND_RANGE}
    c_cells = {cell for cell, text in printed[THREE_PLUS].items() if text == "c"}
    assert c_cells == hidden[THREE_PLUS]
    assert frame.loc[0, "Children"] == "c" and frame.loc[0, "%"] == "c"
    assert "potentially stable of a cohort of 108" in html
    check_publication(report)  # what was printed passes


def test_a_drill_down_printed_past_the_check_is_refused(judged: pd.DataFrame) -> None:
    report = _report(judged)
    quarterly.stability_section(report)
    printed = report.extras["printed"][THREE_PLUS]
    printed[("age_band:under 1", "children")] = "2"  # printed anyway
    # its partner 5-9 then follows: 34 - 2 - 0 - 10 - 15 = 7
    with pytest.raises(
        DisclosureError, match="cell 7 at table 'who had 3\\+ placements', row '5-9'"
    ):
        check_publication(report)


def test_internal_reports_print_everything(judged: pd.DataFrame) -> None:
    report = _report(judged, mode="internal")
    frame = quarterly.three_plus_breakdown(report)
    assert frame.loc[0, "Children"] == "2"
    assert "printed" not in report.extras


def test_a_public_table_without_its_check_is_not_printed(judged: pd.DataFrame) -> None:
    report = _report(judged)
    del report.extras["hidden_cells"]
    with pytest.raises(CppError, match="no disclosure check"):
        quarterly.three_plus_breakdown(report)
