"""How much of the info-level findings a findings CSV gets: the choices of ``--findings``.

Kept apart from :mod:`cppanalytics.findings` (which needs pandas) so the command line can
build its parsers, print ``--help`` and refuse a bad argument without importing pandas.

Examples
--------
>>> FINDINGS_DETAIL
('summary', 'all')
"""

from __future__ import annotations

#: ``summary`` folds info-level findings of one kind per file into one counted row;
#: ``all`` writes every finding row by row
FINDINGS_DETAIL: tuple[str, ...] = ("summary", "all")
