"""RAG ratings against targets and direction of travel, both polarity-aware.

Both compare figures **as the panel sees them**: rounded half up to the unit's display
precision (whole numbers for percentages, rates, days and counts; 1 dp for scores and
ratios), so a figure shown as 90% against a 90% target is on target.

RAG (``polarity`` up; mirror for down):

* green: value ≥ target;
* amber: target − tolerance ≤ value < target (within tolerance, edges included);
* red: value < target − tolerance;
* ``""``: no value, no target, or polarity ``neither``.

Direction of travel: ``improving`` / ``worsening`` / ``no change`` (equal when rounded);
for polarity ``neither``: ``higher`` / ``lower`` / ``no change``; ``""`` when either figure
is missing.

Examples
--------
>>> rag([85.0, 88.0, 91.0], [90.0] * 3, [2.0] * 3, ["up"] * 3, "percent")
['red', 'amber', 'green']
>>> direction([12.0], [15.0], ["down"], "percent")
['improving']
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeAlias

import numpy as np
import pandas as pd

from cppanalytics.judgement.disclosure import round_half_up

#: how a running total (since 1 April) is judged before 31 March: not rated, ranked or compared
IN_YEAR = "in year, not rated"

#: decimal places shown per unit (results contract: rounding at presentation only)
DISPLAY_DIGITS: dict[str, int] = {
    "count": 0,
    "percent": 0,
    "rate_per_10k": 0,
    "days": 0,
    "score": 1,
    "ratio": 1,
}

Values: TypeAlias = Sequence[float] | np.ndarray | pd.Series


def displayed(values: Values, unit: str | Sequence[str]) -> np.ndarray:
    """Values rounded half up to their unit's display precision (NaN kept).

    Examples
    --------
    >>> displayed([89.5, 14.45], ["percent", "score"]).tolist()
    [90.0, 14.5]
    """
    vals = np.asarray(values, dtype="float64")
    units = [unit] * len(vals) if isinstance(unit, str) else list(unit)
    return np.array(
        [round_half_up(v, DISPLAY_DIGITS.get(u, 1)) for v, u in zip(vals, units, strict=True)],
        dtype="float64",
    )


def _as_list(x: str | Sequence[str], n: int) -> list[str]:
    return [x] * n if isinstance(x, str) else list(x)


def rag(
    values: Values,
    targets: Values,
    tolerances: Values,
    polarity: str | Sequence[str],
    unit: str | Sequence[str],
) -> list[str]:
    """Red/amber/green for each value (see module docstring).

    Examples
    --------
    >>> rag([12.0, 12.0, 13.0], [10.0] * 3, [2.0] * 3, ["down"] * 3, "percent")
    ['amber', 'amber', 'red']
    """
    shown = displayed(values, unit)
    n = len(shown)
    tgt = np.asarray(targets, dtype="float64")
    tol = np.nan_to_num(np.asarray(tolerances, dtype="float64"), nan=0.0)
    pol = np.asarray(_as_list(polarity, n), dtype=object)
    gap = np.where(pol == "down", tgt - shown, shown - tgt)  # ≥ 0 means on or better
    eps = 1e-9
    out = np.where(gap >= -eps, "green", np.where(gap >= -tol - eps, "amber", "red"))
    valid = ~np.isnan(shown) & ~np.isnan(tgt) & np.isin(pol, ["up", "down"])
    return np.where(valid, out, "").tolist()


def direction(
    current: Values, previous: Values, polarity: str | Sequence[str], unit: str | Sequence[str]
) -> list[str]:
    """Direction of travel from ``previous`` to ``current`` (see module docstring).

    Examples
    --------
    >>> direction([70.4, 70.0, 65.0, 5.0], [69.6, 75.0, 60.0, float("nan")],
    ...           ["up", "up", "neither", "up"], "percent")
    ['no change', 'worsening', 'higher', '']
    """
    now = displayed(current, unit)
    before = displayed(previous, unit)
    n = len(now)
    pol = np.asarray(_as_list(polarity, n), dtype=object)
    diff = now - before
    sign = np.sign(np.where(pol == "down", -diff, diff))
    judged = np.where(sign > 0, "improving", np.where(sign < 0, "worsening", "no change"))
    plain = np.where(diff > 0, "higher", np.where(diff < 0, "lower", "no change"))
    out = np.where(np.isin(pol, ["up", "down"]), judged, plain)
    valid = ~np.isnan(now) & ~np.isnan(before)
    return np.where(valid, out, "").tolist()
