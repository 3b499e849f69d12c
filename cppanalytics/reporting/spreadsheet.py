"""The scorecard spreadsheet, built with ``gptables`` to the Analysis Function's guidance.

The report's tables arrive as display text ("81,770", "3%", "c"). In the workbook:

* numbers are stored as numbers with a number format that shows them as the report does
  (``81,770`` is 81770 shown ``#,##0``; ``3%`` is 0.03 shown ``0%``; ``14.2`` shown
  ``#,##0.0``; ``+12`` keeps its sign), so Excel can sort, sum and chart them; digits of
  four or more without a thousands separator are not how the report shows a figure (an
  id, a year) and stay text;
* the house symbols become the Analysis Function's bracketed marks stored as text
  (``[c]`` suppressed, ``[x]`` not available, ``[z]`` not applicable), explained on the
  notes sheet; other text is spreadsheet-safe (:func:`cppanalytics.safe_cells.safe_cell`:
  nothing can become a formula; the workbook also never turns text into formulas, numbers
  or links);
* a cover sheet (what it is, where from, the symbols), a contents sheet, a notes sheet and
  one table per sheet, each with its title, instructions and source above the table, no
  merged cells, no colour carrying meaning.

Examples
--------
>>> display_cell("81,770"), display_cell("3%"), display_cell("14.2"), display_cell("c")
((81770, '#,##0'), (0.03, '0%'), (14.2, '#,##0.0'), ('[c]', None))
>>> display_cell("Up ▲"), display_cell(""), display_cell(-4.5), display_cell("100183")
(('Up ▲', None), (None, None), (-4.5, None), ('100183', None))
>>> display_cell("+12")
(12, '+#,##0;-#,##0;#,##0')
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from cppanalytics.safe_cells import safe_cell

#: the house symbols and the bracketed marks the spreadsheet uses for them
MARKS: dict[str, str] = {"c": "[c]", "x": "[x]", "z": "[z]"}

#: what each mark means (the notes sheet)
MARK_NOTES: dict[str, str] = {
    "[c]": "Suppressed: a small number (1 to 5), or a figure from which one could be worked "
    "out, is not published.",
    "[x]": "Not available: the figure is not held or not published for this area or period.",
    "[z]": "Not applicable: the figure does not apply (for example no target is set, or an "
    "annual figure in an in-year column).",
}

_NUMBER = re.compile(
    r"^(?P<sign>[-+\u2212]?)(?P<whole>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<dec>\d+))?(?P<pct>%?)$"
)
_WORKBOOK_OPTIONS = {
    "strings_to_formulas": False,
    "strings_to_numbers": False,
    "strings_to_urls": False,
}


def display_cell(value: object) -> tuple[object, str | None]:
    """A display value as the spreadsheet stores it, and its number format (``None``: text).

    Examples
    --------
    >>> display_cell("12.5%"), display_cell("\u22124"), display_cell("1,2")
    ((0.125, '0.0%'), (-4, '#,##0'), ('1,2', None))
    """
    if value is None:
        return None, None
    if isinstance(value, bool):
        return value, None
    if isinstance(value, int | float):
        return (None, None) if pd.isna(value) else (value, None)
    try:
        if pd.isna(value):  # type: ignore[call-overload]
            return None, None
    except (TypeError, ValueError):
        pass
    text = str(value).strip()
    if not text:
        return None, None
    if text in MARKS:
        return MARKS[text], None
    match = _NUMBER.match(text)
    if match is None or ("," not in match["whole"] and len(match["whole"]) > 3):
        # the report writes thousands with separators: "100183" is an id or a year, not a
        # figure, and stays text
        return safe_cell(text), None
    whole = match["whole"].replace(",", "")
    decimals = len(match["dec"] or "")
    number: float | int = float(f"{whole}.{match['dec']}") if decimals else int(whole)
    if match["sign"] in {"-", "\u2212"}:
        number = -number
    places = "." + "0" * decimals if decimals else ""
    if match["pct"]:
        shown = f"0{places}%"
        number = round(number / 100, decimals + 2)
    else:
        shown = f"#,##0{places}"
    if match["sign"] == "+":  # a change: keep its sign on show
        shown = f"+{shown};-{shown};{shown}"
    return number, shown


@dataclass(frozen=True)
class Sheet:
    """One table for the workbook (one sheet).

    Attributes
    ----------
    name
        the sheet's tab name (at most 31 characters).
    title
        the table's title (shown above it and in the contents).
    table
        the display table (text as the report shows it; numbers are converted).
    notes
        a sentence shown under the title (e.g. what "this quarter" means).
    """

    name: str
    title: str
    table: pd.DataFrame
    notes: str = ""


def _stored(table: pd.DataFrame) -> tuple[pd.DataFrame, list[dict]]:
    """The table with numbers as numbers, and gptables cell formats for their displays."""
    values: dict[str, list[object]] = {}
    formats: list[dict] = []
    for j, column in enumerate(table.columns):
        cells = []
        for i, raw in enumerate(table.iloc[:, j].tolist()):
            value, number_format = display_cell(raw)
            if isinstance(value, str) and not re.search(r"\w", value):
                value = None  # a cell of symbols alone means no figure (gptables refuses it)
            cells.append(value)
            if number_format:
                # gptables' formats table has the header as row 0
                formats.append(
                    {"cell": {"cells": (i + 1, j), "format": {"num_format": number_format}}}
                )
        values[str(safe_cell(str(column)))] = cells
    return pd.DataFrame(values, dtype=object), formats


def _table_name(name: str) -> str:
    """An Excel table name (letters, digits, underscores; starting with a letter)."""
    cleaned = re.sub(r"\W+", "_", name).strip("_").lower() or "table"
    return cleaned if cleaned[0].isalpha() else f"t_{cleaned}"


def write_workbook(
    sheets: list[Sheet],
    path: str | Path,
    *,
    title: str,
    source: str,
    about: list[str] | None = None,
) -> Path:
    """Write ``sheets`` as an accessible statistical workbook (cover, contents, notes).

    Parameters
    ----------
    sheets
        one table per sheet, in order.
    path
        the ``.xlsx`` to write (the caller makes it atomic).
    title
        the workbook's title (cover sheet).
    source
        where the figures come from (shown with every table).
    about
        extra paragraphs for the cover.

    Returns
    -------
    Path

    Examples
    --------
    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "s.xlsx"
    >>> table = pd.DataFrame({"Indicator": ["Children in care"], "Now": ["1,234"]})
    >>> write_workbook([Sheet("Scorecard", "Scorecard", table)], p, title="T", source="S").name
    's.xlsx'
    """
    import gptables

    tables = {}
    for sheet in sheets:
        stored, formats = _stored(sheet.table.reset_index(drop=True))
        subtitles = [str(safe_cell(sheet.notes))] if sheet.notes else []
        subtitles.append(
            "Symbols: [c] suppressed, [x] not available, [z] not applicable $$symbols$$"
        )
        tables[sheet.name[:31]] = gptables.GPTable(
            table=stored,
            table_name=_table_name(sheet.name),
            title=str(safe_cell(sheet.title)),
            subtitles=subtitles,
            instructions=(
                "This worksheet contains one table. Numbers are stored as numbers, shown as "
                "in the report; symbols are explained on the notes sheet."
            ),
            source=f"Source: {safe_cell(source)}",
            index_columns={2: 0},
            additional_formatting=formats,
        )
    cover = gptables.Cover(
        title=str(safe_cell(title)),
        intro=[
            "This workbook holds the report's tables, one per sheet; the contents sheet "
            "lists them and the notes sheet explains the symbols."
        ],
        about=[str(safe_cell(text)) for text in (about or [])]
        + [
            f"Source: {safe_cell(source)}",
            "Figures are stored as numbers (rounded as the report shows them) so they can "
            "be sorted and summed; [c], [x] and [z] are marks, not numbers.",
            "RAG (red, amber, green) is written as a word; direction of travel as a word "
            "with an arrow.",
        ],
    )
    notes = pd.DataFrame(
        {
            "ref": ["symbols"],
            "Note text": [" ".join(f"{mark} {text}" for mark, text in MARK_NOTES.items())],
        }
    )
    path = Path(path)
    with warnings.catch_warnings():
        # gptables reminds that blank cells should be explained: the notes sheet does
        warnings.simplefilter("ignore")
        gptables.write_workbook(
            filename=str(path),
            sheets=tables,
            cover=cover,
            notes_table=notes,
            contentsheet_label="Contents",
            auto_width=True,
            workbook_options=_WORKBOOK_OPTIONS,
        )
    return path
