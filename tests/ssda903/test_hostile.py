"""Damaged inputs and unlucky disks: no row or year lost without a finding, no traceback.

Every case builds its own file in ``tmp_path``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

from cppanalytics.errors import CppError
from cppanalytics.indicators import compute
from cppanalytics.ssda903 import load
from cppanalytics.ssda903.coverage import check_period_ends
from cppanalytics.ssda903.dataset import COLUMNS, coerce_table
from cppanalytics.ssda903.stitch import repair_overlaps
from tests.ssda903.builders import TODAY, ep, episodes, hd, header, small_council, write_set


def codes(ds) -> set[str]:
    return set(ds.findings["code"])


def one(ds, code: str) -> pd.Series:
    rows = ds.findings[ds.findings.code == code]
    assert len(rows) == 1, ds.findings[["code", "message"]]
    return rows.iloc[0]


# ------------------------------------------------------------------ folders, links, disks
def test_year_folder_that_is_a_link_is_followed(tmp_path: Path) -> None:
    real = write_set(tmp_path / "store" / "copy", small_council())
    data = tmp_path / "data"
    data.mkdir()
    (data / "2023-24").symlink_to(real, target_is_directory=True)
    ds = load(data, today=TODAY)
    assert len(ds.episodes) == 3 and set(ds.episodes["YEAR"]) == {2024}
    assert one(ds, "link_followed")["severity"] == "info"


def test_link_loop_reads_each_folder_once(tmp_path: Path) -> None:
    folder = write_set(tmp_path / "2023-24", small_council())
    (folder / "again").symlink_to(folder, target_is_directory=True)
    ds = load(tmp_path, today=TODAY)
    assert len(ds.episodes) == 3


def test_dangling_links_are_errors(tmp_path: Path) -> None:
    folder = write_set(tmp_path / "2023-24", small_council())
    (folder / "oc3.csv").symlink_to(tmp_path / "moved" / "oc3.csv")
    (tmp_path / "2024-25").symlink_to(tmp_path / "unmounted", target_is_directory=True)
    ds = load(tmp_path, today=TODAY)
    dangling = ds.findings[ds.findings.code == "link_dangling"]
    assert sorted(Path(f).name for f in dangling.file) == ["2024-25", "oc3.csv"]
    assert set(dangling.severity) == {"error"}


def test_dangling_link_given_as_the_path_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "extract").symlink_to(tmp_path / "nowhere", target_is_directory=True)
    with pytest.raises(CppError, match="no usable header or episodes table"):
        load(tmp_path / "extract", today=TODAY)


def test_unreadable_year_folder_is_an_error_and_refuses_later_periods(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for year in ("2022-23", "2023-24", "2024-25"):
        write_set(tmp_path / year, small_council())
    locked = str(tmp_path / "2023-24")
    real_scandir = os.scandir

    def scandir(path="."):  # the folder's permissions deny listing it
        if os.fspath(path) == locked:
            raise PermissionError(13, "Permission denied", locked)
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    ds = load(tmp_path, today=TODAY)
    found = one(ds, "folder_unreadable")
    assert found["severity"] == "error" and found["file"] == locked
    assert ds.table_years["episodes"] == (2023, 2025)
    with pytest.raises(CppError, match="2023-24: no usable header or episodes table"):
        check_period_ends(ds, ["2024-12-31"])


def test_unreadable_file_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = write_set(tmp_path / "2023-24", small_council())
    (folder / "oc3.csv").write_text("CHILD,DOB,IN_TOUCH,ACTIV,ACCOM\n")
    real = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self.name == "oc3.csv":
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    found = one(load(folder, today=TODAY), "file_unreadable")
    assert found["severity"] == "error" and found["action"] == "rejected_file"


# ------------------------------------------------------------------ damaged CSV text
def _write_episodes(folder: Path, lines: list[str], line_end: str = "\n") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    write_set(folder, {"header": small_council()["header"]})
    text = line_end.join([",".join(COLUMNS["episodes"]), *lines]) + line_end
    (folder / "episodes.csv").write_text(text, newline="")
    return folder


def _episode_line(child: str, decom: str, dec: str = "", rec: str = "") -> str:
    return f"{child},{decom},S,C2,N1,U4,PR1,{dec},{rec},,MK9 3EJ,MK9 3EJ,SC000001"


def test_one_stray_quote_loses_one_row_named_by_its_line(tmp_path: Path) -> None:
    lines = [_episode_line(f"C{i}", "01/05/2023") for i in range(40)]
    lines[9] = lines[9].replace(",PR1,", ',"PR1,')  # line 11 of the file
    ds = load(_write_episodes(tmp_path / "2023-24", lines), today=TODAY)
    found = one(ds, "quote_unmatched")
    assert found["row"] == 11 and found["severity"] == "error"
    assert found["action"] == "set_aside" and found["child"] == "C9"
    assert len(ds.episodes) == 39
    # rows after the stray quote keep their own line numbers
    last = ds.episodes[ds.episodes.CHILD == "C39"]
    assert last["source_row"].item() == 41


def test_quoted_values_with_commas_are_not_stray(tmp_path: Path) -> None:
    lines = [
        _episode_line("A1", "01/05/2023").replace(",MK9 3EJ,MK9 3EJ,", ',"MK9 3EJ","MK9, 3EJ",')
    ]
    ds = load(_write_episodes(tmp_path / "2023-24", lines), today=TODAY)
    assert "quote_unmatched" not in codes(ds) and len(ds.episodes) == 1


def test_closed_episode_cut_short_is_set_aside_not_loaded_open(tmp_path: Path) -> None:
    full = _episode_line("A1", "01/05/2023", "01/09/2023", "E4A")
    cut = ",".join(full.split(",")[:7])  # stops after PLACE_PROVIDER
    ds = load(
        _write_episodes(tmp_path / "2023-24", [cut, _episode_line("B2", "01/06/2023")]), today=TODAY
    )
    found = one(ds, "row_cut_short")
    assert found["severity"] == "error" and found["action"] == "set_aside"
    assert found["row"] == 2 and "DEC, REC" in found["message"]
    assert ds.episodes["CHILD"].tolist() == ["B2"]
    res = compute(ds, "2024-03-31", ids=["cla_count"])
    assert res["value"].tolist() == [1.0]  # A1 is not "still in care"


def test_row_missing_only_trailing_optional_columns_is_kept_with_warning(tmp_path: Path) -> None:
    line = ",".join(_episode_line("A1", "01/05/2023", "01/09/2023", "E4A").split(",")[:12])
    ds = load(_write_episodes(tmp_path / "2023-24", [line]), today=TODAY)
    found = one(ds, "row_cut_short")
    assert found["severity"] == "warning" and "URN" in found["message"]
    assert ds.episodes["DEC"].tolist() == [pd.Timestamp("2023-09-01")]


@pytest.mark.parametrize("line_end", ["\r", "\r\n", "\n"])
def test_line_endings_including_old_mac_cr_only(tmp_path: Path, line_end: str) -> None:
    lines = [_episode_line("A1", "01/05/2023"), _episode_line("B2", "01/06/2023")]
    ds = load(_write_episodes(tmp_path / "2023-24", lines, line_end), today=TODAY)
    assert ds.episodes["CHILD"].tolist() == ["A1", "B2"]
    assert ds.episodes["source_row"].tolist() == [2, 3]


def test_date_with_junk_after_it_is_not_a_date(tmp_path: Path) -> None:
    eps = episodes([ep("A1", "2023-05-01"), ep("B2", "2024-03-31junk")]).assign(
        LA="E06000042", YEAR="2024"
    )
    hdr = header([hd("A1"), hd("B2")]).assign(LA="E06000042", YEAR="2024")
    eps.to_csv(tmp_path / "episodes.csv", index=False)
    hdr.to_csv(tmp_path / "header.csv", index=False)
    ds = load(tmp_path, today=TODAY)
    bad = ds.findings[(ds.findings.code == "date_unparseable") & (ds.findings.column == "DECOM")]
    assert bad["value"].tolist() == ["2024-03-31junk"]
    assert ds.episodes["CHILD"].tolist() == ["A1"]


def test_dates_the_tables_cannot_hold_are_findings_not_a_crash(tmp_path: Path) -> None:
    # typed dates hold 1678 to 11 April 2262: a slip such as 2300, or a 31/12/9999 "no end"
    # placeholder, is reported like any unreadable date (pandas would overflow and stop the run)
    hdr = header([hd("A1"), hd("B2", dob="01/01/2300"), hd("C3", dob="01/01/1600")])
    eps = episodes(
        [
            ep("A1", "01/05/2023", "31/12/9999", "E4A"),
            ep("B2", "01/06/2023"),
            ep("C3", "01/07/2023"),
        ]
    )
    ds = load(write_set(tmp_path / "2023-24", {"header": hdr, "episodes": eps}), today=TODAY)
    bad = ds.findings[ds.findings.code == "date_unparseable"]
    named = sorted(zip(bad.table, bad.row, bad.column, bad.value, strict=True))
    assert named == [
        ("episodes", 2, "DEC", "31/12/9999"),
        ("header", 3, "DOB", "01/01/2300"),
        ("header", 4, "DOB", "01/01/1600"),
    ]
    assert set(bad.severity) == {"error"}
    assert ds.episodes["DEC"].isna().all() and ds.header["DOB"].isna().sum() == 2
    res = compute(ds, "2024-03-31")  # the whole catalogue computes
    assert res.loc[res.indicator_id == "cla_count", "value"].tolist() == [3.0]


def test_date_of_birth_far_ahead_is_reported_and_computes(tmp_path: Path) -> None:
    # 2250 can be held, but the 18th birthday (2268) cannot: no birthday, not an overflow
    hdr = header([hd("A1"), hd("B2", dob="01/01/2250")])
    eps = episodes([ep("A1", "01/05/2023"), ep("B2", "01/06/2023")])
    ds = load(write_set(tmp_path / "2023-24", {"header": hdr, "episodes": eps}), today=TODAY)
    assert ds.header["DOB"].tolist()[1] == pd.Timestamp("2250-01-01")
    assert "date_unparseable" not in codes(ds)
    future = ds.findings[(ds.findings.child == "B2") & (ds.findings.severity == "error")]
    assert len(future) >= 1, ds.findings[["code", "message"]]
    res = compute(ds, "2024-03-31")
    assert res.loc[res.indicator_id == "cla_count", "value"].tolist() == [2.0]


# ------------------------------------------------------------------ overlap repair
def test_overlap_repair_sets_aside_every_nested_stale_episode() -> None:
    # one 2023-24 episode open since 2020; 150 stale 2022-23 episodes start inside it
    starts = pd.date_range("2020-02-01", periods=150, freq="D")
    raw = pd.DataFrame(
        {
            "CHILD": "1",
            "DECOM": ["01/01/2020", *starts.strftime("%d/%m/%Y")],
            "DEC": ["", *(starts + pd.Timedelta(days=1)).strftime("%d/%m/%Y")],
            "REC": ["", *["X1"] * 150],
            "YEAR": [2024, *[2023] * 150],
            "source_file": "e.csv",
            "source_row": range(2, 153),
        }
    )
    kept, found = repair_overlaps(coerce_table("episodes", raw), 2024)
    assert len(kept) == 1 and kept["YEAR"].tolist() == [2024]
    assert (found.code == "episode_superseded_overlap").sum() == 150
    assert found["message"].str.contains("later 2023-24 files").all()


def test_overlap_repair_keeps_earlier_episodes_outside_later_ones() -> None:
    raw = pd.DataFrame(
        {
            "CHILD": ["1", "1", "1"],
            "DECOM": ["01/01/2022", "01/03/2022", "01/06/2022"],
            "DEC": ["01/03/2022", "", ""],
            "REC": ["X1", "", ""],
            "YEAR": [2023, 2022, 2023],
            "source_file": "e.csv",
            "source_row": [2, 3, 4],
        }
    )
    kept, found = repair_overlaps(coerce_table("episodes", raw), 2023)
    # the 2021-22 episode starts when the 2022-23 one ended: not inside it, kept but cut
    assert kept["DECOM"].dt.strftime("%Y-%m-%d").tolist() == [
        "2022-01-01",
        "2022-03-01",
        "2022-06-01",
    ]
    assert found.code.tolist() == ["episode_overlap"]


# ------------------------------------------------------------------ pooled council codes
@pytest.mark.parametrize("written", ["e06000042", "826", " E06000042 "])
def test_pooled_council_codes_are_normalised(tmp_path: Path, written: str) -> None:
    tables = small_council()
    for name, frame in tables.items():
        other = frame.iloc[:1].assign(CHILD="Z9", LA="E09000001", YEAR="2024")
        mine = frame.assign(LA=written, YEAR="2024")
        pd.concat([mine, other]).to_csv(tmp_path / f"{name}.csv", index=False)
    ds = load(tmp_path, la_code="E06000042", today=TODAY)
    assert sorted(ds.episodes["CHILD"].unique()) == ["A1", "B2"]
    assert (ds.findings.code == "other_council").sum() == 2
    ds = load(tmp_path, la_code="826", today=TODAY)
    assert sorted(ds.header["CHILD"]) == ["A1", "B2"]


def test_error_when_every_row_is_another_councils_says_so(tmp_path: Path) -> None:
    for name, frame in small_council().items():
        frame.assign(LA="E09000001", YEAR="2024").to_csv(tmp_path / f"{name}.csv", index=False)
    with pytest.raises(CppError) as err:
        load(tmp_path, la_code="E06000042", today=TODAY)
    text = str(err.value)
    assert "tables found" not in text
    assert "all 2 header row(s) read were set aside (2 of another council's" in text
    assert "check --la-code" in text


def test_episode_starting_after_its_year_is_set_aside(tmp_path: Path) -> None:
    rows = [ep(f"C{i}", "01/05/2023", "01/09/2023", "E4A") for i in range(30)]
    rows.append(ep("LATE", "01/05/2024"))  # keyed into the 2023-24 return by mistake
    tables = {
        "header": header([hd(f"C{i}") for i in range(30)] + [hd("LATE")]),
        "episodes": episodes(rows),
    }
    ds = load(write_set(tmp_path / "2023-24", tables), today=TODAY)
    found = one(ds, "episode_after_year")
    assert found["severity"] == "error" and found["child"] == "LATE"
    assert "01/05/2024" in found["message"] and "2023-24" in found["message"]
    assert "LATE" not in set(ds.episodes["CHILD"])
    assert "year_contradicts_dates" not in codes(ds)


def test_misnamed_folder_is_one_warning_not_rows_set_aside(tmp_path: Path) -> None:
    ds = load(write_set(tmp_path / "2019-20", small_council()), today=TODAY)
    assert "episode_after_year" not in codes(ds) and len(ds.episodes) == 3
    assert one(ds, "year_contradicts_dates")["severity"] == "warning"
