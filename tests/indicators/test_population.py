"""Population and flow indicators: hand-worked cases through ``compute``."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from cppanalytics.errors import CppError
from cppanalytics.findings import Findings
from cppanalytics.indicators import compute
from cppanalytics.indicators.catalogue import BREAKDOWN_GROUPS
from cppanalytics.indicators.population import read_population
from tests.care.build import dataset, ep, hdr, nums, value

D = "2024-03-31"


def flows_dataset():
    # fytd at 31/03/2024 = 01/04/2023..31/03/2024
    # A: in care since 2020, open                      -> at D
    # B: started 01/04/2023, left 31/03/2024 E11       -> started, ceased (adopted), not at D
    # C: started 01/05/2023, left 01/06/2023 E4A, back 01/06/2023, left 01/09/2023 E45
    #    -> started once, ceased once (last exit: E45 -> sgo)
    # E: started 31/03/2023 (before window), open      -> at D, not started
    # F: short breaks only                             -> nowhere
    # G: X1 chain broken 01/06/2023, next 01/07/2023   -> not ceased (no exit), but a period of
    #    care starts 01/07/2023, so G is a start (spec: cla_started counts periods starting)
    return dataset(
        [
            ep("A", "01/01/2020"),
            ep("B", "01/04/2023", "31/03/2024", "E11", place="A4", ls="E1"),
            ep("C", "01/05/2023", "01/06/2023", "E4A"),
            ep("C", "01/06/2023", "01/09/2023", "E45"),
            ep("E", "31/03/2023"),
            ep("F", "01/06/2023", "05/06/2023", "E13", ls="V3"),
            ep("G", "01/01/2022", "01/06/2023", "X1"),
            ep("G", "01/07/2023", rne="P"),
        ],
        [
            hdr("A", "15/06/2023"),
            hdr("B", "01/01/2020"),
            hdr("C", "01/01/2010"),
            hdr("E", "31/03/2008", sex="2", ethnic="BAFR"),
            hdr("G", "01/04/2008", sex="U", ethnic=""),
        ],
    )


def test_counts_and_flows():
    r = compute(flows_dataset(), D)
    assert nums(r, "cla_count")[0] == 3  # A, E, G
    assert nums(r, "cla_started")[0] == 3  # B, C (C counted once), G (new period)
    assert nums(r, "cla_ceased")[0] == 2  # B, C (once); G's broken chain is no exit
    assert nums(r, "cla_during")[0] == 5  # A, B, C, E, G
    row = value(r, "cla_count")
    assert row["window_start"] == row["window_end"] == pd.Timestamp(D)
    assert value(r, "cla_started")["window_start"] == pd.Timestamp("2023-04-01")


def test_ceased_by_reason_every_group_and_last_exit():
    r = compute(flows_dataset(), D, ids=["ceased_by_reason"])
    assert r["group"].tolist() == BREAKDOWN_GROUPS["reason"]
    got = dict(zip(r["group"], r["numerator"], strict=True))
    assert got["adopted"] == 1 and got["sgo"] == 1 and got["returned_home"] == 0
    assert set(r["denominator"]) == {2.0}
    assert value(r, "ceased_by_reason", "adopted")["value"] == 50.0


def test_breakdowns_of_cla_count():
    r = compute(flows_dataset(), D)
    # ages at D: A 0 (born 15/06/2023), E 16 (birthday on D counts), G 15 (16 on 01/04/2024)
    ages = r[r["indicator_id"] == "cla_by_age_band"].set_index("group")["numerator"]
    assert ages.to_dict() == {"under 1": 1, "1-4": 0, "5-9": 0, "10-15": 1, "16+": 1, "unknown": 0}
    sex = r[r["indicator_id"] == "cla_by_sex"].set_index("group")["numerator"].to_dict()
    assert sex == {"male": 1, "female": 1, "unknown": 1}
    eth = r[r["indicator_id"] == "cla_by_ethnic_group"].set_index("group")["numerator"]
    assert eth["white"] == 1 and eth["black"] == 1 and eth["not_known"] == 1
    assert value(r, "cla_by_sex", "male")["value"] == pytest.approx(100 / 3)
    for bd in ("placement_group", "legal_status", "provider", "cin"):
        rows = r[r["breakdown"] == bd]
        assert rows["group"].tolist() == BREAKDOWN_GROUPS[bd]
        assert set(rows["denominator"]) == {3.0}


def test_placement_group_uses_held_placement_and_legal_status_groups():
    ds = dataset(
        [
            ep("1", "01/01/2023", "01/03/2024", "X1", place="K2"),
            ep("1", "01/03/2024", rne="P", place="T1", ls="C1"),
            ep("2", "01/01/2023", ls="E1", place="A5"),
            ep("3", "01/01/2023", ls="J2", place="R5"),
            ep("4", "01/01/2023", ls="L2", place="Z11"),
        ]
    )
    r = compute(ds, D, ids=["cla_by_placement_group", "cla_by_legal_status"])
    pg = r[r["breakdown"] == "placement_group"].set_index("group")["numerator"].to_dict()
    assert pg["secure_childrens_homes_semi_independent"] == 1  # the T1 child held K2
    assert pg["placed_for_adoption"] == 1 and pg["other_residential"] == 1
    assert pg["other"] == 1 and pg["foster"] == 0
    ls = r[r["breakdown"] == "legal_status"].set_index("group")["numerator"].to_dict()
    assert ls == {
        "care_order": 1,
        "placement_order": 1,
        "voluntary": 0,
        "child_protection": 1,
        "youth_justice": 1,
        "other": 0,
    }


def test_missing_provider_is_unknown_with_finding():
    ds = dataset([ep("1", "01/01/2023", provider=""), ep("2", "01/01/2023", provider="PR4")])
    f = Findings()
    r = compute(ds, D, ids=["cla_by_provider"], findings=f)
    assert r["numerator"].sum() == 2 and set(r["denominator"]) == {2.0}
    by = r.set_index("group")["numerator"]
    assert by["unknown"] == 1 and by["PR4"] == 1
    assert f.to_frame()["code"].tolist() == ["code_missing_breakdown"]


def test_unknown_cin_code_is_unknown_and_breakdowns_add_up():
    ds = dataset(
        [
            ep("1", "01/01/2023", cin="N9"),
            ep("2", "01/01/2023", cin="N2"),
            ep("3", "01/01/2023", cin=""),
            ep("4", "01/01/2023", provider="PR9"),
        ]
    )
    r = compute(ds, D, ids=["cla_count", "cla_by_cin", "cla_by_provider"])
    total = r.loc[r.indicator_id == "cla_count", "value"].item()
    for iid in ("cla_by_cin", "cla_by_provider"):
        assert r.loc[r.indicator_id == iid, "numerator"].sum() == total == 4
    cin = r[r.indicator_id == "cla_by_cin"].set_index("group")["numerator"]
    assert cin["unknown"] == 2 and cin["N2"] == 1
    provider = r[r.indicator_id == "cla_by_provider"].set_index("group")["numerator"]
    assert provider["unknown"] == 1


def test_uasc_current_at_d():
    # 1: UASC, DUC blank; 2: DUC after D; 3: DUC on D (no longer UASC at D); 4: not UASC
    ds = dataset(
        [ep(c, "01/01/2023") for c in "1234"],
        uasc=[
            {"CHILD": "1", "DUC": ""},
            {"CHILD": "2", "DUC": "01/04/2024"},
            {"CHILD": "3", "DUC": "31/03/2024"},
        ],
    )
    r = compute(ds, D, ids=["cla_uasc"])
    assert nums(r, "cla_uasc") == (2, 4)
    assert value(r, "cla_uasc")["value"] == 50.0


def test_rate_per_10k_population_year_rule():
    ds = dataset([ep(str(i), "01/01/2023") for i in range(5)])
    pop = pd.DataFrame({"year": [2022, 2023], "population": [40000, 50000]})
    # D 31/03/2024: FY 2023-24 began in 2023 -> mid-2023 population: 5/50000*10000 = 1.0
    r = compute(ds, D, ids=["cla_rate_per_10k"], population=pop)
    assert value(r, "cla_rate_per_10k")["value"] == pytest.approx(1.0)
    assert value(r, "cla_rate_per_10k")["note"] == ""
    # D 30/06/2024: FY began 2024, not available -> 2023 used, flagged
    r = compute(ds, "2024-06-30", ids=["cla_rate_per_10k"], population=pop)
    assert value(r, "cla_rate_per_10k")["value"] == pytest.approx(1.0)
    assert value(r, "cla_rate_per_10k")["note"] == "population 2023 used; 2024 not available"
    # no population at all: empty value with a note
    r = compute(ds, D, ids=["cla_rate_per_10k"])
    assert math.isnan(value(r, "cla_rate_per_10k")["value"])
    assert value(r, "cla_rate_per_10k")["note"] == "no population data supplied"


def test_population_csv_with_council_column_and_bad_values(tmp_path):
    path = tmp_path / "population.csv"
    path.write_text("year,population,la_code\n2023,50000,E06000042\n2023,90000,E06000001\n")
    assert read_population(path, "E06000042")["population"].tolist() == [50000.0]
    with pytest.raises(CppError, match="several councils"):
        read_population(path, None)
    bad = tmp_path / "bad.csv"
    bad.write_text("year,population\n2023,lots\n")
    with pytest.raises(CppError, match=r"bad.csv: row 2, column population"):
        read_population(bad)
    with pytest.raises(CppError, match="lacks column"):
        read_population(pd.DataFrame({"yr": [2023]}))


def test_starters_and_leavers_per_10k_over_the_rolling_12_months():
    # D = 30/09/2024: r12 = 01/10/2023..30/09/2024; population of 2024 (year the financial
    # year began) = 20,000.
    # S1 starts 01/10/2023 (the window's first day)       -> starter
    # S2 starts 30/09/2023 (the day before), left 30/09/2024 E13 (on D) -> leaver, not starter
    # S3 starts 30/09/2024 (on D)                           -> starter
    # S4 starts 01/11/2023, leaves 01/12/2023, starts again 01/02/2024 -> one starter, one leaver
    ds = dataset(
        [
            ep("S1", "01/10/2023"),
            ep("S2", "30/09/2023", "30/09/2024", "E13"),
            ep("S3", "30/09/2024"),
            ep("S4", "01/11/2023", "01/12/2023", "E13"),
            ep("S4", "01/02/2024"),
        ]
    )
    pop = pd.DataFrame({"year": [2024], "population": [20000.0]})
    r = compute(
        ds,
        "2024-09-30",
        ids=["cla_started_rate_per_10k", "cla_ceased_rate_per_10k", "cla_started"],
        population=pop,
    )
    assert nums(r, "cla_started_rate_per_10k") == (3, 20000)
    assert value(r, "cla_started_rate_per_10k")["value"] == pytest.approx(1.5)
    assert nums(r, "cla_ceased_rate_per_10k") == (2, 20000)
    assert value(r, "cla_ceased_rate_per_10k")["value"] == pytest.approx(1.0)
    assert value(r, "cla_started_rate_per_10k")["window_start"] == pd.Timestamp("2023-10-01")
    # the count stays a running total since 1 April 2024: only S3 started since then
    assert value(r, "cla_started")["value"] == 1


def test_child_aged_18_at_period_end_is_not_looked_after():
    # A: 18th birthday on D (31/03/2024), still open -> not counted, finding.
    # B: 18th birthday the day after D -> 17 at D, counted. C: 13, counted.
    # At the previous quarter end A was 17 -> counted there, no finding for it.
    ds = dataset(
        [ep("A", "01/01/2020"), ep("B", "01/01/2020"), ep("C", "01/01/2020")],
        [hdr("A", "31/03/2006"), hdr("B", "01/04/2006"), hdr("C", "01/01/2011")],
    )
    f = Findings()
    r = compute(ds, ["2023-12-31", D], ids=["cla_count", "cla_by_age_band"], findings=f)
    counts = r[r.indicator_id == "cla_count"].set_index("period_end")["value"]
    assert counts[pd.Timestamp("2023-12-31")] == 3 and counts[pd.Timestamp(D)] == 2
    ages = r[(r.indicator_id == "cla_by_age_band") & (r.period_end == pd.Timestamp(D))]
    assert ages["numerator"].sum() == 2  # the breakdown agrees with the count
    found = f.to_frame()
    adult = found[found.code == "looked_after_18_plus"]
    assert adult["child"].tolist() == ["A"] and "31/03/2024" in adult["message"].item()


def test_child_already_18_when_a_window_starts_is_not_looked_after_during_it():
    # A: 18 on 01/01/2023, episode never closed -> not in care during 2023-24.
    # B: 18 on 01/06/2023, inside the window -> looked after during it (before the birthday).
    ds = dataset(
        [ep("A", "01/01/2020"), ep("B", "01/01/2020")],
        [hdr("A", "01/01/2005"), hdr("B", "01/06/2005")],
    )
    f = Findings()
    r = compute(ds, D, ids=["cla_during"], findings=f)
    assert r["value"].tolist() == [1.0]
    adult = f.to_frame().query("code == 'looked_after_18_plus'")
    assert set(adult["child"]) == {"A", "B"}  # B is 18 at D, A at the window start
