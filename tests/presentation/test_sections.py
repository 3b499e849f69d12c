"""Section display objects on the hand-made judged table (no 903 files needed)."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from cppanalytics.errors import CppError
from cppanalytics.findings import empty_findings
from cppanalytics.judgement.disclosure import assert_publishable, suppress_results
from cppanalytics.pipeline import ReportData, ReportParams, explore, report_period_ends
from cppanalytics.presentation import blocks, data_quality, quarterly


def _report(judged: pd.DataFrame, **kw: object) -> ReportData:
    params = ReportParams.from_notebook(
        council_name="Ouzel Vale", la_code="E06000042", period_end="2026-09-30", data_dir=".", **kw
    )
    frame = suppress_results(judged, "public") if params.public else judged
    return ReportData(
        params=params,
        results=frame,
        judged=frame,
        findings=empty_findings(),
        period_ends=report_period_ends("2026-09-30"),
    )


def test_title_block_banner_and_currency(judged: pd.DataFrame) -> None:
    html = blocks.title_block(_report(judged, synthetic=True)).data
    assert "Local figures, unvalidated by DfE" in html
    assert "Synthetic data" in html and "Internal version" in html
    html = blocks.title_block(_report(judged, synthetic=False, mode="public")).data
    assert "Synthetic data" not in html and "Published version" in html


def test_headline_tiles_changes_and_red(judged: pd.DataFrame) -> None:
    html = quarterly.headline_tiles(_report(judged)).data
    assert "280" in html and "+12 on last quarter (268)" in html
    assert "+12 on a year ago (268)" in html
    assert "3 or more placements (since 1 April): 12% against a target of 10% (rated red)" in html


@pytest.mark.parametrize(
    "name",
    [
        "scorecard_section",
        "children_in_care_section",
        "location_section",
        "health_section",
        "adoption_section",
        "missing_section",
        "local_measures_section",
        "data_quality_section",
        "definitions_section",
    ],
)
def test_sections_render_with_alt_text(judged: pd.DataFrame, name: str) -> None:
    module = blocks if hasattr(blocks, name) else quarterly
    html = getattr(module, name)(_report(judged)).data
    assert html.startswith('<div class="cpp">')
    for alt in re.findall(r'<img[^>]*alt="([^"]*)"', html):
        assert len(alt) > 20


def test_public_mode_hides_small_numbers_and_ids(judged: pd.DataFrame) -> None:
    report = _report(judged, mode="public")
    html = quarterly.children_in_care_section(report).data
    row = html.split("Under 1</th>")[1].split("</tr>")[0]
    assert '<td class="num">c</td>' in row and ">3<" not in row
    assert_publishable(html)
    card = blocks.scorecard_export(report)
    assert_publishable(card)


def test_internal_only_views_refuse_public_mode(judged: pd.DataFrame) -> None:
    report = _report(judged, mode="public")
    with pytest.raises(CppError, match="internal use only"):
        data_quality.data_quality_details(report)
    with pytest.raises(CppError, match="internal use only"):
        explore(report)


def test_bad_parameters_are_plain_errors() -> None:
    with pytest.raises(CppError, match="mode"):
        ReportParams.from_notebook(
            council_name="X", la_code="E", period_end="2026-09-30", data_dir=".", mode="secret"
        )
    with pytest.raises(CppError, match="period_end"):
        ReportParams.from_notebook(
            council_name="X", la_code="E", period_end="30/09/2026x", data_dir="."
        )
