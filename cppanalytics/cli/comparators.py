"""``cppanalytics comparators``: build the comparator table from DfE's published files.

(Called ``benchmarks`` before; that name still works but is deprecated, so it is not
confused with the speed benchmarks in ``benchmarks/``.)

``cppanalytics comparators build --from DIR [--out FILE] [--since YEAR]`` reads every
explore-education-statistics CSV (2022- or 2025-style columns), LAIT long data
(``bds_long_0.parquet`` + ``lait_data_dictionary.csv``) and statistical-neighbour file
under DIR and writes, in the folder of FILE:

* FILE (default ``comparators.csv.gz``): the tidy comparator table;
* ``councils.csv``: council codes, names, regions;
* ``neighbours.csv``: DfE statistical neighbours (2021 and 2025 models), when present.

To refresh the tables shipped with the package::

    cppanalytics comparators build --from DIR --out cppanalytics/data/comparators/comparators.csv.gz
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cppanalytics.errors import CppError


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``comparators`` sub-command and its deprecated, unlisted alias ``benchmarks``.

    Parameters
    ----------
    subparsers
        the main parser's sub-command registry.
    """
    parser = subparsers.add_parser(
        "comparators",
        help="build England/region/neighbour comparators from DfE files",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _add_actions(parser, deprecated=False)
    # no help= : argparse leaves the old name out of the command list
    old = subparsers.add_parser(
        "benchmarks", description="Deprecated: use `cppanalytics comparators`."
    )
    _add_actions(old, deprecated=True)


def _add_actions(parser: argparse.ArgumentParser, *, deprecated: bool) -> None:
    """The ``build`` action (the old name first prints a deprecation note)."""
    sub = parser.add_subparsers(dest="action", metavar="ACTION")
    build = sub.add_parser("build", help="read DfE files into one tidy comparator table")
    build.add_argument(
        "--from",
        dest="source",
        required=True,
        metavar="DIR",
        help="folder holding the downloaded DfE CSV/LAIT files",
    )
    build.add_argument(
        "--out",
        default="comparators.csv.gz",
        metavar="FILE",
        help="comparator table to write (.csv or .csv.gz)",
    )
    build.add_argument(
        "--since",
        type=int,
        default=None,
        metavar="YEAR",
        help="keep 31 March years from YEAR on (default: all)",
    )
    build.set_defaults(func=_deprecated if deprecated else _build)

    def show_help(args: argparse.Namespace) -> int:
        parser.print_help()
        return 0

    parser.set_defaults(func=show_help)


def _deprecated(args: argparse.Namespace) -> int:
    """``cppanalytics benchmarks build``: a note on stderr, then the same build."""
    print(
        "cppanalytics benchmarks is deprecated: use `cppanalytics comparators build` "
        "(same options).",
        file=sys.stderr,
    )
    return _build(args)


def _build(args: argparse.Namespace) -> int:
    from cppanalytics.judgement.comparators import build_comparators, write_comparators
    from cppanalytics.judgement.neighbours import build_neighbours
    from cppanalytics.writing import write_csv

    out = Path(args.out)
    table, councils = build_comparators(args.source, since=args.since)
    write_comparators(table, out)
    written = [
        f"{out} ({len(table):,} rows, {table.indicator_id.nunique()} indicators, "
        f"{table.year.min()}-{table.year.max()})"
    ]
    if len(councils):
        path = out.parent / "councils.csv"
        write_csv(councils, path, what="council list")
        written.append(f"{path} ({len(councils)} councils)")
    try:
        neighbours = build_neighbours(args.source)
    except CppError:
        neighbours = None
    if neighbours is not None:
        path = out.parent / "neighbours.csv"
        write_csv(neighbours, path, what="statistical neighbours")
        written.append(f"{path} (models {', '.join(sorted(neighbours.model.unique()))})")
    print("wrote " + "\n      ".join(written))
    return 0
