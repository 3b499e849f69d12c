"""Row checks on one loaded 903 table, and checks across tables. All vectorised.

Each check returns findings (the contract in :mod:`cppanalytics.findings`) naming file,
row, column and raw value. What happens to the row:

=====================  ========  ============================================  ===========
code                   severity  when                                          row
=====================  ========  ============================================  ===========
value_missing          error     a key column (CHILD, DECOM, MIS_START ...)    set aside
                                 is blank
date_unparseable       error     a key date is not a date                      set aside
date_unparseable       error     another date is not a date                    kept (blank)
value_missing          error     a column that should be filled is blank       kept
code_unknown           error     not a code of that column                     kept
code_wrong_year        error     a code, but not valid within a year of the    kept
                                 row's collection year
code_other_year        warning   a code of the neighbouring collection year    kept
number_invalid         error     SDQ_SCORE not a whole number 0-40             kept (blank)
date_in_future         error     a date after today (DUC excepted)             kept
date_implausible       error     a date before 1900                            kept
dec_before_decom       error     episode ends before it starts                 set aside
rec_missing            error     episode has DEC but no REC                    kept
rec_without_dec        warning   episode has REC but no DEC                    kept
child_not_in_header    error     CHILD in a table but not in Header            kept
decom_before_dob       error     episode starts before the child's DOB         kept
=====================  ========  ============================================  ===========

Examples
--------
>>> import pandas as pd
>>> from cppanalytics.ssda903.dataset import coerce_table
>>> raw = pd.DataFrame({"CHILD": ["1"], "DECOM": ["01/05/2023"], "DEC": ["01/04/2023"],
...                     "source_file": ["e.csv"], "source_row": [2], "YEAR": [2024]})
>>> typed = coerce_table("episodes", raw.fillna(""))
>>> keep, found = check_rows("episodes", raw.reindex(columns=typed.columns, fill_value=""),
...                          typed, today=pd.Timestamp("2025-01-01"))
>>> bool(keep.iloc[0]), "dec_before_decom" in set(found.code)
(False, True)
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from cppanalytics.ssda903.coded import Coded, factorize_text
from cppanalytics.ssda903.codes import CODES, STATUSES, status_positions
from cppanalytics.ssda903.dataset import DATE_COLUMNS, NUMERIC_COLUMNS
from cppanalytics.ssda903.provenance import concat, row_findings
from cppanalytics.ssda903.schemas import SCHEMAS
from cppanalytics.ssda903.years import labels

#: Dates that may lie in the future (DUC: the date a UASC stops being one).
FUTURE_ALLOWED: frozenset[str] = frozenset({"DUC"})
EARLIEST: pd.Timestamp = pd.Timestamp("1900-01-01")

_DATE_FIX = "Write the date as dd/mm/YYYY (e.g. 31/03/2024) in the source system and re-export."


def blank_text(raw: pd.Series) -> pd.Series:
    """True where a text value is missing or only white space (vectorised in Arrow).

    Examples
    --------
    >>> blank_text(pd.Series(["P1", "", "  ", None], dtype=object)).tolist()
    [False, True, True, True]
    """
    try:
        arr = pa.array(
            raw.to_numpy(dtype=object, na_value=None), type=pa.string(), from_pandas=True
        )
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # not all text: the slow, general way
        return raw.isna() | (raw.astype("string").str.strip() == "").fillna(True)
    blank = pc.fill_null(pc.equal(pc.utf8_trim_whitespace(arr), ""), True)
    return pd.Series(blank.to_numpy(zero_copy_only=False), index=raw.index, dtype=bool)


def _blank_typed(raw: pd.Series, typed: pd.Series, col: str) -> pd.Series:
    """:func:`blank_text` of ``raw``, read from its typed values where they tell.

    A text or code value is missing exactly when it is blank; a date or number that was
    read is not blank, so only the missing ones are looked at as text.

    Examples
    --------
    >>> raw = pd.Series(["01/04/2024", " ", "x"])
    >>> _blank_typed(raw, pd.Series(pd.to_datetime(["2024-04-01", None, None])), "DECOM").tolist()
    [False, True, False]
    """
    missing = typed.isna()
    if col not in DATE_COLUMNS and col not in NUMERIC_COLUMNS:
        return missing
    blank = pd.Series(False, index=raw.index)
    if missing.any():
        blank[missing] = blank_text(raw[missing]).to_numpy()
    return blank


def _blank_coded(coded: Coded, col: str, index: pd.Index) -> pd.Series:
    """:func:`_blank_typed` read from the integer codes of a table (rows ``index``).

    Examples
    --------
    >>> from cppanalytics.ssda903.coded import Coded, factorize_text
    >>> codes = pd.DataFrame({"DEC": [0, -1, -1]})
    >>> coded = Coded(codes, raw_blank={"DEC": np.array([False, True, False])})
    >>> _blank_coded(coded, "DEC", pd.Index([0, 1, 2])).tolist()
    [False, True, False]
    """
    blank = coded.column(col, index) < 0
    if col in DATE_COLUMNS or col in NUMERIC_COLUMNS:
        blank &= coded.blank_as_written(col, index)
    return pd.Series(blank, index=index)


class _EveryRow(Coded):
    """A :class:`~.coded.Coded` asked only for all of its rows, in order: its arrays are
    given as they are (no look-up of the rows' positions per column).

    Examples
    --------
    >>> coded = _EveryRow(Coded(pd.DataFrame({"DEC": [0, -1]}), raw_blank={"DEC": np.ones(2, bool)}))
    >>> coded.column("DEC", pd.RangeIndex(2)).tolist(), coded.blank_as_written("DEC", None).tolist()
    ([0, -1], [True, True])
    """

    def __init__(self, coded: Coded) -> None:
        super().__init__(coded.codes, coded.values, coded.raw_blank)

    def column(self, col: str, index: pd.Index) -> np.ndarray:
        """The codes of ``col`` for every row (``index`` is the table's own)."""
        return self.codes[col].to_numpy()

    def blank_as_written(self, col: str, index: pd.Index) -> np.ndarray:
        """``raw_blank[col]`` for every row."""
        return self.raw_blank[col]


def check_rows(
    name: str,
    raw: pd.DataFrame,
    typed: pd.DataFrame,
    *,
    today: pd.Timestamp,
    coded: Coded | None = None,
) -> tuple[pd.Series, pd.DataFrame]:
    """Check one table's rows; return (rows to keep, findings).

    Parameters
    ----------
    name
        903 table key.
    raw
        the table as read (text), aligned with ``typed``, with provenance columns; with
        ``coded``, it may hold more rows than ``typed`` (they are matched by label).
    typed
        the same rows after :func:`cppanalytics.ssda903.dataset.coerce_table` (with YEAR).
        ``SDQ_SCORE`` values out of range are blanked in place. With ``coded``, code and
        text columns other than CHILD may be left out (read from the codes).
    today
        the date after which dates are "in the future".
    coded
        the integer codes of ``typed``'s values (from
        :func:`cppanalytics.ssda903.loader.coerce_with_codes`, for a superset of its rows):
        blanks and codes are then checked on integers, same answers.
    """
    schema = SCHEMAS[name]
    parts: list[pd.DataFrame] = []
    keep = pd.Series(True, index=typed.index)
    if coded is not None and typed.index.equals(coded.codes.index):
        coded = _EveryRow(coded)  # the codes as they are, no look-up of rows
    if coded is None:
        where = typed.assign(source_file=raw["source_file"], source_row=raw["source_row"])
    else:  # the typed provenance holds the same values as the raw one
        where = typed
    blanks: dict[str, pd.Series] = {}

    def blank_in(col: str) -> pd.Series:
        if col not in blanks:
            if coded is None:
                blanks[col] = _blank_typed(raw[col], typed[col], col)
            else:
                blanks[col] = _blank_coded(coded, col, typed.index)
        return blanks[col]

    for col in schema.row_required:
        blank = blank_in(col)
        parts.append(
            row_findings(
                where,
                blank,
                "error",
                "value_missing",
                name,
                column=col,
                value="",
                message=f"{col} is blank; the {name} row cannot be used without it.",
                fix=f"Fill in {col} in the source system and re-export.",
                action="set_aside",
            )
        )
        keep &= ~blank
    for col in schema.columns:
        if col not in DATE_COLUMNS:
            continue
        bad = ~blank_in(col) & typed[col].isna()
        key = col in schema.row_required
        parts.append(
            row_findings(
                where,
                bad,
                "error",
                "date_unparseable",
                name,
                column=col,
                value=raw[col],
                message=(
                    f"{col} '{{value}}' is not a date"
                    + ("; the row was set aside." if key else "; it was treated as blank.")
                ),
                fix=_DATE_FIX,
                action="set_aside" if key else "loaded",
            )
        )
        if key:
            keep &= ~bad
            continue
        if col not in FUTURE_ALLOWED:
            future = _compare(typed[col], np.greater, today)
            parts.append(
                row_findings(
                    where,
                    future,
                    "error",
                    "date_in_future",
                    name,
                    column=col,
                    value=raw[col],
                    message=f"{col} {{value}} is after today's date.",
                    fix=f"Correct {col} in the source system.",
                    action="loaded",
                )
            )
        old = _compare(typed[col], np.less, EARLIEST)
        parts.append(
            row_findings(
                where,
                old,
                "error",
                "date_implausible",
                name,
                column=col,
                value=raw[col],
                message=f"{col} {{value}} is before 1900.",
                fix=f"Correct {col} in the source system.",
                action="loaded",
            )
        )
    for col in schema.row_required:
        if col in DATE_COLUMNS and col not in FUTURE_ALLOWED:
            future = keep & _compare(typed[col], np.greater, today)
            parts.append(
                row_findings(
                    where,
                    future,
                    "error",
                    "date_in_future",
                    name,
                    column=col,
                    value=raw[col],
                    message=f"{col} {{value}} is after today's date.",
                    fix=f"Correct {col} in the source system.",
                    action="loaded",
                )
            )
    for col in schema.value_required:
        blank = keep & blank_in(col)
        parts.append(
            row_findings(
                where,
                blank,
                "error",
                "value_missing",
                name,
                column=col,
                value="",
                message=f"{col} is blank.",
                fix=f"Fill in {col} in the source system.",
                action="loaded",
            )
        )
    parts.extend(_check_codes(name, raw, typed, where, keep, coded))
    if name == "oc2":
        given = ~(blank_text(raw["SDQ_SCORE"]) if coded is None else blank_in("SDQ_SCORE"))
        parts.append(_check_sdq(raw, typed, where, given))
    if name == "episodes":
        ends_early = keep & _compare(typed["DEC"], np.less, typed["DECOM"])
        parts.append(
            row_findings(
                where,
                ends_early,
                "error",
                "dec_before_decom",
                name,
                column="DEC",
                value=raw["DEC"],
                message="episode ends (DEC {value}) before it starts (DECOM); the episode was "
                "set aside.",
                fix="Correct DECOM or DEC in the source system.",
                action="set_aside",
            )
        )
        keep &= ~ends_early
        dec = typed["DEC"].notna()
        if coded is None:
            rec = typed["REC"].notna()
        else:
            rec = pd.Series(coded.column("REC", typed.index) >= 0, index=typed.index)
        parts.append(
            row_findings(
                where,
                keep & dec & ~rec,
                "error",
                "rec_missing",
                name,
                column="REC",
                value="",
                message="episode has an end date (DEC) but no reason it ended (REC).",
                fix="Record REC (X1 if a new episode started the same day).",
                action="loaded",
            )
        )
        parts.append(
            row_findings(
                where,
                keep & ~dec & rec,
                "warning",
                "rec_without_dec",
                name,
                column="REC",
                value=raw["REC"],
                message="episode has REC but no DEC; it is treated as open.",
                fix="Record the DEC, or clear REC if the episode is still open.",
                action="loaded",
            )
        )
    return keep, concat(parts)


def _compare(dates: pd.Series, op: np.ufunc, other: pd.Timestamp | pd.Series) -> pd.Series:
    """``op(dates, other)`` (a comparison), on the numpy dates when both are naive
    ``datetime64`` (a missing date compares False, as in pandas); else pandas' own.

    Examples
    --------
    >>> d = pd.Series(pd.to_datetime(["2030-01-01", None, "1899-12-31"]))
    >>> _compare(d, np.greater, pd.Timestamp("2026-01-01")).tolist()
    [True, False, False]
    >>> _compare(d, np.less, d.shift(1)).tolist()
    [False, False, False]
    """
    plain = _naive_dates(dates)
    if isinstance(other, pd.Series):
        plain = plain and _naive_dates(other) and dates.index.equals(other.index)
        if plain:
            theirs = other.to_numpy()
    else:
        plain = plain and isinstance(other, pd.Timestamp) and other.tz is None
        if plain:
            theirs = other.to_datetime64()
    if not plain:
        return pd.Series(op(dates, other), index=dates.index)
    return pd.Series(op(dates.to_numpy(), theirs), index=dates.index)


def _naive_dates(values: pd.Series) -> bool:
    """Whether ``values`` are numpy ``datetime64`` (no time zone)."""
    return isinstance(values.dtype, np.dtype) and values.dtype.kind == "M"


def _check_codes(
    name: str,
    raw: pd.DataFrame,
    typed: pd.DataFrame,
    where: pd.DataFrame,
    keep: pd.Series,
    coded: Coded | None = None,
) -> list[pd.DataFrame]:
    """Code findings for one table: unknown codes, codes of another year's list.

    Each distinct (code, year) pair is classified once (:func:`.codes.status_positions`,
    on the integer codes of ``coded`` when given); messages are built for the flagged rows
    only (a large extract has few).
    """
    out = []
    years = typed["YEAR"]
    if coded is None:
        year_codes, year_values = pd.factorize(years)
    else:
        year_codes, year_values = coded.column("YEAR", typed.index), coded.values["YEAR"]
    kept = keep.to_numpy(dtype=bool)
    for col in SCHEMAS[name].columns:
        if col not in CODES:
            continue
        if coded is None:
            value_codes, values = pd.factorize(typed[col].astype("object"))
        else:
            value_codes, values = coded.column(col, typed.index), coded.values[col]
        position = status_positions(col, value_codes, values, year_codes, year_values)
        flagged = kept & (position != 0)
        if not flagged.any():
            continue
        rows = typed.index[flagged]
        status = pd.Series(np.asarray(STATUSES, dtype=object)[position[flagged]], index=rows)
        if col in typed.columns:
            code = typed.loc[rows, col]
        else:  # a column the table holds as codes only: its flagged rows' typed values
            taken = pd.Series(values).array.take(value_codes[flagged], allow_fill=True)
            code = pd.Series(taken, index=rows)
        year_text = labels(years.loc[rows])
        code_text = code.astype("string")
        sub_where, sub_raw = where.loc[rows], raw.loc[rows, col]
        out.append(
            row_findings(
                sub_where,
                status == "unknown",
                "error",
                "code_unknown",
                name,
                column=col,
                value=sub_raw,
                message=f"{col} '{{value}}' is not a valid 903 code.",
                fix=f"Correct {col} to a code from the DfE 903 guidance.",
                action="loaded",
            )
        )
        out.append(
            row_findings(
                sub_where,
                status == "wrong_year",
                "error",
                "code_wrong_year",
                name,
                column=col,
                value=sub_raw,
                message=(
                    f"{col} '"
                    + code_text
                    + "' is not used in the "
                    + year_text
                    + " collection year."
                ),
                fix=f"Recode {col} with that year's DfE code list.",
                action="loaded",
            )
        )
        out.append(
            row_findings(
                sub_where,
                status == "other_year",
                "warning",
                "code_other_year",
                name,
                column=col,
                value=sub_raw,
                message=(
                    f"{col} '" + code_text + "' belongs to the "
                    "neighbouring year's code list, not " + year_text + "'s; it was accepted."
                ),
                fix=f"Check the {col} code list for the collection year.",
                action="loaded",
            )
        )
    return out


def _check_sdq(
    raw: pd.DataFrame, typed: pd.DataFrame, where: pd.DataFrame, given: pd.Series
) -> pd.DataFrame:
    """SDQ_SCORE written (``given``) but not a whole number 0-40: blanked, a finding."""
    score = typed["SDQ_SCORE"]
    bad = given & (score.isna() | (score < 0) | (score > 40) | (score % 1 != 0))
    typed.loc[bad, "SDQ_SCORE"] = float("nan")
    return row_findings(
        where,
        bad,
        "error",
        "number_invalid",
        "oc2",
        column="SDQ_SCORE",
        value=raw["SDQ_SCORE"],
        message="SDQ_SCORE '{value}' is not a whole number from 0 to 40; it was treated as blank.",
        fix="Correct the SDQ score (0-40) or leave it blank and give SDQ_REASON.",
        action="repaired",
    )


def check_cross(
    tables: dict[str, pd.DataFrame],
    children: dict[str, tuple[np.ndarray, np.ndarray]] | None = None,
) -> pd.DataFrame:
    """Checks across tables of the stitched data (children missing from Header, DECOM < DOB).

    Each child missing from Header is reported once per table, at its first row.
    ``children`` may give, for every table, its rows' CHILD as integer codes (-1 blank)
    and the distinct values they stand for (the loader's codes): the ids are then matched
    across tables through the distinct values only, not every row's text.

    Examples
    --------
    >>> from cppanalytics.ssda903.dataset import Dataset
    >>> ds = Dataset.from_tables({"episodes": pd.DataFrame({"CHILD": ["9"],
    ...     "DECOM": ["01/04/2023"]})})
    >>> check_cross(ds.tables).code.tolist()
    ['child_not_in_header']
    """
    header = tables["header"]
    others = {name: frame for name, frame in tables.items() if name != "header" and len(frame)}
    frames = {"header": header, **others}
    if children is not None and all(name in children for name in frames):
        header_codes, *codes = _coded_child_codes([children[name] for name in frames])
    else:
        header_codes, *codes = _child_codes(list(frames.values()))
    # Header's children hold the codes 0 .. known - 1
    known = int(header_codes.max()) + 1 if len(header_codes) else 0
    parts = []
    for (name, frame), child in zip(others.items(), codes, strict=True):
        first = _first_rows(child)  # each child's first row
        missing = first & ~((child >= 0) & (child < known))  # blank CHILD: not in Header
        parts.append(
            row_findings(
                frame,
                pd.Series(missing, index=frame.index),
                "error" if name == "episodes" else "warning",
                "child_not_in_header",
                name,
                column="CHILD",
                message=f"child is in the {name} table but not in the Header table, so their "
                "sex, date of birth and ethnicity are unknown.",
                fix="Include the child in the Header file (or correct the CHILD id).",
                action="loaded",
            )
        )
    eps = tables["episodes"]
    if len(eps) and len(header):
        dob = pd.Series(
            _first_dob(header, header_codes, known)[_slots(codes[0], known)], index=eps.index
        )
        early = eps["DECOM"] < dob
        parts.append(
            row_findings(
                eps,
                early,
                "error",
                "decom_before_dob",
                "episodes",
                column="DECOM",
                value=eps.loc[early.fillna(False), "DECOM"].dt.strftime("%d/%m/%Y"),
                message="episode starts ({value}) before the child's date of birth in Header.",
                fix="Correct DECOM in Episodes or DOB in Header.",
                action="loaded",
            )
        )
    return concat(parts)


def _child_codes(frames: list[pd.DataFrame]) -> list[np.ndarray]:
    """Integer codes of the frames' CHILD values, shared by all frames (blank = -1), in
    order of first appearance (one hashing of every id, in Arrow)."""
    values = [frame["CHILD"].to_numpy(dtype=object) for frame in frames]
    codes, _ = factorize_text(pd.Series(np.concatenate(values), dtype=object))
    return np.split(codes, np.cumsum([len(v) for v in values])[:-1])


def _coded_child_codes(coded: list[tuple[np.ndarray, np.ndarray]]) -> list[np.ndarray]:
    """Integer codes of frames' CHILD given as (row codes, distinct values) pairs, shared by
    all frames (blank = -1), the first frame's children numbered ``0 .. known - 1``.

    The distinct values are matched across frames (hashed once; frames sharing one array
    of distinct values, by identity, share its numbering without hashing it again); every
    row's id is then one look-up (no row hashed). The first frame's ids are numbered in
    order of value (as its distinct values come), the other frames' ids after them.

    Examples
    --------
    >>> a = (np.array([0, 1, -1, 0]), np.array(["7", "5", "8"], dtype=object))
    >>> b = (np.array([1, 0, 2]), np.array(["5", "9", "8"], dtype=object))
    >>> [c.tolist() for c in _coded_child_codes([a, b])]
    [[0, 1, -1, 0], [3, 1, 2]]
    """
    values = [np.asarray(v, dtype=object) for _, v in coded]
    arrays = list({id(v): v for v in values}.values())  # each array once, first met first
    if len(arrays) == 1:  # distinct values: numbered as factorising them numbers them
        ids = np.arange(len(arrays[0]), dtype=np.int64)
    else:
        joined = np.concatenate([np.empty(0, object), *arrays])
        ids, _ = factorize_text(pd.Series(joined, dtype=object))
    bounds = np.cumsum([0, *(len(v) for v in arrays)])
    # each array's distinct values' ids, a blank (code -1) taking the -1 appended last
    slots = {
        id(v): np.append(ids[b : b + len(v)], -1) for v, b in zip(arrays, bounds[:-1], strict=True)
    }
    total = int(ids.max()) + 1 if len(ids) else 0
    held = np.zeros(total + 1, dtype=bool)  # the ids the first frame's rows hold (slot -1 blank)
    if coded:
        held[slots[id(values[0])].take(coded[0][0])] = True
    held[-1] = False
    known = int(np.count_nonzero(held))
    renumber = np.empty(total + 1, dtype=np.int64)
    renumber[np.flatnonzero(held)] = np.arange(known)
    renumber[np.flatnonzero(~held[:-1])] = np.arange(known, total)
    renumber[-1] = -1
    # each array's ids renumbered once (as many as its distinct values), then one take
    # of each frame's rows
    final = {key: renumber.take(slot) for key, slot in slots.items()}
    return [final[id(v)].take(codes) for (codes, _), v in zip(coded, values, strict=True)]


def _first_rows(codes: np.ndarray) -> np.ndarray:
    """True at each code's first row (``~pd.Series(codes).duplicated()``; -1 is a code too).

    Examples
    --------
    >>> _first_rows(np.array([3, -1, 3, 0, -1])).tolist()
    [True, True, False, True, False]
    """
    n = len(codes)
    out = np.zeros(n, dtype=bool)
    if not n:
        return out
    low, high = int(codes.min()), int(codes.max())
    if low < -1 or high - low > 4 * n + 4096:
        return ~pd.Series(codes).duplicated().to_numpy()
    slots = codes - low if low else codes
    first = np.full(high - low + 1, n, dtype=np.int64)
    np.minimum.at(first, slots, np.arange(n))
    out[first[first < n]] = True
    return out


def _slots(child: np.ndarray, known: int) -> np.ndarray:
    """Where to read each row's Header value in :func:`_first_dob`'s array: the child's own
    slot, or ``known`` (none) for a blank CHILD or a child not in Header."""
    return np.where((child >= 0) & (child < known), child, known)


def _first_dob(header: pd.DataFrame, codes: np.ndarray, known: int) -> np.ndarray:
    """DOB of each child's first Header row, by code, then NaT (a blank CHILD is no child,
    so it has no DOB to compare with, even beside a Header row with a blank CHILD)."""
    first = _first_rows(codes) & (codes >= 0)
    dob = header["DOB"].to_numpy()
    out = np.full(known + 1, np.datetime64("NaT"), dtype=dob.dtype)
    out[codes[first]] = dob[first]
    return out


__all__ = ["EARLIEST", "FUTURE_ALLOWED", "blank_text", "check_cross", "check_rows"]
