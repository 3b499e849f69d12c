"""The garbage collector around a command: the engine's imports are frozen, the
collector is on afterwards, and a command called from Python hands the frozen objects
back (only the process's own command leaves them frozen, as it is about to end)."""

from __future__ import annotations

import gc
import json
import subprocess
import sys
from pathlib import Path

from tests.cli.demo_run import demo_indicators_argv

ROOT = Path(__file__).resolve().parents[2]

#: runs the command in a fresh interpreter (from Python with the arguments, or as the
#: process's own command line), then prints the collector's state and the exit status
PROBE = """
import gc, json, sys
from cppanalytics.cli import main
as_command = sys.argv.pop(1) == "command"
before = gc.get_freeze_count()
status = main() if as_command else main(sys.argv[1:])
print(json.dumps({"status": status, "before": before, "frozen": gc.get_freeze_count(),
                  "enabled": gc.isenabled(), "pandas": "pandas" in sys.modules}))
"""


def _probe(how: str, tmp_path: Path) -> dict:
    argv = demo_indicators_argv(tmp_path)
    done = subprocess.run(
        [sys.executable, "-c", PROBE, how, *argv],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
        timeout=120,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_command_called_from_python_hands_frozen_objects_back(tmp_path: Path) -> None:
    found = _probe("python", tmp_path)
    assert found == {
        "status": 0,
        "before": 0,
        "frozen": 0,
        "enabled": True,
        "pandas": True,
    }
    assert (tmp_path / "r.csv").is_file()


def test_the_process_command_ends_with_its_objects_frozen(tmp_path: Path) -> None:
    found = _probe("command", tmp_path)
    assert found["status"] == 0
    assert found["before"] == 0
    assert found["frozen"] > 100_000  # pandas and the engine at least
    assert found["enabled"] is True


def test_lasting_imports_restores_the_collector_state() -> None:
    from cppanalytics.cli import lasting_imports

    was = gc.isenabled()
    try:
        gc.disable()
        with lasting_imports():
            assert not gc.isenabled()
        assert not gc.isenabled()  # it was off: left off
        gc.enable()
        try:
            with lasting_imports():
                raise KeyError("x")
        except KeyError:
            pass
        assert gc.isenabled()  # back on after an error too
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
        if was:
            gc.enable()
        else:
            gc.disable()


#: runs the program (``run``, its command stubbed) or ``main`` from Python in a fresh
#: interpreter and prints the collector's thresholds before and during the command
THRESHOLDS = """
import gc, json, sys
import cppanalytics.cli as cli
seen = {"before": gc.get_threshold()}
real_main = cli.main
def command(argv=None):
    seen["during"] = gc.get_threshold()
    return 0
if sys.argv[1] == "program":
    cli.main = command
    cli.run()
else:
    try:
        real_main(["--version"])
    except SystemExit:
        pass
    seen["during"] = gc.get_threshold()
print(json.dumps(seen))
"""


def test_the_program_collects_rarely_and_python_callers_keep_their_thresholds(
    tmp_path: Path,
) -> None:
    from cppanalytics.cli import PROGRAM_GC_THRESHOLDS

    found = {}
    for how in ("program", "python"):
        done = subprocess.run(
            [sys.executable, "-c", THRESHOLDS, how],
            capture_output=True,
            text=True,
            cwd=ROOT,
            env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
            timeout=120,
        )
        found[how] = json.loads(done.stdout.strip().splitlines()[-1])  # (after --version)
    default = [700, 10, 10]
    assert found["program"] == {"before": default, "during": list(PROGRAM_GC_THRESHOLDS)}
    assert found["python"] == {"before": default, "during": default}
    assert PROGRAM_GC_THRESHOLDS[0] > default[0]
