"""Issue 5's acceptance: `cppanalytics batch` on the example params writes 8 quarterly
reports whose results and scorecard match `cppanalytics indicators` on the same inputs
(slow: executes eight notebooks)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from cppanalytics.cli import main
from cppanalytics.indicators import catalogue
from cppanalytics.presentation.formatting import format_value
from cppanalytics.presentation.scorecard import ANNUAL_SECTIONS
from cppanalytics.presentation.tables import section_of
from cppanalytics.reporting.spreadsheet import display_cell

from .conftest import DEMO_QUARTERS, Command

pytestmark = pytest.mark.slow  # on one pytest-xdist worker with its sharer (tests/conftest.py)

ROOT = Path(__file__).resolve().parents[2]
QUARTERS = DEMO_QUARTERS
KEY = ["indicator_id", "period_end", "window_start", "breakdown", "group"]


@pytest.fixture(scope="module")
def batch_out(demo_root: Path, demo_batch: Command) -> Path:
    # `cppanalytics batch` of the eight quarters' params (tests/reporting/conftest.py), into
    # the folder where `cppanalytics run` already wrote the last quarter's report
    assert demo_batch.status == 0, demo_batch.out + demo_batch.err
    assert "8 of 8 reports written" in demo_batch.out, demo_batch.out
    # ... which the batch found complete (same parameters, inputs, notebook) and kept
    kept = [line for line in demo_batch.err.splitlines() if "(already complete)" in line]
    assert len(kept) == 1 and "synthetic_2026-09-30.yaml" in kept[0], demo_batch.err
    return demo_root


@pytest.fixture(scope="module")
def indicators(tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    out = tmp_path_factory.mktemp("ind") / "results.csv"
    status = main(
        [
            "indicators",
            "--data",
            str(ROOT / "data" / "synthetic"),
            "--quarters",
            QUARTERS[0],
            QUARTERS[-1],
            "--la-code",
            "E06000042",
            "--out",
            str(out),
        ]
    )
    assert status == 0
    return pd.read_csv(
        out, dtype={"breakdown": str, "group": str}, keep_default_na=False, na_values=[""]
    )


@pytest.mark.parametrize("quarter", QUARTERS)
def test_report_results_match_the_indicators_command(
    batch_out: Path, indicators: pd.DataFrame, quarter: str
) -> None:
    folder = batch_out / "ouzel-vale-council-synthetic" / quarter / "quarterly_report"
    assert (folder / "quarterly_report.html").is_file()
    report = pd.read_csv(
        folder / "results.csv",
        dtype={"breakdown": str, "group": str},
        keep_default_na=False,
        na_values=[""],
    )
    # the council's local measures (the demo's virtual school figures) are the report's only
    # rows the 903 engine does not compute
    report = report[report["indicator_id"].isin(catalogue.ids())]
    mine = report[report["period_end"] == quarter].set_index(KEY)["value"].sort_index()
    cli = indicators[indicators["period_end"] == quarter].set_index(KEY)["value"].sort_index()
    assert len(cli) > 90  # the whole catalogue at that quarter end
    if not quarter.endswith("-03-31"):
        # annual measures (health) are in the report's CSV at 31 March only: in year the report
        # shows the latest 31 March figure, so an in-year figure would differ from the HTML's
        annual = [i for i in catalogue.ids() if section_of(i) in ANNUAL_SECTIONS]
        assert annual
        cli = cli[~cli.index.get_level_values("indicator_id").isin(annual)]
    assert mine.index.equals(cli.index)
    np.testing.assert_allclose(mine.to_numpy(float), cli.to_numpy(float), equal_nan=True)

    # and the scorecard's "This quarter" shows the same figures, as presented
    # (stored as numbers: the number the report displays)
    ws = load_workbook(folder / "scorecard.xlsx")["Scorecard"]
    rows = list(ws.iter_rows(values_only=True))
    start = next(i for i, r in enumerate(rows) if r[0] == "Indicator")
    header, body = rows[start], {r[0]: r for r in rows[start + 1 :]}
    col = header.index("This quarter")
    at_q = indicators[(indicators["period_end"] == quarter) & indicators["breakdown"].isna()]
    value = at_q.set_index("indicator_id")["value"]
    shown = format_value(value["cla_count"], "count")
    assert body["Children in care"][col] == display_cell(shown)[0]
    assert isinstance(body["Children in care"][col], int)
    assert (
        body["Children in care per 10,000"][col]
        == display_cell(format_value(value["cla_rate_per_10k"], "rate_per_10k"))[0]
    )
