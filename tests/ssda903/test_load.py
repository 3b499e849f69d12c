"""The 903 loader end to end: every input layout and every bad-input case."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from cppanalytics.errors import CppError
from cppanalytics.ssda903 import load
from cppanalytics.ssda903.dataset import COLUMNS
from tests.ssda903.builders import (
    TODAY,
    ep,
    episodes,
    hd,
    header,
    input_rows,
    small_council,
    to_xml,
    write_set,
)


def codes(ds, severity: str | None = None) -> list[str]:
    f = ds.findings
    if severity:
        f = f[f.severity == severity]
    return sorted(f.code)


def test_csv_set_loads_typed_with_provenance(tmp_path: Path) -> None:
    folder = write_set(tmp_path / "2023-24", small_council())
    ds = load(folder, today=TODAY)
    assert codes(ds, "error") == [] and codes(ds, "warning") == []
    eps = ds.episodes
    assert len(eps) == 3 and len(ds.header) == 2
    assert eps["DECOM"].dtype == "datetime64[ns]"
    assert eps.loc[eps.CHILD == "B2", "DEC"].item() == pd.Timestamp("2024-02-20")
    assert set(eps["YEAR"]) == {2024}
    # provenance: spreadsheet line numbers, header = 1
    a1 = eps[eps.CHILD == "A1"].sort_values("DECOM")
    assert a1["source_row"].tolist() == [2, 3]
    assert a1["source_file"].iloc[0].endswith("episodes.csv")


@pytest.mark.parametrize("name", ["2023-24", "2023_24", "202324", "ssda903 2023-2024"])
def test_folder_name_gives_collection_year(tmp_path: Path, name: str) -> None:
    ds = load(write_set(tmp_path / name, small_council()), today=TODAY)
    assert set(ds.episodes["YEAR"]) == {2024}
    assert "year_inferred" not in codes(ds)


def test_year_inferred_from_data_with_info_finding(tmp_path: Path) -> None:
    ds = load(write_set(tmp_path / "extract", small_council()), today=TODAY)
    assert set(ds.header["YEAR"]) == {2024}
    assert codes(ds, "info") == ["year_inferred"]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1252"])
def test_encodings(tmp_path: Path, encoding: str) -> None:
    tables = small_council()
    tables["header"].loc[0, "UPN"] = "Zoë"  # a non-ASCII character survives each encoding
    ds = load(write_set(tmp_path / "2023-24", tables, encoding=encoding), today=TODAY)
    assert len(ds.episodes) == 3
    assert "Zoë" in set(ds.header["UPN"])
    expected = {"cp1252": "warning", "utf-16": "info"}.get(encoding)
    enc = ds.findings[ds.findings.code == "file_encoding"]
    assert set(enc.severity) == ({expected} if expected else set())


def test_undecodable_file_is_one_error(tmp_path: Path) -> None:
    folder = write_set(tmp_path / "2023-24", small_council())
    (folder / "oc3.csv").write_bytes(b"CHILD,DOB,IN_TOUCH,ACTIV,ACCOM\n\x81\x8d\x8f\x90\n")
    ds = load(folder, today=TODAY)
    bad = ds.findings[ds.findings.code == "file_encoding"]
    assert len(bad) == 1 and bad.severity.item() == "error"
    assert bad.action.item() == "rejected_file" and bad.file.item().endswith("oc3.csv")


def test_shuffled_columns_whitespace_bom_case_and_float_codes(tmp_path: Path) -> None:
    tables = small_council()
    eps = tables["episodes"]
    eps = eps[list(reversed(eps.columns))]
    eps = eps.rename(columns={"PLACE": " place ", "CHILD": "Child"})
    eps[" place "] = eps[" place "].str.lower() + " "
    tables["episodes"] = eps
    tables["header"]["SEX"] = ["1.0", "2.0"]
    folder = write_set(tmp_path / "2023-24", tables, encoding="utf-8-sig")
    ds = load(folder, today=TODAY)
    assert codes(ds, "error") == []
    assert sorted(ds.episodes["PLACE"]) == ["K2", "U4", "U4"]
    assert sorted(ds.header["SEX"]) == ["1", "2"]


def test_tables_recognised_by_columns_not_file_name(tmp_path: Path) -> None:
    folder = tmp_path / "2023-24"
    folder.mkdir()
    t = small_council()
    t["header"].to_csv(folder / "export_1.csv", index=False)
    t["episodes"].to_csv(folder / "export_2.csv", index=False)
    ds = load(folder, today=TODAY)
    assert len(ds.header) == 2 and len(ds.episodes) == 3


def test_per_year_folders_stitch_latest_year_wins(tmp_path: Path) -> None:
    y1 = {
        "header": header([hd("A1", ETHNIC="WOTH")]),
        "episodes": episodes([ep("A1", "01/05/2022")]),  # open at 31/03/2023
    }
    y2 = {
        "header": header([hd("A1", ETHNIC="WBRI")]),
        "episodes": episodes(
            [
                ep("A1", "01/05/2022", "01/06/2023", "X1"),  # the same episode, now closed
                ep("A1", "01/06/2023", RNE="P", PLACE="K2"),
            ]
        ),
    }
    write_set(tmp_path / "2022-23", y1)
    write_set(tmp_path / "2023-24", y2)
    ds = load(tmp_path, today=TODAY)
    eps = ds.episodes.sort_values("DECOM")
    assert eps["DEC"].tolist()[0] == pd.Timestamp("2023-06-01")
    assert eps["YEAR"].tolist() == [2024, 2024]
    assert ds.header["ETHNIC"].tolist() == ["WBRI"] and ds.header["YEAR"].tolist() == [2024]
    sup = ds.findings[ds.findings.code == "superseded"]
    assert set(sup.table) == {"episodes", "header"}
    assert set(sup.action) == {"set_aside"} and set(sup.severity) == {"info"}
    assert all("2022-23" in f for f in sup.file)


def test_oc2_rows_keep_their_collection_year(tmp_path: Path) -> None:
    oc2 = pd.DataFrame(
        {"CHILD": ["A1"], "DOB": ["01/06/2012"], "SDQ_SCORE": ["12"], "CONVICTED": ["0"]}
    ).reindex(columns=COLUMNS["oc2"], fill_value="")
    y1 = {**small_council(), "oc2": oc2}
    y2 = {**small_council(), "oc2": oc2.assign(SDQ_SCORE="14")}
    write_set(tmp_path / "2022-23", y1)
    write_set(tmp_path / "2023-24", y2)
    ds = load(tmp_path, today=TODAY)
    assert sorted(zip(ds.oc2.YEAR, ds.oc2.SDQ_SCORE, strict=True)) == [(2023, 12.0), (2024, 14.0)]


def test_pooled_layout_iso_dates_la_and_year(tmp_path: Path) -> None:
    t = small_council()
    iso = {
        name: frame.assign(
            **{
                c: pd.to_datetime(frame[c], format="%d/%m/%Y").dt.strftime("%Y-%m-%d").fillna("")
                for c in frame.columns
                if c in {"DOB", "DECOM", "DEC"}
            }
        )
        for name, frame in t.items()
    }
    pooled_eps = pd.concat(
        [
            iso["episodes"].assign(LA="E06000042", YEAR="2024"),
            iso["episodes"].assign(LA="E09000001", YEAR="2024", CHILD="X9"),
        ]
    )
    pooled_hdr = pd.concat(
        [
            iso["header"].assign(LA="E06000042", YEAR="2024"),
            iso["header"].iloc[:1].assign(LA="E09000001", YEAR="2024", CHILD="X9"),
        ]
    )
    folder = tmp_path / "pooled"
    folder.mkdir()
    pooled_eps.to_csv(folder / "episodes_merged.csv", index=False)
    pooled_hdr.to_csv(folder / "header_merged.csv", index=False)
    with pytest.raises(CppError, match="2 councils"):
        load(folder, today=TODAY)
    ds = load(folder, la_code="E06000042", today=TODAY)
    assert ds.la_code == "E06000042"
    assert len(ds.episodes) == 3 and "X9" not in set(ds.episodes.CHILD)
    assert ds.episodes["DECOM"].min() == pd.Timestamp("2023-05-01")
    assert set(ds.episodes.YEAR) == {2024}
    other = ds.findings[ds.findings.code == "other_council"]
    assert len(other) == 4 and set(other.action) == {"set_aside"}


def test_xml_gives_same_tables_as_csv(tmp_path: Path) -> None:
    t = small_council()
    csv_ds = load(write_set(tmp_path / "csv" / "2023-24", t), today=TODAY)
    xml_dir = tmp_path / "xml" / "2023-24"
    xml_dir.mkdir(parents=True)
    (xml_dir / "return.xml").write_text(to_xml(t), encoding="utf-8")
    xml_ds = load(xml_dir, today=TODAY)
    assert codes(xml_ds, "error") == codes(csv_ds, "error") == []
    for name in ("header", "episodes"):
        a = csv_ds.tables[name].drop(columns=["source_file", "source_row"])
        b = xml_ds.tables[name].drop(columns=["source_file", "source_row"])
        pd.testing.assert_frame_equal(a, b)
    # XML rows are numbered by <CHILD> element
    assert sorted(xml_ds.episodes.source_row) == [1, 1, 2]


def test_missing_required_table_is_one_clear_error(tmp_path: Path) -> None:
    folder = write_set(tmp_path / "2023-24", {"header": small_council()["header"]})
    with pytest.raises(CppError, match="no usable episodes table"):
        load(folder, today=TODAY)
    with pytest.raises(CppError, match="does not exist"):
        load(tmp_path / "nowhere", today=TODAY)


def test_missing_key_column_rejects_file_and_other_column_is_blank(tmp_path: Path) -> None:
    t = small_council()
    t["episodes"] = t["episodes"].drop(columns=["URN"])
    folder = write_set(tmp_path / "2023-24", t)
    ds = load(folder, today=TODAY)
    miss = ds.findings[ds.findings.code == "column_missing"]
    assert miss[["severity", "column", "row", "action"]].values.tolist() == [
        ["warning", "URN", 1, "loaded"]
    ]
    assert ds.episodes["URN"].isna().all()
    t["episodes"] = t["episodes"].drop(columns=["DECOM"])
    write_set(folder, t)
    with pytest.raises(CppError, match="no usable episodes"):
        load(folder, today=TODAY)


MESSY_EPISODES = """CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN
A1,01/05/2023,S,C2,N1,U4,PR1,01/09/2023,X1,,,,
A1,01/09/2023,P,C2,N1,Q9,PR1,,,,,,
A1,01/09/2023,P,C2,N1,Q9,PR1,,,,,,
B2,31/02/2024,S,C2,N1,U4,PR1,,,,,,
B2,10/10/2023,S,V2,N4,U4,PR1,01/10/2023,E4A,,,,
,10/10/2023,S,V2,N4,U4,PR1,,,,,,
C3,01/01/2024,S,C2,N1,U4,PR1,15/03/2024,X1,,,,

D4,05/06/2010,S,C2,N1,U4,PR1,,,,,,
E5,01/01/2024,S,C2,N1,U4,PR1,,,,,,extra,value
C3,01/02/2024,P,C2,N1,K2,PR4,,,,,,
"""
MESSY_HEADER = """CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB
A1,1,01/06/2012,WBRI,,,
B2,2,1st June,WBRI,,,
C3,1,01/06/2030,WBRI,,,
D4,1,01/06/2012,WBRI,,,
A1,1,01/06/2012,WBRI,,,
"""


def test_messy_input_every_row_accounted_for(tmp_path: Path) -> None:
    folder = tmp_path / "2023-24"
    folder.mkdir()
    (folder / "episodes.csv").write_text(MESSY_EPISODES, encoding="utf-8")
    (folder / "header.csv").write_text(MESSY_HEADER, encoding="utf-8")
    ds = load(folder, today=TODAY)
    f = ds.findings

    loaded = {
        (r.source_file, int(r.source_row))
        for t in ds.tables.values()
        for r in t[["source_file", "source_row"]].itertuples()
    }
    aside = {(r.file, int(r.row)) for r in f[f.action == "set_aside"].itertuples()}
    assert not loaded & aside
    assert loaded | aside == input_rows(tmp_path)

    def at(code: str) -> list[tuple[str, int, str]]:
        rows = f[(f.code == code) & f.row.notna()]
        names = [Path(p).name for p in rows.file]
        return sorted(zip(names, rows.row.astype(int), rows.column, strict=True))

    eps, hdr = "episodes.csv", "header.csv"
    assert at("code_unknown") == [(eps, 3, "PLACE")]  # reported once, not for its copy
    assert at("duplicate_row") == [(eps, 4, "CHILD,DECOM"), (hdr, 6, "CHILD")]
    assert at("date_unparseable") == [(eps, 5, "DECOM"), (hdr, 3, "DOB")]  # 31/02, "1st June"
    assert at("dec_before_decom") == [(eps, 6, "DEC")]
    assert at("value_missing") == [(eps, 7, "CHILD")]
    assert at("row_too_many_values") == [(eps, 11, "")]
    assert at("date_in_future") == [(hdr, 4, "DOB")]
    assert at("decom_before_dob") == [(eps, 8, "DECOM"), (eps, 10, "DECOM"), (eps, 12, "DECOM")]
    assert at("episode_overlap") == [(eps, 8, "DEC")]  # C3's first episode runs past the next
    assert at("blank_lines") == []  # file-level info finding, no row
    assert "blank_lines" in set(f.code)
    set_aside = f[f.action == "set_aside"]
    assert sorted(set_aside.code.unique()) == [
        "date_unparseable",
        "dec_before_decom",
        "duplicate_row",
        "row_too_many_values",
        "value_missing",
    ]
    # every finding names the file and gives a plain-English fix
    assert (f.file != "").all() and (f.fix != "").all()


def test_duplicates_and_child_missing_from_header(tmp_path: Path) -> None:
    t = small_council()
    t["header"] = pd.concat([t["header"], t["header"].iloc[[0]].assign(SEX="2")])
    t["episodes"] = pd.concat([t["episodes"], episodes([ep("Z9", "01/01/2024")])])
    ds = load(write_set(tmp_path / "2023-24", t), today=TODAY)
    f = ds.findings
    dup = f[f.code == "duplicate_key"]
    assert dup[["table", "row", "severity", "action"]].values.tolist() == [
        ["header", 4, "error", "set_aside"]
    ]
    assert ds.header.loc[ds.header.CHILD == "A1", "SEX"].item() == "1"  # first read kept
    orphan = f[f.code == "child_not_in_header"]
    assert orphan[["child", "severity"]].values.tolist() == [["Z9", "error"]]


def test_overlapping_episodes_repaired(tmp_path: Path) -> None:
    t = small_council()
    t["episodes"] = episodes(
        [
            ep("A1", "01/05/2023", "01/12/2023", "X1"),  # runs past the next DECOM
            ep("A1", "01/09/2023", RNE="P", PLACE="K2"),
        ]
    )
    ds = load(write_set(tmp_path / "2023-24", t), today=TODAY)
    e = ds.episodes.sort_values("DECOM")
    assert e["DEC"].tolist()[0] == pd.Timestamp("2023-09-01")
    ov = ds.findings[ds.findings.code == "episode_overlap"]
    assert ov[["row", "value", "action"]].values.tolist() == [[2, "01/12/2023", "repaired"]]


def test_unknown_and_neighbouring_year_codes(tmp_path: Path) -> None:
    t = small_council()
    t["episodes"].loc[0, "PLACE"] = "K3"  # from 2024-25: neighbouring year → warning
    t["episodes"].loc[1, "REC"] = "E43"  # before 2019-20 only → error
    t["episodes"].loc[1, "DEC"] = "01/01/2024"
    t["episodes"].loc[2, "LS"] = "ZZ"  # not a code
    ds = load(write_set(tmp_path / "2023-24", t), today=TODAY)
    f = ds.findings.set_index("code")
    assert f.loc["code_other_year", "value"] == "K3"
    assert f.loc["code_other_year", "severity"] == "warning"
    assert f.loc["code_wrong_year", "value"] == "E43"
    assert f.loc["code_unknown", "value"] == "ZZ"
    assert ds.episodes["LS"].tolist().count("ZZ") == 1  # kept as written, never a crash


def test_peer_fake_data_csv_and_xml_give_same_tables(peer_samples: Path) -> None:
    csv_ds = load(sorted(peer_samples.glob("*.csv")))
    xml_ds = load(peer_samples / "fake_903.xml")
    present = {n for n, t in csv_ds.tables.items() if len(t)}
    assert present == {n for n, t in xml_ds.tables.items() if len(t)}
    assert {"header", "episodes", "oc2", "oc3", "ad1", "missing", "reviews"} <= present
    for name in present:
        a, b = csv_ds.tables[name], xml_ds.tables[name]
        assert list(a.columns) == list(b.columns)
        assert a.dtypes.to_dict() == b.dtypes.to_dict()
    assert set(csv_ds.episodes.YEAR) == set(xml_ds.episodes.YEAR) == {2018}
    for ds in (csv_ds, xml_ds):
        found = set(ds.findings.code)
        # its deliberately messy values are reported
        assert {"code_unknown", "code_wrong_year", "episode_overlap"} <= found
        bad = ds.findings[ds.findings.code == "code_unknown"]
        assert {"XXX", "01"} <= set(bad.value)
    # the XML's rows are numbered by <CHILD> element
    assert xml_ds.episodes.source_row.min() == 1
