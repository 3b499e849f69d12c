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


def _entries(extract: Path) -> list[Path]:
    """The cache's entries (one folder per load; the note of the last load aside)."""
    return [p for p in (extract / CACHE_FOLDER).iterdir() if p.is_dir()]


def _same(a, b) -> None:
    assert a.la_code == b.la_code and a.sources == b.sources
    assert a.table_years == b.table_years and a.table_years["episodes"] == (2024, 2025)
    for name in a.tables:
        pd.testing.assert_frame_equal(a.tables[name], b.tables[name], check_exact=True)
    pd.testing.assert_frame_equal(a.findings, b.findings, check_exact=True)


def test_cached_load_equals_load(extract: Path) -> None:
    fresh = load(extract, "E06000042", today=TODAY)
    first = load_cached(extract, "E06000042", today=TODAY)
    entries = _entries(extract)
    assert len(entries) == 1 and (entries[0] / "episodes.parquet").is_file()
    second = load_cached(extract, "E06000042", today=TODAY)  # read from the cache
    _same(fresh, first)
    _same(fresh, second)
    # the cache folder is hidden from the loader: a plain load after it sees the same files
    _same(fresh, load(extract, "E06000042", today=TODAY))


def test_a_dataset_built_directly_holds_the_loads_string_storage(extract: Path) -> None:
    """A council built straight from an extract (as a pooled extract's councils are) holds
    its text, and its empty tables' column names, with the storage a load gives, and a
    later load in the same process is not changed by it (the empty tables are made once
    and shared): the cached load still equals the load."""
    from cppanalytics.ssda903 import loader

    loader._empty.cache_clear()  # (the first empty table made here, outside any load)
    try:
        built = loader.build_dataset(loader.read_extract([extract], today=TODAY), "E06000042")
        fresh = load(extract, "E06000042", today=TODAY)
        assert built.tables["dolo"].empty  # (the demo council has no DoLO rows)
        for name, table in fresh.tables.items():
            assert built.tables[name].columns.dtype == table.columns.dtype, name
            text = [c for c in table.columns if isinstance(table[c].dtype, pd.StringDtype)]
            for column in text:
                assert built.tables[name][column].dtype == table[column].dtype, (name, column)
                assert table[column].dtype.storage == "python", (name, column)
        load_cached(extract, "E06000042", today=TODAY)
        _same(fresh, load_cached(extract, "E06000042", today=TODAY))  # read from the cache
    finally:
        loader._empty.cache_clear()


def test_changed_file_is_a_new_entry(extract: Path) -> None:
    load_cached(extract, "E06000042", today=TODAY)
    episodes = extract / "2024-25" / "episodes.csv"
    lines = episodes.read_text().splitlines(keepends=True)
    episodes.write_text("".join(lines[:-1]))  # one episode fewer
    again = load_cached(extract, "E06000042", today=TODAY)
    assert len(_entries(extract)) == 2
    _same(load(extract, "E06000042", today=TODAY), again)


def test_damaged_entry_is_rebuilt(extract: Path) -> None:
    load_cached(extract, "E06000042", today=TODAY)
    (entry,) = _entries(extract)
    (entry / "episodes.parquet").write_bytes(b"not parquet")
    _same(load(extract, "E06000042", today=TODAY), load_cached(extract, "E06000042", today=TODAY))


def test_unwritable_cache_still_loads(extract: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    ds = load_cached(extract, "E06000042", today=TODAY, cache_dir=blocker / "cache")
    _same(load(extract, "E06000042", today=TODAY), ds)


def test_round_trip_keeps_awkward_text_and_dtypes(tmp_path: Path) -> None:
    """Hand-built tables: blanks, an all-blank column, non-ASCII text, an empty table, both
    text dtypes (``string`` with NA, ``str`` with NaN); each distinct value read back once."""
    from cppanalytics.ssda903.cache import _read, _write
    from cppanalytics.ssda903.dataset import Dataset
    from cppanalytics.string_storage import python_strings

    with python_strings():
        episodes = pd.DataFrame(
            {
                "CHILD": pd.array(["1", "2", "1", None, "Zoë"], dtype="string"),
                "PL_POST": pd.array([None] * 5, dtype="string"),
                "DECOM": pd.to_datetime(["2024-01-01", None, "2024-02-01", None, None]),
                "source_row": pd.array([1, 2, None, 4, 5], dtype="Int64"),
            }
        )
        empty = pd.DataFrame({"CHILD": pd.array([], dtype="string")})
        findings = pd.DataFrame({"code": pd.array(["a", None, "a"], dtype="str"), "row": [1, 2, 3]})
    ds = Dataset(
        tables={"episodes": episodes, "reviews": empty},
        findings=findings,
        la_code="E06000042",
        sources=["x.csv"],
        table_years={"episodes": (2024,)},
    )
    _write(tmp_path / "entry", ds)
    back = _read(tmp_path / "entry")
    for name in ("episodes", "reviews"):
        pd.testing.assert_frame_equal(back.tables[name], ds.tables[name], check_exact=True)
    pd.testing.assert_frame_equal(back.findings, findings, check_exact=True)
    child = back.tables["episodes"]["CHILD"]
    assert child.dtype.storage == "python" and back.findings["code"].dtype.storage == "python"
    assert child.iloc[0] is child.iloc[2]  # one string object per distinct value
    assert child.isna().tolist() == [False, False, False, True, False]
    assert back.findings["code"].isna().tolist() == [False, True, False]


def test_read_back_shares_string_objects_across_tables(tmp_path: Path) -> None:
    """A column name's text is one string object per distinct value across the tables read
    back (as the loader shares a child's id across tables), with the same values, blanks
    and dtypes as written: blank ids, non-ASCII ids, an all-blank column, an empty table,
    a value in one table only, both text dtypes."""
    from cppanalytics.ssda903.cache import _read, _write
    from cppanalytics.ssda903.dataset import Dataset
    from cppanalytics.string_storage import python_strings

    with python_strings():
        header = pd.DataFrame(
            {
                "CHILD": pd.array(["Zoë", "1", None], dtype="string"),
                "UPN": pd.array([None] * 3, dtype="string"),
            }
        )
        episodes = pd.DataFrame(
            {
                "CHILD": pd.array(["1", "2", "Zoë", "1", None], dtype="string"),
                "UPN": pd.array(["A", None, "A", None, None], dtype="string"),
            }
        )
        reviews = pd.DataFrame({"CHILD": pd.array(["2"], dtype="str")})
        empty = pd.DataFrame({"CHILD": pd.array([], dtype="string")})
        findings = pd.DataFrame({"child": pd.array(["1"], dtype="str")})
    tables = {"header": header, "episodes": episodes, "reviews": reviews, "missing": empty}
    ds = Dataset(tables=tables, findings=findings, la_code="E06000042", sources=["x.csv"])
    _write(tmp_path / "entry", ds)
    back = _read(tmp_path / "entry")
    for name in ("header", "episodes", "reviews", "missing"):
        pd.testing.assert_frame_equal(back.tables[name], ds.tables[name], check_exact=True)
    pd.testing.assert_frame_equal(back.findings, findings, check_exact=True)
    h, e, r = (back.tables[n]["CHILD"] for n in ("header", "episodes", "reviews"))
    assert h.iloc[1] is e.iloc[0] is e.iloc[3]  # "1" in both tables: one object
    assert h.iloc[0] is e.iloc[2]  # "Zoë"
    assert e.iloc[1] is r.iloc[0]  # "2", a str column and a string column alike
    assert back.tables["episodes"]["UPN"].iloc[0] is back.tables["episodes"]["UPN"].iloc[2]


def test_the_last_load_is_noted_for_the_command_to_tell_a_likely_hit(extract: Path) -> None:
    """The cache notes the files of its last load; the note says a hit is likely only for
    the very same files (names, sizes, modification times), council, day and entry."""
    import json
    import os

    from cppanalytics.ssda903.cache_hint import LAST_LOAD, likely_cached

    assert not likely_cached([extract], "E06000042", TODAY)  # nothing cached yet
    load_cached(extract, "E06000042", today=TODAY)
    assert likely_cached([extract], "E06000042", TODAY)
    assert likely_cached([str(extract)], "E06000042", TODAY)
    assert not likely_cached([extract], "E09000001", TODAY)  # another council
    assert not likely_cached([extract], None, TODAY)
    assert not likely_cached([extract], "E06000042", "2026-11-02")  # another day
    episodes = extract / "2024-25" / "episodes.csv"
    stat = episodes.stat()
    os.utime(episodes, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert not likely_cached([extract], "E06000042", TODAY)  # touched: may differ
    load_cached(extract, "E06000042", today=TODAY)  # the same contents: a hit, noted again
    assert len(_entries(extract)) == 1 and likely_cached([extract], "E06000042", TODAY)
    (extract / "2024-25" / "notes.txt").write_text("a file added")
    assert not likely_cached([extract], "E06000042", TODAY)
    (extract / "2024-25" / "notes.txt").unlink()
    assert likely_cached([extract], "E06000042", TODAY)
    (extract / ".git").mkdir()  # hidden names are passed over, as the loader passes them
    (extract / ".git" / "x.csv").write_text("A")
    (extract / "2024-25" / ".~lock.csv").write_text("A")
    assert likely_cached([extract], "E06000042", TODAY)
    (entry,) = _entries(extract)
    (entry / "meta.json").unlink()  # the entry gone
    assert not likely_cached([extract], "E06000042", TODAY)
    load_cached(extract, "E06000042", today=TODAY)
    note = extract / CACHE_FOLDER / LAST_LOAD
    noted = json.loads(note.read_text())
    assert noted["key"] == _entries(extract)[0].name and noted["la"] == "E06000042"
    for damaged in ("", "{", "[]", json.dumps({**noted, "key": "../x"})):
        note.write_text(damaged)
        assert not likely_cached([extract], "E06000042", TODAY)


def test_an_unwritable_cache_folder_notes_nothing(extract: Path, tmp_path: Path) -> None:
    from cppanalytics.ssda903.cache_hint import likely_cached

    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    load_cached(extract, "E06000042", today=TODAY, cache_dir=blocker / "cache")
    assert not likely_cached([extract], "E06000042", TODAY, folder=blocker / "cache")
