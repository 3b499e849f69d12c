"""parse_dates' numpy reading of strict dd/mm/YYYY text against pandas' parsers (the path
every other form takes): the same dates, NaT, dtype, index and name."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cppanalytics.ssda903.dataset import _parse_dates_pandas, _strict_uk_dates, parse_dates

_VALID = pd.date_range("2019-01-01", "2024-12-31").strftime("%d/%m/%Y").tolist()
_ODD = [
    "31/04/2024",  # no 31 April
    "29/02/2023",  # no 29 February in a common year
    "29/02/2024",
    "29/02/2100",  # 2100 is not a leap year
    "29/02/2000",
    "30/02/2024",
    "00/01/2024",
    "01/00/2024",
    "01/13/2024",
    "32/01/2024",
    "21/09/1677",  # before what the typed tables hold
    "22/09/1677",
    "01/01/1678",
    "11/04/2262",  # the last day they hold
    "12/04/2262",
    "31/12/9999",  # a placeholder
    "01/01/0001",
    "",
    None,
    np.nan,
]


@pytest.mark.parametrize("dtype", [object, "str", "string"])
@pytest.mark.parametrize(
    "values",
    [_VALID + _ODD, _ODD, [], ["", ""], [None, None], _VALID[:1]],
    ids=["six years and odd days", "odd days", "none", "blanks", "missing", "one"],
)
def test_strict_dates_equal_pandas_parsing(dtype: object, values: list) -> None:
    series = pd.Series(values, dtype=dtype, index=[i % 7 for i in range(len(values))], name="X")
    if len(values) and values[0] is not None and values[0] != "":
        assert _strict_uk_dates(series) is not None  # the fast path is the one tested
    got = parse_dates(series)
    pd.testing.assert_series_equal(got, _parse_dates_pandas(series))
    assert got.dtype == "datetime64[ns]" and got.name == "X"


@pytest.mark.parametrize(
    "values",
    [
        ["01/01/0000"],
        ["1/3/2024"],
        [" 01/03/2024"],
        ["01/03/2024 "],
        ["2024-03-31"],
        ["01/03/2024", "2024-03-31 00:00:00"],
        ["01-03-2024"],
        ["0a/03/2024"],
        ["é1/03/2024"],
        [20240331],
        ["01/03/2024", 5],
    ],
)
def test_other_forms_take_pandas_parsers(values: list) -> None:
    series = pd.Series(values, dtype=object)
    assert _strict_uk_dates(series) is None
    pd.testing.assert_series_equal(parse_dates(series), _parse_dates_pandas(series))
