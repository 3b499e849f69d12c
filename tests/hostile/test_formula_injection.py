"""Formula injection: no text the product writes to a CSV or spreadsheet runs as a formula.

Attacks with :func:`tests.hostile.build.formula_903` (payloads in PLACE, URN, REC, UPN,
ETHNIC) and :func:`tests.hostile.build.formula_local_measures` (payloads in a local
measure's group and note), through every writer: ``validate --out``, ``indicators --out``
(results and findings CSVs), the report's ``results.csv`` and ``scorecard.xlsx``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from cppanalytics.cli import main
from cppanalytics.reporting.outputs import export_tables
from cppanalytics.results import read_results, write_results
from cppanalytics.safe_cells import needs_quote, safe_cell, safe_frame
from tests.hostile.build import PAYLOAD, PAYLOADS, csv_cells, formula_903, formula_local_measures


def assert_no_live_formula(cells: list[str]) -> None:
    live = [c for c in cells if needs_quote(c)]
    assert not live, f"cells a spreadsheet would run: {live[:5]}"


@pytest.mark.parametrize("kind", sorted(PAYLOADS))
def test_each_owasp_start_is_quoted(kind: str) -> None:
    text = PAYLOADS[kind]
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("number", ["-3", "+1.5", "-2e-3", "-.5", "12"])
def test_numbers_written_as_text_stay_numbers(number: str) -> None:
    assert safe_cell(number) == number


def test_safe_frame_leaves_numbers_dates_and_missing_alone() -> None:
    frame = pd.DataFrame(
        {
            "code": pd.Series([PAYLOAD, "P1", None], dtype="str"),
            "obj": pd.Series(["@x", 3, float("nan")], dtype=object),
            "value": [-1.5, 2.0, -3.0],
            "when": pd.to_datetime(["2024-03-31"] * 3),
        }
    )
    out = safe_frame(frame)
    assert out["code"].tolist()[:2] == ["'" + PAYLOAD, "P1"] and pd.isna(out["code"][2])
    assert out["obj"].tolist()[:2] == ["'@x", 3]
    assert out["value"].tolist() == [-1.5, 2.0, -3.0] and out["value"].dtype == "float64"
    assert out["when"].equals(frame["when"])
    assert frame["code"][0] == PAYLOAD  # the caller's frame is not changed


def test_validate_findings_csv_has_no_live_formula(tmp_path: Path, capsys) -> None:
    data = formula_903(tmp_path / "data")
    out = tmp_path / "findings.csv"
    assert main(["validate", str(data), "--out", str(out)]) in (0, 1)
    cells = csv_cells(out)
    assert "'" + PAYLOAD in cells  # the payload was reported (as a value), quoted
    assert_no_live_formula(cells)


def test_indicators_csvs_have_no_live_formula(tmp_path: Path, capsys) -> None:
    data = formula_903(tmp_path / "data")
    out = tmp_path / "results.csv"
    assert (
        main(["indicators", "--data", str(data), "--period-end", "2024-03-31", "--out", str(out)])
        == 0
    )
    findings = out.with_name("results_findings.csv")
    cells = csv_cells(findings)
    assert any(c.startswith("'" + PAYLOAD) for c in cells)
    assert_no_live_formula(cells)
    assert_no_live_formula(csv_cells(out))


def test_results_csv_with_hostile_local_measures(tmp_path: Path) -> None:
    local = read_results(formula_local_measures(tmp_path / "local.csv"))
    out = write_results(local, tmp_path / "results.csv")
    cells = csv_cells(out)
    assert_no_live_formula(cells)
    assert "'" + PAYLOADS["equals"] in cells and "'" + PAYLOADS["at"] in cells
    back = pd.read_csv(out)
    assert back["value"].tolist() == [-33.3] * 3  # negative numbers stay numbers


def test_report_tables_csv_and_xlsx_have_no_formula(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    local = read_results(formula_local_measures(tmp_path / "local.csv"))
    scorecard = pd.DataFrame(
        {
            "Indicator": [PAYLOADS["equals"], PAYLOADS["plus"], "Children in care"],
            "This quarter": [PAYLOADS["at"], "-4", -4.5],
            "RAG": ["Red", PAYLOADS["minus"], "Green"],
        }
    )
    written = export_tables(
        tmp_path / "out", results=local, scorecard=scorecard, title=PAYLOADS["equals"]
    )
    assert sorted(p.name for p in written) == ["results.csv", "scorecard.xlsx"]
    assert_no_live_formula(csv_cells(tmp_path / "out" / "results.csv"))
    book = load_workbook(tmp_path / "out" / "scorecard.xlsx")
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row]
    formulas = [c.coordinate for c in cells if c.data_type == "f"]
    assert not formulas, f"formula cells: {formulas}"
    values = [c.value for c in cells]
    # a number shown as text ("-4") is stored as the number it shows
    assert "'" + PAYLOADS["equals"] in values and -4.5 in values and -4 in values
    assert not [v for v in values if isinstance(v, str) and needs_quote(v)]


def test_safe_frame_with_object_columns_of_numbers_or_mixed() -> None:
    frame = pd.DataFrame(
        {
            "ints": pd.Series([1, -2], dtype=object),
            "mixed": pd.Series([-2, "-x"], dtype=object),
            "flags": pd.Series([True, None], dtype=object),
        }
    )
    out = safe_frame(frame)
    assert out["ints"].tolist() == [1, -2]
    assert out["mixed"].tolist() == [-2, "'-x"]
    assert out["flags"].tolist() == [True, None]


@pytest.mark.parametrize("storage", ["python", "pyarrow"])
def test_safe_frame_equals_each_cell_made_safe(storage: str) -> None:
    # columns whose distinct texts are all safe are skipped after one look at each text;
    # the frame written is the frame of every cell made safe on its own
    with pd.option_context("mode.string_storage", storage):
        many = ["P1", "cla_count", "-3", "+1.5", None, "", "é", "P1"] * 50
        frame = pd.DataFrame(
            {
                "safe": pd.Series(many, dtype="str"),
                "numbers_as_text": pd.Series(["-3", "+2e5", "-0.5", None] * 100, dtype="str"),
                "one_risky": pd.Series([*many[:-1], "=cmd|' /C calc'!A1"], dtype="str"),
                "objects": pd.Series(["x", None, "@SUM(A1)", 3] * 100, dtype=object),
                "value": list(range(-200, 200)),
            }
        )
        want = frame.copy()
        for col in ("safe", "numbers_as_text", "one_risky", "objects"):
            cells = [safe_cell(v) if isinstance(v, str) else v for v in frame[col]]
            want[col] = pd.Series(cells, dtype=frame[col].dtype)
        got = safe_frame(frame)
        pd.testing.assert_frame_equal(got, want)
        assert got["one_risky"].iloc[-1] == "'=cmd|' /C calc'!A1"
        assert got["safe"].tolist() == frame["safe"].tolist()


@pytest.mark.parametrize("categories", ["object", "str"])
def test_safe_frame_quotes_a_formula_in_a_categorical_column(categories: str) -> None:
    """A categorical text column's formula-like cell is quoted, not blanked: the quoted text
    is no category, so casting back to the column's own type made it missing."""
    values = ['=HYPERLINK("x")', "P1", None, '=HYPERLINK("x")', "-3"]
    column = pd.Series(values, dtype=categories).astype("category")
    out = safe_frame(pd.DataFrame({"group": column}))
    expected = [safe_cell(v) if isinstance(v, str) else v for v in values]
    assert out["group"].tolist()[:2] == expected[:2]
    assert out["group"].isna().tolist() == [False, False, True, False, False]
    assert out["group"].tolist()[3:] == expected[3:]
    assert_no_live_formula([v for v in out["group"].dropna()])
