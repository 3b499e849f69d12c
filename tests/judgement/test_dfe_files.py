"""DfE file readers: suppression marks, both EES column styles, LAIT, the real 2025 files."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cppanalytics.judgement.comparators import build_comparators
from cppanalytics.judgement.dfe_files import ees_rows, ees_year, lait_rows, to_number

GEO = ("time_period,time_identifier,geographic_level,country_code,country_name,region_code,"
       "region_name,old_la_code,la_name,new_la_code")
ENG = "2022,Reporting year,National,E92000001,England,,,,,"
LA = "2022,Reporting year,Local authority,E92000001,England,E12000008,South East,826,Milton Keynes,E06000042"
LON = "2022,Reporting year,Local authority,E92000001,England,E13000001,Inner London,202,Camden,E09000007"


def test_suppression_marks_are_missing_never_zero() -> None:
    marks = ["c", "x", "z", "k", "u", "low", "..", ":", "-", "", "C", " x "]
    out = to_number(pd.Series(marks))
    assert out.isna().all()
    assert to_number(pd.Series(["0", "0.0"])).tolist() == [0.0, 0.0]


def test_year_conventions() -> None:
    assert ees_year(pd.Series(["2022", "202122", "201920"])).tolist() == [2022, 2022, 2020]


def _write(path, header: str, rows: list[str]) -> str:
    path.write_text("\ufeff" + header + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return str(path)


def test_2022_style_columns(tmp_path) -> None:
    header = GEO + ",cla_group,characteristic,number,percentage"
    f = _write(tmp_path / "stab.csv", header, [
        f"{ENG},Children looked after at 31 March,With 3 or more placements during the year,8000,10",
        f"{ENG},Children looked after at 31 March,Total children,80000,100",
        f"{LA},Children looked after at 31 March,With 3 or more placements during the year,c,c",
        f"{LA},Children looked after at 31 March,Total children,400,100",
        f"{LON},Children looked after at 31 March,With 3 or more placements during the year,30,12",
        f"{LON},Children looked after at 31 March,Total children,250,100",
    ])
    rows = ees_rows(f).set_index(["geography_level", "la_code_old"])
    assert rows.loc[("england", ""), "value"] == pytest.approx(10.0)
    mk = rows.loc[("la", "826")]
    assert np.isnan(mk["value"]) and np.isnan(mk["numerator"]) and mk["denominator"] == 400
    camden = rows.loc[("la", "202")]
    assert camden["value"] == pytest.approx(12.0)  # 30/250 recomputed
    assert camden["region_code"] == "E12000007"  # Inner London folded into London
    assert set(rows["indicator_id"]) == {"stability_3plus_placements"}


def test_2025_style_columns(tmp_path) -> None:
    header = GEO + ",cla_group,placement_stability,children_count,children_percent"
    la = LA.replace("2022,", "2025,", 1)
    f = _write(tmp_path / "x.csv", header, [
        f"{la},CLA on 31 March,With 3 or more placements during the year,91,18",
        f"{la},CLA on 31 March,Total children,509,100",
        f"{la},Children looked after continuously for at least 2.5 years on 31 March aged under "
        f"16 years,Living with the same carer for at least 2 years,66,67",
        f"{la},Children looked after continuously for at least 2.5 years on 31 March aged under "
        f"16 years,Total children,98,100",
    ])
    rows = ees_rows(f).set_index("indicator_id")
    assert rows.loc["stability_3plus_placements", ["numerator", "denominator"]].tolist() == [91, 509]
    assert rows.loc["stability_long_term", "value"] == pytest.approx(66 / 98 * 100)
    assert (rows["year"] == 2025).all() and (rows["release"] == "2025").all()


def test_care_leavers_in_touch_is_cohort_less_not_known(tmp_path) -> None:
    header = GEO + ",care_leaver_age,breakdown,care_leaver_count,care_leaver_percent"
    f = _write(tmp_path / "cl.csv", header, [
        f"{LA},19 to 21 years,Total,200,100",
        f"{LA},19 to 21 years,Total information not known,8,4",
    ])
    rows = ees_rows(f).set_index("indicator_id")
    assert rows.loc["care_leavers_in_touch_19_21", "numerator"] == 192
    assert rows.loc["care_leavers_in_touch_19_21", "value"] == pytest.approx(96.0)


def test_lait_rows(tmp_path) -> None:
    data = pd.DataFrame({
        "Short Desc": ["LACDistance"] * 4 + ["RTA"],
        "Data item": [None] * 5,
        "Years": ["2025", "2025", "2025", "2023-24", "2025"],
        "LA and Regions": ["Milton Keynes", "England", "London (Inner)", "Milton Keynes", "x"],
        "Values": ["26", "18", "20", "30", "1"],
        "LA Number": [826.0, 970.0, 987.0, 826.0, 826.0],
        "Region": ["South East", "NA", "NA", "South East", "South East"],
    })
    path = tmp_path / "bds_long_0.parquet"
    data.to_parquet(path)
    rows = lait_rows(path)
    assert sorted(rows.geography_level) == ["england", "la"]  # inner London and ranges dropped
    assert rows.set_index("geography_level").loc["la", "value"] == 26.0
    assert (rows.indicator_id == "placed_over_20_miles_outside").all()


@pytest.mark.shared
def test_real_2025_release(dfe_dir) -> None:
    table, councils = build_comparators(dfe_dir)
    key = ["indicator_id", "year", "geography_level", "la_code_old", "region_code"]
    assert not table.duplicated(key).any()
    mk = table[(table.la_code_old == "826") & (table.year == 2025)].set_index("indicator_id")
    # hand-checked against la_conviction_health_outcome_cla.csv: 253 of 281
    assert mk.loc["health_assessment", ["numerator", "denominator"]].tolist() == [253, 281]
    assert mk.loc["cla_count", "value"] == 509
    assert mk.loc["placed_over_20_miles_outside", "value"] == 26  # LAIT only
    # MK's KS2 figure for 2025 is suppressed ('c'): missing, not 0
    assert np.isnan(mk.loc["ks2_rwm_expected", "value"])
    eng = table[(table.geography_level == "england") & (table.year == 2025)]
    assert len(eng.indicator_id.unique()) >= 25
    # reorganised councils: successors present from their first returns, E-codes by year
    # (EES republishes 2021-23 under the new code; LAIT-only years get the code then in force)
    ny = table[(table.la_code_old == "815") & (table.indicator_id == "cla_count")]
    assert set(ny.loc[ny.year <= 2020, "la_code_new"]) == {"E10000023"}
    assert set(ny.loc[ny.year >= 2024, "la_code_new"]) == {"E06000065"}
    cumberland = table[(table.la_code_old == "942") & (table.indicator_id == "cla_count")]
    assert cumberland.dropna(subset=["value"]).year.min() >= 2024
    assert {"940", "941", "942", "943", "838", "839"} <= set(councils.old_code)
