"""Files read side by side (``prefetch``) give what reading them one after another gives.

The loader reads the CSV files of an extract on several threads, then adds each file's
findings in the files' order. The plain definition is the loop it replaced: every source
in turn through ``read_csv_part`` (which reads the file itself) or ``read_xml``, then
``raw_tables``. Both are run on hand-built folders (one-row, empty and header-only files,
a column all blank, non-ASCII and Windows-1252 files, other column orders and sets, an
XML return between CSV files, an unreadable file, many files sharing values) and must
give equal frames, the same shared categories and the same findings in the same order,
even when an early file takes longest to read.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from cppanalytics.findings import Findings
from cppanalytics.ssda903 import loader, readers
from cppanalytics.ssda903.dataset import COLUMNS
from cppanalytics.ssda903.readers import (
    FileRead,
    PlainTable,
    RawTable,
    SourceFile,
    discover,
    raw_tables,
    read_csv_part,
)
from cppanalytics.ssda903.xml903 import read_xml
from cppanalytics.string_storage import python_strings
from tests.ssda903.builders import small_council, to_xml

EPIS = (
    "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN"
)
ROW1 = "101,01/05/2023,S,C2,N1,U1,PR1,,,,MK5 7FP,MK1 1BJ,SC000001"
ROW2 = "102,02/06/2023,L,C1,N2,K2,PR2,03/07/2023,E11,,MK9 2AB,,XXXXXXX"
HEAD = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB"


def lines(*rows: str) -> bytes:
    return ("\n".join(rows) + "\n").encode()


def reversed_columns(header: str, *rows: str) -> bytes:
    """The same table with its columns in the opposite order."""
    return lines(*(",".join(reversed(r.split(","))) for r in (header, *rows)))


#: year folder -> file name -> bytes: every kind of file the reader meets
FOLDERS: dict[str, dict[str, bytes]] = {
    "2019-20": {
        "episodes.csv": lines(EPIS, ROW1),  # one row
        "header.csv": lines(HEAD),  # header only
        "missing.csv": b"",  # empty (careful path: a warning)
    },
    "2020-21": {
        "episodes.csv": lines(EPIS, ROW1.replace(",S,", ",,"), ROW2.replace(",L,", ",,")),
        "header.csv": lines(HEAD, "101,1,01/02/2010,WBRI,,,", "102,2,03/04/2011,WBRI,,,"),
        "notes.csv": lines("A,B", "1,2"),  # not a 903 table
    },
    "2021-22": {
        "episodes.csv": reversed_columns(EPIS, ROW1, ROW2),  # another column order
        "header.csv": lines(HEAD, "101,1,01/02/2010,WBRI,,,", "10\u00e9,2,03/04/2011,,,,"),
    },
    "2022-23": {
        "episodes.csv": lines(EPIS.replace(",URN", ",NOTES"), ROW1, ROW2),  # other column set
        "header.csv": "CHILD,SEX,DOB\n101,1,01/02/2010\nZo\u00eb,2,03/04/2011\n".encode("cp1252"),
        "return.xml": to_xml(small_council()).encode(),
    },
    "2023-24": {
        "episodes.csv": lines(EPIS, ROW1, "", ROW2, " 103 ,01/05/2023,S,C2,N1,U1,PR1,,,,,,"),
        "header.csv": lines(HEAD, '"101",1,01/02/2010,WBRI,,,'),  # a quote: careful path
        "uasc.csv": lines("CHILD,SEX,DOB,DUC", "101,1,01/02/2010,01/01/2028"),
    },
}


def _used_by_loader() -> dict:
    """The names of the reader module the loader calls (the doctest run may import the
    module a second time, so patch the one the loader's functions see)."""
    return loader.prefetch.__wrapped__.__globals__  # type: ignore[attr-defined]


def _plain_reader() -> dict:
    """The names of the plain reader the loader's reads call (:mod:`.plainread`, found
    through the reader module the loader calls)."""
    return _used_by_loader()["read_path"].__globals__


def _write(root: Path, folders: dict[str, dict[str, bytes]]) -> list[SourceFile]:
    for year, files in folders.items():
        (root / year).mkdir(parents=True)
        for name, data in files.items():
            (root / year / name).write_bytes(data)
    return discover([root], Findings())


def _one_by_one(sources: list[SourceFile], findings: Findings) -> list[RawTable]:
    """The plain definition: each source read in turn, then the strings shared."""
    parts: list[RawTable | PlainTable] = []
    for source in sources:
        if source.path.suffix == ".xml":
            parts.extend(read_xml(source, findings).values())
        else:
            part = read_csv_part(source, findings)
            if part is not None:
                parts.append(part)
    return raw_tables(parts)


def _assert_same(sources: list[SourceFile]) -> list[RawTable]:
    with python_strings():
        fast_found, slow_found = Findings(), Findings()
        fast = loader._read_all(sources, fast_found)
        slow = _one_by_one(sources, slow_found)
    assert [(p.table, p.source) for p in fast] == [(p.table, p.source) for p in slow]
    for a, b in zip(fast, slow, strict=True):
        pd.testing.assert_frame_equal(a.frame, b.frame)
        assert list(a.frame.columns) == list(b.frame.columns)
    pd.testing.assert_frame_equal(fast_found.to_frame(), slow_found.to_frame())
    return fast


def test_every_kind_of_file_reads_as_one_after_another(tmp_path: Path) -> None:
    sources = _write(tmp_path, FOLDERS)
    assert len(sources) == 14
    fast = _assert_same(sources)
    by_file = {(p.source.path.parent.name, p.source.path.name, p.table): p for p in fast}
    blank_rne = by_file["2020-21", "episodes.csv", "episodes"].frame["RNE"]
    assert blank_rne.tolist() == ["", ""] and isinstance(blank_rne.dtype, pd.CategoricalDtype)
    padded = by_file["2023-24", "episodes.csv", "episodes"].frame
    assert padded["CHILD"].tolist() == ["101", "102", "103"]
    assert padded["source_row"].tolist() == [2, 4, 5]
    reordered = by_file["2021-22", "episodes.csv", "episodes"].frame
    assert reordered[["CHILD", "URN"]].values.tolist() == [["101", "SC000001"], ["102", "XXXXXXX"]]


def test_findings_keep_file_order_when_an_early_file_is_read_last(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first file's read is held back until every other file has been read: its
    findings still come first, and the parts keep the files' order."""
    sources = _write(tmp_path, FOLDERS)
    first = sources[0]
    csv_files = sum(s.path.suffix == ".csv" for s in sources)
    others_done = threading.Event()
    done: list[Path] = []
    real = readers.read_file

    def late_first(source: SourceFile) -> FileRead:
        if source == first:
            others_done.wait(timeout=10)
            time.sleep(0.05)
        got = real(source)
        done.append(source.path)
        if len(done) == csv_files - 1:  # every CSV file but the first
            others_done.set()
        return got

    monkeypatch.setitem(_used_by_loader(), "read_workers", lambda: 2)
    monkeypatch.setitem(_used_by_loader(), "read_file", late_first)
    _assert_same(sources)
    # side by side (run first), it really was read last
    assert done[csv_files - 1] == first.path and first.path not in done[: csv_files - 1]


def test_unreadable_file_is_its_finding_in_its_place(tmp_path: Path) -> None:
    """A file that cannot be read (here a folder named like a CSV file) gives its error
    finding between the findings of the files before and after it."""
    sources = _write(tmp_path, {"2023-24": FOLDERS["2020-21"]})
    (tmp_path / "2023-24" / "b_gone.csv").mkdir()
    sources.insert(1, SourceFile(tmp_path / "2023-24" / "b_gone.csv", tmp_path))
    _assert_same(sources)
    with python_strings():
        found = Findings()
        loader._read_all(sources, found)
    codes = found.to_frame()["code"].tolist()
    assert "file_unreadable" in codes


def test_many_files_sharing_values_share_one_category_set(tmp_path: Path) -> None:
    """Twenty years of the same children: every episodes file's CHILD column has the one
    dtype (one string object per id across all files), as reading one by one gives."""
    rows = [f"{i},01/05/2023,S,C2,N1,U1,PR1,,,,MK5 7FP,,SC{i % 7}" for i in range(40)]
    folders = {
        f"{2000 + y}-{(y + 1) % 100:02d}": {"episodes.csv": lines(EPIS, *rows)} for y in range(20)
    }
    fast = _assert_same(_write(tmp_path, folders))
    dtypes = {id(p.frame["CHILD"].dtype) for p in fast}
    assert len(fast) == 20 and len(dtypes) == 1
    assert fast[0].frame["CHILD"].dtype.categories.tolist() == [str(i) for i in range(40)]


def test_a_file_parsed_on_pyarrow_threads_reads_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Large files are parsed on pyarrow's own threads as well: the same table."""
    rows = [f"{i},01/05/2023,S,C2,N1,U1,PR1,,,,MK5 7FP,,SC{i % 7}" for i in range(30_000)]
    path = tmp_path / "episodes.csv"
    path.write_bytes(lines(EPIS, *rows[:10], "", *rows[10:]))
    source = SourceFile(path, tmp_path)
    one = readers.read_file(source)
    monkeypatch.setitem(_plain_reader(), "_THREADED_BYTES", 0)
    threaded = readers.read_file(source)
    assert one.header == threaded.header and one.lines == threaded.lines == 30_001
    assert [_rows(c) for c in one.columns] == [_rows(c) for c in threaded.columns]


def _rows(column: tuple[pa.Array, np.ndarray | None]) -> list[str]:
    """A read column's value on each line."""
    values, codes = column
    return (values if codes is None else values.take(pa.array(codes))).to_pylist()


@pytest.mark.parametrize("row_text", [frozenset(), frozenset(COLUMNS["episodes"]) | {"NOTES"}])
def test_columns_read_row_by_row_give_the_dictionary_frames(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, row_text: frozenset[str]
) -> None:
    """CHILD is read as text row by row, the other columns as a dictionary per file: the
    frames and findings are those of reading every column either way (blank lines, a
    blank and a padded CHILD, a column all blank, an extra column, CHILD twice)."""
    _write(tmp_path, FOLDERS)
    (tmp_path / "2023-24" / "episodes_twice.csv").write_bytes(
        lines(EPIS + ",CHILD", ROW1 + ",9", ",,,,,,,,,,,,,", ROW2.replace("102", "") + ",")
    )
    sources = discover([tmp_path], Findings())
    assert _plain_reader()["_ROW_TEXT"] == {"CHILD"}
    kinds = {type(c[1]) for c in readers.read_file(sources[0]).columns}
    assert kinds == {type(None), np.ndarray}  # CHILD row by row, the others as dictionaries
    with python_strings():
        found = Findings()
        mixed = loader._read_all(sources, found)
        monkeypatch.setitem(_plain_reader(), "_ROW_TEXT", row_text)
        other_found = Findings()
        other = loader._read_all(sources, other_found)
    assert len(mixed) == len(other) == 13
    for a, b in zip(mixed, other, strict=True):
        pd.testing.assert_frame_equal(a.frame, b.frame)
    pd.testing.assert_frame_equal(found.to_frame(), other_found.to_frame())


SHARED_CASES = [
    ("CHILD", pa.array(["A7", "B8", "A7"])),
    ("DOB", pa.array(["01/02/2010", ""])),
    ("CHILD", pa.array([], pa.string())),
    ("CHILD", pa.array(["C9", " B8", "A7 ", ""])),
    ("DOB", pa.array([""])),
    ("CHILD", pa.array(["D1"])),
    ("CHILD", pa.array(["D1", "C9", "E2", "A7"])),
    ("UPN", pa.array(["Zoë", "x "])),
]


@pytest.mark.parametrize("workers", [1, 2, 3])
@pytest.mark.parametrize("strip", [False, True])
@pytest.mark.parametrize("split", [1 << 20, 0, 1, 5])
def test_shared_codes_side_by_side_are_the_plain_numbering(
    monkeypatch: pytest.MonkeyPatch, workers: int, strip: bool, split: int
) -> None:
    """Column names hashed side by side give each value's code into the distinct values of
    its column name in order of first appearance, one array of them per name: values
    repeated across arrays, an empty array, blanks, padded and non-ASCII values; a name
    cut into pieces hashed side by side (``split``: more values than that) gives the same
    (pieces cut inside an array and at its ends, a value first seen in a later piece)."""
    monkeypatch.setattr(readers, "read_workers", lambda: workers)
    monkeypatch.setattr(readers, "_SPLIT_ROWS", split)
    found = readers.shared_codes(SHARED_CASES, strip=strip)
    for column in ("CHILD", "DOB", "UPN"):
        arrays = [a for c, a in SHARED_CASES if c == column]
        text = [v.strip(" ") if strip else v for a in arrays for v in a.to_pylist()]
        distinct = list(dict.fromkeys(text))  # the plain definition: first appearance
        codes = [distinct.index(v) for v in text]
        got = [found[i] for i, (c, _) in enumerate(SHARED_CASES) if c == column]
        assert all(d is got[0][1] for _, d in got)  # one array of distinct values
        assert got[0][1].tolist() == distinct, column
        assert [int(x) for own, _ in got for x in own] == codes, column
        assert all(own.dtype == np.int32 for own, _ in got)


@pytest.mark.parametrize("count", [1, 2, 3, 4, 7, 20])
def test_pieces_cover_the_values_in_order(monkeypatch: pytest.MonkeyPatch, count: int) -> None:
    """The pieces a large column name is cut into hold every value once, in order, and
    none is empty (arrays of 0, 1 and several values; more pieces asked than values)."""
    monkeypatch.setattr(readers, "_SPLIT_ROWS", 0)
    arrays = [
        pa.array(["a", "b", "c"]),
        pa.array([], pa.string()),
        pa.array(["d"]),
        pa.array(["e", "f"]),
    ]
    pieces = readers._pieces(arrays, count)
    assert len(pieces) == min(count, 6)
    assert [v for p in pieces for a in p for v in a.to_pylist()] == list("abcdef")
    assert all(sum(len(a) for a in p) for p in pieces)
    monkeypatch.setattr(readers, "_SPLIT_ROWS", 6)
    assert readers._pieces(arrays, count) == [arrays]  # not more than the threshold: whole


@pytest.mark.parametrize(
    "arrays",
    [
        [pa.array([], pa.string())],
        [pa.array([], pa.string()), pa.array([], pa.string())],
        [pa.array(["a", "b"]), pa.array([], pa.string()), pa.array(["b", "c", "a"])],
        [pa.array(["x", "", "Zoë"]).slice(1), pa.array(["", "y", "x"]).slice(1, 1)],
        [pa.array([], pa.string()), pa.array(["q"]), pa.array(["q", "q"])],
        [pa.array(["A7"] * 3), pa.array(["B8"]), pa.array(["A7", "C9"])],
    ],
)
def test_pieces_hashed_as_one_chunked_array_are_their_concatenation_hashed(
    arrays: list[pa.Array],
) -> None:
    """A column name's arrays hashed as one chunked array, their codes then joined, give
    exactly ``dictionary_encode`` of the arrays put end to end: the distinct values in
    order of first appearance and every value's code (empty arrays, all empty, sliced
    arrays, a value first met in a later array, non-ASCII text)."""
    got = readers._encode_pieces(arrays)
    want = pa.concat_arrays(arrays).dictionary_encode()
    assert got.type == want.type
    assert got.dictionary.equals(want.dictionary)
    assert got.indices.equals(want.indices)


@pytest.mark.parametrize("count", [0, 1, 126, 127, 128, 32766, 32767, 32768, 70_000])
def test_codes_taken_in_the_categorical_width_are_kept_as_they_are(count: int) -> None:
    """Codes taken in :func:`~.readers.code_dtype` of the number of categories are the
    width pandas keeps a categorical's codes in (its own ``coerce_indexer_dtype``), so the
    categorical built from them holds the same codes, not cast again."""
    from pandas.core.dtypes.cast import coerce_indexer_dtype

    categories = pd.Index([f"v{i}" for i in range(count)], dtype=object)
    want = coerce_indexer_dtype(np.zeros(3, np.int32), categories).dtype
    assert readers.code_dtype(count) == want
    if count:
        codes = np.array([0, count - 1, count // 2], dtype=readers.code_dtype(count))
        built = pd.Categorical.from_codes(codes, dtype=pd.CategoricalDtype(categories))
        assert np.shares_memory(built.codes, codes)
        assert built.codes.tolist() == codes.tolist()


def _raw_tables_by_definition(parts: list[RawTable | PlainTable]) -> list[RawTable]:
    """``raw_tables`` as first written: every column name numbered in one call, then each
    plain file's frame made whole, one file after another."""
    keys = [
        (i, column)
        for i, part in enumerate(parts)
        if isinstance(part, PlainTable)
        for column in part.coded
    ]
    pairs = [(c, parts[i].coded[c][0]) for i, c in keys]  # type: ignore[union-attr]
    dtypes: dict[int, pd.CategoricalDtype] = {}
    shared: dict[int, dict] = {}
    for (i, column), (into, distinct) in zip(
        keys, readers.shared_codes(pairs, strip=True), strict=True
    ):
        dtype = dtypes.setdefault(id(distinct), readers._categories(distinct))
        shared.setdefault(i, {})[column] = into, dtype
    return [
        RawTable(p.table, readers._plain_frame(p, shared.get(i, {})), p.source)
        if isinstance(p, PlainTable)
        else p
        for i, p in enumerate(parts)
    ]


def _parts(sources: list[SourceFile]) -> list[RawTable | PlainTable]:
    parts: list[RawTable | PlainTable] = []
    for source in sources:
        part = read_csv_part(source, Findings())
        if part is not None:
            parts.append(part)
    return parts


#: files for the frames made while CHILD is numbered: BOM, CRLF and CR line ends, a
#: quoted file and non-ASCII ones (careful path, kept as they are), rows cut short, an
#: empty and a header-only file, blank lines, padded and blank CHILDs, CHILD twice, an
#: extra column, the pooled columns, a file without CHILD
FRAME_FOLDERS: dict[str, dict[str, bytes]] = {
    **FOLDERS,
    "2024-25": {
        "episodes.csv": b"\xef\xbb\xbf" + lines(EPIS, ROW1, ROW2).replace(b"\n", b"\r\n"),
        "header.csv": lines(HEAD, "101,1,01/02/2010,WBRI,,,").replace(b"\n", b"\r"),
        "missing.csv": lines("CHILD,MISSING,MIS_START,MIS_END", "101,M,01/05/2023"),
        "oc2.csv": lines("CHILD,DOB,SDQ_SCORE"),
        "uasc.csv": lines("CHILD,SEX,DOB,DUC,LA,YEAR", " 101 ,1,01/02/2010,,E1,2025", ",,,,,"),
        "twice.csv": lines(EPIS + ",CHILD,NOTES", ROW1 + ",9,x", ROW2.replace("102", "") + ",,"),
        "nochild.csv": lines("DOB,SEX", "01/02/2010,1"),
    },
    "2025-26": {
        "episodes.csv": lines(EPIS, ROW1.replace("101", "Zo\u00eb")),
        "reviews.csv": lines("CHILD,DOB,REVIEW,REVIEW_CODE", "101,,01/06/2023,PN1", "", "102"),
    },
}


@pytest.mark.parametrize("side_by_side", [False, True])
def test_frames_made_while_child_is_numbered_are_the_plain_frames(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, side_by_side: bool
) -> None:
    """``raw_tables`` numbers CHILD (read row by row) on a thread of its own while the
    other columns of every file are made, then puts each frame together: the frames,
    their column order and the shared dtypes are those of numbering every column name
    first and making each frame whole (on one thread, or several files side by side)."""
    sources = _write(tmp_path, FRAME_FOLDERS)
    monkeypatch.setattr(readers, "_SIDE_BY_SIDE_LINES", 0 if side_by_side else 10**12)
    with python_strings():
        fast = raw_tables(_parts(sources))
        slow = _raw_tables_by_definition(_parts(sources))
    assert len(fast) == len(slow) > 15
    assert [(p.table, p.source) for p in fast] == [(p.table, p.source) for p in slow]
    for a, b in zip(fast, slow, strict=True):
        pd.testing.assert_frame_equal(a.frame, b.frame)
        assert list(a.frame.columns) == list(b.frame.columns)
    for name in ("CHILD", "DOB", "SEX"):  # one dtype per column name across the files
        kinds = {
            id(p.frame[name].dtype)
            for p in fast
            if name in p.frame and isinstance(p.frame[name].dtype, pd.CategoricalDtype)
        }
        assert len(kinds) == 1, name


def test_work_while_child_is_numbered_sees_frames_without_it(tmp_path: Path) -> None:
    """``raw_tables``' ``while_numbering`` runs before CHILD is in any plain file's frame
    (a file of the careful path, or an XML return, has it); a column it adds stays after
    CHILD, and the frames are otherwise those made without it."""
    _write(tmp_path, FOLDERS)
    sources = discover([tmp_path], Findings())
    seen: list[tuple[str, list[str]]] = []

    def work(tables: list[RawTable]) -> None:
        for table in tables:
            seen.append((table.source.path.name, list(table.frame.columns)))
            table.frame["ADDED"] = 1

    with python_strings():
        plain = loader._read_all(sources, Findings())
        found = Findings()
        with_work = loader._read_all(sources, found, work)
    assert len(seen) == len(plain) == len(with_work)
    no_child = [cols for name, cols in seen if "CHILD" not in cols]
    assert no_child and all("source_row" in cols for cols in no_child)
    assert any(name == "return.xml" and "CHILD" in cols for name, cols in seen)
    for a, b in zip(plain, with_work, strict=True):
        assert list(b.frame.columns) == [*a.frame.columns, "ADDED"]
        pd.testing.assert_frame_equal(a.frame, b.frame.drop(columns="ADDED"))


@pytest.mark.parametrize("pooled", [False, True])
def test_years_given_while_child_is_numbered_equal_years_given_after(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pooled: bool
) -> None:
    """The loader gives the rows their collection years while CHILD is numbered (not
    when a file has a YEAR column, whose findings name each row's child): the rows, years
    and findings are those of giving them after."""
    _write(tmp_path, FOLDERS)
    loose = tmp_path / "loose"  # no year in the names: inferred from the dates
    loose.mkdir()
    (loose / "episodes.csv").write_bytes(lines(EPIS, ROW1, ROW2))
    if pooled:  # a YEAR column with a value that is not a year
        (tmp_path / "2023-24" / "pooled_episodes.csv").write_bytes(
            lines(EPIS + ",YEAR", ROW1 + ",2024", ROW2 + ",twenty")
        )
    calls: list[int] = []
    assign = loader._assign_years

    def counted(*args: object, **kwargs: object) -> object:
        calls.append(sum("CHILD" in p.frame.columns for p in args[0]))  # type: ignore[attr-defined]
        return assign(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(loader, "_assign_years", counted)
    with python_strings():
        early = loader.read_extract([tmp_path], today="2025-06-30")
        read_all = loader._read_all
        monkeypatch.setattr(loader, "_read_all", lambda s, f, w=None: read_all(s, f))
        after = loader.read_extract([tmp_path], today="2025-06-30")
    n = len(early.parts)
    assert calls[1] == n  # (after: every frame holds CHILD)
    assert (calls[0] == n) if pooled else (calls[0] < n)  # (early: the plain files' lack it)
    assert early.years == after.years
    assert len(early.parts) == len(after.parts)
    for a, b in zip(early.parts, after.parts, strict=True):
        pd.testing.assert_frame_equal(a.frame, b.frame)
        assert a.year_from == b.year_from
    both = [Findings(), Findings()]
    for into, extract in zip(both, (early, after), strict=True):
        into.extend(extract.findings)
        for part in extract.batch:
            into.extend(part)
    pd.testing.assert_frame_equal(both[0].to_frame(), both[1].to_frame())
    if pooled:
        assert "year_unparseable" in set(both[0].to_frame()["code"])
