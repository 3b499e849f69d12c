"""Case tables for adoption indicators, worked by hand from indicators.md.

D = 31/03/2024: fytd = 01/04/2023 .. 31/03/2024; r36 = 01/04/2021 .. 31/03/2024.
Day counts are calendar-day differences (checked with datetime.date subtraction).
"""

from __future__ import annotations

import math

import pytest

from .builders import (
    ad1,
    chain,
    check_count,
    check_pct,
    check_window,
    dataset,
    ep,
    hdr,
    pick,
    placed,
    run,
)

COVERED = (
    "adopted_count",
    "adopted_pct_of_ceased",
    "sgo_count",
    "adoption_within_12m_of_decision",
    "adoption_a1_days",
    "adoption_a10_days",
    "adoption_a2_days",
)

D = "31/03/2024"
PC = "MK9 3EJ"


def test_adopted_sgo_and_pct_of_ceased():
    #  A E11 15/06/2023 adopted; B E12 on D adopted (window end inclusive);
    #  C E11 31/03/2023 (before window); D E45, E E43 (pre-2019/20 code), H E48 -> SGO;
    #  F E4A; G X1 with no next episode (not an exit); I short break V3 ending E11 (ignored).
    # cla_ceased = A B D E F H = 6; adopted 2 -> 2/6; sgo 3.
    eps = [
        ep("A", "01/01/2021", place="A4", dec="15/06/2023", rec="E11"),
        ep("B", "01/01/2021", place="A4", dec=D, rec="E12"),
        ep("C", "01/01/2021", place="A4", dec="31/03/2023", rec="E11"),
        ep("D", "01/01/2021", dec="01/05/2023", rec="E45"),
        ep("E", "01/01/2021", dec="01/06/2023", rec="E43"),
        ep("H", "01/01/2021", dec="01/07/2023", rec="E48"),
        ep("F", "01/01/2021", dec="01/07/2023", rec="E4A"),
        ep("G", "01/01/2021", dec="01/07/2023", rec="X1"),
        ep("I", "01/05/2023", ls="V3", place="A4", dec="02/05/2023", rec="E11"),
    ]
    ids_ = ["adopted_count", "adopted_pct_of_ceased", "sgo_count", "cla_ceased"]
    res = run(dataset(eps), D, ids_)
    check_count(res, "cla_ceased", 6)
    check_count(res, "adopted_count", 2)
    check_pct(res, "adopted_pct_of_ceased", 2, 6)
    check_count(res, "sgo_count", 3)
    for i in ids_:
        check_window(res, i, "2023-04-01", "2024-03-31")


def test_adopted_counted_once_after_reentry():
    # Left home 01/05/2023 (E13), back 01/06/2023, adopted 01/12/2023 (E11): adopted 1,
    # ceased 1 -> 100%. SGO E46 after a re-entry for another child: sgo 1.
    eps = [
        ep("A", "01/01/2023", dec="01/05/2023", rec="E13"),
        ep("A", "01/06/2023", place="A4", dec="01/12/2023", rec="E11"),
        ep("B", "01/01/2023", dec="01/05/2023", rec="E4A"),
        ep("B", "01/06/2023", dec="01/12/2023", rec="E46"),
    ]
    res = run(dataset(eps), D, ["adopted_count", "adopted_pct_of_ceased", "sgo_count"])
    check_count(res, "adopted_count", 1)
    check_pct(res, "adopted_pct_of_ceased", 1, 2)
    check_count(res, "sgo_count", 1)


# ---------------------------------------------------------------- within 12 months of decision

# (name, episodes, placed_adoption rows, ad1 rows, numerator, denominator) for one child "A"
WITHIN_CASES = [
    # placed 01/03/2022 (A4 run start); decision 01/06/2021 -> 273 days < 365 -> yes
    (
        "273_days",
        chain(
            "A",
            ("01/01/2021", "S", "U4"),
            ("01/03/2022", "P", "A4", "E1"),
            dec="15/06/2023",
            rec="E11",
        ),
        [placed("A", "01/06/2021")],
        [],
        1,
        1,
    ),
    # exactly 365 days (01/06/2021 -> 01/06/2022) is not "less than 365" -> no
    (
        "exactly_365_days",
        chain(
            "A",
            ("01/01/2020", "S", "U4"),
            ("01/06/2022", "P", "A6", "E1"),
            dec="01/10/2023",
            rec="E11",
        ),
        [placed("A", "01/06/2021")],
        [],
        0,
        1,
    ),
    # 364 days (02/06/2021 -> 01/06/2022) -> yes
    (
        "364_days",
        chain(
            "A",
            ("01/01/2020", "S", "U4"),
            ("01/06/2022", "P", "A6", "E1"),
            dec="01/10/2023",
            rec="E11",
        ),
        [placed("A", "02/06/2021")],
        [],
        1,
        1,
    ),
    # decision on the placed date itself (0 days) -> yes
    (
        "decision_on_placed_date",
        chain(
            "A",
            ("01/01/2021", "S", "U4"),
            ("01/03/2022", "P", "A4", "E1"),
            dec="15/06/2023",
            rec="E11",
        ),
        [placed("A", "01/03/2022")],
        [],
        1,
        1,
    ),
    # no PlacedAdoption row: AD1 DATE_INT 01/07/2021 -> placed 01/05/2022 (A3 via T) = 304 -> yes
    (
        "ad1_date_int_fallback",
        chain(
            "A",
            ("01/01/2021", "S", "U4"),
            ("01/05/2022", "T", "A3", "E1"),
            dec="01/12/2023",
            rec="E12",
        ),
        [],
        [ad1("A", "01/07/2021")],
        1,
        1,
    ),
    # PlacedAdoption rows 01/01/2021 and 01/02/2022, placed 01/06/2022: the LATEST on or before
    # is 01/02/2022 -> 120 days -> yes (the earliest would give 516 -> no)
    (
        "latest_decision_on_or_before",
        chain(
            "A",
            ("01/01/2020", "S", "U4"),
            ("01/06/2022", "P", "A4", "E1"),
            dec="01/10/2023",
            rec="E11",
        ),
        [placed("A", "01/01/2021"), placed("A", "01/02/2022")],
        [],
        1,
        1,
    ),
    # rows 01/01/2021 and 01/05/2022, placed 01/03/2022: 01/05/2022 is after -> decision
    # 01/01/2021 -> 424 days -> no
    (
        "decision_after_placed_ignored",
        chain(
            "A",
            ("01/01/2020", "S", "U4"),
            ("01/03/2022", "P", "A4", "E1"),
            dec="01/10/2023",
            rec="E11",
        ),
        [placed("A", "01/01/2021"), placed("A", "01/05/2022")],
        [],
        0,
        1,
    ),
    # only PlacedAdoption row is after the placed date -> AD1 DATE_INT 01/06/2021 -> 273 -> yes
    (
        "only_later_decision_then_ad1",
        chain(
            "A",
            ("01/01/2021", "S", "U4"),
            ("01/03/2022", "P", "A4", "E1"),
            dec="15/06/2023",
            rec="E11",
        ),
        [placed("A", "01/05/2022")],
        [ad1("A", "01/06/2021")],
        1,
        1,
    ),
    # earlier A3-A6 run that did not end in adoption (disrupted 01/09/2021) -> excluded
    (
        "earlier_run_disrupted_excluded",
        chain(
            "A",
            ("01/01/2020", "S", "U4"),
            ("01/03/2021", "P", "A4", "E1"),
            ("01/09/2021", "P", "U4", "E1"),
            ("01/03/2023", "P", "A4", "E1"),
            dec="01/02/2024",
            rec="E11",
        ),
        [placed("A", "01/01/2023")],
        [],
        0,
        0,
    ),
    # a temporary episode ends a run ("any other episode, a temporary one included, ends a
    # run"): A4 | T1 | A4 -> the first A4 run is an earlier run that did not end in adoption ->
    # excluded (literal reading of the exclusion rule)
    (
        "temporary_splits_run_excluded",
        chain(
            "A",
            {"decom": "01/01/2020", "rne": "S", "place": "U4"},
            {"decom": "01/01/2022", "rne": "P", "place": "A4", "ls": "E1", "pl": PC},
            {"decom": "01/06/2022", "rne": "P", "place": "T1", "ls": "E1"},
            {"decom": "10/06/2022", "rne": "P", "place": "A4", "ls": "E1", "pl": PC},
            dec="01/03/2024",
            rec="E11",
        ),
        [placed("A", "01/12/2021")],
        [],
        0,
        0,
    ),
    # adopted with no A3-A6 episode -> excluded
    (
        "no_A_episode_excluded",
        [ep("A", "01/01/2021", ls="E1", dec="01/10/2023", rec="E11")],
        [placed("A", "01/06/2022")],
        [],
        0,
        0,
    ),
    # no decision date anywhere -> excluded
    (
        "no_decision_excluded",
        chain(
            "A",
            ("01/01/2021", "S", "U4"),
            ("01/03/2022", "P", "A4", "E1"),
            dec="15/06/2023",
            rec="E11",
        ),
        [],
        [ad1("A")],
        0,
        0,
    ),
    # adopted before the window -> not in the cohort
    (
        "adopted_before_window",
        chain(
            "A",
            ("01/01/2021", "S", "U4"),
            ("01/03/2022", "P", "A4", "E1"),
            dec="31/03/2023",
            rec="E11",
        ),
        [placed("A", "01/06/2021")],
        [],
        0,
        0,
    ),
    # left on an SGO, not adopted -> not in the cohort
    (
        "sgo_not_adopted",
        chain(
            "A",
            ("01/01/2021", "S", "U4"),
            ("01/03/2022", "P", "A4", "E1"),
            dec="15/06/2023",
            rec="E45",
        ),
        [placed("A", "01/06/2021")],
        [],
        0,
        0,
    ),
]


@pytest.mark.parametrize(
    "name,episodes,pa,ad,num,den", WITHIN_CASES, ids=[c[0] for c in WITHIN_CASES]
)
def test_within_12m_of_decision(name, episodes, pa, ad, num, den):
    ds = dataset(episodes, placed_adoption=pa, ad1=ad)
    res = run(ds, D, ["adoption_within_12m_of_decision"])
    check_pct(res, "adoption_within_12m_of_decision", num, den)
    check_window(res, "adoption_within_12m_of_decision", "2023-04-01", "2024-03-31")


def test_within_12m_mixed_cohort_and_findings():
    # All the single-child cases together under distinct ids: yes 6 (273, 364, on date, ad1,
    # latest, ad1 after later row), no 2 (365, after ignored) -> 6 / 8; exclusions are findings.
    from cppanalytics.findings import Findings

    eps, pa, ad = [], [], []
    for name, e, p, a, _, _ in WITHIN_CASES:
        for row in e:
            eps.append(row | {"CHILD": name})
        pa += [row | {"CHILD": name} for row in p]
        ad += [row | {"CHILD": name} for row in a]
    f = Findings()
    res = run(
        dataset(eps, placed_adoption=pa, ad1=ad), D, ["adoption_within_12m_of_decision"], findings=f
    )
    check_pct(res, "adoption_within_12m_of_decision", 6, 8)
    flagged = set(f.to_frame()["child"])
    for excluded in (
        "earlier_run_disrupted_excluded",
        "no_A_episode_excluded",
        "no_decision_excluded",
    ):
        assert excluded in flagged, f"exclusion of {excluded} should be a data-quality finding"


# ---------------------------------------------------------------- A1 / A10 / A2 (r36)


def test_a1_days():
    #  c1: start 01/01/2021, A4 from 01/03/2022, adopted 15/06/2023 -> 424
    #  c2: start 01/06/2020, A4 01/01/2022 | T1 01/06/2022 | A4 10/06/2022, adopted 01/03/2024:
    #      final run starts 10/06/2022 -> 739
    #  c3: adopted 31/03/2021, before r36 -> out
    #  c4: earlier run disrupted (no exclusion for A1): start 01/01/2020, final run 01/03/2023,
    #      adopted 01/02/2024 -> 1155
    #  c5: earlier period 2018-2019; current period from 01/02/2020, A4 01/02/2021,
    #      adopted 01/08/2022 -> 366 (2020 is a leap year)
    # mean = (424 + 739 + 1155 + 366) / 4 = 671
    eps = [
        *chain(
            "c1",
            ("01/01/2021", "S", "U4"),
            ("01/03/2022", "P", "A4", "E1"),
            dec="15/06/2023",
            rec="E11",
        ),
        *chain(
            "c2",
            {"decom": "01/06/2020", "rne": "S", "place": "U4"},
            {"decom": "01/01/2022", "rne": "P", "place": "A4", "ls": "E1", "pl": PC},
            {"decom": "01/06/2022", "rne": "P", "place": "T1", "ls": "E1"},
            {"decom": "10/06/2022", "rne": "P", "place": "A4", "ls": "E1", "pl": PC},
            dec="01/03/2024",
            rec="E11",
        ),
        *chain(
            "c3",
            ("01/01/2019", "S", "U4"),
            ("01/03/2020", "P", "A4", "E1"),
            dec="31/03/2021",
            rec="E11",
        ),
        *chain(
            "c4",
            ("01/01/2020", "S", "U4"),
            ("01/03/2021", "P", "A4", "E1"),
            ("01/09/2021", "P", "U4", "E1"),
            ("01/03/2023", "P", "A4", "E1"),
            dec="01/02/2024",
            rec="E11",
        ),
        ep("c5", "01/01/2018", dec="01/06/2019", rec="E4A"),
        *chain(
            "c5",
            ("01/02/2020", "S", "U4"),
            ("01/02/2021", "P", "A4", "E1"),
            dec="01/08/2022",
            rec="E12",
        ),
    ]
    res = run(dataset(eps), D, ["adoption_a1_days"])
    row = pick(res, "adoption_a1_days")
    assert row["value"] == pytest.approx(671.0), row
    assert row["unit"] == "days"
    check_window(res, "adoption_a1_days", "2021-04-01", "2024-03-31")


def test_a10_days_foster_carer_adoptions():
    #  f1: U4 01/01/2021 | P U4 01/06/2021 (new carer) | T A5 01/03/2022 (same carer), adopted
    #      01/09/2023: A1 = 424; foster-carer adoption (final run starts A5) -> clock stops at
    #      the start of that carer spell, 01/06/2021 -> 151
    #  f2: U4 01/01/2021 | P U6 01/07/2021 | U A4 01/03/2022 (same carer), AD1 FOSTER_CARE 1,
    #      adopted 01/10/2023: A1 = 424; A10 -> carer spell began 01/07/2021 -> 181
    #  f3: U4 01/01/2021 | P A4 01/03/2022, not by the foster carer: 424 both
    # A1 mean 424; A10 mean (151 + 181 + 424) / 3 = 252
    eps = [
        *chain(
            "f1",
            ("01/01/2021", "S", "U4"),
            ("01/06/2021", "P", "U4"),
            ("01/03/2022", "T", "A5", "E1"),
            dec="01/09/2023",
            rec="E11",
        ),
        *chain(
            "f2",
            ("01/01/2021", "S", "U4"),
            ("01/07/2021", "P", "U6"),
            ("01/03/2022", "U", "A4", "E1"),
            dec="01/10/2023",
            rec="E11",
        ),
        *chain(
            "f3",
            ("01/01/2021", "S", "U4"),
            ("01/03/2022", "P", "A4", "E1"),
            dec="15/06/2023",
            rec="E11",
        ),
    ]
    ds = dataset(
        eps,
        ad1=[
            ad1("f2", "01/06/2021", "01/01/2022", foster_care="1"),
            ad1("f3", "01/06/2021", "01/01/2022", foster_care="0"),
        ],
    )
    res = run(ds, D, ["adoption_a1_days", "adoption_a10_days"])
    assert pick(res, "adoption_a1_days")["value"] == pytest.approx(424.0)
    assert pick(res, "adoption_a10_days")["value"] == pytest.approx(252.0)
    check_window(res, "adoption_a10_days", "2021-04-01", "2024-03-31")


def test_a2_days():
    #  g1: E1 from 01/06/2021 (L), match 01/12/2021 -> 183
    #  g2: E1 from 01/06/2021, match 01/05/2021 -> -31 -> counted as 0
    #  g3: no E1/D1 episode -> excluded
    #  g4: E1 but no DATE_MATCH -> excluded
    #  g5: D1 from 01/02/2021 (first E1/D1 episode; E1 later), match 01/02/2022 -> 365
    # mean (183 + 0 + 365) / 3 = 182.666...
    eps = [
        *chain(
            "g1",
            ("01/01/2021", "S", "U4", "C2"),
            ("01/06/2021", "L", "U4", "E1"),
            ("01/03/2022", "P", "A4", "E1"),
            dec="01/10/2023",
            rec="E11",
        ),
        *chain(
            "g2",
            ("01/01/2021", "S", "U4", "C2"),
            ("01/06/2021", "L", "U4", "E1"),
            ("01/03/2022", "P", "A4", "E1"),
            dec="01/10/2023",
            rec="E11",
        ),
        *chain(
            "g3",
            ("01/01/2021", "S", "U4", "C2"),
            ("01/03/2022", "P", "A4", "C2"),
            dec="01/10/2023",
            rec="E11",
        ),
        *chain(
            "g4",
            ("01/01/2021", "S", "U4", "C2"),
            ("01/06/2021", "L", "U4", "E1"),
            ("01/03/2022", "P", "A4", "E1"),
            dec="01/10/2023",
            rec="E11",
        ),
        *chain(
            "g5",
            ("01/01/2021", "S", "U4", "C2"),
            ("01/02/2021", "L", "U4", "D1"),
            ("01/06/2021", "L", "U4", "E1"),
            ("01/03/2022", "P", "A4", "E1"),
            dec="01/10/2023",
            rec="E11",
        ),
    ]
    ads = [
        ad1("g1", "01/01/2021", "01/12/2021"),
        ad1("g2", "01/01/2021", "01/05/2021"),
        ad1("g3", "01/01/2021", "01/12/2021"),
        ad1("g4", "01/01/2021", ""),
        ad1("g5", "01/01/2021", "01/02/2022"),
    ]
    res = run(dataset(eps, ad1=ads), D, ["adoption_a2_days"])
    assert pick(res, "adoption_a2_days")["value"] == pytest.approx(548 / 3)
    check_window(res, "adoption_a2_days", "2021-04-01", "2024-03-31")


def test_days_with_nobody_adopted_is_empty_not_zero():
    # Nobody adopted in r36: the mean is undefined (NaN), never 0.
    res = run(
        dataset([ep("A", "01/01/2021")]),
        D,
        ["adoption_a1_days", "adoption_a10_days", "adoption_a2_days"],
    )
    for i in ("adoption_a1_days", "adoption_a10_days", "adoption_a2_days"):
        assert math.isnan(pick(res, i)["value"]), f"{i} must be NaN (undefined) with no children"


def test_exits_after_the_18th_birthday_are_dated_on_it():
    # Care ends at 18 at the latest, so an exit recorded after the 18th birthday is dated on
    # the birthday (as cla_ceased dates it). fytd 01/04/2023..31/03/2024.
    #  A 18 on 01/01/2023, SGO (E45) recorded 01/06/2023 -> left before the window: nothing.
    #  B 18 on 31/03/2023, adopted (E11) recorded 01/04/2023 -> left the day before: nothing.
    #  C 18 on 01/04/2023 (window start), SGO recorded 01/05/2023 -> left 01/04/2023: counts.
    #  E 15, adopted 01/06/2023 -> counts.
    # cla_ceased = C, E = 2; adopted 1 (E) -> 1/2; sgo 1 (C).
    eps = [
        ep("A", "01/01/2021", dec="01/06/2023", rec="E45"),
        ep("B", "01/01/2021", place="A4", dec="01/04/2023", rec="E11"),
        ep("C", "01/01/2021", dec="01/05/2023", rec="E45"),
        ep("E", "01/01/2021", place="A4", dec="01/06/2023", rec="E11"),
    ]
    heads = [
        hdr("A", dob="01/01/2005"),
        hdr("B", dob="31/03/2005"),
        hdr("C", dob="01/04/2005"),
        hdr("E", dob="01/01/2008"),
    ]
    ids_ = ["adopted_count", "adopted_pct_of_ceased", "sgo_count", "cla_ceased", "cla_during"]
    res = run(dataset(eps, heads), D, ids_)
    check_count(res, "cla_ceased", 2)
    check_count(res, "cla_during", 2)
    check_count(res, "adopted_count", 1)
    check_pct(res, "adopted_pct_of_ceased", 1, 2)
    check_count(res, "sgo_count", 1)
