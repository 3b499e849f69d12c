"""Reviews on arrays built once per run against the plain definitions.

The schedule (each review in its period of care, numbered, with its due date) and the
figures at every period end are worked out here the plain way, row by row with pandas, and
compared with what :mod:`cppanalytics.indicators.reviews` gives at many period ends at once,
on journeys with the awkward cases: short breaks, same-day chains, temporary placements,
re-entry (also on the day care ended), 18th birthdays on a period end and on 29 February,
children with no reviews or no header row, repeated and incomplete review rows, reviews
outside care on the same and on different days, PrevPerm rows missing, blank or unknown.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cppanalytics.dates import window
from cppanalytics.findings import Findings
from cppanalytics.indicators import compute
from cppanalytics.indicators.catalogue import BREAKDOWN_GROUPS
from cppanalytics.indicators.context import Context
from cppanalytics.indicators.reviews import (
    AGED_4_PLUS,
    PREV_PERM_GROUPS,
    TOOK_PART,
    review_schedule,
)
from cppanalytics.ssda903.dataset import Dataset
from cppanalytics.working_days import add_working_days
from tests.case_tables.builders import dataset, ep, hdr, prevperm, rev

IDS = [
    "reviews_on_time",
    "reviews_held_on_time",
    "review_participation_pct",
    "review_participation",
    "started_by_prev_perm",
]
ENDS = [
    "2023-03-31",
    "2023-06-30",
    "2023-09-30",
    "2023-12-31",
    "2024-02-29",  # a leap day
    "2024-03-31",
    "2024-04-30",  # an 18th birthday on the period end
    "2024-06-30",
    "2024-09-30",
    "2026-02-28",  # the day before an 18th birthday (born 29/02/2008: 18 on 1 March)
    "2026-03-01",  # that 18th birthday
]


def _journeys() -> Dataset:
    episodes = [
        # A: a same-day chain of placements with a temporary stay; reviews on time, then late
        ep("A", "03/04/2023", dec="01/06/2023", rec="X1"),
        ep("A", "01/06/2023", "P", place="T1", dec="10/06/2023", rec="X1"),
        ep("A", "10/06/2023", "P", dec="01/11/2023", rec="X1"),
        ep("A", "01/11/2023", "P", place="K2"),
        # B: re-entry on the day care ended; a review that day belongs to the new period
        ep("B", "01/02/2023", dec="01/09/2023", rec="E4A"),
        ep("B", "01/09/2023"),
        # C: short breaks only (their reviews are set aside quietly), and a review outside
        #    any care
        ep("C", "01/05/2023", ls="V3", dec="03/05/2023", rec="E13"),
        # E: born 29/02/2008 (18th birthday on 01/03/2026: a 29 February birthday falls
        #    on 1 March in other years)
        ep("E", "01/03/2022"),
        # F: no reviews at all (overdue), no header row
        ep("F", "02/01/2024"),
        # G: 18 on 30/04/2024, episode left open
        ep("G", "01/01/2023"),
        # H: leaves care and comes back months later (clock restarts)
        ep("H", "01/01/2023", dec="01/05/2023", rec="E11"),
        ep("H", "01/10/2023"),
        # J: one episode starting on a period end
        ep("J", "31/03/2024"),
    ]
    headers = [
        hdr("A", dob="01/01/2010"),
        hdr("B", dob="15/06/2019"),
        hdr("C", dob="01/01/2012"),
        hdr("E", dob="29/02/2008"),
        hdr("G", dob="30/04/2006"),
        hdr("H", dob="01/01/2012"),
        hdr("J", dob="01/01/2021"),
    ]
    reviews = [
        rev("A", "15/03/2024", "PN3"),  # late; rows not in date order
        rev("A", "01/08/2023", "PN2"),
        rev("A", "02/05/2023", "PN1"),
        rev("A", "15/03/2024", "PN4"),  # repeated (CHILD, REVIEW): the last row counts
        rev("B", "01/03/2023", "PN0"),
        rev("B", "01/09/2023", "PN0"),  # the re-entry day: the new period
        rev("B", "01/12/2023", ""),
        rev("C", "02/05/2023", "PN1"),  # short break: no finding
        rev("C", "10/10/2023", "PN1"),  # outside care
        rev("E", "29/03/2022", "PN5"),
        rev("E", "29/06/2022", "PN6"),
        rev("E", "20/12/2022", "PN7"),
        rev("E", "20/06/2023", "PN8"),  # an unknown code
        rev("E", "10/10/2021", "PN1"),  # before care: outside
        rev("E", "28/08/2025", "PN1"),  # late (due 20/12/2023)
        rev("E", "20/02/2026", "PN1"),  # due 28/02/2026, the day before 18: on time
        rev("G", "30/01/2023", "PN5"),
        rev("G", "30/04/2023", "PN5"),
        rev("G", "30/10/2023", "PN5"),
        rev("H", "10/03/2023", "PN1"),
        rev("H", "01/05/2023", "PN1"),  # the day care ended: in that period
        rev("H", "01/07/2023", "PN1"),  # between H's periods: outside
        rev("H", "10/07/2023", "PN1"),  # between H's periods: outside, another day
        rev("H", "06/11/2023", "PN2"),
        rev("Z", "01/07/2023", "PN1"),  # never looked after: outside, the day of H's
        {**rev("A", "01/01/2024"), "CHILD": ""},  # no child: not counted
        {**rev("A", ""), "REVIEW": ""},  # no date: not counted
    ]
    perms = [
        prevperm("A", "P1"),
        prevperm("B", "P2"),
        prevperm("F", ""),  # blank code: not recorded (a finding)
        prevperm("H", "Q9"),  # unknown code: not recorded (no finding)
        prevperm("J", "Z1"),
    ]
    return dataset(episodes, headers, reviews=reviews, prev_perm=perms)


# ---------------------------------------------------------------- the plain definitions
def _plain_schedule(ctx: Context) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Reviews in their periods with due dates, row by row with pandas."""
    periods = ctx.care.periods[["period_id", "CHILD", "start", "end"]].copy()
    dob = periods["CHILD"].map(ctx.header.set_index("CHILD")["DOB"])
    born = pd.to_datetime(dob)
    plus = born + pd.DateOffset(years=18)  # 29 Feb gives 28 Feb of a common year...
    leap_born = (born.dt.month == 2) & (born.dt.day == 29) & (plus.dt.day == 28)
    periods["eighteen"] = plus.where(~leap_born, plus + pd.Timedelta(days=1))  # ...1 March
    raw = ctx.data.tables["reviews"]
    cols = ["CHILD", "REVIEW", "REVIEW_CODE", "source_file", "source_row"]
    revs = raw.loc[raw["CHILD"].notna() & raw["REVIEW"].notna(), cols]
    revs = revs.drop_duplicates(["CHILD", "REVIEW"], keep="last").reset_index()
    both = revs.merge(periods, on="CHILD")
    both = both[both["start"] <= both["REVIEW"]]
    latest = both.sort_values("start").drop_duplicates("index", keep="last")
    inside = latest[latest["end"].isna() | (latest["REVIEW"] <= latest["end"])]
    placed = inside.sort_values(["period_id", "REVIEW"], kind="stable").reset_index(drop=True)
    placed["number"] = placed.groupby("period_id").cumcount() + 1
    prev = placed.groupby("period_id")["REVIEW"].shift(1)
    first = add_working_days(placed["start"], 20)
    placed["due"] = np.where(
        placed["number"] == 1,
        first,
        np.where(
            placed["number"] == 2,
            prev + pd.DateOffset(months=3),
            prev + pd.DateOffset(months=6),
        ),
    ).astype("datetime64[ns]")
    placed["on_time"] = placed["REVIEW"] <= placed["due"]
    placed["CHILD"] = placed["CHILD"].astype(object)
    keep = [*cols, "period_id", "number", "due", "on_time"]
    return placed[keep], periods


def _plain_figures(ctx: Context) -> dict[tuple[str, str], tuple[float, float]]:
    """{(indicator, group): (numerator, denominator)} at ctx.period_end, the plain way."""
    reviews, periods = _plain_schedule(ctx)
    d = ctx.period_end
    out: dict[tuple[str, str], tuple[float, float]] = {}
    # reviews_on_time: events of the children looked after at D
    s = window("r12", d)[0]
    eighteen = reviews["period_id"].map(periods.set_index("period_id")["eighteen"])
    held = reviews[
        (reviews["REVIEW"] <= d)
        & (reviews["due"] >= s)
        & (reviews["due"] <= d)
        & ~(reviews["due"] >= eighteen)
    ]
    events = [held[["CHILD", "on_time"]].rename(columns={"on_time": "met"})]
    for _, p in periods.iterrows():
        if p["start"] > d:
            continue
        done = reviews[(reviews["period_id"] == p["period_id"]) & (reviews["REVIEW"] <= d)]
        if len(done) == 0:
            nxt = add_working_days(pd.Series([p["start"]]), 20).iloc[0]
        else:
            months = 3 if len(done) == 1 else 6
            nxt = done["REVIEW"].iloc[-1] + pd.DateOffset(months=months)
        stop = d if pd.isna(p["end"]) else min(p["end"], d)
        if s <= nxt < stop and not nxt >= p["eighteen"]:
            events.append(pd.DataFrame({"CHILD": [p["CHILD"]], "met": [False]}))
    ev = pd.concat(events, ignore_index=True)
    ev = ev[ev["CHILD"].isin(set(ctx.cla_at()["CHILD"]))]
    per_child = ev.groupby("CHILD")["met"].all()
    out[("reviews_on_time", "")] = (float(per_child.sum()), float(len(per_child)))
    in_window = reviews[(reviews["REVIEW"] >= s) & (reviews["REVIEW"] <= d)]
    out[("reviews_held_on_time", "")] = (float(in_window["on_time"].sum()), len(in_window))
    codes = in_window["REVIEW_CODE"]
    out[("review_participation_pct", "")] = (
        float(codes.isin(TOOK_PART).sum()),
        float(codes.isin(AGED_4_PLUS).sum()),
    )
    groups = BREAKDOWN_GROUPS["participation"]
    label = codes.where(codes.isin(groups[:-1]), "not_recorded").fillna("not_recorded")
    for g in groups:
        out[("review_participation", g)] = (float((label == g).sum()), float(len(in_window)))
    # started_by_prev_perm (fytd): each child's first start in the window
    fs, fe = window("fytd", d)
    p = ctx.periods()
    starters = p[(p["start"] >= fs) & (p["start"] <= fe)].drop_duplicates("CHILD")
    prev = ctx.latest("prev_perm").set_index("CHILD")["PREV_PERM"]
    perm = starters["CHILD"].map(prev).map(PREV_PERM_GROUPS).fillna("not_recorded")
    for g in BREAKDOWN_GROUPS["prev_perm"]:
        out[("started_by_prev_perm", g)] = (float((perm == g).sum()), float(len(starters)))
    return out


def _figures(results: pd.DataFrame, d: str) -> dict[tuple[str, str], tuple[float, float]]:
    rows = results[results["period_end"] == pd.Timestamp(d)]
    return {
        (r["indicator_id"], r["group"] if r["breakdown"] else ""): (
            r["numerator"],
            r["denominator"],
        )
        for _, r in rows.iterrows()
    }


# ---------------------------------------------------------------- the tests
def test_schedule_is_the_plain_schedule() -> None:
    ctx = Context(_journeys(), ENDS[0])
    reviews, periods = review_schedule(ctx)
    plain, plain_periods = _plain_schedule(ctx)
    pd.testing.assert_frame_equal(reviews, plain)
    pd.testing.assert_frame_equal(periods, plain_periods)
    # E's 18th birthday: born 29/02/2008, 18 on 01/03/2026 (as every age counts it)
    e = periods.loc[periods["CHILD"] == "E", "eighteen"]
    assert e.tolist() == [pd.Timestamp("2026-03-01")]
    assert reviews.loc[reviews["CHILD"] == "A", "REVIEW_CODE"].tolist() == ["PN1", "PN2", "PN4"]


def test_figures_at_many_ends_are_the_plain_figures() -> None:
    ds = _journeys()
    results = compute(ds, ENDS, ids=IDS)
    base = Context(ds, ENDS[0])
    for d in ENDS:
        got, want = _figures(results, d), _plain_figures(base.at(d))
        assert got.keys() == want.keys(), d
        for k, (num, den) in want.items():
            assert got[k] == (pytest.approx(num), pytest.approx(den)), (d, k)
    assert results.loc[results["indicator_id"] == "reviews_on_time", "denominator"].sum() > 0


def test_many_ends_give_what_each_end_gives_alone_with_the_same_findings() -> None:
    ds = _journeys()
    together_found, alone_found = Findings(), Findings()
    together = compute(ds, ENDS, ids=IDS, findings=together_found)
    alone = []
    for d in ENDS:
        alone.append(compute(ds, d, ids=IDS, findings=alone_found))
    pd.testing.assert_frame_equal(together, pd.concat(alone, ignore_index=True))
    f = together_found.to_frame()
    g = alone_found.to_frame().drop_duplicates().reset_index(drop=True)
    pd.testing.assert_frame_equal(f.reset_index(drop=True), g)
    # outside care, by date (H's and Z's on the same day in the order of their rows)
    outside = f[f["code"] == "review_outside_care"]
    assert outside["child"].tolist() == ["E", "H", "Z", "H", "C"]
    dates = ["10/10/2021", "01/07/2023", "01/07/2023", "10/07/2023", "10/10/2023"]
    assert outside["value"].tolist() == dates
    missing = f[f["code"] == "prev_perm_missing"]
    assert sorted(set(missing["child"])) == ["F", "G"]  # blank code; no row


@pytest.mark.parametrize(
    "reviews",
    [
        [],  # no reviews at all
        [rev("A", "02/05/2023", "PN1")],  # one row
        [rev("Z", "02/05/2023", "PN1")],  # one row, outside care
    ],
)
def test_no_or_one_review(reviews) -> None:
    ds = dataset([ep("A", "03/04/2023")], reviews=reviews)
    ctx = Context(ds, ENDS[0])
    got, plain = review_schedule(ctx)[0], _plain_schedule(ctx)[0]
    assert got[["CHILD", "REVIEW", "due", "on_time"]].values.tolist() == (
        plain[["CHILD", "REVIEW", "due", "on_time"]].values.tolist()
    )
    results = compute(ds, ENDS, ids=IDS)
    base = Context(ds, ENDS[0])
    for d in ENDS:
        assert _figures(results, d) == _plain_figures(base.at(d)), d


def test_no_episodes_left() -> None:
    # only short breaks: no period of care; the review is set aside quietly
    ds = dataset([ep("C", "01/05/2023", ls="V3")], reviews=[rev("C", "02/05/2023")])
    found = Findings()
    results = compute(ds, ENDS, ids=IDS, findings=found)
    assert results["denominator"].fillna(0).sum() == 0
    assert "review_outside_care" not in set(found.to_frame().get("code", []))
    reviews, _ = review_schedule(Context(ds, ENDS[0]))
    assert len(reviews) == 0 and str(reviews["period_id"].dtype) == "Int64"


@pytest.mark.parametrize(
    "first, second",
    [
        (["2024-01-03", "2024-01-01"], ["2024-01-01"]),
        (["1969-12-31", "1970-01-01", "1901-03-01"], ["2024-02-29", "1969-12-31"]),
        (["2024-01-01 12:00", "2024-01-01"], ["2024-01-02"]),  # a time of day: ranks
        ([], ["2024-01-01"]),
        ([], []),
    ],
)
def test_day_numbers_on_integers_are_the_calendar_days(first, second) -> None:
    from cppanalytics.indicators.reviews import _day_numbers_from

    def dates(values: list[str]) -> np.ndarray:
        return pd.to_datetime(pd.Series(values, dtype=object), format="ISO8601").to_numpy(
            dtype="datetime64[ns]"
        )

    a, b = dates(first), dates(second)
    both = np.concatenate([a, b])
    days = both.astype("datetime64[D]")
    if not len(both):
        plain = np.zeros(0, dtype=np.int64)
    elif (days == both).all():  # the plain definition: calendar days from the earliest
        plain = days.astype(np.int64) - days.min().astype(np.int64)
    else:
        plain = np.unique(both, return_inverse=True)[1].reshape(-1)
    got_a, got_b, _ = _day_numbers_from(a, b)
    assert got_a.tolist() == plain[: len(a)].tolist()
    assert got_b.tolist() == plain[len(a) :].tolist()


@pytest.mark.parametrize(
    "dates",
    [
        ["2023-11-30", "2023-08-31", "2024-02-29", "2023-12-31", "2024-01-31"],  # month ends
        ["2024-03-29", "2024-12-24", "2025-04-18", "2020-05-08"],  # bank holidays near
        ["1969-12-31", "1970-01-01"],  # either side of day 0 of the clock
        ["2024-01-01"],  # one date
        [],  # none
    ],
)
def test_shifts_by_day_are_the_shifts_of_each_date(dates) -> None:
    from cppanalytics.indicators.reviews import (
        _by_day,
        _day_numbers_from,
        _per_distinct,
        _plus_months,
    )

    when = pd.to_datetime(pd.Series(dates, dtype=object)).to_numpy(dtype="datetime64[ns]")
    starts = when[::-1].copy()
    p_day, day, day0 = _day_numbers_from(starts, when)
    for shift in (
        lambda s: _plus_months(s, 3),
        lambda s: _plus_months(s, 6),
        lambda s: add_working_days(s, 20),
    ):
        # the plain definition: the shift of each date on its own
        plain = [shift(pd.Series(x, dtype="datetime64[ns]")).to_numpy() for x in (when, starts)]
        if not len(dates):
            assert day0 is None and len(day) == len(p_day) == 0
            continue
        assert _by_day(day, day0, shift).tolist() == plain[0].tolist()
        assert _by_day(p_day, day0, shift).tolist() == plain[1].tolist()
        assert _per_distinct(when, shift)[0].tolist() == plain[0].tolist()


def test_day_numbers_with_a_time_of_day_have_no_day_zero() -> None:
    from cppanalytics.indicators.reviews import _day_numbers_from

    a = np.array(["2024-01-01T12:00", "2024-01-01"], dtype="datetime64[ns]")
    assert _day_numbers_from(a, a[:1])[2] is None


@pytest.mark.parametrize(
    "start, end",
    [
        ("2022-04-01", "2023-03-31"),
        ("2023-05-02", "2023-05-02"),  # one day, a review on it
        ("2023-09-01", "2024-08-31"),  # the re-entry day at the start
        ("1990-01-01", "2000-01-01"),  # before every review
        ("2030-01-01", "2031-12-31"),  # after every review
        ("2000-01-01", "2030-01-01"),  # every review
    ],
)
def test_held_counts_by_day_are_the_counts_of_the_held_mask(start, end) -> None:
    from cppanalytics.indicators.reviews import _arrays, _day_totals, _held_mask

    ctx = Context(_journeys(), ENDS[0])
    s, e = pd.Timestamp(start), pd.Timestamp(end)
    got = _day_totals(ctx).between(s, e)
    # the plain definition: the reviews held in the window, counted row by row
    a, held = _arrays(ctx), _held_mask(ctx, s, e)
    groups = len(BREAKDOWN_GROUPS["participation"])
    assert got[:4] == (
        int(held.sum()),
        int(a.on_time[held].sum()),
        int(a.took_part[held].sum()),
        int(a.aged_4_plus[held].sum()),
    )
    assert (
        got.participation.tolist() == np.bincount(a.participation[held], minlength=groups).tolist()
    )


def test_held_counts_without_whole_days_count_the_mask() -> None:
    from cppanalytics.indicators.reviews import _arrays, _held_counts

    ds = _journeys()
    reviews = ds.tables["reviews"].copy()
    reviews["REVIEW"] = reviews["REVIEW"] + pd.Timedelta(hours=9)  # a time of day
    ds.tables["reviews"] = reviews
    ctx = Context(ds, ENDS[0])
    assert _arrays(ctx).day0 is None
    got = _held_counts(ctx, pd.Timestamp("2023-01-01"), pd.Timestamp("2024-12-31"))
    review = pd.Series(_arrays(ctx).review)  # the plain definition: dates in the window
    inside = (review >= "2023-01-01") & (review <= "2024-12-31")
    assert got.held == int(inside.sum()) > 0
    assert got.on_time == int(_arrays(ctx).on_time[inside.to_numpy()].sum())


def _deadlines() -> Dataset:
    """Reviews held on their due dates and a day after them."""
    episodes = [
        ep("K", "01/09/2023"),  # first review due 29/09/2023 (the 20th working day)
        ep("L", "01/09/2023"),
        # M leaves care and comes back the same day: the clock restarts (due 11/12/2023)
        ep("M", "01/06/2023", dec="13/11/2023", rec="E4A"),
        ep("M", "13/11/2023"),
        ep("N", "02/01/2023"),  # 18 on a period end (31/12/2023)
    ]
    headers = [
        hdr("K", dob="01/01/2012"),
        hdr("L", dob="01/01/2012"),
        hdr("M", dob="01/01/2012"),
        hdr("N", dob="31/12/2005"),
    ]
    reviews = [
        rev("K", "29/09/2023"),  # on the 20th working day: on time
        rev("K", "29/12/2023"),  # 3 months on, to the day: on time
        rev("K", "29/06/2024"),  # 6 months on, to the day: on time
        rev("K", "29/12/2024"),
        rev("L", "30/09/2023"),  # a day late
        rev("L", "31/12/2023"),  # due 30/12/2023 (3 months after it was held): late
        rev("L", "30/06/2024"),  # 31/12 + 6 months is 30/06: on time, on a period end
        rev("M", "30/08/2023"),  # due 29/06/2023 in M's first period: late
        rev("M", "11/12/2023"),  # the re-entry's 20th working day: on time
        rev("N", "30/01/2023"),
        rev("N", "30/04/2023"),
        rev("N", "30/10/2023"),  # the next due 30/04/2024, after the 18th birthday
    ]
    return dataset(episodes, headers, reviews=reviews)


def test_reviews_on_their_deadline_are_on_time_and_the_day_after_late() -> None:
    ds = _deadlines()
    ctx = Context(ds, ENDS[0])
    reviews, periods = review_schedule(ctx)
    plain, plain_periods = _plain_schedule(ctx)
    pd.testing.assert_frame_equal(reviews, plain)
    pd.testing.assert_frame_equal(periods, plain_periods)
    on_time = reviews.groupby("CHILD", sort=True)["on_time"].apply(list).to_dict()
    assert on_time == {
        "K": [True, True, True, True],
        "L": [False, False, True],
        "M": [False, True],
        "N": [True, True, True],
    }
    results = compute(ds, ENDS, ids=IDS)
    for d in ENDS:
        got, want = _figures(results, d), _plain_figures(ctx.at(d))
        assert got.keys() == want.keys(), d
        for k, (num, den) in want.items():
            assert got[k] == (pytest.approx(num), pytest.approx(den)), (d, k)


def test_schedule_with_a_time_of_day_is_the_plain_schedule() -> None:
    # dates that are not whole days: the shifts are worked out per distinct date
    from cppanalytics.indicators.reviews import _arrays

    for ds in (_journeys(), _deadlines()):
        reviews = ds.tables["reviews"].copy()
        reviews["REVIEW"] = reviews["REVIEW"] + pd.Timedelta(hours=9)
        ds.tables["reviews"] = reviews
        ctx = Context(ds, ENDS[0])
        assert _arrays(ctx).day0 is None
        pd.testing.assert_frame_equal(review_schedule(ctx)[0], _plain_schedule(ctx)[0])


@pytest.mark.parametrize(
    "dates",
    [
        ["2023-11-30", "2023-08-31", "2024-02-29", "2023-12-31", "2024-01-31", "2023-08-31"],
        ["1969-12-31", "1970-01-01"],  # either side of day 0 of the clock
        ["2024-01-01"],  # one date
        [],  # none
    ],
)
def test_next_due_by_day_is_three_months_after_a_first_review_else_six(dates) -> None:
    from cppanalytics.indicators.reviews import _day_numbers_from, _next_by_day, _shifted_dates

    when = pd.to_datetime(pd.Series(dates, dtype=object)).to_numpy(dtype="datetime64[ns]")
    _, day, day0 = _day_numbers_from(when, when)
    for first in (
        np.arange(len(when)) % 2 == 0,
        np.ones(len(when), bool),
        np.zeros(len(when), bool),
    ):
        # the plain definition: each date on its own, 3 or 6 calendar months on
        plain = [
            pd.Timestamp(x) + pd.DateOffset(months=3 if f else 6)
            for x, f in zip(when, first, strict=True)
        ]
        plain_ns = np.array(plain, dtype="datetime64[ns]").tolist()
        if day0 is not None:
            assert _next_by_day(day, day0, first).tolist() == plain_ns
        _, by_day = _shifted_dates(when, day, when, day, day0, first)
        _, by_date = _shifted_dates(when, day, when, day, None, first)
        assert by_day.tolist() == by_date.tolist() == plain_ns


def test_took_part_and_aged_4_plus_read_from_the_group_are_the_codes() -> None:
    from cppanalytics.indicators.reviews import _arrays

    # known codes, an unknown one (PN8), a blank one and PN0 / PN7 at either edge
    ctx = Context(_journeys(), ENDS[0])
    a = _arrays(ctx)
    code = a.table["REVIEW_CODE"].to_numpy(dtype=object)[a.rows]
    plain = pd.Series(code, dtype=object)
    assert {"PN0", "PN7", "PN8", "", None} & set(plain.tolist())
    assert a.took_part.tolist() == plain.isin(TOOK_PART).tolist()
    assert a.aged_4_plus.tolist() == plain.isin(AGED_4_PLUS).tolist()


def test_participation_codes_must_each_be_a_group() -> None:
    from cppanalytics.indicators.reviews import _group_flags

    assert _group_flags(AGED_4_PLUS).tolist() == [False] + [True] * 7 + [False]
    with pytest.raises(ValueError):
        _group_flags(("PN1", "not_a_group"))


def test_prev_perm_codes_are_the_latest_rows_by_child() -> None:
    from cppanalytics.indicators.reviews import _prev_perm_codes

    episodes = [ep(c, "01/04/2023") for c in "ABFHJ"]
    perms = [
        {**prevperm("A", "P1"), "YEAR": 2024},
        {**prevperm("A", "P3"), "YEAR": 2020},  # an earlier year, a later row: not counted
        {**prevperm("B", "P3"), "YEAR": 2024},
        {**prevperm("B", "P2"), "YEAR": 2024},  # the same year, the last row: counted
        {**prevperm("F", ""), "YEAR": 2024},  # blank: not recorded
        {**prevperm("H", "Q9"), "YEAR": 2024},  # unknown code: recorded, not a group
        {**prevperm("Q", "P1"), "YEAR": 2024},  # no episode
        {**prevperm("J", "P2"), "YEAR": 2024, "CHILD": ""},  # no child
        {**prevperm("J", "Z1"), "YEAR": ""},  # no year: read first
        {**prevperm("J", "P4"), "YEAR": 2019},
    ]
    ds = dataset(episodes, [hdr(c) for c in "ABFHJ"], prev_perm=perms)
    ctx = Context(ds, ENDS[0])
    position, recorded = _prev_perm_codes(ctx)
    group = np.array(BREAKDOWN_GROUPS["prev_perm"], dtype=object)[position]
    children = ctx.episode_child_codes()[1]
    # the plain definition: the latest row of each child with episodes
    latest = ctx.latest("prev_perm").set_index("CHILD")["PREV_PERM"]
    want = {c: latest.get(c) for c in children}
    assert pd.isna(want["F"])
    assert {c: v for c, v in want.items() if c != "F"} == {
        "A": "P1",
        "B": "P2",
        "H": "Q9",
        "J": "P4",
    }
    for i, c in enumerate(children):
        code = want[c]
        plain = "not_recorded" if pd.isna(code) else PREV_PERM_GROUPS.get(code, "not_recorded")
        assert (group[i], bool(recorded[i])) == (plain, not pd.isna(code)), c
    assert group[-1] == "not_recorded" and not recorded[-1]


def test_children_all_met_is_the_count_of_events_met() -> None:
    from cppanalytics.indicators.reviews import _children_all_met

    rng = np.random.default_rng(7)
    cases = [
        # child 0: every event met; 1: one held review late; 2: only a missed review;
        # 3: met reviews and a missed one; 4: not counted; 5: no event
        (np.array([0, 0, 1, 1, 3, 4]), np.array([1, 1, 1, 0, 1, 1], bool), np.array([2, 3])),
        (np.zeros(0, np.int64), np.zeros(0, bool), np.zeros(0, np.int64)),
    ]
    for _ in range(20):
        n = int(rng.integers(0, 40))
        cases.append(
            (rng.integers(0, 6, n), rng.random(n) < 0.7, rng.integers(0, 6, rng.integers(0, 4)))
        )
    counted = np.array([True, True, True, True, False, True])
    for held_child, held_met, missed_child in cases:
        # the plain definition: events and events met counted per child looked after
        child = np.concatenate([held_child, missed_child]).astype(np.int64)
        met = np.concatenate([held_met, np.zeros(len(missed_child), bool)])
        keep = counted[child]
        events = np.bincount(child[keep], minlength=6)
        met_events = np.bincount(child[keep], weights=met[keep], minlength=6)
        has = events > 0
        plain = (int((met_events[has] == events[has]).sum()), int(has.sum()))
        assert _children_all_met(counted, held_child, held_met, missed_child) == plain
    assert _children_all_met(counted, *cases[0]) == (1, 4)


def test_day_numbers_are_days_from_the_earliest_and_leave_the_dates_alone() -> None:
    from cppanalytics.indicators.reviews import _day_numbers_from

    a = pd.to_datetime(["2024-03-01", "1969-12-31", "2024-02-29"]).to_numpy("datetime64[ns]")
    b = pd.to_datetime(["1970-01-01", "1969-12-30"]).to_numpy("datetime64[ns]")
    kept = a.copy(), b.copy()
    for first, second in ((a, b), (a, a), (b, a[:0])):
        got_first, got_second, day0 = _day_numbers_from(first, second)
        # the plain definition: whole days after the earliest date of both
        low = min(first.min(), second.min()) if len(second) else first.min()
        assert day0 == low
        plain = [(x - low) // np.timedelta64(1, "D") for x in (first, second)]
        assert got_first.tolist() == plain[0].tolist()
        assert got_second.tolist() == plain[1].tolist()
    assert a.tolist() == kept[0].tolist() and b.tolist() == kept[1].tolist()


@pytest.mark.parametrize("timed", [False, True])
def test_schedule_look_ups_are_the_plain_comparisons(timed) -> None:
    from cppanalytics.indicators.reviews import _arrays

    ds = _journeys()
    if timed:  # a time of day: the review dates are kept, not worked out from days
        reviews = ds.tables["reviews"].copy()
        reviews["REVIEW"] = reviews["REVIEW"] + pd.Timedelta(hours=9)
        ds.tables["reviews"] = reviews
    ctx = Context(ds, ENDS[0])
    a = _arrays(ctx)
    assert (a.day0 is None) == timed
    sched = review_schedule(ctx)[0]
    review = sched["REVIEW"].to_numpy(dtype="datetime64[ns]")
    assert a.review.tolist() == review.tolist()
    starts = [a.review.min() - np.timedelta64(1, "D"), *review, np.datetime64("2030-01-01")]
    for d in [pd.Timestamp(x) + pd.Timedelta(h, "h") for x in starts for h in (0, 9, 12)]:
        at = d.value
        # the plain definitions: date comparisons row by row
        assert a.reviewed_by(at).tolist() == [r <= d for r in sched["REVIEW"]]
        assert a.reviewed_from(at).tolist() == [r >= d for r in sched["REVIEW"]]
        held = a.reviewed_by(at)
        count = a.held_per_period(held)
        plain_count = np.bincount(a.period_pos[held], minlength=len(a.start))
        assert count.tolist() == plain_count.tolist()
        nxt = a.next_due_after(count)
        for p, c in enumerate(count):
            mine = sched[sched["period_id"] == a.periods["period_id"].iloc[p]]
            if c == 0:
                plain = add_working_days(pd.Series([a.periods["start"].iloc[p]]), 20).iloc[0]
            else:
                months = 3 if c == 1 else 6
                plain = mine["REVIEW"].iloc[c - 1] + pd.DateOffset(months=months)
            assert nxt[p] == pd.Timestamp(plain).value
    due = sched["due"].to_numpy(dtype="datetime64[ns]")
    assert a.reviewed_by(due.view(np.int64)).tolist() == sched["on_time"].tolist()
