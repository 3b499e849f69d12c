"""Stitch several collection years of a 903 table into one, by documented rules.

Every row that does not survive is a finding with ``action="set_aside"``; every value
changed is a finding with ``action="repaired"``. Rules, applied in this order:

1. **Duplicates within a collection year** (same table, same YEAR, same key from
   :data:`cppanalytics.ssda903.schemas.SCHEMAS`): an exact copy of an earlier row is set
   aside (warning ``duplicate_row``); a row with the same key but different values is set
   aside in favour of the first one read (error ``duplicate_key``: the file contradicts
   itself and someone must decide).
2. **Across collection years** (:func:`stitch_years`): for Header, UASC, AD1 and PrevPerm
   the latest year's row per child wins; for Episodes the latest year's row per
   (CHILD, DECOM) wins, so a previous year's open episode is superseded by the next year's
   closed version; Missing, Reviews, PlacedAdoption, SWEpisodes and DoLo likewise by their
   key. Superseded rows are set aside with an info finding ``superseded`` (held as arrays
   by the loader, :func:`stitch_years_held`: made rows only when every finding is read).
   OC2 and OC3 rows keep their collection year and are all kept.
3. **Overlapping episodes** (:func:`repair_overlaps`), per child, episodes in DECOM order:

   a. an episode that starts inside an episode from a *later* collection year (on or after
      its DECOM and before its DEC, or it is open) is stale: the later return re-recorded
      that time. It is set aside (warning ``episode_superseded_overlap``);
   b. an episode whose DEC is after the next episode's DECOM, or that is open although a
      later episode follows, ends when the next one starts: DEC is set to the next DECOM,
      and a blank REC becomes ``X1`` (warning ``episode_overlap``, repaired);
   c. the child's last episode is open but comes from an earlier collection year than the
      latest one loaded, and the child has no episode in a later year: it is kept open,
      with a warning ``open_episode_not_in_later_year`` (the later return should hold it).

Examples
--------
>>> import pandas as pd
>>> from cppanalytics.ssda903.dataset import coerce_table
>>> eps = coerce_table("episodes", pd.DataFrame({
...     "CHILD": ["1", "1"], "DECOM": ["01/04/2023", "01/06/2023"], "DEC": ["", ""],
...     "REC": ["", ""], "YEAR": [2024, 2024], "source_file": "e.csv", "source_row": [2, 3]}))
>>> fixed, found = repair_overlaps(eps, latest_year=2024)
>>> fixed.loc[0, "DEC"], fixed.loc[0, "REC"], found.code.tolist()
(Timestamp('2023-06-01 00:00:00'), 'X1', ['episode_overlap'])
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from cppanalytics.findings import FindingArrays, FoundPart, as_frame
from cppanalytics.ssda903.provenance import concat, empty, row_findings
from cppanalytics.ssda903.schemas import SCHEMAS
from cppanalytics.ssda903.years import label, labels


def sort_codes(values: pd.Series) -> np.ndarray:
    """Integer codes that sort and compare as ``values`` do (blanks last, equal to each other).

    Sorting, grouping and joining on these costs a fraction of doing so on text. Text is
    hashed once (no sorting of a million strings); only the distinct values are sorted,
    by pyarrow (UTF-8 byte order is Python's code-point order). Values that are not all
    text, or that pyarrow cannot hold, take pandas' sorted factorisation: same codes.

    Examples
    --------
    >>> sort_codes(pd.Series(["b", None, "a", "b"], dtype="string")).tolist()
    [1, 2, 0, 1]
    """
    if not (pd.api.types.is_string_dtype(values) or values.dtype == object):
        return values.to_numpy()
    python = getattr(values.dtype, "storage", None) == "python" or values.dtype == object
    codes, uniq = pd.factorize(np.asarray(values.array) if python else values)
    ranks = text_ranks(np.asarray(uniq, dtype=object))
    if ranks is None:
        codes, uniq = pd.factorize(values, sort=True)
        return np.where(codes < 0, len(uniq), codes)
    return np.append(ranks, len(ranks))[codes]


def coded_sort_codes(
    codes: np.ndarray, values: np.ndarray, ranks: np.ndarray | None = None
) -> np.ndarray | None:
    """:func:`sort_codes` of a text column given as integer codes into its distinct values.

    ``codes`` (-1 for blank) index ``values``; ``values`` may hold values no row uses (the
    codes of a table some rows were taken from). The result sorts and compares as
    :func:`sort_codes` of the text does (blanks last, equal to each other); only the
    distinct values are sorted (``ranks``: :func:`text_ranks` of ``values`` known
    already). ``None`` when the values are not all text.

    Examples
    --------
    >>> coded_sort_codes(np.array([0, -1, 2, 0]), np.array(["b", "c", "a"], dtype=object)).tolist()
    [1, 3, 0, 1]
    """
    if ranks is None:
        ranks = text_ranks(np.asarray(values, dtype=object))
    if ranks is None:
        return None
    return np.append(ranks, len(ranks))[codes]


def text_ranks(uniq: np.ndarray) -> np.ndarray | None:
    """Each distinct text's place in sorted order, or ``None`` when they are not all text.

    Examples
    --------
    >>> text_ranks(np.array(["b", "é", "a"], dtype=object)).tolist()
    [1, 2, 0]
    >>> text_ranks(np.array(["b", 1], dtype=object)) is None
    True
    """
    if not len(uniq):
        return np.zeros(0, dtype=np.int64)
    if pd.api.types.infer_dtype(uniq, skipna=False) != "string":
        return None
    try:
        text = pa.array(uniq, type=pa.large_string())
    except (pa.ArrowException, UnicodeError):
        return None  # e.g. a lone surrogate, which UTF-8 cannot hold
    ranks = np.empty(len(uniq), dtype=np.int64)
    ranks[pc.array_sort_indices(text).to_numpy()] = np.arange(len(uniq))
    return ranks


def _key_codes(values: pd.Series) -> np.ndarray:
    """Integer codes of a key column that sort as pandas sorts it (missing last, equal).

    Examples
    --------
    >>> _key_codes(pd.Series(pd.to_datetime(["2024-01-02", None, "2024-01-01"]))).argsort()
    array([2, 0, 1])
    """
    if pd.api.types.is_string_dtype(values) or values.dtype == object:
        return sort_codes(values)
    if values.dtype.kind == "M":
        stamps = values.to_numpy()
        return np.where(np.isnat(stamps), np.iinfo(np.int64).max, stamps.view(np.int64))
    codes, uniq = pd.factorize(values, sort=True)
    return np.where(codes < 0, len(uniq), codes)


def _fmt(dates: pd.Series) -> pd.Series:
    return dates.dt.strftime("%d/%m/%Y").astype("string").fillna("blank")


def dedupe_within_year(
    name: str,
    table: pd.DataFrame,
    *,
    exact: bool = True,
    key: bool = True,
    codes: pd.DataFrame | None = None,
    repeats: pd.Series | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Rule 1: set aside repeated rows inside one collection year (first read is kept).

    ``exact`` / ``key`` choose the two halves of the rule (the loader removes exact copies
    before checking values, so a copy is not reported twice, and same-key rows after).
    ``codes`` (from :func:`cppanalytics.ssda903.loader.coerce_coded`, indexed like the
    table's rows) compares integer codes instead of the values themselves: same answer,
    no hashing of text. ``repeats`` may give :func:`repeated_keys` of these rows or of
    rows they were taken from (labelled alike): where it holds no repeated key, no key
    repeats among these rows either, so nothing is compared again; labelled as the
    table, it is the rows the exact half compares whole.

    Examples
    --------
    >>> import pandas as pd
    >>> from cppanalytics.ssda903.dataset import coerce_table
    >>> h = coerce_table("header", pd.DataFrame({"CHILD": ["1", "1", "1"],
    ...     "SEX": ["1", "1", "2"], "YEAR": 2024, "source_row": [2, 3, 4],
    ...     "source_file": "h.csv"}))
    >>> kept, found = dedupe_within_year("header", h)
    >>> len(kept), found.code.tolist()
    (1, ['duplicate_row', 'duplicate_key'])
    """
    schema = SCHEMAS[name]
    content = [*schema.columns, "YEAR"]
    keyed = [*schema.key, "YEAR"]
    none = pd.Series(False, index=table.index)
    compared = table if codes is None else _rows_of(codes, table.index)
    copies = none
    if exact:
        # an exact copy repeats its key too: only rows of a repeated key are compared whole
        suspects = None
        if set(keyed) <= set(content):
            given = repeats is not None and repeats.index.equals(table.index)
            suspects = repeats if given else _repeats(compared, keyed, keep=False)
        if suspects is None:
            copies = _repeats(compared, content)
        elif suspects.any():
            copies = pd.Series(False, index=table.index)
            copies[suspects.to_numpy()] = _repeats(
                compared[suspects.to_numpy()], content
            ).to_numpy()
    unique = repeats is not None and not repeats.any()  # no key repeated: none here
    same_key = _repeats(compared, keyed) & ~copies if key and not unique else none
    found = concat(
        [
            row_findings(
                table,
                copies,
                "warning",
                "duplicate_row",
                name,
                column=",".join(schema.key),
                value="",
                message=f"this {name} row repeats an earlier row of the same collection year "
                "exactly; the copy was set aside.",
                fix="Remove the repeated row from the export.",
                action="set_aside",
            ),
            row_findings(
                table,
                same_key,
                "error",
                "duplicate_key",
                name,
                column=",".join(schema.key),
                value="",
                message=(
                    f"another {name} row of the same collection year has the same "
                    f"{' and '.join(schema.key)} but different values; the first one read "
                    "was used and this one set aside."
                ),
                fix="Keep one row per "
                + " + ".join(schema.key)
                + " in the source system and re-export.",
                action="set_aside",
            ),
        ]
    )
    gone = (copies | same_key).to_numpy()
    if not gone.any():
        return table, found  # nothing set aside: the table as it came
    return table.loc[~gone], found


def repeated_keys(name: str, table: pd.DataFrame, codes: pd.DataFrame | None = None) -> pd.Series:
    """Rows whose key (the table's key and ``YEAR``) another row of ``table`` repeats, all
    of them (``duplicated(keep=False)``), for :func:`dedupe_within_year`'s ``repeats``.

    Examples
    --------
    >>> t = pd.DataFrame({"CHILD": [0, 1, 0], "YEAR": [0, 0, 0]})
    >>> repeated_keys("header", t).tolist()
    [True, False, True]
    """
    compared = table if codes is None else _rows_of(codes, table.index)
    return _repeats(compared, [*SCHEMAS[name].key, "YEAR"], keep=False)


def _rows_of(codes: pd.DataFrame, index: pd.Index) -> pd.DataFrame:
    """``codes.loc[index]``, by position when ``codes`` is numbered 0, 1, 2 ...

    Examples
    --------
    >>> _rows_of(pd.DataFrame({"a": [5, 6, 7]}), pd.Index([2, 0]))["a"].tolist()
    [7, 5]
    """
    if codes.index.equals(index):
        return codes
    if isinstance(codes.index, pd.RangeIndex) and codes.index.start == 0 and codes.index.step == 1:
        at = index.to_numpy()
        if at.dtype.kind in "iu" and (not len(at) or (at.min() >= 0 and at.max() < len(codes))):
            return codes.take(at)
    return codes.loc[index]


def _repeats(compared: pd.DataFrame, columns: list[str], keep: str | bool = "first") -> pd.Series:
    """``compared.duplicated(subset=columns, keep=keep)`` (``keep``: ``"first"`` or False).

    Columns of integer codes (blank = -1) are packed into one integer per row with the
    row's position and sorted once (equal rows end up side by side, first read first), so
    no row is hashed; when they do not pack into 63 bits they are renumbered (hashed
    once, several columns to a number). Other columns take pandas' own comparison.

    Examples
    --------
    >>> c = pd.DataFrame({"a": [0, 1, 0, 0], "b": [-1, 2, -1, 3]})
    >>> _repeats(c, ["a", "b"]).tolist(), _repeats(c, ["a", "b"], keep=False).tolist()
    ([False, False, True, False], [True, False, True, False])
    """
    parts = [compared[c].to_numpy() for c in columns]
    if not all(p.dtype.kind in "iu" and (not len(p) or p.min() >= -1) for p in parts):
        return compared.duplicated(subset=columns, keep=keep)
    tops = [int(p.max()) if len(p) else -1 for p in parts]
    if max(tops, default=-1) >= 2**31:  # not codes: pandas' comparison
        return compared.duplicated(subset=columns, keep=keep)
    n = len(compared)
    row_bits = max(1, (n - 1).bit_length())
    packed = np.zeros(n, dtype=np.int64)
    bound, offset = 1, 0  # blank (-1) counts as 0: the offset is added once, at the end
    for part, top in zip(parts, tops, strict=True):
        radix = top + 2
        if (bound * radix).bit_length() + row_bits > 63:
            packed += offset
            packed = pd.factorize(packed)[0].astype(np.int64)
            bound, offset = max(1, int(packed.max(initial=0)) + 1), 0
        packed *= radix
        packed += part
        bound, offset = bound * radix, offset * radix + 1
    packed += offset
    if bound.bit_length() + row_bits > 63:
        packed = pd.factorize(packed)[0].astype(np.int64)
    packed <<= row_bits
    packed |= np.arange(n)
    _sort_distinct(packed)  # by value, then position: the first read of equal rows first
    rows = packed & ((1 << row_bits) - 1)
    packed >>= row_bits
    same = packed[1:] == packed[:-1]  # the ranked row repeats the one before it
    out = np.zeros(n, dtype=bool)
    out[rows[1:][same]] = True
    if keep is False:
        out[rows[:-1][same]] = True
    return pd.Series(out, index=compared.index)


def stitch_years(
    name: str, table: pd.DataFrame, keys: dict[str, np.ndarray] | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Rule 2: keep the latest collection year's row per child / key (OC2, OC3: all rows).

    The findings as a frame: :func:`stitch_years_held`, whose findings are held as arrays
    until read, made one.

    Examples
    --------
    >>> import pandas as pd
    >>> from cppanalytics.ssda903.dataset import coerce_table
    >>> rows = {"CHILD": ["9", "8", "9"], "SEX": ["1", "2", "2"], "YEAR": [2023, 2024, 2024],
    ...     "source_row": [4, 2, 3], "source_file": ["a", "b", "b"]}
    >>> kept, found = stitch_years("header", coerce_table("header", pd.DataFrame(rows)))
    >>> kept.CHILD.tolist(), found.code.tolist(), found.file.tolist(), found.row.tolist()
    (['8', '9'], ['superseded'], ['a'], [4])
    """
    kept, found = stitch_years_held(name, table, keys)
    return kept, as_frame(found)


def stitch_years_held(
    name: str, table: pd.DataFrame, keys: dict[str, np.ndarray] | None = None
) -> tuple[pd.DataFrame, FoundPart]:
    """:func:`stitch_years`, the ``superseded`` findings held as arrays
    (:class:`~cppanalytics.findings.FindingArrays`: the rows' positions in ``table`` and
    a message per pair of years), made rows only when read; a run's findings CSV only
    counts them.

    ``keys`` may give, for key columns, integer codes of the rows that sort and compare
    as the column's values do (:func:`coded_sort_codes`, from the loader's codes); the
    other key columns are coded here. The rows are ranked by key, latest year first, then
    the order read (:func:`_latest_first`); the superseded rows' findings are built as
    arrays (:func:`_superseded`), one message per distinct pair of years.

    Examples
    --------
    >>> import pandas as pd
    >>> from cppanalytics.ssda903.dataset import coerce_table
    >>> h = coerce_table("header", pd.DataFrame({"CHILD": ["1", "1"], "SEX": ["1", "2"],
    ...     "YEAR": [2023, 2024], "source_row": [2, 2], "source_file": ["a", "b"]}))
    >>> kept, found = stitch_years_held("header", h)
    >>> kept.SEX.tolist(), found.texts("action").tolist()
    (['2'], ['set_aside'])
    """
    schema = SCHEMAS[name]
    if schema.stitch == "year" or table.empty:
        return table, empty()
    n = len(table)
    year = table["YEAR"].astype("float64").to_numpy()
    given = keys or {}
    coded = [given[c] if c in given else _key_codes(table[c]) for c in schema.key]
    ranked, older, ranked_year = _latest_first(coded, year)
    if not older.any():
        return table, empty()
    found = _superseded(name, table, ranked, older, ranked_year)
    index = table.index
    if index.is_monotonic_increasing and index.is_unique:
        drop = np.zeros(n, dtype=bool)
        drop[ranked[older]] = True
        return table[~drop], found
    ranked_rows = table.iloc[ranked]
    return ranked_rows.loc[pd.Series(~older, index=ranked_rows.index)].sort_index(), found


def _latest_first(
    coded: list[np.ndarray], year: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The rows ranked by key, latest year first (an unknown year as -1), then as read.

    Returns the ranking (positions), which ranked rows repeat the key of the row before
    them (superseded) and each ranked row's year. The key codes and the year are packed
    with the row's position into one integer per row, sorted once (no sort by several
    keys); keys that do not pack take :func:`numpy.lexsort`, same ranking.

    Examples
    --------
    >>> ranked, older, years = _latest_first([np.array([1, 0, 1])], np.array([2023.0, 2024, 2024]))
    >>> ranked.tolist(), older.tolist(), years.tolist()
    ([1, 2, 0], [False, False, True], [2024.0, 2024.0, 2023.0])
    """
    n = len(year)
    packed = _pack_ranking(coded, year)
    if packed is not None:
        return packed
    ranked = np.lexsort([np.arange(n), -np.nan_to_num(year, nan=-1.0), *reversed(coded)])
    older = np.zeros(n, dtype=bool)
    if n > 1:
        older[1:] = np.logical_and.reduce([(k := part[ranked])[1:] == k[:-1] for part in coded])
    return ranked, older, year[ranked]


def _pack_ranking(
    coded: list[np.ndarray], year: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """:func:`_latest_first` by one sort of integers packing (key, year, position); None
    when they do not fit 63 bits or a year is not a whole number.

    The ranked rows' years are read back from the sorted integers (an unknown year and
    -1 rank alike; when both occur they are taken from ``year``).
    """
    n = len(year)
    dense = [_dense(k) for k in coded]
    parts = [p for p in dense if p is not None]
    if len(parts) < len(dense):
        return None
    unknown = np.isnan(year)
    any_unknown = bool(unknown.any())
    later = np.negative(year)  # the ranking takes later years first, unknown as -1
    if any_unknown:
        later[unknown] = 1.0
    whole = later.astype(np.int64)
    if not (whole == later).all():
        return None
    low = int(whole.min()) if n else 0
    span = int(whole.max()) - low + 1 if n else 1
    key_bound = 1
    for _, bound in parts:
        key_bound *= bound
    year_bits, row_bits = span.bit_length(), max(1, (n - 1).bit_length())
    if span > 2**20 or key_bound.bit_length() + year_bits + row_bits > 63:
        return None
    packed = parts[0][0].astype(np.int64)  # (a copy: the codes may be the caller's)
    for codes, bound in parts[1:]:
        packed *= bound
        packed += codes
    packed <<= year_bits + row_bits
    if low:
        whole -= low
    whole <<= row_bits
    packed |= whole
    packed |= np.arange(n)
    _sort_distinct(packed)
    ranked = packed & ((1 << row_bits) - 1)
    packed >>= row_bits
    older = np.zeros(n, dtype=bool)
    shifted = packed >> year_bits
    older[1:] = shifted[1:] == shifted[:-1]
    if any_unknown and (year == -1).any():
        return ranked, older, year[ranked]
    packed &= (1 << year_bits) - 1
    packed += low
    ranked_year = np.negative(packed, dtype=np.float64)
    if any_unknown:
        ranked_year[ranked_year == -1.0] = np.nan
    return ranked, older, ranked_year


_DAY = 86_400_000_000_000


def _sort_distinct(values: np.ndarray) -> None:
    """Sort distinct integers in place by merging their ascending (or descending) runs
    (numpy's stable sort, a timsort for integers): a table's files each sorted by child,
    or nearly so, give a few long runs, merged in a few passes. Values in no order cost
    about a fifth more than quicksort. The values are distinct, so every sort gives the
    one sorted order.

    Examples
    --------
    >>> v = np.array([3, 5, 9, 1, 4, 8])
    >>> _sort_distinct(v)
    >>> v.tolist()
    [1, 3, 4, 5, 8, 9]
    """
    values.sort(kind="stable")


def _dense(codes: np.ndarray) -> tuple[np.ndarray, int] | None:
    """Codes that sort and compare as ``codes`` do, from 0 to below the bound given (a key
    of :func:`_pack_ranking`); None when they are not integers.

    Codes in a short range are shifted; times (nanoseconds, ``int64`` max for a missing
    one) that are whole days are counted in days; other integers are ranked.

    Examples
    --------
    >>> _dense(np.array([5, 3, 5]))[0].tolist()
    [2, 0, 2]
    >>> t = np.array([2 * _DAY, np.iinfo(np.int64).max, 0])
    >>> _dense(t)
    (array([2, 3, 0]), 4)
    """
    if codes.dtype.kind not in "iu" or (
        codes.dtype.kind == "u" and len(codes) and codes.max() >= 2**63
    ):
        return None
    codes = codes.astype(np.int64, copy=False)
    if not len(codes):
        return codes, 1
    low, high = int(codes.min()), int(codes.max())
    if high - low < 2**32:
        return (codes - low if low else codes), high - low + 1
    missing = codes == np.iinfo(np.int64).max
    known = codes[~missing]
    if len(known):
        low = int(known.min())
        if not ((known - low) % _DAY).any() and (int(known.max()) - low) // _DAY < 2**32:
            days = (codes - low) // _DAY
            top = (int(known.max()) - low) // _DAY + 1
            days[missing] = top
            return days, top + 1
    ranks = np.unique(codes, return_inverse=True)[1].reshape(-1)
    return ranks, int(ranks.max()) + 1


def _superseded(
    name: str,
    table: pd.DataFrame,
    ranked: np.ndarray,
    older: np.ndarray,
    ranked_year: np.ndarray,
) -> FindingArrays:
    """The ``superseded`` findings of :func:`stitch_years`, in ranked order, held as arrays.

    The year a superseded row gives way to is the year of its key's winning row (the
    first of the key in ranked order; ``unknown`` when that row's year is). One message is
    worded per distinct (year, later year) pair; each finding holds its pair's number and
    its row's position in ``table`` (file, row and CHILD are read from the table's columns
    when the findings are made rows).
    """
    schema = SCHEMAS[name]
    n = len(ranked)
    # each key's winning row (the first of its run, never older: the first row is not)
    # carried to the rows it replaces
    heads = np.flatnonzero(~older)
    winner_year = np.repeat(ranked_year[heads], np.diff(heads, append=n))
    what = "row for this child" if schema.stitch == "child" else "row"
    old_year, new_year = ranked_year[older], winner_year[older]
    first, pair_codes = _year_pairs(old_year, new_year)
    worded = (
        f"this {what} from the "
        + labels(pd.Series(old_year[first]).astype("Int64")).to_numpy()
        + " files is replaced by the one in the "
        + labels(pd.Series(new_year[first]).astype("Int64")).to_numpy()
        + " files."
    )
    rows = ranked[older]
    columns: dict[str, str | tuple[pd.Series, np.ndarray]] = {
        "severity": "info",
        "code": "superseded",
        "table": name,
        "column": ",".join(schema.key),
        "message": (pd.Series(pd.array(worded, dtype="str")), pair_codes),
        "fix": "No action needed: the latest collection year's version is used.",
        "action": "set_aside",
    }
    for col, source in (("file", "source_file"), ("row", "source_row"), ("child", "CHILD")):
        if source in table.columns:
            columns[col] = (table[source], rows)
    return FindingArrays(len(rows), columns)


def _year_pairs(old_year: np.ndarray, new_year: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_first_of_each` of the (year, later year) pairs (float years, NaN unknown,
    ordered as ``old * 100_000 + new`` with unknown as -1 orders them): whole years in a
    short span are numbered on integers by counting (no hashing, no search per row).

    Examples
    --------
    >>> old, new = np.array([2023.0, np.nan, 2023.0]), np.array([2024.0, 2024.0, 2024.0])
    >>> [a.tolist() for a in _year_pairs(old, new)]
    [[1, 0], [1, 0, 1]]
    """
    a = np.where(np.isnan(old_year), -1.0, old_year)
    b = np.where(np.isnan(new_year), -1.0, new_year)
    n = len(a)
    if n:
        low = min(a.min(), b.min())
        span = max(a.max(), b.max()) - low + 1
        whole = (a == np.floor(a)).all() and (b == np.floor(b)).all()
        if whole and span <= 1024 and abs(low) < 2**31 and -1 <= low:
            span = int(span)
            pair = (a - low).astype(np.int64) * span + (b - low).astype(np.int64)
            seen = np.bincount(pair, minlength=span * span) > 0
            number = np.cumsum(seen) - 1  # each pair present, numbered in order
            codes = number[pair]
            first = np.full(int(number[-1]) + 1, n, dtype=np.int64)
            np.minimum.at(first, codes, np.arange(n))
            return first, codes
    return _first_of_each(a * 100_000 + b)


def _first_of_each(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(values, return_index=True, return_inverse=True)[1:]`` for float values
    with few distinct ones (years, pairs of years): each value's first position and
    every row's value number, without sorting the rows.

    Examples
    --------
    >>> [a.tolist() for a in _first_of_each(np.array([3.0, 1.0, 3.0, 2.0]))]
    [[1, 3, 0], [2, 0, 2, 1]]
    """
    distinct = pd.unique(values)
    if len(distinct) > 64 or np.isnan(distinct).any():
        return np.unique(values, return_index=True, return_inverse=True)[1:]
    distinct.sort()
    codes = np.searchsorted(distinct, values)
    first = np.full(len(distinct), len(values), dtype=np.int64)
    np.minimum.at(first, codes, np.arange(len(values)))
    return first, codes


def _stale(
    child: np.ndarray, decom: np.ndarray, dec: np.ndarray, year: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Rule 3a for every year at once: episodes starting inside a later year's kept episode.

    Only the children with an episode starting before the one before it ends (or while
    it is open), or on the day another of theirs starts, can have one: without either,
    each episode ends before the next starts (:func:`_suspect_children`). Those
    children's rows are worked out by :func:`_stale_rows`; a child's answer depends on its
    own rows alone.

    Parameters
    ----------
    child
        child codes, non-decreasing.
    decom, dec
        the episodes' DECOM (ascending within a child, blanks last) and DEC, as
        ``datetime64`` arrays.
    year
        collection year, -1 where unknown.

    Returns
    -------
    tuple of numpy.ndarray
        the stale mask and, for stale rows, the later year that covered them (else NaN).

    Examples
    --------
    >>> d = np.array(["2023-01-01", "2023-02-01"], dtype="datetime64[ns]")
    >>> e = np.array(["NaT", "2023-03-01"], dtype="datetime64[ns]")
    >>> stale, later = _stale(np.array([0, 0]), d, e, np.array([2024.0, 2023.0]))
    >>> stale.tolist(), later.tolist()
    ([False, True], [nan, 2024.0])
    """
    n = len(child)
    stale = np.zeros(n, dtype=bool)
    later = np.full(n, np.nan)
    rows = np.flatnonzero(_suspect_children(child, decom, dec))
    if len(rows) == n:
        return _stale_rows(child, decom, dec, year)
    if len(rows):
        stale[rows], later[rows] = _stale_rows(child[rows], decom[rows], dec[rows], year[rows])
    return stale, later


def _suspect_children(child: np.ndarray, decom: np.ndarray, dec: np.ndarray) -> np.ndarray:
    """The rows of children (codes, non-decreasing; DECOM ascending within a child, blanks
    last) one of whose dated episodes starts before the one before it ends, or while it
    is open, or on the same day: the only children :func:`_stale_rows` can find stale
    episodes of. (Otherwise each dated episode ends by the next one's start, so none ends
    after a later one starts.)

    Examples
    --------
    >>> d = np.array(["2023-01-01", "2023-02-01", "2023-01-01", "2023-03-01"], dtype="M8[D]")
    >>> e = np.array(["2023-02-01", "NaT", "2023-03-02", "NaT"], dtype="M8[D]")
    >>> _suspect_children(np.array([0, 0, 1, 1]), d, e).tolist()
    [False, False, True, True]
    """
    n = len(child)
    if n < 2:
        return np.zeros(n, dtype=bool)
    dated = ~np.isnat(decom)
    ends_late = np.isnat(dec[:-1]) | (dec[:-1] > decom[1:]) | (decom[:-1] == decom[1:])
    pair = (child[1:] == child[:-1]) & dated[1:] & dated[:-1] & ends_late
    if not pair.any():
        return np.zeros(n, dtype=bool)
    group = np.zeros(n, dtype=np.int64)  # each child's run of rows, numbered
    np.cumsum(child[1:] != child[:-1], out=group[1:])
    hit = np.zeros(int(group[-1]) + 1, dtype=bool)
    hit[group[1:][pair]] = True
    return hit[group]


def _stale_rows(
    child: np.ndarray, decom: np.ndarray, dec: np.ndarray, year: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_stale` worked out for every row given.

    Years are taken from the latest down; an episode of year Y is stale when its DECOM
    falls on or after the DECOM and before the end (or the episode is open) of an episode
    kept from a later year. Each year is one binary search of its episodes among the kept
    ones, on integer keys (child, rank of the date), so any number of nested stale
    episodes is set aside.

    Examples
    --------
    >>> d = np.array(["2023-01-01", "2023-02-01"], dtype="datetime64[ns]")
    >>> e = np.array(["NaT", "2023-03-01"], dtype="datetime64[ns]")
    >>> stale, later = _stale_rows(np.array([0, 0]), d, e, np.array([2024.0, 2023.0]))
    >>> stale.tolist(), later.tolist()
    ([False, True], [nan, 2024.0])
    """
    n = len(child)
    stale = np.zeros(n, dtype=bool)
    later = np.full(n, np.nan)
    dated = ~np.isnat(decom)
    years = np.sort(pd.unique(year[dated]))[::-1]
    if len(years) < 2:
        return stale, later
    unit = np.promote_types(decom.dtype, dec.dtype)
    if np.datetime_data(unit)[0] not in _PER_DAY:  # (a day or coarser: as nanoseconds)
        unit = np.dtype("datetime64[ns]")
    far = np.datetime64(pd.Timestamp.max.normalize().to_datetime64(), "ns").astype(unit)
    ends = np.where(np.isnat(dec), far, dec.astype(unit))
    stamps = np.concatenate([decom.astype(unit), ends]).view(np.int64)
    rank, span = _date_ranks(stamps, np.datetime_data(unit))
    child = child.astype(np.int64, copy=False)
    # (child, date) as one integer that sorts as the pair does
    start_key = child * span + rank[:n]
    end_key = child * span + rank[n:]
    kept = dated & (year == years[0])
    for later_year in years[1:]:
        k = np.flatnonzero(kept)
        # furthest end of the child's kept episodes so far (runs of one child, in order)
        reach = np.maximum.accumulate(end_key[k])
        this = np.flatnonzero(dated & (year == later_year))
        at = np.searchsorted(start_key[k], start_key[this], side="right") - 1
        found = at >= 0
        at = np.where(found, at, 0)
        found &= child[k[at]] == child[this]
        covered = found & (reach[at] > start_key[this])
        rows = this[covered]
        stale[rows] = True
        later[rows] = year[k[at[covered]]]
        kept[this] = ~stale[this]
    return stale, later


def _date_ranks(stamps: np.ndarray, unit: tuple[str, int]) -> tuple[np.ndarray, int]:
    """Integers below the bound given that sort and compare as ``stamps`` (times in
    ``unit``, none missing) do: days since the first when all are whole days (dates as
    903 files hold them), else the rank among the distinct times.

    Examples
    --------
    >>> day = 86_400_000_000_000
    >>> _date_ranks(np.array([3 * day, day, 3 * day]), ("ns", 1))
    (array([2, 0, 2]), 3)
    >>> _date_ranks(np.array([5, 1, 5]), ("ns", 1))
    (array([1, 0, 1]), 2)
    """
    if len(stamps) and unit[1] == 1 and unit[0] in _PER_DAY:
        per_day = _PER_DAY[unit[0]]
        low = int(stamps.min())
        if not ((stamps - low) % per_day).any():
            days = (stamps - low) // per_day
            top = int(days.max()) + 1
            if top < 2**31:
                return days, top
    rank = np.unique(stamps, return_inverse=True)[1].reshape(-1)
    return rank, int(rank.max(initial=-1)) + 1


#: time units per day
_PER_DAY = {"ns": 86_400 * 10**9, "us": 86_400 * 10**6, "ms": 86_400 * 10**3, "s": 86_400}


def _in_order(coded: list[np.ndarray]) -> np.ndarray:
    """``np.lexsort(coded[::-1])``: the rows by the first key, then the next ..., then as
    read; by one sort of the keys packed with the row's position into one integer when
    they fit 63 bits (:func:`_dense` codes of each key).

    Examples
    --------
    >>> _in_order([np.array([1, 0, 1, 0]), np.array([5, 7, 2, 7])]).tolist()
    [1, 3, 2, 0]
    """
    n = len(coded[0])
    dense = [_dense(k) for k in coded]
    parts = [p for p in dense if p is not None]
    row_bits = max(1, (n - 1).bit_length())
    key_bound = 1
    for _, bound in parts:
        key_bound *= bound
    if len(parts) < len(dense) or key_bound.bit_length() + row_bits > 63:
        return np.lexsort(coded[::-1])
    packed = parts[0][0].astype(np.int64)  # (a copy: the codes are left alone)
    for codes, bound in parts[1:]:
        packed *= bound
        packed += codes
    packed <<= row_bits
    packed |= np.arange(n)
    _sort_distinct(packed)
    packed &= (1 << row_bits) - 1
    return packed


def _blank_children(child: pd.Series, codes: np.ndarray) -> np.ndarray:
    """The rows whose CHILD is blank, read from ``codes`` (that sort and compare as the
    text does, blanks last and equal to each other): blanks hold the highest code, so
    only the row holding it is looked at. Codes that are not integers: ``child.isna()``.

    Examples
    --------
    >>> child = pd.Series(["b", None, "a", None], dtype="string")
    >>> _blank_children(child, np.array([1, 2, 0, 2])).tolist()
    [False, True, False, True]
    >>> _blank_children(child.fillna("c"), np.array([1, 2, 0, 2])).tolist()
    [False, False, False, False]
    """
    if codes.dtype.kind not in "iu" or not len(codes):
        return child.isna().to_numpy(dtype=bool)
    top = int(np.argmax(codes))
    if not pd.isna(child.iloc[top]):
        return np.zeros(len(codes), dtype=bool)
    return codes == codes[top]


def _collection_years(year: pd.Series) -> np.ndarray:
    """``year.astype("float64").fillna(-1)`` as an array, in one pass for nullable integers.

    Examples
    --------
    >>> _collection_years(pd.Series([2024, None], dtype="Int64")).tolist()
    [2024.0, -1.0]
    """
    if isinstance(year.array, pd.arrays.IntegerArray):
        return year.array.to_numpy(dtype=np.float64, na_value=-1.0)
    return year.astype("float64").fillna(-1).to_numpy()


def _next_same_child(child: np.ndarray, blank: np.ndarray) -> np.ndarray:
    """Rows (in child order) whose next row is of the same child; a blank CHILD is no
    child's, and the last row has no next.

    Examples
    --------
    >>> _next_same_child(np.array([0, 0, 1, 2, 2]), np.array([0, 0, 0, 1, 1], bool)).tolist()
    [True, False, False, False, False]
    """
    same = np.zeros(len(child), dtype=bool)
    same[:-1] = (child[1:] == child[:-1]) & ~blank[:-1]
    return same


def repair_overlaps(
    episodes: pd.DataFrame, latest_year: int | None, child_codes: np.ndarray | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Rule 3: set aside stale episodes and end overlapping ones (see module docstring).

    The rules are applied to the episodes in (CHILD, DECOM) order on arrays; the table is
    taken once at the end, with the rows it keeps and the dates it changed. ``child_codes`` may
    give the rows' CHILD as integer codes that sort and compare as the text does
    (:func:`coded_sort_codes`); else they are worked out here (:func:`sort_codes`).
    """
    if episodes.empty:
        return episodes, empty()
    codes = sort_codes(episodes["CHILD"]) if child_codes is None else child_codes
    order = _in_order([codes, _key_codes(episodes["DECOM"])])
    child = codes[order]
    blank = _blank_children(episodes["CHILD"], codes)[order]
    decom = episodes["DECOM"].to_numpy()[order]
    dec = episodes["DEC"].to_numpy()[order]
    year = _collection_years(episodes["YEAR"])[order]
    stale, later_year = _stale(child, decom, dec, year)
    parts: list[pd.DataFrame] = []
    if stale.any():
        sub = episodes.take(order[stale])
        parts.append(
            row_findings(
                sub,
                pd.Series(True, index=sub.index),
                "warning",
                "episode_superseded_overlap",
                "episodes",
                column="DECOM",
                value=_fmt(sub["DECOM"]),
                message=(
                    "episode starting "
                    + _fmt(sub["DECOM"])
                    + " ("
                    + labels(sub["YEAR"])
                    + " files) falls inside an episode from the later "
                    + labels(pd.Series(later_year[stale], index=sub.index).astype("Int64"))
                    + " files, which re-recorded that time; it was set aside."
                ),
                fix="Check the child's episodes in the source system; the later return was used.",
                action="set_aside",
            )
        )
        kept = ~stale
        rest = order[kept]  # the kept episodes' positions, in (CHILD, DECOM) order
        child, blank, decom, dec, year = (a[kept] for a in (child, blank, decom, dec, year))
    else:
        rest = order
    same_next = _next_same_child(child, blank)
    next_start = np.empty_like(decom)
    next_start[:-1] = decom[1:]
    next_start[-1:] = np.datetime64("NaT")
    # (a comparison with a blank date is false)
    over = same_next & (np.isnat(dec) | (dec > next_start))
    if over.any():
        sub = episodes.take(rest[over])
        parts.append(
            row_findings(
                sub,
                pd.Series(True, index=sub.index),
                "warning",
                "episode_overlap",
                "episodes",
                column="DEC",
                value=_fmt(sub["DEC"]),
                message=(
                    "episode starting "
                    + _fmt(sub["DECOM"])
                    + " ends "
                    + _fmt(sub["DEC"]).replace("blank", "nowhere (open)")
                    + " but the child's next episode starts "
                    + _fmt(pd.Series(next_start[over], index=sub.index))
                    + "; its DEC was set to that date."
                ),
                fix="Correct DEC (and REC) of this episode in the source system.",
                action="repaired",
            )
        )
    if latest_year is not None:
        # (an episode ended by the next one has a next one: its DEC, set, is not read)
        stale_open = ~same_next & np.isnat(dec) & (year < latest_year) & (year > 0)
        if stale_open.any():
            sub = episodes.take(rest[stale_open])
            parts.append(
                row_findings(
                    sub,
                    pd.Series(True, index=sub.index),
                    "warning",
                    "open_episode_not_in_later_year",
                    "episodes",
                    column="DEC",
                    value="",
                    message=(
                        "episode is open at the end of the "
                        + labels(sub["YEAR"])
                        + f" files but the child is not in the {label(latest_year)} files; "
                        "it was kept as still open."
                    ),
                    fix="Check whether the child left care; the later return should hold "
                    "the episode.",
                    action="loaded",
                )
            )
    return _kept_episodes(episodes, order, stale, rest[over], next_start[over]), concat(parts)


def _kept_episodes(
    episodes: pd.DataFrame,
    order: np.ndarray,
    stale: np.ndarray,
    ended: np.ndarray,
    ends: np.ndarray,
) -> pd.DataFrame:
    """The episodes less the stale ones, in index order, with DEC set to ``ends`` (and a
    blank REC to ``X1``) at the positions ``ended``: one take of the table.

    ``order`` and ``stale`` are the (CHILD, DECOM) order of the rows and which of them are
    set aside.
    """
    index = episodes.index
    in_order = index.is_unique and index.is_monotonic_increasing
    if in_order:
        keep = np.ones(len(episodes), dtype=bool)
        keep[order[stale]] = False
        rows = np.flatnonzero(keep)
    else:  # as sorting the kept rows by label would order them
        rows = order[~stale]
        rows = pd.Series(rows, index=index[rows]).sort_index().to_numpy()
    if in_order and len(rows) == len(episodes):  # every row, in order: no take of them all
        out = episodes.copy(deep=False)
    else:
        out = episodes.take(rows)
    if len(ended):
        place = np.empty(len(episodes), dtype=np.int64)
        place[rows] = np.arange(len(rows))
        at = place[ended]
        dec = out["DEC"].copy()
        dec.iloc[at] = ends
        rec = out["REC"].copy()
        rec.iloc[at[rec.iloc[at].isna().to_numpy(dtype=bool)]] = "X1"
        out["DEC"], out["REC"] = dec, rec
    return out


__all__ = [
    "coded_sort_codes",
    "dedupe_within_year",
    "repeated_keys",
    "repair_overlaps",
    "sort_codes",
    "stitch_years",
    "stitch_years_held",
    "text_ranks",
]
