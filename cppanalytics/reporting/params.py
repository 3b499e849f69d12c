"""Report parameter files: read the YAML and validate it against the notebook, before any kernel.

A report parameter file has two sections::

    report:                               # how to run (all optional)
      notebook: quarterly_report          # a name in notebooks/, or a path to an .ipynb
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
  means "not supplied". ``output_dir`` is set by the machinery and may not be given.

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
import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from cppanalytics.errors import CppError

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
    "mode": ("internal", "public"),
    "neighbour_summary": ("mean", "median"),
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
    import nbformat

    path = Path(notebook)
    if not path.is_file():
        raise CppError(f"{path}: notebook not found")
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception as exc:  # nbformat raises many kinds
        raise CppError(f"{path}: cannot read the notebook ({exc})") from exc
    for cell in nb.cells:
        if cell.cell_type == "code" and "parameters" in cell.get("metadata", {}).get("tags", []):
            return parse_parameters_cell(cell.source, f"{path}: parameters cell")
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
    "period_end '31/03/2026' is not a date written YYYY-MM-DD"
    """
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        return f"period_end {value!r} is not a date written YYYY-MM-DD"
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return f"period_end {value!r} is not a date written YYYY-MM-DD"
    allowed = PERIOD_ENDS.get(notebook_name)
    if allowed and (day.month, day.day) not in allowed:
        if notebook_name == "annual_report":
            return f"period_end {value} is not a 31 March (the annual report covers a year to 31 March)"
        return f"period_end {value} is not a quarter end (30 Jun, 30 Sep, 31 Dec, 31 Mar)"
    return None


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
    p = Path(value).expanduser()
    return (p if p.is_absolute() else base / p).resolve()


def read_yaml(path: Path) -> tuple[dict[str, Any], dict[str, dict[str, yaml.Node]]]:
    """The YAML document and, per section, the node of every value (to recover raw text).

    Raises :class:`CppError` naming the line for YAML syntax errors and duplicate keys.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CppError(f"{path}: cannot read the parameter file ({exc.strerror})") from exc
    except UnicodeDecodeError as exc:
        raise CppError(f"{path}: the parameter file is not UTF-8 text (byte {exc.start + 1} "
                       "cannot be read); save it as UTF-8 and run again") from exc
    try:
        data = yaml.safe_load(text)
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}, column {mark.column + 1}:" if mark else ""
        if isinstance(exc, yaml.reader.ReaderError):  # a control character or binary junk
            where = f" character {exc.position + 1}:"
            char = exc.character if isinstance(exc.character, int) else exc.character[0]
            problem = f"character #x{char:04x} is not allowed in a YAML file"
        else:
            problem = " ".join(str(getattr(exc, "problem", None) or exc).split())
        raise CppError(f"{path}:{where} not valid YAML ({problem}); fix the file") from exc
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
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError, UnicodeDecodeError):
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
    p = Path(option).expanduser()
    if p.suffix != ".ipynb" and len(p.parts) == 1:
        return (base / "notebooks" / f"{option}.ipynb").resolve()
    return _resolve(option, base)


def load_spec(path: str | Path, *, output_root: str | Path | None = None) -> ReportSpec:
    """Read and validate a report parameter file against its notebook.

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
    unknown_sections = [k for k in data if k not in {"report", "parameters"}]
    for key in unknown_sections:
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
        report = {}

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
            continue
        if typ is str and not isinstance(value, str):
            problems.append(f"report.{key} must be text, not {_describe(value)}")
            continue
        options[key] = value

    base = _base_dir(source, options["base_dir"])
    notebook = _notebook_path(options["notebook"], base)
    if not notebook.is_file() or not isinstance(data.get("parameters"), dict):
        if not notebook.is_file():
            problems.append(
                f"report.notebook: {notebook} does not exist (give a name in notebooks/ "
                "such as quarterly_report, or a path to an .ipynb)"
            )
        raise _problems(source, problems)
    declared = declared_parameters(notebook)
    given: dict[str, Any] = data["parameters"]
    param_nodes = nodes.get("parameters", {})

    values: dict[str, Any] = {}
    for name, value in given.items():
        name = str(name)
        if name in MACHINERY_PARAMETERS:
            problems.append(
                f"{name} is set by the machinery; use report.output_root to choose where reports go"
            )
            continue
        if name not in declared:
            hint = closest(name, [n for n in declared if n not in MACHINERY_PARAMETERS])
            if hint is None and name in RUN_OPTIONS:
                problems.append(f"{name} is a run option; put it under 'report:'")
            else:
                problems.append(
                    f"unknown parameter {name!r}"
                    + (f"; did you mean {hint!r}?" if hint else "")
                    + f" ({notebook.name} declares: {', '.join(sorted(declared))})"
                )
            continue
        coerced, problem = _coerce(name, value, param_nodes.get(name), declared[name], notes)
        if problem:
            problems.append(problem)
        else:
            values[name] = coerced

    effective: dict[str, Any] = {}
    inputs: dict[str, Path] = {}
    for name, decl in declared.items():
        from_yaml = name in values
        value = values[name] if from_yaml else decl.default
        if name in MACHINERY_PARAMETERS:
            effective[name] = value
            continue
        if _is_path_param(name) and isinstance(value, str) and value:
            resolved = _resolve(value, base if from_yaml else notebook.parent)
            value = str(resolved)
            kind = "folder" if name.endswith("_dir") else "file"
            exists = resolved.is_dir() if kind == "folder" else resolved.is_file()
            if not exists:
                where = "" if from_yaml else f" (the notebook's default {decl.default!r})"
                problems.append(f"{name}: input {kind} {resolved} does not exist{where}")
            else:
                inputs[name] = resolved
        effective[name] = value

    _check_values(effective, notebook.stem, problems)
    if notebook.stem in INTERNAL_ONLY and effective.get("mode") == "public":
        problems.append(
            f"{notebook.name} may show children's ids and is for internal use only; "
            "use mode: internal"
        )
    if (
        "population_file" in effective
        and effective["population_file"] == ""
        and isinstance(effective.get("data_dir"), str)
        and "data_dir" in inputs
    ):
        population = Path(effective["data_dir"]) / "population.csv"
        if not population.is_file():
            problems.append(
                f'population_file is "" so {population} is used, and it does not exist; '
                "give population_file or add population.csv to data_dir"
            )
        else:
            inputs["population_file"] = population
    if problems:
        raise _problems(source, problems)
    out_root = Path(output_root) if output_root is not None else Path(options["output_root"])
    out_root = out_root.expanduser()
    if not out_root.is_absolute():
        out_root = (Path.cwd() if output_root is not None else base) / out_root
    return ReportSpec(
        source=source,
        notebook=notebook,
        output_root=out_root.resolve(),
        timeout=int(options["timeout"]),
        kernel=str(options["kernel"]),
        parameters=effective,
        inputs=inputs,
        notes=tuple(notes),
    )


def _is_path_param(name: str) -> bool:
    return name.endswith("_dir") or name.endswith("_file")


def _check_values(params: dict[str, Any], notebook_name: str, problems: list[str]) -> None:
    """Append problems with dates, codes and choices."""
    period = params.get("period_end")
    if isinstance(period, str):
        problem = check_period_end(period, notebook_name)
        if problem:
            problems.append(problem)
    code = params.get("la_code")
    if isinstance(code, str) and not _LA_CODE.match(code.strip()):
        problems.append(
            f"la_code {code!r} is not a council code: give the 9-character ONS code "
            "(e.g. 'E06000042') or the 3-digit DfE code (e.g. '826'), in quotes"
        )
    for name, allowed in CHOICES.items():
        value = params.get(name)
        if isinstance(value, str) and value not in allowed:
            hint = closest(value, allowed)
            problems.append(
                f"{name} {value!r} is not one of {', '.join(allowed)}"
                + (f"; did you mean {hint!r}?" if hint else "")
            )


def _problems(source: Path, problems: list[str]) -> CppError:
    if len(problems) == 1:
        return CppError(f"{source}: {problems[0]}")
    lines = "\n".join(f"  - {p}" for p in problems)
    return CppError(f"{source}: {len(problems)} problems:\n{lines}")
