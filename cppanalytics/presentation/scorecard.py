"""The scorecard: one row per headline indicator and window, in catalogue order (the rows
are the catalogue records' ``scorecard`` windows), as a DataFrame of display strings; its
HTML is :func:`cppanalytics.presentation.html_tables.scorecard_html`.

Examples
--------
>>> SCORECARD_ROWS[0]
('cla_count', 'point')
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd

from cppanalytics import dates
from cppanalytics.indicators import catalogue
from cppanalytics.judgement.rag import IN_YEAR
from cppanalytics.presentation.formatting import (
    NOT_APPLICABLE,
    NOT_AVAILABLE,
    as_number,
    format_value,
    is_symbol,
)
from cppanalytics.presentation.labels import indicator_label
from cppanalytics.presentation.style import RAG_COLOURS, rag_key
from cppanalytics.presentation.tables import (
    add_window_kind,
    comparator_year_cell,
    computed_direction,
    direction_text,
    headline_rows,
    neighbours_cell,
    section_of,
    shown,
    unit_of,
)

SCORECARD_COLUMNS: list[str] = [
    "Indicator",
    "This quarter",
    "Same quarter last year",
    "Last 31 March",
    "England",
    "Region",
    "Statistical neighbours",
    "Comparator year",
    "Target",
    "RAG",
    "Direction of travel",
    "Trend (last 8 quarters)",
]

#: (indicator id, window kind) rows of the scorecard, in order (from the catalogue's records)
SCORECARD_ROWS: list[tuple[str, str]] = catalogue.scorecard_rows()

SECTION_TITLES: dict[str, str] = {
    "population": "Children in care",
    "stability": "Stability",
    "location": "Placement location",
    "health": "Health (latest 31 March)",
    "care_leavers": "Care leavers",
    "adoption": "Adoption",
    "missing": "Missing from care",
    "social_workers": "Social workers",
    "local": "Local measures",
}

#: Sections whose figures are annual (meaningful at 31 March only).
ANNUAL_SECTIONS: frozenset[str] = frozenset({"health"})


#: the RAG cell of a running total before 31 March (never rated against an annual target)
IN_YEAR_TEXT = "In year, not rated"


def scorecard(
    judged: pd.DataFrame,
    period_end: str | pd.Timestamp,
    *,
    rows: Sequence[tuple[str, str]] | None = None,
    trend_quarters: int = 8,
) -> pd.DataFrame:
    """The scorecard: one row per headline indicator (:data:`SCORECARD_COLUMNS`).

    ``judged`` is :func:`cppanalytics.judgement.judge` output over several quarter ends.
    Values come from the row at ``period_end`` (``value``, ``same_quarter_last_year``,
    ``last_march``, ``england`` …); when the judged columns for last year or last March are
    missing they are looked up in ``judged`` itself. Annual measures (health) show ``z``
    for the quarter columns in-year and take RAG from the last 31 March. Rows with no
    result at all are left out. Helper columns: ``_indicator_id``, ``_window_kind``,
    ``_section``, ``_unit``, ``_rag_key``, ``_trend`` (list of the last quarters' values).

    Examples
    --------
    See ``tests/presentation/test_tables.py``.
    """
    pe = dates.as_date(period_end)
    wanted = list(rows) if rows is not None else SCORECARD_ROWS
    frame = add_window_kind(headline_rows(judged))
    frame["period_end"] = pd.to_datetime(frame["period_end"])
    keyed = frame.drop_duplicates(["indicator_id", "window_kind", "period_end"], keep="last")
    keyed = keyed.set_index(["indicator_id", "window_kind", "period_end"]).sort_index()
    quarter_ends = sorted(d for d in keyed.index.get_level_values(2).unique() if d <= pe)
    trend_ends = quarter_ends[-trend_quarters:]
    last_march = dates.last_march(pe)
    last_year = dates.minus_years(pe, 1)
    in_year = not dates.is_year_end(pe)

    # each (indicator, window kind, date) once: its row position and value
    position = {key: i for i, key in enumerate(keyed.index)}
    values = keyed["value"].to_numpy(dtype=object) if "value" in keyed else None

    def find(iid: str, kind: str, d: pd.Timestamp) -> int | None:
        for k in dates.same_window_kinds(kind, d):
            i = position.get((iid, k, d))
            if i is not None:
                return i
        return None

    def lookup(iid: str, kind: str, d: pd.Timestamp) -> pd.Series | None:
        i = find(iid, kind, d)
        return keyed.iloc[i] if i is not None else None

    def value_at(iid: str, kind: str, d: pd.Timestamp) -> float:
        i = find(iid, kind, d)
        return as_number(values[i]) if i is not None and values is not None else math.nan

    out = []
    for iid, kind in wanted:
        row = lookup(iid, kind, pe)
        lm_row = lookup(iid, kind, last_march)
        ly_row = lookup(iid, kind, last_year)
        base = row if row is not None else lm_row
        if base is None:
            continue
        unit = str(base.get("unit") or unit_of(iid))
        section = section_of(iid)
        polarity = str(base.get("polarity") or catalogue.polarity(iid))
        annual = section in ANNUAL_SECTIONS and in_year

        def col(name: str, fallback_row: pd.Series | None, src: pd.Series | None = row) -> object:
            val = src.get(name) if src is not None and name in src.index else None
            if (
                val is None or (not is_symbol(val) and math.isnan(as_number(val)))
            ) and fallback_row is not None:
                val = shown(fallback_row, "value")
            return val

        current = NOT_APPLICABLE if annual else shown(row, "value")
        same_ly = NOT_APPLICABLE if annual else col("same_quarter_last_year", ly_row)
        march = col("last_march", lm_row)
        judge_row = lm_row if annual and lm_row is not None else base
        rag = judge_row.get("rag", "")
        in_year_total = str(judge_row.get("judged_as", "")) == IN_YEAR
        # the arrow compares what the columns beside it show: this quarter with the same
        # quarter last year (annual measures: last 31 March with the one before, the
        # judgement's year comparison of that row), never with the previous quarter
        direction = judge_row.get("direction_year", "")
        if direction is None or str(direction).strip() in ("", "nan", "None"):
            if annual:
                prev_val = value_at(iid, kind, dates.minus_years(last_march, 1))
                direction = computed_direction(as_number(march), prev_val, unit, polarity)
            else:
                direction = computed_direction(
                    as_number(current), as_number(same_ly), unit, polarity
                )
        ends = [d for d in trend_ends if not annual or dates.is_year_end(d)]
        trend = [value_at(iid, kind, d) for d in ends]
        out.append(
            {
                "Indicator": indicator_label(
                    iid, kind if iid == "stability_3plus_placements" else ""
                ),
                "This quarter": format_value(current, unit),
                "Same quarter last year": format_value(same_ly, unit),
                "Last 31 March": format_value(march, unit),
                "England": format_value(judge_row.get("england"), unit),
                "Region": format_value(judge_row.get("region"), unit),
                "Statistical neighbours": neighbours_cell(judge_row, unit),
                "Comparator year": comparator_year_cell(judge_row),
                "Target": format_value(judge_row.get("target"), unit)
                if not math.isnan(as_number(judge_row.get("target")))
                else NOT_APPLICABLE,
                "RAG": IN_YEAR_TEXT if in_year_total else RAG_COLOURS[rag_key(rag)][2],
                "Direction of travel": direction_text(direction, polarity),
                "Trend (last 8 quarters)": _trend_words(trend, unit),
                "_indicator_id": iid,
                "_window_kind": kind,
                "_section": section,
                "_unit": unit,
                "_rag_key": rag_key(rag),
                "_trend": trend,
            }
        )
    columns = [
        *SCORECARD_COLUMNS,
        "_indicator_id",
        "_window_kind",
        "_section",
        "_unit",
        "_rag_key",
        "_trend",
    ]
    return pd.DataFrame(out, columns=columns)


def _trend_words(values: Sequence[float], unit: str) -> str:
    clean = [v for v in values if not math.isnan(v)]
    if len(clean) < 2:
        return NOT_AVAILABLE
    return f"{format_value(clean[0], unit)} to {format_value(clean[-1], unit)}"
