"""DfE rules on the OC3 table (care leavers aged 17-21: in touch, activity, accommodation).

Examples
--------
>>> from cppanalytics.ssda903.dataset import Dataset
>>> from cppanalytics.ssda903.rules.registry import run_rules
>>> ds = Dataset.from_tables({"oc3": pd.DataFrame({"CHILD": ["1"], "DOB": ["01/01/2012"],
...     "IN_TOUCH": ["YES"], "ACTIV": ["F1"], "ACCOM": ["B1"], "YEAR": [2024]})})
>>> run_rules(ds, codes=["391"]).code.tolist()
['dfe_391']
"""

from __future__ import annotations

import pandas as pd

from cppanalytics.ssda903.rules.context import RuleContext, add_years
from cppanalytics.ssda903.rules.registry import Hits, rule

OC3_ITEMS: list[str] = ["IN_TOUCH", "ACTIV", "ACCOM"]


def _o(ctx: RuleContext) -> pd.DataFrame:
    return ctx.tables["oc3"]


def _any_given(o: pd.DataFrame) -> pd.Series:
    return o[OC3_ITEMS].notna().any(axis=1)


@rule("153", ["oc3"], OC3_ITEMS,
      "some but not all of IN_TOUCH, ACTIV and ACCOM are filled in.",
      "Complete all three items, or leave all three blank.")
def r153(ctx: RuleContext) -> Hits:
    o = _o(ctx)
    some = _any_given(o)
    every = o[OC3_ITEMS].notna().all(axis=1)
    return {"oc3": some & ~every}


@rule("344", ["oc3"], ["ACTIV", "ACCOM"],
      "the young person died or went home to parents for 6 months or more (DIED/RHOM), so "
      "activity and accommodation should be 0.", "Record ACTIV and ACCOM as 0.")
def r344(ctx: RuleContext) -> Hits:
    o = _o(ctx)
    gone = o["IN_TOUCH"].isin(["DIED", "RHOM"])
    return {"oc3": gone & (o["ACTIV"].ne("0") | o["ACCOM"].ne("0"))}


@rule("345", ["oc3"], ["ACTIV", "ACCOM"],
      "the council is in touch (IN_TOUCH YES) but activity or accommodation is 0 (not known).",
      "Record the young person's activity and accommodation.")
def r345(ctx: RuleContext) -> Hits:
    o = _o(ctx)
    return {"oc3": o["IN_TOUCH"].eq("YES") & (o["ACTIV"].eq("0") | o["ACCOM"].eq("0"))}


@rule("348", ["oc3"], ["IN_TOUCH"],
      "an earlier year's return says this care leaver died, but this year's does not.",
      "Check IN_TOUCH in both years.", first=2026)
def r348(ctx: RuleContext) -> Hits:
    o = _o(ctx)
    died = o.loc[o["IN_TOUCH"].eq("DIED"), ["CHILD", "_year"]]
    first_died = died.groupby("CHILD")["_year"].min()
    when = ctx.lookup("oc3", first_died)
    return {"oc3": (when < o["_year"]) & o["IN_TOUCH"].ne("DIED")}


@rule("391", ["oc3"], ["DOB", *OC3_ITEMS],
      "care leaver information is given for a young person who was not yet 17 at the end of "
      "the year.", "Remove the OC3 row, or correct the date of birth.")
def r391(ctx: RuleContext) -> Hits:
    o = _o(ctx)
    young = add_years(ctx.dob("oc3"), 17) > o["_end"]
    return {"oc3": young & _any_given(o)}


@rule("1000", ["oc3"], OC3_ITEMS,
      "the young person died in care (an episode ended E2), so no care leaver information "
      "is collected.", "Remove the OC3 information, or correct the episode's REC.")
def r1000(ctx: RuleContext) -> Hits:
    o = _o(ctx)
    e = ctx.tables["episodes"]
    died = set(e.loc[e["REC"].eq("E2"), "CHILD"])
    return {"oc3": o["CHILD"].isin(died) & _any_given(o)}


@rule("1007", ["oc3"], OC3_ITEMS,
      "care leaver information is given for a 17- or 18-year-old who was still looked after "
      "on their birthday in the year.", "Remove the OC3 information for this year.")
def r1007(ctx: RuleContext) -> Hits:
    o = _o(ctx)
    dob = ctx.dob("oc3")
    e = ctx.tables["episodes"]
    out = pd.Series(False, index=o.index)
    for years in (17, 18):
        bday = add_years(dob, years)
        in_year = bday.between(o["_start"], o["_end"])
        pairs = o[["CHILD"]].assign(bday=bday, _r=o.index)[in_year]
        if pairs.empty or e.empty:
            continue
        m = pairs.merge(e[["CHILD", "DECOM", "DEC"]], on="CHILD")
        covered = (m["DECOM"] <= m["bday"]) & (m["DEC"].isna() | (m["DEC"] > m["bday"]))
        out |= o.index.isin(m.loc[covered, "_r"])
    return {"oc3": out & _any_given(o)}


@rule("3001", ["oc3"], ["ACCOM"],
      "for a young person turning 17 in the year, accommodation cannot be with former "
      "foster carers (Z1/Z2 'staying put' starts at 18).",
      "Correct ACCOM.", severity="warning")
def r3001(ctx: RuleContext) -> Hits:
    o = _o(ctx)
    b17 = add_years(ctx.dob("oc3"), 17)
    return {"oc3": o["ACCOM"].isin(["Z1", "Z2"]) & b17.between(o["_start"], o["_end"])}


__all__ = ["OC3_ITEMS"]
