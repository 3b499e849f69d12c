"""DfE rules on the Reviews table (reviews of the child's case and how they took part).

Examples
--------
>>> from cppanalytics.ssda903.dataset import Dataset
>>> from cppanalytics.ssda903.rules.registry import run_rules
>>> ds = Dataset.from_tables({"reviews": pd.DataFrame({"CHILD": ["1"], "DOB": ["01/06/2010"],
...     "REVIEW": ["01/06/2023"], "REVIEW_CODE": ["PN0"], "YEAR": [2024]})})
>>> run_rules(ds, codes=["440"]).code.tolist()
['dfe_440']
"""

from __future__ import annotations

import pandas as pd

from cppanalytics.ssda903.rules.context import SHORT_BREAKS, RuleContext, add_years
from cppanalytics.ssda903.rules.registry import Hits, rule


def _r(ctx: RuleContext) -> pd.DataFrame:
    return ctx.tables["reviews"]


@rule(
    "166",
    ["reviews"],
    ["REVIEW"],
    "the review date is missing or not a real date.",
    "Record REVIEW as dd/mm/YYYY.",
)
def r166(ctx: RuleContext) -> Hits:
    r = _r(ctx)
    return {"reviews": r["REVIEW"].isna()}


@rule(
    "399",
    ["reviews"],
    ["REVIEW", "REVIEW_CODE"],
    "a review is recorded for a child looked after only on short breaks (V3/V4).",
    "Remove the review rows for children on short breaks only.",
)
def r399(ctx: RuleContext) -> Hits:
    r = _r(ctx)
    e = ctx.tables["episodes"]
    only_breaks = e["LS"].isin(SHORT_BREAKS).groupby(e["CHILD"]).all()
    kids = set(only_breaks[only_breaks].index)
    return {"reviews": r["CHILD"].isin(kids) & (r["REVIEW"].notna() | r["REVIEW_CODE"].notna())}


@rule(
    "440",
    ["reviews"],
    ["REVIEW_CODE"],
    "participation code PN0 (child under 4) is used but the child was 4 or over at the review.",
    "Record how the child took part (PN1-PN7).",
)
def r440(ctx: RuleContext) -> Hits:
    r = _r(ctx)
    return {
        "reviews": r["REVIEW_CODE"].eq("PN0") & (r["REVIEW"] > add_years(ctx.dob("reviews"), 4))
    }


@rule(
    "441",
    ["reviews"],
    ["REVIEW_CODE"],
    "a participation code for a child of 4 or over (PN1-PN7) is used but the child was "
    "under 4 at the review.",
    "Record PN0 for children under 4.",
)
def r441(ctx: RuleContext) -> Hits:
    r = _r(ctx)
    older_code = r["REVIEW_CODE"].isin(["PN1", "PN2", "PN3", "PN4", "PN5", "PN6", "PN7"])
    return {"reviews": older_code & (r["REVIEW"] < add_years(ctx.dob("reviews"), 4))}
