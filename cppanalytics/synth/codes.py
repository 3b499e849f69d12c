"""Which 903 codes the synthetic council may use in which collection year.

Collection years are named by the calendar year of their 31 March (2024-25 → ``2025``).
The generator only ever writes a code in a year in which DfE's code list holds it:

- PLACE K3 (registered supported accommodation) from 2024-25; H5 and P2 until 2024-25;
  Z1 until 2024-25, then Z11–Z14. Open placements of a retired type are re-recorded on
  1 April of the year that drops it (a new episode, RNE T, same carer);
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

#: placement types and the collection years they are valid (first, last); None = open
PLACE_YEARS: dict[str, tuple[int | None, int | None]] = {
    "K3": (2025, None),
    "H5": (None, 2025),
    "P2": (None, 2025),
    "Z1": (None, 2025),
    "Z11": (2026, None), "Z12": (2026, None), "Z13": (2026, None), "Z14": (2026, None),
}
#: replacement for an open placement of a type dropped at the start of a year
PLACE_SUCCESSOR: dict[str, str] = {"H5": "K3", "P2": "K3", "Z1": "Z14"}
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
    """Whether a placement type is on DfE's list in collection ``year``."""
    first, last = PLACE_YEARS.get(place, (None, None))
    return (first is None or year >= first) and (last is None or year <= last)


def retirement_year(place: str) -> int | None:
    """The first collection year in which ``place`` is no longer valid (None if never)."""
    last = PLACE_YEARS.get(place, (None, None))[1]
    return None if last is None else last + 1


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
