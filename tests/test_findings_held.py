"""Findings held as arrays give exactly what the same findings built as a frame give.

The superseded rows of a large extract are held as arrays (:class:`FindingArrays`) and
counted from them for the findings CSV; a frame is made only when every finding is read.
Each case here compares the held path with the plain one (the same findings built as a
frame at once and collected as frames): the full frame, both CSV summaries, the counts,
the bytes of the written CSV, a dataset's findings and its cached copy.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cppanalytics.findings import (
    FINDING_COLUMNS,
    FindingArrays,
    Findings,
    as_frame,
    normalise_findings,
    summarise_findings,
)
from cppanalytics.ssda903 import load
from cppanalytics.ssda903.cache import load_cached
from cppanalytics.ssda903.dataset import Dataset
from cppanalytics.ssda903.stitch import stitch_years, stitch_years_held
from cppanalytics.string_storage import python_strings
from cppanalytics.writing import write_csv
from tests.ssda903.builders import TODAY, ep, episodes, hd, header, write_set
from tests.ssda903.test_stitch_findings_fast import _header, plain_stitch_years

#: text a spreadsheet would run as a formula, quoting and line breaks, non-ASCII
HOSTILE = ["=1+2", "+44", "-3", "@SUM(A1)", '"q",x', "tab\tcr\r", "日本", '=HYPERLINK("x")']


def _plain(parts: list) -> Findings:
    """The same findings collected as frames (each held batch made a frame first)."""
    out = Findings()
    for part in parts:
        out.extend(as_frame(part))
    return out


def _held(parts: list) -> Findings:
    out = Findings()
    for part in parts:
        out.extend(part)
    return out


def _same_collectors(held: Findings, plain: Findings) -> None:
    assert len(held) == len(plain) and held.counts() == plain.counts()
    for detail in ("summary", "all"):
        pd.testing.assert_frame_equal(held.summary(detail), plain.summary(detail), check_exact=True)
    pd.testing.assert_frame_equal(held.to_frame(), plain.to_frame(), check_exact=True)


def _superseding_header(children: list, years: list, files: list | None = None) -> pd.DataFrame:
    table = _header(children, years)
    if files is not None:
        with python_strings():
            table["source_file"] = pd.array(files, dtype="string")
    return table


def _cases() -> list[pd.DataFrame]:
    return [
        # one child in three years: two rows superseded, each naming its own pair of years
        _superseding_header(["1", "1", "1"], [2022, 2023, 2024]),
        # several children and years, files interleaved in key order, unknown years
        _superseding_header(
            ["b", "a", "b", "a", "c", "c", "a", "d", "d", "e", "e"],
            [2022, 2022, 2024, 2023, None, 2023, 2024, 2022, 2024, 2023, 2024],
        ),
        # hostile text in CHILD and in file names; a missing file name
        _superseding_header(
            [*HOSTILE, *HOSTILE],
            [2023] * len(HOSTILE) + [2024] * len(HOSTILE),
            [*HOSTILE[::-1], None] + ["later.csv"] * (2 * len(HOSTILE) - len(HOSTILE) - 1),
        ),
        # blank CHILD and nothing superseded
        _superseding_header(["1", None, None, "2"], [2023, 2023, 2024, 2024]),
        _superseding_header(["1", "2"], [2024, 2023]),
    ]


@pytest.mark.parametrize("case", range(5))
def test_held_superseded_rows_are_the_plain_stitched_findings(case: int) -> None:
    table = _cases()[case]
    with python_strings():
        kept, held = stitch_years_held("header", table)
        plain_kept, plain_found = plain_stitch_years("header", table)
        pd.testing.assert_frame_equal(kept, plain_kept, check_exact=True)
        pd.testing.assert_frame_equal(as_frame(held), plain_found, check_exact=True)
        pd.testing.assert_frame_equal(stitch_years("header", table)[1], plain_found)
    if isinstance(held, FindingArrays):  # read back outside the storage it was made in
        with pd.option_context("mode.string_storage", "pyarrow"):
            pd.testing.assert_frame_equal(held.to_frame(), plain_found, check_exact=True)
            assert held.dtypes.equals(plain_found.dtypes)
            for col in FINDING_COLUMNS:
                if col != "row":
                    assert held.texts(col).tolist() == plain_found[col].tolist()


def _warnings(files: list[str], code: str = "episode_overlap", severity: str = "warning"):
    n = len(files)
    return normalise_findings(
        pd.DataFrame(
            {
                "severity": severity,
                "code": code,
                "table": "header",
                "file": files,
                "row": np.arange(2, n + 2),
                "child": [HOSTILE[i % len(HOSTILE)] for i in range(n)],
                "message": "m",
                "action": "repaired" if severity != "info" else "set_aside",
            }
        )
    )


def _mixed_parts() -> list:
    """Held superseded batches among warnings, errors and info frames of the same files."""
    tables = _cases()
    with python_strings():
        held = [stitch_years_held("header", t)[1] for t in tables[:3]]
        file = str(tables[1]["source_file"].dropna().iloc[0])
        return [
            _warnings([file, "=x.csv"]),
            held[0],
            _warnings([file], code="row_cut_short", severity="error"),
            held[1],
            # an info frame of a kind a held batch has: one row counting both
            _warnings([file, file], code="superseded", severity="info"),
            FindingArrays(0, {"severity": "info", "code": "superseded"}),  # empty
            held[2],
            # held findings that are not info: written row by row
            FindingArrays(
                2,
                {
                    "severity": "warning",
                    "code": "w",
                    "child": (tables[2]["CHILD"], np.array([0, 3])),
                    "file": (tables[2]["source_file"], np.array([0, 3])),
                },
            ),
            _warnings(["b.csv"]),
        ]


def test_collector_holding_arrays_equals_collector_of_frames() -> None:
    parts = _mixed_parts()
    assert sum(isinstance(p, FindingArrays) for p in parts) >= 4
    with python_strings():
        _same_collectors(_held(parts), _plain(parts))
        _same_collectors(_held(parts[1:2]), _plain(parts[1:2]))  # one held batch alone
        _same_collectors(_held(parts[5:6]), _plain(parts[5:6]))  # only an empty one
        extended = _held(parts[:3])
        extended.extend(_held(parts[3:]))  # another collector's batches, as held
        _same_collectors(extended, _plain(parts))


def test_held_rows_at_positions_are_the_frame_rows() -> None:
    held = _mixed_parts()[6]
    whole = held.to_frame()
    rng = np.random.default_rng(4)
    for at in (np.zeros(0, dtype=np.intp), np.array([3, 0, 3]), rng.permutation(len(held))):
        want = whole.take(at).reset_index(drop=True)
        pd.testing.assert_frame_equal(held.to_frame(at), want, check_exact=True)


def test_held_rows_do_not_change_when_their_table_does() -> None:
    table = _cases()[1]
    with python_strings():
        _, held = stitch_years_held("header", table)
        before = as_frame(held)
        table.loc[:, "CHILD"] = "changed"
        table.loc[table.index[0], "source_row"] = 999
    pd.testing.assert_frame_equal(as_frame(held), before, check_exact=True)


def test_written_summary_and_all_are_the_plain_bytes(tmp_path: Path) -> None:
    parts = _mixed_parts()
    with python_strings():
        held, plain = _held(parts), _plain(parts)
        for detail in ("summary", "all"):
            a = write_csv(held.summary(detail), tmp_path / f"held_{detail}.csv")
            b = write_csv(
                summarise_findings(plain.to_frame(), detail), tmp_path / f"p_{detail}.csv"
            )
            assert a.read_bytes() == b.read_bytes()
    text = (tmp_path / "held_all.csv").read_text()
    assert ",=1+2," not in text and "'=1+2" in text  # kept from running as a formula


def _three_years(folder: Path) -> Path:
    """Children in three collection years (rows superseded twice), hostile CHILD ids, and
    warnings among the superseded rows of one file."""
    kids = ["A1", "=1+2", "@SUM(A1)"]
    for year, end in (("2022-23", ""), ("2023-24", "01/06/2023"), ("2024-25", "01/06/2023")):
        rows = [ep(k, "01/05/2022", end, "X1" if end else "") for k in kids]
        if year == "2023-24":  # an episode repeated exactly: a warning in that file
            rows.append(ep("A1", "01/05/2022", end, "X1"))
        if year == "2024-25":
            rows += [ep(k, "01/06/2023") for k in kids]
        write_set(
            folder / year,
            {"header": header([hd(k) for k in kids]), "episodes": episodes(rows)},
        )
    return folder


def test_loaded_dataset_holds_its_superseded_rows_and_reads_as_the_plain_frame(
    tmp_path: Path,
) -> None:
    ds = load(_three_years(tmp_path / "x"), today=TODAY)
    held = ds.collected_findings()
    assert any(isinstance(p, FindingArrays) for p in held._parts)  # the held path is taken
    frame = ds.findings
    assert ds.findings is frame  # made once
    assert {"superseded", "duplicate_row"} <= set(frame["code"])
    assert frame["child"].isin(["=1+2", "@SUM(A1)"]).any()
    plain = Findings()
    plain.extend(frame)
    _same_collectors(held, plain)
    _same_collectors(ds.collected_findings(), plain)  # after the frame was made


def test_cached_dataset_gives_the_same_findings(tmp_path: Path) -> None:
    folder = _three_years(tmp_path / "x")
    fresh = load(folder, today=TODAY)
    first = load_cached(folder, today=TODAY, cache_dir=tmp_path / "cache")
    again = load_cached(folder, today=TODAY, cache_dir=tmp_path / "cache")
    for ds in (first, again):
        pd.testing.assert_frame_equal(ds.findings, fresh.findings, check_exact=True)
        pd.testing.assert_frame_equal(
            ds.collected_findings().summary(), fresh.collected_findings().summary()
        )


def test_dataset_findings_default_and_given_frame() -> None:
    with python_strings():
        empty = Dataset()
        given = Dataset(findings=_warnings(["a.csv"]))
    assert empty.findings.empty and list(empty.findings.columns) == FINDING_COLUMNS
    assert len(empty.collected_findings()) == 0
    pd.testing.assert_frame_equal(given.collected_findings().to_frame(), given.findings)
