"""Carer spells and the A3-A6 pre-run spell start (long-term stability)."""

from __future__ import annotations

from tests.care.build import care, ep


def starts(c, col="carer_spell_start"):
    return c.episodes[col].dt.strftime("%d/%m/%Y").fillna("").tolist()


def test_l_t_u_join_p_b_start():
    # S 2019 (spell A) -T-> 2020 (A) -U-> 2021 (A) -B-> 2022 (B) -L-> 2023 (B)
    c = care(
        [
            ep("1", "01/01/2019", "01/01/2020", "X1"),
            ep("1", "01/01/2020", "01/01/2021", "X1", rne="T", place="U6"),
            ep("1", "01/01/2021", "01/01/2022", "X1", rne="U", ls="E1", place="U5"),
            ep("1", "01/01/2022", "01/01/2023", "X1", rne="B", place="K2"),
            ep("1", "01/01/2023", rne="L", ls="V2", place="K2"),
        ]
    )
    assert starts(c) == ["01/01/2019"] * 3 + ["01/01/2022"] * 2
    # placements: T and U start placements (3 different placements in spell A), B another
    assert c.episodes["placement_id"].tolist() == [0, 1, 2, 3, 3]


def test_hospital_stay_stays_in_spell_rule2_both_ways():
    # foster 2019, hospital T1 (RNE P) 2021, back to same foster (RNE P) 2021
    eps = [
        ep("1", "01/01/2019", "01/02/2021", "X1"),
        ep("1", "01/02/2021", "15/02/2021", "X1", rne="P", place="T1", pl_post="MK6 5LD"),
        ep("1", "15/02/2021", rne="P"),
    ]
    assert starts(care(eps)) == ["01/01/2019"] * 3
    assert starts(care(eps, temporary_placements_continue=False)) == [
        "01/01/2019",
        "01/02/2021",
        "15/02/2021",
    ]


def test_temporary_before_first_placement_belongs_to_no_spell():
    c = care([ep("1", "01/01/2020", "03/01/2020", "X1", place="T0"), ep("1", "03/01/2020")])
    assert starts(c) == ["", "03/01/2020"]


def test_pre_adoption_spell_start_for_a_run():
    # foster U4 from 2019 (spell A); P -> U6 2021 (spell B); T -> A3 2022 with the U6 carer;
    # L -> A3 2023: the run A3, A3 starts 2022; the episode before it is the U6 (spell B, 2021)
    c = care(
        [
            ep("1", "01/01/2019", "01/01/2021", "X1"),
            ep("1", "01/01/2021", "01/01/2022", "X1", rne="P", place="U6", pl_post="AB1 2CD"),
            ep(
                "1",
                "01/01/2022",
                "01/01/2023",
                "X1",
                rne="T",
                ls="E1",
                place="A3",
                pl_post="AB1 2CD",
            ),
            ep("1", "01/01/2023", rne="L", ls="E1", place="A3", pl_post="AB1 2CD"),
        ]
    )
    assert starts(c, "pre_adoption_spell_start") == ["", "", "01/01/2021", "01/01/2021"]


def test_pre_adoption_spell_start_skips_temporary_with_rule2():
    # foster 2019 -P-> A4 2022 (new carer) -> T1 hospital 2023 (current): the temporary episode
    # carries the A4 run's value (the spell before the run: the foster spell from 2019)
    c = care(
        [
            ep("1", "01/01/2019", "01/01/2022", "X1"),
            ep(
                "1",
                "01/01/2022",
                "01/01/2023",
                "X1",
                rne="P",
                ls="E1",
                place="A4",
                pl_post="AB1 2CD",
            ),
            ep("1", "01/01/2023", rne="P", ls="E1", place="T1"),
        ]
    )
    assert starts(c, "pre_adoption_spell_start") == ["", "01/01/2019", "01/01/2019"]
    assert c.episodes["held_PLACE"].tolist() == ["U4", "A4", "A4"]


def test_run_at_start_of_period_has_no_pre_spell():
    c = care([ep("1", "01/01/2019", place="A4", ls="E1")])
    assert starts(c, "pre_adoption_spell_start") == [""]
