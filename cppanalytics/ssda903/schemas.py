"""The 903 table schemas, declared once: keys, stitching rule and required values.

Column sets and dtypes live in :mod:`cppanalytics.ssda903.dataset` (the shared contract);
this module adds what the loader needs to validate and stitch each table:

``key``
    the columns that identify one row of the table inside a collection year.
``stitch``
    how rows from several collection years are combined:
    ``"child"``  – one row per child, the latest collection year's row wins (Header, UASC,
    AD1, PrevPerm);
    ``"key"``    – one row per ``key``, the latest collection year's row wins (Episodes,
    Missing, Reviews, PlacedAdoption, SWEpisodes, DoLo);
    ``"year"``   – rows belong to their collection year and are all kept (OC2, OC3).
``row_required``
    columns a row cannot be used without: a row whose value is blank or unreadable is set
    aside (``action="set_aside"``).
``value_required``
    columns that should be filled: a blank is an error finding but the row is kept.

Tables are recognised in files by their column set (:func:`match_table`), never by file
name.

Examples
--------
>>> SCHEMAS["episodes"].key
('CHILD', 'DECOM')
>>> match_table({"CHILD", "DOB", "MIS_START", "MIS_END", "MISSING"}).table
'missing'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from cppanalytics.ssda903.dataset import COLUMNS

Stitch = Literal["child", "key", "year"]

#: Columns of the pooled ("LIIA") layout that are not 903 columns but are understood.
POOLED_COLUMNS: frozenset[str] = frozenset({"LA", "YEAR"})


@dataclass(frozen=True)
class TableSchema:
    """What the loader knows about one 903 table (see the module docstring)."""

    name: str
    key: tuple[str, ...]
    stitch: Stitch
    row_required: tuple[str, ...] = ("CHILD",)
    value_required: tuple[str, ...] = ()
    columns: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        if not self.columns:
            object.__setattr__(self, "columns", tuple(COLUMNS[self.name]))


SCHEMAS: dict[str, TableSchema] = {
    s.name: s
    for s in (
        TableSchema("header", ("CHILD",), "child", value_required=("SEX", "DOB")),
        TableSchema(
            "episodes",
            ("CHILD", "DECOM"),
            "key",
            row_required=("CHILD", "DECOM"),
            value_required=("RNE", "LS", "CIN", "PLACE"),
        ),
        TableSchema("uasc", ("CHILD",), "child"),
        TableSchema("oc2", ("CHILD",), "year"),
        TableSchema("oc3", ("CHILD",), "year"),
        TableSchema("ad1", ("CHILD",), "child"),
        TableSchema(
            "placed_adoption",
            ("CHILD", "DATE_PLACED"),
            "key",
            row_required=("CHILD", "DATE_PLACED"),
        ),
        TableSchema("prev_perm", ("CHILD",), "child"),
        TableSchema(
            "missing",
            ("CHILD", "MIS_START"),
            "key",
            row_required=("CHILD", "MIS_START"),
            value_required=("MISSING",),
        ),
        TableSchema(
            "reviews",
            ("CHILD", "REVIEW"),
            "key",
            row_required=("CHILD", "REVIEW"),
        ),
        TableSchema(
            "sw_episodes",
            ("CHILD", "SW_ID", "SW_DECOM"),
            "key",
            row_required=("CHILD", "SW_DECOM"),
        ),
        TableSchema(
            "dolo",
            ("CHILD", "DOLO_START"),
            "key",
            row_required=("CHILD", "DOLO_START"),
        ),
    )
}

#: Columns shared by several tables: they say little about which table a file holds.
_COMMON: frozenset[str] = frozenset({"CHILD", "DOB", "SEX"})


@dataclass(frozen=True)
class TableMatch:
    """Result of :func:`match_table`: the table, and the contract columns the file lacks."""

    table: str | None
    missing: tuple[str, ...] = ()
    extra: tuple[str, ...] = ()


def match_table(columns: set[str] | frozenset[str]) -> TableMatch:
    """Recognise a 903 table from a file's (cleaned, upper-case) column names.

    A table matches exactly when all its columns are present; the largest such table wins
    (so a Header file is not taken for UASC). Failing that, the table sharing the largest
    share of its columns (at least half, and at least one column that is not CHILD/DOB/SEX)
    is returned with the columns it lacks. ``table`` is ``None`` when nothing fits.

    Examples
    --------
    >>> match_table({"CHILD", "SEX", "DOB", "DUC"}).table
    'uasc'
    >>> m = match_table({"CHILD", "DECOM", "RNE", "LS", "PLACE", "DEC", "REC"})
    >>> m.table, "CIN" in m.missing
    ('episodes', True)
    >>> match_table({"NAME", "AGE"}).table is None
    True
    """
    cols = set(columns)
    exact = [name for name, spec in COLUMNS.items() if set(spec) <= cols]
    if exact:
        best = max(exact, key=lambda name: len(COLUMNS[name]))
        extra = sorted(cols - set(COLUMNS[best]) - POOLED_COLUMNS)
        return TableMatch(best, (), tuple(extra))
    scored: list[tuple[float, int, str]] = []
    for name, spec in COLUMNS.items():
        distinctive = set(spec) - _COMMON
        if not distinctive & cols:
            continue
        share = len(set(spec) & cols) / len(spec)
        scored.append((share, len(distinctive & cols), name))
    if not scored:
        return TableMatch(None)
    share, _, best = max(scored)
    if share < 0.5:
        return TableMatch(None)
    missing = tuple(c for c in COLUMNS[best] if c not in cols)
    extra = tuple(sorted(cols - set(COLUMNS[best]) - POOLED_COLUMNS))
    return TableMatch(best, missing, extra)


__all__ = ["POOLED_COLUMNS", "SCHEMAS", "TableMatch", "TableSchema", "match_table"]


def dataset_schema(name: str):
    """The typed Dataset contract of one table as a pandera ``DataFrameSchema``.

    Derived from the single declaration in :mod:`cppanalytics.ssda903.dataset` (columns,
    date / numeric / text columns) and :data:`SCHEMAS` (columns a row cannot be used
    without, never missing after loading). Text columns may use either pandas string
    storage. Extra columns are allowed (the pooled layout's ``LA``).

    Examples
    --------
    >>> from cppanalytics.ssda903.dataset import empty_table
    >>> dataset_schema("episodes").validate(empty_table("episodes")).shape[0]
    0
    """
    import pandas as pd
    import pandera.pandas as pa

    from cppanalytics.ssda903.dataset import DATE_COLUMNS, NUMERIC_COLUMNS

    text = pa.Check(lambda s: pd.api.types.is_string_dtype(s.dtype), name="text column")
    required = set(SCHEMAS[name].row_required)
    columns = {}
    for col in COLUMNS[name]:
        if col in DATE_COLUMNS:
            columns[col] = pa.Column("datetime64[ns]", nullable=col not in required)
        elif col in NUMERIC_COLUMNS:
            columns[col] = pa.Column("float64", nullable=True)
        else:
            columns[col] = pa.Column(checks=text, nullable=col not in required)
    columns["YEAR"] = pa.Column("Int64", nullable=True)
    columns["source_file"] = pa.Column(checks=text, nullable=True)
    columns["source_row"] = pa.Column("Int64", nullable=True)
    return pa.DataFrameSchema(columns, strict=False, name=name)


def check_dataset(tables: dict) -> None:
    """Validate every table of a Dataset against :func:`dataset_schema` (all errors at once).

    Raises ``pandera.errors.SchemaErrors`` listing each column that breaks the contract:
    a loader defect, never a data problem (data problems are findings).

    Examples
    --------
    >>> from cppanalytics.ssda903.dataset import Dataset
    >>> check_dataset(Dataset.from_tables({}).tables)
    """
    for name, frame in tables.items():
        dataset_schema(name).validate(frame, lazy=True)
