"""dates.birthday on calendar parts against its plain definition (pandas' year offsets)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cppanalytics.dates import age_at, birthday, minus_months


def _plain(dob: pd.Series, years: int) -> pd.Series:
    """The birthday by adding years with pandas' offsets (29 Feb births on 1 March in a
    common year; after 2261 none)."""
    dob = pd.to_datetime(dob)
    beyond = (dob.dt.year + years) > 2261
    if beyond.any():
        dob = dob.where(~beyond)
    leap_day = (dob.dt.month == 2) & (dob.dt.day == 29)
    shifted = dob.where(~leap_day, dob + pd.Timedelta(days=1))
    out = shifted + pd.DateOffset(years=years)
    return out.where(~(out.dt.is_leap_year & leap_day), out - pd.Timedelta(days=1))


_EDGES = [
    "2004-02-29",  # leap-day births: 29 Feb in a leap year, else 1 March
    "2000-02-29",
    "2096-02-29",  # 2100 is no leap year
    "1900-02-28",
    "1899-02-28",
    "2003-03-01",
    "1960-12-31",
    "1969-12-31 23:59:59",  # a time of day is kept; before 1970
    "1970-01-01",
    "2007-06-30 13:45:10",
    "1678-01-01",
    "2243-02-28",  # 18th birthday in 2261: kept; 19th: none
    "2250-01-01",  # a DOB far ahead: no birthday
    None,
]


@pytest.mark.parametrize("unit", ["ns", "us", "ms", "s"])
@pytest.mark.parametrize("years", [0, 1, 4, 14, 17, 18, 19, 21, 100, 300])
def test_birthday_equals_adding_years(unit: str, years: int) -> None:
    dob = pd.Series(
        pd.to_datetime(_EDGES, format="ISO8601"), index=range(10, 10 + len(_EDGES)), name="DOB"
    ).astype(f"datetime64[{unit}]")
    got = birthday(dob, years)
    pd.testing.assert_series_equal(got, _plain(dob, years))
    assert got.dtype == dob.dtype and got.name == "DOB"


def test_birthday_of_many_dates_one_row_and_none() -> None:
    rng = np.random.default_rng(15)
    many = pd.Series(
        pd.Timestamp("1900-01-01") + pd.to_timedelta(rng.integers(0, 73_000, 3000), "D")
    )
    for dob in (many, many.iloc[:1], many.iloc[:0], pd.Series([pd.NaT, pd.NaT])):
        for years in (16, 18, 21):
            pd.testing.assert_series_equal(birthday(dob, years), _plain(dob, years))


def test_birthday_of_text_and_time_zones() -> None:
    text = pd.Series(["2004-02-29", "2010-07-01"])
    assert birthday(text, 19).dt.strftime("%Y-%m-%d").tolist() == ["2023-03-01", "2029-07-01"]
    zoned = pd.Series(pd.to_datetime(["2004-02-29", "2008-02-29"])).dt.tz_localize("Europe/London")
    pd.testing.assert_series_equal(birthday(zoned, 20), _plain(zoned, 20))


def _days(first: str, last: str) -> list[pd.Timestamp]:
    return list(pd.date_range(first, last, freq="D"))


@pytest.mark.parametrize("months", [-37, -13, -12, -1, 0, 1, 2, 3, 11, 12, 24, 30, 36, 61])
def test_minus_months_equals_pandas_month_offset(months: int) -> None:
    # every day of a common and a leap year (month ends, 29 February, 31st to 30-day months)
    for d in _days("2023-01-01", "2024-12-31") + _days("1899-12-01", "1900-03-31"):
        assert minus_months(d, months) == d - pd.DateOffset(months=months), (d, months)
    assert minus_months("2024-03-31", np.int64(1)) == pd.Timestamp("2024-02-29")
    zoned = pd.Timestamp("2024-03-31", tz="Europe/London")
    assert minus_months(zoned, months) == zoned - pd.DateOffset(months=months)


def test_minus_months_keeps_the_unit() -> None:
    for d in (pd.Timestamp("2024-05-31"), pd.Timestamp("2024-05-31").as_unit("ns")):
        got, want = minus_months(d, 3), d - pd.DateOffset(months=3)
        assert (got, got.unit) == (want, want.unit)


def _age_plain(dob: pd.Series, d: str) -> pd.Series:
    """Completed years at ``d`` by comparing (month, day) with ``d``'s, missing DOB NA."""
    dob = pd.to_datetime(dob)
    at = pd.Timestamp(d)
    later = (dob.dt.month * 100 + dob.dt.day) > (at.month * 100 + at.day)
    age = at.year - dob.dt.year - later.astype(int)
    index = dob.index if isinstance(dob, pd.Series) else None
    return pd.Series(age.astype("Int64").array, index=index)


@pytest.mark.parametrize(
    "d", ["2024-03-31", "2024-02-29", "2023-02-28", "2023-03-01", "2025-12-31"]
)
def test_age_at_equals_comparing_birthdays(d: str) -> None:
    dob = pd.Series(pd.to_datetime([*_EDGES[:-3], None], format="ISO8601"), index=range(5, 17))
    got = age_at(dob, d)
    pd.testing.assert_series_equal(got, _age_plain(dob, d))
    assert got.isna().tolist() == dob.isna().tolist()
    assert age_at(pd.Series([], dtype="datetime64[ns]"), d).dtype == "Int64"
    assert age_at(pd.Series([pd.NaT]), d).isna().all()
