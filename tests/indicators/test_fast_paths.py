"""Shared per-run look-ups of the indicator context against the plain definitions, on
hand-built edge cases (blank and unknown codes, a child with no header row, non-ASCII
text, one row, nothing at all)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cppanalytics.care.groups import ethnic_group, legal_status_group, placement_group, sex_group
from cppanalytics.indicators.catalogue import BREAKDOWN_GROUPS
from cppanalytics.indicators.context import Context
from cppanalytics.indicators.location import _pair_keys, _pairs
from cppanalytics.indicators.population import cin_code, provider_code
from cppanalytics.ssda903.dataset import Dataset
from tests.care.build import dataset, ep, hdr

ENDS = ["2023-03-31", "2023-06-30", "2024-03-31", "2024-04-01"]

LABELLERS = [
    ("held_PLACE", placement_group, "placement_group"),
    ("LS", legal_status_group, "legal_status"),
    ("SEX", sex_group, "sex"),
    ("ETHNIC", ethnic_group, "ethnic_group"),
    ("PLACE_PROVIDER", provider_code, "provider"),
    ("CIN", cin_code, "cin"),
]


def _mixed() -> Dataset:
    return dataset(
        [
            ep("A", "01/01/2023", place="U4", provider="", cin="N1"),
            ep("B", "01/02/2023", "01/05/2023", "X1", place="T1", provider="PR9", cin=""),
            ep("B", "01/05/2023", place="K2", rne="P", provider="PR2", cin="N9"),
            ep("C", "01/02/2023", ls="Ü1", place="Zé", provider="unknown", cin="N2"),
            ep("D", "01/06/2022", "01/01/2024", "E4A", place="", provider="PR1"),
            ep("E", "01/02/2024", place="A3", ls="E1", cin="N1"),  # no header row
        ],
        [
            hdr("A", sex="1", dob="01/01/2010", ethnic="WBRI"),
            hdr("B", sex="2", dob="01/03/2015", ethnic=""),
            hdr("C", sex="", dob="01/04/2008", ethnic="ÉTHN"),
            hdr("D", sex="M", dob="01/01/2012", ethnic="BAFR"),
        ],
    )


@pytest.mark.parametrize("data", [_mixed, lambda: dataset([ep("A", "01/01/2023")])])
@pytest.mark.parametrize(("column", "labeller", "breakdown"), LABELLERS)
def test_episode_groups_give_the_labels_of_the_children_looked_after(
    data, column, labeller, breakdown
) -> None:
    base = Context(data(), ENDS[0])
    groups = BREAKDOWN_GROUPS[breakdown]
    for d in ENDS:
        ctx = base.at(d)
        cla = ctx.cla_at()
        codes = ctx.episode_groups(column, labeller, groups)[ctx.cla_at_positions()]
        plain = pd.Index(groups).get_indexer(labeller(cla[column]).to_numpy(dtype=object))
        assert codes.tolist() == plain.tolist(), (d, column)


def test_cla_at_positions_point_at_the_rows_of_cla_at() -> None:
    ctx = Context(_mixed(), "2023-06-30")
    cla, pos = ctx.cla_at(), ctx.cla_at_positions()
    assert len(pos) == len(cla) == 4
    rows = ctx.episodes.iloc[pos]
    assert rows["CHILD"].tolist() == cla["CHILD"].tolist()
    assert rows["DECOM"].tolist() == cla["DECOM"].tolist()


def test_adults_are_left_out_of_positions_too() -> None:
    data = dataset([ep("A", "01/01/2020"), ep("B", "01/01/2020")], [hdr("A", dob="01/01/2005")])
    ctx = Context(data, "2024-03-31")
    assert ctx.cla_at()["CHILD"].tolist() == ["B"]
    assert ctx.episodes.iloc[ctx.cla_at_positions()]["CHILD"].tolist() == ["B"]


def test_empty_dataset_has_no_positions_or_groups() -> None:
    ctx = Context(Dataset(), "2024-03-31")
    assert ctx.cla_at_positions().tolist() == []
    assert ctx.episode_groups("SEX", sex_group, BREAKDOWN_GROUPS["sex"]).tolist() == []


def test_pair_keys_tell_pairs_apart_exactly_as_the_pairs_do() -> None:
    rows = pd.DataFrame(
        {
            "HOME_POST": pd.Series(["MK9 3EJ", None, "", "MK9", "Ñ1 1AA"], dtype="string"),
            "PL_POST": pd.Series(["MK9 3EJ", "MK9 3EJ", "MK9 3EJ", "3EJ", None], dtype="string"),
        }
    )
    pairs = _pairs(rows)
    keys = _pair_keys(pairs)
    for i in range(len(rows)):
        for j in range(len(rows)):
            same_pair = tuple(pairs.iloc[i]) == tuple(pairs.iloc[j])
            assert (keys[i] == keys[j]) == same_pair
    assert isinstance(keys, np.ndarray)


HEALTH_COHORT = pd.DataFrame(
    {
        "CHILD": ["1", "2", "3", "4", "5"],
        "age": pd.array([3, 8, pd.NA, 15, 12], dtype="Int64"),
    }
)
HEALTH_OC2 = {
    "full": pd.DataFrame(
        {
            "CHILD": ["1", "2", "3", "9"],
            "DOB": pd.to_datetime(["2020-05-01", "2015-01-01", "2012-06-30", "2010-01-01"]),
            "SDQ_SCORE": [None, "14", "17.5", "40"],
            "HEALTH_CHECK": ["1", "0", None, "1"],
            "IMMUNISATIONS": ["1", "1", "1", ""],
            "CONVICTED": [None, None, "1", "1"],
        }
    ),
    "no_dob_no_sdq_columns": pd.DataFrame({"CHILD": ["2", "4"], "TEETH_CHECK": ["1", "é"]}),
    "empty": pd.DataFrame({"CHILD": pd.Series([], dtype="string")}),
}


@pytest.mark.parametrize("name", list(HEALTH_OC2))
@pytest.mark.parametrize("cohort_rows", [slice(None), slice(0, 1), slice(0, 0)])
def test_health_counts_on_arrays_equal_the_joined_frame(name, cohort_rows) -> None:
    from cppanalytics.indicators.health import _measures_from_arrays, _oc2_arrays, health_measures

    cohort = HEALTH_COHORT.iloc[cohort_rows].reset_index(drop=True)
    oc2 = HEALTH_OC2[name]
    d = pd.Timestamp("2024-03-31")
    arrays = _oc2_arrays(oc2)
    assert arrays is not None
    pd.testing.assert_frame_equal(
        _measures_from_arrays(cohort, arrays, d), health_measures(cohort, oc2, d)
    )


HEALTH_OC2_WITH_ROWS = pd.DataFrame(
    {
        "CHILD": ["1", "2", "3", "5"],
        "DOB": pd.to_datetime(["2020-05-01", None, "2012-06-30", "2011-01-01"]),
        "SDQ_SCORE": ["41", None, "17.5", None],
        "SDQ_REASON": [None, None, "SDQ1", None],
        "source_file": ["oc2_2024.csv", "oc2_2024.csv", "oc2_é.csv", "oc2_2024.csv"],
        "source_row": [2, 3, 4, 5],
    }
)


@pytest.mark.parametrize("name", [*HEALTH_OC2, "with_rows"])
@pytest.mark.parametrize("cohort_rows", [slice(None), slice(0, 1), slice(0, 0)])
@pytest.mark.parametrize("episode_rows", [False, True])
def test_health_findings_from_arrays_equal_those_of_the_joined_frame(
    name, cohort_rows, episode_rows
) -> None:
    from cppanalytics.indicators.health import (
        IDS,
        _joined_from_arrays,
        _oc2_arrays,
        health_findings,
        join_oc2,
    )

    cohort = HEALTH_COHORT.iloc[cohort_rows].reset_index(drop=True)
    if episode_rows:  # as the children looked after carry their episode's file and row
        cohort = cohort.assign(source_file="episodes.csv", source_row=range(7, 7 + len(cohort)))
    oc2 = HEALTH_OC2_WITH_ROWS if name == "with_rows" else HEALTH_OC2[name]
    d = pd.Timestamp("2024-03-31")
    arrays = _oc2_arrays(oc2)
    fast = health_findings(_joined_from_arrays(cohort, oc2, arrays, d), list(IDS), d)
    plain = health_findings(join_oc2(cohort, oc2, d), list(IDS), d)
    pd.testing.assert_frame_equal(fast, plain)


def test_health_arrays_refuse_a_table_the_join_would_read_differently() -> None:
    from cppanalytics.indicators.health import _oc2_arrays

    assert _oc2_arrays(pd.DataFrame({"CHILD": ["1", "1"]})) is None
    assert _oc2_arrays(pd.DataFrame({"CHILD": ["1"], "age": [4]})) is None


def _incidents(n: int) -> pd.DataFrame:
    rng = np.random.default_rng(3)
    return pd.DataFrame(
        {
            "CHILD": rng.choice(np.array(["1", "É2", "3", None], dtype=object), n),
            "MISSING": rng.choice(np.array(["M", "A", None], dtype=object), n),
            "MIS_START": pd.to_datetime(rng.choice(["2023-05-01", "2023-05-02", None], n)),
            "YEAR": pd.array(rng.choice([2023, 2024, None], n), dtype="Int64"),
        },
        index=rng.permutation(n) * 3,
    )


@pytest.mark.parametrize("n", [0, 1, 40, 20_000])
@pytest.mark.parametrize("storage", ["object", "string"])
def test_duplicated_on_codes_is_pandas_duplicated(n: int, storage: str) -> None:
    from cppanalytics.indicators.missing import INCIDENT_KEY, _duplicated_last

    frame = _incidents(n)
    if storage == "string":
        frame = frame.astype({"CHILD": "string", "MISSING": "string"})
    for columns in (INCIDENT_KEY, [*INCIDENT_KEY, "YEAR"], ["YEAR"]):
        pd.testing.assert_series_equal(
            _duplicated_last(frame, columns), frame.duplicated(columns, keep="last")
        )


def test_combined_codes_renumber_before_passing_the_int64_range() -> None:
    from cppanalytics.indicators.missing import _with_codes

    key = np.array([2**62, 5, 2**62, 5, 7], dtype=np.int64)  # wide keys: renumbered
    codes = np.array([0, 0, 0, -1, 1], dtype=np.int64)
    out = _with_codes(key, codes)
    assert out.dtype == np.int64 and 0 <= out.min() and out.max() < 2**62
    # equal exactly where both the key and the code are
    same = (key[:, None] == key[None, :]) & (codes[:, None] == codes[None, :])
    assert ((out[:, None] == out[None, :]) == same).all()


@pytest.mark.parametrize("n", [0, 1, 40, 20_000])
def test_distinct_incidents_is_the_plain_definition(n: int) -> None:
    # the latest YEAR's row kept (no YEAR first), within a year the last in file order;
    # rows without CHILD or MIS_START left out; same-year repeats are findings
    from cppanalytics.findings import Findings
    from cppanalytics.indicators.missing import INCIDENT_KEY, distinct_incidents

    frame = _incidents(n).assign(MIS_END=pd.NaT, note=np.arange(n))
    found = Findings()
    fast = distinct_incidents(frame, found)
    rows = frame[frame["CHILD"].notna() & frame["MIS_START"].notna()]
    rows = rows.assign(_pos=np.arange(len(rows)))
    rows = rows.sort_values(["YEAR", "_pos"], na_position="first", kind="stable")
    plain = rows.drop_duplicates(INCIDENT_KEY, keep="last").drop(columns="_pos")
    pd.testing.assert_frame_equal(fast, plain.reset_index(drop=True))
    repeats = rows.duplicated(INCIDENT_KEY, keep="last") & rows.duplicated(
        [*INCIDENT_KEY, "YEAR"], keep="last"
    )
    codes = found.to_frame()["code"]
    assert int((codes == "missing_duplicate").sum()) == int(repeats.sum())


@pytest.mark.parametrize(
    "values",
    [
        [" a", None, "a", "b ", "  ", "", "Ñ1 ", "\tx\n"],
        [None, None],
        ["x"],
        [],
        ["s1"] * 20_000 + [" s1"],  # many rows, one shared object: by identity
    ],
)
def test_sw_ids_stripped_per_distinct_value_are_the_plain_strip(values) -> None:
    from cppanalytics.indicators.social_workers import _stripped

    column = pd.Series(values, dtype=object, name="SW_ID", index=np.arange(len(values)) + 7)
    for series in (column, column.astype("string")):
        pd.testing.assert_series_equal(_stripped(series), series.astype("string").str.strip())


@pytest.mark.parametrize("data", [_mixed, lambda: dataset([ep("A", "01/01/2023")])])
@pytest.mark.parametrize(("column", "labeller", "breakdown"), LABELLERS)
def test_episode_groups_of_every_episode_are_the_labels_of_its_facts(
    data, column, labeller, breakdown
) -> None:
    groups = BREAKDOWN_GROUPS[breakdown]
    ctx = Context(data(), ENDS[0])
    got = ctx.episode_groups(column, labeller, groups)  # a fact: by header row first
    # the plain definition: each episode's value (its child's header row's), labelled
    frame = ctx._episode_facts() if column in ("SEX", "ETHNIC", "DOB") else ctx.episodes
    plain = pd.Index(groups).get_indexer(labeller(frame[column]).to_numpy(dtype=object))
    assert got.tolist() == plain.tolist()
    # the same when the episodes' codes of the column are already at hand
    again = Context(ctx.data, ENDS[0])
    again.episode_codes(column)
    assert again.episode_groups(column, labeller, groups).tolist() == plain.tolist()
