"""Every council at once: pooled LIIA files and council folders match per-council runs."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from cppanalytics.cli import main
from cppanalytics.errors import CppError
from cppanalytics.indicators import compute
from cppanalytics.indicators.councils import compute_councils, council_folders
from cppanalytics.ssda903 import load

TODAY = "2026-11-01"
ENDS = ["2024-12-31", "2025-03-31"]
YEARS = ("2023-24", "2024-25")
#: three councils: (ONS code, how the pooled LA column writes it, CHILD prefix)
COUNCILS = [
    ("E06000042", "826", "A"),
    ("E09000002", "e09000002", "B"),
    ("E10000002", "E10000002", "C"),
]


def _pooled(demo: Path, out: Path) -> Path:
    """The demo council's two years written three times as one pooled file per table."""
    tables: dict[str, list[pd.DataFrame]] = {}
    for year in YEARS:
        for f in sorted((demo / year).glob("*.csv")):
            frame = pd.read_csv(f, dtype=str, keep_default_na=False)
            for _code, written, prefix in COUNCILS:
                part = frame.copy()
                part["CHILD"] = prefix + part["CHILD"]
                part["LA"] = written
                part["YEAR"] = "20" + year[-2:]
                tables.setdefault(f.name, []).append(part)
    out.mkdir(parents=True)
    for name, parts in tables.items():
        pd.concat(parts, ignore_index=True).to_csv(out / f"SSDA903_{name}", index=False)
    return out


def _one(path: Path, code: str) -> pd.DataFrame:
    data = load(path, la_code=code, today=TODAY)
    return compute(data, ENDS, la_code=code)


@pytest.fixture(scope="module")
def pooled(demo_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _pooled(demo_data, tmp_path_factory.mktemp("liia") / "pooled")


def test_pooled_all_councils_match_per_council_runs(pooled: Path) -> None:
    results, findings = compute_councils(pooled, ENDS, workers=1, today=TODAY)
    assert results["la_code"].unique().tolist() == [c for c, _, _ in COUNCILS]
    for code, _, _ in COUNCILS:
        mine = results[results["la_code"] == code].drop(columns="la_code")
        pd.testing.assert_frame_equal(mine.reset_index(drop=True), _one(pooled, code))
    # the councils are copies of one another: their own counts agree (nothing leaked across);
    # figures that depend on the council's area (in/out of area, distance) may differ
    cla = results[(results["indicator_id"] == "cla_count") & (results["breakdown"] == "total")]
    assert cla.groupby("period_end")["value"].nunique().eq(1).all()
    assert (cla["value"] > 100).all()
    # no council's findings name another council's children
    for code, _, prefix in COUNCILS:
        kids = findings.loc[(findings["la_code"] == code) & (findings["child"] != ""), "child"]
        assert kids.str.startswith(prefix).all()


def test_council_folders_on_a_local_dask_cluster(demo_data: Path, tmp_path: Path) -> None:
    root = tmp_path / "councils"
    for folder in ("826", "E09000002"):  # old 3-digit and ONS codes as folder names
        for year in YEARS:
            shutil.copytree(demo_data / year, root / folder / year)
    assert list(council_folders(root)) == ["E06000042", "E09000002"]
    results, _ = compute_councils(root, ENDS, workers=2, today=TODAY)
    for folder, code in (("826", "E06000042"), ("E09000002", "E09000002")):
        mine = results[results["la_code"] == code].drop(columns="la_code")
        pd.testing.assert_frame_equal(
            mine.reset_index(drop=True), _one(root / folder, code), check_exact=True
        )


def test_two_folders_for_one_council_are_refused(tmp_path: Path) -> None:
    (tmp_path / "826").mkdir()
    (tmp_path / "E06000042").mkdir()
    with pytest.raises(CppError, match="both council E06000042"):
        council_folders(tmp_path)


def test_cli_all_councils(pooled: Path, tmp_path: Path) -> None:
    out = tmp_path / "all.csv"
    status = main(
        [
            "indicators",
            "--data",
            str(pooled),
            "--all-councils",
            "--workers",
            "1",
            "--period-end",
            ENDS[-1],
            "--out",
            str(out),
            "--no-cache",
        ]
    )
    assert status == 0
    written = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert written.columns[0] == "la_code"
    assert sorted(written["la_code"].unique()) == [c for c, _, _ in COUNCILS]
    found = pd.read_csv(out.with_name("all_findings.csv"), dtype=str, keep_default_na=False)
    assert found.columns[0] == "la_code"


def test_no_council_column_is_a_plain_error(demo_data: Path, tmp_path: Path) -> None:
    shutil.copytree(demo_data / "2024-25", tmp_path / "one" / "2024-25")
    status = main(
        [
            "indicators",
            "--data",
            str(tmp_path / "one"),
            "--all-councils",
            "--period-end",
            "2025-03-31",
            "--out",
            str(tmp_path / "x.csv"),
        ]
    )
    assert status == 2


def test_each_councils_rows_are_those_its_la_column_names(pooled: Path, tmp_path: Path) -> None:
    """Splitting pooled files by council reads the LA column once: each council gets exactly
    the rows a plain comparison picks (its code in any spelling, and blank LA rows), in file
    order; a council not in the files gets only the blank-LA rows."""
    from cppanalytics.ssda903.loader import council_keys, read_extract

    episodes = pooled / "SSDA903_episodes.csv"
    frame = pd.read_csv(episodes, dtype=str, keep_default_na=False)
    frame.loc[frame.index % 97 == 0, "LA"] = ""  # a few rows with no council
    frame.loc[frame.index % 89 == 0, "LA"] = " 826 "  # padded old code
    mixed = tmp_path / "mixed"
    shutil.copytree(pooled, mixed)
    frame.to_csv(mixed / "SSDA903_episodes.csv", index=False)
    extract = read_extract([mixed], today=TODAY)
    codes = [c for c, _, _ in COUNCILS] + ["E06000001"]
    split = extract.by_council(codes)
    for code in codes:
        want = council_keys(pd.Series([code])).iloc[0]
        for part, got in zip(extract.parts, split[code].parts, strict=True):
            if "_LA" not in part.frame.columns:
                assert got.frame is part.frame or got.frame.equals(part.frame)
                continue
            keys = council_keys(part.frame["_LA"])
            plain = part.frame.loc[(keys == "") | (keys == want)].reset_index(drop=True)
            pd.testing.assert_frame_equal(got.frame, plain)
    blank = split["E06000001"].parts
    assert all((p.frame["_LA"].str.strip() == "").all() for p in blank if "_LA" in p.frame.columns)
    assert sum(len(p.frame) for p in blank) > 0  # the blank-LA episode rows


def test_building_council_by_council_keeps_no_council_behind(pooled: Path) -> None:
    """The values typed once for every council are shared, and so are their sort ranks:
    building a further council adds nothing to them. The 150-council benchmark ran out of
    memory when each council's build ranked a fresh copy of the pooled values and kept it."""
    from cppanalytics.ssda903.loader import build_dataset, read_extract

    extract = read_extract([pooled], today=TODAY)
    codes = [c for c, _, _ in COUNCILS]
    split = extract.by_council(codes)
    held = []
    for code in codes:
        build_dataset(split[code], code)
        shared = extract.typed
        held.append((len(shared.ranked), len(shared.factorized), len(shared.held)))
    assert held[0] == held[-1], held  # nothing grows with the number of councils built


def test_a_council_built_from_pooled_files_matches_children_without_hashing_ids(
    pooled: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every table of a council built from pooled files holds its CHILD ids as codes into
    one shared array of distinct ids, so the cross-table checks match children on those
    codes and hash no id text. The 150-council benchmark slowed threefold when each table
    took its own copy of the pooled ids (every council's build then hashed every council's
    ids once per table)."""
    from cppanalytics.ssda903 import checks
    from cppanalytics.ssda903.loader import build_dataset, read_extract

    extract = read_extract([pooled], today=TODAY)
    code = COUNCILS[0][0]
    council = extract.by_council([code])[code]
    seen: list[int] = []
    real = checks._coded_child_codes

    def spy(coded: list[tuple]) -> list:
        seen.append(len({id(values) for _, values in coded}))
        return real(coded)

    def refuse(values: pd.Series) -> None:
        raise AssertionError("CHILD ids hashed to match children across tables")

    monkeypatch.setattr(checks, "_coded_child_codes", spy)
    monkeypatch.setattr(checks, "factorize_text", refuse)
    data = build_dataset(council, code)
    assert seen == [1]  # one array of distinct ids shared by every table
    assert len(data.tables["episodes"]) and len(data.tables["header"])


def test_a_council_sent_to_a_worker_carries_only_its_own_values(pooled: Path) -> None:
    """A council split from pooled files is sent to a Dask worker with each column's
    distinct values cut to its own (the worker would otherwise type every council's values
    again for each council), the same text in every cell, and builds the same dataset."""
    from cppanalytics.indicators.councils import _sent, plan
    from cppanalytics.ssda903.loader import build_dataset

    jobs = plan([pooled], pd.Timestamp(TODAY))
    assert len(jobs) == len(COUNCILS)
    for job in jobs:
        sent = _sent(job)
        assert sent.extract is not None and job.extract is not None
        assert not sent.extract.typed.held  # typed afresh on the worker, own values only
        dtypes: dict[str, pd.CategoricalDtype] = {}
        cut = 0
        for before, after in zip(job.extract.parts, sent.extract.parts, strict=True):
            for col, dtype in after.frame.dtypes.items():
                if not isinstance(dtype, pd.CategoricalDtype):
                    continue
                used = {
                    v
                    for p in sent.extract.parts
                    if col in p.frame.columns
                    for v in p.frame[col].dropna().unique()
                }
                assert set(dtype.categories) == used, (job.la_code, col)
                assert dtypes.setdefault(str(col), dtype) is dtype  # still one per column
                cut += len(before.frame[col].cat.categories) - len(dtype.categories)
                pd.testing.assert_series_equal(
                    after.frame[col].astype(object), before.frame[col].astype(object)
                )
        assert cut > 0  # the other councils' values were left behind
        here = build_dataset(job.extract, job.la_code)
        there = build_dataset(sent.extract, job.la_code)
        for name, table in here.tables.items():
            pd.testing.assert_frame_equal(there.tables[name], table)
        pd.testing.assert_frame_equal(there.findings, here.findings)


def _plain_select(parts: list, la_code: str | None) -> tuple[list[list[str]], str | None, list]:
    """The council kept from pooled parts, row by row: every row naming a council (by its
    key) is remembered as written, the last row winning; rows of another council go."""
    from cppanalytics.ssda903.loader import council_keys

    las: dict[str, str] = {}
    for frame in parts:
        for value in frame["_LA"]:
            written = value.strip() if isinstance(value, str) else value
            key = council_keys(pd.Series([written], dtype=object)).iloc[0]
            if key != "":
                las[key] = written
    if la_code is None:
        return [list(f["CHILD"]) for f in parts], (next(iter(las.values())) if las else None), []
    want = council_keys(pd.Series([la_code])).iloc[0]
    kept, other = [], []
    for frame in parts:
        rows = []
        for child, value in zip(frame["CHILD"], frame["_LA"], strict=True):
            written = value.strip() if isinstance(value, str) else value
            key = council_keys(pd.Series([written], dtype=object)).iloc[0]
            if written != "" and key != want:
                other.append((child, written if isinstance(written, str) else ""))
            else:
                rows.append(child)
        kept.append(rows)
    return kept, la_code, other


@pytest.mark.parametrize("categorical", [True, False])
@pytest.mark.parametrize("la_code", [None, "E06000042", "826", "e09000001"])
def test_keeping_one_council_on_distinct_values_is_keeping_it_row_by_row(
    categorical: bool, la_code: str | None
) -> None:
    """Councils are told apart on the distinct LA values (not each row's text): the same
    rows kept, the same 'other council' findings with the same values, the same council
    named when none is asked for (as written on the last row naming it)."""
    from cppanalytics.ssda903.loader import _select_council
    from cppanalytics.ssda903.readers import RawTable, SourceFile

    one = [" 826", "E06000042", "", "e06000042 ", None, "826"]
    many = ["E06000042", "E09000001 ", "", "X1", None, "826", " 720"]
    for values in (one, many):
        frames = [
            pd.DataFrame({"CHILD": [f"c{i}" for i in range(len(values))], "_LA": values}),
            pd.DataFrame({"CHILD": ["d0", "d1"], "_LA": ["e06000042", ""]}),
        ]
        if categorical:
            for frame in frames:
                frame["_LA"] = frame["_LA"].astype("category")
        source = SourceFile(Path("pooled.csv"), Path("."))
        parts = [
            RawTable(
                "episodes", f.assign(source_file="pooled.csv", source_row=range(len(f))), source
            )
            for f in frames
        ]
        plain = [f.assign(_LA=f["_LA"].astype(object)) for f in frames]
        if la_code is None and values is many:
            with pytest.raises(CppError, match="hold data for 4 councils"):
                _select_council(parts, la_code, [])
            continue
        batch: list[pd.DataFrame] = []
        kept, found = _select_council(parts, la_code, batch)
        want_rows, want_code, want_other = _plain_select(plain, la_code)
        assert [list(p.frame["CHILD"]) for p in kept] == want_rows
        assert found == want_code
        findings = pd.concat(batch) if batch else pd.DataFrame()
        if want_other:
            assert (findings["code"] == "other_council").all()
            assert findings["value"].tolist() == [w for _, w in want_other]
        else:
            assert findings.empty or not len(findings)


def test_dask_run_prints_no_progress_lines_of_its_own(pooled: Path, tmp_path: Path) -> None:
    """On local Dask workers, an ordinary or quiet run prints none of Dask's own INFO lines
    (scheduler started, workers registered, dashboard address ...)."""
    import subprocess
    import sys

    out = tmp_path / "all.csv"
    run = subprocess.run(
        [
            *(sys.executable, "-m", "cppanalytics", "indicators", "--data", str(pooled)),
            *("--all-councils", "--workers", "2", "--period-end", ENDS[-1]),
            *("--out", str(out), "--no-cache", "-q"),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr
    assert "INFO" not in run.stderr, run.stderr
    assert sorted(pd.read_csv(out, dtype=str)["la_code"].unique()) == [c for c, _, _ in COUNCILS]


def test_local_dask_workers_listen_on_this_machine_only() -> None:
    """The local cluster's scheduler, workers and status pages listen on 127.0.0.1 at
    ports the system picks: none on the network, none on Dask's fixed 8787 (distributed
    starts its status pages even when told not to)."""
    from urllib.parse import urlparse

    from cppanalytics.indicators.councils import local_cluster

    with local_cluster(1) as cluster:
        addresses = [cluster.scheduler_address, *cluster.scheduler_info["workers"]]
        assert all(a.startswith("tcp://127.0.0.1:") for a in addresses), addresses
        page = urlparse(cluster.dashboard_link)
        assert page.hostname == "127.0.0.1" and page.port != 8787, cluster.dashboard_link
