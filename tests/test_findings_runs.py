"""The findings' run shortcuts give the plain comparisons' answers.

Findings come in batches holding one text object per constant column, so equal rows next
to each other are mostly the very same object: :func:`_run_starts` compares text only
where the object changes, and :func:`_equal_to` compares one row per run. Both are checked
against numpy's element-wise comparison on hand-built columns: long runs of one object,
equal text held by distinct objects (next to each other and apart), short runs, non-ASCII
text, empty strings, one row and none; and the summary and counts of a large findings
table against the plain groupby and comparison.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cppanalytics.findings import (
    SEVERITY_ORDER,
    Findings,
    _equal_to,
    _run_codes,
    _run_starts,
    normalise_findings,
    summarise_findings,
)


def _copy(text: str) -> str:
    """The same text in a distinct string object."""
    return "".join(list(text))


def _columns() -> dict[str, np.ndarray]:
    a, b, e = "info", "warning", "é"
    long = [a] * 6000 + [_copy(a)] * 3 + [a] * 4000 + [b] * 2000 + [e] * 100 + [_copy(e)]
    return {
        "long runs, distinct equal objects": np.array(long, dtype=object),
        "short runs": np.array([a, b] * 6000, dtype=object),
        "every row its own object": np.array([_copy(a) for _ in range(12000)], dtype=object),
        "empty strings": np.array([""] * 7000 + ["x"] + [""] * 5000, dtype=object),
        "small": np.array([a, _copy(a), b], dtype=object),
        "one row": np.array([a], dtype=object),
        "none": np.array([], dtype=object),
    }


@pytest.mark.parametrize("name", list(_columns()))
def test_run_starts_and_equal_to_match_the_plain_comparison(name: str) -> None:
    values = _columns()[name]
    plain = np.flatnonzero(np.append(True, values[1:] != values[:-1])) if len(values) else []
    assert _run_starts(values).tolist() == list(plain)
    for text in ("info", "é", "", "absent"):
        assert _equal_to(values, text).tolist() == (values == text).tolist()
    assert _run_codes(values).tolist() == pd.factorize(values)[0].tolist()
    sliced = values[::2]  # not contiguous: the plain way
    assert _equal_to(sliced, "info").tolist() == (sliced == "info").tolist()


def test_summary_and_counts_of_batches_match_the_plain_definition() -> None:
    """A findings table as the loader makes it (batches of one object per constant column)
    summarised and counted as the plain comparison and groupby do."""
    n = 30_000
    batches = [
        pd.DataFrame(
            {
                "severity": np.full(n, "info", dtype=object),
                "code": np.full(n, "superseded", dtype=object),
                "table": np.full(n, "header", dtype=object),
                "file": np.array(["2024/h.csv", "2025/h.csv"] * (n // 2), dtype=object),
                "row": np.arange(n),
                "child": np.array([str(i) for i in range(n)], dtype=object),
                "message": np.full(n, "replaced", dtype=object),
                "action": np.full(n, "set_aside", dtype=object),
            }
        ),
        pd.DataFrame({"severity": ["warning", "error"], "code": ["a", "b"], "row": [1, 2]}),
        pd.DataFrame({"severity": [_copy("info")] * 3, "code": ["superseded", "c", "c"]}),
    ]
    found = Findings()
    for batch in batches:
        found.extend(batch)
    frame = found.to_frame()
    severity = frame["severity"].to_numpy(dtype=object)
    assert found.counts() == {s: int((severity == s).sum()) for s in SEVERITY_ORDER}
    summary = found.summary()
    info = frame[frame["severity"] == "info"]
    keys = ["code", "table", "file", "action"]
    groups = info.groupby(keys, sort=False)
    want_rows = groups.head(1)["row"].tolist()
    got_info = summary[summary["severity"] == "info"]
    assert got_info["row"].tolist() == want_rows
    sizes = groups.size().tolist()
    assert got_info["value"].tolist() == [str(s) if s > 1 else "" for s in sizes]
    assert summary["severity"].tolist() == ["error", "warning"] + ["info"] * len(sizes)
    pd.testing.assert_frame_equal(summary, summarise_findings(normalise_findings(frame)))


def _part(rows: list[tuple[str, str, str]], start: int) -> pd.DataFrame:
    """Findings rows (severity, code, file) numbered from ``start``."""
    return pd.DataFrame(
        {
            "severity": [r[0] for r in rows],
            "code": [r[1] for r in rows],
            "table": "episodes",
            "file": [r[2] for r in rows],
            "row": range(start, start + len(rows)),
            "child": [f"c{i}" for i in range(start, start + len(rows))],
            "value": "v",
            "message": "m",
        }
    )


@pytest.mark.parametrize(
    "parts",
    [
        # a kind in both parts (counted once, at its first row), new kinds after
        [
            [("info", "a", "f"), ("error", "e", "f"), ("info", "b", "f")],
            [("info", "a", "f"), ("info", "c", "é")],
        ],
        # a part without info, then one with only info
        [[("warning", "w", "f")], [("info", "a", "f"), ("info", "a", "f")]],
        # no info at all: every row as it is
        [[("error", "e", "f")], [("warning", "w", "g")]],
        # an info kind of one row in each of three parts, same file, other codes
        [[("info", "a", "f")], [("info", "b", "f")], [("info", "a", "f"), ("error", "e", "g")]],
        # an empty part among them
        [[], [("info", "a", "f"), ("info", "b", "g"), ("info", "a", "f")]],
    ],
    ids=["shared-kind", "no-info-part", "no-info", "three-parts", "empty-part"],
)
def test_summary_of_parts_equals_the_summary_of_the_stacked_findings(parts: list) -> None:
    found = Findings()
    start = 2
    for rows in parts:
        found.extend(_part(rows, start))
        start += len(rows)
    stacked = found.to_frame()  # (a second collector: the parts kept apart below)
    apart = Findings()
    start = 2
    for rows in parts:
        apart.extend(_part(rows, start))
        start += len(rows)
    assert len(apart._parts) == len([r for r in parts if r])
    for detail in ("summary", "all"):
        got = apart.summary(detail)
        want = summarise_findings(stacked, detail)
        pd.testing.assert_frame_equal(got.reset_index(drop=True), want.reset_index(drop=True))
    assert apart.counts() == found.counts()
