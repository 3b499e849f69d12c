"""``cppanalytics validate PATH... [--out findings.csv]``: check 903 files.

Loads the files exactly as a report run would (:func:`cppanalytics.ssda903.load`) and
prints the number of findings by severity, the rows loaded per table and per collection
year, and the most common findings; ``--out`` writes every finding to CSV (it names
children's ids: keep it inside the council).

Exit status: ``0`` no error-level findings; ``1`` error-level findings (the data loaded,
but some rows or values could not be used as given); ``2`` unusable input (no Header or
Episodes table, bad arguments); ``3`` the findings CSV could not be written (nothing
half-written is left); the other statuses of every command are in
:mod:`cppanalytics.errors`. Failures are one message without a traceback.

Examples
--------
>>> main(["validate", "data/synthetic", "--out", "findings.csv"])  # doctest: +SKIP
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from cppanalytics.cli import add_findings_option
from cppanalytics.errors import CppError
from cppanalytics.findings import SEVERITY_ORDER, summarise_findings


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``validate`` sub-command."""
    parser = subparsers.add_parser(
        "validate",
        help="check 903 files and list the data-quality findings",
        description=__doc__.split("\n\n")[1] if __doc__ else None,
    )
    parser.add_argument("paths", nargs="+", metavar="PATH",
                        help="903 file(s) or folder(s) (searched recursively)")
    parser.add_argument("--out", type=Path, default=None,
                        help="write the findings to this CSV file (see --findings)")
    add_findings_option(parser)
    parser.add_argument("--la-code", default=None,
                        help="council to keep when pooled files hold several")
    parser.add_argument("--top", type=int, default=10,
                        help="how many of the most common findings to list (default 10)")
    parser.set_defaults(func=_run)


def summary(ds: object, top: int = 10) -> str:
    """The text the command prints for a loaded Dataset.

    Examples
    --------
    >>> from cppanalytics.ssda903.dataset import Dataset
    >>> print(summary(Dataset.from_tables({})).splitlines()[0])
    Findings: 0 error(s), 0 warning(s), 0 info
    """
    findings: pd.DataFrame = ds.findings  # type: ignore[attr-defined]
    counts = {s: int((findings["severity"] == s).sum()) for s in SEVERITY_ORDER}
    lines = [f"Findings: {counts['error']} error(s), {counts['warning']} warning(s), "
             f"{counts['info']} info", "", "Rows loaded:"]
    for name, table in ds.tables.items():  # type: ignore[attr-defined]
        if table.empty:
            continue
        years = table["YEAR"].value_counts().sort_index()
        per_year = ", ".join(f"{int(y) - 1}-{int(y) % 100:02d}: {n}" for y, n in years.items())
        lines.append(f"  {name:<16}{len(table):>9}" + (f"   ({per_year})" if per_year else ""))
    set_aside = int((findings["action"] == "set_aside").sum())
    rejected = int((findings["action"] == "rejected_file").sum())
    lines.append(f"Rows set aside: {set_aside}; files not used: {rejected}")
    if len(findings):
        grouped = (
            findings.assign(_o=findings["severity"].map(SEVERITY_ORDER))
            .groupby(["_o", "severity", "code", "table", "column"], sort=False, dropna=False)
            .agg(n=("code", "size"), example=("message", "first"))
            .reset_index()
            .sort_values(["_o", "n"], ascending=[True, False])
            .head(top)
        )
        lines += ["", "Most common findings:"]
        for row in grouped.itertuples():
            where = f"{row.table}.{row.column}" if row.column else row.table or "-"
            lines.append(f"  {row.severity:<8}{row.n:>7}  {row.code:<28}{where}")
            lines.append(f"{'':19}e.g. {row.example}")
    return "\n".join(lines)


def _run(args: argparse.Namespace) -> int:
    from cppanalytics.ssda903 import load
    from cppanalytics.ssda903.schemas import check_dataset

    if args.top < 0:
        raise CppError("--top must be zero or more")
    ds = load(args.paths, la_code=args.la_code)
    print(summary(ds, args.top))
    check_dataset(ds.tables)  # our typed contract (pandera); a failure here is a bug in us
    print("\nLoaded tables match the typed dataset contract (pandera).")
    if args.out is not None:
        from cppanalytics.writing import write_csv

        written = summarise_findings(ds.findings, args.findings)
        write_csv(written, args.out, what="findings CSV")
        print(f"\n{len(written)} finding rows written to {args.out}"
              + (" (info findings summarised: --findings all for every row)"
                 if len(written) < len(ds.findings) else ""))
    return 1 if (ds.findings["severity"] == "error").any() else 0
