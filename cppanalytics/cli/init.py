"""``cppanalytics init``: scaffold a council's working folder (params, targets, README).

Examples
--------
>>> from cppanalytics.cli import main
>>> main(["init", "panel-reports", "--la-code", "E06000042"])  # doctest: +SKIP
0
"""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``init`` sub-command."""
    parser = subparsers.add_parser(
        "init",
        help="make a council's working folder: params for the next quarter, targets, README",
        description="Make a working folder for a council's reports: params files for the "
        "next quarter (internal and public), a targets template, a local measures template, "
        "a README and a .gitignore that keeps real data and reports out of git. Existing "
        "files are kept. With --demo the folder is set up for the synthetic demo council "
        "(its data and example targets), ready to run.",
    )
    parser.add_argument("folder", help="the working folder (created if needed)")
    parser.add_argument(
        "--la-code", default=None, help="the council's ONS code (E06000042) or DfE code (826)"
    )
    parser.add_argument(
        "--council-name", default=None, help="name shown in reports (default: DfE's name)"
    )
    parser.add_argument(
        "--period-end",
        default=None,
        metavar="YYYY-MM-DD",
        help="the quarter end to report (default: the latest on or before today)",
    )
    parser.add_argument(
        "--demo", action="store_true", help="set up the synthetic demo council, ready to run"
    )
    parser.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    from cppanalytics.workfolder import init_folder

    made = init_folder(
        args.folder,
        la_code=args.la_code,
        council_name=args.council_name,
        period_end=args.period_end,
        demo=args.demo,
    )
    for path in made.kept:
        print(f"kept existing {path.relative_to(made.folder)}")
    print(
        f"{made.folder}: working folder for {made.council_name} ({len(made.written)} files written)"
    )
    relative = made.params.relative_to(made.folder)
    step = "" if args.demo else "put the 903 extract in data/ (see data/README.md), then "
    print(f"next: cd {made.folder} && {step}cppanalytics run {relative}")
    return 0
