"""The demo council's headline figures at 31 March fall inside the range of real councils.

Computed with the indicator engine on ``data/synthetic`` and checked against the min-max
of local-authority rows in DfE's published files under ``../shared/reference/dfe``
(skipped when that folder is absent).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

REPO = Path(__file__).resolve().parents[2]
DFE = REPO.parent / "shared" / "reference" / "dfe"
DEMO = REPO / "data" / "synthetic"
PERIOD_ENDS = ["2023-03-31", "2024-03-31", "2025-03-31", "2026-03-31"]

pytestmark = pytest.mark.shared


def _la_rows(name: str) -> pd.DataFrame:
    path = DFE / name
    if not path.exists():
        pytest.skip(f"{path} not available")
    frame = pd.read_csv(path, dtype=str, encoding="utf-8-sig")
    return frame[frame["geographic_level"] == "Local authority"]


def _span(values: pd.Series) -> tuple[float, float]:
    numbers = pd.to_numeric(values, errors="coerce").dropna()
    assert len(numbers) > 100, "expected one row per council"
    return float(numbers.min()), float(numbers.max())


def _ees(name: str, value: str, **where: str) -> tuple[float, float]:
    rows = _la_rows(name)
    for col, text in where.items():
        rows = rows[rows[col] == text]
    return _span(rows[value])


def _lait(short: str) -> tuple[float, float]:
    path = DFE / "lait" / "bds_long_0.parquet"
    if not path.exists():
        pytest.skip(f"{path} not available")
    long = pd.read_parquet(path)
    rows = long[(long["Short Desc"] == short) & long["LA Number"].notna()]
    return _span(rows["Values"])


def dfe_ranges() -> dict[str, tuple[float, float]]:
    """indicator id (or breakdown group) → (min, max) over councils and years."""
    stab = "ees-2025/la_cla_placement_stability.csv"
    leavers = "ees-2025/la_care_leavers_activity.csv"
    accom = "ees-2025/la_care_leavers_accommodation_suitability.csv"
    eet = "Total in education, employment or training"
    suitable = "Accommodation considered suitable"
    return {
        "cla_rate_per_10k": _ees(
            "ees-2025/cla_number_and_rate_per_10k_children.csv",
            "rate_per_10000",
            population_type="Children looked after on 31 March each year",
        ),
        "stability_3plus_placements": _ees(
            stab,
            "children_percent",
            cla_group="CLA on 31 March",
            placement_stability="With 3 or more placements during the year",
        ),
        "stability_long_term": _ees(
            stab,
            "children_percent",
            placement_stability="Living with the same carer for at least 2 years",
        ),
        "sdq_average": _ees(
            "ees-2025/la_conviction_health_outcome_cla.csv",
            "children_count",
            breakdown="SDQ average score",
        ),
        "care_leavers_eet_17_18": _ees(
            leavers, "care_leaver_percent", breakdown=eet, care_leaver_age="17 to 18 years"
        ),
        "care_leavers_eet_19_21": _ees(
            leavers, "care_leaver_percent", breakdown=eet, care_leaver_age="19 to 21 years"
        ),
        "care_leavers_suitable_accom_17_18": _ees(
            accom, "care_leaver_percent", breakdown=suitable, care_leaver_age="17 to 18 years"
        ),
        "care_leavers_suitable_accom_19_21": _ees(
            accom, "care_leaver_percent", breakdown=suitable, care_leaver_age="19 to 21 years"
        ),
        "missing_children_pct": _ees(
            "ees-2022/la_children_who_were_missing_or_away_from_placement_without_authorisation.csv",
            "number",
            cla_group="Percentage of children who had a missing incident during the year",
        ),
        "placed_over_20_miles_outside": _lait("LACDistance"),
        "foster": _lait("LAC_Foster_Placements"),
        "with_parents": _lait("LAC_Parents_OR_Others"),
    }


@pytest.fixture(scope="module")
def figures() -> pd.DataFrame:
    if not DFE.exists():
        pytest.skip("../shared reference data not available")
    from cppanalytics.indicators import compute
    from cppanalytics.ssda903 import load

    ids = [k for k in dfe_ranges() if k not in ("foster", "with_parents")]
    ids += ["cla_by_placement_group", "cla_count"]
    results = compute(
        load(DEMO), PERIOD_ENDS, ids=ids, population=DEMO / "population.csv", la_code="E06000042"
    )
    headline = results[results["breakdown"].isna() | (results["breakdown"] == "")]
    headline = headline.drop_duplicates(["indicator_id", "period_end"])  # r12 row first
    groups = results[results["breakdown"] == "placement_group"]
    rows = pd.concat(
        [
            headline[["indicator_id", "period_end", "value"]],
            groups.assign(indicator_id=groups["group"])[["indicator_id", "period_end", "value"]],
        ]
    )
    return rows


def test_council_is_mid_sized(figures: pd.DataFrame) -> None:
    counts = figures[figures["indicator_id"] == "cla_count"]["value"]
    assert len(counts) == len(PERIOD_ENDS)
    assert counts.between(300, 500).all(), counts.tolist()


HEADLINES = [
    "cla_rate_per_10k",
    "stability_3plus_placements",
    "stability_long_term",
    "sdq_average",
    "care_leavers_eet_17_18",
    "care_leavers_eet_19_21",
    "care_leavers_suitable_accom_17_18",
    "care_leavers_suitable_accom_19_21",
    "missing_children_pct",
    "placed_over_20_miles_outside",
    "foster",
    "with_parents",
]


@pytest.mark.parametrize("indicator", HEADLINES)
def test_headline_inside_range_of_real_councils(figures: pd.DataFrame, indicator: str) -> None:
    low, high = dfe_ranges()[indicator]
    values = figures.loc[figures["indicator_id"] == indicator, "value"].astype(float)
    assert len(values) == len(PERIOD_ENDS), f"{indicator} not computed"
    outside = values[(values < low) | (values > high)]
    assert outside.empty, f"{indicator}: {values.round(1).tolist()} outside DfE range {low}-{high}"
