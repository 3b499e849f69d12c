"""Read the DfE XML 903 return (``<EXPSSDA903>``) into the same text tables as the CSVs.

Layout: one ``<CHILD>`` per child holding a ``<HEADER>`` and repeated ``<EPISODE>``
elements. The header carries the child's fields (``CHILDID`` → ``CHILD``, SEX, DOB,
ETHNIC, UPN, MOTHER, MC_DOB), the UASC date (``DUC``), the care-leaver fields (IN_TOUCH,
ACTIV, ACCOM → OC3), the adoption-decision fields (DATE_INT ... LS_ADOPTR → AD1) and
groups: ``OC2``, ``PERMANENCE`` (PrevPerm), ``AD_PLACED`` (PlacedAdoption),
``AMISSING`` (Missing), ``AREVIEW`` (Reviews). In episodes ``PL`` is ``PLACE``. Any other
group whose element names match a 903 table's columns is read as that table; anything else
is reported once as an info finding.

Rows are numbered by the 1-based index of their ``<CHILD>`` element (the findings
contract's "row" for XML). Rows are created for UASC only when DUC is given, for OC3 and
AD1 only when one of their fields is given.

Examples
--------
>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp()) / "r.xml"
>>> _ = d.write_text("<EXPSSDA903><CHILD><HEADER><CHILDID>7</CHILDID><SEX>1</SEX>"
...     "<DOB>01/01/2010</DOB></HEADER><EPISODE><DECOM>01/04/2023</DECOM><PL>U4</PL>"
...     "</EPISODE></CHILD></EXPSSDA903>")
>>> from cppanalytics.findings import Findings
>>> tables = read_xml(SourceFile(d, d.parent), Findings())
>>> tables["episodes"].frame.loc[0, ["CHILD", "PLACE"]].tolist()
['7', 'U4']
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from cppanalytics.findings import Findings
from cppanalytics.ssda903.dataset import COLUMNS
from cppanalytics.ssda903.readers import RawTable, SourceFile
from cppanalytics.ssda903.schemas import match_table

if TYPE_CHECKING:
    import xml.etree.ElementTree as ET

#: XML element names that differ from the CSV column names.
RENAME: dict[str, str] = {"CHILDID": "CHILD", "PL": "PLACE"}

#: Repeated groups and the table each one is.
GROUPS: dict[str, str] = {
    "EPISODE": "episodes",
    "OC2": "oc2",
    "PERMANENCE": "prev_perm",
    "AD_PLACED": "placed_adoption",
    "AMISSING": "missing",
    "AREVIEW": "reviews",
}

#: Header fields that make an optional one-row-per-child table when any is filled.
FLAT_TABLES: dict[str, tuple[str, ...]] = {
    "uasc": ("DUC",),
    "oc3": ("IN_TOUCH", "ACTIV", "ACCOM"),
    "ad1": ("DATE_INT", "DATE_MATCH", "FOSTER_CARE", "NB_ADOPTR", "SEX_ADOPTR", "LS_ADOPTR"),
}


def _text(elem: ET.Element) -> str:
    return (elem.text or "").strip()


def _fields(elem: ET.Element) -> dict[str, str]:
    return {RENAME.get(c.tag, c.tag): _text(c) for c in elem if len(c) == 0}


def read_xml(source: SourceFile, findings: Findings) -> dict[str, RawTable]:
    """Read an XML 903 return; an unreadable file is one error finding and ``{}``.

    The XML parser is imported here, when an XML file is read, not with the module: a run
    on CSV files alone never loads it.
    """
    import xml.etree.ElementTree as ET

    path = source.path
    rows: dict[str, list[dict[str, str]]] = {name: [] for name in COLUMNS}
    unknown: dict[str, int] = {}
    index = 0
    try:
        for _event, elem in ET.iterparse(path, events=("end",)):
            if elem.tag != "CHILD":
                continue
            index += 1
            _read_child(elem, index, rows, unknown)
            elem.clear()
    except ET.ParseError as exc:
        line, col = exc.position
        findings.add(
            "error",
            "xml_malformed",
            file=str(path),
            row=index + 1 if index else None,
            value=f"line {line}, character {col}",
            message=(
                f"{path.name} is not well-formed XML (line {line}, character {col}); "
                "the file was not used."
            ),
            fix="Re-export the XML return from the case-management system.",
            action="rejected_file",
        )
        return {}
    if index == 0:
        findings.add(
            "warning",
            "xml_no_children",
            file=str(path),
            message=f"{path.name} has no <CHILD> elements, so holds no 903 data.",
            fix="Check this is the 903 XML return (root element EXPSSDA903).",
            action="rejected_file",
        )
        return {}
    for tag, count in sorted(unknown.items()):
        findings.add(
            "info",
            "xml_element_unrecognised",
            file=str(path),
            column=tag,
            value=count,
            message=f"{path.name}: <{tag}> ({count} element(s)) is not part of a 903 "
            "table and was ignored.",
            fix="No action needed unless this element should hold 903 data.",
            action="",
        )
    out: dict[str, RawTable] = {}
    for name, recs in rows.items():
        if not recs:
            continue
        frame = pd.DataFrame.from_records(recs)
        for col in COLUMNS[name]:
            if col not in frame.columns:
                frame[col] = ""
        frame = frame[[*COLUMNS[name], "source_row"]].fillna("")
        frame.insert(len(COLUMNS[name]), "source_file", str(path))
        frame["source_row"] = frame["source_row"].astype("int64")
        for col in COLUMNS[name]:
            frame[col] = frame[col].astype("str")
        out[name] = RawTable(name, frame, source)
    return out


def _read_child(
    elem: ET.Element, index: int, rows: dict[str, list[dict[str, str]]], unknown: dict[str, int]
) -> None:
    header = elem.find("HEADER")
    head = _fields(header) if header is not None else {}
    child = head.get("CHILD", "")
    ident = {"CHILD": child, "DOB": head.get("DOB", ""), "source_row": index}
    rows["header"].append({**{c: head.get(c, "") for c in COLUMNS["header"]}, "source_row": index})
    for name, trigger in FLAT_TABLES.items():
        if any(head.get(c) for c in trigger):
            rec = {c: head.get(c, "") for c in COLUMNS[name]}
            rows[name].append({**rec, "source_row": index})
    groups = [g for g in (header if header is not None else []) if len(g)]
    groups += [g for g in elem if g.tag != "HEADER"]
    for group in groups:
        fields = _fields(group)
        name = GROUPS.get(group.tag)
        if name is None:
            match = match_table(set(fields) | {"CHILD"})
            name = match.table if match.table and not match.missing else None
        if name is None:
            unknown[group.tag] = unknown.get(group.tag, 0) + 1
            continue
        base = {"CHILD": child, "source_row": index}
        if "DOB" in COLUMNS[name]:
            base["DOB"] = ident["DOB"]
        if "SEX" in COLUMNS[name]:
            base["SEX"] = head.get("SEX", "")
        rows[name].append({**base, **fields})


__all__ = ["FLAT_TABLES", "GROUPS", "RENAME", "read_xml"]
