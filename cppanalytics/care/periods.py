"""Periods of care: chains of episodes joined by REC X1 on the same day.

A period starts at the first DECOM of a chain and ends at the first DEC whose REC is not
X1 (an **exit**), or is open. An exit followed by a re-entry the same day is two periods.
An X1 with no episode of the child starting that day breaks the chain: the period ends
there but it is **not** an exit (it is not counted as ceasing care) and it is a
``x1_chain_broken`` finding. The period that follows such a break is flagged
``period_after_break`` (so reports can point at it); it is a period of care starting, so it
counts in ``cla_started`` as the spec defines starts by periods.

Columns added by :func:`add_periods` (one value per episode, constant within a period):
``period_id`` (int), ``period_start``, ``period_end`` (last DEC, NaT if open),
``period_exit`` (bool: ended by an exit), ``period_exit_rec`` (REC of the exit),
``period_after_break`` (bool).

Examples
--------
>>> from cppanalytics.care.episodes import clean_episodes
>>> raw = pd.DataFrame({"CHILD": ["1", "1"],
...     "DECOM": pd.to_datetime(["2023-01-01", "2023-02-01"]),
...     "DEC": pd.to_datetime(["2023-02-01", None]), "REC": ["X1", None], "LS": ["C2"] * 2})
>>> add_periods(clean_episodes(raw)[0])[0]["period_id"].tolist()
[0, 0]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cppanalytics.care.episodes import _finding_frame, finding_rows, text_rows
from cppanalytics.ssda903.coded import factorize_text


def add_periods(
    eps: pd.DataFrame, child_runs: np.ndarray | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Assign each (cleaned, sorted) episode to its period of care.

    Parameters
    ----------
    eps
        output of :func:`cppanalytics.care.episodes.clean_episodes`.
    child_runs
        each row's child numbered 0, 1, ... (from
        :func:`~cppanalytics.care.episodes.clean_episodes_coded`), if at hand: then the
        CHILD texts are not compared again.

    Returns
    -------
    (episodes, findings)
        episodes with the period columns, and ``x1_chain_broken`` findings.

    Examples
    --------
    >>> from cppanalytics.care.episodes import clean_episodes
    >>> raw = pd.DataFrame({"CHILD": ["1", "1"],
    ...     "DECOM": pd.to_datetime(["2023-01-01", "2023-03-01"]),
    ...     "DEC": pd.to_datetime(["2023-02-01", None]), "REC": ["X1", None], "LS": ["C2"] * 2})
    >>> out, f = add_periods(clean_episodes(raw)[0])
    >>> out["period_id"].tolist(), bool(out["period_exit"].iloc[0]), f["code"].tolist()
    ([0, 1], False, ['x1_chain_broken'])
    """
    out = eps.copy(deep=False)  # copy-on-write
    n = len(out)
    # REC_eff == "X1", tested once per distinct value (the rows share string objects)
    rec_codes, rec_values = factorize_text(out["REC_eff"])
    x1 = np.append(np.asarray(rec_values, dtype=object) == "X1", False)  # -1: missing
    is_x1 = x1[rec_codes]
    dec = out["DEC_eff"].to_numpy(dtype="datetime64[ns]")
    closed_x1 = is_x1 & ~np.isnat(dec)
    same_day_next = out["next_DECOM"].to_numpy(dtype="datetime64[ns]") == dec  # NaT: False
    joins_next = closed_x1 & same_day_next
    broken = closed_x1 & ~same_day_next
    child = out["CHILD"].to_numpy() if child_runs is None else child_runs
    new_child = np.ones(n, dtype=bool)
    if n:
        new_child[1:] = child[1:] != child[:-1]
    prev_joins = np.zeros(n, dtype=bool)
    prev_broken = np.zeros(n, dtype=bool)
    if n:
        prev_joins[1:] = joins_next[:-1]
        prev_broken[1:] = broken[:-1]
    new_period = new_child | ~prev_joins
    period_id = np.cumsum(new_period) - 1
    out["period_id"] = period_id

    first_pos = np.flatnonzero(new_period)
    last_pos = np.append(first_pos[1:] - 1, n - 1) if n else first_pos
    start = out["DECOM"].to_numpy()[first_pos]
    end = dec[last_pos]
    exit_ = ~np.isnat(end) & ~broken[last_pos] if n else np.array([], dtype=bool)
    after_break = (~new_child[first_pos]) & prev_broken[first_pos] if n else exit_
    out["period_start"] = start[period_id] if n else out["DECOM"]
    out["period_end"] = pd.Series(
        end[period_id] if n else [], index=out.index, dtype="datetime64[ns]", copy=False
    )
    out["period_exit"] = exit_[period_id] if n else np.array([], dtype=bool)
    out["period_exit_rec"] = _exit_recs(out["REC_eff"], None, last_pos, exit_, period_id)
    out["period_after_break"] = after_break[period_id] if n else np.array([], dtype=bool)

    at = np.flatnonzero(broken)
    findings = _finding_frame(
        finding_rows(out, at),
        "warning",
        "x1_chain_broken",
        "REC",
        "Episode ends with REC X1 (a new episode starts the same day) but no episode of the "
        "child starts on that date; the period of care is treated as ending here without "
        "the child leaving care.",
        "Add the missing episode, or correct REC/DEC of this episode or DECOM of the next.",
        "loaded",
        out["DEC_eff"].iloc[at],
    )
    return out, findings


def _exit_recs(
    rec: pd.Series,
    rec_last: np.ndarray | None,
    last_pos: np.ndarray,
    exit_: np.ndarray,
    period_id: np.ndarray,
) -> pd.Series:
    """Each row's period's exit REC (the REC of the period's last episode when the period
    ends in an exit, else missing), as ``string``.

    ``string`` text with ``pd.NA`` for missing is taken from ``rec`` in one take (the
    positions of periods without an exit filled with missing); other text is made from
    ``rec_last`` (``rec`` at ``last_pos``, taken here when None) as a ``string`` Series
    first.

    Examples
    --------
    >>> rec = pd.Series(["X1", "E4A", "E11"], dtype="string")
    >>> ids = np.array([0, 0, 1])
    >>> out = _exit_recs(rec, rec.to_numpy()[[1, 2]], np.array([1, 2]), np.array([True, False]), ids)
    >>> list(out)
    ['E4A', 'E4A', <NA>]
    """
    if len(period_id) and isinstance(rec.dtype, pd.StringDtype) and rec.dtype.na_value is pd.NA:
        at = np.where(exit_, last_pos, -1)[period_id]
        taken = rec.array.take(at, allow_fill=True)
        return pd.Series(taken, index=rec.index, copy=False).astype("string")
    if rec_last is None:
        rec_last = rec.to_numpy()[last_pos]
    if not len(period_id):
        return pd.Series(rec_last, dtype="string").where(pd.Series(exit_)).astype("string")
    exit_rec = pd.Series(rec_last, dtype="string").where(pd.Series(exit_))
    taken = exit_rec.array.take(period_id)
    return pd.Series(taken, index=rec.index, copy=False).astype("string")


def periods_table(eps: pd.DataFrame) -> pd.DataFrame:
    """One row per period of care: ``period_id``, CHILD, ``start``, ``end``, ``exit``,
    ``exit_rec``, ``after_break``.

    Examples
    --------
    >>> from cppanalytics.care.episodes import clean_episodes
    >>> raw = pd.DataFrame({"CHILD": ["1", "1"],
    ...     "DECOM": pd.to_datetime(["2023-01-01", "2023-02-01"]),
    ...     "DEC": pd.to_datetime(["2023-02-01", None]), "REC": ["E4A", None], "LS": ["C2"] * 2})
    >>> periods_table(add_periods(clean_episodes(raw)[0])[0])["exit"].tolist()
    [True, False]
    """
    # each period's first episode (as drop_duplicates keeps it), only the columns used taken
    period = eps["period_id"].to_numpy()
    if len(period) and (np.diff(period) >= 0).all():  # numbered in row order: where it rises
        first = np.flatnonzero(np.diff(period, prepend=period[0] - 1))
    else:
        first = np.flatnonzero(~pd.Series(period).duplicated(keep="first"))

    def column(name: str) -> np.ndarray:
        """``name`` of each period's first episode."""
        return eps[name].to_numpy()[first]

    return pd.DataFrame(
        {
            "period_id": column("period_id"),
            "CHILD": text_rows(eps["CHILD"], first),
            "start": column("period_start"),
            "end": column("period_end"),
            "exit": eps["period_exit"].to_numpy(dtype=bool)[first],
            "exit_rec": text_rows(eps["period_exit_rec"], first),
            "after_break": eps["period_after_break"].to_numpy(dtype=bool)[first],
        },
        copy=False,
    )
