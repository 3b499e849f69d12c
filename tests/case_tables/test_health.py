"""Case tables for health (OC2) indicators, worked by hand from indicators.md.

Cohort: looked after at D and the current period of care began on or before the r12 start.
D = 31/03/2024 -> r12 = 01/04/2023 .. 31/03/2024; OC2 rows of collection year 2024.
"""

from __future__ import annotations

import pytest

from .builders import check, check_pct, check_window, dataset, ep, hdr, oc2, pick, run

COVERED = (
    "health_assessment",
    "immunisations",
    "dental_check",
    "development_assessment",
    "sdq_completed",
    "sdq_average",
    "sdq_borderline",
    "sdq_concern",
    "convictions",
    "substance_misuse",
)

D = "31/03/2024"
ALL = {"health_assessment": "1", "immunisations": "1", "teeth": "1", "substance": "1"}


def test_cohort_and_yes_no_flags():
    #  A period began 01/04/2023 (= r12 start, in): HA 1, IMM 1, TEETH 1, SUBST 0
    #  B began 02/04/2023 (out), OC2 all 1
    #  E began 2020 (in), no OC2 row for 2024; a 2023 row with all 1 -> "not done" everywhere
    #  P began 2020 (in): HA 0, IMM 0, TEETH 1, SUBST 1
    #  H began 2020, left care on D (out), OC2 all 1
    #  Q in care 2020-01/06/2023 (E4A), back 01/07/2023: current period too recent (out)
    #  R exit and same-day re-entry on 01/06/2023 (two periods): current began 01/06/2023 (out)
    #  V short breaks (V3) since 2020 (out)
    # cohort A, E, P = 3: health_assessment 1/3, immunisations 1/3, dental_check 2/3,
    # substance_misuse 1/3.
    eps = [
        ep("A", "01/04/2023"),
        ep("B", "02/04/2023"),
        ep("E", "01/01/2020"),
        ep("P", "01/01/2020"),
        ep("H", "01/01/2020", dec=D, rec="E4A"),
        ep("Q", "01/01/2020", dec="01/06/2023", rec="E4A"),
        ep("Q", "01/07/2023"),
        ep("R", "01/01/2020", dec="01/06/2023", rec="E13"),
        ep("R", "01/06/2023"),
        ep("V", "01/01/2020", ls="V3"),
    ]
    rows = [
        oc2("A", 2024, health_assessment="1", immunisations="1", teeth="1"),
        oc2("B", 2024, **ALL),
        oc2("E", 2023, **ALL),
        oc2("P", 2024, teeth="1", substance="1"),
        oc2("H", 2024, **ALL),
        oc2("Q", 2024, **ALL),
        oc2("R", 2024, **ALL),
        oc2("V", 2024, **ALL),
    ]
    ids_ = ["health_assessment", "immunisations", "dental_check", "substance_misuse"]
    res = run(dataset(eps, oc2=rows), D, ids_)
    check_pct(res, "health_assessment", 1, 3)
    check_pct(res, "immunisations", 1, 3)
    check_pct(res, "dental_check", 2, 3)
    check_pct(res, "substance_misuse", 1, 3)
    for i in ids_:
        check_window(res, i, "2023-04-01", "2024-03-31")


def test_in_year_uses_collection_year_containing_D():
    # D = 30/09/2023 lies in collection year 2024 (ending 31/03/2024). r12 = 01/10/2022 ..
    # 30/09/2023. A: 2023 row HA 1 and 2024 row HA 0 -> the 2024 row -> 0/1.
    # B: only a 2023 row (HA 1) -> no row for 2024 -> not done -> 0. -> 0/2.
    eps = [ep("A", "01/01/2020"), ep("B", "01/01/2020")]
    rows = [
        oc2("A", 2023, health_assessment="1"),
        oc2("A", 2024, health_assessment="0"),
        oc2("B", 2023, health_assessment="1"),
    ]
    res = run(dataset(eps, oc2=rows), "30/09/2023", ["health_assessment"])
    check_pct(res, "health_assessment", 0, 2)
    check_window(res, "health_assessment", "2022-10-01", "2023-09-30")


def test_age_groups():
    # Ages at D (birthday on D counts), every child in the cohort (in care since 01/02/2022):
    #  a DOB 01/04/2019 -> 4   : 0-4; HEALTH_CHECK 1
    #  b DOB 31/03/2019 -> 5   : 5-16; HEALTH_CHECK 1 (not under 5: ignored); SDQ 12
    #  c DOB 01/01/2022 -> 2   : 0-4; HEALTH_CHECK 0
    #  d DOB 31/03/2014 -> 10  : 5-16 and 10-17; CONVICTED 1; SDQ blank (reason SDQ1)
    #  e DOB 01/04/2014 -> 9   : 5-16; CONVICTED 1 (under 10: ignored); SDQ 20
    #  f DOB 31/03/2007 -> 17  : 10-17 (not 5-16); CONVICTED 0; SDQ 30 (ignored, 17)
    #  g DOB 01/04/2006 -> 17  : 10-17; CONVICTED 1
    # development_assessment: a, c -> 1/2. convictions: d, f, g -> 2/3.
    # sdq_completed: b, d, e -> valid b, e -> 2/3. sdq_average: (12 + 20) / 2 = 16.
    dobs = {
        "a": "01/04/2019",
        "b": "31/03/2019",
        "c": "01/01/2022",
        "d": "31/03/2014",
        "e": "01/04/2014",
        "f": "31/03/2007",
        "g": "01/04/2006",
    }
    eps = [ep(c, "01/02/2022") for c in dobs]
    heads = [hdr(c, dob=d) for c, d in dobs.items()]
    rows = [
        oc2("a", 2024, dob=dobs["a"], health_check="1"),
        oc2("b", 2024, dob=dobs["b"], health_check="1", sdq=12),
        oc2("c", 2024, dob=dobs["c"], health_check="0"),
        oc2("d", 2024, dob=dobs["d"], convicted="1", sdq_reason="SDQ1"),
        oc2("e", 2024, dob=dobs["e"], convicted="1", sdq=20),
        oc2("f", 2024, dob=dobs["f"], convicted="0", sdq=30),
        oc2("g", 2024, dob=dobs["g"], convicted="1"),
    ]
    res = run(
        dataset(eps, heads, oc2=rows),
        D,
        ["development_assessment", "convictions", "sdq_completed", "sdq_average"],
    )
    check_pct(res, "development_assessment", 1, 2)
    check_pct(res, "convictions", 2, 3)
    check_pct(res, "sdq_completed", 2, 3)
    check(pick(res, "sdq_average"), 32, 2, 16.0)


def test_sdq_scores_validity_and_bands():
    # Ten cohort children aged 12 (default DOB 01/01/2012). Scores:
    #   0, 13, 14, 16, 17, 40 valid (whole numbers 0-40); 41, 16.5, -1, blank not valid.
    # sdq_completed 6/10. sdq_average: sum 0+13+14+16+17+40 = 100, count 6 -> 16.666...
    # sdq_borderline (14-16): 14, 16 -> 2/6. sdq_concern (17-40): 17, 40 -> 2/6.
    scores = ["0", "13", "14", "16", "17", "40", "41", "16.5", "-1", ""]
    eps = [ep(f"c{i}", "01/01/2020") for i in range(len(scores))]
    rows = [oc2(f"c{i}", 2024, sdq=s) for i, s in enumerate(scores)]
    ids_ = ["sdq_completed", "sdq_average", "sdq_borderline", "sdq_concern"]
    res = run(dataset(eps, oc2=rows), D, ids_)
    check_pct(res, "sdq_completed", 6, 10)
    check(pick(res, "sdq_average"), 100, 6, 100 / 6)
    check_pct(res, "sdq_borderline", 2, 6)
    check_pct(res, "sdq_concern", 2, 6)
    assert pick(res, "sdq_average")["unit"] == "score"


def test_missing_oc2_row_is_not_done_and_a_finding():
    # Two cohort children; B has a 2024 OC2 row with every flag 1, A has no OC2 row at all:
    # A counts as "not done" (1 / 2 everywhere) and is reported as a finding.
    # (When the year's OC2 table is absent altogether the spec is silent; not tested.)
    from cppanalytics.findings import Findings

    f = Findings()
    ids_ = ["health_assessment", "immunisations", "dental_check", "substance_misuse"]
    res = run(
        dataset([ep("A", "01/01/2020"), ep("B", "01/01/2020")], oc2=[oc2("B", 2024, **ALL)]),
        D,
        ids_,
        findings=f,
    )
    for i in ids_:
        check_pct(res, i, 1, 2)
    frame = f.to_frame()
    assert len(frame) >= 1, "a cohort child with no OC2 row must be reported as a finding"
    assert (frame["child"] == "A").any()


@pytest.mark.parametrize(
    "flag,column",
    [
        ("health_assessment", "health_assessment"),
        ("immunisations", "immunisations"),
        ("teeth", "dental_check"),
        ("substance", "substance_misuse"),
    ],
)
def test_each_flag_reads_its_own_column(flag, column):
    # Only one OC2 flag set to 1: exactly that indicator is 1/1, the others 0/1.
    ids_ = ["health_assessment", "immunisations", "dental_check", "substance_misuse"]
    res = run(dataset([ep("A", "01/01/2020")], oc2=[oc2("A", 2024, **{flag: "1"})]), D, ids_)
    for i in ids_:
        check_pct(res, i, 1 if i == column else 0, 1)
