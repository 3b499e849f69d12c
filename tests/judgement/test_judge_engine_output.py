"""judge() on what the engine really returns (text columns in the engine's storage)."""

from __future__ import annotations

import pandas as pd

from cppanalytics.indicators import compute
from cppanalytics.judgement.judge import judge
from cppanalytics.ssda903.dataset import Dataset


def test_judge_accepts_compute_output_and_finds_comparators() -> None:
    # one child in care since 2020: cla_count = 1 at both period ends
    ds = Dataset.from_tables(
        {
            "episodes": pd.DataFrame(
                {
                    "CHILD": ["A"],
                    "DECOM": ["01/01/2020"],
                    "RNE": ["S"],
                    "LS": ["C2"],
                    "PLACE": ["U4"],
                    "DEC": [""],
                    "REC": [""],
                }
            ),
            "header": pd.DataFrame({"CHILD": ["A"], "SEX": ["1"], "DOB": ["01/01/2012"]}),
        }
    )
    results = compute(
        ds,
        ["2025-03-31", "2025-06-30"],
        ids=["cla_count", "cla_rate_per_10k"],
        population=pd.DataFrame({"year": [2024, 2025], "population": [6e4, 6e4]}),
    )
    judged = judge(results, la_code="E06000042")
    count = judged[judged.indicator_id == "cla_count"]
    assert count["value"].tolist() == [1.0, 1.0]
    assert count["comparator_year"].tolist() == [2025, 2025]
    # the council's own published count is found; other areas' counts are not compared
    assert (count["la_published"] > 100).all() and count["england"].isna().all()
    rate = judged[judged.indicator_id == "cla_rate_per_10k"]
    # England's published rate at 31 March 2025 exists in the shipped table
    assert rate["comparator_year"].tolist() == [2025, 2025]
    assert (rate["england"] > 50).all() and (rate["n_neighbours"] >= 1).all()
