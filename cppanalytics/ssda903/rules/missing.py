"""DfE rules on the Missing table (missing or away from placement without authorisation).

Examples
--------
>>> from cppanalytics.ssda903.dataset import Dataset
>>> from cppanalytics.ssda903.rules.registry import run_rules
>>> ds = Dataset.from_tables({"missing": pd.DataFrame({"CHILD": ["1"], "MISSING": ["M"],
...     "MIS_START": ["05/05/2023"], "MIS_END": ["04/05/2023"], "YEAR": [2024]})})
>>> run_rules(ds, codes=["567"]).code.tolist()
['dfe_567']
"""

from __future__ import annotations

import pandas as pd

from cppanalytics.ssda903.rules.context import RuleContext
from cppanalytics.ssda903.rules.registry import Hits, rule


def _m(ctx: RuleContext) -> pd.DataFrame:
    return ctx.tables["missing"]


def _with_episodes(ctx: RuleContext) -> pd.DataFrame:
    """Each missing row paired with each of the child's episodes (``_r`` = missing row)."""
    m = _m(ctx)
    e = ctx.tables["episodes"][["CHILD", "DECOM", "DEC", "REC"]]
    return m[["CHILD", "MIS_START", "MIS_END"]].assign(_r=m.index).merge(e, on="CHILD")


def _rows(ctx: RuleContext, rows: pd.Series) -> pd.Series:
    m = _m(ctx)
    return pd.Series(m.index.isin(set(rows)), index=m.index)


@rule(
    "564",
    ["missing"],
    ["MIS_START"],
    "a missing or away episode has no start date.",
    "Record MIS_START.",
)
def r564(ctx: RuleContext) -> Hits:
    m = _m(ctx)
    return {"missing": m["MISSING"].isin(["M", "A"]) & m["MIS_START"].isna()}


@rule(
    "565",
    ["missing"],
    ["MISSING"],
    "a missing start date is given but not whether the child was missing (M) or away (A).",
    "Record MISSING as M or A.",
)
def r565(ctx: RuleContext) -> Hits:
    m = _m(ctx)
    return {"missing": m["MIS_START"].notna() & m["MISSING"].isna()}


@rule(
    "566",
    ["missing"],
    ["MISSING"],
    "a missing end date is given but not whether the child was missing (M) or away (A).",
    "Record MISSING as M or A.",
)
def r566(ctx: RuleContext) -> Hits:
    m = _m(ctx)
    return {"missing": m["MIS_END"].notna() & m["MISSING"].isna()}


@rule(
    "567",
    ["missing"],
    ["MIS_END", "MIS_START"],
    "the missing or away episode ends (MIS_END) before it starts (MIS_START).",
    "Correct MIS_START or MIS_END.",
)
def r567(ctx: RuleContext) -> Hits:
    m = _m(ctx)
    return {"missing": m["MIS_END"] < m["MIS_START"]}


@rule(
    "570",
    ["missing"],
    ["MIS_START"],
    "the missing or away episode starts after the end of the collection year.",
    "Correct MIS_START, or leave it for next year's return.",
)
def r570(ctx: RuleContext) -> Hits:
    m = _m(ctx)
    return {"missing": m["MIS_START"] > m["_end"]}


@rule(
    "571",
    ["missing"],
    ["MIS_END"],
    "the missing or away episode ends outside the collection year.",
    "Correct MIS_END (leave it blank if the child is still missing at 31 March).",
)
def r571(ctx: RuleContext) -> Hits:
    m = _m(ctx)
    return {"missing": (m["MIS_END"] < m["_start"]) | (m["MIS_END"] > m["_end"])}


@rule(
    "574",
    ["missing"],
    ["MIS_START"],
    "a missing or away episode starts while the child's previous one is still open or "
    "before it ended.",
    "Close the previous episode, or correct the dates.",
)
def r574(ctx: RuleContext) -> Hits:
    m = _m(ctx)
    order = m.assign(_fill=m["MIS_END"].fillna(m["MIS_START"])).sort_values(
        ["CHILD", "_fill", "MIS_START"], kind="stable"
    )
    same = order["CHILD"].eq(order["CHILD"].shift(1))
    prev_end = order["MIS_END"].shift(1)
    bad = same & (prev_end.isna() | (order["MIS_START"] < prev_end))
    return {"missing": bad}


@rule(
    "575",
    ["missing"],
    ["MIS_END"],
    "the placement the child went missing from has ended but the missing episode has no end date.",
    "Record MIS_END.",
)
def r575(ctx: RuleContext) -> Hits:
    j = _with_episodes(ctx)
    hit = j["MIS_START"].between(j["DECOM"], j["DEC"]) & j["MIS_END"].isna() & j["DEC"].notna()
    return {"missing": _rows(ctx, j.loc[hit, "_r"])}


@rule(
    "581",
    ["missing"],
    ["MIS_START"],
    "the child is recorded missing or away on a date when they were not looked after "
    "(no episode covers MIS_START).",
    "Check MIS_START and the child's episodes.",
)
def r581(ctx: RuleContext) -> Hits:
    m = _m(ctx)
    j = _with_episodes(ctx)
    inside = (j["MIS_START"] >= j["DECOM"]) & (j["DEC"].isna() | (j["MIS_START"] <= j["DEC"]))
    covered = _rows(ctx, j.loc[inside, "_r"])
    has_eps = m["CHILD"].isin(set(ctx.tables["episodes"]["CHILD"]))
    return {"missing": m["MIS_START"].notna() & has_eps & ~covered}


@rule(
    "586",
    ["missing"],
    ["MIS_START"],
    "the missing or away episode starts before the child was born.",
    "Correct MIS_START or the date of birth.",
)
def r586(ctx: RuleContext) -> Hits:
    m = _m(ctx)
    return {"missing": m["MIS_START"] < ctx.dob("missing")}


@rule(
    "576",
    ["missing"],
    ["MIS_END"],
    "a missing or away episode open at the end of an earlier year's return is not in the "
    "next year's return (neither closed nor still open).",
    "Add the episode, with its end date, to the next year's Missing table.",
)
def r576(ctx: RuleContext) -> Hits:
    m = _m(ctx)
    if m.empty:
        return {}
    key = m["CHILD"].astype(str) + "|" + m["MIS_START"].astype(str)
    latest = m["_year"].groupby(key).transform("max")
    later_return = m["_year"] < m["_year"].max()
    open_ = m["MIS_START"].notna() & m["MIS_END"].isna()
    return {"missing": open_ & later_return & (latest == m["_year"])}
