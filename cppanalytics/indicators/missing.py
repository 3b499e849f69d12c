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
from typing import TYPE_CHECKING, NamedTuple

import numpy as np
import pandas as pd

from cppanalytics.dates import as_date
from cppanalytics.findings import Findings, row_findings
from cppanalytics.indicators.repeats import unreported
from cppanalytics.results import Block, block
from cppanalytics.ssda903.coded import (
    factorize_text,
    na_objects,
    object_addresses,
    python_text_objects,
)

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


def _duplicated_last(frame: pd.DataFrame, columns: list[str]) -> pd.Series:
    """``frame.duplicated(columns, keep="last")`` on integer codes: each column factorised
    once (text through :func:`~cppanalytics.ssda903.coded.factorize_text`, by string
    object), the codes combined into one integer per row (missing values equal, as there).

    Examples
    --------
    >>> f = pd.DataFrame({"A": ["x", "x", None, None], "B": [1, 1, 2, 2]})
    >>> _duplicated_last(f, ["A", "B"]).tolist()
    [True, False, True, False]
    """
    key = np.zeros(len(frame), dtype=np.int64)
    for col in columns:
        key = _with_codes(key, _column_codes(frame[col]))
    return pd.Series(key, index=frame.index).duplicated(keep="last")


def text_missing(values: pd.Series) -> np.ndarray:
    """``values.isna()`` as a numpy array; text held as Python strings with ``pd.NA`` for
    missing (``string[python]``) is read by the objects' addresses (no value inspected).

    Examples
    --------
    >>> text_missing(pd.Series(["1", None, ""], dtype="string")).tolist()
    [False, True, False]
    """
    objects = python_text_objects(values)
    if objects is not None:
        return na_objects(objects)
    return values.isna().to_numpy(dtype=bool)


def text_equals(values: pd.Series, *texts: str) -> list[np.ndarray]:
    """``values.eq(text).fillna(False)`` as a numpy array for each of ``texts``, for a
    text column (``string`` dtype): Python strings by :func:`_objects_equal` a chunk of
    :data:`CHUNK_ROWS` rows at a time (small buffers); other storage by its distinct
    values (:func:`~cppanalytics.ssda903.coded.factorize_text`).

    Examples
    --------
    >>> [a.tolist() for a in text_equals(pd.Series(["M", None, "A", "M"], dtype="string"), "M", "A")]
    [[True, False, False, True], [False, False, True, False]]
    """
    objects = python_text_objects(values)
    if objects is not None:  # by string object, a chunk at a time
        out = [np.empty(len(objects), dtype=bool) for _ in texts]
        for low in range(0, len(objects), CHUNK_ROWS):
            part = slice(low, low + CHUNK_ROWS)
            for flags, found in zip(out, _objects_equal(objects[part], texts), strict=True):
                flags[part] = found
        return out
    codes, uniques = factorize_text(values)
    distinct = np.asarray(uniques, dtype=object)
    return [np.append(distinct == text, False).astype(bool)[codes] for text in texts]


#: rows per chunk of :func:`present_objects` (a reused address buffer, not one per row)
CHUNK_ROWS = 1 << 16


def _objects_equal(objects: np.ndarray, texts: tuple[str, ...]) -> list[np.ndarray]:
    """For each of ``texts``, which of ``objects`` (str or ``pd.NA``) equal it: the rows
    told apart by the objects' addresses, each distinct object compared once.

    Examples
    --------
    >>> [a.tolist() for a in _objects_equal(np.array(["M", pd.NA, "A"], dtype=object), ("A",))]
    [[False, False, True]]
    """
    addresses = object_addresses(np.ascontiguousarray(objects))
    codes, distinct = pd.factorize(addresses)
    one_row = np.empty(len(distinct), dtype=np.int64)
    one_row[codes] = np.arange(len(objects))
    present = np.asarray(distinct) != id(pd.NA)
    out = []
    for text in texts:
        equal = np.zeros(len(distinct), dtype=bool)
        np.equal(objects[one_row], text, out=equal, where=present)
        out.append(equal[codes])
    return out


def present_objects(objects: np.ndarray) -> np.ndarray:
    """``~na_objects(objects)`` (which entries of a :func:`python_text_objects` array are
    not the ``pd.NA`` object), read by address a chunk of :data:`CHUNK_ROWS` at a time, so
    no address copy as long as the column is made.

    Examples
    --------
    >>> present_objects(np.array(["a", pd.NA, ""], dtype=object)).tolist()
    [True, False, True]
    """
    out = np.empty(len(objects), dtype=bool)
    for first in range(0, len(objects), CHUNK_ROWS):
        part = slice(first, first + CHUNK_ROWS)
        np.not_equal(
            object_addresses(np.ascontiguousarray(objects[part])), id(pd.NA), out=out[part]
        )
    return out


def _column_codes(values: pd.Series) -> np.ndarray:
    """``pd.factorize(values)[0]`` as int64 (text through
    :func:`~cppanalytics.ssda903.coded.factorize_text`): -1 for a missing value."""
    text = values.dtype == object or isinstance(values.dtype, pd.StringDtype)
    return (factorize_text(values) if text else pd.factorize(values))[0].astype(np.int64)


def _with_codes(key: np.ndarray, codes: np.ndarray, *, in_place: bool = False) -> np.ndarray:
    """One integer per row for the pair (``key``, ``codes``): equal exactly where both
    are (``key`` non-negative, ``codes`` from -1). The key is renumbered densely first
    only when the pair could pass the int64 range. ``in_place``: written over ``key``
    (int64) instead of into new arrays.

    Examples
    --------
    >>> _with_codes(np.array([0, 1, 1]), np.array([-1, 0, 1])).tolist()
    [0, 4, 5]
    """
    width = int(codes.max(initial=-1)) + 2
    if (int(key.max(initial=0)) + 1) * width >= 2**62:
        key = pd.factorize(key)[0].astype(np.int64)
    if in_place:
        key *= width
    else:
        key = key * width
    key += codes
    key += 1
    return key


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
    return distinct_rows(missing, findings)[0]


def distinct_rows(
    missing: pd.DataFrame,
    findings: Findings | None = None,
    child_codes: np.ndarray | None = None,
) -> tuple[pd.DataFrame, np.ndarray]:
    """:func:`distinct_incidents` and the positions in ``missing`` of its rows.

    ``child_codes``, if given, holds each row's CHILD as an integer, equal exactly where
    the CHILD texts are (-1 for a missing CHILD; e.g.
    :meth:`~cppanalytics.indicators.context.Context.child_codes` with ``new=True``): the
    incidents' children are then not factorised again.

    Examples
    --------
    >>> m = pd.DataFrame({"CHILD": ["1", "1", "2"], "MISSING": ["M", "M", "A"],
    ...     "MIS_START": pd.to_datetime(["2023-05-01"] * 3),
    ...     "MIS_END": pd.to_datetime([None, "2023-05-03", None]),
    ...     "YEAR": pd.array([2023, 2024, 2023], dtype="Int64")})
    >>> distinct_rows(m, child_codes=np.array([7, 7, 3]))[1].tolist()
    [2, 1]
    """
    rows = missing
    if "YEAR" not in rows.columns:
        rows = rows.assign(YEAR=pd.NA)
    kept = distinct_positions(rows, findings, child_codes)
    return rows.iloc[kept].reset_index(drop=True), kept


def distinct_positions(
    rows: pd.DataFrame,
    findings: Findings | None = None,
    child_codes: np.ndarray | None = None,
) -> np.ndarray:
    """The positions in ``rows`` (the Missing table, with a ``YEAR`` column) of
    :func:`distinct_rows`' rows, in its order, with its findings; no table made.

    Examples
    --------
    >>> m = pd.DataFrame({"CHILD": ["1", "1", None], "MISSING": ["M", "M", "A"],
    ...     "MIS_START": pd.to_datetime(["2023-05-01"] * 3), "YEAR": [2024, 2023, 2023]})
    >>> distinct_positions(m).tolist()
    [0]
    """
    if child_codes is None:
        blank = rows["MIS_START"].isna().to_numpy(dtype=bool) | text_missing(rows["CHILD"])
    else:  # a missing CHILD is code -1 (every other child has a code)
        blank = rows["MIS_START"].isna().to_numpy(dtype=bool) | (child_codes < 0)
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
    # positions in ``missing`` of the usable rows, by YEAR (missing first), then position
    at = _year_order(rows["YEAR"], np.flatnonzero(~blank))
    # the incident key's columns coded at those rows; the year's key extends it
    if child_codes is not None:  # the first column: the key is its codes + 1
        key = np.asarray(child_codes, dtype=np.int64)[at]
        key += 1
    else:
        key = _with_codes(np.zeros(len(at), dtype=np.int64), _key_codes(rows["CHILD"], at))
    for col in INCIDENT_KEY[1:]:
        if not _with_day_codes(key, rows[col], at):  # (a midnight date: chunk by chunk)
            key = _with_codes(key, _key_codes(rows[col], at), in_place=True)
    year = _key_codes(rows["YEAR"], at)
    if len(year) and year.dtype.itemsize > 2 and int(year.max()) < 2**15:
        year = year.astype(np.int16)  # (codes from -1: a few years)
    dup_key, dup_year = _later_repeats(key, year)
    same_year = dup_key & dup_year
    if findings is not None and same_year.any():
        d = rows.iloc[at[same_year]]
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
    return at[~dup_key]


def _year_order(year: pd.Series, rows: np.ndarray) -> np.ndarray:
    """``rows`` (ascending positions) in the order of a stable sort by ``year`` with a
    missing year first: ``sort_values(["YEAR", position], na_position="first")``. An
    integer year is sorted as int64 (not at all when already in order).

    Examples
    --------
    >>> _year_order(pd.Series([2024, None, 2023, 2024], dtype="Int64"), np.array([0, 1, 2, 3])).tolist()
    [1, 2, 0, 3]
    """
    if not (pd.api.types.is_integer_dtype(year.dtype) or year.isna().all()):
        frame = pd.DataFrame({"YEAR": year.iloc[rows], "_pos": np.arange(len(rows))})
        order = frame.sort_values(["YEAR", "_pos"], na_position="first", kind="stable")
        return rows[order["_pos"].to_numpy()]
    values = year.to_numpy(dtype=np.int64, na_value=np.iinfo(np.int64).min)
    if len(rows) < len(values):
        values = values[rows]
    if len(values) < 2 or bool((values[1:] >= values[:-1]).all()):
        return rows
    return rows[np.argsort(values, kind="stable")]


#: a day in the units of each datetime dtype: midnight dates are coded by day number
DAY_UNITS: dict[str, int] = {
    f"datetime64[{unit}]": 86_400 * 10**power
    for unit, power in (("s", 0), ("ms", 3), ("us", 6), ("ns", 9))
}


def _key_codes(values: pd.Series, at: np.ndarray) -> np.ndarray:
    """Codes of ``values`` at positions ``at`` (integers, -1 for missing) equal exactly where
    the values are, as :func:`_column_codes` of those rows but cheaper: an integer or a
    midnight date as its offset from the smallest value (never decreasing where the
    values do not), a text by :func:`_text_codes`; else :func:`_column_codes`.

    Examples
    --------
    >>> s = pd.Series(pd.to_datetime(["2023-05-02", None, "2023-05-01"]))
    >>> _key_codes(s, np.array([0, 1, 2])).tolist()
    [1, -1, 0]
    """
    if values.dtype == object or isinstance(values.dtype, pd.StringDtype):
        return _text_codes(values, at)
    day = DAY_UNITS.get(str(values.dtype))
    if day is not None:
        stamp = values.to_numpy()[at].view(np.int64)
        missing = stamp == np.iinfo(np.int64).min  # NaT
        rest = np.remainder(stamp, day)
        rest[missing] = 0
        if not rest.any():
            del rest
            return _offset_codes(np.floor_divide(stamp, day, out=stamp), missing)
    elif pd.api.types.is_integer_dtype(values.dtype):
        number = values.to_numpy(dtype=np.int64, na_value=0)[at]
        return _offset_codes(number, values.isna().to_numpy(dtype=bool)[at])
    return _column_codes(values.iloc[at])


def _with_day_codes(key: np.ndarray, values: pd.Series, at: np.ndarray) -> bool:
    """``_with_codes(key, _key_codes(values, at), in_place=True)`` for a date column held
    at midnight (True), worked out a chunk of :data:`CHUNK_ROWS` positions at a time so
    no full-length copy of the dates is made; False (``key`` untouched) for any other
    column, a time of day, or a key that would pass the int64 range.

    Examples
    --------
    >>> key = np.array([1, 1, 2])
    >>> s = pd.Series(pd.to_datetime(["2023-05-02", None, "2023-05-01"]))
    >>> _with_day_codes(key, s, np.array([0, 1, 2])), key.tolist()
    (True, [5, 3, 7])
    """
    day = DAY_UNITS.get(str(values.dtype))
    if day is None:
        return False
    stamps = values.to_numpy().view(np.int64)
    never = np.iinfo(np.int64).min  # NaT
    low, high = None, None
    for first in range(0, len(at), CHUNK_ROWS):  # the days' range, all at midnight?
        stamp = stamps[at[first : first + CHUNK_ROWS]]
        stamp = stamp[stamp != never]
        if len(stamp):
            if (stamp % day).any():
                return False
            days = stamp // day
            low = int(days.min()) if low is None else min(low, int(days.min()))
            high = int(days.max()) if high is None else max(high, int(days.max()))
    width = 1 if low is None or high is None else high - low + 2  # as _with_codes' width
    if (int(key.max(initial=0)) + 1) * width >= 2**62:
        return False
    for first in range(0, len(at), CHUNK_ROWS):
        part = slice(first, first + CHUNK_ROWS)
        stamp = stamps[at[part]]
        codes = stamp // day
        codes -= 0 if low is None else low - 1  # (present: offset + 1)
        codes[stamp == never] = 0  # (missing: -1 + 1)
        key[part] *= width
        key[part] += codes
    return True


def _offset_codes(values: np.ndarray, missing: np.ndarray) -> np.ndarray:
    """``values`` (int64, written over) less the smallest present one, -1 where
    ``missing``; :func:`pandas.factorize` codes when the range passes 2**40.

    Examples
    --------
    >>> _offset_codes(np.array([7, 5, 0, 7]), np.array([False, False, True, False])).tolist()
    [2, 0, -1, 2]
    """
    if bool(missing.all()):
        return np.full(len(values), -1, dtype=np.int64)
    present = ~missing
    low = int(values.min(where=present, initial=np.iinfo(np.int64).max))
    high = int(values.max(where=present, initial=np.iinfo(np.int64).min))
    if high - low >= 2**40:
        values[missing] = low  # (any present value: overwritten below)
        codes = pd.factorize(values)[0].astype(np.int64)
        codes[missing] = -1
        return codes
    values -= low
    values[missing] = -1
    return values


def _text_codes(values: pd.Series, at: np.ndarray) -> np.ndarray:
    """Codes of a text column at positions ``at`` (-1 missing): ``M`` 0 and ``A`` 1 (the
    incident kinds, flagged by :func:`text_equals`), any other text 2 on (by value).

    Examples
    --------
    >>> _text_codes(pd.Series(["A", "M", None, "x", "A"], dtype="string"), np.arange(5)).tolist()
    [1, 0, -1, 2, 1]
    """
    is_m, is_a = text_equals(values, "M", "A")
    codes = np.full(len(at), -1, dtype=np.int8)  # (int8 while only -1, 0 and 1)
    codes[is_m[at]] = 0
    codes[is_a[at]] = 1
    rest = np.flatnonzero(codes < 0)  # missing, or another text
    other = rest[~text_missing(values.iloc[at[rest]])]
    if not len(other):
        return codes
    wide = codes.astype(np.int64)
    wide[other] = 2 + factorize_text(values.iloc[at[other]].astype("string"))[0]
    return wide


def _later_repeats_in_year_order(
    key: np.ndarray, year: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_later_repeats` of rows whose year codes ``year`` never decrease: a stable
    sort of ``key`` alone orders the rows as the sort of the key extended by the year
    would (within a key, position order is year order), and a repeat in the same year is
    a repeated key whose next row has its year; so no extended key is made.

    Examples
    --------
    >>> key = np.array([5, 6, 5, 5]); year = np.array([0, 0, 0, 1])
    >>> [a.tolist() for a in _later_repeats_in_year_order(key, year)]
    [[True, False, True, False], [True, False, False, False]]
    """
    order = np.argsort(key, kind="stable")
    dup_key = np.zeros(len(key), dtype=bool)
    dup_year = np.zeros(len(key), dtype=bool)
    if len(order) > 1:  # a row is repeated later when the next in the sort has its key
        ahead = order[:-1]
        in_order = np.take(key, order)
        same = in_order[1:] == in_order[:-1]
        dup_key[ahead] = same
        del in_order
        year_in_order = np.take(year, order)
        same &= year_in_order[1:] == year_in_order[:-1]
        dup_year[ahead] = same
    return dup_key, dup_year


def _later_repeats(key: np.ndarray, year: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``duplicated(keep="last")`` of ``key`` and of ``key`` extended by the year's codes
    ``year`` (:func:`_with_codes`): from one stable sort of ``key`` when the year codes
    never decrease along the rows (:func:`_later_repeats_in_year_order`: within a key,
    year then position is position order); else by hashing each.

    Examples
    --------
    >>> key = np.array([5, 6, 5, 5]); year = np.array([0, 0, 0, 1])
    >>> [a.tolist() for a in _later_repeats(key, year)]
    [[True, False, True, False], [True, False, False, False]]
    """
    if len(year) > 1 and (year[1:] < year[:-1]).any():  # (rows not in year order)
        return (
            pd.Series(key).duplicated(keep="last").to_numpy(),
            pd.Series(_with_codes(key, year)).duplicated(keep="last").to_numpy(),
        )
    return _later_repeats_in_year_order(key, year)


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
    return _measures_frame(
        n=len(cohort),
        m_children=inc.loc[is_m & over, "CHILD"].nunique(),
        a_children=inc.loc[is_a & over, "CHILD"].nunique(),
        incidents=int((is_m & starting).sum()),
        starters=inc.loc[is_m & starting, "CHILD"].nunique(),
    )


def _measures_frame(
    *, n: int, m_children: int, a_children: int, incidents: int, starters: int
) -> pd.DataFrame:
    """The frame :func:`missing_measures` returns, from the five counts it rests on."""
    count = float(incidents)
    # in the order of IDS; the frame built once (no per-cell writes)
    numerator = np.array([float(m_children), count, count, float(a_children)])
    denominator = np.array([float(n), np.nan, float(starters), float(n)])
    with np.errstate(divide="ignore", invalid="ignore"):
        value = np.where(denominator > 0, numerator / denominator, np.nan)
    value[[0, 3]] *= 100  # missing_children_pct, away_children_pct
    value[1] = count  # missing_incidents
    return pd.DataFrame(
        {"numerator": numerator, "denominator": denominator, "value": value}, index=list(IDS)
    )


class IncidentArrays(NamedTuple):
    """:func:`distinct_incidents` as arrays, for counting at many windows.

    ``child`` is each incident's position among the children of the episodes
    (:meth:`~cppanalytics.indicators.context.Context.episode_child_codes`; -1 for a child
    with no episode), ``start``/``end`` MIS_START/MIS_END as int64 nanoseconds (an open
    incident ends at the largest int64), ``is_m``/``is_a`` the incident kinds. ``rows``:
    the incidents' positions in ``incidents`` (None: every row, in order), so the
    incidents need not be copied out of the Missing table.
    """

    incidents: pd.DataFrame
    child: np.ndarray
    start: np.ndarray
    end: np.ndarray
    is_m: np.ndarray
    is_a: np.ndarray
    rows: np.ndarray | None = None

    def table(self, at: np.ndarray | None = None) -> pd.DataFrame:
        """The rows of the incidents at positions ``at`` (every incident when None).

        Examples
        --------
        >>> m = pd.DataFrame({"CHILD": ["1", "2", "3"], "MISSING": ["M", "A", "M"],
        ...     "MIS_START": pd.to_datetime(["2023-05-01"] * 3), "MIS_END": pd.NaT})
        >>> a = incident_arrays(m, np.array([0, 1, 2]), rows=np.array([2, 0]))
        >>> a.table()["CHILD"].tolist(), a.table(np.array([1]))["CHILD"].tolist()
        (['3', '1'], ['1'])
        """
        if self.rows is None:
            return self.incidents if at is None else self.incidents.iloc[at]
        return self.incidents.iloc[self.rows if at is None else self.rows[at]]


def incident_arrays(
    incidents: pd.DataFrame, children: pd.Index | np.ndarray, rows: np.ndarray | None = None
) -> IncidentArrays:
    """:class:`IncidentArrays` of :func:`distinct_incidents`' output, children placed in
    ``children`` (distinct CHILD ids), or with their codes already given (an array, one
    per incident). With ``rows``, the incidents are those rows of ``incidents`` (e.g. the
    Missing table and :func:`distinct_positions`), read there.

    Examples
    --------
    >>> m = pd.DataFrame({"CHILD": ["b", "x"], "MISSING": ["M", "A"],
    ...     "MIS_START": pd.to_datetime(["1970-01-02", "1970-01-01"]),
    ...     "MIS_END": pd.to_datetime([None, "1970-01-01"])})
    >>> a = incident_arrays(m, pd.Index(["a", "b"]))
    >>> a.child.tolist(), a.start.tolist(), a.is_m.tolist(), a.is_a.tolist()
    ([1, -1], [86400000000000, 0], [True, False], [False, True])
    """

    def at(values: np.ndarray) -> np.ndarray:
        """``values`` of the incidents' rows."""
        return values if rows is None else values[rows]

    start = at(incidents["MIS_START"].to_numpy(dtype="datetime64[ns]"))
    end = incidents["MIS_END"].to_numpy(dtype="datetime64[ns]")
    end = np.array(end, copy=True) if rows is None else end[rows]  # written below
    kind = incidents["MISSING"]
    if not isinstance(kind.dtype, pd.StringDtype):  # (text already: compared as it is)
        kind = kind.astype("string")
    is_m, is_a = text_equals(kind, "M", "A")
    end_ns = end.view("int64")
    end_ns[np.isnat(end)] = np.iinfo(np.int64).max  # open: never ends
    return IncidentArrays(
        incidents=incidents,
        child=(
            children
            if isinstance(children, np.ndarray)
            else children.get_indexer(at(incidents["CHILD"].to_numpy(dtype=object)))
        ),
        start=start.view("int64"),
        end=end_ns,
        is_m=at(is_m),
        is_a=at(is_a),
        rows=rows,
    )


def cohort_measures(
    arrays: IncidentArrays,
    cohort: np.ndarray,
    n_children: int,
    start: pd.Timestamp,
    end: pd.Timestamp,
) -> tuple[pd.DataFrame, np.ndarray]:
    """:func:`missing_measures` of the children at positions ``cohort`` (distinct, among
    ``n_children``) counted on :func:`incident_arrays`, and which incidents start in the
    window for a child outside the cohort (for :func:`_outside_cohort_findings`).

    Examples
    --------
    >>> m = pd.DataFrame({"CHILD": ["1", "1", "2"], "MISSING": ["M", "M", "A"],
    ...     "MIS_START": pd.to_datetime(["2023-05-01", "2023-06-01", "2023-06-01"]),
    ...     "MIS_END": pd.to_datetime(["2023-05-02", None, None])})
    >>> a = incident_arrays(m, pd.Index(["1", "2", "3"]))
    >>> r, outside = cohort_measures(a, np.array([0, 2]), 3, pd.Timestamp("2023-04-01"),
    ...                              pd.Timestamp("2024-03-31"))
    >>> r["numerator"].tolist(), outside.tolist()
    ([1.0, 2.0, 2.0, 0.0], [False, False, True])
    """
    member = np.zeros(n_children + 1, dtype=bool)  # the last: a child with no episode
    member[cohort] = True
    inside = member[arrays.child]
    s_ns, e_ns = as_date(start).value, as_date(end).value
    n = len(arrays.start)
    # flag buffers written in place: starting, overlapping, and one scratch array
    begun = np.less_equal(arrays.start, e_ns)
    starting = np.greater_equal(arrays.start, s_ns)
    starting &= begun
    over = np.greater_equal(arrays.end, s_ns)
    over &= begun
    over &= inside
    scratch = np.empty(n, dtype=bool)
    seen = member  # reused: the cohort's flags are no longer needed

    def children(*masks: np.ndarray) -> int:
        """How many distinct children the incidents flagged in all ``masks`` are of."""
        np.logical_and(masks[0], masks[1], out=scratch)
        for mask in masks[2:]:
            np.logical_and(scratch, mask, out=scratch)
        return distinct_count(arrays.child, scratch, seen)

    m_children = children(over, arrays.is_m)
    a_children = children(over, arrays.is_a)
    np.logical_and(starting, arrays.is_m, out=begun)  # (begun: no longer needed)
    begun &= inside
    frame = _measures_frame(
        n=len(cohort),
        m_children=m_children,
        a_children=a_children,
        incidents=int(np.count_nonzero(begun)),
        starters=children(begun, begun),
    )
    np.logical_not(inside, out=inside)
    inside &= starting
    return frame, inside


def distinct_count(codes: np.ndarray, mask: np.ndarray, seen: np.ndarray) -> int:
    """How many distinct values ``codes[mask]`` holds (codes index ``seen``, a bool
    buffer at least as long as the largest code; cleared and used as scratch).

    Examples
    --------
    >>> distinct_count(np.array([3, 1, 3, 0]), np.array([True, True, True, False]),
    ...                np.ones(4, dtype=bool))
    2
    """
    seen[:] = False
    seen[codes[mask]] = True
    return int(np.count_nonzero(seen))


def _outside_cohort_findings(ctx: Context, arrays: IncidentArrays, at: np.ndarray) -> None:
    """Info findings for the (distinct) incidents at positions ``at``: starting in the
    window, of children not in care in it (:func:`cohort_measures`). An incident's finding,
    the same at every period end, is built the first time only (the run drops repeats:
    :func:`~cppanalytics.indicators.repeats.unreported`)."""
    at = at[unreported(ctx, "missing_child_not_in_care", at, len(arrays.child))]
    if not len(at):
        return
    out = arrays.table(at)
    ctx.findings.extend(
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


#: from how many period ends a run counts only the incidents its windows can hold
SUBSET_FROM_ENDS = 4


def _run_arrays(
    ctx: Context, arrays: IncidentArrays, wanted: list[str]
) -> tuple[IncidentArrays, np.ndarray | None]:
    """The incidents any window of the run's period ends can count (starting by the
    latest window end, and ending or starting on or after the earliest window start), with
    their positions among all incidents (None: all of them, for a run of few ends), once
    per run; an incident outside them is in no window's counts or findings.

    Examples
    --------
    >>> from cppanalytics.ssda903.dataset import Dataset
    >>> from cppanalytics.indicators.context import Context
    >>> ctx = Context(Dataset(), "2024-03-31")
    >>> a = incident_arrays(distinct_incidents(ctx.data.tables["missing"]), pd.Index([]))
    >>> _run_arrays(ctx, a, list(IDS))[1] is None  # one period end: every incident
    True
    """
    ends = ctx.care.cache.get("period_ends") or [ctx.period_end]
    if len(ends) < SUBSET_FROM_ENDS or ctx.period_end not in ends:
        return arrays, None
    key = ("missing", "run_arrays", tuple(ends), tuple(wanted))
    if key not in ctx.care.cache:
        windows = [ctx.at(d).window(i) for d in ends for i in wanted]
        first = min(w[0] for w in windows).value
        last = max(w[1] for w in windows).value
        kept = np.flatnonzero(
            (arrays.start <= last) & ((arrays.end >= first) | (arrays.start >= first))
        )
        subset = IncidentArrays(
            arrays.incidents,
            arrays.child[kept],
            arrays.start[kept],
            arrays.end[kept],
            arrays.is_m[kept],
            arrays.is_a[kept],
            arrays.rows,
        )
        ctx.care.cache[key] = (subset, kept)
    return ctx.care.cache[key]


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
        table = ctx.data.tables["missing"]
        # every row's child coded once (by string object: no text hashed per row), for the
        # incidents' key and their children; a child with no episode takes a new code
        codes = ctx.table_child_codes("missing", new=True)
        if "YEAR" not in table.columns:
            table = table.assign(YEAR=pd.NA)
        at = distinct_positions(table, ctx.findings, codes)  # (no table of them made)
        child = codes[at]
        child[child >= len(ctx.episode_child_codes()[1])] = -1  # (no episode)
        ctx.care.cache["missing_incidents"] = incident_arrays(table, child, rows=at)
    arrays, kept = _run_arrays(ctx, ctx.care.cache["missing_incidents"], wanted)
    codes, children = ctx.episode_child_codes()
    # per window: the measures' numerator, denominator and value columns (rows: IDS)
    cache: dict[tuple[pd.Timestamp, pd.Timestamp], tuple[np.ndarray, ...]] = {}
    frames = []
    for ind in wanted:
        win = ctx.window(ind)
        if win not in cache:  # the cohort's children counted on arrays (no frames per end)
            cohort = codes[ctx.cla_during_positions(*win)]
            measures, outside = cohort_measures(arrays, cohort, len(children), *win)
            cache[win] = tuple(
                measures[c].to_numpy() for c in ("numerator", "denominator", "value")
            )
            at = np.flatnonzero(outside)
            every = ctx.care.cache["missing_incidents"]  # (positions among all incidents)
            _outside_cohort_findings(ctx, every, at if kept is None else kept[at])
        k = IDS.index(ind)  # the frame's rows are IDS (read as arrays: cheaper than .loc)
        num, den, val = cache[win]
        frames.append(
            block(
                ind,
                d,
                win,
                numerator=[num[k]],
                denominator=None if UNITS[ind] == "count" else [den[k]],
                value=[val[k]],
                unit=UNITS[ind],
            )
        )
    return frames
