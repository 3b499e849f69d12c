"""Rows of the children looked after at a date built without the cohort's whole table
(:meth:`Context.cla_at_rows`), and the modules using them (population, location,
sufficiency), against the plain table and against each module run with the table built
first, on hand-built edge cases: short breaks, same-day chains, a temporary placement,
re-entry, an 18th birthday on a period end, a 29 February birth, no DOB (no header row),
UASC children, blank and unknown codes and postcodes, non-ASCII ids, one row, nothing."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cppanalytics.findings import Findings
from cppanalytics.geography import postcodes
from cppanalytics.indicators import health, location, population, sufficiency
from cppanalytics.indicators.context import COHORT_COLUMNS, Context
from cppanalytics.results import rows_frame
from cppanalytics.ssda903.dataset import Dataset
from tests.care.build import dataset, ep, hdr

ENDS = ["2023-03-31", "2023-06-30", "2023-09-30", "2023-12-31", "2024-03-31", "2024-06-30"]

_EPISODES = [
    ep("A", "01/01/2023", pl_post="P5", provider="", cin="N1"),
    ep("B", "01/02/2023", "30/06/2023", "X1", pl_post="P20", provider="PR9", cin=""),
    ep("B", "30/06/2023", "30/06/2023", "X1", rne="P", place="U1", pl_post="PIN3"),
    ep("B", "30/06/2023", "31/12/2023", "E4A", rne="T", place="T1", pl_post=""),
    ep("B", "01/03/2024", place="K2", pl_post="PX", provider="unknown", cin="N9"),  # re-entry
    ep("C", "01/01/2023", ls="V3"),  # short breaks only
    ep("D", "01/06/2022", "31/03/2024", "E4A", place="U6", provider="PR9", home_post=""),
    ep("É1", "01/04/2023", place="U2", provider="PRÉ", cin="Ñ1", pl_post="PIN40"),
    ep("F", "01/01/2021", pl_post="P25"),  # 18 on 31/03/2024
    ep("G", "31/03/2024", pl_post="P61"),  # no header row (no DOB), starts on a period end
    ep("H", "01/05/2023", pl_post="P19"),  # born on 29 February
]
_HEADERS = [
    hdr("A", "01/01/2010"),
    hdr("B", "15/05/2012"),
    hdr("C", "01/01/2015"),
    hdr("D", "01/01/2009"),
    hdr("É1", "01/01/2016"),
    hdr("F", "31/03/2006"),
    hdr("H", "29/02/2008"),
]
_UASC = [
    {"CHILD": "A", "DOB": "01/01/2010", "DUC": "30/09/2023"},
    {"CHILD": "B", "DOB": "15/05/2012", "DUC": ""},
    {"CHILD": "H", "DOB": "29/02/2008", "DUC": ""},
    {"CHILD": "G", "DOB": "01/01/2010", "DUC": "01/01/2030"},
]

#: OC2 rows: G has no header DOB (aged from the OC2 DOB), H a 29 February birth, an
#: invalid and a blank SDQ score, a row of a child with no episode (Z); D and F have none
_OC2 = [
    {"CHILD": "A", "DOB": "01/01/2010", "SDQ_SCORE": "41", "HEALTH_CHECK": "1", "YEAR": 2024},
    {"CHILD": "B", "DOB": "15/05/2012", "SDQ_SCORE": "", "IMMUNISATIONS": "1", "YEAR": 2024},
    {"CHILD": "G", "DOB": "01/06/2012", "SDQ_SCORE": "9", "TEETH_CHECK": "1", "YEAR": 2024},
    {"CHILD": "H", "DOB": "29/02/2008", "SDQ_SCORE": "17", "YEAR": 2024},
    {"CHILD": "Z", "DOB": "01/01/2012", "SDQ_SCORE": "20", "YEAR": 2024},
]

DATASETS = {
    "edge_cases": lambda: dataset(_EPISODES, _HEADERS, uasc=_UASC, oc2=_OC2),
    "one_row": lambda: dataset([ep("A", "01/01/2023", provider="", pl_post="")]),
    "short_breaks_only": lambda: dataset([ep("A", "01/01/2023", ls="V4")]),
    "empty": Dataset,
}


def _stand_in_location(home: pd.Series, pl: pd.Series, la_code: str | None) -> pd.DataFrame:
    """Miles from the digits of PL_POST ("P20" -> 20.04), IN for "PIN...", unknown for a
    blank postcode or one without digits (no postcode directory needed)."""
    digits = pl.astype("string").str.extract(r"(\d+)")[0].astype("Float64") + 0.04
    blank = home.isna().to_numpy() | pl.isna().to_numpy()
    miles = digits.to_numpy(dtype="float64", na_value=np.nan)
    miles[blank] = np.nan
    where = np.where(pl.astype("string").str.startswith("PIN").fillna(False), "IN", "OUT")
    loc = pd.array(np.where(np.isnan(miles) | (la_code is None), None, where), dtype="string")
    return pd.DataFrame({"distance_miles": miles, "location": loc}, index=home.index)


@pytest.mark.parametrize("name", DATASETS)
def test_rows_are_those_of_the_plain_table(name) -> None:
    data = DATASETS[name]()
    plain = Context(data, ENDS[0])
    for d in [*ENDS, "2024-02-29"]:
        table = plain.at(d).cla_at()
        rng = np.random.default_rng(len(table))
        masks = [
            np.ones(len(table), dtype=bool),
            np.zeros(len(table), dtype=bool),
            rng.random(len(table)) < 0.5,
        ]
        for columns in (COHORT_COLUMNS, ["age"], ["CHILD", "source_file", "PL_POST", "age"]):
            fresh = Context(data, ENDS[0]).at(d)  # no table built
            pd.testing.assert_frame_equal(fresh.cla_at_rows(None, columns), table[columns])
            for mask in masks:
                expected = table.loc[mask, columns]
                pd.testing.assert_frame_equal(fresh.cla_at_rows(mask, columns), expected)
                pd.testing.assert_frame_equal(plain.at(d).cla_at_rows(mask, columns), expected)
                at = np.flatnonzero(mask)
                pd.testing.assert_frame_equal(
                    fresh.cla_at_rows(at, columns), table.loc[at, columns]
                )
            assert d not in fresh._cla_at, "the whole table was built"  # noqa: SLF001


@pytest.mark.parametrize("name", DATASETS)
def test_columns_of_the_children_looked_after_12_months(name) -> None:
    data = DATASETS[name]()
    for d in [*ENDS, "2025-03-31"]:
        plain = Context(data, d).continuously_looked_after_12m()
        for columns in (["CHILD"], ["CHILD", "age", "source_file", "source_row"]):
            fresh = Context(data, d)
            got = fresh.continuously_looked_after_12m(columns)
            pd.testing.assert_frame_equal(got, plain[columns])
            assert fresh.period_end not in fresh._cla_at  # noqa: SLF001
    # B re-entered on 01/03/2024: not 12 months; D left on D; F is 18 on D
    ctx = Context(DATASETS["edge_cases"](), "2024-06-30")
    assert ctx.continuously_looked_after_12m(["CHILD"])["CHILD"].tolist() == ["A", "H", "É1"]


def test_rows_of_the_edge_cases() -> None:
    ctx = Context(DATASETS["edge_cases"](), "2024-03-31")
    rows = ctx.cla_at_rows(None, ["CHILD", "age", "PLACE"])
    # D leaves on D; F is 18 on D (left out); G has no DOB; H born 29/02/2008 is 16
    assert rows["CHILD"].tolist() == ["A", "B", "G", "H", "É1"]
    assert rows["age"].tolist() == [14, 11, pd.NA, 16, 8]
    assert rows["PLACE"].tolist() == ["U4", "K2", "U4", "U4", "U2"]


def _run(data: Dataset, d: str, plain: bool, la_code: str | None) -> tuple:
    """Population, location and sufficiency at ``d`` of a run over :data:`ENDS` (the
    cohort's table built first when ``plain``): results and findings."""
    found = Findings()
    ctx = Context(data, d, findings=found, la_code=la_code)
    ctx.care.cache["period_ends"] = [pd.Timestamp(e) for e in ENDS]
    if plain:
        ctx.cla_at()
    blocks = []
    for module in (population, location, sufficiency, health):
        blocks.extend(module.compute(ctx, set(module.IDS)))
    return rows_frame(blocks), found.to_frame()


@pytest.mark.parametrize("name", DATASETS)
@pytest.mark.parametrize("la_code", ["E06000042", None])
def test_modules_alike_with_and_without_the_table(monkeypatch, name, la_code) -> None:
    monkeypatch.setattr(postcodes, "placement_location", _stand_in_location)
    data = DATASETS[name]()
    for d in ("2023-06-30", "2024-03-31", "2024-06-30"):  # in-year, a year end, the latest
        fast = _run(data, d, False, la_code)
        plain = _run(data, d, True, la_code)
        pd.testing.assert_frame_equal(fast[0], plain[0])
        pd.testing.assert_frame_equal(fast[1], plain[1])


def test_findings_of_the_edge_cases_without_the_table(monkeypatch) -> None:
    monkeypatch.setattr(postcodes, "placement_location", _stand_in_location)
    res, found = _run(DATASETS["edge_cases"](), "2024-03-31", False, "E06000042")
    by = found.groupby("code")["child"].apply(sorted).to_dict()
    # distance unknown: B (PX has no digits); provider: A blank, B unknown, É1 PRÉ
    assert by["distance_unknown"] == ["B"]
    assert sorted(found.loc[found["column"] == "PLACE_PROVIDER", "child"]) == [
        "A",
        "A",
        "B",
        "É1",
        "É1",
    ]  # cla_by_provider (A, B, É1) and foster_by_provider (A and É1 fostered)
    # at a year end: health findings about the children looked after for 12 months
    assert by["oc2_missing"] == ["É1"]  # A, H have rows; B re-entered, G started on D
    assert by["sdq_invalid"] == ["A"]
    r = res.set_index(["indicator_id", "group"])["value"]
    assert r[("cla_uasc_count", "")] == 3  # B, G, H (A's ended 30/09/2023)
    assert r[("uasc_by_age", "16+")] == pytest.approx(100 / 3)  # H is 16
    # G has no header row, so no DOB: unknown (this stopped the run with a TypeError)
    assert r[("uasc_by_age", "unknown")] == pytest.approx(100 / 3)


@pytest.mark.parametrize(
    "values",
    [[None, None], [None, "PR9", "PRÉ"], ["unknown"], []],
    ids=["all_missing", "mixed", "one", "none"],
)
def test_missing_codes_written_blank_as_before(values) -> None:
    """The code findings pass a missing code as "" (the findings are then built in one
    step): the same findings as passing it missing."""
    from cppanalytics.findings import row_findings

    rows = pd.DataFrame(
        {
            "CHILD": [f"C{i}" for i in range(len(values))],
            "source_file": ["episodes.csv"] * len(values),
            "source_row": pd.array(range(2, 2 + len(values)), dtype="Int64"),
            "CIN": pd.array(values, dtype="string"),
        }
    )
    kw = {"severity": "warning", "code": "code_missing_breakdown", "table": "episodes"}
    kw |= {"column": "CIN", "message": "m", "fix": "f", "indicators": "cla_by_cin"}
    plain = row_findings(rows, value=rows["CIN"], **kw)
    blank = row_findings(rows, value=rows["CIN"].fillna(""), **kw)
    pd.testing.assert_frame_equal(blank, plain)
    assert blank["value"].tolist() == ["" if v is None else v for v in values]


@pytest.mark.parametrize("name", DATASETS)
@pytest.mark.parametrize("la_code", ["E06000042", None])
def test_located_arrays_are_the_plain_look_up(monkeypatch, name, la_code) -> None:
    """Miles, OUT and IN of the children looked after at each end, taken from each
    postcode pair's worked out once per run, against each end's own look-up; and the
    distance bands counted from codes against the labelled bands."""
    from cppanalytics.care.groups import DISTANCE_BANDS, distance_band, distance_band_codes
    from cppanalytics.indicators.catalogue import BREAKDOWN_GROUPS

    monkeypatch.setattr(postcodes, "placement_location", _stand_in_location)
    data = DATASETS[name]()
    run = Context(data, ENDS[0], la_code=la_code)
    run.care.cache["period_ends"] = [pd.Timestamp(e) for e in ENDS]
    alone = Context(data, ENDS[0], la_code=la_code)
    for d in [*ENDS, "2023-08-15"]:  # the last: not a period end of the run
        miles, outside, inside = location.located_arrays(run.at(d))
        plain = location.locate(alone.at(d), alone.at(d).cla_at())
        np.testing.assert_array_equal(miles, location.published_miles(plain["distance_miles"]))
        out = plain["location"].eq("OUT").fillna(False).to_numpy(dtype=bool)
        assert outside.tolist() == out.tolist(), d
        where = plain["location"].astype("string").fillna("")
        assert inside.tolist() == (where == "IN").tolist(), d
        labels = distance_band(pd.Series(miles)).tolist()
        assert [DISTANCE_BANDS[c] for c in distance_band_codes(miles)] == labels
    assert list(DISTANCE_BANDS) == BREAKDOWN_GROUPS["distance_band"]
    if name == "edge_cases":  # B at P20 (20.04 -> 20.0) on 2023-03-31
        miles, outside, inside = location.located_arrays(run.at("2023-03-31"))
        rows = run.at("2023-03-31").cla_at_rows(None, ["CHILD"])["CHILD"].tolist()
        assert miles[rows.index("B")] == 20.0
        assert distance_band_codes(miles)[rows.index("B")] == 0
        assert outside[rows.index("B")] == (la_code is not None)


@pytest.mark.parametrize(
    "ages",
    [
        pd.array([0, 4, 5, 10, 16, 17, pd.NA], dtype="Int64"),
        pd.array([pd.NA, pd.NA], dtype="Int64"),
        pd.array([], dtype="Int64"),
        pd.Series([4.0, 5.0, float("nan"), 16.0]),
    ],
    ids=["bounds_and_missing", "all_missing", "none", "float"],
)
def test_health_eligibility_is_the_plain_age_ranges(ages) -> None:
    """Each age range tested once on numbers: the same frame as testing each indicator's
    range with pandas (an age on either bound is in, a missing age in none)."""
    joined = pd.DataFrame({"age": ages}, index=pd.RangeIndex(len(ages)) + 7)
    everyone = pd.Series(True, index=joined.index)
    plain = pd.DataFrame(
        {
            ind: health._in_age(joined["age"], health.AGE_RANGES[ind])
            if ind in health.AGE_RANGES
            else everyone
            for ind in health.IDS
        }
    )
    pd.testing.assert_frame_equal(health.eligible(joined), plain)


@pytest.mark.parametrize(
    "counts",
    [(10, 3, 7, 2, 4), (0, 0, 0, 0, 0), (5, 0, 0, 1, 0), (3, 3, 9, 3, 3)],
    ids=["some", "nothing", "no_missing", "all"],
)
def test_missing_measures_frame_as_defined(counts) -> None:
    """The missing measures' frame built from arrays: percentages of the children, the
    incidents as a count, incidents per child who went missing; NaN where no child."""
    from cppanalytics.indicators import missing

    n, m_children, incidents, a_children, starters = counts
    got = missing._measures_frame(
        n=n, m_children=m_children, a_children=a_children, incidents=incidents, starters=starters
    )

    def share(num: float, den: float, scale: float) -> float:
        return num / den * scale if den > 0 else np.nan

    expected = pd.DataFrame(
        {
            "numerator": [float(m_children), float(incidents), float(incidents), float(a_children)],
            "denominator": [float(n), np.nan, float(starters), float(n)],
            "value": [
                share(m_children, n, 100),
                float(incidents),
                share(incidents, starters, 1),
                share(a_children, n, 100),
            ],
        },
        index=list(missing.IDS),
    )
    pd.testing.assert_frame_equal(got, expected)
