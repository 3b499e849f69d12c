"""Golden figures of the demo council: every result, judgement, scorecard cell and drill-down
table the reports show, stored as compact CSVs in ``tests/golden_data/``.

``tests/test_golden.py`` recomputes them and fails on any difference, so a refactor that
changes a figure is caught. When the figures change on purpose (new demo data, a corrected
definition), regenerate them from the repository root and review the diff:

    python -m tests.golden --update

What is stored (the demo params' eight quarter ends, 2024-12-31 to 2026-09-30):

``results.csv``
    every results-contract row at the eight quarter ends (all indicators, breakdowns).
``judged.csv``
    the judgement columns of those rows (comparators, target, RAG, direction, intervals).
``scorecard.csv``
    the scorecard's visible cells at each of the eight quarter ends.
``drilldowns.csv``
    the long-term stability tracking rows and table, the 3+ placements breakdown and the
    care-leaver year-end projection of the 2026-09-30 and 2026-03-31 reports.
``public.csv``
    the published (disclosure-controlled) figures of the 2026-09-30 report at that date.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data" / "synthetic"
GOLDEN = Path(__file__).resolve().parent / "golden_data"
LA_CODE = "E06000042"
QUARTERS = [
    "2024-12-31",
    "2025-03-31",
    "2025-06-30",
    "2025-09-30",
    "2025-12-31",
    "2026-03-31",
    "2026-06-30",
    "2026-09-30",
]
REPORT_ENDS = ["2026-03-31", "2026-09-30"]
KEY = ["indicator_id", "period_end", "window_start", "breakdown", "group"]
FILES = ("results", "judged", "scorecard", "drilldowns", "public")


def _text(frame: pd.DataFrame) -> pd.DataFrame:
    """Every cell as stable text: floats to 10 significant digits, dates as YYYY-MM-DD,
    missing as ``""`` (so the CSV round-trips exactly)."""
    out = pd.DataFrame(index=frame.index)
    for col in frame.columns:
        s = frame[col]
        if pd.api.types.is_datetime64_any_dtype(s):
            out[col] = s.dt.strftime("%Y-%m-%d").fillna("")
        elif pd.api.types.is_bool_dtype(s):
            out[col] = s.map(str)
        elif pd.api.types.is_numeric_dtype(s):
            v = pd.to_numeric(s, errors="coerce").astype("float64").to_numpy()
            out[col] = ["" if np.isnan(x) else f"{x:.10g}" for x in v]
        else:
            out[col] = [
                ("" if (not isinstance(x, str | list) and pd.isna(x)) else str(x)) for x in s
            ]
    return out.reset_index(drop=True)


def _report(period_end: str, **extra: object):  # noqa: ANN202 - a ReportData
    from cppanalytics.pipeline import build_report_data

    return build_report_data(
        council_name="Ouzel Vale Council (synthetic)",
        la_code=LA_CODE,
        period_end=period_end,
        data_dir=str(DATA),
        targets_file=str(ROOT / "params" / "targets" / "example.yaml"),
        synthetic=True,
        **extra,
    )


def _drilldowns(report) -> list[tuple[str, pd.DataFrame | None]]:  # noqa: ANN001
    """The report's drill-down tables: raw tracking rows, the tracking table, the 3+
    placements breakdown and the raw care-leaver projection (in-year only)."""
    from cppanalytics.presentation import quarterly

    return [
        ("tracking", report.tracking),
        ("tracking_table", quarterly.tracking_table(report.tracking)),
        ("three_plus", quarterly.three_plus_breakdown(report)),
        ("projection", report.projection),
    ]


def compute_golden() -> dict[str, pd.DataFrame]:
    """Recompute every golden table from the demo data (as text frames).

    Returns
    -------
    dict of str to pandas.DataFrame
        ``results``, ``judged``, ``scorecard`` and ``drilldowns`` tables of text cells.
    """
    from cppanalytics.judgement.judge import JUDGE_COLUMNS
    from cppanalytics.presentation.scorecard import scorecard
    from cppanalytics.presentation.tables import visible
    from cppanalytics.results import RESULT_COLUMNS

    latest = _report(QUARTERS[-1])
    ends = pd.to_datetime(QUARTERS)
    judged = latest.judged[latest.judged["period_end"].isin(ends)]
    judged = judged.sort_values(KEY, kind="stable").reset_index(drop=True)
    results = _text(judged[RESULT_COLUMNS])
    judgement = _text(judged[[*KEY, *JUDGE_COLUMNS]])
    cards = []
    for q in QUARTERS:
        card = visible(scorecard(latest.judged, q)).copy()
        card.insert(0, "period_end", q)
        cards.append(card)
    parts = []
    for pe in REPORT_ENDS:
        report = latest if pe == QUARTERS[-1] else _report(pe)
        for name, frame in _drilldowns(report):
            if frame is None or frame.empty:
                continue
            long = _text(frame).melt(ignore_index=False, var_name="column", value_name="cell")
            long = long.reset_index(names="row")
            long.insert(0, "table", name)
            long.insert(0, "report", pe)
            parts.append(long.sort_values(["row"], kind="stable"))
    public = _report(QUARTERS[-1], mode="public").judged
    public = public[public["period_end"].eq(ends[-1])].sort_values(KEY, kind="stable")
    return {
        "public": _text(public[[*KEY, "numerator", "denominator", "value", "suppressed"]]),
        "results": results,
        "judged": judgement,
        "scorecard": _text(pd.concat(cards, ignore_index=True)),
        "drilldowns": pd.concat(parts, ignore_index=True),
    }


def read_golden(name: str) -> pd.DataFrame:
    """One stored golden table, every cell as text (``""`` for missing).

    Parameters
    ----------
    name
        one of :data:`FILES`.

    Returns
    -------
    pandas.DataFrame
        the table as stored.
    """
    return pd.read_csv(GOLDEN / f"{name}.csv", dtype=str, keep_default_na=False)


def write_golden(tables: dict[str, pd.DataFrame]) -> None:
    """Store the golden tables in ``tests/golden_data/``.

    Parameters
    ----------
    tables
        :func:`compute_golden` output.
    """
    GOLDEN.mkdir(exist_ok=True)
    for name, frame in tables.items():
        frame.to_csv(GOLDEN / f"{name}.csv", index=False, lineterminator="\n")


def main(argv: list[str] | None = None) -> int:
    """``python -m tests.golden [--update]``: compare (default) or regenerate.

    Parameters
    ----------
    argv
        command-line arguments.

    Returns
    -------
    int
        0 when the stored figures match (or were updated), 1 otherwise.
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--update", action="store_true", help="rewrite tests/golden_data/")
    args = parser.parse_args(argv)
    tables = compute_golden()
    if args.update:
        write_golden(tables)
        print(f"golden figures written to {GOLDEN}")
        return 0
    differ = [n for n in FILES if not read_golden(n).equals(tables[n].astype(str))]
    print("golden figures differ: " + ", ".join(differ) if differ else "golden figures match")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
