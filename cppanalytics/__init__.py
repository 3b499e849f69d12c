"""cppanalytics: Corporate Parenting Panel performance reports from SSDA903 data.

The data flows one way, and the package's sub-packages follow it:

``ssda903``      load and validate 903 files → a typed :class:`~cppanalytics.ssda903.dataset.Dataset`
``care``         periods of care, placements, carer spells and cohorts
``geography``    postcode distances and in/out of area
``indicators``   the catalogue and its computations (the tidy results contract)
``judgement``    comparators (England, region, neighbours), targets, RAG, small numbers,
                 disclosure control
``presentation`` tables, charts and generated text in the house style
``reporting``    parameter files, papermill runs, batches and HTML
``synth``        the synthetic council used for the demo and tests
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__", "compute", "load"]


def __getattr__(name: str):
    # lazy re-exports keep ``import cppanalytics`` fast
    if name == "load":
        from cppanalytics.ssda903 import load

        return load
    if name == "compute":
        from cppanalytics.indicators import compute

        return compute
    raise AttributeError(name)
