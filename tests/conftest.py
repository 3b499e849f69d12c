"""Shared test fixtures: paths to the repository, the demo data and ../shared references."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
REFERENCE = SHARED / "reference"
DEMO_DATA = ROOT / "data" / "synthetic"


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The repository root."""
    return ROOT


@pytest.fixture(scope="session")
def demo_data() -> Path:
    """The embedded synthetic council's 903 folder (skips if it has not been generated)."""
    if not DEMO_DATA.exists():
        pytest.skip("data/synthetic is absent: run `cppanalytics synth --out data/synthetic`")
    return DEMO_DATA


@pytest.fixture(scope="session")
def reference_dir() -> Path:
    """``../shared/reference`` (DfE files and peer samples); skips cleanly when absent."""
    if not REFERENCE.exists():
        pytest.skip("../shared/reference is not available on this machine")
    return REFERENCE


@pytest.fixture(scope="session")
def peer_samples(reference_dir: Path) -> Path:
    """The peer project's fake 903 sample set; skips cleanly when absent."""
    path = reference_dir / "peer-samples" / "validator-fake-data"
    if not path.exists():
        pytest.skip("peer samples not available")
    return path


@pytest.fixture(scope="session")
def dfe_dir(reference_dir: Path) -> Path:
    """DfE published statistics (explore-education-statistics CSVs, LAIT); skips when absent."""
    path = reference_dir / "dfe"
    if not path.exists():
        pytest.skip("DfE reference files not available")
    return path


# ---- running in parallel (pytest-xdist, as `python3 tasks.py test` does) -------------------

#: test modules whose tests share a session-scoped fixture, so they run on one worker
SHARED_FIXTURES = {
    # the demo council's reports (tests/reporting/conftest.py: demo_run, demo_public, demo_batch)
    "tests/reporting/test_end_to_end.py": "demo reports",
    "tests/reporting/test_batch_matches_indicators.py": "demo reports",
    "tests/reporting/test_pdf_marking.py": "demo reports",
    # a fresh build of the comparator table from DfE's files (tests/judgement/conftest.py)
    "tests/judgement/test_dfe_files.py": "DfE comparators build",
    "tests/judgement/test_no_dfe_figure.py": "DfE comparators build",
}


def xdist_group(nodeid: str) -> str:
    """The unit of work a pytest-xdist worker takes whole: a test's module (or the group of
    modules sharing a fixture, :data:`SHARED_FIXTURES`).

    Examples
    --------
    >>> xdist_group("tests/test_golden.py::test_figures_match_the_golden_files[results]")
    'tests/test_golden.py'
    >>> xdist_group("tests/reporting/test_end_to_end.py::test_annual_report")
    'demo reports'
    """
    module = nodeid.split("::", 1)[0]
    return SHARED_FIXTURES.get(module, module)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log):  # noqa: ANN001, ANN201
    """With ``--dist loadscope``: each module's tests go to one worker, in order, so an
    expensive module-scoped fixture (a demo report, a generated council) is built once, not
    once per worker, and modules sharing a session fixture go to the same worker."""
    if config.getvalue("dist") != "loadscope":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class ByModule(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return xdist_group(nodeid)

    return ByModule(config, log)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """On a pytest-xdist worker: the modules holding slow tests first (with
    ``--no-loadscope-reorder`` the workers take them in this order), so both workers stay
    busy to the end. A run without ``-n`` is left exactly as collected."""
    if not hasattr(config, "workerinput"):
        return
    slow = {xdist_group(item.nodeid) for item in items if item.get_closest_marker("slow")}
    # a stable sort: each module's tests keep their order
    items.sort(key=lambda item: xdist_group(item.nodeid) not in slow)
