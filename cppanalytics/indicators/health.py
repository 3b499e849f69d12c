"""Health of children looked after for 12 months (OC2): the ``health`` report section.

Cohort
    children continuously looked after for 12 months at the period end D
    (:meth:`cppanalytics.indicators.context.Context.continuously_looked_after_12m`);
    window ``r12`` (the rows carry it). Ages are completed years at D (from the Header DOB,
    else the OC2 row's DOB).
OC2 rows
    those of the collection year containing D (:func:`cppanalytics.dates.collection_year`);
    a row with no ``YEAR`` (in-memory data) is taken to belong to that year. A child with two
    OC2 rows in that year: the last one (file order) is used and a ``oc2_duplicate`` finding
    is written.
Not done
    a cohort child with no OC2 row counts as "not done" for every flag (and has no SDQ
    score); a ``oc2_missing`` warning names the child and the indicators affected.
    When the OC2 table holds no row at all for the collection year (typical in-year, before
    the return is assembled), every health row is written with an empty numerator and
    value, the cohort as denominator and a note, plus one ``oc2_absent`` finding (rather than
    one per child): a 0% would be a false figure.
SDQ
    a valid score is a whole number 0-40; anything else recorded is a ``sdq_invalid``
    finding and is treated as no score. A blank score is no score (``SDQ_REASON`` explains
    it; a blank score without a reason is a ``sdq_reason_missing`` info finding).

Examples
--------
>>> cohort = pd.DataFrame({"CHILD": ["1", "2"], "age": pd.array([3, 12], dtype="Int64")})
>>> oc2 = pd.DataFrame({"CHILD": ["1", "2"], "HEALTH_ASSESSMENT": ["1", "0"],
...                     "SDQ_SCORE": [float("nan"), 15.0]})
>>> m = health_measures(cohort, oc2)
>>> m.loc["health_assessment", ["numerator", "denominator"]].tolist()
[1.0, 2.0]
>>> m.loc["sdq_average", "value"]
np.float64(15.0)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from cppanalytics.dates import (
    age_at,
    as_date,
    collection_year,
    collection_year_label,
    is_year_end,
    window,
)
from cppanalytics.findings import Findings, row_findings
from cppanalytics.indicators.repeats import unreported
from cppanalytics.results import Block, block

if TYPE_CHECKING:  # pragma: no cover
    from cppanalytics.indicators.context import Context

IDS: tuple[str, ...] = (
    "health_assessment",
    "immunisations",
    "dental_check",
    "development_assessment",
    "sdq_completed",
    "sdq_average",
    "sdq_borderline",
    "sdq_concern",
    "convictions",
    "substance_misuse",
)

#: indicator id -> OC2 flag column counted when it equals "1".
FLAG_COLUMNS: dict[str, str] = {
    "health_assessment": "HEALTH_ASSESSMENT",
    "immunisations": "IMMUNISATIONS",
    "dental_check": "TEETH_CHECK",
    "development_assessment": "HEALTH_CHECK",
    "convictions": "CONVICTED",
    "substance_misuse": "SUBSTANCE_MISUSE",
}

#: indicator id -> inclusive age range (completed years at D) of its denominator.
AGE_RANGES: dict[str, tuple[int, int]] = {
    "development_assessment": (0, 4),
    "sdq_completed": (5, 16),
    "sdq_average": (5, 16),
    "sdq_borderline": (5, 16),
    "sdq_concern": (5, 16),
    "convictions": (10, 17),
}

SDQ_BORDERLINE: tuple[int, int] = (14, 16)
SDQ_CONCERN: tuple[int, int] = (17, 40)


def rows_for_collection_year(
    table: pd.DataFrame,
    period_end: str | pd.Timestamp,
    table_name: str,
    findings: Findings | None = None,
    indicators: tuple[str, ...] = (),
) -> pd.DataFrame:
    """Rows of an outcome table (OC2, OC3) for the collection year containing ``period_end``.

    Rows whose ``YEAR`` is missing are taken as that year. One row per ``CHILD`` is kept
    (the last in file order); each row set aside as a duplicate is recorded in ``findings``
    (code ``<table>_duplicate``) with its file and row, and so is a row with no CHILD
    (``<table>_child_blank``).

    Examples
    --------
    >>> t = pd.DataFrame({"CHILD": ["1", "1", "2"], "YEAR": pd.array([2023, 2024, pd.NA],
    ...                   dtype="Int64"), "X": ["a", "b", "c"]})
    >>> rows_for_collection_year(t, "2024-03-31", "oc2")["X"].tolist()
    ['b', 'c']
    """
    year = collection_year(period_end)
    years = table["YEAR"] if "YEAR" in table.columns else pd.Series(pd.NA, index=table.index)
    rows = table.loc[years.isna() | (years == year)]
    dup = rows["CHILD"].duplicated(keep="last") & rows["CHILD"].notna()
    if findings is not None and dup.any():
        dropped = rows.loc[dup]
        findings.extend(
            row_findings(
                dropped,
                severity="warning",
                code=f"{table_name}_duplicate",
                table=table_name,
                column="CHILD",
                value=dropped["CHILD"],
                message=f"child has more than one {table_name.upper()} row for "
                f"{collection_year_label(year)}; this earlier row was not used",
                fix=f"Keep one {table_name.upper()} record per child per year in the "
                "case-management system.",
                action="set_aside",
                indicators=indicators,
            )
        )
    blank = rows["CHILD"].isna()
    if findings is not None and blank.any():
        findings.extend(
            row_findings(
                rows.loc[blank],
                severity="warning",
                code=f"{table_name}_child_blank",
                table=table_name,
                column="CHILD",
                message=f"{table_name.upper()} row has no CHILD id; it cannot be matched to a "
                "child and was not used",
                fix="Fill in the child's id on the row.",
                action="set_aside",
                indicators=indicators,
            )
        )
    return rows.loc[~dup & ~blank].reset_index(drop=True)


def valid_sdq(scores: pd.Series) -> pd.Series:
    """True where an SDQ score is valid: a whole number from 0 to 40.

    Examples
    --------
    >>> valid_sdq(pd.Series([0.0, 40.0, 41.0, 12.5, -1.0, float("nan")])).tolist()
    [True, True, False, False, False, False]
    """
    s = pd.to_numeric(scores, errors="coerce").astype("float64")
    return (s >= 0) & (s <= 40) & (np.floor(s) == s)


def join_oc2(
    cohort: pd.DataFrame, oc2: pd.DataFrame, period_end: str | pd.Timestamp | None = None
) -> pd.DataFrame:
    """Left-join the cohort to its OC2 rows; adds ``has_oc2``, ``age`` (filled) and ``sdq``.

    ``age`` is the cohort's age at D, filled from the OC2 row's DOB when the cohort has
    none and ``period_end`` is given. ``sdq`` is the score where valid, else NaN.

    Examples
    --------
    >>> j = join_oc2(pd.DataFrame({"CHILD": ["1", "2"], "age": pd.array([7, 9], dtype="Int64")}),
    ...              pd.DataFrame({"CHILD": ["1"], "SDQ_SCORE": [41.0]}))
    >>> j["has_oc2"].tolist(), j["sdq"].isna().tolist()
    ([True, False], [True, True])
    """
    right = oc2.rename(columns={"DOB": "OC2_DOB"}).assign(has_oc2=True)
    left = cohort[[c for c in cohort.columns if c == "CHILD" or c not in right.columns]]
    out = left.merge(right, on="CHILD", how="left", validate="one_to_one")
    out["has_oc2"] = out["has_oc2"].fillna(False).astype(bool)
    age = (
        out["age"].astype("Int64")
        if "age" in out.columns
        else pd.Series(pd.NA, index=out.index, dtype="Int64")
    )
    if period_end is not None and "OC2_DOB" in out.columns:
        age = age.fillna(age_at(out["OC2_DOB"], period_end))
    out["age"] = age
    score = out["SDQ_SCORE"] if "SDQ_SCORE" in out.columns else pd.Series(np.nan, index=out.index)
    score = pd.to_numeric(score, errors="coerce").astype("float64")
    out["sdq"] = score.where(valid_sdq(score))
    return out


def _flag(frame: pd.DataFrame, column: str) -> pd.Series:
    """True where an OC2 flag column equals ``"1"`` (missing column or value → False)."""
    if column not in frame.columns:
        return pd.Series(False, index=frame.index)
    return frame[column].astype("string").eq("1").fillna(False).astype(bool)


def _flag_array(frame: pd.DataFrame, column: str) -> np.ndarray:
    """:func:`_flag` as a bool array; a text column (``string`` dtype: text or missing)
    compared as Python objects without a converted copy.

    Examples
    --------
    >>> frame = pd.DataFrame({"X": pd.array(["1", "0", None, "1 "], dtype="string")})
    >>> _flag_array(frame, "X").tolist(), _flag_array(frame, "Y").tolist()
    ([True, False, False, False], [False, False, False, False])
    """
    if column in frame.columns and isinstance(frame[column].dtype, pd.StringDtype):
        text = frame[column].to_numpy(dtype=object, na_value="")  # missing: never "1"
        return np.asarray(text == "1", dtype=bool)
    return _flag(frame, column).to_numpy(dtype=bool)


def _in_age(age: pd.Series, bounds: tuple[int, int]) -> pd.Series:
    """True where ``age`` is known and within ``bounds`` (inclusive)."""
    return age.between(bounds[0], bounds[1]).fillna(False).astype(bool)


def eligible(joined: pd.DataFrame) -> pd.DataFrame:
    """Per-child, per-id: is the child of the age the indicator is about (bool frame)?

    For the SDQ average and bands this is before requiring a score: a child without an
    OC2 row is *affected* by ``sdq_average`` even though not in its denominator.

    Examples
    --------
    >>> e = eligible(pd.DataFrame({"age": pd.array([4, pd.NA], dtype="Int64")}))
    >>> e["development_assessment"].tolist(), e["health_assessment"].tolist()
    ([True, False], [True, True])
    """
    # each age range tested once on the ages as numbers (a missing age is in none)
    age = pd.to_numeric(joined["age"], errors="coerce")
    years = age.to_numpy(dtype="float64", na_value=np.nan)
    ranges: dict[tuple[int, int], np.ndarray] = {}
    for bounds in AGE_RANGES.values():
        if bounds not in ranges:
            with np.errstate(invalid="ignore"):
                ranges[bounds] = (years >= bounds[0]) & (years <= bounds[1])
    everyone = np.ones(len(years), dtype=bool)
    return pd.DataFrame(
        {ind: ranges[AGE_RANGES[ind]] if ind in AGE_RANGES else everyone for ind in IDS},
        index=joined.index,
    )


def membership(joined: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per-child numerator and denominator membership (bool frames, one column per id).

    Examples
    --------
    >>> j = join_oc2(pd.DataFrame({"CHILD": ["1"], "age": pd.array([16], dtype="Int64")}),
    ...              pd.DataFrame({"CHILD": ["1"], "SDQ_SCORE": [14.0], "CONVICTED": ["1"]}))
    >>> num, den = membership(j)
    >>> bool(num.loc[0, "sdq_borderline"]), bool(den.loc[0, "development_assessment"])
    (True, False)
    """
    sdq = joined["sdq"]
    has_score = sdq.notna()
    den: dict[str, pd.Series] = dict(eligible(joined).items())
    num: dict[str, pd.Series] = {}
    for ind, column in FLAG_COLUMNS.items():
        num[ind] = den[ind] & _flag(joined, column)
    num["sdq_completed"] = den["sdq_completed"] & has_score
    den["sdq_average"] = den["sdq_average"] & has_score
    den["sdq_borderline"] = den["sdq_borderline"] & has_score
    den["sdq_concern"] = den["sdq_concern"] & has_score
    num["sdq_average"] = den["sdq_average"]
    num["sdq_borderline"] = den["sdq_borderline"] & sdq.between(*SDQ_BORDERLINE).fillna(False)
    num["sdq_concern"] = den["sdq_concern"] & sdq.between(*SDQ_CONCERN).fillna(False)
    return pd.DataFrame(num)[list(IDS)], pd.DataFrame(den)[list(IDS)]


def health_measures(
    cohort: pd.DataFrame, oc2: pd.DataFrame, period_end: str | pd.Timestamp | None = None
) -> pd.DataFrame:
    """Numerator, denominator and value of every health indicator (index = id).

    ``cohort`` has ``CHILD`` and ``age`` (completed years at D); ``oc2`` is one row per
    child (already restricted to the collection year). Percentages are 0-100;
    ``sdq_average`` has numerator = sum of valid scores, denominator = their count, value
    = the mean.

    Examples
    --------
    >>> c = pd.DataFrame({"CHILD": ["1", "2", "3"], "age": pd.array([8, 8, 8], dtype="Int64")})
    >>> o = pd.DataFrame({"CHILD": ["1", "2"], "SDQ_SCORE": [10.0, 17.0]})
    >>> health_measures(c, o).loc[["sdq_completed", "sdq_average"], "value"].round(2).tolist()
    [66.67, 13.5]
    """
    joined = join_oc2(cohort, oc2, period_end)
    num, den = membership(joined)
    out = pd.DataFrame(
        {"numerator": num.sum().astype("float64"), "denominator": den.sum().astype("float64")}
    )
    out.loc["sdq_average", "numerator"] = float(joined["sdq"].where(den["sdq_average"]).sum())
    return _with_values(out)


def _with_values(out: pd.DataFrame) -> pd.DataFrame:
    """Fill ``value``: a percentage of each measure's denominator, and for
    ``sdq_average`` the mean score (numerator / children with a score); NaN when none.

    Examples
    --------
    >>> frame = pd.DataFrame({"numerator": [2.0, 27.0], "denominator": [3.0, 2.0]},
    ...                      index=["dental", "sdq_average"])
    >>> _with_values(frame)["value"].round(2).tolist()
    [66.67, 13.5]
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        pct = np.where(out["denominator"] > 0, out["numerator"] / out["denominator"] * 100, np.nan)
    out["value"] = pct
    n_avg = out.loc["sdq_average", "denominator"]
    out.loc["sdq_average", "value"] = (
        out.loc["sdq_average", "numerator"] / n_avg if n_avg > 0 else np.nan
    )
    return out


def _oc2_arrays(oc2: pd.DataFrame) -> dict[str, object] | None:
    """The collection year's OC2 rows as arrays for :func:`_measures_from_arrays` (None
    when a column would make :func:`join_oc2` read the cohort differently)."""
    if "age" in oc2.columns or "has_oc2" in oc2.columns or oc2["CHILD"].duplicated().any():
        return None
    score = (
        pd.to_numeric(oc2["SDQ_SCORE"], errors="coerce").astype("float64")
        if "SDQ_SCORE" in oc2.columns
        else pd.Series(np.nan, index=oc2.index)
    )
    return {
        "index": pd.Index(oc2["CHILD"].to_numpy(dtype=object)),
        "flags": {c: _flag_array(oc2, c) for c in FLAG_COLUMNS.values()},
        "sdq": score.where(valid_sdq(score)).to_numpy(dtype="float64"),
        "dob": oc2["DOB"] if "DOB" in oc2.columns else None,
    }


def _measures_from_arrays(
    cohort: pd.DataFrame, arrays: dict, period_end: pd.Timestamp
) -> pd.DataFrame:
    """:func:`health_measures` from :func:`_oc2_arrays` (the same figures, counted on
    arrays instead of a joined frame per period end)."""
    pos = arrays["index"].get_indexer(cohort["CHILD"].to_numpy(dtype=object))
    return _measures_of_rows(pos, _cohort_age(cohort, arrays, pos, period_end), arrays)


def _measures_at(ctx: Context, arrays: dict, period_end: pd.Timestamp) -> pd.DataFrame:
    """:func:`_measures_from_arrays` of ``ctx.continuously_looked_after_12m()`` without
    building that table (:func:`_cohort_at`): each child's OC2 flags and score read
    through its code (:func:`_child_arrays`, once per collection year)."""
    _, child, _, years = _cohort_at(ctx, arrays, period_end)
    _, bits, scores = _child_arrays(ctx, arrays)
    flags = bits[child]
    return _measures_of(
        years,
        {c: (flags >> k & 1).astype(bool) for k, c in enumerate(FLAG_COLUMNS.values())},
        scores[child],
    )


def _cohort_at(
    ctx: Context, arrays: dict, period_end: pd.Timestamp
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The rows of ``ctx.continuously_looked_after_12m()`` found on arrays: the rows of
    ``ctx.cla_at()`` (at the positions of ``ctx.cla_at_positions()``) whose period began on
    or before the ``r12`` start.

    Returns
    -------
    tuple of numpy.ndarray
        those rows' positions among ``ctx.cla_at()``'s, their child codes, their OC2 rows
        (-1: none) and their ages at D as ``cla_at`` ages them (float; NaN: unknown),
        filled from the OC2 row's DOB as :func:`join_oc2` fills them.
    """
    pos = ctx.cla_at_positions()
    start = window("r12", ctx.period_end)[0]
    key = ("health", "period_start")
    if key not in ctx.care.cache:
        ctx.care.cache[key] = ctx.episodes["period_start"].to_numpy(dtype="datetime64[ns]")
    which = np.flatnonzero(ctx.care.cache[key][pos] <= np.datetime64(start, "ns"))  # NaT: no
    rows = pos[which]
    child = ctx.episode_child_codes()[0][rows]
    oc2_pos = _child_arrays(ctx, arrays)[0][child]
    whole, unknown = ctx._ages(rows, period_end)  # noqa: SLF001
    years = whole.astype("float64")
    years[unknown] = np.nan
    if arrays["dob"] is not None:  # a child with no age and an OC2 row: aged from its DOB
        fill = np.flatnonzero(unknown & (oc2_pos >= 0))
        if len(fill):
            dob = arrays["dob"].to_numpy(dtype="datetime64[ns]")[oc2_pos[fill]]
            found = age_at(pd.Series(dob), period_end).to_numpy(dtype="float64", na_value=np.nan)
            known = ~np.isnan(found)
            years[fill[known]] = found[known]
    return which, child, oc2_pos, years


#: the distinct age ranges of :data:`AGE_RANGES` (a child's findings depend on which
#: of them its age is in)
_RANGES: tuple[tuple[int, int], ...] = tuple(sorted(set(AGE_RANGES.values())))


def _unreported_cohort(
    ctx: Context, arrays: dict, period_end: pd.Timestamp, wanted: list[str]
) -> tuple[pd.DataFrame, np.ndarray]:
    """The columns :func:`_joined_from_arrays` reads of the rows of
    ``ctx.continuously_looked_after_12m()`` whose findings have not been written yet in
    this run (:func:`~cppanalytics.indicators.repeats.unreported`), and their OC2 rows
    (-1: none).

    A child's health findings at D depend on the collection year (its OC2 row, the
    message), the ids and which of the age ranges its age at D is in (or none known):
    the same child, year and ranges give the same findings at every period end.
    """
    which, child, oc2_pos, years = _cohort_at(ctx, arrays, period_end)
    ranges = np.isnan(years).astype(np.int64)
    with np.errstate(invalid="ignore"):
        for k, (low, high) in enumerate(_RANGES, start=1):
            ranges |= ((years >= low) & (years <= high)).astype(np.int64) << k
    width = 2 ** (len(_RANGES) + 1)
    name = f"health_{collection_year(period_end)}_{','.join(wanted)}"
    size = len(ctx.episode_child_codes()[1]) * width
    new = unreported(ctx, name, child * width + ranges, size)
    columns = ["CHILD", "age", *_LOCATION_COLUMNS]
    return ctx.cla_at_rows(which[new], columns).reset_index(drop=True), oc2_pos[new]


def _child_arrays(ctx: Context, arrays: dict) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For every child code (:meth:`~cppanalytics.indicators.context.Context.episode_child_codes`)
    of the collection year's OC2 rows (:func:`_oc2_arrays`): its OC2 row (-1: none), its
    flags (bit k: the k-th of :data:`FLAG_COLUMNS`, none without a row) and its valid SDQ
    score (NaN: none), worked out once per collection year."""
    key = "by_child_code"
    if key not in arrays:
        children = ctx.episode_child_codes()[1]
        # (OC2 rows as int32 and the six flags' bits as uint8: half and an eighth of
        # int64 per child)
        row_of = np.full(len(children), -1, dtype=np.int32)
        oc2_codes = ctx.child_codes(arrays["index"].to_numpy(dtype=object))
        row_of[oc2_codes[oc2_codes >= 0]] = np.flatnonzero(oc2_codes >= 0)
        has = np.flatnonzero(row_of >= 0)
        bits = np.zeros(len(children), dtype=np.uint8)
        for k, column in enumerate(FLAG_COLUMNS.values()):
            bits[has] |= arrays["flags"][column][row_of[has]].astype(np.uint8) << k
        scores = np.full(len(children), np.nan)
        scores[has] = arrays["sdq"][row_of[has]]
        arrays[key] = (row_of, bits, scores)
    return arrays[key]


def _measures_of_rows(pos: np.ndarray, age: pd.Series, arrays: dict) -> pd.DataFrame:
    """The measures of a cohort whose children are at OC2 rows ``pos`` (-1: none) and
    aged ``age`` (Int64, OC2 DOB filled in: :func:`_cohort_age`)."""
    has = pos >= 0

    def gather(values: np.ndarray, missing: object) -> np.ndarray:
        """``values`` at each cohort child's OC2 row, ``missing`` for a child with none."""
        out = np.full(len(pos), missing, dtype=values.dtype)
        out[has] = values[pos[has]]
        return out

    return _measures_of(
        age.astype("float64").to_numpy(),
        {c: gather(arrays["flags"][c], False) for c in FLAG_COLUMNS.values()},
        gather(arrays["sdq"], np.nan),
    )


def _measures_of(years: np.ndarray, flags: dict[str, np.ndarray], sdq: np.ndarray) -> pd.DataFrame:
    """The measures of a cohort from each child's age at D (float, NaN: unknown), OC2
    flags (by column; False without a row) and valid SDQ score (NaN: none).

    Examples
    --------
    >>> m = _measures_of(np.array([3.0, 12.0]), {}, np.array([np.nan, 15.0]))
    >>> m.loc["sdq_average", "value"], m.loc["development_assessment", "denominator"]
    (np.float64(15.0), np.float64(1.0))
    """
    n = len(years)
    has_score = ~np.isnan(sdq)
    everyone = np.ones(n, dtype=bool)
    den: dict[str, np.ndarray] = {}
    for ind in IDS:
        bounds = AGE_RANGES.get(ind)
        den[ind] = everyone if bounds is None else (years >= bounds[0]) & (years <= bounds[1])
    num: dict[str, np.ndarray] = {}
    for ind, column in FLAG_COLUMNS.items():
        num[ind] = den[ind] & flags.get(column, np.zeros(n, dtype=bool))
    num["sdq_completed"] = den["sdq_completed"] & has_score
    for ind in ("sdq_average", "sdq_borderline", "sdq_concern"):
        den[ind] = den[ind] & has_score
    num["sdq_average"] = den["sdq_average"]
    num["sdq_borderline"] = (
        den["sdq_borderline"] & (sdq >= SDQ_BORDERLINE[0]) & (sdq <= SDQ_BORDERLINE[1])
    )
    num["sdq_concern"] = den["sdq_concern"] & (sdq >= SDQ_CONCERN[0]) & (sdq <= SDQ_CONCERN[1])
    numerator = np.array([float(np.count_nonzero(num[i])) for i in IDS])
    denominator = np.array([float(np.count_nonzero(den[i])) for i in IDS])
    average = list(IDS).index("sdq_average")
    # the scores summed as pandas sums them (a left-out score as 0, numpy's summation)
    numerator[average] = float(np.where(den["sdq_average"], sdq, 0.0).sum())
    # the frame _with_values fills, built once (no per-cell writes)
    with np.errstate(divide="ignore", invalid="ignore"):
        value = np.where(denominator > 0, numerator / denominator * 100, np.nan)
    n_avg = denominator[average]
    value[average] = numerator[average] / n_avg if n_avg > 0 else np.nan
    return pd.DataFrame(
        {"numerator": numerator, "denominator": denominator, "value": value}, index=list(IDS)
    )


#: the columns :func:`~cppanalytics.findings.row_findings` locates a row's finding by
_LOCATION_COLUMNS: tuple[str, ...] = ("source_file", "source_row")


def _joined_from_arrays(
    cohort: pd.DataFrame,
    oc2: pd.DataFrame,
    arrays: dict,
    period_end: pd.Timestamp,
    pos: np.ndarray | None = None,
) -> pd.DataFrame:
    """The columns of :func:`join_oc2` that :func:`health_findings` reads (CHILD,
    ``has_oc2``, ``age``, SDQ_SCORE, SDQ_REASON and the provenance), found through
    :func:`_oc2_arrays`' index of the OC2 rows instead of a merge: the same values for
    every cohort row, in cohort order. ``pos``: each cohort row's OC2 row (-1: none) when
    already known (:func:`_cohort_at`), else looked up by CHILD.

    Examples
    --------
    >>> oc2 = pd.DataFrame({"CHILD": ["1"], "SDQ_SCORE": [41.0]})
    >>> cohort = pd.DataFrame({"CHILD": ["2", "1"], "age": pd.array([7, 9], dtype="Int64")})
    >>> j = _joined_from_arrays(cohort, oc2, _oc2_arrays(oc2), pd.Timestamp("2024-03-31"))
    >>> j["has_oc2"].tolist(), j["SDQ_SCORE"].tolist()
    ([False, True], [nan, 41.0])
    """
    if pos is None:
        pos = arrays["index"].get_indexer(cohort["CHILD"].to_numpy(dtype=object))
    has = pos >= 0
    out = pd.DataFrame(
        {"CHILD": cohort["CHILD"].to_numpy(), "has_oc2": has}, index=pd.RangeIndex(len(pos))
    )
    out["age"] = _cohort_age(cohort, arrays, pos, period_end).to_numpy()
    for column in ("SDQ_SCORE", "SDQ_REASON", *_LOCATION_COLUMNS):
        if column in oc2.columns:  # the OC2 row's (missing without one), as the merge takes
            out[column] = oc2[column].take(np.maximum(pos, 0)).to_numpy()
            out[column] = out[column].where(has)
        elif column in cohort.columns and column in _LOCATION_COLUMNS:
            out[column] = cohort[column].to_numpy()
    return out


def _cohort_age(
    cohort: pd.DataFrame, arrays: dict, pos: np.ndarray, period_end: pd.Timestamp
) -> pd.Series:
    """The cohort's ``age`` (Int64), filled from the OC2 row's DOB where the cohort has
    none (as :func:`join_oc2` fills it); ``pos``: each cohort child's OC2 row (-1: none)."""
    age = (
        cohort["age"].astype("Int64")
        if "age" in cohort.columns
        else pd.Series(pd.NA, index=cohort.index, dtype="Int64")
    )
    return _filled_age(age, arrays, pos, period_end)


def _filled_age(
    age: pd.Series, arrays: dict, pos: np.ndarray, period_end: pd.Timestamp
) -> pd.Series:
    """``age`` (Int64) with a missing age taken from the OC2 row's DOB (``pos``: each
    child's OC2 row, -1 for none), as :func:`join_oc2` fills it."""
    if arrays["dob"] is not None:
        # only the children with no age and an OC2 row are aged from it (the same fill)
        fill = np.flatnonzero(age.isna().to_numpy(dtype=bool) & (pos >= 0))
        if len(fill):
            dob = arrays["dob"].to_numpy(dtype="datetime64[ns]")[pos[fill]]
            found = age_at(pd.Series(dob), period_end).to_numpy(dtype="float64", na_value=np.nan)
            age = age.copy()
            known = ~np.isnan(found)
            age.iloc[fill[known]] = found[known].astype(np.int64)
    return age


def _child_indicator_list(den: pd.DataFrame, ids: list[str]) -> pd.Series:
    """Comma-separated ids each child is in the denominator of: each child's membership
    as one bit per id, each distinct set of bits written out once.

    Examples
    --------
    >>> den = pd.DataFrame({"a": [True, False, True], "b": [True, False, False]})
    >>> _child_indicator_list(den, ["a", "b"]).tolist()
    ['a,b', '', 'a']
    """
    bits = np.zeros(len(den), dtype=np.int64)
    for k, ind in enumerate(ids):
        bits |= den[ind].to_numpy(dtype=bool).astype(np.int64) << k
    distinct, inverse = np.unique(bits, return_inverse=True)
    labels = [",".join(i for k, i in enumerate(ids) if int(b) >> k & 1) for b in distinct]
    return pd.Series(
        np.asarray(labels, dtype=object)[inverse.reshape(-1)], index=den.index, dtype="object"
    )


def health_findings(joined: pd.DataFrame, ids: list[str], period_end: pd.Timestamp) -> pd.DataFrame:
    """Findings about the cohort's OC2 data (``oc2_missing``, ``sdq_invalid``, ...).

    Examples
    --------
    >>> j = join_oc2(pd.DataFrame({"CHILD": ["1"], "age": pd.array([7], dtype="Int64")}),
    ...              pd.DataFrame({"CHILD": ["2"]}))
    >>> health_findings(j, list(IDS), pd.Timestamp("2024-03-31"))["code"].tolist()
    ['oc2_missing']
    """
    label = collection_year_label(collection_year(period_end))
    affected = _child_indicator_list(eligible(joined), ids)
    parts: list[pd.DataFrame] = []
    missing = ~joined["has_oc2"]
    if missing.any():
        parts.append(
            row_findings(  # there is no OC2 row to point at: the child only
                joined.loc[missing, ["CHILD"]],
                severity="warning",
                code="oc2_missing",
                table="oc2",
                column="CHILD",
                message=f"child looked after for 12 months has no OC2 row for {label}; "
                "counted as not done",
                fix="Record the child's health outcomes (OC2) for the year in the "
                "case-management system.",
                action="loaded",
                indicators=affected[missing],
            )
        )
    raw = pd.to_numeric(
        joined.get("SDQ_SCORE", pd.Series(np.nan, index=joined.index)), errors="coerce"
    ).astype("float64")
    age_in = _in_age(joined["age"], AGE_RANGES["sdq_completed"])
    sdq_ids = ",".join(i for i in ids if i.startswith("sdq_"))
    invalid = raw.notna() & ~valid_sdq(raw)
    if invalid.any():
        parts.append(
            row_findings(
                joined.loc[invalid],
                severity="warning",
                code="sdq_invalid",
                table="oc2",
                column="SDQ_SCORE",
                value=raw[invalid].astype(str),
                message="SDQ_SCORE is not a whole number from 0 to 40; treated as no score",
                fix="Correct the SDQ total difficulties score (0-40) or leave it blank with "
                "SDQ_REASON.",
                action="loaded",
                indicators=sdq_ids,
            )
        )
    no_reason = (
        joined["has_oc2"]
        & age_in
        & raw.isna()
        & joined.get("SDQ_REASON", pd.Series(pd.NA, index=joined.index)).isna()
    )
    if no_reason.any():
        parts.append(
            row_findings(
                joined.loc[no_reason],
                severity="info",
                code="sdq_reason_missing",
                table="oc2",
                column="SDQ_REASON",
                message="child aged 5-16 has neither an SDQ score nor an SDQ_REASON",
                fix="Record the SDQ score, or the reason (SDQ1-SDQ5) it was not completed.",
                action="loaded",
                indicators=sdq_ids,
            )
        )
    age_ids = [i for i in ids if i in AGE_RANGES]
    unknown_age = joined["age"].isna()
    if unknown_age.any() and age_ids:
        parts.append(
            row_findings(
                joined.loc[unknown_age, ["CHILD"]],
                severity="warning",
                code="age_unknown",
                table="header",
                column="DOB",
                message="child's date of birth is missing; left out of the age-limited health "
                "measures",
                fix="Record the child's date of birth.",
                action="loaded",
                indicators=age_ids,
            )
        )
    if not parts:
        return pd.DataFrame()
    return pd.concat(parts, ignore_index=True)


def findings_due(d: pd.Timestamp, oc2_all: pd.DataFrame) -> bool:
    """Whether missing OC2 rows at ``d`` are data-quality findings.

    OC2 records the children continuously looked after at 31 March, so a cohort child
    without a row is a finding at 31 March, and in the extract's current (latest)
    collection year, whose rows are the council's live record. At a past in-year quarter
    children who left before 31 March legitimately have no row: no finding there.

    Examples
    --------
    >>> oc2 = pd.DataFrame({"YEAR": pd.array([2024, 2025], dtype="Int64")})
    >>> [findings_due(pd.Timestamp(d), oc2) for d in ("2023-12-31", "2024-03-31", "2024-12-31")]
    [False, True, True]
    """
    if is_year_end(d):
        return True
    years = oc2_all["YEAR"].dropna() if "YEAR" in oc2_all else pd.Series(dtype="Int64")
    return years.empty or collection_year(d) >= int(years.max())


def compute(ctx: Context, ids: set[str]) -> list[Block]:
    """Result blocks (see :func:`cppanalytics.results.rows_frame`) for the requested health ids (others are ignored).

    Examples
    --------
    See ``tests/indicators/test_health.py`` for worked histories.
    """
    wanted = [i for i in IDS if i in ids]
    if not wanted:
        return []
    d = as_date(ctx.period_end)
    oc2_all = ctx.data.tables["oc2"]
    key = ("oc2_rows", collection_year(d), tuple(wanted))
    if key not in ctx.care.cache:  # once per collection year of a many-quarter run (its
        # findings, the same at every quarter of the year, are written once)
        oc2 = rows_for_collection_year(oc2_all, d, "oc2", ctx.findings, tuple(wanted))
        ctx.care.cache[key] = (oc2, _oc2_arrays(oc2))
    oc2, arrays = ctx.care.cache[key]
    # the cohort's table is built only where it is read: no OC2 arrays, or findings due
    due = not oc2.empty and findings_due(d, oc2_all)
    if arrays is None:
        cohort = ctx.continuously_looked_after_12m()
        measures = health_measures(cohort, oc2, d)
    else:
        measures = _measures_at(ctx, arrays, d)
    note = ""
    if oc2.empty and len(ctx.continuously_looked_after_12m(["CHILD"])):
        label = collection_year_label(collection_year(d))
        note = f"no OC2 data for {label}"
        measures["numerator"] = np.nan
        measures["value"] = np.nan
        ctx.findings.add(
            "warning",
            "oc2_absent",
            table="oc2",
            message=f"the OC2 table has no rows for {label}; health measures not computed",
            fix="Include the OC2 (health outcomes) table for the year in the extract.",
            indicators=wanted,
        )
    elif due:
        if arrays is None:
            joined = join_oc2(cohort, oc2, d)
        else:  # the rows whose findings were written at an earlier end are left out
            cohort, pos = _unreported_cohort(ctx, arrays, d, wanted)
            joined = _joined_from_arrays(cohort, oc2, arrays, d, pos) if len(cohort) else None
        found = health_findings(joined, wanted, d) if joined is not None else pd.DataFrame()
        if len(found):
            ctx.findings.extend(found)
    # read as arrays (a row look-up on the frame per indicator costs more)
    at = {ind: k for k, ind in enumerate(measures.index)}
    num, den, val = (measures[c].to_numpy() for c in ("numerator", "denominator", "value"))
    frames = []
    for ind in wanted:
        unit = "score" if ind == "sdq_average" else "percent"
        k = at[ind]
        frames.append(
            block(
                ind,
                d,
                ctx.window(ind),
                numerator=[num[k]],
                denominator=[den[k]],
                value=[val[k]],
                unit=unit,
                note=note,
            )
        )
    return frames
