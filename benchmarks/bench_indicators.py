"""Benchmark: the full indicator catalogue on one council and on national-scale data.

Not a unit test. Run from the repository root::

    .venv/bin/python benchmarks/bench_indicators.py                 # all four scenarios
    .venv/bin/python benchmarks/bench_indicators.py --copies 200    # bigger national set

Scenarios (each in a fresh process, so peak memory is its own):

* ``council x1``: the synthetic council (``data/synthetic``) at one period end;
* ``council x12``: the same at 12 quarter ends;
* ``national x1`` / ``national x12``: the council's tables replicated ``--copies`` times
  with relabelled CHILD ids (at least 1,000,000 episodes), at one / 12 period ends.

Loading (``cppanalytics.ssda903.load``) is timed separately and not included: the targets
are for computing. Reported: wall time of ``compute`` (building blocks included), peak
resident memory of the process (``resource.ru_maxrss``), and the ratio to the target
(full catalogue over national-scale data at one period end < 10 s on 2 cores; one council
x 12 quarters < 2 s).
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import resource
import sys
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
LA_CODE = "E06000042"
TARGETS = {"council x12": 2.0, "national x1": 10.0}


def replicate(data, copies: int):
    """The dataset's tables stacked ``copies`` times, CHILD ids prefixed per copy."""
    from cppanalytics.ssda903.dataset import Dataset

    tables = {}
    for name, frame in data.tables.items():
        if frame.empty:
            tables[name] = frame
            continue
        parts = []
        for i in range(copies):
            part = frame.copy()
            part["CHILD"] = (f"{i:04d}-" + part["CHILD"].astype(str)).astype("string")
            parts.append(part)
        tables[name] = pd.concat(parts, ignore_index=True)
    return Dataset(tables=tables, la_code=data.la_code)


def _scenario(name: str, data_dir: str, copies: int, ends: list[str], queue) -> None:
    """Run one scenario in this (child) process and put its measurements on ``queue``."""
    from cppanalytics.indicators import compute
    from cppanalytics.ssda903 import load

    t0 = time.perf_counter()
    data = load(data_dir, la_code=LA_CODE)
    load_s = time.perf_counter() - t0
    if copies > 1:
        data = replicate(data, copies)
    pop = Path(data_dir) / "population.csv"
    t0 = time.perf_counter()
    results = compute(
        data, ends, la_code=LA_CODE, population=pop if pop.exists() and copies == 1 else None
    )
    compute_s = time.perf_counter() - t0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    queue.put(
        {
            "scenario": name,
            "episodes": len(data.episodes),
            "period_ends": len(ends),
            "rows": len(results),
            "load_s": round(load_s, 2),
            "compute_s": round(compute_s, 2),
            "peak_rss_mb": round(peak_mb),
        }
    )


def main(argv: list[str] | None = None) -> int:
    """Run the scenarios and print a markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", default=str(ROOT / "data" / "synthetic"))
    parser.add_argument(
        "--copies",
        type=int,
        default=0,
        help="national copies (default: enough for 1,000,000 episodes)",
    )
    parser.add_argument("--period-end", default="2026-03-31")
    parser.add_argument("--only", nargs="*", help="scenario names to run")
    args = parser.parse_args(argv)
    from cppanalytics.dates import minus_months, quarter_ends

    end = pd.Timestamp(args.period_end)
    quarters = [d.strftime("%Y-%m-%d") for d in quarter_ends(minus_months(end, 33), end)]
    copies = args.copies
    if not copies:
        from cppanalytics.ssda903 import load

        n = len(load(args.data, la_code=LA_CODE).episodes)
        copies = -(-1_000_000 // n)
    scenarios = [
        ("council x1", 1, [args.period_end]),
        ("council x12", 1, quarters),
        ("national x1", copies, [args.period_end]),
        ("national x12", copies, quarters),
    ]
    ctx = mp.get_context("spawn")
    rows = []
    for name, c, ends in scenarios:
        if args.only and name not in args.only:
            continue
        queue = ctx.Queue()
        proc = ctx.Process(target=_scenario, args=(name, args.data, c, ends, queue))
        proc.start()
        row = queue.get()
        proc.join()
        target = TARGETS.get(name)
        row["target_s"] = target if target else ""
        row["ratio"] = round(row["compute_s"] / target, 2) if target else ""
        rows.append(row)
        print(row, file=sys.stderr, flush=True)
    table = pd.DataFrame(rows)
    print(table.to_markdown(index=False) if _has_tabulate() else table.to_string(index=False))
    return 0


def _has_tabulate() -> bool:
    try:
        import tabulate  # noqa: F401
    except ImportError:
        return False
    return True


if __name__ == "__main__":
    sys.exit(main())
