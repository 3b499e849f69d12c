"""DfE rules on the Episodes table: dates, sequences of episodes, legal status, placements.

Rules reading a child's previous or next episode use every collection year loaded, so a
chain that crosses 31 March is judged as one chain.

Examples
--------
>>> from cppanalytics.ssda903.dataset import Dataset
>>> from cppanalytics.ssda903.rules.registry import run_rules
>>> ds = Dataset.from_tables({"episodes": pd.DataFrame({"CHILD": ["1", "1"],
...     "DECOM": ["01/05/2023", "01/06/2023"], "DEC": ["01/06/2023", ""],
...     "RNE": ["S", "S"], "REC": ["X1", ""], "YEAR": [2024, 2024]})})
>>> run_rules(ds, codes=["431"]).code.tolist()
['dfe_431']
"""

from __future__ import annotations

import pandas as pd

from cppanalytics.ssda903.rules.context import SHORT_BREAKS, RuleContext, add_years, age
from cppanalytics.ssda903.rules.registry import Hits, rule

TEMPORARY: tuple[str, ...] = ("T0", "T1", "T2", "T3", "T4")
ADOPTION_PLACES: tuple[str, ...] = ("A3", "A4", "A5", "A6")
#: REC codes that end a period of care (every code but X1)
EXITS: tuple[str, ...] = (
    "E11",
    "E12",
    "E2",
    "E3",
    "E4A",
    "E4B",
    "E13",
    "E41",
    "E43",
    "E44",
    "E45",
    "E46",
    "E47",
    "E48",
    "E5",
    "E6",
    "E7",
    "E8",
    "E9",
    "E14",
    "E15",
    "E16",
    "E17",
)
#: placements with no placement provider (no Ofsted provider): temporary and "other"
NO_PROVIDER_TO_2025: tuple[str, ...] = (*TEMPORARY, "Z1")
NO_PROVIDER_FROM_2026: tuple[str, ...] = (*TEMPORARY, "Z11", "Z12", "Z13", "Z14")
EARLIEST_DECOM = pd.Timestamp("1991-10-14")


def _e(ctx: RuleContext) -> pd.DataFrame:
    return ctx.tables["episodes"]


def _hdob(ctx: RuleContext) -> pd.Series:
    return ctx.header_value("episodes", "DOB")


def _end_or_year_end(e: pd.DataFrame) -> pd.Series:
    """DEC, or for an open episode the end of the row's collection year: the extract date
    for a year still in progress (``_asof``), as far as the episode is known to have lasted
    (police protection opened two days before an in-year extract has lasted two days)."""
    return e["DEC"].fillna(e["_asof"])


# --- dates ---------------------------------------------------------------------------


@rule(
    "141",
    ["episodes"],
    ["DECOM"],
    "the episode has no valid start date (DECOM).",
    "Record DECOM as dd/mm/YYYY.",
)
def r141(ctx: RuleContext) -> Hits:
    return {"episodes": _e(ctx)["DECOM"].isna()}


@rule(
    "148",
    ["episodes"],
    ["DEC", "REC"],
    "the episode has an end date without a reason it ended, or a reason without an end date.",
    "Record both DEC and REC, or neither if the episode is still open.",
)
def r148(ctx: RuleContext) -> Hits:
    e = _e(ctx)
    return {"episodes": e["DEC"].isna() != e["REC"].isna()}


@rule(
    "353",
    ["episodes"],
    ["DECOM"],
    "the episode starts before 14 October 1991.",
    "Correct DECOM; episodes before the Children Act 1989 took effect are not returned.",
)
def r353(ctx: RuleContext) -> Hits:
    return {"episodes": _e(ctx)["DECOM"] < EARLIEST_DECOM}


@rule(
    "354",
    ["episodes"],
    ["DECOM"],
    "the episode starts after the end of the collection year.",
    "Correct DECOM, or leave the episode out of this year's return.",
)
def r354(ctx: RuleContext) -> Hits:
    e = _e(ctx)
    return {"episodes": e["DECOM"] > e["_end"]}


@rule(
    "355",
    ["episodes"],
    ["DEC", "DECOM"],
    "the episode starts and ends on the same day (lasted less than 24 hours).",
    "Check DECOM and DEC; an episode must last at least a day.",
    severity="warning",
)
def r355(ctx: RuleContext) -> Hits:
    e = _e(ctx)
    return {"episodes": e["DECOM"].eq(e["DEC"])}


@rule(
    "356",
    ["episodes"],
    ["DEC", "DECOM"],
    "the episode ends (DEC) before it starts (DECOM).",
    "Correct DECOM or DEC.",
)
def r356(ctx: RuleContext) -> Hits:
    e = _e(ctx)
    return {"episodes": e["DEC"] < e["DECOM"]}


@rule(
    "385",
    ["episodes"],
    ["DEC"],
    "the episode ends after the end of the collection year.",
    "Correct DEC, or leave the episode open in this year's return.",
)
def r385(ctx: RuleContext) -> Hits:
    e = _e(ctx)
    return {"episodes": e["DEC"] > e["_end"]}


@rule(
    "302",
    ["episodes"],
    ["DECOM"],
    "the episode starts before the child was born.",
    "Correct DECOM in Episodes or DOB in Header.",
)
def r302(ctx: RuleContext) -> Hits:
    e = _e(ctx)
    return {"episodes": e["DECOM"] < _hdob(ctx)}


# --- sequences of episodes -----------------------------------------------------------


@rule(
    "142",
    ["episodes"],
    ["DEC", "REC"],
    "a later episode of the child starts but this one has no end date or reason.",
    "Close this episode (DEC and REC; X1 if the next episode starts the same day).",
)
def r142(ctx: RuleContext) -> Hits:
    e = ctx.eps
    return {"episodes": e["has_next"] & (e["DEC"].isna() | e["REC"].isna())}


@rule(
    "357",
    ["episodes"],
    ["RNE"],
    "the child's first episode in the data starts in the year but its reason for new "
    "episode is not S (started to be looked after).",
    "Add the missing earlier episode, or change RNE to S.",
)
def r357(ctx: RuleContext) -> Hits:
    e = ctx.eps
    first = ~e["has_prev"] & (e["DECOM"] >= e["_start"])
    return {"episodes": first & e["RNE"].ne("S") & e["RNE"].notna()}


@rule(
    "388",
    ["episodes"],
    ["REC"],
    "X1 (new episode begins) is not followed by an episode starting the same day, or an "
    "episode ends with another reason but the next one starts that day.",
    "Use X1 only when the next episode starts on the same day; otherwise record the "
    "reason the child left care.",
)
def r388(ctx: RuleContext) -> Hits:
    e = ctx.eps
    x1 = e["REC"].eq("X1") & e["DEC"].notna()
    same_day = e["DEC"].eq(e["next_DECOM"])
    case1 = e["has_next"] & x1 & ~same_day
    case2 = e["has_next"] & e["REC"].notna() & e["REC"].ne("X1") & e["DEC"].notna() & same_day
    case3 = ~e["has_next"] & x1
    return {"episodes": case1 | case2 | case3}


@rule(
    "431",
    ["episodes"],
    ["RNE", "DECOM"],
    "the reason for new episode is S (started to be looked after) but the previous "
    "episode ended the same day or later, so the child never left care.",
    "Change RNE to the code saying what changed (L, P, T, U or B), or correct the dates.",
)
def r431(ctx: RuleContext) -> Hits:
    e = ctx.eps
    return {"episodes": e["has_prev"] & e["RNE"].eq("S") & (e["DECOM"] <= e["prev_DEC"])}


@rule(
    "432",
    ["episodes"],
    ["RNE"],
    "the previous episode ended with the child leaving care, but this episode's reason "
    "for new episode is not S (started to be looked after).",
    "Set RNE to S, or correct the previous episode's REC to X1 if care continued.",
)
def r432(ctx: RuleContext) -> Hits:
    e = ctx.eps
    return {"episodes": e["has_prev"] & e["prev_REC"].isin(EXITS) & e["RNE"].ne("S")}


@rule(
    "433",
    ["episodes"],
    ["RNE", "DECOM"],
    "the reason for new episode says care continued (P, L, T, U or B) but the episode "
    "does not start on the day the previous one ended.",
    "Correct DECOM or the previous DEC, or set RNE to S if the child re-entered care.",
)
def r433(ctx: RuleContext) -> Hits:
    e = ctx.eps
    cont = e["RNE"].isin(["P", "L", "T", "U", "B"])
    mismatch = ~e["prev_DEC"].eq(e["DECOM"]).fillna(False).astype(bool)
    return {"episodes": e["has_prev"] & cont & mismatch}


def _placement_same(e: pd.DataFrame) -> pd.Series:
    cols = ["PLACE", "PL_POST", "URN", "PLACE_PROVIDER"]
    same = pd.Series(True, index=e.index)
    for c in cols:
        same &= e[c].fillna("").astype(str).eq(e[f"prev_{c}"].fillna("").astype(str))
    return same


@rule(
    "434",
    ["episodes"],
    ["RNE", "LS"],
    "RNE is L (legal status changed, placement the same) but the legal status is "
    "unchanged or the placement details changed.",
    "Use the RNE code matching what changed, or correct LS/placement details.",
)
def r434(ctx: RuleContext) -> Hits:
    e = ctx.eps
    ls_same = e["LS"].eq(e["prev_LS"]).fillna(False).astype(bool)
    return {"episodes": e["has_prev"] & e["RNE"].eq("L") & (ls_same | ~_placement_same(e))}


@rule(
    "435",
    ["episodes"],
    ["RNE", "PLACE"],
    "RNE is P or T (placement changed, legal status the same) but the legal status "
    "changed or the placement details are all unchanged.",
    "Use the RNE code matching what changed, or correct LS/placement details.",
)
def r435(ctx: RuleContext) -> Hits:
    e = ctx.eps
    ls_diff = ~e["LS"].eq(e["prev_LS"]).fillna(False).astype(bool)
    return {"episodes": e["has_prev"] & e["RNE"].isin(["P", "T"]) & (ls_diff | _placement_same(e))}


@rule(
    "436",
    ["episodes"],
    ["RNE", "LS", "PLACE"],
    "RNE is U or B (both placement and legal status changed) but one of them is unchanged.",
    "Use the RNE code matching what changed.",
)
def r436(ctx: RuleContext) -> Hits:
    e = ctx.eps
    ls_same = e["LS"].fillna("").eq(e["prev_LS"].fillna(""))
    return {"episodes": e["has_prev"] & e["RNE"].isin(["U", "B"]) & (ls_same | _placement_same(e))}


@rule(
    "437",
    ["episodes"],
    ["REC"],
    "the episode ended because the child died (E2) or turned 18 (E15) but later episodes follow.",
    "Correct REC, or remove the later episodes.",
)
def r437(ctx: RuleContext) -> Hits:
    e = ctx.eps
    return {"episodes": e["has_next"] & e["REC"].isin(["E2", "E15"])}


@rule(
    "501",
    ["episodes"],
    ["DECOM"],
    "the episode starts before the previous episode ended.",
    "Correct the dates so the child's episodes do not overlap.",
)
def r501(ctx: RuleContext) -> Hits:
    e = ctx.eps
    return {"episodes": e["has_prev"] & (e["DECOM"] < e["prev_DEC"])}


@rule(
    "504",
    ["episodes"],
    ["CIN"],
    "the category of need changes within a period of care (it should stay as recorded "
    "when the period began).",
    "Record the category of need from the start of the period.",
)
def r504(ctx: RuleContext) -> Hits:
    e = ctx.eps
    joined = e["has_prev"] & e["prev_REC"].eq("X1") & e["prev_DEC"].eq(e["DECOM"])
    return {"episodes": joined & e["CIN"].ne(e["prev_CIN"])}


# --- legal status --------------------------------------------------------------------


def _ls_spell_too_long(ctx: RuleContext, ls: str, days: int) -> pd.Series:
    """Episodes in an unbroken run of legal status ``ls`` lasting more than ``days``."""
    e = ctx.eps
    this = e["LS"].eq(ls).fillna(False).astype(bool)
    cont = (
        this
        & e["has_prev"]
        & e["prev_LS"].eq(ls).fillna(False)
        & e["prev_DEC"].eq(e["DECOM"]).fillna(False)
    )
    spell = (~cont.astype(bool)).cumsum()
    end = _end_or_year_end(e)
    first = e["DECOM"].groupby(spell.to_numpy()).transform("min")
    last = end.groupby(spell.to_numpy()).transform("max")
    return this & ((last - first).dt.days > days)


@rule(
    "358",
    ["episodes"],
    ["LS", "DECOM"],
    "legal status J1, J2 or J3 (youth justice) for a child under 10 at the episode start.",
    "Check the legal status and the child's date of birth.",
)
def r358(ctx: RuleContext) -> Hits:
    e = _e(ctx)
    return {
        "episodes": e["LS"].isin(["J1", "J2", "J3"]) & (add_years(_hdob(ctx), 10) >= e["DECOM"])
    }


@rule(
    "359",
    ["episodes"],
    ["LS", "PLACE", "DEC"],
    "the young person is 18 or over at the end of the year (or the extract date, for a "
    "year in progress) and still looked after, but not under section 20(5) (V2) in a "
    "community home (K2).",
    "Close the episode on the 18th birthday (REC E15 or E17), or correct LS/PLACE.",
)
def r359(ctx: RuleContext) -> Hits:
    e = _e(ctx)
    adult = add_years(_hdob(ctx), 18) < e["_asof"]
    return {"episodes": adult & e["DEC"].isna() & ~(e["LS"].eq("V2") & e["PLACE"].eq("K2"))}


@rule(
    "361",
    ["episodes"],
    ["LS", "DECOM", "DEC"],
    "police protection (L1) lasted longer than the 72 hours the Children Act 1989 allows.",
    "Check the dates; after 72 hours the child needs another legal status (new episode, RNE L).",
)
def r361(ctx: RuleContext) -> Hits:
    return {"episodes": _ls_spell_too_long(ctx, "L1", 3)}


@rule(
    "362",
    ["episodes"],
    ["LS", "DECOM", "DEC"],
    "an emergency protection order (L2) lasted longer than 21 days.",
    "Check the dates and legal status.",
)
def r362(ctx: RuleContext) -> Hits:
    return {"episodes": _ls_spell_too_long(ctx, "L2", 21)}


@rule(
    "363",
    ["episodes"],
    ["LS", "DECOM", "DEC"],
    "a child assessment order (L3) lasted longer than 7 days.",
    "Check the dates and legal status.",
)
def r363(ctx: RuleContext) -> Hits:
    return {"episodes": _ls_spell_too_long(ctx, "L3", 7)}


@rule(
    "364",
    ["episodes"],
    ["LS", "DECOM", "DEC"],
    "detention under PACE (J2) in council accommodation lasted longer than 21 days.",
    "Check the dates and legal status.",
)
def r364(ctx: RuleContext) -> Hits:
    return {"episodes": _ls_spell_too_long(ctx, "J2", 21)}


@rule(
    "365",
    ["episodes"],
    ["LS", "DEC"],
    "a single short break (V3) lasted more than 17 days.",
    "Check the dates; a longer stay is not a short break.",
)
def r365(ctx: RuleContext) -> Hits:
    e = _e(ctx)
    return {
        "episodes": e["LS"].eq("V3") & (_end_or_year_end(e) > e["DECOM"] + pd.Timedelta(days=17))
    }


@rule(
    "366",
    ["episodes"],
    ["RNE", "LS"],
    "a single short break (V3) episode does not start with RNE S: the child cannot change "
    "placement during one short break.",
    "Record each short break as its own period (RNE S).",
)
def r366(ctx: RuleContext) -> Hits:
    e = _e(ctx)
    return {"episodes": e["LS"].eq("V3") & e["RNE"].ne("S")}


@rule(
    "367",
    ["episodes"],
    ["LS"],
    "single short breaks (V3) add up to more than 75 days in the collection year.",
    "Check the dates; more than 75 days of respite is not short breaks.",
)
def r367(ctx: RuleContext) -> Hits:
    e = _e(ctx)
    v3 = e["LS"].eq("V3") & e["DECOM"].notna()
    start = e["DECOM"].where(e["DECOM"] > e["_start"], e["_start"])
    end = _end_or_year_end(e).where(lambda d: d < e["_end"], e["_end"])
    days = (end - start).dt.days.clip(lower=0).where(v3, 0)
    total = days.groupby([e["CHILD"], e["_year"]]).transform("sum")
    return {"episodes": v3 & (total > 75)}


@rule(
    "378",
    ["episodes"],
    ["LS", "PLACE"],
    "a child placed with parents (P1) cannot be accommodated under section 20 (V2).",
    "Correct the legal status or the placement type.",
)
def r378(ctx: RuleContext) -> Hits:
    e = _e(ctx)
    return {"episodes": e["PLACE"].eq("P1") & e["LS"].eq("V2")}


@rule(
    "382",
    ["episodes"],
    ["LS", "PLACE"],
    "a child on a short break (V3/V4) is recorded in a temporary placement (T0-T4).",
    "Correct the legal status or the placement type.",
)
def r382(ctx: RuleContext) -> Hits:
    e = _e(ctx)
    return {"episodes": e["LS"].isin(SHORT_BREAKS) & e["PLACE"].isin(TEMPORARY)}


@rule(
    "384",
    ["episodes"],
    ["LS", "PLACE"],
    "a child on short breaks (V3/V4) is recorded in a long-term foster placement (U1/U4).",
    "Use the short-break foster placement type, or correct the legal status.",
)
def r384(ctx: RuleContext) -> Hits:
    e = _e(ctx)
    return {"episodes": e["LS"].isin(SHORT_BREAKS) & e["PLACE"].isin(["U1", "U4"])}


@rule(
    "408",
    ["episodes"],
    ["PLACE", "LS"],
    "placed for adoption with a placement order (A5/A6) but the legal status is not a "
    "placement order (E1).",
    "Record LS E1 for the episode, or correct the placement type "
    "(A3/A4 is placed for adoption by consent).",
)
def r408(ctx: RuleContext) -> Hits:
    e = _e(ctx)
    return {"episodes": e["PLACE"].isin(["A5", "A6"]) & e["LS"].ne("E1")}


@rule(
    "426",
    ["episodes"],
    ["LS"],
    "the child has both V3 and V4 short breaks in the same collection year.",
    "Use one short-break legal status for the year (V3 single breaks or V4 a series).",
)
def r426(ctx: RuleContext) -> Hits:
    e = _e(ctx)
    key = [e["CHILD"], e["_year"]]
    has_v3 = e["LS"].eq("V3").groupby(key).transform("any")
    has_v4 = e["LS"].eq("V4").groupby(key).transform("any")
    return {"episodes": e["LS"].isin(SHORT_BREAKS) & has_v3 & has_v4}


@rule(
    "446",
    ["episodes"],
    ["LS", "DECOM"],
    "legal status E1 (placement order) on an episode starting before 30 December 2005.",
    "Correct the legal status or DECOM.",
)
def r446(ctx: RuleContext) -> Hits:
    e = _e(ctx)
    return {"episodes": e["LS"].eq("E1") & (e["DECOM"] < pd.Timestamp("2005-12-30"))}


@rule(
    "445",
    ["episodes"],
    ["LS", "DECOM"],
    "legal status D1 (freeing order) on an episode starting after 30 December 2005.",
    "Correct the legal status (freeing orders ended in 2005).",
    last=2024,
)
def r445(ctx: RuleContext) -> Hits:
    e = _e(ctx)
    return {"episodes": e["LS"].eq("D1") & (e["DECOM"] > pd.Timestamp("2005-12-30"))}


# --- placements ----------------------------------------------------------------------


def _placed_too_young(ctx: RuleContext, place: str, years: int) -> pd.Series:
    e = _e(ctx)
    return e["PLACE"].eq(place) & (e["DECOM"] < add_years(_hdob(ctx), years))


def _temporary_too_long(ctx: RuleContext, place: str, days: int) -> pd.Series:
    e = _e(ctx)
    return e["PLACE"].eq(place) & (e["DEC"] > e["DECOM"] + pd.Timedelta(days=days))


@rule(
    "370",
    ["episodes"],
    ["PLACE", "DECOM"],
    "a child in independent living (P2) was under 15 when the placement started.",
    "Check the placement type and the child's date of birth.",
    last=2023,
)
def r370a(ctx: RuleContext) -> Hits:
    return {"episodes": _placed_too_young(ctx, "P2", 15)}


@rule(
    "370",
    ["episodes"],
    ["PLACE", "DECOM"],
    "a child in independent living (P2) was under 16 when the placement started.",
    "Check the placement type and the child's date of birth.",
    first=2024,
    last=2024,
)
def r370b(ctx: RuleContext) -> Hits:
    return {"episodes": _placed_too_young(ctx, "P2", 16)}


@rule(
    "371",
    ["episodes"],
    ["PLACE", "DECOM"],
    "a child in semi-independent living (H5) was under 14 when the placement started.",
    "Check the placement type and the child's date of birth.",
    last=2023,
)
def r371a(ctx: RuleContext) -> Hits:
    return {"episodes": _placed_too_young(ctx, "H5", 14)}


@rule(
    "371",
    ["episodes"],
    ["PLACE", "DECOM"],
    "a child in semi-independent living (H5) was under 16 when the placement started.",
    "Check the placement type and the child's date of birth.",
    first=2024,
    last=2024,
)
def r371b(ctx: RuleContext) -> Hits:
    return {"episodes": _placed_too_young(ctx, "H5", 16)}


@rule(
    "371",
    ["episodes"],
    ["PLACE", "DECOM"],
    "a child in supported accommodation (K3) was under 16 when the placement started.",
    "Check the placement type and the child's date of birth.",
    first=2025,
)
def r371c(ctx: RuleContext) -> Hits:
    return {"episodes": _placed_too_young(ctx, "K3", 16)}


@rule(
    "372",
    ["episodes"],
    ["PLACE", "DECOM"],
    "a child in youth custody or prison (R5) was under 10.",
    "Check the placement type and the child's date of birth.",
)
def r372(ctx: RuleContext) -> Hits:
    return {"episodes": _placed_too_young(ctx, "R5", 10)}


@rule(
    "373",
    ["episodes"],
    ["PLACE", "DECOM"],
    "a child placed in a school (S1) was under 4.",
    "Check the placement type and the child's date of birth.",
)
def r373(ctx: RuleContext) -> Hits:
    return {"episodes": _placed_too_young(ctx, "S1", 4)}


@rule(
    "374",
    ["episodes"],
    ["PLACE", "DECOM"],
    "a child in residential employment (P3) was under 14.",
    "Check the placement type and the child's date of birth.",
)
def r374(ctx: RuleContext) -> Hits:
    return {"episodes": _placed_too_young(ctx, "P3", 14)}


@rule(
    "375",
    ["episodes"],
    ["PLACE", "DEC"],
    "a temporary placement for hospitalisation (T1) lasted more than six weeks.",
    "Check the dates; a longer stay is a placement of its own (e.g. R3 hospital).",
)
def r375(ctx: RuleContext) -> Hits:
    return {"episodes": _temporary_too_long(ctx, "T1", 42)}


@rule(
    "376",
    ["episodes"],
    ["PLACE", "DEC"],
    "a temporary placement for the foster carer's holiday (T3) lasted more than three weeks.",
    "Check the dates and the placement type.",
)
def r376(ctx: RuleContext) -> Hits:
    return {"episodes": _temporary_too_long(ctx, "T3", 21)}


@rule(
    "377",
    ["episodes"],
    ["PLACE"],
    "more than two temporary placements for the foster carer's holiday (T3) in the year.",
    "Check the placement types.",
)
def r377(ctx: RuleContext) -> Hits:
    e = _e(ctx)
    t3 = e["PLACE"].eq("T3")
    count = t3.groupby([e["CHILD"], e["_year"]]).transform("sum")
    return {"episodes": t3 & (count > 2)}


@rule(
    "379",
    ["episodes"],
    ["PLACE", "DEC"],
    "a temporary placement for an unspecified reason (T4) lasted more than seven days.",
    "Check the dates and the placement type.",
)
def r379(ctx: RuleContext) -> Hits:
    return {"episodes": _temporary_too_long(ctx, "T4", 7)}


@rule(
    "380",
    ["episodes"],
    ["PLACE", "RNE"],
    "a temporary placement (T0-T4) starts an episode whose reason is not a placement "
    "change (P or B): a period of care cannot start with a temporary placement.",
    "Record the usual placement first, or correct RNE.",
)
def r380(ctx: RuleContext) -> Hits:
    e = _e(ctx)
    return {"episodes": e["PLACE"].isin(TEMPORARY) & ~e["RNE"].isin(["P", "B"])}


@rule(
    "381",
    ["episodes"],
    ["PLACE", "REC"],
    "the child left care (REC not X1) from a temporary placement (T0-T4).",
    "Record the return to the usual placement before the exit, or correct the placement.",
)
def r381(ctx: RuleContext) -> Hits:
    e = _e(ctx)
    return {"episodes": e["PLACE"].isin(TEMPORARY) & e["REC"].notna() & e["REC"].ne("X1")}


@rule(
    "383",
    ["episodes"],
    ["RNE", "PLACE", "PL_POST"],
    "after a temporary placement the child does not return to the usual placement (RNE P, "
    "same placement type and postcode as before the temporary one).",
    "Check the episodes around the temporary placement.",
)
def r383(ctx: RuleContext) -> Hits:
    e = ctx.eps
    after_temp = e["prev_PLACE"].isin(TEMPORARY) & e["prev2_PLACE"].notna()
    back = (
        e["RNE"].eq("P")
        & e["PLACE"].eq(e["prev2_PLACE"])
        & e["PL_POST"].fillna("").eq(e["prev2_PL_POST"].fillna(""))
    )
    return {"episodes": after_temp & ~back.fillna(False).astype(bool)}


@rule(
    "213",
    ["episodes"],
    ["PLACE_PROVIDER", "PLACE"],
    "a placement provider is recorded for a temporary placement (T0-T4).",
    "Leave PLACE_PROVIDER blank for temporary placements.",
    last=2025,
)
def r213a(ctx: RuleContext) -> Hits:
    e = _e(ctx)
    return {"episodes": e["PLACE"].isin(TEMPORARY) & e["PLACE_PROVIDER"].notna()}


@rule(
    "213",
    ["episodes"],
    ["PLACE_PROVIDER", "PLACE"],
    "a placement provider is recorded for a temporary (T0-T4) or other (Z11-Z14) placement.",
    "Leave PLACE_PROVIDER blank for these placements.",
    first=2026,
)
def r213b(ctx: RuleContext) -> Hits:
    e = _e(ctx)
    return {"episodes": e["PLACE"].isin(NO_PROVIDER_FROM_2026) & e["PLACE_PROVIDER"].notna()}


@rule(
    "214",
    ["episodes"],
    ["PL_POST", "URN"],
    "a placement postcode or URN is recorded for a short break (V3/V4).",
    "Leave PL_POST and URN blank for short breaks.",
)
def r214(ctx: RuleContext) -> Hits:
    e = _e(ctx)
    return {"episodes": e["LS"].isin(SHORT_BREAKS) & (e["PL_POST"].notna() | e["URN"].notna())}


@rule(
    "217",
    ["episodes"],
    ["PLACE", "RNE"],
    "placed for adoption with current foster carers (A3/A5) from 1 April 2015 but the "
    "reason for new episode is not S, T or U.",
    "Record RNE T or U (placement changed with or without legal status), or S.",
)
def r217(ctx: RuleContext) -> Hits:
    e = _e(ctx)
    late = e["DECOM"] >= pd.Timestamp("2015-04-01")
    return {"episodes": e["PLACE"].isin(["A3", "A5"]) & late & ~e["RNE"].isin(["S", "T", "U"])}


@rule(
    "217t",
    ["episodes"],
    ["PLACE", "DECOM"],
    "independent living (P2) is not a valid placement type from 28 October 2023.",
    "Record the placement as supported accommodation or the type that applies.",
    first=2024,
    last=2024,
)
def r217t(ctx: RuleContext) -> Hits:
    e = _e(ctx)
    return {"episodes": e["PLACE"].eq("P2") & (e["DECOM"] >= pd.Timestamp("2023-10-28"))}


@rule(
    "225",
    ["episodes"],
    ["REASON_PLACE_CHANGE"],
    "the placement changed (next episode RNE P, B, T or U, not temporary) but no reason "
    "for the placement change is recorded.",
    "Record REASON_PLACE_CHANGE on this episode.",
)
def r225(ctx: RuleContext) -> Hits:
    e = ctx.eps
    moved = e["has_next"] & e["REC"].eq("X1") & e["next_RNE"].isin(["P", "B", "T", "U"])
    not_temp = ~e["PLACE"].isin(TEMPORARY) & ~e["next_PLACE"].isin(TEMPORARY)
    return {"episodes": moved & not_temp & e["REASON_PLACE_CHANGE"].isna()}


@rule(
    "226",
    ["episodes"],
    ["REASON_PLACE_CHANGE", "PLACE"],
    "a reason for placement change is recorded on a temporary placement (T0-T4) or on "
    "the episode just before it.",
    "Leave REASON_PLACE_CHANGE blank there.",
)
def r226(ctx: RuleContext) -> Hits:
    e = ctx.eps
    prev_reason = e["REASON_PLACE_CHANGE"].groupby(e["CHILD"]).shift(1)
    temp = e["PLACE"].isin(TEMPORARY)
    return {"episodes": temp & (e["REASON_PLACE_CHANGE"].notna() | prev_reason.notna())}


@rule(
    "233",
    ["episodes"],
    ["REASON_PLACE_CHANGE"],
    "a reason for placement change is recorded on an episode that has not ended.",
    "Leave REASON_PLACE_CHANGE blank until the episode ends.",
    first=2026,
)
def r233(ctx: RuleContext) -> Hits:
    e = _e(ctx)
    return {"episodes": e["DEC"].isna() & e["REASON_PLACE_CHANGE"].notna()}


@rule(
    "234",
    ["episodes"],
    ["REASON_PLACE_CHANGE"],
    "a child under 10 changed placement because of being taken into custody (CUSTOD).",
    "Correct the reason for placement change or the date of birth.",
    first=2026,
)
def r234(ctx: RuleContext) -> Hits:
    e = _e(ctx)
    young = e["DECOM"] < add_years(_hdob(ctx), 10)
    return {"episodes": young & e["REASON_PLACE_CHANGE"].eq("CUSTOD")}


@rule(
    "526",
    ["episodes"],
    ["PLACE_PROVIDER"],
    "the placement provider is missing (every placement but temporary and other ones needs one).",
    "Record PLACE_PROVIDER (PR0-PR5).",
    last=2025,
)
def r526a(ctx: RuleContext) -> Hits:
    e = _e(ctx)
    return {"episodes": ~e["PLACE"].isin(NO_PROVIDER_TO_2025) & e["PLACE_PROVIDER"].isna()}


@rule(
    "526",
    ["episodes"],
    ["PLACE_PROVIDER"],
    "the placement provider is missing (every placement but temporary and Z11-Z14 ones needs one).",
    "Record PLACE_PROVIDER (PR0-PR5).",
    first=2026,
)
def r526b(ctx: RuleContext) -> Hits:
    e = _e(ctx)
    return {"episodes": ~e["PLACE"].isin(NO_PROVIDER_FROM_2026) & e["PLACE_PROVIDER"].isna()}


def _provider_cannot(ctx: RuleContext, provider: str, places: list[str]) -> Hits:
    e = _e(ctx)
    return {"episodes": e["PLACE_PROVIDER"].eq(provider) & e["PLACE"].isin(places)}


@rule(
    "527",
    ["episodes"],
    ["PLACE_PROVIDER", "PLACE"],
    "the council's own provision (PR1) cannot provide placements P1, R2 or R5.",
    "Correct the placement provider or type.",
)
def r527(ctx: RuleContext) -> Hits:
    return _provider_cannot(ctx, "PR1", ["P1", "R2", "R5"])


@rule(
    "528",
    ["episodes"],
    ["PLACE_PROVIDER", "PLACE"],
    "another council's provision (PR2) cannot provide placements P1, R2 or R5.",
    "Correct the placement provider or type.",
)
def r528(ctx: RuleContext) -> Hits:
    return _provider_cannot(ctx, "PR2", ["P1", "R2", "R5"])


@rule(
    "529",
    ["episodes"],
    ["PLACE_PROVIDER", "PLACE"],
    "other public provision (PR3) cannot provide placements P1, A3-A6, K1, K2 or U1-U6.",
    "Correct the placement provider or type.",
)
def r529(ctx: RuleContext) -> Hits:
    return _provider_cannot(
        ctx, "PR3", ["A3", "A4", "A5", "A6", "K1", "K2", "P1", "U1", "U2", "U3", "U4", "U5", "U6"]
    )


@rule(
    "530",
    ["episodes"],
    ["PLACE_PROVIDER", "PLACE"],
    "a private provider (PR4) cannot provide placement with parents (P1).",
    "Correct the placement provider or type.",
)
def r530(ctx: RuleContext) -> Hits:
    return _provider_cannot(ctx, "PR4", ["P1"])


@rule(
    "531",
    ["episodes"],
    ["PLACE_PROVIDER", "PLACE"],
    "a voluntary or third-sector provider (PR5) cannot provide placement with parents (P1).",
    "Correct the placement provider or type.",
)
def r531(ctx: RuleContext) -> Hits:
    return _provider_cannot(ctx, "PR5", ["P1"])


@rule(
    "550",
    ["episodes"],
    ["PLACE_PROVIDER", "PLACE"],
    "placement provider PR0 (parents or person with parental responsibility) is used for a "
    "placement other than P1.",
    "Correct the placement provider or type.",
)
def r550(ctx: RuleContext) -> Hits:
    e = _e(ctx)
    return {"episodes": e["PLACE_PROVIDER"].eq("PR0") & e["PLACE"].ne("P1")}


@rule(
    "222",
    ["episodes"],
    ["URN", "PLACE"],
    "an Ofsted URN is recorded for a placement type that has none (P1, P3, R1, R2, R5, T0-T4, Z1).",
    "Leave URN blank (or XXXXXXX) for this placement type.",
    last=2025,
)
def r222a(ctx: RuleContext) -> Hits:
    e = _e(ctx)
    places = ["P1", "P3", "R1", "R2", "R5", *TEMPORARY, "Z1"]
    return {"episodes": e["PLACE"].isin(places) & e["URN"].notna() & e["URN"].ne("XXXXXXX")}


@rule(
    "222",
    ["episodes"],
    ["URN", "PLACE"],
    "an Ofsted URN is recorded for a placement type that has none (P1, P3, R1, R2, R5, "
    "T0-T4, Z11-Z14).",
    "Leave URN blank (or XXXXXXX) for this placement type.",
    first=2026,
)
def r222b(ctx: RuleContext) -> Hits:
    e = _e(ctx)
    places = ["P1", "P3", "R1", "R2", "R5", *NO_PROVIDER_FROM_2026]
    return {"episodes": e["PLACE"].isin(places) & e["URN"].notna() & e["URN"].ne("XXXXXXX")}


# --- postcodes -----------------------------------------------------------------------


def _uasc_children(ctx: RuleContext) -> set[str]:
    return set(ctx.tables["uasc"]["CHILD"].dropna())


@rule(
    "392b",
    ["episodes"],
    ["HOME_POST", "PL_POST"],
    "the child is looked after but the home or placement postcode is missing.",
    "Record HOME_POST and PL_POST (blank only for short breaks and for children who are or "
    "were unaccompanied asylum seekers).",
)
def r392b(ctx: RuleContext) -> Hits:
    e = _e(ctx)
    missing = e["HOME_POST"].isna() | e["PL_POST"].isna()
    exempt = e["LS"].isin(SHORT_BREAKS) | e["CHILD"].isin(_uasc_children(ctx))
    return {"episodes": missing & ~exempt}


@rule(
    "392c",
    ["episodes"],
    ["HOME_POST", "PL_POST"],
    "a home or placement postcode is not in the form of a UK postcode.",
    "Correct the postcode (e.g. MK9 3EJ).",
)
def r392c(ctx: RuleContext) -> Hits:
    e = _e(ctx)
    pattern = r"^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$"
    bad = pd.Series(False, index=e.index)
    for col in ("HOME_POST", "PL_POST"):
        text = e[col].astype("string")
        bad |= text.notna() & ~text.str.match(pattern).fillna(False).astype(bool)
    return {"episodes": bad}


@rule(
    "392d",
    ["episodes"],
    ["PL_POST", "HOME_POST"],
    "the home and placement postcodes are the same but the child is not placed with parents (P1).",
    "Check both postcodes.",
    severity="warning",
)
def r392d(ctx: RuleContext) -> Hits:
    e = _e(ctx)
    same = e["HOME_POST"].notna() & e["HOME_POST"].eq(e["PL_POST"])
    return {"episodes": same & e["PLACE"].ne("P1")}


@rule(
    "398",
    ["episodes"],
    ["HOME_POST", "PL_POST"],
    "postcodes are recorded for a short break (V3/V4); the distance is not collected for "
    "short breaks.",
    "Leave HOME_POST and PL_POST blank for short breaks.",
)
def r398(ctx: RuleContext) -> Hits:
    e = _e(ctx)
    return {
        "episodes": e["LS"].isin(SHORT_BREAKS) & (e["HOME_POST"].notna() | e["PL_POST"].notna())
    }


@rule(
    "406",
    ["episodes"],
    ["HOME_POST"],
    "the child is or was an unaccompanied asylum-seeking child, so no home postcode (and no "
    "distance) should be recorded.",
    "Leave HOME_POST blank for this child.",
)
def r406(ctx: RuleContext) -> Hits:
    e = _e(ctx)
    return {"episodes": e["CHILD"].isin(_uasc_children(ctx)) & e["HOME_POST"].notna()}


# --- reasons for leaving care ------------------------------------------------------


@rule(
    "386",
    ["episodes"],
    ["REC", "DEC"],
    "the episode ended in adoption (E11/E12) but the child was 18 or over.",
    "Check REC and the child's date of birth.",
)
def r386(ctx: RuleContext) -> Hits:
    e = _e(ctx)
    return {"episodes": e["REC"].isin(["E11", "E12"]) & (e["DEC"] >= add_years(_hdob(ctx), 18))}


@rule(
    "387",
    ["episodes"],
    ["REC", "DEC"],
    "the child moved to independent living (E5/E6) before the age of 14.",
    "Check REC and the child's date of birth.",
)
def r387(ctx: RuleContext) -> Hits:
    e = _e(ctx)
    return {"episodes": e["REC"].isin(["E5", "E6"]) & (e["DEC"] < add_years(_hdob(ctx), 14))}


@rule(
    "389",
    ["episodes"],
    ["REC", "DEC"],
    "the child transferred to adult social care (E7) before the age of 16.",
    "Check REC and the child's date of birth.",
)
def r389(ctx: RuleContext) -> Hits:
    e = _e(ctx)
    return {"episodes": e["REC"].eq("E7") & (e["DEC"] < add_years(_hdob(ctx), 16))}


@rule(
    "390",
    ["episodes"],
    ["REC", "PLACE"],
    "the episode ended in adoption (E11/E12) but the child was not in an adoption "
    "placement (A3-A6).",
    "Check REC and the placement type of the last episode.",
)
def r390(ctx: RuleContext) -> Hits:
    e = _e(ctx)
    return {"episodes": e["REC"].isin(["E11", "E12"]) & ~e["PLACE"].isin(ADOPTION_PLACES)}


@rule(
    "407",
    ["episodes"],
    ["REC", "DEC"],
    "the episode ended with a special guardianship order (E45-E48) after the child turned 18.",
    "Check REC and the child's date of birth.",
)
def r407(ctx: RuleContext) -> Hits:
    e = _e(ctx)
    sgo = e["REC"].isin(["E45", "E46", "E47", "E48"])
    return {"episodes": sgo & (e["DEC"] > add_years(_hdob(ctx), 18))}


@rule(
    "460",
    ["episodes"],
    ["REC", "DEC"],
    "the child stayed with their carers at 18 or over (E17) but was under 18 when the "
    "episode ended.",
    "Check REC and the child's date of birth.",
)
def r460(ctx: RuleContext) -> Hits:
    e = _e(ctx)
    return {"episodes": e["REC"].eq("E17") & (e["DEC"] < add_years(_hdob(ctx), 18))}


@rule(
    "516",
    ["episodes"],
    ["REC", "PLACE"],
    "special guardianship by former foster carers (E45/E46) but the child was not in a "
    "foster placement (U1-U6).",
    "Check REC and the placement type.",
)
def r516(ctx: RuleContext) -> Hits:
    e = _e(ctx)
    foster = ["U1", "U2", "U3", "U4", "U5", "U6"]
    return {"episodes": e["REC"].isin(["E45", "E46"]) & ~e["PLACE"].isin(foster)}


@rule(
    "352",
    ["episodes"],
    ["RNE", "DECOM"],
    "the child started to be looked after (RNE S) aged 18 or over.",
    "Check DECOM and the child's date of birth.",
)
def r352(ctx: RuleContext) -> Hits:
    e = _e(ctx)
    return {"episodes": e["RNE"].eq("S") & (age(_hdob(ctx), e["DECOM"]) >= 18)}


__all__ = ["ADOPTION_PLACES", "EXITS", "TEMPORARY"]


@rule(
    "199",
    ["episodes"],
    ["RNE", "DECOM"],
    "the child was adopted from care (an earlier episode ended E11/E12) yet has later episodes.",
    "Check the earlier REC and the later episodes (a child adopted and "
    "returning to care is a new child record).",
)
def r199(ctx: RuleContext) -> Hits:
    e = ctx.eps
    adopted = e["REC"].isin(["E11", "E12"]).astype(int)
    before = adopted.groupby(e["CHILD"]).cumsum() - adopted
    return {"episodes": before > 0}


@rule(
    "336",
    ["episodes"],
    ["PLACE"],
    "placed for adoption by consent (A3/A4) straight from a placement that was neither "
    "foster care (U1-U6) nor adoption (A3-A6).",
    "Check the placement types.",
)
def r336(ctx: RuleContext) -> Hits:
    e = ctx.eps
    prev_ok = e["prev_PLACE"].isin([*ADOPTION_PLACES, "U1", "U2", "U3", "U4", "U5", "U6"])
    return {"episodes": e["has_prev"] & e["PLACE"].isin(["A3", "A4"]) & ~prev_ok}


def _location(ctx: RuleContext) -> pd.DataFrame:
    """Placement distance (miles) and in/out of the council's area per episode."""
    from cppanalytics.geography.postcodes import placement_location

    key = ("location",)
    if key not in ctx._cache:
        e = _e(ctx)
        ctx._cache[key] = placement_location(
            e["HOME_POST"].astype("string"), e["PL_POST"].astype("string"), ctx.data.la_code
        )
    return ctx._cache[key]


@rule(
    "1015",
    ["episodes"],
    ["PL_POST", "PLACE_PROVIDER"],
    "the council's own provision (PR1) is recorded for a placement outside the council's "
    "area (other than foster care or adoption).",
    "Check the placement provider (PR2 for another council's provision) and PL_POST.",
)
def r1015(ctx: RuleContext) -> Hits:
    e = _e(ctx)
    if ctx.data.la_code is None or e.empty:
        return {}
    foster_or_adoption = e["PLACE"].isin([*ADOPTION_PLACES, "U1", "U2", "U3", "U4", "U5", "U6"])
    checked = e["PLACE_PROVIDER"].eq("PR1") & ~foster_or_adoption & ~e["LS"].isin(SHORT_BREAKS)
    return {"episodes": checked & _location(ctx)["location"].eq("OUT").fillna(False)}


@rule(
    "454",
    ["episodes"],
    ["PL_POST", "HOME_POST"],
    "the placement is over 350 miles from home.",
    "Check HOME_POST and PL_POST.",
    first=2026,
    severity="warning",
)
def r454(ctx: RuleContext) -> Hits:
    e = _e(ctx)
    if e.empty:
        return {}
    return {"episodes": _location(ctx)["distance_miles"] > 350}


def _outside_england(ctx: RuleContext) -> pd.Series:
    """Placements whose postcode lies in Wales, Scotland or Northern Ireland."""
    from cppanalytics.geography.postcodes import lookup

    key = ("outside_england",)
    if key not in ctx._cache:
        ltla = lookup(_e(ctx)["PL_POST"].astype("string"))["ltla"]
        ctx._cache[key] = ltla.str.slice(0, 1).isin(["W", "S", "N"]).fillna(False).astype(bool)
    return ctx._cache[key]


def _urn_missing(ctx: RuleContext, exempt: tuple[str, ...]) -> Hits:
    e = _e(ctx)
    if e.empty:
        return {}
    current = e["DEC"].isna() | (e["DEC"] >= e["_start"])
    needed = ~e["PLACE"].isin(exempt) & ~e["LS"].isin(SHORT_BREAKS) & e["PLACE"].notna()
    return {"episodes": current & needed & e["URN"].isna() & ~_outside_england(ctx)}


_URN_EXEMPT = ("P1", "P3", "R1", "R2", "R5", *TEMPORARY)


@rule(
    "218",
    ["episodes"],
    ["URN"],
    "the Ofsted URN is missing for a placement in England that has one.",
    "Record the provider's Ofsted URN (XXXXXXX if it is not known).",
    last=2024,
)
def r218a(ctx: RuleContext) -> Hits:
    return _urn_missing(ctx, (*_URN_EXEMPT, "H5", "P2", "Z1"))


@rule(
    "218",
    ["episodes"],
    ["URN"],
    "the Ofsted URN is missing for a placement in England that has one.",
    "Record the provider's Ofsted URN (XXXXXXX if it is not known).",
    first=2025,
    last=2025,
)
def r218b(ctx: RuleContext) -> Hits:
    return _urn_missing(ctx, (*_URN_EXEMPT, "Z1"))


@rule(
    "218",
    ["episodes"],
    ["URN"],
    "the Ofsted URN is missing for a placement in England that has one.",
    "Record the provider's Ofsted URN (XXXXXXX if it is not known).",
    first=2026,
)
def r218c(ctx: RuleContext) -> Hits:
    return _urn_missing(ctx, (*_URN_EXEMPT, "Z11", "Z12", "Z13", "Z14"))


@rule(
    "451",
    ["episodes"],
    ["LS"],
    "the child is still freed for adoption (an open D1 episode), but freeing orders ended "
    "on 30 December 2005.",
    "Record the child's current legal status.",
    last=2024,
)
def r451(ctx: RuleContext) -> Hits:
    e = _e(ctx)
    return {"episodes": e["LS"].eq("D1") & e["DEC"].isna() & e["REC"].isna()}
