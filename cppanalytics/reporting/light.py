"""Keep the report machinery's own process light before a kernel starts.

nbformat (papermill, nbconvert) imports jsonschema, which imports ``rfc3987_syntax`` when
it is installed (JupyterLab's event schemas pull it in) only to offer the "iri" string
formats; that import compiles 39 grammars, about 1.5 s of CPU before any kernel starts. No
notebook schema uses those formats, so the machinery's modules that import nbformat
(:mod:`.execute`, :mod:`.html`) do without them: jsonschema then simply offers no "iri"
check in that process. A kernel importing :mod:`cppanalytics.reporting` is left alone.

Examples
--------
>>> import sys
>>> without_iri_grammars()
>>> "rfc3987_syntax" in sys.modules
True
"""

from __future__ import annotations

import sys


def without_iri_grammars() -> None:
    """Mark ``rfc3987_syntax`` as not importable in this process, unless something has
    imported it already (then it is left as it is)."""
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]


__all__ = ["without_iri_grammars"]
