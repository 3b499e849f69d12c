"""Tiny builders for hand-worked episode histories (engine tests)."""

from __future__ import annotations

import pandas as pd

from cppanalytics.care.prepared import CareData, prepare_care
from cppanalytics.ssda903.dataset import Dataset
from tests.typed_dataset import from_tables


def ep(
    child: str,
    decom: str,
    dec: str = "",
    rec: str = "",
    rne: str = "S",
    ls: str = "C2",
    place: str = "U4",
    pl_post: str = "MK9 3EJ",
    urn: str = "",
    home_post: str = "MK9 3EJ",
    provider: str = "PR1",
    cin: str = "N1",
) -> dict[str, str]:
    """One episode row (dd/mm/YYYY dates; defaults: foster U4, care order, blank URN)."""
    return {
        "CHILD": child,
        "DECOM": decom,
        "DEC": dec,
        "REC": rec,
        "RNE": rne,
        "LS": ls,
        "PLACE": place,
        "PL_POST": pl_post,
        "URN": urn,
        "HOME_POST": home_post,
        "PLACE_PROVIDER": provider,
        "CIN": cin,
    }


def hdr(child: str, dob: str, sex: str = "1", ethnic: str = "WBRI") -> dict[str, str]:
    """One header row."""
    return {"CHILD": child, "DOB": dob, "SEX": sex, "ETHNIC": ethnic}


def dataset(
    episodes: list[dict], header: list[dict] | None = None, **tables: list[dict]
) -> Dataset:
    """A Dataset from episode rows, header rows (default: every child born 01/01/2015)."""
    if header is None:
        children = dict.fromkeys(e["CHILD"] for e in episodes)
        header = [hdr(c, "01/01/2015") for c in children]
    frames = {"episodes": pd.DataFrame(episodes), "header": pd.DataFrame(header)}
    frames.update({k: pd.DataFrame(v) for k, v in tables.items()})
    return from_tables(frames)


def care(episodes: list[dict], **rules: bool) -> CareData:
    """Prepared building blocks for the episodes."""
    return prepare_care(dataset(episodes), **rules)


def value(
    results: pd.DataFrame, indicator_id: str, group: str = "", window_start: str | None = None
) -> pd.Series:
    """The single result row for an indicator (and group / window start)."""
    rows = results[(results["indicator_id"] == indicator_id) & (results["group"] == group)]
    if window_start is not None:
        rows = rows[rows["window_start"] == pd.Timestamp(window_start)]
    assert len(rows) == 1, rows
    return rows.iloc[0]


def nums(
    results: pd.DataFrame, indicator_id: str, group: str = "", window_start: str | None = None
) -> tuple[float, float]:
    """(numerator, denominator) of one row; NaN denominator for counts."""
    row = value(results, indicator_id, group, window_start)
    return float(row["numerator"]), float(row["denominator"])
