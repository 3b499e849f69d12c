"""``cppanalytics run``: one report from a parameter file.

Validates the YAML against the notebook's parameters cell before any kernel starts, runs
the notebook with papermill, converts it to a self-contained HTML report and writes the
report folder atomically (see :mod:`cppanalytics.reporting`).

Examples
--------
>>> from cppanalytics.cli import main
>>> main(["run", "params/synthetic_2026-09-30.yaml"])  # doctest: +SKIP
report written: reports/ouzel-vale-council-synthetic/2026-09-30/quarterly_report
"""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``run`` sub-command."""
    parser = subparsers.add_parser(
        "run",
        help="run one report from a YAML parameter file (validate, execute, HTML)",
        description="Run one report notebook from a YAML parameter file: validate the "
        "parameters, execute with papermill, convert to a self-contained HTML file and "
        "write reports/<council>/<period_end>/<report>/.",
    )
    parser.add_argument(
        "params", help="report parameter file, e.g. params/synthetic_2026-09-30.yaml"
    )
    parser.add_argument(
        "--output-root", default=None, help="write under this folder instead of report.output_root"
    )
    parser.add_argument(
        "--check", action="store_true", help="only validate the parameter file; run nothing"
    )
    parser.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    from cppanalytics.cli import say
    from cppanalytics.reporting.params import load_spec

    spec = load_spec(args.params, output_root=args.output_root)
    for note in spec.notes:
        say(f"note: {note}")
    say(f"notebook {spec.notebook}", level=2)
    for name, value in spec.parameters.items():
        say(f"  {name} = {value!r}", level=2)
    if args.check:
        print(f"{args.params}: valid ({spec.notebook.name}, {len(spec.parameters)} parameters)")
        return 0
    from cppanalytics.reporting.report import run_report

    say(f"running {spec.notebook.name} (validated before any kernel started)", level=2)
    result = run_report(args.params, output_root=args.output_root)
    for warning in result.warnings:
        say(f"warning: {warning}", level=0)
    t = result.timings
    print(f"report written: {result.folder}")
    say(
        f"  {result.html.name}; validate {t['validate']:.1f} s, execute {t['execute']:.1f} s, "
        f"convert {t['convert']:.1f} s, total {t['total']:.1f} s"
    )
    return 0
