"""``cppanalytics run``: (not yet implemented)."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``run`` sub-command."""
    parser = subparsers.add_parser("run", help="(not yet implemented)")
    parser.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    raise NotImplementedError("run is not implemented yet")
