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

from cppanalytics.ssda903.rules.context import RuleContext, add_years, age
from cppanalytics.ssda903.rules.registry import Hits, rule

OC3_ITEMS: list[str] = ["IN_TOUCH", "ACTIV", "ACCOM"]


def _o(ctx: RuleContext) -> pd.DataFrame:
    return ctx.tables["oc3"]


def _any_given(o: pd.DataFrame) -> pd.Series:
    return o[OC3_ITEMS].notna().any(axis=1)


@rule(
    "153",
    ["oc3"],
    OC3_ITEMS,
    "some but not all of IN_TOUCH, ACTIV and ACCOM are filled in.",
    "Complete all three items, or leave all three blank.",
)
def r153(ctx: RuleContext) -> Hits:
    o = _o(ctx)
    some = _any_given(o)
    every = o[OC3_ITEMS].notna().all(axis=1)
    return {"oc3": some & ~every}


@rule(
    "344",
    ["oc3"],
    ["ACTIV", "ACCOM"],
    "the young person died or went home to parents for 6 months or more (DIED/RHOM), so "
    "activity and accommodation should be 0.",
    "Record ACTIV and ACCOM as 0.",
)
def r344(ctx: RuleContext) -> Hits:
    o = _o(ctx)
    gone = o["IN_TOUCH"].isin(["DIED", "RHOM"])
    return {"oc3": gone & (o["ACTIV"].ne("0") | o["ACCOM"].ne("0"))}


@rule(
    "345",
    ["oc3"],
    ["ACTIV", "ACCOM"],
    "the council is in touch (IN_TOUCH YES) but activity or accommodation is 0 (not known).",
    "Record the young person's activity and accommodation.",
)
def r345(ctx: RuleContext) -> Hits:
    o = _o(ctx)
    return {"oc3": o["IN_TOUCH"].eq("YES") & (o["ACTIV"].eq("0") | o["ACCOM"].eq("0"))}


@rule(
    "348",
    ["oc3"],
    ["IN_TOUCH"],
    "an earlier year's return says this care leaver died, but this year's does not.",
    "Check IN_TOUCH in both years.",
    first=2026,
)
def r348(ctx: RuleContext) -> Hits:
    o = _o(ctx)
    died = o.loc[o["IN_TOUCH"].eq("DIED"), ["CHILD", "_year"]]
    first_died = died.groupby("CHILD")["_year"].min()
    when = ctx.lookup("oc3", first_died)
    return {"oc3": (when < o["_year"]) & o["IN_TOUCH"].ne("DIED")}


@rule(
    "391",
    ["oc3"],
    ["DOB", *OC3_ITEMS],
    "care leaver information is given for a young person who was not yet 17 at the end of "
    "the year.",
    "Remove the OC3 row, or correct the date of birth.",
)
def r391(ctx: RuleContext) -> Hits:
    o = _o(ctx)
    young = add_years(ctx.dob("oc3"), 17) > o["_end"]
    return {"oc3": young & _any_given(o)}


@rule(
    "1000",
    ["oc3"],
    OC3_ITEMS,
    "the young person died in care (an episode ended E2), so no care leaver information "
    "is collected.",
    "Remove the OC3 information, or correct the episode's REC.",
)
def r1000(ctx: RuleContext) -> Hits:
    o = _o(ctx)
    e = ctx.tables["episodes"]
    died = set(e.loc[e["REC"].eq("E2"), "CHILD"])
    return {"oc3": o["CHILD"].isin(died) & _any_given(o)}


@rule(
    "1007",
    ["oc3"],
    OC3_ITEMS,
    "care leaver information is given for a 17- or 18-year-old who was still looked after "
    "on their birthday in the year.",
    "Remove the OC3 information for this year.",
)
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


@rule(
    "3001",
    ["oc3"],
    ["ACCOM"],
    "for a young person turning 17 in the year, accommodation cannot be with former "
    "foster carers (Z1/Z2 'staying put' starts at 18).",
    "Correct ACCOM.",
    severity="warning",
)
def r3001(ctx: RuleContext) -> Hits:
    o = _o(ctx)
    b17 = add_years(ctx.dob("oc3"), 17)
    return {"oc3": o["ACCOM"].isin(["Z1", "Z2"]) & b17.between(o["_start"], o["_end"])}


__all__ = ["OC3_ITEMS"]


def _first_year(ctx: RuleContext) -> int:
    years = ctx.tables["episodes"]["_year"]
    return int(years.min()) if len(years) else ctx.latest_year


def _history_complete(ctx: RuleContext, dob: pd.Series) -> pd.Series:
    """Whether the loaded episodes reach back to the child's 14th birthday (else rules
    about their care history could be wrong)."""
    first = _first_year(ctx)
    return add_years(dob, 14) >= pd.Timestamp(first - 1, 4, 1)


@rule(
    "1001",
    ["oc3"],
    OC3_ITEMS,
    "the episodes do not make the young person a care leaver (relevant or former relevant "
    "child: 13 weeks in care after 14, some of it after 16), or they were adopted.",
    "Remove the OC3 information, or add the missing episodes.",
)
def r1001(ctx: RuleContext) -> Hits:
    o = _o(ctx)
    e = ctx.tables["episodes"]
    e = e[~e["LS"].isin(["V3", "V4"]) & e["DECOM"].notna()]
    oc3_dob = pd.Series(ctx.dob("oc3").to_numpy(), index=o["CHILD"].to_numpy())
    dob = ctx.lookup("episodes", oc3_dob).loc[e.index]
    end = e["DEC"].fillna(e["_end"])

    def days_after(birthday: pd.Series) -> pd.Series:
        start = e["DECOM"].where(e["DECOM"] > birthday, birthday)
        return (end - start).dt.days.clip(lower=0)

    totals = (
        pd.DataFrame({"d14": days_after(add_years(dob, 14)), "d16": days_after(add_years(dob, 16))})
        .groupby(e["CHILD"])
        .sum()
    )
    eligible = set(totals.index[(totals["d14"] >= 91) & (totals["d16"] >= 1)])
    last = ctx.eps.drop_duplicates("CHILD", keep="last")
    adopted = set(last.loc[last["REC"].isin(["E11", "E12"]), "CHILD"])
    dob_oc3 = ctx.dob("oc3")
    first_start = pd.Timestamp(_first_year(ctx) - 1, 4, 1)
    inside = ctx.lookup("oc3", e.groupby("CHILD")["DECOM"].min()) >= first_start
    known = (
        o["CHILD"].isin(set(e["CHILD"]))
        & dob_oc3.notna()
        & (_history_complete(ctx, dob_oc3) | inside)
    )
    bad = ~o["CHILD"].isin(eligible) | o["CHILD"].isin(adopted)
    return {"oc3": _any_given(o) & known & bad}


@rule(
    "1002",
    ["oc3"],
    OC3_ITEMS,
    "care leaver information is given for a young person with no episodes of care.",
    "Remove the OC3 information, or add the young person's episodes.",
)
def r1002(ctx: RuleContext) -> Hits:
    o = _o(ctx)
    has_eps = o["CHILD"].isin(set(ctx.tables["episodes"]["CHILD"]))
    return {"oc3": _any_given(o) & ~has_eps & _history_complete(ctx, ctx.dob("oc3"))}


@rule(
    "1011",
    ["oc3"],
    OC3_ITEMS,
    "the young person's last episode ended with care transferred to another council (E3), "
    "so this council does not return care leaver information.",
    "Remove the OC3 information, or correct the last episode's REC.",
)
def r1011(ctx: RuleContext) -> Hits:
    o = _o(ctx)
    last = ctx.eps.drop_duplicates("CHILD", keep="last")
    moved = set(last.loc[last["REC"].eq("E3"), "CHILD"])
    return {"oc3": o["CHILD"].isin(moved) & _any_given(o)}


@rule(
    "1016",
    ["oc3"],
    OC3_ITEMS,
    "care leaver information is given for a 17- or 18-year-old whose care ended after that "
    "birthday (they are not yet a care leaver for this year).",
    "Remove the OC3 information for this year.",
    first=2024,
)
def r1016(ctx: RuleContext) -> Hits:
    o = _o(ctx)
    dob = ctx.dob("oc3")
    age_end = age(dob, o["_end"])
    e = ctx.tables["episodes"][["CHILD", "DEC"]].dropna()
    pairs = o[["CHILD"]].assign(_r=o.index, _age=age_end.to_numpy(), _dob=dob.to_numpy())
    m = pairs[pairs["_age"].isin([17, 18])].merge(e, on="CHILD")
    after = m["DEC"] >= add_years(m["_dob"], 17).where(m["_age"].eq(17), add_years(m["_dob"], 18))
    hit = pd.Series(o.index.isin(set(m.loc[after, "_r"])), index=o.index)
    return {"oc3": hit & _any_given(o)}


@rule(
    "347",
    ["oc3"],
    ["ACCOM"],
    "a care leaver under 18 at the start of the year is recorded as living in a foyer (T1/T2).",
    "Correct ACCOM or the date of birth.",
    first=2024,
)
def r347(ctx: RuleContext) -> Hits:
    o = _o(ctx)
    foyer = o["ACCOM"].isin(["T1", "T2"])
    return {"oc3": foyer & (age(ctx.dob("oc3"), o["_start"]) < 18)}
