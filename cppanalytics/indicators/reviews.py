"""Reviews of children in care, their participation, and the previous permanence of starters.

Definitions (``docs/indicators_added.md`` has them in full, with the worked cases):

* **Due dates** (Care Planning, Placement and Case Review (England) Regulations 2010,
  reg. 33): in each period of care the first review is due 20 working days after the day
  the child became looked after (that day is day 0; weekends and England and Wales bank
  holidays are not working days — :mod:`cppanalytics.working_days`); the second 3 months
  after the first review was held; each later one 6 months after the previous review was
  held. Months are calendar months clamped to the month end (30 Nov + 3 months = 28/29 Feb).
  A review held **on** its due date is on time. A late review resets the clock: the next
  is due from the date it was actually held.
* **Re-entry**: a new period of care restarts the clock (its first review is again due in
  20 working days); a review belongs to the period of care it falls in (start ≤ REVIEW ≤
  end).
* **Short breaks**: periods made only of V3/V4 episodes are not periods of care for these
  measures (as for every measure); reg. 48 gives those children other timescales (first
  review within 3 months, then 6-monthly) and DfE does not collect their reviews. Their
  review rows are set aside without a finding; any other review outside a period of care is
  an ``review_outside_care`` finding.
* **18th birthday**: no review falls due on or after the 18th birthday (the child leaves
  care); a 29 February birthday falls on 1 March in other years, as for every age.

Indicators (default window ``r12``):

* ``reviews_on_time``: children looked after at D with at least one **due event** in the
  window — a review due in the window (held, on time or late), or one due before D and not
  held by D — % all of whose due events were met on time (a review due on D and not yet
  held is not overdue).
* ``reviews_held_on_time``: reviews held in the window, % held on or before their due date.
* ``review_participation``: reviews held in the window by REVIEW_CODE (PN0–PN7, else
  ``not_recorded``), % of all reviews held.
* ``review_participation_pct``: reviews held in the window with code PN1–PN7 (the child
  aged 4 or over), % with PN1–PN6 (the child took part).
* ``started_by_prev_perm`` (window ``fytd``): children starting care in the window (as
  ``cla_started``) by the PrevPerm row of the child (latest collection year): P1 adoption,
  P2 special guardianship, P3 residence / child arrangements order, Z1 (and P4 in older
  returns) none or not known; no row ``not_recorded`` (and a finding).

Examples
--------
>>> from cppanalytics.ssda903.dataset import Dataset
>>> from cppanalytics.indicators.context import Context
>>> from cppanalytics.results import rows_frame
>>> ds = Dataset.from_tables({"episodes": pd.DataFrame({"CHILD": ["1"],
...     "DECOM": ["01/04/2024"], "RNE": ["S"], "LS": ["C2"], "PLACE": ["U4"], "DEC": [""],
...     "REC": [""]}), "reviews": pd.DataFrame({"CHILD": ["1"], "REVIEW": ["29/04/2024"],
...     "REVIEW_CODE": ["PN1"]})})
>>> r = rows_frame(compute(Context(ds, "2024-06-30"), {"reviews_held_on_time"}))
>>> r[["numerator", "denominator"]].values.tolist()
[[1.0, 1.0]]
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

import numpy as np
import pandas as pd

from cppanalytics.care.cohorts import latest_positions, position_type, year_order
from cppanalytics.dates import as_date
from cppanalytics.findings import row_findings
from cppanalytics.indicators.catalogue import BREAKDOWN_GROUPS
from cppanalytics.indicators.population import (
    breakdown_counts,
    started_in_window,
)
from cppanalytics.results import Block, block
from cppanalytics.ssda903.coded import factorize_text
from cppanalytics.working_days import add_working_days

if TYPE_CHECKING:  # pragma: no cover
    from cppanalytics.indicators.context import Context

IDS: tuple[str, ...] = (
    "reviews_on_time",
    "reviews_held_on_time",
    "review_participation_pct",
    "review_participation",
    "started_by_prev_perm",
)
FIRST_REVIEW_WORKING_DAYS = 20
SECOND_REVIEW_MONTHS = 3
LATER_REVIEW_MONTHS = 6
#: PrevPerm code → group of ``started_by_prev_perm``
PREV_PERM_GROUPS: dict[str, str] = {
    "P1": "adoption",
    "P2": "sgo",
    "P3": "residence_cao",
    "P4": "none_or_unknown",
    "Z1": "none_or_unknown",
}
TOOK_PART = ("PN1", "PN2", "PN3", "PN4", "PN5", "PN6")
AGED_4_PLUS = (*TOOK_PART, "PN7")


def _group_flags(codes: tuple[str, ...]) -> np.ndarray:
    """Which participation groups hold the reviews with one of ``codes``: each code must be
    a group of its own (not ``not_recorded``, the last group), so a review's group tells.

    Examples
    --------
    >>> _group_flags(("PN0", "PN7")).nonzero()[0].tolist()
    [0, 7]
    """
    groups = BREAKDOWN_GROUPS["participation"]
    if not set(codes) <= set(groups[:-1]):
        raise ValueError(f"not each a participation group of its own: {codes}")
    return np.isin(groups, codes)


#: the participation groups of the reviews a child took part in / aged 4 or over
_GROUP_TOOK_PART = _group_flags(TOOK_PART)
_GROUP_AGED_4_PLUS = _group_flags(AGED_4_PLUS)


def _plus_months(dates: pd.Series, months: int) -> pd.Series:
    """Calendar months later, clamped to the month end (NaT stays NaT)."""
    return pd.to_datetime(dates) + pd.DateOffset(months=months)


def _per_distinct(
    values: np.ndarray, *shifts: Callable[[pd.Series], pd.Series]
) -> list[np.ndarray]:
    """Each of ``shifts`` applied to each distinct date of ``values`` once (dates repeat a
    lot), the results taken back to every row; NaT stays NaT.

    Examples
    --------
    >>> days = pd.to_datetime(["2024-11-30", None, "2024-11-30"]).to_numpy()
    >>> [a.astype("datetime64[D]").astype(str).tolist() for a in _per_distinct(
    ...     days, lambda s: _plus_months(s, 3), lambda s: _plus_months(s, 6))]
    [['2025-02-28', 'NaT', '2025-02-28'], ['2025-05-30', 'NaT', '2025-05-30']]
    """
    codes, distinct = pd.factorize(np.asarray(values, dtype="datetime64[ns]"))
    out = []
    for shift in shifts:
        shifted = shift(pd.Series(distinct, dtype="datetime64[ns]"))
        # code -1 (NaT) takes the last entry
        out.append(np.append(shifted.to_numpy(dtype="datetime64[ns]"), np.datetime64("NaT"))[codes])
    return out


def _last_in_key_order(key: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The positions of the last row holding each key (``~duplicated(keep="last")``), in
    ascending key order, and those keys. ``key`` is sorted in place (it is spent): each
    key is packed with its row number into one integer, so one plain sort of that array
    orders the rows as a stable sort of the keys would, with no order array of 64-bit
    positions and no sorted copy of the keys (the positions come back as 32-bit numbers
    when they fit). Keys too wide to pack take a stable argsort.

    Examples
    --------
    >>> kept, keys = _last_in_key_order(np.array([5, 3, 5, 7, 3, 3]))
    >>> kept.tolist(), keys.tolist()
    ([5, 2, 3], [3, 5, 7])
    """
    row = _sort_with_rows(key)
    if not len(key):
        return row, key
    last = np.empty(len(key), dtype=bool)
    np.not_equal(key[1:], key[:-1], out=last[:-1])
    last[-1] = True
    return row[last], key[last]


def _sort_with_rows(key: np.ndarray) -> np.ndarray:
    """Sort ``key`` (int64) in place, stably, and give the rows it came from (int32 when
    they fit): ``order = np.argsort(key, kind="stable")`` and ``key[:] = key[order]``.

    Each key less the least is shifted left and its row number added (they fit in 63
    bits when the keys span less than ``2**(63 - bits of the row count)``): every packed
    integer is distinct, so one in-place sort gives the stable order (a merge sort: the
    keys come in long sorted runs).

    Examples
    --------
    >>> key = np.array([7, -2, 7, 0])
    >>> _sort_with_rows(key).tolist(), key.tolist()
    ([1, 3, 0, 2], [-2, 0, 7, 7])
    """
    n = len(key)
    row_type = position_type(n)
    if not n:
        return np.zeros(0, dtype=row_type)
    low, high = int(key.min()), int(key.max())
    bits = max(n - 1, 1).bit_length()
    if (high - low) >> (62 - bits):  # too wide to pack
        order = np.argsort(key, kind="stable")
        key[:] = key[order]
        return order.astype(row_type)
    key -= low
    key <<= bits
    _add_row_numbers(key)
    key.sort(kind="stable")
    row = np.empty(n, dtype=row_type)
    np.bitwise_and(key, (1 << bits) - 1, out=row, casting="unsafe")
    key >>= bits
    key += low
    return row


def _add_row_numbers(values: np.ndarray, chunk: int = 1 << 16) -> None:
    """Add each element's position to ``values`` in place, a block at a time (no
    full-length ``arange``).

    Examples
    --------
    >>> v = np.array([10, 10, 10]); _add_row_numbers(v, chunk=2); v.tolist()
    [10, 11, 12]
    """
    step = np.arange(min(len(values), chunk), dtype=values.dtype)
    for at in range(0, len(values), chunk):
        part = values[at : at + chunk]
        part += step[: len(part)]
        part += at


def _whole_days(ns: np.ndarray, chunk: int = 1 << 16) -> bool:
    """Whether every one of ``ns`` (int64 nanoseconds) is a whole day, checked a block at
    a time (no full-length remainder array).

    Examples
    --------
    >>> _whole_days(np.array([0, 86_400 * 10**9])), _whole_days(np.array([0, 1]), chunk=1)
    (True, False)
    """
    buffer = np.empty(min(len(ns), chunk), dtype=np.int64)
    for at in range(0, len(ns), chunk):
        part = buffer[: len(ns[at : at + chunk])]
        np.remainder(ns[at : at + chunk], _NS_PER_DAY, out=part)
        if part.any():
            return False
    return True


def _day_numbers_from(
    first: np.ndarray, second: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.datetime64 | None]:
    """Two date arrays (no NaT) as day numbers from the earliest (ranks when the dates are
    not whole days): equal and ordered as the dates are, across both; with the date of
    day 0 (the earliest date) when they are day numbers (None when they are ranks, or
    there are no dates).

    Examples
    --------
    >>> a = pd.to_datetime(["2024-01-03", "2024-01-01"]).to_numpy()
    >>> _day_numbers_from(a, a[:1])[2]
    np.datetime64('2024-01-01T00:00:00.000000000')
    """
    # (read in place: no copy of dates already in nanoseconds)
    ns = [
        np.asarray(x).astype("datetime64[ns]", copy=False).view(np.int64) for x in (first, second)
    ]
    if not len(ns[0]) + len(ns[1]):
        return ns[0].copy(), ns[1].copy(), None
    if all(_whole_days(x) for x in ns):
        # whole days: day numbers on the integers (each array on its own, no joined copy;
        # the quotients are new arrays, shifted in place)
        days = [x // _NS_PER_DAY for x in ns]
        low = min(int(d.min()) for d in days if len(d))
        start = np.datetime64(low * _NS_PER_DAY, "ns")
        for d in days:
            d -= low
        return days[0], days[1], start
    both = np.concatenate([first, second]).astype("datetime64[ns]")
    rank = np.unique(both, return_inverse=True)[1].reshape(-1)
    return rank[: len(first)], rank[len(first) :], None


def _by_day(
    days: np.ndarray, low: np.datetime64, shift: Callable[[pd.Series], pd.Series]
) -> np.ndarray | None:
    """``shift`` of the dates ``low + days`` (whole days from ``low``), applied once to
    each day of their range and taken back to every row; None when the range is much
    larger than the rows (then :func:`_per_distinct` is cheaper).

    Examples
    --------
    >>> low = np.datetime64("2024-11-30", "ns")
    >>> out = _by_day(np.array([0, 2, 0]), low, lambda s: _plus_months(s, 3))
    >>> out.astype("datetime64[D]").astype(str).tolist()
    ['2025-02-28', '2025-03-02', '2025-02-28']
    """
    if not len(days):
        return np.zeros(0, dtype="datetime64[ns]")
    found = _day_span(days, low)
    if found is None:
        return None
    span, first = found
    shifted = shift(span).to_numpy(dtype="datetime64[ns]")
    return shifted[days - first]


def _day_span(days: np.ndarray, low: np.datetime64) -> tuple[pd.Series, int] | None:
    """Every date from ``low + days.min()`` to ``low + days.max()`` (``days``: whole days
    from ``low``, at least one) and the first day's number, or None when that range is
    much larger than the rows (working each distinct date out is then cheaper).

    Examples
    --------
    >>> span, first = _day_span(np.array([3, 1]), np.datetime64("2024-02-27", "ns"))
    >>> span.dt.strftime("%d/%m").tolist(), first
    (['28/02', '29/02', '01/03'], 1)
    >>> _day_span(np.array([0, 20_000]), np.datetime64("2024-02-27", "ns")) is None
    True
    """
    first, last = int(days.min()), int(days.max())
    if last - first > 4 * len(days) + 10_000:
        return None
    span = low + (np.arange(first, last + 1) * _NS_PER_DAY).astype("timedelta64[ns]")
    return pd.Series(span, dtype="datetime64[ns]"), first


_NS_PER_DAY = 86_400 * 10**9


def review_schedule(ctx: Context) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every review placed in its period of care with its due date (cached per dataset;
    independent of D).

    Returns
    -------
    (reviews, periods)
        ``reviews``: CHILD, REVIEW, REVIEW_CODE, period_id, number (1, 2, ...), due,
        on_time. ``periods``: period_id, CHILD, start, end, eighteen (18th birthday).
    """
    key = ("review_schedule",)
    if key not in ctx.care.cache:
        a = _arrays(ctx)
        placed = a.table.iloc[a.rows]
        placed = (placed.astype({"CHILD": object}) if a.placed else placed).reset_index(drop=True)
        placed["period_id"] = (
            a.periods["period_id"].to_numpy(dtype=np.int64)[a.period_pos]
            if a.placed
            else pd.Series(dtype="Int64")
        )
        placed["number"] = _numbers(a.first)
        placed["due"] = pd.Series(a.due, dtype="datetime64[ns]")
        placed["on_time"] = a.on_time
        ctx.care.cache[key] = (placed, a.periods)
    return ctx.care.cache[key]


class _ScheduleArrays:
    """The review schedule as numpy arrays, for look-ups at many period ends (built once
    per run by :func:`_arrays`).

    Reviews with a CHILD and a REVIEW date (a repeated (CHILD, REVIEW) once, the last row)
    are placed in the period of care they fall in, in (period, date) order: ``rows`` are
    their rows in the reviews table. Children are the codes of
    :meth:`~cppanalytics.indicators.context.Context.episode_child_codes`.
    """

    def __init__(self, ctx: Context) -> None:
        # the periods' columns read in place (the frame of :attr:`periods` is made only
        # when asked for)
        self._care_periods = care_periods = ctx.care.periods
        period_id = care_periods["period_id"].to_numpy(dtype=np.int64)
        period_child, self.eighteen = _period_children(ctx, period_id)
        # (as nanoseconds, the largest int64 for a child never 18: the Context's own)
        self.eighteen_ns = ctx._eighteenth_ns()[period_child]  # noqa: SLF001
        self.start = care_periods["start"].to_numpy(dtype="datetime64[ns]")
        self.end = care_periods["end"].to_numpy(dtype="datetime64[ns]")
        raw = ctx.data.tables.get("reviews", pd.DataFrame())
        cols = ["CHILD", "REVIEW", "REVIEW_CODE"]
        if len(raw):
            table = raw[[c for c in [*cols, "source_file", "source_row"] if c in raw.columns]]
        else:
            table = pd.DataFrame({c: pd.Series(dtype="object") for c in cols})
        child = ctx.table_child_codes("reviews", new=True)  # NA: -1
        when = table["REVIEW"].to_numpy(dtype="datetime64[ns]")
        usable = (child >= 0) & ~np.isnat(when)
        rows: np.ndarray | None = None  # every row (the usual case: no take of every row)
        if not usable.all():
            rows = np.flatnonzero(usable)
            child, when = child[rows], when[rows]
        p_start = self.start
        p_day, day, day0 = _day_numbers_from(p_start, when)
        # (child, date) as one integer; a repeated (CHILD, REVIEW) counts once: the last
        # row. One sort dedupes and orders them by (child, date). (`day` and `child` are
        # new arrays: the key is built in them)
        width = np.int64(max(p_day.max(initial=0), day.max(initial=0)) + 1)
        key = day
        key += np.multiply(child, width, out=child)
        del child, day
        kept, k_key = _last_in_key_order(key)
        del key
        self.placed = bool(len(kept)) and bool(len(period_id))
        if self.placed:
            p_key = period_child * width + p_day
            upper = _period_upper_keys(
                period_child, width, _last_days(self.end, day0, p_start, when)
            )
            period_row, inside = _place_in_periods(
                ctx, table, rows, kept, k_key, p_key, upper, when
            )
            # by (child, date) is by (period, date): a child's periods are numbered in
            # order of their starts, and children in order of their codes
            order = kept[inside]
            k_key = k_key[inside]
            if len(period_row) and (period_row[1:] < period_row[:-1]).any():  # (a guard)
                again = np.argsort(period_row * width + k_key % width, kind="stable")
                order, period_row, k_key = order[again], period_row[again], k_key[again]
        else:
            _outside(ctx, table.iloc[_rows_at(rows, np.sort(kept))])
            order = np.zeros(0, dtype=np.int64)
            period_row = np.zeros(0, dtype=np.int64)
            k_key = np.zeros(0, dtype=np.int64)
        self.table = table
        self.rows = _rows_at(rows, order)
        # the review dates are kept only when they are not whole days (else they are
        # worked out from the day numbers: :attr:`review`)
        self._review = when[order] if day0 is None else None
        # each review's child and day from its key
        self.review_child = np.empty(len(k_key), dtype=np.int32)
        np.floor_divide(k_key, width, out=self.review_child, casting="unsafe")
        self.review_day = np.empty(len(k_key), dtype=position_type(int(width)))
        np.remainder(k_key, width, out=self.review_day, casting="unsafe")
        del k_key
        self.period_pos = period_row
        self.period_child = period_child
        n = len(order)
        first = np.ones(n, dtype=bool)  # the first review of its period
        first[1:] = self.period_pos[1:] != self.period_pos[:-1]
        self.first = first
        self.day0 = day0  # the date of day 0 when the dates are whole days, else None
        # the first review of a period is due 20 working days after its start, the second
        # 3 months after the first was held, each later one 6 months after the previous:
        # each review's due date is the next due date of the review before it
        self.first_due, next_due = _shifted_dates(
            p_start, p_day, self._review, self.review_day, day0, first
        )
        self.due = np.empty(n, dtype="datetime64[ns]")
        # the next due date after each period's last review (the others' are the due
        # dates of the reviews after them)
        self.after_last = np.zeros(len(period_id), dtype="datetime64[ns]")
        if n:
            self.due[1:] = next_due[:-1]
            self.due[first] = self.first_due[self.period_pos[first]]
            last = np.flatnonzero(np.append(first[1:], True))
            self.after_last[self.period_pos[last]] = next_due[last]
        del next_due
        self.first_review = np.full(len(period_id), -1, dtype=np.int64)
        starts = np.flatnonzero(first)
        self.first_review[self.period_pos[starts]] = starts
        # each period's number of reviews (its run of reviews: to the next run's start)
        self.per_period = np.zeros(len(period_id), dtype=np.int64)
        self.per_period[self.period_pos[starts]] = np.diff(starts, append=n)
        self.ns = _Nanoseconds(self)
        # held on or before the due date (as integers: a review date is never NaT, and a
        # NaT due date, the least integer, is then never reached, as a NaT comparison)
        self.on_time = self.reviewed_by(self.ns.due)
        self.participation = _participation_groups(table["REVIEW_CODE"])[self.rows]

    @property
    def periods(self) -> pd.DataFrame:
        """The periods of care: period_id, CHILD, start, end, eighteen (18th birthday).

        Made when asked for (:func:`review_schedule`): the look-ups read the arrays.
        """
        periods = self._care_periods[["period_id", "CHILD", "start", "end"]].copy()
        periods["eighteen"] = self.eighteen
        return periods

    @property
    def review(self) -> np.ndarray:
        """Each review's date (datetime64[ns]; worked out from the day numbers when the
        dates are whole days)."""
        if self._review is not None:
            return self._review
        return _dates_of(self.review_day, self.day0)

    def reviewed_by(self, limit: int | np.ndarray) -> np.ndarray:
        """Whether each review was held on or before ``limit`` (int64 nanoseconds: one, or
        one per review), compared on the day numbers when the dates are whole days."""
        if self._review is not None:
            return self._review.view(np.int64) <= limit
        day0 = _ns_of(self.day0)
        if np.ndim(limit):
            return _days_on_or_before(self.review_day, day0, np.asarray(limit))
        last = (int(limit) - day0) // _NS_PER_DAY  # the last day on or before it
        return self.review_day <= min(max(last, -1), int(np.iinfo(self.review_day.dtype).max))

    def reviewed_from(self, start: int) -> np.ndarray:
        """Whether each review was held on or after ``start`` (int64 nanoseconds)."""
        if self._review is not None:
            return self._review.view(np.int64) >= start
        first = -((_ns_of(self.day0) - int(start)) // _NS_PER_DAY)  # the first day from it
        return self.review_day >= min(max(first, -1), int(np.iinfo(self.review_day.dtype).max))

    def held_per_period(self, held: np.ndarray) -> np.ndarray:
        """How many of each period's reviews are ``held`` (a mask over the reviews): sums
        over each period's run of reviews (no positions taken per review)."""
        out = np.zeros(len(self.per_period), dtype=np.int64)
        some = np.flatnonzero(self.per_period)
        if len(some):
            small = np.uint16 if self.per_period.max() < 2**16 else np.int64
            out[some] = np.add.reduceat(held, self.first_review[some], dtype=small)
        return out

    def next_due_after(self, held: np.ndarray) -> np.ndarray:
        """The due date (int64 nanoseconds) of each period's review after its first ``held``
        (a count per period): its first review's without one, then the due date of the
        review after the last held, or the period's :attr:`after_last`."""
        if not len(self.due):
            return self.ns.first_due
        within = held < self.per_period
        following = self.ns.due[np.where(within, self.first_review + held, 0)]
        after = np.where(within, following, self.after_last.view(np.int64))
        return np.where(held == 0, self.ns.first_due, after)

    @property
    def took_part(self) -> np.ndarray:
        """Whether each review's code is one of TOOK_PART (read from its group)."""
        return _GROUP_TOOK_PART[self.participation]

    @property
    def aged_4_plus(self) -> np.ndarray:
        """Whether each review's code is one of AGED_4_PLUS (read from its group)."""
        return _GROUP_AGED_4_PLUS[self.participation]


def _participation_groups(codes: pd.Series, chunk: int = 1 << 17) -> np.ndarray:
    """Each row's participation group (its position in ``BREAKDOWN_GROUPS["participation"]``:
    the REVIEW_CODE's own group, else ``not_recorded``, as for a blank code), as int8.
    Worked out a block of rows at a time, each block's distinct codes classified once
    (no full-length 64-bit codes).

    Examples
    --------
    >>> codes = pd.Series(["PN1", None, "PN8", "PN0", "PN1"], dtype=object)
    >>> groups = BREAKDOWN_GROUPS["participation"]
    >>> [groups[g] for g in _participation_groups(codes, chunk=2)]
    ['PN1', 'not_recorded', 'not_recorded', 'PN0', 'PN1']
    """
    groups = BREAKDOWN_GROUPS["participation"]
    known = pd.Index(groups[:-1])
    out = np.empty(len(codes), dtype=np.int8)
    for at in range(0, len(codes), chunk):
        code, distinct = factorize_text(codes.iloc[at : at + chunk])
        # -1 (a blank code) takes the last entry: not_recorded, as an unknown code
        group = known.get_indexer(pd.Index(distinct, dtype=object))
        group = np.append(np.where(group >= 0, group, len(groups) - 1), len(groups) - 1)
        np.take(group.astype(np.int8), code, out=out[at : at + chunk])
    return out


class _Nanoseconds:
    """The schedule's dates as int64 nanoseconds for the comparisons at each period end
    (plain integer comparisons; a missing end or 18th birthday is never reached)."""

    def __init__(self, a: _ScheduleArrays) -> None:
        never = np.iinfo(np.int64).max
        self.due = a.due.view(np.int64)
        self.first_due = a.first_due.view(np.int64)
        self.start = a.start.view(np.int64)
        self.end = np.where(np.isnat(a.end), never, a.end.view(np.int64))
        self.eighteen = a.eighteen_ns
        # whether the due date is before the 18th birthday (a due date on or after it is no
        # event; with no birthday, before it)
        self.before_18 = _less_than_taken(self.due, self.eighteen, a.period_pos)


def _less_than_taken(
    values: np.ndarray, table: np.ndarray, at: np.ndarray, chunk: int = 1 << 16
) -> np.ndarray:
    """``values < table[at]``, a block at a time (no full-length taken copy of ``table``).

    Examples
    --------
    >>> _less_than_taken(np.array([1, 5, 5]), np.array([4, 6]), np.array([0, 0, 1]), 2).tolist()
    [True, False, True]
    """
    out = np.empty(len(values), dtype=bool)
    taken = np.empty(min(len(values), chunk), dtype=table.dtype)
    for first in range(0, len(values), chunk):
        part = at[first : first + chunk]
        np.take(table, part, out=taken[: len(part)])
        np.less(values[first : first + chunk], taken[: len(part)], out=out[first : first + chunk])
    return out


def _ns_of(date: np.datetime64 | None) -> int:
    """A date as int64 nanoseconds.

    Examples
    --------
    >>> _ns_of(np.datetime64("1970-01-02"))
    86400000000000
    """
    if date is None:
        raise ValueError("no date")
    return int(date.astype("datetime64[ns]").astype(np.int64))


def _dates_of(days: np.ndarray, day0: np.datetime64 | None) -> np.ndarray:
    """The dates ``day0 + days`` (whole days) as datetime64[ns].

    Examples
    --------
    >>> days = _dates_of(np.array([0, 3], dtype=np.int32), np.datetime64("2024-02-27"))
    >>> days.astype("datetime64[D]").astype(str).tolist()
    ['2024-02-27', '2024-03-01']
    """
    if day0 is None:
        raise ValueError("dates from day numbers need the date of day 0")
    ns = days.astype(np.int64) * _NS_PER_DAY
    ns += _ns_of(day0)
    return ns.view("datetime64[ns]")


def _days_on_or_before(
    days: np.ndarray, day0: int, limit: np.ndarray, chunk: int = 1 << 16
) -> np.ndarray:
    """``day0 + days * one day <= limit`` (int64 nanoseconds, one limit per day), a block at
    a time (no full-length dates).

    Examples
    --------
    >>> day = 86_400 * 10**9
    >>> _days_on_or_before(np.array([0, 1, 2]), day, np.array([day, day, 4 * day]), 2).tolist()
    [True, False, True]
    """
    out = np.empty(len(days), dtype=bool)
    buffer = np.empty(min(len(days), chunk), dtype=np.int64)
    for first in range(0, len(days), chunk):
        part = buffer[: len(days[first : first + chunk])]
        np.multiply(days[first : first + chunk], np.int64(_NS_PER_DAY), out=part)
        part += day0
        np.less_equal(part, limit[first : first + chunk], out=out[first : first + chunk])
    return out


def _arrays(ctx: Context) -> _ScheduleArrays:
    """The run's :class:`_ScheduleArrays` (built on first use, with its findings)."""
    key = ("reviews", "arrays")
    if key not in ctx.care.cache:
        ctx.care.cache[key] = _ScheduleArrays(ctx)
    return ctx.care.cache[key]


def _period_children(ctx: Context, period_id: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each period's child (a code of the episodes' children: the child of the period's
    first episode) and 18th birthday (:func:`~cppanalytics.dates.birthday` of the header's
    DOB, latest collection year; NaT without), read from the Context's blocks for every
    period and child (built once per dataset, shared by the modules)."""
    child = ctx.period_child_codes()[period_id]
    return child, ctx._eighteenth_birthdays()[child]  # noqa: SLF001


def _first_episodes(ctx: Context) -> np.ndarray:
    """Row of the first episode of each period of care, by ``period_id`` (periods are
    numbered in episode order; cached: asked for at every period end)."""
    key = ("reviews", "first_episodes")
    if key not in ctx.care.cache:
        first = ctx.episodes["first_in_period"].to_numpy(dtype=bool)
        ctx.care.cache[key] = np.flatnonzero(first)
    return ctx.care.cache[key]


def _numbers(first: np.ndarray) -> np.ndarray:
    """Each review's number in its period (1, 2, ...) from where each period's reviews
    begin (``first``: the reviews in period order).

    Examples
    --------
    >>> _numbers(np.array([True, False, False, True, True, False])).tolist()
    [1, 2, 3, 1, 1, 2]
    """
    n = len(first)
    group_start = np.maximum.accumulate(np.where(first, np.arange(n), 0)) if n else first
    return np.arange(n) - group_start + 1


def _shifted_dates(
    p_start: np.ndarray,
    p_day: np.ndarray,
    review: np.ndarray | None,
    day: np.ndarray,
    day0: np.datetime64 | None,
    first: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Each period's first due date (20 working days after its start) and the due date of
    the review after each review held (3 months on from the first of its period,
    ``first``, 6 months on from any later one): worked out once per day of the dates'
    range when ``p_day`` and ``day`` are whole days from ``day0``
    (:func:`_day_numbers_from`), else once per distinct date (:func:`_per_distinct`).

    Examples
    --------
    >>> day0 = np.datetime64("2024-11-29", "ns")
    >>> review = (day0 + np.array([1, 1], dtype="timedelta64[D]")).astype("datetime64[ns]")
    >>> first_due, next_due = _shifted_dates(
    ...     review[:1], np.array([1]), review, np.array([1, 1]), day0, np.array([True, False]))
    >>> next_due.astype("datetime64[D]").astype(str).tolist()
    ['2025-02-28', '2025-05-30']
    """
    first_due = next_due = None
    if day0 is not None:
        first_due = _by_day(p_day, day0, lambda s: add_working_days(s, FIRST_REVIEW_WORKING_DAYS))
        next_due = _next_by_day(day, day0, first)
    if first_due is None:
        (first_due,) = _per_distinct(
            p_start, lambda s: add_working_days(s, FIRST_REVIEW_WORKING_DAYS)
        )
    if next_due is None:
        plus3, plus6 = _per_distinct(
            _dates_of(day, day0) if review is None else review,
            lambda s: _plus_months(s, SECOND_REVIEW_MONTHS),
            lambda s: _plus_months(s, LATER_REVIEW_MONTHS),
        )
        next_due = np.where(first, plus3, plus6)
    return first_due, next_due


def _next_by_day(days: np.ndarray, low: np.datetime64, first: np.ndarray) -> np.ndarray | None:
    """For the dates ``low + days`` (whole days from ``low``), the date 3 months on where
    ``first``, else 6 months on: both shifts worked out once per day of the dates' range
    and read with one take; None when the range is much larger than the rows (as
    :func:`_by_day`).

    Examples
    --------
    >>> low = np.datetime64("2024-11-30", "ns")
    >>> out = _next_by_day(np.array([0, 0, 2]), low, np.array([True, False, True]))
    >>> out.astype("datetime64[D]").astype(str).tolist()
    ['2025-02-28', '2025-05-30', '2025-03-02']
    """
    if not len(days):
        return np.zeros(0, dtype="datetime64[ns]")
    found = _day_span(days, low)
    if found is None:
        return None
    span, lo = found
    # 6 months on for each day, then 3 months on: a first review reads the second half
    table = np.concatenate(
        [
            _plus_months(span, LATER_REVIEW_MONTHS).to_numpy(dtype="datetime64[ns]"),
            _plus_months(span, SECOND_REVIEW_MONTHS).to_numpy(dtype="datetime64[ns]"),
        ]
    )
    at = np.empty(len(days), dtype=position_type(len(table)))
    np.subtract(days, lo, out=at, casting="unsafe")
    np.add(at, len(span), out=at, where=first, casting="unsafe")
    return table[at]  # (a take would copy the int32 positions to 64-bit first)


def _rows_at(rows: np.ndarray | None, positions: np.ndarray) -> np.ndarray:
    """``rows[positions]``, ``rows`` None standing for every row (then the positions are
    the rows).

    Examples
    --------
    >>> at = np.array([2, 0])
    >>> _rows_at(None, at).tolist(), _rows_at(np.array([4, 7, 9]), at).tolist()
    ([2, 0], [9, 4])
    """
    return positions if rows is None else rows[positions]


def _place_in_periods(
    ctx: Context,
    table: pd.DataFrame,
    rows: np.ndarray | None,
    kept: np.ndarray,
    k_key: np.ndarray,
    p_key: np.ndarray,
    upper: np.ndarray,
    when: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """The period of care of each kept review that has one (the child's latest period
    starting on or before it, if the review is not after its end) as a row of the
    periods, and whether each kept review has one; those with none go to
    :func:`_outside`, by date. ``kept`` are the reviews (their positions in ``rows`` and
    ``when``) in order of their keys ``k_key``; ``k_key`` and
    ``p_key`` are (child, date) and (child, start) as ``child * width + day``
    (:func:`_day_numbers_from`), so they sort as the pairs do; a review in a period is
    below the period's ``upper`` key (:func:`_period_upper_keys`)."""
    if len(p_key) < 2 or not (p_key[1:] < p_key[:-1]).any():  # in order already (the usual)
        # period j's reviews start at its place among the keys and stop at the next's
        places = np.searchsorted(k_key, p_key, side="left")
        stops = np.append(places[1:], len(k_key))
        row, inside = _segments_inside(places, stops, np.searchsorted(k_key, upper, "left"))
    else:
        order = np.argsort(p_key, kind="stable")
        pos = np.searchsorted(p_key[order], k_key, side="right") - 1
        row = order[np.maximum(pos, 0)]
        inside = k_key < upper[row]
        inside &= pos >= 0
        row = row[inside]
    if not inside.all():
        _outside_by_date(ctx, table, rows, kept, inside, when)
    return row, inside


def _segments_inside(
    places: np.ndarray, stops: np.ndarray, cuts: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Segments ``places[j]..stops[j]`` (ascending, each starting where the last stopped,
    the first after a lead of items in none), each kept from its start up to ``cuts[j]``:
    the segment of each kept item (int32 when it fits) and a mask of the kept items over
    every item up to the last stop. Made by repeating values, no full-length positions.

    Examples
    --------
    >>> row, kept = _segments_inside(np.array([1, 3, 3]), np.array([3, 3, 6]),
    ...     np.array([2, 9, 5]))
    >>> row.tolist(), kept.astype(int).tolist()
    ([0, 2, 2], [0, 1, 0, 1, 1, 0])
    """
    cut = np.minimum(np.maximum(cuts, places), stops)
    lengths = np.empty(2 * len(places) + 1, dtype=np.int64)
    lengths[0] = places[0] if len(places) else 0
    lengths[1::2] = cut - places
    lengths[2::2] = stops - cut
    flags = np.zeros(len(lengths), dtype=bool)
    flags[1::2] = True
    segment = np.arange(len(places), dtype=position_type(len(places)))
    return np.repeat(segment, lengths[1::2]), np.repeat(flags, lengths)


def _last_days(
    end: pd.Series | np.ndarray,
    day0: np.datetime64 | None,
    first: np.ndarray,
    second: np.ndarray,
) -> np.ndarray:
    """The last day number on or before each of ``end`` (NaT: the greatest int64) on the
    scale of :func:`_day_numbers_from` of ``first`` and ``second``: a date with day number
    ``k`` is on or before ``end`` exactly when ``k <= _last_days(end, ...)``.

    Examples
    --------
    >>> d = pd.to_datetime(["2024-01-01", "2024-01-03"]).to_numpy()
    >>> end = pd.Series([pd.Timestamp("2024-01-02 12:00"), None, pd.Timestamp("2023-12-31")])
    >>> _last_days(end, d[0], d, d[:0]).tolist()[::2]
    [1, -1]
    >>> _last_days(end, None, d, d[:0]).tolist()[::2]
    [0, -1]
    """
    ns = np.asarray(end, dtype="datetime64[ns]")
    if day0 is not None:
        out = (ns.view(np.int64) - day0.astype("datetime64[ns]").view(np.int64)) // _NS_PER_DAY
    else:  # ranks: the distinct dates on or before it, less one
        distinct = np.unique(np.concatenate([first, second]).astype("datetime64[ns]"))
        out = np.searchsorted(distinct, ns, side="right").astype(np.int64) - 1
    out[np.isnat(ns)] = np.iinfo(np.int64).max
    return out


def _period_upper_keys(child: np.ndarray, width: np.int64, last_day: np.ndarray) -> np.ndarray:
    """For each period (its child, and the last day number in it: :func:`_last_days`), the
    least key ``child * width + day`` above every review in it: reviews of the same child
    on or before its last day (every day of that child when it has no end).

    Examples
    --------
    >>> last = np.array([3, np.iinfo(np.int64).max, 12])
    >>> _period_upper_keys(np.array([0, 1, 2]), np.int64(10), last).tolist()
    [4, 20, 30]
    """
    # (a day of the period's child is below ``width``)
    return child.astype(np.int64) * width + np.minimum(last_day, width - 1) + 1


def _outside_by_date(
    ctx: Context,
    table: pd.DataFrame,
    rows: np.ndarray | None,
    kept: np.ndarray,
    inside: np.ndarray,
    when: np.ndarray,
) -> None:
    """:func:`_outside` of the kept reviews not ``inside`` a period (``kept``: positions
    in ``rows`` and ``when``), ordered by date; reviews on the same date in the order a
    sort of every kept review's date (in row order) gives them."""
    outside = kept[~inside]
    if len(np.unique(when[outside])) == len(outside):  # no ties: any sort orders them
        by_date = outside[np.argsort(when[outside])]
    else:  # ties: the order the kept reviews (in row order) sorted by date gives them
        in_rows = np.zeros(len(when), dtype=bool)
        in_rows[kept] = True
        kept_rows = np.flatnonzero(in_rows)  # the kept reviews in row order
        out_rows = np.zeros(len(when), dtype=bool)
        out_rows[outside] = True
        out = out_rows[kept_rows]
        every = pd.Series(when[kept_rows]).sort_values().index.to_numpy()
        by_date = kept_rows[every[out[every]]]
    found = table.iloc[_rows_at(rows, by_date)].astype({"CHILD": object})
    _outside(ctx, found.reset_index(drop=True))


def _outside(ctx: Context, rows: pd.DataFrame) -> None:
    """``review_outside_care`` findings for reviews in no period of care (short breaks
    excepted)."""
    if rows.empty:
        return
    eps = ctx.data.tables.get("episodes", pd.DataFrame())
    breaks = eps[eps["LS"].isin(["V3", "V4"])] if len(eps) else eps
    if len(breaks):
        dec = breaks["DEC"].fillna(pd.Timestamp.max)
        spans = (
            rows[["CHILD", "REVIEW"]]
            .reset_index()
            .merge(
                pd.DataFrame({"CHILD": breaks["CHILD"], "s": breaks["DECOM"], "e": dec}), on="CHILD"
            )
        )
        on_break = spans[(spans["REVIEW"] >= spans["s"]) & (spans["REVIEW"] <= spans["e"])]
        rows = rows[~rows.index.isin(set(on_break["index"]))]
    if rows.empty:
        return
    ctx.findings.extend(
        row_findings(
            rows,
            severity="warning",
            code="review_outside_care",
            table="reviews",
            column="REVIEW",
            value=rows["REVIEW"].dt.strftime("%d/%m/%Y"),
            message="This review date falls in no period of care of the child, so it is not "
            "counted in the review measures.",
            fix="Check the review date and the child's episode dates.",
            indicators=IDS,
        )
    )


def _event_arrays(
    ctx: Context, start: pd.Timestamp, end: pd.Timestamp
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Due events in the window as arrays: (review rows held, period rows missed, the
    missed reviews' due dates)."""
    a = _arrays(ctx)
    s, d = as_date(start).value, as_date(end).value  # as the int64 nanoseconds of `a.ns`
    before = a.reviewed_by(d)
    held = before & a.ns.before_18
    held &= a.ns.due >= s
    held &= a.ns.due <= d
    nxt = a.next_due_after(a.held_per_period(before))
    stop = np.minimum(a.ns.end, d)
    overdue = (a.ns.start <= d) & (nxt >= s) & (nxt < stop) & (nxt < a.ns.eighteen)
    return np.flatnonzero(held), np.flatnonzero(overdue), nxt.view("datetime64[ns]")


def due_events(ctx: Context, start: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame:
    """Due events in the window ``start``..``end`` (= D): CHILD, period_id, due, met.

    A held review whose due date is in the window is an event (met = held on time); the
    review due after the last one held is an event when it fell due in the window before D
    while the child was still in that period of care (met = False). Due dates on or after
    the 18th birthday are no events.
    """
    reviews, periods = review_schedule(ctx)
    held, missed, nxt = _event_arrays(ctx, start, end)
    rows = reviews.iloc[held]
    return pd.concat(
        [
            pd.DataFrame(
                {
                    "CHILD": rows["CHILD"].to_numpy(),
                    "period_id": rows["period_id"].to_numpy(),
                    "due": rows["due"].to_numpy(),
                    "met": rows["on_time"].to_numpy(dtype=bool),
                }
            ),
            pd.DataFrame(
                {
                    "CHILD": periods["CHILD"].to_numpy()[missed],
                    "period_id": periods["period_id"].to_numpy()[missed],
                    "due": pd.Series(nxt[missed], dtype="datetime64[ns]"),
                    "met": np.zeros(len(missed), dtype=bool),
                }
            ),
        ],
        ignore_index=True,
    )


def _on_time_counts(ctx: Context, start: pd.Timestamp, end: pd.Timestamp) -> tuple[int, int]:
    """(children looked after at D all of whose due events in the window were met, children
    looked after at D with a due event in the window)."""
    a = _arrays(ctx)
    held, missed, _ = _event_arrays(ctx, start, end)
    k = len(ctx.episode_child_codes()[1])
    in_cla = np.zeros(k, dtype=bool)
    in_cla[ctx.episode_child_codes()[0][ctx.cla_at_positions()]] = True
    return _children_all_met(in_cla, a.review_child[held], a.on_time[held], a.period_child[missed])


def _children_all_met(
    counted: np.ndarray, held_child: np.ndarray, held_met: np.ndarray, missed_child: np.ndarray
) -> tuple[int, int]:
    """Of the children ``counted`` (a mask by child code) with at least one due event (a
    review held, child ``held_child``, met where ``held_met``; or a review missed, child
    ``missed_child``, never met): how many had every event met, and how many there were.
    Two marks per child (an event; an event not met), no counting of events.

    Examples
    --------
    >>> _children_all_met(np.array([True, True, True, False]), np.array([0, 0, 1, 3]),
    ...     np.array([True, True, False, True]), np.array([2]))
    (1, 3)
    """
    event = np.zeros(len(counted), dtype=bool)
    event[held_child] = True
    event[missed_child] = True
    not_met = np.zeros(len(counted), dtype=bool)
    not_met[held_child[~held_met]] = True
    not_met[missed_child] = True
    event &= counted
    return int((event & ~not_met).sum()), int(event.sum())


def _held_mask(ctx: Context, start: pd.Timestamp, end: pd.Timestamp) -> np.ndarray:
    """Reviews held in the window (a mask over the schedule's rows; cached per window)."""
    key = ("reviews", "held", start, end)
    if key not in ctx.care.cache:
        a = _arrays(ctx)
        ctx.care.cache[key] = a.reviewed_from(as_date(start).value) & a.reviewed_by(
            as_date(end).value
        )
    return ctx.care.cache[key]


class _Held(NamedTuple):
    """Counts of the reviews held in a window (:func:`_held_counts`)."""

    held: int
    on_time: int
    took_part: int
    aged_4_plus: int
    participation: np.ndarray  # per group of BREAKDOWN_GROUPS["participation"]


def _held_counts(ctx: Context, start: pd.Timestamp, end: pd.Timestamp) -> _Held:
    """The reviews held in the window counted (cached per window): from running totals by
    day worked out once per run (:class:`_DayTotals`; a window is then two look-ups, at
    any number of period ends), or from :func:`_held_mask` when the dates are not whole
    days."""
    key = ("reviews", "held_counts", start, end)
    if key not in ctx.care.cache:
        a = _arrays(ctx)
        if a.day0 is None:
            held = _held_mask(ctx, start, end)
            groups = len(BREAKDOWN_GROUPS["participation"])
            ctx.care.cache[key] = _Held(
                int(held.sum()),
                int(a.on_time[held].sum()),
                int(a.took_part[held].sum()),
                int(a.aged_4_plus[held].sum()),
                np.bincount(a.participation[held], minlength=groups),
            )
        else:
            ctx.care.cache[key] = _day_totals(ctx).between(start, end)
    return ctx.care.cache[key]


class _DayTotals:
    """Running totals, by day of the schedule's whole-day dates, of the reviews held, held
    on time, with a PN1-PN6 code, with a PN1-PN7 code, and of each participation group:
    the reviews held in ``start``..``end`` are a difference of two rows.

    Examples
    --------
    >>> from cppanalytics.ssda903.dataset import Dataset
    >>> from cppanalytics.indicators.context import Context
    >>> ds = Dataset.from_tables({"episodes": pd.DataFrame({"CHILD": ["1"],
    ...     "DECOM": ["01/04/2024"], "RNE": ["S"], "LS": ["C2"], "PLACE": ["U4"], "DEC": [""],
    ...     "REC": [""]}), "reviews": pd.DataFrame({"CHILD": ["1"], "REVIEW": ["29/04/2024"],
    ...     "REVIEW_CODE": ["PN1"]})})
    >>> totals = _day_totals(Context(ds, "2024-06-30"))
    >>> totals.between(pd.Timestamp("2024-04-29"), pd.Timestamp("2024-06-30"))[:4]
    (1, 1, 1, 1)
    >>> totals.between(pd.Timestamp("2024-04-30"), pd.Timestamp("2024-06-30"))[:4]
    (0, 0, 0, 0)
    """

    def __init__(self, a: _ScheduleArrays) -> None:
        if a.day0 is None:  # (asked for only when the dates are whole days)
            raise ValueError("running totals by day need dates that are whole days")
        days = a.review_day
        self.day0 = int(a.day0.astype("datetime64[ns]").astype(np.int64))
        self.days = int(days.max()) + 1 if len(days) else 0
        self.groups = len(BREAKDOWN_GROUPS["participation"])
        # one count per (day, participation group, on time or not): every total is a sum
        # of these (a code of TOOK_PART or AGED_4_PLUS is a group of its own)
        cell = days.astype(np.int64) * (2 * self.groups)
        cell += 2 * a.participation
        cell += a.on_time
        per = np.bincount(cell, minlength=self.days * 2 * self.groups)
        per = per.reshape(self.days, self.groups, 2)
        groups = per.sum(axis=2)
        by_day = np.stack(
            [
                groups.sum(axis=1),
                per[:, :, 1].sum(axis=1),
                groups[:, _GROUP_TOOK_PART].sum(axis=1),
                groups[:, _GROUP_AGED_4_PLUS].sum(axis=1),
            ],
            axis=1,
        ).reshape(self.days, 4)
        both = np.concatenate([by_day, groups], axis=1).astype(np.int64, copy=False)
        self.totals = np.concatenate([np.zeros((1, both.shape[1]), np.int64), both.cumsum(0)])

    def between(self, start: pd.Timestamp, end: pd.Timestamp) -> _Held:
        """The counts of the reviews held on ``start``..``end`` (inclusive)."""
        first = -((self.day0 - as_date(start).value) // _NS_PER_DAY)  # the first day in
        last = (as_date(end).value - self.day0) // _NS_PER_DAY  # the last day in
        lo = min(max(int(first), 0), self.days)
        hi = max(min(int(last) + 1, self.days), lo)
        counts = self.totals[hi] - self.totals[lo]
        held, on_time, took_part, aged_4_plus = (int(c) for c in counts[:4])
        return _Held(held, on_time, took_part, aged_4_plus, counts[4:])


def _day_totals(ctx: Context) -> _DayTotals:
    """The run's :class:`_DayTotals` (built on first use)."""
    key = ("reviews", "day_totals")
    if key not in ctx.care.cache:
        ctx.care.cache[key] = _DayTotals(_arrays(ctx))
    return ctx.care.cache[key]


def _prev_perm_counts(ctx: Context, starters: pd.DataFrame) -> np.ndarray:
    """The starters counted by the group of their PrevPerm code (latest year's row;
    ``not_recorded`` else), in the order of ``BREAKDOWN_GROUPS["prev_perm"]``."""
    group, recorded = _prev_perm_codes(ctx)
    # starters are periods of care: their children are their first episodes'
    first = _first_episodes(ctx)[starters["period_id"].to_numpy(dtype=np.int64)]
    child = ctx.episode_child_codes()[0][first]
    found = group[child]
    counts = np.bincount(found[found >= 0], minlength=len(BREAKDOWN_GROUPS["prev_perm"]))
    no_row = ~recorded[child]
    if no_row.any():
        rows = starters[no_row]
        ctx.findings.extend(
            row_findings(
                rows,
                severity="warning",
                code="prev_perm_missing",
                table="prev_perm",
                column="PREV_PERM",
                message="This child started a period of care but has no PrevPerm row, so their "
                "previous permanence is shown as not recorded.",
                fix="Add the child's PrevPerm row (Z1 when there was no previous permanence "
                "or it is not known).",
                indicators="started_by_prev_perm",
            )
        )
    return counts


def _prev_perm_codes(ctx: Context) -> tuple[np.ndarray, np.ndarray]:
    """For every child code (and a last slot for a child with no episode): the group of its
    PrevPerm code (latest year's row; ``not_recorded`` without a row, with a blank code or
    with an unknown code), as its position in ``BREAKDOWN_GROUPS["prev_perm"]``, and
    whether a code was recorded (a row with a code, known or not). Each distinct code is
    classified once per run."""
    key = ("reviews", "prev_perm")
    if key not in ctx.care.cache:
        k = len(ctx.episode_child_codes()[1])
        prev = ctx.data.tables.get("prev_perm", pd.DataFrame())
        value = np.full(k + 1, -1, dtype=np.int64)  # the code's position in `distinct`
        distinct: list = []
        if len(prev):
            # every row's child as a code (no text hashed), then each child's latest row
            # (as ctx.latest reads them) found on the codes
            child = ctx.table_child_codes("prev_perm")
            rows = latest_positions(child, year_order(prev))
            code, uniques = factorize_text(prev["PREV_PERM"])
            value[child[rows]] = code[rows]
            distinct = list(uniques)
        labels = [*(PREV_PERM_GROUPS.get(c, "not_recorded") for c in distinct), "not_recorded"]
        position = pd.Index(BREAKDOWN_GROUPS["prev_perm"]).get_indexer(labels)
        group = position.astype(np.int64)[value]
        ctx.care.cache[key] = (group, value >= 0)
    return ctx.care.cache[key]


def compute(ctx: Context, ids: set[str]) -> list[Block]:
    """Review, participation and previous-permanence indicators at ``ctx.period_end``."""
    d = ctx.period_end
    out: list[Block] = []
    if "reviews_on_time" in ids:
        w = ctx.window("reviews_on_time")
        num, den = _on_time_counts(ctx, *w)
        out.append(
            block("reviews_on_time", d, w, numerator=[num], denominator=[den], unit="percent")
        )
    if "reviews_held_on_time" in ids:
        w = ctx.window("reviews_held_on_time")
        held = _held_counts(ctx, *w)
        out.append(
            block(
                "reviews_held_on_time",
                d,
                w,
                numerator=[held.on_time],
                denominator=[held.held],
                unit="percent",
            )
        )
    if "review_participation_pct" in ids:
        w = ctx.window("review_participation_pct")
        held = _held_counts(ctx, *w)
        out.append(
            block(
                "review_participation_pct",
                d,
                w,
                numerator=[held.took_part],
                denominator=[held.aged_4_plus],
                unit="percent",
            )
        )
    if "review_participation" in ids:
        w = ctx.window("review_participation")
        held = _held_counts(ctx, *w)
        out.append(breakdown_counts(ctx, "review_participation", held.participation, held.held, w))
    if "started_by_prev_perm" in ids:
        w = ctx.window("started_by_prev_perm")
        starters = started_in_window(ctx, *w)
        counts = _prev_perm_counts(ctx, starters)
        out.append(breakdown_counts(ctx, "started_by_prev_perm", counts, len(starters), w))
    return out
