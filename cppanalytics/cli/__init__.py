"""The ``cppanalytics`` command line.

Each sub-command lives in its own module in this package and exposes
``register(subparsers)``, which adds its parser and sets ``func`` to a callable taking the
parsed arguments and returning an exit status. Errors the user can fix are raised as
:class:`cppanalytics.errors.CppError` and printed without a traceback.

Examples
--------
>>> main(["--version"])  # doctest: +SKIP
cppanalytics 0.1.0
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from cppanalytics import __version__
from cppanalytics.errors import CppError
from cppanalytics.findings import FINDINGS_DETAIL

#: sub-command modules, in the order ``--help`` lists them
COMMANDS: tuple[str, ...] = ("synth", "validate", "indicators", "comparators", "run", "batch")

DESCRIPTION = """\
Turn a council's SSDA903 extract into the quarterly Corporate Parenting Panel report.

Typical use:
  cppanalytics synth --out data/synthetic          # make the demo council's 903 files
  cppanalytics validate data/synthetic             # check files, write findings CSV
  cppanalytics indicators --data data/synthetic --period-end 2026-09-30 --out results.csv
  cppanalytics run params/synthetic_2026-09-30.yaml  # the HTML report for one quarter
  cppanalytics batch params/                       # many reports at once
"""


def add_findings_option(parser: argparse.ArgumentParser) -> None:
    """Add ``--findings {summary,all}``: how much of the info-level findings a CSV gets.

    Errors and warnings are always written row by row; ``summary`` (the default) folds
    info-level findings of one kind per file into a row with their count
    (:func:`cppanalytics.findings.summarise_findings`).
    """
    parser.add_argument(
        "--findings", choices=FINDINGS_DETAIL, default="summary",
        help="findings CSV detail: 'summary' (default) writes every error and warning and "
             "one row per kind of info finding per file with its count; 'all' writes every row",
    )


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every sub-command registered."""
    parser = argparse.ArgumentParser(
        prog="cppanalytics",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"cppanalytics {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        module = importlib.import_module(f"cppanalytics.cli.{name}")
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: parse ``argv`` and run the sub-command; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    try:
        return int(args.func(args) or 0)
    except CppError as exc:
        print(f"cppanalytics {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
