"""Valid 903 codes, versioned by collection year, kept as data.

:data:`CODES` lists every code a column may hold; :data:`CODE_VERSIONS` narrows the
collection years in which a code is valid (first and last year, inclusive, as the calendar
year of the collection year's 31 March: 2024-25 → ``2025``; ``None`` = open-ended).
A code absent from :data:`CODE_VERSIONS` is valid in every year.

:func:`code_status` classifies values against a row's collection year:

``ok``             valid that year;
``other_year``     valid in the neighbouring collection year only (accepted, warning);
``wrong_year``     a real code, but not valid within a year of this one (error, kept);
``unknown``        not a code of this column at all (error, kept as written).

Sources: the DfE 903 guidance changes summarised in ``shared/spec/ssda903.md``, checked
against DfE's validation rules as the D2I/Social Finance 903 validator encodes them (rules
101-196, 631, 633, 1006, 1009, SW13STG1): ``ACCOM`` has no S1 or X1 (no fixed abode and
gone abroad have no "suitable" version), ``PREV_PERM`` includes P4, ``LA_PERM`` is a
council's old three-digit code or WAL, SCO, NUK, NIR, ``SW_REASON`` is DfE's ten reasons
for a change of social worker, and ``REASON_PLACED_CEASED`` is RD1-RD4 only (an adoption
ends the plan without a reversal: DfE rule 558 leaves the reversal items blank then).

Examples
--------
>>> import pandas as pd
>>> code_status("PLACE", pd.Series(["K3", "K3", "K3", "Q9"]),
...             pd.Series([2025, 2024, 2022, 2025])).tolist()
['ok', 'other_year', 'wrong_year', 'unknown']
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache, lru_cache

import numpy as np
import pandas as pd

_ACCOM_LETTERS = "B C D E G H K R S T U V W X Y Z".split()

#: councils' old three-digit codes (as DfE's LA_PERM takes them), and places outside England
_LA_PERM = (
    "800 889 822 301 304 303 330 825 837 302 846 370 350 890 867 380 305 801 351 873 823 895 "
    "896 381 909 202 908 331 306 841 830 831 878 371 835 332 840 307 308 811 881 845 390 916 "
    "203 876 850 311 204 884 312 205 313 805 919 310 309 420 921 206 207 886 810 382 314 340 "
    "888 208 856 383 855 209 925 341 201 821 352 806 887 826 315 929 812 391 926 892 813 802 "
    "928 891 392 316 815 353 931 879 836 851 874 807 354 317 870 318 372 857 333 935 343 803 "
    "373 342 893 356 355 871 394 334 933 882 936 861 852 319 860 808 393 866 210 357 894 883 "
    "880 358 211 937 869 320 359 865 384 335 336 212 868 872 885 344 877 213 938 816 999 "
    "WAL SCO NUK NIR"
)

#: Every code each checked column may hold (space-separated text, then split).
CODES: dict[str, tuple[str, ...]] = {
    col: tuple(text.split())
    for col, text in {
        "RNE": "S L P T U B",
        "LS": "C1 C2 D1 E1 V2 V3 V4 L1 L2 L3 J1 J2 J3",
        "CIN": "N1 N2 N3 N4 N5 N6 N7 N8",
        "PLACE": (
            "A3 A4 A5 A6 H5 K1 K2 K3 P1 P2 P3 R1 R2 R3 R5 S1 T0 T1 T2 T3 T4 "
            "U1 U2 U3 U4 U5 U6 Z1 Z11 Z12 Z13 Z14 Q1 Q2 M1 M2 M3"
        ),
        "PLACE_PROVIDER": "PR0 PR1 PR2 PR3 PR4 PR5",
        "REC": (
            "X1 E11 E12 E2 E3 E4A E4B E13 E41 E43 E44 E45 E46 E47 E48 E5 E6 E7 E9 "
            "E14 E15 E16 E17 E8"
        ),
        "REASON_PLACE_CHANGE": (
            "CARPL CLOSE ALLEG STAND APPRR CREQB CREQO CHILD LAREQ PLACE CUSTOD OTHER"
        ),
        "SEX": "1 2 M F U",
        "ETHNIC": (
            "WBRI WIRI WIRT WROM WOTH MWBC MWBA MWAS MOTH ABAN AIND APKN CHNE AOTH "
            "BCRB BAFR BOTH OOTH REFU NOBT"
        ),
        "MOTHER": "0 1",
        "SDQ_REASON": "SDQ1 SDQ2 SDQ3 SDQ4 SDQ5",
        "CONVICTED": "0 1",
        "HEALTH_CHECK": "0 1",
        "IMMUNISATIONS": "0 1",
        "TEETH_CHECK": "0 1",
        "HEALTH_ASSESSMENT": "0 1",
        "SUBSTANCE_MISUSE": "0 1",
        "INTERVENTION_RECEIVED": "0 1",
        "INTERVENTION_OFFERED": "0 1",
        "IN_TOUCH": "YES NO DIED REFU NREQ RHOM",
        "ACTIV": "F1 P1 F2 P2 F3 P3 F4 P4 F5 P5 G4 G5 G6 0",
        "ACCOM": " ".join(
            ["0", "S2", "X2"] + [f"{x}{n}" for x in _ACCOM_LETTERS for n in (1, 2) if x not in "SX"]
        ),
        "FOSTER_CARE": "0 1",
        "NB_ADOPTR": "1 2",
        "SEX_ADOPTR": "M1 F1 MM FF MF",
        "LS_ADOPTR": "L0 L11 L12 L2 L3 L4",
        "REASON_PLACED_CEASED": "RD1 RD2 RD3 RD4",
        "PREV_PERM": "P1 P2 P3 P4 Z1",
        "LA_PERM": _LA_PERM,
        "MISSING": "M A",
        "REVIEW_CODE": "PN0 PN1 PN2 PN3 PN4 PN5 PN6 PN7",
        "SW_REASON": "MANAGE FCONTA LEFTRL ORGRST TSPROC ABSENC CHCHAN PCCHAN SWDIED OTHERS",
    }.items()
}

#: (column, code, first collection year, last collection year, what changed).
CODE_VERSIONS: tuple[tuple[str, str, int | None, int | None, str], ...] = (
    ("PLACE", "K3", 2025, None, "registered supported accommodation added 2024-25"),
    ("PLACE", "Z1", None, 2025, "Z1 split into Z11-Z14 from 2025-26"),
    *(
        ("PLACE", z, 2026, None, "Z1 split into Z11-Z14 from 2025-26")
        for z in ("Z11", "Z12", "Z13", "Z14")
    ),
    ("PLACE", "H5", None, 2025, "H5 dropped from 2025-26"),
    ("PLACE", "P2", None, 2025, "P2 dropped from 2025-26"),
    *(("PLACE", q, None, 2014, "pre-2014 placement code") for q in ("Q1", "Q2", "M1", "M2", "M3")),
    ("SEX", "1", None, 2024, "sex coded M/F/U from 2024-25"),
    ("SEX", "2", None, 2024, "sex coded M/F/U from 2024-25"),
    *(("SEX", s, 2025, None, "sex coded M/F/U from 2024-25") for s in ("M", "F", "U")),
    ("ACTIV", "F3", None, 2021, "F3/P3 replaced by F4/P4, F5/P5 from 2021-22"),
    ("ACTIV", "P3", None, 2021, "F3/P3 replaced by F4/P4, F5/P5 from 2021-22"),
    *(
        ("ACTIV", a, 2022, None, "F3/P3 replaced by F4/P4, F5/P5 from 2021-22")
        for a in ("F4", "P4", "F5", "P5")
    ),
    ("REC", "E43", None, 2019, "E43/E44 replaced by E45-E48 from 2019-20"),
    ("REC", "E44", None, 2019, "E43/E44 replaced by E45-E48 from 2019-20"),
    *(
        ("REC", e, 2020, None, "E43/E44 replaced by E45-E48 from 2019-20")
        for e in ("E45", "E46", "E47", "E48")
    ),
)

STATUSES: tuple[str, ...] = ("ok", "other_year", "wrong_year", "unknown")


@lru_cache(maxsize=1)
def _code_table() -> pd.DataFrame:
    rows = [(col, code) for col, codes in CODES.items() for code in codes]
    table = pd.DataFrame(rows, columns=["column", "code"])
    versions = pd.DataFrame(
        list(CODE_VERSIONS), columns=["column", "code", "first", "last", "note"]
    )
    out = table.merge(versions, on=["column", "code"], how="left")
    for col in ("first", "last"):
        out[col] = pd.to_numeric(out[col]).astype("Int64")
    out["note"] = out["note"].fillna("")
    return out


def code_table() -> pd.DataFrame:
    """All codes as one table: ``column, code, first, last, note`` (Int64 years).

    Examples
    --------
    >>> t = code_table()
    >>> int(t.loc[(t.column == "PLACE") & (t.code == "K3"), "first"].item())
    2025
    """
    return _code_table().copy()


def code_status(column: str, values: pd.Series, years: pd.Series) -> pd.Series:
    """Classify each (value, collection year) pair; blanks are ``"ok"``.

    A row whose collection year is unknown is checked only for being a known code.

    Parameters
    ----------
    column
        the 903 column (a key of :data:`CODES`).
    values
        normalised codes (upper-case, stripped), NA for blank.
    years
        collection years aligned with ``values`` (nullable integers).

    Examples
    --------
    >>> code_status("SEX", pd.Series(["M", None]), pd.Series([2024, 2024])).tolist()
    ['other_year', 'ok']
    """
    value_codes, uniq_values = pd.factorize(values.astype("object"), use_na_sentinel=True)
    yrs = pd.to_numeric(years, errors="coerce").astype("float64").to_numpy()
    year_codes, uniq_years = pd.factorize(yrs, use_na_sentinel=True)
    status = status_positions(column, value_codes, uniq_values, year_codes, uniq_years)
    return pd.Series(_STATUS_TEXT[status], index=values.index, dtype="str")


_STATUS_TEXT = np.asarray(STATUSES, dtype=object)


def status_positions(
    column: str,
    value_codes: np.ndarray,
    values: Sequence[object],
    year_codes: np.ndarray,
    years: Sequence[object],
) -> np.ndarray:
    """:func:`code_status` as positions in :data:`STATUSES` (0 = ``ok``), from integer codes.

    Each distinct (value, year) pair is classified once (a small grid, from the code lists
    held as plain dicts); only the rows of a value that is not ``ok`` in some year are
    then looked at (a large extract has few).

    Parameters
    ----------
    column
        the 903 column (a key of :data:`CODES`).
    value_codes, values
        per row, the position of its value in ``values`` (the distinct normalised codes),
        -1 for blank.
    year_codes, years
        per row, the position of its collection year in ``years``, -1 when unknown.

    Returns
    -------
    numpy.ndarray
        ``int8``, one per row.

    Examples
    --------
    >>> status_positions("SEX", np.array([0, 1, -1, 0]), ["M", "Q"],
    ...                  np.array([0, 0, 0, -1]), [2025]).tolist()
    [0, 3, 0, 0]
    """
    value_codes = np.asarray(value_codes)
    year_codes = np.asarray(year_codes)
    n = len(value_codes)
    first, last = _spans(column, np.asarray(values, dtype=object))
    yrs = pd.to_numeric(pd.Series(np.asarray(years, dtype=object)), errors="coerce")
    yrs = yrs.astype("float64").to_numpy()
    if len(first) * (len(yrs) + 1) > max(4 * n, 4096):  # many distinct values: only pairs met
        width = len(yrs) + 1
        pair_codes, pairs = pd.factorize(
            (value_codes.astype(np.int64) + 1) * width + year_codes + 1
        )
        vi, yi = np.divmod(pairs, width)
        status = _grid(first[vi], last[vi], np.append(np.nan, yrs)[yi], vi == 0)
        return status.take(pair_codes)
    # every (value, year) pair: row 0 a blank value, column 0 an unknown year
    grid = _grid(
        first[:, None], last[:, None], np.append(np.nan, yrs)[None, :], np.zeros((1, 1), bool)
    )
    grid[0] = 0
    flagged = np.asarray(grid.any(axis=1), dtype=bool)
    out = np.zeros(n, dtype="int8")
    if not flagged.any():
        return out
    rows = np.flatnonzero(flagged.take(value_codes + 1))  # rows of a value not always ok
    width = grid.shape[1]
    cells = (value_codes.take(rows).astype(np.intp) + 1) * width + year_codes.take(rows) + 1
    out[rows] = grid.ravel().take(cells)  # (grid[value + 1, year + 1], as positions)
    return out


@cache
def _column_spans(column: str) -> dict[str, tuple[float, float]]:
    """One column's codes with their first and last collection years (open: -1e9 / 1e9)."""
    versions = {(col, code): (first, last) for col, code, first, last, _ in CODE_VERSIONS}
    spans = {}
    for code in CODES.get(column, ()):
        first, last = versions.get((column, code), (None, None))
        spans[code] = (
            -1e9 if first is None else float(first),
            1e9 if last is None else float(last),
        )
    return spans


def _spans(column: str, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per distinct value, after a leading slot for a blank: its first and last years
    (NaN for a value that is not a code of the column)."""
    spans = _column_spans(column)
    missing = (np.nan, np.nan)
    pairs = [spans.get(v, missing) if isinstance(v, str) else missing for v in values]
    held = np.array([missing, *pairs], dtype=np.float64).reshape(-1, 2)
    return held[:, 0], held[:, 1]


def _grid(first: np.ndarray, last: np.ndarray, year: np.ndarray, blank: np.ndarray) -> np.ndarray:
    """Positions in :data:`STATUSES` of codes valid from ``first`` to ``last`` (NaN: not a
    code) in ``year`` (NaN: unknown); ``blank`` values are ``ok``. Arrays broadcast."""
    known = ~np.isnan(first)
    yr_known = ~np.isnan(year)
    with np.errstate(invalid="ignore"):
        inside = (year >= first) & (year <= last)
        near = (year >= first - 1) & (year <= last + 1)
    status = np.full(np.broadcast_shapes(first.shape, year.shape), 3, dtype="int8")
    status[known & (~yr_known | inside)] = 0
    status[known & yr_known & ~inside & near] = 1
    status[known & yr_known & ~near] = 2
    status[np.broadcast_to(blank, status.shape)] = 0
    return status


@cache
def valid_codes(column: str, year: int) -> frozenset[str]:
    """The codes valid for ``column`` in collection ``year`` (worked out once per pair: the
    demo council's simulation asks for them at every placement).

    Examples
    --------
    >>> sorted(valid_codes("SEX", 2025))
    ['F', 'M', 'U']
    """
    table = code_table()
    t = table[table["column"] == column]
    ok = t["first"].fillna(-(10**9)).le(year) & t["last"].fillna(10**9).ge(year)
    return frozenset(t.loc[ok, "code"])


__all__ = [
    "CODES",
    "CODE_VERSIONS",
    "STATUSES",
    "code_status",
    "code_table",
    "status_positions",
    "valid_codes",
]
