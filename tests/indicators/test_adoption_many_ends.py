"""Adoption worked out once per run (positions of each window's adoptions, per-exit facts)
against a plain frame-by-frame definition at every period end, on hand-built edge cases:
each exclusion, a decision after placement, adoption by the foster carer, a child adopted
twice, an SGO, an exit on a period end, no AD1 match, nothing at all."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cppanalytics.findings import Findings
from cppanalytics.indicators import adoption
from cppanalytics.indicators.compute import compute
from cppanalytics.indicators.context import Context, by_key
from cppanalytics.indicators.population import ceased_in_window, last_exit_in
from cppanalytics.ssda903.dataset import Dataset
from tests.care.build import dataset, ep

ENDS = [str(d.date()) for d in pd.date_range("2022-06-30", "2024-09-30", freq="QE")]


def _adoptions() -> Dataset:
    return dataset(
        [
            # A: adopted by the foster carer (A3, same carer), decision 393 days before placing
            ep("A", "01/01/2021", "01/03/2023", "X1"),
            ep("A", "01/03/2023", "01/06/2023", "E11", rne="T", ls="E1", place="A3"),
            # B: new family (A4) within 12 months of the AD1 decision; placement order + match
            ep("B", "01/01/2022", "01/06/2022", "X1"),
            ep("B", "01/06/2022", "01/01/2023", "X1", rne="L", ls="E1"),
            ep("B", "01/01/2023", "31/12/2023", "E12", rne="P", ls="E1", place="A4"),
            # C: an earlier A4 run that disrupted
            ep("C", "01/01/2021", "01/01/2022", "X1", ls="E1", place="A4"),
            ep("C", "01/01/2022", "01/06/2022", "X1", rne="P", ls="E1", place="U4"),
            ep("C", "01/06/2022", "01/02/2024", "E11", rne="P", ls="E1", place="A6"),
            # E: no A3-A6 episode
            ep("E", "01/01/2022", "31/03/2024", "E11"),
            # F: SGO; G: home; H: A5, no decision date at all
            ep("F", "01/01/2022", "01/05/2023", "E45"),
            ep("G", "01/01/2022", "01/05/2023", "E4A"),
            ep("H", "01/01/2022", "01/07/2022", "X1"),
            ep("H", "01/07/2022", "30/09/2023", "E11", rne="P", place="A5"),
            # J: AD1 decision after the placement; adopted twice (re-entry, adopted again)
            ep("J", "01/01/2021", "01/02/2022", "X1"),
            ep("J", "01/02/2022", "01/08/2022", "E11", rne="P", place="A4"),
            ep("J", "01/09/2022", "01/10/2022", "X1"),
            ep("J", "01/10/2022", "30/06/2024", "E12", rne="P", place="A4"),
            # K: placed exactly 365 days after the decision (not within 12 months)
            ep("K", "01/01/2022", "01/06/2023", "X1"),
            ep("K", "01/06/2023", "01/01/2024", "E11", rne="P", place="A4"),
        ],
        placed_adoption=[
            {"CHILD": "A", "DATE_PLACED": "01/02/2022"},
            {"CHILD": "A", "DATE_PLACED": "01/04/2023"},
        ],
        ad1=[
            {"CHILD": "B", "DATE_INT": "01/06/2022", "DATE_MATCH": "01/12/2022"},
            {"CHILD": "A", "DATE_INT": "01/01/2020", "DATE_MATCH": "01/01/2023"},
            {"CHILD": "J", "DATE_INT": "01/12/2022", "FOSTER_CARE": "1"},
            {"CHILD": "C", "DATE_INT": "01/03/2022", "DATE_MATCH": "01/01/2020"},
            {"CHILD": "K", "DATE_INT": "01/06/2022"},
        ],
    )


DATASETS = {
    "adoptions": _adoptions,
    "one_adoption": lambda: dataset([ep("A", "01/01/2023", "01/06/2023", "E11", place="A4")]),
    "no_adoption": lambda: dataset([ep("A", "01/01/2023")]),
    "empty": Dataset,
}


def _plain(ctx: Context) -> dict[str, tuple[float, float, float]]:
    """The adoption figures at ``ctx.period_end`` worked out frame by frame from the
    definitions (each window's adoptions re-selected, each exclusion applied in turn)."""
    exits = ctx.exits()

    def with_recs(recs: tuple[str, ...], iid: str) -> pd.DataFrame:
        rows = exits[exits["exit_rec"].isin(list(recs)).fillna(False).astype(bool)]
        return last_exit_in(rows, *ctx.window(iid))

    def facts(iid: str) -> pd.DataFrame:
        return adoption.facts_for(ctx, with_recs(adoption.ADOPTED_REC, iid))

    def mean(days: pd.Series) -> tuple[float, float, float]:
        days = days.dropna()
        total, n = float(days.sum()), len(days)
        return total, float(n), total / n if n else np.nan

    out = {
        "adopted_count": (len(with_recs(adoption.ADOPTED_REC, "adopted_count")), np.nan, 0.0),
        "sgo_count": (len(with_recs(adoption.SGO_REC, "sgo_count")), np.nan, 0.0),
        "adopted_pct_of_ceased": (
            len(with_recs(adoption.ADOPTED_REC, "adopted_pct_of_ceased")),
            len(ceased_in_window(ctx, *ctx.window("adopted_pct_of_ceased"))),
            0.0,
        ),
    }
    f = facts("adoption_within_12m_of_decision")
    f = f[f["placed"].notna() & ~(f["runs"] > 1)]
    f = f[f["decision"].notna()]
    out["adoption_within_12m_of_decision"] = (
        int(((f["placed"] - f["decision"]).dt.days < 365).sum()),
        len(f),
        0.0,
    )
    f = facts("adoption_a1_days")
    f = f[f["placed"].notna()]
    out["adoption_a1_days"] = mean((f["placed"] - f["period_start"]).dt.days)
    f = facts("adoption_a10_days")
    f = f[f["placed"].notna()]
    ad1 = ctx.latest("ad1")
    carer = ad1.set_index("CHILD")["FOSTER_CARE"] if len(ad1) else pd.Series(dtype="string")
    by_carer = f["first_place"].isin(["A3", "A5"]).fillna(False).to_numpy(bool) | by_key(
        carer.astype("string"), f["CHILD"]
    ).eq("1").fillna(False).to_numpy(bool)
    end = f["placed"].where(~by_carer | f["spell_start"].isna(), f["spell_start"])
    out["adoption_a10_days"] = mean((end - f["period_start"]).dt.days)
    f = facts("adoption_a2_days")
    match = ad1.set_index("CHILD")["DATE_MATCH"] if len(ad1) else pd.Series(dtype="datetime64[ns]")
    matched = by_key(match.astype("datetime64[ns]"), f["CHILD"])
    keep = f["authority"].notna() & matched.notna()
    out["adoption_a2_days"] = mean((matched - f["authority"]).dt.days.clip(lower=0)[keep])
    return out


@pytest.mark.parametrize("name", DATASETS)
def test_every_end_at_once_equals_the_plain_definition_at_each_end(name: str) -> None:
    data = DATASETS[name]()
    results = compute(data, ENDS, ids=list(adoption.IDS), la_code="E06000042")
    for end in ENDS:
        plain = _plain(Context(data, end))
        at = results[results["period_end"] == pd.Timestamp(end)].set_index("indicator_id")
        for iid, (num, den, _) in plain.items():
            assert at.loc[iid, "numerator"] == pytest.approx(num, nan_ok=True), (end, iid)
            if not np.isnan(den):
                assert at.loc[iid, "denominator"] == pytest.approx(den), (end, iid)


def test_findings_at_many_ends_are_those_of_each_end_alone() -> None:
    data = _adoptions()
    together = Findings()
    compute(data, ENDS, ids=list(adoption.IDS), findings=together, la_code="E06000042")
    alone = Findings()
    for end in ENDS:
        compute(data, end, ids=list(adoption.IDS), findings=alone, la_code="E06000042")
    a = together.to_frame().drop_duplicates().reset_index(drop=True)
    b = alone.to_frame().drop_duplicates().reset_index(drop=True)
    pd.testing.assert_frame_equal(a, b)
    codes = set(a["code"])
    assert {
        "adoption_no_placement_episode",
        "adoption_earlier_run",
        "adoption_no_decision_date",
        "adoption_decision_after_placement",
        "adoption_a2_excluded",
    } <= codes


def test_the_adoptions_of_one_window_by_hand() -> None:
    """fytd at 31/03/2024: A (01/06/2023), B (31/12/2023), C (01/02/2024), E (31/03/2024,
    on the period end), H (30/09/2023), K (01/01/2024); J's adoptions fall before and after
    the window. Within 12 months of the decision: B (214 days) of A (393), B and K (365
    days, not less than 365); C (earlier run), E (no A3-A6) and H (no decision) left out."""
    ctx = Context(_adoptions(), "2024-03-31")
    win = ctx.window("adopted_count")
    rows = adoption.exits_with(ctx, adoption.ADOPTED_REC, *win)
    assert rows["CHILD"].tolist() == ["A", "B", "C", "E", "H", "K"]
    pos = adoption.exit_positions(ctx, adoption.ADOPTED_REC, *win)
    assert len(pos) == 6
    within = compute(_adoptions(), "2024-03-31", ids=["adoption_within_12m_of_decision"])
    assert within[["numerator", "denominator"]].values.tolist() == [[1.0, 3.0]]
    # over the 36 months to 30/09/2024 J was adopted twice: only the last adoption counts
    later = ctx.at("2024-09-30")
    r36 = adoption.exits_with(later, adoption.ADOPTED_REC, *later.window("adoption_a1_days"))
    assert r36["CHILD"].tolist() == ["A", "B", "C", "E", "H", "J", "K"]
    assert r36.loc[r36["CHILD"] == "J", "exit_date"].tolist() == [pd.Timestamp("2024-06-30")]
