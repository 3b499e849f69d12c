"""The Missing table's incident codes and per-window counts against their plain
definitions: pandas' factorize / sort_values / isna / nunique on hand-built edge cases."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cppanalytics.indicators import missing


def _same_partition(got: np.ndarray, plain: np.ndarray) -> None:
    """``got`` and ``plain`` codes are equal exactly where each other's are, -1 alike."""
    assert len(got) == len(plain)
    np.testing.assert_array_equal(got < 0, plain < 0)
    pairs = pd.DataFrame({"g": got, "p": plain}).drop_duplicates()
    assert not pairs["g"].duplicated().any() and not pairs["p"].duplicated().any()


COLUMNS = {
    "midnight dates": pd.Series(
        pd.to_datetime(["2023-05-02", None, "2023-05-01", "2023-05-02", "1901-01-01"])
    ).astype("datetime64[ns]"),
    "dates in us": pd.Series(pd.to_datetime(["2023-05-02", None, "2023-05-01", "2023-05-02"])),
    "times of day": pd.Series(
        pd.to_datetime(["2023-05-02 10:00", "2023-05-02 00:00", None, "2023-05-02 10:00"])
    ).astype("datetime64[ns]"),
    "far apart": pd.Series(pd.to_datetime(["1700-01-01", "2200-01-01", "1700-01-01"])).astype(
        "datetime64[ns]"
    ),
    "years": pd.Series([2024, None, 2023, 2024, -5], dtype="Int64"),
    "huge integers": pd.Series([0, 2**62, None, 0, -(2**62)], dtype="Int64"),
    "no values": pd.Series([None, None], dtype="Int64"),
    "kinds": pd.Series(["M", "A", None, "x", "M", "", "A ", "x"], dtype="string"),
    "only M and A": pd.Series(["M", "A", None, "M"], dtype="string"),
    "object text": pd.Series(["M", None, "b", "M"], dtype=object),
    "arrow text": pd.Series(["M", None, "A", "Z"], dtype="string[pyarrow]"),
}


@pytest.mark.parametrize("name", COLUMNS)
@pytest.mark.parametrize("order", ["all", "some reversed"])
def test_key_codes_partition_as_factorize(name: str, order: str) -> None:
    values = COLUMNS[name]
    at = np.arange(len(values)) if order == "all" else np.arange(len(values))[::-2].copy()
    got = missing._key_codes(values, at)
    plain = pd.factorize(values.iloc[at].astype(object))[0]
    _same_partition(np.asarray(got, dtype=np.int64), plain)


def test_offset_codes_keep_the_order_of_years() -> None:
    got = missing._offset_codes(np.array([2023, 0, 2023, 2025]), np.array([0, 1, 0, 0], bool))
    assert got.tolist() == [0, -1, 0, 2]
    wide = missing._offset_codes(np.array([0, 2**50, 0]), np.zeros(3, dtype=bool))
    _same_partition(wide, np.array([0, 1, 0]))
    assert missing._offset_codes(np.array([1, 2]), np.ones(2, dtype=bool)).tolist() == [-1, -1]


YEARS = {
    "sorted": pd.Series([None, 2023, 2023, 2024], dtype="Int64"),
    "unsorted": pd.Series([2024, None, 2023, 2024, None, 2022], dtype="Int64"),
    "none": pd.Series([pd.NA, pd.NA, pd.NA], dtype=object),
    "floats": pd.Series([2024.0, np.nan, 2023.0]),
    "empty": pd.Series([], dtype="Int64"),
}


@pytest.mark.parametrize("name", YEARS)
def test_year_order_is_sort_values(name: str) -> None:
    year = YEARS[name]
    for rows in (np.arange(len(year)), np.arange(len(year))[1:]):
        frame = pd.DataFrame({"YEAR": year.iloc[rows], "_pos": np.arange(len(rows))})
        order = frame.sort_values(["YEAR", "_pos"], na_position="first", kind="stable")
        plain = rows[order["_pos"].to_numpy()]
        assert missing._year_order(year, rows).tolist() == plain.tolist()


@pytest.mark.parametrize("dtype", ["string[python]", "string[pyarrow]", object])
def test_present_objects_and_text_equals_are_isna_and_eq(dtype: object) -> None:
    values = pd.Series(["M", None, "A", "m", "", "M", None], dtype=dtype)
    for kind in ("M", "A", "Z"):
        (got,) = missing.text_equals(values, kind)
        assert got.tolist() == values.eq(kind).fillna(False).astype(bool).tolist()
    objects = np.asarray(pd.Series(values, dtype="string[python]").array)
    assert missing.present_objects(objects).tolist() == values.notna().tolist()


def test_present_objects_across_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(missing, "CHUNK_ROWS", 3)
    values = pd.Series(["a", None, "b", None, None, "c", "d"], dtype="string[python]")
    objects = np.asarray(values.array)
    assert missing.present_objects(objects).tolist() == values.notna().tolist()
    assert missing.present_objects(objects[:0]).tolist() == []


def test_distinct_count_is_nunique() -> None:
    codes = np.array([3, 1, 3, 0, 4, 4])
    seen = np.ones(5, dtype=bool)
    for mask in ([1, 1, 1, 0, 0, 0], [0] * 6, [1] * 6, [0, 0, 0, 0, 1, 1]):
        flags = np.array(mask, dtype=bool)
        assert missing.distinct_count(codes, flags, seen) == pd.Series(codes[flags]).nunique()


def _incidents() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "CHILD": ["1", "1", "2", "3", "2"],
            "MISSING": pd.Series(["M", "A", "M", None, "A"], dtype="string"),
            "MIS_START": pd.to_datetime(
                ["2023-05-01", "2023-03-01", "2024-03-31", "2023-06-01", "2023-04-01"]
            ),
            "MIS_END": pd.to_datetime([None, "2023-04-01", None, "2023-06-02", "2023-03-31"]),
        }
    )


def test_incident_arrays_of_rows_are_those_of_the_rows_taken() -> None:
    table = _incidents()
    rows = np.array([4, 0, 2])
    children = pd.Index(["1", "2"])
    got = missing.incident_arrays(table, children, rows=rows)
    plain = missing.incident_arrays(table.iloc[rows].reset_index(drop=True), children)
    for field in ("child", "start", "end", "is_m", "is_a"):
        np.testing.assert_array_equal(getattr(got, field), getattr(plain, field))
    pd.testing.assert_frame_equal(got.table().reset_index(drop=True), plain.table())
    assert got.table(np.array([1]))["CHILD"].tolist() == ["1"]
    whole = missing.incident_arrays(table, children)
    assert whole.end.tolist()[0] == np.iinfo(np.int64).max
    assert table["MIS_END"].isna().tolist()[0]  # the table's column left as it was


@pytest.mark.parametrize(
    "window", [("2023-04-01", "2024-03-31"), ("2023-03-01", "2023-03-31"), ("2024-03-31",) * 2]
)
@pytest.mark.parametrize("cohort", [[0, 1], [1], [], [0, 1, 2]])
def test_cohort_measures_are_missing_measures(window: tuple[str, str], cohort: list[int]) -> None:
    table = _incidents()
    children = pd.Index(["1", "2", "3"])
    arrays = missing.incident_arrays(table, children)
    start, end = (pd.Timestamp(d) for d in window)
    got, outside = missing.cohort_measures(arrays, np.array(cohort, dtype=np.int64), 3, start, end)
    plain = missing.missing_measures(children[cohort], table, start, end, distinct=True)
    pd.testing.assert_frame_equal(got, plain)
    starting = table["MIS_START"].between(start, end).to_numpy()
    assert outside.tolist() == (starting & ~table["CHILD"].isin(children[cohort])).tolist()


def test_distinct_positions_are_the_rows_of_distinct_rows() -> None:
    table = pd.concat([_incidents(), _incidents().iloc[[0, 2]]], ignore_index=True)
    table["YEAR"] = pd.array([2024, 2023, None, 2024, 2023, 2023, 2025], dtype="Int64")
    rows, at = missing.distinct_rows(table)
    assert missing.distinct_positions(table).tolist() == at.tolist()
    pd.testing.assert_frame_equal(rows, table.iloc[at].reset_index(drop=True))


@pytest.mark.parametrize("chunk", [1, 2, 3, 1 << 16])
def test_text_equals_across_chunks_and_shared_objects(chunk: int, monkeypatch) -> None:
    monkeypatch.setattr(missing, "CHUNK_ROWS", chunk)
    shared_m = "M"
    own_m = "".join(["M"])  # an equal text held by another object
    objects = np.array([shared_m, pd.NA, own_m, "A", shared_m, "", pd.NA, "MA"], dtype=object)
    values = pd.Series(pd.arrays.StringArray(objects))
    got = missing.text_equals(values, "M", "A", "")
    plain = [values.eq(t).fillna(False).astype(bool).tolist() for t in ("M", "A", "")]
    assert [a.tolist() for a in got] == plain
    assert [a.tolist() for a in missing.text_equals(values.iloc[:0], "M")] == [[]]


@pytest.mark.parametrize("chunk", [1, 2, 1 << 16])
@pytest.mark.parametrize("name", COLUMNS)
def test_with_day_codes_is_with_codes_of_key_codes(name: str, chunk: int, monkeypatch) -> None:
    monkeypatch.setattr(missing, "CHUNK_ROWS", chunk)
    values = COLUMNS[name]
    at = np.arange(len(values))[::-1].copy()
    start = np.arange(len(at), dtype=np.int64) % 3
    key = start.copy()
    fused = missing._with_day_codes(key, values, at)
    plain = missing._with_codes(start, missing._key_codes(values, at))
    is_day = values.dtype.kind == "M" and name != "times of day"
    assert fused == is_day
    if fused:
        assert key.tolist() == plain.tolist()
    else:
        assert key.tolist() == start.tolist()  # left as it was


def test_with_day_codes_leaves_a_key_that_would_overflow() -> None:
    values = pd.Series(pd.to_datetime(["1700-01-01", "2200-01-01"])).astype("datetime64[ns]")
    key = np.array([2**61, 0], dtype=np.int64)
    assert not missing._with_day_codes(key, values, np.array([0, 1]))
    assert key.tolist() == [2**61, 0]
    empty = np.zeros(0, dtype=np.int64)
    assert missing._with_day_codes(empty, values.iloc[:0], np.zeros(0, dtype=np.int64))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_later_repeats_in_year_order_are_pandas_duplicated(seed: int) -> None:
    rng = np.random.default_rng(seed)
    key = rng.integers(0, 20, 300)
    for year in (np.sort(rng.integers(-1, 4, 300)), np.full(300, -1), np.zeros(300, np.int16)):
        with_year = missing._with_codes(key, year)
        dup_key, dup_year = missing._later_repeats_in_year_order(key, year)
        assert dup_key.tolist() == pd.Series(key).duplicated(keep="last").tolist()
        assert dup_year.tolist() == pd.Series(with_year).duplicated(keep="last").tolist()
    one = np.array([4])
    assert [a.tolist() for a in missing._later_repeats_in_year_order(one, one)] == [[False]] * 2
