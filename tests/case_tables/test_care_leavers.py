"""Case tables for care leavers (OC3), worked by hand from indicators.md.

Cohort: OC3 rows (of the collection year containing D) whose 17th-21st birthday falls in the
window (default fytd), grouped by the age at that birthday: 17_18, 19_21, and 19 alone.
IN_TOUCH DIED / RHOM are excluded from every measure.
D = 31/03/2024 -> fytd = 01/04/2023 .. 31/03/2024; OC3 rows of year 2024.
"""

from __future__ import annotations

import pytest

from .builders import check_pct, check_window, dataset, oc3, run

MEASURES = ("eet", "neet", "suitable_accom", "in_touch")
AGES = ("17_18", "19_21", "19")
COVERED = tuple(f"care_leavers_{m}_{a}" for m in MEASURES for a in AGES)

D = "31/03/2024"

# child: (DOB, IN_TOUCH, ACTIV, ACCOM, year) -- birthday in window -> group
ROWS = {
    "a": ("15/06/2006", "YES", "F1", "U1", 2024),  # 17th 15/06/2023 -> 17_18
    "b": ("01/04/2005", "YES", "G5", "B2", 2024),  # 18th 01/04/2023 (window start) -> 17_18
    "c": ("31/03/2006", "NO", "P4", "G1", 2024),  # 18th 31/03/2024 (= D) -> 17_18
    "d": ("31/03/2005", "YES", "F5", "Z1", 2024),  # 19th 31/03/2024 -> 19_21 and 19
    "e": ("10/10/2003", "YES", "G6", "0", 2024),  # 20th 10/10/2023 -> 19_21
    "f": ("01/05/2002", "DIED", "F1", "U1", 2024),  # 21st, died -> excluded
    "g": ("01/06/2004", "RHOM", "F1", "U1", 2024),  # 19th, returned home -> excluded
    "i": ("01/04/2001", "YES", "F1", "U1", 2024),  # 22nd 01/04/2023 -> not in cohort
    "j": ("01/04/2007", "YES", "F1", "U1", 2024),  # 16th 01/04/2023; 17th 01/04/2024 > D -> out
    "k": ("15/01/2004", "REFU", "F2", "R2", 2024),  # 20th -> 19_21; residence unknown
    "l": ("15/02/2004", "NREQ", "0", "", 2024),  # 20th -> 19_21; no info, blank accom
    "m": ("20/07/2002", "YES", "G4", "H1", 2024),  # 21st 20/07/2023 -> 19_21; deported
    "n": ("15/06/2006", "YES", "F1", "U1", 2023),  # 17th in window but only a 2023 row -> out
}

# 17_18: a, b, c (3)
#   eet: a F1, c P4 -> 2/3; neet: b G5 -> 1/3; in_touch: a, b YES -> 2/3;
#   suitable_accom: denominator drops c (G1, abroad) -> a, b; a U1 suitable -> 1/2.
# 19_21: d, e, k, l, m (5)  (f DIED, g RHOM excluded)
#   eet: d F5, k F2 -> 2/5; neet: e G6, m G4 -> 2/5; in_touch: d, e, m YES -> 3/5 (REFU and
#   NREQ are not YES); suitable_accom: drops k (R2) and m (H1) -> d, e, l; d Z1 suitable,
#   e "0" and l blank stay in as not suitable -> 1/3.
# 19: d (g excluded) -> eet 1/1, neet 0/1, in_touch 1/1, suitable 1/1.
EXPECTED = {
    "17_18": {"eet": (2, 3), "neet": (1, 3), "in_touch": (2, 3), "suitable_accom": (1, 2)},
    "19_21": {"eet": (2, 5), "neet": (2, 5), "in_touch": (3, 5), "suitable_accom": (1, 3)},
    "19": {"eet": (1, 1), "neet": (0, 1), "in_touch": (1, 1), "suitable_accom": (1, 1)},
}
CASES = [(m, a, *EXPECTED[a][m]) for a in AGES for m in MEASURES]


@pytest.fixture(scope="module")
def results():
    rows = [oc3(c, dob, year, it, act, acc) for c, (dob, it, act, acc, year) in ROWS.items()]
    return run(dataset([], oc3=rows), D, list(COVERED))


@pytest.mark.parametrize("measure,age,num,den", CASES, ids=[f"{c[0]}_{c[1]}" for c in CASES])
def test_care_leaver_measures(results, measure, age, num, den):
    check_pct(results, f"care_leavers_{measure}_{age}", num, den)
    check_window(results, f"care_leavers_{measure}_{age}", "2023-04-01", "2024-03-31")


@pytest.mark.parametrize("d,num,den", [("28/02/2023", 1, 1), ("01/03/2023", 1, 2)])
def test_leap_day_birthday(d, num, den):
    # DOB 29/02/2004: the 19th birthday falls on 01/03/2023 (2023 not a leap year).
    # D = 28/02/2023 (fytd 01/04/2022 .. 28/02/2023): not yet -> cohort {p} only;
    # D = 01/03/2023: in -> cohort {p, q}. p (19th 15/05/2022) in touch, q not.
    rows = [oc3("p", "15/05/2003", 2023, "YES"), oc3("q", "29/02/2004", 2023, "NO")]
    res = run(dataset([], oc3=rows), d, ["care_leavers_in_touch_19"])
    check_pct(res, "care_leavers_in_touch_19", num, den)


def test_window_override_r12():
    # With windows={"care_leavers_eet_19_21": "r12"} at D = 30/09/2023 (r12 = 01/10/2022 ..
    # 30/09/2023, collection year 2024): s (20th 01/11/2022) in, t (19th 01/08/2023) in,
    # u (21st 01/09/2022) out. s EET, t NEET -> 1/2.
    rows = [
        oc3("s", "01/11/2002", 2024, activ="F2"),
        oc3("t", "01/08/2004", 2024, activ="G5"),
        oc3("u", "01/09/2001", 2024, activ="F1"),
    ]
    res = run(
        dataset([], oc3=rows),
        "30/09/2023",
        ["care_leavers_eet_19_21"],
        windows={"care_leavers_eet_19_21": "r12"},
    )
    check_pct(res, "care_leavers_eet_19_21", 1, 2)
    check_window(res, "care_leavers_eet_19_21", "2022-10-01", "2023-09-30")
