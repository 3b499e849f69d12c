"""Placements and the three placement rules, each tested both ways."""

from __future__ import annotations

from tests.care.build import care, ep


def pids(c):
    return [
        None if v is None or v != v else int(v)
        for v in c.episodes["placement_id"]
        .astype("object")
        .where(c.episodes["placement_id"].notna(), None)
    ]


def test_rne_l_continues_rne_p_starts():
    # S (p0) -L-> same (p0) -P-> new (p1)
    c = care(
        [
            ep("1", "01/01/2020", "01/02/2020", "X1"),
            ep("1", "01/02/2020", "01/03/2020", "X1", rne="L", ls="E1"),
            ep("1", "01/03/2020", rne="P", place="U6", pl_post="AB1 2CD"),
        ]
    )
    assert pids(c) == [0, 0, 1]
    assert len(c.placements) == 2


def test_first_non_temporary_episode_starts_placement_whatever_rne():
    # period begins with a hospital stay (T1, RNE S) then an RNE L episode: the T1 is no
    # placement, the L episode starts placement 0
    c = care(
        [ep("1", "01/01/2020", "05/01/2020", "X1", place="T1"), ep("1", "05/01/2020", rne="L")]
    )
    assert pids(c) == [None, 0]
    assert c.episodes["carer_spell_id"].isna().tolist() == [True, False]


RETURN = [
    ep("1", "01/01/2020", "01/03/2020", "X1", place="U4", pl_post="MK9 3EJ", urn="SC1"),
    ep("1", "01/03/2020", "10/03/2020", "X1", rne="P", place="T1", pl_post="MK6 5LD"),
    ep("1", "10/03/2020", "20/03/2020", "X1", rne="P", place="T3", pl_post="MK6 5LD"),
    ep("1", "20/03/2020", rne="P", place="U4", pl_post="mk93ej", urn="SC1"),
]


def test_rule2_return_to_same_placement_after_run_of_temporaries_continues():
    # U4 -> T1 -> T3 (one interruption) -> back to U4 same PL_POST (case/space differ), URN:
    # rule 2 on: one placement, the temporaries belong to none; dates are the U4 episodes'
    c = care(RETURN)
    assert pids(c) == [0, None, None, 0]
    assert len(c.placements) == 1
    assert c.placements["end"].isna().all()
    assert c.episodes["held_PLACE"].tolist() == ["U4", "U4", "U4", "U4"]
    # carer spell too: one spell throughout
    assert c.episodes["carer_spell_id"].tolist() == [0, 0, 0, 0]


def test_rule2_off_temporaries_are_placements():
    # rule 2 off: U4, T1, T3, U4 are 4 placements (all RNE S/P)
    c = care(RETURN, temporary_placements_continue=False)
    assert pids(c) == [0, 1, 2, 3]
    assert c.episodes["carer_spell_id"].tolist() == [0, 1, 2, 3]


def test_rule2_return_elsewhere_starts_new_placement():
    # after the hospital stay the child goes to a different carer (different PL_POST)
    eps = [*RETURN[:3], ep("1", "20/03/2020", rne="P", place="U4", pl_post="AB1 2CD")]
    c = care(eps)
    assert pids(c) == [0, None, None, 1]
    assert c.episodes["carer_spell_id"].tolist() == [0, 0, 0, 1]


def test_rule2_blank_urn_equals_blank_but_not_a_value():
    base = [
        ep("1", "01/01/2020", "01/03/2020", "X1", urn=""),
        ep("1", "01/03/2020", "10/03/2020", "X1", rne="P", place="T1"),
    ]
    same = care([*base, ep("1", "10/03/2020", rne="P", urn="")])
    other = care([*base, ep("1", "10/03/2020", rne="P", urn="SC9")])
    assert pids(same) == [0, None, 0]
    assert pids(other) == [0, None, 1]


def test_held_placement_is_last_non_temporary_of_period():
    # U4 (p0) -> K2 (p1) -> T1 -> back to U4: held is K2, so returning to U4 is a new placement
    c = care(
        [
            ep("1", "01/01/2020", "01/02/2020", "X1"),
            ep("1", "01/02/2020", "01/03/2020", "X1", rne="P", place="K2", pl_post="AB1 2CD"),
            ep("1", "01/03/2020", "05/03/2020", "X1", rne="P", place="T1"),
            ep("1", "05/03/2020", rne="P"),
        ]
    )
    assert pids(c) == [0, 1, None, 2]
    assert c.episodes["held_PLACE"].tolist() == ["U4", "K2", "K2", "U4"]


def test_rule1_a3_via_t_continues_both_ways():
    # U4 foster carer, then A3 with the same carer (RNE T): rule 1 on -> same placement
    eps = [
        ep("1", "01/01/2020", "01/06/2021", "X1"),
        ep("1", "01/06/2021", rne="T", ls="E1", place="A3"),
    ]
    assert pids(care(eps)) == [0, 0]
    assert pids(care(eps, adoption_with_current_carer_continues=False)) == [0, 1]
    # A4 (not with current carer) via RNE T is a new placement either way
    eps_a4 = [eps[0], ep("1", "01/06/2021", rne="T", ls="E1", place="A4")]
    assert pids(care(eps_a4)) == [0, 1]
    # carer spell continues in every case (RNE T = same carer)
    assert care(eps).episodes["carer_spell_id"].tolist() == [0, 0]
    assert care(eps_a4).episodes["carer_spell_id"].tolist() == [0, 0]


def test_rule1_a5_via_u_continues_and_carer_spell_kept():
    eps = [
        ep("1", "01/01/2020", "01/06/2021", "X1"),
        ep("1", "01/06/2021", rne="U", ls="E1", place="A5"),
    ]
    c = care(eps)
    assert pids(c) == [0, 0]
    assert c.episodes["carer_spell_id"].tolist() == [0, 0]


def test_rule3_ffa_counts_as_new_placement_both_ways():
    # K2 then U5 (fostering for adoption) via RNE P: rule 3 on -> new; off -> continues
    eps = [
        ep("1", "01/01/2020", "01/06/2020", "X1", place="K2"),
        ep("1", "01/06/2020", rne="P", place="U5", pl_post="AB1 2CD"),
    ]
    assert pids(care(eps)) == [0, 1]
    assert pids(care(eps, ffa_counts_as_new_placement=False)) == [0, 0]
    # the first placement of a period is a placement even when it is U2 and rule 3 is off
    assert pids(care([ep("1", "01/01/2020", place="U2")], ffa_counts_as_new_placement=False)) == [0]


def test_placements_restart_in_each_period():
    # two periods: each first episode starts a new placement even with RNE L
    c = care([ep("1", "01/01/2020", "01/02/2020", "E4A"), ep("1", "01/03/2020", rne="L")])
    assert pids(c) == [0, 1]
    assert c.placements["period_id"].tolist() == [0, 1]


def test_missing_rne_new_placement_only_when_place_differs():
    c = care(
        [
            ep("1", "01/01/2020", "01/02/2020", "X1"),
            ep("1", "01/02/2020", "01/03/2020", "X1", rne=""),
            ep("1", "01/03/2020", rne="", place="K2"),
        ]
    )
    assert pids(c) == [0, 0, 1]
