"""Location indicators with a stand-in postcode look-up (distances chosen by hand)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from cppanalytics.findings import Findings
from cppanalytics.geography import postcodes
from cppanalytics.indicators import compute
from tests.care.build import dataset, ep, nums, value

D = "2024-03-31"
# placement postcode -> (miles from any home, IN/OUT)
FAKE = {
    "P5": (5.0, "IN"),
    "P20": (20.04, "OUT"),
    "P21": (20.05, "OUT"),
    "P60": (60.0, "OUT"),
    "P150": (150.0, "OUT"),
    "PIN30": (30.0, "IN"),
    "PX": (np.nan, pd.NA),
}
CALLS: list[int] = []


def fake_location(home: pd.Series, pl: pd.Series, la_code: str | None) -> pd.DataFrame:
    CALLS.append(len(pl))
    miles = [
        np.nan if (h is pd.NA or p is pd.NA or p not in FAKE) else FAKE[p][0]
        for h, p in zip(
            home.astype(object).fillna(pd.NA), pl.astype(object).fillna(pd.NA), strict=True
        )
    ]
    loc = [
        FAKE[p][1] if (p is not pd.NA and p in FAKE and la_code) else pd.NA
        for p in pl.astype(object).fillna(pd.NA)
    ]
    return pd.DataFrame(
        {"distance_miles": miles, "location": pd.array(loc, dtype="string")}, index=home.index
    )


@pytest.fixture(autouse=True)
def _fake(monkeypatch):
    monkeypatch.setattr(postcodes, "placement_location", fake_location)
    CALLS.clear()


def ds():
    # 7 children at D; one (H) with no home postcode
    return dataset(
        [
            ep("A", "01/01/2023", pl_post="P5"),
            ep("B", "01/01/2023", pl_post="P20"),
            ep("C", "01/01/2023", pl_post="P21"),
            ep("E", "01/01/2023", pl_post="P60"),
            ep("F", "01/01/2023", pl_post="P150"),
            ep("G", "01/01/2023", pl_post="PIN30"),
            ep("H", "01/01/2023", pl_post="P5", home_post=""),
        ]
    )


def test_location_indicators_and_bands():
    f = Findings()
    r = compute(
        ds(),
        D,
        ids=[
            "placed_over_20_miles_outside",
            "placed_within_20_miles",
            "placed_outside_la",
            "cla_by_distance_band",
        ],
        la_code="E06000042",
        findings=f,
    )
    # 20.04 -> 20.0 (1 dp) is within 20 miles; 20.05 -> 20.1 is over
    # over 20 and OUT: C, E, F = 3 of 7; within 20: A, B = 2 of 7 (H unknown stays in)
    assert nums(r, "placed_over_20_miles_outside") == (3, 7)
    assert nums(r, "placed_within_20_miles") == (2, 7)
    # OUT: B C E F; H's placement postcode is known (IN) -> 4 of 7
    assert nums(r, "placed_outside_la") == (4, 7)
    bands = r[r["indicator_id"] == "cla_by_distance_band"].set_index("group")["numerator"]
    assert bands.to_dict() == {"0-20": 2, "21-50": 2, "51-100": 1, "over 100": 1, "unknown": 1}
    codes = f.to_frame()
    assert codes["code"].tolist() == ["distance_unknown"] and codes["child"].tolist() == ["H"]


def test_no_council_code_leaves_in_out_empty_with_note():
    r = compute(ds(), D, ids=["placed_outside_la", "placed_within_20_miles"])
    row = value(r, "placed_outside_la")
    assert math.isnan(row["value"]) and "council code not known" in row["note"]
    assert nums(r, "placed_within_20_miles") == (2, 7)


def test_look_ups_batched_across_period_ends():
    compute(
        ds(), ["2023-06-30", "2023-12-31", D], ids=["placed_within_20_miles"], la_code="E06000042"
    )
    assert len(CALLS) == 1


# current_at_any, postcode_values and _rows_of against their plain definitions


def _plain_current(start: np.ndarray, stop: np.ndarray, ends: list[pd.Timestamp]) -> np.ndarray:
    """The int64 comparisons: a missing start never starts, a missing stop never stops."""
    never = np.iinfo(np.int64).max
    s = np.where(np.isnat(start), never, start.view(np.int64))
    e = np.where(np.isnat(stop), never, stop.view(np.int64))
    out = np.zeros(len(start), dtype=bool)
    for d in ends:
        out |= (s <= d.value) & (e > d.value)
    return out


@pytest.mark.parametrize(
    "ends",
    [[], ["2024-03-31"], ["2023-06-30", "2024-03-31"], ["2024-03-30", "2024-04-01"]],
)
def test_current_at_any_is_the_plain_comparison(ends) -> None:
    from cppanalytics.indicators.location import current_at_any

    start = np.array(
        [
            *("2024-03-31", "2024-04-01", "NaT", "NaT", "2023-01-01", "2023-01-01"),
            *("2024-03-30", "2023-06-30", "1900-01-01"),
        ],
        dtype="datetime64[ns]",
    )
    stop = np.array(
        [
            *("NaT", "NaT", "NaT", "2024-05-01", "2024-03-31", "2024-04-01"),
            *("2024-03-31", "2023-06-30", "2262-01-01"),
        ],
        dtype="datetime64[ns]",
    )
    when = [pd.Timestamp(d) for d in ends]
    got = current_at_any(start, stop, when)
    np.testing.assert_array_equal(got, _plain_current(start, stop, when))
    assert got.dtype == bool


def test_postcode_values_are_the_masked_take() -> None:
    from cppanalytics.indicators.location import postcode_values

    text = np.array(["MK9 3EJ", "", " ", "É1 1AA"], dtype=object)
    codes = np.array([0, 1, -1, 2, 3, 1, 0, -1])
    plain = pd.Series(np.append(text, np.array([None], dtype=object))[codes], dtype="string")
    plain = plain.mask(plain == "")
    pd.testing.assert_series_equal(postcode_values(text, codes), plain)
    empty = postcode_values(np.array([], dtype=object), np.array([-1, -1]))
    assert empty.isna().all() and str(empty.dtype) == "string"


def test_rows_of_is_the_positional_take() -> None:
    from cppanalytics.indicators.location import _rows_of

    column = pd.Series(["a", None, "", "d"], dtype="string", index=[5, 6, 7, 8])
    at = np.array([3, 0, 1])
    pd.testing.assert_series_equal(_rows_of(column, at), column.iloc[at].reset_index(drop=True))
    assert len(_rows_of(column, np.array([], dtype=np.int64))) == 0
