"""Working days in England: Monday to Friday, not a bank holiday in England and Wales.

Bank holidays are computed (no network, no extra package): New Year's Day, Good Friday,
Easter Monday, the early May, spring and summer bank holidays, Christmas Day and Boxing Day
with their substitute days when they fall at a weekend, and the one-off days proclaimed
since 1999 (the 2020 early May holiday moved to VE day, the 2002, 2012 and 2022 jubilee
changes, the 2011 royal wedding, the 2022 state funeral and the 2023 coronation).

Used for the 20-working-day first review of a child in care (Care Planning, Placement and
Case Review (England) Regulations 2010, reg. 33).

Examples
--------
>>> add_working_days(pd.Series(pd.to_datetime(["2024-03-25"])), 20).dt.date.tolist()
[datetime.date(2024, 4, 24)]
>>> pd.Timestamp("2022-06-03") in set(bank_holidays(2022, 2022))
True
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import numpy as np
import pandas as pd

#: proclaimed one-off bank holidays (added) and usual days moved away (removed)
_EXTRA = (
    "1999-12-31",
    "2002-06-03",
    "2002-06-04",
    "2011-04-29",
    "2012-06-04",
    "2012-06-05",
    "2020-05-08",
    "2022-06-02",
    "2022-06-03",
    "2022-09-19",
    "2023-05-08",
)
_MOVED = ("2002-05-27", "2012-05-28", "2020-05-04", "2022-05-30")


def _easter(year: int) -> date:
    """Easter Sunday (anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month = (h + ell - 7 * m + 114) // 31
    day = (h + ell - 7 * m + 114) % 31 + 1
    return date(year, month, day)


def _monday_on_or_after(d: date) -> date:
    return d + timedelta(days=(7 - d.weekday()) % 7)


def _last_monday(year: int, month: int) -> date:
    last = date(year, month + 1, 1) - timedelta(days=1)
    return last - timedelta(days=last.weekday())


def _year_holidays(year: int) -> list[date]:
    out = []
    ny = date(year, 1, 1)
    out.append(ny if ny.weekday() < 5 else _monday_on_or_after(ny))
    easter = _easter(year)
    out += [easter - timedelta(days=2), easter + timedelta(days=1)]
    out += [_monday_on_or_after(date(year, 5, 1)), _last_monday(year, 5), _last_monday(year, 8)]
    xmas, boxing = date(year, 12, 25), date(year, 12, 26)
    if xmas.weekday() == 5:  # Saturday: Monday 27 and Tuesday 28
        out += [date(year, 12, 27), date(year, 12, 28)]
    elif xmas.weekday() == 6:  # Sunday: Boxing Day Monday 26, substitute Tuesday 27
        out += [boxing, date(year, 12, 27)]
    elif xmas.weekday() == 4:  # Friday: Boxing Day Saturday, substitute Monday 28
        out += [xmas, date(year, 12, 28)]
    else:
        out += [xmas, boxing]
    return out


@lru_cache(maxsize=8)
def bank_holidays(first_year: int = 1990, last_year: int = 2040) -> tuple[pd.Timestamp, ...]:
    """England and Wales bank holidays from ``first_year`` to ``last_year`` (inclusive).

    Examples
    --------
    >>> [str(d.date()) for d in bank_holidays(2024, 2024)][:3]
    ['2024-01-01', '2024-03-29', '2024-04-01']
    """
    days = {d for y in range(first_year, last_year + 1) for d in _year_holidays(y)}
    days -= {date.fromisoformat(d) for d in _MOVED}
    days |= {date.fromisoformat(d) for d in _EXTRA if first_year <= int(d[:4]) <= last_year}
    return tuple(pd.Timestamp(d) for d in sorted(days))


def add_working_days(start: pd.Series, n: int) -> pd.Series:
    """The date ``n`` working days after each date (the start itself is day 0).

    A start on a weekend or bank holiday counts from the next working day as day 0 (a child
    who comes into care on Saturday has the same first-review date as one on Monday). NaT
    stays NaT.

    Examples
    --------
    >>> s = pd.Series(pd.to_datetime(["2024-12-20", "2024-12-21", None]))
    >>> [str(d.date()) if pd.notna(d) else None for d in add_working_days(s, 1)]
    ['2024-12-23', '2024-12-24', None]
    """
    values = pd.to_datetime(start)
    ok = values.notna().to_numpy()
    out = np.full(len(values), np.datetime64("NaT"), dtype="datetime64[ns]")
    if ok.any():
        days = values[ok].to_numpy().astype("datetime64[D]")
        hol = np.array([d.to_datetime64() for d in bank_holidays()], dtype="datetime64[D]")
        moved = np.busday_offset(days, 0, roll="forward", holidays=hol)
        out[ok] = np.busday_offset(moved, n, holidays=hol).astype("datetime64[ns]")
    return pd.Series(out, index=start.index)
