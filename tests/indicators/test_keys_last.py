"""The last row of each key found by a stable sort (the review schedule's repeated
(CHILD, REVIEW) rows, the latest rows of a table) against pandas' ``duplicated``."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cppanalytics.indicators.reviews import _last_in_key_order

rng = np.random.default_rng(7)
KEYS = {
    "nearly_sorted": np.concatenate([np.arange(50) // 3, np.arange(20) // 2]),
    "reversed": np.arange(30)[::-1] // 4,
    "random": rng.integers(0, 15, 200),
    "large_values": np.array([2**62, -(2**62), 2**62, 0, -1, 0]),
    "one": np.array([4]),
    "none": np.zeros(0, dtype=np.int64),
    "all_equal": np.full(9, 3),
}


@pytest.mark.parametrize("name", KEYS)
def test_last_in_key_order_is_drop_duplicates_keep_last_sorted(name) -> None:
    key = KEYS[name].astype(np.int64)
    kept = pd.Series(key).drop_duplicates(keep="last")  # the plain definition
    plain = kept.sort_values(kind="stable").index.to_numpy()
    kept, keys = _last_in_key_order(key.copy())
    assert kept.tolist() == plain.tolist()
    assert keys.tolist() == key[plain].tolist()
