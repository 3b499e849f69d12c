"""Many reports at once: parameter files run in parallel processes or on a Dask cluster.

:func:`discover` finds the report parameter files under the given paths (skipping
``params/targets/`` and any YAML without a ``parameters:`` mapping, saying why);
:func:`run_batch` runs them with a progress bar on stderr; one failure never stops the
others; :func:`summarise` lists the failures with the failing cell and error.

Stopping and resuming: Ctrl-C or SIGTERM cancels the queued reports and stops the
running ones at once (their worker processes and kernels are ended; each unfinished
report's temporary folder is removed, so no half report is left); worker processes also
end by themselves when the batch process is killed outright (SIGKILL). A rerun resumes:
a report whose folder holds a complete manifest for the same parameters, inputs,
notebook and package version is skipped (``force=True`` / ``--force`` rebuilds it).

On a Dask cluster every path is sent resolved (workers may run in any folder), the
dashboard address is shown when the scheduler has one (install ``bokeh``: the ``dist``
extra), and a worker lost mid-batch is reported with the reports Dask retries elsewhere.

Examples
--------
>>> outcome = JobOutcome("params/a.yaml", ok=False, cell="In [3]", error="KeyError: 'x'")
>>> print(summarise([outcome]))
0 of 1 reports written; 1 failed:
  params/a.yaml: In [3]: KeyError: 'x'
"""

from __future__ import annotations

import contextlib
import json
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cppanalytics.errors import CppError
from cppanalytics.reporting.params import decode_text, parse_yaml

#: folders whose YAML files are never report parameter files
SKIP_FOLDERS = frozenset({"targets", "comparators"})

#: seconds to wait for a Dask scheduler to answer
CONNECT_TIMEOUT = 10

#: seconds a stopped worker is given to clean up before it is killed
STOP_GRACE = 10.0


class BatchStopped(KeyboardInterrupt):
    """The batch was stopped by Ctrl-C (SIGINT) or SIGTERM; carries the exit status.

    Attributes
    ----------
    signum
        the signal that stopped the batch.
    outcomes
        the reports finished before it stopped.
    """

    def __init__(self, signum: int, outcomes: list[JobOutcome] | None = None) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum
        self.outcomes = outcomes or []

    @property
    def exit_status(self) -> int:
        """128 + the signal number, as a shell reports it (130 Ctrl-C, 143 SIGTERM)."""
        return 128 + self.signum


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
    skipped
        the report was already complete (a resumed batch) and was not run again.
    """

    params_file: str
    ok: bool
    folder: str = ""
    seconds: float = 0.0
    cell: str = ""
    error: str = ""
    message: str = ""
    skipped: bool = False


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
            elif not _is_report_file(candidate):
                skipped.append(
                    (candidate, "no 'parameters:' mapping (not a report parameter file)")
                )
            else:
                found.append(candidate)
    return found, skipped


def _is_report_file(path: Path) -> bool:
    """A report params file (has ``parameters:``), or one that cannot be read as YAML at all
    (it is run, so its one plain message is reported rather than a quiet skip)."""
    try:
        data, _ = parse_yaml(decode_text(path.read_bytes(), path), path)
    except OSError:
        return True
    except CppError:
        return True
    return isinstance(data, dict) and isinstance(data.get("parameters"), dict)


def completed_report(params_file: str | Path, output_root: str | Path | None = None) -> str:
    """The report folder when this params file's report is already complete, else ``""``.

    Complete: ``manifest.json`` is there, every output it lists exists, and it was made
    from the same parameters, input files (sha256), notebook and package version.

    Examples
    --------
    >>> completed_report("/no/such.yaml")
    ''
    """
    from cppanalytics import __version__
    from cppanalytics.reporting.manifest import hash_inputs, sha256_file
    from cppanalytics.reporting.params import load_spec
    from cppanalytics.reporting.report import target_folder

    try:
        spec = load_spec(params_file, output_root=output_root)
        folder = target_folder(spec)
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (CppError, OSError, ValueError):
        return ""
    parameters = dict(spec.parameters)
    if "output_dir" in parameters:
        parameters["output_dir"] = str(folder)
    expected = json.dumps(
        {"parameters": parameters, "inputs": hash_inputs(spec.inputs)}, default=str
    )
    if spec.parameters.get("mode") == "public":  # a public manifest names no server folder
        from cppanalytics.reporting.report import server_roots, without_server_paths

        expected = without_server_paths(expected, server_roots(spec, folder))
    wanted = json.loads(expected)
    same = (
        all((folder / name).is_file() for name in manifest.get("outputs", []))
        and manifest.get("parameters") == wanted["parameters"]
        and manifest.get("notebook_sha256") == sha256_file(spec.notebook)
        and manifest.get("versions", {}).get("cppanalytics") == __version__
        and manifest.get("inputs") == wanted["inputs"]
    )
    return str(folder) if same else ""


def _worker_init() -> None:
    """Set up a batch worker process: its own process group (the terminal's Ctrl-C reaches
    only the batch, which stops the workers itself), SIGTERM unwinds (so the report's
    temporary folder is removed), and the worker ends when the batch process dies."""
    parent = os.getppid()
    with contextlib.suppress(OSError):
        os.setsid()  # also takes the worker's kernels out of the terminal's group

    def _stop(signum: int, frame: Any) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with_parent(parent)


def _die_with_parent(parent: int) -> None:
    """End this process (SIGTERM to itself) when ``parent`` is gone, even after SIGKILL."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(Exception):
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG

    def _watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=_watch, name="parent-watch", daemon=True).start()
    if os.getppid() != parent:  # died before the watch started
        os.kill(os.getpid(), signal.SIGTERM)


@contextlib.contextmanager
def _stop_on_signals() -> Iterator[None]:
    """Turn SIGTERM into :class:`BatchStopped` (and Ctrl-C too) in the batch process."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def _raise(signum: int, frame: Any) -> None:
        raise BatchStopped(signum)

    old = {s: signal.signal(s, _raise) for s in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for signum, handler in old.items():
            signal.signal(signum, handler)


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    """Cancel queued jobs and end every worker process group now (SIGTERM, then SIGKILL)."""
    processes = list(getattr(pool, "_processes", {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for proc in processes:
        with contextlib.suppress(OSError):
            os.killpg(proc.pid, signal.SIGTERM)
    deadline = time.monotonic() + STOP_GRACE
    for proc in processes:
        proc.join(max(0.0, deadline - time.monotonic()))
    for proc in processes:
        if proc.is_alive():
            with contextlib.suppress(OSError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.join(1)


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


def _job(params_file: str, output_root: str | None) -> JobOutcome:
    """One batch job in a worker process; a stop signal (SystemExit) ends the worker."""
    try:
        return run_one(params_file, output_root)
    except SystemExit:
        # the report's temporary folder has been removed while unwinding; do not take
        # another queued job
        os._exit(128 + signal.SIGTERM)


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


def _absolute(path: str | Path | None) -> str | None:
    """``path`` made absolute against this process's folder (workers may run elsewhere)."""
    return None if path is None else os.path.abspath(os.path.expanduser(str(path)))


def run_batch(
    files: Sequence[str | Path],
    *,
    workers: int = 2,
    scheduler: Any = None,
    output_root: str | Path | None = None,
    progress: bool = True,
    force: bool = False,
    say: Callable[[str], None] | None = None,
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
    force
        rebuild reports that are already complete (default: skip them, so a rerun of an
        interrupted batch resumes).
    say
        where messages go (dashboard link, lost workers); default stderr.

    Raises
    ------
    BatchStopped
        on Ctrl-C or SIGTERM, after the workers are stopped; carries the outcomes so far.

    Examples
    --------
    >>> run_batch([], workers=1)
    []
    """
    names = [str(_absolute(f)) for f in files]
    if not names:
        return []
    root = _absolute(output_root)
    say = say or (lambda text: print(text, file=sys.stderr))
    outcomes: dict[str, JobOutcome] = {}
    todo = names
    if not force:
        for name in names:
            folder = completed_report(name, root)
            if folder:
                outcomes[name] = JobOutcome(name, True, folder=folder, skipped=True)
        todo = [n for n in names if n not in outcomes]
        if outcomes:
            say(f"{len(outcomes)} report(s) already complete, skipped (--force rebuilds them)")
    with _progress(len(todo), progress) as bar, _stop_on_signals():
        try:
            if not todo:
                pass
            elif scheduler is not None:
                _run_dask(todo, scheduler, root, outcomes, bar, say)
            else:
                _run_processes(todo, max(1, workers), root, outcomes, bar)
        except BatchStopped as stop:
            stop.outcomes = [outcomes[n] for n in names if n in outcomes]
            raise
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
    output_root: str | None,
    outcomes: dict[str, JobOutcome],
    bar: Any,
) -> None:
    if workers == 1:
        for name in names:
            _record(run_one(name, output_root), outcomes, bar)
        return
    # spawn: kernels, zmq and threads do not survive fork safely
    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_worker_init)
    try:
        pending: dict[Future[JobOutcome], str] = {
            pool.submit(_job, name, output_root): name for name in names
        }
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
        _stop_workers(pool)
        raise
    pool.shutdown(wait=True)


class WorkerWatch:
    """Notices Dask workers leaving mid-batch and says which reports Dask will retry.

    Examples
    --------
    >>> said = []
    >>> watch = WorkerWatch({"tcp://a", "tcp://b"}, said.append)
    >>> watch.update({"tcp://b"}, {"tcp://a": ["q3.yaml"]})
    >>> said
    ['Dask worker tcp://a was lost; its report(s) are retried on the other workers: q3.yaml']
    >>> watch.lost
    1
    """

    def __init__(self, workers: set[str], say: Callable[[str], None]) -> None:
        self.workers = set(workers)
        self.say = say
        self.lost = 0

    def update(self, workers: set[str], running: dict[str, list[str]]) -> None:
        """Compare with the current workers; ``running`` maps a worker to its reports."""
        for gone in sorted(self.workers - workers):
            self.lost += 1
            jobs = running.get(gone, [])
            retried = (
                f"; its report(s) are retried on the other workers: {', '.join(jobs)}"
                if jobs
                else ""
            )
            self.say(f"Dask worker {gone} was lost{retried}")
        for new in sorted(workers - self.workers):
            if self.workers:
                self.say(f"Dask worker {new} joined")
        self.workers = set(workers)


def _dashboard(client: Any) -> str:
    """The scheduler's dashboard address, or ``""`` (no bokeh on the scheduler)."""
    try:
        services = client.scheduler_info().get("services", {})
    except Exception:  # an old or unusual scheduler: no link, no failure
        return ""
    if "dashboard" not in services:
        return ""
    with contextlib.suppress(Exception):
        return str(client.dashboard_link)
    return ""


def _running_on(client: Any, futures: dict[Any, str]) -> dict[str, list[str]] | None:
    """Every live worker and the pending reports it runs, or ``None`` if the scheduler is silent.

    One live call to the scheduler (its processing lists name every worker, idle ones with no
    reports), so the workers and their reports are seen at the same moment. The client's
    ``scheduler_info`` is a copy refreshed every few seconds: a worker could look present in it
    after the scheduler had already moved its report back to the queue.
    """
    try:
        processing = client.processing()
    except Exception:  # best effort: only used to word the message
        return None
    keys = {f.key: Path(name).name for f, name in futures.items()}
    return {w: [keys[k] for k in ks if k in keys] for w, ks in processing.items()}


def _run_dask(
    names: list[str],
    scheduler: Any,
    output_root: str | None,
    outcomes: dict[str, JobOutcome],
    bar: Any,
    say: Callable[[str], None],
) -> None:
    from distributed import Client
    from distributed import wait as dask_wait

    own = not isinstance(scheduler, Client)
    pending: dict[Any, str] = {}
    try:
        client = Client(scheduler, timeout=CONNECT_TIMEOUT) if own else scheduler
    except OSError as exc:
        raise CppError(f"cannot reach the Dask scheduler {scheduler}: {exc}") from exc
    try:
        link = _dashboard(client)
        if link:
            say(f"Dask dashboard: {link}")
        futures = client.map(run_one, names, output_root=output_root, pure=False)
        pending = dict(zip(futures, names, strict=True))
        running = _running_on(client, pending) or {}
        watch = WorkerWatch(set(running) or set(client.scheduler_info().get("workers", {})), say)
        while pending:
            try:
                dask_wait(list(pending), timeout=1.0, return_when="FIRST_COMPLETED")
            except TimeoutError:
                pass
            except Exception:  # the wait is only a pause: distributed's own slips while a
                # worker is lost (seen: UnboundLocalError in its sync) must not end the batch;
                # the futures are read below either way
                time.sleep(1.0)
            for future in [f for f in pending if f.done()]:
                name = pending.pop(future)
                try:
                    outcome = future.result()
                except Exception as exc:  # KilledWorker: lost on too many workers
                    outcome = JobOutcome(
                        name, False, error=f"worker failed: {type(exc).__name__}: {exc}"
                    )
                _record(outcome, outcomes, bar)
            now = _running_on(client, pending)
            if now is not None:
                # a worker gone since the last look is named with the reports it ran then
                watch.update(set(now), running)
                running = now
        if watch.lost:
            say(f"{watch.lost} Dask worker(s) lost during the batch; Dask retried their reports")
    except BaseException:
        with contextlib.suppress(Exception):
            client.cancel(list(pending))
        raise
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
    skipped = sum(o.skipped for o in outcomes)
    head = f"{done} of {len(outcomes)} reports written"
    if skipped:
        head += f" ({skipped} already complete)"
    if not failed:
        return head + "."
    lines = [f"{head}; {len(failed)} failed:"]
    for o in failed:
        where = f"{o.cell}: " if o.cell else ""
        lines.append(f"  {o.params_file}: {where}{o.error}")
    return "\n".join(lines)
