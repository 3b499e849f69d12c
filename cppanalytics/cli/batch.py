"""``cppanalytics batch``: many reports in parallel from a folder of parameter files.

One failure never stops the others; the summary lists each failure with the failing cell
and error, and the exit status is 1 when any report failed. ``--scheduler`` runs the same
batch on a Dask distributed cluster. Ctrl-C (exit 130) or SIGTERM (exit 143) stops the
batch at once, leaving no half report; a rerun skips the reports already complete
(``--force`` rebuilds them).

Examples
--------
>>> from cppanalytics.cli import main
>>> main(["batch", "params/", "--workers", "2"])  # doctest: +SKIP
10 of 10 reports written.
"""

from __future__ import annotations

import argparse
import sys

from cppanalytics.errors import CppError


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``batch`` sub-command."""
    parser = subparsers.add_parser(
        "batch",
        help="run many reports in parallel from parameter files or folders",
        description="Run every report parameter file found in PATHS (folders are searched "
        "recursively; params/targets/ and YAML files without 'parameters:' are skipped).",
    )
    parser.add_argument("paths", nargs="+", help="parameter files or folders, e.g. params/")
    parser.add_argument("--workers", type=int, default=2, help="parallel processes (default 2)")
    parser.add_argument(
        "--scheduler",
        default=None,
        metavar="ADDRESS",
        help="run on a Dask distributed scheduler, e.g. tcp://10.0.0.5:8786",
    )
    parser.add_argument("--output-root", default=None, help="override report.output_root")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    parser.add_argument(
        "--force",
        action="store_true",
        help="rebuild reports that are already complete (default: skip them, so a rerun "
        "of an interrupted batch resumes)",
    )
    parser.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    from cppanalytics import cli
    from cppanalytics.reporting.batch import BatchStopped, discover, run_batch, summarise

    if args.workers < 1:
        raise CppError("--workers must be at least 1")
    files, skipped = discover(args.paths)
    for path, reason in skipped:
        cli.say(f"skipped {path}: {reason}")
    if not files:
        raise CppError(f"no report parameter files found in {' '.join(args.paths)}")
    try:
        outcomes = run_batch(
            files,
            workers=args.workers,
            scheduler=args.scheduler,
            output_root=args.output_root,
            progress=not args.no_progress and cli.VERBOSITY > 0,
            force=args.force,
            say=cli.say,
        )
    except BatchStopped as stop:
        done = sum(o.ok for o in stop.outcomes)
        print(
            f"stopped ({stop}): {done} of {len(files)} reports written; the rest were "
            "cancelled and left no report folder. Run the same command again to resume.",
            file=sys.stderr,
        )
        return stop.exit_status
    for outcome in outcomes:
        if outcome.skipped:
            cli.say(f"done    {outcome.params_file} -> {outcome.folder} (already complete)")
        elif outcome.ok and cli.VERBOSITY > 0:
            print(f"ok      {outcome.params_file} -> {outcome.folder} ({outcome.seconds:.0f} s)")
    print(summarise(outcomes))
    return 0 if all(o.ok for o in outcomes) else 1
