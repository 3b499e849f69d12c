"""Every scorecard row without a DfE comparator really has none in DfE's files.

The shipped comparator table is checked against the catalogue: a headline indicator with
no row in it must be listed in ``NO_DFE_FIGURE`` (with the reason the report shows), and
nothing listed there may have rows. Against ``../shared/reference/dfe`` (skipped when
absent) a fresh build must agree, and the files' own wording (LAIT's measure names for
children looked after and adoption, every category in the explore-education-statistics
CSVs) must not name any of the missing measures.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from cppanalytics.indicators import catalogue
from cppanalytics.judgement.comparators import (
    NO_DFE_FIGURE,
    comparator_note,
    load_comparators,
)
from cppanalytics.judgement.dfe_files import read_ees

#: wording that would show DfE publishes the measure (searched case-insensitively)
PUBLISHED_IF: dict[str, str] = {
    "stability_long_term_yearend_max": r"projection|projected|(best|highest) possible",
    "care_leavers_eet_19": r"^19( years?)?$|\baged 19\b(?!\s*(-|to))",
    "care_leavers_neet_19": r"^19( years?)?$|\baged 19\b(?!\s*(-|to))",
    "care_leavers_suitable_accom_19": r"^19( years?)?$|\baged 19\b(?!\s*(-|to))",
    "care_leavers_in_touch_19": r"^19( years?)?$|\baged 19\b(?!\s*(-|to))",
    "adoption_a1_days": r"moving in with (the |their )?adoptive|\ba1\b|(three|3).year average",
    "adoption_a10_days": r"foster carers? (who )?adopt|\ba10\b|(three|3).year average",
    "adoption_a2_days": r"(authority to place|placement order).{0,60}match|\ba2\b",
    "reviews_on_time": r"review",
    "reviews_held_on_time": r"review",
    "review_participation_pct": r"particip|\bpn[0-7]\b",
    "foster_in_house_pct": r"in.house|own provision|provider|private provision|agency|\bpr[1-5]\b",
}


def _headline_ids() -> list[str]:
    return [i for i, ind in catalogue.CATALOGUE.items() if not ind.breakdown]


def test_every_x_is_documented_and_nothing_documented_has_a_figure() -> None:
    shipped = set(load_comparators().dropna(subset=["value"])["indicator_id"])
    missing = {i for i in _headline_ids() if i not in shipped}
    assert missing == set(NO_DFE_FIGURE) & set(_headline_ids()), (
        "headline indicators without a comparator must be listed, with a reason, in "
        "NO_DFE_FIGURE; listed ones must have none"
    )
    assert not set(NO_DFE_FIGURE) & shipped
    for iid in missing:
        assert len(comparator_note(iid)) > 30


def test_each_x_has_a_search_pattern() -> None:
    assert set(PUBLISHED_IF) >= set(NO_DFE_FIGURE)


def _published_wording(dfe_dir: Path) -> list[str]:
    """LAIT measure names (children looked after, adoption) and every EES category value."""
    texts: list[str] = []
    dictionary = next(dfe_dir.rglob("lait_data_dictionary.csv"), None)
    if dictionary is not None:
        d = pd.read_csv(dictionary, usecols=["Topic", "Measure", "Measure_short"])
        d = d[d["Topic"].str.contains("looked after|adoption", case=False, na=False)]
        texts += d["Measure"].astype(str).tolist() + d["Measure_short"].astype(str).tolist()
    for path in sorted(dfe_dir.rglob("*.csv")):
        frame = read_ees(path)
        if frame.empty:
            continue
        cats = [
            c
            for c in frame.columns
            if frame[c].dtype == object or str(frame[c].dtype).startswith(("str", "string"))
        ]
        for col in cats:
            values = frame[col].astype(str).str.strip().unique()
            if len(values) < 200:  # category columns, not figures or names
                texts += [v for v in values if not re.fullmatch(r"[\d.,: %a-z]{0,3}|[\d.,:]+", v)]
        texts += list(frame.columns)
    return texts


@pytest.mark.shared
def test_reference_files_publish_none_of_the_x_rows(dfe_dir: Path) -> None:
    texts = _published_wording(dfe_dir)
    assert len(texts) > 500  # the wording really was read
    # the patterns do find what DfE does publish (guards against a pattern that never hits)
    assert any(re.search(r"\b19 to 21\b", t, re.I) for t in texts)
    assert any(re.search(r"entry into care", t, re.I) for t in texts)
    for iid in NO_DFE_FIGURE:
        hits = [t for t in texts if re.search(PUBLISHED_IF[iid], t, re.I)]
        assert not hits, f"{iid} is listed as having no DfE figure, but DfE's files say {hits[:3]}"


@pytest.mark.shared
def test_fresh_build_has_no_figure_for_the_x_rows(dfe_build) -> None:
    table, _ = dfe_build  # build_comparators(dfe_dir) (tests/judgement/conftest.py)
    built = set(table.dropna(subset=["value"])["indicator_id"])
    assert not set(NO_DFE_FIGURE) & built
    assert {i for i in _headline_ids() if i not in built} == set(NO_DFE_FIGURE) & set(
        _headline_ids()
    )
