#!/usr/bin/env python3
"""Set-up and everyday tasks for cppanalytics, needing nothing but Python 3.11+.

    python3 tasks.py report   # build .venv if needed, then the latest quarter's report
                              # from the embedded synthetic data (reports/...)
    python3 tasks.py test     # build .venv if needed, then the full test suite
    python3 tasks.py report 2026-06-30   # another quarter's report
    python3 tasks.py year [2026]         # four quarters' reports as one batch
    python3 tasks.py bench    # the speed benchmarks (whole commands vs reading, reports)
    python3 tasks.py lint     # ruff and mypy

The virtual environment lives in ``.venv`` beside this file. It is (re)installed when
``pyproject.toml`` changes. ``test`` also tries to install Debian's ``chromium`` for the
browser test (skipped with a message when that is not possible).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / "python"
STAMP = VENV / ".setup-stamp"

#: the params file the README's report command runs (latest complete quarter of the demo data)
LATEST_PARAMS = ROOT / "params" / "synthetic_2026-09-30.yaml"
YEAR_PARAMS = [
    ROOT / "params" / f"synthetic_{d}.yaml"
    for d in ("2025-12-31", "2026-03-31", "2026-06-30", "2026-09-30")
]


def say(message: str) -> None:
    """Print a progress line for the user."""
    print(f"[tasks] {message}", flush=True)


def run(cmd: list[str | Path], **kwargs) -> int:
    """Run a command from the project root, echoing it; returns its exit status."""
    say(" ".join(str(c) for c in cmd))
    return subprocess.call([str(c) for c in cmd], cwd=ROOT, **kwargs)


#: byte-compile the venv's site-packages on every core (as pip would, file by file: errors in
#: files that are not Python 3 are ignored, as pip ignores them)
COMPILE = (
    "import compileall, sysconfig\n"
    "for path in sorted({sysconfig.get_path('purelib'), sysconfig.get_path('platlib')}):\n"
    "    compileall.compile_dir(path, quiet=2, workers=0)\n"
)


def ensure_venv() -> None:
    """Create ``.venv`` and install the package with its dev extra when needed."""
    if sys.version_info < (3, 11):  # noqa: UP036 - tasks.py may run on an older python3
        sys.exit(f"cppanalytics needs Python 3.11 or newer (this is {sys.version.split()[0]}).")
    want = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if PY.exists() and STAMP.exists() and STAMP.read_text().strip() == want:
        return
    if not PY.exists():
        say("creating the virtual environment in .venv")
        subprocess.check_call([sys.executable, "-m", "venv", str(VENV)])
    say("installing cppanalytics and its dependencies (first run takes a few minutes)")
    pip = [str(PY), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
    # setuptools prints an "Editable installation" banner (a warning) even with -q
    quiet = {**os.environ, "PYTHONWARNINGS": "ignore"}
    subprocess.check_call([*pip, "--upgrade", "pip"], cwd=ROOT, env=quiet)
    # pip byte-compiles the ~9,000 installed files one after another (about half of the
    # install's time); the same .pyc files are written sooner on all cores afterwards
    subprocess.check_call([*pip, "--no-compile", "-e", ".[dev]"], cwd=ROOT, env=quiet)
    subprocess.check_call([str(PY), "-c", COMPILE], cwd=ROOT, env=quiet)
    subprocess.check_call(
        [str(PY), "-m", "ipykernel", "install", "--sys-prefix", "--name", "python3"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    STAMP.write_text(want)


def ensure_chromium() -> None:
    """Install Debian's chromium for the browser test when possible (root + apt-get)."""
    if shutil.which("chromium") or shutil.which("chromium-browser"):
        return
    if not shutil.which("apt-get") or (hasattr(os, "geteuid") and os.geteuid() != 0):
        say("chromium not installed and cannot be installed here: the browser test will skip")
        return
    say("installing Debian's chromium for the browser test")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    quiet = {"stdout": subprocess.DEVNULL, "env": env}
    if (
        subprocess.call(["apt-get", "update", "-qq"], **quiet) != 0
        or subprocess.call(["apt-get", "install", "-y", "-qq", "chromium"], **quiet) != 0
    ):
        say("could not install chromium: the browser test will skip")


def params_for(quarter_end: str) -> Path:
    """The demo params file for a quarter end (``YYYY-MM-DD``), with a clear error."""
    path = ROOT / "params" / f"synthetic_{quarter_end}.yaml"
    if not path.exists():
        known = sorted(
            p.stem.removeprefix("synthetic_") for p in (ROOT / "params").glob("synthetic_20*.yaml")
        )
        sys.exit(f"no params file for {quarter_end}; demo quarters: {', '.join(known)}")
    return path


def task_report() -> int:
    """One quarter's report from the embedded synthetic data (default: the latest)."""
    ensure_venv()
    params = params_for(sys.argv[2]) if len(sys.argv) > 2 else LATEST_PARAMS
    status = run([BIN / "cppanalytics", "run", params])
    if status == 0:
        say("done: the report is under reports/ (open the .html file in a browser)")
    return status


def task_year() -> int:
    """A batch of four quarters' reports (default: the last four; or the four quarters of
    the financial year ending 31 March YYYY given as an argument)."""
    ensure_venv()
    if len(sys.argv) > 2:
        y = int(sys.argv[2])
        params = [
            params_for(d)
            for d in (f"{y - 1}-06-30", f"{y - 1}-09-30", f"{y - 1}-12-31", f"{y}-03-31")
        ]
    else:
        params = YEAR_PARAMS
    return run([BIN / "cppanalytics", "batch", *params, "--workers", "2"])


#: pytest-xdist: one worker per core, each module's tests on one worker (its fixtures are
#: built once), the modules holding slow tests handed out first (tests/conftest.py)
PARALLEL = ["-n", "auto", "--dist", "loadscope", "--no-loadscope-reorder"]


def task_test() -> int:
    """The full test suite (what CI runs), in parallel over the machine's cores.

    Extra arguments go to pytest (``-n 0`` runs in one process).
    """
    ensure_venv()
    ensure_chromium()
    return run([PY, "-m", "pytest", "-q", "-p", "no:cacheprovider", *PARALLEL, *sys.argv[2:]])


def task_bench() -> int:
    """Speed benchmarks: whole commands against the cost of reading the input, then reports.

    Extra arguments go to ``benchmarks/bench_whole.py`` (e.g. ``--sizes 100000 1000000``).
    """
    ensure_venv()
    status = run([PY, "benchmarks/bench_whole.py", *sys.argv[2:]])
    return status or run([PY, "benchmarks/bench_report.py"])


def task_lint() -> int:
    """ruff over the package, tests and benchmarks, then mypy over the package."""
    ensure_venv()
    status = run([BIN / "ruff", "check", "cppanalytics", "tests", "benchmarks", "tasks.py"])
    return status or run([BIN / "mypy"])


TASKS = {
    "report": task_report,
    "test": task_test,
    "year": task_year,
    "bench": task_bench,
    "lint": task_lint,
}


def main() -> int:
    """Dispatch ``python3 tasks.py TASK``."""
    if len(sys.argv) < 2 or sys.argv[1] not in TASKS:
        print(__doc__)
        return 0 if len(sys.argv) < 2 else 2
    return TASKS[sys.argv[1]]()


if __name__ == "__main__":
    sys.exit(main())
