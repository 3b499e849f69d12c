"""Fast paths of the building blocks against their plain definitions (hand-built edge cases)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cppanalytics.care.placements import placement_key, placement_key_codes


def _same_partition(codes: np.ndarray, text: np.ndarray) -> bool:
    """Two labellings group the rows identically."""
    if len(codes) != len(text):
        return False
    pairs = pd.DataFrame({"c": codes, "t": text})
    return bool(
        (pairs.groupby("c")["t"].nunique() <= 1).all()
        and (pairs.groupby("t")["c"].nunique() <= 1).all()
    )


CASES = {
    "blanks": {
        "PLACE": ["U4", "U4", None, "", None],
        "PL_POST": ["ab1 2cd", "AB12CD", None, "", "AB1 2CD"],
        "URN": [None, "", None, None, "SC1"],
    },
    "all_null": {"PLACE": [None, None], "PL_POST": [None, None], "URN": [None, None]},
    "one_row": {"PLACE": ["K2"], "PL_POST": ["MK9 3EJ"], "URN": ["1234567"]},
    "interleaved": {  # keys first seen out of their sorted order, then repeated
        "PLACE": ["U4", "K2", "U4", "A3", "K2", "U4", "A3"],
        "PL_POST": ["zz9 9zz", "ab1 2cd", "ZZ99ZZ", "ab1 2cd", "AB12CD", "ab1 2cd", None],
        "URN": [None, "SC1", "", "", "SC1", None, ""],
    },
    "empty": {"PLACE": [], "PL_POST": [], "URN": []},
    "non_ascii": {
        "PLACE": ["U4", "U4", "U4"],
        "PL_POST": ["ß1 2cd", "SS12CD", "ß12CD"],
        "URN": ["é", "é", "É"],
    },
    "random": {  # many rows from small pools: case, spaces and blanks mixed
        "PLACE": list(np.random.default_rng(3).choice(["U4", "K2", "", None], 300)),
        "PL_POST": list(
            np.random.default_rng(4).choice(["ab1 2cd", "AB12CD", " ab12cd", None], 300)
        ),
        "URN": list(np.random.default_rng(5).choice(["SC1", "sc1", "", None], 300)),
    },
    "same_text_other_columns": {
        "PLACE": ["U4", "U4|X", "U4"],
        "PL_POST": ["X|AB1", "AB1", "X|AB1"],
        "URN": ["", "", None],
    },
}


@pytest.mark.parametrize("name", list(CASES))
def test_placement_key_codes_match_text_key(name: str) -> None:
    frame = pd.DataFrame({c: pd.Series(v, dtype="string") for c, v in CASES[name].items()})
    codes = placement_key_codes(frame)
    assert codes.dtype == np.int64
    assert _same_partition(codes, placement_key(frame))


def test_placement_key_codes_blank_equals_blank_and_postcode_spacing() -> None:
    frame = pd.DataFrame(
        {
            "PLACE": pd.Series(["U4", "U4", "U4", "U5"], dtype="string"),
            "PL_POST": pd.Series(["ab1 2cd", "AB12CD", None, "AB12CD"], dtype="string"),
            "URN": pd.Series([None, "", None, None], dtype="string"),
        }
    )
    codes = placement_key_codes(frame).tolist()
    assert codes[0] == codes[1]  # case and spaces ignored, blank URN equals missing
    assert codes[2] != codes[0]  # missing postcode differs from a postcode
    assert codes[3] != codes[0]  # another PLACE


SORT_CASES = {
    "mixed": ["b", "a", "b", "é", "Z", "", None, "a b", "ä", "10", "9"],
    "all_null": [None, None],
    "one_row": ["X1"],
    "empty": [],
    "non_ascii": ["Ω", "ω", "z", "ß", "ss", "日本", "\u00e9", "e\u0301"],
}


@pytest.mark.parametrize("name", list(SORT_CASES))
def test_sorted_codes_order_as_pandas_sorts(name: str) -> None:
    from cppanalytics.care.episodes import sorted_codes

    values = pd.Series(SORT_CASES[name], dtype="string")
    expected = pd.factorize(values, sort=True)[0]
    assert sorted_codes(values).tolist() == expected.tolist()


@pytest.mark.parametrize(
    "child, decom, year",
    [
        # same child and day in several years, re-entry, a child code of its own
        (
            [2, 0, 0, 0, 1, 0],
            ["2023-01-01", "2023-01-01", "2022-05-05", "2023-01-01", "1969-12-31", "2023-01-01"],
            [2024.0, 2023.0, -1.0, 2023.0, 2020.0, 2022.0],
        ),
        (
            [0, 0],
            ["2023-01-01 12:00", "2023-01-01"],
            [2023.0, 2024.0],
        ),  # a time of day: the plain sort
        ([0, 0], ["2023-01-01", "2023-01-01"], [2023.5, 2023.0]),  # a part year: plain
        ([5], ["1901-01-01"], [-1.0]),  # one row
        ([], [], []),  # no rows
        ([999_999_999, 0], ["1800-01-01", "2200-01-01"], [0.0, 9999.0]),  # too wide to pack
    ],
)
def test_episode_order_is_the_lexsort(child, decom, year) -> None:
    from cppanalytics.care.episodes import _order

    child = np.array(child, dtype=np.int64)
    decom = pd.to_datetime(pd.Series(decom, dtype=object), format="ISO8601")
    decom = decom.to_numpy(dtype="datetime64[ns]")
    year = np.array(year, dtype="float64")
    plain = np.lexsort((np.arange(len(child)), year, decom, child))
    assert _order(child, decom, year).tolist() == plain.tolist()


def _shared_objects(n: int, distinct: int) -> np.ndarray:
    """``n`` rows sharing ``distinct`` string objects, plus the same texts in objects of
    their own, blanks of every kind and non-ASCII text."""
    pool = np.array(["".join(["c", str(i)]) for i in range(distinct)] + ["Zé", "é"], dtype=object)
    rows = pool[np.random.default_rng(5).integers(0, len(pool), n)]
    rows[::7] = np.array(["".join(["c", str(i % distinct)]) for i in range(len(rows[::7]))])
    rows[3::11] = None
    rows[5::13] = pd.NA
    rows[6::17] = np.nan
    return rows


@pytest.mark.parametrize(
    ("n", "distinct"), [(30_000, 40), (30_000, 29_000), (12, 3), (1, 1), (0, 1)]
)
@pytest.mark.parametrize("dtype", [object, "string"])
def test_sorted_codes_of_shared_objects_order_as_pandas_sorts(n, distinct, dtype) -> None:
    from cppanalytics.care.episodes import sorted_codes

    values = pd.Series(_shared_objects(n, distinct), dtype=dtype)
    expected = pd.factorize(values, sort=True)[0]
    assert sorted_codes(values).tolist() == expected.tolist()


def _plain_latest(table: pd.DataFrame, key: str = "CHILD") -> pd.DataFrame:
    """latest_rows by its definition: sorted by year (missing first) then row, the last
    row of each key kept, rows with no key dropped."""
    if table.empty:
        return table.copy()
    out = table.assign(_order=range(len(table)))
    if "YEAR" in table:
        year = pd.to_numeric(table["YEAR"], errors="coerce").fillna(-1).to_numpy()
        out = out.assign(_year=year).sort_values(["_year", "_order"], kind="stable")
    out = out[out[key].notna()].drop_duplicates(key, keep="last")
    return out.drop(columns=[c for c in ("_order", "_year") if c in out]).reset_index(drop=True)


def _latest_cases() -> dict[str, pd.DataFrame]:
    rng = np.random.default_rng(7)
    ids = _shared_objects(25_000, 3_000)
    return {
        "years": pd.DataFrame(
            {
                "CHILD": pd.Series(
                    ["b", "a", "b", None, "é", "a", "b", "".join(["é"])], dtype="string"
                ),
                "SEX": ["1", "2", "2", "1", "1", "1", "9", "2"],
                "YEAR": pd.array([2024, 2023, 2022, 2024, None, 2023, 2024, 2021], dtype="Int64"),
            }
        ),
        "no year column": pd.DataFrame({"CHILD": ["x", "y", "x"], "DUC": [1, 2, 3]}),
        "years in order": pd.DataFrame(  # as the loader stacks them: no sort needed
            {
                "CHILD": pd.Series(["a", "b", None, "a", "c", "b", "a"], dtype="string"),
                "DUC": range(7),
                "YEAR": pd.array([None, 2022, 2022, 2023, 2023, 2024, 2024], dtype="Int64"),
            }
        ),
        "one row": pd.DataFrame({"CHILD": ["x"], "YEAR": pd.array([2024], dtype="Int64")}),
        "all keys missing": pd.DataFrame(
            {"CHILD": pd.Series([None, None], dtype="string"), "YEAR": [1, 2]}
        ),
        "empty": pd.DataFrame(
            {"CHILD": pd.Series([], dtype="string"), "YEAR": pd.array([], dtype="Int64")}
        ),
        "shared objects": pd.DataFrame(
            {
                "CHILD": pd.Series(ids, dtype=object),
                "n": np.arange(len(ids)),
                "YEAR": pd.array(rng.integers(2019, 2025, len(ids)), dtype="Int64"),
            }
        ),
    }


@pytest.mark.parametrize("name", list(_latest_cases()))
def test_latest_rows_are_the_plain_definition(name: str) -> None:
    from cppanalytics.care.cohorts import latest_rows

    table = _latest_cases()[name]
    pd.testing.assert_frame_equal(latest_rows(table), _plain_latest(table))


@pytest.mark.parametrize("name", list(_latest_cases()))
def test_latest_rows_from_given_codes_are_the_plain_definition(name: str) -> None:
    """Key codes handed over (equal exactly when the keys are, -1 for none; gaps between
    them allowed) pick the rows the plain definition does, in its order."""
    from cppanalytics.care.cohorts import latest_rows

    table = _latest_cases()[name]
    codes = pd.factorize(table["CHILD"])[0]
    for given in (codes, np.where(codes < 0, -1, codes * 5 + 2)):
        got = latest_rows(table, codes=given)
        pd.testing.assert_frame_equal(got, _plain_latest(table), check_exact=True)
    if len(table):
        with pytest.raises(ValueError, match="codes"):
            latest_rows(table, codes=codes[1:])


_KEY_VALUES = ["b", None, "a", np.nan, "b", "".join(["a"]), pd.NA, "é", "", "b"]


@pytest.mark.parametrize("dtype", ["string", "str", object, "string[pyarrow]"])
@pytest.mark.parametrize("order", ["rows", "reversed", "shuffled"])
def test_last_present_is_the_plain_definition(dtype: object, order: str) -> None:
    from cppanalytics.care.cohorts import last_present
    from cppanalytics.string_storage import python_strings

    with python_strings():
        keys = pd.Series(_KEY_VALUES * 3, dtype=dtype)  # type: ignore[call-overload]
    n = len(keys)
    pos = {
        "rows": np.arange(n),
        "reversed": np.arange(n)[::-1].copy(),
        "shuffled": np.random.default_rng(3).permutation(n),
    }[order]
    taken = keys.take(pos)
    expected = ~taken.duplicated(keep="last").to_numpy(dtype=bool) & taken.notna().to_numpy(
        dtype=bool
    )
    assert last_present(keys, pos).tolist() == expected.tolist()


def test_last_present_on_shared_and_missing_only_keys() -> None:
    from cppanalytics.care.cohorts import last_present
    from cppanalytics.string_storage import python_strings

    with python_strings():
        shared = pd.Series(_shared_objects(20_000, 700), dtype="string")
        missing = pd.Series([None, np.nan, pd.NA], dtype="string")
    pos = np.random.default_rng(5).permutation(len(shared))
    taken = shared.take(pos)
    expected = ~taken.duplicated(keep="last").to_numpy(dtype=bool) & taken.notna().to_numpy(
        dtype=bool
    )
    assert last_present(shared, pos).tolist() == expected.tolist()
    assert 0 < expected.sum() < len(expected)
    assert last_present(missing, np.arange(3)).tolist() == [False, False, False]
    assert last_present(missing.iloc[:0], np.arange(0)).tolist() == []


def test_latest_rows_by_hand() -> None:
    from cppanalytics.care.cohorts import latest_rows

    got = latest_rows(_latest_cases()["years"])
    # é (two objects): the 2021 row, as a missing year sorts first; b: the later 2024 row
    assert got["CHILD"].tolist() == ["é", "a", "b"]
    assert got["SEX"].tolist() == ["2", "1", "9"]


def test_child_runs_numbered_while_cleaning_are_the_runs_of_child() -> None:
    from cppanalytics.care.cohorts import child_runs
    from cppanalytics.care.episodes import clean_episodes, clean_episodes_coded
    from cppanalytics.care.prepared import prepare_care
    from tests.care.build import dataset, ep

    data = dataset(
        [
            ep("b", "01/01/2023", "01/02/2023", "X1"),
            ep("a", "01/01/2023"),
            ep("b", "01/02/2023"),
            ep("", "01/03/2023"),  # no CHILD: set aside
            ep("c", ""),  # no DECOM: set aside
            ep("d", "01/01/2023", ls="V3"),  # short breaks only
            ep("é", "01/01/2022"),
            ep("b", "01/02/2023"),  # duplicate start
            ep("".join(["a"]), "01/06/2023"),  # the same text in another object
        ]
    )
    out, findings, runs = clean_episodes_coded(data.episodes)
    plain_out, plain_findings = clean_episodes(data.episodes)
    pd.testing.assert_frame_equal(out, plain_out)
    pd.testing.assert_frame_equal(findings, plain_findings)
    assert out["CHILD"].tolist() == ["a", "a", "b", "b", "é"]
    assert runs.tolist() == child_runs(out["CHILD"]).tolist() == [0, 0, 1, 1, 2]
    care = prepare_care(data)
    assert care.child_runs.tolist() == child_runs(care.episodes["CHILD"]).tolist()
    _, _, none = clean_episodes_coded(data.episodes.iloc[:0])
    assert none.tolist() == []


@pytest.mark.parametrize("name", list(SORT_CASES))
def test_text_ranks_are_the_sorted_distinct_places(name: str) -> None:
    import pyarrow as pa

    from cppanalytics.care.episodes import _text_ranks

    values = SORT_CASES[name] + SORT_CASES[name][::-1]  # every value twice
    plain = pd.factorize(pd.Series(values, dtype=object), sort=True)[0]
    assert _text_ranks(pa.array(values, type=pa.string())).tolist() == plain.tolist()


def test_periods_join_on_x1_exactly_as_text_equality_says() -> None:
    from cppanalytics.care.periods import add_periods

    n = 12
    decom = pd.date_range("2023-01-01", periods=n, freq="D")
    rec = ["X1", "".join(["X", "1"]), None, "x1", " X1", "E4A", "X1", pd.NA, "X1", "Ẋ1", "X1", None]
    eps = pd.DataFrame(
        {
            "CHILD": ["a"] * 6 + ["b"] * 6,
            "DECOM": decom,
            "DEC_eff": [*decom[1:], pd.NaT],
            "REC_eff": pd.Series(rec, dtype="string"),
            "next_DECOM": [*decom[1:6], pd.NaT, *decom[7:], pd.NaT],
        }
    )
    out, _ = add_periods(eps)
    # the plain definition: a row joins the next when it is X1, closed, and the child's
    # next episode starts that day
    x1 = [isinstance(v, str) and v == "X1" for v in rec]
    joins = [x1[i] and eps["next_DECOM"][i] == eps["DEC_eff"][i] for i in range(n)]
    new = [i == 0 or eps["CHILD"][i] != eps["CHILD"][i - 1] or not joins[i - 1] for i in range(n)]
    assert out["period_id"].tolist() == (np.cumsum(new) - 1).tolist()


@pytest.mark.parametrize("seed", range(4))
def test_held_positions_are_the_last_non_temporary_row_of_the_period(seed: int) -> None:
    from cppanalytics.care.placements import temporary_structure

    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 40))
    period = np.sort(rng.integers(0, 5, n))
    place = rng.choice(["T1", "U4", "T0", "K2"], n)
    eps = pd.DataFrame(
        {
            "period_id": period,
            "PLACE": pd.Series(place, dtype="string"),
            "PL_POST": pd.Series([None] * n, dtype="string"),
            "URN": pd.Series([None] * n, dtype="string"),
        }
    )
    got = temporary_structure(eps)["held_pos"].tolist()
    # the plain definition: walk back within the period to the last non-temporary row
    plain = []
    for i in range(n):
        j = i
        while j >= 0 and period[j] == period[i] and place[j].startswith("T"):
            j -= 1
        plain.append(j if j >= 0 and period[j] == period[i] else -1)
    assert got == plain


@pytest.mark.parametrize("ids", [[0, 0, 1, 2, 2, 2], [3, 3, 1, 1, 3], [5], []])
def test_periods_table_takes_each_periods_first_episode(ids) -> None:
    from cppanalytics.care.periods import periods_table

    n = len(ids)
    eps = pd.DataFrame(
        {
            "period_id": np.array(ids, dtype=np.int64),
            "CHILD": [f"c{i}" for i in range(n)],
            "period_start": pd.date_range("2023-01-01", periods=n),
            "period_end": pd.date_range("2024-01-01", periods=n),
            "period_exit": np.ones(n, dtype=bool),
            "period_exit_rec": pd.Series(["E4A"] * n, dtype="string"),
            "period_after_break": np.zeros(n, dtype=bool),
        }
    )
    got = periods_table(eps)
    first = ~pd.Series(ids, dtype="int64").duplicated(keep="first")  # the plain definition
    assert got["CHILD"].tolist() == eps.loc[first.to_numpy(), "CHILD"].tolist()


def _take_frames() -> dict[str, pd.DataFrame]:
    text = ["b", None, "a", "", "é"]
    return {
        "mixed": pd.DataFrame(
            {
                "object": pd.Series(text, dtype=object),
                "all_na_object": pd.Series([pd.NA] * 5, dtype=object),
                "python": pd.Series(text, dtype=pd.StringDtype("python")),
                "pyarrow": pd.Series(text, dtype=pd.StringDtype("pyarrow")),
                "str": pd.Series(text, dtype="str"),
                "int": pd.Series([1, None, 3, 4, 5], dtype="Int64"),
                "float": pd.Series([1.5, None, 3, 4, 5], dtype="Float64"),
                "numpy_int": np.arange(5),
                "when": pd.to_datetime(["2024-02-29", None, "2023-01-01", None, "2025-03-31"]),
                "flag": [True, False, True, False, True],
                "category": pd.Categorical(["x", None, "y", "x", "y"]),
            },
            index=[10, 4, 7, 1, 0],  # not a RangeIndex: the result's is fresh
        ),
        "one_row": pd.DataFrame({"CHILD": pd.Series(["1"], dtype="string"), "n": [2]}),
        "empty": pd.DataFrame(
            {"CHILD": pd.Series([], dtype="string"), "DECOM": pd.to_datetime([])}
        ),
        "no_columns": pd.DataFrame(index=range(3)),
    }


@pytest.mark.parametrize("name", list(_take_frames()))
def test_take_rows_is_take_then_fresh_index(name: str) -> None:
    from cppanalytics.care.episodes import take_rows

    frame = _take_frames()[name]
    n = len(frame)
    for pos in (
        np.arange(n)[::-1],
        np.zeros(0, dtype=np.int64),
        np.repeat(np.arange(n), 2),
        np.random.default_rng(1).permutation(n),
    ):
        plain = frame.take(pos).reset_index(drop=True)
        fast = take_rows(frame, pos)
        pd.testing.assert_frame_equal(fast, plain, check_exact=True, check_index_type=True)
        assert fast.columns.equals(plain.columns) and fast.dtypes.equals(plain.dtypes)
        assert isinstance(fast.index, pd.RangeIndex)


@pytest.mark.parametrize("name", list(CASES))
def test_placement_key_codes_renumbered_before_overflow(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Columns with more distinct values than int64 could combine (hostile files; here the
    limit is lowered) are renumbered on the way: the same partition as the text key."""
    from cppanalytics.care import placements

    renumbered: list[int] = []

    def counted(values: np.ndarray) -> tuple[np.ndarray, int]:
        renumbered.append(len(values))
        return real(values)

    real = placements._codes
    monkeypatch.setattr(placements, "KEY_SPAN_LIMIT", 2)
    monkeypatch.setattr(placements, "_codes", counted)
    frame = pd.DataFrame({c: pd.Series(v, dtype="string") for c, v in CASES[name].items()})
    codes = placement_key_codes(frame)
    assert _same_partition(codes, placement_key(frame))
    if frame.notna().to_numpy().any() and "|" not in "".join(map(str, CASES[name].values())):
        assert renumbered  # the renumbering was taken


@pytest.mark.parametrize("dtype", ["string", "str", object, "string[pyarrow]"])
def test_missing_text_is_isna(dtype: object) -> None:
    from cppanalytics.care.episodes import missing_text
    from cppanalytics.string_storage import python_strings

    with python_strings():
        values = pd.Series(_shared_objects(20_000, 50), dtype=dtype)  # type: ignore[call-overload]
        masked = values.mask(np.arange(len(values)) % 5 == 0, "X1")
        cases = [values, masked, values.iloc[3:40], values.iloc[::3], values.iloc[:0]]
    for case in cases:
        assert missing_text(case).tolist() == case.isna().to_numpy(dtype=bool).tolist()
    assert 0 < missing_text(values).sum() < len(values)


def test_missing_rec_repaired_by_hand() -> None:
    from cppanalytics.care.episodes import clean_episodes

    eps = pd.DataFrame(
        {
            "CHILD": ["1", "1", "2", "3"],
            "DECOM": pd.to_datetime(["2023-01-01", "2023-02-01", "2023-01-01", "2023-01-01"]),
            "DEC": pd.to_datetime(["2023-02-01", None, "2023-03-01", "2023-03-01"]),
            "REC": pd.Series([None, None, None, ""], dtype="string"),
            "LS": ["C2"] * 4,
        }
    )
    out, findings = clean_episodes(eps)
    # a same-day next episode joins (X1), none leaves an unknown reason; "" is not missing
    assert out["REC_eff"].tolist() == ["X1", pd.NA, pd.NA, ""]
    assert findings["code"].tolist() == ["episode_rec_missing"] * 2


def _plain_exit_recs(rec: pd.Series, last_pos: np.ndarray, exit_: np.ndarray, ids: np.ndarray):
    """Each row's period's exit REC by its definition (as built before one take)."""
    exit_rec = pd.Series(rec.to_numpy()[last_pos], dtype="string").where(pd.Series(exit_))
    return pd.Series(exit_rec.array.take(ids), index=rec.index).astype("string")


@pytest.mark.parametrize("dtype", ["string", "str", object, "string[pyarrow]"])
def test_exit_recs_are_the_plain_definition(dtype: object) -> None:
    from cppanalytics.care.periods import _exit_recs
    from cppanalytics.string_storage import python_strings

    with python_strings():
        rec = pd.Series(
            ["X1", None, "E4A", "E11", "", None, "E13", "X1"],
            dtype=dtype,  # type: ignore[call-overload]
            index=[10, 11, 12, 13, 14, 15, 16, 17],
        )
        ids = np.array([0, 0, 1, 1, 2, 3, 3, 4])
        last_pos = np.array([1, 3, 4, 6, 7])
        exit_ = np.array([True, True, False, True, False])
        got = _exit_recs(rec, rec.to_numpy()[last_pos], last_pos, exit_, ids)
        expected = _plain_exit_recs(rec, last_pos, exit_, ids)
    pd.testing.assert_series_equal(got, expected)
    assert got.tolist()[2:4] == ["E11", "E11"]


def test_period_exit_rec_by_hand() -> None:
    from cppanalytics.care.episodes import clean_episodes
    from cppanalytics.care.periods import add_periods

    raw = pd.DataFrame(
        {
            "CHILD": ["1", "1", "1", "2", "3"],
            "DECOM": pd.to_datetime(
                ["2023-01-01", "2023-02-01", "2023-05-01", "2023-01-01", "2024-03-31"]
            ),
            "DEC": pd.to_datetime(["2023-02-01", "2023-03-01", None, "2023-06-01", "2025-03-31"]),
            "REC": pd.Series(["X1", "E4A", None, "X1", "E11"], dtype="string"),
            "LS": ["C2"] * 5,
        }
    )
    out, findings = add_periods(clean_episodes(raw)[0])
    # a same-day X1 chain ends in E4A; the open period has none; a broken X1 chain no exit;
    # an episode ending on a period end exits
    assert out["period_exit_rec"].tolist() == ["E4A", "E4A", pd.NA, pd.NA, "E11"]
    assert str(out["period_exit_rec"].dtype) == "string"
    assert findings["code"].tolist() == ["x1_chain_broken"]


@pytest.mark.parametrize(
    "year",
    [
        pd.Series([2024, None, 2019, 2025], dtype="Int64"),
        pd.Series([2024.0, np.nan, 2019.0, 2025.5], dtype="float64"),
        pd.Series([2024.0, None, 2019.0], dtype="Float64"),
        pd.Series([2024, 2019], dtype="int64"),
        pd.Series([2024, 2019], dtype="Int32"),
        pd.Series([pd.NA, pd.NA], dtype=object),
        pd.Series([], dtype="Int64"),
    ],
)
def test_collection_years_are_the_plain_definition(year: pd.Series) -> None:
    from cppanalytics.care.episodes import collection_years

    expected = year.astype("Float64").fillna(-1).to_numpy()
    got = collection_years(year)
    assert got.dtype == expected.dtype
    np.testing.assert_array_equal(got, expected)


@pytest.mark.parametrize(
    "addresses",
    [
        [],
        [5],
        [7, 7, 3, 7, 3, 3],
        [1, 2, 3, 4],
        [9, 9, 9, 9],
        list(np.repeat(np.random.default_rng(2).integers(0, 50, 400), 3)),  # runs
        list(np.random.default_rng(3).integers(0, 5, 300)),  # few runs of length > 1
    ],
)
def test_address_codes_are_factorize(addresses) -> None:
    from cppanalytics.care.episodes import address_codes

    values = np.array(addresses, dtype=np.int64)
    codes, rows = address_codes(values)
    expected, uniques = pd.factorize(values)
    assert codes.dtype == np.int64
    assert codes.tolist() == expected.tolist()
    assert values[rows].tolist() == uniques.tolist()


def test_sorted_codes_of_sorted_runs_order_as_pandas_sorts() -> None:
    """Rows in runs of one shared object (as a loaded table sorted by CHILD holds them),
    several blocks of them, and the same texts in objects of their own."""
    from cppanalytics.care.episodes import sorted_codes

    pool = np.array(["".join(["c", str(i)]) for i in range(300)] + ["é", "Zé"], dtype=object)
    block = np.sort(pool[np.random.default_rng(8).integers(0, len(pool), 12_000)])
    rows = np.concatenate([block, block[::-1], block])
    rows[::9] = np.array(["".join(["c", str(i % 300)]) for i in range(len(rows[::9]))])
    rows[4::23] = None
    values = pd.Series(rows, dtype="string")
    expected = pd.factorize(values, sort=True)[0]
    assert sorted_codes(values).tolist() == expected.tolist()


_TEXT_ROWS = ["b", None, "a", "b", "".join(["a"]), "é", ""]


@pytest.mark.parametrize("storage", ["python", "pyarrow"])
@pytest.mark.parametrize("dtype", ["string", "str", object, pd.StringDtype("python")])
@pytest.mark.parametrize("pos", [[0, 2, 3], [1, 1], [], [6, 5, 4, 3, 2, 1, 0], [1, 0, 1]], ids=str)
def test_text_rows_are_the_inferred_column(storage: str, dtype: object, pos: list[int]) -> None:
    from cppanalytics.care.episodes import text_rows

    with pd.option_context("mode.string_storage", storage):
        values = pd.Series(_TEXT_ROWS, dtype=dtype)  # type: ignore[call-overload]
        at = np.array(pos, dtype=np.int64)
        got = pd.DataFrame({"x": text_rows(values, at)})["x"]
        plain = pd.DataFrame({"x": values.to_numpy()[at]})["x"]
    pd.testing.assert_series_equal(got, plain, check_exact=True)
    assert type(got.array) is type(plain.array)
    assert repr(got.dtype) == repr(plain.dtype)


def test_text_rows_leave_the_source_untouched() -> None:
    from cppanalytics.care.episodes import text_rows
    from cppanalytics.string_storage import python_strings

    with python_strings():
        values = pd.Series(["a", None, "b"], dtype="string")
        col = text_rows(values, np.array([1, 0, 1]))
    assert list(pd.Series(col).isna()) == [True, False, True]
    assert values.isna().tolist() == [False, True, False]
    assert values.array[1] is pd.NA


def _plain_ends(out: pd.DataFrame) -> dict[str, object]:
    """The effective ends of sorted, cleaned episodes by their definition (pandas on the
    raw CHILD, DECOM, DEC, REC): DEC before DECOM is DECOM, an overlap ends (X1) on the
    next episode's DECOM, a closed episode with no REC joins (X1) an episode starting that
    day; REC_eff only where the episode is closed."""
    child, decom = out["CHILD"], out["DECOM"]
    dec = out["DEC"].copy()
    backwards = dec.notna() & (dec < decom)
    dec = dec.mask(backwards, decom)
    next_decom = decom.shift(-1).where(child.shift(-1) == child)
    overlap = next_decom.notna() & (dec.isna() | (dec > next_decom))
    dec = dec.mask(overlap, next_decom)
    rec = out["REC"].astype("string").mask(overlap, "X1")
    no_rec = dec.notna() & rec.isna()
    rec = rec.mask(no_rec & (next_decom == dec), "X1")
    return {
        "DEC_eff": dec.astype("datetime64[ns]"),
        "REC_eff": rec.where(dec.notna()),
        "next_DECOM": next_decom.astype("datetime64[ns]"),
        "episode_dec_before_decom": int(backwards.sum()),
        "episodes_overlap": int(overlap.sum()),
        "episode_rec_missing": int(no_rec.sum()),
    }


def _ends_cases() -> dict[str, list[dict]]:
    from tests.care.build import ep

    return {
        "same-day chain and exit": [
            ep("a", "01/01/2023", "01/02/2023", "X1"),
            ep("a", "01/02/2023", "01/03/2023", "X1"),
            ep("a", "01/03/2023", "01/04/2023", "E4A"),
        ],
        "re-entry the day after and the same day": [
            ep("a", "01/01/2023", "01/02/2023", "E4A"),
            ep("a", "02/02/2023", "01/03/2023", "E13"),
            ep("a", "01/03/2023"),
        ],
        "overlaps (closed and open) and DEC before DECOM": [
            ep("a", "01/01/2023", "15/02/2023", "E4A"),
            ep("a", "01/02/2023"),  # open, overlapped by the next
            ep("a", "01/03/2023", "01/01/2023", "E11"),  # ends before it starts
            ep("b", "01/01/2023", "01/06/2023", "X1"),
        ],
        "missing REC: joined, left, and an open episode with a REC": [
            ep("a", "01/01/2023", "01/02/2023"),  # joins the next (X1)
            ep("a", "01/02/2023", "01/03/2023"),  # leaves, reason unknown
            ep("b", "01/01/2023", "", "E4A"),  # open but with a REC
            ep("c", "01/01/2023", "01/02/2023", "X1"),  # broken chain: no next episode
        ],
        "short breaks, missing CHILD and DECOM, duplicates": [
            ep("a", "01/01/2023", "01/02/2023", "X1", ls="V3"),
            ep("a", "01/02/2023", "01/03/2023", "X1"),
            ep("a", "01/03/2023", ls="V4"),
            ep("", "01/03/2023", "01/04/2023", "E4A"),
            ep("b", "", "01/04/2023", "E4A"),
            ep("b", "01/01/2023", "01/04/2023", "E4A"),
            ep("b", "01/01/2023", "01/05/2023"),  # the same start again
        ],
        "temporary placement and adoption by the foster carers": [
            ep("a", "01/01/2023", "01/02/2023", "X1", place="U4"),
            ep("a", "01/02/2023", "10/02/2023", "X1", place="T1", rne="P"),
            ep("a", "10/02/2023", "01/06/2023", "X1", place="U4", rne="P"),
            ep("a", "01/06/2023", "01/09/2023", "E11", place="A3", rne="T", ls="E1"),
        ],
        "only short breaks": [ep("a", "01/01/2023", "02/01/2023", "E4A", ls="V3")],
        "none": [],
    }


@pytest.mark.parametrize("name", list(_ends_cases()))
@pytest.mark.parametrize("resolution", ["ns", "s"])
def test_effective_ends_are_the_plain_definition(name: str, resolution: str) -> None:
    from cppanalytics.care.episodes import clean_episodes
    from tests.care.build import dataset, ep

    rows = _ends_cases()[name]
    episodes = dataset(rows or [ep("z", "")]).episodes.iloc[: len(rows)]
    episodes = episodes.astype({"DECOM": f"datetime64[{resolution}]"})
    episodes = episodes.astype({"DEC": f"datetime64[{resolution}]"})
    out, findings = clean_episodes(episodes)
    plain = _plain_ends(out)
    for col in ("DEC_eff", "REC_eff", "next_DECOM"):
        pd.testing.assert_series_equal(out[col], plain[col], check_names=False, check_exact=True)
    codes = findings["code"].value_counts() if len(findings) else pd.Series(dtype=int)
    for code in ("episode_dec_before_decom", "episodes_overlap", "episode_rec_missing"):
        assert int(codes.get(code, 0)) == plain[code], code


def test_effective_ends_share_unchanged_columns() -> None:
    """With nothing repaired, DEC_eff holds DEC's dates and REC_eff REC's texts."""
    from cppanalytics.care.episodes import clean_episodes
    from cppanalytics.string_storage import python_strings
    from tests.care.build import dataset

    with python_strings():
        out, findings = clean_episodes(dataset(_ends_cases()["same-day chain and exit"]).episodes)
    assert len(findings) == 0
    pd.testing.assert_series_equal(out["DEC_eff"], out["DEC"], check_names=False)
    pd.testing.assert_series_equal(out["REC_eff"], out["REC"], check_names=False)


def test_next_in_run_is_shift_where() -> None:
    from cppanalytics.care.episodes import next_in_run

    days = pd.to_datetime(["2023-01-01", "2023-02-01", None, "2023-03-01", "2023-04-01"])
    values = days.to_numpy(dtype="datetime64[ns]")
    for runs in ([0, 0, 0, 1, 1], [0, 1, 2, 3, 4], [3, 3, 3, 3, 3]):
        plain = pd.Series(values).shift(-1).where(pd.Series(runs).shift(-1) == pd.Series(runs))
        got = next_in_run(values, np.array(runs))
        assert got.dtype == np.dtype("datetime64[ns]")
        pd.testing.assert_series_equal(pd.Series(got), plain.astype("datetime64[ns]"))
    assert next_in_run(values[:1], np.array([0])).tolist() == [None]
    assert len(next_in_run(values[:0], np.array([], dtype=np.int64))) == 0


def test_clean_episodes_with_given_child_codes_is_clean_episodes() -> None:
    """Codes handed over (any that sort and compare as CHILD does: gaps between them, a
    code no row uses) give what cleaning works out from the text."""
    from cppanalytics.care.episodes import clean_episodes_coded, sorted_codes
    from tests.care.build import dataset

    rows = [r for case in _ends_cases().values() for r in case]
    episodes = dataset(rows).episodes.sample(frac=1.0, random_state=4).reset_index(drop=True)
    plain_out, plain_findings, plain_runs = clean_episodes_coded(episodes)
    ranks = sorted_codes(episodes["CHILD"])
    for given in (ranks, np.where(ranks < 0, -1, ranks * 7 + 3)):
        out, findings, runs = clean_episodes_coded(episodes, given)
        pd.testing.assert_frame_equal(out, plain_out, check_exact=True)
        pd.testing.assert_frame_equal(findings, plain_findings, check_exact=True)
        assert runs.tolist() == plain_runs.tolist()
    with pytest.raises(ValueError, match="child_codes"):
        clean_episodes_coded(episodes, ranks[1:])


@pytest.mark.parametrize("provenance", [True, False])
def test_broken_chain_findings_are_those_of_the_whole_rows(provenance: bool) -> None:
    """x1_chain_broken findings made from CHILD and provenance only are those made from
    every column of the broken rows (the plain definition)."""
    from cppanalytics.care.episodes import _finding_frame, clean_episodes
    from cppanalytics.care.periods import add_periods
    from tests.care.build import dataset, ep

    episodes = dataset(
        [
            ep("a", "01/01/2023", "01/02/2023", "X1"),  # no episode that day: broken
            ep("a", "05/02/2023", "01/03/2023", "X1"),
            ep("a", "01/03/2023", "01/04/2023", "X1"),  # last of the child: broken
            ep("b", "01/01/2023", "01/02/2023", "X1"),
            ep("b", "01/02/2023"),
            ep("c", "01/01/2023", "01/02/2023", "E4A"),
        ]
    ).episodes
    if provenance:
        episodes = episodes.assign(
            source_file="episodes.csv", source_row=pd.array(range(6), dtype="Int64")
        )
    out, findings = add_periods(clean_episodes(episodes)[0])
    is_x1 = (out["REC_eff"] == "X1").fillna(False)
    broken = (is_x1 & ~(out["next_DECOM"] == out["DEC_eff"])).to_numpy(dtype=bool)
    plain = _finding_frame(
        out[broken],
        "warning",
        "x1_chain_broken",
        "REC",
        findings["message"].iloc[0],
        findings["fix"].iloc[0],
        "loaded",
        out.loc[broken, "DEC_eff"],
    )
    assert len(findings) == 2
    pd.testing.assert_frame_equal(findings, plain, check_exact=True)
    empty = add_periods(clean_episodes(episodes.iloc[3:])[0])[1]
    pd.testing.assert_frame_equal(empty, plain.iloc[:0].reset_index(drop=True), check_exact=True)
