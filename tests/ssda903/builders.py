"""Build small 903 file sets in a temporary folder for the loader tests."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from cppanalytics.ssda903.dataset import COLUMNS, FILE_NAMES

TODAY = pd.Timestamp("2026-11-01")


def header(rows: list[dict[str, str]]) -> pd.DataFrame:
    """A Header table with every DfE column (blank where not given)."""
    return _table("header", rows)


def episodes(rows: list[dict[str, str]]) -> pd.DataFrame:
    """An Episodes table with every DfE column (blank where not given)."""
    return _table("episodes", rows)


def _table(name: str, rows: list[dict[str, str]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, dtype="str")
    for col in COLUMNS[name]:
        if col not in frame.columns:
            frame[col] = ""
    extras = [c for c in frame.columns if c not in COLUMNS[name]]
    return frame[COLUMNS[name] + extras].fillna("")


def ep(child: str, decom: str, dec: str = "", rec: str = "", **kw: str) -> dict[str, str]:
    """One episode row with sensible defaults (S / C2 / N1 / U4 / PR1)."""
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
        "HOME_POST": "MK9 3EJ",
        "PL_POST": "MK9 3EJ",
        "URN": "SC000001",
    }
    row.update(kw)
    return row


def hd(child: str, dob: str = "01/06/2012", sex: str = "1", **kw: str) -> dict[str, str]:
    """One header row."""
    row = {"CHILD": child, "SEX": sex, "DOB": dob, "ETHNIC": "WBRI", "UPN": "A123456789012"}
    row.update(kw)
    return row


def write_set(folder: Path, tables: dict[str, pd.DataFrame], encoding: str = "utf-8") -> Path:
    """Write tables as DfE CSV files (``header.csv`` ...) into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, frame in tables.items():
        text = frame.to_csv(index=False, lineterminator="\n")
        (folder / f"{FILE_NAMES[name]}.csv").write_bytes(text.encode(encoding))
    return folder


def small_council() -> dict[str, pd.DataFrame]:
    """Two children, three episodes, all valid for 2023-24 (collection year 2024)."""
    return {
        "header": header([hd("A1"), hd("B2", dob="15/09/2008", sex="2")]),
        "episodes": episodes(
            [
                ep("A1", "01/05/2023", "01/09/2023", "X1"),
                ep("A1", "01/09/2023", RNE="P", PLACE="K2", PLACE_PROVIDER="PR4"),
                ep("B2", "10/10/2023", "20/02/2024", "E4A", LS="V2", CIN="N4"),
            ]
        ),
    }


def to_xml(tables: dict[str, pd.DataFrame]) -> str:
    """The same children as an XML ``EXPSSDA903`` return (header and episodes only)."""
    out = ["<?xml version='1.0' encoding='utf-8'?>", "<EXPSSDA903>"]
    eps = tables["episodes"]
    for _, h in tables["header"].iterrows():
        out.append("<CHILD><HEADER>")
        out.append(f"<CHILDID>{h.CHILD}</CHILDID>")
        for col in ("SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"):
            out.append(f"<{col}>{h[col]}</{col}>" if h[col] else f"<{col} />")
        out.append("</HEADER>")
        for _, e in eps[eps.CHILD == h.CHILD].iterrows():
            out.append("<EPISODE>")
            for col in COLUMNS["episodes"][1:]:
                tag = "PL" if col == "PLACE" else col
                out.append(f"<{tag}>{e[col]}</{tag}>" if e[col] else f"<{tag} />")
            out.append("</EPISODE>")
        out.append("</CHILD>")
    out.append("</EXPSSDA903>")
    return "".join(out)


def input_rows(folder: Path) -> set[tuple[str, int]]:
    """(file, line) of every non-blank data row of every CSV under ``folder``."""
    rows: set[tuple[str, int]] = set()
    for path in folder.rglob("*.csv"):
        lines = path.read_text(encoding="utf-8").splitlines()
        rows |= {
            (str(path), i)
            for i, line in enumerate(lines, start=1)
            if i > 1 and line.replace(",", "").strip()
        }
    return rows
