"""Load and validate SSDA903 ("903") files into a typed :class:`Dataset`.

:func:`load` is the entry point (also ``cppanalytics.load``); see
:mod:`cppanalytics.ssda903.loader` for the steps and :mod:`cppanalytics.ssda903.stitch` for
the rules that combine collection years.

``Dataset`` and ``load`` are imported when first asked for, so that a module of the
package that needs no pandas (:mod:`.plainread`, which starts reading the files while
the rest is imported) can be imported without it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cppanalytics.ssda903.dataset import Dataset
    from cppanalytics.ssda903.loader import load

__all__ = ["Dataset", "load"]


def __getattr__(name: str) -> Any:
    if name == "Dataset":
        from cppanalytics.ssda903.dataset import Dataset

        return Dataset
    if name == "load":
        from cppanalytics.ssda903.loader import load

        return load
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
