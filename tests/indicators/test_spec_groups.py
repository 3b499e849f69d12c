"""The results contract's breakdown group labels match the spec, exactly (../shared/spec)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cppanalytics.indicators.catalogue import BREAKDOWN_GROUPS
from tests.conftest import SHARED

SPEC = SHARED / "spec" / "indicators.md"


def spec_groups() -> dict[str, list[str]]:
    """Breakdown → labels, read from the spec's "Labels, exactly:" list (ranges such as
    `PR0`…`PR5` expanded)."""
    text = SPEC.read_text(encoding="utf-8")
    block = text.split("Labels, exactly:", 1)[1].split("\n- ", 1)[0]

    def expand(m: re.Match) -> str:
        prefix, first, last = m.group(1), int(m.group(2)), int(m.group(3))
        return ", ".join(f"`{prefix}{i}`" for i in range(first, last + 1))

    block = re.sub(r"`([A-Z]+)(\d+)`\s*(?:…|\.\.\.)\s*`\1(\d+)`", expand, block)
    out: dict[str, list[str]] = {}
    for part in re.split(r"\n\s*- |; (?=`\w+`)", block):
        m = re.match(r"\s*`(\w+)`[^:]*:(.*)", part, flags=re.S)
        if m:
            labels = re.findall(r"`([^`]+)`", m.group(2))
            out[m.group(1)] = list(dict.fromkeys(labels))
    return out


def test_every_breakdown_has_the_spec_labels_in_order() -> None:
    if not SPEC.exists():
        pytest.skip("../shared/spec is not available on this machine")
    spec = spec_groups()
    assert set(spec) <= set(BREAKDOWN_GROUPS)
    # breakdowns added after the spec are defined, with their labels, in the project's docs
    docs = (Path(__file__).resolve().parents[2] / "docs" / "indicators_added.md").read_text(
        encoding="utf-8"
    )
    for name in set(BREAKDOWN_GROUPS) - set(spec):
        if name == "uasc_placement_group":  # the placement groups, under UASC's own name
            assert BREAKDOWN_GROUPS[name] == spec["placement_group"]
            continue
        for label in BREAKDOWN_GROUPS[name]:
            assert f"`{label}`" in docs, (name, label)
    for name, labels in spec.items():
        assert BREAKDOWN_GROUPS[name] == labels, name


def test_provider_and_cin_have_an_unknown_group() -> None:
    assert BREAKDOWN_GROUPS["provider"][-1] == "unknown"
    assert BREAKDOWN_GROUPS["cin"][-1] == "unknown"
