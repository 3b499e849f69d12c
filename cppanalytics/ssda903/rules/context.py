"""What every DfE rule reads: the tables with each row's collection year, and shared facts.

:class:`RuleContext` wraps a :class:`~cppanalytics.ssda903.dataset.Dataset`. Each table
gets three columns (never written back to the Dataset):

``_year``
    the row's collection year (calendar year of its 31 March); rows of unknown year take
    the latest year in the data (or the year of the latest episode date).
``_start``, ``_end``
    1 April and 31 March of that collection year.
``_asof``
    ``_end``, or the data's latest episode date for a year still in progress (a rule about
    "still looked after at the year end" is judged at the extract date for such a year).

Shared facts are computed once per context: the episodes in child and start order with
each one's previous and next episode (:attr:`RuleContext.eps`), the Header row of each
child, and per (child, collection year) whether the child was looked after continuously
for 12 months at 31 March (DfE's definition, :meth:`RuleContext.cla12`).

Examples
--------
>>> from cppanalytics.ssda903.dataset import Dataset
>>> ds = Dataset.from_tables({"episodes": pd.DataFrame({"CHILD": ["1"],
...     "DECOM": ["01/05/2023"], "YEAR": [2024]})})
>>> ctx = RuleContext(ds)
>>> ctx.tables["episodes"]["_end"].iloc[0]
Timestamp('2024-03-31 00:00:00')
"""

from __future__ import annotations

from functools import cached_property

import numpy as np
import pandas as pd

from cppanalytics.care.cohorts import latest_rows
from cppanalytics.dates import birthday, collection_year
from cppanalytics.ssda903.dataset import TABLES, Dataset

MALE: frozenset[str] = frozenset({"1", "M"})
FEMALE: frozenset[str] = frozenset({"2", "F"})
SHORT_BREAKS: frozenset[str] = frozenset({"V3", "V4"})


def age(dob: pd.Series, when: pd.Series) -> pd.Series:
    """Completed years of age on each row's date (a birthday on the date counts).

    29 February birthdays fall on 1 March in other years. Missing dates give NaN.

    Examples
    --------
    >>> age(pd.Series(pd.to_datetime(["2008-02-29", "2010-03-31"])),
    ...     pd.Series(pd.to_datetime(["2026-02-28", "2024-03-31"]))).tolist()
    [17.0, 14.0]
    """
    dob = pd.to_datetime(dob)
    when = pd.to_datetime(when)
    years = when.dt.year - dob.dt.year
    before = (when.dt.month * 100 + when.dt.day) < (dob.dt.month * 100 + dob.dt.day)
    return (years - before.astype("float64")).astype("float64")


def add_years(dates: pd.Series, years: int) -> pd.Series:
    """The ``years``-th anniversary of each date (29 February → 1 March in other years, as
    :func:`cppanalytics.dates.birthday` and :func:`cppanalytics.dates.age_at` count it).

    Examples
    --------
    >>> add_years(pd.Series(pd.to_datetime(["2008-02-29"])), 18).dt.strftime("%d/%m/%Y").tolist()
    ['01/03/2026']
    """
    return birthday(pd.to_datetime(dates), years)


class RuleContext:
    """The dataset as the rules read it (see the module docstring).

    Parameters
    ----------
    data
        the 903 dataset.
    """

    def __init__(self, data: Dataset) -> None:
        self.data = data
        years = [t["YEAR"].dropna() for t in data.tables.values() if len(t)]
        known = pd.concat(years) if years else pd.Series(dtype="Int64")
        if len(known):
            self.latest_year = int(known.max())
        else:
            last = data.extract_date()
            self.latest_year = collection_year(last) if last is not None else 0
        self.tables: dict[str, pd.DataFrame] = {}
        for name in TABLES:
            frame = _plain_text(data.tables[name].reset_index(drop=True))
            year = pd.to_numeric(frame["YEAR"], errors="coerce").fillna(self.latest_year)
            year = year.astype("int64")
            start = pd.to_datetime((year - 1).astype(str) + "-04-01", errors="coerce")
            end = pd.to_datetime(year.astype(str) + "-03-31", errors="coerce")
            last = data.extract_date()
            asof = end if last is None else end.where(end <= last, last)
            self.tables[name] = frame.assign(_year=year, _start=start, _end=end, _asof=asof)
        self._cache: dict[tuple[str, ...], pd.Series] = {}

    # --- children --------------------------------------------------------------------

    @cached_property
    def header(self) -> pd.DataFrame:
        """Each child's latest Header row, indexed by CHILD."""
        return latest_rows(self.tables["header"]).set_index("CHILD")

    def header_value(self, table: str, column: str) -> pd.Series:
        """The Header ``column`` of each row's child in ``table`` (NA when not in Header)."""
        key = ("header", table, column)
        if key not in self._cache:
            frame = self.tables[table]
            values = self.header[column].reindex(frame["CHILD"].to_numpy())
            self._cache[key] = pd.Series(
                values.to_numpy(), index=frame.index, dtype=self.header[column].dtype
            )
        return self._cache[key]

    def lookup(self, table: str, values: pd.Series) -> pd.Series:
        """``values`` (indexed by CHILD, one per child) for each row of ``table``; the
        dtype is kept (a missing child gives NaT/None)."""
        frame = self.tables[table]
        picked = values[~values.index.duplicated(keep="last")].reindex(frame["CHILD"].to_numpy())
        kind = values.dtype.kind
        dtype = "float64" if kind in "iu" else object if kind == "b" else values.dtype
        return pd.Series(picked.to_numpy(), index=frame.index, dtype=dtype)

    def dob(self, table: str) -> pd.Series:
        """Each row's date of birth: the table's own DOB, else the Header's."""
        frame = self.tables[table]
        hdob = self.header_value(table, "DOB")
        own = frame["DOB"] if "DOB" in frame.columns else hdob
        return own.fillna(hdob)

    def sex(self, table: str) -> pd.Series:
        """Each row's child's SEX from Header (the table's own SEX for UASC if blank there)."""
        frame = self.tables[table]
        out = self.header_value(table, "SEX")
        if "SEX" in frame.columns and table != "header":
            out = out.fillna(frame["SEX"])
        return out if table != "header" else frame["SEX"]

    # --- episodes in order ------------------------------------------------------------

    @cached_property
    def eps(self) -> pd.DataFrame:
        """Episodes by CHILD then DECOM (original index kept) with neighbour columns.

        ``prev_<COL>`` / ``next_<COL>`` for DECOM, DEC, REC, RNE, LS, PLACE, PL_POST, URN,
        PLACE_PROVIDER, CIN, HOME_POST of the child's previous / next episode (NA if none);
        ``prev2_PLACE``, ``prev2_PL_POST``, ``prev2_URN`` of the one before the previous;
        ``has_prev`` / ``has_next``.
        """
        eps = self.tables["episodes"]
        order = eps.assign(_o=np.arange(len(eps))).sort_values(
            ["CHILD", "DECOM", "DEC", "_o"], kind="stable", na_position="last"
        )
        child = order["CHILD"]
        same_prev = child.eq(child.shift(1)).fillna(False).astype(bool)
        same_next = child.eq(child.shift(-1)).fillna(False).astype(bool)
        cols = [
            "DECOM",
            "DEC",
            "REC",
            "RNE",
            "LS",
            "PLACE",
            "PL_POST",
            "URN",
            "PLACE_PROVIDER",
            "CIN",
            "HOME_POST",
        ]
        prev = order[cols].shift(1).where(same_prev)
        nxt = order[cols].shift(-1).where(same_next)
        same_prev2 = same_prev & child.eq(child.shift(2)).fillna(False).astype(bool)
        prev2 = order[["PLACE", "PL_POST", "URN"]].shift(2).where(same_prev2)
        out = order.assign(has_prev=same_prev, has_next=same_next)
        out = pd.concat(
            [out, prev.add_prefix("prev_"), nxt.add_prefix("next_"), prev2.add_prefix("prev2_")],
            axis=1,
        )
        return out.drop(columns="_o")

    @cached_property
    def period_start(self) -> pd.Series:
        """Start of each episode's period of care (chains joined by X1 on the same day),
        aligned with :attr:`eps`."""
        e = self.eps
        joined = (
            e["has_prev"]
            & e["prev_REC"].eq("X1").fillna(False)
            & e["prev_DEC"].eq(e["DECOM"]).fillna(False)
        )
        new = ~joined.astype(bool)
        group = new.cumsum()
        return e["DECOM"].where(new).groupby(group.to_numpy()).transform("first")

    def in_care_during(self, table: str) -> pd.Series:
        """Whether each row's child had an episode during the row's collection year."""
        return self._child_year_flag(table, "during")

    def in_care_during_not_short_breaks(self, table: str) -> pd.Series:
        """Whether each row's child had an episode other than a short break (V3/V4) during
        the row's collection year."""
        return self._child_year_flag(table, "during_care")

    def in_care_at_end(self, table: str) -> pd.Series:
        """Whether each row's child was looked after at the end of 31 March of the row's year."""
        return self._child_year_flag(table, "at_end")

    def cla12(self, table: str) -> pd.Series:
        """Whether each row's child was looked after continuously for 12 months at 31 March
        of the row's collection year (DfE: in care during the year, and no start (RNE S)
        after 1 April, no exit (REC not X1) before 31 March and no short break (V3/V4)
        during the year)."""
        return self._child_year_flag(table, "cla12")

    def _child_year_flag(self, table: str, kind: str) -> pd.Series:
        key = ("flag", table, kind)
        if key not in self._cache:
            self._cache[key] = self._compute_flag(table, kind)
        return self._cache[key]

    def _compute_flag(self, table: str, kind: str) -> pd.Series:
        frame = self.tables[table]
        out = pd.Series(False, index=frame.index)
        eps = self.tables["episodes"]
        if frame.empty or eps.empty:
            return out
        for year in frame["_year"].unique():
            start = pd.Timestamp(int(year) - 1, 4, 1)
            end = pd.Timestamp(int(year), 3, 31)
            during = (eps["DECOM"] <= end) & (eps["DEC"].isna() | (eps["DEC"] >= start))
            if kind == "during":
                kids = set(eps.loc[during, "CHILD"])
            elif kind == "during_care":
                kids = set(eps.loc[during & ~eps["LS"].isin(SHORT_BREAKS), "CHILD"])
            elif kind == "at_end":
                at_end = (eps["DECOM"] <= end) & (eps["DEC"].isna() | (eps["DEC"] > end))
                kids = set(eps.loc[at_end, "CHILD"])
            else:
                enters = eps["RNE"].eq("S") & (eps["DECOM"] > start) & (eps["DECOM"] <= end)
                leaves = (
                    eps["REC"].ne("X1")
                    & eps["REC"].notna()
                    & (eps["DEC"] >= start)
                    & (eps["DEC"] < end)
                )
                short = eps["LS"].isin(SHORT_BREAKS) & during
                broken = (enters | leaves | short).fillna(False).astype(bool)
                kids = set(eps.loc[during, "CHILD"]) - set(eps.loc[broken, "CHILD"])
            rows = frame["_year"].eq(year)
            out[rows] = frame.loc[rows, "CHILD"].isin(kids)
        return out


def _plain_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Text columns as Python objects with None for missing, so comparisons are plain
    booleans (``ne`` is True and ``eq`` False against a blank, never NA)."""
    out = frame.copy()
    for col in out.columns:
        values = out[col]
        if pd.api.types.is_datetime64_any_dtype(values) or pd.api.types.is_numeric_dtype(values):
            continue
        obj = values.astype(object)
        out[col] = obj.where(values.notna(), None)
    return out


def blank(values: pd.Series) -> pd.Series:
    """True where a value is missing (NA/NaT/NaN).

    Examples
    --------
    >>> blank(pd.Series(["a", None])).tolist()
    [False, True]
    """
    return values.isna()


def given(values: pd.Series) -> pd.Series:
    """True where a value is present.

    Examples
    --------
    >>> given(pd.Series(["a", None])).tolist()
    [True, False]
    """
    return values.notna()


__all__ = ["FEMALE", "MALE", "SHORT_BREAKS", "RuleContext", "add_years", "age", "blank", "given"]
