"""The results helpers' fast paths against their plain definitions: window kinds worked out
once per distinct (default, dates) against the merge with every kind's window; a block's
value against ``np.where(den > 0, num / den * mult, nan)``."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cppanalytics.dates import WINDOW_KINDS, window
from cppanalytics.indicators.catalogue import CATALOGUE
from cppanalytics.results import _window_kinds_merged, block, window_kinds


def _frame(rows: list[tuple[str, str, str, str]]) -> pd.DataFrame:
    ids, pe, ws, we = zip(*rows, strict=True) if rows else ((), (), (), ())
    frame = pd.DataFrame(
        {
            "indicator_id": pd.Series(ids, dtype="str"),
            "period_end": pd.to_datetime(pd.Series(pe, dtype=object)).astype("datetime64[ns]"),
            "window_start": pd.to_datetime(pd.Series(ws, dtype=object)).astype("datetime64[ns]"),
            "window_end": pd.to_datetime(pd.Series(we, dtype=object)).astype("datetime64[ns]"),
        }
    )
    return frame.set_axis([7 * i + 3 for i in range(len(rows))])


def _every_window() -> list[tuple[str, str, str, str]]:
    # every kind's window at quarter ends, month ends and a mid-month day, for indicators
    # whose default is each kind (fytd and r12 coincide at 31 March), unknown ids too
    ids = {}
    for i, ind in CATALOGUE.items():
        ids.setdefault(ind.window, i)
    names = [*ids.values(), "not_in_the_catalogue"]
    rows = []
    for d in ("2024-03-31", "2024-06-30", "2024-02-29", "2025-03-31", "2024-11-15"):
        for k in WINDOW_KINDS:
            start, end = window(k, d)
            for name in names:
                rows.append((name, d, str(start.date()), str(end.date())))
    rows.append(("cla_started", "2024-03-31", "2024-01-10", "2024-03-31"))  # days:81
    rows.append(("cla_started", "2024-03-31", "2024-04-10", "2024-03-31"))  # days:-10
    return rows


@pytest.mark.parametrize(
    "rows",
    [
        _every_window(),
        _every_window()[:1],
        [("cla_count", "2024-03-31", "2024-03-31", "2024-03-31")] * 3,
        [],
    ],
    ids=["every window", "one row", "repeated", "none"],
)
def test_window_kinds_equal_the_merge(rows: list) -> None:
    frame = _frame(rows)
    assert frame.notna().all().all()
    got = window_kinds(frame)
    pd.testing.assert_series_equal(got, _window_kinds_merged(frame))
    assert got.index.equals(frame.index)


def test_window_kinds_prefer_the_catalogue_default() -> None:
    r12 = next(i for i, ind in CATALOGUE.items() if ind.window == "r12")
    fytd = next(i for i, ind in CATALOGUE.items() if ind.window == "fytd")
    frame = _frame([(i, "2025-03-31", "2024-04-01", "2025-03-31") for i in (r12, fytd, "x")])
    assert window_kinds(frame).tolist() == ["r12", "fytd", "fytd"]


def test_window_kinds_with_missing_dates_take_the_merge() -> None:
    frame = _frame(_every_window()[:4])
    frame.loc[frame.index[0], "window_start"] = pd.NaT
    frame.loc[frame.index[1], "window_end"] = pd.NaT
    got = window_kinds(frame)
    pd.testing.assert_series_equal(got, _window_kinds_merged(frame))
    assert got.iloc[0] == "point"


@pytest.mark.parametrize("unit", ["count", "percent", "rate_per_10k", "days", "ratio"])
def test_block_values_equal_the_plain_ratio(unit: str) -> None:
    num = np.array([0.0, 1.0, 3.0, 7.0, np.nan, 2.0, 1e300])
    den = np.array([4.0, 0.0, 3.0, -1.0, 5.0, np.nan, 1e-300])
    mult = {"percent": 100.0, "rate_per_10k": 10_000.0}.get(unit, 1.0)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        want = num if unit == "count" else np.where(den > 0, num / den * mult, np.nan)
        b = block(
            "x",
            "2024-03-31",
            ("2023-04-01", "2024-03-31"),
            numerator=num,
            denominator=den,
            unit=unit,
        )
        one = block(
            "x",
            "2024-03-31",
            ("2023-04-01", "2024-03-31"),
            numerator=num,
            denominator=4,
            unit=unit,
            scale=3.0,
        )
        want_one = num if unit == "count" else np.where(True, num / 4.0 * 3.0, np.nan)
    np.testing.assert_array_equal(b.value, want)
    np.testing.assert_array_equal(b.denominator, den)
    np.testing.assert_array_equal(one.value, want_one)
    np.testing.assert_array_equal(one.denominator, np.full(len(num), 4.0))
    none = block("x", "2024-03-31", ("2024-03-31", "2024-03-31"), numerator=[1.0], unit=unit)
    assert np.isnan(none.denominator).all()
    np.testing.assert_array_equal(none.value, [1.0] if unit == "count" else [np.nan])
