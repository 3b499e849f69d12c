"""Care-leaver (OC3) indicators: hand-worked cohorts through the public entry point.

D = 31/03/2024: the ``fytd`` window is 01/04/2023-31/03/2024 and OC3 rows of collection
year 2024 are used.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from cppanalytics.findings import Findings
from cppanalytics.indicators import care_leavers, compute
from cppanalytics.ssda903.dataset import Dataset
from tests.case_tables.builders import (
    check,
    check_pct,
    check_window,
    dataset,
    ep,
    hdr,
    oc3,
    pick,
)

D = "2024-03-31"


def run(ds: Dataset, period_end: str, ids: list[str], **kwargs: Any) -> pd.DataFrame:
    """The public entry point at an ISO period end."""
    return compute(ds, period_end, ids=list(ids), **kwargs)


ALL = list(care_leavers.IDS)
EPS = [ep("X", "01/01/2020")]  # the OC3 measures do not use episodes


def _main_case() -> tuple[pd.DataFrame, pd.DataFrame]:
    rows = [
        # 17_18 group
        oc3("L1", "01/04/2006", 2024, "YES", "F2", "U1"),  # 17 on 01/04/2023 = window start
        oc3("L9", "01/12/2005", 2024, "YES", "G6", "R2"),  # 18; residence not known
        oc3("L10", "01/01/2006", 2024, "NREQ", "F5", "0"),  # 18; ACCOM 0 stays in
        oc3("L11", "31/03/2007", 2024, "YES", "G4", "H2"),  # 17 on D = window end; deported
        oc3("L13", "", 2024, "YES", "F1", "B1"),  # DOB from Header: 18 on 01/06/2023
        # 19_21 group
        oc3("L2", "31/03/2005", 2024, "YES", "G5", "S2"),  # 19 on D
        oc3("L3", "29/02/2004", 2024, "NO", "P4", "Z1"),  # 20 on 29/02/2024 (leap year)
        oc3("L5", "15/06/2004", 2024, "DIED", "F1", "U1"),  # 19: excluded everywhere
        oc3("L6", "15/07/2003", 2024, "RHOM", "F1", "U1"),  # 20: excluded everywhere
        oc3("L7", "10/10/2004", 2024, "YES", "F1", "G1"),  # 19; gone abroad
        oc3("L8", "10/11/2004", 2024, "REFU", "0", ""),  # 19; blank ACCOM stays in
        # outside the cohort
        oc3("L4", "31/03/2002", 2024, "YES", "F1", "U1"),  # 22 on D; 21st was 31/03/2023
        oc3("L12", "01/05/2005", 2023, "YES", "F1", "U1"),  # previous year's row only
        oc3("L14", "01/04/2007", 2024, "YES", "F1", "U1"),  # 17 on 01/04/2024, after D
    ]
    f = Findings()
    res = run(dataset(EPS, [hdr("L13", "01/06/2005")], oc3=rows), D, ALL, findings=f)
    return res, f.to_frame()


def test_care_leavers_17_18() -> None:
    res, _ = _main_case()
    # cohort L1 L9 L10 L11 L13
    check_pct(res, "care_leavers_eet_17_18", 3, 5)  # L1 F2, L10 F5, L13 F1
    check_pct(res, "care_leavers_neet_17_18", 2, 5)  # L9 G6, L11 G4
    check_pct(res, "care_leavers_suitable_accom_17_18", 2, 3)  # L9 R, L11 H out; L10 "0" in
    check_pct(res, "care_leavers_in_touch_17_18", 4, 5)  # L10 NREQ is not in touch


def test_care_leavers_19_21() -> None:
    res, _ = _main_case()
    # cohort L2 L3 L7 L8 (L5 DIED and L6 RHOM excluded even though EET and suitable)
    check_pct(res, "care_leavers_eet_19_21", 2, 4)  # L3 P4, L7 F1
    check_pct(res, "care_leavers_neet_19_21", 1, 4)  # L2 G5; L8 "0" is neither
    check_pct(res, "care_leavers_suitable_accom_19_21", 1, 3)  # L7 G out; L3 Z1; L8 blank in
    check_pct(res, "care_leavers_in_touch_19_21", 2, 4)  # L2, L7


def test_care_leavers_19_alone() -> None:
    res, _ = _main_case()
    # cohort L2 L7 L8 (L5 DIED excluded)
    check_pct(res, "care_leavers_eet_19", 1, 3)
    check_pct(res, "care_leavers_neet_19", 1, 3)
    check_pct(res, "care_leavers_suitable_accom_19", 0, 2)
    check_pct(res, "care_leavers_in_touch_19", 2, 3)


def test_care_leaver_rows_carry_fytd_window() -> None:
    res, f = _main_case()
    assert sorted(res["indicator_id"]) == sorted(ALL)
    for ind in ALL:
        check_window(res, ind, "2023-04-01", D)
    assert (res["unit"] == "percent").all()
    assert "oc3_dob_missing" not in set(f["code"])  # L13's DOB came from the Header


def test_29_february_birthday_is_1_march_in_a_non_leap_year() -> None:
    # DOB 29/02/2004: 19th birthday 01/03/2023. At D = 28/02/2023 (window 01/04/2022-
    # 28/02/2023) it has not happened; at 01/03/2023 it has.
    ds = dataset(EPS, oc3=[oc3("A", "29/02/2004", 2023)])
    before = run(ds, "2023-02-28", ["care_leavers_eet_19"])
    check(pick(before, "care_leavers_eet_19"), 0, 0, None)
    on = run(ds, "2023-03-01", ["care_leavers_eet_19"])
    check_pct(on, "care_leavers_eet_19", 1, 1)


def test_r12_window_holding_two_birthdays_uses_the_later() -> None:
    # r12 ending 29/02/2024 = 01/03/2023-29/02/2024 holds the 19th (01/03/2023) and the 20th
    # (29/02/2024) birthday of a 29/02/2004 DOB: counted once, aged 20.
    ds = dataset(EPS, oc3=[oc3("A", "29/02/2004", 2024)])
    ids = ["care_leavers_eet_19", "care_leavers_eet_19_21"]
    res = run(ds, "2024-02-29", ids, windows={i: "r12" for i in ids})
    check(pick(res, "care_leavers_eet_19"), 0, 0, None)
    check_pct(res, "care_leavers_eet_19_21", 1, 1)
    check_window(res, "care_leavers_eet_19_21", "2023-03-01", "2024-02-29")


def test_dob_nowhere_is_a_finding() -> None:
    ds = dataset(EPS, oc3=[oc3("A", "", 2024), oc3("B", "01/05/2004", 2024)])
    f = Findings()
    res = run(ds, D, ["care_leavers_eet_19"], findings=f)
    check_pct(res, "care_leavers_eet_19", 1, 1)
    found = f.to_frame().query("code == 'oc3_dob_missing'")
    assert found["child"].tolist() == ["A"]
    assert found["indicators"].tolist() == ["care_leavers_eet_19"]


def test_in_year_uses_the_current_collection_year() -> None:
    # D = 30/09/2023: fytd 01/04/2023-30/09/2023, collection year 2024. The 2023 row of B
    # (19 on 01/05/2023) is ignored; its 2024 row counts.
    ds = dataset(
        EPS,
        oc3=[
            oc3("B", "01/05/2004", 2023, activ="G5"),
            oc3("B", "01/05/2004", 2024, activ="F1"),
            oc3("C", "01/12/2004", 2024),
        ],
    )  # 19 on 01/12/2023: after D
    res = run(ds, "2023-09-30", ["care_leavers_eet_19"])
    check_pct(res, "care_leavers_eet_19", 1, 1)
    check_window(res, "care_leavers_eet_19", "2023-04-01", "2023-09-30")


def test_cohort_pure_function_age_and_birthday() -> None:
    rows = pd.DataFrame({"CHILD": ["a", "b"], "DOB": pd.to_datetime(["2006-04-01", "2002-03-31"])})
    c = care_leavers.care_leaver_cohort(rows, None, "2023-04-01", "2024-03-31")
    assert c["CHILD"].tolist() == ["a"]
    assert c["age"].tolist() == [17]
    assert c["birthday_in_window"].tolist() == [pd.Timestamp("2023-04-01")]


def _plain_row_flags(rows: pd.DataFrame) -> dict[str, list[bool]]:
    """care_leaver_cohort's flags row by row, with the text methods on the whole column."""
    activ, accom, touch = (care_leavers._text(rows, c) for c in ("ACTIV", "ACCOM", "IN_TOUCH"))
    return {
        "excluded": touch.isin(care_leavers.EXCLUDED_IN_TOUCH).fillna(False).tolist(),
        "eet": activ.isin(care_leavers.EET_CODES).fillna(False).tolist(),
        "neet": activ.isin(care_leavers.NEET_CODES).fillna(False).tolist(),
        "in_touch": touch.eq("YES").fillna(False).tolist(),
        "accom_in_scope": (
            ~accom.str.startswith(care_leavers.ACCOM_OUT_OF_SCOPE).fillna(False).astype(bool)
        ).tolist(),
        "suitable_accom": accom.str.endswith("1").fillna(False).tolist(),
    }


def test_row_flags_worked_out_per_distinct_value_equal_the_plain_flags() -> None:
    rows = pd.DataFrame(
        {
            "CHILD": ["1", "2", "3", "4", "5", "6", "7"],
            "ACTIV": ["F1", None, "G4", "", "É9", "F1", "p1"],
            "ACCOM": ["G1", "B1", None, "R2", "Ñ1", "", "B2"],
            "IN_TOUCH": ["YES", "DIED", "RHOM", None, "NO", "YES", ""],
        }
    )
    for frame in (
        rows,
        rows.astype({c: "string" for c in rows.columns}),
        rows.iloc[:1],
        rows.iloc[:0],
        rows[["CHILD"]],  # the OC3 columns absent
    ):
        got = {k: v.tolist() for k, v in care_leavers._row_flags(frame).items()}
        assert got == _plain_row_flags(frame)


def test_leaver_dob_with_the_header_dob_worked_out_once_is_the_plain_dob() -> None:
    rows = pd.DataFrame(
        {"CHILD": ["1", "2", "3", None], "DOB": pd.to_datetime(["2005-01-01", None, None, None])}
    )
    header = pd.DataFrame(
        {
            "CHILD": ["2", None, "2", "1"],
            "DOB": pd.to_datetime(["2006-02-28", "2001-01-01", "2006-03-03", "1999-01-01"]),
        }
    )
    by_child = care_leavers.header_dob(header)
    plain = care_leavers.leaver_dob(rows, header)
    pd.testing.assert_series_equal(care_leavers.leaver_dob(rows, header, by_child), plain)
    assert plain.dt.strftime("%Y-%m-%d").fillna("").tolist() == ["2005-01-01", "2006-03-03", "", ""]
    pd.testing.assert_frame_equal(
        care_leavers.birthdays_table(rows, header, by_child),
        care_leavers.birthdays_table(rows, header),
    )
    assert care_leavers.header_dob(header.iloc[:0]) is None


def test_birthdays_worked_out_per_distinct_dob_are_the_plain_birthdays() -> None:
    # 29 February births (leap and common target years), repeats, a missing DOB, one row
    from cppanalytics.dates import birthday

    dobs = ["2004-02-29", None, "2003-03-01", "2004-02-29", "2005-12-31", "2003-03-01"]
    for rows in (dobs, dobs[:1], []):
        oc3 = pd.DataFrame(
            {"CHILD": [str(i) for i in range(len(rows))], "DOB": pd.to_datetime(rows)},
            index=pd.RangeIndex(len(rows)) * 2 + 5,
        )
        table = care_leavers.birthdays_table(oc3, None)
        for years in care_leavers.BIRTHDAYS:
            pd.testing.assert_series_equal(
                table[years], birthday(oc3["DOB"], years), check_names=False
            )
    # the 29 February birth: 1 March in a common year, 29 February in a leap year
    table = care_leavers.birthdays_table(oc3.iloc[:0], None)
    assert list(table.columns) == ["dob", *care_leavers.BIRTHDAYS]
    one = care_leavers.birthdays_table(
        pd.DataFrame({"CHILD": ["1"], "DOB": pd.to_datetime(["2004-02-29"])}), None
    )
    assert one[19].dt.strftime("%Y-%m-%d").tolist() == ["2023-03-01"]
    assert one[20].dt.strftime("%Y-%m-%d").tolist() == ["2024-02-29"]


def test_header_dob_on_codes_is_the_plain_last_row_per_child() -> None:
    header = pd.DataFrame(
        {
            "CHILD": pd.array(["2", None, "É", "2", "1", "É", None], dtype="string"),
            "DOB": pd.to_datetime(
                ["2006-02-28", "2001-01-01", "2007-01-01", None, "1999-01-01", "2008-02-29", None]
            ),
            "SEX": ["1"] * 7,
        }
    )
    plain = header.dropna(subset=["CHILD"]).drop_duplicates("CHILD", keep="last")
    pd.testing.assert_series_equal(care_leavers.header_dob(header), plain.set_index("CHILD")["DOB"])


def _plain_leaver_dob(rows: pd.DataFrame, header: pd.DataFrame | None) -> pd.Series:
    """Each OC3 row's own DOB, else the DOB of the last Header row of its CHILD."""
    own = (
        pd.to_datetime(rows["DOB"])
        if "DOB" in rows.columns
        else pd.Series(pd.NaT, index=rows.index, dtype="datetime64[ns]")
    )
    if header is None or header.empty or "DOB" not in header.columns:
        return own
    last = header.dropna(subset=["CHILD"]).drop_duplicates("CHILD", keep="last")
    return own.fillna(pd.to_datetime(rows["CHILD"].map(last.set_index("CHILD")["DOB"])))


def test_leaver_dob_of_rows_all_dated_is_the_plain_dob_without_reading_the_header() -> None:
    header = pd.DataFrame(
        {"CHILD": ["1", "2", "2"], "DOB": pd.to_datetime(["1999-01-01", "2006-02-28", None])}
    )
    dated = pd.DataFrame(
        {
            "CHILD": ["1", "2", "9"],
            "DOB": pd.to_datetime(["2005-01-01", "2004-02-29", "2003-03-01"]),
        },
        index=[7, 3, 5],
    )
    undated = dated.assign(DOB=pd.to_datetime(["2005-01-01", None, None]))
    seconds = dated.assign(DOB=dated["DOB"].astype("datetime64[s]"))
    for rows in (dated, undated, seconds, dated.iloc[:0], dated[["CHILD"]], undated.iloc[1:2]):
        for head in (header, header.iloc[:0], None):
            plain = _plain_leaver_dob(rows, head)
            pd.testing.assert_series_equal(care_leavers.leaver_dob(rows, head), plain)
            known = care_leavers.header_dob(head)
            pd.testing.assert_series_equal(care_leavers.leaver_dob(rows, head, known), plain)
            births = care_leavers.birthdays_table(rows, head)
            pd.testing.assert_series_equal(births["dob"], plain, check_names=False)
    # every row dated: the Header is not needed, so a broken one is never read
    broken = pd.DataFrame({"CHILD": [None], "DOB": ["not a date"]})
    pd.testing.assert_series_equal(care_leavers.leaver_dob(dated, broken), dated["DOB"])
    assert care_leavers._every_row_dated(dated) and care_leavers._every_row_dated(dated.iloc[:0])
    assert not care_leavers._every_row_dated(undated)
    assert not care_leavers._every_row_dated(dated[["CHILD"]])
