"""The command begins parsing the CSV files early (beside pandas' import) only when it
will load them: not when its load will likely come from the load cache."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from cppanalytics.cli import main
from cppanalytics.ssda903 import plainread

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture()
def extract(tmp_path: Path) -> Path:
    """Two collection years of the demo council, copied (the cache is made beside them)."""
    out = tmp_path / "extract"
    for year in ("2023-24", "2024-25"):
        shutil.copytree(ROOT / "data" / "synthetic" / year, out / year)
    return out


def test_files_are_parsed_early_only_when_they_will_be_loaded(
    extract: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    begun: list[list[str]] = []
    real = plainread.start

    def spy(paths):
        begun.append([str(p) for p in paths])
        return real(paths)

    monkeypatch.setattr(plainread, "start", spy)

    def run(*extra: str) -> pd.DataFrame:
        out = tmp_path / f"r{len(begun)}-{len(extra)}.csv"
        argv = ["indicators", "--data", str(extract), "--period-end", "2025-03-31"]
        assert main([*argv, "--la-code", "E06000042", *extra, "--out", str(out), "-q"]) == 0
        return pd.read_csv(out, dtype=str, keep_default_na=False)

    first = run()  # nothing cached: parsed early, then cached
    assert begun == [[str(extract)]]
    again = run()  # from the cache: not parsed
    assert begun == [[str(extract)]]
    fresh = run("--no-cache")  # no cache asked for: parsed early
    assert len(begun) == 2
    episodes = extract / "2024-25" / "episodes.csv"
    episodes.write_text(episodes.read_text())  # the same contents, written again
    touched = run()  # may have changed: parsed early (then the cache's key finds it)
    assert len(begun) == 3
    assert run().equals(first)  # and noted: from the cache again
    assert len(begun) == 3
    for other in (again, fresh, touched):
        pd.testing.assert_frame_equal(other, first)
