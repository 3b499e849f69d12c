"""Case tables for reviews on time, participation and previous permanence, worked by hand.

Due dates (docs/indicators_added.md): first review 20 working days after the day the child
became looked after (day 0; a start on a weekend or bank holiday counts from the next
working day), second 3 months after the first was held, then 6 months after the previous
one was held. On the due date is on time. D = 30/06/2024, r12 window 01/07/2023-30/06/2024.
England and Wales bank holidays used below: 25/12/2023, 26/12/2023, 01/01/2024,
29/03/2024 (Good Friday), 01/04/2024 (Easter Monday).
"""

from __future__ import annotations

import pandas as pd
import pytest

from cppanalytics.working_days import add_working_days, bank_holidays

from .builders import (
    chain,
    check_pct,
    check_window,
    dataset,
    ep,
    hdr,
    prevperm,
    rev,
    run,
)

COVERED = (
    "reviews_on_time",
    "reviews_held_on_time",
    "review_participation_pct",
    "review_participation",
    "started_by_prev_perm",
)
D = "30/06/2024"


def _reviews_case():
    episodes = [
        # A: starts on Easter Monday 01/04/2024 -> day 0 is Tue 02/04; 20 working days ->
        #    Tue 30/04/2024. Review held ON the due date: on time. Next due 30/07 (after D).
        ep("A", "01/04/2024"),
        # B: starts Tue 02/01/2024 -> due 30/01/2024; held 31/01 (1 day late). The clock
        #    restarts from the late review: second due 31/01 + 3 months = 30/04/2024
        #    (clamped to the month end); held 30/04: on time.
        ep("B", "02/01/2024"),
        # C: re-entry. Period 1 01/09/2023-15/09/2023 (returned home before any review was
        #    due: first due would have been 29/09/2023, after the period ended: no event).
        #    Period 2 starts Mon 02/10/2023 -> due 30/10/2023 (the clock restarts; from the
        #    first period it would have been 29/09 and missed). Held 27/10: on time; second
        #    due 27/01/2024, held 26/01: on time. A review dated 20/09/2023 falls between the
        #    periods: not counted, a finding.
        ep("C", "01/09/2023", dec="15/09/2023", rec="E4A"),
        ep("C", "02/10/2023"),
        # D: short breaks only (V3): not looked after for these measures; its review rows
        #    are set aside without a finding.
        ep("D", "01/08/2023", ls="V3", dec="03/08/2023", rec="E13"),
        ep("D", "01/02/2024", ls="V3", dec="03/02/2024", rec="E13"),
        # E: first review 20/06/2023 (due 29/06/2023, before the window: no event in it);
        #    second due 20/09/2023, held 19/09: on time; third due 19/03/2024 and not held
        #    by D: overdue (an event not met).
        ep("E", "01/06/2023"),
        # G: 18th birthday 01/05/2024; the episode is still open at D (the return is not yet
        #    updated), but a child 18 or over is not looked after at D. Reviews 27/03/2023,
        #    26/06/2023 (before the window), 15/11/2023 (due 26/12/2023: on time). The next
        #    would be due 15/05/2024, after the 18th birthday: never due.
        ep("G", "01/03/2023"),
        # H: starts Mon 11/12/2023. 20 working days skipping 25/12, 26/12 and 01/01 ->
        #    Thu 11/01/2024 (ignoring bank holidays it would be 08/01 and the review late).
        #    Held 11/01: on time; second due 11/04/2024, held 10/04: on time.
        ep("H", "11/12/2023"),
    ]
    headers = [hdr("A", dob="01/01/2022"), hdr("G", dob="01/05/2006")]
    reviews = [
        rev("A", "30/04/2024", "PN0"),
        rev("B", "31/01/2024", "PN1"),
        rev("B", "30/04/2024", "PN7"),
        rev("C", "20/09/2023", "PN1"),
        rev("C", "27/10/2023", "PN2"),
        rev("C", "26/01/2024", "PN3"),
        rev("D", "02/08/2023", "PN1"),
        rev("D", "02/02/2024", "PN1"),
        rev("E", "20/06/2023", "PN4"),
        rev("E", "19/09/2023", "PN4"),
        rev("G", "27/03/2023", "PN5"),
        rev("G", "26/06/2023", "PN5"),
        rev("G", "15/11/2023", "PN5"),
        rev("H", "11/01/2024", "PN6"),
        rev("H", "10/04/2024", ""),
    ]
    return dataset(episodes, headers, reviews=reviews)


def test_hand_worked_due_dates():
    starts = pd.Series(
        pd.to_datetime(
            ["2024-04-01", "2024-01-02", "2023-10-02", "2023-12-11", "2023-06-01", "2023-09-01"]
        )
    )
    due = add_working_days(starts, 20).dt.strftime("%d/%m/%Y").tolist()
    assert due == [
        "30/04/2024",
        "30/01/2024",
        "30/10/2023",
        "11/01/2024",
        "29/06/2023",
        "29/09/2023",
    ]


def test_bank_holidays_match_gov_uk():
    # gov.uk/bank-holidays, England and Wales
    want = {
        2020: ["01/01", "10/04", "13/04", "08/05", "25/05", "31/08", "25/12", "28/12"],
        2022: [
            "03/01",
            "15/04",
            "18/04",
            "02/05",
            "02/06",
            "03/06",
            "29/08",
            "19/09",
            "26/12",
            "27/12",
        ],
        2023: ["02/01", "07/04", "10/04", "01/05", "08/05", "29/05", "28/08", "25/12", "26/12"],
        2026: ["01/01", "03/04", "06/04", "04/05", "25/05", "31/08", "25/12", "28/12"],
    }
    for year, days in want.items():
        got = [d.strftime("%d/%m") for d in bank_holidays(year, year)]
        assert got == days, year


def test_reviews_on_time_and_held_on_time():
    res = run(_reviews_case(), D, COVERED)
    # children at D with a due event in the window: A B C E H (D is on short breaks; G is
    # 18 at D, so not looked after at D although the episode is still open). All met: A, C,
    # H. B (late first review) and E (third review overdue) not.
    check_pct(res, "reviews_on_time", 3, 5)
    # reviews held in the window: A 30/04; B 31/01 (late), 30/04; C 27/10, 26/01;
    # E 19/09; G 15/11; H 11/01, 10/04 -> 9 held, 8 on time (C's 20/09 and D's are not
    # in a period of care; E's and G's earlier ones are before the window)
    check_pct(res, "reviews_held_on_time", 8, 9)
    check_window(res, "reviews_on_time", "2023-07-01", "2024-06-30")


def test_participation():
    res = run(_reviews_case(), D, COVERED)
    # codes of the 9 reviews held: PN0 (A, under 4), PN1 PN7 (B), PN2 PN3 (C), PN4 (E),
    # PN5 (G), PN6 and blank (H)
    for code in ("PN0", "PN1", "PN2", "PN3", "PN4", "PN5", "PN6", "PN7", "not_recorded"):
        check_pct(res, "review_participation", 1, 9, group=code)
    # aged 4+ with a code: PN1-PN7 = 7 reviews; took part PN1-PN6 = 6
    check_pct(res, "review_participation_pct", 6, 7)


def test_review_outside_care_is_a_finding_but_short_breaks_are_not():
    from cppanalytics.findings import Findings
    from cppanalytics.indicators import compute

    found = Findings()
    compute(
        _reviews_case(), pd.Timestamp("2024-06-30"), ids=["reviews_held_on_time"], findings=found
    )
    f = found.to_frame()
    outside = f[f["code"] == "review_outside_care"]
    assert outside["child"].tolist() == ["C"]  # D's short-break reviews raise nothing


def test_review_due_on_the_period_end_is_not_yet_overdue():
    # J starts 03/06/2024 (Mon): first review due 20 working days later = Mon 01/07/2024.
    # At D = 01/07/2024 it is due today and not held: not overdue, no event -> J is not in
    # the cohort (0 of 0). One day later it is overdue (0 of 1).
    ds = dataset([ep("J", "03/06/2024")], reviews=[])
    check_pct(run(ds, "01/07/2024", ["reviews_on_time"]), "reviews_on_time", 0, 0)
    check_pct(run(ds, "02/07/2024", ["reviews_on_time"]), "reviews_on_time", 0, 1)


def test_previous_permanence_of_starters():
    d = "31/03/2024"  # fytd window 01/04/2023-31/03/2024
    episodes = [
        ep("P", "01/05/2023"),
        ep("Q", "01/06/2023"),
        ep("R", "01/07/2023"),
        ep("S", "01/08/2023"),
        ep("T", "01/09/2023"),
        ep("U", "01/01/2023"),  # started before the window: not a starter
        # V starts twice in the window: counted once (as cla_started)
        ep("V", "01/05/2023", dec="01/06/2023", rec="E4A"),
        ep("V", "01/10/2023"),
    ]
    perms = [
        prevperm("P", "P1", "E06000042", "01/01/2020"),
        prevperm("Q", "P2"),
        prevperm("R", "P3"),
        prevperm("S", "Z1"),
        prevperm("U", "P1"),
        prevperm("V", "Z1"),
    ]
    res = run(dataset(episodes, prev_perm=perms), d, ["started_by_prev_perm"])
    # starters P Q R S T V = 6: adoption P, sgo Q, residence_cao R, none_or_unknown S V,
    # not_recorded T (no PrevPerm row)
    check_pct(res, "started_by_prev_perm", 1, 6, group="adoption")
    check_pct(res, "started_by_prev_perm", 1, 6, group="sgo")
    check_pct(res, "started_by_prev_perm", 1, 6, group="residence_cao")
    check_pct(res, "started_by_prev_perm", 2, 6, group="none_or_unknown")
    check_pct(res, "started_by_prev_perm", 1, 6, group="not_recorded")
    check_window(res, "started_by_prev_perm", "2023-04-01", "2024-03-31")


@pytest.mark.parametrize("late_days", [0, 1])
def test_second_review_three_months_after_the_first(late_days):
    # K starts Mon 04/09/2023: first due 02/10/2023 (Sep 5-8: 4, 11-15: 9, 18-22: 14,
    # 25-29: 19, Oct 2: 20); held 02/10 -> second due 02/01/2024; held 02/01 + late_days.
    held = pd.Timestamp("2024-01-02") + pd.Timedelta(days=late_days)
    ds = dataset(
        chain("K", ("04/09/2023", "S", "U4")),
        reviews=[rev("K", "02/10/2023"), rev("K", held.strftime("%d/%m/%Y"))],
    )
    res = run(ds, "31/03/2024", ["reviews_held_on_time"])
    check_pct(res, "reviews_held_on_time", 2 - late_days, 2)


def test_a_child_turning_18_leaves_the_review_cohort():
    # G2 turns 18 on 01/05/2024 and the episode is (wrongly) still open. Last review
    # 15/11/2023 -> next due 15/05/2024, on or after the 18th birthday: never due. At
    # D = 30/04/2024 (G2 is 17 and looked after) the review of 15/11 (due 26/12/2023 after
    # reviews on 27/03 and 26/06/2023) was on time: 1 of 1. From the 18th birthday G2 is
    # not looked after at D, so in no cohort (0 of 0 at 16/05/2024).
    ds = dataset(
        [ep("G2", "01/03/2023")],
        [hdr("G2", dob="01/05/2006")],
        reviews=[rev("G2", "27/03/2023"), rev("G2", "26/06/2023"), rev("G2", "15/11/2023")],
    )
    check_pct(run(ds, "30/04/2024", ["reviews_on_time"]), "reviews_on_time", 1, 1)
    check_pct(run(ds, "16/05/2024", ["reviews_on_time"]), "reviews_on_time", 0, 0)
    # a child with the same history and no 18th birthday in sight is overdue by 16/05/2024
    ds2 = dataset(
        [ep("G3", "01/03/2023")],
        [hdr("G3", dob="01/05/2010")],
        reviews=[rev("G3", "27/03/2023"), rev("G3", "26/06/2023"), rev("G3", "15/11/2023")],
    )
    check_pct(run(ds2, "16/05/2024", ["reviews_on_time"]), "reviews_on_time", 0, 1)
