"""The notebooks used with plain papermill: typed parameters, checked in the kernel, any folder."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from cppanalytics.errors import CppError
from cppanalytics.reporting.params import (
    NOTEBOOKS,
    check_parameters,
    declared_parameters,
    load_spec,
)
from cppanalytics.synth.demo import demo_targets_file

ROOT = Path(__file__).resolve().parents[2]
NAMES = ["quarterly_report", "annual_report", "data_quality", "explorer"]


def _papermill() -> str:
    exe = Path(sys.executable).with_name("papermill")
    if exe.exists():
        return str(exe)
    found = shutil.which("papermill")
    if found is None:
        pytest.skip("papermill is not installed")
    return found


def _namespace(params_cell: str, injected: dict[str, object]) -> dict[str, object]:
    """A kernel's globals after papermill ran the parameters cell and its injected cell."""
    namespace: dict[str, object] = {}
    exec(params_cell, namespace)  # noqa: S102 - the notebook's own literal assignments
    namespace.pop("__builtins__", None)
    lines = "".join(f"{k} = {v!r}\n" for k, v in injected.items())
    namespace.update(injected)
    namespace["In"] = ["", "import os", params_cell, f"# Parameters\n{lines}"]
    return namespace


def _params_cell(name: str) -> str:
    book = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    return next(c.source for c in book.cells if "parameters" in c.metadata.get("tags", []))


def test_unknown_injected_parameter_gives_the_run_message(tmp_path: Path) -> None:
    namespace = _namespace(_params_cell("quarterly_report"), {"perod_end": "2026-06-30"})
    with pytest.raises(CppError) as in_kernel:
        check_parameters(namespace, "quarterly_report")
    params = tmp_path / "params" / "q.yaml"
    params.parent.mkdir()
    params.write_text("parameters:\n  perod_end: '2026-06-30'\n")
    with pytest.raises(CppError) as by_run:
        load_spec(params)
    expected = "unknown parameter 'perod_end'; did you mean 'period_end'?"
    assert expected in str(in_kernel.value)
    # the same sentence, whichever way the notebook is run
    kernel_line = str(in_kernel.value).split(": ", 1)[1]
    assert kernel_line in str(by_run.value)


def test_kernel_check_resolves_paths_and_demo(tmp_path: Path, monkeypatch) -> None:
    data = tmp_path / "mydata"
    data.mkdir()
    (data / "population.csv").write_text("year,population\n2026,100\n")
    monkeypatch.chdir(tmp_path)
    namespace = _namespace(
        _params_cell("quarterly_report"),
        {"data_dir": "mydata", "la_code": 826, "synthetic": False},
    )
    check_parameters(namespace, "quarterly_report")
    assert namespace["data_dir"] == str(data)  # relative to the kernel's folder
    assert namespace["la_code"] == "826"  # papermill -p reads 826 as a number
    assert namespace["targets_file"] == str(demo_targets_file())  # the default "demo"
    assert Path(namespace["targets_file"]).is_file()


@pytest.mark.parametrize(
    ("injected", "expected"),
    [
        ({"period_end": "30/09/2026"}, "did you mean '2026-09-30'?"),
        ({"la_code": "E06000999"}, "la_code 'E06000999' is not a council in DfE's list"),
        ({"mode": "publik"}, "did you mean 'public'?"),
        ({"synthetic": "no"}, "synthetic must be true or false"),
        ({"data_dir": "/no/such/folder"}, "data_dir: input folder /no/such/folder does not exist"),
        ({"synthetic": False}, "data_dir is the synthetic demo council"),
    ],
)
def test_kernel_check_refuses_bad_values(injected: dict, expected: str) -> None:
    namespace = _namespace(_params_cell("quarterly_report"), injected)
    with pytest.raises(CppError, match=re.escape(expected)):
        check_parameters(namespace, "quarterly_report")


def test_interactive_run_without_injection_checks_defaults() -> None:
    namespace: dict[str, object] = {}
    exec(_params_cell("annual_report"), namespace)  # noqa: S102
    namespace["In"] = ["", _params_cell("annual_report")]
    check_parameters(namespace, "annual_report")
    assert Path(str(namespace["data_dir"])).is_dir()


@pytest.mark.parametrize("name", NAMES)
def test_parameters_cell_is_papermill_clean(name: str) -> None:
    from papermill.translators import PythonTranslator

    cell = {"source": _params_cell(name)}
    inferred = {p.name: p for p in PythonTranslator.inspect(cell)}
    declared = declared_parameters(NOTEBOOKS / f"{name}.ipynb")
    assert set(inferred) == set(declared)
    assert all(inferred[n].inferred_type_name == declared[n].type for n in declared)


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_help_notebook_lists_every_parameter_with_its_type(name: str) -> None:
    done = subprocess.run(
        [_papermill(), "--help-notebook", f"notebooks/{name}.ipynb"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    listed = dict(re.findall(r"^  (\w+): (\w+) \(default", done.stdout, flags=re.M))
    declared = declared_parameters(NOTEBOOKS / f"{name}.ipynb")
    assert listed == {n: d.type for n, d in declared.items()}
    assert "Unable to parse" not in done.stdout + done.stderr


@pytest.mark.slow
@pytest.mark.parametrize("cwd", [".", "notebooks"])
def test_plain_papermill_refuses_a_mistyped_parameter(cwd: str, tmp_path: Path) -> None:
    notebook = (
        "quarterly_report.ipynb" if cwd == "notebooks" else "notebooks/quarterly_report.ipynb"
    )
    done = subprocess.run(
        [_papermill(), notebook, str(tmp_path / "out.ipynb"), "-p", "perod_end", "2026-06-30"],
        cwd=ROOT / cwd,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "PWD": str(ROOT / cwd)},
    )
    assert done.returncode != 0
    assert "unknown parameter 'perod_end'; did you mean 'period_end'?" in done.stderr


@pytest.mark.slow
def test_plain_papermill_from_notebooks_folder_with_relative_data(tmp_path: Path) -> None:
    # the four notebooks run from the repository root in tests/presentation/test_notebooks.py
    out = tmp_path / "q.ipynb"
    subprocess.run(
        [
            _papermill(),
            "quarterly_report.ipynb",
            str(out),
            "-p",
            "data_dir",
            "../data/synthetic",
            "-p",
            "period_end",
            "2026-06-30",
            "--log-level",
            "ERROR",
        ],
        cwd=ROOT / "notebooks",
        check=True,
        capture_output=True,
        timeout=1500,
        env={**os.environ, "PWD": str(ROOT / "notebooks")},  # as a shell sets it after cd
    )
    book = nbformat.read(out, as_version=4)
    errors = [o for c in book.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert not errors
    text = "".join(
        o.get("data", {}).get("text/html", "") for c in book.cells for o in c.get("outputs", [])
    )
    assert "quarter ending 30 Jun 2026" in text
