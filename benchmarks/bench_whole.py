"""Benchmark: whole commands as a user runs them, against the cost of reading the input.

Not a unit test. Run from the repository root::

    .venv/bin/python benchmarks/bench_whole.py                    # 100k, 1M and 3M episodes
    .venv/bin/python benchmarks/bench_whole.py --sizes 100000 1000000 --runs 3

For each size the demo council's CSV files (``data/synthetic``) are replicated, CHILD ids
relabelled per copy, into a temporary folder laid out as year folders. Then, each in a
fresh process:

* **floor**: pyarrow's multi-threaded CSV reader reads every file once (all columns as text) —
  the least any tool must spend to see the data;
* **x1**: ``cppanalytics indicators --period-end`` at one period end — load, validate,
  compute and write the results and findings, no load cache;
* **x12**: the same at 12 quarter ends.

The demo council itself is timed at 12 quarter ends twice: loading afresh (``--no-cache``)
and with the load cache filled by an earlier run (what a user's second command meets).

Then every council at once (``--councils``, default 150): the demo council written once
per council (CHILD ids relabelled, ``LA`` set to the council's code) as pooled LIIA files,
computed by ``cppanalytics indicators --all-councils`` at 12 quarter ends with 1 and with
2 local Dask workers; printed as whole-process seconds, councils per minute and episode
rows per second.

Each size is measured in ``--runs`` rounds (default 5): the floor, then each scenario once.
Printed per size and scenario: episodes, CSV megabytes, whole-process wall seconds (median
of the rounds), the floor's seconds (median), the ratio to the floor (the median of each
round's command seconds over that round's floor: the machine's drift from minute to minute
falls on both sides alike), peak resident memory of the process (largest), and the goal (x1 ≤ 5 × floor, x12 ≤ 8 × floor, peak ≤ 1.5 GB at about 1M
episodes). The slope line gives seconds per million episodes between the smallest and the
largest size and how far the per-episode cost at the largest size is from the smallest
(1.00 = linear). The demo council itself (x12, and one quarterly report end to end via
``bench_report.py``) has absolute targets: under 1 s and under 10 s.
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "data" / "synthetic"
LA_CODE = "E06000042"
PERIOD_END = "2025-03-31"
GOALS = {"x1": 5.0, "x12": 8.0}
PEAK_GOAL_MB = 1536

FLOOR = """
import csv, sys, pyarrow.csv as pc
from pathlib import Path
read = pc.ReadOptions(use_threads=True)
for f in sorted(Path(sys.argv[1]).rglob("*.csv")):
    with open(f, newline="", encoding="utf-8-sig") as handle:
        names = next(csv.reader(handle))  # the header line only, to ask for text columns
    pc.read_csv(f, read_options=read,
                convert_options=pc.ConvertOptions(column_types={n: "string" for n in names}))
"""


def replicate(target: Path, episodes: int) -> tuple[int, float]:
    """Write the demo council ``k`` times (k giving about ``episodes`` episode rows).

    Returns the episode rows written and the megabytes of CSV.
    """
    frames = {
        (year.name, f.name): pd.read_csv(f, dtype=str, keep_default_na=False)
        for year in sorted(p for p in DEMO.iterdir() if p.is_dir())
        for f in sorted(year.glob("*.csv"))
    }
    per_copy = sum(len(v) for (_, name), v in frames.items() if name == "episodes.csv")
    copies = max(1, round(episodes / per_copy))
    for (year, name), frame in frames.items():
        parts = []
        for i in range(copies):
            part = frame.copy()
            if "CHILD" in part:
                part["CHILD"] = f"{i:04d}" + part["CHILD"]
            parts.append(part)
        (target / year).mkdir(parents=True, exist_ok=True)
        pd.concat(parts).to_csv(target / year / name, index=False)
    size = sum(f.stat().st_size for f in target.rglob("*.csv")) / 1e6
    return per_copy * copies, size


def pooled(target: Path, councils: int) -> tuple[int, float]:
    """Write the demo council once per council as pooled LIIA files (``LA``, ``YEAR``).

    Returns the episode rows written and the megabytes of CSV.
    """
    from cppanalytics.geography.councils import councils as council_table

    table = council_table()
    current = table[table["last_year"] == table["last_year"].max()]["new_code"].tolist()
    codes = current[:councils]
    if len(codes) < councils:
        raise SystemExit(f"only {len(codes)} current councils are known; asked for {councils}")
    target.mkdir(parents=True, exist_ok=True)
    names = sorted({f.name for f in DEMO.glob("*/*.csv")})
    episodes = 0
    for name in names:
        years = [
            pd.read_csv(f, dtype=str, keep_default_na=False).assign(YEAR="20" + f.parent.name[-2:])
            for f in sorted(DEMO.glob(f"*/{name}"))
        ]
        frame = pd.concat(years, ignore_index=True)
        parts = []
        for i, code in enumerate(codes):
            part = frame.copy()
            part["CHILD"] = f"{i:04d}" + part["CHILD"]
            part["LA"] = code
            parts.append(part)
        out = pd.concat(parts, ignore_index=True)
        if name == "episodes.csv":
            episodes = len(out)
        out.to_csv(target / f"SSDA903_{name}", index=False)
    size = sum(f.stat().st_size for f in target.glob("*.csv")) / 1e6
    return episodes, size


def run_once(cmd: list[str]) -> tuple[float, float]:
    """Wall seconds and peak resident memory (MB) of one run of ``cmd``."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    stderr = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{stderr[-2000:]}")
    return wall, usage.ru_maxrss / 1024


def measure(cmd: list[str], runs: int) -> tuple[float, float]:
    """Median wall seconds and the largest peak resident memory (MB) of ``runs`` runs."""
    walls, peaks = zip(*(run_once(cmd) for _ in range(runs)), strict=True)
    return statistics.median(walls), max(peaks)


@dataclass
class Paired:
    """Runs of commands each timed right after a run of the floor (one round per run)."""

    floors: list[float] = field(default_factory=list)
    walls: dict[str, list[float]] = field(default_factory=dict)
    peaks: dict[str, list[float]] = field(default_factory=dict)

    def seconds(self, name: str) -> float:
        """The command's median wall seconds."""
        return statistics.median(self.walls[name])

    def spread(self, name: str) -> str:
        """The lowest and highest of the rounds' ratios, as text."""
        ratios = [w / f for w, f in zip(self.walls[name], self.floors, strict=True)]
        return f"{min(ratios):.2f}-{max(ratios):.2f}"

    def ratio(self, name: str) -> float:
        """The median over rounds of the command's seconds over that round's floor."""
        return statistics.median(w / f for w, f in zip(self.walls[name], self.floors, strict=True))


def measure_paired(floor: list[str], cmds: dict[str, list[str]], runs: int) -> Paired:
    """``runs`` rounds of: the floor, then each command once. A ratio is taken within a
    round, so the machine's drift from minute to minute (a shared virtual machine's speed
    moves by 10-20 %) falls on both sides of it alike."""
    got = Paired()
    for _ in range(runs):
        got.floors.append(run_once(floor)[0])
        for name, cmd in cmds.items():
            wall, peak = run_once(cmd)
            got.walls.setdefault(name, []).append(wall)
            got.peaks.setdefault(name, []).append(peak)
    return got


def indicators_cmd(data: Path, out: Path, quarters: bool, cache: bool = False) -> list[str]:
    """The ``cppanalytics indicators`` command line for one scenario (``cache``: use the
    load cache beside the data, as a user's second run does)."""
    when = ["--quarters", "2022-06-30", PERIOD_END] if quarters else ["--period-end", PERIOD_END]
    return [
        sys.executable,
        "-m",
        "cppanalytics",
        "indicators",
        "--data",
        str(data),
        *when,
        "--la-code",
        LA_CODE,
        *([] if cache else ["--no-cache"]),
        "--out",
        str(out / "results.csv"),
    ]


def councils_cmd(data: Path, out: Path, workers: int) -> list[str]:
    """``cppanalytics indicators --all-councils`` at 12 quarter ends with ``workers``."""
    return [
        sys.executable,
        "-m",
        "cppanalytics",
        "indicators",
        "--data",
        str(data),
        "--quarters",
        "2022-06-30",
        PERIOD_END,
        "--all-councils",
        "--workers",
        str(workers),
        "--no-cache",
        "--out",
        str(out / "councils.csv"),
    ]


def main(argv: list[str] | None = None) -> int:
    """Run every size and scenario; print the table and the slope."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--sizes",
        type=int,
        nargs="+",
        default=[100_000, 1_000_000, 3_000_000],
        help="episode rows per replicated set",
    )
    parser.add_argument(
        "--runs",
        type=int,
        default=5,
        help="rounds per size (floor then each scenario; medians, ratios within a round)",
    )
    parser.add_argument(
        "--council-runs", type=int, default=1, help="runs of each all-councils measurement"
    )
    parser.add_argument("--scenarios", nargs="+", default=["x1", "x12"], choices=["x1", "x12"])
    parser.add_argument(
        "--councils",
        type=int,
        default=150,
        help="councils in the all-councils benchmark (0 skips it)",
    )
    args = parser.parse_args(argv)
    # the package's byte code written first, as installing the package writes it: with
    # PYTHONDONTWRITEBYTECODE set and stale byte code, every run would compile ~60 modules
    compileall.compile_dir(ROOT / "cppanalytics", quiet=1)
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores", flush=True)
    rows = []
    with tempfile.TemporaryDirectory(prefix="cpp-bench-") as tmp:
        work = Path(tmp)
        demo = work / "demo"
        shutil.copytree(DEMO, demo, ignore=shutil.ignore_patterns(".cppanalytics-cache"))
        demo_episodes = sum(len(pd.read_csv(f, dtype=str)) for f in demo.glob("*/episodes.csv"))
        measure(indicators_cmd(demo, work, quarters=True, cache=True), 1)  # fills the cache
        labels = {"demo council": False, "demo council, load cache": True}
        demo_runs = measure_paired(
            [sys.executable, "-c", FLOOR, str(demo)],
            {
                label: indicators_cmd(demo, work, True, cache=cache)
                for label, cache in labels.items()
            },
            args.runs,
        )
        for label in labels:
            rows.append(
                {
                    "data": label,
                    "episodes": demo_episodes,
                    "csv_mb": round(sum(f.stat().st_size for f in demo.rglob("*.csv")) / 1e6, 1),
                    "scenario": "x12",
                    "seconds": round(demo_runs.seconds(label), 2),
                    "floor_s": round(statistics.median(demo_runs.floors), 2),
                    "ratio": round(demo_runs.ratio(label), 2),
                    "ratios": demo_runs.spread(label),
                    "goal": "< 1 s",
                    "peak_mb": round(max(demo_runs.peaks[label])),
                }
            )
            print(rows[-1], file=sys.stderr, flush=True)
        slope_points = []
        for size in args.sizes:
            data = work / f"n{size}"
            episodes, mb = replicate(data, size)
            paired = measure_paired(
                [sys.executable, "-c", FLOOR, str(data)],
                {s: indicators_cmd(data, work, s == "x12") for s in args.scenarios},
                args.runs,
            )
            floor = statistics.median(paired.floors)
            for scenario in args.scenarios:
                seconds, peak = paired.seconds(scenario), max(paired.peaks[scenario])
                if scenario == "x1":
                    slope_points.append((episodes, seconds))
                rows.append(
                    {
                        "data": f"{size:,} target",
                        "episodes": episodes,
                        "csv_mb": round(mb),
                        "scenario": scenario,
                        "seconds": round(seconds, 2),
                        "floor_s": round(floor, 2),
                        "ratio": round(paired.ratio(scenario), 2),
                        "ratios": paired.spread(scenario),
                        "goal": f"<= {GOALS[scenario]:g} x floor",
                        "peak_mb": round(peak),
                    }
                )
                print(rows[-1], file=sys.stderr, flush=True)
            shutil.rmtree(data)
        council_rows = []
        if args.councils:
            data = work / "pooled"
            episodes, mb = pooled(data, args.councils)
            for workers in (1, 2):
                seconds, peak = measure(councils_cmd(data, work, workers), args.council_runs)
                council_rows.append(
                    {
                        "councils": args.councils,
                        "episodes": episodes,
                        "csv_mb": round(mb),
                        "quarters": 12,
                        "workers": workers,
                        "seconds": round(seconds, 1),
                        "councils_per_min": round(args.councils / seconds * 60, 1),
                        "episodes_per_s": round(episodes / seconds),
                        "peak_mb_main": round(peak),
                    }
                )
                print(council_rows[-1], file=sys.stderr, flush=True)
            shutil.rmtree(data)
    table = pd.DataFrame(rows)
    print(table.to_string(index=False))
    if council_rows:
        print()
        print(pd.DataFrame(council_rows).to_string(index=False))
    if len(slope_points) >= 2:
        (n0, t0), (n1, t1) = slope_points[0], slope_points[-1]
        per_m = (t1 - t0) / (n1 - n0) * 1e6
        steps = ", ".join(
            f"{n:,}: {(t / n) / (t0 / n0):.2f}" for n, t in slope_points[1:]
        )  # 1.00 = each episode costs what it did at the smallest size
        print(
            f"slope (x1): {per_m:.1f} s per million episodes between {n0:,} and {n1:,}; "
            f"per-episode cost relative to {n0:,} episodes: {steps}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
