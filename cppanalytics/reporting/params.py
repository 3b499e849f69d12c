"""Report parameter files: read the YAML and validate it against the notebook, before any kernel.

A report parameter file has two sections::

    report:                               # how to run (all optional)
      notebook: quarterly_report          # a shipped notebook's name, or a path to an .ipynb
      output_root: reports                # reports go to <output_root>/<council-slug>/<period_end>/
      timeout: 600                        # seconds allowed per notebook cell
      base_dir: ..                        # what relative paths are relative to (see below)
    parameters:                           # the notebook's parameters cell, overridden
      council_name: "Ouzel Vale Council (synthetic)"
      la_code: "E06000042"
      period_end: "2026-09-30"
      data_dir: data/synthetic

Rules (every problem in a file is reported at once, as a :class:`~cppanalytics.errors.CppError`):

* a name the notebook's ``parameters`` cell does not declare is an error, with the closest
  declared name suggested; so is a value of the wrong type (``synthetic: "yes"``);
* codes and dates stay text: YAML reads ``period_end: 2026-09-30`` as a date and
  ``la_code: 826`` as a number; for a text parameter the text exactly as written is kept,
  and a note says so (quote such values to silence it);
* ``period_end`` must be a real ``YYYY-MM-DD`` date, a quarter end for the quarterly report
  and 31 March for the annual report; ``mode`` and ``neighbour_summary`` must be one of
  their choices; ``la_code`` a 9-character ONS code or a 3-digit DfE code;
* parameters named ``*_dir`` / ``*_file`` are paths: relative ones in the YAML are resolved
  against the *base folder* (``report.base_dir`` if given, else the folder that holds the
  ``params/`` folder the file is in, else the file's own folder), relative defaults in the
  notebook against the notebook's folder (as JupyterLab would), and all are passed to the
  notebook absolute; an input that does not exist is reported before execution. ``""``
  means "not supplied"; ``demo`` (for ``data_dir`` and ``targets_file``) names the demo
  council's files (:mod:`cppanalytics.synth.demo`). ``output_dir`` is set by the
  machinery and may not be given;
* ``la_code`` must be a council in DfE's list, checked here so a mistyped code never
  waits for a kernel;
* the file must be UTF-8 text; YAML aliases (``*name``) are refused (an "alias bomb" of a
  few lines would otherwise expand without bound).

The notebooks run the same checks on themselves (:func:`check_parameters`), so running
one with plain papermill gives the same messages.

Examples
--------
>>> closest("quater_end", ["period_end", "council_name"])
'period_end'
>>> check_period_end("2026-09-30", "quarterly_report")
>>> check_period_end("2026-09-29", "quarterly_report")
'period_end 2026-09-29 is not a quarter end (30 Jun, 30 Sep, 31 Dec, 31 Mar)'
"""

from __future__ import annotations

import ast
import contextlib
import datetime as dt
import difflib
import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from cppanalytics.choices import MODES, NEIGHBOUR_SUMMARIES, POPULATION_FILE
from cppanalytics.errors import CppError
from cppanalytics.synth.demo import demo_data_dir, demo_targets_file, is_demo
from cppanalytics.yamlfile import decode_text, parse_yaml

#: the notebooks shipped in the package (``report.notebook: quarterly_report`` finds them)
NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"

#: options allowed in the ``report:`` section, with their types and defaults
RUN_OPTIONS: dict[str, tuple[type, Any]] = {
    "notebook": (str, "quarterly_report"),
    "output_root": (str, "reports"),
    "timeout": (int, 600),
    "base_dir": (str, ""),
    "kernel": (str, "python3"),
}

#: allowed values of choice parameters
CHOICES: dict[str, tuple[str, ...]] = {
    "mode": MODES,
    "neighbour_summary": NEIGHBOUR_SUMMARIES,
}

#: parameters the machinery sets itself; a parameter file may not give them
MACHINERY_PARAMETERS: frozenset[str] = frozenset({"output_dir"})

#: notebooks that may show child-level data: never run in public mode
INTERNAL_ONLY: frozenset[str] = frozenset({"data_quality", "explorer"})

#: period rules per notebook: month-day pairs allowed for ``period_end``
PERIOD_ENDS: dict[str, tuple[tuple[int, int], ...]] = {
    "quarterly_report": ((6, 30), (9, 30), (12, 31), (3, 31)),
    "annual_report": ((3, 31),),
}

_LA_CODE = re.compile(r"^(E0[6-9]\d{6}|E10\d{6}|E11\d{6}|E13\d{6}|\d{3})$")
_TYPE_NAMES = frozenset({"str", "bool", "int", "float", "list", "dict"})
_YAML_IMPLICIT = {
    "tag:yaml.org,2002:int": "a number",
    "tag:yaml.org,2002:float": "a number",
    "tag:yaml.org,2002:timestamp": "a date",
}


@dataclass(frozen=True)
class Declared:
    """A parameter declared in a notebook's ``parameters`` cell.

    Attributes
    ----------
    name
        variable name.
    type
        ``str``, ``bool``, ``int``, ``float``, ``list``, ``dict`` or ``any``.
    default
        the default value (a Python literal), or ``None`` when not a literal.
    help
        the comment after the assignment.
    """

    name: str
    type: str
    default: Any
    help: str = ""


@dataclass(frozen=True)
class ReportSpec:
    """A validated report parameter file, ready to execute.

    Attributes
    ----------
    source
        the parameter file (absolute).
    notebook
        the notebook to run (absolute).
    output_root
        reports are written under here (absolute).
    timeout
        seconds per cell.
    kernel
        Jupyter kernel name.
    parameters
        every declared parameter with its effective value (paths absolute).
    inputs
        the input paths named by the parameters (for hashing), by parameter name.
    notes
        coercions made while reading (e.g. a YAML date kept as text).
    """

    source: Path
    notebook: Path
    output_root: Path
    timeout: int
    kernel: str
    parameters: dict[str, Any]
    inputs: dict[str, Path] = field(default_factory=dict)
    notes: tuple[str, ...] = ()

    @property
    def council_name(self) -> str:
        """The council name parameter (or the file stem when the notebook has none)."""
        return str(self.parameters.get("council_name") or self.source.stem)

    @property
    def period_end(self) -> str:
        """The period end parameter (or ``"undated"``)."""
        return str(self.parameters.get("period_end") or "undated")


def closest(name: str, candidates: list[str] | tuple[str, ...]) -> str | None:
    """The candidate most like ``name`` (difflib), or ``None``.

    Examples
    --------
    >>> closest("councl_name", ["council_name", "la_code"])
    'council_name'
    """
    match = difflib.get_close_matches(name, list(candidates), n=1, cutoff=0.5)
    return match[0] if match else None


def _type_of_value(value: Any) -> str:
    """The declared type name of a literal default."""
    for typ in (bool, int, float, str, list, dict):
        if isinstance(value, typ):
            return typ.__name__
    return "any"


def parse_parameters_cell(source: str, where: str = "parameters cell") -> dict[str, Declared]:
    """The parameters declared by the source of a ``parameters`` cell.

    Each top-level assignment ``name = literal`` (or ``name: type = literal``) declares a
    parameter; its type is the annotation when there is one, else the literal's type; the
    comment on the same line is its help. (Parsed with :mod:`ast`, not papermill's line
    regex, which rejects comments containing quotes.)

    Examples
    --------
    >>> d = parse_parameters_cell('la_code = "E06000042"  # "" = none\\nsynthetic = True')
    >>> d["la_code"].type, d["la_code"].help, d["synthetic"].type
    ('str', '"" = none', 'bool')
    """
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        raise CppError(f"{where}: line {exc.lineno}: not valid Python ({exc.msg})") from exc
    lines = source.splitlines()
    out: dict[str, Declared] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, annotation = node.targets[0], None
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            target, annotation = node.target, node.annotation
        else:
            continue
        if not isinstance(target, ast.Name):
            continue
        try:
            value = ast.literal_eval(node.value)
            typ = _type_of_value(value)
        except ValueError:
            value, typ = None, "any"
        if isinstance(annotation, ast.Name) and annotation.id in _TYPE_NAMES:
            typ = annotation.id
        help_text = ""
        line = lines[node.end_lineno - 1] if node.end_lineno else ""
        tail = line[node.end_col_offset :] if node.end_col_offset is not None else ""
        if "#" in tail:
            help_text = tail.split("#", 1)[1].strip()
        out[target.id] = Declared(name=target.id, type=typ, default=value, help=help_text)
    return out


def declared_parameters(notebook: str | Path) -> dict[str, Declared]:
    """The parameters a notebook declares in its cell tagged ``parameters``.

    Raises
    ------
    CppError
        when the notebook cannot be read or has no ``parameters`` cell.

    Examples
    --------
    >>> declared_parameters("notebooks/quarterly_report.ipynb")["la_code"].type  # doctest: +SKIP
    'str'
    """
    path = Path(notebook)
    if not path.is_file():
        raise CppError(f"{path}: notebook not found")
    try:  # plain JSON: nbformat's schema machinery costs seconds to import in a kernel
        nb = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise CppError(f"{path}: cannot read the notebook ({exc})") from exc
    cells = nb.get("cells") if isinstance(nb, dict) else None
    if not isinstance(cells, list):
        raise CppError(
            f"{path}: cannot read the notebook (no list of cells: not a Jupyter notebook of "
            "format 4); open and save it in JupyterLab to convert it"
        )
    for cell in cells:
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        tags = (cell.get("metadata") or {}).get("tags") or []
        if "parameters" in tags:
            source = cell.get("source", "")
            text = "".join(source) if isinstance(source, list) else str(source)
            return parse_parameters_cell(text, f"{path}: parameters cell")
    raise CppError(
        f"{path}: no cell tagged 'parameters'; tag the notebook's parameters cell "
        "(in JupyterLab: Property Inspector > Cell Tags) so its parameters can be set"
    )


def check_period_end(value: str, notebook_name: str) -> str | None:
    """A problem with a ``period_end`` value for this notebook, or ``None``.

    Examples
    --------
    >>> check_period_end("2026-03-31", "annual_report")
    >>> check_period_end("31/03/2026", "annual_report")
    "period_end '31/03/2026' is not a date written YYYY-MM-DD; did you mean '2026-03-31'?"
    """
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        day = None
    if day is None or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        suggestion = iso_date_suggestion(value)
        hint = f"; did you mean {suggestion!r}?" if suggestion else ""
        return f"period_end {value!r} is not a date written YYYY-MM-DD{hint}"
    allowed = PERIOD_ENDS.get(notebook_name)
    if allowed and (day.month, day.day) not in allowed:
        if notebook_name == "annual_report":
            return f"period_end {value} is not a 31 March (the annual report covers a year to 31 March)"
        return f"period_end {value} is not a quarter end (30 Jun, 30 Sep, 31 Dec, 31 Mar)"
    return None


def iso_date_suggestion(text: str) -> str | None:
    """A day-first date (``30/09/2026``, ``30.9.2026``, ``30-09-2026``) written YYYY-MM-DD.

    UK dates are read day first, as in 903 files; ``None`` when the text is no such date.

    Examples
    --------
    >>> iso_date_suggestion("30/09/2026"), iso_date_suggestion("1.4.2026")
    ('2026-09-30', '2026-04-01')
    >>> iso_date_suggestion("31/09/2026") is None, iso_date_suggestion("2026/09/30")
    (True, '2026-09-30')
    """
    text = text.strip()
    day_first = re.fullmatch(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})", text)
    year_first = re.fullmatch(r"(\d{4})[/.](\d{1,2})[/.](\d{1,2})", text)
    if day_first:
        d, m, y = (int(g) for g in day_first.groups())
    elif year_first:
        y, m, d = (int(g) for g in year_first.groups())
    else:
        return None
    try:
        return dt.date(y, m, d).isoformat()
    except ValueError:
        return None


def shipped_notebooks() -> list[str]:
    """Names of the notebooks shipped in the package.

    Examples
    --------
    >>> "quarterly_report" in shipped_notebooks()
    True
    """
    return sorted(p.stem for p in NOTEBOOKS.glob("*.ipynb"))


def _base_dir(source: Path, option: str) -> Path:
    """The folder relative paths in ``source`` are resolved against."""
    if option:
        base = Path(option).expanduser()
        return (base if base.is_absolute() else source.parent / base).resolve()
    for parent in source.parents:
        if parent.name == "params":
            return parent.parent
    return source.parent


def _resolve(value: str, base: Path) -> Path:
    """``value`` made absolute against ``base``; ``..`` taken lexically (as a shell does)."""
    p = Path(value).expanduser()
    return Path(os.path.abspath(p if p.is_absolute() else base / p))


def read_yaml(path: Path) -> tuple[dict[str, Any], dict[str, dict[str, yaml.Node]]]:
    """The YAML document and, per section, the node of every value (to recover raw text).

    Raises :class:`CppError` naming the line for YAML syntax errors, duplicate keys,
    aliases, text that is not UTF-8 and binary junk.
    """
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CppError(f"{path}: cannot read the parameter file ({exc.strerror})") from exc
    data, root = parse_yaml(decode_text(raw, path), path)
    nodes: dict[str, dict[str, yaml.Node]] = {}
    if isinstance(root, yaml.MappingNode):
        for key_node, value_node in root.value:
            section: dict[str, yaml.Node] = {}
            if isinstance(value_node, yaml.MappingNode):
                for k, v in value_node.value:
                    if k.value in section:
                        raise CppError(
                            f"{path}: line {k.start_mark.line + 1}: {key_node.value}.{k.value} "
                            "is given twice; keep one"
                        )
                    section[k.value] = v
            nodes[key_node.value] = section
    return (data if isinstance(data, dict) else {}), nodes


def is_report_params(path: str | Path) -> bool:
    """Whether a YAML file is a report parameter file (has a ``parameters:`` mapping).

    Target files (``params/targets/``) and other YAML files are not.

    Examples
    --------
    >>> is_report_params("params/targets/example.yaml")  # doctest: +SKIP
    False
    """
    path = Path(path)
    try:
        data, _ = parse_yaml(decode_text(path.read_bytes(), path), path)
    except (OSError, CppError):
        return False
    return isinstance(data, dict) and isinstance(data.get("parameters"), dict)


def _coerce(
    name: str, value: Any, node: yaml.Node | None, declared: Declared, notes: list[str]
) -> tuple[Any, str | None]:
    """Coerce one YAML value to the declared type; returns (value, problem)."""
    want = declared.type
    if want == "any":
        return value, None
    if want == "str":
        if isinstance(value, str):
            return value, None
        if value is None:
            notes.append(f'{name}: empty in the YAML, read as "" (not supplied)')
            return "", None
        if isinstance(node, yaml.ScalarNode) and node.tag in _YAML_IMPLICIT and node.style is None:
            notes.append(
                f"{name}: YAML reads {node.value} as {_YAML_IMPLICIT[node.tag]}; kept as the "
                f"text '{node.value}' (write it in quotes to silence this note)"
            )
            return node.value, None
        return value, f"{name} must be text (in quotes), not {_describe(value)}"
    if want == "bool":
        if isinstance(value, bool):
            return value, None
        return value, f"{name} must be true or false, not {_describe(value)}"
    if want == "int":
        if isinstance(value, int) and not isinstance(value, bool):
            return value, None
        return value, f"{name} must be a whole number, not {_describe(value)}"
    if want == "float":
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value), None
        return value, f"{name} must be a number, not {_describe(value)}"
    if want == "list":
        return (value, None) if isinstance(value, list) else (value, f"{name} must be a list")
    if want == "dict":
        return (value, None) if isinstance(value, dict) else (value, f"{name} must be a mapping")
    return value, None


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"true/false ({value!r})"
    if isinstance(value, str):
        return f"the text {value!r}"
    if value is None:
        return "empty"
    return f"{type(value).__name__} {value!r}"


def _notebook_path(option: str, base: Path) -> Path:
    """The notebook a ``report.notebook`` option names.

    A bare name is looked for in the project's ``notebooks/`` folder (a notebook of your
    own), then among the notebooks shipped in the package.
    """
    p = Path(option).expanduser()
    if p.suffix != ".ipynb" and len(p.parts) == 1:
        local = (base / "notebooks" / f"{option}.ipynb").resolve()
        shipped = NOTEBOOKS / f"{option}.ipynb"
        return local if local.is_file() or not shipped.is_file() else shipped
    return _resolve(option, base)


def unknown_parameter(name: str, declared: Iterable[str], notebook_name: str) -> str:
    """The message for a parameter the notebook does not declare (``run`` and the notebook).

    Examples
    --------
    >>> unknown_parameter("perod_end", ["period_end", "mode"], "q.ipynb")
    "unknown parameter 'perod_end'; did you mean 'period_end'? (q.ipynb declares: mode, period_end)"
    """
    names = [n for n in declared if n not in MACHINERY_PARAMETERS]
    hint = closest(name, names)
    return (
        f"unknown parameter {name!r}"
        + (f"; did you mean {hint!r}?" if hint else "")
        + f" ({notebook_name} declares: {', '.join(sorted(names))})"
    )


def _sections(data: dict[str, Any], problems: list[str]) -> dict[str, Any]:
    """The ``report:`` mapping; problems with the file's top-level layout appended."""
    for key in data:
        if key in {"report", "parameters"}:
            continue
        hint = closest(str(key), ["report", "parameters"])
        problems.append(
            f"unknown section {key!r}"
            + (f"; did you mean {hint!r}?" if hint else "")
            + " (a report parameter file has 'report:' and 'parameters:')"
        )
    if not isinstance(data.get("parameters"), dict):
        problems.append("no 'parameters:' mapping; this is not a report parameter file")
    report = data.get("report") or {}
    if not isinstance(report, dict):
        problems.append("'report:' must be a mapping of run options")
        return {}
    return report


def _run_options(report: dict[str, Any], problems: list[str]) -> dict[str, Any]:
    """The run options with defaults filled in; unknown or mistyped options appended."""
    options: dict[str, Any] = {k: default for k, (_, default) in RUN_OPTIONS.items()}
    for key, value in report.items():
        if key not in RUN_OPTIONS:
            hint = closest(str(key), list(RUN_OPTIONS))
            problems.append(
                f"unknown run option report.{key}"
                + (f"; did you mean {hint!r}?" if hint else f"; options: {', '.join(RUN_OPTIONS)}")
            )
            continue
        typ = RUN_OPTIONS[key][0]
        if typ is int and (not isinstance(value, int) or isinstance(value, bool) or value <= 0):
            problems.append(f"report.{key} must be a positive whole number, not {_describe(value)}")
        elif typ is str and not isinstance(value, str):
            problems.append(f"report.{key} must be text, not {_describe(value)}")
        else:
            options[key] = value
    return options


def _given_values(
    given: dict[str, Any],
    nodes: dict[str, yaml.Node],
    declared: dict[str, Declared],
    notebook: Path,
    problems: list[str],
    notes: list[str],
) -> dict[str, Any]:
    """The parameters the file gives, coerced to their declared types."""
    values: dict[str, Any] = {}
    for key, value in given.items():
        name = str(key)
        if name in MACHINERY_PARAMETERS:
            problems.append(
                f"{name} is set by the machinery; use report.output_root to choose where reports go"
            )
        elif name not in declared:
            known = [n for n in declared if n not in MACHINERY_PARAMETERS]
            if closest(name, known) is None and name in RUN_OPTIONS:
                problems.append(f"{name} is a run option; put it under 'report:'")
            else:
                problems.append(unknown_parameter(name, declared, notebook.name))
        else:
            coerced, problem = _coerce(name, value, nodes.get(name), declared[name], notes)
            if problem:
                problems.append(problem)
            else:
                values[name] = coerced
    return values


def resolve_input(name: str, value: str, base: Path) -> Path:
    """The absolute path a path parameter names (``demo`` names the demo council's files).

    Examples
    --------
    >>> resolve_input("data_dir", "x/y", Path("/p")).as_posix()
    '/p/x/y'
    >>> resolve_input("targets_file", "demo", Path("/p")).name
    'example_targets.yaml'
    """
    if is_demo(value):
        if name == "data_dir":
            return demo_data_dir()
        if name == "targets_file":
            return demo_targets_file()
    return _resolve(value, base)


def logical_cwd() -> Path:
    """The working folder as the shell names it (``$PWD``, through symlinks), else the real one.

    ``cd notebooks`` through a symlink leaves the process in the link's target; a relative
    path typed there (``../data``) means what the shell shows, so ``..`` is taken from
    ``$PWD`` when that names the same folder.

    Examples
    --------
    >>> logical_cwd().samefile(".")
    True
    """
    shell = os.environ.get("PWD")
    here = Path.cwd()
    if shell and Path(shell).is_absolute():
        with contextlib.suppress(OSError):
            if Path(shell).samefile(here):
                return Path(shell)
    return here


def _input_problem(name: str, path: Path) -> str | None:
    """Why an input path cannot be used, or ``None``."""
    kind = "folder" if name.endswith("_dir") else "file"
    exists = path.is_dir() if kind == "folder" else path.is_file()
    return None if exists else f"{name}: input {kind} {path} does not exist"


def _effective(
    declared: dict[str, Declared],
    values: dict[str, Any],
    base: Path,
    notebook: Path,
    problems: list[str],
) -> tuple[dict[str, Any], dict[str, Path]]:
    """Every declared parameter's value (paths absolute) and the input paths that exist."""
    effective: dict[str, Any] = {}
    inputs: dict[str, Path] = {}
    for name, decl in declared.items():
        from_yaml = name in values
        value = values[name] if from_yaml else decl.default
        if (
            name not in MACHINERY_PARAMETERS
            and _is_path_param(name)
            and value
            and (isinstance(value, str))
        ):
            resolved = resolve_input(name, value, base if from_yaml else notebook.parent)
            problem = _input_problem(name, resolved)
            if problem:
                where = "" if from_yaml else f" (the notebook's default {decl.default!r})"
                problems.append(problem + where)
            else:
                inputs[name] = resolved
            value = str(resolved)
        effective[name] = value
    return effective, inputs


def _check_population_default(
    effective: dict[str, Any], inputs: dict[str, Path], problems: list[str]
) -> None:
    """``population_file: ""`` means ``data_dir/population.csv``: it must exist."""
    if effective.get("population_file") != "" or "data_dir" not in inputs:
        return
    population = Path(effective["data_dir"]) / POPULATION_FILE
    if population.is_file():
        inputs["population_file"] = population
    else:
        problems.append(
            f'population_file is "" so {population} is used, and it does not exist; '
            "give population_file or add population.csv to data_dir"
        )


def _check_demo(effective: dict[str, Any], problems: list[str]) -> None:
    """The demo council's data is only ever reported with the synthetic-data banner."""
    data = effective.get("data_dir")
    if effective.get("synthetic") is False and isinstance(data, str) and data:
        demo = demo_data_dir(generate=False)
        if Path(data) == demo:
            problems.append(
                f"data_dir is the synthetic demo council ({demo}) but synthetic is false; "
                "give data_dir (your council's 903 folder)"
            )


def _output_root(option: str, override: str | Path | None, base: Path) -> Path:
    """Where reports go: ``--output-root`` (relative to the current folder) or
    ``report.output_root`` (relative to the base folder)."""
    out_root = Path(override if override is not None else option).expanduser()
    if not out_root.is_absolute():
        out_root = (Path.cwd() if override is not None else base) / out_root
    return out_root.resolve()


def load_spec(path: str | Path, *, output_root: str | Path | None = None) -> ReportSpec:
    """Read and validate a report parameter file against its notebook.

    The steps: read the YAML (:func:`read_yaml`), check its sections and run options,
    find the notebook and its declared parameters, coerce the given values to the
    declared types, resolve paths and check inputs exist, then check dates, codes and
    choices. Every problem found is reported at once.

    Parameters
    ----------
    path
        the YAML file.
    output_root
        overrides ``report.output_root``.

    Returns
    -------
    ReportSpec
        with every declared parameter's effective value; path parameters absolute.

    Raises
    ------
    CppError
        listing every problem found (unknown or mistyped parameters, bad dates, codes or
        choices, missing inputs, a missing notebook).

    Examples
    --------
    >>> spec = load_spec("params/synthetic_2026-09-30.yaml")  # doctest: +SKIP
    >>> spec.parameters["period_end"]  # doctest: +SKIP
    '2026-09-30'
    """
    source = Path(path).expanduser().resolve()
    data, nodes = read_yaml(source)
    problems: list[str] = []
    notes: list[str] = []
    options = _run_options(_sections(data, problems), problems)
    base = _base_dir(source, options["base_dir"])
    notebook = _notebook_path(options["notebook"], base)
    if not notebook.is_file():
        problems.append(
            f"report.notebook: {notebook} does not exist (give a name such as "
            f"quarterly_report ({', '.join(shipped_notebooks())}), or a path to an .ipynb)"
        )
    if problems and (not notebook.is_file() or not isinstance(data.get("parameters"), dict)):
        raise _problems(source, problems)
    declared = declared_parameters(notebook)
    values = _given_values(
        data["parameters"], nodes.get("parameters", {}), declared, notebook, problems, notes
    )
    effective, inputs = _effective(declared, values, base, notebook, problems)
    check_values(effective, notebook.stem, problems)
    _check_population_default(effective, inputs, problems)
    _check_demo(effective, problems)
    if problems:
        raise _problems(source, problems)
    return ReportSpec(
        source=source,
        notebook=notebook,
        output_root=_output_root(options["output_root"], output_root, base),
        timeout=int(options["timeout"]),
        kernel=str(options["kernel"]),
        parameters=effective,
        inputs=inputs,
        notes=tuple(notes),
    )


def _is_path_param(name: str) -> bool:
    return name.endswith("_dir") or name.endswith("_file")


def check_la_code(code: str) -> str | None:
    """A problem with an ``la_code`` value, or ``None``: a code in DfE's list of councils.

    Examples
    --------
    >>> check_la_code("E06000042") is None, check_la_code("826") is None
    (True, True)
    >>> check_la_code("E06000999")
    "la_code 'E06000999' is not a council in DfE's list (cppanalytics/data/comparators/councils.csv); check the code (e.g. 'E06000042' or '826' for Milton Keynes)"
    """
    text = code.strip()
    if not _LA_CODE.match(text):
        return (
            f"la_code {code!r} is not a council code: give the 9-character ONS code "
            "(e.g. 'E06000042') or the 3-digit DfE code (e.g. '826'), in quotes"
        )
    from cppanalytics.geography.councils import resolve

    try:
        resolve(text)
    except CppError as exc:
        if "not found" not in str(exc):
            return f"la_code {code!r}: {exc}"
        return (
            f"la_code {code!r} is not a council in DfE's list "
            "(cppanalytics/data/comparators/councils.csv); check the code "
            "(e.g. 'E06000042' or '826' for Milton Keynes)"
        )
    return None


def check_values(params: dict[str, Any], notebook_name: str, problems: list[str]) -> None:
    """Append problems with dates, codes and choices (and public mode where not allowed).

    Examples
    --------
    >>> found = []
    >>> check_values({"period_end": "30/09/2026", "mode": "publc"}, "quarterly_report", found)
    >>> found[0]
    "period_end '30/09/2026' is not a date written YYYY-MM-DD; did you mean '2026-09-30'?"
    >>> found[1]
    "mode 'publc' is not one of internal, public; did you mean 'public'?"
    """
    period = params.get("period_end")
    if isinstance(period, str):
        problem = check_period_end(period, notebook_name)
        if problem:
            problems.append(problem)
    code = params.get("la_code")
    if isinstance(code, str):
        problem = check_la_code(code)
        if problem:
            problems.append(problem)
    for name, allowed in CHOICES.items():
        value = params.get(name)
        if isinstance(value, str) and value not in allowed:
            hint = closest(value, allowed)
            problems.append(
                f"{name} {value!r} is not one of {', '.join(allowed)}"
                + (f"; did you mean {hint!r}?" if hint else "")
            )
    if notebook_name in INTERNAL_ONLY and params.get("mode") == "public":
        problems.append(
            f"{notebook_name}.ipynb may show children's ids and is for internal use only; "
            "use mode: internal"
        )


#: names papermill may inject besides the notebook's parameters (``--inject-paths``)
PAPERMILL_NAMES = frozenset({"PAPERMILL_INPUT_PATH", "PAPERMILL_OUTPUT_PATH"})

#: the first line of the cell papermill injects after the ``parameters`` cell
_INJECTED_HEADER = "# Parameters"


def _assigned_names(source: str) -> list[str]:
    """Names assigned at the top level of a cell's source (``[]`` if it does not parse)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    names: list[str] = []
    for node in tree.body:
        targets = (
            node.targets
            if isinstance(node, ast.Assign)
            else ([node.target] if isinstance(node, ast.AnnAssign) else [])
        )
        names += [t.id for t in targets if isinstance(t, ast.Name)]
    return names


def _kernel_parameters(
    history: list[str], notebook_name: str
) -> tuple[dict[str, Declared], list[str]]:
    """The declared parameters and the names papermill injected, from the kernel's history.

    Papermill runs its injected cell (first line ``# Parameters``) right after the cell
    tagged ``parameters``; the declared parameters are read from that cell (so an edited
    copy of a notebook is checked against itself), else from the shipped notebook.
    """
    injected: list[str] = []
    declared: dict[str, Declared] = {}
    for i in range(len(history) - 1, 0, -1):
        if str(history[i]).lstrip().startswith(_INJECTED_HEADER):
            injected = _assigned_names(history[i])
            with contextlib.suppress(CppError):
                declared = parse_parameters_cell(history[i - 1])
            break
    if not declared:
        shipped = NOTEBOOKS / f"{notebook_name}.ipynb"
        if shipped.is_file():
            declared = declared_parameters(shipped)
    return declared, injected


def check_parameters(namespace: dict[str, Any], notebook_name: str) -> None:
    """Check and resolve a notebook's parameters inside its kernel (the cell after them).

    Run by every shipped notebook right after its ``parameters`` cell, so a notebook run
    with plain papermill (or in JupyterLab) is checked like ``cppanalytics run`` checks a
    params file: a name papermill injected that the notebook does not declare
    (``-p perod_end ...``) is refused with the same message, as are mistyped values, bad
    dates, codes and choices. Path parameters are made absolute in ``namespace``: ``demo``
    names the demo council's files, a relative path is relative to the kernel's working
    folder (where papermill was started, or its ``--cwd``). A number given for a text
    parameter (papermill's ``-p la_code 826``) is kept as its text.

    Parameters
    ----------
    namespace
        the notebook's ``globals()``; updated in place.
    notebook_name
        the notebook's name (``quarterly_report``), for its period-end rules.

    Raises
    ------
    CppError
        listing every problem found.

    Examples
    --------
    >>> ns = {"In": ["", 'mode: str = "internal"', "# Parameters\\nmoed = 'public'\\n"],
    ...       "mode": "internal", "moed": "public"}
    >>> check_parameters(ns, "x")
    Traceback (most recent call last):
    ...
    cppanalytics.errors.CppError: x.ipynb: unknown parameter 'moed'; did you mean 'mode'? (x.ipynb declares: mode)
    """
    __tracebackhide__ = True  # IPython shows the notebook's cell, not this function
    declared, injected = _kernel_parameters(list(namespace.get("In") or []), notebook_name)
    where = f"{notebook_name}.ipynb"
    problems: list[str] = []
    notes: list[str] = []
    for name in injected:
        if name in PAPERMILL_NAMES or name in MACHINERY_PARAMETERS:
            continue
        if declared and name not in declared:
            problems.append(unknown_parameter(name, declared, where))
            continue
        decl = declared.get(name)
        value = namespace.get(name)
        if decl is not None and decl.type == "str" and isinstance(value, int | float):
            value = namespace[name] = str(value)  # papermill -p reads 826 as a number
        if decl is not None:
            _, problem = _coerce(name, value, None, decl, notes)
            if problem:
                problems.append(problem)
    names = list(declared) or [n for n in namespace if not n.startswith("_")]
    for name in names:
        value = namespace.get(name)
        if not (_is_path_param(name) and isinstance(value, str) and value):
            continue
        if name in MACHINERY_PARAMETERS:
            namespace[name] = str(Path(value).expanduser().resolve())
            continue
        resolved = resolve_input(name, value, logical_cwd())
        problem = _input_problem(name, resolved)
        if problem:
            problems.append(problem)
        namespace[name] = str(resolved)
    params = {n: namespace[n] for n in names if n in namespace}
    check_values(params, notebook_name, problems)
    _check_demo(params, problems)
    if problems:
        raise _problems(Path(where), problems)


def _problems(source: Path, problems: list[str]) -> CppError:
    if len(problems) == 1:
        return CppError(f"{source}: {problems[0]}")
    lines = "\n".join(f"  - {p}" for p in problems)
    return CppError(f"{source}: {len(problems)} problems:\n{lines}")
