"""Case tables for placement stability, worked by hand from indicators.md.

3+ placements: D = 30/09/2024 so the two windows differ:
r12 = 01/10/2023 .. 30/09/2024, fytd = 01/04/2024 .. 30/09/2024.
Every single-child case: the child is looked after at D (denominator 1); the numerator is
1 when 3 or more placements overlap the window.
"""

from __future__ import annotations

import pytest

from .builders import chain, check_pct, check_window, dataset, ep, hdr, run, settings

COVERED = (
    "stability_3plus_placements",
    "stability_2yr_3plus",
    "stability_long_term",
    "stability_long_term_yearend_max",
)

D = "30/09/2024"
R12 = "2023-10-01"
FYTD = "2024-04-01"
PC = "MK9 3EJ"

# (name, episodes, placements overlapping r12, placements overlapping fytd)
THREE_PLUS_CASES = [
    # U4 01/01/2023 | P U4 01/12/2023 | P K2 01/06/2024 (open).
    # r12: all three overlap (first ends 01/12/2023 >= 01/10/2023) -> 3.
    # fytd: first ended 01/12/2023 < 01/04/2024 -> 2.
    (
        "three_moves",
        chain("A", ("01/01/2023", "S", "U4"), ("01/12/2023", "P", "U4"), ("01/06/2024", "P", "K2")),
        3,
        2,
    ),
    # placement ending ON the r12 start overlaps it (both ends inclusive).
    (
        "ends_on_window_start",
        chain("A", ("01/01/2023", "S", "U4"), ("01/10/2023", "P", "U6"), ("01/02/2024", "P", "K2")),
        3,
        1,
    ),
    # ... and ending the day before does not.
    (
        "ends_day_before_window",
        chain("A", ("01/01/2023", "S", "U4"), ("30/09/2023", "P", "U6"), ("01/02/2024", "P", "K2")),
        2,
        1,
    ),
    # RNE L (legal status change only) continues the placement: U4, L, P K2, L -> 2.
    (
        "rne_L_continues",
        chain(
            "A",
            ("01/01/2023", "S", "U4", "C1"),
            ("01/11/2023", "L", "U4", "C2"),
            ("01/02/2024", "P", "K2", "C2"),
            ("01/05/2024", "L", "K2", "E1"),
        ),
        2,
        1,
    ),
    # RNE T and U (same carer, new placement) DO start new placements: 3.
    (
        "rne_T_U_new_placements",
        chain(
            "A",
            ("01/01/2023", "S", "U4"),
            ("01/11/2023", "T", "U4"),
            ("01/02/2024", "U", "U4", "E1"),
        ),
        3,
        1,
    ),
    # RNE B starts a new placement: U4, B K2, P R1 (in fytd) -> 3 / 2.
    (
        "rne_B",
        chain(
            "A",
            ("01/01/2023", "S", "U4"),
            ("01/12/2023", "B", "K2", "E1"),
            ("01/05/2024", "P", "R1", "E1"),
        ),
        3,
        2,
    ),
    # temporary placement and return to the SAME placement (PLACE, PL_POST ignoring case and
    # spaces, URN both blank) continues it: U4 | T1 | U4 back | P K2 -> U4, K2 = 2.
    (
        "temporary_return_same",
        chain(
            "A",
            {"decom": "01/01/2023", "rne": "S", "place": "U4", "pl": PC},
            {"decom": "01/11/2023", "rne": "P", "place": "T1", "pl": "MK1 1AA"},
            {"decom": "10/11/2023", "rne": "P", "place": "U4", "pl": "mk93ej"},
            {"decom": "01/03/2024", "rne": "P", "place": "K2", "pl": "MK1 1AB"},
        ),
        2,
        1,
    ),
    # blank PL_POST and URN on both sides: blank equals blank -> continues -> U4, K2 = 2.
    (
        "temporary_return_blank_postcodes",
        chain(
            "A",
            ("01/01/2023", "S", "U4"),
            ("01/11/2023", "P", "T3"),
            ("10/11/2023", "P", "U4"),
            ("01/03/2024", "P", "K2"),
        ),
        2,
        1,
    ),
    # temporary run across the r12 start: U4 until 01/09/2023 | T1 | U4 back 15/10/2023 | K2 |
    # R1: the U4 placement (dates of its non-temporary episodes) overlaps r12 -> 3; fytd: R1
    # only... K2 01/01/2024-01/05/2024 and R1 -> 2.
    (
        "temporary_across_window_start",
        chain(
            "A",
            {"decom": "01/01/2023", "rne": "S", "place": "U4", "pl": PC},
            {"decom": "01/09/2023", "rne": "P", "place": "T1", "pl": "MK1 1AA"},
            {"decom": "15/10/2023", "rne": "P", "place": "U4", "pl": PC},
            {"decom": "01/01/2024", "rne": "P", "place": "K2", "pl": "MK1 1AB"},
            {"decom": "01/05/2024", "rne": "P", "place": "R1", "pl": "MK1 1AD"},
        ),
        3,
        2,
    ),
    # a run of several temporary episodes is one interruption: U4 | T1 | T4 | U4 back | K2 -> 2.
    (
        "temporary_run_return_same",
        chain(
            "A",
            {"decom": "01/01/2023", "rne": "S", "place": "U4", "pl": PC, "urn": "SC1"},
            {"decom": "01/11/2023", "rne": "P", "place": "T1", "pl": "MK1 1AA"},
            {"decom": "05/11/2023", "rne": "P", "place": "T4", "pl": "MK1 1AB"},
            {"decom": "10/11/2023", "rne": "P", "place": "U4", "pl": PC, "urn": "SC1"},
            {"decom": "01/03/2024", "rne": "P", "place": "K2", "pl": "MK1 1AB"},
        ),
        2,
        1,
    ),
    # return to a DIFFERENT placement after a temporary one is new: U4(a) | T1 | U4(b) | K2 -> 3.
    (
        "temporary_return_different_postcode",
        chain(
            "A",
            {"decom": "01/01/2023", "rne": "S", "place": "U4", "pl": PC},
            {"decom": "01/11/2023", "rne": "P", "place": "T1", "pl": "MK1 1AA"},
            {"decom": "10/11/2023", "rne": "P", "place": "U4", "pl": "MK1 1AD"},
            {"decom": "01/03/2024", "rne": "P", "place": "K2", "pl": "MK1 1AB"},
        ),
        3,
        1,
    ),
    # same postcode but different URN after the temporary one: new -> 3.
    (
        "temporary_return_different_urn",
        chain(
            "A",
            {"decom": "01/01/2023", "rne": "S", "place": "K2", "pl": PC, "urn": "SC1"},
            {"decom": "01/11/2023", "rne": "P", "place": "T1", "pl": "MK1 1AA"},
            {"decom": "10/11/2023", "rne": "P", "place": "K2", "pl": PC, "urn": "SC2"},
            {"decom": "01/03/2024", "rne": "P", "place": "R1", "pl": "MK1 1AB"},
        ),
        3,
        1,
    ),
    # same postcode, different PLACE after the temporary one: new -> 3.
    (
        "temporary_return_different_place",
        chain(
            "A",
            {"decom": "01/01/2023", "rne": "S", "place": "U4", "pl": PC},
            {"decom": "01/11/2023", "rne": "P", "place": "T1", "pl": "MK1 1AA"},
            {"decom": "10/11/2023", "rne": "P", "place": "U1", "pl": PC},
            {"decom": "01/03/2024", "rne": "P", "place": "K2", "pl": "MK1 1AB"},
        ),
        3,
        1,
    ),
    # rule 1: A3 reached by RNE T (placed for adoption with the current foster carer)
    # continues: U4 | P U4 | T A3 -> 2.
    (
        "rule1_A3_via_T_continues",
        chain(
            "A",
            ("01/01/2023", "S", "U4"),
            ("01/11/2023", "P", "U4"),
            ("01/03/2024", "T", "A3", "E1"),
        ),
        2,
        1,
    ),
    # rule 1 also for A5 via U.
    (
        "rule1_A5_via_U_continues",
        chain(
            "A",
            ("01/01/2023", "S", "U4"),
            ("01/11/2023", "P", "U4"),
            ("01/03/2024", "U", "A5", "E1"),
        ),
        2,
        1,
    ),
    # A4 via P (not with the current carer) is a new placement: 3.
    (
        "A4_via_P_new",
        chain(
            "A",
            ("01/01/2023", "S", "U4"),
            ("01/11/2023", "P", "U4"),
            ("01/03/2024", "P", "A4", "E1"),
        ),
        3,
        1,
    ),
    # rule 3: U5 (fostering for adoption) counts as new: K2 | P U4 | T U5 -> 3.
    (
        "rule3_U5_new",
        chain("A", ("01/01/2023", "S", "K2"), ("01/11/2023", "P", "U4"), ("01/03/2024", "T", "U5")),
        3,
        1,
    ),
    # started inside r12 with 3 placements: counts. Fytd: the U4 ended 01/03/2024 -> 2.
    (
        "new_entrant",
        chain("A", ("01/11/2023", "S", "U4"), ("01/03/2024", "P", "K2"), ("01/07/2024", "P", "R1")),
        3,
        2,
    ),
    # the first non-temporary episode of a period always starts a placement, whatever its RNE
    # (here the data says L): T0 first (belongs to no placement) | L U4 | P K2 | P R1 -> 3.
    (
        "first_episode_temporary_then_L",
        chain(
            "A",
            ("01/11/2023", "S", "T0"),
            ("05/11/2023", "L", "U4"),
            ("01/03/2024", "P", "K2"),
            ("01/07/2024", "P", "R1"),
        ),
        3,
        2,
    ),
]


@pytest.mark.parametrize(
    "name,episodes,n_r12,n_fytd", THREE_PLUS_CASES, ids=[c[0] for c in THREE_PLUS_CASES]
)
def test_3plus_placements_r12_and_fytd(name, episodes, n_r12, n_fytd):
    res = run(dataset(episodes), D, ["stability_3plus_placements"])
    check_pct(res, "stability_3plus_placements", int(n_r12 >= 3), 1, window_start=R12)
    check_pct(res, "stability_3plus_placements", int(n_fytd >= 3), 1, window_start=FYTD)


def test_3plus_written_once_per_window_and_denominator_is_cla_at_D():
    # A: 3 placements in r12, at D. B: 1 placement, at D. C: 4 placements but left on D
    # (not looked after at D -> not in the denominator). r12: 1/2 = 50%.
    eps = [
        *chain(
            "A", ("01/01/2023", "S", "U4"), ("01/12/2023", "P", "U4"), ("01/06/2024", "P", "K2")
        ),
        ep("B", "01/01/2023"),
        *chain(
            "C",
            ("01/01/2024", "S", "U4"),
            ("01/02/2024", "P", "K2"),
            ("01/03/2024", "P", "R1"),
            ("01/04/2024", "P", "U6"),
            dec=D,
            rec="E4A",
        ),
        ep("S", "01/01/2024", ls="V3"),
    ]  # short break: in neither side
    res = run(dataset(eps), D, ["stability_3plus_placements"])
    rows = res[res["indicator_id"] == "stability_3plus_placements"]
    assert len(rows) == 2, rows
    check_pct(res, "stability_3plus_placements", 1, 2, window_start=R12)
    check_pct(res, "stability_3plus_placements", 0, 2, window_start=FYTD)
    assert sorted(rows["window_start"].dt.strftime("%Y-%m-%d")) == [R12, FYTD]
    assert (rows["window_end"].dt.strftime("%d/%m/%Y") == D).all()


# (flag, episodes, placements in r12 with the default True, with the flag False)
FLAG_CASES = [
    # rule 1 off: A3 via T is a new placement -> 3.
    (
        "adoption_with_current_carer_continues",
        chain(
            "A",
            ("01/01/2023", "S", "U4"),
            ("01/11/2023", "P", "U4"),
            ("01/03/2024", "T", "A3", "E1"),
        ),
        2,
        3,
    ),
    # rule 2 off: T1 is a placement and the return a new one: U4, T1, U4, K2 -> 4.
    (
        "temporary_placements_continue",
        chain(
            "A",
            {"decom": "01/01/2023", "rne": "S", "place": "U4", "pl": PC},
            {"decom": "01/11/2023", "rne": "P", "place": "T1", "pl": "MK1 1AA"},
            {"decom": "10/11/2023", "rne": "P", "place": "U4", "pl": PC},
            {"decom": "01/03/2024", "rne": "P", "place": "K2", "pl": "MK1 1AB"},
        ),
        2,
        4,
    ),
    # rule 3 off: U5 never starts a new placement (not first of period): K2, U4, U5 -> 2.
    (
        "ffa_counts_as_new_placement",
        chain("A", ("01/01/2023", "S", "K2"), ("01/11/2023", "P", "U4"), ("01/03/2024", "T", "U5")),
        3,
        2,
    ),
]


@pytest.mark.parametrize(
    "flag,episodes,n_default,n_off", FLAG_CASES, ids=[c[0] for c in FLAG_CASES]
)
def test_placement_settings_both_ways(flag, episodes, n_default, n_off):
    ds = dataset(episodes)
    on = run(ds, D, ["stability_3plus_placements"], settings=settings(**{flag: True}))
    off = run(ds, D, ["stability_3plus_placements"], settings=settings(**{flag: False}))
    check_pct(on, "stability_3plus_placements", int(n_default >= 3), 1, window_start=R12)
    check_pct(off, "stability_3plus_placements", int(n_off >= 3), 1, window_start=R12)


# ---------------------------------------------------------------- 2 years, 3+ placements


def test_2yr_3plus():
    # D = 31/03/2024; r24 = 01/04/2022 .. 31/03/2024; cohort: looked after at D with the
    # period of care begun on or before D - 2 years = 31/03/2022.
    #  A start 01/01/2021: U4 | P K2 01/06/2022 | P U4 01/01/2023 -> 3 overlap r24 -> yes.
    #  B start 01/01/2021: U4 | P K2 01/01/2022 | P R1 01/01/2023 -> U4 ended 01/01/2022,
    #    before r24 -> 2 -> no.
    #  C start 31/03/2022 (exactly 2 years): U4 | P K2 | P R1 | P U6 -> 4 -> yes.
    #  E start 01/06/2022 (< 2 years): 4 placements -> not in the cohort.
    #  F start 01/01/2021, 3 placements in r24 but left on D -> not in the cohort.
    # -> 2 / 3.
    eps = [
        *chain(
            "A", ("01/01/2021", "S", "U4"), ("01/06/2022", "P", "K2"), ("01/01/2023", "P", "U4")
        ),
        *chain(
            "B", ("01/01/2021", "S", "U4"), ("01/01/2022", "P", "K2"), ("01/01/2023", "P", "R1")
        ),
        *chain(
            "C",
            ("31/03/2022", "S", "U4"),
            ("01/06/2022", "P", "K2"),
            ("01/01/2023", "P", "R1"),
            ("01/06/2023", "P", "U6"),
        ),
        *chain(
            "E",
            ("01/06/2022", "S", "U4"),
            ("01/08/2022", "P", "K2"),
            ("01/01/2023", "P", "R1"),
            ("01/06/2023", "P", "U6"),
        ),
        *chain(
            "F",
            ("01/01/2021", "S", "U4"),
            ("01/06/2022", "P", "K2"),
            ("01/01/2023", "P", "R1"),
            dec="31/03/2024",
            rec="E4A",
        ),
    ]
    res = run(dataset(eps), "31/03/2024", ["stability_2yr_3plus"])
    check_pct(res, "stability_2yr_3plus", 2, 3)
    check_window(res, "stability_2yr_3plus", "2022-04-01", "2024-03-31")


# ---------------------------------------------------------------- long-term stability

# D = 31/03/2024: period began on or before D - 2y6m = 30/09/2021 (month-end clamp), under 16
# at D; counts when the current carer spell began on or before D - 2y = 31/03/2022.
# (name, episodes, DOB, numerator, denominator)
LONG_TERM_CASES = [
    ("same_carer_since_2021", chain("A", ("01/01/2021", "S", "U4")), "01/01/2012", 1, 1),
    (
        "moved_carer_2022",
        chain("A", ("01/01/2021", "S", "U4"), ("01/06/2022", "P", "U4")),
        "01/01/2012",
        0,
        1,
    ),
    # T and U keep the carer spell (placements change, carer spell does not).
    (
        "T_and_U_keep_carer",
        chain(
            "A",
            ("01/01/2021", "S", "U4"),
            ("01/06/2022", "T", "U4"),
            ("01/01/2023", "U", "U4", "E1"),
        ),
        "01/01/2012",
        1,
        1,
    ),
    (
        "L_keeps_carer",
        chain("A", ("01/01/2021", "S", "U4", "C1"), ("01/06/2022", "L", "U4", "C2")),
        "01/01/2012",
        1,
        1,
    ),
    # period began exactly D - 2y6m = 30/09/2021 (31/03/2024 - 30 months clamps to 30/09).
    ("period_start_on_clamped_boundary", chain("A", ("30/09/2021", "S", "U4")), "01/01/2012", 1, 1),
    # 01/10/2021 is after 30/09/2021: not in the cohort.
    ("period_start_day_after_boundary", chain("A", ("01/10/2021", "S", "U4")), "01/01/2012", 0, 0),
    # carer spell began exactly D - 2y = 31/03/2022 -> counts; 01/04/2022 -> does not.
    (
        "carer_spell_on_2y_boundary",
        chain("A", ("01/01/2021", "S", "U4"), ("31/03/2022", "P", "K2")),
        "01/01/2012",
        1,
        1,
    ),
    (
        "carer_spell_day_after_2y",
        chain("A", ("01/01/2021", "S", "U4"), ("01/04/2022", "P", "K2")),
        "01/01/2012",
        0,
        1,
    ),
    # aged 16 at D (birthday on D) -> excluded; 15 (16 tomorrow) -> included.
    ("age_16_on_D", chain("A", ("01/01/2021", "S", "U4")), "31/03/2008", 0, 0),
    ("age_15_day_before_16", chain("A", ("01/01/2021", "S", "U4")), "01/04/2008", 1, 1),
    # A3-A6 rule: current episode A4 (new carer since 01/01/2024, via P) but the carer spell
    # holding the episode just before the A-run began 01/01/2021 <= 31/03/2022 -> counts.
    (
        "placed_for_adoption_prior_spell_long",
        chain("A", ("01/01/2021", "S", "U4"), ("01/01/2024", "P", "A4", "E1")),
        "01/01/2020",
        1,
        1,
    ),
    # ... prior carer spell began 01/06/2022 -> does not count.
    (
        "placed_for_adoption_prior_spell_short",
        chain(
            "A",
            ("01/01/2021", "S", "U4"),
            ("01/06/2022", "P", "U6"),
            ("01/01/2024", "P", "A6", "E1"),
        ),
        "01/01/2020",
        0,
        1,
    ),
    # the run of A3-A6 may hold several episodes: U4 (2021) | P A4 2023 | L A4 2024 -> the
    # episode just before the run is the U4 -> counts.
    (
        "placed_for_adoption_run_of_two",
        chain(
            "A",
            ("01/01/2021", "S", "U4"),
            ("01/06/2023", "P", "A4", "C2"),
            ("01/01/2024", "L", "A4", "E1"),
        ),
        "01/01/2020",
        1,
        1,
    ),
    # temporary hospital stay and return to the same placement keeps the carer spell.
    (
        "temporary_return_keeps_spell",
        chain(
            "A",
            {"decom": "01/01/2021", "rne": "S", "place": "U4", "pl": PC},
            {"decom": "01/03/2023", "rne": "P", "place": "T1", "pl": "MK1 1AA"},
            {"decom": "10/03/2023", "rne": "P", "place": "U4", "pl": PC},
        ),
        "01/01/2012",
        1,
        1,
    ),
    # in hospital (T1) at D: the temporary episode stays inside the carer spell current before
    # it (U4 since 2021) -> counts.
    (
        "temporary_at_D_keeps_spell",
        chain("A", ("01/01/2021", "S", "U4"), ("01/03/2024", "P", "T1")),
        "01/01/2012",
        1,
        1,
    ),
    # left care on D: not looked after at D -> not in the cohort.
    (
        "left_on_D",
        chain("A", ("01/01/2021", "S", "U4"), dec="31/03/2024", rec="E4A"),
        "01/01/2012",
        0,
        0,
    ),
    # a re-entry: the CURRENT period began 01/01/2023 (earlier period 2019-2022) -> excluded.
    (
        "current_period_recent",
        [ep("A", "01/01/2019", dec="01/12/2022", rec="E4A"), ep("A", "01/01/2023")],
        "01/01/2012",
        0,
        0,
    ),
]


@pytest.mark.parametrize(
    "name,episodes,dob,num,den", LONG_TERM_CASES, ids=[c[0] for c in LONG_TERM_CASES]
)
def test_long_term_stability(name, episodes, dob, num, den):
    res = run(dataset(episodes, [hdr("A", dob=dob)]), "31/03/2024", ["stability_long_term"])
    check_pct(res, "stability_long_term", num, den)
    check_window(res, "stability_long_term", "2024-03-31", "2024-03-31")


def test_long_term_temporary_flag_both_ways():
    # U4 2021 | T1 (RNE P) 01/03/2023 | U4 back (RNE P) 10/03/2023. Rule 2 on: the spell holds
    # -> 1/1. Off: T1 and the return are ordinary P moves -> spell from 10/03/2023 -> 0/1.
    eps = chain(
        "A",
        {"decom": "01/01/2021", "rne": "S", "place": "U4", "pl": PC},
        {"decom": "01/03/2023", "rne": "P", "place": "T1", "pl": "MK1 1AA"},
        {"decom": "10/03/2023", "rne": "P", "place": "U4", "pl": PC},
    )
    ds = dataset(eps)
    on = run(
        ds,
        "31/03/2024",
        ["stability_long_term"],
        settings=settings(temporary_placements_continue=True),
    )
    off = run(
        ds,
        "31/03/2024",
        ["stability_long_term"],
        settings=settings(temporary_placements_continue=False),
    )
    check_pct(on, "stability_long_term", 1, 1)
    check_pct(off, "stability_long_term", 0, 1)


def test_long_term_mixed_cohort():
    # The single-child cases above together: cohort 5, numerator 3.
    #  a yes (same carer since 2021); b no (moved 2022); c yes (T/U keep carer);
    #  d yes (adoption A-run, prior spell 2021); e no (prior spell 2022); f excluded (16);
    #  g excluded (period began 01/10/2021).  -> 3 / 5 = 60%.
    eps = [
        *chain("a", ("01/01/2021", "S", "U4")),
        *chain("b", ("01/01/2021", "S", "U4"), ("01/06/2022", "P", "U4")),
        *chain("c", ("01/01/2021", "S", "U4"), ("01/06/2022", "T", "U4")),
        *chain("d", ("01/01/2021", "S", "U4"), ("01/01/2024", "P", "A4", "E1")),
        *chain(
            "e",
            ("01/01/2021", "S", "U4"),
            ("01/06/2022", "P", "U6"),
            ("01/01/2024", "P", "A6", "E1"),
        ),
        *chain("f", ("01/01/2021", "S", "U4")),
        *chain("g", ("01/10/2021", "S", "U4")),
    ]
    heads = [hdr(c) for c in "abcdeg"] + [hdr("f", dob="31/03/2008")]
    res = run(dataset(eps, heads), "31/03/2024", ["stability_long_term"])
    check_pct(res, "stability_long_term", 3, 5)


def test_long_term_yearend_max_equals_long_term_at_31_march():
    # At 31 March the "highest possible year end" is the year-end figure itself.
    eps = [
        *chain("a", ("01/01/2021", "S", "U4")),
        *chain("b", ("01/01/2021", "S", "U4"), ("01/06/2022", "P", "U4")),
    ]
    res = run(
        dataset(eps), "31/03/2024", ["stability_long_term", "stability_long_term_yearend_max"]
    )
    check_pct(res, "stability_long_term", 1, 2)
    check_pct(res, "stability_long_term_yearend_max", 1, 2)


def test_long_term_yearend_max_in_year():
    # D = 30/09/2023; the coming 31 March is 31/03/2024: cohort = looked after at D, under 16 on
    # 31/03/2024, period began on or before 30/09/2021; counts when the current carer spell
    # began on or before 31/03/2022 (reaches 2 years by 31/03/2024 if it continues).
    #  a: U4 since 01/01/2021 -> yes.   b: moved carer 01/06/2022 -> no.
    #  c: carer spell since 31/03/2022 -> yes (exactly 2 years on 31/03/2024).
    #  d: DOB 01/01/2008 -> 16 by 31/03/2024 -> excluded (15 at D).
    #  e: period began 01/10/2021 -> excluded.
    # -> 2 / 3.
    eps = [
        *chain("a", ("01/01/2021", "S", "U4")),
        *chain("b", ("01/01/2021", "S", "U4"), ("01/06/2022", "P", "U4")),
        *chain("c", ("01/01/2021", "S", "U4"), ("31/03/2022", "P", "K2")),
        *chain("d", ("01/01/2021", "S", "U4")),
        *chain("e", ("01/10/2021", "S", "U4")),
    ]
    heads = [hdr(c) for c in "abce"] + [hdr("d", dob="01/01/2008")]
    res = run(dataset(eps, heads), "30/09/2023", ["stability_long_term_yearend_max"])
    check_pct(res, "stability_long_term_yearend_max", 2, 3)
