"""The public entry point: ids, windows, period ends, contract, findings."""

from __future__ import annotations

import pandas as pd
import pytest

import cppanalytics
from cppanalytics.errors import CppError
from cppanalytics.findings import Findings
from cppanalytics.indicators import compute
from cppanalytics.indicators.catalogue import BREAKDOWN_GROUPS, CATALOGUE
from cppanalytics.results import RESULT_COLUMNS
from tests.care.build import dataset, ep, nums, value

D = "2024-03-31"


def small():
    return dataset([ep("A", "01/01/2023"), ep("B", "01/02/2024", "01/03/2024", "E4A")])


def test_unknown_ids_and_windows_raise_clear_errors():
    with pytest.raises(CppError, match="unknown indicator id.*nope"):
        compute(small(), D, ids=["cla_count", "nope"])
    with pytest.raises(CppError, match="unknown window kind in cla_started=weekly"):
        compute(small(), D, windows={"cla_started": "weekly"})
    with pytest.raises(CppError, match="not a date"):
        compute(small(), "31st March")


def test_full_catalogue_contract_and_every_group():
    r = compute(small(), D, la_code="E06000042")
    assert list(r.columns) == RESULT_COLUMNS
    engine = {"population", "stability", "location", "adoption"}
    for iid, ind in CATALOGUE.items():
        if ind.section in engine:
            assert iid in set(r["indicator_id"]), iid
        if ind.breakdown and ind.section in engine:
            groups = r.loc[r["indicator_id"] == iid, "group"].tolist()
            assert groups == BREAKDOWN_GROUPS[ind.breakdown], iid


def test_many_period_ends_stacked_and_windows_override():
    r = compute(
        small(),
        ["2024-03-31", "2023-12-31"],
        ids=["cla_count", "cla_started"],
        windows={"cla_started": "q"},
    )
    assert r["period_end"].dt.strftime("%Y-%m-%d").tolist() == [
        "2023-12-31",
        "2023-12-31",
        "2024-03-31",
        "2024-03-31",
    ]
    last = r[r["period_end"] == pd.Timestamp(D)]
    assert nums(last, "cla_started")[0] == 1  # B started 01/02/2024, in Q4
    assert value(last, "cla_started")["window_start"] == pd.Timestamp("2024-01-01")
    assert cppanalytics.compute is compute


def test_findings_written_once_across_period_ends():
    ds = dataset([ep("A", "01/01/2020", "01/06/2020", "X1"), ep("A", "10/06/2020")])
    f = Findings()
    compute(ds, ["2023-03-31", "2024-03-31"], ids=["cla_count"], findings=f)
    assert f.to_frame()["code"].tolist() == ["x1_chain_broken"]


def test_results_carry_their_window_kind():
    # at 30/06/2024 stability_3plus_placements is written for r12 and fytd, cla_count at
    # the date, cla_started since 1 April; at 31/03/2024 r12 and fytd coincide: one row, r12
    ds = dataset([ep("A", "01/01/2023"), ep("B", "01/05/2024")])
    r = compute(
        ds,
        ["2024-03-31", "2024-06-30"],
        ids=["stability_3plus_placements", "cla_count", "cla_started"],
    )
    got = {
        (i, str(p.date()), w)
        for i, p, w in zip(r["indicator_id"], r["period_end"], r["window"], strict=True)
    }
    assert got == {
        ("stability_3plus_placements", "2024-03-31", "r12"),
        ("stability_3plus_placements", "2024-06-30", "r12"),
        ("stability_3plus_placements", "2024-06-30", "fytd"),
        ("cla_count", "2024-03-31", "point"),
        ("cla_count", "2024-06-30", "point"),
        ("cla_started", "2024-03-31", "fytd"),
        ("cla_started", "2024-06-30", "fytd"),
    }


def test_a_window_override_is_named_and_local_measures_get_a_kind(tmp_path):
    # at 30/09/2024 the quarter (01/07-30/09) is no other window; at 30/06 it would be the
    # year to date, and the default (fytd) is named
    ds = dataset([ep("A", "01/01/2023")])
    r = compute(ds, ["2024-06-30", "2024-09-30"], ids=["cla_started"], windows={"cla_started": "q"})
    assert r["window"].tolist() == ["fytd", "q"]
    path = tmp_path / "local.csv"
    path.write_text(
        "indicator_id,period_end,window_start,value\n"
        "return_interviews,2024-06-30,,80\n"
        "return_interviews,2024-06-30,2024-04-01,80\n"
        "return_interviews,2024-06-30,2024-05-15,80\n"
    )
    from cppanalytics.results import read_results

    assert read_results(path)["window"].tolist() == ["point", "fytd", "days:46"]
