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

import ctypes
from collections.abc import Iterable, Sequence
from typing import Literal

import numpy as np
import pandas as pd

from cppanalytics.findings_detail import FINDINGS_DETAIL

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
    frame = _normal_columns({c: [] if c == "row" else "" for c in FINDING_COLUMNS}, 0)
    assert frame is not None  # (every column is of a kind taken there)
    return frame


def normalise_findings(frame: pd.DataFrame) -> pd.DataFrame:
    """Coerce any frame carrying (a subset of) the finding columns to the contract.

    Missing columns are added empty; ``row`` becomes nullable ``Int64``; text columns
    become strings with ``""`` for missing. Extra columns are dropped. A column already in
    the contract's form is kept as it is (checked in one pass, not converted), so
    normalising findings that are already normal is cheap.

    Examples
    --------
    >>> normalise_findings(pd.DataFrame({"severity": ["info"], "code": ["x"]})).shape
    (1, 12)
    """
    if _is_normal(frame):  # nothing to convert: a new frame over the same columns
        return frame.reset_index(drop=True)
    out = frame.copy(deep=False)
    for col in FINDING_COLUMNS:
        if col not in out.columns:
            out[col] = pd.NA if col == "row" else ""
    out = out[FINDING_COLUMNS]
    if out["row"].dtype != "Int64":
        out["row"] = pd.to_numeric(out["row"], errors="coerce").astype("Int64")
    for col in FINDING_COLUMNS:
        if col != "row" and (out[col].dtype != "str" or has_missing(out[col])):
            out[col] = out[col].astype("str").fillna("")
    return out.reset_index(drop=True)


def _is_normal(frame: pd.DataFrame) -> bool:
    """Whether ``frame`` is already in the contract's form: exactly its columns in order,
    ``row`` Int64, the text columns ``str`` with no missing value (what
    :func:`normalise_findings` would leave unchanged), checked column by column.

    Examples
    --------
    >>> _is_normal(empty_findings()), _is_normal(pd.DataFrame({"code": ["x"]}))
    (True, False)
    """
    if frame.columns.tolist() != FINDING_COLUMNS:
        return False
    for col, values in frame.items():  # (cheaper than asking frame[col] of each)
        if col == "row":
            if values.dtype != "Int64":
                return False
        elif values.dtype != "str" or has_missing(values):
            return False
    return True


def has_missing(text: pd.Series) -> bool:
    """Whether a ``str`` column holds a missing value (same answer as ``hasnans``).

    Numpy-object storage is checked by asking whether every value is a Python string, a
    single pass several times cheaper than ``hasnans``'s element-wise missing test; where
    rows hold the same object as the row before (findings built in batches share one text
    object per column), only the first row of each such run is asked (:func:`_run_heads`).

    Examples
    --------
    >>> has_missing(pd.Series(["a", None], dtype="str")), has_missing(pd.Series(["a"]))
    (True, False)
    """
    if getattr(text.dtype, "storage", None) == "python" and len(text):
        values = np.asarray(text.array)
        if values.dtype == object:
            return pd.api.types.infer_dtype(_run_heads(values), skipna=False) != "string"
    return bool(text.hasnans)


def _run_heads(values: np.ndarray) -> np.ndarray:
    """The values of an object array less those that are the very object of the value
    before them (so every object held is still there, and its type): a run of rows sharing
    one object becomes its first row. The array as it is when it is short or not
    contiguous, or when runs are short (little to gain).

    Examples
    --------
    >>> a, b = "x", "y"
    >>> _run_heads(np.array([a] * 6000 + [b] * 5000 + [a] * 1000, dtype=object)).tolist()
    ['x', 'y', 'x']
    >>> len(_run_heads(np.array([a, b] * 6000, dtype=object)))  # short runs: as it is
    12000
    """
    size = len(values)
    if values.dtype != object or not values.flags.c_contiguous or size < 10_000:
        return values
    address = np.ctypeslib.as_array((ctypes.c_ssize_t * size).from_address(values.ctypes.data))
    starts = np.flatnonzero(address[1:] != address[:-1])
    if len(starts) * 4 > size:
        return values
    return values[np.append(0, starts + 1)]


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

    def one_or_each(text: object) -> object:
        return text if isinstance(text, str) else np.asarray(text)

    columns = {
        "severity": severity,
        "code": code,
        "table": table,
        "file": provenance("source_file"),
        "row": provenance("source_row"),
        "column": one_or_each(column),
        "value": "" if value is None else value.to_numpy(),
        "child": provenance("CHILD"),
        "message": one_or_each(message),
        "fix": fix,
        "action": action,
        "indicators": one_or_each(indicators),
    }
    fast = _normal_columns(columns, n)
    if fast is not None:
        return fast
    frame = pd.DataFrame({col: [v] * n if isinstance(v, str) else v for col, v in columns.items()})
    return normalise_findings(frame)


def _normal_columns(columns: dict[str, object], n: int) -> pd.DataFrame | None:
    """The findings frame :func:`row_findings` builds, made column by column in the
    contract's dtypes (what :func:`normalise_findings` of the plain frame gives), or None
    when a column is not of the kinds taken here: text (one text for every row, or an
    object array of texts and missing values, or of missing values only: missing becomes
    ``""``) and ``row`` as
    int64 numbers (or all missing); numpy text arrays are taken as objects. One frame is
    made instead of a frame per step, a fraction of the cost of the many small batches
    computing adds.

    Examples
    --------
    >>> _normal_columns({c: "x" for c in FINDING_COLUMNS if c != "row"} | {"row": [pd.NA]},
    ...                 1)["row"].isna().tolist()
    [True]
    >>> _normal_columns({**{c: "x" for c in FINDING_COLUMNS}, "value": np.array([1])}, 1) is None
    True
    """
    kind = pd.api.types.pandas_dtype("str")
    out: dict[str, object] = {}
    for col in FINDING_COLUMNS:
        values = columns[col]
        if col == "row":
            if isinstance(values, np.ndarray) and values.dtype == np.int64:
                out[col] = pd.array(values, dtype="Int64")
            elif isinstance(values, list) and all(v is pd.NA for v in values):
                out[col] = pd.array(values, dtype="Int64")
            else:
                return None
        elif isinstance(values, str):
            out[col] = pd.array(np.full(n, values, dtype=object), dtype=kind)
        elif isinstance(values, np.ndarray) and values.dtype.kind in "OU" and len(values) == n:
            values = values.astype(object, copy=False)
            if n and pd.api.types.infer_dtype(values, skipna=True) not in ("string", "empty"):
                return None  # numbers, dates ...: pandas' own conversion
            missing = pd.isna(values)
            if missing.any():
                values = np.where(missing, "", values).astype(object)
            out[col] = pd.array(values, dtype=kind)
        else:
            return None
    return pd.DataFrame(out, columns=FINDING_COLUMNS, copy=False)


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
    return _summarise(normalise_findings(frame), detail)


def _summarise(frame: pd.DataFrame, detail: str) -> pd.DataFrame:
    """:func:`summarise_findings` of a frame already in the contract's form."""
    info = _equal_to(frame["severity"].to_numpy(dtype=object), "info")
    if detail == "all" or not info.any():
        return frame
    first, count = _info_groups(frame, info)
    return _folded(frame.loc[~info], frame.take(first), count)


def _folded(kept: pd.DataFrame, firsts: pd.DataFrame, count: np.ndarray) -> pd.DataFrame:
    """The summary of findings: the rows ``kept`` as they are, then each kind of info
    finding's first row (``firsts``) standing for its ``count`` rows, errors first."""
    firsts = firsts.reset_index(drop=True)
    firsts["_n"] = count
    many = firsts["_n"] > 1
    n_text = firsts["_n"].astype(str)
    firsts["value"] = firsts["value"].where(~many, n_text)
    firsts["child"] = firsts["child"].where(~many, "")
    firsts["message"] = firsts["message"].where(~many, n_text + " rows: " + firsts["message"])
    out = pd.concat([kept, firsts.drop(columns="_n")], ignore_index=True)
    order = out["severity"].map(SEVERITY_ORDER).fillna(len(SEVERITY_ORDER))
    return normalise_findings(out.iloc[order.argsort(kind="stable")])


def _summarise_parts(parts: list[pd.DataFrame]) -> pd.DataFrame | None:
    """:func:`_summarise` (``"summary"``) of the parts stacked (normal, one set of dtypes),
    without stacking them: each part's kinds of info finding are found on its own and
    merged by their (code, table, file, action) in order of first appearance, so only
    the rows written are taken. None when no row is info (the stacked frame is the
    summary).

    Examples
    --------
    >>> a = normalise_findings(pd.DataFrame({"severity": ["info", "error"], "code": ["x", "e"]}))
    >>> b = normalise_findings(pd.DataFrame({"severity": ["info", "info"], "code": ["y", "x"]}))
    >>> out = _summarise_parts([a, b])
    >>> out[["code", "value"]].values.tolist()
    [['e', ''], ['x', '2'], ['y', '']]
    """
    infos = [_equal_to(p["severity"].to_numpy(dtype=object), "info") for p in parts]
    if not any(info.any() for info in infos):
        return None
    kinds: dict[tuple, int] = {}
    counts: list[int] = []
    taken: list[pd.DataFrame] = []
    for part, info in zip(parts, infos, strict=True):
        if not info.any():
            continue
        first, count = _info_groups(part, info)
        keys = part[_FOLD_KEYS].take(first).itertuples(index=False, name=None)
        new = []
        for key, at, size in zip(keys, first, count, strict=True):
            if key in kinds:
                counts[kinds[key]] += int(size)
            else:
                kinds[key] = len(counts)
                counts.append(int(size))
                new.append(at)
        taken.append(part.take(new))
    kept = pd.concat([p.loc[~info] for p, info in zip(parts, infos, strict=True)])
    firsts = pd.concat(taken)
    return _folded(kept, firsts, np.asarray(counts, dtype=np.int64))


_FOLD_KEYS: list[str] = ["code", "table", "file", "action"]


def _info_groups(frame: pd.DataFrame, info: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where each kind of info finding first occurs, and how many rows it has.

    A kind is one (code, table, file, action) among the rows where ``info`` is true. The
    same as ``frame[info].groupby(keys, sort=False)`` taking ``head(1)`` and ``size()``, on
    integer codes of each column (see :func:`_run_codes`) packed into one number per row,
    the kinds counted (not hashed).

    Parameters
    ----------
    frame
        a normalised findings table (text columns hold no missing value).
    info
        boolean array, one per row.

    Returns
    -------
    tuple of numpy.ndarray
        positions in ``frame`` of each kind's first row (ascending) and each kind's count.

    Examples
    --------
    >>> f = normalise_findings(pd.DataFrame({"code": ["a", "a", "b", "a"]}))
    >>> first, count = _info_groups(f, np.array([True, True, True, False]))
    >>> first.tolist(), count.tolist()
    ([0, 2], [2, 1])
    """
    where = np.flatnonzero(info)
    kind = np.zeros(len(where), dtype=np.int64)
    bound = 1
    for col in _FOLD_KEYS:
        codes = _run_codes(frame[col].to_numpy(dtype=object))[where]
        radix = int(codes.max()) + 1 if len(codes) else 1
        kind = kind * radix + codes
        bound *= radix
        if bound > max(4 * len(where), 4096):  # many kinds: renumbered
            kind = pd.factorize(kind)[0]
            bound = int(kind.max(initial=0)) + 1
    # each kind's first row (in order of first appearance) and size, by counting
    first = np.full(bound, len(where), dtype=np.int64)
    np.minimum.at(first, kind, np.arange(len(where)))
    count = np.bincount(kind, minlength=bound)
    met = np.argsort(first, kind="stable")[: np.count_nonzero(count)]
    return where[first[met]], count[met]


def _run_codes(values: np.ndarray) -> np.ndarray:
    """Codes of text values, numbered in order of first appearance (as ``pd.factorize``).

    Findings come in batches, so a column is mostly long runs of one value: only the first
    value of each run is hashed when runs are long.

    Examples
    --------
    >>> _run_codes(np.array(["b", "b", "a", "b"], dtype=object)).tolist()
    [0, 0, 1, 0]
    """
    if len(values) < 2:
        return pd.factorize(values)[0]
    starts = _run_starts(values)
    if len(starts) * 4 > len(values):
        return _object_codes(values)
    heads = pd.factorize(values[starts])[0]
    return np.repeat(heads, np.diff(np.append(starts, len(values))))


def _run_starts(values: np.ndarray) -> np.ndarray:
    """Where each run of equal values starts (ascending, 0 first; text values, none
    missing): ``np.flatnonzero(np.append(True, values[1:] != values[:-1]))``. Rows holding
    the very object of the row before them are equal without comparing their text (a
    findings batch holds one object per constant column), so only rows where the object
    changes are compared.

    Examples
    --------
    >>> a, b = "x", "y"
    >>> _run_starts(np.array([a] * 6000 + [b] * 5000 + ["y"] * 1000, dtype=object)).tolist()
    [0, 6000]
    >>> _run_starts(np.array(["a", "a", "b"], dtype=object)).tolist()
    [0, 2]
    """
    size = len(values)
    if not size:
        return np.zeros(0, dtype=np.intp)
    if values.dtype == object and values.flags.c_contiguous and size >= 10_000:
        address = np.ctypeslib.as_array((ctypes.c_ssize_t * size).from_address(values.ctypes.data))
        changed = np.flatnonzero(address[1:] != address[:-1]) + 1
        if len(changed) * 4 <= size:  # mostly runs of one object: their text not compared
            differ = values[changed] != values[changed - 1]
            return np.append(0, changed[np.asarray(differ, dtype=bool)])
    return np.flatnonzero(np.append(True, values[1:] != values[:-1]))


def _equal_to(values: np.ndarray, text: str) -> np.ndarray:
    """``values == text`` for an object array of text (none missing), compared once per
    run of equal values (:func:`_run_starts`) when runs are long.

    Examples
    --------
    >>> _equal_to(np.array(["info", "info", "error"], dtype=object), "info").tolist()
    [True, True, False]
    """
    if len(values) < 10_000:
        return np.asarray(values == text, dtype=bool)
    starts = _run_starts(values)
    if len(starts) * 4 > len(values):
        return np.asarray(values == text, dtype=bool)
    heads = np.asarray(values[starts] == text, dtype=bool)
    return np.repeat(heads, np.diff(np.append(starts, len(values))))


def _object_codes(values: np.ndarray) -> np.ndarray:
    """``pd.factorize(values)[0]``, through the objects' addresses when few objects are
    shared by many rows (a file name is one object for all of a table's findings): the
    rows are numbered by address (integers), then each distinct object by its text.

    Examples
    --------
    >>> a, b = "x", "y"
    >>> _object_codes(np.array([b, a, b, a] * 3000, dtype=object))[:4].tolist()
    [0, 1, 0, 1]
    """
    if values.dtype != object or not values.flags.c_contiguous or len(values) < 10_000:
        return pd.factorize(values)[0]
    size = len(values)
    address = np.ctypeslib.as_array((ctypes.c_ssize_t * size).from_address(values.ctypes.data))
    by_object, distinct = pd.factorize(address)
    if len(distinct) * 4 > size:
        return pd.factorize(values)[0]
    one_row = np.empty(len(distinct), dtype=np.int64)
    one_row[by_object] = np.arange(size)  # any row holding that object
    return pd.factorize(values[one_row])[0][by_object]


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
        self._frame: pd.DataFrame | None = None

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
        fields: dict[str, object] = {
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
        if row is None or type(row) is int:  # the frame in the contract's form at once
            fields["row"] = [pd.NA] if row is None else np.array([row], dtype=np.int64)
            normal = _normal_columns(fields, 1)
            if normal is not None:
                self._parts.append(normal)
                self._frame = None
                return
            fields["row"] = row
        self._append(pd.DataFrame([fields]))

    def extend(self, frame: pd.DataFrame | Findings) -> None:
        """Append a batch of findings (a DataFrame with finding columns, or another collector)."""
        if isinstance(frame, Findings):
            frame = frame.to_frame()
        if len(frame):
            self._append(frame)

    def _append(self, frame: pd.DataFrame) -> None:
        self._parts.append(normalise_findings(frame))
        self._frame = None

    def to_frame(self) -> pd.DataFrame:
        """Return all findings as one table in the contract's columns.

        The table is kept until the next finding is added, so asking again costs nothing
        (the caller gets its own copy-on-write view of it).
        """
        if not self._parts:
            return empty_findings()
        if self._frame is None:
            whole = pd.concat(self._parts, ignore_index=True)
            # parts are normal; stacked with the same dtypes they stay so
            self._frame = whole if self._same_dtypes() else normalise_findings(whole)
            self._parts = [self._frame]
        return self._frame.copy(deep=False)

    def summary(self, detail: str = "summary") -> pd.DataFrame:
        """:func:`summarise_findings` of every finding collected (as a findings CSV holds).

        Examples
        --------
        >>> f = Findings()
        >>> f.add("info", "superseded", table="episodes", file="e.csv", row=2)
        >>> f.add("info", "superseded", table="episodes", file="e.csv", row=3)
        >>> f.summary()[["row", "value"]].values.tolist()
        [[2, '2']]
        """
        if detail not in FINDINGS_DETAIL:
            raise ValueError(f"detail must be one of {', '.join(FINDINGS_DETAIL)}, not {detail!r}")
        parts = self._parts
        if detail == "all" or len(parts) < 2 or not self._same_dtypes():
            return _summarise(self.to_frame(), detail)
        # a large extract's load findings and the computing findings: summarised without
        # stacking a million rows first
        folded = _summarise_parts(parts)
        return self.to_frame() if folded is None else folded

    def _same_dtypes(self) -> bool:
        """Whether every part has the first part's dtypes (stacked, they stay normal)."""
        return all(p.dtypes.equals(self._parts[0].dtypes) for p in self._parts)

    def counts(self) -> dict[str, int]:
        """Number of findings by severity, always with keys error, warning, info."""
        out = dict.fromkeys(SEVERITY_ORDER, 0)
        for part in self._parts:  # (each part normal: no stacking needed to count)
            severity = part["severity"].to_numpy(dtype=object)
            for s in SEVERITY_ORDER:
                out[s] += int(np.count_nonzero(_equal_to(severity, s)))
        return out

    def __len__(self) -> int:
        return int(sum(len(p) for p in self._parts))
