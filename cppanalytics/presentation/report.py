"""Everything a report notebook needs, built once per kernel: load → compute → judge.

:func:`build_report_data` takes the notebook parameters, loads the 903 folder, computes
every indicator at the last 12 quarter ends (and, for the annual report, the last five
31 Marches), adds the council's local measures, judges the lot against comparators and
targets, applies disclosure control in public mode, and returns a :class:`ReportData`.
The result is cached in the kernel, so re-running a notebook cell is instant.

Examples
--------
>>> p = ReportParams.from_notebook(council_name="X", la_code="E06000042",
...                                period_end="2026-09-30", data_dir="data")
>>> p.in_year, p.public
(True, False)
>>> [d.strftime("%Y-%m-%d") for d in report_period_ends("2026-09-30")][:2]
['2023-12-31', '2024-03-31']
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from cppanalytics import dates
from cppanalytics.errors import CppError
from cppanalytics.findings import normalise_findings

MODES = ("internal", "public")
_CACHE: dict[tuple, ReportData] = {}


@dataclass(frozen=True)
class ReportParams:
    """The notebook parameters, checked (see ``notebooks/*.ipynb``'s parameters cell)."""

    council_name: str
    la_code: str
    period_end: pd.Timestamp
    data_dir: Path
    population_file: Path | None = None
    targets_file: Path | None = None
    comparators_file: Path | None = None
    local_measures_file: Path | None = None
    mode: str = "internal"
    neighbour_summary: str = "mean"
    synthetic: bool = False
    annual_years: int = 5

    @classmethod
    def from_notebook(
        cls,
        *,
        council_name: str,
        la_code: str,
        period_end: str,
        data_dir: str,
        population_file: str = "",
        targets_file: str = "",
        comparators_file: str = "",
        local_measures_file: str = "",
        mode: str = "internal",
        neighbour_summary: str = "mean",
        synthetic: bool = False,
        **_other: object,
    ) -> ReportParams:
        """Check the notebook's parameters and resolve paths ("" = not given).

        Raises :class:`CppError` naming the parameter and what to do.
        """
        if mode not in MODES:
            raise CppError(f"parameter mode={mode!r}: use 'internal' or 'public'.")
        if neighbour_summary not in ("mean", "median"):
            raise CppError(f"parameter neighbour_summary={neighbour_summary!r}: use 'mean' or "
                           "'median'.")
        try:
            pe = dates.as_date(period_end)
        except (ValueError, TypeError) as exc:
            raise CppError(f"parameter period_end={period_end!r} is not a date; write it as "
                           "YYYY-MM-DD (a quarter end such as 2026-09-30).") from exc

        def opt(value: str) -> Path | None:
            return Path(value) if str(value).strip() else None

        data = Path(data_dir)
        population = opt(population_file)
        if population is None and (data / "population.csv").exists():
            population = data / "population.csv"
        return cls(
            council_name=council_name, la_code=la_code, period_end=pe, data_dir=data,
            population_file=population, targets_file=opt(targets_file),
            comparators_file=opt(comparators_file), local_measures_file=opt(local_measures_file),
            mode=mode, neighbour_summary=neighbour_summary, synthetic=bool(synthetic),
        )

    @property
    def public(self) -> bool:
        """True for a report published outside the council (disclosure control on)."""
        return self.mode == "public"

    @property
    def in_year(self) -> bool:
        """True unless the period end is 31 March (figures are local, unvalidated by DfE)."""
        return not (self.period_end.month == 3 and self.period_end.day == 31)

    def check_inputs(self) -> None:
        """Raise :class:`CppError` for an input file or folder that does not exist."""
        if not self.data_dir.exists():
            raise CppError(f"data_dir {self.data_dir} does not exist; point it at the folder "
                           "of 903 files (one sub-folder per collection year).")
        for name in ("population_file", "targets_file", "comparators_file",
                     "local_measures_file"):
            path = getattr(self, name)
            if path is not None and not path.exists():
                raise CppError(f"{name} {path} does not exist; fix the path or set it to \"\".")


@dataclass
class ReportData:
    """What every section reads. ``judged`` is already disclosure-controlled in public mode."""

    params: ReportParams
    data: object
    results: pd.DataFrame
    judged: pd.DataFrame
    findings: pd.DataFrame
    period_ends: list[pd.Timestamp]
    population: pd.DataFrame | None = None
    extras: dict[str, object] = field(default_factory=dict)

    @property
    def quarter_ends(self) -> list[pd.Timestamp]:
        """The quarter ends shown in by-quarter tables (up to 12, ending at the period end)."""
        pe = self.params.period_end
        return [d for d in self.period_ends if d <= pe and d > dates.minus_months(pe, 36)]


    @property
    def table_quarters(self) -> list[pd.Timestamp]:
        """The quarter ends shown as table columns (the last 8, to fit an A4 page)."""
        return self.quarter_ends[-8:]


def report_period_ends(period_end: str | pd.Timestamp, *, quarters: int = 12,
                       marches: int = 0) -> list[pd.Timestamp]:
    """The period ends a report computes: the last ``quarters`` quarter ends up to
    ``period_end`` and the last ``marches`` 31 Marches, sorted, without repeats.

    Examples
    --------
    >>> len(report_period_ends("2026-03-31", quarters=4, marches=5))
    8
    """
    pe = dates.as_date(period_end)
    ends = set(dates.quarter_ends(dates.minus_months(pe, 3 * (quarters - 1)), pe))
    if pe.month == 3 and pe.day == 31:
        march = pe
    else:
        march = pd.Timestamp(year=pe.year if pe.month > 3 else pe.year - 1, month=3, day=31)
    ends.update(dates.minus_years(march, k) for k in range(marches))
    ends.add(pe)
    return sorted(ends)


@contextlib.contextmanager
def quiet():
    """Silence warnings, log records and stray prints (the report shows no stderr)."""
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.CRITICAL)
    with warnings.catch_warnings(), contextlib.redirect_stderr(io.StringIO()):
        warnings.simplefilter("ignore")
        try:
            yield
        finally:
            root.setLevel(level)


def _mtime(path: Path | None) -> float:
    try:
        return os.path.getmtime(path) if path is not None else 0.0
    except OSError:
        return 0.0


def build_report_data(*, annual: bool = False, **notebook_params: object) -> ReportData:
    """Load, compute and judge for a report; cached in the kernel by parameters.

    Pass the notebook's parameters as keywords (``council_name=…, la_code=…`` …; unknown
    ones such as ``output_dir`` are ignored). ``annual=True`` also computes the last five
    31 Marches for the annual report.
    """
    params = ReportParams.from_notebook(**notebook_params)  # type: ignore[arg-type]
    params.check_inputs()
    key = (params, annual, _mtime(params.data_dir), _mtime(params.targets_file),
           _mtime(params.local_measures_file), _mtime(params.population_file))
    if key in _CACHE:
        return _CACHE[key]
    with quiet():
        report = _build(params, annual=annual)
    _CACHE[key] = report
    return report


def _build(params: ReportParams, *, annual: bool) -> ReportData:
    from cppanalytics.findings import Findings
    from cppanalytics.indicators import compute
    from cppanalytics.indicators.population import read_population
    from cppanalytics.judgement.judge import judge
    from cppanalytics.results import normalise_results, read_results
    from cppanalytics.ssda903 import load
    from cppanalytics.ssda903.coverage import check_period_ends

    data = load([params.data_dir], la_code=params.la_code)
    check_period_ends(data, [params.period_end])  # a period the data cannot answer: refused
    findings = Findings()
    findings.extend(normalise_findings(data.findings))
    population = (read_population(params.population_file, params.la_code)
                  if params.population_file is not None else None)
    ends = report_period_ends(params.period_end, marches=params.annual_years if annual else 0)
    results = compute(data, ends, population=population, la_code=params.la_code,
                      findings=findings)
    ids = None
    if params.public:
        from cppanalytics.reporting.publication import check_local_measures, identifiers_of

        ids = identifiers_of(data)
        if params.local_measures_file is not None:
            check_local_measures(params.local_measures_file, ids)
    if params.local_measures_file is not None:
        local = read_results(params.local_measures_file)
        results = normalise_results(pd.concat([results, local], ignore_index=True))
    if params.public:
        from cppanalytics.judgement.disclosure import suppress_results

        results = suppress_results(results, "public")
    judged = judge(
        results, la_code=params.la_code, comparators=params.comparators_file,
        targets=params.targets_file, neighbour_summary=params.neighbour_summary,
    )
    if params.public:
        from cppanalytics.reporting.publication import assert_publishable

        assert_publishable(judged, ids or (), what="judged results")
    report = ReportData(
        params=params, data=data, results=results, judged=judged,
        findings=findings.to_frame(), period_ends=ends, population=population,
    )
    if ids is not None:
        report.extras["identifiers"] = ids
    return report


def shown_findings(report: ReportData) -> pd.DataFrame:
    """The findings as the report may show them: all of them internally; in public mode
    without children, files, rows or values, and with text that quotes no value
    (:func:`cppanalytics.reporting.publication.public_findings`)."""
    if not report.params.public:
        return report.findings
    from cppanalytics.reporting.publication import identifiers_of, public_findings

    if "identifiers" not in report.extras:
        report.extras["identifiers"] = identifiers_of(report.data)
    return public_findings(report.findings, report.extras["identifiers"])  # type: ignore[arg-type]


def context(report: ReportData, period_end: str | pd.Timestamp | None = None) -> object:
    """An indicator :class:`~cppanalytics.indicators.context.Context` for the report's data
    at ``period_end`` (default: the report's), for tracking and drill-down tables."""
    from cppanalytics.indicators.context import Context

    d = report.params.period_end if period_end is None else dates.as_date(period_end)
    key = f"ctx:{d.date()}"
    if key not in report.extras:
        report.extras[key] = Context(report.data, d, population=report.population,  # type: ignore[arg-type]
                                     la_code=report.params.la_code)
    return report.extras[key]
