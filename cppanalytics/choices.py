"""The fixed choices of a report's parameters, in a module that imports nothing.

The report machinery's own process (``cppanalytics run``, a batch worker) checks a
parameter file against these before a kernel starts; keeping them here means it never
imports pandas, which only the kernel needs. :mod:`cppanalytics.pipeline` and
:mod:`cppanalytics.judgement.neighbours` read them from here.

Examples
--------
>>> MODES
('internal', 'public')
>>> NEIGHBOUR_SUMMARIES
('mean', 'median')
"""

from __future__ import annotations

#: allowed values of the ``mode`` parameter (``public`` = disclosure control, no ids)
MODES: tuple[str, ...] = ("internal", "public")
#: allowed values of the ``neighbour_summary`` parameter (as LAIT / as DfE's dashboard)
NEIGHBOUR_SUMMARIES: tuple[str, ...] = ("mean", "median")
#: the file read for the population when ``population_file`` is not given
POPULATION_FILE = "population.csv"
