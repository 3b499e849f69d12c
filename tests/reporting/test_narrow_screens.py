"""Reports on phones and tablets: scroll cues on wide tables, legible charts, no empty tab stops."""

from __future__ import annotations

import base64
import io
import re
from pathlib import Path

import nbformat
import pytest

from cppanalytics.reporting.html import CHART_HINT, SCROLL_HINT, notebook_to_html, report_css

from .chromium import open_browser

PHONE_WIDTH = 390


def _chart_png() -> str:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(8, 3))
    ax = fig.subplots()
    ax.plot([1, 2, 3], [3, 1, 2])
    ax.set_title("Children in care by quarter", fontsize=10)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110)
    return base64.b64encode(buf.getvalue()).decode()


def _page() -> str:
    head = "".join(f"<th>Column {i} heading</th>" for i in range(9))
    row = (
        '<th scope="row">Children placed more than 20 miles from home and outside the '
        "council's area</th>" + "".join('<td class="num">1,234</td>' for _ in range(8))
    )
    narrow = (
        '<table class="cpp-table"><caption>Two columns</caption><tr><th>a</th>'
        '<th>b</th></tr><tr><td>x</td><td class="num">1</td></tr></table>'
    )
    wide = (
        f'<div class="cpp"><table class="cpp-table"><caption>Scorecard at 30 Sep 2026'
        f"</caption><thead><tr>{head}</tr></thead><tbody><tr>{row}</tr></tbody></table>"
        f"{narrow}</div>"
    )
    figure = (
        f'<div class="cpp"><figure class="cpp"><img alt="A line chart of children in care"'
        f' src="data:image/png;base64,{_chart_png()}"/></figure></div>'
    )
    book = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell("## Scorecard"),
            nbformat.v4.new_code_cell(
                "x",
                outputs=[
                    nbformat.v4.new_output(
                        "execute_result",
                        data={"text/html": wide, "text/plain": "t"},
                        execution_count=1,
                    )
                ],
            ),
            nbformat.v4.new_markdown_cell("## Charts"),
            nbformat.v4.new_code_cell(
                "y",
                outputs=[
                    nbformat.v4.new_output(
                        "display_data", data={"text/html": figure, "text/plain": "f"}
                    )
                ],
            ),
            nbformat.v4.new_code_cell("z"),  # an empty code cell (input hidden)
        ]
    )
    return notebook_to_html(book, title="Narrow")


def test_tab_stops_are_only_scrollable_tables() -> None:
    page = _page()
    stops = re.findall(r"<[^>]*\btabindex=[^>]*>", page)
    assert len(stops) == 2 and all('class="cpp-scroll"' in s for s in stops), stops
    assert 'role="region" tabindex="0" aria-label="Scorecard at 30 Sep 2026"' in page
    # the hint only where there are many columns; charts get their own
    assert page.count(SCROLL_HINT) == 1 and page.count(CHART_HINT) == 1


def test_css_left_aligns_text_cells_and_has_a_phone_layout() -> None:
    css = report_css()
    assert ".cpp table.cpp-table td { text-align: left;" in css
    assert "@media screen and (max-width: 640px)" in css
    assert "figure.cpp img:not(.cpp-spark) { max-width: none;" in css


@pytest.mark.slow
def test_phone_width_in_chromium(tmp_path: Path) -> None:
    html = tmp_path / "narrow.html"
    html.write_text(_page(), encoding="utf-8")
    with open_browser(tmp_path / "profile") as client:
        client.call("Page.enable")
        client.call(
            "Emulation.setDeviceMetricsOverride",
            width=PHONE_WIDTH,
            height=844,
            deviceScaleFactor=3,
            mobile=True,
        )
        client.call("Page.navigate", url=html.as_uri())
        client.wait_for("Page.loadEventFired")
        seen = client.evaluate("""(() => {
          const scroll = document.querySelector('.cpp-scroll');
          const hint = document.querySelector('.cpp-scroll .cpp-scroll-hint');
          const img = document.querySelector('figure.cpp img');
          const fig = document.querySelector('figure.cpp');
          const text = document.querySelector('.cpp-scroll th[scope=row]');
          const cell = document.querySelector('.cpp-scroll td.num');
          return {
            page_overflow: document.documentElement.scrollWidth - window.innerWidth,
            table_scrolls: scroll.scrollWidth > scroll.clientWidth,
            hint_shown: getComputedStyle(hint).display !== 'none' && hint.offsetHeight > 0,
            img_shown: img.getBoundingClientRect().width, img_natural: img.naturalWidth,
            figure_scrolls: fig.scrollWidth > fig.clientWidth,
            text_align: getComputedStyle(text).textAlign,
            num_align: getComputedStyle(cell).textAlign,
            table_font: parseFloat(getComputedStyle(cell).fontSize),
          };
        })()""")
    assert seen["page_overflow"] <= 0, seen  # the page itself never scrolls sideways
    assert seen["table_scrolls"] and seen["hint_shown"], seen
    # the chart is shown at its drawn size (its 10 pt text stays about 15 px), and scrolls
    assert seen["img_shown"] >= seen["img_natural"] * 0.99 and seen["figure_scrolls"], seen
    assert seen["text_align"] in {"left", "start"} and seen["num_align"] == "right", seen
    assert seen["table_font"] >= 12, seen
