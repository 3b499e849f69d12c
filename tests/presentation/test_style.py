"""House style: the palette and its contrast against white (WCAG 2.x)."""

from __future__ import annotations

import pytest

from cppanalytics.presentation import style


def test_palette_is_the_analysis_function_palette() -> None:
    assert style.PALETTE == ("#12436D", "#28A197", "#801650", "#F46A25", "#3D3D3D", "#A285D1")
    assert style.TWO_SERIES == ("#12436D", "#F46A25")
    assert (style.HIGHLIGHT, style.CONTEXT_GREY) == ("#12436D", "#BFBFBF")


def test_contrast_ratio_known_values() -> None:
    assert style.contrast_ratio("#000000") == 21.0
    assert style.contrast_ratio("#FFFFFF") == 1.0
    # worked by hand: #767676 is the classic 4.54:1 grey
    assert style.contrast_ratio("#767676") == pytest.approx(4.54, abs=0.01)


@pytest.mark.parametrize("colour", style.GRAPHIC_COLOURS)
def test_graphic_colours_reach_3_to_1(colour: str) -> None:
    assert style.contrast_ratio(colour) >= 3.0


@pytest.mark.parametrize("colour", style.TEXT_COLOURS)
def test_text_colours_reach_4_5_to_1(colour: str) -> None:
    assert style.contrast_ratio(colour) >= 4.5


def test_highlight_stands_out_from_context_grey() -> None:
    assert style.contrast_ratio(style.HIGHLIGHT, style.CONTEXT_GREY) >= 3.0


@pytest.mark.parametrize("key", list(style.RAG_COLOURS))
def test_rag_badge_text_readable_on_its_fill(key: str) -> None:
    bg, fg, label = style.RAG_COLOURS[key]
    assert style.contrast_ratio(fg, bg) >= 4.5
    assert label  # RAG is always a word, never colour alone


def test_two_series_distinct_in_greyscale() -> None:
    a, b = (style.relative_luminance(c) for c in style.TWO_SERIES)
    assert abs(a - b) > 0.2


def test_rag_key_normalises() -> None:
    assert [style.rag_key(v) for v in ("R", "amber", "Green", "", None, "nan")] == [
        "red",
        "amber",
        "green",
        "none",
        "none",
        "none",
    ]


def test_stylesheet_is_self_contained() -> None:
    css = style.stylesheet()
    assert "@page" in css and "A4" in css
    assert "url(" not in css and "@import" not in css


def test_drawing_a_chart_imports_neither_seaborn_nor_scipy() -> None:
    # the theme is written out (BASE_RC) so a report's kernel does not pay for SciPy
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from cppanalytics.presentation import charts\n"
        "import pandas as pd\n"
        "chart = charts.trend_chart(pd.Series([1.0, 2.0], index=pd.to_datetime("
        "['2026-06-30', '2026-09-30'])), label='x', unit='count')\n"
        "charts.img_tag(chart)\n"
        "print(sorted(m for m in ('seaborn', 'scipy') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_theme_keeps_the_house_colours_over_the_base() -> None:
    rc = style.theme_rc()
    assert rc["axes.edgecolor"] == style.TEXT_SECONDARY
    assert rc["axes.spines.top"] is False and rc["axes.spines.left"] is True
    assert rc["font.size"] == pytest.approx(11.04)
    assert "seaborn" not in style.theme_rc.__doc__.lower()
