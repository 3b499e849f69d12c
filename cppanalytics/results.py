"""The results contract: the tidy table every indicator computation returns.

Columns (:data:`RESULT_COLUMNS`)::

    indicator_id, period_end, window_start, window_end, breakdown, group,
    numerator, denominator, value, unit, note

* ``period_end``, ``window_start``, ``window_end``: ``datetime64[ns]``.
* ``breakdown``/``group``: ``""`` for headline rows.
* ``numerator``/``denominator``/``value``: ``float64``; ``denominator`` is NaN for counts;
  ``value`` is unrounded (percent 0–100, rate per 10,000, days, score).
* ``unit``: as the catalogue's (``count``, ``percent``, ``rate_per_10k``, ``days``,
  ``score``, ``ratio``).
* ``note``: ``""`` or a short remark ("population 2022 used; 2023 not available").

Local measures supplied by a council arrive in the same shape (:func:`read_results`).

Examples
--------
>>> r = result_rows("cla_count", "2024-03-31", ("2024-03-31", "2024-03-31"),
...                 numerator=[412], unit="count")
>>> r.loc[0, "value"]
np.float64(412.0)
>>> list(r.columns) == RESULT_COLUMNS
True
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

RESULT_COLUMNS: list[str] = [
    "indicator_id",
    "period_end",
    "window_start",
    "window_end",
    "breakdown",
    "group",
    "numerator",
    "denominator",
    "value",
    "unit",
    "note",
]
_DATE_COLS = ("period_end", "window_start", "window_end")
_NUM_COLS = ("numerator", "denominator", "value")


def empty_results() -> pd.DataFrame:
    """An empty results table with the contract's columns and dtypes."""
    return normalise_results(pd.DataFrame(columns=RESULT_COLUMNS))


def normalise_results(frame: pd.DataFrame) -> pd.DataFrame:
    """Coerce a frame to the results contract (column order, dtypes, ``""`` for empty text).

    Examples
    --------
    >>> normalise_results(pd.DataFrame({"indicator_id": ["x"], "period_end": ["2024-03-31"],
    ...     "value": ["3"]})).dtypes["value"]
    dtype('float64')
    """
    out = frame.copy()
    for col in RESULT_COLUMNS:
        if col not in out.columns:
            out[col] = np.nan if col in _NUM_COLS or col in _DATE_COLS else ""
    out = out[RESULT_COLUMNS]
    for col in _DATE_COLS:
        out[col] = pd.to_datetime(out[col]).astype("datetime64[ns]")
    for col in _NUM_COLS:
        out[col] = pd.to_numeric(out[col], errors="coerce").astype("float64")
    for col in ("indicator_id", "breakdown", "group", "unit", "note"):
        out[col] = out[col].astype("object").where(out[col].notna(), "").astype(str)
    return out.reset_index(drop=True)


def result_rows(
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
    scale: float | None = None,
) -> pd.DataFrame:
    """Build result rows for one indicator (one row per group, or one headline row).

    ``value`` defaults to ``numerator`` for counts, ``numerator / denominator * 100`` for
    percent, ``* 10_000`` for rate_per_10k and plain ratio otherwise (``scale`` overrides
    the multiplier). A zero denominator gives NaN value, never an error.

    Examples
    --------
    >>> result_rows("x", "2024-03-31", ("2023-04-01", "2024-03-31"), numerator=[1, 3],
    ...             denominator=[4, 4], unit="percent", breakdown="sex",
    ...             groups=["male", "female"])["value"].tolist()
    [25.0, 75.0]
    """
    num = np.asarray(numerator, dtype="float64")
    den = (
        np.full(num.shape, np.nan)
        if denominator is None
        else np.broadcast_to(np.asarray(denominator, dtype="float64"), num.shape)
    )
    if value is None:
        if unit == "count":
            val = num
        else:
            mult = scale if scale is not None else {"percent": 100.0, "rate_per_10k": 10_000.0}.get(
                unit, 1.0
            )
            with np.errstate(divide="ignore", invalid="ignore"):
                val = np.where(den > 0, num / den * mult, np.nan)
    else:
        val = np.asarray(value, dtype="float64")
    n = len(num)
    frame = pd.DataFrame(
        {
            "indicator_id": [indicator_id] * n,
            "period_end": [pd.Timestamp(period_end)] * n,
            "window_start": [pd.Timestamp(window[0])] * n,
            "window_end": [pd.Timestamp(window[1])] * n,
            "breakdown": [breakdown] * n,
            "group": list(groups) if groups is not None else [""] * n,
            "numerator": num,
            "denominator": den,
            "value": val,
            "unit": [unit] * n,
            "note": [note] * n,
        }
    )
    return normalise_results(frame)


def read_results(path: str | Path) -> pd.DataFrame:
    """Read a results CSV (ours, or a council's local measures) into the contract.

    Raises a ``ValueError`` naming the file and the missing columns when the file lacks
    ``indicator_id``, ``period_end`` or ``value``.
    """
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.columns = [c.strip().lower() for c in frame.columns]
    missing = [c for c in ("indicator_id", "period_end", "value") if c not in frame.columns]
    if missing:
        raise ValueError(
            f"{path}: results file lacks column(s) {', '.join(missing)}; it needs at least "
            f"indicator_id, period_end and value (see the results contract in the README)."
        )
    frame = frame.replace({"": np.nan})
    if "window_start" not in frame.columns:
        frame["window_start"] = frame["period_end"]
    if "window_end" not in frame.columns:
        frame["window_end"] = frame["period_end"]
    return normalise_results(frame)


def write_results(results: pd.DataFrame, path: str | Path) -> Path:
    """Write results as CSV with ISO dates and full precision; returns the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    out = normalise_results(results)
    for col in _DATE_COLS:
        out[col] = out[col].dt.strftime("%Y-%m-%d")
    out.to_csv(path, index=False)
    return path
