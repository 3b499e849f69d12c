"""Many reports at once: parameter files run in parallel processes or on a Dask cluster.

:func:`discover` finds the report parameter files under the given paths (skipping
``params/targets/`` and any YAML without a ``parameters:`` mapping, saying why);
:func:`run_batch` runs them with a progress bar on stderr; one failure never stops the
others; :func:`summarise` lists the failures with the failing cell and error.

Examples
--------
>>> outcome = JobOutcome("params/a.yaml", ok=False, cell="In [3]", error="KeyError: 'x'")
>>> print(summarise([outcome]))
0 of 1 reports written; 1 failed:
  params/a.yaml: In [3]: KeyError: 'x'
"""

from __future__ import annotations

import multiprocessing
import sys
import time
from collections.abc import Iterable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cppanalytics.errors import CppError
from cppanalytics.reporting.params import is_report_params

#: folders whose YAML files are never report parameter files
SKIP_FOLDERS = frozenset({"targets", "comparators"})

#: seconds to wait for a Dask scheduler to answer
CONNECT_TIMEOUT = 10


@dataclass(frozen=True)
class JobOutcome:
    """The result of one report in a batch (picklable; never an exception).

    Attributes
    ----------
    params_file
        the parameter file.
    ok
        whether the report was written.
    folder
        the report folder when ``ok``.
    seconds
        wall time of the job.
    cell
        the failing cell (``"In [n]"``) when a notebook cell failed, else ``""``.
    error
        the error in one line (``"KeyError: 'x'"``, or the validation message).
    message
        the full error message.
    """

    params_file: str
    ok: bool
    folder: str = ""
    seconds: float = 0.0
    cell: str = ""
    error: str = ""
    message: str = ""


def discover(paths: Iterable[str | Path]) -> tuple[list[Path], list[tuple[Path, str]]]:
    """Report parameter files under ``paths`` (files or folders), and those skipped with why.

    Examples
    --------
    >>> files, skipped = discover(["params/"])  # doctest: +SKIP
    """
    found: list[Path] = []
    skipped: list[tuple[Path, str]] = []
    for item in paths:
        path = Path(item)
        if path.is_file():
            candidates = [path]
        elif path.is_dir():
            candidates = sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in {".yaml", ".yml"}
            )
        else:
            raise CppError(f"{path}: no such file or folder")
        for candidate in candidates:
            rel_parts = candidate.relative_to(path).parts[:-1] if path.is_dir() else ()
            if any(part in SKIP_FOLDERS for part in rel_parts):
                skipped.append((candidate, f"in a {'/'.join(rel_parts)}/ folder (not a report)"))
            elif any(part.startswith(".") for part in rel_parts):
                skipped.append((candidate, "in a hidden folder"))
            elif not is_report_params(candidate):
                skipped.append(
                    (candidate, "no 'parameters:' mapping (not a report parameter file)")
                )
            else:
                found.append(candidate)
    return found, skipped


def run_one(params_file: str | Path, output_root: str | Path | None = None) -> JobOutcome:
    """Run one report and describe the outcome; never raises (for pools and clusters).

    Examples
    --------
    >>> run_one("/no/such.yaml").ok
    False
    """
    from cppanalytics.reporting.execute import NotebookError
    from cppanalytics.reporting.report import run_report

    start = time.perf_counter()
    name = str(params_file)
    try:
        result = run_report(params_file, output_root=output_root)
    except NotebookError as exc:
        return JobOutcome(
            name,
            False,
            seconds=time.perf_counter() - start,
            cell=exc.cell,
            error=exc.error or str(exc).splitlines()[0],
            message=str(exc),
        )
    except CppError as exc:
        lines = str(exc).splitlines()
        first = lines[0] if len(lines) == 1 else " ".join(line.strip() for line in lines[:4])
        return JobOutcome(
            name, False, seconds=time.perf_counter() - start, error=first, message=str(exc)
        )
    except Exception as exc:  # a bug: report it, do not stop the batch
        return JobOutcome(
            name,
            False,
            seconds=time.perf_counter() - start,
            error=f"{type(exc).__name__}: {exc}",
            message=repr(exc),
        )
    return JobOutcome(name, True, folder=str(result.folder), seconds=time.perf_counter() - start)


def _progress(total: int, enabled: bool) -> Any:
    from tqdm import tqdm

    return tqdm(
        total=total,
        file=sys.stderr,
        desc="reports",
        unit="report",
        disable=not enabled,
        dynamic_ncols=True,
    )


def run_batch(
    files: Sequence[str | Path],
    *,
    workers: int = 2,
    scheduler: Any = None,
    output_root: str | Path | None = None,
    progress: bool = True,
) -> list[JobOutcome]:
    """Run every parameter file; return one :class:`JobOutcome` per file, in input order.

    Parameters
    ----------
    files
        report parameter files.
    workers
        parallel processes (ignored with ``scheduler``).
    scheduler
        a Dask scheduler address (``"tcp://host:8786"``), or a ``distributed`` cluster or
        client object; ``None`` runs on local processes.
    output_root
        overrides each file's ``report.output_root``.
    progress
        show a tqdm progress bar on stderr.

    Examples
    --------
    >>> run_batch([], workers=1)
    []
    """
    names = [str(f) for f in files]
    if not names:
        return []
    outcomes: dict[str, JobOutcome] = {}
    with _progress(len(names), progress) as bar:
        if scheduler is not None:
            _run_dask(names, scheduler, output_root, outcomes, bar)
        else:
            _run_processes(names, max(1, workers), output_root, outcomes, bar)
    return [outcomes[n] for n in names]


def _record(outcome: JobOutcome, outcomes: dict[str, JobOutcome], bar: Any) -> None:
    outcomes[outcome.params_file] = outcome
    bar.update(1)
    if not outcome.ok:
        bar.write(
            f"failed: {outcome.params_file}: {outcome.cell + ': ' if outcome.cell else ''}"
            f"{outcome.error}",
            file=sys.stderr,
        )


def _run_processes(
    names: list[str],
    workers: int,
    output_root: str | Path | None,
    outcomes: dict[str, JobOutcome],
    bar: Any,
) -> None:
    if workers == 1:
        for name in names:
            _record(run_one(name, output_root), outcomes, bar)
        return
    # spawn: kernels, zmq and threads do not survive fork safely
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        pending: dict[Future[JobOutcome], str] = {
            pool.submit(run_one, name, output_root): name for name in names
        }
        try:
            while pending:
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    name = pending.pop(future)
                    try:
                        outcome = future.result()
                    except Exception as exc:  # a worker died
                        outcome = JobOutcome(name, False, error=f"worker failed: {exc!r}")
                    _record(outcome, outcomes, bar)
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise


def _run_dask(
    names: list[str],
    scheduler: Any,
    output_root: str | Path | None,
    outcomes: dict[str, JobOutcome],
    bar: Any,
) -> None:
    from distributed import Client, as_completed

    own = not isinstance(scheduler, Client)
    try:
        client = Client(scheduler, timeout=CONNECT_TIMEOUT) if own else scheduler
    except OSError as exc:
        raise CppError(f"cannot reach the Dask scheduler {scheduler}: {exc}") from exc
    try:
        futures = client.map(run_one, names, output_root=output_root, pure=False)
        by_key = {f.key: n for f, n in zip(futures, names, strict=True)}
        for future in as_completed(futures):
            name = by_key[future.key]
            try:
                outcome = future.result()
            except Exception as exc:  # a worker died
                outcome = JobOutcome(name, False, error=f"worker failed: {exc!r}")
            _record(outcome, outcomes, bar)
    finally:
        if own:
            client.close()


def summarise(outcomes: Sequence[JobOutcome]) -> str:
    """A plain-text summary: how many written, and each failure with its cell and error.

    Examples
    --------
    >>> summarise([JobOutcome("a.yaml", True, folder="r/a", seconds=3.0)])
    '1 of 1 reports written.'
    """
    done = sum(o.ok for o in outcomes)
    failed = [o for o in outcomes if not o.ok]
    head = f"{done} of {len(outcomes)} reports written"
    if not failed:
        return head + "."
    lines = [f"{head}; {len(failed)} failed:"]
    for o in failed:
        where = f"{o.cell}: " if o.cell else ""
        lines.append(f"  {o.params_file}: {where}{o.error}")
    return "\n".join(lines)
