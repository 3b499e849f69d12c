"""Blocks every report notebook shares: the display helpers, the title, the scorecard,
local measures, data quality, definitions and the exported tables.

Every function takes the :class:`~cppanalytics.pipeline.ReportData` built by
:func:`~cppanalytics.pipeline.build_report_data` and returns an ``IPython.display.HTML``
holding generated sentences, accessible tables and charts (PNG with alt text), or a table
for export. Public mode reads only the disclosure-controlled ``judged`` table and shows no
child-level rows; counts of 1 to 5 in tables built from children are shown as ``c``.
The sections of each notebook are in :mod:`.quarterly`, :mod:`.annual`,
:mod:`.data_quality` and :mod:`.explorer`.

Examples
--------
>>> type(stylesheet_html()).__name__
'HTML'
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from cppanalytics import dates
from cppanalytics.errors import CppError
from cppanalytics.geography.councils import resolve
from cppanalytics.indicators import catalogue
from cppanalytics.presentation import html_tables, scorecard, tables, text
from cppanalytics.presentation.formatting import (
    SUPPRESSED,
    as_number,
    format_date,
    format_number,
    format_value,
    is_symbol,
    legend_text,
    rounding_note,
)
from cppanalytics.presentation.style import stylesheet

if TYPE_CHECKING:  # pragma: no cover
    from cppanalytics.pipeline import ReportData

LOCAL_SOURCE = "Source: council SSDA903 extract; local figures, unvalidated by DfE"
DFE_SOURCE = "Source: council SSDA903 extract; England, region and neighbours: DfE"


def council_label(code: str) -> str:
    """The council's name for a code (``"E06000042"`` → ``"Milton Keynes"``), else the code.

    Examples
    --------
    >>> council_label("E06000042")
    'Milton Keynes'
    """
    try:
        return resolve(code).name
    except (CppError, KeyError, ValueError):
        return code


def display(*parts: str) -> object:
    """HTML parts as one ``IPython.display.HTML`` in the report's ``cpp`` container."""
    from IPython.display import HTML

    return HTML('<div class="cpp">' + "".join(p for p in parts if p) + "</div>")


def paragraph(sentence: str, cls: str = "") -> str:
    """A sentence as an escaped ``<p>`` (``""`` for no sentence).

    Examples
    --------
    >>> paragraph("A & B", "cpp-note")
    '<p class="cpp-note">A &amp; B</p>'
    """
    c = f' class="{cls}"' if cls else ""
    return f"<p{c}>{html.escape(sentence)}</p>" if sentence else ""


def source_line(report: ReportData) -> str:
    """The chart source line: local figures in-year, DfE's comparators at 31 March."""
    return LOCAL_SOURCE if report.params.in_year else DFE_SOURCE


def _headline(report: ReportData) -> pd.DataFrame:
    key = "headline"
    if key not in report.extras:
        frame = report.judged
        frame = frame[frame["breakdown"].fillna("").astype(str).eq("")]
        frame = tables.add_window_kind(frame)
        frame["period_end"] = pd.to_datetime(frame["period_end"])
        report.extras[key] = frame
    return report.extras[key]  # type: ignore[return-value]


def _headline_positions(report: ReportData) -> dict[tuple[str, pd.Timestamp], np.ndarray]:
    """Where each (indicator, period end) sits in :func:`_headline`, in the table's order
    (worked out once per report: the sections look up about 50 rows)."""
    key = "headline:positions"
    if key not in report.extras:
        frame = _headline(report)
        report.extras[key] = frame.groupby(["indicator_id", "period_end"], sort=False).indices
    return report.extras[key]  # type: ignore[return-value]


def row_at(
    report: ReportData, indicator_id: str, period_end: object = None, kind: str | None = None
) -> dict[str, object] | None:
    """The judged headline row of one indicator at a date, as a dict.

    Parameters
    ----------
    report
        the report's data.
    indicator_id
        the indicator.
    period_end
        the date (default: the report's period end).
    kind
        the window kind wanted (default: any; at 31 March ``fytd`` and ``r12`` are one).

    Returns
    -------
    dict or None
        the row, or None when there is none.
    """
    d = report.params.period_end if period_end is None else dates.as_date(period_end)  # type: ignore[arg-type]
    frame = _headline(report)
    sel = frame.iloc[_headline_positions(report).get((indicator_id, d), [])]
    if kind is not None and kind in set(sel["window_kind"]):
        sel = sel[sel["window_kind"].eq(kind)]
    elif kind is not None and len(dates.same_window_kinds(kind, d)) > 1:
        pass  # the year to date is the rolling year at 31 March
    elif kind is not None:
        return None
    return sel.iloc[-1].to_dict() if len(sel) else None


def series_of(
    report: ReportData, indicator_id: str, kind: str | None = None, column: str = "value"
) -> pd.Series:
    """Values of one headline indicator by period end (quarter ends of the report).

    Parameters
    ----------
    report
        the report's data.
    indicator_id
        the indicator.
    kind
        the window kind (default: any).
    column
        the judged column to take (default ``value``).

    Returns
    -------
    pandas.Series
        figures indexed by period end, oldest first.
    """
    frame = _headline(report)
    sel = frame[frame["indicator_id"].eq(indicator_id)]
    if kind is not None:
        same = [dates.same_window_kinds(kind, d) for d in sel["period_end"]]
        sel = sel[[k in kinds for k, kinds in zip(sel["window_kind"], same, strict=True)]]
    sel = sel[sel["period_end"].isin(report.quarter_ends)]
    sel = sel.drop_duplicates("period_end", keep="first").set_index("period_end").sort_index()
    return pd.to_numeric(sel[column], errors="coerce") if len(sel) else pd.Series(dtype=float)


def small_count(value: object, public: bool) -> str:
    """A count for a table built from children: ``c`` for 1–5 in public mode."""
    v = as_number(value)
    if public and not math.isnan(v) and 1 <= v <= 5:
        return SUPPRESSED
    return format_number(value)  # type: ignore[arg-type]


def pct_of(num: object, den: object, public: bool) -> str:
    """A percentage of two counts for a table built from children (``c`` when the numerator
    is 1-5 in public mode, ``x`` without a denominator).

    Examples
    --------
    >>> pct_of(3, 40, True), pct_of(10, 40, True), pct_of(1, 0, False)
    ('c', '25%', 'x')
    """
    n, d = as_number(num), as_number(den)
    if public and not math.isnan(n) and 1 <= n <= 5:
        return SUPPRESSED
    if math.isnan(n) or math.isnan(d) or d == 0:
        return "x"
    return format_value(n / d * 100, "percent")


def sentences(report: ReportData, ids: Sequence[tuple[str, str | None]]) -> str:
    """A bulleted list of one sentence per (indicator, window kind) with a figure."""
    out = []
    for iid, kind in ids:
        r = row_at(report, iid, kind=kind)
        if (
            r is not None
            and not math.isnan(as_number(r.get("value")))
            or (r is not None and is_symbol(r.get("value")))
        ):
            out.append(f"<li>{html.escape(text.indicator_sentence(r, with_comparators=True))}</li>")
    return f'<ul class="cpp-findings">{"".join(out)}</ul>' if out else ""


# --------------------------------------------------------------------------- 0 style


def stylesheet_html() -> object:
    """The house stylesheet as a display object (for interactive use in JupyterLab)."""
    from IPython.display import HTML

    return HTML(f"<style>{stylesheet()}</style>")


# --------------------------------------------------------------------------- 1 title


def title_block(report: ReportData, *, kind: str = "quarterly") -> object:
    """Council, period, extract date, currency and (demo data) the synthetic-data banner."""
    p = report.params
    what = {
        "quarterly": "quarter ending",
        "annual": "year ending",
        "data_quality": "data up to",
        "explorer": "data up to",
    }.get(kind, "period ending")
    parts = [
        f"<p><strong>{html.escape(p.council_name)}</strong> — {what} "
        f"{html.escape(format_date(p.period_end))}</p>"
    ]
    extract = report.extract_date
    if extract is not None and not pd.isna(extract):
        parts.append(paragraph(f"Data extract date: {format_date(extract)}."))
    if p.in_year:
        parts.append(
            '<p class="cpp-currency">Local figures, unvalidated by DfE: in-year '
            "figures are the council's own replication of DfE's methods and can change "
            "when the year's return is finalised. Only 31 March figures are comparable "
            "with DfE's published statistics.</p>"
        )
    else:
        parts.append(
            '<p class="cpp-currency">Figures at 31 March, on DfE\'s definitions; '
            "they may differ slightly from the figures DfE publishes for the year.</p>"
        )
    if p.synthetic:
        anchor = council_label(p.la_code)
        parts.append(
            '<p class="cpp-banner">Synthetic data: this report is built from a '
            "made-up council's records for demonstration. The comparators are those of "
            f"the council it is anchored on, {html.escape(anchor)} "
            f"({html.escape(p.la_code)}), and labelled as such. No real child's "
            "data is shown.</p>"
        )
    if p.public:
        parts.append(
            paragraph(
                "Published version: small numbers are suppressed (shown as c) and no "
                "information identifying a child is included.",
                "cpp-note",
            )
        )
    else:
        parts.append(paragraph("Internal version: not for publication.", "cpp-note"))
    return display(*parts)


# --------------------------------------------------------------------------- 3 scorecard


def scorecard_frame(report: ReportData) -> pd.DataFrame:
    """The scorecard table (display strings; helper ``_`` columns kept)."""
    if "scorecard" not in report.extras:
        report.extras["scorecard"] = scorecard.scorecard(report.judged, report.params.period_end)
    return report.extras["scorecard"]  # type: ignore[return-value]


def scorecard_export(report: ReportData) -> pd.DataFrame:
    """The scorecard as published in ``scorecard.xlsx`` (no helper columns, no images)."""
    return tables.visible(scorecard_frame(report)).reset_index(drop=True)


def scorecard_section(report: ReportData) -> object:
    """The scorecard, one row per headline indicator, with the legend."""
    pe = format_date(report.params.period_end)
    notes = (
        f"This quarter = {pe}. Health figures are annual (31 March) so the quarter "
        "columns show z in-year. RAG is against the council's target; direction of "
        f"travel compares with the same quarter last year (or the previous 31 March). "
        f"{legend_text()}."
    )
    return display(
        html_tables.scorecard_html(scorecard_frame(report), f"Scorecard at {pe}", notes=notes)
    )


# --------------------------------------------------------------------------- 11 local


def local_ids(report: ReportData) -> list[str]:
    """The report's local measures: ids in the judged table that the catalogue does not
    compute."""
    ids = report.judged["indicator_id"].astype(str)
    return list(dict.fromkeys(i for i in ids if i not in catalogue.CATALOGUE))


def local_measures_section(report: ReportData) -> object:
    """The council's local measures with the scorecard's treatment."""
    ids = local_ids(report)
    if not ids:
        return display(
            paragraph(
                "No local measures were supplied for this report (parameter local_measures_file)."
            )
        )
    pe = report.params.period_end
    card = scorecard.scorecard(report.judged, pe, rows=[(i, "point") for i in ids])
    if card.empty:
        card = scorecard.scorecard(
            report.judged, pe, rows=[(i, k) for i in ids for k in ("fytd", "r12", "q")]
        )
    if card.empty:  # windows of their own (``days:N``)
        own = report.judged[report.judged["indicator_id"].isin(ids)]
        card = scorecard.scorecard(
            report.judged,
            pe,
            rows=list(dict.fromkeys(zip(own["indicator_id"], own["window"], strict=True))),
        )
    return display(
        html_tables.scorecard_html(
            card, "Local measures", notes="Supplied by the council. " + legend_text()
        )
    )


# --------------------------------------------------------------------------- 12 data quality


def data_quality_section(report: ReportData) -> object:
    """What the loader rejected or repaired, unknown codes, missing postcodes, cohort
    children with no OC2/OC3 record: children affected and indicators touched."""
    summary = tables.data_quality_summary(report.shown_findings())
    if summary.empty:
        return display(paragraph("No data-quality issues were found."))
    if report.params.public:
        summary["Findings"] = [small_count(v.replace(",", ""), True) for v in summary["Findings"]]
        summary["Children affected"] = [
            small_count(v.replace(",", ""), True) for v in summary["Children affected"]
        ]
    counts = report.findings["severity"].value_counts()
    lead = (
        f"{format_number(len(report.findings))} findings: "
        f"{format_number(counts.get('error', 0))} errors, "
        f"{format_number(counts.get('warning', 0))} warnings and "
        f"{format_number(counts.get('info', 0))} for information."
    )
    return display(
        paragraph(lead),
        html_tables.html_table(
            summary, "Data quality: issues found in the 903 extract", notes=legend_text()
        ),
    )


# --------------------------------------------------------------------------- 13 definitions


def definitions_section(report: ReportData) -> object:
    """Definitions, cohorts, polarity and comparator sources; rounding and suppression."""
    judged_ids = set(report.judged["indicator_id"])
    ids = [i for i in catalogue.ids() if i in judged_ids]
    ids += local_ids(report)
    table = tables.definitions_table(
        ids, judged=report.judged, neighbour_summary=report.params.neighbour_summary
    )
    notes = [
        rounding_note(),
        "Disclosure control (published versions): counts of 1 to 5, and percentages built "
        "on them, are shown as c, with further figures suppressed where they would let a "
        "suppressed one be worked out.",
        "Where a percentage rests on fewer than 20 children the report gives a 95% "
        "confidence interval and says when a difference is not statistically significant.",
        legend_text() + ".",
    ]
    return display(
        html_tables.html_table(table, "Definitions"), *[paragraph(n, "cpp-note") for n in notes]
    )


# --------------------------------------------------------------------------- exports


#: breakdowns the quarterly report shows for every table quarter (the others: at the
#: period end and a year before, in the profile tables)
BY_QUARTER_BREAKDOWNS: frozenset[str] = frozenset({"cla_by_distance_band"})


def results_export(report: ReportData) -> pd.DataFrame:
    """The judged results for ``results.csv``: the figures the report shows, as it shows
    them.

    Annual measures (health) appear at 31 March only: the report shows the latest
    31 March in-year (``z`` in the quarter columns), so an in-year figure in the CSV would
    differ from the HTML's. In public mode (disclosure-controlled) only the quarters the
    HTML's tables show, and breakdowns only where the HTML shows them (at the period end
    and a year before; distance bands by quarter): the CSV holds no table the HTML does
    not, so it cannot be differenced against figures the report never checked.

    Parameters
    ----------
    report
        the report's data.

    Returns
    -------
    pandas.DataFrame
    """
    judged = report.judged.reset_index(drop=True)
    pe = pd.to_datetime(judged["period_end"])
    annual = judged["indicator_id"].map(tables.section_of).isin(scorecard.ANNUAL_SECTIONS)
    keep = ~(annual & ~((pe.dt.month == 3) & (pe.dt.day == 31)))
    if report.params.public:
        keep &= pe.isin(report.table_quarters)
        d = report.params.period_end
        breakdown = judged["breakdown"].fillna("").astype(str) != ""
        profile_date = pe.isin([d, dates.minus_years(d, 1)])
        keep &= ~breakdown | profile_date | judged["indicator_id"].isin(BY_QUARTER_BREAKDOWNS)
    return judged[keep.to_numpy()].reset_index(drop=True)


def internal_only(report: ReportData, what: str) -> None:
    """Refuse a child-level view in public mode (a plain :class:`CppError`)."""
    if report.params.public:
        raise CppError(
            f"the {what} shows child-level rows and is for internal use only; "
            'run it with mode = "internal".'
        )
