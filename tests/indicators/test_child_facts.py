"""The child facts the context looks up once per child (header row, DOB, SEX, ETHNIC, ages,
18th birthdays) against the plain definitions: each episode's header row found by its CHILD
text, :func:`~cppanalytics.dates.age_at` and :func:`~cppanalytics.dates.birthday` of that
row's DOB. Hand-built edge cases: 29 February births, birthdays on the period end, no DOB,
a child with no header row, a header row with no episodes, one child, nothing at all."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cppanalytics.dates import age_at, birthday
from cppanalytics.indicators.context import ADULT_AGE, Context
from cppanalytics.ssda903.dataset import Dataset
from tests.care.build import dataset, ep, hdr

ENDS = ["2023-02-28", "2023-03-01", "2024-02-28", "2024-02-29", "2024-03-31", "2025-03-31"]


def _mixed() -> Dataset:
    return dataset(
        [
            ep("L", "01/01/2020", "01/06/2023", "X1"),
            ep("L", "01/06/2023", "01/06/2026", "E4A", rne="P", place="T1"),  # leap-day birth
            ep("E", "01/04/2019"),  # 18 on a period end
            ep("N", "01/01/2022", "01/02/2022", "E11"),  # no DOB
            ep("N", "01/05/2022"),  # re-entry
            ep("Z", "01/01/2022", ls="V3"),  # short breaks only: no prepared episode
            ep("Ü", "15/08/2021", "20/09/2021", "X1"),  # same-day chain, non-ASCII id
            ep("Ü", "20/09/2021", place="K2"),
            ep("X", "01/02/2024"),  # no header row
        ],
        [
            hdr("L", dob="29/02/2008", sex="2", ethnic="WBRI"),
            hdr("E", dob="31/03/2007", sex="1", ethnic=""),
            hdr("N", dob="", sex="", ethnic="BAFR"),
            hdr("Z", dob="01/01/2012"),
            hdr("Ü", dob="01/03/2006", sex="9", ethnic="ÉTHN"),
            hdr("Q", dob="01/01/2010"),  # no episodes at all
        ],
    )


DATA = {
    "mixed": _mixed,
    "one child": lambda: dataset([ep("A", "01/01/2023")], [hdr("A", dob="29/02/2012")]),
    "no header": lambda: dataset([ep("A", "01/01/2023"), ep("B", "02/01/2023")], []),
    "nothing": Dataset,
}


def _plain_rows(ctx: Context) -> np.ndarray:
    """Each prepared episode's header row, looked up by the CHILD text (-1: none)."""
    head = ctx.header
    if not len(head):
        return np.full(len(ctx.episodes), -1)
    index = pd.Index(head["CHILD"].astype(object).tolist())
    return index.get_indexer(ctx.episodes["CHILD"].astype(object).tolist())


@pytest.mark.parametrize("name", DATA)
def test_episode_facts_are_the_header_row_of_each_episodes_child(name: str) -> None:
    ctx = Context(DATA[name](), "2024-03-31")
    rows = _plain_rows(ctx)
    facts = ctx._episode_facts()
    assert len(facts) == len(ctx.episodes)
    head = ctx.header
    for col in ("DOB", "SEX", "ETHNIC"):
        plain = [head[col].iloc[r] if r >= 0 else None for r in rows]
        got = facts[col].tolist()
        assert [None if pd.isna(v) else v for v in got] == [
            None if pd.isna(v) else v for v in plain
        ], col


def test_facts_by_hand() -> None:
    ctx = Context(_mixed(), "2024-03-31")
    facts = ctx._episode_facts().assign(CHILD=ctx.episodes["CHILD"])
    by_child = facts.drop_duplicates("CHILD").set_index("CHILD")
    assert by_child.loc["L", "DOB"] == pd.Timestamp("2008-02-29")
    assert by_child.loc["Ü", "ETHNIC"] == "ÉTHN"
    assert pd.isna(by_child.loc["N", "DOB"]) and by_child.loc["N", "ETHNIC"] == "BAFR"
    assert by_child.loc["X"].isna().all()  # no header row
    assert "Z" not in by_child.index and "Q" not in by_child.index


@pytest.mark.parametrize("name", DATA)
@pytest.mark.parametrize("d", ENDS)
def test_ages_are_age_at_of_the_dob(name: str, d: str) -> None:
    ctx = Context(DATA[name](), d)
    dob = ctx._episode_facts()["DOB"]
    pos = np.arange(len(ctx.episodes))
    age, unknown = ctx._ages(pos, pd.Timestamp(d))
    plain = age_at(dob, d)
    assert unknown.tolist() == plain.isna().tolist()
    assert age[~unknown].tolist() == plain[~unknown].astype(int).tolist()
    adult = ctx._adult_at(pos, pd.Timestamp(d))
    assert adult.tolist() == (plain.fillna(0) >= ADULT_AGE).tolist()


def test_ages_by_hand_on_birthdays() -> None:
    ctx = Context(_mixed(), "2025-03-31")
    child = ctx.episodes["CHILD"]
    leap = np.flatnonzero(child.eq("L").to_numpy())[:1]
    eighteen = np.flatnonzero(child.eq("E").to_numpy())[:1]
    # 29 February 2008: 16 on 29/02/2024, 15 the day before; 17 only on 1 March 2025
    ages = [int(ctx._ages(leap, pd.Timestamp(d))[0][0]) for d in ENDS]
    assert ages == [14, 15, 15, 16, 16, 17]
    # born 31/03/2007: 18 on the period end 31/03/2025, so care has ended that day
    assert ctx._adult_at(eighteen, pd.Timestamp("2025-03-31")).tolist() == [True]
    assert ctx._adult_at(eighteen, pd.Timestamp("2025-03-30")).tolist() == [False]
    no_dob = np.flatnonzero(child.isin(["N", "X"]).to_numpy())
    assert ctx._ages(no_dob, pd.Timestamp("2025-03-31"))[1].all()
    assert not ctx._adult_at(no_dob, pd.Timestamp("2060-03-31")).any()


@pytest.mark.parametrize("name", DATA)
def test_periods_eighteenth_birthday_is_birthday_of_the_header_dob(name: str) -> None:
    ctx = Context(DATA[name](), "2024-03-31")
    periods = ctx.care.periods
    head = ctx.header
    dob = (
        head.set_index("CHILD")["DOB"].reindex(periods["CHILD"].to_numpy())
        if len(head)
        else pd.Series(pd.NaT, index=periods.index, dtype="datetime64[ns]")
    )
    plain = birthday(pd.Series(dob.to_numpy(), dtype="datetime64[ns]"), ADULT_AGE)
    adult_start = (periods["start"] >= plain).to_numpy()
    got = ctx.periods()
    assert got["eighteen"].dtype == "datetime64[ns]"
    assert got["period_id"].tolist() == periods["period_id"][~adult_start].tolist()
    expected = plain[~adult_start].reset_index(drop=True)
    pd.testing.assert_series_equal(got["eighteen"], expected, check_names=False)


def test_periods_by_hand() -> None:
    got = Context(_mixed(), "2024-03-31").periods().set_index("CHILD")
    assert got.loc["L", "eighteen"] == pd.Timestamp("2026-03-01")  # 29 Feb: 1 March
    assert got.loc["L", "exit_date"] == pd.Timestamp("2026-03-01")  # recorded later
    assert got.loc["E", "eighteen"] == pd.Timestamp("2025-03-31")
    assert pd.isna(got.loc["E", "exit_date"])  # still open: no exit recorded
    assert got.loc["N", "eighteen"].isna().all()  # no DOB: two periods, no birthday
    assert pd.isna(got.loc["X", "eighteen"])  # no header row
    assert pd.isna(got.loc["X", "exit_date"])


def test_child_with_a_header_row_only_is_no_episode_child() -> None:
    ctx = Context(_mixed(), "2024-03-31")
    rows = ctx._header_rows()
    children = ctx.episode_child_codes()[1].tolist()
    assert len(rows) == len(children)
    head = ctx.header["CHILD"].tolist()
    assert [head[r] if r >= 0 else None for r in rows] == [
        c if c in head else None for c in children
    ]


def _plain_cohort(ctx: Context, pos: np.ndarray, d: str) -> pd.DataFrame:
    """The cohort table as the frames built it: episode columns taken, the child facts and
    age_at of the DOB added, columns put in order."""
    from cppanalytics.indicators.context import BLOCK_COLUMNS, EPISODE_COLUMNS

    cols = ["CHILD", *EPISODE_COLUMNS, *BLOCK_COLUMNS]
    out = ctx.episodes[cols].take(pos).reset_index(drop=True)
    facts = ctx._episode_facts()
    for c in ("DOB", "SEX", "ETHNIC"):
        out[c] = facts[c].take(pos).reset_index(drop=True)
    out["age"] = age_at(out["DOB"], d)
    first = ["CHILD", "DOB", "SEX", "ETHNIC", "age"]
    return out[first + [c for c in out.columns if c not in first]]


@pytest.mark.parametrize("name", DATA)
@pytest.mark.parametrize("d", ENDS)
def test_cohort_tables_are_the_frames_the_plain_way_builds(name: str, d: str) -> None:
    ctx = Context(DATA[name](), d)
    pos = ctx.cla_at_positions()
    pd.testing.assert_frame_equal(ctx.cla_at(), _plain_cohort(ctx, pos, d))
    every = np.arange(len(ctx.episodes))  # adults and ended episodes too
    pd.testing.assert_frame_equal(
        ctx._cohort_table(every, pd.Timestamp(d)), _plain_cohort(ctx, every, d)
    )
    start = pd.Timestamp(d) - pd.DateOffset(years=1)
    during = ctx.cla_during_positions(start, d)
    pd.testing.assert_frame_equal(ctx.cla_during(start, d), _plain_cohort(ctx, during, d))


def test_cohort_by_hand() -> None:
    ctx = Context(_mixed(), "2024-02-29")
    cla = ctx.cla_at().set_index("CHILD")
    assert sorted(cla.index) == ["E", "L", "N", "X", "Ü"]
    # born 29/02/2008: 16 on 29/02/2024; in a temporary placement, reported as held
    assert cla.loc["L", "age"] == 16 and cla.loc["L", "PLACE"] == "T1"
    assert cla.loc["L", "held_PLACE"] == "U4" and bool(cla.loc["L", "is_temp"])
    assert pd.isna(cla.loc["N", "age"]) and pd.isna(cla.loc["X", "SEX"])
    assert cla.loc["Ü", "age"] == 17 and cla.loc["Ü", "PLACE"] == "K2"
    assert cla.loc["Ü", "period_start"] == pd.Timestamp("2021-08-15")  # same-day chain
    assert len(ctx.findings.to_frame()) == 0
    # Ü is 18 on 01/03/2024: no longer looked after, one finding naming the episode
    later = ctx.at("2024-03-01")
    assert sorted(later.cla_at()["CHILD"]) == ["E", "L", "N", "X"]
    found = later.findings.to_frame()
    assert found["code"].tolist() == ["looked_after_18_plus"]
    assert found["child"].tolist() == ["Ü"]


def test_a_dob_past_2244_has_no_eighteenth_birthday() -> None:
    data = dataset(
        [ep("A", "01/01/2023"), ep("B", "01/01/2023")],
        [hdr("A", dob="01/01/2250"), hdr("B", dob="01/01/2006"), hdr("Q", dob="31/12/2261")],
    )
    ctx = Context(data, "2024-03-31")
    got = ctx.periods().set_index("CHILD")
    assert pd.isna(got.loc["A", "eighteen"])  # beyond what pandas holds: none
    assert got.loc["B", "eighteen"] == pd.Timestamp("2024-01-01")
    assert ctx.cla_at()["CHILD"].tolist() == ["A"]  # B is 18: left out
    assert (
        ctx.cla_at()["age"].tolist()
        == age_at(pd.Series([pd.Timestamp("2250-01-01")]), "2024-03-31").tolist()
    )


@pytest.mark.parametrize("name", DATA)
def test_facts_at_positions_are_the_episode_facts_rows(name: str) -> None:
    ctx = Context(DATA[name](), "2024-03-31")
    n = len(ctx.episodes)
    for pos in (np.arange(n), np.arange(n)[::-1], np.arange(n)[:1], np.zeros(0, dtype=int)):
        got = {c: pd.Series(ctx.facts_at(pos, c)) for c in ("DOB", "SEX", "ETHNIC")}
        # the plain definition: the rows of the per-episode facts table (built afresh)
        plain = Context(ctx.data, "2024-03-31")._episode_facts().iloc[pos].reset_index(drop=True)
        for c, values in got.items():
            pd.testing.assert_series_equal(values, plain[c], check_names=False)
    # once the facts table is built, the positions are taken from it: the same values
    ctx._episode_facts()
    pos = np.arange(n)[::-1]
    again = pd.Series(ctx.facts_at(pos, "DOB"))
    pd.testing.assert_series_equal(
        again, ctx._episode_facts()["DOB"].iloc[pos].reset_index(drop=True), check_names=False
    )


@pytest.mark.parametrize("name", DATA)
@pytest.mark.parametrize("fresh_objects", [False, True])
def test_header_rows_found_by_object_or_by_text_alike(name: str, fresh_objects: bool) -> None:
    ctx = Context(DATA[name](), "2024-03-31")
    head = ctx.header
    if fresh_objects and len(head):  # the same ids in string objects of their own
        copies = ["".join(list(c)) if isinstance(c, str) else c for c in head["CHILD"]]
        head["CHILD"] = pd.Series(copies, index=head.index, dtype=head["CHILD"].dtype)
    rows = ctx._header_rows()
    # the plain definition: each known child's header row, looked up by its text
    known = ctx.episode_child_codes()[1]
    plain = (
        pd.Index(head["CHILD"].astype(object).tolist()).get_indexer(known.tolist())
        if len(head)
        else np.full(len(known), -1)
    )
    assert rows.tolist() == plain.tolist()
