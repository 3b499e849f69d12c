"""Unit tests of the loader's rules: years, code lists by year, stitching, table matching."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from cppanalytics.cli import main
from cppanalytics.ssda903.codes import code_status, valid_codes
from cppanalytics.ssda903.dataset import coerce_table
from cppanalytics.ssda903.readers import decode
from cppanalytics.ssda903.schemas import match_table
from cppanalytics.ssda903.stitch import repair_overlaps
from cppanalytics.ssda903.years import infer_year, parse_year_column, year_from_name
from tests.ssda903.builders import small_council, write_set


@pytest.mark.parametrize(
    ("name", "year"),
    [
        ("2022-23", 2023),
        ("2022_23", 2023),
        ("202223", 2023),
        ("2022-2023", 2023),
        ("903 return 2019-20 final", 2020),
        ("2022-24", None),
        ("2023", None),
        ("data", None),
    ],
)
def test_year_from_name(name: str, year: int | None) -> None:
    assert year_from_name(name) == year


def test_year_column_and_inference() -> None:
    assert parse_year_column(pd.Series(["2024", "2023-24", "2023/2024", "24"])).tolist() == [
        2024,
        2024,
        2024,
        pd.NA,
    ]
    # 1 stray typo date among 200 does not move the year; 1 April starts the next year
    dates = pd.Series(pd.to_datetime(["2023-06-01"] * 199 + ["2025-02-01"]))
    assert infer_year(dates, pd.Timestamp("2026-01-01")) == 2024
    assert infer_year(pd.Series(pd.to_datetime(["2024-04-01"])), pd.Timestamp("2026-01-01")) == 2025


@pytest.mark.parametrize(
    ("col", "code", "year", "status"),
    [
        ("PLACE", "K3", 2025, "ok"),
        ("PLACE", "K3", 2024, "other_year"),
        ("PLACE", "K3", 2023, "wrong_year"),
        ("PLACE", "Z1", 2026, "other_year"),
        ("PLACE", "Z12", 2026, "ok"),
        ("PLACE", "H5", 2027, "wrong_year"),
        ("SEX", "1", 2024, "ok"),
        ("SEX", "1", 2025, "other_year"),
        ("SEX", "M", 2025, "ok"),
        ("ACTIV", "F3", 2021, "ok"),
        ("ACTIV", "F4", 2021, "other_year"),
        ("REC", "E43", 2019, "ok"),
        ("REC", "E45", 2018, "wrong_year"),
        ("LS", "V3", 2010, "ok"),
        ("LS", "Q", 2024, "unknown"),
        ("ACCOM", "01", 2024, "unknown"),
    ],
)
def test_code_status_by_collection_year(col: str, code: str, year: int, status: str) -> None:
    assert code_status(col, pd.Series([code]), pd.Series([year])).item() == status


def test_valid_codes_versioned() -> None:
    assert "K3" in valid_codes("PLACE", 2025) and "K3" not in valid_codes("PLACE", 2024)
    assert {"Z11", "Z14"} <= valid_codes("PLACE", 2026) and "Z1" not in valid_codes("PLACE", 2026)


def test_match_table() -> None:
    assert (
        match_table({"CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"}).table == "header"
    )
    assert match_table({"CHILD", "SEX", "DOB", "DUC", "LA", "YEAR"}).table == "uasc"
    assert match_table({"CHILD", "DOB"}).table is None


def test_decode_never_guesses_wrongly() -> None:
    assert decode("é".encode()) == ("é", "utf-8")
    assert decode("é".encode("cp1252")) == ("é", "cp1252")
    assert decode("\ufeffé".encode()) == ("é", "utf-8-sig")
    assert decode("CHILD,DOB\n".encode("utf-16-le")) == ("CHILD,DOB\n", "utf-16-le")
    assert decode(b"\x81\x8d") is None


def _eps(rows: list[tuple[str, str, str, str, int]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["CHILD", "DECOM", "DEC", "REC", "YEAR"])
    frame["source_file"] = "e.csv"
    frame["source_row"] = range(2, len(rows) + 2)
    return coerce_table("episodes", frame)


def test_stale_episode_inside_later_years_episode_set_aside() -> None:
    eps = _eps(
        [
            ("1", "01/05/2022", "", "", 2024),  # re-recorded by 2023-24's return
            ("1", "03/05/2022", "", "", 2023),  # 2022-23's version (other DECOM)
        ]
    )
    kept, found = repair_overlaps(eps, latest_year=2024)
    assert kept["DECOM"].tolist() == [pd.Timestamp("2022-05-01")]
    assert found[["code", "row", "action"]].values.tolist() == [
        ["episode_superseded_overlap", 3, "set_aside"]
    ]


def test_earlier_year_episode_ends_when_later_years_starts() -> None:
    eps = _eps([("1", "01/05/2022", "", "", 2023), ("1", "01/06/2023", "", "", 2024)])
    kept, found = repair_overlaps(eps, latest_year=2024)
    assert kept["DEC"].tolist()[0] == pd.Timestamp("2023-06-01")
    assert kept["REC"].tolist()[0] == "X1"
    assert found.code.tolist() == ["episode_overlap"]


def test_open_episode_missing_from_later_year_warned() -> None:
    eps = _eps([("1", "01/05/2022", "", "", 2023), ("2", "01/05/2023", "", "", 2024)])
    kept, found = repair_overlaps(eps, latest_year=2024)
    assert len(kept) == 2
    assert found[["code", "child", "action"]].values.tolist() == [
        ["open_episode_not_in_later_year", "1", "loaded"]
    ]


def test_open_episode_missing_from_later_year_warned_for_the_last_child() -> None:
    # the child sorting last holds the table's last episode (no next row at all): it is
    # warned like any other (it was missed when CHILD was pandas text and the next was NA)
    eps = _eps([("1", "01/05/2023", "", "", 2024), ("2", "01/05/2022", "", "", 2023)])
    for storage in ("python", "pyarrow"):
        typed = eps.astype({"CHILD": pd.StringDtype(storage)})
        kept, found = repair_overlaps(typed, latest_year=2024)
        assert len(kept) == 2
        assert found[["code", "child", "action"]].values.tolist() == [
            ["open_episode_not_in_later_year", "2", "loaded"]
        ], storage


def test_cli_exit_status_and_csv(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    clean = small_council()
    # also valid under DfE's rules (validate applies them): B2's MOTHER status, the reason
    # for A1's placement change, and previous permanence for both children starting care
    clean["header"].loc[1, "MOTHER"] = "0"
    clean["episodes"].loc[0, "REASON_PLACE_CHANGE"] = "CARPL"
    clean["episodes"]["PL_POST"] = ["MK5 7FP", "MK3 7JH", "MK5 7FP"]
    clean["prev_perm"] = pd.DataFrame(
        {
            "CHILD": ["A1", "B2"],
            "DOB": ["01/06/2012", "15/09/2008"],
            "PREV_PERM": ["Z1", "Z1"],
            "LA_PERM": ["", ""],
            "DATE_PERM": ["", ""],
        }
    )
    good = write_set(tmp_path / "good" / "2023-24", clean)
    out = tmp_path / "f.csv"
    assert main(["validate", str(good), "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert "0 error(s)" in text and "episodes" in text and out.exists()
    bad = small_council()
    bad["episodes"].loc[0, "DECOM"] = "not a date"
    bad_dir = write_set(tmp_path / "bad" / "2023-24", bad)
    assert main(["validate", str(bad_dir), "--out", str(out)]) == 1
    text = capsys.readouterr().out
    assert "date_unparseable" in text
    written = pd.read_csv(out, dtype=str)
    assert "date_unparseable" in set(written.code)
    assert main(["validate", str(tmp_path / "missing")]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "does not exist" in err


def test_coerce_fast_matches_shared_coerce_table() -> None:
    from cppanalytics.ssda903.dataset import COLUMNS, PROVENANCE
    from cppanalytics.ssda903.loader import coerce_fast

    raw = pd.DataFrame(
        {
            "CHILD": [" 12.0", "12", "", "x"],
            "DECOM": ["01/04/2023", "2023-04-01", "", "32/01/23"],
            "RNE": ["s", " S ", "", "1.0"],
            "HOME_POST": ["mk9  3ej", "", "MK93EJ", "mk9 3ej"],
            "DEC": ["", "", "", ""],
            "URN": ["SC1", "", "007", "7.0"],
        }
    ).reindex(columns=COLUMNS["episodes"], fill_value="")
    raw = raw.assign(YEAR=[2024, 2024, None, 2023], source_file="e.csv", source_row=[2, 3, 4, 5])
    raw = raw[[*COLUMNS["episodes"], *PROVENANCE]]
    pd.testing.assert_frame_equal(coerce_fast("episodes", raw), coerce_table("episodes", raw))
    oc2 = (
        pd.DataFrame({"SDQ_SCORE": ["12", "x", ""]})
        .reindex(columns=COLUMNS["oc2"], fill_value="")
        .assign(YEAR=2024, source_file="o", source_row=2)
    )
    pd.testing.assert_frame_equal(coerce_fast("oc2", oc2), coerce_table("oc2", oc2))
