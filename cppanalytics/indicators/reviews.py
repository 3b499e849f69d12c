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
from cppanalytics.indicators.population import breakdown_rows, started_in_window
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
    dob = periods[["CHILD"]].merge(ctx.header[["CHILD", "DOB"]], on="CHILD", how="left")
    periods["eighteen"] = (pd.to_datetime(dob["DOB"]) + pd.DateOffset(years=18)).to_numpy()
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
    placed = placed.sort_values(["period_id", "REVIEW"], kind="stable").reset_index(drop=True)
    placed["number"] = placed.groupby("period_id").cumcount() + 1
    prev = placed.groupby("period_id")["REVIEW"].shift(1)
    start = by_key(periods.set_index("period_id")["start"], placed["period_id"])
    due = add_working_days(start, FIRST_REVIEW_WORKING_DAYS)
    due = due.where(placed["number"] == 1, _plus_months(prev, SECOND_REVIEW_MONTHS))
    due = due.where(placed["number"] <= 2, _plus_months(prev, LATER_REVIEW_MONTHS))
    placed["due"] = due
    placed["on_time"] = (placed["REVIEW"] <= placed["due"]).to_numpy(dtype=bool)
    ctx.care.cache[key] = (placed, periods)
    return placed, periods


def _place_in_periods(ctx: Context, revs: pd.DataFrame, periods: pd.DataFrame) -> pd.DataFrame:
    """Each review with the period of care it falls in; the rest set aside (a finding unless
    the child was on a short break then)."""
    if revs.empty or periods.empty:
        found = revs.assign(period_id=pd.Series(dtype="Int64"))
        _outside(ctx, revs)
        return found.iloc[0:0]
    # merge_asof needs identical key dtypes (text storage may differ)
    r = revs.assign(_i=np.arange(len(revs))).sort_values("REVIEW").astype({"CHILD": object})
    p = periods.sort_values("start").astype({"CHILD": object})
    m = pd.merge_asof(
        r,
        p[["CHILD", "start", "end", "period_id"]],
        left_on="REVIEW",
        right_on="start",
        by="CHILD",
        direction="backward",
    )
    inside = m["period_id"].notna() & (m["end"].isna() | (m["REVIEW"] <= m["end"]))
    _outside(ctx, m[~inside])
    out = m[inside].drop(columns=["start", "end"])
    out["period_id"] = out["period_id"].astype("int64")
    return out.sort_values("_i").drop(columns="_i")


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


def _schedule_dates(
    ctx: Context, reviews: pd.DataFrame, periods: pd.DataFrame
) -> tuple[pd.Series, pd.Series]:
    """Each review's period's 18th birthday, and each period's first review due date
    (the same at every period end of a run, so worked out once)."""
    key = ("reviews", "schedule_dates")
    if key not in ctx.care.cache:
        eighteen = by_key(periods.set_index("period_id")["eighteen"], reviews["period_id"])
        first_due = add_working_days(periods["start"], FIRST_REVIEW_WORKING_DAYS)
        ctx.care.cache[key] = (eighteen, first_due)
    return ctx.care.cache[key]


def due_events(ctx: Context, start: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame:
    """Due events in the window ``start``..``end`` (= D): CHILD, period_id, due, met.

    A held review whose due date is in the window is an event (met = held on time); the
    review due after the last one held is an event when it fell due in the window before D
    while the child was still in that period of care (met = False). Due dates on or after
    the 18th birthday are no events.
    """
    reviews, periods = review_schedule(ctx)
    d = as_date(end)
    held = reviews[(reviews["REVIEW"] <= d) & (reviews["due"] >= start) & (reviews["due"] <= d)]
    eighteen, first_due = _schedule_dates(ctx, reviews, periods)
    held = held[~(held["due"] >= eighteen[held.index])]
    events = [held[["CHILD", "period_id", "due"]].assign(met=held["on_time"].to_numpy())]
    # the review due after the last one held by D (reviews after D are not known at D)
    before = reviews[reviews["REVIEW"] <= d]
    last = before.drop_duplicates("period_id", keep="last").set_index("period_id")
    p = periods.copy()
    n_last = p["period_id"].map(last["number"]).fillna(0).astype(int)
    when = by_key(last["REVIEW"], p["period_id"])
    nxt = first_due.where(n_last == 0, _plus_months(when, SECOND_REVIEW_MONTHS))
    nxt = nxt.where(n_last <= 1, _plus_months(when, LATER_REVIEW_MONTHS))
    stop = p["end"].fillna(pd.Timestamp.max).clip(upper=d)
    overdue = (p["start"] <= d) & (nxt >= start) & (nxt < stop) & ~(nxt >= p["eighteen"])
    missed = p[overdue.to_numpy(dtype=bool)]
    events.append(
        pd.DataFrame(
            {
                "CHILD": missed["CHILD"],
                "period_id": missed["period_id"],
                "due": nxt[overdue.to_numpy(dtype=bool)],
                "met": False,
            }
        )
    )
    return pd.concat(events, ignore_index=True)


def _held_in(ctx: Context, start: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame:
    reviews, _ = review_schedule(ctx)
    return reviews[(reviews["REVIEW"] >= start) & (reviews["REVIEW"] <= end)]


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
        ev = due_events(ctx, *w)
        cla = set(ctx.cla_at()["CHILD"])
        ev = ev[ev["CHILD"].isin(cla)]
        per_child = ev.groupby("CHILD")["met"].all()
        out.append(
            block(
                "reviews_on_time",
                d,
                w,
                numerator=[int(per_child.sum())],
                denominator=[len(per_child)],
                unit="percent",
            )
        )
    if "reviews_held_on_time" in ids:
        w = ctx.window("reviews_held_on_time")
        held = _held_in(ctx, *w)
        out.append(
            block(
                "reviews_held_on_time",
                d,
                w,
                numerator=[int(held["on_time"].sum())],
                denominator=[len(held)],
                unit="percent",
            )
        )
    if "review_participation_pct" in ids:
        w = ctx.window("review_participation_pct")
        code = _held_in(ctx, *w)["REVIEW_CODE"]
        out.append(
            block(
                "review_participation_pct",
                d,
                w,
                numerator=[int(code.isin(TOOK_PART).sum())],
                denominator=[int(code.isin(AGED_4_PLUS).sum())],
                unit="percent",
            )
        )
    if "review_participation" in ids:
        w = ctx.window("review_participation")
        code = _held_in(ctx, *w)["REVIEW_CODE"]
        valid = BREAKDOWN_GROUPS["participation"][:-1]
        labels = code.where(code.isin(valid), "not_recorded")
        out.append(breakdown_rows(ctx, "review_participation", labels, len(labels), w))
    if "started_by_prev_perm" in ids:
        w = ctx.window("started_by_prev_perm")
        starters = started_in_window(ctx, *w)
        out.append(
            breakdown_rows(
                ctx, "started_by_prev_perm", _prev_perm_groups(ctx, starters), len(starters), w
            )
        )
    return out
