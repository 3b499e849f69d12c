"""Computing many period ends in one run against the plain definition: each period end
computed on its own (a fresh run, nothing shared), on hand-built edge cases (short breaks,
same-day chains, temporary placements, re-entry, birthdays on a period end including
29 February, an episode starting or ending exactly on a period end, an 18th birthday on a
period end, empty cohorts at some ends) and on a slice of the demo council.

The run's results must be the per-end results stacked, and its findings the per-end
findings in order with repeats dropped (a finding the same at two ends is written once).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cppanalytics.findings import Findings
from cppanalytics.indicators.compute import compute
from cppanalytics.indicators.context import Context
from cppanalytics.indicators.repeats import mark_repeats_dropped, unreported
from cppanalytics.ssda903.dataset import Dataset
from tests.care.build import dataset, ep, hdr

#: the modules whose many-ends paths are checked here (reviews and population have their own)
MODULES = (
    "stability",
    "sufficiency",
    "missing",
    "location",
    "health",
    "care_leavers",
    "adoption",
    "social_workers",
)

#: quarter ends from before anybody is looked after (empty cohorts) to after everybody left
ENDS = [d.strftime("%Y-%m-%d") for d in pd.date_range("2019-12-31", "2025-06-30", freq="QE")]

_EPISODES = [
    ep("A", "01/01/2023"),
    ep("B", "01/02/2023", "30/06/2023", "X1"),  # a same-day chain on a period end ...
    ep("B", "30/06/2023", "30/06/2023", "X1", rne="P", place="U1"),  # zero length
    ep("B", "30/06/2023", "31/12/2023", "E4A", rne="P", place="T1"),  # temporary
    ep("B", "01/03/2024", rne="S", place="K2", provider=""),  # re-entry, no provider
    ep("C", "01/01/2023", ls="V3"),  # short breaks only
    ep("D", "01/06/2022", "31/03/2024", "E4A", home_post=""),  # leaves on a period end
    ep("É1", "01/04/2023", "01/04/2023", "E13"),  # a one-day period
    ep("F", "01/01/2021", pl_post="ZZ9 9ZZ"),  # 18 on 31/03/2024: care ends there
    ep("G", "31/03/2024", provider="PR0"),  # no header row, starts on a period end
    ep("H", "01/05/2023", "01/08/2023", "X1"),  # X1 with no episode that day
    ep("H", "02/08/2023"),
    ep("K", "30/09/2021", "31/12/2021", "P1", place="U1"),  # moves, temporary, returns
    ep("K", "31/12/2021", "01/02/2022", "P1", rne="T", place="T0"),
    ep("K", "01/02/2022", "30/06/2022", "P1", rne="P", place="U2"),
    ep("K", "30/06/2022", "30/09/2024", "E11", rne="P", place="A5"),  # adopted on an end
    ep("L", "31/12/2020", place="U3", provider="PR4"),  # 16 on 29/02/2024
    ep("M", "01/07/2020", "01/10/2020", "E3"),  # left and came back
    ep("M", "30/06/2021", "31/03/2025", "E3", place="R1"),
]
_HEADERS = [
    hdr("A", "01/01/2010"),
    hdr("B", "15/05/2012"),
    hdr("C", "01/01/2015"),
    hdr("D", "31/03/2009"),  # 15 on a period end
    hdr("É1", "01/01/2016"),
    hdr("F", "31/03/2006"),
    hdr("H", "29/02/2008"),  # 18 on 1 March 2026
    hdr("K", "30/06/2019"),
    hdr("L", "29/02/2008"),
    hdr("M", "31/12/2004"),  # 18 on a period end
]
_OC2 = [
    {"CHILD": "A", "DOB": "01/01/2010", "SDQ_SCORE": "14", "HEALTH_CHECK": "1", "YEAR": 2024},
    {"CHILD": "A", "DOB": "01/01/2010", "SDQ_SCORE": "41", "HEALTH_CHECK": "1", "YEAR": 2025},
    {"CHILD": "D", "DOB": "31/03/2009", "SDQ_SCORE": "", "IMMUNISATIONS": "1", "YEAR": 2024},
    {"CHILD": "D", "DOB": "31/03/2009", "SDQ_SCORE": "3", "IMMUNISATIONS": "1", "YEAR": 2024},
    {"CHILD": "G", "DOB": "", "SDQ_SCORE": "9", "TEETH_CHECK": "1", "YEAR": 2025},
    {"CHILD": "L", "DOB": "29/02/2008", "SDQ_SCORE": "17", "YEAR": 2023},
    {"CHILD": "M", "DOB": "31/12/2004", "SDQ_SCORE": "12.5", "CONVICTED": "1", "YEAR": 2022},
]
_MISSING = [
    {"CHILD": c, "MISSING": m, "MIS_START": s, "MIS_END": e}
    for c, m, s, e in [
        ("A", "M", "30/03/2023", "02/04/2023"),
        ("A", "A", "31/03/2024", ""),  # open, starts on a period end
        ("B", "M", "30/06/2023", "30/06/2023"),  # on the same-day chain
        ("B", "M", "01/01/2024", ""),
        ("C", "M", "01/08/2023", "02/08/2023"),  # short breaks only: outside the cohort
        ("D", "A", "31/03/2024", "01/04/2024"),
        ("L", "M", "29/02/2024", "01/03/2024"),
        ("L", "M", "29/02/2024", "01/03/2024"),  # repeated
        ("Q", "M", "01/01/2024", "02/01/2024"),  # no episode
    ]
]
_UASC = [
    {"CHILD": "F", "SEX": "1", "DOB": "31/03/2006", "DUC": "31/03/2024"},
    {"CHILD": "B", "SEX": "1", "DOB": "15/05/2012", "DUC": ""},
]
_SW = [
    {"CHILD": c, "SW_ID": s, "SW_DECOM": a, "SW_DEC": b, "SW_REASON": r}
    for c, s, a, b, r in [
        ("A", "SW1", "01/01/2023", "31/03/2024", "CHIND"),
        ("A", "SW2", "31/03/2024", "", "MANAGE"),
        ("K", "SW3", "30/09/2021", "", ""),
        ("L", " SW4 ", "31/12/2020", "30/06/2023", "PCCHAN"),
        ("L", "SW5", "30/06/2023", "", "XXXX"),
    ]
]
_OC3 = [
    {"CHILD": "M", "DOB": "31/12/2004", "IN_TOUCH": "YES", "ACTIV": "F1", "ACCOM": "Y1"},
    {"CHILD": "F", "DOB": "31/03/2006", "IN_TOUCH": "NO", "ACTIV": "G4", "ACCOM": "Z1"},
]
_AD1 = [
    {
        "CHILD": "K",
        "DOB": "30/06/2019",
        "DATE_INT": "01/02/2022",
        "DATE_MATCH": "30/06/2022",
        "FOSTER_CARE": "1",
        "NB_ADOPTR": "2",
        "SEX_ADOPTR": "MF",
        "LS_ADOPTR": "L0",
    }
]
_PLACED = [
    {
        "CHILD": "K",
        "DOB": "30/06/2019",
        "DATE_PLACED": "30/06/2022",
        "DATE_PLACED_CEASED": "",
        "REASON_PLACED_CEASED": "",
    }
]


def _hand() -> Dataset:
    """The hand-built journeys with every table the modules read."""
    return dataset(
        _EPISODES,
        _HEADERS,
        oc2=_OC2,
        missing=_MISSING,
        uasc=_UASC,
        sw_episodes=_SW,
        oc3=_OC3,
        ad1=_AD1,
        placed_adoption=_PLACED,
    )


DATASETS = {"hand": _hand, "one_row": lambda: dataset([ep("A", "31/03/2024")]), "empty": Dataset}


def _ids(module: str) -> list[str]:
    from importlib import import_module

    return list(import_module(f"cppanalytics.indicators.{module}").IDS)


def _per_end(data: Dataset, ids: list[str], ends: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Each period end computed in a run of its own: results stacked, findings in order
    with repeats dropped."""
    results, found = [], []
    for d in ends:
        f = Findings()
        results.append(compute(data, d, ids=ids, la_code="E06000042", findings=f))
        found.append(f.to_frame())
    stacked = pd.concat(found, ignore_index=True).drop_duplicates().reset_index(drop=True)
    return pd.concat(results, ignore_index=True), stacked


def _same_findings(run: pd.DataFrame, plain: pd.DataFrame) -> None:
    """The same findings, row for row in order (text storage aside)."""

    def values(frame: pd.DataFrame) -> pd.DataFrame:
        out = frame.reset_index(drop=True).astype(object)
        out.columns = list(out.columns)
        return out

    assert len(run) == len(plain)
    pd.testing.assert_frame_equal(values(run), values(plain), check_exact=True)


def _all_ids() -> list[str]:
    """Every indicator of :data:`MODULES`, computed together as a run computes them."""
    return [i for module in MODULES for i in _ids(module)]


@pytest.mark.parametrize("name", DATASETS)
def test_many_ends_in_one_run_equal_each_end_on_its_own(name) -> None:
    data = DATASETS[name]()
    ids = _all_ids()
    f = Findings()
    together = compute(data, ENDS, ids=ids, la_code="E06000042", findings=f)
    results, found = _per_end(data, ids, ENDS)
    pd.testing.assert_frame_equal(together, results, check_exact=True, check_column_type=False)
    _same_findings(f.to_frame(), found)
    if name == "hand":  # about children: the cases are exercised, not empty tables
        for module in MODULES:
            rows = together[together["indicator_id"].isin(_ids(module))]
            assert rows["value"].notna().any(), module


def test_the_hand_cases_raise_repeated_findings() -> None:
    """The hand-built journeys raise findings at several ends (so skipping repeats is
    exercised above), each written once by the run."""
    f = Findings()
    compute(_hand(), ENDS, la_code="E06000042", findings=f)
    codes = f.to_frame()["code"].value_counts()
    for code in (
        "distance_unknown",
        "code_missing_breakdown",
        "oc2_missing",
        "missing_child_not_in_care",
    ):
        assert codes.get(code, 0) >= 1, code
    assert not f.to_frame().duplicated().any()


@pytest.fixture(scope="module")
def demo_slice(demo_data) -> Dataset:
    """Every table of the demo council, for one child in eight (a few hundred children)."""
    from cppanalytics.ssda903 import load

    data = load(demo_data, "E06000042", today="2026-11-28")
    children = data.tables["episodes"]["CHILD"].drop_duplicates()
    keep = set(children.iloc[::8])
    tables = {
        k: (t[t["CHILD"].isin(keep)].reset_index(drop=True) if "CHILD" in t.columns else t)
        for k, t in data.tables.items()
    }
    return Dataset.from_tables(tables, la_code=data.la_code)


def test_many_ends_of_a_demo_slice_equal_each_end_on_its_own(demo_slice) -> None:
    ends = [d.strftime("%Y-%m-%d") for d in pd.date_range("2023-09-30", "2026-06-30", freq="QE")]
    ids = _all_ids()
    f = Findings()
    together = compute(demo_slice, ends, ids=ids, findings=f)
    results, found = _per_end(demo_slice, ids, ends)
    pd.testing.assert_frame_equal(together, results, check_exact=True, check_column_type=False)
    _same_findings(f.to_frame(), found)
    assert len(found) > 10  # the slice raises findings at several ends


def test_repeats_are_skipped_only_for_the_run_collector() -> None:
    ctx = Context(Dataset(), "2024-03-31")
    rows = np.array([1, 1, 3])
    assert unreported(ctx, "x", rows, 4).tolist() == [True, True, True]
    assert unreported(ctx, "x", rows, 4).tolist() == [True, True, True]  # not marked
    mark_repeats_dropped(ctx)
    assert unreported(ctx, "x", rows, 4).tolist() == [True, True, True]
    assert unreported(ctx, "x", np.array([3, 0, 1]), 4).tolist() == [False, True, False]
    assert unreported(ctx, "y", np.array([3]), 4).tolist() == [True]  # its own record
    other = ctx.at("2024-06-30")
    other.findings = Findings()  # another collector: everything written again
    assert unreported(other, "x", np.array([3]), 4).tolist() == [True]


def _plain_counts(ctx: Context, start: pd.Timestamp, end: pd.Timestamp) -> list[int]:
    """Each child's placements overlapping ``start``..``end``, counted from the definition."""
    from cppanalytics.indicators import stability

    a = stability._arrays(ctx)
    s, e = np.datetime64(start, "ns"), np.datetime64(end, "ns")
    over = (a.placement_start <= e) & (a.placement_open | (a.placement_end >= s))
    return np.bincount(a.placement_child[over], minlength=a.n_children).tolist()


@pytest.mark.parametrize("name", DATASETS)
def test_placement_counts_of_one_sweep_equal_the_definition(name) -> None:
    from cppanalytics.indicators import stability

    base = Context(DATASETS[name](), ENDS[0])
    base.care.cache["period_ends"] = [pd.Timestamp(d) for d in ENDS]
    sweep = stability._sweep(base)
    assert sweep is not None
    for d in ENDS:
        ctx = base.at(d)
        for ind in stability._COUNTED_IN:
            for kind in (None, "fytd"):
                win = ctx.window(ind, kind)
                got = stability.placement_counts_by_code(ctx, *win)
                assert got.dtype == np.int64
                assert got.tolist() == _plain_counts(ctx, *win), (d, ind, kind)
    if name == "hand":
        assert max(max(v) for v in sweep.began.values()) >= 3  # a child with 3+ placements


def test_placement_counts_are_not_swept_when_a_placement_ends_before_it_starts() -> None:
    from cppanalytics.indicators import stability

    base = Context(_hand(), ENDS[0])
    base.care.cache["period_ends"] = [pd.Timestamp(d) for d in ENDS]
    a = stability._arrays(base)
    a.placement_end = a.placement_end.copy()
    a.placement_end[~a.placement_open] = np.datetime64("1990-01-01", "ns")
    assert stability._sweep(base) is None
    win = base.window("stability_3plus_placements")
    assert stability.placement_counts_by_code(base, *win).tolist() == _plain_counts(base, *win)


def test_care_leaver_counts_by_age_equal_the_plain_measures() -> None:
    """The per-window counts (bincounts by age) against care_leaver_measures of the cohort
    frame, at windows holding 17th-21st birthdays, 29 February ones and none."""
    from cppanalytics.indicators import care_leavers as cl

    oc3 = pd.DataFrame(
        {
            "CHILD": ["a", "b", "c", "d", "e", "f", "g"],
            "DOB": pd.to_datetime(
                [
                    "2006-03-31",
                    "2004-02-29",
                    "2003-06-30",
                    "2005-12-31",
                    None,
                    "2002-04-01",
                    "2004-01-15",
                ]
            ),
            "IN_TOUCH": ["YES", "YES", "DIED", "NO", "YES", "YES", None],
            "ACTIV": ["F1", "G4", "F2", "P1", "G5", None, "G6"],
            "ACCOM": ["Y1", "Z1", "X", "B2", "A1", "Y1", "D1"],
        }
    )
    births = cl.birthdays_table(oc3, None)
    flags = cl._row_flags(oc3)
    counted = 0.0
    for start, end in [
        ("2023-04-01", "2024-03-31"),
        ("2024-02-29", "2024-02-29"),
        ("2024-04-01", "2025-03-31"),
        ("2022-07-01", "2023-06-30"),
        ("2030-01-01", "2030-12-31"),
    ]:
        plain = cl.care_leaver_measures(cl.care_leaver_cohort(oc3, None, start, end))
        fast = cl._measure_counts(flags, births, pd.Timestamp(start), pd.Timestamp(end))
        for (measure, group), (num, den) in fast.items():
            row = plain.loc[(measure, group)]
            assert (num, den) == (row["numerator"], row["denominator"]), (start, measure, group)
            counted += num + den
    assert counted >= 10  # about young people, not empty windows
