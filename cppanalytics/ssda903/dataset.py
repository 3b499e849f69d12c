"""The typed, stitched 903 dataset every later stage reads.

:class:`Dataset` holds one DataFrame per 903 table (keys in :data:`TABLES`) with the
columns of :data:`COLUMNS` plus three provenance columns (:data:`PROVENANCE`):

``YEAR``
    collection year as the calendar year of its 31 March (2023-24 → ``2024``), nullable Int64.
``source_file``
    path of the file the row came from.
``source_row``
    1-based line of that file as a spreadsheet user sees it (header = 1), nullable Int64.

Dtypes after loading: columns in :data:`DATE_COLUMNS` are ``datetime64[ns]`` (``NaT``
missing); ``SDQ_SCORE`` is ``float64`` (NaN missing); every other column is a pandas
string column, upper-case, stripped, with float-stringified codes normalised
(``"1.0"`` → ``"1"``) and missing as NA. ``CHILD`` is text.

The loader (:func:`cppanalytics.ssda903.load`) validates and builds a Dataset from files;
:meth:`Dataset.from_tables` builds one from small in-memory tables without validation
(tests, synthetic data, notebooks).

Examples
--------
>>> ds = Dataset.from_tables({"episodes": pd.DataFrame({
...     "CHILD": ["1"], "DECOM": ["01/04/2023"], "RNE": ["s"], "LS": ["C2"],
...     "PLACE": ["U4"], "DEC": [""], "REC": [""]})})
>>> ds.episodes.loc[0, "DECOM"]
Timestamp('2023-04-01 00:00:00')
>>> ds.episodes.loc[0, "RNE"]
'S'
>>> len(ds.header)
0
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, overload

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from cppanalytics.findings import Findings, empty_findings
from cppanalytics.string_storage import with_python_strings

#: 903 tables by the project's key, with their DfE column sets (CSV layout).
COLUMNS: dict[str, list[str]] = {
    "header": ["CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"],
    "episodes": [
        "CHILD",
        "DECOM",
        "RNE",
        "LS",
        "CIN",
        "PLACE",
        "PLACE_PROVIDER",
        "DEC",
        "REC",
        "REASON_PLACE_CHANGE",
        "HOME_POST",
        "PL_POST",
        "URN",
    ],
    "uasc": ["CHILD", "SEX", "DOB", "DUC"],
    "oc2": [
        "CHILD",
        "DOB",
        "SDQ_SCORE",
        "SDQ_REASON",
        "CONVICTED",
        "HEALTH_CHECK",
        "IMMUNISATIONS",
        "TEETH_CHECK",
        "HEALTH_ASSESSMENT",
        "SUBSTANCE_MISUSE",
        "INTERVENTION_RECEIVED",
        "INTERVENTION_OFFERED",
    ],
    "oc3": ["CHILD", "DOB", "IN_TOUCH", "ACTIV", "ACCOM"],
    "ad1": [
        "CHILD",
        "DOB",
        "DATE_INT",
        "DATE_MATCH",
        "FOSTER_CARE",
        "NB_ADOPTR",
        "SEX_ADOPTR",
        "LS_ADOPTR",
    ],
    "placed_adoption": [
        "CHILD",
        "DOB",
        "DATE_PLACED",
        "DATE_PLACED_CEASED",
        "REASON_PLACED_CEASED",
    ],
    "prev_perm": ["CHILD", "DOB", "PREV_PERM", "LA_PERM", "DATE_PERM"],
    "missing": ["CHILD", "DOB", "MISSING", "MIS_START", "MIS_END"],
    "reviews": ["CHILD", "DOB", "REVIEW", "REVIEW_CODE"],
    "sw_episodes": ["CHILD", "DOB", "SW_ID", "SW_DECOM", "SW_DEC", "SW_REASON"],
    "dolo": ["CHILD", "DOB", "DOLO_START", "DOLO_END"],
}

TABLES: tuple[str, ...] = tuple(COLUMNS)

#: DfE's usual file name stem for each table (used when writing CSV sets).
FILE_NAMES: dict[str, str] = {
    "header": "header",
    "episodes": "episodes",
    "uasc": "uasc",
    "oc2": "oc2",
    "oc3": "oc3",
    "ad1": "ad1",
    "placed_adoption": "placed_for_adoption",
    "prev_perm": "previous_permanence",
    "missing": "missing",
    "reviews": "reviews",
    "sw_episodes": "social_worker_episodes",
    "dolo": "deprivation_of_liberty_orders",
}

#: Tables a usable extract must contain.
REQUIRED_TABLES: tuple[str, ...] = ("header", "episodes")

DATE_COLUMNS: frozenset[str] = frozenset(
    {
        "DOB",
        "MC_DOB",
        "DECOM",
        "DEC",
        "DUC",
        "DATE_INT",
        "DATE_MATCH",
        "DATE_PLACED",
        "DATE_PLACED_CEASED",
        "DATE_PERM",
        "MIS_START",
        "MIS_END",
        "REVIEW",
        "SW_DECOM",
        "SW_DEC",
        "DOLO_START",
        "DOLO_END",
    }
)
NUMERIC_COLUMNS: frozenset[str] = frozenset({"SDQ_SCORE"})
#: Free-text columns kept as written (not upper-cased beyond stripping).
TEXT_COLUMNS: frozenset[str] = frozenset({"CHILD", "UPN", "URN", "SW_ID", "MOTHER"})
#: Columns that are postcodes: upper-cased, inner whitespace collapsed to one space.
POSTCODE_COLUMNS: frozenset[str] = frozenset({"HOME_POST", "PL_POST"})

PROVENANCE: tuple[str, ...] = ("YEAR", "source_file", "source_row")


#: The span of dates the typed tables can hold (``datetime64[ns]``), whole days only.
_FIRST_DAY = np.datetime64(pd.Timestamp.min.ceil("D").date(), "D")
_LAST_DAY = np.datetime64(pd.Timestamp.max.floor("D").date(), "D")


def _in_nanoseconds(dates: pd.Series) -> pd.Series:
    """``dates`` as ``datetime64[ns]``; a date the unit cannot hold becomes ``NaT``.

    A typing slip such as ``01/01/2300`` (after 11 April 2262) is then an unreadable date,
    reported by the loader like any other, not an overflow that stops the run.

    Examples
    --------
    >>> coarse = pd.Series(np.array(["2024-03-31", "2300-01-01", "NaT"], dtype="datetime64[s]"))
    >>> _in_nanoseconds(coarse).tolist()
    [Timestamp('2024-03-31 00:00:00'), NaT, NaT]
    """
    if dates.dtype == "datetime64[ns]":
        return dates
    held = dates.to_numpy()
    days = held.astype("datetime64[D]")
    inside = (days >= _FIRST_DAY) & (days <= _LAST_DAY)  # NaT compares False
    if not inside.all():
        held = np.where(inside, held, np.datetime64("NaT"))
    return pd.Series(held.astype("datetime64[ns]"), index=dates.index, name=dates.name)


def parse_dates(values: pd.Series) -> pd.Series:
    """Parse 903 dates: ``dd/mm/YYYY`` (DfE CSV) or ISO ``YYYY-MM-DD`` (pooled layout).

    Unparseable values become ``NaT`` (the loader reports them; this function does not),
    and so do dates the typed tables cannot hold (before 1678 or after 11 April 2262).

    Examples
    --------
    >>> parse_dates(pd.Series(["31/03/2024", "2024-03-31", "", "32/01/2024"])).tolist()
    [Timestamp('2024-03-31 00:00:00'), Timestamp('2024-03-31 00:00:00'), NaT, NaT]
    >>> parse_dates(pd.Series(["2024-03-31 00:00:00", "2024-03-31junk"])).tolist()
    [Timestamp('2024-03-31 00:00:00'), NaT]
    """
    if pd.api.types.is_datetime64_any_dtype(values):
        return _in_nanoseconds(values).dt.normalize()
    strict = _strict_uk_dates(values)
    if strict is not None:
        return strict
    return _parse_dates_pandas(values)


def _strict_uk_dates(values: pd.Series) -> pd.Series | None:
    """:func:`parse_dates` of values that are all exactly ``dd/mm/YYYY`` (two digits, two
    digits, four digits), blank or missing, worked out on their bytes with numpy (pandas'
    ``strptime`` costs about 3 µs a value); None for anything else (a padded, shorter,
    ISO, non-ASCII or non-text value, a year 0000), which pandas parses.

    Examples
    --------
    >>> _strict_uk_dates(pd.Series(["29/02/2024", "29/02/2023", "", None])).tolist()
    [Timestamp('2024-02-29 00:00:00'), NaT, NaT, NaT]
    >>> _strict_uk_dates(pd.Series(["1/3/2024"])) is None
    True
    """
    held = values.to_numpy(dtype=object)
    missing = pd.isna(held)
    texts = held[~missing].tolist()
    if not all(type(t) is str and (len(t) == 10 or t == "") for t in texts):
        return None
    blank = np.zeros(len(held), dtype=bool)
    blank[~missing] = [t == "" for t in texts]
    dated = ~missing & ~blank
    try:
        raw = np.array([t for t in texts if t], dtype="S10")
    except UnicodeEncodeError:
        return None
    cells = raw.view(np.uint8).reshape(-1, 10).astype(np.int64) - ord("0")
    digits = cells[:, [0, 1, 3, 4, 6, 7, 8, 9]]
    slash = ord("/") - ord("0")
    if ((digits < 0) | (digits > 9)).any() or (cells[:, [2, 5]] != slash).any():
        return None
    day = cells[:, 0] * 10 + cells[:, 1]
    month = cells[:, 3] * 10 + cells[:, 4]
    year = cells[:, 6] * 1000 + cells[:, 7] * 100 + cells[:, 8] * 10 + cells[:, 9]
    if (year == 0).any():
        return None
    real = (month >= 1) & (month <= 12)
    first = (year - 1970).astype("datetime64[Y]").astype("datetime64[M]") + np.where(
        real, month - 1, 0
    )
    length = (first + 1).astype("datetime64[D]") - first.astype("datetime64[D]")
    real &= (day >= 1) & (day <= length.astype(np.int64))
    on = first.astype("datetime64[D]") + np.where(real, day - 1, 0)
    real &= (on >= _FIRST_DAY) & (on <= _LAST_DAY)  # what datetime64[ns] can hold
    out = np.full(len(held), np.datetime64("NaT"), dtype="datetime64[ns]")
    out[dated] = np.where(real, on, np.datetime64("NaT")).astype("datetime64[ns]")
    return pd.Series(out, index=values.index, name=values.name)


def _parse_dates_pandas(values: pd.Series) -> pd.Series:
    """:func:`parse_dates` of text through pandas' parsers (any form it takes)."""
    text = values.astype("object").where(values.notna(), None)
    text = pd.Series(text, index=values.index, dtype="object")
    if pd.api.types.infer_dtype(text, skipna=True) not in ("string", "empty"):
        # a number written by a program is read as its text (pandas would read it as an epoch)
        text = text.map(lambda v: v if v is None or isinstance(v, str) else str(v))
    padded = _padded(text)  # only values with white space at an edge are stripped
    if padded is None:
        text = text.map(_strip)
    elif padded.any():  # by position: the index may repeat labels
        held = text.to_numpy(copy=True)
        held[padded] = [_strip(v) for v in held[padded]]
        text = pd.Series(held, index=text.index, name=text.name, dtype="object")
    uk = _in_nanoseconds(pd.to_datetime(text, format="%d/%m/%Y", errors="coerce"))
    # the ISO reading is tried only where the dd/mm/YYYY one found no date
    missed = (uk.isna() & text.notna()).to_numpy()
    if not missed.any():
        return uk
    sub = text[missed]
    iso_text = sub.where(sub.str.fullmatch(_ISO).fillna(False).astype(bool))
    iso = pd.to_datetime(iso_text.str.slice(0, 10), format="%Y-%m-%d", errors="coerce")
    dates = uk.to_numpy().copy()
    dates[missed] = _in_nanoseconds(iso).to_numpy()
    return pd.Series(dates, index=values.index, name=uk.name)


def _strip(value: object) -> object:
    return value.strip() if isinstance(value, str) else value


def _padded(text: pd.Series) -> np.ndarray | None:
    """True where a text has white space (as ``str.strip`` removes it) at an edge, found
    in Arrow; None when the values cannot be read into Arrow.

    Examples
    --------
    >>> _padded(pd.Series([" 1/2/2020", "1/2/2020", None, "x\u2003"], dtype=object)).tolist()
    [True, False, False, True]
    """
    try:
        arr = pa.array(np.asarray(text.array, dtype=object), type=pa.string(), from_pandas=True)
    except (pa.ArrowException, UnicodeError, TypeError, ValueError):
        return None
    padded = pc.fill_null(pc.match_substring_regex(arr, _PADDED), False)
    return padded.to_numpy(zero_copy_only=False)


#: an ISO date, optionally with a midnight-style time part as pooled files write it
_ISO = r"\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"


def _integer_text(text: pd.Series) -> pd.Series:
    """``"123.0"`` → ``"123"`` (a number a spreadsheet stored as a float), other text as is.

    The pattern runs only on values holding a ``.`` (few or none), as a regular expression
    over every value of a large column costs seconds.

    Examples
    --------
    >>> _integer_text(pd.Series(["12.00", "1.5", "AB"], dtype="string")).tolist()
    ['12', '1.5', 'AB']
    """
    dotted = text.str.contains(".", regex=False).fillna(False).astype(bool)
    if not dotted.any():
        return text
    text = text.copy()
    text[dotted] = text[dotted].str.replace(r"^(\d+)\.0+$", r"\1", regex=True)
    return text


def normalise_codes(values: pd.Series) -> pd.Series:
    """Upper-case, strip, and turn float-stringified codes back into integers' text.

    Empty strings become NA.

    Examples
    --------
    >>> normalise_codes(pd.Series([" c2", "1.0", "", None, "e4a"])).tolist()
    ['C2', '1', <NA>, <NA>, 'E4A']
    """
    done = _codes_one_by_one(values)
    if done is not None:
        return done
    text = _integer_text(values.astype("string").str.strip().str.upper())
    return text.mask(text == "")


#: a number a spreadsheet stored as a float (:func:`_integer_text`'s pattern)
_FLOAT_INTEGER = re.compile(r"^(\d+)\.0+$")

#: up to how many values :func:`_codes_one_by_one` works value by value (more: pandas)
ONE_BY_ONE_UP_TO = 4096


def _codes_one_by_one(values: pd.Series) -> pd.Series | None:
    """:func:`normalise_codes` of values that are all ``str`` (the loader's distinct codes),
    one Python call per value instead of five pandas text passes, each with a fixed cost
    that outweighs a few dozen values; None when there are more than
    :data:`ONE_BY_ONE_UP_TO` values (a whole column: the passes cost less), a value is not
    ``str`` or text is not held as Python objects (pandas' own Arrow text methods strip
    other characters).

    Each value is what the pandas passes make of it: ``str.strip``, ``str.upper``, the
    float pattern replaced where the value holds a dot (Python's ``re``), empty as NA.

    Examples
    --------
    >>> import pandas as pd
    >>> with pd.option_context("mode.string_storage", "python"):
    ...     _codes_one_by_one(pd.Series([" c2", "7.00", "", "1.5"], dtype=object)).tolist()
    ['C2', '7', <NA>, '1.5']
    """
    if pd.StringDtype().storage != "python" or len(values) > ONE_BY_ONE_UP_TO:
        return None
    objects = values.to_numpy(dtype=object)
    out = np.empty(len(objects), dtype=object)
    for i, value in enumerate(objects):
        if type(value) is not str:
            return None
        text = value.strip().upper()
        if "." in text:
            text = _FLOAT_INTEGER.sub(r"\1", text)
        out[i] = text if text else pd.NA
    return pd.Series(pd.array(out, dtype="string"), index=values.index, name=values.name)


def normalise_text(values: pd.Series) -> pd.Series:
    """Strip free text (ids), turning ``"123.0"`` into ``"123"`` and empty into NA.

    Examples
    --------
    >>> normalise_text(pd.Series([" 0012 ", "55.0", ""])).tolist()
    ['0012', '55', <NA>]
    """
    text = values.astype("string")
    plain = _left_as_is(text)
    if plain is not None and plain.all():  # ids as a system writes them: nothing to do
        return text
    if plain is None:
        plain = np.zeros(len(text), dtype=bool)
    edit = ~plain
    worked = _integer_text(text[edit].str.strip())
    out = text.array.copy()
    out[edit] = worked.mask(worked == "").array  # by position: the index may repeat labels
    return pd.Series(out, index=text.index, name=text.name)


#: every character Python's ``str.strip`` removes (``str.isspace``; none above U+3000)
PY_WHITESPACE: str = "".join(chr(c) for c in range(0x3001) if chr(c).isspace())

#: a value normalise_text changes: white space at an edge, a dot (``"12.0"``), or empty
_TOUCHED = "^[{ws}]|[{ws}]$|\\.|^$".format(
    ws="".join(f"\\x{{{ord(c):04x}}}" for c in PY_WHITESPACE)
)
#: a value with white space at an edge
_PADDED = "^[{ws}]|[{ws}]$".format(ws="".join(f"\\x{{{ord(c):04x}}}" for c in PY_WHITESPACE))


def _left_as_is(text: pd.Series) -> np.ndarray | None:
    """True where :func:`normalise_text` leaves a value as it is (NA included), found in
    Arrow (a regular expression over the values, no Python call per value); None when
    the values cannot be read into Arrow.

    Examples
    --------
    >>> _left_as_is(pd.Series(["A1", " A1", "1.0", "", None], dtype="string")).tolist()
    [True, False, False, False, True]
    """
    try:
        arr = pa.array(np.asarray(text.array, dtype=object), type=pa.string(), from_pandas=True)
    except (pa.ArrowException, UnicodeError, TypeError, ValueError):
        return None
    touched = pc.fill_null(pc.match_substring_regex(arr, _TOUCHED), False)
    return ~touched.to_numpy(zero_copy_only=False)


def normalise_postcodes(values: pd.Series) -> pd.Series:
    """Upper-case postcodes with single inner spaces (``"mk9 3ej"`` → ``"MK9 3EJ"``).

    Examples
    --------
    >>> normalise_postcodes(pd.Series(["mk9  3ej", "MK93EJ", ""])).tolist()
    ['MK9 3EJ', 'MK93EJ', <NA>]
    """
    text = values.astype("string").str.strip().str.upper().str.replace(r"\s+", " ", regex=True)
    return text.mask(text == "")


def coerce_table(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Give a raw (text) table the Dataset dtypes; missing contract columns are added empty.

    Extra columns are kept (after the contract's columns). No validation, no findings.

    Examples
    --------
    >>> coerce_table("oc2", pd.DataFrame({"CHILD": ["7"], "SDQ_SCORE": ["12"]})).SDQ_SCORE.tolist()
    [12.0]
    """
    out = frame.copy()
    for col in COLUMNS[name]:
        if col not in out.columns:
            out[col] = pd.NA
    for col in out.columns:
        if col in PROVENANCE:
            continue
        if col in DATE_COLUMNS:
            out[col] = parse_dates(out[col])
        elif col in NUMERIC_COLUMNS:
            out[col] = pd.to_numeric(out[col], errors="coerce").astype("float64")
        elif col in TEXT_COLUMNS:
            out[col] = normalise_text(out[col])
        elif col in POSTCODE_COLUMNS:
            out[col] = normalise_postcodes(out[col])
        elif col in COLUMNS[name]:
            out[col] = normalise_codes(out[col])
    for col in PROVENANCE:
        if col not in out.columns:
            out[col] = pd.NA
    out["YEAR"] = pd.to_numeric(out["YEAR"], errors="coerce").astype("Int64")
    out["source_row"] = pd.to_numeric(out["source_row"], errors="coerce").astype("Int64")
    out["source_file"] = out["source_file"].astype("string")
    ordered = COLUMNS[name] + list(PROVENANCE)
    extras = [c for c in out.columns if c not in ordered]
    return out[ordered + extras].reset_index(drop=True)


def empty_table(name: str) -> pd.DataFrame:
    """An empty table with the Dataset dtypes.

    Examples
    --------
    >>> empty_table("episodes")["DECOM"].dtype
    dtype('<M8[ns]')
    """
    return coerce_table(name, pd.DataFrame({c: pd.Series(dtype="object") for c in COLUMNS[name]}))


class _HeldFindings:
    """The ``findings`` field of :class:`Dataset`: a findings frame, or the collector
    (:class:`~cppanalytics.findings.Findings`, whose large batches may be held as arrays)
    given by :meth:`Dataset.hold_findings`, read as the frame, made once at the first read
    and kept.

    The loader holds its collector: a run that only writes the summary of the findings
    (:meth:`Dataset.collected_findings`) never makes the million rows of a large extract's
    superseded rows; whoever reads ``findings`` gets the same frame as before.
    """

    @overload
    def __get__(self, ds: None, owner: Any) -> None: ...

    @overload
    def __get__(self, ds: Dataset, owner: Any) -> pd.DataFrame: ...

    def __get__(self, ds: Dataset | None, owner: Any) -> pd.DataFrame | None:
        if ds is None:  # (the dataclass's default: no findings)
            return None
        held = ds.__dict__["_findings"]
        if isinstance(held, pd.DataFrame):
            return held
        frame = held.to_frame()
        ds.__dict__["_findings"] = frame
        return frame

    def __set__(self, ds: Dataset, value: pd.DataFrame | None) -> None:
        # (an empty frame made now, in the text storage the dataset is made in)
        ds.__dict__["_findings"] = empty_findings() if value is None else value


@dataclass
class Dataset:
    """A council's 903 data: one typed table per 903 table, plus findings and metadata.

    Attributes
    ----------
    tables
        table key (see :data:`TABLES`) → DataFrame; every key is present (empty if absent).
    findings
        the findings table (:mod:`cppanalytics.findings`) from loading (held as a
        collector by the loader, :meth:`hold_findings`, and made a frame when first read;
        :meth:`collected_findings` reads it without making it one).
    la_code
        the council's code if known (new E-code such as ``"E06000042"``, or old 3-digit).
    sources
        the files read.
    table_years
        per table, the collection years it held usable rows for before years were stitched
        (filled by the loader; empty for in-memory data, where ``YEAR`` values stand in).
        :mod:`cppanalytics.ssda903.coverage` reads it to refuse period ends the data cannot
        answer for.
    """

    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    findings: _HeldFindings = _HeldFindings()
    la_code: str | None = None
    sources: list[str] = field(default_factory=list)
    table_years: dict[str, tuple[int, ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name in TABLES:
            if name not in self.tables or self.tables[name] is None:
                self.tables[name] = empty_table(name)

    @classmethod
    @with_python_strings
    def from_tables(cls, tables: dict[str, pd.DataFrame], la_code: str | None = None) -> Dataset:
        """Build a Dataset from in-memory tables (text or typed), coercing dtypes only.

        Column values may be ``dd/mm/YYYY`` or ISO dates and codes in any case.
        """
        unknown = set(tables) - set(TABLES)
        if unknown:
            raise KeyError(f"unknown 903 table(s) {sorted(unknown)}; use {list(TABLES)}")
        typed = {name: coerce_table(name, frame) for name, frame in tables.items()}
        return cls(tables=typed, la_code=la_code)

    def hold_findings(self, found: Findings | pd.DataFrame) -> None:
        """Hold the collector ``found`` as the findings: ``findings`` is its frame (made at
        the first read), :meth:`collected_findings` its batches as they are held (a frame
        is held as it is).

        Examples
        --------
        >>> ds, found = Dataset(), Findings()
        >>> found.add("info", "superseded", row=2)
        >>> ds.hold_findings(found)
        >>> ds.findings["row"].tolist()
        [2]
        """
        self.__dict__["_findings"] = found

    def hold_child_codes(self, codes: dict[str, tuple[np.ndarray, np.ndarray]]) -> None:
        """Hold, per table name, its rows' CHILD as integer codes (-1: blank) and the
        distinct values they stand for (one per distinct text, so codes are equal exactly
        when the texts are): the loader's numbering, read back by
        :meth:`loaded_child_codes` while that table is the one held now.

        Examples
        --------
        >>> ds = Dataset.from_tables({"reviews": pd.DataFrame({"CHILD": ["b", None, "b"]})})
        >>> ds.hold_child_codes({"reviews": (np.array([0, -1, 0]), np.array(["b"], dtype=object))})
        >>> [c.tolist() for c in ds.loaded_child_codes("reviews")]
        [[0, -1, 0], ['b']]
        >>> ds.tables["reviews"] = ds.tables["reviews"].copy()  # (another table: not its codes)
        >>> ds.loaded_child_codes("reviews") is None
        True
        """
        self.__dict__["_child_codes"] = {
            name: (self.tables[name], *pair) for name, pair in codes.items() if name in self.tables
        }

    def loaded_child_codes(self, name: str) -> tuple[np.ndarray, np.ndarray] | None:
        """The codes and distinct values of table ``name``'s CHILD held by
        :meth:`hold_child_codes`, or ``None`` (none held, or the table has been replaced
        since)."""
        held: tuple[pd.DataFrame, np.ndarray, np.ndarray] | None
        held = self.__dict__.get("_child_codes", {}).get(name)
        if held is None:
            return None
        table, codes, values = held
        if len(codes) != len(table) or table is not self.tables.get(name):
            return None
        return codes, values

    def collected_findings(self) -> Findings:
        """A new collector holding the findings as they are held (a large extract's
        superseded rows as arrays, not made rows): what a run extends with its own
        findings and summarises for its findings CSV.

        Examples
        --------
        >>> ds = Dataset()
        >>> found = ds.collected_findings()
        >>> found.add("error", "x")
        >>> len(found), len(ds.findings)
        (1, 0)
        """
        out = Findings()
        out.extend(self.__dict__["_findings"])
        return out

    def __getattr__(self, name: str) -> pd.DataFrame:
        # convenient attribute access: ds.episodes, ds.header ...
        if name in TABLES:
            return self.tables[name]
        raise AttributeError(name)

    def years(self) -> list[int]:
        """Collection years present in the episodes table (sorted)."""
        years = self.tables["episodes"]["YEAR"].dropna().unique()
        return sorted(int(y) for y in years)

    def extract_date(self) -> pd.Timestamp | None:
        """The latest episode start or end date: a proxy for the extract date."""
        eps = self.tables["episodes"]
        dates = pd.concat([eps["DECOM"], eps["DEC"]]).dropna()
        return None if dates.empty else pd.Timestamp(dates.max())


__all__ = [
    "COLUMNS",
    "DATE_COLUMNS",
    "FILE_NAMES",
    "NUMERIC_COLUMNS",
    "PROVENANCE",
    "REQUIRED_TABLES",
    "TABLES",
    "Dataset",
    "coerce_table",
    "empty_table",
    "normalise_codes",
    "parse_dates",
]
