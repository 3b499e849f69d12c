"""Missing-from-care indicators: hand-worked histories through the public entry point.

D = 31/03/2024, ``fytd`` window 01/04/2023-31/03/2024.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from cppanalytics.findings import Findings
from cppanalytics.indicators import compute, missing
from cppanalytics.ssda903.dataset import Dataset
from tests.case_tables.builders import (
    check,
    check_count,
    check_pct,
    check_window,
    dataset,
    ep,
    miss,
    pick,
)

D = "2024-03-31"


def run(ds: Dataset, period_end: str, ids: list[str], **kwargs: Any) -> pd.DataFrame:
    """The public entry point at an ISO period end."""
    return compute(ds, period_end, ids=list(ids), **kwargs)


ALL = list(missing.IDS)


def _main_case() -> tuple[pd.DataFrame, pd.DataFrame]:
    eps = [
        ep("M1", "01/01/2023"),
        ep("M2", "01/01/2022", dec="01/04/2023", rec="E4A"),  # left on window start: during
        ep("M3", "01/06/2023"),
        ep("M4", "01/05/2023"),
        ep("M5", "01/01/2023", ls="V3"),  # short breaks only: not looked after
        ep("M6", "01/01/2023"),
        ep("M7", "01/01/2023"),
    ]
    rows = [
        miss("M1", "M", "05/05/2023", "06/05/2023"),
        miss("M1", "M", "05/05/2023", "06/05/2023"),  # duplicate: counted once
        miss("M1", "M", "01/06/2023"),  # still open
        miss("M1", "A", "01/07/2023", "01/07/2023"),
        miss("M2", "M", "25/03/2023", "02/04/2023"),  # starts before, overlaps the window
        miss("M3", "M", "31/03/2023", "31/03/2023"),  # before care and before the window
        miss("M3", "A", "30/03/2024"),  # open away incident
        miss("M3", "M", "31/03/2024", "31/03/2024"),  # starts on the window end
        miss("M5", "M", "01/08/2023", "02/08/2023"),  # not in care during the window
        miss("M6", "M", "01/04/2024"),  # after the window
        miss("M6", "M", "31/03/2023", "31/03/2023"),  # ends the day before the window
        {**miss("M7", "M", "01/04/2023"), "YEAR": 2023},  # open at 31/03 of 2022-23 ...
        {**miss("M7", "M", "01/04/2023", "03/04/2023"), "YEAR": 2024},  # ... repeated
        miss("M4", "M", ""),  # no start date: cannot be counted
    ]
    f = Findings()
    res = run(dataset(eps, missing=rows), D, ALL, findings=f)
    return res, f.to_frame()


def test_missing_main_case() -> None:
    res, _ = _main_case()
    # looked after during the window: M1 M2 M3 M4 M6 M7 = 6
    # an M incident overlapping the window: M1, M2, M3, M7 (M6's end before / start after)
    check_pct(res, "missing_children_pct", 4, 6)
    # M incidents starting in the window: M1 05/05 (once) and 01/06, M3 31/03/2024,
    # M7 01/04/2023 (once across the two years) = 4
    check_count(res, "missing_incidents", 4)
    # ... by 3 children (M1, M3, M7)
    check(pick(res, "missing_incidents_per_child"), 4, 3, 4 / 3)
    # away: M1 (01/07/2023), M3 (open since 30/03/2024)
    check_pct(res, "away_children_pct", 2, 6)


def test_missing_rows_window_and_units() -> None:
    res, _ = _main_case()
    for ind in ALL:
        check_window(res, ind, "2023-04-01", D)
    units = dict(zip(res["indicator_id"], res["unit"], strict=True))
    assert units == {
        "missing_children_pct": "percent",
        "missing_incidents": "count",
        "missing_incidents_per_child": "ratio",
        "away_children_pct": "percent",
    }


def test_missing_findings() -> None:
    _, f = _main_case()
    own = f[f["table"] == "missing"]
    assert own.query("code == 'missing_duplicate'")["child"].tolist() == ["M1"]
    assert own.query("code == 'missing_start_blank'")["child"].tolist() == ["M4"]
    assert own.query("code == 'missing_child_not_in_care'")["child"].tolist() == ["M5"]
    # the M7 repeat across collection years is normal stitching, not a finding
    assert "M7" not in set(own["child"])


def test_quarter_window_override() -> None:
    # q ending 31/03/2024 = 01/01/2024-31/03/2024: during = M1 M3 M4 M6 M7 (M2 left 01/04/2023)
    # M overlapping: M1 (open since 01/06/2023), M3 (31/03/2024), M7 (open in its 2023 row,
    # but the 2024 row ending 03/04/2023 wins) -> M1, M3
    ds = dataset(
        [ep("M1", "01/01/2023"), ep("M3", "01/06/2023"), ep("M7", "01/01/2023")],
        missing=[
            miss("M1", "M", "01/06/2023"),
            miss("M3", "M", "31/03/2024", "31/03/2024"),
            {**miss("M7", "M", "01/04/2023"), "YEAR": 2023},
            {**miss("M7", "M", "01/04/2023", "03/04/2023"), "YEAR": 2024},
        ],
    )
    res = run(ds, D, ALL, windows={i: "q" for i in ALL})
    check_pct(res, "missing_children_pct", 2, 3)
    check_count(res, "missing_incidents", 1)  # only M3's starts in the quarter
    check(pick(res, "missing_incidents_per_child"), 1, 1, 1.0)
    check_window(res, "missing_children_pct", "2024-01-01", D)


def test_no_incidents_gives_zero_and_empty_ratio() -> None:
    res = run(dataset([ep("A", "01/01/2023")]), D, ALL)
    check_pct(res, "missing_children_pct", 0, 1)
    check_count(res, "missing_incidents", 0)
    check(pick(res, "missing_incidents_per_child"), 0, 0, None)


def test_missing_measures_pure_function() -> None:
    m = pd.DataFrame(
        {
            "CHILD": ["1", "1", "2"],
            "MISSING": ["M", "M", "M"],
            "MIS_START": pd.to_datetime(["2023-03-01", "2023-05-01", "2023-06-01"]),
            "MIS_END": pd.to_datetime([None, "2023-05-02", "2023-06-02"]),
        }
    )
    out = missing.missing_measures(["1"], m, "2023-04-01", "2024-03-31")
    assert out.loc["missing_children_pct", "value"] == 100.0
    assert out.loc["missing_incidents", "numerator"] == 1.0  # child 2 not in the cohort


@pytest.mark.parametrize(
    "dtype", ["string[python]", "string[pyarrow]", "object", "str"], ids=lambda d: str(d)
)
def test_missing_and_equal_text_read_per_object_are_isna_and_eq(dtype: str) -> None:
    from cppanalytics.indicators.missing import text_equals, text_missing

    shared = "M"  # one object in several rows, as the loader gives them
    values = [shared, None, "A", "", "m", " M", shared, "A ", None, "AA", shared]
    for rows in (values, values[:1], values[1:2], []):
        column = pd.Series(rows, dtype=dtype, index=np.arange(len(rows)) * 3 + 1)
        # the plain definitions
        assert text_missing(column).tolist() == column.isna().tolist()
        text = column.astype("string")
        got = text_equals(text, "M", "A", "")
        for want, text_value in zip(got, ("M", "A", ""), strict=True):
            assert want.dtype == bool
            assert want.tolist() == text.eq(text_value).fillna(False).tolist()
    # the missing table's blank rows and incident kinds on every storage
    m = pd.DataFrame(
        {
            "CHILD": pd.Series(["1", None, "2", "3"], dtype=dtype),
            "MISSING": pd.Series(["M", "A", None, "m"], dtype=dtype),
            "MIS_START": pd.to_datetime(["2023-05-01", "2023-05-02", "2023-05-03", None]),
            "MIS_END": pd.to_datetime([None] * 4),
        }
    )
    from cppanalytics.indicators.missing import distinct_incidents, incident_arrays

    found = Findings()
    kept = distinct_incidents(m, found)
    assert kept["CHILD"].astype(object).tolist() == ["1", "2"]
    assert len(found.to_frame()) == 2  # no CHILD; no start
    a = incident_arrays(kept, pd.Index(["1", "2"]))
    assert a.is_m.tolist() == [True, False] and a.is_a.tolist() == [False, False]
