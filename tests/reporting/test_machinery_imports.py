"""The report machinery's own process stays light: what it imports before a kernel starts.

``cppanalytics run`` and each batch worker validate the parameters, start the kernel and
convert the executed notebook; the tables are built in the kernel. Importing pandas (about
0.5 s) or the IRI grammars jsonschema compiles when ``rfc3987_syntax`` is installed (about
1.5 s) there only delays the kernel's start.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

PARENT_MODULES = (
    "cppanalytics.cli.run",
    "cppanalytics.cli.batch",
    "cppanalytics.reporting.report",
    "cppanalytics.reporting.batch",
    "cppanalytics.reporting.html",
    "cppanalytics.reporting.execute",
)


def _run(code: str) -> str:
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout


def _imported_after(code: str) -> set[str]:
    return set(
        _run(
            f"{code}\nimport sys\nprint(' '.join(sorted(m for m, v in sys.modules.items() if v is not None)))"
        ).split()
    )


def test_machinery_imports_no_pandas_and_no_iri_grammars():
    imported = _imported_after("\n".join(f"import {m}" for m in PARENT_MODULES))
    assert set(PARENT_MODULES) <= imported
    assert "pandas" not in imported
    assert "rfc3987_syntax" not in imported
    assert "lark" not in imported


def test_checking_a_parameter_file_imports_no_pandas():
    root = Path(__file__).resolve().parents[2]
    params = root / "params" / "synthetic_2026-09-30.yaml"
    code = (
        "from cppanalytics.reporting.params import load_spec\n"
        f"spec = load_spec({str(params)!r})\n"
        "assert spec.parameters['la_code'] == 'E06000042'\n"
        "from cppanalytics.reporting.params import check_la_code\n"
        "assert check_la_code('E06000999') and check_la_code('826') is None"
    )
    assert "pandas" not in _imported_after(code)


def test_notebooks_still_validate_without_iri_formats():
    pytest.importorskip("nbformat")
    code = (
        "import cppanalytics.reporting.execute\n"
        "import nbformat\n"
        "nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell('1')])\n"
        "nbformat.validate(nb)\n"
        "bad = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell('1')])\n"
        "bad.cells[0].outputs = [{'output_type': 'stream', 'name': 'stdout'}]\n"
        "try:\n"
        "    nbformat.validate(bad)\n"
        "except nbformat.ValidationError:\n"
        "    print('refused')\n"
    )
    assert _run(code).split() == ["refused"]


def test_an_earlier_import_of_the_iri_grammars_is_left_alone():
    from importlib.metadata import PackageNotFoundError, version

    try:  # (this process may already hold the machinery's "not imported" mark)
        version("rfc3987-syntax")
    except PackageNotFoundError:
        pytest.skip("rfc3987-syntax is not installed")
    imported = _imported_after("import rfc3987_syntax\nimport cppanalytics.reporting.report")
    assert "rfc3987_syntax" in imported


def test_the_manifest_names_versions_without_importing_the_packages():
    code = (
        "import json\n"
        "from cppanalytics.reporting.manifest import environment\n"
        "print(json.dumps(environment()))"
    )
    probe = f"{code}\nimport sys\nprint('pandas' in sys.modules, 'matplotlib' in sys.modules)"
    versions_line, imported_line = _run(probe).splitlines()
    assert imported_line == "False False"
    import json

    import matplotlib
    import nbconvert
    import numpy
    import pandas
    import papermill

    versions = json.loads(versions_line)
    for module in (pandas, numpy, matplotlib, papermill, nbconvert):
        assert versions[module.__name__] == module.__version__
    assert list(versions)[:2] == ["cppanalytics", "python"]


def test_a_kernel_importing_the_reporting_package_keeps_the_iri_grammars_importable():
    """Only the machinery's modules that import nbformat go without the IRI grammars: a
    notebook kernel importing ``cppanalytics.reporting`` (export_tables) is left alone."""
    code = (
        "import sys\n"
        "from cppanalytics.reporting import export_tables\n"
        "export_tables('', results=None, scorecard=None)\n"
        "print('rfc3987_syntax' in sys.modules)\n"
    )
    assert _run(code).split() == ["False"]
    machinery = "import sys\nimport cppanalytics.reporting.execute\n"
    assert _run(machinery + "print(sys.modules['rfc3987_syntax'] is None)").split() == ["True"]
