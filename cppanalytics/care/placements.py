"""Placements inside periods of care, with the three named placement rules.

Inside a period of care a new placement starts at every episode whose RNE is S, P, B, T or
U; RNE L (legal status only) continues the placement. The first non-temporary episode of a
period always starts a placement, whatever its RNE; temporary episodes before it belong to
no placement. Rules (each a keyword argument, defaults as DfE):

1. ``adoption_with_current_carer_continues``: PLACE A3/A5 reached by RNE T or U continues
   the previous placement.
2. ``temporary_placements_continue``: PLACE T0-T4 episodes are not placements; a run of
   consecutive temporary episodes is one interruption, and the episode after it that
   returns to the placement held before it (the last non-temporary episode of the period:
   same PLACE, PL_POST compared upper-case without spaces, URN; blank equals blank)
   continues that placement. When off, temporary episodes are ordinary episodes.
3. ``ffa_counts_as_new_placement``: PLACE U2/U5 count as a new placement. When off, an
   episode with PLACE U2/U5 continues the previous placement.

An episode with a missing or unknown RNE starts a new placement when its (PLACE, PL_POST,
URN) differs from the previous non-temporary episode's (project choice; the loader reports
the bad code).

A placement's dates are those of its non-temporary episodes: ``start`` is the first one's
DECOM, ``end`` the last one's (effective) DEC, NaT when open.

Columns added by :func:`add_placements`: ``is_temp``, ``held_pos`` (row position of the
placement held before: the last non-temporary episode of the period up to and including
this row; -1 if none), ``returns_to_held``, ``key_differs``, ``new_placement``,
``placement_id`` (Int64, NA for temporary episodes and those before the first placement),
``held_placement_id``, ``placement_start``.

Examples
--------
>>> from cppanalytics.care.episodes import clean_episodes
>>> from cppanalytics.care.periods import add_periods
>>> raw = pd.DataFrame({"CHILD": ["1"] * 3, "LS": ["C2"] * 3,
...     "DECOM": pd.to_datetime(["2023-01-01", "2023-02-01", "2023-02-10"]),
...     "DEC": pd.to_datetime(["2023-02-01", "2023-02-10", None]), "REC": ["X1", "X1", None],
...     "RNE": ["S", "P", "P"], "PLACE": ["U4", "T1", "U4"], "PL_POST": ["AB1 2CD", "", "ab12cd"]})
>>> eps = add_periods(clean_episodes(raw)[0])[0]
>>> add_placements(eps)["placement_id"].tolist()
[0, <NA>, 0]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cppanalytics.care.episodes import (
    ADOPTION_WITH_CARER_PLACES,
    FFA_PLACES,
    KNOWN_RNE,
    NEW_PLACEMENT_RNE,
    TEMPORARY_PLACES,
    _member,
    text_rows,
)
from cppanalytics.ssda903.coded import factorize_text


def placement_key(eps: pd.DataFrame) -> np.ndarray:
    """The (PLACE, PL_POST, URN) comparison key as one text per row (blank equals blank).

    Examples
    --------
    >>> placement_key(pd.DataFrame({"PLACE": ["U4"], "PL_POST": ["ab1 2cd"], "URN": [None]}))
    array(['U4|AB12CD|'], dtype=object)
    """
    place = eps["PLACE"].astype("string").fillna("")
    post = eps["PL_POST"].astype("string").str.upper().str.replace(" ", "", regex=False)
    urn = eps["URN"].astype("string").fillna("")
    key = place + "|" + post.fillna("") + "|" + urn
    return key.astype("object").to_numpy()


def _factorize(values: pd.Series | np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes of ``values`` (NA as -1) and the distinct values (text through
    :func:`~cppanalytics.ssda903.coded.factorize_text`, which reads a loaded table's shared
    string objects by identity)."""
    if isinstance(values, pd.Series) and not pd.api.types.is_numeric_dtype(values.dtype):
        codes, uniques = factorize_text(values)
    else:
        codes, uniques = pd.factorize(values)
    return codes.astype(np.int64), np.asarray(uniques)


def _codes(values: pd.Series | np.ndarray) -> tuple[np.ndarray, int]:
    """Integer codes of ``values`` (NA as -1) and the number of distinct values."""
    codes, uniques = _factorize(values)
    return codes, len(uniques)


class TextCodes:
    """The columns of one episodes table, each factorised once when first asked for, so the
    building blocks test PLACE and RNE against several code lists without hashing them
    again (every step of :func:`~cppanalytics.care.prepared.prepare_care` keeps the rows
    and their order).

    Examples
    --------
    >>> text = TextCodes(pd.DataFrame({"RNE": ["S", "L", None, "T"]}))
    >>> text.isin("RNE", frozenset({"S", "T"})).tolist(), text.isin("RNE", frozenset("L")).tolist()
    ([True, False, False, True], [False, True, False, False])
    """

    def __init__(self, eps: pd.DataFrame) -> None:
        self._eps = eps
        self._done: dict[str, tuple[np.ndarray, np.ndarray]] = {}

    def factorized(self, column: str) -> tuple[np.ndarray, np.ndarray]:
        """The codes (NA as -1) and distinct values of ``column``, worked out once."""
        if column not in self._done:
            self._done[column] = _factorize(self._eps[column])
        return self._done[column]

    def isin(self, column: str, members: frozenset[str]) -> np.ndarray:
        """Whether each row's ``column`` is one of ``members`` (NA is not)."""
        return _member(*self.factorized(column), members)


#: the combined key codes of :func:`placement_key_codes` stay below this (int64 safe: a
#: file with millions of distinct values in each column is renumbered on the way)
KEY_SPAN_LIMIT = 2**62


def placement_key_codes(eps: pd.DataFrame, text: TextCodes | None = None) -> np.ndarray:
    """:func:`placement_key` as integer codes: equal codes exactly when the keys are equal.

    Each column's distinct values are put as the key writes them (PL_POST upper-cased with
    no spaces, a blank as ""), numbered, and the three numbers combined: no text is built
    per row. When a part holds the key's separator "|" (so two different triples could
    write the same key), the text key is built once per distinct triple instead.

    Examples
    --------
    >>> codes = placement_key_codes(pd.DataFrame({"PLACE": ["U4", "U4", "U4"],
    ...     "PL_POST": ["ab1 2cd", "AB12CD", None], "URN": [None, None, None]}))
    >>> bool(codes[0] == codes[1]), bool(codes[0] == codes[2])
    (True, False)
    """
    n = len(eps)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    text = TextCodes(eps) if text is None else text
    combined = np.zeros(n, dtype=np.int64)
    span = 1  # combined < span
    for col in ("PLACE", "PL_POST", "URN"):
        codes, distinct = text.factorized(col)
        written = _key_parts(col, distinct)  # the last entry: a blank (code -1)
        if any("|" in v for v in written):
            return _text_key_codes(eps, text)
        part, parts = pd.factorize(written)
        if span * len(parts) >= KEY_SPAN_LIMIT:  # renumbered before int64 could overflow
            combined, span = _codes(combined)
        combined = combined * len(parts) + part[codes]
        span *= len(parts)
    return combined


def _key_parts(column: str, distinct: np.ndarray) -> np.ndarray:
    """The distinct values of a column of :func:`placement_key` as the key writes them,
    with a last entry for a blank: ""."""
    values = pd.Series(distinct, dtype=object).astype("string")
    if column == "PL_POST":
        values = values.str.upper().str.replace(" ", "", regex=False)
    return np.append(values.fillna("").to_numpy(dtype=object), "")


def _text_key_codes(eps: pd.DataFrame, text: TextCodes) -> np.ndarray:
    """:func:`placement_key_codes` through the text key, built once per distinct
    (PLACE, PL_POST, URN)."""
    n = len(eps)
    combined = np.zeros(n, dtype=np.int64)
    for col in ("PLACE", "PL_POST", "URN"):
        codes, distinct = text.factorized(col)
        combined, _ = _codes(combined * (len(distinct) + 1) + (codes + 1))
    # ``combined`` numbers the triples in order of first appearance, so each one's first
    # row is where the running maximum of the codes rises
    rises = np.ones(n, dtype=bool)
    rises[1:] = np.diff(np.maximum.accumulate(combined)) > 0
    keys = placement_key(eps.iloc[np.flatnonzero(rises)])
    key_codes, _ = _codes(keys)
    return key_codes[combined]


def temporary_structure(
    eps: pd.DataFrame, temporary_placements_continue: bool = True, *, text: TextCodes | None = None
) -> pd.DataFrame:
    """Add ``is_temp``, ``held_pos``, ``returns_to_held``, ``key_differs``, ``first_in_period``.

    ``held_pos`` is the row position of the last non-temporary episode of the period at or
    before each row (-1 if none). ``returns_to_held`` marks a non-temporary episode that
    directly follows a run of temporary ones and has the same key as the placement held
    before the run. ``key_differs`` compares each non-temporary episode with the previous
    non-temporary episode of the period (True when there is none).

    Examples
    --------
    >>> from cppanalytics.care.episodes import clean_episodes
    >>> from cppanalytics.care.periods import add_periods
    >>> raw = pd.DataFrame({"CHILD": ["1"] * 2, "LS": ["C2"] * 2, "RNE": ["S", "P"],
    ...     "DECOM": pd.to_datetime(["2023-01-01", "2023-02-01"]), "PLACE": ["T1", "U4"],
    ...     "DEC": pd.to_datetime(["2023-02-01", None]), "REC": ["X1", None]})
    >>> temporary_structure(add_periods(clean_episodes(raw)[0])[0])["held_pos"].tolist()
    [-1, 1]
    """
    out = eps.copy(deep=False)  # copy-on-write: new columns never reach eps
    text = TextCodes(eps) if text is None else text
    n = len(out)
    pos = np.arange(n)
    period = out["period_id"].to_numpy()
    is_temp = (
        text.isin("PLACE", TEMPORARY_PLACES)
        if temporary_placements_continue
        else (np.zeros(n, dtype=bool))
    )
    first_in_period = np.ones(n, dtype=bool)
    if n:
        first_in_period[1:] = period[1:] != period[:-1]

    # last non-temporary position at or before each row, within the period
    # (positions rise, so the last one at or before each row is the running maximum)
    held = np.maximum.accumulate(np.where(is_temp, -1, pos)) if n else pos
    held = held.astype(np.int64)
    held = np.where((held >= 0) & (period[np.maximum(held, 0)] == period), held, -1)

    # previous non-temporary position strictly before each row, within the period
    prev_held = np.full(n, -1, dtype=np.int64)
    if n:
        prev_held[1:] = held[:-1]
        prev_held[first_in_period] = -1

    key = placement_key_codes(out, text)
    has_prev = prev_held >= 0
    key_differs = ~has_prev | (key != key[np.maximum(prev_held, 0)])

    prev_is_temp = np.zeros(n, dtype=bool)
    if n:
        prev_is_temp[1:] = is_temp[:-1]
        prev_is_temp[first_in_period] = False
    returns = ~is_temp & prev_is_temp & has_prev & ~key_differs

    out["is_temp"] = is_temp
    out["first_in_period"] = first_in_period
    out["held_pos"] = held
    out["prev_held_pos"] = prev_held
    out["key_differs"] = key_differs
    out["returns_to_held"] = returns
    return out


def add_placements(
    eps: pd.DataFrame,
    *,
    adoption_with_current_carer_continues: bool = True,
    temporary_placements_continue: bool = True,
    ffa_counts_as_new_placement: bool = True,
    text: TextCodes | None = None,
) -> pd.DataFrame:
    """Number the placements of every period of care (see the module docstring).

    Parameters
    ----------
    eps
        episodes with periods (:func:`cppanalytics.care.periods.add_periods`); if the
        temporary structure columns are absent they are computed.
    adoption_with_current_carer_continues, temporary_placements_continue, ffa_counts_as_new_placement
        placement rules 1, 2 and 3.
    text
        the columns of ``eps`` already factorised (:class:`TextCodes`), if at hand.

    Returns
    -------
    pandas.DataFrame
        ``eps`` with the placement columns.

    Examples
    --------
    >>> from cppanalytics.care.episodes import clean_episodes
    >>> from cppanalytics.care.periods import add_periods
    >>> raw = pd.DataFrame({"CHILD": ["1"] * 2, "LS": ["C2", "E1"], "RNE": ["S", "U"],
    ...     "DECOM": pd.to_datetime(["2023-01-01", "2023-02-01"]), "PLACE": ["U4", "A3"],
    ...     "DEC": pd.to_datetime(["2023-02-01", None]), "REC": ["X1", None]})
    >>> eps = add_periods(clean_episodes(raw)[0])[0]
    >>> add_placements(eps)["placement_id"].tolist()
    [0, 0]
    >>> add_placements(eps, adoption_with_current_carer_continues=False)["placement_id"].tolist()
    [0, 1]
    """
    text = TextCodes(eps) if text is None else text
    out = (
        eps
        if "returns_to_held" in eps
        else temporary_structure(eps, temporary_placements_continue, text=text)
    )
    is_temp = out["is_temp"].to_numpy()
    prev_held = out["prev_held_pos"].to_numpy()
    first_nontemp = ~is_temp & (prev_held < 0)
    rne_new = text.isin("RNE", NEW_PLACEMENT_RNE)
    rne_unknown = ~text.isin("RNE", KNOWN_RNE)
    normal = rne_new.copy()
    if adoption_with_current_carer_continues:
        normal &= ~(
            text.isin("PLACE", ADOPTION_WITH_CARER_PLACES) & text.isin("RNE", frozenset("TU"))
        )
    if not ffa_counts_as_new_placement:
        normal &= ~text.isin("PLACE", FFA_PLACES)
    normal |= rne_unknown & out["key_differs"].to_numpy()
    new = ~is_temp & (first_nontemp | (~out["returns_to_held"].to_numpy() & normal))

    seq = np.cumsum(new) - 1
    held = out["held_pos"].to_numpy()
    has_held = held >= 0
    pid = np.where(~is_temp & has_held, seq, -1)
    held_pid = np.where(has_held, pid[np.maximum(held, 0)], -1).astype(np.int64, copy=False)
    out = out.copy(deep=False)  # copy-on-write
    out["new_placement"] = new
    out["placement_id"] = _nullable(pid)
    out["held_placement_id"] = _nullable(held_pid)
    out["placement_start"] = run_starts(out["DECOM"], new, held_pid)
    return out


def _nullable(ids: np.ndarray) -> pd.arrays.IntegerArray:
    """Int64 ids, NA where negative.

    Examples
    --------
    >>> _nullable(np.array([2, -1])).tolist()
    [2, <NA>]
    """
    missing = ids < 0
    values = np.where(missing, 0, ids).astype(np.int64, copy=False)
    return pd.arrays.IntegerArray(values, missing)


def run_starts(decom: pd.Series, new: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """The start (DECOM of the row where ``new``) of the run numbered ``ids`` (runs are
    numbered 0, 1, ... at each ``new`` row, in order), NaT where ``ids`` is negative.

    Examples
    --------
    >>> decom = pd.Series(pd.to_datetime(["2023-01-01", "2023-02-01", "2023-03-01"]))
    >>> starts = run_starts(decom, np.array([True, False, True]), np.array([0, 1, -1]))
    >>> pd.Series(starts).dt.strftime("%d/%m/%Y").tolist()
    ['01/01/2023', '01/03/2023', nan]
    """
    starts = np.append(decom.to_numpy(dtype="datetime64[ns]")[new], np.datetime64("NaT", "ns"))
    return starts[np.where(ids >= 0, ids, len(starts) - 1)]


def placements_table(eps: pd.DataFrame) -> pd.DataFrame:
    """One row per placement: ``placement_id``, CHILD, ``period_id``, ``start``, ``end``.

    ``end`` is the effective DEC of the placement's last non-temporary episode (NaT when
    that episode is open).

    Examples
    --------
    >>> from cppanalytics.care.episodes import clean_episodes
    >>> from cppanalytics.care.periods import add_periods
    >>> raw = pd.DataFrame({"CHILD": ["1"] * 2, "LS": ["C2"] * 2, "RNE": ["S", "P"],
    ...     "DECOM": pd.to_datetime(["2023-01-01", "2023-02-01"]), "PLACE": ["U4", "U4"],
    ...     "DEC": pd.to_datetime(["2023-02-01", None]), "REC": ["X1", None]})
    >>> placements_table(add_placements(add_periods(clean_episodes(raw)[0])[0]))["end"].tolist()
    [Timestamp('2023-02-01 00:00:00'), NaT]
    """
    # the episodes in a placement: only the columns used are taken (not the whole table)
    placed = eps["placement_id"].notna().to_numpy(dtype=bool)
    rows = np.flatnonzero(placed)
    pid = eps["placement_id"].to_numpy(dtype="int64", na_value=-1)[rows]
    first = np.ones(len(rows), dtype=bool)
    last = np.ones(len(rows), dtype=bool)
    if len(rows):
        first[1:] = pid[1:] != pid[:-1]
        last[:-1] = pid[1:] != pid[:-1]

    def column(name: str, at: np.ndarray) -> np.ndarray:
        """``name`` of the placed episodes at ``at`` (a mask over them)."""
        return eps[name].to_numpy()[rows[at]]

    first_rows = rows[first]
    table = pd.DataFrame(
        {
            "placement_id": pid[first],
            "CHILD": text_rows(eps["CHILD"], first_rows),
            "period_id": column("period_id", first),
            "start": column("DECOM", first),
            "end": column("DEC_eff", last),
            "PLACE": text_rows(eps["PLACE"], first_rows),
        },
        copy=False,
    )
    table["start"] = table["start"].astype("datetime64[ns]")
    table["end"] = table["end"].astype("datetime64[ns]")
    return table
