"""Tables as accessible HTML: ``<caption>``, ``<th scope>``, right-aligned numbers, RAG as
a word in a coloured box, the scorecard's section rows and trend sparklines.

Examples
--------
>>> frame = pd.DataFrame({"Indicator": ["Children in care"], "Value": ["280"]})
>>> "<caption>Scorecard</caption>" in html_table(frame, "Scorecard")
True
>>> '<th scope="row">Children in care</th>' in html_table(frame, "Scorecard")
True
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Iterable, Sequence

import pandas as pd

from cppanalytics.presentation.charts import img_tag, sparkline
from cppanalytics.presentation.formatting import NOT_AVAILABLE, legend_text
from cppanalytics.presentation.scorecard import IN_YEAR_TEXT, SCORECARD_COLUMNS, SECTION_TITLES
from cppanalytics.presentation.style import RAG_COLOURS
from cppanalytics.presentation.tables import visible


def rag_badge(key: str) -> str:
    """A RAG cell: the word in a coloured box (text colour meets 4.5:1 on the fill).

    Examples
    --------
    >>> rag_badge("red")
    '<span class="cpp-rag" style="background:#D4351C;color:#FFFFFF">Red</span>'
    """
    bg, fg, label = RAG_COLOURS.get(key, RAG_COLOURS["none"])
    return f'<span class="cpp-rag" style="background:{bg};color:{fg}">{html.escape(label)}</span>'


def scorecard_html(card: pd.DataFrame, caption: str, *, notes: str = "") -> str:
    """The scorecard as accessible HTML: section rows, RAG badges and trend sparklines.

    Examples
    --------
    See ``tests/presentation/test_tables.py``.
    """
    cells: list[list[str]] = []
    sections: list[str] = []
    for _, r in card.iterrows():
        spark = (
            img_tag(
                sparkline(r["_trend"], unit=r["_unit"], label=r["Indicator"]), css_class="cpp-spark"
            )
            if sum(not math.isnan(v) for v in r["_trend"]) >= 2
            else NOT_AVAILABLE
        )
        rag = html.escape(IN_YEAR_TEXT) if r["RAG"] == IN_YEAR_TEXT else rag_badge(r["_rag_key"])
        cells.append(
            [html.escape(str(r[c])) for c in SCORECARD_COLUMNS[:9]]
            + [rag, html.escape(str(r["Direction of travel"])), spark]
        )
        sections.append(SECTION_TITLES.get(r["_section"], r["_section"]))
    return _render(
        SCORECARD_COLUMNS,
        cells,
        caption,
        numeric=set(SCORECARD_COLUMNS[1:7]) | {"Target"},
        sections=sections,
        notes=notes or legend_text(),
    )


def _render(
    columns: Sequence[str],
    cells: Sequence[Sequence[str]],
    caption: str,
    *,
    numeric: Iterable[str] = (),
    sections: Sequence[str] | None = None,
    notes: str = "",
) -> str:
    numeric = set(numeric)
    num_cls = ' class="num"'
    head = "".join(
        f'<th scope="col"{num_cls if c in numeric else ""}>{html.escape(str(c))}</th>'
        for c in columns
    )
    body = []
    current = None
    for i, row in enumerate(cells):
        if sections is not None and sections[i] != current:
            current = sections[i]
            body.append(
                f'<tr class="cpp-section"><th scope="colgroup" colspan="{len(columns)}">'
                f"{html.escape(str(current))}</th></tr>"
            )
        tds = []
        for j, (c, v) in enumerate(zip(columns, row, strict=True)):
            cls = ' class="num"' if c in numeric else ""
            tds.append(f'<th scope="row">{v}</th>' if j == 0 else f"<td{cls}>{v}</td>")
        body.append("<tr>" + "".join(tds) + "</tr>")
    note = f'<p class="cpp-legend">{html.escape(notes)}</p>' if notes else ""
    return (
        f'<div class="cpp"><table class="cpp-table"><caption>{html.escape(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>{note}</div>"
    )


def html_table(
    frame: pd.DataFrame,
    caption: str,
    *,
    numeric: Iterable[str] | None = None,
    notes: str = "",
    section_col: str | None = None,
) -> str:
    """Any display table as accessible HTML: ``<caption>``, column headers with
    ``scope="col"``, the first column as row headers (``scope="row"``), text escaped.

    ``numeric`` columns are right-aligned (default: every column but the first whose
    values all look like numbers or symbols). ``section_col`` groups rows under headings.

    Examples
    --------
    >>> t = pd.DataFrame({"Band": ["0 to 20 miles"], "Jun 26": ["239"]})
    >>> 'class="num"' in html_table(t, "Distance")
    True
    """
    shown = visible(frame.drop(columns=[section_col]) if section_col else frame)
    columns = [str(c) for c in shown.columns]
    if numeric is None:
        numeric = [c for c in columns[1:] if _looks_numeric(shown[c])]
    cells = [[html.escape(str(v)) for v in row] for row in shown.itertuples(index=False)]
    sections = list(frame[section_col].astype(str)) if section_col else None
    return _render(columns, cells, caption, numeric=numeric, sections=sections, notes=notes)


_NOT_DIGITS = re.compile(r"[,%+\- ]|pts")
_NUMBER_OR_SYMBOL = re.compile(r"\d*\.?\d*|[cxz]")


def _looks_numeric(values: pd.Series) -> bool:
    """Every value a number or a symbol once separators, signs, % and "pts" are dropped.

    Examples
    --------
    >>> _looks_numeric(pd.Series(["1,234", "12%", "+3 pts", "c"])), _looks_numeric(pd.Series(["a"]))
    (True, False)
    """
    return len(values) > 0 and all(
        _NUMBER_OR_SYMBOL.fullmatch(_NOT_DIGITS.sub("", str(v))) for v in values
    )
