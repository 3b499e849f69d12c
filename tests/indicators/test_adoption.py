"""Adoption indicators: hand-worked histories (fytd at 31/03/2024 = 01/04/2023..31/03/2024)."""

from __future__ import annotations

import pytest

from cppanalytics.findings import Findings
from cppanalytics.indicators import compute
from tests.care.build import dataset, ep, nums, value

D = "2024-03-31"


def adoption_ds():
    return dataset(
        [
            # A: in care 01/01/2021, foster, A3 with foster carer (T) 01/03/2023, adopted 01/06/2023
            #    decision (PlacedAdoption) 01/02/2022 -> 393 days: not within 12 months
            #    A1 = 01/03/2023 - 01/01/2021 = 789 days; A10 (A3) = carer spell from 01/01/2021 = 0
            ep("A", "01/01/2021", "01/03/2023", "X1"),
            ep("A", "01/03/2023", "01/06/2023", "E11", rne="T", ls="E1", place="A3"),
            # B: in care 01/01/2022, A4 (new family) 01/01/2023, adopted 01/01/2024 (E12)
            #    decision AD1 DATE_INT 01/06/2022 -> 214 days: within; A1 = A10 = 365 days
            #    placement order from 01/06/2022 (LS E1), match 01/12/2022 -> A2 = 183 days
            ep("B", "01/01/2022", "01/06/2022", "X1"),
            ep("B", "01/06/2022", "01/01/2023", "X1", rne="L", ls="E1"),
            ep("B", "01/01/2023", "01/01/2024", "E12", rne="P", ls="E1", place="A4"),
            # C: earlier A4 run disrupted, second A4 run, adopted 01/02/2024 -> excluded from 12m
            ep("C", "01/01/2021", "01/01/2022", "X1", ls="E1", place="A4"),
            ep("C", "01/01/2022", "01/06/2022", "X1", rne="P", ls="E1", place="U4"),
            ep("C", "01/06/2022", "01/02/2024", "E11", rne="P", ls="E1", place="A6"),
            # E: adopted without any A3-A6 episode -> excluded everywhere (finding)
            ep("E", "01/01/2022", "01/03/2024", "E11"),
            # F: SGO exit in window; G: returned home
            ep("F", "01/01/2022", "01/05/2023", "E45"),
            ep("G", "01/01/2022", "01/05/2023", "E4A"),
        ],
        placed_adoption=[
            {"CHILD": "A", "DATE_PLACED": "01/02/2022"},
            {"CHILD": "A", "DATE_PLACED": "01/04/2023"},
        ],  # after placement: unused
        ad1=[
            {"CHILD": "B", "DATE_INT": "01/06/2022", "DATE_MATCH": "01/12/2022"},
            {"CHILD": "A", "DATE_INT": "01/01/2020", "DATE_MATCH": "01/01/2023"},
        ],
    )


def test_counts_and_pct_of_ceased():
    r = compute(adoption_ds(), D, ids=["adopted_count", "adopted_pct_of_ceased", "sgo_count"])
    assert nums(r, "adopted_count")[0] == 4  # A B C E
    assert nums(r, "sgo_count")[0] == 1  # F
    assert nums(r, "adopted_pct_of_ceased") == (4, 6)


def test_within_12_months_of_decision_with_exclusions():
    f = Findings()
    r = compute(adoption_ds(), D, ids=["adoption_within_12m_of_decision"], findings=f)
    # included: A (393 days, not within; PlacedAdoption beats AD1), B (214 days) -> 1 of 2
    assert nums(r, "adoption_within_12m_of_decision") == (1, 2)
    got = f.to_frame().set_index("child")["code"].to_dict()
    assert got == {"C": "adoption_earlier_run", "E": "adoption_no_placement_episode"}


def test_a1_a10_a2_days():
    r = compute(adoption_ds(), D, ids=["adoption_a1_days", "adoption_a10_days", "adoption_a2_days"])
    # A1 over A B C (E has no A episode): A 789, B 365, C 01/06/2022-01/01/2021 = 516
    assert nums(r, "adoption_a1_days") == (789 + 365 + 516, 3)
    assert value(r, "adoption_a1_days")["value"] == pytest.approx((789 + 365 + 516) / 3)
    # A10: A stops at its carer spell start (01/01/2021) -> 0
    assert nums(r, "adoption_a10_days") == (0 + 365 + 516, 3)
    # A2: B 183; A match 01/01/2023 - authority 01/03/2023 = -59 -> 0; C no match -> excluded
    assert nums(r, "adoption_a2_days") == (183, 2)


def test_a10_foster_carer_flag_from_ad1():
    # child placed A4 by RNE U (same carer spell) and AD1 FOSTER_CARE = 1: clock stops at the
    # carer spell start 01/01/2021 although the run starts A4 on 01/01/2022
    ds = dataset(
        [
            ep("A", "01/01/2021", "01/01/2022", "X1"),
            ep("A", "01/01/2022", "01/01/2024", "E11", rne="U", ls="E1", place="A4"),
        ],
        ad1=[{"CHILD": "A", "FOSTER_CARE": "1"}],
    )
    r = compute(ds, D, ids=["adoption_a1_days", "adoption_a10_days"])
    assert nums(r, "adoption_a1_days") == (365, 1)
    assert nums(r, "adoption_a10_days") == (0, 1)
