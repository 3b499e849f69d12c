"""The annual report's own sections: the population at 31 March in words and five years of
outcomes (its other sections are the quarterly report's, :mod:`.quarterly`).

Examples
--------
>>> ANNUAL_IDS[0]
'cla_count'
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

import pandas as pd

from cppanalytics.indicators import catalogue
from cppanalytics.presentation import charts, html_tables, tables, text
from cppanalytics.presentation.formatting import (
    as_number,
    format_date,
    format_value,
    legend_text,
)
from cppanalytics.presentation.labels import group_label, indicator_label

if TYPE_CHECKING:  # pragma: no cover
    from cppanalytics.pipeline import ReportData
from cppanalytics.presentation.blocks import (
    DFE_SOURCE,
    display,
    paragraph,
    row_at,
)
from cppanalytics.presentation.quarterly import PROFILE_IDS

# --------------------------------------------------------------------------- annual report


ANNUAL_IDS = tuple(catalogue.ids(annual=True))


def annual_profile(report: ReportData) -> object:
    """The population at 31 March in words, as panels' annual reports give it: "213 (76%)
    were in foster placements" for each group of placement type, legal status, ethnicity,
    sex and age, and the number of unaccompanied asylum-seeking children."""
    pe = report.params.period_end
    total = row_at(report, "cla_count")
    lead = (
        f"On {format_date(pe)} {format_value(shown_value(total), 'count')} children were in "
        f"the council's care."
        if total
        else ""
    )
    parts = [paragraph(lead)]
    for iid in PROFILE_IDS:
        sel = report.judged[
            report.judged["indicator_id"].eq(iid)
            & pd.to_datetime(report.judged["period_end"]).eq(pe)
        ]
        if sel.empty:
            continue
        ind = catalogue.get(iid)
        order = {g: i for i, g in enumerate(catalogue.BREAKDOWN_GROUPS.get(ind.breakdown, []))}
        sel = sel.assign(_o=sel["group"].map(order)).sort_values("_o")
        items = [
            f"<li>{html.escape(group_label(ind.breakdown, r['group']))}: "
            f"{html.escape(format_value(tables.shown(r, 'numerator'), 'count'))} "
            f"({html.escape(format_value(tables.shown(r, 'value'), 'percent'))})</li>"
            for _, r in sel.iterrows()
            if tables.is_suppressed(r) or as_number(r["numerator"]) > 0
        ]
        parts.append(f"<p>{html.escape(indicator_label(iid))}:</p><ul>{''.join(items)}</ul>")
    uasc = row_at(report, "cla_uasc")
    if uasc:
        parts.append(paragraph(text.indicator_sentence(uasc)))
    return display(*parts)


def shown_value(row: dict[str, object] | None) -> object:
    """A row's value as it may be shown (``c`` when suppressed)."""
    return tables.shown(row, "value") if row else None


def annual_outcomes(report: ReportData) -> object:
    """Key indicators at each 31 March of the last five years, with England at the latest
    year, and the rate per 10,000 against England over time."""
    marches = report.march_ends
    table = tables.indicator_by_quarter(report.judged, list(ANNUAL_IDS), marches)
    latest = marches[-1] if marches else report.params.period_end
    england = []
    for iid in ANNUAL_IDS:
        r = row_at(report, iid, latest)
        unit = str(r.get("unit")) if r else "count"
        england.append(format_value(r.get("england") if r else None, unit))
    table["England (latest year)"] = (
        england[: len(table)]
        if len(table) == len(ANNUAL_IDS)
        else [format_value(None, "count")] * len(table)
    )
    parts = [
        html_tables.html_table(table, "Outcomes at 31 March, last five years", notes=legend_text())
    ]
    rate = pd.Series(
        {d: as_number(shown_value(row_at(report, "cla_rate_per_10k", d))) for d in marches},
        dtype="float64",
    )
    eng = pd.Series(
        {
            d: as_number((row_at(report, "cla_rate_per_10k", d) or {}).get("england"))
            for d in marches
        },
        dtype="float64",
    )
    if rate.notna().sum():
        chart = charts.trend_chart(
            rate,
            label="Children in care per 10,000",
            unit="rate_per_10k",
            since="last year",
            comparators={"England": eng} if eng.notna().any() else None,
            council=report.params.council_name,
            source=DFE_SOURCE,
        )
        parts.append(charts.figure_html(chart))
    return display(*parts)
