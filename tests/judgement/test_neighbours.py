"""Statistical neighbours: both models, both file layouts, mean vs median."""

from __future__ import annotations

import numpy as np
import pytest

from cppanalytics.errors import CppError
from cppanalytics.judgement.neighbours import (
    build_neighbours,
    load_neighbours,
    neighbours,
    read_groupings,
    summarise,
)


def test_mean_vs_median_hand_worked() -> None:
    values = [10.0, 12.0, 14.0, 40.0, np.nan]
    assert summarise(values, "mean") == pytest.approx(19.0)  # (10+12+14+40)/4
    assert summarise(values, "median") == pytest.approx(13.0)
    assert np.isnan(summarise([np.nan], "mean"))
    with pytest.raises(CppError):
        summarise(values, "mode")


def test_shipped_groupings() -> None:
    table = load_neighbours()
    assert set(table.model) == {"2021", "2025"}
    assert neighbours("826", "2021") == [
        "822",
        "383",
        "941",
        "303",
        "870",
        "883",
        "866",
        "919",
        "886",
        "831",
    ]
    assert neighbours("826", "2025")[:2] == ["822", "303"]
    assert (table.groupby(["model", "la_code_old"]).size() == 10).all()
    with pytest.raises(CppError, match="2021"):
        neighbours("942", "2021")  # Cumberland did not exist in the 2021 model


@pytest.mark.shared
def test_csv_and_lait_layouts_agree(dfe_dir) -> None:
    csv = read_groupings(
        dfe_dir / "ees-2025" / "New_Statistical_Neighbour_Groupings_April_2021.csv", "2021"
    )
    xlsx = read_groupings(dfe_dir / "lait" / "sn_april_2021.xlsx", "2021")
    assert csv[["la_code_old", "rank", "neighbour_code_old"]].equals(
        xlsx[["la_code_old", "rank", "neighbour_code_old"]]
    )
    built = build_neighbours(dfe_dir)
    assert "909" in set(built[built.model == "2025"].la_code_old)  # LAIT adds predecessors
