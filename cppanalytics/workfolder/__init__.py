"""``cppanalytics init``: a council's working folder, ready for ``cppanalytics run``.

:func:`init_folder` writes::

    README.md                     what goes where and the commands, for this council
    .gitignore                    keeps data/, local_measures/ and reports/ out of git
    params/<council>_<quarter>.yaml         the next quarterly report (internal)
    params/<council>_public_<quarter>.yaml  its public version (disclosure control on)
    params/targets/targets.yaml   targets template (every indicator, commented out)
    local_measures/template.csv   the local measures layout, with its README
    data/README.md                where the 903 extract goes

With ``demo=True`` it is set up for the synthetic demo council instead: its 903 files in
``data/synthetic`` and its example targets, so ``run`` works at once. Files that exist are
kept, never overwritten. The notebooks themselves stay in the package (one copy, upgraded
with it); a params file names one with ``report.notebook``.

Examples
--------
>>> import tempfile
>>> made = init_folder(tempfile.mkdtemp(), la_code="E08000035", period_end="2026-09-30")
>>> made.params.name, made.council_name
('leeds_2026-09-30.yaml', 'Leeds')
"""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from cppanalytics.errors import CppError
from cppanalytics.reporting.outputs import council_slug

TEMPLATES = Path(__file__).resolve().parent
DEMO_COUNCIL = ("Ouzel Vale Council (synthetic)", "E06000042", "2026-09-30")


@dataclass(frozen=True)
class Scaffold:
    """What :func:`init_folder` did.

    Attributes
    ----------
    folder
        the working folder (absolute).
    params
        the quarterly report's params file.
    council_name
        the council's name as written in the params files.
    written
        files written.
    kept
        files that existed and were left as they were.
    """

    folder: Path
    params: Path
    council_name: str
    written: list[Path] = field(default_factory=list)
    kept: list[Path] = field(default_factory=list)


def next_quarter_end(today: dt.date | None = None) -> str:
    """The quarter end a council reports next: the latest one on or before ``today``.

    Examples
    --------
    >>> next_quarter_end(dt.date(2026, 11, 28)), next_quarter_end(dt.date(2026, 9, 30))
    ('2026-09-30', '2026-09-30')
    """
    from cppanalytics.dates import latest_quarter_end

    day = today or dt.date.today()
    return latest_quarter_end((day + dt.timedelta(days=1)).isoformat()).strftime("%Y-%m-%d")


def params_text(
    *,
    council_name: str,
    la_code: str,
    period_end: str,
    data_dir: str,
    targets_file: str,
    mode: str,
    synthetic: bool,
) -> str:
    """A report params file for the quarterly report (YAML text with comments).

    Examples
    --------
    >>> import yaml
    >>> text = params_text(council_name="Leeds", la_code="E08000035",
    ...                    period_end="2026-09-30", data_dir="data", targets_file="",
    ...                    mode="internal", synthetic=False)
    >>> yaml.safe_load(text)["parameters"]["la_code"]
    'E08000035'
    """
    targets_note = (
        ""
        if targets_file
        else "  # when the panel has agreed targets: fill in params/targets/targets.yaml and\n"
        "  # set targets_file: params/targets/targets.yaml\n"
    )
    public = "_public" if mode == "public" else ""
    return f"""\
# {"Public version of the q" if public else "Q"}uarterly Corporate Parenting Panel report for {council_name},
# quarter ending {period_end}.
# Run from this folder:  cppanalytics run params/{council_slug(council_name)}{public}_{period_end}.yaml
# Paths are relative to this working folder (the folder that holds params/); dates and
# codes are quoted so YAML keeps them as text. For the next quarter copy this file and
# change period_end.
report:
  notebook: quarterly_report        # shipped with the package (also annual_report, data_quality, explorer)
  output_root: reports              # -> reports/<council>/<period_end>/quarterly_report{public}/
  timeout: 600                      # seconds allowed per notebook cell
parameters:
  council_name: "{council_name}"
  la_code: "{la_code}"
  period_end: "{period_end}"
  data_dir: {data_dir}
  population_file: ""               # blank: population.csv in data_dir
  targets_file: "{targets_file}"
{targets_note}  comparators_file: ""              # blank: the shipped DfE comparator table
  local_measures_file: ""           # e.g. local_measures/local_measures.csv
  mode: {mode}                    # internal, or public (disclosure control on, no child ids)
  neighbour_summary: mean           # mean (as LAIT) or median
  synthetic: {"true" if synthetic else "false"}
"""


def targets_template(council_name: str) -> str:
    """A targets file listing every headline indicator of the catalogue, commented out.

    Examples
    --------
    >>> "#  stability_3plus_placements: {target: , tolerance: }" in targets_template("Leeds")
    True
    """
    from cppanalytics.indicators.catalogue import CATALOGUE

    lines = [
        f"# Targets agreed by {council_name}'s Corporate Parenting Panel.",
        "# Uncomment the indicators the panel sets a target for and fill in the figures:",
        "#   target     the figure the panel aims for (percent 0-100, rate per 10,000, days, score)",
        "#   tolerance  how far on the wrong side of the target is still AMBER (default 0)",
        "#   polarity   up (higher is better) or down; needed where the catalogue has none",
        "# RAG: on or better than target is green, within tolerance amber, beyond red.",
        "# Local measures (local_measures/) take targets here too, under their own ids.",
        "# Then set targets_file: params/targets/targets.yaml in the params files.",
        f'council: "{council_name}"',
        "targets:",
    ]
    for ind in CATALOGUE.values():
        if ind.breakdown:
            continue
        better = {"up": "higher is better", "down": "lower is better"}.get(
            ind.polarity, "give polarity: up or down"
        )
        extra = ", polarity: " if ind.polarity == "neither" else ""
        lines.append(f"#  {ind.id}: {{target: , tolerance: {extra}}}   # {ind.title} ({better})")
    return "\n".join(lines) + "\n"


def readme_text(council_name: str, params_name: str, public_name: str, demo: bool) -> str:
    """The working folder's README (what goes where, the commands)."""
    data_line = (
        "- `data/synthetic/` — the synthetic demo council's 903 files (made up; no real child)."
        if demo
        else "- `data/` — your council's 903 extract, one folder per collection year (see "
        "`data/README.md`). Ignored by git: real data never enters version control."
    )
    return f"""\
# {council_name}: Corporate Parenting Panel reports

Made by `cppanalytics init`. The report notebooks, house style and DfE comparator data
come with the `cppanalytics` package; this folder holds only what is yours.

{data_line}
- `params/` — one file per report: `{params_name}` (internal) and `{public_name}`
  (public: disclosure control on, no child identifiers). Copy one and change `period_end`
  for the next quarter.
- `params/targets/targets.yaml` — the panel's targets (a template until filled in).
- `local_measures/` — measures from other systems (return interviews, …); see its README.
- `reports/` — written by `cppanalytics run`: `reports/<council>/<period end>/<report>/`
  holding the HTML report, the executed notebook, `results.csv`, `scorecard.xlsx` and
  `manifest.json`. Ignored by git (rebuilt from the data).

Commands, from this folder:

```bash
cppanalytics validate data/                      # findings in the 903 files, by severity
cppanalytics run params/{params_name} --check   # check the params file only
cppanalytics run params/{params_name}           # the report
cppanalytics batch params/ --workers 2           # every params file at once
```

`.gitignore` keeps `data/`, `local_measures/` and `reports/` out of git, so this folder can
be version-controlled safely (params and targets are worth keeping).
"""


def _write(path: Path, text: str, scaffold: Scaffold) -> None:
    if path.exists():
        scaffold.kept.append(path)
        return
    from cppanalytics.writing import write_text

    write_text(path, text)  # whole or not at all; a failing disk is one message, status 3
    scaffold.written.append(path)


def _copy_demo_data(target: Path, scaffold: Scaffold) -> None:
    from cppanalytics.synth.demo import demo_data_dir

    if (target / "population.csv").exists():
        scaffold.kept.append(target)
        return
    shutil.copytree(demo_data_dir(), target, dirs_exist_ok=True)
    scaffold.written.append(target)


def init_folder(
    folder: str | Path,
    *,
    la_code: str | None = None,
    council_name: str | None = None,
    period_end: str | None = None,
    demo: bool = False,
) -> Scaffold:
    """Write a council's working folder (see the module docstring); existing files are kept.

    Parameters
    ----------
    folder
        the working folder (created if needed).
    la_code
        the council's ONS or DfE code (required unless ``demo``).
    council_name
        as shown in the reports (default: DfE's name for ``la_code``).
    period_end
        the quarter to report (default: the latest quarter end on or before today).
    demo
        set up the synthetic demo council, with its data and example targets.

    Returns
    -------
    Scaffold

    Raises
    ------
    CppError
        no or unknown ``la_code``, a bad ``period_end``, or ``folder`` is a file.
    """
    from cppanalytics.reporting.params import check_la_code, check_period_end

    root = Path(folder).expanduser().resolve()
    if root.exists() and not root.is_dir():
        raise CppError(f"{root} is a file; give a folder for the council's working files")
    if demo:
        name, code, default_period = DEMO_COUNCIL
        council_name, la_code = council_name or name, la_code or code
        period_end = period_end or default_period
    if not la_code:
        raise CppError(
            "give the council's code: --la-code E06000042 (ONS) or 826 (DfE); "
            "or --demo for the synthetic demo council"
        )
    problem = check_la_code(la_code)
    if problem:
        raise CppError(problem)
    if not council_name:
        from cppanalytics.geography.councils import resolve

        council_name = resolve(la_code).name
    period_end = period_end or next_quarter_end()
    problem = check_period_end(period_end, "quarterly_report")
    if problem:
        raise CppError(problem)
    slug = council_slug(council_name)
    params = root / "params" / f"{slug}_{period_end}.yaml"
    public = root / "params" / f"{slug}_public_{period_end}.yaml"
    made = Scaffold(folder=root, params=params, council_name=council_name)
    data_dir = "data/synthetic" if demo else "data"
    targets = "params/targets/targets.yaml" if demo else ""
    for path, mode in ((params, "internal"), (public, "public")):
        _write(
            path,
            params_text(
                council_name=council_name,
                la_code=la_code,
                period_end=period_end,
                data_dir=data_dir,
                targets_file=targets,
                mode=mode,
                synthetic=demo,
            ),
            made,
        )
    targets_text = (
        (TEMPLATES / "example_targets.yaml").read_text(encoding="utf-8")
        if demo
        else targets_template(council_name)
    )
    _write(root / "params" / "targets" / "targets.yaml", targets_text, made)
    _write(root / "README.md", readme_text(council_name, params.name, public.name, demo), made)
    _write(root / ".gitignore", (TEMPLATES / "gitignore.tpl").read_text(encoding="utf-8"), made)
    _write(
        root / "data" / "README.md",
        (TEMPLATES / "data_README.md").read_text(encoding="utf-8"),
        made,
    )
    _write(
        root / "local_measures" / "README.md",
        (TEMPLATES / "local_measures_README.md").read_text(encoding="utf-8"),
        made,
    )
    _write(
        root / "local_measures" / "template.csv",
        (TEMPLATES / "local_measures.csv").read_text(encoding="utf-8"),
        made,
    )
    (root / "reports").mkdir(exist_ok=True)
    if demo:
        _copy_demo_data(root / "data" / "synthetic", made)
    return made
