"""Every report section under one name, for code written before the split into one module
per notebook: import from :mod:`.blocks` (shared), :mod:`.quarterly`, :mod:`.annual`,
:mod:`.data_quality` and :mod:`.explorer` instead.

Examples
--------
>>> from cppanalytics.presentation import quarterly
>>> stability_section is quarterly.stability_section
True
"""

from __future__ import annotations

from cppanalytics.presentation.annual import ANNUAL_IDS, annual_outcomes, annual_profile
from cppanalytics.presentation.blocks import (
    council_label,
    data_quality_section,
    definitions_section,
    local_measures_section,
    results_export,
    row_at,
    scorecard_export,
    scorecard_frame,
    scorecard_section,
    series_of,
    stylesheet_html,
    title_block,
)
from cppanalytics.presentation.data_quality import data_quality_details
from cppanalytics.presentation.explorer import explorer_cohort, explorer_indicators
from cppanalytics.presentation.quarterly import (
    ADOPTION_IDS,
    CARE_LEAVER_IDS,
    HEALTH_IDS,
    LOCATION_IDS,
    MISSING_IDS,
    PROFILE_IDS,
    adoption_section,
    care_leavers_section,
    children_in_care_section,
    headline_tiles,
    health_section,
    location_section,
    missing_section,
    stability_section,
    three_plus_breakdown,
    tracking_table,
)

__all__ = [
    "ADOPTION_IDS",
    "ANNUAL_IDS",
    "CARE_LEAVER_IDS",
    "HEALTH_IDS",
    "LOCATION_IDS",
    "MISSING_IDS",
    "PROFILE_IDS",
    "adoption_section",
    "annual_outcomes",
    "annual_profile",
    "care_leavers_section",
    "children_in_care_section",
    "council_label",
    "data_quality_details",
    "data_quality_section",
    "definitions_section",
    "explorer_cohort",
    "explorer_indicators",
    "headline_tiles",
    "health_section",
    "local_measures_section",
    "location_section",
    "missing_section",
    "results_export",
    "row_at",
    "scorecard_export",
    "scorecard_frame",
    "scorecard_section",
    "series_of",
    "stability_section",
    "stylesheet_html",
    "three_plus_breakdown",
    "title_block",
    "tracking_table",
]
