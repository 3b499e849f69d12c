"""Periods of care and episode cleaning: hand-worked histories."""

from __future__ import annotations

import pandas as pd

from tests.care.build import care, ep


def periods(c):
    return c.periods.assign(
        start=c.periods["start"].dt.strftime("%d/%m/%Y"),
        end=c.periods["end"].dt.strftime("%d/%m/%Y"),
    )


def test_x1_chain_is_one_period_open():
    # S 01/01/2020 -X1-> P 01/06/2020 -X1-> L 01/01/2021 (open): one open period from 01/01/2020
    c = care(
        [
            ep("1", "01/01/2020", "01/06/2020", "X1"),
            ep("1", "01/06/2020", "01/01/2021", "X1", rne="P"),
            ep("1", "01/01/2021", rne="L", ls="E1"),
        ]
    )
    p = periods(c)
    assert p[["start", "exit"]].values.tolist() == [["01/01/2020", False]]
    assert pd.isna(c.periods["end"].iloc[0])
    assert c.episodes["period_id"].tolist() == [0, 0, 0]


def test_exit_and_same_day_reentry_is_two_periods():
    # ends E4A 01/06/2020, re-enters S the same day: two periods, the first an exit
    c = care([ep("1", "01/01/2020", "01/06/2020", "E4A"), ep("1", "01/06/2020")])
    p = periods(c)
    assert p[["start", "exit"]].values.tolist() == [["01/01/2020", True], ["01/06/2020", False]]
    assert c.periods["exit_rec"].iloc[0] == "E4A"
    assert bool(c.periods["after_break"].iloc[1]) is False


def test_broken_x1_chain_ends_period_without_exit_and_is_a_finding():
    # X1 on 01/06/2020 but the next episode starts 10/06/2020: period 1 ends 01/06/2020, not an
    # exit; period 2 starts 10/06/2020 flagged after_break; one x1_chain_broken finding
    c = care([ep("1", "01/01/2020", "01/06/2020", "X1"), ep("1", "10/06/2020", rne="P")])
    p = periods(c)
    assert p[["start", "end", "exit"]].values.tolist()[0] == ["01/01/2020", "01/06/2020", False]
    assert c.periods["after_break"].tolist() == [False, True]
    assert c.findings["code"].tolist() == ["x1_chain_broken"]
    assert c.findings["child"].tolist() == ["1"]


def test_x1_on_last_episode_is_broken_chain_not_exit():
    c = care([ep("1", "01/01/2020", "01/06/2020", "X1")])
    assert c.periods["exit"].tolist() == [False]
    assert c.findings["code"].tolist() == ["x1_chain_broken"]


def test_open_episode_with_rec_filled_is_open():
    c = care([ep("1", "01/01/2020", "", "E4A")])
    assert c.periods["exit"].tolist() == [False]
    assert pd.isna(c.periods["end"].iloc[0])


def test_short_breaks_dropped_before_periods():
    # V3 episode then a C2 period: only the C2 period exists; a child with only V4 has none
    c = care(
        [
            ep("1", "01/01/2020", "01/02/2020", "E13", ls="V3"),
            ep("1", "01/03/2020"),
            ep("2", "01/01/2020", ls="V4"),
        ]
    )
    assert c.periods["CHILD"].tolist() == ["1"]
    assert periods(c)["start"].tolist() == ["01/03/2020"]


def test_overlapping_episodes_later_decom_is_current():
    # ep1 01/01/2020-01/08/2020 E4A overlaps ep2 from 01/06/2020 (open): ep1 treated as ending
    # X1 on 01/06/2020, one open period, finding episodes_overlap
    c = care([ep("1", "01/01/2020", "01/08/2020", "E4A"), ep("1", "01/06/2020", rne="P")])
    e = c.episodes
    assert e["DEC_eff"].dt.strftime("%d/%m/%Y").tolist()[0] == "01/06/2020"
    assert e["REC_eff"].tolist()[0] == "X1"
    assert len(c.periods) == 1 and not c.periods["exit"].iloc[0]
    assert "episodes_overlap" in c.findings["code"].tolist()


def test_duplicate_start_keeps_latest_year_and_records_finding():
    c = care(
        [
            ep("1", "01/01/2020", place="U4") | {"YEAR": "2023"},
            ep("1", "01/01/2020", place="K2") | {"YEAR": "2024"},
        ]
    )
    assert c.episodes["PLACE"].tolist() == ["K2"]
    assert c.findings["code"].tolist() == ["episode_duplicate"]


def test_missing_decom_set_aside_with_finding():
    c = care([ep("1", ""), ep("2", "01/01/2020")])
    assert c.episodes["CHILD"].tolist() == ["2"]
    f = c.findings
    assert f["code"].tolist() == ["episode_unusable"] and f["action"].tolist() == ["set_aside"]


def test_closed_episode_without_rec_joins_same_day_else_exits():
    # child 1: DEC 01/06/2020 no REC, next starts same day -> joined; child 2: no next -> exit
    c = care(
        [
            ep("1", "01/01/2020", "01/06/2020"),
            ep("1", "01/06/2020", rne="P"),
            ep("2", "01/01/2020", "01/06/2020"),
        ]
    )
    assert c.periods.groupby("CHILD").size().to_dict() == {"1": 1, "2": 1}
    assert c.periods.set_index("CHILD")["exit"].to_dict() == {"1": False, "2": True}
    assert set(c.findings["code"]) == {"episode_rec_missing"}


def test_every_cleaning_step_on_one_table_points_at_the_right_rows():
    """Unusable, short-break, repeated and overlapping rows in one unsorted table: each
    finding names its own row (the table is filtered and sorted in one step)."""
    rows = [
        ep("2", ""),  # 0: no DECOM -> set aside
        ep("1", "01/01/2020", ls="V3"),  # 1: short break -> dropped, no finding
        ep("1", "01/03/2020", place="K2") | {"YEAR": "2024"},  # 2: kept (latest year)
        ep("1", "01/03/2020", place="U4") | {"YEAR": "2023"},  # 3: repeated -> set aside
        ep("1", "01/02/2020", "01/04/2020", "X1"),  # 4: overlaps row 2 -> repaired
        ep("3", "01/01/2021"),  # 5: untouched
    ]
    c = care([r | {"source_row": str(100 + i)} for i, r in enumerate(rows)])
    e = c.episodes
    assert e["CHILD"].tolist() == ["1", "1", "3"]
    assert e["PLACE"].tolist() == ["U4", "K2", "U4"]
    assert e["DEC_eff"].dt.strftime("%d/%m/%Y").tolist()[0] == "01/03/2020"
    assert e.index.tolist() == [0, 1, 2]  # a fresh RangeIndex
    f = c.findings.set_index("code")
    assert f.index.tolist() == ["episode_unusable", "episode_duplicate", "episodes_overlap"]
    assert int(f.loc["episode_unusable", "row"]) == 100  # table row 0
    assert int(f.loc["episode_duplicate", "row"]) == 103  # table row 3
    assert int(f.loc["episodes_overlap", "row"]) == 104  # table row 4
    assert f.loc["episode_duplicate", "value"] == "2020-03-01"
