"""Open a produced HTML report in headless Chromium: no console errors, images load,
no network requests, no horizontal overflow on A4, prints to PDF; save a screenshot."""

from __future__ import annotations

from pathlib import Path

import pytest

from cppanalytics.reporting.report import run_report

from .chromium import assert_clean, chromium_or_skip, inspect_report, open_browser

pytestmark = pytest.mark.slow


def test_fixture_report_in_chromium(project: Path, write_params, tmp_path: Path):
    chromium_or_skip()
    result = run_report(write_params())
    with open_browser(tmp_path / "profile") as client:
        seen = inspect_report(client, result.html, tmp_path)
    assert_clean(seen)
    assert seen["title"].startswith("Ouzel Vale Council (synthetic)")
    assert (tmp_path / "report.png").stat().st_size > 1000


def test_browser_check_catches_a_table_wider_than_a4(tmp_path: Path):
    chromium_or_skip()
    page = tmp_path / "wide.html"
    page.write_text(
        '<html><head><title>w</title></head><body><div style="overflow-x:auto">'
        '<table style="min-width:1200px"><tr><td>wide</td></tr></table></div></body></html>'
    )
    with open_browser(tmp_path / "profile") as client:
        seen = inspect_report(client, page, tmp_path)
    assert seen["overflow"] <= 0  # the page itself does not scroll ...
    assert seen["too_wide"] and seen["too_wide"][0].startswith("TABLE")  # ... but is cut off
