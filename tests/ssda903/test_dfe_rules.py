"""Every DfE 903 validation rule: a dataset that breaks it and one that does not.

Cases are built by hand from each rule's definition (see ``rule_cases.py`` for the row
builders); each runs the one rule on both datasets. A registered rule without a case fails
``test_every_rule_has_a_case``.
"""

from __future__ import annotations

import pytest

from cppanalytics.ssda903.rules import RULES, run_rules
from tests.ssda903.rule_cases import (
    CHAIN,
    LONG,
    C,
    Case,
    ad1,
    dataset,
    dl,
    ep,
    girl,
    hd,
    mis,
    oc2,
    oc3,
    pa,
    pp,
    rev,
    sw,
    uasc,
)

CASES: list[Case] = [
    # --- Header --------------------------------------------------------------------
    C("101", {"header": [hd(SEX="M")]}, {"header": [hd(SEX="1")]}, note="1/2 until 2023-24"),
    C("101", {"header": [hd(SEX="1")]}, {"header": [hd(SEX="M")]}, year=2025, note="M/F/U"),
    C("102", {"header": [hd(DOB="")]}, {"header": [hd()]}),
    C("103", {"header": [hd(ETHNIC="WXYZ")]}, {"header": [hd(ETHNIC="MOTH")]}),
    C("165", {"header": [hd(MOTHER="0")]}, {"header": [girl(MOTHER="0")]}, note="boy"),
    C(
        "165",
        {"header": [girl(MOTHER="2")]},
        {"header": [girl(MOTHER="1", MC_DOB="01/01/2024")]},
        note="value",
    ),
    C("168", {"header": [hd(UPN="I123456789012")]}, {"header": [hd(UPN="A12345678901B")]}),
    C("168", {"header": [hd(UPN="UN6")]}, {"header": [hd(UPN="UN5")]}, note="unknown-code"),
    C(
        "174",
        {"header": [hd(MC_DOB="01/01/2024")]},
        {"header": [girl(MOTHER="1", MC_DOB="01/01/2024")]},
    ),
    C("209", {"header": [hd(UPN="UN1")]}, {"header": [hd(UPN="UN1", DOB="01/01/2020")]}),
    C("232", {"header": [hd(SEX="U")]}, {"header": [hd(SEX="F")]}, year=2025),
    C("301", {"header": [hd(DOB="01/04/2024")]}, {"header": [hd(DOB="31/03/2024")]}),
    C("351", {"header": [hd(DOB="01/03/1998")]}, {"header": [hd(DOB="01/04/1998")]}),
    C(
        "393",
        {"header": [girl(MOTHER="")], "episodes": [ep()]},
        {"header": [girl(MOTHER="")], "episodes": [ep(LS="V3")]},
    ),
    C(
        "442",
        {"header": [hd(UPN="")], "episodes": [ep()]},
        {"header": [hd(UPN="")], "episodes": [ep(LS="V4")]},
    ),
    C("611", {"header": [girl(MOTHER="1")]}, {"header": [girl(MOTHER="1", MC_DOB="01/01/2024")]}),
    C(
        "612",
        {"header": [girl(MOTHER="0", MC_DOB="01/01/2024")]},
        {"header": [girl(MOTHER="1", MC_DOB="01/01/2024")]},
    ),
    C(
        "620",
        {"header": [girl(MOTHER="1", DOB="01/06/2013", MC_DOB="01/01/2024")]},
        {"header": [girl(MOTHER="1", DOB="01/06/2009", MC_DOB="01/01/2024")]},
    ),
    C(
        "621",
        {"header": [girl(MOTHER="1", MC_DOB="01/06/2010")]},
        {"header": [girl(MOTHER="1", MC_DOB="02/06/2010")]},
    ),
    C(
        "625",
        {"header": [girl(MOTHER="1", MC_DOB="01/04/2024")]},
        {"header": [girl(MOTHER="1", MC_DOB="31/03/2024")]},
    ),
    # --- Episodes: dates -----------------------------------------------------------
    C("141", {"episodes": [ep(decom="")]}, {"episodes": [ep()]}),
    C("148", {"episodes": [ep(dec="01/06/2023")]}, {"episodes": [ep(dec="01/06/2023", rec="E4A")]}),
    C("148", {"episodes": [ep(rec="E4A")]}, {"episodes": [ep()]}, note="rec-no-dec"),
    C("353", {"episodes": [ep(decom="13/10/1991")]}, {"episodes": [ep(decom="14/10/1991")]}),
    C("354", {"episodes": [ep(decom="01/04/2024")]}, {"episodes": [ep(decom="31/03/2024")]}),
    C(
        "355",
        {"episodes": [ep(dec="01/05/2023", rec="E4A")]},
        {"episodes": [ep(dec="02/05/2023", rec="E4A")]},
    ),
    C(
        "356",
        {"episodes": [ep(dec="30/04/2023", rec="E4A")]},
        {"episodes": [ep(dec="01/05/2023", rec="E4A")]},
    ),
    C(
        "385",
        {"episodes": [ep(dec="01/04/2024", rec="E4A")]},
        {"episodes": [ep(dec="31/03/2024", rec="E4A")]},
    ),
    C(
        "302",
        {"header": [hd(DOB="02/05/2023")], "episodes": [ep()]},
        {"header": [hd(DOB="01/05/2023")], "episodes": [ep()]},
    ),
    # --- Episodes: sequences -------------------------------------------------------
    C("142", {"episodes": [ep(), ep(decom="01/08/2023", RNE="P")]}, {"episodes": CHAIN}),
    C("357", {"episodes": [ep(RNE="P")]}, {"episodes": [ep(RNE="P", decom="01/01/2023")]}),
    C(
        "388",
        {"episodes": [ep(dec="01/08/2023", rec="X1"), ep(decom="02/08/2023", RNE="P")]},
        {"episodes": CHAIN},
        note="x1-gap",
    ),
    C(
        "388",
        {"episodes": [ep(dec="01/08/2023", rec="E4A"), ep(decom="01/08/2023", RNE="S")]},
        {"episodes": [ep(dec="01/08/2023", rec="E4A"), ep(decom="02/08/2023", RNE="S")]},
        note="exit-same-day",
    ),
    C(
        "388",
        {"episodes": [ep(dec="01/08/2023", rec="X1")]},
        {"episodes": [ep(dec="01/08/2023", rec="E4A")]},
        note="last-x1",
    ),
    C(
        "431",
        {"episodes": [ep(dec="01/08/2023", rec="X1"), ep(decom="01/08/2023", RNE="S")]},
        {"episodes": [ep(dec="01/08/2023", rec="E4A"), ep(decom="02/08/2023", RNE="S")]},
    ),
    C(
        "432",
        {"episodes": [ep(dec="01/08/2023", rec="E4A"), ep(decom="05/08/2023", RNE="P")]},
        {"episodes": [ep(dec="01/08/2023", rec="E4A"), ep(decom="05/08/2023", RNE="S")]},
    ),
    C(
        "433",
        {"episodes": [ep(dec="01/08/2023", rec="X1"), ep(decom="03/08/2023", RNE="P")]},
        {"episodes": CHAIN},
    ),
    C(
        "434",
        {"episodes": [ep(dec="01/08/2023", rec="X1"), ep(decom="01/08/2023", RNE="L")]},
        {"episodes": [ep(dec="01/08/2023", rec="X1"), ep(decom="01/08/2023", RNE="L", LS="C1")]},
    ),
    C(
        "435",
        {"episodes": [ep(dec="01/08/2023", rec="X1"), ep(decom="01/08/2023", RNE="P")]},
        {"episodes": CHAIN},
    ),
    C(
        "436",
        {
            "episodes": [
                ep(dec="01/08/2023", rec="X1"),
                ep(decom="01/08/2023", RNE="U", PLACE="U1", URN="SC000002"),
            ]
        },
        {
            "episodes": [
                ep(dec="01/08/2023", rec="X1"),
                ep(decom="01/08/2023", RNE="U", LS="C1", PLACE="U1", URN="SC000002"),
            ]
        },
    ),
    C(
        "437",
        {"episodes": [ep(dec="01/08/2023", rec="E2"), ep(decom="05/08/2023")]},
        {"episodes": [ep(dec="01/08/2023", rec="E4A"), ep(decom="05/08/2023")]},
    ),
    C(
        "501",
        {"episodes": [ep(dec="01/08/2023", rec="X1"), ep(decom="20/07/2023", RNE="P")]},
        {"episodes": CHAIN},
    ),
    C(
        "504",
        {"episodes": [ep(dec="01/08/2023", rec="X1"), ep(decom="01/08/2023", RNE="P", CIN="N2")]},
        {"episodes": [ep(dec="01/08/2023", rec="E4A"), ep(decom="02/08/2023", CIN="N2")]},
    ),
    # --- Episodes: legal status ----------------------------------------------------
    C(
        "358",
        {"header": [hd(DOB="01/06/2014")], "episodes": [ep(LS="J2")]},
        {"header": [hd(DOB="01/06/2012")], "episodes": [ep(LS="J2")]},
    ),
    C(
        "359",
        {"header": [hd(DOB="01/03/2005")], "episodes": [ep()]},
        {"header": [hd(DOB="01/03/2005")], "episodes": [ep(LS="V2", PLACE="K2")]},
    ),
    C(
        "359",
        {"header": [hd(DOB="01/03/2005")], "episodes": [ep()]},
        {"header": [hd(DOB="01/04/2006")], "episodes": [ep()]},
        note="age",
    ),
    C(
        "359",
        {
            "header": [hd(DOB="14/10/2008")],
            "episodes": [ep(decom="01/05/2026"), ep("2", decom="20/10/2026")],
        },
        {
            "header": [hd(DOB="14/10/2008")],
            "episodes": [ep(decom="01/05/2026"), ep("2", decom="30/09/2026")],
        },
        year=2027,
        note="year-in-progress-judged-at-extract-date",
    ),
    C(
        "393",
        {"header": [girl(MOTHER="", YEAR="2025")], "episodes": [ep(decom="01/05/2024")]},
        {
            "header": [girl(MOTHER="", YEAR="2025")],
            "episodes": [ep(decom="01/05/2022", dec="01/03/2024", rec="E4A")],
        },
        year=2025,
        note="only-children-looked-after-in-the-year",
    ),
    C(
        "632",
        {
            "episodes": [ep(decom="01/01/2020", dec="01/02/2020", rec="E4A", YEAR="2020"), ep()],
            "prev_perm": [pp(PREV_PERM="P4", LA_PERM="825", DATE_PERM="02/05/2023")],
        },
        {
            "episodes": [ep(decom="01/01/2020", dec="01/02/2020", rec="E4A", YEAR="2020"), ep()],
            "prev_perm": [pp(PREV_PERM="P4", LA_PERM="825", DATE_PERM="01/06/2021")],
        },
        note="order-between-two-periods-of-care",
    ),
    C(
        "361",
        {"episodes": [ep(LS="L1", dec="05/05/2023", rec="X1"), ep(decom="05/05/2023", RNE="L")]},
        {"episodes": [ep(LS="L1", dec="04/05/2023", rec="X1"), ep(decom="04/05/2023", RNE="L")]},
    ),
    C(
        "361",
        {
            "episodes": [
                ep(LS="L1", dec="03/05/2023", rec="X1"),
                ep(LS="L1", decom="03/05/2023", RNE="P", dec="05/05/2023", rec="E4A"),
            ]
        },
        {
            "episodes": [
                ep(LS="L1", dec="03/05/2023", rec="X1"),
                ep(LS="C1", decom="03/05/2023", RNE="L", dec="05/06/2023", rec="E4A"),
            ]
        },
        note="chain",
    ),
    C(
        "362",
        {"episodes": [ep(LS="L2", dec="23/05/2023", rec="E4A")]},
        {"episodes": [ep(LS="L2", dec="22/05/2023", rec="E4A")]},
    ),
    C(  # open at an in-year extract (another child's episode dates it 30/09/2026):
        # judged by how long it has lasted so far, not up to 31 March
        "362",
        {"episodes": [ep(LS="L2", decom="01/09/2026"), ep("2", decom="30/09/2026")]},
        {"episodes": [ep(LS="L2", decom="28/09/2026"), ep("2", decom="30/09/2026")]},
        year=2027,
        note="open-at-in-year-extract",
    ),
    C(
        "363",
        {"episodes": [ep(LS="L3", dec="09/05/2023", rec="E4A")]},
        {"episodes": [ep(LS="L3", dec="08/05/2023", rec="E4A")]},
    ),
    C(
        "364",
        {"episodes": [ep(LS="J2", dec="23/05/2023", rec="E4A")]},
        {"episodes": [ep(LS="J2", dec="22/05/2023", rec="E4A")]},
    ),
    C(
        "365",
        {"episodes": [ep(LS="V3", dec="19/05/2023", rec="E13")]},
        {"episodes": [ep(LS="V3", dec="18/05/2023", rec="E13")]},
    ),
    C(
        "365",
        {"episodes": [ep(LS="V3", decom="01/09/2026"), ep("2", decom="30/09/2026")]},
        {"episodes": [ep(LS="V3", decom="29/09/2026"), ep("2", decom="30/09/2026")]},
        year=2027,
        note="open-at-in-year-extract",
    ),
    C("366", {"episodes": [ep(LS="V3", RNE="P")]}, {"episodes": [ep(LS="V3", RNE="S")]}),
    C(
        "367",
        {
            "episodes": [
                ep(LS="V3", decom=f"01/{m:02d}/2023", dec=f"17/{m:02d}/2023", rec="E13")
                for m in (5, 6, 7, 8, 9)
            ]
        },
        {
            "episodes": [
                ep(LS="V3", decom=f"01/{m:02d}/2023", dec=f"16/{m:02d}/2023", rec="E13")
                for m in (5, 6, 7, 8, 9)
            ]
        },
    ),
    C("378", {"episodes": [ep(LS="V2", PLACE="P1")]}, {"episodes": [ep(LS="C2", PLACE="P1")]}),
    C("382", {"episodes": [ep(LS="V4", PLACE="T3")]}, {"episodes": [ep(LS="V4", PLACE="U6")]}),
    C("384", {"episodes": [ep(LS="V3", PLACE="U1")]}, {"episodes": [ep(LS="V3", PLACE="U3")]}),
    C(
        "384",
        {"episodes": [ep(LS="V4", PLACE="U4")]},
        {"episodes": [ep(LS="C2", PLACE="U4")]},
        note="V4",
    ),
    C("408", {"episodes": [ep(LS="C2", PLACE="A5")]}, {"episodes": [ep(LS="E1", PLACE="A5")]}),
    C(
        "426",
        {"episodes": [ep(LS="V3", dec="02/05/2023", rec="E13"), ep(LS="V4", decom="01/06/2023")]},
        {"episodes": [ep(LS="V4", dec="02/05/2023", rec="E13"), ep(LS="V4", decom="01/06/2023")]},
    ),
    C(
        "446",
        {"episodes": [ep(LS="E1", decom="01/12/2005")]},
        {"episodes": [ep(LS="E1", decom="30/12/2005")]},
    ),
    C(
        "445",
        {"episodes": [ep(LS="D1", decom="31/12/2005")]},
        {"episodes": [ep(LS="D1", decom="30/12/2005")]},
    ),
    # --- Episodes: placements ------------------------------------------------------
    C(
        "370",
        {"header": [hd(DOB="01/06/2008")], "episodes": [ep(PLACE="P2")]},
        {"header": [hd(DOB="01/04/2008")], "episodes": [ep(PLACE="P2")]},
        year=2023,
    ),
    C(
        "370",
        {"header": [hd(DOB="01/04/2008")], "episodes": [ep(PLACE="P2")]},
        {"header": [hd(DOB="01/04/2007")], "episodes": [ep(PLACE="P2")]},
        note="16",
    ),
    C(
        "371",
        {"header": [hd(DOB="01/06/2009")], "episodes": [ep(PLACE="H5")]},
        {"header": [hd(DOB="01/04/2009")], "episodes": [ep(PLACE="H5")]},
        year=2023,
    ),
    C(
        "371",
        {"header": [hd(DOB="01/04/2009")], "episodes": [ep(PLACE="H5")]},
        {"header": [hd(DOB="01/04/2007")], "episodes": [ep(PLACE="H5")]},
        note="16",
    ),
    C(
        "371",
        {"header": [hd(DOB="01/06/2008")], "episodes": [ep(decom="01/05/2024", PLACE="K3")]},
        {"header": [hd(DOB="01/04/2008")], "episodes": [ep(decom="01/05/2024", PLACE="K3")]},
        year=2025,
        note="K3",
    ),
    C(
        "372",
        {"header": [hd(DOB="02/05/2013")], "episodes": [ep(PLACE="R5")]},
        {"header": [hd(DOB="01/05/2013")], "episodes": [ep(PLACE="R5")]},
    ),
    C(
        "373",
        {"header": [hd(DOB="02/05/2019")], "episodes": [ep(PLACE="S1")]},
        {"header": [hd(DOB="01/05/2019")], "episodes": [ep(PLACE="S1")]},
    ),
    C(
        "374",
        {"header": [hd(DOB="02/05/2009")], "episodes": [ep(PLACE="P3")]},
        {"header": [hd(DOB="01/05/2009")], "episodes": [ep(PLACE="P3")]},
    ),
    C(
        "375",
        {"episodes": [ep(PLACE="T1", dec="13/06/2023", rec="X1")]},
        {"episodes": [ep(PLACE="T1", dec="12/06/2023", rec="X1")]},
    ),
    C(
        "376",
        {"episodes": [ep(PLACE="T3", dec="23/05/2023", rec="X1")]},
        {"episodes": [ep(PLACE="T3", dec="22/05/2023", rec="X1")]},
    ),
    C(
        "377",
        {
            "episodes": [
                ep(PLACE="T3", decom=f"01/{m:02d}/2023", dec=f"05/{m:02d}/2023", rec="X1")
                for m in (5, 7, 9)
            ]
        },
        {
            "episodes": [
                ep(PLACE="T3", decom=f"01/{m:02d}/2023", dec=f"05/{m:02d}/2023", rec="X1")
                for m in (5, 7)
            ]
        },
    ),
    C(
        "379",
        {"episodes": [ep(PLACE="T4", dec="09/05/2023", rec="X1")]},
        {"episodes": [ep(PLACE="T4", dec="08/05/2023", rec="X1")]},
    ),
    C("380", {"episodes": [ep(PLACE="T2", RNE="S")]}, {"episodes": [ep(PLACE="T2", RNE="P")]}),
    C(
        "381",
        {"episodes": [ep(PLACE="T2", dec="05/05/2023", rec="E4A")]},
        {"episodes": [ep(PLACE="T2", dec="05/05/2023", rec="X1")]},
    ),
    C(
        "383",
        {
            "episodes": [
                ep(dec="01/06/2023", rec="X1"),
                ep(decom="01/06/2023", dec="05/06/2023", rec="X1", RNE="P", PLACE="T3"),
                ep(decom="05/06/2023", RNE="P", PLACE="U1"),
            ]
        },
        {
            "episodes": [
                ep(dec="01/06/2023", rec="X1"),
                ep(decom="01/06/2023", dec="05/06/2023", rec="X1", RNE="P", PLACE="T3"),
                ep(decom="05/06/2023", RNE="P"),
            ]
        },
    ),
    C("213", {"episodes": [ep(PLACE="T1")]}, {"episodes": [ep(PLACE="T1", PLACE_PROVIDER="")]}),
    C(
        "213",
        {"episodes": [ep(decom="01/05/2025", PLACE="Z12")]},
        {"episodes": [ep(decom="01/05/2025", PLACE="Z12", PLACE_PROVIDER="")]},
        year=2026,
    ),
    C(
        "214",
        {"episodes": [ep(LS="V3", HOME_POST="", PL_POST="MK5 7FP", URN="")]},
        {"episodes": [ep(LS="V3", HOME_POST="", PL_POST="", URN="")]},
    ),
    C("217", {"episodes": [ep(PLACE="A3", RNE="P")]}, {"episodes": [ep(PLACE="A3", RNE="T")]}),
    C(
        "217t",
        {"episodes": [ep(decom="28/10/2023", PLACE="P2")]},
        {"episodes": [ep(decom="27/10/2023", PLACE="P2")]},
    ),
    C(
        "225",
        {
            "episodes": [
                ep(dec="01/08/2023", rec="X1"),
                ep(decom="01/08/2023", RNE="P", PLACE="U1", URN="SC000002"),
            ]
        },
        {"episodes": CHAIN},
    ),
    C(
        "226",
        {
            "episodes": [
                ep(dec="01/08/2023", rec="X1"),
                ep(decom="01/08/2023", RNE="P", PLACE="T3", REASON_PLACE_CHANGE="CARPL"),
            ]
        },
        {"episodes": [ep(dec="01/08/2023", rec="X1"), ep(decom="01/08/2023", RNE="P", PLACE="T3")]},
    ),
    C(
        "233",
        {"episodes": [ep(decom="01/05/2025", REASON_PLACE_CHANGE="CARPL")]},
        {
            "episodes": [
                ep(decom="01/05/2025", dec="01/06/2025", rec="E4A", REASON_PLACE_CHANGE="CARPL")
            ]
        },
        year=2026,
    ),
    C(
        "234",
        {
            "header": [hd(DOB="01/06/2016")],
            "episodes": [ep(decom="01/05/2025", REASON_PLACE_CHANGE="CUSTOD")],
        },
        {
            "header": [hd(DOB="01/06/2014")],
            "episodes": [ep(decom="01/05/2025", REASON_PLACE_CHANGE="CUSTOD")],
        },
        year=2026,
    ),
    C(
        "526",
        {"episodes": [ep(PLACE_PROVIDER="")]},
        {"episodes": [ep(PLACE="Z1", PLACE_PROVIDER="")]},
    ),
    C(
        "526",
        {"episodes": [ep(decom="01/05/2025", PLACE_PROVIDER="")]},
        {"episodes": [ep(decom="01/05/2025", PLACE="Z11", PLACE_PROVIDER="")]},
        year=2026,
    ),
    C(
        "527",
        {"episodes": [ep(PLACE="R2", PLACE_PROVIDER="PR1")]},
        {"episodes": [ep(PLACE="R2", PLACE_PROVIDER="PR4")]},
    ),
    C(
        "528",
        {"episodes": [ep(PLACE="R5", PLACE_PROVIDER="PR2")]},
        {"episodes": [ep(PLACE="R5", PLACE_PROVIDER="PR3")]},
    ),
    C(
        "529",
        {"episodes": [ep(PLACE="U1", PLACE_PROVIDER="PR3")]},
        {"episodes": [ep(PLACE="R3", PLACE_PROVIDER="PR3")]},
    ),
    C(
        "530",
        {"episodes": [ep(PLACE="P1", PLACE_PROVIDER="PR4")]},
        {"episodes": [ep(PLACE="P1", PLACE_PROVIDER="PR0")]},
    ),
    C(
        "531",
        {"episodes": [ep(PLACE="P1", PLACE_PROVIDER="PR5")]},
        {"episodes": [ep(PLACE="U1", PLACE_PROVIDER="PR5")]},
    ),
    C(
        "550",
        {"episodes": [ep(PLACE="U1", PLACE_PROVIDER="PR0")]},
        {"episodes": [ep(PLACE="P1", PLACE_PROVIDER="PR0")]},
    ),
    C(
        "222",
        {"episodes": [ep(PLACE="P1", PLACE_PROVIDER="PR0")]},
        {"episodes": [ep(PLACE="P1", PLACE_PROVIDER="PR0", URN="XXXXXXX")]},
    ),
    C(
        "222",
        {"episodes": [ep(decom="01/05/2025", PLACE="Z13", PLACE_PROVIDER="")]},
        {"episodes": [ep(decom="01/05/2025", PLACE="Z13", PLACE_PROVIDER="", URN="")]},
        year=2026,
    ),
    # --- Episodes: postcodes -------------------------------------------------------
    C(
        "392b",
        {"episodes": [ep(PL_POST="")]},
        {"episodes": [ep(LS="V4", PL_POST="", HOME_POST="")]},
    ),
    C(
        "392b",
        {"episodes": [ep(HOME_POST="")]},
        {"episodes": [ep(HOME_POST="")], "uasc": [uasc()]},
        note="uasc",
    ),
    C(
        "392b",
        {"episodes": [ep(PLACE="T1", PL_POST="", PLACE_PROVIDER="")]},
        {"episodes": [ep(PLACE="T1", PLACE_PROVIDER="")]},
        note="temporary",
    ),
    C("392c", {"episodes": [ep(PL_POST="MK5 7F")]}, {"episodes": [ep(PL_POST="MK57FP")]}),
    C(
        "392d",
        {"episodes": [ep(PL_POST="MK9 3EJ")]},
        {"episodes": [ep(PL_POST="MK9 3EJ", PLACE="P1")]},
    ),
    C(
        "398",
        {"episodes": [ep(LS="V3", PL_POST="", URN="")]},
        {"episodes": [ep(LS="V3", HOME_POST="", PL_POST="", URN="")]},
    ),
    C(
        "406",
        {"episodes": [ep()], "uasc": [uasc()]},
        {"episodes": [ep(HOME_POST="")], "uasc": [uasc()]},
    ),
    # --- Episodes: leaving care ----------------------------------------------------
    C(
        "386",
        {
            "header": [hd(DOB="01/06/2005")],
            "episodes": [ep(PLACE="A4", dec="01/06/2023", rec="E11")],
        },
        {
            "header": [hd(DOB="02/06/2005")],
            "episodes": [ep(PLACE="A4", dec="01/06/2023", rec="E11")],
        },
    ),
    C(
        "387",
        {"header": [hd(DOB="02/06/2009")], "episodes": [ep(dec="01/06/2023", rec="E5")]},
        {"header": [hd(DOB="01/06/2009")], "episodes": [ep(dec="01/06/2023", rec="E5")]},
    ),
    C(
        "389",
        {"header": [hd(DOB="02/06/2007")], "episodes": [ep(dec="01/06/2023", rec="E7")]},
        {"header": [hd(DOB="01/06/2007")], "episodes": [ep(dec="01/06/2023", rec="E7")]},
    ),
    C(
        "390",
        {"episodes": [ep(dec="01/06/2023", rec="E11")]},
        {"episodes": [ep(PLACE="A6", dec="01/06/2023", rec="E11")]},
    ),
    C(
        "407",
        {"header": [hd(DOB="01/06/2005")], "episodes": [ep(dec="02/06/2023", rec="E45")]},
        {"header": [hd(DOB="01/06/2005")], "episodes": [ep(dec="01/06/2023", rec="E45")]},
    ),
    C(
        "460",
        {"header": [hd(DOB="02/06/2005")], "episodes": [ep(dec="01/06/2023", rec="E17")]},
        {"header": [hd(DOB="01/06/2005")], "episodes": [ep(dec="01/06/2023", rec="E17")]},
    ),
    C(
        "516",
        {"episodes": [ep(PLACE="K2", dec="01/06/2023", rec="E46")]},
        {"episodes": [ep(PLACE="U2", dec="01/06/2023", rec="E46")]},
    ),
    C(
        "352",
        {"header": [hd(DOB="01/05/2005")], "episodes": [ep()]},
        {"header": [hd(DOB="02/05/2005")], "episodes": [ep()]},
    ),
    # --- code lists ---------------------------------------------------------------
    C("143", {"episodes": [ep(RNE="X")]}, {"episodes": [ep(RNE="B")]}),
    C("144", {"episodes": [ep(LS="")]}, {"episodes": [ep(LS="J3")]}),
    C("145", {"episodes": [ep(CIN="N9")]}, {"episodes": [ep(CIN="N8")]}),
    C(
        "146",
        {"episodes": [ep(PLACE="K3")]},
        {"episodes": [ep(PLACE="H5")]},
        note="K3-before-2024-25",
    ),
    C(
        "146",
        {"episodes": [ep(decom="01/05/2025", PLACE="Z1")]},
        {"episodes": [ep(decom="01/05/2025", PLACE="Z14")]},
        year=2026,
    ),
    C(
        "149",
        {"episodes": [ep(dec="01/06/2023", rec="E43")]},
        {"episodes": [ep(dec="01/06/2023", rec="E47")]},
    ),
    C("178", {"episodes": [ep(PLACE_PROVIDER="PR6")]}, {"episodes": [ep(PLACE_PROVIDER="PR2")]}),
    C(
        "1009",
        {"episodes": [ep(dec="01/06/2023", rec="X1", REASON_PLACE_CHANGE="MOVED")]},
        {"episodes": [ep(dec="01/06/2023", rec="X1", REASON_PLACE_CHANGE="CUSTOD")]},
    ),
    C("114", {"ad1": [ad1(FOSTER_CARE="2")]}, {"ad1": [ad1(FOSTER_CARE="1")]}),
    C("175", {"ad1": [ad1(NB_ADOPTR="3")]}, {"ad1": [ad1()]}),
    C("176", {"ad1": [ad1(SEX_ADOPTR="FM")]}, {"ad1": [ad1()]}),
    C("177", {"ad1": [ad1(LS_ADOPTR="L1")]}, {"ad1": [ad1()]}),
    C(
        "120",
        {"placed_adoption": [pa(DATE_PLACED_CEASED="01/06/2023", REASON_PLACED_CEASED="RD5")]},
        {"placed_adoption": [pa(DATE_PLACED_CEASED="01/06/2023", REASON_PLACED_CEASED="RD4")]},
    ),
    C("131", {"oc3": [oc3(IN_TOUCH="Y")]}, {"oc3": [oc3(IN_TOUCH="NREQ")]}),
    C("132", {"oc3": [oc3(ACTIV="F3")]}, {"oc3": [oc3(ACTIV="F4")]}),
    C("133", {"oc3": [oc3(ACCOM="S1")]}, {"oc3": [oc3(ACCOM="S2")]}),
    C(
        "196",
        {"oc2": [oc2(SDQ_SCORE="", SDQ_REASON="SDQ6")]},
        {"oc2": [oc2(SDQ_SCORE="", SDQ_REASON="SDQ5")]},
    ),
    C("1006", {"missing": [mis(MISSING="X")]}, {"missing": [mis(MISSING="A")]}),
    C(
        "631",
        {"prev_perm": [pp(PREV_PERM="P5")]},
        {"prev_perm": [pp(PREV_PERM="P4", LA_PERM="825", DATE_PERM="01/01/2020")]},
    ),
    C(
        "633",
        {"prev_perm": [pp(PREV_PERM="P1", LA_PERM="E06000042", DATE_PERM="01/01/2020")]},
        {"prev_perm": [pp(PREV_PERM="P1", LA_PERM="825", DATE_PERM="01/01/2020")]},
    ),
    C(
        "SW13STG1",
        {"sw_episodes": [sw(dec="01/06/2023", reason="FITLEFT")]},
        {"sw_episodes": [sw(dec="01/06/2023", reason="LEFTRL")]},
        note="code",
    ),
    C("SW13STG1", {"sw_episodes": [sw(dec="01/06/2023")]}, {"sw_episodes": [sw()]}, note="blank"),
    C("181", {"oc2": [oc2(TEETH_CHECK="2")]}, {"oc2": [oc2()]}),
    C("167", {"reviews": [rev(code="PN8")]}, {"reviews": [rev(code="PN7")]}),
    C("167", {"reviews": [rev(code="")]}, {"reviews": [rev(review="", code="")]}, note="blank"),
    # --- OC2 ------------------------------------------------------------------------
    C(
        "157",
        {"episodes": [ep(**LONG)], "oc2": [oc2(SDQ_SCORE="", SDQ_REASON="SDQ1")]},
        {"episodes": [ep(**LONG)], "oc2": [oc2(SDQ_SCORE="", SDQ_REASON="SDQ2")]},
    ),
    C(
        "182",
        {"oc2": [oc2(TEETH_CHECK="")]},
        {
            "oc2": [
                oc2(
                    **dict.fromkeys(
                        [
                            "CONVICTED",
                            "IMMUNISATIONS",
                            "TEETH_CHECK",
                            "HEALTH_ASSESSMENT",
                            "SUBSTANCE_MISUSE",
                        ],
                        "",
                    )
                )
            ]
        },
    ),
    C("185", {"episodes": [ep()], "oc2": [oc2()]}, {"episodes": [ep(**LONG)], "oc2": [oc2()]}),
    C(
        "186",
        {"episodes": [ep(**LONG)], "oc2": [oc2(SDQ_SCORE="")]},
        {"episodes": [ep(**LONG)], "oc2": [oc2(SDQ_SCORE="", SDQ_REASON="SDQ3")]},
    ),
    C(
        "188",
        {"episodes": [ep(**LONG)], "oc2": [oc2(DOB="01/04/2020")]},
        {"episodes": [ep(**LONG)], "oc2": [oc2(DOB="01/04/2020", SDQ_SCORE="")]},
    ),
    C("189", {"oc2": [oc2(DOB="01/03/2006")]}, {"oc2": [oc2(DOB="01/03/2006", SDQ_SCORE="")]}),
    C(
        "190",
        {"episodes": [ep(decom="01/05/2023")], "oc2": [oc2(SDQ_SCORE="")]},
        {
            "episodes": [ep(decom="01/05/2023")],
            "oc2": [
                oc2(
                    **dict.fromkeys(
                        [
                            "SDQ_SCORE",
                            "CONVICTED",
                            "IMMUNISATIONS",
                            "TEETH_CHECK",
                            "HEALTH_ASSESSMENT",
                            "SUBSTANCE_MISUSE",
                        ],
                        "",
                    )
                )
            ],
        },
    ),
    C(
        "190",
        {
            "episodes": [
                ep(decom="01/01/2022", dec="01/06/2023", rec="E4A"),
                ep(decom="01/07/2023"),
            ],
            "oc2": [oc2(SDQ_SCORE="")],
        },
        {
            "episodes": [
                ep(decom="01/01/2022", dec="01/06/2023", rec="X1"),
                ep(decom="01/06/2023", RNE="P"),
            ],
            "oc2": [oc2(SDQ_SCORE="")],
        },
        note="re-entry",
    ),
    C(
        "191",
        {"episodes": [ep(**LONG)], "oc2": [oc2(IMMUNISATIONS="")]},
        {"episodes": [ep(**LONG)], "oc2": [oc2()]},
    ),
    C(
        "158",
        {"oc2": [oc2(SUBSTANCE_MISUSE="1", INTERVENTION_RECEIVED="1", INTERVENTION_OFFERED="1")]},
        {"oc2": [oc2(SUBSTANCE_MISUSE="1", INTERVENTION_RECEIVED="1")]},
    ),
    C(
        "159",
        {"oc2": [oc2(SUBSTANCE_MISUSE="1", INTERVENTION_RECEIVED="0")]},
        {"oc2": [oc2(SUBSTANCE_MISUSE="1", INTERVENTION_RECEIVED="0", INTERVENTION_OFFERED="1")]},
    ),
    C(
        "192",
        {"oc2": [oc2(SUBSTANCE_MISUSE="1")]},
        {"oc2": [oc2(SUBSTANCE_MISUSE="1", INTERVENTION_RECEIVED="1")]},
    ),
    C("193", {"oc2": [oc2(INTERVENTION_RECEIVED="1")]}, {"oc2": [oc2()]}),
    C("197a", {"oc2": [oc2(SDQ_REASON="SDQ2")]}, {"oc2": [oc2()]}),
    C(
        "197B",
        {"episodes": [ep(**LONG)], "oc2": [oc2(DOB="01/06/2019", SDQ_SCORE="")]},
        {"episodes": [ep(**LONG)], "oc2": [oc2(DOB="01/06/2019")]},
    ),
    C(
        "198",
        {"episodes": [ep()], "oc2": [oc2(SDQ_SCORE="", SDQ_REASON="SDQ2")]},
        {"episodes": [ep(**LONG)], "oc2": [oc2(SDQ_SCORE="", SDQ_REASON="SDQ2")]},
    ),
    C("542", {"oc2": [oc2(DOB="01/06/2014")]}, {"oc2": [oc2(DOB="01/06/2014", CONVICTED="")]}),
    C(
        "543",
        {"episodes": [ep(**LONG)], "oc2": [oc2(CONVICTED="")]},
        {"episodes": [ep(**LONG)], "oc2": [oc2(DOB="01/06/2014", CONVICTED="")]},
    ),
    C("544", {"oc2": [oc2(CONVICTED="1", HEALTH_ASSESSMENT="")]}, {"oc2": [oc2(CONVICTED="1")]}),
    C(
        "545",
        {"episodes": [ep(**LONG)], "oc2": [oc2(DOB="01/06/2020", SDQ_SCORE="", CONVICTED="")]},
        {
            "episodes": [ep(**LONG)],
            "oc2": [oc2(DOB="01/06/2020", SDQ_SCORE="", CONVICTED="", HEALTH_CHECK="1")],
        },
    ),
    C(
        "546",
        {"episodes": [ep(**LONG)], "oc2": [oc2(HEALTH_CHECK="1")]},
        {"episodes": [ep(**LONG)], "oc2": [oc2()]},
    ),
    C("547", {"oc2": [oc2(HEALTH_CHECK="1", IMMUNISATIONS="")]}, {"oc2": [oc2(HEALTH_CHECK="1")]}),
    # --- OC3 ------------------------------------------------------------------------
    C("153", {"oc3": [oc3(ACCOM="")]}, {"oc3": [oc3(IN_TOUCH="", ACTIV="", ACCOM="")]}),
    C(
        "344",
        {"oc3": [oc3(IN_TOUCH="DIED")]},
        {"oc3": [oc3(IN_TOUCH="DIED", ACTIV="0", ACCOM="0")]},
    ),
    C("345", {"oc3": [oc3(ACTIV="0")]}, {"oc3": [oc3(IN_TOUCH="NO", ACTIV="0", ACCOM="0")]}),
    C(
        "348",
        {"oc3": [oc3(IN_TOUCH="DIED", ACTIV="0", ACCOM="0", YEAR="2025"), oc3()]},
        {
            "oc3": [
                oc3(IN_TOUCH="DIED", ACTIV="0", ACCOM="0", YEAR="2025"),
                oc3(IN_TOUCH="DIED", ACTIV="0", ACCOM="0"),
            ]
        },
        year=2026,
    ),
    C("391", {"oc3": [oc3(DOB="01/04/2007")]}, {"oc3": [oc3(DOB="31/03/2007")]}),
    C(
        "1000",
        {"episodes": [ep(decom="01/01/2020", dec="01/02/2023", rec="E2")], "oc3": [oc3()]},
        {"episodes": [ep(decom="01/01/2020", dec="01/02/2023", rec="E15")], "oc3": [oc3()]},
    ),
    C(
        "1007",
        {"episodes": [ep(decom="01/01/2020")], "oc3": [oc3(DOB="01/06/2006")]},
        {
            "episodes": [ep(decom="01/01/2020", dec="01/06/2023", rec="E4A")],
            "oc3": [oc3(DOB="01/06/2006")],
        },
    ),
    C(
        "3001",
        {"oc3": [oc3(DOB="01/06/2006", ACCOM="Z1")]},
        {"oc3": [oc3(DOB="01/06/2005", ACCOM="Z1")]},
    ),
    # --- AD1 and PlacedAdoption --------------------------------------------------------
    C("151", {"ad1": [ad1(LS_ADOPTR="")]}, {"ad1": [ad1()]}),
    C("333", {"ad1": [ad1(DATE_INT="02/03/2023")]}, {"ad1": [ad1(DATE_INT="01/03/2023")]}),
    C(
        "511",
        {"ad1": [ad1(SEX_ADOPTR="F1")]},
        {"ad1": [ad1(NB_ADOPTR="1", SEX_ADOPTR="F1", LS_ADOPTR="L0")]},
    ),
    C(
        "514",
        {"ad1": [ad1(LS_ADOPTR="L0")]},
        {"ad1": [ad1(NB_ADOPTR="1", SEX_ADOPTR="M1", LS_ADOPTR="L0")]},
    ),
    C("517", {"ad1": [ad1(LS_ADOPTR="L3", SEX_ADOPTR="FF")]}, {"ad1": [ad1(LS_ADOPTR="L3")]}),
    C("518", {"ad1": [ad1(LS_ADOPTR="L4")]}, {"ad1": [ad1(LS_ADOPTR="L4", SEX_ADOPTR="MM")]}),
    C(
        "519",
        {"ad1": [ad1(LS_ADOPTR="L2", SEX_ADOPTR="F1")]},
        {"ad1": [ad1(LS_ADOPTR="L2", SEX_ADOPTR="FF")]},
    ),
    C("520", {"ad1": [ad1(SEX_ADOPTR="MM")]}, {"ad1": [ad1()]}),
    C("524", {"ad1": [ad1(LS_ADOPTR="L12")]}, {"ad1": [ad1(LS_ADOPTR="L12", SEX_ADOPTR="FF")]}),
    C(
        "601",
        {"episodes": [ep(PLACE="A4", dec="01/06/2023", rec="E11")]},
        {"episodes": [ep(PLACE="A4", dec="01/06/2023", rec="E11")], "ad1": [ad1()]},
    ),
    C(
        "601",
        {"episodes": [ep(PLACE="A4", dec="01/06/2023", rec="E12")], "ad1": [ad1(DATE_MATCH="")]},
        {"episodes": [ep(PLACE="A4", dec="01/06/2023", rec="E12")], "ad1": [ad1()]},
        note="incomplete",
    ),
    C(
        "602",
        {"episodes": [ep(PLACE="A4", dec="01/06/2023", rec="E4A")], "ad1": [ad1()]},
        {"episodes": [ep(PLACE="A4", dec="01/06/2023", rec="E11")], "ad1": [ad1()]},
    ),
    C(
        "331",
        {
            "episodes": [ep(decom="01/03/2023", PLACE="A4", dec="01/06/2023", rec="E11")],
            "ad1": [ad1(DATE_MATCH="02/03/2023", DATE_INT="01/02/2023")],
        },
        {
            "episodes": [ep(decom="01/03/2023", PLACE="A4", dec="01/06/2023", rec="E11")],
            "ad1": [ad1()],
        },
    ),
    C(
        "334",
        {"episodes": [ep(decom="01/03/2023")], "ad1": [ad1()]},
        {"episodes": [ep(decom="01/01/2023")], "ad1": [ad1()]},
    ),
    C(
        "335",
        {"episodes": [ep(PLACE="A5", LS="E1", dec="01/06/2023", rec="E11")], "ad1": [ad1()]},
        {
            "episodes": [ep(PLACE="A5", LS="E1", dec="01/06/2023", rec="E11")],
            "ad1": [ad1(FOSTER_CARE="1")],
        },
    ),
    C(
        "521",
        {"episodes": [ep(decom="01/01/2023", PLACE="A4")], "ad1": [ad1()]},
        {"episodes": [ep(decom="01/02/2023", PLACE="A4")], "ad1": [ad1()]},
    ),
    C(
        "582",
        {
            "episodes": [ep(PLACE="A4", dec="01/03/2023", rec="E11", decom="01/01/2023")],
            "ad1": [ad1()],
        },
        {
            "episodes": [ep(PLACE="A4", dec="01/06/2023", rec="E11", decom="01/01/2023")],
            "ad1": [ad1()],
        },
        year=2024,
    ),
    C(
        "119",
        {"placed_adoption": [pa(DATE_PLACED_CEASED="01/06/2023")]},
        {"placed_adoption": [pa(DATE_PLACED_CEASED="01/06/2023", REASON_PLACED_CEASED="RD1")]},
    ),
    C("184", {"placed_adoption": [pa(DATE_PLACED="31/05/2020")]}, {"placed_adoption": [pa()]}),
    C(
        "522",
        {"placed_adoption": [pa(DATE_PLACED_CEASED="31/01/2023", REASON_PLACED_CEASED="RD1")]},
        {"placed_adoption": [pa(DATE_PLACED_CEASED="01/02/2023", REASON_PLACED_CEASED="RD1")]},
    ),
    C(
        "523",
        {"placed_adoption": [pa()], "ad1": [ad1(DATE_INT="02/02/2023")]},
        {"placed_adoption": [pa()], "ad1": [ad1()]},
    ),
    C(
        "525",
        {
            "placed_adoption": [pa(DATE_PLACED_CEASED="01/06/2023", REASON_PLACED_CEASED="RD1")],
            "ad1": [ad1()],
        },
        {"placed_adoption": [pa(DATE_PLACED_CEASED="01/06/2023", REASON_PLACED_CEASED="RD1")]},
    ),
    C(
        "551",
        {"episodes": [ep(PLACE="A4")]},
        {"episodes": [ep(PLACE="A4")], "placed_adoption": [pa()]},
    ),
    C(
        "552",
        {"episodes": [ep(decom="01/01/2023", PLACE="A4")], "placed_adoption": [pa()]},
        {"episodes": [ep(decom="01/02/2023", PLACE="A4")], "placed_adoption": [pa()]},
    ),
    C("553", {"episodes": [ep(LS="E1")]}, {"episodes": [ep(LS="E1")], "placed_adoption": [pa()]}),
    C(
        "554",
        {"episodes": [ep(decom="31/01/2023", LS="E1")], "placed_adoption": [pa()]},
        {"episodes": [ep(decom="01/02/2023", LS="E1")], "placed_adoption": [pa()]},
    ),
    C(
        "557",
        {
            "episodes": [ep(LS="E1", PLACE="A6", dec="01/06/2023", rec="E4A")],
            "placed_adoption": [pa()],
        },
        {
            "episodes": [ep(LS="E1", PLACE="A6", dec="01/06/2023", rec="E4A")],
            "placed_adoption": [pa(DATE_PLACED_CEASED="01/06/2023", REASON_PLACED_CEASED="RD1")],
        },
    ),
    C(
        "558",
        {
            "episodes": [ep(PLACE="A4", dec="01/06/2023", rec="E11")],
            "placed_adoption": [pa(DATE_PLACED_CEASED="01/05/2023", REASON_PLACED_CEASED="RD1")],
        },
        {"episodes": [ep(PLACE="A4", dec="01/06/2023", rec="E11")], "placed_adoption": [pa()]},
    ),
    C(
        "563",
        {
            "placed_adoption": [
                pa(DATE_PLACED="", DATE_PLACED_CEASED="01/06/2023", REASON_PLACED_CEASED="RD1")
            ]
        },
        {"placed_adoption": [pa(DATE_PLACED_CEASED="01/06/2023", REASON_PLACED_CEASED="RD1")]},
    ),
    C(
        "579",
        {"placed_adoption": [pa(), pa(DATE_PLACED="01/06/2023")]},
        {
            "placed_adoption": [
                pa(DATE_PLACED_CEASED="01/05/2023", REASON_PLACED_CEASED="RD1"),
                pa(DATE_PLACED="01/06/2023"),
            ]
        },
    ),
    C(
        "1003",
        {"episodes": [ep(decom="02/02/2023")], "placed_adoption": [pa()]},
        {"episodes": [ep(decom="01/02/2023")], "placed_adoption": [pa()]},
    ),
    C(
        "117",
        {"placed_adoption": [pa(DATE_PLACED="01/04/2024")]},
        {"placed_adoption": [pa(DATE_PLACED="31/03/2024")]},
    ),
    # --- Missing --------------------------------------------------------------------
    C("564", {"missing": [mis(start="")]}, {"missing": [mis()]}),
    C("565", {"missing": [mis(MISSING="")]}, {"missing": [mis()]}),
    C(
        "566",
        {"missing": [mis(start="", MISSING="")]},
        {"missing": [mis(start="", end="", MISSING="")]},
    ),
    C("567", {"missing": [mis(end="31/05/2023")]}, {"missing": [mis(end="01/06/2023")]}),
    C(
        "570",
        {"missing": [mis(start="01/04/2024", end="")]},
        {"missing": [mis(start="31/03/2024", end="")]},
    ),
    C("571", {"missing": [mis(end="01/04/2024")]}, {"missing": [mis(end="31/03/2024")]}),
    C(
        "574",
        {"missing": [mis(end=""), mis(start="05/06/2023", end="06/06/2023")]},
        {"missing": [mis(), mis(start="05/06/2023", end="06/06/2023")]},
    ),
    C(
        "575",
        {"episodes": [ep(dec="01/07/2023", rec="E4A")], "missing": [mis(end="")]},
        {"episodes": [ep()], "missing": [mis(end="")]},
    ),
    C(
        "581",
        {"episodes": [ep(decom="02/06/2023")], "missing": [mis()]},
        {"episodes": [ep(decom="01/06/2023")], "missing": [mis()]},
    ),
    C("586", {"missing": [mis(DOB="02/06/2023")]}, {"missing": [mis(DOB="01/06/2023")]}),
    # --- Reviews --------------------------------------------------------------------
    C("166", {"reviews": [rev(review="")]}, {"reviews": [rev()]}),
    C(
        "399",
        {"episodes": [ep(LS="V3")], "reviews": [rev()]},
        {"episodes": [ep(LS="V3"), ep(decom="01/09/2023", LS="C2")], "reviews": [rev()]},
    ),
    C(
        "440",
        {"reviews": [rev(code="PN0", DOB="30/06/2019")]},
        {"reviews": [rev(code="PN0", DOB="01/07/2019")]},
    ),
    C(
        "441",
        {"reviews": [rev(code="PN1", DOB="02/07/2019")]},
        {"reviews": [rev(code="PN1", DOB="01/07/2019")]},
    ),
    # --- PrevPerm -------------------------------------------------------------------
    C("630", {"episodes": [ep()]}, {"episodes": [ep()], "prev_perm": [pp()]}),
    C(
        "630",
        {"episodes": [ep()], "prev_perm": [pp(PREV_PERM="P1")]},
        {
            "episodes": [ep()],
            "prev_perm": [pp(PREV_PERM="P1", LA_PERM="825", DATE_PERM="01/01/2020")],
        },
        note="detail",
    ),
    C(
        "632",
        {
            "episodes": [ep()],
            "prev_perm": [pp(PREV_PERM="P1", LA_PERM="825", DATE_PERM="01/05/2023")],
        },
        {
            "episodes": [ep()],
            "prev_perm": [pp(PREV_PERM="P1", LA_PERM="825", DATE_PERM="30/04/2023")],
        },
    ),
    C(
        "634",
        {"episodes": [ep(decom="01/01/2023")], "prev_perm": [pp()]},
        {"episodes": [ep(decom="01/04/2023")], "prev_perm": [pp()]},
    ),
    C(
        "635",
        {"prev_perm": [pp(PREV_PERM="", DATE_PERM="01/01/2020")]},
        {"prev_perm": [pp(PREV_PERM="P2", DATE_PERM="01/01/2020")]},
    ),
    # --- SWEpisodes -----------------------------------------------------------------
    C("SW01STG1", {"sw_episodes": [sw(SW_ID="")]}, {"sw_episodes": [sw()]}),
    C("SW02STG1", {"sw_episodes": [sw(SW_ID="AB123")]}, {"sw_episodes": [sw(SW_ID="XX999")]}),
    C(
        "SW06STG2",
        {"sw_episodes": [sw(decom="01/04/2024")]},
        {"sw_episodes": [sw(decom="31/03/2024")]},
    ),
    C(
        "SW07STG2",
        {"sw_episodes": [sw(decom="01/01/2022", dec="31/03/2022", reason="MANAGE")]},
        {"sw_episodes": [sw(decom="01/01/2022", dec="01/04/2022", reason="MANAGE")]},
    ),
    C(
        "SW08STG2",
        {"sw_episodes": [sw(), sw(decom="01/07/2023", SW_ID="SW2")]},
        {
            "sw_episodes": [
                sw(dec="01/07/2023", reason="MANAGE"),
                sw(decom="01/07/2023", SW_ID="SW2"),
            ]
        },
    ),
    C(
        "SW09STG2",
        {"sw_episodes": [sw(dec="01/05/2023", reason="MANAGE")]},
        {"sw_episodes": [sw(dec="02/05/2023", reason="MANAGE")]},
    ),
    C(
        "SW10STG2",
        {
            "sw_episodes": [
                sw(dec="01/07/2023", reason="MANAGE"),
                sw(decom="09/07/2023", SW_ID="SW2"),
            ]
        },
        {
            "sw_episodes": [
                sw(dec="01/07/2023", reason="MANAGE"),
                sw(decom="08/07/2023", SW_ID="SW2"),
            ]
        },
    ),
    C(
        "SW17STG2",
        {
            "episodes": [ep(decom="01/01/2025")],
            "sw_episodes": [sw(decom="01/01/2025", dec="01/03/2026", reason="MANAGE")],
        },
        {"episodes": [ep(decom="01/01/2025")], "sw_episodes": [sw(decom="01/01/2025")]},
        year=2026,
    ),
    # --- UASC -----------------------------------------------------------------------
    C("104", {"uasc": [uasc(DUC="31/03/2023")]}, {"uasc": [uasc(DUC="01/04/2023")]}),
    C("304", {"uasc": [uasc(DUC="02/06/2025")]}, {"uasc": [uasc()]}),
    C(
        "304",
        {"uasc": [uasc(DOB="29/02/2008", DUC="02/03/2026")]},
        {"uasc": [uasc(DOB="29/02/2008", DUC="01/03/2026")]},
        year=2026,
        note="leap-day-birthday",
    ),
    C(
        "231",
        {"uasc": [uasc(DOB="01/04/2014", DUC="")]},
        {"uasc": [uasc(DOB="31/03/2014", DUC="")]},
        year=2025,
    ),
    C(
        "1014",
        {
            "episodes": [ep(decom="01/01/2020", dec="01/01/2023", rec="E4A")],
            "uasc": [uasc()],
            "oc3": [oc3()],
        },
        {
            "episodes": [ep(decom="01/01/2020", dec="01/05/2023", rec="E4A")],
            "uasc": [uasc()],
            "oc3": [oc3()],
        },
    ),
    # --- batch 2 -------------------------------------------------------------------
    C(
        "199",
        {"episodes": [ep(PLACE="A4", dec="01/06/2023", rec="E11"), ep(decom="01/09/2023")]},
        {"episodes": [ep(PLACE="A4", dec="01/06/2023", rec="E13"), ep(decom="01/09/2023")]},
    ),
    C(
        "336",
        {
            "episodes": [
                ep(PLACE="K2", dec="01/08/2023", rec="X1"),
                ep(decom="01/08/2023", RNE="P", PLACE="A4"),
            ]
        },
        {
            "episodes": [
                ep(PLACE="U3", dec="01/08/2023", rec="X1"),
                ep(decom="01/08/2023", RNE="P", PLACE="A4"),
            ]
        },
    ),
    C(
        "1015",
        {"episodes": [ep(PLACE="K2", PL_POST="SW1A 1AA")]},
        {"episodes": [ep(PLACE="K2", PL_POST="MK5 7FP")]},
        extra={"la_code": "E06000042"},
    ),
    C(
        "454",
        {"episodes": [ep(decom="01/05/2025", HOME_POST="MK9 3EJ", PL_POST="KW1 4AA")]},
        {"episodes": [ep(decom="01/05/2025", HOME_POST="MK9 3EJ", PL_POST="SW1A 1AA")]},
        year=2026,
    ),
    C(
        "1001",
        {
            "episodes": [ep(decom="01/01/2021", dec="01/02/2021", rec="E4A", YEAR="2021")],
            "oc3": [oc3(DOB="01/06/2004")],
        },
        {
            "episodes": [ep(decom="01/01/2021", dec="01/02/2022", rec="E4A", YEAR="2022")],
            "oc3": [oc3(DOB="01/06/2004")],
        },
    ),
    C(
        "1002",
        {"episodes": [ep("2", YEAR="2019")], "oc3": [oc3(DOB="01/06/2005")]},
        {
            "episodes": [ep(decom="01/01/2021", dec="01/02/2022", rec="E4A")],
            "oc3": [oc3(DOB="01/06/2005")],
        },
    ),
    C(
        "1011",
        {"episodes": [ep(decom="01/01/2021", dec="01/02/2022", rec="E3")], "oc3": [oc3()]},
        {"episodes": [ep(decom="01/01/2021", dec="01/02/2022", rec="E4A")], "oc3": [oc3()]},
    ),
    C(
        "1016",
        {
            "episodes": [ep(decom="01/01/2021", dec="01/07/2023", rec="E4A")],
            "oc3": [oc3(DOB="01/06/2006")],
        },
        {
            "episodes": [ep(decom="01/01/2021", dec="01/05/2023", rec="E4A")],
            "oc3": [oc3(DOB="01/06/2006")],
        },
    ),
    C(
        "347",
        {"oc3": [oc3(DOB="01/06/2006", ACCOM="T1")]},
        {"oc3": [oc3(DOB="01/03/2005", ACCOM="T1")]},
    ),
    C(
        "607",
        {"header": [girl(MOTHER="")], "episodes": [ep(dec="01/06/2023", rec="E4A")]},
        {
            "header": [girl(MOTHER="")],
            "episodes": [ep(dec="01/06/2023", rec="X1"), ep(decom="01/06/2023", RNE="P")],
        },
    ),
    C(
        "628",
        {
            "header": [girl()],
            "episodes": [ep(decom="01/01/2021", dec="01/02/2022", rec="E4A")],
            "oc3": [oc3()],
        },
        {
            "header": [girl(MOTHER="")],
            "episodes": [ep(decom="01/01/2021", dec="01/02/2022", rec="E4A")],
            "oc3": [oc3()],
        },
    ),
    C(
        "576",
        {"missing": [mis(end="", YEAR="2023", start="01/03/2023"), mis()]},
        {
            "missing": [
                mis(end="", YEAR="2023", start="01/03/2023"),
                mis(start="01/03/2023", end="02/04/2023"),
            ]
        },
    ),
    *[
        C(
            code,
            {table: [{**row, "DOB": "02/06/2010"}], "header": [hd()]},
            {table: [row], "header": [hd()]},
        )
        for code, table, row in [
            ("INT11", "ad1", ad1(DOB="01/06/2010")),
            ("INT12", "placed_adoption", pa(DOB="01/06/2010")),
            ("INT13", "missing", mis()),
            ("INT14", "oc2", oc2()),
            ("INT15", "oc3", oc3(DOB="01/06/2010")),
            ("INT16", "prev_perm", pp()),
            ("INT17", "reviews", rev()),
            ("INT18", "uasc", uasc(DOB="01/06/2010")),
        ]
    ],
    C(
        "INT21",
        {"header": [hd(SEX="2")], "uasc": [uasc(DOB="01/06/2010", SEX="1")]},
        {"header": [hd(SEX="M")], "uasc": [uasc(DOB="01/06/2010", SEX="1")]},
    ),
    C(
        "1012",
        {"episodes": [ep(decom="01/01/2021", dec="01/02/2022", rec="E4A")], "reviews": [rev()]},
        {"episodes": [ep(decom="01/01/2021", dec="01/05/2023", rec="E4A")], "reviews": [rev()]},
    ),
    C(
        "218",
        {"episodes": [ep(URN="")]},
        {"episodes": [ep(URN="", PL_POST="CF10 1AA")]},
        note="wales-exempt",
    ),
    C(
        "218",
        {"episodes": [ep(URN="")]},
        {"episodes": [ep(PLACE="H5", URN="")]},
        note="h5-exempt-until-2023-24",
    ),
    C(
        "218",
        {"episodes": [ep(decom="01/05/2024", PLACE="K3", URN="")]},
        {"episodes": [ep(decom="01/05/2024", PLACE="K3", URN="XXXXXXX")]},
        year=2025,
    ),
    C(
        "218",
        {
            "episodes": [
                ep(
                    decom="01/05/2025",
                    PLACE="Z11",
                    URN="",
                    PLACE_PROVIDER="",
                    LS="C2",
                    dec="02/05/2025",
                    rec="X1",
                ),
                ep(decom="02/05/2025", URN="", RNE="P"),
            ]
        },
        {"episodes": [ep(decom="01/05/2025", PLACE="Z11", URN="", PLACE_PROVIDER="")]},
        year=2026,
    ),
    C(
        "451",
        {"episodes": [ep(LS="D1", decom="01/01/2005")]},
        {
            "episodes": [
                ep(LS="D1", decom="01/01/2005", dec="01/05/2023", rec="X1"),
                ep(decom="01/05/2023", RNE="L"),
            ]
        },
    ),
    C(
        "118",
        {
            "episodes": [ep(decom="01/01/2021")],
            "placed_adoption": [pa(DATE_PLACED_CEASED="31/03/2023", REASON_PLACED_CEASED="RD1")],
        },
        {
            "episodes": [ep(decom="01/01/2021")],
            "placed_adoption": [pa(DATE_PLACED_CEASED="01/04/2023", REASON_PLACED_CEASED="RD1")],
        },
    ),
    C(
        "555",
        {"episodes": [ep(LS="D1", decom="01/01/2005")]},
        {
            "episodes": [ep(LS="D1", decom="01/01/2005")],
            "placed_adoption": [pa(DATE_PLACED="01/12/2004")],
        },
    ),
    C(
        "556",
        {
            "episodes": [ep(LS="D1", decom="01/01/2005")],
            "placed_adoption": [pa(DATE_PLACED="02/01/2005")],
        },
        {
            "episodes": [ep(LS="D1", decom="01/01/2005")],
            "placed_adoption": [pa(DATE_PLACED="01/01/2005")],
        },
    ),
    C(
        "210",
        {"header": [hd(UPN="UN4")], "episodes": [ep(decom="23/03/2024")]},
        {"header": [hd(UPN="UN4")], "episodes": [ep(decom="24/03/2024")]},
    ),
    # --- DoLo (from 2026-27) ------------------------------------------------------------
    C("702", {"dolo": [dl(end="01/05/2026")]}, {"dolo": [dl(end="02/05/2026")]}, year=2027),
    C(
        "703",
        {"dolo": [dl(start="01/04/2027", end="")]},
        {"dolo": [dl(start="31/03/2027", end="")]},
        year=2027,
    ),
    C("704", {"dolo": [dl(end="01/04/2027")]}, {"dolo": [dl(end="31/03/2027")]}, year=2027),
    C(
        "705",
        {"dolo": [dl(end=""), dl(start="01/07/2026", end="")]},
        {"dolo": [dl(end="30/06/2026"), dl(start="01/07/2026", end="")]},
        year=2027,
    ),
    C(
        "707",
        {"episodes": [ep(decom="01/01/2026", dec="01/08/2026", rec="E4A")], "dolo": [dl(end="")]},
        {
            "episodes": [ep(decom="01/01/2026", dec="01/08/2026", rec="E4A")],
            "dolo": [dl(end="31/07/2026")],
        },
        year=2027,
    ),
    C("708", {"dolo": [dl(start="01/05/2010", DOB="02/05/2010")]}, {"dolo": [dl()]}, year=2027),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_rule_breaks_and_keeps(case: Case) -> None:
    bad = run_rules(dataset(case.bad, case.year, **case.extra), codes=[case.code])
    good = run_rules(dataset(case.good, case.year, **case.extra), codes=[case.code])
    assert f"dfe_{case.code}" in set(bad["code"]), f"rule {case.code} missed its case"
    assert good.empty, good[["code", "table", "column", "value", "message"]].to_string()


def test_every_rule_has_a_case() -> None:
    covered = {c.code for c in CASES}
    missing = sorted({r.code for r in RULES} - covered)
    assert not missing, f"rules without a case: {missing}"


def test_versions_apply_only_in_their_years() -> None:
    # 217t (P2 from 28 Oct 2023) is a 2023-24 rule only; K3 is a valid code from 2024-25
    p2 = {"episodes": [ep(decom="01/11/2023", PLACE="P2")]}
    assert not run_rules(dataset(p2, 2024), codes=["217t"]).empty
    assert run_rules(dataset(p2, 2025), codes=["217t"]).empty
    k3 = {"episodes": [ep(decom="01/05/2024", PLACE="K3")]}
    assert run_rules(dataset(k3, 2025), codes=["146"]).empty


def test_finding_names_file_row_column_value_and_fix() -> None:
    ds = dataset({"episodes": [ep(LS="V2", PLACE="P1", source_file="e.csv", source_row="7")]})
    found = run_rules(ds, codes=["378"])
    row = found.iloc[0]
    assert (row["file"], int(row["row"]), row["column"], row["value"], row["child"]) == (
        "e.csv",
        7,
        "LS",
        "V2",
        "1",
    )
    assert row["message"].startswith("DfE rule 378:") and row["fix"]
    assert row["severity"] == "error" and row["table"] == "episodes"


def test_rules_page_is_up_to_date(repo_root) -> None:
    from cppanalytics.ssda903.rules.docs import rules_markdown

    page = repo_root / "docs" / "validation_rules.md"
    assert page.read_text(encoding="utf-8") == rules_markdown(), (
        "regenerate: python -m cppanalytics.ssda903.rules.docs > docs/validation_rules.md"
    )
