"""A hand-made judge()-shaped table for presentation tests (no pipeline needed).

Twelve quarter ends, 31 Dec 2023 … 30 Sep 2026. The figures at 30 Sep 2026 are chosen so
tests can check them by eye:

* ``cla_count`` 280 (30 Jun 2026: 268; 30 Sep 2025: 268; 31 Mar 2026: 275);
* ``stability_3plus_placements`` since 1 April: 34 of 280 (12.14%), target 10 → red;
  rolling 12 months: 40 of 280 (14.29%);
* ``health_assessment`` (annual): 31 Mar 2026 = 45 of 50 (90%), England 88;
* ``placed_within_20_miles`` 230 of 280; ``cla_by_distance_band`` by quarter;
* ``cla_by_age_band`` at 30 Sep 2026 and 30 Sep 2025, with a group of 3 children.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cppanalytics import dates
from cppanalytics.presentation.tables import add_window_kind
from cppanalytics.results import result_rows

QUARTERS = dates.quarter_ends("2023-12-31", "2026-09-30")
CLA = [240, 245, 250, 255, 258, 260, 262, 268, 270, 275, 268, 280]
S3_FYTD = [20, 26, 8, 14, 22, 27, 9, 15, 24, 30, 10, 34]
S3_R12 = [30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 39, 40]


def _judge_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """Fill the judgement columns the way judge() documents them (simplified)."""
    out = frame.copy()
    for col in (
        "england",
        "region",
        "neighbours",
        "target",
        "tolerance",
        "ci_low",
        "ci_high",
        "previous_quarter",
        "same_quarter_last_year",
        "last_march",
        "la_published",
        "rank",
        "n_councils",
        "comparator_year",
    ):
        out[col] = np.nan
    for col in (
        "quartile",
        "polarity",
        "rag",
        "direction_quarter",
        "direction_year",
        "significance_note",
    ):
        out[col] = ""
    key = ["indicator_id", "window_kind", "breakdown", "group"]
    out = add_window_kind(out)
    out = out.sort_values([*key, "period_end"]).reset_index(drop=True)
    for _, idx in out.groupby(key, sort=False).groups.items():
        part = out.loc[idx]
        by_date = dict(zip(part["period_end"], part["value"], strict=True))
        for i in idx:
            pe = out.at[i, "period_end"]
            out.at[i, "previous_quarter"] = by_date.get(dates.minus_months(pe, 3), np.nan)
            out.at[i, "same_quarter_last_year"] = by_date.get(dates.minus_years(pe, 1), np.nan)
            march = pd.Timestamp(
                year=pe.year if pe.month > 3 or (pe.month, pe.day) == (3, 31) else pe.year - 1,
                month=3,
                day=31,
            )
            out.at[i, "last_march"] = by_date.get(march, np.nan)
    return out.drop(columns="window_kind")


def build_judged() -> pd.DataFrame:
    parts = []
    for i, pe in enumerate(QUARTERS):
        point = (pe, pe)
        parts.append(result_rows("cla_count", pe, point, numerator=[CLA[i]], unit="count"))
        parts.append(
            result_rows(
                "cla_rate_per_10k",
                pe,
                point,
                numerator=[CLA[i]],
                denominator=[50_000],
                unit="rate_per_10k",
            )
        )
        parts.append(
            result_rows(
                "stability_3plus_placements",
                pe,
                dates.window("r12", pe),
                numerator=[S3_R12[i]],
                denominator=[CLA[i]],
                unit="percent",
            )
        )
        if not (pe.month == 3 and pe.day == 31):
            parts.append(
                result_rows(
                    "stability_3plus_placements",
                    pe,
                    dates.window("fytd", pe),
                    numerator=[S3_FYTD[i]],
                    denominator=[CLA[i]],
                    unit="percent",
                )
            )
        hv = (45, 50) if pe == pd.Timestamp("2026-03-31") else (40 + i % 3, 50)
        parts.append(
            result_rows(
                "health_assessment",
                pe,
                dates.window("r12", pe),
                numerator=[hv[0]],
                denominator=[hv[1]],
                unit="percent",
            )
        )
        parts.append(
            result_rows(
                "placed_within_20_miles",
                pe,
                point,
                numerator=[CLA[i] - 50],
                denominator=[CLA[i]],
                unit="percent",
            )
        )
        bands = [CLA[i] - 50, 20, 15, 10, 5]
        parts.append(
            result_rows(
                "cla_by_distance_band",
                pe,
                point,
                numerator=bands,
                denominator=[CLA[i]],
                unit="percent",
                breakdown="distance_band",
                groups=["0-20", "21-50", "51-100", "over 100", "unknown"],
            )
        )
        ages = [3, 40, 60, 100, CLA[i] - 203, 0]
        parts.append(
            result_rows(
                "cla_by_age_band",
                pe,
                point,
                numerator=ages,
                denominator=[CLA[i]],
                unit="percent",
                breakdown="age_band",
                groups=["under 1", "1-4", "5-9", "10-15", "16+", "unknown"],
            )
        )
        parts.append(
            result_rows(
                "adoption_a1_days",
                pe,
                dates.window("r36", pe),
                numerator=[12_000.0],
                denominator=[30],
                value=[400.0],
                unit="days",
            )
        )
    frame = _judge_columns(pd.concat(parts, ignore_index=True))
    s3 = frame["indicator_id"].eq("stability_3plus_placements")
    frame.loc[s3, "target"] = 10.0
    frame.loc[s3, "polarity"] = "down"
    frame.loc[s3, "england"] = 10.0
    frame.loc[s3, "neighbours"] = 11.0
    frame.loc[s3, "comparator_year"] = 2026
    frame.loc[s3, "rag"] = np.where(
        frame.loc[s3, "value"] > 11, "red", np.where(frame.loc[s3, "value"] > 10, "amber", "green")
    )
    ha = frame["indicator_id"].eq("health_assessment")
    frame.loc[ha, "england"] = 88.0
    frame.loc[ha, "target"] = 95.0
    frame.loc[ha, "rag"] = "amber"
    frame.loc[ha, "polarity"] = "up"
    return frame


@pytest.fixture(scope="session")
def judged_once() -> pd.DataFrame:
    """:func:`build_judged`, built once per test process (about 2 s of row-by-row filling);
    tests get copies through :func:`judged`."""
    return build_judged()


@pytest.fixture()
def judged(judged_once: pd.DataFrame) -> pd.DataFrame:
    """The judge()-shaped table described in the module docstring (a deep copy for each
    test, so a test changing it changes no other test's table)."""
    return judged_once.copy(deep=True)
