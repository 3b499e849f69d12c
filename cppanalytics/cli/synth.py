"""``cppanalytics synth``: write a synthetic council's 903 files (one folder per collection year).

Examples
--------
>>> from cppanalytics.cli import main
>>> main(["synth", "--out", "data/synthetic", "--seed", "2026",
...       "--extract-date", "2026-09-30"])  # doctest: +SKIP
0
"""

from __future__ import annotations

import argparse
import time
from typing import TYPE_CHECKING

from cppanalytics.errors import CppError

if TYPE_CHECKING:  # pandas is imported where used, so ``--help`` stays quick
    import pandas as pd


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``synth`` sub-command."""
    parser = subparsers.add_parser(
        "synth",
        help="write a synthetic council's 903 files (demo and test data)",
        description=(
            "Simulate children's care journeys for a fictional council (Milton Keynes "
            "geography) and write its SSDA903 files in DfE's CSV layout: one folder per "
            "collection year (at least 10, ending with the in-year extract), population.csv "
            "and README.md. The same seed gives byte-identical files."
        ),
    )
    parser.add_argument("--out", required=True, help="folder to write")
    parser.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")
    parser.add_argument(
        "--extract-date",
        default=None,
        metavar="YYYY-MM-DD",
        help="in-year extract date (default: the latest quarter end before today)",
    )
    parser.add_argument(
        "--councils",
        type=int,
        default=None,
        metavar="N",
        help="write N councils of different seeds and sizes into OUT/council_001 ... ",
    )
    parser.add_argument(
        "--size",
        type=int,
        default=None,
        help="children looked after at each 31 March, roughly (default 400; one council only)",
    )
    parser.set_defaults(func=_run)


def _parse_date(text: str | None) -> pd.Timestamp | None:
    import pandas as pd

    if text is None:
        return None
    try:
        return pd.Timestamp(pd.to_datetime(text, format="%Y-%m-%d"))
    except (ValueError, TypeError) as exc:
        raise CppError(
            f"--extract-date {text!r} is not a date; use YYYY-MM-DD, e.g. 2026-09-30"
        ) from exc


def _run(args: argparse.Namespace) -> int:
    from cppanalytics.synth.council import DEFAULT_SIZE, write_council, write_councils

    extract = _parse_date(args.extract_date)
    started = time.perf_counter()
    if args.councils is not None:
        if args.councils < 1:
            raise CppError(f"--councils {args.councils}: give a number of councils of 1 or more")
        if args.size is not None:
            raise CppError("--size applies to one council; --councils chooses sizes itself")
        infos = write_councils(args.out, seed=args.seed, n=args.councils, extract_date=extract)
        print(
            f"wrote {len(infos)} synthetic councils to {args.out} "
            f"({time.perf_counter() - started:.1f}s)"
        )
        return 0
    info = write_council(
        args.out, seed=args.seed, extract_date=extract, size=args.size or DEFAULT_SIZE
    )
    first, last = info.years[0], info.years[-1]
    print(
        f"wrote {info.name} to {info.path}: collection years {first - 1}-{str(first)[-2:]} "
        f"to {last - 1}-{str(last)[-2:]}, extract {info.extract_date:%Y-%m-%d} "
        f"({time.perf_counter() - started:.1f}s)"
    )
    return 0
