"""File layouts met in the field: years in file names, lone years, contradictions, clashes.

Three collection years of the demo council are copied into each layout in ``tmp_path`` and
must load to exactly the tables that year folders give, and so to the same figures (the
years told apart, not every copy stitched as one year and "repaired").
"""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cppanalytics.errors import CppError
from cppanalytics.indicators import compute
from cppanalytics.ssda903 import load
from cppanalytics.ssda903.dataset import TABLES
from tests.ssda903.builders import (
    TODAY,
    ep,
    episodes,
    hd,
    header,
    small_council,
    to_xml,
    write_set,
)

YEARS = ["2021-22", "2022-23", "2023-24"]
LA = "E06000042"


def _name(layout: str, stem: str, folder: str) -> str:
    """Where one demo file goes in ``layout`` (``folder`` is e.g. ``2023-24``)."""
    start = int(folder[:4])
    end = start + 1
    return {
        "folders": f"{folder}/{stem}.csv",
        "demand_model": f"{start}-{stem}.csv",  # the D2I demand model: year's start
        "suffix": f"{stem}_{end}.csv",  # year's end
        "liia": f"SSDA903_{end}_{stem}.csv",  # LIIA: year's end, inside the name
        "pair": f"{folder}_{stem}.csv",
        "compact": f"{stem}_{start}{end % 100:02d}.csv",
        "lone_folders": f"{start}/{stem}.csv",  # the demand model's zipped sample
    }[layout]


def copy_layout(demo: Path, dest: Path, layout: str, years: list[str] = YEARS) -> Path:
    """Copy ``years`` of the demo data into ``dest`` in ``layout``."""
    for folder in years:
        for path in sorted((demo / folder).glob("*.csv")):
            target = dest / _name(layout, path.stem, folder)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
    return dest


def _comparable(ds) -> dict[str, pd.DataFrame]:
    """Every table without the file names, in a stable order."""
    out = {}
    for name in TABLES:
        t = ds.tables[name].drop(columns=["source_file"])
        out[name] = t.sort_values(list(t.columns), kind="stable").reset_index(drop=True)
    return out


@pytest.fixture(scope="module")
def folders(demo_data: Path, tmp_path_factory: pytest.TempPathFactory):
    root = copy_layout(demo_data, tmp_path_factory.mktemp("folders"), "folders")
    return load(root, la_code=LA, today=TODAY)


@pytest.mark.parametrize(
    "layout", ["demand_model", "suffix", "liia", "pair", "compact", "lone_folders"]
)
def test_year_in_file_names_loads_as_year_folders(
    demo_data: Path, tmp_path: Path, folders, layout: str
) -> None:
    ds = load(copy_layout(demo_data, tmp_path, layout), la_code=LA, today=TODAY)
    assert ds.years() == [2022, 2023, 2024]
    mine, theirs = _comparable(ds), _comparable(folders)
    for name in TABLES:
        pd.testing.assert_frame_equal(mine[name], theirs[name], obj=name)
    got = compute(ds, "2024-03-31", ids=["cla_count"], la_code=LA)
    want = compute(folders, "2024-03-31", ids=["cla_count"], la_code=LA)
    assert got["value"].tolist() == want["value"].tolist()
    assert want["value"].item() > 0
    lone = layout in {"demand_model", "suffix", "liia", "lone_folders"}
    inferred = ds.findings[ds.findings.code == "year_inferred"]
    assert len(inferred) == (3 if lone else 0)
    if lone:  # the info finding says a lone year can be the start or the end
        assert inferred["message"].str.contains("start or its end").all()
        assert "year_contradicts_dates" not in set(ds.findings.code)


def test_layout_results_identical_to_year_folders(demo_data: Path, tmp_path: Path, folders):
    ends = ["2023-06-30", "2024-03-31"]
    want = compute(folders, ends, la_code=LA)
    got = compute(
        load(copy_layout(demo_data, tmp_path, "liia"), la_code=LA, today=TODAY), ends, la_code=LA
    )
    pd.testing.assert_frame_equal(got, want)
    assert len(want) > 100 and want["value"].notna().any()


def _demand_model_sample() -> Path | None:
    spec = importlib.util.find_spec("cs_demand_model_samples")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "combined"
    return path if path.is_dir() else None


def test_demand_model_sample_as_shipped_loads_as_five_years() -> None:
    sample = _demand_model_sample()
    if sample is None:
        pytest.skip("cs-demand-model's sample is not installed (it pins pandas < 2)")
    ds = load(sample)
    assert ds.years() == [2018, 2019, 2020, 2021, 2022]


def test_demand_model_file_names_five_years(demo_data: Path, tmp_path: Path) -> None:
    """The sample's exact names: ``<start year>-<table>.csv``, five years in one folder."""
    years = ["2019-20", "2020-21", "2021-22", "2022-23", "2023-24"]
    root = copy_layout(demo_data, tmp_path / "combined", "demand_model", years)
    assert sorted(p.name for p in root.iterdir())[:2] == ["2019-ad1.csv", "2019-episodes.csv"]
    ds = load(root, la_code=LA, today=TODAY)
    assert ds.years() == [2020, 2021, 2022, 2023, 2024]
    assert sorted(ds.header["YEAR"].unique()) == [2020, 2021, 2022, 2023, 2024]


# --------------------------------------------------------------- files that cannot be told apart
def test_two_unnamed_files_of_one_table_are_an_error(tmp_path: Path) -> None:
    folder = write_set(tmp_path / "extract", small_council())
    shutil.copyfile(folder / "episodes.csv", folder / "episodes (1).csv")
    with pytest.raises(CppError) as err:
        load(folder, today=TODAY)
    text = str(err.value)
    assert "episodes.csv" in text and "episodes (1).csv" in text
    assert "cannot be told apart" in text and "folder named like 2023-24" in text


def test_lone_year_file_inside_a_year_folder_clashing_is_an_error(tmp_path: Path) -> None:
    folder = write_set(tmp_path / "2023-24", small_council())
    shutil.copyfile(folder / "episodes.csv", folder / "2024-episodes.csv")
    with pytest.raises(
        CppError,
        match=r"for the 2023-24 collection year \(year from folder "
        r".*2023-24\) the same table comes from several files: "
        r"episodes \(2024-episodes.csv and episodes.csv\)",
    ):
        load(tmp_path, today=TODAY)


def test_xml_return_beside_csv_files_of_the_same_year_is_an_error(tmp_path: Path) -> None:
    tables = small_council()
    folder = write_set(tmp_path / "2023-24", tables)
    (folder / "return.xml").write_text(to_xml(tables))
    with pytest.raises(CppError) as err:
        load(tmp_path, today=TODAY)
    text = str(err.value)
    assert "episodes (episodes.csv and return.xml)" in text
    assert "header (header.csv and return.xml)" in text and str(tmp_path / "2023-24") in text
    assert "an XML return and CSV files of the same year are two copies" in text


def test_one_file_per_table_and_year_is_not_a_clash(tmp_path: Path) -> None:
    write_set(tmp_path / "2023-24", small_council())
    write_set(tmp_path / "2024-25", small_council())  # same rows, later year: stitched
    ds = load(tmp_path, today=TODAY)
    assert set(ds.episodes["YEAR"]) == {2025}
    assert (ds.findings.code == "superseded").sum() == 5  # 3 episodes + 2 header rows


# --------------------------------------------------------------- stated years contradicting dates
def _contradictions(ds) -> pd.DataFrame:
    return ds.findings[ds.findings.code == "year_contradicts_dates"]


def test_folder_named_for_a_later_year_than_its_dates_is_a_warning(tmp_path: Path) -> None:
    ds = load(write_set(tmp_path / "2030-31", small_council()), today=TODAY)
    found = _contradictions(ds)
    assert len(found) == 1 and found.severity.item() == "warning"
    assert "2030-31" in found.file.item() and "not started" in found.message.item()


def test_folder_named_for_an_earlier_year_than_its_dates_is_a_warning(tmp_path: Path) -> None:
    ds = load(write_set(tmp_path / "2019-20", small_council()), today=TODAY)
    found = _contradictions(ds)
    assert len(found) == 1 and "after its end (31/03/2020)" in found.message.item()


def test_swapped_folder_names_are_both_named(tmp_path: Path) -> None:
    early = small_council()
    late = {
        "header": small_council()["header"],
        "episodes": episodes(
            [
                ep("A1", "01/05/2024", "01/09/2024", "X1"),
                ep("A1", "01/09/2024"),
            ]
        ),
    }
    write_set(tmp_path / "2023-24", late)  # names swapped
    write_set(tmp_path / "2024-25", early)
    ds = load(tmp_path, today=TODAY)
    found = _contradictions(ds)
    assert sorted(Path(f).name for f in found.file) == ["2023-24", "2024-25"]
    assert found.message.str.contains("after its end").sum() == 1
    assert found.message.str.contains("none of its episode dates").sum() == 1


def test_year_folders_matching_their_dates_raise_no_warning(tmp_path: Path) -> None:
    ds = load(write_set(tmp_path / "2023-24", small_council()), today=TODAY)
    assert _contradictions(ds).empty


def test_pooled_year_in_the_future_is_a_warning(tmp_path: Path) -> None:
    eps = small_council()["episodes"].assign(LA=LA, YEAR="2029")
    hdr = small_council()["header"].assign(LA=LA, YEAR="2029")
    for name, frame in (("episodes", eps), ("header", hdr)):
        (tmp_path / f"{name}.csv").write_text(frame.to_csv(index=False))
    ds = load(tmp_path, today=TODAY)
    found = _contradictions(ds)
    assert len(found) == 2  # one per pooled file
    assert found.message.str.contains("2028-29 collection year").all()
    assert found.message.str.contains("YEAR column of").all()
    assert sorted(Path(f).name for f in found.file) == ["episodes.csv", "header.csv"]


def test_lone_year_far_from_the_dates_is_a_warning(tmp_path: Path) -> None:
    folder = tmp_path / "x"
    folder.mkdir()
    for name, frame in small_council().items():  # 2023-24 data named 2019
        (folder / f"2019-{name}.csv").write_text(frame.to_csv(index=False))
    ds = load(folder, today=TODAY)
    assert ds.years() == [2024]
    assert "neither starts nor ends in 2019" in _contradictions(ds).message.item()


# --------------------------------------------------------------- one file set with no year
def _with_outcomes() -> dict[str, pd.DataFrame]:
    tables = small_council()
    tables["header"] = header(
        [
            hd("A1", dob="01/06/2012"),
            hd("B2", dob="15/09/2008", sex="2"),
            hd("C3", dob="10/05/2006"),
        ]
    )
    tables["episodes"] = episodes(
        [
            ep("A1", "01/05/2021"),
            ep("B2", "10/10/2023", "20/02/2024", "E4A", LS="V2", CIN="N4"),
            ep("C3", "01/01/2020", "10/05/2023", "E4A"),
        ]
    )
    tables["oc2"] = pd.DataFrame(
        {
            "CHILD": ["A1"],
            "DOB": ["01/06/2012"],
            "SDQ_SCORE": ["12"],
            "SDQ_REASON": [""],
            "CONVICTED": ["0"],
            "HEALTH_CHECK": ["1"],
            "IMMUNISATIONS": ["1"],
            "TEETH_CHECK": ["1"],
            "HEALTH_ASSESSMENT": ["1"],
            "SUBSTANCE_MISUSE": ["0"],
            "INTERVENTION_RECEIVED": [""],
            "INTERVENTION_OFFERED": [""],
        }
    )
    tables["oc3"] = pd.DataFrame(
        {
            "CHILD": ["C3"],
            "DOB": ["10/05/2006"],
            "IN_TOUCH": ["YES"],
            "ACTIV": ["F2"],
            "ACCOM": ["S1"],
        }
    )
    return tables


def test_one_unnamed_set_serves_its_outcomes_to_the_period_asked(tmp_path: Path) -> None:
    ds = load(write_set(tmp_path / "extract", _with_outcomes()), today=TODAY)
    assumed = ds.findings[ds.findings.code == "outcomes_year_assumed"]
    assert len(assumed) == 1 and assumed.severity.item() == "info"
    assert "2023-24" in assumed.message.item()
    # the rows serve a period in another year too: no "no OC2 data", real figures
    res = compute(ds, "2025-03-31", ids=["health_assessment", "care_leavers_eet_17_18"])
    assert res["note"].tolist() == ["", ""]
    assert res["denominator"].tolist() == [1.0, 1.0]
    assert res["value"].tolist() == [100.0, 100.0]


def test_year_folder_outcomes_keep_their_year(tmp_path: Path) -> None:
    ds = load(write_set(tmp_path / "2023-24", _with_outcomes()), today=TODAY)
    assert "outcomes_year_assumed" not in set(ds.findings.code)
    res = compute(ds, "2025-03-31", ids=["care_leavers_eet_17_18", "health_assessment"])
    leavers = res[res.indicator_id == "care_leavers_eet_17_18"].iloc[0]
    assert np.isnan(leavers["value"]) and np.isnan(leavers["numerator"])
    assert leavers["note"] == "no OC3 data for 2024-25"
