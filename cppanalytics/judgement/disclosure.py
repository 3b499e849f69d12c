"""Disclosure control for papers published outside the council.

* **Rounding** is half up (2.5 → 3, 12.5 → 13), never Python's half-to-even.
* **Public mode** suppresses counts of 1–5 and every percentage or average built on a
  numerator or denominator of 1–5 (shown as ``c``), then applies **secondary
  suppression**: wherever a published total would let a reader recover a suppressed value
  by subtraction (a row, column or breakdown with exactly one hidden value), the next
  smallest value in that set is hidden too, repeating until no set has exactly one.
  :func:`recoverable` is the attacker: it solves every set with one unknown, repeatedly.
* **Internal mode** shows everything.
* :func:`assert_publishable` refuses frames or HTML/text carrying child-level identifiers
  (CHILD, UPN, DOB, postcodes); it lives with the check of every public artefact in
  :mod:`cppanalytics.reporting.publication` and is re-exported here.

For a public paper run :func:`suppress_results` on the results **before**
:func:`cppanalytics.judgement.judge.judge`, so earlier-quarter comparisons also respect it.

Examples
--------
>>> [round_half_up(v) for v in (0.5, 2.5, 12.5, -2.5)]
[1.0, 3.0, 13.0, -3.0]
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd

from cppanalytics.errors import CppError
from cppanalytics.reporting.publication import (  # noqa: F401  (re-exported)
    DisclosureError,
    assert_publishable,
    find_identifiers,
)

#: the mark shown in place of a suppressed figure
SUPPRESSED = "c"
MODES = ("public", "internal")
SMALL_MIN, SMALL_MAX = 1, 5


def round_half_up(value: float, ndigits: int = 0) -> float:
    """Round half away from zero on the number as written (2.675 → 2.68), NaN kept.

    Examples
    --------
    >>> round_half_up(2.675, 2), round_half_up(0.125, 2), round_half_up(float("nan"))
    (2.68, 0.13, nan)
    """
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return float("nan")
    quantum = Decimal(1).scaleb(-ndigits)
    return float(Decimal(repr(float(value))).quantize(quantum, rounding=ROUND_HALF_UP))


def round_series(values: pd.Series | Sequence[float], ndigits: int = 0) -> pd.Series:
    """:func:`round_half_up` over a Series (for presentation tables, not hot paths).

    Examples
    --------
    >>> round_series(pd.Series([0.5, 1.5, 2.5])).tolist()
    [1.0, 2.0, 3.0]
    """
    series = pd.Series(values, dtype="float64")
    return series.map(lambda v: round_half_up(v, ndigits)).astype("float64")


def is_small(values: pd.Series | np.ndarray) -> np.ndarray:
    """True where a count is 1–5 (0 and missing are not small).

    Examples
    --------
    >>> is_small(np.array([0, 1, 5, 6, np.nan])).tolist()
    [False, True, True, False, False]
    """
    arr = np.asarray(values, dtype="float64")
    with np.errstate(invalid="ignore"):
        return (arr >= SMALL_MIN) & (arr <= SMALL_MAX)


def secondary_suppress(values: np.ndarray, hidden: np.ndarray,
                       equations: Iterable[Sequence[int]], totals: Iterable[int] = ()
                       ) -> np.ndarray:
    """Extend ``hidden`` until no equation (a set of positions linked by one published
    sum) holds exactly one hidden position.

    The value hidden next is the smallest positive non-total value of the offending set
    (else its smallest value); ``totals`` are positions to hide only as a last resort.

    Examples
    --------
    >>> v = np.array([3.0, 10.0, 20.0, 33.0])  # three cells and their total
    >>> secondary_suppress(v, np.array([True, False, False, False]), [[0, 1, 2, 3]],
    ...                    totals=[3]).tolist()
    [True, True, False, False]
    """
    hidden = np.asarray(hidden, dtype=bool).copy()
    equations = [list(eq) for eq in equations]
    total_set = set(totals)
    changed = True
    while changed:
        changed = False
        for eq in equations:
            hid = [i for i in eq if hidden[i]]
            if len(hid) != 1:
                continue
            open_ = [i for i in eq if not hidden[i]]
            if not open_:
                continue
            cells = [i for i in open_ if i not in total_set] or open_
            positive = [i for i in cells if values[i] > 0] or cells
            choice = min(positive, key=lambda i: (values[i], i))
            hidden[choice] = True
            changed = True
    return hidden


def recoverable(values: np.ndarray, hidden: np.ndarray, equations: Iterable[Sequence[int]],
                signs: Iterable[Sequence[float]] | None = None) -> set[int]:
    """Positions of hidden values a reader could work out by subtraction.

    Each equation says ``sum(sign × value) == 0`` over its positions (default signs: +1
    for every position but the last, the total, which is −1). Any equation with one
    unknown is solved and the value treated as known; repeated until nothing changes.

    Examples
    --------
    >>> v = np.array([3.0, 10.0, 13.0])
    >>> recoverable(v, np.array([True, False, False]), [[0, 1, 2]])
    {0}
    >>> recoverable(v, np.array([True, True, False]), [[0, 1, 2]])
    set()
    """
    equations = [list(eq) for eq in equations]
    if signs is None:
        signs = [[1.0] * (len(eq) - 1) + [-1.0] for eq in equations]
    signs = [list(s) for s in signs]
    known = {i: float(values[i]) for i in range(len(values)) if not hidden[i]}
    found: set[int] = set()
    changed = True
    while changed:
        changed = False
        for eq, sg in zip(equations, signs, strict=True):
            unknown = [(i, s) for i, s in zip(eq, sg, strict=True) if i not in known]
            if len(unknown) != 1:
                continue
            idx, sign = unknown[0]
            rest = sum(s * known[i] for i, s in zip(eq, sg, strict=True) if i in known)
            known[idx] = -rest / sign
            found.add(idx)
            changed = True
    return found


def suppress_table(cells: pd.DataFrame, mode: str = "public") -> pd.DataFrame:
    """Suppression pattern for a two-way table of counts whose row, column and grand
    totals are published alongside it.

    Returns a frame of the same shape plus a ``total`` column and a ``total`` row, True
    where the figure must be shown as ``c``. Totals of 1–5 are hidden too.

    Examples
    --------
    >>> t = pd.DataFrame({"a": [3, 10], "b": [12, 20]}, index=["x", "y"])
    >>> suppress_table(t).loc[["x", "y"], ["a", "b"]].to_numpy().tolist()
    [[True, True], [True, True]]
    """
    if mode not in MODES:
        raise CppError(f"unknown disclosure mode {mode!r}; use 'public' or 'internal'")
    full = cells.astype("float64").copy()
    full["total"] = full.sum(axis=1)
    full.loc["total"] = full.sum(axis=0)
    values = full.to_numpy().ravel()
    if mode == "internal":
        return pd.DataFrame(False, index=full.index, columns=full.columns)
    nrow, ncol = full.shape
    pos = np.arange(values.size).reshape(nrow, ncol)
    equations = [list(pos[r]) for r in range(nrow)] + [list(pos[:, c]) for c in range(ncol)]
    totals = set(pos[:, -1]) | set(pos[-1, :])
    hidden = secondary_suppress(values, is_small(values), equations, totals)
    return pd.DataFrame(hidden.reshape(nrow, ncol), index=full.index, columns=full.columns)


_RESULT_KEYS = ["indicator_id", "period_end", "window_start", "window_end"]
_DERIVED = ["ci_low", "ci_high", "rag", "direction_quarter", "direction_year",
            "quartile", "rank", "significance_note"]


def suppress_results(results: pd.DataFrame, mode: str = "public",
                     headline_for: dict[str, str] | None = None) -> pd.DataFrame:
    """Apply disclosure control to results-contract rows (judged or not).

    Adds a boolean ``suppressed`` column. In public mode: counts of 1–5, percentages,
    averages and rates whose numerator or denominator is 1–5, and percentages whose
    complement (denominator − numerator) is 1–5, are suppressed (value and
    numerator set to NaN; the denominator too when it is small); then, for each breakdown
    (the groups of one indicator, period and window) whose groups' numerators sum to a
    published headline, secondary suppression hides the next smallest group until no
    group can be recovered by subtraction. Judgement columns of a suppressed row (RAG,
    interval, rank …) are blanked.

    ``headline_for`` maps a breakdown indicator to the headline count its groups add up to
    (default: ``ceased_by_reason`` → ``cla_ceased``, every other breakdown → ``cla_count``).

    Examples
    --------
    >>> r = pd.DataFrame({"indicator_id": ["cla_count", "cla_by_sex", "cla_by_sex",
    ...     "cla_by_sex"], "period_end": pd.Timestamp("2024-03-31"),
    ...     "window_start": pd.Timestamp("2024-03-31"), "window_end": pd.Timestamp("2024-03-31"),
    ...     "breakdown": ["", "sex", "sex", "sex"], "group": ["", "male", "female", "unknown"],
    ...     "numerator": [40.0, 22, 15, 3], "denominator": [np.nan, 40, 40, 40],
    ...     "value": [40.0, 55, 37.5, 7.5], "unit": ["count", "percent", "percent", "percent"]})
    >>> suppress_results(r)["suppressed"].tolist()
    [False, False, True, True]
    """
    if mode not in MODES:
        raise CppError(f"unknown disclosure mode {mode!r}; use 'public' or 'internal'")
    out = results.copy().reset_index(drop=True)
    out["suppressed"] = False
    if mode == "internal" or out.empty:
        return out
    headline_for = headline_for or {}
    count = out["unit"] == "count"
    # a percentage also discloses its complement: 97% of 100 reveals the 3 without
    complement = np.where(out["unit"] == "percent",
                          is_small(out["denominator"] - out["numerator"]), False)
    primary = np.where(count, is_small(out["value"]),
                       is_small(out["numerator"]) | is_small(out["denominator"]) | complement)
    hidden = primary.copy()
    values = out["numerator"].where(~count, out["value"]).to_numpy(dtype="float64")
    breakdown = out[out["breakdown"] != ""]
    equations: list[list[int]] = []
    extra_values: list[float] = []
    for keys, grp in breakdown.groupby([*_RESULT_KEYS, "breakdown"], sort=False):
        ind = keys[0]
        head_id = headline_for.get(ind, "cla_ceased" if ind == "ceased_by_reason" else "cla_count")
        head = out[(out.indicator_id == head_id) & (out.breakdown == "")
                   & (out.period_end == keys[1])]
        total_pos: int
        if len(head):
            total_pos = int(head.index[0])
        else:  # total published implicitly as the breakdown's denominator
            total_pos = len(values) + len(extra_values)
            extra_values.append(float(grp["denominator"].iloc[0]))
        equations.append([*grp.index.tolist(), total_pos])
    all_values = np.concatenate([values, np.asarray(extra_values, dtype="float64")])
    all_hidden = np.concatenate([hidden, is_small(np.asarray(extra_values))])
    totals = {eq[-1] for eq in equations}
    all_hidden = secondary_suppress(np.nan_to_num(all_values, nan=0.0), all_hidden, equations,
                                    totals)
    hidden = all_hidden[: len(values)]
    out["suppressed"] = hidden
    out.loc[hidden, ["numerator", "value"]] = np.nan
    small_den = hidden & is_small(out["denominator"])
    out.loc[small_den, "denominator"] = np.nan
    for col in _DERIVED:
        if col in out.columns:
            blank = "" if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]) \
                else np.nan
            out.loc[hidden, col] = blank
    for col in ("previous_quarter", "same_quarter_last_year", "last_march"):
        if col in out.columns:
            out.loc[count & is_small(out[col]), col] = np.nan
    return out


def published_text(values: pd.Series, suppressed: pd.Series, ndigits: int = 0) -> pd.Series:
    """Figures as published text: half-up rounded, ``c`` where suppressed, ``""`` if missing.

    Examples
    --------
    >>> published_text(pd.Series([12.5, 3.0, np.nan]), pd.Series([False, True, False])).tolist()
    ['13', 'c', '']
    """
    rounded = round_series(values, ndigits)
    text = rounded.map(lambda v: "" if np.isnan(v) else f"{v:.{ndigits}f}")
    return text.where(~suppressed.to_numpy(dtype=bool), SUPPRESSED)
