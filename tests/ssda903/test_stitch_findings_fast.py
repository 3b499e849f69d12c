"""Stitching and findings fast paths give exactly what the plain definitions give.

The plain definitions below are the straightforward pandas readings of the rules (sort the
rows, take them, word a message per row, group the findings); the package computes the same
on integer codes and arrays. Each case compares whole frames: values, dtypes, order, index.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cppanalytics.findings import (
    FINDING_COLUMNS,
    SEVERITY_ORDER,
    Findings,
    _object_codes,
    _same_text,
    found_frame,
    normalise_findings,
    summarise_findings,
)
from cppanalytics.findings import (
    _text_at as _text_of,
)
from cppanalytics.ssda903.dataset import coerce_table
from cppanalytics.ssda903.provenance import concat, empty, row_findings
from cppanalytics.ssda903.schemas import SCHEMAS
from cppanalytics.ssda903.stitch import (
    _blank_children,
    _date_ranks,
    _dense,
    _first_of_each,
    _in_order,
    _latest_first,
    _repeats,
    _sort_distinct,
    _stale,
    _stale_rows,
    _suspect_children,
    _year_pairs,
    dedupe_within_year,
    repair_overlaps,
    sort_codes,
    stitch_years,
)
from cppanalytics.ssda903.years import label, labels
from cppanalytics.string_storage import python_strings

# ---------------------------------------------------------------- plain definitions


def _text_at(table: pd.DataFrame, col: str, rows: np.ndarray) -> object:
    """A table's text column at positions as findings hold it (``""`` without the column)."""
    return _text_of(table[col], rows) if col in table.columns else ""


def _rows_at(table: pd.DataFrame, rows: np.ndarray) -> object:
    return pd.array(table["source_row"].array.take(rows), dtype="Int64")


def plain_sort_codes(values: pd.Series) -> np.ndarray:
    if not (pd.api.types.is_string_dtype(values) or values.dtype == object):
        return values.to_numpy()
    codes, uniq = pd.factorize(values, sort=True)
    return np.where(codes < 0, len(uniq), codes)


def plain_normalise(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for col in FINDING_COLUMNS:
        if col not in out.columns:
            out[col] = pd.NA if col == "row" else ""
    out = out[FINDING_COLUMNS]
    out["row"] = pd.to_numeric(out["row"], errors="coerce").astype("Int64")
    for col in FINDING_COLUMNS:
        if col != "row" and (out[col].dtype != "str" or out[col].hasnans):
            out[col] = out[col].astype("str").fillna("")
    return out.reset_index(drop=True)


def plain_summarise(frame: pd.DataFrame, detail: str = "summary") -> pd.DataFrame:
    frame = plain_normalise(frame)
    info = frame["severity"] == "info"
    if detail == "all" or not info.any():
        return frame
    keys = ["code", "table", "file", "action"]
    folded = frame.loc[info]
    firsts = folded.groupby(keys, sort=False, dropna=False).head(1).reset_index(drop=True)
    counts = folded.groupby(keys, sort=False, dropna=False).size().reset_index(name="_n")
    firsts = firsts.merge(counts, on=keys, how="left", validate="one_to_one")
    many = firsts["_n"] > 1
    n_text = firsts["_n"].astype(str)
    firsts["value"] = firsts["value"].where(~many, n_text)
    firsts["child"] = firsts["child"].where(~many, "")
    firsts["message"] = firsts["message"].where(~many, n_text + " rows: " + firsts["message"])
    out = pd.concat([frame.loc[~info], firsts.drop(columns="_n")], ignore_index=True)
    order = out["severity"].map(SEVERITY_ORDER).fillna(len(SEVERITY_ORDER))
    return plain_normalise(out.iloc[order.argsort(kind="stable")])


def plain_row_findings(table, mask, severity, code, name, *, column, message, fix, action):
    mask = mask.fillna(False).astype(bool)
    if not mask.any():
        return empty()
    rows = table.loc[mask]

    def text(obj):
        if isinstance(obj, pd.Series):
            return obj.loc[rows.index].astype("string").fillna("").astype("str")
        return "" if obj is None else str(obj)

    frame = pd.DataFrame(
        {
            "severity": severity,
            "code": code,
            "table": name,
            "file": text(rows["source_file"]) if "source_file" in rows.columns else "",
            "row": pd.array(rows["source_row"], dtype="Int64"),
            "column": column,
            "value": "",
            "child": text(rows["CHILD"]),
            "message": text(message),
            "fix": fix,
            "action": action,
            "indicators": "",
        },
        index=rows.index,
    )
    return frame[FINDING_COLUMNS].reset_index(drop=True)


def plain_stitch_years(name: str, table: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    schema = SCHEMAS[name]
    key = [f"_k{i}" for i in range(len(schema.key))]
    year = table["YEAR"].astype("float64").fillna(-1)
    keys = {k: plain_sort_codes(table[c]) for k, c in zip(key, schema.key, strict=True)}
    sorter = pd.DataFrame({**keys, "_year": -year.to_numpy(), "_order": np.arange(len(table))})
    sorter = sorter.sort_values([*key, "_year", "_order"])
    ranked = table.iloc[sorter["_order"].to_numpy()]
    older = pd.Series(sorter.duplicated(subset=key, keep="first").to_numpy(), index=ranked.index)
    winner_year = ranked["YEAR"].groupby((~older).cumsum().to_numpy()).transform("first")
    what = "row for this child" if schema.stitch == "child" else "row"
    old_year = ranked.loc[older, "YEAR"].astype("float64")
    new_year = winner_year[older].astype("float64")
    worded = (
        f"this {what} from the "
        + labels(old_year.astype("Int64"))
        + " files is replaced by the one in the "
        + labels(new_year.astype("Int64"))
        + " files."
    )
    found = plain_row_findings(
        ranked,
        older,
        "info",
        "superseded",
        name,
        column=",".join(schema.key),
        message=worded,
        fix="No action needed: the latest collection year's version is used.",
        action="set_aside",
    )
    return ranked.loc[~older].sort_index(), found


# ---------------------------------------------------------------- cases

TEXT = ["b10", "a", "b2", "B", "", "é", "Zoë", "ß", "日本", "😀", " a", "a "]


@pytest.mark.parametrize("storage", ["python", "pyarrow"])
@pytest.mark.parametrize("dtype", ["string", "str", "object"])
def test_sort_codes_equal_the_sorted_factorisation(storage: str, dtype: str) -> None:
    rng = np.random.default_rng(3)
    pool = np.array([*TEXT, None], dtype=object)
    cases = [
        [],
        ["x"],
        [None],
        [None, None],
        ["", None, ""],
        list(pool),
        list(rng.choice(pool, 500)),
    ]
    with pd.option_context("mode.string_storage", storage):
        for values in cases:
            series = pd.Series(values, dtype=dtype)
            got, want = sort_codes(series), plain_sort_codes(series)
            assert got.dtype == want.dtype and got.tolist() == want.tolist(), values


def test_sort_codes_fall_back_for_values_arrow_cannot_hold() -> None:
    for values in (["b", 1, "a", 1], ["\ud800", "a", "b"], [2.5, None, 1.0]):
        series = pd.Series(values, dtype=object)
        assert sort_codes(series).tolist() == plain_sort_codes(series).tolist()


def _header(children: list, years: list, rows: list | None = None) -> pd.DataFrame:
    n = len(children)
    raw = pd.DataFrame(
        {
            "CHILD": pd.Series(children, dtype=object),
            "SEX": ["1", "2"] * (n // 2) + ["1"] * (n % 2),
            "YEAR": years,
            "source_file": [f"{y}/header.csv" if y else None for y in years],
            "source_row": rows if rows is not None else list(range(2, n + 2)),
        }
    )
    with python_strings():
        return coerce_table("header", raw)


def _episodes(rng: np.random.Generator, n: int) -> pd.DataFrame:
    children = rng.choice(np.array(["1", "2", "é3", "04", "日本"], dtype=object), n)
    starts = rng.choice(["01/04/2021", "01/04/2022", "15/05/2022", "", "x"], n)
    years = rng.choice(np.array([2022, 2023, 2024, None], dtype=object), n)
    raw = pd.DataFrame(
        {
            "CHILD": children,
            "DECOM": starts,
            "DEC": "",
            "REC": "",
            "YEAR": years,
            "source_file": rng.choice(["a/e.csv", "b/e.csv", None], n),
            "source_row": rng.integers(2, 50, n),
        }
    )
    with python_strings():
        return coerce_table("episodes", raw)


def _same(got: tuple, want: tuple) -> None:
    for g, w in zip(got, want, strict=True):
        pd.testing.assert_frame_equal(g, w, check_exact=True)
        assert g.index.tolist() == w.index.tolist()


def test_stitch_years_matches_the_plain_definition_on_hand_built_cases() -> None:
    cases = [
        _header(["1"], [2024]),
        _header(["1", "1"], [2023, 2024]),
        _header(["1", "1", "1"], [2024, 2024, 2023]),  # same year twice: first read wins
        _header(["é", "e", "é", "日本", "日本"], [2022, 2023, 2023, 2024, 2021]),
        _header(["1", "1", "2", "2"], [None, 2024, None, None]),  # unknown years
        _header(["1", None, None, "2"], [2023, 2023, 2024, 2024]),  # blank CHILD
        _header(["1", "2", "3"], [2024, 2023, 2022]),  # nothing superseded
    ]
    for table in cases:
        with python_strings():
            _same(stitch_years("header", table), plain_stitch_years("header", table))


def test_superseded_message_names_its_own_winner_year_even_when_unknown() -> None:
    # child 2's rows both have no year: the one kept is of an unknown year, not child 1's 2023-24
    table = _header(["1", "1", "2", "2"], [None, 2024, None, None])
    with python_strings():
        _, found = stitch_years("header", table)
    said = dict(zip(found["child"], found["message"], strict=True))
    assert said == {
        "1": "this row for this child from the unknown files is replaced by the one in the "
        "2023-24 files.",
        "2": "this row for this child from the unknown files is replaced by the one in the "
        "unknown files.",
    }


def test_stitch_years_matches_the_plain_definition_on_mixed_years() -> None:
    rng = np.random.default_rng(11)
    for n in (1, 2, 7, 60, 400):
        table = _episodes(rng, n)
        with python_strings():
            _same(stitch_years("episodes", table), plain_stitch_years("episodes", table))


def test_stitch_years_keeps_an_unsorted_index_as_the_plain_definition_does() -> None:
    table = _header(["1", "1", "2", "2", "3"], [2023, 2024, 2024, 2022, 2023])
    table.index = [40, 3, 17, 8, 22]
    with python_strings():
        got = stitch_years("header", table)
        _same(got, plain_stitch_years("header", table))
    assert got[0].index.tolist() == [3, 17, 22]


def test_stitch_years_empty_table() -> None:
    table = _header([], [])
    kept, found = stitch_years("header", table)
    assert kept.empty and found.empty and list(found.columns) == FINDING_COLUMNS


def _findings_frame(rng: np.random.Generator, n: int) -> pd.DataFrame:
    files = np.array(["a/e.csv", "b/e.csv", "c/é.csv", "", None], dtype=object)
    return pd.DataFrame(
        {
            "severity": rng.choice(["info", "info", "info", "warning", "error"], n),
            "code": rng.choice(["superseded", "blank_lines", "x"], n),
            "table": rng.choice(np.array(["episodes", "header", None], dtype=object), n),
            "file": rng.choice(files, n),
            "row": rng.choice(np.array([2, 3, None, "7", 8.0], dtype=object), n),
            "value": rng.choice(np.array(["", "v", None, 5], dtype=object), n),
            "child": rng.choice(np.array(["1", "日本", None], dtype=object), n),
            "message": rng.choice(["m", "n"], n),
            "action": rng.choice(["set_aside", "loaded", ""], n),
        }
    )


@pytest.mark.parametrize("storage", ["python", "pyarrow"])
def test_normalise_and_summarise_match_the_plain_definitions(storage: str) -> None:
    rng = np.random.default_rng(5)
    frames = [
        pd.DataFrame({"severity": ["info"], "code": ["x"]}),  # one row, columns missing
        pd.DataFrame({c: pd.Series(dtype=object) for c in ["severity", "code"]}),  # empty
        pd.DataFrame({"severity": ["info", "info"], "file": [None, None]}),  # all-null column
        pd.DataFrame({"severity": ["error"], "code": ["e"], "row": ["12"]}),  # no info
        _findings_frame(rng, 1),
        _findings_frame(rng, 50),
        _findings_frame(rng, 3000),
    ]
    long = _findings_frame(rng, 2000)
    long[["severity", "code", "table", "action"]] = ["info", "superseded", "episodes", "set_aside"]
    long["file"] = np.where(np.arange(2000) % 3, "a/e.csv", "b/e.csv")  # files interleaved
    frames.append(long)
    with pd.option_context("mode.string_storage", storage):
        for frame in frames:
            pd.testing.assert_frame_equal(normalise_findings(frame), plain_normalise(frame))
            once = normalise_findings(frame)
            pd.testing.assert_frame_equal(normalise_findings(once), plain_normalise(once))
            for detail in ("summary", "all"):
                pd.testing.assert_frame_equal(
                    summarise_findings(frame, detail), plain_summarise(frame, detail)
                )


def test_collector_gives_the_same_table_however_often_it_is_asked() -> None:
    rng = np.random.default_rng(9)
    parts = [_findings_frame(rng, n) for n in (5, 1, 40)]
    f = Findings()
    f.extend(parts[0])
    first = f.to_frame()
    first.loc[0, "code"] = "changed by the caller"  # a caller's change stays its own
    f.add("error", "late", table="header", file="h.csv", row=3, message="m")
    f.extend(parts[1])
    f.extend(parts[2])
    want = plain_normalise(pd.concat([plain_normalise(p) for p in [parts[0]]], ignore_index=True))
    late = plain_normalise(
        pd.DataFrame(
            [{"severity": "error", "code": "late", "table": "header", "file": "h.csv", "row": 3}]
        ).assign(message="m")
    )
    want = plain_normalise(
        pd.concat([want, late, *[plain_normalise(p) for p in parts[1:]]], ignore_index=True)
    )
    pd.testing.assert_frame_equal(f.to_frame(), want)
    pd.testing.assert_frame_equal(f.to_frame(), want)
    assert f.counts() == {s: int((want["severity"] == s).sum()) for s in SEVERITY_ORDER}
    assert len(f) == len(want)
    pd.testing.assert_frame_equal(f.summary(), plain_summarise(want))
    pd.testing.assert_frame_equal(f.summary("all"), want)


def plain_full_row_findings(
    table, mask, severity, code, name, *, column="", value=None, message="", fix="", action="loaded"
):
    mask = mask.fillna(False).astype(bool)
    if not mask.any():
        return empty()
    rows = table.loc[mask]
    n = len(rows)

    def text(obj):
        if isinstance(obj, pd.Series):
            picked = obj.loc[rows.index] if len(obj) != n or obj.index is not rows.index else obj
            return picked.astype("string").fillna("").astype("str")
        return "" if obj is None else str(obj)

    if value is None:
        value = rows[column] if column and column in rows.columns else ""
    value = text(value)
    if isinstance(message, str) and "{value}" in message:
        head, _, tail = message.partition("{value}")
        shown = value if isinstance(value, pd.Series) else pd.Series(value, index=rows.index)
        message = head + shown.where(shown != "", "(blank)") + tail
    src_row = rows["source_row"] if "source_row" in rows.columns else pd.NA
    frame = pd.DataFrame(
        {
            "severity": severity,
            "code": code,
            "table": name,
            "file": text(rows["source_file"]) if "source_file" in rows.columns else "",
            "row": pd.array(src_row, dtype="Int64") if n else [],
            "column": column,
            "value": value,
            "child": text(rows["CHILD"]) if "CHILD" in rows.columns else "",
            "message": text(message),
            "fix": fix,
            "action": action,
            "indicators": "",
        },
        index=rows.index,
    )
    return frame[FINDING_COLUMNS].reset_index(drop=True)


def _fmt(dates: pd.Series) -> pd.Series:
    return dates.dt.strftime("%d/%m/%Y").astype("string").fillna("blank")


def plain_stale(eps: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    far = pd.Timestamp.max.normalize()
    stale = pd.Series(False, index=eps.index)
    later = pd.Series(float("nan"), index=eps.index)
    dated = eps["DECOM"].notna()
    years = sorted(eps.loc[dated, "_y"].unique(), reverse=True)
    if len(years) < 2:
        return stale, later
    kept = dated & (eps["_y"] == years[0])
    child = pd.Series(plain_sort_codes(eps["CHILD"]), index=eps.index)
    for year in years[1:]:
        k = pd.DataFrame(
            {
                "_c": child[kept],
                "DECOM": eps.loc[kept, "DECOM"],
                "_y": eps.loc[kept, "_y"],
                "_end": eps.loc[kept, "DEC"].fillna(far),
            }
        )
        k = k.sort_values(["_c", "DECOM"], kind="stable")
        k["_reach"] = k.groupby("_c", sort=False)["_end"].cummax()
        k = k.sort_values("DECOM", kind="stable")
        this = dated & (eps["_y"] == year)
        c = pd.DataFrame({"_c": child[this], "DECOM": eps.loc[this, "DECOM"]}).assign(
            _row=eps.index[this]
        )
        c = c.sort_values("DECOM", kind="stable")
        m = pd.merge_asof(
            c,
            k[["_c", "DECOM", "_reach", "_y"]],
            on="DECOM",
            by="_c",
            direction="backward",
            allow_exact_matches=True,
        )
        covered = (m["_reach"] > m["DECOM"]).fillna(False).to_numpy(dtype=bool)
        rows = m.loc[covered, "_row"].to_numpy()
        stale.loc[rows] = True
        later.loc[rows] = m.loc[covered, "_y"].to_numpy()
        kept |= this & ~stale
    return stale, later


def plain_repair_overlaps(episodes: pd.DataFrame, latest_year: int | None):
    if episodes.empty:
        return episodes, empty()
    sorter = pd.DataFrame({"_c": plain_sort_codes(episodes["CHILD"]), "DECOM": episodes["DECOM"]})
    sorter = sorter.reset_index(drop=True).sort_values(["_c", "DECOM"], kind="stable")
    eps = episodes.iloc[sorter.index.to_numpy()].copy()
    eps["_y"] = eps["YEAR"].astype("float64").fillna(-1)
    stale, later_year = plain_stale(eps)
    sub = eps.loc[stale]
    parts = [
        plain_full_row_findings(
            eps,
            stale,
            "warning",
            "episode_superseded_overlap",
            "episodes",
            column="DECOM",
            value=_fmt(sub["DECOM"]),
            message=(
                "episode starting "
                + _fmt(sub["DECOM"])
                + " ("
                + labels(sub["YEAR"])
                + " files) falls inside an episode from the later "
                + labels(later_year[stale].astype("Int64"))
                + " files, which re-recorded that time; it was set aside."
            ),
            fix="Check the child's episodes in the source system; the later return was used.",
            action="set_aside",
        )
    ]
    eps = eps.loc[~stale]
    same_next = eps["CHILD"].eq(eps["CHILD"].shift(-1)).fillna(False)  # last row: no next
    next_start = eps["DECOM"].shift(-1)
    over = same_next & (eps["DEC"].isna() | (eps["DEC"] > next_start))
    sub = eps.loc[over]
    parts.append(
        plain_full_row_findings(
            eps,
            over,
            "warning",
            "episode_overlap",
            "episodes",
            column="DEC",
            value=_fmt(sub["DEC"]),
            message=(
                "episode starting "
                + _fmt(sub["DECOM"])
                + " ends "
                + _fmt(sub["DEC"]).replace("blank", "nowhere (open)")
                + " but the child's next episode starts "
                + _fmt(next_start[over])
                + "; its DEC was set to that date."
            ),
            fix="Correct DEC (and REC) of this episode in the source system.",
            action="repaired",
        )
    )
    eps.loc[over, "DEC"] = next_start[over]
    eps.loc[over & eps["REC"].isna(), "REC"] = "X1"
    if latest_year is not None:
        last = ~same_next
        stale_open = last & eps["DEC"].isna() & (eps["_y"] < latest_year) & (eps["_y"] > 0)
        parts.append(
            plain_full_row_findings(
                eps,
                stale_open,
                "warning",
                "open_episode_not_in_later_year",
                "episodes",
                column="DEC",
                value="",
                message=(
                    "episode is open at the end of the "
                    + labels(eps.loc[stale_open, "YEAR"])
                    + f" files but the child is not in the {label(latest_year)} files; it was "
                    "kept as still open."
                ),
                fix="Check whether the child left care; the later return should hold the episode.",
                action="loaded",
            )
        )
    eps = eps.drop(columns=["_y"]).sort_index()
    return eps, concat(parts)


def _journeys(rng: np.random.Generator, n: int) -> pd.DataFrame:
    """Episodes of a few children over several years: repeated starts, blanks, open ends."""
    days = pd.date_range("2020-01-01", periods=40, freq="17D").strftime("%d/%m/%Y").tolist()
    raw = pd.DataFrame(
        {
            "CHILD": rng.choice(np.array(["1", "2", "é3", "04", "日本"], dtype=object), n),
            "DECOM": rng.choice([*days, ""], n),
            "DEC": rng.choice([*days, "", "", ""], n),
            "REC": rng.choice(["", "E11", "X1"], n),
            "YEAR": rng.choice(np.array([2021, 2022, 2023, 2024, None], dtype=object), n),
            "source_file": rng.choice(["a/e.csv", "b/e.csv", None], n),
            "source_row": rng.integers(2, 90, n),
        }
    )
    with python_strings():
        return coerce_table("episodes", raw)


def _nested() -> pd.DataFrame:
    raw = pd.DataFrame(
        {
            "CHILD": ["1", "1", "1", "1", "2", "2", "2", "3"],
            "DECOM": [
                "01/01/2020", "01/02/2020", "01/02/2020", "05/02/2020",
                "01/01/2021", "01/01/2021", "", "01/01/2024",
            ],
            "DEC": ["", "03/02/2020", "", "06/02/2020", "01/03/2021", "", "", "02/01/2024"],
            "REC": ["", "X1", "", "", "", "", "", "E11"],
            "YEAR": [2024, 2023, 2022, 2021, 2022, 2023, 2023, 2024],
            "source_file": "e.csv",
            "source_row": range(2, 10),
        }
    )  # fmt: skip
    with python_strings():
        return coerce_table("episodes", raw)


def _cases() -> pd.DataFrame:
    """One child per edge case; most children are clean (nothing to repair)."""
    rows = [
        # a child with one episode
        ("A", "01/01/2023", "05/01/2023", "E11", 2023),
        # same-day chain: each episode ends the day the next starts, one lasts no time
        ("B", "01/01/2022", "05/01/2022", "X1", 2022),
        ("B", "05/01/2022", "05/01/2022", "X1", 2022),
        ("B", "06/01/2022", "09/01/2022", "", 2023),
        ("B", "09/01/2022", "", "", 2024),
        # an open episode with a later one after it (ended by it), and an overlap
        ("C", "01/02/2022", "", "", 2023),
        ("C", "01/03/2022", "15/03/2022", "", 2023),
        ("C", "10/03/2022", "01/04/2022", "E4A", 2023),
        # repeated episode across years: same DECOM, open then closed
        ("D", "01/06/2021", "", "", 2022),
        ("D", "01/06/2021", "01/09/2022", "E11", 2023),
        # a same-day episode read first, then a later year's starting that day
        ("K", "01/07/2021", "01/07/2021", "", 2022),
        ("K", "01/07/2021", "01/08/2021", "", 2023),
        # inside a later year's episode: nested and starting inside
        ("E", "01/03/2022", "01/06/2022", "", 2023),
        ("E", "01/04/2022", "01/05/2022", "", 2022),
        ("E", "01/05/2022", "01/08/2022", "", 2022),
        # missing DEC on the last episode of an earlier year; missing DECOM
        ("F", "01/01/2021", "01/02/2021", "X1", 2021),
        ("F", "01/02/2021", "", "", 2021),
        ("F", "", "", "", 2021),
        # open in the latest year; a later year starting the day an earlier one ends
        ("G", "01/01/2024", "", "", 2024),
        ("H", "01/01/2022", "01/02/2022", "", 2022),
        ("H", "01/02/2022", "", "", 2024),
        # blank CHILD (no child's next episode)
        ("", "01/01/2022", "", "", 2022),
        ("", "01/02/2022", "", "", 2024),
        # unknown year
        ("J", "01/01/2022", "01/03/2022", "", None),
        ("J", "01/02/2022", "", "", 2024),
    ]
    raw = pd.DataFrame(rows, columns=["CHILD", "DECOM", "DEC", "REC", "YEAR"])
    raw["YEAR"] = raw["YEAR"].astype(object)
    raw = raw.assign(source_file="e.csv", source_row=range(2, len(raw) + 2))
    with python_strings():
        return coerce_table("episodes", raw)


def test_repair_overlaps_matches_the_plain_definition() -> None:
    rng = np.random.default_rng(21)
    tables = [_cases(), _nested(), _journeys(rng, 1), _journeys(rng, 2)]
    tables += [_journeys(rng, n) for n in (10, 40, 150, 400) for _ in range(2)]
    for table in tables:
        variants = [table, table.iloc[::-1]]
        shuffled = table.copy()
        shuffled.index = rng.permutation(len(table)) * 3 + 5  # unique, unsorted labels
        variants.append(shuffled)
        text = table.copy()
        text["CHILD"] = text["CHILD"].astype("str")  # NaN-style blanks
        variants.append(text)
        for t in variants:
            for latest in (2024, 2023, None):
                with python_strings():
                    got = repair_overlaps(t, latest)
                    given = repair_overlaps(t, latest, sort_codes(t["CHILD"]))
                    want = plain_repair_overlaps(t, latest)
                _same(got, want)
                _same(given, want)


def test_repair_overlaps_cases_hit_every_rule() -> None:
    for table in (_nested(), _cases()):
        with python_strings():
            kept, found = repair_overlaps(table, 2024)
        assert set(found["code"]) == {
            "episode_superseded_overlap",
            "episode_overlap",
            "open_episode_not_in_later_year",
        }
    by_child = found.groupby("code")["child"].agg(list).to_dict()
    assert by_child == {
        "episode_superseded_overlap": ["D", "E", "E", "K"],
        # (F: open, then an undated episode; J: an unknown year's, then 2024's)
        "episode_overlap": ["C", "C", "F", "J"],
        "open_episode_not_in_later_year": ["F", ""],
    }


def _in_child_order(table: pd.DataFrame) -> tuple[np.ndarray, ...]:
    """The arrays :func:`_stale` is given: rows in (CHILD, DECOM) order."""
    codes = plain_sort_codes(table["CHILD"])
    decom = table["DECOM"].to_numpy()
    order = np.lexsort([np.where(np.isnat(decom), _MAX, decom.view(np.int64)), codes])
    year = table["YEAR"].astype("float64").fillna(-1).to_numpy()
    return codes[order], decom[order], table["DEC"].to_numpy()[order], year[order]


def test_stale_on_suspect_children_only_equals_every_row_worked_out() -> None:
    """Children without an episode overlapping, open before or starting with the one
    before it are left out of the search: same answer as searching every row."""
    rng = np.random.default_rng(5)
    tables = [_cases(), _nested(), *(_journeys(rng, n) for n in (1, 2, 10, 40, 300))]
    for table in tables:
        child, decom, dec, year = _in_child_order(table)
        got = _stale(child, decom, dec, year)
        want = _stale_rows(child, decom, dec, year)
        for g, w in zip(got, want, strict=True):
            np.testing.assert_array_equal(g, w)
    child, decom, dec, year = _in_child_order(_cases())
    suspects = _suspect_children(child, decom, dec)
    names = set(_cases()["CHILD"].to_numpy()[np.argsort(plain_sort_codes(_cases()["CHILD"]))])
    assert 0 < suspects.sum() < len(suspects) and len(names) > 1
    stale, _ = _stale(child, decom, dec, year)
    assert stale.sum() == 4 and not (stale & ~suspects).any()


def test_suspect_children_are_those_with_a_late_end_or_a_shared_start() -> None:
    d = np.array(
        ["2023-01-01", "2023-02-01", "2023-01-01", "2023-01-01", "2023-01-01", "NaT", "2023-05-01"],
        dtype="datetime64[ns]",
    )
    e = np.array(
        ["2023-02-01", "NaT", "2023-03-01", "2023-01-02", "NaT", "NaT", "2023-04-01"],
        dtype="datetime64[ns]",
    )
    child = np.array([0, 0, 1, 1, 2, 2, 3])  # 0 clean; 1 same start; 2 open then undated
    assert _suspect_children(child, d, e).tolist() == [False, False, True, True] + [False] * 3
    assert _suspect_children(child[:1], d[:1], e[:1]).tolist() == [False]


@pytest.mark.parametrize("dtype", ["string", "str", "object"])
def test_blank_children_are_the_missing_ids(dtype: str) -> None:
    rng = np.random.default_rng(3)
    for values in (["b", None, "a", None], ["b", "a"], [None, None], ["é"], []):
        child = pd.Series(values, dtype=dtype)
        for codes in (plain_sort_codes(child), sort_codes(child)):
            got = _blank_children(child, np.asarray(codes))
            assert got.tolist() == child.isna().tolist()
        shuffled = child.iloc[rng.permutation(len(child))] if len(child) else child
        got = _blank_children(shuffled, plain_sort_codes(shuffled))
        assert got.tolist() == shuffled.isna().tolist()
    numbers = pd.Series([1.0, np.nan])  # codes that are not integers: asked of the values
    assert _blank_children(numbers, numbers.to_numpy()).tolist() == [False, True]


@pytest.mark.parametrize("runs", [1, 3, 50, 10_000])
def test_sort_distinct_is_the_sort(runs: int) -> None:
    rng = np.random.default_rng(runs)
    values = rng.permutation(20_000) * 7 - 5
    parts = np.array_split(values, runs)
    values = np.concatenate([np.sort(p) for p in parts])  # ascending runs
    want = np.sort(values)
    _sort_distinct(values)
    np.testing.assert_array_equal(values, want)
    for few in (np.zeros(0, np.int64), np.array([4]), np.array([2, 1])):
        got = few.copy()
        _sort_distinct(got)
        assert got.tolist() == sorted(few.tolist())


def test_repair_overlaps_empty_table() -> None:
    table = _journeys(np.random.default_rng(1), 3).iloc[:0]
    kept, found = repair_overlaps(table, 2024)
    assert kept.empty and found.empty


def test_row_findings_match_the_plain_definition() -> None:
    rng = np.random.default_rng(4)
    table = _journeys(rng, 30)
    masks = [
        pd.Series(rng.random(30) < 0.3, index=table.index),
        pd.Series(True, index=table.index),
        pd.Series(
            pd.array(rng.choice([True, False, None], 30), dtype="boolean"), index=table.index
        ),
        pd.Series(False, index=table.index),
    ]
    kwargs = [
        {"column": "PLACE"},
        {"column": "DECOM", "value": "", "message": "DECOM {value} is odd"},
        {"column": "REC", "message": "REC {value} unknown"},
        {"column": "", "value": table["REC"], "message": table["CHILD"]},
        {"column": "NOT_THERE"},
    ]
    bare = table.drop(columns=["source_file", "CHILD"])
    with python_strings():
        for frame in (table, bare):
            for mask in masks:
                for kw in kwargs:
                    got = row_findings(frame, mask, "error", "c", "episodes", fix="f", **kw)
                    want = plain_full_row_findings(
                        frame, mask, "error", "c", "episodes", fix="f", **kw
                    )
                    pd.testing.assert_frame_equal(got, want)


def test_repeated_rows_on_packed_codes_match_pandas() -> None:
    rng = np.random.default_rng(8)
    for n, high in ((0, 3), (1, 3), (50, 2), (400, 4), (300, 2_000_000)):  # wide: renumbered
        codes = pd.DataFrame({c: rng.integers(-1, high, n) for c in "abcdef"})
        codes.index = rng.permutation(n) + 10
        for cols in (["a"], ["a", "b"], list("abcdef")):
            for keep in ("first", False):
                got = _repeats(codes, cols, keep=keep)
                want = codes.duplicated(subset=cols, keep=keep)
                pd.testing.assert_series_equal(got, want)
    for n in (5, 3000):  # a few files, each sorted by its key: rows in ascending runs
        runs = pd.DataFrame({c: np.sort(rng.integers(-1, 40, n)) for c in "ab"})
        runs = pd.concat([runs, runs.iloc[::2], runs.iloc[1::3]], ignore_index=True)
        for keep in ("first", False):
            got = _repeats(runs, ["a", "b"], keep=keep)
            pd.testing.assert_series_equal(got, runs.duplicated(subset=["a", "b"], keep=keep))
    huge = pd.DataFrame({"a": [2**40, 5, 2**40], "b": [0, 0, 0]})  # not codes: pandas' way
    assert _repeats(huge, ["a", "b"]).tolist() == [False, False, True]
    text = pd.DataFrame({"a": ["x", "y", "x"], "b": [1, 2, 1]})  # not codes: pandas' own way
    assert _repeats(text, ["a", "b"]).tolist() == [False, False, True]


def test_dedupe_on_codes_equals_dedupe_on_values() -> None:
    table = _header(["1", "1", "1", "2", "é", "é", "2"], [2024] * 6 + [2023])
    table["SEX"] = ["1", "1", "2", "1", "1", "1", "1"]
    codes = pd.DataFrame(
        {c: pd.factorize(table[c])[0] for c in [*SCHEMAS["header"].columns, "YEAR"]}
    )
    subset = table.iloc[[0, 1, 2, 4, 5, 6]]  # the loader passes fewer rows the second time
    with python_strings():
        for rows in (table, subset):
            for exact, key in ((True, False), (False, True), (True, True)):
                got = dedupe_within_year("header", rows, exact=exact, key=key, codes=codes)
                want = dedupe_within_year("header", rows, exact=exact, key=key)
                _same(got, want)
    kept, found = dedupe_within_year("header", table, codes=codes)
    assert found["code"].tolist() == ["duplicate_row", "duplicate_row", "duplicate_key"]


def plain_dedupe(name: str, table: pd.DataFrame, exact: bool, key: bool):
    schema = SCHEMAS[name]
    none = pd.Series(False, index=table.index)
    copies = table.duplicated([*schema.columns, "YEAR"]) if exact else none
    same_key = table.duplicated([*schema.key, "YEAR"]) & ~copies if key else none
    kept = table.loc[~(copies | same_key)]
    return (
        kept,
        table.loc[copies, "source_row"].tolist(),
        table.loc[same_key, "source_row"].tolist(),
    )


def test_dedupe_matches_the_plain_definition_on_episodes() -> None:
    rng = np.random.default_rng(23)
    cases = [_journeys(rng, n) for n in (1, 2, 30, 300)]
    chain = _nested()
    cases.append(pd.concat([chain, chain.iloc[[0, 3]], chain.iloc[[1]].assign(REC="E11")]))
    cases.append(chain.iloc[:0])
    for table in cases:
        table = table.reset_index(drop=True).assign(source_row=range(2, len(table) + 2))
        columns = [*SCHEMAS["episodes"].columns, "YEAR"]
        codes = pd.DataFrame({c: pd.factorize(table[c])[0].astype(np.int32) for c in columns})
        for exact, key in ((True, False), (False, True), (True, True)):
            kept, copies, same_key = plain_dedupe("episodes", table, exact, key)
            for given in (codes, None):
                with python_strings():
                    got, found = dedupe_within_year(
                        "episodes", table, exact=exact, key=key, codes=given
                    )
                pd.testing.assert_frame_equal(got, kept)
                rows = found.groupby("code")["row"].agg(list).to_dict()
                assert rows.get("duplicate_row", []) == copies
                assert rows.get("duplicate_key", []) == same_key


# ---------------------------------------------------------------- ranking by packed integers


def plain_latest_first(coded: list[np.ndarray], year: np.ndarray):
    n = len(year)
    ranked = np.lexsort([np.arange(n), -np.nan_to_num(year, nan=-1.0), *reversed(coded)])
    older = np.zeros(n, dtype=bool)
    if n > 1:
        older[1:] = np.logical_and.reduce([k[ranked][1:] == k[ranked][:-1] for k in coded])
    return ranked, older, year[ranked]


_MAX = np.iinfo(np.int64).max


def _ranking_cases() -> list[tuple[str, list[np.ndarray], np.ndarray]]:
    rng = np.random.default_rng(17)
    day = 86_400_000_000_000
    cases = []
    for n in (0, 1, 2, 9, 300):
        child = rng.integers(0, 6, n)
        days = rng.choice(np.array([0, 1, 1, 400, _MAX // day], dtype=np.int64), n)
        stamps = np.where(
            days == _MAX // day, _MAX, days * day + 1_600_000_000 * 10**9 // day * day
        )
        years = rng.choice(np.array([2022.0, 2023.0, 2024.0, np.nan]), n)
        cases += [
            ("one key", [child], years),
            ("child and whole-day dates, NaT last", [child, stamps], years),
            ("dates with a time of day", [child, stamps + rng.integers(0, 2, n) * 3600], years),
            ("spread integers", [rng.integers(-(2**62), 2**62, n)], years),
            (
                "keys too wide to pack",
                [rng.integers(0, 2**40, n), rng.integers(0, 2**40, n)],
                years,
            ),
            ("unsigned codes", [rng.integers(0, 4, n).astype(np.uint32)], years),
            ("year -1 beside unknown", [child], rng.choice(np.array([-1.0, np.nan, 2024.0]), n)),
            ("unknown years only", [child], np.full(n, np.nan)),
            ("year not whole", [child], rng.choice(np.array([2024.5, 2024.0]), n)),
            ("years far apart", [child], rng.choice(np.array([1.0, 5e7, np.nan]), n)),
            ("same-day chain", [np.zeros(n, np.int64), np.zeros(n, np.int64)], years),
            (
                "files sorted by child and date",
                [np.sort(child), np.zeros(n, np.int64)],
                np.full(n, 2024.0),
            ),
        ]
    return cases


@pytest.mark.parametrize("case", _ranking_cases(), ids=lambda c: f"{c[0]}-{len(c[2])}")
def test_latest_first_ranks_as_the_sort_by_several_keys(case) -> None:
    _, coded, year = case
    got = _latest_first([k.copy() for k in coded], year.copy())
    want = plain_latest_first(coded, year)
    for g, w in zip(got, want, strict=True):
        np.testing.assert_array_equal(g, w)
    assert got[1].dtype == bool


def test_latest_first_leaves_its_inputs_alone() -> None:
    coded, year = [np.array([3, 1, 3])], np.array([2023.0, np.nan, 2024.0])
    _latest_first(coded, year)
    assert coded[0].tolist() == [3, 1, 3] and np.isnan(year[1]) and year[2] == 2024.0
    for coded in ([np.array([2, 0, 2])], [np.array([1, 0, 1]), np.array([0, 5, 0])]):
        given = [k.copy() for k in coded]  # codes from 0: packed from the arrays given
        _latest_first(given, np.array([2023.0, 2024.0, 2024.0]))
        assert [k.tolist() for k in given] == [k.tolist() for k in coded]


def test_dense_codes_sort_and_compare_as_given() -> None:
    day = 86_400_000_000_000
    for codes in (
        np.array([5, -3, 5, 0]),
        np.array([2 * day, _MAX, 0, 2 * day]),
        np.array([7, _MAX, 7]),
        np.array([-(2**62), 2**62, 0]),
        np.array([], dtype=np.int64),
    ):
        dense, bound = _dense(codes)
        assert dense.min(initial=0) >= 0 and dense.max(initial=0) < bound
        assert (
            np.argsort(dense, kind="stable").tolist() == np.argsort(codes, kind="stable").tolist()
        )
        assert (dense[:, None] == dense[None, :]).tolist() == (
            codes[:, None] == codes[None, :]
        ).tolist()
    assert _dense(np.array([1.5])) is None


@pytest.mark.parametrize("n", [0, 1, 5, 400])
def test_first_of_each_equals_numpy_unique(n: int) -> None:
    rng = np.random.default_rng(n)
    for pool in ([2024.0, 2023.0], [-1.0, 2023.0 * 100_000 - 1], np.arange(100.0)):
        values = rng.choice(np.asarray(pool), n) if n else np.zeros(0)
        got = _first_of_each(values)
        want = np.unique(values, return_index=True, return_inverse=True)[1:]
        assert [g.tolist() for g in got] == [w.tolist() for w in want]


@pytest.mark.parametrize("storage", ["python", "pyarrow"])
@pytest.mark.parametrize("dtype", ["string", "str", "object"])
def test_text_at_reads_as_findings_text(storage: str, dtype: str) -> None:
    with pd.option_context("mode.string_storage", storage):
        for values in (["7", None, "é", "日本", ""], ["a", "b"], [None], []):
            table = pd.DataFrame({"CHILD": pd.Series(values, dtype=dtype)})
            rows = np.arange(len(values))[::-1]
            got = _text_at(table, "CHILD", rows)
            want = table["CHILD"].take(rows).astype("string").fillna("").astype("str")
            pd.testing.assert_series_equal(
                pd.Series(got), want.reset_index(drop=True), check_names=False
            )


def test_found_frame_has_the_contract_columns_and_types() -> None:
    with python_strings():
        table = _header(["1", "2", None], [2024, 2023, None])
        got = found_frame(
            {
                "severity": "info",
                "file": _text_at(table, "source_file", np.array([2, 0])),
                "row": _rows_at(table, np.array([2, 0])),
                "child": _text_at(table, "CHILD", np.array([2, 0])),
                "message": pd.array(["m", "n"], dtype="str"),
            },
            2,
        )
        want = plain_full_row_findings(
            table.iloc[[2, 0]],
            pd.Series(True, index=[2, 0]),
            "info",
            "",
            "",
            message=pd.Series(["m", "n"], index=[2, 0]),
            action="",
        )
    pd.testing.assert_frame_equal(got, want)
    with python_strings():
        none = found_frame({"severity": "info"}, 0)
    assert none.empty and list(none.columns) == FINDING_COLUMNS
    assert none.dtypes.astype(str).tolist() == empty().dtypes.astype(str).tolist()


def test_stitch_years_repeated_episode_across_years_and_blank_keys() -> None:
    raw = pd.DataFrame(
        {
            "CHILD": ["1", "1", "1", "1", None, None, "2", "2"],
            "DECOM": [
                "01/04/2022", "01/04/2022", "01/04/2022", "05/06/2022",
                "01/04/2022", "01/04/2022", "", "",
            ],
            "DEC": "",
            "REC": "",
            "YEAR": [2023, 2024, 2025, 2024, 2023, 2024, 2023, None],
            "source_file": ["a", "b", "c", "b", "a", "b", "a", None],
            "source_row": range(2, 10),
        }
    )  # fmt: skip
    with python_strings():
        table = coerce_table("episodes", raw)
        got = stitch_years("episodes", table)
        _same(got, plain_stitch_years("episodes", table))
    assert got[0]["source_row"].tolist() == [4, 5, 7, 8]
    assert got[1]["message"].tolist()[:2] == [
        "this row from the 2023-24 files is replaced by the one in the 2024-25 files.",
        "this row from the 2022-23 files is replaced by the one in the 2024-25 files.",
    ]


@pytest.mark.parametrize("n", [1, 2, 9, 300])
def test_in_order_is_the_sort_by_several_keys(n: int) -> None:
    rng = np.random.default_rng(n)
    for high in (3, 2**40):  # the wide keys take numpy's lexsort
        coded = [rng.integers(0, high, n), rng.integers(0, 4, n)]
        assert _in_order(coded).tolist() == np.lexsort(coded[::-1]).tolist()
    day = 86_400_000_000_000
    stamps = rng.choice(np.array([0, day, 9 * day, _MAX]), n)  # whole days, NaT last
    child = np.sort(rng.integers(-2, 5, n))  # one file sorted by child: a run
    for coded in ([child, stamps], [child[::-1].copy(), stamps + 1], [stamps]):
        given = [k.copy() for k in coded]
        assert _in_order(given).tolist() == np.lexsort(coded[::-1]).tolist()
        assert all((g == k).all() for g, k in zip(given, coded, strict=True))  # left alone


def test_date_ranks_sort_and_compare_as_the_times() -> None:
    day = 86_400_000_000_000
    far = pd.Timestamp.max.normalize().value
    for stamps, unit in (
        (np.array([3 * day, day, 3 * day, far]), ("ns", 1)),  # whole days, an open end
        (np.array([day + 1, day, day + 1]), ("ns", 1)),  # a time of day: ranked
        (np.array([2, 0, 2]), ("D", 1)),  # a unit counted as is
        (np.array([7]), ("ns", 1)),
    ):
        rank, bound = _date_ranks(stamps, unit)
        assert rank.min() >= 0 and rank.max() < bound
        assert (
            np.argsort(rank, kind="stable").tolist() == np.argsort(stamps, kind="stable").tolist()
        )
        assert (rank[:, None] == rank[None, :]).tolist() == (
            stamps[:, None] == stamps[None, :]
        ).tolist()


@pytest.mark.parametrize("storage", ["python", "pyarrow"])
def test_summary_of_many_info_findings_matches_the_plain_definition(storage: str) -> None:
    rng = np.random.default_rng(31)
    n = 12_000  # enough rows for the codes by object
    shared = np.array(["a/e.csv", "b/e.csv", "c/é.csv"], dtype=object)  # one object per file
    interleaved = pd.DataFrame(
        {
            "severity": rng.choice(["info", "info", "warning"], n),
            "code": "superseded",
            "table": rng.choice(["episodes", "header"], n),
            "file": shared[rng.integers(0, 3, n)],
            "row": rng.integers(2, 900, n),
            "child": rng.choice(["1", "日本"], n),
            "message": rng.choice(["m", "n"], n),
            "action": "set_aside",
        }
    )
    distinct = interleaved.assign(  # a file per row: many kinds, renumbered
        file=[f"f{i}.csv" for i in range(n)],
        severity="info",
        code=rng.choice(["superseded", "x", "y"], n),
        action=rng.choice(["set_aside", "loaded", ""], n),
        table=rng.choice(["episodes", "header", "oc2"], n),
    )
    with pd.option_context("mode.string_storage", storage):
        for frame in (interleaved, distinct, interleaved.iloc[:1]):
            for detail in ("summary", "all"):
                pd.testing.assert_frame_equal(
                    summarise_findings(frame, detail), plain_summarise(frame, detail)
                )


def test_object_codes_are_pandas_factorisation() -> None:
    rng = np.random.default_rng(2)
    shared = np.array(["b", "a", "é", ""], dtype=object)
    for values in (
        shared[rng.integers(0, 4, 20_000)],  # few objects: by address
        np.array([f"{i % 7}" for i in range(20_000)], dtype=object),  # equal text, new objects
        np.array(["x", "y"], dtype=object),
        np.array([], dtype=object),
    ):
        assert _object_codes(values).tolist() == pd.factorize(values)[0].tolist()


@pytest.mark.parametrize("n", [0, 1, 5, 400])
def test_year_pairs_are_the_first_of_each_pair(n: int) -> None:
    """Pairs of (year, later year) numbered on integers give what numbering the pairs'
    float encoding gives (unknown years, one pair, many, years far apart, non-whole)."""
    rng = np.random.default_rng(n)
    for pool in (
        [2024.0, 2023.0, np.nan],
        [np.nan],
        [2017.0, 2026.0, 2020.0],
        [1900.0, 2100.0, np.nan],
        [10.0, 5000.0],  # too far apart to count: the general way
        [2023.5, 2024.0],  # not whole years: the general way
    ):
        old = rng.choice(np.asarray(pool), n) if n else np.zeros(0)
        new = rng.choice(np.asarray(pool), n) if n else np.zeros(0)
        plain = np.nan_to_num(old, nan=-1.0) * 100_000 + np.nan_to_num(new, nan=-1.0)
        want = np.unique(plain, return_index=True, return_inverse=True)[1:]
        got = _year_pairs(old, new)
        assert [g.tolist() for g in got] == [w.tolist() for w in want]


@pytest.mark.parametrize("storage", ["python", "pyarrow"])
@pytest.mark.parametrize("n", [0, 1, 3])
def test_same_text_is_the_text_taken_n_times(storage: str, n: int) -> None:
    with pd.option_context("mode.string_storage", storage):
        for text in ("info", "", "é 日本"):
            want = pd.array([text], dtype="str").take(np.zeros(n, dtype=np.intp))
            pd.testing.assert_extension_array_equal(_same_text(text, n), want)
