"""Care leavers (OC3): the ``care_leavers`` report section and its year-end projection.

Cohort (per window, default ``fytd``)
    OC3 rows of the collection year containing D (a row with no ``YEAR`` is taken as that
    year; one row per child, see :func:`cppanalytics.indicators.health.rows_for_collection_year`)
    whose 17th, 18th, 19th, 20th or 21st birthday falls in the window (both ends inclusive;
    a 29 February birthday falls on 1 March in other years). If two of them fall in the
    window (only possible for a 29 February birthday in a 12-month window ending 29
    February) the later one is used. DOB comes from the OC3 row, else the Header; a young
    person with neither is left out with an ``oc3_dob_missing`` finding.
Groups
    ``17_18`` (17th or 18th birthday), ``19_21`` (19th-21st), ``19`` (19th alone, the old
    NI147/NI148 comparison).
Exclusions
    IN_TOUCH ``DIED`` or ``RHOM``: out of every measure (numerator and denominator).
Measures
    ``eet`` ACTIV F1-F5/P1-P5; ``neet`` ACTIV G4-G6; ``in_touch`` IN_TOUCH = YES; all over the
    cohort. ``suitable_accom``: ACCOM ending in 1, over the cohort less ACCOM starting G, H
    or R (abroad, deported, residence not known); a blank or ``0`` ACCOM stays in the
    denominator as not suitable.

Year-end projection (:func:`yearend_projection`)
    For each measure and group: the financial-year-to-date figure (1 April .. D, whatever
    window override is set) and a projected 31 March figure adding the young people whose
    birthday is still to come (D + 1 day .. 31 March). Assumptions, exactly:

    * the still-to-come young people are those whose 17th-21st birthday falls after D and
      on or before 31 March and who are known as care leavers: an OC3 row of the current
      collection year, else (an extract taken at D holds OC3 rows only for birthdays so
      far) their latest OC3 row of an earlier collection year. Young people in no OC3
      table yet (most of those turning 17) are not seen; the note on the table says so;
    * their status at their birthday will be the one recorded now, or last recorded
      (``as recorded``); a blank or ``0`` status counts as not meeting the measure, as it
      would at year end;
    * those recorded now as DIED/RHOM are left out, and for ``suitable_accom`` those recorded
      with ACCOM G/H/R are left out of the projected denominator, as they would be;
    * best and worst cases keep that denominator and assume all / none of the still-to-come
      young people meet the measure's numerator; "best" follows the catalogue polarity (for
      ``neet``, lower is better, so best = none of them NEET).

Examples
--------
>>> oc3 = pd.DataFrame({"CHILD": ["1", "2"], "DOB": pd.to_datetime(["2004-06-01", "2005-06-01"]),
...                     "IN_TOUCH": ["YES", "NO"], "ACTIV": ["F1", "G5"], "ACCOM": ["U1", "S2"]})
>>> c = care_leaver_cohort(oc3, None, "2023-04-01", "2024-03-31")
>>> c["age"].tolist()
[19, 18]
>>> m = care_leaver_measures(c)
>>> m.loc[("eet", "19"), ["numerator", "denominator"]].tolist()
[1.0, 1.0]
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from cppanalytics.dates import (
    as_date,
    birthday,
    collection_year,
    collection_year_label,
    window,
)
from cppanalytics.dates import year_end as dates_year_end
from cppanalytics.findings import Findings, row_findings
from cppanalytics.indicators import catalogue
from cppanalytics.indicators.catalogue import polarity
from cppanalytics.indicators.health import rows_for_collection_year
from cppanalytics.results import Block, block
from cppanalytics.ssda903.coded import factorize_text

if TYPE_CHECKING:  # pragma: no cover
    from cppanalytics.indicators.context import Context

MEASURES: tuple[str, ...] = ("eet", "neet", "suitable_accom", "in_touch")
AGE_GROUPS: dict[str, tuple[int, ...]] = {"17_18": (17, 18), "19_21": (19, 20, 21), "19": (19,)}
#: the catalogue's care-leaver ids (``care_leavers_<measure>_<age group>``)
IDS: tuple[str, ...] = tuple(catalogue.ids("care_leavers"))

EET_CODES: frozenset[str] = frozenset({"F1", "P1", "F2", "P2", "F3", "P3", "F4", "P4", "F5", "P5"})
NEET_CODES: frozenset[str] = frozenset({"G4", "G5", "G6"})
EXCLUDED_IN_TOUCH: frozenset[str] = frozenset({"DIED", "RHOM"})
ACCOM_OUT_OF_SCOPE: tuple[str, ...] = ("G", "H", "R")
BIRTHDAYS: tuple[int, ...] = (17, 18, 19, 20, 21)


def _text(frame: pd.DataFrame, column: str) -> pd.Series:
    """Column as nullable text (all-missing when absent)."""
    if column not in frame.columns:
        return pd.Series(pd.NA, index=frame.index, dtype="string")
    return frame[column].astype("string")


def header_dob(header: pd.DataFrame | None) -> pd.Series | None:
    """The Header's DOB by CHILD (the last row of a repeated CHILD; rows without a CHILD
    left out), for :func:`leaver_dob`; None without a Header DOB.

    Examples
    --------
    >>> hdr = pd.DataFrame({"CHILD": ["2", None, "2"],
    ...                     "DOB": pd.to_datetime(["2006-02-02", "2007-01-01", "2006-03-03"])})
    >>> header_dob(hdr).dt.month.to_dict()
    {'2': 3}
    """
    if header is None or header.empty or "DOB" not in header.columns:
        return None
    rows = header[["CHILD", "DOB"]]  # (only the columns read)
    by_child = rows.dropna(subset=["CHILD"]).drop_duplicates("CHILD", keep="last")
    return by_child.set_index("CHILD")["DOB"]


def _every_row_dated(oc3: pd.DataFrame) -> bool:
    """Whether every OC3 row has its own DOB (then :func:`leaver_dob` needs no Header).

    Examples
    --------
    >>> _every_row_dated(pd.DataFrame({"DOB": pd.to_datetime(["2005-01-01", None])}))
    False
    >>> _every_row_dated(pd.DataFrame({"CHILD": ["1"]}))
    False
    """
    return "DOB" in oc3.columns and not pd.to_datetime(oc3["DOB"]).isna().any()


def leaver_dob(
    oc3: pd.DataFrame, header: pd.DataFrame | None, by_child: pd.Series | None = None
) -> pd.Series:
    """DOB of each OC3 row: the row's own, else the Header's for the same CHILD.

    ``by_child``, when given, is :func:`header_dob` of ``header`` already worked out (a
    run over many collection years makes it once). When every row has its own DOB the
    Header is not read (nor ``by_child`` worked out).

    Examples
    --------
    >>> oc3 = pd.DataFrame({"CHILD": ["1", "2"], "DOB": pd.to_datetime(["2005-01-01", None])})
    >>> hdr = pd.DataFrame({"CHILD": ["2"], "DOB": pd.to_datetime(["2006-02-02"])})
    >>> leaver_dob(oc3, hdr).dt.year.tolist()
    [2005, 2006]
    """
    own = (
        pd.to_datetime(oc3["DOB"])
        if "DOB" in oc3.columns
        else pd.Series(pd.NaT, index=oc3.index, dtype="datetime64[ns]")
    )
    if not own.isna().any():  # every row dated: the Header is not read
        return own
    if by_child is None:
        by_child = header_dob(header)
    if by_child is None:
        return own
    fallback = oc3["CHILD"].map(by_child)
    return own.fillna(pd.to_datetime(fallback))


def birthdays_table(
    oc3: pd.DataFrame, header: pd.DataFrame | None, by_child: pd.Series | None = None
) -> pd.DataFrame:
    """Each OC3 row's DOB (``dob``) and its 17th-21st birthdays (columns 17 … 21).

    They do not depend on the period end, so a run over many quarters computes them once
    per collection year (``by_child``: see :func:`leaver_dob`).

    Examples
    --------
    >>> oc3 = pd.DataFrame({"CHILD": ["1"], "DOB": pd.to_datetime(["2004-02-29"])})
    >>> birthdays_table(oc3, None)[19].dt.strftime("%Y-%m-%d").tolist()
    ['2023-03-01']
    """
    dob = leaver_dob(oc3, header, by_child)
    columns: dict[str | int, pd.Series] = {"dob": dob}
    # each distinct DOB's birthdays once (DOBs repeat a lot), taken back to every row
    codes, distinct = pd.factorize(dob)
    for years in BIRTHDAYS:
        once = birthday(pd.Series(distinct, dtype=dob.dtype), years)
        values = np.append(once.to_numpy(), np.datetime64("NaT"))[codes]  # -1: NaT
        columns[years] = pd.Series(values, index=oc3.index, dtype=once.dtype)
    return pd.DataFrame(columns, index=oc3.index)


def care_leaver_cohort(
    oc3: pd.DataFrame,
    header: pd.DataFrame | None,
    start: str | pd.Timestamp,
    end: str | pd.Timestamp,
    births: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """OC3 rows with a 17th-21st birthday in ``start``..``end`` (inclusive), with flags.

    Returns the rows with added columns ``dob``, ``age`` (age at that birthday),
    ``birthday_in_window``, ``excluded`` (DIED/RHOM), ``eet``, ``neet``, ``in_touch``,
    ``accom_in_scope`` and ``suitable_accom``. Rows without a DOB are not returned.

    Examples
    --------
    >>> oc3 = pd.DataFrame({"CHILD": ["1"], "DOB": pd.to_datetime(["2004-02-29"])})
    >>> care_leaver_cohort(oc3, None, "2023-03-01", "2023-03-31")["age"].tolist()
    [19]
    """
    start, end = as_date(start), as_date(end)
    if births is None:
        births = birthdays_table(oc3, header)
    dob = births["dob"]
    age = pd.Series(pd.NA, index=oc3.index, dtype="Int64")
    when = pd.Series(pd.NaT, index=oc3.index, dtype="datetime64[ns]")
    for years in BIRTHDAYS:  # five vectorised passes, later birthdays win
        b = births[years]
        hit = (b >= start) & (b <= end)
        age = age.mask(hit, years)
        when = when.mask(hit, b)
    keep = age.notna()
    out = oc3.loc[keep].copy()
    out["dob"] = dob[keep]
    out["age"] = age[keep]
    out["birthday_in_window"] = when[keep]
    activ = _text(out, "ACTIV")
    accom = _text(out, "ACCOM")
    touch = _text(out, "IN_TOUCH")
    out["excluded"] = touch.isin(EXCLUDED_IN_TOUCH).fillna(False).astype(bool)
    out["eet"] = activ.isin(EET_CODES).fillna(False).astype(bool)
    out["neet"] = activ.isin(NEET_CODES).fillna(False).astype(bool)
    out["in_touch"] = touch.eq("YES").fillna(False).astype(bool)
    out["accom_in_scope"] = ~accom.str.startswith(ACCOM_OUT_OF_SCOPE).fillna(False).astype(bool)
    out["suitable_accom"] = accom.str.endswith("1").fillna(False).astype(bool)
    return out.reset_index(drop=True)


def _denominator(cohort: pd.DataFrame, measure: str) -> pd.Series:
    """Who is in a measure's denominator (bool per cohort row)."""
    den = ~cohort["excluded"]
    if measure == "suitable_accom":
        den = den & cohort["accom_in_scope"]
    return den


def care_leaver_measures(cohort: pd.DataFrame) -> pd.DataFrame:
    """Numerator, denominator and value (percent) per (measure, age group).

    Examples
    --------
    >>> oc3 = pd.DataFrame({"CHILD": ["1", "2"], "DOB": pd.to_datetime(["2005-05-05"] * 2),
    ...                     "IN_TOUCH": ["YES", "DIED"], "ACCOM": ["G1", "U1"]})
    >>> m = care_leaver_measures(care_leaver_cohort(oc3, None, "2023-04-01", "2024-03-31"))
    >>> m.loc[("suitable_accom", "17_18"), ["numerator", "denominator"]].tolist()
    [0.0, 0.0]
    >>> m.loc[("in_touch", "17_18"), "value"]
    np.float64(100.0)
    """
    rows = []
    for measure in MEASURES:
        den = _denominator(cohort, measure)
        num = den & cohort[measure]
        for group, ages in AGE_GROUPS.items():
            in_group = cohort["age"].isin(ages).fillna(False).astype(bool)
            rows.append(
                (measure, group, float((num & in_group).sum()), float((den & in_group).sum()))
            )
    out = pd.DataFrame(rows, columns=["measure", "age_group", "numerator", "denominator"])
    with np.errstate(divide="ignore", invalid="ignore"):
        out["value"] = np.where(
            out["denominator"] > 0, out["numerator"] / out["denominator"] * 100, np.nan
        )
    return out.set_index(["measure", "age_group"])


def _row_flags(oc3: pd.DataFrame) -> dict[str, np.ndarray]:
    """:func:`care_leaver_cohort`'s flags (``excluded`` and the measures, with
    ``accom_in_scope``) for every OC3 row, as arrays (worked out once per collection year)."""
    activ = _distinct(oc3, "ACTIV")
    accom = _distinct(oc3, "ACCOM")
    touch = _distinct(oc3, "IN_TOUCH")

    def flag(
        column: tuple[np.ndarray, pd.Series], test: Callable[[pd.Series], pd.Series]
    ) -> np.ndarray:
        """``test`` of each row's value (missing: False), worked out once per distinct value."""
        codes, values = column
        return test(values).fillna(False).to_numpy(dtype=bool)[codes]

    return {
        "excluded": flag(touch, lambda v: v.isin(EXCLUDED_IN_TOUCH)),
        "eet": flag(activ, lambda v: v.isin(EET_CODES)),
        "neet": flag(activ, lambda v: v.isin(NEET_CODES)),
        "in_touch": flag(touch, lambda v: v.eq("YES")),
        "accom_in_scope": ~flag(accom, lambda v: v.str.startswith(ACCOM_OUT_OF_SCOPE)),
        "suitable_accom": flag(accom, lambda v: v.str.endswith("1")),
    }


def _distinct(frame: pd.DataFrame, column: str) -> tuple[np.ndarray, pd.Series]:
    """:func:`_text` of a column as codes into its distinct values, a missing value last
    (code -1 takes it): ``values[codes]`` is the column.

    Examples
    --------
    >>> codes, values = _distinct(pd.DataFrame({"A": ["x", None, "x"]}), "A")
    >>> codes.tolist(), values.tolist()
    ([0, -1, 0], ['x', <NA>])
    """
    text = _text(frame, column)
    codes, uniques = factorize_text(text)
    return codes, pd.Series([*uniques, pd.NA], dtype="string")


def _measure_counts(
    flags: dict[str, np.ndarray],
    births: pd.DataFrame,
    start: pd.Timestamp,
    end: pd.Timestamp,
) -> dict[tuple[str, str], tuple[float, float]]:
    """``care_leaver_measures(care_leaver_cohort(...))``'s (numerator, denominator) per
    (measure, age group), counted on arrays (the same figures, without building the
    cohort's frame at every period end)."""
    s, e = np.datetime64(start, "ns"), np.datetime64(end, "ns")
    age = np.zeros(len(births), dtype=np.int64)  # 0: no birthday in the window
    for years in BIRTHDAYS:  # later birthdays win
        b = births[years].to_numpy(dtype="datetime64[ns]")
        age[(b >= s) & (b <= e)] = years
    # each measure's numerator and denominator counted by age (one bincount each), then
    # summed over each group's ages
    size = max(BIRTHDAYS) + 1
    out: dict[tuple[str, str], tuple[float, float]] = {}
    for measure in MEASURES:
        den = ~flags["excluded"]
        if measure == "suitable_accom":
            den = den & flags["accom_in_scope"]
        num = den & flags[measure]
        num_by_age = np.bincount(age[num], minlength=size)
        den_by_age = np.bincount(age[den], minlength=size)
        for group, ages in AGE_GROUPS.items():
            at = list(ages)
            out[(measure, group)] = (float(num_by_age[at].sum()), float(den_by_age[at].sum()))
    return out


def dob_findings(
    oc3: pd.DataFrame,
    header: pd.DataFrame | None,
    findings: Findings,
    indicators: list[str],
    dob: pd.Series | None = None,
) -> None:
    """Record an ``oc3_dob_missing`` finding for OC3 rows with no DOB anywhere (``dob``:
    :func:`leaver_dob` if already worked out)."""
    no_dob = (leaver_dob(oc3, header) if dob is None else dob).isna()
    if not no_dob.any():
        return
    findings.extend(
        row_findings(
            oc3.loc[no_dob],
            severity="warning",
            code="oc3_dob_missing",
            table="oc3",
            column="DOB",
            message="care leaver has no date of birth in OC3 or Header; left out of the "
            "care-leaver measures",
            fix="Record the young person's date of birth.",
            action="set_aside",
            indicators=indicators,
        )
    )


def compute(ctx: Context, ids: set[str]) -> list[Block]:
    """Result blocks (see :func:`cppanalytics.results.rows_frame`) for the requested care-leaver ids (others are ignored).

    Examples
    --------
    See ``tests/indicators/test_care_leavers.py`` for worked cases.
    """
    wanted = [i for i in IDS if i in ids]
    if not wanted:
        return []
    d = as_date(ctx.period_end)
    header = ctx.header
    key = ("oc3_rows", collection_year(d), tuple(wanted))
    if key not in ctx.care.cache:  # once per collection year of a many-quarter run
        oc3 = rows_for_collection_year(
            ctx.data.tables["oc3"], d, "oc3", ctx.findings, tuple(wanted)
        )
        dob_key = ("care_leavers", "header_dob")
        # the same Header for every collection year; read only for rows without a DOB
        if dob_key not in ctx.care.cache and not _every_row_dated(oc3):
            ctx.care.cache[dob_key] = header_dob(header)
        births = birthdays_table(oc3, header, ctx.care.cache.get(dob_key))
        dob_findings(oc3, header, ctx.findings, wanted, dob=births["dob"])
        ctx.care.cache[key] = (oc3, births, _row_flags(oc3))
    oc3, births, flags = ctx.care.cache[key]
    note = ""
    if oc3.empty:
        year_label = collection_year_label(collection_year(d))
        note = f"no OC3 data for {year_label}"
        if ("oc3_absent", collection_year(d)) not in ctx.care.cache:
            ctx.care.cache[("oc3_absent", collection_year(d))] = True
            ctx.findings.add(
                "warning",
                "oc3_absent",
                table="oc3",
                message=f"the OC3 table has no rows for {year_label}; care-leaver measures "
                "not computed",
                fix="Include the OC3 (care leavers) table for the year in the extract.",
                indicators=wanted,
            )
    cache: dict[tuple[pd.Timestamp, pd.Timestamp], dict[tuple[str, str], tuple[float, float]]]
    cache = {}
    frames = []
    for ind in wanted:
        win = ctx.window(ind)
        if win not in cache:
            cache[win] = _measure_counts(flags, births, *win)
        numerator, denominator = cache[win][_split(ind)]
        if note:
            frames.append(
                block(
                    ind,
                    d,
                    win,
                    numerator=[np.nan],
                    denominator=[np.nan],
                    value=[np.nan],
                    unit="percent",
                    note=note,
                )
            )
            continue
        frames.append(
            block(
                ind,
                d,
                win,
                numerator=[numerator],
                denominator=[denominator],
                unit="percent",
            )
        )
    return frames


def _split(indicator_id: str) -> tuple[str, str]:
    """``care_leavers_suitable_accom_19_21`` → (``suitable_accom``, ``19_21``)."""
    rest = indicator_id.removeprefix("care_leavers_")
    for group in sorted(AGE_GROUPS, key=len, reverse=True):
        if rest.endswith("_" + group):
            return rest[: -len(group) - 1], group
    raise KeyError(indicator_id)


#: (measure, age group) → catalogue id
_ID_OF: dict[tuple[str, str], str] = {_split(i): i for i in IDS}


PROJECTION_COLUMNS: list[str] = [
    "indicator_id",
    "measure",
    "age_group",
    "period_end",
    "year_end",
    "ytd_numerator",
    "ytd_denominator",
    "ytd_value",
    "to_come",
    "to_come_meeting",
    "to_come_no_status",
    "projected_numerator",
    "projected_denominator",
    "projected_value",
    "best_value",
    "worst_value",
]


def project_year_end(
    oc3: pd.DataFrame,
    header: pd.DataFrame | None,
    period_end: str | pd.Timestamp,
    earlier: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The year-end projection from plain tables (see the module docstring for the rules).

    Parameters
    ----------
    oc3
        the collection year's OC3 rows (one per young person).
    header
        Header rows (DOB fallback), or ``None``.
    period_end
        D, the quarter end.
    earlier
        each young person's latest OC3 row of an earlier collection year (one per young
        person; rows of young people in ``oc3`` are ignored): the status last recorded
        for those whose birthday is still to come. ``None``: none.

    Returns
    -------
    pandas.DataFrame
        :data:`PROJECTION_COLUMNS`; values are percentages (0-100), unrounded.

    Examples
    --------
    >>> oc3 = pd.DataFrame({"CHILD": ["1", "2"], "DOB": pd.to_datetime(["2004-05-01",
    ...     "2006-02-01"]), "IN_TOUCH": ["YES", "YES"], "ACCOM": ["U1", "U2"]})
    >>> p = project_year_end(oc3, None, "2023-12-31").set_index("indicator_id")
    >>> p.loc["care_leavers_suitable_accom_19",
    ...       ["ytd_value", "to_come", "projected_value"]].tolist()
    [100.0, 0.0, 100.0]
    >>> p.loc["care_leavers_suitable_accom_17_18", ["to_come", "best_value", "worst_value"]
    ...       ].tolist()
    [1.0, 100.0, 0.0]
    """
    d = as_date(period_end)
    fy_start, _ = window("fytd", d)
    year_end = dates_year_end(d)
    ytd = care_leaver_measures(care_leaver_cohort(oc3, header, fy_start, d))
    known = oc3
    if earlier is not None and len(earlier):
        extra = earlier[~earlier["CHILD"].isin(oc3["CHILD"])]
        known = pd.concat([oc3, extra], ignore_index=True)
    later = care_leaver_cohort(known, header, d + pd.Timedelta(days=1), year_end)
    no_status = {
        "eet": ~_text(later, "ACTIV").fillna("0").ne("0"),
        "neet": ~_text(later, "ACTIV").fillna("0").ne("0"),
        "suitable_accom": ~_text(later, "ACCOM").fillna("0").ne("0"),
        "in_touch": _text(later, "IN_TOUCH").isna(),
    }
    rows = []
    for measure in MEASURES:
        den = _denominator(later, measure)
        meets = den & later[measure]
        for group, ages in AGE_GROUPS.items():
            ind = _ID_OF[(measure, group)]
            in_group = later["age"].isin(ages).fillna(False).astype(bool)
            y = ytd.loc[(measure, group)]
            to_come = int((den & in_group).sum())
            meeting = int((meets & in_group).sum())
            proj_den = y["denominator"] + to_come
            all_meet = _pct(y["numerator"] + to_come, proj_den)
            none_meet = _pct(y["numerator"], proj_den)
            up = polarity(ind) != "down"
            rows.append(
                {
                    "indicator_id": ind,
                    "measure": measure,
                    "age_group": group,
                    "period_end": d,
                    "year_end": year_end,
                    "ytd_numerator": y["numerator"],
                    "ytd_denominator": y["denominator"],
                    "ytd_value": y["value"],
                    "to_come": to_come,
                    "to_come_meeting": meeting,
                    "to_come_no_status": int((den & in_group & no_status[measure]).sum()),
                    "projected_numerator": y["numerator"] + meeting,
                    "projected_denominator": proj_den,
                    "projected_value": _pct(y["numerator"] + meeting, proj_den),
                    "best_value": all_meet if up else none_meet,
                    "worst_value": none_meet if up else all_meet,
                }
            )
    return pd.DataFrame(rows, columns=PROJECTION_COLUMNS)


def _pct(numerator: float, denominator: float) -> float:
    """Percentage, NaN for a zero denominator."""
    return float(numerator) / float(denominator) * 100 if denominator > 0 else float("nan")


def yearend_projection(ctx: Context) -> pd.DataFrame:
    """Year-to-date and projected 31 March figures for every care-leaver measure and group.

    One row per indicator id (:data:`PROJECTION_COLUMNS`). The year to date is always
    1 April .. D (``fytd``); see the module docstring for the projection's assumptions.

    Examples
    --------
    See ``tests/indicators/test_care_leavers_projection.py``.
    """
    d = as_date(ctx.period_end)
    table = ctx.data.tables["oc3"]
    oc3 = rows_for_collection_year(table, d, "oc3")
    return project_year_end(oc3, ctx.header, d, latest_earlier_rows(table, d))


def latest_earlier_rows(table: pd.DataFrame, period_end: str | pd.Timestamp) -> pd.DataFrame:
    """Each young person's latest OC3 row from a collection year before the one holding
    ``period_end`` (rows without a ``YEAR`` are the current year's, so not returned).

    Examples
    --------
    >>> t = pd.DataFrame({"CHILD": ["1", "1", "2", "3"], "YEAR": [2022, 2023, 2024, 2023],
    ...                   "ACTIV": ["G5", "F1", "F2", "F3"]})
    >>> latest_earlier_rows(t, "2023-12-31")[["CHILD", "ACTIV"]].values.tolist()
    [['1', 'F1'], ['3', 'F3']]
    """
    if "YEAR" not in table.columns or table.empty:
        return table.iloc[0:0]
    years = pd.to_numeric(table["YEAR"], errors="coerce")
    rows = table.loc[years.lt(collection_year(period_end)).fillna(False).astype(bool)]
    rows = rows.assign(_y=years[rows.index]).sort_values("_y", kind="stable")
    rows = rows[rows["CHILD"].notna()].drop_duplicates("CHILD", keep="last")
    return rows.drop(columns="_y").reset_index(drop=True)
