"""The tests' dataset builders (:mod:`tests.typed_dataset`) give exactly the Dataset that
``Dataset.from_tables`` gives, so the rule and case-table tests test what they did."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from cppanalytics.ssda903.dataset import TABLES, Dataset
from tests.care import build as care
from tests.case_tables import builders as cb
from tests.ssda903 import rule_cases as rc
from tests.ssda903.test_dfe_rules import CASES
from tests.typed_dataset import from_tables


def _assert_same(got: Dataset, want: Dataset) -> None:
    for field in dataclasses.fields(Dataset):
        a, b = getattr(got, field.name), getattr(want, field.name)
        if isinstance(b, pd.DataFrame):
            pd.testing.assert_frame_equal(a, b, check_exact=True)
        elif field.name == "tables":
            assert list(a) == list(b)  # the same tables, in the same order
            for name in b:
                pd.testing.assert_frame_equal(a[name], b[name], check_exact=True, obj=name)
                assert a[name].dtypes.map(str).tolist() == b[name].dtypes.map(str).tolist()
                storage = [getattr(t, "storage", None) for t in b[name].dtypes]
                assert [getattr(t, "storage", None) for t in a[name].dtypes] == storage
        else:
            assert a == b, field.name


#: rule cases naming each table at least once, several years, one with a council code
_RULES = [c for c in CASES if c.extra] + [
    next(c for c in CASES if name in c.bad) for name in TABLES if any(name in c.bad for c in CASES)
]


@pytest.mark.parametrize("case", _RULES, ids=lambda c: c.id)
def test_rule_case_datasets_are_from_tables(case: rc.Case) -> None:
    for rows in (case.bad, case.good):
        want = Dataset.from_tables(rc.frames(rows, case.year), **case.extra)
        _assert_same(rc.dataset(rows, case.year, **case.extra), want)


def test_case_table_and_care_datasets_are_from_tables() -> None:
    rows = {
        "oc3": [cb.oc3("A", "01/01/2005", 2024)],
        "missing": [cb.miss("A", "M", "01/05/2023", "02/05/2023")],
    }
    eps = [cb.ep("A", "01/04/2023"), cb.ep("É1", "01/05/2023")]
    frames = {
        "episodes": cb._frame("episodes", eps),
        "header": cb._frame("header", [cb.hdr("A"), cb.hdr("É1")]),
        **{k: cb._frame(k, v) for k, v in rows.items()},
    }
    _assert_same(
        cb.dataset(eps, **rows, la_code="E06000042"),
        Dataset.from_tables(frames, la_code="E06000042"),
    )
    journeys = [care.ep("A", "01/01/2023"), care.ep("B", "01/02/2023", "30/06/2023", "X1")]
    want = Dataset.from_tables(
        {
            "episodes": pd.DataFrame(journeys),
            "header": pd.DataFrame([care.hdr("A", "01/01/2015"), care.hdr("B", "01/01/2015")]),
        }
    )
    _assert_same(care.dataset(journeys), want)


def test_nothing_given_is_the_empty_dataset() -> None:
    _assert_same(from_tables({}), Dataset.from_tables({}))


def test_a_changed_table_changes_no_other_dataset() -> None:
    first = from_tables({})
    # one dataset's empty tables changed in place
    first.tables["oc2"].insert(0, "NEW", [])
    del first.tables["episodes"]["CHILD"]
    _assert_same(from_tables({}), Dataset.from_tables({}))


def test_unknown_tables_are_refused_as_from_tables_refuses_them() -> None:
    with pytest.raises(KeyError, match="unknown 903 table"):
        from_tables({"episodez": pd.DataFrame()})
