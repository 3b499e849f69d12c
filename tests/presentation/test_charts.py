"""Every chart: a title that states the finding, informative alt text, a caption, house colours."""

from __future__ import annotations

import base64
import re

import pandas as pd
import pytest
from matplotlib.colors import to_hex

from cppanalytics.presentation import charts
from cppanalytics.presentation.style import CONTEXT_GREY, HIGHLIGHT


def _trend() -> charts.Chart:
    values = pd.Series([268.0, 280.0], index=pd.to_datetime(["2026-06-30", "2026-09-30"]))
    return charts.trend_chart(values, label="Children in care", unit="count")


def _all_charts() -> list[charts.Chart]:
    idx = pd.to_datetime(["2025-09-30", "2025-12-31", "2026-03-31"])
    return [
        _trend(),
        charts.trend_chart(
            pd.Series([10.0, 12.0, 9.0], index=idx),
            label="3+ placements",
            unit="percent",
            comparators={"England": pd.Series([10.0], idx[2:])},
        ),
        charts.profile_chart(
            pd.Series({"Foster placement": 72.0, "Other": 28.0}),
            pd.Series({"Foster placement": 70.0, "Other": 30.0}),
            label="children in care",
            current_label="30 Sep 2026",
            previous_label="30 Sep 2025",
        ),
        charts.comparator_chart(
            {"Ouzel": 92.0, "England": 85.0, "Region": 88.0},
            council="Ouzel",
            label="Immunisations",
            unit="percent",
        ),
        charts.stacked_chart(
            pd.DataFrame({"0 to 20 miles": [207, 239], "Over 20": [64, 46]}, index=idx[:2]),
            label="Children",
            title="More children were placed near home",
        ),
    ]


def test_trend_title_states_the_change() -> None:
    chart = _trend()
    assert charts.title_of(chart) == "Children in care rose by 12 since last quarter"
    assert "280" in chart.alt and "268" in chart.alt


def test_fall_and_unchanged_titles() -> None:
    idx = pd.to_datetime(["2026-06-30", "2026-09-30"])
    fell = charts.trend_chart(pd.Series([14.0, 11.6], idx), label="3+ placements", unit="percent")
    assert charts.title_of(fell) == (
        "3+ placements fell by 2 percentage points since last quarter, to 12%"
    )
    same = charts.trend_chart(
        pd.Series([280.0, 280.0], idx), label="Children in care", unit="count"
    )
    assert charts.title_of(same) == "Children in care was unchanged since last quarter, at 280"


@pytest.mark.parametrize("index", range(5))
def test_every_chart_has_alt_text_and_a_title(index: int) -> None:
    chart = _all_charts()[index]
    fig, alt = chart  # unpacks as (fig, alt_text)
    assert len(alt) > 30
    assert any(ch.isdigit() for ch in alt)  # informative: carries the figures
    assert charts.title_of(chart)
    assert charts.title_of(chart) in alt
    captions = [t.get_text() for t in fig.texts]
    assert any("Source" in c for c in captions)


def test_comparator_chart_highlights_council_on_grey() -> None:
    chart = charts.comparator_chart(
        {"Ouzel": 92.0, "England": 85.0}, council="Ouzel", label="Immunisations", unit="percent"
    )
    colours = [to_hex(p.get_facecolor()).upper() for p in chart.fig.axes[0].patches]
    assert colours == [HIGHLIGHT.upper(), CONTEXT_GREY.upper()]
    assert charts.title_of(chart) == "Immunisations: Ouzel 92%, above England (85%)"


def test_img_tag_embeds_png_with_escaped_alt() -> None:
    chart = _trend()
    tag = charts.img_tag(charts.Chart(chart.fig, 'Say "hi" & <go> 280'))
    assert tag.startswith("<img") and 'src="data:image/png;base64,iVBOR' in tag
    assert "&quot;hi&quot; &amp; &lt;go&gt;" in tag


def test_sparkline_img_is_svg_with_escaped_alt() -> None:
    spark = charts.sparkline([1, 2], unit="count", label='Say "hi" & <go>')
    tag = charts.img_tag(spark, css_class="cpp-spark")
    assert tag.startswith('<img class="cpp-spark"') and "data:image/svg+xml;base64," in tag
    assert "&quot;hi&quot; &amp; &lt;go&gt;" in tag
    svg = base64.b64decode(tag.split("base64,")[1].split('"')[0]).decode()
    assert svg == spark.svg and svg.startswith("<svg") and 'Say "hi"' not in svg


def _points(svg: str) -> list[list[tuple[float, float]]]:
    runs = re.findall(r'points="([^"]*)"', svg)
    return [[tuple(map(float, p.split(","))) for p in r.split()] for r in runs]


def test_sparkline_draws_what_the_values_say() -> None:
    """Hand-worked: rising values climb (SVG y grows downwards), the dot sits on the last
    known value, a missing quarter breaks the line, a lone value draws no line."""
    rising = charts.sparkline([1.0, 2.0, 3.0], unit="count")
    (run,) = _points(rising.svg)
    assert [x for x, _ in run] == sorted(x for x, _ in run) and len(run) == 3
    assert run[0][1] > run[1][1] > run[2][1]  # higher value, nearer the top
    dot = re.search(r'cx="([\d.]+)" cy="([\d.]+)"', rising.svg)
    assert dot and (float(dot[1]), float(dot[2])) == run[-1]
    gap = charts.sparkline([5.0, 6.0, float("nan"), 7.0, 8.0], unit="count")
    assert [len(r) for r in _points(gap.svg)] == [2, 2]
    lone = charts.sparkline([float("nan"), 4.0, float("nan")], unit="count")
    assert _points(lone.svg) == [] and lone.svg.count("<circle") == 1
    trailing = charts.sparkline([1.0, 3.0, float("nan")], unit="count")
    dot = re.search(r'cx="([\d.]+)" cy="([\d.]+)"', trailing.svg)
    assert dot and (float(dot[1]), float(dot[2])) == _points(trailing.svg)[0][-1]
    flat = charts.sparkline([2.0, 2.0, 2.0], unit="count")
    assert len({y for _, y in _points(flat.svg)[0]}) == 1
    empty = charts.sparkline([float("nan")] * 3, unit="count")
    assert "<polyline" not in empty.svg and "<circle" not in empty.svg
    assert empty.alt == "Trend: no values available."


def test_empty_alt_text_is_refused() -> None:
    fig, _ = _trend()
    with pytest.raises(ValueError, match="alt text"):
        charts.img_tag(charts.Chart(fig, "  "))
    with pytest.raises(ValueError, match="alt text"):
        charts.img_tag(charts.Sparkline("<svg/>", ""))


def test_figure_html_has_caption() -> None:
    out = charts.figure_html(_trend(), "Source: 903")
    assert "<figcaption>Source: 903</figcaption>" in out
    assert 'alt="Line chart. Children in care rose by 12' in out
