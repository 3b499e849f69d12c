"""The education, reviews and sufficiency sections on the demo council: figures, England's
published figures beside them, alt text, and disclosure control in public mode."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cppanalytics.pipeline import build_report_data
from cppanalytics.presentation import quarterly_detail

ROOT = Path(__file__).resolve().parents[2]
VIRTUAL_SCHOOL = ROOT / "params" / "local_measures" / "virtual_school_synthetic.csv"


@pytest.fixture(scope="module")
def report(demo_data: Path):
    return build_report_data(
        council_name="Ouzel Vale Council (synthetic)",
        la_code="E06000042",
        period_end="2026-09-30",
        data_dir=str(demo_data),
        local_measures_file=str(VIRTUAL_SCHOOL),
        mode="internal",
        synthetic=True,
    )


@pytest.fixture(scope="module")
def public(demo_data: Path):
    return build_report_data(
        council_name="Ouzel Vale Council (synthetic)",
        la_code="E06000042",
        period_end="2026-09-30",
        data_dir=str(demo_data),
        local_measures_file=str(VIRTUAL_SCHOOL),
        mode="public",
        synthetic=True,
    )


def _images_have_alt(html: str) -> None:
    for img in re.findall(r"<img[^>]*>", html):
        alt = re.search(r'alt="([^"]*)"', img)
        assert alt and len(alt.group(1)) > 20, img[:120]


def test_education_shows_published_results_and_the_virtual_school(report) -> None:
    html = quarterly_detail.education_section(report).data
    # Milton Keynes's published KS4 Attainment 8 and England's, by academic year
    pub = report.published
    row = pub[(pub.indicator_id == "ks4_attainment8") & (pub.year == 2025)].iloc[0]
    assert f"{row['england']:.1f}" in html and "2024/25" in html
    assert "Virtual school figures" in html and "Personal education" not in html
    _images_have_alt(html)


def test_reviews_section(report) -> None:
    html = quarterly_detail.reviews_section(report).data
    assert "Children whose reviews were all on time" in html
    assert "Attended and spoke for themselves" in html
    assert "England (" in html  # previous permanence beside England's figures
    _images_have_alt(html)


def test_sufficiency_section(report) -> None:
    html = quarterly_detail.sufficiency_section(report).data
    assert "own foster carers" in html and "Private agency" in html
    assert "Over 20 miles, outside the council" in html and "England (2022)" in html
    assert "Council requested end" in html and "Moves in the 12 months" in html
    _images_have_alt(html)


def test_public_sections_suppress_small_numbers_and_draw_no_count_chart(public) -> None:
    html = quarterly_detail.sufficiency_section(public).data
    assert "<img" not in html.split("Why placements ended")[0].split("placement provider")[-1]
    # UASC by age: the demo has fewer than 6 UASC under 16, so public mode shows c
    uasc = public.judged[
        (public.judged.indicator_id == "uasc_by_age") & (public.judged.period_end == "2026-09-30")
    ]
    small = uasc[(uasc.numerator >= 1) & (uasc.numerator <= 5)]
    assert small.empty  # suppressed counts are not left in the judged table
