"""Hand-built case tables for DfE's 903 validation rules: per rule, rows that break it and
rows that do not (built from the rule's definition, collection year 2023-24 unless said).

Each :class:`Case` gives the tables of a small dataset that breaks rule ``code`` (``bad``)
and one that keeps it (``good``), usually differing in one value.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from cppanalytics.ssda903.dataset import Dataset
from tests.typed_dataset import from_tables

Rows = dict[str, list[dict[str, str]]]


@dataclass
class Case:
    """One rule's case: DfE code, a breaking dataset and a passing one."""

    code: str
    bad: Rows
    good: Rows
    year: int = 2024
    table: str = ""
    note: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def id(self) -> str:
        return f"{self.code}-{self.year}" + (f"-{self.note}" if self.note else "")


def frames(rows: Rows, year: int = 2024) -> dict[str, pd.DataFrame]:
    """Text tables from row dicts (every row of collection ``year`` unless it sets YEAR)."""
    tables = {}
    for name, items in rows.items():
        frame = pd.DataFrame(items, dtype="str").fillna("")
        if "YEAR" not in frame.columns:
            frame["YEAR"] = ""
        frame["YEAR"] = frame["YEAR"].replace("", str(year))
        tables[name] = frame
    return tables


def dataset(rows: Rows, year: int = 2024, la_code: str | None = None) -> Dataset:
    """A Dataset from row dicts (every row of collection ``year`` unless it sets YEAR)."""
    return from_tables(frames(rows, year), la_code=la_code)


def hd(child: str = "1", **kw: str) -> dict[str, str]:
    """A Header row: boy born 1 June 2010, white British, a valid UPN."""
    row = {
        "CHILD": child,
        "SEX": "1",
        "DOB": "01/06/2010",
        "ETHNIC": "WBRI",
        "UPN": "A123456789012",
        "MOTHER": "",
        "MC_DOB": "",
    }
    row.update(kw)
    return row


def girl(child: str = "1", **kw: str) -> dict[str, str]:
    """A Header row for a girl (MOTHER 0)."""
    return hd(child, **{"SEX": "2", "MOTHER": "0", **kw})


def ep(
    child: str = "1", decom: str = "01/05/2023", dec: str = "", rec: str = "", **kw: str
) -> dict[str, str]:
    """An Episodes row: S / C2 / N1 / U4 / PR1, postcodes, a URN."""
    row = {
        "CHILD": child,
        "DECOM": decom,
        "RNE": "S",
        "LS": "C2",
        "CIN": "N1",
        "PLACE": "U4",
        "PLACE_PROVIDER": "PR1",
        "DEC": dec,
        "REC": rec,
        "REASON_PLACE_CHANGE": "",
        "HOME_POST": "MK9 3EJ",
        "PL_POST": "MK5 7FP",
        "URN": "SC000001",
    }
    row.update(kw)
    return row


def oc2(child: str = "1", **kw: str) -> dict[str, str]:
    """An OC2 row for a child born 1 June 2010 with an SDQ score and every item 0/1."""
    row = {
        "CHILD": child,
        "DOB": "01/06/2010",
        "SDQ_SCORE": "12",
        "SDQ_REASON": "",
        "CONVICTED": "0",
        "HEALTH_CHECK": "",
        "IMMUNISATIONS": "1",
        "TEETH_CHECK": "1",
        "HEALTH_ASSESSMENT": "1",
        "SUBSTANCE_MISUSE": "0",
        "INTERVENTION_RECEIVED": "",
        "INTERVENTION_OFFERED": "",
    }
    row.update(kw)
    return row


def oc3(child: str = "1", **kw: str) -> dict[str, str]:
    """An OC3 row for a 19-year-old in touch, in education, suitably housed."""
    row = {"CHILD": child, "DOB": "01/06/2004", "IN_TOUCH": "YES", "ACTIV": "F1", "ACCOM": "B1"}
    row.update(kw)
    return row


def ad1(child: str = "1", **kw: str) -> dict[str, str]:
    """A complete AD1 row: married different-sex couple, not former foster carers."""
    row = {
        "CHILD": child,
        "DOB": "01/06/2020",
        "DATE_INT": "01/02/2023",
        "DATE_MATCH": "01/03/2023",
        "FOSTER_CARE": "0",
        "NB_ADOPTR": "2",
        "SEX_ADOPTR": "MF",
        "LS_ADOPTR": "L11",
    }
    row.update(kw)
    return row


def pa(child: str = "1", **kw: str) -> dict[str, str]:
    """A PlacedAdoption row (decision 1 February 2023, not reversed)."""
    row = {
        "CHILD": child,
        "DOB": "01/06/2020",
        "DATE_PLACED": "01/02/2023",
        "DATE_PLACED_CEASED": "",
        "REASON_PLACED_CEASED": "",
    }
    row.update(kw)
    return row


def mis(
    child: str = "1", start: str = "01/06/2023", end: str = "03/06/2023", **kw: str
) -> dict[str, str]:
    """A Missing row."""
    row = {"CHILD": child, "DOB": "01/06/2010", "MISSING": "M", "MIS_START": start, "MIS_END": end}
    row.update(kw)
    return row


def rev(
    child: str = "1", review: str = "01/07/2023", code: str = "PN1", **kw: str
) -> dict[str, str]:
    """A Reviews row."""
    row = {"CHILD": child, "DOB": "01/06/2010", "REVIEW": review, "REVIEW_CODE": code}
    row.update(kw)
    return row


def pp(child: str = "1", **kw: str) -> dict[str, str]:
    """A PrevPerm row: no previous permanence (Z1)."""
    row = {"CHILD": child, "DOB": "01/06/2010", "PREV_PERM": "Z1", "LA_PERM": "", "DATE_PERM": ""}
    row.update(kw)
    return row


def sw(
    child: str = "1", decom: str = "01/05/2023", dec: str = "", reason: str = "", **kw: str
) -> dict[str, str]:
    """An SWEpisodes row."""
    row = {
        "CHILD": child,
        "DOB": "01/06/2010",
        "SW_ID": "SW123",
        "SW_DECOM": decom,
        "SW_DEC": dec,
        "SW_REASON": reason,
    }
    row.update(kw)
    return row


def uasc(child: str = "1", **kw: str) -> dict[str, str]:
    """A UASC row: a boy born 1 June 2007 whose status ceases at 18."""
    row = {"CHILD": child, "SEX": "1", "DOB": "01/06/2007", "DUC": "01/06/2025"}
    row.update(kw)
    return row


def dl(
    child: str = "1", start: str = "02/05/2026", end: str = "01/06/2026", **kw: str
) -> dict[str, str]:
    """A DoLo row (deprivation of liberty order, 2026-27)."""
    row = {"CHILD": child, "DOB": "01/06/2010", "DOLO_START": start, "DOLO_END": end}
    row.update(kw)
    return row


#: an episode open all of 2023-24 and since well before (for the 12-month OC2 cohort)
LONG = {"decom": "01/01/2022"}
#: an X1 chain: placement change on 1 August 2023
CHAIN = [
    ep(dec="01/08/2023", rec="X1", REASON_PLACE_CHANGE="CARPL"),
    ep(decom="01/08/2023", RNE="P", PLACE="U1", URN="SC000002"),
]


def C(code: str, bad: Rows, good: Rows, **kw: object) -> Case:
    """Shorthand for :class:`Case`."""
    return Case(code, bad, good, **kw)  # type: ignore[arg-type]
