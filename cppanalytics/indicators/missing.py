"""Missing from care and away without authorisation (Missing table): the ``missing`` section.

Window: default ``fytd`` (each indicator's own window, so an override applies per id).

Cohort
    children looked after at any time in the window
    (:meth:`cppanalytics.indicators.context.Context.cla_during`). Incidents of other
    children (e.g. only short breaks, or before/after care) are not counted; when they
    start in the window they are reported as ``missing_child_not_in_care`` info findings.
Incidents
    one incident per (CHILD, MISSING, MIS_START): the same incident repeated in two
    collection years is one incident, and a duplicate inside one year is counted once with
    a ``missing_duplicate`` info finding. A row with no MIS_START cannot be placed in time:
    it is left out with a ``missing_start_blank`` warning.
Overlap
    an incident overlaps the window when MIS_START ≤ window end and (MIS_END blank or
    MIS_END ≥ window start); both ends inclusive.

``missing_children_pct``
    % of the cohort with an M incident overlapping the window.
``missing_incidents``
    M incidents *starting* in the window, of cohort children (a count).
``missing_incidents_per_child``
    ``missing_incidents`` ÷ cohort children with an M incident starting in the window.
``away_children_pct``
    as ``missing_children_pct`` for MISSING = A.

Examples
--------
>>> m = pd.DataFrame({"CHILD": ["1", "1", "2"], "MISSING": ["M", "M", "A"],
...     "MIS_START": pd.to_datetime(["2023-05-01", "2023-05-01", "2023-06-01"]),
...     "MIS_END": pd.to_datetime(["2023-05-02", "2023-05-02", None])})
>>> r = missing_measures(["1", "2", "3"], m, "2023-04-01", "2024-03-31")
>>> r.loc["missing_incidents", "numerator"], round(r.loc["away_children_pct", "value"], 2)
(np.float64(1.0), np.float64(33.33))
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from cppanalytics.dates import as_date
from cppanalytics.findings import Findings, row_findings
from cppanalytics.results import Block, block

if TYPE_CHECKING:  # pragma: no cover
    from cppanalytics.indicators.context import Context

IDS: tuple[str, ...] = (
    "missing_children_pct",
    "missing_incidents",
    "missing_incidents_per_child",
    "away_children_pct",
)
UNITS: dict[str, str] = {
    "missing_children_pct": "percent",
    "missing_incidents": "count",
    "missing_incidents_per_child": "ratio",
    "away_children_pct": "percent",
}
INCIDENT_KEY: list[str] = ["CHILD", "MISSING", "MIS_START"]


def distinct_incidents(missing: pd.DataFrame, findings: Findings | None = None) -> pd.DataFrame:
    """One row per (CHILD, MISSING, MIS_START); rows without CHILD or MIS_START left out.

    When a row is a duplicate the one kept has the latest ``YEAR`` (a later collection year's
    end date wins) and, within a year, the last in file order. Duplicates inside one year and
    rows without MIS_START are written to ``findings``.

    Examples
    --------
    >>> m = pd.DataFrame({"CHILD": ["1", "1"], "MISSING": ["M", "M"],
    ...     "MIS_START": pd.to_datetime(["2023-05-01"] * 2),
    ...     "MIS_END": pd.to_datetime([None, "2023-05-03"]),
    ...     "YEAR": pd.array([2023, 2024], dtype="Int64")})
    >>> distinct_incidents(m)["MIS_END"].dt.day.tolist()
    [3]
    """
    rows = missing
    if "YEAR" not in rows.columns:
        rows = rows.assign(YEAR=pd.NA)
    blank = rows["MIS_START"].isna() | rows["CHILD"].isna()
    if findings is not None and blank.any():
        findings.extend(
            row_findings(
                rows.loc[blank],
                severity="warning",
                code="missing_start_blank",
                table="missing",
                column="MIS_START",
                message="missing/away incident has no start date (or no CHILD); not counted",
                fix="Record the date the child went missing or was away.",
                action="set_aside",
                indicators=IDS,
            )
        )
    rows = rows.loc[~blank]
    order = rows.assign(_pos=np.arange(len(rows))).sort_values(
        ["YEAR", "_pos"], na_position="first", kind="stable"
    )
    dup = order.duplicated(INCIDENT_KEY, keep="last")
    same_year = dup & order.duplicated([*INCIDENT_KEY, "YEAR"], keep="last")
    if findings is not None and same_year.any():
        d = order.loc[same_year]
        findings.extend(
            row_findings(
                d,
                severity="info",
                code="missing_duplicate",
                table="missing",
                column="MIS_START",
                value=d["MIS_START"].dt.strftime("%d/%m/%Y"),
                message="the same incident (child, type, start date) is recorded twice; "
                "counted once",
                fix="Remove the duplicate missing/away record.",
                action="set_aside",
                indicators=IDS,
            )
        )
    return order.loc[~dup].drop(columns="_pos").reset_index(drop=True)


def overlaps(
    start: pd.Series, end: pd.Series, w_start: pd.Timestamp, w_end: pd.Timestamp
) -> pd.Series:
    """True where [start, end] overlaps the window (end blank = still open; inclusive).

    Examples
    --------
    >>> s = pd.Series(pd.to_datetime(["2023-03-30", "2023-03-30", "2024-04-01"]))
    >>> e = pd.Series(pd.to_datetime(["2023-04-01", "2023-03-31", None]))
    >>> overlaps(s, e, pd.Timestamp("2023-04-01"), pd.Timestamp("2024-03-31")).tolist()
    [True, False, False]
    """
    return ((start <= w_end) & (end.isna() | (end >= w_start))).fillna(False).astype(bool)


def missing_measures(
    children: Iterable[str],
    missing: pd.DataFrame,
    start: str | pd.Timestamp,
    end: str | pd.Timestamp,
    *,
    distinct: bool = False,
) -> pd.DataFrame:
    """Numerator, denominator and value of the four missing indicators (index = id).

    ``children`` are the CHILD ids looked after during the window; ``missing`` is the
    Missing table (duplicates allowed; :func:`distinct_incidents` is applied), or with
    ``distinct=True`` that function's output already (a many-period run reuses it).
    """
    start, end = as_date(start), as_date(end)
    cohort = pd.Index(pd.unique(pd.Series(list(children), dtype="object").dropna()))
    inc = missing if distinct else distinct_incidents(missing)
    inc = inc.loc[inc["CHILD"].isin(cohort)]
    over = overlaps(inc["MIS_START"], inc["MIS_END"], start, end)
    starting = inc["MIS_START"].between(start, end).fillna(False).astype(bool)
    kind = inc["MISSING"].astype("string")
    is_m = kind.eq("M").fillna(False).astype(bool)
    is_a = kind.eq("A").fillna(False).astype(bool)
    n = float(len(cohort))
    m_children = float(inc.loc[is_m & over, "CHILD"].nunique())
    a_children = float(inc.loc[is_a & over, "CHILD"].nunique())
    incidents = float((is_m & starting).sum())
    starters = float(inc.loc[is_m & starting, "CHILD"].nunique())
    out = pd.DataFrame(
        {
            "numerator": [m_children, incidents, incidents, a_children],
            "denominator": [n, np.nan, starters, n],
        },
        index=list(IDS),
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(out["denominator"] > 0, out["numerator"] / out["denominator"], np.nan)
    out["value"] = ratio
    out.loc[["missing_children_pct", "away_children_pct"], "value"] *= 100
    out.loc["missing_incidents", "value"] = incidents
    return out


def _outside_cohort_findings(
    children: pd.Index,
    inc: pd.DataFrame,
    start: pd.Timestamp,
    end: pd.Timestamp,
    findings: Findings,
) -> None:
    """Info findings for (distinct) incidents starting in the window of children not in care."""
    out = inc.loc[~inc["CHILD"].isin(children) & inc["MIS_START"].between(start, end)]
    if out.empty:
        return
    findings.extend(
        row_findings(
            out,
            severity="info",
            code="missing_child_not_in_care",
            table="missing",
            column="CHILD",
            value=out["MIS_START"].dt.strftime("%d/%m/%Y"),
            message="incident is for a child not looked after in the reporting window (short "
            "breaks only, or not in the episodes); not counted",
            fix="Check the child's episodes, or the CHILD id on the missing record.",
            action="loaded",
            indicators=IDS,
        )
    )


def compute(ctx: Context, ids: set[str]) -> list[Block]:
    """Result blocks (see :func:`cppanalytics.results.rows_frame`) for the requested missing ids (others are ignored).

    Examples
    --------
    See ``tests/indicators/test_missing.py`` for worked histories.
    """
    wanted = [i for i in IDS if i in ids]
    if not wanted:
        return []
    d = as_date(ctx.period_end)
    if "missing_incidents" not in ctx.care.cache:  # once per run, with its findings
        ctx.care.cache["missing_incidents"] = distinct_incidents(
            ctx.data.tables["missing"], ctx.findings
        )
    incidents = ctx.care.cache["missing_incidents"]
    cache: dict[tuple[pd.Timestamp, pd.Timestamp], pd.DataFrame] = {}
    frames = []
    for ind in wanted:
        win = ctx.window(ind)
        if win not in cache:
            children = pd.Index(ctx.cla_during(*win)["CHILD"].dropna().unique())
            cache[win] = missing_measures(children, incidents, *win, distinct=True)
            _outside_cohort_findings(children, incidents, *win, ctx.findings)
        row = cache[win].loc[ind]
        frames.append(
            block(
                ind,
                d,
                win,
                numerator=[row["numerator"]],
                denominator=None if UNITS[ind] == "count" else [row["denominator"]],
                value=[row["value"]],
                unit=UNITS[ind],
            )
        )
    return frames
