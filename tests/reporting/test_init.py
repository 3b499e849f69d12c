"""``cppanalytics init`` and the installed package: pip install -> init -> run."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest
import yaml

from cppanalytics.cli import main
from cppanalytics.errors import CppError
from cppanalytics.judgement.targets import read_targets
from cppanalytics.reporting.params import load_spec
from cppanalytics.workfolder import init_folder

ROOT = Path(__file__).resolve().parents[2]


def test_init_writes_a_council_folder(tmp_path: Path) -> None:
    made = init_folder(tmp_path / "panel", la_code="E08000035", period_end="2026-12-31")
    root = made.folder
    assert made.council_name == "Leeds"
    names = sorted(p.relative_to(root).as_posix() for p in made.written)
    assert names == [
        ".gitignore",
        "README.md",
        "data/README.md",
        "local_measures/README.md",
        "local_measures/template.csv",
        "params/leeds_2026-12-31.yaml",
        "params/leeds_public_2026-12-31.yaml",
        "params/targets/targets.yaml",
    ]
    params = yaml.safe_load(made.params.read_text())["parameters"]
    assert params["la_code"] == "E08000035" and params["period_end"] == "2026-12-31"
    assert params["synthetic"] is False and params["mode"] == "internal"
    public = yaml.safe_load((root / "params" / "leeds_public_2026-12-31.yaml").read_text())
    assert public["parameters"]["mode"] == "public"
    ignore = (root / ".gitignore").read_text().splitlines()
    assert "data/*" in ignore and "reports/" in ignore and "local_measures/*" in ignore
    # the targets template is valid YAML naming every headline indicator, all commented out
    targets = (root / "params" / "targets" / "targets.yaml").read_text()
    assert "#  stability_3plus_placements: {target: , tolerance: }" in targets
    assert yaml.safe_load(targets)["targets"] is None


def test_init_params_fail_only_for_the_missing_data(tmp_path: Path) -> None:
    made = init_folder(tmp_path, la_code="826", period_end="2026-09-30")
    with pytest.raises(CppError) as info:
        load_spec(made.params)
    # everything else in the file is valid: the one problem is the empty data folder
    assert "population.csv" in str(info.value) and "problems" not in str(info.value)


def test_init_keeps_existing_files(tmp_path: Path, capsys) -> None:
    (tmp_path / "README.md").write_text("mine\n")
    assert main(["init", str(tmp_path), "--la-code", "826", "--period-end", "2026-09-30"]) == 0
    assert (tmp_path / "README.md").read_text() == "mine\n"
    assert "kept existing README.md" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ([], "give the council's code"),
        (["--la-code", "E06000999"], "is not a council in DfE's list"),
        (["--la-code", "826", "--period-end", "30/09/2026"], "did you mean '2026-09-30'?"),
    ],
)
def test_init_refuses_bad_input(tmp_path: Path, capsys, args: list[str], expected: str) -> None:
    assert main(["init", str(tmp_path / "x"), *args]) == 2
    assert expected in capsys.readouterr().err


def test_demo_folder_is_ready_to_run(tmp_path: Path) -> None:
    made = init_folder(tmp_path, demo=True)
    spec = load_spec(made.params)
    assert spec.parameters["data_dir"] == str(tmp_path / "data" / "synthetic")
    assert spec.parameters["synthetic"] is True
    assert len(read_targets(spec.parameters["targets_file"])) > 10


def _shared_site_packages() -> str:
    return sysconfig.get_paths()["purelib"]


@pytest.mark.slow
def test_wheel_installed_in_a_fresh_venv_runs_init_and_run(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV"}}
    env["HOME"] = str(tmp_path / "home")  # no user kernels or caches from this machine
    # the dependencies' data files (nbconvert's templates) are this environment's, as a pip
    # install of the dependencies into the fresh venv would have put them there
    templates = tmp_path / "jupyter"
    templates.mkdir()
    (templates / "nbconvert").symlink_to(Path(sys.prefix) / "share" / "jupyter" / "nbconvert")
    env["JUPYTER_PATH"] = str(templates)
    wheels = tmp_path / "wheels"
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=900,
        env=env,
    )
    if built.returncode != 0:
        pytest.skip(f"cannot build the wheel here: {built.stderr.strip()[-300:]}")
    (wheel,) = wheels.glob("cppanalytics-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for shipped in (
        "cppanalytics/py.typed",
        "cppanalytics/notebooks/quarterly_report.ipynb",
        "cppanalytics/workfolder/example_targets.yaml",
        "cppanalytics/workfolder/local_measures.csv",
    ):
        assert shipped in names

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=600)
    python = venv / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)],
        check=True,
        timeout=600,
        env=env,
    )
    # the dependencies come from this environment (no downloads): a .pth line after the
    # fresh venv's own site-packages, so cppanalytics itself is the installed wheel
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    Path(purelib, "shared-deps.pth").write_text(_shared_site_packages() + "\n")
    where = subprocess.run(
        [str(python), "-c", "import cppanalytics; print(cppanalytics.__file__)"],
        capture_output=True,
        text=True,
        check=True,
        env=env,
        cwd=tmp_path,
    ).stdout.strip()
    assert where.startswith(purelib), where

    cli = str(venv / "bin" / "cppanalytics")
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    subprocess.run(
        [cli, "init", "panel", "--demo"],
        cwd=outside,
        env=env,
        check=True,
        capture_output=True,
        timeout=900,
    )
    work = outside / "panel"
    params = "params/ouzel-vale-council-synthetic_2026-09-30.yaml"
    done = subprocess.run(
        [cli, "run", params], cwd=work, env=env, capture_output=True, text=True, timeout=1500
    )
    assert done.returncode == 0, done.stderr
    report = work / "reports" / "ouzel-vale-council-synthetic" / "2026-09-30" / "quarterly_report"
    html = (report / "quarterly_report.html").read_text(encoding="utf-8")
    assert "Ouzel Vale" in html and "<img" in html
    assert {"results.csv", "scorecard.xlsx", "manifest.json"} <= {p.name for p in report.iterdir()}
    assert "setuptools" not in done.stderr.lower()
    # the kernel ran the installed wheel's code, in the fresh venv
    manifest = (report / "manifest.json").read_text(encoding="utf-8")
    assert str(venv) in manifest and str(ROOT / "cppanalytics") not in manifest
