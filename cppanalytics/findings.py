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

Findings held as arrays
-----------------------
A large extract's loading sets aside about a million rows of earlier collection years
(``superseded``: the later year's row replaces them), and a run's findings CSV, in its
default ``--findings summary``, only counts them: one row per kind and file. The stitching
therefore gives them as :class:`FindingArrays`: the rows' positions in the table and the
few texts they share (one message per pair of years), the file, row and CHILD read from
the table's columns only when asked. A :class:`Findings` collector holds them as they are:
the summary and the counts read the ``file`` codes and the constant columns, and make only
the rows written; the whole frame is made when someone reads every finding (a dataset's
``findings``, ``--findings all``, the load cache), the same frame to the last value and
dtype as building it at once. (Chosen over building and stacking the frame, which cost
~0.35 s of CPU at a million episode rows for rows the CSV only counts; the arrays keep
one code path, not a second summary of a different shape.)

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
from typing import Any, Literal, TypeAlias

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
    first, count = _info_groups([frame[c].to_numpy(dtype=object) for c in _FOLD_KEYS], info)
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


def _summarise_parts(parts: Sequence[FoundPart]) -> pd.DataFrame | None:
    """:func:`_summarise` (``"summary"``) of the parts stacked (normal, one set of dtypes),
    without stacking them: each part's kinds of info finding are found on its own and
    merged by their (code, table, file, action) in order of first appearance, so only
    the rows written are taken. Findings held as arrays (:class:`FindingArrays`) are
    counted from their arrays: only the rows written are made. None when no row is info
    (the stacked frame is the summary).

    Examples
    --------
    >>> a = normalise_findings(pd.DataFrame({"severity": ["info", "error"], "code": ["x", "e"]}))
    >>> b = normalise_findings(pd.DataFrame({"severity": ["info", "info"], "code": ["y", "x"]}))
    >>> out = _summarise_parts([a, b])
    >>> out[["code", "value"]].values.tolist()
    [['e', ''], ['x', '2'], ['y', '']]
    """
    infos = [_is_info(p) for p in parts]
    if not any(info.any() for info in infos):
        return None
    kinds: dict[tuple, int] = {}
    counts: list[int] = []
    taken: list[pd.DataFrame] = []
    for part, info in zip(parts, infos, strict=True):
        if not info.any():
            continue
        first, count, keys = _kinds(part, info)
        new = []
        for key, at, size in zip(keys, first, count, strict=True):
            if key in kinds:
                counts[kinds[key]] += int(size)
            else:
                kinds[key] = len(counts)
                counts.append(int(size))
                new.append(at)
        taken.append(_rows_of(part, np.asarray(new, dtype=np.intp)))
    kept = pd.concat(
        [_rows_of(p, np.flatnonzero(~info)) for p, info in zip(parts, infos, strict=True)]
    )
    firsts = pd.concat(taken)
    return _folded(kept, firsts, np.asarray(counts, dtype=np.int64))


def _is_info(part: FoundPart) -> np.ndarray:
    """Which findings of a part of a collector are info (a column of one severity held as
    arrays is not read row by row)."""
    if isinstance(part, FindingArrays):
        one = part.fixed("severity")
        if one is not None:
            return np.full(len(part), one == "info")
        return _equal_to(part.texts("severity"), "info")
    return _equal_to(part["severity"].to_numpy(dtype=object), "info")


def _kinds(part: FoundPart, info: np.ndarray) -> tuple[np.ndarray, np.ndarray, list[tuple]]:
    """:func:`_info_groups` of a part of a collector, and each kind's (code, table, file,
    action). Of findings held as arrays, only the columns that are not one text for every
    row are read (``file``, for the superseded rows).

    Examples
    --------
    >>> t = pd.DataFrame({"source_file": ["a", "b", "a"]})
    >>> held = FindingArrays(3, {"severity": "info", "code": "s",
    ...                          "file": (t["source_file"], np.array([0, 1, 2]))})
    >>> first, count, keys = _kinds(held, np.ones(3, dtype=bool))
    >>> first.tolist(), count.tolist(), keys
    ([0, 1], [2, 1], [('s', '', 'a', ''), ('s', '', 'b', '')])
    """
    if isinstance(part, FindingArrays):
        fixed = {c: part.fixed(c) for c in _FOLD_KEYS}
        varying = [c for c in _FOLD_KEYS if fixed[c] is None]
        read = {c: part.texts(c) for c in varying}
        # rows in key order, not file order: short runs, numbered by object at once
        first, count = _info_groups([_object_codes(read[c]) for c in varying], info)
        columns = [
            [fixed[c]] * len(first) if c not in read else read[c][first].tolist()
            for c in _FOLD_KEYS
        ]
    else:
        keyed = [part[c].to_numpy(dtype=object) for c in _FOLD_KEYS]
        first, count = _info_groups(keyed, info)
        columns = [values[first].tolist() for values in keyed]
    return first, count, list(zip(*columns, strict=True))


def _column_texts(part: FoundPart, col: str) -> np.ndarray:
    """A text column of a part of a collector as an object array (none missing)."""
    if isinstance(part, FindingArrays):
        return part.texts(col)
    return part[col].to_numpy(dtype=object)


def _rows_of(part: FoundPart, at: np.ndarray) -> pd.DataFrame:
    """The findings at positions ``at`` of a part of a collector, as a frame."""
    if isinstance(part, FindingArrays):
        return part.to_frame(at)
    return part.take(at)


_FOLD_KEYS: list[str] = ["code", "table", "file", "action"]


def _info_groups(keyed: list[np.ndarray], info: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where each kind of info finding first occurs, and how many rows it has.

    A kind is one (code, table, file, action) among the rows where ``info`` is true. The
    same as ``frame[info].groupby(keys, sort=False)`` taking ``head(1)`` and ``size()``, on
    integer codes of each column (see :func:`_run_codes`) packed into one number per row,
    the kinds counted (not hashed).

    Parameters
    ----------
    keyed
        the (code, table, file, action) columns as object arrays of text (none missing),
        or any of them as integer codes (0 or more, equal where the text is).
    info
        boolean array, one per row.

    Returns
    -------
    tuple of numpy.ndarray
        positions of each kind's first row (ascending) and each kind's count.

    Examples
    --------
    >>> code = np.array(["a", "a", "b", "a"], dtype=object)
    >>> blank = np.array([""] * 4, dtype=object)
    >>> first, count = _info_groups([code, blank, blank, blank], np.array([1, 1, 1, 0], bool))
    >>> first.tolist(), count.tolist()
    ([0, 2], [2, 1])
    """
    where = np.flatnonzero(info)
    kind = np.zeros(len(where), dtype=np.int64)
    bound = 1
    for values in keyed:
        codes = (_run_codes(values) if values.dtype == object else values)[where]
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
        # rows holding the object of the row before them: their text is not compared
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


#: a column of :class:`FindingArrays` read from a Series: its values at these positions
Taken = tuple[pd.Series, np.ndarray]


class FindingArrays:
    """A batch of findings held as the arrays it is read from, its rows made only when asked.

    A large extract sets aside a million rows of earlier collection years (``superseded``,
    :func:`cppanalytics.ssda903.stitch.stitch_years`); the findings CSV of a run counts
    them (one row per kind, see :func:`summarise_findings`). Held here, they are counted
    from their arrays and only the rows written are made (:meth:`to_frame` of a few
    positions); the whole frame is made when someone reads every finding (the
    ``findings`` of a :class:`~cppanalytics.ssda903.dataset.Dataset`, ``--findings all``),
    the same frame, to the last value, as building it at once gives.

    Parameters
    ----------
    n
        how many findings.
    columns
        per column of :data:`FINDING_COLUMNS`: one text for every row (``str``), or
        ``(source, at)``: the values of the Series ``source`` at the positions ``at``,
        missing as ``""`` (for ``row``: as ``Int64``). A column not given is ``""`` for
        every row (``row``: missing). The Series are held, not copied (pandas copies a
        table's column before changing it while another holds it).

    Text columns are made with the ``str`` dtype in force when the batch was made, as
    building them then would have.

    Examples
    --------
    >>> t = pd.DataFrame({"CHILD": ["7", None, "8"], "source_row": [2, 3, 4]})
    >>> at = np.array([2, 1])
    >>> held = FindingArrays(2, {"severity": "info", "child": (t["CHILD"], at),
    ...                          "row": (t["source_row"], at)})
    >>> held.to_frame()[["severity", "row", "child"]].values.tolist()
    [['info', 4, '8'], ['info', 3, '']]
    >>> held.texts("child").tolist(), len(held)
    (['8', ''], 2)
    """

    def __init__(self, n: int, columns: dict[str, str | Taken]) -> None:
        unknown = set(columns) - set(FINDING_COLUMNS)
        if unknown:
            raise KeyError(f"not finding columns: {sorted(unknown)}")
        if isinstance(columns.get("row"), str):
            raise TypeError("row is read from a Series, not given as text")
        self._n = n
        self._columns = dict(columns)
        self._text = pd.api.types.pandas_dtype("str")

    def __len__(self) -> int:
        return self._n

    @property
    def dtypes(self) -> pd.Series:
        """The dtypes of :meth:`to_frame`'s columns (as ``DataFrame.dtypes``)."""
        kinds = [pd.Int64Dtype() if c == "row" else self._text for c in FINDING_COLUMNS]
        return pd.Series(kinds, index=FINDING_COLUMNS, dtype=object)

    def fixed(self, col: str) -> str | None:
        """The column's one text when it is one text for every row, else None."""
        given = self._columns.get(col, "")
        return given if isinstance(given, str) else None

    def texts(self, col: str) -> np.ndarray:
        """A text column's values as an object array (missing as ``""``): one object for
        every row of a column given as one text, no new text made."""
        given = self._columns.get(col, "")
        if isinstance(given, str):
            out = np.empty(self._n, dtype=object)
            out.fill(given)
            return out
        source, at = given
        return np.asarray(_text_at(source, at, self._text), dtype=object)

    def to_frame(self, at: np.ndarray | None = None) -> pd.DataFrame:
        """The findings (those at positions ``at``, in that order) as a findings frame in
        the contract's form, numbered 0, 1, 2 ..."""
        n = self._n if at is None else len(at)
        columns: dict[str, object] = {}
        for col, given in self._columns.items():
            if isinstance(given, str):
                columns[col] = given
                continue
            source, where = given
            where = where if at is None else where[at]
            if col == "row":
                columns[col] = pd.array(source.array.take(where), dtype="Int64")
            else:
                columns[col] = _text_at(source, where, self._text)
        return found_frame(columns, n, self._text)


#: what a collector holds: findings frames and findings held as arrays
FoundPart: TypeAlias = pd.DataFrame | FindingArrays


def as_frame(part: FoundPart) -> pd.DataFrame:
    """A part of a collector as a findings frame (made, when held as arrays).

    Examples
    --------
    >>> as_frame(FindingArrays(1, {"code": "x"}))["code"].tolist()
    ['x']
    """
    return part.to_frame() if isinstance(part, FindingArrays) else part


def found_frame(columns: dict[str, object], n: int, text: object = None) -> pd.DataFrame:
    """A findings frame (the contract's columns, ``str`` text, ``Int64`` row) of ``n`` rows
    from arrays and single texts (one shared text object per column); ``text`` is the
    ``str`` dtype to make text in (the one in force when None).

    Examples
    --------
    >>> f = found_frame({"severity": "info", "row": pd.array([2, None], dtype="Int64")}, 2)
    >>> f["severity"].tolist(), f["row"].tolist(), f["child"].tolist()
    (['info', 'info'], [2, <NA>], ['', ''])
    """
    kind = pd.api.types.pandas_dtype("str") if text is None else text
    out = {}
    for col in FINDING_COLUMNS:
        given = columns.get(col, pd.NA if col == "row" else "")
        if col == "row":
            out[col] = (
                given
                if not np.isscalar(given) and given is not pd.NA
                else pd.array([given] * n, dtype="Int64")
            )
        elif isinstance(given, str):
            out[col] = _same_text(given, n, kind)
        else:
            out[col] = given
    # (the column names too are text of that dtype, as a frame made then would have)
    names = pd.Index(FINDING_COLUMNS, dtype=kind)
    return pd.DataFrame(out, index=pd.RangeIndex(n), columns=names, copy=False)


def _same_text(text: str, n: int, kind: object = None) -> object:
    """``n`` times the one object ``text`` as a ``str`` array (no per-row check), in the
    ``str`` dtype ``kind`` (the one in force when None).

    Examples
    --------
    >>> _same_text("info", 2).tolist(), str(_same_text("", 0).dtype)
    (['info', 'info'], 'str')
    """
    one = pd.array([text], dtype=pd.api.types.pandas_dtype("str") if kind is None else kind)
    if not isinstance(one, pd.arrays.StringArray):  # Arrow storage: one value, taken
        return one.take(np.zeros(n, dtype=np.intp))
    objects = np.empty(n, dtype=object)
    objects.fill(text)
    return _python_str(one, objects)


def _python_str(like: object, objects: np.ndarray) -> object:
    """Python ``str`` objects (none missing) as the Python-stored ``str`` array ``like``
    is, without checking every value again (pandas' own constructor for a backing
    array); ``like`` itself when ``objects`` is its own backing array."""
    return like._from_backing_data(objects)  # type: ignore[attr-defined]


def _text_at(source: pd.Series, rows: np.ndarray, kind: Any = None) -> object:
    """The text of ``source`` at positions ``rows`` as findings hold it (``str`` dtype
    ``kind``, the one in force when None; ``""`` for missing).

    Python-stored text is checked once (while it is made ``str``: every missing value then
    is the one NaN object, found by address), not once per conversion step.

    Examples
    --------
    >>> t = pd.Series(pd.array(["7", None, "é"], dtype="string"))
    >>> _text_at(t, np.array([2, 1])).tolist()
    ['é', '']
    """
    text = pd.api.types.pandas_dtype("str") if kind is None else kind
    values = source.array.take(rows)
    if isinstance(values, pd.arrays.StringArray) and text.storage == "python":
        # a Python-stored text array holds str objects and its own missing value only
        objects = np.asarray(values, dtype=object)
        if (
            len(objects)
            and objects.flags.c_contiguous
            and not np.may_share_memory(objects, np.asarray(source.array, dtype=object))
        ):
            size = len(objects)
            buffer = (ctypes.c_ssize_t * size).from_address(objects.ctypes.data)
            missing = np.ctypeslib.as_array(buffer) == id(values.dtype.na_value)
            if missing.any():
                objects[missing] = ""
            return _python_str(pd.array([""], dtype=text), objects)
    return pd.Series(values).astype("string").fillna("").astype(text).array


class Findings:
    """An append-only collector of findings.

    Add single findings with :meth:`add` or whole vectorised batches with
    :meth:`extend` (preferred on hot paths: build one DataFrame per check, not one
    call per row). A batch may be held as arrays (:class:`FindingArrays`): it is counted
    and summarised from them, and made a frame only when every finding is asked for
    (:meth:`to_frame`, ``summary("all")``).

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
        self._parts: list[FoundPart] = []
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

    def extend(self, frame: pd.DataFrame | Findings | FindingArrays) -> None:
        """Append a batch of findings (a DataFrame with finding columns, findings held as
        arrays, or another collector: its batches as they are held)."""
        if isinstance(frame, Findings):
            self._parts.extend(frame._parts)  # (normal, and never changed once held)
            self._frame = None
        elif isinstance(frame, FindingArrays):
            if len(frame):
                self._parts.append(frame)
                self._frame = None
        elif len(frame):
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
            same = self._same_dtypes()
            whole = pd.concat([as_frame(p) for p in self._parts], ignore_index=True)
            # parts are normal; stacked with the same dtypes they stay so
            self._frame = whole if same else normalise_findings(whole)
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
        held = any(isinstance(p, FindingArrays) for p in parts)
        if detail == "all" or (len(parts) < 2 and not held) or not self._same_dtypes():
            return _summarise(self.to_frame(), detail)
        # a large extract's load findings and the computing findings: summarised without
        # stacking a million rows first (nor making those held as arrays)
        folded = _summarise_parts(parts)
        return self.to_frame() if folded is None else folded

    def _same_dtypes(self) -> bool:
        """Whether every part has the first part's dtypes (stacked, they stay normal)."""
        return all(p.dtypes.equals(self._parts[0].dtypes) for p in self._parts)

    def counts(self) -> dict[str, int]:
        """Number of findings by severity, always with keys error, warning, info."""
        out = dict.fromkeys(SEVERITY_ORDER, 0)
        for part in self._parts:  # (each part normal: no stacking needed to count)
            one = part.fixed("severity") if isinstance(part, FindingArrays) else None
            if one is not None:
                if one in out:
                    out[one] += len(part)
                continue
            severity = _column_texts(part, "severity")
            for s in SEVERITY_ORDER:
                out[s] += int(np.count_nonzero(_equal_to(severity, s)))
        return out

    def __len__(self) -> int:
        return int(sum(len(p) for p in self._parts))
