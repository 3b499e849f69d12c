"""published_series: the council's own published figures by year with England, region and
neighbours (Education section, England-only breakdown figures)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cppanalytics.judgement.judge import published_series
from cppanalytics.judgement.neighbours import load_neighbours, neighbours


def _table() -> pd.DataFrame:
    nbrs = neighbours("826", "2025", load_neighbours())
    rows = [
        ("ks2_rwm_expected", 2024, "england", "", "", 30.0),
        ("ks2_rwm_expected", 2025, "england", "", "", 32.0),
        ("ks2_rwm_expected", 2025, "region", "", "E12000008", 31.0),
        ("ks2_rwm_expected", 2025, "region", "", "E12000007", 99.0),  # another region
        ("ks2_rwm_expected", 2025, "la", "826", "E12000008", 25.0),
        ("ks2_rwm_expected", 2025, "la", nbrs[0], "E12000008", 20.0),
        ("ks2_rwm_expected", 2025, "la", nbrs[1], "E12000008", 40.0),
        ("ks2_rwm_expected", 2025, "la", "999", "E12000008", 90.0),  # not a neighbour
        ("cla_by_distance_locality.unknown", 2022, "england", "", "", 7.3),
        ("cla_count", 2025, "england", "", "", 81770.0),
    ]
    t = pd.DataFrame(
        rows,
        columns=["indicator_id", "year", "geography_level", "la_code_old", "region_code", "value"],
    )
    return t


def test_series_by_year_with_comparators() -> None:
    s = published_series(
        ["ks2_rwm_expected", "cla_by_distance_locality.unknown"],
        la_code="E06000042",
        comparators=_table(),
    )
    assert s[["indicator_id", "year"]].values.tolist() == [
        ["ks2_rwm_expected", 2024],
        ["ks2_rwm_expected", 2025],
        ["cla_by_distance_locality.unknown", 2022],
    ]
    row = s.iloc[1]
    assert (row["la_published"], row["england"], row["region"]) == (25.0, 32.0, 31.0)
    assert row["neighbours"] == pytest.approx(30.0)  # mean of 20 and 40, not 90
    assert np.isnan(s.iloc[0]["la_published"])  # England only that year
    assert s.iloc[2]["england"] == pytest.approx(7.3)
    assert s.iloc[0]["polarity"] == "up"


def test_median_and_since() -> None:
    s = published_series(
        ["ks2_rwm_expected"],
        la_code="826",
        comparators=_table(),
        neighbour_summary="median",
        since=2025,
    )
    assert s["year"].tolist() == [2025]
