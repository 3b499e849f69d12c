"""Which collection year a 903 file set belongs to.

A collection year is written as the calendar year of its 31 March (2022-23 → ``2023``).
The loader takes it, in order of preference, from:

1. a ``YEAR`` column (pooled layout): ``2023``, ``2023.0``, ``2022-23``, ``2022/23``,
   ``2022-2023`` or ``202223`` all mean 2023;
2. the file name (``2022-23_episodes.csv``, ``episodes_202223.csv``), else a folder name
   between the file and the path the user gave (nearest first): ``2022-23``,
   ``2022_23``, ``202223``, ``2022-2023`` (also inside a longer name such as
   ``ssda903_2022-23``);
3. a lone four-digit year (:func:`lone_year`: ``2023-episodes.csv``) only groups files: the
   group's year comes from its dates, as for an unnamed folder;
4. the data (:func:`infer_year`): the latest collection year holding a material share
   (:data:`MATERIAL_SHARE`) of the file set's episode start and end dates, so a stray
   mistyped date does not move the year. An info finding says so.

Examples
--------
>>> year_from_name("ssda903_2022-23"), year_from_name("202223"), year_from_name("2023")
(2023, 2023, None)
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

#: Share of a file set's dates a collection year must hold to be taken as its year.
MATERIAL_SHARE: float = 0.02

_NAME = re.compile(r"(?<!\d)(\d{4})[-_/ ]?(\d{4}|\d{2})(?!\d)")
_LONE = re.compile(r"(?<!\d)(\d{4})(?!\d)")


def year_from_name(name: str) -> int | None:
    """The collection year a folder name states, or ``None``.

    The second part must follow the first (``2022-23``, not ``2022-25``).

    Examples
    --------
    >>> year_from_name("2022_2023"), year_from_name("2022-25"), year_from_name("data")
    (2023, None, None)
    """
    for m in _NAME.finditer(name):
        start, end = int(m.group(1)), m.group(2)
        if not 1990 <= start <= 2100:
            continue
        nxt = start + 1
        if (len(end) == 2 and int(end) == nxt % 100) or (len(end) == 4 and int(end) == nxt):
            return nxt
    return None


def lone_year(name: str) -> int | None:
    """A lone four-digit year in a name (``2023-episodes``, ``SSDA903_2024_header``), or ``None``.

    A lone year is ambiguous: some tools label a collection year by the calendar year it
    starts in, others by the one it ends in, so it groups files but does not state their
    collection year. Only years 1990-2100 count, and a name that states a collection year
    (:func:`year_from_name`) has no lone year.

    Examples
    --------
    >>> lone_year("2023-episodes"), lone_year("SSDA903_2024_header"), lone_year("2023-24_oc2")
    (2023, 2024, None)
    >>> lone_year("episodes"), lone_year("child_20240331")
    (None, None)
    """
    if year_from_name(name) is not None:
        return None
    for m in _LONE.finditer(name):
        year = int(m.group(1))
        if 1990 <= year <= 2100:
            return year
    return None


def naming_folder(path: Path, root: Path) -> Path | None:
    """The nearest folder from ``path``'s parent up to ``root`` whose name states a year.

    Examples
    --------
    >>> naming_folder(Path("/d/903/2021-22/x/episodes.csv"), Path("/d/903"))
    PosixPath('/d/903/2021-22')
    """
    folders = [path.parent]
    if root != path:
        p = path.parent
        while p != root and root in p.parents:
            p = p.parent
            folders.append(p)
    for folder in folders:
        if year_from_name(folder.name) is not None:
            return folder
    return None


def year_from_path(path: Path, root: Path) -> int | None:
    """The year named by a folder from ``path``'s parent up to ``root`` (inclusive).

    Examples
    --------
    >>> year_from_path(Path("/d/903/2021-22/x/episodes.csv"), Path("/d/903"))
    2022
    >>> year_from_path(Path("/2019-20/d/episodes.csv"), Path("/2019-20/d")) is None
    True
    """
    folder = naming_folder(path, root)
    return None if folder is None else year_from_name(folder.name)


def parse_year_column(values: pd.Series) -> pd.Series:
    """Collection years from a pooled layout's ``YEAR`` column (nullable Int64).

    Examples
    --------
    >>> parse_year_column(pd.Series(["2023", "2022-23", "2023.0", "x", ""])).tolist()
    [2023, 2023, 2023, <NA>, <NA>]
    """
    codes, uniq = pd.factorize(values)
    if len(uniq) < len(values):  # a pooled file repeats a few years on every row
        parsed = parse_year_column(pd.Series(uniq, dtype="object"))
        return pd.Series(
            parsed.array.take(codes, allow_fill=True), index=values.index, dtype="Int64"
        )
    text = values.astype("string").str.strip()
    plain = text.str.extract(r"^(\d{4})(?:\.0+)?$")[0]
    pair = text.str.extract(r"^(\d{4})[-_/ ]?(\d{2}|\d{4})$")
    first = pd.to_numeric(pair[0], errors="coerce")
    second = pd.to_numeric(pair[1], errors="coerce")
    ok = ((second == (first + 1) % 100) & (pair[1].str.len() == 2)) | (second == first + 1)
    from_pair = (first + 1).where(ok)
    out = pd.to_numeric(plain, errors="coerce").fillna(from_pair)
    return out.astype("Int64")


def collection_year_of(dates: pd.Series) -> pd.Series:
    """The collection year each date falls in (April–March).

    Examples
    --------
    >>> collection_year_of(pd.Series(pd.to_datetime(["2023-03-31", "2023-04-01"]))).tolist()
    [2023, 2024]
    """
    d = pd.to_datetime(dates)
    return (d.dt.year + (d.dt.month >= 4).astype("int64")).astype("Int64")


def infer_year(dates: pd.Series, today: pd.Timestamp | None = None) -> int | None:
    """The latest collection year holding at least :data:`MATERIAL_SHARE` of ``dates``.

    Dates after ``today`` (default: now) are ignored.

    Examples
    --------
    >>> d = pd.Series(pd.to_datetime(["2022-05-01"] * 60 + ["2023-05-01"] * 40 + ["2024-01-01"]))
    >>> infer_year(d, pd.Timestamp("2030-01-01"))
    2024
    >>> d = pd.Series(pd.to_datetime(["2022-05-01"] * 99 + ["2026-01-01"]))
    >>> infer_year(d, pd.Timestamp("2030-01-01"))
    2023
    """
    today = pd.Timestamp.today().normalize() if today is None else today
    d = pd.to_datetime(dates).dropna()
    d = d[d <= today]
    if d.empty:
        return None
    counts = collection_year_of(d).value_counts()
    material = counts[counts >= MATERIAL_SHARE * len(d)]
    return int(material.index.max())


def label(year: int | None) -> str:
    """A collection year as people write it: ``2023`` → ``"2022-23"``.

    Examples
    --------
    >>> label(2023)
    '2022-23'
    """
    if year is None or pd.isna(year):
        return "unknown"
    return f"{int(year) - 1}-{int(year) % 100:02d}"


def labels(years: pd.Series) -> pd.Series:
    """:func:`label` for a whole column (computed once per distinct year).

    Examples
    --------
    >>> labels(pd.Series([2024, None, 2024])).tolist()
    ['2023-24', 'unknown', '2023-24']
    """
    uniq = pd.Series(years.dropna().unique())
    mapping = dict(zip(uniq, uniq.map(label), strict=True))
    return years.map(mapping).astype("string").fillna("unknown")


__all__ = [
    "MATERIAL_SHARE",
    "labels",
    "collection_year_of",
    "infer_year",
    "label",
    "lone_year",
    "naming_folder",
    "parse_year_column",
    "year_from_name",
    "year_from_path",
]
