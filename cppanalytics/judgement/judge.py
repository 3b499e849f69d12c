"""``judge()``: add comparators, targets, RAG, direction of travel and small-number notes
to results-contract rows.

Columns added (:data:`JUDGE_COLUMNS`), consumed by the report:

``england``, ``region``, ``neighbours``
    DfE's published figure for the indicator in ``comparator_year`` for England, the
    council's region and its statistical neighbours (mean as LAIT, or median as DfE's
    dashboard — ``neighbour_summary``; over the neighbours with a published value).
    Headline rows only (breakdown rows get NaN).
``comparator_year``
    the 31 March year used: the latest year with published figures for that indicator
    whose 31 March is on or before the period end (Int64; NA when none).
``la_published``
    the council's own published figure for ``comparator_year`` (compare with ``value``
    at 31 March to check the replication).
``quartile``, ``rank``, ``n_councils``
    where this row's ``value`` would sit among all councils' published figures for
    ``comparator_year`` (the council's own published figure replaced by ``value``): rank
    1 = best (polarity-aware; for polarity ``neither`` 1 = highest), ``n_councils`` those
    with a figure; ``quartile`` A (best quarter: rank ≤ n/4) … D, ``""`` for polarity
    ``neither``.
``polarity``
    ``up``/``down``/``neither`` (targets file override, else catalogue / local table).
``target``, ``tolerance``, ``rag``
    from the council's targets; ``rag`` red/amber/green (see :mod:`.rag`).
``previous_quarter``, ``same_quarter_last_year``, ``last_march``
    this indicator's value (same breakdown group and window kind) at the period end
    3 and 12 months earlier and at the latest 31 March before the period end, from the
    same ``results`` frame (NaN when not there).
``direction_quarter``, ``direction_year``
    direction of travel against ``previous_quarter`` / ``same_quarter_last_year``.
``ci_low``, ``ci_high``, ``significance_note``
    95% Wilson interval (percent rows with a denominator under 20) and a plain sentence
    on whether the gap to England and the change since last year are significant.
``n_neighbours``, ``neighbour_summary``
    how many of the council's statistical neighbours have a published figure in
    ``comparator_year`` (the neighbour figure is their ``neighbour_summary``, ``mean`` or
    ``median``, over those); NA where no neighbour figure is shown.
``judged_as``
    how the row is judged: ``""`` (a full-year or point-in-time figure: compared and rated
    as usual), ``"rolling 12 months"`` (a 12-month window ending at an in-year quarter,
    compared with full-year figures), ``"in year, not rated"`` (a running total over part
    of the year, see below) or ``"a count: not compared"``.
``projected_value``, ``projection_note``
    for an in-year running total that is a count: the figure projected to 31 March at the
    pace since 1 April, and how.

In-year running totals (catalogue ``running_total``: starters, leavers, adoptions, missing,
3+ placements since 1 April) over a window shorter than 12 months are never rated, ranked
or compared with full-year figures: ``rag``, ``quartile``, ``rank``, ``england``,
``region``, ``neighbours`` and ``direction_quarter`` are blank (``direction_year``, against
the same part of last year, stays). The rolling 12 months (``stability_3plus_placements``'s
default window; ``cla_started_rate_per_10k``, ``cla_ceased_rate_per_10k``) carry the
comparison instead. Counts (``unit`` count) are never compared with other areas: England's,
a region's or neighbours' counts say nothing about a council of another size; rates do.

Examples
--------
>>> from cppanalytics.results import result_rows
>>> r = result_rows("health_assessment", "2025-03-31", ("2024-04-01", "2025-03-31"),
...                 numerator=[9], denominator=[10], unit="percent")
>>> j = judge(r, la_code="826", targets={"health_assessment": {"target": 95, "tolerance": 5}})
>>> int(j.loc[0, "comparator_year"]), j.loc[0, "rag"], j.loc[0, "polarity"]
(2025, 'amber', 'up')
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from cppanalytics.dates import WINDOW_KINDS, last_marches, window
from cppanalytics.errors import CppError
from cppanalytics.geography.councils import resolve
from cppanalytics.indicators import catalogue
from cppanalytics.judgement.comparators import load_comparators, polarity
from cppanalytics.judgement.disclosure import round_half_up
from cppanalytics.judgement.neighbours import SUMMARIES, load_neighbours, neighbours
from cppanalytics.judgement.rag import IN_YEAR, direction, rag
from cppanalytics.judgement.small_numbers import significance_notes, small_number_intervals
from cppanalytics.judgement.targets import as_targets
from cppanalytics.results import RESULT_COLUMNS, normalise_results

JUDGE_COLUMNS: list[str] = [
    "england",
    "region",
    "neighbours",
    "comparator_year",
    "la_published",
    "quartile",
    "rank",
    "n_councils",
    "polarity",
    "target",
    "tolerance",
    "rag",
    "previous_quarter",
    "same_quarter_last_year",
    "last_march",
    "direction_quarter",
    "direction_year",
    "ci_low",
    "ci_high",
    "significance_note",
    "n_neighbours",
    "neighbour_summary",
    "judged_as",
    "projected_value",
    "projection_note",
]

ROLLING = "rolling 12 months"
COUNT_NOT_COMPARED = "a count: not compared"
_SERIES_KEY = ["indicator_id", "breakdown", "group", "_kind"]


def _window_kinds(period_end: pd.Timestamp, start: pd.Timestamp, end: pd.Timestamp) -> list[str]:
    """Every window kind matching (start, end) at period_end (at 31 March ``fytd`` and
    ``r12`` coincide), else a ``days:N`` label."""
    kinds = [k for k in WINDOW_KINDS if window(k, period_end) == (start, end)]
    return kinds or [f"days:{(end - start).days}"]


def _months_back(d: pd.Series, months: int) -> pd.Series:
    """``d`` minus ``months``, staying on month ends (30 Jun − 3 months = 31 Mar)."""
    back = d - pd.DateOffset(months=months)
    return back.where(~d.dt.is_month_end, back + pd.offsets.MonthEnd(0))


def _lookup(res: pd.DataFrame, dates: pd.Series, name: str) -> np.ndarray:
    """Value of the same series (indicator, group, window kind) at ``dates``."""
    table = res[["indicator_id", "breakdown", "group", "_kinds", "period_end", "value"]]
    table = table.explode("_kinds").rename(
        columns={"_kinds": "_kind", "period_end": "_at", "value": name}
    )
    table = table.drop_duplicates([*_SERIES_KEY, "_at"])
    probe = res[_SERIES_KEY].assign(_at=dates.to_numpy())
    return probe.merge(table, on=[*_SERIES_KEY, "_at"], how="left")[name].to_numpy()


def _comparators(comparators: pd.DataFrame | str | Path | None) -> pd.DataFrame:
    if comparators is None or isinstance(comparators, str | Path):
        return load_comparators(comparators)
    missing = {
        "indicator_id",
        "year",
        "geography_level",
        "la_code_old",
        "region_code",
        "value",
    } - set(comparators.columns)
    if missing:
        raise CppError(
            f"comparator table lacks column(s) {', '.join(sorted(missing))}; use "
            f"load_comparators() or `cppanalytics comparators build`"
        )
    return comparators


def comparator_summaries(
    comp: pd.DataFrame,
    old_code: str,
    region_code: str,
    nbrs: list[str],
    neighbour_summary: str = "mean",
) -> pd.DataFrame:
    """England, region, neighbours and the council's own published figure per (indicator,
    year) from the comparator table.

    Parameters
    ----------
    comp
        comparator rows with a value (:func:`~cppanalytics.judgement.comparators.load_comparators`).
    old_code, region_code
        the council's old 3-digit code and its region's E12 code.
    nbrs
        the statistical neighbours' old codes.
    neighbour_summary
        ``"mean"`` or ``"median"`` over the neighbours with a figure.

    Returns
    -------
    pandas.DataFrame
        ``indicator_id, year, england, region, neighbours, n_neighbours`` (how many
        neighbours had a figure), ``la_published``.

    Examples
    --------
    >>> c = pd.DataFrame({"indicator_id": ["k"] * 3, "year": [2025] * 3,
    ...     "geography_level": ["england", "la", "la"], "la_code_old": ["", "1", "2"],
    ...     "region_code": ["", "R", "R"], "value": [50.0, 40.0, 60.0]})
    >>> comparator_summaries(c, "1", "R", ["2"])[["england", "neighbours",
    ...     "la_published"]].to_numpy().tolist()
    [[50.0, 60.0, 40.0]]
    """
    la = comp[comp.geography_level == "la"]
    key = ["indicator_id", "year"]
    summaries = [
        comp[comp.geography_level == "england"].groupby(key)["value"].first().rename("england"),
        comp[(comp.geography_level == "region") & (comp.region_code == region_code)]
        .groupby(key)["value"]
        .first()
        .rename("region"),
        la[la.la_code_old.isin(nbrs)]
        .groupby(key)["value"]
        .agg(neighbour_summary)
        .rename("neighbours"),
        la[la.la_code_old.isin(nbrs)].groupby(key)["value"].count().rename("n_neighbours"),
        la[la.la_code_old == old_code].groupby(key)["value"].first().rename("la_published"),
    ]
    out = pd.concat(summaries, axis=1).reset_index()
    for col in ("england", "region", "neighbours", "n_neighbours", "la_published"):
        if col not in out:
            out[col] = np.nan
    return out[[*key, "england", "region", "neighbours", "n_neighbours", "la_published"]]


def published_series(
    ids: list[str],
    *,
    la_code: str,
    comparators: pd.DataFrame | str | Path | None = None,
    neighbour_model: str = "2025",
    neighbour_summary: str = "mean",
    since: int | None = None,
) -> pd.DataFrame:
    """DfE's published figures by year for ``ids``: the council's own, England, its region
    and its statistical neighbours (the Education section's tables and charts, and the
    England-only breakdown figures stored as ``<id>.<group>``).

    Returns
    -------
    pandas.DataFrame
        ``indicator_id, year, england, region, neighbours, n_neighbours, la_published,
        polarity``, one row
        per (indicator, year) with any figure, sorted; years from ``since`` on.

    Raises
    ------
    CppError
        unknown council or neighbour summary; a malformed comparator table.

    Examples
    --------
    >>> s = published_series(["ks4_attainment8"], la_code="E06000042", since=2024)
    >>> s["year"].tolist(), bool(s["england"].notna().all())
    ([2024, 2025], True)
    """
    if neighbour_summary not in SUMMARIES:
        raise CppError(f"unknown neighbour_summary {neighbour_summary!r}; use 'mean' or 'median'")
    council = resolve(la_code)
    comp = _comparators(comparators)
    comp = comp[comp["value"].notna() & comp["indicator_id"].isin(list(ids))]
    if since is not None:
        comp = comp[comp["year"] >= since]
    nbrs = neighbours(council.old_code, str(neighbour_model), load_neighbours())
    out = comparator_summaries(comp, council.old_code, council.region_code, nbrs, neighbour_summary)
    out["year"] = out["year"].astype("int64")
    out["polarity"] = [polarity(i) for i in out["indicator_id"]]
    order = {i: n for n, i in enumerate(ids)}
    out = out.assign(_o=out["indicator_id"].map(order)).sort_values(["_o", "year"])
    return out.drop(columns="_o").reset_index(drop=True)


def _rank(
    values: np.ndarray, others: dict[tuple[str, int], np.ndarray], keys: list, pols: list[str]
) -> tuple[np.ndarray, np.ndarray, list[str]]:
    n = len(values)
    ranks = np.full(n, np.nan)
    counts = np.full(n, np.nan)
    bands = [""] * n
    for i, (key, val, pol) in enumerate(zip(keys, values, pols, strict=True)):
        pool = others.get(key)
        if pool is None or np.isnan(val):
            continue
        better = np.count_nonzero(pool < val) if pol == "down" else np.count_nonzero(pool > val)
        ranks[i] = better + 1
        counts[i] = pool.size + 1
        if pol in ("up", "down"):
            share = ranks[i] / counts[i]
            bands[i] = (
                "A" if share <= 0.25 else "B" if share <= 0.5 else "C" if share <= 0.75 else "D"
            )
    return ranks, counts, bands


def _partial_year(res: pd.DataFrame) -> np.ndarray:
    """True where a row's window is shorter than the 12 months ending its period end."""
    start_12m = res["period_end"] - pd.DateOffset(months=12) + pd.Timedelta(days=1)
    return (res["window_start"] > start_12m).to_numpy(dtype=bool)


def _running(res: pd.DataFrame) -> np.ndarray:
    """True for rows of catalogue running totals."""
    return np.array(
        [
            catalogue.CATALOGUE[i].running_total if i in catalogue.CATALOGUE else False
            for i in res["indicator_id"]
        ],
        dtype=bool,
    )


def _running_fytd(res: pd.DataFrame) -> np.ndarray:
    """Running-total rows of the ``fytd`` series (1 April .. D, including at 31 March)."""
    return _running(res) & (res["_kind"] == "fytd").to_numpy(dtype=bool)


def _judged_as(res: pd.DataFrame) -> np.ndarray:
    """The ``judged_as`` label of each row (see the module docstring)."""
    partial = _partial_year(res)
    march = ((res["period_end"].dt.month == 3) & (res["period_end"].dt.day == 31)).to_numpy()
    twelve = (res["_kind"] == "r12").to_numpy(dtype=bool)
    count = (res["unit"] == "count").to_numpy(dtype=bool)
    out = np.full(len(res), "", dtype=object)
    out[twelve & ~march] = ROLLING
    out[count] = COUNT_NOT_COMPARED
    out[_running(res) & partial] = IN_YEAR
    return out


def year_end_pace(res: pd.DataFrame, in_year: np.ndarray) -> tuple[np.ndarray, list[str]]:
    """Counts since 1 April projected to 31 March at the pace so far, and the note.

    Only in-year running totals that are counts over 1 April .. D get a projection:
    ``value × days in the year ÷ days so far``. The other in-year running totals over
    1 April .. D (the share of children who went missing or were away, incidents per
    child, 3+ placements since 1 April) get no projection and, as the note, why not and
    what to read instead (the catalogue's ``not_projected``).

    Parameters
    ----------
    res
        judged rows with ``indicator_id``, ``period_end``, ``window_start``, ``value``,
        ``unit``.
    in_year
        which rows are in-year running totals.

    Returns
    -------
    (values, notes)
        NaN / ``""`` for every other row.

    Examples
    --------
    >>> r = pd.DataFrame({"period_end": pd.to_datetime(["2024-09-30"]),
    ...     "window_start": pd.to_datetime(["2024-04-01"]), "value": [61.0], "unit": ["count"]})
    >>> v, n = year_end_pace(r, np.array([True]))
    >>> round(float(v[0]), 1), n[0]
    (121.7, '61 in the 183 days since 1 April; at that pace about 122 by 31 March (365 days)')
    """
    d = res["period_end"]
    fy_start = pd.to_datetime((d.dt.year - (d.dt.month < 4).astype(int)).astype(str) + "-04-01")
    year_days = ((fy_start + pd.DateOffset(years=1)) - fy_start).dt.days.to_numpy()
    so_far = ((d - fy_start).dt.days + 1).to_numpy()
    ok = (
        in_year & (res["unit"] == "count").to_numpy() & (res["window_start"] == fy_start).to_numpy()
    )
    value = res["value"].to_numpy(dtype="float64")
    projected = np.where(ok, value * year_days / np.maximum(so_far, 1), np.nan)
    since_april = in_year & (res["window_start"] == fy_start).to_numpy()
    why = (
        [
            catalogue.CATALOGUE[i].not_projected if i in catalogue.CATALOGUE else ""
            for i in res["indicator_id"]
        ]
        if "indicator_id" in res.columns
        else [""] * len(res)
    )
    notes = [
        f"{v:.0f} in the {n} days since 1 April; at that pace about "
        f"{round_half_up(p):.0f} by 31 March ({y} days)"
        if hit and not np.isnan(v)
        else (w if running and not hit else "")
        for hit, running, w, v, n, p, y in zip(
            ok, since_april, why, value, so_far, projected, year_days, strict=True
        )
    ]
    return projected, notes


def judge(
    results: pd.DataFrame,
    *,
    la_code: str,
    comparators: pd.DataFrame | str | Path | None = None,
    targets: pd.DataFrame | str | Path | dict | None = None,
    neighbour_model: str = "2025",
    neighbour_summary: str = "mean",
) -> pd.DataFrame:
    """Results rows in; the same rows plus :data:`JUDGE_COLUMNS` out (see module docstring).

    Parameters
    ----------
    results
        results-contract rows (any number of period ends, headline and breakdown rows;
        extra columns such as ``suppressed`` are kept).
    la_code
        the council: old code, E-code or name (the demo council uses ``"826"``,
        Milton Keynes's comparator profile).
    comparators
        comparator table, or a path to one; default the shipped table.
    targets
        targets frame, file (YAML/CSV) or mapping; default none.
    neighbour_model
        ``"2025"`` or ``"2021"`` (DfE statistical neighbour model).
    neighbour_summary
        ``"mean"`` (as LAIT) or ``"median"`` (as DfE's dashboard).

    Raises
    ------
    CppError
        unknown council, model or summary; malformed targets or comparators.
    """
    if neighbour_summary not in SUMMARIES:
        raise CppError(
            f"unknown neighbour_summary {neighbour_summary!r}; use 'mean' (as "
            f"LAIT) or 'median' (as DfE's dashboard)"
        )
    council = resolve(la_code)
    extra = [c for c in results.columns if c not in RESULT_COLUMNS and c not in JUDGE_COLUMNS]
    res = normalise_results(results)
    for col in extra:
        res[col] = results[col].to_numpy()
    comp = _comparators(comparators)
    comp = comp[comp["value"].notna()]
    nbrs = neighbours(council.old_code, str(neighbour_model), load_neighbours())

    headline = (res["breakdown"] == "").to_numpy()
    triples = list(zip(res["period_end"], res["window_start"], res["window_end"], strict=True))
    kinds = {t: _window_kinds(*t) for t in set(triples)}  # a few distinct windows, many rows
    res["_kinds"] = [kinds[t] for t in triples]
    res["_kind"] = res["window"]  # the contract carries the series' window kind
    # comparators: the latest published 31 March on or before the period end
    res["_cutoff"] = last_marches(res["period_end"]).dt.year.astype("int64")

    # comparator year: latest published year <= cutoff, per indicator
    # merge_asof needs identical key dtypes: text storage may differ (python vs pyarrow)
    years = (
        comp[["indicator_id", "year"]]
        .drop_duplicates()
        .astype({"year": "int64", "indicator_id": object})
    )
    probe = res[["indicator_id", "_cutoff"]].reset_index().astype({"indicator_id": object})
    matched = (
        probe.sort_values("_cutoff")
        .pipe(
            lambda p: pd.merge_asof(
                p,
                years.sort_values("year"),
                left_on="_cutoff",
                right_on="year",
                by="indicator_id",
                direction="backward",
            )
        )
        .set_index("index")
        .sort_index()
    )
    comp_year = matched["year"].where(headline)
    res["comparator_year"] = comp_year.astype("Int64").to_numpy()

    la = comp[comp.geography_level == "la"]
    table = comparator_summaries(
        comp, council.old_code, council.region_code, nbrs, neighbour_summary
    )
    keyed = pd.DataFrame(
        {"indicator_id": res["indicator_id"], "year": res["comparator_year"].astype("float64")}
    )
    table["year"] = table["year"].astype("float64")
    joined = keyed.merge(table, on=["indicator_id", "year"], how="left")
    for col in ("england", "region", "neighbours", "la_published", "n_neighbours"):
        res[col] = joined[col].to_numpy(dtype="float64")
    judged_as = _judged_as(res)
    res["judged_as"] = judged_as
    not_compared = np.isin(judged_as, [IN_YEAR, COUNT_NOT_COMPARED])
    res.loc[not_compared, ["england", "region", "neighbours", "n_neighbours"]] = np.nan
    res["n_neighbours"] = (
        res["n_neighbours"].where(res["neighbours"].notna()).astype("Float64").astype("Int64")
    )
    res["neighbour_summary"] = np.where(res["neighbours"].notna(), neighbour_summary, "")

    tgt = as_targets(targets)
    pol_override = dict(zip(tgt["indicator_id"], tgt["polarity"], strict=True))
    res["polarity"] = [pol_override.get(i) or polarity(i) for i in res["indicator_id"]]

    others = {
        (ind, int(yr)): grp["value"].to_numpy(dtype="float64")
        for (ind, yr), grp in la[la.la_code_old != council.old_code].groupby(
            ["indicator_id", "year"]
        )
    }
    keys = [
        (i, int(y)) if not pd.isna(y) else None
        for i, y in zip(res["indicator_id"], res["comparator_year"], strict=True)
    ]
    ranks, counts, bands = _rank(
        res["value"].to_numpy(dtype="float64"), others, keys, res["polarity"].tolist()
    )
    ranks[not_compared] = np.nan
    counts[not_compared] = np.nan
    res["quartile"] = np.where(not_compared, "", np.asarray(bands, dtype=object))
    res["rank"] = pd.array(ranks, dtype="Float64").astype("Int64")
    res["n_councils"] = pd.array(counts, dtype="Float64").astype("Int64")

    t = res[["indicator_id"]].merge(
        tgt[["indicator_id", "target", "tolerance"]], on="indicator_id", how="left"
    )
    res["target"] = t["target"].to_numpy(dtype="float64")
    res["tolerance"] = t["tolerance"].to_numpy(dtype="float64")
    res["rag"] = rag(
        res["value"],
        res["target"],
        res["tolerance"],
        res["polarity"].tolist(),
        res["unit"].tolist(),
    )
    in_year = judged_as == IN_YEAR
    res.loc[in_year, "rag"] = ""

    res["previous_quarter"] = _lookup(res, _months_back(res["period_end"], 3), "previous_quarter")
    res["same_quarter_last_year"] = _lookup(res, _months_back(res["period_end"], 12), "ly")
    res["last_march"] = _lookup(res, last_marches(res["period_end"], strictly_before=True), "lm")
    res["direction_quarter"] = direction(
        res["value"], res["previous_quarter"], res["polarity"].tolist(), res["unit"].tolist()
    )
    res["direction_year"] = direction(
        res["value"], res["same_quarter_last_year"], res["polarity"].tolist(), res["unit"].tolist()
    )
    # a running total since 1 April only grows from quarter to quarter
    running = _running_fytd(res)
    res.loc[running, "direction_quarter"] = ""
    res["projected_value"], res["projection_note"] = year_end_pace(res, in_year)

    res["ci_low"], res["ci_high"] = small_number_intervals(res)
    res["significance_note"] = significance_notes(res)
    if council.note:
        res["note"] = [f"{n}; {council.note}" if n else council.note for n in res["note"]]
    return res[[*RESULT_COLUMNS, *extra, *JUDGE_COLUMNS]]
