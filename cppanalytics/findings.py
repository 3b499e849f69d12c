"""Findings: the one list every stage writes its data-quality messages to.

A *finding* is one thing wrong (or repaired, or worth knowing) about the input. The loader,
the stitching of collection years and the indicator computations all append findings to a
single table so the data-quality section can count them, show the rows behind them and name
the indicators they touch. Nothing is ever dropped silently: a row that is set aside is
recorded here with ``action="set_aside"``.

The findings table has exactly the columns in :data:`FINDING_COLUMNS`:

``severity``
    ``"error"`` (the row could not be used as given, or a table is unusable),
    ``"warning"`` (used, but something is off or was repaired), ``"info"``.
``code``
    short stable identifier such as ``"date_unparseable"``; tests and the report group on it.
``table``
    903 table name as in :data:`cppanalytics.ssda903.dataset.TABLES` (``"episodes"`` ...), or ``""``.
``file``, ``row``, ``column``, ``value``
    where it is: the file path, the 1-based line number a spreadsheet user would see
    (header = row 1; for XML the 1-based ``<CHILD>`` element index), the column, the raw value.
``child``
    the CHILD id (internal use only: never shown in a public report).
``message``
    plain-English statement of what is wrong.
``fix``
    plain-English statement of what to do about it.
``action``
    ``"loaded"`` (kept as is), ``"repaired"`` (kept, value changed by a documented rule),
    ``"set_aside"`` (not used), ``"rejected_file"`` (whole file not used), or ``""``.
``indicators``
    comma-separated indicator ids the finding affects (computation findings), else ``""``.

Examples
--------
>>> f = Findings()
>>> f.add("warning", "code_unknown", table="episodes", file="e.csv", row=7,
...       column="PLACE", value="Q9", message="PLACE 'Q9' is not a known code",
...       fix="Correct the placement type in the case-management system.", action="loaded")
>>> int(f.to_frame().loc[0, "row"])
7
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Literal

import numpy as np
import pandas as pd

Severity = Literal["error", "warning", "info"]

FINDING_COLUMNS: list[str] = [
    "severity",
    "code",
    "table",
    "file",
    "row",
    "column",
    "value",
    "child",
    "message",
    "fix",
    "action",
    "indicators",
]

SEVERITY_ORDER: dict[str, int] = {"error": 0, "warning": 1, "info": 2}


def empty_findings() -> pd.DataFrame:
    """Return an empty findings table with the contract's columns and dtypes.

    Examples
    --------
    >>> list(empty_findings().columns) == FINDING_COLUMNS
    True
    """
    frame = pd.DataFrame({c: pd.Series(dtype="str") for c in FINDING_COLUMNS})
    frame["row"] = pd.Series(dtype="Int64")
    return frame


def normalise_findings(frame: pd.DataFrame) -> pd.DataFrame:
    """Coerce any frame carrying (a subset of) the finding columns to the contract.

    Missing columns are added empty; ``row`` becomes nullable ``Int64``; text columns
    become strings with ``""`` for missing. Extra columns are dropped.

    Examples
    --------
    >>> normalise_findings(pd.DataFrame({"severity": ["info"], "code": ["x"]})).shape
    (1, 12)
    """
    out = frame.copy()
    for col in FINDING_COLUMNS:
        if col not in out.columns:
            out[col] = pd.NA if col == "row" else ""
    out = out[FINDING_COLUMNS]
    out["row"] = pd.to_numeric(out["row"], errors="coerce").astype("Int64")
    for col in FINDING_COLUMNS:
        if col != "row" and (out[col].dtype != "str" or out[col].hasnans):
            out[col] = out[col].astype("str").fillna("")
    return out.reset_index(drop=True)


def row_findings(
    rows: pd.DataFrame,
    *,
    severity: Severity,
    code: str,
    table: str,
    message: str | Sequence[str] | np.ndarray,
    fix: str,
    column: str | Sequence[str] | np.ndarray = "",
    action: str = "",
    indicators: str | Iterable[str] | pd.Series = "",
    value: pd.Series | None = None,
) -> pd.DataFrame:
    """One finding per row of a 903 table, located by the rows' provenance.

    ``file`` and ``row`` come from the ``source_file``/``source_row`` columns (blank when
    the rows were built in memory), ``child`` from ``CHILD``; ``value`` optionally gives
    each row's offending value. ``message`` and ``column`` may be one text for all rows or
    one per row; ``indicators`` one list for all rows or a Series of comma-separated ids
    per row.

    Examples
    --------
    >>> rows = pd.DataFrame({"CHILD": ["7"], "source_file": ["oc3.csv"], "source_row": [4]})
    >>> f = row_findings(rows, severity="warning", code="oc3_dob_missing", table="oc3",
    ...                  column="DOB", message="no DOB", fix="Record the DOB.")
    >>> f[["file", "row", "child"]].iloc[0].tolist()
    ['oc3.csv', np.int64(4), '7']
    """
    if isinstance(indicators, pd.Series):
        indicators = indicators.to_numpy()
    elif not isinstance(indicators, str):
        indicators = ",".join(indicators)
    n = len(rows)

    def provenance(col: str) -> object:
        return rows[col].to_numpy() if col in rows.columns else [pd.NA] * n

    def per_row(text: object) -> object:
        return [text] * n if isinstance(text, str) else np.asarray(text)

    frame = pd.DataFrame(
        {
            "severity": [severity] * n,
            "code": [code] * n,
            "table": [table] * n,
            "file": provenance("source_file"),
            "row": provenance("source_row"),
            "column": per_row(column),
            "value": [""] * n if value is None else value.to_numpy(),
            "child": provenance("CHILD"),
            "message": per_row(message),
            "fix": [fix] * n,
            "action": [action] * n,
            "indicators": per_row(indicators),
        }
    )
    return normalise_findings(frame)


FINDINGS_DETAIL: tuple[str, ...] = ("summary", "all")


def summarise_findings(frame: pd.DataFrame, detail: str = "summary") -> pd.DataFrame:
    """Findings as written to a findings CSV: every error and warning, info in summary.

    Error- and warning-level findings are kept row by row (an analyst must act on each).
    With ``detail="summary"`` (the default of the commands that write findings) the
    info-level findings of the same kind are folded into one row per (code, table, file,
    action): ``value`` holds how many rows it stands for, ``row`` is the first row, and the
    message starts with the count. ``detail="all"`` returns every finding unchanged.

    Parameters
    ----------
    frame
        a findings table in the contract's columns (:data:`FINDING_COLUMNS`).
    detail
        ``"summary"`` or ``"all"``.

    Returns
    -------
    pandas.DataFrame
        the findings to write, in the contract's columns, errors first.

    Examples
    --------
    >>> f = Findings()
    >>> for row in (2, 3, 4):
    ...     f.add("info", "superseded", table="episodes", file="e.csv", row=row,
    ...           message="superseded by the later year's row", action="set_aside")
    >>> f.add("error", "date_unparseable", table="header", file="h.csv", row=9)
    >>> out = summarise_findings(f.to_frame())
    >>> out[["severity", "code", "row", "value"]].values.tolist()
    [['error', 'date_unparseable', 9, ''], ['info', 'superseded', 2, '3']]
    >>> out.loc[1, "message"]
    "3 rows: superseded by the later year's row"
    """
    if detail not in FINDINGS_DETAIL:
        raise ValueError(f"detail must be one of {', '.join(FINDINGS_DETAIL)}, not {detail!r}")
    frame = normalise_findings(frame)
    info = frame["severity"] == "info"
    if detail == "all" or not info.any():
        return frame
    keys = ["code", "table", "file", "action"]
    folded = frame.loc[info]
    firsts = folded.groupby(keys, sort=False, dropna=False).head(1).reset_index(drop=True)
    counts = folded.groupby(keys, sort=False, dropna=False).size().reset_index(name="_n")
    firsts = firsts.merge(counts, on=keys, how="left", validate="one_to_one")
    many = firsts["_n"] > 1
    n_text = firsts["_n"].astype(str)
    firsts["value"] = firsts["value"].where(~many, n_text)
    firsts["child"] = firsts["child"].where(~many, "")
    firsts["message"] = firsts["message"].where(~many, n_text + " rows: " + firsts["message"])
    out = pd.concat([frame.loc[~info], firsts.drop(columns="_n")], ignore_index=True)
    order = out["severity"].map(SEVERITY_ORDER).fillna(len(SEVERITY_ORDER))
    return normalise_findings(out.iloc[order.argsort(kind="stable")])


class Findings:
    """An append-only collector of findings.

    Add single findings with :meth:`add` or whole vectorised batches with
    :meth:`extend` (preferred on hot paths: build one DataFrame per check, not one
    call per row).

    Examples
    --------
    >>> f = Findings()
    >>> len(f)
    0
    >>> f.extend(pd.DataFrame({"severity": ["error"], "code": ["dec_before_decom"],
    ...                        "row": [3]}))
    >>> f.counts()["error"]
    1
    """

    def __init__(self) -> None:
        self._parts: list[pd.DataFrame] = []

    def add(
        self,
        severity: Severity,
        code: str,
        *,
        table: str = "",
        file: str = "",
        row: int | None = None,
        column: str = "",
        value: object = "",
        child: str = "",
        message: str = "",
        fix: str = "",
        action: str = "",
        indicators: str | Iterable[str] = "",
    ) -> None:
        """Record one finding (see the module docstring for the meaning of each field)."""
        if not isinstance(indicators, str):
            indicators = ",".join(indicators)
        self._parts.append(
            pd.DataFrame(
                [
                    {
                        "severity": severity,
                        "code": code,
                        "table": table,
                        "file": str(file),
                        "row": row,
                        "column": column,
                        "value": "" if value is None else str(value),
                        "child": "" if child is None else str(child),
                        "message": message,
                        "fix": fix,
                        "action": action,
                        "indicators": indicators,
                    }
                ]
            )
        )

    def extend(self, frame: pd.DataFrame | Findings) -> None:
        """Append a batch of findings (a DataFrame with finding columns, or another collector)."""
        if isinstance(frame, Findings):
            frame = frame.to_frame()
        if len(frame):
            self._parts.append(normalise_findings(frame))

    def to_frame(self) -> pd.DataFrame:
        """Return all findings as one table in the contract's columns."""
        if not self._parts:
            return empty_findings()
        return normalise_findings(pd.concat(self._parts, ignore_index=True))

    def counts(self) -> dict[str, int]:
        """Number of findings by severity, always with keys error, warning, info."""
        frame = self.to_frame()
        return {s: int((frame["severity"] == s).sum()) for s in SEVERITY_ORDER}

    def __len__(self) -> int:
        return int(sum(len(p) for p in self._parts))
