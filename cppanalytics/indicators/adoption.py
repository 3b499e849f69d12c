"""Adoption: adoptions and SGOs, timeliness from decision, A1, A10 and A2.

Definitions (``shared/spec/indicators.md``, "Adoption"). "Adopted in a window" means the
child's period of care ended with REC E11/E12 in the window (one row per child: the last
such exit). The *final run* of a period is its last run of consecutive A3-A6 episodes (any
other episode, a temporary one included, ends a run); the *placed date* is its first DECOM.

* ``adopted_count`` / ``sgo_count`` (REC E43-E48): children, window default ``fytd``.
* ``adopted_pct_of_ceased``: ``adopted_count`` ÷ ``cla_ceased`` over the same window.
* ``adoption_within_12m_of_decision``: of children adopted in the window, % placed less
  than 365 days after the decision (the latest PlacedAdoption DATE_PLACED on or before the
  placed date, else AD1 DATE_INT). Excluded from both sides, each with a finding: a period
  holding an earlier A3-A6 run (``adoption_earlier_run``), no A3-A6 episode
  (``adoption_no_placement_episode``), no decision date (``adoption_no_decision_date``).
  An AD1 DATE_INT after the placed date is used as given (it counts as within 12 months)
  and is an ``adoption_decision_after_placement`` finding.
* ``adoption_a1_days``: mean days, children adopted in ``r36`` with an A3-A6 episode, from
  the start of the period of care to the placed date.
* ``adoption_a10_days``: as A1, but when adopted by the foster carer (final run starts with
  A3/A5, or AD1 FOSTER_CARE = 1) the clock stops at the start of the carer spell holding
  the first episode of the final run.
* ``adoption_a2_days``: mean days from court authority (first episode of the period with LS
  E1 or D1) to AD1 DATE_MATCH, negative counted as 0; children with neither excluded
  (``adoption_a2_excluded`` finding).

Day means carry numerator = total days, denominator = children, value = mean.

Examples
--------
>>> from cppanalytics.ssda903.dataset import Dataset
>>> from cppanalytics.indicators.context import Context
>>> from cppanalytics.results import rows_frame
>>> ds = Dataset.from_tables({"episodes": pd.DataFrame({"CHILD": ["1", "1"],
...     "DECOM": ["01/01/2022", "01/01/2023"], "RNE": ["S", "P"], "LS": ["C2", "E1"],
...     "PLACE": ["U4", "A4"], "DEC": ["01/01/2023", "01/06/2023"], "REC": ["X1", "E11"]})})
>>> rows_frame(compute(Context(ds, "2024-03-31"), {"adoption_a1_days"}))["value"].tolist()
[365.0]
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from cppanalytics.care.cohorts import last_per_child
from cppanalytics.care.episodes import ADOPTION_PLACES, ADOPTION_WITH_CARER_PLACES
from cppanalytics.findings import Severity, row_findings
from cppanalytics.indicators.context import by_key
from cppanalytics.indicators.population import (
    ceased_in_window,
    period_child_runs,
    period_codes,
)
from cppanalytics.indicators.repeats import unreported
from cppanalytics.results import Block, block

if TYPE_CHECKING:  # pragma: no cover
    from cppanalytics.indicators.context import Context

IDS: tuple[str, ...] = (
    "adopted_count",
    "adopted_pct_of_ceased",
    "sgo_count",
    "adoption_within_12m_of_decision",
    "adoption_a1_days",
    "adoption_a10_days",
    "adoption_a2_days",
)
ADOPTED_REC: tuple[str, ...] = ("E11", "E12")
SGO_REC: tuple[str, ...] = ("E43", "E44", "E45", "E46", "E47", "E48")
PLACEMENT_ORDER_LS: tuple[str, ...] = ("E1", "D1")


def _exits(ctx: Context, recs: tuple[str, ...]) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """The exits (:meth:`Context.exits`, sorted by child) ended with REC in ``recs``, their
    exit dates as int64 nanoseconds and their children's run numbers; once per run."""
    key = ("periods_ended_with", recs)
    if key not in ctx.care.cache:  # the same for every period end of a run
        p = ctx.exits()
        rows = p[p["exit_rec"].isin(list(recs)).fillna(False).astype(bool)]
        when = rows["exit_date"].to_numpy(dtype="datetime64[ns]").view("int64")
        ctx.care.cache[key] = (rows, when, period_child_runs(ctx, rows))
    return ctx.care.cache[key]  # type: ignore[no-any-return]


def exit_positions(
    ctx: Context, recs: tuple[str, ...], start: pd.Timestamp, end: pd.Timestamp
) -> np.ndarray:
    """Positions, among the exits ended with ``recs``, of each child's last exit dated in
    the window (what :func:`exits_with` returns, as positions).

    Examples
    --------
    >>> from cppanalytics.ssda903.dataset import Dataset
    >>> from cppanalytics.indicators.context import Context
    >>> exit_positions(Context(Dataset(), "2024-03-31"), ADOPTED_REC,
    ...                pd.Timestamp("2023-04-01"), pd.Timestamp("2024-03-31")).tolist()
    []
    """
    key = ("periods_ended_with", recs, start, end)
    if key not in ctx.care.cache:  # several indicators share a window
        _, when, runs = _exits(ctx, recs)
        inside = np.flatnonzero((when >= start.value) & (when <= end.value))
        ctx.care.cache[key] = last_per_child(inside, runs)
    return ctx.care.cache[key]  # type: ignore[no-any-return]


def exits_with(
    ctx: Context, recs: tuple[str, ...], start: pd.Timestamp, end: pd.Timestamp
) -> pd.DataFrame:
    """Periods ending in the window with REC in ``recs`` (one row per child, the last),
    dated as :func:`~cppanalytics.indicators.population.ceased_in_window` dates them (at
    the 18th birthday at the latest), so they are always among the window's leavers.

    Examples
    --------
    >>> from cppanalytics.ssda903.dataset import Dataset
    >>> from cppanalytics.indicators.context import Context
    >>> len(exits_with(Context(Dataset(), "2024-03-31"), ADOPTED_REC,
    ...                pd.Timestamp("2023-04-01"), pd.Timestamp("2024-03-31")))
    0
    """
    rows, _, _ = _exits(ctx, recs)
    return rows.take(exit_positions(ctx, recs, start, end)).reset_index(drop=True)


def adoption_facts(ctx: Context, adopted: pd.DataFrame) -> pd.DataFrame:
    """Per adopted period: placed date, earlier runs, carer spell start, authority date.

    Columns: ``period_id``, CHILD, ``period_start``, ``placed`` (NaT when no A3-A6
    episode), ``runs`` (number of A3-A6 runs), ``first_place`` (PLACE of the final run's
    first episode), ``spell_start`` (its carer spell start), ``authority`` (first DECOM with
    LS E1/D1, NaT if none).

    Examples
    --------
    >>> from cppanalytics.ssda903.dataset import Dataset
    >>> from cppanalytics.indicators.context import Context
    >>> adoption_facts(Context(Dataset(), "2024-03-31"), pd.DataFrame({"period_id": [], "CHILD": [],
    ...                                                     "start": []})).shape[0]
    0
    """
    eps = ctx.episodes[["period_id", "PLACE", "LS", "DECOM", "carer_spell_start"]]
    ep = eps[eps["period_id"].isin(adopted["period_id"].to_numpy())]  # (the columns read)
    period = ep["period_id"].to_numpy()
    is_a = ep["PLACE"].isin(list(ADOPTION_PLACES)).fillna(False).to_numpy(dtype=bool)
    prev_a = np.zeros(len(ep), dtype=bool)
    if len(ep):
        prev_a[1:] = is_a[:-1] & (period[1:] == period[:-1])
    run_start = is_a & ~prev_a
    starts = ep[run_start]
    runs = starts.groupby("period_id").size()
    last = starts.drop_duplicates("period_id", keep="last").set_index("period_id")
    auth_rows = ep[ep["LS"].isin(list(PLACEMENT_ORDER_LS)).fillna(False).to_numpy(dtype=bool)]
    authority = auth_rows.drop_duplicates("period_id", keep="first").set_index("period_id")
    out = adopted[["period_id", "CHILD"]].copy()
    out["period_start"] = adopted["start"].to_numpy()
    pid = out["period_id"]
    out["placed"] = by_key(last["DECOM"], pid)
    out["runs"] = by_key(runs.astype("float64"), pid).fillna(0).astype(int)
    out["first_place"] = by_key(last["PLACE"].astype("string"), pid)
    out["spell_start"] = by_key(last["carer_spell_start"], pid)
    out["authority"] = by_key(authority["DECOM"], pid)
    return out


def facts_for(ctx: Context, adopted: pd.DataFrame) -> pd.DataFrame:
    """:func:`adoption_facts` (with decision dates) for the ``adopted`` periods, computed
    once per dataset for every adoption exit and cached.

    Examples
    --------
    >>> from cppanalytics.ssda903.dataset import Dataset
    >>> from cppanalytics.indicators.context import Context
    >>> ctx = Context(Dataset(), "2024-03-31")
    >>> facts_for(ctx, exits_with(ctx, ADOPTED_REC, pd.Timestamp("2023-04-01"),
    ...                           pd.Timestamp("2024-03-31"))).shape[0]
    0
    """
    cache = ctx.care.cache
    if "adoption_facts" not in cache:
        p = ctx.care.periods
        every = p[p["exit"] & p["exit_rec"].isin(list(ADOPTED_REC)).fillna(False).astype(bool)]
        cache["adoption_facts"] = _decisions(ctx, adoption_facts(ctx, every)).set_index(
            "period_id", drop=False
        )
    facts = cache["adoption_facts"]
    return facts.loc[adopted["period_id"].to_numpy()].reset_index(drop=True)


def _findings(
    ctx: Context,
    facts: pd.DataFrame,
    pos: np.ndarray,
    code: str,
    message: str,
    fix: str,
    indicators: tuple[str, ...],
    severity: Severity = "warning",
) -> None:
    """Record one finding per row (adoption exit) of ``facts`` at positions ``pos``; an
    exit's finding, the same at every period end, is built the first time only (the run
    drops repeats: :func:`~cppanalytics.indicators.repeats.unreported`)."""
    name = f"adoption|{code}|{','.join(indicators)}|{message}"
    pos = pos[unreported(ctx, name, pos, len(facts))]
    if not len(pos):
        return
    ctx.findings.extend(
        row_findings(
            facts.take(pos),
            severity=severity,
            code=code,
            table="episodes",
            message=message,
            fix=fix,
            indicators=indicators,
        )
    )


def _decisions(ctx: Context, facts: pd.DataFrame) -> pd.DataFrame:
    """Add ``decision`` (latest DATE_PLACED on or before ``placed``, else AD1 DATE_INT)
    and ``decision_source``.

    The facts' children and the PlacedAdoption and AD1 rows are matched by their codes
    (:meth:`~cppanalytics.indicators.context.Context.child_codes`) when every fact's
    child has one and the dates are ``datetime64[ns]`` (:func:`_decision_dates`); else by
    merging on CHILD.
    """
    out = facts.copy()
    found = _decision_dates(ctx, facts)
    if found is not None:
        from_pa, from_ad1 = found
    else:
        pa = ctx.data.placed_adoption[["CHILD", "DATE_PLACED"]].dropna().drop_duplicates()
        cand = facts[["period_id", "CHILD", "placed"]].merge(pa, on="CHILD", how="inner")
        cand = cand[cand["DATE_PLACED"] <= cand["placed"]]
        latest = cand.groupby("period_id")["DATE_PLACED"].max()
        ad1 = ctx.latest("ad1")
        date_int = (
            ad1.set_index("CHILD")["DATE_INT"] if len(ad1) else pd.Series(dtype="datetime64[ns]")
        )
        from_pa = by_key(latest.astype("datetime64[ns]"), out["period_id"])
        from_ad1 = by_key(date_int.astype("datetime64[ns]"), out["CHILD"])
    out["decision"] = from_pa.fillna(from_ad1)
    out["decision_source"] = np.where(
        from_pa.notna(), "placed_adoption", np.where(from_ad1.notna(), "ad1", "")
    )
    return out


def _decision_dates(ctx: Context, facts: pd.DataFrame) -> tuple[pd.Series, pd.Series] | None:
    """For each fact (one adopted period each): the latest PlacedAdoption DATE_PLACED of
    its child on or before ``placed`` and its child's AD1 DATE_INT (latest year's row),
    NaT where there is none, as :func:`_decisions`' merge and look-up give them; the
    children matched by code, not text. None (look them up by text) when a fact's child
    has no code, a period repeats, an AD1 child repeats or a date column is not
    ``datetime64[ns]``.

    Examples
    --------
    >>> from cppanalytics.ssda903.dataset import Dataset
    >>> from cppanalytics.indicators.context import Context
    >>> ds = Dataset.from_tables({"episodes": pd.DataFrame({"CHILD": ["1"],
    ...     "DECOM": ["01/04/2023"], "RNE": ["S"], "LS": ["E1"], "PLACE": ["A3"],
    ...     "DEC": ["01/02/2024"], "REC": ["E11"]}), "placed_adoption": pd.DataFrame({
    ...     "CHILD": ["1", "1"], "DATE_PLACED": ["01/05/2023", "01/03/2024"]})})
    >>> facts = pd.DataFrame({"period_id": [0], "CHILD": ["1"],
    ...     "placed": pd.to_datetime(["2023-04-01"]).astype("datetime64[ns]")})
    >>> [s.tolist() for s in _decision_dates(Context(ds, "2024-03-31"), facts)]
    [[NaT], [NaT]]
    >>> facts["placed"] = pd.to_datetime(["2023-06-01"]).astype("datetime64[ns]")
    >>> _decision_dates(Context(ds, "2024-03-31"), facts)[0].tolist()
    [Timestamp('2023-05-01 00:00:00')]
    """
    ns = np.dtype("datetime64[ns]")
    pa = ctx.data.placed_adoption
    ad1 = ctx.latest("ad1")
    if (
        facts["placed"].dtype != ns
        or (len(pa) and pa["DATE_PLACED"].dtype != ns)
        or (len(ad1) and ad1["DATE_INT"].dtype != ns)
        or facts["period_id"].duplicated().any()
        or (len(ad1) and ad1["CHILD"].isna().sum() > 1)
    ):
        return None
    child = fact_children(ctx, facts)
    if (child < 0).any():
        return None
    nat = np.datetime64("NaT", "ns")
    latest = np.full(len(facts), nat, dtype=ns)
    if len(pa):
        latest = _latest_on_or_before(
            child,
            facts["placed"].to_numpy(dtype=ns),
            ctx.child_codes(pa["CHILD"].to_numpy(dtype=object)),  # no CHILD: -1
            pa["DATE_PLACED"].to_numpy(dtype=ns),
        )
    date_int = np.full(len(facts), nat, dtype=ns)
    if len(ad1):
        at = _ad1_rows(ctx, child)
        if at is None:
            return None
        values = np.append(ad1["DATE_INT"].to_numpy(dtype=ns), nat)  # -1: none
        date_int = values[at]
    index = facts.index
    return pd.Series(latest, index=index, dtype=ns), pd.Series(date_int, index=index, dtype=ns)


def fact_children(ctx: Context, facts: pd.DataFrame) -> np.ndarray:
    """:meth:`~cppanalytics.indicators.context.Context.child_codes` of the facts' CHILD
    (one row per period of care, ``period_id`` and CHILD as the periods hold them), taken
    from each period's child code instead of looking the text up; by the text when a
    period is not among the prepared episodes'.

    Examples
    --------
    >>> from cppanalytics.ssda903.dataset import Dataset
    >>> from cppanalytics.indicators.context import Context
    >>> ds = Dataset.from_tables({"episodes": pd.DataFrame({"CHILD": ["b", "a"],
    ...     "DECOM": ["01/04/2023"] * 2, "RNE": ["S"] * 2, "LS": ["E1"] * 2,
    ...     "PLACE": ["A3"] * 2, "DEC": ["01/02/2024"] * 2, "REC": ["E11"] * 2})})
    >>> ctx = Context(ds, "2024-03-31")
    >>> fact_children(ctx, ctx.periods()[["period_id", "CHILD"]]).tolist()
    [0, 1]
    """
    codes = period_codes(ctx, facts["period_id"])
    if codes is not None:
        return codes
    return ctx.child_codes(facts["CHILD"].to_numpy(dtype=object))


def _ad1_rows(ctx: Context, child: np.ndarray) -> np.ndarray | None:
    """For each child code (:meth:`~cppanalytics.indicators.context.Context.child_codes`,
    all known), the position of the child's row in the latest AD1 rows (-1: none), from
    the AD1 children coded once per run; None when two AD1 rows share a code."""
    key = ("adoption", "ad1_row_by_child")
    if key not in ctx.care.cache:
        ad1 = ctx.latest("ad1")
        code = ctx.child_codes(ad1["CHILD"].to_numpy(dtype=object))
        coded = np.flatnonzero(code >= 0)
        row: np.ndarray | None = None
        if len(np.unique(code[coded])) == len(coded):
            row = np.full(len(ctx.episode_child_codes()[1]), -1, dtype=np.int64)
            row[code[coded]] = coded
        ctx.care.cache[key] = row
    row = ctx.care.cache[key]
    return None if row is None else row[child]


def ad1_values(ctx: Context, facts: pd.DataFrame, column: str, dtype: str) -> pd.Series:
    """The latest AD1 ``column`` (as ``dtype``) of each fact's child, missing where the
    child has no AD1 row: ``by_key(ad1.set_index("CHILD")[column], facts["CHILD"])``,
    looked up by the children's codes (:func:`fact_children`) instead of their text.

    Examples
    --------
    >>> from cppanalytics.ssda903.dataset import Dataset
    >>> from cppanalytics.indicators.context import Context
    >>> ds = Dataset.from_tables({"episodes": pd.DataFrame({"CHILD": ["b", "a"],
    ...     "DECOM": ["01/04/2023"] * 2, "RNE": ["S"] * 2, "LS": ["E1"] * 2,
    ...     "PLACE": ["A3"] * 2, "DEC": ["01/02/2024"] * 2, "REC": ["E11"] * 2}),
    ...     "ad1": pd.DataFrame({"CHILD": ["b"], "FOSTER_CARE": ["1"]})})
    >>> ctx = Context(ds, "2024-03-31")
    >>> ad1_values(ctx, ctx.periods(), "FOSTER_CARE", "string").tolist()
    [<NA>, '1']
    """
    ad1 = ctx.latest("ad1")
    if len(ad1):
        child = fact_children(ctx, facts)
        at = _ad1_rows(ctx, child) if (child >= 0).all() else None
        if at is not None:
            values = ad1[column].astype(dtype)
            if not isinstance(values.dtype, np.dtype):  # (text): missing where none
                taken = values.array.take(at, allow_fill=True)
                return pd.Series(taken, index=facts.index, dtype=values.dtype)
            if values.dtype.kind == "M":  # dates: NaT where there is none
                nat = np.array(["NaT"], dtype=values.dtype)
                dates = np.append(values.to_numpy(), nat)[at]  # -1 takes the last
                return pd.Series(dates, index=facts.index, dtype=values.dtype)
        mapping = ad1.set_index("CHILD")[column]
    else:
        mapping = pd.Series(dtype=dtype)
    return by_key(mapping.astype(dtype), facts["CHILD"])


def _latest_on_or_before(
    child: np.ndarray, when: np.ndarray, cand_child: np.ndarray, cand_when: np.ndarray
) -> np.ndarray:
    """For each (``child``, ``when``), the latest ``cand_when`` of a candidate of the same
    child on or before ``when`` (NaT: none, and for a NaT ``when``); candidates with a
    negative child or a NaT date are left out. Candidates and questions sorted together
    by (child, date): one search each, no pair of rows joined.

    Examples
    --------
    >>> days = lambda *d: np.array(d, dtype="datetime64[D]").astype("datetime64[ns]")
    >>> got = _latest_on_or_before(np.array([0, 0, 1]), days("2024-01-10", "2024-01-01",
    ...     "2024-01-10"), np.array([0, 0, 1]), days("2024-01-05", "2024-01-10", "2024-01-11"))
    >>> got.astype("datetime64[D]").astype(str).tolist()
    ['2024-01-10', 'NaT', 'NaT']
    """
    out = np.full(len(child), np.datetime64("NaT", "ns"), dtype="datetime64[ns]")
    keep = (cand_child >= 0) & ~np.isnat(cand_when)
    c_child, c_when = cand_child[keep].astype(np.int64), cand_when[keep]
    ask = np.flatnonzero((child >= 0) & ~np.isnat(when))
    if not len(c_child) or not len(ask):
        return out
    # the dates as ranks among both sets: (child, date) as one integer
    rank = np.unique(np.concatenate([c_when, when[ask]]), return_inverse=True)[1].reshape(-1)
    width = np.int64(rank.max()) + 1
    c_key = c_child * width + rank[: len(c_when)]
    q_key = child[ask].astype(np.int64) * width + rank[len(c_when) :]
    order = np.argsort(c_key, kind="stable")
    pos = np.searchsorted(c_key[order], q_key, side="right") - 1  # the last at or below
    row = order[np.maximum(pos, 0)]
    same = (pos >= 0) & (c_child[row] == child[ask])
    out[ask[same]] = c_when[row[same]]
    return out


def _adopted(ctx: Context) -> tuple[pd.DataFrame, dict[str, np.ndarray]]:
    """:func:`facts_for` every adoption exit (row ``i`` for exit position ``i`` of
    :func:`exit_positions`) and, per exit, what the timeliness measures ask of it; once per
    run, so each period end only picks positions.

    Keys: ``no_a`` (no A3-A6 episode), ``earlier`` (an earlier run), ``no_decision``,
    ``after`` (decision after placement), ``within`` (placed < 365 days after the decision),
    ``a1`` and ``a10`` (days; NaN where unknown), ``a2_excluded`` and ``a2`` (days, >= 0).
    """
    key = "adoption_facts_by_exit"
    if key in ctx.care.cache:
        return ctx.care.cache[key]  # type: ignore[no-any-return]
    rows, _, _ = _exits(ctx, ADOPTED_REC)
    facts = facts_for(ctx, rows)
    placed, decision = facts["placed"], facts["decision"]
    no_a = placed.isna().to_numpy(dtype=bool)
    fc = ad1_values(ctx, facts, "FOSTER_CARE", "string")
    by_carer = facts["first_place"].isin(list(ADOPTION_WITH_CARER_PLACES)).fillna(False).to_numpy(
        dtype=bool
    ) | fc.eq("1").fillna(False).to_numpy(dtype=bool)
    a10_end = placed.where(~by_carer | facts["spell_start"].isna(), facts["spell_start"])
    matched = ad1_values(ctx, facts, "DATE_MATCH", "datetime64[ns]")
    derived = {
        "no_a": no_a,
        "earlier": ~no_a & (facts["runs"] > 1).to_numpy(dtype=bool),
        "no_decision": decision.isna().to_numpy(dtype=bool),
        "after": (decision > placed).to_numpy(dtype=bool),
        "within": ((placed - decision).dt.days < 365).to_numpy(dtype=bool),
        "a1": (placed - facts["period_start"]).dt.days.to_numpy(dtype="float64"),
        "a10": (a10_end - facts["period_start"]).dt.days.to_numpy(dtype="float64"),
        "a2_excluded": (facts["authority"].isna() | matched.isna()).to_numpy(dtype=bool),
        "a2": (matched - facts["authority"]).dt.days.clip(lower=0).to_numpy(dtype="float64"),
    }
    ctx.care.cache[key] = (facts, derived)
    return facts, derived


def _mean_days(ctx: Context, indicator_id: str, days: np.ndarray) -> Block:
    """Result row for a mean of days (numerator total, denominator count; NaN days are
    left out)."""
    known = days[~np.isnan(days)]
    total, count = float(known.sum()), len(known)
    return block(
        indicator_id,
        ctx.period_end,
        ctx.window(indicator_id),
        numerator=[total],
        denominator=[count],
        value=[total / count if count else np.nan],
        unit="days",
    )


def _within_12m(ctx: Context) -> Block:
    """Row for ``adoption_within_12m_of_decision``."""
    iid = "adoption_within_12m_of_decision"
    win = ctx.window(iid)
    pos = exit_positions(ctx, ADOPTED_REC, *win)
    facts, d = _adopted(ctx)
    ind = (iid,)
    no_a = d["no_a"][pos]
    _findings(
        ctx,
        facts,
        pos[no_a],
        "adoption_no_placement_episode",
        "Child was adopted but no episode of the period of care has PLACE A3-A6 "
        "(placed for adoption); left out of adoption timeliness.",
        "Record the placed-for-adoption episode (PLACE A3-A6).",
        ind,
    )
    earlier = d["earlier"][pos]
    _findings(
        ctx,
        facts,
        pos[earlier],
        "adoption_earlier_run",
        "Child's period of care holds an earlier placed-for-adoption run that did not "
        "end in adoption; left out of timeliness from decision.",
        "No action needed if the earlier adoptive placement did disrupt; otherwise "
        "correct the episodes.",
        ind,
        "info",
    )
    pos = pos[~no_a & ~earlier]
    no_decision = d["no_decision"][pos]
    _findings(
        ctx,
        facts,
        pos[no_decision],
        "adoption_no_decision_date",
        "Child was adopted but has no decision date (PlacedAdoption DATE_PLACED on or "
        "before placement, or AD1 DATE_INT); left out of timeliness from decision.",
        "Record the date of the decision that the child should be placed for adoption.",
        ind,
    )
    pos = pos[~no_decision]
    _findings(
        ctx,
        facts,
        pos[d["after"][pos]],
        "adoption_decision_after_placement",
        "AD1 DATE_INT (decision to place for adoption) is after the child was placed "
        "for adoption; used as given.",
        "Check AD1 DATE_INT and the placed-for-adoption episode dates.",
        ind,
    )
    return block(
        iid,
        ctx.period_end,
        win,
        numerator=[int(d["within"][pos].sum())],
        denominator=[len(pos)],
        unit="percent",
    )


def compute(ctx: Context, ids: set[str]) -> list[Block]:
    """Adoption indicators at ``ctx.period_end`` for the requested ``ids``."""
    d = ctx.period_end
    out: list[Block] = []
    if "adopted_count" in ids:
        win = ctx.window("adopted_count")
        out.append(
            block(
                "adopted_count",
                d,
                win,
                numerator=[len(exit_positions(ctx, ADOPTED_REC, *win))],
                unit="count",
            )
        )
    if "adopted_pct_of_ceased" in ids:
        win = ctx.window("adopted_pct_of_ceased")
        out.append(
            block(
                "adopted_pct_of_ceased",
                d,
                win,
                numerator=[len(exit_positions(ctx, ADOPTED_REC, *win))],
                denominator=[len(ceased_in_window(ctx, *win))],
                unit="percent",
            )
        )
    if "sgo_count" in ids:
        win = ctx.window("sgo_count")
        out.append(
            block(
                "sgo_count",
                d,
                win,
                numerator=[len(exit_positions(ctx, SGO_REC, *win))],
                unit="count",
            )
        )
    if "adoption_within_12m_of_decision" in ids:
        out.append(_within_12m(ctx))
    for iid in ("adoption_a1_days", "adoption_a10_days", "adoption_a2_days"):
        if iid not in ids:
            continue
        pos = exit_positions(ctx, ADOPTED_REC, *ctx.window(iid))
        facts, days = _adopted(ctx)
        if iid == "adoption_a2_days":
            excluded = days["a2_excluded"][pos]
            _findings(
                ctx,
                facts,
                pos[excluded],
                "adoption_a2_excluded",
                "Adopted child has no episode with LS E1/D1 (placement order) or no AD1 "
                "DATE_MATCH; left out of A2.",
                "Record the placement order legal status and the AD1 match date.",
                (iid,),
                "info",
            )
            out.append(_mean_days(ctx, iid, days["a2"][pos[~excluded]]))
            continue
        no_a = days["no_a"][pos]
        _findings(
            ctx,
            facts,
            pos[no_a],
            "adoption_no_placement_episode",
            "Child was adopted but no episode of the period of care has PLACE A3-A6 "
            "(placed for adoption); left out of A1/A10.",
            "Record the placed-for-adoption episode (PLACE A3-A6).",
            (iid,),
        )
        measure = "a10" if iid == "adoption_a10_days" else "a1"
        out.append(_mean_days(ctx, iid, days[measure][pos[~no_a]]))
    return out
