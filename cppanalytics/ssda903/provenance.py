"""Turn flagged rows of a loaded table into findings that point at file, row and column.

Every loader check ends the same way: a boolean mask over a table whose rows carry
``source_file`` and ``source_row`` (see :data:`cppanalytics.ssda903.dataset.PROVENANCE`)
becomes a batch of findings. :func:`row_findings` does that in one vectorised step.

Examples
--------
>>> import pandas as pd
>>> t = pd.DataFrame({"CHILD": ["1", "2"], "DECOM": ["x", "01/04/2023"],
...                   "source_file": ["e.csv", "e.csv"], "source_row": [2, 3]})
>>> f = row_findings(t, t["DECOM"] == "x", "error", "date_unparseable", "episodes",
...                  column="DECOM", message="DECOM is not a date",
...                  fix="Write the date as dd/mm/YYYY.", action="set_aside")
>>> f[["file", "row", "value", "child"]].values.tolist()
[['e.csv', 2, 'x', '1']]
"""

from __future__ import annotations

import pandas as pd

from cppanalytics.findings import FINDING_COLUMNS, empty_findings, has_missing


def row_findings(
    table: pd.DataFrame,
    mask: pd.Series,
    severity: str,
    code: str,
    name: str,
    *,
    column: str = "",
    value: pd.Series | str | None = None,
    message: pd.Series | str = "",
    fix: str = "",
    action: str = "loaded",
) -> pd.DataFrame:
    """Findings (contract columns) for the rows of ``table`` where ``mask`` is true.

    Parameters
    ----------
    table
        rows with ``source_file``, ``source_row`` and (usually) ``CHILD``.
    mask
        boolean Series aligned with ``table``; NA counts as false.
    severity, code, name
        finding severity, code and 903 table name.
    column
        the column at fault; its raw value is reported unless ``value`` is given.
    value
        Series (aligned with ``table``) or constant to report as the value.
    message
        plain-English statement; a Series gives one message per row; the text
        ``{value}`` is replaced by each row's value (built for flagged rows only).
    fix, action
        what to do; what the loader did (``loaded``, ``repaired``, ``set_aside``).
    """
    mask = mask.fillna(False).astype(bool)
    if not mask.any():
        return empty()
    wanted = {"source_file", "source_row", "CHILD"}
    if value is None and column:
        wanted.add(column)
    # only the columns a finding shows are taken (not every column of a wide table)
    shown = [c for c in table.columns if c in wanted]
    every = mask.all() and mask.index.equals(table.index)
    rows = table[shown] if every else table.loc[mask, shown]
    n = len(rows)

    def _text(obj: pd.Series | str | None) -> pd.Series | str:
        if isinstance(obj, pd.Series):
            picked = obj.loc[rows.index] if len(obj) != n or obj.index is not rows.index else obj
            return _text_series(picked)
        return "" if obj is None else str(obj)

    if value is None:
        value = rows[column] if column and column in rows.columns else ""
    value = _text(value)
    if isinstance(message, str) and "{value}" in message:
        head, _, tail = message.partition("{value}")
        shown = value if isinstance(value, pd.Series) else pd.Series(value, index=rows.index)
        message = head + shown.where(shown != "", "(blank)") + tail
    src_row = rows["source_row"] if "source_row" in rows.columns else pd.NA
    frame = pd.DataFrame(
        {
            "severity": severity,
            "code": code,
            "table": name,
            "file": _text(rows["source_file"]) if "source_file" in rows.columns else "",
            "row": pd.array(src_row, dtype="Int64") if n else [],
            "column": column,
            "value": value,
            "child": _text(rows["CHILD"]) if "CHILD" in rows.columns else "",
            "message": _text(message),
            "fix": fix,
            "action": action,
            "indicators": "",
        },
        index=rows.index,
    )
    return frame[FINDING_COLUMNS].reset_index(drop=True)


def _text_series(values: pd.Series) -> pd.Series:
    """``values`` as ``str`` text with ``""`` for missing (kept as is when it already is).

    Examples
    --------
    >>> _text_series(pd.Series(["a", None], dtype="string")).tolist()
    ['a', '']
    """
    if values.dtype == pd.api.types.pandas_dtype("str") and not has_missing(values):
        return values
    return values.astype("string").fillna("").astype("str")


def empty() -> pd.DataFrame:
    """An empty findings frame (the contract's columns; shared, do not modify).

    Examples
    --------
    >>> list(empty().columns)[:2]
    ['severity', 'code']
    """
    return _EMPTY


def concat(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """Stack findings frames (empty ones skipped) without re-normalising them.

    Examples
    --------
    >>> len(concat([empty(), empty()]))
    0
    """
    parts = [p for p in parts if len(p)]
    if not parts:
        return empty()
    return pd.concat(parts, ignore_index=True)


_EMPTY = empty_findings()


__all__ = ["concat", "empty", "row_findings"]
