"""Sentences generated from the data (never typed by hand), for tiles, sections and titles.

Every sentence takes its numbers from a results or ``judge()`` row and formats them with
:mod:`cppanalytics.presentation.formatting`, so the words always agree with the tables.
Comparisons with a target use the *displayed* (rounded) figures: a value shown as 10% is
"in line with" a target of 10%.

Examples
--------
>>> row = {"indicator_id": "stability_3plus_placements", "period_end": "2012-11-30",
...        "window_start": "2012-04-01", "numerator": 34, "denominator": 280,
...        "value": 12.14, "unit": "percent", "target": 10}
>>> indicator_sentence(row)
'34 of 280 children in care (12%) had 3 or more placements since 1 April, above the target of 10%.'
>>> change_title("Children in care", 280, 268, "count")
'Children in care rose by 12 since last quarter'
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping, Sequence

import pandas as pd

from cppanalytics import dates
from cppanalytics.indicators import catalogue
from cppanalytics.presentation.formatting import (
    as_number,
    decimals_for,
    format_date,
    format_number,
    format_value,
    is_symbol,
    round_half_up,
)
from cppanalytics.presentation.style import RAG_COLOURS, rag_key

_UNIT_WORDS = {
    "percent": " percentage points",
    "rate_per_10k": " per 10,000",
    "days": " days",
}


def _present(value: object) -> bool:
    return not math.isnan(as_number(value))


def _get(row: Mapping[str, object], key: str, default: object = None) -> object:
    value = row.get(key, default) if hasattr(row, "get") else default
    if value is None:
        return default
    if isinstance(value, float) and math.isnan(value):
        return default
    if value is pd.NaT or (not isinstance(value, str) and pd.isna(value) is True):
        return default
    return value


def window_phrase(period_end: object, window_start: object) -> str:
    """The window of a flow measure in words: "since 1 April", "in the 12 months to …".

    Examples
    --------
    >>> window_phrase("2026-09-30", "2026-04-01"), window_phrase("2026-09-30", "2025-10-01")
    ('since 1 April', 'in the 12 months to 30 Sep 2026')
    >>> window_phrase("2026-03-31", "2025-04-01")
    'in the year to 31 Mar 2026'
    """
    end = dates.as_date(period_end)  # type: ignore[arg-type]
    if window_start is None or pd.isna(window_start):
        return f"at {format_date(end)}"
    start = dates.as_date(window_start)  # type: ignore[arg-type]
    if start == end:
        return f"at {format_date(end)}"
    fy_start = dates.financial_year_start(end)
    r12_start = dates.window("r12", end)[0]
    if start == fy_start and start == r12_start:
        return f"in the year to {format_date(end)}"
    if start == fy_start:
        return "since 1 April"
    if start == r12_start:
        return f"in the 12 months to {format_date(end)}"
    if start == dates.window("q", end)[0]:
        return f"in the quarter to {format_date(end)}"
    return f"between {format_date(start)} and {format_date(end)}"


def direction_word(change: float, unit: str) -> str:
    """``rose``, ``fell`` or ``was unchanged`` judged on the displayed (rounded) change.

    Examples
    --------
    >>> direction_word(0.4, "percent"), direction_word(0.5, "percent"), direction_word(-3, "count")
    ('was unchanged', 'rose', 'fell')
    """
    rounded = round_half_up(change, decimals_for(unit))
    if math.isnan(rounded) or rounded == 0:
        return "was unchanged"
    return "rose" if rounded > 0 else "fell"


def change_title(
    label: str, current: object, previous: object, unit: str, since: str = "last quarter"
) -> str:
    """A chart or tile title that states the change ("Children in care rose by 12 since
    last quarter"). The change is worked out from the rounded figures people see.

    Examples
    --------
    >>> change_title("3+ placements", 12.4, 10.2, "percent", "last year")
    '3+ placements rose by 2 percentage points since last year, to 12%'
    >>> change_title("Children in care", 280, 280, "count")
    'Children in care was unchanged since last quarter, at 280'
    >>> change_title("3+ placements", 10, 11, "percent", "last quarter")
    '3+ placements fell by 1 percentage point since last quarter, to 10%'
    >>> change_title("Children in care", 280, None, "count")
    'Children in care: 280'
    """
    cur, prev = as_number(current), as_number(previous)
    if math.isnan(cur):
        return f"{label}: not available"
    if math.isnan(prev):
        return f"{label}: {format_value(cur, unit)}"
    dp = decimals_for(unit)
    diff = round_half_up(cur, dp) - round_half_up(prev, dp)
    word = direction_word(diff, unit)
    if word == "was unchanged":
        return f"{label} was unchanged since {since}, at {format_value(cur, unit)}"
    size = format_number(abs(diff), dp) + _UNIT_WORDS.get(unit, "")
    if unit == "percent" and abs(diff) == 1:
        size = size.replace("points", "point")
    to = f", to {format_value(cur, unit)}" if unit != "count" else ""
    return f"{label} {word} by {size} since {since}{to}"


def target_phrase(value: object, target: object, unit: str) -> str:
    """ "above the target of 10%" / "below …" / "in line with …", or ``""`` without a target.

    Examples
    --------
    >>> target_phrase(12.1, 10, "percent"), target_phrase(10.4, 10, "percent")
    ('above the target of 10%', 'in line with the target of 10%')
    >>> target_phrase(50, None, "percent")
    ''
    """
    val, tgt = as_number(value), as_number(target)
    if math.isnan(val) or math.isnan(tgt):
        return ""
    dp = decimals_for(unit)
    shown, goal = round_half_up(val, dp), round_half_up(tgt, dp)
    where = "above" if shown > goal else "below" if shown < goal else "in line with"
    return f"{where} the target of {format_value(tgt, unit)}"


def comparator_phrase(row: Mapping[str, object]) -> str:
    """ "England 10%, region 11%, statistical neighbours 12%" from the judged columns.

    Examples
    --------
    >>> comparator_phrase({"unit": "percent", "england": 10.2, "neighbours": 12.0,
    ...                    "comparator_year": 2026})
    'At 31 March 2026: England 10%, statistical neighbours 12%.'
    """
    unit = str(_get(row, "unit", "count"))
    parts = [
        f"{name} {format_value(_get(row, col), unit)}"
        for col, name in (
            ("england", "England"),
            ("region", "region"),
            ("neighbours", "statistical neighbours"),
        )
        if _present(_get(row, col))
    ]
    if not parts:
        return ""
    year = _get(row, "comparator_year")
    lead = f"At 31 March {int(as_number(year))}: " if _present(year) else "Comparators: "
    return lead + ", ".join(parts) + "."


def significance_phrase(row: Mapping[str, object]) -> str:
    """The small-numbers caveat from the judgement columns.

    Uses ``significance_note`` when the judgement wrote one; otherwise, when the row has a
    confidence interval (``ci_low``/``ci_high``) that contains the England figure, says the
    gap to England is not statistically significant.

    Examples
    --------
    >>> significance_phrase({"unit": "percent", "ci_low": 4.0, "ci_high": 30.0, "england": 11})
    'The difference from England (11%) is not statistically significant (small numbers).'
    >>> significance_phrase({"significance_note": "not statistically significant"})
    'Not statistically significant.'
    """
    note = str(_get(row, "significance_note", "") or "").strip()
    if note:
        text = note[0].upper() + note[1:]
        return text if text.endswith(".") else text + "."
    lo, hi, eng = (as_number(_get(row, k)) for k in ("ci_low", "ci_high", "england"))
    if any(math.isnan(v) for v in (lo, hi, eng)):
        return ""
    if lo <= eng <= hi:
        unit = str(_get(row, "unit", "percent"))
        return (
            f"The difference from England ({format_value(eng, unit)}) is not statistically "
            "significant (small numbers)."
        )
    return ""


def _title(indicator_id: str) -> str:
    ind = catalogue.lookup(indicator_id)
    return ind.title if ind else indicator_id.replace("_", " ").capitalize()


def _singular(predicate: str, count: float) -> str:
    if count == 1 and predicate.startswith("were "):
        return "was " + predicate[5:]
    return predicate


def indicator_sentence(row: Mapping[str, object], *, with_comparators: bool = False) -> str:
    """One sentence about one indicator value, with its target (and optionally comparators
    and the significance caveat).

    Percentages read "N of D <cohort> (P%) <did something> <window>"; counts, rates, days
    and scores read "<Title> <window>: <value>". Suppressed values (``c``) are never
    reconstructed from other columns.

    Examples
    --------
    >>> indicator_sentence({"indicator_id": "cla_count", "period_end": "2026-09-30",
    ...                     "window_start": "2026-09-30", "value": 280, "unit": "count"})
    'Children in care at 30 Sep 2026: 280.'
    >>> indicator_sentence({"indicator_id": "placed_within_20_miles", "period_end": "2026-09-30",
    ...     "numerator": "c", "denominator": 40, "value": "c", "unit": "percent"})
    'Placed within 20 miles of home at 30 Sep 2026: c (suppressed: fewer than 6 children).'
    >>> indicator_sentence({"indicator_id": "cla_started", "period_end": "2026-09-30",
    ...     "window_start": "2026-04-01", "value": 61, "unit": "count", "target": 90,
    ...     "judged_as": "in year, not rated",
    ...     "projection_note": "61 in the 183 days since 1 April; at that pace about 122 by "
    ...                        "31 March (365 days)"})  # doctest: +NORMALIZE_WHITESPACE
    'Children starting care since 1 April: 61, in year, not rated. 61 in the 183 days since
    1 April; at that pace about 122 by 31 March (365 days).'
    """
    iid = str(_get(row, "indicator_id", ""))
    ind = catalogue.lookup(iid)
    unit = str(_get(row, "unit", ind.unit if ind else "count"))
    period_end = _get(row, "period_end")
    window = window_phrase(period_end, _get(row, "window_start"))
    value = _get(row, "value")
    num, den = _get(row, "numerator"), _get(row, "denominator")
    flag = _get(row, "suppressed", False)
    suppressed = bool(flag) or any(
        is_symbol(v) and str(v).strip() == "c" for v in (value, num, den)
    )
    if suppressed:
        return f"{_title(iid)} {window}: c (suppressed: fewer than 6 children)."
    if not _present(value):
        return f"{_title(iid)} {window}: not available."
    if unit == "percent" and _present(num) and _present(den):
        noun = ind.noun if ind else "children in care"
        predicate = (
            ind.predicate
            if ind and ind.predicate
            else f"were counted in '{_title(iid)}' {{window}}"
        )
        predicate = _singular(predicate.format(window=window), as_number(num))
        text = (
            f"{format_number(num)} of {format_number(den)} {noun} "  # type: ignore[arg-type]
            f"({format_value(value, unit)}) {predicate}"
        )
    else:
        text = f"{_title(iid)} {window}: {format_value(value, unit)}"
    if str(_get(row, "judged_as", "")) == "in year, not rated":
        # a running total since 1 April is never set against an annual target
        text += ", in year, not rated."
        note = str(_get(row, "projection_note", "") or "")
        if note and note not in ("nan", "None", "<NA>"):
            text += f" {note[:1].upper()}{note[1:]}."
    else:
        tgt = target_phrase(value, _get(row, "target"), unit)
        text += f", {tgt}." if tgt else "."
    if with_comparators:
        # a council's count beside England's count says nothing; rates and percentages do
        extra = [comparator_phrase(row) if unit != "count" else "", significance_phrase(row)]
        text = " ".join([text, *[e for e in extra if e]])
    return text


def rag_sentence(row: Mapping[str, object]) -> str:
    """A short plain statement of a RAG rating, for headline tiles.

    Examples
    --------
    >>> rag_sentence({"indicator_id": "sw_3plus", "value": 21.0, "unit": "percent",
    ...               "target": 15, "rag": "red"})
    '3 or more social workers in 12 months: 21%, rated red against the target of 15%.'
    """
    iid = str(_get(row, "indicator_id", ""))
    unit = str(_get(row, "unit", "percent"))
    key = rag_key(_get(row, "rag", ""))
    rag = RAG_COLOURS[key][2].lower() if key != "none" else "not rated"
    value = format_value(_get(row, "value"), unit)
    tgt = _get(row, "target")
    against = f" against the target of {format_value(tgt, unit)}" if _present(tgt) else ""
    return f"{_title(iid)}: {value}, rated {rag}{against}."


def published_sentences(published: pd.DataFrame, ids: Sequence[str], *, council: str) -> str:
    """One sentence per published measure: the council's latest published figure (academic
    year) beside England's, or that DfE suppressed it (small numbers), as a bulleted list.

    Examples
    --------
    >>> p = pd.DataFrame({"indicator_id": ["ks4_attainment8"], "year": [2025],
    ...     "la_published": [float("nan")], "england": [22.5], "region": [23.0],
    ...     "neighbours": [21.0]})
    >>> "not published" in published_sentences(p, ["ks4_attainment8"], council="Ouzel Vale")
    True
    """
    out = []
    for iid in ids:
        part = published[published["indicator_id"].eq(iid)].dropna(subset=["england"])
        if part.empty:
            continue
        last = part.sort_values("year").iloc[-1]
        year = int(last["year"])
        rec = catalogue.lookup(iid)
        unit = rec.unit if rec else "percent"
        label = rec.title if rec else iid
        when = f"{year - 1}/{str(year)[2:]}"
        eng = format_value(last["england"], unit)
        if math.isnan(as_number(last["la_published"])):
            sentence = (
                f"{label}, {when}: {council}'s figure was not published by DfE (too "
                f"few children to publish); England {eng}."
            )
        else:
            own = format_value(last["la_published"], unit)
            nbr = format_value(last["neighbours"], unit)
            sentence = (
                f"{label}, {when}: {council} {own}, England {eng}, statistical neighbours {nbr}."
            )
        out.append(f"<li>{html.escape(sentence)}</li>")
    return f'<ul class="cpp-findings">{"".join(out)}</ul>' if out else ""
