"""Council codes, regions and local-government reorganisations."""

from __future__ import annotations

import pandas as pd
import pytest

from cppanalytics.errors import CppError
from cppanalytics.geography.councils import new_code_for, resolve, standard_region


@pytest.mark.parametrize("code", ["826", "E06000042", "Milton Keynes", "milton keynes"])
def test_resolve_any_code(code: str) -> None:
    council = resolve(code)
    assert (council.old_code, council.new_code, council.region_code) == (
        "826",
        "E06000042",
        "E12000008",
    )


def test_recoded_councils_resolve_to_current_code() -> None:
    assert resolve("E10000023").new_code == "E06000065"  # North Yorkshire 2023
    assert resolve("E10000027").new_code == "E06000066"  # Somerset 2023
    assert resolve("E10000002").new_code == "E06000060"  # Buckinghamshire 2020
    codes = new_code_for(pd.Series(["815", "815", "933"]), pd.Series([2023, 2024, 2022]))
    assert codes.tolist() == ["E10000023", "E06000065", "E10000027"]


def test_dorset_predecessor_follows_successor() -> None:
    council = resolve("835")
    assert council.old_code == "838" and "successor" in council.note
    assert resolve("836").old_code == "839"  # Poole -> BCP


@pytest.mark.parametrize("code,successors", [("928", "940"), ("E10000006", "942")])
def test_split_councils_refused_with_successors_named(code: str, successors: str) -> None:
    with pytest.raises(CppError, match=successors):
        resolve(code)


def test_unknown_council() -> None:
    with pytest.raises(CppError, match="not found"):
        resolve("999")


def test_london_subregions_fold() -> None:
    assert standard_region("E13000002", "Outer London") == ("E12000007", "London")
    assert resolve("202").region_name == "London"
