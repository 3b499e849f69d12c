"""DfE's "not a valid code" rules, one per coded column, driven by the year-versioned code
lists in :mod:`cppanalytics.ssda903.codes`.

A value is invalid when it is not on the list for the row's own collection year (a code
of a neighbouring year, which the loader accepts with a warning, is still invalid here:
DfE judges each return by its year's list). Where DfE requires the value, a blank is
invalid too.

Examples
--------
>>> from cppanalytics.ssda903.dataset import Dataset
>>> from cppanalytics.ssda903.rules.registry import run_rules
>>> ds = Dataset.from_tables({"episodes": pd.DataFrame({"CHILD": ["1"],
...     "DECOM": ["01/05/2023"], "PLACE": ["K3"], "YEAR": [2024]})})
>>> run_rules(ds, codes=["146"]).code.tolist()
['dfe_146']
"""

from __future__ import annotations

import pandas as pd

from cppanalytics.ssda903.codes import code_status
from cppanalytics.ssda903.rules.context import RuleContext
from cppanalytics.ssda903.rules.registry import Hits, rule

#: (DfE code, table, column, what the column holds, blank is an error)
CODE_RULES: tuple[tuple[str, str, str, str, bool], ...] = (
    ("101", "header", "SEX", "sex", True),
    ("103", "header", "ETHNIC", "ethnicity", True),
    ("143", "episodes", "RNE", "reason for new episode", True),
    ("144", "episodes", "LS", "legal status", True),
    ("145", "episodes", "CIN", "category of need", True),
    ("146", "episodes", "PLACE", "placement type", False),
    ("149", "episodes", "REC", "reason episode ceased", False),
    ("178", "episodes", "PLACE_PROVIDER", "placement provider", False),
    ("1009", "episodes", "REASON_PLACE_CHANGE", "reason for placement change", False),
    ("114", "ad1", "FOSTER_CARE", "adopted-by-foster-carers flag", False),
    ("175", "ad1", "NB_ADOPTR", "number of adopters", False),
    ("176", "ad1", "SEX_ADOPTR", "sex of adopters", False),
    ("177", "ad1", "LS_ADOPTR", "legal status of adopters", False),
    (
        "120",
        "placed_adoption",
        "REASON_PLACED_CEASED",
        "reason no longer to be placed for adoption",
        False,
    ),
    ("131", "oc3", "IN_TOUCH", "in touch", False),
    ("132", "oc3", "ACTIV", "activity", False),
    ("133", "oc3", "ACCOM", "accommodation", False),
    ("196", "oc2", "SDQ_REASON", "reason for no SDQ score", False),
    ("1006", "missing", "MISSING", "missing or away", False),
    ("631", "prev_perm", "PREV_PERM", "previous permanence option", False),
    ("633", "prev_perm", "LA_PERM", "council of the previous permanence order", False),
    ("SW13STG1", "sw_episodes", "SW_REASON", "reason for social worker change", False),
)

#: OC2 items coded 0/1 (rule 181: invalid values)
OC2_FLAGS: tuple[str, ...] = (
    "CONVICTED",
    "HEALTH_CHECK",
    "IMMUNISATIONS",
    "TEETH_CHECK",
    "HEALTH_ASSESSMENT",
    "SUBSTANCE_MISUSE",
    "INTERVENTION_RECEIVED",
    "INTERVENTION_OFFERED",
)


def invalid_code(ctx: RuleContext, table: str, column: str, required: bool) -> pd.Series:
    """Rows whose ``column`` is not on its collection year's code list (or blank when
    ``required``).

    Examples
    --------
    >>> from cppanalytics.ssda903.dataset import Dataset
    >>> ds = Dataset.from_tables({"header": pd.DataFrame({"CHILD": ["1", "2"],
    ...     "SEX": ["M", ""], "YEAR": [2024, 2024]})})
    >>> invalid_code(RuleContext(ds), "header", "SEX", True).tolist()
    [True, True]
    """
    frame = ctx.tables[table]
    status = code_status(column, frame[column], frame["_year"])
    bad = frame[column].notna() & status.ne("ok")
    if required:
        bad |= frame[column].isna()
    return bad


def _register(code: str, table: str, column: str, what: str, required: bool) -> None:
    blank = " or blank" if required else ""

    def check(ctx: RuleContext) -> Hits:
        return {table: invalid_code(ctx, table, column, required)}

    check.__name__ = f"r{code}"
    rule(
        code,
        [table],
        [column],
        f"the {what} ({column}) is not a valid code for the collection year{blank}.",
        f"Record {column} with a code from that year's DfE 903 guidance.",
    )(check)


for _args in CODE_RULES:
    _register(*_args)


@rule(
    "181",
    ["oc2"],
    list(OC2_FLAGS),
    "an OC2 health or offending item is not 0 or 1.",
    "Record the item as 0 (no) or 1 (yes).",
)
def r181(ctx: RuleContext) -> Hits:
    o = ctx.tables["oc2"]
    bad = pd.Series(False, index=o.index)
    for col in OC2_FLAGS:
        bad |= o[col].notna() & ~o[col].isin(["0", "1"])
    return {"oc2": bad}


@rule(
    "167",
    ["reviews"],
    ["REVIEW_CODE"],
    "the review participation code is not PN0-PN7, or is blank for a review.",
    "Record how the child took part in the review (PN0-PN7).",
)
def r167(ctx: RuleContext) -> Hits:
    r = ctx.tables["reviews"]
    codes = ["PN0", "PN1", "PN2", "PN3", "PN4", "PN5", "PN6", "PN7"]
    bad_code = r["REVIEW_CODE"].notna() & ~r["REVIEW_CODE"].isin(codes)
    return {"reviews": bad_code | (r["REVIEW"].notna() & r["REVIEW_CODE"].isna())}
