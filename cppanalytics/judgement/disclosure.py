"""Disclosure control for papers published outside the council.

* **Rounding** is half up (2.5 → 3, 12.5 → 13), never Python's half-to-even.
* **Public mode** suppresses counts of 1–5 and every percentage or average built on a
  numerator or denominator of 1–5 (shown as ``c``), then applies **secondary
  suppression**: wherever a published total would let a reader recover a suppressed value
  by subtraction (a row, column or breakdown with exactly one hidden value), the next
  smallest value in that set is hidden too, repeating until no set has exactly one.
  :func:`recoverable` is the attacker: it solves every set with one unknown, repeatedly.
* **Internal mode** shows everything.
* :func:`assert_publishable` refuses frames or HTML/text carrying child-level identifiers
  (CHILD, UPN, DOB, postcodes); it lives with the check of every public artefact in
  :mod:`cppanalytics.reporting.publication` and is re-exported here.

For a public paper run :func:`suppress_results` on the results **before**
:func:`cppanalytics.judgement.judge.judge`, so earlier-quarter comparisons also respect it.

Examples
--------
>>> [round_half_up(v) for v in (0.5, 2.5, 12.5, -2.5)]
[1.0, 3.0, 13.0, -3.0]
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd

from cppanalytics.errors import CppError
from cppanalytics.reporting.publication import (  # noqa: F401  (re-exported)
    DisclosureError,
    assert_publishable,
    find_identifiers,
)

#: the mark shown in place of a suppressed figure
SUPPRESSED = "c"
MODES = ("public", "internal")
SMALL_MIN, SMALL_MAX = 1, 5


def round_half_up(value: float, ndigits: int = 0) -> float:
    """Round half away from zero on the number as written (2.675 → 2.68), NaN kept.

    Examples
    --------
    >>> round_half_up(2.675, 2), round_half_up(0.125, 2), round_half_up(float("nan"))
    (2.68, 0.13, nan)
    """
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return float("nan")
    quantum = Decimal(1).scaleb(-ndigits)
    return float(Decimal(repr(float(value))).quantize(quantum, rounding=ROUND_HALF_UP))


def round_series(values: pd.Series | Sequence[float], ndigits: int = 0) -> pd.Series:
    """:func:`round_half_up` over a Series (for presentation tables, not hot paths).

    Examples
    --------
    >>> round_series(pd.Series([0.5, 1.5, 2.5])).tolist()
    [1.0, 2.0, 3.0]
    """
    series = pd.Series(values, dtype="float64")
    return series.map(lambda v: round_half_up(v, ndigits)).astype("float64")


def is_small(values: pd.Series | np.ndarray) -> np.ndarray:
    """True where a count is 1–5 (0 and missing are not small).

    Examples
    --------
    >>> is_small(np.array([0, 1, 5, 6, np.nan])).tolist()
    [False, True, True, False, False]
    """
    arr = np.asarray(values, dtype="float64")
    with np.errstate(invalid="ignore"):
        return (arr >= SMALL_MIN) & (arr <= SMALL_MAX)


def secondary_suppress(
    values: np.ndarray,
    hidden: np.ndarray,
    equations: Iterable[Sequence[int]],
    totals: Iterable[int] = (),
) -> np.ndarray:
    """Extend ``hidden`` until no equation (a set of positions linked by one published
    sum) holds exactly one hidden position.

    The value hidden next is the smallest positive non-total value of the offending set
    (else its smallest value); ``totals`` are positions to hide only as a last resort.

    Examples
    --------
    >>> v = np.array([3.0, 10.0, 20.0, 33.0])  # three cells and their total
    >>> secondary_suppress(v, np.array([True, False, False, False]), [[0, 1, 2, 3]],
    ...                    totals=[3]).tolist()
    [True, True, False, False]
    """
    hidden = np.asarray(hidden, dtype=bool).copy()
    equations = [list(eq) for eq in equations]
    total_set = set(totals)
    changed = True
    while changed:
        changed = False
        for eq in equations:
            hid = [i for i in eq if hidden[i]]
            if len(hid) != 1:
                continue
            open_ = [i for i in eq if not hidden[i]]
            if not open_:
                continue
            cells = [i for i in open_ if i not in total_set] or open_
            positive = [i for i in cells if values[i] > 0] or cells
            choice = min(positive, key=lambda i: (values[i], i))
            hidden[choice] = True
            changed = True
    return hidden


def recoverable(
    values: np.ndarray,
    hidden: np.ndarray,
    equations: Iterable[Sequence[int]],
    signs: Iterable[Sequence[float]] | None = None,
) -> set[int]:
    """Positions of hidden values a reader could work out by subtraction.

    Each equation says ``sum(sign × value) == 0`` over its positions (default signs: +1
    for every position but the last, the total, which is −1). Any equation with one
    unknown is solved and the value treated as known; repeated until nothing changes.

    Examples
    --------
    >>> v = np.array([3.0, 10.0, 13.0])
    >>> recoverable(v, np.array([True, False, False]), [[0, 1, 2]])
    {0}
    >>> recoverable(v, np.array([True, True, False]), [[0, 1, 2]])
    set()
    """
    equations = [list(eq) for eq in equations]
    if signs is None:
        signs = [[1.0] * (len(eq) - 1) + [-1.0] for eq in equations]
    signs = [list(s) for s in signs]
    known = {i: float(values[i]) for i in range(len(values)) if not hidden[i]}
    found: set[int] = set()
    changed = True
    while changed:
        changed = False
        for eq, sg in zip(equations, signs, strict=True):
            unknown = [(i, s) for i, s in zip(eq, sg, strict=True) if i not in known]
            if len(unknown) != 1:
                continue
            idx, sign = unknown[0]
            rest = sum(s * known[i] for i, s in zip(eq, sg, strict=True) if i in known)
            known[idx] = -rest / sign
            found.add(idx)
            changed = True
    return found


# --------------------------------------------------------------------------- the attacker
@dataclass
class Recovery:
    """A hidden figure a reader of the public tables can work out.

    Attributes
    ----------
    key
        the figure's key in the :class:`Ledger`.
    value
        what the reader works out (the true value).
    tables
        where the figure appears (hidden) or which tables give it away.
    why
        ``suppressed cell`` (a ``c`` the reader fills in) or ``small number`` (a 1-5 count
        the tables never show, worked out from ones they do).
    """

    key: Hashable
    value: float
    tables: tuple[str, ...]
    why: str

    def __str__(self) -> str:
        where = ", ".join(self.tables) or "the tables"
        return f"{self.key} = {self.value:g} ({self.why}; {where})"


@dataclass
class _Var:
    value: float
    shown: bool = False
    suppressed: bool = False
    hideable: bool = True
    total: bool = False
    tables: set[str] = field(default_factory=set)


class Ledger:
    """Every figure a set of public tables shows or implies, and how the figures are tied.

    A figure is one quantity (a count of children, a numerator, a denominator) under one
    key, however many tables print it: a key shown in one table and ``c`` in another is
    given away (cross-table and cross-period differencing). Ties are linear:
    :meth:`total` (parts add up to a total, across every breakdown), :meth:`complement`
    (x of n gives n − x), :meth:`rounded_percent` (a whole-number percentage of a known
    denominator pins the numerator to a range). Zeros are published, so the reader knows
    a ``c`` is at least 1 (zeros as lower bounds).

    :meth:`attack` solves, for every hidden figure, the smallest and largest value the
    public figures allow (linear programmes); a figure whose range holds one whole number
    is recovered. Suppressed cells must never be recovered, and no unpublished figure of
    1-5 may be recovered either (34 − 19 − 10 = 5). :meth:`protect` is the secondary
    suppression: it hides more published cells until the attack recovers nothing.

    Examples
    --------
    >>> led = Ledger()
    >>> led.add("total", 34, shown=True, total=True)
    >>> led.add("a", 19, shown=True); led.add("b", 10, shown=True); led.add("c", 5)
    >>> led.total("total", ["a", "b", "c"])
    >>> [str(r) for r in led.attack()]
    ['c = 5 (small number; the tables)']
    >>> led.protect()  # hide b too: b + c = 15, both unknown
    ['b']
    >>> led.attack()
    []
    """

    def __init__(self) -> None:
        self._vars: dict[Hashable, _Var] = {}
        self._eq: list[dict[Hashable, float]] = []
        self._ineq: list[tuple[dict[Hashable, float], float, float]] = []

    # ------------------------------------------------------------------ building
    def add(
        self,
        key: Hashable,
        value: float,
        *,
        shown: bool = False,
        suppressed: bool = False,
        table: str = "",
        total: bool = False,
        hideable: bool = True,
    ) -> None:
        """Record a figure (again): ``shown`` where printed, ``suppressed`` where printed
        as ``c``; neither for a figure no table prints (a complement, an unlisted group).

        ``total`` marks a figure to hide only as a last resort; ``hideable=False`` one that
        may never be hidden (a published population, say).
        """
        var = self._vars.get(key)
        if var is None:
            var = self._vars[key] = _Var(float(value))
        elif not np.isnan(value) and not np.isnan(var.value) and abs(var.value - value) > 1e-6:
            raise CppError(
                f"disclosure check: {key!r} has two values ({var.value:g} and "
                f"{float(value):g}); the tables disagree"
            )
        var.shown |= shown
        var.suppressed |= suppressed
        var.total |= total
        var.hideable &= hideable
        if table:
            var.tables.add(table)

    def __contains__(self, key: Hashable) -> bool:
        return key in self._vars

    def total(self, total: Hashable, parts: Sequence[Hashable]) -> None:
        """``parts`` add up to ``total`` (each a key already added)."""
        eq = {k: eq_c for k, eq_c in ((p, 1.0) for p in parts)}
        eq[total] = eq.get(total, 0.0) - 1.0
        self._eq.append(eq)

    def complement(self, part: Hashable, whole: Hashable, rest: Hashable | None = None) -> None:
        """``whole − part`` is a figure too (unpublished unless added as shown)."""
        rest = rest if rest is not None else ("complement", part, whole)
        self.add(rest, self._vars[whole].value - self._vars[part].value)
        self.total(whole, [part, rest])

    def rounded_percent(
        self, numerator: Hashable, denominator: Hashable, percent: float, ndigits: int = 0
    ) -> None:
        """A published percentage (rounded half up to ``ndigits``) of the two figures."""
        half = 0.5 * 10.0 ** (-ndigits)
        lo, hi = (percent - half) / 100.0, (percent + half) / 100.0
        # numerator - lo*denominator >= 0 and numerator - hi*denominator <= 0
        self._ineq.append(({numerator: 1.0, denominator: -lo}, 0.0, np.inf))
        self._ineq.append(({numerator: 1.0, denominator: -hi}, -np.inf, 0.0))

    # ------------------------------------------------------------------ attacking
    def _hidden(self, key: Hashable) -> bool:
        return not self._vars[key].shown

    def _protected(self, key: Hashable) -> str:
        var = self._vars[key]
        if var.suppressed:
            return "suppressed cell"
        if not var.shown and is_small(np.array([var.value]))[0]:
            return "small number"
        return ""

    def _components(self) -> list[tuple[list[Hashable], list[int], list[int]]]:
        """Groups of hidden figures tied together, with their equations and ranges."""
        parent: dict[Hashable, Hashable] = {}

        def find(k: Hashable) -> Hashable:
            while parent.setdefault(k, k) != k:
                parent[k] = parent[parent[k]]
                k = parent[k]
            return k

        cons = [set(e) for e in self._eq] + [set(c) for c, _, _ in self._ineq]
        for keys in cons:
            hid = [k for k in keys if self._hidden(k)]
            for a, b in zip(hid, hid[1:], strict=False):
                parent[find(a)] = find(b)
        groups: dict[Hashable, list[Hashable]] = {}
        for k in self._vars:
            if self._hidden(k):
                groups.setdefault(find(k), []).append(k)
        eq_of: dict[Hashable, list[int]] = {}
        for i, e in enumerate(self._eq):
            for k in e:
                eq_of.setdefault(k, []).append(i)
        in_of: dict[Hashable, list[int]] = {}
        for i, (c, _, _) in enumerate(self._ineq):
            for k in c:
                in_of.setdefault(k, []).append(i)
        out = []
        for members in groups.values():
            eqs = sorted({i for k in members for i in eq_of.get(k, ())})
            ins = sorted({i for k in members for i in in_of.get(k, ())})
            out.append((members, eqs, ins))
        return out

    def attack(self, near: Iterable[Hashable] | None = None) -> list[Recovery]:
        """Every protected figure (a suppressed cell; an unpublished 1-5) the public
        figures pin to one value (only among figures tied to ``near``, when given)."""
        from scipy.optimize import linprog

        near = None if near is None else set(near)
        # a figure printed as c in one table and in full in another (cross-table, period)
        found = [
            Recovery(k, v.value, tuple(sorted(v.tables)), "suppressed cell printed elsewhere")
            for k, v in self._vars.items()
            if v.suppressed and v.shown and (near is None or k in near)
        ]
        for members, eqs, ins in self._components():
            if near is not None and not near & set(members):
                continue
            targets = [k for k in members if self._protected(k)]
            if not targets or not (eqs or ins):
                continue
            idx = {k: i for i, k in enumerate(members)}
            n = len(members)
            a_eq, b_eq = self._rows([self._eq[i] for i in eqs], idx, n)
            a_ub, b_ub = [], []
            for i in ins:
                coef, lo, hi = self._ineq[i]
                row, const = self._row(coef, idx, n)
                if np.isfinite(hi):
                    a_ub.append(row)
                    b_ub.append(hi - const)
                if np.isfinite(lo):
                    a_ub.append(-row)
                    b_ub.append(-(lo - const))
            # a suppressed cell is at least 1 (zeros are shown); anything else at least 0
            bounds = [(1.0 if self._vars[k].suppressed else 0.0, None) for k in members]
            free = self._free_by_sums(members, a_eq, bool(a_ub), bounds)
            # every solution the solver returns satisfies the component's figures: a
            # target whose values across them already span two whole numbers is surely
            # not pinned (its true range holds them), so its own two solves are skipped
            seen_lo = np.full(n, np.inf)
            seen_hi = np.full(n, -np.inf)
            for key in targets:
                if free is not None and free[idx[key]]:
                    continue
                lo_seen, hi_seen = seen_lo[idx[key]], seen_hi[idx[key]]
                if hi_seen >= lo_seen and math.floor(hi_seen + 1e-6) > math.ceil(lo_seen - 1e-6):
                    continue
                c = np.zeros(n)
                c[idx[key]] = 1.0
                low_fit = self._solve(linprog, c, a_ub, b_ub, a_eq, b_eq, bounds)
                high_fit = self._solve(linprog, -c, a_ub, b_ub, a_eq, b_eq, bounds)
                if low_fit is None or high_fit is None:
                    continue
                for _, point in (low_fit, high_fit):
                    seen_lo = np.minimum(seen_lo, point)
                    seen_hi = np.maximum(seen_hi, point)
                low, high = low_fit[0], -high_fit[0]
                if math.floor(high + 1e-6) <= math.ceil(low - 1e-6):
                    var = self._vars[key]
                    found.append(
                        Recovery(key, var.value, tuple(sorted(var.tables)), self._protected(key))
                    )
        return found

    def _free_by_sums(
        self,
        members: list[Hashable],
        a_eq: np.ndarray | None,
        ranges: bool,
        bounds: list[tuple[float, None]],
    ) -> np.ndarray | None:
        """Shortcut for the usual case, sums only (no ranges): True where a figure is
        surely not pinned — the sums leave it a direction to move in and every figure
        moving with it is off its lower bound. Sums of whole numbers with whole-number
        bounds then leave at least two whole values. ``None``: ask the solver."""
        if ranges or a_eq is None:
            return None
        _, sv, vt = np.linalg.svd(a_eq)
        rank = int((sv > 1e-9).sum())
        null = vt[rank:].T  # members x free directions
        if null.shape[1] == 0:
            return np.zeros(len(members), dtype=bool)
        moves = np.abs(null) > 1e-9
        at_bound = np.array(
            [self._vars[k].value <= lo + 1e-9 for k, (lo, _) in zip(members, bounds, strict=True)]
        )
        free = np.zeros(len(members), dtype=bool)
        for j in range(len(members)):
            dirs = moves[j]
            if not dirs.any():
                continue  # pinned by the sums alone: the solver confirms
            # a direction moving j that moves no figure sitting on its bound
            ok = (
                ~(moves[at_bound][:, dirs].any(axis=0))
                if at_bound.any()
                else np.ones(int(dirs.sum()), dtype=bool)
            )
            free[j] = bool(ok.any())
        return free

    def _row(
        self, coef: dict[Hashable, float], idx: dict[Hashable, int], n: int
    ) -> tuple[np.ndarray, float]:
        row = np.zeros(n)
        const = 0.0
        for k, v in coef.items():
            if k in idx:
                row[idx[k]] += v
            else:
                const += v * self._vars[k].value
        return row, const

    def _rows(
        self, eqs: list[dict[Hashable, float]], idx: dict[Hashable, int], n: int
    ) -> tuple[np.ndarray | None, np.ndarray | None]:
        if not eqs:
            return None, None
        rows, rhs = [], []
        for e in eqs:
            row, const = self._row(e, idx, n)
            rows.append(row)
            rhs.append(-const)
        return np.array(rows), np.array(rhs)

    @staticmethod
    def _solve(  # noqa: ANN001
        linprog, c, a_ub, b_ub, a_eq, b_eq, bounds
    ) -> tuple[float, np.ndarray] | None:
        """The optimum of ``c @ x`` and a solution reaching it; ``None`` when the solver
        finds none."""
        res = linprog(
            c,
            A_ub=np.array(a_ub) if a_ub else None,
            b_ub=np.array(b_ub) if b_ub else None,
            A_eq=a_eq,
            b_eq=b_eq,
            bounds=bounds,
            method="highs",
        )
        if res.status != 0:
            return None
        return float(res.fun), np.asarray(res.x, dtype="float64")

    # ------------------------------------------------------------------ protecting
    def hidden_shown(self) -> list[Hashable]:
        """Published figures hidden by :meth:`protect` (or marked suppressed)."""
        return [k for k, v in self._vars.items() if v.suppressed]

    def protect(self, max_rounds: int = 500) -> list[Hashable]:
        """Secondary suppression: hide published figures until :meth:`attack` recovers
        nothing; returns the keys it hid.

        For a recovered figure, the cell hidden next is the smallest positive published
        figure tied to it by an equation (a total only as a last resort).

        Raises
        ------
        DisclosureError
            nothing left to hide would protect a recovered figure.
        """
        newly: list[Hashable] = []
        found = self.attack()
        for _ in range(max_rounds):
            if not found:
                return newly
            touched: set[Hashable] = set()
            hid_now: set[Hashable] = set()
            for rec in found:
                touched.add(rec.key)
                ties = {k for t in self._ties(rec.key) for k in t if not self._vars[k].total}
                if ties & hid_now:
                    continue  # a cell tied to it was just hidden; the next attack decides
                choice = self._next_to_hide(rec.key)
                if choice is None:
                    raise DisclosureError(
                        f"cannot protect {rec}: no published figure tied to it can be hidden"
                    )
                self._vars[choice].suppressed = True
                self._vars[choice].shown = False
                newly.append(choice)
                hid_now.add(choice)
                touched.add(choice)
            found = self.attack(near=touched)
        raise DisclosureError("secondary suppression did not settle")

    def _ties(self, key: Hashable) -> list[set[Hashable]]:
        """The key sets of every equation and range holding ``key``."""
        return [set(e) for e in self._eq if key in e] + [
            set(c) for c, _, _ in self._ineq if key in c
        ]

    def _next_to_hide(self, key: Hashable) -> Hashable | None:
        ties = self._ties(key)
        var = self._vars[key]
        if var.shown and var.suppressed and var.hideable:
            return key  # printed in full elsewhere: hide it there too
        cands = {
            k
            for t in ties
            for k in t
            if k != key and self._vars[k].shown and self._vars[k].hideable
        }
        if not cands:
            return None
        return min(
            cands,
            key=lambda k: (
                self._vars[k].total,
                self._vars[k].value <= 0,
                self._vars[k].value,
                str(k),
            ),
        )


def check_disclosure(ledger: Ledger, what: str = "public output") -> None:
    """Refuse (raise :class:`DisclosureError`) when the public figures give any protected
    figure away; the message lists them with the tables involved.

    Examples
    --------
    >>> led = Ledger()
    >>> for k, v in (("all", 406), ("a", 300), ("b", 103)):
    ...     led.add(k, v, shown=True)
    >>> for k in ("c1", "c2", "c3"):
    ...     led.add(k, 1, suppressed=True, table="results")
    >>> led.total("all", ["a", "b", "c1", "c2", "c3"])
    >>> check_disclosure(led)
    Traceback (most recent call last):
    ...
    cppanalytics.reporting.publication.DisclosureError: public output is not publishable: a reader can work out c1 = 1 (suppressed cell; results); c2 = 1 (suppressed cell; results); c3 = 1 (suppressed cell; results); hide more cells (Ledger.protect) before publishing
    """
    found = ledger.attack()
    if found:
        listed = "; ".join(str(r) for r in found[:10])
        more = f" and {len(found) - 10} more" if len(found) > 10 else ""
        raise DisclosureError(
            f"{what} is not publishable: a reader can work out {listed}"
            f"{more}; hide more cells (Ledger.protect) before publishing"
        )


def _flat(key: Hashable) -> set[Hashable]:
    """Every atom of a (nested) key tuple."""
    if isinstance(key, tuple):
        return set().union(*(_flat(k) for k in key)) if key else set()
    return {key}


def projection_ledger(
    projection: pd.DataFrame,
    hidden_rows: np.ndarray,
    ledger: Ledger | None = None,
    table: str = "projection",
) -> Ledger:
    """Add the care-leaver year-end projection table, as printed, to a :class:`Ledger`.

    Each shown row prints the year to date (x of n), the birthdays still to come, the
    projected x of n and the best and worst percentages; the year to date is the same
    figure as the results row of that measure (``fytd`` window), so a ``c`` there and a
    number here give it away (cross-table). Ties: projected x = year-to-date x + those to
    come who meet it now; projected n = year-to-date n + those to come; best and worst are
    (x + to come) / projected n and x / projected n, rounded; complements of every x of n.
    A hidden row's figures are unpublished (protected when 1-5); a figure is a suppressed
    cell only where the results print it as ``c``.

    Parameters
    ----------
    projection
        :func:`cppanalytics.indicators.care_leavers.yearend_projection` rows (true figures).
    hidden_rows
        rows printed as ``c`` throughout.
    ledger
        add to this ledger (e.g. the public results' one).
    table
        the name findings give the table.

    Returns
    -------
    Ledger
    """
    led = ledger if ledger is not None else Ledger()
    for n, r in enumerate(projection.itertuples(index=False)):
        pe = pd.Timestamp(r.period_end)
        start = pd.Timestamp(year=pe.year if pe.month >= 4 else pe.year - 1, month=4, day=1)
        ind = r.indicator_id
        shown = not bool(hidden_rows[n])
        num = ("num", ind, pe, start, pe, "", "")
        den = ("den", ind, pe, start, pe, "")
        k = {
            name: (name, ind, pe)
            for name in ("to_come", "meeting", "proj_num", "proj_den", "all_meet")
        }
        led.add(num, r.ytd_numerator, shown=shown, table=table)
        led.add(den, r.ytd_denominator, shown=shown, table=table, total=True)
        led.add(k["to_come"], r.to_come, shown=shown, table=table)
        led.add(k["meeting"], r.to_come_meeting)
        led.add(k["proj_num"], r.projected_numerator, shown=shown, table=table)
        led.add(k["proj_den"], r.projected_denominator, shown=shown, table=table, total=True)
        led.add(k["all_meet"], r.ytd_numerator + r.to_come)
        led.total(k["proj_num"], [num, k["meeting"]])
        led.total(k["proj_den"], [den, k["to_come"]])
        led.total(k["all_meet"], [num, k["to_come"]])
        for part, whole in (
            (num, den),
            (k["meeting"], k["to_come"]),
            (k["proj_num"], k["proj_den"]),
        ):
            led.complement(part, whole)
        if shown and r.projected_denominator > 0:
            led.rounded_percent(
                k["all_meet"],
                k["proj_den"],
                round_half_up(r.best_value if r.best_value >= r.worst_value else r.worst_value),
            )
            led.rounded_percent(num, k["proj_den"], round_half_up(min(r.best_value, r.worst_value)))
    return led


def projection_small(projection: pd.DataFrame) -> np.ndarray:
    """Rows of the care-leaver projection printing or implying a figure of 1-5: the year
    to date, those to come, the projection, or their complements.

    Examples
    --------
    >>> p = pd.DataFrame({"ytd_numerator": [29, 20], "ytd_denominator": [34, 40],
    ...     "to_come": [10, 10], "to_come_meeting": [8, 9], "projected_numerator": [37, 29],
    ...     "projected_denominator": [44, 50]})
    >>> projection_small(p).tolist()  # 34 - 29 = 5 not in suitable accommodation
    [True, True]
    """
    p = projection.reset_index(drop=True)
    small = np.zeros(len(p), dtype=bool)
    for a, b in (
        ("ytd_numerator", None),
        ("ytd_denominator", None),
        ("to_come", None),
        ("projected_numerator", None),
        ("projected_denominator", None),
        ("ytd_denominator", "ytd_numerator"),
        ("to_come", "to_come_meeting"),
        ("projected_denominator", "projected_numerator"),
    ):
        vals = p[a] - (p[b] if b else 0)
        small |= is_small(vals.to_numpy(dtype="float64"))
    return small


def suppress_projection(
    projection: pd.DataFrame, results: pd.DataFrame, results_hidden: np.ndarray
) -> np.ndarray:
    """Which rows of the care-leaver projection table a public paper prints as ``c``.

    A row goes when any figure it prints or implies is 1-5 (the year to date, those to
    come, the projection, their complements), when the same measure is ``c`` in the
    results; then rows are hidden until the attack on the results and the table together
    recovers nothing.

    Parameters
    ----------
    projection
        the projection rows (true figures).
    results
        the results rows (true figures) the report publishes beside it.
    results_hidden
        which results rows are suppressed.

    Returns
    -------
    numpy.ndarray
        True for each projection row to print as ``c``.

    Raises
    ------
    DisclosureError
        hiding every row would still leave something recoverable.
    """
    p = projection.reset_index(drop=True)
    small = projection_small(p)
    res = results.reset_index(drop=True)
    gone = set(
        zip(
            res.loc[np.asarray(results_hidden, dtype=bool), "indicator_id"],
            res.loc[np.asarray(results_hidden, dtype=bool), "period_end"],
            res.loc[np.asarray(results_hidden, dtype=bool), "window_start"],
            strict=True,
        )
    )
    starts = [
        pd.Timestamp(year=d.year if d.month >= 4 else d.year - 1, month=4, day=1)
        for d in pd.to_datetime(p["period_end"])
    ]
    hidden = small | np.array(
        [
            (i, pd.Timestamp(d), s) in gone
            for i, d, s in zip(p["indicator_id"], p["period_end"], starts, strict=True)
        ],
        dtype=bool,
    )
    for _ in range(len(p) + 1):
        led = results_ledger(res, hidden=results_hidden)
        found = projection_ledger(p, hidden, led).attack()
        named = [_flat(rec.key) for rec in found]
        rows = {
            n
            for keys in named
            for n, ind in enumerate(p["indicator_id"])
            if not hidden[n] and ind in keys
        }
        if not found:
            return hidden
        if not rows:
            raise DisclosureError(f"the projection table cannot be published: {found[0]}")
        hidden[min(rows)] = True
    raise DisclosureError("the projection table cannot be published")


def suppress_table(cells: pd.DataFrame, mode: str = "public") -> pd.DataFrame:
    """Suppression pattern for a two-way table of counts whose row, column and grand
    totals are published alongside it.

    Returns a frame of the same shape plus a ``total`` column and a ``total`` row, True
    where the figure must be shown as ``c``. Totals of 1–5 are hidden too.

    Examples
    --------
    >>> t = pd.DataFrame({"a": [3, 10], "b": [12, 20]}, index=["x", "y"])
    >>> suppress_table(t).loc[["x", "y"], ["a", "b"]].to_numpy().tolist()
    [[True, True], [True, True]]
    """
    if mode not in MODES:
        raise CppError(f"unknown disclosure mode {mode!r}; use 'public' or 'internal'")
    full = cells.astype("float64").copy()
    full["total"] = full.sum(axis=1)
    full.loc["total"] = full.sum(axis=0)
    values = full.to_numpy().ravel()
    if mode == "internal":
        return pd.DataFrame(False, index=full.index, columns=full.columns)
    nrow, ncol = full.shape
    pos = np.arange(values.size).reshape(nrow, ncol)
    equations = [list(pos[r]) for r in range(nrow)] + [list(pos[:, c]) for c in range(ncol)]
    totals = set(pos[:, -1]) | set(pos[-1, :])
    hidden = secondary_suppress(values, is_small(values), equations, totals)
    return pd.DataFrame(hidden.reshape(nrow, ncol), index=full.index, columns=full.columns)


_RESULT_KEYS = ["indicator_id", "period_end", "window_start", "window_end"]
_DERIVED = [
    "ci_low",
    "ci_high",
    "rag",
    "direction_quarter",
    "direction_year",
    "quartile",
    "rank",
    "significance_note",
]


#: breakdowns whose groups need not hold every child (no code, no group): what they do
#: not hold is a figure a reader can work out from the headline
OPEN_BREAKDOWNS: frozenset[str] = frozenset({"provider", "cin"})


def _headline_id(indicator_id: str, headline_for: dict[str, str]) -> str:
    """The headline count a breakdown indicator's groups add up to."""
    return headline_for.get(
        indicator_id, "cla_ceased" if indicator_id == "ceased_by_reason" else "cla_count"
    )


def _row_keys(
    frame: pd.DataFrame, headline_for: dict[str, str]
) -> tuple[list[tuple], list[tuple | None], list[tuple]]:
    """Per row: the key of its own figure (a count, or a numerator), of its denominator
    (None when it has none worth protecting) and of its breakdown set."""
    ident = list(
        zip(
            frame["indicator_id"],
            frame["period_end"],
            frame["window_start"],
            frame["window_end"],
            frame["breakdown"],
            frame["group"],
            strict=True,
        )
    )
    heads: dict[tuple, tuple] = {}
    head_value: dict[tuple, float] = {}
    for (i, p, s, e, b, g), v, u in zip(ident, frame["value"], frame["unit"], strict=True):
        if b == "" and u == "count" and (i, p) not in heads:
            heads[(i, p)] = ("count", i, p, s, e, b, g)
            head_value[(i, p)] = float(v)
    own, den, sets = [], [], []
    for (i, p, s, e, b, g), unit, d in zip(ident, frame["unit"], frame["denominator"], strict=True):
        kind = "count" if unit == "count" else "num"
        own.append((kind, i, p, s, e, b, g))
        sets.append((i, p, s, e, b))
        head = (_headline_id(i, headline_for), p)
        if unit in ("count", "rate_per_10k"):
            den.append(None)
        elif b and head in heads and abs(head_value[head] - float(d)) < 1e-9:
            den.append(heads[head])  # the breakdown's denominator is the headline count
        else:
            den.append(("den", i, p, s, e, b))
    return own, den, sets


def results_ledger(
    results: pd.DataFrame,
    hidden: np.ndarray | None = None,
    headline_for: dict[str, str] | None = None,
    table: str = "results",
    ledger: Ledger | None = None,
) -> Ledger:
    """The :class:`Ledger` of a results table as published: every count, numerator and
    denominator, with breakdown groups adding up to their headline count (an unlisted
    remainder included, so 34 − 19 − 10 = 5 is seen), complements (x of n gives n − x)
    and, where present, the ``previous_quarter``, ``same_quarter_last_year`` and
    ``last_march`` columns as further printings of earlier rows (cross-period).

    Parameters
    ----------
    results
        results-contract rows with their true figures (numerator, denominator, value).
    hidden
        which rows are printed as ``c`` (default: the ``suppressed`` column, else none).
    headline_for
        breakdown indicator → headline count its groups add up to.
    table
        the name the findings give this table.
    ledger
        add to this ledger (for several tables at once).

    Returns
    -------
    Ledger

    Examples
    --------
    >>> r = pd.DataFrame({"indicator_id": ["cla_count"] + ["cla_by_cin"] * 2,
    ...     "period_end": pd.Timestamp("2024-03-31"), "window_start": pd.Timestamp("2024-03-31"),
    ...     "window_end": pd.Timestamp("2024-03-31"), "breakdown": ["", "cin", "cin"],
    ...     "group": ["", "N1", "N2"], "numerator": [34.0, 19, 10],
    ...     "denominator": [np.nan, 34, 34], "value": [34.0, 55.9, 29.4],
    ...     "unit": ["count", "percent", "percent"]})
    >>> [r.value for r in results_ledger(r).attack()]  # the unlisted 5 (34 - 19 - 10)
    [5.0]
    """
    led = ledger if ledger is not None else Ledger()
    frame = results.reset_index(drop=True)
    headline_for = headline_for or {}
    if hidden is None:
        hidden = (
            frame["suppressed"].to_numpy(dtype=bool)
            if "suppressed" in frame.columns
            else np.zeros(len(frame), dtype=bool)
        )
    hidden = np.asarray(hidden, dtype=bool)
    own, den, sets = _row_keys(frame, headline_for)
    num = (
        frame["numerator"].where(frame["unit"] != "count", frame["value"]).to_numpy(dtype="float64")
    )
    dens = frame["denominator"].to_numpy(dtype="float64")
    units = frame["unit"].tolist()
    for i in range(len(frame)):
        if np.isnan(num[i]) or units[i] in ("days", "score"):
            continue
        led.add(
            own[i],
            num[i],
            shown=not hidden[i],
            suppressed=bool(hidden[i]),
            table=table,
            total=own[i][5] == "" and units[i] == "count",
        )
    for i in range(len(frame)):
        if den[i] is None or np.isnan(dens[i]):
            continue
        small_den = bool(hidden[i]) and bool(is_small(dens[i : i + 1])[0])
        led.add(den[i], dens[i], shown=not small_den, suppressed=small_den, table=table, total=True)
        if own[i] in led and units[i] == "percent":
            led.complement(own[i], den[i])
    # breakdown groups add up to their headline count; what no group holds is a figure too
    by_set: dict[tuple, list[int]] = {}
    for i, key in enumerate(sets):
        if key[4] and own[i] in led:
            by_set.setdefault(key, []).append(i)
    for key, rows in by_set.items():
        total = den[rows[0]]
        if total is None or total not in led:
            continue
        parts = [own[i] for i in rows]
        if key[4] in OPEN_BREAKDOWNS:
            rest = ("unlisted", *key)
            led.add(rest, led._vars[total].value - sum(led._vars[p].value for p in parts))
            parts.append(rest)
        led.total(total, parts)
    _earlier_printings(frame, own, den, led, table)
    return led


_PRINTING_COLUMNS = ("previous_quarter", "same_quarter_last_year", "last_march")


def _printed_rows(frame: pd.DataFrame, col: str) -> np.ndarray:
    """For each row, the position of the earlier row its ``col`` prints again (-1: none)."""
    from cppanalytics.dates import last_marches
    from cppanalytics.judgement.judge import _months_back

    ident = {
        (i, p, b, g, (e - s).days): n
        for n, (i, p, s, e, b, g) in enumerate(
            zip(
                frame["indicator_id"],
                frame["period_end"],
                frame["window_start"],
                frame["window_end"],
                frame["breakdown"],
                frame["group"],
                strict=True,
            )
        )
    }
    when = {
        "previous_quarter": lambda d: _months_back(d, 3),
        "same_quarter_last_year": lambda d: _months_back(d, 12),
        "last_march": lambda d: last_marches(d, strictly_before=True),
    }[col](frame["period_end"])
    span = (frame["window_end"] - frame["window_start"]).dt.days
    return np.array(
        [
            ident.get((ind, at, b, g, days), -1)
            for ind, b, g, at, days in zip(
                frame["indicator_id"], frame["breakdown"], frame["group"], when, span, strict=True
            )
        ],
        dtype=int,
    )


def _earlier_printings(
    frame: pd.DataFrame, own: list[tuple], den: list[tuple | None], led: Ledger, table: str
) -> None:
    """Columns printing an earlier row's figure again, tied to that row's keys."""
    for col in (c for c in _PRINTING_COLUMNS if c in frame.columns):
        for m, shown in zip(_printed_rows(frame, col), frame[col], strict=True):
            if m < 0 or pd.isna(shown) or own[m] not in led:
                continue
            if frame["unit"].iloc[m] == "count":
                if abs(led._vars[own[m]].value - float(shown)) > 1e-6:
                    continue  # not a printing of that row (another convention for the date)
                led.add(own[m], float(shown), shown=True, table=f"{table} ({col})")
            elif den[m] is not None and den[m] in led and frame["unit"].iloc[m] == "percent":
                led.rounded_percent(own[m], den[m], float(shown), ndigits=6)


def suppress_results(
    results: pd.DataFrame, mode: str = "public", headline_for: dict[str, str] | None = None
) -> pd.DataFrame:
    """Apply disclosure control to results-contract rows (judged or not).

    Adds a boolean ``suppressed`` column. In public mode: counts of 1–5, percentages,
    averages and rates whose numerator or denominator is 1–5, and percentages whose
    complement (denominator − numerator) is 1–5, are suppressed (value and numerator set
    to NaN; the denominator too when it is small); then secondary suppression
    (:meth:`Ledger.protect` on :func:`results_ledger`) hides more rows until no
    suppressed cell and no unpublished 1-5 can be worked out from what is shown (totals
    minus parts across every breakdown, complements, zeros as lower bounds, the same
    figure printed at another period end). Judgement columns of a suppressed row (RAG,
    interval, rank …) are blanked, and so are earlier-period columns printing a
    suppressed figure. Finally :func:`check_disclosure` attacks the result and raises
    :class:`DisclosureError` rather than return anything recoverable.

    ``headline_for`` maps a breakdown indicator to the headline count its groups add up to
    (default: ``ceased_by_reason`` → ``cla_ceased``, every other breakdown → ``cla_count``).

    Examples
    --------
    >>> r = pd.DataFrame({"indicator_id": ["cla_count", "cla_by_sex", "cla_by_sex",
    ...     "cla_by_sex"], "period_end": pd.Timestamp("2024-03-31"),
    ...     "window_start": pd.Timestamp("2024-03-31"), "window_end": pd.Timestamp("2024-03-31"),
    ...     "breakdown": ["", "sex", "sex", "sex"], "group": ["", "male", "female", "unknown"],
    ...     "numerator": [40.0, 22, 15, 3], "denominator": [np.nan, 40, 40, 40],
    ...     "value": [40.0, 55, 37.5, 7.5], "unit": ["count", "percent", "percent", "percent"]})
    >>> suppress_results(r)["suppressed"].tolist()
    [False, False, True, True]
    """
    if mode not in MODES:
        raise CppError(f"unknown disclosure mode {mode!r}; use 'public' or 'internal'")
    out = results.copy().reset_index(drop=True)
    out["suppressed"] = False
    if mode == "internal" or out.empty:
        return out
    headline_for = headline_for or {}
    count = out["unit"] == "count"
    # a percentage also discloses its complement: 97% of 100 reveals the 3 without
    complement = np.where(
        out["unit"] == "percent", is_small(out["denominator"] - out["numerator"]), False
    )
    primary = np.where(
        count,
        is_small(out["value"]),
        is_small(out["numerator"]) | is_small(out["denominator"]) | complement,
    )
    printing = [c for c in _PRINTING_COLUMNS if c in out.columns]
    led = results_ledger(out.drop(columns=printing), hidden=primary, headline_for=headline_for)
    led.protect()
    gone = set(led.hidden_shown())
    own, den, _ = _row_keys(out, headline_for)
    hidden = primary | np.array(
        [
            k in gone or (d is not None and d in gone and u != "count")
            for k, d, u in zip(own, den, out["unit"], strict=True)
        ]
    )
    small_den = hidden & (
        is_small(out["denominator"]) | np.array([d is not None and d in gone for d in den])
    )
    truth = out.copy()
    out["suppressed"] = hidden
    out.loc[hidden, ["numerator", "value"]] = np.nan
    out.loc[small_den, "denominator"] = np.nan
    for col in _DERIVED:
        if col in out.columns:
            blank = (
                "" if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]) else np.nan
            )
            out.loc[hidden, col] = blank
    for col in printing:  # an earlier figure printed again is hidden with its own row
        target = _printed_rows(out, col)
        gone_too = np.where(target >= 0, hidden[np.clip(target, 0, None)], False)
        out.loc[gone_too | (count & is_small(out[col])).to_numpy(), col] = np.nan
        truth[col] = out[col]
    # the last word: the attacker on the true figures and what will be printed
    check_disclosure(
        results_ledger(truth, hidden=hidden, headline_for=headline_for), "the public results"
    )
    return out


def published_text(values: pd.Series, suppressed: pd.Series, ndigits: int = 0) -> pd.Series:
    """Figures as published text: half-up rounded, ``c`` where suppressed, ``""`` if missing.

    Examples
    --------
    >>> published_text(pd.Series([12.5, 3.0, np.nan]), pd.Series([False, True, False])).tolist()
    ['13', 'c', '']
    """
    rounded = round_series(values, ndigits)
    text = rounded.map(lambda v: "" if np.isnan(v) else f"{v:.{ndigits}f}")
    return text.where(~suppressed.to_numpy(dtype=bool), SUPPRESSED)
