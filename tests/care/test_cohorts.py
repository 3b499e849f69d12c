"""Cohorts through the Context: looked after at D, during a window, 12 months, ages."""

from __future__ import annotations

import pandas as pd

from cppanalytics.indicators.context import Context
from tests.care.build import dataset, ep, hdr

D = "2024-03-31"


def test_leaving_on_d_is_not_looked_after_at_d_but_during():
    ds = dataset(
        [ep("1", "01/01/2023", "31/03/2024", "E4A"), ep("2", "31/03/2024"), ep("3", "01/04/2024")]
    )
    ctx = Context(ds, D)
    # 1 left on D (not at D), 2 started on D (at D), 3 starts after D
    assert ctx.cla_at()["CHILD"].tolist() == ["2"]
    assert ctx.cla_during("2023-04-01", D)["CHILD"].tolist() == ["1", "2"]


def test_cla_at_columns_and_ages_with_29_february():
    # born 29/02/2008: 2024 is a leap year, so the 16th birthday is 29/02/2024 (16 on that
    # day, 15 the day before); in 2023 the 15th birthday falls on 01/03/2023
    ds = dataset([ep("1", "01/01/2020")], [hdr("1", "29/02/2008")])
    ctx = Context(ds, D)
    cla = ctx.cla_at()
    for col in [
        "CHILD",
        "DOB",
        "SEX",
        "ETHNIC",
        "age",
        "DECOM",
        "RNE",
        "LS",
        "CIN",
        "PLACE",
        "PLACE_PROVIDER",
        "HOME_POST",
        "PL_POST",
        "URN",
        "held_PLACE",
        "period_start",
        "placement_start",
        "carer_spell_start",
    ]:
        assert col in cla.columns, col
    assert cla["age"].tolist() == [16]
    assert ctx.cla_at("2024-02-28")["age"].tolist() == [15]
    assert ctx.cla_at("2024-02-29")["age"].tolist() == [16]
    # in a non-leap year the birthday falls on 1 March
    assert ctx.cla_at("2023-02-28")["age"].tolist() == [14]
    assert ctx.cla_at("2023-03-01")["age"].tolist() == [15]


def test_continuously_looked_after_12m_boundary():
    # r12 at 31/03/2024 starts 01/04/2023: a period starting that day is in, the day after not
    ds = dataset(
        [
            ep("1", "01/04/2023"),
            ep("2", "02/04/2023"),
            # re-entry: left 01/06/2022 and came back 01/07/2022 -> period 01/07/2022 in
            ep("3", "01/01/2020", "01/06/2022", "E4A"),
            ep("3", "01/07/2022"),
        ]
    )
    assert Context(ds, D).continuously_looked_after_12m()["CHILD"].tolist() == ["1", "3"]


def test_short_break_child_is_not_looked_after():
    ds = dataset([ep("1", "01/01/2024", ls="V3"), ep("2", "01/01/2024", ls="V2")])
    assert Context(ds, D).cla_at()["CHILD"].tolist() == ["2"]


def test_temporary_placement_reports_held_place_and_header_latest_year():
    ds = dataset(
        [
            ep("1", "01/01/2023", "01/03/2024", "X1", place="K2"),
            ep("1", "01/03/2024", rne="P", place="T1"),
        ],
        [
            hdr("1", "01/01/2010", sex="1") | {"YEAR": "2023"},
            hdr("1", "01/01/2010", sex="2") | {"YEAR": "2024"},
        ],
    )
    cla = Context(ds, D).cla_at()
    assert cla[["PLACE", "held_PLACE", "SEX"]].values.tolist() == [["T1", "K2", "2"]]
    assert cla["placement_start"].tolist() == [pd.Timestamp("2023-01-01")]


def test_context_at_shares_building_blocks():
    ds = dataset([ep("1", "01/01/2023")])
    ctx = Context(ds, D)
    other = ctx.at("2024-06-30")
    assert other.care is ctx.care
    assert other.window("cla_started") == (pd.Timestamp("2024-04-01"), pd.Timestamp("2024-06-30"))
