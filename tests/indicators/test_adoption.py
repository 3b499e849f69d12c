"""Adoption indicators: hand-worked histories (fytd at 31/03/2024 = 01/04/2023..31/03/2024)."""

from __future__ import annotations

import pytest

from cppanalytics.findings import Findings
from cppanalytics.indicators import compute
from tests.care.build import dataset, ep, nums, value

D = "2024-03-31"


def adoption_ds():
    return dataset(
        [
            # A: in care 01/01/2021, foster, A3 with foster carer (T) 01/03/2023, adopted 01/06/2023
            #    decision (PlacedAdoption) 01/02/2022 -> 393 days: not within 12 months
            #    A1 = 01/03/2023 - 01/01/2021 = 789 days; A10 (A3) = carer spell from 01/01/2021 = 0
            ep("A", "01/01/2021", "01/03/2023", "X1"),
            ep("A", "01/03/2023", "01/06/2023", "E11", rne="T", ls="E1", place="A3"),
            # B: in care 01/01/2022, A4 (new family) 01/01/2023, adopted 01/01/2024 (E12)
            #    decision AD1 DATE_INT 01/06/2022 -> 214 days: within; A1 = A10 = 365 days
            #    placement order from 01/06/2022 (LS E1), match 01/12/2022 -> A2 = 183 days
            ep("B", "01/01/2022", "01/06/2022", "X1"),
            ep("B", "01/06/2022", "01/01/2023", "X1", rne="L", ls="E1"),
            ep("B", "01/01/2023", "01/01/2024", "E12", rne="P", ls="E1", place="A4"),
            # C: earlier A4 run disrupted, second A4 run, adopted 01/02/2024 -> excluded from 12m
            ep("C", "01/01/2021", "01/01/2022", "X1", ls="E1", place="A4"),
            ep("C", "01/01/2022", "01/06/2022", "X1", rne="P", ls="E1", place="U4"),
            ep("C", "01/06/2022", "01/02/2024", "E11", rne="P", ls="E1", place="A6"),
            # E: adopted without any A3-A6 episode -> excluded everywhere (finding)
            ep("E", "01/01/2022", "01/03/2024", "E11"),
            # F: SGO exit in window; G: returned home
            ep("F", "01/01/2022", "01/05/2023", "E45"),
            ep("G", "01/01/2022", "01/05/2023", "E4A"),
        ],
        placed_adoption=[
            {"CHILD": "A", "DATE_PLACED": "01/02/2022"},
            {"CHILD": "A", "DATE_PLACED": "01/04/2023"},
        ],  # after placement: unused
        ad1=[
            {"CHILD": "B", "DATE_INT": "01/06/2022", "DATE_MATCH": "01/12/2022"},
            {"CHILD": "A", "DATE_INT": "01/01/2020", "DATE_MATCH": "01/01/2023"},
        ],
    )


def test_counts_and_pct_of_ceased():
    r = compute(adoption_ds(), D, ids=["adopted_count", "adopted_pct_of_ceased", "sgo_count"])
    assert nums(r, "adopted_count")[0] == 4  # A B C E
    assert nums(r, "sgo_count")[0] == 1  # F
    assert nums(r, "adopted_pct_of_ceased") == (4, 6)


def test_within_12_months_of_decision_with_exclusions():
    f = Findings()
    r = compute(adoption_ds(), D, ids=["adoption_within_12m_of_decision"], findings=f)
    # included: A (393 days, not within; PlacedAdoption beats AD1), B (214 days) -> 1 of 2
    assert nums(r, "adoption_within_12m_of_decision") == (1, 2)
    got = f.to_frame().set_index("child")["code"].to_dict()
    assert got == {"C": "adoption_earlier_run", "E": "adoption_no_placement_episode"}


def test_a1_a10_a2_days():
    r = compute(adoption_ds(), D, ids=["adoption_a1_days", "adoption_a10_days", "adoption_a2_days"])
    # A1 over A B C (E has no A episode): A 789, B 365, C 01/06/2022-01/01/2021 = 516
    assert nums(r, "adoption_a1_days") == (789 + 365 + 516, 3)
    assert value(r, "adoption_a1_days")["value"] == pytest.approx((789 + 365 + 516) / 3)
    # A10: A stops at its carer spell start (01/01/2021) -> 0
    assert nums(r, "adoption_a10_days") == (0 + 365 + 516, 3)
    # A2: B 183; A match 01/01/2023 - authority 01/03/2023 = -59 -> 0; C no match -> excluded
    assert nums(r, "adoption_a2_days") == (183, 2)


def test_a10_foster_carer_flag_from_ad1():
    # child placed A4 by RNE U (same carer spell) and AD1 FOSTER_CARE = 1: clock stops at the
    # carer spell start 01/01/2021 although the run starts A4 on 01/01/2022
    ds = dataset(
        [
            ep("A", "01/01/2021", "01/01/2022", "X1"),
            ep("A", "01/01/2022", "01/01/2024", "E11", rne="U", ls="E1", place="A4"),
        ],
        ad1=[{"CHILD": "A", "FOSTER_CARE": "1"}],
    )
    r = compute(ds, D, ids=["adoption_a1_days", "adoption_a10_days"])
    assert nums(r, "adoption_a1_days") == (365, 1)
    assert nums(r, "adoption_a10_days") == (0, 1)


def _plain_decisions(ctx, facts):
    """Each adopted period's decision the plain way: the PlacedAdoption rows joined to
    the periods on CHILD, the latest on or before the placement, else AD1 DATE_INT."""
    import numpy as np
    import pandas as pd

    from cppanalytics.indicators.context import by_key

    pa = ctx.data.placed_adoption[["CHILD", "DATE_PLACED"]].dropna().drop_duplicates()
    cand = facts[["period_id", "CHILD", "placed"]].merge(pa, on="CHILD", how="inner")
    cand = cand[cand["DATE_PLACED"] <= cand["placed"]]
    latest = cand.groupby("period_id")["DATE_PLACED"].max()
    ad1 = ctx.latest("ad1")
    date_int = ad1.set_index("CHILD")["DATE_INT"] if len(ad1) else pd.Series(dtype="datetime64[ns]")
    out = facts.copy()
    from_pa = by_key(latest.astype("datetime64[ns]"), out["period_id"])
    from_ad1 = by_key(date_int.astype("datetime64[ns]"), out["CHILD"])
    out["decision"] = from_pa.fillna(from_ad1)
    out["decision_source"] = np.where(
        from_pa.notna(), "placed_adoption", np.where(from_ad1.notna(), "ad1", "")
    )
    return out


def _decision_cases():
    episodes = [
        # A: placed 01/03/2023; decisions before, on and after the placement day
        ep("A", "01/01/2021", "01/03/2023", "X1"),
        ep("A", "01/03/2023", "01/06/2023", "E11", rne="T", ls="E1", place="A3"),
        # B: no PlacedAdoption row: AD1 DATE_INT
        ep("B", "01/01/2022", "01/01/2023", "X1"),
        ep("B", "01/01/2023", "01/01/2024", "E12", rne="P", ls="E1", place="A4"),
        # C: every PlacedAdoption row after the placement, no AD1 row
        ep("C", "01/01/2022", "01/02/2024", "E11", ls="E1", place="A6"),
        # E: no A3-A6 episode (no placement date): AD1 only
        ep("E", "01/01/2022", "01/03/2024", "E11"),
        # H: adopted, came back, adopted again: each period its own latest decision
        ep("H", "01/01/2020", "01/06/2020", "E11", ls="E1", place="A4"),
        ep("H", "01/01/2022", "01/06/2023", "E12", ls="E1", place="A5"),
        # K: not adopted, with decisions
        ep("K", "01/01/2022", "01/05/2023", "E4A"),
    ]
    placed_rows = [
        {"CHILD": "A", "DATE_PLACED": "01/02/2022"},
        {"CHILD": "A", "DATE_PLACED": "01/03/2023"},  # on the placement day: counts
        {"CHILD": "A", "DATE_PLACED": "02/03/2023"},  # the day after: not
        {"CHILD": "A", "DATE_PLACED": "01/02/2022"},  # repeated
        {"CHILD": "A", "DATE_PLACED": ""},  # no date
        {"CHILD": "", "DATE_PLACED": "01/01/2020"},  # no child
        {"CHILD": "C", "DATE_PLACED": "02/01/2022"},  # after C's placement (01/01/2022)
        {"CHILD": "H", "DATE_PLACED": "01/12/2019"},
        {"CHILD": "H", "DATE_PLACED": "01/03/2022"},
        {"CHILD": "E", "DATE_PLACED": "01/01/2021"},  # E has no placement date
        {"CHILD": "K", "DATE_PLACED": "01/01/2023"},
        {"CHILD": "Z", "DATE_PLACED": "01/01/2023"},  # never looked after
    ]
    ad1_rows = [
        {"CHILD": "A", "DATE_INT": "01/01/2020", "DATE_MATCH": "01/01/2023"},
        {"CHILD": "B", "DATE_INT": "01/06/2022", "DATE_MATCH": "01/12/2022"},
        {"CHILD": "E", "DATE_INT": "01/07/2021", "DATE_MATCH": ""},
        {"CHILD": "H", "DATE_INT": "", "DATE_MATCH": ""},
        {"CHILD": "Y", "DATE_INT": "01/07/2021", "DATE_MATCH": ""},  # never looked after
    ]
    return episodes, placed_rows, ad1_rows


@pytest.mark.parametrize("part", ["all", "no_placed", "no_ad1", "neither"])
def test_decisions_matched_by_child_code_are_the_plain_join(part):
    import pandas as pd

    from cppanalytics.indicators import adoption
    from cppanalytics.indicators.context import Context

    episodes, placed_rows, ad1_rows = _decision_cases()
    tables = {}
    if part in ("all", "no_ad1"):
        tables["placed_adoption"] = placed_rows
    if part in ("all", "no_placed"):
        tables["ad1"] = ad1_rows
    ctx = Context(dataset(episodes, **tables), D)
    p = ctx.care.periods
    every = p[p["exit"] & p["exit_rec"].isin(list(adoption.ADOPTED_REC)).fillna(False)]
    facts = adoption.adoption_facts(ctx, every)
    assert adoption._decision_dates(ctx, facts) is not None  # the fast path is taken
    got = adoption._decisions(ctx, facts)
    pd.testing.assert_frame_equal(got, _plain_decisions(ctx, facts))
    if part == "all":
        by_child = got.groupby("CHILD")["decision"].apply(list).to_dict()
        when = pd.Timestamp
        assert by_child["A"] == [when("2023-03-01")]  # on the placement day
        assert by_child["B"] == [when("2022-06-01")]  # AD1
        assert pd.isna(by_child["C"][0])
        assert by_child["E"] == [when("2021-07-01")]  # no placement: AD1
        assert by_child["H"] == [when("2019-12-01")] * 2  # (the second placed 01/01/2022)


def test_latest_on_or_before_with_times_of_day_is_the_plain_join():
    import numpy as np
    import pandas as pd

    from cppanalytics.indicators.adoption import _latest_on_or_before

    ns = "datetime64[ns]"
    child = np.array([0, 0, 1, 2, -1, 1, 0])
    when = np.array(
        [
            "2024-01-01T12:00",
            "2024-01-01",
            "NaT",
            "2024-02-01",
            "2024-03-01",
            "2024-05-01",
            "2023-01-01",
        ],
        dtype=ns,
    )
    cand_child = np.array([0, 0, 0, 1, 1, -1, 2, 0])
    cand_when = np.array(
        [
            "2024-01-01T06:00",
            "2024-01-01T12:00",
            "2024-01-02",
            "2024-04-30T23:59",
            "NaT",
            "2020-01-01",
            "2024-02-01T00:00:01",
            "2024-01-01T06:00",
        ],
        dtype=ns,
    )
    got = _latest_on_or_before(child, when, cand_child, cand_when)
    # the plain definition: every pair joined, the latest on or before kept
    q = pd.DataFrame({"q": np.arange(len(child)), "c": child, "w": when})
    c = pd.DataFrame({"c": cand_child, "cw": cand_when})
    j = q.merge(c[(c["c"] >= 0) & c["cw"].notna()], on="c")
    j = j[j["cw"] <= j["w"]]
    plain = j.groupby("q")["cw"].max().reindex(np.arange(len(child))).to_numpy(dtype=ns)
    assert got.tolist() == plain.tolist()
    assert got[0] == np.datetime64("2024-01-01T12:00", "ns") and np.isnat(got[1:5]).all()


@pytest.mark.parametrize("part", ["all", "no_ad1"])
def test_ad1_values_by_child_code_are_the_plain_look_up(part):
    import pandas as pd

    from cppanalytics.indicators import adoption
    from cppanalytics.indicators.context import Context, by_key

    episodes, placed_rows, ad1_rows = _decision_cases()
    # adoption by foster carers (FOSTER_CARE 1), blank and other flags, no AD1 row (C, K),
    # AD1 rows of children never looked after (Y), re-entry (H: two adopted periods)
    flags = {"A": "1", "B": "0", "E": "", "H": "1", "Y": "1"}
    ad1_rows = [{**row, "FOSTER_CARE": flags[row["CHILD"]]} for row in ad1_rows]
    tables = {"placed_adoption": placed_rows}
    if part == "all":
        tables["ad1"] = ad1_rows
    ctx = Context(dataset(episodes, **tables), D)
    ad1 = ctx.latest("ad1")
    for facts in (ctx.periods(), ctx.exits(), ctx.periods().iloc[::-2], ctx.periods().iloc[:0]):
        codes = adoption.fact_children(ctx, facts)
        assert codes.tolist() == ctx.child_codes(facts["CHILD"]).tolist()
        if part == "all":  # the codes' path is taken
            assert adoption._ad1_rows(ctx, codes) is not None
        for column, dtype in (
            ("FOSTER_CARE", "string"),
            ("DATE_MATCH", "datetime64[ns]"),
            ("DATE_INT", "datetime64[ns]"),
        ):
            got = adoption.ad1_values(ctx, facts, column, dtype)
            mapping = ad1.set_index("CHILD")[column] if len(ad1) else pd.Series(dtype=dtype)
            pd.testing.assert_series_equal(got, by_key(mapping.astype(dtype), facts["CHILD"]))
    if part == "all":
        got = adoption.ad1_values(ctx, ctx.periods(), "FOSTER_CARE", "string")
        by_child = dict(zip(ctx.periods()["CHILD"], got.fillna("none"), strict=True))
        assert by_child == {"A": "1", "B": "0", "C": "none", "E": "none", "H": "1", "K": "none"}
    # a period unknown to the episodes: looked up by text
    odd = ctx.periods().assign(period_id=lambda p: p["period_id"] + 1000)
    assert adoption.fact_children(ctx, odd).tolist() == ctx.child_codes(odd["CHILD"]).tolist()
    got = adoption.ad1_values(ctx, odd, "DATE_MATCH", "datetime64[ns]")
    mapping = (
        ad1.set_index("CHILD")["DATE_MATCH"] if len(ad1) else pd.Series(dtype="datetime64[ns]")
    )
    pd.testing.assert_series_equal(got, by_key(mapping.astype("datetime64[ns]"), odd["CHILD"]))


def test_a10_adoption_by_foster_carers_by_hand():
    # A placed with their foster carers (FOSTER_CARE 1; RNE T: the same carers) at
    # 01/03/2023: A10 ends at the carer spell's start (01/01/2021: 0 days); B with
    # FOSTER_CARE 0: at the placement (365 days)
    ds = dataset(
        [
            ep("A", "01/01/2021", "01/03/2023", "X1", place="U1"),
            ep("A", "01/03/2023", "01/06/2023", "E11", rne="T", ls="E1", place="A4"),
            ep("B", "01/01/2022", "01/01/2023", "X1"),
            ep("B", "01/01/2023", "01/01/2024", "E12", rne="P", ls="E1", place="A4"),
        ],
        ad1=[{"CHILD": "A", "FOSTER_CARE": "1"}, {"CHILD": "B", "FOSTER_CARE": "0"}],
    )
    r = compute(ds, D, ids=["adoption_a10_days"])
    assert nums(r, "adoption_a10_days") == (365, 2)
