"""Social-worker changes (SWEpisodes, collected from 2023-24): the ``social_workers`` section.

``sw_3plus``
    of children looked after at D (:meth:`cppanalytics.indicators.context.Context.cla_at`),
    % with 3 or more *different* SW_ID whose social-worker episodes overlap the ``r12``
    window (SW_DECOM ≤ window end and (SW_DEC blank or SW_DEC ≥ window start); both ends
    inclusive). The same SW_ID in two episodes counts once; SW_ID is compared as written
    after stripping spaces (ids are case-sensitive free text).

Decisions where the spec is silent
    * **No SWEpisodes data at all** (extracts before 2023-24): the row is still written,
      so the report can say "not available" rather than drop the measure silently:
      numerator and value empty, denominator = children looked after at D, and the note
      ``"no social-worker episodes in the data (collected from 2023-24)"``; one
      ``sw_episodes_absent`` info finding.
    * **Window starting before the first collection year held** (e.g. r12 to 30/06/2023
      starts 01/07/2022 but SWEpisodes only exist from 01/04/2023): the figure is computed on
      what is there and the note says it under-counts (``"social-worker episodes held from
      01/04/2023 only"``).
    * Rows with no SW_ID or no SW_DECOM cannot be counted: left out with an
      ``sw_episode_incomplete`` warning.

Examples
--------
>>> sw = pd.DataFrame({"CHILD": ["1", "1", "1", "2"], "SW_ID": ["a", "b", "a", "a"],
...     "SW_DECOM": pd.to_datetime(["2023-01-01", "2023-06-01", "2023-09-01", "2023-05-01"]),
...     "SW_DEC": pd.to_datetime(["2023-06-01", "2023-09-01", None, None])})
>>> sw_counts(["1", "2", "3"], sw, "2023-04-01", "2024-03-31").tolist()
[2, 1, 0]
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from cppanalytics.dates import as_date
from cppanalytics.findings import Findings, row_findings
from cppanalytics.results import Block, block
from cppanalytics.ssda903.coded import factorize_text

if TYPE_CHECKING:  # pragma: no cover
    from cppanalytics.indicators.context import Context

IDS: tuple[str, ...] = ("sw_3plus",)
THRESHOLD: int = 3
NOTE_ABSENT = "no social-worker episodes in the data (collected from 2023-24)"


def _stripped(values: pd.Series) -> pd.Series:
    """``values.astype("string").str.strip()``, stripped once per distinct value.

    Examples
    --------
    >>> _stripped(pd.Series([" a", None, "a", "b "])).tolist()
    ['a', <NA>, 'a', 'b']
    """
    codes, uniques = factorize_text(values.astype("string"))
    distinct = pd.Series([*uniques, pd.NA], dtype="string").str.strip()  # code -1: the NA
    return pd.Series(distinct.array.take(codes), index=values.index, name=values.name)


def usable_episodes(sw: pd.DataFrame, findings: Findings | None = None) -> pd.DataFrame:
    """SW episodes with a CHILD, SW_ID and SW_DECOM; the rest go to ``findings``.

    Examples
    --------
    >>> sw = pd.DataFrame({"CHILD": ["1", "1"], "SW_ID": ["a", None],
    ...     "SW_DECOM": pd.to_datetime(["2023-01-01", "2023-02-01"]), "SW_DEC": pd.NaT})
    >>> len(usable_episodes(sw))
    1
    """
    sw_id = _stripped(sw["SW_ID"])
    bad = sw["CHILD"].isna() | sw_id.isna() | sw_id.eq("").fillna(True) | sw["SW_DECOM"].isna()
    _incomplete_findings(sw, bad.to_numpy(dtype=bool), findings)
    return sw.loc[~bad].assign(SW_ID=sw_id[~bad])


def _incomplete_findings(sw: pd.DataFrame, bad: np.ndarray, findings: Findings | None) -> None:
    """The ``sw_episode_incomplete`` findings of the rows ``bad`` of ``sw`` (if any)."""
    if findings is not None and bad.any():
        findings.extend(
            row_findings(
                sw.loc[bad],
                severity="warning",
                code="sw_episode_incomplete",
                table="sw_episodes",
                column="SW_ID",
                message="social-worker episode has no SW_ID or no start date (SW_DECOM); "
                "not counted",
                fix="Record the social worker's id and the episode start date.",
                action="set_aside",
                indicators=IDS,
            )
        )


#: rows per chunk of :func:`worker_codes`
CHUNK_ROWS = 1 << 16


def worker_codes(sw_id: pd.Series) -> np.ndarray:
    """Each row's SW_ID as an int32 code, equal exactly where the ids stripped of spaces
    are (:func:`_stripped`); -1 where it is missing or blank. Coded a chunk of rows at a
    time (small buffers), the chunks' distinct values stripped and numbered together.

    Examples
    --------
    >>> worker_codes(pd.Series([" a", None, "a", "b ", "  "], dtype="string")).tolist()
    [0, -1, 0, 1, -1]
    """
    # text as it is held (by string object, not copied into another storage)
    values = sw_id if isinstance(sw_id.dtype, pd.StringDtype) else sw_id.astype("string")
    out = np.empty(len(values), dtype=np.int32)
    distinct: list[np.ndarray] = [np.zeros(0, dtype=object)]
    offset = 0
    for low in range(0, len(values), CHUNK_ROWS):
        part = values.iloc[low : low + CHUNK_ROWS]
        codes, uniques = factorize_text(part)
        out[low : low + CHUNK_ROWS] = np.where(codes >= 0, codes + offset, -1)
        distinct.append(np.asarray(uniques, dtype=object))
        offset += len(uniques)
    stripped = pd.Series(np.concatenate(distinct), dtype="string").str.strip()
    texts = stripped.to_numpy(dtype=object)  # (no missing value among the distinct)
    number = pd.factorize(texts)[0]
    number[texts == ""] = -1  # blank once stripped
    return np.append(number, -1).astype(np.int32)[out]  # (code -1 takes the last)


def sw_counts(
    children: Iterable[str],
    sw: pd.DataFrame,
    start: str | pd.Timestamp,
    end: str | pd.Timestamp,
    *,
    usable: bool = False,
) -> pd.Series:
    """Number of different SW_ID overlapping the window, for each of ``children`` (in order).

    Children with no episode get 0. ``sw`` is the SWEpisodes table, or with
    ``usable=True`` the output of :func:`usable_episodes` already.
    """
    start, end = as_date(start), as_date(end)
    eps = sw if usable else usable_episodes(sw)
    over = (eps["SW_DECOM"] <= end) & (eps["SW_DEC"].isna() | (eps["SW_DEC"] >= start))
    counts = eps.loc[over.fillna(False).astype(bool)].groupby("CHILD")["SW_ID"].nunique()
    kids = pd.Series(list(children), dtype="object")
    return kids.map(counts).fillna(0).astype("int64").set_axis(kids.to_numpy())


class SwArrays:
    """The usable social-worker episodes as arrays, for counting at many windows.

    Each different (CHILD, SW_ID) pair is coded once; a window then marks the pairs with an
    episode overlapping it and counts them per child with one ``bincount``: the same
    figures as :func:`sw_counts`, without grouping text at every period end.

    Parameters
    ----------
    sw
        usable social-worker episodes (:func:`usable_episodes`).
    child_code
        each row's child as an integer code (-1 for a child never looked after: never
        counted); ``n_children`` codes in all.
    n_children
        how many child codes there are.

    Examples
    --------
    >>> sw = pd.DataFrame({"CHILD": ["1", "1", "1", "2"], "SW_ID": ["a", "b", "a", "a"],
    ...     "SW_DECOM": pd.to_datetime(["2023-01-01", "2023-06-01", "2023-09-01", "2023-05-01"]),
    ...     "SW_DEC": pd.to_datetime(["2023-06-01", "2023-09-01", None, None])})
    >>> a = SwArrays(sw, np.array([0, 0, 0, 1]), 3)
    >>> a.counts(pd.Timestamp("2023-04-01"), pd.Timestamp("2024-03-31")).tolist()
    [2, 1, 0]
    """

    def __init__(self, sw: pd.DataFrame, child_code: np.ndarray, n_children: int) -> None:
        worker, _ = pd.factorize(sw["SW_ID"].to_numpy(dtype=object))
        self._set(
            sw["SW_DECOM"].to_numpy(dtype="datetime64[ns]"),
            sw["SW_DEC"].to_numpy(dtype="datetime64[ns]"),
            worker,
            child_code,
            n_children,
        )

    @classmethod
    def from_codes(
        cls,
        start: np.ndarray,
        dec: np.ndarray,
        worker: np.ndarray,
        child_code: np.ndarray,
        n_children: int,
    ) -> SwArrays:
        """The arrays of usable episodes given as SW_DECOM, SW_DEC (datetime64[ns]), each
        row's worker code (non-negative, equal exactly where the SW_ID are) and child code.

        Examples
        --------
        >>> day = np.array(["2023-05-01", "2023-06-01"], dtype="datetime64[ns]")
        >>> a = SwArrays.from_codes(day, np.array(["NaT", "NaT"], dtype="datetime64[ns]"),
        ...                         np.array([4, 2]), np.array([0, 0]), 1)
        >>> a.counts(pd.Timestamp("2023-04-01"), pd.Timestamp("2024-03-31")).tolist()
        [2]
        """
        arrays = cls.__new__(cls)
        arrays._set(start, dec, worker, child_code, n_children)
        return arrays

    def _set(
        self,
        start: np.ndarray,
        dec: np.ndarray,
        worker: np.ndarray,
        child_code: np.ndarray,
        n_children: int,
    ) -> None:
        """Keep the dates and code each different (child, worker) pair."""
        self.n_children = n_children
        self.start = start
        self.open = np.isnat(dec)
        self.dec = dec
        worker = np.asarray(worker, dtype=np.int64)
        child = np.asarray(child_code, dtype=np.int64)
        # every row of a pair has the same child code: a child never looked after is one
        # code (-1) but never counted, so its pairs may merge
        pair_key = (child + 1) * (int(worker.max(initial=-1)) + 1) + worker
        self.pair = pd.factorize(pair_key)[0]
        self.pair_child = np.full(int(self.pair.max(initial=-1)) + 1, -1, dtype=np.int64)
        self.pair_child[self.pair] = child

    def counts(self, start: pd.Timestamp, end: pd.Timestamp) -> np.ndarray:
        """Different SW_ID with an episode overlapping ``start``..``end``, per child code."""
        s, e = np.datetime64(start, "ns"), np.datetime64(end, "ns")
        over = (self.start <= e) & (self.open | (self.dec >= s))
        seen = np.zeros(len(self.pair_child), dtype=bool)
        seen[self.pair[over]] = True
        child = self.pair_child[seen]
        return np.bincount(child[child >= 0], minlength=self.n_children)


def _usable_arrays(ctx: Context, sw: pd.DataFrame) -> SwArrays:
    """:class:`SwArrays` of :func:`usable_episodes` (with its findings) read from the
    table's columns by position (no table of the usable rows made)."""
    worker = worker_codes(sw["SW_ID"])
    bad = worker < 0
    bad |= sw["CHILD"].isna().to_numpy(dtype=bool)
    bad |= sw["SW_DECOM"].isna().to_numpy(dtype=bool)
    _incomplete_findings(sw, bad, ctx.findings)
    keep = np.flatnonzero(~bad)
    children = sw["CHILD"] if len(keep) == len(sw) else sw["CHILD"].iloc[keep]
    return SwArrays.from_codes(
        sw["SW_DECOM"].to_numpy(dtype="datetime64[ns]")[keep],
        sw["SW_DEC"].to_numpy(dtype="datetime64[ns]")[keep],
        worker[keep],
        ctx.child_codes(children),
        len(ctx.episode_child_codes()[1]),
    )


def coverage_note(sw: pd.DataFrame, start: pd.Timestamp) -> str:
    """A note when the window starts before the first collection year of SW data held.

    Examples
    --------
    >>> sw = pd.DataFrame({"YEAR": pd.array([2024], dtype="Int64")})
    >>> coverage_note(sw, pd.Timestamp("2022-07-01"))
    'social-worker episodes held from 01/04/2023 only'
    """
    return _note(first_held(sw), start)


def first_held(sw: pd.DataFrame) -> pd.Timestamp | None:
    """1 April of the first collection year of SW data held (None: no year known).

    Examples
    --------
    >>> first_held(pd.DataFrame({"YEAR": pd.array([2025, 2024], dtype="Int64")}))
    Timestamp('2023-04-01 00:00:00')
    """
    years = sw["YEAR"].dropna() if "YEAR" in sw.columns else pd.Series(dtype="Int64")
    if years.empty:
        return None
    return pd.Timestamp(year=int(years.min()) - 1, month=4, day=1)


def _note(first: pd.Timestamp | None, start: pd.Timestamp) -> str:
    """:func:`coverage_note` from :func:`first_held`."""
    if first is None:
        return ""
    return f"social-worker episodes held from {first:%d/%m/%Y} only" if start < first else ""


def compute(ctx: Context, ids: set[str]) -> list[Block]:
    """Result blocks (see :func:`cppanalytics.results.rows_frame`) for ``sw_3plus`` when requested.

    Examples
    --------
    See ``tests/indicators/test_social_workers.py``.
    """
    if "sw_3plus" not in ids:
        return []
    d = as_date(ctx.period_end)
    win = ctx.window("sw_3plus")
    # children looked after at D (one row each) as codes of the episodes' children
    looked_after = ctx.episode_child_codes()[0][ctx.cla_at_positions(d)]
    sw = ctx.data.tables["sw_episodes"]
    n = float(len(looked_after))
    if sw.empty:
        ctx.findings.add(
            "info",
            "sw_episodes_absent",
            table="sw_episodes",
            message="the extract has no social-worker episodes; sw_3plus cannot be computed",
            fix="Include the SWEpisodes table (collected from 2023-24) if you hold it.",
            indicators=list(IDS),
        )
        return [
            block(
                "sw_3plus",
                d,
                win,
                numerator=[np.nan],
                denominator=[n],
                value=[np.nan],
                unit="percent",
                note=NOTE_ABSENT,
            )
        ]
    if "sw_arrays" not in ctx.care.cache:  # once per run, with its findings
        ctx.care.cache["sw_arrays"] = _usable_arrays(ctx, sw)
        ctx.care.cache["sw_first_held"] = first_held(sw)  # the same at every end
    counts = ctx.care.cache["sw_arrays"].counts(*win)
    return [
        block(
            "sw_3plus",
            d,
            win,
            numerator=[float((counts[looked_after] >= THRESHOLD).sum())],
            denominator=[n],
            unit="percent",
            note=_note(ctx.care.cache["sw_first_held"], win[0]),
        )
    ]
