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

from cppanalytics.ssda903.dataset import COLUMNS
from cppanalytics.synth.codes import (
    PLACE_SUCCESSOR,
    place_valid,
    retirement_day,
    sgo_codes,
    successor_valid,
)
from cppanalytics.synth.places import PostcodePicker

UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"

#: DfE's mix of ages at entry into care (share of children starting)
ENTRY_AGES: tuple[tuple[str, float], ...] = (
    ("under1", 0.19),
    ("1-4", 0.16),
    ("5-9", 0.17),
    ("10-15", 0.33),
    ("16+", 0.15),
)
#: share of entries who are unaccompanied asylum-seeking children (x1.6 from 2021, when the
#: national transfer scheme spread arrivals across councils)
UASC_SHARE = 0.08
#: share of entries on youth-justice remand
REMAND_SHARE = 0.02

ETHNIC_MIX: tuple[tuple[str, float], ...] = (
    ("WBRI", 0.64),
    ("WIRI", 0.005),
    ("WIRT", 0.005),
    ("WROM", 0.005),
    ("WOTH", 0.05),
    ("MWBC", 0.04),
    ("MWBA", 0.015),
    ("MWAS", 0.01),
    ("MOTH", 0.03),
    ("AIND", 0.01),
    ("APKN", 0.01),
    ("ABAN", 0.005),
    ("AOTH", 0.01),
    ("CHNE", 0.002),
    ("BCRB", 0.02),
    ("BAFR", 0.05),
    ("BOTH", 0.01),
    ("OOTH", 0.02),
    ("REFU", 0.004),
    ("NOBT", 0.004),
)
UASC_ETHNIC: tuple[tuple[str, float], ...] = (
    ("AOTH", 0.30),
    ("BAFR", 0.30),
    ("OOTH", 0.25),
    ("WOTH", 0.10),
    ("BOTH", 0.05),
)
CIN_MIX: tuple[tuple[str, float], ...] = (
    ("N1", 0.62),
    ("N2", 0.03),
    ("N3", 0.03),
    ("N4", 0.15),
    ("N5", 0.06),
    ("N6", 0.02),
    ("N7", 0.01),
    ("N8", 0.08),
)
#: reasons a placement ended (REASON_PLACE_CHANGE) for moves to a new carer
#: (England's mix of reasons, less same-carer changes "PLACE", which the journeys make)
MOVE_REASONS: tuple[tuple[str, float], ...] = (
    ("CARPL", 0.40),
    ("OTHER", 0.27),
    ("CREQB", 0.13),
    ("CREQO", 0.066),
    ("CHILD", 0.048),
    ("LAREQ", 0.023),
    ("STAND", 0.014),
    ("ALLEG", 0.011),
    ("CLOSE", 0.009),
    ("APPRR", 0.006),
)
#: DfE's reasons for a new social worker (SW_REASON): the first worker of a period of care
#: mostly arrives by transfer from the assessment team
SW_FIRST_REASONS: tuple[tuple[str, float], ...] = (("TSPROC", 0.7), ("MANAGE", 0.3))
#: the reason on the first social-worker episode after a gap (a child back in care after a
#: return home): the one reason DfE's rule SW10STG2 accepts after a gap of more than 7 days
SW_AFTER_GAP = "FCONTA"
#: ... and later changes (left the role, management decision, restructure, absence...)
SW_REASONS: tuple[tuple[str, float], ...] = (
    ("LEFTRL", 0.34),
    ("MANAGE", 0.22),
    ("TSPROC", 0.12),
    ("ORGRST", 0.07),
    ("FCONTA", 0.06),
    ("ABSENC", 0.06),
    ("CHCHAN", 0.04),
    ("PCCHAN", 0.03),
    ("OTHERS", 0.06),
)
#: reasons a period of care ends at 18 (non-UASC; UASC)
LEAVING_AT_18: tuple[tuple[str, float], ...] = (
    ("E17", 0.36),
    ("E5", 0.38),
    ("E6", 0.08),
    ("E7", 0.05),
    ("E8", 0.13),
)
LEAVING_AT_18_UASC: tuple[tuple[str, float], ...] = (
    ("E5", 0.55),
    ("E6", 0.15),
    ("E17", 0.15),
    ("E8", 0.1),
    ("E7", 0.05),
)
#: reasons a short stay ends (mostly home)
LEAVING_HOME: tuple[tuple[str, float], ...] = (
    ("E4A", 0.62),
    ("E4B", 0.14),
    ("E13", 0.14),
    ("E8", 0.05),
    ("E3", 0.03),
    ("E41", 0.02),
)
#: days from the placement order to matching, and from placement to the adoption order
ADOPTION_MATCH_DAYS = (30, 320)
ADOPTION_ORDER_DAYS = (150, 400)
#: who adopts (SEX_ADOPTR: M1/F1 single; MF, MM, FF couples) and their legal status, which
#: must agree with DfE's rules: L0 single; L11 married (different sex); L12 married (same
#: sex); L2 civil partners; L3 unmarried couple (different sex); L4 unmarried (same sex)
ADOPTERS: tuple[tuple[str, float], ...] = (
    ("MF", 0.70),
    ("MM", 0.05),
    ("FF", 0.07),
    ("F1", 0.15),
    ("M1", 0.03),
)
ADOPTER_STATUS: dict[str, tuple[tuple[str, float], ...]] = {
    "MF": (("L11", 0.75), ("L3", 0.2), ("L2", 0.05)),
    "MM": (("L12", 0.5), ("L4", 0.3), ("L2", 0.2)),
    "FF": (("L12", 0.5), ("L4", 0.3), ("L2", 0.2)),
    "M1": (("L0", 1.0),),
    "F1": (("L0", 1.0),),
}
#: share of children aged 10+ at entry who go missing repeatedly; their yearly rates
RUNNER_SHARE = 0.28
MISSING_RATE = 8.0
AWAY_RATE = 2.0
#: chance that any one review is held after DfE's timescale
REVIEW_LATE_SHARE = 0.08

TEMP_PLACES = frozenset({"T0", "T1", "T2", "T3", "T4"})
FOSTER = frozenset({"U1", "U2", "U3", "U4", "U5", "U6"})
ADOPTION_PLACES = frozenset({"A3", "A4", "A5", "A6"})
#: short-term foster placements and their long-term code with the same carer
LONG_TERM_OF: dict[str, str] = {"U3": "U1", "U6": "U4"}
#: events that must happen, so are moved to the next free day rather than dropped
DEFERRED_EVENTS = ("legal", "adopt", "migrate")
#: from this day supported accommodation (H5) is Ofsted-registered: H5 placements carry a
#: URN, and open ones are re-recorded with theirs (RNE T)
REGISTRATION_DAY = date(2023, 10, 28).toordinal()
#: the day an open placement of a retired type is re-recorded as its successor
#: (see :func:`cppanalytics.synth.codes.retirement_day`)
MIGRATIONS: dict[str, int] = {
    place: retirement_day(place).date().toordinal() for place in PLACE_SUCCESSOR
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

    def as_place(self, place: str) -> _Site:
        """The same carer recorded under another placement type."""
        return _Site(place, self.provider, self.pl_post, self.urn)


@dataclass
class _Period:
    """State of one period of care while :meth:`_Simulation.run_period` plays it out."""

    child: dict
    start: int
    track: str
    cin: str
    home_area: str  # the family home's postcode (HOME_POST, blank for UASC)
    reentry: bool = False
    ls: str = ""
    end: int = 0
    rec: str | None = None
    legal: list[tuple[int, str]] = field(default_factory=list)
    adoption: dict | None = None
    events: list[tuple[int, int, str, object]] = field(default_factory=list)
    seq: int = 0
    rows: list[list] = field(default_factory=list)
    current: _Site | None = None
    held: _Site | None = None
    placement_start: int = 0
    adoption_started: bool = False
    adopted_from: int | None = None
    temp_until: int = -1
    settle_until: int = -1  # no moves while under police protection or an EPO

    @property
    def dob(self) -> int:
        return self.child["DOB"]

    @property
    def b18(self) -> int:
        return birthday_ord(self.dob, 18)

    @property
    def age0(self) -> int:
        return age_years(self.dob, self.start)

    @property
    def uasc(self) -> bool:
        return bool(self.child["uasc"])

    @property
    def home(self) -> str | None:
        """HOME_POST as written: DfE asks for none for unaccompanied asylum seekers."""
        return None if self.uasc else self.home_area

    def push(self, day: int, kind: str, payload: object = None) -> None:
        """Queue an event strictly inside the period (moves wait for protection to end)."""
        if self.start < day < self.end and (kind == "legal" or day > self.settle_until):
            self.seq += 1
            heapq.heappush(self.events, (day, self.seq, kind, payload))


def year_of_ordinal(day: int) -> int:
    """Collection year (year of its 31 March) of a day ordinal.

    Examples
    --------
    >>> year_of_ordinal(ordinal("2025-03-31")), year_of_ordinal(ordinal("2025-04-01"))
    (2025, 2026)
    """
    d = date.fromordinal(day)
    return d.year + (d.month >= 4)


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
            "children": self.children,
            "episodes": self.episodes,
            "decisions": self.decisions,
            "ad1": self.ad1,
            "prev_perm": self.prev_perm,
            "missing": self.missing,
            "reviews": self.reviews,
            "sw_episodes": self.sw_episodes,
            "dolo": self.dolo,
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
        self.today = start  # the day being simulated (for placement details that changed)
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
        self.sw_ids = [
            f"SW{int(x):05d}"
            for x in self.rng.choice(90000, size=max(20, size // 6), replace=False) + 10000
        ]

    # ---- sites --------------------------------------------------------------------
    def _area(self, near_p: float, far_p: float) -> str:
        x = self.d.u()
        return "far" if x < far_p else ("near" if x < far_p + near_p else "home")

    def _home_site(self, i: int) -> tuple[str, str]:
        area = self._area(0.35, 0.35)
        return self.picker.pick(area), f"SC{self.d.int(100000, 999999)}"

    def site(self, place: str, home_post: str) -> _Site:
        """Provider, postcode and URN for a new placement of type ``place``.

        As DfE's rules require: temporary placements have a placement postcode; the council's
        own provision (PR1) other than foster care and adoption lies inside the council; a URN
        only for placements Ofsted registers.
        """
        if place == "P1":
            return _Site(place, "PR0", home_post, "XXXXXXX")
        for _ in range(5):  # never the family home's postcode unless placed with parents
            if place in TEMP_PLACES:
                site = _Site(place, None, self.picker.pick(self._area(0.3, 0.1)), "XXXXXXX")
            else:
                site = self._new_site(place)
            if site.provider == "PR1" and place not in FOSTER | ADOPTION_PLACES | TEMP_PLACES:
                site = _Site(place, "PR1", self.picker.pick("home"), site.urn)
            if site.pl_post != home_post:
                break
        return site

    def _new_site(self, place: str) -> _Site:
        """Provider, postcode and URN by placement type (before the own-provision rule)."""
        d = self.d
        if place in ("K1", "K2", "S1", "R1"):
            post, urn = self.homes[d.int(0, len(self.homes) - 1)]
            if place == "K1":
                post = self.picker.pick("far")
            provider = d.pick([("PR1", 0.2), ("PR4", 0.72), ("PR5", 0.08)])
            if place == "S1":
                urn = str(d.int(100000, 999999))
            elif place == "R1":
                urn = "XXXXXXX"
            return _Site(place, provider, post, urn)
        if place in ("H5", "K3", "P2"):  # supported accommodation: registered (URN) from 2023
            provider = d.pick([("PR4", 0.75), ("PR5", 0.1), ("PR1", 0.15)])
            registered = place == "K3" or (place == "H5" and self.today >= REGISTRATION_DAY)
            urn = f"2{d.int(100000, 999999)}" if registered else "XXXXXXX"
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
        # Z1 and Z11-Z14 ("other placements", which DfE wants without a provider)
        provider = None if place in ("Z1", "Z11", "Z12", "Z13", "Z14") else "PR4"
        return _Site(place, provider, self.picker.pick(self._area(0.3, 0.2)), "XXXXXXX")

    # ---- placement choice -------------------------------------------------------------
    def choose_place(self, age: int, track: str, day: int, uasc: bool, ls: str = "") -> str:
        """A placement type for a new placement at ``day`` (valid in its collection year).

        Never P1 (placed with parents) under section 20 (``ls`` V2), as DfE's rules require.
        """
        year = year_of_ordinal(day)
        semi = "K3" if place_valid("K3", year) else "H5"
        other = "Z14" if place_valid("Z14", year) else "Z1"
        if track == "remand":
            return "R5" if self.d.chance(0.7) else "K1"
        if age >= 16:
            if uasc:
                options = [(semi, 0.62), ("U6", 0.25), ("U4", 0.08), ("K2", 0.05)]
            else:
                options = [
                    ("U4", 0.30),
                    ("U6", 0.12),
                    ("U1", 0.05),
                    ("U3", 0.03),
                    ("K2", 0.14),
                    (semi, 0.27),
                    ("P1", 0.04),
                    ("R1", 0.01),
                    (other, 0.01),
                ]
                if day < MIGRATIONS["P2"]:
                    options.append(("P2", 0.03))
        elif age >= 11:
            options = [
                ("U4", 0.38),
                ("U6", 0.20),
                ("U1", 0.08),
                ("U3", 0.06),
                ("K2", 0.18),
                ("P1", 0.05),
                ("S1", 0.01),
                ("K1", 0.005),
                ("R1", 0.01),
                (other, 0.005),
            ]
            if uasc:
                options = [("U6", 0.6), ("U4", 0.3), ("K2", 0.1)]
        elif age >= 5:
            options = [
                ("U4", 0.46),
                ("U6", 0.24),
                ("U1", 0.10),
                ("U3", 0.08),
                ("K2", 0.04),
                ("P1", 0.07),
                ("S1", 0.01),
            ]
        else:
            options = [
                ("U4", 0.46),
                ("U6", 0.25),
                ("U1", 0.10),
                ("U3", 0.09),
                ("P1", 0.07),
                ("R3", 0.03),
            ]
        if track == "sgo":
            options = [(p, w * (4 if p in ("U1", "U3") else 1)) for p, w in options]
        if track == "adoption" and age < 2 and self.d.chance(0.2):
            return "U5" if self.d.chance(0.85) else "U2"
        if ls == "V2":
            options = [(p, w) for p, w in options if p != "P1"]
        # never a type already retired that day (Z1 in March 2025, before Z14 is valid)
        options = [(p, w) for p, w in options if MIGRATIONS.get(p, day + 1) > day]
        return self.d.pick(options)

    # ---- children -----------------------------------------------------------------------
    def new_child(self, entry: int, band: str, uasc: bool, remand: bool) -> dict:
        d = self.d
        if uasc:
            age_days = (
                d.int(14 * 365, 17 * 365 + 300)
                if d.chance(0.2)
                else d.int(16 * 365, 17 * 365 + 330)
            )
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
        body = (
            f"826{d.int(2000, 7999):04d}{date.fromordinal(dob).year % 100:02d}{d.int(1, 999):03d}"
        )
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
            "under1": [
                ("adoption", 0.42),
                ("sgo", 0.20),
                ("home", 0.20),
                ("long", 0.14),
                ("cao", 0.04),
            ],
            "1-4": [
                ("adoption", 0.26),
                ("sgo", 0.22),
                ("home", 0.28),
                ("long", 0.19),
                ("cao", 0.05),
            ],
            "5-9": [("sgo", 0.16), ("home", 0.36), ("long", 0.42), ("cao", 0.06)],
            "10-15": [("home", 0.45), ("long", 0.48), ("sgo", 0.05), ("cao", 0.02)],
            "16+": [("home", 0.40), ("long", 0.60)],
        }[band]
        return self.d.pick(options)

    # ---- the period of care: planned ending ------------------------------------------
    def _plan_uasc(self, p: _Period) -> None:
        """Unaccompanied asylum seekers: accommodated (V2) until 18 unless they leave earlier."""
        d = self.d
        p.ls = "V2"
        if d.chance(0.04):
            p.end, p.rec = p.start + d.int(20, 120), "E15"
        elif d.chance(0.04):
            p.end, p.rec = p.start + d.int(60, 500), "E8"
        else:
            p.end, p.rec = p.b18, d.pick(LEAVING_AT_18_UASC)

    def _plan_remand(self, p: _Period) -> None:
        """Youth-justice remand: J1 for weeks or J2 for a few days."""
        d = self.d
        p.ls = "J1" if d.chance(0.8) else "J2"
        p.end = p.start + (d.int(1, 3) if p.ls == "J2" else d.int(10, 120))
        p.rec = d.pick([("E14", 0.65), ("E9", 0.35)])

    def _plan_home(self, p: _Period) -> None:
        """Short stays ending at home; police protection (L1, at most 72 hours) or an EPO first."""
        d = self.d
        p.ls = "V2" if d.chance(0.75) else d.pick([("C1", 0.7), ("L1", 0.15), ("L2", 0.15)])
        p.end = p.start + int(min(d.rng.lognormal(np.log(110), 1.1), 3 * 365)) + 1
        p.rec = d.pick(LEAVING_HOME)
        if p.ls in ("L1", "L2"):
            p.settle_until = p.start + (d.int(1, 3) if p.ls == "L1" else d.int(1, 8))
            p.legal.append((p.settle_until, "C1"))

    def _plan_court(self, p: _Period) -> None:
        """Care proceedings: interim care (C1), then a final order (C2, or E1 for adoption)."""
        d = self.d
        p.ls = d.pick([("C1", 0.6), ("V2", 0.25), ("L2", 0.08), ("L1", 0.07)])
        first_c1 = p.start
        stays_s20 = False
        if p.ls in ("L1", "L2"):
            first_c1 = p.start + (d.int(1, 3) if p.ls == "L1" else d.int(1, 8))
            p.settle_until = first_c1
            p.legal.append((first_c1, "C1"))
        elif p.ls == "V2":
            first_c1 = p.start + d.int(30, 240)
            stays_s20 = p.age0 >= 12 and d.chance(0.6)  # many older children stay s20
            if not stays_s20:
                p.legal.append((first_c1, "C1"))
        final_hearing = first_c1 + d.int(180, 330)
        if p.track == "adoption":
            self._plan_adoption(p, final_hearing)
        elif not stays_s20:
            p.legal.append((final_hearing, "C2"))
        if p.track == "adoption":
            p.end, p.rec = p.adoption["adopted"], d.pick([("E11", 0.85), ("E12", 0.15)])
        elif p.track == "sgo":
            p.end, p.rec = final_hearing + d.int(60, 600), None  # code chosen at the end
        elif p.track == "cao":
            p.end, p.rec = final_hearing + d.int(30, 500), "E41"
        elif d.chance(0.22):  # long-term care that ends before 18
            p.end = p.start + d.int(400, 6 * 365)
            p.rec = d.pick(
                [
                    ("E4A", 0.45),
                    ("E4B", 0.15),
                    ("E13", 0.15),
                    ("E41", 0.1),
                    ("E8", 0.1),
                    ("E3", 0.05),
                ]
            )
        else:
            p.end, p.rec = p.b18, None

    def _plan_adoption(self, p: _Period, final_hearing: int) -> None:
        """Placement order (E1) at the final hearing; matching, placement and the adoption order.

        One plan in ten fails (the decision is reversed and the child stays or leaves by SGO).
        """
        d = self.d
        p.legal.append((final_hearing, "E1"))
        decision = p.start + d.int(100, 240)
        p.adoption = {"decision": min(decision, final_hearing - 7), "fails": d.chance(0.1)}
        if p.adoption["fails"]:
            p.adoption["ceased"] = final_hearing + d.int(30, 300)
            p.track = d.pick([("sgo", 0.5), ("long", 0.5)])
        else:
            p.adoption["match"] = final_hearing + d.int(*ADOPTION_MATCH_DAYS)
            p.adoption["placed"] = p.adoption["match"] + d.int(5, 28)
            p.adoption["adopted"] = p.adoption["placed"] + d.int(*ADOPTION_ORDER_DAYS)
            p.adoption["by_foster"] = d.chance(0.18)

    def _plan_ending(self, p: _Period) -> None:
        """Choose the legal status, the end of the period and the reason it ends."""
        plan = {"uasc": self._plan_uasc, "remand": self._plan_remand, "home": self._plan_home}
        plan.get(p.track, self._plan_court)(p)
        if p.end >= p.b18:
            p.end = p.b18
            p.rec = self.d.pick(LEAVING_AT_18)
        p.end = max(p.end, p.start + 1)
        if p.adoption is not None and p.adoption["fails"]:  # reversed while still in care;
            # the placement order is revoked (C2) in the same collection year
            ceased = p.adoption["ceased"] = min(p.adoption["ceased"], p.end)
            year_end = date(year_of_ordinal(ceased), 3, 31).toordinal()
            p.legal.append((min(ceased + self.d.int(1, 30), year_end), "C2"))

    # ---- the period of care: events ------------------------------------------------------
    def _schedule(self, p: _Period) -> None:
        """Queue legal changes, placement moves, temporary placements and code migrations."""
        d = self.d
        for day, new_ls in p.legal:
            p.push(day, "legal", new_ls)
        years = (p.end - p.start) / 365.25
        volatile = d.chance(0.22)  # a minority of children move often; most settle
        for k in range(int(np.ceil(years))):
            a = age_years(p.dob, p.start + int(k * 365.25))
            rate = 0.8 if a >= 13 else (0.65 if a >= 10 else 0.4)
            rate *= 2.0 if volatile else 0.5
            if p.track == "sgo":
                rate *= 0.6
            if k == 0:
                rate *= 1.8
            elif k >= 2 and not volatile:
                rate *= 0.22
            for _ in range(int(d.rng.poisson(rate))):
                p.push(p.start + int((k + d.u()) * 365.25), "move")
            if d.chance(0.07):
                p.push(p.start + int((k + d.u()) * 365.25), "temp")
        if p.adoption is not None and not p.adoption["fails"]:
            p.push(p.adoption["placed"], "adopt")
        for mday in sorted({*MIGRATIONS.values(), REGISTRATION_DAY}):
            p.push(mday, "migrate")

    def _open(self, p: _Period, day: int, rne: str, site: _Site, reason: str | None) -> None:
        """Close the current episode with X1 and open the next one.

        ``reason`` (REASON_PLACE_CHANGE) is recorded on the episode that ends, as DfE asks,
        when the placement or the carer's placement type changes (RNE P, B, T or U) and
        neither placement is temporary; it is blank otherwise.
        """
        if p.rows:
            last = p.rows[-1]
            last[7], last[8] = day, "X1"
            changes_place = rne in ("P", "B", "T", "U")
            temporary = last[5] in TEMP_PLACES or site.place in TEMP_PLACES
            last[9] = reason if changes_place and not temporary else None
        p.rows.append(
            [
                p.child["CHILD"],
                day,
                rne,
                p.ls,
                p.cin,
                site.place,
                site.provider,
                None,
                None,
                None,
                p.home,
                site.pl_post,
                site.urn,
            ]
        )
        p.current = site

    def _open_first(self, p: _Period) -> None:
        """The first episode of the period (RNE S)."""
        self.today = p.start
        place = self.choose_place(p.age0, p.track, p.start, p.uasc, p.ls)
        self._open(p, p.start, "S", self.site(place, p.home_area), None)
        p.placement_start = p.start
        if place in ("U3", "U6") and p.track not in ("home", "remand"):
            p.push(p.start + self.d.int(280, 520), "confirm", p.start)

    def _on_legal(self, p: _Period, day: int, payload: object, _legal: object) -> None:
        """A new legal status; sometimes with a move (RNE B) or the carer made long-term (U)."""
        d = self.d
        p.ls = str(payload)
        x = d.u()
        site = p.current
        if x < 0.12 and not p.adoption_started:  # e.g. final order with a move: RNE B
            site = self.site(
                self.choose_place(age_years(p.dob, day), p.track, day, p.uasc, p.ls), p.home_area
            )
        if site != p.current:  # a different placement (a redraw of the same one is no move)
            self._open(p, day, "B", site, d.pick(MOVE_REASONS))
            p.placement_start = day
        elif x < 0.4 and p.current.place in LONG_TERM_OF:  # carer made long-term: RNE U
            self._open(p, day, "U", p.current.as_place(LONG_TERM_OF[p.current.place]), "PLACE")
        else:
            self._open(p, day, "L", p.current, None)

    def _on_move(self, p: _Period, day: int, _payload: object, legal: object) -> None:
        """A move to a new carer (RNE P, or B with a same-day legal change)."""
        if p.adoption_started:  # no moves once placed for adoption; a legal change stands
            if legal:
                p.ls = str(legal)
                self._open(p, day, "L", p.current, None)
            return
        if legal:
            p.ls = str(legal)
        new_place = self.choose_place(age_years(p.dob, day), p.track, day, p.uasc, p.ls)
        site = self.site(new_place, p.home_area)
        if site == p.current:  # a move is to a different placement (else just the new status)
            if legal:
                self._open(p, day, "L", p.current, None)
            return
        self._open(p, day, "B" if legal else "P", site, self.d.pick(MOVE_REASONS))
        p.placement_start = day
        if new_place in ("U3", "U6") and p.track not in ("home", "remand"):
            p.push(day + self.d.int(280, 520), "confirm", day)

    def _on_confirm(self, p: _Period, day: int, payload: object, _legal: object) -> None:
        """A short-term foster placement confirmed as long-term (RNE T, same carer)."""
        if p.placement_start != payload or p.current.place not in LONG_TERM_OF:
            return
        self._open(p, day, "T", p.current.as_place(LONG_TERM_OF[p.current.place]), "PLACE")

    def _on_temp(self, p: _Period, day: int, _payload: object, _legal: object) -> None:
        """A temporary placement (T0-T4) of up to two weeks, then back to the same placement."""
        d = self.d
        if p.adoption_started:
            return
        tplace = d.pick([("T1", 0.35), ("T2", 0.15), ("T3", 0.3), ("T4", 0.15), ("T0", 0.05)])
        length = d.int(1, 7) if tplace == "T4" else d.int(2, 14)
        if day + length >= p.end or any(day <= m <= day + length + 1 for m in MIGRATIONS.values()):
            return  # the child returns to the same placement, so none spans a code change
        p.held = p.current
        self._open(p, day, "P", self.site(tplace, p.home_area), None)
        p.temp_until = day + length - 1
        p.push(day + length, "return")

    def _on_return(self, p: _Period, day: int, _payload: object, _legal: object) -> None:
        """Back from a temporary placement to the same placement (RNE P), as DfE requires."""
        self._open(p, day, "P", p.held if p.held is not None else p.current, None)
        p.temp_until = -1

    def _on_adopt(self, p: _Period, day: int, _payload: object, legal: object) -> None:
        """Placed for adoption: with the foster carer (RNE T/U) or new adopters (P/B)."""
        by_foster = p.adoption.get("by_foster") and p.current.place in FOSTER
        if legal:
            p.ls = str(legal)
        order = p.ls in ("E1", "D1")
        if by_foster:
            site = p.current.as_place("A5" if order else "A3")
            self._open(p, day, "U" if legal else "T", site, "PLACE")
        else:
            site = self.site("A6" if order else "A4", p.home_area)
            self._open(p, day, "B" if legal else "P", site, "CARPL")
        p.adoption_started = True
        p.adopted_from = day
        p.adoption["foster_care"] = bool(by_foster)

    def _on_migrate(self, p: _Period, day: int, _payload: object, _legal: object) -> None:
        """An open placement of a type DfE retired is re-recorded as its successor, and open
        supported accommodation with its URN once registered (RNE T, same carer). A child in
        a Z1 placement, whose successor is not valid yet, moves instead (RNE P)."""
        site = p.current
        if MIGRATIONS.get(site.place, day + 1) <= day:
            if not successor_valid(site.place, year_of_ordinal(day)):
                self._on_move(p, day, None, None)
                return
            site = site.as_place(PLACE_SUCCESSOR[site.place])
        if site.place in ("H5", "K3") and site.urn == "XXXXXXX" and day >= REGISTRATION_DAY:
            site = _Site(site.place, site.provider, site.pl_post, f"2{self.d.int(100000, 999999)}")
        if site != p.current:
            self._open(p, day, "T", site, "PLACE")

    def _play(self, p: _Period) -> None:
        """Play the queued events in date order (one new episode a day at most)."""
        handlers = {
            "legal": self._on_legal,
            "move": self._on_move,
            "confirm": self._on_confirm,
            "temp": self._on_temp,
            "return": self._on_return,
            "adopt": self._on_adopt,
            "migrate": self._on_migrate,
        }
        while p.events:
            day, _, kind, payload = heapq.heappop(p.events)
            if p.temp_until >= 0 and day <= p.temp_until + 1 and kind != "return":
                if kind in DEFERRED_EVENTS:  # after the return to the held placement
                    p.push(p.temp_until + 2, kind, payload)
                continue
            if day <= p.rows[-1][1]:  # never two episodes starting the same day
                if kind in (*DEFERRED_EVENTS, "return"):
                    p.push(p.rows[-1][1] + 1, kind, payload)
                continue
            legal = None  # a same-day legal change joins a move (RNE B or U)
            if (
                kind in ("move", "adopt")
                and p.events
                and p.events[0][0] == day
                and p.events[0][2] == "legal"
            ):
                legal = heapq.heappop(p.events)[3]
            self.today = day
            handlers[kind](p, day, payload, legal)

    def _close(self, p: _Period) -> None:
        """End the last episode with the period's reason; SGO codes suit the carer."""
        if p.rec is None:  # special guardianship: to former foster carers only from foster care
            codes = sgo_codes(year_of_ordinal(p.end))
            if len(codes) == 4 and p.current.place not in FOSTER:
                codes = codes[2:]
            p.rec = codes[self.d.int(0, len(codes) - 1)]
        p.rows[-1][7], p.rows[-1][8] = p.end, p.rec
        self.episodes.extend(tuple(r) for r in p.rows)

    def _maybe_reenter(self, p: _Period) -> None:
        """Some children who went home come back into care (a new period, RNE S)."""
        d = self.d
        if p.rec in ("E4A", "E4B", "E13") and p.end < p.b18 - 120 and d.chance(0.14):
            back = p.end + d.int(30, 900)
            if back < p.b18 - 30 and back <= self.horizon:
                next_track = "home" if d.chance(0.6) else "long"
                self.run_period(p.child, back, next_track, p.cin, p.home_area, reentry=True)

    def run_period(
        self, child: dict, start: int, track: str, cin: str, home: str, reentry: bool = False
    ) -> None:
        """Simulate one period of care from ``start`` and record its episodes and extras.

        Steps: plan the ending, queue events, open the first episode, play the events,
        close the last episode, write the period's other tables, maybe re-enter care.
        """
        p = _Period(child=child, start=start, track=track, cin=cin, home_area=home, reentry=reentry)
        self._plan_ending(p)
        self._schedule(p)
        self._open_first(p)
        self._play(p)
        self._close(p)
        self._extras(p)
        self._maybe_reenter(p)

    # ---- the period of care: other tables --------------------------------------------------
    def _adoption_records(self, p: _Period) -> None:
        """PlacedAdoption decisions and AD1 (adopters' number, sex and legal status agree)."""
        d = self.d
        cid = p.child["CHILD"]
        if p.adoption is None:
            return
        ceased = p.adoption.get("ceased")
        reason = (
            d.pick([("RD1", 0.4), ("RD2", 0.2), ("RD3", 0.2), ("RD4", 0.2)]) if ceased else None
        )
        self.decisions.append((cid, p.adoption["decision"], ceased, reason))
        if p.rec in ("E11", "E12") and p.adopted_from is not None:
            sex = d.pick(ADOPTERS)
            nb = "1" if sex in ("M1", "F1") else "2"
            ls_ad = d.pick(ADOPTER_STATUS[sex])
            self.ad1.append(
                (
                    cid,
                    p.adoption["decision"],
                    p.adoption["match"],
                    "1" if p.adoption.get("foster_care") else "0",
                    nb,
                    sex,
                    ls_ad,
                    p.end,
                )
            )

    def _prev_perm(self, p: _Period) -> None:
        """Previous permanence: the order (with council and date) a child left care by before."""
        d = self.d
        cid, dob = p.child["CHILD"], p.dob
        prev = d.pick([("Z1", 0.88), ("P1", 0.03), ("P2", 0.05), ("P3", 0.03), ("P4", 0.01)])
        if (p.reentry and d.chance(0.3)) or p.start - dob < 60:
            prev = "Z1"
        if prev == "Z1":
            self.prev_perm.append((cid, p.start, "Z1", None, None))
            return
        la = d.pick([("826", 0.7), ("825", 0.1), ("822", 0.1), ("823", 0.1)])
        when = max(dob + 30, p.start - d.int(200, 3000))
        self.prev_perm.append((cid, p.start, prev, la, when))

    def _missing(self, p: _Period) -> None:
        """Missing and away incidents (mostly 11+), never overlapping, closed when care ends."""
        d = self.d
        cid = p.child["CHILD"]
        a_end = min(p.end, self.horizon)
        runner = p.age0 >= 10 and d.chance(RUNNER_SHARE)
        first = max(p.start, birthday_ord(p.dob, 10))
        days = a_end - first
        if days <= 0:
            return
        starts: list[tuple[int, str]] = []
        for code, base in (
            ("M", MISSING_RATE if runner else 0.03),
            ("A", AWAY_RATE if runner else 0.02),
        ):
            count = int(d.rng.poisson(base * days / 365.25))
            starts += [(first + d.int(0, days - 1), code) for _ in range(min(count, 60))]
        free_from = first
        for s, code in sorted(starts):
            if s < free_from:
                continue
            length = 0 if d.chance(0.55) else int(min(d.rng.exponential(2.0), 40))
            stop = s + length
            if stop >= p.end or year_of_ordinal(stop) != year_of_ordinal(s):
                continue  # back before care ended, and within the collection year
            still_missing = stop > self.horizon  # open only in the in-year extract
            self.missing.append((cid, code, s, None if still_missing else stop))
            free_from = stop + 1

    def _reviews(self, p: _Period) -> None:
        """Reviews: the first within 20 working days, the second within 3 months, then 6-monthly.

        A share of reviews is late (held after the timescale), as in real councils.
        """
        d = self.d
        cid, dob = p.child["CHILD"], p.dob
        a_end = min(p.end, self.horizon)
        late = d.chance(REVIEW_LATE_SHARE)
        day = p.start + (d.int(29, 45) if late else d.int(14, 27))
        gaps = iter(range(1000))
        while day < a_end:
            code = (
                "PN0"
                if age_years(dob, day) < 4
                else d.pick(
                    [
                        ("PN1", 0.62),
                        ("PN2", 0.1),
                        ("PN3", 0.08),
                        ("PN4", 0.08),
                        ("PN5", 0.05),
                        ("PN6", 0.04),
                        ("PN7", 0.03),
                    ]
                )
            )
            self.reviews.append((cid, day, code))
            late = d.chance(REVIEW_LATE_SHARE)
            if next(gaps) == 0:  # 3 months is at least 89 days; 6 months at least 181
                day += d.int(93, 120) if late else d.int(75, 88)
            else:
                day += d.int(185, 230) if late else d.int(150, 180)

    def _social_workers(self, p: _Period) -> None:
        """Social-worker episodes: each carries DfE's reason for the (new) social worker.

        The episodes of a period follow each other without a gap, and one is open at the
        extract date while the child is in care (DfE rules SW10STG2, SW17STG2: a worker
        whose episode would end on the extract date stays a day longer). After a return
        home the first worker of the new period carries ``FCONTA``, the reason DfE's rule
        SW10STG2 accepts after a gap between social-worker episodes.
        """
        d = self.d
        cid = p.child["CHILD"]
        a_end = min(p.end, self.horizon)
        sday = p.start
        reason = d.pick(SW_FIRST_REASONS)
        if p.reentry:
            reason = SW_AFTER_GAP
        while sday < a_end:
            length = int(d.rng.exponential(420)) + 20
            worker = self.sw_ids[d.int(0, len(self.sw_ids) - 1)]
            stop = sday + length + (sday + length == self.horizon)
            if stop >= p.end:
                self.sw.append(
                    (cid, worker, sday, p.end if p.end <= self.horizon else None, reason)
                )
                break
            self.sw.append((cid, worker, sday, stop, reason))
            sday, reason = stop, d.pick(SW_REASONS)

    def _dolo(self, p: _Period) -> None:
        """Deprivation of liberty orders (recorded from 2026-27) for a few older children."""
        d = self.d
        if p.track != "home" and p.age0 >= 12 and d.chance(0.04):
            dl_start = p.start + d.int(10, 200)
            if dl_start < min(p.end, self.horizon):
                self.dolo.append(
                    (p.child["CHILD"], dl_start, min(dl_start + d.int(30, 300), p.end))
                )

    def _extras(self, p: _Period) -> None:
        """The period's adoption records, previous permanence, missing, reviews, social workers."""
        self._adoption_records(p)
        self._prev_perm(p)
        self._missing(p)
        self._reviews(p)
        self._social_workers(p)
        self._dolo(p)

    # ---- the whole history --------------------------------------------------------------
    def run(self) -> None:
        d = self.d
        # entries per year ~ size × 0.42 (mean stay ≈ 2.4 years), rising slowly
        for year_start in range(
            date.fromordinal(self.start).year, date.fromordinal(self.horizon).year + 1
        ):
            ys = date(year_start, 4, 1).toordinal()
            trend = 1.0 + 0.01 * (year_start - 2015)
            n = int(d.rng.poisson(self.size * 0.37 * trend))
            for day in sorted(ys + int(x) for x in d.rng.integers(0, 365, size=n)):
                if day > self.horizon:
                    continue
                uasc = d.chance(UASC_SHARE * (1.6 if year_start >= 2021 else 1.0))
                remand = not uasc and d.chance(REMAND_SHARE)
                band = "16+" if uasc else d.pick(ENTRY_AGES)
                child = self.new_child(day, band, uasc, remand)
                track = self.track_for(band, uasc, remand)
                cin = "N8" if uasc else ("N6" if remand else d.pick(CIN_MIX[:-1]))
                self.run_period(child, day, track, cin, self.picker.pick("home"))
        self._short_breaks()

    def _short_breaks(self) -> None:
        """Disabled children on agreed series of short breaks (LS V3 single stays, V4 agreements).

        As DfE asks, short breaks are never in long-term foster placements (U1/U4) and carry no
        postcodes (so no distance) or URN; each stay or agreement starts a period, so has a
        previous-permanence row (Z1).
        """
        d = self.d
        n = max(4, self.size // 8)  # a few each year, as in real returns
        for _ in range(n):
            first = self.start + d.int(0, self.horizon - self.start)
            child = self.new_child(first, "5-9" if d.chance(0.5) else "10-15", False, False)
            b18 = birthday_ord(child["DOB"], 18)
            site = self.site("K2" if d.chance(0.6) else "U6", self.picker.pick("home"))
            stop = min(b18 - 1, first + d.int(365, 6 * 365))
            if d.chance(0.5):  # V3: each stay is an episode (own period)
                day = first
                while day < stop:
                    length = d.int(1, 3)
                    self.episodes.append(
                        (
                            child["CHILD"],
                            day,
                            "S",
                            "V3",
                            "N2",
                            site.place,
                            site.provider,
                            day + length,
                            "E4A",
                            None,
                            None,
                            None,
                            None,
                        )
                    )
                    self.prev_perm.append((child["CHILD"], day, "Z1", None, None))
                    day += length + d.int(20, 60)
            else:  # V4: one episode per agreement, renewed yearly
                day = first
                while day < stop:
                    until = min(stop, day + 365)
                    self.episodes.append(
                        (
                            child["CHILD"],
                            day,
                            "S",
                            "V4",
                            "N2",
                            site.place,
                            site.provider,
                            until,
                            "E4A",
                            None,
                            None,
                            None,
                            None,
                        )
                    )
                    self.prev_perm.append((child["CHILD"], day, "Z1", None, None))
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


def simulate(
    seed: int,
    size: int = 400,
    first_year: int = 2018,
    extract_date: str | pd.Timestamp = "2026-09-30",
    warmup_years: int = 18,
) -> Journeys:
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
    children = _frame(
        [tuple(c.values()) for c in sim.children],
        list(sim.children[0]),
        ["DOB", "DUC", "mother_day"],
    )
    ep_cols = list(COLUMNS["episodes"])
    episodes = _frame(sim.episodes, ep_cols, ["DECOM", "DEC"])
    cut = pd.Timestamp(extract_date)
    episodes = episodes[episodes["DECOM"] <= cut].sort_values(["CHILD", "DECOM"], kind="stable")
    return Journeys(
        children=children,
        episodes=episodes.reset_index(drop=True),
        decisions=_frame(
            sim.decisions,
            ["CHILD", "DATE_PLACED", "DATE_PLACED_CEASED", "REASON_PLACED_CEASED"],
            ["DATE_PLACED", "DATE_PLACED_CEASED"],
        ),
        ad1=_frame(
            sim.ad1,
            [
                "CHILD",
                "DATE_INT",
                "DATE_MATCH",
                "FOSTER_CARE",
                "NB_ADOPTR",
                "SEX_ADOPTR",
                "LS_ADOPTR",
                "adopted",
            ],
            ["DATE_INT", "DATE_MATCH", "adopted"],
        ),
        prev_perm=_frame(
            sim.prev_perm,
            ["CHILD", "period_start", "PREV_PERM", "LA_PERM", "DATE_PERM"],
            ["period_start", "DATE_PERM"],
        ),
        missing=_frame(
            sim.missing, ["CHILD", "MISSING", "MIS_START", "MIS_END"], ["MIS_START", "MIS_END"]
        ),
        reviews=_frame(sim.reviews, ["CHILD", "REVIEW", "REVIEW_CODE"], ["REVIEW"]),
        sw_episodes=_frame(
            sim.sw, ["CHILD", "SW_ID", "SW_DECOM", "SW_DEC", "SW_REASON"], ["SW_DECOM", "SW_DEC"]
        ),
        dolo=_frame(sim.dolo, ["CHILD", "DOLO_START", "DOLO_END"], ["DOLO_START", "DOLO_END"]),
        extract_date=cut,
        first_year=first_year,
        size=size,
        seed=seed,
    )
