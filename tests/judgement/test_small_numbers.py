"""Wilson intervals, hand-worked, and significance statements."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cppanalytics.judgement.small_numbers import (
    significance_note,
    small_number_intervals,
    wilson_interval,
)


def test_wilson_hand_worked_3_of_10() -> None:
    # p = .3, z^2 = 3.8415, denominator 1 + z^2/n = 1.38415
    # centre = (.3 + .19207) / 1.38415 = .35550; half = 1.96*sqrt(.021 + .0096037)/1.38415 = .24772
    low, high = wilson_interval([3], [10])
    assert low[0] == pytest.approx(10.779, abs=0.01)
    assert high[0] == pytest.approx(60.322, abs=0.01)


def test_wilson_edges() -> None:
    low, high = wilson_interval([0, 5, 1], [5, 5, 0])
    # 0 of 5: (0, z^2/n / (1 + z^2/n)) = (0, .76829/1.76829) = (0, 43.45%)
    assert low[0] == 0.0 and high[0] == pytest.approx(43.45, abs=0.01)
    assert high[1] == 100.0 and low[1] == pytest.approx(56.55, abs=0.01)
    assert np.isnan(low[2]) and np.isnan(high[2])


def test_intervals_only_for_small_percentages() -> None:
    f = pd.DataFrame(
        {
            "unit": ["percent", "percent", "percent", "count"],
            "numerator": [3, 19, 20, 3],
            "denominator": [10, 19, 20, np.nan],
        }
    )
    low, _ = small_number_intervals(f)
    assert [bool(np.isnan(v)) for v in low] == [False, False, True, True]


def test_significance_statements() -> None:
    note = significance_note(10.78, 60.32, 10, england=45.0, last_year=70.0)
    assert "gap to England (45%) is not statistically significant" in note
    assert "change since last year (70%) is statistically significant" in note
    assert significance_note(np.nan, np.nan, 100, 45.0) == ""
