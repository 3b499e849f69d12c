"""The sections' row look-ups (positions worked out once) against the plain definitions:
filtering the judged table afresh for every indicator and date, as the code did before."""

from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np
import pandas as pd

from cppanalytics import dates
from cppanalytics.indicators import catalogue
from cppanalytics.presentation import blocks, tables
from cppanalytics.presentation.formatting import format_value
from cppanalytics.presentation.labels import indicator_label


def _plain_indicator_by_quarter(judged, ids, period_ends, *, window=None):
    frame = tables.add_window_kind(tables.headline_rows(judged))
    frame["period_end"] = pd.to_datetime(frame["period_end"])
    ends = [dates.as_date(d) for d in period_ends]
    data = []
    for iid in ids:
        kind = window or (
            catalogue.CATALOGUE[iid].window if iid in catalogue.CATALOGUE else "point"
        )
        sel = frame[frame["indicator_id"].eq(iid)]
        if kind in set(sel["window_kind"]):
            march = sel["period_end"].dt.month.eq(3) & sel["period_end"].dt.day.eq(31)
            twin = {"fytd": "r12", "r12": "fytd"}.get(kind, kind)
            pick = sel["window_kind"].eq(kind) | (march & sel["window_kind"].eq(twin))
            sel = sel[pick].sort_values("window_kind", key=lambda k: k.ne(kind))
            sel = sel.drop_duplicates("period_end", keep="first")
        sel = sel.drop_duplicates("period_end", keep="last").set_index("period_end")
        unit = str(sel["unit"].iloc[0]) if len(sel) else tables.unit_of(iid)
        data.append(
            [indicator_label(iid)]
            + [
                format_value(
                    tables.shown(sel.loc[d], "value") if d in sel.index else math.nan, unit
                )
                for d in ends
            ]
        )
    return pd.DataFrame(data, columns=["Indicator", *[tables.column_date(d) for d in ends]])


def _plain_row_at(frame, period_end, indicator_id, d, kind):
    d = period_end if d is None else dates.as_date(d)
    sel = frame[frame["indicator_id"].eq(indicator_id) & frame["period_end"].eq(d)]
    if kind is not None and kind in set(sel["window_kind"]):
        sel = sel[sel["window_kind"].eq(kind)]
    elif kind is not None and len(dates.same_window_kinds(kind, d)) > 1:
        pass
    elif kind is not None:
        return None
    return sel.iloc[-1].to_dict() if len(sel) else None


def _awkward(judged: pd.DataFrame) -> pd.DataFrame:
    """The hand-made judged table with the cases the look-ups must keep: suppressed rows
    (True and missing flags), a repeated row for one date (the last one counts), a local
    measure the catalogue does not know, a missing value, and rows out of date order."""
    out = judged.copy()
    out["suppressed"] = pd.array([pd.NA] * len(out), dtype="boolean")
    cla = out.index[out["indicator_id"].eq("cla_count")]
    out.loc[cla[3], "suppressed"] = True
    out.loc[cla[4], "suppressed"] = False
    out.loc[cla[5], "value"] = np.nan
    repeat = out.loc[[cla[-1]]].assign(value=999.0)
    local = out.loc[[cla[-2]]].assign(indicator_id="local_waiting_list", value=17.0)
    return pd.concat([out, repeat, local]).iloc[::-1].reset_index(drop=True)


def test_indicator_by_quarter_matches_the_plain_filtering(judged: pd.DataFrame) -> None:
    table = _awkward(judged)
    ids = [*table["indicator_id"].unique(), "not_an_indicator"]
    ends = sorted(pd.to_datetime(table["period_end"]).unique())
    for window in (None, "fytd", "r12", "point"):
        fast = tables.indicator_by_quarter(table, ids, ends, window=window)
        plain = _plain_indicator_by_quarter(table, ids, ends, window=window)
        pd.testing.assert_frame_equal(fast, plain)
    cla = tables.indicator_by_quarter(table, ["cla_count"], ends).iloc[0].tolist()
    assert "c" in cla and "x" in cla and cla[-1] == "999"  # suppressed, missing, last repeat


def test_an_empty_table_gives_a_row_of_missing_figures(judged: pd.DataFrame) -> None:
    empty = judged.iloc[0:0]
    ends = ["2026-06-30", "2026-09-30"]
    fast = tables.indicator_by_quarter(empty, ["cla_count"], ends)
    pd.testing.assert_frame_equal(fast, _plain_indicator_by_quarter(empty, ["cla_count"], ends))
    assert fast.iloc[0].tolist()[1:] == ["x", "x"]


def test_row_at_matches_the_plain_filtering(judged: pd.DataFrame) -> None:
    table = _awkward(judged)
    pe = pd.Timestamp("2026-09-30")
    report = SimpleNamespace(judged=table, extras={}, params=SimpleNamespace(period_end=pe))
    frame = blocks._headline(report)
    ids = [*table["indicator_id"].unique(), "not_an_indicator"]
    days = [None, "2026-03-31", pd.Timestamp("2025-09-30"), "2001-03-31"]
    checked = 0
    for iid in ids:
        for d in days:
            for kind in (None, "fytd", "r12", "point"):
                fast = blocks.row_at(report, iid, d, kind)  # type: ignore[arg-type]
                plain = _plain_row_at(frame, pe, iid, d, kind)
                if plain is None:
                    assert fast is None
                else:
                    assert fast is not None
                    pd.testing.assert_series_equal(pd.Series(fast), pd.Series(plain))
                    checked += 1
    assert checked > 20
    # two rows for one date: the later in the table's order (999 comes first, reversed)
    assert blocks.row_at(report, "cla_count")["value"] == 280.0  # type: ignore[arg-type, index]
