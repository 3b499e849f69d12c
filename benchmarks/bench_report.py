"""Benchmark: one quarterly report end to end, and a batch of 8 quarters.

Not a unit test. Run from the repository root::

    .venv/bin/python benchmarks/bench_report.py                  # both scenarios
    .venv/bin/python benchmarks/bench_report.py --skip-batch     # the single report only
    .venv/bin/python benchmarks/bench_report.py --json out.json  # also write the figures

Scenarios (reports go to a temporary folder, removed afterwards):

* ``single``: ``run_report(params/synthetic_2026-09-30.yaml)`` — validate the parameters,
  execute the notebook with papermill, convert to HTML, write the folder. Target < 30 s
  on 2 cores. The per-stage timings and the notebook's slowest cells are printed.
* ``batch``: the 8 quarterly parameter files ``params/synthetic_20*.yaml`` with
  ``--workers`` processes (default 2). Target < 120 s on 2 cores.

The machine's load average is printed first: on a shared machine the figures are only
comparable with the same load.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGETS = {"single": 30.0, "batch": 120.0}


def slowest_cells(notebook: Path, n: int = 3) -> list[tuple[float, str]]:
    """The ``n`` slowest cells of an executed notebook (papermill's per-cell durations)."""
    import nbformat

    nb = nbformat.read(notebook, as_version=4)
    cells = [
        (float(c.metadata.get("papermill", {}).get("duration") or 0.0), c.source.splitlines()[0])
        for c in nb.cells
        if c.cell_type == "code" and c.source.strip()
    ]
    return sorted(cells, reverse=True)[:n]


def bench_single(params: Path, out: Path) -> dict[str, float]:
    """Time one report; returns its stage timings (seconds)."""
    from cppanalytics.reporting.report import run_report

    start = time.perf_counter()
    result = run_report(params, output_root=out)
    wall = time.perf_counter() - start
    timings = {**result.timings, "wall": wall}
    stages = ", ".join(f"{k} {v:.1f} s" for k, v in result.timings.items())
    print(f"single: {wall:.1f} s ({stages})")
    for seconds, first_line in slowest_cells(result.folder / f"{result.folder.name}.ipynb"):
        print(f"    cell {seconds:5.1f} s  {first_line[:70]}")
    return timings


def bench_batch(files: list[Path], workers: int, out: Path) -> dict[str, float]:
    """Time a batch of reports; returns wall time and the slowest job."""
    from cppanalytics.reporting.batch import run_batch

    start = time.perf_counter()
    outcomes = run_batch(files, workers=workers, output_root=out, progress=False)
    wall = time.perf_counter() - start
    failed = [o for o in outcomes if not o.ok]
    for o in failed:
        print(f"    FAILED {o.params_file}: {o.cell} {o.error}")
    slowest = max(o.seconds for o in outcomes)
    print(
        f"batch: {len(files)} reports, {workers} workers: {wall:.1f} s "
        f"(slowest job {slowest:.1f} s, {len(failed)} failed)"
    )
    return {"wall": wall, "slowest_job": slowest, "failed": float(len(failed))}


def main(argv: list[str] | None = None) -> int:
    """Run the scenarios and print the figures with their ratio to target."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--params", default=str(ROOT / "params" / "synthetic_2026-09-30.yaml"))
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--skip-batch", action="store_true")
    parser.add_argument("--json", default=None, help="write the figures to this JSON file")
    args = parser.parse_args(argv)

    load = os.getloadavg()
    print(f"cores {os.cpu_count()}, load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
    figures: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="bench_report_") as tmp:
        figures["single"] = bench_single(Path(args.params), Path(tmp) / "single")
        if not args.skip_batch:
            files = sorted((ROOT / "params").glob("synthetic_20*.yaml"))
            figures["batch"] = bench_batch(files, args.workers, Path(tmp) / "batch")
    for name, target in TARGETS.items():
        if name in figures:
            wall = figures[name]["wall"]
            print(f"{name:>6}: {wall:6.1f} s / target {target:.0f} s = {wall / target:.2f}x")
    if args.json:
        Path(args.json).write_text(json.dumps({"load": load, **figures}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
