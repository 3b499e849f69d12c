"""The period asked for must be in the data: range checks and incomplete collection years."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from cppanalytics.cli import main
from cppanalytics.errors import CppError
from cppanalytics.ssda903 import load
from cppanalytics.ssda903.coverage import check_period_ends, coverage
from cppanalytics.ssda903.dataset import Dataset
from tests.ssda903.builders import TODAY, small_council, write_set


def _years(root: Path, folders: list[str]) -> Path:
    for folder in folders:
        write_set(root / folder, small_council())
    return root


# ------------------------------------------------------------------ coverage, by hand
def test_coverage_range_and_gaps() -> None:
    ds = Dataset(
        table_years={"header": (2021, 2022, 2024), "episodes": (2021, 2022, 2024), "oc2": (2023,)}
    )
    cov = coverage(ds)
    assert cov.years == (2021, 2022, 2023, 2024)
    assert cov.incomplete == {2023: ("header", "episodes")}
    assert (cov.start, cov.end) == (pd.Timestamp("2020-04-01"), pd.Timestamp("2024-03-31"))


def test_in_memory_data_uses_year_values() -> None:
    ds = Dataset.from_tables(
        {"episodes": pd.DataFrame({"CHILD": ["1"], "DECOM": ["01/05/2023"], "YEAR": [2024]})}
    )
    assert coverage(ds).incomplete == {2024: ("header",)}
    assert coverage(Dataset()) is None and check_period_ends(Dataset(), ["2030-03-31"]) == []


@pytest.mark.parametrize(
    "end,ok",
    [
        ("2022-04-01", True),
        ("2022-03-31", False),  # first day of the earliest year / before
        ("2024-03-31", True),
        ("2024-04-01", False),  # last day of the latest year / after
    ],
)
def test_range_edges(end: str, ok: bool) -> None:
    ds = Dataset(table_years={"header": (2023, 2024), "episodes": (2023, 2024)})
    if ok:
        assert check_period_ends(ds, [end]) == []
    else:
        with pytest.raises(
            CppError,
            match=r"2022-23 to 2023-24 collection years \(01/04/2022 "
            r"to 31/03/2024\)",
        ):
            check_period_ends(ds, [end])


def test_incomplete_year_refuses_its_and_later_periods_only() -> None:
    ds = Dataset(table_years={"header": (2022, 2023, 2024), "episodes": (2022, 2024)})
    assert check_period_ends(ds, ["2022-03-31", "2021-12-31"]) == []  # before the gap
    for end in ("2022-06-30", "2024-03-31"):
        with pytest.raises(CppError, match="2022-23: no usable episodes table"):
            check_period_ends(ds, [end])
    warned = check_period_ends(ds, ["2024-03-31"], allow_incomplete=True)
    assert len(warned) == 1 and "unreliable" in warned[0]


# ------------------------------------------------------------------ the indicators command
def _indicators(data: Path, out: Path, *ends: str, extra: tuple[str, ...] = ()) -> int:
    args = ["indicators", "--data", str(data), "--out", str(out), "--id", "cla_count"]
    for end in ends:
        args += ["--period-end", end]
    return main([*args, *extra])


def test_cli_refuses_a_period_after_the_data(tmp_path: Path, capsys) -> None:
    data = _years(tmp_path / "d", ["2022-23", "2023-24"])
    assert _indicators(data, tmp_path / "r.csv", "2024-06-30") == 2
    err = capsys.readouterr().err
    assert "30/06/2024 is after the data" in err
    assert "2022-23 to 2023-24 collection years" in err
    assert not (tmp_path / "r.csv").exists()


def test_cli_refuses_a_period_before_the_data(tmp_path: Path, capsys) -> None:
    data = _years(tmp_path / "d", ["2022-23", "2023-24"])
    assert _indicators(data, tmp_path / "r.csv", "2022-03-31", "2023-03-31") == 2
    assert "31/03/2022 is before the data" in capsys.readouterr().err


def test_cli_computes_inside_the_data(tmp_path: Path) -> None:
    data = _years(tmp_path / "d", ["2022-23", "2023-24"])
    assert _indicators(data, tmp_path / "r.csv", "2023-03-31", "2024-03-31") == 0
    assert len(pd.read_csv(tmp_path / "r.csv")) == 2


def test_cli_year_with_unusable_episodes_refuses_then_forced_warns(tmp_path: Path, capsys) -> None:
    data = _years(tmp_path / "d", ["2022-23", "2023-24", "2024-25"])
    (data / "2023-24" / "episodes.csv").write_bytes(b"\x81\x8d\x8f\x90 not text")
    assert _indicators(data, tmp_path / "r.csv", "2024-12-31") == 2
    err = capsys.readouterr().err
    assert "2023-24: no usable episodes table" in err and "--allow-incomplete" in err
    # the year before the broken one is still answered
    assert _indicators(data, tmp_path / "early.csv", "2023-03-31") == 0
    status = _indicators(data, tmp_path / "r.csv", "2024-12-31", extra=("--allow-incomplete",))
    assert status == 1
    assert "unreliable" in capsys.readouterr().err
    found = pd.read_csv(tmp_path / "r_findings.csv")
    assert "period_incomplete_year" in set(found["code"])
    assert len(pd.read_csv(tmp_path / "r.csv")) == 1


def test_loader_records_years_per_table(tmp_path: Path) -> None:
    data = _years(tmp_path / "d", ["2022-23", "2023-24"])
    (data / "2022-23" / "header.csv").unlink()
    ds = load(data, today=TODAY)
    assert ds.table_years["episodes"] == (2023, 2024)
    assert ds.table_years["header"] == (2024,)
    assert coverage(ds).incomplete == {2023: ("header",)}


# ------------------------------------------------------------------ the report pipeline
def test_report_refuses_a_quarter_after_the_data(demo_data: Path) -> None:
    from cppanalytics.pipeline import build_report_data

    with pytest.raises(
        CppError,
        match="30/06/2027 is after the data: the files hold the "
        "2017-18 to 2026-27 collection years",
    ):
        build_report_data(
            council_name="Ouzel Vale Council (synthetic)",
            la_code="E06000042",
            period_end="2027-06-30",
            data_dir=str(demo_data),
            mode="internal",
            synthetic=True,
        )
