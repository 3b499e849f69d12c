"""The synthetic council obeys DfE's 903 validation rules, for several seeds.

Each test states one rule as DfE's guidance reads and checks every collection year of
small councils written with different seeds and extract dates (an in-year extract at each
quarter and one at 31 March); the last test runs ``cppanalytics validate`` (which applies
the project's implementation of the rules to every collection year) and asks for no errors
at all.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from cppanalytics.cli import main
from cppanalytics.dates import age_at
from cppanalytics.geography.postcodes import lookup
from cppanalytics.ssda903.codes import CODES, code_status
from cppanalytics.ssda903.dataset import FILE_NAMES
from cppanalytics.synth.council import write_council

#: (seed, extract date): the demo's seed and three others, the extract at each point of
#: the collection year (ten collection years written for each)
COUNCILS = (
    (2026, "2026-03-31"),
    (3, "2026-09-30"),
    (17, "2025-12-31"),
    (101, "2026-06-30"),
)
TEMP = ("T0", "T1", "T2", "T3", "T4")


@pytest.fixture(scope="module", params=COUNCILS, ids=[f"{s}-{e}" for s, e in COUNCILS])
def council(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    seed, extract = request.param
    out = tmp_path_factory.mktemp(f"seed{seed}")
    write_council(out, seed=seed, extract_date=extract, size=90)
    return out


def table(council: Path, name: str) -> pd.DataFrame:
    """One table over every year folder, with ``year`` (collection year of 31 March)."""
    parts = []
    for folder in sorted(p for p in council.iterdir() if p.is_dir()):
        path = folder / f"{FILE_NAMES[name]}.csv"
        if path.exists():
            frame = pd.read_csv(path, dtype=str, keep_default_na=False)
            parts.append(frame.assign(year=int(folder.name[:4]) + 1))
    return pd.concat(parts, ignore_index=True)


def dated(frame: pd.DataFrame, *cols: str) -> pd.DataFrame:
    out = frame.copy()
    for col in cols:
        out[col] = pd.to_datetime(out[col].replace("", None), format="%d/%m/%Y")
    return out


def with_next(eps: pd.DataFrame) -> pd.DataFrame:
    """Episodes of each return sorted, with the next episode's columns (``*_next``)."""
    eps = dated(eps, "DECOM", "DEC").sort_values(["year", "CHILD", "DECOM"])
    nxt = eps.groupby(["year", "CHILD"]).shift(-1)
    return eps.join(nxt.add_suffix("_next"))


def test_social_worker_reasons_are_dfe_codes_on_every_episode(council: Path) -> None:
    sw = table(council, "sw_episodes")
    assert len(sw) > 50
    assert sw["SW_REASON"].isin(CODES["SW_REASON"]).all(), set(sw["SW_REASON"])
    first = sw.assign(d=pd.to_datetime(sw["SW_DECOM"], format="%d/%m/%Y")).sort_values("d")
    assert (first.drop_duplicates("CHILD")["SW_REASON"] != "").all()


def test_social_worker_episodes_follow_each_other_and_one_is_open(council: Path) -> None:
    sw = dated(table(council, "sw_episodes"), "SW_DECOM", "SW_DEC")
    sw = sw.sort_values(["CHILD", "SW_DECOM", "year"]).drop_duplicates(
        ["CHILD", "SW_DECOM"],
        keep="last",  # an episode open at 31 March: next year's row
    )
    prev_dec = sw.groupby("CHILD")["SW_DEC"].shift(1)
    gap = (sw["SW_DECOM"] - prev_dec).dt.days.abs()
    after_gap = gap > 7
    # within 7 days of the previous one ending, except the first after a return home
    assert (sw.loc[after_gap, "SW_REASON"] == "FCONTA").all()
    assert after_gap.sum() >= 1 and gap.notna().sum() > 50
    # every child in care at the end of the files has an open social-worker episode
    eps = table(council, "episodes")
    last = eps[eps["year"] == eps["year"].max()]
    in_care = set(last.loc[(last["DEC"] == "") & ~last["LS"].isin(["V3", "V4"]), "CHILD"])
    latest = sw.drop_duplicates("CHILD", keep="last").set_index("CHILD")
    assert latest.loc[sorted(in_care), "SW_DEC"].isna().all()


def test_mother_for_every_girl_looked_after_and_only_for_them(council: Path) -> None:
    header, eps = table(council, "header"), table(council, "episodes")
    looked_after = eps[~eps["LS"].isin(["V3", "V4"])][["year", "CHILD"]].drop_duplicates()
    h = header.merge(looked_after.assign(la=True), on=["year", "CHILD"], how="left")
    girl = h["SEX"].isin(["2", "F"])
    applies = girl & h["la"].fillna(False).astype(bool)
    assert applies.sum() > 100
    assert h.loc[applies, "MOTHER"].isin(["0", "1"]).all()
    assert (h.loc[~applies, "MOTHER"] == "").all()
    assert ((h["MC_DOB"] != "") == (h["MOTHER"] == "1")).all()


def test_reason_for_placement_change_on_the_episode_that_ends(council: Path) -> None:
    e = with_next(table(council, "episodes"))
    changes = (e["REC"] == "X1") & e["RNE_next"].isin(["P", "B", "T", "U"])
    temporary = e["PLACE"].isin(TEMP) | e["PLACE_next"].isin(TEMP)
    needs = changes & ~temporary
    assert needs.sum() > 100
    assert e.loc[needs, "REASON_PLACE_CHANGE"].isin(CODES["REASON_PLACE_CHANGE"]).all()
    # blank otherwise: legal changes only, temporary placements and the episodes around
    # them, open episodes and exits (an X1 episode whose successor is in next year's
    # return cannot be judged here and is left out)
    judged = e["RNE_next"].notna() | (e["REC"] != "X1")
    assert (e.loc[judged & ~needs, "REASON_PLACE_CHANGE"] == "").all()


def test_no_placement_with_parents_under_section_20(council: Path) -> None:
    eps = table(council, "episodes")
    assert (eps["PLACE"] == "P1").sum() > 5
    assert not ((eps["LS"] == "V2") & (eps["PLACE"] == "P1")).any()


def test_short_breaks_not_in_long_term_foster_care_and_without_postcodes(council: Path) -> None:
    eps = table(council, "episodes")
    breaks = eps[eps["LS"].isin(["V3", "V4"])]
    assert len(breaks) >= 1
    assert not breaks["PLACE"].isin(["U1", "U4"]).any()
    assert (breaks[["PL_POST", "URN", "HOME_POST"]] == "").all().all()


def test_police_protection_at_most_72_hours(council: Path) -> None:
    e = dated(table(council, "episodes"), "DECOM", "DEC").sort_values(["CHILD", "DECOM"])
    e = e.drop_duplicates(["CHILD", "DECOM"])  # episodes repeat in the next year's return
    l1 = e[e["LS"] == "L1"]
    assert len(l1) > 0
    # consecutive L1 episodes would add up; here each L1 run is one episode
    run = l1.groupby("CHILD")["DECOM"].diff().dt.days
    assert not (run.notna() & (run <= 3)).any()
    days = (l1["DEC"] - l1["DECOM"]).dt.days
    assert (days.dropna() <= 3).all(), days.max()


def test_adopters_legal_status_agrees_with_number_and_sex(council: Path) -> None:
    ad1 = table(council, "ad1")
    assert len(ad1) > 3
    allowed = {
        "L0": {"M1", "F1"},
        "L11": {"MF"},
        "L12": {"MM", "FF"},
        "L2": {"MM", "FF", "MF"},
        "L3": {"MF"},
        "L4": {"MM", "FF"},
    }
    ok = [sex in allowed[ls] for ls, sex in zip(ad1["LS_ADOPTR"], ad1["SEX_ADOPTR"], strict=True)]
    assert all(ok), ad1[~pd.Series(ok)]
    single = ad1["SEX_ADOPTR"].isin(["M1", "F1"])
    assert (ad1.loc[single, "NB_ADOPTR"] == "1").all()
    assert (ad1.loc[~single, "NB_ADOPTR"] == "2").all()


def test_in_touch_care_leavers_have_an_activity_and_accommodation(council: Path) -> None:
    oc3 = table(council, "oc3")
    yes = oc3["IN_TOUCH"] == "YES"
    assert yes.sum() > 20
    assert (oc3.loc[yes, "ACTIV"] != "0").all() and (oc3.loc[yes, "ACCOM"] != "0").all()
    assert (oc3.loc[~yes, ["ACTIV", "ACCOM"]] == "0").all().all()
    dob = pd.to_datetime(oc3["DOB"], format="%d/%m/%Y")
    seventeen = (dob.dt.year + 17) == oc3["year"] - (dob.dt.month >= 4)
    assert not oc3.loc[seventeen, "ACCOM"].str.startswith("Z").any()  # not with former carers
    start = pd.to_datetime((oc3["year"] - 1).astype(str) + "-04-01")
    under_18 = (dob + pd.DateOffset(years=18)) > start
    assert not oc3.loc[under_18, "ACCOM"].isin(["T1", "T2"]).any()  # no foyer under 18
    # a young person reported dead is so in every later year's return
    died = oc3[oc3["IN_TOUCH"] == "DIED"].groupby("CHILD")["year"].min()
    later = oc3["CHILD"].map(died) < oc3["year"]
    assert (oc3.loc[later, "IN_TOUCH"] == "DIED").all()


def test_own_provision_other_than_foster_care_is_inside_the_council(council: Path) -> None:
    eps = table(council, "episodes")
    own = eps[
        (eps["PLACE_PROVIDER"] == "PR1")
        & ~eps["PLACE"].str.match(r"^[UA]\d$")
        & ~eps["LS"].isin(["V3", "V4"])
    ]
    assert len(own) > 5
    assert (lookup(own["PL_POST"])["ltla"] == "E06000042").all()


def test_uasc_children_have_no_home_postcode(council: Path) -> None:
    uasc, eps = table(council, "uasc"), table(council, "episodes")
    theirs = eps[eps["CHILD"].isin(uasc["CHILD"])]
    assert len(theirs) > 5
    assert (theirs["HOME_POST"] == "").all()
    others = eps[~eps["CHILD"].isin(uasc["CHILD"]) & ~eps["LS"].isin(["V3", "V4"])]
    assert (others["HOME_POST"] != "").all()


def test_sdq_reason_only_without_a_score(council: Path) -> None:
    oc2 = table(council, "oc2")
    score, reason = oc2["SDQ_SCORE"] != "", oc2["SDQ_REASON"] != ""
    assert score.sum() > 50 and reason.sum() > 5
    assert not (score & reason).any()
    dob = pd.to_datetime(oc2["DOB"], format="%d/%m/%Y")
    age = pd.concat([age_at(dob[oc2["year"] == y], f"{y}-03-31") for y in oc2["year"].unique()])
    age = age.reindex(oc2.index).astype("float64")
    in_range = (age >= 5) & (age <= 16)  # aged 4-16 all year (the in-year extract too)
    assert (score | reason)[in_range].all()
    assert not (oc2["SDQ_REASON"] == "SDQ1")[in_range].any()


def test_temporary_placements_have_a_placement_postcode(council: Path) -> None:
    eps = table(council, "episodes")
    temp = eps[eps["PLACE"].isin(TEMP)]
    assert len(temp) > 3
    assert (temp["PL_POST"] != "").all()
    assert lookup(temp["PL_POST"])["ltla"].notna().all()


def test_codes_the_generator_writes_are_dfe_codes(council: Path) -> None:
    eps = table(council, "episodes")
    for col in ("RNE", "LS", "CIN", "PLACE", "REC"):
        assert eps[col].replace("", None).dropna().isin(CODES[col]).all(), col
        # and each valid in the collection year of the return that holds it (no Z1, H5 or
        # P2 from 2025-26: a child in a Z1 placement moves before Z11-Z14 begin)
        given = eps[eps[col] != ""]
        status = code_status(col, given[col], given["year"])
        assert (status == "ok").all(), given.loc[status != "ok", ["year", col]].drop_duplicates()
    prev = table(council, "prev_perm")
    assert prev["PREV_PERM"].isin(CODES["PREV_PERM"]).all()
    assert ((prev["PREV_PERM"] == "Z1") == (prev["LA_PERM"] == "")).all()


def test_validate_reports_no_errors(
    council: Path, capsys: pytest.CaptureFixture, tmp_path: Path
) -> None:
    out_csv = tmp_path / "findings.csv"
    status = main(["validate", str(council), "--out", str(out_csv)])
    out = capsys.readouterr().out
    found = pd.read_csv(out_csv, dtype=str, keep_default_na=False)
    errors = found[found["severity"] == "error"]
    assert errors.empty, errors[["code", "table", "child", "message"]].head(10).to_string()
    assert status == 0, out
    # every collection year written was loaded and judged
    years = sorted(p.name for p in council.iterdir() if p.is_dir())
    assert len(years) == 10
    loaded = next(line for line in out.splitlines() if line.strip().startswith("episodes"))
    assert all(f"{year}:" in loaded for year in years), loaded
