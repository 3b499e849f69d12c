"""The plain-file reader (pyarrow, multi-threaded) gives exactly what the careful reader gives.

Every hand-built file is read twice: as the loader reads it, and with the plain path
switched off (every file through the careful reader). Frames (values, dtypes, row numbers)
and findings must be equal, and a file the plain reader cannot read exactly (quotes, rows
cut short or too long, tabs, control characters, non-ASCII text, other encodings, empty
files) must never take the plain path.
"""

from __future__ import annotations

import codecs
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from cppanalytics.findings import Findings
from cppanalytics.ssda903 import load, readers
from cppanalytics.ssda903.plainread import int32_values
from cppanalytics.ssda903.readers import SourceFile, raw_tables, read_csv, read_csv_part
from cppanalytics.string_storage import python_strings

EPIS = (
    "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN"
)
ROW1 = "101,01/05/2023,S,C2,N1,U1,PR1,,,,MK5 7FP,MK1 1BJ,SC000001"
ROW2 = "102,02/06/2023,L,C1,N2,K2,PR2,03/07/2023,E11,,MK9 2AB,,XXXXXXX"
ROW3 = "101,01/05/2024,S,C2,N1,U1,PR1,,,,MK5 7FP,MK1 1BJ,SC000001"
HEAD = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB"


def lines(*rows: str, end: str = "\n") -> str:
    return end.join(rows) + end


#: files the plain reader reads (and must read exactly as the careful one does)
PLAIN: dict[str, bytes] = {
    "lf": lines(EPIS, ROW1, ROW2).encode(),
    "crlf": lines(EPIS, ROW1, ROW2, end="\r\n").encode(),
    "cr_only": lines(EPIS, ROW1, ROW2, end="\r").encode(),
    "mixed_ends": (EPIS + "\r\n" + ROW1 + "\n" + ROW2 + "\r").encode(),
    "no_final_newline": (EPIS + "\n" + ROW1 + "\n" + ROW2).encode(),
    "utf8_bom": codecs.BOM_UTF8 + lines(EPIS, ROW1).encode(),
    "one_row": lines(EPIS, ROW1).encode(),
    "header_only": lines(EPIS).encode(),
    "blank_line_between": lines(EPIS, ROW1, "", ROW2).encode(),
    "blank_lines_at_end": lines(EPIS, ROW1, "", "").encode(),
    "cr_then_lf_blank": (EPIS + "\n" + ROW1 + "\n\r" + ROW2 + "\n").encode(),
    "all_empty_values_row": lines(EPIS, ROW1, "," * 12, ROW2).encode(),
    "padded_values": lines(
        EPIS, " 101 ,01/05/2023,S,C2,N1,U1 ,PR1,,,,MK5 7FP, MK1 1BJ,SC1"
    ).encode(),
    "space_only_value": lines(EPIS, "101,01/05/2023,S,C2,N1,U1,PR1, ,,,MK5 7FP,,").encode(),
    "header_padded_lower": lines(
        " child, decom ,rne,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,"
        "REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN",
        ROW1,
    ).encode(),
    "extra_column": lines(EPIS + ",NOTES", ROW1 + ",seen", ROW2 + ",").encode(),
    "duplicate_column": lines(EPIS + ",CHILD", ROW1 + ",999", ROW2 + ",998").encode(),
    "missing_optional_column": lines(EPIS.replace(",URN", ""), ROW1.rsplit(",", 1)[0]).encode(),
    "trailing_empty_header": lines(EPIS + ",", ROW1 + ",", ROW2 + ",").encode(),
    "all_null_column": lines(EPIS, *[ROW1.replace("S,C2", ",C2")] * 3).encode(),
    "repeated_values": lines(EPIS, ROW1, ROW1, ROW2, ROW1).encode(),
    "pooled_la_year": lines(EPIS + ",LA,YEAR", ROW1 + ",E06000042,2024", ROW2 + ", 826 ,").encode(),
    "header_table": lines(HEAD, "101,1,01/02/2010,WBRI,UN1,,", "102,2,03/04/2011,WBRI,,,").encode(),
    "one_column_unknown": lines("CHILD", "1", "", "2").encode(),
    "unrecognised": lines("A,B", "1,2").encode(),
    "population": lines("year,population", "2024,1000").encode(),
    "missing_key_column": lines(EPIS.replace("CHILD,", "", 1), ROW1.split(",", 1)[1]).encode(),
}

#: files only the careful reader reads right: the plain path must refuse each one
CAREFUL: dict[str, bytes] = {
    "quoted_value": lines(EPIS, ROW1.replace("MK5 7FP", '"MK5 7FP"')).encode(),
    "quoted_comma": lines(EPIS, ROW1.replace("SC000001", '"SC00,0001"')).encode(),
    "stray_quote": lines(EPIS, ROW1.replace("MK5 7FP", '"MK5 7FP'), ROW2).encode(),
    "quoted_header": lines('"CHILD","DECOM"' + EPIS[12:], ROW1).encode(),
    "cut_short_decisive": lines(EPIS, ROW1, "103,01/07/2023,S,C2,N1,U1").encode(),
    "cut_short_tail": lines(EPIS, ROW1, ROW2.rsplit(",", 1)[0]).encode(),
    "too_many_blank": lines(EPIS, ROW1 + ",,", ROW2).encode(),
    "too_many_values": lines(EPIS, ROW1 + ",x", ROW2).encode(),
    "tab_padding": lines(EPIS, ROW1.replace("U1", "U1\t")).encode(),
    "control_character": lines(EPIS, ROW1.replace("U1", "U1\x01")).encode(),
    "nul_byte": lines(EPIS, ROW1.replace("U1", "U1\x00")).encode(),
    "non_ascii_utf8": lines(EPIS, ROW1.replace("SC000001", "Zoë")).encode(),
    "nbsp_padding": lines(EPIS, ROW1.replace("U1", "U1\u00a0")).encode(),
    "cp1252": lines(EPIS, ROW1.replace("SC000001", "Zoë")).encode("cp1252"),
    "utf16": lines(EPIS, ROW1).encode("utf-16"),
    "utf16_no_bom": lines(EPIS, ROW1).encode("utf-16-le"),
    "empty": b"",
    "spaces_only": b"  \n \n",
    "blank_first_line": lines("", EPIS, ROW1).encode(),
    "header_no_newline": EPIS.encode(),
    "delete_character": lines(EPIS, ROW1.replace("U1", "U1\x7f")).encode(),
}


def _read(path: Path, careful: bool, monkeypatch: pytest.MonkeyPatch) -> tuple:
    findings = Findings()
    with monkeypatch.context() as m:
        if careful:
            m.setattr(readers, "_plain_table", lambda data: None)
        with python_strings():
            part = read_csv(SourceFile(path, path.parent), findings)
    return part, findings.to_frame()


def _same(tmp_path: Path, name: str, data: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / f"{name}.csv"
    path.write_bytes(data)
    fast, fast_found = _read(path, False, monkeypatch)
    slow, slow_found = _read(path, True, monkeypatch)
    pd.testing.assert_frame_equal(fast_found, slow_found)
    assert (fast is None) == (slow is None)
    if fast is not None:
        assert fast.table == slow.table
        pd.testing.assert_frame_equal(fast.frame, slow.frame)


@pytest.mark.parametrize("name", sorted(PLAIN))
def test_plain_files_take_the_plain_path_and_read_as_the_careful_path(
    tmp_path: Path, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert readers._plain_table(PLAIN[name]) is not None
    _same(tmp_path, name, PLAIN[name], monkeypatch)


@pytest.mark.parametrize("name", sorted(CAREFUL))
def test_files_needing_care_never_take_the_plain_path(
    tmp_path: Path, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert readers._plain_table(CAREFUL[name]) is None
    _same(tmp_path, name, CAREFUL[name], monkeypatch)


def test_plain_reader_values_row_numbers_and_blank_lines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the plain path gives, stated directly (not only "as the careful path")."""
    path = tmp_path / "episodes.csv"
    path.write_bytes(lines(EPIS, ROW1.replace("101", " 101 "), "", ROW2, end="\r\n").encode())
    part, found = _read(path, False, monkeypatch)
    assert part.frame["CHILD"].tolist() == ["101", "102"]
    assert part.frame["source_row"].tolist() == [2, 4]
    assert part.frame["DEC"].tolist() == ["", "03/07/2023"]
    assert str(part.frame["CHILD"].dtype) == "str"
    assert found["code"].tolist() == ["blank_lines"] and found["value"].tolist() == ["1"]


def test_files_read_together_share_one_string_per_value(tmp_path: Path) -> None:
    parts = []
    for year in ("2023-24", "2024-25"):
        path = tmp_path / f"{year}_episodes.csv"
        path.write_text(lines(EPIS, ROW1, ROW2))
        parts.append(read_csv_part(SourceFile(path, tmp_path), Findings()))
    with python_strings():
        first, second = (p.frame["CHILD"].array for p in raw_tables(parts))
        assert first.dtype is second.dtype  # one set of distinct values (string objects)
        first, second = (readers.text_frame(pd.DataFrame({"C": c}))["C"] for c in (first, second))
    assert first.tolist() == second.tolist() == ["101", "102"]
    assert all(a is b for a, b in zip(first.array, second.array, strict=True))


def test_load_is_the_same_through_either_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two years, mixed line ends, a BOM, padding and a blank line: the whole dataset
    and its findings equal the careful reader's."""
    for year, rows, end in (("2023-24", (ROW1, ROW2), "\r\n"), ("2024-25", (ROW3, "", ROW2), "\n")):
        folder = tmp_path / year
        folder.mkdir()
        (folder / "header.csv").write_bytes(
            codecs.BOM_UTF8
            + lines(HEAD, "101,1,01/02/2010,WBRI,UN1,,", "102 ,2,03/04/2011,WBRI,,,").encode()
        )
        (folder / "episodes.csv").write_bytes(lines(EPIS, *rows, end=end).encode())
    fast = load(tmp_path, today="2026-11-28")
    with monkeypatch.context() as m:
        m.setattr(readers, "_plain_table", lambda data: None)
        slow = load(tmp_path, today="2026-11-28")
    assert len(fast.episodes) == 3
    for name in fast.tables:
        pd.testing.assert_frame_equal(fast.tables[name], slow.tables[name])
    pd.testing.assert_frame_equal(fast.findings, slow.findings)


def test_careful_reader_blanks_what_a_cut_row_lacks_and_skips_empty_lines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A row cut after HOME_POST loads with PL_POST and URN blank (not the reader's end
    mark), and an empty line is a skipped blank line (info), not a row cut short."""
    path = tmp_path / "episodes.csv"
    path.write_bytes(lines(EPIS, ROW2.rsplit(",", 2)[0], "", ROW1).encode())
    part, found = _read(path, True, monkeypatch)
    assert part.frame[["CHILD", "PL_POST", "URN"]].values.tolist() == [
        ["102", "", ""],
        ["101", "MK1 1BJ", "SC000001"],
    ]
    assert part.frame["source_row"].tolist() == [2, 4]
    assert found[["severity", "code"]].values.tolist() == [
        ["warning", "row_cut_short"],
        ["info", "blank_lines"],
    ]


def test_empty_first_line_is_one_finding_not_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "episodes.csv"
    path.write_bytes(CAREFUL["blank_first_line"])
    part, found = _read(path, False, monkeypatch)
    assert part is None
    assert found[["severity", "code", "action"]].values.tolist() == [
        ["warning", "file_unrecognised", "rejected_file"]
    ]
    assert "first line holds no column names" in found["message"].iloc[0]


@pytest.mark.parametrize("name", sorted(PLAIN))
def test_plain_files_codes_give_back_the_frame(tmp_path: Path, name: str) -> None:
    """Each column the plain reader reads is categorical, its codes indexing values that
    are the careful frame's text, row by row (padded values stripped)."""
    path = tmp_path / f"{name}.csv"
    path.write_bytes(PLAIN[name])
    findings = Findings()
    with python_strings():
        part = read_csv_part(SourceFile(path, tmp_path), findings)
        if part is None:
            return
        coded = raw_tables([part])[0].frame
        text = read_csv(SourceFile(path, tmp_path), Findings()).frame
        pd.testing.assert_frame_equal(readers.text_frame(coded), text)
    categorical = {c for c in coded.columns if isinstance(coded[c].dtype, pd.CategoricalDtype)}
    for col in categorical:
        values = coded[col].array
        assert len(values.codes) == len(text) and (values.codes >= 0).all()
        assert values.categories[values.codes].tolist() == text[col].tolist(), col
    read = {c for c in coded.columns if c.lstrip("_") in PLAIN[name].decode().upper()}
    assert categorical == read - {"source_file", "source_row"}
    for col in categorical:  # padded values (CHILD, PLACE, PL_POST) stripped, as careful
        assert not any(v != v.strip() for v in coded[col].array.categories), col


def _write_years(root: Path, years: dict[str, dict[str, bytes]]) -> None:
    for year, files in years.items():
        (root / year).mkdir(parents=True)
        for name, data in files.items():
            (root / year / name).write_bytes(data)


def _load_both(root: Path, monkeypatch: pytest.MonkeyPatch, la_code: str | None = None):
    fast = load(root, la_code, today="2026-11-28")
    with monkeypatch.context() as m:
        m.setattr(readers, "_plain_table", lambda data: None)
        slow = load(root, la_code, today="2026-11-28")
    for name in fast.tables:
        pd.testing.assert_frame_equal(fast.tables[name], slow.tables[name])
    pd.testing.assert_frame_equal(fast.findings, slow.findings)
    return fast


HEADER_ROWS = ("101,1,01/02/2010,WBRI,UN1,,", "102,2,03/04/2011,WBRI,,,")


@pytest.mark.parametrize(
    "episodes",
    [
        {"2023-24": PLAIN["padded_values"], "2024-25": PLAIN["lf"]},
        {"2023-24": PLAIN["all_null_column"], "2024-25": PLAIN["one_row"]},
        {"2023-24": PLAIN["header_only"], "2024-25": PLAIN["repeated_values"]},
        {"2023-24": PLAIN["missing_optional_column"], "2024-25": PLAIN["lf"]},
        {"2023-24": CAREFUL["non_ascii_utf8"], "2024-25": PLAIN["lf"]},  # one careful file
        {"2023-24": CAREFUL["quoted_comma"], "2024-25": PLAIN["space_only_value"]},
        {"2023-24": PLAIN["blank_line_between"], "2024-25": PLAIN["all_empty_values_row"]},
    ],
)
def test_load_on_reader_codes_is_the_careful_load(
    tmp_path: Path, episodes: dict[str, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Typing on the reader's codes (mixed with careful files, padded, blank, all-null and
    missing columns, one row, no rows, repeated rows): the careful load, table for table."""
    header = lines(HEAD, *HEADER_ROWS).encode()
    _write_years(
        tmp_path, {y: {"header.csv": header, "episodes.csv": e} for y, e in episodes.items()}
    )
    _load_both(tmp_path, monkeypatch)


def test_load_of_pooled_files_on_reader_codes_is_the_careful_load(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rows of another council taken out (the codes are dropped with them)."""
    pooled = lines(
        EPIS + ",LA,YEAR",
        ROW1 + ",E06000042,2024",
        ROW2 + ",E06000001,2024",
        ROW3 + ", 826 ,2025",
    ).encode()
    head = lines(HEAD + ",LA,YEAR", *(r + ",826,2024" for r in HEADER_ROWS)).encode()
    _write_years(tmp_path, {"pooled": {"episodes.csv": pooled, "header.csv": head}})
    fast = _load_both(tmp_path, monkeypatch, la_code="E06000042")
    assert sorted(fast.episodes["CHILD"].tolist()) == ["101", "101"]


def test_findings_name_rows_of_coded_columns_with_their_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Findings on columns held as reader codes give each named row's text as written (a
    date that is not one, an unknown code, a YEAR that is not a year, another council's
    row), beside a careful (non-ASCII) file of another year: the careful load's findings."""
    bad = ROW2.replace("02/06/2023", "31/02/2023").replace(",K2,", ",ZZ9,")
    plain = lines(EPIS + ",LA,YEAR", ROW1 + ",E06000042,2024", bad + ",826,x")
    other = lines(EPIS + ",LA,YEAR", ROW1.replace("101", "103") + ",E06000001,2024")
    careful = lines(EPIS, ROW3.replace("SC000001", "Zoë"))
    _write_years(
        tmp_path,
        {
            "2023-24": {
                "episodes.csv": plain.encode(),
                "header.csv": lines(HEAD, *HEADER_ROWS).encode(),
            },
            "2022-23": {"episodes.csv": other.encode()},
            "2024-25": {"episodes.csv": careful.encode()},
        },
    )
    fast = _load_both(tmp_path, monkeypatch, la_code="E06000042")
    found = fast.findings.set_index("code")
    assert found.loc["date_unparseable", ["row", "value", "child"]].tolist() == [
        3,
        "31/02/2023",
        "102",
    ]
    assert "'31/02/2023' is not a date" in found.loc["date_unparseable", "message"]
    assert found.loc["year_unparseable", ["row", "value"]].tolist() == [3, "x"]
    assert found.loc["year_unparseable", "message"] == (
        "YEAR 'x' is not a collection year; the file's year was used instead."
    )
    assert found.loc["other_council", ["row", "value", "child"]].tolist() == [2, "E06000001", "103"]
    assert sorted(fast.episodes["CHILD"].tolist()) == ["101", "101"]


@pytest.mark.parametrize(
    "array",
    [
        pa.array([], pa.int32()),
        pa.array([7], pa.int32()),
        pa.array([0, 3, 1, 3, 2], pa.int32()),
        pa.array([0, 3, 1, 3, 2], pa.int32()).slice(2),
        pa.array([0, 3, 1, 3, 2], pa.int32()).slice(1, 3),
        pa.array([0, 3, 1, 3, 2], pa.int32()).slice(5),
        pa.array(["b", "a", "b"]).dictionary_encode().indices,
    ],
)
def test_int32_values_are_to_numpy(array: pa.Array) -> None:
    """A plain file's codes read off their buffer are pyarrow's ``to_numpy`` of them: the
    same values, dtype and read-only view (empty, one value, sliced arrays)."""
    got, want = int32_values(array), array.to_numpy()
    assert got.dtype == want.dtype == np.int32
    assert got.tolist() == want.tolist()
    assert not got.flags.writeable


def test_int32_values_of_other_arrays_take_pyarrow_s_way() -> None:
    """Missing values or another type (never a plain file's codes) go through pyarrow."""
    assert int32_values(pa.array([1, None], pa.int32())).tolist()[0] == 1
    assert int32_values(pa.array([1, 2], pa.int64())).tolist() == [1, 2]


def test_reading_a_file_early_does_not_import_pandas(tmp_path: Path) -> None:
    """A file read before the command imports pandas (``plainread.start``) leaves pandas
    to the command: pyarrow's own ``to_numpy`` would import it on the reading thread, and
    every other read and the command's import would wait for it."""
    path = tmp_path / "episodes.csv"
    path.write_bytes(lines(EPIS, ROW1, ROW2, ROW3).encode())
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from cppanalytics.ssda903 import plainread\n"
        f"plainread.start([Path({str(tmp_path)!r})])\n"
        f"read = plainread.claim(Path({str(path)!r})).result()\n"
        "assert read.lines == 3 and read.header is not None, read\n"
        "assert [len(c) for _, c in read.columns if c is not None] == [3] * 12\n"
        "print('pandas' in sys.modules)\n"
    )
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=root,
        check=True,
        env={**os.environ, "PYTHONPATH": str(root)},
    )
    assert done.stdout.strip() == "False", done.stderr


def _plain_by_definition(data: bytes) -> tuple[list[str], pa.Table] | None:
    """The plain reader as first defined: every byte checked before reading (printable
    ASCII but the quote mark, line ends), then read with pyarrow's quoting on."""
    import csv

    import pyarrow.csv as pacsv

    from cppanalytics.ssda903 import plainread

    body = data[len(codecs.BOM_UTF8) :] if data.startswith(codecs.BOM_UTF8) else data
    if body.translate(None, plainread._PLAIN):
        return None
    ends = [i for i in (body.find(b"\n"), body.find(b"\r")) if i >= 0]
    first = body[: min(ends)].decode("ascii") if ends else ""
    if not first.strip():
        return None
    header = next(csv.reader([first]))
    names = [f"f{i}" for i in range(len(header))]
    try:
        table = pacsv.read_csv(
            pa.py_buffer(body),
            read_options=pacsv.ReadOptions(column_names=names, skip_rows=1, use_threads=False),
            parse_options=pacsv.ParseOptions(newlines_in_values=False, ignore_empty_lines=False),
            convert_options=pacsv.ConvertOptions(
                column_types={
                    n: pa.string()
                    if plainread.clean_column(h) in plainread._ROW_TEXT
                    else plainread._DICT_TEXT
                    for n, h in zip(names, header, strict=True)
                },
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except pa.ArrowInvalid:
        return None
    return header, table


#: pieces of hand-made files: names, values, separators, line ends and the bytes that
#: must send a file the careful way (quotes, tab, NUL, DEL, control, non-ASCII, BOM)
_PIECES = [
    b"CHILD",
    b"DOB",
    b"A",
    b"x",
    b"12",
    b"01/02/2010",
    b" ",
    b"",
    b",",
    b",",
    b",",
    b"\n",
    b"\r\n",
    b"\r",
    b'"',
    b'"a,b"',
    b"\t",
    b"\x00",
    b"\x7f",
    b"\x1f",
    b"\xc3\xa9",
    b"\xa0",
    b"\xef\xbb\xbf",
    b"~",
    b"!",
    b"#",
]


@pytest.mark.parametrize("few", [1 << 16, 0])
def test_plain_reader_checks_the_bytes_as_checking_every_byte_first(
    monkeypatch: pytest.MonkeyPatch, few: int
) -> None:
    """The plain reader, checking the header line and then the values it read (each
    column's distinct values), refuses and reads exactly the files that checking every
    byte before reading refuses and reads, with the same table: 4,000 files made at random
    from names, values, separators, line ends, quotes, tabs, NUL, DEL, control bytes,
    non-ASCII and byte-order marks (CHILD read row by row, the others as dictionaries;
    the values' bytes checked as bytes or with numpy, ``few``)."""
    from cppanalytics.ssda903 import plainread
    from cppanalytics.ssda903.plainread import _plain_table

    monkeypatch.setattr(plainread, "_FEW_BYTES", few)

    rng = np.random.default_rng(15)
    heads = [b"CHILD,DOB\n", b"A,CHILD,X\r\n", b"A\n", b"DOB,A\r", b"", b"\xef\xbb\xbfCHILD,A\n"]
    taken = refused = 0
    for _ in range(4000):
        head = heads[rng.integers(len(heads))]
        count = int(rng.integers(0, 25))
        plain = rng.random() < 0.5  # half the files from the plain pieces only
        pool = _PIECES[:14] + _PIECES[23:] if plain else _PIECES
        data = head + b"".join(pool[rng.integers(len(pool))] for _ in range(count))
        got, want = _plain_table(data), _plain_by_definition(data)
        assert (got is None) == (want is None), data
        if got is None:
            refused += 1
            continue
        taken += 1
        assert got[0] == want[0], data
        assert got[1].num_rows == want[1].num_rows, data
        for a, b in zip(got[1].columns, want[1].columns, strict=True):
            assert a.to_pylist() == b.to_pylist(), data
    assert taken > 300 and refused > 300  # both kinds well represented


@pytest.mark.parametrize(
    "values",
    [
        [],
        [""],
        ["a", "", "b c"],
        ["a", 'b"'],
        ["ok", "x\ty"],
        ["Zoë"],
        ["fine", chr(127)],
        [chr(31) + "a"],
        ["~ !#$%&'()*+-./0123456789:;<=>?@[\\]^_`{|}"],
    ],
)
@pytest.mark.parametrize("shape", ["plain", "dictionary", "chunks", "sliced"])
@pytest.mark.parametrize("few", [1 << 16, 0])
def test_plain_values_are_printable_ascii_but_the_quote(
    monkeypatch: pytest.MonkeyPatch, values: list[str], shape: str, few: int
) -> None:
    """A column's values pass when each character is printable ASCII other than the quote
    mark, as text, as a dictionary, in several chunks and as a slice of a longer array
    (the bytes checked as bytes or with numpy, ``few``)."""
    from cppanalytics.ssda903 import plainread
    from cppanalytics.ssda903.plainread import _plain_values

    monkeypatch.setattr(plainread, "_FEW_BYTES", few)

    want = all(" " <= c <= "~" and c != '"' for v in values for c in v)
    text = pa.array(values, pa.string())
    if shape == "plain":
        column = pa.chunked_array([text], pa.string())
    elif shape == "dictionary":
        column = pa.chunked_array([text.dictionary_encode()])
    elif shape == "chunks":
        half = len(values) // 2
        column = pa.chunked_array([text.slice(0, half), text.slice(half)], pa.string())
    else:  # held inside a longer array, the outer values not plain
        outer = pa.array(['"', *values, "\t"], pa.string())
        column = pa.chunked_array([outer.slice(1, len(values))], pa.string())
    assert _plain_values(column) is want


@pytest.mark.parametrize(
    "name", ["quoted_value", "quoted_comma", "quoted_header", "non_ascii_utf8", "cp1252", "utf16"]
)
def test_quoted_and_non_ascii_files_are_refused_before_parsing(
    monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    """A file with a quote mark or a byte beyond ASCII (quoted exports, other encodings:
    the commonest files needing care) goes the careful way without being parsed first."""
    from cppanalytics.ssda903 import plainread

    def no_parse(*args: object, **kwargs: object) -> None:
        raise AssertionError("parsed")

    monkeypatch.setattr(plainread.pacsv, "read_csv", no_parse)
    assert plainread._plain_table(CAREFUL[name]) is None


@pytest.mark.parametrize("threaded", [False, True])
@pytest.mark.parametrize("after", ["all", "none", "some"])
def test_dictionary_columns_are_those_of_the_readers_own_conversion(
    monkeypatch: pytest.MonkeyPatch, threaded: bool, after: str
) -> None:
    """The plain reader reads a large file's text and hashes it into dictionaries itself,
    and asks pyarrow's reader for a small file's dictionary columns: either way each
    chunk's dictionary and codes are exactly those pyarrow's reader gives when asked for
    dictionary columns (the same blocks), CHILD read row by row as text. Files made at
    random from plain pieces (blank values, spaces, repeated and single values, blank
    lines, CR and CRLF line ends), read on one thread as one block or (``threaded``, files
    of several blocks) on pyarrow's threads; every file hashed after reading (``all``),
    none (``none``), or those from a size the random files straddle (``some``: both ways
    are taken, and a file of exactly that size is hashed after reading)."""
    import pyarrow.csv as pacsv

    from cppanalytics.ssda903 import plainread

    if threaded:
        monkeypatch.setattr(plainread, "_THREADED_BYTES", 0)
    hashed: list[bool] = []  # per file read: whether its text was hashed after reading
    encoded = plainread._encoded

    def counted(column: pa.ChunkedArray) -> pa.ChunkedArray:
        hashed[-1] = True
        return encoded(column)

    monkeypatch.setattr(plainread, "_encoded", counted)
    limit = {"all": 0, "none": 1 << 40, "some": 3_000_000 if threaded else 8_000}[after]
    monkeypatch.setattr(plainread, "_ENCODE_AFTER_BYTES", limit)
    taken: set[bool] = set()
    rng = np.random.default_rng(7)
    values = ["", " ", "a", "b c", "01/02/2010", "12", "~!", "a ", "Z"]
    for _ in range(6 if threaded else 200):
        width = int(rng.integers(1, 5))
        names = ["CHILD", "A", "DOB", "X"][:width]
        end = ["\n", "\r\n", "\r"][rng.integers(3)]
        count = int(rng.integers(300_000, 400_000)) if threaded else int(rng.integers(0, 3000))
        picked = rng.integers(len(values), size=(count, width))
        rows = [",".join(values[k] for k in row) for row in picked.tolist()]
        data = (end.join([",".join(names), *rows]) + end).encode()
        hashed.append(False)
        got = plainread._plain_table(data)
        assert hashed[-1] == (len(data) >= limit and width > 1)  # (CHILD alone: nothing to hash)
        taken.add(hashed[-1])
        assert got is not None
        header, table = got
        cols = [f"f{i}" for i in range(width)]
        block = pacsv.ReadOptions().block_size if threaded else max(1 << 20, len(data) + 1)
        want = pacsv.read_csv(
            pa.py_buffer(data),
            read_options=pacsv.ReadOptions(
                column_names=cols, skip_rows=1, use_threads=threaded, block_size=block
            ),
            parse_options=pacsv.ParseOptions(
                quote_char=False, newlines_in_values=False, ignore_empty_lines=False
            ),
            convert_options=pacsv.ConvertOptions(
                column_types={
                    n: pa.string() if h == "CHILD" else plainread._DICT_TEXT
                    for n, h in zip(cols, names, strict=True)
                },
                strings_can_be_null=False,
            ),
        )
        assert header == names
        assert table.schema.equals(want.schema)
        for a, b in zip(table.columns, want.columns, strict=True):
            assert a.num_chunks == b.num_chunks and (a.num_chunks > 1) == (threaded and width > 0)
            for x, y in zip(a.chunks, b.chunks, strict=True):
                assert x.equals(y)  # codes and values alike
                if pa.types.is_dictionary(x.type):  # the dictionary itself, in its order
                    assert x.dictionary.equals(y.dictionary)
                    assert x.indices.equals(y.indices)
    if after == "some":
        assert taken == {False, True}
        for size in (limit - 1, limit, limit + 1):  # "A" then one-letter lines, to that size
            data = b"A\n" + b"x\n" * ((size - 4) // 2) + (b"xx\n" if size % 2 else b"x\n")
            assert len(data) == size
            hashed.append(False)
            got = plainread._plain_table(data)
            assert got is not None and hashed[-1] == (size >= limit)
            values = got[1].column(0).to_pylist()
            assert len(values) == (size - 2) // 2 and values[-1] == ("xx" if size % 2 else "x")
