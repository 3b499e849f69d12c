"""``cppanalytics comparators build`` (and its deprecated old name ``benchmarks``)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cppanalytics.cli import main
from cppanalytics.judgement.comparators import load_comparators


def test_build_from_small_folder(tmp_path, capsys) -> None:
    src = tmp_path / "dfe"
    src.mkdir()
    (src / "rate.csv").write_text(
        "time_period,time_identifier,geographic_level,country_code,country_name,region_code,"
        "region_name,old_la_code,la_name,new_la_code,population_type,population_estimate,"
        "children_count,rate_per_10000\n"
        "2025,Reporting year,National,E92000001,England,,,,,,Children looked after on 31 March "
        "each year,12183016,81770,67\n"
        "2025,Reporting year,Local authority,E92000001,England,E12000008,South East,826,"
        "Milton Keynes,E06000042,Children looked after on 31 March each year,74569,509,68\n"
        "2025,Reporting year,Local authority,E92000001,England,E12000008,South East,827,"
        "Nowhere,E06000999,Children looked after on 31 March each year,x,c,c\n"
    )
    out = tmp_path / "out" / "comparators.csv.gz"
    assert main(["comparators", "build", "--from", str(src), "--out", str(out)]) == 0
    table = load_comparators(out)
    rate = table[table.indicator_id == "cla_rate_per_10k"].set_index("la_code_old")
    assert rate.loc["826", "value"] == pytest.approx(509 / 74569 * 10_000)
    assert pd.isna(rate.loc["827", "value"])  # suppressed, not 0
    assert (out.parent / "councils.csv").exists()
    assert "wrote" in capsys.readouterr().out


def test_build_bad_folder(tmp_path, capsys) -> None:
    assert main(["comparators", "build", "--from", str(tmp_path / "nope")]) == 2
    assert "no such folder" in capsys.readouterr().err


@pytest.mark.shared
def test_shipped_table_matches_a_fresh_build(dfe_dir, tmp_path) -> None:
    out = tmp_path / "c.csv.gz"
    assert main(["comparators", "build", "--from", str(dfe_dir), "--out", str(out)]) == 0
    fresh, shipped = load_comparators(out), load_comparators()
    assert len(fresh) == len(shipped)
    assert (
        fresh[["indicator_id", "year", "la_code_old"]].values
        == shipped[["indicator_id", "year", "la_code_old"]].values
    ).all()
    assert np.allclose(fresh["value"], shipped["value"], atol=1e-5, equal_nan=True)


def test_old_name_still_builds_with_a_deprecation_note(tmp_path, capsys) -> None:
    assert main(["benchmarks", "build", "--from", str(tmp_path / "nope")]) == 2
    err = capsys.readouterr().err
    assert "deprecated" in err and "cppanalytics comparators build" in err
    assert "no such folder" in err


def test_help_lists_comparators_not_benchmarks(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert "comparators" in out and "benchmarks" not in out
