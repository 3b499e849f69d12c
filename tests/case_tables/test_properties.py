"""Property test: random VALID 903 histories never crash compute and keep the contract.

Invariants checked for every indicator at a random quarter end:
percentages in [0, 100] (or NaN when the denominator is 0); numerator <= denominator for
percentages; counts, numerators and denominators >= 0; every breakdown writes each of its
groups exactly once and its group numerators add up to the headline count; the simple
cohort counts are consistent (started, ceased, at D <= during).

The histories are valid in shape (chains, exits, re-entries) but their dates of birth are
drawn freely, so some children are recorded in care past their 18th birthday, as in real
extracts with late-closed episodes: the counts must stay consistent for them too (care ends
at 18, README "Building blocks and indicators").
"""

from __future__ import annotations

import math
from datetime import date, timedelta

import pandas as pd
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from .builders import dataset, ep, hdr, miss, oc2, oc3, run, sw

ORIGIN = date(2019, 1, 1)
PERIOD_ENDS = ["30/06/2023", "30/09/2023", "31/12/2023", "31/03/2024"]
PLACES = [
    "U1",
    "U4",
    "U5",
    "U6",
    "A3",
    "A4",
    "A6",
    "P1",
    "K2",
    "R1",
    "S1",
    "Z1",
    "T1",
    "T4",
    "H5",
    "P2",
]
LEGAL = ["C1", "C2", "E1", "D1", "V2", "L1", "J1", "J3", "V3"]
NEXT_RNE = ["L", "P", "T", "U", "B"]
EXITS = ["E11", "E12", "E13", "E4A", "E45", "E41", "E3", "E5", "E9", "E8"]
POSTS = ["", "", "MK9 3EJ", "MK9 1AB", "MK40 2AA"]


def _d(days: int) -> str:
    return (ORIGIN + timedelta(days=days)).strftime("%d/%m/%Y")


@st.composite
def child_history(draw, child: str):
    """Episodes for one child (chains joined by X1, exits, re-entries) and its first DECOM."""
    rows = []
    t = first = draw(st.integers(0, 1500))
    n = draw(st.integers(1, 5))
    rne = "S"
    for i in range(n):
        length = draw(st.integers(1, 500))
        last = i == n - 1
        open_end = last and draw(st.booleans())
        link = "X1" if not last and draw(st.booleans()) else draw(st.sampled_from(EXITS))
        rows.append(
            ep(
                child,
                _d(t),
                rne=rne,
                ls=draw(st.sampled_from(LEGAL)),
                place=draw(st.sampled_from(PLACES)),
                dec="" if open_end else _d(t + length),
                rec="" if open_end else link,
                cin=draw(st.sampled_from(["N1", "N2", "N4", "N8"])),
                provider=draw(st.sampled_from(["PR0", "PR1", "PR4"])),
                home=draw(st.sampled_from(POSTS)),
                pl=draw(st.sampled_from(POSTS)),
            )
        )
        if link == "X1" and not last:
            t, rne = t + length, draw(st.sampled_from(NEXT_RNE))
        else:
            t, rne = t + length + draw(st.integers(0, 200)), "S"
    return rows, first


@st.composite
def histories(draw):
    n = draw(st.integers(1, 5))
    eps, heads, oc2s, oc3s, misses, sws = [], [], [], [], [], []
    for k in range(n):
        child = f"C{k}"
        rows, first = draw(child_history(child))
        eps += rows
        dob = _d(first - draw(st.integers(0, 6200)))  # born before entering care
        heads.append(
            hdr(
                child,
                dob=dob,
                sex=draw(st.sampled_from(["1", "2", "M", "F", "U"])),
                ethnic=draw(st.sampled_from(["WBRI", "MWBC", "AIND", "BAFR", "OOTH", "REFU"])),
            )
        )
        if draw(st.booleans()):
            oc2s.append(
                oc2(
                    child,
                    2024,
                    dob=dob,
                    sdq=draw(st.sampled_from(["", "0", "12", "15", "20", "40"])),
                    health_assessment=draw(st.sampled_from(["0", "1"])),
                    health_check=draw(st.sampled_from(["0", "1"])),
                    convicted=draw(st.sampled_from(["0", "1"])),
                )
            )
        if draw(st.booleans()):
            oc3s.append(
                oc3(
                    child,
                    _d(draw(st.integers(-8000, -6000))),
                    2024,
                    draw(st.sampled_from(["YES", "NO", "DIED", "RHOM", "REFU"])),
                    draw(st.sampled_from(["F1", "P4", "G5", "G6", "0"])),
                    draw(st.sampled_from(["U1", "B2", "G1", "R2", "0", ""])),
                )
            )
        for _ in range(draw(st.integers(0, 2))):
            s = draw(st.integers(1200, 1950))
            misses.append(
                miss(
                    child,
                    draw(st.sampled_from(["M", "A"])),
                    _d(s),
                    draw(st.sampled_from(["", _d(s + 1)])),
                )
            )
        for j in range(draw(st.integers(0, 3))):
            s = draw(st.integers(1200, 1900))
            sws.append(sw(child, f"SW{j % 2}{k}", _d(s), draw(st.sampled_from(["", _d(s + 60)]))))
    return eps, heads, oc2s, oc3s, misses, sws


# No shrink phase: one compute takes ~1 s, shrinking a failure would take minutes; the
# generated histories are small enough to read as they are.
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
)
@given(hist=histories(), d=st.sampled_from(PERIOD_ENDS))
def test_random_valid_histories_keep_the_contract(hist, d):
    from cppanalytics.indicators.catalogue import BREAKDOWN_GROUPS, CATALOGUE, CLA_AT_D, ids

    eps, heads, oc2s, oc3s, misses, sws = hist
    ds = dataset(eps, heads, oc2=oc2s, oc3=oc3s, missing=misses, sw_episodes=sws)
    res = run(
        ds,
        d,
        ids(),
        la_code="E06000042",
        population=pd.DataFrame({"year": [2022, 2023], "population": [50_000, 51_000]}),
    )
    assert set(res["indicator_id"]) == set(ids())
    for _, r in res.iterrows():
        num, den, val = r["numerator"], r["denominator"], r["value"]
        where = f"{r['indicator_id']} {r['group']!r}: num={num} den={den} value={val}"
        assert math.isnan(num) or num >= 0, where
        assert math.isnan(den) or den >= 0, where
        if r["unit"] == "percent":
            assert math.isnan(val) or 0 <= val <= 100, where
            if not (math.isnan(num) or math.isnan(den)):
                assert num <= den, where
                assert math.isnan(val) == (den == 0), where
        if r["unit"] == "count":
            assert val >= 0 and val == int(val), where
    counts = {
        i: res.loc[(res["indicator_id"] == i) & (res["group"] == ""), "value"].iloc[0]
        for i in ("cla_count", "cla_started", "cla_ceased", "cla_during")
    }
    assert counts["cla_count"] <= counts["cla_during"]
    assert counts["cla_started"] <= counts["cla_during"]
    assert counts["cla_ceased"] <= counts["cla_during"]
    assert counts["cla_during"] <= len(heads)
    for i, ind in CATALOGUE.items():
        if not ind.breakdown:
            continue
        rows = res[res["indicator_id"] == i]
        assert sorted(rows["group"]) == sorted(BREAKDOWN_GROUPS[ind.breakdown]), i
        # each breakdown adds up to its headline: children in care at D, leavers, starters,
        # else its own denominator (reviews held, foster children, moves, UASC)
        if i == "ceased_by_reason":
            total = counts["cla_ceased"]
        elif i == "started_by_prev_perm":
            total = counts["cla_started"]
        elif ind.cohort == CLA_AT_D:
            total = counts["cla_count"]
        else:
            total = rows["denominator"].iloc[0]
        assert (rows["denominator"] == total).all(), i
        assert rows["numerator"].sum() == total, f"{i} groups must add up to {total}"
    # once per window (r12 and fytd); at 31 March the two windows are the same one
    from cppanalytics.dates import window

    n_windows = len(
        {
            window("r12", pd.Timestamp(res["period_end"].iloc[0])),
            window("fytd", pd.Timestamp(res["period_end"].iloc[0])),
        }
    )
    assert len(res[res["indicator_id"] == "stability_3plus_placements"]) == n_windows


def test_only_short_breaks_compute_every_indicator() -> None:
    """A child whose only episode is a short break (V3, dropped before counting) leaves no
    episode, period or review: every indicator still computes (found by the test above: the
    review schedule and the placement moves failed on an empty table)."""
    from cppanalytics.indicators.catalogue import ids

    episode = {
        "CHILD": "C0", "DECOM": "21/12/2019", "RNE": "S", "LS": "V3", "CIN": "N8",
        "PLACE": "S1", "PLACE_PROVIDER": "PR1", "DEC": "", "REC": "", "REASON_PLACE_CHANGE": "",
        "HOME_POST": "", "PL_POST": "MK40 2AA", "URN": "",
    }  # fmt: skip
    header = {
        "CHILD": "C0", "SEX": "U", "DOB": "16/01/2019", "ETHNIC": "BAFR", "UPN": "",
        "MOTHER": "", "MC_DOB": "",
    }  # fmt: skip
    res = run(dataset([episode], [header]), "31/12/2023", ids(), la_code="E06000042")
    assert set(res["indicator_id"]) == set(ids())
    counts = res[res["indicator_id"].isin(["cla_count", "cla_during", "cla_started"])]
    assert (counts["value"] == 0).all() and len(counts) == 3
