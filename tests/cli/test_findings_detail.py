"""Findings CSVs: every error and warning row by row, info findings summarised by default."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd

from cppanalytics.cli import main
from cppanalytics.findings import Findings, summarise_findings


def _findings() -> pd.DataFrame:
    f = Findings()
    for row in (2, 3, 4):
        f.add(
            "info",
            "superseded",
            table="episodes",
            file="a/episodes.csv",
            row=row,
            child=f"C{row}",
            value="x",
            message="superseded",
            action="set_aside",
        )
    f.add(
        "info",
        "superseded",
        table="episodes",
        file="b/episodes.csv",
        row=7,
        child="C7",
        value="y",
        message="superseded",
        action="set_aside",
    )
    f.add(
        "info",
        "blank_lines",
        table="header",
        file="a/header.csv",
        value=2,
        message="2 blank line(s) skipped.",
    )
    for row in (5, 6):
        f.add(
            "warning",
            "code_unknown",
            table="episodes",
            file="a/episodes.csv",
            row=row,
            column="PLACE",
            value="Q9",
            message="PLACE 'Q9' is not a known code",
        )
    f.add("error", "date_unparseable", table="header", file="a/header.csv", row=9)
    return f.to_frame()


def test_summary_keeps_errors_and_warnings_and_counts_info() -> None:
    frame = _findings()
    out = summarise_findings(frame)
    assert out["severity"].tolist() == ["error", "warning", "warning", "info", "info", "info"]
    # the two warnings are kept row by row, with their rows
    assert out.loc[out["severity"] == "warning", "row"].tolist() == [5, 6]
    info = out[out["severity"] == "info"].set_index(["code", "file"])
    # three superseded rows of one file fold into one row counting them, first row kept
    folded = info.loc[("superseded", "a/episodes.csv")]
    assert (folded["value"], folded["row"], folded["child"]) == ("3", 2, "")
    assert folded["message"] == "3 rows: superseded"
    # a kind with one row in a file is kept as it is (its own value and child)
    single = info.loc[("superseded", "b/episodes.csv")]
    assert (single["value"], single["child"], single["message"]) == ("y", "C7", "superseded")
    assert info.loc[("blank_lines", "a/header.csv"), "value"] == "2"


def test_all_keeps_every_row() -> None:
    frame = _findings()
    assert summarise_findings(frame, "all").equals(frame)


def test_validate_writes_summary_unless_all(demo_data: Path, tmp_path: Path) -> None:
    summary_csv, all_csv = tmp_path / "s.csv", tmp_path / "a.csv"
    assert main(["validate", str(demo_data), "--out", str(summary_csv)]) in (0, 1)
    assert main(["validate", str(demo_data), "--out", str(all_csv), "--findings", "all"]) in (0, 1)
    every = pd.read_csv(all_csv, dtype=str, keep_default_na=False)
    summary = pd.read_csv(summary_csv, dtype=str, keep_default_na=False)
    assert len(summary) < len(every)
    act_on = every[every["severity"] != "info"]
    assert len(summary[summary["severity"] != "info"]) == len(act_on)
    # the summary still accounts for every info row
    info = summary[summary["severity"] == "info"]
    counted = info["message"].str.extract(r"^(\d+) rows: ")[0].fillna("1").astype(int).sum()
    assert counted == (every["severity"] == "info").sum()


def test_indicators_reuses_the_cached_load(demo_data: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(demo_data / "2024-25", data / "2024-25")
    shutil.copytree(demo_data / "2025-26", data / "2025-26")
    args = [
        "indicators",
        "--data",
        str(data),
        "--period-end",
        "2026-03-31",
        "--la-code",
        "E06000042",
    ]
    assert main([*args, "--out", str(tmp_path / "a.csv"), "--no-cache"]) == 0
    assert not (data / ".cppanalytics-cache").exists()
    assert main([*args, "--out", str(tmp_path / "b.csv")]) == 0
    entries = [p for p in (data / ".cppanalytics-cache").iterdir() if p.is_dir()]
    assert len(entries) == 1  # one load kept (beside the note of the last load)
    assert main([*args, "--out", str(tmp_path / "c.csv")]) == 0  # from the cache
    first = pd.read_csv(tmp_path / "a.csv", dtype=str, keep_default_na=False)
    for name in ("b.csv", "c.csv"):
        again = pd.read_csv(tmp_path / name, dtype=str, keep_default_na=False)
        pd.testing.assert_frame_equal(first, again)
