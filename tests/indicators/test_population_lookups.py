"""Population look-ups asked at every period end, made once or on numbers, against their
plain definitions: the population row for a period end (exact year, an earlier year, none,
rows out of order, a repeated year, an extra column, float and text years, a missing
population), a breakdown's labels placed in its groups, and which distinct codes are known
(missing, unknown, padded, upper/lower case)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cppanalytics.indicators.catalogue import BREAKDOWN_GROUPS
from cppanalytics.indicators.context import Context
from cppanalytics.indicators.population import (
    _group_index,
    _known_codes,
    _label_groups,
    _population_for_rows,
    population_for,
)
from tests.care.build import dataset, ep

ENDS = ["2021-03-31", "2022-03-31", "2023-06-30", "2024-03-31", "2030-03-31"]

FRAMES = {
    "sorted": pd.DataFrame({"year": [2021, 2022], "population": [50000.0, 51000.0]}),
    "out of order": pd.DataFrame(
        {"year": [2022, 2019, 2021], "population": [51000.0, 49000.0, 50000.0]}
    ),
    "repeated year": pd.DataFrame({"year": [2021, 2021, 2020], "population": [1.0, 2.0, 3.0]}),
    "la column": pd.DataFrame(
        {"year": [2021, 2022], "population": [5.0, 6.0], "la_code": ["E1", "E1"]}
    ),
    "float years": pd.DataFrame({"year": [2021.0, np.nan], "population": [5.0, 6.0]}),
    "text years": pd.DataFrame({"year": ["2021", "2022"], "population": [5.0, 6.0]}),
    "nullable years": pd.DataFrame(
        {"year": pd.array([2021, 2022], dtype="Int64"), "population": [5.0, 6.0]}
    ),
    "missing population": pd.DataFrame({"year": [2021, 2022], "population": [np.nan, 6.0]}),
    "integer population": pd.DataFrame({"year": [2021, 2022], "population": [5, 6]}),
    "one row": pd.DataFrame({"year": [2023], "population": [7.0]}),
}


def _same(a: tuple[float, str], b: tuple[float, str]) -> bool:
    return a[1] == b[1] and (a[0] == b[0] or (np.isnan(a[0]) and np.isnan(b[0])))


@pytest.mark.parametrize("name", list(FRAMES))
@pytest.mark.parametrize("end", ENDS)
def test_population_for_is_the_rows_definition(name: str, end: str) -> None:
    frame = FRAMES[name]
    d = pd.Timestamp(end)
    year = d.year if d.month >= 4 else d.year - 1
    try:
        want = _population_for_rows(frame, year)
    except TypeError:  # text years cannot be ordered against a year: refused either way
        with pytest.raises(TypeError):
            population_for(frame, d)
        return
    got = population_for(frame, d)
    assert _same(got, want), (got, name, end)
    assert type(got[0]) is float


def test_population_for_without_rows() -> None:
    d = pd.Timestamp("2024-03-31")
    for frame in (None, pd.DataFrame({"year": [], "population": []})):
        value, note = population_for(frame, d)
        assert np.isnan(value) and note == "no population data supplied"


@pytest.mark.parametrize(
    "labels",
    [
        ("male", "female", "unknown"),
        ("female", "x", "male", None),
        (),
        ("unknown", "unknown"),
        ("Male", " male", "male "),
    ],
)
def test_label_groups_is_get_indexer(labels: tuple) -> None:
    groups = tuple(BREAKDOWN_GROUPS["sex"])
    want = pd.Index(list(groups), dtype=object).get_indexer(list(labels))
    got = _label_groups(groups, labels)
    assert got.tolist() == want.tolist()
    assert not got.flags.writeable  # shared between period ends: never written to
    assert _label_groups(groups, labels) is got
    assert _group_index(groups).tolist() == list(groups)


def test_known_codes_is_isin_of_the_distinct_values() -> None:
    data = dataset(
        [
            ep("A", "01/01/2023", provider="PR1"),
            ep("B", "01/01/2023", provider=""),
            ep("C", "01/01/2023", provider="PR9"),
            ep("D", "01/01/2023", provider="pr2"),
            ep("E", "01/01/2023", provider="PR4"),
            ep("F", "01/01/2023", provider="PR1"),
        ]
    )
    ctx = Context(data, "2024-03-31")
    valid = BREAKDOWN_GROUPS["provider"]
    codes, values = ctx.episode_codes("PLACE_PROVIDER")
    got = _known_codes(ctx, "PLACE_PROVIDER", tuple(valid))
    want = values.isin(valid).fillna(False).to_numpy(dtype=bool)
    assert got.tolist() == want.tolist()
    column = ctx.episodes["PLACE_PROVIDER"]
    per_row = column.isin(valid).fillna(False).to_numpy(dtype=bool)
    assert got[codes].tolist() == per_row.tolist()
    assert _known_codes(ctx, "PLACE_PROVIDER", tuple(valid)) is got  # once per run


@pytest.mark.parametrize(
    "end", ["2023-03-31", "2024-02-28", "2024-02-29", "2024-03-31", "2025-03-01"]
)
def test_cla_ages_are_the_cohort_tables_ages(end: str) -> None:
    from tests.indicators.test_population_codes import _mixed

    ctx = Context(_mixed(), end)
    plain = ctx.cla_at()["age"].to_numpy(dtype="float64", na_value=np.nan)
    fresh = Context(_mixed(), end)  # no table built: from the positions only
    np.testing.assert_array_equal(fresh.cla_ages(), plain)
    mask = np.arange(len(plain)) % 2 == 0
    np.testing.assert_array_equal(fresh.cla_ages(mask), plain[mask])
    np.testing.assert_array_equal(fresh.cla_ages(np.flatnonzero(mask)), plain[mask])
    np.testing.assert_array_equal(ctx.cla_ages(np.zeros(len(plain), dtype=bool)), plain[:0])
    assert np.isnan(plain).any() or end == "2023-03-31"  # a child without a DOB is there
