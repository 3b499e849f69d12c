"""Health (OC2) indicators: hand-worked histories through the public entry point.

Period end D = 31/03/2024, so the ``r12`` window is 01/04/2023-31/03/2024 and the OC2 rows
used are those of collection year 2024 (2023-24).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
import pytest

from cppanalytics.findings import Findings
from cppanalytics.indicators import compute, health
from cppanalytics.ssda903.dataset import Dataset
from tests.case_tables.builders import (
    check,
    check_pct,
    check_window,
    dataset,
    ep,
    hdr,
    oc2,
    pick,
)

D = "2024-03-31"


def run(ds: Dataset, period_end: str, ids: list[str], **kwargs: Any) -> pd.DataFrame:
    """The public entry point at an ISO period end."""
    return compute(ds, period_end, ids=list(ids), **kwargs)


ALL = list(health.IDS)


def _own_codes(f: Findings) -> list[str]:
    """Finding codes written by the health module (the engine may add its own)."""
    codes = f.to_frame()["code"]
    return codes[codes.str.startswith(("oc2", "sdq", "age_unknown"))].tolist()


def _main_case() -> tuple[pd.DataFrame, pd.DataFrame]:
    # Cohort (looked after at D, period began on or before 01/04/2023):
    #   A age 12, B age 5 (birthday on D counts), C age 4 (birthday 01/04/2024 is after D),
    #   E age 17, F age 16 (no OC2 row), H age 11 (OC2 only for 2022-23 -> no row),
    #   I age 9 (SDQ 41 invalid), K age 10 (birthday on D)            -> 8 children
    # Not in the cohort: D2 (started 02/04/2023, a day too late), G (left on D),
    #   J (short breaks only).
    eps = [
        ep("A", "01/01/2022"),
        ep("B", "01/04/2023"),
        ep("C", "01/06/2022"),
        ep("D2", "02/04/2023"),
        ep("E", "01/01/2020"),
        ep("F", "01/01/2021"),
        ep("G", "01/01/2020", dec="31/03/2024", rec="E4A"),
        ep("H", "01/01/2021"),
        ep("I", "01/01/2021"),
        ep("J", "01/01/2020", ls="V3"),
        ep("K", "01/01/2021"),
    ]
    heads = [
        hdr("A", "01/01/2012"),
        hdr("B", "31/03/2019"),
        hdr("C", "01/04/2019"),
        hdr("D2", "01/01/2014"),
        hdr("E", "31/03/2007"),
        hdr("F", "01/04/2007"),
        hdr("G", "01/01/2010"),
        hdr("H", "01/01/2013"),
        hdr("I", "01/04/2014"),
        hdr("J", "01/01/2012"),
        hdr("K", "31/03/2014"),
    ]
    rows = [
        oc2(
            "A",
            2024,
            sdq=14,
            health_assessment="1",
            immunisations="1",
            teeth="1",
            convicted="1",
            substance="1",
        ),
        oc2("B", 2024, sdq=20, health_assessment="1", teeth="1", health_check="1"),
        oc2("C", 2024, sdq="", sdq_reason="SDQ1", health_check="1"),
        oc2(
            "D2",
            2024,
            sdq=5,
            health_assessment="1",
            immunisations="1",
            teeth="1",
            convicted="1",
            substance="1",
            health_check="1",
        ),
        oc2("E", 2024, sdq=30, convicted="1"),
        oc2("G", 2024, sdq=10, health_assessment="1", immunisations="1", teeth="1"),
        oc2("H", 2023, sdq=10, health_assessment="1", immunisations="1", teeth="1"),
        oc2("I", 2024, sdq=41, health_assessment="1"),
        oc2("J", 2024, sdq=10, health_assessment="1"),
        oc2("K", 2024, sdq=13, health_assessment="1", immunisations="1"),
    ]
    findings = Findings()
    res = run(dataset(eps, heads, oc2=rows), D, ALL, findings=findings)
    return res, findings.to_frame()


def test_health_main_case_values() -> None:
    res, _ = _main_case()
    check_pct(res, "health_assessment", 4, 8)  # A B I K
    check_pct(res, "immunisations", 2, 8)  # A K
    check_pct(res, "dental_check", 2, 8)  # A B
    check_pct(res, "development_assessment", 1, 1)  # C only (B is 5, D2 not in cohort)
    # aged 5-16: A B F H I K; valid scores A 14, B 20, K 13 (I's 41 is invalid)
    check_pct(res, "sdq_completed", 3, 6)
    check(pick(res, "sdq_average"), 47, 3, 47 / 3)
    check_pct(res, "sdq_borderline", 1, 3)  # A 14
    check_pct(res, "sdq_concern", 1, 3)  # B 20; E's 30 is at age 17, outside 5-16
    check_pct(res, "convictions", 2, 5)  # aged 10-17: A E F H K; convicted A E
    check_pct(res, "substance_misuse", 1, 8)  # A


def test_health_rows_carry_r12_window_and_units() -> None:
    res, _ = _main_case()
    assert sorted(res["indicator_id"]) == sorted(ALL)
    for ind in ALL:
        check_window(res, ind, "2023-04-01", D)
    units = dict(zip(res["indicator_id"], res["unit"], strict=True))
    assert units["sdq_average"] == "score"
    assert {u for i, u in units.items() if i != "sdq_average"} == {"percent"}
    assert (res["breakdown"] == "").all() and (res["group"] == "").all()


def test_health_findings_name_children_and_indicators() -> None:
    _, f = _main_case()
    missing = f[f["code"] == "oc2_missing"].sort_values("child")
    assert missing["child"].tolist() == ["F", "H"]
    # F is 16: every id but development_assessment; H is 11: same set
    for text in missing["indicators"]:
        ids = set(text.split(","))
        assert ids == set(ALL) - {"development_assessment"}
    invalid = f[f["code"] == "sdq_invalid"]
    assert invalid["child"].tolist() == ["I"]
    assert set(invalid["indicators"].iloc[0].split(",")) == {
        "sdq_completed",
        "sdq_average",
        "sdq_borderline",
        "sdq_concern",
    }
    # C has no score but gives a reason, and is 4 anyway: no sdq_reason_missing finding
    assert "sdq_reason_missing" not in set(f["code"])


def test_oc2_missing_indicators_follow_the_childs_age() -> None:
    # a 3-year-old without OC2 touches development_assessment but no SDQ or convictions id
    ds = dataset([ep("Z", "01/01/2022")], [hdr("Z", "01/06/2020")], oc2=[oc2("Y", 2024)])
    f = Findings()
    res = run(ds, D, ALL, findings=f)
    check_pct(res, "development_assessment", 0, 1)
    row = f.to_frame().query("code == 'oc2_missing'").iloc[0]
    assert set(row["indicators"].split(",")) == {
        "health_assessment",
        "immunisations",
        "dental_check",
        "development_assessment",
        "substance_misuse",
    }


def test_blank_sdq_without_reason_is_an_info_finding() -> None:
    ds = dataset([ep("A", "01/01/2022")], oc2=[oc2("A", 2024, sdq="")])
    f = Findings()
    res = run(ds, D, ["sdq_completed"], findings=f)
    check_pct(res, "sdq_completed", 0, 1)
    assert _own_codes(f) == ["sdq_reason_missing"]


def test_sdq_fraction_and_negative_are_invalid_and_40_valid() -> None:
    # whole numbers 0-40 only: 12.5 and -1 are not scores, 0 and 40 are
    ds = dataset(
        [ep(c, "01/01/2022") for c in "ABCD"],
        oc2=[
            oc2("A", 2024, sdq="12.5"),
            oc2("B", 2024, sdq="-1"),
            oc2("C", 2024, sdq=0),
            oc2("D", 2024, sdq=40),
        ],
    )
    f = Findings()
    res = run(ds, D, ["sdq_completed", "sdq_average", "sdq_concern"], findings=f)
    check_pct(res, "sdq_completed", 2, 4)
    check(pick(res, "sdq_average"), 40, 2, 20.0)
    check_pct(res, "sdq_concern", 1, 2)
    assert sorted(f.to_frame().query("code == 'sdq_invalid'")["child"]) == ["A", "B"]


def test_rows_without_year_are_the_period_ends_year_and_duplicates_keep_last() -> None:
    # in-year D = 31/12/2023 -> collection year 2024; window 01/01/2023-31/12/2023.
    # A: two 2024 rows; the later (HA=1) is used, the earlier is set aside with a finding.
    # B: a row with YEAR blank (in-memory data) counts as 2024.
    ds = dataset(
        [ep("A", "01/01/2022"), ep("B", "01/01/2023")],
        oc2=[
            oc2("A", 2024),
            oc2("A", 2024, health_assessment="1"),
            oc2("B", None, health_assessment="1"),
            oc2("B", 2023),
        ],
    )
    f = Findings()
    res = run(ds, "2023-12-31", ["health_assessment"], findings=f)
    check_pct(res, "health_assessment", 2, 2)
    check_window(res, "health_assessment", "2023-01-01", "2023-12-31")
    dup = f.to_frame().query("code == 'oc2_duplicate'")
    assert dup["child"].tolist() == ["A"] and dup["action"].tolist() == ["set_aside"]


def test_age_falls_back_to_oc2_dob_when_header_has_none() -> None:
    # Header DOB blank; OC2 DOB 01/01/2021 -> age 3 at D -> development assessment cohort
    ds = dataset(
        [ep("A", "01/01/2022")],
        [hdr("A", "")],
        oc2=[oc2("A", 2024, dob="01/01/2021", health_check="1")],
    )
    res = run(ds, D, ["development_assessment", "sdq_completed"])
    check_pct(res, "development_assessment", 1, 1)
    check(pick(res, "sdq_completed"), 0, 0, None)


def test_no_oc2_rows_for_the_year_gives_empty_values_with_a_note() -> None:
    # in-year: the 2024-25 OC2 has not been assembled; 0% would be false
    ds = dataset(
        [ep("A", "01/01/2022"), ep("B", "01/01/2022")], oc2=[oc2("A", 2024, health_assessment="1")]
    )
    f = Findings()
    res = run(ds, "2024-06-30", ["health_assessment", "sdq_average"], findings=f)
    row = pick(res, "health_assessment")
    assert math.isnan(row["numerator"]) and math.isnan(row["value"])
    assert row["denominator"] == 2
    assert row["note"] == "no OC2 data for 2024-25"
    assert _own_codes(f) == ["oc2_absent"]  # one finding, not one per child


def test_empty_cohort_gives_rows_with_no_value() -> None:
    ds = dataset([ep("A", "01/01/2024")], oc2=[oc2("A", 2024, health_assessment="1")])
    res = run(ds, D, ALL)
    assert len(res) == len(ALL)
    check(pick(res, "health_assessment"), 0, 0, None)
    check(pick(res, "sdq_average"), 0, 0, None)


@pytest.mark.parametrize(
    ("dob", "dev", "sdq", "conv"),
    [
        ("01/04/2019", 1, 0, 0),  # 4 (5th birthday the day after D)
        ("31/03/2019", 0, 1, 0),  # 5 on D
        ("01/04/2014", 0, 1, 0),  # 9
        ("31/03/2014", 0, 1, 1),  # 10 on D
        ("01/04/2007", 0, 1, 1),  # 16
        ("31/03/2007", 0, 0, 1),  # 17 on D
    ],
)
def test_age_boundaries(dob: str, dev: int, sdq: int, conv: int) -> None:
    ds = dataset([ep("A", "01/01/2022")], [hdr("A", dob)], oc2=[oc2("A", 2024, sdq=10)])
    res = run(ds, D, ["development_assessment", "sdq_completed", "convictions"])
    assert pick(res, "development_assessment")["denominator"] == dev
    assert pick(res, "sdq_completed")["denominator"] == sdq
    assert pick(res, "convictions")["denominator"] == conv


def test_health_measures_pure_function() -> None:
    # three children aged 8, one without OC2: SDQ 10 and 17 -> completed 2/3, mean 13.5
    cohort = pd.DataFrame({"CHILD": ["1", "2", "3"], "age": pd.array([8, 8, 8], dtype="Int64")})
    rows = pd.DataFrame({"CHILD": ["1", "2"], "SDQ_SCORE": [10.0, 17.0], "TEETH_CHECK": ["1", "0"]})
    m = health.health_measures(cohort, rows)
    assert m.loc["sdq_completed", ["numerator", "denominator"]].tolist() == [2.0, 3.0]
    assert m.loc["sdq_average", "value"] == 13.5
    assert m.loc["sdq_concern", ["numerator", "denominator"]].tolist() == [1.0, 2.0]
    assert m.loc["dental_check", ["numerator", "denominator"]].tolist() == [1.0, 3.0]


def test_quarterly_run_writes_one_oc2_missing_finding_per_child_and_year() -> None:
    # Z lacks an OC2 row at 31/12/2023 and at 31/03/2024 (both collection year 2024)
    ds = dataset(
        [ep("Y", "01/01/2022"), ep("Z", "01/01/2022")], oc2=[oc2("Y", 2024, health_assessment="1")]
    )
    f = Findings()
    res = compute(ds, ["2023-12-31", "2024-03-31"], ids=["health_assessment"], findings=f)
    assert res["value"].tolist() == [50.0, 50.0]
    assert f.to_frame().query("code == 'oc2_missing'")["child"].tolist() == ["Z"]


def test_past_in_year_quarter_raises_no_oc2_missing_finding() -> None:
    # The data reach collection year 2025 (OC2 rows for 2024 and 2025). At 31/12/2023, a
    # past in-year quarter, W is in the 12-month cohort but leaves on 01/02/2024, so has no
    # 2023-24 OC2 row: legitimately absent, counted as not done, but no finding. At
    # 31/03/2024 Z (still in care, no row) is a finding; W has left and is not in the cohort.
    ds = dataset(
        [
            ep("Y", "01/01/2022"),
            ep("Z", "01/01/2022"),
            ep("W", "01/01/2022", dec="01/02/2024", rec="E4A"),
        ],
        oc2=[oc2("Y", 2024, health_assessment="1"), oc2("Y", 2025, health_assessment="1")],
    )
    f = Findings()
    res = compute(ds, ["2023-12-31", "2024-03-31"], ids=["health_assessment"], findings=f)
    # 31/12/2023: Y done; Z, W not done -> 1 of 3; 31/03/2024: Y of Y, Z -> 1 of 2
    assert res["numerator"].tolist() == [1.0, 1.0]
    assert res["denominator"].tolist() == [3.0, 2.0]
    assert f.to_frame().query("code == 'oc2_missing'")["child"].tolist() == ["Z"]


def test_rows_for_collection_year_reports_blank_child() -> None:
    t = pd.DataFrame(
        {
            "CHILD": ["1", None],
            "YEAR": pd.array([2024, 2024], dtype="Int64"),
            "source_file": ["oc2.csv", "oc2.csv"],
            "source_row": pd.array([2, 3], dtype="Int64"),
        }
    )
    f = Findings()
    out = health.rows_for_collection_year(t, D, "oc2", f, ("health_assessment",))
    assert out["CHILD"].tolist() == ["1"]
    row = f.to_frame().iloc[0]
    assert (row["code"], row["file"], row["row"]) == ("oc2_child_blank", "oc2.csv", 3)


def test_child_arrays_are_each_childs_oc2_row_flags_and_score() -> None:
    from cppanalytics.indicators.context import Context
    from cppanalytics.indicators.health import (
        FLAG_COLUMNS,
        _child_arrays,
        _flag_array,
        _oc2_arrays,
    )
    from tests.care.build import dataset, ep

    every = dict.fromkeys(FLAG_COLUMNS.values(), "1")  # all six bits, the last one too
    rows = [
        {"CHILD": "B", "SDQ_SCORE": "14", **every},
        {"CHILD": "Z", "SDQ_SCORE": "3", "CONVICTED": "1"},  # no episode
        {"CHILD": "A", "SDQ_SCORE": "41", "SUBSTANCE_MISUSE": "1", "TEETH_CHECK": "0"},
    ]
    data = dataset([ep("A", "01/01/2020"), ep("B", "01/01/2020"), ep("C", "01/01/2020")])
    ctx = Context(data, "2024-03-31")
    oc2 = pd.DataFrame(rows).astype({"SDQ_SCORE": "float64"})
    oc2 = oc2.astype({c: "string" for c in oc2.columns if c != "SDQ_SCORE"})
    arrays = _oc2_arrays(oc2)
    row_of, bits, scores = _child_arrays(ctx, arrays)
    children = ctx.episode_child_codes()[1]
    plain_rows = pd.Index(oc2["CHILD"].tolist()).get_indexer(children.tolist())
    assert row_of.tolist() == plain_rows.tolist() == [2, 0, -1]
    for k, column in enumerate(FLAG_COLUMNS.values()):
        plain = np.where(plain_rows >= 0, _flag_array(oc2, column)[plain_rows], False)
        assert ((bits >> k) & 1).astype(bool).tolist() == plain.tolist()
    assert np.isnan(scores[[0, 2]]).all() and scores[1] == 14.0
