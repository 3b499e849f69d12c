"""Sufficiency and stability detail: who provides foster placements, why placements end for
children who move often, unaccompanied asylum-seeking children, distance and locality.

* ``foster_in_house_pct``: children looked after at D in a foster placement (the placement
  held, U1–U6; a child in a temporary placement counts under the one held before it), %
  whose current episode's PLACE_PROVIDER is PR1 (the council's own carers).
* ``foster_by_provider``: the same children by provider — in_house PR1, other_council PR2,
  other_public PR3, private PR4, voluntary PR5, unknown (blank, PR0 or not a code; a
  finding).
* ``placement_change_reason`` (window ``r12``): children looked after at D with 3 or more
  placements overlapping the window (the numerator of ``stability_3plus_placements``); each
  of their **moves** in the window — a placement starting in the window that is not the
  first placement of its period of care — by the reason the previous placement ended.
  DfE records REASON_PLACE_CHANGE on the episode that ends (REC X1, the next episode's RNE
  P, B, T or U): that value is used; when it is blank and the first episode of the new
  placement carries a reason, that one is used; otherwise ``not_recorded`` (a finding).
  Value: % of the moves.
* ``cla_uasc_count``: children looked after at D who were UASC at D (as ``cla_uasc``).
* ``cla_started_uasc`` (window ``fytd``): children starting care in the window (as
  ``cla_started``), % who were UASC on the day they started.
* ``uasc_by_age``: UASC looked after at D, under 16 / 16 or over at D (DfE's groups);
  ``unknown`` when the date of birth is missing.
* ``uasc_by_placement``: UASC looked after at D by placement group (as
  ``cla_by_placement_group``).
* ``cla_by_distance_locality``: children looked after at D by DfE's distance-and-locality
  groups: 20 miles or less / over 20 miles (distance rounded half up to 1 dp, as
  ``placed_within_20_miles``) × inside / outside the council's area; ``unknown`` when the
  distance or the area is not known.

Examples
--------
>>> from cppanalytics.ssda903.dataset import Dataset
>>> from cppanalytics.indicators.context import Context
>>> from cppanalytics.results import rows_frame
>>> ds = Dataset.from_tables({"episodes": pd.DataFrame({"CHILD": ["1", "2"],
...     "DECOM": ["01/04/2023"] * 2, "RNE": ["S"] * 2, "LS": ["C2"] * 2,
...     "PLACE": ["U4", "U4"], "PLACE_PROVIDER": ["PR1", "PR4"], "DEC": [""] * 2,
...     "REC": [""] * 2})})
>>> rows_frame(compute(Context(ds, "2024-03-31"), {"foster_in_house_pct"}))["value"].tolist()
[50.0]
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

import numpy as np
import pandas as pd

from cppanalytics.care.groups import placement_group
from cppanalytics.findings import row_findings
from cppanalytics.indicators.catalogue import BREAKDOWN_GROUPS, get
from cppanalytics.indicators.location import located_arrays
from cppanalytics.indicators.population import (
    CODED_FROM_ENDS,
    breakdown_counts,
    breakdown_rows,
    coded_rows,
    group_positions,
    is_uasc,
    started_in_window,
    uasc_at,
)
from cppanalytics.indicators.repeats import unreported
from cppanalytics.indicators.stability import placement_counts_by_code
from cppanalytics.results import Block, block
from cppanalytics.ssda903.coded import factorize_text

if TYPE_CHECKING:  # pragma: no cover
    from cppanalytics.indicators.context import Context

IDS: tuple[str, ...] = (
    "foster_in_house_pct",
    "foster_by_provider",
    "placement_change_reason",
    "cla_uasc_count",
    "cla_started_uasc",
    "uasc_by_age",
    "uasc_by_placement",
    "cla_by_distance_locality",
)
FOSTER_PLACES = ("U1", "U2", "U3", "U4", "U5", "U6")
#: PLACE_PROVIDER → group of ``foster_by_provider``
FOSTER_PROVIDERS: dict[str, str] = {
    "PR1": "in_house",
    "PR2": "other_council",
    "PR3": "other_public",
    "PR4": "private",
    "PR5": "voluntary",
}


def fostered_at(ctx: Context) -> pd.DataFrame:
    """Rows of ``cla_at()`` whose held placement is foster care (U1–U6) with ``provider``."""
    cla = ctx.cla_at()
    foster = cla[cla["held_PLACE"].isin(FOSTER_PLACES).fillna(False).to_numpy(dtype=bool)]
    return foster.assign(provider=foster_provider(foster["PLACE_PROVIDER"]).to_numpy())


def foster_provider(codes: pd.Series) -> pd.Series:
    """The ``foster_by_provider`` group of PLACE_PROVIDER codes (``unknown`` for anything
    but PR1–PR5).

    Examples
    --------
    >>> foster_provider(pd.Series(["PR1", "PR0", None])).tolist()
    ['in_house', 'unknown', 'unknown']
    """
    return codes.map(FOSTER_PROVIDERS).fillna("unknown")


def foster_place(codes: pd.Series) -> pd.Series:
    """``foster`` for the foster placements U1–U6, else blank (for
    :meth:`~cppanalytics.indicators.context.Context.episode_groups`).

    Examples
    --------
    >>> foster_place(pd.Series(["U1", "K2", None])).tolist()
    ['foster', '', '']
    """
    foster = codes.isin(FOSTER_PLACES).fillna(False).to_numpy(dtype=bool)
    return pd.Series(np.where(foster, "foster", ""), index=codes.index, dtype=object)


def _foster_groups(ctx: Context) -> tuple[np.ndarray, np.ndarray]:
    """Of the children looked after at D (rows of ``cla_at()``): which are fostered
    (:func:`fostered_at`), and the position of each one's provider in the
    ``foster_provider`` groups; from labels worked out once per distinct code."""
    groups = BREAKDOWN_GROUPS["foster_provider"]
    ends = ctx.care.cache.get("period_ends") or [ctx.period_end]
    if len(ends) < CODED_FROM_ENDS:  # labelling every episode would cost more
        cla = ctx.cla_at()
        foster = cla["held_PLACE"].isin(FOSTER_PLACES).fillna(False).to_numpy(dtype=bool)
        providers = pd.Series(cla["PLACE_PROVIDER"].array[foster], copy=False)
        return foster, group_positions(providers, foster_provider, groups)
    pos = ctx.cla_at_positions()
    foster = ctx.episode_groups("held_PLACE", foster_place, ["foster"])[pos] == 0
    provider = ctx.episode_groups("PLACE_PROVIDER", foster_provider, groups)[pos]
    return foster, provider[foster]


def placement_moves(ctx: Context, start: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame:
    """Moves in the window: CHILD, DECOM (the new placement's start), reason (code or
    ``not_recorded``) and the provenance (``source_file``, ``source_row``) of the new
    placement's first episode."""
    moves = _all_moves(ctx)
    window = (moves["DECOM"] >= start) & (moves["DECOM"] <= end)
    return moves.loc[window.to_numpy(dtype=bool)]


#: the columns kept of a move's episode
MOVE_COLUMNS = ["CHILD", "DECOM", "source_file", "source_row"]


def _all_moves(ctx: Context) -> pd.DataFrame:
    """Every move of the dataset with its reason (worked out once, shared by period ends;
    index: the position of the move's episode), made from :func:`_move_arrays`.

    Examples
    --------
    >>> from cppanalytics.ssda903.dataset import Dataset
    >>> from cppanalytics.indicators.context import Context
    >>> list(_all_moves(Context(Dataset(), "2024-03-31")).columns)
    ['CHILD', 'DECOM', 'source_file', 'source_row', 'reason']
    """
    key = ("sufficiency", "moves")
    if key not in ctx.care.cache:
        a = _move_arrays(ctx)
        labels = np.asarray(BREAKDOWN_GROUPS["change_reason"], dtype=object)
        ctx.care.cache[key] = _move_rows(ctx, a.rows).assign(reason=labels[a.reason])
    return ctx.care.cache[key]


def _move_rows(ctx: Context, rows: np.ndarray) -> pd.DataFrame:
    """The :data:`MOVE_COLUMNS` of the episodes at positions ``rows`` (index: theirs)."""
    eps = ctx.episodes
    return eps.iloc[rows, [eps.columns.get_loc(c) for c in MOVE_COLUMNS]]


class _MoveArrays(NamedTuple):
    """Every move of the dataset as arrays: its episode's position (``rows``), child code,
    DECOM (int64 ns) and reason (position in the ``change_reason`` groups)."""

    child: np.ndarray
    decom: np.ndarray
    reason: np.ndarray
    rows: np.ndarray


def _move_arrays(ctx: Context) -> _MoveArrays:
    """:class:`_MoveArrays`, once per run: the moves (:func:`move_positions`) and their
    reasons (:func:`move_reasons`), read at the moves' rows only (no table made).

    Examples
    --------
    >>> from cppanalytics.ssda903.dataset import Dataset
    >>> from cppanalytics.indicators.context import Context
    >>> _move_arrays(Context(Dataset(), "2024-03-31")).rows.tolist()
    []
    """
    key = ("sufficiency", "move_arrays")
    if key not in ctx.care.cache:
        eps = ctx.episodes
        period = eps["period_id"].to_numpy(dtype=np.int64)
        rows = move_positions(
            period,
            eps["placement_id"].to_numpy(dtype="float64", na_value=np.nan),
            eps["DECOM"].to_numpy(dtype="datetime64[ns]"),
            eps["placement_start"].to_numpy(dtype="datetime64[ns]"),
        )
        ctx.care.cache[key] = _MoveArrays(
            child=ctx.episode_child_codes()[0][rows],
            decom=eps["DECOM"].to_numpy(dtype="datetime64[ns]")[rows].view("int64"),
            reason=move_reasons(eps["REASON_PLACE_CHANGE"], period, rows),
            rows=rows,
        )
    return ctx.care.cache[key]


def move_positions(
    period: np.ndarray, placement: np.ndarray, decom: np.ndarray, placement_start: np.ndarray
) -> np.ndarray:
    """Positions of the episodes that start a placement (placed, DECOM on the placement's
    start) other than the first placement of their period (the smallest placement id
    among its placed episodes); ``placement`` float, NaN: not placed.

    Examples
    --------
    >>> day = np.array(["2023-01-01", "2023-02-01", "2023-02-05", "2023-03-01"], "datetime64[ns]")
    >>> move_positions(np.array([0, 0, 0, 1]), np.array([1.0, 2.0, 2.0, 3.0]), day,
    ...                day[[0, 1, 1, 3]]).tolist()
    [1]
    """
    starting = np.equal(decom, placement_start)  # (NaT: never equal)
    starting &= ~np.isnan(placement)  # placed
    first = np.full(int(period.max(initial=-1)) + 1, np.inf)
    np.fmin.at(first, period, placement)  # each period's least placement (fmin skips NaN)
    parts = [np.zeros(0, dtype=np.int64)]
    for low in range(0, len(period), CHUNK_ROWS):  # a chunk's rows at a time: small buffers
        at = np.flatnonzero(starting[low : low + CHUNK_ROWS])
        at += low
        parts.append(at[placement[at] != first[period[at]]])
    return np.concatenate(parts)


#: rows per chunk of :func:`move_positions`
CHUNK_ROWS = 1 << 16


def move_reasons(reasons: pd.Series, period: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Each move's reason (``rows``: the moves' episodes) as a position in the
    ``change_reason`` groups: the listed REASON_PLACE_CHANGE of the episode that ended
    (the period's previous episode), else the move's own if listed, else
    ``not_recorded`` (int8); worked out a chunk of moves at a time (small buffers).

    Examples
    --------
    >>> reasons = pd.Series(["CHILD", None, "CARPL", "bad"], dtype="string")
    >>> groups = BREAKDOWN_GROUPS["change_reason"]
    >>> [groups[i] for i in move_reasons(reasons, np.array([0, 0, 1, 1]), np.array([1, 2, 3]))]
    ['CHILD', 'CARPL', 'CARPL']
    """
    groups = BREAKDOWN_GROUPS["change_reason"]
    listed = pd.Index(groups[:-1], dtype=object)  # (their places in groups too)
    out = np.empty(len(rows), dtype=np.int8)
    for low in range(0, len(rows), CHUNK_ROWS):  # a chunk of moves at a time
        at = rows[low : low + CHUNK_ROWS]
        before = np.maximum(at - 1, 0)
        own = listed_places(reasons, at, listed)
        ended = listed_places(reasons, before, listed)
        from_ended = (at > 0) & (period[before] == period[at]) & (ended >= 0)
        own[own < 0] = groups.index("not_recorded")
        out[low : low + CHUNK_ROWS] = np.where(from_ended, ended, own)
    return out


def listed_places(values: pd.Series, rows: np.ndarray, listed: pd.Index) -> np.ndarray:
    """The place in ``listed`` (-1: none) of each value of ``values`` at positions
    ``rows``, int8 (fewer than 128 listed), each distinct value looked up once.

    Examples
    --------
    >>> listed_places(pd.Series(["b", None, "a", "z"], dtype="string"), np.array([3, 2, 0, 1]),
    ...               pd.Index(["a", "b"], dtype=object)).tolist()
    [-1, 0, 1, -1]
    """
    codes, uniques = factorize_text(pd.Series(values.array.take(rows), copy=False))
    place = listed.get_indexer(np.asarray(uniques, dtype=object)).astype(np.int8)
    return np.append(place, np.int8(-1))[codes]  # code -1 (missing): never listed


def movers_moves(ctx: Context, start: pd.Timestamp, end: pd.Timestamp) -> np.ndarray:
    """Which moves of :func:`_all_moves` count in ``placement_change_reason``: in the
    window, of a child looked after at D with 3 or more placements overlapping it
    (:func:`~cppanalytics.indicators.stability.placement_counts_by_code`).

    Examples
    --------
    >>> from cppanalytics.ssda903.dataset import Dataset
    >>> from cppanalytics.indicators.context import Context
    >>> ctx = Context(Dataset(), "2024-03-31")
    >>> movers_moves(ctx, pd.Timestamp("2023-04-01"), ctx.period_end).tolist()
    []
    """
    a = _move_arrays(ctx)
    counts = placement_counts_by_code(ctx, start, end)
    at = ctx.episode_child_codes()[0][ctx.cla_at_positions()]
    mover = np.zeros(len(counts), dtype=bool)
    mover[at] = counts[at] >= 3
    inside = (a.decom >= start.value) & (a.decom <= end.value)
    return inside & mover[a.child]


#: the ``cla_by_distance_locality`` groups :func:`_distance_locality` codes (by position)
LOCALITIES: tuple[str, ...] = (
    "within_20_inside",
    "within_20_outside",
    "over_20_inside",
    "over_20_outside",
    "unknown",
)


def _distance_locality(ctx: Context) -> np.ndarray:
    """``cla_by_distance_locality`` group of each child looked after at D (the rows of
    ``ctx.cla_at()``), as its position in :data:`LOCALITIES`."""
    miles, outside, inside = located_arrays(ctx)
    with np.errstate(invalid="ignore"):
        near, far = miles <= 20, miles > 20
    return np.select(
        [near & inside, near & outside, far & inside, far & outside], [0, 1, 2, 3], default=4
    )


def _uasc_by_placement(ctx: Context, uasc: np.ndarray, n: int) -> Block:
    """``uasc_by_placement`` of the UASC children looked after at D (``uasc``: of the rows
    of ``ctx.cla_at()``): the placement group of the PLACE held; in a run of many period
    ends each distinct PLACE is labelled once per run (the same counts).

    Examples
    --------
    >>> from cppanalytics.ssda903.dataset import Dataset
    >>> from cppanalytics.indicators.context import Context
    >>> _uasc_by_placement(Context(Dataset(), "2024-03-31"), np.zeros(0, dtype=bool), 0
    ...                    ).numerator.sum()
    np.float64(0.0)
    """
    iid = "uasc_by_placement"
    ends = ctx.care.cache.get("period_ends") or [ctx.period_end]
    if len(ends) < CODED_FROM_ENDS:  # labelling every episode would cost more
        held = ctx.cla_at_rows(uasc, ["held_PLACE"])["held_PLACE"]
        return breakdown_rows(ctx, iid, placement_group(held), n)
    groups = BREAKDOWN_GROUPS[get(iid).breakdown]
    codes = ctx.episode_groups("held_PLACE", placement_group, groups)
    found = codes[ctx.cla_at_positions()[uasc]]
    counts = np.bincount(found[found >= 0], minlength=len(groups))
    return breakdown_counts(ctx, iid, counts, n)


def compute(ctx: Context, ids: set[str]) -> list[Block]:
    """Sufficiency and stability-detail indicators at ``ctx.period_end``."""
    d = ctx.period_end
    out: list[Block] = []
    if {"foster_in_house_pct", "foster_by_provider"} & ids:
        fostered, provider = _foster_groups(ctx)
        groups = BREAKDOWN_GROUPS["foster_provider"]
        counts = np.bincount(provider[provider >= 0], minlength=len(groups))
        if "foster_in_house_pct" in ids:
            out.append(
                block(
                    "foster_in_house_pct",
                    d,
                    ctx.window("foster_in_house_pct"),
                    numerator=[int(counts[groups.index("in_house")])],
                    denominator=[len(provider)],
                    unit="percent",
                )
            )
        if "foster_by_provider" in ids:
            unknown = np.flatnonzero(fostered)[provider == groups.index("unknown")]
            # an episode's finding is the same at every period end: written once
            unknown = unknown[
                unreported(
                    ctx,
                    "foster_provider_unknown",
                    ctx.cla_at_positions()[unknown],
                    len(ctx.episodes),
                )
            ]
            if len(unknown):
                bad = ctx.cla_at_rows(
                    unknown,
                    ["CHILD", "source_file", "source_row", "PLACE_PROVIDER"],
                )
                ctx.findings.extend(
                    row_findings(
                        bad,
                        severity="warning",
                        code="code_missing_breakdown",
                        table="episodes",
                        column="PLACE_PROVIDER",
                        value=bad["PLACE_PROVIDER"].fillna(""),  # missing is "" either way
                        message="This child is in a foster placement but PLACE_PROVIDER is not "
                        "PR1-PR5, so the provider is shown as unknown.",
                        fix="Record the foster placement's provider (PR1 own council ... PR5 "
                        "voluntary) on the current episode.",
                        indicators="foster_by_provider",
                    )
                )
            out.append(breakdown_counts(ctx, "foster_by_provider", counts, len(provider)))
    if "placement_change_reason" in ids:
        w = ctx.window("placement_change_reason")
        counted = movers_moves(ctx, *w)
        reasons = _move_arrays(ctx).reason[counted]
        groups = BREAKDOWN_GROUPS["change_reason"]
        not_recorded = reasons == groups.index("not_recorded")
        # a move's finding is the same at every period end: written once
        moves = np.flatnonzero(counted)[not_recorded]
        moves = moves[unreported(ctx, "move_reason_missing", moves, len(counted))]
        if len(moves):
            unknown = _move_rows(ctx, _move_arrays(ctx).rows[moves])
            ctx.findings.extend(
                row_findings(
                    unknown,
                    severity="warning",
                    code="reason_place_change_missing",
                    table="episodes",
                    column="REASON_PLACE_CHANGE",
                    message="This child moved placement but no reason for the placement change is "
                    "recorded on the episode that ended (or the new one).",
                    fix="Record REASON_PLACE_CHANGE on the episode that ended with the move.",
                    indicators="placement_change_reason",
                )
            )
        counts = np.bincount(reasons[reasons >= 0], minlength=len(groups))
        out.append(breakdown_counts(ctx, "placement_change_reason", counts, len(reasons), w))
    uasc_ids = {"cla_uasc_count", "uasc_by_age", "uasc_by_placement"}
    if uasc_ids & ids:
        uasc = uasc_at(ctx)
        if "cla_uasc_count" in ids:
            out.append(
                block(
                    "cla_uasc_count",
                    d,
                    ctx.window("cla_uasc_count"),
                    numerator=[int(uasc.sum())],
                    unit="count",
                )
            )
        n = int(uasc.sum())
        if "uasc_by_age" in ids:
            # no DOB: NaN, neither 16+ nor under 16 (a missing Int64 age broke np.where)
            age = ctx.cla_ages(uasc)  # the UASC children's
            with np.errstate(invalid="ignore"):
                codes = np.where(age >= 16, 0, np.where(age < 16, 1, 2))
            out.append(coded_rows(ctx, "uasc_by_age", ("16+", "under 16", "unknown"), codes, n))
        if "uasc_by_placement" in ids:
            out.append(_uasc_by_placement(ctx, uasc, n))
    if "cla_started_uasc" in ids:
        w = ctx.window("cla_started_uasc")
        starters = started_in_window(ctx, *w)
        num = int(is_uasc(ctx, starters["CHILD"], starters["start"]).sum())
        out.append(
            block(
                "cla_started_uasc",
                d,
                w,
                numerator=[num],
                denominator=[len(starters)],
                unit="percent",
            )
        )
    if "cla_by_distance_locality" in ids:
        codes = _distance_locality(ctx)
        out.append(coded_rows(ctx, "cla_by_distance_locality", LOCALITIES, codes, len(codes)))
    return out
