"""Placement location at D: distance from home and in/out of the council's area.

Distance and location come from :func:`cppanalytics.geography.postcodes.placement_location`
(straight-line miles between the HOME_POST and PL_POST centroids; IN/OUT of the council's
upper-tier area) for the current episode of each child looked after at D (DfE reads the
episode open at 31 March, a temporary one included). Distances are rounded half up to
1 dp first, as DfE's published ``PL_DISTANCE`` is (20.04 miles → 20.0 → within 20 miles). An unknown distance (a postcode
missing or not found) is never guessed: it stays in every denominator, falls in band
``unknown`` and is a ``distance_unknown`` finding. Without a council code in/out of area
is unknown: ``placed_outside_la`` and ``placed_over_20_miles_outside`` are then written
with an empty value and a note.

* ``placed_over_20_miles_outside``: % of ``cla_count`` more than 20 miles away **and** OUT.
* ``placed_within_20_miles``: % of ``cla_count`` 20 miles or less away.
* ``placed_outside_la``: % of ``cla_count`` placed OUT of the council's area.
* ``cla_by_distance_band``: ``cla_count`` by 0-20 (20.0 included), 21-50, 51-100,
  over 100, unknown.

Postcode look-ups are cached per dataset, so many period ends look each pair up once.

Examples
--------
>>> from cppanalytics.ssda903.dataset import Dataset
>>> from cppanalytics.indicators.context import Context
>>> from cppanalytics.results import rows_frame
>>> ctx = Context(Dataset(), "2024-03-31", la_code="E06000042")
>>> rows_frame(compute(ctx, {"placed_outside_la"}))["denominator"].tolist()
[0.0]
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from cppanalytics.care.groups import DISTANCE_BANDS, distance_band_codes
from cppanalytics.dates import as_date
from cppanalytics.findings import row_findings
from cppanalytics.indicators.population import coded_rows
from cppanalytics.indicators.repeats import unreported
from cppanalytics.results import Block, block
from cppanalytics.ssda903.coded import factorize_text

if TYPE_CHECKING:  # pragma: no cover
    from cppanalytics.indicators.context import Context

IDS: tuple[str, ...] = (
    "placed_over_20_miles_outside",
    "placed_within_20_miles",
    "placed_outside_la",
    "cla_by_distance_band",
)
NO_COUNCIL_NOTE = "council code not known, so in/out of area cannot be told; give --la-code"


def _pairs(rows: pd.DataFrame) -> pd.DataFrame:
    """(HOME_POST, PL_POST) with blanks as ``""`` (merge keys), index kept."""
    return pd.DataFrame(
        {
            "HOME_POST": rows["HOME_POST"].astype("string").fillna(""),
            "PL_POST": rows["PL_POST"].astype("string").fillna(""),
        },
        index=rows.index,
    )


def _current_at_any(ctx: Context) -> pd.DataFrame:
    """HOME_POST and PL_POST of the episodes current at any period end of the run
    (``care.cache["period_ends"]``), index kept; worked out once per run.

    Examples
    --------
    >>> from cppanalytics.ssda903.dataset import Dataset
    >>> from cppanalytics.indicators.context import Context
    >>> list(_current_at_any(Context(Dataset(), "2024-03-31")).columns)
    ['HOME_POST', 'PL_POST']
    """
    key = ("location", "current_at_any")
    if key not in ctx.care.cache:
        ctx.care.cache[key] = ctx.episodes[["HOME_POST", "PL_POST"]][_current_mask(ctx)]
    return ctx.care.cache[key]


def _current_mask(ctx: Context) -> np.ndarray:
    """Which prepared episodes are current at any period end of the run (cached)."""
    key = ("location", "current_mask")
    if key not in ctx.care.cache:
        ends = ctx.care.cache.get("period_ends") or [ctx.period_end]
        eps = ctx.episodes
        ctx.care.cache[key] = current_at_any(
            eps["DECOM"].to_numpy(dtype="datetime64[ns]"),
            eps["DEC_eff"].to_numpy(dtype="datetime64[ns]"),
            [as_date(d) for d in ends],
        )
    return ctx.care.cache[key]


def current_at_any(start: np.ndarray, stop: np.ndarray, ends: list[pd.Timestamp]) -> np.ndarray:
    """Which spans ``start`` .. ``stop`` (datetime64[ns]) are current at any of ``ends``:
    started on or before the end and not stopped by it. A missing start is never current;
    a missing stop is still open. Two reused flag buffers, no integer copies.

    Examples
    --------
    >>> start = np.array(["2024-01-01", "NaT", "2024-01-01"], dtype="datetime64[ns]")
    >>> stop = np.array(["2024-03-31", "NaT", "NaT"], dtype="datetime64[ns]")
    >>> current_at_any(start, stop, [pd.Timestamp("2024-03-31")]).tolist()
    [False, False, True]
    """
    current = np.zeros(len(start), dtype=bool)
    started = np.empty(len(start), dtype=bool)
    stopped = np.empty(len(start), dtype=bool)
    for d in ends:
        when = np.datetime64(d.value, "ns")
        np.less_equal(start, when, out=started)  # NaT compares False: never started
        np.less_equal(stop, when, out=stopped)  # NaT compares False: still open
        np.greater(started, stopped, out=started)  # started and not stopped
        np.logical_or(current, started, out=current)
    return current


def locate(ctx: Context, cla: pd.DataFrame) -> pd.DataFrame:
    """``distance_miles`` and ``location`` for each row of ``cla`` (same index), cached.

    Examples
    --------
    >>> from cppanalytics.ssda903.dataset import Dataset
    >>> from cppanalytics.indicators.context import Context
    >>> cla = pd.DataFrame({"HOME_POST": pd.Series([], dtype="string"),
    ...                     "PL_POST": pd.Series([], dtype="string")})
    >>> list(locate(Context(Dataset(), "2024-03-31"), cla).columns)
    ['distance_miles', 'location']
    """
    from cppanalytics.geography.postcodes import placement_location

    pairs = _pairs(cla)
    key = ("placement_location", ctx.la_code)
    cache: pd.DataFrame | None = ctx.care.cache.get(key)
    if cache is None:
        # first look-up: take every pair current at any period end of this run at once
        unique = pd.concat([pairs.drop_duplicates(), _pairs(_current_at_any(ctx))])
        unique = unique.drop_duplicates()
    else:
        pos = ctx.care.cache[(*key, "keys")].get_indexer(_pair_keys(pairs))
        unique = pairs[pos < 0].drop_duplicates()
    if len(unique) or cache is None:
        unique = unique.reset_index(drop=True)
        found = placement_location(
            unique["HOME_POST"].mask(unique["HOME_POST"] == ""),
            unique["PL_POST"].mask(unique["PL_POST"] == ""),
            ctx.la_code,
        )
        new = unique.assign(
            distance_miles=found["distance_miles"].to_numpy(dtype="float64"),
            location=found["location"].astype("string").to_numpy(),
        )
        cache = new if cache is None else pd.concat([cache, new], ignore_index=True)
        ctx.care.cache[key] = cache
        ctx.care.cache[(*key, "keys")] = pd.Index(_pair_keys(cache))
        pos = ctx.care.cache[(*key, "keys")].get_indexer(_pair_keys(pairs))
    out = cache[["distance_miles", "location"]].take(pos)
    out.index = cla.index
    return out


def locate_at(ctx: Context) -> pd.DataFrame:
    """:func:`locate` of the children looked after at D (``ctx.cla_at()``), cached per
    period end: every episode current at a period end of the run is placed in the postcode
    look-up once, so each end takes its rows by position.

    Examples
    --------
    >>> from cppanalytics.ssda903.dataset import Dataset
    >>> from cppanalytics.indicators.context import Context
    >>> len(locate_at(Context(Dataset(), "2024-03-31")))
    0
    """
    key = ("located_at", ctx.la_code, ctx.period_end)
    if key not in ctx.care.cache:
        rows = _episode_rows(ctx)[ctx.cla_at_positions()]
        if (rows < 0).any():  # a date outside the run's period ends: look the pairs up
            ctx.care.cache[key] = locate(ctx, ctx.cla_at())
        else:
            table = ctx.care.cache[("location", ctx.la_code, "pairs")]
            out = table[["distance_miles", "location"]].take(rows)
            out.index = pd.RangeIndex(len(rows))  # as the rows of ctx.cla_at()
            ctx.care.cache[key] = out
    return ctx.care.cache[key]


def located_arrays(ctx: Context) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Of the children looked after at D (the rows of ``ctx.cla_at()``): the distance as
    DfE publishes it (:func:`published_miles`), whether placed outside the council (OUT)
    and whether inside it (IN), as :func:`locate_at` gives them; worked out once per
    postcode pair of the run and taken for each period end (no text compared per end).

    Examples
    --------
    >>> from cppanalytics.ssda903.dataset import Dataset
    >>> from cppanalytics.indicators.context import Context
    >>> [a.tolist() for a in located_arrays(Context(Dataset(), "2024-03-31"))]
    [[], [], []]
    """
    at = ("location", ctx.la_code, "located_arrays", ctx.period_end)
    if at in ctx.care.cache:  # location and sufficiency both ask at each period end
        return ctx.care.cache[at]
    rows = _episode_rows(ctx)[ctx.cla_at_positions()]
    if (rows < 0).any():  # a date outside the run's period ends: its own look-up
        ctx.care.cache[at] = _flags(locate_at(ctx))
        return ctx.care.cache[at]
    key = ("location", ctx.la_code, "pair_flags")
    if key not in ctx.care.cache:
        ctx.care.cache[key] = _flags(ctx.care.cache[("location", ctx.la_code, "pairs")])
    miles, outside, inside = ctx.care.cache[key]
    ctx.care.cache[at] = (miles[rows], outside[rows], inside[rows])
    return ctx.care.cache[at]


def _flags(located: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Published miles, OUT and IN of each row of a :func:`locate` table."""
    where = located["location"].astype("string").fillna("").to_numpy()
    return published_miles(located["distance_miles"]), where == "OUT", where == "IN"


def _episode_rows(ctx: Context) -> np.ndarray:
    """For every prepared episode, its row in a table of the distinct (HOME_POST, PL_POST)
    pairs of the episodes current at any period end of the run (-1 for the others), whose
    ``distance_miles`` and ``location`` are looked up as :func:`locate` looks them up,
    each pair once; worked out once per run on the postcodes' codes.

    Examples
    --------
    >>> from cppanalytics.ssda903.dataset import Dataset
    >>> from cppanalytics.indicators.context import Context
    >>> _episode_rows(Context(Dataset(), "2024-03-31")).tolist()
    []
    """
    from cppanalytics.geography.postcodes import placement_location

    key = ("location", ctx.la_code, "episode_rows")
    if key not in ctx.care.cache:
        eps = ctx.episodes
        at = np.flatnonzero(_current_mask(ctx))
        # only the current episodes' postcodes are coded (not the whole columns)
        home, home_text = factorize_text(_rows_of(eps["HOME_POST"], at))
        place, place_text = factorize_text(_rows_of(eps["PL_POST"], at))
        width = len(place_text) + 1
        pairs, row = np.unique((home + 1) * width + place + 1, return_inverse=True)
        found = placement_location(
            postcode_values(home_text, pairs // width - 1),
            postcode_values(place_text, pairs % width - 1),
            ctx.la_code,
        )
        ctx.care.cache[("location", ctx.la_code, "pairs")] = pd.DataFrame(
            index=pd.RangeIndex(len(pairs))
        ).assign(
            distance_miles=found["distance_miles"].to_numpy(dtype="float64"),
            location=found["location"].astype("string").to_numpy(),
        )
        rows = np.full(len(eps), -1, dtype=np.int32)  # (fewer pairs than 2**31)
        rows[at] = row.reshape(-1)
        ctx.care.cache[key] = rows
    return ctx.care.cache[key]


def _rows_of(column: pd.Series, at: np.ndarray) -> pd.Series:
    """The values of ``column`` at positions ``at`` (a new RangeIndex), same dtype.

    Examples
    --------
    >>> _rows_of(pd.Series(["a", None, "c"], dtype="string"), np.array([2, 1])).tolist()
    ['c', <NA>]
    """
    return pd.Series(column.array.take(at), copy=False)


def postcode_values(text: np.ndarray, codes: np.ndarray) -> pd.Series:
    """The postcodes of ``codes`` into the distinct ``text`` (-1: missing), as ``string``;
    a blank postcode is missing too (blanks replaced among the distinct values, not
    compared per row).

    Examples
    --------
    >>> postcode_values(np.array(["MK9 3EJ", ""], dtype=object), np.array([0, 1, -1, 0])).tolist()
    ['MK9 3EJ', <NA>, <NA>, 'MK9 3EJ']
    """
    distinct = np.append(np.asarray(text, dtype=object), np.array([None], dtype=object))
    distinct[distinct == ""] = None
    return pd.Series(distinct[codes], dtype="string")


def _pair_keys(pairs: pd.DataFrame) -> np.ndarray:
    """One text per (HOME_POST, PL_POST) pair of :func:`_pairs` (a separator no postcode
    holds), for hashed look-ups."""
    home = pairs["HOME_POST"].to_numpy(dtype=object)
    place = pairs["PL_POST"].to_numpy(dtype=object)
    return home + "\x1f" + place


def published_miles(distance: pd.Series) -> np.ndarray:
    """Miles rounded half up to 1 dp, as DfE publishes PL_DISTANCE (bands and the 20-mile
    tests use this; NaN stays NaN).

    Examples
    --------
    >>> published_miles(pd.Series([20.04, 20.05, None])).tolist()
    [20.0, 20.1, nan]
    """
    return np.floor(distance.to_numpy(dtype="float64") * 10 + 0.5) / 10


def compute(ctx: Context, ids: set[str]) -> list[Block]:
    """Location indicators at ``ctx.period_end`` for the requested ``ids``."""
    d = ctx.period_end
    n = len(ctx.cla_at_positions())  # the cohort's table is built only where needed
    miles, out_la, _ = located_arrays(ctx)
    council_known = ctx.la_code is not None
    unknown = np.flatnonzero(np.isnan(miles))
    # an episode's finding is the same at every period end: written the first time only
    unknown = unknown[
        unreported(ctx, "distance_unknown", ctx.cla_at_positions()[unknown], len(ctx.episodes))
    ]
    if len(unknown):
        bad = ctx.cla_at_rows(
            unknown, ["CHILD", "source_file", "source_row", "HOME_POST", "PL_POST"]
        )
        missing = bad["HOME_POST"].isna() | bad["PL_POST"].isna()
        ctx.findings.extend(
            row_findings(
                bad,
                severity="warning",
                code="distance_unknown",
                table="episodes",
                column=np.where(bad["HOME_POST"].isna(), "HOME_POST", "PL_POST"),
                message=np.where(
                    missing,
                    "HOME_POST or PL_POST is missing on the current episode, so the "
                    "placement distance is unknown (counted as unknown, not guessed).",
                    "HOME_POST or PL_POST was not found in the ONS postcode directory, so the "
                    "placement distance is unknown (counted as unknown, not guessed).",
                ),
                fix="Record the full home and placement postcodes on the child's episode.",
                indicators=IDS,
            )
        )
    rows: list[Block] = []
    with np.errstate(invalid="ignore"):
        over = miles > 20
        within = miles <= 20
    if "placed_over_20_miles_outside" in ids:
        num = int((over & out_la).sum()) if council_known else np.nan
        rows.append(
            block(
                "placed_over_20_miles_outside",
                d,
                ctx.window("placed_over_20_miles_outside"),
                numerator=[num],
                denominator=[n],
                unit="percent",
                note="" if council_known else NO_COUNCIL_NOTE,
            )
        )
    if "placed_within_20_miles" in ids:
        rows.append(
            block(
                "placed_within_20_miles",
                d,
                ctx.window("placed_within_20_miles"),
                numerator=[int(within.sum())],
                denominator=[n],
                unit="percent",
            )
        )
    if "placed_outside_la" in ids:
        num = int(out_la.sum()) if council_known else np.nan
        rows.append(
            block(
                "placed_outside_la",
                d,
                ctx.window("placed_outside_la"),
                numerator=[num],
                denominator=[n],
                unit="percent",
                note="" if council_known else NO_COUNCIL_NOTE,
            )
        )
    if "cla_by_distance_band" in ids:
        bands = distance_band_codes(miles)
        rows.append(coded_rows(ctx, "cla_by_distance_band", DISTANCE_BANDS, bands, n))
    return rows
