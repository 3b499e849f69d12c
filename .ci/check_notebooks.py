#!/usr/bin/env python3
"""Fail when a notebook holds outputs or execution counts (committed notebooks stay clean).

Usage: ``python .ci/check_notebooks.py notebooks/*.ipynb`` (the pre-commit hook and
``tests/test_quality.py`` run it). Exit status 0 when clean, 1 naming each offending cell.
Strip a notebook with ``nbstripout --keep-id notebooks/NAME.ipynb``.
"""

from __future__ import annotations

import json
import sys


def problems(path: str) -> list[str]:
    """The cells of one notebook that hold outputs or an execution count."""
    with open(path, encoding="utf-8") as handle:
        notebook = json.load(handle)
    found = []
    for number, cell in enumerate(notebook.get("cells", []), start=1):
        if cell.get("cell_type") != "code":
            continue
        if cell.get("outputs") or cell.get("execution_count") is not None:
            found.append(f"{path}: cell {number} holds outputs; run nbstripout --keep-id {path}")
    return found


def main(paths: list[str]) -> int:
    """Check every notebook given; print one line per offending cell."""
    found = [line for path in paths for line in problems(path)]
    print("\n".join(found) if found else "notebooks hold no outputs")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
