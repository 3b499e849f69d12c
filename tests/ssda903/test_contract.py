"""The loader's output honours the typed Dataset contract, checked with pandera."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.errors
import pytest

from cppanalytics.ssda903 import load
from cppanalytics.ssda903.dataset import TABLES, Dataset
from cppanalytics.ssda903.schemas import check_dataset, dataset_schema


def test_demo_council_matches_the_contract(demo_data: Path) -> None:
    check_dataset(load(demo_data).tables)


def test_peer_csv_and_xml_match_the_contract(peer_samples: Path) -> None:
    check_dataset(load([p for p in peer_samples.glob("*.csv")]).tables)
    check_dataset(load(peer_samples / "fake_903.xml").tables)


def test_every_table_has_a_schema_and_in_memory_tables_pass() -> None:
    ds = Dataset.from_tables(
        {
            "episodes": pd.DataFrame(
                {
                    "CHILD": ["1"],
                    "DECOM": ["01/04/2023"],
                    "RNE": ["S"],
                    "LS": ["C2"],
                    "PLACE": ["U4"],
                }
            )
        }
    )
    assert {dataset_schema(t).name for t in TABLES} == set(TABLES)
    check_dataset(ds.tables)


def test_a_table_breaking_the_contract_is_caught_with_every_column_named() -> None:
    ds = Dataset.from_tables({"episodes": pd.DataFrame({"CHILD": ["1"], "DECOM": ["01/04/2023"]})})
    broken = ds.tables["episodes"].assign(DECOM="01/04/2023", CHILD=pd.NA)
    with pytest.raises(pandera.errors.SchemaErrors) as caught:
        check_dataset({"episodes": broken})
    message = str(caught.value)
    assert "DECOM" in message and "CHILD" in message
