"""Report tables as data: the section tables, data quality and definitions, as DataFrames of
display strings (their HTML is :mod:`cppanalytics.presentation.html_tables`; the scorecard
is :mod:`cppanalytics.presentation.scorecard`).

Table builders return DataFrames whose visible columns hold display strings (already
rounded half up, ``c``/``x``/``z`` applied). Columns whose names start with ``_`` carry
helpers for rendering (indicator id, RAG key, trend values) and are dropped by
:func:`visible` before a table is exported or shown.

Examples
--------
>>> frame = pd.DataFrame({"Indicator": ["Children in care"], "_id": ["cla_count"]})
>>> list(visible(frame).columns)
['Indicator']
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from cppanalytics import dates
from cppanalytics.findings import SEVERITY_ORDER
from cppanalytics.indicators import catalogue
from cppanalytics.judgement.comparators import comparator_note
from cppanalytics.presentation.formatting import (
    NOT_APPLICABLE,
    NOT_AVAILABLE,
    as_number,
    decimals_for,
    format_date,
    format_number,
    format_value,
    round_half_up,
)
from cppanalytics.presentation.labels import breakdown_label, group_label, indicator_label
from cppanalytics.presentation.style import RAG_COLOURS, rag_key
from cppanalytics.results import window_kinds

POLARITY_WORDS: dict[str, str] = {
    "up": "Higher is better",
    "down": "Lower is better",
    "neither": "Neither higher nor lower is better",
}

# --------------------------------------------------------------------------- helpers


def visible(frame: pd.DataFrame) -> pd.DataFrame:
    """The display columns of a table (helper columns starting with ``_`` dropped).

    Examples
    --------
    >>> list(visible(pd.DataFrame({"A": [1], "_id": ["x"]})).columns)
    ['A']
    """
    return frame[[c for c in frame.columns if not str(c).startswith("_")]]


def is_suppressed(row: object) -> bool:
    """True when a judged row (dict/Series) was suppressed by disclosure control.

    Examples
    --------
    >>> is_suppressed({"suppressed": True}), is_suppressed({"value": 3})
    (True, False)
    """
    flag = row.get("suppressed", False) if hasattr(row, "get") else False  # type: ignore[union-attr]
    try:
        return bool(flag) and not pd.isna(flag)
    except (TypeError, ValueError):
        return False


def shown(row: object, column: str) -> object:
    """A judged row's figure as it may be shown: ``c`` for a suppressed value or numerator
    (and for its denominator when that was removed), else the raw figure.

    Examples
    --------
    >>> shown({"suppressed": True, "value": float("nan")}, "value")
    'c'
    >>> shown({"suppressed": False, "value": 12.0}, "value")
    12.0
    """
    if row is None:
        return None
    value = row.get(column) if hasattr(row, "get") else None  # type: ignore[union-attr]
    if is_suppressed(row) and (
        column in ("value", "numerator")
        or (column == "denominator" and math.isnan(as_number(value)))
    ):
        return "c"
    return value


def shown_column(part: pd.DataFrame, column: str) -> list[object]:
    """:func:`shown` for every row of a judged table's column."""
    supp = (
        part["suppressed"].fillna(False).astype(bool)
        if "suppressed" in part.columns
        else pd.Series(False, index=part.index)
    )
    return [
        (
            "c"
            if flag
            and (
                column in ("value", "numerator")
                or (column == "denominator" and math.isnan(as_number(v)))
            )
            else v
        )
        for v, flag in zip(part[column], supp, strict=True)
    ]


def unit_of(indicator_id: str, fallback: str = "count") -> str:
    """The catalogue unit of an id, else ``fallback`` (a local measure)."""
    ind = catalogue.CATALOGUE.get(indicator_id)
    return ind.unit if ind else fallback


def section_of(indicator_id: str) -> str:
    """The catalogue section of an id, else ``local``."""
    ind = catalogue.CATALOGUE.get(indicator_id)
    return ind.section if ind else "local"


def add_window_kind(results: pd.DataFrame) -> pd.DataFrame:
    """A results (or judged) table with a ``window_kind`` column: the contract's ``window``
    (:func:`cppanalytics.results.window_kinds` works it out for a frame without one).

    Examples
    --------
    >>> r = pd.DataFrame({"indicator_id": ["cla_started"], "period_end": ["2026-09-30"],
    ...                   "window_start": ["2026-04-01"]})
    >>> add_window_kind(r)["window_kind"].tolist()
    ['fytd']
    """
    out = results.copy()
    if "window" in out.columns and not out["window"].fillna("").eq("").any():
        out["window_kind"] = out["window"].to_numpy()
        return out
    dated = out.assign(
        **{
            c: pd.to_datetime(out[c] if c in out.columns else out["period_end"])
            for c in ("period_end", "window_start", "window_end")
        }
    )
    out["window_kind"] = window_kinds(dated).to_numpy() if len(out) else []
    return out


def column_date(d: object) -> str:
    """A short date for table column headers: ``Sep 2026``.

    Examples
    --------
    >>> column_date("2026-09-30")
    'Sep 2026'
    """
    return pd.Timestamp(d).strftime("%b %Y")  # type: ignore[arg-type]


def headline_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """The headline rows of a results (or judged) table (no breakdown).

    Examples
    --------
    >>> headline_rows(pd.DataFrame({"breakdown": ["", "sex"]})).index.tolist()
    [0]
    """
    bd = frame["breakdown"] if "breakdown" in frame.columns else pd.Series("", index=frame.index)
    return frame[bd.fillna("").astype(str).eq("")]


def direction_text(direction: object, polarity: str = "neither") -> str:
    """Direction of travel: a word for the judgement and an arrow for the movement.

    Accepts the judgement's words (``improved``, ``worse``, ``up``, ``down``, ``same`` …).
    The arrow shows which way the figure moved, so for a lower-is-better indicator an
    improvement points down ("Better ▼"); the word says whether that is good (never colour
    or arrow alone).

    Examples
    --------
    >>> direction_text("improved", "up"), direction_text("worse", "up"), direction_text("up")
    ('Better ▲', 'Worse ▼', 'Up ▲')
    >>> direction_text("improved", "down"), direction_text("worse", "down")
    ('Better ▼', 'Worse ▲')
    >>> direction_text(""), direction_text("no change")
    ('x', 'No change ►')
    """
    text = str(direction).strip().lower() if direction is not None else ""
    if text in ("", "nan", "none", "<na>"):
        return NOT_AVAILABLE
    lower_is_better = str(polarity).strip().lower() == "down"
    if text in ("improved", "improving", "better"):
        return "Better ▼" if lower_is_better else "Better ▲"
    if text in ("worse", "worsened", "worsening", "declined", "deteriorated"):
        return "Worse ▲" if lower_is_better else "Worse ▼"
    if text in ("up", "rose", "increase", "increased", "higher"):
        return "Up ▲"
    if text in ("down", "fell", "decrease", "decreased", "lower"):
        return "Down ▼"
    if text in ("same", "no change", "unchanged", "stable", "level", "flat"):
        return "No change ►"
    return text[:1].upper() + text[1:]


def computed_direction(current: float, previous: float, unit: str, polarity: str) -> str:
    """Direction of travel from two figures as displayed (rounded half up), polarity-aware.

    Examples
    --------
    >>> computed_direction(12.4, 11.6, "percent", "down"), computed_direction(3, 3, "count", "up")
    ('same', 'same')
    >>> computed_direction(12.6, 11.4, "percent", "down")
    'worse'
    """
    if math.isnan(current) or math.isnan(previous):
        return ""
    dp = decimals_for(unit)
    diff = round_half_up(current, dp) - round_half_up(previous, dp)
    if diff == 0:
        return "same"
    if polarity == "up":
        return "improved" if diff > 0 else "worse"
    if polarity == "down":
        return "improved" if diff < 0 else "worse"
    return "up" if diff > 0 else "down"


# --------------------------------------------------------------------------- section tables


def profile_table(
    results: pd.DataFrame,
    indicator_id: str,
    period_end: str | pd.Timestamp,
    previous_end: str | pd.Timestamp | None = None,
) -> pd.DataFrame:
    """A breakdown at ``period_end`` (numbers and %) with ``previous_end`` beside it.

    Groups appear in the catalogue's order, zeros included, then a total row.

    Examples
    --------
    See ``tests/presentation/test_tables.py``.
    """
    ind = catalogue.get(indicator_id)
    breakdown = ind.breakdown
    order = catalogue.BREAKDOWN_GROUPS.get(breakdown, [])
    pe = dates.as_date(period_end)
    ends = [pe] + ([dates.as_date(previous_end)] if previous_end is not None else [])
    sel = results[results["indicator_id"].eq(indicator_id)].copy()
    sel["period_end"] = pd.to_datetime(sel["period_end"])
    groups = list(order) + [g for g in sel["group"].unique() if g not in order]
    table = pd.DataFrame(
        {breakdown_label(breakdown): [group_label(breakdown, g) for g in groups] + ["Total"]}
    )
    for d in ends:
        part = sel[sel["period_end"].eq(d)].drop_duplicates("group", keep="last")
        part = part.set_index("group").reindex(groups)
        den = part["denominator"].dropna()
        total = den.iloc[0] if len(den) else math.nan
        label = format_date(d)
        table[f"Number ({label})"] = [
            format_value(v, "count") for v in shown_column(part, "numerator")
        ] + [format_value(total, "count")]
        table[f"% ({label})"] = [
            format_value(v, "percent") for v in shown_column(part, "value")
        ] + ["100%" if not math.isnan(as_number(total)) else NOT_AVAILABLE]
    return table


def by_quarter_table(
    results: pd.DataFrame,
    indicator_id: str,
    period_ends: Sequence[str | pd.Timestamp],
    *,
    breakdown_groups: bool = True,
    share_of: str | None = None,
    total_label: str = "Number of children in care",
) -> pd.DataFrame:
    """Counts of a breakdown by quarter (groups down, quarters across), as in the panel's
    distance-band table; then ``% <share_of>`` and the total (the denominator).

    Examples
    --------
    See ``tests/presentation/test_tables.py``.
    """
    ind = catalogue.get(indicator_id)
    order = catalogue.BREAKDOWN_GROUPS.get(ind.breakdown, [])
    sel = results[results["indicator_id"].eq(indicator_id)].copy()
    sel["period_end"] = pd.to_datetime(sel["period_end"])
    ends = [dates.as_date(d) for d in period_ends]
    first = breakdown_label(ind.breakdown)
    groups = list(order) + [g for g in sel["group"].unique() if g not in order]
    rows: dict[str, list[str]] = {group_label(ind.breakdown, g): [] for g in groups}
    share: list[str] = []
    totals: list[str] = []
    for d in ends:
        part = sel[sel["period_end"].eq(d)].drop_duplicates("group", keep="last")
        part = part.set_index("group").reindex(groups)
        nums = dict(zip(groups, shown_column(part, "numerator"), strict=True))
        vals = dict(zip(groups, shown_column(part, "value"), strict=True))
        for g in groups:
            rows[group_label(ind.breakdown, g)].append(format_value(nums[g], "count"))
        if share_of is not None:
            share.append(format_value(vals.get(share_of, math.nan), "percent"))
        den = part["denominator"].dropna()
        totals.append(format_value(den.iloc[0] if len(den) else math.nan, "count"))
    labels = [column_date(d) for d in ends]
    data = [[name, *vals] for name, vals in rows.items()] if breakdown_groups else []
    if share_of is not None:
        data.append([f"% {group_label(ind.breakdown, share_of)}", *share])
    data.append([total_label, *totals])
    return pd.DataFrame(data, columns=[first, *labels])


def indicator_by_quarter(
    judged: pd.DataFrame,
    ids: Sequence[str],
    period_ends: Sequence[str | pd.Timestamp],
    *,
    window: str | None = None,
) -> pd.DataFrame:
    """Headline values of several indicators by quarter (indicators down, quarters across).

    ``window`` picks one window kind (e.g. ``fytd``); default: each indicator's own.

    Examples
    --------
    See ``tests/presentation/test_tables.py``.
    """
    frame = add_window_kind(headline_rows(judged))
    frame["period_end"] = pd.to_datetime(frame["period_end"])
    ends = [dates.as_date(d) for d in period_ends]
    rows_of = frame.groupby("indicator_id", sort=False).indices  # each id's rows, in order
    data = []
    for iid in ids:
        kind = window or (
            catalogue.CATALOGUE[iid].window if iid in catalogue.CATALOGUE else "point"
        )
        sel = frame.iloc[rows_of.get(iid, [])]
        if kind in set(sel["window_kind"]):
            march = sel["period_end"].dt.month.eq(3) & sel["period_end"].dt.day.eq(31)
            twin = {"fytd": "r12", "r12": "fytd"}.get(kind, kind)
            pick = sel["window_kind"].eq(kind) | (march & sel["window_kind"].eq(twin))
            sel = sel[pick].sort_values("window_kind", key=lambda k: k.ne(kind))
            sel = sel.drop_duplicates("period_end", keep="first")
        sel = sel.drop_duplicates("period_end", keep="last").set_index("period_end")
        unit = str(sel["unit"].iloc[0]) if len(sel) else unit_of(iid)
        values = dict(zip(sel.index, shown_column(sel, "value"), strict=True))
        data.append(
            [indicator_label(iid)] + [format_value(values.get(d, math.nan), unit) for d in ends]
        )
    return pd.DataFrame(data, columns=["Indicator", *[column_date(d) for d in ends]])


#: DfE's statistical neighbours per council
N_NEIGHBOURS = 10


def neighbours_cell(row: pd.Series, unit: str) -> str:
    """The neighbour figure, saying how many of the 10 neighbours had one when not all did.

    Examples
    --------
    >>> neighbours_cell(pd.Series({"neighbours": 12.34, "n_neighbours": 8}), "percent")
    '12% (8 of 10)'
    >>> neighbours_cell(pd.Series({"neighbours": 12.34, "n_neighbours": 10}), "percent")
    '12%'
    """
    text = format_value(row.get("neighbours"), unit)
    n = as_number(row.get("n_neighbours"))
    if not math.isnan(n) and n < N_NEIGHBOURS and not math.isnan(as_number(row.get("neighbours"))):
        text += f" ({n:.0f} of {N_NEIGHBOURS})"
    return text


def comparator_year_cell(row: pd.Series) -> str:
    """The 31 March the England, region and neighbour figures are for (``x`` when none).

    Examples
    --------
    >>> comparator_year_cell(pd.Series({"comparator_year": 2025, "england": 70.0}))
    '31 Mar 2025'
    >>> comparator_year_cell(pd.Series({"comparator_year": 2025, "england": float("nan")}))
    'x'
    """
    year = as_number(row.get("comparator_year"))
    shown_any = any(
        not math.isnan(as_number(row.get(c))) for c in ("england", "region", "neighbours")
    )
    return f"31 Mar {year:.0f}" if shown_any and not math.isnan(year) else NOT_AVAILABLE


def comparison_table(
    judged: pd.DataFrame, ids: Sequence[str], period_end: str | pd.Timestamp
) -> pd.DataFrame:
    """Value, numerator/denominator and comparators at one date for a list of indicators
    (health at 31 March, adoption, missing …).

    Examples
    --------
    See ``tests/presentation/test_tables.py``.
    """
    pe = dates.as_date(period_end)
    frame = add_window_kind(headline_rows(judged))
    frame["period_end"] = pd.to_datetime(frame["period_end"])
    frame = frame[frame["period_end"].eq(pe)]
    data = []
    for iid in ids:
        sel = frame[frame["indicator_id"].eq(iid)]
        if sel.empty:
            continue
        r = sel.iloc[-1]
        unit = str(r.get("unit") or unit_of(iid))
        count_of = (
            f"{format_number(shown(r, 'numerator'))} of "  # type: ignore[arg-type]
            f"{format_number(shown(r, 'denominator'))}"  # type: ignore[arg-type]
            if unit == "percent"
            else format_number(shown(r, "denominator"))  # type: ignore[arg-type]
            if unit in ("score", "days", "ratio")
            else NOT_APPLICABLE
        )
        data.append(
            {
                "Indicator": indicator_label(iid),
                "Value": format_value(shown(r, "value"), unit),
                "Children": count_of,
                "England": format_value(r.get("england"), unit),
                "Region": format_value(r.get("region"), unit),
                "Statistical neighbours": neighbours_cell(r, unit),
                "Comparator year": comparator_year_cell(r),
                "Target": format_value(r.get("target"), unit)
                if not math.isnan(as_number(r.get("target")))
                else NOT_APPLICABLE,
                "RAG": RAG_COLOURS[rag_key(r.get("rag"))][2],
            }
        )
    return pd.DataFrame(
        data,
        columns=[
            "Indicator",
            "Value",
            "Children",
            "England",
            "Region",
            "Statistical neighbours",
            "Comparator year",
            "Target",
            "RAG",
        ],
    )


def projection_table(projection: pd.DataFrame) -> pd.DataFrame:
    """The care-leaver year-end projection
    (:func:`cppanalytics.indicators.care_leavers.yearend_projection`) for display.

    Examples
    --------
    See ``tests/presentation/test_tables.py``.
    """
    data = []
    for _, r in projection.iterrows():
        data.append(
            {
                "Measure": indicator_label(str(r["indicator_id"])),
                "Year to date": f"{format_number(r['ytd_numerator'])} of "
                f"{format_number(r['ytd_denominator'])} "
                f"({format_value(r['ytd_value'], 'percent')})",
                "Birthdays still to come": format_number(r["to_come"]),
                "Projected 31 March": f"{format_number(r['projected_numerator'])} of "
                f"{format_number(r['projected_denominator'])} "
                f"({format_value(r['projected_value'], 'percent')})",
                "Best case": format_value(r["best_value"], "percent"),
                "Worst case": format_value(r["worst_value"], "percent"),
            }
        )
    return pd.DataFrame(
        data,
        columns=[
            "Measure",
            "Year to date",
            "Birthdays still to come",
            "Projected 31 March",
            "Best case",
            "Worst case",
        ],
    )


def frame_for_display(frame: pd.DataFrame, units: dict[str, str] | None = None) -> pd.DataFrame:
    """Format every numeric column of a small table (counts by default) for display.

    Examples
    --------
    >>> frame_for_display(pd.DataFrame({"Year": ["12/13"], "Children": [1234.0]}))["Children"][0]
    '1,234'
    """
    units = units or {}
    out = frame.copy()
    for c in out.columns:
        if pd.api.types.is_numeric_dtype(out[c]) and not pd.api.types.is_bool_dtype(out[c]):
            out[c] = [format_value(v, units.get(str(c), "count")) for v in out[c]]
        elif pd.api.types.is_datetime64_any_dtype(out[c]):
            out[c] = [format_date(v) for v in out[c]]
    return out


# --------------------------------------------------------------------------- data quality


def data_quality_summary(findings: pd.DataFrame) -> pd.DataFrame:
    """One row per finding code: severity, what happened, findings, children affected,
    the action taken, the indicators touched, and what to do.

    Children are counted once per code (distinct non-empty ``child``); never listed.

    Examples
    --------
    >>> f = pd.DataFrame({"severity": ["error", "error"], "code": ["x", "x"], "table": ["episodes"] * 2,
    ...     "child": ["1", "1"], "message": ["bad"] * 2, "fix": ["fix it"] * 2,
    ...     "action": ["set_aside"] * 2, "indicators": ["cla_count", "cla_count,cla_started"]})
    >>> data_quality_summary(f).loc[0, ["Findings", "Children affected"]].tolist()
    ['2', '1']
    """
    cols = [
        "Issue",
        "Severity",
        "Table",
        "Findings",
        "Children affected",
        "Action",
        "Indicators touched",
        "What to do",
    ]
    if findings is None or findings.empty:
        return pd.DataFrame(columns=cols)
    f = findings.copy()
    for c in ("severity", "code", "table", "child", "message", "fix", "action", "indicators"):
        if c not in f.columns:
            f[c] = ""
        f[c] = f[c].astype(object).where(f[c].notna(), "").astype(str)
    f["_child"] = f["child"].where(f["child"].str.strip().ne(""))
    grouped = f.groupby("code", sort=False)
    out = pd.DataFrame(
        {
            "severity": grouped["severity"].first(),
            "table": grouped["table"].agg(lambda s: ", ".join(sorted({t for t in s if t}))),
            "n": grouped.size(),
            "children": grouped["_child"].nunique(),
            "message": grouped["message"].first(),
            "fix": grouped["fix"].first(),
            "action": grouped["action"].agg(lambda s: ", ".join(sorted({a for a in s if a}))),
            "indicators": grouped["indicators"].agg(
                lambda s: ", ".join(
                    sorted({i.strip() for v in s for i in v.split(",") if i.strip()})
                )
            ),
        }
    ).reset_index()
    out["_order"] = out["severity"].map(SEVERITY_ORDER).fillna(9)
    out = out.sort_values(["_order", "n"], ascending=[True, False])
    return pd.DataFrame(
        {
            "Issue": out["message"].where(out["message"].ne(""), out["code"]),
            "Severity": out["severity"].str.capitalize(),
            "Table": out["table"].replace("", NOT_APPLICABLE),
            "Findings": [format_number(v) for v in out["n"]],
            "Children affected": [format_number(v) for v in out["children"]],
            "Action": out["action"].str.replace("_", " ").replace("", NOT_APPLICABLE),
            "Indicators touched": [
                ", ".join(indicator_label(i) for i in v.split(", ")) if v else "none recorded"
                for v in out["indicators"]
            ],
            "What to do": out["fix"].replace("", NOT_APPLICABLE),
            "_code": out["code"],
        }
    ).reset_index(drop=True)


def findings_detail(findings: pd.DataFrame, code: str, *, limit: int | None = None) -> pd.DataFrame:
    """The rows behind one finding code (internal use only: shows CHILD ids).

    Examples
    --------
    >>> f = pd.DataFrame({"code": ["x"], "file": ["e.csv"], "row": [7], "column": ["DECOM"],
    ...                   "value": ["32/01/2020"], "child": ["123"], "message": ["bad date"]})
    >>> findings_detail(f, "x").loc[0, "Row"]
    '7'
    """
    sel = findings[findings["code"].eq(code)]
    if limit is not None:
        sel = sel.head(limit)
    out = pd.DataFrame(
        {
            "File": sel.get("file", ""),
            "Row": [
                format_number(v) if not pd.isna(v) else NOT_APPLICABLE
                for v in sel.get("row", pd.Series(np.nan, index=sel.index))
            ],
            "Column": sel.get("column", ""),
            "Value": sel.get("value", ""),
            "Child": sel.get("child", ""),
            "Message": sel.get("message", ""),
        }
    )
    return out.reset_index(drop=True).fillna("")


# --------------------------------------------------------------------------- definitions


def definitions_table(
    ids: Sequence[str] | None = None,
    *,
    judged: pd.DataFrame | None = None,
    neighbour_summary: str = "mean",
) -> pd.DataFrame:
    """Each indicator's definition, cohort, polarity, default window and comparator source.

    The comparator source names the latest DfE year found in ``judged`` for that indicator
    (``comparator_year``), else says there is no published comparator.

    Examples
    --------
    >>> definitions_table(["cla_count"]).loc[0, "Polarity"]
    'Neither higher nor lower is better'
    """
    chosen = list(ids) if ids is not None else catalogue.ids()
    years: dict[str, float] = {}
    if judged is not None and "comparator_year" in judged.columns:
        cy = pd.to_numeric(judged["comparator_year"], errors="coerce")
        years = cy.groupby(judged["indicator_id"]).max().dropna().to_dict()
    rows = []
    for iid in chosen:
        ind = catalogue.CATALOGUE.get(iid)
        published = catalogue.lookup(iid)
        if iid in years:
            source = (
                f"DfE published figures at 31 March {int(years[iid])}: England, region "
                f"and the {neighbour_summary} of the 10 statistical neighbours"
            )
        elif published is not None and published.comparator:
            source = f"{published.comparator}; no published figure for this year"
        elif ind is None:
            source = "Supplied by the council (local measure); no published comparator"
        else:
            why = comparator_note(iid)
            source = f"No DfE figure: {why}" if why else "No published comparator"
        rows.append(
            {
                "Indicator": indicator_label(iid),
                "Definition": ind.definition if ind else "Local measure supplied by the council.",
                "Cohort": ind.cohort if ind and ind.cohort else NOT_APPLICABLE,
                "Polarity": POLARITY_WORDS[ind.polarity if ind else catalogue.polarity(iid)],
                "Period": _WINDOW_WORDS.get(ind.window, ind.window) if ind else NOT_AVAILABLE,
                "Comparators": source,
            }
        )
    return pd.DataFrame(
        rows, columns=["Indicator", "Definition", "Cohort", "Polarity", "Period", "Comparators"]
    )


_WINDOW_WORDS = {
    "point": "At the period end",
    "fytd": "1 April to the period end",
    "r12": "12 months to the period end",
    "q": "The quarter",
    "r24": "24 months to the period end",
    "r36": "36 months to the period end",
}


# --------------------------------------------------------------------------- published figures


def latest_published_year(
    published: pd.DataFrame, indicator_id: str, period_end: str | pd.Timestamp
) -> int | None:
    """The latest year with a published figure for ``indicator_id`` whose 31 March is on or
    before ``period_end`` (None when there is none).

    Examples
    --------
    >>> p = pd.DataFrame({"indicator_id": ["k", "k"], "year": [2024, 2025]})
    >>> latest_published_year(p, "k", "2025-03-30"), latest_published_year(p, "k", "2026-01-01")
    (2024, 2025)
    """
    pe = dates.as_date(period_end)
    cutoff = dates.last_march(pe).year
    years = published.loc[
        published["indicator_id"].eq(indicator_id) & (published["year"] <= cutoff), "year"
    ]
    return int(years.max()) if len(years) else None


def breakdown_with_england(
    judged: pd.DataFrame,
    published: pd.DataFrame | None,
    indicator_id: str,
    period_end: str | pd.Timestamp,
    *,
    total_label: str,
) -> pd.DataFrame:
    """One breakdown at a date — number and % per group — beside England's published % for
    the same groups (stored as ``<indicator>.<group>``, latest year on or before the date).

    Public mode: suppressed figures show as ``c`` (the judged table is already
    disclosure-controlled).

    Examples
    --------
    See ``tests/presentation/test_tables.py``.
    """
    pe = dates.as_date(period_end)
    ind = catalogue.get(indicator_id)
    order = list(catalogue.BREAKDOWN_GROUPS.get(ind.breakdown, []))
    sel = judged[judged["indicator_id"].eq(indicator_id)].copy()
    sel["period_end"] = pd.to_datetime(sel["period_end"])
    part = sel[sel["period_end"].eq(pe)].drop_duplicates("group", keep="last")
    part = part.set_index("group").reindex(order)
    nums = shown_column(part, "numerator")
    vals = shown_column(part, "value")
    den = part["denominator"].dropna()
    pub = (
        published
        if published is not None
        else pd.DataFrame(columns=["indicator_id", "year", "england"])
    )
    ids = {g: f"{indicator_id}.{g}" for g in order}
    years = [latest_published_year(pub, i, pe) for i in ids.values()]
    year = max((y for y in years if y is not None), default=None)
    eng = pub[pub["indicator_id"].isin(list(ids.values())) & pub["year"].eq(year)]
    eng = eng.set_index("indicator_id")["england"].to_dict()
    eng_col = f"England ({year})" if year is not None else "England"
    first = breakdown_label(ind.breakdown)
    rows = [
        {
            first: group_label(ind.breakdown, g),
            "Number": format_value(n, "count"),
            "%": format_value(v, "percent"),
            eng_col: format_value(eng.get(ids[g], math.nan), "percent") if year else NOT_AVAILABLE,
        }
        for g, n, v in zip(order, nums, vals, strict=True)
    ]
    rows.append(
        {
            first: total_label,
            "Number": format_value(den.iloc[0] if len(den) else math.nan, "count"),
            "%": NOT_APPLICABLE,
            eng_col: NOT_APPLICABLE,
        }
    )
    return pd.DataFrame(rows, columns=[first, "Number", "%", eng_col])


def published_by_year(
    published: pd.DataFrame,
    ids: Sequence[str],
    *,
    council: str,
    years: int = 5,
    academic: bool = False,
) -> pd.DataFrame:
    """DfE's published figures by year: for each indicator the council's own, England, its
    region and its statistical neighbours (rows), the last ``years`` years (columns).

    ``academic``: label years as academic years (2025 → ``2024/25``), as the key stage
    results are.

    Examples
    --------
    >>> p = pd.DataFrame({"indicator_id": ["ks4_attainment8"] * 2, "year": [2024, 2025],
    ...     "la_published": [20.1, 21.0], "england": [22.0, 22.5], "region": [23.0, 23.1],
    ...     "neighbours": [21.0, 21.4]})
    >>> t = published_by_year(p, ["ks4_attainment8"], council="Ouzel Vale", academic=True)
    >>> list(t.columns), t.iloc[0].tolist()
    (['Indicator', 'Figure for', '2023/24', '2024/25'], ['KS4 average Attainment 8 score (children looked after 12 months)', 'Ouzel Vale', '20.1', '21.0'])
    """
    sel = published[published["indicator_id"].isin(list(ids))]
    all_years = sorted(sel["year"].dropna().astype(int).unique())[-years:]

    def label(y: int) -> str:
        return f"{y - 1}/{str(y)[2:]}" if academic else f"31 Mar {y}"

    data = []
    for iid in ids:
        part = sel[sel["indicator_id"].eq(iid)].set_index("year")
        if part.empty:
            continue
        rec = catalogue.lookup(iid)
        unit = rec.unit if rec else "percent"
        for col, who in (
            ("la_published", council),
            ("england", "England"),
            ("region", "Region"),
            ("neighbours", "Statistical neighbours"),
        ):
            data.append(
                [indicator_label(iid), who]
                + [format_value(part[col].get(y, math.nan), unit) for y in all_years]
            )
    return pd.DataFrame(data, columns=["Indicator", "Figure for", *[label(y) for y in all_years]])


def breakdown_counts(
    judged: pd.DataFrame, indicator_id: str, period_ends: Sequence[str | pd.Timestamp]
) -> pd.DataFrame:
    """Numbers in each group of a breakdown by quarter (index period end, one column per
    group label), for a stacked chart (internal reports: numbers are not suppressed).

    Examples
    --------
    >>> j = pd.DataFrame({"indicator_id": ["cla_by_provider"] * 2, "period_end": ["2026-09-30"] * 2,
    ...     "group": ["PR1", "PR4"], "numerator": [10.0, 5.0]})
    >>> breakdown_counts(j, "cla_by_provider", ["2026-09-30"]).iloc[0].tolist()[1:5:3]
    [10.0, 5.0]
    """
    ind = catalogue.get(indicator_id)
    order = list(catalogue.BREAKDOWN_GROUPS.get(ind.breakdown, []))
    sel = judged[judged["indicator_id"].eq(indicator_id)].copy()
    sel["period_end"] = pd.to_datetime(sel["period_end"])
    ends = [dates.as_date(d) for d in period_ends]
    table = sel.pivot_table(
        index="period_end", columns="group", values="numerator", aggfunc="last"
    ).reindex(index=ends, columns=order)
    table.columns = [group_label(ind.breakdown, g) for g in order]
    return table.astype("float64")
