"""Small numbers: 95% Wilson intervals and plain statements of significance.

A percentage over fewer than :data:`SMALL_DENOMINATOR` children carries a 95% Wilson
score interval. The report then says whether the gap to England and the change since the
same quarter last year fall inside it ("not statistically significant", as panel papers put
it) — a comparison value inside the interval is consistent with the council's figure.

Examples
--------
>>> low, high = wilson_interval([3], [10])
>>> round(float(low[0]), 2), round(float(high[0]), 2)
(10.78, 60.32)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeAlias

import numpy as np
import pandas as pd

from cppanalytics.judgement.disclosure import round_half_up

#: 97.5th percentile of the standard normal distribution
Z95 = 1.959963984540054
#: denominators under this carry an interval and a significance note
SMALL_DENOMINATOR = 20

ArrayLike: TypeAlias = Sequence[float] | np.ndarray | pd.Series


def wilson_interval(
    numerator: ArrayLike, denominator: ArrayLike, z: float = Z95
) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for x successes out of n, as percentages (0–100).

    NaN where the denominator is missing or not positive.

    Examples
    --------
    >>> low, high = wilson_interval([0], [5])
    >>> float(low[0]), round(float(high[0]), 2)
    (0.0, 43.45)
    """
    x = np.asarray(numerator, dtype="float64")
    n = np.asarray(denominator, dtype="float64")
    ok = n > 0
    n_safe = np.where(ok, n, 1.0)
    p = x / n_safe
    z2 = z * z
    scale = 1 + z2 / n_safe
    centre = (p + z2 / (2 * n_safe)) / scale
    half = z * np.sqrt(np.clip(p * (1 - p), 0, None) / n_safe + z2 / (4 * n_safe**2)) / scale
    low = np.where(ok, np.clip(centre - half, 0, 1) * 100, np.nan)
    high = np.where(ok, np.clip(centre + half, 0, 1) * 100, np.nan)
    return low, high


def small_number_intervals(
    frame: pd.DataFrame, threshold: int = SMALL_DENOMINATOR
) -> tuple[np.ndarray, np.ndarray]:
    """Wilson intervals for the ``percent`` rows of a results frame whose denominator is
    under ``threshold`` (NaN for every other row).

    Examples
    --------
    >>> f = pd.DataFrame({"unit": ["percent", "percent", "count"], "numerator": [3, 30, 3],
    ...                   "denominator": [10, 100, None]})
    >>> low, _ = small_number_intervals(f)
    >>> [bool(v) for v in np.isnan(low)]
    [False, True, True]
    """
    low, high = wilson_interval(frame["numerator"], frame["denominator"])
    small = (
        (frame["unit"] == "percent")
        & (frame["denominator"] > 0)
        & (frame["denominator"] < threshold)
    ).to_numpy()
    return np.where(small, low, np.nan), np.where(small, high, np.nan)


def _pct(v: float) -> str:
    return f"{round_half_up(v, 0):.0f}%"


def significance_note(
    ci_low: float,
    ci_high: float,
    denominator: float,
    england: float = float("nan"),
    last_year: float = float("nan"),
) -> str:
    """One plain sentence or two about a small-number percentage ("" without an interval).

    Examples
    --------
    >>> significance_note(10.78, 60.32, 10, england=45.0, last_year=70.0)
    'Based on 10 children: 95% interval 11% to 60%. The gap to England (45%) is not statistically significant. The change since last year (70%) is statistically significant.'
    """
    if np.isnan(ci_low) or np.isnan(ci_high):
        return ""
    parts = [
        f"Based on {denominator:.0f} children: 95% interval {_pct(ci_low)} to {_pct(ci_high)}."
    ]
    for label, other in (("gap to England", england), ("change since last year", last_year)):
        if other is None or np.isnan(other):
            continue
        within = ci_low <= other <= ci_high
        verdict = "not statistically significant" if within else "statistically significant"
        parts.append(f"The {label} ({_pct(other)}) is {verdict}.")
    return " ".join(parts)


def significance_notes(frame: pd.DataFrame) -> list[str]:
    """:func:`significance_note` for each row of a frame with ``ci_low, ci_high,
    denominator, england, same_quarter_last_year``."""
    return [
        significance_note(lo, hi, den, eng, ly)
        for lo, hi, den, eng, ly in zip(
            frame["ci_low"],
            frame["ci_high"],
            frame["denominator"],
            frame["england"],
            frame["same_quarter_last_year"],
            strict=True,
        )
    ]
