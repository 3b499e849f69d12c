"""The analyst's explorer (internal only): every indicator and the children in a cohort at
any date, from :func:`cppanalytics.pipeline.explore`."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from cppanalytics.errors import CppError
from cppanalytics.presentation import html_tables, tables
from cppanalytics.presentation.formatting import (
    format_date,
    format_number,
    format_value,
)
from cppanalytics.presentation.labels import indicator_label

if TYPE_CHECKING:  # pragma: no cover
    from cppanalytics.pipeline import Exploration, ReportData
from cppanalytics.presentation.blocks import (
    display,
    internal_only,
    paragraph,
)


def explorer_indicators(report: ReportData, explored: Exploration) -> object:
    """Every indicator at the explored date (headline rows, numerator, denominator, value;
    :func:`cppanalytics.pipeline.explore`)."""
    internal_only(report, "explorer")
    res = explored.indicators
    table = pd.DataFrame(
        {
            "Indicator": [
                indicator_label(i, w)
                for i, w in zip(res["indicator_id"], res["window"], strict=True)
            ],
            "Id": res["indicator_id"],
            "Window": [
                f"{format_date(a)} to {format_date(b)}"
                for a, b in zip(res["window_start"], res["window_end"], strict=True)
            ],
            "Numerator": [format_number(v) for v in res["numerator"]],
            "Denominator": [format_number(v) for v in res["denominator"]],
            "Value": [format_value(v, u) for v, u in zip(res["value"], res["unit"], strict=True)],
        }
    )
    return display(html_tables.html_table(table, f"All indicators at {format_date(explored.at)}"))


def explorer_cohort(
    report: ReportData, explored: Exploration, cohort: str = "looked_after", *, limit: int = 500
) -> object:
    """A drill-down list of the children in a cohort at the explored date (internal only;
    :func:`cppanalytics.pipeline.explore` lists the cohorts)."""
    internal_only(report, "explorer")
    if cohort not in explored.cohorts:
        raise CppError(
            f"cohort {cohort!r} was not explored; pass it to explore(): one of "
            f"{', '.join(explored.cohorts)}."
        )
    cla = explored.cohorts[cohort]
    cols = [
        c
        for c in (
            "CHILD",
            "age",
            "SEX",
            "LS",
            "PLACE",
            "period_start",
            "placement_start",
            "carer_spell_start",
            "placements",
        )
        if c in cla.columns
    ]
    shown_rows = cla[cols].sort_values(cols[0]).head(limit)
    note = f"{format_number(len(cla))} children" + (
        f"; the first {limit} are listed." if len(cla) > limit else "."
    )
    return display(
        paragraph(note),
        html_tables.html_table(
            tables.frame_for_display(
                shown_rows.astype(
                    {
                        c: "object"
                        for c in ("CHILD", "SEX", "LS", "PLACE")
                        if c in shown_rows.columns
                    }
                )
            ),
            f"Children in the cohort '{cohort.replace('_', ' ')}' at {format_date(explored.at)} "
            "(internal)",
        ),
    )
