"""Computing on two processes against the serial run: the same results and findings,
row for row in order, whichever modules the forked child computes; the serial run's
exception when a module raises on either side; the serial answer when the child is lost
(killed, hung); no child left behind; and the split off where it should be.
"""

from __future__ import annotations

import importlib
import os
import pickle
import signal
import sys
import time
from types import ModuleType, SimpleNamespace

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pytest

from cppanalytics.errors import CppError
from cppanalytics.findings import Findings
from cppanalytics.indicators import councils, parallel
from cppanalytics.indicators.compute import compute
from cppanalytics.indicators.context import Context
from cppanalytics.results import block
from cppanalytics.ssda903.dataset import Dataset
from tests.indicators.test_all_ends import ENDS as ALL_ENDS
from tests.indicators.test_all_ends import _hand
from tests.indicators.test_all_ends import demo_slice as demo_slice  # noqa: F401 (fixture)

#: the module (the package's ``compute`` is the function)
compute_module = importlib.import_module("cppanalytics.indicators.compute")

#: 12 quarter ends, 31/12/2021 to 30/09/2024 (an 18th birthday on one, leavers, moves)
ENDS = ALL_ENDS[8:20]

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="no os.fork on this system")

#: the catalogue's modules in the order a run computes them (the hand data asks for all)
N_MODULES = len(compute_module.SECTION_MODULES)

#: which modules the child computes in each checked split (positions in the run's order)
SPLITS = {
    "first": [0],
    "all_but_first": list(range(1, N_MODULES)),
    "even": list(range(0, N_MODULES, 2)),
    "odd": list(range(1, N_MODULES, 2)),
    "last": [N_MODULES - 1],
}


def _run(data: Dataset, ends: list[str], parallel_on: bool) -> tuple[pd.DataFrame, pd.DataFrame]:
    found = Findings()
    results = compute(data, ends, la_code="E06000042", findings=found, parallel=parallel_on)
    return results, found.to_frame()


def _same(a: tuple[pd.DataFrame, pd.DataFrame], b: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    """Results and findings identical: values, dtypes, order."""
    pd.testing.assert_frame_equal(a[0], b[0], check_exact=True)
    pd.testing.assert_frame_equal(a[1], b[1], check_exact=True)


@pytest.fixture
def spied(monkeypatch: pytest.MonkeyPatch) -> dict[str, list]:
    """Record each split's child pid and the findings both processes wrote (repeats not
    yet dropped), and count the splits."""
    seen: dict[str, list] = {"pids": [], "raw": []}
    fork = os.fork

    def spy_fork() -> int:
        pid = fork()
        if pid:
            seen["pids"].append(pid)
        return pid

    merge = parallel._merge

    def spy_merge(*args, **kwargs):
        out = merge(*args, **kwargs)
        seen["raw"].append(out[1])
        return out

    monkeypatch.setattr(parallel.os, "fork", spy_fork)
    monkeypatch.setattr(parallel, "_merge", spy_merge)
    return seen


def _no_child_left(pids: list[int]) -> None:
    for pid in pids:
        with pytest.raises(ChildProcessError):  # reaped: no zombie
            os.waitpid(pid, os.WNOHANG)


#: which period ends (positions in ``ENDS``) the child computes in each checked split by ends
END_SPLITS = {
    "first": [0],
    "all_but_first": list(range(1, 12)),
    "later_half": parallel.end_share(12),
    "odd": list(range(1, 12, 2)),
    "last": [11],
}


def _by_ends(monkeypatch: pytest.MonkeyPatch, ends: list[int]) -> None:
    """Runs asking for the split (``parallel=True``) split by ends, the child computing
    the period ends at ``ends``; the others compute serially."""
    monkeypatch.setattr(compute_module, "split_by", lambda wanted, *a: "ends" if wanted else None)
    monkeypatch.setattr(compute_module, "end_share", lambda n: ends)


@pytest.mark.parametrize(
    "by, split", [*(("modules", k) for k in SPLITS), *(("ends", k) for k in END_SPLITS)]
)
def test_hand_cases_on_two_processes_equal_the_serial_run(by, split, monkeypatch, spied) -> None:
    if by == "modules":
        monkeypatch.setattr(compute_module, "child_share", lambda names, n: SPLITS[split])
    else:
        _by_ends(monkeypatch, END_SPLITS[split])
    data = _hand()
    serial = _run(data, ENDS, False)
    assert spied["pids"] == []
    split_run = _run(data, ENDS, True)
    assert len(spied["pids"]) == 1 and len(spied["raw"]) == 1
    _same(split_run, serial)
    _no_child_left(spied["pids"])
    assert len(serial[1]) > 10 and not serial[1].duplicated().any()
    assert len(set(serial[1]["message"])) > 5  # findings written at several ends
    if by == "ends" and split in ("later_half", "odd"):  # some on both sides, kept once
        assert len(spied["raw"][0]) > len(serial[1])


def test_a_building_block_finding_written_on_both_sides_is_kept_once_where_serial_has_it(
    monkeypatch, spied
) -> None:
    """``looked_after_18_plus`` is written by the cohort at a period end, built by the
    first module asking for it: with the first module in the child, both processes build
    the cohort and write the finding; the serial run's (the child's, earlier) is kept."""
    monkeypatch.setattr(compute_module, "child_share", lambda names, n: [0])
    data = _hand()
    serial = _run(data, ENDS, False)
    split_run = _run(data, ENDS, True)
    _same(split_run, serial)
    raw = spied["raw"][0]
    adult = raw[raw["code"] == "looked_after_18_plus"]
    kept = serial[1][serial[1]["code"] == "looked_after_18_plus"]
    assert len(kept) >= 1
    assert len(adult) > len(kept)  # written in both processes, the copies dropped


def test_the_default_split_shares_the_catalogue_and_equals_the_serial_run(spied) -> None:
    data = _hand()
    _same(_run(data, ENDS[:3], True), _run(data, ENDS[:3], False))
    assert len(spied["pids"]) == 1
    names = list(compute_module.SECTION_MODULES)
    child = parallel.child_share(names, 12)
    assert 0 < len(child) < len(names)


@pytest.mark.parametrize("split", ["first", "odd"])
def test_a_demo_slice_on_two_processes_equals_the_serial_run(
    split,
    demo_slice,
    monkeypatch,
    spied,  # noqa: F811
) -> None:
    monkeypatch.setattr(compute_module, "child_share", lambda names, n: SPLITS[split])
    ends = [d.strftime("%Y-%m-%d") for d in pd.date_range("2023-09-30", "2026-06-30", freq="QE")]
    serial = _run(demo_slice, ends, False)
    _same(_run(demo_slice, ends, True), serial)
    assert len(spied["pids"]) == 1
    assert len(serial[1]) > 10


def test_a_demo_slice_of_many_ends_is_split_by_ends_and_equals_the_serial_run(
    demo_slice,
    monkeypatch,
    spied,  # noqa: F811
) -> None:
    """The decision itself (not stubbed) on a quiet machine: a small run of 12 ends is
    split by ends (the threshold lowered to the slice's size), with the serial answer."""
    ends = [d.strftime("%Y-%m-%d") for d in pd.date_range("2023-09-30", "2026-06-30", freq="QE")]
    serial = _run(demo_slice, ends, False)
    _quiet_machine(monkeypatch)
    monkeypatch.setattr(parallel, "END_SPLIT_WORK", 1_000)
    used: list[str | None] = []
    decide = parallel.split_by

    def spy(*args):
        used.append(decide(*args))
        return used[-1]

    monkeypatch.setattr(compute_module, "split_by", spy)
    found = Findings()
    results = compute(demo_slice, ends, la_code="E06000042", findings=found)
    assert used == ["ends"] and len(spied["pids"]) == 1
    _same((results, found.to_frame()), serial)
    _no_child_left(spied["pids"])


def test_row_segments_equal_the_plain_definition() -> None:
    rng = np.random.default_rng(5)
    for _ in range(50):
        start = int(rng.integers(0, 4))
        counts = np.cumsum(rng.integers(0, 3, size=int(rng.integers(0, 6)))) + start
        segs = np.sort(rng.choice(40, size=len(counts), replace=False))
        marks = list(zip(segs.tolist(), counts.tolist(), strict=True))
        stop = int(counts[-1]) if len(counts) else start
        plain = []
        for row in range(stop):
            if row < start:
                plain.append(-1)
                continue
            plain.append(next(s for s, n in marks if n > row))
        assert parallel.row_segments(start, marks, stop).tolist() == plain


# ---------------------------------------------------------------- modules made for the tests
def _module(name: str, compute_fn) -> ModuleType:
    module = ModuleType(f"cppanalytics.indicators.{name}")
    module.IDS = {name}
    module.compute = compute_fn
    return module


def _blocks(name: str):
    def compute_fn(ctx, ids):
        ctx.findings.add("info", f"{name}_seen", message=f"{ctx.period_end:%Y-%m-%d}")
        return [block(name, ctx.period_end, ctx.window("cla_count"), numerator=[1.0], unit="n")]

    return compute_fn


def _raising(exc_at: str, make_exc):
    def compute_fn(ctx, ids):
        if f"{ctx.period_end:%Y-%m-%d}" == exc_at:
            raise make_exc()
        return []

    return compute_fn


def _split(modules, child, ends=("2024-03-31", "2024-06-30"), by="modules"):
    base = Context(Dataset(), ends[0])
    stamps = [pd.Timestamp(d) for d in ends]
    return parallel.compute_split(base, stamps, modules, child, True, by)


def _serial(modules, ends=("2024-03-31", "2024-06-30")):
    base = Context(Dataset(), ends[0])
    blocks = []
    for d in ends:
        ctx = base.at(d)
        for module, ids in modules:
            blocks.extend(module.compute(ctx, ids))
    return blocks, base.findings.to_frame()


@pytest.mark.parametrize("by", ["modules", "ends"])
def test_made_up_modules_merge_in_the_serial_order(by, spied) -> None:
    """The child computes the second module, or every module at the second period end."""
    modules = [(_module(n, _blocks(n)), {n}) for n in ("a", "b", "c")]
    ends = ("2024-03-31", "2024-06-30", "2024-09-30")
    got = _split(modules, [1], ends, by)
    want = _serial(modules, ends)
    assert got is not None
    assert [(b.indicator_id, b.period_end) for b in got[0]] == [
        (b.indicator_id, b.period_end) for b in want[0]
    ]
    pd.testing.assert_frame_equal(got[1], want[1])
    _no_child_left(spied["pids"])


class Unpicklable(Exception):
    def __init__(self, a, b):
        super().__init__(f"{a}/{b}")

    def __reduce__(self):
        raise TypeError("not this one")


@pytest.mark.parametrize(
    "make_exc, kind, text",
    [
        (lambda: CppError("file x.csv: row 3 is bad; fix it."), CppError, "row 3 is bad"),
        (lambda: ValueError("no good"), ValueError, "no good"),
        (lambda: Unpicklable(1, 2), RuntimeError, "Unpicklable: 1/2"),
    ],
)
def test_the_childs_exception_reaches_the_caller(make_exc, kind, text, spied) -> None:
    modules = [
        (_module("a", _blocks("a")), {"a"}),
        (_module("b", _raising("2024-03-31", make_exc)), {"b"}),
    ]
    with pytest.raises(kind, match=text) as info:
        _split(modules, [1])
    assert isinstance(info.value.__cause__, parallel.RemoteTraceback)
    assert "compute_fn" in str(info.value.__cause__)  # the child's traceback text
    _no_child_left(spied["pids"])


@pytest.mark.parametrize("by", ["modules", "ends"])
@pytest.mark.parametrize("child_first", [True, False])
def test_the_earliest_exception_is_raised_as_the_serial_run_raises_it(
    by, child_first, spied
) -> None:
    """The child computes module b (split by modules) or both modules at the second period
    end (by ends); whichever side raises first in the serial order is raised, as the
    serial run raises it."""
    early, late = ("2024-03-31", "2024-06-30")
    if by == "modules":
        b_at, a_at = (early, late) if child_first else (late, early)
    else:  # a raises in the child (at the second end), or here (at the first)
        a_at, b_at = (late, late) if child_first else (early, late)
    modules = [
        (_module("a", _raising(a_at, lambda: CppError("a's"))), {"a"}),
        (_module("b", _raising(b_at, lambda: CppError("b's"))), {"b"}),
    ]
    with pytest.raises(CppError) as serial:
        _serial(modules)
    with pytest.raises(CppError) as split:
        _split(modules, [1], by=by)
    assert str(split.value) == str(serial.value)
    _no_child_left(spied["pids"])


def _killed_in_child(parent: int):
    def compute_fn(ctx, ids):
        if os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)
        return []

    return compute_fn


def test_a_killed_child_gives_none_and_is_reaped(spied) -> None:
    modules = [
        (_module("a", _blocks("a")), {"a"}),
        (_module("b", _killed_in_child(os.getpid())), {"b"}),
    ]
    assert _split(modules, [1]) is None
    _no_child_left(spied["pids"])


def test_a_hung_child_is_killed_and_reaped(monkeypatch, spied) -> None:
    parent = os.getpid()

    def hang(ctx, ids):
        while os.getpid() != parent:
            time.sleep(1)
        return []

    monkeypatch.setattr(parallel, "CHILD_GRACE_SECONDS", 1.0)
    modules = [(_module("a", _blocks("a")), {"a"}), (_module("b", hang), {"b"})]
    started = time.monotonic()
    assert _split(modules, [1]) is None
    assert time.monotonic() - started < 30
    _no_child_left(spied["pids"])


def test_compute_gives_the_serial_answer_when_the_child_is_killed(monkeypatch, spied) -> None:
    from cppanalytics.indicators import reviews

    real = reviews.compute
    parent = os.getpid()

    def dying(ctx, ids):
        if os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)
        return real(ctx, ids)

    data = _hand()
    serial = _run(data, ENDS, False)
    monkeypatch.setattr(reviews, "compute", dying)
    names = list(compute_module.SECTION_MODULES)
    monkeypatch.setattr(compute_module, "child_share", lambda n, e: [names.index("reviews")])
    _same(_run(data, ENDS, True), serial)
    assert len(spied["pids"]) == 1
    _no_child_left(spied["pids"])


def test_compute_raises_the_childs_cpp_error_unchanged(monkeypatch, spied) -> None:
    from cppanalytics.indicators import reviews

    def failing(ctx, ids):
        raise CppError("reviews.csv: cannot be used; fix it.")

    monkeypatch.setattr(reviews, "compute", failing)
    names = list(compute_module.SECTION_MODULES)
    monkeypatch.setattr(compute_module, "child_share", lambda n, e: [names.index("reviews")])
    with pytest.raises(CppError) as serial:
        _run(_hand(), ENDS, False)
    with pytest.raises(CppError) as split:
        _run(_hand(), ENDS, True)
    assert str(split.value) == str(serial.value) == "reviews.csv: cannot be used; fix it."
    assert len(spied["pids"]) == 1
    _no_child_left(spied["pids"])


def test_pyarrow_threads_work_in_the_child(tmp_path, spied) -> None:
    """pyarrow's thread pools, used here before the fork, work in the child (Arrow
    re-creates them after a fork)."""
    path = tmp_path / "x.csv"
    path.write_text("a,b\n" + "".join(f"{i},{i % 7}\n" for i in range(200_000)))
    options = pacsv.ReadOptions(use_threads=True, block_size=1 << 16)
    before = pacsv.read_csv(path, read_options=options)
    assert pa.cpu_count() >= 1

    def read(ctx, ids):
        table = pacsv.read_csv(path, read_options=options)
        ctx.findings.add("info", "rows", value=table.num_rows)
        total = float(table["b"].to_numpy().sum())
        return [block("t", ctx.period_end, ctx.window("cla_count"), numerator=[total], unit="n")]

    modules = [(_module("a", _blocks("a")), {"a"}), (_module("t", read), {"t"})]
    got = _split(modules, [1])
    assert got is not None
    total = float(before["b"].to_numpy().sum())
    assert [b.numerator.tolist() for b in got[0] if b.indicator_id == "t"] == [[total], [total]]
    assert got[1]["value"].tolist().count("200000") == 2
    _no_child_left(spied["pids"])


# ---------------------------------------------------------------- when the split is off
def _quiet_machine(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two CPUs, an idle machine, one thread (a test runner's own threads aside)."""
    monkeypatch.setattr(parallel.os, "getloadavg", lambda: (0.5, 0.5, 0.5))
    monkeypatch.setattr(parallel.os, "sched_getaffinity", lambda pid: {0, 1})
    monkeypatch.setattr(parallel.threading, "active_count", lambda: 1)


def test_the_split_is_off_where_it_should_be(monkeypatch) -> None:
    big = 10**7
    _quiet_machine(monkeypatch)
    assert parallel.use_split(None, big, 12, 10)
    assert not parallel.use_split(False, big, 12, 10)
    assert not parallel.use_split(True, big, 12, 1)  # one module: nothing to share
    assert not parallel.use_split(None, 10, 1, 10)  # small
    assert parallel.use_split(True, 10, 1, 10)
    for value in ("0", "off", "False", "no"):
        monkeypatch.setenv(parallel.ENV_VAR, value)
        assert not parallel.use_split(None, big, 12, 10)
    monkeypatch.setenv(parallel.ENV_VAR, "1")
    assert parallel.use_split(None, big, 12, 10)
    assert parallel.use_split(None, 10, 1, 10)  # small, but asked for
    monkeypatch.setattr(parallel.os, "sched_getaffinity", lambda pid: {3})
    assert not parallel.use_split(None, big, 12, 10)  # one CPU
    monkeypatch.undo()
    _quiet_machine(monkeypatch)
    monkeypatch.setattr(parallel.os, "getloadavg", lambda: (7.0, 7.0, 7.0))
    assert not parallel.use_split(None, big, 12, 10)  # the cores are busy
    assert parallel.use_split(True, big, 12, 10)
    monkeypatch.setattr(parallel.os, "getloadavg", lambda: (2.9, 7.0, 7.0))
    assert parallel.use_split(None, big, 12, 10)
    monkeypatch.setattr(parallel.threading, "active_count", lambda: 2)
    assert not parallel.use_split(None, big, 12, 10)  # another thread runs
    monkeypatch.setenv(parallel.ENV_VAR, "yes")
    assert parallel.use_split(None, big, 12, 10)
    monkeypatch.undo()
    _quiet_machine(monkeypatch)
    fake = SimpleNamespace(get_worker=lambda: object())
    monkeypatch.setitem(sys.modules, "distributed", fake)
    assert parallel.in_dask_worker()
    assert not parallel.use_split(None, big, 12, 10)  # a Dask worker's task
    monkeypatch.undo()
    monkeypatch.delattr(parallel.os, "fork")
    assert not parallel.use_split(True, big, 12, 10)  # no fork (Windows)


def test_a_small_run_of_many_ends_is_split_by_ends_where_a_split_may_be_made(monkeypatch) -> None:
    big = 10**7
    ends, work = parallel.END_SPLIT_ENDS, parallel.END_SPLIT_WORK
    enough = -(-work // ends)  # episodes enough at END_SPLIT_ENDS ends
    _quiet_machine(monkeypatch)
    assert parallel.split_by(None, big, 12, 10) == "modules"
    assert parallel.split_by(True, 10, 1, 10) == "modules"  # asked for: by modules
    assert parallel.split_by(None, enough, ends, 10) == "ends"
    assert parallel.split_by(None, enough * 2, 12, 2) == "ends"
    assert parallel.split_by(None, enough - 1, ends, 10) is None  # too small
    assert parallel.split_by(None, big // 100, ends - 1, 10) is None  # too few ends
    assert parallel.split_by(False, enough, ends, 10) is None
    assert parallel.split_by(None, enough, ends, 0) is None  # nothing to compute
    monkeypatch.setenv(parallel.ENV_VAR, "0")
    assert parallel.split_by(None, enough, ends, 10) is None
    monkeypatch.setenv(parallel.ENV_VAR, "1")
    assert parallel.split_by(None, enough, ends, 10) == "modules"
    monkeypatch.delenv(parallel.ENV_VAR)
    monkeypatch.setattr(parallel.os, "getloadavg", lambda: (7.0, 7.0, 7.0))
    assert parallel.split_by(None, enough, ends, 10) is None  # the cores are busy
    monkeypatch.undo()
    _quiet_machine(monkeypatch)
    monkeypatch.setattr(parallel.threading, "active_count", lambda: 2)
    assert parallel.split_by(None, enough, ends, 10) is None  # another thread runs
    monkeypatch.undo()
    _quiet_machine(monkeypatch)
    monkeypatch.setattr(parallel.os, "sched_getaffinity", lambda pid: {3})
    assert parallel.split_by(None, enough, ends, 10) is None  # one CPU
    monkeypatch.undo()
    _quiet_machine(monkeypatch)
    monkeypatch.setitem(sys.modules, "distributed", SimpleNamespace(get_worker=lambda: object()))
    assert parallel.split_by(None, enough, ends, 10) is None  # a Dask worker's task
    monkeypatch.undo()
    _quiet_machine(monkeypatch)
    monkeypatch.delattr(parallel.os, "fork")
    assert parallel.split_by(None, enough, ends, 10) is None  # no fork (Windows)


def test_end_share_is_the_later_half() -> None:
    assert parallel.end_share(12) == [6, 7, 8, 9, 10, 11]
    assert parallel.end_share(7) == [3, 4, 5, 6]
    assert parallel.end_share(1) == [0]


def test_outside_a_dask_worker_is_not_a_worker(monkeypatch) -> None:
    def no_worker():
        raise ValueError("No worker found")

    monkeypatch.setitem(sys.modules, "distributed", SimpleNamespace(get_worker=no_worker))
    assert not parallel.in_dask_worker()


def test_councils_compute_serially(monkeypatch, tmp_path) -> None:
    """Every council is computed with the split off (the workers use the cores)."""
    asked: list[object] = []

    def spy(*args, **kwargs):
        asked.append(kwargs.get("parallel"))
        return pd.DataFrame({"indicator_id": []})

    monkeypatch.setattr(councils, "compute", spy)
    monkeypatch.setattr(councils, "build_dataset", lambda extract, la: Dataset())
    job = SimpleNamespace(folder=None, extract=object(), la_code="E06000042")
    councils.run_council(job, [pd.Timestamp("2024-03-31")], None, None, None, pd.Timestamp.now())
    assert asked == [False]


def test_a_share_pickles() -> None:
    share = parallel.Share(start=2, blocks={3: []}, marks=[(3, 2)])
    assert pickle.loads(pickle.dumps(share)) == share


@pytest.mark.parametrize("ids", [None, ["cla_count", "stability_3plus_placements"]])
def test_without_a_findings_collector_or_with_a_few_ids(ids, spied) -> None:
    data = _hand()
    ends = ENDS[:4]
    serial = compute(data, ends, ids=ids, la_code="E06000042", parallel=False)
    split = compute(data, ends, ids=ids, la_code="E06000042", parallel=True)
    pd.testing.assert_frame_equal(split, serial, check_exact=True)
    assert len(spied["pids"]) == 1
    _no_child_left(spied["pids"])
