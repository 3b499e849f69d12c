"""Code quality gates that CI runs with the tests: ruff (lint), mypy (types) and committed
notebooks without outputs. Doctests run through pytest's ``--doctest-modules`` (pyproject).

Each tool check skips, saying so, when the tool is not installed (``pip install -e .[dev]``
installs both).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _tool(name: str) -> str:
    found = shutil.which(name) or shutil.which(name, path=str(Path(sys.executable).parent))
    if found is None:
        pytest.skip(f"{name} is not installed (pip install -e .[dev])")
    return found


def test_ruff_lint_is_clean() -> None:
    ruff = _tool("ruff")
    done = subprocess.run(
        [ruff, "check", "cppanalytics", "tests", "benchmarks", "tasks.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_ruff_format_is_applied() -> None:
    ruff = _tool("ruff")
    done = subprocess.run(
        [ruff, "format", "--check", "cppanalytics", "tests", "benchmarks", "tasks.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.slow
def test_mypy_passes_on_the_package() -> None:
    mypy = _tool("mypy")
    done = subprocess.run([mypy], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]


def test_committed_notebooks_hold_no_outputs() -> None:
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / ".ci" / "check_notebooks.py"),
            *sorted(str(p) for p in (ROOT / "notebooks").glob("*.ipynb")),
        ],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_notebook_check_refuses_an_output(tmp_path: Path) -> None:
    nb = tmp_path / "x.ipynb"
    nb.write_text(
        '{"cells": [{"cell_type": "code", "metadata": {}, "source": "1", '
        '"execution_count": 1, "outputs": [{"output_type": "stream", "name": "stdout",'
        ' "text": "1"}]}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}'
    )
    done = subprocess.run(
        [sys.executable, str(ROOT / ".ci" / "check_notebooks.py"), str(nb)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1 and "x.ipynb" in done.stdout
