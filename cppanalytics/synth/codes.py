"""Which 903 codes the synthetic council may use in which collection year.

Collection years are named by the calendar year of their 31 March (2024-25 → ``2025``).
The generator only ever writes a code in a year in which DfE's code list holds it; the
lists and the years each code is valid live in :mod:`cppanalytics.ssda903.codes` (one
home, shared with the loader's checks):

- PLACE as versioned there (K3, H5, P2, Z1 → Z11–Z14); open placements of a retired type
  are re-recorded as its successor on 31 March of the code's last year when the successor
  is valid that year too (a new episode, RNE T, same carer; see :func:`retirement_day`:
  H5 as K3), P2 on 28 October 2023 (as H5); a child still in a Z1 placement, whose
  successors Z11–Z14 start only the year after its last, moves to another placement on
  1 March 2025 (RNE P), so no return holds a code its year does not;
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
#: re-recorded as H5 that day. A child still in a Z1 placement moves on 1 March 2025: its
#: successors Z11-Z14 are valid only from 2025-26, so no same-carer re-recording suits both
#: returns, and a month before 31 March leaves room for same-day events that push the move
#: back a day. Other types retire at the end of their last collection year.
RETIRED_ON: dict[str, str] = {"P2": "2023-10-28", "Z1": "2025-03-01"}
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
    """The day an open placement of type ``place`` leaves the retired code (None if never).

    31 March of its last valid year, or the day in :data:`RETIRED_ON`, so the old code
    never reaches a return where it is invalid. That day an open placement is re-recorded
    as its successor when the successor is valid that year too (a new episode, RNE T, same
    carer: H5 as K3); otherwise (Z1, whose successors start the year after) no code would
    suit both returns holding the two episodes, and the child moves on instead
    (:func:`successor_valid`).

    Examples
    --------
    >>> [f"{retirement_day(p):%Y-%m-%d}" for p in ("H5", "Z1", "P2")]
    ['2025-03-31', '2025-03-01', '2023-10-28']
    """
    if place in RETIRED_ON:
        return pd.Timestamp(RETIRED_ON[place])
    year = retirement_year(place)
    if year is None:
        return None
    return pd.Timestamp(year=year - 1, month=3, day=31)


def successor_valid(place: str, year: int) -> bool:
    """Whether the successor of retired ``place`` is valid in collection ``year``, so an
    open placement can be re-recorded as it with the same carer.

    Examples
    --------
    >>> successor_valid("H5", 2025), successor_valid("Z1", 2025), successor_valid("P2", 2024)
    (True, False, True)
    """
    return place_valid(PLACE_SUCCESSOR.get(place, ""), year)


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
