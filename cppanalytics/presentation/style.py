"""House style in one place: colours, the matplotlib theme and the report stylesheet.

Colours follow the UK Government Analysis Function accessible palette. Every colour a
chart draws with has a WCAG contrast ratio of at least 3:1 against white (graphics), and
every colour used for text at least 4.5:1 (:func:`contrast_ratio`). The grey used behind a
highlighted series is deliberately light: it marks context, never the finding.

Examples
--------
>>> PALETTE[0], TWO_SERIES
('#12436D', ('#12436D', '#F46A25'))
>>> contrast_ratio("#FFFFFF", "#000000")
21.0
"""

from __future__ import annotations

from importlib import resources
from typing import Any

#: Categorical palette, in order of use.
PALETTE: tuple[str, ...] = ("#12436D", "#28A197", "#801650", "#F46A25", "#3D3D3D", "#A285D1")
#: Two series (e.g. this year and last year).
TWO_SERIES: tuple[str, str] = ("#12436D", "#F46A25")
#: The series that carries the finding.
HIGHLIGHT = "#12436D"
#: Context series shown behind the highlight.
CONTEXT_GREY = "#BFBFBF"
#: Body text and axis labels.
TEXT = "#0B0C0C"
#: Secondary text (captions, notes).
TEXT_SECONDARY = "#3D3D3D"
#: Gridlines (decoration only, not information).
GRID = "#E5E5E5"

#: Line styles and markers paired with the palette so series stay distinct in greyscale.
LINE_STYLES: tuple[str | tuple[int, tuple[int, ...]], ...] = (
    "-",
    "--",
    ":",
    "-.",
    (0, (5, 1)),
    (0, (3, 1, 1, 1)),
)
MARKERS: tuple[str, ...] = ("o", "s", "^", "D", "v", "P")

#: RAG rating → (background, text colour, label). Text on each background is ≥ 4.5:1.
RAG_COLOURS: dict[str, tuple[str, str, str]] = {
    "red": ("#D4351C", "#FFFFFF", "Red"),
    "amber": ("#FFDD00", "#0B0C0C", "Amber"),
    "green": ("#00703C", "#FFFFFF", "Green"),
    "none": ("#FFFFFF", "#0B0C0C", "No target"),
}

#: Colours used to draw chart marks (each must reach 3:1 against white).
GRAPHIC_COLOURS: tuple[str, ...] = (*PALETTE, HIGHLIGHT)
#: Colours used for text on white (each must reach 4.5:1).
TEXT_COLOURS: tuple[str, ...] = (TEXT, TEXT_SECONDARY, HIGHLIGHT)


def _channel(value: int) -> float:
    c = value / 255.0
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(colour: str) -> float:
    """WCAG 2.x relative luminance of a ``#RRGGBB`` colour.

    Examples
    --------
    >>> relative_luminance("#FFFFFF")
    1.0
    """
    hexpart = colour.lstrip("#")
    if len(hexpart) != 6:
        raise ValueError(f"not a #RRGGBB colour: {colour!r}")
    r, g, b = (int(hexpart[i : i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast_ratio(colour: str, background: str = "#FFFFFF") -> float:
    """WCAG contrast ratio (1–21) between two ``#RRGGBB`` colours, rounded to 2 dp.

    Examples
    --------
    >>> contrast_ratio("#12436D") > 4.5
    True
    """
    a, b = relative_luminance(colour), relative_luminance(background)
    hi, lo = max(a, b), min(a, b)
    return round((hi + 0.05) / (lo + 0.05), 2)


def rag_key(rag: object) -> str:
    """Normalise a RAG value (``"R"``, ``"red"``, ``"Green"``, blank …) to a key of
    :data:`RAG_COLOURS`.

    Examples
    --------
    >>> rag_key("R"), rag_key("Amber"), rag_key(None)
    ('red', 'amber', 'none')
    """
    text = str(rag).strip().lower() if rag is not None else ""
    if text in ("", "nan", "none", "<na>"):
        return "none"
    return {"r": "red", "a": "amber", "g": "green"}.get(text[0], "none") if text else "none"


#: The base of the chart theme: a white, uncluttered style (the look of seaborn's "white"
#: style at its "paper" scale, font scale 1.15), written out so drawing a chart does not
#: import seaborn and SciPy (over a second in each report's kernel).
BASE_RC: dict[str, object] = {
    "figure.facecolor": "white",
    "axes.facecolor": "white",
    "axes.axisbelow": True,
    "axes.linewidth": 1.0,
    "axes.spines.left": True,
    "axes.spines.bottom": True,
    "grid.linestyle": "-",
    "grid.linewidth": 0.8,
    "lines.linewidth": 1.2,
    "lines.markersize": 4.8,
    "lines.solid_capstyle": "round",
    "patch.edgecolor": "w",
    "patch.force_edgecolor": True,
    "patch.linewidth": 0.8,
    "xtick.direction": "out",
    "ytick.direction": "out",
    "xtick.top": False,
    "ytick.right": False,
    "xtick.bottom": False,
    "ytick.left": False,
    "xtick.major.width": 1.0,
    "ytick.major.width": 1.0,
    "xtick.minor.width": 0.8,
    "ytick.minor.width": 0.8,
    "xtick.major.size": 4.8,
    "ytick.major.size": 4.8,
    "xtick.minor.size": 3.2,
    "ytick.minor.size": 3.2,
    "font.size": 11.04,
    "axes.labelsize": 11.04,
    "axes.titlesize": 11.04,
    "xtick.labelsize": 10.12,
    "ytick.labelsize": 10.12,
    "legend.fontsize": 10.12,
    "legend.title_fontsize": 11.04,
}


def theme_rc() -> dict[Any, Any]:
    """Matplotlib rc settings for report charts (:data:`BASE_RC` plus the house colours).

    Use as ``with matplotlib.rc_context(theme_rc()): ...`` so nothing global changes.

    Examples
    --------
    >>> theme_rc()["axes.edgecolor"]
    '#3D3D3D'
    """
    from cycler import cycler

    rc: dict[str, object] = dict(BASE_RC)
    rc.update(
        {
            "axes.prop_cycle": cycler(color=list(PALETTE)),
            "axes.edgecolor": TEXT_SECONDARY,
            "axes.labelcolor": TEXT,
            "axes.titlecolor": TEXT,
            "axes.titleweight": "bold",
            "axes.titlelocation": "left",
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.grid": True,
            "axes.grid.axis": "y",
            "grid.color": GRID,
            "xtick.color": TEXT_SECONDARY,
            "ytick.color": TEXT_SECONDARY,
            "text.color": TEXT,
            "font.family": "DejaVu Sans",
            "figure.dpi": 100,
            "savefig.dpi": 110,
            "legend.frameon": False,
        }
    )
    return rc


def stylesheet() -> str:
    """The report's CSS (tables, RAG badges, tiles, banners, print to A4), no external fonts.

    Examples
    --------
    >>> "@page" in stylesheet()
    True
    """
    return resources.files("cppanalytics.presentation").joinpath("report.css").read_text("utf-8")
