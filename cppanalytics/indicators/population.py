"""Population and flows: children in care at D, rate per 10,000, starts, ceases, breakdowns.

Definitions are those of ``shared/spec/indicators.md`` ("Population and flows"):

* ``cla_count`` children looked after at D (short breaks excluded); window (D, D).
* ``cla_rate_per_10k`` ``cla_count`` ÷ ONS 0-17 population × 10,000. Population year: the
  calendar year in which the financial year containing D began (31 Mar 2024 → 2023); if
  absent, the latest earlier year, with a note ("population 2022 used; 2023 not
  available"). No usable population: value empty, with a note.
* ``cla_started`` children with a period of care starting in the window (counted once);
  a period that follows a broken X1 chain is a start, as the spec defines starts by periods
  (the break itself is an ``x1_chain_broken`` finding; see :mod:`cppanalytics.care.periods`).
* ``cla_ceased`` children whose period of care ended by an exit in the window (once; the
  last exit); ``ceased_by_reason`` breaks it down by the REC group of that exit.
* ``cla_started_rate_per_10k`` / ``cla_ceased_rate_per_10k`` children starting / leaving
  care in the window (default the 12 months to D) per 10,000 children aged 0-17, with the
  population of ``cla_rate_per_10k``.
* ``cla_during`` children looked after at any time in the window.
* ``cla_by_*`` breakdowns of ``cla_count`` (value = % of ``cla_count``; every group
  written). A child in a temporary placement is reported under the placement held before.
  Provider and CIN have an ``unknown`` group for a missing or unknown code (a
  ``code_missing_breakdown`` finding names the child), so every breakdown adds up to
  ``cla_count``.
* ``cla_uasc`` children looked after at D with a UASC record with DUC blank or after D.

Examples
--------
>>> from cppanalytics.ssda903.dataset import Dataset
>>> from cppanalytics.indicators.context import Context
>>> from cppanalytics.results import rows_frame
>>> ds = Dataset.from_tables({"episodes": pd.DataFrame({"CHILD": ["1"], "DECOM": ["01/04/2023"],
...     "RNE": ["S"], "LS": ["C2"], "PLACE": ["U4"], "DEC": [""], "REC": [""]})})
>>> rows_frame(compute(Context(ds, "2024-03-31"), {"cla_count", "cla_started"}))["value"].tolist()
[1.0, 1.0]
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from cppanalytics.care.cohorts import child_runs, first_per_child, last_per_child
from cppanalytics.care.groups import (
    AGE_BANDS,
    age_band_codes,
    ethnic_group,
    legal_status_group,
    placement_group,
    reason_group,
    sex_group,
)
from cppanalytics.dates import financial_year_start
from cppanalytics.errors import CppError
from cppanalytics.findings import row_findings
from cppanalytics.indicators.catalogue import BREAKDOWN_GROUPS, get
from cppanalytics.indicators.context import object_text
from cppanalytics.results import Block, block
from cppanalytics.ssda903.coded import factorize_text

if TYPE_CHECKING:  # pragma: no cover
    from cppanalytics.indicators.context import Context

IDS: tuple[str, ...] = (
    "cla_count",
    "cla_rate_per_10k",
    "cla_started",
    "cla_ceased",
    "cla_started_rate_per_10k",
    "cla_ceased_rate_per_10k",
    "cla_during",
    "cla_by_placement_group",
    "cla_by_legal_status",
    "cla_by_age_band",
    "cla_by_sex",
    "cla_by_ethnic_group",
    "cla_by_provider",
    "cla_by_cin",
    "cla_uasc",
    "ceased_by_reason",
)


#: from this many period ends in a run, breakdowns of the children looked after by the
#: columns of :data:`EPISODE_CODED` are counted from labels worked out once for every
#: episode (fewer: each end's children are labelled)
CODED_FROM_ENDS = 4

#: the columns whose every episode is coded once in a run of many period ends anyway (the
#: sufficiency measures read the held placement and its provider so); the other
#: breakdowns label each end's children only, not every episode
EPISODE_CODED: frozenset[str] = frozenset({"held_PLACE", "PLACE_PROVIDER"})


# ---------------------------------------------------------------------- population input
def read_population(
    population: pd.DataFrame | str | Path | None, la_code: str | None = None
) -> pd.DataFrame | None:
    """Read and check the ONS population input: columns ``year``, ``population``.

    ``population`` may be a DataFrame or a CSV path with ``year,population[,la_code]``.
    With an ``la_code`` column, the council's rows are kept (``la_code`` must then be known
    when more than one council is present). Bad values raise :class:`CppError` naming the
    file, row and column.

    Examples
    --------
    >>> read_population(pd.DataFrame({"year": ["2023"], "population": ["52,100"]}))
       year  population
    0  2023     52100.0
    """
    if population is None:
        return None
    source = "population table"
    if isinstance(population, str | Path):
        source = str(population)
        try:
            frame = pd.read_csv(population, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        except FileNotFoundError as exc:
            raise CppError(
                f"{source}: population file not found; give a CSV with columns year,population."
            ) from exc
        except (pd.errors.ParserError, UnicodeDecodeError) as exc:
            raise CppError(
                f"{source}: cannot be read as CSV ({exc}); save it as a CSV with "
                "columns year,population."
            ) from exc
    else:
        frame = population.astype("object").copy()
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    missing = [c for c in ("year", "population") if c not in frame.columns]
    if missing:
        raise CppError(
            f"{source}: lacks column(s) {', '.join(missing)}; the population "
            "file needs columns year,population (optionally la_code)."
        )
    if "la_code" in frame.columns:
        codes = frame["la_code"].astype(str).str.strip().str.upper()
        if la_code is not None:
            frame = frame[codes == str(la_code).strip().upper()]
            if frame.empty:
                raise CppError(
                    f"{source}: no rows for council {la_code} in column la_code; "
                    "add its population or correct --la-code."
                )
        elif codes.nunique() > 1:
            raise CppError(
                f"{source}: holds several councils (column la_code) but the "
                "council code is not known; pass --la-code."
            )
    year = pd.to_numeric(frame["year"].astype(str).str.strip(), errors="coerce")
    pop = pd.to_numeric(
        frame["population"].astype(str).str.replace(",", "").str.strip(), errors="coerce"
    )
    bad = year.isna() | pop.isna() | (pop <= 0)
    if bad.any():
        first = bad.to_numpy().nonzero()[0][0]
        col = "year" if pd.isna(year.iloc[first]) else "population"
        raise CppError(
            f"{source}: row {first + 2}, column {col}: value "
            f"{frame[col].iloc[first]!r} is not a valid {col}; write the year as "
            "e.g. 2023 and the population as a positive number."
        )
    out = pd.DataFrame(
        {"year": year.astype(int).to_numpy(), "population": pop.to_numpy(dtype="float64")}
    )
    if out["year"].duplicated().any():
        dup = int(out.loc[out["year"].duplicated(), "year"].iloc[0])
        raise CppError(f"{source}: year {dup} appears more than once; keep one row per year.")
    return out.sort_values("year").reset_index(drop=True)


def population_for(population: pd.DataFrame | None, period_end: pd.Timestamp) -> tuple[float, str]:
    """The population to use at ``period_end`` and the note to carry: the row of the
    financial year D falls in, else the last row of an earlier year (as
    :func:`_population_for_rows` finds them), looked up on the columns' numbers (it is
    asked three times at every period end).

    Examples
    --------
    >>> pop = pd.DataFrame({"year": [2021, 2022], "population": [50000.0, 51000.0]})
    >>> population_for(pop, pd.Timestamp("2024-03-31"))
    (51000.0, 'population 2022 used; 2023 not available')
    """
    year = financial_year_start(period_end).year
    if population is None or population.empty:
        return float("nan"), "no population data supplied"
    years = population["year"].to_numpy()
    if years.dtype.kind not in "iuf":  # (text or nullable years): pandas compares them
        return _population_for_rows(population, year)
    values = population["population"].to_numpy()
    exact = np.flatnonzero(years == year)
    if len(exact):
        return float(values[exact[0]]), ""
    earlier = np.flatnonzero(years < year)
    if not len(earlier):
        return float("nan"), f"no population for {year} or earlier"
    row = earlier[-1]
    return float(values[row]), f"population {int(years[row])} used; {year} not available"


def _population_for_rows(population: pd.DataFrame, year: int) -> tuple[float, str]:
    """:func:`population_for` of the financial year starting in ``year``, by selecting
    the frame's rows (the plain definition).

    Examples
    --------
    >>> pop = pd.DataFrame({"year": [2021, 2022], "population": [50000.0, 51000.0]})
    >>> _population_for_rows(pop, 2022)
    (51000.0, '')
    """
    exact = population[population["year"] == year]
    if len(exact):
        return float(exact["population"].iloc[0]), ""
    earlier = population[population["year"] < year]
    if earlier.empty:
        return float("nan"), f"no population for {year} or earlier"
    row = earlier.iloc[-1]
    return float(row["population"]), f"population {int(row['year'])} used; {year} not available"


# ---------------------------------------------------------------------- helpers
def breakdown_rows(
    ctx: Context,
    indicator_id: str,
    labels: pd.Series,
    denominator: int,
    window: tuple[pd.Timestamp, pd.Timestamp] | None = None,
) -> Block:
    """Rows for every group of the indicator's breakdown (zeros included).

    ``labels`` holds one group label per child; value = % of ``denominator``.

    Examples
    --------
    >>> from cppanalytics.ssda903.dataset import Dataset
    >>> from cppanalytics.indicators.context import Context
    >>> ctx = Context(Dataset(), "2024-03-31")
    >>> breakdown_rows(ctx, "cla_by_sex", pd.Series(["male"]), 1).value.tolist()
    [100.0, 0.0, 0.0]
    """
    groups = BREAKDOWN_GROUPS[get(indicator_id).breakdown]
    found = _group_index(tuple(groups)).get_indexer(labels.to_numpy(dtype=object))
    counts = np.bincount(found[found >= 0], minlength=len(groups))
    return breakdown_counts(ctx, indicator_id, counts, denominator, window)


@functools.lru_cache(maxsize=256)
def _group_index(groups: tuple[str, ...]) -> pd.Index:
    """A breakdown's groups as a (hashed once) index to count labels against."""
    return pd.Index(list(groups), dtype=object)


@functools.lru_cache(maxsize=1024)
def _label_groups(groups: tuple[str, ...], labels: tuple[str, ...]) -> np.ndarray:
    """The position in ``groups`` of each of ``labels`` (-1: none), read-only; the same
    labels are counted against the same groups at every period end.

    Examples
    --------
    >>> _label_groups(("male", "female"), ("female", "x", "male")).tolist()
    [1, -1, 0]
    """
    found = _group_index(groups).get_indexer(list(labels))
    found.setflags(write=False)
    return found


def coded_rows(
    ctx: Context,
    indicator_id: str,
    labels: tuple[str, ...] | list[str],
    codes: np.ndarray,
    denominator: int,
    window: tuple[pd.Timestamp, pd.Timestamp] | None = None,
) -> Block:
    """:func:`breakdown_rows` of the labels ``labels[codes]`` (one code per child), counted
    without making a label per child.

    Examples
    --------
    >>> from cppanalytics.ssda903.dataset import Dataset
    >>> from cppanalytics.indicators.context import Context
    >>> ctx = Context(Dataset(), "2024-03-31")
    >>> coded_rows(ctx, "cla_by_sex", ("female", "male"), np.array([1, 1, 0]), 4).value.tolist()
    [50.0, 25.0, 0.0]
    """
    groups = BREAKDOWN_GROUPS[get(indicator_id).breakdown]
    found = _label_groups(tuple(groups), tuple(labels))[codes]
    counts = np.bincount(found[found >= 0], minlength=len(groups))
    return breakdown_counts(ctx, indicator_id, counts, denominator, window)


def breakdown_counts(
    ctx: Context,
    indicator_id: str,
    counts: np.ndarray,
    denominator: int,
    window: tuple[pd.Timestamp, pd.Timestamp] | None = None,
) -> Block:
    """:func:`breakdown_rows` from the count of each group (in the catalogue's group order).

    Examples
    --------
    >>> from cppanalytics.ssda903.dataset import Dataset
    >>> from cppanalytics.indicators.context import Context
    >>> ctx = Context(Dataset(), "2024-03-31")
    >>> breakdown_counts(ctx, "cla_by_sex", np.array([1, 1, 0]), 2).value.tolist()
    [50.0, 50.0, 0.0]
    """
    ind = get(indicator_id)
    groups = BREAKDOWN_GROUPS[ind.breakdown]
    return block(
        indicator_id,
        ctx.period_end,
        window or ctx.window(indicator_id),
        numerator=counts,
        denominator=[denominator] * len(groups),
        unit=ind.unit,
        breakdown=ind.breakdown,
        groups=groups,
    )


def known_code(codes: pd.Series, groups: list[str]) -> pd.Series:
    """The code where it is one of ``groups``, else ``unknown`` (blank or not a known code),
    so a breakdown by code adds up to its total.

    Examples
    --------
    >>> known_code(pd.Series(["PR1", None, "PR9"]), ["PR1", "unknown"]).tolist()
    ['PR1', 'unknown', 'unknown']
    """
    text = codes.astype(object)
    return text.where(text.isin(groups), "unknown").astype(object)


def provider_code(codes: pd.Series) -> pd.Series:
    """PLACE_PROVIDER as its ``cla_by_provider`` group (:func:`known_code`).

    Examples
    --------
    >>> provider_code(pd.Series(["PR1", "PR9"])).tolist()
    ['PR1', 'unknown']
    """
    return known_code(codes, BREAKDOWN_GROUPS["provider"])


def cin_code(codes: pd.Series) -> pd.Series:
    """CIN as its ``cla_by_cin`` group (:func:`known_code`).

    Examples
    --------
    >>> cin_code(pd.Series(["N1", None])).tolist()
    ['N1', 'unknown']
    """
    return known_code(codes, BREAKDOWN_GROUPS["cin"])


def _coded_breakdown(
    ctx: Context,
    indicator_id: str,
    column: str,
    labeller: Callable[[pd.Series], pd.Series],
    pos: np.ndarray,
    denominator: int,
) -> Block:
    """:func:`breakdown_rows` of ``labeller(cla_at()[column])``, counted from the labels
    of every episode (:meth:`Context.episode_groups`) at the positions ``pos`` of the
    children looked after at D."""
    groups = BREAKDOWN_GROUPS[get(indicator_id).breakdown]
    if _episode_coded(ctx, column):
        found = ctx.episode_groups(column, labeller, groups)[pos]
    else:  # the end's children's values only (the whole table when it is built)
        values = ctx.cla_at_rows(None, [column])[column]
        found = group_positions(values, labeller, groups, run_labels(ctx, column, labeller))
    counts = np.bincount(found[found >= 0], minlength=len(groups))
    return breakdown_counts(ctx, indicator_id, counts, denominator)


def group_positions(
    values: pd.Series,
    labeller: Callable[[pd.Series], pd.Series],
    groups: list[str],
    known: dict[Any, str] | None = None,
) -> np.ndarray:
    """For each of ``values``, the position in ``groups`` of ``labeller``'s label of it
    (-1: not one of ``groups``), labelling each distinct value once (``labeller`` labels
    value by value, as every breakdown's does): once per call, or once per run given the
    run's labels of the column so far (``known``, :func:`run_labels`).

    Examples
    --------
    >>> from cppanalytics.care.groups import sex_group
    >>> values = pd.Series(["2", None, "1", "2"], dtype="string")
    >>> group_positions(values, sex_group, ["male", "female", "unknown"]).tolist()
    [1, 2, 0, 1]
    """
    if object_text(values):  # rows share string objects: see factorize_text
        codes, uniques = factorize_text(values)
    else:
        codes, uniques = pd.factorize(values)
    labels = labels_of(uniques, values.dtype, labeller, {} if known is None else known)
    return _label_groups(tuple(groups), labels)[codes]  # code -1 (missing) takes the last


#: the key of a missing value's label in :func:`labels_of`'s ``known`` labels
_MISSING = object()


def labels_of(
    uniques: Iterable[Any], dtype: Any, labeller: Callable[[pd.Series], pd.Series], known: dict
) -> tuple[str, ...]:
    """``labeller``'s label of each of the distinct values ``uniques`` (of ``dtype``),
    then of a missing value; the values not yet in ``known`` are labelled (in one call)
    and added to it.

    Examples
    --------
    >>> from cppanalytics.care.groups import sex_group
    >>> known = {}
    >>> labels_of(["2", "1"], "string", sex_group, known)
    ('female', 'male', 'unknown')
    >>> labels_of(["1", "M"], "string", lambda s: pd.Series(["?"] * len(s)), known)
    ('male', '?', 'unknown')
    """
    distinct = list(uniques)
    new = [u for u in distinct if u not in known]
    missing = [] if _MISSING in known else [None]
    if new or missing:
        got = labeller(pd.Series([*new, *missing], dtype=dtype)).tolist()
        known.update(zip([*new, *[_MISSING] * len(missing)], got, strict=True))
    return (*(known[u] for u in distinct), known[_MISSING])


def run_labels(
    ctx: Context, column: str, labeller: Callable[[pd.Series], pd.Series]
) -> dict[Any, str]:
    """The labels ``labeller`` gave the values of ``column`` so far in this run (for
    :func:`labels_of`: each distinct value labelled once per run, not once per period
    end)."""
    known: dict[Any, str] = ctx.care.cache.setdefault(("run_labels", column, labeller), {})
    return known


def _code_findings(ctx: Context, column: str, valid: list[str], indicator_id: str) -> None:
    """Finding per child at D whose ``column`` code is in no group of ``indicator_id``."""
    if _episode_coded(ctx, column):  # each distinct code classified once per run
        codes, _ = ctx.episode_codes(column)
        wrong = ~_known_codes(ctx, column, tuple(valid))[codes[ctx.cla_at_positions()]]
    else:  # the end's children's codes only
        values = ctx.cla_at_rows(None, [column])[column]
        wrong = ~values.isin(valid).fillna(False).to_numpy(dtype=bool)
    # only the rows found are built (taken from the whole table when it is built)
    bad = ctx.cla_at_rows(wrong, ["CHILD", "source_file", "source_row", column])
    if bad.empty:
        return
    ctx.findings.extend(
        row_findings(
            bad,
            severity="warning",
            code="code_missing_breakdown",
            table="episodes",
            column=column,
            value=bad[column].fillna(""),  # missing is "" either way: as text, one step
            message=f"{column} is missing or not a known code, so this child is in the "
            f"'unknown' group of {indicator_id} at {ctx.period_end:%d/%m/%Y}.",
            fix=f"Record a valid {column} on the child's current episode.",
            indicators=indicator_id,
        )
    )


def _episode_coded(ctx: Context, column: str) -> bool:
    """Whether the breakdowns and findings by ``column`` read it through the codes of every
    episode (a run of many period ends, a column of :data:`EPISODE_CODED`) rather than
    the period end's children's values.

    Examples
    --------
    >>> from cppanalytics.ssda903.dataset import Dataset
    >>> from cppanalytics.indicators.context import Context
    >>> ctx = Context(Dataset(), "2024-03-31")
    >>> _episode_coded(ctx, "held_PLACE")
    False
    >>> ctx.care.cache["period_ends"] = list(pd.date_range("2023-06-30", periods=4, freq="QE"))
    >>> _episode_coded(ctx, "held_PLACE"), _episode_coded(ctx, "LS")
    (True, False)
    """
    ends = ctx.care.cache.get("period_ends") or [ctx.period_end]
    return len(ends) >= CODED_FROM_ENDS and column in EPISODE_CODED


def _known_codes(ctx: Context, column: str, valid: tuple[str, ...]) -> np.ndarray:
    """Whether each distinct value of the episodes' ``column``
    (:meth:`~cppanalytics.indicators.context.Context.episode_codes`) is one of ``valid``
    (a missing value is not), worked out once per run."""
    key = ("known_codes", column, valid)
    if key not in ctx.care.cache:
        values = ctx.episode_codes(column)[1]
        ctx.care.cache[key] = values.isin(list(valid)).fillna(False).to_numpy(dtype=bool)
    return ctx.care.cache[key]


def ceased_in_window(ctx: Context, start: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame:
    """Each child's last exit from care in the window (one row per child: CHILD, end,
    exit_date, exit_rec, period_id). The exit is dated by ``exit_date``
    (:meth:`Context.periods`): a child's care ends on their 18th birthday at the latest, so a
    child already 18 before the window cannot leave in it.

    Examples
    --------
    >>> from cppanalytics.ssda903.dataset import Dataset
    >>> from cppanalytics.indicators.context import Context
    >>> ceased_in_window(Context(Dataset(), "2024-03-31"), pd.Timestamp("2023-04-01"),
    ...                  pd.Timestamp("2024-03-31")).shape[0]
    0
    """
    key = ("ceased_in_window", start, end)
    if key not in ctx.care.cache:  # several indicators at each period end share a window
        pos = _ceased_positions(ctx, start, end)
        ctx.care.cache[key] = ctx.exits().take(pos).reset_index(drop=True)
    return ctx.care.cache[key]


def _ceased_positions(ctx: Context, start: pd.Timestamp, end: pd.Timestamp) -> np.ndarray:
    """Positions in :meth:`Context.exits` of the rows of :func:`ceased_in_window`."""
    key = ("ceased_positions", start, end)
    if key not in ctx.care.cache:
        # last_exit_in on arrays worked out once per run: exits are sorted by child
        when, children = _dated_runs(ctx, "exits", ctx.exits(), "exit_date")
        ctx.care.cache[key] = last_per_child(_within(when, start, end), children)
    return ctx.care.cache[key]


def _exit_reasons(ctx: Context, pos: np.ndarray) -> tuple[np.ndarray, list[str]]:
    """For the rows of :meth:`Context.exits` at positions ``pos``, the position of each
    one's REC :func:`~cppanalytics.care.groups.reason_group` in the labels returned with
    it (each distinct REC among them labelled once; only those rows are read).

    Examples
    --------
    >>> from cppanalytics.ssda903.dataset import Dataset
    >>> from cppanalytics.indicators.context import Context
    >>> ds = Dataset.from_tables({"episodes": pd.DataFrame({"CHILD": ["1", "2"],
    ...     "DECOM": ["01/04/2023"] * 2, "RNE": ["S"] * 2, "LS": ["C2"] * 2,
    ...     "PLACE": ["U4"] * 2, "DEC": ["01/06/2023"] * 2, "REC": ["E11", "E4A"]})})
    >>> codes, labels = _exit_reasons(Context(ds, "2024-03-31"), np.array([1]))
    >>> [labels[c] for c in codes]
    ['returned_home']
    """
    rec = ctx.exits()["exit_rec"]
    codes, uniques = pd.factorize(rec.array.take(pos))
    known = run_labels(ctx, "exit_rec", reason_group)
    return codes, list(labels_of(uniques, rec.dtype, reason_group, known))  # -1: the last


def _dated_runs(
    ctx: Context, name: str, rows: pd.DataFrame, column: str
) -> tuple[np.ndarray, np.ndarray]:
    """``rows[column]`` as int64 nanoseconds (NaT as the smallest int64, never in a window)
    and one integer per row, equal for two rows exactly when their CHILD is (what
    :func:`~cppanalytics.care.cohorts.first_per_child` compares; rows sorted by CHILD):
    each period's child code (:func:`period_codes`), else
    :func:`~cppanalytics.care.cohorts.child_runs` of ``rows``, once per run."""
    key = ("population", name, column)
    if key not in ctx.care.cache:
        when = rows[column].to_numpy(dtype="datetime64[ns]").view("int64")
        children = period_codes(ctx, rows["period_id"])
        if children is None:
            children = child_runs(rows["CHILD"])
        ctx.care.cache[key] = (when, children)
    return ctx.care.cache[key]


def period_child_runs(ctx: Context, rows: pd.DataFrame) -> np.ndarray:
    """:func:`~cppanalytics.care.cohorts.child_runs` of ``rows["CHILD"]``, for rows of
    :meth:`Context.periods` (or of a subset of them in order, such as
    :meth:`Context.exits`), numbered from each period's child code (:func:`period_codes`)
    instead of comparing the children's text: two rows' codes are equal exactly when
    their CHILD is. Rows whose period is not among the prepared episodes' are numbered
    from their text.

    Examples
    --------
    >>> from cppanalytics.ssda903.dataset import Dataset
    >>> from cppanalytics.indicators.context import Context
    >>> ds = Dataset.from_tables({"episodes": pd.DataFrame({"CHILD": ["a", "a", "b"],
    ...     "DECOM": ["01/04/2022", "01/04/2023", "01/05/2023"], "RNE": ["S"] * 3,
    ...     "LS": ["C2"] * 3, "PLACE": ["U4"] * 3, "DEC": ["01/06/2022", "", ""],
    ...     "REC": ["E4A", "", ""]})})
    >>> ctx = Context(ds, "2024-03-31")
    >>> period_child_runs(ctx, ctx.periods()).tolist()
    [0, 0, 1]
    """
    codes = period_codes(ctx, rows["period_id"])
    if codes is None:
        return child_runs(rows["CHILD"])
    new = np.ones(len(codes), dtype=bool)
    new[1:] = codes[1:] != codes[:-1]
    runs = np.cumsum(new)
    runs -= 1
    return runs


def period_codes(ctx: Context, period_id: pd.Series) -> np.ndarray | None:
    """The child code (:meth:`Context.period_child_codes`) of each period in
    ``period_id``; None when an id is not an integer or not a prepared period (then the
    caller goes by the children's text).

    Examples
    --------
    >>> from cppanalytics.ssda903.dataset import Dataset
    >>> from cppanalytics.indicators.context import Context
    >>> ds = Dataset.from_tables({"episodes": pd.DataFrame({"CHILD": ["b", "a"],
    ...     "DECOM": ["01/04/2023"] * 2, "RNE": ["S"] * 2, "LS": ["C2"] * 2,
    ...     "PLACE": ["U4"] * 2})})
    >>> ctx = Context(ds, "2024-03-31")
    >>> period_codes(ctx, pd.Series([1, 0, 1])).tolist(), period_codes(ctx, pd.Series([2]))
    ([1, 0, 1], None)
    """
    by_period = ctx.period_child_codes()
    period = period_id.to_numpy()
    if period.dtype.kind not in "iu":
        return None
    if not len(period):
        return by_period[:0].copy()
    if period.min() < 0 or period.max() >= len(by_period):
        return None
    codes = by_period.take(period)
    return codes if codes.min() >= 0 else None


def _within(when: np.ndarray, start: pd.Timestamp, end: pd.Timestamp) -> np.ndarray:
    """Positions of the int64-nanosecond dates ``when`` in ``start``..``end`` (inclusive).

    Examples
    --------
    >>> when = pd.to_datetime(["2024-01-01", None, "2024-03-31"]).to_numpy("datetime64[ns]")
    >>> when = when.view("int64")
    >>> _within(when, pd.Timestamp("2024-01-02"), pd.Timestamp("2024-03-31")).tolist()
    [2]
    """
    return np.flatnonzero((when >= start.value) & (when <= end.value))


def last_exit_in(exits: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame:
    """Each child's last of ``exits`` (rows of :meth:`Context.exits`) dated in the window.

    Examples
    --------
    >>> e = pd.DataFrame({"CHILD": ["A", "A", "B"], "exit_date": pd.to_datetime(
    ...     ["2023-05-01", "2023-09-01", "2022-01-01"])})
    >>> last_exit_in(e, pd.Timestamp("2023-04-01"), pd.Timestamp("2024-03-31"))["exit_date"].tolist()
    [Timestamp('2023-09-01 00:00:00')]
    """
    rows = exits[(exits["exit_date"] >= start) & (exits["exit_date"] <= end)]
    return rows.drop_duplicates("CHILD", keep="last").reset_index(drop=True)


def is_uasc(ctx: Context, children: pd.Series, at: pd.Timestamp | pd.Series) -> pd.Series:
    """Whether each child was an unaccompanied asylum-seeking child on ``at`` (one date, or
    one per child): a UASC row (latest year) with DUC blank or after ``at``.

    Examples
    --------
    >>> from cppanalytics.ssda903.dataset import Dataset
    >>> from cppanalytics.indicators.context import Context
    >>> is_uasc(Context(Dataset(), "2024-03-31"), pd.Series(["1"]), pd.Timestamp("2024-03-31")
    ...         ).tolist()
    [False]
    """
    if ctx.latest("uasc").empty:
        return pd.Series(False, index=children.index)
    # the children with prepared episodes (by their codes) from arrays made once per run
    code = ctx.child_codes(children)
    listed, ends = _uasc_children(ctx)
    found = code >= 0
    duc = ends[np.where(found, code, 0)] if len(ends) else np.full(len(code), np.datetime64("NaT"))
    when = at.to_numpy(dtype="datetime64[ns]") if isinstance(at, pd.Series) else at.to_datetime64()
    out = found & listed[np.where(found, code, 0)] if len(listed) else found
    out &= np.isnat(duc) | (duc > when)
    others = np.flatnonzero(~found & children.notna().to_numpy(dtype=bool))
    if len(others):  # a child with no prepared episode: looked up by text
        by_child = _uasc_duc(ctx)
        rest = children.iloc[others]
        duc_rest = rest.map(by_child)
        when_rest = when[others] if isinstance(at, pd.Series) else when
        current = (duc_rest.isna() | (duc_rest > when_rest)).to_numpy(dtype=bool)
        out[others] = rest.isin(by_child.index).to_numpy(dtype=bool) & current
    return pd.Series(out, index=children.index)


def started_in_window(ctx: Context, start: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame:
    """Each child's first start of a period of care in the window (one row per child); a
    period starting on or after the 18th birthday is not care (:meth:`Context.periods`)."""
    key = ("started_in_window", start, end)
    if key not in ctx.care.cache:  # several indicators at each period end share a window
        pos = _started_positions(ctx, start, end)
        ctx.care.cache[key] = ctx.periods().take(pos).reset_index(drop=True)
    return ctx.care.cache[key]


def _started_positions(ctx: Context, start: pd.Timestamp, end: pd.Timestamp) -> np.ndarray:
    """Positions in :meth:`Context.periods` of the rows of :func:`started_in_window`."""
    key = ("started_positions", start, end)
    if key not in ctx.care.cache:
        # on arrays worked out once per run: periods are sorted by child, then start
        when, children = _dated_runs(ctx, "periods", ctx.periods(), "start")
        ctx.care.cache[key] = first_per_child(_within(when, start, end), children)
    return ctx.care.cache[key]


def uasc_at(ctx: Context) -> np.ndarray:
    """:func:`is_uasc` of the children looked after at D (the rows of ``ctx.cla_at()``),
    from each child's UASC end date looked up once per run.

    Examples
    --------
    >>> from cppanalytics.ssda903.dataset import Dataset
    >>> from cppanalytics.indicators.context import Context
    >>> uasc_at(Context(Dataset(), "2024-03-31")).tolist()
    []
    """
    key = ("uasc_at", ctx.period_end)
    if key not in ctx.care.cache:
        codes = ctx.episode_child_codes()[0]
        if ("uasc_by_child",) not in ctx.care.cache:  # listed, DUC (int64 ns; NaT: open)
            listed, ends = _uasc_children(ctx)
            ctx.care.cache[("uasc_by_child",)] = (
                listed,
                np.where(np.isnat(ends), np.iinfo(np.int64).max, ends.view("int64")),
            )
        listed, duc_ns = ctx.care.cache[("uasc_by_child",)]
        child = codes[ctx.cla_at_positions()]
        ctx.care.cache[key] = listed[child] & (duc_ns[child] > ctx.period_end.value)
    return ctx.care.cache[key]


def _uasc_children(ctx: Context) -> tuple[np.ndarray, np.ndarray]:
    """For every child of :meth:`Context.episode_child_codes`: whether they have a UASC row
    (latest year) and its DUC (NaT: blank, or no row), looked up once per run."""
    key = ("uasc_children",)
    if key not in ctx.care.cache:
        duc = _uasc_duc(ctx)
        children = ctx.episode_child_codes()[1]
        # each UASC child's code (by the string objects the tables share, else by text),
        # then each code pointed at its row (one row per child: no code twice)
        code = ctx.child_codes(duc.index.to_numpy(dtype=object))
        at = np.full(len(children), -1, dtype=np.int64)
        found = np.flatnonzero(code >= 0)
        at[code[found]] = found
        ends = np.append(duc.to_numpy(dtype="datetime64[ns]"), np.datetime64("NaT", "ns"))
        ctx.care.cache[key] = (at >= 0, ends[at])  # no UASC row (-1) takes the last: NaT
    return ctx.care.cache[key]


def _uasc_duc(ctx: Context) -> pd.Series:
    """DUC by CHILD of the latest UASC rows (one per child), cached."""
    key = ("uasc_duc",)
    if key not in ctx.care.cache:
        uasc = ctx.latest("uasc")
        ctx.care.cache[key] = (
            uasc.drop_duplicates("CHILD").set_index("CHILD")["DUC"]
            if len(uasc)
            else pd.Series([], dtype="datetime64[ns]")
        )
    return ctx.care.cache[key]


# ---------------------------------------------------------------------- compute
def compute(ctx: Context, ids: set[str]) -> list[Block]:
    """Population and flow indicators at ``ctx.period_end`` for the requested ``ids``.

    Returns results-contract rows (see the module docstring for definitions).
    """
    d = ctx.period_end
    n = len(ctx.cla_at_positions())  # the cohort's table is built only where needed
    out: list[Block] = []

    if "cla_count" in ids:
        out.append(block("cla_count", d, ctx.window("cla_count"), numerator=[n], unit="count"))
    if "cla_rate_per_10k" in ids:
        pop, note = population_for(ctx.population, d)
        out.append(
            block(
                "cla_rate_per_10k",
                d,
                ctx.window("cla_rate_per_10k"),
                numerator=[n],
                denominator=[pop],
                unit="rate_per_10k",
                note=note,
            )
        )
    if "cla_started" in ids:
        w = ctx.window("cla_started")
        out.append(
            block("cla_started", d, w, numerator=[len(_started_positions(ctx, *w))], unit="count")
        )
    for rate_id, counted in (
        ("cla_started_rate_per_10k", _started_positions),
        ("cla_ceased_rate_per_10k", _ceased_positions),
    ):
        if rate_id in ids:
            pop, note = population_for(ctx.population, d)
            w = ctx.window(rate_id)
            out.append(
                block(
                    rate_id,
                    d,
                    w,
                    numerator=[len(counted(ctx, *w))],
                    denominator=[pop],
                    unit="rate_per_10k",
                    note=note,
                )
            )
    if {"cla_ceased", "ceased_by_reason"} & ids:
        if "cla_ceased" in ids:
            w = ctx.window("cla_ceased")
            out.append(
                block("cla_ceased", d, w, numerator=[len(_ceased_positions(ctx, *w))], unit="count")
            )
        if "ceased_by_reason" in ids:
            w = ctx.window("ceased_by_reason")
            ceased = _ceased_positions(ctx, *w)
            codes, labels = _exit_reasons(ctx, ceased)
            out.append(coded_rows(ctx, "ceased_by_reason", labels, codes, len(ceased), w))
    if "cla_during" in ids:
        w = ctx.window("cla_during")
        n_during = len(ctx.cla_during_positions(*w))
        out.append(block("cla_during", d, w, numerator=[n_during], unit="count"))

    pos = ctx.cla_at_positions()
    coded = {  # labels worked out once per distinct code, counted at each period end
        "cla_by_placement_group": ("held_PLACE", placement_group),
        "cla_by_legal_status": ("LS", legal_status_group),
        "cla_by_sex": ("SEX", sex_group),
        "cla_by_ethnic_group": ("ETHNIC", ethnic_group),
        "cla_by_provider": ("PLACE_PROVIDER", provider_code),
        "cla_by_cin": ("CIN", cin_code),
    }
    for indicator_id in ("cla_by_placement_group", "cla_by_legal_status"):
        if indicator_id in ids:
            out.append(_coded_breakdown(ctx, indicator_id, *coded[indicator_id], pos, n))
    if "cla_by_age_band" in ids:
        ages = ctx.cla_ages()
        out.append(coded_rows(ctx, "cla_by_age_band", AGE_BANDS, age_band_codes(ages), n))
    for indicator_id in ("cla_by_sex", "cla_by_ethnic_group", "cla_by_provider", "cla_by_cin"):
        if indicator_id in ids:
            out.append(_coded_breakdown(ctx, indicator_id, *coded[indicator_id], pos, n))
    if "cla_by_provider" in ids:
        _code_findings(ctx, "PLACE_PROVIDER", BREAKDOWN_GROUPS["provider"], "cla_by_provider")
    if "cla_by_cin" in ids:
        _code_findings(ctx, "CIN", BREAKDOWN_GROUPS["cin"], "cla_by_cin")

    if "cla_uasc" in ids:
        num = int(uasc_at(ctx).sum())
        out.append(
            block(
                "cla_uasc",
                d,
                ctx.window("cla_uasc"),
                numerator=[num],
                denominator=[n],
                unit="percent",
            )
        )
    return out
