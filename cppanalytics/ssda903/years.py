"""Which collection year a 903 file set belongs to.

A collection year is written as the calendar year of its 31 March (2022-23 → ``2023``).
The loader takes it, in order of preference, from:

1. a ``YEAR`` column (pooled layout): ``2023``, ``2023.0``, ``2022-23``, ``2022/23``,
   ``2022-2023`` or ``202223`` all mean 2023;
2. a folder name between the file and the path the user gave (nearest first): ``2022-23``,
   ``2022_23``, ``202223``, ``2022-2023`` (also inside a longer name such as
   ``ssda903_2022-23``);
3. the data (:func:`infer_year`): the latest collection year holding a material share
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


def year_from_path(path: Path, root: Path) -> int | None:
    """The year named by a folder from ``path``'s parent up to ``root`` (inclusive).

    Examples
    --------
    >>> year_from_path(Path("/d/903/2021-22/x/episodes.csv"), Path("/d/903"))
    2022
    >>> year_from_path(Path("/2019-20/d/episodes.csv"), Path("/2019-20/d")) is None
    True
    """
    folders = [path.parent]
    if root != path:
        p = path.parent
        while p != root and root in p.parents:
            p = p.parent
            folders.append(p)
    for folder in folders:
        year = year_from_name(folder.name)
        if year is not None:
            return year
    return None


def parse_year_column(values: pd.Series) -> pd.Series:
    """Collection years from a pooled layout's ``YEAR`` column (nullable Int64).

    Examples
    --------
    >>> parse_year_column(pd.Series(["2023", "2022-23", "2023.0", "x", ""])).tolist()
    [2023, 2023, 2023, <NA>, <NA>]
    """
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


__all__ = ["MATERIAL_SHARE", "labels", "collection_year_of", "infer_year", "label", "parse_year_column",
           "year_from_name", "year_from_path"]
