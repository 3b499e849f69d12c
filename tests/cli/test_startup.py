"""Start-up: ``--help`` and argument errors answer without importing pandas (the command
line's parsers are built from modules that import the engine only when a command runs)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.demo_run import demo_indicators_argv

ROOT = Path(__file__).resolve().parents[2]

#: runs the command line in a fresh interpreter, then prints its exit status and which of
#: the heavy libraries it imported
PROBE = """
import json, sys
from cppanalytics.cli import main
try:
    status = main(sys.argv[1:])
except SystemExit as exc:
    status = exc.code
heavy = sorted(m for m in ("pandas", "numpy", "pyarrow") if m in sys.modules)
print(json.dumps({"status": status, "heavy": heavy}))
"""


def _probe(*argv: str) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *argv],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        timeout=60,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize(
    ("argv", "status"),
    [
        (["--help"], 0),
        ([], 0),
        (["indicators", "--help"], 0),
        (["validate", "--help"], 0),
        (["synth", "--help"], 0),
        (["indicators", "--period-end", "2025-03-31"], 2),  # --data missing
        (["indicators", "--data", "x", "--findings", "most"], 2),  # not a choice
        (["no-such-command"], 2),
        (["validate"], 2),  # no PATH
    ],
    ids=lambda v: " ".join(v) if isinstance(v, list) else str(v),
)
def test_help_and_argument_errors_do_not_import_pandas(argv: list[str], status: int) -> None:
    found = _probe(*argv)
    assert found["status"] == status
    assert found["heavy"] == []


def test_the_probe_sees_pandas_when_a_command_runs(tmp_path: Path) -> None:
    # a period end that is not a date is refused after the dates module (pandas) is read:
    # the probe must report pandas there, or the test above proves nothing
    argv = ["indicators", "--data", str(tmp_path), "--out", str(tmp_path / "r.csv")]
    found = _probe(*argv, "--period-end", "31.03.25")
    assert found["status"] == 2
    assert "pandas" in found["heavy"]


def test_findings_detail_has_one_home() -> None:
    from cppanalytics import findings, findings_detail

    assert findings.FINDINGS_DETAIL is findings_detail.FINDINGS_DETAIL


def test_indicators_without_the_load_cache_do_not_read_parquet(tmp_path: Path) -> None:
    # Parquet (pyarrow.parquet and the file systems it brings) is the load cache's format
    # only: a run with --no-cache never imports it; nor does a run on CSV files alone
    # import the XML parser (read only when an XML return is read)
    probe = PROBE.replace(
        '("pandas", "numpy", "pyarrow")', '("pandas", "pyarrow.parquet", "xml.etree.ElementTree")'
    )
    argv = demo_indicators_argv(tmp_path)
    done = subprocess.run(
        [sys.executable, "-c", probe, *argv],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
        timeout=120,
    )
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found == {"status": 0, "heavy": ["pandas"]}
    assert (tmp_path / "r.csv").is_file()
