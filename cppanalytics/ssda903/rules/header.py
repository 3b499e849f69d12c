"""DfE rules on the Header table: sex, dates of birth, UPN, mother status.

Examples
--------
>>> from cppanalytics.ssda903.dataset import Dataset
>>> from cppanalytics.ssda903.rules.registry import run_rules
>>> ds = Dataset.from_tables({"header": pd.DataFrame({"CHILD": ["1"], "SEX": ["1"],
...     "DOB": ["01/01/2010"], "UPN": ["X12"], "YEAR": [2024]})})
>>> run_rules(ds, codes=["168"]).code.tolist()
['dfe_168']
"""

from __future__ import annotations

import pandas as pd

from cppanalytics.ssda903.rules.context import (
    FEMALE,
    MALE,
    SHORT_BREAKS,
    RuleContext,
    add_years,
    age,
)
from cppanalytics.ssda903.rules.registry import Hits, rule

#: a UPN: a check letter (not I, O or S), then 12 digits or 11 digits and a letter;
#: or one of the "unknown" codes UN1-UN5
UPN_PATTERN = r"^(?:[A-HJ-NP-RT-Z](?:\d{12}|\d{11}[A-Z])|UN[1-5])$"


@rule(
    "102",
    ["header"],
    ["DOB"],
    "the date of birth is missing or not a real date.",
    "Record the child's date of birth as dd/mm/YYYY.",
)
def r102(ctx: RuleContext) -> Hits:
    return {"header": ctx.tables["header"]["DOB"].isna()}


@rule(
    "165",
    ["header"],
    ["MOTHER", "SEX"],
    "MOTHER is recorded for a child who is not female, or is not 0 or 1.",
    "Leave MOTHER blank for boys; for girls record 1 (is a mother) or 0 (is not).",
)
def r165(ctx: RuleContext) -> Hits:
    h = ctx.tables["header"]
    given = h["MOTHER"].notna()
    bad_value = given & ~h["MOTHER"].isin(["0", "1"])
    male = given & h["SEX"].isin(MALE)
    return {"header": bad_value | male}


@rule(
    "168",
    ["header"],
    ["UPN"],
    "the UPN is not a valid Unique Pupil Number (a letter then 12 digits, or 11 digits "
    "and a letter) nor an unknown code UN1-UN5.",
    "Correct the UPN from the school's records, or use the right UN1-UN5 code.",
)
def r168(ctx: RuleContext) -> Hits:
    upn = ctx.tables["header"]["UPN"]
    ok = upn.astype("string").str.upper().str.match(UPN_PATTERN).fillna(False)
    return {"header": upn.notna() & ~ok.astype(bool)}


@rule(
    "174",
    ["header"],
    ["MC_DOB", "SEX"],
    "a date of birth of the mother's child (MC_DOB) is recorded for a male child.",
    "Check the child's sex; if male, clear MC_DOB.",
)
def r174(ctx: RuleContext) -> Hits:
    h = ctx.tables["header"]
    return {"header": h["SEX"].isin(MALE) & h["MC_DOB"].notna()}


@rule(
    "209",
    ["header"],
    ["UPN", "DOB"],
    "the child is of school age but the UPN is UN1 (child not of school age).",
    "Record the child's UPN, or the UN code that applies.",
)
def r209(ctx: RuleContext) -> Hits:
    h = ctx.tables["header"]
    ref = pd.to_datetime((h["_year"] - 2).astype(str) + "-08-31")
    return {"header": h["UPN"].eq("UN1") & (add_years(h["DOB"], 4) <= ref)}


@rule(
    "232",
    ["header"],
    ["SEX"],
    "the child's sex is recorded as unknown (U).",
    "Record the child's sex as M or F if it is known.",
    first=2025,
    severity="warning",
)
def r232(ctx: RuleContext) -> Hits:
    return {"header": ctx.tables["header"]["SEX"].eq("U")}


@rule(
    "301",
    ["header"],
    ["DOB"],
    "the date of birth is after the end of the collection year.",
    "Correct the date of birth.",
)
def r301(ctx: RuleContext) -> Hits:
    h = ctx.tables["header"]
    return {"header": h["DOB"] > h["_end"]}


@rule(
    "351",
    ["header"],
    ["DOB"],
    "the child was over 25 at the start of the collection year.",
    "Check the date of birth; a young person over 25 should not be in the return.",
)
def r351(ctx: RuleContext) -> Hits:
    h = ctx.tables["header"]
    return {"header": h["_start"] > add_years(h["DOB"], 25)}


@rule(
    "393",
    ["header"],
    ["MOTHER"],
    "a girl looked after in the year (not only on short breaks) has no MOTHER status.",
    "Record MOTHER: 1 if she is a mother, 0 if not.",
)
def r393(ctx: RuleContext) -> Hits:
    h = ctx.tables["header"]
    looked_after = ctx.in_care_during_not_short_breaks("header")
    return {"header": h["SEX"].isin(FEMALE) & looked_after & h["MOTHER"].isna()}


@rule(
    "442",
    ["header"],
    ["UPN"],
    "the child is looked after in the year (not only on short breaks) but has no UPN.",
    "Record the UPN, or the UN1-UN5 code saying why it is not known.",
)
def r442(ctx: RuleContext) -> Hits:
    h = ctx.tables["header"]
    return {"header": ctx.in_care_during_not_short_breaks("header") & h["UPN"].isna()}


@rule(
    "611",
    ["header"],
    ["MC_DOB", "MOTHER"],
    "the child is recorded as a mother (MOTHER 1) but the date of birth of her child is blank.",
    "Record MC_DOB, the date of birth of her first child.",
)
def r611(ctx: RuleContext) -> Hits:
    h = ctx.tables["header"]
    return {"header": h["MOTHER"].eq("1") & h["MC_DOB"].isna()}


@rule(
    "612",
    ["header"],
    ["MC_DOB", "MOTHER"],
    "a date of birth of the mother's child is recorded but MOTHER does not say she is a mother.",
    "Set MOTHER to 1, or clear MC_DOB.",
)
def r612(ctx: RuleContext) -> Hits:
    h = ctx.tables["header"]
    not_mother = h["MOTHER"].eq("0") | h["MOTHER"].isna()
    return {"header": not_mother & h["SEX"].isin(FEMALE) & h["MC_DOB"].notna()}


@rule(
    "620",
    ["header"],
    ["DOB", "MOTHER"],
    "the child is recorded as a mother but was under 11 at the start of the year.",
    "Check MOTHER and the child's date of birth.",
)
def r620(ctx: RuleContext) -> Hits:
    h = ctx.tables["header"]
    return {"header": h["MOTHER"].eq("1") & (add_years(h["DOB"], 11) > h["_start"])}


@rule(
    "621",
    ["header"],
    ["MC_DOB", "DOB"],
    "the mother's child was born on or before the mother's own date of birth.",
    "Correct DOB or MC_DOB.",
)
def r621(ctx: RuleContext) -> Hits:
    h = ctx.tables["header"]
    return {"header": h["MC_DOB"].notna() & (h["MC_DOB"] <= h["DOB"])}


@rule(
    "625",
    ["header"],
    ["MC_DOB"],
    "the mother's child's date of birth is after the end of the collection year.",
    "Correct MC_DOB.",
)
def r625(ctx: RuleContext) -> Hits:
    h = ctx.tables["header"]
    return {"header": h["MC_DOB"] > h["_end"]}


__all__ = ["UPN_PATTERN", "age"]


@rule(
    "607",
    ["header"],
    ["MOTHER"],
    "a girl who left care in the year (not from short breaks) has no MOTHER status.",
    "Record MOTHER: 1 if she is a mother, 0 if not.",
)
def r607(ctx: RuleContext) -> Hits:
    h = ctx.tables["header"]
    e = ctx.tables["episodes"]
    left = (
        e["DEC"].notna()
        & e["REC"].notna()
        & e["REC"].ne("X1")
        & ~e["LS"].isin(SHORT_BREAKS)
        & e["DEC"].between(e["_start"], e["_end"])
    )
    # the Header of the year she left (the latest Header loaded is the one checked)
    left_years = set(e.loc[left, "CHILD"].astype(str) + "|" + e.loc[left, "_year"].astype(str))
    key = h["CHILD"].astype(str) + "|" + h["_year"].astype(str)
    return {"header": h["SEX"].isin(FEMALE) & key.isin(left_years) & h["MOTHER"].isna()}


@rule(
    "628",
    ["header"],
    ["MOTHER"],
    "MOTHER is recorded for a care leaver who was not looked after in the year (motherhood "
    "is collected only for children looked after).",
    "Leave MOTHER blank for care leavers with no episodes in the year.",
)
def r628(ctx: RuleContext) -> Hits:
    h = ctx.tables["header"]
    oc3 = ctx.tables["oc3"]
    leavers = oc3[oc3[["IN_TOUCH", "ACTIV", "ACCOM"]].notna().any(axis=1)]
    leaver_years = set(leavers["CHILD"].astype(str) + "|" + leavers["_year"].astype(str))
    key = h["CHILD"].astype(str) + "|" + h["_year"].astype(str)
    return {"header": key.isin(leaver_years) & ~ctx.in_care_during("header") & h["MOTHER"].notna()}


@rule(
    "210",
    ["header"],
    ["UPN"],
    "the UPN is UN4 (child newly looked after, UPN not yet known) but the child has been "
    "looked after for more than a week at 31 March.",
    "Record the child's UPN.",
)
def r210(ctx: RuleContext) -> Hits:
    h = ctx.tables["header"]
    e = ctx.tables["episodes"]
    e = e[e["DECOM"].notna()]
    first = e.groupby("CHILD")["DECOM"].min()
    start = ctx.lookup("header", first)
    return {"header": h["UPN"].eq("UN4") & (start < h["_end"] - pd.Timedelta(days=7))}
