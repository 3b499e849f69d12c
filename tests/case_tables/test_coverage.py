"""Every catalogue indicator has hand-worked case tables in this folder."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

from cppanalytics.indicators.catalogue import ids

MODULES = (
    "test_population",
    "test_stability",
    "test_location",
    "test_health",
    "test_care_leavers",
    "test_adoption",
    "test_missing_sw",
    "test_reviews",
    "test_sufficiency",
)


def test_every_indicator_has_case_tables():
    covered: set[str] = set()
    for name in MODULES:
        covered |= set(importlib.import_module(f"{__package__}.{name}").COVERED)
    missing = sorted(set(ids()) - covered)
    assert not missing, f"indicators without case tables: {missing}"
    assert not covered - set(ids()), sorted(covered - set(ids()))


def test_every_covered_id_is_checked_by_name():
    # each id (or, for the care leavers, its measure/age pattern) is named in a check
    text = "\n".join(
        p.read_text()
        for p in Path(__file__).parent.glob("test_*.py")
        if p.name not in ("test_coverage.py", "test_properties.py")
    )
    for i in ids():
        if i.startswith("care_leavers_"):
            assert re.search(r'f"care_leavers_\{measure\}_\{age\}"', text)
            continue
        assert f'"{i}"' in text, i
