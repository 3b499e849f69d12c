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
            "Indicator": ["Children in care", "3+ placements", "Average SDQ score"],
            "This quarter": ["81,770", "12%", "14.2"],
            "England": [pd.NA, "c", "12.5%"],
            "Target": ["z", "x", "-4"],
            "RAG": ["Green", "Red", "=HYPERLINK(1)"],
        }
    )
    path = write_scorecard_xlsx(
        frame,
        tmp_path / "s.xlsx",
        title="Ouzel Vale: scorecard",
        notes="This quarter = 30 Sep 2026.",
    )
    book = load_workbook(path)
    # cover, contents and notes sheets, then one table per sheet
    assert book.sheetnames == ["Cover", "Contents", "Notes", "Scorecard"]
    assert book["Cover"]["A1"].value == "Ouzel Vale: scorecard"
    contents = [r for r in book["Contents"].iter_rows(values_only=True)]
    assert ("Scorecard", "Ouzel Vale: scorecard") in contents
    notes = " ".join(str(v) for r in book["Notes"].iter_rows(values_only=True) for v in r)
    assert "[c] Suppressed" in notes and "[z] Not applicable" in notes
    ws = book["Scorecard"]
    rows = list(ws.iter_rows())
    start = next(i for i, r in enumerate(rows) if r[0].value == "Indicator")
    assert [c.value for c in rows[start]] == [
        "Indicator",
        "This quarter",
        "England",
        "Target",
        "RAG",
    ]
    body = {r[0].value: r for r in rows[start + 1 :]}
    care, stability, sdq = (
        body["Children in care"],
        body["3+ placements"],
        body["Average SDQ score"],
    )
    # numbers are numbers, shown as in the report
    assert (care[1].value, care[1].number_format) == (81770, "#,##0")
    assert care[1].data_type == "n"
    assert (stability[1].value, stability[1].number_format) == (0.12, "0%")
    assert (sdq[1].value, sdq[1].number_format) == (14.2, "#,##0.0")
    assert (sdq[2].value, sdq[2].number_format) == (0.125, "0.0%")
    assert sdq[3].value == -4 and sdq[3].data_type == "n"
    # marks are text, NA blank, RAG a word; nothing is a formula
    assert (stability[2].value, care[3].value, stability[3].value) == ("[c]", "[z]", "[x]")
    assert stability[2].data_type == "s"
    assert care[2].value is None
    assert stability[4].value == "Red"
    assert sdq[4].value == "'=HYPERLINK(1)"
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    assert not [c for c in cells if c.data_type == "f"]
    assert not any(sheet.merged_cells.ranges for sheet in book.worksheets)
    assert list(ws.tables) == ["scorecard"]


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
