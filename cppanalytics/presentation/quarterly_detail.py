"""The quarterly report's education, reviews and sufficiency sections.

Each function takes the :class:`~cppanalytics.pipeline.ReportData` and returns an
``IPython.display.HTML``: generated sentences, accessible tables and charts with alt text.
Figures come from the disclosure-controlled ``judged`` table (public mode shows ``c`` for
small numbers) and from ``published`` (DfE's published figures by year: the council's own,
England, region and neighbours; public already). England-only breakdowns DfE publishes are
shown beside the council's tables; where DfE publishes nothing the table says so.

Examples
--------
>>> EDUCATION_IDS[:2]
('ks2_rwm_expected', 'ks4_attainment8')
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from cppanalytics.judgement.comparators import EDUCATION_COMPARATORS
from cppanalytics.presentation import charts, html_tables, tables, text
from cppanalytics.presentation.blocks import (
    DFE_SOURCE,
    LOCAL_SOURCE,
    display,
    local_ids,
    paragraph,
    sentences,
    series_of,
    source_line,
)
from cppanalytics.presentation.formatting import format_date, format_value, legend_text
from cppanalytics.presentation.labels import group_label

if TYPE_CHECKING:  # pragma: no cover
    from cppanalytics.pipeline import ReportData

#: the published attainment measures shown by year (DfE: KS2 and KS4 files)
ATTAINMENT_IDS: tuple[str, ...] = ("ks2_rwm_expected", "ks4_attainment8", "ks4_english_maths_9_4")
#: the other published school measures (LAIT), latest three years
SCHOOL_IDS: tuple[str, ...] = tuple(i for i in EDUCATION_COMPARATORS if i not in ATTAINMENT_IDS)
EDUCATION_IDS: tuple[str, ...] = ATTAINMENT_IDS + SCHOOL_IDS
REVIEW_IDS: tuple[str, ...] = (
    "reviews_on_time",
    "reviews_held_on_time",
    "review_participation_pct",
)
SUFFICIENCY_IDS: tuple[str, ...] = (
    "foster_in_house_pct",
    "cla_uasc",
    "cla_uasc_count",
    "cla_started_uasc",
)
_EMPTY = pd.DataFrame(
    columns=[
        "indicator_id",
        "year",
        "england",
        "region",
        "neighbours",
        "n_neighbours",
        "la_published",
        "polarity",
    ]
)


def _published(report: ReportData) -> pd.DataFrame:
    pub = getattr(report, "published", None)
    return pub if pub is not None else _EMPTY


def _table(frame: pd.DataFrame, caption: str, notes: str = "") -> str:
    return html_tables.html_table(frame, caption, notes=notes or legend_text())


# --------------------------------------------------------------------------- reviews


def reviews_section(report: ReportData) -> object:
    """Reviews held on time, children's participation and the previous permanence of
    children starting care (England's figures where DfE publishes them)."""
    pe = report.params.period_end
    parts = [sentences(report, [(i, None) for i in REVIEW_IDS])]
    parts.append(
        _table(
            tables.indicator_by_quarter(report.judged, list(REVIEW_IDS), report.table_quarters),
            "Reviews by quarter (the 12 months to each quarter end)",
        )
    )
    on_time = series_of(report, "reviews_on_time")
    if on_time.notna().sum() >= 2:
        chart = charts.trend_chart(
            on_time,
            label="Children whose reviews were all on time",
            unit="percent",
            council=report.params.council_name,
            source=LOCAL_SOURCE,
        )
        parts.append(charts.figure_html(chart))
    parts.append(
        _table(
            tables.by_quarter_table(
                report.judged,
                "review_participation",
                report.table_quarters,
                total_label="Reviews held",
            ),
            "Children's participation in their reviews (reviews held in the 12 months to each "
            "quarter end)",
        )
    )
    parts.append(
        _table(
            tables.breakdown_with_england(
                report.judged,
                _published(report),
                "started_by_prev_perm",
                pe,
                total_label="Children starting care since 1 April",
            ),
            f"Previous permanence of children starting care, 1 April to {format_date(pe)}",
            "England: children starting care in the year (DfE). " + legend_text(),
        )
    )
    return display(*parts)


# --------------------------------------------------------------------------- sufficiency


def sufficiency_section(report: ReportData) -> object:
    """In-house and agency foster care, placements by provider over time, why placements
    ended for children with 3 or more, unaccompanied asylum-seeking children, and distance
    and locality against England."""
    pe = report.params.period_end
    pub = _published(report)
    parts = [sentences(report, [(i, None) for i in SUFFICIENCY_IDS])]
    parts.append(
        _table(
            tables.by_quarter_table(
                report.judged,
                "foster_by_provider",
                report.table_quarters,
                share_of="in_house",
                total_label="Children in foster care",
            ),
            "Foster placements by provider, by quarter",
        )
    )
    parts.append(
        _table(
            tables.by_quarter_table(report.judged, "cla_by_provider", report.table_quarters),
            "Children in care by placement provider, by quarter",
        )
    )
    counts = tables.breakdown_counts(report.judged, "cla_by_provider", report.table_quarters)
    if not report.params.public and counts.notna().to_numpy().any():
        own = counts[group_label("provider", "PR1")] / counts.sum(axis=1) * 100
        own = own.dropna()
        title = (
            (
                f"Own provision held {format_value(own.iloc[-1], 'percent')} of placements "
                f"at {format_date(own.index[-1])}, {format_value(own.iloc[0], 'percent')} at "
                f"{format_date(own.index[0])}"
            )
            if len(own)
            else "Placements by provider"
        )
        parts.append(
            charts.figure_html(
                charts.stacked_chart(
                    counts.dropna(how="all"),
                    label="Children in care",
                    title=title,
                    source=source_line(report),
                )
            )
        )
    parts.append(
        _table(
            tables.breakdown_with_england(
                report.judged,
                pub,
                "placement_change_reason",
                pe,
                total_label="Moves in the 12 months",
            ),
            "Why placements ended: moves of children with 3 or more placements in the 12 months "
            f"to {format_date(pe)}",
            "England: every placement change of every child in care in the year (DfE), not only "
            "children with 3 or more placements. " + legend_text(),
        )
    )
    parts.append(
        _table(
            tables.comparison_table(
                report.judged, ["cla_uasc", "cla_uasc_count", "cla_started_uasc"], pe
            ),
            f"Unaccompanied asylum-seeking children at {format_date(pe)}",
        )
    )
    parts.append(
        _table(
            tables.breakdown_with_england(
                report.judged,
                pub,
                "uasc_by_age",
                pe,
                total_label="Unaccompanied asylum-seeking children",
            ),
            "Unaccompanied asylum-seeking children by age",
        )
    )
    parts.append(
        _table(
            tables.breakdown_with_england(
                report.judged,
                pub,
                "uasc_by_placement",
                pe,
                total_label="Unaccompanied asylum-seeking children",
            ),
            "Unaccompanied asylum-seeking children by placement type",
            "DfE publishes no placement breakdown of unaccompanied asylum-seeking children (x). "
            + legend_text(),
        )
    )
    parts.append(
        _table(
            tables.breakdown_with_england(
                report.judged, pub, "cla_by_distance_locality", pe, total_label="Children in care"
            ),
            f"Distance from home and locality of placement at {format_date(pe)}",
            "England: children in care at 31 March (DfE). " + legend_text(),
        )
    )
    return display(*parts)


# --------------------------------------------------------------------------- education


def education_section(report: ReportData) -> object:
    """The council's published results for children in care (DfE) over the years with
    England, region and neighbours, and the virtual school's in-year figures."""
    council = report.params.council_name
    pub = _published(report)
    parts = [text.published_sentences(pub, ATTAINMENT_IDS, council=council)]
    parts.append(
        _table(
            tables.published_by_year(pub, ATTAINMENT_IDS, council=council, academic=True),
            "Key stage 2 and 4 results of children looked after for 12 months (DfE, by academic "
            "year)",
            "Published by DfE for children looked after continuously for 12 months at 31 March; "
            "DfE suppresses small numbers (x). " + legend_text(),
        )
    )
    a8 = pub[pub["indicator_id"].eq("ks4_attainment8")].set_index("year").sort_index()
    if len(a8) >= 2:
        idx = pd.to_datetime([f"{int(y)}-03-31" for y in a8.index])
        lines = {
            name: pd.Series(a8[col].to_numpy(dtype=float), index=idx)
            for name, col in (
                ("England", "england"),
                ("Region", "region"),
                ("Statistical neighbours", "neighbours"),
            )
        }
        chart = charts.trend_chart(
            pd.Series(a8["la_published"].to_numpy(dtype=float), index=idx),
            label="Average Attainment 8 score",
            unit="score",
            comparators=lines,
            council=council,
            since="the year before",
            source=DFE_SOURCE,
        )
        parts.append(charts.figure_html(chart))
    parts.append(
        _table(
            tables.published_by_year(pub, SCHOOL_IDS, council=council, years=3, academic=True),
            "Key stage 2 subjects, Progress 8, attendance, suspensions, special educational "
            "needs and school moves of children looked after for 12 months (DfE, by academic "
            "year)",
        )
    )
    school = [
        i for i in local_ids(report) if i.startswith("education_") or i in EDUCATION_COMPARATORS
    ]
    if school:
        parts.append(
            paragraph(
                "The virtual school's in-year figures, supplied by the council; where DfE "
                "publishes the same measure its latest figures are shown beside them."
            )
        )
        parts.append(
            _table(
                tables.comparison_table(report.judged, school, report.params.period_end),
                f"Virtual school figures at {format_date(report.params.period_end)}",
            )
        )
        parts.append(
            _table(
                tables.indicator_by_quarter(report.judged, school, report.table_quarters),
                "Virtual school figures by quarter",
            )
        )
    else:
        parts.append(
            paragraph(
                "No virtual school figures were supplied. Personal education plans, attendance "
                "and exclusions come from the virtual school as a local measures file "
                "(local_measures_file): ids starting education_, or DfE's ids such as "
                "cla_overall_absence to have DfE's figures shown beside them.",
                "cpp-note",
            )
        )
    return display(*parts)
