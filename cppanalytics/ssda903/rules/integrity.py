"""DfE's integrity checks across tables: one child, one date of birth and sex everywhere;
no data for a child who was not looked after in the year.

(Children missing from Header and duplicated rows are the loader's findings:
``child_not_in_header``, ``duplicate_*``.)

Examples
--------
>>> from cppanalytics.ssda903.dataset import Dataset
>>> from cppanalytics.ssda903.rules.registry import run_rules
>>> ds = Dataset.from_tables({"header": pd.DataFrame({"CHILD": ["1"], "DOB": ["01/01/2010"]}),
...     "oc2": pd.DataFrame({"CHILD": ["1"], "DOB": ["02/01/2010"]})})
>>> run_rules(ds, codes=["INT14"]).code.tolist()
['dfe_INT14']
"""

from __future__ import annotations

import pandas as pd

from cppanalytics.ssda903.rules.context import RuleContext
from cppanalytics.ssda903.rules.registry import DFE_TABLE_NAMES, Hits, rule

#: DfE's integrity codes for "DOB differs from Header's" per table
DOB_CHECKS: dict[str, str] = {
    "ad1": "INT11",
    "placed_adoption": "INT12",
    "missing": "INT13",
    "oc2": "INT14",
    "oc3": "INT15",
    "prev_perm": "INT16",
    "reviews": "INT17",
    "uasc": "INT18",
}
#: the tables rule 1012 reads (data only for children looked after in the year)
IN_YEAR_TABLES: tuple[str, ...] = (
    "placed_adoption",
    "missing",
    "reviews",
    "ad1",
    "prev_perm",
    "oc2",
)
_SEX = {"1": "M", "2": "F"}


def _register_dob(table: str, code: str) -> None:
    def check(ctx: RuleContext) -> Hits:
        frame = ctx.tables[table]
        hdob = ctx.header_value(table, "DOB")
        return {table: frame["DOB"].notna() & hdob.notna() & frame["DOB"].ne(hdob)}

    check.__name__ = f"r{code}"
    name = DFE_TABLE_NAMES[table]
    rule(
        code,
        [table],
        ["DOB"],
        f"the date of birth in {name} differs from the child's date of birth in Header.",
        f"Make DOB the same in {name} and Header.",
    )(check)


for _table, _code in DOB_CHECKS.items():
    _register_dob(_table, _code)


@rule(
    "INT21",
    ["uasc"],
    ["SEX"],
    "the sex in UASC differs from the child's sex in Header.",
    "Make SEX the same in UASC and Header.",
)
def r_int21(ctx: RuleContext) -> Hits:
    u = ctx.tables["uasc"]
    own = u["SEX"].map(lambda v: _SEX.get(v, v))
    head = ctx.header_value("uasc", "SEX").map(lambda v: _SEX.get(v, v))
    return {"uasc": own.notna() & head.notna() & own.ne(head)}


def _not_in_care(ctx: RuleContext, table: str) -> pd.Series:
    return ~ctx.in_care_during(table)


@rule(
    "1012",
    list(IN_YEAR_TABLES),
    ["CHILD"],
    "there is data for a child who had no episode of care in the collection year.",
    "Remove the row, or add the child's episodes for the year.",
)
def r1012(ctx: RuleContext) -> Hits:
    return {t: _not_in_care(ctx, t) for t in IN_YEAR_TABLES if len(ctx.tables[t])}
