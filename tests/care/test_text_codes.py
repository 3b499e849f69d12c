"""The building blocks' text look-ups (membership of a code set, integer codes, codes that
sort as the text) against their plain pandas definitions, for every storage text comes in."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cppanalytics.care.episodes import TEMPORARY_PLACES, _in, sorted_codes
from cppanalytics.care.placements import _codes

VALUES = ["T1", None, "U4", "T1", "é1", "", "T0", "U4"]


def _series() -> dict[str, pd.Series]:
    many = [f"C{i % 7}" if i % 5 else None for i in range(20_000)]  # long: read by identity
    return {
        "object": pd.Series(VALUES, dtype=object),
        "python": pd.Series(VALUES, dtype=pd.StringDtype("python")),
        "pyarrow": pd.Series(VALUES, dtype=pd.StringDtype("pyarrow")),
        "str": pd.Series(VALUES, dtype="str"),
        "na": pd.Series([pd.NA, pd.NA], dtype="string"),
        "empty": pd.Series([], dtype="string"),
        "shared": pd.Series(many, dtype=object),
        "shared_string": pd.Series(many, dtype=pd.StringDtype("python")),
        # equal values as distinct objects: identity alone would split them
        "unshared": pd.Series(["".join(["C", str(i % 3)]) for i in range(20_000)], dtype=object),
    }


@pytest.mark.parametrize("name", list(_series()))
def test_membership_is_isin(name: str) -> None:
    s = _series()[name]
    plain = s.isin(list(TEMPORARY_PLACES)).fillna(False).to_numpy(dtype=bool)
    assert _in(s, TEMPORARY_PLACES).tolist() == plain.tolist()
    assert _in(s, frozenset({"C3", ""})).tolist() == (
        s.isin(["C3", ""]).fillna(False).to_numpy(dtype=bool).tolist()
    )


@pytest.mark.parametrize("name", list(_series()))
def test_codes_are_factorize(name: str) -> None:
    s = _series()[name]
    codes, k = _codes(s)
    plain, uniques = pd.factorize(s.astype(object))
    assert codes.tolist() == plain.tolist() and k == len(uniques)
    assert codes.dtype == np.int64


@pytest.mark.parametrize("name", list(_series()))
def test_sorted_codes_sort_as_the_text(name: str) -> None:
    s = _series()[name]
    assert sorted_codes(s).tolist() == pd.factorize(s.astype(object), sort=True)[0].tolist()
