"""Missing-from-care indicators: hand-worked histories through the public entry point.

D = 31/03/2024, ``fytd`` window 01/04/2023-31/03/2024.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from cppanalytics.findings import Findings
from cppanalytics.indicators import compute, missing
from cppanalytics.ssda903.dataset import Dataset
from tests.case_tables.builders import (
    check,
    check_count,
    check_pct,
    check_window,
    dataset,
    ep,
    miss,
    pick,
)

D = "2024-03-31"


def run(ds: Dataset, period_end: str, ids: list[str], **kwargs: Any) -> pd.DataFrame:
    """The public entry point at an ISO period end."""
    return compute(ds, period_end, ids=list(ids), **kwargs)


ALL = list(missing.IDS)


def _main_case() -> tuple[pd.DataFrame, pd.DataFrame]:
    eps = [
        ep("M1", "01/01/2023"),
        ep("M2", "01/01/2022", dec="01/04/2023", rec="E4A"),  # left on window start: during
        ep("M3", "01/06/2023"),
        ep("M4", "01/05/2023"),
        ep("M5", "01/01/2023", ls="V3"),  # short breaks only: not looked after
        ep("M6", "01/01/2023"),
        ep("M7", "01/01/2023"),
    ]
    rows = [
        miss("M1", "M", "05/05/2023", "06/05/2023"),
        miss("M1", "M", "05/05/2023", "06/05/2023"),  # duplicate: counted once
        miss("M1", "M", "01/06/2023"),  # still open
        miss("M1", "A", "01/07/2023", "01/07/2023"),
        miss("M2", "M", "25/03/2023", "02/04/2023"),  # starts before, overlaps the window
        miss("M3", "M", "31/03/2023", "31/03/2023"),  # before care and before the window
        miss("M3", "A", "30/03/2024"),  # open away incident
        miss("M3", "M", "31/03/2024", "31/03/2024"),  # starts on the window end
        miss("M5", "M", "01/08/2023", "02/08/2023"),  # not in care during the window
        miss("M6", "M", "01/04/2024"),  # after the window
        miss("M6", "M", "31/03/2023", "31/03/2023"),  # ends the day before the window
        {**miss("M7", "M", "01/04/2023"), "YEAR": 2023},  # open at 31/03 of 2022-23 ...
        {**miss("M7", "M", "01/04/2023", "03/04/2023"), "YEAR": 2024},  # ... repeated
        miss("M4", "M", ""),  # no start date: cannot be counted
    ]
    f = Findings()
    res = run(dataset(eps, missing=rows), D, ALL, findings=f)
    return res, f.to_frame()


def test_missing_main_case() -> None:
    res, _ = _main_case()
    # looked after during the window: M1 M2 M3 M4 M6 M7 = 6
    # an M incident overlapping the window: M1, M2, M3, M7 (M6's end before / start after)
    check_pct(res, "missing_children_pct", 4, 6)
    # M incidents starting in the window: M1 05/05 (once) and 01/06, M3 31/03/2024,
    # M7 01/04/2023 (once across the two years) = 4
    check_count(res, "missing_incidents", 4)
    # ... by 3 children (M1, M3, M7)
    check(pick(res, "missing_incidents_per_child"), 4, 3, 4 / 3)
    # away: M1 (01/07/2023), M3 (open since 30/03/2024)
    check_pct(res, "away_children_pct", 2, 6)


def test_missing_rows_window_and_units() -> None:
    res, _ = _main_case()
    for ind in ALL:
        check_window(res, ind, "2023-04-01", D)
    units = dict(zip(res["indicator_id"], res["unit"], strict=True))
    assert units == {
        "missing_children_pct": "percent",
        "missing_incidents": "count",
        "missing_incidents_per_child": "ratio",
        "away_children_pct": "percent",
    }


def test_missing_findings() -> None:
    _, f = _main_case()
    own = f[f["table"] == "missing"]
    assert own.query("code == 'missing_duplicate'")["child"].tolist() == ["M1"]
    assert own.query("code == 'missing_start_blank'")["child"].tolist() == ["M4"]
    assert own.query("code == 'missing_child_not_in_care'")["child"].tolist() == ["M5"]
    # the M7 repeat across collection years is normal stitching, not a finding
    assert "M7" not in set(own["child"])


def test_quarter_window_override() -> None:
    # q ending 31/03/2024 = 01/01/2024-31/03/2024: during = M1 M3 M4 M6 M7 (M2 left 01/04/2023)
    # M overlapping: M1 (open since 01/06/2023), M3 (31/03/2024), M7 (open in its 2023 row,
    # but the 2024 row ending 03/04/2023 wins) -> M1, M3
    ds = dataset(
        [ep("M1", "01/01/2023"), ep("M3", "01/06/2023"), ep("M7", "01/01/2023")],
        missing=[
            miss("M1", "M", "01/06/2023"),
            miss("M3", "M", "31/03/2024", "31/03/2024"),
            {**miss("M7", "M", "01/04/2023"), "YEAR": 2023},
            {**miss("M7", "M", "01/04/2023", "03/04/2023"), "YEAR": 2024},
        ],
    )
    res = run(ds, D, ALL, windows={i: "q" for i in ALL})
    check_pct(res, "missing_children_pct", 2, 3)
    check_count(res, "missing_incidents", 1)  # only M3's starts in the quarter
    check(pick(res, "missing_incidents_per_child"), 1, 1, 1.0)
    check_window(res, "missing_children_pct", "2024-01-01", D)


def test_no_incidents_gives_zero_and_empty_ratio() -> None:
    res = run(dataset([ep("A", "01/01/2023")]), D, ALL)
    check_pct(res, "missing_children_pct", 0, 1)
    check_count(res, "missing_incidents", 0)
    check(pick(res, "missing_incidents_per_child"), 0, 0, None)


def test_missing_measures_pure_function() -> None:
    m = pd.DataFrame(
        {
            "CHILD": ["1", "1", "2"],
            "MISSING": ["M", "M", "M"],
            "MIS_START": pd.to_datetime(["2023-03-01", "2023-05-01", "2023-06-01"]),
            "MIS_END": pd.to_datetime([None, "2023-05-02", "2023-06-02"]),
        }
    )
    out = missing.missing_measures(["1"], m, "2023-04-01", "2024-03-31")
    assert out.loc["missing_children_pct", "value"] == 100.0
    assert out.loc["missing_incidents", "numerator"] == 1.0  # child 2 not in the cohort


@pytest.mark.parametrize(
    "dtype", ["string[python]", "string[pyarrow]", "object", "str"], ids=lambda d: str(d)
)
def test_missing_and_equal_text_read_per_object_are_isna_and_eq(dtype: str) -> None:
    from cppanalytics.indicators.missing import text_equals, text_missing

    shared = "M"  # one object in several rows, as the loader gives them
    values = [shared, None, "A", "", "m", " M", shared, "A ", None, "AA", shared]
    for rows in (values, values[:1], values[1:2], []):
        column = pd.Series(rows, dtype=dtype, index=np.arange(len(rows)) * 3 + 1)
        # the plain definitions
        assert text_missing(column).tolist() == column.isna().tolist()
        text = column.astype("string")
        got = text_equals(text, "M", "A", "")
        for want, text_value in zip(got, ("M", "A", ""), strict=True):
            assert want.dtype == bool
            assert want.tolist() == text.eq(text_value).fillna(False).tolist()
    # the missing table's blank rows and incident kinds on every storage
    m = pd.DataFrame(
        {
            "CHILD": pd.Series(["1", None, "2", "3"], dtype=dtype),
            "MISSING": pd.Series(["M", "A", None, "m"], dtype=dtype),
            "MIS_START": pd.to_datetime(["2023-05-01", "2023-05-02", "2023-05-03", None]),
            "MIS_END": pd.to_datetime([None] * 4),
        }
    )
    from cppanalytics.indicators.missing import distinct_incidents, incident_arrays

    found = Findings()
    kept = distinct_incidents(m, found)
    assert kept["CHILD"].astype(object).tolist() == ["1", "2"]
    assert len(found.to_frame()) == 2  # no CHILD; no start
    a = incident_arrays(kept, pd.Index(["1", "2"]))
    assert a.is_m.tolist() == [True, False] and a.is_a.tolist() == [False, False]


def _plain_distinct(m: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series]:
    """distinct_incidents the plain way: rows with CHILD and MIS_START, sorted by YEAR
    (missing first) then file order, the last of each (CHILD, MISSING, MIS_START) kept;
    and which kept rows' positions in ``m``, and the repeats within one year."""
    rows = m.assign(_at=np.arange(len(m)))
    rows = rows[rows["MIS_START"].notna() & rows["CHILD"].notna()]
    rows = rows.sort_values(["YEAR", "_at"], na_position="first", kind="stable")
    dup = rows.duplicated(["CHILD", "MISSING", "MIS_START"], keep="last")
    same_year = dup & rows.duplicated(["CHILD", "MISSING", "MIS_START", "YEAR"], keep="last")
    kept = rows[~dup]
    return kept.drop(columns="_at").reset_index(drop=True), kept["_at"], rows.loc[same_year, "_at"]


def _distinct_cases() -> pd.DataFrame:
    rows = [
        {**miss("A", "M", "05/05/2023", "06/05/2023"), "YEAR": 2024},
        {**miss("A", "M", "05/05/2023", "07/05/2023"), "YEAR": 2024},  # same year: finding
        {**miss("A", "M", "05/05/2023"), "YEAR": 2023},  # an earlier year: not kept
        {**miss("A", "A", "05/05/2023"), "YEAR": 2023},  # another kind: its own incident
        {**miss("B", "M", "31/03/2024"), "YEAR": 2023},  # open across the period end
        {**miss("B", "M", "31/03/2024", "02/04/2024"), "YEAR": 2024},  # ... closed later
        {**miss("B", "M", "31/03/2024", "01/04/2024"), "YEAR": None},  # no year: first
        {**miss("B", "M", "30/03/2024"), "YEAR": None},
        {**miss("C", "M", ""), "YEAR": 2024},  # no start date
        {**miss("", "M", "01/01/2024"), "YEAR": 2024},  # no CHILD
        {**miss("Z", "M", "01/01/2024"), "YEAR": 2024},  # a child with no episode
        {**miss("Z", "M", "01/01/2024"), "YEAR": 2024},
        {**miss("A", "M", "05/05/2023", "06/05/2023"), "YEAR": 2023},  # after a later year
    ]
    eps = [ep("A", "01/01/2023"), ep("B", "01/01/2023", dec="31/03/2024", rec="E4A")]
    return dataset(eps, missing=rows)


@pytest.mark.parametrize("reverse", [False, True])
def test_distinct_rows_with_child_codes_are_the_plain_distinct(reverse: bool) -> None:
    from cppanalytics.indicators.context import Context

    ctx = Context(_distinct_cases(), D)
    m = ctx.data.tables["missing"]
    if reverse:  # years out of file order
        m = m.iloc[::-1].reset_index(drop=True)
    plain, at, same_year = _plain_distinct(m)
    for codes in (None, ctx.child_codes(m["CHILD"], new=True)):
        f = Findings()
        got, got_at = missing.distinct_rows(m, f, codes)
        pd.testing.assert_frame_equal(got, plain)
        assert got_at.tolist() == at.tolist()
        found = f.to_frame()
        dups = found[found["code"] == "missing_duplicate"]
        # A's repeats within 2024 and within 2023, Z's within 2024
        assert dups["child"].tolist() == m["CHILD"].take(same_year).tolist()
        assert sorted(dups["child"]) == ["A", "A", "Z"]
    pd.testing.assert_frame_equal(missing.distinct_incidents(m), plain)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_later_repeats_are_pandas_duplicated(seed: int) -> None:
    rng = np.random.default_rng(seed)
    key = rng.integers(0, 20, 300)
    for year in (np.sort(rng.integers(-1, 4, 300)), rng.integers(-1, 4, 300), np.full(300, -1)):
        with_year = missing._with_codes(key, year)
        dup_key, dup_year = missing._later_repeats(key, year)
        assert dup_key.tolist() == pd.Series(key).duplicated(keep="last").tolist()
        assert dup_year.tolist() == pd.Series(with_year).duplicated(keep="last").tolist()
    empty = np.zeros(0, dtype=np.int64)
    assert [a.tolist() for a in missing._later_repeats(empty, empty)] == [[], []]


def test_incident_children_are_their_codes() -> None:
    from cppanalytics.indicators.context import Context

    ctx = Context(_distinct_cases(), D)
    missing.compute(ctx, set(ALL))
    arrays = ctx.care.cache["missing_incidents"]
    plain = ctx.child_codes(arrays.table()["CHILD"])
    assert arrays.child.tolist() == plain.tolist()
    assert -1 in plain.tolist()  # Z has no episode


@pytest.mark.parametrize(
    "dtype", ["string[python]", "string[pyarrow]", "str", object, pd.StringDtype("python", np.nan)]
)
def test_incident_kinds_are_the_text_as_string(dtype: Any) -> None:
    values = ["M", "A", None, "m", " M", "A ", "", "M", "MA"]
    kinds = pd.Series(values, dtype=dtype)
    if dtype is object:  # not all text: read as text first
        kinds = pd.Series([*values, 1], dtype=object)
    inc = pd.DataFrame(
        {
            "CHILD": ["1"] * len(kinds),
            "MISSING": kinds,
            "MIS_START": pd.Timestamp("2024-01-01"),
            "MIS_END": pd.NaT,
        }
    )
    arrays = missing.incident_arrays(inc, np.zeros(len(inc), dtype=np.int64))
    text = kinds.astype("string")
    assert arrays.is_m.tolist() == text.eq("M").fillna(False).astype(bool).tolist()
    assert arrays.is_a.tolist() == text.eq("A").fillna(False).astype(bool).tolist()
    assert arrays.is_m.sum() == 2 and arrays.is_a.sum() == 1
