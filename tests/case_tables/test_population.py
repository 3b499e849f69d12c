"""Case tables for population and flow indicators, worked by hand from indicators.md.

D = 31/03/2024 unless a case says otherwise; fytd = 01/04/2023 .. 31/03/2024.
"""

from __future__ import annotations

import pandas as pd
import pytest

from .builders import (
    chain,
    check,
    check_count,
    check_pct,
    check_window,
    dataset,
    ep,
    hdr,
    pick,
    rows_for,
    run,
    uasc,
)

D = "31/03/2024"
D_ISO = "2024-03-31"

COVERED = (
    "cla_count",
    "cla_rate_per_10k",
    "cla_started",
    "cla_ceased",
    "cla_during",
    "cla_by_placement_group",
    "cla_by_legal_status",
    "cla_by_age_band",
    "cla_by_sex",
    "cla_by_ethnic_group",
    "cla_by_provider",
    "cla_by_cin",
    "cla_uasc",
    "ceased_by_reason",
    "cla_started_rate_per_10k",
    "cla_ceased_rate_per_10k",
)

# Each case: (name, episodes, expected cla_count, cla_started, cla_ceased, cla_during) at D,
# windows fytd 01/04/2023..31/03/2024.
COHORT_CASES = [
    # open since 2022: looked after at D; started before the window; not ceased; during.
    ("open_episode", [ep("A", "01/01/2022")], 1, 0, 0, 1),
    # leaves ON D: DEC = D is not "DEC > D" -> not looked after at D; ceased in window (DEC = D
    # inclusive); during.
    ("leaves_on_D", [ep("A", "01/01/2024", dec="31/03/2024", rec="E4A")], 0, 1, 1, 1),
    # DECOM on D: DECOM <= D and DEC blank -> looked after; started on D (window end inclusive).
    ("starts_on_D", [ep("A", "31/03/2024")], 1, 1, 0, 1),
    # starts the day after D: nothing.
    ("starts_after_D", [ep("A", "01/04/2024")], 0, 0, 0, 0),
    # started on the window start (inclusive) -> started.
    ("starts_on_window_start", [ep("A", "01/04/2023")], 1, 1, 0, 1),
    # started the day before the window -> not started in it.
    ("starts_day_before_window", [ep("A", "31/03/2023")], 1, 0, 0, 1),
    # ended on window start: during (DEC >= window start) and ceased.
    ("ends_on_window_start", [ep("A", "01/01/2023", dec="01/04/2023", rec="E4A")], 0, 0, 1, 1),
    # ended the day before the window: in no measure.
    ("ends_day_before_window", [ep("A", "01/01/2023", dec="31/03/2023", rec="E4A")], 0, 0, 0, 0),
    # open short break (V3): dropped before cohorts -> in nothing.
    ("short_break_V3_open", [ep("A", "01/01/2024", ls="V3")], 0, 0, 0, 0),
    # V4 episode that ends in the window: still nothing.
    (
        "short_break_V4_closed",
        [ep("A", "01/05/2023", ls="V4", dec="10/05/2023", rec="E4A")],
        0,
        0,
        0,
        0,
    ),
    # V3 then V2 in one chain: V3 dropped, the V2 episode starts a period on 01/06/2023
    # (in window) -> looked after at D, started 1, during 1.
    (
        "short_break_then_V2",
        chain("A", ("01/01/2023", "S", "U4", "V3"), ("01/06/2023", "L", "U4", "V2")),
        1,
        1,
        0,
        1,
    ),
    # V2 then V3: V3 dropped; the V2 episode ends X1 with no episode starting that day ->
    # period ends but is NOT an exit -> not ceased; not looked after at D; during (V2 part).
    (
        "V2_then_short_break",
        chain("A", ("01/01/2023", "S", "U4", "V2"), ("01/06/2023", "L", "U4", "V3")),
        0,
        0,
        0,
        1,
    ),
    # X1 with no next episode: not an exit (ceased 0), not looked after at D, during 1.
    ("X1_no_next_episode", [ep("A", "01/01/2023", dec="01/06/2023", rec="X1")], 0, 0, 0, 1),
    # X1 followed by a gap (next episode 10/06/2023): the first period ends 01/06/2023 but is
    # not an exit; a new period starts 10/06/2023 (in the window) -> started 1, ceased 0.
    (
        "X1_gap_then_new_episode",
        [ep("A", "01/01/2023", dec="01/06/2023", rec="X1"), ep("A", "10/06/2023", rne="P")],
        1,
        1,
        0,
        1,
    ),
    # exit on D and re-entry on D: looked after at D (new period), started on D, ceased on D.
    ("exit_and_reentry_on_D", [ep("A", "01/01/2023", dec=D, rec="E13"), ep("A", D)], 1, 1, 1, 1),
    # open episode with REC filled in: open -> looked after at D; not ceased.
    ("open_with_REC", [ep("A", "01/01/2024", rec="E4A")], 1, 1, 0, 1),
    # exit + same-day re-entry = two periods (starts 01/05/2023 and 01/09/2023, both in the
    # window): started counted once, ceased once (the 01/09/2023 exit); looked after at D.
    (
        "exit_and_same_day_reentry",
        [ep("A", "01/05/2023", dec="01/09/2023", rec="E4A"), ep("A", "01/09/2023")],
        1,
        1,
        1,
        1,
    ),
    # re-entry later in the year after an exit in the year: started once, ceased once.
    (
        "exit_then_reentry",
        [ep("A", "01/01/2023", dec="01/05/2023", rec="E13"), ep("A", "01/06/2023")],
        1,
        1,
        1,
        1,
    ),
    # two exits in the window: ceased counted once.
    (
        "two_exits_in_window",
        [
            ep("A", "01/04/2023", dec="01/05/2023", rec="E13"),
            ep("A", "01/06/2023", dec="01/07/2023", rec="E4B"),
        ],
        0,
        1,
        1,
        1,
    ),
    # overlapping episodes (data error): child counted once at D (how the overlap splits
    # into periods is not specified, so cla_started is not checked: None).
    (
        "overlapping_episodes",
        [ep("A", "01/01/2023"), ep("A", "01/06/2023", rne="P")],
        1,
        None,
        0,
        1,
    ),
    # chain of X1 episodes across the year: one period, started before window, open.
    (
        "x1_chain",
        chain(
            "A",
            ("01/01/2023", "S", "U4"),
            ("01/05/2023", "P", "K2"),
            ("01/09/2023", "L", "K2", "E1"),
        ),
        1,
        0,
        0,
        1,
    ),
]


@pytest.mark.parametrize(
    "name,episodes,n_at,n_started,n_ceased,n_during", COHORT_CASES, ids=[c[0] for c in COHORT_CASES]
)
def test_cohorts_and_flows(name, episodes, n_at, n_started, n_ceased, n_during):
    res = run(dataset(episodes), D, ["cla_count", "cla_started", "cla_ceased", "cla_during"])
    check_count(res, "cla_count", n_at)
    if n_started is not None:
        check_count(res, "cla_started", n_started)
    check_count(res, "cla_ceased", n_ceased)
    check_count(res, "cla_during", n_during)


def test_flow_windows_and_point_window():
    res = run(
        dataset([ep("A", "01/01/2022")]),
        D,
        ["cla_count", "cla_started", "cla_ceased", "cla_during"],
    )
    check_window(res, "cla_count", D_ISO, D_ISO)
    for i in ("cla_started", "cla_ceased", "cla_during"):
        check_window(res, i, "2023-04-01", D_ISO)


def test_flows_in_year_fytd_window():
    # D = 30/09/2024 -> fytd 01/04/2024..30/09/2024.
    # A started 31/03/2024 (before window) -> not started; B started 01/04/2024 -> started;
    # C ceased 30/09/2024 (= D) -> ceased; D ceased 31/03/2024 -> not in the window at all.
    eps = [
        ep("A", "31/03/2024"),
        ep("B", "01/04/2024"),
        ep("C", "01/01/2024", dec="30/09/2024", rec="E13"),
        ep("D", "01/01/2024", dec="31/03/2024", rec="E13"),
    ]
    res = run(dataset(eps), "30/09/2024", ["cla_count", "cla_started", "cla_ceased", "cla_during"])
    check_count(res, "cla_count", 2)  # A, B
    check_count(res, "cla_started", 1)  # B
    check_count(res, "cla_ceased", 1)  # C
    check_count(res, "cla_during", 3)  # A, B, C
    check_window(res, "cla_started", "2024-04-01", "2024-09-30")


def test_windows_override_q():
    # windows={"cla_started": "q"}: quarter ending 31/03/2024 = 01/01/2024..31/03/2024.
    # A started 15/12/2023 (outside the quarter), B 01/01/2024 (inside).
    eps = [ep("A", "15/12/2023"), ep("B", "01/01/2024")]
    res = run(dataset(eps), D, ["cla_started"], windows={"cla_started": "q"})
    check_count(res, "cla_started", 1)
    check_window(res, "cla_started", "2024-01-01", D_ISO)


# ---------------------------------------------------------------- rate per 10k

POP = pd.DataFrame({"year": [2021, 2022, 2023], "population": [40_000, 45_000, 50_000]})


def test_rate_per_10k_population_year_rule():
    # D = 31/03/2024: financial year containing D began in 2023 -> mid-2023 = 50,000.
    # 3 children at D -> 3 / 50,000 * 10,000 = 0.6
    eps = [ep("A", "01/01/2023"), ep("B", "01/01/2023"), ep("C", "01/01/2023")]
    res = run(dataset(eps), D, ["cla_rate_per_10k"], population=POP)
    row = pick(res, "cla_rate_per_10k")
    assert row["numerator"] == 3
    assert row["value"] == pytest.approx(0.6)
    assert row["note"] == ""


def test_rate_per_10k_falls_back_with_note():
    # D = 30/06/2024: FY began 2024, not in POP -> latest earlier year 2023 (50,000) + a note.
    # 2 children at D -> 2 / 50,000 * 10,000 = 0.4
    eps = [ep("A", "01/01/2023"), ep("B", "01/01/2023")]
    res = run(dataset(eps), "30/06/2024", ["cla_rate_per_10k"], population=POP)
    row = pick(res, "cla_rate_per_10k")
    assert row["value"] == pytest.approx(0.4)
    assert row["note"] != "", "fallback population year must be flagged in the note"
    assert "2023" in row["note"]


def test_rate_per_10k_uses_year_not_latest():
    # D = 31/03/2023: FY began 2022 -> 45,000 even though 2023 is in the file.
    # 1 child -> 1 / 45,000 * 10,000 = 0.2222...
    res = run(dataset([ep("A", "01/01/2023")]), "31/03/2023", ["cla_rate_per_10k"], population=POP)
    assert pick(res, "cla_rate_per_10k")["value"] == pytest.approx(10_000 / 45_000)


def test_rate_per_10k_population_from_csv_path(tmp_path):
    path = tmp_path / "population.csv"
    path.write_text("year,population\n2023,20000\n")
    # 1 child / 20,000 * 10,000 = 0.5
    res = run(dataset([ep("A", "01/01/2023")]), D, ["cla_rate_per_10k"], population=str(path))
    assert pick(res, "cla_rate_per_10k")["value"] == pytest.approx(0.5)


# ---------------------------------------------------------------- breakdowns


def _groups(res, indicator_id):
    from cppanalytics.indicators.catalogue import BREAKDOWN_GROUPS, CATALOGUE

    bd = CATALOGUE[indicator_id].breakdown
    rows = rows_for(res, indicator_id)
    assert set(rows["breakdown"]) == {bd}, rows
    assert sorted(rows["group"]) == sorted(BREAKDOWN_GROUPS[bd]), (
        f"{indicator_id}: every group must be written once (zeros included); got "
        f"{rows['group'].tolist()}"
    )
    return rows


def _check_breakdown(res, indicator_id, counts: dict[str, int], total: int):
    """Every group present; listed groups have the count, the rest 0; value = % of total."""
    from cppanalytics.indicators.catalogue import BREAKDOWN_GROUPS, CATALOGUE

    _groups(res, indicator_id)
    for g in BREAKDOWN_GROUPS[CATALOGUE[indicator_id].breakdown]:
        n = counts.get(g, 0)
        check_pct(res, indicator_id, n, total, group=g)


def test_by_placement_group_with_temporary_and_overlap():
    # 10 children at D. Temporary placement at D reported under the placement held before
    # it: T (U4 -> T1 -> T2 run) = foster. Overlap: O has two open episodes, K2 (older) and
    # U6 (later DECOM = current) -> foster.
    eps = [
        ep("U", "01/01/2023", place="U1"),  # foster
        ep("A", "01/01/2023", place="A4"),  # placed_for_adoption
        ep("P", "01/01/2023", place="P1"),  # with_parents
        ep("I", "01/01/2023", place="P2"),  # other_community
        ep("K", "01/01/2023", place="K2"),  # secure/homes/semi-indep
        ep("R", "01/01/2023", place="R1"),  # other_residential
        ep("S", "01/01/2023", place="S1"),  # residential_schools
        ep("Z", "01/01/2023", place="Z1"),  # other
        *chain(
            "T", ("01/01/2023", "S", "U4"), ("01/03/2024", "P", "T1"), ("15/03/2024", "P", "T2")
        ),  # foster (held U4)
        ep("O", "01/01/2023", place="K2"),
        ep("O", "01/06/2023", rne="P", place="U6"),  # foster
    ]
    res = run(dataset(eps), D, ["cla_by_placement_group"])
    _check_breakdown(
        res,
        "cla_by_placement_group",
        {
            "foster": 3,
            "placed_for_adoption": 1,
            "with_parents": 1,
            "other_community": 1,
            "secure_childrens_homes_semi_independent": 1,
            "other_residential": 1,
            "residential_schools": 1,
            "other": 1,
        },
        10,
    )
    check_window(res, "cla_by_placement_group", D_ISO, D_ISO)


def test_by_placement_group_excludes_short_breaks_and_leavers():
    # A K2 at D; B short break V3 in R1 (not counted); C left on D from S1 (not at D).
    eps = [
        ep("A", "01/01/2023", place="K2"),
        ep("B", "01/03/2024", ls="V3", place="R1"),
        ep("C", "01/01/2023", place="S1", dec=D, rec="E4A"),
    ]
    res = run(dataset(eps), D, ["cla_by_placement_group"])
    _check_breakdown(
        res, "cla_by_placement_group", {"secure_childrens_homes_semi_independent": 1}, 1
    )


def test_by_legal_status():
    # 8 children: C1, C2 -> care_order 2; E1, D1 -> placement_order 2; V2 -> voluntary 1;
    # L2 -> child_protection 1; J1, J3 -> youth_justice 2; other 0. Each group / 8.
    codes = ["C1", "C2", "E1", "D1", "V2", "L2", "J1", "J3"]
    eps = [ep(f"c{i}", "01/01/2023", ls=ls) for i, ls in enumerate(codes)]
    res = run(dataset(eps), D, ["cla_by_legal_status"])
    _check_breakdown(
        res,
        "cla_by_legal_status",
        {
            "care_order": 2,
            "placement_order": 2,
            "voluntary": 1,
            "child_protection": 1,
            "youth_justice": 2,
        },
        8,
    )


def test_by_legal_status_current_episode():
    # legal status at D is the current episode's: C2 -> (L) E1 on 01/01/2024 -> placement_order.
    eps = chain("A", ("01/01/2022", "S", "U4", "C2"), ("01/01/2024", "L", "U4", "E1"))
    res = run(dataset(eps), D, ["cla_by_legal_status"])
    _check_breakdown(res, "cla_by_legal_status", {"placement_order": 1}, 1)


def test_by_age_band_birthdays_on_D():
    # Age at D = 31/03/2024 in completed years, birthday on D counts:
    #   DOB 01/04/2023 -> 0 (under 1); 31/03/2023 -> 1 (1-4); 31/03/2019 -> 5 (5-9);
    #   01/04/2014 -> 9 (5-9); 31/03/2014 -> 10 (10-15); 01/04/2008 -> 15 (10-15);
    #   31/03/2008 -> 16 (16+); blank DOB -> unknown.  Total 8.
    dobs = [
        "01/04/2023",
        "31/03/2023",
        "31/03/2019",
        "01/04/2014",
        "31/03/2014",
        "01/04/2008",
        "31/03/2008",
        "",
    ]
    eps = [ep(f"c{i}", "01/01/2024") for i in range(len(dobs))]
    heads = [hdr(f"c{i}", dob=d) for i, d in enumerate(dobs)]
    res = run(dataset(eps, heads), D, ["cla_by_age_band"])
    _check_breakdown(
        res,
        "cla_by_age_band",
        {"under 1": 1, "1-4": 1, "5-9": 2, "10-15": 2, "16+": 1, "unknown": 1},
        8,
    )


@pytest.mark.parametrize("d,band", [("28/02/2022", "5-9"), ("01/03/2022", "10-15")])
def test_by_age_band_leap_day_birthday(d, band):
    # DOB 29/02/2012: the 10th birthday falls on 01/03/2022 (2022 not a leap year), so the
    # child is 9 on 28/02/2022 and 10 on 01/03/2022.
    res = run(
        dataset([ep("A", "01/01/2022")], [hdr("A", dob="29/02/2012")]), d, ["cla_by_age_band"]
    )
    _check_breakdown(res, "cla_by_age_band", {band: 1}, 1)


def test_by_sex_old_and_new_codes():
    # 1, M -> male 2; 2, F -> female 2; U -> unknown 1. Total 5.
    sexes = ["1", "M", "2", "F", "U"]
    eps = [ep(f"c{i}", "01/01/2023") for i in range(5)]
    heads = [hdr(f"c{i}", sex=s) for i, s in enumerate(sexes)]
    res = run(dataset(eps, heads), D, ["cla_by_sex"])
    _check_breakdown(res, "cla_by_sex", {"male": 2, "female": 2, "unknown": 1}, 5)


def test_by_ethnic_group():
    # WBRI, WIRT -> white 2; MWBC mixed 1; AIND asian 1; BAFR black 1; OOTH other 1;
    # REFU, NOBT -> not_known 2. Total 8.
    codes = ["WBRI", "WIRT", "MWBC", "AIND", "BAFR", "OOTH", "REFU", "NOBT"]
    eps = [ep(f"c{i}", "01/01/2023") for i in range(len(codes))]
    heads = [hdr(f"c{i}", ethnic=c) for i, c in enumerate(codes)]
    res = run(dataset(eps, heads), D, ["cla_by_ethnic_group"])
    _check_breakdown(
        res,
        "cla_by_ethnic_group",
        {"white": 2, "mixed": 1, "asian": 1, "black": 1, "other": 1, "not_known": 2},
        8,
    )


def test_by_provider():
    # PR1 x2, PR4, PR0 -> PR0 25%, PR1 50%, PR4 25%, others 0. A leaver (PR5) not counted.
    eps = [
        ep("a", "01/01/2023", provider="PR1"),
        ep("b", "01/01/2023", provider="PR1"),
        ep("c", "01/01/2023", provider="PR4"),
        ep("d", "01/01/2023", provider="PR0"),
        ep("e", "01/01/2023", provider="PR5", dec="01/03/2024", rec="E4A"),
    ]
    res = run(dataset(eps), D, ["cla_by_provider"])
    _check_breakdown(res, "cla_by_provider", {"PR0": 1, "PR1": 2, "PR4": 1}, 4)


def test_by_cin():
    # N1 x3, N8 x1 -> N1 75%, N8 25%, others written as 0.
    eps = [ep(f"c{i}", "01/01/2023", cin=c) for i, c in enumerate(["N1", "N1", "N1", "N8"])]
    res = run(dataset(eps), D, ["cla_by_cin"])
    _check_breakdown(res, "cla_by_cin", {"N1": 3, "N8": 1}, 4)


def test_breakdowns_with_nobody_in_care_write_every_group():
    # nobody looked after at D: every group still written, numerator 0, value NaN (0/0).
    ids_ = [
        "cla_by_placement_group",
        "cla_by_legal_status",
        "cla_by_age_band",
        "cla_by_sex",
        "cla_by_ethnic_group",
        "cla_by_provider",
        "cla_by_cin",
    ]
    res = run(dataset([ep("A", "01/01/2020", dec="01/01/2021", rec="E4A")]), D, ids_)
    for i in ids_:
        rows = _groups(res, i)
        assert (rows["numerator"] == 0).all(), rows


# ---------------------------------------------------------------- UASC


def test_uasc():
    # At D: A UASC DUC blank -> yes; B DUC 01/01/2025 > D -> yes; C DUC = D (not > D) -> no;
    # E no UASC record -> no. F is UASC but left care before D -> not in either side.
    # 2 / 4 = 50%.
    eps = [ep(c, "01/01/2023") for c in "ABCE"]
    eps.append(ep("F", "01/01/2023", dec="01/02/2024", rec="E3"))
    res = run(
        dataset(eps, uasc=[uasc("A"), uasc("B", "01/01/2025"), uasc("C", D), uasc("F")]),
        D,
        ["cla_uasc"],
    )
    check_pct(res, "cla_uasc", 2, 4)


# ---------------------------------------------------------------- ceased by reason


def test_ceased_by_reason_every_group():
    # fytd 2023-24. One child per REC (each ceasing once, in the window):
    #   E11, E12 -> adopted 2; E45, E43 -> sgo 2; E4A, E4B, E13 -> returned_home 3;
    #   E41 -> residence_cao 1; E5, E6 -> independent_living 2; E3 -> transferred 1;
    #   E9 -> custody 1; E2, E17, E8 -> other 3.  Total ceased 15.
    recs = [
        "E11",
        "E12",
        "E45",
        "E43",
        "E4A",
        "E4B",
        "E13",
        "E41",
        "E5",
        "E6",
        "E3",
        "E9",
        "E2",
        "E17",
        "E8",
    ]
    eps = [ep(f"c{i}", "01/01/2023", dec="01/06/2023", rec=r) for i, r in enumerate(recs)]
    res = run(dataset(eps), D, ["ceased_by_reason", "cla_ceased"])
    check_count(res, "cla_ceased", 15)
    _check_breakdown(
        res,
        "ceased_by_reason",
        {
            "adopted": 2,
            "sgo": 2,
            "returned_home": 3,
            "residence_cao": 1,
            "independent_living": 2,
            "transferred": 1,
            "custody": 1,
            "other": 3,
        },
        15,
    )
    check_window(res, "ceased_by_reason", "2023-04-01", D_ISO)


def test_ceased_by_reason_last_exit_counts_once():
    # A leaves 01/05/2023 E13, re-enters 01/06/2023, adopted 01/12/2023 (E11): counted once,
    # under the LAST exit -> adopted 1 of 1. B: X1 with no next episode -> not ceased.
    # C: V4 short break ending E4A -> not ceased.
    eps = [
        ep("A", "01/01/2023", dec="01/05/2023", rec="E13"),
        ep("A", "01/06/2023", place="A4", dec="01/12/2023", rec="E11"),
        ep("B", "01/01/2023", dec="01/06/2023", rec="X1"),
        ep("C", "01/05/2023", ls="V4", dec="02/05/2023", rec="E4A"),
    ]
    res = run(dataset(eps), D, ["ceased_by_reason", "cla_ceased"])
    check_count(res, "cla_ceased", 1)
    _check_breakdown(res, "ceased_by_reason", {"adopted": 1}, 1)


def test_cla_count_headline_denominator_empty():
    res = run(dataset([ep("A", "01/01/2023")]), D, ["cla_count"])
    row = pick(res, "cla_count")
    check(row, 1, None, 1)
    assert row["unit"] == "count" and row["breakdown"] == "" and row["group"] == ""


def test_unknown_id_is_a_clear_error():
    from cppanalytics.errors import CppError

    with pytest.raises(CppError, match="no_such_indicator"):
        run(dataset([ep("A", "01/01/2023")]), D, ["cla_count", "no_such_indicator"])


def test_by_placement_group_every_code():
    # DfE reporting groups per ssda903.md, incl. older and newer codes:
    #  foster: U2 U3 U5 Q1 Q2 (5); placed_for_adoption: A3 A5 A6 (3); with_parents: P1 (1);
    #  other_community: P3 (1); secure/homes/semi-independent: K1 K3 H5 (3);
    #  other_residential: R2 R3 R5 (3); residential_schools: S1 (1); other: Z11 Z14 (2).
    #  Total 19.
    places = [
        "U2",
        "U3",
        "U5",
        "Q1",
        "Q2",
        "A3",
        "A5",
        "A6",
        "P1",
        "P3",
        "K1",
        "K3",
        "H5",
        "R2",
        "R3",
        "R5",
        "S1",
        "Z11",
        "Z14",
    ]
    eps = [ep(f"c{i}", "01/01/2023", place=p) for i, p in enumerate(places)]
    res = run(dataset(eps), D, ["cla_by_placement_group"])
    _check_breakdown(
        res,
        "cla_by_placement_group",
        {
            "foster": 5,
            "placed_for_adoption": 3,
            "with_parents": 1,
            "other_community": 1,
            "secure_childrens_homes_semi_independent": 3,
            "other_residential": 3,
            "residential_schools": 1,
            "other": 2,
        },
        19,
    )


def test_ceased_by_reason_rarer_codes_are_other():
    # E7 (adult social care), E14 (remand ended), E15 (age assessment 18+), E16 (abroad)
    # -> other 4; E44 (old SGO code) -> sgo 1.  Total 5.
    recs = ["E7", "E14", "E15", "E16", "E44"]
    eps = [ep(f"c{i}", "01/01/2023", dec="01/06/2023", rec=r) for i, r in enumerate(recs)]
    res = run(dataset(eps), D, ["ceased_by_reason"])
    _check_breakdown(res, "ceased_by_reason", {"other": 4, "sgo": 1}, 5)


def test_header_latest_collection_year_wins():
    # Two header rows for A: YEAR 2023 says DOB 01/01/2010 (14 at D), YEAR 2024 corrects it to
    # 01/06/2020 (3 at D). The latest year's row is used -> 1-4.
    heads = [
        hdr("A", dob="01/01/2010") | {"YEAR": 2023},
        hdr("A", dob="01/06/2020") | {"YEAR": 2024},
    ]
    res = run(dataset([ep("A", "01/01/2023")], heads), D, ["cla_by_age_band"])
    _check_breakdown(res, "cla_by_age_band", {"1-4": 1}, 1)


def test_several_period_ends_stacked():
    # period_end may be a sequence: results for each are stacked and equal separate runs.
    # A in care 01/01/2023 .. 01/12/2023 (E4A); B from 01/10/2023.
    # 30/09/2023 (fytd from 01/04/2023): count 1 (A), ceased 0, started 0 (A began before it,
    # B after D); 31/03/2024: count 1 (B), ceased fytd 1 (A), started fytd 1 (B).
    from cppanalytics.indicators import compute

    ds = dataset([ep("A", "01/01/2023", dec="01/12/2023", rec="E4A"), ep("B", "01/10/2023")])
    ends = [pd.Timestamp("2023-09-30"), pd.Timestamp("2024-03-31")]
    res = compute(ds, ends, ids=["cla_count", "cla_ceased", "cla_started"])
    assert sorted(res["period_end"].unique()) == ends
    got = {(r.indicator_id, r.period_end.strftime("%Y-%m-%d")): r.value for r in res.itertuples()}
    assert got == {
        ("cla_count", "2023-09-30"): 1,
        ("cla_ceased", "2023-09-30"): 0,
        ("cla_started", "2023-09-30"): 0,
        ("cla_count", "2024-03-31"): 1,
        ("cla_ceased", "2024-03-31"): 1,
        ("cla_started", "2024-03-31"): 1,
    }


@pytest.mark.parametrize(
    "older,newer,n_at,n_ceased",
    [
        # open in the 2023 return, closed (E4A 01/06/2023) in the 2024 return -> closed
        (dict(), dict(dec="01/06/2023", rec="E4A"), 0, 1),
        # closed in the 2023 return, amended to open in the 2024 return -> open
        (dict(dec="01/03/2023", rec="E4A"), dict(), 1, 0),
    ],
)
def test_latest_collection_year_wins_for_same_episode(older, newer, n_at, n_ceased):
    # The same (CHILD, DECOM) in two collection years: the latest year's row is used.
    eps = [ep("A", "01/01/2023", year=2024, **newer), ep("A", "01/01/2023", year=2023, **older)]
    res = run(dataset(eps), D, ["cla_count", "cla_ceased"])
    check_count(res, "cla_count", n_at)
    check_count(res, "cla_ceased", n_ceased)


def test_x1_without_next_episode_is_a_finding():
    # "An X1 with no episode starting that day breaks the chain ... and it is a data-quality
    # finding."
    from cppanalytics.findings import Findings

    f = Findings()
    run(dataset([ep("A", "01/01/2023", dec="01/06/2023", rec="X1")]), D, ["cla_ceased"], findings=f)
    assert (f.to_frame()["child"] == "A").any(), f.to_frame()


def test_starters_and_leavers_per_10k_rolling_12_months_at_a_quarter_end():
    # D = 31/12/2023: r12 = 01/01/2023..31/12/2023; FY began 2023 -> mid-2023 = 50,000.
    # A starts 01/01/2023 (window start, in), B starts 31/12/2022 (day before, out) and
    # leaves 31/12/2023 (on D, in); C starts 31/12/2023 (on D, in) -> 2 starters, 1 leaver.
    eps = [
        ep("A", "01/01/2023"),
        ep("B", "31/12/2022", dec="31/12/2023", rec="E4A"),
        ep("C", "31/12/2023"),
    ]
    res = run(
        dataset(eps),
        "31/12/2023",
        ["cla_started_rate_per_10k", "cla_ceased_rate_per_10k"],
        population=POP,
    )
    check(pick(res, "cla_started_rate_per_10k"), 2, 50_000, 0.4)
    check(pick(res, "cla_ceased_rate_per_10k"), 1, 50_000, 0.2)
    check_window(res, "cla_started_rate_per_10k", "2023-01-01", "2023-12-31")
    check_window(res, "cla_ceased_rate_per_10k", "2023-01-01", "2023-12-31")


# ------------------------------------------------ leaving care at 18 (care ends on the birthday)
# Care ends at the 18th birthday at the latest: an episode recorded as running past it counts
# as ending ON the birthday (the day DfE's returns record for a child leaving at 18). So a
# child whose 18th birthday is before the window start cannot leave care in it, and one whose
# birthday falls in the window (its start included) left in it and was looked after during it.
# Each case: (name, DOB, DEC of an episode open since 01/01/2020 with REC E4A, expected
# cla_ceased, cla_during) at D = 31/03/2024, fytd 01/04/2023..31/03/2024.
LEAVING_AT_18_CASES = [
    # 18 on 01/01/2023, well before the window; episode ended 01/06/2023 -> left on
    # 01/01/2023, in neither measure.
    ("18_before_window_ended_inside", "01/01/2005", "01/06/2023", 0, 0),
    # 18 on 31/03/2023, the day before the window; ended on the window start -> left on
    # 31/03/2023, not in the window.
    ("18_day_before_window_ended_on_start", "31/03/2005", "01/04/2023", 0, 0),
    # 18 ON the window start and left that day: DEC >= window start -> during, and ceased.
    ("18_on_window_start_left_that_day", "01/04/2005", "01/04/2023", 1, 1),
    # 18 on the window start, episode recorded to 01/06/2023 -> left on 01/04/2023: both.
    ("18_on_window_start_ended_later", "01/04/2005", "01/06/2023", 1, 1),
    # 18 inside the window (01/10/2023), ended 01/12/2023 -> left 01/10/2023: both.
    ("18_inside_window_ended_later", "01/10/2005", "01/12/2023", 1, 1),
    # 18 inside the window, episode recorded as ending after D (01/06/2024) -> left on the
    # birthday, inside this window.
    ("18_inside_window_ended_after_D", "01/10/2005", "01/06/2024", 1, 1),
    # 18 on D, left on D: both (window end inclusive).
    ("18_on_D_left_on_D", "31/03/2006", "31/03/2024", 1, 1),
    # 18 on D, still open: not looked after at D, looked after during, not a leaver (no exit
    # recorded yet).
    ("18_on_D_still_open", "31/03/2006", "", 0, 1),
]


@pytest.mark.parametrize(
    "name,dob,dec,n_ceased,n_during",
    LEAVING_AT_18_CASES,
    ids=[c[0] for c in LEAVING_AT_18_CASES],
)
def test_leaving_care_at_18_counts_on_the_birthday(name, dob, dec, n_ceased, n_during):
    eps = [ep("A", "01/01/2020", dec=dec, rec="E4A" if dec else "")]
    ids_ = ["cla_ceased", "cla_during", "ceased_by_reason", "cla_ceased_rate_per_10k"]
    pop = pd.DataFrame({"year": [2023], "population": [50_000]})
    res = run(dataset(eps, [hdr("A", dob=dob)]), D, ids_, population=pop)
    check_count(res, "cla_ceased", n_ceased)
    check_count(res, "cla_during", n_during)
    returned_home = pick(res, "ceased_by_reason", group="returned_home")
    assert returned_home["numerator"] == n_ceased
    assert pick(res, "cla_ceased_rate_per_10k")["numerator"] == n_ceased


def test_leaving_after_18_counts_in_the_birthdays_year_not_the_recorded_one():
    # 18 on 01/10/2023, episode recorded as ending 01/06/2024 (E4A): the child left care on
    # 01/10/2023. At 30/06/2024 (fytd 01/04/2024..30/06/2024) they are neither a leaver nor
    # looked after during the window (already 18 when it starts).
    eps = [ep("A", "01/01/2020", dec="01/06/2024", rec="E4A")]
    res = run(
        dataset(eps, [hdr("A", dob="01/10/2005")]), "30/06/2024", ["cla_ceased", "cla_during"]
    )
    check_count(res, "cla_ceased", 0)
    check_count(res, "cla_during", 0)


@pytest.mark.parametrize(
    "dob,decom,n_started,n_during",
    [
        # 18 on 01/01/2023; a period recorded as starting 01/06/2023 is not care: no start,
        # not looked after during the window (already 18 when it starts).
        ("01/01/2005", "01/06/2023", 0, 0),
        # 18 on 01/06/2023, the period starts that day: not care either; looked after during
        # (the episode overlaps the window and the child is 17 on its eve) but no start.
        ("01/06/2005", "01/06/2023", 0, 1),
        # starts the day before the 18th birthday (01/10/2023): a start, and during.
        ("01/10/2005", "30/09/2023", 1, 1),
    ],
    ids=["18_before_window", "starts_on_18th_birthday", "starts_day_before_18"],
)
def test_a_period_starting_at_18_or_later_is_not_a_start(dob, decom, n_started, n_during):
    res = run(dataset([ep("A", decom)], [hdr("A", dob=dob)]), D, ["cla_started", "cla_during"])
    check_count(res, "cla_started", n_started)
    check_count(res, "cla_during", n_during)
