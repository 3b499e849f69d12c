"""Report charts: each function returns ``Chart(fig, alt)`` (the scorecard's sparkline a
``Sparkline(svg, alt)``); :func:`figure_html` embeds it.

Rules every chart follows: the title states the finding (worked out from the data unless
the caller gives one), a caption names the source and period, colours come from
:mod:`cppanalytics.presentation.style`, and series differ by marker, line style or hatch
as well as colour so the chart still reads when printed in grey. Figures are built with
:class:`matplotlib.figure.Figure` (not pyplot), so nothing is shown twice in a notebook
and nothing global changes.

Examples
--------
>>> values = pd.Series([268.0, 280.0], index=pd.to_datetime(["2026-06-30", "2026-09-30"]))
>>> chart = trend_chart(values, label="Children in care", unit="count")
>>> title_of(chart)
'Children in care rose by 12 since last quarter'
>>> chart.alt.startswith("Line chart. Children in care rose by 12")
True
"""

from __future__ import annotations

import base64
import html
import io
import math
import textwrap
from collections.abc import Mapping, Sequence
from typing import NamedTuple

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from cppanalytics.presentation.formatting import (
    decimals_for,
    format_date,
    format_value,
    round_half_up,
)
from cppanalytics.presentation.style import (
    CONTEXT_GREY,
    HIGHLIGHT,
    LINE_STYLES,
    MARKERS,
    PALETTE,
    TEXT,
    TEXT_SECONDARY,
    TWO_SERIES,
    theme_rc,
)
from cppanalytics.presentation.text import change_title

DEFAULT_SOURCE = "Source: council SSDA903 extract (local figures)"
_HATCHES = ("", "///", "...", "xx", "\\\\", "++")


class Chart(NamedTuple):
    """A figure and its alt text (unpacks as ``fig, alt = chart``)."""

    fig: Figure
    alt: str


def _wrap(title: str, width: int = 72) -> str:
    return "\n".join(textwrap.wrap(title, width)) or title


def _quarter_label(d: pd.Timestamp) -> str:
    return pd.Timestamp(d).strftime("%b %y")


def _new_figure(width: float, height: float) -> Figure:
    return Figure(figsize=(width, height), layout="constrained")


def _caption(fig: Figure, source: str, period: str) -> str:
    text = f"{source}. {period}".strip(". ") + "."
    fig.supxlabel(_wrap(text, 110), x=0.01, ha="left", fontsize=8, color=TEXT_SECONDARY)
    return text


def _axis_formatter(unit: str) -> FuncFormatter:
    def fmt(v: float, _pos: int) -> str:
        return format_value(v, unit)

    return FuncFormatter(fmt)


def _series_summary(values: pd.Series, unit: str) -> str:
    clean = values.dropna()
    if clean.empty:
        return "No values are available."
    first_d, last_d = clean.index[0], clean.index[-1]
    lo_d, hi_d = clean.idxmin(), clean.idxmax()
    return (
        f"from {format_value(clean.iloc[0], unit)} at {format_date(first_d)} to "
        f"{format_value(clean.iloc[-1], unit)} at {format_date(last_d)}; lowest "
        f"{format_value(clean.min(), unit)} ({format_date(lo_d)}), highest "
        f"{format_value(clean.max(), unit)} ({format_date(hi_d)})."
    )


def trend_chart(
    values: pd.Series,
    *,
    label: str,
    unit: str,
    comparators: Mapping[str, pd.Series] | None = None,
    title: str | None = None,
    since: str = "last quarter",
    source: str = DEFAULT_SOURCE,
    council: str = "Council",
) -> Chart:
    """Line chart of one indicator by period end, with optional comparator lines.

    ``values`` is indexed by period end (sorted here). The default title states the change
    between the last two points ("… rose by 12 since last quarter").

    Examples
    --------
    >>> v = pd.Series([10.0, 12.4], index=pd.to_datetime(["2025-09-30", "2026-09-30"]))
    >>> title_of(trend_chart(v, label="3+ placements", unit="percent", since="last year"))
    '3+ placements rose by 2 percentage points since last year, to 12%'
    """
    values = values.sort_index().astype("float64")
    clean = values.dropna()
    if title is None:
        prev = clean.iloc[-2] if len(clean) > 1 else None
        title = change_title(label, clean.iloc[-1] if len(clean) else None, prev, unit, since)
    with mpl.rc_context(theme_rc()):
        fig = _new_figure(7.5, 3.6)
        ax = fig.add_subplot()
        ax.plot(
            values.index,
            values.to_numpy(),
            color=HIGHLIGHT,
            marker=MARKERS[0],
            linestyle=LINE_STYLES[0],
            linewidth=2.2,
            label=council,
        )
        if len(clean):
            ax.annotate(
                format_value(clean.iloc[-1], unit),
                (clean.index[-1], clean.iloc[-1]),
                textcoords="offset points",
                xytext=(6, 4),
                color=HIGHLIGHT,
                fontweight="bold",
            )
        comp_text = []
        for i, (name, series) in enumerate((comparators or {}).items(), start=1):
            s = series.sort_index().astype("float64")
            if s.dropna().empty:
                continue
            ax.plot(
                s.index,
                s.to_numpy(),
                color=PALETTE[i % len(PALETTE)],
                marker=MARKERS[i % len(MARKERS)],
                linestyle=LINE_STYLES[i % len(LINE_STYLES)],
                linewidth=1.6,
                label=name,
            )
            comp_text.append(f"{name}: {_series_summary(s, unit)}")
        if comparators:
            ax.legend(loc="best", fontsize=8)
        ax.set_title(_wrap(title))
        ax.set_ylabel(label if unit == "count" else f"{label} ({_unit_word(unit)})", fontsize=8)
        ax.yaxis.set_major_formatter(_axis_formatter(unit))
        ax.set_xticks(list(values.index))
        ax.set_xticklabels([_quarter_label(d) for d in values.index], rotation=0, fontsize=7)
        if unit in ("count", "percent", "rate_per_10k", "days"):
            ax.set_ylim(bottom=0)
        period = (
            f"Period: {format_date(values.index[0])} to {format_date(values.index[-1])}"
            if len(values)
            else ""
        )
        _caption(fig, source, period)
    alt = f"Line chart. {title}. {label}: {_series_summary(values, unit)}"
    if comp_text:
        alt += " " + " ".join(comp_text)
    return Chart(fig, alt)


def title_of(chart: Chart) -> str:
    """The chart's title as one line (titles are wrapped onto several lines when drawn).

    Examples
    --------
    >>> title_of(comparator_chart({"A": 1.0}, council="A", label="X", unit="count"))
    'X: A 1'
    """
    ax = chart.fig.axes[0]
    raw = ax.get_title(loc="left") or ax.get_title()
    return " ".join(raw.split())


def _unit_word(unit: str) -> str:
    return {
        "percent": "%",
        "rate_per_10k": "per 10,000",
        "days": "days",
        "score": "score",
        "ratio": "per child",
    }.get(unit, unit)


def profile_chart(
    current: pd.Series,
    previous: pd.Series | None = None,
    *,
    label: str,
    current_label: str,
    previous_label: str = "",
    unit: str = "percent",
    title: str | None = None,
    source: str = DEFAULT_SOURCE,
) -> Chart:
    """Horizontal bars of a breakdown (group label → value), last year's bars beside.

    The default title names the largest group.

    Examples
    --------
    >>> cur = pd.Series({"Foster placement": 72.0, "Placed with parents": 8.0})
    >>> title_of(profile_chart(cur, label="children in care", current_label="30 Sep 2026"))
    'Foster placement: the largest group of children in care (72%)'
    """
    current = current.astype("float64")
    groups = list(current.index)
    top = current.idxmax() if current.notna().any() else None
    if title is None:
        if top is None:
            title = f"No {label} to show"
        else:
            title = f"{top}: the largest group of {label} ({format_value(current[top], unit)})"
    with mpl.rc_context(theme_rc()):
        fig = _new_figure(7.5, 0.45 * len(groups) + 1.6)
        ax = fig.add_subplot()
        y = np.arange(len(groups))
        height = 0.38 if previous is not None else 0.6
        ax.barh(
            y - (height / 2 if previous is not None else 0),
            current.to_numpy(),
            height=height,
            color=TWO_SERIES[0],
            label=current_label,
        )
        if previous is not None:
            prev = previous.reindex(groups).astype("float64")
            ax.barh(
                y + height / 2,
                prev.to_numpy(),
                height=height,
                color=TWO_SERIES[1],
                hatch="///",
                edgecolor="white",
                label=previous_label,
            )
            ax.legend(loc="lower right", fontsize=8)
        for yi, v in zip(y, current.to_numpy(), strict=True):
            if not math.isnan(v):
                ax.annotate(
                    format_value(v, unit),
                    (v, yi - (height / 2 if previous is not None else 0)),
                    textcoords="offset points",
                    xytext=(3, -3),
                    fontsize=7,
                    color=TEXT,
                )
        ax.set_yticks(y)
        ax.set_yticklabels([_wrap(str(g), 34) for g in groups], fontsize=8)
        ax.invert_yaxis()
        ax.grid(axis="y", visible=False)
        ax.grid(axis="x", visible=True)
        ax.xaxis.set_major_formatter(_axis_formatter(unit))
        ax.set_title(_wrap(title))
        _caption(
            fig,
            source,
            f"At {current_label}" + (f"; compared with {previous_label}" if previous_label else ""),
        )
    parts = [f"{g}: {format_value(v, unit)}" for g, v in current.items()]
    alt = f"Bar chart. {title}. {current_label}: " + "; ".join(parts) + "."
    if previous is not None:
        prev_parts = [f"{g}: {format_value(v, unit)}" for g, v in previous.reindex(groups).items()]
        alt += f" {previous_label}: " + "; ".join(prev_parts) + "."
    return Chart(fig, alt)


def comparator_chart(
    values: Mapping[str, float],
    *,
    council: str,
    label: str,
    unit: str,
    title: str | None = None,
    source: str = DEFAULT_SOURCE,
    period: str = "",
) -> Chart:
    """The council's figure highlighted against England, region and neighbours (grey).

    Examples
    --------
    >>> c = comparator_chart({"Ouzel Vale": 92.0, "England": 85.0}, council="Ouzel Vale",
    ...                      label="Immunisations", unit="percent")
    >>> title_of(c)
    'Immunisations: Ouzel Vale 92%, above England (85%)'
    """
    names = [n for n, v in values.items() if v is not None and not math.isnan(float(v))]
    nums = [float(values[n]) for n in names]
    own = values.get(council)
    if title is None:
        title = f"{label}: {council} {format_value(own, unit)}"
        eng = values.get("England")
        if (
            own is not None
            and eng is not None
            and not any(math.isnan(float(x)) for x in (own, eng))
        ):
            dp = decimals_for(unit)
            a, b = (format_value(x, unit) for x in (own, eng))
            ra, rb = round_half_up(float(own), dp), round_half_up(float(eng), dp)
            word = "above" if ra > rb else "below" if ra < rb else "the same as"
            title = f"{label}: {council} {a}, {word} England ({b})"
    with mpl.rc_context(theme_rc()):
        fig = _new_figure(6.5, 0.5 * max(len(names), 1) + 1.5)
        ax = fig.add_subplot()
        y = np.arange(len(names))
        colours = [HIGHLIGHT if n == council else CONTEXT_GREY for n in names]
        ax.barh(y, nums, color=colours, edgecolor=TEXT_SECONDARY, linewidth=0.5)
        for yi, v in zip(y, nums, strict=True):
            ax.annotate(
                format_value(v, unit),
                (v, yi),
                textcoords="offset points",
                xytext=(3, -3),
                fontsize=8,
                color=TEXT,
            )
        ax.set_yticks(y)
        ax.set_yticklabels(names, fontsize=8)
        for tick, n in zip(ax.get_yticklabels(), names, strict=True):
            if n == council:
                tick.set_fontweight("bold")
        ax.invert_yaxis()
        ax.grid(axis="y", visible=False)
        ax.grid(axis="x", visible=True)
        ax.xaxis.set_major_formatter(_axis_formatter(unit))
        # the bars' axes are narrow beside the labels: wrap the title to fit above them
        ax.set_title(_wrap(title, 44))
        _caption(fig, source, period)
    alt = (
        f"Bar chart. {title}. "
        + "; ".join(f"{n}: {format_value(v, unit)}" for n, v in zip(names, nums, strict=True))
        + "."
    )
    return Chart(fig, alt)


def stacked_chart(
    table: pd.DataFrame,
    *,
    label: str,
    title: str,
    unit: str = "count",
    source: str = DEFAULT_SOURCE,
) -> Chart:
    """Stacked bars: one bar per row of ``table`` (index = period end), one band per column.

    Bands differ by colour and hatch; the caller states the finding in ``title``.

    Examples
    --------
    >>> t = pd.DataFrame({"0 to 20 miles": [207, 239], "Over 20 miles": [64, 46]},
    ...                  index=pd.to_datetime(["2011-03-31", "2012-06-30"]))
    >>> stacked_chart(t, label="Children", title="More children lived near home").alt[:40]
    'Stacked bar chart. More children lived n'
    """
    data = table.astype("float64").fillna(0.0)
    with mpl.rc_context(theme_rc()):
        fig = _new_figure(7.5, 3.8)
        ax = fig.add_subplot()
        x = np.arange(len(data))
        bottom = np.zeros(len(data))
        for i, col in enumerate(data.columns):
            vals = data[col].to_numpy()
            ax.bar(
                x,
                vals,
                bottom=bottom,
                color=PALETTE[i % len(PALETTE)],
                hatch=_HATCHES[i % len(_HATCHES)],
                edgecolor="white",
                linewidth=0.6,
                label=str(col),
            )
            bottom += vals
        ax.set_xticks(x)
        ax.set_xticklabels([_quarter_label(d) for d in data.index], fontsize=7)
        ax.set_ylabel(label, fontsize=8)
        ax.yaxis.set_major_formatter(_axis_formatter(unit))
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=7)
        ax.set_title(_wrap(title))
        period = (
            f"Period: {format_date(data.index[0])} to {format_date(data.index[-1])}"
            if len(data)
            else ""
        )
        _caption(fig, source, period)
    rows = []
    for d, row in data.iterrows():
        rows.append(
            f"{format_date(d)}: "
            + ", ".join(f"{c} {format_value(v, unit)}" for c, v in row.items())
        )
    alt = f"Stacked bar chart. {title}. " + "; ".join(rows) + "."
    return Chart(fig, alt)


class Sparkline(NamedTuple):
    """A scorecard sparkline: SVG markup and its alt text (unpacks as ``svg, alt``)."""

    svg: str
    alt: str


#: sparkline drawing box in pixels (a 1.2 x 0.3 inch image at 110 dpi) and the plotted area
_SPARK_SIZE = (132.0, 33.0)
_SPARK_AREA = (0.02, 0.1, 0.96, 0.8)  # left, bottom, width, height (fractions)


def _spark_points(arr: np.ndarray) -> tuple[list[list[tuple[float, float]]], int | None]:
    """Pixel coordinates of the sparkline's runs of known values (a gap breaks the line)
    and the position of the last known value (``None`` when there is none).

    Examples
    --------
    >>> runs, last = _spark_points(np.array([1.0, np.nan, 2.0, 3.0]))
    >>> [len(r) for r in runs], last
    ([1, 2], 3)
    """
    ok = ~np.isnan(arr)
    if not ok.any():
        return [], None
    width, height = _SPARK_SIZE
    left, bottom, w, h = _SPARK_AREA
    n = len(arr)
    lo, hi = float(np.nanmin(arr)), float(np.nanmax(arr))
    x_pad, span = 0.05 * max(n - 1, 1), (hi - lo) or 1.0
    x0, x1 = -x_pad, (n - 1) + x_pad
    y0, y1 = lo - 0.05 * span, hi + 0.05 * span
    if hi == lo:  # a flat line sits in the middle
        y0, y1 = lo - 0.5 * span, lo + 0.5 * span
    px = left * width + (np.arange(n) - x0) / (x1 - x0) * w * width
    py = height - (bottom * height + (arr - y0) / (y1 - y0) * h * height)
    runs: list[list[tuple[float, float]]] = []
    current: list[tuple[float, float]] = []
    for i in range(n):  # a handful of quarters: a plain loop is clearest
        if ok[i]:
            current.append((float(px[i]), float(py[i])))
        elif current:
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    return runs, int(np.flatnonzero(ok)[-1])


def sparkline(values: Sequence[float] | pd.Series, *, unit: str, label: str = "") -> Sparkline:
    """A tiny line (no axes) of the last few quarters for the scorecard; last point marked.

    Drawn directly as SVG (a polyline per run of known values, a gap where a value is
    missing, a dot on the last known value): the scorecard holds dozens of them, and this
    costs a fraction of drawing each with matplotlib. Every quarter keeps its place across
    the width, so a line that stops short says the latest quarters have no value.

    Examples
    --------
    >>> spark = sparkline([10.0, 11.0, 14.5], unit="percent", label="3+ placements")
    >>> spark.alt
    '3+ placements, trend over the last 3 quarters: from 10% to 15% (lowest 10%, highest 15%).'
    >>> spark.svg.count("<polyline"), spark.svg.count("<circle")
    (1, 1)
    """
    arr = np.asarray(pd.to_numeric(pd.Series(list(values)), errors="coerce"), dtype="float64")
    runs, last = _spark_points(arr)
    stroke = 1.2 * 110 / 72  # 1.2 point line at 110 dpi, as the other charts
    parts = [
        f'<polyline fill="none" stroke="{HIGHLIGHT}" stroke-width="{stroke:.2f}" '
        'stroke-linejoin="round" stroke-linecap="round" points="'
        + " ".join(f"{x:.1f},{y:.1f}" for x, y in run)
        + '"/>'
        for run in runs
        if len(run) > 1
    ]
    if last is not None:
        x, y = runs[-1][-1]  # the last run ends at the last known value
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.4" fill="{HIGHLIGHT}"/>')
    width, height = _SPARK_SIZE
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:g}" height="{height:g}" '
        f'viewBox="0 0 {width:g} {height:g}"><rect width="100%" height="100%" fill="white"/>'
        + "".join(parts)
        + "</svg>"
    )
    lead = f"{label}, trend" if label else "Trend"
    clean = arr[~np.isnan(arr)]
    if clean.size == 0:
        alt = f"{lead}: no values available."
    else:
        alt = (
            f"{lead} over the last {len(arr)} quarters: from {format_value(clean[0], unit)} to "
            f"{format_value(clean[-1], unit)} (lowest {format_value(clean.min(), unit)}, "
            f"highest {format_value(clean.max(), unit)})."
        )
    return Sparkline(svg, alt)


def png_base64(fig: Figure, dpi: int = 110) -> str:
    """The figure as a base64 PNG string.

    Examples
    --------
    >>> png_base64(Figure(figsize=(1, 1)))[:8]
    'iVBORw0K'
    """
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, facecolor="white")
    return base64.b64encode(buf.getvalue()).decode("ascii")


def img_tag(chart: Chart | Sparkline, *, css_class: str = "", dpi: int = 110) -> str:
    """An ``<img>`` with the chart as a data URI (PNG; a sparkline's SVG) and its alt text
    (refuses empty alt text).

    Examples
    --------
    >>> img_tag(sparkline([1, 2], unit="count"), css_class="cpp-spark")[:31]
    '<img class="cpp-spark" alt="Tre'
    """
    if not chart.alt or not chart.alt.strip():
        raise ValueError("every chart needs informative alt text; got an empty string")
    cls = f' class="{css_class}"' if css_class else ""
    if isinstance(chart, Sparkline):
        src = "data:image/svg+xml;base64," + base64.b64encode(chart.svg.encode()).decode("ascii")
    else:
        src = f"data:image/png;base64,{png_base64(chart.fig, dpi)}"
    return f'<img{cls} alt="{html.escape(chart.alt, quote=True)}" src="{src}"/>'


def figure_html(chart: Chart | Sparkline, caption: str = "") -> str:
    """A ``<figure>`` holding the chart image (with alt text) and an optional caption.

    Examples
    --------
    >>> figure_html(sparkline([1, 2], unit="count"), "Note").startswith('<figure class="cpp">')
    True
    """
    cap = f"<figcaption>{html.escape(caption)}</figcaption>" if caption else ""
    return f'<figure class="cpp">{img_tag(chart)}{cap}</figure>'


def show(chart: Chart | Sparkline, caption: str = "") -> object:
    """Display object for a notebook: the chart as an accessible ``<figure>``.

    Examples
    --------
    >>> type(show(sparkline([1, 2], unit="count"))).__name__
    'HTML'
    """
    from IPython.display import HTML

    return HTML(figure_html(chart, caption))


__all__ = [
    "DEFAULT_SOURCE",
    "Chart",
    "Sparkline",
    "comparator_chart",
    "figure_html",
    "img_tag",
    "png_base64",
    "profile_chart",
    "show",
    "sparkline",
    "stacked_chart",
    "title_of",
    "trend_chart",
]
