"""Generated sentences: above / below / in line with target, significance, suppression."""

from __future__ import annotations

import pytest

from cppanalytics.presentation import text


def _row(**kw: object) -> dict[str, object]:
    base: dict[str, object] = {
        "indicator_id": "stability_3plus_placements",
        "period_end": "2012-11-30",
        "window_start": "2012-04-01",
        "numerator": 34,
        "denominator": 280,
        "value": 34 / 280 * 100,
        "unit": "percent",
    }
    base.update(kw)
    return base


def test_seed_sentence_above_target() -> None:
    assert text.indicator_sentence(_row(target=10)) == (
        "34 of 280 children in care (12%) had 3 or more placements since 1 April, above the "
        "target of 10%."
    )


@pytest.mark.parametrize(
    ("target", "phrase"),
    [
        (10, "above the target of 10%"),
        (14, "below the target of 14%"),
        (12, "in line with the target of 12%"),
        (12.4, "in line with the target of 12%"),
    ],
)
def test_target_comparison_uses_displayed_figures(target: float, phrase: str) -> None:
    assert text.indicator_sentence(_row(target=target)).endswith(phrase + ".")


def test_no_target_no_phrase() -> None:
    sentence = text.indicator_sentence(_row())
    assert "target" not in sentence and sentence.endswith("since 1 April.")


def test_rolling_window_and_singular() -> None:
    row = _row(
        window_start="2011-12-01",
        numerator=1,
        denominator=20,
        value=5.0,
        indicator_id="placed_outside_la",
    )
    assert text.indicator_sentence(row) == (
        "1 of 20 children in care (5%) was placed outside the council's area."
    )
    r12 = _row(window_start="2011-12-01", numerator=3, denominator=20, value=15.0)
    assert "in the 12 months to 30 Nov 2012" in text.indicator_sentence(r12)


def test_significance_from_judgement_note() -> None:
    row = _row(
        target=10,
        significance_note="the gap to England is not statistically significant",
        england=11.0,
    )
    sentence = text.indicator_sentence(row, with_comparators=True)
    assert "The gap to England is not statistically significant." in sentence
    assert "England 11%" in sentence


def test_significance_from_interval_when_no_note() -> None:
    row = _row(numerator=3, denominator=15, value=20.0, ci_low=7.0, ci_high=45.2, england=11.0)
    assert text.significance_phrase(row) == (
        "The difference from England (11%) is not statistically significant (small numbers)."
    )
    outside = _row(ci_low=13.0, ci_high=30.0, england=11.0)
    assert text.significance_phrase(outside) == ""


def test_suppressed_row_reveals_nothing() -> None:
    row = _row(numerator=float("nan"), value=float("nan"), suppressed=True, target=10)
    sentence = text.indicator_sentence(row)
    assert sentence.endswith(": c (suppressed: fewer than 6 children).")
    assert "280" not in sentence and "34" not in sentence


def test_counts_and_means_read_as_title_and_value() -> None:
    row = {
        "indicator_id": "adoption_a1_days",
        "period_end": "2026-03-31",
        "window_start": "2023-04-01",
        "value": 412.5,
        "unit": "days",
        "target": 426,
    }
    assert text.indicator_sentence(row) == (
        "A1: days from entering care to moving in with adoptive family between 1 Apr 2023 and "
        "31 Mar 2026: 413, below the target of 426."
    )


def test_change_titles() -> None:
    assert text.change_title("Children in care", 280, 268, "count") == (
        "Children in care rose by 12 since last quarter"
    )
    assert text.change_title("Average SDQ score", 13.2, 14.25, "score", "last year") == (
        "Average SDQ score fell by 1.1 since last year, to 13.2"
    )


def test_rag_sentence_names_the_rating() -> None:
    assert text.rag_sentence(_row(target=10, rag="R")) == (
        "3 or more placements: 12%, rated red against the target of 10%."
    )
