"""Load and validate SSDA903 ("903") files into a typed :class:`Dataset`.

:func:`load` is the entry point (also ``cppanalytics.load``); see
:mod:`cppanalytics.ssda903.loader` for the steps and :mod:`cppanalytics.ssda903.stitch` for
the rules that combine collection years.
"""

from cppanalytics.ssda903.dataset import Dataset
from cppanalytics.ssda903.loader import load

__all__ = ["Dataset", "load"]
