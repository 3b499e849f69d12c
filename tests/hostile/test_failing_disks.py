"""Failing disks: one plain message, exit status 3, and no truncated or temporary file left.

Faults without root tricks (which do not work as root): a path under a regular file
(NotADirectoryError), ``/dev/full`` (ENOSPC on every write), ``os.replace`` failing with
ENOSPC, and a CSV write stopping half way with ENOSPC.
"""

from __future__ import annotations

import errno
from pathlib import Path

import pandas as pd
import pytest

from cppanalytics.cli import main
from cppanalytics.errors import OutputError
from cppanalytics.writing import atomic_path, write_csv, write_text
from tests.hostile.build import (
    dev_full,
    disk_fills_mid_write,
    files_under,
    full_disk,
    under_a_file,
)

FRAME = pd.DataFrame({"indicator_id": ["cla_count"], "value": [412]})


def one_line_error(err: str, command: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith(f"cppanalytics {command}: error: could not write "), err
    assert "Traceback" not in err
    return lines[0]


def test_write_under_a_file_is_an_output_error(tmp_path: Path) -> None:
    target = under_a_file(tmp_path)
    with pytest.raises(OutputError, match="part of the path is a file"):
        write_csv(FRAME, target)
    assert files_under(tmp_path) == [tmp_path / "not_a_folder"]


def test_failed_rename_leaves_previous_file_and_no_temporary(tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "results.csv"
    target.write_text("previous\n")
    full_disk(monkeypatch)
    with pytest.raises(OutputError, match="the disk is full"):
        write_csv(FRAME, target)
    assert target.read_text() == "previous\n"  # the old file is untouched
    assert files_under(tmp_path) == [target]  # no .part file left


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        (errno.EROFS, "the disk is read-only"),
        (errno.EACCES, "permission denied"),
        (errno.EDQUOT, "the disk quota is used up"),
    ],
)
def test_read_only_or_forbidden_disk(code: int, reason: str, tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "findings.csv"
    target.write_text("previous\n")
    full_disk(monkeypatch, code)
    with pytest.raises(OutputError, match=reason) as info:
        write_csv(FRAME, target)
    assert info.value.exit_status == 3
    assert files_under(tmp_path) == [target] and target.read_text() == "previous\n"


def test_disk_filling_mid_write_leaves_nothing(tmp_path: Path, monkeypatch) -> None:
    disk_fills_mid_write(monkeypatch)
    with pytest.raises(OutputError, match="the disk is full"):
        write_csv(FRAME, tmp_path / "results.csv")
    assert files_under(tmp_path) == []


def test_failure_inside_the_block_removes_the_temporary(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError), atomic_path(tmp_path / "x.txt") as tmp:
        tmp.write_text("half")
        raise RuntimeError("boom")
    assert files_under(tmp_path) == []


def test_dev_full_is_written_in_place_never_replaced() -> None:
    full = dev_full()
    with pytest.raises(OutputError, match="the disk is full"):
        write_text(full, "x" * 100_000)
    assert full.exists() and not full.is_file()  # still the device


@pytest.mark.parametrize("fault", ["under_a_file", "dev_full", "full_disk", "mid_write"])
def test_indicators_out_on_a_failing_disk(
    fault: str, tmp_path: Path, demo_data: Path, monkeypatch, capsys
) -> None:
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    out = {"under_a_file": lambda: under_a_file(out_dir), "dev_full": dev_full}.get(
        fault, lambda: out_dir / "results.csv"
    )()
    if fault == "full_disk":
        full_disk(monkeypatch)
    elif fault == "mid_write":
        disk_fills_mid_write(monkeypatch)
    status = main(
        [
            "indicators",
            "--no-cache",
            "--data",
            str(demo_data / "2025-26"),
            "--period-end",
            "2026-03-31",
            "--id",
            "cla_count",
            "--out",
            str(out),
        ]
    )
    assert status == 3
    line = one_line_error(capsys.readouterr().err, "indicators")
    assert str(out) in line or str(out.parent) in line
    left = [p for p in files_under(out_dir) if p.name != "not_a_folder"]
    assert left == []  # nothing truncated, no temporary


@pytest.mark.parametrize("fault", ["under_a_file", "dev_full", "full_disk"])
def test_validate_out_on_a_failing_disk(
    fault: str, tmp_path: Path, demo_data: Path, monkeypatch, capsys
) -> None:
    out = {"under_a_file": lambda: under_a_file(tmp_path), "dev_full": dev_full}.get(
        fault, lambda: tmp_path / "findings.csv"
    )()
    if fault == "full_disk":
        full_disk(monkeypatch)
    assert main(["validate", str(demo_data / "2025-26"), "--out", str(out)]) == 3
    one_line_error(capsys.readouterr().err, "validate")
    assert [p for p in files_under(tmp_path) if p.name != "not_a_folder"] == []


def _tiny_project(tmp_path: Path) -> Path:
    from tests.reporting.conftest import make_project, params_text

    (tmp_path / "project").mkdir()
    project = make_project(tmp_path / "project")
    params = project / "params" / "q.yaml"
    params.write_text(params_text())
    return params


@pytest.mark.parametrize("fault", ["under_a_file", "dev_full"])
def test_run_output_root_that_cannot_be_a_folder(fault: str, tmp_path: Path, capsys) -> None:
    params = _tiny_project(tmp_path)
    root = under_a_file(tmp_path, "reports") if fault == "under_a_file" else dev_full()
    assert main(["run", str(params), "--output-root", str(root)]) == 3
    line = one_line_error(capsys.readouterr().err, "run")
    assert "part of the path is a file" in line


def test_run_on_a_disk_that_fills_up_leaves_no_report(tmp_path: Path, monkeypatch, capsys) -> None:
    """The disk fills while the report folder is written (fsync fails with ENOSPC)."""
    params = _tiny_project(tmp_path)
    out = tmp_path / "reports"
    full_disk(monkeypatch, call="fsync")
    assert main(["run", str(params), "--output-root", str(out)]) == 3
    line = one_line_error(capsys.readouterr().err, "run")
    assert "the disk is full" in line
    assert files_under(out) == []  # no report, no hidden temporary folder's files
    assert [p.name for p in out.rglob(".*")] == []


@pytest.mark.parametrize("command", [["init", "--demo"], ["synth", "--size", "20", "--out"]])
def test_scaffolding_under_a_file(command: list[str], tmp_path: Path, capsys) -> None:
    target = under_a_file(tmp_path, "council")
    argv = (
        [command[0], str(target), *command[1:]] if command[0] == "init" else [*command, str(target)]
    )
    assert main(argv) == 3
    one_line_error(capsys.readouterr().err, command[0])
    assert files_under(tmp_path) == [tmp_path / "not_a_folder"]


def _never(*_args: object, **_kwargs: object) -> None:
    raise AssertionError("the long work started although the output cannot be written")


def _forbidden_folder(monkeypatch) -> None:
    """Creating any file fails with EACCES (a folder the user may read but not write; chmod
    does not stop root, so the refusal is simulated where the probe file is made)."""

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr("cppanalytics.writing.tempfile.NamedTemporaryFile", refuse)


@pytest.mark.parametrize("fault", ["under_a_file", "forbidden"])
def test_synth_refuses_an_unwritable_folder_before_simulating(
    fault: str, tmp_path: Path, monkeypatch, capsys
) -> None:
    monkeypatch.setattr("cppanalytics.synth.council.simulate", _never)
    target = under_a_file(tmp_path, "council") if fault == "under_a_file" else tmp_path / "c"
    if fault == "forbidden":
        _forbidden_folder(monkeypatch)
    for extra in (["--size", "20"], ["--councils", "3"]):
        assert main(["synth", "--out", str(target), *extra]) == 3
        line = one_line_error(capsys.readouterr().err, "synth")
        assert str(target) in line
        reason = "part of the path is a file" if fault == "under_a_file" else "permission denied"
        assert reason in line


def test_indicators_refuses_an_unwritable_results_folder_before_loading(
    tmp_path: Path, demo_data: Path, monkeypatch, capsys
) -> None:
    monkeypatch.setattr("cppanalytics.ssda903.cache.load_cached", _never)
    _forbidden_folder(monkeypatch)
    out = tmp_path / "out" / "results.csv"
    argv = ["indicators", "--data", str(demo_data), "--period-end", "2026-03-31"]
    assert main([*argv, "--out", str(out)]) == 3
    line = one_line_error(capsys.readouterr().err, "indicators")
    assert str(out.parent) in line and "permission denied" in line
