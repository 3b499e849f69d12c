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
        rows.append(
            oc3(
                f"Y{i}",
                _dob("2004-04-05", i),
                2024,
                "YES",
                "G5" if i < 10 else "F1",
                "X2" if i == 0 else "U1",
            )
        )
    # still to come: DOBs 10/01/2005 .. 28/02/2005 -> birthdays Jan-Feb 2024
    for i in range(8):
        rows.append(
            oc3(
                f"T{i}",
                _dob("2005-01-10", i),
                2024,
                "YES",
                "F1" if i < 7 else "0",
                "X2" if i == 0 else "U1",
            )
        )
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
    pd.testing.assert_series_equal(p["projected_value"], p["ytd_value"], check_names=False)
    s = p.loc["care_leavers_suitable_accom_19"]
    assert (s["ytd_numerator"], s["ytd_denominator"]) == (35, 37)
    assert s["best_value"] == s["worst_value"] == s["projected_value"]


# --- each quarter end, extract taken at the quarter end -------------------------------
# A quarter's extract holds OC3 rows of the current collection year (2023-24 = YEAR 2024)
# only for young people whose birthday has come; the others are known from their latest
# earlier row (YEAR 2023), which holds their status as last recorded.
#   E1 19 on 30/06/2023  current row U1 (suitable); earlier row U2 is superseded
#   E2 19 on 30/09/2023  earlier row only, U1
#   E3 19 on 31/12/2023  earlier row only, U2 (not suitable)
#   E4 19 on 31/03/2024  earlier row only, U1
#   E5 19 on 01/04/2024  (after 31 March: never in 2023-24) earlier row only, U1
#   E6 19 on 15/02/2024  current row U2 (not suitable), earlier row U1 superseded


def _quarter_rows() -> list[dict]:
    return [
        oc3("E1", "30/06/2004", 2024, accom="U1"),
        oc3("E1", "30/06/2004", 2023, accom="U2"),
        oc3("E2", "30/09/2004", 2023, accom="U1"),
        oc3("E3", "31/12/2004", 2023, accom="U2"),
        oc3("E4", "31/03/2005", 2023, accom="U1"),
        oc3("E5", "01/04/2005", 2023, accom="U1"),
        oc3("E6", "15/02/2005", 2024, accom="U2"),
        oc3("E6", "15/02/2005", 2023, accom="U1"),
    ]


@pytest.mark.parametrize(
    ("period_end", "ytd", "to_come", "meeting", "projected", "best", "worst"),
    [
        # birthday on the period end (E1) is in the year to date, not still to come;
        # E2 (U1), E3 (U2), E4 (U1, birthday on 31 March), E6 (U2) are still to come
        ("2023-06-30", (1, 1), 4, 2, (3, 5), (5, 5), (1, 5)),
        # E2's birthday was on the period end but no current row yet: in neither
        ("2023-09-30", (1, 1), 3, 1, (2, 4), (4, 4), (1, 4)),
        # E3's birthday on the period end: not still to come
        ("2023-12-31", (1, 1), 2, 1, (2, 3), (3, 3), (1, 3)),
        # 31 March: E6 now in the year to date, nothing to come, E4 has no current row
        ("2024-03-31", (1, 2), 0, 0, (1, 2), (1, 2), (1, 2)),
    ],
)
def test_projection_at_each_quarter_end(
    period_end, ytd, to_come, meeting, projected, best, worst
) -> None:
    ds = dataset([ep("X", "01/01/2020")], oc3=_quarter_rows())
    p = care_leavers.yearend_projection(Context(ds, period_end)).set_index("indicator_id")
    row = p.loc["care_leavers_suitable_accom_19"]
    assert (row["ytd_numerator"], row["ytd_denominator"]) == ytd
    assert (row["to_come"], row["to_come_meeting"]) == (to_come, meeting)
    assert (row["projected_numerator"], row["projected_denominator"]) == projected
    assert row["projected_value"] == pytest.approx(projected[0] / projected[1] * 100)
    assert row["best_value"] == pytest.approx(best[0] / best[1] * 100)
    assert row["worst_value"] == pytest.approx(worst[0] / worst[1] * 100)
    # the same young people make up 19-21; no 18th birthday falls after any of these ends
    assert p.loc["care_leavers_suitable_accom_19_21", "to_come"] == to_come
    assert p.loc["care_leavers_suitable_accom_17_18", "to_come"] == 0


def test_projection_is_not_the_year_to_date_mid_year() -> None:
    """The bug this replaces: with a quarter's extract nobody was ever still to come."""
    ds = dataset([ep("X", "01/01/2020")], oc3=_quarter_rows())
    p = care_leavers.yearend_projection(Context(ds, "2023-09-30"))
    assert p["to_come"].sum() > 0
