"""Stability indicators: hand-worked histories through ``compute``."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cppanalytics.indicators import Settings, compute
from cppanalytics.indicators.context import Context
from cppanalytics.indicators.stability import long_term_tracking, three_plus_profile
from tests.care.build import dataset, ep, hdr, nums, value

D = "2024-03-31"
IDS = ["stability_3plus_placements", "stability_2yr_3plus", "stability_long_term"]


def test_three_plus_placements_r12_and_fytd():
    # D = 30/06/2024: r12 = 01/07/2023..30/06/2024, fytd = 01/04/2024..30/06/2024
    # A: placements from 01/01/2023 (open at r12 start), 01/09/2023, 01/05/2024 -> 3 in r12,
    #    2 in fytd (the 01/09/2023 one is open at 01/04/2024, plus 01/05/2024)
    # B: placement ended 30/06/2023 (day before r12 start), then 2 more -> 2 in r12
    # C: 3 placements all in fytd -> 3 in both
    ds = dataset(
        [
            ep("A", "01/01/2023", "01/09/2023", "X1"),
            ep("A", "01/09/2023", "01/05/2024", "X1", rne="P", place="K2"),
            ep("A", "01/05/2024", rne="P", place="U6"),
            ep("B", "01/01/2023", "30/06/2023", "X1"),
            ep("B", "30/06/2023", "01/01/2024", "X1", rne="P", place="K2"),
            ep("B", "01/01/2024", rne="P", place="U6"),
            ep("C", "02/04/2024", "01/05/2024", "X1"),
            ep("C", "01/05/2024", "01/06/2024", "X1", rne="P", place="K2"),
            ep("C", "01/06/2024", rne="P", place="U6"),
        ]
    )
    r = compute(ds, "2024-06-30", ids=["stability_3plus_placements"])
    assert len(r) == 2
    assert nums(r, "stability_3plus_placements", window_start="2023-07-01") == (2, 3)  # A, C
    assert nums(r, "stability_3plus_placements", window_start="2024-04-01") == (1, 3)  # C


def test_three_plus_written_once_when_windows_coincide_at_31_march():
    r = compute(dataset([ep("A", "01/01/2023")]), D, ids=["stability_3plus_placements"])
    assert len(r) == 1 and r["window_start"].iloc[0] == pd.Timestamp("2023-04-01")


def test_hospital_stay_and_return_is_one_placement_rule2_both_ways():
    # foster U4, T1 hospital, back to the same foster: 1 placement (rule 2) vs 3 (off)
    ds = dataset(
        [
            ep("A", "01/01/2023", "01/06/2023", "X1"),
            ep("A", "01/06/2023", "10/06/2023", "X1", rne="P", place="T1"),
            ep("A", "10/06/2023", rne="P"),
        ]
    )
    assert nums(
        compute(ds, D, ids=["stability_3plus_placements"]), "stability_3plus_placements"
    ) == (0, 1)
    off = Settings(temporary_placements_continue=False)
    assert nums(
        compute(ds, D, ids=["stability_3plus_placements"], settings=off),
        "stability_3plus_placements",
    ) == (1, 1)


def test_two_year_three_plus():
    # r24 at D: 01/04/2022..31/03/2024; cohort: period began on or before 31/03/2022
    # A began 31/03/2022 (in), 3 placements in r24 -> counts; B began 01/04/2022 (out)
    ds = dataset(
        [
            ep("A", "31/03/2022", "01/01/2023", "X1"),
            ep("A", "01/01/2023", "01/01/2024", "X1", rne="P", place="K2"),
            ep("A", "01/01/2024", rne="P", place="U6"),
            ep("B", "01/04/2022", "01/01/2023", "X1"),
            ep("B", "01/01/2023", "01/01/2024", "X1", rne="P", place="K2"),
            ep("B", "01/01/2024", rne="P", place="U6"),
        ]
    )
    r = compute(ds, D, ids=["stability_2yr_3plus"])
    assert nums(r, "stability_2yr_3plus") == (1, 1)
    assert value(r, "stability_2yr_3plus")["window_start"] == pd.Timestamp("2022-04-01")


def long_term_dataset():
    # D = 31/03/2024: cohort = under 16 at D, period began on or before 30/09/2021;
    # stable = carer spell began on or before 31/03/2022
    return dataset(
        [
            # A: in care 30/09/2021 (boundary, in), same carer since then -> stable
            ep("A", "30/09/2021"),
            # B: in care 01/10/2021 -> not in cohort
            ep("B", "01/10/2021"),
            # C: in care 2019, moved (P) 01/04/2022 -> in cohort, not stable (spell a day short)
            ep("C", "01/01/2019", "01/04/2022", "X1"),
            ep("C", "01/04/2022", rne="P", place="K2"),
            # E: in care 2019, RNE T change 01/06/2023 (same carer) -> stable
            ep("E", "01/01/2019", "01/06/2023", "X1"),
            ep("E", "01/06/2023", rne="T", place="U6"),
            # F: foster 2019 with carer X; 01/01/2023 placed for adoption A4 with new carers (P):
            #    current A4 run; the spell before it began 01/01/2019 -> stable by the A rule
            ep("F", "01/01/2019", "01/01/2023", "X1"),
            ep("F", "01/01/2023", rne="P", ls="E1", place="A4", pl_post="AB1 2CD"),
            # G: aged 16 at D -> not in cohort
            ep("G", "01/01/2019"),
            # H: hospital (T1) since 01/03/2024 from a foster spell since 2019 -> stable (rule 2)
            ep("H", "01/01/2019", "01/03/2024", "X1"),
            ep("H", "01/03/2024", rne="P", place="T1"),
        ],
        [hdr(c, "01/01/2012") for c in "ABCEFH"] + [hdr("G", "31/03/2008")],
    )


def test_long_term_stability_with_adoption_rule_and_hospital():
    r = compute(long_term_dataset(), D, ids=["stability_long_term"])
    # cohort A C E F H (5); stable A E F H (4)
    assert nums(r, "stability_long_term") == (4, 5)
    assert value(r, "stability_long_term")["value"] == 80.0
    off = Settings(temporary_placements_continue=False)
    # rule 2 off: H's current spell is the hospital one (01/03/2024) -> not stable
    assert nums(
        compute(long_term_dataset(), D, ids=["stability_long_term"], settings=off),
        "stability_long_term",
    ) == (3, 5)


def test_yearend_max_and_tracking_table():
    # D = 30/11/2024, year end Y = 31/03/2025: cohort under 16 at Y, period began on or before
    # 30/09/2022; potentially stable = spell began on or before 31/03/2023
    ds = dataset(
        [
            ep("A", "01/01/2022"),  # stable all year
            ep("B", "01/01/2022", "01/06/2024", "E11"),  # left care in June (stable)
            ep("C", "01/01/2022", "01/08/2024", "X1"),  # moved in August
            ep("C", "01/08/2024", rne="P", place="K2"),
            ep("E", "01/01/2022", "01/03/2023", "X1"),  # spell from 01/03/2023: stable
            ep("E", "01/03/2023", rne="P", place="K2"),  # by Y though not yet at D-2y
            ep("F", "01/01/2022", "01/06/2023", "X1"),  # spell from 01/06/2023: can't
            ep("F", "01/06/2023", rne="P", place="K2"),  # reach 2 years by Y
            ep("G", "01/10/2022"),  # began too late for Y cohort
        ],
        [hdr(c, "01/01/2012") for c in "ABCEFG"],
    )
    ctx = Context(ds, "2024-11-30")
    t = long_term_tracking(ctx).iloc[0]
    # 1 April 2024 cohort: A B C E F (5); potentially stable A B C E (4)
    assert (t["cohort_start"], t["stable_start"]) == (5, 4)
    assert (t["left_care"], t["left_care_stable"]) == (1, 1)  # B
    assert (t["moved"], t["moved_stable"]) == (1, 1)  # C
    # best possible at Y: cohort A C E F (4), stable A E (2)
    assert (t["best_numerator"], t["best_denominator"]) == (2, 4)
    # current (stability_long_term at D=30/11/2024: period on or before 31/05/2022, spell on
    # or before 30/11/2022): A C E F in cohort, A stable
    assert (t["current_numerator"], t["current_denominator"]) == (1, 4)
    r = compute(ds, "2024-11-30", ids=["stability_long_term_yearend_max"])
    assert nums(r, "stability_long_term_yearend_max") == (2, 4)
    # the note carries no counts (it is published as it stands); the tracking table has them
    note = value(r, "stability_long_term_yearend_max")["note"]
    undated = note.replace("31 March", "").replace("1 April", "")
    assert note.startswith("if nobody leaves care") and not any(c.isdigit() for c in undated)


def _range_dataset():
    # Y = 31/03/2025. Long-term cohort at Y: under 16, period began on or before 30/09/2022.
    return dataset(
        [
            ep("A", "01/01/2022"),  # 2 years with carers already
            ep("E", "01/01/2022", "01/03/2023", "X1"),  # spell from 01/03/2023
            ep("E", "01/03/2023", rne="P", place="K2"),
            ep("F", "01/01/2022", "01/06/2023", "X1"),  # spell from 01/06/2023: can't
            ep("F", "01/06/2023", rne="P", place="K2"),  # reach 2 years by Y
            # 3+ placements since 1 April 2024: M has 3, N has 2, P has 1 (open since 2023)
            ep("M", "02/04/2024", "01/05/2024", "X1"),
            ep("M", "01/05/2024", "01/06/2024", "X1", rne="P", place="K2"),
            ep("M", "01/06/2024", rne="P", place="U6"),
            ep("N", "01/05/2024", "01/06/2024", "X1"),
            ep("N", "01/06/2024", rne="P", place="K2"),
            ep("P", "01/10/2023"),
        ],
        [hdr(c, "01/01/2012") for c in "AEFMNP"],
    )


def test_yearend_range_at_each_quarter_end():
    from cppanalytics.indicators.stability import yearend_range

    ds = _range_dataset()
    # 30/06/2024, 30/09/2024, 31/12/2024: in care now A E F M N P (6).
    # 3+ since 1 April: M (A's, E's and F's open placements count once each) -> best 1/6;
    # worst: N (2 placements) moves once more -> 2/6.
    # long-term at Y: cohort A E F; best A E (E's spell reaches 2 years on 01/03/2025);
    # worst: only A (2 years with carers already at D; E gets there on 01/03/2025).
    for d in ("2024-06-30", "2024-09-30", "2024-12-31"):
        r = yearend_range(Context(ds, d)).set_index("indicator_id")
        p3 = r.loc["stability_3plus_placements"]
        assert (p3["now_numerator"], p3["now_denominator"]) == (1, 6)
        assert (p3["best_numerator"], p3["worst_numerator"], p3["worst_denominator"]) == (1, 2, 6)
        lt = r.loc["stability_long_term"]
        assert (lt["best_numerator"], lt["best_denominator"]) == (2, 3)
        assert (lt["worst_numerator"], lt["worst_denominator"]) == (1, 3)
        assert lt["worst_value"] == pytest.approx(100 / 3)
    # at 31 March the year is over for E: on 01/03/2025 its spell reached 2 years, so best =
    # worst; 3+ placements: still M only, N's 2 placements stay 2 -> worst counts N too
    r = yearend_range(Context(ds, "2025-03-31")).set_index("indicator_id")
    lt = r.loc["stability_long_term"]
    assert (lt["best_numerator"], lt["worst_numerator"], lt["best_denominator"]) == (2, 2, 3)
    assert (lt["now_numerator"], lt["now_denominator"]) == (2, 3)


def test_three_plus_profile_by_age_and_time_in_care():
    # D = 30/09/2024, 1 April = 01/04/2024, last financial year began 01/04/2023
    # A: born 10/05/2020 (4 at D: 1-4), entered care 01/05/2024 (since 1 April), 3 placements
    # B: born 30/09/2009 (15 at D, birthday on D: 10-15), entered 01/04/2023 (last year), 3
    #    placements overlapping 1 April (the first is open on 1 April)
    # C: born 01/01/2008 (16: 16+), entered 01/01/2020 (longer), only 2 placements -> out
    # D_: born 01/01/2008, in care since 01/01/2020, 3 placements but left care 01/09/2024
    #     -> not looked after at D, out
    ds = dataset(
        [
            ep("A", "01/05/2024", "01/06/2024", "X1"),
            ep("A", "01/06/2024", "01/07/2024", "X1", rne="P", place="K2"),
            ep("A", "01/07/2024", rne="P", place="U6"),
            ep("B", "01/04/2023", "01/05/2024", "X1"),
            ep("B", "01/05/2024", "01/06/2024", "X1", rne="P", place="K2"),
            ep("B", "01/06/2024", rne="P", place="U6"),
            ep("C", "01/01/2020", "01/06/2024", "X1"),
            ep("C", "01/06/2024", rne="P", place="K2"),
            ep("D_", "01/01/2020", "01/05/2024", "X1"),
            ep("D_", "01/05/2024", "01/06/2024", "X1", rne="P", place="K2"),
            ep("D_", "01/06/2024", "01/09/2024", "E11", rne="P", place="U6"),
        ],
        [
            hdr("A", "10/05/2020"),
            hdr("B", "30/09/2009"),
            hdr("C", "01/01/2008"),
            hdr("D_", "01/01/2008"),
        ],
    )
    prof = three_plus_profile(Context(ds, "2024-09-30")).set_index(["breakdown", "group"])
    got = prof["children"].to_dict()
    assert got[("age_band", "1-4")] == 1 and got[("age_band", "10-15")] == 1
    assert got[("age_band", "under 1")] == 0 and got[("age_band", "16+")] == 0
    assert got[("entered_care", "since_1_april")] == 1
    assert got[("entered_care", "last_financial_year")] == 1
    assert got[("entered_care", "longer")] == 0
    assert got[("total", "total")] == 2


# ---------------------------------------------------------------- the per-run arrays
# the array paths (placement counts by child code, long-term stability on episode rows, the
# tracking row) against the plain frame definitions, on journeys with the awkward cases

FAST_ENDS = [
    "2022-06-30",
    "2023-02-28",
    "2023-03-31",
    "2023-06-30",
    "2024-02-29",  # a 29 February birthday on the period end
    "2024-03-31",  # a 16th birthday on the period end
    "2024-04-01",
    "2024-09-30",
    "2025-03-31",
]


def _journeys():
    return dataset(
        [
            # A: born 29/02/2008, foster since 2019, a hospital stay and return (rule 2)
            ep("A", "01/01/2019", "01/05/2022", "X1"),
            ep("A", "01/05/2022", "01/06/2022", "X1", rne="P", place="T1"),
            ep("A", "01/06/2022", rne="P"),
            # B: 16 on 31/03/2024; same-day chain of carers, short break in between
            ep("B", "01/01/2020", "01/01/2021", "X1"),
            ep("B", "01/01/2021", "01/03/2023", "X1", rne="P", place="K2"),
            ep("B", "01/03/2023", "02/03/2023", "X1", rne="P", place="U6"),
            ep("B", "02/03/2023", rne="P", place="U5"),
            ep("B", "01/04/2023", "03/04/2023", "E8", ls="V3"),  # short break: dropped
            # C: no header row (no DOB); re-entry after an exit
            ep("C", "01/01/2020", "01/01/2022", "E4A"),
            ep("C", "01/02/2022", "01/07/2023", "X1"),
            ep("C", "01/07/2023", rne="P", place="K2"),
            # E: foster, then A4 with new carers, a temporary stay inside the run, A5 (T)
            ep("E", "01/01/2019", "01/01/2023", "X1"),
            ep("E", "01/01/2023", "01/06/2023", "X1", rne="P", ls="E1", place="A4"),
            ep("E", "01/06/2023", "10/06/2023", "X1", rne="P", ls="E1", place="T2"),
            ep("E", "10/06/2023", "01/01/2024", "X1", rne="P", ls="E1", place="A4"),
            ep("E", "01/01/2024", rne="T", ls="E1", place="A5"),
            # F: a temporary placement first (no carer spell yet), then moves
            ep("F", "01/01/2021", "01/04/2024", "X1", place="T1"),
            ep("F", "01/04/2024", "01/05/2024", "X1", rne="P", place="K2"),
            ep("F", "01/05/2024", "01/06/2024", "X1", rne="B", place="U6"),
            ep("F", "01/06/2024", "01/06/2024", "X1", rne="P", place="U4"),  # same DECOM: set aside
            ep("F", "01/06/2024", rne="P", place="K2"),
            # G: over 18 during the run, never recorded as leaving
            ep("G", "01/01/2019"),
            # H: unknown RNE with a different place (new placement and spell)
            ep("H", "01/01/2021", "01/01/2024", "X1"),
            ep("H", "01/01/2024", rne="Q", place="K2"),
            # J: one episode, started on a period end
            ep("J", "31/03/2024"),
            # K: leaves care in the year; L: leaves and comes back (a new period)
            ep("K", "01/01/2019", "01/08/2024", "E11"),
            ep("L", "01/01/2019", "01/05/2023", "E4A"),
            ep("L", "01/06/2023"),
            # M: a placement ending on 1 April (it overlaps the year to date) and 2 more
            ep("M", "01/01/2022", "01/04/2023", "X1"),
            ep("M", "01/04/2023", "01/05/2023", "X1", rne="P", place="K2"),
            ep("M", "01/05/2023", rne="P", place="U6"),
            # N: with the current carers from exactly 2 years before 31/03/2024
            ep("N", "01/01/2020", "31/03/2022", "X1"),
            ep("N", "31/03/2022", rne="P", place="K2"),
            # P: a third placement starting on the period end 31/03/2024
            ep("P", "01/01/2024", "01/02/2024", "X1"),
            ep("P", "01/02/2024", "31/03/2024", "X1", rne="P", place="K2"),
            ep("P", "31/03/2024", rne="P", place="U6"),
            # Q: placed for adoption; the carers before it from exactly 2 years before D
            ep("Q", "01/01/2020", "31/03/2022", "X1"),
            ep("Q", "31/03/2022", "01/01/2024", "X1", rne="P", place="K2"),
            ep("Q", "01/01/2024", rne="P", ls="E1", place="A4"),
        ],
        [
            hdr("A", "29/02/2008"),
            hdr("B", "31/03/2008"),
            hdr("E", "01/01/2015"),
            hdr("F", "01/01/2012"),
            hdr("G", "01/06/2006"),
            hdr("H", "01/01/2010"),
            hdr("J", "01/04/2020"),
            hdr("K", "01/01/2012"),
            hdr("L", "01/01/2012"),
            hdr("M", "01/01/2012"),
            hdr("N", "01/01/2012"),
            hdr("P", "01/01/2012"),
            hdr("Q", "01/01/2012"),
        ],
    )


def _plain_tracking(ctx: Context) -> pd.DataFrame:
    """The tracking row worked out on frames (the plain definition)."""
    from cppanalytics.dates import financial_year_start, year_end
    from cppanalytics.indicators.stability import long_term_stable

    d = ctx.period_end
    y = year_end(d)
    at_start = ctx.cla_at(financial_year_start(d))
    in_start, stable_start = long_term_stable(at_start, y)
    start_rows = at_start[in_start]
    stable_ids = set(at_start.loc[stable_start, "CHILD"])
    now = ctx.cla_at(d)
    cols = ["CHILD", "period_id", "carer_spell_id"]
    merged = start_rows[cols].merge(now[cols], on="CHILD", how="left", suffixes=("", "_now"))
    still = (merged["period_id_now"] == merged["period_id"]).fillna(False).to_numpy(dtype=bool)
    differs = merged["carer_spell_id_now"] != merged["carer_spell_id"]
    moved = still & differs.fillna(True).to_numpy(dtype=bool)
    is_stable = merged["CHILD"].isin(stable_ids).to_numpy(dtype=bool)
    cur_cohort, cur_stable = long_term_stable(now, d)
    best_cohort, best_stable = long_term_stable(now, y)
    worst = best_cohort & long_term_stable(now, y, spell_by=d)[1]

    def pct(num: int, den: int) -> float:
        return num / den * 100 if den else float("nan")

    n_start, n_stable = len(start_rows), int(is_stable.sum())
    counts = {
        "current": (int(cur_stable.sum()), int(cur_cohort.sum())),
        "best": (int(best_stable.sum()), int(best_cohort.sum())),
        "worst": (int(worst.sum()), int(best_cohort.sum())),
    }
    row = {
        "period_end": d,
        "year_end": y,
        "cohort_start": n_start,
        "stable_start": n_stable,
        "stable_start_pct": pct(n_stable, n_start),
        "left_care": int((~still).sum()),
        "left_care_stable": int((~still & is_stable).sum()),
        "moved": int(moved.sum()),
        "moved_stable": int((moved & is_stable).sum()),
    }
    for name, (num, den) in counts.items():
        row.update({f"{name}_numerator": num, f"{name}_denominator": den})
        row[f"{name}_pct"] = pct(num, den)
    order = [*row][:9] + [f"{n}_{p}" for n in counts for p in ("numerator", "denominator", "pct")]
    return pd.DataFrame([row])[order]


@pytest.mark.parametrize("rule2", [True, False])
def test_array_paths_equal_the_frame_definitions_at_every_end(rule2: bool) -> None:
    from cppanalytics.dates import minus_years, window, year_end
    from cppanalytics.indicators.stability import (
        _arrays,
        _three_plus,
        long_term_stable,
        placement_counts,
    )

    settings = Settings(temporary_placements_continue=rule2)
    base = Context(_journeys(), FAST_ENDS[0], settings)
    for d in FAST_ENDS:
        ctx = base.at(d)
        cla, pos = ctx.cla_at(), ctx.cla_at_positions()
        older = (cla["period_start"] <= minus_years(ctx.period_end, 2)).to_numpy()
        for kind in ("r12", "fytd", "r24", "point"):
            win = window(kind, ctx.period_end)
            plain = cla["CHILD"].map(placement_counts(ctx, *win)).fillna(0).to_numpy()
            assert _three_plus(ctx, pos, win) == int((plain >= 3).sum()), (d, kind)
            assert _three_plus(ctx, pos[older], win) == int((plain[older] >= 3).sum())
        for at, by in [(ctx.period_end, None), (year_end(d), None), (year_end(d), d)]:
            fast = _arrays(ctx).long_term(pos, at, None if by is None else ctx.period_end)
            slow = long_term_stable(cla, at, None if by is None else ctx.period_end)
            assert [f.tolist() for f in fast] == [s.tolist() for s in slow], (d, at)
        pd.testing.assert_frame_equal(long_term_tracking(ctx), _plain_tracking(ctx))


def test_array_paths_on_one_child_and_on_nothing() -> None:
    one = dataset([ep("A", "01/01/2020")], [hdr("A", "31/03/2012")])
    for data in (one, dataset([], [])):
        base = Context(data, FAST_ENDS[0])
        for d in FAST_ENDS:
            ctx = base.at(d)
            pd.testing.assert_frame_equal(long_term_tracking(ctx), _plain_tracking(ctx))


def test_many_period_ends_give_what_each_end_gives_alone() -> None:
    ids = [
        "stability_3plus_placements",
        "stability_2yr_3plus",
        "stability_long_term",
        "stability_long_term_yearend_max",
    ]
    ds = _journeys()
    together = compute(ds, FAST_ENDS, ids=ids)
    alone = pd.concat([compute(ds, d, ids=ids) for d in FAST_ENDS], ignore_index=True)
    pd.testing.assert_frame_equal(together, alone)
    assert together["denominator"].sum() > 0


@pytest.mark.parametrize("rules", [(True, True, True), (False, False, False), (True, False, True)])
def test_placements_children_read_from_their_first_episodes(rules) -> None:
    from cppanalytics.indicators.stability import _arrays

    names = (
        "adoption_with_current_carer_continues",
        "temporary_placements_continue",
        "ffa_counts_as_new_placement",
    )
    ctx = Context(_journeys(), FAST_ENDS[0], Settings(**dict(zip(names, rules, strict=True))))
    plain = ctx.child_codes(ctx.placements["CHILD"])
    assert _arrays(ctx).placement_child.tolist() == plain.tolist()
    assert len(plain) > len(set(plain))  # children with several placements


def test_days_at_positions_are_the_days_taken_there() -> None:
    from cppanalytics.indicators.stability import _days, _days_at

    dates = pd.Series(
        pd.to_datetime(
            [
                "1970-01-01 00:00",
                "1969-12-31 23:59",  # before 1970: still that day, rounded up to the next
                "1969-12-31 00:00",
                None,
                "2024-02-29 00:00:00.000000001",
                "1900-03-01",
                "2262-04-11",
            ],
            format="mixed",
        )
    )
    every = np.arange(len(dates))
    for pos in (every, every[::-1], every[[3, 3, 0]], every[:0]):
        assert _days_at(dates, pos).tolist() == _days(dates)[pos].tolist()
    assert _days_at(dates, every[:3]).tolist() == [0, 0, -1]


@pytest.mark.parametrize(
    ("children", "wanted"),
    [
        ([5, 2, 9], [9, 3, 5, 2, 2, 0, 10]),  # not in order; some not there
        ([1, 1, 4], [1, 4, 0]),  # a child twice: the last wins
        ([7, 3, 7, 1], [7, 3, 1, 8]),
        ([], [0, 1]),
        ([3], []),
    ],
)
def test_of_children_is_writing_into_a_child_array(children: list, wanted: list) -> None:
    from cppanalytics.indicators.stability import _of_children

    child = np.array(children, dtype=np.int64)
    want = np.array(wanted, dtype=np.int64)
    values = (np.arange(len(child)) * 10 + 3, np.arange(len(child))[::-1] - 1)
    size = max([*children, *wanted], default=0) + 1
    got = _of_children(child, values, want)
    for v, g in zip(values, got, strict=True):
        plain = np.full(size, -1, dtype=np.int64)
        plain[child] = v  # the plain definition: a per-child array
        assert g.tolist() == plain[want].tolist()


@pytest.mark.parametrize("rule2", [True, False])
def test_ids_are_the_episodes_period_and_spell(rule2: bool) -> None:
    from cppanalytics.indicators.stability import _arrays

    settings = Settings(temporary_placements_continue=rule2)
    temporary_first = dataset(  # a temporary episode before any placement: no carer spell
        [ep("T", "01/01/2024", "01/02/2024", "X1", place="T1"), ep("T", "01/02/2024", rne="P")]
    )
    for data in (_journeys(), temporary_first):
        ctx = Context(data, FAST_ENDS[0], settings)
        eps = ctx.episodes
        every = np.arange(len(eps))
        for pos in (every[:0], every[::-1], every):
            period, spell = _arrays(ctx).ids(pos)
            assert period.tolist() == eps["period_id"].to_numpy()[pos].tolist()
            plain = eps["carer_spell_id"].fillna(-1).to_numpy(dtype=np.int64)[pos]
            assert spell.tolist() == plain.tolist()
    assert spell.tolist() == ([-1, 0] if rule2 else [0, 1])  # a temporary placement counts


def test_placement_children_from_first_episodes_when_a_period_is_unknown() -> None:
    from cppanalytics.indicators.stability import placement_children

    ctx = Context(_journeys(), FAST_ENDS[0])
    plain = ctx.child_codes(ctx.placements["CHILD"])
    assert placement_children(ctx).tolist() == plain.tolist()
    odd = Context(_journeys(), FAST_ENDS[0])
    odd.care.placements = odd.placements.assign(period_id=odd.placements["period_id"] + 10**6)
    assert placement_children(odd).tolist() == plain.tolist()


def test_long_term_rows_without_a_header_row_or_dob_and_on_29_february() -> None:
    from cppanalytics.indicators.stability import _arrays, long_term_stable

    data = dataset(
        [
            ep("A", "01/01/2019"),  # no header row
            ep("B", "01/01/2019"),  # header row without a DOB
            ep("C", "01/01/2019"),  # born 29/02/2008: 16 on 01/03/2024
            ep("D", "01/01/2019", "01/06/2020", "X1"),
            ep("D", "01/06/2020", rne="P", place="A4"),  # adoption placement
            ep("E", "01/01/2019", place="A5"),
        ],
        [
            hdr("B", dob=""),
            hdr("C", dob="29/02/2008"),
            hdr("D", "01/01/2015"),
            hdr("E", "01/01/2016"),
        ],
    )
    for d in ("2024-02-28", "2024-02-29", "2024-03-01", "2024-03-31"):
        ctx = Context(data, d)
        cla, pos = ctx.cla_at(), ctx.cla_at_positions()
        for at, by in [(ctx.period_end, None), (pd.Timestamp("2025-03-31"), ctx.period_end)]:
            fast = _arrays(ctx).long_term(pos, at, by)
            slow = long_term_stable(cla, at, by)
            assert [f.tolist() for f in fast] == [s.tolist() for s in slow], (d, at)
    assert fast[0].tolist() == [False, False, False, True, True]  # C is 16 by 31/03/2025


def _overlap_counts(ctx: Context, start: pd.Timestamp, end: pd.Timestamp) -> np.ndarray:
    """Each child's placements overlapping ``start``..``end`` (by code), from the definition."""
    from cppanalytics.indicators.stability import _arrays

    a = _arrays(ctx)
    s, e = np.datetime64(start, "ns"), np.datetime64(end, "ns")
    over = (a.placement_start <= e) & (a.placement_open | (a.placement_end >= s))
    return np.bincount(a.placement_child[over], minlength=a.n_children)


def test_counts_of_some_children_are_the_counts_of_every_child() -> None:
    from cppanalytics.indicators.stability import _arrays, _counts_of, _three_plus

    ctx = Context(_journeys(), FAST_ENDS[0])
    a = _arrays(ctx)
    assert a.in_child_order
    every = np.arange(a.n_children)
    picks = (every, every[::-1], every[:0], np.repeat(every[:3], 2), every[1::3])
    days = pd.date_range("2019-01-01", "2025-06-30", freq="47D")
    wins = [(days[i], days[j]) for i in range(0, len(days), 5) for j in range(0, len(days), 7)]
    wins += [(p, p) for p in ctx.placements["start"]] + [(p, p) for p in ctx.placements["end"]]
    for start, end in wins:  # (start after end too: no placement overlaps)
        if pd.isna(start) or pd.isna(end):
            continue
        plain = _overlap_counts(ctx, start, end)
        for children in picks:
            assert _counts_of(a, children, start, end).tolist() == plain[children].tolist()
    # a child with no placement (a temporary episode only) counts none
    short = Context(dataset([ep("A", "01/01/2024", place="T1"), ep("B", "01/02/2024")]), D)
    b = _arrays(short)
    win = (pd.Timestamp("2023-04-01"), pd.Timestamp("2024-03-31"))
    plain = _overlap_counts(short, *win).tolist()
    assert _counts_of(b, np.array([0, 1, 0]), *win).tolist() == [*plain, plain[0]] == [0, 1, 0]
    # placements out of child order: counted per child over every placement
    pos = ctx.cla_at_positions()
    win = ctx.window("stability_3plus_placements")
    fast = _three_plus(ctx, pos, win)
    a.in_child_order = False
    assert (
        _three_plus(ctx, pos, win)
        == fast
        == int((_overlap_counts(ctx, *win)[a.child[pos]] >= 3).sum())
    )
