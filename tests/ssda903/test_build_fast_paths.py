"""The table build's shortcuts give what the plain steps give.

* the files' frames of one table are stacked column by column (a categorical column
  sharing the reader's dtype by its codes, nullable integers, numbers and text of one
  type joined as arrays): the same frame as ``pandas.concat``;
* the reader's categorical dtypes are made without checking the (already distinct)
  values again: the same dtype as pandas' checked constructor;
* an episodes file's year summary is counted on its distinct dates: the same rows as
  :func:`~cppanalytics.ssda903.loader._year_rows` on every row's dates;
* the files' year summaries are summed per stated year in one pass over the rows: the
  sums, first and last dates of pandas' ``groupby``;
* rows all kept by the overlap repair are not taken again: the same table;
* the rows of a repeated key are found once for both halves of the repeated-rows rule
  (none repeated: the second half compares nothing): the same rows set aside;
* a table's YEAR is numbered on its runs of equal values: the codes and values of
  ``pandas.factorize``;
* an episode starting after its collection year is found by comparing its DECOM with
  the 1 April ending that year: the rows of ``collection_year_of(DECOM) > YEAR``;
* a table's key columns are coded once for every row, by the ranks of their distinct
  values: codes that sort and compare as the typed values (the repeated keys found on
  them, and the stitching's ranking, are those of the values).

Edge cases built by hand: blank values, an all-blank column, one row, no rows, non-ASCII
text, several and unknown years, dates after today and unreadable dates.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from cppanalytics.ssda903.dataset import coerce_table
from cppanalytics.ssda903.loader import (
    COLUMNS,
    TypedValues,
    _coded_year_rows,
    _episode_dates,
    _key_sort_codes,
    _same_year,
    _starts_after_year,
    _with_codes,
    _year_rows,
    coerce_with_codes,
    stack_frames,
)
from cppanalytics.ssda903.readers import RawTable, SourceFile, _categories, raw_tables
from cppanalytics.ssda903.schemas import SCHEMAS
from cppanalytics.ssda903.stitch import (
    dedupe_within_year,
    repair_overlaps,
    repeated_keys,
    sort_codes,
)
from cppanalytics.ssda903.years import collection_year_of
from cppanalytics.string_storage import python_strings

NOW = pd.Timestamp("2025-01-10")


def _categorical(values: list[str], dtype: pd.CategoricalDtype) -> pd.Categorical:
    return pd.Categorical(values, dtype=dtype)


def _frames(texts: list[list[str]], dtype: pd.CategoricalDtype) -> list[pd.DataFrame]:
    """Frames as the reader hands them over: a categorical column sharing ``dtype``, a
    text column, the provenance columns."""
    out = []
    for i, values in enumerate(texts):
        n = len(values)
        out.append(
            pd.DataFrame(
                {
                    "CHILD": _categorical(values, dtype),
                    "SEX": pd.array(["1"] * n, dtype="str"),
                    "YEAR": _same_year(pd.RangeIndex(n), 2020 + i if i else None),
                    "source_file": pd.array([f"f{i}.csv"] * n, dtype="str"),
                    "source_row": np.arange(2, n + 2, dtype="int64"),
                }
            )
        )
    return out


@pytest.mark.parametrize(
    "texts",
    [
        [["7", "", "Zoë"], ["Zoë", "Ω"]],  # blank, non-ASCII, a value in both files
        [["7"]],  # one row, one file
        [[], ["7", "7"]],  # a file with no rows
        [["", ""], [""]],  # every value blank
        [[], []],  # no rows at all
    ],
)
def test_stack_frames_is_concat(texts: list[list[str]]) -> None:
    with python_strings():
        dtype = _categories(np.array(["7", "", "Zoë", "Ω"], dtype=object))
        frames = _frames(texts, dtype)
        columns = ["CHILD", "SEX", "YEAR", "source_file", "source_row"]
        got = stack_frames(frames, columns)
        want = pd.concat([f[columns] for f in frames], ignore_index=True)
    pd.testing.assert_frame_equal(got, want)
    assert got["CHILD"].dtype is dtype


def test_stack_frames_mixed_storage_is_concat() -> None:
    """A column categorical in one file and text in another (a careful-path file) is
    stacked as pandas stacks it."""
    with python_strings():
        dtype = _categories(np.array(["7", "8"], dtype=object))
        coded, text = _frames([["7", "8"], ["8"]], dtype)
        text["CHILD"] = pd.array(["8"], dtype="str")
        other = pd.CategoricalDtype(["7", "8"])  # equal values, another dtype object
        third = coded.assign(CHILD=pd.Categorical(["7", "8"], dtype=other))
        for frames in ([coded, text], [coded, third]):
            got = stack_frames(frames, ["CHILD", "YEAR"])
            want = pd.concat([f[["CHILD", "YEAR"]] for f in frames], ignore_index=True)
            pd.testing.assert_frame_equal(got, want)


def _column_cases() -> list[list[pd.api.extensions.ExtensionArray | np.ndarray]]:
    """Columns of several frames: the reader's own (one type and dtype in every frame,
    joined without pandas) and mixtures pandas decides the type of."""
    with python_strings():
        text = [pd.array(["a", "é", ""], dtype="str"), pd.array([], dtype="str")]
        missing = pd.array(["b", None], dtype="str")
    arrow = pd.array(["c"], dtype=pd.StringDtype("pyarrow", na_value=np.nan))
    na_text = pd.array(["d", None], dtype=pd.StringDtype("python"))  # missing as pd.NA
    return [
        [pd.array([2024, None], dtype="Int64"), pd.array([None], dtype="Int64")],
        [pd.array([], dtype="Int64"), pd.array([1], dtype="Int64")],
        [np.array([2, 3], dtype="int64"), np.array([], dtype="int64")],
        [np.array([2.5, np.nan]), np.array([1.0])],
        [np.array(["x"], dtype=object), np.array([None], dtype=object)],
        [*text, missing],
        [text[0], arrow],  # python and pyarrow text
        [arrow, arrow],
        [text[0], na_text],  # one array type, two dtypes
        [np.array([2], dtype="int64"), pd.array([3, None], dtype="Int64")],
        [np.array([2], dtype="int64"), np.array([3], dtype="int32")],
        [pd.array([1], dtype="Int64"), pd.array([2], dtype="Int32")],
        [np.array([1], dtype="int64"), np.array([1.5])],
        [np.array(["2024-01-01"], dtype="datetime64[ns]")] * 2,
    ]


@pytest.mark.parametrize("arrays", _column_cases())
def test_stacked_columns_are_concat(
    arrays: list[pd.api.extensions.ExtensionArray | np.ndarray],
) -> None:
    """Columns other than the reader's categoricals (YEAR, source file and row) are
    joined as pandas joins them: the same values and dtype, missing values kept."""
    frames = [pd.DataFrame({"X": values, "n": np.arange(len(values))}) for values in arrays]
    got = stack_frames(frames, ["X", "n"])
    want = pd.concat([f[["X", "n"]] for f in frames], ignore_index=True)
    pd.testing.assert_frame_equal(got, want, check_exact=True)
    assert got["X"].dtype == want["X"].dtype
    assert type(got["X"].array) is type(want["X"].array)


@pytest.mark.parametrize(
    "values",
    [["b", "a", "é", ""], ["x"], [], ["1", "01", " 1"]],
    ids=["text", "one", "none", "ids"],
)
def test_categories_without_check_equal_checked(values: list[str]) -> None:
    with python_strings():
        distinct = np.array(values, dtype=object)
        got = _categories(distinct)
        want = pd.CategoricalDtype(pd.Index(pd.array(distinct, dtype="str")))
    assert got == want
    assert got.categories.tolist() == values
    assert got.ordered is False and got.categories.is_unique


def _episodes_part(decom: list[str], dec: list[str], year: int | None) -> RawTable:
    """An episodes file read by the plain reader (categorical DECOM, DEC sharing one
    set of values per column name, as :func:`raw_tables` makes them)."""
    n = len(decom)
    dtypes = {
        col: _categories(np.array(list(dict.fromkeys(vals)) or [""], dtype=object))
        for col, vals in (("DECOM", decom), ("DEC", dec))
    }
    frame = pd.DataFrame(
        {
            "DECOM": pd.Categorical(decom, dtype=dtypes["DECOM"]),
            "DEC": pd.Categorical(dec, dtype=dtypes["DEC"]),
            "YEAR": _same_year(pd.RangeIndex(n), year),
        }
    )
    return RawTable("episodes", frame, SourceFile(Path("e.csv"), Path(".")))


def _plain_year_rows(part: RawTable, typed: TypedValues) -> list[dict]:
    years = part.frame["YEAR"]
    dates = _episode_dates(part, typed)
    return _year_rows(pd.concat([years, years], ignore_index=True), dates, NOW)


@pytest.mark.parametrize(
    ("decom", "dec"),
    [
        (["01/05/2023", "02/04/2024", "01/05/2023"], ["", "03/04/2024", "01/06/2023"]),
        (["01/05/2023"], [""]),  # one row
        (["", " "], ["", ""]),  # no dates at all
        (["01/02/2026", "31/12/2030"], ["", ""]),  # only dates after today
        (["32/01/2024", "x", "31/03/2024"], ["31/03/2024", "", "1 April"]),  # unreadable
        (["2024-04-01", "01/04/2024", "31/03/2024"], ["", "", ""]),  # ISO, the year's end
    ],
)
def test_coded_year_rows_equal_plain(decom: list[str], dec: list[str]) -> None:
    with python_strings():
        part = _episodes_part(decom, dec, 2024)
        typed = TypedValues()
        got = _coded_year_rows(part, typed, NOW)
        want = _plain_year_rows(part, typed)
    assert got is not None
    assert [{k: (str(v) if v is pd.NaT else v) for k, v in r.items()} for r in got] == [
        {k: (str(v) if v is pd.NaT else v) for k, v in r.items()} for r in want
    ]


def test_coded_year_rows_leave_other_files_to_the_plain_way() -> None:
    with python_strings():
        typed = TypedValues()
        assert _coded_year_rows(_episodes_part([], [], 2024), typed, NOW) is None  # no rows
        assert _coded_year_rows(_episodes_part(["01/05/2023"], [""], None), typed, NOW) is None
        mixed = _episodes_part(["01/05/2023", "01/06/2023"], ["", ""], 2024)
        mixed.frame["YEAR"] = pd.array([2023, 2024], dtype="Int64")  # two years
        assert _coded_year_rows(mixed, typed, NOW) is None
        text = _episodes_part(["01/05/2023"], [""], 2024)
        text.frame["DECOM"] = pd.array(["01/05/2023"], dtype="str")  # not coded
        assert _coded_year_rows(text, typed, NOW) is None


def _episodes(
    rows: list[tuple[str, str, str, int]], index: list[int] | None = None
) -> pd.DataFrame:
    raw = pd.DataFrame(
        {
            "CHILD": [r[0] for r in rows],
            "DECOM": [r[1] for r in rows],
            "DEC": [r[2] for r in rows],
            "YEAR": [r[3] for r in rows],
            "source_file": "e.csv",
            "source_row": range(2, 2 + len(rows)),
        }
    )
    table = coerce_table("episodes", raw)
    if index is not None:
        table.index = index
    return table


@pytest.mark.parametrize("index", [None, [5, 3, 9]], ids=["numbered", "labelled"])
def test_repair_keeping_every_row_is_the_table(index: list[int] | None) -> None:
    """Nothing stale, nothing overlapping: the rows as they came (in index order)."""
    eps = _episodes(
        [
            ("1", "01/04/2023", "01/05/2023", 2024),
            ("2", "01/06/2023", "", 2024),
            ("1", "02/05/2023", "", 2024),
        ],
        index,
    )
    fixed, found = repair_overlaps(eps, 2024)
    assert found.empty
    pd.testing.assert_frame_equal(fixed, eps.sort_index())
    fixed["REC"] = "X1"  # the result is its own frame
    assert eps["REC"].isna().all()


def test_raw_tables_dtype_is_shared(tmp_path: Path) -> None:
    """Two files of one column name share one categorical dtype (made once)."""
    from cppanalytics.findings import Findings
    from cppanalytics.ssda903.readers import read_csv_part

    parts = []
    for i, body in enumerate(
        [
            "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n7,1,,,,,\n",
            "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n8,2,,,,,\n",
        ]
    ):
        path = tmp_path / f"{i}.csv"
        path.write_text(body, encoding="utf-8")
        parts.append(read_csv_part(SourceFile(path, tmp_path), Findings()))
    with python_strings():
        a, b = raw_tables(parts)
    assert a.frame["CHILD"].dtype is b.frame["CHILD"].dtype
    assert a.frame["CHILD"].dtype.categories.tolist() == ["7", "8"]


def _header_rows(children: list, years: list, sex: list[str]) -> pd.DataFrame:
    raw = pd.DataFrame(
        {
            "CHILD": pd.Series(children, dtype=object),
            "SEX": sex,
            "YEAR": years,
            "source_file": "h.csv",
            "source_row": range(2, len(children) + 2),
        }
    )
    with python_strings():
        return coerce_table("header", raw)


@pytest.mark.parametrize(
    ("children", "years", "sex"),
    [
        (["1", "1", "1", "2", "é", "é", "2"], [2024] * 6 + [2023], list("1121111")),  # both
        (["1", "2", "é"], [2024, 2024, 2024], list("112")),  # no key repeated
        (["1", "1"], [2023, 2024], list("11")),  # same child, other years: no repeat
        ([None, None, "1"], [2024, 2024, 2024], list("121")),  # blank ids repeat
        (["1"], [2024], ["1"]),  # one row
        ([], [], []),  # no rows
    ],
)
def test_dedupe_given_repeated_keys_equals_dedupe(children: list, years: list, sex: list) -> None:
    """Both halves given :func:`repeated_keys` of the rows (the second half of fewer rows,
    as the loader asks after the row checks) equal the halves working it out."""
    table = _header_rows(children, years, sex)
    codes = pd.DataFrame(
        {c: pd.factorize(table[c])[0] for c in [*SCHEMAS["header"].columns, "YEAR"]},
        index=table.index,
    )
    repeats = repeated_keys("header", table, codes)
    assert repeats.tolist() == table.duplicated(["CHILD", "YEAR"], keep=False).tolist()
    with python_strings():
        for rows in (table, table.iloc[1:]):
            for exact, key in ((True, False), (False, True), (True, True)):
                got = dedupe_within_year(
                    "header", rows, exact=exact, key=key, codes=codes, repeats=repeats
                )
                want = dedupe_within_year("header", rows, exact=exact, key=key, codes=codes)
                for g, w in zip(got, want, strict=True):
                    pd.testing.assert_frame_equal(g, w, check_exact=True)


def test_tables_built_side_by_side_equal_one_after_another(
    demo_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The demo council's tables built side by side (on two threads, whatever its size)
    give the same tables, findings in order and years as building them in turn, also when
    the shared typed values are asked for by both threads at once (a fresh extract)."""
    from cppanalytics.ssda903 import loader

    def built(threads: bool) -> object:
        monkeypatch.setattr(loader, "_SIDE_BY_SIDE_ROWS", 0 if threads else 10**12)
        monkeypatch.setattr(loader, "read_workers", lambda: 2)
        return loader.load(demo_data, "E06000042", today="2026-11-28")

    one = built(threads=False)
    for _ in range(3):
        two = built(threads=True)
        assert two.table_years == one.table_years
        assert list(two.table_years) == list(one.table_years)
        for name, table in one.tables.items():
            pd.testing.assert_frame_equal(two.tables[name], table, check_exact=True)
        pd.testing.assert_frame_equal(two.findings, one.findings, check_exact=True)


def test_a_table_error_is_raised_as_in_turn(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tables built side by side raise the first table's error in the tables' order."""
    from cppanalytics.ssda903 import loader

    def fail(name: str, *args: object) -> object:
        raise ValueError(name)

    monkeypatch.setattr(loader, "_build_table", fail)
    monkeypatch.setattr(loader, "_SIDE_BY_SIDE_ROWS", 0)
    monkeypatch.setattr(loader, "read_workers", lambda: 2)
    jobs = {name: [] for name in loader.TABLES}
    with pytest.raises(ValueError, match=f"^{loader.TABLES[0]}$"):
        loader._build_tables(jobs, NOW, SimpleNamespace(typed=None))  # type: ignore[arg-type]


def test_a_file_read_on_one_thread_is_one_block() -> None:
    """A plain file of several megabytes (parsed on one thread) gives one dictionary per
    column, holding each value once, in order of first appearance, and every line's value
    as pyarrow's reader in its default blocks reads it."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    from cppanalytics.ssda903.readers import _plain_table

    lines = [
        f"{i:010d},{['P1', 'U1', 'U6', ''][i % 4]},{i % 1000:03d}/04/2024" for i in range(200_000)
    ]
    data = ("CHILD,PLACE,DECOM\n" + "\n".join(lines) + "\n").encode()
    assert 1 << 20 < len(data) < 16 << 20
    header, table = _plain_table(data)
    want = pacsv.read_csv(
        pa.py_buffer(data),
        convert_options=pacsv.ConvertOptions(
            column_types={n: pa.string() for n in header}, strings_can_be_null=False
        ),
    )
    assert want.column(0).num_chunks > 1  # the default blocks would cut it up
    for i, name in enumerate(header):
        column = table.column(i)
        assert column.num_chunks == 1
        assert column.to_pylist() == want.column(name).to_pylist()
        if pa.types.is_dictionary(column.type):
            values = column.chunk(0).dictionary.to_pylist()
            assert values == list(dict.fromkeys(want.column(name).to_pylist()))


def test_frames_made_side_by_side_equal_in_turn(
    demo_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The demo council's files given their frames side by side (two threads) equal the
    frames made one after another, file by file, and share the same dtypes."""
    from cppanalytics.findings import Findings
    from cppanalytics.ssda903 import readers
    from cppanalytics.ssda903.readers import read_csv_part

    sources = sorted(demo_data.rglob("*.csv"))

    def frames(threads: bool) -> list[RawTable]:
        monkeypatch.setattr(readers, "_SIDE_BY_SIDE_LINES", 0 if threads else 10**12)
        monkeypatch.setattr(readers, "read_workers", lambda: 2)
        parts = [read_csv_part(SourceFile(p, demo_data), Findings()) for p in sources]
        with python_strings():
            return raw_tables([p for p in parts if p is not None])

    one, two = frames(False), frames(True)
    assert [p.source.path for p in two] == [p.source.path for p in one]
    for a, b in zip(one, two, strict=True):
        assert a.table == b.table
        pd.testing.assert_frame_equal(b.frame, a.frame, check_exact=True)


def test_reads_begun_early_give_the_same_dataset(demo_data: Path, tmp_path: Path) -> None:
    """The files' reads begun before the load (as the command line begins them) give the
    same tables and findings as reading them during the load; a file changed after its
    early read is read again; reads nobody asks for (a hidden folder's) are dropped."""
    import shutil

    from cppanalytics.ssda903 import load, plainread

    data = tmp_path / "extract"
    for year in ("2023-24", "2024-25"):
        shutil.copytree(demo_data / year, data / year)
    (data / ".old").mkdir()
    (data / ".old" / "header.csv").write_text("CHILD\n1\n")
    want = load(data, "E06000042", today="2026-11-28")
    plainread.start([data])
    assert str(data / ".old" / "header.csv") not in plainread._EARLY
    changed = data / "2024-25" / "header.csv"
    plainread.claim(changed).result()  # read early ...
    plainread.start([changed])
    text = changed.read_text().splitlines(keepends=True)
    changed.write_text("".join(text[:-1]))  # ... then changed: one child fewer
    assert plainread.claim(changed) is None  # (its early read is not used)
    plainread.start([data])
    got = load(data, "E06000042", today="2026-11-28")
    assert plainread._EARLY == {}  # every early read taken or dropped
    want = load(data, "E06000042", today="2026-11-28")  # the changed file, read afresh
    for name, table in want.tables.items():
        pd.testing.assert_frame_equal(got.tables[name], table, check_exact=True)
    pd.testing.assert_frame_equal(got.findings, want.findings, check_exact=True)


def test_forget_drops_reads_not_claimed(tmp_path: Path) -> None:
    from cppanalytics.ssda903 import plainread

    for i in range(3):
        (tmp_path / f"{i}.csv").write_text("A\n1\n")
    (tmp_path / "notes.txt").write_text("x")
    plainread.start([tmp_path])
    assert sorted(Path(p).name for p in plainread._EARLY) == ["0.csv", "1.csv", "2.csv"]
    assert plainread.claim(tmp_path / "0.csv").result().lines == 1
    plainread.forget()
    assert plainread._EARLY == {} and plainread.claim(tmp_path / "1.csv") is None
    plainread.start([tmp_path / "missing"])  # nothing there: nothing begun
    assert plainread._EARLY == {}


def _year_rows_on_the_series(years: pd.Series) -> list[int]:
    """The distinct stated years of _year_rows, found with the Series' own look-ups."""
    given = years.notna().to_numpy()
    year = years.to_numpy(dtype="float64", na_value=np.nan)[given].astype("int64")
    return sorted({int(y) for y in year})


@pytest.mark.parametrize(
    "years",
    [
        _same_year(pd.RangeIndex(3), 2024),
        _same_year(pd.RangeIndex(2), None),
        _same_year(pd.RangeIndex(0), 2024),
        pd.Series([2023, pd.NA, 2024, 2023], dtype="Int64"),
        pd.Series([2024, 2024], dtype="int64", index=[5, 5]),
        pd.Series([2022.0, np.nan, 2024.0]),
        pd.Series([2024, None, 2021], dtype=object),
    ],
)
def test_year_rows_read_the_years_as_the_series_does(years: pd.Series) -> None:
    """The years a file states are read off its YEAR column's array as the Series' own
    look-ups read them (nullable, numpy, float with NaN, objects with None, none at all,
    repeated labels), with and without episode dates."""
    now = pd.Timestamp("2025-06-01")
    want = _year_rows_on_the_series(years)
    assert [r["year"] for r in _year_rows(years, None, now)] == want
    dates = pd.Series(pd.to_datetime(["2023-05-01"] * len(years)), index=years.index)
    found = _year_rows(years, dates, now)
    assert [r["year"] for r in found] == want
    stated = int(years.notna().sum())
    assert sum(r["known"] for r in found) == stated


@pytest.mark.parametrize("share", [0.25, 0.0, 2.0])
@pytest.mark.parametrize(
    "values",
    [
        [],
        [2024],
        [None],
        [None, None, 2024],
        [2024, 2024, 2023, 2023, 2024, None, None, 2023],
        [2023, 2024, 2023, 2024, 2023],
        [None, 2022, None, 2022, 2022, 2021],
        [7, 7, 7, 7],
        [-1, 0, 0, -1, 2**62, 2**62],
    ],
)
def test_year_codes_by_runs_are_those_of_factorising_every_row(
    monkeypatch: pytest.MonkeyPatch, values: list, share: float
) -> None:
    """A YEAR column numbered on its runs (one per file) gives the codes and distinct
    values of ``pd.factorize`` of every row: missing values, runs met again later, runs of
    one row, negative and large numbers; with the run limit as set, with every column
    factorised row by row (0) and with every column taken by its runs (2)."""
    from cppanalytics.ssda903 import loader

    monkeypatch.setattr(loader, "_MAX_RUN_SHARE", share)
    column = pd.Series(values, dtype="Int64")
    codes, uniques = loader.factorize_runs(column)
    want_codes, want_uniques = pd.factorize(column)
    assert codes.tolist() == want_codes.tolist()
    pd.testing.assert_index_equal(pd.Index(uniques), pd.Index(want_uniques))
    assert pd.Series(uniques).dtype == pd.Series(want_uniques).dtype == "Int64"


def _raw(name: str, rows: dict[str, list]) -> pd.DataFrame:
    n = len(next(iter(rows.values())))
    raw = pd.DataFrame({c: [""] * n for c in COLUMNS[name]})
    for col, values in rows.items():
        raw[col] = values
    return raw.assign(source_file="f.csv", source_row=range(2, n + 2))


@pytest.mark.parametrize(
    ("name", "rows"),
    [
        (  # blanks, non-ASCII, an unreadable date, same child and date in two years
            "episodes",
            {
                "CHILD": ["b", "a", "", "Zoë", "b", "b", "Ω", "a"],
                "DECOM": [
                    "02/01/2024",
                    "",
                    "01/01/2024",
                    "x",
                    "02/01/2024",
                    "01/01/2020",
                    "02/01/2024",
                    "31/12/2023",
                ],
                "YEAR": ["2024", "2024", "2024", "2023", "2023", "", "2024", "2024"],
            },
        ),  # fmt: skip
        ("header", {"CHILD": ["7", " 7", "", "Zoë", "8"], "YEAR": ["2024"] * 4 + [""]}),
        ("episodes", {"CHILD": ["1"], "DECOM": ["01/01/2024"], "YEAR": ["2024"]}),
        ("episodes", {"CHILD": [], "DECOM": [], "YEAR": []}),
    ],
)
def test_key_sort_codes_sort_and_compare_as_the_typed_values(name: str, rows: dict) -> None:
    with python_strings():
        typed, coded = coerce_with_codes(name, _raw(name, rows))
    got = _key_sort_codes(name, coded, TypedValues())
    assert list(got) == list(SCHEMAS[name].key)
    for col, codes in got.items():
        values = typed[col]
        want = sort_codes(values) if values.dtype != "datetime64[ns]" else None
        stamps = values.to_numpy().view(np.int64) if want is None else None
        if want is None:  # dates: missing last, equal to each other
            want = np.where(values.isna(), np.iinfo(np.int64).max, stamps)
        assert np.argsort(codes, kind="stable").tolist() == np.argsort(want, kind="stable").tolist()
        assert (codes[:, None] == codes[None, :]).tolist() == (
            want[:, None] == want[None, :]
        ).tolist()
    repeats = repeated_keys(name, typed, _with_codes(coded.codes, got))
    plain = typed.duplicated([*SCHEMAS[name].key, "YEAR"], keep=False)
    assert repeats.tolist() == plain.tolist()


_EDGE_DATES = [
    "2023-03-31 23:59:00", "2023-04-01 00:00:00", "2024-03-31 00:00:00", "2024-04-01 00:00:00",
    None, "1900-04-01 00:00:00",
]  # fmt: skip


@pytest.mark.parametrize(
    ("dates", "years"),
    [
        (pd.Series(pd.to_datetime(_EDGE_DATES)), pd.Series([2023] * 6, dtype="Int64")),
        (
            pd.Series(pd.to_datetime(_EDGE_DATES)),
            pd.Series([2024, None, 2024, 2025, 2024, 1900], dtype="Int64"),
        ),
        (pd.Series(pd.to_datetime(_EDGE_DATES)).astype("datetime64[s]"), None),
        (  # years outside the span of nanosecond dates: the plain way
            pd.Series(pd.to_datetime(_EDGE_DATES[:2])),
            pd.Series([1500, 3000], dtype="Int64"),
        ),
        (pd.Series(pd.to_datetime(_EDGE_DATES)), pd.Series([2023.0] * 5 + [np.nan])),
        (pd.Series(pd.to_datetime([None, None])), pd.Series([None, None], dtype="Int64")),
        (pd.Series([], dtype="datetime64[ns]"), pd.Series([], dtype="Int64")),
    ],
)
def test_starts_after_year_is_the_collection_year_compared(
    dates: pd.Series, years: pd.Series | None
) -> None:
    if years is None:
        years = pd.Series([2023, 2023, 2024, 2024, 2024, 1901], dtype="Int64")
    want = (collection_year_of(dates) > years).fillna(False).astype(bool).tolist()
    assert _starts_after_year(dates, years).tolist() == want


def _plain_stated_summary(rows: list[dict]) -> dict:
    """The summary per (where, path, year) as a pandas group-by gives it."""
    every = pd.DataFrame(
        rows, columns=["year", "known", "after", "first", "last", "where", "path", "file", "eps"]
    )
    summary = every.groupby(["where", "path", "year"], sort=True).agg(
        eps=("eps", "any"),
        known=("known", "sum"),
        after=("after", "sum"),
        first=("first", "min"),
        last=("last", "max"),
    )
    return {key: row.to_dict() for key, row in summary.iterrows()}


def test_stated_summary_is_the_group_by() -> None:
    from cppanalytics.ssda903.loader import _stated_summary

    rng = np.random.default_rng(11)
    days = pd.date_range("2019-01-01", "2026-12-31", freq="D")
    for _ in range(200):
        rows = []
        for _ in range(int(rng.integers(1, 12))):
            known = int(rng.integers(0, 4))
            dated = known > 0 and rng.random() < 0.9  # known dates, or (rarely) none kept
            first, last = sorted(days[rng.integers(0, len(days), 2)]) if dated else (pd.NaT,) * 2
            rows.append(
                {
                    "year": int(rng.integers(2019, 2027)),
                    "known": known,
                    "after": int(rng.integers(0, known + 1)),
                    "first": first,
                    "last": last,
                    "where": str(rng.choice(["file a.csv", "folder x", "folder y"])),
                    "path": str(rng.choice(["x", "y/z", "é"])),
                    "file": f"f{int(rng.integers(0, 5))}.csv",
                    "eps": bool(rng.random() < 0.5),
                }
            )
        got = _stated_summary(rows)
        plain = _plain_stated_summary(rows)
        assert sorted(got) == list(plain)  # the same groups, in the group-by's order
        for key, want in plain.items():
            mine = got[key]
            assert mine["eps"] == bool(want["eps"]) and mine["known"] == want["known"]
            assert mine["after"] == want["after"]
            for part in ("first", "last"):
                assert (mine[part] is pd.NaT and pd.isna(want[part])) or mine[part] == want[part]
