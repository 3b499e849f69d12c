"""``cppanalytics validate`` names every planted error kind of issue 8 with its DfE code.

One 2023-24 file set; each child carries one planted error (and is otherwise valid), so
each expected (child, DfE code) pair must appear in the findings CSV ``validate`` writes.
"""

from __future__ import annotations

import pandas as pd
import pytest

from cppanalytics.cli import main
from cppanalytics.ssda903.dataset import COLUMNS
from tests.ssda903.builders import write_set
from tests.ssda903.rule_cases import ad1, ep, hd, mis, oc2, oc3, pp, rev, sw, uasc

#: child → (what is planted, the DfE rule that must name it)
PLANTED: dict[str, tuple[str, str]] = {
    "P01": ("RNE S straight after an X1 episode", "431"),
    "P02": ("V2 with placement P1", "378"),
    "P03": ("short breaks (V4) in a long-term foster placement", "384"),
    "P04": ("placed for adoption A5 under a care order (C2)", "408"),
    "P05": ("police protection L1 over 72 hours", "361"),
    "P06": ("a 19-year-old still looked after", "359"),
    "P07": ("DEC after the collection year end", "385"),
    "P08": ("MOTHER recorded for a boy", "165"),
    "P09": ("malformed UPN", "168"),
    "P10": ("OC2 for a child in care under 12 months", "190"),
    "P11": ("OC3 for a 12-year-old", "391"),
    "P12": ("UASC status ceasing at 20", "304"),
    "P13": ("MIS_END before MIS_START", "567"),
    "P14": ("missing postcodes", "392b"),
    "P15": ("E11 exit with no adoption record", "601"),
    "P16": ("review participation code not PN0-PN7", "167"),
    "P17": ("started care with no previous permanence", "630"),
    "P18": ("SDQ reason given with an SDQ score", "197a"),
    "P19": ("single adopter legal status for a couple", "514"),
    "P20": ("in touch but activity not known", "345"),
    "P21": ("unaccompanied asylum seeker with a home postcode", "406"),
    "P22": ("social worker change reason not a DfE code", "SW13STG1"),
    "P23": ("temporary placement with no postcode", "392b"),
    "P24": ("own provision (PR1) children's home outside the council", "1015"),
}


def _frame(name: str, rows: list[dict[str, str]]) -> pd.DataFrame:
    return pd.DataFrame(rows, dtype="str").reindex(columns=COLUMNS[name]).fillna("")


def planted_set() -> dict[str, pd.DataFrame]:
    """The file set: children P01-P23, each breaking the rule named in PLANTED."""
    kids = [k for k in PLANTED if k not in {"P06", "P08", "P09", "P11", "P12", "P21"}]
    header = [hd(k) for k in kids]
    header += [
        hd("P06", DOB="01/02/2005"),
        hd("P08", MOTHER="0"),
        hd("P09", UPN="A12345"),
        hd("P11", DOB="01/06/2011"),
        hd("P12", DOB="01/06/2007"),
        hd("P21", DOB="01/06/2007"),
    ]
    e = [
        ep("P01", dec="01/08/2023", rec="X1"),
        ep("P01", decom="01/08/2023", RNE="S"),
        ep("P02", LS="V2", PLACE="P1", PLACE_PROVIDER="PR0", URN=""),
        ep("P03", LS="V4", PLACE="U4", HOME_POST="", PL_POST="", URN=""),
        ep("P04", PLACE="A5"),
        ep("P05", LS="L1", dec="10/05/2023", rec="X1"),
        ep("P05", decom="10/05/2023", RNE="L"),
        ep("P06", decom="01/06/2022"),
        ep("P07", dec="05/04/2024", rec="E4A"),
        ep("P08"),
        ep("P09"),
        ep("P10", decom="01/09/2023"),
        ep("P11", decom="01/01/2020", dec="01/02/2023", rec="E4A"),
        ep("P12", HOME_POST=""),
        ep("P13"),
        ep("P14", PL_POST=""),
        ep("P15", decom="01/01/2023", PLACE="A4", dec="01/09/2023", rec="E11"),
        ep("P16"),
        ep("P17"),
        ep("P18", decom="01/01/2022"),
        ep("P19", decom="01/01/2022"),
        ep("P20", decom="01/01/2020", dec="01/02/2023", rec="E4A"),
        ep("P21"),
        ep("P22"),
        ep("P23", dec="01/08/2023", rec="X1"),
        ep(
            "P23",
            decom="01/08/2023",
            dec="05/08/2023",
            rec="X1",
            RNE="P",
            PLACE="T1",
            PLACE_PROVIDER="",
            PL_POST="",
            URN="",
        ),
        ep("P23", decom="05/08/2023", RNE="P"),
        ep("P24", PLACE="K2", PL_POST="SW1A 1AA"),
    ]
    started = [k for k in kids if k not in {"P11", "P17", "P20"}] + [
        "P06",
        "P08",
        "P09",
        "P12",
        "P21",
    ]
    return {
        "header": _frame("header", header),
        "episodes": _frame("episodes", e),
        "uasc": _frame("uasc", [uasc("P12", DUC="01/06/2027"), uasc("P21")]),
        "oc2": _frame("oc2", [oc2("P10"), oc2("P18", SDQ_REASON="SDQ2")]),
        "oc3": _frame("oc3", [oc3("P11", DOB="01/06/2011"), oc3("P20", ACTIV="0")]),
        "ad1": _frame("ad1", [ad1("P19", LS_ADOPTR="L0")]),
        "missing": _frame("missing", [mis("P13", start="05/06/2023", end="04/06/2023")]),
        "reviews": _frame("reviews", [rev("P16", code="PN9")]),
        "prev_perm": _frame("prev_perm", [pp(k) for k in started]),
        "sw_episodes": _frame("sw_episodes", [sw("P22", dec="01/07/2023", reason="FITLEFT")]),
    }


@pytest.fixture(scope="module")
def validated(tmp_path_factory: pytest.TempPathFactory) -> tuple[int, pd.DataFrame, str]:
    root = tmp_path_factory.mktemp("planted")
    folder = write_set(root / "2023-24", planted_set())
    out = root / "findings.csv"
    import contextlib
    import io

    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        status = main(
            [
                "validate",
                str(folder),
                "--period-end",
                "2024-03-31",
                "--top",
                "40",
                "--la-code",
                "E06000042",
                "--out",
                str(out),
            ]
        )
    return status, pd.read_csv(out, dtype=str, keep_default_na=False), buffer.getvalue()


@pytest.mark.parametrize("child", sorted(PLANTED))
def test_planted_error_named_with_its_dfe_code(
    validated: tuple[int, pd.DataFrame, str], child: str
) -> None:
    status, found, _ = validated
    what, code = PLANTED[child]
    codes = set(found.loc[found["child"] == child, "code"])
    assert f"dfe_{code}" in codes, f"{child} ({what}) not named by rule {code}: {sorted(codes)}"
    assert status == 1


def test_validate_prints_rules_and_computing_findings(
    validated: tuple[int, pd.DataFrame, str],
) -> None:
    _, found, text = validated
    assert "DfE validation rules broken:" in text and "dfe_431" in text
    assert "Indicators computed at 31/03/2024" in text
    # a finding raised while computing (the adoption with no AD1 row) is in the same list
    computed = found[~found["code"].str.startswith("dfe_") & found["indicators"].ne("")]
    assert len(computed), "no computation findings were reported"
    row = found[found["code"] == "dfe_378"].iloc[0]
    assert row["file"].endswith("episodes.csv") and row["row"] and row["column"] == "LS"
