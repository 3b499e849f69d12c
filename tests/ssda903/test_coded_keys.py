"""Keys taken from the loader's integer codes give what the text gives.

The loader keeps, per table, each typed value's integer code and the distinct typed values
(:func:`~cppanalytics.ssda903.loader.coerce_with_codes`). Year stitching, the overlap
repair and the cross-table child check then sort and match on those codes instead of
hashing every row's text again. Here each is compared with the same step run on the text,
on hand-built tables: blank ids, non-ASCII ids, one row, no rows, mixed years, rows set
aside before (codes of a table some rows were taken from). Also the loader's cheaper
ways to the same values: text factorised through shared string objects, and the
per-file year summary without dates.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cppanalytics.ssda903.checks import _coded_child_codes, _first_rows, check_cross
from cppanalytics.ssda903.coded import _by_identity, factorize_text
from cppanalytics.ssda903.dataset import COLUMNS, Dataset
from cppanalytics.ssda903.loader import _Child, _year_summary, coerce_with_codes, compact_codes
from cppanalytics.ssda903.stitch import (
    _key_codes,
    coded_sort_codes,
    repair_overlaps,
    sort_codes,
    stitch_years,
)
from cppanalytics.string_storage import python_strings

IDS = ["7", "", "Zoë", "7", "a", "B", "b10", "b2", "  ", "7.0", "ÿ1", "Ω"]


def _raw(name: str, columns: dict[str, list[str]]) -> pd.DataFrame:
    n = len(next(iter(columns.values())))
    raw = pd.DataFrame({c: [""] * n for c in COLUMNS[name]})
    for col, values in columns.items():
        raw[col] = values
    return raw.assign(source_file=f"{name}.csv", source_row=range(2, 2 + n))


def _same_order(got: np.ndarray, want: np.ndarray) -> None:
    """Two code arrays sort and compare alike (the numbers themselves may differ)."""
    assert got.shape == want.shape
    assert (np.argsort(got, kind="stable") == np.argsort(want, kind="stable")).all()
    assert (got[:, None] == got[None, :]).tolist() == (want[:, None] == want[None, :]).tolist()


@pytest.mark.parametrize("rows", [IDS, IDS[:1], ["", ""], []])
def test_coded_sort_codes_sort_and_compare_as_sort_codes(rows: list[str]) -> None:
    with python_strings():
        raw = _raw("header", {"CHILD": rows}).assign(YEAR="2024")
        typed, coded = coerce_with_codes("header", raw)
        for keep in (np.arange(len(typed)), np.arange(len(typed))[::2]):  # rows set aside
            index = typed.index[keep]
            values = np.asarray(coded.values["CHILD"], dtype=object)
            got = coded_sort_codes(coded.column("CHILD", index), values)
            assert got is not None
            _same_order(got, sort_codes(typed.loc[index, "CHILD"]))


def test_coded_sort_codes_give_up_on_values_that_are_not_text() -> None:
    assert coded_sort_codes(np.array([0, 1]), np.array(["a", 1], dtype=object)) is None


def _stitch_both(name: str, raw: pd.DataFrame) -> None:
    with python_strings():
        typed, coded = coerce_with_codes(name, raw)
        typed = typed.iloc[::-1].iloc[1:] if len(typed) > 2 else typed  # labels not 0..n
        typed = typed.sort_index()
        values = np.asarray(coded.values["CHILD"], dtype=object)
        keys = {"CHILD": coded_sort_codes(coded.column("CHILD", typed.index), values)}
        got, got_found = stitch_years(name, typed, keys)
        want, want_found = stitch_years(name, typed)
    pd.testing.assert_frame_equal(got, want)
    pd.testing.assert_frame_equal(got_found, want_found)


@pytest.mark.parametrize("rows", [IDS, IDS[:1], []])
def test_stitch_years_on_coded_keys_equals_stitching_on_text(rows: list[str]) -> None:
    years = [str(2020 + i % 3) for i in range(len(rows))]
    _stitch_both("header", _raw("header", {"CHILD": rows}).assign(YEAR=years))
    decom = [f"0{1 + i % 3}/04/2022" for i in range(len(rows))]
    eps = _raw("episodes", {"CHILD": rows, "DECOM": decom}).assign(YEAR=years)
    _stitch_both("episodes", eps)


def test_repair_overlaps_on_coded_children_equals_repair_on_text() -> None:
    children = ["1", "Zoë", "1", "2", "Zoë", "1", "10", "2"]
    decom = ["01/04/2022", "01/05/2022", "01/06/2022", "01/04/2021", "01/05/2021", "", "1/1/2020"]
    eps = _raw(
        "episodes",
        {
            "CHILD": children,
            "DECOM": [*decom, "02/02/2022"],
            "DEC": ["", "01/06/2022", "", "", "", "", "", "01/03/2022"],
        },
    ).assign(YEAR=["2023", "2023", "2024", "2022", "2023", "2024", "2021", "2022"])
    with python_strings():
        typed, coded = coerce_with_codes("episodes", eps)
        typed = typed.loc[typed["DECOM"].notna()]
        child = _Child(
            coded.codes["CHILD"].to_numpy(), np.asarray(coded.values["CHILD"], dtype=object)
        )
        got, got_found = repair_overlaps(typed, 2024, child.sort_codes(typed.index))
        want, want_found = repair_overlaps(typed, 2024)
    pd.testing.assert_frame_equal(got, want)
    pd.testing.assert_frame_equal(got_found, want_found)
    assert len(want_found)  # the case reaches the rules


@pytest.mark.parametrize("header_children", [["1", "2", "1", "", "Zoë"], [], [""], ["9"]])
def test_check_cross_on_coded_children_equals_check_on_text(header_children: list[str]) -> None:
    eps_children = ["1", "3", "", "2", "3", "Zoë", "", "1"]
    raws = {
        "header": _raw(
            "header", {"CHILD": header_children, "DOB": ["01/01/2010"] * len(header_children)}
        ),
        "episodes": _raw("episodes", {"CHILD": eps_children, "DECOM": ["01/04/2009"] * 8}),
        "reviews": _raw("reviews", {"CHILD": ["7", "7", "1", "", "Zoë"]}),
    }
    tables, children = {}, {}
    with python_strings():
        for name in COLUMNS:
            raw = raws.get(name, _raw(name, {"CHILD": []}))
            typed, coded = coerce_with_codes(name, raw.assign(YEAR="2024"))
            typed = typed.iloc[1:] if len(typed) > 1 else typed  # a row set aside before
            tables[name] = typed
            child = _Child(
                coded.codes["CHILD"].to_numpy(), np.asarray(coded.values["CHILD"], dtype=object)
            )
            children[name] = child.rows(typed.index)
        got = check_cross(tables, children)
        want = check_cross(tables)
    pd.testing.assert_frame_equal(got, want)
    assert len(want)


def test_check_cross_without_codes_for_a_table_reads_the_text() -> None:
    ds = Dataset.from_tables({"episodes": pd.DataFrame({"CHILD": ["9"], "DECOM": ["01/04/2023"]})})
    assert check_cross(ds.tables, {}).code.tolist() == ["child_not_in_header"]


def test_factorize_text_of_ids_distinct_in_the_first_rows_but_shared_later() -> None:
    # as the plain reader gives a CHILD column across years: each file's first rows hold
    # distinct ids, each id one object shared by every year's files
    ids = np.array([f"C{i}" for i in range(12_000)] + ["Zoë", ""], dtype=object)
    rows = np.concatenate([ids, ids[::-1], ids[::3], [None]])
    values = pd.Series(rows, dtype=object)
    assert _by_identity(values) is not None  # the objects' path, though the first rows differ
    codes, uniques = factorize_text(values)
    want_codes, want_uniques = pd.factorize(values)
    assert codes.tolist() == want_codes.tolist()
    assert list(uniques) == list(want_uniques)


@pytest.mark.parametrize(
    "years", [[2025, None, 2024, 2025], [2024, 2024], [None, None], [], [2023]]
)
def test_year_summary_without_dates_is_the_summary_of_blank_dates(years: list) -> None:
    stated = pd.Series(years, dtype="Int64")
    blank = pd.Series(pd.NaT, index=stated.index, dtype="datetime64[ns]")
    now = pd.Timestamp("2026-11-28")
    pd.testing.assert_frame_equal(
        _year_summary(stated, None, now), _year_summary(stated, blank, now)
    )
    dated = blank.copy()
    if len(dated):
        dated.iloc[:] = pd.Timestamp("2024-05-01")
        got = _year_summary(stated, dated, now)
        assert got["year"].tolist() == sorted({int(y) for y in years if y is not None})
        assert got["known"].sum() == sum(y is not None for y in years)


@pytest.mark.parametrize(
    "values",
    [
        ["01/04/2024", "", " ", "2024-04-01", "31/02/2024", "01/04/2024"],
        ["Zoë", "", "7.0", "7", " 7", "a,b", '"q"'],
        [""],
        ["", ""],
        [],
    ],
)
def test_coerce_on_reader_codes_is_coerce_on_text(values: list[str]) -> None:
    """The typed table is the same and the codes split the rows the same way, when the
    columns come as codes into distinct values (some unused) instead of text."""
    columns = {c: values for c in ("CHILD", "DOB", "SEX", "UPN")}
    raw = _raw("header", columns).assign(
        YEAR=["2024", "2025"] * (len(values) // 2) + ["2024"] * (len(values) % 2)
    )
    with python_strings():
        want, want_coded = coerce_with_codes("header", raw)
        given = {}
        for col in columns:
            distinct = np.array(["unused", *dict.fromkeys(values)], dtype=object)[::-1].copy()
            place = {v: i for i, v in enumerate(distinct)}
            given[col] = np.array([place[v] for v in raw[col]], dtype=np.int32), distinct
        got, got_coded = coerce_with_codes("header", raw, given)
    pd.testing.assert_frame_equal(got, want)
    for col in [*columns, "YEAR"]:
        a, b = got_coded.codes[col].to_numpy(), want_coded.codes[col].to_numpy()
        assert ((a[:, None] == a[None, :]) == (b[:, None] == b[None, :])).all(), col
        assert ((a < 0) == (b < 0)).all()
        got_values = got_coded.values[col].take(a[a >= 0]).tolist()
        assert got_values == want_coded.values[col].take(b[b >= 0]).tolist()
    for col in got_coded.raw_blank:
        assert got_coded.raw_blank[col].tolist() == want_coded.raw_blank[col].tolist()


def test_compact_codes_keep_only_the_values_used() -> None:
    codes, used = compact_codes(np.array([], dtype=np.int32), np.array(["a"], dtype=object))
    assert codes.tolist() == [] and used.tolist() == []
    codes, used = compact_codes(
        np.array([2, 2, 0], dtype=np.int32), np.array(["x", "y", "z"], dtype=object)
    )
    assert used[codes].tolist() == ["z", "z", "x"] and used.tolist() == ["x", "z"]


def _as_given(raw: pd.DataFrame, cols: list[str], distinct: dict[str, np.ndarray]) -> dict:
    """Each column of ``raw`` as codes into ``distinct[col]`` (values the reader found)."""
    given = {}
    for col in cols:
        place = {v: i for i, v in enumerate(distinct[col])}
        given[col] = np.array([place[v] for v in raw[col]], dtype=np.int8), distinct[col]
    return given


def _same_coded(got: tuple, want: tuple, cols: list[str]) -> None:
    (got_table, got_coded), (want_table, want_coded) = got, want
    pd.testing.assert_frame_equal(got_table, want_table)
    for col in [*cols, "YEAR"]:
        a, b = got_coded.codes[col].to_numpy(), want_coded.codes[col].to_numpy()
        assert ((a[:, None] == a[None, :]) == (b[:, None] == b[None, :])).all(), col
        assert ((a < 0) == (b < 0)).all(), col
        got_values = got_coded.values[col].take(a[a >= 0]).tolist()
        assert got_values == want_coded.values[col].take(b[b >= 0]).tolist(), col
        # the typed values of every distinct text, shared by the tables (some unused here):
        # distinct, and holding every value the table's own typing gives
        held = list(map(str, got_coded.values[col]))
        assert len(set(held)) == len(held), col
        assert set(map(str, want_coded.values[col])) <= set(held), col
    assert got_coded.raw_blank.keys() == want_coded.raw_blank.keys()
    for col in got_coded.raw_blank:
        assert got_coded.raw_blank[col].tolist() == want_coded.raw_blank[col].tolist(), col


TYPED_ROWS = {
    "CHILD": ["7", "", "Zoë", "7", "  ", "7.0", " 8 ", "ÿ1"],
    "DOB": ["01/04/2010", "", " ", "2010-04-01", "31/02/2010", "01/04/2010", "x", "é"],
    "SEX": ["1", "", "2", "1.0", " 1", "x", "1", "ü"],
    "UPN": ["A1", "A1", "", "", "B2", "a1", "Ω", " "],
}


@pytest.mark.parametrize("take", [slice(None), slice(0, 1), slice(0, 0), slice(1, 3), slice(4, 8)])
def test_distinct_values_typed_once_for_every_table_give_each_table_as_typed_alone(
    take: slice,
) -> None:
    """Two tables coded into the same distinct values (some unused by each, blank,
    padded, non-ASCII, unreadable dates, ids needing no change), typed once through one
    :class:`TypedValues`: each table is what typing its own text gives (values, blanks,
    distinct typed values and their order)."""
    from cppanalytics.ssda903.loader import TypedValues

    cols = list(TYPED_ROWS)
    with python_strings():
        distinct = {
            c: np.array(["unused", *dict.fromkeys(v)], dtype=object)[::-1].copy()
            for c, v in TYPED_ROWS.items()
        }
        shared = TypedValues()
        coded = []
        for rows in (
            {c: v[take] for c, v in TYPED_ROWS.items()},
            {c: v[::-1][take] for c, v in TYPED_ROWS.items()},
        ):
            n = len(rows["CHILD"])
            raw = _raw("header", rows).assign(YEAR=(["2024", "2025"] * n)[:n])
            want = coerce_with_codes("header", raw)
            got = coerce_with_codes("header", raw, _as_given(raw, cols, distinct), typed=shared)
            _same_coded(got, want, cols)
            coded.append(got[1])
        assert {col for col, _ in shared.held} == set(cols)
        for col in cols:  # one numbering for both tables: equal values, equal codes
            first, second = (c.values[col].array for c in coded)
            assert first is second, col


@pytest.mark.parametrize(
    "values",
    [["7", "8", "a"], ["7", "7.0"], ["7", ""], [" 7", "8"], ["Zoë", "Ω"], ["x"], []],
)
def test_ids_typed_without_change_are_factorised_as_pandas_does(values: list[str]) -> None:
    """The shortcut for ids typed unchanged (distinct already) gives pd.factorize's codes
    and values; ids that change ("7.0", padded, blank) go through pd.factorize."""
    from cppanalytics.ssda903.dataset import normalise_text
    from cppanalytics.ssda903.loader import _factorize_typed

    with python_strings():
        text = np.array(values, dtype=object)
        conv = normalise_text(pd.Series(text, dtype="object"))
        codes, uniques = _factorize_typed("CHILD", conv, text)
        want_codes, want_uniques = pd.factorize(conv)
    assert codes.dtype == np.int32 and codes.tolist() == want_codes.tolist()
    pd.testing.assert_series_equal(pd.Series(uniques), pd.Series(want_uniques))


def test_episode_dates_from_reader_codes_are_the_parsed_text() -> None:
    """DECOM/DEC of a file held as categories (dates parsed once for all files) are the
    dates parsed from its text: blank, padded, ISO, unreadable, unused values."""
    from cppanalytics.ssda903.dataset import parse_dates
    from cppanalytics.ssda903.loader import TypedValues, _dates

    text = ["01/04/2023", "", " 02/04/2023", "2023-04-03", "31/02/2023", "01/04/2023"]
    with python_strings():
        dtype = pd.CategoricalDtype(["unused", *dict.fromkeys(text)])
        coded = pd.Series(pd.Categorical(text, dtype=dtype))
        shared = TypedValues()
        got = _dates(coded, "DECOM", shared)
        again = _dates(coded.iloc[::-1], "DECOM", shared)
        plain = _dates(pd.Series(text, dtype="str"), "DECOM", shared)
    want = parse_dates(pd.Series(text, dtype=object)).to_numpy()
    assert got.tolist() == plain.tolist() == want.tolist()
    assert again.tolist() == want[::-1].tolist()
    assert len(shared.held) == 1


def _plain_year_summary(years: pd.Series, dates: pd.Series, now: pd.Timestamp) -> pd.DataFrame:
    """The per-year summary by its definition: each date's collection year from its year
    and month, counted and bounded year by year."""
    rows = []
    frame = pd.DataFrame({"year": years.astype("Int64"), "date": pd.to_datetime(dates)})
    frame = frame[frame["year"].notna()]
    for y in sorted(frame["year"].astype(int).unique()):
        when = frame.loc[frame["year"] == y, "date"]
        when = when[when.notna() & (when <= now)]
        collection = when.dt.year + (when.dt.month >= 4)
        rows.append(
            {
                "year": y,
                "known": len(when),
                "after": int((collection > y).sum()),
                "first": when.min() if len(when) else pd.NaT,
                "last": when.max() if len(when) else pd.NaT,
            }
        )
    return pd.DataFrame(rows, columns=["year", "known", "after", "first", "last"])


@pytest.mark.parametrize(
    "years",
    [
        [2024] * 7,
        [2024, 2025, 2024, 2025, None, 2023, 2024],
        [None] * 7,
        [2025, 2025, 2025, 2025, 2025, 2025, None],
    ],
)
def test_year_summary_is_its_definition(years: list) -> None:
    """Dates on 31 March and 1 April (either side of a year's end), with a time of day,
    after today, blank; one year, mixed years, no year: the summary by definition."""
    dates = pd.Series(
        pd.to_datetime(
            [
                "2024-03-31",
                "2024-04-01",
                "2024-03-31 23:59",
                None,
                "2026-12-01",
                "2023-04-01",
                "2025-04-01",
            ],
            format="ISO8601",
        )
    )
    now = pd.Timestamp("2026-11-28")
    stated = pd.Series(years, dtype="Int64")
    got = _year_summary(stated, dates, now)
    want = _plain_year_summary(stated, dates, now)
    assert (
        got[["year", "known", "after"]].values.tolist()
        == want[["year", "known", "after"]].values.tolist()
    )
    for col in ("first", "last"):
        assert [None if pd.isna(v) else pd.Timestamp(v) for v in got[col]] == [
            None if pd.isna(v) else pd.Timestamp(v) for v in want[col]
        ]


@pytest.mark.parametrize("n", [0, 1, 7, 500])
def test_first_rows_are_the_rows_not_duplicated(n: int) -> None:
    rng = np.random.default_rng(n)
    for high in (3, 10**9):  # the wide case takes pandas' way
        codes = rng.integers(-1, high, n)
        want = ~pd.Series(codes).duplicated().to_numpy()
        assert _first_rows(codes).tolist() == want.tolist()


def test_coded_child_codes_match_text_and_number_header_children_first() -> None:
    rng = np.random.default_rng(3)
    pool = np.array([*IDS, "x", "日本"], dtype=object)
    frames = []
    for n in (9, 0, 1, 40):
        values = pd.unique(rng.choice(pool, 8))  # distinct values, some no row uses
        codes = rng.integers(-1, len(values), n)
        frames.append((codes, np.asarray(values, dtype=object)))
    got = _coded_child_codes(frames)
    text = [np.append(v, None)[c] for c, v in frames]  # each row's id, None for blank
    every, got_all = np.concatenate(text), np.concatenate(got)
    assert ((got_all < 0) == pd.isna(every)).all()
    given = got_all >= 0
    want_codes = pd.factorize(every[given])[0]
    assert (got_all[given][:, None] == got_all[given][None, :]).tolist() == (
        want_codes[:, None] == want_codes[None, :]
    ).tolist()
    header = set(text[0][pd.notna(text[0])])
    known = len(header)
    assert sorted(set(got[0][got[0] >= 0])) == list(range(known))
    for codes, ids in zip(got[1:], text[1:], strict=True):
        inside = (codes >= 0) & (codes < known)
        assert inside.tolist() == [i in header for i in ids]


@pytest.mark.parametrize("sizes", [(9, 0, 1, 40), (0, 5), (1,), (3, 3, 0)])
def test_coded_child_codes_of_tables_sharing_their_distinct_values(sizes: tuple) -> None:
    """Tables whose codes point into one shared array of distinct values (as the loader
    gives them) are numbered without hashing it, as the same tables each holding a copy
    of the array are: the same codes, header children first."""
    rng = np.random.default_rng(len(sizes))
    shared = np.array(["7", "Zoë", "", "a", "7.0", "日本", "b"], dtype=object)
    frames = [(rng.integers(-1, len(shared), n), shared) for n in sizes]
    copies = [(codes, shared.copy()) for codes, _ in frames]
    got, want = _coded_child_codes(frames), _coded_child_codes(copies)
    assert [g.tolist() for g in got] == [w.tolist() for w in want]
    # and two arrays, one shared by some tables: as every table holding its own copy
    other = np.array(["b", "Ω", "7"], dtype=object)
    mixed = [*frames, (rng.integers(-1, 3, 6), other), (rng.integers(-1, 3, 2), other)]
    own = [(codes, values.copy()) for codes, values in mixed]
    assert [g.tolist() for g in _coded_child_codes(mixed)] == [
        w.tolist() for w in _coded_child_codes(own)
    ]


@pytest.mark.parametrize("n", [0, 1, 40])
def test_date_keys_from_their_distinct_values_stitch_as_the_dates_do(n: int) -> None:
    """Date key columns coded by their distinct values' ranks (blank last) stitch years as
    the dates themselves do (same dates in several years, blank dates, times of day
    never met, unknown years)."""
    from cppanalytics.ssda903.loader import value_ranks

    rng = np.random.default_rng(n)
    dates = ["01/04/2023", "02/04/2023", "", "x", "01/04/1999", "31/12/2099"]
    for name, date in (("episodes", "DECOM"), ("reviews", "REVIEW"), ("missing", "MIS_START")):
        raw = _raw(
            name,
            {"CHILD": list(rng.choice(["1", "2", "Zoë"], n)), date: list(rng.choice(dates, n))},
        )
        raw = raw.assign(YEAR=list(rng.choice(np.array(["2023", "2024", ""], dtype=object), n)))
        with python_strings():
            typed, coded = coerce_with_codes(name, raw)
            keys = {}
            for col in ("CHILD", date):
                values = coded.values[col].to_numpy() if col == date else None
                if col == date:
                    ranks = value_ranks(values)
                else:
                    values = np.asarray(coded.values[col].array, dtype=object)
                    ranks = None
                keys[col] = coded_sort_codes(coded.column(col, typed.index), values, ranks)
            _same_order(keys[date], _key_codes(typed[date]))  # NaT last, equal to each other
            got, want = stitch_years(name, typed, keys), stitch_years(name, typed)
        pd.testing.assert_frame_equal(got[0], want[0])
        pd.testing.assert_frame_equal(got[1], want[1])


def _child_codes_row_by_row(coded: list[tuple[np.ndarray, np.ndarray]]) -> list[np.ndarray]:
    """The plain definition of the CHILD codes: every row's text id looked up, the ids
    numbered in order of first appearance across all frames' distinct values, then the
    first frame's ids renumbered first (in their order), the others after them."""
    arrays = list({id(v): v for _, v in coded}.values())
    order = pd.unique(np.concatenate([np.empty(0, object), *arrays]))
    number = {value: i for i, value in enumerate(order)}
    rows = [np.array([number[v[c]] if c >= 0 else -1 for c in codes]) for codes, v in coded]
    header = sorted({i for i in (rows[0] if rows else []) if i >= 0})
    rest = [i for i in range(len(order)) if i not in set(header)]
    renumber = {old: new for new, old in enumerate([*header, *rest])}
    return [np.array([renumber.get(i, -1) for i in r], dtype=np.int64) for r in rows]


@pytest.mark.parametrize("seed", range(8))
def test_coded_child_codes_are_the_row_by_row_codes(seed: int) -> None:
    """Each frame's codes taken once from its array's renumbered ids: exactly the codes
    of looking every row up (frames sharing an array, each holding its own, empty frames,
    every row blank, values no row uses, one frame)."""
    rng = np.random.default_rng(seed)
    shared = np.array(["7", "Zoë", "", "a", "7.0", "日本", "b"], dtype=object)
    other = np.array(["b", "Ω", "7"], dtype=object)
    frames: list[tuple[np.ndarray, np.ndarray]] = []
    for _ in range(int(rng.integers(1, 6))):
        values = [shared, other, shared.copy()][int(rng.integers(3))]
        codes = rng.integers(-1, len(values), int(rng.integers(0, 30)))
        if rng.random() < 0.2:
            codes[:] = -1  # every row blank
        frames.append((codes, values))
    got = _coded_child_codes(frames)
    want = _child_codes_row_by_row(frames)
    assert [g.dtype for g in got] == [np.dtype(np.int64)] * len(frames)
    assert [g.tolist() for g in got] == [w.tolist() for w in want]
