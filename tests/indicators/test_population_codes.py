"""Population breakdowns counted from codes against the plain labels: age bands from the
ages of the children looked after, reasons for ceasing from each exit's REC, and the counts
of starts and exits against the tables they come from. Hand-built edge cases: 29 February
births, birthdays on the period end, no DOB, blank and unknown REC, same-day chains,
re-entry, short breaks, one child, nothing at all."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cppanalytics.care.groups import (
    AGE_BANDS,
    age_band,
    age_band_codes,
    ethnic_group,
    legal_status_group,
    placement_group,
    reason_group,
    sex_group,
)
from cppanalytics.indicators.catalogue import BREAKDOWN_GROUPS
from cppanalytics.indicators.context import Context
from cppanalytics.indicators.population import (
    _ceased_positions,
    _exit_reasons,
    _started_positions,
    breakdown_rows,
    ceased_in_window,
    cin_code,
    compute,
    is_uasc,
    provider_code,
    started_in_window,
)
from cppanalytics.ssda903.dataset import Dataset
from tests.care.build import dataset, ep, hdr

ENDS = ["2023-03-31", "2024-02-28", "2024-02-29", "2024-03-31", "2025-03-31"]


def _mixed() -> Dataset:
    return dataset(
        [
            ep("A", "01/01/2023", "01/06/2023", "E11"),
            ep("A", "01/09/2023", "01/02/2024", ""),  # re-entry; exit with no REC
            ep("B", "01/04/2022", "01/05/2023", "X1"),
            ep("B", "01/05/2023", "29/02/2024", "E45", place="T1"),  # same-day chain
            ep("C", "01/01/2020", "31/03/2024", "E9Z"),  # unknown REC, on the period end
            ep("D", "01/01/2023", ls="V3"),  # short breaks only
            ep("E", "31/03/2024"),  # starts on the period end; born 31/03/2008
            ep("F", "01/06/2023", "01/03/2025", "E4A"),  # no DOB
            ep("G", "01/01/2024"),  # no header row
            ep("H", "01/01/2023", "01/03/2024", "E13"),  # 29 February birth
        ],
        [
            hdr("A", dob="01/04/2023"),
            hdr("B", dob="15/06/2010"),
            hdr("C", dob="31/03/2006"),
            hdr("D", dob="01/01/2012"),
            hdr("E", dob="31/03/2008"),
            hdr("F", dob=""),
            hdr("H", dob="29/02/2008"),
        ],
    )


DATA = {
    "mixed": _mixed,
    "one child": lambda: dataset([ep("A", "01/01/2023", "30/06/2023", "E4A")]),
    "nothing": Dataset,
}


def test_age_band_codes_are_the_age_band_labels() -> None:
    ages = pd.Series([0, 1, 4, 5, 9, 10, 15, 16, 17, None], dtype="Int64")
    codes = age_band_codes(ages.to_numpy(dtype="float64", na_value=np.nan))
    assert [AGE_BANDS[c] for c in codes] == age_band(ages).tolist()
    assert age_band(ages).tolist()[-1] == "unknown" and age_band(ages).tolist()[0] == "under 1"
    assert len(age_band_codes(np.array([]))) == 0


def _same(got, plain) -> None:
    """Same groups, counts, denominators and values (NaN equal to NaN)."""
    assert list(got.groups) == list(plain.groups)
    for part in ("numerator", "denominator", "value"):
        np.testing.assert_array_equal(getattr(got, part), getattr(plain, part), err_msg=part)


@pytest.mark.parametrize("name", DATA)
@pytest.mark.parametrize("d", ENDS)
def test_coded_breakdowns_are_the_labelled_ones(name: str, d: str) -> None:
    ctx = Context(DATA[name](), d)
    cla = ctx.cla_at()
    got = {b.indicator_id: b for b in compute(ctx, {"cla_by_age_band", "ceased_by_reason"})}
    plain = breakdown_rows(ctx, "cla_by_age_band", age_band(cla["age"]), len(cla))
    _same(got["cla_by_age_band"], plain)
    w = ctx.window("ceased_by_reason")
    ceased = ceased_in_window(ctx, *w)
    plain = breakdown_rows(
        ctx, "ceased_by_reason", reason_group(ceased["exit_rec"]), len(ceased), w
    )
    _same(got["ceased_by_reason"], plain)


@pytest.mark.parametrize("name", DATA)
@pytest.mark.parametrize("d", ENDS)
def test_positions_are_the_rows_of_the_window_tables(name: str, d: str) -> None:
    ctx = Context(DATA[name](), d)
    end = pd.Timestamp(d)
    for start in (end - pd.DateOffset(months=3) + pd.Timedelta(days=1), pd.Timestamp("2023-04-01")):
        exits, periods = ctx.exits(), ctx.periods()
        ceased = ceased_in_window(ctx, start, end)
        pos = _ceased_positions(ctx, start, end)
        assert exits["period_id"].to_numpy()[pos].tolist() == ceased["period_id"].tolist()
        plain = exits[(exits["exit_date"] >= start) & (exits["exit_date"] <= end)]
        assert (
            ceased["period_id"].tolist()
            == plain.drop_duplicates("CHILD", keep="last")["period_id"].tolist()
        )
        started = started_in_window(ctx, start, end)
        pos = _started_positions(ctx, start, end)
        assert periods["period_id"].to_numpy()[pos].tolist() == started["period_id"].tolist()
        plain = periods[(periods["start"] >= start) & (periods["start"] <= end)]
        assert started["period_id"].tolist() == plain.drop_duplicates("CHILD")["period_id"].tolist()


def test_exit_reasons_label_each_exit() -> None:
    ctx = Context(_mixed(), "2024-03-31")
    exits = ctx.exits()
    plain = reason_group(exits["exit_rec"]).tolist()
    every = np.arange(len(exits))
    for pos in (every, every[::-2], every[1::3], every[:0]):
        codes, labels = _exit_reasons(ctx, pos)
        assert [labels[c] for c in codes] == [plain[i] for i in pos]
    assert len(set(plain)) > 2  # several reasons, one missing REC among them


def test_breakdowns_by_hand() -> None:
    ctx = Context(_mixed(), "2024-03-31")
    got = {b.indicator_id: b for b in compute(ctx, {"cla_by_age_band", "ceased_by_reason"})}
    # looked after on 31/03/2024: E (16 that day), F (no DOB) and G (no header row):
    # unknown; C left that day, B and H before it
    ages = dict(zip(got["cla_by_age_band"].groups, got["cla_by_age_band"].numerator, strict=True))
    assert ages == {"under 1": 0, "1-4": 0, "5-9": 0, "10-15": 0, "16+": 1, "unknown": 2}
    # left in the 12 months: A (last exit: no REC), B (E45), C (E9Z), H (E13)
    reasons = dict(
        zip(got["ceased_by_reason"].groups, got["ceased_by_reason"].numerator, strict=True)
    )
    assert reasons["sgo"] == 1 and reasons["returned_home"] == 1 and reasons["adopted"] == 0
    assert reasons["other"] == 2
    assert sum(reasons.values()) == 4


def _plain_is_uasc(ctx: Context, children: pd.Series, at) -> pd.Series:
    """is_uasc by its definition: a UASC row (latest year) with DUC blank or after ``at``."""
    uasc = ctx.latest("uasc")
    if uasc.empty:
        return pd.Series(False, index=children.index)
    by_child = uasc.drop_duplicates("CHILD").set_index("CHILD")["DUC"]
    duc = children.map(by_child)
    when = at.to_numpy() if isinstance(at, pd.Series) else at
    current = (duc.isna() | (duc > when)).to_numpy(dtype=bool)
    return pd.Series(
        children.isin(by_child.index).to_numpy(dtype=bool) & current, index=children.index
    )


def _uasc_data() -> Dataset:
    def row(child: str, duc: str) -> dict[str, str]:
        return {"CHILD": child, "SEX": "1", "DOB": "01/01/2008", "DUC": duc}

    return dataset(
        [
            ep("A", "01/01/2023"),
            ep("B", "01/01/2023", "01/02/2024", "E4A"),
            ep("C", "01/03/2023"),
            ep("É", "01/03/2023"),
            ep("S", "01/03/2023", ls="V3"),  # short breaks only: no prepared episode
        ],
        uasc=[
            row("A", ""),  # still UASC
            row("B", "31/03/2024"),  # ends on a period end: not UASC that day
            row("É", "01/01/2024"),
            row("S", ""),  # UASC, but no prepared episode
            row("Z", "01/01/2030"),  # UASC, no episodes at all
        ],
    )


@pytest.mark.parametrize(
    "data",
    [_uasc_data, lambda: dataset([ep("A", "01/01/2023")]), Dataset],
    ids=["uasc", "none", "nothing"],
)
def test_is_uasc_on_codes_is_the_plain_look_up(data) -> None:
    ctx = Context(data(), "2024-03-31")
    children = pd.Series(["A", "B", "C", "É", "S", "Z", None, "A", "Q", "B"], dtype="string")
    for at in (pd.Timestamp("2023-12-31"), pd.Timestamp("2024-03-31"), pd.Timestamp("2024-04-01")):
        got = is_uasc(ctx, children, at)
        pd.testing.assert_series_equal(got, _plain_is_uasc(ctx, children, at))
    at = pd.Series(
        pd.to_datetime(
            [
                "2024-03-31",
                "2024-03-30",
                None,
                "2023-12-31",
                "2030-01-01",
                "2029-12-31",
                "2024-01-01",
                None,
                "2024-01-01",
                "2024-03-30",
            ]
        )
    )
    pd.testing.assert_series_equal(is_uasc(ctx, children, at), _plain_is_uasc(ctx, children, at))
    starters = started_in_window(ctx, pd.Timestamp("2022-04-01"), pd.Timestamp("2024-03-31"))
    got = is_uasc(ctx, starters["CHILD"], starters["start"])
    pd.testing.assert_series_equal(got, _plain_is_uasc(ctx, starters["CHILD"], starters["start"]))


def test_is_uasc_by_hand() -> None:
    ctx = Context(_uasc_data(), "2024-03-31")
    children = pd.Series(["A", "B", "C", "É", "S", "Z", None], dtype="string")
    got = is_uasc(ctx, children, pd.Timestamp("2024-03-31")).tolist()
    assert got == [True, False, False, False, True, True, False]
    got = is_uasc(ctx, children, pd.Timestamp("2024-03-30")).tolist()
    assert got == [True, True, False, False, True, True, False]


@pytest.mark.parametrize(
    "values, dtype",
    [
        (["U4", None, "K2", "U4", "ZZ", ""], "string"),  # missing, unknown, blank
        (["U4", "K2"], object),
        ([None, None], "string"),  # all missing
        (["Q1"], "string"),  # one row
        ([], "string"),  # none
        (["É", "U4"], "string"),  # non-ASCII
    ],
)
def test_group_positions_label_each_row(values, dtype) -> None:
    from cppanalytics.care.groups import placement_group
    from cppanalytics.indicators.catalogue import BREAKDOWN_GROUPS
    from cppanalytics.indicators.population import group_positions

    series = pd.Series(values, dtype=dtype)
    groups = BREAKDOWN_GROUPS["placement_group"]
    plain = pd.Index(groups).get_indexer(placement_group(series).to_numpy(dtype=object))
    assert group_positions(series, placement_group, groups).tolist() == plain.tolist()


def _runs_data() -> Dataset:
    """Re-entry, a period starting after the 18th birthday (not care: left out of the
    periods), a care spell running past the 18th birthday, a child with no header row,
    children whose ids sort apart from their order of appearance."""
    return dataset(
        [
            ep("Z", "01/01/2022", "01/03/2022", "E11"),
            ep("Z", "01/05/2022", "01/06/2023", "E4A"),  # re-entry
            ep("Z", "01/09/2023"),  # second re-entry, open
            ep("A", "01/02/2023", "01/03/2023", "E13"),  # begins after the 18th birthday
            ep("A", "01/06/2020", "01/01/2021", "E12"),  # before it
            ep("M", "01/01/2021", "01/06/2024", "E4A"),  # runs past the 18th birthday
            ep("N", "31/03/2024", "31/03/2024", "E11"),  # no header row
        ],
        [
            hdr("Z", dob="29/02/2012"),
            hdr("A", dob="01/01/2005"),
            hdr("M", dob="31/03/2006"),
        ],
    )


@pytest.mark.parametrize("name", [*DATA, "runs"])
def test_period_child_runs_are_the_runs_of_the_children(name: str) -> None:
    from cppanalytics.care.cohorts import child_runs
    from cppanalytics.indicators.population import period_child_runs

    ctx = Context(_runs_data() if name == "runs" else DATA[name](), "2024-03-31")
    periods, exits = ctx.periods(), ctx.exits()
    for rows in (periods, exits, exits.iloc[::2], exits.iloc[:0]):
        assert period_child_runs(ctx, rows).tolist() == child_runs(rows["CHILD"]).tolist()
    if name == "runs":  # A's adult period is left out; Z has three periods
        assert periods["CHILD"].tolist() == ["A", "M", "N", "Z", "Z", "Z"]
        assert period_child_runs(ctx, periods).tolist() == [0, 1, 2, 3, 3, 3]
    # a period unknown to the episodes: numbered from the text
    odd = periods.assign(period_id=periods["period_id"] + 10_000)
    assert period_child_runs(ctx, odd).tolist() == child_runs(odd["CHILD"]).tolist()


def test_starts_and_exits_with_runs_by_hand() -> None:
    ctx = Context(_runs_data(), "2024-03-31")
    w = (pd.Timestamp("2022-01-01"), pd.Timestamp("2024-03-31"))
    # Z's first start in the window; A's and M's starts are before it
    assert started_in_window(ctx, *w)["CHILD"].tolist() == ["N", "Z"]
    # the last exit of each: M at 18 (31/03/2024), N on the end, Z's second
    ceased = ceased_in_window(ctx, *w)
    assert ceased["CHILD"].tolist() == ["M", "N", "Z"]
    assert ceased["exit_date"].dt.strftime("%d/%m/%Y").tolist() == [
        "31/03/2024",
        "31/03/2024",
        "01/06/2023",
    ]


@pytest.mark.parametrize("name", [*DATA, "runs"])
def test_period_codes_are_the_periods_children(name: str) -> None:
    from cppanalytics.indicators.population import period_codes

    ctx = Context(_runs_data() if name == "runs" else DATA[name](), "2024-03-31")
    by_period = ctx.period_child_codes()
    ids = np.arange(len(by_period))
    for some in (ids, ids[::-1], ids[1::2], ids[:0], np.repeat(ids, 2)):
        assert period_codes(ctx, pd.Series(some)).tolist() == by_period[some].tolist()
    # the plain definition's refusals: an id not a prepared period, or not an integer
    for odd in ([-1], [len(by_period)], [0, len(by_period) + 5]):
        assert period_codes(ctx, pd.Series(odd, dtype=np.int64)) is None
    assert period_codes(ctx, pd.Series([0.0])) is None


@pytest.mark.parametrize("name", DATA)
@pytest.mark.parametrize("many", [False, True])
def test_breakdowns_by_code_are_the_labelled_cohort_columns(name: str, many: bool) -> None:
    from cppanalytics.findings import Findings
    from cppanalytics.indicators.population import CODED_FROM_ENDS, EPISODE_CODED

    coded = {
        "cla_by_placement_group": ("held_PLACE", placement_group),
        "cla_by_legal_status": ("LS", legal_status_group),
        "cla_by_sex": ("SEX", sex_group),
        "cla_by_ethnic_group": ("ETHNIC", ethnic_group),
        "cla_by_provider": ("PLACE_PROVIDER", provider_code),
        "cla_by_cin": ("CIN", cin_code),
    }
    assert EPISODE_CODED < {c for c, _ in coded.values()}
    base = Context(DATA[name](), ENDS[0])
    if many:  # per-episode codes for some columns, the end's children's values for others
        base.care.cache["period_ends"] = [pd.Timestamp(d) for d in ENDS]
        assert len(ENDS) >= CODED_FROM_ENDS
    for d in ENDS:
        ctx = base.at(d)
        ctx.findings = Findings()
        got = {b.indicator_id: b for b in compute(ctx, set(coded))}
        cla = ctx.cla_at()
        for indicator_id, (column, labeller) in coded.items():
            plain = breakdown_rows(ctx, indicator_id, labeller(cla[column]), len(cla))
            _same(got[indicator_id], plain)
        # a finding per child whose provider or CIN is in no group (the plain definition)
        found = ctx.findings.summary("all")
        for column, groups in (("PLACE_PROVIDER", "provider"), ("CIN", "cin")):
            known = cla[column].isin(BREAKDOWN_GROUPS[groups]).fillna(False).astype(bool)
            mine = found[found["column"] == column] if len(found) else found
            assert sorted(mine["child"]) == sorted(cla.loc[~known, "CHILD"]), (d, column)


def _counting(labeller):
    """``labeller``, and the list of every value it is asked to label (None: missing)."""
    asked: list[object] = []

    def counted(values: pd.Series) -> pd.Series:
        asked.extend(None if pd.isna(v) else v for v in values)
        return labeller(values)

    return counted, asked


def test_labels_of_labels_each_distinct_value_once_per_run() -> None:
    from cppanalytics.indicators.population import labels_of

    counted, asked = _counting(legal_status_group)
    known: dict = {}
    assert labels_of(["C2", "V2"], "string", counted, known) == (
        "care_order",
        "voluntary",
        "other",
    )
    assert asked == ["C2", "V2", None]
    # only the new value is labelled; the others (and a missing value) come from before
    assert labels_of(["E1", "C2"], "string", counted, known) == (
        "placement_order",
        "care_order",
        "other",
    )
    assert asked == ["C2", "V2", None, "E1"]
    assert labels_of([], "string", counted, known) == ("other",)
    assert asked == ["C2", "V2", None, "E1"]
    # without labels kept from before, every value and a missing one are labelled
    assert labels_of(["V2"], "string", counted, {}) == ("voluntary", "other")
    assert asked[-2:] == ["V2", None]


def test_breakdowns_at_many_ends_label_each_code_once_and_alike(monkeypatch) -> None:
    """At several period ends sharing one run, a breakdown's labeller sees each distinct
    code once, and every end's counts are the plain labels of that end's children."""
    import cppanalytics.indicators.population as population
    from cppanalytics.findings import Findings

    counted, asked = _counting(legal_status_group)
    monkeypatch.setattr(population, "legal_status_group", counted)
    base = Context(
        dataset(
            [
                ep("A", "01/01/2022", ls="C2"),
                ep("B", "01/06/2023", "01/03/2024", "E11", ls="E1"),  # new at the second end
                ep("C", "01/04/2024", ls="J1"),  # new at the last end
                ep("D", "01/01/2022", "31/03/2024", "E4A", ls="V2"),  # leaves on an end
                ep("E", "01/01/2023", ls=""),  # blank: missing
            ],
            [hdr(c, dob="01/01/2012") for c in "ABCDE"],
        ),
        ENDS[0],
    )
    seen: set[object] = {None}
    for d in ENDS:
        ctx = base.at(d)
        ctx.findings = Findings()
        got = compute(ctx, {"cla_by_legal_status"})[0]
        cla = ctx.cla_at()
        plain = breakdown_rows(ctx, "cla_by_legal_status", legal_status_group(cla["LS"]), len(cla))
        _same(got, plain)
        seen |= set(cla["LS"].dropna())
    assert sorted(asked, key=str) == sorted(seen, key=str)  # each code (and missing) once
    assert len(seen) > 2


def test_exit_reasons_label_each_reason_once_per_run(monkeypatch) -> None:
    import cppanalytics.indicators.population as population

    counted, asked = _counting(reason_group)
    monkeypatch.setattr(population, "reason_group", counted)
    ctx = Context(_mixed(), "2024-03-31")
    exits = ctx.exits()
    plain = reason_group(exits["exit_rec"]).tolist()
    every = np.arange(len(exits))
    for pos in (every[::-2], every, every[1::3], every[:0]):
        codes, labels = _exit_reasons(ctx, pos)
        assert [labels[c] for c in codes] == [plain[i] for i in pos]
    assert len(asked) == len(set(asked)) == exits["exit_rec"].nunique(dropna=True) + 1
