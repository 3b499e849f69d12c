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
  care).

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

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from cppanalytics.dates import as_date
from cppanalytics.findings import row_findings
from cppanalytics.indicators.catalogue import BREAKDOWN_GROUPS
from cppanalytics.indicators.context import by_key
from cppanalytics.indicators.population import (
    breakdown_counts,
    breakdown_rows,
    started_in_window,
)
from cppanalytics.results import Block, block
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


def _plus_months(dates: pd.Series, months: int) -> pd.Series:
    """Calendar months later, clamped to the month end (NaT stays NaT)."""
    return pd.to_datetime(dates) + pd.DateOffset(months=months)


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
    if key in ctx.care.cache:
        return ctx.care.cache[key]
    periods = ctx.care.periods[["period_id", "CHILD", "start", "end"]].copy()
    head = ctx.header
    dob = (
        by_key(head.set_index("CHILD")["DOB"], periods["CHILD"])
        if len(head)
        else pd.Series(pd.NaT, index=periods.index, dtype="datetime64[ns]")
    )
    periods["eighteen"] = (pd.to_datetime(dob) + pd.DateOffset(years=18)).to_numpy()
    raw = ctx.data.tables.get("reviews", pd.DataFrame())
    cols = ["CHILD", "REVIEW", "REVIEW_CODE"]
    revs = (
        raw[[c for c in [*cols, "source_file", "source_row"] if c in raw.columns]]
        if len(raw)
        else pd.DataFrame({c: pd.Series(dtype="object") for c in cols})
    )
    revs = revs[revs["CHILD"].notna() & revs["REVIEW"].notna()]
    revs = revs.drop_duplicates(["CHILD", "REVIEW"], keep="last")
    placed = _place_in_periods(ctx, revs, periods)
    pid = placed["period_id"].to_numpy(dtype=np.int64)
    when = placed["REVIEW"].to_numpy(dtype="datetime64[ns]")
    order = np.lexsort((when, pid))  # stable: by period, then review date
    placed = placed.iloc[order].reset_index(drop=True)
    codes = ctx.care.cache.pop(("reviews", "child_codes"), None)
    if codes is not None:  # the children as integer codes, for the look-ups at each end
        codes = (codes[0], codes[1][order], codes[2])
    pid, when = pid[order], when[order]
    n = len(placed)
    first = np.ones(n, dtype=bool)
    if n:
        first[1:] = pid[1:] != pid[:-1]
    group_start = np.maximum.accumulate(np.where(first, np.arange(n), 0)) if n else first
    number = np.arange(n) - group_start + 1
    placed["number"] = number
    first_due = add_working_days(periods["start"], FIRST_REVIEW_WORKING_DAYS)
    period_pos = _period_positions(periods, pid)
    distinct, back = np.unique(when, return_inverse=True)  # reviews share dates
    back = back.reshape(-1)
    plus3 = _plus_months(pd.Series(distinct), SECOND_REVIEW_MONTHS).to_numpy()[back]
    plus6 = _plus_months(pd.Series(distinct), LATER_REVIEW_MONTHS).to_numpy()[back]
    prev = np.arange(n) - 1
    due = np.where(
        number == 1,
        first_due.to_numpy()[period_pos] if n else when,
        np.where(number == 2, plus3[np.maximum(prev, 0)], plus6[np.maximum(prev, 0)]),
    )
    placed["due"] = pd.Series(due, dtype="datetime64[ns]")
    placed["on_time"] = (placed["REVIEW"] <= placed["due"]).to_numpy(dtype=bool)
    ctx.care.cache[key] = (placed, periods)
    ctx.care.cache[("reviews", "arrays")] = _ScheduleArrays(
        placed, periods, period_pos, first_due, plus3, plus6, codes
    )
    return placed, periods


def _period_positions(periods: pd.DataFrame, period_id: np.ndarray) -> np.ndarray:
    """Row position in ``periods`` of each ``period_id`` (every id is present)."""
    ids = periods["period_id"].to_numpy(dtype=np.int64)
    order = np.argsort(ids, kind="stable")
    return order[np.searchsorted(ids[order], period_id)]


class _ScheduleArrays:
    """The review schedule as numpy arrays, for look-ups at many period ends."""

    def __init__(
        self,
        reviews: pd.DataFrame,
        periods: pd.DataFrame,
        period_pos: np.ndarray,
        first_due: pd.Series,
        plus3: np.ndarray,
        plus6: np.ndarray,
        codes: tuple[pd.Index, np.ndarray, np.ndarray] | None = None,
    ) -> None:
        if codes is None:
            children = pd.Index(periods["CHILD"].unique())
            review_child = children.get_indexer(reviews["CHILD"].to_numpy())
            period_child = children.get_indexer(periods["CHILD"].to_numpy())
        else:
            children, review_child, period_child = codes
        self.children = children
        self.review = reviews["REVIEW"].to_numpy(dtype="datetime64[ns]")
        self.due = reviews["due"].to_numpy(dtype="datetime64[ns]")
        self.on_time = reviews["on_time"].to_numpy(dtype=bool)
        self.period_pos = period_pos
        self.review_child = review_child
        self.eighteen = periods["eighteen"].to_numpy(dtype="datetime64[ns]")
        self.review_eighteen = self.eighteen[period_pos]
        self.plus3, self.plus6 = plus3, plus6
        self.first_due = first_due.to_numpy(dtype="datetime64[ns]")
        self.start = periods["start"].to_numpy(dtype="datetime64[ns]")
        self.end = periods["end"].to_numpy(dtype="datetime64[ns]")
        self.period_child = period_child
        n_periods = len(periods)
        self.first_review = np.full(n_periods, -1, dtype=np.int64)
        if len(period_pos):
            starts = np.ones(len(period_pos), dtype=bool)
            starts[1:] = period_pos[1:] != period_pos[:-1]
            self.first_review[period_pos[starts]] = np.flatnonzero(starts)
        # each distinct REVIEW_CODE classified once (-1, a blank code, takes the last entry)
        code, distinct = pd.factorize(reviews["REVIEW_CODE"])
        distinct = pd.Index(distinct, dtype=object)
        self.took_part = np.append(distinct.isin(TOOK_PART), False)[code]
        self.aged_4_plus = np.append(distinct.isin(AGED_4_PLUS), False)[code]
        groups = BREAKDOWN_GROUPS["participation"]
        labels = np.append(
            np.where(distinct.isin(groups[:-1]), distinct.to_numpy(), "not_recorded"),
            "not_recorded",
        )
        self.participation = pd.Index(groups).get_indexer(labels)[code]


def _arrays(ctx: Context) -> _ScheduleArrays:
    """The cached :class:`_ScheduleArrays` of the dataset."""
    review_schedule(ctx)
    return ctx.care.cache[("reviews", "arrays")]


def _place_in_periods(ctx: Context, revs: pd.DataFrame, periods: pd.DataFrame) -> pd.DataFrame:
    """Each review with the period of care it falls in (the child's latest period starting on
    or before it, if the review is not after its end); the rest set aside (a finding unless
    the child was on a short break then)."""
    if revs.empty or periods.empty:
        found = revs.assign(period_id=pd.Series(dtype="Int64"))
        _outside(ctx, revs)
        return found.iloc[0:0]
    r_child = revs["CHILD"].to_numpy(dtype=object)
    p_child = periods["CHILD"].to_numpy(dtype=object)
    codes, uniques = pd.factorize(np.concatenate([p_child, r_child]))
    p_code, r_code = codes[: len(p_child)], codes[len(p_child) :]
    p_start = periods["start"].to_numpy(dtype="datetime64[ns]")
    r_when = revs["REVIEW"].to_numpy(dtype="datetime64[ns]")
    # dates as whole days (else ranks, exact either way), so (child, date) is one integer
    both = np.concatenate([p_start, r_when])
    days = both.astype("datetime64[D]")
    if (days == both).all():
        rank = days.astype(np.int64) - days.min().astype(np.int64)
    else:
        rank = np.unique(both, return_inverse=True)[1].reshape(-1)
    width = np.int64(rank.max() + 1)
    p_key = p_code.astype(np.int64) * width + rank[: len(p_child)]
    r_key = r_code.astype(np.int64) * width + rank[len(p_child) :]
    order = np.argsort(p_key, kind="stable")
    pos = np.searchsorted(p_key[order], r_key, side="right") - 1
    hit = pos >= 0
    row = np.where(hit, order[np.maximum(pos, 0)], 0)
    hit &= p_code[row] == r_code
    end = periods["end"].to_numpy(dtype="datetime64[ns]")[row]
    inside = hit & (np.isnat(end) | (r_when <= end))
    by_date = revs["REVIEW"].reset_index(drop=True).sort_values().index.to_numpy()
    outside = revs.iloc[by_date[~inside[by_date]]].astype({"CHILD": object})
    _outside(ctx, outside.reset_index(drop=True))
    out = revs[inside].astype({"CHILD": object})
    out["period_id"] = periods["period_id"].to_numpy(dtype=np.int64)[row[inside]]
    ctx.care.cache[("reviews", "child_codes")] = (pd.Index(uniques), r_code[inside], p_code)
    return out


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
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Due events in the window as arrays: (review rows held, period rows missed, the
    missed reviews' due dates, the child codes of :class:`_ScheduleArrays`)."""
    a = _arrays(ctx)
    d = np.datetime64(as_date(end), "ns")
    s = np.datetime64(as_date(start), "ns")
    before = a.review <= d
    held = before & (a.due >= s) & (a.due <= d) & ~(a.due >= a.review_eighteen)
    n_periods = len(a.start)
    count = np.bincount(a.period_pos[before], minlength=n_periods)
    last = np.where(count > 0, a.first_review + count - 1, 0)
    nxt = (
        np.where(count == 0, a.first_due, np.where(count == 1, a.plus3[last], a.plus6[last]))
        if len(a.review)
        else a.first_due
    )
    stop = np.where(np.isnat(a.end), pd.Timestamp.max.to_datetime64(), a.end)
    stop = np.minimum(stop, d)
    overdue = (a.start <= d) & (nxt >= s) & (nxt < stop) & ~(nxt >= a.eighteen)
    return np.flatnonzero(held), np.flatnonzero(overdue), nxt, a.review_child


def due_events(ctx: Context, start: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame:
    """Due events in the window ``start``..``end`` (= D): CHILD, period_id, due, met.

    A held review whose due date is in the window is an event (met = held on time); the
    review due after the last one held is an event when it fell due in the window before D
    while the child was still in that period of care (met = False). Due dates on or after
    the 18th birthday are no events.
    """
    reviews, periods = review_schedule(ctx)
    held, missed, nxt, _ = _event_arrays(ctx, start, end)
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
    held, missed, _, review_child = _event_arrays(ctx, start, end)
    k = len(a.children)
    in_cla = np.zeros(k + 1, dtype=bool)
    cla = a.children.get_indexer(ctx.cla_at()["CHILD"].to_numpy())
    in_cla[cla] = True  # -1 (not in any period) lands on the spare last slot
    in_cla[k] = False
    child = np.concatenate([review_child[held], a.period_child[missed]])
    met = np.concatenate([a.on_time[held], np.zeros(len(missed), dtype=bool)])
    keep = in_cla[child]
    events = np.bincount(child[keep], minlength=k)
    met_events = np.bincount(child[keep], weights=met[keep], minlength=k)
    has = events > 0
    return int((met_events[has] == events[has]).sum()), int(has.sum())


def _held_mask(ctx: Context, start: pd.Timestamp, end: pd.Timestamp) -> np.ndarray:
    """Reviews held in the window (a mask over the schedule's rows)."""
    a = _arrays(ctx)
    s = np.datetime64(as_date(start), "ns")
    e = np.datetime64(as_date(end), "ns")
    return (a.review >= s) & (a.review <= e)


def _prev_perm_groups(ctx: Context, starters: pd.DataFrame) -> pd.Series:
    """Group of each starter's PrevPerm code (latest year's row); ``not_recorded`` else."""
    prev = ctx.latest("prev_perm")
    code = (
        starters["CHILD"].map(prev.set_index("CHILD")["PREV_PERM"])
        if len(prev)
        else pd.Series(np.nan, index=starters.index)
    )
    groups = code.map(PREV_PERM_GROUPS)
    unknown = code.notna() & groups.isna()
    groups = groups.fillna("not_recorded")
    no_row = groups.eq("not_recorded") & ~unknown
    if no_row.any():
        rows = starters[no_row.to_numpy(dtype=bool)]
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
    return groups


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
        held = _held_mask(ctx, *w)
        out.append(
            block(
                "reviews_held_on_time",
                d,
                w,
                numerator=[int(_arrays(ctx).on_time[held].sum())],
                denominator=[int(held.sum())],
                unit="percent",
            )
        )
    if "review_participation_pct" in ids:
        w = ctx.window("review_participation_pct")
        held = _held_mask(ctx, *w)
        a = _arrays(ctx)
        out.append(
            block(
                "review_participation_pct",
                d,
                w,
                numerator=[int(a.took_part[held].sum())],
                denominator=[int(a.aged_4_plus[held].sum())],
                unit="percent",
            )
        )
    if "review_participation" in ids:
        w = ctx.window("review_participation")
        held = _held_mask(ctx, *w)
        groups = BREAKDOWN_GROUPS["participation"]
        counts = np.bincount(_arrays(ctx).participation[held], minlength=len(groups))
        out.append(breakdown_counts(ctx, "review_participation", counts, int(held.sum()), w))
    if "started_by_prev_perm" in ids:
        w = ctx.window("started_by_prev_perm")
        starters = started_in_window(ctx, *w)
        out.append(
            breakdown_rows(
                ctx, "started_by_prev_perm", _prev_perm_groups(ctx, starters), len(starters), w
            )
        )
    return out
