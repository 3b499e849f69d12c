"""``--quiet`` and ``--verbose`` on ``indicators`` and ``validate``: results always, notes
at normal verbosity, parameters and stage timings only when asked."""

from __future__ import annotations

from pathlib import Path

import pytest

from cppanalytics import cli
from cppanalytics.cli import main


@pytest.fixture(autouse=True)
def _restore_verbosity():
    yield
    cli.VERBOSITY = 1  # main sets the module's level; later tests start from normal


def _indicators(demo_data: Path, tmp_path: Path, *flags: str) -> None:
    argv = ["indicators", "--no-cache", "--data", str(demo_data / "2025-26")]
    argv += ["--period-end", "2026-03-31", "--id", "cla_count", "--out"]
    assert main([*argv, str(tmp_path / "r.csv"), *flags]) == 0


def test_indicators_quiet_normal_verbose(demo_data: Path, tmp_path: Path, capsys) -> None:
    said = {}
    for name, flags in {"quiet": ["--quiet"], "normal": [], "verbose": ["--verbose"]}.items():
        _indicators(demo_data, tmp_path, *flags)
        said[name] = capsys.readouterr().out.splitlines()
    for lines in said.values():  # the results and where they went: always
        assert any(line.startswith("1 result rows for 1 indicators") for line in lines)
        assert any(line.startswith("findings: ") for line in lines)
    # no population file in a single year folder: a note, dropped by --quiet
    assert not any(line.startswith(("no population", "done in")) for line in said["quiet"])
    assert any(line.startswith("no population file") for line in said["normal"])
    assert any(line.startswith("done in") for line in said["normal"])
    assert not any(line.startswith(("load ", "compute ", "data ")) for line in said["normal"])
    stages = [line.split()[0] for line in said["verbose"] if line.endswith(" s")]
    assert stages[:3] == ["load", "compute", "write"] and "done" in stages
    assert any(
        line.startswith(f"data {demo_data / '2025-26'}; 1 period end") for line in said["verbose"]
    )


def test_validate_quiet_keeps_the_summary(demo_data: Path, capsys) -> None:
    main(["validate", str(demo_data / "2025-26"), "--quiet"])
    quiet = capsys.readouterr().out
    main(["validate", str(demo_data / "2025-26")])
    normal = capsys.readouterr().out
    main(["validate", str(demo_data / "2025-26"), "--verbose"])
    verbose = capsys.readouterr().out
    for out in (quiet, normal, verbose):
        assert "DfE validation rules broken" in out and "Indicators" in out
    assert "typed dataset contract" not in quiet and "typed dataset contract" in normal
    assert "\nload " not in normal and verbose.startswith("load ") and "\nchecks " in verbose
