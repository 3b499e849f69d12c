"""Case tables for sufficiency and stability detail, worked by hand from the definitions
(docs/indicators_added.md): foster provider, reasons for moves of children with 3 or more
placements, unaccompanied asylum-seeking children, distance and locality."""

from __future__ import annotations

import pandas as pd

from cppanalytics.findings import Findings
from cppanalytics.indicators import compute

from .builders import chain, check, check_count, check_pct, dataset, ep, hdr, pick, run, uasc
from .test_location import HOME, MK, _postcode_table

COVERED = (
    "foster_in_house_pct",
    "foster_by_provider",
    "placement_change_reason",
    "cla_uasc_count",
    "cla_started_uasc",
    "uasc_by_age",
    "uasc_by_placement",
    "cla_by_distance_locality",
)
D = "31/03/2024"


def test_foster_provider():
    episodes = [
        ep("a", "01/01/2023", place="U4", provider="PR1"),  # in-house
        ep("b", "01/01/2023", place="U1", provider="PR4"),  # private agency
        ep("c", "01/01/2023", place="U5", provider="PR5"),  # voluntary agency
        ep("d", "01/01/2023", place="U3", provider="PR2"),  # another council's carers
        ep("f", "01/01/2023", place="K2", provider="PR1"),  # children's home: not foster
        ep("g", "01/01/2023", place="U4", provider=""),  # provider missing: unknown
        ep("h", "01/01/2023", place="U4", provider="PR1", dec="31/03/2024", rec="E4A"),
    ]  # h left care on D: not looked after at D
    found = Findings()
    res = compute(
        dataset(episodes),
        pd.Timestamp("2024-03-31"),
        ids=["foster_in_house_pct", "foster_by_provider"],
        findings=found,
    )
    # foster at D: a b c d g = 5; in-house a = 1
    check_pct(res, "foster_in_house_pct", 1, 5)
    for group, n in (
        ("in_house", 1),
        ("other_council", 1),
        ("other_public", 0),
        ("private", 1),
        ("voluntary", 1),
        ("unknown", 1),
    ):
        check_pct(res, "foster_by_provider", n, 5, group=group)
    f = found.to_frame()
    assert f.loc[f["code"] == "code_missing_breakdown", "child"].tolist() == ["g"]


def _movers():
    return [
        # M: 4 placements overlapping 01/04/2023-31/03/2024 (the first open at the window
        # start). Moves in the window: 01/05 (reason on the episode that ended: CARPL),
        # 01/09 (CREQB), 01/12 (the ending episode has none; the new one says ALLEG).
        *chain(
            "M",
            {"decom": "01/01/2023", "rne": "S", "place": "U4", "reason": "CARPL"},
            {"decom": "01/05/2023", "rne": "P", "place": "U4", "reason": "CREQB"},
            {"decom": "01/09/2023", "rne": "P", "place": "K2"},
            {"decom": "01/12/2023", "rne": "P", "place": "U4", "reason": "ALLEG"},
        ),
        # N: U4, a hospital stay T1 and back to the same U4 (not a move), U3, U4 = 3
        # placements. Moves: 01/10 (LAREQ on the returning U4 episode that ended), 01/02
        # (no reason anywhere: not_recorded, a finding).
        *chain(
            "N",
            {"decom": "01/06/2023", "rne": "S", "place": "U4"},
            {"decom": "01/07/2023", "rne": "T", "place": "T1"},
            {"decom": "10/07/2023", "rne": "T", "place": "U4", "reason": "LAREQ"},
            {"decom": "01/10/2023", "rne": "P", "place": "U3"},
            {"decom": "01/02/2024", "rne": "P", "place": "U4"},
        ),
        # O: 2 placements only: not in the 3+ group
        *chain(
            "O",
            {"decom": "01/06/2023", "rne": "S", "place": "U4", "reason": "CHILD"},
            {"decom": "01/09/2023", "rne": "P", "place": "U4"},
        ),
    ]


def test_reasons_for_moves_of_children_with_three_or_more_placements():
    found = Findings()
    res = compute(
        dataset(_movers()),
        pd.Timestamp("2024-03-31"),
        ids=["placement_change_reason", "stability_3plus_placements"],
        findings=found,
    )
    # 5 moves of M and N: CARPL, CREQB, ALLEG, LAREQ, not_recorded
    for group in ("CARPL", "CREQB", "ALLEG", "LAREQ", "not_recorded"):
        check_pct(res, "placement_change_reason", 1, 5, group=group)
    for group in ("CHILD", "CLOSE", "STAND", "APPRR", "CREQO", "PLACE", "CUSTOD", "OTHER"):
        check_pct(res, "placement_change_reason", 0, 5, group=group)
    check(pick(res, "stability_3plus_placements", window_start="2023-04-01"), 2, 3, 200 / 3)
    f = found.to_frame()
    assert f.loc[f["code"] == "reason_place_change_missing", "child"].tolist() == ["N"]


def test_uasc():
    episodes = [
        ep("u1", "01/05/2023", place="U4"),  # UASC, age 15 at D
        ep("u2", "01/01/2023", place="K2"),  # UASC, age 17
        ep("u3", "01/10/2023", place="U4"),  # stopped being UASC 01/01/2024 (DUC)
        ep("u4", "01/01/2023", place="U4"),  # DUC on D: not UASC at D
        ep("u5", "01/06/2023", place="U4"),  # not UASC
        ep("u6", "01/01/2023", place="U1"),  # UASC, 16th birthday on D: 16+
    ]
    headers = [
        hdr("u1", dob="01/06/2008"),
        hdr("u2", dob="01/01/2007"),
        hdr("u3", dob="01/01/2007"),
        hdr("u4", dob="01/01/2007"),
        hdr("u5", dob="01/01/2007"),
        hdr("u6", dob="31/03/2008"),
    ]
    rows = [uasc("u1"), uasc("u2"), uasc("u3", duc="01/01/2024"), uasc("u4", duc=D), uasc("u6")]
    res = run(dataset(episodes, headers, uasc=rows), D, COVERED[3:7])
    check_count(res, "cla_uasc_count", 3)  # u1 u2 u6
    check_pct(res, "uasc_by_age", 1, 3, group="under 16")
    check_pct(res, "uasc_by_age", 2, 3, group="16+")
    check_pct(res, "uasc_by_placement", 2, 3, group="foster")
    check_pct(res, "uasc_by_placement", 1, 3, group="secure_childrens_homes_semi_independent")
    # starters 01/04/2023-31/03/2024: u1 (UASC), u3 (UASC when it started), u5 -> 2 of 3
    check_pct(res, "cla_started_uasc", 2, 3)


def test_distance_and_locality():
    _postcode_table()  # skips when the postcode package is absent
    episodes = [
        ep("a", "01/01/2023", home=HOME, pl="MK9 1AB"),  # 0.74 mi, inside
        ep("b", "01/01/2023", home=HOME, pl="MK40 2AA"),  # 13.84 mi, outside
        ep("c", "01/01/2023", home=HOME, pl="SG16 6BN"),  # 19.998 -> 20.0: 20 or less
        ep("d", "01/01/2023", home=HOME, pl="LU2 8SY"),  # 20.07 -> 20.1: over 20, outside
        ep("e", "01/01/2023", home=HOME, pl=""),  # not known
        ep("f", "01/01/2023", home="M1 1AE", pl="MK9 1AB"),  # 117 mi, inside the council
    ]
    res = run(dataset(episodes, la_code=MK), D, ["cla_by_distance_locality"], la_code=MK)
    for group, n in (
        ("within_20_inside", 1),
        ("within_20_outside", 2),
        ("over_20_inside", 1),
        ("over_20_outside", 1),
        ("unknown", 1),
    ):
        check_pct(res, "cla_by_distance_locality", n, 6, group=group)
