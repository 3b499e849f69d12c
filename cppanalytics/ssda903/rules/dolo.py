"""DfE rules on the DoLo table (deprivation of liberty orders, collected from 2026-27).

Examples
--------
>>> from cppanalytics.ssda903.dataset import Dataset
>>> from cppanalytics.ssda903.rules.registry import run_rules
>>> ds = Dataset.from_tables({"dolo": pd.DataFrame({"CHILD": ["1"],
...     "DOLO_START": ["05/05/2026"], "DOLO_END": ["04/05/2026"], "YEAR": [2027]})})
>>> run_rules(ds, codes=["702"]).code.tolist()
['dfe_702']
"""

from __future__ import annotations

import pandas as pd

from cppanalytics.ssda903.rules.context import RuleContext
from cppanalytics.ssda903.rules.registry import Hits, rule

FIRST = 2027  # DoLo is collected from 2026-27


def _d(ctx: RuleContext) -> pd.DataFrame:
    return ctx.tables["dolo"]


@rule(
    "702",
    ["dolo"],
    ["DOLO_END", "DOLO_START"],
    "the deprivation of liberty order ends before it starts.",
    "Correct DOLO_START or DOLO_END.",
    first=FIRST,
)
def r702(ctx: RuleContext) -> Hits:
    d = _d(ctx)
    return {"dolo": d["DOLO_END"] < d["DOLO_START"]}


@rule(
    "703",
    ["dolo"],
    ["DOLO_START"],
    "the deprivation of liberty order starts after the end of the collection year.",
    "Correct DOLO_START.",
    first=FIRST,
)
def r703(ctx: RuleContext) -> Hits:
    d = _d(ctx)
    return {"dolo": d["DOLO_START"] > d["_end"]}


@rule(
    "704",
    ["dolo"],
    ["DOLO_END"],
    "the deprivation of liberty order ends outside the collection year.",
    "Correct DOLO_END (blank if the order is still in force at 31 March).",
    first=FIRST,
)
def r704(ctx: RuleContext) -> Hits:
    d = _d(ctx)
    return {"dolo": (d["DOLO_END"] < d["_start"]) | (d["DOLO_END"] > d["_end"])}


@rule(
    "705",
    ["dolo"],
    ["DOLO_START"],
    "a deprivation of liberty order starts while the child's previous one is still open "
    "or before it ended.",
    "Close the previous order, or correct the dates.",
    first=FIRST,
)
def r705(ctx: RuleContext) -> Hits:
    d = _d(ctx)
    order = d.assign(_fill=d["DOLO_END"].fillna(d["DOLO_START"])).sort_values(
        ["CHILD", "_fill", "DOLO_START"], kind="stable"
    )
    same = order["CHILD"].eq(order["CHILD"].shift(1))
    prev_end = order["DOLO_END"].shift(1)
    return {"dolo": same & (prev_end.isna() | (order["DOLO_START"] < prev_end))}


@rule(
    "707",
    ["dolo"],
    ["DOLO_END"],
    "the child left care (the latest episode ended) but the deprivation of liberty order "
    "has no end date.",
    "Record DOLO_END.",
    first=FIRST,
)
def r707(ctx: RuleContext) -> Hits:
    d = _d(ctx)
    last = ctx.eps.drop_duplicates("CHILD", keep="last")
    left = last[last["DEC"].notna() & last["REC"].ne("X1")].set_index("CHILD")["DEC"]
    ended = ctx.lookup("dolo", left)
    return {"dolo": d["DOLO_START"].notna() & d["DOLO_END"].isna() & (ended >= d["DOLO_START"])}


@rule(
    "708",
    ["dolo"],
    ["DOLO_START"],
    "the deprivation of liberty order starts before the child was born.",
    "Correct DOLO_START or the date of birth.",
    first=FIRST,
)
def r708(ctx: RuleContext) -> Hits:
    d = _d(ctx)
    return {"dolo": d["DOLO_START"] < ctx.dob("dolo")}
