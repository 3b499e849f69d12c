"""The indicator context: one object per (dataset, period end) that indicator modules read.

A :class:`Context` gives indicator modules the period end D, the windows, the settings,
the findings collector, and the cohorts built from the prepared building blocks
(:mod:`cppanalytics.care`). The building blocks are computed once per dataset and settings
and shared by every context made with :meth:`Context.at`, so many period ends cost one
preparation.

Examples
--------
>>> from cppanalytics.ssda903.dataset import Dataset
>>> ds = Dataset.from_tables({
...     "header": pd.DataFrame({"CHILD": ["1"], "SEX": ["1"], "DOB": ["29/02/2008"]}),
...     "episodes": pd.DataFrame({"CHILD": ["1"], "DECOM": ["01/04/2022"], "RNE": ["S"],
...                               "LS": ["C2"], "PLACE": ["U4"], "DEC": [""], "REC": [""]})})
>>> ctx = Context(ds, "2024-02-29")
>>> ctx.cla_at()[["CHILD", "age"]].values.tolist()
[['1', 16]]
>>> ctx.window("cla_started")
(Timestamp('2023-04-01 00:00:00'), Timestamp('2024-02-29 00:00:00'))
>>> len(ctx.continuously_looked_after_12m())
1
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from cppanalytics.care.cohorts import (
    child_runs,
    episode_spans,
    latest_rows,
    looked_after_at_positions,
    looked_after_during_positions,
    position_type,
)
from cppanalytics.care.prepared import CareData, PreparedEpisodes, prepare_care
from cppanalytics.dates import WINDOW_KINDS, as_date, birthday, window
from cppanalytics.errors import CppError
from cppanalytics.findings import Findings, row_findings
from cppanalytics.indicators.catalogue import CATALOGUE, get
from cppanalytics.indicators.settings import Settings
from cppanalytics.ssda903.coded import factorize_text, object_addresses
from cppanalytics.ssda903.dataset import Dataset

#: age (completed years) from which a child cannot be looked after
ADULT_AGE: int = 18

#: columns of :meth:`Context.cla_at` taken from the current episode
EPISODE_COLUMNS: list[str] = [
    "DECOM",
    "RNE",
    "LS",
    "CIN",
    "PLACE",
    "PLACE_PROVIDER",
    "HOME_POST",
    "PL_POST",
    "URN",
    "source_file",
    "source_row",  # where the current episode came from, for findings
]
#: building-block columns also returned by :meth:`Context.cla_at`
BLOCK_COLUMNS: list[str] = [
    "held_PLACE",
    "period_start",
    "placement_start",
    "carer_spell_start",
    "period_id",
    "placement_id",
    "held_placement_id",
    "carer_spell_id",
    "pre_adoption_spell_start",
    "is_temp",
]
#: the child's facts (from the header) returned by :meth:`Context.cla_at`
_FACT_COLUMNS: tuple[str, ...] = ("DOB", "SEX", "ETHNIC")
#: every column of :meth:`Context.cla_at` and :meth:`Context.cla_during`, in order
COHORT_COLUMNS: list[str] = ["CHILD", *_FACT_COLUMNS, "age", *EPISODE_COLUMNS, *BLOCK_COLUMNS]


def check_windows(windows: dict[str, str] | None) -> dict[str, str]:
    """Validate a window override mapping ``{indicator_id: kind}``.

    Raises :class:`CppError` naming unknown ids or window kinds.

    Examples
    --------
    >>> check_windows({"cla_started": "q"})
    {'cla_started': 'q'}
    """
    windows = dict(windows or {})
    bad_ids = sorted(i for i in windows if i not in CATALOGUE)
    if bad_ids:
        raise CppError(
            f"window given for unknown indicator id(s): {', '.join(bad_ids)}; "
            "see `cppanalytics.indicators.catalogue.ids()`."
        )
    bad_kinds = sorted(f"{i}={k}" for i, k in windows.items() if k not in WINDOW_KINDS)
    if bad_kinds:
        raise CppError(
            f"unknown window kind in {', '.join(bad_kinds)}; use one of {', '.join(WINDOW_KINDS)}."
        )
    return windows


@functools.lru_cache(maxsize=4096)
def _window(kind: str, d: pd.Timestamp) -> tuple[pd.Timestamp, pd.Timestamp]:
    """:func:`cppanalytics.dates.window`, remembered (indicators ask for the same windows
    at every period end many times over)."""
    return window(kind, d)


def by_key(mapping: pd.Series, keys: pd.Series) -> pd.Series:
    """``mapping[key]`` for each key (NA where absent), with the index of ``keys``.

    Unlike ``keys.map(mapping)`` it keeps ``mapping``'s dtype and is safe when either is
    empty (pandas cannot map an empty float column through a date mapping).

    Examples
    --------
    >>> by_key(pd.Series([10, 20], index=["a", "b"]), pd.Series(["b", "a", "b"])).tolist()
    [20, 10, 20]
    >>> len(by_key(pd.Series(pd.to_datetime([])), pd.Series([], dtype="float64")))
    0
    """
    values = mapping.reindex(keys.to_numpy()).to_numpy()
    return pd.Series(values, index=keys.index, dtype=mapping.dtype)


def object_text(values: pd.Series) -> bool:
    """Whether ``values`` is text held as Python string objects (not Arrow-backed).

    Examples
    --------
    >>> object_text(pd.Series(["a"], dtype="string[python]")), object_text(pd.Series([1]))
    (True, False)
    """
    text = isinstance(values.dtype, pd.StringDtype) or values.dtype == object
    return text and not isinstance(values.array, pd.arrays.ArrowStringArray)


def _take(
    values: pd.Series, pos: np.ndarray | None
) -> np.ndarray | pd.api.extensions.ExtensionArray:
    """The values at positions ``pos`` of a column (all of them for None), in its own
    dtype (a numpy array for a numpy column), for building a frame without an
    intermediate one.

    Examples
    --------
    >>> _take(pd.Series([1, 2, 3]), np.array([2, 0])).tolist()
    [3, 1]
    >>> _take(pd.Series(["a", None], dtype="string"), np.array([1, 0])).tolist()
    [<NA>, 'a']
    """
    if isinstance(values.dtype, np.dtype):  # numpy (incl. datetime64): no wrapper
        return values.to_numpy() if pos is None else values.to_numpy().take(pos)
    return values.array if pos is None else values.array.take(pos)


def _arrow_text(values: np.ndarray) -> pa.Array | None:
    """``values`` (Python text, no missing value) as Arrow text, or None when one is not a
    ``str`` (bytes would pass as text in Arrow but are never equal to it in Python) or
    Arrow cannot hold it.

    Examples
    --------
    >>> _arrow_text(np.array(["a", "é"], dtype=object)).to_pylist()
    ['a', 'é']
    >>> _arrow_text(np.array(["a", b"a"], dtype=object)) is None
    True
    """
    if len(values) and pd.api.types.infer_dtype(values, skipna=False) != "string":
        return None
    try:
        return pa.array(values, type=pa.string())
    except (pa.ArrowInvalid, pa.ArrowTypeError, UnicodeEncodeError):
        return None


def run_starts(codes: np.ndarray) -> np.ndarray:
    """The positions where ``codes`` (numbers of adjacent runs, none negative) starts a
    new run: ``np.flatnonzero(np.diff(codes, prepend=-1))`` without its two full-length
    int64 temporaries (one bool per row instead).

    Examples
    --------
    >>> run_starts(np.array([0, 0, 1, 2, 2])).tolist(), run_starts(np.array([], dtype=int)).tolist()
    ([0, 2, 3], [])
    """
    new = np.empty(len(codes), dtype=bool)
    if len(codes):
        new[0] = True
        np.not_equal(codes[1:], codes[:-1], out=new[1:])
    return np.flatnonzero(new)


def birth_parts(dob: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each DOB's year and month * 100 + day (int32) and whether it is missing (NaT), as
    :func:`~cppanalytics.dates.age_at` splits a date, with one more entry at the end for
    no DOB at all (year and birthday 0, missing): position -1 takes it. A missing DOB's
    year and birthday are 0 too.

    Examples
    --------
    >>> year, mmdd, unknown = birth_parts(np.array(["2008-02-29", "NaT"], dtype="datetime64[ns]"))
    >>> year.tolist(), mmdd.tolist(), unknown.tolist()
    ([2008, 0, 0], [229, 0, 0], [False, True, True])
    """
    n = len(dob)
    year = np.zeros(n + 1, dtype=np.int32)
    mmdd = np.zeros(n + 1, dtype=np.int32)
    unknown = np.ones(n + 1, dtype=bool)
    np.isnat(dob, out=unknown[:n])
    months = dob.astype("datetime64[M]")
    count = months.view(np.int64)  # months since 1970-01
    np.floor_divide(count, 12, out=year[:n], casting="unsafe")
    year[:n] += 1970
    np.remainder(count, 12, out=mmdd[:n], casting="unsafe")  # 0 = January
    mmdd[:n] += 1
    mmdd[:n] *= 100
    day = dob.astype("datetime64[D]").view(np.int64)
    day -= months.astype("datetime64[D]").view(np.int64)  # 0 = the 1st
    day += 1
    mmdd[:n] += day.astype(np.int32)
    year[unknown] = 0
    mmdd[unknown] = 0
    return year, mmdd, unknown


class Context:
    """Everything an indicator module needs for one dataset at one period end.

    Parameters
    ----------
    data
        the 903 dataset.
    period_end
        the date D.
    settings
        engine settings (defaults if ``None``).
    windows
        per-indicator window overrides ``{id: kind}``.
    population
        ONS population, columns ``year``, ``population`` (already for this council).
    la_code
        the council's code, if known (defaults to ``data.la_code``).
    findings
        the collector computation findings go to (a new one if ``None``).
    care
        prepared building blocks to reuse (normally left to :meth:`at`).
    prepared
        the episodes already prepared while the data loaded
        (:class:`~cppanalytics.care.prepared.EarlyPreparation`): the building blocks are
        then made from them (when they are this dataset's, under these settings' rules).

    Examples
    --------
    >>> from cppanalytics.ssda903.dataset import Dataset
    >>> ctx = Context(Dataset(), "2024-03-31")
    >>> ctx.at("2023-03-31").period_end
    Timestamp('2023-03-31 00:00:00')
    """

    def __init__(
        self,
        data: Dataset,
        period_end: str | pd.Timestamp,
        settings: Settings | None = None,
        windows: dict[str, str] | None = None,
        population: pd.DataFrame | None = None,
        la_code: str | None = None,
        findings: Findings | None = None,
        *,
        care: CareData | None = None,
        prepared: PreparedEpisodes | None = None,
    ) -> None:
        self.data = data
        self.period_end = as_date(period_end)
        self.settings = settings or Settings()
        self.windows = check_windows(windows)
        self.population = population
        self.la_code = la_code if la_code is not None else data.la_code
        self.findings = findings if findings is not None else Findings()
        self._care = care
        self._prepared = prepared
        self._cla_at: dict[pd.Timestamp, pd.DataFrame] = {}
        self._cla_during: dict[tuple[pd.Timestamp, pd.Timestamp], pd.DataFrame] = {}
        self._cla_at_pos: dict[pd.Timestamp, np.ndarray] = {}
        self._cla_during_pos: dict[tuple[pd.Timestamp, pd.Timestamp], np.ndarray] = {}

    # ------------------------------------------------------------------ shared state
    @property
    def care(self) -> CareData:
        """The prepared building blocks (built on first use, then shared)."""
        if self._care is None:
            rules = self.settings.care_rules()
            self._care = prepare_care(self.data, **rules, early=self._prepared)
            self._prepared = None  # (held by the building blocks now)
            if len(self._care.findings):
                self.findings.extend(self._care.findings)
        return self._care

    @property
    def episodes(self) -> pd.DataFrame:
        """Prepared episodes (V3/V4 dropped; periods, placements, carer spells derived)."""
        return self.care.episodes

    @property
    def placements(self) -> pd.DataFrame:
        """One row per placement (``placement_id``, CHILD, ``period_id``, ``start``, ``end``)."""
        return self.care.placements

    @property
    def header(self) -> pd.DataFrame:
        """One row per CHILD: the latest collection year's Header row."""
        return self.care.header

    def latest(self, table: str) -> pd.DataFrame:
        """One row per CHILD of a 903 table: the latest collection year's (cached).

        Examples
        --------
        >>> from cppanalytics.ssda903.dataset import Dataset
        >>> len(Context(Dataset(), "2024-03-31").latest("uasc"))
        0
        """
        key = ("latest", table)
        if key not in self.care.cache:
            self.care.cache[key] = latest_rows(self.data.tables[table])
        return self.care.cache[key]

    def at(self, period_end: str | pd.Timestamp) -> Context:
        """A context for another period end sharing data, settings, findings and caches.

        Examples
        --------
        >>> from cppanalytics.ssda903.dataset import Dataset
        >>> Context(Dataset(), "2024-03-31").at("2024-06-30").window("cla_count")[0]
        Timestamp('2024-06-30 00:00:00')
        """
        other = Context(
            self.data,
            period_end,
            self.settings,
            self.windows,
            self.population,
            self.la_code,
            self.findings,
            care=self.care,
        )
        # cohorts are keyed by their dates, so every period end can reuse them
        other._cla_at = self._cla_at
        other._cla_during = self._cla_during
        other._cla_at_pos = self._cla_at_pos
        other._cla_during_pos = self._cla_during_pos
        return other

    # ------------------------------------------------------------------ windows
    def window(
        self, indicator_id: str, kind: str | None = None
    ) -> tuple[pd.Timestamp, pd.Timestamp]:
        """The indicator's window ending at D: ``kind`` if given, else the override, else
        the catalogue default.

        Examples
        --------
        >>> from cppanalytics.ssda903.dataset import Dataset
        >>> Context(Dataset(), "2024-03-31", windows={"cla_started": "q"}).window("cla_started")
        (Timestamp('2024-01-01 00:00:00'), Timestamp('2024-03-31 00:00:00'))
        """
        if kind is None:
            kind = self.windows.get(indicator_id) or get(indicator_id).window
        return _window(kind, self.period_end)

    # ------------------------------------------------------------------ cohorts
    def _header_rows(self) -> np.ndarray:
        """For every child of :meth:`episode_child_codes`, the position of their row in
        :attr:`header` (-1 when they have none), looked up once per child, not per episode.

        Examples
        --------
        >>> from cppanalytics.ssda903.dataset import Dataset
        >>> ds = Dataset.from_tables({
        ...     "header": pd.DataFrame({"CHILD": ["b", "z"], "SEX": ["1", "2"],
        ...                             "DOB": ["01/01/2010", "01/01/2011"]}),
        ...     "episodes": pd.DataFrame({"CHILD": ["b", "a"], "DECOM": ["01/04/2023"] * 2,
        ...         "RNE": ["S"] * 2, "LS": ["C2"] * 2, "PLACE": ["U4"] * 2, "DEC": [""] * 2,
        ...         "REC": [""] * 2})})
        >>> Context(ds, "2024-03-31")._header_rows().tolist()
        [-1, 0]
        """
        key = "child_header_rows"
        if key not in self.care.cache:
            # the header's children coded as the episodes' (by object first: no text
            # hashed for the ids the tables share), each code then pointed at its row
            # (header CHILD is unique: latest_rows, so a code has at most one row)
            held = self.data.loaded_child_codes("header")
            given = self.care.header_codes  # (the loader's codes of these rows, if taken)
            into = None
            if held is not None and given is not None and len(given) == len(self.header):
                into = self._value_child_codes(held[1], len(given))
            if into is not None and given is not None:
                code = into.take(given)
            else:
                head = self.header["CHILD"] if len(self.header) else pd.Series([], dtype=object)
                code = self.child_codes(head)
            n = len(self.episode_child_codes()[1])
            rows = np.full(n, -1, dtype=position_type(len(self.header)))
            found = np.flatnonzero(code >= 0)
            rows[code[found]] = found
            self.care.cache[key] = rows
        return self.care.cache[key]

    def _episode_header_rows(self) -> np.ndarray:
        """For every prepared episode, its child's row in :attr:`header` (-1: none), cached."""
        key = "episode_header_rows"
        if key not in self.care.cache:
            self.care.cache[key] = self._header_rows()[self.episode_child_codes()[0]]
        return self.care.cache[key]

    def _episode_facts(self) -> pd.DataFrame:
        """DOB, SEX and ETHNIC (from the header) for every prepared episode, built once."""
        key = "episode_child_facts"
        if key not in self.care.cache:
            head = self.header
            children = self.episodes["CHILD"]
            if len(head):
                # each child looked up once (header CHILD is unique: latest_rows), then a
                # take per column
                pos = self._episode_header_rows()
                table = pd.DataFrame(
                    {
                        c: pd.Series(head[c].array.take(pos, allow_fill=True), index=children.index)
                        for c in ("DOB", "SEX", "ETHNIC")
                    }
                )
            else:
                table = pd.DataFrame(
                    {
                        "DOB": pd.Series(pd.NaT, index=children.index, dtype="datetime64[ns]"),
                        "SEX": pd.Series(pd.NA, index=children.index, dtype="string"),
                        "ETHNIC": pd.Series(pd.NA, index=children.index, dtype="string"),
                    }
                )
            self.care.cache[key] = table
        return self.care.cache[key]

    def _cohort_table(
        self, pos: np.ndarray, d: pd.Timestamp, columns: Sequence[str] | None = None
    ) -> pd.DataFrame:
        """The rows :meth:`cla_at` and :meth:`cla_during` return for the episodes at
        ``pos``: CHILD, DOB, SEX, ETHNIC (from the header), age at ``d``, then the episode
        columns they return, built column by column from the episodes' arrays (no
        intermediate frames).

        Examples
        --------
        >>> from cppanalytics.ssda903.dataset import Dataset
        >>> ds = Dataset.from_tables({
        ...     "header": pd.DataFrame({"CHILD": ["1"], "SEX": ["1"], "DOB": ["29/02/2008"]}),
        ...     "episodes": pd.DataFrame({"CHILD": ["1"], "DECOM": ["01/04/2022"],
        ...         "RNE": ["S"], "LS": ["C2"], "PLACE": ["U4"], "DEC": [""], "REC": [""]})})
        >>> Context(ds, "2024-03-31")._cohort_table(np.array([0]), pd.Timestamp("2024-02-29"))[
        ...     ["CHILD", "age", "PLACE"]].values.tolist()
        [['1', 16, 'U4']]
        """
        eps = self.episodes
        table: dict[str, object] = {}
        for c in COHORT_COLUMNS if columns is None else columns:
            if c == "age":
                age, unknown = self._ages(pos, d)
                table[c] = pd.arrays.IntegerArray(np.where(unknown, 0, age), unknown)
            elif c in _FACT_COLUMNS:
                table[c] = self.facts_at(pos, c)
            else:
                table[c] = _take(eps[c], pos)
        return pd.DataFrame(table)

    def facts_at(
        self, pos: np.ndarray, column: str
    ) -> np.ndarray | pd.api.extensions.ExtensionArray:
        """DOB, SEX or ETHNIC (``column``, from the header) of the children of the episodes
        at ``pos``, as :meth:`_episode_facts` holds them (missing without a header row),
        taken from the header's rows for those episodes only (the table for every
        episode is not built for this).

        Examples
        --------
        >>> from cppanalytics.ssda903.dataset import Dataset
        >>> ds = Dataset.from_tables({
        ...     "header": pd.DataFrame({"CHILD": ["1"], "SEX": ["1"], "DOB": ["29/02/2008"]}),
        ...     "episodes": pd.DataFrame({"CHILD": ["1", "2"], "DECOM": ["01/04/2022"] * 2,
        ...         "RNE": ["S"] * 2, "LS": ["C2"] * 2, "PLACE": ["U4"] * 2, "DEC": [""] * 2,
        ...         "REC": [""] * 2})})
        >>> Context(ds, "2024-03-31").facts_at(np.array([1, 0]), "SEX").tolist()
        [<NA>, '1']
        """
        if "episode_child_facts" in self.care.cache or not len(self.header):
            return _take(self._episode_facts()[column], pos)
        return _take(
            pd.Series(self.header[column].array.take(self._header_rows_at(pos), allow_fill=True)),
            None,
        )

    def _header_rows_at(self, pos: np.ndarray) -> np.ndarray:
        """``_episode_header_rows()[pos]``: the header rows (-1: none) of the children of the
        episodes at ``pos``, read through their child codes when the array for every
        episode has not been built (it is not built for this).

        Examples
        --------
        >>> from cppanalytics.ssda903.dataset import Dataset
        >>> ds = Dataset.from_tables({
        ...     "header": pd.DataFrame({"CHILD": ["2"], "SEX": ["1"], "DOB": ["29/02/2008"]}),
        ...     "episodes": pd.DataFrame({"CHILD": ["1", "2"], "DECOM": ["01/04/2022"] * 2,
        ...         "RNE": ["S"] * 2, "LS": ["C2"] * 2, "PLACE": ["U4"] * 2, "DEC": [""] * 2,
        ...         "REC": [""] * 2})})
        >>> Context(ds, "2024-03-31")._header_rows_at(np.array([1, 0, 1])).tolist()
        [0, -1, 0]
        """
        if "episode_header_rows" in self.care.cache:
            return self.care.cache["episode_header_rows"][pos]
        return self._header_rows()[self.episode_child_codes()[0][pos]]

    def cla_at(self, d: str | pd.Timestamp | None = None) -> pd.DataFrame:
        """One row per child looked after at ``d`` (default D).

        Columns: CHILD, DOB, SEX, ETHNIC, age (completed years at ``d``, Int64), the
        current episode's DECOM RNE LS CIN PLACE PLACE_PROVIDER HOME_POST PL_POST URN,
        ``held_PLACE``, ``period_start``, ``placement_start``, ``carer_spell_start``, and
        the building-block ids. A child aged 18 or over at ``d`` is left out (a
        ``looked_after_18_plus`` finding): nobody is looked after from their 18th birthday.
        """
        d = self.period_end if d is None else as_date(d)
        if d not in self._cla_at:
            self._cla_at[d] = self._cohort_table(self.cla_at_positions(d), d)
        return self._cla_at[d]

    def cla_at_rows(
        self,
        which: np.ndarray | None,
        columns: Sequence[str],
        d: str | pd.Timestamp | None = None,
    ) -> pd.DataFrame:
        """``cla_at(d).loc[which, columns]`` (every row when ``which`` is None), built from
        :meth:`cla_at_positions` for those rows and columns only when the whole table has
        not been built: a period end needing a few of its rows or columns (findings, ages)
        does not build it.

        Examples
        --------
        >>> from cppanalytics.ssda903.dataset import Dataset
        >>> ds = Dataset.from_tables({
        ...     "header": pd.DataFrame({"CHILD": ["1"], "SEX": ["1"], "DOB": ["29/02/2008"]}),
        ...     "episodes": pd.DataFrame({"CHILD": ["1", "2"], "DECOM": ["01/04/2022"] * 2,
        ...         "RNE": ["S"] * 2, "LS": ["C2"] * 2, "PLACE": ["U4", "K2"],
        ...         "DEC": [""] * 2, "REC": [""] * 2})})
        >>> Context(ds, "2024-03-31").cla_at_rows(np.array([False, True]), ["CHILD", "age"])
          CHILD   age
        1     2  <NA>
        """
        d = self.period_end if d is None else as_date(d)
        columns = list(columns)
        if d in self._cla_at:
            table = self._cla_at[d]
            return table[columns] if which is None else table.loc[which, columns]
        pos = self.cla_at_positions(d)
        if which is None:
            return self._cohort_table(pos, d, columns)
        index = np.flatnonzero(which) if np.asarray(which).dtype == bool else np.asarray(which)
        rows = self._cohort_table(pos[index], d, columns)
        rows.index = pd.Index(index, dtype=np.int64)
        return rows

    def cla_ages(
        self, which: np.ndarray | None = None, d: str | pd.Timestamp | None = None
    ) -> np.ndarray:
        """``cla_at(d).loc[which, "age"]`` as float64, NaN without a DOB (every row when
        ``which`` is None: a bool mask or positions), from the cohort's positions: no
        table is built for it.

        Examples
        --------
        >>> from cppanalytics.ssda903.dataset import Dataset
        >>> ds = Dataset.from_tables({  # a birthday on the period end counts
        ...     "header": pd.DataFrame({"CHILD": ["7"], "SEX": ["2"], "DOB": ["31/03/2010"]}),
        ...     "episodes": pd.DataFrame({"CHILD": ["7"], "DECOM": ["15/06/2023"], "RNE": ["S"],
        ...         "LS": ["C2"], "PLACE": ["U1"], "DEC": [""], "REC": [""]})})
        >>> Context(ds, "2024-03-31").cla_ages().tolist(), Context(ds, "2024-03-30").cla_ages().tolist()
        ([14.0], [13.0])
        """
        d = self.period_end if d is None else as_date(d)
        pos = self.cla_at_positions(d)
        if which is not None:
            index = np.flatnonzero(which) if np.asarray(which).dtype == bool else which
            pos = pos[index]
        age, unknown = self._ages(pos, d)
        return np.where(unknown, np.nan, age.astype("float64"))

    def cla_at_positions(self, d: str | pd.Timestamp | None = None) -> np.ndarray:
        """Row positions in :attr:`episodes` of the rows of :meth:`cla_at` (same order),
        found without building its table (only the children left out get rows, for their
        findings).

        Examples
        --------
        >>> from cppanalytics.ssda903.dataset import Dataset
        >>> Context(Dataset(), "2024-03-31").cla_at_positions().tolist()
        []
        """
        d = self.period_end if d is None else as_date(d)
        if d not in self._cla_at_pos:
            pos = looked_after_at_positions(self._spans(), self.episode_child_codes()[0], d)
            adult = self._adult_at(pos, d)
            if adult.any():  # their rows as cla_at would hold them, for the findings
                rows = self._cohort_table(pos[adult], d)
                self._without_adults(rows, d, np.ones(len(rows), dtype=bool))
            self._cla_at_pos[d] = pos[~adult]
        return self._cla_at_pos[d]

    def episode_groups(
        self, column: str, labeller: Callable[[pd.Series], pd.Series], groups: list[str]
    ) -> np.ndarray:
        """For every prepared episode, the position in ``groups`` of ``labeller``'s label
        of its ``column`` (-1 when the label is not one of ``groups``), worked out once per
        distinct value and cached. ``column`` is an episode column or DOB, SEX, ETHNIC.

        Examples
        --------
        >>> from cppanalytics.ssda903.dataset import Dataset
        >>> from cppanalytics.care.groups import sex_group
        >>> ctx = Context(Dataset(), "2024-03-31")
        >>> ctx.episode_groups("SEX", sex_group, ["male", "female", "unknown"]).tolist()
        []
        """
        key = ("episode_groups", column, labeller, tuple(groups))
        if key not in self.care.cache:
            by_child = (
                column in _FACT_COLUMNS
                and len(self.header)
                and ("episode_codes", column) not in self.care.cache
            )
            if by_child:  # a child's fact: each header row labelled, not each episode
                values = self.header[column]
                codes, uniques = (
                    factorize_text(values) if object_text(values) else pd.factorize(values)
                )
                codes = np.append(codes, -1)[self._episode_header_rows()]  # no row: missing
                probe = pd.Series([*uniques, None], dtype=values.dtype)
            else:
                codes, probe = self.episode_codes(column)
            labels = labeller(probe).to_numpy(dtype=object)
            found = pd.Index(groups, dtype=object).get_indexer(labels)
            self.care.cache[key] = found[codes]  # code -1 (missing) takes the last
        return self.care.cache[key]

    def episode_codes(self, column: str) -> tuple[np.ndarray, pd.Series]:
        """``pd.factorize`` of an episode column (or DOB, SEX, ETHNIC) worked out once per
        run: each episode's code and the distinct values, in the column's dtype, with a
        missing value last (so ``values[codes]`` is the column: code -1 takes the last).

        Examples
        --------
        >>> from cppanalytics.ssda903.dataset import Dataset
        >>> ds = Dataset.from_tables({"episodes": pd.DataFrame({"CHILD": ["1", "2", "3"],
        ...     "DECOM": ["01/04/2022"] * 3, "RNE": ["S"] * 3, "LS": ["C2"] * 3,
        ...     "PLACE": ["U4", "", "U4"], "DEC": [""] * 3, "REC": [""] * 3})})
        >>> codes, values = Context(ds, "2024-03-31").episode_codes("PLACE")
        >>> codes.tolist(), values.tolist()
        ([0, -1, 0], ['U4', <NA>])
        """
        key = ("episode_codes", column)
        if key not in self.care.cache:
            frame = self._episode_facts() if column in ("DOB", "SEX", "ETHNIC") else self.episodes
            values = frame[column]
            if object_text(values):  # rows share string objects: see factorize_text
                codes, uniques = factorize_text(values)
            else:
                codes, uniques = pd.factorize(values)
            probe = pd.Series([*uniques, None], dtype=values.dtype)  # the last one: missing
            self.care.cache[key] = (codes, probe)
        return self.care.cache[key]

    def episode_child_codes(self) -> tuple[np.ndarray, pd.Index]:
        """For every prepared episode, the position of its CHILD in the distinct children
        (returned with it, in order of first appearance), worked out once.

        Prepared episodes are sorted by CHILD, so a child's rows are adjacent and the codes
        are a running count of the rows where the child changes (no text hashed).

        Examples
        --------
        >>> from cppanalytics.ssda903.dataset import Dataset
        >>> ds = Dataset.from_tables({"episodes": pd.DataFrame({"CHILD": ["b", "a", "b"],
        ...     "DECOM": ["01/04/2023", "01/05/2023", "01/06/2023"], "RNE": ["S", "S", "P"],
        ...     "LS": ["C2"] * 3, "PLACE": ["U4"] * 3, "DEC": ["01/06/2023", "", ""],
        ...     "REC": ["X1", "", ""]})})
        >>> codes, children = Context(ds, "2024-03-31").episode_child_codes()
        >>> codes.tolist(), children.tolist()
        ([0, 1, 1], ['a', 'b'])
        """
        key = "episode_child_codes"
        if key not in self.care.cache:
            child = self.episodes["CHILD"].to_numpy(dtype=object)
            codes = self.care.child_runs  # numbered while preparing (the same runs)
            if codes is None or len(codes) != len(child):
                codes = child_runs(child)
            first = run_starts(codes)
            self.care.cache[key] = (codes, pd.Index(child[first], dtype=object))
        return self.care.cache[key]

    def child_codes(
        self, children: pd.Series | np.ndarray, *, new: bool = False, distinct: bool = False
    ) -> np.ndarray:
        """The code of each of ``children`` in :meth:`episode_child_codes` (-1 for a missing
        value, and for a child with no prepared episode unless ``new``: then such children
        take the codes after the episodes' children, in order of first appearance).

        A row holding one of the prepared episodes' own CHILD string objects (the loader
        gives every table one object per distinct id) is coded by the object's address, no
        text hashed. The other rows holding the same object are told apart by address
        next, so each distinct object's text is hashed once, not each row's. With
        ``distinct`` (``children`` are distinct texts), when every prepared episode's child
        was found by address the rest are none of them: no text is looked up.

        Examples
        --------
        >>> from cppanalytics.ssda903.dataset import Dataset
        >>> ds = Dataset.from_tables({"episodes": pd.DataFrame({"CHILD": ["b", "a"],
        ...     "DECOM": ["01/04/2023", "01/05/2023"], "RNE": ["S", "S"], "LS": ["C2"] * 2,
        ...     "PLACE": ["U4"] * 2, "DEC": ["", ""], "REC": ["", ""]})})
        >>> ctx = Context(ds, "2024-03-31")
        >>> ctx.child_codes(pd.Series(["b", "z", None, "a", "y", "z"])).tolist()
        [1, -1, -1, 0, -1, -1]
        >>> ctx.child_codes(pd.Series(["b", "z", None, "a", "y", "z"]), new=True).tolist()
        [1, 2, -1, 0, 3, 2]
        """
        values = np.ascontiguousarray(np.asarray(children, dtype=object))
        out = self._known_objects().get_indexer(object_addresses(values))
        out = out.astype(np.int64, copy=False)
        rest = np.flatnonzero(out < 0)
        if distinct and len(values) - len(rest) == len(self.episode_child_codes()[1]):
            return out  # (each known child found: the rest are other texts)
        if len(rest):
            out[rest] = self._codes_by_value(values[rest], new=new)
        return out

    def table_child_codes(self, name: str, *, new: bool = False) -> np.ndarray:
        """:meth:`child_codes` of every row of the dataset's table ``name``, in order.

        Where the loader held the table's CHILD as integer codes
        (:meth:`~cppanalytics.ssda903.dataset.Dataset.loaded_child_codes`: equal exactly
        when the texts are), only their distinct values are coded (once per run) and each
        row's code is taken from them; a child with no prepared episode takes, with
        ``new``, the next code in order of first appearance in the table, as
        :meth:`child_codes` numbers it. Otherwise the column is coded by
        :meth:`child_codes`.

        Examples
        --------
        >>> from cppanalytics.ssda903.dataset import Dataset
        >>> ds = Dataset.from_tables({"episodes": pd.DataFrame({"CHILD": ["b", "a"],
        ...     "DECOM": ["01/04/2023", "01/05/2023"], "RNE": ["S", "S"], "LS": ["C2"] * 2,
        ...     "PLACE": ["U4"] * 2, "DEC": ["", ""], "REC": ["", ""]}),
        ...     "reviews": pd.DataFrame({"CHILD": ["z", "a", None, "y", "z"]})})
        >>> ds.hold_child_codes({"reviews": (np.array([0, 1, -1, 2, 0]),
        ...                                  np.array(["z", "a", "y"], dtype=object))})
        >>> ctx = Context(ds, "2024-03-31")
        >>> ctx.table_child_codes("reviews").tolist(), ctx.table_child_codes("reviews", new=True).tolist()
        ([-1, 0, -1, -1, -1], [2, 0, -1, 3, 2])
        """
        held = self.data.loaded_child_codes(name)
        into = None if held is None else self._value_child_codes(held[1], len(held[0]))
        if held is None or into is None:
            return self.child_codes(self.data.tables[name]["CHILD"], new=new)
        codes = held[0]
        out = into.take(codes)  # (-1: the last entry, -1)
        if new:
            unseen = np.flatnonzero((out < 0) & (codes >= 0))
            if len(unseen):
                first, _ = pd.factorize(codes[unseen])
                out[unseen] = first + len(self.episode_child_codes()[1])
        return out

    def _value_child_codes(self, values: np.ndarray, rows: int) -> np.ndarray | None:
        """:meth:`child_codes` of the loader's distinct CHILD ``values`` and one more entry,
        -1 (a blank's code, -1, takes it), worked out once per run for each array; or
        ``None`` when they have not been and there are more of them than the ``rows`` to
        code (one council's rows of a pooled extract, whose distinct values are every
        council's: coding the rows costs less).

        The values are distinct texts (``child_codes``' ``distinct``): when every
        prepared episode's child is one of their objects (the loader made both), no text
        is looked up.
        """
        made = self.care.cache.setdefault("loaded_child_values", {})
        found = made.get(id(values))
        if found is None or found[0] is not values:
            if len(values) > rows:
                return None
            codes = self.child_codes(values, distinct=True)
            found = made[id(values)] = (values, np.append(codes, -1))
        return found[1]

    def _known_objects(self) -> pd.Index:
        """The addresses of the objects of :meth:`episode_child_codes`' children, in order
        (cached; the children's Index keeps the objects, so the addresses stay theirs)."""
        key = "episode_child_objects"
        if key not in self.care.cache:
            known = np.ascontiguousarray(self.episode_child_codes()[1].to_numpy(dtype=object))
            self.care.cache[key] = pd.Index(object_addresses(known))
        return self.care.cache[key]

    def _codes_by_value(self, values: np.ndarray, *, new: bool) -> np.ndarray:
        """:meth:`child_codes` of ``values`` (an object array) by their text: the rows'
        objects factorised by address first, then each distinct object's text looked up."""
        known = self.episode_child_codes()[1]
        row_object, objects = pd.factorize(object_addresses(values))
        one_row = np.empty(len(objects), dtype=np.int64)
        one_row[row_object] = np.arange(len(values))
        distinct = values[one_row]
        # a value not among the known children takes the next free code when ``new`` (new
        # children numbered in order of first appearance), else -1
        out = self._known_by_text(distinct)
        if new:
            unseen = np.flatnonzero(out < 0)
            extra, _ = pd.factorize(distinct[unseen])
            out[unseen] = np.where(extra >= 0, extra + len(known), -1)
        return out[row_object]

    def _known_by_text(self, values: np.ndarray) -> np.ndarray:
        """Each of ``values``' position in :meth:`episode_child_codes`' children by text
        (-1: none; ``known.get_indexer(values)``). The few values are hashed in Arrow and
        the known children probed against them (the known children as Arrow text are
        made once per run), which costs a fraction of hashing every known child; values
        or children Arrow cannot hold as text are looked up by pandas.

        Examples
        --------
        >>> from cppanalytics.ssda903.dataset import Dataset
        >>> ds = Dataset.from_tables({"episodes": pd.DataFrame({"CHILD": ["b", "a"],
        ...     "DECOM": ["01/04/2023"] * 2, "RNE": ["S"] * 2, "LS": ["C2"] * 2,
        ...     "PLACE": ["U4"] * 2, "DEC": [""] * 2, "REC": [""] * 2})})
        >>> ctx = Context(ds, "2024-03-31")
        >>> ctx._known_by_text(np.array(["b", None, "z", "a", "b"], dtype=object)).tolist()
        [1, -1, -1, 0, 1]
        """
        known = self.episode_child_codes()[1]
        key = "episode_child_arrow"
        if key not in self.care.cache:
            arrow = _arrow_text(known.to_numpy(dtype=object))
            self.care.cache[key] = arrow
        arrow = self.care.cache[key]
        # equal text in distinct objects: one entry each (the value set holds no repeats)
        text_code, texts = pd.factorize(values)
        probe = _arrow_text(np.asarray(texts, dtype=object))
        if arrow is None or probe is None:
            return known.get_indexer(values).astype(np.int64)
        # for each known child, the distinct text it equals (null: none of them)
        hit = pc.index_in(arrow, value_set=probe)
        found = np.flatnonzero(hit.is_valid().to_numpy(zero_copy_only=False))
        by_text = np.full(len(texts) + 1, -1, dtype=np.int64)  # the last: a missing value
        by_text[hit.filter(hit.is_valid()).to_numpy(zero_copy_only=False)] = found
        return by_text[text_code]

    def _header_birth_parts(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """:func:`birth_parts` of the header's DOBs (one more entry, at position -1, for
        a child with no header row), worked out once per run.

        Examples
        --------
        >>> from cppanalytics.ssda903.dataset import Dataset
        >>> ds = Dataset.from_tables({
        ...     "header": pd.DataFrame({"CHILD": ["1"], "SEX": ["1"], "DOB": ["29/02/2008"]}),
        ...     "episodes": pd.DataFrame({"CHILD": ["1"], "DECOM": ["01/04/2022"],
        ...         "RNE": ["S"], "LS": ["C2"], "PLACE": ["U4"], "DEC": [""], "REC": [""]})})
        >>> [a.tolist() for a in Context(ds, "2024-03-31")._header_birth_parts()]
        [[2008, 0], [229, 0], [False, True]]
        """
        key = "header_birth_parts"
        if key not in self.care.cache:
            dob = self.header["DOB"] if len(self.header) else pd.Series([], dtype="datetime64[ns]")
            self.care.cache[key] = birth_parts(dob.to_numpy(dtype="datetime64[ns]"))
        return self.care.cache[key]

    def _birth_parts(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """For every prepared episode, its child's year of birth, birthday as month * 100 +
        day (int64), and whether the DOB is missing (worked out once per run, on the
        header's rows, as :func:`~cppanalytics.dates.age_at` splits a date).

        Examples
        --------
        >>> from cppanalytics.ssda903.dataset import Dataset
        >>> ds = Dataset.from_tables({
        ...     "header": pd.DataFrame({"CHILD": ["1"], "SEX": ["1"], "DOB": ["29/02/2008"]}),
        ...     "episodes": pd.DataFrame({"CHILD": ["1", "2"], "DECOM": ["01/04/2022"] * 2,
        ...         "RNE": ["S"] * 2, "LS": ["C2"] * 2, "PLACE": ["U4"] * 2, "DEC": [""] * 2,
        ...         "REC": [""] * 2})})
        >>> year, mmdd, unknown = Context(ds, "2024-03-31")._birth_parts()
        >>> year[0].item(), mmdd[0].item(), unknown.tolist()
        (2008, 229, [False, True])
        """
        key = "episode_birth_parts"
        if key not in self.care.cache:
            year, mmdd, unknown = self._header_birth_parts()
            rows = self._episode_header_rows()  # no header row (-1): the last entry
            self.care.cache[key] = (
                year.astype(np.int64)[rows],
                mmdd.astype(np.int64)[rows],
                unknown[rows],
            )
        return self.care.cache[key]

    def _ages(self, pos: np.ndarray, d: pd.Timestamp) -> tuple[np.ndarray, np.ndarray]:
        """Completed years at ``d`` (int64) of the children of the episodes at ``pos`` (the
        same as :func:`~cppanalytics.dates.age_at` of their DOB), and where the DOB is
        missing (the age there is meaningless), read through each episode's header row
        (no array per episode is built for it).

        Examples
        --------
        >>> from cppanalytics.ssda903.dataset import Dataset
        >>> ds = Dataset.from_tables({
        ...     "header": pd.DataFrame({"CHILD": ["1"], "SEX": ["1"], "DOB": ["29/02/2008"]}),
        ...     "episodes": pd.DataFrame({"CHILD": ["1"], "DECOM": ["01/04/2022"],
        ...         "RNE": ["S"], "LS": ["C2"], "PLACE": ["U4"], "DEC": [""], "REC": [""]})})
        >>> ctx = Context(ds, "2024-03-31")
        >>> [int(ctx._ages(np.array([0]), pd.Timestamp(d))[0][0])
        ...  for d in ("2024-02-28", "2024-02-29", "2025-02-28", "2025-03-01")]
        [15, 16, 16, 17]
        """
        year, mmdd, unknown = self._header_birth_parts()
        d = as_date(d)
        rows = self._header_rows_at(pos)
        age = np.subtract(d.year, year[rows], dtype=np.int64)
        age -= mmdd[rows] > d.month * 100 + d.day
        return age, unknown[rows]

    def _eighteenth_ns(self) -> np.ndarray:
        """Every child's 18th birthday (:meth:`_eighteenth_birthdays`) as int64
        nanoseconds, the largest int64 without one (never 18), cached."""
        key = "child_eighteenth_ns"
        if key not in self.care.cache:  # NaT (no DOB): never
            days = self._eighteenth_birthdays()
            self.care.cache[key] = np.where(
                np.isnat(days), np.iinfo(np.int64).max, days.view("int64")
            )
        return self.care.cache[key]

    def build_shared_blocks(self) -> None:
        """Build the per-dataset blocks that every indicator module's cohorts read and that
        write no finding: the children's codes and their objects' addresses, each child's
        header row, the header's birth parts, the children's 18th birthdays, the
        episodes' spans and each period's child. Called before the work is shared between processes, so that both
        read one copy instead of each building its own (a cohort, which may write
        findings, is not built here: the findings' order stays the serial one).

        Examples
        --------
        >>> from cppanalytics.ssda903.dataset import Dataset
        >>> ctx = Context(Dataset(), "2024-03-31")
        >>> ctx.build_shared_blocks()
        >>> "episode_spans" in ctx.care.cache, len(ctx.findings)
        (True, 0)
        """
        self.episode_child_codes()
        self._known_objects()
        self._header_rows()
        self._header_birth_parts()
        self._eighteenth_ns()
        self._spans()
        self.period_child_codes()

    def _adult_at(self, pos: np.ndarray, d: pd.Timestamp) -> np.ndarray:
        """Whether the child of each episode at ``pos`` is :data:`ADULT_AGE` or over at
        ``d`` (care has ended); not when the DOB is missing.

        Aged 18 at ``d`` is ``d`` on or after the 18th birthday (a 29 February birth's is
        1 March in a common year, as :func:`~cppanalytics.dates.age_at` counts it), so one
        date per episode, worked out once per run, is compared.
        """
        return self._eighteenth_ns()[self.episode_child_codes()[0][pos]] <= as_date(d).value

    def _without_adults(
        self, rows: pd.DataFrame, d: pd.Timestamp, adult: np.ndarray
    ) -> pd.DataFrame:
        """Drop the ``adult`` rows (aged :data:`ADULT_AGE` or over at ``d``: care ends at
        18), one ``looked_after_18_plus`` finding each: their episode should have ended."""
        if not adult.any():
            return rows
        self.findings.extend(
            row_findings(
                rows.loc[adult],
                severity="warning",
                code="looked_after_18_plus",
                table="episodes",
                column="DEC",
                value=rows.loc[adult, "age"].astype("string"),
                message=f"child is aged 18 or over on {d:%d/%m/%Y} but their episode has not "
                "ended; they are not counted as looked after.",
                fix="Record when the episode ended (DEC and REC): care ends at 18 at the latest.",
                action="set_aside",
            )
        )
        return rows.loc[~adult].reset_index(drop=True)

    def cla_during(self, start: str | pd.Timestamp, end: str | pd.Timestamp) -> pd.DataFrame:
        """One row per child looked after at any time in ``start``..``end`` (their latest
        episode in the window; age at ``end``). A child whose 18th birthday is before
        ``start`` (18 the day before it) is left out (``looked_after_18_plus`` finding);
        one whose care ended on an 18th birthday falling on ``start`` is in, as every
        child leaving care in the window is (see :meth:`periods`)."""
        key = (as_date(start), as_date(end))
        if key not in self._cla_during:
            pos = self.cla_during_positions(*key)
            self._cla_during[key] = self._cohort_table(pos, key[1])
        return self._cla_during[key]

    def cla_during_positions(
        self, start: str | pd.Timestamp, end: str | pd.Timestamp
    ) -> np.ndarray:
        """Row positions in :attr:`episodes` of the rows of :meth:`cla_during` (same order),
        found without building its table (only the children left out get rows, for their
        findings).

        Examples
        --------
        >>> from cppanalytics.ssda903.dataset import Dataset
        >>> Context(Dataset(), "2024-03-31").cla_during_positions("2023-04-01", "2024-03-31")
        array([], dtype=int64)
        """
        key = (as_date(start), as_date(end))
        if key not in self._cla_during_pos:
            codes = self.episode_child_codes()[0]
            pos = looked_after_during_positions(self._spans(), codes, *key)
            eve = key[0] - pd.Timedelta(days=1)
            adult = self._adult_at(pos, eve)
            if adult.any():  # their rows as cla_during would hold them, for the findings
                rows = self._cohort_table(pos[adult], key[1])
                self._without_adults(rows, eve, np.ones(len(rows), dtype=bool))
            self._cla_during_pos[key] = pos[~adult]
        return self._cla_during_pos[key]

    def _spans(self) -> tuple[np.ndarray, np.ndarray]:
        """:func:`~cppanalytics.care.cohorts.episode_spans` of :attr:`episodes` (cached)."""
        key = "episode_spans"
        if key not in self.care.cache:
            self.care.cache[key] = episode_spans(self.episodes)
        return self.care.cache[key]

    def periods(self) -> pd.DataFrame:
        """Periods of care as the flows count them: care ends at the 18th birthday at the
        latest (:data:`ADULT_AGE`).

        The periods table with ``eighteen`` (18th birthday, 29 February births on 1 March;
        NaT without a DOB) and ``exit_date``: the day the child left care, the period's end
        or the 18th birthday if that came first (an episode recorded as running past it
        counts as ending on the birthday, the day a child leaving at 18 is recorded as
        leaving). A period starting on or after the 18th birthday is left out: it is not
        care, so neither a start nor an exit. The same at every period end, so worked out
        once per dataset.

        Examples
        --------
        >>> from cppanalytics.ssda903.dataset import Dataset
        >>> ds = Dataset.from_tables({
        ...     "header": pd.DataFrame({"CHILD": ["1"], "SEX": ["1"], "DOB": ["01/01/2005"]}),
        ...     "episodes": pd.DataFrame({"CHILD": ["1"], "DECOM": ["01/04/2020"], "RNE": ["S"],
        ...         "LS": ["C2"], "PLACE": ["U4"], "DEC": ["01/06/2023"], "REC": ["E4A"]})})
        >>> Context(ds, "2024-03-31").periods()["exit_date"].dt.strftime("%Y-%m-%d").tolist()
        ['2023-01-01']
        """
        key = "periods_to_18"
        if key not in self.care.cache:
            p = self.care.periods.copy()
            p["eighteen"] = self._eighteenth_birthdays()[self.period_child_codes()]
            adult_start = (p["start"] >= p["eighteen"]).fillna(False).astype(bool)
            later = (p["end"] > p["eighteen"]).fillna(False).astype(bool)
            p["exit_date"] = p["end"].where(~later, p["eighteen"])
            self.care.cache[key] = p.loc[~adult_start].reset_index(drop=True)
        return self.care.cache[key]

    def period_child_codes(self) -> np.ndarray:
        """For every row of the prepared periods table, its child's position in
        :meth:`episode_child_codes` (the child of the period's first episode), cached.
        Periods are numbered 0, 1, ... in that order, so ``period_child_codes()[period_id]``
        is a period's child.

        Examples
        --------
        >>> from cppanalytics.ssda903.dataset import Dataset
        >>> ds = Dataset.from_tables({"episodes": pd.DataFrame({"CHILD": ["b", "b", "a"],
        ...     "DECOM": ["01/04/2022", "01/04/2023", "01/05/2023"], "RNE": ["S"] * 3,
        ...     "LS": ["C2"] * 3, "PLACE": ["U4"] * 3, "DEC": ["01/06/2022", "", ""],
        ...     "REC": ["E4A", "", ""]})})
        >>> Context(ds, "2024-03-31").period_child_codes().tolist()
        [0, 1, 1]
        """
        key = "period_child_codes"
        if key not in self.care.cache:
            period = self.episodes["period_id"].to_numpy()
            first = np.ones(len(period), dtype=bool)
            first[1:] = period[1:] != period[:-1]
            self.care.cache[key] = self.episode_child_codes()[0][first]
        return self.care.cache[key]

    def _eighteenth_birthdays(self) -> np.ndarray:
        """Every child's 18th birthday (:func:`~cppanalytics.dates.birthday`; NaT without a
        DOB or a header row), in :meth:`episode_child_codes` order, worked out once per
        header row. A DOB so far ahead that the birthday is past the last date pandas can
        hold (after 2244) counts as no birthday: such a child is never 18 in any window
        (the loader reports the date as in the future)."""
        key = "child_eighteenth"
        if key not in self.care.cache:
            dob = self.header["DOB"] if len(self.header) else pd.Series([], dtype="datetime64[ns]")
            dob = dob.astype("datetime64[ns]")
            # once per distinct DOB (children share birthdays); code -1 (NaT) takes NaT
            code, distinct = pd.factorize(dob.to_numpy(dtype="datetime64[ns]"))
            once = birthday(pd.Series(distinct, dtype="datetime64[ns]"), ADULT_AGE)
            days = np.append(once.to_numpy(dtype="datetime64[ns]"), np.datetime64("NaT", "ns"))
            days = np.append(days[code], np.datetime64("NaT", "ns"))
            self.care.cache[key] = days[self._header_rows()]  # no header row (-1): NaT
        return self.care.cache[key]

    def exits(self) -> pd.DataFrame:
        """The :meth:`periods` ended by an exit (leavers are dated by ``exit_date``).

        Examples
        --------
        >>> from cppanalytics.ssda903.dataset import Dataset
        >>> len(Context(Dataset(), "2024-03-31").exits())
        0
        """
        key = "exits_to_18"
        if key not in self.care.cache:
            p = self.periods()
            self.care.cache[key] = p[p["exit"].fillna(False).astype(bool)]
        return self.care.cache[key]

    def continuously_looked_after_12m(self, columns: Sequence[str] | None = None) -> pd.DataFrame:
        """Rows of :meth:`cla_at` whose period of care began on or before the ``r12`` start
        (only ``columns`` of them when given: the cohort's whole table is then not built).

        Examples
        --------
        >>> from cppanalytics.ssda903.dataset import Dataset
        >>> ds = Dataset.from_tables({"episodes": pd.DataFrame({"CHILD": ["1", "2"],
        ...     "DECOM": ["01/04/2022", "01/05/2023"], "RNE": ["S"] * 2, "LS": ["C2"] * 2,
        ...     "PLACE": ["U4"] * 2, "DEC": [""] * 2, "REC": [""] * 2})})
        >>> Context(ds, "2024-03-31").continuously_looked_after_12m(["CHILD"])["CHILD"].tolist()
        ['1']
        """
        start = window("r12", self.period_end)[0]
        if columns is None:
            cla = self.cla_at()
            return cla[cla["period_start"] <= start].reset_index(drop=True)
        began = self.cla_at_rows(None, ["period_start"])["period_start"] <= start
        return self.cla_at_rows(began.to_numpy(), columns).reset_index(drop=True)
