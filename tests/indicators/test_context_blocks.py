"""The context's per-dataset building blocks held in less memory (run starts on a bool
mask, birth parts per header row in int32, header rows read through child codes) against
their plain definitions on hand-built cases."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cppanalytics.dates import age_at
from cppanalytics.indicators.context import Context, birth_parts, run_starts
from tests.care.build import dataset, ep, hdr


@pytest.mark.parametrize(
    "codes",
    [[], [0], [0, 0, 0], [0, 1, 2, 3], [0, 0, 1, 1, 1, 2, 3, 3], [5, 5, 7, 0, 0]],
)
def test_run_starts_are_the_changes_of_the_codes(codes: list[int]) -> None:
    values = np.array(codes, dtype=np.int64)
    plain = np.flatnonzero(np.diff(values, prepend=-1))
    assert run_starts(values).tolist() == plain.tolist()


DOBS = [
    "2008-02-29",  # leap day
    "2007-12-31",
    "2010-01-01",
    "1969-12-31",  # before 1970: negative months
    "1900-03-01",
    "NaT",
    "2024-02-29",
    "2261-12-31",
]


def test_birth_parts_split_a_date_as_numpy_calendar_parts() -> None:
    dob = np.array(DOBS, dtype="datetime64[ns]")
    year, mmdd, unknown = birth_parts(dob)
    assert len(year) == len(mmdd) == len(unknown) == len(dob) + 1
    assert (year.dtype, mmdd.dtype) == (np.int32, np.int32)
    dates = pd.Series(dob)
    known = dates.notna().to_numpy()
    assert unknown.tolist() == [*(~known).tolist(), True]
    plain_year = dates.dt.year.where(dates.notna(), 0).astype(int).tolist()
    plain_mmdd = (dates.dt.month * 100 + dates.dt.day).where(dates.notna(), 0).astype(int)
    assert year.tolist() == [*plain_year, 0]
    assert mmdd.tolist() == [*plain_mmdd.tolist(), 0]
    empty = birth_parts(np.array([], dtype="datetime64[ns]"))
    assert [a.tolist() for a in empty] == [[0], [0], [True]]


def _data() -> object:
    return dataset(
        [
            ep("leap", "01/01/2020"),
            ep("old", "01/01/2020"),
            ep("no_dob", "01/01/2020"),
            ep("no_header", "01/01/2020"),
            ep("young", "01/01/2020", "01/06/2023", "E4A"),
            ep("young", "01/01/2024"),
            ep("dec", "01/01/2020"),
        ],
        [
            hdr("leap", dob="29/02/2008"),
            hdr("old", dob="31/03/2006"),
            hdr("no_dob", dob=""),
            hdr("young", dob="01/01/2015"),
            hdr("dec", dob="31/12/2009"),
            hdr("header_only", dob="01/01/2012"),
        ],
    )


ENDS = ["2024-02-28", "2024-02-29", "2024-03-31", "2024-12-31", "2025-01-01", "2025-03-01"]


@pytest.mark.parametrize("order", ["all", "reversed", "one", "none"])
def test_ages_through_header_rows_are_age_at(order: str) -> None:
    ctx = Context(_data(), "2024-03-31")
    n = len(ctx.episodes)
    pos = {
        "all": np.arange(n),
        "reversed": np.arange(n)[::-1],
        "one": np.arange(n)[2:3],
        "none": np.zeros(0, dtype=np.int64),
    }[order]
    dob = ctx._episode_facts()["DOB"].iloc[pos]
    for d in ENDS:
        age, unknown = ctx._ages(pos, pd.Timestamp(d))
        plain = age_at(dob, d)
        assert age.dtype == np.int64
        assert unknown.tolist() == plain.isna().tolist()
        assert age[~unknown].tolist() == plain[~unknown].tolist()


def test_header_rows_at_and_birth_parts_are_the_per_episode_arrays() -> None:
    ctx = Context(_data(), "2024-03-31")
    pos = np.array([3, 0, 6, 2, 2, 5])
    # read through the child codes (the per-episode array not built yet) ...
    through_codes = ctx._header_rows_at(pos)
    assert "episode_header_rows" not in ctx.care.cache
    per_episode = ctx._episode_header_rows()
    assert through_codes.tolist() == per_episode[pos].tolist()
    # ... and from the per-episode array once it is built
    assert ctx._header_rows_at(pos).tolist() == per_episode[pos].tolist()
    # the per-episode birth parts (int64) are the header's at each episode's row
    year, mmdd, unknown = ctx._birth_parts()
    assert (year.dtype, mmdd.dtype) == (np.int64, np.int64)
    dob = ctx._episode_facts()["DOB"]
    assert unknown.tolist() == dob.isna().tolist()
    known = ~unknown
    assert year[known].tolist() == dob[known].dt.year.tolist()
    assert mmdd[known].tolist() == (dob[known].dt.month * 100 + dob[known].dt.day).tolist()


def _with_adult() -> object:
    return dataset(
        [
            ep("adult", "01/01/2020"),  # 18 before the period end: a finding at cla_at
            ep("leap", "01/01/2020"),
            ep("no_header", "01/01/2020"),
        ],
        [hdr("adult", dob="01/01/2005"), hdr("leap", dob="29/02/2008"), hdr("gone", "")],
    )


def test_shared_blocks_built_early_write_no_finding_and_are_the_lazy_ones() -> None:
    early = Context(_with_adult(), "2024-03-31")
    early.build_shared_blocks()
    assert len(early.findings) == 0
    lazy = Context(_with_adult(), "2024-03-31")
    cla_early, cla_lazy = early.cla_at(), lazy.cla_at()
    pd.testing.assert_frame_equal(cla_early, cla_lazy)
    pd.testing.assert_frame_equal(early.findings.to_frame(), lazy.findings.to_frame())
    assert early.findings.to_frame()["code"].tolist() == ["looked_after_18_plus"]
    for key in lazy.care.cache:
        # (the objects' addresses differ between the two datasets' objects)
        if key in early.care.cache and key not in ("period_ends", "episode_child_objects"):
            built, plain = early.care.cache[key], lazy.care.cache[key]
            if isinstance(built, tuple):
                assert [np.asarray(b).tolist() for b in built] == [
                    np.asarray(p).tolist() for p in plain
                ]
            else:
                assert np.asarray(built).tolist() == np.asarray(plain).tolist()


def test_eighteenth_ns_is_the_birthday_or_never() -> None:
    ctx = Context(_with_adult(), "2024-03-31")
    days = ctx._eighteenth_birthdays()
    got = ctx._eighteenth_ns()
    never = np.iinfo(np.int64).max
    plain = [never if pd.isna(d) else pd.Timestamp(d).value for d in days]
    assert got.tolist() == plain
    assert never in got.tolist()  # the child with no header row
