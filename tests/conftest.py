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


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """On a pytest-xdist worker (``-n N --dist loadgroup``): keep each module's tests on one
    worker, in order, and hand out the modules holding slow tests first.

    A module's expensive module-scoped fixture (a demo report, a generated council) is then
    built once, not once per worker, and tests that read another test's output in the same
    module still see it. A module (or test) marked ``xdist_group("name")`` joins the other
    modules of that group, for fixtures shared between modules. Running the slowest groups
    first keeps both workers busy to the end. A run without ``-n`` is left exactly as
    collected.
    """
    if not hasattr(config, "workerinput"):
        return
    for item in items:
        if item.get_closest_marker("xdist_group") is None:
            item.add_marker(pytest.mark.xdist_group(str(item.path)))

    def group(item: pytest.Item) -> str:
        mark = item.get_closest_marker("xdist_group")
        assert mark is not None
        return str(mark.args[0] if mark.args else mark.kwargs.get("name", "default"))

    slow = {group(item) for item in items if item.get_closest_marker("slow")}
    items.sort(key=lambda item: group(item) not in slow)  # stable: same order within a group
