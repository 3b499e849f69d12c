"""``as_date`` of a Timestamp already at midnight returns it as it is (a quick path taken
a thousand times a run); every other value goes the plain way. Checked against the plain
definition (``pd.Timestamp(value).normalize()``) on hand-built edge cases."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from cppanalytics.dates import as_date


class _Stamp(pd.Timestamp):
    """A Timestamp subclass (never taken by the quick path)."""


VALUES = [
    pd.Timestamp("2024-03-31"),
    pd.Timestamp("2024-02-29"),
    pd.Timestamp("2024-03-31").as_unit("s"),
    pd.Timestamp("2024-03-31").as_unit("us"),
    pd.Timestamp("1900-01-01"),
    pd.Timestamp("2024-03-31 00:00:01"),
    pd.Timestamp("2024-03-31 00:01"),
    pd.Timestamp("2024-03-31 23:59:59.999999999"),
    pd.Timestamp("2024-03-31 00:00:00.000001"),
    pd.Timestamp("2024-03-31 00:00:00.000000001"),
    pd.Timestamp("2024-03-31", tz="Europe/London"),
    pd.Timestamp("2024-03-31 12:00", tz="UTC"),
    dt.datetime(2024, 3, 31, 6, 0),
    dt.datetime(2024, 3, 31),
    np.datetime64("2024-03-31T05:00"),
    _Stamp("2024-03-31 07:00"),
]


@pytest.mark.parametrize("value", VALUES, ids=repr)
def test_as_date_is_the_normalised_timestamp(value: object) -> None:
    want = pd.Timestamp(value).normalize()
    got = as_date(value)
    assert got == want
    assert type(got) is type(want)
    assert got.tzinfo == want.tzinfo
    assert got.unit == want.unit


def test_a_midnight_timestamp_is_returned_as_it_is() -> None:
    d = pd.Timestamp("2024-03-31")
    assert as_date(d) is d


def test_missing_is_still_refused() -> None:
    with pytest.raises(ValueError, match="not a date"):
        as_date(pd.NaT)
