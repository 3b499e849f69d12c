"""The tidy comparator table: DfE's published figures for England, regions and councils.

Columns (:data:`~cppanalytics.judgement.dfe_files.TIDY_COLUMNS`)::

    indicator_id, year (31 March year, int), geography_level (england/region/la),
    la_code_old, la_code_new, la_name, region_code, region_name,
    value, numerator, denominator, source, release

One row per (indicator, year, geography). ``value`` is NaN where DfE suppressed the figure.
``source`` names the file (``ees:<file>`` or ``lait:<file>``) and ``release`` the latest
31 March year in that file.

Shipped table
-------------
``cppanalytics/data/comparators/comparators.csv.gz`` was built by this module from the
2025 releases (EES "Children looked after in England including adoptions" 2025, care
leavers, outcomes, KS2/KS4 of children in need/looked after, LAIT May 2025) — see
``PROVENANCE.md`` beside it. To refresh from a newer release, download the same files
from explore-education-statistics and LAIT into a folder and run::

    cppanalytics comparators build --from DIR \\
        --out cppanalytics/data/comparators/comparators.csv.gz --since 2019

which also rewrites ``councils.csv`` and ``neighbours.csv`` when ``--data-dir`` points at
the package data folder (the default for that path).

Local measures (comparators that are not 903 indicators; their records, with title, unit
and polarity, are the catalogue's
:data:`~cppanalytics.indicators.catalogue.COMPARATOR_ONLY`): the key stage 2 and 4 results, absence, suspensions, SEN and
school moves of children looked after 12 months (:data:`EDUCATION_COMPARATORS`, from the
KS2/KS4 files and LAIT), UASC counts, starters and leavers per 10,000 (EES and LAIT).
A council's own figure for one of them (a virtual school's attendance, say) supplied as a
local measure with the same id is judged against DfE's figures like a computed one.

Breakdowns DfE publishes for England only (placement distance and locality, UASC by age,
previous permanence of starters, reasons for placement change) are stored under
:func:`breakdown_id` ids (``"<indicator>.<group>"``). Percentages DfE publishes as two
counts in different files are derived (:data:`DERIVED`). Headline indicators with no DfE
figure are listed, with the reason, in :data:`NO_DFE_FIGURE`.

Examples
--------
>>> table = load_comparators()
>>> sorted(table.geography_level.unique())
['england', 'la', 'region']
>>> polarity("ks4_attainment8"), polarity("stability_3plus_placements")
('up', 'down')
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from cppanalytics.errors import CppError
from cppanalytics.geography.councils import build_councils, new_code_for, region_for
from cppanalytics.indicators import catalogue
from cppanalytics.judgement.dfe_files import (
    TIDY_COLUMNS,
    ees_rows,
    find_sources,
    lait_rows,
)

#: local comparator measures: id → (title, unit, polarity), read from the catalogue's
#: comparator-only records (:data:`cppanalytics.indicators.catalogue.COMPARATOR_ONLY`)
LOCAL_MEASURES: dict[str, tuple[str, str, str]] = {
    i: (ind.title, ind.unit, ind.polarity) for i, ind in catalogue.COMPARATOR_ONLY.items()
}
#: comparator ids a virtual school can use for its in-year local measures (PEPs have none)
EDUCATION_COMPARATORS: tuple[str, ...] = (
    "ks2_rwm_expected",
    "ks2_reading_expected",
    "ks2_writing_expected",
    "ks2_maths_expected",
    "ks4_attainment8",
    "ks4_english_maths_9_4",
    "ks4_progress8",
    "cla_overall_absence",
    "cla_unauthorised_absence",
    "cla_persistent_absence",
    "cla_suspended",
    "cla_sen_support",
    "cla_ehcp",
    "cla_school_move_midyear",
)


def polarity(indicator_id: str) -> str:
    """``up``/``down``/``neither`` for a catalogue id or a local comparator measure.

    Examples
    --------
    >>> polarity("health_assessment"), polarity("some_local_id")
    ('up', 'neither')
    """
    return catalogue.polarity(indicator_id)


_CL19 = (
    "DfE publishes care leavers aged 17-18 and 19-21 (activity and accommodation "
    "files, LAIT); it has published no figure for those aged 19 alone since 2020"
)
_ADOPT = (
    "DfE publishes England's average time between adoption stages for one year's "
    "adoptions in whole months (adoption stages file); the 3-year average in days "
    "(the adoption scorecard's {}) is in none of DfE's current files"
)
#: headline indicators with no DfE comparator: id → why (shown in the definitions table).
#: ``tests/judgement/test_no_dfe_figure.py`` checks the reference files carry none of them.
NO_DFE_FIGURE: dict[str, str] = {
    "stability_long_term_yearend_max": (
        "an in-year projection to the coming 31 March; DfE publishes only the outcome "
        "(long-term stability)"
    ),
    "care_leavers_eet_19": _CL19,
    "care_leavers_neet_19": _CL19,
    "care_leavers_suitable_accom_19": _CL19,
    "care_leavers_in_touch_19": _CL19,
    "adoption_a1_days": _ADOPT.format("A1"),
    "adoption_a10_days": _ADOPT.format("A10"),
    "adoption_a2_days": _ADOPT.format("A2"),
    **{
        i: ("DfE stopped collecting review timeliness; no DfE file publishes reviews held on time")
        for i in ("reviews_on_time", "reviews_held_on_time")
    },
    "review_participation_pct": (
        "DfE publishes no figure for children's participation in their reviews"
    ),
    "foster_in_house_pct": (
        "DfE's files here publish placement type and locality, not the "
        "placement provider (in-house or agency)"
    ),
}


def comparator_note(indicator_id: str) -> str:
    """Why an indicator shows no England/region/neighbour figure (``""`` when DfE has one).

    Examples
    --------
    >>> comparator_note("cla_count")
    ''
    >>> comparator_note("adoption_a1_days").startswith("DfE publishes England's")
    True
    """
    return NO_DFE_FIGURE.get(indicator_id, "")


def published_ids() -> list[str]:
    """The ids the report shows by year from the comparator table: the education measures
    and every group of the breakdowns DfE publishes for England only.

    Examples
    --------
    >>> "cla_by_distance_locality.over_20_outside" in published_ids()
    True
    """
    groups = [
        breakdown_id(i, g)
        for i in (
            "started_by_prev_perm",
            "placement_change_reason",
            "uasc_by_age",
            "uasc_by_placement",
            "cla_by_distance_locality",
        )
        for g in catalogue.BREAKDOWN_GROUPS[catalogue.get(i).breakdown]
    ]
    return [*EDUCATION_COMPARATORS, *groups]


def breakdown_id(indicator_id: str, group: str) -> str:
    """The comparator-table id of one breakdown group (DfE publishes some breakdowns for
    England only): ``"<indicator>.<group>"``.

    Examples
    --------
    >>> breakdown_id("cla_by_distance_locality", "over_20_outside")
    'cla_by_distance_locality.over_20_outside'
    """
    return f"{indicator_id}.{group}"


#: derived comparators: id → (numerator id, denominator id); value = num / den × 100 for
#: the same year and geography (DfE publishes the count, the denominator in another file)
DERIVED: dict[str, tuple[str, str]] = {
    "adoption_within_12m_of_decision": ("adopted_within_12m_of_decision_count", "adopted_count"),
    "cla_uasc": ("cla_uasc_count", "cla_count"),
}


def derive_rows(table: pd.DataFrame) -> pd.DataFrame:
    """Rows for :data:`DERIVED` percentages built from two published counts.

    England's share of adopted children placed within 12 months of the decision: DfE
    publishes the count (adoption stages file) and the year's adoptions (LAIT / EES).
    UASC as a % of children in care: LAIT's whole-number percentage (2020 on) is replaced
    by count ÷ children in care, which also gives the years before 2020.

    Examples
    --------
    >>> t = pd.DataFrame({"indicator_id": ["adopted_within_12m_of_decision_count",
    ...     "adopted_count"], "year": [2025, 2025], "geography_level": ["england"] * 2,
    ...     "la_code_old": ["", ""], "region_code": ["", ""], "value": [60.0, 80.0]})
    >>> derive_rows(t)[["indicator_id", "value", "numerator", "denominator"]].values.tolist()
    [['adoption_within_12m_of_decision', 75.0, 60.0, 80.0]]
    """
    keys = ["year", "geography_level", "la_code_old", "region_code"]
    out = []
    for new_id, (num_id, den_id) in DERIVED.items():
        num = table[table.indicator_id == num_id]
        den = table[table.indicator_id == den_id][[*keys, "value"]]
        both = num.merge(den, on=keys, suffixes=("", "_den"))
        both = both[(both["value_den"] > 0) & both["value"].notna()]
        if both.empty:
            continue
        both = both.assign(
            indicator_id=new_id,
            numerator=both["value"],
            denominator=both["value_den"],
            source=f"derived:{num_id}/{den_id}",
            value=both["value"] / both["value_den"] * 100,
        )
        out.append(both.drop(columns="value_den"))
    cols = [
        c for c in TIDY_COLUMNS if c in table.columns or c in ("numerator", "denominator", "source")
    ]
    if not out:
        return pd.DataFrame(columns=cols)
    return pd.concat(out, ignore_index=True)[cols]


def data_dir() -> Path:
    """The package folder holding the shipped comparator, councils and neighbour tables."""
    return Path(str(resources.files("cppanalytics") / "data" / "comparators"))


def comparators_path() -> Path:
    """Path of the shipped comparator table."""
    return data_dir() / "comparators.csv.gz"


def _dedupe(rows: pd.DataFrame) -> pd.DataFrame:
    """Keep one row per (indicator, year, geography): a published value beats a suppressed
    one, a later release an earlier one, EES (with numerator/denominator) LAIT."""
    order = rows.assign(
        _has=rows["value"].notna(),
        _rel=pd.to_numeric(rows["release"], errors="coerce").fillna(0),
        _ees=rows["source"].str.startswith("ees:"),
        _num=rows["numerator"].notna(),
    ).sort_values(["_has", "_rel", "_ees", "_num"], ascending=False, kind="stable")
    keys = ["indicator_id", "year", "geography_level", "la_code_old", "region_code"]
    return order.drop_duplicates(keys).drop(columns=["_has", "_rel", "_ees", "_num"])


def build_comparators(
    folder: str | Path, since: int | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read every DfE file under ``folder`` into one tidy comparator table.

    Parameters
    ----------
    folder
        EES CSVs and/or LAIT ``bds_long*.parquet`` (+ ``lait_data_dictionary.csv``), in
        any sub-folders.
    since
        keep years from this one on (``None``: all).

    Returns
    -------
    (comparators, councils)
        the tidy table (sorted) and the councils table derived from the EES rows.

    Raises
    ------
    CppError
        no file under ``folder`` gave any comparator row.
    """
    sources = find_sources(folder)
    pieces = [ees_rows(p) for p in sources["csv"]]
    ees = (
        pd.concat([p for p in pieces if len(p)], ignore_index=True)
        if any(len(p) for p in pieces)
        else pd.DataFrame(columns=TIDY_COLUMNS)
    )
    councils = build_councils(ees[ees.geography_level == "la"])
    dictionary = sources["dictionary"][0] if sources["dictionary"] else None
    lait = [lait_rows(p, dictionary) for p in sources["lait"]]
    rows = pd.concat([ees, *lait], ignore_index=True)
    if rows.empty:
        raise CppError(
            f"{folder}: none of the files held a figure this package maps; see "
            f"cppanalytics.judgement.dfe_files for the files it understands"
        )
    rows["year"] = rows["year"].astype(int)
    for col in ("la_code_old", "la_code_new", "la_name", "region_code", "region_name"):
        rows[col] = rows[col].fillna("").astype("str")
    if len(councils):
        la = rows.geography_level == "la"
        blank = la & (rows.la_code_new == "")
        rows.loc[blank, "la_code_new"] = new_code_for(
            rows.loc[blank, "la_code_old"], rows.loc[blank, "year"], councils
        ).fillna("")
        blank_reg = la & (rows.region_code == "")
        reg = region_for(rows.loc[blank_reg, "la_code_old"], councils)
        rows.loc[blank_reg, "region_code"] = reg["region_code"].fillna("")
        rows.loc[blank_reg, "region_name"] = reg["region_name"].fillna("")
    if since is not None:
        rows = rows[rows.year >= since]
    out = _dedupe(rows)
    out = _dedupe(pd.concat([derive_rows(out), out], ignore_index=True))
    out = out.sort_values(
        ["indicator_id", "year", "geography_level", "region_code", "la_code_old"]
    ).reset_index(drop=True)
    return out[TIDY_COLUMNS], councils


def write_comparators(table: pd.DataFrame, path: str | Path) -> Path:
    """Write the table as CSV (gzip when the name ends ``.gz``), values to 6 significant
    decimals so the shipped file stays small."""
    from cppanalytics.writing import write_csv

    out = table.copy()
    out["value"] = out["value"].round(6)
    return write_csv(out, path, what="comparator table")


@lru_cache(maxsize=4)
def _read(path: str) -> pd.DataFrame:
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    except FileNotFoundError:
        raise CppError(
            f"{path}: comparator table not found; build one with "
            f"`cppanalytics comparators build --from DIR --out {path}`"
        ) from None
    missing = [c for c in TIDY_COLUMNS if c not in frame.columns]
    if missing:
        raise CppError(
            f"{path}: not a comparator table (missing column(s) "
            f"{', '.join(missing)}); build it with `cppanalytics comparators build`"
        )
    frame["year"] = pd.to_numeric(frame["year"], errors="coerce").astype("Int64")
    for col in ("value", "numerator", "denominator"):
        frame[col] = pd.to_numeric(frame[col].replace("", np.nan), errors="coerce").astype(
            "float64"
        )
    return frame[TIDY_COLUMNS]


def load_comparators(path: str | Path | None = None) -> pd.DataFrame:
    """The comparator table: ``path`` if given, else the shipped 2025-release table.

    Examples
    --------
    >>> t = load_comparators()
    >>> t.loc[(t.indicator_id == "cla_count") & (t.geography_level == "england"), "year"].max()
    np.int64(2025)
    """
    return _read(str(path or comparators_path())).copy()
