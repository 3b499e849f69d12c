"""Numbers as the report shows them: rounding half up, thousands separators, ``c x z``.

Rules (``shared/spec/report.md`` and the results contract):

* rounding is half up, away from zero (0.5 → 1, 2.5 → 3, 12.5 → 13; −2.5 → −3), applied to
  the decimal value a person reads, never Python's round-half-to-even;
* counts, rates per 10,000, percentages and days are whole numbers; SDQ scores and
  incidents per child (unit ``score``/``ratio``) have 1 decimal place;
* thousands separators; percentages carry ``%``;
* ``c`` = suppressed (disclosure control), ``x`` = not available, ``z`` = not applicable.

Examples
--------
>>> [round_half_up(v) for v in (0.5, 1.5, 2.5, 12.5)]
[1.0, 2.0, 3.0, 13.0]
>>> format_value(12.5, "percent"), format_value(1234, "count"), format_value(13.25, "score")
('13%', '1,234', '13.3')
>>> format_value(float("nan"), "percent")
'x'
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np
import pandas as pd

#: Symbols for values that are not shown, and what they mean.
SUPPRESSED = "c"
NOT_AVAILABLE = "x"
NOT_APPLICABLE = "z"
SYMBOLS: dict[str, str] = {
    SUPPRESSED: "suppressed to protect confidentiality (a count of 1 to 5, or a figure from "
    "which one could be worked out)",
    NOT_AVAILABLE: "not available",
    NOT_APPLICABLE: "not applicable",
}

#: Decimal places shown for each unit.
DECIMALS: dict[str, int] = {
    "count": 0,
    "percent": 0,
    "rate_per_10k": 0,
    "days": 0,
    "score": 1,
    "ratio": 1,
}


def round_half_up(value: float, dp: int = 0) -> float:
    """Round ``value`` to ``dp`` decimal places, halves away from zero.

    The value is first taken to 9 significant decimals so binary noise does not decide
    (``2.675`` rounds to ``2.68``, as a person reading it expects).

    Examples
    --------
    >>> round_half_up(2.5), round_half_up(-2.5), round_half_up(2.675, 2), round_half_up(0.49)
    (3.0, -3.0, 2.68, 0.0)
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return float("nan")
    scale = 10.0**dp
    scaled = round(abs(float(value)) * scale, 9)
    return math.copysign(math.floor(scaled + 0.5) / scale, float(value))


def round_half_up_series(values: pd.Series | np.ndarray, dp: int = 0) -> pd.Series:
    """Vectorised :func:`round_half_up` (NaN stays NaN).

    Examples
    --------
    >>> round_half_up_series(pd.Series([0.5, 2.5, 12.5, None])).tolist()
    [1.0, 3.0, 13.0, nan]
    """
    arr = pd.to_numeric(pd.Series(values), errors="coerce").astype("float64")
    scale = 10.0**dp
    mag = np.floor(np.round(arr.abs().to_numpy() * scale, 9) + 0.5) / scale
    return pd.Series(np.copysign(mag, arr.to_numpy()), index=arr.index)


def decimals_for(unit: str) -> int:
    """Decimal places shown for ``unit`` (0 for unknown units).

    Examples
    --------
    >>> decimals_for("score"), decimals_for("percent")
    (1, 0)
    """
    return DECIMALS.get(unit, 0)


def is_symbol(value: object) -> bool:
    """True when ``value`` is already one of the symbols ``c``, ``x``, ``z``.

    Examples
    --------
    >>> is_symbol("c"), is_symbol(3)
    (True, False)
    """
    return isinstance(value, str) and value.strip() in SYMBOLS


def as_number(value: object) -> float:
    """A float, or NaN for missing, non-numeric and symbol (``c x z``) values.

    Examples
    --------
    >>> as_number("12.5"), as_number("c"), as_number(None)
    (12.5, nan, nan)
    """
    if value is None or is_symbol(value):
        return float("nan")
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return float("nan")


def format_number(value: float, dp: int = 0) -> str:
    """A number rounded half up with thousands separators; ``x`` when missing.

    Examples
    --------
    >>> format_number(1234567.5), format_number(0.05, 1), format_number(None)
    ('1,234,568', '0.1', 'x')
    """
    if is_symbol(value):
        return str(value).strip()
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return NOT_AVAILABLE
    if math.isnan(number):
        return NOT_AVAILABLE
    rounded = round_half_up(number, dp)
    if rounded == 0:
        rounded = 0.0  # no "-0"
    return f"{rounded:,.{dp}f}"


def format_value(value: object, unit: str, *, with_unit: bool = True) -> str:
    """Format one indicator value for display according to its unit.

    ``c``/``x``/``z`` pass through; NaN or None becomes ``x``. Percentages get ``%`` unless
    ``with_unit`` is False.

    Examples
    --------
    >>> format_value(33.333, "percent"), format_value(47.46, "rate_per_10k")
    ('33%', '47')
    >>> format_value(412.5, "days"), format_value(2.25, "ratio"), format_value("c", "count")
    ('413', '2.3', 'c')
    """
    if is_symbol(value):
        return str(value).strip()
    text = format_number(value, decimals_for(unit))  # type: ignore[arg-type]
    if text in SYMBOLS:
        return text
    if unit == "percent" and with_unit:
        return f"{text}%"
    return text


def format_change(change: object, unit: str) -> str:
    """A signed change (``+3``, ``-2%`` as percentage points ``-2 pts``, ``0``).

    Examples
    --------
    >>> format_change(12, "count"), format_change(-1.5, "percent"), format_change(0.04, "score")
    ('+12', '-2 pts', '0.0')
    """
    if is_symbol(change):
        return str(change).strip()
    try:
        number = float(change)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return NOT_AVAILABLE
    if math.isnan(number):
        return NOT_AVAILABLE
    dp = decimals_for(unit)
    rounded = round_half_up(number, dp)
    text = format_number(abs(rounded), dp)
    sign = "+" if rounded > 0 else "-" if rounded < 0 else ""
    suffix = " pts" if unit == "percent" else ""
    return f"{sign}{text}{suffix}"


def format_date(d: object) -> str:
    """A date as panels write it: ``30 Sep 2026``; ``x`` when missing.

    Examples
    --------
    >>> format_date("2026-09-30")
    '30 Sep 2026'
    """
    ts = pd.NaT if d is None or (isinstance(d, str) and not d.strip()) else pd.Timestamp(d)
    if pd.isna(ts):
        return NOT_AVAILABLE
    return f"{ts.day} {ts.strftime('%b %Y')}"


def legend_text(symbols: Iterable[str] = (SUPPRESSED, NOT_AVAILABLE, NOT_APPLICABLE)) -> str:
    """The ``c x z`` legend as one plain-text line.

    Examples
    --------
    >>> legend_text(["x", "z"])
    'x = not available; z = not applicable'
    """
    return "; ".join(f"{s} = {SYMBOLS[s]}" for s in symbols)


def rounding_note() -> str:
    """The rounding sentence for the definitions section.

    Examples
    --------
    >>> "halves up" in rounding_note()
    True
    """
    return (
        "Percentages, rates per 10,000 and days are shown as whole numbers and SDQ scores and "
        "incidents per child to 1 decimal place, rounding halves up (12.5 shows as 13). "
        "Figures are calculated before rounding, so rounded parts may not add to the total."
    )
