"""The care-leaver year-end projection, modelled on a panel paper's NI147 paragraph.

"9 out of 10 ... a cumulative figure of 96.6% ... a further 8 young people in the cohort
will turn 19 in the final quarter, 7 of whom are currently in suitable accommodation. If
this is maintained we will achieve a year end figure of ...". Here: D = 31/12/2023, 29
young people turned 19 since 01/04/2023 (28 suitable = 96.6%), 8 more turn 19 by 31/03/2024
(7 suitable now); one more turning 19 died (left out), one more is abroad (ACCOM G1: left
out of the accommodation measure only).
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from cppanalytics.indicators import care_leavers
from cppanalytics.indicators.context import Context
from tests.case_tables.builders import dataset, ep, oc3


def _dob(first: str, i: int) -> str:
    return (pd.Timestamp(first) + pd.Timedelta(days=7 * i)).strftime("%d/%m/%Y")


def _rows() -> list[dict]:
    rows = []
    # year to date: DOBs 05/04/2004 .. 18/10/2004 -> 19th birthdays 05/04/2023 .. 18/10/2023
    for i in range(29):
        rows.append(oc3(f"Y{i}", _dob("2004-04-05", i), 2024, "YES",
                        "G5" if i < 10 else "F1", "X2" if i == 0 else "U1"))
    # still to come: DOBs 10/01/2005 .. 28/02/2005 -> birthdays Jan-Feb 2024
    for i in range(8):
        rows.append(oc3(f"T{i}", _dob("2005-01-10", i), 2024, "YES",
                        "F1" if i < 7 else "0", "X2" if i == 0 else "U1"))
    rows.append(oc3("TD", "15/03/2005", 2024, "DIED", "F1", "U1"))
    rows.append(oc3("TG", "20/03/2005", 2024, "YES", "F1", "G1"))
    rows.append(oc3("NEXT", "02/04/2005", 2024, "YES", "F1", "U1"))  # 18 on 02/04/2023
    return rows


def _projection(period_end: str) -> pd.DataFrame:
    ds = dataset([ep("X", "01/01/2020")], oc3=_rows())
    out = care_leavers.yearend_projection(Context(ds, period_end))
    return out.set_index("indicator_id")


def test_projection_columns_and_rows() -> None:
    p = _projection("2023-12-31")
    assert list(p.reset_index().columns) == care_leavers.PROJECTION_COLUMNS
    assert set(p.index) == set(care_leavers.IDS)
    assert (p["year_end"] == pd.Timestamp("2024-03-31")).all()


def test_suitable_accommodation_at_19() -> None:
    p = _projection("2023-12-31").loc["care_leavers_suitable_accom_19"]
    assert (p["ytd_numerator"], p["ytd_denominator"]) == (28, 29)
    assert p["ytd_value"] == pytest.approx(28 / 29 * 100)  # 96.6
    # TD died, TG abroad: 8 to come, 7 currently suitable
    assert (p["to_come"], p["to_come_meeting"], p["to_come_no_status"]) == (8, 7, 0)
    assert (p["projected_numerator"], p["projected_denominator"]) == (35, 37)
    assert p["projected_value"] == pytest.approx(35 / 37 * 100)
    assert p["best_value"] == pytest.approx(36 / 37 * 100)
    assert p["worst_value"] == pytest.approx(28 / 37 * 100)


def test_eet_and_neet_at_19_polarity() -> None:
    p = _projection("2023-12-31")
    eet = p.loc["care_leavers_eet_19"]
    # ytd 19 EET of 29; to come T0-T7 + TG = 9, 8 EET now, T7 has ACTIV 0 (no status)
    assert (eet["ytd_numerator"], eet["to_come"], eet["to_come_meeting"]) == (19, 9, 8)
    assert eet["to_come_no_status"] == 1
    assert eet["projected_value"] == pytest.approx(27 / 38 * 100)
    assert eet["best_value"] == pytest.approx(28 / 38 * 100)
    assert eet["worst_value"] == pytest.approx(19 / 38 * 100)
    neet = p.loc["care_leavers_neet_19"]
    # NEET: lower is better, so best = none of the 9 NEET, worst = all of them
    assert (neet["ytd_numerator"], neet["to_come_meeting"]) == (10, 0)
    assert neet["projected_value"] == pytest.approx(10 / 38 * 100)
    assert neet["best_value"] == pytest.approx(10 / 38 * 100)
    assert neet["worst_value"] == pytest.approx(19 / 38 * 100)


def test_other_groups() -> None:
    q = _projection("2023-12-31")
    # NEXT turned 18 on 02/04/2023: the only 17_18 young person, nobody still to come
    p = q.loc["care_leavers_in_touch_17_18"]
    assert (p["ytd_numerator"], p["ytd_denominator"], p["to_come"]) == (1, 1, 0)
    assert p["projected_value"] == p["best_value"] == p["worst_value"] == 100.0
    # 19_21 holds the same young people as 19 here (no 20th/21st birthdays)
    a = q.loc["care_leavers_in_touch_19_21"]
    assert (a["ytd_numerator"], a["ytd_denominator"], a["to_come"]) == (29, 29, 9)


def test_group_without_young_people_has_no_values() -> None:
    ds = dataset([ep("X", "01/01/2020")], oc3=[oc3("A", "01/05/2004", 2024)])
    p = care_leavers.yearend_projection(Context(ds, "2023-12-31")).set_index("indicator_id")
    row = p.loc["care_leavers_eet_17_18"]
    assert (row["ytd_denominator"], row["to_come"], row["projected_denominator"]) == (0, 0, 0)
    assert math.isnan(row["ytd_value"]) and math.isnan(row["projected_value"])
    assert math.isnan(row["best_value"]) and math.isnan(row["worst_value"])


def test_at_31_march_nothing_is_still_to_come() -> None:
    p = _projection("2024-03-31")
    assert (p["to_come"] == 0).all()
    pd.testing.assert_series_equal(
        p["projected_value"], p["ytd_value"], check_names=False)
    s = p.loc["care_leavers_suitable_accom_19"]
    assert (s["ytd_numerator"], s["ytd_denominator"]) == (35, 37)
    assert s["best_value"] == s["worst_value"] == s["projected_value"]
