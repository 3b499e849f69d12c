"""Batches: discovery, parallel processes, one failure, Dask LocalCluster."""

from __future__ import annotations

from pathlib import Path

import pytest

from cppanalytics.cli import main
from cppanalytics.reporting.batch import JobOutcome, discover, run_batch, run_one, summarise


@pytest.fixture
def batch_dir(project: Path, write_params) -> Path:
    """params/: two good quarters, one failing file, a targets/ file and a non-report YAML."""
    write_params("good_q2", parameters={"period_end": "2026-06-30"})
    write_params("good_q3", parameters={"period_end": "2026-09-30"})
    write_params("failing", parameters={"period_end": "2026-03-31", "data_dir": "bad"})
    (project / "params" / "targets").mkdir()
    (project / "params" / "targets" / "example.yaml").write_text("parameters: {a: 1}\n")
    (project / "params" / "colours.yml").write_text("palette: [red]\n")
    return project / "params"


def test_discover_skips_targets_and_non_reports(batch_dir: Path):
    files, skipped = discover([batch_dir])
    assert [p.name for p in files] == ["failing.yaml", "good_q2.yaml", "good_q3.yaml"]
    reasons = {p.name: why for p, why in skipped}
    assert reasons["example.yaml"] == "in a targets/ folder (not a report)"
    assert reasons["colours.yml"].startswith("no 'parameters:' mapping")


def test_run_one_never_raises(tmp_path: Path):
    outcome = run_one(tmp_path / "missing.yaml")
    assert not outcome.ok and "cannot read the parameter file" in outcome.error


def test_summary_lists_failures_with_cell():
    outcomes = [
        JobOutcome("a.yaml", True, folder="r/a"),
        JobOutcome("b.yaml", False, cell="In [4]", error="KeyError: 'population'"),
        JobOutcome("c.yaml", False, error="c.yaml: unknown parameter 'x'"),
    ]
    assert summarise(outcomes).splitlines() == [
        "1 of 3 reports written; 2 failed:",
        "  b.yaml: In [4]: KeyError: 'population'",
        "  c.yaml: c.yaml: unknown parameter 'x'",
    ]


def _check_outcomes(outcomes: list[JobOutcome], project: Path) -> None:
    by_name = {Path(o.params_file).name: o for o in outcomes}
    assert by_name["good_q2.yaml"].ok and by_name["good_q3.yaml"].ok
    failed = by_name["failing.yaml"]
    assert not failed.ok and failed.cell.startswith("In [")
    assert failed.error == "KeyError: 'population'"
    base = project / "reports" / "ouzel-vale-council-synthetic"
    for period in ("2026-06-30", "2026-09-30"):
        assert (base / period / "tiny_report" / "tiny_report.html").is_file()
    assert not (base / "2026-03-31" / "tiny_report").exists()


def test_cli_batch_processes_one_failure(batch_dir: Path, project: Path, capsys):
    status = main(["batch", str(batch_dir), "--workers", "2"])
    captured = capsys.readouterr()
    assert status == 1
    assert "2 of 3 reports written; 1 failed:" in captured.out
    assert "failing.yaml: In [" in captured.out and "KeyError: 'population'" in captured.out
    assert "reports: 100%" in captured.err  # the progress bar, on stderr
    assert "skipped" in captured.err and "targets" in captured.err
    base = project / "reports" / "ouzel-vale-council-synthetic"
    assert (base / "2026-06-30" / "tiny_report" / "tiny_report.html").is_file()
    assert (base / "2026-09-30" / "tiny_report" / "tiny_report.html").is_file()
    assert not (base / "2026-03-31" / "tiny_report").exists()


def test_dask_local_cluster(batch_dir: Path, project: Path):
    distributed = pytest.importorskip("distributed")
    files, _ = discover([batch_dir])
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
    ) as cluster:
        outcomes = run_batch(files, scheduler=cluster, progress=False)
    assert [Path(o.params_file).name for o in outcomes] == [p.name for p in files]
    _check_outcomes(outcomes, project)


def test_cli_batch_on_scheduler_address(batch_dir: Path, project: Path, capsys):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
    ) as cluster:
        status = main(
            ["batch", str(batch_dir), "--scheduler", cluster.scheduler_address, "--no-progress"]
        )
    assert status == 1
    out = capsys.readouterr().out
    assert "2 of 3 reports written; 1 failed:" in out
    assert "failing.yaml: In [" in out and "KeyError: 'population'" in out


def test_cli_batch_unreachable_scheduler(batch_dir: Path, capsys, monkeypatch):
    from cppanalytics.reporting import batch

    # nothing listens on port 9: the same refusal after 1 s of retrying instead of 10 s
    monkeypatch.setattr(batch, "CONNECT_TIMEOUT", 1)
    status = main(["batch", str(batch_dir), "--scheduler", "tcp://127.0.0.1:9", "--no-progress"])
    assert status == 2
    assert "cannot reach the Dask scheduler tcp://127.0.0.1:9" in capsys.readouterr().err


def test_cli_batch_nothing_found(tmp_path: Path, capsys):
    assert main(["batch", str(tmp_path)]) == 2
    assert "no report parameter files found" in capsys.readouterr().err
