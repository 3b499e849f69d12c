"""Computing the indicators on two cores: one forked process computes some of the
modules at every period end (or, for a small run of many ends, every module at the later
period ends) while this one computes the rest.

:func:`~cppanalytics.indicators.compute.compute` prepares the building blocks shared by
every module (:class:`~cppanalytics.indicators.context.Context` and its prepared care
data) and then, where :func:`split_by` says so, forks ONE child process
(:func:`compute_split`). The child inherits the prepared data copy-on-write, computes the
modules :func:`child_share` gives it (split by modules; :func:`end_share` gives the
period ends of a split by ends), end by end in the serial order, and sends back its
result blocks and findings through a pipe; this process computes the rest meanwhile and
merges.

The result is the serial run's, row for row:

- Blocks are put back in the serial order (for each period end, for each module).
- Each finding is tagged with its *segment* (the period end's position times the number
  of modules, plus the module's position; findings written before the modules ran take
  -1) and the findings of both processes are stably sorted by segment, then repeated rows
  dropped (first kept) as the serial run drops them. A process computes its own modules
  in the serial order, so a shared building block (a cohort, a cached table) built
  lazily writes its findings at the first segment that needs it in that process; the
  earlier of the two processes' first segments is the serial run's, the later copy is a
  repeat and is dropped. Findings about per-run rows written once per run
  (:mod:`cppanalytics.indicators.repeats`) are likewise written in each process at its
  first segment: the copies are repeats. Split by ends, the building blocks made once
  per run are made on both sides likewise (each at its first period end).
- An exception is raised from the earliest segment that raised, as the serial run would
  have stopped there: this process's own exception object, or the child's (pickled, with
  its traceback text as the cause; one that cannot be pickled comes back as a
  ``RuntimeError`` naming its type and message with the traceback text).
- A child that dies (killed, a crash), sends nothing usable, or has not answered long
  after this process finished its share (:data:`CHILD_GRACE_SECONDS` plus
  :data:`CHILD_WAIT_FACTOR` times this process's share) is killed and reaped, and the
  whole computation is run again serially in this process (the caller does it when
  :func:`compute_split` returns ``None``): slower, never a different answer or a hang.

The split is off (:func:`use_split`) without ``os.fork`` (Windows), with one CPU
available, inside a Dask worker, while other threads run (a notebook's kernel, a Dask
client: a lock one of them holds would stay held in the child), when the environment
variable ``CPPANALYTICS_PARALLEL`` is ``0`` (or ``off``, ``false``, ``no``), and when
other work keeps the cores busy (the load average, :func:`cores_busy`). Below
:data:`MIN_WORK` a run is split by ends (:func:`split_by`) from :data:`END_SPLIT_ENDS`
period ends and :data:`END_SPLIT_WORK` episodes x ends; smaller runs are not split
(forking costs more than it saves). ``CPPANALYTICS_PARALLEL=1`` (``on``, ``true``,
``yes``) asks for the split by modules whatever the size, the threads and the load.
``--all-councils`` computes each council with it off.

Examples
--------
>>> child_share(["population", "reviews", "health"], 1)
[1]
>>> segment(2, 10, 3)
23
"""

from __future__ import annotations

import logging
import os
import pickle
import select
import signal
import sys
import threading
import time
import traceback
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

import numpy as np
import pandas as pd

from cppanalytics.indicators.context import Context
from cppanalytics.results import Block

log = logging.getLogger("cppanalytics")

#: the environment variable turning the split off (``0``, ``off``, ``false``, ``no``) or
#: on whatever the size (``1``, ``on``, ``true``, ``yes``); see :func:`env_choice`
ENV_VAR = "CPPANALYTICS_PARALLEL"

#: CPU seconds each module added to a serial run of the whole catalogue at 996,190
#: episodes (the building blocks it was the first to ask for included), as ``(once per
#: run, per period end)``: fitted to one period end and 12 quarter ends. Only the
#: proportions matter (:func:`child_share` balances the two processes with them).
MODULE_COST: dict[str, tuple[float, float]] = {
    "population": (0.125, 0.0126),
    "stability": (0.037, 0.0109),
    "location": (0.029, 0.0042),
    "adoption": (0.069, 0.0022),
    "health": (0.033, 0.0130),
    "care_leavers": (0.014, 0.0022),
    "missing": (0.055, 0.0020),
    "social_workers": (0.053, 0.0016),
    "reviews": (0.306, 0.0076),
    "sufficiency": (0.051, 0.0051),
}

#: the share of the modules' cost given to the child: this process also forks, receives
#: and merges
CHILD_SHARE: float = 0.5

#: below this many (prepared episodes x (period ends + 3)), the split is off: forking
#: and the second process's own building blocks cost about what it saves. Measured (CPU
#: seconds, serial -> this process + the child): the demo council at 12 ends 0.26 ->
#: 0.18 + 0.16 and 102,700 episodes at one end 0.19 -> 0.17 + 0.09 (off: a few hundredths
#: at best); 102,700 at 12 ends 0.42 -> 0.28 + 0.25 (on)
MIN_WORK: int = 1_000_000

#: a run smaller than :data:`MIN_WORK` is split by period ends instead (:func:`split_by`)
#: from this many ends and this many (prepared episodes x period ends): there each
#: module's cost is mostly its fixed cost at each end, which a split by modules leaves on
#: both sides (each builds the cohorts of every end), while a split by ends halves it;
#: the building blocks made once per run are made on both sides. Measured on the demo
#: council (10,299 episodes) at 12 ends: computing 0.29 -> 0.24 s by modules, 0.235 s by
#: ends (wall, medians of 8), and by ends the same results and findings
END_SPLIT_ENDS: int = 6
END_SPLIT_WORK: int = 50_000

#: how far the load average may pass the CPUs available before the split is off
#: (:func:`cores_busy`); a run's own loading threads add about 1 on an idle machine
BUSY_MARGIN: float = 1.0

#: seconds the child may still take after this process finished its own share, plus
#: :data:`CHILD_WAIT_FACTOR` times that share's seconds, before it is taken as lost
CHILD_GRACE_SECONDS: float = 60.0
CHILD_WAIT_FACTOR: float = 5.0

Modules = Sequence[tuple[ModuleType, set[str]]]


def segment(end: int, n_modules: int, position: int) -> int:
    """The serial run's place of module ``position`` at the ``end``-th period end.

    Examples
    --------
    >>> segment(0, 10, 4), segment(1, 10, 0)
    (4, 10)
    """
    return end * n_modules + position


def env_choice() -> bool | None:
    """What :data:`ENV_VAR` asks for: ``False`` (``0``, ``off``, ``false``, ``no``: never
    split), ``True`` (``1``, ``on``, ``true``, ``yes``: split whatever the data's size),
    else ``None`` (decide).

    Examples
    --------
    >>> os.environ[ENV_VAR] = "0"; env_choice()
    False
    >>> os.environ[ENV_VAR] = "On"; env_choice()
    True
    >>> del os.environ[ENV_VAR]; env_choice() is None
    True
    """
    value = os.environ.get(ENV_VAR, "").strip().lower()
    if value in ("0", "off", "false", "no"):
        return False
    if value in ("1", "on", "true", "yes"):
        return True
    return None


def _cpus() -> int:
    """CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def in_dask_worker() -> bool:
    """Whether this is a Dask worker's task (the workers already use the cores).

    Examples
    --------
    >>> in_dask_worker()
    False
    """
    distributed = sys.modules.get("distributed")
    if distributed is None:
        return False
    try:
        distributed.get_worker()
    except (ValueError, AttributeError):
        return False
    return True


def cores_busy() -> bool:
    """Whether other work already keeps this machine's cores busy: the load average of
    the last minute above the CPUs available plus :data:`BUSY_MARGIN`. A second process
    then only adds its overhead (measured at 996,190 episodes with a load average of 7 on
    2 cores: compute 3.0 -> 3.4 s at one period end, 3.9 -> 6.4 s at 12).

    Examples
    --------
    >>> isinstance(cores_busy(), bool)
    True
    """
    try:
        load = os.getloadavg()[0]
    except (AttributeError, OSError):  # pragma: no cover - not available
        return False
    return load > _cpus() + BUSY_MARGIN


def use_split(wanted: bool | None, n_episodes: int, n_ends: int, n_modules: int) -> bool:
    """Whether to compute on two processes.

    Parameters
    ----------
    wanted
        the caller's choice: ``False`` never, ``True`` whenever ``os.fork`` exists (and
        there are two modules to share), ``None`` decide here: not with
        :data:`ENV_VAR` ``0``, one CPU or in a Dask worker; else with :data:`ENV_VAR`
        ``1``, or at least :data:`MIN_WORK` when this is the process's only thread and
        the cores are not busy with other work (:func:`cores_busy`).
    n_episodes
        prepared episodes.
    n_ends
        period ends.
    n_modules
        indicator modules to compute.

    Returns
    -------
    bool

    Examples
    --------
    >>> use_split(False, 10**6, 12, 10), use_split(None, 10, 1, 10), use_split(True, 10, 1, 1)
    (False, False, False)
    """
    return split_by(wanted, n_episodes, n_ends, n_modules) == "modules"


def split_by(wanted: bool | None, n_episodes: int, n_ends: int, n_modules: int) -> str | None:
    """How to compute on two processes: ``"modules"`` (some modules at every end in the
    child: when asked for, or from :data:`MIN_WORK`; :func:`use_split`), ``"ends"`` (every module at the later period ends in the
    child: a run too small for the split by modules, with at least
    :data:`END_SPLIT_ENDS` ends and :data:`END_SPLIT_WORK` episodes x ends, when the
    split would otherwise be made: not asked for or against, ``os.fork``, two CPUs, no
    Dask worker, no other thread, cores not busy), or None (one process).

    Examples
    --------
    >>> split_by(False, 10**6, 12, 10) is None, split_by(None, 10, 12, 10) is None
    (True, True)
    """
    if wanted is False or not hasattr(os, "fork"):
        return None
    by_modules = "modules" if n_modules >= 2 else None  # (one module: nothing to share)
    if wanted:
        return by_modules
    asked = env_choice()
    if asked is False or _cpus() < 2 or in_dask_worker():
        return None
    if asked:
        return by_modules
    if threading.active_count() > 1 or cores_busy():
        return None  # (a lock another thread holds would stay held in the child)
    if by_modules and n_episodes * (n_ends + 3) >= MIN_WORK:
        return by_modules
    if n_modules and n_ends >= END_SPLIT_ENDS and n_episodes * n_ends >= END_SPLIT_WORK:
        return "ends"
    return None


def end_share(n_ends: int) -> list[int]:
    """Positions of the period ends whose modules the child computes (split by ends):
    the later half.

    Examples
    --------
    >>> end_share(12), end_share(7)
    ([6, 7, 8, 9, 10, 11], [3, 4, 5, 6])
    """
    return list(range(n_ends // 2, n_ends))


def child_share(names: Sequence[str], n_ends: int) -> list[int]:
    """Positions (in ``names``) of the modules the child computes: the costliest first,
    each to the side with less cost so far, the child's side holding about
    :data:`CHILD_SHARE` of the whole (:data:`MODULE_COST`; a module not there counts as
    the mean).

    Examples
    --------
    >>> child_share(["population", "reviews"], 12)
    [1]
    >>> child_share(["a", "b", "c", "d"], 1)
    [0, 2]
    """
    known = [sum(MODULE_COST[n]) for n in names if n in MODULE_COST]
    mean = (float(np.mean(known)), 0.0) if known else (1.0, 0.0)
    cost = [MODULE_COST.get(n, mean) for n in names]
    weight = [a + b * n_ends for a, b in cost]
    order = sorted(range(len(names)), key=lambda i: (-weight[i], i))
    total = sum(weight)
    child: list[int] = []
    child_cost = parent_cost = 0.0
    for i in order:
        # the side further below its target takes the module
        if child_cost / CHILD_SHARE <= parent_cost / (1 - CHILD_SHARE):
            child.append(i)
            child_cost += weight[i]
        else:
            parent_cost += weight[i]
    if total and not parent_cost:  # (one module: nothing to share)
        return []
    return sorted(child)


@dataclass
class Share:
    """One process's part of the run: blocks by segment, its findings' segment marks,
    and where it stopped if a module raised.

    ``start`` is the findings collector's length before the first segment, ``marks``
    hold ``(segment, collector length)`` after each segment: each finding row's segment
    follows from them (:func:`row_segments`).
    """

    start: int = 0
    blocks: dict[int, list[Block]] = field(default_factory=dict)
    marks: list[tuple[int, int]] = field(default_factory=list)
    failed: int | None = None
    error: BaseException | None = None


def compute_share(
    base: Context,
    ends: Sequence[pd.Timestamp],
    modules: Modules,
    positions: Sequence[int],
    by: str = "modules",
) -> Share:
    """Compute the modules at ``positions`` at every period end (``by="modules"``), or
    every module at the period ends at ``positions`` (``by="ends"``), in the serial
    order, stopping at the first module that raises an ``Exception`` (others propagate).

    Examples
    --------
    >>> from cppanalytics.ssda903.dataset import Dataset
    >>> from cppanalytics.indicators import population
    >>> base = Context(Dataset(), "2024-03-31")
    >>> share = compute_share(base, [base.period_end], [(population, {"cla_count"})], [0])
    >>> [b.indicator_id for b in share.blocks[0]], share.failed
    (['cla_count'], None)
    """
    out = Share(start=len(base.findings))
    by_end = by == "ends"
    chosen = set(positions)
    every = range(len(modules))
    for e, d in enumerate(ends):
        if by_end and e not in chosen:
            continue
        ctx = base.at(d)
        for p in every if by_end else positions:
            module, ids = modules[p]
            seg = segment(e, len(modules), p)
            try:
                out.blocks[seg] = list(module.compute(ctx, ids))
            except Exception as exc:
                out.failed, out.error = seg, exc
                return out
            out.marks.append((seg, len(base.findings)))
    return out


def row_segments(start: int, marks: Sequence[tuple[int, int]], stop: int) -> np.ndarray:
    """The segment of each finding row ``0``..``stop`` of a collector: -1 for the rows
    written before the share began (``start``), else the first segment after which the
    collector held the row.

    Examples
    --------
    >>> row_segments(2, [(0, 3), (2, 3), (5, 6)], 6).tolist()
    [-1, -1, 0, 5, 5, 5]
    """
    counts = np.array([n for _, n in marks], dtype=np.int64)
    segs = np.array([s for s, _ in marks] + [-1], dtype=np.int64)
    rows = np.arange(stop, dtype=np.int64)
    found = segs[np.searchsorted(counts, rows, side="right")]
    return np.where(rows < start, -1, found)


class RemoteTraceback(Exception):
    """The traceback text of an exception raised in the child process (set as the
    re-raised exception's cause)."""

    def __str__(self) -> str:
        return "\n" + str(self.args[0]) if self.args else ""


def _child_error(exc: BaseException) -> tuple[Any, ...]:
    """What the child sends for an exception: the pickled exception if it survives a
    round trip, else its type's name and message; with the traceback text either way."""
    text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    try:
        blob = pickle.dumps(exc, protocol=pickle.HIGHEST_PROTOCOL)
        pickle.loads(blob)
    except Exception:  # an exception type that does not pickle: its name and text
        return (None, f"{type(exc).__module__}.{type(exc).__qualname__}", str(exc), text)
    return (blob, "", "", text)


def rebuild_error(sent: tuple[Any, ...]) -> BaseException:
    """The exception the child sent (:func:`_child_error`), its traceback text as the
    cause.

    Examples
    --------
    >>> from cppanalytics.errors import CppError
    >>> try:
    ...     raise CppError("file x: bad")
    ... except CppError as exc:
    ...     again = rebuild_error(_child_error(exc))
    >>> type(again).__name__, str(again), "raise CppError" in str(again.__cause__)
    ('CppError', 'file x: bad', True)
    """
    blob, name, message, text = sent
    exc: BaseException = (
        pickle.loads(blob) if blob is not None else RuntimeError(f"{name}: {message}")
    )
    exc.__cause__ = RemoteTraceback(text)
    return exc


def _child_main(
    base: Context,
    ends: Sequence[pd.Timestamp],
    modules: Modules,
    positions: Sequence[int],
    write_fd: int,
    with_findings: bool,
    by: str = "modules",
) -> None:
    """The forked child: compute its share, send it, and leave (never returns)."""
    status = 0
    began = time.process_time()
    try:
        try:
            share = compute_share(base, ends, modules, positions, by)
            stop = len(base.findings)
            payload: tuple[Any, ...]
            if share.error is not None:
                payload = ("error", share.failed, _child_error(share.error))
            else:
                found = None
                segs = None
                if with_findings and stop > share.start:
                    found = base.findings.to_frame().iloc[share.start :]
                    segs = row_segments(share.start, share.marks, stop)[share.start :]
                payload = ("ok", share.blocks, found, segs, time.process_time() - began)
            data = pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)
        except BaseException:  # not sendable: the parent computes again by itself
            status = 1
            data = pickle.dumps(("lost", traceback.format_exc()))
        with os.fdopen(write_fd, "wb", closefd=True) as pipe:
            pipe.write(data)
    except BaseException:  # the parent has gone: nothing to tell
        status = 1
    finally:
        os._exit(status)


def _receive(read_fd: int, deadline: float) -> bytes | None:
    """Everything the child writes until it closes the pipe, or None if it does not
    before ``deadline`` (``time.monotonic``)."""
    chunks: list[bytes] = []
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return None
        ready, _, _ = select.select([read_fd], [], [], left)
        if not ready:
            continue
        chunk = os.read(read_fd, 1 << 20)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def _reap(pid: int, kill: bool) -> int:
    """Wait for the child (killed first when ``kill``) and return its wait status."""
    if kill:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:  # pragma: no cover - already gone
            pass
    while True:
        try:
            return os.waitpid(pid, 0)[1]
        except InterruptedError:  # pragma: no cover - retried by Python already
            continue
        except ChildProcessError:  # pragma: no cover - reaped elsewhere
            return 0


def compute_split(
    base: Context,
    ends: Sequence[pd.Timestamp],
    modules: Modules,
    child: Sequence[int],
    with_findings: bool,
    by: str = "modules",
) -> tuple[list[Block], pd.DataFrame] | None:
    """Compute every module at every end, those at positions ``child`` (of ``modules``,
    or of ``ends`` when ``by="ends"``: every module there) in a forked child, the rest
    here; return the blocks in the serial order and the findings
    written (``base.findings``' rows, then both processes', in the serial order, not yet
    stripped of repeats), or None when the child was lost (compute again serially).

    Raises what the serial run would raise first (see the module docstring).

    Examples
    --------
    >>> from cppanalytics.ssda903.dataset import Dataset
    >>> from cppanalytics.indicators import population, stability
    >>> base = Context(Dataset(), "2024-03-31")
    >>> mods = [(population, {"cla_count"}), (stability, {"stability_3plus_placements"})]
    >>> blocks, found = compute_split(base, [base.period_end], mods, [1], True)
    >>> [b.indicator_id for b in blocks], len(found)
    (['cla_count', 'stability_3plus_placements'], 0)
    """
    own = [p for p in range(len(ends if by == "ends" else modules)) if p not in set(child)]
    read_fd, write_fd = os.pipe()
    try:
        with warnings.catch_warnings():  # (Python 3.12 warns of other threads; asked for)
            warnings.simplefilter("ignore", DeprecationWarning)
            pid = os.fork()
    except OSError as exc:
        os.close(read_fd)
        os.close(write_fd)
        log.info("computing on one process: cannot start a second (%s)", exc)
        return None
    if pid == 0:  # pragma: no cover - the child (its coverage is not collected)
        os.close(read_fd)
        _child_main(base, ends, modules, child, write_fd, with_findings, by)
    os.close(write_fd)
    status: int | None = None
    try:
        started, cpu = time.monotonic(), time.process_time()
        mine = compute_share(base, ends, modules, own, by)
        took, cpu = time.monotonic() - started, time.process_time() - cpu
        data = _receive(read_fd, time.monotonic() + CHILD_GRACE_SECONDS + CHILD_WAIT_FACTOR * took)
        os.close(read_fd)
        read_fd = -1
        sent = _unpack(data)
        if sent is None:  # lost: reaped now, to say how
            status = _reap(pid, kill=True)
            _say_lost(data, status)
            return None
        if sent[0] == "error" and (mine.failed is None or sent[1] < mine.failed):
            raise rebuild_error(sent[2])
        if mine.error is not None:
            raise mine.error
        log.info(
            "computed on two processes (split by %s): this one's share %.2f s CPU (%.2f "
            "s), the other's %.2f s CPU, waited %.2f s for it",
            by,
            cpu,
            took,
            sent[4],
            time.monotonic() - started - took,
        )
        # (the child leaves while the two are merged)
        return _merge(base, mine, sent[1], sent[2], sent[3])
    finally:
        if read_fd >= 0:
            os.close(read_fd)
        if status is None:  # done, raised or interrupted: the child is waited for
            _reap(pid, kill=True)


def _unpack(data: bytes | None) -> tuple[Any, ...] | None:
    """The child's message (``ok`` or ``error``), or None when it was lost: no answer in
    time, a death, a message that does not read, or its own report of not sending."""
    if not data:
        return None
    try:
        sent = pickle.loads(data)
    except Exception:
        return None
    if not isinstance(sent, tuple) or sent[0] not in ("ok", "error"):
        return None
    return sent


def _say_lost(data: bytes | None, status: int) -> None:
    """Log why the child was lost (the run is then computed again on one process)."""
    if data is None:
        why = "no answer in time"
    elif os.WIFSIGNALED(status):
        why = f"ended by signal {os.WTERMSIG(status)}"
    else:
        why = f"exit status {os.waitstatus_to_exitcode(status)}"
    log.warning("the second computing process was lost (%s); computing again on one", why)


def _merge(
    base: Context,
    mine: Share,
    blocks: dict[int, list[Block]],
    found: pd.DataFrame | None,
    segs: np.ndarray | None,
) -> tuple[list[Block], pd.DataFrame]:
    """Both processes' blocks in the serial order, and the findings of both ordered by
    segment (each process's own rows in the order written)."""
    every = {**mine.blocks, **blocks}
    ordered = [b for s in sorted(every) for b in every[s]]
    stop = len(base.findings)
    frames = [base.findings.to_frame()]
    keys = [row_segments(mine.start, mine.marks, stop)]
    if found is not None and segs is not None and len(found):
        frames.append(found)
        keys.append(segs)
    if len(frames) == 1:
        return ordered, frames[0]
    whole = pd.concat(frames, ignore_index=True)
    order = np.argsort(np.concatenate(keys), kind="stable")
    return ordered, whole.take(order).reset_index(drop=True)
