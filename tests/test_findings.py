"""normalise_findings' check for frames already in the contract's form against the full
conversion (the fast path must change nothing a normal frame would not change)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cppanalytics.findings import (
    FINDING_COLUMNS,
    _is_normal,
    has_missing,
    normalise_findings,
    row_findings,
)


def _normal() -> pd.DataFrame:
    rows = pd.DataFrame(
        {"CHILD": ["1", "É2"], "source_file": ["e.csv", None], "source_row": [2, None]}
    )
    return row_findings(rows, severity="warning", code="x", table="episodes", message="m", fix="f")


@pytest.mark.parametrize("storage", ["python", "pyarrow"])
def test_a_normal_frame_comes_back_equal_and_others_are_converted(storage: str) -> None:
    with pd.option_context("mode.string_storage", storage):
        normal = _normal()
        assert _is_normal(normal)
        again = normalise_findings(normal.set_axis([5, 9]))
        pd.testing.assert_frame_equal(again, normal)
        assert again.index.tolist() == [0, 1]

        missing_text = normal.copy()
        missing_text.loc[1, "child"] = None  # a missing text value: written as ""
        assert not _is_normal(missing_text)
        assert normalise_findings(missing_text)["child"].tolist() == ["1", ""]

        reordered = normal[FINDING_COLUMNS[::-1]]
        assert not _is_normal(reordered)
        pd.testing.assert_frame_equal(normalise_findings(reordered), normal)

        float_rows = normal.astype({"row": "float64"})
        assert not _is_normal(float_rows)
        pd.testing.assert_frame_equal(normalise_findings(float_rows), normal)

        extra = normal.assign(extra=1)
        assert not _is_normal(extra)
        pd.testing.assert_frame_equal(normalise_findings(extra), normal)
        assert _is_normal(normal.iloc[:0])


@pytest.mark.parametrize(
    "at", [None, 0, 5_000, 11_999, slice(3_000, 6_000), slice(0, 12_000)], ids=str
)
def test_has_missing_on_runs_of_shared_objects_is_hasnans(at: object) -> None:
    """Text columns of findings built in batches (one object per run of rows) are checked
    one object per run: the same answer as ``hasnans``, wherever a missing value is."""
    a, b = "a", "É"
    with pd.option_context("mode.string_storage", "python"):
        values = np.array([a] * 4_000 + [b] * 4_000 + [a] * 4_000, dtype=object)
        if at is not None:
            values[at] = np.nan
        text = pd.Series(pd.array(values, dtype="str"))
        assert has_missing(text) == bool(text.hasnans) == (at is not None)
        mixed = pd.Series(pd.array(np.array([a, b] * 6_000, dtype=object), dtype="str"))
        assert not has_missing(mixed)  # short runs: every value looked at
        mixed[7] = None
        assert has_missing(mixed)
