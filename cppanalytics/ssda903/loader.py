"""Load a council's 903 files into one validated, stitched :class:`Dataset`.

:func:`load` accepts files or folders (searched recursively) holding any mix of:

* DfE CSV file sets, one folder per collection year or one folder;
* the pooled multi-year ("LIIA") layout: ISO dates, extra ``LA`` and ``YEAR`` columns,
  several years concatenated;
* the XML return (``EXPSSDA903``).

Steps: find files (:mod:`.readers`) → read every value as text, recognising tables by
their column set (:mod:`.readers`, :mod:`.xml903`) → give each row its collection year
(:mod:`.years`) → keep one council (``LA``) → type the columns
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

from collections.abc import Sequence
from functools import cache
from pathlib import Path

import pandas as pd

from cppanalytics.errors import CppError
from cppanalytics.findings import Findings, normalise_findings
from cppanalytics.ssda903.checks import check_cross, check_rows
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
from cppanalytics.ssda903.provenance import concat, row_findings
from cppanalytics.ssda903.readers import RawTable, SourceFile, discover, read_csv
from cppanalytics.ssda903.stitch import dedupe_within_year, repair_overlaps, stitch_years
from cppanalytics.ssda903.xml903 import read_xml
from cppanalytics.ssda903.years import infer_year, label, parse_year_column, year_from_path
from cppanalytics.string_storage import with_python_strings

PathLike = str | Path


@with_python_strings
def load(
    paths: PathLike | Sequence[PathLike],
    la_code: str | None = None,
    *,
    today: str | pd.Timestamp | None = None,
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

    Returns
    -------
    Dataset
        every table present (empty if absent), ``findings`` holding every finding.

    Raises
    ------
    CppError
        no usable Header or Episodes table, or several councils' data and no ``la_code``.

    Examples
    --------
    >>> ds = load("data/synthetic")  # doctest: +SKIP
    >>> ds.findings.severity.value_counts()  # doctest: +SKIP
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    roots = [Path(p) for p in paths]
    if not roots:
        raise CppError("no 903 files given: pass a folder or file(s) to load.")
    now = pd.Timestamp.today().normalize() if today is None else pd.Timestamp(today)
    findings = Findings()
    batch: list[pd.DataFrame] = []  # vectorised findings, added to ``findings`` once
    sources = discover(roots, findings)
    parts = _read_all(sources, findings)
    _assign_years(parts, findings, batch)
    parts, la = _select_council(parts, la_code, batch)
    tables: dict[str, pd.DataFrame] = {}
    for name in TABLES:
        tables[name] = _build_table(name, [p for p in parts if p.table == name], batch, now)
    eps = tables["episodes"]
    latest = int(eps["YEAR"].max()) if len(eps) and eps["YEAR"].notna().any() else None
    tables["episodes"], found = repair_overlaps(eps, latest)
    batch.append(found)
    _require(tables, sources, parts, concat([findings.to_frame(), *batch]))
    batch.append(check_cross(tables))
    everything = normalise_findings(concat([findings.to_frame(), *batch]))
    for name in TABLES:
        tables[name] = tables[name].reset_index(drop=True)
    return Dataset(
        tables=tables, findings=everything, la_code=la_code or la,
        sources=[str(s.path) for s in sources],
    )


def _read_all(sources: list[SourceFile], findings: Findings) -> list[RawTable]:
    parts: list[RawTable] = []
    for source in sources:
        if source.path.suffix.lower() == ".xml":
            parts.extend(read_xml(source, findings).values())
        else:
            part = read_csv(source, findings)
            if part is not None:
                parts.append(part)
    return parts


def _set_key(part: RawTable) -> str:
    return str(part.source.path.parent)


def _assign_years(parts: list[RawTable], findings: Findings, batch: list[pd.DataFrame]) -> None:
    """Give every row a ``YEAR``: YEAR column, else folder name, else inferred per file set."""
    inferred: dict[str, int | None] = {}
    for part in parts:
        folder = year_from_path(part.source.path, part.source.root)
        year = pd.Series(pd.NA, index=part.frame.index, dtype="Int64")
        if "_YEAR" in part.frame.columns:
            year = parse_year_column(part.frame["_YEAR"])
            given = part.frame["_YEAR"].str.strip() != ""
            bad = given & year.isna()
            batch.append(row_findings(
                part.frame, bad, "warning", "year_unparseable", part.table, column="YEAR",
                value=part.frame["_YEAR"],
                message="YEAR '" + part.frame["_YEAR"].astype("string")
                + "' is not a collection year; the file's year was used instead.",
                fix="Write YEAR as the year of the collection's 31 March, e.g. 2024.",
                action="repaired"))
        if year.notna().all():
            part.frame["YEAR"] = year
            continue
        if folder is None:
            key = _set_key(part)
            if key not in inferred:
                inferred[key] = _infer(key, parts, findings)
            folder = inferred[key]
        part.frame["YEAR"] = year.fillna(folder) if folder is not None else year


def _infer(key: str, parts: list[RawTable], findings: Findings) -> int | None:
    same = [p for p in parts if _set_key(p) == key]
    dates = [parse_dates(p.frame[c]) for p in same if p.table == "episodes"
             for c in ("DECOM", "DEC")]
    if not dates or pd.concat(dates).dropna().empty:
        dates = [parse_dates(p.frame[c]) for p in same for c in COLUMNS[p.table]
                 if c in DATE_COLUMNS and c != "DUC"]
    year = infer_year(pd.concat(dates)) if dates else None
    folder = key
    if year is None:
        findings.add(
            "warning", "year_unknown", file=folder,
            message=f"the collection year of the files in {folder} could not be told "
                    "(no YEAR column, no year in the folder name, no dates).",
            fix="Put each year's files in a folder named like 2023-24.", action="loaded")
    else:
        findings.add(
            "info", "year_inferred", file=folder, value=year,
            message=f"the files in {folder} were taken to be the {label(year)} collection "
                    "year, the latest year holding a material share of their episode dates.",
            fix=f"Name the folder {label(year)} (or add a YEAR column) to state the year.",
            action="loaded")
    return year


def _select_council(
    parts: list[RawTable], la_code: str | None, batch: list[pd.DataFrame]
) -> tuple[list[RawTable], str | None]:
    """Keep one council's rows of pooled data; return the parts and the council found."""
    las: set[str] = set()
    for part in parts:
        if "_LA" in part.frame.columns:
            las |= set(part.frame["_LA"].str.strip().replace("", pd.NA).dropna())
    if not las:
        return parts, None
    if la_code is None:
        if len(las) > 1:
            raise CppError(
                f"the pooled files hold data for {len(las)} councils ({', '.join(sorted(las))}); "
                "say which one to use (la_code / --la-code).")
        return parts, las.pop()
    for part in parts:
        if "_LA" not in part.frame.columns:
            continue
        la = part.frame["_LA"].str.strip()
        other = (la != "") & (la != la_code)
        batch.append(row_findings(
            part.frame, other, "info", "other_council", part.table, column="LA",
            value=la, message=f"row belongs to another council, not {la_code}; not used.",
            fix="No action needed.", action="set_aside"))
        part.frame = part.frame.loc[~other].reset_index(drop=True)
    return parts, la_code


def _build_table(
    name: str, parts: list[RawTable], batch: list[pd.DataFrame], today: pd.Timestamp
) -> pd.DataFrame:
    """Type, check and stitch all rows of one table."""
    if not parts:
        return _empty(name).copy()
    cols = [*COLUMNS[name], *PROVENANCE]
    raw = pd.concat([p.frame[cols] for p in parts], ignore_index=True)
    typed = coerce_fast(name, raw)
    typed, found = dedupe_within_year(name, typed, key=False)
    batch.append(found)
    raw = raw.loc[typed.index]
    keep, found = check_rows(name, raw, typed, today=today)
    batch.append(found)
    typed = typed.loc[keep]
    typed, found = dedupe_within_year(name, typed, exact=False)
    batch.append(found)
    typed, found = stitch_years(name, typed)
    batch.append(found)
    return typed


def coerce_fast(name: str, raw: pd.DataFrame) -> pd.DataFrame:
    """Same result as :func:`~cppanalytics.ssda903.dataset.coerce_table` for a loader table.

    Each column is normalised once per distinct value (dates, codes and postcodes repeat a
    lot), then spread back, so large extracts load quickly. ``raw`` holds exactly the
    contract columns and provenance.
    """
    out: dict[str, pd.Series] = {}
    for col in COLUMNS[name]:
        codes, uniq = pd.factorize(raw[col])
        values = pd.Series(uniq, dtype="object")
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
        out[col] = pd.Series(conv.array.take(codes, allow_fill=True), index=raw.index)
    out["YEAR"] = pd.to_numeric(raw["YEAR"], errors="coerce").astype("Int64")
    out["source_file"] = raw["source_file"].astype("string")
    out["source_row"] = pd.to_numeric(raw["source_row"], errors="coerce").astype("Int64")
    return pd.DataFrame(out, index=raw.index).reset_index(drop=True)


@cache
def _empty(name: str) -> pd.DataFrame:
    return empty_table(name)


def _require(
    tables: dict[str, pd.DataFrame], sources: list[SourceFile], parts: list[RawTable],
    findings: pd.DataFrame,
) -> None:
    missing = [n for n in REQUIRED_TABLES if tables[n].empty]
    if not missing:
        return
    found = sorted({p.table for p in parts})
    problems = findings[findings["severity"] == "error"].head(3)
    detail = "; ".join(problems["message"]) if len(problems) else ""
    raise CppError(
        f"no usable {' or '.join(missing)} table in {len(sources)} file(s) read"
        + (f" (tables found: {', '.join(found)})" if found else "")
        + ". The 903 needs a Header file (CHILD, SEX, DOB, ETHNIC, UPN, MOTHER, MC_DOB) and "
        "an Episodes file (CHILD, DECOM, RNE, LS, CIN, PLACE, ...) with DfE column names in "
        "the first row." + (f" Problems seen: {detail}" if detail else ""))


__all__ = ["load"]
