"""normalise_findings' check for frames already in the contract's form against the full
conversion (the fast path must change nothing a normal frame would not change)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cppanalytics.findings import (
    FINDING_COLUMNS,
    Findings,
    _is_normal,
    empty_findings,
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


def _row_findings_plain(rows: pd.DataFrame, **kw: object) -> pd.DataFrame:
    """row_findings' plain definition: the frame of every column, then normalised."""
    indicators = kw.get("indicators", "")
    if isinstance(indicators, pd.Series):
        indicators = indicators.to_numpy()
    elif not isinstance(indicators, str):
        indicators = ",".join(indicators)  # type: ignore[arg-type]
    n = len(rows)

    def provenance(col: str) -> object:
        return rows[col].to_numpy() if col in rows.columns else [pd.NA] * n

    def per_row(text: object) -> object:
        return [text] * n if isinstance(text, str) else np.asarray(text)

    value = kw.get("value")
    frame = pd.DataFrame(
        {
            "severity": [kw["severity"]] * n,
            "code": [kw["code"]] * n,
            "table": [kw["table"]] * n,
            "file": provenance("source_file"),
            "row": provenance("source_row"),
            "column": per_row(kw.get("column", "")),
            "value": [""] * n if value is None else value.to_numpy(),  # type: ignore[attr-defined]
            "child": provenance("CHILD"),
            "message": per_row(kw["message"]),
            "fix": [kw["fix"]] * n,
            "action": [kw.get("action", "")] * n,
            "indicators": per_row(indicators),
        }
    )
    return normalise_findings(frame)


def _rows() -> pd.DataFrame:
    text = {"dtype": "str"}
    return pd.DataFrame(
        {
            "CHILD": pd.Series(["1", None, "É3"], **text),
            "source_file": pd.Series(["a.csv", "a.csv", None], **text),
            "source_row": np.array([2, 3, 4]),
            "PL_POST": pd.Series(["MK9 3EJ", "", None], **text),
        }
    )


_BASE = {"severity": "warning", "code": "x", "table": "episodes", "message": "m", "fix": "f"}


@pytest.mark.parametrize("storage", ["python", "pyarrow"])
@pytest.mark.parametrize(
    ("case", "rows", "extra"),
    [
        ("plain", _rows, {}),
        ("text values", _rows, {"value": "PL_POST", "column": "PL_POST", "indicators": ["a", "b"]}),
        ("numbers as values", _rows, {"value": "source_row"}),
        ("one message per row", _rows, {"message": ["m1", "m2", "m3"], "column": ["A", "B", "C"]}),
        ("missing messages", _rows, {"message": "objects", "indicators": "series"}),
        ("no rows", lambda: _rows().iloc[:0], {}),
        ("one row", lambda: _rows().iloc[:1], {"value": "PL_POST"}),
        ("no provenance", lambda: pd.DataFrame({"X": [1, 2]}), {}),
        ("nullable rows", lambda: _rows().assign(source_row=pd.array([1, None, 3], "Int64")), {}),
        ("float rows", lambda: _rows().assign(source_row=[1.0, 2.0, 3.0]), {}),
        ("numeric CHILD", lambda: _rows().assign(CHILD=[1, 2, 3]), {}),
        ("all missing", lambda: _rows().assign(CHILD=None, source_file=None), {"value": "CHILD"}),
        ("missing objects", lambda: _rows().assign(X=pd.array([pd.NA] * 3)), {"value": "X"}),
        ("missing floats", lambda: _rows().assign(X=[np.nan, None, np.nan]), {"value": "X"}),
    ],
)
def test_row_findings_equal_the_plain_frame(
    storage: str, case: str, rows: object, extra: dict
) -> None:
    # row_findings builds its frame in the contract's dtypes at once (one frame, not a frame
    # then a conversion of each column): the same frame, dtypes, index and storage
    with pd.option_context("mode.string_storage", storage):
        frame = rows()  # type: ignore[operator]
        kw: dict[str, object] = {**_BASE, **extra}
        if isinstance(extra.get("value"), str):
            kw["value"] = frame[extra["value"]]
        if extra.get("message") == "objects":
            kw["message"] = pd.Series(["m1", None, "m3"], dtype=object).to_numpy()
        if extra.get("indicators") == "series":
            kw["indicators"] = pd.Series(["a", "b,c", None], dtype=object)
        got = row_findings(frame, **kw)  # type: ignore[arg-type]
        want = _row_findings_plain(frame, **kw)
        pd.testing.assert_frame_equal(got, want, check_exact=True)
        assert got.columns.dtype == want.columns.dtype
        assert type(got.index) is type(want.index)
        assert [type(got[c].array) for c in got] == [type(want[c].array) for c in want]
        assert _is_normal(got)


@pytest.mark.parametrize("storage", ["python", "pyarrow"])
@pytest.mark.parametrize(
    "fields",
    [
        {"table": "episodes", "file": "e.csv", "row": 7, "column": "PLACE", "value": "Q9"},
        {"row": None, "value": None, "child": None},
        {"row": 2**40, "file": Path("x") / "é.csv", "value": 3.5, "child": 12},
        {"row": np.int64(4), "indicators": ["a", "b"]},  # not a plain int: pandas' way
        {"row": 3.0},
        {"row": True},
        {"message": 5},  # not text: pandas' way
    ],
)
def test_add_equals_the_one_row_frame(storage: str, fields: dict) -> None:
    # add builds its one-row frame in the contract's form at once; the same as a frame of
    # the fields normalised
    with pd.option_context("mode.string_storage", storage):
        f = Findings()
        f.add("warning", "x", **fields)
        got = f.to_frame()
        kw = {
            "table": "",
            "file": "",
            "row": None,
            "column": "",
            "value": "",
            "child": "",
            "message": "",
            "fix": "",
            "action": "",
            "indicators": "",
            **fields,
        }
        if not isinstance(kw["indicators"], str):
            kw["indicators"] = ",".join(kw["indicators"])
        row = {"severity": "warning", "code": "x", **kw, "file": str(kw["file"])}
        row["value"] = "" if kw["value"] is None else str(kw["value"])
        row["child"] = "" if kw["child"] is None else str(kw["child"])
        want = normalise_findings(pd.DataFrame([row]))
        pd.testing.assert_frame_equal(got, want, check_exact=True)
        assert [type(got[c].array) for c in got] == [type(want[c].array) for c in want]


@pytest.mark.parametrize("storage", ["python", "pyarrow"])
def test_empty_findings_equal_a_frame_of_empty_columns(storage: str) -> None:
    with pd.option_context("mode.string_storage", storage):
        want = pd.DataFrame({c: pd.Series(dtype="str") for c in FINDING_COLUMNS})
        want["row"] = pd.Series(dtype="Int64")
        got = empty_findings()
        pd.testing.assert_frame_equal(got, want, check_index_type=True, check_column_type=True)
        assert type(got.index) is type(want.index) and got.columns.dtype == want.columns.dtype
        assert [type(got[c].array) for c in got] == [type(want[c].array) for c in want]
        assert _is_normal(got)
