"""The report pipeline: load → compute → judge → disclose, once, into a :class:`ReportData`.

This is the seam between the stages that work out figures (:mod:`cppanalytics.ssda903`,
:mod:`cppanalytics.indicators`, :mod:`cppanalytics.judgement`) and the one that shows them
(:mod:`cppanalytics.presentation`). :func:`build_report_data` takes a notebook's
parameters, checks them (:class:`ReportParams`, the one place they are validated), loads
the 903 folder, computes every indicator at the last 12 quarter ends (and, for the annual
report, the last five 31 Marches), adds the council's local measures, applies disclosure
control in public mode, judges the lot against comparators and targets and works out the
drill-down tables the sections show (long-term stability tracking, who had 3+ placements,
the care-leaver year-end projection). Presentation modules take the returned object and
only format it; none of them imports the loader or the engine.

The analyst's explorer asks for figures at any date: :func:`explore` computes them from
the same loaded data (internal mode only).

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
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from cppanalytics import dates
from cppanalytics.choices import MODES, NEIGHBOUR_SUMMARIES, POPULATION_FILE
from cppanalytics.errors import CppError
from cppanalytics.findings import normalise_findings

if TYPE_CHECKING:  # pragma: no cover
    from cppanalytics.indicators.context import Context
    from cppanalytics.ssda903.dataset import Dataset

#: the explorer's drill-down cohorts
COHORTS: tuple[str, ...] = (
    "looked_after",
    "three_plus_placements",
    "long_term_cohort",
    "continuously_12m",
)

_CACHE: dict[tuple, ReportData] = {}
#: the care-leaver age groups the report's projection table shows
PROJECTION_GROUPS: tuple[str, ...] = ("17_18", "19_21")


def default_population_file(data_dir: str | Path) -> Path | None:
    """``population.csv`` beside the 903 files when it exists (the population default).

    Parameters
    ----------
    data_dir
        the folder of 903 files.

    Returns
    -------
    pathlib.Path or None
        the file, or None when the folder holds none.

    Examples
    --------
    >>> default_population_file("no/such/folder") is None
    True
    """
    path = Path(data_dir) / POPULATION_FILE
    return path if path.is_file() else None


def check_choice(name: str, value: object, allowed: Sequence[str]) -> str:
    """Check a parameter against its allowed values; a plain :class:`CppError` otherwise.

    Parameters
    ----------
    name
        the parameter's name (for the message).
    value
        the value given.
    allowed
        the values allowed.

    Returns
    -------
    str
        ``value``.

    Examples
    --------
    >>> check_choice("mode", "public", MODES)
    'public'
    """
    if value not in allowed:
        raise CppError(
            f"parameter {name}={value!r}: use " + " or ".join(repr(a) for a in allowed) + "."
        )
    return str(value)


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
        """Check the notebook's parameters and resolve paths (``""`` = not given).

        Parameters
        ----------
        council_name, la_code, period_end, data_dir, population_file, targets_file, \
comparators_file, local_measures_file, mode, neighbour_summary, synthetic
            as in the notebooks' parameters cell; other keywords are ignored.

        Returns
        -------
        ReportParams
            the checked parameters; the population defaults to ``population.csv`` in
            ``data_dir`` when it exists.

        Raises
        ------
        CppError
            naming the parameter and what to do.
        """
        check_choice("mode", mode, MODES)
        check_choice("neighbour_summary", neighbour_summary, NEIGHBOUR_SUMMARIES)
        try:
            pe = dates.as_date(period_end)
        except (ValueError, TypeError) as exc:
            raise CppError(
                f"parameter period_end={period_end!r} is not a date; write it as "
                "YYYY-MM-DD (a quarter end such as 2026-09-30)."
            ) from exc

        def opt(value: str) -> Path | None:
            return Path(value) if str(value).strip() else None

        data = Path(data_dir)
        population = opt(population_file) or default_population_file(data)
        return cls(
            council_name=council_name,
            la_code=la_code,
            period_end=pe,
            data_dir=data,
            population_file=population,
            targets_file=opt(targets_file),
            comparators_file=opt(comparators_file),
            local_measures_file=opt(local_measures_file),
            mode=mode,
            neighbour_summary=neighbour_summary,
            synthetic=bool(synthetic),
        )

    @property
    def public(self) -> bool:
        """True for a report published outside the council (disclosure control on)."""
        return self.mode == "public"

    @property
    def in_year(self) -> bool:
        """True unless the period end is 31 March (figures are local, unvalidated by DfE)."""
        return not dates.is_year_end(self.period_end)

    def check_inputs(self) -> None:
        """Raise :class:`CppError` for an input file or folder that does not exist."""
        if not self.data_dir.exists():
            raise CppError(
                f"data_dir {self.data_dir} does not exist; point it at the folder "
                "of 903 files (one sub-folder per collection year)."
            )
        for name in ("population_file", "targets_file", "comparators_file", "local_measures_file"):
            path = getattr(self, name)
            if path is not None and not path.exists():
                raise CppError(f'{name} {path} does not exist; fix the path or set it to "".')


@dataclass
class ReportData:
    """Everything a report shows, worked out; presentation only formats it.

    Attributes
    ----------
    params
        the checked parameters.
    results
        results-contract rows at every period end (disclosure-controlled in public mode).
    judged
        ``results`` plus the judgement columns (:func:`cppanalytics.judgement.judge`).
    findings
        data-quality findings from loading and computing (one row each).
    period_ends
        the dates computed, oldest first.
    population
        the ONS 0-17 population used, if any.
    extract_date
        the date of the 903 extract, when known.
    tracking
        long-term stability in-year tracking rows
        (:func:`cppanalytics.indicators.stability.long_term_tracking`): this year to date
        (in-year) and the last three 31 Marches.
    three_plus
        children in care at the period end with 3+ placements since 1 April, by age band
        and time in care (:func:`cppanalytics.indicators.stability.three_plus_profile`).
    projection
        care-leaver year-end projection in-year
        (:func:`cppanalytics.indicators.care_leavers.yearend_projection`), else None.
    drilldown_errors
        why a drill-down table could not be built (table name → message).
    published
        DfE's published figures by year (the council's own, England, region, neighbours)
        for the education section and the England-only breakdowns
        (:func:`cppanalytics.judgement.judge.published_series`).
    data
        the loaded dataset (for :func:`explore`; presentation never reads it).
    extras
        a per-report cache for presentation (formatted frames).
    """

    params: ReportParams
    results: pd.DataFrame
    judged: pd.DataFrame
    findings: pd.DataFrame
    period_ends: list[pd.Timestamp]
    population: pd.DataFrame | None = None
    extract_date: pd.Timestamp | None = None
    tracking: pd.DataFrame | None = None
    three_plus: pd.DataFrame | None = None
    projection: pd.DataFrame | None = None
    drilldown_errors: dict[str, str] = field(default_factory=dict)
    published: pd.DataFrame | None = None
    data: Dataset | None = None
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

    def shown_findings(self) -> pd.DataFrame:
        """The findings as the report may show them: all of them internally; in public mode
        without children, files, rows or values, and with text that quotes no value
        (:func:`cppanalytics.reporting.publication.public_findings`).

        Returns
        -------
        pandas.DataFrame
            the findings to show.
        """
        if not self.params.public:
            return self.findings
        from cppanalytics.reporting.publication import identifiers_of, public_findings

        if "identifiers" not in self.extras:
            self.extras["identifiers"] = identifiers_of(self.data)
        return public_findings(self.findings, self.extras["identifiers"])  # type: ignore[arg-type]

    @property
    def march_ends(self) -> list[pd.Timestamp]:
        """The 31 Marches computed up to the period end, oldest first."""
        return [d for d in self.period_ends if dates.is_year_end(d) and d <= self.params.period_end]


def report_period_ends(
    period_end: str | pd.Timestamp, *, quarters: int = 12, marches: int = 0
) -> list[pd.Timestamp]:
    """The period ends a report computes.

    Parameters
    ----------
    period_end
        the report's date.
    quarters
        how many quarter ends up to ``period_end``.
    marches
        how many 31 Marches up to ``period_end`` (the annual report's five years).

    Returns
    -------
    list of pandas.Timestamp
        sorted, without repeats.

    Examples
    --------
    >>> len(report_period_ends("2026-03-31", quarters=4, marches=5))
    8
    """
    pe = dates.as_date(period_end)
    ends = set(dates.quarter_ends(dates.minus_months(pe, 3 * (quarters - 1)), pe))
    march = dates.last_march(pe)
    ends.update(dates.minus_years(march, k) for k in range(marches))
    ends.add(pe)
    return sorted(ends)


def tracking_ends(period_end: pd.Timestamp) -> list[pd.Timestamp]:
    """Dates of the long-term stability tracking rows: the period end (in-year) and the
    last three 31 Marches, newest first.

    Parameters
    ----------
    period_end
        the report's date.

    Returns
    -------
    list of pandas.Timestamp
        without repeats.

    Examples
    --------
    >>> [d.strftime("%Y-%m-%d") for d in tracking_ends(pd.Timestamp("2026-09-30"))]
    ['2026-09-30', '2026-03-31', '2025-03-31', '2024-03-31']
    """
    march = dates.last_march(period_end)
    ends = [] if dates.is_year_end(period_end) else [period_end]
    ends += [dates.minus_years(march, k) for k in range(3)]
    return list(dict.fromkeys(ends))


@contextlib.contextmanager
def quiet() -> Iterator[None]:
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
    """Load, compute, judge and disclose for a report; cached in the kernel by parameters.

    Parameters
    ----------
    annual
        also compute the last five 31 Marches (the annual report).
    **notebook_params
        the notebook's parameters (``council_name=…, la_code=…`` …); unknown ones such
        as ``output_dir`` are ignored.

    Returns
    -------
    ReportData
        the figures, judgement and drill-downs the report shows.

    Raises
    ------
    CppError
        a bad parameter or a missing input file, named.
    """
    params = ReportParams.from_notebook(**notebook_params)  # type: ignore[arg-type]
    params.check_inputs()
    key = (
        params,
        annual,
        _mtime(params.data_dir),
        _mtime(params.targets_file),
        _mtime(params.local_measures_file),
        _mtime(params.population_file),
    )
    if key in _CACHE:
        return _CACHE[key]
    with quiet():
        report = _build(params, annual=annual)
    _CACHE[key] = report
    return report


def _build(params: ReportParams, *, annual: bool) -> ReportData:
    from cppanalytics.care.prepared import EarlyPreparation
    from cppanalytics.findings import Findings
    from cppanalytics.indicators import compute
    from cppanalytics.indicators.population import read_population
    from cppanalytics.indicators.settings import Settings
    from cppanalytics.judgement.disclosure import suppress_results
    from cppanalytics.judgement.judge import judge
    from cppanalytics.results import normalise_results, read_results
    from cppanalytics.ssda903.cache import load_cached
    from cppanalytics.ssda903.coverage import check_period_ends

    # the load cache (Parquet beside the data, keyed by the files' contents): a batch of
    # quarters, or a report after `indicators`, loads the same extract once; a fresh load
    # prepares the episodes for computing while it builds the other tables
    early = EarlyPreparation(**Settings().care_rules())
    data = load_cached(
        [params.data_dir],
        la_code=params.la_code,
        episodes_ready=early,
        header_ready=early.header_ready,
    )
    check_period_ends(data, [params.period_end])  # a period the data cannot answer: refused
    findings = Findings()
    findings.extend(normalise_findings(data.findings))
    population = (
        read_population(params.population_file, params.la_code)
        if params.population_file is not None
        else None
    )
    ends = report_period_ends(params.period_end, marches=params.annual_years if annual else 0)
    results = compute(
        data,
        ends,
        population=population,
        la_code=params.la_code,
        findings=findings,
        prepared=early.prepared,
    )
    ids = None
    if params.public:
        from cppanalytics.reporting.publication import check_local_measures, identifiers_of

        ids = identifiers_of(data)
        if params.local_measures_file is not None:
            check_local_measures(params.local_measures_file, ids)
    if params.local_measures_file is not None:
        local = read_results(params.local_measures_file)
        results = normalise_results(pd.concat([results, local], ignore_index=True))
    truth = results.reset_index(drop=True)
    if params.public:
        results = suppress_results(results, "public")
    judged = judge(
        results,
        la_code=params.la_code,
        comparators=params.comparators_file,
        targets=params.targets_file,
        neighbour_summary=params.neighbour_summary,
    )
    if params.public:
        from cppanalytics.reporting.publication import assert_publishable

        assert_publishable(judged, ids or (), what="judged results")
    extract = getattr(data, "extract_date", None)
    extract = extract() if callable(extract) else extract
    report = ReportData(
        params=params,
        results=results,
        judged=judged,
        findings=findings.to_frame(),
        period_ends=ends,
        population=population,
        extract_date=None if extract is None or pd.isna(extract) else pd.Timestamp(extract),
        published=_published(params),
        data=data,
    )
    if ids is not None:
        report.extras["identifiers"] = ids
    if params.public:  # what disclosure control of the drill-down tables works from
        report.extras["true_results"] = truth
        report.extras["results_hidden"] = results["suppressed"].to_numpy(dtype=bool)
    _drilldowns(report)
    return report


def _published(params: ReportParams) -> pd.DataFrame:
    """DfE's published figures by year for the education section and the England-only
    breakdowns (:func:`cppanalytics.judgement.comparators.published_ids`)."""
    from cppanalytics.judgement.comparators import published_ids
    from cppanalytics.judgement.judge import published_series

    return published_series(
        published_ids(),
        la_code=params.la_code,
        comparators=params.comparators_file,
        neighbour_summary=params.neighbour_summary,
    )


def _context(report: ReportData, period_end: pd.Timestamp | None = None) -> Context:
    """An indicator context on the report's data at ``period_end`` (default: the report's);
    every date shares one set of prepared building blocks and cohorts."""
    from cppanalytics.indicators.context import Context

    if report.data is None:
        raise CppError(
            "this report holds no 903 data to compute from; build it with build_report_data()."
        )
    d = report.params.period_end if period_end is None else period_end
    key = f"ctx:{d.date()}"
    if key not in report.extras:
        base = report.extras.get("ctx:base")
        if base is None:  # the first: its building blocks are shared by every later date
            base = Context(
                report.data, d, population=report.population, la_code=report.params.la_code
            )
            report.extras["ctx:base"] = base
        report.extras[key] = base.at(d)  # type: ignore[attr-defined]
    return report.extras[key]  # type: ignore[return-value]


def _drilldowns(report: ReportData) -> None:
    """Work out the drill-down tables of a report (a failure is noted, never fatal)."""
    from cppanalytics.indicators.care_leavers import yearend_projection
    from cppanalytics.indicators.stability import (
        long_term_tracking,
        three_plus_profile,
        yearend_range,
    )

    pe = report.params.period_end
    steps = {
        "tracking": lambda: pd.concat(
            [long_term_tracking(_context(report, d)) for d in tracking_ends(pe)], ignore_index=True
        ),
        "three_plus": lambda: three_plus_profile(_context(report)),
    }
    if report.params.in_year:
        steps["projection"] = lambda: yearend_projection(_context(report))
    for name, step in steps.items():
        try:
            setattr(report, name, step())
        except (CppError, KeyError, ValueError) as exc:
            report.drilldown_errors[name] = str(exc)
    if report.params.in_year:
        try:
            report.extras["yearend_range"] = yearend_range(_context(report))
        except (CppError, KeyError, ValueError) as exc:
            report.drilldown_errors["yearend_range"] = str(exc)
    if report.params.public and report.projection is not None:
        from cppanalytics.judgement.disclosure import suppress_projection

        shown = report.projection["age_group"].isin(PROJECTION_GROUPS).to_numpy()
        hidden = ~shown
        hidden[shown] = suppress_projection(
            report.projection[shown],
            report.extras["true_results"],
            report.extras["results_hidden"],  # type: ignore[arg-type]
        )
        report.extras["projection_hidden"] = hidden
    if report.params.public:  # the drill-down tables' c cells, attacked with the results
        from cppanalytics.judgement.public_tables import protect_report

        protect_report(report)


@dataclass
class Exploration:
    """Figures and children at any date, for the analyst's explorer (internal only).

    Attributes
    ----------
    at
        the date explored.
    indicators
        every headline indicator at ``at`` (results contract).
    cohorts
        cohort name (:data:`COHORTS`) → one row per child in it, with ``placements``
        since 1 April.
    """

    at: pd.Timestamp
    indicators: pd.DataFrame
    cohorts: dict[str, pd.DataFrame]


def explore(
    report: ReportData, at: str | pd.Timestamp | None = None, cohorts: Sequence[str] = COHORTS
) -> Exploration:
    """Compute every indicator and the chosen drill-down cohorts at any date.

    Parameters
    ----------
    report
        a report built by :func:`build_report_data` (internal mode).
    at
        the date (``YYYY-MM-DD``); ``None`` or ``""`` = the report's period end.
    cohorts
        cohorts to list: ``looked_after`` (at the date), ``three_plus_placements``
        (3+ placements since 1 April), ``long_term_cohort`` (under 16, in care 2½ years),
        ``continuously_12m`` (the OC2 cohort).

    Returns
    -------
    Exploration
        headline results and one child-level table per cohort.

    Raises
    ------
    CppError
        in public mode (child-level rows), or for an unknown cohort.
    """
    if report.params.public:
        raise CppError(
            "the explorer shows child-level rows and is for internal use only; "
            'run it with mode = "internal".'
        )
    unknown = [c for c in cohorts if c not in COHORTS]
    if unknown:
        raise CppError(f"unknown cohort {unknown[0]!r}; use one of {', '.join(COHORTS)}.")
    from cppanalytics.indicators import compute
    from cppanalytics.indicators.stability import long_term_stable, placement_counts

    d = report.params.period_end if at in (None, "") else dates.as_date(at)  # type: ignore[arg-type]
    ctx = _context(report, d)
    assert report.data is not None, "explore() needs the loaded data"
    with quiet():
        res = compute(
            report.data,
            d,
            population=report.population,  # type: ignore[arg-type]
            la_code=report.params.la_code,
        )
        cla = ctx.cla_at()
        counts = placement_counts(ctx, dates.financial_year_start(d), d)
    cla = cla.assign(placements=cla["CHILD"].map(counts).fillna(0).astype(int))
    lists: dict[str, pd.DataFrame] = {}
    for name in cohorts:
        if name == "looked_after":
            lists[name] = cla
        elif name == "three_plus_placements":
            lists[name] = cla[cla["placements"] >= 3]
        elif name == "long_term_cohort":
            lists[name] = cla[long_term_stable(cla, d)[0]]
        else:
            lists[name] = ctx.continuously_looked_after_12m().assign(
                placements=lambda f: f["CHILD"].map(counts).fillna(0).astype(int)
            )
    return Exploration(at=d, indicators=res[res["breakdown"].eq("")], cohorts=lists)
