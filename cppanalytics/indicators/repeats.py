"""Findings repeated at many period ends, written once per run.

A run over many period ends (:func:`cppanalytics.indicators.compute.compute`) drops the
repeated rows of its findings when it returns them (``drop_duplicates``: the first of each
kept, in order). A finding about a row of a per-run table (an episode, a move, an OC2 row)
whose text depends only on that row is the same at every period end the row is found at,
so a module need only build it the first time: later ends skip the rows already written
(:func:`unreported`), and the run's findings come out as before, row for row, in order.

Only the run's own collector (the one :func:`mark_repeats_dropped` names) is treated so: a
context writing to any other collector writes every finding at every end, as it did.

Examples
--------
>>> from cppanalytics.ssda903.dataset import Dataset
>>> from cppanalytics.indicators.context import Context
>>> ctx = Context(Dataset(), "2024-03-31")
>>> unreported(ctx, "x", np.array([0, 2]), 3).tolist()  # repeats not dropped: all new
[True, True]
>>> mark_repeats_dropped(ctx)
>>> unreported(ctx, "x", np.array([0, 2]), 3).tolist()
[True, True]
>>> unreported(ctx, "x", np.array([2, 1]), 3).tolist()
[False, True]
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    from cppanalytics.indicators.context import Context

#: the per-run cache entry naming the collector whose repeated rows the run drops
_COLLECTOR_KEY = ("repeats", "collector")


def mark_repeats_dropped(ctx: Context) -> None:
    """Record that the run drops repeated findings from ``ctx.findings`` (its collector)
    when it ends, so modules may skip writing a row's finding again at later ends.

    Parameters
    ----------
    ctx
        the run's base context (every context made from it with ``at`` shares the record).

    Returns
    -------
    None

    Examples
    --------
    See the module docstring.
    """
    ctx.care.cache[_COLLECTOR_KEY] = ctx.findings


def unreported(ctx: Context, name: str, rows: np.ndarray, size: int) -> np.ndarray:
    """Which of ``rows`` (positions in a per-run table of ``size`` rows) have not had their
    finding ``name`` written yet in this run, marking them all written.

    Every row is new unless the run drops repeated findings from ``ctx.findings``
    (:func:`mark_repeats_dropped`). A position given twice at one end is new both times
    (both were written before, as repeats dropped at the end).

    Parameters
    ----------
    ctx
        the indicator context at this period end.
    name
        the finding's name in this run (one per kind of row finding).
    rows
        int positions of the rows a finding would be written for now.
    size
        the length of the table ``rows`` index.

    Returns
    -------
    numpy.ndarray
        bool, one per row of ``rows``: write its finding.

    Examples
    --------
    See the module docstring.
    """
    rows = np.asarray(rows, dtype=np.int64)
    if ctx.care.cache.get(_COLLECTOR_KEY) is not ctx.findings:
        return np.ones(len(rows), dtype=bool)
    key = ("repeats", name)
    seen = ctx.care.cache.get(key)
    if seen is None or len(seen) != size:
        seen = ctx.care.cache[key] = np.zeros(size, dtype=bool)
    new = ~seen[rows]
    seen[rows] = True
    return new
