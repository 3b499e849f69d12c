"""Cohorts of episodes: looked after at a date, during a window, latest row per child.

These work on prepared episodes (:func:`cppanalytics.care.prepared.prepare_care`), where a
child's episodes never overlap (``DEC_eff``), so at most one episode per child is current.

* **Looked after at D**: DECOM ≤ D and (DEC blank or DEC > D). A child leaving care on D
  is not looked after at D.
* **Looked after during a window**: DECOM ≤ window end and (DEC blank or DEC ≥ window
  start); the child's latest such episode is returned.

Examples
--------
>>> eps = pd.DataFrame({"CHILD": ["1", "2"], "DECOM": pd.to_datetime(["2023-01-01"] * 2),
...     "DEC_eff": pd.to_datetime(["2024-03-31", None])})
>>> looked_after_at(eps, "2024-03-31")["CHILD"].tolist()
['2']
>>> looked_after_during(eps, "2024-03-31", "2024-06-30")["CHILD"].tolist()
['1', '2']
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cppanalytics.dates import as_date
from cppanalytics.ssda903.coded import na_objects, python_text_objects


def looked_after_at(eps: pd.DataFrame, d: str | pd.Timestamp) -> pd.DataFrame:
    """Episodes current at ``d`` (one per child; the later DECOM wins if two overlap).

    Examples
    --------
    >>> eps = pd.DataFrame({"CHILD": ["1"], "DECOM": pd.to_datetime(["2024-03-31"]),
    ...     "DEC_eff": pd.to_datetime([None])})
    >>> len(looked_after_at(eps, "2024-03-31"))
    1
    """
    d = as_date(d)
    dec = eps["DEC_eff"]
    mask = (eps["DECOM"] <= d) & (dec.isna() | (dec > d))
    rows = eps[mask]
    return rows.drop_duplicates("CHILD", keep="last")


def looked_after_during(
    eps: pd.DataFrame, start: str | pd.Timestamp, end: str | pd.Timestamp
) -> pd.DataFrame:
    """Each child's latest episode overlapping the window ``start``..``end`` (inclusive).

    Examples
    --------
    >>> eps = pd.DataFrame({"CHILD": ["1", "1"], "DECOM": pd.to_datetime(["2023-01-01",
    ...     "2023-06-01"]), "DEC_eff": pd.to_datetime(["2023-06-01", None])})
    >>> looked_after_during(eps, "2023-01-01", "2023-12-31")["DECOM"].dt.month.tolist()
    [6]
    """
    start, end = as_date(start), as_date(end)
    dec = eps["DEC_eff"]
    mask = (eps["DECOM"] <= end) & (dec.isna() | (dec >= start))
    return eps[mask].drop_duplicates("CHILD", keep="last")


def episode_spans(eps: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """DECOM and DEC_eff of prepared episodes as int64 nanoseconds, an open episode's end
    (NaT) as the largest int64, for comparing with a date's ``value``.

    Examples
    --------
    >>> eps = pd.DataFrame({"DECOM": pd.to_datetime(["1970-01-02"]),
    ...     "DEC_eff": pd.to_datetime([None])})
    >>> [a.tolist() for a in episode_spans(eps)]
    [[86400000000000], [9223372036854775807]]
    """
    start = eps["DECOM"].to_numpy(dtype="datetime64[ns]").view("int64")
    end = eps["DEC_eff"].to_numpy(dtype="datetime64[ns]")
    return start, np.where(np.isnat(end), np.iinfo(np.int64).max, end.view("int64"))


def child_runs(children: pd.Series | np.ndarray) -> np.ndarray:
    """Number the runs of equal adjacent CHILD values 0, 1, 2, ... (rows sorted by CHILD,
    as prepared episodes, periods and exits are: one number per child).

    Examples
    --------
    >>> child_runs(pd.Series(["a", "a", "b", "c", "c"])).tolist()
    [0, 0, 1, 2, 2]
    """
    child = np.asarray(children, dtype=object)
    new = np.ones(len(child), dtype=bool)
    if len(child):
        new[1:] = child[1:] != child[:-1]
    return np.cumsum(new) - 1


def first_per_child(positions: np.ndarray, child_codes: np.ndarray) -> np.ndarray:
    """Of ascending ``positions``, the first of each child, as ``drop_duplicates("CHILD",
    keep="first")`` keeps them (see :func:`last_per_child`).

    Examples
    --------
    >>> first_per_child(np.array([0, 1, 3, 4]), np.array([0, 0, 1, 1, 2])).tolist()
    [0, 3, 4]
    """
    keep = np.ones(len(positions), dtype=bool)
    if len(positions):
        codes = child_codes[positions]
        keep[1:] = codes[1:] != codes[:-1]
    return positions[keep]


def last_per_child(positions: np.ndarray, child_codes: np.ndarray) -> np.ndarray:
    """Of ascending episode ``positions``, the last of each child (``child_codes``: one
    integer per episode, a child's episodes adjacent), as ``drop_duplicates("CHILD",
    keep="last")`` keeps them.

    Examples
    --------
    >>> last_per_child(np.array([0, 1, 3, 4]), np.array([0, 0, 1, 1, 2])).tolist()
    [1, 3, 4]
    """
    keep = np.ones(len(positions), dtype=bool)
    if len(positions):
        codes = child_codes[positions]
        keep[:-1] = codes[1:] != codes[:-1]
    return positions[keep]


def looked_after_at_positions(
    spans: tuple[np.ndarray, np.ndarray], child_codes: np.ndarray, d: pd.Timestamp
) -> np.ndarray:
    """Positions of the rows :func:`looked_after_at` returns, from :func:`episode_spans`
    of episodes sorted by child (``child_codes``, a child's episodes adjacent).

    Examples
    --------
    >>> eps = pd.DataFrame({"CHILD": ["1", "2"], "DECOM": pd.to_datetime(["2023-01-01"] * 2),
    ...     "DEC_eff": pd.to_datetime(["2024-03-31", None])})
    >>> spans = episode_spans(eps)
    >>> looked_after_at_positions(spans, np.array([0, 1]), pd.Timestamp("2024-03-31")).tolist()
    [1]
    """
    start, end = spans
    d_ns = as_date(d).value
    return last_per_child(np.flatnonzero((start <= d_ns) & (end > d_ns)), child_codes)


def looked_after_during_positions(
    spans: tuple[np.ndarray, np.ndarray],
    child_codes: np.ndarray,
    start: pd.Timestamp,
    end: pd.Timestamp,
) -> np.ndarray:
    """Positions of the rows :func:`looked_after_during` returns (as
    :func:`looked_after_at_positions`).

    Examples
    --------
    >>> eps = pd.DataFrame({"CHILD": ["1", "1"], "DECOM": pd.to_datetime(["2023-01-01",
    ...     "2023-06-01"]), "DEC_eff": pd.to_datetime(["2023-06-01", None])})
    >>> looked_after_during_positions(episode_spans(eps), np.array([0, 0]),
    ...     pd.Timestamp("2023-01-01"), pd.Timestamp("2023-12-31")).tolist()
    [1]
    """
    first, last = spans
    s_ns, e_ns = as_date(start).value, as_date(end).value
    return last_per_child(np.flatnonzero((first <= e_ns) & (last >= s_ns)), child_codes)


def latest_rows(
    table: pd.DataFrame,
    key: str = "CHILD",
    codes: np.ndarray | None = None,
    *,
    positions: np.ndarray | None = None,
) -> pd.DataFrame:
    """One row per ``key``: the row of the latest collection year (then the last row).

    Parameters
    ----------
    table
        a 903 table.
    key
        the key column (rows with no key are dropped).
    codes
        each row's key as an integer, equal exactly when the keys are, -1 for no key (the
        loader's codes), if at hand: then the key texts are not read.
    positions
        the rows' positions (:func:`latest_row_positions`), if already worked out.

    Examples
    --------
    >>> t = pd.DataFrame({"CHILD": ["1", "1"], "SEX": ["1", "2"], "YEAR": [2023, 2024]})
    >>> latest_rows(t)["SEX"].tolist()
    ['2']
    >>> latest_rows(t, codes=np.array([5, 5]))["SEX"].tolist()
    ['2']
    """
    if table.empty:
        return table.copy()
    rows = latest_row_positions(table, key, codes) if positions is None else positions
    return table.take(rows).reset_index(drop=True)


def latest_row_positions(
    table: pd.DataFrame, key: str = "CHILD", codes: np.ndarray | None = None
) -> np.ndarray:
    """The positions of the rows :func:`latest_rows` keeps, in its order.

    Examples
    --------
    >>> t = pd.DataFrame({"CHILD": ["1", "2", "1"], "YEAR": [2024, 2024, 2023]})
    >>> latest_row_positions(t).tolist(), latest_row_positions(t, codes=np.array([0, 1, 0])).tolist()
    ([0, 1], [0, 1])
    """
    order = year_order(table)
    if codes is None:
        return order[last_present(table[key], order)]
    taken = np.asarray(codes, dtype=np.int64)
    if taken.shape != (len(table),):
        raise ValueError("codes: one integer per row")
    return latest_positions(taken, order)


def latest_positions(codes: np.ndarray, order: np.ndarray) -> np.ndarray:
    """The positions (read in ``order``) that are the last of their code, codes below 0
    left out: each child's latest row when ``codes`` are the rows' children and ``order``
    is :func:`year_order` (:func:`latest_rows` on codes).

    Examples
    --------
    >>> latest_positions(np.array([4, -1, 4, 2]), np.array([2, 0, 1, 3])).tolist()
    [0, 3]
    """
    taken = codes[order]
    last = ~pd.Series(taken, copy=False).duplicated(keep="last").to_numpy(dtype=bool)
    return order[last & (taken >= 0)]


def position_type(n: int) -> type[np.signedinteger]:
    """The integer type numbers from -1 up to ``n`` (row positions, counts) are held in:
    int32 when they fit (half the memory of int64), else int64.

    Examples
    --------
    >>> position_type(10).__name__, position_type(2**31).__name__
    ('int32', 'int64')
    """
    return np.int32 if n <= np.iinfo(np.int32).max else np.int64


def year_order(table: pd.DataFrame) -> np.ndarray:
    """The positions of ``table``'s rows by collection year (a missing year first), then
    position: the order :func:`latest_rows` reads the rows in.

    Examples
    --------
    >>> year_order(pd.DataFrame({"YEAR": [2024, None, 2023, 2024]})).tolist()
    [1, 2, 0, 3]
    """
    order = np.arange(len(table))
    if "YEAR" in table:
        year = pd.to_numeric(table["YEAR"], errors="coerce").fillna(-1).to_numpy()
        if len(year) > 1 and (year[1:] < year[:-1]).any():  # (already in year order: kept)
            order = np.argsort(year, kind="stable")
    return order


def last_present(keys: pd.Series, order: np.ndarray) -> np.ndarray:
    """For the keys taken in ``order``, which are present (not NA) and not repeated later:
    ``~k.duplicated(keep="last") & k.notna()`` for ``k = keys.take(order)``.

    Text held as Python strings with ``pd.NA`` for missing (``string[python]``) is tested
    on its object array: missing values are the ``pd.NA`` object itself (found by address,
    no value inspected) and repeats are hashed once, not after a scan for missing values.

    Parameters
    ----------
    keys
        the key column, in table order.
    order
        the positions to take, in the order the keys are read.

    Returns
    -------
    numpy.ndarray
        bool, one per position of ``order``.

    Examples
    --------
    >>> keys = pd.Series(["b", None, "a", "b"], dtype="string")
    >>> last_present(keys, np.array([0, 1, 2, 3])).tolist()
    [False, False, True, True]
    """
    objects = python_text_objects(keys)
    if objects is not None:
        taken = objects.take(order)  # str or the pd.NA object, nothing else
        repeated = pd.Series(taken, dtype=object, copy=False).duplicated(keep="last")
        return ~repeated.to_numpy(dtype=bool) & ~na_objects(taken)
    taken = keys.take(order)
    return ~taken.duplicated(keep="last").to_numpy(dtype=bool) & taken.notna().to_numpy(dtype=bool)
