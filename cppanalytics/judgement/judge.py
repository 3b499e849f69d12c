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
from cppanalytics.judgement.comparators import load_comparators, polarity
from cppanalytics.judgement.neighbours import SUMMARIES, load_neighbours, neighbours
from cppanalytics.judgement.rag import direction, rag
from cppanalytics.judgement.small_numbers import significance_notes, small_number_intervals
from cppanalytics.judgement.targets import as_targets
from cppanalytics.results import RESULT_COLUMNS, normalise_results

JUDGE_COLUMNS: list[str] = [
    "england", "region", "neighbours", "comparator_year", "la_published", "quartile", "rank",
    "n_councils", "polarity", "target", "tolerance", "rag", "previous_quarter",
    "same_quarter_last_year", "last_march", "direction_quarter", "direction_year", "ci_low",
    "ci_high", "significance_note",
]
_SERIES_KEY = ["indicator_id", "breakdown", "group", "_kind"]


def _window_kinds(period_end: pd.Timestamp, start: pd.Timestamp, end: pd.Timestamp
                  ) -> list[str]:
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
        columns={"_kinds": "_kind", "period_end": "_at", "value": name})
    table = table.drop_duplicates([*_SERIES_KEY, "_at"])
    probe = res[_SERIES_KEY].assign(_at=dates.to_numpy())
    return probe.merge(table, on=[*_SERIES_KEY, "_at"], how="left")[name].to_numpy()


def _comparators(comparators: pd.DataFrame | str | Path | None) -> pd.DataFrame:
    if comparators is None or isinstance(comparators, str | Path):
        return load_comparators(comparators)
    missing = {"indicator_id", "year", "geography_level", "la_code_old", "region_code",
               "value"} - set(comparators.columns)
    if missing:
        raise CppError(f"comparator table lacks column(s) {', '.join(sorted(missing))}; use "
                       f"load_comparators() or `cppanalytics comparators build`")
    return comparators


def _rank(values: np.ndarray, others: dict[tuple[str, int], np.ndarray], keys: list,
          pols: list[str]) -> tuple[np.ndarray, np.ndarray, list[str]]:
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
            bands[i] = "A" if share <= 0.25 else "B" if share <= 0.5 else "C" if share <= 0.75 \
                else "D"
    return ranks, counts, bands


def judge(results: pd.DataFrame, *, la_code: str,
          comparators: pd.DataFrame | str | Path | None = None,
          targets: pd.DataFrame | str | Path | dict | None = None,
          neighbour_model: str = "2025", neighbour_summary: str = "mean") -> pd.DataFrame:
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
        raise CppError(f"unknown neighbour_summary {neighbour_summary!r}; use 'mean' (as "
                       f"LAIT) or 'median' (as DfE's dashboard)")
    council = resolve(la_code)
    extra = [c for c in results.columns if c not in RESULT_COLUMNS and c not in JUDGE_COLUMNS]
    res = normalise_results(results)
    for col in extra:
        res[col] = results[col].to_numpy()
    comp = _comparators(comparators)
    comp = comp[comp["value"].notna()]
    nbrs = neighbours(council.old_code, str(neighbour_model), load_neighbours())

    headline = (res["breakdown"] == "").to_numpy()
    res["_kinds"] = [_window_kinds(p, s, e) for p, s, e in
                     zip(res["period_end"], res["window_start"], res["window_end"], strict=True)]
    res["_kind"] = res["window"]  # the contract carries the series' window kind
    # comparators: the latest published 31 March on or before the period end
    res["_cutoff"] = last_marches(res["period_end"]).dt.year.astype("int64")

    # comparator year: latest published year <= cutoff, per indicator
    # merge_asof needs identical key dtypes: text storage may differ (python vs pyarrow)
    years = comp[["indicator_id", "year"]].drop_duplicates().astype(
        {"year": "int64", "indicator_id": object})
    probe = res[["indicator_id", "_cutoff"]].reset_index().astype({"indicator_id": object})
    matched = probe.sort_values("_cutoff").pipe(
        lambda p: pd.merge_asof(p, years.sort_values("year"), left_on="_cutoff",
                                right_on="year", by="indicator_id", direction="backward")
    ).set_index("index").sort_index()
    comp_year = matched["year"].where(headline)
    res["comparator_year"] = comp_year.astype("Int64").to_numpy()

    la = comp[comp.geography_level == "la"]
    summaries = [
        comp[comp.geography_level == "england"].groupby(["indicator_id", "year"])["value"]
        .first().rename("england"),
        comp[(comp.geography_level == "region") & (comp.region_code == council.region_code)]
        .groupby(["indicator_id", "year"])["value"].first().rename("region"),
        la[la.la_code_old.isin(nbrs)].groupby(["indicator_id", "year"])["value"]
        .agg(neighbour_summary).rename("neighbours"),
        la[la.la_code_old == council.old_code].groupby(["indicator_id", "year"])["value"]
        .first().rename("la_published"),
    ]
    table = pd.concat(summaries, axis=1).reset_index()
    keyed = pd.DataFrame({"indicator_id": res["indicator_id"],
                          "year": res["comparator_year"].astype("float64")})
    table["year"] = table["year"].astype("float64")
    joined = keyed.merge(table, on=["indicator_id", "year"], how="left")
    for col in ("england", "region", "neighbours", "la_published"):
        res[col] = joined[col].to_numpy(dtype="float64")

    tgt = as_targets(targets)
    pol_override = dict(zip(tgt["indicator_id"], tgt["polarity"], strict=True))
    res["polarity"] = [pol_override.get(i) or polarity(i) for i in res["indicator_id"]]

    others = {
        (ind, int(yr)): grp["value"].to_numpy(dtype="float64")
        for (ind, yr), grp in la[la.la_code_old != council.old_code].groupby(
            ["indicator_id", "year"])
    }
    keys = [(i, int(y)) if not pd.isna(y) else None
            for i, y in zip(res["indicator_id"], res["comparator_year"], strict=True)]
    ranks, counts, bands = _rank(res["value"].to_numpy(dtype="float64"), others, keys,
                                 res["polarity"].tolist())
    res["quartile"] = bands
    res["rank"] = pd.array(ranks, dtype="Float64").astype("Int64")
    res["n_councils"] = pd.array(counts, dtype="Float64").astype("Int64")

    t = res[["indicator_id"]].merge(tgt[["indicator_id", "target", "tolerance"]],
                                    on="indicator_id", how="left")
    res["target"] = t["target"].to_numpy(dtype="float64")
    res["tolerance"] = t["tolerance"].to_numpy(dtype="float64")
    res["rag"] = rag(res["value"], res["target"], res["tolerance"], res["polarity"].tolist(),
                     res["unit"].tolist())

    res["previous_quarter"] = _lookup(res, _months_back(res["period_end"], 3), "previous_quarter")
    res["same_quarter_last_year"] = _lookup(res, _months_back(res["period_end"], 12), "ly")
    res["last_march"] = _lookup(res, last_marches(res["period_end"], strictly_before=True), "lm")
    res["direction_quarter"] = direction(res["value"], res["previous_quarter"],
                                         res["polarity"].tolist(), res["unit"].tolist())
    res["direction_year"] = direction(res["value"], res["same_quarter_last_year"],
                                      res["polarity"].tolist(), res["unit"].tolist())

    res["ci_low"], res["ci_high"] = small_number_intervals(res)
    res["significance_note"] = significance_notes(res)
    if council.note:
        res["note"] = [f"{n}; {council.note}" if n else council.note for n in res["note"]]
    return res[[*RESULT_COLUMNS, *extra, *JUDGE_COLUMNS]]
