"""The review schedule's sorting and placing helpers against their plain definitions."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cppanalytics.indicators.catalogue import BREAKDOWN_GROUPS
from cppanalytics.indicators.reviews import (
    _NS_PER_DAY,
    _add_row_numbers,
    _day_numbers_from,
    _last_days,
    _less_than_taken,
    _participation_groups,
    _period_upper_keys,
    _segments_inside,
    _sort_with_rows,
    _whole_days,
)

rng = np.random.default_rng(11)
KEYS = {
    "nearly_sorted": np.concatenate([np.arange(50) // 3, np.arange(20) // 2]),
    "negative": np.array([-5, 3, -5, -(2**40), 0]),
    "wide": np.array([2**62, -(2**62), 2**62, 0, -1, 0]),  # too wide to pack
    "just_packable": np.array([2**59, 0, 2**59, 5]),
    "random": rng.integers(-100, 100, 500),
    "one": np.array([4]),
    "none": np.zeros(0, dtype=np.int64),
}


@pytest.mark.parametrize("name", KEYS)
def test_sort_with_rows_is_a_stable_argsort(name) -> None:
    key = KEYS[name].astype(np.int64)
    plain = np.argsort(key, kind="stable")  # the plain definition
    sorted_key = key.copy()
    got = _sort_with_rows(sorted_key)
    assert got.tolist() == plain.tolist()
    assert sorted_key.tolist() == key[plain].tolist()


@pytest.mark.parametrize("n,chunk", [(0, 4), (1, 4), (7, 3), (9, 3), (5, 100)])
def test_add_row_numbers_adds_the_positions(n, chunk) -> None:
    values = np.arange(n, dtype=np.int64) * 7 - 3
    plain = values + np.arange(n)
    _add_row_numbers(values, chunk=chunk)
    assert values.tolist() == plain.tolist()


@pytest.mark.parametrize("chunk", [1, 2, 1000])
def test_whole_days_is_no_remainder(chunk) -> None:
    days = np.array([-3, 0, 5, 20_000], dtype=np.int64) * _NS_PER_DAY
    assert _whole_days(days, chunk=chunk)
    assert _whole_days(days[:0], chunk=chunk)
    for at in range(len(days)):  # one nanosecond off anywhere
        off = days.copy()
        off[at] += 1
        assert not _whole_days(off, chunk=chunk)


DATES = pd.to_datetime(["2024-01-05", "2023-12-30", "2024-02-29", "2024-01-05"]).to_numpy()
ENDS = [
    None,
    "2023-12-29",  # before every date
    "2023-12-30",  # on the earliest
    "2024-01-04 23:59",  # the evening before a date
    "2024-01-05",
    "2024-01-05 10:00",
    "2024-03-31",  # after every date
]


@pytest.mark.parametrize("timed", [False, True])
def test_last_days_tell_the_dates_on_or_before_each_end(timed) -> None:
    dates = DATES.copy()
    if timed:  # a time of day: day numbers are ranks
        dates[1] = dates[1] + np.timedelta64(3, "h")
    first, second = dates[:1], dates[1:]
    p_day, day, day0 = _day_numbers_from(first, second)
    assert (day0 is None) == timed
    numbers = np.concatenate([p_day, day])
    end = pd.Series([pd.Timestamp(e) if e else pd.NaT for e in ENDS], dtype="datetime64[ns]")
    last = _last_days(end, day0, first, second)
    for e, k in zip(end, last, strict=True):
        plain = [pd.isna(e) or d <= e for d in dates]  # the plain definition
        assert [bool(x <= k) for x in numbers] == plain


def test_period_upper_keys_bound_the_period_children_days() -> None:
    width = np.int64(6)
    child = np.array([0, 1, 2, 2, 4])
    never = np.iinfo(np.int64).max
    last = np.array([2, never, -1, 5, 9])
    upper = _period_upper_keys(child, width, last)
    for c, k, u in zip(child, last, upper, strict=True):
        for other in range(6):
            for day in range(width):
                plain = other == c and day <= k  # the plain definition
                key = other * width + day
                assert (key < u) == plain or other < c


SEGMENTS = {
    "lead_and_empty": (np.array([1, 3, 3]), np.array([3, 3, 6]), np.array([2, 9, 5])),
    "no_lead": (np.array([0, 2]), np.array([2, 5]), np.array([0, 4])),
    "cut_before_start": (np.array([2, 4]), np.array([4, 7]), np.array([1, 3])),
    "one": (np.array([0]), np.array([3]), np.array([3])),
    "none": (np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.int64)),
}


@pytest.mark.parametrize("name", SEGMENTS)
def test_segments_inside_keep_each_segment_up_to_its_cut(name) -> None:
    places, stops, cuts = SEGMENTS[name]
    n = int(stops[-1]) if len(stops) else 0
    plain_row, plain_kept = [], []  # the plain definition, item by item
    for i in range(n):
        j = [k for k in range(len(places)) if places[k] <= i < stops[k]]
        kept = bool(j) and i < cuts[j[0]]
        plain_kept.append(kept)
        if kept:
            plain_row.append(j[0])
    row, kept = _segments_inside(places, stops, cuts)
    assert row.tolist() == plain_row and kept.tolist() == plain_kept


@pytest.mark.parametrize("chunk", [1, 2, 100])
def test_less_than_taken_is_the_comparison_with_the_take(chunk) -> None:
    values = np.array([5, 1, 9, 4, 4], dtype=np.int64)
    table = np.array([4, 9, np.iinfo(np.int64).max], dtype=np.int64)
    at = np.array([0, 0, 2, 1, 0])
    plain = values < table[at]
    assert _less_than_taken(values, table, at, chunk=chunk).tolist() == plain.tolist()
    assert _less_than_taken(values[:0], table, at[:0], chunk=chunk).tolist() == []


CODES = ["PN1", None, "PN8", "PN0", "", "PN7", "PN1", "PN6", None, "PN2"]


@pytest.mark.parametrize("chunk", [1, 3, 1000])
@pytest.mark.parametrize("dtype", [object, "string"])
def test_participation_groups_are_the_codes_groups(chunk, dtype) -> None:
    groups = BREAKDOWN_GROUPS["participation"]
    codes = pd.Series(CODES, dtype=dtype)
    plain = [c if c in groups[:-1] else "not_recorded" for c in CODES]  # the plain definition
    got = _participation_groups(codes, chunk=chunk)
    assert [groups[g] for g in got] == plain and got.dtype == np.int8


@pytest.mark.parametrize("chunk", [1, 2, 1000])
def test_days_on_or_before_is_the_date_comparison(chunk) -> None:
    from cppanalytics.indicators.reviews import _days_on_or_before

    day0 = np.datetime64("2024-02-27", "ns")
    days = np.array([0, 1, 2, 2, 5], dtype=np.int32)
    limit = np.array(
        ["2024-02-27", "2024-02-27T23:00", "2024-02-29", "2024-02-28", "2024-03-03"],
        dtype="datetime64[ns]",
    )
    limit[1] = np.datetime64("NaT")
    # the plain definition: each date against its limit (NaT never reached)
    plain = [
        not np.isnat(x) and day0 + np.timedelta64(int(k), "D") <= x
        for k, x in zip(days, limit, strict=True)
    ]
    got = _days_on_or_before(days, int(day0.astype(np.int64)), limit.view(np.int64), chunk)
    assert got.tolist() == plain
