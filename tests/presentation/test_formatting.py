"""Rounding half up, number formats and the c/x/z legend."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from cppanalytics.presentation.formatting import (
    SYMBOLS,
    format_change,
    format_date,
    format_number,
    format_value,
    legend_text,
    round_half_up,
    round_half_up_series,
)


@pytest.mark.parametrize(
    ("value", "dp", "expected"),
    [
        (0.5, 0, 1.0),
        (1.5, 0, 2.0),
        (2.5, 0, 3.0),
        (12.5, 0, 13.0),
        (-2.5, 0, -3.0),
        (0.49, 0, 0.0),
        (2.675, 2, 2.68),
        (13.25, 1, 13.3),
        (13.35, 1, 13.4),
        (0.05, 1, 0.1),
    ],
)
def test_round_half_up_never_half_even(value: float, dp: int, expected: float) -> None:
    assert round_half_up(value, dp) == expected


def test_round_half_up_series_matches_scalar_and_keeps_nan() -> None:
    values = pd.Series([0.5, 2.5, 12.5, -2.5, 2.675, None])
    out = round_half_up_series(values, 0).tolist()
    assert out[:4] == [1.0, 3.0, 13.0, -3.0]
    assert math.isnan(out[-1])
    assert round_half_up_series(pd.Series([2.675]), 2).tolist() == [2.68]


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        (1234, "count", "1,234"),
        (1234567.5, "count", "1,234,568"),
        (12.5, "percent", "13%"),
        (33.333, "percent", "33%"),
        (0.4, "percent", "0%"),
        (47.5, "rate_per_10k", "48"),
        (412.5, "days", "413"),
        (13.25, "score", "13.3"),  # SDQ average 1 dp
        (2.25, "ratio", "2.3"),  # incidents per child 1 dp
        (float("nan"), "percent", "x"),
        (None, "count", "x"),
        ("c", "count", "c"),
        ("z", "percent", "z"),
    ],
)
def test_format_value(value: object, unit: str, expected: str) -> None:
    assert format_value(value, unit) == expected


def test_no_negative_zero() -> None:
    assert format_number(-0.2) == "0"


def test_format_change_signs_and_points() -> None:
    assert format_change(12, "count") == "+12"
    assert format_change(-1.5, "percent") == "-2 pts"
    assert format_change(0.4, "percent") == "0 pts"
    assert format_change(float("nan"), "count") == "x"


def test_format_date() -> None:
    assert format_date("2026-09-30") == "30 Sep 2026"
    assert format_date(None) == "x"


def test_legend_names_every_symbol() -> None:
    text = legend_text()
    for symbol in ("c", "x", "z"):
        assert f"{symbol} = {SYMBOLS[symbol]}" in text
    assert "suppressed" in SYMBOLS["c"] and SYMBOLS["x"] == "not available"
    assert SYMBOLS["z"] == "not applicable"
