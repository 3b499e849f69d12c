"""The context's integer codes of children against the plain definitions (pandas'
factorisation of the prepared episodes' CHILD, a look-up by value) on hand-built cases."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cppanalytics.dates import age_at
from cppanalytics.indicators.context import Context
from cppanalytics.ssda903.dataset import Dataset
from tests.care.build import dataset, ep, hdr


def _mixed() -> Dataset:
    return dataset(
        [
            ep("b", "01/01/2023", "01/02/2023", "X1"),
            ep("b", "01/02/2023", rne="P"),  # same-day chain
            ep("Ä", "01/02/2023"),  # non-ASCII
            ep("a", "01/06/2022", "01/01/2023", "E4A"),
            ep("a", "01/03/2023"),  # re-entry
            ep("s", "01/03/2023", ls="V3"),  # short breaks only: no prepared episode
            ep("10", "01/03/2023"),
            ep("9", "01/03/2023"),
        ]
    )


@pytest.mark.parametrize("data", [_mixed, lambda: dataset([ep("A", "01/01/2023")]), Dataset])
def test_episode_child_codes_are_pandas_factorisation(data) -> None:
    ctx = Context(data(), "2024-03-31")
    codes, children = ctx.episode_child_codes()
    plain_codes, plain_children = pd.factorize(ctx.episodes["CHILD"].to_numpy(dtype=object))
    assert codes.tolist() == plain_codes.tolist()
    assert children.tolist() == list(plain_children)
    asked = pd.Series(["a", "s", None, "Ä", "zz", "b", "10"], dtype="string")
    expected = pd.Index(children, dtype=object).get_indexer(asked.to_numpy(dtype=object))
    assert ctx.child_codes(asked).tolist() == expected.tolist()
    assert ctx.child_codes(np.array([], dtype=object)).tolist() == []


def test_child_codes_of_the_children_looked_after() -> None:
    ctx = Context(_mixed(), "2024-03-31")
    codes, children = ctx.episode_child_codes()
    cla = ctx.cla_at()
    assert children[codes[ctx.cla_at_positions()]].tolist() == cla["CHILD"].tolist()
    assert sorted(cla["CHILD"]) == ["10", "9", "a", "b", "Ä"]


def test_child_codes_by_object_are_the_codes_by_value() -> None:
    ctx = Context(_mixed(), "2024-03-31")
    _, children = ctx.episode_child_codes()
    # the same text in distinct objects, the same object in many rows, NA, new children
    b1, b2 = "".join(["b"]), "".join(["", "b"])
    asked = np.array([b1, "new", b2, None, "Ä", b1, pd.NA, "new2", "new", "a", "s"], dtype=object)
    plain = pd.Index(children, dtype=object).get_indexer(asked)
    assert ctx.child_codes(asked).tolist() == plain.tolist()
    # new children numbered after the known ones, in order of first appearance
    k = len(children)
    assert ctx.child_codes(asked, new=True).tolist() == [
        *plain[:1],
        k,
        *plain[2:7],
        k + 1,
        k,
        *plain[9:10],
        k + 2,
    ]
    as_text = pd.Series(asked, dtype="string")
    assert ctx.child_codes(as_text).tolist() == plain.tolist()
    assert ctx.child_codes(asked[:1], new=True).tolist() == plain[:1].tolist()


def _plain_cla_at(ctx: Context, d: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """cla_at the plain way: every current episode's row, then the adults dropped (their
    findings from the whole table's rows)."""
    from cppanalytics.care.cohorts import looked_after_at
    from cppanalytics.dates import as_date
    from tests.indicators.test_child_facts import _plain_cohort

    when = as_date(d)
    rows = _plain_cohort(ctx, looked_after_at(ctx.episodes, when).index.to_numpy(), d)
    plain_age = age_at(rows["DOB"], when)
    pd.testing.assert_series_equal(rows["age"], plain_age, check_names=False)
    adult = (plain_age >= 18).fillna(False).to_numpy(dtype=bool)
    before = len(ctx.findings.to_frame())
    table = ctx._without_adults(rows, when, adult)
    return table, ctx.findings.to_frame().iloc[before:].reset_index(drop=True)


@pytest.mark.parametrize("positions_first", [True, False])
def test_cla_at_built_from_positions_is_the_plain_table_with_the_same_findings(
    positions_first: bool,
) -> None:
    data = dataset(
        [
            ep("A", "01/01/2020"),  # 18 on 31/03/2024 (a birthday on the period end)
            ep("B", "01/01/2020", "01/06/2023", "X1"),
            ep("B", "01/06/2023", rne="P", place="T1"),
            ep("C", "01/01/2020"),  # no header row: no age, kept
            ep("E", "01/01/2015"),  # 18 long ago, never recorded as leaving
            ep("F", "31/03/2024"),
        ],
        [
            hdr("A", dob="31/03/2006"),
            hdr("B", dob="01/01/2010"),
            hdr("E", dob="29/02/2004"),
            hdr("F", dob="01/01/2010"),
        ],
    )
    for d in ("2023-03-31", "2024-02-29", "2024-03-31", "2024-04-01", "2019-01-01"):
        fast, plain = Context(data, d), Context(data, d)
        if positions_first:
            fast.cla_at_positions()
        table = fast.cla_at()
        want, want_found = _plain_cla_at(plain, d)
        pd.testing.assert_frame_equal(table, want)
        pd.testing.assert_frame_equal(fast.findings.to_frame().reset_index(drop=True), want_found)
        assert (
            fast.episodes.iloc[fast.cla_at_positions()]["CHILD"].tolist() == table["CHILD"].tolist()
        )


def test_ages_from_per_run_birth_parts_are_age_at() -> None:
    data = dataset(
        [
            ep("leap", "01/01/2020"),
            ep("on_end", "01/01/2020"),  # 18th birthday on a period end
            ep("day_after", "01/01/2020"),
            ep("no_header", "01/01/2020"),  # no DOB: age unknown
            ep("young", "01/01/2020", "01/06/2023", "E4A"),
            ep("young", "01/01/2024"),  # re-entry
        ],
        [
            hdr("leap", dob="29/02/2008"),
            hdr("on_end", dob="31/03/2006"),
            hdr("day_after", dob="01/04/2006"),
            hdr("young", dob="01/01/2015"),
        ],
    )
    ctx = Context(data, "2024-03-31")
    pos = np.arange(len(ctx.episodes))
    dob = ctx._episode_facts()["DOB"]
    for d in ("2024-02-28", "2024-02-29", "2024-03-31", "2024-04-01", "2025-02-28", "2025-03-01"):
        age, unknown = ctx._ages(pos, pd.Timestamp(d))
        plain = age_at(dob, d)
        assert unknown.tolist() == plain.isna().tolist()
        assert age[~unknown].tolist() == plain[~unknown].tolist()
        adult = ctx._adult_at(pos, pd.Timestamp(d))
        assert adult.tolist() == (plain >= 18).fillna(False).tolist()
    # episodes sorted by CHILD: day_after, leap, no_header, on_end, young, young
    assert unknown.tolist() == [False, False, True, False, False, False]


@pytest.mark.parametrize("new", [False, True])
def test_children_coded_by_the_episodes_own_objects_or_by_text_alike(new: bool) -> None:
    ctx = Context(_mixed(), "2024-03-31")
    codes, children = ctx.episode_child_codes()
    own = ctx.episodes["CHILD"].to_numpy(dtype=object)  # the episodes' own objects
    copies = np.array(["".join(list(c)) for c in own], dtype=object)  # equal text, new objects
    assert not any(a is b for a, b in zip(own, copies, strict=True) if len(a) > 1)
    fresh = np.array(["zz" + "1", "s", "zz1"], dtype=object)  # not among the episodes' children
    asked = np.concatenate([own[::-1], copies, [None], fresh, own[:2], copies[-1:]])
    plain = pd.Index(children, dtype=object).get_indexer(asked)
    if new:  # children with no episode numbered after the known ones, in order of appearance
        extra, _ = pd.factorize(asked[plain < 0])
        plain[plain < 0] = np.where(extra >= 0, extra + len(children), -1)
    assert ctx.child_codes(asked, new=new).tolist() == plain.tolist()
    assert ctx.child_codes(pd.Series(asked, dtype="str"), new=new).tolist() == plain.tolist()
    assert ctx.child_codes(copies[:0], new=new).tolist() == []


@pytest.mark.parametrize("new", [False, True])
def test_children_not_found_by_object_are_looked_up_by_text_as_pandas_does(new: bool) -> None:
    ctx = Context(_mixed(), "2024-03-31")
    _, children = ctx.episode_child_codes()
    odd = [
        "".join(["Ä"]),  # a known child in another object
        "".join(["a"]),
        b"a",  # bytes: never equal to the text "a"
        10,  # a number: never equal to the text "10"
        "\ud800",  # a lone surrogate (Arrow cannot hold it)
        "ä",  # another letter than Ä
        " a",  # padded
        None,
        np.nan,
        pd.NA,
        "".join(["a"]),  # the same text again, in a third object
        np.str_("b"),
    ]
    for asked in (odd, odd[:2], odd[5:7], odd[7:10], [], ["zz", "".join(["b"]), "zz"]):
        values = np.array(asked, dtype=object)
        plain = pd.Index(children, dtype=object).get_indexer(values)
        assert ctx._known_by_text(values).tolist() == plain.tolist()
        if new:  # children with no episode numbered after the known ones, in order
            extra, _ = pd.factorize(values[plain < 0])
            plain[plain < 0] = np.where(extra >= 0, extra + len(children), -1)
        assert ctx.child_codes(values, new=new).tolist() == plain.tolist()


def _write(folder, name: str, rows: list[str]) -> None:
    (folder / f"{name}.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")


def _loaded(tmp_path) -> Dataset:
    """A small extract on disk: children with and without episodes, blanks, padding,
    a child only in the reviews and missing files, repeats in and across tables."""
    from cppanalytics.ssda903.loader import load

    year = tmp_path / "2024-25"
    year.mkdir()
    _write(year, "header", [
        "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB",
        "b,1,01/01/2010,WBRI,,,", "a,2,31/03/2007,WBRI,,,", "c,1,01/06/2012,WBRI,,,",
        "only_hdr,1,01/06/2012,WBRI,,,",
    ])  # fmt: skip
    _write(year, "episodes", [
        "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN",
        "b,01/05/2024,S,C2,N1,U1,PR1,01/06/2024,P1,,,,",
        "b,01/06/2024,P,C2,N1,U4,PR1,,,CARPL,,,",  # same-day chain
        "a,01/04/2024,S,C2,N1,U1,PR1,,,,,,",
        "c,01/07/2024,S,V3,N1,U1,PR1,02/07/2024,E8,,,,",  # a short break only
    ])  # fmt: skip
    _write(year, "reviews", [
        "CHILD,DOB,REVIEW,REVIEW_CODE",
        "new1,01/01/2010,01/06/2024,PN1", "b,01/01/2010,01/06/2024,PN1",
        ",01/01/2010,01/07/2024,PN1", " a ,31/03/2007,01/07/2024,PN0",
        "new2,01/01/2010,01/08/2024,PN1", "new1,01/01/2010,01/09/2024,PN1",
        "c,01/06/2012,01/08/2024,PN1", "a,31/03/2007,01/09/2024,PN1",
    ])  # fmt: skip
    _write(year, "missing", [
        "CHILD,DOB,MISSING,MIS_START,MIS_END",
        "new2,01/01/2010,M,01/06/2024,02/06/2024", "a,31/03/2007,A,01/07/2024,",
        "b,01/01/2010,M,03/06/2024,04/06/2024", "new3,01/01/2010,M,05/06/2024,",
    ])  # fmt: skip
    _write(year, "previous_permanence", [
        "CHILD,DOB,PREV_PERM,LA_PERM,DATE_PERM", "a,31/03/2007,Z1,,", "only_pp,01/01/2010,P1,,",
    ])  # fmt: skip
    return load(tmp_path, today="2025-06-30")


def test_table_child_codes_from_the_loader_equal_coding_the_text(tmp_path) -> None:
    data = _loaded(tmp_path)
    ctx = Context(data, "2025-03-31")
    children = ctx.episode_child_codes()[1].tolist()
    assert sorted(children) == ["a", "b"]  # (c: short breaks only)
    for name in ("header", "episodes", "reviews", "missing", "prev_perm"):
        assert data.loaded_child_codes(name) is not None, name  # (the loader's codes used)
        for new in (False, True):
            plain = ctx.child_codes(data.tables[name]["CHILD"], new=new)
            assert ctx.table_child_codes(name, new=new).tolist() == plain.tolist(), (name, new)
    # by hand: known children keep their codes, the others number on in order of first
    # appearance, a blank is -1
    a, b = children.index("a"), children.index("b")
    # (the row with no CHILD is set aside by the loader, with its finding)
    assert data.tables["reviews"]["CHILD"].tolist() == ["new1", "b", "a", "new2", "new1", "c", "a"]
    assert ctx.table_child_codes("reviews").tolist() == [-1, b, a, -1, -1, -1, a]
    assert ctx.table_child_codes("reviews", new=True).tolist() == [2, b, a, 3, 2, 4, a]
    assert ctx.table_child_codes("missing", new=True).tolist() == [2, a, b, 3]


def test_table_child_codes_of_a_replaced_table_code_its_text(tmp_path) -> None:
    data = _loaded(tmp_path)
    data.tables["reviews"] = data.tables["reviews"].iloc[::-1].reset_index(drop=True)
    assert data.loaded_child_codes("reviews") is None
    ctx = Context(data, "2025-03-31")
    plain = ctx.child_codes(data.tables["reviews"]["CHILD"], new=True)
    assert ctx.table_child_codes("reviews", new=True).tolist() == plain.tolist()
    assert len(plain) == 7


def test_table_child_codes_of_held_values_that_are_other_objects() -> None:
    """Held distinct values that are not the episodes' own string objects are looked up
    by their text: the same codes as coding the column."""
    ids = ["".join([c, "x"]) for c in "bazy"]  # (strings made at run time: new objects)
    data = dataset([ep(ids[0], "01/01/2023"), ep(ids[1], "01/02/2023")])
    values = np.array(["".join([c, "x"]) for c in "zyab"], dtype=object)
    assert all(v is not e for v in values for e in data.tables["episodes"]["CHILD"])
    data.tables["reviews"] = pd.DataFrame({"CHILD": values[[0, 2, 1, 3, 0]]})
    data.hold_child_codes({"reviews": (np.array([0, 2, 1, 3, 0]), values)})
    ctx = Context(data, "2024-03-31")
    plain = ctx.child_codes(data.tables["reviews"]["CHILD"], new=True)
    assert ctx.table_child_codes("reviews", new=True).tolist() == plain.tolist()
    assert sorted(plain.tolist()) == [0, 1, 2, 2, 3]


def test_header_rows_from_the_loaders_codes_equal_coding_the_text(tmp_path) -> None:
    """The header's latest rows taken while loading keep their CHILD codes; each child's
    header row read through them is the one found by coding the header's text."""
    from cppanalytics.care.prepared import EarlyPreparation
    from cppanalytics.ssda903.loader import load

    _loaded(tmp_path)  # (the files)
    early = EarlyPreparation()
    data = load(tmp_path, today="2025-06-30", episodes_ready=early, header_ready=early.header_ready)
    fast = Context(data, "2025-03-31", prepared=early.prepared)
    assert fast.care.header_codes is not None and len(fast.care.header_codes) == 4
    plain = Context(data, "2025-03-31")
    assert plain.care.header_codes is None
    assert fast._header_rows().tolist() == plain._header_rows().tolist()
    children = fast.episode_child_codes()[1].tolist()
    header = fast.header["CHILD"].tolist()
    assert [header[r] for r in fast._header_rows()] == children  # (a and b have rows)


def test_table_child_codes_of_a_few_rows_among_many_values_code_the_rows() -> None:
    """One council's rows of a pooled extract hold codes into every council's distinct
    ids: when those are more than the rows, the rows are coded (the same codes), and the
    distinct ids are not."""
    data = dataset([ep("a1", "01/01/2023"), ep("b1", "01/02/2023")])
    values = np.array([f"{k}{n}" for n in range(1, 60) for k in "abcd"], dtype=object)
    rows = np.array([4, 0, 5, 0, 230])  # a2, a1, b2, a1, c58
    data.tables["reviews"] = pd.DataFrame({"CHILD": values[rows]})
    data.hold_child_codes({"reviews": (rows, values)})
    ctx = Context(data, "2024-03-31")
    plain = ctx.child_codes(data.tables["reviews"]["CHILD"], new=True)
    assert ctx.table_child_codes("reviews", new=True).tolist() == plain.tolist() == [2, 0, 3, 0, 4]
    assert not ctx.care.cache.get("loaded_child_values")


def test_a_council_of_a_pooled_extract_holds_no_codes_into_every_councils_ids(tmp_path) -> None:
    """One council's rows of pooled files (LA, YEAR) are numbered with every council's
    ids: the dataset does not hold those codes (its rows are coded as text); a council's
    own files' dataset does."""
    from cppanalytics.ssda903.loader import load

    (tmp_path / "own").mkdir()
    own = _loaded(tmp_path / "own")
    assert own.loaded_child_codes("reviews") is not None
    pooled = tmp_path / "pooled"
    pooled.mkdir()
    for name in ("header", "episodes", "reviews", "missing", "previous_permanence"):
        frame = pd.read_csv(tmp_path / "own" / "2024-25" / f"{name}.csv", dtype=str)
        parts = []
        for k in range(12):  # twelve councils, each its own children
            part = frame.assign(
                CHILD=frame["CHILD"].radd(f"c{k}-"), LA=f"E0600{k:04d}", YEAR="2025"
            )
            parts.append(part)
        pd.concat(parts).to_csv(pooled / f"SSDA903_{name}.csv", index=False)
    data = load(pooled, la_code="E06000003", today="2025-06-30")
    assert len(data.tables["reviews"]) == 7 and data.loaded_child_codes("reviews") is None
    ctx = Context(data, "2025-03-31")
    plain = ctx.child_codes(data.tables["reviews"]["CHILD"], new=True)
    assert ctx.table_child_codes("reviews", new=True).tolist() == plain.tolist()
