"""Cut simulated journeys into yearly SSDA903 returns, as a council's files would hold them.

For collection year ``Y`` (1 April Y-1 to 31 March Y, or to the extract date for the
in-year extract) the return holds, per DfE practice:

- **episodes** open at any time in the year (an episode open at 31 March appears again
  next year); an end date after the cut-off is not yet known, so DEC and REC are blank;
- **header** and **uasc** rows for those children (SEX coded 1/2 or M/F by year; MOTHER
  for every girl looked after in the year, not on short breaks only);
- **oc2** for children looked after continuously for 12 months at 31 March as DfE's rules
  judge it (in care since 1 April of the year before, not left by the cut-off; V3/V4
  short breaks excluded), with health outcomes drawn for that year and the items each
  age needs at that 31 March (the in-year extract too);
- **oc3** for care leavers whose 17th–21st birthday falls in the year;
- **ad1** for children adopted in the year; **placed_adoption** for children in the
  year's episodes with a decision to place for adoption made by the cut-off;
- **prev_perm** for children starting a period of care in the year; **missing**,
  **reviews** in the year; **sw_episodes** (from 2023-24) and **dolo** (from 2026-27)
  overlapping the year.

All values are text in DfE's CSV layout (dates ``dd/mm/YYYY``).

Examples
--------
>>> from cppanalytics.synth.journeys import simulate
>>> j = simulate(seed=3, size=60, first_year=2024, extract_date="2024-09-30")
>>> tables = year_return(j, 2025)
>>> sorted(tables)[:4]
['ad1', 'episodes', 'header', 'missing']
>>> set(tables["oc3"]["CHILD"]) <= set(tables["header"]["CHILD"])
True
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cppanalytics.dates import age_at, birthday
from cppanalytics.ssda903.dataset import COLUMNS
from cppanalytics.synth.codes import DOLO_FROM, SWEPISODES_FROM, eet_codes, sex_code
from cppanalytics.synth.journeys import Journeys

SHORT_BREAKS = ("V3", "V4")
#: REC codes after which a young person is not a care leaver for OC3
NOT_CARE_LEAVER_RECS = frozenset(
    {"E11", "E12", "E41", "E43", "E44", "E45", "E46", "E47", "E48", "E2", "E15", "E16", "E3"}
)


def fmt_dates(values: pd.Series) -> pd.Series:
    """Dates → ``dd/mm/YYYY`` text, missing → empty string.

    Examples
    --------
    >>> fmt_dates(pd.Series(pd.to_datetime(["2024-03-31", None]))).tolist()
    ['31/03/2024', '']
    """
    out = pd.to_datetime(values).dt.strftime("%d/%m/%Y")
    return out.fillna("").astype(object)


def year_bounds(journeys: Journeys, year: int) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First day and cut-off (31 March, or the extract date if earlier) of a collection year."""
    start = pd.Timestamp(year=year - 1, month=4, day=1)
    end = min(pd.Timestamp(year=year, month=3, day=31), journeys.extract_date)
    return start, end


def periods(episodes: pd.DataFrame) -> pd.DataFrame:
    """Episodes (V3/V4 dropped) with ``period_start`` and ``period_end`` of their period of care.

    In the simulation every period starts with RNE S and its episodes are contiguous.
    ``period_end`` is NaT while the period is open.
    """
    eps = episodes[~episodes["LS"].isin(SHORT_BREAKS)].sort_values(["CHILD", "DECOM"])
    pid = (eps["RNE"] == "S").cumsum()
    grouped = eps.groupby(pid)
    out = eps.assign(period=pid.to_numpy())
    out["period_start"] = grouped["DECOM"].transform("min")
    open_ = eps["DEC"].isna().groupby(pid).transform("any").astype(bool)
    out["period_end"] = grouped["DEC"].transform("max").where(~open_)
    return out


def _seeded(journeys: Journeys, year: int, stream: int) -> np.random.Generator:
    return np.random.default_rng([journeys.seed, year, stream])


def _episodes(journeys: Journeys, start: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame:
    eps = journeys.episodes
    keep = (eps["DECOM"] <= end) & (eps["DEC"].isna() | (eps["DEC"] >= start))
    out = eps[keep].copy()
    unknown = out["DEC"] > end
    out["DEC"] = out["DEC"].mask(unknown)
    out["REC"] = out["REC"].mask(unknown | out["DEC"].isna())
    # the reason for a placement change belongs to the episode that ended: not yet known
    out["REASON_PLACE_CHANGE"] = out["REASON_PLACE_CHANGE"].mask(out["REC"].isna())
    return out


def _header(
    journeys: Journeys, children: pd.Index, year: int, end: pd.Timestamp, looked_after: pd.Index
) -> pd.DataFrame:
    """Header rows; MOTHER for every girl looked after in the year (not on short breaks only).

    DfE asks for MOTHER (``1`` if she is a mother, else ``0``) for each girl with an episode
    other than V3/V4 in the year, and for none on a care leaver's row when she was not looked
    after in the year.
    """
    kids = journeys.children.set_index("CHILD").loc[children].reset_index()
    female = (kids["SEX"] == "2").to_numpy()
    applies = female & kids["CHILD"].isin(looked_after).to_numpy()
    mother = (kids["mother_day"].notna() & (kids["mother_day"] <= end)).to_numpy()
    return pd.DataFrame(
        {
            "CHILD": kids["CHILD"],
            "SEX": [sex_code(s, year) for s in kids["SEX"]],
            "DOB": fmt_dates(kids["DOB"]),
            "ETHNIC": kids["ETHNIC"],
            "UPN": kids["UPN"],
            "MOTHER": np.where(applies, np.where(mother, "1", "0"), ""),
            "MC_DOB": fmt_dates(kids["mother_day"].where(applies & mother)),
        }
    )


def _oc2(
    journeys: Journeys, eps_periods: pd.DataFrame, year: int, end: pd.Timestamp
) -> pd.DataFrame:
    """OC2 rows for children looked after continuously for 12 months at 31 March of ``year``.

    DfE's rules judge this as in care since 1 April of the year before (a period of care
    starting that day counts) with no exit before 31 March: a child leaving on 31 March
    still counts. For the in-year extract (``end`` before 31 March) that is in care since
    1 April and not left by ``end``; ages are those at 31 March of ``year`` in both cases,
    as DfE's age rules for each item read them.
    """
    year_start = pd.Timestamp(year=year - 1, month=4, day=1)
    year_end = pd.Timestamp(year=year, month=3, day=31)
    dec = eps_periods["DEC"]
    stays = dec.isna() | (dec > end) | (dec >= year_end)
    at_end = eps_periods[(eps_periods["DECOM"] <= end) & stays]
    cohort = at_end[at_end["period_start"] <= year_start].drop_duplicates("CHILD")
    kids = journeys.children.set_index("CHILD").loc[cohort["CHILD"]].reset_index()
    n = len(kids)
    rng = _seeded(journeys, year, 2)
    age = age_at(kids["DOB"], year_end).to_numpy(dtype="float64", na_value=np.nan)
    # age the day before the year starts: a 17th birthday on 1 April is "turned 17 in the year"
    age_start = age_at(kids["DOB"], pd.Timestamp(year=year - 1, month=3, day=31)).to_numpy(
        dtype="float64", na_value=np.nan
    )

    def flag(p: float | np.ndarray, applies: np.ndarray | None = None) -> np.ndarray:
        values = np.where(rng.random(n) < p, "1", "0").astype(object)
        if applies is not None:
            values[~applies] = ""
        return values

    # DfE: a score, or a reason for none, for children aged 4-16; SDQ1 (too young or too
    # old) for those who turned 17 in the year; nothing for those 17 all year
    sdq_age = (age >= 4) & (age <= 16)
    has_sdq = sdq_age & (rng.random(n) < 0.78)
    score = np.clip(np.rint(rng.normal(14.0, 7.0, n) + np.where(age >= 11, 1.0, -1.0)), 0, 40)
    reasons = rng.choice(["SDQ2", "SDQ3", "SDQ4", "SDQ5"], n, p=[0.15, 0.2, 0.45, 0.2])
    turned_17 = (age >= 17) & (age_start < 17)  # SDQ1: none for those 17 all year
    reasons = np.where(turned_17, "SDQ1", reasons)
    misuse = flag(np.where(age >= 11, 0.06, 0.004))
    received = flag(0.6, misuse == "1")
    offered = np.where(received == "0", flag(0.4), "").astype(object)
    offered[misuse != "1"] = ""
    teeth_p = 0.45 if year == 2021 else 0.8  # dental checks fell during the pandemic
    return pd.DataFrame(
        {
            "CHILD": kids["CHILD"],
            "DOB": fmt_dates(kids["DOB"]),
            "SDQ_SCORE": np.where(has_sdq, score.astype(int).astype(str), ""),
            "SDQ_REASON": np.where((sdq_age & ~has_sdq) | turned_17, reasons, ""),
            "CONVICTED": flag(0.03, age >= 10),
            "HEALTH_CHECK": flag(0.88, age < 5),
            "IMMUNISATIONS": flag(0.86),
            "TEETH_CHECK": flag(teeth_p),
            "HEALTH_ASSESSMENT": flag(0.89),
            "SUBSTANCE_MISUSE": misuse,
            "INTERVENTION_RECEIVED": received,
            "INTERVENTION_OFFERED": offered,
        }
    )


def care_leavers(journeys: Journeys) -> pd.DataFrame:
    """Young people who left care as care leavers: CHILD, DOB, left (date), one row each.

    A care leaver here: their last period of care ended after their 16th birthday,
    they were looked after for at least 13 weeks after their 14th birthday, and they did not
    leave by adoption, special guardianship, a child arrangements order, death, transfer or
    an age assessment.
    """
    eps = periods(journeys.episodes)
    last = eps.sort_values(["CHILD", "DECOM"]).drop_duplicates("CHILD", keep="last")
    last = last[last["period_end"].notna()]
    dob = journeys.children.set_index("CHILD")["DOB"].reindex(last["CHILD"]).to_numpy()
    b14 = birthday(pd.Series(dob), 14).to_numpy()
    b16 = birthday(pd.Series(dob), 16).to_numpy()
    start = np.maximum(last["period_start"].to_numpy(), b14)
    days_after_14 = (last["period_end"].to_numpy() - start) / np.timedelta64(1, "D")
    keep = (
        (last["period_end"].to_numpy() > b16)  # in care after the 16th birthday (DfE 1001)
        & (days_after_14 >= 91)
        & ~last["REC"].isin(NOT_CARE_LEAVER_RECS).to_numpy()
    )
    out = last[keep]
    return pd.DataFrame(
        {"CHILD": out["CHILD"].to_numpy(), "DOB": dob[keep], "left": out["period_end"].to_numpy()}
    )


#: yearly chance that a care leaver aged 17-21 is reported to have died
DIED_SHARE = 0.003


def _died(journeys: Journeys, leavers: pd.DataFrame, cohort: pd.DataFrame) -> np.ndarray:
    """Whether each cohort row's young person has died by their birthday of the year.

    Each care leaver draws once (a stream of their own, the same in every year's return)
    whether and at which birthday (17-21) they are first reported dead; from then on every
    return says so.
    """
    u = pd.Series(np.random.default_rng([journeys.seed, 5]).random(len(leavers)), leavers.index)
    death_age = 17 + np.floor(u.loc[cohort.index].to_numpy() / DIED_SHARE)
    return cohort["age"].to_numpy() >= death_age


def _oc3(
    journeys: Journeys, leavers: pd.DataFrame, year: int, start: pd.Timestamp, end: pd.Timestamp
) -> pd.DataFrame:
    """OC3 rows for care leavers with their 17th-21st birthday in the year (after leaving)."""
    parts = []
    for age in range(17, 22):
        bday = birthday(leavers["DOB"], age)
        hit = (bday >= start) & (bday <= end) & (leavers["left"] < bday)
        parts.append(leavers[hit].assign(age=age))
    cohort = pd.concat(parts).sort_values(["CHILD", "age"]).drop_duplicates("CHILD")
    n = len(cohort)
    rng = _seeded(journeys, year, 3)
    young = (cohort["age"] <= 18).to_numpy()
    touch_p = np.array([0.9, 0.04, 0.02, 0.02, 0.017])
    touch = rng.choice(["YES", "NO", "REFU", "NREQ", "RHOM"], n, p=touch_p / touch_p.sum())
    # a young person reported dead stays so in every later return (DfE rule 348)
    touch = np.where(_died(journeys, leavers, cohort), "DIED", touch)
    eet = eet_codes(year)
    eet_p = np.where(young, 0.64, 0.54)
    x = rng.random(n)
    neet = rng.choice(["G4", "G5", "G6"], n, p=[0.2, 0.6, 0.2])
    activ = np.where(x < eet_p, rng.choice(list(eet), n), neet)
    suitable = rng.random(n) < np.where(young, 0.9, 0.87)
    good = rng.choice(list("ZDBUEKTCY"), n, p=[0.16, 0.2, 0.15, 0.18, 0.12, 0.06, 0.05, 0.04, 0.04])
    # DfE: not with former foster carers (Z) around the 17th birthday, and not in a foyer
    # (T) while under 18 at the start of the year (rule 347): semi-independent (D) instead
    age = cohort["age"].to_numpy()
    good = np.where((good == "Z") & (age == 17), "D", good)
    good = np.where((good == "T") & (age <= 18), "D", good)
    bad = rng.choice(list("BUKSVWX"), n, p=[0.2, 0.2, 0.15, 0.1, 0.1, 0.1, 0.15])
    accom = np.where(
        suitable, np.char.add(good.astype(str), "1"), np.char.add(bad.astype(str), "2")
    )
    # in touch (YES): a real activity and accommodation; otherwise none known (0)
    no_info = touch != "YES"
    activ = np.where(no_info, "0", activ)
    accom = np.where(no_info, "0", accom)
    return pd.DataFrame(
        {
            "CHILD": cohort["CHILD"].to_numpy(),
            "DOB": fmt_dates(pd.Series(cohort["DOB"].to_numpy())).to_numpy(),
            "IN_TOUCH": touch,
            "ACTIV": activ,
            "ACCOM": accom,
        }
    )


def _with_dob(journeys: Journeys, frame: pd.DataFrame) -> pd.DataFrame:
    dob = journeys.children.set_index("CHILD")["DOB"]
    return frame.assign(DOB=fmt_dates(frame["CHILD"].map(dob)))


def _text(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    """Format dates and order the DfE columns of ``table``."""
    out = frame.copy()
    for col in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[col]):
            out[col] = fmt_dates(out[col])
    out = out.reindex(columns=COLUMNS[table])
    return out.astype(object).where(out.notna(), "").reset_index(drop=True)


def year_return(
    journeys: Journeys,
    year: int,
    leavers: pd.DataFrame | None = None,
    history: pd.DataFrame | None = None,
) -> dict[str, pd.DataFrame]:
    """The 903 tables (DfE CSV text) of collection ``year``.

    ``leavers`` may pass :func:`care_leavers` and ``history`` ``periods(journeys.episodes)``
    (each computed once for many years).
    """
    start, end = year_bounds(journeys, year)
    eps = _episodes(journeys, start, end).sort_values(["CHILD", "DECOM"])
    children = pd.Index(eps["CHILD"].drop_duplicates())
    out: dict[str, pd.DataFrame] = {}
    out["episodes"] = _text(eps, "episodes")
    kids = journeys.children.set_index("CHILD").loc[children].reset_index()
    uasc = kids[kids["uasc"].astype(bool)]
    out["uasc"] = _text(uasc.assign(SEX=[sex_code(s, year) for s in uasc["SEX"]]), "uasc")
    history = periods(journeys.episodes) if history is None else history
    out["oc2"] = _text(_oc2(journeys, history, year, end), "oc2")
    leavers = care_leavers(journeys) if leavers is None else leavers
    out["oc3"] = _text(_oc3(journeys, leavers, year, start, end), "oc3")
    # the header holds every child of the year's tables: care leavers in OC3 too
    everyone = children.union(pd.Index(out["oc3"]["CHILD"]), sort=False)
    looked_after = pd.Index(eps.loc[~eps["LS"].isin(SHORT_BREAKS), "CHILD"].unique())
    out["header"] = _text(
        _header(journeys, everyone, year, end, looked_after).sort_values("CHILD"), "header"
    )
    ad1 = journeys.ad1[(journeys.ad1["adopted"] >= start) & (journeys.ad1["adopted"] <= end)]
    out["ad1"] = _text(_with_dob(journeys, ad1), "ad1")
    dec = journeys.decisions
    dec = dec[dec["CHILD"].isin(children) & (dec["DATE_PLACED"] <= end)].copy()
    late = dec["DATE_PLACED_CEASED"] > end
    dec["DATE_PLACED_CEASED"] = dec["DATE_PLACED_CEASED"].mask(late)
    dec["REASON_PLACED_CEASED"] = dec["REASON_PLACED_CEASED"].mask(
        late | dec["DATE_PLACED_CEASED"].isna()
    )
    dec = dec[dec["DATE_PLACED_CEASED"].isna() | (dec["DATE_PLACED_CEASED"] >= start)]
    out["placed_adoption"] = _text(_with_dob(journeys, dec), "placed_adoption")
    prev = journeys.prev_perm
    prev = prev[(prev["period_start"] >= start) & (prev["period_start"] <= end)]
    out["prev_perm"] = _text(
        _with_dob(journeys, prev.drop_duplicates("CHILD", keep="last")), "prev_perm"
    )
    mis = journeys.missing
    mis = mis[(mis["MIS_START"] >= start) & (mis["MIS_START"] <= end)].copy()
    mis["MIS_END"] = mis["MIS_END"].mask(mis["MIS_END"] > end)
    out["missing"] = _text(_with_dob(journeys, mis.sort_values(["CHILD", "MIS_START"])), "missing")
    rev = journeys.reviews
    rev = rev[(rev["REVIEW"] >= start) & (rev["REVIEW"] <= end)]
    out["reviews"] = _text(_with_dob(journeys, rev.sort_values(["CHILD", "REVIEW"])), "reviews")
    if year >= SWEPISODES_FROM:
        sw = journeys.sw_episodes
        sw = sw[
            (sw["SW_DECOM"] <= end)
            & (sw["SW_DEC"].isna() | (sw["SW_DEC"] >= start))
            & sw["CHILD"].isin(children)
        ].copy()
        late = sw["SW_DEC"] > end
        sw["SW_DEC"] = sw["SW_DEC"].mask(late)  # SW_REASON is why the episode began: kept
        out["sw_episodes"] = _text(
            _with_dob(journeys, sw.sort_values(["CHILD", "SW_DECOM"])), "sw_episodes"
        )
    if year >= DOLO_FROM:
        dl = journeys.dolo
        dl = dl[
            (dl["DOLO_START"] <= end) & (dl["DOLO_END"].isna() | (dl["DOLO_END"] >= start))
        ].copy()
        dl["DOLO_END"] = dl["DOLO_END"].mask(dl["DOLO_END"] > end)
        out["dolo"] = _text(_with_dob(journeys, dl), "dolo")
    return out
