"""DfE rules on the PrevPerm table (permanence before this period of care).

Examples
--------
>>> from cppanalytics.ssda903.dataset import Dataset
>>> from cppanalytics.ssda903.rules.registry import run_rules
>>> ds = Dataset.from_tables({"prev_perm": pd.DataFrame({"CHILD": ["1"], "LA_PERM": ["825"],
...     "YEAR": [2024]})})
>>> run_rules(ds, codes=["635"]).code.tolist()
['dfe_635']
"""

from __future__ import annotations

import pandas as pd

from cppanalytics.ssda903.rules.context import SHORT_BREAKS, RuleContext
from cppanalytics.ssda903.rules.registry import Hits, rule


def _pp(ctx: RuleContext) -> pd.DataFrame:
    return ctx.tables["prev_perm"]


@rule(
    "630",
    ["episodes"],
    ["RNE"],
    "the child started to be looked after in the year (RNE S, not a short break) but "
    "previous permanence "
    "(PrevPerm) is missing, or has no LA_PERM/DATE_PERM for an option other than Z1.",
    "Add the PrevPerm row: PREV_PERM, and for P1-P4 the council and date of the order.",
)
def r630(ctx: RuleContext) -> Hits:
    e = ctx.tables["episodes"]
    pp = _pp(ctx).drop_duplicates("CHILD", keep="last").set_index("CHILD")
    perm = ctx.lookup("episodes", pp["PREV_PERM"])
    has_row = e["CHILD"].isin(pp.index)
    detail_missing = (
        perm.notna()
        & perm.ne("Z1")
        & (
            ctx.lookup("episodes", pp["LA_PERM"]).isna()
            | ctx.lookup("episodes", pp["DATE_PERM"]).isna()
        )
    )
    started = e["RNE"].eq("S") & (e["DECOM"] >= e["_start"]) & ~e["LS"].isin(SHORT_BREAKS)
    return {"episodes": started & (~has_row | perm.isna() | detail_missing)}


@rule(
    "632",
    ["prev_perm"],
    ["DATE_PERM"],
    "the date of the previous permanence order is on or after the start of the child's "
    "latest period of care.",
    "Correct DATE_PERM (the order made before this period of care).",
)
def r632(ctx: RuleContext) -> Hits:
    p = _pp(ctx)
    e = ctx.tables["episodes"]
    latest_start = e[e["RNE"].eq("S")].groupby("CHILD")["DECOM"].max()
    return {"prev_perm": p["DATE_PERM"] >= ctx.lookup("prev_perm", latest_start)}


@rule(
    "634",
    ["prev_perm"],
    ["PREV_PERM"],
    "previous permanence is recorded but the child has not started a period of care in "
    "the collection year.",
    "Remove the PrevPerm row, or check the episodes.",
)
def r634(ctx: RuleContext) -> Hits:
    p = _pp(ctx)
    e = ctx.tables["episodes"]
    last = e.groupby("CHILD")["DECOM"].max()
    given = p[["PREV_PERM", "LA_PERM", "DATE_PERM"]].notna().any(axis=1)
    return {"prev_perm": given & (ctx.lookup("prev_perm", last) < p["_start"])}


@rule(
    "635",
    ["prev_perm"],
    ["PREV_PERM", "LA_PERM", "DATE_PERM"],
    "the council or date of a previous permanence order is given but the previous "
    "permanence option is blank.",
    "Record PREV_PERM.",
)
def r635(ctx: RuleContext) -> Hits:
    p = _pp(ctx)
    return {"prev_perm": (p["LA_PERM"].notna() | p["DATE_PERM"].notna()) & p["PREV_PERM"].isna()}
