"""The report's drill-down tables as a public paper prints them, cell by cell, attacked
together with the results they sit beside.

The results (CSV, scorecard, every by-quarter and comparison table) print figures of the
results contract, already controlled by :func:`~cppanalytics.judgement.disclosure.
suppress_results`. The drill-down tables print figures worked out from children beside
them: the stability year-end range (now, best and worst case), the long-term stability
tracking table and who had 3 or more placements. Each is described here once as a
:class:`PrintedTable`: which figures each cell prints (``54 of 94 (57%)`` prints two and a
rounded percentage), what the figures are (the same figure as a results row where they are
one: the tracking table's position at a quarter end *is* the long-term stability figure)
and how they are tied (groups adding up to a total, complements). The presentation prints
these cells, ``c`` where :func:`protect_tables` says, and records what it printed; the
last step before publication (:func:`check_publication`) rebuilds the
:class:`~cppanalytics.judgement.disclosure.Ledger` from what was printed and refuses the
report (:class:`~cppanalytics.reporting.publication.DisclosureError`, exit status 2)
naming the table, row and column of any figure a reader can work out.

Examples
--------
>>> t = three_plus_table(pd.DataFrame({"breakdown": ["age_band", "age_band", "total"],
...     "group": ["under 1", "1-4", "total"], "children": [3, 17, 20]}), pd.Timestamp("2024-09-30"))
>>> sorted(primary_hidden(t))
[('age_band:under 1', 'children'), ('age_band:under 1', 'percent')]
>>> sorted(protect_tables([t])["who had 3+ placements"])  # 20 - 17 = 3: hide 17 too
[('age_band:1-4', 'children'), ('age_band:1-4', 'percent'), ('age_band:under 1', 'children'), ('age_band:under 1', 'percent')]
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from cppanalytics import dates
from cppanalytics.judgement.disclosure import (
    SUPPRESSED,
    Ledger,
    Recovery,
    _row_keys,
    is_small,
    projection_ledger,
    projection_small,
    results_ledger,
    round_half_up,
)
from cppanalytics.reporting.publication import DisclosureError

#: a printed cell: (row id, column id) of a :class:`PrintedTable`
CellId = tuple[str, str]


@dataclass
class PrintedTable:
    """One drill-down table as printed: its cells, the figures they print and the ties.

    Attributes
    ----------
    name
        the table as the report captions it (short), named in refusals.
    cells
        (row id, column id) → the keys of the figures the cell prints.
    figures
        key → true value of every figure printed or implied (a complement, an unlisted
        remainder).
    percents
        (row id, column id) → (numerator key, denominator key, the percentage printed,
        unrounded): a shown cell pins the numerator to a range.
    totals
        (total key, part keys): the parts add up to the total.
    complements
        (part key, whole key): x of n also says n − x.
    big
        keys to hide only as a last resort (denominators, totals).
    row_labels, column_labels
        how refusals name a row and a column.
    """

    name: str
    cells: dict[CellId, tuple[Hashable, ...]] = field(default_factory=dict)
    figures: dict[Hashable, float] = field(default_factory=dict)
    percents: dict[CellId, tuple[Hashable, Hashable, float]] = field(default_factory=dict)
    totals: list[tuple[Hashable, list[Hashable]]] = field(default_factory=list)
    complements: list[tuple[Hashable, Hashable]] = field(default_factory=list)
    big: set[Hashable] = field(default_factory=set)
    row_labels: dict[str, str] = field(default_factory=dict)
    column_labels: dict[str, str] = field(default_factory=dict)

    def cell(
        self,
        row: str,
        column: str,
        figures: Mapping[Hashable, float],
        percent: tuple[Hashable, Hashable] | None = None,
    ) -> None:
        """Record a cell printing ``figures`` (key → value) and, optionally, the rounded
        percentage of one figure of another (both keys among the table's figures)."""
        for key, value in figures.items():
            self.figure(key, value)
        self.cells[(row, column)] = tuple(figures)
        if percent is not None:
            num, den = percent
            n, d = self.figures[num], self.figures[den]
            if d > 0 and not np.isnan(n):
                self.percents[(row, column)] = (num, den, n / d * 100)

    def figure(self, key: Hashable, value: float) -> None:
        """Record a figure (printed or implied); the same key twice must agree."""
        value = float(value)
        if key in self.figures and abs(self.figures[key] - value) > 1e-6:
            raise DisclosureError(
                f"disclosure check: the {self.name} table gives {key!r} two values "
                f"({self.figures[key]:g} and {value:g})"
            )
        self.figures[key] = value

    def where(self, cell: CellId) -> str:
        """``table <name>, row <label>, column <label>`` for messages."""
        row, col = cell
        return (
            f"table '{self.name}', row '{self.row_labels.get(row, row)}', "
            f"column '{self.column_labels.get(col, col)}'"
        )


# --------------------------------------------------------------------------- results keys
@dataclass(frozen=True)
class ResultKeys:
    """The ledger keys of the results' headline rows, to tie a drill-down figure to the
    same figure in the results (a ``c`` there and a number here give it away)."""

    rows: dict[tuple[str, pd.Timestamp, str], tuple[Hashable, Hashable | None, float, float]]

    @classmethod
    def of(cls, results: pd.DataFrame | None) -> ResultKeys:
        """Index the headline rows of ``results`` (true figures) by (indicator, period
        end, window kind)."""
        if results is None or results.empty:
            return cls({})
        frame = results.reset_index(drop=True)
        own, den, _ = _row_keys(frame, {})
        kinds = frame["window"] if "window" in frame.columns else pd.Series("", index=frame.index)
        rows: dict[tuple[str, pd.Timestamp, str], tuple[Hashable, Hashable | None, float, float]]
        rows = {}
        for n, (i, p, b, kind) in enumerate(
            zip(frame["indicator_id"], frame["period_end"], frame["breakdown"], kinds, strict=True)
        ):
            if b:
                continue
            num = (
                frame["value"].iloc[n]
                if frame["unit"].iloc[n] == "count"
                else frame["numerator"].iloc[n]
            )
            rows[(str(i), pd.Timestamp(p), str(kind))] = (
                own[n],
                den[n],
                float(num),
                float(frame["denominator"].iloc[n]),
            )
        return cls(rows)

    def numerator(
        self, indicator: str, at: pd.Timestamp, kind: str, value: float, fallback: Hashable
    ) -> Hashable:
        """The results key of that row's numerator when it is the same figure, else
        ``fallback``."""
        hit = self.rows.get((indicator, pd.Timestamp(at), kind))
        return hit[0] if hit is not None and abs(hit[2] - float(value)) < 1e-6 else fallback

    def denominator(
        self, indicator: str, at: pd.Timestamp, kind: str, value: float, fallback: Hashable
    ) -> Hashable:
        """The results key of that row's denominator when it is the same figure, else
        ``fallback``."""
        hit = self.rows.get((indicator, pd.Timestamp(at), kind))
        if hit is None or hit[1] is None or abs(hit[3] - float(value)) > 1e-6:
            return fallback
        return hit[1]


# --------------------------------------------------------------------------- the tables
YEAREND_RANGE = "stability: the possible figures at 31 March"
TRACKING = "long-term stability: in-year tracking"
THREE_PLUS = "who had 3+ placements"
#: the care-leaver projection (row-level: a hidden row is c throughout,
#: :func:`cppanalytics.judgement.disclosure.suppress_projection`)
PROJECTION = "care leavers: projected figures at 31 March"


def yearend_range_table(ranges: pd.DataFrame, keys: ResultKeys | None = None) -> PrintedTable:
    """The stability year-end range (:func:`cppanalytics.indicators.stability.yearend_range`)
    as printed: one row per measure (row id: the indicator id), columns ``now``, ``best``
    and ``worst``, each ``x of n (p%)``.

    The figure now is the results' figure (3+ placements since 1 April; long-term
    stability at the period end), the best case of long-term stability is the results'
    ``stability_long_term_yearend_max``; for 3+ placements the best case is the figure now
    and the worst adds the children with 2 placements so far (an unpublished figure: worst
    − now).

    Examples
    --------
    >>> r = pd.DataFrame({"indicator_id": ["stability_3plus_placements"],
    ...     "period_end": pd.Timestamp("2024-09-30"), "now_numerator": [20],
    ...     "now_denominator": [479], "best_numerator": [20], "best_denominator": [479],
    ...     "worst_numerator": [23], "worst_denominator": [479]})
    >>> t = yearend_range_table(r)
    >>> [rec.value for rec in build_ledger([t], {}).attack()]  # worst - now = 3 moved twice
    [3.0]
    >>> sorted(protect_tables([t])[YEAREND_RANGE])
    [('stability_3plus_placements', 'best'), ('stability_3plus_placements', 'now')]
    """
    keys = keys or ResultKeys({})
    t = PrintedTable(
        YEAREND_RANGE,
        column_labels={
            "now": "Now",
            "best": "Best case at 31 March",
            "worst": "Worst case at 31 March",
        },
    )
    for r in ranges.itertuples(index=False):
        ind, pe = str(r.indicator_id), pd.Timestamp(r.period_end)
        t.row_labels[ind] = ind
        kind = "fytd" if ind == "stability_3plus_placements" else "point"
        now_n = keys.numerator(ind, pe, kind, r.now_numerator, ("range", ind, pe, "now_num"))
        now_d = keys.denominator(ind, pe, kind, r.now_denominator, ("range", ind, pe, "now_den"))
        if ind == "stability_3plus_placements":
            best_n, best_d = now_n, now_d
            worst_d = now_d
            worst_n: Hashable = ("range", ind, pe, "worst_num")
            two = ("range", ind, pe, "two_placements")
            t.figure(two, r.worst_numerator - r.now_numerator)
        else:
            best_n = keys.numerator(
                "stability_long_term_yearend_max",
                pe,
                "point",
                r.best_numerator,
                ("range", ind, pe, "best_num"),
            )
            best_d = keys.denominator(
                "stability_long_term_yearend_max",
                pe,
                "point",
                r.best_denominator,
                ("range", ind, pe, "best_den"),
            )
            worst_n, worst_d = ("range", ind, pe, "worst_num"), best_d
        for col, n_key, n, d_key, d in (
            ("now", now_n, r.now_numerator, now_d, r.now_denominator),
            ("best", best_n, r.best_numerator, best_d, r.best_denominator),
            ("worst", worst_n, r.worst_numerator, worst_d, r.worst_denominator),
        ):
            t.cell(ind, col, {n_key: n, d_key: d}, percent=(n_key, d_key))
            t.complements.append((n_key, d_key))
            t.big.add(d_key)
        if ind == "stability_3plus_placements":
            t.totals.append((worst_n, [now_n, two]))
    return t


def tracking_table(track: pd.DataFrame, keys: ResultKeys | None = None) -> PrintedTable:
    """The long-term stability tracking table
    (:func:`cppanalytics.indicators.stability.long_term_tracking` rows) as printed: one
    row per year (row id: the row's period end, ISO), columns ``start`` (potentially
    stable of the cohort on 1 April, %), ``position`` (x of n, %: the results'
    ``stability_long_term`` at that date), ``left`` and ``moved`` (of the potentially
    stable, % of them) and, in-year, ``best`` (the results'
    ``stability_long_term_yearend_max``).

    Examples
    --------
    >>> t = pd.DataFrame({"period_end": pd.to_datetime(["2024-09-30"]),
    ...     "year_end": pd.to_datetime(["2025-03-31"]), "cohort_start": [108],
    ...     "stable_start": [78], "left_care_stable": [14], "moved_stable": [10],
    ...     "current_numerator": [54], "current_denominator": [94], "best_numerator": [60],
    ...     "best_denominator": [94]})
    >>> sorted(tracking_table(t).cells)[:2]
    [('2024-09-30', 'best'), ('2024-09-30', 'left')]
    """
    keys = keys or ResultKeys({})
    t = PrintedTable(
        TRACKING,
        column_labels={
            "start": "Starting position on 1 April",
            "position": "Position",
            "left": "Left care since 1 April (of the potentially stable)",
            "moved": "Moved since 1 April (of the potentially stable)",
            "best": "Best possible at 31 March",
        },
    )
    for r in track.itertuples(index=False):
        pe, ye = pd.Timestamp(r.period_end), pd.Timestamp(r.year_end)
        row = pe.date().isoformat()
        t.row_labels[row] = f"{ye.year - 1}-{str(ye.year)[2:]} ({row})"
        k = {name: ("tracking", pe, name) for name in ("cohort", "stable", "left", "moved")}
        t.cell(
            row,
            "start",
            {k["stable"]: r.stable_start, k["cohort"]: r.cohort_start},
            percent=(k["stable"], k["cohort"]),
        )
        t.complements.append((k["stable"], k["cohort"]))
        t.big.add(k["cohort"])
        cur_n = keys.numerator(
            "stability_long_term", pe, "point", r.current_numerator, ("tracking", pe, "cur_num")
        )
        cur_d = keys.denominator(
            "stability_long_term", pe, "point", r.current_denominator, ("tracking", pe, "cur_den")
        )
        t.cell(
            row,
            "position",
            {cur_n: r.current_numerator, cur_d: r.current_denominator},
            percent=(cur_n, cur_d),
        )
        t.complements.append((cur_n, cur_d))
        t.big.add(cur_d)
        for col, key, value in (
            ("left", k["left"], r.left_care_stable),
            ("moved", k["moved"], r.moved_stable),
        ):
            t.cell(row, col, {key: value, k["stable"]: r.stable_start}, percent=(key, k["stable"]))
        if pe != ye:
            best_n = keys.numerator(
                "stability_long_term_yearend_max",
                pe,
                "point",
                r.best_numerator,
                ("tracking", pe, "best_num"),
            )
            best_d = keys.denominator(
                "stability_long_term_yearend_max",
                pe,
                "point",
                r.best_denominator,
                ("tracking", pe, "best_den"),
            )
            t.cell(
                row,
                "best",
                {best_n: r.best_numerator, best_d: r.best_denominator},
                percent=(best_n, best_d),
            )
            t.complements.append((best_n, best_d))
            t.big.add(best_d)
        t.big.add(k["stable"])
    return t


def three_plus_table(
    profile: pd.DataFrame, period_end: pd.Timestamp, keys: ResultKeys | None = None
) -> PrintedTable:
    """Who had 3+ placements since 1 April
    (:func:`cppanalytics.indicators.stability.three_plus_profile`) as printed: row id
    ``<breakdown>:<group>`` (the total ``total:total``), columns ``children`` and
    ``percent`` (of the total). Each breakdown adds up to the total (a child with no date
    of birth is in no age band: the remainder is a figure too); the total is the results'
    3+ placements since 1 April.

    Examples
    --------
    >>> p = pd.DataFrame({"breakdown": ["entered_care", "entered_care", "total"],
    ...     "group": ["since_1_april", "longer", "total"], "children": [9, 11, 20]})
    >>> three_plus_table(p, pd.Timestamp("2024-09-30")).totals[0][1][-1][-1]
    'longer'
    """
    keys = keys or ResultKeys({})
    pe = pd.Timestamp(period_end)
    t = PrintedTable(THREE_PLUS, column_labels={"children": "Children", "percent": "%"})
    prof = profile.reset_index(drop=True)
    total_value = float(prof["children"].iloc[-1])
    total = keys.numerator(
        "stability_3plus_placements", pe, "fytd", total_value, ("three_plus", pe, "total")
    )
    t.figure(total, total_value)
    t.big.add(total)
    parts: dict[str, list[Hashable]] = {}
    for b, g, v in zip(prof["breakdown"], prof["group"], prof["children"], strict=True):
        row = f"{b}:{g}"
        t.row_labels[row] = str(g) if b != "total" else "total"
        key = total if b == "total" else ("three_plus", pe, b, g)
        t.cell(row, "children", {key: v})
        t.cell(row, "percent", {key: v, total: total_value}, percent=(key, total))
        if b != "total":
            parts.setdefault(str(b), []).append(key)
    for b, members in parts.items():
        rest = total_value - sum(t.figures[m] for m in members)
        if abs(rest) > 1e-9:
            unlisted = ("three_plus", pe, b, "unlisted")
            t.figure(unlisted, rest)
            members = [*members, unlisted]
        t.totals.append((total, members))
    return t


# --------------------------------------------------------------------------- attacking
def primary_hidden(table: PrintedTable, results_hidden: Iterable[Hashable] = ()) -> set[CellId]:
    """Cells a public paper hides before any attack: a figure of 1-5, a complement of
    1-5 (97% of 100 would reveal 3), or a figure the results print as ``c``."""
    gone = set(results_hidden)
    small = {k for k, v in table.figures.items() if is_small(np.array([v]))[0]}
    for part, whole in table.complements:
        if is_small(np.array([table.figures[whole] - table.figures[part]]))[0]:
            small.add(part)
    return {cell for cell, ks in table.cells.items() if set(ks) & (small | gone)}


def _results_state(
    results: pd.DataFrame | None, results_hidden: np.ndarray | None
) -> tuple[set[Hashable], set[Hashable]]:
    """Keys the results print in full, and keys they print as ``c``."""
    if results is None or results.empty:
        return set(), set()
    led = results_ledger(results, hidden=results_hidden)
    shown = {k for k, v in led._vars.items() if v.shown}
    return shown, {k for k, v in led._vars.items() if v.suppressed and not v.shown}


def build_ledger(
    tables: Iterable[PrintedTable],
    hidden: Mapping[str, set[CellId]],
    results: pd.DataFrame | None = None,
    results_hidden: np.ndarray | None = None,
    projection: pd.DataFrame | None = None,
    projection_hidden: np.ndarray | None = None,
) -> Ledger:
    """The :class:`Ledger` of the results, the care-leaver projection and ``tables`` as
    printed (``hidden``: table name → cells printed as ``c``)."""
    led = (
        results_ledger(results, hidden=results_hidden)
        if results is not None and not results.empty
        else Ledger()
    )
    if projection is not None and projection_hidden is not None and len(projection):
        projection_ledger(projection, projection_hidden, led)
    tables = list(tables)
    # a figure printed in full anywhere is known; one printed only as c is a suppressed
    # cell (a c of the results printed in full here is given away: cross-table)
    shown_keys = {
        k
        for t in tables
        for c, ks in t.cells.items()
        if c not in hidden.get(t.name, ())
        for k in ks
    }
    known = shown_keys | {k for k, v in led._vars.items() if v.shown}
    for t in tables:
        gone = hidden.get(t.name, set())
        hid_keys = {k for c, ks in t.cells.items() if c in gone for k in ks}
        for key, value in t.figures.items():
            led.add(
                key,
                value,
                shown=key in shown_keys,
                suppressed=key in hid_keys and key not in known and value >= 1,
                table=t.name,
                total=key in t.big,
            )
        for total, parts in t.totals:
            led.total(total, parts)
        for part, whole in t.complements:
            rest = ("complement", part, whole)
            if rest not in led:
                led.complement(part, whole, rest)
        for cell, (num, den, pct) in t.percents.items():
            if cell not in gone:
                led.rounded_percent(num, den, round_half_up(pct))
    return led


def _describe(rec: Recovery, tables: Iterable[PrintedTable], led: Ledger) -> str:
    """Where a recovered figure is printed or, unprinted, the cells that give it away."""
    tables = list(tables)
    places = [t.where(c) for t in tables for c, ks in t.cells.items() if rec.key in ks]
    how = "at"
    if not places:
        how = "(not printed) from"
        tied = {k for tie in led._ties(rec.key) for k in tie}
        places = [t.where(c) for t in tables for c, ks in t.cells.items() if set(ks) & tied]
        places = places or [f"table '{t}'" for t in rec.tables] or ["the results"]
    more = f" (and {len(places) - 1} more)" if len(places) > 1 else ""
    return f"{rec.why} {rec.value:g} {how} {places[0]}{more}"


def protect_tables(
    tables: list[PrintedTable],
    results: pd.DataFrame | None = None,
    results_hidden: np.ndarray | None = None,
    projection: pd.DataFrame | None = None,
    projection_hidden: np.ndarray | None = None,
    *,
    max_rounds: int = 200,
) -> dict[str, set[CellId]]:
    """Secondary suppression for the drill-down tables: which cells to print as ``c``.

    Starts from :func:`primary_hidden` and hides more cells until the attack on the
    results, the projection and every table together recovers nothing. For each recovered
    figure the cell hidden next prints a figure tied to it (smallest first, denominators
    and totals last), and every other cell printing that figure goes with it; a figure
    printed as ``c`` in the results is hidden wherever printed. The results themselves are
    not changed (they are controlled already).

    Parameters
    ----------
    tables
        the printed tables.
    results, results_hidden
        the results (true figures) and which rows they print as ``c``.
    projection, projection_hidden
        the care-leaver projection rows as printed (true figures, hidden rows).
    max_rounds
        give up (and refuse) after this many rounds.

    Returns
    -------
    dict[str, set[CellId]]
        table name → cells to print as ``c``.

    Raises
    ------
    DisclosureError
        a recovered figure that no drill-down cell can protect, named by table, row and
        column.
    """
    _, res_gone = _results_state(results, results_hidden)
    hidden = {t.name: primary_hidden(t, res_gone) for t in tables}
    for _ in range(max_rounds):
        led = build_ledger(tables, hidden, results, results_hidden, projection, projection_hidden)
        found = led.attack()
        if not found:
            return hidden
        hid_now: set[Hashable] = set()
        for rec in found:
            if {k for tie in led._ties(rec.key) for k in tie} & hid_now:
                continue  # a figure tied to it was just hidden: the next attack decides
            choice, keys = _next_cells(rec, tables, hidden, led)
            if not choice:
                raise DisclosureError(
                    "the public report cannot be published: a reader can work out "
                    f"{_describe(rec, tables, led)} and no cell of the drill-down tables "
                    "tied to it can be hidden"
                )
            for name, cell in choice:
                hidden[name].add(cell)
            hid_now |= keys
    raise DisclosureError("secondary suppression of the drill-down tables did not settle")


def _next_cells(
    rec: Recovery, tables: list[PrintedTable], hidden: Mapping[str, set[CellId]], led: Ledger
) -> tuple[list[tuple[str, CellId]], set[Hashable]]:
    """The shown cells to hide for one recovered figure, and the figures they print."""
    if rec.why == "suppressed cell printed elsewhere":  # print it as c everywhere
        chosen: Hashable = rec.key
    else:
        tied = {k for tie in led._ties(rec.key) for k in tie} | {rec.key}
        best: tuple[tuple[bool, bool, float, str], Hashable] | None = None
        for t in tables:
            for c, ks in t.cells.items():
                if c in hidden[t.name]:
                    continue
                for k in set(ks) & tied:
                    value = t.figures[k]
                    score = (k in t.big, value <= 0, value, repr(k))
                    if best is None or score < best[0]:
                        best = (score, k)
        if best is None:
            return [], set()
        chosen = best[1]
    cells = [
        (t.name, c)
        for t in tables
        for c, ks in t.cells.items()
        if chosen in ks and c not in hidden[t.name]
    ]
    keys = {k for t in tables for c, ks in t.cells.items() if (t.name, c) in cells for k in ks}
    return cells, keys


def check_tables(
    tables: list[PrintedTable],
    hidden: Mapping[str, set[CellId]],
    results: pd.DataFrame | None = None,
    results_hidden: np.ndarray | None = None,
    projection: pd.DataFrame | None = None,
    projection_hidden: np.ndarray | None = None,
    what: str = "the public report",
) -> None:
    """Refuse (:class:`DisclosureError`) tables printed as ``hidden`` when the attack on
    them and the results recovers any protected figure, naming table, row and column.

    Examples
    --------
    >>> p = pd.DataFrame({"breakdown": ["age_band", "age_band", "total"],
    ...     "group": ["under 1", "1-4", "total"], "children": [3, 17, 20]})
    >>> t = three_plus_table(p, pd.Timestamp("2024-09-30"))
    >>> check_tables([t], {t.name: primary_hidden(t)})
    Traceback (most recent call last):
    ...
    cppanalytics.reporting.publication.DisclosureError: the public report is not publishable: a reader can work out suppressed cell 3 at table 'who had 3+ placements', row 'under 1', column 'Children' (and 1 more); print more cells as c
    """
    gone = {t.name: set(hidden.get(t.name, set())) for t in tables}
    led = build_ledger(tables, gone, results, results_hidden, projection, projection_hidden)
    found = led.attack()
    if found:
        listed = "; ".join(_describe(r, tables, led) for r in found[:5])
        more = f" and {len(found) - 5} more" if len(found) > 5 else ""
        raise DisclosureError(
            f"{what} is not publishable: a reader can work out {listed}{more}; "
            "print more cells as c"
        )
    _, res_gone = _results_state(results, results_hidden)
    for t in tables:  # and no 1-5 (or its complement, or a results c) printed in full
        shown_small = sorted(primary_hidden(t, res_gone) - gone[t.name])
        if shown_small:
            raise DisclosureError(
                f"{what} is not publishable: {t.where(shown_small[0])} prints a count of 1 "
                "to 5, a figure whose complement is 1 to 5 or a figure the results print as "
                "c; print it as c"
            )


# --------------------------------------------------------------------------- a report
def report_tables(report: Any) -> list[PrintedTable]:
    """The drill-down tables a report prints (those it has), from its true figures."""
    keys = ResultKeys.of(report.extras.get("true_results"))
    out = []
    ranges = report.extras.get("yearend_range")
    if report.params.in_year and ranges is not None and len(ranges):
        out.append(yearend_range_table(ranges, keys))
    if report.tracking is not None and len(report.tracking):
        out.append(tracking_table(report.tracking, keys))
    if report.three_plus is not None and len(report.three_plus):
        out.append(three_plus_table(report.three_plus, report.params.period_end, keys))
    return out


def _projection_printed(report: Any) -> tuple[pd.DataFrame | None, np.ndarray | None]:
    """The projection rows the report prints and which are ``c``."""
    proj = report.projection
    hidden = report.extras.get("projection_hidden")
    if proj is None or hidden is None or not report.params.in_year:
        return None, None
    shown = proj["age_group"].isin(["17_18", "19_21"]).to_numpy()
    return proj[shown].reset_index(drop=True), np.asarray(hidden, dtype=bool)[shown]


def protect_report(report: Any) -> dict[str, set[CellId]]:
    """Work out the ``c`` cells of a public report's drill-down tables (stored in
    ``report.extras["hidden_cells"]``) with :func:`protect_tables`."""
    proj, proj_hidden = _projection_printed(report)
    hidden = protect_tables(
        report_tables(report),
        report.extras.get("true_results"),
        report.extras.get("results_hidden"),
        proj,
        proj_hidden,
    )
    report.extras["hidden_cells"] = hidden
    return hidden


def record_printed(report: Any, table: str, cells: Mapping[CellId, str]) -> None:
    """What the presentation printed in a drill-down table's cells (the text, ``c`` for a
    suppressed one): :func:`check_publication` attacks exactly that."""
    report.extras.setdefault("printed", {})[table] = dict(cells)


def check_publication(report: Any, scorecard: pd.DataFrame | None = None) -> None:
    """The last check before a public report is published: the results, the care-leaver
    projection and every drill-down table *as printed* (read from what the presentation
    recorded, :func:`record_printed`), attacked together; and every scorecard cell printing
    a figure the results print as ``c``.

    Raises
    ------
    DisclosureError
        naming the table, row and column of a figure a reader can work out (exit status 2).
    """
    if not report.params.public:
        return
    printed: Mapping[str, Mapping[CellId, str]] = report.extras.get("printed", {})
    tables = report_tables(report)
    hidden: dict[str, set[CellId]] = {}
    for t in tables:
        cells = printed.get(t.name)
        if cells is None:  # not printed in this report
            hidden[t.name] = set(t.cells)
            continue
        unknown = [c for c in cells if c not in t.cells]
        if unknown:
            raise DisclosureError(
                f"the public report printed a cell the disclosure check does not know: "
                f"{t.where(unknown[0])}"
            )
        hidden[t.name] = {c for c in t.cells if cells.get(c, SUPPRESSED) == SUPPRESSED}
    proj, proj_hidden = _projection_printed(report)
    if proj is not None and PROJECTION in printed:  # rows as printed: c throughout = hidden
        cells = printed[PROJECTION]
        proj_hidden = np.array(
            [
                all(text == SUPPRESSED for (row, _), text in cells.items() if row == ind)
                for ind in proj["indicator_id"].astype(str)
            ],
            dtype=bool,
        )
        shown_small = proj_hidden < projection_small(proj)
        if shown_small.any():
            ind = str(proj["indicator_id"].iloc[int(np.flatnonzero(shown_small)[0])])
            raise DisclosureError(
                f"the public report is not publishable: table '{PROJECTION}', row '{ind}' "
                "prints or implies a count of 1 to 5; print it as c"
            )
    check_tables(
        tables,
        hidden,
        report.extras.get("true_results"),
        report.extras.get("results_hidden"),
        proj,
        proj_hidden,
    )
    if scorecard is not None:
        check_scorecard(scorecard, report)


#: scorecard columns printing a results figure, and the date each prints
SCORECARD_DATES = {
    "This quarter": lambda d: d,
    "Same quarter last year": lambda d: dates.minus_years(d, 1),
    "Last 31 March": lambda d: dates.last_march(d),
}


def check_scorecard(scorecard: pd.DataFrame, report: Any) -> None:
    """Refuse a scorecard (HTML or spreadsheet) printing, in full, a figure the results
    print as ``c`` (cross-table): each row's ``_indicator_id`` and ``_window_kind`` and
    each dated column (:data:`SCORECARD_DATES`) name the results row it prints.

    Raises
    ------
    DisclosureError
        naming the row and column.
    """
    truth = report.extras.get("true_results")
    hidden = report.extras.get("results_hidden")
    if truth is None or hidden is None or "_indicator_id" not in scorecard.columns:
        return
    t = truth.reset_index(drop=True)
    gone = set(
        zip(
            t.loc[hidden, "indicator_id"],
            pd.to_datetime(t.loc[hidden, "period_end"]),
            t.loc[hidden, "window"],
            t.loc[hidden, "breakdown"],
            strict=True,
        )
    )
    pe = report.params.period_end
    for _, row in scorecard.iterrows():
        kind = str(row.get("_window_kind", "") or "")
        for col, when in SCORECARD_DATES.items():
            text = str(row.get(col, "")).strip()
            if not any(ch.isdigit() for ch in text):
                continue  # c, x, z or blank: nothing printed
            at = pd.Timestamp(when(pe))
            kinds = [kind] if kind else ["point", "fytd", "r12"]
            if any((row["_indicator_id"], at, k, "") in gone for k in kinds):
                raise DisclosureError(
                    "the public report is not publishable: table 'scorecard', row "
                    f"'{row.get('Indicator', row['_indicator_id'])}', column '{col}' prints "
                    f"{text} where the results print c; print it as c"
                )
