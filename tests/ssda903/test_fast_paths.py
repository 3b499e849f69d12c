"""The loader's fast paths give the same answers as the plain definitions.

* code checks classify distinct (code, year) pairs once: the same status as a row-by-row
  reading of DfE's code table;
* repeated rows are found on integer codes: equal typed values, equal codes;
* distinct text values are found in Arrow: the same codes and values as pandas finds;
* free text (ids) is normalised in Python only where Arrow finds something to change;
* row checks read blanks and code statuses from those codes, and the cross-table check
  compares children on shared integer codes: the same findings as on the values;
* the demo council written three times over (CHILD ids relabelled per copy) gives three
  times every count and the same percentages, rates and averages, so no copy is lost,
  merged with another or counted twice by the code-based sorting, stitching and dedupe.
"""

from __future__ import annotations

import functools
import shutil
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cppanalytics.indicators import compute
from cppanalytics.ssda903 import load
from cppanalytics.ssda903.checks import check_cross, check_rows
from cppanalytics.ssda903.coded import _by_identity, factorize_text
from cppanalytics.ssda903.codes import (
    CODES,
    STATUSES,
    code_status,
    code_table,
    status_positions,
)
from cppanalytics.ssda903.dataset import (
    COLUMNS,
    PY_WHITESPACE,
    Dataset,
    coerce_table,
    normalise_text,
    parse_dates,
)
from cppanalytics.ssda903.loader import _year_summary, coerce_coded, coerce_fast, coerce_with_codes
from cppanalytics.ssda903.stitch import sort_codes
from cppanalytics.string_storage import python_strings

TODAY = "2026-11-28"
END = "2026-09-30"
COPIES = 3


def _status_by_row(column: str, value: object, year: float) -> str:
    """DfE's code table read for one value and year, as the definition states it."""
    if value is None or pd.isna(value):
        return "ok"
    table = code_table()
    rows = table[(table["column"] == column) & (table["code"] == value)]
    if rows.empty:
        return "unknown"
    first = rows["first"].iloc[0]
    last = rows["last"].iloc[0]
    first = -1e9 if pd.isna(first) else float(first)
    last = 1e9 if pd.isna(last) else float(last)
    if pd.isna(year) or first <= year <= last:
        return "ok"
    return "other_year" if first - 1 <= year <= last + 1 else "wrong_year"


@pytest.mark.parametrize("column", ["PLACE", "LS", "RNE", "REASON_PLACE_CHANGE", "SEX"])
def test_code_status_matches_a_row_by_row_reading(column: str) -> None:
    rng = np.random.default_rng(7)
    known = code_table().query("column == @column")["code"].tolist()
    pool = [*known, "Q9", "zz", None]
    values = pd.Series(rng.choice(np.array(pool, dtype=object), 400), dtype="string")
    years = pd.Series(rng.choice([2015, 2019, 2022, 2024, 2025, 2026, None], 400), dtype="Int64")
    got = code_status(column, values, years).tolist()
    want = [
        _status_by_row(column, v, np.nan if pd.isna(y) else float(y))
        for v, y in zip(values, years, strict=True)
    ]
    assert got == want
    assert {"ok", "unknown"} <= set(want)


def test_value_codes_equal_exactly_when_typed_values_are_equal() -> None:
    raw = pd.DataFrame({c: [""] * 6 for c in COLUMNS["episodes"]})
    raw["CHILD"] = [" 7", "7.0", "7", "8", "", "08"]
    raw["DECOM"] = ["01/04/2024", "2024-04-01", "01/04/2024", "1/4/2024", "", "31/02/2024"]
    raw["PLACE"] = ["u1", "U1 ", "U1", "U2", "", "1.0"]
    raw = raw.assign(YEAR="2025", source_file="e.csv", source_row=range(2, 8))
    typed, codes = coerce_coded("episodes", raw)
    pd.testing.assert_frame_equal(typed, coerce_fast("episodes", raw))
    for col in ["CHILD", "DECOM", "PLACE"]:
        values = typed[col].astype("object").where(typed[col].notna(), None).tolist()
        for i in range(len(raw)):
            for j in range(len(raw)):
                assert (codes[col][i] == codes[col][j]) == (values[i] == values[j]), (col, i, j)


def test_sort_codes_sort_like_the_text() -> None:
    text = pd.Series(["b10", "a", None, "b2", "a", "B"], dtype="string")
    codes = sort_codes(text)
    by_codes = text.iloc[np.argsort(codes, kind="stable")].tolist()
    by_text = text.sort_values(kind="stable", na_position="last").tolist()
    assert [str(v) for v in by_codes] == [str(v) for v in by_text]


@pytest.fixture(scope="module")
def replicated(demo_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("replicated")
    for year in sorted(p for p in demo_data.iterdir() if p.is_dir()):
        (out / year.name).mkdir()
        for f in sorted(year.glob("*.csv")):
            frame = pd.read_csv(f, dtype=str, keep_default_na=False)
            copies = []
            for i in range(COPIES):
                part = frame.copy()
                if "CHILD" in part:
                    part["CHILD"] = f"R{i}" + part["CHILD"]
                copies.append(part)
            pd.concat(copies).to_csv(out / year.name / f.name, index=False)
    for extra in demo_data.glob("*.csv"):
        shutil.copy(extra, out / extra.name)
    return out


def test_replicated_council_gives_scaled_counts_and_equal_shares(
    demo_data: Path, replicated: Path
) -> None:
    one = compute(load(demo_data, today=TODAY), END, population=None, la_code="E06000042")
    many = compute(load(replicated, today=TODAY), END, population=None, la_code="E06000042")
    key = ["indicator_id", "window", "breakdown", "group"]
    merged = one.merge(many, on=key, how="outer", suffixes=("_1", "_n"), indicator=True)
    assert (merged["_merge"] == "both").all(), merged.loc[merged["_merge"] != "both", key]
    counts = merged["unit_1"] == "count"
    pd.testing.assert_series_equal(
        merged.loc[counts, "value_n"], merged.loc[counts, "value_1"] * COPIES, check_names=False
    )
    shares = ~counts & (merged["unit_1"] != "rate_per_10k")  # rates use the population
    assert np.allclose(
        merged.loc[shares, "value_n"].astype(float),
        merged.loc[shares, "value_1"].astype(float),
        equal_nan=True,
    )
    for part in ("numerator", "denominator"):
        scaled = merged[f"{part}_1"].notna() & ~merged["indicator_id"].str.contains("per_10k")
        scaled &= merged["unit_1"].isin(["count", "percent"])
        assert np.allclose(
            merged.loc[scaled, f"{part}_n"].astype(float),
            merged.loc[scaled, f"{part}_1"].astype(float) * COPIES,
        )
    assert counts.sum() >= 5 and shares.sum() >= 100


@pytest.mark.parametrize(
    "values",
    [
        pd.Series(["b", None, "a", "b", "", " ", "é", "b "], dtype="str"),
        pd.Series(["b", None, "a", "b", "", "日本", pd.NA], dtype="string"),
        pd.Series(["x", np.nan, "x"], dtype=object),
        pd.Series([None, None], dtype="str"),
        pd.Series([], dtype="str"),
        pd.Series(["solo"], dtype="str"),
        pd.Series(["a", "b", "a"], dtype="string[pyarrow]"),
        pd.Series(["7", 7, None, 7.0], dtype=object),  # not all text: the general way
        pd.Series(["\ud800", "a", "\ud800"], dtype=object),  # Arrow cannot hold it
    ],
)
def test_factorize_text_is_pandas_factorize(values: pd.Series) -> None:
    codes, uniques = factorize_text(values)
    want_codes, want_uniques = pd.factorize(values.astype("object"))
    assert codes.dtype == np.int64
    assert codes.tolist() == want_codes.tolist()
    assert list(uniques) == list(want_uniques)


def test_coded_keeps_distinct_values_and_blanks_as_written() -> None:
    raw = pd.DataFrame({c: [""] * 6 for c in COLUMNS["episodes"]})
    raw["CHILD"] = [" 7", "7.0", "7", "8", "", "Zoë"]
    raw["DECOM"] = ["01/04/2024", "2024-04-01", "  ", "1/4/2024", "", "31/02/2024"]
    raw["DEC"] = [None, "x", "", "01/04/2025", "\t", "2025-04-01"]
    raw = raw.assign(YEAR=["2025", "2025", "", "2024", "2025", "x"], source_file="e.csv")
    raw["source_row"] = range(2, 8)
    typed, coded = coerce_with_codes("episodes", raw)
    pd.testing.assert_frame_equal(typed, coerce_table("episodes", raw))
    pd.testing.assert_frame_equal(coded.codes, coerce_coded("episodes", raw)[1])
    for col in ["CHILD", "DECOM", "DEC", "PLACE", "YEAR"]:
        codes = coded.codes[col].to_numpy()
        spread = coded.values[col].array.take(codes, allow_fill=True)
        assert list(pd.Series(spread).isna()) == list(typed[col].isna()), col
        assert (codes == -1).tolist() == typed[col].isna().tolist(), col
        kept = typed[col].notna().to_numpy()
        assert pd.Series(spread)[kept].tolist() == typed[col][kept].tolist(), col
    for col in ["DECOM", "DEC"]:  # blank as written: missing, empty or white space only
        want = [pd.isna(v) or str(v).strip() == "" for v in raw[col]]
        assert coded.raw_blank[col].tolist() == want, col
    index = pd.Index([5, 0, 3])
    assert coded.column("CHILD", index).tolist() == coded.codes["CHILD"][[5, 0, 3]].tolist()
    assert coded.blank_as_written("DEC", index).tolist() == [False, True, False]
    with pytest.raises(KeyError):
        coded.column("CHILD", pd.Index([6]))


def test_coded_of_an_empty_table() -> None:
    raw = pd.DataFrame({c: pd.Series([], dtype="str") for c in COLUMNS["header"]})
    raw = raw.assign(YEAR=pd.Series([], dtype="Int64"), source_file="", source_row=0)
    typed, coded = coerce_with_codes("header", raw)
    pd.testing.assert_frame_equal(typed, coerce_table("header", raw))
    assert len(coded.codes) == 0 and list(coded.codes.columns) == [*COLUMNS["header"], "YEAR"]


def _episodes_raw() -> pd.DataFrame:
    """Hand-built episodes as read: blanks, white space, unreadable dates, bad and
    other-year codes, a repeated row, non-ASCII ids, two collection years and none."""
    rows = [
        # CHILD, DECOM, DEC, RNE, LS, CIN, PLACE, REC, YEAR
        ("1", "01/04/2024", "", "S", "C2", "N1", "U1", "", "2025"),
        ("1", "01/04/2024", "", "S", "C2", "N1", "U1", "", "2025"),  # a copy
        (" ", "01/05/2024", "02/05/2024", "S", "C2", "N1", "U1", "E11", "2025"),
        ("2", "01/06/2024", "", "L", "C2", "N1", "K3", "", "2024"),  # K3 a year early
        ("7", "  ", "", "L", "C2", "N1", "K3", "", "2025"),  # blank DECOM
        ("3", "32/01/2024", "", "S", "C2", "N1", "U1", "", "2025"),  # unreadable DECOM
        ("4", "01/06/2024", "x", "S", "c2", "N1", "Q9", "E11", "2025"),  # bad DEC, PLACE
        ("Zoë", "01/07/2024", "01/06/2024", "S", "C2", "N1", "K3", "", "2022"),
        ("5", "01/08/2024", "", "", "", "", "", "E2", ""),  # blanks, REC without DEC
        ("6", "2024-09-01", "01/01/2099", "S", "Z1", "N9", "Z11", "X1", "2026"),
    ]
    cols = ["CHILD", "DECOM", "DEC", "RNE", "LS", "CIN", "PLACE", "REC", "YEAR"]
    raw = pd.DataFrame(rows, columns=cols)
    for col in COLUMNS["episodes"]:
        if col not in raw:
            raw[col] = ""
    raw["source_file"] = "e.csv"
    raw["source_row"] = range(2, 2 + len(raw))
    return raw[[*COLUMNS["episodes"], "YEAR", "source_file", "source_row"]]


@pytest.mark.parametrize("drop", [[], [1], list(range(10))])
def test_check_rows_on_codes_matches_check_rows_on_values(drop: list[int]) -> None:
    raw = _episodes_raw()
    today = pd.Timestamp(TODAY)
    typed, coded = coerce_with_codes("episodes", raw)
    typed = typed.drop(index=drop)  # the rows left after copies were set aside
    keep_plain, found_plain = check_rows(
        "episodes", raw.loc[typed.index], typed.copy(), today=today
    )
    keep_fast, found_fast = check_rows("episodes", raw, typed.copy(), today=today, coded=coded)
    pd.testing.assert_series_equal(keep_fast, keep_plain)
    pd.testing.assert_frame_equal(found_fast, found_plain)
    if not drop:
        assert {"value_missing", "date_unparseable", "code_unknown", "code_wrong_year"} <= set(
            found_plain["code"]
        )
        assert {"code_other_year", "dec_before_decom", "rec_without_dec"} <= set(
            found_plain["code"]
        )


def test_check_rows_on_codes_blanks_an_sdq_score_as_the_plain_check() -> None:
    raw = pd.DataFrame({c: [""] * 5 for c in COLUMNS["oc2"]})
    raw["CHILD"] = ["1", "2", "3", "4", "5"]
    raw["SDQ_SCORE"] = ["12", "41", " ", "x", "7.5"]
    raw = raw.assign(YEAR="2025", source_file="o.csv", source_row=range(2, 7))
    today = pd.Timestamp(TODAY)
    typed, coded = coerce_with_codes("oc2", raw)
    plain = typed.copy()
    _, found_plain = check_rows("oc2", raw, plain, today=today)
    _, found_fast = check_rows("oc2", raw, typed, today=today, coded=coded)
    pd.testing.assert_frame_equal(found_fast, found_plain)
    pd.testing.assert_frame_equal(typed, plain)
    assert typed["SDQ_SCORE"].tolist()[0] == 12.0 and typed["SDQ_SCORE"].isna().sum() == 4


@pytest.mark.parametrize("column", ["PLACE", "SEX", "LA_PERM"])
def test_status_positions_on_codes_match_code_status(column: str) -> None:
    rng = np.random.default_rng(11)
    known = code_table().query("column == @column")["code"].tolist()
    pool = np.array([*known, "Q9", "", None], dtype=object)
    values = pd.Series(rng.choice(pool, 300), dtype="string")
    years = pd.Series(rng.choice([2013, 2024, 2025, 2026, None], 300), dtype="Int64")
    value_codes, distinct = pd.factorize(values)
    year_codes, distinct_years = pd.factorize(years)
    got = status_positions(column, value_codes, distinct, year_codes, distinct_years)
    want = code_status(column, values, years)
    assert [STATUSES[i] for i in got] == want.tolist()
    none = status_positions(column, np.array([], dtype=int), [], np.array([], dtype=int), [])
    assert none.tolist() == []


@pytest.mark.parametrize("column", sorted(CODES))
def test_status_positions_match_a_row_by_row_reading_on_every_column(column: str) -> None:
    rng = np.random.default_rng(len(column))
    known = list(CODES[column])
    junk = [f"J{i}" for i in range(3000)]  # many distinct values: only the pairs met
    years_pool = np.array([2013, 2019, 2020, 2024, 2025, 2026, None], dtype=object)
    cases = [
        ([*known, "Q9", "", None], 300),
        ([*known, *junk, None], 400),
        ([None], 3),
        ([known[0]], 1),
        ([], 0),
    ]
    by_row = functools.cache(functools.partial(_status_by_row, column))
    for pool, n in cases:
        values = pd.Series(rng.choice(np.array(pool, dtype=object), n) if n else [], dtype=object)
        years = pd.Series(rng.choice(years_pool, n) if n else [], dtype="Int64")
        value_codes, distinct = pd.factorize(values)
        year_codes, distinct_years = pd.factorize(years)
        got = status_positions(
            column, value_codes.astype(np.int32), distinct, year_codes, distinct_years
        )
        want = [
            by_row(v, np.nan if pd.isna(y) else float(y))
            for v, y in zip(values, years, strict=True)
        ]
        assert got.dtype == np.int8 and [STATUSES[i] for i in got] == want
    mixed = status_positions(column, np.array([0, 1]), [5, known[0]], np.array([0, 0]), [2025])
    assert mixed[0] == STATUSES.index("unknown")


def _check_cross_by_definition(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """check_cross as first written: text compared row by row."""
    header = tables["header"]
    known = pd.Index(header["CHILD"].dropna().unique())
    parts = []
    for name, frame in tables.items():
        if name == "header" or frame.empty:
            continue
        first = ~frame["CHILD"].duplicated()
        first[first] = ~frame.loc[first, "CHILD"].isin(known).to_numpy()
        parts.append(frame.loc[first, ["CHILD", "source_row"]].assign(table=name))
    eps = tables["episodes"]
    if len(eps) and len(header):
        # a blank CHILD is no child: it takes no DOB, not even a blank-CHILD Header row's
        named = header.dropna(subset=["CHILD"]).drop_duplicates("CHILD")
        dob = pd.to_datetime(eps["CHILD"].map(dict(zip(named["CHILD"], named["DOB"], strict=True))))
        early = (eps["DECOM"] < dob).fillna(False)
        parts.append(eps.loc[early, ["CHILD", "source_row"]].assign(table="dob"))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def test_blank_child_episode_is_not_dated_by_a_blank_child_header_row() -> None:
    # the Header row with no CHILD is born 2011; the episode with no CHILD starts in 2010:
    # neither is a child, so no "starts before the date of birth" error joins them
    header = pd.DataFrame(
        {"CHILD": ["1", None], "DOB": pd.to_datetime(["2010-01-01", "2011-01-01"])}
    )
    eps = pd.DataFrame({"CHILD": [None, "1"], "DECOM": ["01/04/2010", "01/04/2009"]})
    ds = Dataset.from_tables({"header": header, "episodes": eps})
    tables = {k: v.assign(source_row=range(2, 2 + len(v))) for k, v in ds.tables.items()}
    found = check_cross(tables)
    early = found[found["code"] == "decom_before_dob"]
    assert early["row"].tolist() == [3]  # child 1's episode only
    assert early["child"].tolist() == ["1"]


@pytest.mark.parametrize(
    "header_children", [["1", "2", "1", None, "Zoë"], [], [None], ["9"], ["1", "2", "Zoë"]]
)
def test_check_cross_matches_the_definition(header_children: list[str | None]) -> None:
    n = len(header_children)
    header = pd.DataFrame(
        {
            "CHILD": header_children,
            "DOB": pd.to_datetime(
                ["2010-01-01", "2012-06-01", "2000-01-01", "2011-01-01", "2015-01-01"][:n]
            ),
        }
    )
    eps = pd.DataFrame(
        {
            "CHILD": ["1", "3", None, "2", "3", "Zoë", None, "1"],
            "DECOM": [
                "01/04/2011",
                "01/04/2020",
                "01/04/2010",
                "01/04/2012",
                "",
                "01/01/2014",
                "",
                "01/04/2009",
            ],
        }
    )
    reviews = pd.DataFrame({"CHILD": ["7", "7", "1", None]})
    ds = Dataset.from_tables({"header": header, "episodes": eps, "reviews": reviews})
    tables = {k: v.assign(source_row=range(2, 2 + len(v))) for k, v in ds.tables.items()}
    found = check_cross(tables)
    got = pd.DataFrame(
        {
            "CHILD": found["child"].astype(str),
            "source_row": found["row"].astype(int),
            "table": np.where(found["code"] == "decom_before_dob", "dob", found["table"]),
        }
    )
    want = _check_cross_by_definition(tables)
    if want.empty:
        assert found.empty
        return
    want = want.assign(CHILD=want["CHILD"].astype("string").fillna("").astype(str))
    key = ["table", "source_row"]
    got = got.sort_values(key).reset_index(drop=True)[["table", "source_row", "CHILD"]]
    want = want.sort_values(key).reset_index(drop=True)[["table", "source_row", "CHILD"]]
    assert got.values.tolist() == want.values.tolist()


def test_year_summary_of_a_table_without_dates_counts_nothing() -> None:
    years = pd.Series([2025, None, 2024, 2025], dtype="Int64")
    dates = pd.Series(pd.NaT, index=years.index, dtype="datetime64[ns]")
    got = _year_summary(years, dates, pd.Timestamp(TODAY))
    want = pd.DataFrame(
        [
            {"year": 2024, "known": 0, "after": 0, "first": pd.NaT, "last": pd.NaT},
            {"year": 2025, "known": 0, "after": 0, "first": pd.NaT, "last": pd.NaT},
        ],
        columns=["year", "known", "after", "first", "last"],
    )
    pd.testing.assert_frame_equal(got, want)
    # one date is enough to count: the same years, now with it
    dates.iloc[0] = pd.Timestamp("2025-04-02")
    counted = _year_summary(years, dates, pd.Timestamp(TODAY))
    assert counted["known"].tolist() == [0, 1] and counted["after"].tolist() == [0, 1]
    none = _year_summary(years.iloc[:0], dates.iloc[:0], pd.Timestamp(TODAY))
    assert list(none.columns) == list(want.columns) and none.empty


def test_factorize_text_through_shared_objects_is_pandas_factorize() -> None:
    # as pandas' CSV reader gives them: equal values of a chunk share one string object
    shared = ["U1", "", " U1", "É2", "U1 "]
    rng = np.random.default_rng(3)
    picks = rng.integers(0, len(shared) + 1, 40_000)
    pool = [*shared, np.nan]
    objects = np.array([pool[i] for i in picks], dtype=object)
    objects[7] = "".join(["U", "1"])  # an equal value held by another object
    with python_strings():  # the loader's text storage
        text = pd.Series(objects, dtype="str")
    for values in (pd.Series(objects, dtype=object), text):
        assert _by_identity(values) is not None  # the path under test was taken
        codes, uniques = factorize_text(values)
        want_codes, want_uniques = pd.factorize(values.astype("object"))
        assert codes.tolist() == want_codes.tolist()
        assert list(uniques) == list(want_uniques)
    distinct = pd.Series([f"id{i}" for i in range(40_000)], dtype=object)  # nothing shared
    assert _by_identity(distinct) is None
    codes, uniques = factorize_text(distinct)
    assert codes.tolist() == list(range(40_000)) and uniques[-1] == "id39999"


def _normalise_text_by_definition(values: pd.Series) -> pd.Series:
    """Strip (Python's white space), "123.0" -> "123", empty -> NA: value by value."""
    text = values.astype("string").str.strip()
    text = text.str.replace(r"^(\d+)\.0+$", r"\1", regex=True)
    return text.mask(text == "")


def test_python_whitespace_is_every_character_strip_removes() -> None:
    every = "".join(chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace())
    assert PY_WHITESPACE == every


@pytest.mark.parametrize("storage", ["python", "pyarrow"])
def test_normalise_text_matches_the_definition(storage: str) -> None:
    edges = [f"{c}7{c}" for c in PY_WHITESPACE] + [f"7{c}" for c in PY_WHITESPACE]
    values = [
        *edges,
        "0012",
        " 0012 ",
        "55.0",
        "55.00",
        "5.5",
        "١٢.٠",  # Arabic-Indic digits: Python's \d takes them
        "",
        "   ",
        None,
        "Zoë",
        "a b",
        "a\u200bb",  # zero-width space: not white space
        "\u200b",
        "7\x00",
        ".",
    ]
    with pd.option_context("mode.string_storage", storage):
        series = pd.Series(values, dtype="string")
        want = _normalise_text_by_definition(series)
        got = normalise_text(series)
        pd.testing.assert_series_equal(got, want)
        plain = pd.Series(["A1", "B2", None], dtype="string")  # nothing to change
        pd.testing.assert_series_equal(normalise_text(plain), _normalise_text_by_definition(plain))
        empty = pd.Series([], dtype="string")
        pd.testing.assert_series_equal(normalise_text(empty), _normalise_text_by_definition(empty))
    repeated = pd.Series([" a", "b", "1.0", "c"], index=[0, 0, 1, 1], name="CHILD")  # concat
    pd.testing.assert_series_equal(
        normalise_text(repeated), _normalise_text_by_definition(repeated)
    )
    numbers = pd.Series([7, 7.0, None], dtype=object)  # written by a program, not read
    pd.testing.assert_series_equal(normalise_text(numbers), _normalise_text_by_definition(numbers))


def _parse_dates_plain(values: pd.Series) -> pd.Series:
    """parse_dates as first written: every value stripped, both readings of every value."""
    text = values.astype("object").where(values.notna(), None)
    text = pd.Series(text, index=values.index, dtype="object").map(
        lambda v: v.strip() if isinstance(v, str) else v if v is None else str(v)
    )
    uk = pd.to_datetime(text, format="%d/%m/%Y", errors="coerce")
    iso_pattern = r"\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
    iso_text = text.where(text.str.fullmatch(iso_pattern).fillna(False).astype(bool))
    iso = pd.to_datetime(iso_text.str.slice(0, 10), format="%Y-%m-%d", errors="coerce")
    return uk.fillna(iso).astype("datetime64[ns]")


@pytest.mark.parametrize("dtype", ["object", "string", "str"])
def test_parse_dates_match_the_plain_reading(dtype: str) -> None:
    cases = [
        ["31/03/2024", "2024-03-31", "", "32/01/2024", None, " 01/04/2023 ", "\u200301/04/2023"],
        ["2024-03-31 00:00:00", "2024-03-31T10:00", "2024-03-31junk", "\x1c2024-01-02\x1f"],
        ["01/02/2020"] * 3,
        ["2020-02-01", "2021-02-01"],
        [None, None],
        [],
    ]
    for values in cases:
        series = pd.Series(values, dtype=dtype, name="DECOM", index=np.arange(len(values)) * 2)
        with python_strings():
            pd.testing.assert_series_equal(parse_dates(series), _parse_dates_plain(series))
    odd = pd.Series(["01/02/2020", 5, None, " 2020-01-01", 20200101, 43831.0], dtype=object)
    read = parse_dates(odd)  # numbers are read as their text: no date, never an epoch
    assert read.isna().tolist() == [False, True, True, False, True, True], read
    pd.testing.assert_series_equal(parse_dates(odd), _parse_dates_plain(odd))
    repeated = pd.Series([" 01/02/2020", "2020-01-01 ", "x"], index=[3, 3, 1])  # labels repeat
    pd.testing.assert_series_equal(parse_dates(repeated), _parse_dates_plain(repeated))


@pytest.mark.parametrize("drop", [[], [1], [0, 3, 4, 9], list(range(10))])
def test_a_narrow_table_widened_is_the_table_typed_whole(drop: list[int]) -> None:
    """The loader builds only the columns its checks read (CHILD, dates, numbers) before
    rows are set aside, and the other columns, from their codes, for the rows left: the
    same values, dtypes, index and column order as typing every column at once; the row
    checks read the codes where a column is left out and find the same."""
    from cppanalytics.ssda903.loader import _checked_columns, widen

    raw = _episodes_raw()
    raw.loc[2, "URN"], raw.loc[3, "HOME_POST"], raw.loc[5, "PLACE_PROVIDER"] = (
        "Ωmega",
        "mk9 3ej",
        " ",
    )
    today = pd.Timestamp(TODAY)
    with python_strings():
        whole, coded = coerce_with_codes("episodes", raw)
        narrow, narrow_coded = coerce_with_codes(
            "episodes", raw, columns=_checked_columns("episodes")
        )
        assert list(narrow.columns) == [
            "CHILD",
            "DECOM",
            "DEC",
            "YEAR",
            "source_file",
            "source_row",
        ]
        rows = whole.index.drop(drop)
        pd.testing.assert_frame_equal(
            widen("episodes", narrow.loc[rows], narrow_coded), whole.loc[rows]
        )
        keep_whole, found_whole = check_rows(
            "episodes", raw, whole.loc[rows].copy(), today=today, coded=coded
        )
        keep_narrow, found_narrow = check_rows(
            "episodes", raw, narrow.loc[rows].copy(), today=today, coded=narrow_coded
        )
    pd.testing.assert_series_equal(keep_narrow, keep_whole)
    pd.testing.assert_frame_equal(found_narrow, found_whole)
    if not drop:
        assert {"code_unknown", "code_wrong_year", "code_other_year"} <= set(found_whole["code"])


@pytest.mark.parametrize("n", [0, 1])
def test_a_narrow_table_of_no_rows_or_one_row_widens_as_typed_whole(n: int) -> None:
    from cppanalytics.ssda903.loader import _checked_columns, widen

    raw = pd.DataFrame({c: ["  é "][:n] for c in COLUMNS["header"]})
    raw = raw.assign(YEAR=["2024"][:n], source_file=["h.csv"][:n], source_row=[2][:n])
    with python_strings():
        whole, _ = coerce_with_codes("header", raw)
        narrow, coded = coerce_with_codes("header", raw, columns=_checked_columns("header"))
        pd.testing.assert_frame_equal(widen("header", narrow, coded), whole)


def test_date_comparisons_on_numpy_dates_are_pandas_comparisons() -> None:
    """The row checks' date comparisons on the numpy dates give pandas' answers: missing
    dates compare False, either side; a time zone or another dtype goes pandas' way."""
    from cppanalytics.ssda903.checks import _compare

    dates = pd.Series(pd.to_datetime(["2030-01-01", None, "1899-12-31", "2026-11-28", None]))
    other = pd.Series(pd.to_datetime([None, "2020-01-01", "1900-01-01", "2026-11-28", None]))
    for op, name in ((np.greater, "__gt__"), (np.less, "__lt__")):
        for when in (pd.Timestamp("2026-11-28"), pd.Timestamp("1900-01-01"), other):
            want = getattr(dates, name)(when)
            pd.testing.assert_series_equal(_compare(dates, op, when), want)
        aware = dates.dt.tz_localize("UTC")
        when = pd.Timestamp("2026-11-28", tz="UTC")
        pd.testing.assert_series_equal(_compare(aware, op, when), getattr(aware, name)(when))
    empty = pd.Series([], dtype="datetime64[ns]")
    assert _compare(empty, np.greater, pd.Timestamp("2026-01-01")).tolist() == []


#: codes as files write them, and the odd ones: padding of every kind of white space
#: (tab, NBSP, U+3000, the separators Python strips), case changes that lengthen a value
#: (German sharp s, a ligature), numbers stored as floats (and near misses), non-ASCII
#: digits, blanks
_CODE_CASES = [
    "C2",
    " c2 ",
    "e4a",
    "",
    " ",
    "\t",
    "1.0",
    "12.00",
    "1.50",
    ".0",
    "12.",
    "12.0.0",
    "0.0",
    "007.000",
    " 3.0 ",
    "\u0661\u0662.0",
    "stra\u00dfe",
    "\ufb01x",
    "\u00a0U1\u00a0",
    "\u3000P1",
    "\x1cS\x1f",
    "a.b",
    "Zo\u00eb",
    "1e3",
    "-1.0",
    "+2.0",
    "L\u0130",
]


def _codes_by_definition(values: pd.Series) -> pd.Series:
    """normalise_codes as pandas' text passes define it."""
    from cppanalytics.ssda903.dataset import _integer_text

    text = _integer_text(values.astype("string").str.strip().str.upper())
    return text.mask(text == "")


@pytest.mark.parametrize(
    "values",
    [
        _CODE_CASES,
        _CODE_CASES[::-1] * 3,
        ["C2"],
        [""],
        [],
        ["1.0", "1.0", " 1.0"],
    ],
)
@pytest.mark.parametrize("index", ["range", "repeated"])
def test_codes_one_by_one_are_the_pandas_passes(values: list[str], index: str) -> None:
    """The loader's distinct codes typed one by one give what pandas' strip, upper, float
    pattern and blank-to-NA passes give: values, NA, dtype, index and name."""
    from cppanalytics.ssda903.dataset import _codes_one_by_one, normalise_codes
    from cppanalytics.string_storage import python_strings

    labels = pd.RangeIndex(len(values)) if index == "range" else pd.Index([7] * len(values))
    series = pd.Series(np.array(values, dtype=object), index=labels, dtype=object, name="LS")
    with python_strings():
        want = _codes_by_definition(series)
        fast = _codes_one_by_one(series)
        assert fast is not None
        pd.testing.assert_series_equal(fast, want)
        pd.testing.assert_series_equal(normalise_codes(series), want)


@pytest.mark.parametrize(
    "values",
    [
        pd.Series(["c2", None], dtype=object),
        pd.Series(["c2", np.nan], dtype=object),
        pd.Series([1, "c2"], dtype=object),
        pd.Series(["c2", "x"], dtype="str"),
        pd.Series(["c2", pd.NA], dtype="string"),
        pd.Series(pd.Categorical([" c2", "1.0"])),
    ],
)
def test_codes_not_all_str_take_the_pandas_passes(values: pd.Series) -> None:
    """Missing values, numbers, and text held by pyarrow go through pandas' own passes, so
    normalise_codes gives the same as ever."""
    from cppanalytics.ssda903.dataset import _codes_one_by_one, normalise_codes
    from cppanalytics.string_storage import python_strings

    with python_strings():
        pd.testing.assert_series_equal(normalise_codes(values), _codes_by_definition(values))
    with pd.option_context("mode.string_storage", "pyarrow"):
        assert _codes_one_by_one(pd.Series(["c2"], dtype=object)) is None
        pd.testing.assert_series_equal(normalise_codes(values), _codes_by_definition(values))


def test_codes_of_a_whole_column_take_the_pandas_passes() -> None:
    """More values than the value-by-value path is for (a whole column given to
    Dataset.from_tables) go through pandas' passes, with the same codes."""
    from cppanalytics.ssda903.dataset import ONE_BY_ONE_UP_TO, _codes_one_by_one, normalise_codes
    from cppanalytics.string_storage import python_strings

    values = pd.Series([" c2", "7.00", "", "e4a"] * (ONE_BY_ONE_UP_TO // 4 + 1), dtype=object)
    with python_strings():
        assert _codes_one_by_one(values) is None
        assert _codes_one_by_one(values.iloc[:ONE_BY_ONE_UP_TO]) is not None
        pd.testing.assert_series_equal(normalise_codes(values), _codes_by_definition(values))
