"""Everyday failures at the command line: one plain line and a documented exit status.

Exit statuses (README "Exit statuses and bad files"): 0 ok, 1 error-level findings or a
failed report, 2 unusable input or usage, 3 output not written, 4 internal error (a bug;
``--debug`` shows the traceback), 130 interrupted, 141 output pipe closed.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from cppanalytics.cli import main
from cppanalytics.errors import OutputError
from tests.conftest import ROOT
from tests.hostile.build import binary_params, non_utf8_params, nul_params


def plain(err: str) -> list[str]:
    lines = [line for line in err.splitlines() if line.strip()]
    assert "Traceback" not in err, err
    return lines


@pytest.mark.parametrize("build", [non_utf8_params, binary_params, nul_params])
@pytest.mark.parametrize("command", [["run"], ["run", "--check"]])
def test_params_not_utf8_or_binary_is_one_line(build, command, tmp_path: Path, capsys) -> None:
    path = build(tmp_path)
    assert main([*command, str(path)]) == 2
    lines = plain(capsys.readouterr().err)
    assert len(lines) == 1 and lines[0].startswith("cppanalytics run: error: ")
    assert str(path) in lines[0]


def test_bug_is_one_line_with_debug_hint(monkeypatch, capsys) -> None:
    import cppanalytics.cli.validate as validate

    def broken(_args: object) -> int:
        raise KeyError("DECOM")

    monkeypatch.setattr(validate, "_run", broken)
    from cppanalytics.cli import build_parser

    parser = build_parser()
    monkeypatch.setattr("cppanalytics.cli.build_parser", lambda: _with_func(parser, broken))
    assert main(["validate", "x"]) == 4
    lines = plain(capsys.readouterr().err)
    assert lines == [
        "cppanalytics validate: internal error: KeyError: 'DECOM'; re-run with "
        "--debug to see the traceback and report it"
    ]
    assert main(["validate", "x", "--debug"]) == 4  # --debug anywhere on the line
    err = capsys.readouterr().err
    assert "Traceback (most recent call last)" in err and "KeyError: 'DECOM'" in err


def _with_func(parser, func):  # noqa: ANN001, ANN202
    sub = next(a for a in parser._actions if a.dest == "command")
    sub.choices["validate"].set_defaults(func=func)
    return parser


def test_output_error_status_and_interrupt(monkeypatch, capsys) -> None:
    from cppanalytics.cli import build_parser

    parser = build_parser()

    def full(_args: object) -> int:
        raise OutputError("could not write x.csv: the disk is full")

    monkeypatch.setattr("cppanalytics.cli.build_parser", lambda: _with_func(parser, full))
    assert main(["validate", "x"]) == 3
    assert plain(capsys.readouterr().err) == [
        "cppanalytics validate: error: could not write x.csv: the disk is full"
    ]

    def interrupted(_args: object) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr("cppanalytics.cli.build_parser", lambda: _with_func(parser, interrupted))
    assert main(["validate", "x"]) == 130
    assert plain(capsys.readouterr().err) == ["cppanalytics validate: interrupted"]


def test_missing_input_folder_is_status_2(tmp_path: Path, capsys) -> None:
    assert (
        main(
            [
                "indicators",
                "--data",
                str(tmp_path / "nowhere"),
                "--period-end",
                "2026-03-31",
                "--out",
                str(tmp_path / "r.csv"),
            ]
        )
        == 2
    )
    assert len(plain(capsys.readouterr().err)) == 1


def test_validate_into_head_exits_quietly(demo_data: Path) -> None:
    """``cppanalytics validate data | head -1``: no BrokenPipeError, no traceback."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    code = "import sys; from cppanalytics.cli import main; sys.exit(main(sys.argv[1:]))"
    proc = subprocess.Popen(
        [sys.executable, "-c", code, "validate", str(demo_data), "--top", "200"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        cwd=ROOT,
    )
    assert proc.stdout is not None and proc.stderr is not None
    first = proc.stdout.readline()
    proc.stdout.close()  # what `head -1` does
    err = proc.stderr.read().decode()
    status = proc.wait(timeout=120)
    assert first.startswith(b"Findings:")
    assert err == "", err
    assert status in (0, 1, 141)
