"""The synthetic council: determinism, DfE layout, journey consistency, code lists by year."""

from __future__ import annotations

import filecmp
from pathlib import Path

import pandas as pd
import pytest

from cppanalytics.cli import main
from cppanalytics.geography.postcodes import lookup
from cppanalytics.ssda903.dataset import COLUMNS, FILE_NAMES
from cppanalytics.synth.council import council_sizes, population, write_council
from cppanalytics.synth.journeys import age_years, birthday_ord, ordinal, upn_check_letter

EXTRACT = "2026-09-30"
YEARS = [f"{y - 1}-{str(y)[-2:]}" for y in range(2018, 2028)]
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def council(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synth") / "council"
    write_council(out, seed=11, extract_date=EXTRACT, size=150)
    return out


def read(folder: Path, table: str) -> pd.DataFrame:
    return pd.read_csv(folder / f"{FILE_NAMES[table]}.csv", dtype=str, keep_default_na=False)


def all_years(council: Path, table: str) -> pd.DataFrame:
    parts = []
    for label in YEARS:
        path = council / label / f"{FILE_NAMES[table]}.csv"
        if path.exists():
            frame = read(council / label, table)
            parts.append(frame.assign(year=int(label[:4]) + 1))
    return pd.concat(parts, ignore_index=True)


def dates(values: pd.Series) -> pd.Series:
    return pd.to_datetime(values.replace("", None), format="%d/%m/%Y")


# ---- determinism and layout ---------------------------------------------------------------


def test_same_seed_gives_identical_bytes(tmp_path: Path) -> None:
    write_council(tmp_path / "a", seed=5, extract_date="2024-06-30", size=40)
    write_council(tmp_path / "b", seed=5, extract_date="2024-06-30", size=40)
    write_council(tmp_path / "c", seed=6, extract_date="2024-06-30", size=40)
    cmp = filecmp.dircmp(tmp_path / "a", tmp_path / "b")
    assert not cmp.diff_files and not cmp.left_only and not cmp.right_only
    for label in cmp.common_dirs:
        sub = cmp.subdirs[label]
        assert not sub.diff_files and not sub.left_only and not sub.right_only
        assert sub.same_files  # compared byte for byte
    ep_a = (tmp_path / "a" / "2024-25" / "episodes.csv").read_bytes()
    ep_c = (tmp_path / "c" / "2024-25" / "episodes.csv").read_bytes()
    assert ep_a != ep_c


def test_ten_year_folders_ending_with_the_in_year_extract(council: Path) -> None:
    folders = sorted(p.name for p in council.iterdir() if p.is_dir())
    assert folders == YEARS
    assert (council / "README.md").read_text().count("synthetic") >= 2
    pop = pd.read_csv(council / "population.csv")
    assert list(pop.columns) == ["year", "population"]
    assert pop["year"].min() <= 2016 and pop["year"].max() == 2026
    # ~150 in care at 63 per 10,000
    assert pop["population"].between(20_000, 30_000).all()


def test_dfe_columns_and_date_format(council: Path) -> None:
    for label in YEARS:
        year = int(label[:4]) + 1
        names = {p.stem for p in (council / label).glob("*.csv")}
        expected = {FILE_NAMES[t] for t in COLUMNS if t not in ("sw_episodes", "dolo")}
        if year >= 2024:
            expected.add(FILE_NAMES["sw_episodes"])
        if year >= 2027:
            expected.add(FILE_NAMES["dolo"])
        assert names == expected, label
        for table, columns in COLUMNS.items():
            path = council / label / f"{FILE_NAMES[table]}.csv"
            if path.exists():
                assert read(council / label, table).columns.tolist() == columns
    eps = all_years(council, "episodes")
    for col in ("DECOM", "DEC"):
        filled = eps[col][eps[col] != ""]
        assert filled.str.fullmatch(r"\d{2}/\d{2}/\d{4}").all()


def test_population_is_deterministic_and_scaled() -> None:
    a = population(3, 400, range(2015, 2027))
    assert a.equals(population(3, 400, range(2015, 2027)))
    assert (400 / a["population"] * 10_000).between(55, 72).all()


def test_council_sizes_differ() -> None:
    sizes = council_sizes(2026, 5)
    assert len({seed for seed, _ in sizes}) == 5
    assert all(150 <= size <= 900 for _, size in sizes)
    assert len({size for _, size in sizes}) > 1


# ---- yearly returns follow DfE practice -----------------------------------------------------


def test_each_year_holds_episodes_open_in_it(council: Path) -> None:
    for label in YEARS:
        year = int(label[:4]) + 1
        start = pd.Timestamp(year=year - 1, month=4, day=1)
        end = min(pd.Timestamp(year=year, month=3, day=31), pd.Timestamp(EXTRACT))
        eps = read(council / label, "episodes")
        decom, dec = dates(eps["DECOM"]), dates(eps["DEC"])
        assert (decom <= end).all(), label
        assert (dec.isna() | ((dec >= start) & (dec <= end))).all(), label
        assert ((eps["REC"] == "") == dec.isna()).all(), label
        header = read(council / label, "header")
        assert set(eps["CHILD"]) <= set(header["CHILD"])
        assert not header["CHILD"].duplicated().any()


def test_episode_open_at_31_march_appears_next_year(council: Path) -> None:
    this = read(council / "2022-23", "episodes")
    nxt = read(council / "2023-24", "episodes")
    open_at_end = this[this["DEC"] == ""]
    assert len(open_at_end) > 50
    keys = set(zip(nxt["CHILD"], nxt["DECOM"], strict=True))
    assert all(k in keys for k in zip(open_at_end["CHILD"], open_at_end["DECOM"], strict=True))


def test_episodes_chain_with_x1(council: Path) -> None:
    exits_then_back = 0
    for label in YEARS[-5:-1]:
        eps = read(council / label, "episodes")
        eps = eps.assign(DECOM=dates(eps["DECOM"]), DEC=dates(eps["DEC"]))
        eps = eps.sort_values(["CHILD", "DECOM"])
        nxt = eps.groupby("CHILD")["DECOM"].shift(-1)
        x1 = eps["REC"] == "X1"
        assert x1.sum() > 100
        # an X1 episode's end is the next episode's start; other exits are not followed the
        # same day
        assert (eps.loc[x1, "DEC"] == nxt[x1]).all()
        follows_x1 = eps.groupby("CHILD")["REC"].shift(1) == "X1"
        assert (eps.loc[follows_x1, "RNE"] != "S").all()
        # an episode after an exit (not X1) starts a new period: RNE S
        after_exit = eps.groupby("CHILD")["REC"].shift(1).notna() & ~follows_x1
        exits_then_back += int(after_exit.sum())
        assert (eps.loc[after_exit, "RNE"] == "S").all()
    assert exits_then_back >= 1


def test_codes_valid_for_each_collection_year(council: Path) -> None:
    eps = all_years(council, "episodes")
    assert not eps.loc[eps["year"] < 2025, "PLACE"].isin(["K3"]).any()
    assert not eps.loc[eps["year"] >= 2026, "PLACE"].isin(["H5", "P2"]).any()
    assert not eps.loc[eps["year"] < 2026, "PLACE"].isin(["Z11", "Z12", "Z13", "Z14"]).any()
    assert not eps.loc[eps["year"] < 2020, "REC"].isin(["E45", "E46", "E47", "E48"]).any()
    assert not eps.loc[eps["year"] >= 2020, "REC"].isin(["E43", "E44"]).any()
    assert eps["PLACE"].isin(["K3"]).any() and eps["PLACE"].isin(["H5"]).any()
    header = all_years(council, "header")
    assert set(header.loc[header["year"] <= 2024, "SEX"]) == {"1", "2"}
    assert set(header.loc[header["year"] >= 2025, "SEX"]) == {"M", "F"}
    assert (header.loc[header["SEX"].isin(["1", "M"]), "MOTHER"] == "").all()
    oc3 = all_years(council, "oc3")
    assert not oc3.loc[oc3["year"] <= 2021, "ACTIV"].isin(["F4", "P4", "F5", "P5"]).any()
    assert not oc3.loc[oc3["year"] >= 2022, "ACTIV"].isin(["F3", "P3"]).any()
    # provider is blank for temporary and "other" placements (Z1, Z11-Z14: DfE wants none) only
    temp = eps["PLACE"].str.match(r"^(T[0-4]|Z1|Z1[1-4])$")
    assert (eps.loc[temp, "PLACE_PROVIDER"] == "").all()
    assert (eps.loc[~temp, "PLACE_PROVIDER"] != "").all()
    assert (eps.loc[eps["PLACE"] == "P1", "PLACE_PROVIDER"] == "PR0").all()


def test_journeys_have_the_moves_a_panel_sees(council: Path) -> None:
    eps = all_years(council, "episodes").drop_duplicates(["CHILD", "DECOM"], keep="last")
    assert set("SPLTUB") <= set(eps["RNE"])
    assert eps["LS"].isin(["V3", "V4"]).any()
    assert eps["PLACE"].str.match(r"^T[0-4]$").any()
    assert eps["REC"].isin(["E11", "E12"]).any() and eps["REC"].isin(["E4A"]).any()
    # same-carer changes and legal-status-only changes keep the placement's postcode and URN
    eps = eps.assign(DECOM=dates(eps["DECOM"])).sort_values(["CHILD", "DECOM"])
    prev = eps.groupby("CHILD")[["PL_POST", "URN", "PLACE"]].shift(1)
    same = eps["RNE"].isin(["L", "T", "U"]) & prev["PL_POST"].notna()
    assert (eps.loc[same, "PL_POST"] == prev.loc[same, "PL_POST"]).all()
    legal_only = (eps["RNE"] == "L") & prev["PLACE"].notna()
    assert legal_only.sum() > 20
    assert (eps.loc[legal_only, "PLACE"] == prev.loc[legal_only, "PLACE"]).all()


def test_temporary_placements_return_to_the_same_placement(council: Path) -> None:
    eps = all_years(council, "episodes").drop_duplicates(["CHILD", "DECOM"], keep="last")
    eps = (
        eps.assign(DECOM=dates(eps["DECOM"])).sort_values(["CHILD", "DECOM"]).reset_index(drop=True)
    )
    temp = eps["PLACE"].str.match(r"^T[0-4]$") & (eps["REC"] == "X1")
    before = eps.shift(1)
    after = eps.shift(-1)
    ok = temp & (before["CHILD"] == eps["CHILD"]) & (after["CHILD"] == eps["CHILD"])
    assert ok.sum() >= 3
    keys = ["PL_POST", "URN"]
    same = (before.loc[ok, keys] == after.loc[ok, keys]).all(axis=1)
    # all but those re-recorded as a successor type the same day keep the placement
    assert same.mean() == 1.0
    succ = before.loc[ok, "PLACE"].replace({"H5": "K3", "P2": "K3", "Z1": "Z14"})
    assert (
        after.loc[ok, "PLACE"].isin(succ) | (after.loc[ok, "PLACE"] == before.loc[ok, "PLACE"])
    ).all()


def test_adoption_pipeline_is_consistent(council: Path) -> None:
    eps = all_years(council, "episodes").drop_duplicates(["CHILD", "DECOM"], keep="last")
    eps = eps.assign(DECOM=dates(eps["DECOM"]), DEC=dates(eps["DEC"]))
    adopted = eps[eps["REC"].isin(["E11", "E12"])]
    assert len(adopted) >= 5
    # the adopted child's last episode is a placement for adoption
    assert adopted["PLACE"].isin(["A3", "A4", "A5", "A6"]).all()
    # A3/A5 (with the current foster carer) are reached by RNE T/U; A4/A6 by a new carer
    a35 = eps[eps["PLACE"].isin(["A3", "A5"])]
    assert a35["RNE"].isin(["T", "U", "L"]).all()
    ad1 = all_years(council, "ad1")
    assert set(ad1["CHILD"]) == set(adopted["CHILD"])
    di, dm = dates(ad1["DATE_INT"]), dates(ad1["DATE_MATCH"])
    assert (di <= dm).all()
    placed = eps[eps["PLACE"].isin(["A3", "A4", "A5", "A6"])].groupby("CHILD")["DECOM"].min()
    assert (dm.to_numpy() <= placed.reindex(ad1["CHILD"]).to_numpy()).all()
    assert set(ad1["FOSTER_CARE"]) <= {"0", "1"}
    foster = ad1.set_index("CHILD")["FOSTER_CARE"] == "1"
    first_a = eps[eps["PLACE"].isin(["A3", "A4", "A5", "A6"])].drop_duplicates("CHILD")
    first_a = first_a.set_index("CHILD")["PLACE"].reindex(foster.index)
    assert (first_a[foster].isin(["A3", "A5"])).all()
    assert (first_a[~foster].isin(["A4", "A6"])).all()
    pa = all_years(council, "placed_adoption").drop_duplicates("CHILD", keep="last")
    pa = pa.set_index("CHILD")
    assert set(ad1["CHILD"]) <= set(pa.index)
    assert (pa.loc[ad1["CHILD"], "DATE_PLACED"].to_numpy() == ad1["DATE_INT"].to_numpy()).all()
    ceased = pa[pa["DATE_PLACED_CEASED"] != ""]
    assert ceased["REASON_PLACED_CEASED"].isin(["RD1", "RD2", "RD3", "RD4"]).all()


def test_oc2_is_the_12_month_cohort_with_age_rules(council: Path) -> None:
    oc2 = read(council / "2024-25", "oc2")
    eps = read(council / "2024-25", "episodes")
    # England: ~57k in the OC2 cohort of ~105k looked after during the year (about 55%)
    assert 0.65 * len(eps["CHILD"].unique()) > len(oc2) > 50
    dob = dates(oc2["DOB"])
    age = dob.map(lambda d: age_years(ordinal(d), ordinal("2025-03-31")))
    sdq = pd.to_numeric(oc2["SDQ_SCORE"], errors="coerce")
    assert sdq.dropna().between(0, 40).all()
    assert sdq[(age < 4) | (age > 16)].isna().all()
    assert (oc2.loc[age >= 5, "HEALTH_CHECK"] == "").all()
    assert oc2.loc[age < 5, "HEALTH_CHECK"].isin(["0", "1"]).all()
    assert (oc2.loc[age < 10, "CONVICTED"] == "").all()
    no_score = sdq.isna() & (age >= 4) & (age <= 16)
    assert oc2.loc[no_score, "SDQ_REASON"].str.match(r"^SDQ[1-5]$").all()
    no_misuse = oc2["SUBSTANCE_MISUSE"] == "0"
    assert (oc2.loc[no_misuse, "INTERVENTION_RECEIVED"] == "").all()


def test_oc3_rows_are_care_leavers_at_17_to_21(council: Path) -> None:
    oc3 = read(council / "2023-24", "oc3")
    assert len(oc3) > 20
    dob = dates(oc3["DOB"])
    ages = [age_years(ordinal(d), ordinal("2024-03-31")) for d in dob]
    assert all(17 <= a <= 21 for a in ages)
    header = read(council / "2023-24", "header")
    assert set(oc3["CHILD"]) <= set(header["CHILD"])
    valid = oc3["ACCOM"].str.fullmatch(r"[A-Z][12]|0")
    assert valid.all()
    assert oc3["IN_TOUCH"].isin(["YES", "NO", "DIED", "REFU", "NREQ", "RHOM"]).all()


def test_uasc_are_mostly_older_boys(council: Path) -> None:
    uasc = all_years(council, "uasc").drop_duplicates("CHILD")
    assert len(uasc) >= 5
    assert uasc["SEX"].isin(["1", "M"]).mean() > 0.7
    duc, dob = dates(uasc["DUC"]), dates(uasc["DOB"])
    assert all(
        d == pd.Timestamp.fromordinal(birthday_ord(ordinal(b), 18))
        for d, b in zip(duc, dob, strict=True)
    )


def test_missing_and_sw_episodes(council: Path) -> None:
    mis = all_years(council, "missing")
    assert set(mis["MISSING"]) == {"M", "A"}
    assert not mis.duplicated(["year", "CHILD", "MIS_START"]).any()
    start, end = dates(mis["MIS_START"]), dates(mis["MIS_END"])
    assert (end.isna() | (end >= start)).all()
    sw = all_years(council, "sw_episodes")
    assert sw["year"].min() == 2024
    ended = sw["SW_DEC"] != ""
    assert (sw.loc[ended, "SW_REASON"] != "").all() or sw.loc[ended, "SW_DEC"].notna().all()
    assert (dates(sw.loc[ended, "SW_DEC"]) >= dates(sw.loc[ended, "SW_DECOM"])).all()


def test_upns_carry_valid_check_letters(council: Path) -> None:
    header = read(council / "2025-26", "header")
    upn = header["UPN"]
    assert upn.str.fullmatch(r"[A-Z]\d{12}").all()
    assert all(u[0] == upn_check_letter(u[1:]) for u in upn)


def test_postcodes_are_real_and_homes_in_milton_keynes(council: Path) -> None:
    eps = read(council / "2025-26", "episodes")
    home = lookup(eps["HOME_POST"])
    assert (home["ltla"] == "E06000042").all()
    pl = eps.loc[eps["PL_POST"] != "", "PL_POST"]
    found = lookup(pl)
    assert found["easting"].notna().all()
    share_in = (found["ltla"] == "E06000042").mean()
    assert 0.4 < share_in < 0.85


# ---- the CLI and the loader -------------------------------------------------------------------


def test_cli_writes_a_council(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status = main(
        [
            "synth",
            "--out",
            str(tmp_path / "x"),
            "--seed",
            "3",
            "--extract-date",
            "2020-12-31",
            "--size",
            "40",
        ]
    )
    assert status == 0
    assert "2011-12 to 2020-21" in capsys.readouterr().out
    assert (tmp_path / "x" / "2020-21" / "episodes.csv").exists()


def test_cli_councils(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import cppanalytics.synth.council as council_mod

    monkeypatch.setattr(
        council_mod, "council_sizes", lambda seed, n: [(seed + i, 30) for i in range(n)]
    )
    assert (
        main(
            [
                "synth",
                "--out",
                str(tmp_path),
                "--seed",
                "4",
                "--councils",
                "2",
                "--extract-date",
                "2021-03-31",
            ]
        )
        == 0
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["council_001", "council_002"]
    a = (tmp_path / "council_001" / "2020-21" / "episodes.csv").read_bytes()
    b = (tmp_path / "council_002" / "2020-21" / "episodes.csv").read_bytes()
    assert a != b


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--extract-date", "30/09/2026"], "YYYY-MM-DD"),
        (["--councils", "0"], "1 or more"),
        (["--extract-date", "2001-03-31"], "too early"),
        (["--size", "3"], "too small"),
    ],
)
def test_cli_errors_are_clear(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    assert main(["synth", "--out", str(tmp_path), *argv]) == 2
    assert message in capsys.readouterr().err


def test_demo_data_passes_the_loader_without_errors() -> None:
    from cppanalytics.ssda903 import load

    demo = REPO / "data" / "synthetic"
    ds = load(demo)
    errors = ds.findings[ds.findings["severity"] == "error"]
    assert errors.empty, errors[["code", "table", "message"]].head().to_string()
    assert ds.years() == list(range(2018, 2028))


def test_demo_data_is_small() -> None:
    demo = REPO / "data" / "synthetic"
    files = [p for p in demo.rglob("*") if p.is_file()]
    assert sum(p.stat().st_size for p in files) < 5_000_000
    assert max(p.stat().st_size for p in files) < 1_500_000
