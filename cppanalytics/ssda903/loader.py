"""Load a council's 903 files into one validated, stitched :class:`Dataset`.

:func:`load` accepts files or folders (searched recursively) holding any mix of:

* DfE CSV file sets, one folder per collection year or one folder;
* the pooled multi-year ("LIIA") layout: ISO dates, extra ``LA`` and ``YEAR`` columns,
  several years concatenated;
* the XML return (``EXPSSDA903``).

Files may carry their collection year in a folder name (``2023-24/episodes.csv``) or
their own name (``2023-24_episodes.csv``, ``episodes_202324.csv``); a lone four-digit year
(``2023-episodes.csv``, ``SSDA903_2024_episodes.csv``) groups files whose year is then
read from their dates (see :func:`_assign_years`).

Steps: find files (:mod:`.readers`) → read every value as text, recognising tables by
their column set (:mod:`.readers`, :mod:`.xml903`) → give each row its collection year
(:mod:`.years`) → keep one council (``LA``) → refuse two files of one table and year →
type the columns
(:func:`cppanalytics.ssda903.dataset.coerce_table`) → check rows (:mod:`.checks`) →
stitch years and repair episodes (:mod:`.stitch`) → check across tables.

Nothing is dropped silently: every input row ends up in a Dataset table (traceable by
``source_file`` + ``source_row``), or in the findings with ``action="set_aside"``, or in a
file reported with ``action="rejected_file"``. A missing Header or Episodes table raises
:class:`~cppanalytics.errors.CppError`.

Examples
--------
>>> ds = load("/work/shared/reference/peer-samples/validator-fake-data/episodes.csv")  # doctest: +SKIP
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Collection, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from cppanalytics.errors import CppError
from cppanalytics.findings import Findings, FoundPart, as_frame, normalise_findings
from cppanalytics.ssda903.checks import blank_text, check_cross, check_rows
from cppanalytics.ssda903.coded import Coded, factorize_text
from cppanalytics.ssda903.dataset import (
    COLUMNS,
    DATE_COLUMNS,
    NUMERIC_COLUMNS,
    POSTCODE_COLUMNS,
    PROVENANCE,
    REQUIRED_TABLES,
    TABLES,
    TEXT_COLUMNS,
    Dataset,
    empty_table,
    normalise_codes,
    normalise_postcodes,
    normalise_text,
    parse_dates,
)
from cppanalytics.ssda903.memory import release_free_memory
from cppanalytics.ssda903.provenance import concat, row_findings
from cppanalytics.ssda903.provenance import empty as empty_findings_frame
from cppanalytics.ssda903.readers import (
    PlainTable,
    RawTable,
    SourceFile,
    discover,
    prefetch,
    raw_tables,
    read_csv_part,
    read_workers,
)
from cppanalytics.ssda903.schemas import SCHEMAS
from cppanalytics.ssda903.stitch import (
    coded_sort_codes,
    dedupe_within_year,
    repair_overlaps,
    repeated_keys,
    sort_codes,
    stitch_years_held,
    text_ranks,
)
from cppanalytics.ssda903.xml903 import read_xml
from cppanalytics.ssda903.years import (
    MATERIAL_SHARE,
    collection_year_of,
    infer_year,
    label,
    labels,
    lone_year,
    naming_folder,
    parse_year_column,
    year_from_name,
)
from cppanalytics.string_storage import with_python_strings

PathLike = str | Path


@with_python_strings
def load(
    paths: PathLike | Sequence[PathLike],
    la_code: str | None = None,
    *,
    today: str | pd.Timestamp | None = None,
    episodes_ready: Callable[[pd.DataFrame, np.ndarray | None], object] | None = None,
    header_ready: Callable[[pd.DataFrame, np.ndarray | None], object] | None = None,
) -> Dataset:
    """Read, validate and stitch 903 files into one :class:`Dataset`.

    Parameters
    ----------
    paths
        a file or folder, or several; folders are searched recursively for ``.csv`` and
        ``.xml`` files.
    la_code
        the council's code. With pooled data holding several councils (``LA`` column),
        only this council's rows are used (the others are set aside, info findings).
    today
        the date after which dates count as "in the future" (default: today).
    episodes_ready
        called with the episodes table, the very frame the dataset will hold, as soon as
        it is built (on the thread that built it, while other tables may still be
        building), and its rows' CHILD as integers that sort as the texts do and are equal
        exactly when they are, -1 for a blank (``None`` when not every value is text): a
        caller's own work on the episodes can start there (it must not change the table,
        and what it raises goes unreported).
    header_ready
        the same for the header table: called with the very frame the dataset will hold
        and its rows' CHILD as integers equal exactly when the texts are, -1 for a blank
        (they need not sort as the texts do).

    Returns
    -------
    Dataset
        every table present (empty if absent), ``findings`` holding every finding.

    Raises
    ------
    CppError
        no usable Header or Episodes table, several councils' data and no ``la_code``, or
        several files of one table that cannot be told apart by collection year.

    Examples
    --------
    >>> ds = load("data/synthetic")  # doctest: +SKIP
    >>> ds.findings.severity.value_counts()  # doctest: +SKIP
    """
    dataset = build_dataset(read_extract(paths, today=today), la_code, episodes_ready, header_ready)
    release_free_memory()  # what loading let go (the extract, the findings' pieces)
    return dataset


def _typed(col: str, values: pd.Series) -> tuple[pd.Series, np.ndarray | None]:
    """Distinct text values of ``col`` typed as the Dataset holds them, and (dates and
    numbers) which were blank as written (None for other columns).

    Examples
    --------
    >>> conv, blank = _typed("DOB", pd.Series(["01/04/2010", " ", "x"], dtype=object))
    >>> conv.tolist(), blank.tolist()
    ([Timestamp('2010-04-01 00:00:00'), NaT, NaT], [False, True, False])
    """
    if col in DATE_COLUMNS:
        conv = parse_dates(values)
    elif col in NUMERIC_COLUMNS:
        conv = pd.to_numeric(values, errors="coerce").astype("float64")
    elif col in TEXT_COLUMNS:
        conv = normalise_text(values)
    elif col in POSTCODE_COLUMNS:
        conv = normalise_postcodes(values)
    else:
        conv = normalise_codes(values)
    if col in DATE_COLUMNS or col in NUMERIC_COLUMNS:
        return conv, blank_text(values).to_numpy()
    return conv, None


def _factorize_typed(col: str, conv: pd.Series, text: np.ndarray) -> tuple[np.ndarray, Any]:
    """``pd.factorize(conv)`` (codes as ``int32``) of typed values made from the distinct
    texts ``text``; ids typed without a change (ids as systems write them) are distinct
    already, so they are not hashed again.

    Examples
    --------
    >>> text = np.array(["7", "8"], dtype=object)
    >>> codes, uniques = _factorize_typed("CHILD", pd.Series(text, dtype="string"), text)
    >>> codes.tolist(), list(uniques)
    ([0, 1], ['7', '8'])
    """
    if col in TEXT_COLUMNS and len(conv) and not conv.isna().any():
        same = np.asarray(conv.array, dtype=object) == text
        if bool(np.all(same)):
            return np.arange(len(conv), dtype=np.int32), conv.array
    codes, uniques = pd.factorize(conv)
    return codes.astype(np.int32), uniques


#: held while a :class:`TypedValues` looks up or types values (tables built side by side
#: share them: each column's values are typed once, by one thread)
_TYPING = threading.RLock()


@dataclass
class TypedValues:
    """The reader's distinct values of each column name, typed once for every table and
    file holding them (:func:`coerce_with_codes`, the dates the years are checked on).

    Kept by the identity of the distinct-value array (held here, so the identity stays
    its own); typing is value by value, so typing all distinct values once and taking
    each table's from them gives what typing each table's own would.

    Examples
    --------
    >>> typed = TypedValues()
    >>> values = np.array(["01/04/2010", ""], dtype=object)
    >>> typed.of("DOB", values)[0] is typed.of("DOB", values)[0]
    True
    """

    held: dict[tuple[str, int], tuple[np.ndarray, pd.Series, np.ndarray | None]] = field(
        default_factory=dict
    )
    #: categories (by identity, held) -> their values as one object array
    arrays: dict[int, tuple[pd.Index, np.ndarray]] = field(default_factory=dict)
    #: (column, id of the distinct texts) -> each text's typed code and the typed values
    factorized: dict[tuple[str, int], tuple[np.ndarray, Any]] = field(default_factory=dict)
    #: id of typed values (held) -> their places in sorted order (None: not all text)
    ranked: dict[int, tuple[Any, np.ndarray | None]] = field(default_factory=dict)
    #: id of typed values (held) -> the same values as one object array
    as_objects: dict[int, tuple[Any, np.ndarray]] = field(default_factory=dict)

    def distinct(self, categories: pd.Index) -> np.ndarray:
        """A categorical column's categories as an object array, the same array each time."""
        key = id(categories)
        with _TYPING:
            if key not in self.arrays:
                self.arrays[key] = (categories, np.asarray(categories.array, dtype=object))
            return self.arrays[key][1]

    def of(self, col: str, values: np.ndarray) -> tuple[pd.Series, np.ndarray | None]:
        """:func:`_typed` of ``values`` (the distinct texts of column ``col``)."""
        key = (col, id(values))
        with _TYPING:
            if key not in self.held:
                self.held[key] = (values, *_typed(col, pd.Series(values, dtype="object")))
            _, conv, blank = self.held[key]
        return conv, blank

    def codes(self, col: str, values: np.ndarray) -> tuple[np.ndarray, Any]:
        """Each of ``values``' (the distinct texts of column ``col``) code into the
        distinct typed values (-1: blank once typed), and those typed values: one
        numbering for every table sharing ``values``.

        Examples
        --------
        >>> typed = TypedValues()
        >>> codes, uniques = typed.codes("SEX", np.array(["1", " 1", "", "2"], dtype=object))
        >>> codes.tolist(), list(uniques)
        ([0, 0, -1, 1], ['1', '2'])
        """
        key = (col, id(values))
        with _TYPING:
            if key not in self.factorized:
                conv, _ = self.of(col, values)  # holds ``values``, so its id stays its own
                self.factorized[key] = _factorize_typed(col, conv, values)
            return self.factorized[key]

    def objects(self, values: Any) -> np.ndarray:
        """Typed distinct values as one object array, the same array each time they are
        asked for (so every table and council sharing them shares its identity: CHILD
        ids are matched across tables by it, with no text hashed).

        Examples
        --------
        >>> typed = TypedValues()
        >>> values = pd.Series(["b", "a"], dtype="str")
        >>> typed.objects(values).tolist(), typed.objects(values) is typed.objects(values)
        (['b', 'a'], True)
        """
        held = self._held(values)
        key = id(held)
        with _TYPING:
            if key not in self.as_objects:
                self.as_objects[key] = (held, np.asarray(held, dtype=object))
            return self.as_objects[key][1]

    @staticmethod
    def _held(values: Any) -> Any:
        """The array behind ``values`` (a fresh Series or wrapper is made per call)."""
        held = values.array if isinstance(values, pd.Series | pd.Index) else values
        if isinstance(held, pd.arrays.NumpyExtensionArray):
            held = held.to_numpy()  # the array it wraps
        return held

    def text_ranks(self, values: Any) -> np.ndarray | None:
        """:func:`~.stitch.text_ranks` of typed distinct values, once per array of them.

        Examples
        --------
        >>> typed = TypedValues()
        >>> values = np.array(["b", "a"], dtype=object)
        >>> typed.text_ranks(values).tolist(), typed.text_ranks(values) is typed.text_ranks(values)
        ([1, 0], True)
        >>> typed.text_ranks(pd.Series(values, dtype=object, copy=False)) is typed.text_ranks(values)
        True
        """
        held = self._held(values)
        key = id(held)  # a Series made afresh over the same array is the same values
        with _TYPING:
            if key not in self.ranked:
                self.ranked[key] = (held, text_ranks(self.objects(held)))
            return self.ranked[key][1]


@dataclass
class Extract:
    """903 files read and given their collection years, before one council is kept.

    :func:`read_extract` makes it; :func:`build_dataset` turns it into a
    :class:`Dataset` for one council. Splitting the two lets pooled multi-council files be
    read once and built council by council (:meth:`for_council`).
    """

    sources: list[SourceFile]
    parts: list[RawTable]
    findings: Findings
    batch: list[FoundPart]
    years: _Years
    now: pd.Timestamp
    #: the reader's distinct values typed once (shared by every council built from it)
    typed: TypedValues = field(default_factory=TypedValues)

    def for_council(self, code: str) -> Extract:
        """The rows of council ``code`` (and rows with a blank ``LA``), nothing else.

        Other councils' rows are left out without a finding each (they are not this
        council's data); the findings of reading the files are kept.
        """
        return self.by_council([code])[code]

    def by_council(self, codes: Sequence[str]) -> dict[str, Extract]:
        """:meth:`for_council` of each of ``codes``, reading each pooled table's ``LA``
        column once (not once per council): its rows are grouped by council, and each
        council takes its group and the blank-``LA`` rows, in file order.
        """
        groups: list[dict[str, np.ndarray] | None] = []
        for part in self.parts:
            if "_LA" not in part.frame.columns:
                groups.append(None)
                continue
            row_codes, written = _la_distinct(part.frame["_LA"])  # keyed per distinct value
            named, distinct = pd.factorize(council_keys(pd.Series(written, dtype=object)))
            keys = named[row_codes]
            order = np.argsort(keys, kind="stable")
            bounds = np.searchsorted(keys[order], np.arange(len(distinct) + 1))
            groups.append(
                {str(k): order[bounds[i] : bounds[i + 1]] for i, k in enumerate(distinct)}
            )
        empty = np.zeros(0, dtype=np.intp)
        out: dict[str, Extract] = {}
        for code in codes:
            want = council_keys(pd.Series([code])).iloc[0]
            parts = []
            for part, grouped in zip(self.parts, groups, strict=True):
                if grouped is None:
                    parts.append(replace(part, frame=part.frame))
                    continue
                rows = np.sort(np.concatenate([grouped.get("", empty), grouped.get(want, empty)]))
                frame = part.frame.take(rows).reset_index(drop=True)
                parts.append(replace(part, frame=frame))
            out[code] = self._with_parts(parts)
        return out

    def own_values(self) -> Extract:
        """This extract with its categorical columns cut to the values its rows use
        (:func:`compact_categories`) and nothing typed yet: what to send to another
        process. In one process, councils split from pooled files share the pooled
        values' typing (done once, for all of them) instead."""
        return self._with_parts(compact_categories(self.parts), TypedValues())

    def _with_parts(self, parts: list[RawTable], typed: TypedValues | None = None) -> Extract:
        """This extract holding ``parts`` (and ``typed``, when given), with findings and
        batch lists of its own: building a dataset from it adds to them."""
        findings = Findings()
        findings.extend(self.findings)
        return replace(
            self,
            parts=parts,
            findings=findings,
            batch=list(self.batch),
            typed=self.typed if typed is None else typed,
        )


def compact_categories(parts: list[RawTable]) -> list[RawTable]:
    """``parts`` with each categorical column's distinct values cut to those their rows use.

    A council's rows taken from pooled files still point into every council's distinct
    values; cut to its own, its build types, numbers and ranks only those (and a Dask
    worker is sent only those). Columns sharing one dtype keep sharing one (so a column
    name is still typed once for every table); the values keep their order.

    Examples
    --------
    >>> from cppanalytics.ssda903.readers import SourceFile
    >>> dtype = pd.CategoricalDtype(["a", "b", "c", "d"])
    >>> frames = [pd.DataFrame({"X": pd.Categorical.from_codes(c, dtype=dtype)})
    ...           for c in ([3, 1, -1], [1])]
    >>> source = SourceFile(Path("x.csv"), Path("."))
    >>> out = compact_categories([RawTable("episodes", f, source) for f in frames])
    >>> [p.frame["X"].tolist() for p in out]
    [['d', 'b', nan], ['b']]
    >>> list(out[0].frame["X"].cat.categories), out[0].frame["X"].dtype is out[1].frame["X"].dtype
    (['b', 'd'], True)
    """
    used: dict[int, tuple[pd.CategoricalDtype, np.ndarray]] = {}
    for part in parts:
        for col, dtype in part.frame.dtypes.items():
            if isinstance(dtype, pd.CategoricalDtype):
                held = used.setdefault(id(dtype), (dtype, np.zeros(len(dtype.categories), bool)))
                codes = part.frame[col].array.codes
                held[1][codes[codes >= 0]] = True
    cut: dict[int, tuple[pd.CategoricalDtype, np.ndarray]] = {}
    for key, (dtype, mask) in used.items():
        keep = np.flatnonzero(mask)
        recode = np.full(len(mask) + 1, -1, dtype=np.int64)  # slot -1: missing stays so
        recode[keep] = np.arange(len(keep))
        cut[key] = (pd.CategoricalDtype(dtype.categories.take(keep)), recode)
    out = []
    for part in parts:
        frame = part.frame.copy(deep=False)
        for col, dtype in part.frame.dtypes.items():
            if isinstance(dtype, pd.CategoricalDtype):
                new, recode = cut[id(dtype)]
                codes = recode[part.frame[col].array.codes]
                frame[col] = pd.Categorical.from_codes(codes, dtype=new, validate=False)
        out.append(replace(part, frame=frame))
    return out


def read_extract(
    paths: PathLike | Sequence[PathLike], *, today: str | pd.Timestamp | None = None
) -> Extract:
    """Find and read 903 files and give every row its collection year (no council kept yet).

    Parameters
    ----------
    paths, today
        as for :func:`load`.

    Returns
    -------
    Extract
        the rows read, with the findings so far.
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    roots = [Path(p) for p in paths]
    if not roots:
        raise CppError("no 903 files given: pass a folder or file(s) to load.")
    now = pd.Timestamp.today().normalize() if today is None else pd.Timestamp(today)
    findings = Findings()
    batch: list[FoundPart] = []  # vectorised findings, added to ``findings`` once
    sources = discover(roots, findings)
    typed = TypedValues()
    early: list[_Years] = []

    def years_early(parts: list[RawTable]) -> None:
        """The rows' years while CHILD is still being numbered (no file's frame has it
        yet): only when no file has a YEAR column, whose findings name each row's child."""
        if not any("_YEAR" in part.frame.columns for part in parts):
            early.append(_assign_years(parts, findings, batch, now, typed))

    parts = _read_all(sources, findings, years_early)
    years = early[0] if early else _assign_years(parts, findings, batch, now, typed)
    return Extract(sources, parts, findings, batch, years, now, typed)


def council_codes(extract: Extract) -> list[str]:
    """The councils whose rows the extract holds (``LA`` column), as ONS codes, sorted.

    Codes DfE's list does not know are given as written (upper case); an extract without
    an ``LA`` column gives ``[]``.
    """
    written: dict[str, str] = {}  # council key -> the code to give it
    for part in extract.parts:
        if "_LA" not in part.frame.columns:
            continue
        codes = part.frame["_LA"].astype("string").fillna("").str.strip().str.upper()
        pairs = pd.DataFrame({"key": council_keys(codes), "code": codes}).drop_duplicates()
        for key, code in pairs.itertuples(index=False):  # one per distinct code, not per row
            if key and (key not in written or code.startswith("E")):
                written[key] = code
    new = {old: new for new, old in _old_codes().items() if new != old}
    return sorted(
        code if code.startswith("E") else new.get(code, code) for code in written.values()
    )


@with_python_strings
def build_dataset(
    extract: Extract,
    la_code: str | None = None,
    episodes_ready: Callable[[pd.DataFrame, np.ndarray | None], object] | None = None,
    header_ready: Callable[[pd.DataFrame, np.ndarray | None], object] | None = None,
) -> Dataset:
    """Keep one council's rows of an :class:`Extract`, then type, check and stitch them.

    The tables' text is held with Python string storage (:mod:`cppanalytics.string_storage`),
    as :func:`load` holds it, whoever calls this (the councils of a pooled extract are
    built here directly).

    Parameters
    ----------
    extract
        from :func:`read_extract` (it is used up: its rows are changed in place).
    la_code, episodes_ready, header_ready
        as for :func:`load`.

    Returns
    -------
    Dataset
        as :func:`load` returns.
    """
    sources, findings, batch = extract.sources, extract.findings, extract.batch
    years, now = extract.years, extract.now
    parts, la = _select_council(extract.parts, la_code, batch)
    _check_apart(parts)
    tables: dict[str, pd.DataFrame] = {}
    table_years: dict[str, tuple[int, ...]] = {}
    children: dict[str, _Child] = {}
    numbered: dict[str, pd.DataFrame] = {}  # the finished episodes, as the dataset holds them

    def finish_episodes(eps: pd.DataFrame, child: _Child) -> tuple[pd.DataFrame, list]:
        """Episodes after the year's end, then the overlap repair (on the episodes'
        build thread: they read the episodes only); ``episodes_ready`` is then given
        them as the dataset will hold them (rows numbered 0, 1, ...)."""
        eps, late = _after_year_end(eps, years.doubtful)
        latest = int(eps["YEAR"].max()) if len(eps) and eps["YEAR"].notna().any() else None
        eps, repaired = repair_overlaps(eps, latest, child.sort_codes(eps.index))
        numbered["episodes"] = eps.reset_index(drop=True)
        if episodes_ready is not None:
            codes = child.sort_codes(eps.index)
            if codes is not None:  # (a blank CHILD as -1)
                codes = np.where(child.rows(eps.index)[0] < 0, -1, codes)
            episodes_ready(numbered["episodes"], codes)
        return eps, [late, repaired]

    def finish_header(header: pd.DataFrame, child: _Child) -> tuple[pd.DataFrame, list]:
        """``header_ready`` given the header as the dataset will hold it (on its build
        thread), with its rows' CHILD codes (a blank: -1)."""
        numbered["header"] = header.reset_index(drop=True)
        if header_ready is not None:
            header_ready(numbered["header"], child.rows(header.index)[0])
        return header, []

    built = _build_tables(
        {n: [p for p in parts if p.table == n] for n in TABLES},
        now,
        extract,
        finish={"episodes": finish_episodes, "header": finish_header},
    )
    after: list[pd.DataFrame] = []
    for name in TABLES:  # findings and years in the tables' order, however they were built
        done = built.pop(name)
        tables[name], children[name] = done.table, done.child
        batch.extend(done.found)
        table_years.update(done.years)
        after.extend(done.after)
    release_free_memory()  # every table's text and codes, before the checks across them
    batch.extend(after)  # (the episodes' finishing findings, after every table's own)
    # the findings so far are stacked only when a required table is missing (to say why)
    _require(tables, sources, parts, lambda: concat([findings.to_frame(), *map(as_frame, batch)]))
    child_codes = {n: children[n].rows(tables[n].index) for n in TABLES}  # (the rows kept)
    batch.append(check_cross(tables, child_codes))
    del children
    if years.unstated:
        _outcomes_serve_any_year(tables, years, findings)
    everything = Findings()  # (the superseded rows held as arrays until read: FindingArrays)
    for part in [findings, *batch]:
        everything.extend(part)
    for name in TABLES:
        tables[name] = numbered[name] if name in numbered else tables[name].reset_index(drop=True)
    dataset = Dataset(
        tables=tables,
        la_code=la_code or la,
        sources=[str(s.path) for s in sources],
        table_years=table_years,
    )
    # each table's CHILD codes, for the indicators to code children without their text
    if _codes_worth_holding(child_codes):
        dataset.hold_child_codes(child_codes)
    # (no finding: the empty frame the findings stacked were)
    dataset.hold_findings(everything if len(everything) else normalise_findings(concat([])))
    return dataset


def _codes_worth_holding(codes: dict[str, tuple[np.ndarray, np.ndarray]]) -> bool:
    """Whether a dataset should hold its tables' CHILD codes (:meth:`Dataset.hold_child_codes`):
    not when their distinct values outnumber the rows (one council of a pooled extract,
    whose codes point into every council's ids: coding its rows costs less, and a council
    sent to another process would carry every council's ids with them).

    Examples
    --------
    >>> ids = np.array(["7", "8", "9"], dtype=object)
    >>> _codes_worth_holding({"header": (np.array([0, 1, 2]), ids)})
    True
    >>> _codes_worth_holding({"header": (np.array([1]), ids), "reviews": (np.array([1]), ids)})
    False
    """
    distinct = {id(values): len(values) for _, values in codes.values()}
    return sum(distinct.values()) <= sum(len(rows) for rows, _ in codes.values())


#: extracts with at least this many rows build their tables side by side (:func:`_build_tables`)
_SIDE_BY_SIDE_ROWS = 200_000


class _Built(NamedTuple):
    """One table built by :func:`_build_tables`."""

    table: pd.DataFrame
    child: _Child
    #: the findings of building it, in order
    found: list[FoundPart]
    #: its collection years (``table_years`` of :func:`_build_table`)
    years: dict[str, tuple[int, ...]]
    #: the findings of finishing it (``finish``), in order
    after: list[pd.DataFrame]


def _build_tables(
    jobs: dict[str, list[RawTable]],
    today: pd.Timestamp,
    extract: Extract,
    finish: dict[str, Callable[[pd.DataFrame, _Child], tuple[pd.DataFrame, list]]] | None = None,
) -> dict[str, _Built]:
    """:func:`_build_table` of every table (then ``finish[name]`` of the table and its
    CHILD codes, where given: the table finished and that step's findings), per table name.

    A large extract's tables are built side by side, largest first, one thread per core
    (at most :func:`~.readers.read_workers`): most of a table's build is numpy and
    pyarrow work done without the interpreter lock. Each table's build reads only its own
    files and the shared typed values (:class:`TypedValues`, which types a column's
    values once under a lock), so the tables, findings and years are those of building
    them one after another; the caller adds them in the tables' order. An error is
    raised as building them in order would raise it first.
    """
    then = finish or {}

    def build(name: str) -> _Built:
        found: list[FoundPart] = []
        years: dict[str, tuple[int, ...]] = {}
        table, child = _build_table(name, jobs[name], found, today, years, extract.typed)
        after: list[pd.DataFrame] = []
        if name in then:
            table, after = then[name](table, child)
        return _Built(table, child, found, years, after)

    sizes = {name: sum(len(p.frame) for p in parts) for name, parts in jobs.items()}
    workers = min(read_workers(), len(jobs))
    if workers < 2 or sum(sizes.values()) < _SIDE_BY_SIDE_ROWS:
        return {name: build(name) for name in jobs}
    with ThreadPoolExecutor(workers, thread_name_prefix="cppanalytics-build") as pool:
        largest_first = sorted(jobs, key=lambda name: -sizes[name])
        futures = {name: pool.submit(build, name) for name in largest_first}
        return {name: futures[name].result() for name in jobs}


def _read_all(
    sources: list[SourceFile],
    findings: Findings,
    while_numbering: Callable[[list[RawTable]], object] | None = None,
) -> list[RawTable]:
    """Every source's tables in order; the CSV files are read side by side
    (:func:`~cppanalytics.ssda903.readers.prefetch`), the findings added in order.
    ``while_numbering`` is called with the tables while their CHILD is numbered
    (:func:`~cppanalytics.ssda903.readers.raw_tables`: no frame holds it yet)."""
    parts: list[RawTable | PlainTable] = []
    xml = [source.path.suffix.lower() == ".xml" for source in sources]
    with prefetch([s for s, x in zip(sources, xml, strict=True) if not x]) as reads:
        for source, is_xml in zip(sources, xml, strict=True):
            if is_xml:
                parts.extend(read_xml(source, findings).values())
            else:
                part = read_csv_part(source, findings, next(reads))
                if part is not None:
                    parts.append(part)
    # one string object per distinct value across the files
    tables = raw_tables(parts, while_numbering)
    release_free_memory()  # the pyarrow reader's memory and the files' bytes
    return tables


@dataclass
class _Years:
    """How the loader gave the file sets their collection years."""

    #: (folder, lone year in the file names or None) → year decided from the dates
    inferred: dict[tuple[str, int | None], int | None] = field(default_factory=dict)
    #: True when one file set carries no year anywhere (no YEAR, nothing in any name)
    unstated: bool = False
    #: the set's folder when ``unstated``
    folder: str = ""
    #: files whose stated year contradicts their dates (warned once, not row by row)
    doubtful: set[str] = field(default_factory=set)


def _group_key(path: Path) -> tuple[str, int | None]:
    return str(path.parent), lone_year(path.stem)


def _stated(part: RawTable) -> tuple[int | None, str]:
    """The year a file's name or folder states, and where (``""`` when none)."""
    path = part.source.path
    named = year_from_name(path.stem)
    if named is not None:
        return named, f"file name {path.name}"
    folder = naming_folder(path, part.source.root)
    if folder is not None:
        return year_from_name(folder.name), f"folder {folder}"
    return None, ""


def _assign_years(
    parts: list[RawTable],
    findings: Findings,
    batch: list[FoundPart],
    now: pd.Timestamp,
    typed: TypedValues,
) -> _Years:
    """Give every row a ``YEAR``: the YEAR column, else a collection year stated in the file
    name or a folder name (``2023-24``, ``202324``), else the dates of its file set.

    A file set is the files of one folder sharing the same lone four-digit year in their
    names (``2023-episodes.csv``, ``episodes_2023.csv``) or having none. A lone year does
    not say whether it is the collection year's start or end, so the set's dates decide
    (info finding); dates far from the named year are a warning.
    """
    info = _Years()
    groups: dict[tuple[str, int | None], list[RawTable]] = {}
    stated: list[RawTable] = []
    for part in parts:
        year = None  # the YEAR column's years, when the file has one
        if "_YEAR" in part.frame.columns:
            year = parse_year_column(part.frame["_YEAR"])
            given = part.frame["_YEAR"].str.strip() != ""
            bad = given & year.isna()
            batch.append(
                row_findings(
                    part.frame,
                    bad,
                    "warning",
                    "year_unparseable",
                    part.table,
                    column="YEAR",
                    value=part.frame["_YEAR"],
                    message="YEAR '{value}' is not a collection year; the file's year was "
                    "used instead.",
                    fix="Write YEAR as the year of the collection's 31 March, e.g. 2024.",
                    action="repaired",
                )
            )
            if year.notna().all():
                part.frame["YEAR"] = year
                part.year_from = f"YEAR column of {part.source.path}"
                stated.append(part)
                continue
        named, where = _stated(part)
        if named is not None:
            index = part.frame.index
            part.frame["YEAR"] = _same_year(index, named) if year is None else year.fillna(named)
            part.year_from = where
            stated.append(part)
            continue
        part.frame["YEAR"] = _same_year(part.frame.index, None) if year is None else year
        groups.setdefault(_group_key(part.source.path), []).append(part)
    for key, members in groups.items():
        inferred = _infer(key, members, findings, now, typed)
        info.inferred[key] = inferred
        for part in members:
            if inferred is not None:
                part.frame["YEAR"] = part.frame["YEAR"].fillna(inferred)
            part.year_from = f"the dates of the files in {key[0]}"
    if len(groups) == 1 and not stated:
        ((folder, token),) = groups
        info.unstated = token is None and lone_year(Path(folder).name) is None
        info.folder = folder
    info.doubtful = _check_stated(stated, findings, now, typed)
    return info


def _same_year(index: pd.Index, year: int | None) -> pd.Series:
    """A ``YEAR`` column (nullable ``Int64``) holding ``year`` on every row (None: NA).

    Examples
    --------
    >>> _same_year(pd.RangeIndex(2), 2024).tolist(), _same_year(pd.RangeIndex(1), None).tolist()
    ([2024, 2024], [<NA>])
    """
    n = len(index)
    data = np.full(n, 0 if year is None else year, dtype=np.int64)
    values = pd.arrays.IntegerArray(data, np.full(n, year is None, dtype=bool))
    return pd.Series(values, index=index, copy=False)


def _episode_dates(part: RawTable, typed: TypedValues) -> pd.Series:
    """DECOM and DEC of an episodes part as dates (parsed once per distinct text)."""
    dates = [_dates(part.frame[col], col, typed) for col in ("DECOM", "DEC")]
    return pd.Series(np.concatenate(dates))


def _dates(values: pd.Series, col: str, typed: TypedValues) -> np.ndarray:
    """:func:`~.dataset.parse_dates` of a text column, parsed once per distinct value (the
    reader's distinct values once for all files, :class:`TypedValues`)."""
    given = _categorical_codes(values, typed)
    if given is not None:
        codes, distinct = given
        return typed.of(col, distinct)[0].to_numpy().take(codes)
    codes, uniq = factorize_text(values)
    parsed = parse_dates(pd.Series(uniq, dtype="object")).to_numpy()
    return np.append(parsed, np.datetime64("NaT", "ns")).take(codes)


def _distinct_text(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Each row's code into distinct values (an object array, none missing unless coded
    -1): a categorical column's own codes, only the values used (:func:`compact_codes`),
    else :func:`~.coded.factorize_text`.

    Examples
    --------
    >>> dtype = pd.CategoricalDtype(["a", "b", "c"])
    >>> codes, uniq = _distinct_text(pd.Series(pd.Categorical.from_codes([2, 0, 2], dtype=dtype)))
    >>> codes.tolist(), uniq.tolist()
    ([1, 0, 1], ['a', 'c'])
    """
    given = _categorical_codes(values)
    if given is not None:
        return compact_codes(*given)
    return factorize_text(values)


def _categorical_codes(
    values: pd.Series, typed: TypedValues | None = None
) -> tuple[np.ndarray, np.ndarray] | None:
    """A categorical text column (:class:`~.readers.RawTable`) as each row's code into its
    categories (an object array; with ``typed``, the same array for every column sharing
    the categories), or None when it is not categorical or holds a missing value."""
    array = values.array
    if not isinstance(array, pd.Categorical):
        return None
    codes = array.codes
    if len(codes) and codes.min() < 0:
        return None
    if typed is not None:
        return codes, typed.distinct(array.categories)
    return codes, np.asarray(array.categories.array, dtype=object)


def _infer(
    key: tuple[str, int | None],
    same: list[RawTable],
    findings: Findings,
    now: pd.Timestamp,
    typed: TypedValues,
) -> int | None:
    folder, token = key
    dates = [_episode_dates(p, typed) for p in same if p.table == "episodes"]
    if not dates or pd.concat(dates).dropna().empty:
        dates = [
            parse_dates(p.frame[c])
            for p in same
            for c in COLUMNS[p.table]
            if c in DATE_COLUMNS and c != "DUC"
        ]
    year = infer_year(pd.concat(dates), now) if dates else None
    folder_token = lone_year(Path(folder).name)
    names = sorted(p.source.path.name for p in same)
    shown = ", ".join(names[:4]) + (", ..." if len(names) > 4 else "")
    if token is not None:
        what, lone = f"the files {shown} in {folder}", token
        named = f"the year {token} in their names"
        fix_name = f"{label(year) if year else f'{token}-{(token + 1) % 100:02d}'}_<table>.csv"
        fix = (
            f"Name the files with the collection year in full (e.g. {fix_name}) or put "
            "each year's files in a folder named like 2023-24."
        )
    elif folder_token is not None:
        what, lone = f"the files in {folder}", folder_token
        named = f"the year {folder_token} in the folder name"
        fix = (
            f"Name the folder with the collection year in full (e.g. "
            f"{label(year) if year else '2023-24'})."
        )
    else:
        what, lone, named = f"the files in {folder}", None, ""
        fix = (
            f"Name the folder {label(year) if year else 'like 2023-24'} (or add a YEAR "
            "column) to state the year."
        )
    if year is None:
        findings.add(
            "warning",
            "year_unknown",
            file=folder,
            message=f"the collection year of {what} could not be told "
            "(no YEAR column, no collection year in the folder or file names, no dates).",
            fix="Put each year's files in a folder named like 2023-24.",
            action="loaded",
        )
        return None
    if lone is None:
        findings.add(
            "info",
            "year_inferred",
            file=folder,
            value=year,
            message=f"{what} were taken to be the {label(year)} collection "
            "year, the latest year holding a material share of their episode dates.",
            fix=fix,
            action="loaded",
        )
    else:
        findings.add(
            "info",
            "year_inferred",
            file=folder,
            value=year,
            message=f"{what} were taken to be the {label(year)} collection year from their "
            f"dates: {named} could be the collection year's start or its end.",
            fix=fix,
            action="loaded",
        )
        if year not in (lone, lone + 1):
            findings.add(
                "warning",
                "year_contradicts_dates",
                file=folder,
                value=lone,
                message=f"{what} carry {named}, but their dates fall in the {label(year)} "
                f"collection year, which neither starts nor ends in {lone}; the dates "
                "were followed.",
                fix="Check the files belong to the year in their names and rename them.",
                action="loaded",
            )
    return year


def _year_summary(years: pd.Series, dates: pd.Series | None, now: pd.Timestamp) -> pd.DataFrame:
    """:func:`_year_rows` as a table (columns year, known, after, first, last).

    Examples
    --------
    >>> _year_summary(pd.Series([2024]), None, pd.Timestamp("2025-01-01"))["known"].tolist()
    [0]
    """
    return pd.DataFrame(_year_rows(years, dates, now), columns=list(_SUMMARY))


#: the columns of :func:`_year_summary`
_SUMMARY = ("year", "known", "after", "first", "last")


def _year_rows(
    years: pd.Series, dates: pd.Series | None, now: pd.Timestamp
) -> list[dict[str, Any]]:
    """Per stated year of one file: dates known (up to ``now``), dates after the year's end,
    the first and the last date (one row per year; a file usually holds one year).
    ``dates`` None: a table without episode dates (nothing counted).

    Examples
    --------
    >>> d = pd.Series(pd.to_datetime(["2023-05-01", "2024-04-02", None]))
    >>> _year_rows(pd.Series([2024, 2024, 2024]), d, pd.Timestamp("2025-01-01"))
    ... # doctest: +NORMALIZE_WHITESPACE
    [{'year': 2024, 'known': 2, 'after': 1, 'first': Timestamp('2023-05-01 00:00:00'),
      'last': Timestamp('2024-04-02 00:00:00')}]
    """
    held = years.array  # (its own look-ups: a Series' cost several times theirs, per file)
    given = ~np.asarray(held.isna(), dtype=bool)
    year = held.to_numpy(dtype="float64", na_value=np.nan)[given].astype("int64")
    # a file usually holds one year: no sorting of its rows to find that out
    one = bool(len(year)) and year.min() == year.max()
    distinct = year[:1] if one else np.unique(year)
    stamps = None if dates is None else dates.to_numpy(dtype="datetime64[ns]")[given]
    if stamps is None or np.isnat(stamps).all():  # no episode dates: nothing to count
        return [
            {"year": int(y), "known": 0, "after": 0, "first": pd.NaT, "last": pd.NaT}
            for y in distinct
        ]
    known = ~np.isnat(stamps) & (stamps <= now.to_datetime64())
    out: list[dict[str, Any]] = []
    for y in distinct:
        seen = stamps[known] if one else stamps[known & (year == y)]
        # after the year's end: in a later collection year, i.e. on or after its 1 April
        end = np.datetime64(f"{int(y):04d}-04-01", "ns")
        out.append(
            {
                "year": int(y),
                "known": len(seen),
                "after": int(np.count_nonzero(seen >= end)),
                "first": pd.Timestamp(seen.min()) if len(seen) else pd.NaT,
                "last": pd.Timestamp(seen.max()) if len(seen) else pd.NaT,
            }
        )
    return out


def _coded_year_rows(
    part: RawTable, typed: TypedValues, now: pd.Timestamp
) -> list[dict[str, Any]] | None:
    """:func:`_year_rows` of an episodes file stating one collection year on every row,
    its DECOM and DEC read as the reader's codes: each distinct date counted once (how
    many rows hold it), not every row's date taken and compared. None when the file is
    not such (no rows, several or unknown years, a column not coded): the plain way.

    Examples
    --------
    >>> dtype = pd.CategoricalDtype(["01/05/2023", "", "02/04/2024"])
    >>> dates = pd.Categorical.from_codes([0, 1, 2, 0], dtype=dtype)
    >>> frame = pd.DataFrame({"DECOM": dates, "DEC": dates, "YEAR": _same_year(pd.RangeIndex(4), 2024)})
    >>> part = RawTable("episodes", frame, SourceFile(Path("e.csv"), Path(".")))
    >>> rows = _coded_year_rows(part, TypedValues(), pd.Timestamp("2025-01-01"))
    >>> [(r["known"], r["after"], str(r["first"].date()), str(r["last"].date())) for r in rows]
    [(6, 2, '2023-05-01', '2024-04-02')]
    """
    frame = part.frame
    years = frame["YEAR"]
    if not len(frame) or years.isna().any():
        return None
    year = years.to_numpy(dtype="float64", na_value=np.nan)
    if year.min() != year.max() or year[0] != np.floor(year[0]):
        return None
    stamps, counts = [], []
    for col in ("DECOM", "DEC"):
        given = _categorical_codes(frame[col], typed)
        if given is None:
            return None
        codes, distinct = given
        dates = typed.of(col, distinct)[0].to_numpy()
        stamps.append(np.asarray(dates, dtype="datetime64[ns]"))
        counts.append(np.bincount(codes, minlength=len(distinct)))
    stamp, count = np.concatenate(stamps), np.concatenate(counts)
    y = int(year[0])
    known = (count > 0) & ~np.isnat(stamp) & (stamp <= now.to_datetime64())
    if not known.any():  # as the plain way: nothing known, nothing counted
        return [{"year": y, "known": 0, "after": 0, "first": pd.NaT, "last": pd.NaT}]
    seen, times = stamp[known], count[known]
    end = np.datetime64(f"{y:04d}-04-01", "ns")
    return [
        {
            "year": y,
            "known": int(times.sum()),
            "after": int(times[seen >= end].sum()),
            "first": pd.Timestamp(seen.min()),
            "last": pd.Timestamp(seen.max()),
        }
    ]


def _stated_summary(rows: list[dict[str, Any]]) -> dict[tuple[str, str, int], dict[str, Any]]:
    """:func:`_year_rows`' rows (one per file and stated year, with its ``where``, ``path``
    and ``eps``) summed per (where, path, year): whether any is an episodes file, dates
    known and after the year's end summed, the first and last date (NaT: none). One pass
    over a row per file.

    Examples
    --------
    >>> t = pd.Timestamp
    >>> rows = [
    ...     {"where": "w", "path": "p", "year": 2024, "eps": True, "known": 2, "after": 1,
    ...      "first": t("2023-05-01"), "last": t("2024-04-02")},
    ...     {"where": "w", "path": "p", "year": 2024, "eps": False, "known": 0, "after": 0,
    ...      "first": pd.NaT, "last": pd.NaT},
    ... ]
    >>> got = _stated_summary(rows)[("w", "p", 2024)]
    >>> got["eps"], got["known"], got["after"], str(got["first"].date()), str(got["last"].date())
    (True, 2, 1, '2023-05-01', '2024-04-02')
    """
    out: dict[tuple[str, str, int], dict[str, Any]] = {}
    for row in rows:
        key = (row["where"], row["path"], int(row["year"]))
        if key not in out:
            out[key] = {"eps": False, "known": 0, "after": 0, "first": pd.NaT, "last": pd.NaT}
        got = out[key]
        got["eps"] = got["eps"] or bool(row["eps"])
        got["known"] += row["known"]
        got["after"] += row["after"]
        if row["first"] is not pd.NaT and (got["first"] is pd.NaT or row["first"] < got["first"]):
            got["first"] = row["first"]
        if row["last"] is not pd.NaT and (got["last"] is pd.NaT or row["last"] > got["last"]):
            got["last"] = row["last"]
    return out


def _check_stated(
    stated: list[RawTable], findings: Findings, now: pd.Timestamp, typed: TypedValues
) -> set[str]:
    """Warn when a stated collection year contradicts the dates it holds.

    A year is contradicted when it has not started yet, when a material share
    (:data:`~cppanalytics.ssda903.years.MATERIAL_SHARE`) of its episode dates (up to
    today) fall after its 31 March, or when none falls on or after its 1 April.
    """
    rows: list[dict[str, Any]] = []
    doubtful: set[str] = set()
    for part in stated:
        where, path = part.year_from, str(part.source.path)
        if where.startswith("file name"):
            where = f"file {path}"
        elif where.startswith("folder "):
            path = where.removeprefix("folder ")
        years = part.frame["YEAR"]
        found = _coded_year_rows(part, typed, now) if part.table == "episodes" else None
        if found is None:
            dates = None
            if part.table == "episodes":
                dates = _episode_dates(part, typed)
                years = pd.concat([years, years], ignore_index=True)
            found = _year_rows(years, dates, now)
        extra: dict[str, Any] = {"where": where, "path": path, "file": str(part.source.path)}
        extra["eps"] = part.table == "episodes"
        rows.extend({**row, **extra} for row in found)
    for (where, path, year), row in sorted(_stated_summary(rows).items()):
        start = pd.Timestamp(year=year - 1, month=4, day=1)
        if start > now:
            reason = f"that year has not started yet (it starts {start:%d/%m/%Y})"
        elif not row["eps"] or row["known"] == 0:
            continue
        elif row["after"] >= MATERIAL_SHARE * row["known"]:
            reason = (
                f"{int(row['after'])} of its {int(row['known'])} episode dates fall after "
                f"its end (31/03/{year}); the latest is {row['last']:%d/%m/%Y}"
            )
        elif row["last"] < start:
            reason = (
                f"none of its episode dates falls on or after its start "
                f"({start:%d/%m/%Y}); they run from {row['first']:%d/%m/%Y} to "
                f"{row['last']:%d/%m/%Y}"
            )
        else:
            continue
        doubtful |= {r["file"] for r in rows if r["where"] == where and r["year"] == year}
        findings.add(
            "warning",
            "year_contradicts_dates",
            file=path,
            value=year,
            message=f"the {where} states the {label(year)} collection year, but {reason}. "
            "The stated year was used, so figures from these files may be placed in "
            "the wrong year.",
            fix="Check which year's files these are, then rename the folder or file (or "
            "correct YEAR) to the collection year they hold.",
            action="loaded",
        )
    return doubtful


def _check_apart(parts: list[RawTable]) -> None:
    """Refuse several files holding the same table for the same collection year."""
    by: dict[tuple[str, int | None], dict[str, str]] = {}
    for part in parts:
        if part.frame.empty:
            continue
        stated = part.frame["YEAR"].to_numpy(dtype="float64", na_value=np.nan)
        known = stated[~np.isnan(stated)]
        if len(known) and known.min() == known.max():  # a file usually holds one year
            years: list[int | None] = [int(known[0])]
        else:
            years = [int(y) for y in pd.unique(known)]
        if len(known) < len(stated):
            years.append(None)
        for year in years:
            by.setdefault((part.table, year), {})[str(part.source.path)] = part.year_from
    clashes = [(k, v) for k, v in by.items() if len(v) > 1]
    if not clashes:
        return
    paths = sorted({f for _, files in clashes for f in files})
    base = os.path.commonpath([os.path.dirname(f) for f in paths])
    per_year: dict[int | None, list[str]] = {}
    hows: dict[int | None, set[str]] = {}
    for (table, year), files in clashes:
        names = " and ".join(os.path.relpath(f, base) for f in sorted(files))
        per_year.setdefault(year, []).append(f"{table} ({names})")
        hows.setdefault(year, set()).update(files.values())
    lines = []
    for year, tables in sorted(per_year.items(), key=lambda kv: (kv[0] is None, kv[0] or 0)):
        when = f"the {label(year)} collection year" if year is not None else "an unknown year"
        how = "; ".join(sorted(hows[year]))
        lines.append(
            f"for {when} (year from {how}) the same table comes from several files: "
            + ", ".join(tables)
        )
    raise CppError(
        f"files in {base} cannot be told apart by collection year, so they were not "
        "combined: " + "; ".join(lines) + ". Keep one file per table and year (an XML "
        "return and CSV files of the same year are two copies): put each year's files in a "
        "folder named like 2023-24, or put the collection year in each file's name "
        "(2023-24_episodes.csv), and remove copies."
    )


def _after_year_end(eps: pd.DataFrame, doubtful: set[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Set aside episodes starting after the 31 March of their collection year.

    A return cannot hold an episode that starts after the year it covers, so such a row is
    a keying error: it is not counted as looked after (error finding). Files whose stated
    year contradicts their dates (``doubtful``) were warned about as a whole
    (:func:`_check_stated`) and are left as they are.
    """
    if eps.empty:
        return eps, empty_findings_frame()
    late = pd.Series(_starts_after_year(eps["DECOM"], eps["YEAR"]), index=eps.index)
    if doubtful:
        late &= ~eps["source_file"].isin(list(doubtful)).fillna(False).astype(bool)
    if not late.any():
        return eps, empty_findings_frame()
    sub = eps.loc[late]
    shown = sub["DECOM"].dt.strftime("%d/%m/%Y").astype("string")
    found = row_findings(
        sub,
        pd.Series(True, index=sub.index),
        "error",
        "episode_after_year",
        "episodes",
        column="DECOM",
        value=shown,
        message="episode starts "
        + shown
        + ", after the end of its collection year ("
        + labels(sub["YEAR"])
        + "); it was not used.",
        fix="Correct DECOM, or put the file in the folder of the year it belongs to.",
        action="set_aside",
    )
    return eps.loc[~late], found


def _starts_after_year(dates: pd.Series, years: pd.Series) -> np.ndarray:
    """``collection_year_of(dates) > years``, missing as False: a date starts after its
    collection year when it is on or after the 1 April ending that year. Naive dates
    and nullable integer years in the span of ``datetime64[ns]`` are compared so, with
    each year's 1 April worked out once; others through :func:`collection_year_of`.

    Examples
    --------
    >>> d = pd.Series(pd.to_datetime(["2023-03-31", "2023-04-01", None, "2023-04-01"]))
    >>> _starts_after_year(d, pd.Series([2023, 2023, 2023, None], dtype="Int64")).tolist()
    [False, True, False, False]
    """
    array = years.array
    if (
        isinstance(dates.dtype, np.dtype)
        and dates.dtype.kind == "M"
        and isinstance(array, pd.arrays.IntegerArray)
    ):
        stamps = dates.to_numpy()
        known = ~np.isnat(stamps) & ~np.asarray(array.isna(), dtype=bool)
        held = array.to_numpy(dtype=np.int64, na_value=0)
        low = int(held[known].min()) if known.any() else 2000
        high = int(held[known].max()) if known.any() else 2000
        if 1678 <= low and high <= 2261 and high - low < 10_000:
            first = np.arange(low, high + 1) - 1970
            april = (first.astype("datetime64[Y]").astype("datetime64[M]") + 3).astype(stamps.dtype)
            at = np.where(known, held - low, 0)
            return known & (stamps >= april[at])
    late = collection_year_of(dates) > years
    return late.fillna(False).to_numpy(dtype=bool)


def _outcomes_serve_any_year(
    tables: dict[str, pd.DataFrame], years: _Years, findings: Findings
) -> None:
    """One file set with no year anywhere: its OC2/OC3 rows serve whichever year is asked.

    Their ``YEAR`` is cleared (the indicators take a row without YEAR as the period's
    collection year) and an info finding names the year the dates suggest.
    """
    assumed = years.inferred.get((years.folder, None))
    held = [n for n in ("oc2", "oc3") if len(tables[n])]
    if not held:
        return
    for name in held:
        tables[name]["YEAR"] = pd.array([pd.NA] * len(tables[name]), dtype="Int64")
    findings.add(
        "info",
        "outcomes_year_assumed",
        table=",".join(held),
        file=years.folder,
        value="" if assumed is None else assumed,
        message=(
            f"the {' and '.join(n.upper() for n in held)} rows in {years.folder} carry no "
            "collection year (no YEAR column, no year in a folder or file name); they "
            "were used for the collection year of the period asked for"
            + (f" (their episode dates suggest {label(assumed)})." if assumed else ".")
        ),
        fix="Name the folder with its collection year (e.g. 2023-24) to state it.",
        action="loaded",
    )


def council_keys(codes: pd.Series) -> pd.Series:
    """One spelling per council for comparing ``LA`` values: DfE's old three-digit code.

    ONS E-codes (any case) become the old code (``e06000042`` → ``826``, from
    :func:`cppanalytics.geography.councils.councils`); codes not in the list are kept,
    upper-cased; blank stays blank.

    Examples
    --------
    >>> council_keys(pd.Series(["E06000042", "e06000042 ", "826", "", "X1"])).tolist()
    ['826', '826', '826', '', 'X1']
    """
    index, uniq = pd.factorize(codes.astype("string").fillna("").str.strip().str.upper())
    mapping = _old_codes()
    keys = pd.array([mapping.get(v, v) for v in uniq], dtype="object")  # once per distinct code
    return pd.Series(keys.take(index), index=codes.index, dtype="object")


@cache
def _old_codes() -> dict[str, str]:
    from cppanalytics.geography.councils import councils

    table = councils()
    mapping = dict(zip(table["new_code"].str.upper(), table["old_code"], strict=True))
    mapping.update({c: c for c in table["old_code"]})
    return mapping


def _select_council(
    parts: list[RawTable], la_code: str | None, batch: list[FoundPart]
) -> tuple[list[RawTable], str | None]:
    """Keep one council's rows of pooled data; return the parts and the council found.

    ``LA`` values and ``la_code`` are compared as :func:`council_keys` (case and old/new
    code do not matter).
    """
    las: dict[str, str] = {}  # council key -> as written on the last row holding it
    columns: list[tuple[np.ndarray, np.ndarray, np.ndarray] | None] = []
    for part in parts:
        if "_LA" not in part.frame.columns:
            columns.append(None)
            continue
        codes, written = _la_distinct(part.frame["_LA"])
        keys = council_keys(pd.Series(written, dtype=object)).to_numpy(dtype=object)
        columns.append((codes, written, keys))
        held = codes[(keys != "")[codes]]  # the rows naming a council, as codes
        distinct, last = np.unique(held[::-1], return_index=True)
        for code in distinct[np.argsort(-last)]:  # in the order of each one's last row
            las[keys[code]] = written[code]
    if not las:
        return parts, None
    if la_code is None:
        if len(las) > 1:
            raise CppError(
                f"the pooled files hold data for {len(las)} councils "
                f"({', '.join(sorted(las.values()))}); say which one to use (la_code / --la-code)."
            )
        return parts, next(iter(las.values()))
    want = council_keys(pd.Series([la_code])).iloc[0]
    for part, column in zip(parts, columns, strict=True):
        if column is None:
            continue
        codes, written, keys = column
        other = pd.Series(((written != "") & (keys != want))[codes], index=part.frame.index)
        value = pd.Series(written[codes], index=part.frame.index) if other.any() else None
        batch.append(
            row_findings(
                part.frame,
                other,
                "info",
                "other_council",
                part.table,
                column="LA",
                value=value,
                message=f"row belongs to another council, not {la_code}; not used.",
                fix="No action needed.",
                action="set_aside",
            )
        )
        if other.any():
            part.keep_rows(~other)
    return parts, la_code


def _la_distinct(column: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """A pooled file's ``LA`` column as each row's code into its distinct values, stripped
    (the last of them, NaN, stands for a missing value: code -1), so councils are told
    apart on the distinct values, not on every row's text.

    Examples
    --------
    >>> codes, written = _la_distinct(pd.Series(["E1 ", "", "E1", None], dtype=object))
    >>> codes.tolist(), written.tolist()
    ([0, 1, 2, -1], ['E1', '', 'E1', nan])
    """
    if isinstance(column.dtype, pd.CategoricalDtype):
        codes = np.asarray(column.array.codes, dtype=np.int64)
        uniq = np.asarray(column.cat.categories, dtype=object)
    else:
        codes, uniq = pd.factorize(column)
        codes = np.asarray(codes, dtype=np.int64)
    stripped = pd.Series(np.asarray(uniq, dtype=object), dtype=object).str.strip()
    return codes, np.append(stripped.to_numpy(dtype=object), np.nan)


@dataclass
class _Child:
    """A built table's CHILD as integer codes (-1 blank) of the typed rows before any was
    set aside (a row's index label is its position here), and the distinct typed values.

    Examples
    --------
    >>> child = _Child(np.array([1, -1, 0]), np.array(["b", "a"], dtype=object))
    >>> child.sort_codes(pd.Index([0, 2, 1])).tolist(), child.rows(pd.Index([2]))[0].tolist()
    ([0, 1, 2], [0])
    """

    codes: np.ndarray
    values: np.ndarray
    #: :func:`~.stitch.text_ranks` of ``values`` when known
    ranks: np.ndarray | None = None

    def rows(self, index: pd.Index) -> tuple[np.ndarray, np.ndarray]:
        """The codes of the rows labelled ``index``, and the distinct values."""
        return self.codes.take(np.asarray(index, dtype=np.intp)), self.values

    def sort_codes(self, index: pd.Index) -> np.ndarray | None:
        """:func:`~.stitch.sort_codes` of the rows labelled ``index`` (None: not all text)."""
        return coded_sort_codes(*self.rows(index), self.ranks)


def _build_table(
    name: str,
    parts: list[RawTable],
    batch: list[FoundPart],
    today: pd.Timestamp,
    table_years: dict[str, tuple[int, ...]],
    shared: TypedValues,
) -> tuple[pd.DataFrame, _Child]:
    """Type, check and stitch all rows of one table (``table_years[name]``: the years that
    kept usable rows before stitching), with its CHILD codes.

    Each part's text frame is let go once the table's rows are gathered (the extract is
    used up), and the gathered text once the rows are checked, so the text of one table
    at most is held beside the typed tables.
    """
    if not parts:
        table_years[name] = ()
        return _empty(name).copy(), _Child(np.empty(0, np.int64), np.empty(0, object))
    cols = [*COLUMNS[name], *PROVENANCE]
    raw = stack_frames([p.frame for p in parts], cols)
    given = _read_codes(COLUMNS[name], raw, shared)
    for part in parts:
        part.frame = part.frame.iloc[:0]
    typed, coded = coerce_with_codes(name, raw, given, typed=shared, columns=_checked_columns(name))
    del given
    # the key columns as codes that sort as their values do, for every row: the files'
    # rows, sorted by child and date, come in a few ascending runs of them
    ordered = _key_sort_codes(name, coded, shared)
    repeats = repeated_keys(name, typed, _with_codes(coded.codes, ordered))  # (both halves)
    typed, found = dedupe_within_year(name, typed, key=False, codes=coded.codes, repeats=repeats)
    batch.append(found)
    keep, found = check_rows(name, raw, typed, today=today, coded=coded)  # raw: by label
    batch.append(found)
    del raw
    if not keep.all():  # (a take of every row otherwise, for nothing)
        typed = typed.loc[keep]
    table_years[name] = tuple(sorted(int(y) for y in typed["YEAR"].dropna().unique()))
    typed, found = dedupe_within_year(name, typed, exact=False, codes=coded.codes, repeats=repeats)
    batch.append(found)
    # the typed values as objects, and their ranks, asked of ``shared`` (the same arrays
    # for every table and council sharing them), not a fresh object copy made per call
    child_values = shared.objects(coded.values["CHILD"])
    child_ranks = shared.text_ranks(coded.values["CHILD"])
    child = _Child(coded.codes["CHILD"].to_numpy(), child_values, child_ranks)
    rows = np.asarray(typed.index, dtype=np.intp)  # a row's label is its position
    keys = {col: code.take(rows) for col, code in ordered.items()}
    for col in SCHEMAS[name].key:
        if col not in keys and col not in typed.columns:
            # not all text: sorted on the values themselves (None: stitching codes it)
            keys[col] = sort_codes(widen(name, typed, coded)[col])
    left_out = [c for c in COLUMNS[name] if c not in typed.columns]
    coded.codes = coded.codes[left_out]  # what builds the columns left out, no more
    typed, found = stitch_years_held(name, typed, keys)
    batch.append(found)
    return widen(name, typed, coded), child


def _key_sort_codes(name: str, coded: Coded, shared: TypedValues) -> dict[str, np.ndarray]:
    """The key columns of a table's rows (all rows ``coded`` holds) as integer codes that
    sort and compare as the typed values do (:func:`~.stitch.coded_sort_codes`): text by
    the ranks of its distinct values (asked of ``shared``, once for every table sharing
    them), dates and numbers by the ranks of their distinct values. A text column whose
    values are not all text is left out.

    Examples
    --------
    >>> raw = pd.DataFrame({c: [""] * 3 for c in COLUMNS["episodes"]})
    >>> raw["CHILD"], raw["DECOM"] = ["b", "a", "b"], ["02/01/2024", "", "01/01/2024"]
    >>> raw = raw.assign(YEAR="2024", source_file="e.csv", source_row=[2, 3, 4])
    >>> coded = coerce_with_codes("episodes", raw)[1]
    >>> {c: v.tolist() for c, v in _key_sort_codes("episodes", coded, TypedValues()).items()}
    {'CHILD': [1, 0, 1], 'DECOM': [1, 2, 0]}
    """
    out: dict[str, np.ndarray] = {}
    for col in SCHEMAS[name].key:
        codes = coded.codes[col].to_numpy()
        if col in TEXT_COLUMNS or not (col in DATE_COLUMNS or col in NUMERIC_COLUMNS):
            values = shared.objects(coded.values[col])
            ranks = shared.text_ranks(coded.values[col])
            if ranks is None:
                continue
        else:  # dates (numbers): their distinct values ranked, not every row's time
            values = coded.values[col].to_numpy()  # distinct, none missing
            ranks = value_ranks(values)
        code = coded_sort_codes(codes, values, ranks)
        if code is not None:
            out[col] = code
    return out


def _with_codes(codes: pd.DataFrame, replaced: dict[str, np.ndarray]) -> pd.DataFrame:
    """``codes`` with the columns ``replaced`` gives (rows alike) in their place.

    Examples
    --------
    >>> _with_codes(pd.DataFrame({"a": [0, 1], "b": [1, 0]}), {"b": np.array([5, 6])})["b"].tolist()
    [5, 6]
    """
    out = {c: replaced.get(c, codes[c].to_numpy()) for c in codes.columns}
    return pd.DataFrame(out, index=codes.index, copy=False)


def stack_frames(frames: list[pd.DataFrame], columns: list[str]) -> pd.DataFrame:
    """``pd.concat([f[columns] for f in frames], ignore_index=True)``, column by column: a
    column categorical in every frame with one dtype (the reader's shared values, the
    same object) is stacked by its codes (pandas' concatenation hashes the categories to
    compare the dtypes, a whole column of CHILD ids per table); any other column as pandas
    stacks it.

    Examples
    --------
    >>> dtype = pd.CategoricalDtype(["a", "b"])
    >>> one = pd.DataFrame({"X": pd.Categorical.from_codes([1], dtype=dtype), "n": [1]})
    >>> two = pd.DataFrame({"X": pd.Categorical.from_codes([0, 1], dtype=dtype), "n": [2, 3]})
    >>> out = stack_frames([one, two], ["X", "n"])
    >>> out["X"].tolist(), out["n"].tolist(), out["X"].dtype is dtype
    (['b', 'a', 'b'], [1, 2, 3], True)
    """
    if not frames:
        return pd.concat([pd.DataFrame(columns=columns)], ignore_index=True)
    out: dict[str, Any] = {}
    for col in columns:
        arrays = [frame[col].array for frame in frames]
        first = arrays[0]
        if isinstance(first, pd.Categorical) and all(
            isinstance(a, pd.Categorical) and a.dtype is first.dtype for a in arrays
        ):
            codes = np.concatenate([a.codes for a in arrays])
            out[col] = pd.Categorical.from_codes(codes, dtype=first.dtype, validate=False)
        else:
            out[col] = _stack_column(arrays)
            if out[col] is None:
                out[col] = pd.concat([frame[col] for frame in frames], ignore_index=True)
    size = sum(len(frame) for frame in frames)
    return pd.DataFrame(out, index=pd.RangeIndex(size), columns=columns, copy=False)


#: arrays :func:`_stack_column` joins itself when every frame's column is one of these, of
#: one dtype (a file's YEAR, source file and source row)
_STACKED_ARRAYS = (pd.arrays.IntegerArray, pd.arrays.StringArray, pd.arrays.NumpyExtensionArray)


def _stack_column(arrays: list[Any]) -> Any:
    """One column of several frames (their ``.array`` s) end to end, as
    ``pd.concat`` of the columns gives its values, without pandas' per-call work: numpy
    values as one numpy array, nullable integers or ``str`` text as one array of their
    type. ``None`` when the arrays are not all of one of :data:`_STACKED_ARRAYS` and
    one dtype (``pd.concat`` then decides the type).

    Examples
    --------
    >>> one, two = pd.array([1, None], dtype="Int64"), pd.array([3], dtype="Int64")
    >>> _stack_column([one, two]).tolist()
    [1, <NA>, 3]
    >>> _stack_column([one, pd.array([3.0])]) is None
    True
    """
    first = arrays[0]
    kind = type(first)
    if kind not in _STACKED_ARRAYS or not all(
        type(a) is kind and a.dtype == first.dtype for a in arrays
    ):
        return None
    if kind is pd.arrays.NumpyExtensionArray:
        return np.concatenate([a.to_numpy() for a in arrays])
    return kind._concat_same_type(arrays)


def value_ranks(values: np.ndarray) -> np.ndarray:
    """Each of distinct values' (dates or numbers, none missing) place in sorted order:
    with :func:`~.stitch.coded_sort_codes`, codes into them that sort and compare as
    the values do (missing last), as :func:`~.stitch.sort_codes` would give for text.

    Examples
    --------
    >>> value_ranks(np.array(["2024-01-02", "2023-05-01"], dtype="datetime64[ns]")).tolist()
    [1, 0]
    >>> coded_sort_codes(np.array([0, -1, 1]), np.zeros(2), value_ranks(np.array([5.0, 2.0])))
    array([1, 2, 0])
    """
    ranks = np.empty(len(values), dtype=np.int64)
    ranks[np.argsort(values, kind="stable")] = np.arange(len(values))
    return ranks


def _read_codes(
    columns: list[str], raw: pd.DataFrame, typed: TypedValues | None = None
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """The columns of ``raw`` held as the reader's codes (categorical, every part's column
    sharing one dtype), as each row's code into the distinct values."""
    out = {}
    for col in columns:
        given = _categorical_codes(raw[col], typed)
        if given is not None:
            out[col] = given
    return out


def compact_codes(codes: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Codes into ``values`` (distinct, none missing) as codes into the values they use.

    The same partition of the rows as :func:`~.coded.factorize_text` of the values they
    stand for, found by counting instead of hashing; the values come in ``values``' order
    (not in order of first appearance).

    Examples
    --------
    >>> codes, used = compact_codes(np.array([3, 1, 3]), np.array(["a", "b", "c", "d"], dtype=object))
    >>> codes.tolist(), used.tolist()
    ([1, 0, 1], ['b', 'd'])
    """
    used = np.flatnonzero(np.bincount(codes, minlength=len(values)))
    place = np.zeros(len(values), dtype=np.int64)
    place[used] = np.arange(len(used))
    return place.take(codes), values[used]


def coerce_fast(name: str, raw: pd.DataFrame) -> pd.DataFrame:
    """Same result as :func:`~cppanalytics.ssda903.dataset.coerce_table` for a loader table.

    Each column is normalised once per distinct value (dates, codes and postcodes repeat a
    lot), then spread back, so large extracts load quickly. ``raw`` holds exactly the
    contract columns and provenance.
    """
    return coerce_coded(name, raw)[0]


def coerce_coded(name: str, raw: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`coerce_fast`, with each typed value's integer code (equal values, equal codes).

    The codes (one ``int32`` column per contract column and ``YEAR``, blank = -1: half
    the memory of ``int64`` at a million rows) let the loader find repeated rows without
    hashing text again.

    Examples
    --------
    >>> raw = pd.DataFrame({c: [""] * 2 for c in COLUMNS["header"]})
    >>> raw["CHILD"] = [" 7", "7.0"]
    >>> raw = raw.assign(YEAR="2024", source_file="h.csv", source_row=[2, 3])
    >>> typed, codes = coerce_coded("header", raw)
    >>> typed["CHILD"].tolist(), codes["CHILD"].tolist()
    (['7', '7'], [0, 0])
    """
    typed, coded = coerce_with_codes(name, raw)
    return typed, coded.codes


def coerce_with_codes(
    name: str,
    raw: pd.DataFrame,
    given: dict[str, tuple[np.ndarray, np.ndarray]] | None = None,
    *,
    typed: TypedValues | None = None,
    columns: Collection[str] | None = None,
) -> tuple[pd.DataFrame, Coded]:
    """:func:`coerce_coded`, keeping also the distinct typed values and, for dates and
    numbers, which values were blank as written (a :class:`~.coded.Coded`).

    Each column's distinct values are found once (in Arrow: :func:`~.coded.factorize_text`)
    and typed once; rows take their value and code from them. ``given`` may hold, for
    some columns, each row's code into distinct values the reader found (rows as in
    ``raw``): those columns are not hashed again, and their distinct values are typed
    once for every table sharing them when ``typed`` (:class:`TypedValues`) is given.
    The typed values are the same; the codes number them in another order.
    ``columns`` (None: all) names the contract columns whose rows are built in the typed
    table; the others are coded only (:func:`widen` builds them from the codes later,
    for the rows that remain).

    Examples
    --------
    >>> raw = pd.DataFrame({c: [""] * 3 for c in COLUMNS["header"]})
    >>> raw["DOB"] = ["01/04/2010", " ", "1 April"]
    >>> raw = raw.assign(YEAR="2024", source_file="h.csv", source_row=[2, 3, 4])
    >>> typed, coded = coerce_with_codes("header", raw)
    >>> coded.codes["DOB"].tolist(), coded.raw_blank["DOB"].tolist()
    ([0, -1, -1], [False, True, False])
    >>> coerce_with_codes("header", raw, columns=["DOB"])[0].columns.tolist()
    ['DOB', 'YEAR', 'source_file', 'source_row']
    """
    index = pd.RangeIndex(len(raw))
    out: dict[str, pd.Series] = {}
    coded: dict[str, np.ndarray] = {}
    distinct: dict[str, pd.Series] = {}
    raw_blank: dict[str, np.ndarray] = {}
    given = given or {}
    typed = TypedValues() if typed is None else typed
    for col in COLUMNS[name]:
        built = columns is None or col in columns
        if col in given and col not in NUMERIC_COLUMNS:
            codes, values = given[col]
            conv_all, blank_all = typed.of(col, values)
            # every distinct value's typed code, one numbering for all tables sharing
            # ``values`` (the typed values may hold some this table's rows do not use)
            by_value, typed_values = typed.codes(col, values)
            if built:
                out[col] = pd.Series(conv_all.array.take(codes), index=index, copy=False)
            coded[col] = by_value.take(codes)
            if blank_all is not None:
                raw_blank[col] = blank_all.take(codes)
        else:
            if col in given:
                codes, uniq = compact_codes(*given[col])
            else:
                codes, uniq = factorize_text(raw[col])
            conv, blank = _typed(col, pd.Series(uniq, dtype="object"))
            if built:
                rows = conv.array.take(codes, allow_fill=True)
                out[col] = pd.Series(rows, index=index, copy=False)
            value_codes, typed_values = _factorize_typed(col, conv, uniq)
            # a missing value (code -1) takes the -1 appended last
            coded[col] = np.append(value_codes, np.int32(-1)).take(codes)
            if blank is not None:
                raw_blank[col] = np.append(blank, True).take(codes)
        distinct[col] = pd.Series(typed_values, copy=False)
    year = pd.to_numeric(raw["YEAR"], errors="coerce").astype("Int64")
    out["YEAR"] = pd.Series(year.array, index=index, copy=False)
    year_codes, years = factorize_runs(out["YEAR"])
    coded["YEAR"] = year_codes.astype(np.int32)
    distinct["YEAR"] = pd.Series(years)
    files = raw["source_file"].astype("string").array
    out["source_file"] = pd.Series(files, index=index, copy=False)
    source_row = pd.to_numeric(raw["source_row"], errors="coerce").astype("Int64")
    out["source_row"] = pd.Series(source_row.array, index=index, copy=False)
    table = pd.DataFrame(out, index=index, copy=False)
    return table, Coded(pd.DataFrame(coded, index=index, copy=False), distinct, raw_blank)


#: :func:`factorize_runs` hashes the values themselves when they hold more runs than this
#: share of their rows
_MAX_RUN_SHARE = 0.25


def factorize_runs(values: pd.Series) -> tuple[np.ndarray, Any]:
    """``pd.factorize(values)`` of a nullable integer column, found on its runs of equal
    values (a table's YEAR holds one run per file): each run's first value is numbered,
    then spread over the run. The runs come in row order, so their values are numbered
    in order of first appearance, as factorising every row numbers them; a missing value
    is coded -1 either way. Values in many short runs (more than :data:`_MAX_RUN_SHARE`
    of the rows) are factorised as they are.

    Examples
    --------
    >>> years = pd.Series([2024, 2024, None, 2023, 2023, 2024], dtype="Int64")
    >>> codes, uniques = factorize_runs(years)
    >>> codes.tolist(), uniques.tolist()
    ([0, 0, -1, 1, 1, 0], [2024, 2023])
    """
    n = len(values)
    array = values.array
    if not isinstance(array, pd.arrays.IntegerArray) or n < 2:
        return pd.factorize(values)
    missing = np.asarray(array.isna(), dtype=bool)
    data = array.to_numpy(dtype="int64", na_value=0)
    starts = np.flatnonzero(
        np.concatenate([[True], (data[1:] != data[:-1]) | (missing[1:] != missing[:-1])])
    )
    if len(starts) > _MAX_RUN_SHARE * n:
        return pd.factorize(values)
    run_codes, uniques = pd.factorize(values.iloc[starts])
    return np.repeat(run_codes, np.diff(np.append(starts, n))), uniques


def widen(name: str, table: pd.DataFrame, coded: Coded) -> pd.DataFrame:
    """``table`` (rows of a typed table, some contract columns left out:
    :func:`coerce_with_codes` with ``columns``) with every contract column, in the
    contract's order, the missing ones built from ``coded`` for its rows (labelled as
    the coded table's rows): the values typing the text gives.

    Examples
    --------
    >>> raw = pd.DataFrame({c: ["", "1", " 2"] for c in COLUMNS["header"]})
    >>> raw = raw.assign(YEAR="2024", source_file="h.csv", source_row=[2, 3, 4])
    >>> narrow, coded = coerce_with_codes("header", raw, columns=["CHILD"])
    >>> widen("header", narrow.iloc[1:], coded)["SEX"].tolist()
    ['1', '2']
    """
    out: dict[str, Any] = {}
    for col in [*COLUMNS[name], *PROVENANCE]:
        if col in table.columns:
            out[col] = table[col]
        else:
            values = coded.values[col].array
            rows = values.take(coded.column(col, table.index), allow_fill=True)
            out[col] = pd.Series(rows, index=table.index, copy=False)
    return pd.DataFrame(out, index=table.index, copy=False)


#: the contract columns the loader builds row by row before the rows are checked and
#: stitched (the rest it keeps as codes and builds for the rows kept): what the checks,
#: the year stitching and the findings read as values
def _checked_columns(name: str) -> list[str]:
    return [c for c in COLUMNS[name] if c == "CHILD" or c in DATE_COLUMNS or c in NUMERIC_COLUMNS]


@cache
def _empty(name: str) -> pd.DataFrame:
    return empty_table(name)


def _require(
    tables: dict[str, pd.DataFrame],
    sources: list[SourceFile],
    parts: list[RawTable],
    found: Callable[[], pd.DataFrame],
) -> None:
    """Raise when Header or Episodes has no usable row, saying why (never "found" and
    "not usable" without the reason); ``found`` gives the findings so far (asked for
    only then)."""
    missing = [n for n in REQUIRED_TABLES if tables[n].empty]
    if not missing:
        return
    findings = found()
    reasons = []
    for name in missing:
        files = sorted({str(p.source.path) for p in parts if p.table == name})
        if not files:
            reasons.append(f"no {name} file was found")
            continue
        gone = findings[(findings["table"] == name) & (findings["action"] == "set_aside")]
        if gone.empty:
            reasons.append(f"the {name} file(s) ({', '.join(files[:3])}) hold no rows")
            continue
        why = gone.groupby("code").size().sort_values(ascending=False)
        said = ", ".join(f"{n} {_WHY.get(code, code.replace('_', ' '))}" for code, n in why.items())
        reasons.append(f"all {len(gone)} {name} row(s) read were set aside ({said})")
    others = [
        f for f in findings.itertuples() if f.severity == "error" and f.action == "rejected_file"
    ][:3]
    rejected = "; ".join(f.message for f in others)
    raise CppError(
        f"no usable {' or '.join(missing)} table in {len(sources)} file(s) read: "
        + "; ".join(reasons)
        + ". The 903 needs a Header file (CHILD, SEX, DOB, ETHNIC, UPN, "
        "MOTHER, MC_DOB) and an Episodes file (CHILD, DECOM, RNE, LS, CIN, PLACE, ...) with "
        "DfE column names in the first row"
        + (
            ", and rows of the council asked for (check --la-code)"
            if "other_council" in set(findings["code"])
            else ""
        )
        + "."
        + (f" Files not used: {rejected}" if rejected else "")
    )


#: plain words for the commonest reasons a row is set aside (for :func:`_require`)
_WHY: dict[str, str] = {
    "other_council": "of another council's (LA column)",
    "date_unparseable": "with a date that is not a date",
    "duplicate_row": "repeated",
    "duplicate_key": "with a repeated key",
    "row_cut_short": "cut short",
    "quote_unmatched": "with a stray quote mark",
    "episode_after_year": "starting after their collection year's end (is the folder or "
    "file named for the right year?)",
}


__all__ = ["load"]
