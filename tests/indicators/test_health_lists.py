"""The ids each child's health findings name, written once per distinct set of ids, against
the plain row-by-row string build."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cppanalytics.indicators.health import IDS, _child_indicator_list


def _plain(den: pd.DataFrame, ids: list[str]) -> pd.Series:
    text = pd.Series("", index=den.index, dtype="object")
    for ind in ids:
        text = text + np.where(den[ind].to_numpy(), ind + ",", "")
    return text.str.rstrip(",")


@pytest.mark.parametrize("n", [0, 1, 7, 500])
@pytest.mark.parametrize("first", [1, 3, len(IDS)])
def test_lists_equal_the_plain_build(n: int, first: int) -> None:
    rng = np.random.default_rng(n * 10 + first)
    den = pd.DataFrame({i: rng.random(n) < 0.4 for i in IDS}, index=pd.RangeIndex(n) * 3 + 1)
    ids = list(IDS)[:first]
    pd.testing.assert_series_equal(_child_indicator_list(den, ids), _plain(den, ids))


def test_nobody_and_everybody() -> None:
    den = pd.DataFrame({i: [False, True] for i in IDS})
    lists = _child_indicator_list(den, list(IDS)).tolist()
    assert lists == ["", ",".join(IDS)]
