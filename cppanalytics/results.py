"""The results contract: the tidy table every indicator computation returns.

Columns (:data:`RESULT_COLUMNS`)::

    indicator_id, period_end, window_start, window_end, breakdown, group,
    numerator, denominator, value, unit, note, window

* ``period_end``, ``window_start``, ``window_end``: ``datetime64[ns]``.
* ``breakdown``/``group``: ``""`` for headline rows.
* ``numerator``/``denominator``/``value``: ``float64``; ``denominator`` is NaN for counts;
  ``value`` is unrounded (percent 0–100, rate per 10,000, days, score).
* ``unit``: as the catalogue's (``count``, ``percent``, ``rate_per_10k``, ``days``,
  ``score``, ``ratio``).
* ``note``: ``""`` or a short remark ("population 2022 used; 2023 not available").
* ``window``: the window kind the row carries (``point``, ``fytd``, ``r12``, ``q``,
  ``r24``, ``r36``; ``days:N`` for a window that is none of them), worked out once here
  (:func:`window_kinds`) so no later stage infers it. Where two kinds give the same dates
  (``fytd`` and ``r12`` at 31 March) the indicator's default window is named. Added last,
  so readers of the first eleven columns are unaffected; a file without it (a council's
  local measures) gets it on reading.

Local measures supplied by a council arrive in the same shape (:func:`read_results`).

Examples
--------
>>> r = result_rows("cla_count", "2024-03-31", ("2024-03-31", "2024-03-31"),
...                 numerator=[412], unit="count")
>>> r.loc[0, "value"]
np.float64(412.0)
>>> list(r.columns) == RESULT_COLUMNS
True
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

RESULT_COLUMNS: list[str] = [
    "indicator_id",
    "period_end",
    "window_start",
    "window_end",
    "breakdown",
    "group",
    "numerator",
    "denominator",
    "value",
    "unit",
    "note",
    "window",
]
_DATE_COLS = ("period_end", "window_start", "window_end")
_NUM_COLS = ("numerator", "denominator", "value")


def empty_results() -> pd.DataFrame:
    """An empty results table with the contract's columns and dtypes."""
    return normalise_results(pd.DataFrame(columns=RESULT_COLUMNS))


def normalise_results(frame: pd.DataFrame) -> pd.DataFrame:
    """Coerce a frame to the results contract (column order, dtypes, ``""`` for empty text).

    Columns already of the right dtype are left alone, so normalising a contract frame is
    cheap.

    Examples
    --------
    >>> normalise_results(pd.DataFrame({"indicator_id": ["x"], "period_end": ["2024-03-31"],
    ...     "value": ["3"]})).dtypes["value"]
    dtype('float64')
    """
    out = frame.copy()
    for col in RESULT_COLUMNS:
        if col not in out.columns:
            out[col] = np.nan if col in _NUM_COLS or col in _DATE_COLS else ""
    out = out[RESULT_COLUMNS]
    for col in _DATE_COLS:
        if out[col].dtype != "datetime64[ns]":
            out[col] = pd.to_datetime(out[col]).astype("datetime64[ns]")
    for col in _NUM_COLS:
        if out[col].dtype != "float64":
            out[col] = pd.to_numeric(out[col], errors="coerce").astype("float64")
    for col in ("indicator_id", "breakdown", "group", "unit", "note", "window"):
        if out[col].dtype != "str" or out[col].hasnans:
            out[col] = out[col].astype("str").fillna("")
    missing = out["window"].eq("").to_numpy()
    if missing.any():
        out.loc[missing, "window"] = window_kinds(out[missing]).to_numpy()
    return out.reset_index(drop=True)


def window_kinds(frame: pd.DataFrame) -> pd.Series:
    """The window kind of each row from its dates (the one place it is inferred).

    The kinds whose window ending at ``period_end`` is exactly ``window_start`` ..
    ``window_end``; of several (``fytd`` and ``r12`` at 31 March) the indicator's catalogue
    default, else the first in :data:`cppanalytics.dates.WINDOW_KINDS`. No match:
    ``days:N`` (N days from start to end); no start: ``point``.

    Parameters
    ----------
    frame
        rows with ``indicator_id``, ``period_end``, ``window_start`` and ``window_end``.

    Returns
    -------
    pandas.Series
        the kinds, on ``frame``'s index.

    Examples
    --------
    >>> f = pd.DataFrame({"indicator_id": ["stability_3plus_placements", "cla_started", "x"],
    ...     "period_end": pd.to_datetime(["2026-03-31"] * 3),
    ...     "window_start": pd.to_datetime(["2025-04-01", "2025-04-01", "2026-01-01"]),
    ...     "window_end": pd.to_datetime(["2026-03-31"] * 3)})
    >>> window_kinds(f).tolist()
    ['r12', 'fytd', 'q']
    """
    from cppanalytics.dates import WINDOW_KINDS, window
    from cppanalytics.indicators.catalogue import CATALOGUE

    dates = [frame[c] for c in ("period_end", "window_start", "window_end")]
    if any(d.dtype != "datetime64[ns]" or d.isna().any() for d in dates):
        return _window_kinds_merged(frame)
    # every row dated (as the engine's blocks are): each distinct (catalogue default,
    # period end, start, end) worked out once, in Python, and taken back to its rows
    ids, names = pd.factorize(frame["indicator_id"].to_numpy(dtype=object))
    defaults = [CATALOGUE[i].window if i in CATALOGUE else "" for i in names]
    codes, preferred = pd.factorize(np.array([*defaults, ""], dtype=object))
    columns = [codes[ids], *(d.to_numpy().view("int64") for d in dates)]
    combined = np.zeros(len(frame), dtype=np.int64)
    for values in columns:  # each row's (default, period end, start, end) as one number
        numbered, distinct_values = pd.factorize(values)
        combined = pd.factorize(combined * len(distinct_values) + numbered)[0]  # < len(frame)
    inverse, distinct = pd.factorize(combined)
    first = np.zeros(len(distinct), dtype=np.int64)
    first[inverse[::-1]] = np.arange(len(frame))[::-1]  # each distinct key's first row
    spans: dict[int, list[tuple[int, ...]]] = {}
    kinds: list[str] = []
    for code, pe, start, end in zip(*(v[first].tolist() for v in columns), strict=True):
        if pe not in spans:
            at = pd.Timestamp(np.datetime64(pe, "ns"))
            spans[pe] = [
                tuple(int(np.datetime64(t, "ns").astype("int64")) for t in window(k, at))
                for k in WINDOW_KINDS
            ]
        found = [k for k, s in zip(WINDOW_KINDS, spans[pe], strict=True) if s == (start, end)]
        if preferred[code] in found:
            kinds.append(preferred[code])
        elif found:
            kinds.append(found[0])
        else:
            kinds.append(f"days:{(end - start) // 86_400_000_000_000}")
    return pd.Series(np.array(kinds, dtype=object)[inverse], index=frame.index, dtype=object)


def _window_kinds_merged(frame: pd.DataFrame) -> pd.Series:
    """:func:`window_kinds` by merging the rows with every kind's window at each period end
    (rows with a missing date, or dates of another unit)."""
    from cppanalytics.dates import WINDOW_KINDS, window
    from cppanalytics.indicators.catalogue import CATALOGUE

    key = ["indicator_id", "period_end", "window_start", "window_end"]
    rows = frame[key].astype({"indicator_id": object}).reset_index(drop=True)
    ends = pd.to_datetime(rows["period_end"]).dropna().unique()
    table = pd.DataFrame(
        [
            (pd.Timestamp(pe), k, *window(k, pd.Timestamp(pe)), n)
            for pe in ends
            for n, k in enumerate(WINDOW_KINDS)
        ],
        columns=["period_end", "_kind", "window_start", "window_end", "_order"],
    ).astype(
        {
            "period_end": "datetime64[ns]",
            "window_start": "datetime64[ns]",
            "window_end": "datetime64[ns]",
        }
    )
    probe = rows.astype({c: "datetime64[ns]" for c in key[1:]}).reset_index(names="_row")
    found = probe.merge(table, on=key[1:], how="left")
    default = found["indicator_id"].map({i: ind.window for i, ind in CATALOGUE.items()}).fillna("")
    found["_pref"] = np.where(found["_kind"].eq(default), 0, 1)
    found = found.sort_values(["_row", "_pref", "_order"]).drop_duplicates("_row")
    found = found.set_index("_row").sort_index()
    days = (found["window_end"] - found["window_start"]).dt.days
    fallback = np.where(
        found["window_start"].isna(), "point", "days:" + days.astype("Int64").astype(str)
    )
    kinds = found["_kind"].where(found["_kind"].notna(), pd.Series(fallback, index=found.index))
    return pd.Series(kinds.astype(object).to_numpy(), index=frame.index, dtype=object)


_MULT = {"percent": 100.0, "rate_per_10k": 10_000.0}


@dataclass
class Block:
    """One indicator's rows (one per group) before they become a DataFrame.

    Build with :func:`block`; turn many into one frame with :func:`rows_frame` (cheap:
    one DataFrame for a whole catalogue instead of one per indicator).
    """

    indicator_id: str
    period_end: pd.Timestamp
    window: tuple[pd.Timestamp, pd.Timestamp]
    numerator: np.ndarray
    denominator: np.ndarray
    value: np.ndarray
    unit: str
    breakdown: str
    groups: list[str]
    note: str


def block(
    indicator_id: str,
    period_end: str | pd.Timestamp,
    window: tuple[str | pd.Timestamp, str | pd.Timestamp],
    *,
    numerator: Sequence[float] | np.ndarray | pd.Series,
    denominator: Sequence[float] | np.ndarray | pd.Series | None = None,
    value: Sequence[float] | np.ndarray | pd.Series | None = None,
    unit: str,
    breakdown: str = "",
    groups: Sequence[str] | None = None,
    note: str = "",
    scale: float | None = None,
) -> Block:
    """Rows for one indicator (one per group, or one headline row) as a :class:`Block`.

    ``value`` defaults to ``numerator`` for counts, ``numerator / denominator * 100`` for
    percent, ``* 10_000`` for rate_per_10k and the plain ratio otherwise (``scale``
    overrides the multiplier). A zero or missing denominator gives NaN, never an error.

    Examples
    --------
    >>> block("x", "2024-03-31", ("2024-03-31", "2024-03-31"), numerator=[1],
    ...       denominator=[0], unit="percent").value.tolist()
    [nan]
    """
    num = np.asarray(numerator, dtype="float64")
    if denominator is None:
        den = np.full(num.shape, np.nan)
    else:
        den = np.asarray(denominator, dtype="float64")
        if den.shape != num.shape:
            den = np.broadcast_to(den, num.shape)
    if value is not None:
        val = np.asarray(value, dtype="float64")
    elif unit == "count":
        val = num
    else:
        mult = scale if scale is not None else _MULT.get(unit, 1.0)
        # num / den * mult where den > 0, else NaN (nothing divided by zero: no warning)
        val = np.full(num.shape, np.nan)
        positive = den > 0
        np.divide(num, den, out=val, where=positive)
        np.multiply(val, mult, out=val, where=positive)
    groups_list = list(groups) if groups is not None else [""] * len(num)
    return Block(
        indicator_id,
        pd.Timestamp(period_end),
        (pd.Timestamp(window[0]), pd.Timestamp(window[1])),
        num,
        den,
        val,
        unit,
        breakdown,
        groups_list,
        note,
    )


def rows_frame(blocks: Sequence[Block]) -> pd.DataFrame:
    """One results-contract DataFrame from blocks (an empty contract frame for none).

    Examples
    --------
    >>> rows_frame([]).shape[0]
    0
    """
    if not blocks:
        return empty_results()
    sizes = [len(b.numerator) for b in blocks]

    def rep(values: list) -> np.ndarray:
        return np.repeat(np.array(values, dtype=object), sizes)

    def dates(values: list[pd.Timestamp]) -> np.ndarray:
        return np.repeat(
            np.array([v.to_datetime64() for v in values], dtype="datetime64[ns]"), sizes
        )

    frame = pd.DataFrame(
        {
            "indicator_id": rep([b.indicator_id for b in blocks]),
            "period_end": dates([b.period_end for b in blocks]),
            "window_start": dates([b.window[0] for b in blocks]),
            "window_end": dates([b.window[1] for b in blocks]),
            "breakdown": rep([b.breakdown for b in blocks]),
            "group": np.concatenate([np.asarray(b.groups, dtype=object) for b in blocks]),
            "numerator": np.concatenate([b.numerator for b in blocks]),
            "denominator": np.concatenate([b.denominator for b in blocks]),
            "value": np.concatenate([b.value for b in blocks]),
            "unit": rep([b.unit for b in blocks]),
            "note": rep([b.note for b in blocks]),
        },
        columns=RESULT_COLUMNS,
    )
    return normalise_results(frame)


def result_rows(
    indicator_id: str,
    period_end: str | pd.Timestamp,
    window: tuple[str | pd.Timestamp, str | pd.Timestamp],
    **kwargs,
) -> pd.DataFrame:
    """Result rows for one indicator as a DataFrame: ``rows_frame([block(...)])``.

    Takes :func:`block`'s arguments. For many indicators, collect blocks and call
    :func:`rows_frame` once instead.

    Examples
    --------
    >>> result_rows("x", "2024-03-31", ("2023-04-01", "2024-03-31"), numerator=[1, 3],
    ...             denominator=[4, 4], unit="percent", breakdown="sex",
    ...             groups=["male", "female"])["value"].tolist()
    [25.0, 75.0]
    """
    return rows_frame([block(indicator_id, period_end, window, **kwargs)])


def read_results(path: str | Path) -> pd.DataFrame:
    """Read a results CSV (ours, or a council's local measures) into the contract.

    Raises a ``ValueError`` naming the file and the missing columns when the file lacks
    ``indicator_id``, ``period_end`` or ``value``.
    """
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.columns = [c.strip().lower() for c in frame.columns]
    missing = [c for c in ("indicator_id", "period_end", "value") if c not in frame.columns]
    if missing:
        raise ValueError(
            f"{path}: results file lacks column(s) {', '.join(missing)}; it needs at least "
            f"indicator_id, period_end and value (see the results contract in the README)."
        )
    frame = frame.replace({"": np.nan})
    if "window_start" not in frame.columns:
        frame["window_start"] = frame["period_end"]
    if "window_end" not in frame.columns:
        frame["window_end"] = frame["period_end"]
    return normalise_results(frame)


def write_results(results: pd.DataFrame, path: str | Path) -> Path:
    """Write results as CSV with ISO dates and full precision; returns the path.

    Written atomically with spreadsheet-safe text (:func:`cppanalytics.writing.write_csv`).
    A leading ``la_code`` column (results of several councils) is kept as the first column.
    """
    from cppanalytics.writing import write_csv

    out = normalise_results(results)
    if "la_code" in results.columns:
        out.insert(0, "la_code", results["la_code"].astype("str").to_numpy())
    for col in _DATE_COLS:
        out[col] = out[col].dt.strftime("%Y-%m-%d")
    return write_csv(out, path, what="results CSV")
