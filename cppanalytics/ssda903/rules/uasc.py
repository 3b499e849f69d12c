"""DfE rules on the UASC table (unaccompanied asylum-seeking children).

Examples
--------
>>> from cppanalytics.ssda903.dataset import Dataset
>>> from cppanalytics.ssda903.rules.registry import run_rules
>>> ds = Dataset.from_tables({"uasc": pd.DataFrame({"CHILD": ["1"], "DOB": ["01/06/2005"],
...     "DUC": ["01/06/2025"], "YEAR": [2026]})})
>>> run_rules(ds, codes=["304"]).code.tolist()
['dfe_304']
"""

from __future__ import annotations

import pandas as pd

from cppanalytics.ssda903.rules.context import RuleContext, add_years
from cppanalytics.ssda903.rules.registry import Hits, rule


def _u(ctx: RuleContext) -> pd.DataFrame:
    return ctx.tables["uasc"]


@rule(
    "104",
    ["uasc"],
    ["DUC"],
    "the date UASC status ceased is before the start of the collection year.",
    "Check DUC; a child whose status ceased before the year is not returned in UASC.",
)
def r104(ctx: RuleContext) -> Hits:
    u = _u(ctx)
    return {"uasc": u["DUC"] < u["_start"]}


@rule(
    "304",
    ["uasc"],
    ["DUC"],
    "the date UASC status ceased is after the child's 18th birthday.",
    "Record DUC on or before the 18th birthday (status ends at 18 at the latest).",
)
def r304(ctx: RuleContext) -> Hits:
    u = _u(ctx)
    return {"uasc": u["DUC"].notna() & (u["DUC"] > add_years(ctx.dob("uasc"), 18))}


@rule(
    "231",
    ["uasc"],
    ["DOB"],
    "an unaccompanied asylum-seeking child is under 11 at the end of the year; such "
    "children are usually older.",
    "Check the date of birth.",
    first=2025,
    severity="warning",
)
def r231(ctx: RuleContext) -> Hits:
    u = _u(ctx)
    young = ctx.dob("uasc") > (u["_end"] - pd.DateOffset(years=11))
    return {"uasc": young & (u["DUC"].isna() | (u["DUC"] >= u["_start"]))}


@rule(
    "1014",
    ["uasc"],
    ["DUC"],
    "UASC information is given for a care leaver who was not looked after in the year.",
    "Remove the UASC row for this young person.",
)
def r1014(ctx: RuleContext) -> Hits:
    u = _u(ctx)
    oc3 = ctx.tables["oc3"]
    leavers = set(oc3.loc[oc3[["IN_TOUCH", "ACTIV", "ACCOM"]].notna().any(axis=1), "CHILD"])
    return {"uasc": u["CHILD"].isin(leavers) & ~ctx.in_care_during("uasc")}
