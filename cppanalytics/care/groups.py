"""Reporting groups of 903 codes (the results contract's exact breakdown labels).

Each function maps a Series of codes (or ages) to the labels of
:data:`cppanalytics.indicators.catalogue.BREAKDOWN_GROUPS`; anything unlisted falls in
the breakdown's catch-all (``other``, ``unknown`` or ``not_known``).

Examples
--------
>>> placement_group(pd.Series(["U4", "A3", "K3", "T1", None])).tolist()
['foster', 'placed_for_adoption', 'secure_childrens_homes_semi_independent', 'other', 'other']
>>> age_band(pd.Series([0, 4, 15, 16, None], dtype="Int64")).tolist()
['under 1', '1-4', '10-15', '16+', 'unknown']
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def _map(codes: pd.Series, groups: dict[str, tuple[str, ...]], default: str) -> pd.Series:
    """Map codes to group labels with a default for anything else (NA included)."""
    lookup = {code: label for label, members in groups.items() for code in members}
    out = codes.astype("string").map(lookup)
    return out.fillna(default).astype(str)


PLACEMENT_GROUPS: dict[str, tuple[str, ...]] = {
    "foster": ("U1", "U2", "U3", "U4", "U5", "U6", "Q1", "Q2"),
    "placed_for_adoption": ("A3", "A4", "A5", "A6"),
    "with_parents": ("P1",),
    "other_community": ("P2", "P3"),
    "secure_childrens_homes_semi_independent": ("K1", "K2", "K3", "H5"),
    "other_residential": ("R1", "R2", "R3", "R5"),
    "residential_schools": ("S1",),
    "other": ("Z1", "Z11", "Z12", "Z13", "Z14"),
}
LEGAL_STATUS_GROUPS: dict[str, tuple[str, ...]] = {
    "care_order": ("C1", "C2"),
    "placement_order": ("E1", "D1"),
    "voluntary": ("V2",),
    "child_protection": ("L1", "L2", "L3"),
    "youth_justice": ("J1", "J2", "J3"),
}
ETHNIC_GROUPS: dict[str, tuple[str, ...]] = {
    "white": ("WBRI", "WIRI", "WIRT", "WROM", "WOTH"),
    "mixed": ("MWBC", "MWBA", "MWAS", "MOTH"),
    "asian": ("ABAN", "AIND", "APKN", "CHNE", "AOTH"),
    "black": ("BCRB", "BAFR", "BOTH"),
    "other": ("OOTH",),
    "not_known": ("REFU", "NOBT"),
}
SEX_GROUPS: dict[str, tuple[str, ...]] = {"male": ("1", "M"), "female": ("2", "F")}
REASON_GROUPS: dict[str, tuple[str, ...]] = {
    "adopted": ("E11", "E12"),
    "sgo": ("E43", "E44", "E45", "E46", "E47", "E48"),
    "returned_home": ("E4A", "E4B", "E13"),
    "residence_cao": ("E41",),
    "independent_living": ("E5", "E6"),
    "transferred": ("E3",),
    "custody": ("E9",),
}


def placement_group(place: pd.Series) -> pd.Series:
    """DfE placement reporting group of PLACE codes (T0-T4 and unknown → ``other``)."""
    return _map(place, PLACEMENT_GROUPS, "other")


def legal_status_group(ls: pd.Series) -> pd.Series:
    """Legal status group of LS codes.

    Examples
    --------
    >>> legal_status_group(pd.Series(["C2", "E1", "V2", "L2", "J1", "X"])).tolist()
    ['care_order', 'placement_order', 'voluntary', 'child_protection', 'youth_justice', 'other']
    """
    return _map(ls, LEGAL_STATUS_GROUPS, "other")


def ethnic_group(ethnic: pd.Series) -> pd.Series:
    """Ethnic group of ETHNIC codes (missing or unknown → ``not_known``).

    Examples
    --------
    >>> ethnic_group(pd.Series(["WBRI", "BAFR", None])).tolist()
    ['white', 'black', 'not_known']
    """
    return _map(ethnic, ETHNIC_GROUPS, "not_known")


def sex_group(sex: pd.Series) -> pd.Series:
    """``male`` (1, M), ``female`` (2, F), else ``unknown``.

    Examples
    --------
    >>> sex_group(pd.Series(["1", "F", "U", None])).tolist()
    ['male', 'female', 'unknown', 'unknown']
    """
    return _map(sex, SEX_GROUPS, "unknown")


def reason_group(rec: pd.Series) -> pd.Series:
    """Reason-ceased group of REC codes (anything else → ``other``).

    Examples
    --------
    >>> reason_group(pd.Series(["E12", "E45", "E4B", "E2"])).tolist()
    ['adopted', 'sgo', 'returned_home', 'other']
    """
    return _map(rec, REASON_GROUPS, "other")


#: the age bands, in the order :func:`age_band_codes` numbers them
AGE_BANDS: tuple[str, ...] = ("unknown", "under 1", "1-4", "5-9", "10-15", "16+")


def age_band_codes(age: np.ndarray) -> np.ndarray:
    """Position in :data:`AGE_BANDS` of each age (completed years, float; NaN: unknown).

    Examples
    --------
    >>> age_band_codes(np.array([0, 1, 4, 5, 9, 10, 15, 16, 17, np.nan])).tolist()
    [1, 2, 2, 3, 3, 4, 4, 5, 5, 0]
    """
    a = np.asarray(age, dtype="float64")
    return np.select([np.isnan(a), a < 1, a < 5, a < 10, a < 16], [0, 1, 2, 3, 4], default=5)


def age_band(age: pd.Series) -> pd.Series:
    """Age band of completed years: under 1, 1-4, 5-9, 10-15, 16+, unknown (missing age)."""
    a = pd.to_numeric(age, errors="coerce").astype("float64").to_numpy()
    labels = np.asarray(AGE_BANDS, dtype=object)[age_band_codes(a)]
    return pd.Series(labels, index=age.index, dtype=object).astype(str)


#: the distance bands, in the order :func:`distance_band_codes` numbers them
DISTANCE_BANDS: tuple[str, ...] = ("0-20", "21-50", "51-100", "over 100", "unknown")


def distance_band_codes(miles: np.ndarray) -> np.ndarray:
    """Position in :data:`DISTANCE_BANDS` of each distance (miles, float; NaN: unknown).

    Examples
    --------
    >>> distance_band_codes(np.array([0, 20.0, 20.05, 50, 51, 100, 100.1, np.nan])).tolist()
    [0, 0, 1, 1, 2, 2, 3, 4]
    """
    m = np.asarray(miles, dtype="float64")
    return np.select([np.isnan(m), m <= 20, m <= 50, m <= 100], [4, 0, 1, 2], default=3)


def distance_band(miles: pd.Series) -> pd.Series:
    """Distance band: 0-20 (20.0 included), 21-50, 51-100, over 100, unknown (NaN).

    Examples
    --------
    >>> distance_band(pd.Series([20.0, 20.05, 50.0, 100.1, float("nan")])).tolist()
    ['0-20', '21-50', '21-50', 'over 100', 'unknown']
    """
    m = pd.to_numeric(miles, errors="coerce").astype("float64").to_numpy()
    labels = np.asarray(DISTANCE_BANDS, dtype=object)[distance_band_codes(m)]
    return pd.Series(labels, index=miles.index, dtype=object).astype(str)
