"""English councils with children's services: codes, names, regions and reorganisations.

DfE identifies a council by an old 3-digit code (``826``) and an ONS E-code
(``E06000042``). Old codes are stable through the re-codings of 2020–2023 (North
Yorkshire 815 was E10000023 and is E06000065), so the comparator tables are keyed on the
old code; E-codes and names are accepted everywhere and resolved here.

Local-government reorganisations (handled explicitly; ``first_year`` is the first 31 March
year for which the new council made its own SSDA903 return):

* 2019 (1 April): Bournemouth (837) and Poole (836) and Christchurch (part of Dorset 835)
  → Bournemouth, Christchurch and Poole (839, E06000058); the rest of Dorset county (835)
  → Dorset Council (838, E06000059). First returns 2020. DfE back-cast 838/839 to 2018.
* 2020: Buckinghamshire re-coded E10000002 → E06000060 (unitary), same old code 825.
* 2021: Northamptonshire (928) → North Northamptonshire (940, E06000061) and West
  Northamptonshire (941, E06000062). First returns 2022.
* 2023: Cumbria (909) → Cumberland (942, E06000063) and Westmorland and Furness (943,
  E06000064). First returns 2024.
* 2023: North Yorkshire re-coded E10000023 → E06000065 and Somerset E10000027 → E06000066
  (unitary; old codes 815 and 933 unchanged).

A predecessor with one successor (Dorset 835 → 838) resolves to it; one split between
several (Northamptonshire, Cumbria) cannot be resolved and raises a clear error.

Examples
--------
>>> resolve("E06000042").old_code, resolve("826").region_name
('826', 'South East')
>>> resolve("E10000023").new_code
'E06000065'
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from cppanalytics.errors import CppError

if TYPE_CHECKING:  # pandas is imported by the table functions: resolve() reads the CSV
    import pandas as pd  # itself, so checking a report's la_code before a kernel starts
    # does not import pandas into the report machinery's process

#: English regions (ONS E12 codes), as DfE publishes them.
REGIONS: dict[str, str] = {
    "E12000001": "North East",
    "E12000002": "North West",
    "E12000003": "Yorkshire and The Humber",
    "E12000004": "East Midlands",
    "E12000005": "West Midlands",
    "E12000006": "East of England",
    "E12000007": "London",
    "E12000008": "South East",
    "E12000009": "South West",
}
#: DfE's London sub-regions, folded into London for regional comparisons.
LONDON_SUBREGIONS: dict[str, str] = {"E13000001": "Inner London", "E13000002": "Outer London"}
LONDON = "E12000007"

COUNCIL_COLUMNS = [
    "old_code",
    "new_code",
    "name",
    "region_code",
    "region_name",
    "first_year",
    "last_year",
]


@dataclass(frozen=True)
class Reorganisation:
    """One local-government reorganisation or re-coding.

    Attributes
    ----------
    first_year
        first 31 March year of the successors' own returns.
    predecessors, successors
        old 3-digit codes.
    description
        plain-English account.
    """

    first_year: int
    predecessors: tuple[str, ...]
    successors: tuple[str, ...]
    description: str


REORGANISATIONS: tuple[Reorganisation, ...] = (
    Reorganisation(
        2020,
        ("835", "836", "837"),
        ("838", "839"),
        "Dorset, Bournemouth and Poole became Dorset Council and Bournemouth, "
        "Christchurch and Poole on 1 April 2019",
    ),
    Reorganisation(
        2021, ("825",), ("825",), "Buckinghamshire re-coded E10000002 to E06000060 on 1 April 2020"
    ),
    Reorganisation(
        2022,
        ("928",),
        ("940", "941"),
        "Northamptonshire became North and West Northamptonshire on 1 April 2021",
    ),
    Reorganisation(
        2024,
        ("909",),
        ("942", "943"),
        "Cumbria became Cumberland and Westmorland and Furness on 1 April 2023",
    ),
    Reorganisation(
        2024, ("815",), ("815",), "North Yorkshire re-coded E10000023 to E06000065 on 1 April 2023"
    ),
    Reorganisation(
        2024, ("933",), ("933",), "Somerset re-coded E10000027 to E06000066 on 1 April 2023"
    ),
)

#: predecessor old code → its single successor where unambiguous (835 → 838: Christchurch
#: moved to BCP but DfE treats Dorset Council as Dorset county's continuation).
_SINGLE_SUCCESSOR: dict[str, str] = {"835": "838", "836": "839", "837": "839"}
_SPLIT: dict[str, tuple[str, ...]] = {"928": ("940", "941"), "909": ("942", "943")}
#: codes of abolished or re-coded councils, kept so old codes still resolve:
#: (old code, E-code, name, region code, last 31 March year under that E-code)
_HISTORIC: tuple[tuple[str, str, str, str, int], ...] = (
    ("835", "E10000009", "Dorset", "E12000009", 2019),
    ("836", "E06000029", "Poole", "E12000009", 2019),
    ("837", "E06000028", "Bournemouth", "E12000009", 2019),
    ("825", "E10000002", "Buckinghamshire", "E12000008", 2020),
    ("928", "E10000021", "Northamptonshire", "E12000004", 2021),
    ("909", "E10000006", "Cumbria", "E12000002", 2023),
    ("815", "E10000023", "North Yorkshire", "E12000003", 2023),
    ("933", "E10000027", "Somerset", "E12000009", 2023),
)


@dataclass(frozen=True)
class Council:
    """A council as used for comparisons (its current codes, name and region)."""

    old_code: str
    new_code: str
    name: str
    region_code: str
    region_name: str
    note: str = ""


def standard_region(code: str, name: str = "") -> tuple[str, str]:
    """Fold DfE's Inner/Outer London into London; other regions unchanged.

    Examples
    --------
    >>> standard_region("E13000001", "Inner London")
    ('E12000007', 'London')
    """
    if code in LONDON_SUBREGIONS:
        return LONDON, REGIONS[LONDON]
    return code, REGIONS.get(code, name)


def councils_path() -> Path:
    """Path of the shipped councils table (built by ``cppanalytics comparators build``)."""
    return Path(str(resources.files("cppanalytics") / "data" / "comparators" / "councils.csv"))


@lru_cache(maxsize=4)
def _load(path: str) -> pd.DataFrame:
    import pandas as pd

    return pd.read_csv(path, dtype=str, keep_default_na=False)


@lru_cache(maxsize=4)
def _rows(path: str) -> tuple[dict[str, str], ...]:
    """The councils table's rows as text, in file order (what :func:`_load` reads)."""
    with open(path, newline="", encoding="utf-8-sig") as handle:
        return tuple(csv.DictReader(handle))


def councils(path: str | Path | None = None) -> pd.DataFrame:
    """All councils: old/new code, name, region (London folded) and years published.

    One row per (old code, E-code) pair; a re-coded council has two rows.

    Examples
    --------
    >>> c = councils()
    >>> c.loc[c.old_code == "826", "new_code"].tolist()
    ['E06000042']
    """
    frame = _load(str(path or councils_path())).copy()
    for col in ("first_year", "last_year"):
        frame[col] = frame[col].astype(int)
    return frame


def build_councils(la_rows: pd.DataFrame) -> pd.DataFrame:
    """Derive the councils table from DfE local-authority rows.

    Parameters
    ----------
    la_rows
        rows with ``year, la_code_old, la_code_new, la_name, region_code, region_name``.

    Returns
    -------
    DataFrame
        :data:`COUNCIL_COLUMNS`, one row per (old code, E-code), latest name.

    Examples
    --------
    >>> import pandas as pd
    >>> rows = pd.DataFrame({"year": [2024, 2025], "la_code_old": ["826", "826"],
    ...     "la_code_new": ["E06000042"] * 2, "la_name": ["Milton Keynes"] * 2,
    ...     "region_code": ["E12000008"] * 2, "region_name": ["South East"] * 2})
    >>> out = build_councils(rows)
    >>> out.loc[out.old_code == "826", ["new_code", "first_year", "last_year"]].values.tolist()
    [['E06000042', 2024, 2025]]
    >>> "E10000021" in set(out.new_code)  # abolished councils are always listed
    True
    """
    rows = la_rows.dropna(subset=["la_code_old"]).sort_values("year")
    rows = rows[rows["la_code_new"].fillna("").str.startswith("E")]
    grouped = rows.groupby(["la_code_old", "la_code_new"], sort=True)
    out = grouped.agg(
        name=("la_name", "last"),
        region_code=("region_code", "last"),
        region_name=("region_name", "last"),
        first_year=("year", "min"),
        last_year=("year", "max"),
    ).reset_index()
    out = out.rename(columns={"la_code_old": "old_code", "la_code_new": "new_code"})
    known = set(zip(out.old_code, out.new_code, strict=True))
    extra = [
        {
            "old_code": old,
            "new_code": new,
            "name": name,
            "region_code": reg,
            "region_name": REGIONS[reg],
            "first_year": 2010,
            "last_year": last,
        }
        for old, new, name, reg, last in _HISTORIC
        if (old, new) not in known
    ]
    if extra:
        import pandas as pd

        out = pd.concat([out, pd.DataFrame(extra)], ignore_index=True)
    out = out.sort_values(["old_code", "first_year", "last_year"])
    return out[COUNCIL_COLUMNS].reset_index(drop=True)


def resolve(la_code: str, path: str | Path | None = None) -> Council:
    """Find a council by old code, E-code (old or new) or name; follow reorganisations.

    Raises
    ------
    CppError
        unknown code, or a predecessor split between several successors.

    Examples
    --------
    >>> resolve("Milton Keynes").old_code
    '826'
    >>> resolve("835").name
    'Dorset'
    """
    key = str(la_code).strip()
    rows = _rows(str(path or councils_path()))

    def latest(found: list[dict[str, str]]) -> dict[str, str]:
        # the row published last (of equals, the later in the file: a stable sort)
        return sorted(found, key=lambda r: int(r["last_year"]))[-1]

    hit = [
        r
        for r in rows
        if r["old_code"] == key
        or r["new_code"].upper() == key.upper()
        or r["name"].lower() == key.lower()
    ]
    if not hit:
        raise CppError(
            f"council {la_code!r} not found: give the DfE 3-digit code (e.g. 826), the "
            f"E-code (e.g. E06000042) or the name exactly as DfE spells it"
        )
    old = latest(hit)["old_code"]
    note = ""
    if old in _SPLIT:
        names = ", ".join(
            f"{c} {[r['name'] for r in rows if r['old_code'] == c][-1]}" for c in _SPLIT[old]
        )
        raise CppError(
            f"council {la_code!r} ({old}) was abolished and split between {names}; "
            f"give the successor council's code"
        )
    if old in _SINGLE_SUCCESSOR:
        note = f"{key} was reorganised; comparisons use its successor {_SINGLE_SUCCESSOR[old]}"
        old = _SINGLE_SUCCESSOR[old]
    row = latest([r for r in rows if r["old_code"] == old])
    return Council(
        row["old_code"], row["new_code"], row["name"], row["region_code"], row["region_name"], note
    )


def new_code_for(
    old_code: pd.Series, year: pd.Series, table: pd.DataFrame | None = None
) -> pd.Series:
    """E-code in force for each (old code, year): 815 → E10000023 to 2023, E06000065 after.

    Examples
    --------
    >>> import pandas as pd
    >>> new_code_for(pd.Series(["815", "815"]), pd.Series([2020, 2025])).tolist()
    ['E10000023', 'E06000065']
    """
    table = (councils() if table is None else table).sort_values(["first_year", "last_year"])
    latest = table.drop_duplicates("old_code", keep="last").set_index("old_code")
    out = old_code.map(latest["new_code"])
    recoded = {
        r.predecessors[0]: r.first_year for r in REORGANISATIONS if r.predecessors == r.successors
    }
    for old, switch in recoded.items():
        grp = table[table.old_code == old]
        if len(grp) < 2:
            continue
        out = out.mask((old_code == old) & (year < switch), grp.iloc[0]["new_code"])
    return out


def region_for(old_code: pd.Series, table: pd.DataFrame | None = None) -> pd.DataFrame:
    """Region code and name of each old code (London folded), as a two-column frame.

    Examples
    --------
    >>> import pandas as pd
    >>> region_for(pd.Series(["826"])).values.tolist()
    [['E12000008', 'South East']]
    """
    import pandas as pd

    table = (councils() if table is None else table).sort_values(["first_year", "last_year"])
    latest = table.drop_duplicates("old_code", keep="last").set_index("old_code")
    return pd.DataFrame(
        {
            "region_code": old_code.map(latest["region_code"]).values,
            "region_name": old_code.map(latest["region_name"]).values,
        },
        index=old_code.index,
    )
