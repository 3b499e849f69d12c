"""Which 903 codes the synthetic council may use in which collection year.

Collection years are named by the calendar year of their 31 March (2024-25 → ``2025``).
The generator only ever writes a code in a year in which DfE's code list holds it; the
lists and the years each code is valid live in :mod:`cppanalytics.ssda903.codes` (one
home, shared with the loader's checks):

- PLACE as versioned there (K3, H5, P2, Z1 → Z11–Z14); open placements of a retired type
  are re-recorded when the year that drops it starts (a new episode, RNE T, same carer;
  see :func:`retirement_day`), P2 on 28 October 2023 (as H5);
- REC E43/E44 (special guardianship) until 2018-19, E45–E48 from 2019-20;
- OC3 ACTIV F3/P3 until 2020-21, F4/P4 and F5/P5 from 2021-22;
- SEX 1/2 until 2023-24, M/F from 2024-25;
- SWEpisodes from 2023-24; DoLo from 2026-27.

Examples
--------
>>> place_valid("K3", 2024), place_valid("K3", 2025), place_valid("H5", 2026)
(False, True, False)
>>> sgo_codes(2019), sgo_codes(2020)
(('E43', 'E44'), ('E45', 'E46', 'E47', 'E48'))
>>> sex_code("1", 2024), sex_code("1", 2025)
('1', 'M')
"""

from __future__ import annotations

import pandas as pd

from cppanalytics.ssda903.codes import code_table, valid_codes

#: replacement for an open placement of a type DfE retired (same carer, RNE T)
PLACE_SUCCESSOR: dict[str, str] = {"H5": "K3", "P2": "H5", "Z1": "Z14"}
#: P2 (unregulated independent living) is not valid from 28 October 2023, when supported
#: accommodation for 16-17 year olds had to be registered; open P2 placements are
#: re-recorded as H5 that day. Other types retire at the start of a collection year.
RETIRED_ON: dict[str, str] = {"P2": "2023-10-28"}
SWEPISODES_FROM = 2024
DOLO_FROM = 2027


def year_of(day: int | pd.Timestamp) -> int:
    """Collection year of a date given as days since 1970-01-01 or a Timestamp.

    Examples
    --------
    >>> year_of(pd.Timestamp("2025-03-31")), year_of(pd.Timestamp("2025-04-01"))
    (2025, 2026)
    """
    d = pd.Timestamp(day, unit="D") if isinstance(day, int | float) else pd.Timestamp(day)
    return d.year + 1 if d.month >= 4 else d.year


def place_valid(place: str, year: int) -> bool:
    """Whether a placement type is on DfE's list in collection ``year`` (from ssda903.codes)."""
    return place in valid_codes("PLACE", year)


def retirement_year(place: str) -> int | None:
    """The first collection year in which ``place`` is no longer valid (None if never)."""
    table = code_table()
    row = table[(table["column"] == "PLACE") & (table["code"] == place)]
    last = row["last"].iloc[0] if len(row) else pd.NA
    return None if pd.isna(last) else int(last) + 1


def retirement_day(place: str) -> pd.Timestamp | None:
    """The day an open placement of type ``place`` is re-recorded as its successor.

    31 March of its last valid year when the successor is valid that year too (so the old
    code never reaches a return where it is invalid), else 1 April of the next year.

    Examples
    --------
    >>> retirement_day("Z1"), retirement_day("P2")
    (Timestamp('2025-04-01 00:00:00'), Timestamp('2023-10-28 00:00:00'))
    """
    if place in RETIRED_ON:
        return pd.Timestamp(RETIRED_ON[place])
    year = retirement_year(place)
    if year is None:
        return None
    if place_valid(PLACE_SUCCESSOR.get(place, ""), year - 1):
        return pd.Timestamp(year=year - 1, month=3, day=31)
    return pd.Timestamp(year=year - 1, month=4, day=1)


def sgo_codes(year: int) -> tuple[str, ...]:
    """REC codes for special guardianship orders in collection ``year``."""
    return ("E43", "E44") if year <= 2019 else ("E45", "E46", "E47", "E48")


def sex_code(sex: str, year: int) -> str:
    """``"1"``/``"2"`` until 2023-24, ``"M"``/``"F"`` from 2024-25."""
    if year >= 2025:
        return {"1": "M", "2": "F"}[sex]
    return sex


def eet_codes(year: int) -> tuple[str, ...]:
    """OC3 ACTIV codes for education, employment or training in collection ``year``."""
    if year <= 2021:
        return ("F1", "P1", "F2", "P2", "F3", "P3")
    return ("F1", "P1", "F2", "P2", "F4", "P4", "F5", "P5")
