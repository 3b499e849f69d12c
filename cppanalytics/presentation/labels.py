"""Display labels: breakdown groups, breakdown names and indicator titles in plain English.

The results contract keeps machine labels (``care_order``, ``0-20``); readers see these.

Examples
--------
>>> group_label("legal_status", "care_order"), group_label("distance_band", "over 100")
('Care order', 'Over 100 miles')
>>> indicator_label("stability_3plus_placements", "fytd")
'3 or more placements (since 1 April)'
"""

from __future__ import annotations

from cppanalytics.indicators import catalogue

BREAKDOWN_LABELS: dict[str, str] = {
    "age_band": "Age",
    "sex": "Sex",
    "legal_status": "Legal status",
    "placement_group": "Placement type",
    "ethnic_group": "Ethnicity",
    "provider": "Placement provider",
    "cin": "Category of need",
    "distance_band": "Distance from home",
    "reason": "Reason care ended",
    "uasc": "Unaccompanied asylum-seeking children",
    "participation": "Child's participation in the review",
    "prev_perm": "Previous permanence",
    "foster_provider": "Foster placement provider",
    "change_reason": "Reason the placement ended",
    "uasc_age": "Age",
    "uasc_placement_group": "Placement type",
    "distance_locality": "Distance and locality",
}

GROUP_LABELS: dict[str, dict[str, str]] = {
    "age_band": {
        "under 1": "Under 1",
        "1-4": "1 to 4",
        "5-9": "5 to 9",
        "10-15": "10 to 15",
        "16+": "16 and over",
        "unknown": "Not known",
    },
    "sex": {"male": "Male", "female": "Female", "unknown": "Not known"},
    "legal_status": {
        "care_order": "Care order",
        "placement_order": "Placement order",
        "voluntary": "Voluntary agreement (section 20)",
        "child_protection": "Emergency protection / police protection",
        "youth_justice": "Youth justice (remand or order)",
        "other": "Other",
    },
    "placement_group": {
        "foster": "Foster placement",
        "placed_for_adoption": "Placed for adoption",
        "with_parents": "Placed with parents",
        "other_community": "Other placement in the community",
        "secure_childrens_homes_semi_independent": "Secure unit, children's home or "
        "semi-independent living",
        "other_residential": "Other residential setting",
        "residential_schools": "Residential school",
        "other": "Other placement",
    },
    "ethnic_group": {
        "white": "White",
        "mixed": "Mixed or multiple",
        "asian": "Asian or Asian British",
        "black": "Black or Black British",
        "other": "Other ethnic group",
        "not_known": "Not known",
    },
    "provider": {
        "PR0": "Parent(s) or other person with parental responsibility",
        "PR1": "Own provision (council)",
        "PR2": "Other council",
        "PR3": "Other public provision",
        "PR4": "Private provision",
        "PR5": "Voluntary or third sector",
    },
    "cin": {
        "N1": "Abuse or neglect",
        "N2": "Child's disability",
        "N3": "Parental illness or disability",
        "N4": "Family in acute stress",
        "N5": "Family dysfunction",
        "N6": "Socially unacceptable behaviour",
        "N7": "Low income",
        "N8": "Absent parenting",
    },
    "distance_band": {
        "0-20": "0 to 20 miles",
        "21-50": "21 to 50 miles",
        "51-100": "51 to 100 miles",
        "over 100": "Over 100 miles",
        "unknown": "Distance not known",
    },
    "reason": {
        "adopted": "Adopted",
        "sgo": "Special guardianship order",
        "returned_home": "Returned home",
        "residence_cao": "Residence / child arrangements order",
        "independent_living": "Moved to independent living",
        "transferred": "Transferred",
        "custody": "Sentenced to custody",
        "other": "Other reason",
    },
}

GROUP_LABELS["uasc_placement_group"] = GROUP_LABELS["placement_group"]
GROUP_LABELS.update(
    {
        "participation": {
            "PN0": "Under 4 at the review",
            "PN1": "Attended and spoke for themselves",
            "PN2": "Attended; an advocate spoke for them",
            "PN3": "Attended and conveyed views non-verbally",
            "PN4": "Attended without conveying views",
            "PN5": "Did not attend; briefed an advocate",
            "PN6": "Did not attend; conveyed views another way",
            "PN7": "Did not take part",
            "not_recorded": "Not recorded",
        },
        "prev_perm": {
            "adoption": "Adopted before",
            "sgo": "Special guardianship order before",
            "residence_cao": "Residence / child arrangements order before",
            "none_or_unknown": "None, or not known",
            "not_recorded": "Not recorded",
        },
        "foster_provider": {
            "in_house": "Council's own foster carers",
            "other_council": "Another council's carers",
            "other_public": "Other public provider",
            "private": "Private agency",
            "voluntary": "Voluntary agency",
            "unknown": "Provider not recorded",
        },
        "change_reason": {
            "CARPL": "Change to or implementation of the care plan",
            "CLOSE": "Resignation or closure of provision",
            "ALLEG": "Allegation (s47)",
            "STAND": "Standards of care concern",
            "APPRR": "Approval removed",
            "CREQB": "Carer requested end: child's behaviour",
            "CREQO": "Carer requested end: other reason",
            "CHILD": "Child requested end",
            "LAREQ": "Council requested end",
            "PLACE": "Change in placement status only",
            "CUSTOD": "Custody",
            "OTHER": "Other",
            "not_recorded": "Not recorded",
        },
        "uasc_age": {"under 16": "Under 16", "16+": "16 and over", "unknown": "Age not known"},
        "distance_locality": {
            "within_20_inside": "20 miles or less, inside the council",
            "within_20_outside": "20 miles or less, outside the council",
            "over_20_inside": "Over 20 miles, inside the council",
            "over_20_outside": "Over 20 miles, outside the council",
            "unknown": "Distance or locality not known",
        },
    }
)

WINDOW_LABELS: dict[str, str] = {
    "fytd": "since 1 April",
    "r12": "rolling 12 months",
    "q": "this quarter",
    "r24": "last 2 years",
    "r36": "last 3 years",
    "point": "",
}


def group_label(breakdown: str, group: str) -> str:
    """Reader-facing label for a breakdown group (the raw label when unknown).

    Examples
    --------
    >>> group_label("cin", "N1"), group_label("nope", "x_y")
    ('Abuse or neglect', 'X y')
    """
    labels = GROUP_LABELS.get(breakdown, {})
    if group in labels:
        return labels[group]
    text = str(group).replace("_", " ")
    return text[:1].upper() + text[1:]


def breakdown_label(breakdown: str) -> str:
    """Reader-facing name of a breakdown.

    Examples
    --------
    >>> breakdown_label("ethnic_group")
    'Ethnicity'
    """
    return BREAKDOWN_LABELS.get(breakdown, breakdown.replace("_", " ").capitalize())


def indicator_label(indicator_id: str, window_kind: str = "") -> str:
    """An indicator's title (catalogue, else the id in words), with the window when it is
    not the indicator's only window.

    Examples
    --------
    >>> indicator_label("cla_count"), indicator_label("local_return_interviews")
    ('Children in care', 'Local return interviews')
    """
    ind = catalogue.lookup(indicator_id)  # comparator-only measures (KS2, KS4 ...) too
    title = ind.title if ind else indicator_id.replace("_", " ").capitalize()
    suffix = WINDOW_LABELS.get(window_kind, "")
    return f"{title} ({suffix})" if suffix else title
