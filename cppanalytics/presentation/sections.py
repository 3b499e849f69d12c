"""One call per report section, each returning a display object for the notebook.

Every function takes the :class:`~cppanalytics.presentation.report.ReportData` built by
:func:`~cppanalytics.presentation.report.build_report_data` and returns an
``IPython.display.HTML`` holding generated sentences, accessible tables and charts (PNG
with alt text). Public mode reads only the disclosure-controlled ``judged`` table and
shows no child-level rows; counts of 1 to 5 in the tables built here from children
(tracking, 3+ placement breakdown, data quality) are shown as ``c``.

Examples
--------
>>> type(stylesheet_html()).__name__
'HTML'
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from cppanalytics import dates
from cppanalytics.errors import CppError
from cppanalytics.geography.councils import resolve
from cppanalytics.indicators import catalogue
from cppanalytics.presentation import charts, tables, text
from cppanalytics.presentation.formatting import (
    NOT_APPLICABLE,
    SUPPRESSED,
    as_number,
    format_change,
    format_date,
    format_number,
    format_value,
    is_symbol,
    legend_text,
    rounding_note,
)
from cppanalytics.presentation.labels import group_label, indicator_label
from cppanalytics.presentation.report import ReportData, context, shown_findings
from cppanalytics.presentation.style import stylesheet

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

def _html(*parts: str) -> object:
    from IPython.display import HTML

    return HTML('<div class="cpp">' + "".join(p for p in parts if p) + "</div>")


def _p(sentence: str, cls: str = "") -> str:
    c = f' class="{cls}"' if cls else ""
    return f"<p{c}>{html.escape(sentence)}</p>" if sentence else ""


def _source(report: ReportData) -> str:
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


def row_at(report: ReportData, indicator_id: str, period_end: object = None,
           kind: str | None = None) -> dict[str, object] | None:
    """The judged headline row of one indicator at a date (default the report's), as a dict."""
    d = report.params.period_end if period_end is None else dates.as_date(period_end)  # type: ignore[arg-type]
    frame = _headline(report)
    sel = frame[frame["indicator_id"].eq(indicator_id) & frame["period_end"].eq(d)]
    if kind is not None and kind in set(sel["window_kind"]):
        sel = sel[sel["window_kind"].eq(kind)]
    elif kind is not None and (d.month, d.day) == (3, 31) and kind in ("fytd", "r12"):
        pass  # the year to date is the rolling year at 31 March
    elif kind is not None:
        return None
    return sel.iloc[-1].to_dict() if len(sel) else None


def series_of(report: ReportData, indicator_id: str, kind: str | None = None,
              column: str = "value") -> pd.Series:
    """Values of one headline indicator by period end (quarter ends of the report)."""
    frame = _headline(report)
    sel = frame[frame["indicator_id"].eq(indicator_id)]
    if kind is not None:
        march = sel["period_end"].dt.month.eq(3) & sel["period_end"].dt.day.eq(31)
        twin = {"fytd": "r12", "r12": "fytd"}.get(kind, kind)
        sel = sel[sel["window_kind"].eq(kind) | (march & sel["window_kind"].eq(twin))]
    sel = sel[sel["period_end"].isin(report.quarter_ends)]
    sel = sel.drop_duplicates("period_end", keep="first").set_index("period_end").sort_index()
    return pd.to_numeric(sel[column], errors="coerce") if len(sel) else pd.Series(dtype=float)


def _small(value: object, public: bool) -> str:
    """A count for a table built from children: ``c`` for 1–5 in public mode."""
    v = as_number(value)
    if public and not math.isnan(v) and 1 <= v <= 5:
        return SUPPRESSED
    return format_number(value)  # type: ignore[arg-type]


def _pct_of(num: object, den: object, public: bool) -> str:
    n, d = as_number(num), as_number(den)
    if public and not math.isnan(n) and 1 <= n <= 5:
        return SUPPRESSED
    if math.isnan(n) or math.isnan(d) or d == 0:
        return "x"
    return format_value(n / d * 100, "percent")


def _sentences(report: ReportData, ids: Sequence[tuple[str, str | None]]) -> str:
    out = []
    for iid, kind in ids:
        r = row_at(report, iid, kind=kind)
        if r is not None and not math.isnan(as_number(r.get("value"))) or (
            r is not None and is_symbol(r.get("value"))
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
    what = {"quarterly": "quarter ending", "annual": "year ending",
            "data_quality": "data up to", "explorer": "data up to"}.get(kind, "period ending")
    parts = [f"<p><strong>{html.escape(p.council_name)}</strong> — {what} "
             f"{html.escape(format_date(p.period_end))}</p>"]
    extract = getattr(report.data, "extract_date", None)
    extract = extract() if callable(extract) else extract
    if extract is not None and not pd.isna(extract):
        parts.append(_p(f"Data extract date: {format_date(extract)}."))
    if p.in_year:
        parts.append('<p class="cpp-currency">Local figures, unvalidated by DfE: in-year '
                     "figures are the council's own replication of DfE's methods and can change "
                     "when the year's return is finalised. Only 31 March figures are comparable "
                     "with DfE's published statistics.</p>")
    else:
        parts.append('<p class="cpp-currency">Figures at 31 March, on DfE\'s definitions; '
                     "they may differ slightly from the figures DfE publishes for the year.</p>")
    if p.synthetic:
        anchor = council_label(p.la_code)
        parts.append('<p class="cpp-banner">Synthetic data: this report is built from a '
                     "made-up council's records for demonstration. The comparators are those of "
                     f"the council it is anchored on, {html.escape(anchor)} "
                     f"({html.escape(p.la_code)}), and labelled as such. No real child's "
                     "data is shown.</p>")
    if p.public:
        parts.append(_p("Published version: small numbers are suppressed (shown as c) and no "
                        "information identifying a child is included.", "cpp-note"))
    else:
        parts.append(_p("Internal version: not for publication.", "cpp-note"))
    return _html(*parts)


# --------------------------------------------------------------------------- 2 tiles


def headline_tiles(report: ReportData) -> object:
    """Children in care and rate per 10,000 with change on last quarter and last year, and
    the indicators rated red."""
    pe = report.params.period_end
    tiles = []
    for iid in ("cla_count", "cla_rate_per_10k"):
        r = row_at(report, iid)
        if r is None:
            continue
        unit = str(r.get("unit"))
        prev_q = r.get("previous_quarter")
        prev_y = r.get("same_quarter_last_year")
        if prev_q is None or math.isnan(as_number(prev_q)):
            pr = row_at(report, iid, dates.minus_months(pe, 3))
            prev_q = pr.get("value") if pr else None
        if prev_y is None or math.isnan(as_number(prev_y)):
            py = row_at(report, iid, dates.minus_years(pe, 1))
            py_val = py.get("value") if py else None
            prev_y = py_val
        label = indicator_label(iid)
        tiles.append(
            '<div class="cpp-tile">'
            f"<div>{html.escape(label)}</div>"
            f'<div class="cpp-tile-value">{html.escape(format_value(r.get("value"), unit))}</div>'
            f"<div>{html.escape(_change_line(r.get('value'), prev_q, unit, 'last quarter'))}</div>"
            f"<div>{html.escape(_change_line(r.get('value'), prev_y, unit, 'a year ago'))}</div>"
            "</div>"
        )
    card = scorecard_frame(report)
    red = card[card["_rag_key"].eq("red")]
    if len(red):
        items = "".join(
            f"<li>{html.escape(r['Indicator'])}: {html.escape(r['This quarter'] if r['This quarter'] != NOT_APPLICABLE else r['Last 31 March'])}"
            f" against a target of {html.escape(r['Target'])} (rated red)</li>"
            for _, r in red.iterrows()
        )
        tiles.append('<div class="cpp-tile cpp-tile-red"><div>Rated red</div>'
                     f"<ul>{items}</ul></div>")
    else:
        tiles.append('<div class="cpp-tile"><div>Rated red</div>'
                     "<p>No indicator is rated red against its target.</p></div>")
    return _html(f'<div class="cpp-tiles">{"".join(tiles)}</div>')


def _change_line(current: object, previous: object, unit: str, since: str) -> str:
    """"+12 on last quarter (268)" for a tile; "x" parts when a figure is missing."""
    if math.isnan(as_number(current)) or math.isnan(as_number(previous)):
        return f"Change on {since}: x"
    change = format_change(as_number(current) - as_number(previous), unit)
    return f"{change} on {since} ({format_value(previous, unit)})"


# --------------------------------------------------------------------------- 3 scorecard


def scorecard_frame(report: ReportData) -> pd.DataFrame:
    """The scorecard table (display strings; helper ``_`` columns kept)."""
    if "scorecard" not in report.extras:
        report.extras["scorecard"] = tables.scorecard(report.judged, report.params.period_end)
    return report.extras["scorecard"]  # type: ignore[return-value]


def scorecard_export(report: ReportData) -> pd.DataFrame:
    """The scorecard as published in ``scorecard.xlsx`` (no helper columns, no images)."""
    return tables.visible(scorecard_frame(report)).reset_index(drop=True)


def scorecard_section(report: ReportData) -> object:
    """The scorecard, one row per headline indicator, with the legend."""
    pe = format_date(report.params.period_end)
    notes = (f"This quarter = {pe}. Health figures are annual (31 March) so the quarter "
             "columns show z in-year. RAG is against the council's target; direction of "
             f"travel compares with the same quarter last year (or the previous 31 March). "
             f"{legend_text()}.")
    return _html(tables.scorecard_html(scorecard_frame(report), f"Scorecard at {pe}",
                                       notes=notes))


# --------------------------------------------------------------------------- 4 children in care


PROFILE_IDS = ("cla_by_placement_group", "cla_by_legal_status", "cla_by_age_band",
               "cla_by_sex", "cla_by_ethnic_group")


def children_in_care_section(report: ReportData) -> object:
    """Count and rate by quarter, starters and leavers, and the profile at quarter end."""
    pe = report.params.period_end
    parts: list[str] = [_sentences(report, [("cla_count", None), ("cla_rate_per_10k", None),
                                            ("cla_started", None), ("cla_ceased", None),
                                            ("cla_uasc", None)])]
    count = series_of(report, "cla_count")
    if count.notna().sum():
        chart = charts.trend_chart(count, label="Children in care", unit="count",
                                   council=report.params.council_name, source=_source(report))
        parts.append(charts.figure_html(chart))
    parts.append(tables.html_table(
        tables.indicator_by_quarter(report.judged, ["cla_count", "cla_rate_per_10k",
                                                    "cla_started", "cla_ceased", "cla_uasc"],
                                    report.table_quarters),
        "Children in care, starting and leaving care by quarter (starters and leavers since "
        "1 April)", notes=legend_text()))
    prev = dates.minus_years(pe, 1)
    for iid in PROFILE_IDS:
        sel = report.judged[report.judged["indicator_id"].eq(iid)]
        if sel.empty:
            continue
        parts.append(tables.html_table(
            tables.profile_table(report.judged, iid, pe, prev),
            f"{indicator_label(iid)} at {format_date(pe)}, with the same date last year",
            notes=legend_text()))
        if iid == "cla_by_placement_group":
            cur = _profile_series(report, iid, pe)
            old = _profile_series(report, iid, prev)
            if cur.notna().any():
                chart = charts.profile_chart(cur, old if old.notna().any() else None,
                                             label="children in care",
                                             current_label=format_date(pe),
                                             previous_label=format_date(prev),
                                             source=_source(report))
                parts.append(charts.figure_html(chart))
    return _html(*parts)


def _profile_series(report: ReportData, iid: str, d: pd.Timestamp) -> pd.Series:
    ind = catalogue.get(iid)
    sel = report.judged[report.judged["indicator_id"].eq(iid)
                        & pd.to_datetime(report.judged["period_end"]).eq(d)]
    sel = sel.drop_duplicates("group", keep="last").set_index("group")
    order = catalogue.BREAKDOWN_GROUPS.get(ind.breakdown, [])
    values = pd.to_numeric(sel["value"], errors="coerce").reindex(order)
    values.index = [group_label(ind.breakdown, g) for g in order]
    return values.astype("float64")


# --------------------------------------------------------------------------- 5 stability


def stability_section(report: ReportData) -> object:
    """3+ placements (rolling year and since 1 April), long-term stability with the in-year
    tracking table, and who had 3+ placements by age and time in care."""
    parts = [_sentences(report, [("stability_3plus_placements", "fytd"),
                                 ("stability_3plus_placements", "r12"),
                                 ("stability_2yr_3plus", None), ("stability_long_term", None)])]
    r12 = series_of(report, "stability_3plus_placements", "r12")
    if r12.notna().sum():
        target = row_at(report, "stability_3plus_placements", kind="r12") or {}
        comps = {}
        t = as_number(target.get("target"))
        if not math.isnan(t):
            comps["Target"] = pd.Series(t, index=r12.index)
        chart = charts.trend_chart(r12, label="3 or more placements (rolling 12 months)",
                                   unit="percent", comparators=comps,
                                   council=report.params.council_name, source=_source(report))
        parts.append(charts.figure_html(chart))
    parts.append(tables.html_table(
        tables.indicator_by_quarter(report.judged, ["stability_3plus_placements"],
                                    report.table_quarters, window="fytd").assign(
            Indicator="3 or more placements since 1 April"),
        "3 or more placements since 1 April, by quarter", notes=legend_text()))
    parts.append(_tracking_html(report))
    parts.append(_three_plus_breakdown_html(report))
    return _html(*parts)


def tracking_frame(report: ReportData) -> pd.DataFrame:
    """The long-term stability tracking table: this year to date and the two previous years."""
    from cppanalytics.indicators.stability import long_term_tracking

    pe = report.params.period_end
    march = pe if not report.params.in_year else pd.Timestamp(
        year=pe.year if pe.month > 3 else pe.year - 1, month=3, day=31)
    ends = ([pe] if report.params.in_year else []) + [dates.minus_years(march, k)
                                                      for k in range(0, 3)]
    ends = list(dict.fromkeys(ends))
    rows = [long_term_tracking(context(report, d)) for d in ends]
    return pd.concat(rows, ignore_index=True) if rows else pd.DataFrame()


def tracking_table(track: pd.DataFrame, *, public: bool = False) -> pd.DataFrame:
    """The seed's tracking table from :func:`long_term_tracking` rows.

    Examples
    --------
    >>> t = pd.DataFrame({"period_end": pd.to_datetime(["2012-11-30"]),
    ...     "year_end": pd.to_datetime(["2013-03-31"]), "cohort_start": [108],
    ...     "stable_start": [78], "left_care": [16], "left_care_stable": [14], "moved": [12],
    ...     "moved_stable": [10], "current_numerator": [54], "current_denominator": [94],
    ...     "best_numerator": [60], "best_denominator": [94]})
    >>> tracking_table(t).iloc[0, 1]
    '78 potentially stable of a cohort of 108 (72%)'
    """
    rows = []
    for _, r in track.iterrows():
        pe, ye = pd.Timestamp(r["period_end"]), pd.Timestamp(r["year_end"])
        year = f"{ye.year - 1}-{str(ye.year)[2:]}"
        at_end = pe == ye
        rows.append({
            "Year": year,
            "Starting position on 1 April": (
                f"{_small(r['stable_start'], public)} potentially stable of a cohort of "
                f"{_small(r['cohort_start'], public)} "
                f"({_pct_of(r['stable_start'], r['cohort_start'], public)})"),
            "Position": (f"{'Final' if at_end else format_date(pe)}: "
                         f"{_small(r['current_numerator'], public)} of "
                         f"{_small(r['current_denominator'], public)} "
                         f"({_pct_of(r['current_numerator'], r['current_denominator'], public)})"),
            "Left care since 1 April (of the potentially stable)": (
                f"{_small(r['left_care_stable'], public)} "
                f"({_pct_of(r['left_care_stable'], r['stable_start'], public)})"),
            "Moved since 1 April (of the potentially stable)": (
                f"{_small(r['moved_stable'], public)} "
                f"({_pct_of(r['moved_stable'], r['stable_start'], public)})"),
            "Best possible at 31 March": (
                NOT_APPLICABLE if at_end else
                f"{_small(r['best_numerator'], public)} of "
                f"{_small(r['best_denominator'], public)} "
                f"({_pct_of(r['best_numerator'], r['best_denominator'], public)})"),
        })
    return pd.DataFrame(rows)


def _tracking_html(report: ReportData) -> str:
    try:
        track = tracking_frame(report)
    except (CppError, KeyError, ValueError) as exc:
        return _p(f"The long-term stability tracking table could not be built: {exc}",
                  "cpp-note")
    if track.empty:
        return ""
    cur = track.iloc[0]
    sentence = ""
    if report.params.in_year:
        sentence = (
            f"At the start of the year {_small(cur['stable_start'], report.params.public)} of "
            f"the {_small(cur['cohort_start'], report.params.public)} children who could be in "
            "the 31 March long-term stability cohort were potentially stable "
            f"({_pct_of(cur['stable_start'], cur['cohort_start'], report.params.public)}); "
            "the highest figure now possible at 31 March is "
            f"{_pct_of(cur['best_numerator'], cur['best_denominator'], report.params.public)}.")
    return _p(sentence) + tables.html_table(
        tracking_table(track, public=report.params.public),
        "Long-term stability: in-year tracking of the 31 March cohort",
        notes="Potentially stable: the child's carer spell on 1 April will reach 2 years by "
              "31 March if it continues. " + legend_text())


def three_plus_breakdown(report: ReportData) -> pd.DataFrame:
    """Children in care at the period end with 3+ placements since 1 April, by age band and
    by when they entered care (counts; ``c`` for 1–5 in public mode)."""
    from cppanalytics.indicators.stability import placement_counts

    pe = report.params.period_end
    ctx = context(report)
    start = dates.financial_year_start(pe)
    counts = placement_counts(ctx, start, pe)
    cla = ctx.cla_at()
    n = cla["CHILD"].map(counts).fillna(0)
    sel = cla[n.to_numpy() >= 3]
    ages = pd.cut(sel["age"].astype("float64"), [-1, 0, 4, 9, 15, 200],
                  labels=catalogue.BREAKDOWN_GROUPS["age_band"][:5])
    age_counts = ages.value_counts().reindex(catalogue.BREAKDOWN_GROUPS["age_band"][:5],
                                             fill_value=0)
    fy_prev = dates.minus_years(start, 1)
    when = np.select(
        [sel["period_start"] >= start, sel["period_start"] >= fy_prev],
        ["Entered care since 1 April", "Entered care last financial year"],
        "In care longer",
    )
    when_counts = pd.Series(when).value_counts().reindex(
        ["Entered care since 1 April", "Entered care last financial year", "In care longer"],
        fill_value=0)
    public = report.params.public
    rows = [("Age", group_label("age_band", g), v) for g, v in age_counts.items()]
    rows += [("Time in care", g, v) for g, v in when_counts.items()]
    rows.append(("Total", "Children with 3 or more placements since 1 April", len(sel)))
    return pd.DataFrame({
        "_section": [r[0] for r in rows],
        "Group": [r[1] for r in rows],
        "Children": [_small(r[2], public) for r in rows],
        "%": [_pct_of(r[2], len(sel), public) for r in rows],
    })


def _three_plus_breakdown_html(report: ReportData) -> str:
    try:
        frame = three_plus_breakdown(report)
    except (CppError, KeyError, ValueError) as exc:
        return _p(f"The breakdown of children with 3 or more placements could not be built: "
                  f"{exc}", "cpp-note")
    return tables.html_table(frame, "Children with 3 or more placements since 1 April, by age "
                             "and by time in care", section_col="_section", notes=legend_text())


# --------------------------------------------------------------------------- 6 location


LOCATION_IDS = ("placed_within_20_miles", "placed_over_20_miles_outside", "placed_outside_la")


def location_section(report: ReportData) -> object:
    """Distance bands by quarter (the panel's table), % within 20 miles, % over 20 miles and
    outside, and the number placed outside the council."""
    parts = [_sentences(report, [(i, None) for i in LOCATION_IDS])]
    band = tables.by_quarter_table(report.judged, "cla_by_distance_band", report.table_quarters,
                                   share_of="0-20")
    parts.append(tables.html_table(band, "Children in care by distance from home to placement, "
                                   "by quarter", notes=legend_text()))
    within = series_of(report, "placed_within_20_miles")
    if within.notna().sum():
        first, last = within.dropna().iloc[0], within.dropna().iloc[-1]
        title = text.change_title("Children placed within 20 miles of home", last, first,
                                  "percent", f"{format_date(within.dropna().index[0])}")
        chart = charts.trend_chart(within, label="Placed within 20 miles", unit="percent",
                                   title=title, council=report.params.council_name,
                                   source=_source(report))
        parts.append(charts.figure_html(chart))
    by_q = tables.indicator_by_quarter(report.judged, list(LOCATION_IDS), report.table_quarters)
    outside = series_of(report, "placed_outside_la", column="numerator")
    by_q.loc[len(by_q)] = ["Number placed outside the council's area"] + [
        format_value(outside.get(d, math.nan), "count") for d in report.table_quarters
    ]
    parts.append(tables.html_table(by_q, "Placement location by quarter", notes=legend_text()))
    return _html(*parts)


# --------------------------------------------------------------------------- 7 health


HEALTH_IDS = ("health_assessment", "immunisations", "dental_check", "development_assessment",
              "sdq_completed", "sdq_average", "sdq_borderline", "sdq_concern", "convictions",
              "substance_misuse")


def last_march(period_end: pd.Timestamp) -> pd.Timestamp:
    """The last 31 March on or before ``period_end``.

    Examples
    --------
    >>> last_march(pd.Timestamp("2026-09-30")).date()
    datetime.date(2026, 3, 31)
    """
    year = period_end.year if (period_end.month, period_end.day) >= (3, 31) else \
        period_end.year - 1
    return pd.Timestamp(year=year, month=3, day=31)


def health_section(report: ReportData) -> object:
    """Health at the latest 31 March against England, region and neighbours."""
    march = last_march(report.params.period_end)
    rows = [(i, None) for i in HEALTH_IDS]
    sentences = []
    for iid, _ in rows:
        r = row_at(report, iid, march)
        if r is not None:
            sentences.append(f"<li>{html.escape(text.indicator_sentence(r, with_comparators=True))}</li>")
    parts = [f'<ul class="cpp-findings">{"".join(sentences)}</ul>' if sentences else ""]
    parts.append(tables.html_table(tables.comparison_table(report.judged, HEALTH_IDS, march),
                                   f"Health of children in care for 12 months or more at "
                                   f"{format_date(march)}", notes=legend_text()))
    r = row_at(report, "health_assessment", march)
    if r is not None:
        values = {report.params.council_name: as_number(r.get("value")), "England": as_number(r.get("england")),
                  "Region": as_number(r.get("region")),
                  "Statistical neighbours": as_number(r.get("neighbours"))}
        chart = charts.comparator_chart(values, council=report.params.council_name,
                                        label="Annual health assessments", unit="percent",
                                        source=DFE_SOURCE, period=f"At {format_date(march)}")
        parts.append(charts.figure_html(chart))
    return _html(*parts)


# --------------------------------------------------------------------------- 8 care leavers


CARE_LEAVER_IDS = [f"care_leavers_{m}_{a}" for a in ("17_18", "19_21")
                   for m in ("eet", "neet", "suitable_accom", "in_touch")]


def care_leavers_section(report: ReportData) -> object:
    """Care leavers by quarter (year to date) and the projected year-end figures."""
    parts = [_sentences(report, [(i, None) for i in CARE_LEAVER_IDS])]
    parts.append(tables.html_table(
        tables.indicator_by_quarter(report.judged, CARE_LEAVER_IDS, report.table_quarters),
        "Care leavers by quarter (birthdays since 1 April)", notes=legend_text()))
    if report.params.in_year:
        try:
            from cppanalytics.indicators.care_leavers import yearend_projection

            proj = yearend_projection(context(report))
            proj = proj[proj["age_group"].isin(["17_18", "19_21"])] \
                if "age_group" in proj.columns else proj
            table = tables.projection_table(proj)
            if report.params.public:
                table = _suppress_projection(table, proj)
            parts.append(tables.html_table(
                table, f"Care leavers: projected figures at 31 March "
                f"{last_march(report.params.period_end).year + 1}",
                notes="Projection: young people whose birthday is still to come this year are "
                      "counted with their status as recorded now. Best and worst cases assume "
                      "all or none of them meet the measure. " + legend_text()))
        except (CppError, KeyError, ValueError) as exc:
            parts.append(_p(f"The year-end projection could not be built: {exc}", "cpp-note"))
    return _html(*parts)


def _suppress_projection(table: pd.DataFrame, proj: pd.DataFrame) -> pd.DataFrame:
    out = table.copy()
    small = (pd.to_numeric(proj["ytd_numerator"], errors="coerce").between(1, 5)
             | pd.to_numeric(proj["projected_numerator"], errors="coerce").between(1, 5)
             | pd.to_numeric(proj["to_come"], errors="coerce").between(1, 5)).to_numpy()
    out.loc[small, out.columns[1:]] = SUPPRESSED
    return out


# --------------------------------------------------------------------------- 9 adoption


ADOPTION_IDS = ("adopted_count", "sgo_count", "adopted_pct_of_ceased",
                "adoption_within_12m_of_decision", "adoption_a1_days", "adoption_a10_days",
                "adoption_a2_days")


def adoption_section(report: ReportData) -> object:
    """Adoptions and SGOs, timeliness from decision, A1/A10/A2."""
    parts = [_sentences(report, [(i, None) for i in ADOPTION_IDS])]
    parts.append(tables.html_table(
        tables.indicator_by_quarter(report.judged, list(ADOPTION_IDS), report.table_quarters),
        "Adoption and special guardianship by quarter (counts since 1 April; A1, A10 and A2 "
        "over the last 3 years)", notes=legend_text()))
    parts.append(tables.html_table(
        tables.comparison_table(report.judged, ADOPTION_IDS, report.params.period_end),
        f"Adoption at {format_date(report.params.period_end)} with comparators",
        notes=legend_text()))
    return _html(*parts)


# --------------------------------------------------------------------------- 10 missing


MISSING_IDS = ("missing_children_pct", "missing_incidents", "missing_incidents_per_child",
               "away_children_pct")


def missing_section(report: ReportData) -> object:
    """Children missing and incidents since 1 April; return interviews when supplied locally."""
    parts = [_sentences(report, [(i, None) for i in MISSING_IDS])]
    parts.append(tables.html_table(
        tables.indicator_by_quarter(report.judged, list(MISSING_IDS), report.table_quarters),
        "Missing from care by quarter (since 1 April)", notes=legend_text()))
    local = [i for i in _local_ids(report) if "return" in i or "interview" in i]
    if local:
        parts.append(tables.html_table(
            tables.indicator_by_quarter(report.judged, local, report.table_quarters),
            "Return interviews (local data)", notes=legend_text()))
    else:
        parts.append(_p("Return interviews are not in the 903 return; they appear here when the "
                        "council supplies them as local measures.", "cpp-note"))
    return _html(*parts)


# --------------------------------------------------------------------------- 11 local


def _local_ids(report: ReportData) -> list[str]:
    ids = report.judged["indicator_id"].astype(str)
    return list(dict.fromkeys(i for i in ids if i not in catalogue.CATALOGUE))


def local_measures_section(report: ReportData) -> object:
    """The council's local measures with the scorecard's treatment."""
    ids = _local_ids(report)
    if not ids:
        return _html(_p("No local measures were supplied for this report (parameter "
                        "local_measures_file)."))
    card = tables.scorecard(report.judged, report.params.period_end,
                            rows=[(i, "point") for i in ids])
    if card.empty:
        card = tables.scorecard(report.judged, report.params.period_end,
                                rows=[(i, k) for i in ids for k in ("fytd", "r12", "q")])
    return _html(tables.scorecard_html(card, "Local measures",
                                       notes="Supplied by the council. " + legend_text()))


# --------------------------------------------------------------------------- 12 data quality


def data_quality_section(report: ReportData) -> object:
    """What the loader rejected or repaired, unknown codes, missing postcodes, cohort
    children with no OC2/OC3 record: children affected and indicators touched."""
    summary = tables.data_quality_summary(shown_findings(report))
    if summary.empty:
        return _html(_p("No data-quality issues were found."))
    if report.params.public:
        summary["Findings"] = [_small(v.replace(",", ""), True) for v in summary["Findings"]]
        summary["Children affected"] = [_small(v.replace(",", ""), True)
                                        for v in summary["Children affected"]]
    counts = report.findings["severity"].value_counts()
    lead = (f"{format_number(len(report.findings))} findings: "
            f"{format_number(counts.get('error', 0))} errors, "
            f"{format_number(counts.get('warning', 0))} warnings and "
            f"{format_number(counts.get('info', 0))} for information.")
    return _html(_p(lead), tables.html_table(summary, "Data quality: issues found in the 903 "
                                             "extract", notes=legend_text()))


# --------------------------------------------------------------------------- 13 definitions


def definitions_section(report: ReportData) -> object:
    """Definitions, cohorts, polarity and comparator sources; rounding and suppression."""
    ids = [i for i in catalogue.ids() if i in set(report.judged["indicator_id"])]
    ids += _local_ids(report)
    table = tables.definitions_table(ids, judged=report.judged,
                                     neighbour_summary=report.params.neighbour_summary)
    notes = [rounding_note(),
             "Disclosure control (published versions): counts of 1 to 5, and percentages built "
             "on them, are shown as c, with further figures suppressed where they would let a "
             "suppressed one be worked out.",
             "Where a percentage rests on fewer than 20 children the report gives a 95% "
             "confidence interval and says when a difference is not statistically significant.",
             legend_text() + "."]
    return _html(tables.html_table(table, "Definitions"), *[_p(n, "cpp-note") for n in notes])


__all__ = [
    "adoption_section", "care_leavers_section", "children_in_care_section",
    "data_quality_section", "definitions_section", "headline_tiles", "health_section",
    "local_measures_section", "location_section", "missing_section", "scorecard_export",
    "scorecard_section", "stability_section", "stylesheet_html", "title_block",
]


# --------------------------------------------------------------------------- exports


def results_export(report: ReportData) -> pd.DataFrame:
    """The judged results table for ``results.csv`` (disclosure-controlled in public mode)."""
    return report.judged.reset_index(drop=True)


# --------------------------------------------------------------------------- annual report


ANNUAL_IDS = ("cla_count", "cla_rate_per_10k", "cla_started", "cla_ceased", "cla_uasc",
              "stability_3plus_placements", "stability_long_term", "placed_within_20_miles",
              "placed_over_20_miles_outside", "health_assessment", "immunisations",
              "dental_check", "sdq_average", "care_leavers_eet_19_21",
              "care_leavers_suitable_accom_19_21", "adopted_count", "sgo_count",
              "adoption_a1_days", "missing_children_pct")


def march_ends(report: ReportData) -> list[pd.Timestamp]:
    """The 31 Marches the report computed, oldest first."""
    return [d for d in report.period_ends if (d.month, d.day) == (3, 31)
            and d <= report.params.period_end]


def annual_profile(report: ReportData) -> object:
    """The population at 31 March in words, as panels' annual reports give it: "213 (76%)
    were in foster placements" for each group of placement type, legal status, ethnicity,
    sex and age, and the number of unaccompanied asylum-seeking children."""
    pe = report.params.period_end
    total = row_at(report, "cla_count")
    lead = (f"On {format_date(pe)} {format_value(shown_value(total), 'count')} children were in "
            f"the council's care." if total else "")
    parts = [_p(lead)]
    for iid in PROFILE_IDS:
        sel = report.judged[report.judged["indicator_id"].eq(iid)
                            & pd.to_datetime(report.judged["period_end"]).eq(pe)]
        if sel.empty:
            continue
        ind = catalogue.get(iid)
        order = {g: i for i, g in enumerate(catalogue.BREAKDOWN_GROUPS.get(ind.breakdown, []))}
        sel = sel.assign(_o=sel["group"].map(order)).sort_values("_o")
        items = [
            f"<li>{html.escape(group_label(ind.breakdown, r['group']))}: "
            f"{html.escape(format_value(tables.shown(r, 'numerator'), 'count'))} "
            f"({html.escape(format_value(tables.shown(r, 'value'), 'percent'))})</li>"
            for _, r in sel.iterrows() if tables.is_suppressed(r) or as_number(r["numerator"]) > 0
        ]
        parts.append(f"<p>{html.escape(indicator_label(iid))}:</p><ul>{''.join(items)}</ul>")
    uasc = row_at(report, "cla_uasc")
    if uasc:
        parts.append(_p(text.indicator_sentence(uasc)))
    return _html(*parts)


def shown_value(row: dict[str, object] | None) -> object:
    """A row's value as it may be shown (``c`` when suppressed)."""
    return tables.shown(row, "value") if row else None


def annual_outcomes(report: ReportData) -> object:
    """Key indicators at each 31 March of the last five years, with England at the latest
    year, and the rate per 10,000 against England over time."""
    marches = march_ends(report)
    table = tables.indicator_by_quarter(report.judged, list(ANNUAL_IDS), marches)
    latest = marches[-1] if marches else report.params.period_end
    england = []
    for iid in ANNUAL_IDS:
        r = row_at(report, iid, latest)
        unit = str(r.get("unit")) if r else "count"
        england.append(format_value(r.get("england") if r else None, unit))
    table["England (latest year)"] = england[: len(table)] if len(table) == len(ANNUAL_IDS) \
        else [format_value(None, "count")] * len(table)
    parts = [tables.html_table(table, "Outcomes at 31 March, last five years",
                               notes=legend_text())]
    rate = pd.Series({d: as_number(shown_value(row_at(report, "cla_rate_per_10k", d)))
                      for d in marches}, dtype="float64")
    eng = pd.Series({d: as_number((row_at(report, "cla_rate_per_10k", d) or {}).get("england"))
                     for d in marches}, dtype="float64")
    if rate.notna().sum():
        chart = charts.trend_chart(rate, label="Children in care per 10,000",
                                   unit="rate_per_10k", since="last year",
                                   comparators={"England": eng} if eng.notna().any() else None,
                                   council=report.params.council_name, source=DFE_SOURCE)
        parts.append(charts.figure_html(chart))
    return _html(*parts)


# --------------------------------------------------------------------------- analyst views


def _internal_only(report: ReportData, what: str) -> None:
    if report.params.public:
        raise CppError(f"the {what} shows child-level rows and is for internal use only; "
                       "run it with mode = \"internal\".")


def data_quality_details(report: ReportData, *, limit: int | None = None) -> object:
    """Every finding with the rows behind it, one table per issue (internal only)."""
    _internal_only(report, "data-quality report")
    summary = tables.data_quality_summary(report.findings)
    parts = []
    for _, s in summary.iterrows():
        detail = tables.findings_detail(report.findings, s["_code"], limit=limit)
        parts.append(f"<h3>{html.escape(s['Issue'])} ({html.escape(s['_code'])})</h3>")
        parts.append(_p(f"{s['Findings']} findings, {s['Children affected']} children. "
                        f"Action: {s['Action']}. What to do: {s['What to do']}. Indicators "
                        f"touched: {s['Indicators touched']}."))
        parts.append(tables.html_table(detail, f"Rows behind: {s['Issue']}"))
    if not parts:
        parts.append(_p("No findings."))
    return _html(*parts)


def explorer_indicators(report: ReportData, at: str | pd.Timestamp | None = None) -> object:
    """Every indicator at any date (headline rows, numerator, denominator, value)."""
    _internal_only(report, "explorer")
    from cppanalytics.indicators import compute

    d = report.params.period_end if at in (None, "") else dates.as_date(at)  # type: ignore[arg-type]
    with _quiet():
        res = compute(report.data, d, population=report.population,  # type: ignore[arg-type]
                      la_code=report.params.la_code)
    res = res[res["breakdown"].eq("")]
    table = pd.DataFrame({
        "Indicator": [indicator_label(i, tables.window_kind(i, p, w))
                      for i, p, w in zip(res["indicator_id"], res["period_end"],
                                         res["window_start"], strict=True)],
        "Id": res["indicator_id"],
        "Window": [f"{format_date(a)} to {format_date(b)}"
                   for a, b in zip(res["window_start"], res["window_end"], strict=True)],
        "Numerator": [format_number(v) for v in res["numerator"]],
        "Denominator": [format_number(v) for v in res["denominator"]],
        "Value": [format_value(v, u) for v, u in zip(res["value"], res["unit"], strict=True)],
    })
    return _html(tables.html_table(table, f"All indicators at {format_date(d)}"))


def _quiet():  # noqa: ANN202
    from cppanalytics.presentation.report import quiet

    return quiet()


COHORTS = ("looked_after", "three_plus_placements", "long_term_cohort", "continuously_12m")


def explorer_cohort(report: ReportData, cohort: str = "looked_after",
                    at: str | pd.Timestamp | None = None, *, limit: int = 500) -> object:
    """A drill-down list of the children in a cohort at any date (internal only).

    ``cohort``: ``looked_after`` (at the date), ``three_plus_placements`` (3+ placements
    since 1 April), ``long_term_cohort`` (under 16, in care 2½ years), ``continuously_12m``
    (the OC2 cohort).
    """
    _internal_only(report, "explorer")
    if cohort not in COHORTS:
        raise CppError(f"unknown cohort {cohort!r}; use one of {', '.join(COHORTS)}.")
    from cppanalytics.indicators.stability import placement_counts

    d = report.params.period_end if at in (None, "") else dates.as_date(at)  # type: ignore[arg-type]
    ctx = context(report, d)
    with _quiet():
        cla = ctx.cla_at()
        start = dates.financial_year_start(d)
        counts = placement_counts(ctx, start, d)
    cla = cla.assign(placements=cla["CHILD"].map(counts).fillna(0).astype(int))
    if cohort == "three_plus_placements":
        cla = cla[cla["placements"] >= 3]
    elif cohort == "long_term_cohort":
        cla = cla[(cla["age"] < 16) & (cla["period_start"] <= dates.minus_months(d, 30))]
    elif cohort == "continuously_12m":
        cla = ctx.continuously_looked_after_12m().assign(
            placements=lambda f: f["CHILD"].map(counts).fillna(0).astype(int))
    cols = [c for c in ("CHILD", "age", "SEX", "LS", "PLACE", "period_start", "placement_start",
                        "carer_spell_start", "placements") if c in cla.columns]
    shown_rows = cla[cols].sort_values(cols[0]).head(limit)
    note = (f"{format_number(len(cla))} children" +
            (f"; the first {limit} are listed." if len(cla) > limit else "."))
    return _html(_p(note), tables.html_table(tables.frame_for_display(shown_rows.astype(
        {c: "object" for c in ("CHILD", "SEX", "LS", "PLACE") if c in shown_rows.columns})),
        f"Children in the cohort '{cohort.replace('_', ' ')}' at {format_date(d)} (internal)"))
