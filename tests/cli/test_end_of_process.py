"""How the ``cppanalytics`` program ends: a command that kept its data
(:func:`cppanalytics.cli.keep_until_exit`) ends the process at once, its output flushed
and its exit status kept; called from Python the kept data are let go."""

from __future__ import annotations

import gc
import subprocess
import sys
from pathlib import Path

import pytest

from cppanalytics import cli
from cppanalytics.ssda903.dataset import Dataset
from tests.cli.demo_run import demo_indicators_argv

ROOT = Path(__file__).resolve().parents[2]

#: a stand-in command that keeps an object saying when it is freed, prints a line on
#: stdout (a pipe here: block-buffered) and on stderr, and returns status ``argv[1]``
PROBE = """
import sys
from cppanalytics import cli

class Noisy:
    def __del__(self):
        print("freed", flush=True)

keep, status = sys.argv[1] == "keep", int(sys.argv[2])

def fake_main(argv=None):
    if keep:
        cli.keep_until_exit(Noisy(), list(range(1000)))
    print("results written")
    print("a note", file=sys.stderr)
    return status

cli.main = fake_main
sys.exit(cli.run())
"""


def _probe(keep: bool, status: int) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", PROBE, "keep" if keep else "free", str(status)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        timeout=120,
    )


@pytest.mark.parametrize("status", [0, 1, 3])
def test_kept_data_are_not_freed_and_the_output_and_status_survive(status: int) -> None:
    done = _probe(keep=True, status=status)
    assert done.returncode == status
    assert done.stdout.splitlines() == ["results written"]  # flushed, and never freed
    assert done.stderr.splitlines() == ["a note"]


def test_without_kept_data_the_process_ends_as_usual() -> None:
    done = _probe(keep=False, status=1)
    assert done.returncode == 1
    assert done.stdout.splitlines() == ["results written"]


def test_the_indicators_command_keeps_its_dataset_and_main_lets_it_go(
    tmp_path: Path,
) -> None:
    argv = demo_indicators_argv(tmp_path)
    frozen_before = gc.get_freeze_count()
    try:
        assert cli._command(argv) == 0
        assert any(isinstance(held, Dataset) for held in cli._KEPT)
    finally:
        cli._KEPT.clear()
        if not frozen_before:  # (the inner command freezes its imports; main would not)
            gc.unfreeze()
    assert cli.main(argv) == 0
    assert cli._KEPT == []  # called from Python: nothing outlives the call


def test_the_program_writes_what_main_writes(tmp_path: Path) -> None:
    (tmp_path / "program").mkdir()
    (tmp_path / "python").mkdir()
    done = subprocess.run(
        [sys.executable, "-m", "cppanalytics", *demo_indicators_argv(tmp_path / "program")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "result rows" in done.stdout
    assert cli.main(demo_indicators_argv(tmp_path / "python")) == 0
    for name in ("r.csv", "r_findings.csv"):
        written = (tmp_path / "program" / name).read_bytes()
        assert written and written == (tmp_path / "python" / name).read_bytes()


#: the program's setting for numpy's linear algebra threads, as a command sees it
BLAS_PROBE = """
import os, sys
from cppanalytics import cli

cli.main = lambda argv=None: print(os.environ.get("OPENBLAS_NUM_THREADS")) or 0
sys.exit(cli.run())
"""


@pytest.mark.parametrize(("given", "seen"), [(None, "1"), ("4", "4")])
def test_the_program_runs_linear_algebra_on_one_thread_unless_told(
    given: str | None, seen: str
) -> None:
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}
    if given is not None:
        env["OPENBLAS_NUM_THREADS"] = given
    done = subprocess.run(
        [sys.executable, "-c", BLAS_PROBE], capture_output=True, text=True, cwd=ROOT, env=env
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == seen
