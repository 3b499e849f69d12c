"""The one demo-council ``indicators`` command line the start-up probes run."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def demo_indicators_argv(tmp_path: Path) -> list[str]:
    """``indicators`` on the demo council at one period end, no load cache, results in
    ``tmp_path``."""
    return [
        "indicators",
        "--data",
        str(ROOT / "data" / "synthetic"),
        "--period-end",
        "2025-03-31",
        "--no-cache",
        "--out",
        str(tmp_path / "r.csv"),
        "-q",
    ]
