"""The quarterly report's sections (the annual report shows them too): headline tiles,
children in care, stability, placement location, health, care leavers, adoption and
missing from care. Shared blocks (title, scorecard, local measures, data quality,
definitions) are in :mod:`.blocks`.

Section id lists come from the catalogue's records (``shown``), in catalogue order.

Examples
--------
>>> PROFILE_IDS[0], LOCATION_IDS[0]
('cla_by_placement_group', 'placed_within_20_miles')
"""

from __future__ import annotations

import html
import math
from typing import TYPE_CHECKING, cast

import numpy as np
import pandas as pd

from cppanalytics import dates
from cppanalytics.errors import CppError
from cppanalytics.indicators import catalogue
from cppanalytics.presentation import charts, html_tables, tables, text
from cppanalytics.presentation.formatting import (
    NOT_APPLICABLE,
    SUPPRESSED,
    as_number,
    format_change,
    format_date,
    format_number,
    format_value,
    legend_text,
)
from cppanalytics.presentation.labels import group_label, indicator_label

if TYPE_CHECKING:  # pragma: no cover
    from cppanalytics.pipeline import ReportData
from cppanalytics.presentation.blocks import (
    DFE_SOURCE,
    display,
    local_ids,
    paragraph,
    row_at,
    scorecard_frame,
    sentences,
    series_of,
    source_line,
)

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
        tiles.append(
            f'<div class="cpp-tile cpp-tile-red"><div>Rated red</div><ul>{items}</ul></div>'
        )
    else:
        tiles.append(
            '<div class="cpp-tile"><div>Rated red</div>'
            "<p>No indicator is rated red against its target.</p></div>"
        )
    return display(f'<div class="cpp-tiles">{"".join(tiles)}</div>')


def _change_line(current: object, previous: object, unit: str, since: str) -> str:
    """ "+12 on last quarter (268)" for a tile; "x" parts when a figure is missing."""
    if math.isnan(as_number(current)) or math.isnan(as_number(previous)):
        return f"Change on {since}: x"
    change = format_change(as_number(current) - as_number(previous), unit)
    return f"{change} on {since} ({format_value(previous, unit)})"


# --------------------------------------------------------------------------- 4 children in care


#: the profile breakdowns of children in care, from the catalogue
PROFILE_IDS = tuple(catalogue.ids("population", breakdown=True, shown=True))
#: the children in care headline figures, from the catalogue
POPULATION_IDS = tuple(catalogue.ids("population", breakdown=False, shown=True))


def children_in_care_section(report: ReportData) -> object:
    """Count and rate by quarter, starters and leavers, and the profile at quarter end."""
    pe = report.params.period_end
    parts: list[str] = [sentences(report, [(i, None) for i in POPULATION_IDS])]
    count = series_of(report, "cla_count")
    if count.notna().sum():
        chart = charts.trend_chart(
            count,
            label="Children in care",
            unit="count",
            council=report.params.council_name,
            source=source_line(report),
        )
        parts.append(charts.figure_html(chart))
    parts.append(
        html_tables.html_table(
            tables.indicator_by_quarter(report.judged, list(POPULATION_IDS), report.table_quarters),
            "Children in care, starting and leaving care by quarter (starters and leavers since "
            "1 April)",
            notes=legend_text(),
        )
    )
    prev = dates.minus_years(pe, 1)
    for iid in PROFILE_IDS:
        sel = report.judged[report.judged["indicator_id"].eq(iid)]
        if sel.empty:
            continue
        parts.append(
            html_tables.html_table(
                tables.profile_table(report.judged, iid, pe, prev),
                f"{indicator_label(iid)} at {format_date(pe)}, with the same date last year",
                notes=legend_text(),
            )
        )
        if iid == "cla_by_placement_group":
            cur = _profile_series(report, iid, pe)
            old = _profile_series(report, iid, prev)
            if cur.notna().any():
                chart = charts.profile_chart(
                    cur,
                    old if old.notna().any() else None,
                    label="children in care",
                    current_label=format_date(pe),
                    previous_label=format_date(prev),
                    source=source_line(report),
                )
                parts.append(charts.figure_html(chart))
    return display(*parts)


def _profile_series(report: ReportData, iid: str, d: pd.Timestamp) -> pd.Series:
    ind = catalogue.get(iid)
    sel = report.judged[
        report.judged["indicator_id"].eq(iid) & pd.to_datetime(report.judged["period_end"]).eq(d)
    ]
    sel = sel.drop_duplicates("group", keep="last").set_index("group")
    order = catalogue.BREAKDOWN_GROUPS.get(ind.breakdown, [])
    values = pd.to_numeric(sel["value"], errors="coerce").reindex(order)
    values.index = [group_label(ind.breakdown, g) for g in order]
    return values.astype("float64")


# --------------------------------------------------------------------------- 5 stability


def stability_section(report: ReportData) -> object:
    """3+ placements (rolling year and since 1 April), long-term stability with the in-year
    tracking table, and who had 3+ placements by age and time in care."""
    parts = [
        sentences(
            report,
            [
                ("stability_3plus_placements", "fytd"),
                ("stability_3plus_placements", "r12"),
                ("stability_2yr_3plus", None),
                ("stability_long_term", None),
            ],
        )
    ]
    r12 = series_of(report, "stability_3plus_placements", "r12")
    if r12.notna().sum():
        target = row_at(report, "stability_3plus_placements", kind="r12") or {}
        comps = {}
        t = as_number(target.get("target"))
        if not math.isnan(t):
            comps["Target"] = pd.Series(t, index=r12.index)
        chart = charts.trend_chart(
            r12,
            label="3 or more placements (rolling 12 months)",
            unit="percent",
            comparators=comps,
            council=report.params.council_name,
            source=source_line(report),
        )
        parts.append(charts.figure_html(chart))
    parts.append(
        html_tables.html_table(
            tables.indicator_by_quarter(
                report.judged, ["stability_3plus_placements"], report.table_quarters, window="fytd"
            ).assign(Indicator="3 or more placements since 1 April"),
            "3 or more placements since 1 April, by quarter",
            notes=legend_text(),
        )
    )
    parts.append(_tracking_html(report))
    parts.append(_yearend_range_html(report))
    parts.append(_three_plus_breakdown_html(report))
    return display(*parts)


def _of(num: float, den: float, value: float) -> str:
    """``54 of 94 (57%)``."""
    return (
        f"{format_value(num, 'count')} of {format_value(den, 'count')} "
        f"({format_value(value, 'percent')})"
    )


def _pct(num: float, den: float) -> float:
    return float(num) / float(den) * 100 if den else math.nan


def _printed(
    cells: dict[tuple[str, str], str],
    hidden: set[tuple[str, str]] | None,
    printed: dict[tuple[str, str], str] | None,
) -> dict[tuple[str, str], str]:
    """Cells as printed: ``c`` where ``hidden`` says; recorded in ``printed`` when given
    (what the disclosure check before publication attacks)."""
    out = {cell: SUPPRESSED if hidden and cell in hidden else text for cell, text in cells.items()}
    if printed is not None:
        printed.update(out)
    return out


def yearend_range_table(
    ranges: pd.DataFrame,
    *,
    hidden: set[tuple[str, str]] | None = None,
    printed: dict[tuple[str, str], str] | None = None,
) -> pd.DataFrame:
    """The best and worst possible 31 March figures for 3+ placements since 1 April and
    long-term stability (:func:`cppanalytics.indicators.stability.yearend_range`), with
    the assumptions behind them.

    ``hidden``: cells (indicator id, ``now``/``best``/``worst``) to print as ``c``, as
    public disclosure control chose them
    (:func:`cppanalytics.judgement.public_tables.protect_report`); ``printed`` collects
    what is printed.

    Examples
    --------
    >>> r = pd.DataFrame({"indicator_id": ["stability_long_term"], "now_numerator": [54],
    ...     "now_denominator": [94], "now_value": [57.4], "best_numerator": [68],
    ...     "best_denominator": [94], "best_value": [72.3], "worst_numerator": [50],
    ...     "worst_denominator": [94], "worst_value": [53.2], "assumption": ["a"]})
    >>> yearend_range_table(r).iloc[0, 1:4].tolist()
    ['54 of 94 (57%)', '68 of 94 (72%)', '50 of 94 (53%)']
    >>> yearend_range_table(r, hidden={("stability_long_term", "worst")}).iloc[0, 3]
    'c'
    """
    rows = []
    for r in ranges.itertuples(index=False):
        ind = str(r.indicator_id)
        cells = _printed(
            {
                (ind, "now"): _of(r.now_numerator, r.now_denominator, r.now_value),
                (ind, "best"): _of(r.best_numerator, r.best_denominator, r.best_value),
                (ind, "worst"): _of(r.worst_numerator, r.worst_denominator, r.worst_value),
            },
            hidden,
            printed,
        )
        label = (
            "3 or more placements since 1 April"
            if ind == "stability_3plus_placements"
            else indicator_label(ind)
        )
        rows.append(
            {
                "Measure": label,
                "Now": cells[(ind, "now")],
                "Best case at 31 March": cells[(ind, "best")],
                "Worst case at 31 March": cells[(ind, "worst")],
                "How worked out": r.assumption,
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            "Measure",
            "Now",
            "Best case at 31 March",
            "Worst case at 31 March",
            "How worked out",
        ],
    )


def _hidden_cells(report: ReportData, table: str) -> set[tuple[str, str]] | None:
    """The cells of a drill-down table public disclosure control prints as ``c`` (None in
    internal mode)."""
    if not report.params.public:
        return None
    chosen = cast("dict[str, set[tuple[str, str]]] | None", report.extras.get("hidden_cells"))
    if chosen is None or table not in chosen:
        raise CppError(f"the {table} table has no disclosure check; rebuild the report")
    return chosen[table]


def _record(report: ReportData, table: str) -> dict[tuple[str, str], str] | None:
    """Where a public report records a drill-down table's printed cells."""
    if not report.params.public:
        return None
    from cppanalytics.judgement.public_tables import record_printed

    cells: dict[tuple[str, str], str] = {}
    record_printed(report, table, cells)
    return cast("dict[str, dict[tuple[str, str], str]]", report.extras["printed"])[table]


def _yearend_range_html(report: ReportData) -> str:
    from cppanalytics.judgement.public_tables import YEAREND_RANGE

    if not report.params.in_year:
        return ""
    if "yearend_range" in report.drilldown_errors:
        return paragraph(
            "The year-end range could not be worked out: "
            f"{report.drilldown_errors['yearend_range']}",
            "cpp-note",
        )
    ranges = cast("pd.DataFrame | None", report.extras.get("yearend_range"))
    if ranges is None or ranges.empty:
        return ""
    return html_tables.html_table(
        yearend_range_table(
            ranges,
            hidden=_hidden_cells(report, YEAREND_RANGE),
            printed=_record(report, YEAREND_RANGE),
        ),
        f"Stability: the possible figures at 31 March "
        f"{dates.year_end(report.params.period_end).year}",
        notes="Running totals since 1 April are not rated against the annual target; this "
        "range says where the year can end. " + legend_text(),
    )


def tracking_table(
    track: pd.DataFrame,
    *,
    hidden: set[tuple[str, str]] | None = None,
    printed: dict[tuple[str, str], str] | None = None,
) -> pd.DataFrame:
    """The seed's tracking table from :func:`long_term_tracking` rows.

    ``hidden``: cells (the row's period end ``YYYY-MM-DD``; ``start``, ``position``,
    ``left``, ``moved``, ``best``) to print as ``c``
    (:func:`cppanalytics.judgement.public_tables.protect_report`); ``printed`` collects
    what is printed.

    Examples
    --------
    >>> t = pd.DataFrame({"period_end": pd.to_datetime(["2012-11-30"]),
    ...     "year_end": pd.to_datetime(["2013-03-31"]), "cohort_start": [108],
    ...     "stable_start": [78], "left_care": [16], "left_care_stable": [14], "moved": [12],
    ...     "moved_stable": [10], "current_numerator": [54], "current_denominator": [94],
    ...     "best_numerator": [60], "best_denominator": [94]})
    >>> tracking_table(t).iloc[0, 1]
    '78 potentially stable of a cohort of 108 (72%)'
    >>> tracking_table(t, hidden={("2012-11-30", "left")}).iloc[0, 3]
    'c'
    """
    rows = []
    for _, r in track.iterrows():
        pe, ye = pd.Timestamp(r["period_end"]), pd.Timestamp(r["year_end"])
        year = f"{ye.year - 1}-{str(ye.year)[2:]}"
        at_end = pe == ye
        row = pe.date().isoformat()
        texts = {
            (row, "start"): (
                f"{format_number(r['stable_start'])} potentially stable of a cohort of "
                f"{format_number(r['cohort_start'])} "
                f"({format_value(_pct(r['stable_start'], r['cohort_start']), 'percent')})"
            ),
            (row, "position"): _of(
                r["current_numerator"],
                r["current_denominator"],
                _pct(r["current_numerator"], r["current_denominator"]),
            ),
            (row, "left"): (
                f"{format_number(r['left_care_stable'])} "
                f"({format_value(_pct(r['left_care_stable'], r['stable_start']), 'percent')})"
            ),
            (row, "moved"): (
                f"{format_number(r['moved_stable'])} "
                f"({format_value(_pct(r['moved_stable'], r['stable_start']), 'percent')})"
            ),
        }
        if not at_end:
            texts[(row, "best")] = _of(
                r["best_numerator"],
                r["best_denominator"],
                _pct(r["best_numerator"], r["best_denominator"]),
            )
        cells = _printed(texts, hidden, printed)
        position = cells[(row, "position")]
        rows.append(
            {
                "Year": year,
                "Starting position on 1 April": cells[(row, "start")],
                "Position": f"{'Final' if at_end else format_date(pe)}: {position}",
                "Left care since 1 April (of the potentially stable)": cells[(row, "left")],
                "Moved since 1 April (of the potentially stable)": cells[(row, "moved")],
                "Best possible at 31 March": NOT_APPLICABLE if at_end else cells[(row, "best")],
            }
        )
    return pd.DataFrame(rows)


def _tracking_html(report: ReportData) -> str:
    from cppanalytics.judgement.public_tables import TRACKING

    if "tracking" in report.drilldown_errors:
        return paragraph(
            "The long-term stability tracking table could not be built: "
            f"{report.drilldown_errors['tracking']}",
            "cpp-note",
        )
    track = report.tracking
    if track is None or track.empty:
        return ""
    hidden = _hidden_cells(report, TRACKING)
    table = tracking_table(track, hidden=hidden, printed=_record(report, TRACKING))
    cur = track.iloc[0]
    sentence = ""
    if report.params.in_year:  # the first row's cells, as the table prints them
        row = pd.Timestamp(cur["period_end"]).date().isoformat()
        start = (
            SUPPRESSED
            if hidden and (row, "start") in hidden
            else (
                f"{format_number(cur['stable_start'])} of the {format_number(cur['cohort_start'])}"
                " children who could be in the 31 March long-term stability cohort were "
                "potentially stable "
                f"({format_value(_pct(cur['stable_start'], cur['cohort_start']), 'percent')})"
            )
        )
        best = (
            SUPPRESSED
            if hidden and (row, "best") in hidden
            else format_value(_pct(cur["best_numerator"], cur["best_denominator"]), "percent")
        )
        if start == SUPPRESSED:
            start = (
                f"the number of children who could be in the 31 March long-term stability "
                f"cohort and were potentially stable is {SUPPRESSED}"
            )
        sentence = (
            f"At the start of the year {start}; the highest figure now possible at 31 March "
            f"is {best}."
        )
    return paragraph(sentence) + html_tables.html_table(
        table,
        "Long-term stability: in-year tracking of the 31 March cohort",
        notes="Potentially stable: the child's carer spell on 1 April will reach 2 years by "
        "31 March if it continues. " + legend_text(),
    )


_ENTRY_WORDS = {
    "since_1_april": "Entered care since 1 April",
    "last_financial_year": "Entered care last financial year",
    "longer": "In care longer",
}


def three_plus_breakdown(report: ReportData) -> pd.DataFrame:
    """Children in care at the period end with 3+ placements since 1 April, by age band and
    by when they entered care (counts and % of the total), from ``report.three_plus``; in
    public mode ``c`` where disclosure control chose
    (:func:`cppanalytics.judgement.public_tables.protect_report`), and what is printed is
    recorded for the check before publication."""
    from cppanalytics.judgement.public_tables import THREE_PLUS

    prof = report.three_plus
    if prof is None:
        raise ValueError(report.drilldown_errors.get("three_plus", "not computed"))
    total = int(prof["children"].iloc[-1])
    hidden = _hidden_cells(report, THREE_PLUS)
    printed = _record(report, THREE_PLUS)
    section = prof["breakdown"].map(
        {"age_band": "Age", "entered_care": "Time in care", "total": "Total"}
    )
    group = [
        group_label("age_band", g)
        if b == "age_band"
        else _ENTRY_WORDS.get(g, "Children with 3 or more placements since 1 April")
        for b, g in zip(prof["breakdown"], prof["group"], strict=True)
    ]
    children, shares = [], []
    for b, g, v in zip(prof["breakdown"], prof["group"], prof["children"], strict=True):
        row = f"{b}:{g}"
        cells = _printed(
            {
                (row, "children"): format_number(v),
                (row, "percent"): format_value(_pct(v, total), "percent") if total else "x",
            },
            hidden,
            printed,
        )
        children.append(cells[(row, "children")])
        shares.append(cells[(row, "percent")])
    return pd.DataFrame(
        {
            "_section": section.to_numpy(),
            "Group": group,
            "Children": children,
            "%": shares,
        }
    )


def _three_plus_breakdown_html(report: ReportData) -> str:
    try:
        frame = three_plus_breakdown(report)
    except (CppError, KeyError, ValueError) as exc:
        return paragraph(
            f"The breakdown of children with 3 or more placements could not be built: {exc}",
            "cpp-note",
        )
    return html_tables.html_table(
        frame,
        "Children with 3 or more placements since 1 April, by age and by time in care",
        section_col="_section",
        notes=legend_text(),
    )


# --------------------------------------------------------------------------- 6 location


LOCATION_IDS = tuple(catalogue.ids("location", breakdown=False, shown=True))


def location_section(report: ReportData) -> object:
    """Distance bands by quarter (the panel's table), % within 20 miles, % over 20 miles and
    outside, and the number placed outside the council."""
    parts = [sentences(report, [(i, None) for i in LOCATION_IDS])]
    band = tables.by_quarter_table(
        report.judged, "cla_by_distance_band", report.table_quarters, share_of="0-20"
    )
    parts.append(
        html_tables.html_table(
            band,
            "Children in care by distance from home to placement, by quarter",
            notes=legend_text(),
        )
    )
    within = series_of(report, "placed_within_20_miles")
    if within.notna().sum():
        first, last = within.dropna().iloc[0], within.dropna().iloc[-1]
        title = text.change_title(
            "Children placed within 20 miles of home",
            last,
            first,
            "percent",
            f"{format_date(within.dropna().index[0])}",
        )
        chart = charts.trend_chart(
            within,
            label="Placed within 20 miles",
            unit="percent",
            title=title,
            council=report.params.council_name,
            source=source_line(report),
        )
        parts.append(charts.figure_html(chart))
    by_q = tables.indicator_by_quarter(report.judged, list(LOCATION_IDS), report.table_quarters)
    outside = series_of(report, "placed_outside_la", column="numerator")
    by_q.loc[len(by_q)] = ["Number placed outside the council's area"] + [
        format_value(outside.get(d, math.nan), "count") for d in report.table_quarters
    ]
    parts.append(html_tables.html_table(by_q, "Placement location by quarter", notes=legend_text()))
    return display(*parts)


# --------------------------------------------------------------------------- 7 health


HEALTH_IDS = tuple(catalogue.ids("health", shown=True))


def health_section(report: ReportData) -> object:
    """Health at the latest 31 March against England, region and neighbours."""
    march = dates.last_march(report.params.period_end)
    rows = [(i, None) for i in HEALTH_IDS]
    sentences = []
    for iid, _ in rows:
        r = row_at(report, iid, march)
        if r is not None:
            sentences.append(
                f"<li>{html.escape(text.indicator_sentence(r, with_comparators=True))}</li>"
            )
    parts = [f'<ul class="cpp-findings">{"".join(sentences)}</ul>' if sentences else ""]
    parts.append(
        html_tables.html_table(
            tables.comparison_table(report.judged, HEALTH_IDS, march),
            f"Health of children in care for 12 months or more at {format_date(march)}",
            notes=legend_text(),
        )
    )
    r = row_at(report, "health_assessment", march)
    if r is not None:
        values = {
            report.params.council_name: as_number(r.get("value")),
            "England": as_number(r.get("england")),
            "Region": as_number(r.get("region")),
            "Statistical neighbours": as_number(r.get("neighbours")),
        }
        chart = charts.comparator_chart(
            values,
            council=report.params.council_name,
            label="Annual health assessments",
            unit="percent",
            source=DFE_SOURCE,
            period=f"At {format_date(march)}",
        )
        parts.append(charts.figure_html(chart))
    return display(*parts)


# --------------------------------------------------------------------------- 8 care leavers


CARE_LEAVER_IDS = catalogue.ids("care_leavers", shown=True)


def care_leavers_section(report: ReportData) -> object:
    """Care leavers by quarter (year to date) and the projected year-end figures."""
    parts = [sentences(report, [(i, None) for i in CARE_LEAVER_IDS])]
    parts.append(
        html_tables.html_table(
            tables.indicator_by_quarter(report.judged, CARE_LEAVER_IDS, report.table_quarters),
            "Care leavers by quarter (birthdays since 1 April)",
            notes=legend_text(),
        )
    )
    if report.params.in_year:
        try:
            proj = report.projection
            if proj is None:
                raise ValueError(report.drilldown_errors.get("projection", "not computed"))
            proj = (
                proj[proj["age_group"].isin(["17_18", "19_21"])]
                if "age_group" in proj.columns
                else proj
            )
            table = tables.projection_table(proj)
            if report.params.public:
                table = _suppress_projection(table, report)
            parts.append(
                html_tables.html_table(
                    table,
                    f"Care leavers: projected figures at 31 March "
                    f"{dates.year_end(report.params.period_end).year}",
                    notes="Projection: young people whose birthday is still to come this year are "
                    "counted with their status as recorded now. Best and worst cases assume "
                    "all or none of them meet the measure. " + legend_text(),
                )
            )
        except (CppError, KeyError, ValueError) as exc:
            parts.append(
                paragraph(f"The year-end projection could not be built: {exc}", "cpp-note")
            )
    return display(*parts)


def _suppress_projection(table: pd.DataFrame, report: ReportData) -> pd.DataFrame:
    """Rows the disclosure check hides (:func:`cppanalytics.judgement.disclosure.
    suppress_projection`, worked out with the report) shown as ``c``."""
    out = table.copy()
    full = report.projection
    hidden = cast("np.ndarray | None", report.extras.get("projection_hidden"))
    if full is None or hidden is None:
        raise CppError("the projection table has no disclosure check; rebuild the report")
    shown = full["age_group"].isin(["17_18", "19_21"]).to_numpy()
    out.loc[hidden[shown], out.columns[1:]] = SUPPRESSED
    from cppanalytics.judgement.public_tables import PROJECTION

    printed = _record(report, PROJECTION)
    if printed is not None:  # what the check before publication attacks
        for ind, (_, row) in zip(full.loc[shown, "indicator_id"], out.iterrows(), strict=True):
            printed.update({(str(ind), str(col)): str(row[col]) for col in out.columns[1:]})
    return out


# --------------------------------------------------------------------------- 9 adoption


ADOPTION_IDS = tuple(catalogue.ids("adoption", shown=True))


def adoption_section(report: ReportData) -> object:
    """Adoptions and SGOs, timeliness from decision, A1/A10/A2."""
    parts = [sentences(report, [(i, None) for i in ADOPTION_IDS])]
    parts.append(
        html_tables.html_table(
            tables.indicator_by_quarter(report.judged, list(ADOPTION_IDS), report.table_quarters),
            "Adoption and special guardianship by quarter (counts since 1 April; A1, A10 and A2 "
            "over the last 3 years)",
            notes=legend_text(),
        )
    )
    parts.append(
        html_tables.html_table(
            tables.comparison_table(report.judged, ADOPTION_IDS, report.params.period_end),
            f"Adoption at {format_date(report.params.period_end)} with comparators",
            notes=legend_text(),
        )
    )
    return display(*parts)


# --------------------------------------------------------------------------- 10 missing


MISSING_IDS = tuple(catalogue.ids("missing", shown=True))


def missing_section(report: ReportData) -> object:
    """Children missing and incidents since 1 April; return interviews when supplied locally."""
    parts = [sentences(report, [(i, None) for i in MISSING_IDS])]
    parts.append(
        html_tables.html_table(
            tables.indicator_by_quarter(report.judged, list(MISSING_IDS), report.table_quarters),
            "Missing from care by quarter (since 1 April)",
            notes=legend_text(),
        )
    )
    local = [i for i in local_ids(report) if "return" in i or "interview" in i]
    if local:
        parts.append(
            html_tables.html_table(
                tables.indicator_by_quarter(report.judged, local, report.table_quarters),
                "Return interviews (local data)",
                notes=legend_text(),
            )
        )
    else:
        parts.append(
            paragraph(
                "Return interviews are not in the 903 return; they appear here when the "
                "council supplies them as local measures.",
                "cpp-note",
            )
        )
    return display(*parts)
