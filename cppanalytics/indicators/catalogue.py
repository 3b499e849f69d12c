"""The indicator catalogue: every id, its unit, polarity, default window and definition.

This is the single place where polarity (is higher better?) and the other facts about an
indicator are declared; results, benchmarks, targets, RAG and the report all join on ``id``.
Definitions paraphrase ``shared/spec/indicators.md`` (the project's reference).

Examples
--------
>>> CATALOGUE["stability_3plus_placements"].polarity
'down'
>>> len(ids()) == len(set(ids()))
True
>>> get("care_leavers_eet_19_21").unit
'percent'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Unit = Literal["count", "percent", "rate_per_10k", "days", "score", "ratio"]
Polarity = Literal["up", "down", "neither"]


@dataclass(frozen=True)
class Indicator:
    """One catalogue entry.

    Attributes
    ----------
    id
        stable identifier (never renamed).
    title
        short label for tables and charts.
    unit
        ``count``, ``percent`` (0–100), ``rate_per_10k``, ``days``, ``score``, ``ratio``.
    polarity
        ``up`` = higher is better, ``down`` = lower is better, ``neither``.
    window
        default window: ``point`` (at D), ``fytd``, ``r12``, ``q``, ``r24``, ``r36``.
    section
        report section key: ``population``, ``stability``, ``location``, ``health``,
        ``care_leavers``, ``adoption``, ``missing``, ``social_workers``.
    breakdown
        breakdown name for breakdown indicators (``age_band`` ...), else ``""``.
    definition
        plain-English definition for the report's definitions section.
    cohort
        the children it is about, in plain English.
    running_total
        True when the figure over a window from 1 April grows through the year (starters,
        leavers, adoptions, missing, 3+ placements since 1 April): before 31 March it is
        never rated, ranked or compared with full-year figures
        (:mod:`cppanalytics.judgement.judge`).
    """

    id: str
    title: str
    unit: Unit
    polarity: Polarity
    window: str
    section: str
    definition: str
    cohort: str = ""
    breakdown: str = ""
    running_total: bool = False


#: Exact breakdown group labels, in display order (results contract).
BREAKDOWN_GROUPS: dict[str, list[str]] = {
    "age_band": ["under 1", "1-4", "5-9", "10-15", "16+", "unknown"],
    "sex": ["male", "female", "unknown"],
    "legal_status": [
        "care_order", "placement_order", "voluntary", "child_protection", "youth_justice", "other",
    ],
    "placement_group": [
        "foster", "placed_for_adoption", "with_parents", "other_community",
        "secure_childrens_homes_semi_independent", "other_residential", "residential_schools",
        "other",
    ],
    "ethnic_group": ["white", "mixed", "asian", "black", "other", "not_known"],
    "provider": ["PR0", "PR1", "PR2", "PR3", "PR4", "PR5", "unknown"],
    "cin": ["N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8", "unknown"],
    "distance_band": ["0-20", "21-50", "51-100", "over 100", "unknown"],
    "reason": [
        "adopted", "sgo", "returned_home", "residence_cao", "independent_living", "transferred",
        "custody", "other",
    ],
    "participation": ["PN0", "PN1", "PN2", "PN3", "PN4", "PN5", "PN6", "PN7", "not_recorded"],
    "prev_perm": ["adoption", "sgo", "residence_cao", "none_or_unknown", "not_recorded"],
    "foster_provider": ["in_house", "other_council", "other_public", "private", "voluntary",
                        "unknown"],
    "change_reason": ["CARPL", "CLOSE", "ALLEG", "STAND", "APPRR", "CREQB", "CREQO", "CHILD",
                      "LAREQ", "PLACE", "CUSTOD", "OTHER", "not_recorded"],
    "uasc_age": ["under 16", "16+", "unknown"],
    "distance_locality": ["within_20_inside", "within_20_outside", "over_20_inside",
                          "over_20_outside", "unknown"],
}

#: UASC by placement uses the placement groups under its own breakdown name
BREAKDOWN_GROUPS["uasc_placement_group"] = BREAKDOWN_GROUPS["placement_group"]

CLA_AT_D = "children looked after at the period end (short breaks excluded)"
OC2_COHORT = "children looked after continuously for 12 months at the period end"

_ENTRIES: list[Indicator] = [
    # --- population and flows
    Indicator("cla_count", "Children in care", "count", "neither", "point", "population",
              "Children looked after at the period end.", CLA_AT_D),
    Indicator("cla_rate_per_10k", "Children in care per 10,000", "rate_per_10k", "neither",
              "point", "population",
              "Children looked after at the period end per 10,000 children aged 0-17 (ONS "
              "mid-year estimate for the year the financial year began).", CLA_AT_D),
    Indicator("cla_started", "Children starting care", "count", "neither", "fytd", "population",
              "Children with a period of care starting in the window (counted once).",
              "children starting care in the window", running_total=True),
    Indicator("cla_ceased", "Children leaving care", "count", "neither", "fytd", "population",
              "Children whose period of care ended in the window (counted once).",
              "children leaving care in the window", running_total=True),
    Indicator("cla_started_rate_per_10k", "Children starting care per 10,000", "rate_per_10k",
              "neither", "r12", "population",
              "Children starting care in the 12 months to the period end per 10,000 children "
              "aged 0-17 (population as for the rate in care), comparable at any quarter with "
              "DfE's published full-year rates.", "children starting care in the window"),
    Indicator("cla_ceased_rate_per_10k", "Children leaving care per 10,000", "rate_per_10k",
              "neither", "r12", "population",
              "Children leaving care in the 12 months to the period end per 10,000 children "
              "aged 0-17 (population as for the rate in care), comparable at any quarter with "
              "DfE's published full-year rates.", "children leaving care in the window"),
    Indicator("cla_during", "Children in care during the period", "count", "neither", "fytd",
              "population", "Children looked after at any time in the window.",
              "children looked after during the window", running_total=True),
    Indicator("cla_by_placement_group", "Children in care by placement type", "percent",
              "neither", "point", "population",
              "Children looked after at the period end by placement group; a child in a "
              "temporary placement is counted under the placement held before it.", CLA_AT_D,
              "placement_group"),
    Indicator("cla_by_legal_status", "Children in care by legal status", "percent", "neither",
              "point", "population", "Children looked after at the period end by legal status.",
              CLA_AT_D, "legal_status"),
    Indicator("cla_by_age_band", "Children in care by age", "percent", "neither", "point",
              "population", "Children looked after at the period end by age band.", CLA_AT_D,
              "age_band"),
    Indicator("cla_by_sex", "Children in care by sex", "percent", "neither", "point",
              "population", "Children looked after at the period end by sex.", CLA_AT_D, "sex"),
    Indicator("cla_by_ethnic_group", "Children in care by ethnicity", "percent", "neither",
              "point", "population", "Children looked after at the period end by ethnic group.",
              CLA_AT_D, "ethnic_group"),
    Indicator("cla_by_provider", "Children in care by placement provider", "percent", "neither",
              "point", "population",
              "Children looked after at the period end by placement provider.", CLA_AT_D,
              "provider"),
    Indicator("cla_by_cin", "Children in care by category of need", "percent", "neither",
              "point", "population",
              "Children looked after at the period end by category of need.", CLA_AT_D, "cin"),
    Indicator("cla_uasc", "Unaccompanied asylum-seeking children", "percent", "neither", "point",
              "population",
              "Children looked after at the period end who were unaccompanied asylum-seeking "
              "children, as a % of children in care.", CLA_AT_D),
    Indicator("ceased_by_reason", "Children leaving care by reason", "percent", "neither", "fytd",
              "population", "Children leaving care in the window by the reason care ended.",
              "children leaving care in the window", "reason"),
    # --- stability
    Indicator("stability_3plus_placements", "3 or more placements", "percent", "down", "r12",
              "stability",
              "Of children looked after at the period end, % with 3 or more placements in the "
              "window (placements open at the window start count).", CLA_AT_D,
              running_total=True),
    Indicator("stability_2yr_3plus", "3+ placements in 2 years", "percent", "down", "r24",
              "stability",
              "Of children in care at least 2 years at the period end, % with 3 or more "
              "placements in the last 24 months.", "children looked after for 2+ years"),
    Indicator("stability_long_term", "Long-term stability", "percent", "up", "point",
              "stability",
              "Of children under 16 looked after for at least 2.5 years, % living with the same "
              "carer for at least 2 years, or placed for adoption with the carers before counting "
              "together for 2 years.", "children under 16 looked after for 2.5+ years"),
    Indicator("stability_long_term_yearend_max", "Long-term stability: best possible year end",
              "percent", "up", "point", "stability",
              "Of the children who will be in the 31 March long-term stability cohort if nobody "
              "leaves, % whose current carer spell will reach 2 years by 31 March if it "
              "continues.", "children who could be in the 31 March cohort"),
    # --- location
    Indicator("placed_over_20_miles_outside", "Placed over 20 miles away and outside the council",
              "percent", "down", "point", "location",
              "% of children in care placed more than 20 miles from home and outside the "
              "council's area (unknown distance stays in the denominator).", CLA_AT_D),
    Indicator("placed_within_20_miles", "Placed within 20 miles of home", "percent", "up",
              "point", "location",
              "% of children in care placed 20 miles or less from home (unknown distance stays "
              "in the denominator).", CLA_AT_D),
    Indicator("placed_outside_la", "Placed outside the council's area", "percent", "down",
              "point", "location", "% of children in care placed outside the council's area.",
              CLA_AT_D),
    Indicator("cla_by_distance_band", "Children in care by placement distance", "percent",
              "neither", "point", "location",
              "Children in care by straight-line distance from home to placement.", CLA_AT_D,
              "distance_band"),
    # --- health (OC2)
    Indicator("health_assessment", "Annual health assessment", "percent", "up", "r12", "health",
              "% of the cohort whose annual health assessment was up to date.", OC2_COHORT),
    Indicator("immunisations", "Immunisations up to date", "percent", "up", "r12", "health",
              "% of the cohort whose immunisations were up to date.", OC2_COHORT),
    Indicator("dental_check", "Dental check", "percent", "up", "r12", "health",
              "% of the cohort whose teeth were checked by a dentist.", OC2_COHORT),
    Indicator("development_assessment", "Development assessment (under 5s)", "percent", "up",
              "r12", "health", "% of the cohort aged 0-4 whose development assessment was up "
              "to date.", OC2_COHORT + ", aged 0-4"),
    Indicator("sdq_completed", "SDQ completed", "percent", "up", "r12", "health",
              "% of the cohort aged 5-16 with a valid SDQ score.", OC2_COHORT + ", aged 5-16"),
    Indicator("sdq_average", "Average SDQ score", "score", "down", "r12", "health",
              "Mean strengths and difficulties score (0-40) of the cohort aged 5-16 with a "
              "valid score; lower is better.", OC2_COHORT + ", aged 5-16 with a score"),
    Indicator("sdq_borderline", "SDQ borderline (14-16)", "percent", "down", "r12", "health",
              "% of those aged 5-16 with a score whose score was 14-16.",
              OC2_COHORT + ", aged 5-16 with a score"),
    Indicator("sdq_concern", "SDQ a cause for concern (17+)", "percent", "down", "r12", "health",
              "% of those aged 5-16 with a score whose score was 17-40.",
              OC2_COHORT + ", aged 5-16 with a score"),
    Indicator("convictions", "Convicted during the year", "percent", "down", "r12", "health",
              "% of the cohort aged 10-17 convicted or subject to a youth caution during the "
              "year.", OC2_COHORT + ", aged 10-17"),
    Indicator("substance_misuse", "Identified substance misuse", "percent", "down", "r12",
              "health", "% of the cohort identified as having a substance misuse problem.",
              OC2_COHORT),
]

_CL_MEASURES = {
    "eet": ("in education, employment or training", "up",
            "% in education, employment or training (ACTIV F1-F5, P1-P5)."),
    "neet": ("not in education, employment or training", "down",
             "% not in education, employment or training (ACTIV G4-G6)."),
    "suitable_accom": ("in suitable accommodation", "up",
                       "% in accommodation considered suitable (cohort excludes gone abroad, "
                       "deported and residence not known)."),
    "in_touch": ("in touch with the council", "up", "% the council was in touch with."),
}
_CL_AGES = {"17_18": "aged 17-18", "19_21": "aged 19-21", "19": "aged 19"}
for _m, (_label, _pol, _def) in _CL_MEASURES.items():
    for _a, _alabel in _CL_AGES.items():
        _ENTRIES.append(
            Indicator(
                f"care_leavers_{_m}_{_a}", f"Care leavers {_alabel} {_label}", "percent", _pol,
                "fytd", "care_leavers",
                f"Of care leavers whose {_alabel.replace('aged ', '')} birthday fell in the "
                f"window, {_def} Young people who died or returned home are excluded.",
                f"care leavers {_alabel} at their birthday in the window",
            )
        )

_ENTRIES += [
    # --- adoption
    Indicator("adopted_count", "Children adopted", "count", "neither", "fytd", "adoption",
              "Children whose period of care ended in adoption in the window.",
              "children leaving care in the window", running_total=True),
    Indicator("adopted_pct_of_ceased", "Adopted, % of those leaving care", "percent", "neither",
              "fytd", "adoption", "Children adopted as a % of all children leaving care.",
              "children leaving care in the window"),
    Indicator("sgo_count", "Special guardianship orders", "count", "neither", "fytd", "adoption",
              "Children leaving care on a special guardianship order in the window.",
              "children leaving care in the window", running_total=True),
    Indicator("adoption_within_12m_of_decision", "Placed for adoption within 12 months of decision",
              "percent", "up", "fytd", "adoption",
              "Of children adopted in the window, % placed for adoption less than 365 days after "
              "the decision that they should be placed for adoption.",
              "children adopted in the window"),
    Indicator("adoption_a1_days", "A1: days from entering care to moving in with adoptive family",
              "days", "down", "r36", "adoption",
              "Mean days from entering care to moving in with the adoptive family, children "
              "adopted in the last 3 years.", "children adopted in the last 3 years"),
    Indicator("adoption_a10_days", "A10: A1 adjusted for foster carer adoptions", "days", "down",
              "r36", "adoption",
              "As A1, but for adoptions by the child's foster carer the clock stops when the child "
              "moved in with them.", "children adopted in the last 3 years"),
    Indicator("adoption_a2_days", "A2: days from court authority to match", "days", "down", "r36",
              "adoption",
              "Mean days from the court's authority to place (placement order) to the match "
              "with the adoptive family.", "children adopted in the last 3 years"),
    # --- missing
    Indicator("missing_children_pct", "Children who went missing", "percent", "down", "fytd",
              "missing", "Of children in care during the window, % with a missing incident.",
              "children looked after during the window", running_total=True),
    Indicator("missing_incidents", "Missing incidents", "count", "down", "fytd", "missing",
              "Missing incidents starting in the window.", "children looked after during the window",
              running_total=True),
    Indicator("missing_incidents_per_child", "Missing incidents per child who went missing",
              "ratio", "down", "fytd", "missing",
              "Missing incidents starting in the window per child with one.",
              "children who went missing in the window", running_total=True),
    Indicator("away_children_pct", "Children away from placement without authorisation",
              "percent", "down", "fytd", "missing",
              "Of children in care during the window, % away from placement without "
              "authorisation.", "children looked after during the window", running_total=True),
    # --- social workers
    Indicator("sw_3plus", "3 or more social workers in 12 months", "percent", "down", "r12",
              "social_workers",
              "Of children in care at the period end, % with 3 or more different social workers "
              "in the last 12 months.", CLA_AT_D),
    # --- reviews, participation and permanence (docs/indicators_added.md)
    Indicator("reviews_on_time", "Children whose reviews were all on time", "percent", "up",
              "r12", "reviews",
              "Of children in care at the period end with a review due in the window, % whose "
              "every review due in the window was held on or before its due date (first within "
              "20 working days of the start of the period of care, second within 3 months of "
              "the first, then within 6 months of the previous).",
              "children looked after at the period end with a review due in the window"),
    Indicator("reviews_held_on_time", "Reviews held on time", "percent", "up", "r12", "reviews",
              "Of reviews held in the window, % held on or before their due date.",
              "reviews held in the window"),
    Indicator("review_participation_pct", "Children who took part in their review", "percent",
              "up", "r12", "reviews",
              "Of reviews held in the window for children aged 4 or over (codes PN1-PN7), % where "
              "the child took part (PN1-PN6: attended, or conveyed their views).",
              "reviews of children aged 4 or over held in the window"),
    Indicator("review_participation", "Reviews by the child's participation", "percent",
              "neither", "r12", "reviews",
              "Reviews held in the window by participation code (PN0 under 4; PN1-PN3 attended "
              "and spoke or conveyed views; PN4 attended without conveying views; PN5-PN6 views "
              "conveyed without attending; PN7 did not take part).", "reviews held in the window",
              "participation"),
    Indicator("started_by_prev_perm", "Children starting care by previous permanence",
              "percent", "neither", "fytd", "reviews",
              "Children starting care in the window by the permanence arrangement they had "
              "before (PrevPerm: adopted P1, special guardianship P2, residence or child "
              "arrangements order P3; Z1 none or not known; no PrevPerm row: not recorded).",
              "children starting care in the window", "prev_perm"),
    # --- sufficiency and stability detail
    Indicator("foster_in_house_pct", "Foster placements with the council's own carers",
              "percent", "up", "point", "sufficiency",
              "Of children in foster placements (U1-U6) at the period end, % placed with the "
              "council's own foster carers (PLACE_PROVIDER PR1) rather than another council, "
              "another public body or an agency.",
              "children in foster placements at the period end"),
    Indicator("foster_by_provider", "Foster placements by provider", "percent", "neither",
              "point", "sufficiency",
              "Children in foster placements at the period end by provider: in-house PR1, other "
              "council PR2, other public PR3, private agency PR4, voluntary agency PR5.",
              "children in foster placements at the period end", "foster_provider"),
    Indicator("placement_change_reason", "Reasons for placement moves (3+ placements)",
              "percent", "neither", "r12", "sufficiency",
              "For children in care at the period end with 3 or more placements in the window, "
              "their placement moves in the window by the reason the placement ended "
              "(REASON_PLACE_CHANGE).",
              "placement moves of children with 3 or more placements", "change_reason"),
    Indicator("cla_uasc_count", "Unaccompanied asylum-seeking children (number)", "count",
              "neither", "point", "sufficiency",
              "Children looked after at the period end who were unaccompanied asylum-seeking "
              "children.", CLA_AT_D),
    Indicator("cla_started_uasc", "Unaccompanied asylum-seeking children starting care",
              "percent", "neither", "fytd", "sufficiency",
              "Of children starting care in the window, % who were unaccompanied asylum-seeking "
              "children when they started.", "children starting care in the window"),
    Indicator("uasc_by_age", "Unaccompanied asylum-seeking children by age", "percent",
              "neither", "point", "sufficiency",
              "Unaccompanied asylum-seeking children in care at the period end, under 16 and 16 "
              "or over.", "unaccompanied asylum-seeking children at the period end", "uasc_age"),
    Indicator("uasc_by_placement", "Unaccompanied asylum-seeking children by placement",
              "percent", "neither", "point", "sufficiency",
              "Unaccompanied asylum-seeking children in care at the period end by placement "
              "group.", "unaccompanied asylum-seeking children at the period end",
              "uasc_placement_group"),
    Indicator("cla_by_distance_locality", "Children in care by distance and locality",
              "percent", "neither", "point", "sufficiency",
              "Children in care by distance from home (20 miles or less, over 20 miles, not "
              "known) and whether placed inside or outside the council's area, as DfE's "
              "table.", CLA_AT_D, "distance_locality"),
]

#: id → Indicator, in catalogue order.
CATALOGUE: dict[str, Indicator] = {ind.id: ind for ind in _ENTRIES}

SECTIONS: tuple[str, ...] = (
    "population", "stability", "location", "health", "care_leavers", "adoption", "missing",
    "social_workers", "reviews", "sufficiency",
)


def ids(section: str | None = None) -> list[str]:
    """All indicator ids in catalogue order, optionally for one report section.

    Examples
    --------
    >>> ids("social_workers")
    ['sw_3plus']
    """
    return [i for i, ind in CATALOGUE.items() if section is None or ind.section == section]


def get(indicator_id: str) -> Indicator:
    """The catalogue entry for ``indicator_id``; a clear error for an unknown id.

    Examples
    --------
    >>> get("cla_count").unit
    'count'
    """
    try:
        return CATALOGUE[indicator_id]
    except KeyError:
        raise KeyError(
            f"unknown indicator id {indicator_id!r}; see cppanalytics.indicators.catalogue.ids()"
        ) from None


def polarity(indicator_id: str, default: Polarity = "neither") -> Polarity:
    """Polarity of a catalogue id, or ``default`` for a local measure not in the catalogue.

    Examples
    --------
    >>> polarity("sdq_average"), polarity("local_return_interviews")
    ('down', 'neither')
    """
    ind = CATALOGUE.get(indicator_id)
    return ind.polarity if ind else default


def as_frame():
    """The catalogue as a DataFrame (one row per indicator), for reports and joins."""
    import pandas as pd

    return pd.DataFrame([ind.__dict__ for ind in CATALOGUE.values()])
