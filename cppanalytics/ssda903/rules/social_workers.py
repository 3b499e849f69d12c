"""DfE rules on the SWEpisodes table (social worker episodes, collected from 2023-24).

Examples
--------
>>> from cppanalytics.ssda903.dataset import Dataset
>>> from cppanalytics.ssda903.rules.registry import run_rules
>>> ds = Dataset.from_tables({"sw_episodes": pd.DataFrame({"CHILD": ["1"], "SW_ID": ["AB12"],
...     "SW_DECOM": ["01/05/2023"], "YEAR": [2024]})})
>>> run_rules(ds, codes=["SW02STG1"]).code.tolist()
['dfe_SW02STG1']
"""

from __future__ import annotations

import pandas as pd

from cppanalytics.ssda903.rules.context import RuleContext
from cppanalytics.ssda903.rules.registry import Hits, rule

FIRST = 2024  # social worker episodes are collected from 2023-24


def _s(ctx: RuleContext) -> pd.DataFrame:
    return ctx.tables["sw_episodes"]


def _ordered(ctx: RuleContext) -> pd.DataFrame:
    s = _s(ctx)
    order = s.sort_values(["CHILD", "SW_DECOM", "SW_DEC"], kind="stable", na_position="last")
    same_prev = order["CHILD"].eq(order["CHILD"].shift(1))
    same_next = order["CHILD"].eq(order["CHILD"].shift(-1))
    return order.assign(
        has_prev=same_prev,
        has_next=same_next,
        prev_SW_DEC=order["SW_DEC"].shift(1).where(same_prev),
    )


@rule(
    "SW01STG1",
    ["sw_episodes"],
    ["SW_DECOM", "SW_ID"],
    "the social worker episode has no start date or no social worker ID.",
    "Record SW_ID and SW_DECOM for every social worker episode.",
    first=FIRST,
)
def sw01(ctx: RuleContext) -> Hits:
    s = _s(ctx)
    return {"sw_episodes": s["SW_DECOM"].isna() | s["SW_ID"].isna()}


@rule(
    "SW02STG1",
    ["sw_episodes"],
    ["SW_ID"],
    "the social worker ID does not begin with SW (or XX when not known).",
    "Use the social worker's workforce ID (SW...), or XX... if it is not known.",
    first=FIRST,
)
def sw02(ctx: RuleContext) -> Hits:
    s = _s(ctx)
    ok = s["SW_ID"].astype("string").str[:2].str.upper().isin(["SW", "XX"])
    return {"sw_episodes": s["SW_ID"].notna() & ~ok.fillna(False).astype(bool)}


@rule(
    "SW06STG2",
    ["sw_episodes"],
    ["SW_DECOM"],
    "the social worker episode starts after the end of the collection year.",
    "Correct SW_DECOM.",
    first=FIRST,
)
def sw06(ctx: RuleContext) -> Hits:
    s = _s(ctx)
    return {"sw_episodes": s["SW_DECOM"] > s["_end"]}


@rule(
    "SW07STG2",
    ["sw_episodes"],
    ["SW_DEC"],
    "the social worker episode ends outside the reporting period (the collection year and "
    "the year before it).",
    "Correct SW_DEC.",
    first=FIRST,
)
def sw07(ctx: RuleContext) -> Hits:
    s = _s(ctx)
    early = s["SW_DEC"] < s["_start"] - pd.DateOffset(years=1)
    return {"sw_episodes": early | (s["SW_DEC"] > s["_end"])}


@rule(
    "SW08STG2",
    ["sw_episodes"],
    ["SW_DEC"],
    "a later social worker episode starts but this one has no end date.",
    "Record SW_DEC.",
    first=FIRST,
)
def sw08(ctx: RuleContext) -> Hits:
    o = _ordered(ctx)
    return {"sw_episodes": o["has_next"] & o["SW_DEC"].isna() & o["SW_DECOM"].notna()}


@rule(
    "SW09STG2",
    ["sw_episodes"],
    ["SW_DEC", "SW_DECOM"],
    "the social worker episode starts and ends on the same day.",
    "Check SW_DECOM and SW_DEC.",
    first=FIRST,
    severity="warning",
)
def sw09(ctx: RuleContext) -> Hits:
    s = _s(ctx)
    return {"sw_episodes": s["SW_DEC"].eq(s["SW_DECOM"])}


@rule(
    "SW10STG2",
    ["sw_episodes"],
    ["SW_DECOM"],
    "the social worker episode does not start within 7 days of the previous one ending "
    "(gap or overlap).",
    "Correct the dates so social worker episodes follow each other.",
    first=FIRST,
)
def sw10(ctx: RuleContext) -> Hits:
    o = _ordered(ctx)
    gap = (o["SW_DECOM"] - o["prev_SW_DEC"]).abs() > pd.Timedelta(days=7)
    return {"sw_episodes": o["has_prev"] & gap & ~o["SW_REASON"].eq("FCONTA")}


@rule(
    "SW13STG1",
    ["sw_episodes"],
    ["SW_REASON"],
    "the reason the social worker changed is missing on an episode that ended.",
    "Record SW_REASON (MANAGE, FCONTA, LEFTRL, ORGRST, TSPROC, ABSENC, CHCHAN, PCCHAN, "
    "SWDIED or OTHERS).",
    first=FIRST,
)
def sw13_blank(ctx: RuleContext) -> Hits:
    s = _s(ctx)
    return {
        "sw_episodes": s["SW_DEC"].notna()
        & s["SW_REASON"].isna()
        & (s["SW_DECOM"] >= pd.Timestamp("2023-04-01"))
    }


@rule(
    "SW17STG2",
    ["sw_episodes"],
    ["SW_DEC"],
    "the child's latest social worker episode has ended: none is open at 31 March.",
    "Add the open episode of the current social worker.",
    first=2026,
)
def sw17(ctx: RuleContext) -> Hits:
    o = _ordered(ctx)
    cla = ctx.in_care_at_end("sw_episodes").reindex(o.index)
    return {"sw_episodes": ~o["has_next"] & o["SW_DEC"].notna() & cla}
