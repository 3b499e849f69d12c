"""The stages' boundaries, checked on the source: presentation formats a
:class:`~cppanalytics.pipeline.ReportData` and never loads or computes itself."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "cppanalytics"

#: modules presentation may not import: the loader and the engine (the catalogue, a
#: definition, is allowed)
FORBIDDEN = (
    "cppanalytics.ssda903",
    "cppanalytics.care",
    "cppanalytics.indicators",
    "cppanalytics.judgement.judge",
)
ALLOWED = ("cppanalytics.indicators.catalogue",)


def imports_of(path: Path) -> list[str]:
    """Every name a source file imports, dotted (``from a import b`` gives ``a.b``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found += [f"{node.module}.{a.name}" for a in node.names]
    return found


def _forbidden(module: str) -> bool:
    if any(module == a or module.startswith(a + ".") for a in ALLOWED):
        return False
    if module in ("cppanalytics.load", "cppanalytics.compute"):
        return True
    return any(module == f or module.startswith(f + ".") for f in FORBIDDEN)


def test_the_checker_sees_a_forbidden_import(tmp_path: Path) -> None:
    source = tmp_path / "x.py"
    source.write_text(
        "def f():\n    from cppanalytics.indicators import compute\n"
        "from cppanalytics.indicators.catalogue import CATALOGUE\n"
    )
    bad = [m for m in imports_of(source) if _forbidden(m)]
    assert bad == ["cppanalytics.indicators.compute"]


@pytest.mark.parametrize(
    "path", sorted((PACKAGE / "presentation").glob("*.py")), ids=lambda p: p.name
)
def test_presentation_imports_neither_loader_nor_engine(path: Path) -> None:
    bad = [m for m in imports_of(path) if _forbidden(m)]
    assert not bad, f"{path.name} imports {bad}: take the figures from ReportData instead"
