"""The indicator catalogue: one record per indicator, the only place its facts live.

Each :class:`Indicator` declares an id (written out literally here, so searching for an id
finds its record), title, unit, polarity (is higher better?), default window, report
section, definition, cohort, the noun and predicate its sentences use, where DfE publishes
its comparators, its scorecard rows and whether the report lists it. Computation
(:mod:`cppanalytics.indicators`), judgement, the generated text, the scorecard and the
report sections all read these records and join on ``id``. Definitions paraphrase
``shared/spec/indicators.md`` (the project's reference).

Where one indicator lives: this record (its definition); the module named by
:data:`cppanalytics.indicators.compute.SECTION_MODULES` for its section (its computation);
``tests/case_tables/test_<section>.py`` (its hand-worked case table).

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
    noun
        the denominator's children in a sentence ("N of D <noun> (P%) …").
    predicate
        what the numerator's children did, for a sentence (``{window}`` is replaced by the
        window in words); ``""`` = a generic wording.
    comparator
        the DfE publication its England/region/neighbour figures come from; ``""`` when
        DfE publishes none.
    scorecard
        the window kinds of its scorecard rows, in order (empty: not on the scorecard).
        Scorecard rows follow catalogue order.
    shown
        listed in its report section's sentences and tables.
    annual
        in the annual report's five-year outcomes table.
    running_total
        True when the figure over a window from 1 April grows through the year (starters,
        leavers, adoptions, missing, 3+ placements since 1 April): before 31 March it is
        never rated, ranked or compared with full-year figures
        (:mod:`cppanalytics.judgement.judge`).
    not_projected
        for a running total that is not a count: why no projection to 31 March at the pace
        so far is given, and what the report shows instead (said beside the in-year
        figure). Counts are projected at the pace so far.
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
    noun: str = "children in care"
    predicate: str = ""
    comparator: str = ""
    scorecard: tuple[str, ...] = ()
    shown: bool = True
    annual: bool = False
    running_total: bool = False
    not_projected: str = ""


#: Exact breakdown group labels, in display order (results contract).
BREAKDOWN_GROUPS: dict[str, list[str]] = {
    "age_band": ["under 1", "1-4", "5-9", "10-15", "16+", "unknown"],
    "sex": ["male", "female", "unknown"],
    "legal_status": [
        "care_order",
        "placement_order",
        "voluntary",
        "child_protection",
        "youth_justice",
        "other",
    ],
    "placement_group": [
        "foster",
        "placed_for_adoption",
        "with_parents",
        "other_community",
        "secure_childrens_homes_semi_independent",
        "other_residential",
        "residential_schools",
        "other",
    ],
    "ethnic_group": ["white", "mixed", "asian", "black", "other", "not_known"],
    "provider": ["PR0", "PR1", "PR2", "PR3", "PR4", "PR5", "unknown"],
    "cin": ["N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8", "unknown"],
    "distance_band": ["0-20", "21-50", "51-100", "over 100", "unknown"],
    "reason": [
        "adopted",
        "sgo",
        "returned_home",
        "residence_cao",
        "independent_living",
        "transferred",
        "custody",
        "other",
    ],
    "participation": ["PN0", "PN1", "PN2", "PN3", "PN4", "PN5", "PN6", "PN7", "not_recorded"],
    "prev_perm": ["adoption", "sgo", "residence_cao", "none_or_unknown", "not_recorded"],
    "foster_provider": [
        "in_house",
        "other_council",
        "other_public",
        "private",
        "voluntary",
        "unknown",
    ],
    "change_reason": [
        "CARPL",
        "CLOSE",
        "ALLEG",
        "STAND",
        "APPRR",
        "CREQB",
        "CREQO",
        "CHILD",
        "LAREQ",
        "PLACE",
        "CUSTOD",
        "OTHER",
        "not_recorded",
    ],
    "uasc_age": ["under 16", "16+", "unknown"],
    "distance_locality": [
        "within_20_inside",
        "within_20_outside",
        "over_20_inside",
        "over_20_outside",
        "unknown",
    ],
}

#: UASC by placement uses the placement groups under its own breakdown name
BREAKDOWN_GROUPS["uasc_placement_group"] = BREAKDOWN_GROUPS["placement_group"]

CLA_AT_D = "children looked after at the period end (short breaks excluded)"
OC2_COHORT = "children looked after continuously for 12 months at the period end"
CLA_RELEASE = "DfE: Children looked after in England including adoptions"
LAIT = "DfE: Local authority interactive tool (LAIT)"
OUTCOMES_RELEASE = "DfE: Outcomes for children in need, including children looked after"

#: why a share of children since 1 April (missing, away) has no year-end projection
MISSING_SHARE_NOT_PROJECTED = (
    "a share of the children in care since 1 April does not grow at a steady pace as a "
    "count does (the children counted so far stay counted and the children in care during "
    "the year grow too), so it is not projected; compare it with the same point last year"
)

_ENTRIES: list[Indicator] = [
    # --- population
    Indicator(
        id="cla_count",
        title="Children in care",
        unit="count",
        polarity="neither",
        window="point",
        section="population",
        definition="Children looked after at the period end.",
        cohort=CLA_AT_D,
        comparator=CLA_RELEASE,
        scorecard=("point",),
        annual=True,
    ),
    Indicator(
        id="cla_rate_per_10k",
        title="Children in care per 10,000",
        unit="rate_per_10k",
        polarity="neither",
        window="point",
        section="population",
        definition="Children looked after at the period end per 10,000 children aged 0-17 (ONS mid-year estimate for the year the financial year began).",
        cohort=CLA_AT_D,
        comparator=CLA_RELEASE,
        scorecard=("point",),
        annual=True,
    ),
    Indicator(
        id="cla_started",
        title="Children starting care",
        unit="count",
        polarity="neither",
        window="fytd",
        section="population",
        definition="Children with a period of care starting in the window (counted once).",
        cohort="children starting care in the window",
        comparator=CLA_RELEASE,
        scorecard=("fytd",),
        annual=True,
        running_total=True,
    ),
    Indicator(
        id="cla_ceased",
        title="Children leaving care",
        unit="count",
        polarity="neither",
        window="fytd",
        section="population",
        definition="Children whose period of care ended in the window (counted once).",
        cohort="children leaving care in the window",
        comparator=CLA_RELEASE,
        scorecard=("fytd",),
        annual=True,
        running_total=True,
    ),
    Indicator(
        id="cla_started_rate_per_10k",
        title="Children starting care per 10,000",
        unit="rate_per_10k",
        polarity="neither",
        window="r12",
        section="population",
        definition=(
            "Children starting care in the 12 months to the period end per 10,000 children aged 0-17 (population as for the rate in care), comparable at any quarter with DfE's published full-year rates."
        ),
        cohort="children starting care in the window",
        comparator=CLA_RELEASE,
        shown=False,
    ),
    Indicator(
        id="cla_ceased_rate_per_10k",
        title="Children leaving care per 10,000",
        unit="rate_per_10k",
        polarity="neither",
        window="r12",
        section="population",
        definition=(
            "Children leaving care in the 12 months to the period end per 10,000 children aged 0-17 (population as for the rate in care), comparable at any quarter with DfE's published full-year rates."
        ),
        cohort="children leaving care in the window",
        comparator=CLA_RELEASE,
        shown=False,
    ),
    Indicator(
        id="cla_during",
        title="Children in care during the period",
        unit="count",
        polarity="neither",
        window="fytd",
        section="population",
        definition="Children looked after at any time in the window.",
        cohort="children looked after during the window",
        comparator=CLA_RELEASE,
        shown=False,
        running_total=True,
    ),
    Indicator(
        id="cla_by_placement_group",
        title="Children in care by placement type",
        unit="percent",
        polarity="neither",
        window="point",
        section="population",
        definition="Children looked after at the period end by placement group; a child in a temporary placement is counted under the placement held before it.",
        cohort=CLA_AT_D,
        breakdown="placement_group",
    ),
    Indicator(
        id="cla_by_legal_status",
        title="Children in care by legal status",
        unit="percent",
        polarity="neither",
        window="point",
        section="population",
        definition="Children looked after at the period end by legal status.",
        cohort=CLA_AT_D,
        breakdown="legal_status",
    ),
    Indicator(
        id="cla_by_age_band",
        title="Children in care by age",
        unit="percent",
        polarity="neither",
        window="point",
        section="population",
        definition="Children looked after at the period end by age band.",
        cohort=CLA_AT_D,
        breakdown="age_band",
    ),
    Indicator(
        id="cla_by_sex",
        title="Children in care by sex",
        unit="percent",
        polarity="neither",
        window="point",
        section="population",
        definition="Children looked after at the period end by sex.",
        cohort=CLA_AT_D,
        breakdown="sex",
    ),
    Indicator(
        id="cla_by_ethnic_group",
        title="Children in care by ethnicity",
        unit="percent",
        polarity="neither",
        window="point",
        section="population",
        definition="Children looked after at the period end by ethnic group.",
        cohort=CLA_AT_D,
        breakdown="ethnic_group",
    ),
    Indicator(
        id="cla_by_provider",
        title="Children in care by placement provider",
        unit="percent",
        polarity="neither",
        window="point",
        section="population",
        definition="Children looked after at the period end by placement provider.",
        cohort=CLA_AT_D,
        breakdown="provider",
        shown=False,
    ),
    Indicator(
        id="cla_by_cin",
        title="Children in care by category of need",
        unit="percent",
        polarity="neither",
        window="point",
        section="population",
        definition="Children looked after at the period end by category of need.",
        cohort=CLA_AT_D,
        breakdown="cin",
        shown=False,
    ),
    Indicator(
        id="cla_uasc",
        title="Unaccompanied asylum-seeking children",
        unit="percent",
        polarity="neither",
        window="point",
        section="population",
        definition="Children looked after at the period end who were unaccompanied asylum-seeking children, as a % of children in care.",
        cohort=CLA_AT_D,
        predicate="were unaccompanied asylum-seeking children",
        comparator=CLA_RELEASE,
        scorecard=("point",),
        annual=True,
    ),
    Indicator(
        id="ceased_by_reason",
        title="Children leaving care by reason",
        unit="percent",
        polarity="neither",
        window="fytd",
        section="population",
        definition="Children leaving care in the window by the reason care ended.",
        cohort="children leaving care in the window",
        breakdown="reason",
        shown=False,
    ),
    # --- stability
    Indicator(
        id="stability_3plus_placements",
        title="3 or more placements",
        unit="percent",
        polarity="down",
        window="r12",
        section="stability",
        definition="Of children looked after at the period end, % with 3 or more placements in the window (placements open at the window start count).",
        cohort=CLA_AT_D,
        predicate="had 3 or more placements {window}",
        comparator=CLA_RELEASE,
        scorecard=("r12", "fytd"),
        annual=True,
        running_total=True,
        not_projected=(
            "not projected at the pace so far: the stability section gives its best and "
            "worst case at 31 March, and the rolling 12 months carry the comparison"
        ),
    ),
    Indicator(
        id="stability_2yr_3plus",
        title="3+ placements in 2 years",
        unit="percent",
        polarity="down",
        window="r24",
        section="stability",
        definition="Of children in care at least 2 years at the period end, % with 3 or more placements in the last 24 months.",
        cohort="children looked after for 2+ years",
        noun="children in care for 2 years or more",
        predicate="had 3 or more placements in the last 2 years",
        comparator=CLA_RELEASE,
        scorecard=("r24",),
    ),
    Indicator(
        id="stability_long_term",
        title="Long-term stability",
        unit="percent",
        polarity="up",
        window="point",
        section="stability",
        definition="Of children under 16 looked after for at least 2.5 years, % living with the same carer for at least 2 years, or placed for adoption with the carers before counting together for 2 years.",
        cohort="children under 16 looked after for 2.5+ years",
        noun="children under 16 in care for 2½ years or more",
        predicate="had lived with the same carer for at least 2 years",
        comparator=CLA_RELEASE,
        scorecard=("point",),
        annual=True,
    ),
    Indicator(
        id="stability_long_term_yearend_max",
        title="Long-term stability: best possible year end",
        unit="percent",
        polarity="up",
        window="point",
        section="stability",
        definition="Of the children who will be in the 31 March long-term stability cohort if nobody leaves, % whose current carer spell will reach 2 years by 31 March if it continues.",
        cohort="children who could be in the 31 March cohort",
        noun="children who could be in the 31 March cohort",
        predicate="will have lived with the same carer for 2 years by 31 March if nothing changes",
        shown=False,
    ),
    # --- location
    Indicator(
        id="placed_within_20_miles",
        title="Placed within 20 miles of home",
        unit="percent",
        polarity="up",
        window="point",
        section="location",
        definition="% of children in care placed 20 miles or less from home (unknown distance stays in the denominator).",
        cohort=CLA_AT_D,
        predicate="were placed within 20 miles of home",
        comparator=CLA_RELEASE,
        scorecard=("point",),
        annual=True,
    ),
    Indicator(
        id="placed_over_20_miles_outside",
        title="Placed over 20 miles away and outside the council",
        unit="percent",
        polarity="down",
        window="point",
        section="location",
        definition="% of children in care placed more than 20 miles from home and outside the council's area (unknown distance stays in the denominator).",
        cohort=CLA_AT_D,
        predicate="were placed more than 20 miles from home and outside the council's area",
        comparator=LAIT,
        scorecard=("point",),
        annual=True,
    ),
    Indicator(
        id="placed_outside_la",
        title="Placed outside the council's area",
        unit="percent",
        polarity="down",
        window="point",
        section="location",
        definition="% of children in care placed outside the council's area.",
        cohort=CLA_AT_D,
        predicate="were placed outside the council's area",
        comparator=CLA_RELEASE,
        scorecard=("point",),
    ),
    Indicator(
        id="cla_by_distance_band",
        title="Children in care by placement distance",
        unit="percent",
        polarity="neither",
        window="point",
        section="location",
        definition="Children in care by straight-line distance from home to placement.",
        cohort=CLA_AT_D,
        breakdown="distance_band",
    ),
    # --- health
    Indicator(
        id="health_assessment",
        title="Annual health assessment",
        unit="percent",
        polarity="up",
        window="r12",
        section="health",
        definition="% of the cohort whose annual health assessment was up to date.",
        cohort=OC2_COHORT,
        noun="children in care for 12 months or more",
        predicate="had an up-to-date annual health assessment",
        comparator=CLA_RELEASE,
        scorecard=("r12",),
        annual=True,
    ),
    Indicator(
        id="immunisations",
        title="Immunisations up to date",
        unit="percent",
        polarity="up",
        window="r12",
        section="health",
        definition="% of the cohort whose immunisations were up to date.",
        cohort=OC2_COHORT,
        noun="children in care for 12 months or more",
        predicate="had up-to-date immunisations",
        comparator=CLA_RELEASE,
        scorecard=("r12",),
        annual=True,
    ),
    Indicator(
        id="dental_check",
        title="Dental check",
        unit="percent",
        polarity="up",
        window="r12",
        section="health",
        definition="% of the cohort whose teeth were checked by a dentist.",
        cohort=OC2_COHORT,
        noun="children in care for 12 months or more",
        predicate="had a dental check",
        comparator=CLA_RELEASE,
        scorecard=("r12",),
        annual=True,
    ),
    Indicator(
        id="development_assessment",
        title="Development assessment (under 5s)",
        unit="percent",
        polarity="up",
        window="r12",
        section="health",
        definition="% of the cohort aged 0-4 whose development assessment was up to date.",
        cohort=OC2_COHORT + ", aged 0-4",
        noun="children under 5 in care for 12 months or more",
        predicate="had an up-to-date development assessment",
        comparator=CLA_RELEASE,
        scorecard=("r12",),
    ),
    Indicator(
        id="sdq_completed",
        title="SDQ completed",
        unit="percent",
        polarity="up",
        window="r12",
        section="health",
        definition="% of the cohort aged 5-16 with a valid SDQ score.",
        cohort=OC2_COHORT + ", aged 5-16",
        noun="children aged 5 to 16 in care for 12 months or more",
        predicate="had an SDQ score",
        comparator=CLA_RELEASE,
        scorecard=("r12",),
    ),
    Indicator(
        id="sdq_average",
        title="Average SDQ score",
        unit="score",
        polarity="down",
        window="r12",
        section="health",
        definition="Mean strengths and difficulties score (0-40) of the cohort aged 5-16 with a valid score; lower is better.",
        cohort=OC2_COHORT + ", aged 5-16 with a score",
        comparator=CLA_RELEASE,
        scorecard=("r12",),
        annual=True,
    ),
    Indicator(
        id="sdq_borderline",
        title="SDQ borderline (14-16)",
        unit="percent",
        polarity="down",
        window="r12",
        section="health",
        definition="% of those aged 5-16 with a score whose score was 14-16.",
        cohort=OC2_COHORT + ", aged 5-16 with a score",
        noun="children aged 5 to 16 with an SDQ score",
        predicate="had a borderline SDQ score (14 to 16)",
        comparator=CLA_RELEASE,
    ),
    Indicator(
        id="sdq_concern",
        title="SDQ a cause for concern (17+)",
        unit="percent",
        polarity="down",
        window="r12",
        section="health",
        definition="% of those aged 5-16 with a score whose score was 17-40.",
        cohort=OC2_COHORT + ", aged 5-16 with a score",
        noun="children aged 5 to 16 with an SDQ score",
        predicate="had an SDQ score that is a cause for concern (17 or more)",
        comparator=CLA_RELEASE,
    ),
    Indicator(
        id="convictions",
        title="Convicted during the year",
        unit="percent",
        polarity="down",
        window="r12",
        section="health",
        definition="% of the cohort aged 10-17 convicted or subject to a youth caution during the year.",
        cohort=OC2_COHORT + ", aged 10-17",
        noun="children aged 10 to 17 in care for 12 months or more",
        predicate="were convicted or given a youth caution",
        comparator=CLA_RELEASE,
    ),
    Indicator(
        id="substance_misuse",
        title="Identified substance misuse",
        unit="percent",
        polarity="down",
        window="r12",
        section="health",
        definition="% of the cohort identified as having a substance misuse problem.",
        cohort=OC2_COHORT,
        noun="children in care for 12 months or more",
        predicate="were identified as having a substance misuse problem",
        comparator=CLA_RELEASE,
    ),
    # --- care_leavers
    Indicator(
        id="care_leavers_eet_17_18",
        title="Care leavers aged 17-18 in education, employment or training",
        unit="percent",
        polarity="up",
        window="fytd",
        section="care_leavers",
        definition="Of care leavers whose 17-18 birthday fell in the window, % in education, employment or training (ACTIV F1-F5, P1-P5). Young people who died or returned home are excluded.",
        cohort="care leavers aged 17-18 at their birthday in the window",
        noun="care leavers aged 17 to 18",
        predicate="were in education, employment or training",
        comparator=CLA_RELEASE,
        scorecard=("fytd",),
    ),
    Indicator(
        id="care_leavers_eet_19_21",
        title="Care leavers aged 19-21 in education, employment or training",
        unit="percent",
        polarity="up",
        window="fytd",
        section="care_leavers",
        definition="Of care leavers whose 19-21 birthday fell in the window, % in education, employment or training (ACTIV F1-F5, P1-P5). Young people who died or returned home are excluded.",
        cohort="care leavers aged 19-21 at their birthday in the window",
        noun="care leavers aged 19 to 21",
        predicate="were in education, employment or training",
        comparator=CLA_RELEASE,
        scorecard=("fytd",),
        annual=True,
    ),
    Indicator(
        id="care_leavers_eet_19",
        title="Care leavers aged 19 in education, employment or training",
        unit="percent",
        polarity="up",
        window="fytd",
        section="care_leavers",
        definition="Of care leavers whose 19 birthday fell in the window, % in education, employment or training (ACTIV F1-F5, P1-P5). Young people who died or returned home are excluded.",
        cohort="care leavers aged 19 at their birthday in the window",
        noun="care leavers aged 19",
        predicate="were in education, employment or training",
        shown=False,
    ),
    Indicator(
        id="care_leavers_neet_17_18",
        title="Care leavers aged 17-18 not in education, employment or training",
        unit="percent",
        polarity="down",
        window="fytd",
        section="care_leavers",
        definition="Of care leavers whose 17-18 birthday fell in the window, % not in education, employment or training (ACTIV G4-G6). Young people who died or returned home are excluded.",
        cohort="care leavers aged 17-18 at their birthday in the window",
        noun="care leavers aged 17 to 18",
        predicate="were not in education, employment or training",
        comparator=CLA_RELEASE,
        scorecard=("fytd",),
    ),
    Indicator(
        id="care_leavers_neet_19_21",
        title="Care leavers aged 19-21 not in education, employment or training",
        unit="percent",
        polarity="down",
        window="fytd",
        section="care_leavers",
        definition="Of care leavers whose 19-21 birthday fell in the window, % not in education, employment or training (ACTIV G4-G6). Young people who died or returned home are excluded.",
        cohort="care leavers aged 19-21 at their birthday in the window",
        noun="care leavers aged 19 to 21",
        predicate="were not in education, employment or training",
        comparator=CLA_RELEASE,
        scorecard=("fytd",),
    ),
    Indicator(
        id="care_leavers_neet_19",
        title="Care leavers aged 19 not in education, employment or training",
        unit="percent",
        polarity="down",
        window="fytd",
        section="care_leavers",
        definition="Of care leavers whose 19 birthday fell in the window, % not in education, employment or training (ACTIV G4-G6). Young people who died or returned home are excluded.",
        cohort="care leavers aged 19 at their birthday in the window",
        noun="care leavers aged 19",
        predicate="were not in education, employment or training",
        shown=False,
    ),
    Indicator(
        id="care_leavers_suitable_accom_17_18",
        title="Care leavers aged 17-18 in suitable accommodation",
        unit="percent",
        polarity="up",
        window="fytd",
        section="care_leavers",
        definition="Of care leavers whose 17-18 birthday fell in the window, % in accommodation considered suitable (cohort excludes gone abroad, deported and residence not known). Young people who died or returned home are excluded.",
        cohort="care leavers aged 17-18 at their birthday in the window",
        noun="care leavers aged 17 to 18",
        predicate="were in suitable accommodation",
        comparator=CLA_RELEASE,
        scorecard=("fytd",),
    ),
    Indicator(
        id="care_leavers_suitable_accom_19_21",
        title="Care leavers aged 19-21 in suitable accommodation",
        unit="percent",
        polarity="up",
        window="fytd",
        section="care_leavers",
        definition="Of care leavers whose 19-21 birthday fell in the window, % in accommodation considered suitable (cohort excludes gone abroad, deported and residence not known). Young people who died or returned home are excluded.",
        cohort="care leavers aged 19-21 at their birthday in the window",
        noun="care leavers aged 19 to 21",
        predicate="were in suitable accommodation",
        comparator=CLA_RELEASE,
        scorecard=("fytd",),
        annual=True,
    ),
    Indicator(
        id="care_leavers_suitable_accom_19",
        title="Care leavers aged 19 in suitable accommodation",
        unit="percent",
        polarity="up",
        window="fytd",
        section="care_leavers",
        definition="Of care leavers whose 19 birthday fell in the window, % in accommodation considered suitable (cohort excludes gone abroad, deported and residence not known). Young people who died or returned home are excluded.",
        cohort="care leavers aged 19 at their birthday in the window",
        noun="care leavers aged 19",
        predicate="were in suitable accommodation",
        shown=False,
    ),
    Indicator(
        id="care_leavers_in_touch_17_18",
        title="Care leavers aged 17-18 in touch with the council",
        unit="percent",
        polarity="up",
        window="fytd",
        section="care_leavers",
        definition="Of care leavers whose 17-18 birthday fell in the window, % the council was in touch with. Young people who died or returned home are excluded.",
        cohort="care leavers aged 17-18 at their birthday in the window",
        noun="care leavers aged 17 to 18",
        predicate="were in touch with the council",
        comparator=CLA_RELEASE,
        scorecard=("fytd",),
    ),
    Indicator(
        id="care_leavers_in_touch_19_21",
        title="Care leavers aged 19-21 in touch with the council",
        unit="percent",
        polarity="up",
        window="fytd",
        section="care_leavers",
        definition="Of care leavers whose 19-21 birthday fell in the window, % the council was in touch with. Young people who died or returned home are excluded.",
        cohort="care leavers aged 19-21 at their birthday in the window",
        noun="care leavers aged 19 to 21",
        predicate="were in touch with the council",
        comparator=CLA_RELEASE,
        scorecard=("fytd",),
    ),
    Indicator(
        id="care_leavers_in_touch_19",
        title="Care leavers aged 19 in touch with the council",
        unit="percent",
        polarity="up",
        window="fytd",
        section="care_leavers",
        definition="Of care leavers whose 19 birthday fell in the window, % the council was in touch with. Young people who died or returned home are excluded.",
        cohort="care leavers aged 19 at their birthday in the window",
        noun="care leavers aged 19",
        predicate="were in touch with the council",
        shown=False,
    ),
    # --- adoption
    Indicator(
        id="adopted_count",
        title="Children adopted",
        unit="count",
        polarity="neither",
        window="fytd",
        section="adoption",
        definition="Children whose period of care ended in adoption in the window.",
        cohort="children leaving care in the window",
        comparator=LAIT,
        scorecard=("fytd",),
        annual=True,
        running_total=True,
    ),
    Indicator(
        id="sgo_count",
        title="Special guardianship orders",
        unit="count",
        polarity="neither",
        window="fytd",
        section="adoption",
        definition="Children leaving care on a special guardianship order in the window.",
        cohort="children leaving care in the window",
        comparator=LAIT,
        scorecard=("fytd",),
        annual=True,
        running_total=True,
    ),
    Indicator(
        id="adopted_pct_of_ceased",
        title="Adopted, % of those leaving care",
        unit="percent",
        polarity="neither",
        window="fytd",
        section="adoption",
        definition="Children adopted as a % of all children leaving care.",
        cohort="children leaving care in the window",
        noun="children leaving care",
        predicate="were adopted",
        comparator=LAIT,
    ),
    Indicator(
        id="adoption_within_12m_of_decision",
        title="Placed for adoption within 12 months of decision",
        unit="percent",
        polarity="up",
        window="fytd",
        section="adoption",
        definition="Of children adopted in the window, % placed for adoption less than 365 days after the decision that they should be placed for adoption.",
        cohort="children adopted in the window",
        noun="children adopted",
        predicate="were placed for adoption within 12 months of the decision that they should be",
        comparator=CLA_RELEASE,
        scorecard=("fytd",),
    ),
    Indicator(
        id="adoption_a1_days",
        title="A1: days from entering care to moving in with adoptive family",
        unit="days",
        polarity="down",
        window="r36",
        section="adoption",
        definition="Mean days from entering care to moving in with the adoptive family, children adopted in the last 3 years.",
        cohort="children adopted in the last 3 years",
        scorecard=("r36",),
        annual=True,
    ),
    Indicator(
        id="adoption_a10_days",
        title="A10: A1 adjusted for foster carer adoptions",
        unit="days",
        polarity="down",
        window="r36",
        section="adoption",
        definition="As A1, but for adoptions by the child's foster carer the clock stops when the child moved in with them.",
        cohort="children adopted in the last 3 years",
        scorecard=("r36",),
    ),
    Indicator(
        id="adoption_a2_days",
        title="A2: days from court authority to match",
        unit="days",
        polarity="down",
        window="r36",
        section="adoption",
        definition="Mean days from the court's authority to place (placement order) to the match with the adoptive family.",
        cohort="children adopted in the last 3 years",
        scorecard=("r36",),
    ),
    # --- missing
    Indicator(
        id="missing_children_pct",
        title="Children who went missing",
        unit="percent",
        polarity="down",
        window="fytd",
        section="missing",
        definition="Of children in care during the window, % with a missing incident.",
        cohort="children looked after during the window",
        predicate="went missing {window}",
        comparator=CLA_RELEASE,
        scorecard=("fytd",),
        annual=True,
        running_total=True,
        not_projected=MISSING_SHARE_NOT_PROJECTED,
    ),
    Indicator(
        id="missing_incidents",
        title="Missing incidents",
        unit="count",
        polarity="down",
        window="fytd",
        section="missing",
        definition="Missing incidents starting in the window.",
        cohort="children looked after during the window",
        comparator=CLA_RELEASE,
        running_total=True,
    ),
    Indicator(
        id="missing_incidents_per_child",
        title="Missing incidents per child who went missing",
        unit="ratio",
        polarity="down",
        window="fytd",
        section="missing",
        definition="Missing incidents starting in the window per child with one.",
        cohort="children who went missing in the window",
        comparator=CLA_RELEASE,
        scorecard=("fytd",),
        running_total=True,
        not_projected=(
            "incidents per child who went missing so far is not projected (the children "
            "who go missing later in the year may go missing more or less often); compare "
            "it with the same point last year"
        ),
    ),
    Indicator(
        id="away_children_pct",
        title="Children away from placement without authorisation",
        unit="percent",
        polarity="down",
        window="fytd",
        section="missing",
        definition="Of children in care during the window, % away from placement without authorisation.",
        cohort="children looked after during the window",
        predicate="were away from placement without authorisation {window}",
        comparator=CLA_RELEASE,
        running_total=True,
        not_projected=MISSING_SHARE_NOT_PROJECTED,
    ),
    # --- social_workers
    Indicator(
        id="sw_3plus",
        title="3 or more social workers in 12 months",
        unit="percent",
        polarity="down",
        window="r12",
        section="social_workers",
        definition="Of children in care at the period end, % with 3 or more different social workers in the last 12 months.",
        cohort=CLA_AT_D,
        predicate="had 3 or more social workers in the last 12 months",
        comparator=LAIT,
        scorecard=("r12",),
        shown=False,
    ),
    # --- reviews
    Indicator(
        id="reviews_on_time",
        title="Children whose reviews were all on time",
        unit="percent",
        polarity="up",
        window="r12",
        section="reviews",
        definition=(
            "Of children in care at the period end with a review due in the window, % whose every review due in the window was held on or before its due date (first within 20 working days of the start of the period of care, second within 3 months of the first, then within 6 months of the previous)."
        ),
        cohort="children looked after at the period end with a review due in the window",
        noun="children in care with a review due in the last 12 months",
        predicate="had every review held on time",
        scorecard=("r12",),
    ),
    Indicator(
        id="reviews_held_on_time",
        title="Reviews held on time",
        unit="percent",
        polarity="up",
        window="r12",
        section="reviews",
        definition=("Of reviews held in the window, % held on or before their due date."),
        cohort="reviews held in the window",
        noun="reviews held in the last 12 months",
        predicate="were held on or before their due date",
        scorecard=("r12",),
    ),
    Indicator(
        id="review_participation_pct",
        title="Children who took part in their review",
        unit="percent",
        polarity="up",
        window="r12",
        section="reviews",
        definition=(
            "Of reviews held in the window for children aged 4 or over (codes PN1-PN7), % where the child took part (PN1-PN6: attended, or conveyed their views)."
        ),
        cohort="reviews of children aged 4 or over held in the window",
        noun="reviews of children aged 4 or over in the last 12 months",
        predicate="had the child taking part",
        scorecard=("r12",),
    ),
    Indicator(
        id="review_participation",
        title="Reviews by the child's participation",
        unit="percent",
        polarity="neither",
        window="r12",
        section="reviews",
        definition=(
            "Reviews held in the window by participation code (PN0 under 4; PN1-PN3 attended and spoke or conveyed views; PN4 attended without conveying views; PN5-PN6 views conveyed without attending; PN7 did not take part)."
        ),
        cohort="reviews held in the window",
        breakdown="participation",
    ),
    Indicator(
        id="started_by_prev_perm",
        title="Children starting care by previous permanence",
        unit="percent",
        polarity="neither",
        window="fytd",
        section="reviews",
        definition=(
            "Children starting care in the window by the permanence arrangement they had before (PrevPerm: adopted P1, special guardianship P2, residence or child arrangements order P3; Z1 none or not known; no PrevPerm row: not recorded)."
        ),
        cohort="children starting care in the window",
        breakdown="prev_perm",
    ),
    # --- sufficiency
    Indicator(
        id="foster_in_house_pct",
        title="Foster placements with the council's own carers",
        unit="percent",
        polarity="up",
        window="point",
        section="sufficiency",
        definition=(
            "Of children in foster placements (U1-U6) at the period end, % placed with the council's own foster carers (PLACE_PROVIDER PR1) rather than another council, another public body or an agency."
        ),
        cohort="children in foster placements at the period end",
        noun="children in foster care",
        predicate="lived with the council's own foster carers",
        scorecard=("point",),
    ),
    Indicator(
        id="foster_by_provider",
        title="Foster placements by provider",
        unit="percent",
        polarity="neither",
        window="point",
        section="sufficiency",
        definition=(
            "Children in foster placements at the period end by provider: in-house PR1, other council PR2, other public PR3, private agency PR4, voluntary agency PR5."
        ),
        cohort="children in foster placements at the period end",
        breakdown="foster_provider",
    ),
    Indicator(
        id="placement_change_reason",
        title="Reasons for placement moves (3+ placements)",
        unit="percent",
        polarity="neither",
        window="r12",
        section="sufficiency",
        definition=(
            "For children in care at the period end with 3 or more placements in the window, their placement moves in the window by the reason the placement ended (REASON_PLACE_CHANGE)."
        ),
        cohort="placement moves of children with 3 or more placements",
        breakdown="change_reason",
    ),
    Indicator(
        id="cla_uasc_count",
        title="Unaccompanied asylum-seeking children (number)",
        unit="count",
        polarity="neither",
        window="point",
        section="sufficiency",
        definition=(
            "Children looked after at the period end who were unaccompanied asylum-seeking children."
        ),
        cohort=CLA_AT_D,
        comparator=LAIT,
    ),
    Indicator(
        id="cla_started_uasc",
        title="Unaccompanied asylum-seeking children starting care",
        unit="percent",
        polarity="neither",
        window="fytd",
        section="sufficiency",
        definition=(
            "Of children starting care in the window, % who were unaccompanied asylum-seeking children when they started."
        ),
        cohort="children starting care in the window",
        noun="children starting care",
        predicate="were unaccompanied asylum-seeking children {window}",
        comparator=LAIT,
    ),
    Indicator(
        id="uasc_by_age",
        title="Unaccompanied asylum-seeking children by age",
        unit="percent",
        polarity="neither",
        window="point",
        section="sufficiency",
        definition=(
            "Unaccompanied asylum-seeking children in care at the period end, under 16 and 16 or over."
        ),
        cohort="unaccompanied asylum-seeking children at the period end",
        breakdown="uasc_age",
    ),
    Indicator(
        id="uasc_by_placement",
        title="Unaccompanied asylum-seeking children by placement",
        unit="percent",
        polarity="neither",
        window="point",
        section="sufficiency",
        definition=(
            "Unaccompanied asylum-seeking children in care at the period end by placement group."
        ),
        cohort="unaccompanied asylum-seeking children at the period end",
        breakdown="uasc_placement_group",
    ),
    Indicator(
        id="cla_by_distance_locality",
        title="Children in care by distance and locality",
        unit="percent",
        polarity="neither",
        window="point",
        section="sufficiency",
        definition=(
            "Children in care by distance from home (20 miles or less, over 20 miles, not known) and whether placed inside or outside the council's area, as DfE's table."
        ),
        cohort=CLA_AT_D,
        breakdown="distance_locality",
    ),
]

#: id → Indicator, in catalogue order.
CATALOGUE: dict[str, Indicator] = {ind.id: ind for ind in _ENTRIES}

#: report sections, in report order
SECTIONS: tuple[str, ...] = (
    "population",
    "stability",
    "location",
    "health",
    "care_leavers",
    "adoption",
    "missing",
    "social_workers",
    "reviews",
    "sufficiency",
)


def _comparator_only(
    indicator_id: str,
    unit: Unit,
    polarity: Polarity,
    section: str,
    comparator: str,
    cohort: str,
    title: str,
) -> Indicator:
    """A record for a measure DfE publishes that the 903 return cannot compute."""
    return Indicator(
        id=indicator_id,
        title=title,
        unit=unit,
        polarity=polarity,
        window="point",
        section=section,
        definition=f"{title}, as DfE publishes it; the council supplies its "
        "own figure as a local measure.",
        cohort=cohort,
        comparator=comparator,
        shown=False,
    )


#: Measures DfE publishes that the 903 return cannot compute (education of children looked
#: after 12 months, England-only counts and rates): the council supplies its own figure as a
#: local measure with the same id and the comparator table carries England, region and
#: neighbours (id → Indicator; not in :data:`CATALOGUE`, never computed).
COMPARATOR_ONLY: dict[str, Indicator] = {
    ind.id: ind
    for ind in [
        _comparator_only(
            "ks2_rwm_expected",
            "percent",
            "up",
            "education",
            OUTCOMES_RELEASE,
            OC2_COHORT,
            "KS2 expected standard in reading, writing and maths (children looked after 12 months)",
        ),
        _comparator_only(
            "ks4_attainment8",
            "score",
            "up",
            "education",
            OUTCOMES_RELEASE,
            OC2_COHORT,
            "KS4 average Attainment 8 score (children looked after 12 months)",
        ),
        _comparator_only(
            "ks4_english_maths_9_4",
            "percent",
            "up",
            "education",
            OUTCOMES_RELEASE,
            OC2_COHORT,
            "KS4 grade 9-4 in English and maths (children looked after 12 months)",
        ),
        _comparator_only(
            "ks2_reading_expected",
            "percent",
            "up",
            "education",
            OUTCOMES_RELEASE,
            OC2_COHORT,
            "KS2 expected standard in reading (children looked after 12 months)",
        ),
        _comparator_only(
            "ks2_writing_expected",
            "percent",
            "up",
            "education",
            OUTCOMES_RELEASE,
            OC2_COHORT,
            "KS2 expected standard in writing (children looked after 12 months)",
        ),
        _comparator_only(
            "ks2_maths_expected",
            "percent",
            "up",
            "education",
            OUTCOMES_RELEASE,
            OC2_COHORT,
            "KS2 expected standard in maths (children looked after 12 months)",
        ),
        _comparator_only(
            "ks4_progress8",
            "score",
            "up",
            "education",
            OUTCOMES_RELEASE,
            OC2_COHORT,
            "KS4 average Progress 8 score (children looked after 12 months)",
        ),
        _comparator_only(
            "cla_overall_absence",
            "percent",
            "down",
            "education",
            OUTCOMES_RELEASE,
            OC2_COHORT,
            "Overall absence, % of sessions missed (children looked after 12 months)",
        ),
        _comparator_only(
            "cla_unauthorised_absence",
            "percent",
            "down",
            "education",
            OUTCOMES_RELEASE,
            OC2_COHORT,
            "Unauthorised absence, % of sessions missed (children looked after 12 months)",
        ),
        _comparator_only(
            "cla_persistent_absence",
            "percent",
            "down",
            "education",
            OUTCOMES_RELEASE,
            OC2_COHORT,
            "Persistent absentees (children looked after 12 months)",
        ),
        _comparator_only(
            "cla_suspended",
            "percent",
            "down",
            "education",
            OUTCOMES_RELEASE,
            OC2_COHORT,
            "Children with at least one suspension (children looked after 12 months)",
        ),
        _comparator_only(
            "cla_sen_support",
            "percent",
            "neither",
            "education",
            OUTCOMES_RELEASE,
            OC2_COHORT,
            "With SEN support (children looked after 12 months)",
        ),
        _comparator_only(
            "cla_ehcp",
            "percent",
            "neither",
            "education",
            OUTCOMES_RELEASE,
            OC2_COHORT,
            "With an education, health and care plan (children looked after 12 months)",
        ),
        _comparator_only(
            "cla_school_move_midyear",
            "percent",
            "down",
            "education",
            OUTCOMES_RELEASE,
            OC2_COHORT,
            "Mid-year school move (children looked after 12 months)",
        ),
        _comparator_only(
            "cla_in_foster_care",
            "percent",
            "neither",
            "population",
            CLA_RELEASE,
            CLA_AT_D,
            "Children in care in foster care",
        ),
        _comparator_only(
            "sgo_pct_of_ceased",
            "percent",
            "neither",
            "adoption",
            CLA_RELEASE,
            "",
            "Special guardianship orders, % of those leaving care",
        ),
    ]
}


def ids(
    section: str | None = None,
    *,
    breakdown: bool | None = None,
    shown: bool | None = None,
    annual: bool | None = None,
) -> list[str]:
    """Indicator ids in catalogue order, optionally filtered.

    Parameters
    ----------
    section
        only this report section's.
    breakdown
        ``True``: only breakdown indicators; ``False``: only headline ones.
    shown
        only those listed (or not) in their section's sentences and tables.
    annual
        only those in (or not in) the annual report's outcomes table.

    Returns
    -------
    list of str
        the ids.

    Examples
    --------
    >>> ids("social_workers")
    ['sw_3plus']
    >>> ids("missing", shown=True)
    ['missing_children_pct', 'missing_incidents', 'missing_incidents_per_child', 'away_children_pct']
    """
    return [
        i
        for i, ind in CATALOGUE.items()
        if (section is None or ind.section == section)
        and (breakdown is None or bool(ind.breakdown) == breakdown)
        and (shown is None or ind.shown == shown)
        and (annual is None or ind.annual == annual)
    ]


def scorecard_rows() -> list[tuple[str, str]]:
    """The scorecard's (indicator id, window kind) rows, in catalogue order.

    Returns
    -------
    list of tuple
        one pair per row.

    Examples
    --------
    >>> [r for r in scorecard_rows() if r[0] == "stability_3plus_placements"]
    [('stability_3plus_placements', 'r12'), ('stability_3plus_placements', 'fytd')]
    """
    return [(i, kind) for i, ind in CATALOGUE.items() for kind in ind.scorecard]


def lookup(indicator_id: str) -> Indicator | None:
    """The record of a catalogue id or a comparator-only measure; None for a local measure.

    Parameters
    ----------
    indicator_id
        any id.

    Returns
    -------
    Indicator or None
        its record.

    Examples
    --------
    >>> lookup("ks4_attainment8").unit, lookup("return_interviews") is None
    ('score', True)
    """
    return CATALOGUE.get(indicator_id) or COMPARATOR_ONLY.get(indicator_id)


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
    """Polarity of a catalogue id or comparator-only measure, else ``default`` (a local
    measure not in the catalogue).

    Parameters
    ----------
    indicator_id
        any id.
    default
        the polarity of an unknown id.

    Returns
    -------
    str
        ``up``, ``down`` or ``neither``.

    Examples
    --------
    >>> polarity("sdq_average"), polarity("local_return_interviews"), polarity("ks2_rwm_expected")
    ('down', 'neither', 'up')
    """
    ind = lookup(indicator_id)
    return ind.polarity if ind else default
