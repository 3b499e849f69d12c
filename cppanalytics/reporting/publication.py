"""The publication check: nothing published outside the council carries a child identifier.

One check for every public artefact — the HTML report, the executed notebook, the results
CSV (notes and groups included), the scorecard spreadsheet and the manifest — fed with the
extract's own identifiers (:func:`identifiers_of`: every CHILD id, UPN, date of birth and
home or placement postcode in the loaded :class:`~cppanalytics.ssda903.dataset.Dataset`,
and every raw value the loader reported in those columns). It refuses a public output when
any of these appears, and also when a text holds anything that *looks* like one:

* a column named like an identifier (``CHILD``, ``UPN``, ``DOB``, ``HOME_POST``...);
* a UPN-shaped value (a letter and 12 characters) or a full postcode (``MK9 3EJ``);
* one of the extract's CHILD ids, UPNs or postcodes (also written without its space) as
  a word or a cell;
* a date that is not a date a report shows — a report shows quarter ends, quarter starts
  (window starts) up to two years ahead (projections) and the day it was made — or any
  date written next to "born", "birth" or "DOB". A child born on a quarter end or start is
  recognised only by that context.

Figures are never mistaken for identifiers: a CHILD id is looked for in text, not in
numeric cells of a CSV or spreadsheet (a population of 100183 is not child 100183).

:func:`public_message` removes every value from a finding's text (``"DOB 30/06/2035 is
after today's date."`` → ``"DOB is after today's date."``): in public mode finding text
never quotes a value. :func:`check_folder` is what ``cppanalytics run`` calls on a public
report folder before it is moved into place; a refusal leaves nothing in the public output
folder. Problems are described by file and place, never by quoting the identifier.

Examples
--------
>>> ids = Identifiers.from_values(children=["100183"], postcodes=["MK5 7FP"],
...                               dates=["2012-05-14"])
>>> find_identifiers("<p>Child 100183 moved.</p>", ids)
["text contains one of the extract's child identifiers (line 1)"]
>>> find_identifiers("<p>14 May 2012</p>", ids)
["text contains a child's date of birth (line 1)"]
>>> find_identifiers("<p>Quarter ending 30 Sep 2026: 412 children.</p>", ids)
[]
>>> public_message("DOB 30/06/2035 is after today's date.", "30/06/2035")
"DOB is after today's date."
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from cppanalytics.errors import CppError


class DisclosureError(CppError):
    """A public output would carry child-level identifiers, or a figure a reader could
    work out from the published ones (exit status 2)."""


#: column names that identify a child
ID_COLUMN = re.compile(
    r"^(child|child_?id|upn|former_?upn|dob|mc_?dob|date_?of_?birth|home_?post|pl_?post|"
    r".*post_?code.*)$",
    re.IGNORECASE,
)
_UPN = re.compile(r"\b[A-Z]\d{11}[0-9A-Z]\b")
_POSTCODE_SPACED = re.compile(r"\b(GIR 0AA|[A-Z]{1,2}\d[A-Z\d]? \d[A-Z]{2})\b", re.IGNORECASE)
_POSTCODE_CELL = re.compile(r"^\s*(GIR ?0AA|[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2})\s*$", re.IGNORECASE)
_HEADER = re.compile(
    r"<th[^>]*>\s*(CHILD|UPN|FORMER_UPN|DOB|MC_DOB|HOME_POST|PL_POST)\s*</th>", re.IGNORECASE
)
_DATA_URI = re.compile(r"data:[^\"')\s]+")
#: a word of an identifier; "10.45678" (a decimal) is one word, not "45678"
_WORD = re.compile(r"[0-9A-Za-z_]+(?:\.[0-9]+)*")
_PLAIN_NUMBER = re.compile(r"\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*")
#: a figure as a published table holds it: a number or a house-style symbol (c, x, z)
_FIGURE = re.compile(
    rf"{_PLAIN_NUMBER.pattern}|\s*[cxz:]\s*|\s*'?[+-]?\d[\d.eE+-]*\s*", re.IGNORECASE
)
#: columns of the results contract (and local measures) that hold text, never figures
TEXT_COLUMNS = frozenset(
    {"indicator_id", "breakdown", "group", "unit", "note", "label", "title", "description", "name"}
)

_MONTHS = "jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec"
#: dates as the product, a spreadsheet or a person writes them
_DATE = re.compile(
    r"(?<![\w/.-])(?:"
    r"(?P<iso>\d{4}-\d{2}-\d{2})(?=T|\b)"
    r"|(?P<dmy>\d{1,2}[/.-]\d{1,2}[/.-]\d{4})"
    rf"|(?P<words>\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{_MONTHS})[a-z]*\.?,?\s+\d{{4}})"
    r")(?![\w/-])",
    re.IGNORECASE,
)
_BIRTH_CONTEXT = re.compile(r"(born|birth|\bd\.?o\.?b\b)", re.IGNORECASE)

#: notebook output types that are pictures (base64), not text
_BINARY_MIME = ("image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf")


def _compact(text: object) -> str:
    return re.sub(r"\s+", "", str(text)).upper()


@dataclass(frozen=True)
class Identifiers:
    """What identifies the extract's children, ready for searching.

    Attributes
    ----------
    words
        CHILD ids, UPNs and postcodes (without spaces), upper case, 5+ characters.
    dates
        dates of birth (and mothers' children's dates of birth).
    """

    words: frozenset[str] = field(default_factory=frozenset)
    dates: frozenset[dt.date] = field(default_factory=frozenset)

    @classmethod
    def from_values(
        cls,
        *,
        children: Iterable[object] = (),
        postcodes: Iterable[object] = (),
        dates: Iterable[object] = (),
    ) -> Identifiers:
        """Build from raw values (blank, missing and short values are ignored).

        Examples
        --------
        >>> ids = Identifiers.from_values(children=["a1234", "7"], postcodes=["mk9 3ej"])
        >>> sorted(ids.words)
        ['A1234', 'MK93EJ']
        """
        words = {_compact(v) for v in [*children, *postcodes] if _present(v)}
        parsed = {_as_date(v) for v in dates if _present(v)}
        return cls(
            words=frozenset(w for w in words if len(w) >= 5),
            dates=frozenset(d for d in parsed if d is not None),
        )

    def __bool__(self) -> bool:
        return bool(self.words or self.dates)

    def __or__(self, other: Identifiers) -> Identifiers:
        return Identifiers(self.words | other.words, self.dates | other.dates)


def _present(value: object) -> bool:
    try:
        if pd.isna(value):  # type: ignore[arg-type]
            return False
    except (TypeError, ValueError):
        pass
    return bool(str(value).strip())


def _as_date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d %H:%M:%S"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    try:
        return pd.Timestamp(text).date()
    except (ValueError, TypeError, OverflowError):
        return None


def identifiers_of(data: object) -> Identifiers:
    """Every identifier in a loaded :class:`~cppanalytics.ssda903.dataset.Dataset`.

    CHILD, UPN, FORMER_UPN, HOME_POST, PL_POST and every DOB column of every table, plus
    the ``child`` of every finding and the raw ``value`` of findings on those columns (a
    DOB that could not be read is still a date of birth).

    Parameters
    ----------
    data
        the Dataset (``tables`` and ``findings``).

    Returns
    -------
    Identifiers

    Examples
    --------
    >>> from cppanalytics.ssda903.dataset import Dataset
    >>> ds = Dataset.from_tables({"header": pd.DataFrame({"CHILD": ["100183"],
    ...     "DOB": ["14/05/2012"], "UPN": ["A123456789012"]})})
    >>> ids = identifiers_of(ds)
    >>> sorted(ids.words), sorted(ids.dates)
    (['100183', 'A123456789012'], [datetime.date(2012, 5, 14)])
    """
    children: list[pd.Series] = []
    postcodes: list[pd.Series] = []
    dates: list[pd.Series] = []
    for table in getattr(data, "tables", {}).values():
        for col in table.columns:
            name = str(col).upper()
            if name in ("CHILD", "UPN", "FORMER_UPN"):
                children.append(table[col].dropna())
            elif name.endswith("_POST") or "POSTCODE" in name:
                postcodes.append(table[col].dropna())
            elif name.endswith("DOB"):
                dates.append(table[col].dropna())
    findings = getattr(data, "findings", None)
    if findings is not None and len(findings):
        children.append(findings["child"].dropna())
        column = findings["column"].astype(str).str.upper()
        value = findings["value"]
        children.append(value[column.isin(["CHILD", "UPN", "FORMER_UPN"])].dropna())
        postcodes.append(value[column.str.endswith("_POST")].dropna())
        dates.append(value[column.str.endswith("DOB")].dropna())

    def values(parts: list[pd.Series]) -> list[object]:
        return pd.concat(parts).drop_duplicates().tolist() if parts else []

    return Identifiers.from_values(
        children=values(children), postcodes=values(postcodes), dates=values(dates)
    )


# --------------------------------------------------------------------------- dates


def is_report_date(day: dt.date, today: dt.date | None = None) -> bool:
    """True for a date a report legitimately shows: a quarter end or start up to two years
    after today (year-end projections look ahead), today or yesterday (when it was made).

    Examples
    --------
    >>> today = dt.date(2026, 11, 28)
    >>> [is_report_date(dt.date(*d), today) for d in
    ...  [(2026, 9, 30), (2025, 10, 1), (2012, 5, 14), (2035, 6, 30), (2026, 11, 28)]]
    [True, True, False, False, True]
    """
    today = today or dt.date.today()
    if day in (today, today - dt.timedelta(days=1)):
        return True
    if day > today + dt.timedelta(days=2 * 366):
        return False
    quarter_start = day.day == 1 and day.month in (1, 4, 7, 10)
    quarter_end = (day.month, day.day) in ((3, 31), (6, 30), (9, 30), (12, 31))
    return quarter_start or quarter_end


def _parse_match(match: re.Match[str]) -> dt.date | None:
    text = match.group(0)
    if match.group("words"):
        cleaned = re.sub(r"(?<=\d)(st|nd|rd|th)", "", text, flags=re.IGNORECASE)
        parts = re.sub(r"[.,]", " ", cleaned).split()
        try:
            month = _MONTHS.split("|").index(parts[1][:3].lower()) + 1
            return dt.date(int(parts[2]), month, int(parts[0]))
        except (ValueError, IndexError):
            return None
    if match.group("iso"):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            return None
    d, m, y = re.split(r"[/.-]", text)
    try:
        return dt.date(int(y), int(m), int(d))
    except ValueError:
        return None


# --------------------------------------------------------------------------- text checks


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def text_problems(
    text: str,
    ids: Identifiers | None = None,
    *,
    where: str = "text",
    cell: bool = False,
    numeric: bool = False,
    today: dt.date | None = None,
) -> list[str]:
    """Why one text is not publishable (empty when it is); never quotes the value.

    Parameters
    ----------
    text
        the text (a page, a notebook field, a cell).
    ids
        the extract's identifiers.
    where
        how to name the text in problems (``"results.csv row 3, column note"``).
    cell
        ``text`` is a whole table cell (a postcode without its space counts too).
    numeric
        ``text`` is a figure in a numeric column: not compared with identifiers.
    today
        the day the report is made (default: today).

    Returns
    -------
    list of str

    Examples
    --------
    >>> text_problems("see A123456789012")
    ['text contains a UPN-like value (line 1)']
    >>> text_problems("mk93ej", cell=True, where="cell B5")
    ['cell B5 holds a postcode']
    """
    ids = ids or Identifiers()
    problems: list[str] = []

    verb = f"{where} holds" if cell else f"{where} contains"

    def loc(offset: int) -> str:
        return "" if cell else f" (line {_line(text, offset)})"

    if cell and numeric and _FIGURE.fullmatch(text):
        return problems
    if not cell:
        header = _HEADER.search(text)
        if header:
            problems.append(f"{verb} a child-level column header{loc(header.start())}")
    upn = _UPN.search(text.upper())
    if upn:
        problems.append(f"{verb} a UPN-like value{loc(upn.start())}")
    postcode = _POSTCODE_SPACED.search(text) or (_POSTCODE_CELL.match(text) if cell else None)
    if postcode:
        problems.append(f"{verb} a postcode{loc(postcode.start())}")
    if ids.words:
        for word in _WORD.finditer(text):
            if word.group(0).upper() in ids.words:
                problems.append(f"{verb} one of the extract's child identifiers{loc(word.start())}")
                break
        else:
            if cell and _compact(text) in ids.words:
                problems.append(f"{verb} one of the extract's child identifiers")
    for match in _DATE.finditer(text):
        day = _parse_match(match)
        before = text[max(0, match.start() - 40) : match.start()]
        if day is None:  # shaped like a date but not one (31/02/2011): a mistyped DOB?
            problems.append(
                f"{verb} a date-like value that is not a date (it "
                f"could be a mistyped date of birth){loc(match.start())}"
            )
            break
        if day in ids.dates and not is_report_date(day, today):
            problems.append(f"{verb} a child's date of birth{loc(match.start())}")
            break
        if _BIRTH_CONTEXT.search(before) or not is_report_date(day, today):
            problems.append(
                f"{verb} a date that is not a period end (it could be a date of "
                f"birth){loc(match.start())}"
            )
            break
    return problems


def find_identifiers(
    obj: pd.DataFrame | str, identifiers: Identifiers | Iterable[str] = ()
) -> list[str]:
    """Why a table or a text is not publishable (an empty list when it is).

    Checks column names (CHILD, UPN, DOB, HOME_POST, PL_POST, postcode...), HTML table
    headers, UPN-like values, postcodes, dates that could be dates of birth and the
    extract's own identifiers (an :class:`Identifiers`, or a list of CHILD ids).

    Examples
    --------
    >>> find_identifiers(pd.DataFrame({"CHILD": ["1"], "value": [3]}))
    ["column 'CHILD' holds child-level identifiers"]
    >>> find_identifiers("<p>Placed at MK9 3EJ</p>")
    ['text contains a postcode (line 1)']
    """
    ids = (
        identifiers
        if isinstance(identifiers, Identifiers)
        else Identifiers.from_values(children=list(identifiers))
    )
    if isinstance(obj, pd.DataFrame):
        frame = obj.reset_index() if any(n is not None for n in obj.index.names) else obj
        return _frame_problems(frame, ids, "table")
    return text_problems(_DATA_URI.sub("", html.unescape(str(obj))), ids)


def _is_figures(name: str, cells: list[str]) -> bool:
    """True for a column of figures (numbers and c/x/z), not one of the text columns."""
    if name.strip().lower() in TEXT_COLUMNS or not cells:
        return False
    return all(_FIGURE.fullmatch(c) for c in cells)


def _frame_problems(frame: pd.DataFrame, ids: Identifiers, what: str) -> list[str]:
    problems: list[str] = []
    for col in frame.columns:
        if ID_COLUMN.match(str(col).strip()):
            problems.append(f"column {str(col)!r} holds child-level identifiers")
            continue
        series = frame[col]
        is_text = series.dtype == object or pd.api.types.is_string_dtype(series)
        if not is_text:
            if pd.api.types.is_datetime64_any_dtype(series):
                series = series.dt.strftime("%Y-%m-%d")
            else:
                continue
        text = series.dropna().astype(str)
        text = text[text.str.strip().ne("")]
        numeric = _is_figures(str(col), text.tolist())
        for row, value in text.drop_duplicates().items():
            found = text_problems(
                value,
                ids,
                where=f"{what} row {row}, column {str(col)!r}",
                cell=True,
                numeric=numeric,
            )
            if found:
                problems.extend(found[:1])
                break
    return problems


def assert_publishable(
    obj: pd.DataFrame | str, identifiers: Identifiers | Iterable[str] = (), what: str = "output"
) -> None:
    """Raise :class:`DisclosureError` if ``obj`` carries child-level identifiers.

    Examples
    --------
    >>> assert_publishable(pd.DataFrame({"indicator_id": ["cla_count"], "value": [412]}))
    >>> assert_publishable(pd.DataFrame({"UPN": ["A123456789012"]}))
    Traceback (most recent call last):
    ...
    cppanalytics.reporting.publication.DisclosureError: output is not publishable: column 'UPN' holds child-level identifiers; remove child-level data before publishing
    """
    problems = find_identifiers(obj, identifiers)
    if problems:
        raise DisclosureError(
            f"{what} is not publishable: {'; '.join(problems)}; remove child-level data "
            "before publishing"
        )


def check_local_measures(path: str | Path, ids: Identifiers | None = None) -> None:
    """Refuse a local-measures CSV whose text (group, note...) holds an identifier, for a
    public report: :class:`DisclosureError` naming the file, row and column.

    Examples
    --------
    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "local.csv"
    >>> _ = p.write_text("indicator_id,period_end,group,value,note\\n"
    ...                  "ri,2026-09-30,all,40,child 100183 refused\\n")
    >>> check_local_measures(p, Identifiers.from_values(children=["100183"]))
    Traceback (most recent call last):
    ...
    cppanalytics.reporting.publication.DisclosureError: local.csv row 2, column 'note' holds one of the extract's child identifiers: a public report cannot carry it; remove it from the file (an internal report may show it)
    """
    path = Path(path)
    problems = _csv_problems(path, ids or Identifiers())
    if problems:
        raise DisclosureError(
            f"{'; '.join(problems)}: a public report cannot carry it; "
            "remove it from the file (an internal report may show it)"
        )


# --------------------------------------------------------------------------- artefacts


def _notebook_texts(node: object, key: str = "") -> Iterator[str]:
    if isinstance(node, dict):
        for k, v in node.items():
            if k in _BINARY_MIME:
                continue
            yield from _notebook_texts(v, str(k))
    elif isinstance(node, list):
        if node and all(isinstance(v, str) for v in node):
            yield "".join(node)  # a cell source or output as a list of lines
        else:
            for v in node:
                yield from _notebook_texts(v, key)
    elif isinstance(node, str):
        yield node


def artefact_problems(path: str | Path, ids: Identifiers | None = None) -> list[str]:
    """Why one output file is not publishable (empty when it is).

    ``.html``/``.htm`` pages (pictures embedded as data URIs are skipped), ``.ipynb``
    notebooks (every text: sources, outputs, metadata; pictures skipped), ``.csv`` tables
    (headers and cells), ``.xlsx`` workbooks (every cell of every sheet), ``.json`` (every
    key and text), anything else as text.

    Examples
    --------
    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "results.csv"
    >>> _ = p.write_text("indicator_id,group,value\\nlocal,MK9 3EJ,4\\n")
    >>> artefact_problems(p)
    ["results.csv row 2, column 'group' holds a postcode"]
    """
    path = Path(path)
    ids = ids or Identifiers()
    name = path.name
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _csv_problems(path, ids)
    if suffix == ".xlsx":
        return _xlsx_problems(path, ids)
    raw = path.read_bytes().decode("utf-8", errors="replace")
    if suffix == ".ipynb" or suffix == ".json":
        try:
            doc = json.loads(raw)
        except ValueError:
            doc = raw
        problems: list[str] = []
        for i, text in enumerate(_notebook_texts(doc)):
            found = text_problems(
                _DATA_URI.sub("", html.unescape(text)), ids, where=f"{name} (text {i + 1})"
            )
            problems.extend(found)
            if problems:
                break
        if suffix == ".json" and isinstance(doc, dict):
            problems += [
                f"{name} has a child-level key {k!r}" for k in _json_keys(doc) if ID_COLUMN.match(k)
            ]
        return problems
    return text_problems(_DATA_URI.sub("", html.unescape(raw)), ids, where=name)


def _json_keys(node: object) -> Iterator[str]:
    if isinstance(node, dict):
        for k, v in node.items():
            yield str(k)
            yield from _json_keys(v)
    elif isinstance(node, list):
        for v in node:
            yield from _json_keys(v)


def _csv_problems(path: Path, ids: Identifiers) -> list[str]:
    text = path.read_bytes().decode("utf-8-sig", errors="replace")
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        return []
    header, body = rows[0], rows[1:]
    problems = [
        f"{path.name} column {h!r} holds child-level identifiers"
        for h in header
        if ID_COLUMN.match(h.strip())
    ]
    width = max((len(r) for r in body), default=0)
    for j in range(width):
        column = [r[j] if j < len(r) else "" for r in body]
        name = header[j] if j < len(header) else str(j + 1)
        numeric = _is_figures(name, [c for c in column if c.strip()])
        seen: set[str] = set()
        for i, value in enumerate(column):
            if not value.strip() or value in seen:
                continue
            seen.add(value)
            found = text_problems(
                value.lstrip("'"),
                ids,
                cell=True,
                numeric=numeric,
                where=f"{path.name} row {i + 2}, column {name!r}",
            )
            if found:
                problems.append(found[0])
                break
    return problems


def _xlsx_problems(path: Path, ids: Identifiers) -> list[str]:
    from openpyxl import load_workbook

    problems: list[str] = []
    book = load_workbook(path, read_only=True, data_only=False)
    try:
        for sheet in book.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    value = cell.value
                    if value is None:
                        continue
                    coordinate = getattr(cell, "coordinate", "?")
                    where = f"{path.name} sheet {sheet.title!r} cell {coordinate}"
                    if isinstance(value, (dt.date, dt.datetime)):
                        value = value.strftime("%Y-%m-%d")
                    elif isinstance(value, (int, float)):
                        continue
                    found = text_problems(str(value).lstrip("'"), ids, cell=True, where=where)
                    if found:
                        problems.append(found[0])
                        return problems
    finally:
        book.close()
    return problems


def folder_problems(folder: str | Path, ids: Identifiers | None = None) -> list[str]:
    """:func:`artefact_problems` for every file under ``folder`` (hidden files too).

    Examples
    --------
    >>> import tempfile
    >>> folder_problems(tempfile.mkdtemp())
    []
    """
    problems: list[str] = []
    for path in sorted(p for p in Path(folder).rglob("*") if p.is_file()):
        problems += artefact_problems(path, ids)
    return problems


def check_folder(
    folder: str | Path, ids: Identifiers | None = None, *, what: str = "the public report"
) -> None:
    """Refuse (:class:`DisclosureError`) a public output folder carrying an identifier.

    Parameters
    ----------
    folder
        the report folder, checked before it is published.
    ids
        the extract's identifiers (:func:`identifiers_of`).
    what
        how to name the output in the message.

    Raises
    ------
    DisclosureError
        naming every file and place (never the identifier itself).

    Examples
    --------
    >>> import tempfile
    >>> check_folder(tempfile.mkdtemp())
    """
    problems = folder_problems(folder, ids)
    if problems:
        listed = "; ".join(problems)
        raise DisclosureError(
            f"{what} was not published: it would show child identifiers ({listed}). Remove "
            "them from the input named (a local measures file, a data-quality value) or use "
            "mode: internal for a report kept inside the council"
        )


# --------------------------------------------------------------------------- finding text


_QUOTED = re.compile(r"(?<![\w])(['\"])[^'\"\n]*\1(?![\w])")
_EMPTY_BRACKETS = re.compile(r"\(\s*\)")


def public_message(message: str, value: object = "", ids: Identifiers | None = None) -> str:
    """A finding's text with every value taken out, for public outputs.

    Removes the finding's own ``value``, anything quoted, dates, postcodes, UPNs and the
    extract's identifiers, then tidies the spaces and brackets left behind.

    Examples
    --------
    >>> public_message("PLACE 'Q9' is not a valid 903 code.", "Q9")
    'PLACE is not a valid 903 code.'
    >>> public_message("episode ends (DEC 01/02/2020) before it starts (DECOM).", "01/02/2020")
    'episode ends (DEC) before it starts (DECOM).'
    >>> public_message("HOME_POST MK9 3EJ is not a postcode in the directory.")
    'HOME_POST is not a postcode in the directory.'
    """
    text = str(message)
    raw = str(value).strip() if _present(value) else ""
    if raw:
        text = re.sub(rf"(['\"]?){re.escape(raw)}\1", "", text)
    text = _QUOTED.sub("", text)
    text = _DATE.sub("", text)
    text = _POSTCODE_SPACED.sub("", text)
    text = _UPN.sub("", text)
    if ids and ids.words:
        text = _WORD.sub(lambda m: "" if m.group(0).upper() in ids.words else m.group(0), text)
    text = re.sub(r"\(\s*(\w+)\s+\)", r"(\1)", text)
    text = _EMPTY_BRACKETS.sub("", text)
    text = re.sub(r"[ \t]{2,}", " ", text)
    text = re.sub(r"\s+([.,;:)])", r"\1", text)
    text = re.sub(r"\(\s+", "(", text)
    return text.strip()


def public_findings(findings: pd.DataFrame, ids: Identifiers | None = None) -> pd.DataFrame:
    """Findings as a public report may describe them: no child, file, row or value, and
    message and fix without values (:func:`public_message`).

    Examples
    --------
    >>> f = pd.DataFrame({"code": ["dob_future"], "child": ["7"], "value": ["30/06/2035"],
    ...     "message": ["DOB 30/06/2035 is after today's date."], "fix": ["Correct DOB."]})
    >>> public_findings(f).loc[0, ["message", "value", "child"]].tolist()
    ["DOB is after today's date.", '', '1']
    """
    out = findings.copy()
    if out.empty:
        return out
    values = out["value"] if "value" in out.columns else pd.Series("", index=out.index)
    for col in ("message", "fix"):
        if col in out.columns:
            pairs = pd.DataFrame({"m": out[col].astype(str), "v": values.astype(str)})
            unique = pairs.drop_duplicates()
            cleaned = {(m, v): public_message(m, v, ids) for m, v in unique.itertuples(index=False)}
            out[col] = [cleaned[(m, v)] for m, v in pairs.itertuples(index=False)]
    for col in ("value", "file"):
        if col in out.columns:
            out[col] = ""
    if "child" in out.columns:  # distinct children still countable, ids gone
        child = out["child"].astype(str).where(out["child"].notna(), "").str.strip()
        codes = pd.Series(pd.factorize(child.where(child.ne("")))[0] + 1, index=out.index)
        out["child"] = codes.astype(str).where(child.ne(""), "")
    if "row" in out.columns:
        out["row"] = pd.NA
    return out
