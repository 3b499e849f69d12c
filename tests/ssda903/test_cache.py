"""The Parquet cache of a loaded dataset: same tables, dtypes and findings; never stale."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from cppanalytics.ssda903 import load
from cppanalytics.ssda903.cache import CACHE_FOLDER, load_cached

TODAY = "2026-11-01"


@pytest.fixture()
def extract(demo_data: Path, tmp_path: Path) -> Path:
    """Two collection years of the demo council, copied so the test may change them."""
    out = tmp_path / "extract"
    for year in ("2023-24", "2024-25"):
        shutil.copytree(demo_data / year, out / year)
    return out


def _same(a, b) -> None:
    assert a.la_code == b.la_code and a.sources == b.sources
    assert a.table_years == b.table_years and a.table_years["episodes"] == (2024, 2025)
    for name in a.tables:
        pd.testing.assert_frame_equal(a.tables[name], b.tables[name], check_exact=True)
    pd.testing.assert_frame_equal(a.findings, b.findings, check_exact=True)


def test_cached_load_equals_load(extract: Path) -> None:
    fresh = load(extract, "E06000042", today=TODAY)
    first = load_cached(extract, "E06000042", today=TODAY)
    entries = list((extract / CACHE_FOLDER).iterdir())
    assert len(entries) == 1 and (entries[0] / "episodes.parquet").is_file()
    second = load_cached(extract, "E06000042", today=TODAY)  # read from the cache
    _same(fresh, first)
    _same(fresh, second)
    # the cache folder is hidden from the loader: a plain load after it sees the same files
    _same(fresh, load(extract, "E06000042", today=TODAY))


def test_changed_file_is_a_new_entry(extract: Path) -> None:
    load_cached(extract, "E06000042", today=TODAY)
    episodes = extract / "2024-25" / "episodes.csv"
    lines = episodes.read_text().splitlines(keepends=True)
    episodes.write_text("".join(lines[:-1]))  # one episode fewer
    again = load_cached(extract, "E06000042", today=TODAY)
    assert len(list((extract / CACHE_FOLDER).iterdir())) == 2
    _same(load(extract, "E06000042", today=TODAY), again)


def test_damaged_entry_is_rebuilt(extract: Path) -> None:
    load_cached(extract, "E06000042", today=TODAY)
    (entry,) = (extract / CACHE_FOLDER).iterdir()
    (entry / "episodes.parquet").write_bytes(b"not parquet")
    _same(load(extract, "E06000042", today=TODAY), load_cached(extract, "E06000042", today=TODAY))


def test_unwritable_cache_still_loads(extract: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    ds = load_cached(extract, "E06000042", today=TODAY, cache_dir=blocker / "cache")
    _same(load(extract, "E06000042", today=TODAY), ds)
