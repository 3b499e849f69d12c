"""The care-journey simulation behind the synthetic council.

Children enter care over time (DfE's age mix at entry), each on a *track* chosen by age
(return home, adoption, special guardianship, child arrangements order, long-term care
to 18, unaccompanied asylum seeker, youth-justice remand, short breaks). A period of
care is then played out as events in date order — legal-status changes, placement
moves, same-carer changes, temporary placements that return to the same placement,
placement for adoption (some with the current foster carer), code-list changes — each
closing the current episode with X1 and opening the next. Exits carry a REC code valid
for their collection year; some children who went home come back into care.

The result is a :class:`Journeys`: full-history tables (all dates known to the
simulation) that :mod:`cppanalytics.synth.returns` cuts into yearly 903 returns.
Dates are ``datetime.date`` ordinals (ints) inside the simulation.

Examples
--------
>>> j = simulate(seed=1, size=60, first_year=2024, extract_date="2024-09-30")
>>> sorted(j.tables())[:3]
['ad1', 'children', 'decisions']
>>> bool((j.tables()["episodes"]["DECOM"] <= pd.Timestamp("2024-09-30")).all())
True
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from cppanalytics.synth.codes import (
    PLACE_SUCCESSOR,
    sgo_codes,
)
from cppanalytics.synth.places import PostcodePicker

UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"

#: DfE's mix of ages at entry into care (share of children starting)
ENTRY_AGES: tuple[tuple[str, float], ...] = (
    ("under1", 0.19), ("1-4", 0.16), ("5-9", 0.17), ("10-15", 0.33), ("16+", 0.15),
)
#: share of entries who are unaccompanied asylum-seeking children
UASC_SHARE = 0.06
#: share of entries on youth-justice remand
REMAND_SHARE = 0.02

ETHNIC_MIX: tuple[tuple[str, float], ...] = (
    ("WBRI", 0.64), ("WIRI", 0.005), ("WIRT", 0.005), ("WROM", 0.005), ("WOTH", 0.05),
    ("MWBC", 0.04), ("MWBA", 0.015), ("MWAS", 0.01), ("MOTH", 0.03),
    ("AIND", 0.01), ("APKN", 0.01), ("ABAN", 0.005), ("AOTH", 0.01), ("CHNE", 0.002),
    ("BCRB", 0.02), ("BAFR", 0.05), ("BOTH", 0.01), ("OOTH", 0.02), ("REFU", 0.004),
    ("NOBT", 0.004),
)
UASC_ETHNIC: tuple[tuple[str, float], ...] = (
    ("AOTH", 0.30), ("BAFR", 0.30), ("OOTH", 0.25), ("WOTH", 0.10), ("BOTH", 0.05),
)
CIN_MIX: tuple[tuple[str, float], ...] = (
    ("N1", 0.62), ("N2", 0.03), ("N3", 0.03), ("N4", 0.15), ("N5", 0.06), ("N6", 0.02),
    ("N7", 0.01), ("N8", 0.08),
)
#: reasons a placement ended (REASON_PLACE_CHANGE) for moves to a new carer
MOVE_REASONS: tuple[tuple[str, float], ...] = (
    ("CARPL", 0.22), ("CREQB", 0.12), ("CREQO", 0.10), ("LAREQ", 0.20), ("CHILD", 0.08),
    ("CLOSE", 0.04), ("ALLEG", 0.03), ("STAND", 0.03), ("APPRR", 0.01), ("OTHER", 0.17),
)
SW_REASONS: tuple[tuple[str, float], ...] = (
    ("MANAGE", 0.35), ("FITLEFT", 0.30), ("UNFITLEFT", 0.05), ("LONGTERM", 0.10),
    ("CHCHOICE", 0.05), ("OTHER", 0.15),
)

TEMP_PLACES = frozenset({"T0", "T1", "T2", "T3", "T4"})
FOSTER = frozenset({"U1", "U2", "U3", "U4", "U5", "U6"})
ADOPTION_PLACES = frozenset({"A3", "A4", "A5", "A6"})
#: the day an open placement of a retired type is re-recorded as its successor: H5 and P2
#: move to K3 on 31 March 2025 (K3 is valid in 2024-25, so the H5/P2 episode never reaches
#: 2025-26); Z1 moves to Z14 on 1 April 2025 (Z14 is not valid before 2025-26)
MIGRATIONS: dict[str, int] = {
    "H5": date(2025, 3, 31).toordinal(),
    "P2": date(2025, 3, 31).toordinal(),
    "Z1": date(2025, 4, 1).toordinal(),
}


def ordinal(value: str | date | pd.Timestamp) -> int:
    """Date → proleptic Gregorian ordinal (the simulation's day number).

    Examples
    --------
    >>> ordinal("2024-03-31") - ordinal("2024-03-01")
    30
    """
    return pd.Timestamp(value).date().toordinal()


def birthday_ord(dob: int, years: int) -> int:
    """Day of the ``years``-th birthday of a child born on day ``dob`` (29 Feb → 1 Mar).

    Examples
    --------
    >>> date.fromordinal(birthday_ord(ordinal("2008-02-29"), 17)).isoformat()
    '2025-03-01'
    """
    d = date.fromordinal(dob)
    try:
        return date(d.year + years, d.month, d.day).toordinal()
    except ValueError:  # 29 February in a non-leap year
        return date(d.year + years, 3, 1).toordinal()


def age_years(dob: int, day: int) -> int:
    """Completed years at ``day``.

    Examples
    --------
    >>> age_years(ordinal("2010-04-01"), ordinal("2024-03-31"))
    13
    """
    b, d = date.fromordinal(dob), date.fromordinal(day)
    return d.year - b.year - ((d.month, d.day) < (b.month, b.day))


def upn_check_letter(body: str) -> str:
    """DfE's UPN check letter for the 12 characters after it (weights 2..13, mod 23).

    Examples
    --------
    >>> upn_check_letter("826200012001")
    'G'
    """
    total = sum(int(ch) * weight for weight, ch in enumerate(body, start=2))
    return UPN_LETTERS[total % 23]


class _Draw:
    """Small helpers over one ``numpy.random.Generator`` (scalar draws, fast)."""

    def __init__(self, rng: np.random.Generator) -> None:
        self.rng = rng

    def u(self) -> float:
        return float(self.rng.random())

    def chance(self, p: float) -> bool:
        return float(self.rng.random()) < p

    def int(self, low: int, high: int) -> int:
        """Uniform integer in [low, high]."""
        return int(self.rng.integers(low, high + 1))

    def pick(self, options: tuple[tuple[str, float], ...] | list[tuple[str, float]]) -> str:
        total = sum(w for _, w in options)
        x = float(self.rng.random()) * total
        for value, weight in options:
            x -= weight
            if x < 0:
                return value
        return options[-1][0]


@dataclass
class _Site:
    place: str
    provider: str | None
    pl_post: str | None
    urn: str


@dataclass
class Journeys:
    """Full-history tables of one simulated council (dates as Timestamps)."""

    children: pd.DataFrame
    episodes: pd.DataFrame
    decisions: pd.DataFrame
    ad1: pd.DataFrame
    prev_perm: pd.DataFrame
    missing: pd.DataFrame
    reviews: pd.DataFrame
    sw_episodes: pd.DataFrame
    dolo: pd.DataFrame
    extract_date: pd.Timestamp
    first_year: int
    size: int
    seed: int
    meta: dict = field(default_factory=dict)

    def tables(self) -> dict[str, pd.DataFrame]:
        """The history tables by name."""
        return {
            "children": self.children, "episodes": self.episodes, "decisions": self.decisions,
            "ad1": self.ad1, "prev_perm": self.prev_perm, "missing": self.missing,
            "reviews": self.reviews, "sw_episodes": self.sw_episodes, "dolo": self.dolo,
        }


class _Simulation:
    """Mutable state of one council's simulation (use :func:`simulate`)."""

    def __init__(self, seed: int, size: int, start: int, horizon: int) -> None:
        self.rng = np.random.default_rng(seed)
        self.d = _Draw(self.rng)
        self.picker = PostcodePicker(np.random.default_rng([seed, 7]))
        self.size = size
        self.start = start
        self.horizon = horizon
        self.children: list[dict] = []
        self.episodes: list[tuple] = []
        self.decisions: list[tuple] = []
        self.ad1: list[tuple] = []
        self.prev_perm: list[tuple] = []
        self.missing: list[tuple] = []
        self.reviews: list[tuple] = []
        self.sw: list[tuple] = []
        self.dolo: list[tuple] = []
        self._ids = iter(self.rng.permutation(np.arange(100000, 999999)))
        n_homes = max(8, size // 12)
        self.homes = [self._home_site(i) for i in range(n_homes)]
        self.sw_ids = [f"SW{int(x):05d}" for x in self.rng.choice(90000, size=max(20, size // 6),
                                                                   replace=False) + 10000]

    # ---- sites --------------------------------------------------------------------
    def _area(self, near_p: float, far_p: float) -> str:
        x = self.d.u()
        return "far" if x < far_p else ("near" if x < far_p + near_p else "home")

    def _home_site(self, i: int) -> tuple[str, str]:
        area = self._area(0.35, 0.35)
        return self.picker.pick(area), f"SC{self.d.int(100000, 999999)}"

    def site(self, place: str, home_post: str) -> _Site:
        """Provider, postcode and URN for a new placement of type ``place``."""
        d = self.d
        if place in TEMP_PLACES:
            return _Site(place, None, None, "XXXXXXX")
        if place == "P1":
            return _Site(place, "PR0", home_post, "XXXXXXX")
        if place in ("K1", "K2", "S1", "R1"):
            post, urn = self.homes[d.int(0, len(self.homes) - 1)]
            if place == "K1":
                post = self.picker.pick("far")
            provider = d.pick([("PR1", 0.2), ("PR4", 0.72), ("PR5", 0.08)])
            if place == "S1":
                urn = str(d.int(100000, 999999))
            return _Site(place, provider, post, urn)
        if place in ("H5", "K3", "P2"):
            provider = d.pick([("PR4", 0.75), ("PR5", 0.1), ("PR1", 0.15)])
            urn = f"2{d.int(100000, 999999)}" if place == "K3" else "XXXXXXX"
            return _Site(place, provider, self.picker.pick(self._area(0.3, 0.15)), urn)
        if place in ("U1", "U2", "U3"):
            return _Site(place, "PR1", self.picker.pick(self._area(0.2, 0.1)), "XXXXXXX")
        if place in ("U4", "U5", "U6"):
            if d.chance(0.6):
                return _Site(place, "PR1", self.picker.pick(self._area(0.15, 0.0)), "XXXXXXX")
            return _Site(place, "PR4", self.picker.pick(self._area(0.35, 0.2)), "XXXXXXX")
        if place in ADOPTION_PLACES:
            provider = d.pick([("PR1", 0.65), ("PR2", 0.15), ("PR5", 0.2)])
            return _Site(place, provider, self.picker.pick(self._area(0.4, 0.25)), "XXXXXXX")
        if place in ("R2", "R5"):
            return _Site(place, "PR3", self.picker.pick(self._area(0.3, 0.6)), "XXXXXXX")
        if place == "R3":
            return _Site(place, "PR4", self.picker.pick(self._area(0.4, 0.2)), "XXXXXXX")
        # Z1 / Z11-Z14 and anything else
        return _Site(place, "PR4", self.picker.pick(self._area(0.3, 0.2)), "XXXXXXX")

    # ---- placement choice -------------------------------------------------------------
    def choose_place(self, age: int, track: str, day: int, uasc: bool) -> str:
        """A placement type for a new placement at ``day`` (valid in its collection year)."""
        semi = "K3" if day >= ordinal("2024-04-01") else "H5"  # H5 ends 31/03/2025
        other = "Z14" if day >= ordinal("2025-04-01") else "Z1"
        if track == "remand":
            return "R5" if self.d.chance(0.7) else "K1"
        if age >= 16:
            if uasc:
                options = [(semi, 0.62), ("U6", 0.25), ("U4", 0.08), ("K2", 0.05)]
            else:
                options = [("U4", 0.30), ("U6", 0.12), ("U1", 0.05), ("U3", 0.03),
                           ("K2", 0.14), (semi, 0.27), ("P1", 0.04), ("R1", 0.01),
                           (other, 0.01)]
                if day < MIGRATIONS["P2"]:
                    options.append(("P2", 0.03))
        elif age >= 11:
            options = [("U4", 0.38), ("U6", 0.20), ("U1", 0.08), ("U3", 0.06), ("K2", 0.18),
                       ("P1", 0.05), ("S1", 0.01), ("K1", 0.005), ("R1", 0.01), (other, 0.005)]
            if uasc:
                options = [("U6", 0.6), ("U4", 0.3), ("K2", 0.1)]
        elif age >= 5:
            options = [("U4", 0.46), ("U6", 0.24), ("U1", 0.10), ("U3", 0.08), ("K2", 0.04),
                       ("P1", 0.07), ("S1", 0.01)]
        else:
            options = [("U4", 0.46), ("U6", 0.25), ("U1", 0.10), ("U3", 0.09), ("P1", 0.07),
                       ("R3", 0.03)]
        if track == "sgo":
            options = [(p, w * (4 if p in ("U1", "U3") else 1)) for p, w in options]
        if track == "adoption" and age < 2 and self.d.chance(0.2):
            return "U5" if self.d.chance(0.85) else "U2"
        return self.d.pick(options)

    # ---- children -----------------------------------------------------------------------
    def new_child(self, entry: int, band: str, uasc: bool, remand: bool) -> dict:
        d = self.d
        if uasc:
            age_days = d.int(14 * 365, 17 * 365 + 300) if d.chance(0.2) else d.int(
                16 * 365, 17 * 365 + 330)
        elif remand:
            age_days = d.int(13 * 365, 17 * 365 + 300)
        elif band == "under1":
            age_days = d.int(0, 6) if d.chance(0.45) else d.int(7, 364)
        elif band == "1-4":
            age_days = d.int(365, 5 * 365 - 1)
        elif band == "5-9":
            age_days = d.int(5 * 365, 10 * 365 - 1)
        elif band == "10-15":
            age_days = d.int(10 * 365, 16 * 365 - 1)
        else:
            age_days = d.int(16 * 365, 17 * 365 + 330)
        dob = entry - age_days
        male = d.chance(0.92 if uasc else (0.8 if remand else 0.54))
        body = f"826{d.int(2000, 7999):04d}{date.fromordinal(dob).year % 100:02d}{d.int(1, 999):03d}"
        child = {
            "CHILD": str(next(self._ids)),
            "DOB": dob,
            "SEX": "1" if male else "2",
            "ETHNIC": d.pick(UASC_ETHNIC if uasc else ETHNIC_MIX),
            "UPN": upn_check_letter(body) + body,
            "uasc": uasc,
            "DUC": birthday_ord(dob, 18) if uasc else None,
            "mother_day": None,
        }
        if not male and d.chance(0.03):
            child["mother_day"] = birthday_ord(dob, d.int(15, 17)) + d.int(0, 300)
        self.children.append(child)
        return child

    def track_for(self, band: str, uasc: bool, remand: bool) -> str:
        if uasc:
            return "uasc"
        if remand:
            return "remand"
        options = {
            "under1": [("adoption", 0.34), ("sgo", 0.18), ("home", 0.28), ("long", 0.16),
                       ("cao", 0.04)],
            "1-4": [("adoption", 0.2), ("sgo", 0.18), ("home", 0.36), ("long", 0.2),
                    ("cao", 0.06)],
            "5-9": [("sgo", 0.12), ("home", 0.44), ("long", 0.38), ("cao", 0.06)],
            "10-15": [("home", 0.55), ("long", 0.40), ("sgo", 0.03), ("cao", 0.02)],
            "16+": [("home", 0.50), ("long", 0.50)],
        }[band]
        return self.d.pick(options)

    # ---- the period of care ---------------------------------------------------------------
    def run_period(self, child: dict, start: int, track: str, cin: str, home: str,
                   reentry: bool = False) -> None:
        """Simulate one period of care from ``start`` and record its episodes and extras."""
        d = self.d
        dob = child["DOB"]
        age0 = age_years(dob, start)
        b18 = birthday_ord(dob, 18)
        uasc = child["uasc"]
        # --- legal status and planned exit ---------------------------------------
        legal: list[tuple[int, str]] = []
        adoption: dict | None = None
        if track == "uasc":
            ls = "V2"
            if d.chance(0.04):
                end, rec = start + d.int(20, 120), "E15"
            elif d.chance(0.04):
                end, rec = start + d.int(60, 500), "E8"
            else:
                end, rec = b18, d.pick([("E5", 0.55), ("E6", 0.15), ("E17", 0.15),
                                        ("E8", 0.1), ("E7", 0.05)])
        elif track == "remand":
            ls = "J1" if d.chance(0.8) else "J2"
            end = start + (d.int(1, 3) if ls == "J2" else d.int(10, 120))
            rec = d.pick([("E14", 0.65), ("E9", 0.35)])
        elif track == "home":
            ls = "V2" if d.chance(0.75) else d.pick([("C1", 0.7), ("L1", 0.15), ("L2", 0.15)])
            end = start + int(min(d.rng.lognormal(np.log(110), 1.1), 3 * 365)) + 1
            rec = d.pick([("E4A", 0.62), ("E4B", 0.14), ("E13", 0.14), ("E8", 0.05),
                          ("E3", 0.03), ("E41", 0.02)])
            if ls in ("L1", "L2"):
                legal.append((start + d.int(1, 8), "C1"))
        else:
            ls = d.pick([("C1", 0.6), ("V2", 0.25), ("L2", 0.08), ("L1", 0.07)])
            first_c1 = start
            stays_s20 = False
            if ls in ("L1", "L2"):
                first_c1 = start + d.int(1, 8)
                legal.append((first_c1, "C1"))
            elif ls == "V2":
                first_c1 = start + d.int(30, 240)
                stays_s20 = age0 >= 12 and d.chance(0.6)  # many older children stay s20
                if not stays_s20:
                    legal.append((first_c1, "C1"))
            final_hearing = first_c1 + d.int(180, 330)
            if track == "adoption":
                legal.append((final_hearing, "E1"))
                decision = start + d.int(100, 240)
                adoption = {"decision": min(decision, final_hearing - 7),
                            "fails": d.chance(0.1)}
                if adoption["fails"]:
                    adoption["ceased"] = final_hearing + d.int(30, 300)
                    track = d.pick([("sgo", 0.5), ("long", 0.5)])
                    legal.append((adoption["ceased"] + d.int(60, 200), "C2"))
                else:
                    adoption["match"] = final_hearing + d.int(30, 200)
                    adoption["placed"] = adoption["match"] + d.int(5, 28)
                    adoption["adopted"] = adoption["placed"] + d.int(150, 400)
                    adoption["by_foster"] = d.chance(0.18)
            elif not stays_s20:
                legal.append((final_hearing, "C2"))
            if track == "adoption":
                end, rec = adoption["adopted"], d.pick([("E11", 0.85), ("E12", 0.15)])
            elif track == "sgo":
                end = final_hearing + d.int(60, 600)
                rec = None  # chosen by year below
            elif track == "cao":
                end, rec = final_hearing + d.int(30, 500), "E41"
            else:  # long-term
                if d.chance(0.22):
                    end = start + d.int(400, 6 * 365)
                    rec = d.pick([("E4A", 0.45), ("E4B", 0.15), ("E13", 0.15), ("E41", 0.1),
                                  ("E8", 0.1), ("E3", 0.05)])
                else:
                    end = b18
                    rec = None  # chosen at 18 below
        if end >= b18:
            end = b18
            rec = d.pick([("E17", 0.2), ("E5", 0.5), ("E6", 0.12), ("E7", 0.05), ("E8", 0.13)])
        if rec is None:  # SGO
            codes = sgo_codes(date.fromordinal(end).year + (date.fromordinal(end).month >= 4))
            rec = codes[d.int(0, len(codes) - 1)]
        if end <= start:
            end = start + 1
        # --- events --------------------------------------------------------------------
        events: list[tuple[int, int, str, object]] = []
        seq = [0]

        def push(day: int, kind: str, payload: object = None) -> None:
            if start < day < end:
                seq[0] += 1
                heapq.heappush(events, (day, seq[0], kind, payload))

        for day, new_ls in legal:
            push(day, "legal", new_ls)
        years = (end - start) / 365.25
        volatile = d.chance(0.22)  # a minority of children move often; most settle
        for k in range(int(np.ceil(years))):
            a = age_years(dob, start + int(k * 365.25))
            rate = 0.8 if a >= 13 else (0.65 if a >= 10 else 0.4)
            rate *= 2.0 if volatile else 0.5
            if track == "sgo":
                rate *= 0.6
            if k == 0:
                rate *= 1.8
            elif k >= 2 and not volatile:
                rate *= 0.22
            for _ in range(int(d.rng.poisson(rate))):
                push(start + int((k + d.u()) * 365.25), "move")
            if d.chance(0.07):
                push(start + int((k + d.u()) * 365.25), "temp")
        if adoption is not None and not adoption["fails"]:
            push(adoption["placed"], "adopt")
        for mday in sorted(set(MIGRATIONS.values())):
            push(mday, "migrate")
        # --- play the events ---------------------------------------------------------
        rows: list[list] = []
        adopted_from: int | None = None
        held: _Site | None = None  # placement held before a temporary one

        def open_episode(day: int, rne: str, ls_: str, s: _Site, reason: str | None) -> None:
            if rows:
                rows[-1][7] = day
                rows[-1][8] = "X1"
            rows.append([child["CHILD"], day, rne, ls_, cin, s.place, s.provider, None, None,
                         reason, home, s.pl_post, s.urn])

        place = self.choose_place(age0, track, start, uasc)
        current = self.site(place, home)
        open_episode(start, "S", ls, current, None)
        placement_start = start
        if place in ("U3", "U6") and track not in ("home", "remand"):
            push(start + d.int(280, 520), "confirm", start)
        adoption_started = False
        temp_until = -1
        while events:
            day, _, kind, payload = heapq.heappop(events)
            if day <= temp_until and kind != "return":
                if kind in ("legal", "adopt", "migrate"):
                    push(temp_until + 1, kind, payload)
                continue
            if rows and day <= rows[-1][1]:  # never two episodes starting the same day
                if kind in ("legal", "adopt", "migrate", "return"):
                    push(rows[-1][1] + 1, kind, payload)
                continue
            same_day_legal = None
            if kind != "legal" and events and events[0][0] == day and events[0][2] == "legal":
                same_day_legal = heapq.heappop(events)[3]
            if kind == "legal":
                ls = str(payload)
                x = d.u()
                if x < 0.12 and not adoption_started:  # e.g. final order with a move: RNE B
                    current = self.site(self.choose_place(age_years(dob, day), track, day, uasc),
                                        home)
                    open_episode(day, "B", ls, current, d.pick(MOVE_REASONS))
                    placement_start = day
                elif x < 0.4 and current.place in ("U3", "U6"):  # carer made long-term: RNE U
                    current = _Site({"U3": "U1", "U6": "U4"}[current.place], current.provider,
                                    current.pl_post, current.urn)
                    open_episode(day, "U", ls, current, "PLACE")
                else:
                    open_episode(day, "L", ls, current, None)
            elif kind == "move":
                if adoption_started:
                    continue
                if same_day_legal:
                    ls = str(same_day_legal)
                age = age_years(dob, day)
                new_place = self.choose_place(age, track, day, uasc)
                current = self.site(new_place, home)
                open_episode(day, "B" if same_day_legal else "P", ls, current,
                             d.pick(MOVE_REASONS))
                placement_start = day
                if new_place in ("U3", "U6") and track not in ("home", "remand"):
                    push(day + d.int(280, 520), "confirm", day)
            elif kind == "confirm":
                if placement_start != payload or current.place not in ("U3", "U6"):
                    continue
                current = _Site({"U3": "U1", "U6": "U4"}[current.place], current.provider,
                                current.pl_post, current.urn)
                open_episode(day, "T", ls, current, "PLACE")
            elif kind == "temp":
                if adoption_started:
                    continue
                tplace = d.pick([("T1", 0.35), ("T2", 0.15), ("T3", 0.3), ("T4", 0.15),
                                 ("T0", 0.05)])
                length = d.int(1, 7) if tplace == "T4" else d.int(2, 14)
                if day + length >= end:
                    continue
                held = current
                open_episode(day, "P", ls, self.site(tplace, home), "OTHER")
                temp_until = day + length - 1
                push(day + length, "return")
            elif kind == "return":
                current = held if held is not None else current
                if MIGRATIONS.get(current.place, day + 1) <= day:
                    current = _Site(PLACE_SUCCESSOR[current.place], current.provider,
                                    current.pl_post, current.urn)
                open_episode(day, "P", ls, current, "OTHER")
                temp_until = -1
            elif kind == "adopt":
                by_foster = adoption.get("by_foster") and current.place in FOSTER
                if same_day_legal:
                    ls = str(same_day_legal)
                a_place = ("A5" if ls in ("E1", "D1") else "A3") if by_foster else (
                    "A6" if ls in ("E1", "D1") else "A4")
                if by_foster:
                    current = _Site(a_place, current.provider, current.pl_post, current.urn)
                    open_episode(day, "U" if same_day_legal else "T", ls, current, "PLACE")
                else:
                    current = self.site(a_place, home)
                    open_episode(day, "B" if same_day_legal else "P", ls, current, "OTHER")
                adoption_started = True
                adopted_from = day
                adoption["foster_care"] = bool(by_foster)
            elif kind == "migrate":
                if MIGRATIONS.get(current.place, day + 1) <= day:
                    current = _Site(PLACE_SUCCESSOR[current.place], current.provider,
                                    current.pl_post,
                                    current.urn if current.place != "H5" else f"2{d.int(100000, 999999)}")
                    open_episode(day, "T", ls, current, "PLACE")
        rows[-1][7] = end
        rows[-1][8] = rec
        self.episodes.extend(tuple(r) for r in rows)
        self._extras(child, start, end, rec, track, adoption, adopted_from, age0, reentry)
        # --- re-entry ------------------------------------------------------------------
        if rec in ("E4A", "E4B", "E13") and end < b18 - 120 and d.chance(0.14):
            back = end + d.int(30, 900)
            if back < b18 - 30 and back <= self.horizon:
                next_track = "home" if d.chance(0.6) else "long"
                self.run_period(child, back, next_track, cin, home, reentry=True)

    def _extras(self, child: dict, start: int, end: int, rec: str, track: str,
                adoption: dict | None, adopted_from: int | None, age0: int,
                reentry: bool) -> None:
        """Adoption records, previous permanence, missing, reviews, social workers."""
        d = self.d
        cid, dob = child["CHILD"], child["DOB"]
        if adoption is not None:
            ceased = adoption.get("ceased")
            reason = d.pick([("RD1", 0.4), ("RD2", 0.2), ("RD3", 0.2), ("RD4", 0.2)]) if ceased else None
            self.decisions.append((cid, adoption["decision"], ceased, reason))
            if rec in ("E11", "E12") and adopted_from is not None:
                nb = 2 if d.chance(0.82) else 1
                if nb == 2:
                    sex = d.pick([("MF", 0.85), ("MM", 0.07), ("FF", 0.08)])
                    ls_ad = d.pick([("L0", 0.75), ("L11", 0.12), ("L12", 0.08), ("L2", 0.05)])
                else:
                    sex = d.pick([("F1", 0.85), ("M1", 0.15)])
                    ls_ad = d.pick([("L4", 0.6), ("L3", 0.4)])
                self.ad1.append((cid, adoption["decision"], adoption["match"],
                                 "1" if adoption.get("foster_care") else "0", str(nb), sex,
                                 ls_ad, end))
        prev = d.pick([("Z1", 0.88), ("P1", 0.03), ("P2", 0.05), ("P3", 0.04)])
        if reentry and d.chance(0.3):
            prev = "Z1"
        if prev == "Z1":
            self.prev_perm.append((cid, start, "Z1", None, None))
        else:
            la = d.pick([("826", 0.7), ("825", 0.1), ("822", 0.1), ("940", 0.1)])
            when = max(dob + 30, start - d.int(200, 3000))
            self.prev_perm.append((cid, start, prev, la, when))
        # missing and away incidents (mostly 11+)
        a_end = min(end, self.horizon)
        runner = age0 >= 10 and d.chance(0.28)
        starts: set[int] = set()  # (CHILD, MIS_START) is unique
        for code, base in (("M", 5.0 if runner else 0.03), ("A", 1.2 if runner else 0.02)):
            days = a_end - max(start, birthday_ord(dob, 10))
            if days <= 0:
                continue
            count = int(d.rng.poisson(base * days / 365.25))
            for _ in range(min(count, 60)):
                s = max(start, birthday_ord(dob, 10)) + d.int(0, days - 1)
                if s in starts:
                    continue
                starts.add(s)
                length = 0 if d.chance(0.55) else int(min(d.rng.exponential(2.0), 40))
                self.missing.append((cid, code, s, s + length if d.chance(0.995) else None))
        # reviews
        day = start + d.int(14, 20)
        gap = d.int(80, 92)
        while day < a_end:
            code = "PN0" if age_years(dob, day) < 4 else d.pick(
                [("PN1", 0.62), ("PN2", 0.1), ("PN3", 0.08), ("PN4", 0.08), ("PN5", 0.05),
                 ("PN6", 0.04), ("PN7", 0.03)])
            self.reviews.append((cid, day, code))
            day += gap
            gap = d.int(160, 183)
        # social workers
        sday = start
        while sday < a_end:
            length = int(d.rng.exponential(420)) + 20
            worker = self.sw_ids[d.int(0, len(self.sw_ids) - 1)]
            stop = sday + length
            if stop >= end:
                self.sw.append((cid, worker, sday, end if end <= self.horizon else None, None))
                break
            self.sw.append((cid, worker, sday, stop, d.pick(SW_REASONS)))
            sday = stop
        # deprivation of liberty orders (recorded from 2026-27) for some in children's homes
        if track != "home" and age0 >= 12 and d.chance(0.04):
            dl_start = start + d.int(10, 200)
            if dl_start < a_end:
                self.dolo.append((cid, dl_start, min(dl_start + d.int(30, 300), end)))

    # ---- the whole history --------------------------------------------------------------
    def run(self) -> None:
        d = self.d
        # entries per year ~ size × 0.42 (mean stay ≈ 2.4 years), rising slowly
        for year_start in range(date.fromordinal(self.start).year, date.fromordinal(self.horizon).year + 1):
            ys = date(year_start, 4, 1).toordinal()
            trend = 1.0 + 0.01 * (year_start - 2015)
            n = int(d.rng.poisson(self.size * 0.37 * trend))
            for day in sorted(ys + int(x) for x in d.rng.integers(0, 365, size=n)):
                if day > self.horizon:
                    continue
                uasc = d.chance(UASC_SHARE * (1.5 if year_start >= 2021 else 1.0))
                remand = not uasc and d.chance(REMAND_SHARE)
                band = "16+" if uasc else d.pick(ENTRY_AGES)
                child = self.new_child(day, band, uasc, remand)
                track = self.track_for(band, uasc, remand)
                cin = "N8" if uasc else ("N6" if remand else d.pick(CIN_MIX[:-1]))
                self.run_period(child, day, track, cin, self.picker.pick("home"))
        self._short_breaks()

    def _short_breaks(self) -> None:
        """Disabled children on agreed series of short breaks (LS V3 single stays, V4 agreements)."""
        d = self.d
        n = max(2, self.size // 25)
        for _ in range(n):
            first = self.start + d.int(0, self.horizon - self.start)
            child = self.new_child(first, "5-9" if d.chance(0.5) else "10-15", False, False)
            b18 = birthday_ord(child["DOB"], 18)
            home = self.picker.pick("home")
            site = self.site("K2" if d.chance(0.6) else "U4", home)
            stop = min(b18 - 1, first + d.int(365, 6 * 365))
            if d.chance(0.5):  # V3: each stay is an episode (own period)
                day = first
                while day < stop:
                    length = d.int(1, 3)
                    self.episodes.append((child["CHILD"], day, "S", "V3", "N2", site.place,
                                          site.provider, day + length, "E4A", None, home,
                                          site.pl_post, site.urn))
                    day += length + d.int(20, 60)
            else:  # V4: one episode per agreement, renewed yearly
                day = first
                while day < stop:
                    until = min(stop, day + 365)
                    self.episodes.append((child["CHILD"], day, "S", "V4", "N2", site.place,
                                          site.provider, until, "E4A", None, home,
                                          site.pl_post, site.urn))
                    day = until + d.int(1, 20)


#: ordinal of 1970-01-01 (ordinals minus this are days since the Unix epoch)
EPOCH_ORDINAL = 719163


def ordinals_to_dates(values: pd.Series) -> pd.Series:
    """Day ordinals (None for missing) → ``datetime64[ns]`` (NaT for missing).

    Examples
    --------
    >>> ordinals_to_dates(pd.Series([ordinal("2024-03-31"), None])).tolist()
    [Timestamp('2024-03-31 00:00:00'), NaT]
    """
    days = pd.to_numeric(values, errors="coerce").astype("float64") - EPOCH_ORDINAL
    return pd.to_datetime(days, unit="D").astype("datetime64[ns]")


def _frame(rows: list[tuple], columns: list[str], dates: list[str]) -> pd.DataFrame:
    """Rows → DataFrame with ordinal columns turned into Timestamps."""
    frame = pd.DataFrame(rows, columns=columns)
    for col in dates:
        frame[col] = ordinals_to_dates(frame[col])
    return frame


def simulate(seed: int, size: int = 400, first_year: int = 2018,
             extract_date: str | pd.Timestamp = "2026-09-30", warmup_years: int = 18) -> Journeys:
    """Simulate a council's care journeys up to ``extract_date``.

    Parameters
    ----------
    seed
        random seed; the same seed gives the same council.
    size
        roughly the number of children looked after at any 31 March.
    first_year
        first collection year that will be written (history is simulated from
        ``warmup_years`` before it so that long stays are present).
    extract_date
        the last day the council's system knows about.
    """
    horizon = ordinal(extract_date)
    start = date(first_year - 1 - warmup_years, 4, 1).toordinal()
    sim = _Simulation(seed, size, start, horizon)
    sim.run()
    children = _frame([tuple(c.values()) for c in sim.children], list(sim.children[0]),
                      ["DOB", "DUC", "mother_day"])
    ep_cols = ["CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC",
               "REASON_PLACE_CHANGE", "HOME_POST", "PL_POST", "URN"]
    episodes = _frame(sim.episodes, ep_cols, ["DECOM", "DEC"])
    cut = pd.Timestamp(extract_date)
    episodes = episodes[episodes["DECOM"] <= cut].sort_values(["CHILD", "DECOM"], kind="stable")
    return Journeys(
        children=children,
        episodes=episodes.reset_index(drop=True),
        decisions=_frame(sim.decisions, ["CHILD", "DATE_PLACED", "DATE_PLACED_CEASED",
                                         "REASON_PLACED_CEASED"],
                         ["DATE_PLACED", "DATE_PLACED_CEASED"]),
        ad1=_frame(sim.ad1, ["CHILD", "DATE_INT", "DATE_MATCH", "FOSTER_CARE", "NB_ADOPTR",
                             "SEX_ADOPTR", "LS_ADOPTR", "adopted"],
                   ["DATE_INT", "DATE_MATCH", "adopted"]),
        prev_perm=_frame(sim.prev_perm, ["CHILD", "period_start", "PREV_PERM", "LA_PERM",
                                         "DATE_PERM"], ["period_start", "DATE_PERM"]),
        missing=_frame(sim.missing, ["CHILD", "MISSING", "MIS_START", "MIS_END"],
                       ["MIS_START", "MIS_END"]),
        reviews=_frame(sim.reviews, ["CHILD", "REVIEW", "REVIEW_CODE"], ["REVIEW"]),
        sw_episodes=_frame(sim.sw, ["CHILD", "SW_ID", "SW_DECOM", "SW_DEC", "SW_REASON"],
                           ["SW_DECOM", "SW_DEC"]),
        dolo=_frame(sim.dolo, ["CHILD", "DOLO_START", "DOLO_END"], ["DOLO_START", "DOLO_END"]),
        extract_date=cut,
        first_year=first_year,
        size=size,
        seed=seed,
    )
