"""The ``cppanalytics`` command line.

Each sub-command lives in its own module in this package and exposes
``register(subparsers)``, which adds its parser and sets ``func`` to a callable taking the
parsed arguments and returning an exit status. :func:`main` is the one outer handler for
every command: any exception becomes one plain message on stderr and a documented exit
status (:mod:`cppanalytics.errors`: 0 ok, 1 error-level findings or a failed report,
2 unusable input or usage, 3 output not written, 4 internal error, 130 interrupted,
141 output pipe closed). Only ``--debug`` shows a traceback.

Examples
--------
>>> main(["--version"])  # doctest: +SKIP
cppanalytics 0.1.0
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import gc
import importlib
import os
import sys
import traceback
from collections.abc import Iterator, Sequence
from typing import NoReturn

from cppanalytics import __version__
from cppanalytics.errors import (
    EXIT_BROKEN_PIPE,
    EXIT_INPUT,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_OUTPUT,
    CppError,
)
from cppanalytics.findings_detail import FINDINGS_DETAIL

#: sub-command modules, in the order ``--help`` lists them
COMMANDS: tuple[str, ...] = (
    "init",
    "synth",
    "validate",
    "indicators",
    "comparators",
    "run",
    "batch",
)

DESCRIPTION = """\
Turn a council's SSDA903 extract into the quarterly Corporate Parenting Panel report.

Typical use:
  cppanalytics init panel --la-code E06000042      # a council's working folder (--demo: ready to run)
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
        "--findings",
        choices=FINDINGS_DETAIL,
        default="summary",
        help="findings CSV detail: 'summary' (default) writes every error and warning and "
        "one row per kind of info finding per file with its count; 'all' writes every row",
    )


#: how much the commands say: 0 quiet, 1 normal, 2 verbose (set by ``main``)
VERBOSITY = 1


def _add_verbosity(parser: argparse.ArgumentParser, default: object) -> None:
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "-q",
        "--quiet",
        dest="verbosity",
        action="store_const",
        const=0,
        default=default,
        help="only errors, warnings and results (no progress bars or notes)",
    )
    group.add_argument(
        "-v",
        "--verbose",
        dest="verbosity",
        action="store_const",
        const=2,
        default=default,
        help="say more: the parameters used, each stage and its timing",
    )


def say(message: str, level: int = 1) -> None:
    """Print ``message`` to stderr when the verbosity is at least ``level`` (1 normal).

    Examples
    --------
    >>> say("only with --verbose", level=2)
    """
    if VERBOSITY >= level:
        print(message, file=sys.stderr)


def tell(message: str, level: int = 1) -> None:
    """Print ``message`` to stdout when the verbosity is at least ``level``: notes and
    timings about a command's results (the results themselves are always printed).

    Examples
    --------
    >>> tell("done in 1.0 s")
    done in 1.0 s
    >>> tell("load 0.4 s", level=2)
    """
    if VERBOSITY >= level:
        print(message)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every sub-command registered.

    ``--quiet`` / ``--verbose`` are accepted before or after the sub-command.
    """
    parser = argparse.ArgumentParser(
        prog="cppanalytics",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"cppanalytics {__version__}")
    parser.add_argument(
        "--debug",
        action="store_true",
        help="show the full traceback when something fails (for bug reports)",
    )
    _add_verbosity(parser, 1)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        module = importlib.import_module(f"cppanalytics.cli.{name}")
        module.register(sub)
    for command in sub.choices.values():
        _add_verbosity(command, argparse.SUPPRESS)
    return parser


def _apply_verbosity(level: int) -> None:
    """Set :data:`VERBOSITY`, the package's log level and progress bars for this process."""
    import logging
    import os

    global VERBOSITY
    VERBOSITY = level
    logging.basicConfig(format="%(levelname)s: %(message)s")
    logging.getLogger("cppanalytics").setLevel(
        {0: logging.ERROR, 1: logging.WARNING, 2: logging.INFO}[level]
    )
    if level == 0:
        os.environ["TQDM_DISABLE"] = "1"


#: errors of the disk being written to (exit status 3); other OS errors are input (2)
_OUTPUT_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EFBIG})


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def _say(command: str, text: str) -> None:
    """Print ``cppanalytics COMMAND: TEXT`` on stderr (never raising)."""
    prefix = f"cppanalytics {command}" if command else "cppanalytics"
    try:
        print(f"{prefix}: {text}", file=sys.stderr)
        sys.stderr.flush()
    except (OSError, ValueError):
        pass


@contextlib.contextmanager
def lasting_imports() -> Iterator[None]:
    """Import modules with the cyclic garbage collector paused, then set everything made
    so far aside from its later passes (``gc.freeze``).

    Importing pandas, numpy and pyarrow makes hundreds of thousands of objects that live
    as long as the process and are no garbage: the collector would walk them some 200
    times while they are made, then again at each later pass (together about 50 ms of a
    small run). Frozen, they are left alone; everything made afterwards is collected as
    before, and the collector's on/off state is restored. :func:`main` called from
    Python (with ``argv``) hands them back to the collector when the command ends.

    Examples
    --------
    >>> with lasting_imports():
    ...     import json
    >>> gc.isenabled(), gc.get_freeze_count() > 0
    (True, True)
    >>> gc.unfreeze()
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()


#: what the command now running keeps until the process ends (:func:`keep_until_exit`)
_KEPT: list[object] = []


def keep_until_exit(*objects: object) -> None:
    """Keep ``objects`` (a command's loaded data and results) until the process ends.

    A large extract's dataset holds tens of millions of text cells; freeing them one by
    one when the command returns costs about 0.1 s at a million episodes, only for the
    process to end. Kept here, they are never freed one by one: :func:`run` ends the
    process at once after flushing its output. :func:`main` called from Python (with
    ``argv``) lets them go when the command returns, as if never kept.

    Examples
    --------
    >>> keep_until_exit([1, 2, 3])
    >>> len(_KEPT) > 0
    True
    >>> _KEPT.clear()
    """
    _KEPT.extend(objects)


#: the cyclic garbage collector's thresholds in the program (:func:`run`): Python's
#: default collects the youngest objects after every 700 new ones, about 65 collections
#: (15-20 ms) in the demo council's run at 12 quarter ends, where pandas' many short-lived
#: objects are freed by their reference counts anyway. With these, none in that run and
#: the same peak memory at 999,003 episodes (978-996 MB either way)
PROGRAM_GC_THRESHOLDS: tuple[int, int, int] = (50_000, 20, 10)


def run() -> int:
    """The ``cppanalytics`` program: :func:`main` on the process's own arguments, with
    numpy's linear algebra on one thread (``OPENBLAS_NUM_THREADS=1`` unless set) and the
    garbage collector's thresholds :data:`PROGRAM_GC_THRESHOLDS`.

    When the command kept its data (:func:`keep_until_exit`), the process then ends
    straight away (``os._exit`` with the exit status, after flushing stdout, stderr and
    the log): every file the command wrote is already complete and closed, and nothing
    is left that needs the interpreter's orderly shutdown, so the kept data are left to
    the operating system instead of being freed object by object. Otherwise returns the
    status for ``sys.exit``, as :func:`main` does.
    """
    # numpy's OpenBLAS otherwise starts a thread per core when imported, each spinning
    # for a while (about 0.1 s of a core at start-up, taken from the files' reading); the
    # program's matrix algebra is small (the disclosure checks). A setting already made
    # is kept.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    gc.set_threshold(*PROGRAM_GC_THRESHOLDS)
    status = main()
    if _KEPT:
        end_now(status)
    return status


def end_now(status: int) -> NoReturn:
    """End the process with ``status`` at once, after flushing stdout, stderr and the log
    (a closed output pipe is then silenced, as :func:`main` does)."""
    import logging

    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError, AttributeError):
            if stream is sys.stdout:
                _silence_stdout()
    logging.shutdown()
    os._exit(status)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: parse ``argv`` and run the sub-command; returns the exit status.

    Every exception ends here as one message on stderr and an exit status (see
    :mod:`cppanalytics.errors`); ``--debug`` adds the traceback.

    Run as the command (``argv`` None: the process's own arguments), everything left is
    frozen before returning (``gc.freeze``): the process is about to end, and the
    interpreter's last collection would otherwise walk every object of the run only to
    see them freed anyway (about 40 ms after a small run). Called with ``argv`` (from
    Python), objects a command froze (:func:`lasting_imports`) are handed back to the
    collector, unless some were frozen before the call.
    """
    frozen_before = gc.get_freeze_count()
    status = _command(argv)
    if argv is None:
        gc.freeze()
    else:
        _KEPT.clear()
        if not frozen_before and gc.get_freeze_count():
            gc.unfreeze()
    return status


def _command(argv: Sequence[str] | None) -> int:
    """Parse ``argv`` and run the sub-command (:func:`main` without its collector
    settings); returns the exit status."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args_list  # accepted anywhere on the line
    args_list = [a for a in args_list if a != "--debug"]
    command = next((a for a in args_list if a in COMMANDS), "")
    try:
        parser = build_parser()
        args = parser.parse_args(args_list)
        _apply_verbosity(args.verbosity)
        command = getattr(args, "command", None) or command
        if not getattr(args, "func", None):
            parser.print_help()
            return 0
        status = int(args.func(args) or 0)
        sys.stdout.flush()  # a closed pipe shows here, not at interpreter exit
        return status
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_BROKEN_PIPE
    except KeyboardInterrupt:
        _say(command, "interrupted")
        return EXIT_INTERRUPTED
    except CppError as exc:
        if debug:
            traceback.print_exc()
        details = getattr(exc, "details", "")
        if debug and details:
            print(details, file=sys.stderr)
        _say(command, f"error: {exc}")
        return int(getattr(exc, "exit_status", EXIT_INPUT))
    except UnicodeDecodeError as exc:
        if debug:
            traceback.print_exc()
        _say(
            command,
            f"error: a file is not text in a known encoding ({exc.reason} at byte "
            f"{exc.start}); save it as UTF-8 and run again",
        )
        return EXIT_INPUT
    except OSError as exc:
        if debug:
            traceback.print_exc()
        from cppanalytics.writing import reason

        where = f"{exc.filename}: " if exc.filename else ""
        if exc.errno in _OUTPUT_ERRNOS:
            _say(
                command,
                f"error: could not write {where}{reason(exc)}; choose another "
                "folder or free the disk and run again",
            )
            return EXIT_OUTPUT
        _say(command, f"error: {where}{reason(exc)}")
        return EXIT_INPUT
    except MemoryError:
        _say(
            command,
            "error: not enough memory for this run; close other programs or run "
            "fewer reports at once",
        )
        return EXIT_INTERNAL
    except Exception as exc:  # a bug: one line, the traceback only on request
        if debug:
            traceback.print_exc()
        text = str(exc).strip().splitlines()
        detail = f": {text[0]}" if text else ""
        hint = "" if debug else "; re-run with --debug to see the traceback and report it"
        _say(command, f"internal error: {type(exc).__name__}{detail}{hint}")
        return EXIT_INTERNAL


if __name__ == "__main__":  # pragma: no cover
    sys.exit(run())
