"""The real quarterly report on a hostile extract, public and internal (slow).

The attacker plants a future DOB, a postcode keyed into PLACE and another child's CHILD id
keyed into PLACE (:func:`tests.hostile.build.identifiers_in_findings`), then a local
measures file with a CHILD id in a group and a DOB and a postcode in notes. The public
report either publishes none of them (finding text quotes no value) or refuses with exit
status 2 and nothing in the public folder; the internal report still runs.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from cppanalytics.cli import main
from cppanalytics.reporting.params import load_spec
from cppanalytics.reporting.publication import DisclosureError, check_folder
from cppanalytics.reporting.report import extract_identifiers
from tests.conftest import ROOT
from tests.hostile.build import identifiers_in_findings, identifiers_in_local_measures

pytestmark = pytest.mark.slow

YEARS = ("2023-24", "2024-25", "2025-26", "2026-27")
PERIOD = "2026-09-30"
COUNCIL = "ouzel-vale-council-synthetic"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    notebook = ROOT / "notebooks" / "quarterly_report.ipynb"
    if not notebook.exists() or not (ROOT / "data" / "synthetic").exists():
        pytest.skip("demo notebook or data absent")
    root = tmp_path_factory.mktemp("hostile_project")
    (root / "notebooks").mkdir()
    shutil.copyfile(notebook, root / "notebooks" / notebook.name)
    planted = identifiers_in_findings(root / "data", ROOT / "data" / "synthetic", YEARS)
    identifiers_in_local_measures(root / "local.csv", planted, PERIOD, "group")
    return root, planted


def _params(root: Path, mode: str, local: str = "") -> Path:
    doc = {
        "report": {"notebook": "quarterly_report", "output_root": "reports"},
        "parameters": {
            "council_name": "Ouzel Vale Council (synthetic)",
            "la_code": "E06000042",
            "period_end": PERIOD,
            "data_dir": "data",
            "local_measures_file": local,
            "targets_file": "",
            "mode": mode,
            "synthetic": True,
        },
    }
    (root / "params").mkdir(exist_ok=True)
    path = root / "params" / f"{mode}{'_local' if local else ''}.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False))
    return path


def _planted_in(folder: Path, planted: dict[str, str]) -> list[str]:
    found = []
    for path in folder.rglob("*"):
        if not path.is_file() or path.suffix == ".xlsx":
            continue
        text = re.sub(
            r"data:image/[a-z+]+;base64,[A-Za-z0-9+/=]+",
            "",
            path.read_text(encoding="utf-8", errors="replace"),
        )
        text = re.sub(r'"image/png": "[^"]*"', "", text)
        for kind, value in planted.items():
            if re.search(rf"(?<![\w.]){re.escape(value)}(?![\w])", text) or (
                kind == "dob" and "2035-06-30" in text
            ):
                found.append(f"{path.name}: {kind}")
    return found


def test_public_report_quotes_no_planted_value(project, capsys) -> None:
    root, planted = project
    assert main(["run", str(_params(root, "public"))]) == 0, capsys.readouterr().err
    folder = root / "reports" / COUNCIL / PERIOD / "quarterly_report_public"
    assert _planted_in(folder, planted) == []
    page = (folder / "quarterly_report_public.html").read_text(encoding="utf-8")
    assert "DOB is after today" in page  # the finding is reported, without its value


def test_internal_report_runs_and_the_check_would_refuse_it(project, capsys) -> None:
    root, planted = project
    params = _params(root, "internal")
    assert main(["run", str(params)]) == 0, capsys.readouterr().err
    folder = root / "reports" / COUNCIL / PERIOD / "quarterly_report"
    assert _planted_in(folder, planted)  # internal shows the values, as the analyst needs
    with pytest.raises(DisclosureError, match="was not published"):
        check_folder(folder, extract_identifiers(load_spec(params)))


def test_public_report_with_identifiers_in_local_measures_refuses(project, capsys) -> None:
    root, _planted = project
    out = root / "refused"
    status = main(["run", str(_params(root, "public", "local.csv")), "--output-root", str(out)])
    err = capsys.readouterr().err
    assert status == 2, err
    assert "local.csv row 2, column 'group'" in err and "Traceback" not in err
    assert [p for p in out.rglob("*") if p.is_file()] == []  # nothing published, nothing kept


def test_internal_report_with_identifiers_in_local_measures_runs(project, capsys) -> None:
    root, _planted = project
    assert main(["run", str(_params(root, "internal", "local.csv"))]) == 0, capsys.readouterr().err
