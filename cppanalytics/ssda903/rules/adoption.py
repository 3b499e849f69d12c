"""DfE rules on adoption: the AD1 table (adopted children) and PlacedAdoption (decisions
that a child should be placed for adoption), with the episodes they must agree with.

Examples
--------
>>> from cppanalytics.ssda903.dataset import Dataset
>>> from cppanalytics.ssda903.rules.registry import run_rules
>>> ds = Dataset.from_tables({"ad1": pd.DataFrame({"CHILD": ["1"], "NB_ADOPTR": ["2"],
...     "SEX_ADOPTR": ["M1"], "YEAR": [2024]})})
>>> run_rules(ds, codes=["511"]).code.tolist()
['dfe_511']
"""

from __future__ import annotations

import pandas as pd

from cppanalytics.ssda903.rules.context import RuleContext
from cppanalytics.ssda903.rules.registry import Hits, rule

AD1_ITEMS: list[str] = [
    "DATE_INT",
    "DATE_MATCH",
    "FOSTER_CARE",
    "NB_ADOPTR",
    "SEX_ADOPTR",
    "LS_ADOPTR",
]
ADOPTED: tuple[str, ...] = ("E11", "E12")
ADOPTION_PLACES: tuple[str, ...] = ("A3", "A4", "A5", "A6")


def _a(ctx: RuleContext) -> pd.DataFrame:
    return ctx.tables["ad1"]


def _p(ctx: RuleContext) -> pd.DataFrame:
    return ctx.tables["placed_adoption"]


def _adopted_in_year(e: pd.DataFrame) -> pd.Series:
    return e["REC"].isin(ADOPTED) & e["DEC"].between(e["_start"], e["_end"])


def _first_by_child(
    frame: pd.DataFrame, mask: pd.Series, date: str, last: bool = False
) -> pd.DataFrame:
    """One row per child among ``mask`` rows: the earliest (or latest) ``date``; index kept."""
    rows = frame[mask & frame[date].notna()].sort_values(["CHILD", date], kind="stable")
    return rows.drop_duplicates("CHILD", keep="last" if last else "first")


# --- AD1 on its own ------------------------------------------------------------------


@rule(
    "151",
    ["ad1"],
    AD1_ITEMS,
    "some but not all of the adoption items are filled in.",
    "Complete every AD1 item (DATE_INT, DATE_MATCH, FOSTER_CARE, NB_ADOPTR, SEX_ADOPTR, "
    "LS_ADOPTR), or none.",
)
def r151(ctx: RuleContext) -> Hits:
    a = _a(ctx)
    return {"ad1": a[AD1_ITEMS].notna().any(axis=1) & ~a[AD1_ITEMS].notna().all(axis=1)}


@rule(
    "333",
    ["ad1"],
    ["DATE_INT", "DATE_MATCH"],
    "the decision that the child should be placed for adoption (DATE_INT) is after the "
    "match with adopters (DATE_MATCH), or missing while a match date is given.",
    "Correct DATE_INT or DATE_MATCH.",
)
def r333(ctx: RuleContext) -> Hits:
    a = _a(ctx)
    match = a["DATE_MATCH"].notna()
    return {"ad1": match & (a["DATE_INT"].isna() | (a["DATE_INT"] > a["DATE_MATCH"]))}


@rule(
    "511",
    ["ad1"],
    ["SEX_ADOPTR", "NB_ADOPTR"],
    "two adopters (NB_ADOPTR 2) but the adopters' sex says one (M1/F1).",
    "Record SEX_ADOPTR as MM, FF or MF for a couple, or correct NB_ADOPTR.",
)
def r511(ctx: RuleContext) -> Hits:
    a = _a(ctx)
    return {"ad1": a["NB_ADOPTR"].eq("2") & a["SEX_ADOPTR"].isin(["M1", "F1"])}


@rule(
    "514",
    ["ad1"],
    ["SEX_ADOPTR", "LS_ADOPTR"],
    "a single adopter (LS_ADOPTR L0) but the adopters' sex says a couple.",
    "Record SEX_ADOPTR M1 or F1, or correct LS_ADOPTR.",
)
def r514(ctx: RuleContext) -> Hits:
    a = _a(ctx)
    return {"ad1": a["LS_ADOPTR"].eq("L0") & ~a["SEX_ADOPTR"].isin(["M1", "F1"])}


@rule(
    "517",
    ["ad1"],
    ["SEX_ADOPTR", "LS_ADOPTR"],
    "an unmarried different-sex couple (L3) must have adopters' sex MF.",
    "Correct SEX_ADOPTR or LS_ADOPTR.",
)
def r517(ctx: RuleContext) -> Hits:
    a = _a(ctx)
    return {"ad1": a["LS_ADOPTR"].eq("L3") & a["SEX_ADOPTR"].ne("MF")}


@rule(
    "518",
    ["ad1"],
    ["SEX_ADOPTR", "LS_ADOPTR"],
    "an unmarried same-sex couple (L4) must have adopters' sex MM or FF.",
    "Correct SEX_ADOPTR or LS_ADOPTR.",
)
def r518(ctx: RuleContext) -> Hits:
    a = _a(ctx)
    return {"ad1": a["LS_ADOPTR"].eq("L4") & ~a["SEX_ADOPTR"].isin(["MM", "FF"])}


@rule(
    "519",
    ["ad1"],
    ["SEX_ADOPTR", "LS_ADOPTR"],
    "a civil partnership (L2) must have adopters' sex of a couple (MM, FF or MF).",
    "Correct SEX_ADOPTR or LS_ADOPTR.",
)
def r519(ctx: RuleContext) -> Hits:
    a = _a(ctx)
    return {"ad1": a["LS_ADOPTR"].eq("L2") & ~a["SEX_ADOPTR"].isin(["MM", "FF", "MF"])}


@rule(
    "520",
    ["ad1"],
    ["SEX_ADOPTR", "LS_ADOPTR"],
    "a married different-sex couple (L11) must have adopters' sex MF.",
    "Correct SEX_ADOPTR or LS_ADOPTR.",
)
def r520(ctx: RuleContext) -> Hits:
    a = _a(ctx)
    return {"ad1": a["LS_ADOPTR"].eq("L11") & a["SEX_ADOPTR"].ne("MF")}


@rule(
    "524",
    ["ad1"],
    ["SEX_ADOPTR", "LS_ADOPTR"],
    "a married same-sex couple (L12) must have adopters' sex MM or FF.",
    "Correct SEX_ADOPTR or LS_ADOPTR.",
)
def r524(ctx: RuleContext) -> Hits:
    a = _a(ctx)
    return {"ad1": a["LS_ADOPTR"].eq("L12") & ~a["SEX_ADOPTR"].isin(["MM", "FF"])}


# --- AD1 with episodes ---------------------------------------------------------------


@rule(
    "601",
    ["episodes"],
    ["REC", *AD1_ITEMS],
    "the child was adopted in the year (REC E11/E12) but the adoption details (AD1) are "
    "missing or incomplete.",
    "Add the child's AD1 record with every item filled in.",
)
def r601(ctx: RuleContext) -> Hits:
    e = ctx.tables["episodes"]
    a = _a(ctx)
    complete = set(a.loc[a[AD1_ITEMS].notna().all(axis=1), "CHILD"])
    return {"episodes": _adopted_in_year(e) & ~e["CHILD"].isin(complete)}


@rule(
    "602",
    ["ad1"],
    ["CHILD"],
    "adoption details (AD1) are given but the episodes do not show the child adopted "
    "(REC E11/E12) in the year.",
    "Check the last episode's REC, or remove the AD1 row.",
)
def r602(ctx: RuleContext) -> Hits:
    e = ctx.tables["episodes"]
    a = _a(ctx)
    adopted = e.loc[_adopted_in_year(e)]
    keys = set(adopted["CHILD"].astype(str) + "|" + adopted["_year"].astype(str))
    known = (a["CHILD"].astype(str) + "|" + a["_year"].astype(str)).isin(keys)
    return {"ad1": a[AD1_ITEMS].notna().any(axis=1) & ~known}


@rule(
    "331",
    ["ad1"],
    ["DATE_MATCH"],
    "the match with adopters is after the child was placed for adoption (the start of the "
    "adoption episode).",
    "Correct DATE_MATCH or the episode dates.",
)
def r331(ctx: RuleContext) -> Hits:
    e = ctx.tables["episodes"]
    a = _a(ctx)
    adopted = e[e["REC"].isin(ADOPTED)][["CHILD", "DECOM"]]
    m = a[["CHILD", "DATE_MATCH"]].assign(_r=a.index).merge(adopted, on="CHILD")
    bad = set(m.loc[m["DATE_MATCH"] > m["DECOM"], "_r"])
    return {"ad1": pd.Series(a.index.isin(bad), index=a.index)}


@rule(
    "334",
    ["ad1"],
    ["DATE_INT"],
    "the decision that the child should be placed for adoption (DATE_INT) is before the "
    "child's latest period of care began.",
    "Correct DATE_INT or the episodes.",
)
def r334(ctx: RuleContext) -> Hits:
    e = ctx.tables["episodes"]
    a = _a(ctx)
    start = _first_by_child(e, e["RNE"].eq("S"), "DECOM", last=True).set_index("CHILD")["DECOM"]
    return {"ad1": a["DATE_INT"] < ctx.lookup("ad1", start)}


@rule(
    "335",
    ["ad1"],
    ["FOSTER_CARE"],
    "FOSTER_CARE disagrees with the adoption placement: A3/A5 are adoption by the current "
    "foster carers (FOSTER_CARE 1), A4/A6 by others (FOSTER_CARE 0).",
    "Correct FOSTER_CARE or the placement type.",
)
def r335(ctx: RuleContext) -> Hits:
    e = ctx.tables["episodes"]
    a = _a(ctx)
    last = _first_by_child(e, e["REC"].isin(ADOPTED), "DECOM", last=True).set_index("CHILD")
    place = ctx.lookup("ad1", last["PLACE"])
    bad = (place.isin(["A3", "A5"]) & a["FOSTER_CARE"].eq("0")) | (
        place.isin(["A4", "A6"]) & a["FOSTER_CARE"].eq("1")
    )
    return {"ad1": bad}


@rule(
    "521",
    ["ad1"],
    ["DATE_INT"],
    "the decision that adoption is in the child's best interests (DATE_INT) is after the "
    "child was placed for adoption.",
    "Correct DATE_INT or the adoption episode's DECOM.",
)
def r521(ctx: RuleContext) -> Hits:
    e = ctx.tables["episodes"]
    a = _a(ctx)
    placed = _first_by_child(e, e["PLACE"].isin(ADOPTION_PLACES), "DECOM").set_index("CHILD")
    return {"ad1": a["DATE_INT"] > ctx.lookup("ad1", placed["DECOM"])}


@rule(
    "582",
    ["episodes"],
    ["DEC"],
    "the child was adopted on the same day as being matched with the adopters.",
    "Check DATE_MATCH (usually before the adoption) and DEC.",
    severity="warning",
)
def r582(ctx: RuleContext) -> Hits:
    e = ctx.tables["episodes"]
    match = _a(ctx).drop_duplicates("CHILD", keep="last").set_index("CHILD")["DATE_MATCH"]
    return {"episodes": e["REC"].isin(ADOPTED) & e["DEC"].eq(ctx.lookup("episodes", match))}


# --- PlacedAdoption ------------------------------------------------------------------


@rule(
    "119",
    ["placed_adoption"],
    ["DATE_PLACED_CEASED", "REASON_PLACED_CEASED"],
    "only one of the date and the reason that the child should no longer be placed for "
    "adoption is given.",
    "Record both DATE_PLACED_CEASED and REASON_PLACED_CEASED, or neither.",
)
def r119(ctx: RuleContext) -> Hits:
    p = _p(ctx)
    return {"placed_adoption": p["DATE_PLACED_CEASED"].isna() != p["REASON_PLACED_CEASED"].isna()}


@rule(
    "184",
    ["placed_adoption"],
    ["DATE_PLACED"],
    "the decision to place for adoption is before the child was born.",
    "Correct DATE_PLACED or the date of birth.",
)
def r184(ctx: RuleContext) -> Hits:
    p = _p(ctx)
    return {"placed_adoption": p["DATE_PLACED"] < ctx.dob("placed_adoption")}


@rule(
    "522",
    ["placed_adoption"],
    ["DATE_PLACED_CEASED", "DATE_PLACED"],
    "the decision that the child should no longer be placed for adoption is before the "
    "decision that they should.",
    "Correct DATE_PLACED or DATE_PLACED_CEASED.",
)
def r522(ctx: RuleContext) -> Hits:
    p = _p(ctx)
    return {"placed_adoption": p["DATE_PLACED_CEASED"] < p["DATE_PLACED"]}


@rule(
    "523",
    ["placed_adoption"],
    ["DATE_PLACED"],
    "the decision to place for adoption (DATE_PLACED) differs from AD1's date adoption was "
    "decided to be in the child's best interests (DATE_INT).",
    "Make DATE_PLACED and DATE_INT the same date.",
)
def r523(ctx: RuleContext) -> Hits:
    p = _p(ctx)
    dint = _a(ctx).dropna(subset=["DATE_INT"]).drop_duplicates("CHILD", keep="last")
    other = ctx.lookup("placed_adoption", dint.set_index("CHILD")["DATE_INT"])
    return {
        "placed_adoption": p["DATE_PLACED"].notna() & other.notna() & p["DATE_PLACED"].ne(other)
    }


@rule(
    "525",
    ["placed_adoption"],
    ["DATE_PLACED_CEASED"],
    "the decision to place for adoption was reversed but adoption details (AD1) are given.",
    "Remove the AD1 row or the reversal.",
)
def r525(ctx: RuleContext) -> Hits:
    p = _p(ctx)
    a = _a(ctx)
    adopted = set(a.loc[a[AD1_ITEMS].notna().any(axis=1), "CHILD"])
    return {"placed_adoption": p["DATE_PLACED_CEASED"].notna() & p["CHILD"].isin(adopted)}


@rule(
    "551",
    ["episodes"],
    ["PLACE"],
    "the child is placed for adoption (A3-A6) but no decision to place for adoption "
    "(PlacedAdoption DATE_PLACED) is recorded.",
    "Add the PlacedAdoption row.",
)
def r551(ctx: RuleContext) -> Hits:
    e = ctx.tables["episodes"]
    p = _p(ctx)
    decided = set(p.loc[p["DATE_PLACED"].notna(), "CHILD"])
    return {"episodes": e["PLACE"].isin(ADOPTION_PLACES) & ~e["CHILD"].isin(decided)}


@rule(
    "552",
    ["placed_adoption"],
    ["DATE_PLACED"],
    "the decision to place for adoption is after the child was first placed for adoption.",
    "Correct DATE_PLACED or the adoption episode's DECOM.",
)
def r552(ctx: RuleContext) -> Hits:
    e = ctx.tables["episodes"]
    p = _p(ctx)
    first = _first_by_child(e, e["PLACE"].isin(ADOPTION_PLACES), "DECOM").set_index("CHILD")
    latest = _first_by_child(p, p["DATE_PLACED"].notna(), "DATE_PLACED", last=True)
    is_latest = pd.Series(p.index.isin(latest.index), index=p.index)
    return {
        "placed_adoption": is_latest
        & (p["DATE_PLACED"] > ctx.lookup("placed_adoption", first["DECOM"]))
    }


@rule(
    "553",
    ["episodes"],
    ["LS"],
    "a placement order (LS E1) is recorded but there is no decision to place for adoption.",
    "Add the PlacedAdoption row.",
)
def r553(ctx: RuleContext) -> Hits:
    e = ctx.tables["episodes"]
    return {"episodes": e["LS"].eq("E1") & ~e["CHILD"].isin(set(_p(ctx)["CHILD"]))}


@rule(
    "554",
    ["placed_adoption"],
    ["DATE_PLACED"],
    "the decision to place for adoption is after the placement order was granted (first "
    "episode with LS E1).",
    "Correct DATE_PLACED or the episode dates.",
    severity="warning",
)
def r554(ctx: RuleContext) -> Hits:
    e = ctx.tables["episodes"]
    p = _p(ctx)
    first = _first_by_child(e, e["LS"].eq("E1"), "DECOM").set_index("CHILD")["DECOM"]
    return {"placed_adoption": p["DATE_PLACED"] > ctx.lookup("placed_adoption", first)}


@rule(
    "557",
    ["episodes"],
    ["REC"],
    "the child was to be placed for adoption but left care without being adopted, and "
    "the decision's reversal (DATE_PLACED_CEASED, REASON_PLACED_CEASED) is not recorded.",
    "Record when and why the child should no longer be placed for adoption.",
)
def r557(ctx: RuleContext) -> Hits:
    e = ctx.tables["episodes"]
    p = _p(ctx)
    on_route = e["PLACE"].isin(ADOPTION_PLACES) | e["LS"].eq("E1")
    left = e["REC"].notna() & e["REC"].ne("X1") & ~e["REC"].isin(ADOPTED)
    reversed_ = set(
        p.loc[p["DATE_PLACED_CEASED"].notna() & p["REASON_PLACED_CEASED"].notna(), "CHILD"]
    )
    return {"episodes": on_route & left & ~e["CHILD"].isin(reversed_)}


@rule(
    "558",
    ["placed_adoption"],
    ["DATE_PLACED_CEASED"],
    "the child was adopted, yet the latest decision to place for adoption is recorded as reversed.",
    "Clear DATE_PLACED_CEASED and REASON_PLACED_CEASED of that decision.",
)
def r558(ctx: RuleContext) -> Hits:
    e = ctx.tables["episodes"]
    p = _p(ctx)
    adopted = set(e.loc[e["REC"].isin(ADOPTED), "CHILD"])
    latest = _first_by_child(p, p["DATE_PLACED"].notna(), "DATE_PLACED", last=True)
    is_latest = pd.Series(p.index.isin(latest.index), index=p.index)
    return {
        "placed_adoption": is_latest & p["CHILD"].isin(adopted) & p["DATE_PLACED_CEASED"].notna()
    }


@rule(
    "563",
    ["placed_adoption"],
    ["DATE_PLACED"],
    "the decision was reversed but the date of the decision to place for adoption is blank.",
    "Record DATE_PLACED.",
)
def r563(ctx: RuleContext) -> Hits:
    p = _p(ctx)
    return {
        "placed_adoption": p["REASON_PLACED_CEASED"].notna()
        & p["DATE_PLACED_CEASED"].notna()
        & p["DATE_PLACED"].isna()
    }


@rule(
    "579",
    ["placed_adoption"],
    ["DATE_PLACED"],
    "a new decision to place for adoption starts while the previous one is still open or "
    "before it was reversed.",
    "Record the reversal of the earlier decision, or correct the dates.",
)
def r579(ctx: RuleContext) -> Hits:
    p = _p(ctx).sort_values(["CHILD", "DATE_PLACED"], kind="stable")
    same = p["CHILD"].eq(p["CHILD"].shift(1))
    prev_ceased = p["DATE_PLACED_CEASED"].shift(1)
    bad = same & (prev_ceased.isna() | (p["DATE_PLACED"] < prev_ceased))
    return {"placed_adoption": bad}


@rule(
    "1003",
    ["placed_adoption"],
    ["DATE_PLACED"],
    "the decision to place for adoption is before the child first started to be looked after.",
    "Correct DATE_PLACED or the episodes.",
)
def r1003(ctx: RuleContext) -> Hits:
    e = ctx.tables["episodes"]
    p = _p(ctx)
    first = _first_by_child(e, e["RNE"].eq("S"), "DECOM").set_index("CHILD")["DECOM"]
    return {"placed_adoption": p["DATE_PLACED"] < ctx.lookup("placed_adoption", first)}


@rule(
    "117",
    ["placed_adoption"],
    ["DATE_PLACED", "DATE_PLACED_CEASED"],
    "a decision about placing for adoption is dated after the end of the collection year.",
    "Correct DATE_PLACED or DATE_PLACED_CEASED.",
)
def r117(ctx: RuleContext) -> Hits:
    p = _p(ctx)
    return {
        "placed_adoption": (p["DATE_PLACED"] > p["_end"]) | (p["DATE_PLACED_CEASED"] > p["_end"])
    }


__all__ = ["AD1_ITEMS", "ADOPTED", "ADOPTION_PLACES"]


@rule(
    "118",
    ["placed_adoption"],
    ["DATE_PLACED_CEASED"],
    "the decision that the child should no longer be placed for adoption is before the "
    "collection year or before the child first started to be looked after.",
    "Correct DATE_PLACED_CEASED.",
)
def r118(ctx: RuleContext) -> Hits:
    e = ctx.tables["episodes"]
    p = _p(ctx)
    first = e[~e["LS"].isin(["V3", "V4"])].groupby("CHILD")["DECOM"].min()
    ceased = p["DATE_PLACED_CEASED"]
    return {
        "placed_adoption": (ceased < p["_start"]) | (ceased < ctx.lookup("placed_adoption", first))
    }


@rule(
    "555",
    ["episodes"],
    ["LS"],
    "a freeing order (LS D1) is recorded but there is no decision to place for adoption.",
    "Add the PlacedAdoption row.",
    last=2024,
)
def r555(ctx: RuleContext) -> Hits:
    e = ctx.tables["episodes"]
    return {"episodes": e["LS"].eq("D1") & ~e["CHILD"].isin(set(_p(ctx)["CHILD"]))}


@rule(
    "556",
    ["episodes"],
    ["LS", "DECOM"],
    "the decision to place for adoption is after the freeing order (LS D1) was granted.",
    "Correct DATE_PLACED or the episode dates.",
    last=2024,
)
def r556(ctx: RuleContext) -> Hits:
    e = ctx.tables["episodes"]
    p = _p(ctx)
    latest = p.dropna(subset=["DATE_PLACED"]).groupby("CHILD")["DATE_PLACED"].max()
    return {"episodes": e["LS"].eq("D1") & (ctx.lookup("episodes", latest) > e["DECOM"])}
