"""A whole run on the fixture notebook: outputs, manifest, HTML checks, failures."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest

from cppanalytics.cli import main
from cppanalytics.reporting.execute import NotebookError
from cppanalytics.reporting.html import MAX_HTML_BYTES
from cppanalytics.reporting.report import run_report

from .conftest import make_project, params_text


@pytest.fixture(scope="module")
def done(tmp_path_factory):
    """One successful run of the fixture notebook (public mode, YAML-typed date and code)."""
    project = make_project(tmp_path_factory.mktemp("proj"))
    path = project / "params" / "q.yaml"
    path.write_text(
        params_text({"mode": "public"}).replace(
            "period_end: '2026-09-30'", "period_end: 2026-09-30"
        )
        + "  la_code: 826\n"
    )
    return project, run_report(path)


def test_report_folder_layout(done):
    project, result = done
    folder = (
        project / "reports" / "ouzel-vale-council-synthetic" / "2026-09-30" / "tiny_report_public"
    )
    assert result.folder == folder
    assert sorted(p.name for p in folder.iterdir()) == [
        "manifest.json",
        "results.csv",
        "scorecard.xlsx",
        "tiny_report_public.html",
        "tiny_report_public.ipynb",
    ]
    assert [p.name for p in folder.parent.iterdir()] == ["tiny_report_public"]  # no temp left
    assert result.warnings == ()
    assert {"la_code", "period_end"} <= {n.split(":")[0] for n in result.notes}


def test_html_checks(done):
    _, result = done
    page = result.html.read_text(encoding="utf-8")
    assert len(page.encode()) < MAX_HTML_BYTES
    assert not re.search(r"<script[^>]+src=[\"']?https?:", page)
    assert not re.search(r"<link[^>]+href=[\"']?https?:", page)
    assert "http" not in page  # no links at all in this fixture, not even in CSS comments
    imgs = re.findall(r"<img\b[^>]*>", page)
    assert imgs and all(re.search(r'alt="[^"]+"', tag) for tag in imgs)
    assert all('src="data:image/png;base64,' in tag for tag in imgs)
    assert "noise on stderr" not in page and "must not reach the HTML" not in page
    assert "Warning" not in page and "Traceback" not in page
    assert 'class="cpp-toc"' in page and 'href="#Headline"' in page
    assert "import warnings" not in page  # code hidden
    assert "Ouzel Vale Council (synthetic)</strong>, quarter ending 2026-09-30" in page
    assert "(public)" in page  # the parameter reached the notebook
    assert ".tmp-" not in page and "PosixPath" not in page  # export_tables shows nothing


def test_executed_notebook_has_injected_parameters(done):
    import nbformat

    _, result = done
    nb = nbformat.read(result.folder / "tiny_report_public.ipynb", as_version=4)
    injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1
    assert 'la_code = "826"' in injected[0].source
    # a public notebook names no folder of this machine: its own folder is "."
    assert 'output_dir = "."' in injected[0].source
    assert str(result.folder.parent) not in injected[0].source
    assert nb.cells[0].metadata["tags"] == ["cppanalytics-setup"]


def test_manifest_contents(done):
    project, result = done
    manifest = json.loads((result.folder / "manifest.json").read_text())
    population = project / "data" / "population.csv"
    digest = hashlib.sha256(population.read_bytes()).hexdigest()
    # public: paths relative to the working folder (the one holding params/), never absolute
    assert manifest["inputs"]["data_dir"] == {"data/population.csv": digest}
    assert manifest["parameters"]["la_code"] == "826"
    assert manifest["parameters"]["period_end"] == "2026-09-30"
    assert manifest["parameters"]["data_dir"] == "data"
    assert manifest["parameters"]["output_dir"] == "."
    assert manifest["params_file"] == "params/q.yaml"
    assert str(project) not in (result.folder / "manifest.json").read_text()
    versions = manifest["versions"]
    import pandas

    from cppanalytics import __version__

    assert versions["cppanalytics"] == __version__ and versions["pandas"] == pandas.__version__
    assert re.fullmatch(r"3\.\d+\.\d+", versions["python"])
    stages = manifest["timings_seconds"]
    assert set(stages) == {"validate", "execute", "convert", "write", "total"}
    assert stages["total"] >= stages["execute"] > 0
    assert manifest["git"] is None or re.fullmatch(r"[0-9a-f]{40}", manifest["git"]["commit"])
    assert (
        "manifest.json" in manifest["outputs"] and "tiny_report_public.html" in manifest["outputs"]
    )
    assert len(manifest["notes"]) == 2


def test_cell_failure_names_cell_and_error_and_leaves_nothing(project: Path, write_params):
    path = write_params(parameters={"data_dir": "bad"})
    with pytest.raises(NotebookError) as info:
        run_report(path)
    exc = info.value
    assert exc.error == "KeyError: 'population'"
    assert re.fullmatch(r"In \[\d+\]", exc.cell)
    period = project / "reports" / "ouzel-vale-council-synthetic" / "2026-09-30"
    # one plain line (type and message) naming the notebook kept for debugging
    assert str(exc).splitlines() == [
        f"tiny_report.ipynb: {exc.cell} failed: KeyError: 'population'; the executed "
        f"notebook, with the full traceback, is kept as {period / 'tiny_report.failed.ipynb'}"
    ]
    assert exc.exit_status == 4  # not one of the package's errors: a bug
    assert 'population["population"]' in exc.details  # the cell and frames for --debug
    assert "traceback (last lines)" in exc.details
    assert [p.name for p in period.iterdir()] == ["tiny_report.failed.ipynb"]  # no report folder


def test_user_error_in_notebook_has_no_traceback(project: Path, write_params, capsys):
    path = write_params(parameters={"data_dir": "neg"})
    assert main(["run", str(path)]) == 2
    err = capsys.readouterr().err
    assert "tiny_report.ipynb: In [" in err
    assert "CppError: population.csv: a population is negative; fix the file" in err
    assert "traceback" not in err.lower()


def test_cli_run_success(project: Path, write_params, capsys):
    assert main(["run", str(write_params()), "--output-root", str(project / "out")]) == 0
    out = capsys.readouterr().out
    assert "report written:" in out and str(project / "out") in out
    assert (
        project
        / "out"
        / "ouzel-vale-council-synthetic"
        / "2026-09-30"
        / "tiny_report"
        / "tiny_report.html"
    ).is_file()


def test_killed_run_leaves_no_report_and_is_cleaned_up(project: Path, write_params):
    import os
    import signal
    import subprocess
    import sys
    import time

    path = write_params()
    period = project / "reports" / "ouzel-vale-council-synthetic" / "2026-09-30"
    code = f"from cppanalytics.cli import main; main(['run', {str(path)!r}])"
    proc = subprocess.Popen(
        [sys.executable, "-c", code],
        start_new_session=True,  # its own process group: the kernel dies with it
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        while not (period.is_dir() and any(period.glob(".tiny_report.tmp-*"))):
            assert time.monotonic() < deadline, "the run never started writing"
            assert proc.poll() is None, "the run ended before it could be killed"
            time.sleep(0.05)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    assert not (period / "tiny_report").exists()  # nothing half-written is visible
    assert list(period.glob(".tiny_report.tmp-*"))  # only the hidden temporary remains
    result = run_report(path)  # the next run cleans it up
    assert [p.name for p in period.iterdir()] == ["tiny_report"]
    assert result.html.is_file()


def test_size_limit_blocks_panel_reports_only(project: Path, write_params, monkeypatch):
    from cppanalytics.errors import CppError
    from cppanalytics.reporting import html, report

    monkeypatch.setattr(report, "MAX_HTML_BYTES", 1000)
    monkeypatch.setattr(html, "MAX_HTML_BYTES", 1000)
    with pytest.raises(
        CppError, match="not publishable:\n  - HTML is 0.[0-9] MB; the limit is 0.0 MB"
    ):
        run_report(write_params())
    period = project / "reports" / "ouzel-vale-council-synthetic" / "2026-09-30"
    assert not (period / "tiny_report").exists()
    # the analyst's internal data-quality notebook is written, with a warning
    result = run_report(write_params("dq", report={"notebook": "data_quality"}))
    assert any(w.startswith("HTML is") for w in result.warnings)
    manifest = json.loads((result.folder / "manifest.json").read_text())
    assert manifest["warnings"] == list(result.warnings)


def test_the_html_converter_is_prepared_once_the_kernel_is_launched(tmp_path, monkeypatch):
    # the conversion is prepared in the background from the kernel's launch on, not
    # before: until then the machinery's process is busy launching it
    import cppanalytics.reporting.report as report_module
    from cppanalytics.reporting import html as html_module

    events: list[str] = []
    real_execute = report_module.execute

    def watched_execute(*args, **kwargs):
        on_launch = kwargs["on_launch"]

        def launched():
            events.append("launched")
            on_launch()

        kwargs["on_launch"] = launched
        events.append("execute")
        return real_execute(*args, **kwargs)

    real_start = html_module.PreparedConverter.start

    def watched_start(self):
        events.append("prepare")
        real_start(self)

    monkeypatch.setattr(report_module, "execute", watched_execute)
    monkeypatch.setattr(html_module.PreparedConverter, "start", watched_start)
    project = make_project(tmp_path)
    path = project / "params" / "q.yaml"
    path.write_text(params_text())
    result = run_report(path)
    assert result.html.exists()
    assert events[:3] == ["execute", "launched", "prepare"]
