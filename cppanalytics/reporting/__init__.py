"""Report machinery: parameter files, papermill runs, HTML conversion, outputs and batches.

A report run (``cppanalytics run params/FILE.yaml``) goes through these stages, each in
its own module:

``params``    read the YAML parameter file and validate it against the notebook's tagged
              ``parameters`` cell *before* a kernel starts (unknown names, wrong types,
              YAML dates/numbers kept as text, paths made absolute, missing inputs).
``execute``   run the notebook with papermill on the venv's ``python3`` kernel, quietly.
``html``      convert the executed notebook to one self-contained HTML file (code hidden,
              no stderr/warnings, table of contents, A4 print CSS, no external resources).
``outputs``   the report folder ``reports/<council-slug>/<period_end>/``, written
              atomically, and the accessible scorecard spreadsheet.
``manifest``  ``manifest.json``: versions, git commit, parameters, input hashes, timings.
``report``    :func:`run_report`, the whole run for one parameter file.
``batch``     many parameter files in parallel (processes, or a Dask cluster).

How a notebook hands its tables to the machinery (the agreement with ``notebooks/``)
-----------------------------------------------------------------------------------
Every report notebook declares, in its ``parameters`` cell, besides the agreed set::

    output_dir = ""                  # "" = interactive use: nothing is written

The machinery sets ``output_dir`` to the (temporary) report folder. Near its end the
notebook calls::

    from cppanalytics.reporting import export_tables
    export_tables(output_dir, results=judged, scorecard=scorecard, title=...)

which writes ``results.csv`` (the judged results table) and ``scorecard.xlsx`` (the
scorecard as an accessible spreadsheet) into ``output_dir``, and does nothing when
``output_dir`` is ``""``. Both tables must already be publishable for the chosen ``mode``
(``export_tables`` refuses columns that identify children: CHILD, UPN, DOB, postcodes).

Cells tagged ``remove_cell`` are dropped from the HTML; cells tagged ``remove_input`` show
only their output (all code is hidden anyway). stderr output is never shown in the HTML.

Examples
--------
>>> from cppanalytics.reporting import export_tables
>>> export_tables("", results=None, scorecard=None)  # interactive: writes nothing
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

__all__ = ["export_tables", "run_report"]


def export_tables(
    output_dir: str | Path,
    *,
    results: Any = None,
    scorecard: Any = None,
    title: str = "Scorecard",
    notes: str = "",
    mode: str = "",
    report: Any = None,
) -> None:
    """Write the report's tables for the machinery (no-op when ``output_dir`` is ``""``);
    a public report's last disclosure check runs first (``report``).

    Returns ``None`` so that, as the last line of a cell, it displays nothing in the
    report. See :func:`cppanalytics.reporting.outputs.export_tables`.

    Examples
    --------
    >>> export_tables("")
    """
    from cppanalytics.reporting.outputs import export_tables as _export

    _export(
        output_dir,
        results=results,
        scorecard=scorecard,
        title=title,
        notes=notes,
        mode=mode,
        report=report,
    )
    return None


def run_report(*args: Any, **kwargs: Any) -> Any:
    """Run one report from a parameter file; see :func:`cppanalytics.reporting.report.run_report`."""
    from cppanalytics.reporting.report import run_report as _run

    return _run(*args, **kwargs)
