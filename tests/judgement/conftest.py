"""Fixtures shared by the judgement tests."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest


@pytest.fixture(scope="session")
def dfe_build_once(dfe_dir: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``build_comparators(../shared/reference/dfe)``, built once per test process (about
    8 s; ``test_dfe_files.py`` and ``test_no_dfe_figure.py`` run on one pytest-xdist worker,
    tests/conftest.py)."""
    from cppanalytics.judgement.comparators import build_comparators

    return build_comparators(dfe_dir)


@pytest.fixture()
def dfe_build(dfe_build_once: tuple[pd.DataFrame, pd.DataFrame]) -> tuple[pd.DataFrame, ...]:
    """A fresh build of the comparator table from DfE's files: (comparators, councils), deep
    copies for each test."""
    table, councils = dfe_build_once
    return table.copy(deep=True), councils.copy(deep=True)
