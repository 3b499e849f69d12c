"""Case tables for missing-from-care and social-worker indicators, worked by hand.

D = 31/03/2024: fytd = 01/04/2023 .. 31/03/2024; r12 is the same window at 31 March.
"""

from __future__ import annotations

import math

from .builders import check, check_count, check_pct, check_window, dataset, ep, miss, pick, run, sw

COVERED = (
    "missing_children_pct",
    "missing_incidents",
    "missing_incidents_per_child",
    "away_children_pct",
    "sw_3plus",
)

D = "31/03/2024"
MISSING_IDS = [
    "missing_children_pct",
    "missing_incidents",
    "missing_incidents_per_child",
    "away_children_pct",
]


def test_missing_table():
    # cla_during (fytd): m1 m2 m3 m4 m5 m7 m8 = 7 (m6 left care 01/01/2023).
    #  m1: M from 15/05/2023 twice (same CHILD, MISSING, MIS_START; ends differ: once), M 01/06/2023, A 01/08/2023
    #  m2: M 25/03/2023-02/04/2023: overlaps the window (counts as missing) but did not start
    #      in it (no incident)
    #  m3: A 01/07/2023 only (away, not missing)
    #  m4: nothing
    #  m5: M 01/02/2024, no end (open)
    #  m6: M 01/05/2023 but not looked after during the window -> ignored everywhere
    #  m7: M starting on D 31/03/2024
    #  m8: M 31/03/2023-31/03/2023, ends the day before the window -> nothing
    # missing_children_pct: m1 m2 m5 m7 = 4/7
    # missing_incidents (M starting in window, duplicates once): m1 2 + m5 1 + m7 1 = 4
    # missing_incidents_per_child: 4 / children with an M start in window (m1 m5 m7 = 3)
    # away_children_pct: m1 m3 = 2/7
    eps = [ep(c, "01/01/2022") for c in ("m1", "m2", "m3", "m4", "m5", "m7", "m8")]
    eps.append(ep("m6", "01/01/2022", dec="01/01/2023", rec="E4A"))
    rows = [
        miss("m1", "M", "15/05/2023", "16/05/2023"),
        miss("m1", "M", "15/05/2023", "17/05/2023"),
        miss("m1", "M", "01/06/2023", "02/06/2023"),
        miss("m1", "A", "01/08/2023", "01/08/2023"),
        miss("m2", "M", "25/03/2023", "02/04/2023"),
        miss("m3", "A", "01/07/2023", "02/07/2023"),
        miss("m5", "M", "01/02/2024"),
        miss("m6", "M", "01/05/2023", "02/05/2023"),
        miss("m7", "M", "31/03/2024"),
        miss("m8", "M", "31/03/2023", "31/03/2023"),
    ]
    res = run(dataset(eps, missing=rows), D, MISSING_IDS)
    check_pct(res, "missing_children_pct", 4, 7)
    check_count(res, "missing_incidents", 4)
    check(pick(res, "missing_incidents_per_child"), 4, 3, 4 / 3)
    check_pct(res, "away_children_pct", 2, 7)
    for i in MISSING_IDS:
        check_window(res, i, "2023-04-01", "2024-03-31")


def test_missing_in_year_window():
    # D = 30/06/2024: fytd = 01/04/2024 .. 30/06/2024. a: M 20/03/2024-10/04/2024 (overlaps,
    # did not start in window), M 01/05/2024 (starts). b: M 31/03/2024-31/03/2024 (before).
    # c: left care 01/04/2024 (during: DEC >= window start), M 01/04/2024 (starts in window).
    # cla_during a b c = 3; missing children a c = 2/3; incidents 2; per child 2 / 2 = 1.
    eps = [
        ep("a", "01/01/2022"),
        ep("b", "01/01/2022"),
        ep("c", "01/01/2022", dec="01/04/2024", rec="E4A"),
    ]
    rows = [
        miss("a", "M", "20/03/2024", "10/04/2024"),
        miss("a", "M", "01/05/2024", "01/05/2024"),
        miss("b", "M", "31/03/2024", "31/03/2024"),
        miss("c", "M", "01/04/2024", "01/04/2024"),
    ]
    res = run(dataset(eps, missing=rows), "30/06/2024", MISSING_IDS)
    check_pct(res, "missing_children_pct", 2, 3)
    check_count(res, "missing_incidents", 2)
    check(pick(res, "missing_incidents_per_child"), 2, 2, 1.0)
    check_pct(res, "away_children_pct", 0, 3)


def test_missing_no_incidents():
    # no incidents: 0 %, 0 incidents, per child undefined (0 / 0 -> NaN).
    res = run(dataset([ep("a", "01/01/2022")], missing=[]), D, MISSING_IDS)
    check_pct(res, "missing_children_pct", 0, 1)
    check_count(res, "missing_incidents", 0)
    assert math.isnan(pick(res, "missing_incidents_per_child")["value"]), (
        "incidents per child with nobody missing is undefined (NaN), not 0"
    )


def test_sw_3plus():
    # r12 = 01/04/2023 .. 31/03/2024; denominator = looked after at D.
    #  s1: X 01/01/2023-01/04/2023 (ends on window start: overlaps), Y, Z -> 3 -> yes
    #  s2: X 01/01/2022-31/03/2023 (before), Y, Z -> 2 -> no
    #  s3: X twice (two episodes) + Y -> 2 different -> no
    #  s4: no SW rows -> no (still in the denominator)
    #  s5: 4 SWs but left care before D -> not in the denominator
    #  s6: X 01/01/2022 open (overlaps), Y 01/06/2023-01/07/2023, Z 31/03/2024 (starts on D) -> yes
    # -> 2 / 5
    eps = [ep(c, "01/01/2022") for c in ("s1", "s2", "s3", "s4", "s6")]
    eps.append(ep("s5", "01/01/2022", dec="01/03/2024", rec="E4A"))
    rows = [
        sw("s1", "X", "01/01/2023", "01/04/2023"),
        sw("s1", "Y", "01/04/2023", "01/10/2023"),
        sw("s1", "Z", "01/10/2023"),
        sw("s2", "X", "01/01/2022", "31/03/2023"),
        sw("s2", "Y", "31/03/2023", "01/10/2023"),
        sw("s2", "Z", "01/10/2023"),
        sw("s3", "X", "01/01/2023", "01/06/2023"),
        sw("s3", "Y", "01/06/2023", "01/09/2023"),
        sw("s3", "X", "01/09/2023"),
        sw("s5", "A", "01/04/2023", "01/05/2023"),
        sw("s5", "B", "01/05/2023", "01/06/2023"),
        sw("s5", "C", "01/06/2023", "01/07/2023"),
        sw("s5", "D", "01/07/2023"),
        sw("s6", "X", "01/01/2022"),
        sw("s6", "Y", "01/06/2023", "01/07/2023"),
        sw("s6", "Z", "31/03/2024"),
    ]
    res = run(dataset(eps, sw_episodes=rows), D, ["sw_3plus"])
    check_pct(res, "sw_3plus", 2, 5)
    check_window(res, "sw_3plus", "2023-04-01", "2024-03-31")
