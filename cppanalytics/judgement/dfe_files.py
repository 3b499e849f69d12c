"""Read DfE's published files into tidy comparator rows.

Two sources are understood:

* **explore-education-statistics (EES) CSVs** — both the 2022-style columns
  (``number``/``percentage``, categories in ``cla_group``/``characteristic``) and the
  2025-style ones (``*_count``/``*_percent``, ``breakdown``, ``care_leaver_age``,
  ``placement_stability`` …), plus the wide key-stage files (``ks2_la.csv``,
  ``ks4_la.csv``) and the wide ``cla_number_and_rate_per_10k_children.csv``.
  Files are recognised by their content, not their names (councils rename downloads).
* **LAIT long data** (``bds_long_0.parquet`` + ``lait_data_dictionary.csv``).

Every published figure becomes one row of :data:`TIDY_COLUMNS` per (indicator, year,
geography). Suppression marks (``c x z k u low .. : - *`` and anything else that is not a
number) become NaN, never 0. Years are 31 March years: ``2025`` stays 2025; an academic
year ``202425`` becomes 2025 (the key-stage cohort is children looked after at 31 March
2025).

Where a numerator and a denominator are published, ``value`` is recomputed from them
(DfE rounds published percentages to whole numbers); otherwise the published figure is
kept. Care leavers "in touch" is derived as the cohort less those whose activity is
"information not known" (DfE does not publish IN_TOUCH = YES directly).

Examples
--------
>>> to_number(pd.Series(["12", "c", "x", "0", " 1,234 ", "low", ".."])).tolist()
[12.0, nan, nan, 0.0, 1234.0, nan, nan]
>>> ees_year(pd.Series(["2025", "202425"])).tolist()
[2025, 2025]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from cppanalytics.errors import CppError
from cppanalytics.geography.councils import standard_region

#: the tidy comparator table's columns, in order
TIDY_COLUMNS: list[str] = [
    "indicator_id",
    "year",
    "geography_level",
    "la_code_old",
    "la_code_new",
    "la_name",
    "region_code",
    "region_name",
    "value",
    "numerator",
    "denominator",
    "source",
    "release",
]
#: DfE's suppression and not-applicable marks (all read as missing, never 0)
SUPPRESSION_MARKS: frozenset[str] = frozenset(
    {
        "c",
        "x",
        "z",
        "k",
        "u",
        "low",
        "..",
        ":",
        "-",
        "*",
        "~",
        "",
        "na",
        "n/a",
        "dns",
        "ne",
        "supp",
        "null",
    }
)
_LEVELS = {"national": "england", "regional": "region", "local authority": "la"}
_GEO = [
    "year",
    "geography_level",
    "la_code_old",
    "la_code_new",
    "la_name",
    "region_code",
    "region_name",
]
_TIME_GEO = {
    "time_period",
    "time_identifier",
    "geographic_level",
    "country_code",
    "country_name",
    "region_code",
    "region_name",
    "old_la_code",
    "la_name",
    "new_la_code",
    "version",
}


def to_number(values: pd.Series) -> pd.Series:
    """Published text → float; suppression marks and any other non-number → NaN.

    Thousands separators, ``%`` and surrounding spaces are ignored.

    Examples
    --------
    >>> to_number(pd.Series(["71", "z", "9.3699999999999992", "15%"])).tolist()
    [71.0, nan, 9.37, 15.0]
    """
    text = values.astype("str").str.strip().str.replace(",", "", regex=False)
    text = text.str.replace("%", "", regex=False)
    return pd.to_numeric(text, errors="coerce").astype("float64")


def ees_year(time_period: pd.Series) -> pd.Series:
    """EES ``time_period`` → 31 March year (``2024`` → 2024, ``202324`` → 2024).

    Examples
    --------
    >>> ees_year(pd.Series(["201819"])).tolist()
    [2019]
    """
    text = time_period.astype("str").str.strip()
    first = pd.to_numeric(text.str[:4], errors="coerce")
    academic = text.str.fullmatch(r"\d{6}")
    return (first + academic.astype(int)).astype("Int64")


@dataclass(frozen=True)
class LongRule:
    """A measure published as rows (one row per category) with count/percent columns.

    ``numerator``/``denominator``/``published`` are regular expressions matched (whole,
    case-insensitive) against the row key: the row's category values joined by ``" | "``.
    ``kind``: ``percent`` (value = num/den × 100, else the published percent), ``count``,
    ``score`` (value read from the ``published`` row's count column) or ``complement``
    (numerator = denominator − the ``numerator`` row: e.g. care leavers in touch).
    ``sum``: add up every row the numerator pattern matches (children placed outside the
    council = 20 miles or less outside + over 20 miles outside); otherwise one row is kept.
    """

    indicator_id: str
    numerator: str | None
    denominator: str | None = None
    kind: str = "percent"
    published: str | None = None
    sum: bool = False


@dataclass(frozen=True)
class WideRule:
    """A measure published as columns of one row, selected by ``filter_col == filter_value``."""

    indicator_id: str
    filter_col: str
    filter_value: str
    numerator: str | None
    denominator: str | None
    value: str
    kind: str = "percent"


_TOTAL_CLA31 = r"(cla on|children looked after at) 31 march \| total children"
_HEALTH = r"health assessments: .* \| "
_SDQ = r"ages 5 to 16 years with sdq score \| "
LONG_RULES: list[LongRule] = [
    LongRule(
        "stability_3plus_placements",
        r"(cla on|children looked after at) 31 march \| with 3 or more placements during "
        r"the year",
        _TOTAL_CLA31,
    ),
    LongRule(
        "stability_long_term",
        r"children looked after continuously for at least 2\.5 years .* \| living (with the "
        r"same carer|in the same placement) for at least 2 years.*",
        r"children looked after continuously for at least 2\.5 years .* \| total children",
    ),
    LongRule(
        "stability_2yr_3plus",
        r"cla 2 years on 31 march \| with 3 or more placements during the previous 2 years",
        r"cla 2 years on 31 march \| total children",
    ),
    LongRule(
        "health_assessment",
        _HEALTH + "had their annual health assessment",
        _HEALTH + "total all ages",
    ),
    LongRule(
        "immunisations", _HEALTH + "had their immunisations up to date", _HEALTH + "total all ages"
    ),
    LongRule(
        "dental_check", _HEALTH + "had their teeth checked by a dentist", _HEALTH + "total all ages"
    ),
    LongRule(
        "development_assessment",
        r"development assessments: .* \| development assessments up to date",
        r"development assessments: .* \| total ages 0 to 4 years",
    ),
    LongRule(
        "convictions",
        r"convictions: .* \| convicted or subject to .*",
        r"convictions: .* \| total ages 10 to 17 years",
    ),
    LongRule(
        "substance_misuse",
        r"substance misuse: .* \| identified as having a substance misuse problem",
        r"substance misuse: .* \| total all ages",
    ),
    LongRule("sdq_completed", _SDQ + "sdq score was received", _SDQ + "total ages 5 to 16 years"),
    LongRule("sdq_borderline", _SDQ + "sdq score is borderline", _SDQ + "sdq score was received"),
    LongRule(
        "sdq_concern", _SDQ + "sdq score is a cause for concern", _SDQ + "sdq score was received"
    ),
    LongRule(
        "sdq_average", None, _SDQ + "sdq score was received", "score", _SDQ + "sdq average score"
    ),
    LongRule(
        "sw_3plus", r"cla on 31 march \| 3 or more social workers during the year", _TOTAL_CLA31
    ),
    LongRule(
        "missing_children_pct",
        "children who had a missing incident during the year",
        "children looked after during the year",
        "percent",
        "percentage of children who had a missing incident during the year",
    ),
    LongRule(
        "away_children_pct",
        "children who were away from placement without authorisation during the year",
        "children looked after during the year",
        "percent",
        "percentage of children who were away from placement without authorisation during the year",
    ),
    LongRule("missing_incidents", "number of missing incidents during the year", None, "count"),
    LongRule("cla_during", "children looked after during the year", None, "count"),
    LongRule(
        "missing_incidents_per_child",
        "number of missing incidents during the year",
        "children who had a missing incident during the year",
        "score",
        "average number of missing incidents per looked after child who went missing",
    ),
]


def _care_leaver_rules(
    age: str, eet: str, neet: str, in_touch: str, suitable_accom: str
) -> list[LongRule]:
    """The four care-leaver rules of one age group (DfE's ``17 to 18``/``19 to 21`` rows)."""
    return [
        LongRule(
            eet,
            rf"{age} years \| total in education, employment or training",
            rf"{age} years \| total",
        ),
        LongRule(
            neet,
            rf"{age} years \| total not in education, employment or training",
            rf"{age} years \| total",
        ),
        LongRule(
            in_touch,
            rf"{age} years \| total information not known",
            rf"{age} years \| total",
            "complement",
        ),
        LongRule(
            suitable_accom,
            rf"{age} years \| accommodation considered suitable",
            rf"{age} years \| suitability total",
        ),
    ]


LONG_RULES += _care_leaver_rules(
    "17 to 18",
    "care_leavers_eet_17_18",
    "care_leavers_neet_17_18",
    "care_leavers_in_touch_17_18",
    "care_leavers_suitable_accom_17_18",
)
LONG_RULES += _care_leaver_rules(
    "19 to 21",
    "care_leavers_eet_19_21",
    "care_leavers_neet_19_21",
    "care_leavers_in_touch_19_21",
    "care_leavers_suitable_accom_19_21",
)

# --- national-only tables (England): placement distance and locality, UASC, previous
# permanence of starters, reasons for placement change. Breakdown comparators take the id
# ``<indicator>.<group>`` (see comparators.breakdown_id).
_DIST = r"all new placements \| "
LONG_RULES += [
    LongRule("placed_within_20_miles", _DIST + r"1\. 20 miles or less", _DIST + "total"),
    LongRule(
        "placed_outside_la",
        _DIST + r"(1\.ii 20 miles or less|2\.ii over 20 miles) outside la boundary",
        _DIST + "total",
        sum=True,
    ),
    LongRule(
        "placed_over_20_miles_outside",
        _DIST + r"2\.ii over 20 miles outside la boundary",
        _DIST + "total",
    ),
]
DISTANCE_LOCALITY: dict[str, str] = {
    "within_20_inside": r"1\.i 20 miles or less inside la boundary",
    "within_20_outside": r"1\.ii 20 miles or less outside la boundary",
    "over_20_inside": r"2\.i over 20 miles inside la boundary",
    "over_20_outside": r"2\.ii over 20 miles outside la boundary",
    "unknown": r"distance not known or not recorded",
}
LONG_RULES += [
    LongRule(f"cla_by_distance_locality.{g}", _DIST + pat, _DIST + "total")
    for g, pat in DISTANCE_LOCALITY.items()
]
LONG_RULES += [
    LongRule("cla_uasc_count", r"age group \| total", None, "count"),
    LongRule("uasc_by_age.under 16", r"age group \| under 16 years", r"age group \| total"),
    LongRule("uasc_by_age.16+", r"age group \| 16 years and over", r"age group \| total"),
]
_PP = r"previous permanence arrangement \| "
PREVIOUS_PERMANENCE: dict[str, str] = {
    "adoption": "adoption",
    "sgo": "special guardianship order",
    "residence_cao": "residence or child arrangement order",
    "none_or_unknown": "(no previous permanence option|unknown)",
}
LONG_RULES += [
    LongRule(
        f"started_by_prev_perm.{g}", _PP + pat, _PP + "total children", sum=g == "none_or_unknown"
    )
    for g, pat in PREVIOUS_PERMANENCE.items()
]
#: DfE's reason-for-placement-change wording → REASON_PLACE_CHANGE code
PLACEMENT_CHANGE_REASONS: dict[str, str] = {
    "CARPL": "Change to/Implementation of care plan",
    "CLOSE": "Resignation or closure of provision",
    "ALLEG": "Allegation (s47)",
    "STAND": "Standards of care concern",
    "APPRR": "Approval removed",
    "CREQB": "Carer requests placement ends due to child's behaviour",
    "CREQO": "Carer requests placement end other than due to child's behaviour",
    "CHILD": "Child requests placement to end",
    "LAREQ": "Responsible/Area authority requests placement to end",
    "PLACE": "Change in the status of a placement only",
    "CUSTOD": "Custody",
    "OTHER": "Other",
}
LONG_RULES += [
    LongRule(
        f"placement_change_reason.{code}",
        r"age \| total \| " + re.escape(text.lower()).replace("'", "['’]"),
        r"age \| total \| all placements",
    )
    for code, text in PLACEMENT_CHANGE_REASONS.items()
]
# adoption stages file: children placed within 12 months of the decision (a count; the
# percentage is derived with the year's adoptions in comparators.derive_rows)
LONG_RULES.append(
    LongRule(
        "adopted_within_12m_of_decision_count",
        r"age on starting final period of care \| children adopted who were placed for adoption "
        r"within 12 months of the la decision to place the child for adoption \| total",
        None,
        "count",
    )
)

_POP = "population_type"
_KS = ("social_care_group", "cla 12 months at 31 march")
WIDE_RULES: list[WideRule] = [
    WideRule(
        "cla_count",
        _POP,
        "children looked after on 31 march each year",
        "children_count",
        None,
        "children_count",
        "count",
    ),
    WideRule(
        "cla_rate_per_10k",
        _POP,
        "children looked after on 31 march each year",
        "children_count",
        "population_estimate",
        "rate_per_10000",
        "rate",
    ),
    WideRule(
        "cla_started",
        _POP,
        "children starting to be looked after each year",
        "children_count",
        None,
        "children_count",
        "count",
    ),
    WideRule(
        "cla_ceased",
        _POP,
        "children ceasing to be looked after each year",
        "children_count",
        None,
        "children_count",
        "count",
    ),
    WideRule(
        "cla_started_rate_per_10k",
        _POP,
        "children starting to be looked after each year",
        "children_count",
        "population_estimate",
        "rate_per_10000",
        "rate",
    ),
    WideRule(
        "cla_ceased_rate_per_10k",
        _POP,
        "children ceasing to be looked after each year",
        "children_count",
        "population_estimate",
        "rate_per_10000",
        "rate",
    ),
    WideRule(
        "ks2_rwm_expected",
        *_KS,
        "t_rwm_met_expected_standard",
        "t_rwm_eligible_pupils",
        "pt_rwm_met_expected_standard",
    ),
    WideRule("ks4_attainment8", *_KS, "t_att8", "t_pupils", "avg_att8", "score"),
    WideRule("ks4_english_maths_9_4", *_KS, "t_l2basics_94", "t_pupils", "pt_l2basics_94"),
]

#: LAIT ``Short Desc`` → indicator id (used where EES files do not give the figure)
LAIT_MEASURES: dict[str, str] = {
    "LACnum": "cla_count",
    "LAC": "cla_rate_per_10k",
    "LACnum_Start": "cla_started",
    "LACceased": "cla_ceased",
    "LACStable_2016on": "stability_3plus_placements",
    "LAC_LongStable%": "stability_long_term",
    "LACDistance": "placed_over_20_miles_outside",
    "LACHealth%": "health_assessment",
    "LACVaccinations%": "immunisations",
    "LACDental%": "dental_check",
    "LAC_Convictions": "convictions",
    "LACSubstance": "substance_misuse",
    "Emotional_LAC": "sdq_average",
    "CareLeaverEET": "care_leavers_eet_19_21",
    "CareLeaversNEET": "care_leavers_neet_19_21",
    "CareLeaverAcc": "care_leavers_suitable_accom_19_21",
    "Children_missing": "missing_children_pct",
    "Children_Away": "away_children_pct",
    "%_of LAC Adopted": "adopted_pct_of_ceased",
    "Stability_SocialWorker": "sw_3plus",
    "LAC_KS2_ExpStd_RWM": "ks2_rwm_expected",
    "LAC_KS4_AVG_Attain8": "ks4_attainment8",
    "LAC_EngMaths9-4": "ks4_english_maths_9_4",
    "LAC_Start_Rate": "cla_started_rate_per_10k",
    "LAC_Cease_Rate": "cla_ceased_rate_per_10k",
    "Unacc_Asylmn_Seek_Childn": "cla_uasc_count",
    "Unacc_Asylmn_Seek_Childn%": "cla_uasc",
    "UASC_%_Starting": "cla_started_uasc",
    "No_of LAC Adopted": "adopted_count",
    "LAC_ceased_SGO": "sgo_count",
    "LAC_ceased_SGO%": "sgo_pct_of_ceased",
    "LAC_KS2_ExpStd_R": "ks2_reading_expected",
    "LAC_KS2_ExpStd_W": "ks2_writing_expected",
    "LAC_KS2_ExpStd_M": "ks2_maths_expected",
    "LAC_KS4_AVG_Prog8": "ks4_progress8",
    "LAC_Over_Abs": "cla_overall_absence",
    "LAC_Unauth": "cla_unauthorised_absence",
    "LAC_Pers_Abs": "cla_persistent_absence",
    "LAC_Fixed_ Ex": "cla_suspended",
    "LAC_SEN": "cla_sen_support",
    "LAC_SEN_Statement": "cla_ehcp",
    "Stability_School": "cla_school_move_midyear",
    "LAC_Foster_Placements": "cla_in_foster_care",
}
#: LAIT's numeric codes for England and the regions
LAIT_ENGLAND = 970
LAIT_REGIONS: dict[int, str] = {
    980: "E12000001",
    981: "E12000002",
    982: "E12000003",
    983: "E12000004",
    984: "E12000005",
    985: "E12000006",
    986: "E12000007",
    989: "E12000008",
    990: "E12000009",
}


def _key(text: pd.Series) -> pd.Series:
    return text.str.lower().str.replace(r"\s+", " ", regex=True).str.strip()


def read_ees(path: str | Path) -> pd.DataFrame:
    """Read one EES CSV as text with normalised column names and geography.

    Returns an empty frame when the file is not an EES data file (no ``time_period`` or
    ``geographic_level``). Adds ``year`` (31 March year), ``geography_level``
    (``england``/``region``/``la``; other levels dropped), ``la_code_old``,
    ``la_code_new``, ``la_name``, ``region_code``, ``region_name`` (Inner/Outer London
    folded into London for council rows).

    Raises
    ------
    CppError
        the file cannot be read as CSV.
    """
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise CppError(
            f"{path}: cannot read as a CSV file ({exc}); download it again from "
            f"explore-education-statistics"
        ) from None
    frame.columns = [c.strip().lower() for c in frame.columns]
    if not {"time_period", "geographic_level"} <= set(frame.columns):
        return pd.DataFrame()
    level = frame["geographic_level"].str.strip().str.lower().map(_LEVELS)
    frame = frame[level.notna()].copy()
    frame["geography_level"] = level[level.notna()]
    frame["year"] = ees_year(frame["time_period"])
    for src, dst in (
        ("old_la_code", "la_code_old"),
        ("new_la_code", "la_code_new"),
        ("la_name", "la_name"),
        ("region_code", "region_code"),
        ("region_name", "region_name"),
    ):
        frame[dst] = frame[src].str.strip() if src in frame.columns else ""
    frame.loc[frame.geography_level == "england", ["region_code", "region_name"]] = ""
    frame.loc[frame.geography_level != "la", ["la_code_old", "la_code_new", "la_name"]] = ""
    la = frame.geography_level == "la"
    london = la & frame.region_code.isin(["E13000001", "E13000002"])
    frame.loc[london, "region_code"] = "E12000007"
    frame.loc[london, "region_name"] = "London"
    region = frame.geography_level == "region"
    frame = frame[~(region & ~frame.region_code.str.startswith("E12"))]
    if "version" in frame.columns:  # key stage files: Final beats Revised/Provisional
        order = frame["version"].str.lower().map({"final": 2, "revised": 1}).fillna(0)
        frame = frame.assign(_v=order).sort_values("_v").drop(columns="_v")
    return frame.reset_index(drop=True)


def _value_columns(frame: pd.DataFrame) -> tuple[str | None, str | None]:
    cols = list(frame.columns)
    count = "number" if "number" in cols else next((c for c in cols if c.endswith("_count")), None)
    pct = (
        "percentage"
        if "percentage" in cols
        else next((c for c in cols if c.endswith("_percent")), None)
    )
    return count, pct


def _category_key(frame: pd.DataFrame, count: str, pct: str | None) -> pd.Series:
    skip = _TIME_GEO | set(_GEO) | {count, pct}
    cats = [c for c in frame.columns if c not in skip and not c.startswith(("t_", "pt_", "avg_"))]
    cats = [c for c in cats if not c.endswith(("_count", "_percent", "_estimate"))]
    if not cats:
        return pd.Series("", index=frame.index)
    joined = frame[cats[0]].astype("str")
    if len(cats) > 1:
        joined = joined.str.cat([frame[c].astype("str") for c in cats[1:]], sep=" | ")
    return _key(joined)


def _pick(
    frame: pd.DataFrame,
    key: pd.Series,
    pattern: str | None,
    cols: dict[str, str],
    total: bool = False,
) -> pd.DataFrame | None:
    if pattern is None:
        return None
    regex = re.compile(pattern, re.IGNORECASE)
    wanted = [k for k in key.unique() if regex.fullmatch(k)]
    rows = frame[key.isin(wanted)]
    out = rows[_GEO].copy()
    for src, dst in cols.items():
        out[dst] = to_number(rows[src]) if src else np.nan
    if total:  # a suppressed part makes the sum unknown, never an undercount
        out = out.assign(_k=key[rows.index]).drop_duplicates([*_GEO, "_k"], keep="last")
        return (
            out.drop(columns="_k")
            .groupby(_GEO, as_index=False, dropna=False)
            .agg(lambda v: v.sum() if v.notna().all() else np.nan)
        )
    return out.drop_duplicates(_GEO, keep="last")


def _combine(parts: dict[str, pd.DataFrame | None]) -> pd.DataFrame | None:
    present = [p for p in parts.values() if p is not None]
    if not present or all(p.empty for p in present):
        return None
    out = None
    for frame in present:
        out = frame if out is None else out.merge(frame, on=_GEO, how="outer")
    return out


def _finish(out: pd.DataFrame, indicator_id: str, kind: str, source: str) -> pd.DataFrame:
    for col in ("numerator", "denominator", "published"):
        if col not in out.columns:
            out[col] = np.nan
    computed: np.ndarray | float = np.nan
    with np.errstate(divide="ignore", invalid="ignore"):
        if kind == "percent":
            computed = np.where(
                out["denominator"] > 0, out["numerator"] / out["denominator"] * 100, np.nan
            )
        elif kind == "rate":
            computed = np.where(
                out["denominator"] > 0, out["numerator"] / out["denominator"] * 10_000, np.nan
            )
        elif kind == "count":
            computed = out["numerator"].to_numpy()
    value = out["published"].to_numpy() if kind == "score" else computed
    if kind != "score":
        value = np.where(np.isnan(value), out["published"].to_numpy(), value)
    out = out.assign(indicator_id=indicator_id, value=value, source=source)
    return out


def ees_rows(path: str | Path) -> pd.DataFrame:
    """Tidy comparator rows for every mapped measure found in one EES CSV.

    Examples
    --------
    >>> ees_rows("no-such-file.csv")  # doctest: +SKIP
    """
    frame = read_ees(path)
    if frame.empty:
        return pd.DataFrame(columns=TIDY_COLUMNS)
    source = f"ees:{Path(path).name}"
    pieces: list[pd.DataFrame] = []
    count, pct = _value_columns(frame)
    if count is not None:
        key = _category_key(frame, count, pct)
        for rule in LONG_RULES:
            num_cols = {count: "numerator"}
            if rule.kind == "percent" and pct:
                num_cols[pct] = "published"
            parts = {
                "num": _pick(
                    frame,
                    key,
                    rule.numerator,
                    {count: "numerator"} if rule.sum else num_cols,
                    rule.sum,
                ),
                "den": _pick(frame, key, rule.denominator, {count: "denominator"}),
                "pub": _pick(frame, key, rule.published, {count: "published"}),
            }
            if parts["num"] is None or parts["num"].empty:
                if rule.kind != "score" or parts["pub"] is None or parts["pub"].empty:
                    continue
            if parts["den"] is not None and parts["den"].empty and rule.kind != "count":
                if parts["pub"] is None or parts["pub"].empty:
                    continue
            if (
                rule.kind == "percent"
                and parts["pub"] is not None
                and pct
                and parts["num"] is not None
            ):
                parts["num"] = parts["num"].drop(columns="published", errors="ignore")
            out = _combine(parts)
            if out is None:
                continue
            if rule.kind == "complement":
                out["numerator"] = out["denominator"] - out["numerator"]
                out["published"] = np.nan
                kind = "percent"
            else:
                kind = rule.kind
            pieces.append(_finish(out, rule.indicator_id, kind, source))
    for wide in WIDE_RULES:
        needed = {wide.filter_col, wide.value} | {
            c for c in (wide.numerator, wide.denominator) if c
        }
        if not needed <= set(frame.columns):
            continue
        rows = frame[_key(frame[wide.filter_col]) == wide.filter_value]
        if rows.empty:
            continue
        out = rows[_GEO].copy()
        out["numerator"] = to_number(rows[wide.numerator]) if wide.numerator else np.nan
        out["denominator"] = to_number(rows[wide.denominator]) if wide.denominator else np.nan
        out["published"] = to_number(rows[wide.value])
        out = out.drop_duplicates(_GEO, keep="last")
        pieces.append(_finish(out, wide.indicator_id, wide.kind, source))
    if not pieces:
        return pd.DataFrame(columns=TIDY_COLUMNS)
    tidy = pd.concat(pieces, ignore_index=True)
    tidy["release"] = str(int(frame["year"].max()))
    return tidy[TIDY_COLUMNS]


def lait_rows(parquet: str | Path, dictionary: str | Path | None = None) -> pd.DataFrame:
    """Tidy comparator rows from LAIT's long data for the measures in :data:`LAIT_MEASURES`.

    Only single 31 March years (``2025``) are used; multi-year and academic-year ranges are
    skipped. England is LA number 970 and the regions 980–990 (Inner/Outer London 987/988
    dropped). ``dictionary`` is checked, when given, for the measures' presence.

    Raises
    ------
    CppError
        the parquet file lacks LAIT's columns.
    """
    data = pd.read_parquet(parquet)
    needed = {"Short Desc", "Years", "Values", "LA Number", "LA and Regions"}
    if not needed <= set(data.columns):
        raise CppError(
            f"{parquet}: not LAIT long data (needs columns {sorted(needed)}); "
            f"download bds_long from the LAIT page"
        )
    if dictionary is not None:
        known = set(pd.read_csv(dictionary, usecols=["Measure_short"])["Measure_short"])
        missing = sorted(set(LAIT_MEASURES) - known)
        if len(missing) == len(LAIT_MEASURES):
            raise CppError(f"{dictionary}: none of the expected LAIT measures are listed")
    data = data[data["Short Desc"].isin(list(LAIT_MEASURES))]
    data = data[data["Years"].astype("str").str.fullmatch(r"\d{4}")]
    code = data["LA Number"].astype("Int64")
    level = np.select(
        [code == LAIT_ENGLAND, code.isin(list(LAIT_REGIONS)), code < 900 + 50],
        ["england", "region", "la"],
        default="",
    )
    level = pd.Series(level, index=data.index)
    level = level.mask(code.isin([987, 988]), "")
    level = level.mask((code >= 970) & (level == "la"), "")
    out = pd.DataFrame(
        {
            "indicator_id": data["Short Desc"].map(LAIT_MEASURES),
            "year": data["Years"].astype(int),
            "geography_level": level,
            "la_code_old": code.astype("str").where(level == "la", ""),
            "la_name": data["LA and Regions"].where(level == "la", ""),
            "value": to_number(data["Values"]),
        }
    )
    out = out[out.geography_level != ""]
    reg = code[out.index].map(LAIT_REGIONS)
    out["region_code"] = reg.fillna("").astype("str")
    out["region_name"] = [standard_region(c)[1] if c else "" for c in out["region_code"]]
    out["la_code_new"] = ""
    out["numerator"] = np.nan
    out["denominator"] = np.nan
    out["source"] = f"lait:{Path(parquet).name}"
    out["release"] = str(int(out["year"].max())) if len(out) else ""
    out["la_name"] = out["la_name"].str.replace(r"\s*\(Pre LG\)$", "", regex=True)
    return out[TIDY_COLUMNS].reset_index(drop=True)


def find_sources(folder: str | Path) -> dict[str, list[Path]]:
    """The CSVs and LAIT files under ``folder`` (searched recursively).

    Returns ``{"csv": [...], "lait": [parquet...], "dictionary": [...]}``.

    Raises
    ------
    CppError
        the folder does not exist or holds no usable file.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise CppError(
            f"{folder}: no such folder; give the folder holding the DfE files "
            f"downloaded from explore-education-statistics and LAIT"
        )
    csvs = sorted(p for p in folder.rglob("*.csv") if not re.search(r"dictionary", p.name, re.I))
    lait = sorted(folder.rglob("bds_long*.parquet"))
    dictionary = sorted(folder.rglob("lait_data_dictionary.csv"))
    if not csvs and not lait:
        raise CppError(f"{folder}: no CSV or LAIT parquet files found")
    return {"csv": csvs, "lait": lait, "dictionary": dictionary}
