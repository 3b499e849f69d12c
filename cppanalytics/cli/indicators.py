"""``cppanalytics indicators``: compute the indicator catalogue from a 903 folder to a CSV.

Loads the data with :func:`cppanalytics.ssda903.load`, computes the requested indicators at
every period end with :func:`cppanalytics.indicators.compute`, writes the results CSV
(results contract) and, next to it, ``<out stem>_findings.csv`` holding every finding from
loading and computing. The population comes from ``--population`` or ``population.csv`` in
the data folder (if present).

Exit status: 0 done; 1 done, but forced (``--allow-incomplete``) past a collection year
whose Header or Episodes table is missing or unusable; 2 refused (bad arguments, unusable
data, or a period end outside the data's collection years or depending on an incomplete
year, see :func:`cppanalytics.ssda903.coverage.check_period_ends`).

Examples
--------
``cppanalytics indicators --data data/synthetic --quarters 2025-06-30 2026-03-31
--la-code E06000042 --out out/results.csv``
"""

from __future__ import annotations

import argparse
import datetime
import importlib
import sys
import time
from pathlib import Path

from cppanalytics.cli import add_findings_option, tell
from cppanalytics.errors import CppError

# pandas and the engine are imported where used, so ``--help`` and argument errors stay
# quick (building the parser imports this module)


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``indicators`` sub-command."""
    parser = subparsers.add_parser(
        "indicators",
        help="compute indicators from a 903 folder to a results CSV",
        description="Compute the indicator catalogue (or chosen ids) at one or more period "
        "ends and write the tidy results CSV, with a findings CSV next to it.",
    )
    parser.add_argument("--data", required=True, help="folder (or file) holding the 903 files")
    parser.add_argument(
        "--period-end",
        action="append",
        default=[],
        metavar="YYYY-MM-DD",
        help="a period end; repeat for several",
    )
    parser.add_argument(
        "--quarters",
        nargs=2,
        metavar=("FROM", "TO"),
        help="every quarter end from FROM to TO (inclusive)",
    )
    parser.add_argument(
        "--id",
        action="append",
        dest="ids",
        metavar="ID",
        help="indicator id to compute; repeat for several (default: all)",
    )
    parser.add_argument(
        "--population",
        metavar="FILE",
        help="CSV year,population[,la_code] (default: population.csv in --data)",
    )
    parser.add_argument("--la-code", help="the council's ONS code (e.g. E06000042)")
    parser.add_argument(
        "--all-councils",
        action="store_true",
        help="every council in pooled files (LA column) or in folders named "
        "by council code, one results table with an la_code column; "
        "partitioned by council on Dask",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=2,
        help="with --all-councils: local Dask worker processes (1: in this process; default 2)",
    )
    parser.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="with --all-councils: a running Dask scheduler, tcp://host:8786",
    )
    parser.add_argument(
        "--window",
        action="append",
        default=[],
        metavar="ID=KIND",
        help="override an indicator's window (point, fytd, r12, q, r24, r36)",
    )
    parser.add_argument(
        "--allow-incomplete",
        action="store_true",
        help="compute period ends that depend on a collection year whose "
        "Header or Episodes table is missing or unusable (refused otherwise); "
        "the results are written with a warning and exit status 1",
    )
    parser.add_argument("--out", required=True, help="results CSV to write")
    add_findings_option(parser)
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="load the files afresh and keep no copy (by default a loaded "
        "extract is kept as Parquet in .cppanalytics-cache beside the "
        "data, keyed by the files' contents, and reused)",
    )
    parser.set_defaults(func=_run)


def parse_windows(items: list[str]) -> dict[str, str]:
    """``["cla_started=q"]`` → ``{"cla_started": "q"}``; a malformed item is a CppError.

    Examples
    --------
    >>> parse_windows(["cla_started=q"])
    {'cla_started': 'q'}
    """
    out: dict[str, str] = {}
    for item in items:
        key, sep, kind = item.partition("=")
        if not sep or not key.strip() or not kind.strip():
            raise CppError(f"--window {item!r}: write it as ID=KIND, e.g. cla_started=q.")
        out[key.strip()] = kind.strip()
    return out


def period_ends(single: list[str], quarters: list[str] | None) -> list:
    """The period ends asked for: each ``--period-end`` plus the ``--quarters`` range.

    Examples
    --------
    >>> [d.strftime("%Y-%m-%d") for d in period_ends([], ["2024-01-01", "2024-07-01"])]
    ['2024-03-31', '2024-06-30']
    """
    from cppanalytics.dates import as_date, quarter_ends

    ends = []
    for text in single:
        try:
            ends.append(as_date(text))
        except ValueError as exc:
            raise CppError(f"--period-end {text!r} is not a date; use YYYY-MM-DD.") from exc
    if quarters:
        try:
            first, last = as_date(quarters[0]), as_date(quarters[1])
        except ValueError as exc:
            raise CppError(f"--quarters {' '.join(quarters)}: use two dates YYYY-MM-DD.") from exc
        found = quarter_ends(first, last)
        if not found:
            raise CppError(f"--quarters {' '.join(quarters)}: no quarter end in that range.")
        ends.extend(found)
    if not ends:
        raise CppError("give at least one --period-end YYYY-MM-DD or --quarters FROM TO.")
    return sorted(set(ends))


def _run(args: argparse.Namespace) -> int:
    """Run the sub-command; returns the exit status.

    One council's CSV files start being read (:func:`~cppanalytics.ssda903.plainread.start`,
    pyarrow only) before pandas and the engine are imported, so reading and importing
    overlap; whatever the run does not take is dropped when it ends. Not when the load
    will likely come from the load cache
    (:func:`~cppanalytics.ssda903.cache_hint.likely_cached`): the files would be parsed
    for nothing, beside the import, slowing it. Both imports are
    made with the garbage collector paused and their objects then frozen
    (:func:`~cppanalytics.cli.lasting_imports`).
    """
    from cppanalytics.cli import lasting_imports

    with lasting_imports():
        from cppanalytics.ssda903.cache_hint import likely_cached
        from cppanalytics.ssda903.plainread import forget, start
    if not args.all_councils and Path(args.data).exists():
        today = datetime.date.today().isoformat()  # (the load's "today": the cache's key)
        if args.no_cache or not likely_cached([args.data], args.la_code, today):
            start([args.data])
    try:
        with lasting_imports():
            _import_engine()
        return _run_started(args)
    finally:
        forget()


#: the modules a run uses, imported before its work starts (:func:`_import_engine`)
ENGINE_MODULES: tuple[str, ...] = (
    "cppanalytics.findings",
    "cppanalytics.indicators",
    "cppanalytics.pipeline",
    "cppanalytics.results",
    "cppanalytics.ssda903.cache",
    "cppanalytics.ssda903.coverage",
    "cppanalytics.writing",
)


def _import_engine() -> None:
    """Import :data:`ENGINE_MODULES` (pandas and the engine), as :func:`_run_started` is
    about to."""
    for name in ENGINE_MODULES:
        importlib.import_module(name)


def _run_started(args: argparse.Namespace) -> int:
    """:func:`_run`, the files' reading begun."""
    from cppanalytics.care.prepared import EarlyPreparation
    from cppanalytics.cli import keep_until_exit
    from cppanalytics.indicators import compute
    from cppanalytics.indicators.settings import Settings
    from cppanalytics.pipeline import default_population_file
    from cppanalytics.results import write_results
    from cppanalytics.ssda903.cache import load_cached
    from cppanalytics.ssda903.coverage import check_period_ends
    from cppanalytics.writing import check_writable, write_csv

    ends = period_ends(args.period_end, args.quarters)
    windows = parse_windows(args.window)
    data_path = Path(args.data)
    if not data_path.exists():
        raise CppError(f"--data {args.data}: no such file or folder.")
    out_path = Path(args.out)
    if not out_path.exists() or out_path.is_file():  # (not a device such as /dev/stdout)
        check_writable(out_path.parent, what="results folder")  # before the long work
    population = args.population
    if population is None and data_path.is_dir():
        population = default_population_file(data_path)
    started = time.perf_counter()
    if args.all_councils:
        return _run_all_councils(args, ends, windows, data_path, population, started)
    tell(
        f"data {data_path}; {len(ends)} period end(s) {ends[0]:%d/%m/%Y} to "
        f"{ends[-1]:%d/%m/%Y}; council {args.la_code or '(from the data)'}; population "
        f"{population or '(none)'}; load cache {'off' if args.no_cache else 'on'}",
        level=2,
    )
    # the episodes prepared for computing as soon as they are loaded, while the other
    # tables are built (the default placement rules: the command's settings)
    early = EarlyPreparation(**Settings().care_rules())
    data = load_cached(
        data_path,
        la_code=args.la_code,
        use_cache=not args.no_cache,
        episodes_ready=early,
        header_ready=early.header_ready,
    )
    loaded = time.perf_counter()
    tell(f"load {loaded - started:.1f} s", level=2)
    incomplete = check_period_ends(data, ends, allow_incomplete=args.allow_incomplete)
    la_code = args.la_code or data.la_code
    # the load's findings as held (a large extract's superseded rows as arrays: the
    # summary CSV counts them without making them rows)
    findings = data.collected_findings()
    for text in incomplete:
        findings.add(
            "error",
            "period_incomplete_year",
            message=text,
            fix="Fix or add the collection year's Header and Episodes files.",
            action="loaded",
        )
    results = compute(
        data,
        ends,
        ids=args.ids,
        windows=windows,
        population=population,
        la_code=la_code,
        findings=findings,
        prepared=early.prepared,
    )
    computed = time.perf_counter()
    tell(f"compute {computed - loaded:.1f} s", level=2)
    out = write_results(results, args.out)
    findings_path = out.with_name(f"{out.stem}_findings.csv")
    frame = findings.summary(args.findings)
    write_csv(frame, findings_path, what="findings CSV")
    counts = findings.counts()
    elapsed = time.perf_counter() - started
    tell(f"write {elapsed - (computed - started):.1f} s", level=2)
    print(
        f"{len(results)} result rows for {results['indicator_id'].nunique()} indicators at "
        f"{len(ends)} period end(s) ({ends[0]:%d/%m/%Y} to {ends[-1]:%d/%m/%Y}) -> {out}"
    )
    print(
        f"findings: {counts['error']} errors, {counts['warning']} warnings, "
        f"{counts['info']} info -> {findings_path}"
    )
    if population is None:
        tell("no population file: cla_rate_per_10k is empty (give --population FILE)")
    if la_code is None:
        tell("council code unknown: in/out of area is empty (give --la-code CODE)")
    tell(f"done in {elapsed:.1f} s")
    # left to the process's end, not freed cell by cell on return (about 0.1 s at 1M)
    keep_until_exit(data, early, findings, results, frame)
    for text in incomplete:
        print(f"cppanalytics indicators: warning: {text}", file=sys.stderr)
    return 1 if incomplete else 0


def _run_all_councils(
    args: argparse.Namespace,
    ends: list,
    windows: dict[str, str],
    data_path: Path,
    population: Path | str | None,
    started: float,
) -> int:
    """``--all-councils``: every council of the extract, one results table."""
    import pandas as pd

    from cppanalytics.findings import summarise_findings
    from cppanalytics.indicators.councils import compute_councils
    from cppanalytics.results import write_results
    from cppanalytics.writing import write_csv

    if args.la_code:
        raise CppError("--all-councils computes every council; leave out --la-code.")
    if args.workers < 1:
        raise CppError("--workers must be 1 or more.")
    results, found = compute_councils(
        data_path,
        ends,
        ids=args.ids,
        windows=windows,
        population=population,
        workers=args.workers,
        scheduler=args.scheduler,
        allow_incomplete=args.allow_incomplete,
    )
    out = write_results(results, args.out)
    findings_path = out.with_name(f"{out.stem}_findings.csv")
    parts = []
    for code, rows in found.groupby("la_code", sort=False):
        part = summarise_findings(rows.drop(columns="la_code"), args.findings)
        part.insert(0, "la_code", code)
        parts.append(part)
    write_csv(pd.concat(parts, ignore_index=True), findings_path, what="findings CSV")
    councils = results["la_code"].nunique()
    errors = int((found["severity"] == "error").sum())
    print(
        f"{len(results)} result rows for {councils} councils at {len(ends)} period end(s) -> {out}"
    )
    print(f"findings: {errors} errors, {len(found)} in all -> {findings_path}")
    tell(f"done in {time.perf_counter() - started:.1f} s")
    return 1 if (found["code"] == "period_incomplete_year").any() else 0
