"""``compute``: the public entry point from a 903 dataset to the tidy results table.

Indicator ids are dispatched to the module of their catalogue section
(:data:`SECTION_MODULES`); each module exposes ``IDS`` and ``compute(ctx, ids)``. The
building blocks are prepared once and shared by every period end. Computation findings go
to ``findings`` (duplicates across period ends written once).

Examples
--------
>>> from cppanalytics.ssda903.dataset import Dataset
>>> ds = Dataset.from_tables({"episodes": pd.DataFrame({"CHILD": ["1", "2"],
...     "DECOM": ["01/04/2023", "01/05/2023"], "RNE": ["S", "S"], "LS": ["C2", "V2"],
...     "PLACE": ["U4", "K2"], "DEC": ["", "31/03/2024"], "REC": ["", "E4A"]})})
>>> r = compute(ds, "2024-03-31", ids=["cla_count", "cla_ceased"])
>>> r[["indicator_id", "value"]].values.tolist()
[['cla_count', 1.0], ['cla_ceased', 1.0]]
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType
from typing import TypeAlias

import pandas as pd

from cppanalytics.care.prepared import PreparedEpisodes
from cppanalytics.dates import as_date
from cppanalytics.errors import CppError
from cppanalytics.findings import Findings
from cppanalytics.indicators.catalogue import CATALOGUE
from cppanalytics.indicators.context import Context, check_windows
from cppanalytics.indicators.parallel import child_share, compute_split, end_share, split_by
from cppanalytics.indicators.population import read_population
from cppanalytics.indicators.repeats import mark_repeats_dropped
from cppanalytics.indicators.settings import Settings
from cppanalytics.results import Block, rows_frame
from cppanalytics.ssda903.dataset import Dataset
from cppanalytics.string_storage import with_python_strings

#: catalogue section → indicator module in :mod:`cppanalytics.indicators`
SECTION_MODULES: dict[str, str] = {
    "population": "population",
    "stability": "stability",
    "location": "location",
    "adoption": "adoption",
    "health": "health",
    "care_leavers": "care_leavers",
    "missing": "missing",
    "social_workers": "social_workers",
    "reviews": "reviews",
    "sufficiency": "sufficiency",
}

PeriodEnds: TypeAlias = str | pd.Timestamp | Sequence[str | pd.Timestamp]


def _period_ends(period_end: PeriodEnds) -> list[pd.Timestamp]:
    """Normalise one or many period ends to a list of Timestamps (order kept, no repeats)."""
    values = [period_end] if isinstance(period_end, str | pd.Timestamp) else list(period_end)
    out: list[pd.Timestamp] = []
    for v in values:
        try:
            d = (
                as_date(pd.to_datetime(v.strip(), format="%Y-%m-%d"))
                if isinstance(v, str)
                else as_date(v)
            )
        except (ValueError, TypeError) as exc:
            raise CppError(f"period end {v!r} is not a date; write it as YYYY-MM-DD.") from exc
        if d not in out:
            out.append(d)
    if not out:
        raise CppError("no period end given; pass at least one date (YYYY-MM-DD).")
    return out


def _requested_ids(ids: Sequence[str] | None) -> list[str]:
    """Validate requested ids (catalogue order kept for ``None``)."""
    if ids is None:
        return list(CATALOGUE)
    if isinstance(ids, str):
        ids = [ids]
    unknown = [i for i in ids if i not in CATALOGUE]
    if unknown:
        raise CppError(
            f"unknown indicator id(s): {', '.join(unknown)}; see "
            "`cppanalytics.indicators.catalogue.ids()` for the catalogue."
        )
    return list(dict.fromkeys(ids))


def _modules(
    ids: list[str], explicit: bool, findings: Findings
) -> list[tuple[ModuleType, set[str]]]:
    """Import the modules owning ``ids``; a module not yet available is an error when ids
    were asked for explicitly, else a finding."""
    by_module: dict[str, set[str]] = {}
    for i in ids:
        by_module.setdefault(SECTION_MODULES[CATALOGUE[i].section], set()).add(i)
    out: list[tuple[ModuleType, set[str]]] = []
    for name, wanted in by_module.items():
        try:
            module = importlib.import_module(f"cppanalytics.indicators.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"cppanalytics.indicators.{name}":
                raise
            if explicit:
                raise CppError(
                    f"indicator(s) {', '.join(sorted(wanted))} cannot be computed: "
                    f"module cppanalytics.indicators.{name} is not available."
                ) from exc
            findings.add(
                "warning",
                "indicator_module_missing",
                message=(
                    f"Indicators {', '.join(sorted(wanted))} were not computed: module "
                    f"cppanalytics.indicators.{name} is not available."
                ),
                fix="Install the complete cppanalytics package.",
                indicators=sorted(wanted),
            )
            continue
        owned = set(getattr(module, "IDS", ()))
        missing = wanted - owned
        if missing:
            raise CppError(
                f"indicator(s) {', '.join(sorted(missing))} are not computed by "
                f"cppanalytics.indicators.{name}."
            )
        out.append((module, wanted))
    return out


@with_python_strings
def compute(
    data: Dataset,
    period_end: PeriodEnds,
    ids: Sequence[str] | None = None,
    windows: dict[str, str] | None = None,
    settings: Settings | None = None,
    *,
    population: pd.DataFrame | str | Path | None = None,
    la_code: str | None = None,
    findings: Findings | None = None,
    parallel: bool | None = None,
    prepared: PreparedEpisodes | None = None,
) -> pd.DataFrame:
    """Compute indicators at one or more period ends (results contract, stacked).

    Parameters
    ----------
    data
        the 903 dataset (:func:`cppanalytics.ssda903.load` or ``Dataset.from_tables``).
    period_end
        a date or a sequence of dates (``YYYY-MM-DD`` text or Timestamps).
    ids
        catalogue ids to compute (default: the whole catalogue). Unknown ids raise
        :class:`~cppanalytics.errors.CppError` naming them.
    windows
        per-indicator window override ``{id: kind}`` (``point``, ``fytd``, ``r12``, ``q``,
        ``r24``, ``r36``).
    settings
        engine settings (:class:`~cppanalytics.indicators.settings.Settings`).
    population
        ONS 0-17 population: a DataFrame or CSV path with ``year,population[,la_code]``.
    la_code
        the council's code (default ``data.la_code``); needed for in/out of area.
    findings
        collector for computation findings (data-quality issues found while computing).
    parallel
        compute on two processes (:mod:`cppanalytics.indicators.parallel`; the same
        results and findings either way): ``None`` when worthwhile (not on one CPU, in a
        Dask worker, for a small dataset at few period ends or with
        ``CPPANALYTICS_PARALLEL=0``; split by period ends for a small dataset at many;
        for any size with ``CPPANALYTICS_PARALLEL=1``), ``False`` never, ``True``
        whenever the system can fork.
    prepared
        ``data``'s episodes prepared as it loaded
        (:class:`~cppanalytics.care.prepared.EarlyPreparation`, the loader's
        ``episodes_ready``): the care building blocks are made from them instead of
        preparing the episodes again (the same blocks; ignored unless prepared from
        ``data.episodes`` itself under ``settings``' placement rules).

    Returns
    -------
    pandas.DataFrame
        results-contract rows for every requested id at every period end; every breakdown
        group written; values unrounded.

    Examples
    --------
    >>> from cppanalytics.ssda903.dataset import Dataset
    >>> compute(Dataset(), ["2024-03-31", "2024-06-30"], ids=["cla_count"])["value"].tolist()
    [0.0, 0.0]
    """
    ends = _period_ends(period_end)
    wanted = _requested_ids(ids)
    windows = check_windows(windows)
    la_code = la_code if la_code is not None else data.la_code
    pop = read_population(population, la_code)

    def start(
        early: PreparedEpisodes | None = None,
    ) -> tuple[Context, list[tuple[ModuleType, set[str]]]]:
        """The modules and the base context, its building blocks prepared (from
        ``early`` where given)."""
        local = Findings()
        modules = _modules(wanted, ids is not None, local)
        base = Context(data, ends[0], settings, windows, pop, la_code, local, prepared=early)
        base.care.cache["period_ends"] = ends  # lets per-dataset caches batch their look-ups
        mark_repeats_dropped(base)  # repeated findings are dropped below: written once each
        return base, modules

    base, modules = start(prepared)
    names = [m.__name__.rsplit(".", 1)[-1] for m, _ in modules]
    split: tuple[list[Block], pd.DataFrame] | None = None
    by = split_by(parallel, len(base.care.episodes), len(ends), len(modules))
    if by is not None:
        child = child_share(names, len(ends)) if by == "modules" else end_share(len(ends))
        if child:
            base.build_shared_blocks()  # built once here, not by both processes
            split = compute_split(base, ends, modules, child, findings is not None, by)
            if split is None:  # the second process was lost: all again, here
                base, modules = start()
    if split is not None:
        blocks, found = split
    else:
        blocks = []
        for d in ends:
            ctx = base.at(d)
            for module, module_ids in modules:
                blocks.extend(module.compute(ctx, module_ids))
        found = base.findings.to_frame() if findings is not None else pd.DataFrame()
    if findings is not None and len(found):
        findings.extend(found.drop_duplicates())
    results = rows_frame(blocks)
    order = {i: n for n, i in enumerate(CATALOGUE)}
    results["_o"] = results["indicator_id"].map(order)
    results["_p"] = results["period_end"]
    results = results.sort_values(["_p", "_o"], kind="stable").drop(columns=["_o", "_p"])
    return results.reset_index(drop=True)
