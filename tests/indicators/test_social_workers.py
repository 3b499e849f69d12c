"""sw_3plus: hand-worked histories through the public entry point.

D = 31/03/2024, ``r12`` window 01/04/2023-31/03/2024.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
import pytest

from cppanalytics.findings import Findings
from cppanalytics.indicators import compute, social_workers
from cppanalytics.ssda903.dataset import Dataset
from tests.case_tables.builders import check_pct, check_window, dataset, ep, pick, sw

D = "2024-03-31"


def run(ds: Dataset, period_end: str, ids: list[str], **kwargs: Any) -> pd.DataFrame:
    """The public entry point at an ISO period end."""
    return compute(ds, period_end, ids=list(ids), **kwargs)


def _main_case() -> tuple[pd.DataFrame, pd.DataFrame]:
    eps = [ep(c, "01/01/2022") for c in ("S1", "S2", "S3", "S4", "S6")]
    eps.append(ep("S5", "01/01/2022", dec="01/03/2024", rec="E4A"))  # not in care at D
    rows = [
        # S1: a, b, a again -> 2 different (a ends on the window start: overlaps)
        sw("S1", "a", "01/01/2023", "01/04/2023"),
        sw("S1", "b", "01/04/2023", "01/09/2023"),
        sw("S1", "a", "01/09/2023"),
        # S2: first worker ended the day before the window; b, c, d -> 3
        sw("S2", "a", "01/01/2022", "31/03/2023"),
        sw("S2", "b", "01/05/2023", "01/06/2023"),
        sw("S2", "c", "01/06/2023", "01/07/2023"),
        sw("S2", "d", "01/07/2023"),
        # S3: x, w, y (y starts on D) -> 3; z starts after D
        sw("S3", "x", "01/01/2024", "01/02/2024"),
        sw("S3", "w", "01/02/2024", "30/03/2024"),
        sw("S3", "y", "31/03/2024"),
        sw("S3", "z", "01/04/2024"),
        # S5 left care before D: 4 workers but not in the denominator
        sw("S5", "p", "01/04/2023", "01/05/2023"),
        sw("S5", "q", "01/05/2023", "01/06/2023"),
        sw("S5", "r", "01/06/2023", "01/07/2023"),
        sw("S5", "s", "01/07/2023"),
        # S6: a blank SW_ID cannot be counted -> 2
        sw("S6", "m", "01/05/2023", "01/06/2023"),
        sw("S6", "", "01/06/2023", "01/07/2023"),
        sw("S6", "n", "01/07/2023"),
    ]
    f = Findings()
    res = run(dataset(eps, sw_episodes=rows), D, ["sw_3plus"], findings=f)
    return res, f.to_frame()


def test_sw_3plus_main_case() -> None:
    res, _ = _main_case()
    # looked after at D: S1 S2 S3 S4 S6 = 5; 3+ different workers: S2, S3
    check_pct(res, "sw_3plus", 2, 5)
    check_window(res, "sw_3plus", "2023-04-01", D)
    assert pick(res, "sw_3plus")["note"] == ""


def test_sw_blank_id_is_a_finding() -> None:
    _, f = _main_case()
    found = f.query("code == 'sw_episode_incomplete'")
    assert found["child"].tolist() == ["S6"]
    assert found["indicators"].tolist() == ["sw_3plus"]


def test_same_worker_in_two_episodes_counts_once() -> None:
    ds = dataset(
        [ep("A", "01/01/2022")],
        sw_episodes=[
            sw("A", "a", "01/05/2023", "01/06/2023"),
            sw("A", "b", "01/06/2023", "01/07/2023"),
            sw("A", "a", "01/07/2023", "01/08/2023"),
            sw("A", "b", "01/08/2023"),
        ],
    )
    check_pct(run(ds, D, ["sw_3plus"]), "sw_3plus", 0, 1)


def test_no_sw_episodes_gives_an_empty_value_with_a_note() -> None:
    # decision: the row is written (not dropped) with numerator and value empty
    f = Findings()
    res = run(dataset([ep("A", "01/01/2022"), ep("B", "01/01/2022")]), D, ["sw_3plus"], findings=f)
    row = pick(res, "sw_3plus")
    assert math.isnan(row["numerator"]) and math.isnan(row["value"])
    assert row["denominator"] == 2
    assert row["note"] == social_workers.NOTE_ABSENT
    assert f.to_frame().query("code == 'sw_episodes_absent'").shape[0] == 1


def test_window_before_first_collection_year_is_noted() -> None:
    # D = 30/06/2023: r12 starts 01/07/2022 but SW episodes exist from 2023-24 only
    rows = [{**sw("A", i, "01/04/2023"), "YEAR": 2024} for i in "abc"]
    res = run(dataset([ep("A", "01/01/2022")], sw_episodes=rows), "2023-06-30", ["sw_3plus"])
    check_pct(res, "sw_3plus", 1, 1)
    assert pick(res, "sw_3plus")["note"] == "social-worker episodes held from 01/04/2023 only"


def test_sw_counts_pure_function() -> None:
    rows = pd.DataFrame(
        {
            "CHILD": ["1", "1", "1"],
            "SW_ID": ["a", "b", "c"],
            "SW_DECOM": pd.to_datetime(["2023-01-01", "2023-02-01", "2024-04-01"]),
            "SW_DEC": pd.to_datetime(["2023-03-31", None, None]),
        }
    )
    counts = social_workers.sw_counts(["1", "2"], rows, "2023-04-01", "2024-03-31")
    assert counts.tolist() == [1, 0]  # a ended the day before; c starts after


# ---------------------------------------------------------------- the per-run arrays
# SwArrays counts at every window what sw_counts counts from the rows: compared on edge cases

WINDOWS = [
    ("2023-04-01", "2024-03-31"),
    ("2023-07-01", "2024-06-30"),
    ("2024-03-31", "2024-03-31"),  # one day
    ("2020-01-01", "2020-12-31"),  # before everything
]


def _sw_frame(rows: list[tuple[str | None, str | None, str, str]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "CHILD": pd.array([r[0] for r in rows], dtype="string"),
            "SW_ID": pd.array([r[1] for r in rows], dtype="string"),
            "SW_DECOM": pd.to_datetime([r[2] for r in rows], format="%Y-%m-%d"),
            "SW_DEC": pd.to_datetime([r[3] or None for r in rows], format="%Y-%m-%d"),
        }
    )


SW_CASES = {
    "mixed": [
        ("1", "a", "2023-01-01", "2023-04-01"),  # ends on a window start: overlaps it
        ("1", "b", "2023-04-01", "2023-09-01"),
        ("1", "a", "2023-09-01", ""),  # the same worker again counts once
        ("1", " c ", "2024-03-31", ""),  # starts on D; spaces stripped
        ("2", "A", "2023-05-01", "2023-06-01"),  # ids are case-sensitive
        ("2", "a", "2023-06-01", "2023-06-01"),  # same-day episode
        ("2", "é", "2024-01-01", ""),  # non-ASCII id
        ("3", "x", "2022-01-01", "2023-03-31"),  # ended the day before the window
        ("3", "", "2023-05-01", ""),  # blank id: not usable
        ("3", None, "2023-05-01", ""),
        ("4", "p", "2023-05-01", ""),  # never looked after
        ("4", "q", "2023-05-01", ""),
        ("4", "r", "2023-05-01", ""),
        (None, "z", "2023-05-01", ""),  # no child
    ],
    "one row": [("1", "a", "2023-05-01", "")],
    "all blank ids": [("1", "", "2023-05-01", ""), ("2", None, "2023-05-01", "")],
    "empty": [],
}


@pytest.mark.parametrize("name", list(SW_CASES))
def test_sw_arrays_count_what_sw_counts_counts(name: str) -> None:
    usable = social_workers.usable_episodes(_sw_frame(SW_CASES[name]))
    looked_after = ["1", "2", "3", "5"]  # "5" has no social-worker episode
    codes = pd.Index(looked_after).get_indexer(usable["CHILD"].to_numpy(dtype=object))
    arrays = social_workers.SwArrays(usable, codes, len(looked_after))
    for start, end in WINDOWS:
        s, e = pd.Timestamp(start), pd.Timestamp(end)
        plain = social_workers.sw_counts(looked_after, usable, s, e, usable=True)
        assert arrays.counts(s, e).tolist() == plain.tolist(), (name, start)


def test_sw_3plus_at_many_period_ends_equals_one_end_at_a_time() -> None:
    eps = [ep("A", "01/01/2022"), ep("B", "01/01/2022", dec="01/10/2023", rec="E4A")]
    eps.append(ep("B", "01/01/2024"))  # re-entry
    rows = [
        sw("A", "a", "01/01/2023", "01/04/2023"),
        sw("A", "b", "01/04/2023", "01/09/2023"),
        sw("A", "c", "01/09/2023"),
        sw("B", "a", "01/05/2023", "01/06/2023"),
        sw("B", "b", "01/06/2023", "01/07/2023"),
        sw("B", "c", "01/02/2024"),
        sw("Z", "c", "01/02/2024"),  # never looked after
    ]
    ds = dataset(eps, sw_episodes=rows)
    ends = ["2023-06-30", "2023-09-30", "2023-12-31", "2024-03-31", "2024-06-30"]
    together = run(ds, ends, ["sw_3plus"])
    alone = pd.concat([run(ds, d, ["sw_3plus"]) for d in ends], ignore_index=True)
    pd.testing.assert_frame_equal(together, alone)
    # at 30/06/2024 the window starts 01/07/2023: A keeps b and c, B keeps b (ends on the
    # window start) and c
    assert together["numerator"].tolist() == [0.0, 1.0, 1.0, 2.0, 0.0]


# ------------------------------------------------- SW_ID codes read a chunk at a time

ID_CASES = {
    "spaces and case": [" a", "a", "a ", "A", None, "", "  ", "b", "é", "\ta\t"],
    "all missing": [None, None],
    "empty": [],
}


@pytest.mark.parametrize("dtype", ["string[python]", "string[pyarrow]", object])
@pytest.mark.parametrize("chunk", [1, 2, 3, 1 << 16])
@pytest.mark.parametrize("name", list(ID_CASES))
def test_worker_codes_are_the_stripped_ids_factorised(
    name: str, chunk: int, dtype: object, monkeypatch
) -> None:
    monkeypatch.setattr(social_workers, "CHUNK_ROWS", chunk)
    ids = pd.Series(ID_CASES[name], dtype=dtype)
    got = social_workers.worker_codes(ids)
    plain = social_workers._stripped(ids)
    unusable = (plain.isna() | plain.eq("").fillna(True)).to_numpy(dtype=bool)
    assert (got < 0).tolist() == unusable.tolist()
    codes = pd.factorize(plain.to_numpy(dtype=object))[0]
    pairs = pd.DataFrame({"got": got[~unusable], "plain": codes[~unusable]}).drop_duplicates()
    assert not pairs["got"].duplicated().any() and not pairs["plain"].duplicated().any()
    assert got.dtype == np.int32


@pytest.mark.parametrize("name", list(SW_CASES))
def test_usable_arrays_count_what_the_usable_table_counts(name: str) -> None:
    from cppanalytics.findings import Findings
    from cppanalytics.indicators.context import Context

    eps = [ep(c, "01/01/2022") for c in ("1", "2", "3")]

    def day(text: str) -> str:
        return pd.Timestamp(text).strftime("%d/%m/%Y") if text else ""

    rows = [sw(c or "", i or "", day(s), day(e)) for c, i, s, e in SW_CASES[name]]
    ctx = Context(dataset(eps, sw_episodes=rows), "2024-03-31")
    frame = ctx.data.tables["sw_episodes"]
    plain_findings, found = Findings(), ctx.findings
    usable = social_workers.usable_episodes(frame, plain_findings)
    n = len(ctx.episode_child_codes()[1])
    plain = social_workers.SwArrays(usable, ctx.child_codes(usable["CHILD"]), n)
    before = len(found.to_frame())
    got = social_workers._usable_arrays(ctx, frame)
    new = found.to_frame().iloc[before:].reset_index(drop=True)
    pd.testing.assert_frame_equal(new, plain_findings.to_frame())
    for start, end in WINDOWS:
        s, e = pd.Timestamp(start), pd.Timestamp(end)
        assert got.counts(s, e).tolist() == plain.counts(s, e).tolist(), (name, start)
