"""The table of DfE 903 validation rules and the engine that runs them.

Each rule is one small function registered with :func:`rule`: it takes a
:class:`~cppanalytics.ssda903.rules.context.RuleContext` and returns, per 903 table, a
boolean mask of the rows that break it. The registry holds what a reader needs: DfE's
code, the tables and fields it touches, what is wrong, how to fix it and the collection
years in which DfE applies it (as the calendar year of the collection's 31 March:
2024-25 → ``2025``; ``None`` = open-ended). A rule whose meaning changed between years is
registered once per version, with non-overlapping years.

:func:`run_rules` applies every rule to a :class:`~cppanalytics.ssda903.dataset.Dataset`
and returns findings in the project's contract (:mod:`cppanalytics.findings`): code
``dfe_<code>``, the file, row, column and value of each row at fault, and the fix.
A row is judged by the rules of its own collection year (its ``YEAR``; rows of unknown
year by the latest year in the data).

Examples
--------
>>> from cppanalytics.ssda903.dataset import Dataset
>>> ds = Dataset.from_tables({"episodes": pd.DataFrame({"CHILD": ["1"],
...     "DECOM": ["01/05/2023"], "RNE": ["S"], "LS": ["V2"], "PLACE": ["P1"], "YEAR": [2024]})})
>>> "dfe_378" in set(run_rules(ds, codes=["378"]).code)
True
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import pandas as pd

from cppanalytics.findings import empty_findings, normalise_findings
from cppanalytics.ssda903.dataset import Dataset
from cppanalytics.ssda903.provenance import concat, row_findings
from cppanalytics.ssda903.rules.context import RuleContext
from cppanalytics.string_storage import with_python_strings

Hits = dict[str, pd.Series]
RuleFunc = Callable[[RuleContext], Hits]

#: DfE's table names, as the rules' documentation shows them
DFE_TABLE_NAMES: dict[str, str] = {
    "header": "Header",
    "episodes": "Episodes",
    "uasc": "UASC",
    "oc2": "OC2",
    "oc3": "OC3",
    "ad1": "AD1",
    "placed_adoption": "PlacedAdoption",
    "prev_perm": "PrevPerm",
    "missing": "Missing",
    "reviews": "Reviews",
    "sw_episodes": "SWEpisodes",
    "dolo": "DoLo",
}


@dataclass(frozen=True)
class Rule:
    """One DfE validation rule (one version of it, for a span of collection years).

    Attributes
    ----------
    code
        DfE's rule code as DfE numbers it (``"101"``, ``"392b"``, ``"SW13STG1"``).
    tables
        the project's table keys the rule reads; findings land on these tables' rows.
    fields
        the columns at fault (the first one present in a table is the finding's column).
    message
        what is wrong, in plain English.
    fix
        what to do about it.
    func
        the check: context → ``{table: boolean mask of rows breaking the rule}``.
    first, last
        first and last collection year DfE applies this version (inclusive; None = open).
    severity
        ``"error"``, or ``"warning"`` where DfE's rule is a query (asks for a check).
    """

    code: str
    tables: tuple[str, ...]
    fields: tuple[str, ...]
    message: str
    fix: str
    func: RuleFunc
    first: int | None = None
    last: int | None = None
    severity: str = "error"

    def applies(self, years: pd.Series) -> pd.Series:
        """Whether this version applies to rows of collection ``years`` (ints)."""
        ok = pd.Series(True, index=years.index)
        if self.first is not None:
            ok &= years >= self.first
        if self.last is not None:
            ok &= years <= self.last
        return ok

    def years_text(self) -> str:
        """The collection years as text: ``all years``, ``from 2024-25``, ``2022-23 to 2023-24``."""

        def lab(y: int) -> str:
            return f"{y - 1}-{y % 100:02d}"

        if self.first is None and self.last is None:
            return "all years"
        if self.last is None:
            return f"from {lab(self.first)}"  # type: ignore[arg-type]
        if self.first is None:
            return f"until {lab(self.last)}"
        return (
            lab(self.first) if self.first == self.last else f"{lab(self.first)} to {lab(self.last)}"
        )


RULES: list[Rule] = []


def rule(
    code: str,
    tables: Iterable[str],
    fields: Iterable[str],
    message: str,
    fix: str,
    *,
    first: int | None = None,
    last: int | None = None,
    severity: str = "error",
) -> Callable[[RuleFunc], RuleFunc]:
    """Register the decorated function as DfE rule ``code`` (see :class:`Rule`).

    Examples
    --------
    >>> @rule("999x", ["header"], ["SEX"], "example", "example fix")
    ... def _example(ctx):
    ...     return {}
    >>> RULES.pop().code
    '999x'
    """

    def wrap(func: RuleFunc) -> RuleFunc:
        RULES.append(
            Rule(code, tuple(tables), tuple(fields), message, fix, func, first, last, severity)
        )
        return func

    return wrap


def _shown(values: pd.Series) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(values):
        return values.dt.strftime("%d/%m/%Y")
    if pd.api.types.is_float_dtype(values):
        return values.map(lambda v: "" if pd.isna(v) else f"{v:g}")
    return values.astype("string")


def _column(r: Rule, frame: pd.DataFrame) -> str:
    for col in r.fields:
        if col in frame.columns:
            return col
    return ""


@with_python_strings
def run_rules(data: Dataset | RuleContext, *, codes: Iterable[str] | None = None) -> pd.DataFrame:
    """Apply the registered DfE rules; return their findings (contract columns).

    Parameters
    ----------
    data
        a loaded or in-memory :class:`Dataset` (or a context already built on one).
    codes
        only these DfE codes (default: every rule).

    Returns
    -------
    pandas.DataFrame
        one finding per (rule, row at fault), code ``dfe_<code>``, message starting
        ``DfE rule <code>:``; rules are applied to rows of the collection years they cover.

    Examples
    --------
    >>> len(run_rules(Dataset()))
    0
    """
    ctx = data if isinstance(data, RuleContext) else RuleContext(data)
    wanted = None if codes is None else {str(c) for c in codes}
    parts: list[pd.DataFrame] = []
    for r in RULES:
        if wanted is not None and r.code not in wanted:
            continue
        if all(ctx.tables[t].empty for t in r.tables):
            continue
        hits = r.func(ctx)
        for table, mask in hits.items():
            frame = ctx.tables[table]
            if frame.empty:
                continue
            mask = mask.reindex(frame.index, fill_value=False).fillna(False).astype(bool)
            mask &= r.applies(frame["_year"])
            if not mask.any():
                continue
            col = _column(r, frame)
            value = _shown(frame[col]) if col else None
            parts.append(
                row_findings(
                    frame,
                    mask,
                    r.severity,
                    f"dfe_{r.code}",
                    table,
                    column=col,
                    value=value,
                    message=f"DfE rule {r.code}: {r.message}",
                    fix=r.fix,
                    action="loaded",
                )
            )
    if not parts:
        return empty_findings()
    return normalise_findings(concat(parts))


def rules_table() -> pd.DataFrame:
    """The registry as a table: ``code, tables, fields, years, severity, message, fix``.

    Examples
    --------
    >>> {"code", "years", "message"} <= set(rules_table().columns)
    True
    """
    rows = [
        {
            "code": r.code,
            "tables": ", ".join(DFE_TABLE_NAMES[t] for t in r.tables),
            "fields": ", ".join(r.fields),
            "years": r.years_text(),
            "severity": r.severity,
            "message": r.message,
            "fix": r.fix,
        }
        for r in RULES
    ]
    return pd.DataFrame(
        rows, columns=["code", "tables", "fields", "years", "severity", "message", "fix"]
    )


__all__ = ["DFE_TABLE_NAMES", "RULES", "Rule", "rule", "rules_table", "run_rules"]
