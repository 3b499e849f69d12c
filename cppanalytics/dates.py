"""Dates and windows as the indicator catalogue defines them.

All functions take and return ``pandas.Timestamp`` (day precision) or datetime Series.

Examples
--------
>>> window("fytd", "2024-11-30")
(Timestamp('2024-04-01 00:00:00'), Timestamp('2024-11-30 00:00:00'))
>>> window("r12", "2024-03-31")
(Timestamp('2023-04-01 00:00:00'), Timestamp('2024-03-31 00:00:00'))
>>> minus_months("2024-03-31", 30)
Timestamp('2021-09-30 00:00:00')
"""

from __future__ import annotations

import calendar
import re
from datetime import datetime
from typing import Literal

import numpy as np
import pandas as pd

WindowKind = Literal["point", "fytd", "r12", "q", "r24", "r36"]
WINDOW_KINDS: tuple[str, ...] = ("point", "fytd", "r12", "q", "r24", "r36")


def as_date(value: str | pd.Timestamp | np.datetime64) -> pd.Timestamp:
    """Parse a date given as ``YYYY-MM-DD`` text (or a Timestamp) to a midnight Timestamp.

    Examples
    --------
    A UK ``dd/mm/YYYY`` string is read day first (as in 903 files); any other
    ambiguous form is refused rather than guessed.

    >>> as_date("2024-03-31")
    Timestamp('2024-03-31 00:00:00')
    >>> as_date("01/03/2022")
    Timestamp('2022-03-01 00:00:00')
    """
    if type(value) is pd.Timestamp and _is_midnight(value):
        return value  # already a date (the engine asks this of its dates a thousand times)
    if isinstance(value, str):
        text = value.strip()
        if re.fullmatch(r"\d{1,2}/\d{1,2}/\d{4}", text):
            return pd.Timestamp(datetime.strptime(text, "%d/%m/%Y"))
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}([ T].*)?", text):
            raise ValueError(f"not a date: {value!r}; write dates as YYYY-MM-DD")
    ts = pd.Timestamp(value)
    if pd.isna(ts):
        raise ValueError(f"not a date: {value!r}")
    return ts.normalize()


def _is_midnight(value: pd.Timestamp) -> bool:
    """Whether a Timestamp without a time zone is at midnight (``normalize`` leaves it
    as it is).

    Examples
    --------
    >>> _is_midnight(pd.Timestamp("2024-03-31")), _is_midnight(pd.Timestamp("2024-03-31 00:00:01"))
    (True, False)
    """
    return value.tzinfo is None and not (
        value.hour or value.minute or value.second or value.microsecond or value.nanosecond
    )


def minus_months(d: str | pd.Timestamp, months: int) -> pd.Timestamp:
    """``d`` minus a number of months, clamping to the month end (31/03 − 1 month = 29/02).

    Examples
    --------
    >>> minus_months("2023-03-31", 1)
    Timestamp('2023-02-28 00:00:00')
    """
    d = as_date(d)
    if d.tzinfo is not None or not isinstance(months, int | np.integer):
        return d - pd.DateOffset(months=months)
    # the same date as pandas' month offset, on the calendar (about 4 x cheaper)
    year, month = divmod(d.year * 12 + d.month - 1 - int(months), 12)
    last = calendar.monthrange(year, month + 1)[1]
    return d.replace(year=year, month=month + 1, day=min(d.day, last))


def minus_years(d: str | pd.Timestamp, years: int) -> pd.Timestamp:
    """``d`` minus whole years (29/02 − 1 year = 28/02).

    Examples
    --------
    >>> minus_years("2024-02-29", 1)
    Timestamp('2023-02-28 00:00:00')
    """
    return minus_months(d, 12 * years)


def financial_year_start(d: str | pd.Timestamp) -> pd.Timestamp:
    """1 April of the financial year containing ``d``.

    Examples
    --------
    >>> financial_year_start("2024-03-31")
    Timestamp('2023-04-01 00:00:00')
    """
    d = as_date(d)
    year = d.year if d.month >= 4 else d.year - 1
    return pd.Timestamp(year=year, month=4, day=1)


def is_year_end(d: str | pd.Timestamp) -> bool:
    """True for 31 March, the end of a collection (financial) year.

    Parameters
    ----------
    d
        a date.

    Returns
    -------
    bool
        whether ``d`` is 31 March.

    Examples
    --------
    >>> is_year_end("2026-03-31"), is_year_end("2026-09-30")
    (True, False)
    """
    d = as_date(d)
    return (d.month, d.day) == (3, 31)


def last_march(d: str | pd.Timestamp) -> pd.Timestamp:
    """The latest 31 March on or before ``d`` (``d`` itself at 31 March).

    Parameters
    ----------
    d
        a date.

    Returns
    -------
    pandas.Timestamp
        that 31 March.

    Examples
    --------
    >>> last_march("2026-09-30"), last_march("2026-03-31")
    (Timestamp('2026-03-31 00:00:00'), Timestamp('2026-03-31 00:00:00'))
    >>> last_march("2026-01-15")
    Timestamp('2025-03-31 00:00:00')
    """
    d = as_date(d)
    return pd.Timestamp(year=d.year if (d.month, d.day) >= (3, 31) else d.year - 1, month=3, day=31)


def last_marches(d: pd.Series, *, strictly_before: bool = False) -> pd.Series:
    """:func:`last_march` of every date in a Series (or the one strictly before each date).

    Parameters
    ----------
    d
        dates (datetime Series).
    strictly_before
        take the 31 March before a 31 March date rather than the date itself.

    Returns
    -------
    pandas.Series
        the 31 Marches, on ``d``'s index.

    Examples
    --------
    >>> d = pd.Series(pd.to_datetime(["2026-03-31", "2026-09-30", "2026-01-15"]))
    >>> last_marches(d).dt.strftime("%Y-%m-%d").tolist()
    ['2026-03-31', '2026-03-31', '2025-03-31']
    >>> last_marches(d, strictly_before=True).dt.strftime("%Y-%m-%d").tolist()
    ['2025-03-31', '2026-03-31', '2025-03-31']
    """
    if strictly_before:
        back = d.dt.month <= 3
    else:
        back = (d.dt.month < 3) | ((d.dt.month == 3) & (d.dt.day < 31))
    year = d.dt.year - back.astype(int)
    return pd.to_datetime(year.astype(str) + "-03-31")


def year_end(d: str | pd.Timestamp) -> pd.Timestamp:
    """The 31 March ending the financial year containing ``d``.

    Parameters
    ----------
    d
        a date.

    Returns
    -------
    pandas.Timestamp
        the coming (or current) 31 March.

    Examples
    --------
    >>> year_end("2024-11-30"), year_end("2025-03-31")
    (Timestamp('2025-03-31 00:00:00'), Timestamp('2025-03-31 00:00:00'))
    """
    return financial_year_start(d) + pd.DateOffset(years=1) - pd.Timedelta(days=1)


def same_window_kinds(kind: str, d: str | pd.Timestamp) -> list[str]:
    """Window kinds giving the same dates as ``kind`` at ``d``: at 31 March the year to date
    (``fytd``) is the rolling 12 months (``r12``), so a series of either continues in the
    other there.

    Parameters
    ----------
    kind
        a window kind.
    d
        the period end.

    Returns
    -------
    list of str
        ``kind`` first, then its twin at 31 March.

    Examples
    --------
    >>> same_window_kinds("fytd", "2026-03-31"), same_window_kinds("fytd", "2026-06-30")
    (['fytd', 'r12'], ['fytd'])
    """
    if kind in ("fytd", "r12") and is_year_end(d):
        return [kind, "r12" if kind == "fytd" else "fytd"]
    return [kind]


def collection_year(d: str | pd.Timestamp) -> int:
    """The collection year containing ``d``, named by the calendar year of its 31 March end.

    Examples
    --------
    >>> collection_year("2024-03-31"), collection_year("2024-04-01")
    (2024, 2025)
    """
    return financial_year_start(d).year + 1


def collection_year_label(year: int) -> str:
    """``2024`` → ``"2023-24"``.

    Examples
    --------
    >>> collection_year_label(2024)
    '2023-24'
    """
    return f"{year - 1}-{str(year)[-2:]}"


def window(kind: WindowKind | str, d: str | pd.Timestamp) -> tuple[pd.Timestamp, pd.Timestamp]:
    """Start and end (both inclusive) of a window ending at ``d``.

    ``point`` → (d, d); ``fytd`` → 1 April .. d; ``r12``/``r24``/``r36`` → the 12/24/36
    months ending d (d − n months + 1 day .. d); ``q`` → the quarter ending d (for a month
    end, the first day of the month two months earlier .. d; else d − 3 months + 1 day .. d).

    Examples
    --------
    >>> window("q", "2024-06-30")
    (Timestamp('2024-04-01 00:00:00'), Timestamp('2024-06-30 00:00:00'))
    >>> window("r36", "2024-03-31")[0]
    Timestamp('2021-04-01 00:00:00')
    """
    d = as_date(d)
    months = {"r12": 12, "r24": 24, "r36": 36, "q": 3}
    if kind == "point":
        return d, d
    if kind == "fytd":
        return financial_year_start(d), d
    if kind == "q" and d.is_month_end:
        return (d - pd.offsets.MonthBegin(1) - pd.DateOffset(months=2)).normalize(), d
    if kind in months:
        return minus_months(d, months[kind]) + pd.Timedelta(days=1), d
    raise ValueError(f"unknown window {kind!r}; use one of {', '.join(WINDOW_KINDS)}")


def quarter_ends(first: str | pd.Timestamp, last: str | pd.Timestamp) -> list[pd.Timestamp]:
    """Quarter ends (30 Jun, 30 Sep, 31 Dec, 31 Mar) from ``first`` to ``last`` inclusive.

    Examples
    --------
    >>> [d.strftime("%Y-%m-%d") for d in quarter_ends("2023-06-30", "2024-03-31")]
    ['2023-06-30', '2023-09-30', '2023-12-31', '2024-03-31']
    """
    rng = pd.date_range(as_date(first), as_date(last), freq="QE-DEC")
    return list(rng)


def latest_quarter_end(today: str | pd.Timestamp) -> pd.Timestamp:
    """The latest quarter end strictly before ``today``.

    Examples
    --------
    >>> latest_quarter_end("2026-11-22")
    Timestamp('2026-09-30 00:00:00')
    """
    t = as_date(today)
    return pd.Timestamp(t - pd.offsets.QuarterEnd(startingMonth=3)).normalize()


def age_at(dob: pd.Series, d: str | pd.Timestamp) -> pd.Series:
    """Completed years at ``d`` (a birthday on ``d`` counts; 29 Feb birthdays fall on 1 March).

    Missing DOB gives missing age (nullable ``Int64``).

    Examples
    --------
    >>> age_at(pd.Series(pd.to_datetime(["2008-02-29", "2010-03-31"])), "2024-03-31").tolist()
    [16, 14]
    >>> age_at(pd.Series(pd.to_datetime(["2008-02-29"])), "2023-02-28").tolist()
    [14]
    """
    d = as_date(d)
    values = pd.to_datetime(dob).to_numpy(dtype="datetime64[ns]")
    missing = np.isnat(values)
    # calendar parts with numpy (no per-column pandas accessors): year, month, day
    months = values.astype("datetime64[M]")
    year = months.astype("datetime64[Y]").astype("int64") + 1970
    month = months.astype("int64") % 12 + 1
    day = (values.astype("datetime64[D]") - months.astype("datetime64[D]")).astype("int64") + 1
    # a birthday still to come this year: its (month, day) is after d's, compared as mmdd
    age = d.year - year - ((month * 100 + day) > (d.month * 100 + d.day))
    index = dob.index if isinstance(dob, pd.Series) else None
    values = np.where(missing, 0, age).astype("int64")
    return pd.Series(pd.arrays.IntegerArray(values, missing), index=index)  # NA where no DOB


def birthday(dob: pd.Series, years: int) -> pd.Series:
    """Date of the ``years``-th birthday (29 Feb → 1 March in non-leap years).

    A birthday after 2261 (a date of birth typed far in the future, which the loader reports)
    is ``NaT``: no date the tables can hold, never an overflow that stops the run.

    Worked out on numpy's calendar parts (year, month, day), with the time of day and the
    dates' unit kept; the same dates as adding ``pd.DateOffset(years=years)``, several times
    cheaper on the small tables a run asks about many times.

    Examples
    --------
    >>> birthday(pd.Series(pd.to_datetime(["2004-02-29"])), 19).dt.strftime("%Y-%m-%d").tolist()
    ['2023-03-01']
    >>> birthday(pd.Series(pd.to_datetime(["2250-01-01", "2007-06-30"])), 18).tolist()
    [NaT, Timestamp('2025-06-30 00:00:00')]
    """
    dob = pd.to_datetime(dob)
    if years < 0 or not isinstance(dob.dtype, np.dtype):  # time zones: pandas' offsets
        return _birthday_offset(dob, years)
    values = dob.to_numpy()
    missing = np.isnat(values)
    months = values.astype("datetime64[M]")
    year = months.astype("datetime64[Y]").astype("int64") + 1970 + years  # the birthday's
    month = months.astype("int64") % 12  # 0 = January
    days = values.astype("datetime64[D]")
    day = (days - months.astype("datetime64[D]")).astype("int64")  # 0 = the 1st
    leap_year = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    march = (month == 1) & (day == 28) & ~leap_year  # 29 Feb births: 1 March then
    month = np.where(march, 2, month)
    day = np.where(march, 0, day)
    beyond = missing | (year > 2261)
    year = np.where(beyond, 1970, year)  # placeholders, masked below
    first = (year - 1970).astype("datetime64[Y]").astype("datetime64[M]") + month
    on = first.astype("datetime64[D]") + day
    out = on.astype(values.dtype) + (values - days.astype(values.dtype))  # time of day kept
    out[beyond] = np.datetime64("NaT")
    return pd.Series(out, index=dob.index, name=dob.name)


def _birthday_offset(dob: pd.Series, years: int) -> pd.Series:
    """:func:`birthday` through pandas' date offsets (dates with a time zone, years back)."""
    beyond = (dob.dt.year + years) > 2261
    if beyond.any():
        dob = dob.where(~beyond)
    leap_day = (dob.dt.month == 2) & (dob.dt.day == 29)
    shifted = dob.where(~leap_day, dob + pd.Timedelta(days=1))  # 29 Feb -> 1 Mar
    # 1 Mar of a leap year plus n years is 1 Mar; fine for every year
    out = shifted + pd.DateOffset(years=years)
    target_leap = (out.dt.is_leap_year) & leap_day
    # in a leap target year the birthday really is 29 Feb
    return out.where(~target_leap, out - pd.Timedelta(days=1))
