"""Parameter files are validated against the notebook before any kernel starts."""

from __future__ import annotations

from pathlib import Path

import pytest

from cppanalytics.cli import main
from cppanalytics.errors import CppError
from cppanalytics.reporting.params import (
    check_period_end,
    declared_parameters,
    is_report_params,
    load_spec,
    parse_parameters_cell,
)

from .conftest import TINY


def test_parameters_cell_parsed_with_quotes_in_comments():
    # papermill's own inspector rejects these lines; ours must not
    declared = parse_parameters_cell(
        'population_file = ""   # "" = data_dir/population.csv\n'
        "synthetic = True\n"
        "period_end: str = 2026\n"
        "n = 3  # count\n"
        "ratio = 0.5\n"
        "path = some_call()\n"
    )
    assert declared["population_file"].type == "str"
    assert declared["population_file"].default == ""
    assert declared["population_file"].help == '"" = data_dir/population.csv'
    assert declared["synthetic"].type == "bool"
    assert declared["period_end"].type == "str"  # the annotation wins
    assert declared["n"].type == "int" and declared["n"].help == "count"
    assert declared["ratio"].type == "float"
    assert declared["path"].type == "any"


def test_fixture_notebook_declares_agreed_set():
    names = set(declared_parameters(TINY))
    assert {
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
    } <= names


def test_no_parameters_cell(tmp_path: Path):
    import nbformat

    path = tmp_path / "n.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")]), path)
    with pytest.raises(CppError, match="no cell tagged 'parameters'"):
        declared_parameters(path)


def test_valid_file_resolves_paths_and_defaults(write_params, project: Path):
    spec = load_spec(write_params(parameters={"council_name": "Leeds", "la_code": "E08000035"}))
    assert spec.notebook == project / "notebooks" / "tiny_report.ipynb"
    assert spec.parameters["data_dir"] == str(project / "data")  # relative to the project
    assert spec.parameters["council_name"] == "Leeds"
    assert spec.parameters["mode"] == "internal"  # the notebook's default
    assert spec.parameters["synthetic"] is True
    assert spec.output_root == project / "reports"
    assert spec.inputs["data_dir"] == project / "data"
    assert spec.inputs["population_file"] == project / "data" / "population.csv"
    assert spec.notes == ()


def test_unknown_parameter_suggests_closest(write_params):
    with pytest.raises(CppError) as info:
        load_spec(write_params(parameters={"councl_name": "Leeds"}))
    assert "unknown parameter 'councl_name'; did you mean 'council_name'?" in str(info.value)
    assert "q.yaml" in str(info.value)


def test_run_option_in_parameters_and_unknown_option(write_params):
    with pytest.raises(CppError) as info:
        load_spec(write_params(parameters={"timeout": 5}, report={"output_rot": "x"}))
    message = str(info.value)
    assert "2 problems" in message
    assert "timeout is a run option; put it under 'report:'" in message
    assert "report.output_rot; did you mean 'output_root'?" in message


@pytest.mark.parametrize(
    ("parameters", "expected"),
    [
        ({"synthetic": "yes"}, "synthetic must be true or false, not the text 'yes'"),
        ({"council_name": ["a"]}, "council_name must be text (in quotes), not list ['a']"),
        ({"mode": True}, "mode must be text (in quotes), not true/false (True)"),
        ({"mode": "publc"}, "mode 'publc' is not one of internal, public; did you mean 'public'?"),
        ({"neighbour_summary": "avg"}, "neighbour_summary 'avg' is not one of mean, median"),
        ({"la_code": "E0600004"}, "la_code 'E0600004' is not a council code"),
        ({"period_end": "2026-09-31"}, "period_end '2026-09-31' is not a date written YYYY-MM-DD"),
        ({"output_dir": "/tmp/x"}, "output_dir is set by the machinery"),
    ],
)
def test_mistyped_values(write_params, parameters, expected):
    with pytest.raises(CppError) as info:
        load_spec(write_params(parameters=parameters))
    assert expected in str(info.value)


def test_yaml_dates_and_numbers_kept_as_written_text(write_params):
    raw = (
        "report:\n  notebook: tiny_report\n"
        "parameters:\n"
        "  period_end: 2026-09-30\n"
        "  la_code: 826\n"
        "  data_dir: data\n"
        "  council_name: 1.50\n"
        "  comparators_file:\n"
    )
    spec = load_spec(write_params(raw=raw))
    assert spec.parameters["period_end"] == "2026-09-30"
    assert spec.parameters["la_code"] == "826"
    assert spec.parameters["council_name"] == "1.50"  # the text, not float 1.5
    assert spec.parameters["comparators_file"] == ""
    notes = " | ".join(spec.notes)
    assert "period_end: YAML reads 2026-09-30 as a date; kept as the text '2026-09-30'" in notes
    assert "la_code: YAML reads 826 as a number; kept as the text '826'" in notes
    assert "comparators_file: empty in the YAML" in notes


def test_quoted_values_give_no_notes(write_params):
    raw = 'parameters:\n  period_end: "2026-09-30"\n  la_code: "826"\n  data_dir: data\n'
    raw = "report:\n  notebook: tiny_report\n" + raw
    assert load_spec(write_params(raw=raw)).notes == ()


def test_missing_inputs_reported_before_execution(write_params, project: Path):
    with pytest.raises(CppError) as info:
        load_spec(write_params(parameters={"data_dir": "nope", "targets_file": "t.yaml"}))
    message = str(info.value)
    assert f"data_dir: input folder {project / 'nope'} does not exist" in message
    assert f"targets_file: input file {project / 't.yaml'} does not exist" in message


def test_population_default_must_exist(write_params, project: Path):
    (project / "empty").mkdir()
    with pytest.raises(CppError, match='population_file is "" so .*population.csv is used'):
        load_spec(write_params(parameters={"data_dir": "empty"}))


def test_notebook_default_paths_resolve_against_notebook_folder(write_params, project: Path):
    # the fixture's default data_dir is ../data/synthetic (relative to notebooks/)
    raw = "report:\n  notebook: tiny_report\nparameters:\n  period_end: '2026-09-30'\n"
    with pytest.raises(CppError) as info:
        load_spec(write_params(raw=raw))
    assert str(project / "data" / "synthetic") in str(info.value)
    assert "the notebook's default '../data/synthetic'" in str(info.value)


def test_period_end_rules_per_notebook(write_params):
    assert check_period_end("2026-09-29", "quarterly_report").endswith(
        "is not a quarter end (30 Jun, 30 Sep, 31 Dec, 31 Mar)"
    )
    assert check_period_end("2026-09-29", "explorer") is None
    with pytest.raises(CppError, match="is not a 31 March"):
        load_spec(write_params(report={"notebook": "annual_report"}))
    spec = load_spec(
        write_params(report={"notebook": "annual_report"}, parameters={"period_end": "2026-03-31"})
    )
    assert spec.notebook.name == "annual_report.ipynb"


def test_internal_only_notebook_refuses_public(write_params):
    with pytest.raises(CppError, match="internal use only"):
        load_spec(write_params(report={"notebook": "data_quality"}, parameters={"mode": "public"}))


def test_yaml_syntax_error_names_line(write_params):
    with pytest.raises(CppError, match=r"q.yaml: line 3, column \d+: not valid YAML"):
        load_spec(write_params(raw="parameters:\n  a: [1\n  b: 2\n"))


def test_duplicate_key(write_params):
    raw = "parameters:\n  mode: public\n  mode: internal\n"
    with pytest.raises(CppError, match="line 3: parameters.mode is given twice"):
        load_spec(write_params(raw=raw))


def test_missing_notebook(write_params):
    with pytest.raises(CppError, match="report.notebook: .*nope.ipynb does not exist"):
        load_spec(write_params(report={"notebook": "nope"}))


def test_is_report_params(write_params, project: Path):
    (project / "params" / "targets.yaml").write_text("cla_count: {target: 5}\n")
    assert is_report_params(write_params())
    assert not is_report_params(project / "params" / "targets.yaml")


def test_cli_check_and_error_without_traceback(write_params, capsys):
    assert main(["run", "--check", str(write_params())]) == 0
    assert "valid (tiny_report.ipynb" in capsys.readouterr().out
    assert main(["run", str(write_params(parameters={"quarter_end": "x"}))]) == 2
    err = capsys.readouterr().err
    assert "cppanalytics run: error:" in err and "did you mean 'period_end'?" in err
    assert "Traceback" not in err


def test_shipped_params_are_report_files():
    root = Path(__file__).resolve().parents[2] / "params"
    files = sorted(root.glob("*.yaml"))
    assert len(files) >= 10
    quarters = sorted(p.stem.rsplit("_", 1)[1] for p in files if p.stem.startswith("synthetic_20"))
    assert quarters == [
        "2024-12-31",
        "2025-03-31",
        "2025-06-30",
        "2025-09-30",
        "2025-12-31",
        "2026-03-31",
        "2026-06-30",
        "2026-09-30",
    ]
    assert all(is_report_params(p) for p in files)


ALIAS_BOMB = """\
a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]
parameters: {council_name: *i}
"""


def test_yaml_alias_bomb_is_refused_at_once(write_params):
    path = write_params(raw=ALIAS_BOMB)
    with pytest.raises(CppError) as info:
        load_spec(path)
    # refused at the first alias (line 2), before anything could be expanded; speed is the
    # benchmark's business, not a wall-clock limit in a test that a busy machine can fail
    assert "line 2, column 8: not valid YAML (aliases (*name) are not allowed" in str(info.value)
    assert not is_report_params(path)


def test_unknown_council_code_is_refused_before_any_kernel(write_params, capsys):
    path = write_params(parameters={"la_code": "E06000999"})
    assert main(["run", str(path)]) == 2
    err = capsys.readouterr().err
    assert "la_code 'E06000999' is not a council in DfE's list" in err
    # no kernel ran: nothing was executed, so no failed notebook was left behind
    assert not list(path.parent.parent.rglob("*.failed.ipynb"))
    assert not (path.parent.parent / "reports").exists()


def test_day_first_date_is_suggested_back_in_iso_form(write_params):
    with pytest.raises(CppError) as info:
        load_spec(write_params(parameters={"period_end": "30/09/2026"}))
    assert (
        "period_end '30/09/2026' is not a date written YYYY-MM-DD; did you mean "
        "'2026-09-30'?" in str(info.value)
    )


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b'parameters:\n  council_name: "Caf\xe9"\n', "line 2: not UTF-8 text (byte 0xe9)"),
        (
            b"parameters:\n  la_code: E0\x00\x01\n",
            "line 2: binary data (character 0x00) in what should be a YAML text file",
        ),
    ],
)
def test_params_not_utf8_or_binary_is_one_plain_message(write_params, raw, expected):
    path = write_params(raw="x")
    path.write_bytes(raw)
    with pytest.raises(CppError) as info:
        load_spec(path)
    assert str(info.value) == f"{path}: {expected}; " + (
        "save the file as UTF-8" if "UTF-8" in expected else "check it is the right file"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "cannot read the notebook"),
        ('{"worksheets": []}', "not a Jupyter notebook of format 4"),
        ("[1, 2]", "not a Jupyter notebook of format 4"),
    ],
)
def test_unreadable_notebook_is_named(tmp_path: Path, text: str, message: str):
    path = tmp_path / "n.ipynb"
    path.write_text(text)
    with pytest.raises(CppError, match=message):
        declared_parameters(path)


def test_parameters_cell_source_as_one_string(tmp_path: Path):
    # nbformat writes source as a list of lines; a hand-edited notebook may hold one string
    import json

    cell = {
        "cell_type": "code",
        "metadata": {"tags": ["parameters"]},
        "source": 'la_code: str = "E06000042"  # the council\nperiod_end: str = "2026-09-30"\n',
        "outputs": [],
        "execution_count": None,
    }
    path = tmp_path / "n.ipynb"
    path.write_text(
        json.dumps({"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5})
    )
    got = declared_parameters(path)
    assert list(got) == ["la_code", "period_end"]
    assert got["la_code"].help == "the council"
