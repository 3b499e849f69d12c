"""Atomic report folders and the accessible scorecard spreadsheet."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from cppanalytics.errors import CppError
from cppanalytics.reporting import export_tables as notebook_export
from cppanalytics.reporting.outputs import (
    atomic_directory,
    council_slug,
    export_tables,
    report_dir,
    write_scorecard_xlsx,
)


def test_slug_and_report_dir():
    assert council_slug("Ouzel Vale Council (synthetic)") == "ouzel-vale-council-synthetic"
    assert council_slug("Brighton & Hove") == "brighton-hove"
    assert council_slug("Ḿilton  Keynes!") == "milton-keynes"
    assert council_slug("***") == "council"
    assert report_dir("/r", "Leeds", "2026-03-31") == Path("/r/leeds/2026-03-31")


def test_atomic_success_creates_target(tmp_path: Path):
    target = tmp_path / "council" / "2026-09-30"
    with atomic_directory(target) as tmp:
        assert tmp.parent == target.parent and tmp != target
        assert not target.exists()  # nothing visible while building
        (tmp / "a.html").write_text("x")
    assert (target / "a.html").read_text() == "x"
    assert [p.name for p in target.parent.iterdir()] == ["2026-09-30"]  # no temp left


def test_exception_mid_write_leaves_no_target(tmp_path: Path):
    target = tmp_path / "council" / "2026-09-30"
    with pytest.raises(RuntimeError, match="killed"), atomic_directory(target) as tmp:
        (tmp / "report.html").write_text("half")
        raise RuntimeError("killed")
    assert not target.exists()
    assert list(target.parent.iterdir()) == []  # the temp folder is gone too


def test_failed_rewrite_keeps_previous_report(tmp_path: Path):
    target = tmp_path / "r"
    with atomic_directory(target) as tmp:
        (tmp / "old.html").write_text("old")
    with pytest.raises(KeyboardInterrupt), atomic_directory(target) as tmp:
        (tmp / "new.html").write_text("new")
        raise KeyboardInterrupt
    assert sorted(p.name for p in target.iterdir()) == ["old.html"]
    with atomic_directory(target) as tmp:
        (tmp / "new.html").write_text("new")
    assert sorted(p.name for p in target.iterdir()) == ["new.html"]  # replaced whole
    assert [p.name for p in tmp_path.iterdir()] == ["r"]


def test_scorecard_xlsx_is_accessible(tmp_path: Path):
    frame = pd.DataFrame(
        {
            "Indicator": ["Children in care", "3+ placements"],
            "This quarter": ["280", "12%"],
            "England": [pd.NA, "10%"],
            "RAG": ["Green", "Red"],
        }
    )
    path = write_scorecard_xlsx(frame, tmp_path / "s.xlsx", title="Ouzel Vale: scorecard")
    ws = load_workbook(path).active
    assert ws["A1"].value == "Ouzel Vale: scorecard" and ws["A1"].font.bold
    assert "c = suppressed" in ws["A2"].value
    assert [c.value for c in ws[4]] == ["Indicator", "This quarter", "England", "RAG"]
    assert all(c.font.bold for c in ws[4])
    assert ws.freeze_panes == "A5"
    assert ws.merged_cells.ranges == set()
    assert ws["D6"].value == "Red"  # RAG as a word, not a colour
    assert ws["C5"].value is None  # NA → blank
    assert ws.column_dimensions["A"].width >= len("Children in care")
    assert list(ws.tables) == ["Scorecard"] and ws.tables["Scorecard"].ref == "A4:D6"


def test_export_tables(tmp_path: Path):
    assert export_tables("", results=pd.DataFrame({"x": [1]})) == []
    assert notebook_export("", results=pd.DataFrame({"x": [1]})) is None
    assert notebook_export(tmp_path / "nb", scorecard=pd.DataFrame({"x": [1]})) is None
    assert (tmp_path / "nb" / "scorecard.xlsx").is_file()
    results = pd.DataFrame(
        {"indicator_id": ["cla_count"], "period_end": [pd.Timestamp("2026-09-30")], "value": [1.0]}
    )
    written = export_tables(
        tmp_path, results=results, scorecard=results[["indicator_id"]], title="T"
    )
    assert [p.name for p in written] == ["results.csv", "scorecard.xlsx"]
    assert (tmp_path / "results.csv").read_text().splitlines() == [
        "indicator_id,period_end,value",
        "cla_count,2026-09-30,1.0",
    ]


@pytest.mark.parametrize("column", ["CHILD", "upn", "DOB", "PL_POST", "postcode"])
def test_export_refuses_identifying_columns(tmp_path: Path, column: str):
    with pytest.raises(CppError, match=f"{column}.*identify children"):
        export_tables(tmp_path, results=pd.DataFrame({column: ["1"]}))
    assert not (tmp_path / "results.csv").exists()


def test_stale_temporaries_of_dead_runs_are_removed(tmp_path: Path):
    import subprocess

    from cppanalytics.reporting.outputs import remove_stale_temporaries

    proc = subprocess.Popen(["true"])
    proc.wait()  # its pid now belongs to no process
    stale = tmp_path / f".r.tmp-{proc.pid}-abc"
    live = tmp_path / f".r.tmp-{__import__('os').getpid()}-def"
    other = tmp_path / ".other.tmp-1-x"
    for folder in (stale, live, other):
        folder.mkdir()
    assert remove_stale_temporaries(tmp_path / "r") == [stale]
    assert live.exists() and other.exists() and not stale.exists()
