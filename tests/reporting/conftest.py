"""Fixtures for the report machinery: a tiny project with the fixture notebook."""

from __future__ import annotations

import contextlib
import io
import shutil
from collections.abc import Callable
from dataclasses import dataclass
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


# ---- the demo council's real reports, made once per session -------------------------------

ROOT = FIXTURES.parents[2]
#: the demo params' eight quarter ends (params/synthetic_<quarter>.yaml)
DEMO_QUARTERS = [
    "2024-12-31",
    "2025-03-31",
    "2025-06-30",
    "2025-09-30",
    "2025-12-31",
    "2026-03-31",
    "2026-06-30",
    "2026-09-30",
]


@dataclass(frozen=True)
class Command:
    """One ``cppanalytics`` command run in this process: exit status and what it printed."""

    status: int
    out: str
    err: str


def _main(argv: list[str]) -> Command:
    from cppanalytics.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(argv)
    return Command(status, out.getvalue(), err.getvalue())


@pytest.fixture(scope="session")
def demo_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The output root the demo reports are written to."""
    needed = [ROOT / "notebooks" / "quarterly_report.ipynb", ROOT / "data" / "synthetic"]
    needed += [ROOT / "params" / f"synthetic_{q}.yaml" for q in DEMO_QUARTERS]
    needed.append(ROOT / "params" / "synthetic_public_2026-09-30.yaml")
    missing = [str(p) for p in needed if not p.exists()]
    if missing:
        pytest.skip(f"demo notebooks, data or params absent: {', '.join(missing)}")
    return tmp_path_factory.mktemp("demo_reports")


@pytest.fixture(scope="session")
def demo_run(demo_root: Path) -> Command:
    """``cppanalytics run params/synthetic_2026-09-30.yaml --output-root <demo_root>``."""
    params = ROOT / "params" / "synthetic_2026-09-30.yaml"
    return _main(["run", str(params), "--output-root", str(demo_root)])


@pytest.fixture(scope="session")
def demo_public(demo_root: Path):  # noqa: ANN201 - a ReportResult
    """``run_report(params/synthetic_public_2026-09-30.yaml)`` into ``demo_root``: the public
    version of :func:`demo_run`'s report."""
    from cppanalytics.reporting.report import run_report

    return run_report(ROOT / "params" / "synthetic_public_2026-09-30.yaml", output_root=demo_root)


@pytest.fixture(scope="session")
def demo_batch(demo_root: Path, demo_run: Command) -> Command:
    """``cppanalytics batch`` of the eight demo quarters into the same root, after
    :func:`demo_run`: the batch resumes, so 30 Sep 2026 (complete) is not made again."""
    params = [str(ROOT / "params" / f"synthetic_{q}.yaml") for q in DEMO_QUARTERS]
    argv = ["batch", *params, "--workers", "2", "--no-progress", "--output-root"]
    return _main([*argv, str(demo_root)])
