"""``cppanalytics validate PATH... [--period-end YYYY-MM-DD] [--out findings.csv]``: check 903 files.

Loads the files exactly as a report run would (:func:`cppanalytics.ssda903.load`), applies
DfE's 903 validation rules (:mod:`cppanalytics.ssda903.rules`, findings ``dfe_<code>``) and
computes every indicator at the period end (default: the latest quarter end the data
reaches) to collect the findings computing raises (broken X1 chains, unknown distances,
adoptions without AD1 ...). It prints the number of findings by severity, the rows loaded
per table and per collection year, the DfE rules broken and the most common findings;
``--out`` writes every finding to CSV (it names children's ids: keep it inside the
council).

Exit status: ``0`` no error-level findings; ``1`` error-level findings (the data loaded,
but some rows or values could not be used as given, or break a DfE rule); ``2`` unusable
input (no Header or Episodes table, bad arguments); ``3`` the findings CSV could not be
written (nothing half-written is left); the other statuses of every command are in
:mod:`cppanalytics.errors`. Failures are one message without a traceback.

Examples
--------
>>> main(["validate", "data/synthetic", "--out", "findings.csv"])  # doctest: +SKIP
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import TYPE_CHECKING

from cppanalytics.cli import add_findings_option, tell
from cppanalytics.errors import CppError

# pandas and the loader are imported where used, so ``--help`` and argument errors stay
# quick (building the parser imports this module)
if TYPE_CHECKING:
    import pandas as pd

    from cppanalytics.ssda903.dataset import Dataset


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``validate`` sub-command."""
    parser = subparsers.add_parser(
        "validate",
        help="check 903 files and list the data-quality findings",
        description=__doc__.split("\n\n")[1] if __doc__ else None,
    )
    parser.add_argument(
        "paths", nargs="+", metavar="PATH", help="903 file(s) or folder(s) (searched recursively)"
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help="write the findings to this CSV file (see --findings)",
    )
    add_findings_option(parser)
    parser.add_argument(
        "--la-code", default=None, help="council to keep when pooled files hold several"
    )
    parser.add_argument(
        "--period-end",
        default=None,
        metavar="YYYY-MM-DD",
        help="compute the indicators' findings at this date (default: the "
        "latest quarter end the data reaches)",
    )
    parser.add_argument(
        "--top",
        type=int,
        default=10,
        help="how many of the most common findings to list (default 10)",
    )
    parser.set_defaults(func=_run)


def summary(ds: object, top: int = 10) -> str:
    """The text the command prints for a loaded Dataset.

    Examples
    --------
    >>> from cppanalytics.ssda903.dataset import Dataset
    >>> print(summary(Dataset.from_tables({})).splitlines()[0])
    Findings: 0 error(s), 0 warning(s), 0 info
    """
    from cppanalytics.findings import SEVERITY_ORDER

    findings: pd.DataFrame = ds.findings  # type: ignore[attr-defined]
    counts = {s: int((findings["severity"] == s).sum()) for s in SEVERITY_ORDER}
    lines = [
        f"Findings: {counts['error']} error(s), {counts['warning']} warning(s), "
        f"{counts['info']} info",
        "",
        "Rows loaded:",
    ]
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


def default_period_end(ds: Dataset) -> pd.Timestamp | None:
    """The latest quarter end on or before the data's latest episode date.

    Examples
    --------
    >>> import pandas as pd
    >>> from cppanalytics.ssda903.dataset import Dataset
    >>> ds = Dataset.from_tables({"episodes": pd.DataFrame({"CHILD": ["1"],
    ...     "DECOM": ["15/08/2024"]})})
    >>> default_period_end(ds)
    Timestamp('2024-06-30 00:00:00')
    """
    import pandas as pd

    from cppanalytics.dates import latest_quarter_end

    last = ds.extract_date()
    if last is None:
        return None
    return latest_quarter_end(last + pd.Timedelta(days=1))


#: loader code findings that a DfE "not a valid code" rule repeats at the same cell
_CODE_FINDINGS = ("code_unknown", "code_wrong_year")


def all_findings(
    ds: Dataset, period_end: str | pd.Timestamp | None = None
) -> tuple[pd.DataFrame, str]:
    """Every finding on ``ds``: loading, DfE's rules, and computing at ``period_end``.

    A loader ``code_unknown``/``code_wrong_year`` finding at a cell that a DfE code rule
    also flags is written once (as the DfE rule). Returns the findings and a one-line note
    saying at which period end the indicators were computed (or why they were not).

    Examples
    --------
    >>> import pandas as pd
    >>> from cppanalytics.ssda903.dataset import Dataset
    >>> ds = Dataset.from_tables({"episodes": pd.DataFrame({"CHILD": ["1"],
    ...     "DECOM": ["01/05/2023"], "RNE": ["S"], "LS": ["V2"], "PLACE": ["P1"],
    ...     "YEAR": [2024]})})
    >>> found, note = all_findings(ds, "2024-03-31")
    >>> "dfe_378" in set(found.code), note.startswith("Indicators computed at 31/03/2024")
    (True, True)
    """
    import pandas as pd

    from cppanalytics.findings import Findings, normalise_findings
    from cppanalytics.indicators import compute
    from cppanalytics.ssda903.rules import run_rules

    rules = run_rules(ds)
    loaded = ds.findings
    if len(rules):

        def cell(frame: pd.DataFrame) -> pd.Series:
            return (
                frame["file"]
                + "|"
                + frame["row"].astype("string").fillna("")
                + "|"
                + frame["column"]
            )

        rule_cells, loaded_cells = cell(rules), cell(loaded)
        repeated = (
            loaded["code"].isin(_CODE_FINDINGS)
            & loaded["file"].ne("")
            & loaded_cells.isin(set(rule_cells))
        )
        # the DfE finding shows the value as written (the loader's raw text), not as typed
        raw = pd.Series(
            loaded.loc[repeated, "value"].to_numpy(), index=loaded_cells[repeated].to_numpy()
        )
        raw = raw[~raw.index.duplicated()]
        if len(raw):
            shown = rule_cells.map(raw).astype(object)
            value = shown.where(shown.notna(), rules["value"].astype(object))
            rules = rules.assign(value=value.astype(str))
        loaded = loaded[~repeated]
    computed = Findings()
    end = period_end if period_end is not None else default_period_end(ds)
    if end is None:
        note = "Indicators not computed: the data has no episode dates."
    else:
        try:
            compute(ds, end, findings=computed)
            note = (
                f"Indicators computed at {pd.Timestamp(end):%d/%m/%Y}: their findings are included."
            )
        except CppError as exc:
            note = f"Indicators not computed at {pd.Timestamp(end):%d/%m/%Y}: {exc}"
    found = normalise_findings(pd.concat([loaded, rules, computed.to_frame()], ignore_index=True))
    return found, note


def rules_summary(findings: pd.DataFrame, top: int = 10) -> str:
    """Lines naming the DfE rules broken, most often first.

    Examples
    --------
    >>> import pandas as pd
    >>> f = pd.DataFrame({"code": ["dfe_101", "dfe_101", "x"], "message": ["DfE rule 101: a"] * 3,
    ...                   "severity": ["error"] * 3})
    >>> print(rules_summary(f))
    DfE validation rules broken: 1 rule(s), 2 finding(s)
      dfe_101            2  DfE rule 101: a
    """
    dfe = findings[findings["code"].str.startswith("dfe_")]
    if dfe.empty:
        return "DfE validation rules broken: none"
    counts = dfe.groupby("code", sort=False).agg(n=("code", "size"), example=("message", "first"))
    counts = counts.sort_values("n", ascending=False, kind="stable")
    lines = [f"DfE validation rules broken: {len(counts)} rule(s), {len(dfe)} finding(s)"]
    for code, row in counts.head(top if top else len(counts)).iterrows():
        lines.append(f"  {code:<14}{row.n:>6}  {row.example[:100]}")
    if top and len(counts) > top:
        lines.append(f"  ... and {len(counts) - top} more rule(s) (see --out)")
    return "\n".join(lines)


def _run(args: argparse.Namespace) -> int:
    import pandas as pd

    from cppanalytics.findings import summarise_findings
    from cppanalytics.ssda903 import load
    from cppanalytics.ssda903.schemas import check_dataset

    if args.top < 0:
        raise CppError("--top must be zero or more")
    period_end = None
    if args.period_end is not None:
        try:
            period_end = pd.to_datetime(args.period_end.strip(), format="%Y-%m-%d")
        except ValueError as exc:
            raise CppError(
                f"--period-end {args.period_end!r} is not a date; use YYYY-MM-DD."
            ) from exc
    started = time.perf_counter()
    ds = load(args.paths, la_code=args.la_code)
    loaded = time.perf_counter()
    tell(f"load {loaded - started:.1f} s", level=2)
    check_dataset(ds.tables)  # our typed contract (pandera); a failure here is a bug in us
    ds.findings, note = all_findings(ds, period_end)
    tell(f"checks {time.perf_counter() - loaded:.1f} s", level=2)
    print(summary(ds, args.top))
    print("\n" + rules_summary(ds.findings, args.top))
    print("\n" + note)  # which period end the computing checks used (or why none)
    tell("Loaded tables match the typed dataset contract (pandera).")
    if args.out is not None:
        from cppanalytics.writing import write_csv

        written = summarise_findings(ds.findings, args.findings)
        write_csv(written, args.out, what="findings CSV")
        print(
            f"\n{len(written)} finding rows written to {args.out}"
            + (
                " (info findings summarised: --findings all for every row)"
                if len(written) < len(ds.findings)
                else ""
            )
        )
    return 1 if (ds.findings["severity"] == "error").any() else 0
