"""Per-run array paths of the cohorts and of the missing, population, sufficiency and
location indicators against their plain definitions, on hand-built edge cases (short
breaks, same-day chains, temporary placements, re-entry, birthdays on the period end,
incidents spanning the period end, non-ASCII ids, one row, nothing at all)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cppanalytics.care.cohorts import (
    episode_spans,
    looked_after_at,
    looked_after_at_positions,
    looked_after_during,
    looked_after_during_positions,
)
from cppanalytics.dates import age_at
from cppanalytics.findings import Findings
from cppanalytics.geography import postcodes
from cppanalytics.indicators import location, missing, population, sufficiency
from cppanalytics.indicators.catalogue import BREAKDOWN_GROUPS
from cppanalytics.indicators.context import Context
from cppanalytics.indicators.stability import placement_counts
from cppanalytics.results import rows_frame
from cppanalytics.ssda903.dataset import Dataset
from tests.care.build import dataset, ep, hdr

ENDS = ["2023-03-31", "2023-06-30", "2023-09-30", "2023-12-31", "2024-03-31", "2024-06-30"]
WINDOWS = [
    ("2023-04-01", "2024-03-31"),
    ("2024-01-01", "2024-03-31"),
    ("2023-03-31", "2023-03-31"),
    ("2024-04-01", "2024-06-30"),
]


#: short breaks, same-day chains, a temporary placement, re-entry, an exit on a period end,
#: an 18th birthday on a period end, a child with no header row, non-ASCII ids
_JOURNEYS = [
    ep("A", "01/01/2023"),
    ep("B", "01/02/2023", "30/06/2023", "X1"),  # same-day chain ...
    ep("B", "30/06/2023", "30/06/2023", "X1", rne="P", place="U1"),  # zero length
    ep("B", "30/06/2023", "31/12/2023", "E4A", rne="P", place="T1"),  # temporary
    ep("B", "01/03/2024", rne="S", place="K2"),  # re-entry
    ep("C", "01/01/2023", ls="V3"),  # short breaks only
    ep("D", "01/06/2022", "31/03/2024", "E4A"),  # leaves on a period end
    ep("É1", "01/04/2023", "01/04/2023", "E13"),  # a one-day period
    ep("F", "01/01/2021"),  # 18 on 31/03/2024
    ep("G", "31/03/2024"),  # no header row, starts on a period end
    ep("H", "01/05/2023", "01/08/2023", "X1"),  # X1 with no episode that day
    ep("H", "02/08/2023"),
]
_HEADERS = [
    hdr("A", "01/01/2010"),
    hdr("B", "15/05/2012"),
    hdr("C", "01/01/2015"),
    hdr("D", "01/01/2009"),
    hdr("É1", "01/01/2016"),
    hdr("F", "31/03/2006"),
    hdr("H", "29/02/2008"),
]


def _journeys() -> Dataset:
    """The journeys of :data:`_JOURNEYS`."""
    return dataset(_JOURNEYS, _HEADERS)


DATASETS = {
    "journeys": _journeys,
    "one_row": lambda: dataset([ep("A", "01/01/2023")]),
    "short_breaks_only": lambda: dataset([ep("A", "01/01/2023", ls="V4")]),
    "empty": Dataset,
}


@pytest.mark.parametrize("name", DATASETS)
def test_cohort_positions_are_the_rows_of_the_plain_cohorts(name) -> None:
    ctx = Context(DATASETS[name](), ENDS[0])
    eps = ctx.episodes
    codes, children = ctx.episode_child_codes()
    assert children.is_unique and len(codes) == len(eps)
    assert children.take(codes).tolist() == eps["CHILD"].tolist()
    spans = episode_spans(eps)
    for d in ENDS:
        plain = looked_after_at(eps, d).index.tolist()
        assert looked_after_at_positions(spans, codes, pd.Timestamp(d)).tolist() == plain, d
    for start, end in WINDOWS:
        plain = looked_after_during(eps, start, end).index.tolist()
        fast = looked_after_during_positions(spans, codes, pd.Timestamp(start), pd.Timestamp(end))
        assert fast.tolist() == plain, (start, end)


@pytest.mark.parametrize("name", DATASETS)
def test_cohort_positions_point_at_the_rows_of_the_cohorts(name) -> None:
    base = Context(DATASETS[name](), ENDS[0])
    for d in ENDS:
        ctx = base.at(d)
        rows = ctx.episodes.iloc[ctx.cla_at_positions()]
        assert rows["CHILD"].tolist() == ctx.cla_at()["CHILD"].tolist()
    for start, end in WINDOWS:
        rows = base.episodes.iloc[base.cla_during_positions(start, end)]
        during = base.cla_during(start, end)
        assert rows["CHILD"].tolist() == during["CHILD"].tolist()
        assert rows["DECOM"].tolist() == during["DECOM"].tolist()


def test_the_cohorts_of_the_journeys() -> None:
    ctx = Context(_journeys(), "2024-03-31")
    # D left on the period end; F is 18 on it; C has short breaks only
    assert ctx.cla_at()["CHILD"].tolist() == ["A", "B", "G", "H"]
    assert ctx.cla_at("2023-06-30")["CHILD"].tolist() == ["A", "B", "D", "F", "H"]
    during = ctx.cla_during("2023-04-01", "2024-03-31")
    assert during["CHILD"].tolist() == ["A", "B", "D", "F", "G", "H", "É1"]
    # each child's latest episode in the window: B's re-entry, H's second episode
    assert during.set_index("CHILD").loc[["B", "H"], "DECOM"].dt.strftime("%d/%m").tolist() == [
        "01/03",
        "02/08",
    ]


def _incidents() -> pd.DataFrame:
    """Distinct incidents: open ones, spanning window ends, on window ends, of children with
    short breaks only or no episode, an unknown kind, non-ASCII ids."""
    rows = [
        ("A", "M", "2023-03-30", "2023-04-02"),  # spans a window start
        ("A", "M", "2023-05-05", "2023-05-06"),
        ("A", "A", "2024-03-31", None),  # open, starts on a period end
        ("B", "M", "2023-06-30", "2023-06-30"),  # on the same-day chain
        ("B", "M", "2024-01-01", None),  # open, spans every later end
        ("C", "M", "2023-08-01", "2023-08-02"),  # short breaks only: outside
        ("D", "A", "2024-03-31", "2024-04-01"),  # left care on the day
        ("É1", "M", "2023-04-01", "2023-04-01"),
        ("F", "M", "2023-03-31", "2023-03-31"),  # ends the day before a window
        ("Z", "M", "2023-10-01", None),  # no episode at all
        ("H", "x", "2023-09-01", "2023-09-02"),  # not M or A
        ("H", "M", "2024-06-30", None),
    ]
    frame = pd.DataFrame(rows, columns=["CHILD", "MISSING", "MIS_START", "MIS_END"])
    frame["MIS_START"] = pd.to_datetime(frame["MIS_START"])
    frame["MIS_END"] = pd.to_datetime(frame["MIS_END"])
    frame["MISSING"] = frame["MISSING"].astype("string")
    return frame


@pytest.mark.parametrize("name", DATASETS)
@pytest.mark.parametrize("rows", [slice(None), slice(0, 1), slice(0, 0)])
def test_missing_counted_on_arrays_equal_the_plain_measures(name, rows) -> None:
    ctx = Context(DATASETS[name](), ENDS[0])
    codes, children = ctx.episode_child_codes()
    inc = _incidents().iloc[rows].reset_index(drop=True)
    arrays = missing.incident_arrays(inc, children)
    for start, end in WINDOWS:
        cohort_children = ctx.cla_during(start, end)["CHILD"]
        plain = missing.missing_measures(cohort_children, inc, start, end, distinct=True)
        cohort = codes[ctx.cla_during_positions(start, end)]
        fast, outside = missing.cohort_measures(
            arrays, cohort, len(children), pd.Timestamp(start), pd.Timestamp(end)
        )
        pd.testing.assert_frame_equal(fast, plain)
        plain_outside = ~inc["CHILD"].isin(cohort_children) & inc["MIS_START"].between(start, end)
        assert outside.tolist() == plain_outside.tolist()


def test_missing_arrays_of_the_journeys() -> None:
    ctx = Context(_journeys(), ENDS[0])
    codes, children = ctx.episode_child_codes()
    arrays = missing.incident_arrays(_incidents(), children)
    cohort = codes[ctx.cla_during_positions("2023-04-01", "2024-03-31")]
    r, outside = missing.cohort_measures(
        arrays, cohort, len(children), pd.Timestamp("2023-04-01"), pd.Timestamp("2024-03-31")
    )
    # 7 in care during the year; M overlapping: A, B, É1 (F's ends the day before)
    assert r["numerator"].tolist() == [3.0, 4.0, 4.0, 2.0]
    assert r["denominator"].tolist()[::2] == [7.0, 3.0]
    # C (short breaks) and Z (no episode) start incidents in the window outside the cohort
    assert _incidents().loc[outside, "CHILD"].tolist() == ["C", "Z"]
    assert np.isnan(r.loc["missing_incidents", "denominator"])


def _uasc_rows() -> list[dict]:
    """UASC rows: ended before, on and after period ends, open, of a child not in care."""
    return [
        {"CHILD": "A", "DOB": "01/01/2010", "DUC": "30/09/2023"},
        {"CHILD": "B", "DOB": "15/05/2012", "DUC": "31/03/2024"},  # ends on a period end
        {"CHILD": "H", "DOB": "29/02/2008", "DUC": ""},  # open
        {"CHILD": "G", "DOB": "01/01/2010", "DUC": "01/01/2030"},
        {"CHILD": "Z", "DOB": "01/01/2010", "DUC": ""},  # never looked after
    ]


def _with_uasc() -> Dataset:
    return dataset(_JOURNEYS, _HEADERS, uasc=_uasc_rows())


@pytest.mark.parametrize("name", [*DATASETS, "with_uasc"])
def test_starts_ceases_and_uasc_on_arrays_equal_the_plain_definitions(name) -> None:
    data = _with_uasc() if name == "with_uasc" else DATASETS[name]()
    base = Context(data, ENDS[0])
    p, exits = base.periods(), base.exits()
    for start, end in WINDOWS:
        s, e = pd.Timestamp(start), pd.Timestamp(end)
        plain = p[(p["start"] >= s) & (p["start"] <= e)].drop_duplicates("CHILD", keep="first")
        pd.testing.assert_frame_equal(
            population.started_in_window(base, s, e), plain.reset_index(drop=True)
        )
        pd.testing.assert_frame_equal(
            population.ceased_in_window(base, s, e), population.last_exit_in(exits, s, e)
        )
    for d in ENDS:
        ctx = base.at(d)
        plain_uasc = population.is_uasc(ctx, ctx.cla_at()["CHILD"], ctx.period_end)
        assert population.uasc_at(ctx).tolist() == plain_uasc.tolist(), d


def test_uasc_of_the_journeys_at_a_period_end() -> None:
    ctx = Context(_with_uasc(), "2024-03-31")
    # A's ended in 2023, B's ends on D (not after it), H's is open; G's runs to 2030
    assert ctx.cla_at()["CHILD"].tolist() == ["A", "B", "G", "H"]
    assert population.uasc_at(ctx).tolist() == [False, False, True, True]


@pytest.mark.parametrize("name", DATASETS)
def test_children_left_out_of_a_window_as_adults_get_the_plain_findings(name) -> None:
    for start, end in WINDOWS:
        ctx = Context(DATASETS[name](), ENDS[0])
        pos = ctx.cla_during_positions(start, end)
        eps = ctx.episodes
        rows = looked_after_during(eps, start, end)
        dob = ctx.header.set_index("CHILD")["DOB"].reindex(rows["CHILD"].to_numpy())
        eve = pd.Timestamp(start) - pd.Timedelta(days=1)
        adult = (age_at(pd.Series(dob.to_numpy()), eve) >= 18).fillna(False).to_numpy(bool)
        assert pos.tolist() == rows.index[~adult].tolist()
        found = ctx.findings.to_frame()
        found = found[found["code"] == "looked_after_18_plus"]
        assert found["child"].tolist() == rows.loc[adult, "CHILD"].tolist()
        ages = age_at(pd.Series(dob.to_numpy()), end)[adult].astype("string").tolist()
        assert found["value"].tolist() == ages
        assert len(ctx.cla_during(start, end)) == len(pos)


def test_a_child_18_on_the_day_before_a_window_is_left_out_of_it() -> None:
    ctx = Context(_journeys(), "2024-06-30")
    # F is 18 on 31/03/2024: in the year to 31/03/2024, not in the quarter after it
    assert "F" in ctx.cla_during("2023-04-01", "2024-03-31")["CHILD"].tolist()
    assert "F" not in ctx.cla_during("2024-04-01", "2024-06-30")["CHILD"].tolist()
    found = ctx.findings.to_frame()
    assert found.loc[found["code"] == "looked_after_18_plus", "child"].tolist() == ["F"]


def _movers() -> Dataset:
    """Foster placements with known, unknown and blank providers (one held over a temporary
    placement), children moving 3+ times with and without reasons, same-day chains."""

    def move(child: str, decom: str, dec: str, place: str, reason: str, **kw: str) -> dict:
        return {
            **ep(child, decom, dec, "X1" if dec else "", place=place, **kw),
            "REASON_PLACE_CHANGE": reason,
        }

    rows = [
        move("M", "01/05/2023", "01/07/2023", "U1", "CARPL", rne="S", provider="PR4"),
        move("M", "01/07/2023", "01/10/2023", "U4", "ALLEG", rne="P", provider=""),
        move("M", "01/10/2023", "", "U3", "", rne="P", provider="PR0"),
        move("N", "01/01/2023", "01/06/2023", "U2", "", rne="S", provider="PR2"),
        move("N", "01/06/2023", "01/08/2023", "T1", "", rne="T", provider="PR1"),
        move("N", "01/08/2023", "01/12/2023", "R1", "", rne="P", provider="PR5"),
        move("N", "01/12/2023", "", "U6", "XYZ", rne="P", provider="PR5"),
        move("P", "01/01/2024", "", "U5", "", rne="S", provider="PR3"),
        move("Q", "01/02/2021", "01/03/2024", "U4", "", ls="V4"),
    ]
    return dataset(rows)


@pytest.mark.parametrize("name", [*DATASETS, "movers"])
def test_foster_providers_and_movers_on_arrays_equal_the_plain_definitions(name) -> None:
    base = Context(_movers() if name == "movers" else DATASETS[name](), ENDS[0])
    for d in ENDS:
        ctx = base.at(d)
        plain = sufficiency.fostered_at(ctx)
        fostered, provider = sufficiency._foster_groups(ctx)
        assert ctx.cla_at()[fostered]["CHILD"].tolist() == plain["CHILD"].tolist()
        groups = BREAKDOWN_GROUPS["foster_provider"]
        assert [groups[i] for i in provider] == plain["provider"].tolist()
        w = ctx.window("placement_change_reason")
        counts = placement_counts(ctx, *w)
        movers = set(counts[counts >= 3].index) & set(ctx.cla_at()["CHILD"])
        moves = sufficiency.placement_moves(ctx, *w)
        plain_moves = moves[moves["CHILD"].isin(movers)]
        fast = sufficiency._all_moves(ctx)[sufficiency.movers_moves(ctx, *w)]
        pd.testing.assert_frame_equal(fast, plain_moves)


@pytest.mark.parametrize("name", [*DATASETS, "movers"])
def test_move_reasons_are_the_plain_definition(name) -> None:
    # a move's reason: the episode that ended (the previous one of the period) if it holds
    # a listed reason, else the move's own episode's if listed, else not_recorded
    ctx = Context(_movers() if name == "movers" else DATASETS[name](), ENDS[0])
    eps = ctx.episodes
    listed = set(BREAKDOWN_GROUPS["change_reason"][:-1])
    moves = sufficiency._all_moves(ctx)
    plain = []
    for i in moves.index:
        prev = eps["REASON_PLACE_CHANGE"].iloc[i - 1] if i > 0 else None
        same = i > 0 and eps["period_id"].iloc[i - 1] == eps["period_id"].iloc[i]
        own = eps["REASON_PLACE_CHANGE"].iloc[i]
        plain.append(prev if same and prev in listed else own if own in listed else "not_recorded")
    assert moves["reason"].tolist() == plain
    groups = list(BREAKDOWN_GROUPS["change_reason"])
    reason = sufficiency._move_arrays(ctx).reason
    assert [groups[i] for i in reason] == plain


def test_foster_providers_and_moves_of_the_movers() -> None:
    ctx = Context(_movers(), "2024-03-31")
    res = sufficiency.compute(ctx, {"foster_by_provider", "placement_change_reason"})
    rows = rows_frame(res)
    by = rows[rows["indicator_id"] == "foster_by_provider"].set_index("group")["numerator"]
    # M in U3 with PR0 (unknown), N in U6 with PR5, P in U5 with PR3
    assert by[["voluntary", "other_public", "unknown"]].tolist() == [1, 1, 1]
    assert by.sum() == 3
    moves = rows[rows["indicator_id"] == "placement_change_reason"]
    moves = moves.set_index("group")["numerator"]
    # M: U1 -> U4 -> U3, the reasons read from the episodes that ended (CARPL, ALLEG); N: U2
    # (the T1 temporary placement continues it) -> R1 -> U6, no reason recorded before
    # either move (U6's own XYZ is no reason code); P has one placement
    assert moves[moves > 0].to_dict() == {"CARPL": 1, "ALLEG": 1, "not_recorded": 2}


def _stand_in_location(home: pd.Series, pl: pd.Series, la_code: str | None) -> pd.DataFrame:
    """Miles from the digits of PL_POST ("P20" -> 20.04), IN for "PIN...", unknown for a
    blank postcode or one without digits."""
    digits = pl.astype("string").str.extract(r"(\d+)")[0].astype("Float64") + 0.04
    blank = home.isna().to_numpy() | pl.isna().to_numpy()
    miles = digits.to_numpy(dtype="float64", na_value=np.nan)
    miles[blank] = np.nan
    where = np.where(pl.astype("string").str.startswith("PIN").fillna(False), "IN", "OUT")
    loc = pd.array(np.where(np.isnan(miles) | (la_code is None), None, where), dtype="string")
    return pd.DataFrame({"distance_miles": miles, "location": loc}, index=home.index)


@pytest.mark.parametrize("la_code", ["E06000042", None])
def test_locations_taken_by_position_equal_the_look_up_of_each_end(monkeypatch, la_code) -> None:
    monkeypatch.setattr(postcodes, "placement_location", _stand_in_location)
    rows = [
        ep("A", "01/01/2023", pl_post="P5"),
        ep("B", "01/01/2023", "30/06/2023", "X1", pl_post="P20"),
        ep("B", "30/06/2023", "01/09/2023", "X1", place="T1", pl_post="PIN30", rne="T"),
        ep("B", "01/09/2023", pl_post="P150", rne="P"),
        ep("C", "01/01/2023", pl_post="", home_post=""),
        ep("D", "01/01/2023", "31/03/2024", "E4A", pl_post="PX"),
        ep("É", "01/04/2023", pl_post="P20", home_post="ÉÉ1"),
        ep("F", "01/01/2023", ls="V3", pl_post="P60"),
        ep("G", "01/02/2024", "20/02/2024", "E4A", pl_post="P61"),  # at no period end
    ]
    data = dataset(rows)
    run = Context(data, ENDS[0], la_code=la_code)
    run.care.cache["period_ends"] = [pd.Timestamp(d) for d in ENDS]
    alone = Context(data, ENDS[0], la_code=la_code)  # looks every end's pairs up afresh
    for d in [*ENDS, "2023-08-15", "2024-02-10"]:  # the last two: not period ends
        fast = location.locate_at(run.at(d))
        plain = location.locate(alone.at(d), alone.at(d).cla_at())
        pd.testing.assert_frame_equal(fast, plain)
    at = location.locate_at(run.at("2023-08-15"))  # B in the temporary placement
    expected = [5.04, 30.04, np.nan, np.nan, 20.04]  # A, B, C (blank), D (no digits), É
    np.testing.assert_array_equal(at["distance_miles"].round(2).to_numpy(), expected)
    at = location.locate_at(run.at("2024-02-10"))  # G's pair looked up when asked for
    assert at["distance_miles"].round(2).tolist()[-2] == 61.04


@pytest.mark.parametrize("name", DATASETS)
def test_episodes_current_at_any_end_are_the_plain_comparisons(name) -> None:
    ctx = Context(DATASETS[name](), ENDS[0])
    ctx.care.cache["period_ends"] = [pd.Timestamp(d) for d in ENDS]
    eps = ctx.episodes
    plain = np.zeros(len(eps), dtype=bool)
    for d in ENDS:
        dec = eps["DEC_eff"]
        when = pd.Timestamp(d)
        plain |= ((eps["DECOM"] <= when) & (dec.isna() | (dec > when))).to_numpy(dtype=bool)
    current = location._current_at_any(ctx)
    pd.testing.assert_frame_equal(current, eps.loc[plain, ["HOME_POST", "PL_POST"]])


def _codes() -> Dataset:
    """Providers and CIN codes known, blank, unknown and literally "unknown"; a foster
    placement held over a temporary one; non-ASCII codes."""
    return dataset(
        [
            ep("A", "01/01/2023", place="U4", provider="", cin="N1"),
            ep("B", "01/02/2023", "01/05/2023", "X1", place="U1", provider="PR9", cin=""),
            ep("B", "01/05/2023", place="T1", rne="T", provider="PR2", cin="N9"),
            ep("C", "01/02/2023", place="U6", provider="unknown", cin="unknown"),
            ep("D", "01/06/2022", "01/01/2024", "E4A", place="K2", provider="PR1"),
            ep("É", "01/02/2024", place="U2", provider="PRÉ", cin="Ñ1"),
        ]
    )


@pytest.mark.parametrize("name", [*DATASETS, "codes", "movers"])
def test_code_findings_and_foster_groups_alike_at_few_and_many_ends(name) -> None:
    make = {"codes": _codes, "movers": _movers}.get(name) or DATASETS[name]
    data = make()
    for d in ENDS:
        out = {}
        for ends in ([d], ENDS):  # fewer than CODED_FROM_ENDS: the plain path
            f = Findings()
            ctx = Context(data, d, findings=f)
            ctx.care.cache["period_ends"] = [pd.Timestamp(e) for e in ends]
            ids = {"cla_by_provider", "cla_by_cin"}
            res = rows_frame(population.compute(ctx, ids))
            fostered, provider = sufficiency._foster_groups(ctx)
            out[len(ends)] = (res, f.to_frame(), fostered.tolist(), provider.tolist())
        few, many = out.values()
        pd.testing.assert_frame_equal(few[0], many[0])
        pd.testing.assert_frame_equal(few[1], many[1])
        assert few[2:] == many[2:], d


def test_code_findings_of_the_codes() -> None:
    f = Findings()
    ctx = Context(_codes(), "2024-03-31", findings=f)
    ctx.care.cache["period_ends"] = [pd.Timestamp(e) for e in ENDS]
    population.compute(ctx, {"cla_by_provider", "cla_by_cin"})
    found = f.to_frame()
    by = found.groupby("column")["child"].apply(list).to_dict()
    # blank, unlisted, and "unknown" written as a code are each a finding
    assert by == {"CIN": ["B", "C", "É"], "PLACE_PROVIDER": ["A", "C", "É"]}
    fostered, provider = sufficiency._foster_groups(ctx)
    groups = BREAKDOWN_GROUPS["foster_provider"]
    # A (blank), B (U1 held over T1; PR2 on the current episode), C, É (PRÉ)
    assert ctx.cla_at()[fostered]["CHILD"].tolist() == ["A", "B", "C", "É"]
    assert [groups[i] for i in provider] == ["unknown", "other_council", "unknown", "unknown"]


@pytest.mark.parametrize("name", [*DATASETS, "codes"])
@pytest.mark.parametrize(
    "column", ["PLACE", "held_PLACE", "LS", "PLACE_PROVIDER", "CIN", "SEX", "ETHNIC", "DOB"]
)
def test_episode_codes_are_pandas_factorisation(name, column) -> None:
    ctx = Context(_codes() if name == "codes" else DATASETS[name](), ENDS[0])
    frame = ctx._episode_facts() if column in ("DOB", "SEX", "ETHNIC") else ctx.episodes
    for values in (frame[column], frame[column].astype("string[pyarrow]")):
        plain, uniques = pd.factorize(values)
        ctx.care.cache.pop(("episode_codes", column), None)
        frame[column] = values  # the frame is the context's own: try both storages
        codes, probe = ctx.episode_codes(column)
        assert codes.tolist() == plain.tolist()
        assert probe.iloc[:-1].tolist() == list(uniques) and probe.isna().iloc[-1]
        assert probe.dtype == values.dtype


def test_incidents_placed_by_codes_or_by_children_alike() -> None:
    ctx = Context(_journeys(), ENDS[0])
    inc = _incidents()
    by_index = missing.incident_arrays(inc, ctx.episode_child_codes()[1])
    by_codes = missing.incident_arrays(inc, ctx.child_codes(inc["CHILD"]))
    assert by_index.child.tolist() == by_codes.child.tolist()
    assert inc.loc[by_codes.child == -1, "CHILD"].tolist() == ["C", "Z"]  # no episode left


#: OC2 rows: a child with no header DOB aged from the OC2 DOB (J), one with neither (G), a
#: 29 February birth (K), a row of a child with no episode (Z), SDQ scores and a blank one
_OC2 = [
    {"CHILD": "A", "DOB": "01/01/2010", "SDQ_SCORE": "14", "HEALTH_CHECK": "1", "YEAR": 2024},
    {"CHILD": "J", "DOB": "01/06/2008", "SDQ_SCORE": "", "IMMUNISATIONS": "1", "YEAR": 2024},
    {"CHILD": "G", "DOB": "", "SDQ_SCORE": "9", "TEETH_CHECK": "1", "YEAR": 2024},
    {"CHILD": "K", "DOB": "29/02/2012", "SDQ_SCORE": "17", "YEAR": 2024},
    {"CHILD": "Z", "DOB": "01/01/2012", "SDQ_SCORE": "20", "YEAR": 2024},
]


@pytest.mark.parametrize("with_oc2", [True, False])
def test_health_measures_at_positions_equal_those_of_the_cohort_table(with_oc2) -> None:
    from cppanalytics.indicators import health

    early = [ep("J", "01/01/2020"), ep("K", "01/06/2019"), ep("L", "01/01/2020")]
    headers = [*_HEADERS, hdr("G", ""), hdr("J", ""), hdr("K", "29/02/2012"), hdr("L", "")]
    oc2 = {"oc2": _OC2} if with_oc2 else {}
    data = dataset(_JOURNEYS + early, headers, **oc2)
    base = Context(data, ENDS[0])
    for d in [*ENDS, "2024-02-29", "2025-03-31"]:
        ctx = base.at(d)
        oc2_rows = health.rows_for_collection_year(
            data.tables["oc2"], ctx.period_end, "oc2", Findings(), tuple(health.IDS)
        )
        arrays = health._oc2_arrays(oc2_rows)
        cohort = ctx.continuously_looked_after_12m()
        pd.testing.assert_frame_equal(
            health._measures_at(ctx, arrays, ctx.period_end),
            health._measures_from_arrays(cohort, arrays, ctx.period_end),
        )
        if d == "2024-03-31" and with_oc2:  # about children, not empty tables
            assert len(cohort) >= 4 and health._child_arrays(ctx, arrays)[0].max() >= 0


@pytest.mark.parametrize("la_code", ["E06000042", None])
def test_distance_locality_codes_are_the_plain_groups(monkeypatch, la_code) -> None:
    # within 20 miles (20.0 after DfE's rounding included) or over, inside or outside the
    # council's area; a blank or unfound postcode, or no council code: unknown
    monkeypatch.setattr(postcodes, "placement_location", _stand_in_location)
    rows = [
        ep("A", "01/01/2023", pl_post="P5"),
        ep("B", "01/01/2023", pl_post="PIN20"),  # 20.04 -> 20.0: within, inside
        ep("C", "01/01/2023", pl_post="", home_post=""),
        ep("D", "01/01/2023", pl_post="P150"),
        ep("É", "01/04/2023", pl_post="PIN60", home_post="ÉÉ1"),
        ep("F", "01/01/2023", pl_post="PX"),
    ]
    base = Context(dataset(rows), ENDS[0], la_code=la_code)
    base.care.cache["period_ends"] = [pd.Timestamp(d) for d in ENDS]
    for d in ENDS:
        ctx = base.at(d)
        loc = location.locate(ctx, ctx.cla_at())
        miles = np.floor(loc["distance_miles"].to_numpy() * 10 + 0.5) / 10
        plain = []
        for m, where in zip(miles, loc["location"].astype(object), strict=True):
            side = {"IN": "inside", "OUT": "outside"}.get(where) if isinstance(where, str) else None
            near = None if np.isnan(m) else ("within_20" if m <= 20 else "over_20")
            plain.append(f"{near}_{side}" if near and side else "unknown")
        codes = sufficiency._distance_locality(ctx)
        assert [sufficiency.LOCALITIES[c] for c in codes] == plain
    if la_code is not None:
        assert set(plain) >= {"within_20_inside", "within_20_outside", "unknown"}
