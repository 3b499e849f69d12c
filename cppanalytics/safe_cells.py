"""Spreadsheet-safe cells: no text the product writes can become a live formula.

A CSV or spreadsheet cell whose text starts with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return is read by Excel, LibreOffice and Google Sheets as a formula, so a value
keyed into the case-management system (a code ``=cmd|' /C calc'!A1``, a note
``@SUM(...)``) would run when the council opens a findings or results file. Following
OWASP's CSV-injection guidance, such text is written with a single quote in front
(``'=cmd|' /C calc'!A1``), which spreadsheets show as text.

Real numbers are never changed: numeric columns are left alone, and a text cell holding
just a number (``-3``, ``+1.5``, ``-2e-3``) is left as it is (a spreadsheet reads it as
that number, not as a formula).

Every CSV and spreadsheet writer in the package passes its cells through
:func:`safe_cell` or :func:`safe_frame` (:func:`cppanalytics.writing.write_csv` does it
for CSVs).

Examples
--------
>>> safe_cell("=cmd|' /C calc'!A1")
"'=cmd|' /C calc'!A1"
>>> safe_cell("-5"), safe_cell(-5), safe_cell("P1")
('-5', -5, 'P1')
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

#: characters that make a spreadsheet treat a text cell as a formula (OWASP)
FORMULA_STARTS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")

#: text that is just a number (kept: a spreadsheet reads it as that number)
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def needs_quote(text: str) -> bool:
    """True if ``text`` would be read as a formula by a spreadsheet.

    Examples
    --------
    >>> [needs_quote(t) for t in ("=1+1", "@SUM(A1)", "\\tx", "-1", "-1+1", "abc", "")]
    [True, True, True, False, True, False, False]
    """
    return text.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(text)


def safe_cell(value: object) -> object:
    """``value`` with a leading ``'`` when it is text a spreadsheet would run; else as is.

    Parameters
    ----------
    value
        any cell value; only ``str`` values are ever changed.

    Returns
    -------
    object
        the value, neutralised if needed.

    Examples
    --------
    >>> safe_cell("+44 20 7946 0000"), safe_cell(3.5), safe_cell(None)
    ("'+44 20 7946 0000", 3.5, None)
    """
    if isinstance(value, str) and needs_quote(value):
        return "'" + value
    return value


def _any_risky(texts: np.ndarray) -> bool:
    """Whether any text of an object array of texts (and missing values) needs a quote
    (:func:`needs_quote`), each distinct text asked once.

    Examples
    --------
    >>> _any_risky(np.array(["P1", None, "P1"], dtype=object)), _any_risky(np.array(["=1"]))
    (False, True)
    """
    distinct = pd.unique(texts)
    return any(isinstance(t, str) and needs_quote(t) for t in distinct.tolist())


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells and column names are spreadsheet-safe.

    Numeric, boolean and date columns are returned unchanged (negative numbers stay
    numbers); text and object columns are checked cell by cell with one vectorised test.

    Parameters
    ----------
    frame
        the table about to be written.

    Returns
    -------
    pandas.DataFrame
        a copy with neutralised text (``frame`` itself is not modified).

    Examples
    --------
    >>> out = safe_frame(pd.DataFrame({"code": ["=1+1", "P1"], "value": [-2, 3]}))
    >>> out["code"].tolist(), out["value"].tolist()
    (["'=1+1", 'P1'], [-2, 3])
    """
    out = frame.copy()
    out.columns = [safe_cell(c) for c in out.columns]
    for position in range(out.shape[1]):
        column = out.iloc[:, position]
        if not (column.dtype == object or pd.api.types.is_string_dtype(column)):
            continue
        objects = column.to_numpy(dtype=object)
        kind = pd.api.types.infer_dtype(objects, skipna=True)
        if kind == "string" and not _any_risky(objects):
            continue  # (each distinct text asked once: most columns repeat a few texts)
        cells = pd.Series(objects, dtype=object)
        if kind == "string":
            is_text = cells.notna().to_numpy()
        elif kind.startswith("mixed"):
            is_text = cells.map(lambda v: isinstance(v, str)).to_numpy(dtype=bool)
        else:  # numbers, booleans, dates held as objects: nothing to neutralise
            continue
        text = cells[is_text].astype(str)
        starts = text.str.startswith(FORMULA_STARTS)
        if not starts.any():
            continue
        risky = starts & ~text.str.fullmatch(_PLAIN_NUMBER.pattern)
        values = cells.to_numpy(copy=True)
        positions = is_text.nonzero()[0][risky.to_numpy(dtype=bool)]
        values[positions] = "'" + text[risky].to_numpy(dtype=object)
        dtype = column.dtype
        if isinstance(dtype, pd.CategoricalDtype):  # the made-safe texts are no category
            dtype = dtype.categories.dtype
        out.isetitem(position, pd.Series(values, index=out.index).astype(dtype))
    return out
