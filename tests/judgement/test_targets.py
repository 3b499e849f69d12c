"""Targets files: YAML and CSV, validation messages, the shipped example."""

from __future__ import annotations

from pathlib import Path

import pytest

from cppanalytics.errors import CppError
from cppanalytics.indicators import catalogue
from cppanalytics.judgement.targets import read_targets

ROOT = Path(__file__).resolve().parents[2]


def test_example_targets_valid() -> None:
    t = read_targets(ROOT / "params" / "targets" / "example.yaml")
    assert len(t) >= 15
    assert set(t.indicator_id) <= set(catalogue.ids())
    assert t.set_index("indicator_id").loc["cla_rate_per_10k", "polarity"] == "down"
    assert t.set_index("indicator_id").loc["stability_3plus_placements", "polarity"] == "down"


def test_csv_targets(tmp_path) -> None:
    p = tmp_path / "t.csv"
    p.write_text("indicator_id,target,tolerance\nhealth_assessment,90,5\nsdq_average,14,\n")
    t = read_targets(p).set_index("indicator_id")
    assert t.loc["sdq_average", "tolerance"] == 0.0 and t.loc["sdq_average", "polarity"] == "down"


@pytest.mark.parametrize(
    "body,message",
    [
        ("targets:\n  health_assessment: {target: ninety}\n", "not a number"),
        ("targets:\n  health_assessment: {target: 90, tolrance: 5}\n", "unknown key"),
        ("targets:\n  cla_count: {target: 400}\n", "needs polarity"),
        ("targets:\n  health_assessment: {target: 90, tolerance: -1}\n", "negative"),
        ("- 1\n", "targets:"),
    ],
)
def test_bad_targets_named(tmp_path, body: str, message: str) -> None:
    p = tmp_path / "bad.yaml"
    p.write_text(body)
    with pytest.raises(CppError, match=message) as err:
        read_targets(p)
    assert "bad.yaml" in str(err.value)


def test_targets_file_with_an_alias_bomb_or_binary_junk_is_one_plain_error(tmp_path):
    from cppanalytics.errors import CppError

    bomb = tmp_path / "bomb.yaml"
    bomb.write_text(
        'a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x"]\n'
        "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
        "targets: {cla_count: *b}\n"
    )
    with pytest.raises(CppError, match=r"bomb.yaml: line 2, column 8: not valid YAML \(aliases"):
        read_targets(bomb)
    junk = tmp_path / "junk.yaml"
    junk.write_bytes(b"targets:\n  cla_count: {target: \xff}\n")
    with pytest.raises(CppError, match="junk.yaml: line 2: not UTF-8 text"):
        read_targets(junk)
