"""The whole-command benchmark's method: a ratio to the floor is taken within each round
(floor then command), then the median over rounds."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _bench():
    spec = importlib.util.spec_from_file_location(
        "bench_whole", ROOT / "benchmarks" / "bench_whole.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_whole"] = module
    spec.loader.exec_module(module)
    return module


def test_ratios_are_taken_within_a_round_then_the_median() -> None:
    bench = _bench()
    # a machine twice as slow in the second round: each round's ratio is 5
    got = bench.Paired(
        floors=[0.5, 1.0, 0.6], walls={"x1": [2.5, 5.0, 3.0]}, peaks={"x1": [1, 2, 3]}
    )
    assert got.ratio("x1") == 5.0
    assert got.seconds("x1") == 3.0  # the median seconds
    # a ratio of medians would say 3.0 / 0.6 = 5.0 here too, but not in general:
    odd = bench.Paired(floors=[1.0, 0.5, 0.5], walls={"x1": [2.0, 3.0, 4.0]})
    assert odd.ratio("x1") == 6.0  # rounds: 2, 6, 8


def test_a_round_runs_the_floor_then_each_command(tmp_path: Path) -> None:
    bench = _bench()
    log = tmp_path / "log"

    def cmd(name: str) -> list[str]:
        return [sys.executable, "-c", f"open({str(log)!r}, 'a').write({name!r})"]

    got = bench.measure_paired(cmd("f"), {"a": cmd("a"), "b": cmd("b")}, runs=2)
    assert log.read_text() == "fabfab"
    assert len(got.floors) == 2 and len(got.walls["a"]) == 2 and len(got.peaks["b"]) == 2


def test_the_spread_of_the_rounds_ratios_is_printed() -> None:
    got = _bench().Paired(floors=[1.0, 0.5, 0.5], walls={"x1": [2.0, 3.0, 4.0]})
    assert got.spread("x1") == "2.00-8.00"
