"""DfE rules on the OC2 table (children looked after for 12 months: health, SDQ, offending).

"Looked after continuously for 12 months at 31 March" is DfE's definition
(:meth:`~cppanalytics.ssda903.rules.context.RuleContext.cla12`), judged for the 31 March
of each OC2 row's collection year.

Examples
--------
>>> from cppanalytics.ssda903.dataset import Dataset
>>> from cppanalytics.ssda903.rules.registry import run_rules
>>> ds = Dataset.from_tables({"oc2": pd.DataFrame({"CHILD": ["1"], "DOB": ["01/01/2012"],
...     "SDQ_SCORE": ["12"], "SDQ_REASON": ["SDQ2"], "YEAR": [2024]})})
>>> "dfe_197a" in set(run_rules(ds, codes=["197a"]).code)
True
"""

from __future__ import annotations

import pandas as pd

from cppanalytics.ssda903.rules.context import RuleContext, add_years
from cppanalytics.ssda903.rules.registry import Hits, rule

TWELVE_MONTH_ITEMS: list[str] = [
    "CONVICTED",
    "HEALTH_CHECK",
    "IMMUNISATIONS",
    "TEETH_CHECK",
    "HEALTH_ASSESSMENT",
    "SUBSTANCE_MISUSE",
    "INTERVENTION_RECEIVED",
    "INTERVENTION_OFFERED",
]
CORE_ITEMS: list[str] = ["IMMUNISATIONS", "TEETH_CHECK", "HEALTH_ASSESSMENT", "SUBSTANCE_MISUSE"]


def _o(ctx: RuleContext) -> pd.DataFrame:
    return ctx.tables["oc2"]


def _dob(ctx: RuleContext) -> pd.Series:
    return ctx.dob("oc2")


@rule(
    "157",
    ["oc2"],
    ["SDQ_REASON"],
    "SDQ1 (no SDQ: child under 4 or over 16) is given for a child aged 4-16 throughout the year.",
    "Record the SDQ score, or the reason that applies (SDQ2-SDQ5).",
)
def r157(ctx: RuleContext) -> Hits:
    o = _o(ctx)
    dob = _dob(ctx)
    in_age = (add_years(dob, 4) <= o["_start"]) & (add_years(dob, 16) >= o["_end"])
    return {"oc2": ctx.cla12("oc2") & in_age & o["SDQ_SCORE"].isna() & o["SDQ_REASON"].eq("SDQ1")}


@rule(
    "182",
    ["oc2"],
    ["IMMUNISATIONS", "TEETH_CHECK", "HEALTH_ASSESSMENT", "SUBSTANCE_MISUSE"],
    "some OC2 items are filled in but immunisations, teeth check, health assessment or "
    "substance misuse is blank.",
    "Complete all four items, or leave every OC2 item blank.",
)
def r182(ctx: RuleContext) -> Hits:
    o = _o(ctx)
    core_blank = o[CORE_ITEMS].isna().any(axis=1)
    others = (
        o[["CONVICTED", "HEALTH_CHECK", "INTERVENTION_RECEIVED", "INTERVENTION_OFFERED"]]
        .notna()
        .any(axis=1)
    )
    return {"oc2": core_blank & others}


@rule(
    "185",
    ["oc2"],
    ["SDQ_SCORE"],
    "an SDQ score is recorded for a child not looked after continuously for 12 months at 31 March.",
    "Remove the OC2 data for this child, or check their episodes.",
)
def r185(ctx: RuleContext) -> Hits:
    return {"oc2": _o(ctx)["SDQ_SCORE"].notna() & ~ctx.cla12("oc2")}


@rule(
    "186",
    ["oc2"],
    ["SDQ_SCORE", "SDQ_REASON"],
    "the child is 4-16 and looked after for 12 months but has neither an SDQ score nor a "
    "reason for having none.",
    "Record the SDQ score, or the reason (SDQ1-SDQ5).",
)
def r186(ctx: RuleContext) -> Hits:
    o = _o(ctx)
    dob = _dob(ctx)
    in_age = (add_years(dob, 4) <= o["_start"]) & (add_years(dob, 17) > o["_end"])
    none = o["SDQ_SCORE"].isna() & o["SDQ_REASON"].isna()
    return {"oc2": ctx.cla12("oc2") & in_age & none}


@rule(
    "188",
    ["oc2"],
    ["SDQ_SCORE", "SDQ_REASON"],
    "an SDQ score or reason is recorded for a child under 4 at 31 March.",
    "Leave the SDQ items blank for children under 4.",
)
def r188(ctx: RuleContext) -> Hits:
    o = _o(ctx)
    young = add_years(_dob(ctx), 4) > o["_end"]
    return {"oc2": young & (o["SDQ_SCORE"].notna() | o["SDQ_REASON"].notna())}


@rule(
    "189",
    ["oc2"],
    ["SDQ_SCORE", "SDQ_REASON"],
    "an SDQ score or reason is recorded for a young person already 17 at the start of the year.",
    "Leave the SDQ items blank for young people of 17 and over.",
)
def r189(ctx: RuleContext) -> Hits:
    o = _o(ctx)
    old = add_years(_dob(ctx), 17) < o["_start"]
    return {"oc2": old & (o["SDQ_SCORE"].notna() | o["SDQ_REASON"].notna())}


@rule(
    "190",
    ["oc2"],
    TWELVE_MONTH_ITEMS,
    "health and offending items are filled in for a child not looked after continuously "
    "for 12 months at 31 March.",
    "Remove the OC2 data for this child, or check their "
    "episodes (a period of care starting in the year, or a short break, ends the 12 months).",
)
def r190(ctx: RuleContext) -> Hits:
    o = _o(ctx)
    return {"oc2": ~ctx.cla12("oc2") & o[TWELVE_MONTH_ITEMS].notna().any(axis=1)}


@rule(
    "191",
    ["oc2"],
    CORE_ITEMS,
    "the child was looked after continuously for 12 months but immunisations, teeth check, "
    "health assessment or substance misuse is blank.",
    "Complete the four items.",
)
def r191(ctx: RuleContext) -> Hits:
    o = _o(ctx)
    return {"oc2": ctx.cla12("oc2") & o[CORE_ITEMS].isna().any(axis=1)}


@rule(
    "158",
    ["oc2"],
    ["INTERVENTION_OFFERED"],
    "an intervention for substance misuse was received, so whether one was offered should "
    "be blank.",
    "Leave INTERVENTION_OFFERED blank.",
)
def r158(ctx: RuleContext) -> Hits:
    o = _o(ctx)
    return {"oc2": o["INTERVENTION_RECEIVED"].eq("1") & o["INTERVENTION_OFFERED"].notna()}


@rule(
    "159",
    ["oc2"],
    ["INTERVENTION_OFFERED"],
    "a substance misuse problem with no intervention received, but whether one was offered "
    "is blank.",
    "Record INTERVENTION_OFFERED (0 or 1).",
)
def r159(ctx: RuleContext) -> Hits:
    o = _o(ctx)
    return {
        "oc2": o["SUBSTANCE_MISUSE"].eq("1")
        & o["INTERVENTION_RECEIVED"].eq("0")
        & o["INTERVENTION_OFFERED"].isna()
    }


@rule(
    "192",
    ["oc2"],
    ["INTERVENTION_RECEIVED"],
    "a substance misuse problem is recorded but whether an intervention was received is blank.",
    "Record INTERVENTION_RECEIVED (0 or 1).",
)
def r192(ctx: RuleContext) -> Hits:
    o = _o(ctx)
    return {"oc2": o["SUBSTANCE_MISUSE"].eq("1") & o["INTERVENTION_RECEIVED"].isna()}


@rule(
    "193",
    ["oc2"],
    ["INTERVENTION_RECEIVED", "INTERVENTION_OFFERED"],
    "no substance misuse problem, but intervention items are filled in.",
    "Leave INTERVENTION_RECEIVED and INTERVENTION_OFFERED blank.",
)
def r193(ctx: RuleContext) -> Hits:
    o = _o(ctx)
    no_problem = o["SUBSTANCE_MISUSE"].isna() | o["SUBSTANCE_MISUSE"].eq("0")
    return {
        "oc2": no_problem & (o["INTERVENTION_RECEIVED"].notna() | o["INTERVENTION_OFFERED"].notna())
    }


@rule(
    "197a",
    ["oc2"],
    ["SDQ_REASON", "SDQ_SCORE"],
    "both an SDQ score and a reason for having no score are recorded.",
    "Keep the score and clear SDQ_REASON (or clear the score if none was done).",
)
def r197a(ctx: RuleContext) -> Hits:
    o = _o(ctx)
    return {"oc2": o["SDQ_SCORE"].notna() & o["SDQ_REASON"].notna()}


@rule(
    "197B",
    ["oc2"],
    ["SDQ_SCORE", "SDQ_REASON"],
    "the child turned 4 or 17 in the year and was looked after for 12 months, but has "
    "neither an SDQ score nor a reason for none.",
    "Record the SDQ score or the reason.",
)
def r197b(ctx: RuleContext) -> Hits:
    o = _o(ctx)
    dob = _dob(ctx)
    b4, b17 = add_years(dob, 4), add_years(dob, 17)
    turned = b4.between(o["_start"], o["_end"]) | b17.between(o["_start"], o["_end"])
    none = o["SDQ_SCORE"].isna() & o["SDQ_REASON"].isna()
    return {"oc2": ctx.cla12("oc2") & turned & none}


@rule(
    "198",
    ["oc2"],
    ["SDQ_REASON"],
    "a reason for no SDQ score is recorded for a child not looked after continuously for "
    "12 months at 31 March.",
    "Remove the OC2 data for this child, or check their episodes.",
)
def r198(ctx: RuleContext) -> Hits:
    return {"oc2": _o(ctx)["SDQ_REASON"].notna() & ~ctx.cla12("oc2")}


@rule(
    "542",
    ["oc2"],
    ["CONVICTED"],
    "conviction information is recorded for a child under 10 at 31 March.",
    "Leave CONVICTED blank for children under 10.",
)
def r542(ctx: RuleContext) -> Hits:
    o = _o(ctx)
    return {"oc2": (add_years(_dob(ctx), 10) > o["_end"]) & o["CONVICTED"].notna()}


@rule(
    "543",
    ["oc2"],
    ["CONVICTED"],
    "the child is 10 or over and looked after for 12 months but conviction information is blank.",
    "Record CONVICTED (0 or 1).",
)
def r543(ctx: RuleContext) -> Hits:
    o = _o(ctx)
    old = o["_end"] > add_years(_dob(ctx), 10)
    return {"oc2": old & ctx.cla12("oc2") & o["CONVICTED"].isna()}


@rule(
    "544",
    ["oc2"],
    CORE_ITEMS,
    "the child is recorded as convicted but immunisations, teeth check, health assessment "
    "or substance misuse is blank.",
    "Complete the four items.",
)
def r544(ctx: RuleContext) -> Hits:
    o = _o(ctx)
    return {"oc2": o["CONVICTED"].eq("1") & o[CORE_ITEMS].isna().any(axis=1)}


@rule(
    "545",
    ["oc2"],
    ["HEALTH_CHECK"],
    "the child is under 5 and looked after for 12 months but the development assessment "
    "(HEALTH_CHECK) is blank.",
    "Record HEALTH_CHECK (0 or 1).",
)
def r545(ctx: RuleContext) -> Hits:
    o = _o(ctx)
    young = o["_end"] < add_years(_dob(ctx), 5)
    return {"oc2": young & ctx.cla12("oc2") & o["HEALTH_CHECK"].isna()}


@rule(
    "546",
    ["oc2"],
    ["HEALTH_CHECK"],
    "a development assessment (HEALTH_CHECK) is recorded for a child aged 5 or over at 31 March.",
    "Leave HEALTH_CHECK blank for children of 5 and over.",
)
def r546(ctx: RuleContext) -> Hits:
    o = _o(ctx)
    old = o["_end"] >= add_years(_dob(ctx), 5)
    return {"oc2": old & ctx.cla12("oc2") & o["HEALTH_CHECK"].notna()}


@rule(
    "547",
    ["oc2"],
    CORE_ITEMS,
    "a development assessment is recorded but immunisations, teeth check, health "
    "assessment or substance misuse is blank.",
    "Complete the four items.",
)
def r547(ctx: RuleContext) -> Hits:
    o = _o(ctx)
    return {"oc2": o["HEALTH_CHECK"].eq("1") & o[CORE_ITEMS].isna().any(axis=1)}


__all__ = ["CORE_ITEMS", "TWELVE_MONTH_ITEMS"]
