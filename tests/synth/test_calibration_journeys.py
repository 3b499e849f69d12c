"""The demo council's journeys look like a real council's beyond the headline figures.

Adoptions and their timeliness, special guardianship, UASC share and ages, missing incidents
per child, reasons for leaving care, placement moves by reason and reviews on time, on
``data/synthetic`` over the four full years 2022-23 … 2025-26, checked against DfE's
published figures under ``../shared/reference/dfe`` (skipped when absent):

- where DfE publishes a figure per council: inside the 5th-95th percentile of council-years
  (2018 on), so that one extreme council does not make the check meaningless;
- where DfE publishes England only: England's figure (mean of its years) plus or minus a
  stated tolerance, wide enough for a council of ~170 leavers a year and no wider.

Reviews on time are not published by DfE; the check is a stated band (see README).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

REPO = Path(__file__).resolve().parents[2]
DFE = REPO.parent / "shared" / "reference" / "dfe"
DEMO = REPO / "data" / "synthetic"
YEARS = (2023, 2024, 2025, 2026)
PERIOD_ENDS = [f"{y}-03-31" for y in YEARS]

pytestmark = pytest.mark.shared


def _need(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path} not available")
    return path


@pytest.fixture(scope="module")
def lait() -> pd.DataFrame:
    from cppanalytics.judgement.dfe_files import lait_rows

    return lait_rows(
        _need(DFE / "lait" / "bds_long_0.parquet"), _need(DFE / "lait" / "lait_data_dictionary.csv")
    )


def _ees(name: str) -> pd.DataFrame:
    from cppanalytics.judgement.dfe_files import ees_rows

    return ees_rows(_need(DFE / name))


def council_range(rows: pd.DataFrame, indicator: str) -> tuple[float, float]:
    """5th-95th percentile of one indicator over council-years from 2018."""
    values = rows.loc[
        (rows["indicator_id"] == indicator)
        & (rows["geography_level"] == "la")
        & (rows["year"].astype(int) >= 2018),
        "value",
    ].dropna()
    assert len(values) > 100, f"{indicator}: expected one row per council and year"
    return float(values.quantile(0.05)), float(values.quantile(0.95))


def england(rows: pd.DataFrame, indicator: str) -> pd.Series:
    """England's figure by year."""
    out = rows[(rows["indicator_id"] == indicator) & (rows["geography_level"] == "england")]
    return out.set_index(out["year"].astype(int))["value"].astype(float)


@pytest.fixture(scope="module")
def results() -> pd.DataFrame:
    if not DFE.exists():
        pytest.skip("../shared reference data not available")
    from cppanalytics.indicators import compute
    from cppanalytics.ssda903 import load

    ids = [
        "adopted_count",
        "adopted_pct_of_ceased",
        "sgo_count",
        "cla_ceased",
        "adoption_within_12m_of_decision",
        "cla_uasc",
        "missing_incidents_per_child",
        "ceased_by_reason",
        "reviews_held_on_time",
    ]
    return compute(
        load(DEMO), PERIOD_ENDS, ids=ids, population=DEMO / "population.csv", la_code="E06000042"
    )


def headline(results: pd.DataFrame, indicator: str) -> pd.Series:
    rows = results[
        (results["indicator_id"] == indicator)
        & (results["breakdown"].isna() | (results["breakdown"] == ""))
    ]
    rows = rows.drop_duplicates("period_end")
    assert len(rows) == len(PERIOD_ENDS), f"{indicator} not computed"
    return rows.set_index("period_end")["value"].astype(float)


def read_years(table: str, years: tuple[int, ...] = YEARS) -> pd.DataFrame:
    """A 903 table over ``years`` (default the four full years; ``year`` = collection year
    of 31 March)."""
    from cppanalytics.ssda903.dataset import FILE_NAMES

    parts = []
    for y in years:
        path = DEMO / f"{y - 1}-{y % 100:02d}" / f"{FILE_NAMES[table]}.csv"
        parts.append(pd.read_csv(path, dtype=str, keep_default_na=False).assign(year=y))
    return pd.concat(parts, ignore_index=True)


def dates(values: pd.Series) -> pd.Series:
    return pd.to_datetime(values.replace("", None), format="%d/%m/%Y")


# ---- inside the range of real councils -------------------------------------------------------


@pytest.mark.parametrize(
    ("indicator", "lait_id"),
    [
        ("adopted_count", "adopted_count"),
        ("adopted_pct_of_ceased", "adopted_pct_of_ceased"),
        ("cla_uasc", "cla_uasc"),
    ],
)
def test_inside_council_range(
    results: pd.DataFrame, lait: pd.DataFrame, indicator: str, lait_id: str
) -> None:
    low, high = council_range(lait, lait_id)
    values = headline(results, indicator)
    assert values.between(low, high).all(), f"{indicator} {values.tolist()} vs {low}-{high}"


def test_sgo_share_of_leavers_inside_council_range(
    results: pd.DataFrame, lait: pd.DataFrame
) -> None:
    low, high = council_range(lait, "sgo_pct_of_ceased")
    share = headline(results, "sgo_count") / headline(results, "cla_ceased") * 100
    assert share.between(low, high).all(), (share.round(1).tolist(), low, high)


def test_missing_incidents_per_child_inside_council_range(results: pd.DataFrame) -> None:
    rows = _ees(
        "ees-2022/la_children_who_were_missing_or_away_from_placement_without_authorisation.csv"
    )
    low, high = council_range(rows, "missing_incidents_per_child")
    values = headline(results, "missing_incidents_per_child")
    assert values.between(low, high).all(), (values.tolist(), low, high)


def test_uasc_share_of_starters_inside_council_range(lait: pd.DataFrame) -> None:
    low, high = council_range(lait, "cla_started_uasc")
    eps, uasc = read_years("episodes"), read_years("uasc")
    starts = eps[
        (eps["RNE"] == "S")
        & ~eps["LS"].isin(["V3", "V4"])
        & (
            dates(eps["DECOM"]).dt.year * 12 + dates(eps["DECOM"]).dt.month
            > (eps["year"] - 1) * 12 + 3
        )
    ]
    starters = starts.drop_duplicates(["year", "CHILD"])
    share = starters["CHILD"].isin(uasc["CHILD"]).groupby(starters["year"]).mean() * 100
    assert share.between(low, high).all(), (share.round(1).tolist(), low, high)


# ---- England's figure plus or minus a tolerance --------------------------------------------------


def test_adoption_timeliness_near_england(results: pd.DataFrame, lait: pd.DataFrame) -> None:
    """England: ~73% of adopted children placed within 12 months of the decision (±15 points
    on the four-year mean; about 15 adoptions a year make one year's figure move ±12)."""
    within = england(
        _ees("ees-2025/national_cla_adopted_average_time_between_adoption_process_stages.csv"),
        "adopted_within_12m_of_decision_count",
    )
    adopted = england(lait, "adopted_count")
    target = float((within / adopted.reindex(within.index)).dropna().mean() * 100)
    values = headline(results, "adoption_within_12m_of_decision")
    assert (values < 100).any(), "every adoption on time: not like a real council"
    assert abs(values.mean() - target) <= 15, (values.tolist(), round(target, 1))


#: reason groups of leaving care (cppanalytics.care.groups) → DfE's national wording
LEAVING_GROUPS: dict[str, tuple[str, ...]] = {
    "adopted": ("Adopted",),
    "sgo": ("Special guardianship order",),
    "residence_cao": ("Residence order or child arrangement order granted",),
    "returned_home": (
        "Returned home to live with parents or other person with parental responsibility "
        "which was part of the care planning process",
        "Returned home to live with parents or other person with parental responsibility "
        "which was not part of the care planning process",
        "Left care to live with parents, relatives or other person with no parental responsibility",
    ),
    "independent_living": (
        "Moved into independent living (with supportive accommodation)",
        "Moved into independent living (with no formalised support)",
    ),
}


def test_reasons_for_leaving_care_near_england(results: pd.DataFrame) -> None:
    """Each reason group within 6 points of England's share (mean of 2018-2022)."""
    path = _need(DFE / "ees-2022" / "national_cla_who_ceased_during_the_year.csv")
    nat = pd.read_csv(path, dtype=str, encoding="utf-8-sig")
    nat = nat[nat["cla_group"] == "Reason episode ceased"]
    nat = nat.assign(pct=pd.to_numeric(nat["percentage"], errors="coerce").fillna(0))
    rows = results[results["indicator_id"] == "ceased_by_reason"]
    ours = rows.groupby("group")["value"].mean()
    for group, wording in LEAVING_GROUPS.items():
        target = nat[nat["characteristic"].isin(wording)].groupby("time_period")["pct"].sum()
        assert abs(ours.get(group, 0.0) - target.mean()) <= 6, (
            group,
            ours.get(group),
            target.mean(),
        )


def test_uasc_ages_near_england() -> None:
    """UASC looked after at 31 March aged 16+: England ~85% (2018-2022), ±10 points."""
    rows = _ees(
        "ees-2022/national_cla_on_31_march_who_were_unaccompanied_asylum_seeking_children.csv"
    )
    target = float(england(rows, "uasc_by_age.16+").mean())
    eps, uasc, header = read_years("episodes"), read_years("uasc"), read_years("header")
    march = pd.to_datetime(eps["year"].astype(str) + "-03-31")
    at_end = eps[
        (dates(eps["DECOM"]) <= march) & (dates(eps["DEC"]).isna() | (dates(eps["DEC"]) > march))
    ]
    at_end = at_end[at_end["CHILD"].isin(uasc["CHILD"])].drop_duplicates(["year", "CHILD"])
    dob = at_end.merge(header[["year", "CHILD", "DOB"]], on=["year", "CHILD"])
    march = pd.to_datetime(dob["year"].astype(str) + "-03-31")
    born = dates(dob["DOB"])
    age = (
        march.dt.year
        - born.dt.year
        - ((march.dt.month * 100 + march.dt.day) < (born.dt.month * 100 + born.dt.day))
    )
    assert len(age) > 40
    share = float((age >= 16).mean() * 100)
    assert abs(share - target) <= 10, (round(share, 1), round(target, 1))


def test_placement_moves_by_reason_near_england() -> None:
    """Share of placement changes by reason: within 5 points, or half England's share for
    the small ones (England, 2018-2022 mean)."""
    rows = _ees("ees-2022/national_reason_for_placement_change_during_year.csv")
    national = rows[rows["geography_level"] == "england"]
    national = national[national["indicator_id"].str.startswith("placement_change_reason.")]
    target = national.groupby("indicator_id")["value"].mean()
    target.index = target.index.str.removeprefix("placement_change_reason.")
    eps = read_years("episodes")
    ended = eps[(eps["REC"] == "X1") & (eps["REASON_PLACE_CHANGE"] != "")]
    ended = ended.drop_duplicates(["CHILD", "DECOM"])
    ours = ended["REASON_PLACE_CHANGE"].value_counts(normalize=True) * 100
    assert len(ended) > 300
    for reason, share in target.items():
        tolerance = max(5.0, share / 2) if share >= 5 else max(1.5, share)
        assert abs(ours.get(reason, 0.0) - share) <= tolerance, (reason, ours.get(reason), share)


# ---- reviews on time (no DfE figure: a stated band) -------------------------------------------

#: share of reviews held within DfE's timescales expected of a real council (README)
REVIEWS_ON_TIME = (80.0, 97.0)


def test_reviews_held_on_time_inside_band(results: pd.DataFrame) -> None:
    """Reviews held on time by DfE's timescales (the engine's ``reviews_held_on_time``:
    first within 20 working days, second within 3 months, then 6-monthly)."""
    values = headline(results, "reviews_held_on_time")
    assert values.between(*REVIEWS_ON_TIME).all(), values.tolist()
