"""Every council of a pooled or multi-council extract at once, partitioned by council.

A regional consortium (pooled LIIA files with an ``LA`` column) or an analyst holding
several councils' returns (one folder per council, named by its code) gets one results
table with a ``la_code`` column, computed council by council exactly as
``cppanalytics indicators --la-code CODE`` would — on a local Dask cluster
(``workers`` processes), on a running scheduler (``scheduler``), or in this process
(one worker, no scheduler).

The files are read once: pooled files are read and split by council here, and each
council's rows (with their file and row numbers, so findings still point at the pooled
file) go to a worker, which builds the council's dataset and computes its indicators.
Folders named by council code are loaded by the workers themselves.

Examples
--------
>>> results, findings = compute_councils("data/liia", ["2025-03-31"])  # doctest: +SKIP
>>> results.groupby("la_code").size()  # doctest: +SKIP
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pandas as pd

from cppanalytics.errors import CppError
from cppanalytics.findings import Findings
from cppanalytics.geography.councils import resolve
from cppanalytics.indicators.compute import compute
from cppanalytics.indicators.population import read_population
from cppanalytics.ssda903.loader import Extract, build_dataset, council_codes, read_extract

#: a council code as a folder name: new ONS code (E06000042) or old three-digit code (826)
COUNCIL_FOLDER = re.compile(r"^(E0[6-9]\d{6}|E10\d{6}|\d{3})$", re.IGNORECASE)
#: seconds to wait for a Dask scheduler given by address
CONNECT_TIMEOUT = 10


@dataclass
class CouncilJob:
    """One council's share of the work: its pooled rows, or its own folder."""

    la_code: str
    extract: Extract | None = None
    folder: Path | None = None


def council_folders(root: Path) -> dict[str, Path]:
    """Sub-folders of ``root`` named by a council code (one council's extract each).

    Examples
    --------
    >>> council_folders(Path("no-such-folder"))
    {}
    """
    if not root.is_dir():
        return {}
    found: dict[str, Path] = {}
    for folder in sorted(root.iterdir()):
        if not (folder.is_dir() and COUNCIL_FOLDER.match(folder.name)):
            continue
        code = ons_code(folder.name)
        if code in found:
            raise CppError(
                f"{found[code]} and {folder} are both council {code}: keep one folder per council."
            )
        found[code] = folder
    return dict(sorted(found.items()))


def ons_code(code: str) -> str:
    """The council's current ONS code for a folder or ``LA`` value (old 3-digit or E-code).

    Codes DfE's list does not hold are returned upper-cased.

    Examples
    --------
    >>> ons_code("826"), ons_code("e06000042")
    ('E06000042', 'E06000042')
    """
    try:
        return resolve(code).new_code
    except CppError:
        return code.strip().upper()


def plan(paths: Sequence[str | Path], today: pd.Timestamp) -> list[CouncilJob]:
    """The councils in ``paths`` and each one's job (pooled files are read here, once).

    Parameters
    ----------
    paths
        one folder holding a folder per council (named by its code), or pooled files /
        folders whose rows carry an ``LA`` column.
    today
        the day dates are checked against.

    Returns
    -------
    list of CouncilJob
        one per council, sorted by code; pooled rows carry the findings of reading them.

    Raises
    ------
    CppError
        when no council can be told apart (no ``LA`` column and no council folders).
    """
    roots = [Path(p) for p in paths]
    if len(roots) == 1 and (folders := council_folders(roots[0])):
        return [CouncilJob(code, folder=folder) for code, folder in folders.items()]
    extract = read_extract(roots, today=today)
    codes = council_codes(extract)
    if not codes:
        raise CppError(
            f"{', '.join(map(str, roots))}: no council can be told apart — the files have no "
            "LA column and there are no folders named by council code (E06000042 or 826). "
            "Give one council's data with --la-code, or pooled files with an LA column."
        )
    by_council = extract.by_council(codes)  # the pooled LA column read once
    return [CouncilJob(code, extract=by_council[code]) for code in codes]


def run_council(
    job: CouncilJob,
    period_ends: Sequence[pd.Timestamp],
    ids: Sequence[str] | None,
    windows: dict[str, str] | None,
    population: pd.DataFrame | None,
    today: pd.Timestamp,
    allow_incomplete: bool = False,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Build one council's dataset and compute its indicators (runs on a worker).

    The period ends are checked against the council's own data first
    (:func:`~cppanalytics.ssda903.coverage.check_period_ends`). Returns the results (with
    ``la_code`` first) and the council's findings (with ``la_code``).
    """
    from cppanalytics.ssda903.coverage import check_period_ends
    from cppanalytics.ssda903.loader import load

    if job.folder is not None:
        data = load(job.folder, la_code=job.la_code, today=today)
    else:
        assert job.extract is not None
        data = build_dataset(job.extract, job.la_code)
    try:
        incomplete = check_period_ends(data, period_ends, allow_incomplete=allow_incomplete)
    except CppError as exc:
        raise CppError(f"council {job.la_code}: {exc}") from exc
    found = Findings()
    found.extend(data.findings)
    for text in incomplete:
        found.add(
            "error",
            "period_incomplete_year",
            message=text,
            fix="Fix or add the collection year's Header and Episodes files.",
            action="loaded",
        )
    pop = None
    if population is not None:
        has_la = "la_code" in population.columns
        rows = (
            population[population["la_code"].str.upper() == job.la_code] if has_la else population
        )
        pop = (
            read_population(rows.drop(columns="la_code") if has_la else rows) if len(rows) else None
        )
    results = compute(
        data,
        list(period_ends),
        ids=ids,
        windows=windows,
        population=pop,
        la_code=job.la_code,
        findings=found,
        parallel=False,  # the workers (or the councils in turn) already use the cores
    )
    results.insert(0, "la_code", job.la_code)
    frame = found.to_frame()
    frame.insert(0, "la_code", job.la_code)
    return results, frame


def compute_councils(
    paths: str | Path | Sequence[str | Path],
    period_ends: Sequence[str | pd.Timestamp],
    *,
    ids: Sequence[str] | None = None,
    windows: dict[str, str] | None = None,
    population: str | Path | pd.DataFrame | None = None,
    workers: int = 2,
    scheduler: str | None = None,
    today: str | pd.Timestamp | None = None,
    allow_incomplete: bool = False,
    progress: Callable[[str], None] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Indicators for every council in ``paths``: one results table with ``la_code`` first.

    Parameters
    ----------
    paths
        pooled files/folders with an ``LA`` column, or one folder of council folders.
    period_ends
        the period ends, as for :func:`~cppanalytics.indicators.compute.compute`.
    ids, windows
        as for :func:`~cppanalytics.indicators.compute.compute`.
    population
        ``year,population,la_code`` for every council (a council missing from it gets
        empty rates), or ``None``.
    workers
        local Dask worker processes; ``1`` (with no ``scheduler``) computes in this process.
    scheduler
        address of a running Dask scheduler (``tcp://host:8786``); ``workers`` is then
        ignored.
    today
        the day dates are checked against (default: today).
    allow_incomplete
        as ``indicators --allow-incomplete``: compute period ends resting on a year with a
        missing core table (an error finding each) instead of refusing.
    progress
        called with a line of text as each council finishes.

    Returns
    -------
    tuple of pandas.DataFrame
        the results (``la_code`` + the results contract, councils in code order) and the
        findings (``la_code`` + the findings contract).
    """
    if isinstance(paths, str | Path):
        paths = [paths]
    paths = [Path(p).resolve() for p in paths]  # workers may start in another folder
    now = pd.Timestamp.today().normalize() if today is None else pd.Timestamp(today)
    ends = [pd.Timestamp(d) for d in period_ends]
    pop = _population(population)
    jobs = plan(paths, now)
    say = progress or (lambda _line: None)
    if scheduler is None and workers <= 1:
        outputs = []
        for job in jobs:
            outputs.append(run_council(job, ends, ids, windows, pop, now, allow_incomplete))
            say(f"{job.la_code}: done")
    else:
        args = (ends, ids, windows, pop, now, allow_incomplete)
        outputs = _on_dask(jobs, args, workers, scheduler, say)
    results = pd.concat([r for r, _ in outputs], ignore_index=True)
    findings = pd.concat([f for _, f in outputs], ignore_index=True)
    return results, findings


def _population(population: str | Path | pd.DataFrame | None) -> pd.DataFrame | None:
    """The population table as text columns (checked per council later)."""
    if population is None:
        return None
    if isinstance(population, pd.DataFrame):
        return population.astype(str)
    try:
        return pd.read_csv(population, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (OSError, pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise CppError(
            f"{population}: cannot be read as a population CSV ({exc}); give "
            "year,population,la_code."
        ) from exc


def _sent(job: CouncilJob) -> CouncilJob:
    """The job as sent to a worker: a council split from pooled files carries only its own
    distinct values (not every council's, which the worker would type again per council)."""
    if job.extract is None:
        return job
    return replace(job, extract=job.extract.own_values())


def local_cluster(workers: int) -> Any:
    """A Dask cluster of ``workers`` local worker processes reachable from this machine
    only: the scheduler, workers and Dask's status pages listen on 127.0.0.1 at ports the
    system picks, never on the network (distributed starts its status pages even when
    asked not to) nor on a fixed port another run may hold.

    Examples
    --------
    >>> with local_cluster(1) as cluster:  # doctest: +SKIP
    ...     cluster.scheduler_address.startswith("tcp://127.0.0.1:")
    True
    """
    from distributed import LocalCluster

    return LocalCluster(
        n_workers=workers,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address="127.0.0.1:0",
    )


@contextmanager
def _dask_logs_at_package_level() -> Iterator[None]:
    """Dask's own progress lines (scheduler started, workers registered ...) at the
    package's log level while the block runs: shown with -vv, not in a quiet or ordinary
    run."""
    import logging

    import distributed  # noqa: F401 - importing it sets its loggers' levels: set after

    dask_log = logging.getLogger("distributed")
    level = dask_log.level
    dask_log.setLevel(logging.getLogger("cppanalytics").getEffectiveLevel())
    try:
        yield
    finally:
        dask_log.setLevel(level)


def _on_dask(
    jobs: list[CouncilJob],
    args: tuple[Any, ...],
    workers: int,
    scheduler: str | None,
    say: Callable[[str], None],
) -> list[tuple[pd.DataFrame, pd.DataFrame]]:
    """Run the jobs on a Dask cluster; results in the jobs' order."""
    with _dask_logs_at_package_level():
        from distributed import Client, as_completed

        cluster: Any = None
        try:
            if scheduler is None:
                cluster = local_cluster(workers)
                client = Client(cluster)
            else:
                client = Client(scheduler, timeout=CONNECT_TIMEOUT)
        except OSError as exc:
            raise CppError(f"cannot reach the Dask scheduler {scheduler}: {exc}") from exc
        try:
            futures = [
                client.submit(
                    run_council, _sent(job), *args, pure=False, key=f"council-{job.la_code}"
                )
                for job in jobs
            ]
            index = {f.key: i for i, f in enumerate(futures)}
            outputs: list[Any] = [None] * len(jobs)
            for future in as_completed(futures):
                i = index[future.key]
                try:
                    outputs[i] = future.result()
                except CppError:
                    raise
                except Exception as exc:  # a worker died or the job failed
                    raise CppError(
                        f"council {jobs[i].la_code} failed on a worker: {exc!r}"
                    ) from exc
                say(f"{jobs[i].la_code}: done")
            return outputs
        finally:
            client.close()
            if cluster is not None:
                cluster.close()


__all__ = [
    "CouncilJob",
    "compute_councils",
    "council_folders",
    "local_cluster",
    "plan",
    "run_council",
]
