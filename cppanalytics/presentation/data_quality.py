"""The data-quality notebook's detail: every finding with the rows behind it (internal only);
its summary section is :func:`.blocks.data_quality_section`."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from cppanalytics.presentation import html_tables, tables

if TYPE_CHECKING:  # pragma: no cover
    from cppanalytics.pipeline import ReportData
from cppanalytics.presentation.blocks import (
    display,
    internal_only,
    paragraph,
)


def data_quality_details(report: ReportData, *, limit: int | None = None) -> object:
    """Every finding with the rows behind it, one table per issue (internal only)."""
    internal_only(report, "data-quality report")
    summary = tables.data_quality_summary(report.findings)
    parts = []
    for _, s in summary.iterrows():
        detail = tables.findings_detail(report.findings, s["_code"], limit=limit)
        parts.append(f"<h3>{html.escape(s['Issue'])} ({html.escape(s['_code'])})</h3>")
        parts.append(
            paragraph(
                f"{s['Findings']} findings, {s['Children affected']} children. "
                f"Action: {s['Action']}. What to do: {s['What to do']}. Indicators "
                f"touched: {s['Indicators touched']}."
            )
        )
        parts.append(html_tables.html_table(detail, f"Rows behind: {s['Issue']}"))
    if not parts:
        parts.append(paragraph("No findings."))
    return display(*parts)
