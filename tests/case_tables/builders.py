"""Tiny builders so a hand-made 903 history reads like a table.

Every case-table test builds its input with these helpers and runs it through the public
entry point :func:`cppanalytics.indicators.compute`; the expected answers are worked out by
hand in the tests (never by calling package code).

Examples
--------
>>> e = ep("A", "01/04/2020", rne="S", ls="C2", place="U4", dec="10/06/2021", rec="X1")
>>> e["DECOM"], e["REC"]
('01/04/2020', 'X1')
>>> [r["DECOM"] for r in chain("B", ("01/01/2021", "S", "U4"), ("01/06/2021", "P", "K2"))]
['01/01/2021', '01/06/2021']
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd

from cppanalytics.ssda903.dataset import COLUMNS, Dataset
from tests.typed_dataset import from_tables

#: Default date of birth for a child whose header row a test does not spell out (age 12 at
#: 31/03/2024: under 16, 5-16 and 10-17 for every case table that relies on the default).
DEFAULT_DOB = "01/01/2012"

Row = dict[str, Any]


def ep(
    child: str,
    decom: str,
    rne: str = "S",
    ls: str = "C2",
    place: str = "U4",
    dec: str = "",
    rec: str = "",
    *,
    cin: str = "N1",
    provider: str = "PR1",
    home: str = "",
    pl: str = "",
    urn: str = "",
    reason: str = "",
    year: int | None = None,
) -> Row:
    """One Episodes row (dates ``dd/mm/YYYY``; blank DEC = open).

    Examples
    --------
    >>> ep("A", "01/04/2020")["PLACE"]
    'U4'
    """
    row: Row = {
        "CHILD": child,
        "DECOM": decom,
        "RNE": rne,
        "LS": ls,
        "CIN": cin,
        "PLACE": place,
        "PLACE_PROVIDER": provider,
        "DEC": dec,
        "REC": rec,
        "REASON_PLACE_CHANGE": reason,
        "HOME_POST": home,
        "PL_POST": pl,
        "URN": urn,
    }
    if year is not None:
        row["YEAR"] = year
    return row


def chain(
    child: str, *steps: Sequence[Any] | Row, dec: str = "", rec: str = "", **common: Any
) -> list[Row]:
    """A chain of episodes joined by X1: each step's DEC is the next step's DECOM.

    A step is ``(decom, rne, place)`` or ``(decom, rne, place, ls)`` or a dict of
    :func:`ep` keyword arguments with ``decom``. The last episode ends at ``dec`` with
    ``rec`` (blank = open). ``common`` keyword arguments go to every episode (a dict step
    overrides them).

    Examples
    --------
    >>> rows = chain("A", ("01/01/2021", "S", "U4"), ("01/06/2021", "P", "K2", "V2"),
    ...              dec="01/01/2022", rec="E4A")
    >>> [(r["DEC"], r["REC"], r["LS"]) for r in rows]
    [('01/06/2021', 'X1', 'C2'), ('01/01/2022', 'E4A', 'V2')]
    """
    specs: list[dict[str, Any]] = []
    for step in steps:
        if isinstance(step, dict):
            spec = dict(common) | dict(step)
        else:
            spec = dict(common)
            spec["decom"], spec["rne"], spec["place"] = step[0], step[1], step[2]
            if len(step) > 3:
                spec["ls"] = step[3]
        specs.append(spec)
    rows: list[Row] = []
    for i, spec in enumerate(specs):
        last = i == len(specs) - 1
        spec = dict(spec)
        decom = spec.pop("decom")
        rows.append(
            ep(
                child,
                decom,
                dec=dec if last else specs[i + 1]["decom"],
                rec=rec if last else "X1",
                **spec,
            )
        )
    return rows


def hdr(child: str, dob: str = DEFAULT_DOB, sex: str = "1", ethnic: str = "WBRI") -> Row:
    """One Header row.

    Examples
    --------
    >>> hdr("A", sex="F")["SEX"]
    'F'
    """
    return {
        "CHILD": child,
        "SEX": sex,
        "DOB": dob,
        "ETHNIC": ethnic,
        "UPN": "",
        "MOTHER": "",
        "MC_DOB": "",
    }


def oc2(
    child: str,
    year: int,
    *,
    dob: str = DEFAULT_DOB,
    sdq: Any = "",
    sdq_reason: str = "",
    convicted: str = "0",
    health_check: str = "0",
    immunisations: str = "0",
    teeth: str = "0",
    health_assessment: str = "0",
    substance: str = "0",
) -> Row:
    """One OC2 row of collection ``year`` (the calendar year of its 31 March)."""
    return {
        "CHILD": child,
        "DOB": dob,
        "SDQ_SCORE": "" if sdq is None else str(sdq),
        "SDQ_REASON": sdq_reason,
        "CONVICTED": convicted,
        "HEALTH_CHECK": health_check,
        "IMMUNISATIONS": immunisations,
        "TEETH_CHECK": teeth,
        "HEALTH_ASSESSMENT": health_assessment,
        "SUBSTANCE_MISUSE": substance,
        "INTERVENTION_RECEIVED": "",
        "INTERVENTION_OFFERED": "",
        "YEAR": year,
    }


def oc3(
    child: str, dob: str, year: int, in_touch: str = "YES", activ: str = "F1", accom: str = "U1"
) -> Row:
    """One OC3 row of collection ``year``."""
    return {
        "CHILD": child,
        "DOB": dob,
        "IN_TOUCH": in_touch,
        "ACTIV": activ,
        "ACCOM": accom,
        "YEAR": year,
    }


def ad1(
    child: str,
    date_int: str = "",
    date_match: str = "",
    foster_care: str = "0",
    dob: str = DEFAULT_DOB,
) -> Row:
    """One AD1 row (decision to place = DATE_INT, match = DATE_MATCH)."""
    return {
        "CHILD": child,
        "DOB": dob,
        "DATE_INT": date_int,
        "DATE_MATCH": date_match,
        "FOSTER_CARE": foster_care,
        "NB_ADOPTR": "2",
        "SEX_ADOPTR": "MF",
        "LS_ADOPTR": "L0",
    }


def placed(
    child: str, date_placed: str, ceased: str = "", reason: str = "", dob: str = DEFAULT_DOB
) -> Row:
    """One PlacedAdoption row (DATE_PLACED = date of the decision to place)."""
    return {
        "CHILD": child,
        "DOB": dob,
        "DATE_PLACED": date_placed,
        "DATE_PLACED_CEASED": ceased,
        "REASON_PLACED_CEASED": reason,
    }


def miss(child: str, kind: str, start: str, end: str = "", dob: str = DEFAULT_DOB) -> Row:
    """One Missing row (``kind`` M = missing, A = away)."""
    return {"CHILD": child, "DOB": dob, "MISSING": kind, "MIS_START": start, "MIS_END": end}


def sw(child: str, sw_id: str, start: str, end: str = "", dob: str = DEFAULT_DOB) -> Row:
    """One SWEpisodes row."""
    return {
        "CHILD": child,
        "DOB": dob,
        "SW_ID": sw_id,
        "SW_DECOM": start,
        "SW_DEC": end,
        "SW_REASON": "",
    }


def uasc(child: str, duc: str = "", dob: str = DEFAULT_DOB, sex: str = "1") -> Row:
    """One UASC row (DUC = date the child ceased to be UASC; blank = still UASC)."""
    return {"CHILD": child, "SEX": sex, "DOB": dob, "DUC": duc}


def rev(child: str, review: str, code: str = "PN1", dob: str = DEFAULT_DOB) -> Row:
    """One Reviews row (REVIEW = date the review was held, REVIEW_CODE = participation)."""
    return {"CHILD": child, "DOB": dob, "REVIEW": review, "REVIEW_CODE": code}


def prevperm(child: str, code: str, la: str = "", date: str = "", dob: str = DEFAULT_DOB) -> Row:
    """One PrevPerm row (PREV_PERM P1 adoption, P2 SGO, P3 RO/CAO, Z1 none/not known)."""
    return {"CHILD": child, "DOB": dob, "PREV_PERM": code, "LA_PERM": la, "DATE_PERM": date}


def _frame(name: str, rows: Iterable[Row]) -> pd.DataFrame:
    rows = list(rows)
    cols = list(COLUMNS[name])
    if any("YEAR" in r for r in rows):
        cols.append("YEAR")
    return pd.DataFrame([{c: r.get(c, "") for c in cols} for r in rows], columns=cols, dtype=object)


def dataset(
    episodes: Iterable[Row],
    headers: Iterable[Row] = (),
    *,
    la_code: str | None = None,
    **tables: Iterable[Row],
) -> Dataset:
    """A Dataset from builder rows; children with episodes but no header row get
    :func:`hdr` defaults (DOB :data:`DEFAULT_DOB`, male, WBRI).

    ``tables`` keys are Dataset table names (``oc2``, ``oc3``, ``ad1``, ``placed_adoption``,
    ``missing``, ``sw_episodes``, ``uasc``...).

    Examples
    --------
    >>> ds = dataset([ep("A", "01/04/2023")])
    >>> ds.header["DOB"].iloc[0]
    Timestamp('2012-01-01 00:00:00')
    """
    eps = list(episodes)
    heads = list(headers)
    have = {h["CHILD"] for h in heads}
    for e in eps:
        if e["CHILD"] not in have:
            heads.append(hdr(e["CHILD"]))
            have.add(e["CHILD"])
    frames = {"episodes": _frame("episodes", eps), "header": _frame("header", heads)}
    for name, rows in tables.items():
        frames[name] = _frame(name, rows)
    return from_tables(frames, la_code=la_code)


def run(ds: Dataset, period_end: str, ids: Sequence[str], **kwargs: Any) -> pd.DataFrame:
    """Run the public entry point at ``period_end`` (``dd/mm/YYYY``).

    The package is imported lazily so test collection never fails while it is landing.
    """
    from cppanalytics.indicators import compute

    # period ends are written dd/mm/YYYY in the case tables; pass an unambiguous Timestamp
    d = pd.to_datetime(period_end, format="%d/%m/%Y")
    return compute(ds, d, ids=list(ids), **kwargs)


def rows_for(
    res: pd.DataFrame,
    indicator_id: str,
    breakdown: str | None = None,
    window_start: str | None = None,
) -> pd.DataFrame:
    """All rows of one indicator (optionally one breakdown / one window start)."""
    sel = res["indicator_id"] == indicator_id
    if breakdown is not None:
        sel &= res["breakdown"] == breakdown
    if window_start is not None:
        sel &= res["window_start"] == pd.Timestamp(window_start)
    return res[sel]


def pick(
    res: pd.DataFrame, indicator_id: str, group: str = "", *, window_start: str | None = None
) -> pd.Series:
    """The single result row for (indicator, group[, window start]); fails loudly otherwise."""
    sel = (res["indicator_id"] == indicator_id) & (res["group"] == group)
    if window_start is not None:
        sel &= res["window_start"] == pd.Timestamp(window_start)
    found = res[sel]
    log = os.environ.get("CASE_TABLE_LOG")
    if log:  # optional: record which test checked which indicator (for the coverage count)
        with open(log, "a") as fh:
            fh.write(f"{os.environ.get('PYTEST_CURRENT_TEST', '').split(' ')[0]}\t{indicator_id}\n")
    assert len(found) == 1, (
        f"expected exactly one row for {indicator_id!r} group {group!r} window_start "
        f"{window_start}, got {len(found)}:\n{res[res['indicator_id'] == indicator_id]}"
    )
    return found.iloc[0]


def _same(got: float, want: float | None) -> bool:
    if want is None:
        return isinstance(got, float) and math.isnan(got)
    return got == pytest_approx(want)


def pytest_approx(want: float) -> Any:
    import pytest

    return pytest.approx(want, rel=1e-9, abs=1e-9)


def check(
    row: pd.Series, numerator: float | None, denominator: float | None, value: float | None
) -> None:
    """Assert a row's numerator, denominator and value (``None`` = must be empty/NaN)."""
    got = (float(row["numerator"]), float(row["denominator"]), float(row["value"]))
    want = (numerator, denominator, value)
    ok = all(_same(g, w) for g, w in zip(got, want, strict=True))
    assert ok, (
        f"{row['indicator_id']} [{row['breakdown']}={row['group']}] at {row['period_end']:%d/%m/%Y}: "
        f"expected (num, den, value) = {want}, got {got}"
    )


def pct(num: float, den: float) -> float | None:
    """Percentage as the contract writes it (``None`` when the denominator is 0)."""
    return None if den == 0 else num / den * 100


def check_pct(
    res: pd.DataFrame,
    indicator_id: str,
    num: float,
    den: float,
    group: str = "",
    window_start: str | None = None,
) -> None:
    """Shortcut: a percent row with numerator ``num`` over ``den``."""
    check(pick(res, indicator_id, group, window_start=window_start), num, den, pct(num, den))


def check_count(
    res: pd.DataFrame, indicator_id: str, n: float, window_start: str | None = None
) -> None:
    """Shortcut: a count row (denominator empty)."""
    check(pick(res, indicator_id, window_start=window_start), n, None, n)


def check_window(res: pd.DataFrame, indicator_id: str, start: str, end: str) -> None:
    """Every row of the indicator carries the window (start, end)."""
    r = rows_for(res, indicator_id)
    assert len(r), f"no rows for {indicator_id}"
    assert (r["window_start"] == pd.Timestamp(start)).all(), r[["window_start", "window_end"]]
    assert (r["window_end"] == pd.Timestamp(end)).all(), r[["window_start", "window_end"]]


def settings(**flags: Any) -> Any:
    """A :class:`Settings` with the named flags (clear failure if a flag is not there)."""
    import pytest

    from cppanalytics.indicators.settings import Settings

    try:
        return Settings(**flags)
    except TypeError as exc:  # a flag was renamed: say so rather than crash obscurely
        pytest.fail(f"Settings does not accept {flags}: {exc}")
