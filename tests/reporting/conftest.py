"""Fixtures for the report machinery: a tiny project with the fixture notebook."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

FIXTURES = Path(__file__).resolve().parent / "fixtures"
TINY = FIXTURES / "tiny_report.ipynb"


def make_project(tmp_path: Path) -> Path:
    """A project folder: notebooks/ (the tiny fixture, also as annual_report and
    data_quality), params/, data/ (good population), bad/ (missing column), neg/
    (a negative population: a user error raised inside the notebook)."""
    (tmp_path / "notebooks").mkdir()
    for name in ("tiny_report", "annual_report", "data_quality"):
        shutil.copyfile(TINY, tmp_path / "notebooks" / f"{name}.ipynb")
    (tmp_path / "params").mkdir()
    for folder, text in {
        "data": "age,population\n0,100\n1,250\n2,300\n",
        "bad": "age,pop\n0,1\n",
        "neg": "age,population\n0,-5\n",
    }.items():
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "population.csv").write_text(text)
    return tmp_path


def params_text(parameters: dict | None = None, report: dict | None = None) -> str:
    """YAML text of a parameter file for the tiny notebook."""
    doc = {
        "report": {"notebook": "tiny_report", "output_root": "reports", **(report or {})},
        "parameters": {"period_end": "2026-09-30", "data_dir": "data", **(parameters or {})},
    }
    return yaml.safe_dump(doc, sort_keys=False)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """See :func:`make_project`."""
    return make_project(tmp_path)


@pytest.fixture
def write_params(project: Path) -> Callable[..., Path]:
    """Write ``params/<name>.yaml`` with the given report options and parameters.

    ``raw`` writes the text as is (to test YAML typing)."""

    def _write(
        name: str = "q",
        parameters: dict | None = None,
        report: dict | None = None,
        raw: str | None = None,
    ) -> Path:
        path = project / "params" / f"{name}.yaml"
        if raw is not None:
            path.write_text(raw)
            return path
        path.write_text(params_text(parameters, report))
        return path

    return _write
