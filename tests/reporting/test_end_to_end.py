"""The real notebooks on the demo data, through the command line (slow)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from cppanalytics.reporting.html import MAX_HTML_BYTES, audit_html
from cppanalytics.reporting.report import run_report

from .chromium import assert_clean, inspect_report, open_browser, shutil_which_chromium
from .conftest import Command

pytestmark = pytest.mark.slow  # on one pytest-xdist worker with its sharer (tests/conftest.py)

ROOT = Path(__file__).resolve().parents[2]
COUNCIL = "ouzel-vale-council-synthetic"


@pytest.fixture(scope="module")
def demo(demo_root: Path) -> Path:
    return ROOT


@pytest.fixture(scope="module")
def out(demo_root: Path) -> Path:
    return demo_root


def _check_folder(folder: Path, name: str) -> str:
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [f"{name}.html", f"{name}.ipynb", "results.csv", "scorecard.xlsx", "manifest.json"]
    )
    page = (folder / f"{name}.html").read_text(encoding="utf-8")
    assert len(page.encode()) < MAX_HTML_BYTES
    assert audit_html(page) == []
    assert "<script" not in page
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["warnings"] == []
    assert any(p.endswith("episodes.csv") for p in manifest["inputs"]["data_dir"])
    book = load_workbook(folder / "scorecard.xlsx")
    assert book.sheetnames == ["Cover", "Contents", "Notes", "Scorecard"]
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row]
    assert not [c for c in cells if c.data_type == "f"]  # no formula anywhere
    assert not any(ws.merged_cells.ranges for ws in book.worksheets)
    numbers = [
        c
        for c in book["Scorecard"].iter_rows()
        for c in c
        if c.data_type == "n" and c.value is not None
    ]
    assert len(numbers) > 100 and all(c.number_format != "General" for c in numbers)
    return page


def test_quarterly_report_via_cli(demo_run: Command, out: Path):
    # `cppanalytics run params/synthetic_2026-09-30.yaml` (tests/reporting/conftest.py; the
    # batch of the eight demo quarters then finds this report complete and keeps it)
    assert demo_run.status == 0, demo_run.err
    assert "report written:" in demo_run.out
    folder = out / COUNCIL / "2026-09-30" / "quarterly_report"
    page = _check_folder(folder, "quarterly_report")
    assert "Ouzel Vale Council (synthetic)" in page
    results = pd.read_csv(folder / "results.csv")
    assert {"indicator_id", "period_end", "value"} <= set(results.columns)
    assert (results["period_end"] == "2026-09-30").any()


def test_quarterly_report_in_chromium(demo_run: Command, out: Path, tmp_path: Path):
    assert demo_run.status == 0, demo_run.err
    html = out / COUNCIL / "2026-09-30" / "quarterly_report" / "quarterly_report.html"
    if not shutil_which_chromium():
        pytest.skip("chromium is not installed (apt-get install -y chromium)")
    with open_browser(tmp_path / "profile") as client:
        seen = inspect_report(client, html, tmp_path)
    assert_clean(seen)


def _identifiers(data_dir: Path) -> tuple[set[str], set[str]]:
    """CHILD ids and UPN/postcode strings of the demo data."""
    children: set[str] = set()
    other: set[str] = set()
    for path in data_dir.glob("*/header.csv"):
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        children |= set(frame["CHILD"])
        other |= {u for u in frame["UPN"] if len(u) > 5}
    for path in data_dir.glob("*/episodes.csv"):
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        other |= {p for p in pd.concat([frame["HOME_POST"], frame["PL_POST"]]) if len(p) > 4}
    return children, other


def test_public_report_has_no_identifiers(demo: Path, out: Path, demo_public):
    # run_report(params/synthetic_public_2026-09-30.yaml) (tests/reporting/conftest.py)
    result = demo_public
    assert result.folder == out / COUNCIL / "2026-09-30" / "quarterly_report_public"
    page = _check_folder(result.folder, "quarterly_report_public")
    text = re.sub(r"data:image/[a-z+]+;base64,[A-Za-z0-9+/=]+", "", page)
    children, other = _identifiers(demo / "data" / "synthetic")
    tokens = set(re.findall(r"\b\d{5,}\b", text))
    assert not tokens & children
    assert not [s for s in other if s in text]
    results = (result.folder / "results.csv").read_text()
    assert not [s for s in other if s in results]
    # the public notebook and manifest name no folder of this machine
    for name in ("quarterly_report_public.ipynb", "manifest.json"):
        published = (result.folder / name).read_text()
        for folder in (ROOT, out, Path.home()):
            assert str(folder) not in published, (name, folder)
    manifest = json.loads((result.folder / "manifest.json").read_text())
    assert manifest["parameters"]["data_dir"] == "data/synthetic"


def test_annual_report(demo: Path, out: Path):
    if not (demo / "notebooks" / "annual_report.ipynb").exists():
        pytest.skip("notebooks/annual_report.ipynb absent")
    result = run_report(demo / "params" / "synthetic_annual_2026-03-31.yaml", output_root=out)
    _check_folder(result.folder, "annual_report")
    # the quarterly and annual reports for the same 31 March sit side by side
    assert result.folder.parent == out / COUNCIL / "2026-03-31"
