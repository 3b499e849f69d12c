"""Sufficiency's moves read as arrays against their plain definitions on hand-built
episodes: which episodes are moves, and each move's reason."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cppanalytics.indicators import sufficiency
from cppanalytics.indicators.catalogue import BREAKDOWN_GROUPS

NAT = "NaT"


def _plain_moves(period, placement, decom, start) -> list[int]:
    """Row by row: placed, DECOM on the placement's start, not the period's first placement."""
    first: dict[int, float] = {}
    for p, pid in zip(period, placement, strict=True):
        if not np.isnan(pid):
            first[p] = min(first.get(p, np.inf), pid)
    return [
        i
        for i, (p, pid, d, s) in enumerate(zip(period, placement, decom, start, strict=True))
        if not np.isnan(pid) and not np.isnat(d) and d == s and pid != first[p]
    ]


CASES = {
    "two periods": (
        [0, 0, 0, 1, 1],
        [1.0, 2.0, 2.0, 3.0, 4.0],
        ["2023-01-01", "2023-02-01", "2023-02-05", "2023-03-01", "2023-04-01"],
        ["2023-01-01", "2023-02-01", "2023-02-01", "2023-03-01", "2023-04-01"],
    ),
    "unplaced and missing dates": (
        [0, 0, 0, 0],
        [np.nan, 5.0, 2.0, np.nan],
        ["2023-01-01", "2023-02-01", NAT, "2023-04-01"],
        ["2023-01-01", "2023-02-01", NAT, "2023-04-01"],
    ),
    "first placement not first in rows": (
        [2, 2, 2],
        [7.0, 3.0, 7.0],
        ["2023-01-01", "2023-02-01", "2023-03-01"],
        ["2023-01-01", "2023-02-01", "2023-01-01"],
    ),
    "none placed": ([0, 1], [np.nan, np.nan], ["2023-01-01"] * 2, ["2023-01-01"] * 2),
    "empty": ([], [], [], []),
}


@pytest.mark.parametrize("name", CASES)
def test_move_positions_are_the_plain_rows(name: str) -> None:
    period, placement, decom, start = CASES[name]
    args = (
        np.array(period, dtype=np.int64),
        np.array(placement, dtype="float64"),
        np.array(decom, dtype="datetime64[ns]"),
        np.array(start, dtype="datetime64[ns]"),
    )
    assert sufficiency.move_positions(*args).tolist() == _plain_moves(*args)


def test_move_reasons_are_the_ended_then_own_then_not_recorded() -> None:
    listed = set(BREAKDOWN_GROUPS["change_reason"][:-1])
    groups = list(BREAKDOWN_GROUPS["change_reason"])
    values = ["CHILD", None, "CARPL", "bad", "", "OTHER", "not_recorded", "CLOSE", None]
    period = np.array([0, 0, 1, 1, 1, 2, 2, 2, 3])
    for dtype in ("string[python]", "string[pyarrow]", object):
        reasons = pd.Series(values, dtype=dtype)
        rows = np.arange(len(values))
        got = sufficiency.move_reasons(reasons, period, rows)
        plain = []
        for i in rows:
            ended = values[i - 1] if i > 0 and period[i - 1] == period[i] else None
            own = values[i]
            plain.append(ended if ended in listed else own if own in listed else "not_recorded")
        assert [groups[i] for i in got] == plain
        assert sufficiency.move_reasons(reasons, period, rows[:0]).tolist() == []


@pytest.mark.parametrize("chunk", [1, 2, 3, 1 << 16])
def test_moves_across_chunks_are_the_plain_ones(chunk: int, monkeypatch) -> None:
    monkeypatch.setattr(sufficiency, "CHUNK_ROWS", chunk)
    for name in CASES:
        test_move_positions_are_the_plain_rows(name)
    test_move_reasons_are_the_ended_then_own_then_not_recorded()


def test_listed_places_are_get_indexer() -> None:
    listed = pd.Index(["a", "b", "c"], dtype=object)
    values = pd.Series(["c", None, "a", "", "b", "A", "c"], dtype="string")
    rows = np.array([6, 5, 4, 3, 2, 1, 0, 0])
    plain = listed.get_indexer(values.astype(object).iloc[rows].fillna("\\0").to_numpy())
    got = sufficiency.listed_places(values, rows, listed)
    assert got.tolist() == plain.tolist() and got.dtype == np.int8
