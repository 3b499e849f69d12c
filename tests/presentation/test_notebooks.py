"""The four notebooks: thin, one parameters cell, no outputs; they run on the demo data."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "cppanalytics" / "notebooks"
NAMES = ["quarterly_report", "annual_report", "data_quality", "explorer"]
AGREED = [
    "council_name",
    "la_code",
    "period_end",
    "data_dir",
    "population_file",
    "targets_file",
    "comparators_file",
    "local_measures_file",
    "mode",
    "neighbour_summary",
    "synthetic",
    "output_dir",
]


def _read(name: str) -> nbformat.NotebookNode:
    return nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)


@pytest.mark.parametrize("name", NAMES)
def test_committed_without_outputs(name: str) -> None:
    for cell in _read(name).cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None


@pytest.mark.parametrize("name", NAMES)
def test_one_parameters_cell_with_the_agreed_names(name: str) -> None:
    book = _read(name)
    tagged = [c for c in book.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    tree = ast.parse(tagged[0].source)
    names = [node.target.id for node in tree.body if isinstance(node, ast.AnnAssign)]
    assert names[: len(AGREED)] == AGREED
    # typed (papermill --help-notebook shows the type) and literal
    assert all(
        isinstance(node, ast.AnnAssign)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.annotation, ast.Name)
        for node in tree.body
    )
    # papermill skips a line holding more than one "=" (its comment must not have one)
    assert all(line.count("=") == 1 for line in tagged[0].source.splitlines())


@pytest.mark.parametrize("name", NAMES)
def test_thin_no_def_no_loops(name: str) -> None:
    for cell in _read(name).cells:
        if cell.cell_type != "code":
            continue
        tree = ast.parse(cell.source)
        banned = (
            ast.FunctionDef,
            ast.AsyncFunctionDef,
            ast.ClassDef,
            ast.For,
            ast.While,
            ast.ListComp,
            ast.DictComp,
            ast.SetComp,
            ast.GeneratorExp,
            ast.Lambda,
            ast.If,
        )
        assert not [n for n in ast.walk(tree) if isinstance(n, banned)], cell.source


@pytest.mark.parametrize("name", ["quarterly_report", "annual_report"])
def test_report_notebooks_number_their_sections(name: str) -> None:
    headings = [
        line
        for c in _read(name).cells
        if c.cell_type == "markdown"
        for line in c.source.splitlines()
        if line.startswith("## ")
    ]
    n = {"quarterly_report": 16, "annual_report": 13}[name]
    assert len(headings) == n
    assert [h.split(".")[0] for h in headings] == [f"## {i}" for i in range(1, n + 1)]
    assert headings[-1] == f"## {n}. Definitions"


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_notebook_runs_quietly_on_demo_data(name: str, demo_data: Path, tmp_path: Path) -> None:
    # plain papermill from the repository root: the defaults do not depend on the folder
    papermill = Path(sys.executable).with_name("papermill")
    if not papermill.exists() and shutil.which("papermill") is None:
        pytest.skip("papermill is not installed")
    out = tmp_path / f"{name}.ipynb"
    subprocess.run(
        [
            str(papermill),
            f"notebooks/{name}.ipynb",
            str(out),
            "-k",
            "python3",
            "--log-level",
            "ERROR",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=1500,
    )
    book = nbformat.read(out, as_version=4)
    for cell in book.cells:
        for output in cell.get("outputs", []):
            assert output.get("name") != "stderr", output
            assert output.output_type != "error", output
    html = "".join(
        o.get("data", {}).get("text/html", "") for c in book.cells for o in c.get("outputs", [])
    )
    images = re.findall(r"<img\b[^>]*>", html)
    if name in ("quarterly_report", "annual_report"):
        assert images, "the panel reports carry charts"
    for tag in images:  # every image has real alt text
        alt = re.search(r'alt="([^"]*)"', tag)
        assert alt and len(alt.group(1).strip()) > 10, tag[:120]
