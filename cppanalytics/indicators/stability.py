"""Placement stability: short-term (3+ placements), 2-year, long-term, in-year tracking.

Definitions (``shared/spec/indicators.md``, "Stability"; placements and carer spells from
:mod:`cppanalytics.care`):

* ``stability_3plus_placements``: of children looked after at D, % with 3 or more
  placements overlapping the window (placements open at the window start count; all the
  child's placements in the window count, across periods of care). Written once per window:
  the default ``r12`` (or the caller's override) and ``fytd``. Project choice: when the two
  windows are the same dates (at 31 March) the row is written once.
* ``stability_2yr_3plus``: of children looked after at D whose period of care began on or
  before D − 2 years, % with 3+ placements overlapping the 24 months ending D.
* ``stability_long_term``: of children looked after at D, aged under 16 at D (a child with
  no DOB is left out), whose period of care began on or before D − 2 years 6 months, %
  whose current carer spell began on or before D − 2 years; a child whose current episode
  (the placement held, for a temporary one) is A3-A6 also counts when the carer spell
  holding the episode just before the current run of A3-A6 episodes began on or before
  D − 2 years.
* ``stability_long_term_yearend_max``: the same measure taken at the coming 31 March
  (Y) for the children looked after at D, assuming nobody leaves and nobody moves: cohort
  = looked after at D, under 16 at Y, period began on or before Y − 2 years 6 months;
  numerator = current carer spell (or A3-A6 rule) began on or before Y − 2 years. The note
  carries the counts of the 1 April cohort who left care and who moved since 1 April;
  :func:`long_term_tracking` gives the full in-year tracking table.

Year-end range (:func:`yearend_range`), the panel paper's "best and worst case" for the two
in-year stability measures, taken for the children looked after at D:

* ``stability_3plus_placements`` (since 1 April): best = nobody moves again before 31 March
  (the year-to-date count holds); worst = every child with 2 placements so far this year
  moves once more. Denominator: children looked after at D.
* ``stability_long_term``: best = nobody leaves or moves
  (``stability_long_term_yearend_max``); worst = none of the children still short of 2
  years with their current carers gets there (only those already 2 years with their
  carers at D count as stable). Denominator: the 31 March cohort if nobody leaves.

Examples
--------
>>> from cppanalytics.ssda903.dataset import Dataset
>>> from cppanalytics.indicators.context import Context
>>> from cppanalytics.results import rows_frame
>>> ds = Dataset.from_tables({"episodes": pd.DataFrame({"CHILD": ["1"] * 3,
...     "DECOM": ["01/01/2024", "01/02/2024", "01/03/2024"], "RNE": ["S", "P", "P"],
...     "LS": ["C2"] * 3, "PLACE": ["U4", "U4", "K2"], "DEC": ["01/02/2024", "01/03/2024", ""],
...     "REC": ["X1", "X1", ""]})})
>>> rows_frame(compute(Context(ds, "2024-03-31"), {"stability_3plus_placements"}))["value"].tolist()
[100.0]
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, NamedTuple

import numpy as np
import pandas as pd

from cppanalytics.care.episodes import ADOPTION_PLACES
from cppanalytics.care.groups import age_band
from cppanalytics.dates import (
    age_at,
    financial_year_start,
    minus_months,
    minus_years,
    window,
    year_end,
)
from cppanalytics.indicators.catalogue import BREAKDOWN_GROUPS
from cppanalytics.indicators.population import period_codes
from cppanalytics.results import Block, block

if TYPE_CHECKING:  # pragma: no cover
    from cppanalytics.indicators.context import Context

IDS: tuple[str, ...] = (
    "stability_3plus_placements",
    "stability_2yr_3plus",
    "stability_long_term",
    "stability_long_term_yearend_max",
)


def placement_counts(ctx: Context, start: pd.Timestamp, end: pd.Timestamp) -> pd.Series:
    """Number of placements of each child overlapping ``start``..``end`` (index CHILD).

    Examples
    --------
    >>> from cppanalytics.ssda903.dataset import Dataset
    >>> from cppanalytics.indicators.context import Context
    >>> placement_counts(Context(Dataset(), "2024-03-31"), pd.Timestamp("2023-04-01"),
    ...                  pd.Timestamp("2024-03-31")).sum()
    np.int64(0)
    """
    key = ("placement_counts", start, end)
    if key not in ctx.care.cache:  # indicators at each period end share windows
        p = ctx.placements
        mask = (p["start"] <= end) & (p["end"].isna() | (p["end"] >= start))
        ctx.care.cache[key] = p.loc[mask, "CHILD"].value_counts()
    return ctx.care.cache[key]


def placement_counts_by_code(ctx: Context, start: pd.Timestamp, end: pd.Timestamp) -> np.ndarray:
    """:func:`placement_counts` for every child, as an array indexed by the child's code
    (:meth:`~cppanalytics.indicators.context.Context.episode_child_codes`; 0 for a child
    with none): one ``bincount`` over the placements' codes, cached per window.

    Examples
    --------
    >>> from cppanalytics.ssda903.dataset import Dataset
    >>> from cppanalytics.indicators.context import Context
    >>> ds = Dataset.from_tables({"episodes": pd.DataFrame({"CHILD": ["1", "1", "2"],
    ...     "DECOM": ["01/01/2024", "01/02/2024", "01/03/2024"], "RNE": ["S", "P", "S"],
    ...     "LS": ["C2"] * 3, "PLACE": ["U4", "K2", "U4"], "DEC": ["01/02/2024", "", ""],
    ...     "REC": ["X1", "", ""]})})
    >>> ctx = Context(ds, "2024-03-31")
    >>> placement_counts_by_code(ctx, pd.Timestamp("2024-02-01"), ctx.period_end).tolist()
    [2, 1]
    """
    key = ("placement_counts_by_code", start, end)
    if key not in ctx.care.cache:
        sweep = _sweep(ctx)
        if sweep is not None and start <= end and end in sweep.began and start in sweep.gone:
            # those starting on or before ``end`` less those ended before ``start`` (a
            # placement ends no earlier than it starts: :func:`_sweep`)
            counts = sweep.began[end].astype(np.int64) - sweep.gone[start]
        else:
            a = _arrays(ctx)
            s, e = np.datetime64(start, "ns"), np.datetime64(end, "ns")
            over = (a.placement_start <= e) & (a.placement_open | (a.placement_end >= s))
            counts = np.bincount(a.placement_child[over], minlength=a.n_children)
        ctx.care.cache[key] = counts
    return ctx.care.cache[key]


class _Sweep(NamedTuple):
    """Per child, how many placements started on or before each date (``began``) and how
    many had ended before each date (``gone``), for the dates of a run's windows."""

    began: dict[pd.Timestamp, np.ndarray]
    gone: dict[pd.Timestamp, np.ndarray]


#: the indicators whose windows :func:`_sweep` prepares (with ``fytd``): the stability
#: measures count their children's placements only (:func:`_counts_of`)
_COUNTED_IN: tuple[str, ...] = ("placement_change_reason",)


def _sweep(ctx: Context) -> _Sweep | None:
    """The placements counted at every window of a many-period-end run in one pass
    (:func:`_cumulative`: each placement counted once) instead of a pass over every
    placement per window; None for a run of few ends, or when a placement ends before it
    starts or has no start (then ``began`` less ``gone`` would not be the count).

    Examples
    --------
    >>> from cppanalytics.ssda903.dataset import Dataset
    >>> from cppanalytics.indicators.context import Context
    >>> _sweep(Context(Dataset(), "2024-03-31")) is None  # one period end
    True
    """
    key = ("stability", "sweep")
    if key in ctx.care.cache:
        return ctx.care.cache[key]
    ends = ctx.care.cache.get("period_ends") or [ctx.period_end]
    a = _arrays(ctx)
    start, end = a.placement_start, a.placement_end
    closed = ~a.placement_open
    usable = (
        len(ends) >= SWEEP_FROM_ENDS
        and not np.isnat(start).any()
        and bool((start[closed] <= end[closed]).all())
    )
    if not usable:
        ctx.care.cache[key] = None
        return None
    windows = {
        ctx.at(d).window(i, kind) for d in ends for i in _COUNTED_IN for kind in (None, "fytd")
    }
    child = a.placement_child.astype(np.int64)
    began = _cumulative(child, start.view("int64"), {w[1] for w in windows}, "right", a.n_children)
    gone = _cumulative(
        child[closed], end[closed].view("int64"), {w[0] for w in windows}, "left", a.n_children
    )
    ctx.care.cache[key] = _Sweep(began, gone)
    return ctx.care.cache[key]


#: from how many period ends a run sweeps the placements once (:func:`_sweep`)
SWEEP_FROM_ENDS = 4


def _cumulative(
    child: np.ndarray, when: np.ndarray, dates: set[pd.Timestamp], side: str, size: int
) -> dict[pd.Timestamp, np.ndarray]:
    """For each date, per child code (of ``size``), how many of the rows (``when``: int64
    ns) fall on or before it (``side="right"``) or before it (``"left"``): each row
    placed at the first date counting it (one binary search among the few dates), counted
    per (date, child) in one ``bincount`` and summed over the dates.

    Examples
    --------
    >>> d = [pd.Timestamp("2024-01-01"), pd.Timestamp("2024-02-01")]
    >>> when = np.array([d[0].value, d[0].value, d[1].value])
    >>> out = _cumulative(np.array([0, 1, 1]), when, set(d), "left", 2)
    >>> out[d[0]].tolist(), out[d[1]].tolist()
    ([0, 0], [1, 1])
    """
    order = sorted(dates)
    stamps = np.array([d.value for d in order], dtype=np.int64)
    # "right": counted from the first date on or after it; "left": after it
    first = np.searchsorted(stamps, when, side="left" if side == "right" else "right")
    counted = first < len(order)
    cells = np.bincount(first[counted] * size + child[counted], minlength=len(order) * size)
    running = cells.astype(np.int32).reshape(len(order), size)
    for k in range(1, len(order)):  # row by row: a cumsum down the columns is slower
        running[k] += running[k - 1]
    return {d: running[k] for k, d in enumerate(order)}


class _StabilityArrays:
    """Per-placement arrays the stability measures read at every period end (built once per
    run: :func:`_arrays`), and what the long-term measure reads of given episodes, taken
    for those episodes only (:meth:`rows`, :meth:`ids`): no array over every episode is
    made for it."""

    def __init__(self, ctx: Context) -> None:
        self.child, children = ctx.episode_child_codes()
        self.n_children = len(children)
        self.placement_child = placement_children(ctx)
        p = ctx.placements
        self.placement_start = p["start"].to_numpy(dtype="datetime64[ns]")
        self.placement_end = p["end"].to_numpy(dtype="datetime64[ns]")
        self.placement_open = np.isnat(self.placement_end)
        # a child's placements adjacent, in code order (as placements are made), so the
        # placements of a few children are found by binary search (:func:`_counts_of`)
        pc = self.placement_child
        self.in_child_order = len(pc) < 2 or bool((pc[1:] >= pc[:-1]).all())
        self._episodes = ctx.episodes
        # each header row's DOB year and month * 100 + day (worked out once per run by the
        # context), read through the header rows of the episodes asked about
        self._birth_parts = ctx._header_birth_parts  # noqa: SLF001
        self._header_rows_at = ctx._header_rows_at  # noqa: SLF001
        self._last: tuple[np.ndarray, tuple[np.ndarray, np.ndarray, np.ndarray]] | None = None

    def long_term(
        self, pos: np.ndarray, at: pd.Timestamp, spell_by: pd.Timestamp | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """:func:`long_term_stable` for the episodes at row positions ``pos``."""
        return self.long_term_of(self.rows(pos), at, spell_by)

    def rows(self, pos: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """What :meth:`long_term_of` reads of the episodes at row positions ``pos`` (taken
        once for several dates; the last positions' are kept for the next call).

        Under 16 at a date as :func:`cppanalytics.dates.age_at` counts it: the date, as
        year * 10000 + mmdd, is before the 16th birthday written so (29 Feb births turn 16
        on 1 March); no DOB: never under 16. A carer spell (or, in a run of A3-A6
        episodes, the spell before it) counts from the earlier of the two starts; none:
        never.
        """
        if self._last is not None and self._last[0] is pos:
            return self._last[1]
        year, mmdd, unknown = self._birth_parts()
        head = self._header_rows_at(pos)  # no header row (-1): no DOB
        sixteen = np.add(year[head], 16, dtype=np.int64)
        sixteen *= 10000
        sixteen += mmdd[head]
        sixteen[unknown[head]] = np.iinfo(np.int64).min
        eps = self._episodes
        held = eps["held_PLACE"].array.take(pos)
        held_adoption = np.asarray(held.isin(list(ADOPTION_PLACES)), dtype=bool)
        stable_from = _days_at(eps["pre_adoption_spell_start"], pos)
        stable_from[~held_adoption] = _NEVER
        np.minimum(stable_from, _days_at(eps["carer_spell_start"], pos), out=stable_from)
        rows = (sixteen, _days_at(eps["period_start"], pos), stable_from)
        self._last = (pos, rows)
        return rows

    def ids(self, pos: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The period id and carer spell id (-1: none) of the episodes at ``pos``.

        Examples
        --------
        >>> from cppanalytics.ssda903.dataset import Dataset
        >>> from cppanalytics.indicators.context import Context
        >>> ds = Dataset.from_tables({"episodes": pd.DataFrame({"CHILD": ["1", "2"],
        ...     "DECOM": ["01/01/2024"] * 2, "RNE": ["S"] * 2, "LS": ["C2"] * 2,
        ...     "PLACE": ["U4", "T0"], "DEC": ["", ""], "REC": ["", ""]})})
        >>> [a.tolist() for a in _arrays(Context(ds, "2024-03-31")).ids(np.array([1, 0]))]
        [[1, 0], [-1, 0]]
        """
        eps = self._episodes
        period = eps["period_id"].to_numpy(dtype=np.int64)[pos]
        spell = eps["carer_spell_id"].array.take(pos)
        return period, np.asarray(spell.to_numpy(dtype=np.int64, na_value=-1))

    @staticmethod
    def long_term_of(
        rows: tuple[np.ndarray, np.ndarray, np.ndarray],
        at: pd.Timestamp,
        spell_by: pd.Timestamp | None = None,
    ) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`long_term` of the episodes whose :meth:`rows` are ``rows``."""
        sixteen, period_start, stable_from = rows
        cohort = sixteen > at.year * 10000 + at.month * 100 + at.day
        cohort &= period_start <= _months_before(at, 30)
        two_years = _years_before(at if spell_by is None else spell_by, 2)
        return cohort, cohort & (stable_from <= two_years)


def placement_children(ctx: Context) -> np.ndarray:
    """The child code (:meth:`~cppanalytics.indicators.context.Context.episode_child_codes`)
    of every placement, read from its period's child
    (:func:`~cppanalytics.indicators.population.period_codes`): one look-up per placement.
    When a period id is not a prepared period, each placement is read from its first
    episode (placement k starts at the k-th episode starting a placement).

    Examples
    --------
    >>> from cppanalytics.ssda903.dataset import Dataset
    >>> from cppanalytics.indicators.context import Context
    >>> ds = Dataset.from_tables({"episodes": pd.DataFrame({"CHILD": ["b", "b", "a"],
    ...     "DECOM": ["01/01/2024", "01/02/2024", "01/03/2024"], "RNE": ["S", "P", "S"],
    ...     "LS": ["C2"] * 3, "PLACE": ["U4", "K2", "U4"], "DEC": ["01/02/2024", "", ""],
    ...     "REC": ["X1", "", ""]})})
    >>> placement_children(Context(ds, "2024-03-31")).tolist()
    [0, 1, 1]
    """
    p = ctx.placements
    codes = period_codes(ctx, p["period_id"])
    if codes is not None:
        return codes
    first = np.flatnonzero(ctx.episodes["new_placement"].to_numpy(dtype=bool))
    return ctx.episode_child_codes()[0][first[p["placement_id"].to_numpy(dtype=np.int64)]]


#: a date that never comes (NaT in :func:`_days`)
_NEVER = np.iinfo(np.int64).max


def _days(dates: pd.Series) -> np.ndarray:
    """Dates as day numbers (int64; NaT as :data:`_NEVER`, after every date), a time of day
    rounding up to the next day: ``x <= t`` for a date ``t`` (midnight) exactly when
    ``_days(x) <= _day(t)``.

    Examples
    --------
    >>> _days(pd.Series(pd.to_datetime(["1970-01-02 00:00", "1970-01-02 06:00", None]))).tolist()
    [1, 2, 9223372036854775807]
    """
    values = dates.to_numpy(dtype="datetime64[ns]")
    floor = values.astype("datetime64[D]")
    days = floor.astype(np.int64) + (floor != values)
    return np.where(np.isnat(values), _NEVER, days)


def _days_at(dates: pd.Series, pos: np.ndarray) -> np.ndarray:
    """``_days(dates)[pos]``, working out the rows at ``pos`` only (a new array).

    Examples
    --------
    >>> s = pd.Series(pd.to_datetime(["1970-01-02 00:00", "1970-01-02 06:00", None]))
    >>> _days_at(s, np.array([2, 1])).tolist()
    [9223372036854775807, 2]
    """
    values = dates.to_numpy(dtype="datetime64[ns]")[pos]
    days = values.view(np.int64) // _DAY_NS  # floor division: whole days before
    days += values.view(np.int64) % _DAY_NS != 0  # a time of day: the next day
    days[np.isnat(values)] = _NEVER
    return days


#: nanoseconds in a day
_DAY_NS = 86_400_000_000_000


def _day(d: pd.Timestamp) -> np.int64:
    """A date as its day number (:func:`_days`)."""
    return np.datetime64(d, "D").astype(np.int64)


@functools.lru_cache(maxsize=256)
def _months_before(d: pd.Timestamp, months: int) -> np.int64:
    """The day number (:func:`_day`) of :func:`~cppanalytics.dates.minus_months` (each
    date's worked out once: the same dates come back at every period end)."""
    return _day(minus_months(d, months))


@functools.lru_cache(maxsize=256)
def _years_before(d: pd.Timestamp, years: int) -> np.int64:
    """The day number (:func:`_day`) of :func:`~cppanalytics.dates.minus_years`."""
    return _day(minus_years(d, years))


def _arrays(ctx: Context) -> _StabilityArrays:
    """The run's :class:`_StabilityArrays` (built on first use)."""
    key = ("stability", "arrays")
    if key not in ctx.care.cache:
        ctx.care.cache[key] = _StabilityArrays(ctx)
    return ctx.care.cache[key]


def _three_plus(ctx: Context, pos: np.ndarray, win: tuple[pd.Timestamp, pd.Timestamp]) -> int:
    """How many of the children current at episode row positions ``pos`` have 3+
    placements overlapping ``win`` (counted over those children's placements only)."""
    a = _arrays(ctx)
    children = a.child[pos]
    if a.in_child_order:
        counts = _counts_of(a, children, *win)
    else:
        counts = placement_counts_by_code(ctx, *win)[children]
    return int((counts >= 3).sum())


def _counts_of(
    a: _StabilityArrays, children: np.ndarray, start: pd.Timestamp, end: pd.Timestamp
) -> np.ndarray:
    """``placement_counts_by_code(ctx, start, end)[children]``, counted over the placements
    of ``children`` only (placements in child order: ``a.in_child_order``): each child's
    run of placements found by binary search, their overlaps with the window summed.

    Examples
    --------
    >>> from cppanalytics.ssda903.dataset import Dataset
    >>> from cppanalytics.indicators.context import Context
    >>> ds = Dataset.from_tables({"episodes": pd.DataFrame({"CHILD": ["1", "1", "2"],
    ...     "DECOM": ["01/01/2024", "01/02/2024", "01/03/2024"], "RNE": ["S", "P", "S"],
    ...     "LS": ["C2"] * 3, "PLACE": ["U4", "K2", "U4"], "DEC": ["01/02/2024", "", ""],
    ...     "REC": ["X1", "", ""]})})
    >>> a = _arrays(Context(ds, "2024-03-31"))
    >>> _counts_of(a, np.array([1, 0, 0]), pd.Timestamp("2024-02-01"), pd.Timestamp("2024-03-31")).tolist()
    [1, 2, 2]
    """
    first = np.searchsorted(a.placement_child, children, side="left")
    size = np.searchsorted(a.placement_child, children, side="right")
    size -= first
    ends = np.cumsum(size)
    # the placements of each child in turn: child i's run starts at ends[i] - size[i]
    rows = np.repeat(first - (ends - size), size)
    rows += np.arange(len(rows))
    s, e = np.datetime64(start, "ns"), np.datetime64(end, "ns")
    over = a.placement_end[rows] >= s
    over |= a.placement_open[rows]
    over &= a.placement_start[rows] <= e
    running = np.zeros(len(rows) + 1, dtype=np.int64)
    np.cumsum(over, out=running[1:])
    return running[ends] - running[ends - size]


def long_term_stable(
    cla: pd.DataFrame, at: pd.Timestamp, spell_by: pd.Timestamp | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """(in_cohort, stable) boolean arrays for the long-term stability measure taken at ``at``.

    ``cla`` rows need ``DOB``, ``period_start``, ``carer_spell_start``, ``held_PLACE`` and
    ``pre_adoption_spell_start``; ages are taken at ``at``. ``spell_by`` (default ``at``):
    the date by which the carer spell must have lasted 2 years (an earlier date asks who is
    stable already).

    Examples
    --------
    >>> cla = pd.DataFrame({"DOB": pd.to_datetime(["2015-01-01"]),
    ...     "period_start": pd.to_datetime(["2020-01-01"]),
    ...     "carer_spell_start": pd.to_datetime(["2022-03-31"]), "held_PLACE": ["U4"],
    ...     "pre_adoption_spell_start": pd.to_datetime([None])})
    >>> [a.tolist() for a in long_term_stable(cla, pd.Timestamp("2024-03-31"))]
    [[True], [True]]
    """
    age = age_at(cla["DOB"], at).astype("float64").to_numpy()
    cohort = (age < 16) & (cla["period_start"] <= minus_months(at, 30)).to_numpy()
    two_years = minus_years(at if spell_by is None else spell_by, 2)
    spell = (cla["carer_spell_start"] <= two_years).fillna(False).to_numpy(dtype=bool)
    adoption = cla["held_PLACE"].isin(list(ADOPTION_PLACES)).fillna(False).to_numpy(dtype=bool) & (
        cla["pre_adoption_spell_start"] <= two_years
    ).fillna(False).to_numpy(dtype=bool)
    return cohort, cohort & (spell | adoption)


def long_term_tracking(ctx: Context) -> pd.DataFrame:
    """The panel's in-year long-term stability tracking table at ``ctx.period_end``.

    One row with: ``period_end``, ``year_end`` (Y, the coming 31 March),
    ``cohort_start`` (children looked after on 1 April who would be in the 31 March cohort:
    under 16 at Y, period of care began on or before Y − 2½ years), ``stable_start`` (of
    them, those whose carer spell on 1 April reaches 2 years by Y if it continues, or the
    A3-A6 rule) and ``stable_start_pct``; ``left_care`` / ``left_care_stable`` (cohort /
    potentially stable children no longer in that period of care at D); ``moved`` /
    ``moved_stable`` (those still in care whose carer spell at D is not the one held on
    1 April); ``current_numerator``, ``current_denominator``, ``current_pct`` (the
    ``stability_long_term`` figure at D); ``best_numerator``, ``best_denominator``,
    ``best_pct`` (``stability_long_term_yearend_max``: best possible year-end figure);
    ``worst_numerator``, ``worst_denominator``, ``worst_pct`` (the same cohort, counting only
    children already 2 years with their carers at D: nobody else gets there).

    Examples
    --------
    >>> from cppanalytics.ssda903.dataset import Dataset
    >>> from cppanalytics.indicators.context import Context
    >>> long_term_tracking(Context(Dataset(), "2024-11-30"))["cohort_start"].tolist()
    [0]
    """
    return pd.DataFrame([_tracking(ctx)])


def _tracking(ctx: Context) -> dict:
    """The row of :func:`long_term_tracking`, worked out on the run's arrays."""
    d = ctx.period_end
    y = year_end(d)
    start = financial_year_start(d)
    a = _arrays(ctx)
    key = ("stability", "tracking_start", start, y)
    if key not in ctx.care.cache:  # the same at every period end of the financial year
        at_start = ctx.cla_at_positions(start)
        in_start, stable_start = a.long_term(at_start, y)
        start_rows = at_start[in_start]
        ctx.care.cache[key] = (start_rows, stable_start[in_start], *a.ids(start_rows))
    start_rows, is_stable, period_then, spell_then = ctx.care.cache[key]
    now = ctx.cla_at_positions(d)
    # each child's period and carer spell at D (-1: not looked after at D / no spell)
    period_now, spell_now = a.ids(now)
    child = a.child[start_rows]
    period_now, spell_now = _of_children(a.child[now], (period_now, spell_now), child)
    still = period_now == period_then
    # a spell unknown on either date counts as a move
    moved = still & ((spell_now != spell_then) | (spell_now < 0) | (spell_then < 0))
    rows = a.rows(now)
    cur_cohort, cur_stable = a.long_term_of(rows, d)
    best_cohort, best_stable = a.long_term_of(rows, y)
    _, already = a.long_term_of(rows, y, spell_by=d)
    worst_stable = best_cohort & already

    def pct(num: int, den: int) -> float:
        return num / den * 100 if den else float("nan")

    return {
        "period_end": d,
        "year_end": y,
        "cohort_start": len(start_rows),
        "stable_start": int(is_stable.sum()),
        "stable_start_pct": pct(int(is_stable.sum()), len(start_rows)),
        "left_care": int((~still).sum()),
        "left_care_stable": int((~still & is_stable).sum()),
        "moved": int(moved.sum()),
        "moved_stable": int((moved & is_stable).sum()),
        "current_numerator": int(cur_stable.sum()),
        "current_denominator": int(cur_cohort.sum()),
        "current_pct": pct(int(cur_stable.sum()), int(cur_cohort.sum())),
        "best_numerator": int(best_stable.sum()),
        "best_denominator": int(best_cohort.sum()),
        "best_pct": pct(int(best_stable.sum()), int(best_cohort.sum())),
        "worst_numerator": int(worst_stable.sum()),
        "worst_denominator": int(best_cohort.sum()),
        "worst_pct": pct(int(worst_stable.sum()), int(best_cohort.sum())),
    }


def _of_children(
    children: np.ndarray, values: tuple[np.ndarray, ...], wanted: np.ndarray
) -> tuple[np.ndarray, ...]:
    """For each child code in ``wanted``, each of ``values`` at that child in ``children``
    (-1: not there; the last of a child given twice), as writing ``values`` into arrays
    indexed by child code and reading them at ``wanted`` would, found by a binary search
    among ``children`` (no array over every child is made).

    Examples
    --------
    >>> out = _of_children(np.array([5, 2, 9]), (np.array([50, 20, 90]),), np.array([9, 3, 5]))
    >>> out[0].tolist()
    [90, -1, 50]
    """
    if len(children) > 1 and not (children[1:] >= children[:-1]).all():
        order = np.argsort(children, kind="stable")
        children = children[order]
        values = tuple(v[order] for v in values)
    at = np.searchsorted(children, wanted, side="right") - 1  # the last of equal codes
    found = at >= 0
    found[found] = children[at[found]] == wanted[found]
    return tuple(np.where(found, v[at], -1) if len(v) else np.full(len(wanted), -1) for v in values)


#: the note on ``stability_long_term_yearend_max`` (no counts: notes are published as they
#: stand, the tracking table's counts go through disclosure control)
YEAREND_MAX_NOTE = (
    "if nobody leaves care or moves carer before 31 March; the in-year "
    "tracking table shows who has left or moved since 1 April"
)

RANGE_COLUMNS: list[str] = [
    "indicator_id",
    "period_end",
    "year_end",
    "now_numerator",
    "now_denominator",
    "now_value",
    "best_numerator",
    "best_denominator",
    "best_value",
    "worst_numerator",
    "worst_denominator",
    "worst_value",
    "assumption",
]

#: how each year-end range is worked out, as the report states it
RANGE_ASSUMPTIONS: dict[str, str] = {
    "stability_3plus_placements": (
        "children looked after now; best case: nobody moves again before 31 March; worst "
        "case: every child with 2 placements since 1 April moves once more"
    ),
    "stability_long_term": (
        "children who will be in the 31 March cohort if nobody leaves care; best case: "
        "nobody leaves or moves; worst case: only children already 2 years with their "
        "carers stay stable"
    ),
}


def yearend_range(ctx: Context) -> pd.DataFrame:
    """Best and worst year-end figures for 3+ placements since 1 April and long-term
    stability, taken at ``ctx.period_end`` (rules in the module docstring).

    Returns
    -------
    pandas.DataFrame
        two rows, :data:`RANGE_COLUMNS`; ``now_*`` is the figure at D (3+ placements since
        1 April; long-term stability at D), values are percentages, unrounded.

    Examples
    --------
    >>> from cppanalytics.ssda903.dataset import Dataset
    >>> from cppanalytics.indicators.context import Context
    >>> yearend_range(Context(Dataset(), "2024-11-30"))["best_denominator"].tolist()
    [0, 0]
    """
    d = ctx.period_end
    y = year_end(d)
    cla = ctx.cla_at()
    counts = cla["CHILD"].map(placement_counts(ctx, *window("fytd", d))).fillna(0).to_numpy()
    n3, n2, den = int((counts >= 3).sum()), int((counts == 2).sum()), len(cla)
    t = long_term_tracking(ctx).iloc[0]

    def pct(num: float, den: float) -> float:
        return float(num) / float(den) * 100 if den else float("nan")

    rows = [
        ("stability_3plus_placements", n3, den, n3, den, n3 + n2, den),
        (
            "stability_long_term",
            t["current_numerator"],
            t["current_denominator"],
            t["best_numerator"],
            t["best_denominator"],
            t["worst_numerator"],
            t["worst_denominator"],
        ),
    ]
    return pd.DataFrame(
        [
            {
                "indicator_id": ind,
                "period_end": d,
                "year_end": y,
                "now_numerator": int(nn),
                "now_denominator": int(nd),
                "now_value": pct(nn, nd),
                "best_numerator": int(bn),
                "best_denominator": int(bd),
                "best_value": pct(bn, bd),
                "worst_numerator": int(wn),
                "worst_denominator": int(wd),
                "worst_value": pct(wn, wd),
                "assumption": RANGE_ASSUMPTIONS[ind],
            }
            for ind, nn, nd, bn, bd, wn, wd in rows
        ],
        columns=RANGE_COLUMNS,
    )


#: when the children with 3+ placements entered care (:func:`three_plus_profile`)
ENTRY_GROUPS: tuple[str, ...] = ("since_1_april", "last_financial_year", "longer")


def three_plus_profile(ctx: Context) -> pd.DataFrame:
    """Who had 3 or more placements since 1 April: children looked after at D with 3+
    placements overlapping 1 April .. D, counted by age band at D (``under 1`` … ``16+``;
    a child with no DOB is in no band) and by when their period of care began
    (:data:`ENTRY_GROUPS`: since 1 April, in the last financial year, longer ago).

    Parameters
    ----------
    ctx
        the indicator context at D.

    Returns
    -------
    pandas.DataFrame
        ``breakdown`` (``age_band``, ``entered_care`` or ``total``), ``group`` and
        ``children`` (counts, zeros included); the last row is the total.

    Examples
    --------
    >>> from cppanalytics.ssda903.dataset import Dataset
    >>> from cppanalytics.indicators.context import Context
    >>> three_plus_profile(Context(Dataset(), "2024-11-30"))["children"].sum()
    np.int64(0)
    """
    d = ctx.period_end
    start = financial_year_start(d)
    counts = placement_counts(ctx, start, d)
    cla = ctx.cla_at()
    n = cla["CHILD"].map(counts).fillna(0)
    sel = cla[n.to_numpy() >= 3]
    bands = BREAKDOWN_GROUPS["age_band"][:5]
    age_counts = age_band(sel["age"]).value_counts().reindex(bands, fill_value=0)
    entered = np.select(
        [sel["period_start"] >= start, sel["period_start"] >= minus_years(start, 1)],
        list(ENTRY_GROUPS[:2]),
        ENTRY_GROUPS[2],
    )
    entry_counts = pd.Series(entered).value_counts().reindex(list(ENTRY_GROUPS), fill_value=0)
    return pd.DataFrame(
        {
            "breakdown": ["age_band"] * len(bands)
            + ["entered_care"] * len(ENTRY_GROUPS)
            + ["total"],
            "group": [*bands, *ENTRY_GROUPS, "total"],
            "children": [*age_counts.astype("int64"), *entry_counts.astype("int64"), len(sel)],
        }
    )


def compute(ctx: Context, ids: set[str]) -> list[Block]:
    """Stability indicators at ``ctx.period_end`` for the requested ``ids``."""
    d = ctx.period_end
    pos = ctx.cla_at_positions()  # rows of the children looked after at D
    n = len(pos)
    out: list[Block] = []
    if "stability_3plus_placements" in ids:
        wins = [ctx.window("stability_3plus_placements")]
        fytd = window("fytd", d)
        if fytd != wins[0]:
            wins.append(fytd)
        for win in wins:
            out.append(
                block(
                    "stability_3plus_placements",
                    d,
                    win,
                    numerator=[_three_plus(ctx, pos, win)],
                    denominator=[n],
                    unit="percent",
                )
            )
    if "stability_2yr_3plus" in ids:
        win = ctx.window("stability_2yr_3plus")
        cohort = pos[_arrays(ctx).rows(pos)[1] <= _day(minus_years(d, 2))]
        out.append(
            block(
                "stability_2yr_3plus",
                d,
                win,
                numerator=[_three_plus(ctx, cohort, win)],
                denominator=[len(cohort)],
                unit="percent",
            )
        )
    if "stability_long_term" in ids:
        in_cohort, stable = _arrays(ctx).long_term(pos, d)
        out.append(
            block(
                "stability_long_term",
                d,
                ctx.window("stability_long_term"),
                numerator=[int(stable.sum())],
                denominator=[int(in_cohort.sum())],
                unit="percent",
            )
        )
    if "stability_long_term_yearend_max" in ids:
        t = _tracking(ctx)
        note = YEAREND_MAX_NOTE
        out.append(
            block(
                "stability_long_term_yearend_max",
                d,
                ctx.window("stability_long_term_yearend_max"),
                numerator=[t["best_numerator"]],
                denominator=[t["best_denominator"]],
                unit="percent",
                note=note,
            )
        )
    return out
