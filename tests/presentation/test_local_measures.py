"""A council's local measures flow through judgement, targets and the scorecard like
computed ones (demo data + a hand-made local measures CSV and targets file)."""

from __future__ import annotations

from pathlib import Path

import pytest

from cppanalytics.pipeline import build_report_data
from cppanalytics.presentation import blocks

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture()
def local_files(tmp_path: Path) -> tuple[Path, Path]:
    measures = tmp_path / "local.csv"
    # return interviews completed after missing incidents: 45 of 50 this quarter (90%),
    # 30 of 40 a year earlier (75%)
    measures.write_text(
        "indicator_id,period_end,numerator,denominator,value,unit\n"
        "return_interviews_completed,2025-09-30,30,40,75,percent\n"
        "return_interviews_completed,2026-09-30,45,50,90,percent\n"
    )
    targets = tmp_path / "targets.yaml"
    targets.write_text(
        "targets:\n  return_interviews_completed: {target: 95, tolerance: 3, polarity: up}\n"
    )
    return measures, targets


def test_local_measure_is_judged_and_shown(local_files: tuple[Path, Path], demo_data: Path):
    measures, targets = local_files
    report = build_report_data(
        council_name="Ouzel Vale Council (synthetic)",
        la_code="E06000042",
        period_end="2026-09-30",
        data_dir=str(demo_data),
        targets_file=str(targets),
        local_measures_file=str(measures),
        mode="internal",
        synthetic=True,
    )
    row = report.judged[
        (report.judged["indicator_id"] == "return_interviews_completed")
        & (report.judged["period_end"] == "2026-09-30")
    ].iloc[0]
    # 90% against 95% with tolerance 3: more than 3 points short -> red; a year ago 75%
    assert row["value"] == 90.0 and row["rag"] == "red"
    assert row["same_quarter_last_year"] == 75.0 and row["direction_year"] == "improving"
    html = blocks.local_measures_section(report).data
    assert "90%" in html and "Red" in html
