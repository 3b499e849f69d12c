"""DfE file readers: suppression marks, both EES column styles, LAIT, the real 2025 files."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cppanalytics.judgement.dfe_files import ees_rows, ees_year, lait_rows, to_number

GEO = (
    "time_period,time_identifier,geographic_level,country_code,country_name,region_code,"
    "region_name,old_la_code,la_name,new_la_code"
)
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
    f = _write(
        tmp_path / "stab.csv",
        header,
        [
            f"{ENG},Children looked after at 31 March,With 3 or more placements during the year,8000,10",
            f"{ENG},Children looked after at 31 March,Total children,80000,100",
            f"{LA},Children looked after at 31 March,With 3 or more placements during the year,c,c",
            f"{LA},Children looked after at 31 March,Total children,400,100",
            f"{LON},Children looked after at 31 March,With 3 or more placements during the year,30,12",
            f"{LON},Children looked after at 31 March,Total children,250,100",
        ],
    )
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
    f = _write(
        tmp_path / "x.csv",
        header,
        [
            f"{la},CLA on 31 March,With 3 or more placements during the year,91,18",
            f"{la},CLA on 31 March,Total children,509,100",
            f"{la},Children looked after continuously for at least 2.5 years on 31 March aged under "
            f"16 years,Living with the same carer for at least 2 years,66,67",
            f"{la},Children looked after continuously for at least 2.5 years on 31 March aged under "
            f"16 years,Total children,98,100",
        ],
    )
    rows = ees_rows(f).set_index("indicator_id")
    assert rows.loc["stability_3plus_placements", ["numerator", "denominator"]].tolist() == [
        91,
        509,
    ]
    assert rows.loc["stability_long_term", "value"] == pytest.approx(66 / 98 * 100)
    assert (rows["year"] == 2025).all() and (rows["release"] == "2025").all()


def test_care_leavers_in_touch_is_cohort_less_not_known(tmp_path) -> None:
    header = GEO + ",care_leaver_age,breakdown,care_leaver_count,care_leaver_percent"
    f = _write(
        tmp_path / "cl.csv",
        header,
        [
            f"{LA},19 to 21 years,Total,200,100",
            f"{LA},19 to 21 years,Total information not known,8,4",
        ],
    )
    rows = ees_rows(f).set_index("indicator_id")
    assert rows.loc["care_leavers_in_touch_19_21", "numerator"] == 192
    assert rows.loc["care_leavers_in_touch_19_21", "value"] == pytest.approx(96.0)


def test_lait_rows(tmp_path) -> None:
    data = pd.DataFrame(
        {
            "Short Desc": ["LACDistance"] * 4 + ["RTA"],
            "Data item": [None] * 5,
            "Years": ["2025", "2025", "2025", "2023-24", "2025"],
            "LA and Regions": ["Milton Keynes", "England", "London (Inner)", "Milton Keynes", "x"],
            "Values": ["26", "18", "20", "30", "1"],
            "LA Number": [826.0, 970.0, 987.0, 826.0, 826.0],
            "Region": ["South East", "NA", "NA", "South East", "South East"],
        }
    )
    path = tmp_path / "bds_long_0.parquet"
    data.to_parquet(path)
    rows = lait_rows(path)
    assert sorted(rows.geography_level) == ["england", "la"]  # inner London and ranges dropped
    assert rows.set_index("geography_level").loc["la", "value"] == 26.0
    assert (rows.indicator_id == "placed_over_20_miles_outside").all()


@pytest.mark.shared
def test_real_2025_release(dfe_build) -> None:
    table, councils = dfe_build  # build_comparators(dfe_dir) (tests/judgement/conftest.py)
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
    # hand-checked against the national 2022 placement distance and locality file
    e22 = table[(table.geography_level == "england") & (table.year == 2022)].set_index(
        "indicator_id"
    )
    assert e22.loc["placed_within_20_miles", ["numerator", "denominator"]].tolist() == [
        59200,
        82170,
    ]
    assert e22.loc["placed_outside_la", "numerator"] == 18870 + 13550
    # LAIT's starters per 10,000, SGOs and UASC; UASC % recomputed from the counts
    assert mk.loc["cla_started_rate_per_10k", "value"] > 0
    assert mk.loc["sgo_count", "value"] >= 0
    assert mk.loc["cla_uasc", "value"] == pytest.approx(
        mk.loc["cla_uasc_count", "value"] / 509 * 100
    )
    # reorganised councils: successors present from their first returns, E-codes by year
    # (EES republishes 2021-23 under the new code; LAIT-only years get the code then in force)
    ny = table[(table.la_code_old == "815") & (table.indicator_id == "cla_count")]
    assert set(ny.loc[ny.year <= 2020, "la_code_new"]) == {"E10000023"}
    assert set(ny.loc[ny.year >= 2024, "la_code_new"]) == {"E06000065"}
    cumberland = table[(table.la_code_old == "942") & (table.indicator_id == "cla_count")]
    assert cumberland.dropna(subset=["value"]).year.min() >= 2024
    assert {"940", "941", "942", "943", "838", "839"} <= set(councils.old_code)


NAT = "time_period,time_identifier,geographic_level,country_code,country_name"
E22 = "2022,Reporting year,National,E92000001,England"


def test_national_distance_locality_sums_outside_parts(tmp_path) -> None:
    rows = [
        ("1.i 20 miles or less inside LA boundary", "400"),
        ("1.ii 20 miles or less outside LA boundary", "200"),
        ("2.i Over 20 miles inside LA boundary", "50"),
        ("2.ii Over 20 miles outside LA boundary", "150"),
        ("Distance not Known or not recorded", "200"),
        ("Total", "1000"),
        ("1. 20 miles or less", "600"),
    ]
    f = _write(
        tmp_path / "dist.csv",
        NAT + ",cla_group,characteristic,number,percentage",
        [f"{E22},All new placements,{c},{n},z" for c, n in rows]
        + [f"{E22},Foster placements,Total,800,100"],
    )
    out = ees_rows(f).set_index("indicator_id")
    assert out.loc["placed_within_20_miles", "value"] == pytest.approx(60.0)
    assert out.loc["placed_outside_la", ["numerator", "denominator"]].tolist() == [350, 1000]
    assert out.loc["placed_over_20_miles_outside", "value"] == pytest.approx(15.0)
    assert out.loc["cla_by_distance_locality.unknown", "value"] == pytest.approx(20.0)
    assert out.loc["cla_by_distance_locality.within_20_inside", "value"] == pytest.approx(40.0)


def test_a_suppressed_part_makes_a_sum_missing(tmp_path) -> None:
    f = _write(
        tmp_path / "dist.csv",
        NAT + ",cla_group,characteristic,number,percentage",
        [
            f"{E22},All new placements,1.ii 20 miles or less outside LA boundary,c,c",
            f"{E22},All new placements,2.ii Over 20 miles outside LA boundary,150,15",
            f"{E22},All new placements,Total,1000,100",
        ],
    )
    out = ees_rows(f).set_index("indicator_id")
    assert np.isnan(out.loc["placed_outside_la", "value"])  # not 15%


def test_national_reasons_previous_permanence_uasc(tmp_path) -> None:
    f = _write(
        tmp_path / "why.csv",
        NAT + ",cla_group,characteristic,reason_for_change,number,percentage",
        [
            f"{E22},Age,Total,All Placements,200,100",
            f"{E22},Age,Total,Carer requests placement ends due to child’s behaviour,30,15",
            f"{E22},Age,Total,Change to/Implementation of care plan,70,35",
            f"{E22},Age,1 to 4 years,Custody,5,k",
        ],
    )
    out = ees_rows(f).set_index("indicator_id")
    assert out.loc["placement_change_reason.CREQB", "value"] == pytest.approx(15.0)
    assert out.loc["placement_change_reason.CARPL", "value"] == pytest.approx(35.0)
    assert "placement_change_reason.CUSTOD" not in out.index  # only the all-ages total
    f = _write(
        tmp_path / "start.csv",
        NAT + ",cla_group,characteristic,number,percentage",
        [
            f"{E22},Previous permanence arrangement,Adoption,10,1",
            f"{E22},Previous permanence arrangement,No previous permanence option,700,70",
            f"{E22},Previous permanence arrangement,Unknown,270,27",
            f"{E22},Previous permanence arrangement,Total children,1000,100",
            f"{E22},Age group,Under 16 years,30,15",
            f"{E22},Age group,16 years and over,170,85",
            f"{E22},Age group,Total,200,100",
        ],
    )
    out = ees_rows(f).set_index("indicator_id")
    assert out.loc["started_by_prev_perm.none_or_unknown", "value"] == pytest.approx(97.0)
    assert out.loc["started_by_prev_perm.adoption", "value"] == pytest.approx(1.0)
    assert out.loc["cla_uasc_count", "value"] == 200
    assert out.loc["uasc_by_age.16+", "value"] == pytest.approx(85.0)


def test_derived_percentages_use_both_published_counts() -> None:
    from cppanalytics.judgement.comparators import derive_rows

    t = pd.DataFrame(
        {
            "indicator_id": [
                "cla_uasc_count",
                "cla_count",
                "cla_uasc_count",
                "cla_count",
                "adopted_within_12m_of_decision_count",
                "adopted_count",
            ],
            "year": [2025, 2025, 2024, 2024, 2025, 2025],
            "geography_level": ["la", "la", "la", "la", "england", "england"],
            "la_code_old": ["826", "826", "826", "826", "", ""],
            "region_code": [""] * 6,
            "value": [51.0, 509.0, 40.0, np.nan, 2150.0, 3040.0],
        }
    )
    out = derive_rows(t).set_index(["indicator_id", "year"])
    assert out.loc[("cla_uasc", 2025), "value"] == pytest.approx(51 / 509 * 100)
    assert ("cla_uasc", 2024) not in out.index  # no denominator published: no figure
    assert out.loc[("adoption_within_12m_of_decision", 2025), "value"] == pytest.approx(
        2150 / 3040 * 100
    )
