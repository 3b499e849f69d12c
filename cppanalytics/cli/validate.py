"""``cppanalytics validate``: (not yet implemented)."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``validate`` sub-command."""
    parser = subparsers.add_parser("validate", help="(not yet implemented)")
    parser.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    raise NotImplementedError("validate is not implemented yet")
