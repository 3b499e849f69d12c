"""Episodes prepared while the rest of the data loads (``EarlyPreparation``, the loader's
``episodes_ready``), and the header's latest rows taken as soon as it is built (the
loader's ``header_ready``), give the building blocks and the results of making them later."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cppanalytics.care import prepared
from cppanalytics.care.prepared import EarlyPreparation, prepare_care, prepare_episodes
from cppanalytics.ssda903 import loader
from cppanalytics.ssda903.cache import load_cached
from cppanalytics.ssda903.dataset import Dataset
from tests.care.build import ep, hdr
from tests.typed_dataset import from_tables

TODAY = "2026-11-28"
RULES = [
    {},
    {"temporary_placements_continue": False},
    {"adoption_with_current_carer_continues": False, "ffa_counts_as_new_placement": False},
]


def _hand_dataset() -> Dataset:
    """Hand cases: a short-break (V3) child, a same-day chain, a temporary placement
    (T0) between two fostering spells, a re-entry, adoption by the foster carers (A3 after
    U4 with the same postcode) and a child with no Header row."""
    rows = [
        ep("1", "01/04/2023", "03/04/2023", "E8", ls="V3"),
        ep("2", "01/04/2023", "10/04/2023", "X1"),
        ep("2", "10/04/2023", "10/04/2023", "X1", rne="P", place="U5"),
        ep("2", "10/04/2023", "", rne="P", place="U6"),
        ep("3", "01/05/2023", "01/06/2023", "X1"),
        ep("3", "01/06/2023", "15/06/2023", "X1", rne="T", place="T0"),
        ep("3", "15/06/2023", "", rne="T", place="U4"),
        ep("4", "01/04/2022", "01/10/2022", "E13"),
        ep("4", "01/02/2023", "", rne="S"),
        ep("5", "01/04/2022", "01/01/2024", "X1", place="U4"),
        ep("5", "01/01/2024", "01/06/2024", "E11", rne="P", ls="E1", place="A3"),
        ep("6", "05/05/2024", ""),
    ]
    headers = [hdr(c, "2015-01-01") for c in "12345"]
    return from_tables({"episodes": pd.DataFrame(rows), "header": pd.DataFrame(headers)})


def _assert_same_care(got: prepared.CareData, want: prepared.CareData) -> None:
    for field in ("episodes", "periods", "placements", "header", "findings"):
        pd.testing.assert_frame_equal(getattr(got, field), getattr(want, field), check_exact=True)
    assert got.rules == want.rules
    if want.child_runs is None:
        assert got.child_runs is None
    else:
        assert got.child_runs is not None
        assert got.child_runs.tolist() == want.child_runs.tolist()


@pytest.mark.parametrize("rules", RULES)
def test_early_episodes_give_the_same_building_blocks(rules: dict[str, bool]) -> None:
    data = _hand_dataset()
    early = EarlyPreparation(**rules)
    early(data.episodes)
    assert early.prepared is not None
    got = prepare_care(data, **rules, early=early.prepared)
    assert got.episodes is early.prepared.episodes  # used, not made again
    _assert_same_care(got, prepare_care(data, **rules))


def test_early_episodes_with_the_loaders_codes_give_the_same_building_blocks() -> None:
    """CHILD codes handed over (sorting as the texts, -1 blank) instead of worked out."""
    data = _hand_dataset()
    text = data.episodes["CHILD"].astype(object)
    codes = pd.factorize(text, sort=True)[0] * 7 + 3  # (any integers in the texts' order)
    codes[text.isna().to_numpy()] = -1
    early = EarlyPreparation()
    early(data.episodes, codes)
    assert early.prepared is not None
    _assert_same_care(prepare_care(data, early=early.prepared), prepare_care(data))


def test_early_episodes_of_another_table_or_other_rules_are_not_used() -> None:
    """Prepared from an equal copy of the table, or under other rules: prepared again."""
    data = _hand_dataset()
    copy = prepare_episodes(data.episodes.copy())
    got = prepare_care(data, early=copy)
    assert got.episodes is not copy.episodes
    _assert_same_care(got, prepare_care(data))
    other = prepare_episodes(data.episodes, temporary_placements_continue=False)
    got = prepare_care(data, early=other)
    assert got.episodes is not other.episodes
    _assert_same_care(got, prepare_care(data))


def test_preparing_early_leaves_the_episodes_table_unchanged() -> None:
    data = _hand_dataset()
    before = data.episodes.copy()
    EarlyPreparation()(data.episodes)
    pd.testing.assert_frame_equal(data.episodes, before, check_exact=True)


def test_a_failure_is_left_to_the_later_preparation(monkeypatch: pytest.MonkeyPatch) -> None:
    """A preparation that raises: nothing prepared early (nothing raised there), and the
    later preparation raises the error where the run needs the building blocks."""
    data = _hand_dataset()

    def broken(*args: object, **kwargs: object) -> object:
        raise ValueError("periods broke")

    monkeypatch.setattr(prepared, "add_periods", broken)
    early = EarlyPreparation()
    early(data.episodes)
    assert early.prepared is None
    with pytest.raises(ValueError, match="periods broke"):
        prepare_care(data, early=early.prepared)


def _years_header() -> Dataset:
    """A header over three collection years, out of year order: child 1 changes SEX
    (2024's row is the latest), child 2 appears twice in 2023 (the later row wins), child
    3 only in 2022, and a row with no CHILD (never kept)."""
    rows = [
        {**hdr("1", "2015-01-01", sex="2"), "YEAR": 2024},
        {**hdr("2", "2016-02-02", sex="1"), "YEAR": 2023},
        {**hdr("1", "2015-01-01", sex="1"), "YEAR": 2023},
        {**hdr("3", "2014-03-03"), "YEAR": 2022},
        {**hdr("2", "2016-02-02", sex="2"), "YEAR": 2023},
        {**hdr(None, "2013-04-04"), "YEAR": 2024},  # type: ignore[arg-type]
    ]
    episodes = [ep(c, "01/04/2023", "") for c in "123"]
    frame = pd.DataFrame(rows)
    frame["YEAR"] = frame["YEAR"].astype("Int64")
    return from_tables({"episodes": pd.DataFrame(episodes), "header": frame})


def _header_codes(header: pd.DataFrame) -> np.ndarray:
    """Each row's CHILD as an integer equal exactly when the texts are (in no particular
    order), -1 for none: as the loader gives them."""
    codes = pd.factorize(header["CHILD"].astype(object))[0] * 5 + 2
    codes[header["CHILD"].isna().to_numpy()] = -1
    return codes


def test_the_early_header_is_the_latest_rows() -> None:
    """Taken on the loader's codes: the rows and order of the latest rows of the text."""
    data = _years_header()
    early = EarlyPreparation()
    early(data.episodes)
    early.header_ready(data.header, _header_codes(data.header))
    got = early.prepared
    assert got is not None and got.header is not None
    assert got.header["SEX"].tolist() == ["1", "2", "2"]  # (children 3, 2, 1: year order)
    assert got.header["CHILD"].tolist() == ["3", "2", "1"]
    care = prepare_care(data, early=got)
    assert care.header is got.header  # used, not made again
    _assert_same_care(care, prepare_care(data))


def test_an_early_header_of_another_table_or_a_failed_one_is_not_used() -> None:
    """Taken from an equal copy of the header: taken again; codes that do not fit (the
    latest rows raise): nothing kept, the episodes still prepared."""
    data = _years_header()
    early = EarlyPreparation()
    early(data.episodes)
    early.header_ready(data.header.copy(), _header_codes(data.header))
    held = early.prepared
    assert held is not None and held.header is not None
    care = prepare_care(data, early=held)
    assert care.header is not held.header
    _assert_same_care(care, prepare_care(data))
    early.header_ready(data.header, np.array([0, 1]))  # (six rows)
    assert early.prepared is not None and early.prepared.header is None
    _assert_same_care(prepare_care(data, early=early.prepared), prepare_care(data))


def test_a_header_without_prepared_episodes_gives_nothing() -> None:
    data = _years_header()
    early = EarlyPreparation()
    early.header_ready(data.header, _header_codes(data.header))
    assert early.prepared is None


@pytest.mark.parametrize("side_by_side", [False, True])
def test_the_loader_gives_the_episodes_the_dataset_holds(
    demo_data: Path, monkeypatch: pytest.MonkeyPatch, side_by_side: bool
) -> None:
    """``episodes_ready`` is called once, with the very episodes table the dataset holds
    (tables built in turn, or side by side on two threads), and the dataset is the one
    loaded without it."""
    monkeypatch.setattr(loader, "_SIDE_BY_SIDE_ROWS", 0 if side_by_side else 10**12)
    monkeypatch.setattr(loader, "read_workers", lambda: 2)
    given: list[tuple[pd.DataFrame, np.ndarray | None, str]] = []
    headers: list[tuple[pd.DataFrame, np.ndarray | None, str]] = []

    def ready(episodes: pd.DataFrame, codes: np.ndarray | None) -> None:
        given.append((episodes, codes, threading.current_thread().name))

    def header_ready(header: pd.DataFrame, codes: np.ndarray | None) -> None:
        headers.append((header, codes, threading.current_thread().name))

    data = loader.load(
        demo_data, "E06000042", today=TODAY, episodes_ready=ready, header_ready=header_ready
    )
    assert len(given) == 1 and len(headers) == 1
    header, header_codes, header_thread = headers[0]
    assert header is data.header
    assert (header_thread != threading.main_thread().name) is side_by_side
    # the header's CHILD codes are equal exactly when the texts are, -1 blank
    assert header_codes is not None and len(header_codes) == len(header)
    text = header["CHILD"].astype(object)
    assert ((header_codes < 0) == text.isna().to_numpy()).all()
    assert pd.factorize(header_codes)[0].tolist() == pd.factorize(text)[0].tolist()
    episodes, codes, thread = given[0]
    assert episodes is data.episodes
    assert (thread != threading.main_thread().name) is side_by_side
    # the CHILD codes sort as the texts do, are equal exactly when they are, -1 blank
    assert codes is not None and len(codes) == len(episodes)
    text = episodes["CHILD"].astype(object)
    blank = text.isna().to_numpy()
    assert ((codes < 0) == blank).all()
    want = pd.factorize(text[~blank], sort=True)[0]
    assert pd.factorize(codes[~blank], sort=True)[0].tolist() == want.tolist()
    plain = loader.load(demo_data, "E06000042", today=TODAY)
    for name, table in plain.tables.items():
        pd.testing.assert_frame_equal(data.tables[name], table, check_exact=True)
    pd.testing.assert_frame_equal(data.findings, plain.findings, check_exact=True)


def test_a_dataset_read_from_the_cache_is_not_given(demo_data: Path, tmp_path: Path) -> None:
    calls: list[pd.DataFrame] = []
    first = load_cached(demo_data, "E06000042", today=TODAY, cache_dir=tmp_path)
    again = load_cached(
        demo_data,
        "E06000042",
        today=TODAY,
        cache_dir=tmp_path,
        episodes_ready=lambda episodes, codes: calls.append(episodes),
    )
    assert calls == []
    pd.testing.assert_frame_equal(again.episodes, first.episodes, check_exact=True)


@pytest.mark.parametrize("parallel", [False, True])
def test_computing_from_early_episodes_gives_the_same_results(
    demo_data: Path, parallel: bool
) -> None:
    """The whole catalogue at two quarter ends, on one process or two, from episodes
    prepared while loading: the results and findings of preparing them in the run."""
    from cppanalytics.findings import Findings
    from cppanalytics.indicators import compute

    def run(early: EarlyPreparation | None) -> tuple[pd.DataFrame, pd.DataFrame]:
        data = load_cached(
            demo_data,
            "E06000042",
            today=TODAY,
            use_cache=False,
            episodes_ready=early,
            header_ready=early.header_ready if early is not None else None,
        )
        found = Findings()
        results = compute(
            data,
            ["2024-12-31", "2025-03-31"],
            la_code="E06000042",
            findings=found,
            parallel=parallel,
            prepared=early.prepared if early is not None else None,
        )
        return results, found.to_frame()

    early = EarlyPreparation()
    got = run(early)
    assert early.prepared is not None and early.prepared.header is not None
    want = run(None)
    pd.testing.assert_frame_equal(got[0], want[0], check_exact=True)
    pd.testing.assert_frame_equal(got[1], want[1], check_exact=True)


def test_the_command_prepares_the_episodes_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The ``indicators`` command prepares the episodes while loading and computes from
    them: prepared once, not again in the computation."""
    from cppanalytics.cli import main
    from tests.cli.demo_run import demo_indicators_argv

    calls: list[int] = []
    original = prepared.prepare_episodes

    def counted(
        episodes: pd.DataFrame, child_codes: np.ndarray | None = None, **rules: bool
    ) -> prepared.PreparedEpisodes:
        calls.append(len(episodes))
        return original(episodes, child_codes, **rules)

    monkeypatch.setattr(prepared, "prepare_episodes", counted)
    assert main(demo_indicators_argv(tmp_path)) == 0
    assert len(calls) == 1 and calls[0] > 0
