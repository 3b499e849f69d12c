"""The internal version is marked on every printed page, in the CSV and in the spreadsheet."""

from __future__ import annotations

import re

import nbformat
import pandas as pd
from openpyxl import load_workbook

from cppanalytics.reporting.html import notebook_to_html, report_css
from cppanalytics.reporting.outputs import INTERNAL_MARK, export_tables


def _nb() -> nbformat.NotebookNode:
    return nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("## Children")])


def test_internal_html_is_marked_top_and_bottom_of_every_printed_page() -> None:
    page = notebook_to_html(_nb(), title="T", internal=True)
    # the on-screen banner, and the top and bottom margin boxes of every printed page
    assert page.count(INTERNAL_MARK) == 3
    assert 'class="cpp-internal-mark cpp-internal-mark-top"' in page
    style = re.search(r'<style id="cpp-internal-print">(.*?)</style>', page, re.S)
    assert style is not None and page.index(style.group(0)) < page.index("</head>")
    assert re.search(r'@top-center \{ content: "INTERNAL: not for publication"', style.group(1))
    assert re.search(r'@bottom-center \{ content: "INTERNAL: not for publication"', style.group(1))
    # no fixed line over the content (it hid the table header repeated on each page)
    printed = report_css()[report_css().index("@media print") :]
    assert "position: fixed" not in printed
    assert INTERNAL_MARK not in notebook_to_html(_nb(), title="T")
    # the real PDF is checked page by page in test_pdf_marking.py (slow)


def test_internal_csv_and_spreadsheet_are_marked(tmp_path) -> None:
    results = pd.DataFrame({"indicator_id": ["cla_count"], "value": [412.0]})
    card = pd.DataFrame({"Indicator": ["Children in care"], "This quarter": ["412"]})
    export_tables(
        tmp_path / "i", results=results, scorecard=card, title="Scorecard", mode="internal"
    )
    csv = pd.read_csv(tmp_path / "i" / "results.csv")
    assert list(csv.columns[:2]) == ["version", "indicator_id"]
    assert (csv["version"] == INTERNAL_MARK).all()
    book = load_workbook(tmp_path / "i" / "scorecard.xlsx")
    cells = [
        str(c.value)
        for ws in book.worksheets
        for row in ws.iter_rows()
        for c in row
        if c.value is not None
    ]
    assert sum(INTERNAL_MARK in c for c in cells) >= 1
    export_tables(tmp_path / "p", results=results, scorecard=card, title="Scorecard", mode="public")
    assert "version" not in pd.read_csv(tmp_path / "p" / "results.csv").columns
    book = load_workbook(tmp_path / "p" / "scorecard.xlsx")
    assert not any(
        INTERNAL_MARK in str(c.value)
        for ws in book.worksheets
        for row in ws.iter_rows()
        for c in row
    )
