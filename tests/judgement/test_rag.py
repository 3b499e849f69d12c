"""RAG against targets (both polarities, tolerance edges) and direction of travel."""

from __future__ import annotations

import numpy as np

from cppanalytics.judgement.rag import direction, displayed, rag


def test_rag_higher_is_better_edges() -> None:
    # target 90, tolerance 5: 90 green; 85 (edge) amber; 84.4 shows as 84 -> red
    values = [95.0, 90.0, 89.6, 85.0, 84.4, 84.6]
    out = rag(values, [90.0] * 6, [5.0] * 6, "up", "percent")
    assert out == ["green", "green", "green", "amber", "red", "amber"]


def test_rag_lower_is_better_edges() -> None:
    values = [8.0, 10.0, 11.0, 12.0, 12.5, 13.0]
    out = rag(values, [10.0] * 6, [2.0] * 6, "down", "percent")
    # 12.5 shows as 13 (half up) -> red
    assert out == ["green", "green", "amber", "amber", "red", "red"]


def test_rag_zero_tolerance_and_missing() -> None:
    out = rag(
        [89.0, np.nan, 50.0, 50.0],
        [90.0, 90.0, np.nan, 40.0],
        [0.0, 0.0, 0.0, 0.0],
        ["up", "up", "up", "neither"],
        "percent",
    )
    assert out == ["red", "", "", ""]


def test_rag_scores_use_one_decimal() -> None:
    # SDQ: lower is better; 14.04 shows as 14.0 = target -> green; 14.05 -> 14.1 amber
    assert rag([14.04, 14.05], [14.0, 14.0], [1.0, 1.0], "down", "score") == ["green", "amber"]


def test_direction_polarity_aware() -> None:
    assert direction([80.0, 70.0], [70.0, 80.0], "up", "percent") == ["improving", "worsening"]
    assert direction([80.0, 70.0], [70.0, 80.0], "down", "percent") == ["worsening", "improving"]
    assert direction([80.0, 70.0], [70.0, 80.0], "neither", "count") == ["higher", "lower"]
    # equal once rounded as displayed -> no change
    assert direction([70.4], [69.5], "up", "percent") == ["no change"]
    assert direction([1.0], [np.nan], "up", "percent") == [""]


def test_displayed_half_up() -> None:
    assert displayed([0.5, 2.5, 12.5], "percent").tolist() == [1.0, 3.0, 13.0]
