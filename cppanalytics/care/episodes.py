"""Episodes made ready for the building blocks: short breaks out, one row per start, true ends.

:func:`clean_episodes` is the first step of :func:`cppanalytics.care.prepared.prepare_care`:

* rows with no CHILD or no DECOM cannot be placed in time: set aside, one ``error``
  finding each (``episode_unusable``);
* short breaks (LS V3/V4) are dropped before anything else: a period of care made only of
  them does not exist for the indicators (no finding: this is the definition);
* two rows of a child with the same DECOM: the one from the latest collection year (then
  the later row) is kept, the other set aside (``episode_duplicate``);
* a DEC before its DECOM is treated as DEC = DECOM (``episode_dec_before_decom``);
* overlapping episodes of a child: the one with the later DECOM is current, so the earlier
  one is treated as ending (X1) on the later one's DECOM (``episodes_overlap``);
* a closed episode with no REC: joined (X1) to an episode starting that day, else an exit
  with an unknown reason (``episode_rec_missing``).

The effective end and reason are ``DEC_eff``/``REC_eff``; the raw DEC/REC are kept.
Rows come back sorted by CHILD then DECOM with a fresh ``RangeIndex`` (the building
blocks rely on both).

Examples
--------
>>> eps = pd.DataFrame({"CHILD": ["1", "1"], "DECOM": pd.to_datetime(["2023-01-01", "2023-02-01"]),
...     "DEC": pd.to_datetime(["2023-03-01", None]), "REC": ["E4A", None], "LS": ["C2", "C2"]})
>>> out, findings = clean_episodes(eps)
>>> out["DEC_eff"].tolist(), out["REC_eff"].tolist()
([Timestamp('2023-02-01 00:00:00'), NaT], ['X1', <NA>])
>>> findings["code"].tolist()
['episodes_overlap']
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from cppanalytics.findings import Severity, row_findings
from cppanalytics.ssda903.coded import (
    _object_array,
    factorize_text,
    na_objects,
    object_addresses,
    python_text_objects,
)
from cppanalytics.ssda903.dataset import COLUMNS, PROVENANCE

#: temporary placements (placement rule 2)
TEMPORARY_PLACES: frozenset[str] = frozenset({"T0", "T1", "T2", "T3", "T4"})
#: legal statuses of agreed series of short breaks (excluded from every measure)
SHORT_BREAK_LS: frozenset[str] = frozenset({"V3", "V4"})
#: placed for adoption
ADOPTION_PLACES: frozenset[str] = frozenset({"A3", "A4", "A5", "A6"})
#: placed for adoption with the current foster carer (placement rule 1)
ADOPTION_WITH_CARER_PLACES: frozenset[str] = frozenset({"A3", "A5"})
#: fostering for adoption / concurrent planning (placement rule 3)
FFA_PLACES: frozenset[str] = frozenset({"U2", "U5"})
#: RNE codes that start a new placement
NEW_PLACEMENT_RNE: frozenset[str] = frozenset({"S", "P", "B", "T", "U"})
#: RNE codes meaning the same carer (carer spell continues)
SAME_CARER_RNE: frozenset[str] = frozenset({"L", "T", "U"})
#: every known RNE code
KNOWN_RNE: frozenset[str] = frozenset({"S", "L", "P", "T", "U", "B"})

_KEEP = [*COLUMNS["episodes"], *PROVENANCE]


def _finding_frame(
    rows: pd.DataFrame,
    severity: Severity,
    code: str,
    column: str,
    message: str,
    fix: str,
    action: str,
    value: pd.Series | None = None,
) -> pd.DataFrame:
    """Findings (one per row of ``rows``) about episodes."""
    return row_findings(
        rows,
        severity=severity,
        code=code,
        table="episodes",
        column=column,
        message=message,
        fix=fix,
        action=action,
        value=value,
    )


def finding_rows(frame: pd.DataFrame, positions: np.ndarray) -> pd.DataFrame:
    """The rows at ``positions`` of the columns a finding reads (CHILD, ``source_file``,
    ``source_row``; those present): what :func:`_finding_frame` needs of ``frame``'s
    rows, without taking every column.

    Examples
    --------
    >>> frame = pd.DataFrame({"CHILD": ["1", "2"], "DEC": [1, 2], "source_row": [4, 5]})
    >>> finding_rows(frame, np.array([1])).to_dict("list")
    {'CHILD': ['2'], 'source_row': [5]}
    """
    cols = [c for c in ("CHILD", "source_file", "source_row") if c in frame.columns]
    return frame[cols].take(positions)


def _member(codes: np.ndarray, distinct: np.ndarray, members: frozenset[str]) -> np.ndarray:
    """Whether each coded value is one of ``members`` (NA is not), tested once per distinct
    value."""
    member = np.fromiter((v in members for v in distinct), dtype=bool, count=len(distinct))
    return (codes >= 0) & member[np.maximum(codes, 0)] if len(member) else codes >= 0


def _in(series: pd.Series, codes: frozenset[str]) -> np.ndarray:
    """Boolean array: value is one of ``codes`` (NA is not); tested once per distinct value.

    Examples
    --------
    >>> _in(pd.Series(["T1", None, "U4", "T1"], dtype="string"), frozenset({"T1"})).tolist()
    [True, False, False, True]
    """
    values, distinct = factorize_text(series)
    return _member(values, distinct, codes)


def missing_text(values: pd.Series) -> np.ndarray:
    """Which values of a text column are missing: ``values.isna()`` as a numpy array.

    Text held as Python strings with ``pd.NA`` for missing (``string[python]``) holds only
    ``str`` objects and the ``pd.NA`` object itself, so the missing rows are found by the
    objects' addresses (no value inspected); other storage is factorised
    (:func:`~cppanalytics.ssda903.coded.factorize_text`, code -1 for missing).

    Examples
    --------
    >>> missing_text(pd.Series(["X1", None, ""], dtype="string")).tolist()
    [False, True, False]
    >>> missing_text(pd.Series(["X1", None, float("nan")], dtype=object)).tolist()
    [False, True, True]
    """
    objects = python_text_objects(values)
    if objects is not None:
        return na_objects(objects)
    return factorize_text(values)[0] < 0


def collection_years(year: pd.Series) -> np.ndarray:
    """The YEAR column as float64 with -1 for a missing year:
    ``year.astype("Float64").fillna(-1).to_numpy()``, read in one pass when the column is
    numeric (the loader's Int64).

    Examples
    --------
    >>> collection_years(pd.Series([2024, None], dtype="Int64")).tolist()
    [2024.0, -1.0]
    """
    dtype = year.dtype
    if pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype):
        return year.to_numpy(dtype="float64", na_value=-1.0)
    return year.astype("Float64").fillna(-1).to_numpy()


def sorted_codes(values: pd.Series) -> np.ndarray:
    """Integer codes of text values that sort as the texts do (NA as -1), like
    ``pd.factorize(values, sort=True)[0]``: the distinct values are sorted by Arrow (by
    code point, as Python compares text) instead of as Python objects.

    Rows holding the same string object (a loaded table shares one per distinct value) are
    coded by the object's address first, so each object's text is read once.

    Examples
    --------
    >>> sorted_codes(pd.Series(["b", "a", "b", "é", "Z"])).tolist()
    [2, 1, 2, 3, 0]
    >>> sorted_codes(pd.Series(["b", None, "".join(["b"])] * 5000, dtype=object))[:3].tolist()
    [0, -1, 0]
    """
    objects = _object_array(values)
    if objects is None:
        row_object, distinct = np.arange(len(values)), values.to_numpy(dtype=object)
    else:
        row_object, one_row = address_codes(object_addresses(objects))
        if len(one_row) > len(objects) * _DISTINCT_SHARE:  # few repeats: read every row
            row_object, distinct = np.arange(len(objects)), objects
        else:
            distinct = objects[one_row]
    try:
        text = pa.array(distinct, type=pa.string(), from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError, UnicodeEncodeError):  # sort as pandas does
        return pd.factorize(values, sort=True)[0]
    return _text_ranks(text)[row_object]


def address_codes(addresses: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``pd.factorize(addresses)[0]`` and, for each code, a row holding it, hashing only the
    first address of each run of equal adjacent addresses (a loaded table sorted by CHILD
    holds a child's one string object in adjacent rows).

    Parameters
    ----------
    addresses
        integers (object addresses, :func:`~cppanalytics.ssda903.coded.object_addresses`).

    Returns
    -------
    codes, rows
        ``int64`` codes numbered in order of first appearance, and ``rows[k]`` a row whose
        code is ``k``.

    Examples
    --------
    >>> codes, rows = address_codes(np.array([7, 7, 3, 7, 3, 3]))
    >>> codes.tolist(), np.array([7, 7, 3, 7, 3, 3])[rows].tolist()
    ([0, 0, 1, 0, 1, 1], [7, 3])
    """
    n = len(addresses)
    head = np.ones(n, dtype=bool)
    head[1:] = addresses[1:] != addresses[:-1]
    heads = np.flatnonzero(head)
    codes, uniques = pd.factorize(addresses[heads], size_hint=len(heads))
    rows = np.empty(len(uniques), dtype=np.int64)
    rows[codes] = heads  # any run's first row
    return codes.astype(np.int64, copy=False)[np.cumsum(head) - 1], rows


def _text_ranks(text: pa.Array) -> np.ndarray:
    """Each value's place among the distinct values in sorted order (equal text, equal
    place; null -1): one sort of the values, then a new place wherever a value differs
    from the one before it.

    Examples
    --------
    >>> _text_ranks(pa.array(["b", None, "a", "b", "ä"])).tolist()
    [1, -1, 0, 1, 2]
    """
    order = pc.array_sort_indices(text)  # nulls at the end
    valid = len(text) - text.null_count
    ordered = pc.take(text, order.slice(0, valid))
    new = np.ones(valid, dtype=bool)
    if valid > 1:
        same = pc.equal(ordered.slice(1), ordered.slice(0, valid - 1))
        new[1:] = ~same.to_numpy(zero_copy_only=False)
    ranks = np.full(len(text), -1, dtype=np.int64)
    ranks[order.to_numpy()[:valid]] = np.cumsum(new) - 1
    return ranks


def take_rows(frame: pd.DataFrame, pos: np.ndarray) -> pd.DataFrame:
    """``frame.take(pos).reset_index(drop=True)``, each column taken on its own into a new
    frame (pandas' take of a whole frame costs about a third more than its columns').

    Parameters
    ----------
    frame
        any frame (its columns named uniquely).
    pos
        row positions (non-negative).

    Returns
    -------
    pandas.DataFrame
        the rows at ``pos``, in that order, with a fresh ``RangeIndex``; the same columns
        and dtypes.

    Examples
    --------
    >>> take_rows(pd.DataFrame({"a": ["x", None, "z"], "b": [1, 2, 3]}), np.array([2, 0]))
       a  b
    0  z  3
    1  x  1
    """
    if not frame.columns.is_unique:  # (a column per name is assumed below)
        return frame.take(pos).reset_index(drop=True)
    index = pd.RangeIndex(len(pos))
    columns: dict[object, object] = {}
    for name in frame.columns:
        values = frame[name]
        if isinstance(values.dtype, np.dtype):  # numpy: its dtype kept (no text inferred)
            taken = values.to_numpy().take(pos)
            columns[name] = pd.Series(taken, index=index, dtype=taken.dtype, copy=False)
        else:
            columns[name] = pd.Series(values.array.take(pos), index=index, copy=False)
    out = pd.DataFrame(columns, index=index, copy=False)
    out.columns = frame.columns
    return out


def text_rows(values: pd.Series, pos: np.ndarray) -> np.ndarray | pd.api.extensions.ExtensionArray:
    """``values.to_numpy()[pos]`` as a new frame's column holds it: the column
    ``pd.DataFrame({"x": values.to_numpy()[pos]})["x"]`` has, without pandas reading every
    value to infer its dtype.

    Text held as Python strings with ``pd.NA`` for missing (``string[python]``) holds only
    ``str`` and the ``pd.NA`` object, so when pandas would infer its ``str`` dtype with
    Python storage the rows are taken, the missing ones set to NaN (that dtype's missing
    value) and wrapped as they are. Anything else (other storage, no text among the rows)
    is returned as the object array, for pandas to infer as before.

    Examples
    --------
    >>> from cppanalytics.string_storage import python_strings
    >>> with python_strings():
    ...     values = pd.Series(["a", None, "b"], dtype="string")
    ...     col = pd.DataFrame({"x": text_rows(values, np.array([2, 1]))})["x"]
    >>> col.tolist(), str(col.dtype)
    (['b', nan], 'str')
    """
    objects = python_text_objects(values)
    if objects is None or not len(pos):
        return values.to_numpy()[pos]
    taken = objects.take(pos)  # str or the pd.NA object, nothing else
    missing = na_objects(taken)
    dtype = pd.Series(np.array(["a"], dtype=object)).dtype  # what pandas infers for text
    if (
        missing.all()
        or not isinstance(dtype, pd.StringDtype)
        or dtype.storage != "python"
        or dtype.na_value is not np.nan
    ):
        return values.to_numpy()[pos]
    taken[missing] = np.nan
    return pd.arrays.StringArray._simple_new(taken, dtype)  # noqa: SLF001 - checked above


#: above this share of distinct string objects, :func:`sorted_codes` reads every row's text
_DISTINCT_SHARE = 0.75


_NS_PER_DAY = 86_400 * 10**9


def _order(child: np.ndarray, decom: np.ndarray, year: np.ndarray) -> np.ndarray:
    """The positions sorting rows by child code, DECOM, collection year, then position:
    ``np.lexsort((positions, year, decom, child))``, done as one stable sort of a packed
    integer when DECOM holds whole days, YEAR whole numbers and the packed key fits.

    Examples
    --------
    >>> decom = pd.to_datetime(["2023-02-01", "2023-01-01", "2023-01-01"]).to_numpy()
    >>> _order(np.array([0, 0, 0]), decom, np.array([2023.0, 2024.0, 2023.0])).tolist()
    [2, 1, 0]
    """
    n = len(child)
    plain = (np.arange(n), year, decom, child)
    if n == 0:
        return np.lexsort(plain)
    ns = decom.astype("datetime64[ns]").view(np.int64)
    if (ns % _NS_PER_DAY).any() or (year != np.floor(year)).any():
        return np.lexsort(plain)
    day = ns // _NS_PER_DAY
    day = day - day.min()
    year_code = (year - year.min()).astype(np.int64)
    days, years = int(day.max()) + 1, int(year_code.max()) + 1
    if (int(child.max()) + 2) * days * years >= 2**62:  # the packed key would overflow
        return np.lexsort(plain)
    key = ((child.astype(np.int64) + 1) * days + day) * years + year_code
    return np.argsort(key, kind="stable")


def next_in_run(values: np.ndarray, runs: np.ndarray) -> np.ndarray:
    """Each row's next row's value when the next row is in the same run (equal ``runs``
    code), else NaT: ``pd.Series(values).shift(-1).where(same_run_next)`` for
    datetime64[ns] values.

    Examples
    --------
    >>> days = np.array(["2023-01-01", "2023-02-01", "2023-03-01"], dtype="datetime64[ns]")
    >>> next_in_run(days, np.array([0, 0, 1])).astype("datetime64[D]").tolist()
    [datetime.date(2023, 2, 1), None, None]
    """
    out = np.full(len(values), np.datetime64("NaT"), dtype="datetime64[ns]")
    if len(values) > 1:
        same_run_next = runs[1:] == runs[:-1]
        out[:-1] = np.where(same_run_next, values[1:], np.datetime64("NaT"))
    return out


def clean_episodes(episodes: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Drop short breaks and unusable rows, resolve duplicates and overlaps.

    Parameters
    ----------
    episodes
        the Dataset's episodes table (typed as :mod:`cppanalytics.ssda903.dataset` says).

    Returns
    -------
    (episodes, findings)
        sorted episodes with ``DEC_eff``, ``REC_eff`` and ``next_DECOM`` added, and a
        findings frame (contract columns) describing every row set aside or repaired.

    Examples
    --------
    >>> eps = pd.DataFrame({"CHILD": ["1", "1"], "DECOM": pd.to_datetime(["2023-01-01"] * 2),
    ...     "LS": ["V3", "C2"], "DEC": pd.NaT, "REC": None})
    >>> len(clean_episodes(eps)[0])
    1
    """
    eps, findings, _ = clean_episodes_coded(episodes)
    return eps, findings


def clean_episodes_coded(
    episodes: pd.DataFrame, child_codes: np.ndarray | None = None
) -> tuple[pd.DataFrame, pd.DataFrame, np.ndarray]:
    """:func:`clean_episodes`, also returning each kept row's child numbered 0, 1, ... in
    the order of the rows (they are sorted by CHILD, so a child's rows are one run).

    Parameters
    ----------
    episodes
        the Dataset's episodes table.
    child_codes
        each row's CHILD as integers that sort as the texts do and are equal exactly when
        the texts are, -1 for no CHILD (:func:`sorted_codes`, or the loader's own), if at
        hand: then the CHILD texts are not read here.

    Examples
    --------
    >>> eps = pd.DataFrame({"CHILD": ["b", "a", "b"], "LS": ["C2"] * 3, "DEC": pd.NaT,
    ...     "DECOM": pd.to_datetime(["2023-01-01", "2023-02-01", "2023-03-01"]), "REC": None})
    >>> out, _, runs = clean_episodes_coded(eps)
    >>> out["CHILD"].tolist(), runs.tolist()
    (['a', 'b', 'b'], [0, 1, 1])
    """
    eps = episodes.copy(deep=False)  # copy-on-write
    for col in _KEEP:
        if col not in eps.columns:
            eps[col] = pd.NA
    eps = eps[_KEEP]
    parts: list[pd.DataFrame] = []

    # every row's CHILD as a code that sorts as the text does (-1: no CHILD)
    if child_codes is None:
        all_codes = sorted_codes(eps["CHILD"])
    else:
        all_codes = np.asarray(child_codes, dtype=np.int64)
        if all_codes.shape != (len(eps),) or (len(all_codes) and all_codes.min() < -1):
            raise ValueError("child_codes: one integer of -1 or more per episode")
    unusable = (all_codes < 0) | eps["DECOM"].isna().to_numpy(dtype=bool)
    if unusable.any():
        parts.append(
            _finding_frame(
                eps[unusable],
                "error",
                "episode_unusable",
                "DECOM",
                "Episode has no child id or no start date (DECOM), so it cannot be placed in time.",
                "Fill in CHILD and DECOM for this episode in the case-management system.",
                "set_aside",
                eps.loc[unusable, "DECOM"],
            )
        )
    short_break = _in(eps["LS"], SHORT_BREAK_LS)
    kept = np.flatnonzero(~unusable & ~short_break)

    # one take: the usable rows, sorted by child, DECOM, collection year, then row
    year = collection_years(eps["YEAR"])[kept]
    child_codes = all_codes[kept]
    decom = eps["DECOM"].to_numpy()[kept]
    order = _order(child_codes, decom, year)
    child_codes, decom = child_codes[order], decom[order]

    # sorted by child then DECOM: a repeated (CHILD, DECOM) is the next row's (keep the last)
    dup = np.zeros(len(kept), dtype=bool)
    dup[:-1] = (child_codes[1:] == child_codes[:-1]) & (decom[1:] == decom[:-1])
    if dup.any():
        repeated = eps.take(kept[order[dup]])
        parts.append(
            _finding_frame(
                repeated,
                "warning",
                "episode_duplicate",
                "DECOM",
                "Two episodes of this child start on the same date; the one from the latest "
                "collection year (else the later row) is used and this one is set aside.",
                "Remove the duplicate episode or correct its start date.",
                "set_aside",
                repeated["DECOM"],
            )
        )
        order, child_codes = order[~dup], child_codes[~dup]
    eps = take_rows(eps, kept[order])

    # the dates as datetime64[ns] numbers (NaT: open / none); a child's rows are a run
    decom = eps["DECOM"].to_numpy(dtype="datetime64[ns]")
    dec = eps["DEC"].to_numpy(dtype="datetime64[ns]")
    closed = ~np.isnat(dec)
    backwards = closed & (dec < decom)
    if backwards.any():
        parts.append(
            _finding_frame(
                eps[backwards],
                "error",
                "episode_dec_before_decom",
                "DEC",
                "Episode ends (DEC) before it starts (DECOM); it is treated as ending on its "
                "start date.",
                "Correct DECOM or DEC for this episode.",
                "repaired",
                eps.loc[backwards, "DEC"],
            )
        )
        dec = np.where(backwards, decom, dec)

    next_decom = next_in_run(decom, child_codes)
    overlap = ~np.isnat(next_decom) & (~closed | (dec > next_decom))
    rec = eps["REC"].astype("string")
    if overlap.any():
        parts.append(
            _finding_frame(
                eps[overlap],
                "warning",
                "episodes_overlap",
                "DEC",
                "Episode overlaps the child's next episode; the later episode is taken as "
                "current from its start, so this one is treated as ending (X1) that day.",
                "Correct the end date (DEC) of this episode or the start of the next one.",
                "repaired",
                eps.loc[overlap, "DEC"],
            )
        )
        dec = np.where(overlap, next_decom, dec)
        closed |= overlap
        rec = rec.mask(overlap, "X1")

    rec_missing = missing_text(rec)
    no_rec = closed & rec_missing
    if no_rec.any():
        joins = no_rec & (next_decom == dec)
        parts.append(
            _finding_frame(
                eps[no_rec],
                "warning",
                "episode_rec_missing",
                "REC",
                "Episode has an end date but no reason it ended (REC); it is treated as X1 when "
                "another episode starts that day, else as leaving care for an unknown reason.",
                "Fill in REC for this episode.",
                "repaired",
            )
        )
        rec = rec.mask(joins, "X1")  # (closed rows only: the open rows' REC is unchanged)

    unchanged = not (backwards.any() or overlap.any())
    if unchanged and eps["DEC"].dtype == np.dtype("datetime64[ns]"):
        eps["DEC_eff"] = eps["DEC"]  # the same dates: shared, not copied
    else:
        eps["DEC_eff"] = pd.Series(dec, index=eps.index, copy=False)
    # REC_eff is REC where the episode is closed: REC itself when no open episode has one
    eps["REC_eff"] = rec if not (~closed & ~rec_missing).any() else rec.where(closed)
    eps["next_DECOM"] = pd.Series(next_decom, index=eps.index, copy=False)
    findings = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    new_child = np.ones(len(eps), dtype=bool)
    new_child[1:] = child_codes[1:] != child_codes[:-1]
    return eps, findings, np.cumsum(new_child) - 1
