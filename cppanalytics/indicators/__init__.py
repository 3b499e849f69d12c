"""Indicators: the catalogue and its computations (the tidy results contract).

The public entry point is :func:`compute` (also ``cppanalytics.compute``); indicator
modules (``population``, ``stability``, ``location``, ``adoption``, ``health``,
``care_leavers``, ``missing``, ``social_workers``) each expose ``IDS`` and
``compute(ctx, ids)`` over a :class:`~cppanalytics.indicators.context.Context`.
"""

from __future__ import annotations

from cppanalytics.indicators.compute import compute
from cppanalytics.indicators.context import Context
from cppanalytics.indicators.settings import Settings

__all__ = ["Context", "Settings", "compute"]
