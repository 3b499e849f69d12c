"""Cheap result-row blocks: build many indicators' rows, make one results frame.

:func:`cppanalytics.results.result_rows` builds and normalises a DataFrame per call, which
costs milliseconds; over a catalogue × many period ends that dominates the run time. The
engine's modules build light :class:`Block` records with :func:`block` (same arguments and
the same value rules as ``result_rows``) and turn a list of them into one results-contract
frame with :func:`to_frame` (one normalisation).

Examples
--------
>>> b = block("x", "2024-03-31", ("2023-04-01", "2024-03-31"), numerator=[1, 3],
...           denominator=[4, 4], unit="percent", breakdown="sex", groups=["male", "female"])
>>> to_frame([b])["value"].tolist()
[25.0, 75.0]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cppanalytics.results import RESULT_COLUMNS, empty_results, normalise_results

_MULT = {"percent": 100.0, "rate_per_10k": 10_000.0}


@dataclass
class Block:
    """Rows of one indicator (one per group) before they become a DataFrame."""

    indicator_id: str
    period_end: pd.Timestamp
    window: tuple[pd.Timestamp, pd.Timestamp]
    numerator: np.ndarray
    denominator: np.ndarray
    value: np.ndarray
    unit: str
    breakdown: str
    groups: list[str]
    note: str


def block(
    indicator_id: str,
    period_end: str | pd.Timestamp,
    window: tuple[str | pd.Timestamp, str | pd.Timestamp],
    *,
    numerator: Sequence[float] | np.ndarray | pd.Series,
    denominator: Sequence[float] | np.ndarray | pd.Series | None = None,
    value: Sequence[float] | np.ndarray | pd.Series | None = None,
    unit: str,
    breakdown: str = "",
    groups: Sequence[str] | None = None,
    note: str = "",
) -> Block:
    """A :class:`Block` with :func:`cppanalytics.results.result_rows`' value rules.

    ``value`` defaults to the numerator for counts, numerator ÷ denominator × 100 for
    percent, × 10,000 for rate_per_10k, the plain ratio otherwise; NaN when the
    denominator is 0 or missing.

    Examples
    --------
    >>> block("x", "2024-03-31", ("2024-03-31", "2024-03-31"), numerator=[1],
    ...       denominator=[0], unit="percent").value.tolist()
    [nan]
    """
    num = np.asarray(numerator, dtype="float64")
    den = (np.full(num.shape, np.nan) if denominator is None
           else np.broadcast_to(np.asarray(denominator, dtype="float64"), num.shape))
    if value is not None:
        val = np.asarray(value, dtype="float64")
    elif unit == "count":
        val = num
    else:
        with np.errstate(divide="ignore", invalid="ignore"):
            val = np.where(den > 0, num / den * _MULT.get(unit, 1.0), np.nan)
    return Block(indicator_id, pd.Timestamp(period_end),
                 (pd.Timestamp(window[0]), pd.Timestamp(window[1])), num, den, val, unit,
                 breakdown, list(groups) if groups is not None else [""] * len(num), note)


def to_frame(blocks: Sequence[Block]) -> pd.DataFrame:
    """One results-contract DataFrame from blocks (empty contract frame for none).

    Examples
    --------
    >>> to_frame([]).shape[0]
    0
    """
    if not blocks:
        return empty_results()
    sizes = [len(b.numerator) for b in blocks]

    def rep(attr: str) -> np.ndarray:
        return np.repeat(np.array([getattr(b, attr) for b in blocks], dtype=object), sizes)

    frame = pd.DataFrame({
        "indicator_id": rep("indicator_id"),
        "period_end": np.repeat(np.array([b.period_end.to_datetime64() for b in blocks]),
                                sizes),
        "window_start": np.repeat(np.array([b.window[0].to_datetime64() for b in blocks]),
                                  sizes),
        "window_end": np.repeat(np.array([b.window[1].to_datetime64() for b in blocks]),
                                sizes),
        "breakdown": rep("breakdown"),
        "group": np.concatenate([np.asarray(b.groups, dtype=object) for b in blocks]),
        "numerator": np.concatenate([b.numerator for b in blocks]),
        "denominator": np.concatenate([b.denominator for b in blocks]),
        "value": np.concatenate([b.value for b in blocks]),
        "unit": rep("unit"),
        "note": rep("note"),
    }, columns=RESULT_COLUMNS)
    return normalise_results(frame)
