"""Which period ends a loaded 903 dataset can answer for.

A dataset covers the collection years it holds, from 1 April of the earliest to 31 March
of the latest. A period end outside that range has no data behind it. Inside it, a period
end depends on every collection year from the earliest up to its own: a year whose core
table (Header or Episodes, :data:`~cppanalytics.ssda903.dataset.REQUIRED_TABLES`) is
missing or unusable leaves children who left care that year still "in care" in every later
figure, so those period ends are refused too, unless the caller forces them (then the
answer carries a warning).

Examples
--------
>>> from cppanalytics.ssda903.dataset import Dataset
>>> ds = Dataset(table_years={"header": (2023, 2024), "episodes": (2024,)})
>>> cov = coverage(ds)
>>> cov.years, cov.incomplete
((2023, 2024), {2023: ('episodes',)})
>>> cov.start.date(), cov.end.date()
(datetime.date(2022, 4, 1), datetime.date(2024, 3, 31))
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd

from cppanalytics.dates import as_date, collection_year
from cppanalytics.errors import CppError
from cppanalytics.ssda903.dataset import REQUIRED_TABLES, TABLES, Dataset
from cppanalytics.ssda903.years import label


@dataclass(frozen=True)
class Coverage:
    """The collection years a dataset holds and the core tables missing from any of them."""

    years: tuple[int, ...]
    incomplete: dict[int, tuple[str, ...]] = field(default_factory=dict)

    @property
    def start(self) -> pd.Timestamp:
        """1 April of the earliest collection year."""
        return pd.Timestamp(year=self.years[0] - 1, month=4, day=1)

    @property
    def end(self) -> pd.Timestamp:
        """31 March of the latest collection year."""
        return pd.Timestamp(year=self.years[-1], month=3, day=31)

    def describe(self) -> str:
        """The range in words.

        Examples
        --------
        >>> Coverage((2023, 2024)).describe()
        'the 2022-23 to 2023-24 collection years (01/04/2022 to 31/03/2024)'
        """
        span = (
            f"the {label(self.years[0])} collection year"
            if len(self.years) == 1
            else f"the {label(self.years[0])} to {label(self.years[-1])} collection years"
        )
        return f"{span} ({self.start:%d/%m/%Y} to {self.end:%d/%m/%Y})"


def _years_of(ds: Dataset) -> dict[str, set[int]]:
    """Years each table held usable rows for: recorded by the loader, else from YEAR."""
    if ds.table_years:
        return {name: set(ds.table_years.get(name, ())) for name in TABLES}
    out = {}
    for name in TABLES:
        years = ds.tables[name]["YEAR"].dropna().unique()
        out[name] = {int(y) for y in years}
    return out


def coverage(ds: Dataset) -> Coverage | None:
    """The dataset's collection years and, per year, the core tables it lacks.

    ``None`` when no row carries a collection year (in-memory data without ``YEAR``).
    Years between the earliest and the latest with no files at all count as lacking every
    core table.

    Examples
    --------
    >>> from cppanalytics.ssda903.dataset import Dataset
    >>> coverage(Dataset(table_years={"header": (2022, 2024), "episodes": (2022, 2024)})).incomplete
    {2023: ('header', 'episodes')}
    """
    by_table = _years_of(ds)
    every = set().union(*by_table.values())
    if not every:
        return None
    years = tuple(range(min(every), max(every) + 1))
    incomplete = {}
    for year in years:
        lacking = tuple(t for t in REQUIRED_TABLES if year not in by_table[t])
        if lacking:
            incomplete[year] = lacking
    return Coverage(tuple(sorted(every)), incomplete)


def check_period_ends(
    ds: Dataset,
    ends: Sequence[str | pd.Timestamp],
    *,
    allow_incomplete: bool = False,
) -> list[str]:
    """Refuse period ends the data cannot answer for; return warnings for forced ones.

    Parameters
    ----------
    ds
        the loaded dataset.
    ends
        the period ends asked for.
    allow_incomplete
        compute period ends that depend on a year with a missing core table anyway; each
        such year then gives one warning (returned) instead of an error.

    Returns
    -------
    list of str
        warnings (empty unless ``allow_incomplete`` let an incomplete year through).

    Raises
    ------
    CppError
        a period end after the latest collection year's 31 March or before the earliest
        year's 1 April, or (without ``allow_incomplete``) one that depends on a year whose
        Header or Episodes table is missing or unusable.

    Examples
    --------
    >>> from cppanalytics.ssda903.dataset import Dataset
    >>> ds = Dataset(table_years={"header": (2024,), "episodes": (2024,)})
    >>> check_period_ends(ds, ["2024-03-31"])
    []
    >>> check_period_ends(ds, ["2024-06-30"])
    Traceback (most recent call last):
    ...
    cppanalytics.errors.CppError: period end 30/06/2024 is after the data: the files hold the 2023-24 collection year (01/04/2023 to 31/03/2024). Choose a period end in that range, or add the files of the year holding 30/06/2024.
    """
    cov = coverage(ds)
    if cov is None:
        return []
    dates = sorted({as_date(d) for d in ends})
    late = [d for d in dates if d > cov.end]
    early = [d for d in dates if d < cov.start]
    for bad, where in ((late, "after"), (early, "before")):
        if bad:
            shown = ", ".join(f"{d:%d/%m/%Y}" for d in bad[:4]) + (", ..." if len(bad) > 4 else "")
            raise CppError(
                f"period end{'s' if len(bad) > 1 else ''} {shown} "
                f"{'are' if len(bad) > 1 else 'is'} {where} the data: the files hold "
                f"{cov.describe()}. Choose a period end in that range, or add the files of "
                f"the year holding {bad[0]:%d/%m/%Y}."
            )
    warnings: list[str] = []
    if not cov.incomplete or not dates:
        return warnings
    last_needed = collection_year(dates[-1])
    hit = {y: t for y, t in cov.incomplete.items() if y <= last_needed}
    if not hit:
        return warnings
    affected = [d for d in dates if collection_year(d) >= min(hit)]
    what = "; ".join(
        f"{label(y)}: no usable {' or '.join(t)} table" for y, t in sorted(hit.items())
    )
    shown = ", ".join(f"{d:%d/%m/%Y}" for d in affected[:4]) + (
        ", ..." if len(affected) > 4 else ""
    )
    text = (
        f"period end{'s' if len(affected) > 1 else ''} {shown} depend{'' if len(affected) > 1 else 's'} "
        f"on collection years whose core tables are missing or unusable ({what}); "
        "children who left care in such a year would still count as in care, so the "
        "figures would be wrong."
    )
    if not allow_incomplete:
        raise CppError(
            text + " Fix or add those files (see the findings), or choose an "
            "earlier period end (`cppanalytics indicators --allow-incomplete` computes it "
            "anyway, with a warning)."
        )
    warnings.append(
        text + " Computed anyway because it was forced: treat these figures as unreliable."
    )
    return warnings


__all__ = ["Coverage", "check_period_ends", "coverage"]
