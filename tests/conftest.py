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
