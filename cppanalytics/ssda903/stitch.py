"""Stitch several collection years of a 903 table into one, by documented rules.

Every row that does not survive is a finding with ``action="set_aside"``; every value
changed is a finding with ``action="repaired"``. Rules, applied in this order:

1. **Duplicates within a collection year** (same table, same YEAR, same key from
   :data:`cppanalytics.ssda903.schemas.SCHEMAS`): an exact copy of an earlier row is set
   aside (warning ``duplicate_row``); a row with the same key but different values is set
   aside in favour of the first one read (error ``duplicate_key``: the file contradicts
   itself and someone must decide).
2. **Across collection years** (:func:`stitch_years`): for Header, UASC, AD1 and PrevPerm
   the latest year's row per child wins; for Episodes the latest year's row per
   (CHILD, DECOM) wins, so a previous year's open episode is superseded by the next year's
   closed version; Missing, Reviews, PlacedAdoption, SWEpisodes and DoLo likewise by their
   key. Superseded rows are set aside with an info finding ``superseded``. OC2 and OC3
   rows keep their collection year and are all kept.
3. **Overlapping episodes** (:func:`repair_overlaps`), per child, episodes in DECOM order:

   a. an episode that starts inside an episode from a *later* collection year (on or after
      its DECOM and before its DEC, or it is open) is stale: the later return re-recorded
      that time. It is set aside (warning ``episode_superseded_overlap``);
   b. an episode whose DEC is after the next episode's DECOM, or that is open although a
      later episode follows, ends when the next one starts: DEC is set to the next DECOM,
      and a blank REC becomes ``X1`` (warning ``episode_overlap``, repaired);
   c. the child's last episode is open but comes from an earlier collection year than the
      latest one loaded, and the child has no episode in a later year: it is kept open,
      with a warning ``open_episode_not_in_later_year`` (the later return should hold it).

Examples
--------
>>> import pandas as pd
>>> from cppanalytics.ssda903.dataset import coerce_table
>>> eps = coerce_table("episodes", pd.DataFrame({
...     "CHILD": ["1", "1"], "DECOM": ["01/04/2023", "01/06/2023"], "DEC": ["", ""],
...     "REC": ["", ""], "YEAR": [2024, 2024], "source_file": "e.csv", "source_row": [2, 3]}))
>>> fixed, found = repair_overlaps(eps, latest_year=2024)
>>> fixed.loc[0, "DEC"], fixed.loc[0, "REC"], found.code.tolist()
(Timestamp('2023-06-01 00:00:00'), 'X1', ['episode_overlap'])
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from cppanalytics.ssda903.provenance import concat, empty, row_findings
from cppanalytics.ssda903.schemas import SCHEMAS
from cppanalytics.ssda903.years import label, labels


def sort_codes(values: pd.Series) -> np.ndarray:
    """Integer codes that sort and compare as ``values`` do (blanks last, equal to each other).

    Sorting, grouping and joining on these costs a fraction of doing so on text. Text is
    hashed once (no sorting of a million strings); only the distinct values are sorted,
    by pyarrow (UTF-8 byte order is Python's code-point order). Values that are not all
    text, or that pyarrow cannot hold, take pandas' sorted factorisation: same codes.

    Examples
    --------
    >>> sort_codes(pd.Series(["b", None, "a", "b"], dtype="string")).tolist()
    [1, 2, 0, 1]
    """
    if not (pd.api.types.is_string_dtype(values) or values.dtype == object):
        return values.to_numpy()
    python = getattr(values.dtype, "storage", None) == "python" or values.dtype == object
    codes, uniq = pd.factorize(np.asarray(values.array) if python else values)
    ranks = _text_ranks(np.asarray(uniq, dtype=object))
    if ranks is None:
        codes, uniq = pd.factorize(values, sort=True)
        return np.where(codes < 0, len(uniq), codes)
    return np.append(ranks, len(ranks))[codes]


def _text_ranks(uniq: np.ndarray) -> np.ndarray | None:
    """Each distinct text's place in sorted order, or ``None`` when they are not all text.

    Examples
    --------
    >>> _text_ranks(np.array(["b", "é", "a"], dtype=object)).tolist()
    [1, 2, 0]
    >>> _text_ranks(np.array(["b", 1], dtype=object)) is None
    True
    """
    if not len(uniq):
        return np.zeros(0, dtype=np.int64)
    if pd.api.types.infer_dtype(uniq, skipna=False) != "string":
        return None
    try:
        text = pa.array(uniq, type=pa.large_string())
    except (pa.ArrowException, UnicodeError):
        return None  # e.g. a lone surrogate, which UTF-8 cannot hold
    ranks = np.empty(len(uniq), dtype=np.int64)
    ranks[pc.array_sort_indices(text).to_numpy()] = np.arange(len(uniq))
    return ranks


def _key_codes(values: pd.Series) -> np.ndarray:
    """Integer codes of a key column that sort as pandas sorts it (missing last, equal).

    Examples
    --------
    >>> _key_codes(pd.Series(pd.to_datetime(["2024-01-02", None, "2024-01-01"]))).argsort()
    array([2, 0, 1])
    """
    if pd.api.types.is_string_dtype(values) or values.dtype == object:
        return sort_codes(values)
    if values.dtype.kind == "M":
        stamps = values.to_numpy()
        return np.where(np.isnat(stamps), np.iinfo(np.int64).max, stamps.view(np.int64))
    codes, uniq = pd.factorize(values, sort=True)
    return np.where(codes < 0, len(uniq), codes)


def _fmt(dates: pd.Series) -> pd.Series:
    return dates.dt.strftime("%d/%m/%Y").astype("string").fillna("blank")


def dedupe_within_year(
    name: str,
    table: pd.DataFrame,
    *,
    exact: bool = True,
    key: bool = True,
    codes: pd.DataFrame | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Rule 1: set aside repeated rows inside one collection year (first read is kept).

    ``exact`` / ``key`` choose the two halves of the rule (the loader removes exact copies
    before checking values, so a copy is not reported twice, and same-key rows after).
    ``codes`` (from :func:`cppanalytics.ssda903.loader.coerce_coded`, indexed like the
    table's rows) compares integer codes instead of the values themselves: same answer,
    no hashing of text.

    Examples
    --------
    >>> import pandas as pd
    >>> from cppanalytics.ssda903.dataset import coerce_table
    >>> h = coerce_table("header", pd.DataFrame({"CHILD": ["1", "1", "1"],
    ...     "SEX": ["1", "1", "2"], "YEAR": 2024, "source_row": [2, 3, 4],
    ...     "source_file": "h.csv"}))
    >>> kept, found = dedupe_within_year("header", h)
    >>> len(kept), found.code.tolist()
    (1, ['duplicate_row', 'duplicate_key'])
    """
    schema = SCHEMAS[name]
    content = [*schema.columns, "YEAR"]
    none = pd.Series(False, index=table.index)
    compared = table if codes is None else codes.loc[table.index]
    copies = compared.duplicated(subset=content, keep="first") if exact else none
    same_key = (
        compared.duplicated(subset=[*schema.key, "YEAR"], keep="first") & ~copies if key else none
    )
    found = concat(
        [
            row_findings(
                table,
                copies,
                "warning",
                "duplicate_row",
                name,
                column=",".join(schema.key),
                value="",
                message=f"this {name} row repeats an earlier row of the same collection year "
                "exactly; the copy was set aside.",
                fix="Remove the repeated row from the export.",
                action="set_aside",
            ),
            row_findings(
                table,
                same_key,
                "error",
                "duplicate_key",
                name,
                column=",".join(schema.key),
                value="",
                message=(
                    f"another {name} row of the same collection year has the same "
                    f"{' and '.join(schema.key)} but different values; the first one read "
                    "was used and this one set aside."
                ),
                fix="Keep one row per "
                + " + ".join(schema.key)
                + " in the source system and re-export.",
                action="set_aside",
            ),
        ]
    )
    return table.loc[~(copies | same_key)], found


def stitch_years(name: str, table: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Rule 2: keep the latest collection year's row per child / key (OC2, OC3: all rows).

    Examples
    --------
    >>> import pandas as pd
    >>> from cppanalytics.ssda903.dataset import coerce_table
    >>> h = coerce_table("header", pd.DataFrame({"CHILD": ["1", "1"], "SEX": ["1", "2"],
    ...     "YEAR": [2023, 2024], "source_row": [2, 2], "source_file": ["a", "b"]}))
    >>> kept, found = stitch_years("header", h)
    >>> kept.SEX.tolist(), found.action.tolist()
    (['2'], ['set_aside'])
    """
    schema = SCHEMAS[name]
    if schema.stitch == "year" or table.empty:
        return table, empty()
    n = len(table)
    year = table["YEAR"].astype("float64").to_numpy()
    keys = [_key_codes(table[c]) for c in schema.key]
    # latest year first within each key, then the order read
    ranked = np.lexsort([np.arange(n), -np.nan_to_num(year, nan=-1.0), *reversed(keys)])
    older = np.zeros(n, dtype=bool)
    if n > 1:
        older[1:] = np.logical_and.reduce([k[ranked][1:] == k[ranked][:-1] for k in keys])
    if not older.any():
        return table, empty()
    # the winner's year carried to the rows it replaces (as a forward fill does)
    winner_year = pd.Series(np.where(older, np.nan, year[ranked])).ffill().to_numpy()
    what = "row for this child" if schema.stitch == "child" else "row"
    # one message per distinct (year, later year) pair, spread to the rows (often millions)
    old_year, new_year = year[ranked][older], winner_year[older]
    pair = np.nan_to_num(old_year, nan=-1.0) * 100_000 + np.nan_to_num(new_year, nan=-1.0)
    first, pair_codes = np.unique(pair, return_index=True, return_inverse=True)[1:]
    worded = (
        f"this {what} from the "
        + labels(pd.Series(old_year[first]).astype("Int64")).to_numpy()
        + " files is replaced by the one in the "
        + labels(pd.Series(new_year[first]).astype("Int64")).to_numpy()
        + " files."
    )
    shown = [c for c in ("CHILD", "source_file", "source_row") if c in table.columns]
    replaced = table[shown].take(ranked[older])
    found = row_findings(
        replaced,
        pd.Series(True, index=replaced.index),
        "info",
        "superseded",
        name,
        column=",".join(schema.key),
        value="",
        message=pd.Series(worded[pair_codes], index=replaced.index, dtype="string"),
        fix="No action needed: the latest collection year's version is used.",
        action="set_aside",
    )
    index = table.index
    if index.is_monotonic_increasing and index.is_unique:
        drop = np.zeros(n, dtype=bool)
        drop[ranked[older]] = True
        return table[~drop], found
    ranked_rows = table.iloc[ranked]
    return ranked_rows.loc[pd.Series(~older, index=ranked_rows.index)].sort_index(), found


def _stale(eps: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Rule 3a for every year at once: episodes starting inside a later year's kept episode.

    Years are taken from the latest down; an episode of year Y is stale when its DECOM
    falls on or after the DECOM and before the end (or the episode is open) of an episode
    kept from a later year. Each year is one vectorised as-of join (no per-row loop and no
    pass limit), so any number of nested stale episodes is set aside.

    Returns the stale mask and, for stale rows, the later year that covered them.
    """
    far = pd.Timestamp.max.normalize()
    stale = pd.Series(False, index=eps.index)
    later = pd.Series(float("nan"), index=eps.index)
    dated = eps["DECOM"].notna()
    years = sorted(eps.loc[dated, "_y"].unique(), reverse=True)
    if len(years) < 2:
        return stale, later
    kept = dated & (eps["_y"] == years[0])
    child = pd.Series(sort_codes(eps["CHILD"]), index=eps.index)
    for year in years[1:]:
        k = pd.DataFrame(
            {
                "_c": child[kept],
                "DECOM": eps.loc[kept, "DECOM"],
                "_y": eps.loc[kept, "_y"],
                "_end": eps.loc[kept, "DEC"].fillna(far),
            }
        )
        k = k.sort_values(["_c", "DECOM"], kind="stable")
        k["_reach"] = k.groupby("_c", sort=False)["_end"].cummax()
        k = k.sort_values("DECOM", kind="stable")
        this = dated & (eps["_y"] == year)
        c = pd.DataFrame({"_c": child[this], "DECOM": eps.loc[this, "DECOM"]}).assign(
            _row=eps.index[this]
        )
        c = c.sort_values("DECOM", kind="stable")
        m = pd.merge_asof(
            c,
            k[["_c", "DECOM", "_reach", "_y"]],
            on="DECOM",
            by="_c",
            direction="backward",
            allow_exact_matches=True,
        )
        covered = (m["_reach"] > m["DECOM"]).fillna(False).to_numpy(dtype=bool)
        rows = m.loc[covered, "_row"].to_numpy()
        stale.loc[rows] = True
        later.loc[rows] = m.loc[covered, "_y"].to_numpy()
        kept |= this & ~stale
    return stale, later


def repair_overlaps(
    episodes: pd.DataFrame, latest_year: int | None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Rule 3: set aside stale episodes and end overlapping ones (see module docstring)."""
    if episodes.empty:
        return episodes, empty()
    sorter = pd.DataFrame({"_c": sort_codes(episodes["CHILD"]), "DECOM": episodes["DECOM"]})
    sorter = sorter.reset_index(drop=True).sort_values(["_c", "DECOM"], kind="stable")
    eps = episodes.iloc[sorter.index.to_numpy()].copy()
    eps["_y"] = eps["YEAR"].astype("float64").fillna(-1)
    stale, later_year = _stale(eps)
    sub = eps.loc[stale]
    parts: list[pd.DataFrame] = [
        row_findings(
            eps,
            stale,
            "warning",
            "episode_superseded_overlap",
            "episodes",
            column="DECOM",
            value=_fmt(sub["DECOM"]),
            message=(
                "episode starting "
                + _fmt(sub["DECOM"])
                + " ("
                + labels(sub["YEAR"])
                + " files) falls inside an episode from the later "
                + labels(later_year[stale].astype("Int64"))
                + " files, which re-recorded that time; it was set aside."
            ),
            fix="Check the child's episodes in the source system; the later return was used.",
            action="set_aside",
        )
    ]
    eps = eps.loc[~stale]
    same_next = eps["CHILD"].eq(eps["CHILD"].shift(-1))
    next_start = eps["DECOM"].shift(-1)
    over = same_next & (eps["DEC"].isna() | (eps["DEC"] > next_start))
    sub = eps.loc[over]
    parts.append(
        row_findings(
            eps,
            over,
            "warning",
            "episode_overlap",
            "episodes",
            column="DEC",
            value=_fmt(sub["DEC"]),
            message=(
                "episode starting "
                + _fmt(sub["DECOM"])
                + " ends "
                + _fmt(sub["DEC"]).replace("blank", "nowhere (open)")
                + " but the child's next episode starts "
                + _fmt(next_start[over])
                + "; its DEC was set to that date."
            ),
            fix="Correct DEC (and REC) of this episode in the source system.",
            action="repaired",
        )
    )
    eps.loc[over, "DEC"] = next_start[over]
    eps.loc[over & eps["REC"].isna(), "REC"] = "X1"
    if latest_year is not None:
        last = ~same_next
        stale_open = last & eps["DEC"].isna() & (eps["_y"] < latest_year) & (eps["_y"] > 0)
        parts.append(
            row_findings(
                eps,
                stale_open,
                "warning",
                "open_episode_not_in_later_year",
                "episodes",
                column="DEC",
                value="",
                message=(
                    "episode is open at the end of the "
                    + labels(eps.loc[stale_open, "YEAR"])
                    + f" files but the child is not in the {label(latest_year)} files; it was "
                    "kept as still open."
                ),
                fix="Check whether the child left care; the later return should hold the episode.",
                action="loaded",
            )
        )
    eps = eps.drop(columns=["_y"]).sort_index()
    return eps, concat(parts)


__all__ = ["dedupe_within_year", "repair_overlaps", "stitch_years"]
