"""Executed notebook → one self-contained HTML report for panel members.

The conversion (:func:`notebook_to_html`) uses nbconvert with the package's ``cppreport``
template (``reporting/templates/cppreport``), derived from JupyterLab's: code cells'
input and prompts hidden; no ``<script src>`` at all (nbconvert's default pulls require.js,
MathJax and Mermaid from a CDN, which councils' networks block); images embedded as
base64 with alt text taken from the output's metadata (``{"image/png": {"alt": ...}}``);
stderr streams, warnings and cells tagged ``remove_cell`` dropped; A4 print CSS; a table
of contents built from the ``h2``/``h3`` headings (:func:`add_toc`).

:func:`audit_html` lists what would make a report unfit to publish: external resources,
images without alt text, stderr/warning/traceback text, no table of contents, size.

Examples
--------
>>> add_toc('<h1 id="t">T</h1><h2 id="a">A</h2>').count('href="#a"')
1
>>> audit_html('<script src="https://cdn.x/require.js"></script>')[0]
'external resource: <script src="https://cdn.x/require.js">'
"""

from __future__ import annotations

import html as html_lib
import re
import threading
from concurrent.futures import Future
from importlib import resources
from pathlib import Path
from typing import Any

from cppanalytics.reporting.light import without_iri_grammars
from cppanalytics.reporting.outputs import INTERNAL_MARK

without_iri_grammars()  # before nbformat imports jsonschema

import nbformat  # noqa: E402

#: the largest HTML report we accept, in bytes (3 MB, decimal: the stricter reading)
MAX_HTML_BYTES = 3_000_000

#: tags of cells dropped from the HTML
REMOVE_CELL_TAGS = frozenset({"remove_cell", "cppanalytics-setup"})

_TEMPLATES = Path(str(resources.files("cppanalytics.reporting") / "templates"))

_HEADING = re.compile(r"<h([23])\b([^>]*)>(.*?)</h\1>", re.DOTALL | re.IGNORECASE)
_ID = re.compile(r"""\bid\s*=\s*["']([^"']+)["']""", re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")
_EXTERNAL = re.compile(
    r"""<(?:script|link|img|iframe|source|video|audio|embed)\b[^>]*?\b(?:src|href)\s*=\s*["']?"""
    r"""(?:https?:)?//[^"'\s>]+["']?[^>]*>""",
    re.IGNORECASE,
)
_CSS_URL = re.compile(r"""(?:@import\s+|url\(\s*)["']?(?:https?:)?//[^"')\s]+""", re.IGNORECASE)
_NOISE = re.compile(
    r"(Traceback \(most recent call last\)|\b\w*Warning: |\bwarnings\.warn\(|"
    r"\bUserWarning\b|\bFutureWarning\b|\bDeprecationWarning\b|\bSettingWithCopyWarning\b|"
    r"\bRuntimeWarning\b|^(?:DEBUG|INFO|WARNING|ERROR|CRITICAL):[\w.]+:)",
    re.MULTILINE,
)


def clean_notebook(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy of ``nb`` fit for readers: no stderr, no error outputs, no removed cells.

    Drops cells tagged ``remove_cell`` or ``cppanalytics-setup``, every stderr stream,
    every ``error`` output and widget views (they need JavaScript).

    Examples
    --------
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1")])
    >>> nb.cells[0].outputs = [nbformat.v4.new_output("stream", name="stderr", text="W")]
    >>> clean_notebook(nb).cells[0].outputs
    []
    """
    out = nbformat.from_dict(nb)
    cells = []
    for cell in out.cells:
        tags = set(cell.get("metadata", {}).get("tags", []))
        if tags & REMOVE_CELL_TAGS:
            continue
        if cell.cell_type == "code":
            kept = []
            for output in cell.get("outputs", []):
                if output.output_type == "stream" and output.get("name") == "stderr":
                    continue
                if output.output_type == "error":
                    continue
                data = output.get("data", {})
                if "application/vnd.jupyter.widget-view+json" in data:
                    continue
                kept.append(output)
            cell.outputs = kept
        cells.append(cell)
    out.cells = cells
    return out


def report_css() -> str:
    """The report's CSS (screen + A4 print), plus the presentation house style if present."""
    css = (_TEMPLATES / "cppreport" / "report.css").read_text(encoding="utf-8")
    house = Path(str(resources.files("cppanalytics.presentation")))
    for extra in sorted(house.glob("*.css")):
        css += "\n" + extra.read_text(encoding="utf-8")
    return css


def internal_marks(page: str) -> str:
    """Mark an internal report on screen and on every printed page: a banner at the top of
    the page and, in print, the words in the top and bottom margin of every sheet (CSS
    page margin boxes, so they never cover the content).

    Examples
    --------
    >>> marked = internal_marks("<html><head></head><body class='x'><p>Hi</p></body></html>")
    >>> marked.count(INTERNAL_MARK), "@top-center" in marked, "@bottom-center" in marked
    (3, True, True)
    """
    words = INTERNAL_MARK.replace("\\", "\\\\").replace('"', '\\"')
    box = f'content: "{words}"; font: 700 8pt sans-serif; color: #000;'
    style = (
        '<style id="cpp-internal-print">@page { '
        f"@top-center {{ {box} vertical-align: bottom; border-bottom: 1px solid #000; }} "
        f"@bottom-center {{ {box} vertical-align: top; border-top: 1px solid #000; }} "
        "}</style>"
    )
    banner = (
        f'<div class="cpp-internal-mark cpp-internal-mark-top" role="note">{INTERNAL_MARK}</div>'
    )
    page = re.sub(r"(</head>)", lambda m: style + m.group(1), page, count=1, flags=re.IGNORECASE)
    if style not in page:  # no head: the style goes first in the body
        banner = style + banner
    return re.sub(
        r"(<body\b[^>]*>)", lambda m: m.group(1) + banner, page, count=1, flags=re.IGNORECASE
    )


def _new_exporter() -> Any:
    """An nbconvert HTML exporter with the report's template and options."""
    from nbconvert import HTMLExporter

    return HTMLExporter(
        template_name="cppreport",
        extra_template_basedirs=[str(_TEMPLATES)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        embed_images=True,
    )


def _warmed_exporter() -> Any:
    """A new exporter that has converted a two-cell notebook once: nbconvert imported, the
    report's templates compiled and the Markdown parser built, so the report's own
    conversion does only its own work."""
    exporter = _new_exporter()
    cell = nbformat.v4.new_code_cell("1")
    cell.outputs = [nbformat.v4.new_output("display_data", data={"text/html": "<p>1</p>"})]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("## A\n\nText"), cell])
    nb.metadata["title"] = "warm-up"
    exporter.from_notebook_node(
        nb, resources={"cpp_report_css": "", "metadata": {"name": "warm-up"}}
    )
    return exporter


class PreparedConverter:
    """The HTML exporter, prepared in the background from :meth:`start` on (importing
    nbconvert, compiling the templates: about half a second of work).

    A report run starts it once its kernel is launched: the machinery's process then only
    waits for the kernel, and the preparation no longer competes for the interpreter with
    the steps that launch it.

    Examples
    --------
    >>> converter = PreparedConverter()
    >>> converter.start()
    >>> converter.result() is not None
    True
    """

    def __init__(self) -> None:
        self._future: Future[Any] = Future()
        self._lock = threading.Lock()
        self._started = False

    def start(self) -> None:
        """Begin preparing (once; later calls do nothing)."""
        with self._lock:
            if self._started:
                return
            self._started = True
        threading.Thread(target=self._prepare, name="preload-nbconvert", daemon=True).start()

    def _prepare(self) -> None:
        try:
            self._future.set_result(_warmed_exporter())
        except Exception:  # noqa: BLE001 - the conversion itself reports any problem
            self._future.set_result(None)

    def result(self) -> Any:
        """The warmed exporter for one :func:`notebook_to_html` call (started now if it was
        not), or ``None`` when the preparation failed."""
        self.start()
        return self._future.result()


def preload_converter() -> PreparedConverter:
    """Start preparing the HTML conversion in the background now (see
    :class:`PreparedConverter`).

    Examples
    --------
    >>> preload_converter().result() is not None
    True
    """
    converter = PreparedConverter()
    converter.start()
    return converter


def notebook_to_html(
    nb: nbformat.NotebookNode, *, title: str, internal: bool = False, exporter: Any = None
) -> str:
    """Convert an executed notebook to the self-contained report HTML (with a TOC);
    ``internal`` marks every page (:func:`internal_marks`). ``exporter`` is one from
    :func:`preload_converter` (used for this one conversion); by default a new one.

    Examples
    --------
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("## Hello")])
    >>> "cpp-toc" in notebook_to_html(nb, title="T")
    True
    >>> INTERNAL_MARK in notebook_to_html(nb, title="T", internal=True)
    True
    """
    if exporter is None:
        exporter = _new_exporter()
    clean = clean_notebook(nb)
    clean.metadata["title"] = title
    body, _ = exporter.from_notebook_node(
        clean, resources={"cpp_report_css": report_css(), "metadata": {"name": title}}
    )
    page = add_toc(for_narrow_screens(strip_css_comments(body)))
    return internal_marks(page) if internal else page


#: tables with more columns than this get a "scroll sideways" hint on narrow screens
HINT_COLUMNS = 3

_NBCONVERT_TABINDEX = re.compile(r'(<div\b[^>]*?)\s+tabindex="0"')
_CPP_TABLE = re.compile(
    r"<table\b[^>]*\bclass=\"[^\"]*\bcpp-table\b[^>]*>.*?</table>", re.DOTALL | re.IGNORECASE
)
_FIGURE_IMG = re.compile(r'(<figure class="cpp">)(\s*<img\b(?![^>]*cpp-spark))', re.IGNORECASE)
SCROLL_HINT = "Scroll sideways to see every column"
CHART_HINT = "Scroll sideways to see the whole chart"


def _columns(table: str) -> int:
    first = re.search(r"<tr\b.*?</tr>", table, re.DOTALL | re.IGNORECASE)
    if not first:
        return 0
    cells = re.findall(r"<t[hd]\b([^>]*)>", first.group(0), re.IGNORECASE)
    spans = [re.search(r'colspan="(\d+)"', attrs) for attrs in cells]
    return sum(int(m.group(1)) if m else 1 for m in spans)


def _wrap_table(match: re.Match[str]) -> str:
    table = match.group(0)
    caption = re.search(r"<caption\b[^>]*>(.*?)</caption>", table, re.DOTALL | re.IGNORECASE)
    label = _TAG.sub("", caption.group(1)).strip() if caption else "Table"
    hint = (
        f'<p class="cpp-scroll-hint" aria-hidden="true">{SCROLL_HINT} &rarr;</p>'
        if _columns(table) > HINT_COLUMNS
        else ""
    )
    return (
        f'<div class="cpp-scroll" role="region" tabindex="0" '
        f'aria-label="{html_lib.escape(html_lib.unescape(label), quote=True)}">'
        f"{hint}{table}</div>"
    )


def for_narrow_screens(page: str) -> str:
    """Fit the report to phones and tablets, and keep its tab stops meaningful.

    * nbconvert's ``tabindex="0"`` on output and input wrappers is removed (tab stops
      that do nothing for a keyboard user);
    * every report table is wrapped in a scrolling region (``div.cpp-scroll``,
      ``role="region"`` named by its caption, focusable so the keyboard can scroll it),
      with a "scroll sideways" hint shown on narrow screens for tables wider than
      :data:`HINT_COLUMNS` columns; the CSS shades the edge that has more to see;
    * charts keep a legible size on narrow screens (they scroll rather than shrink) with
      their own hint.

    Examples
    --------
    >>> page = ('<div class="jp-OutputArea-output" tabindex="0"><table class="cpp-table">'
    ...         '<caption>Scorecard</caption><tr><th>a</th><th>b</th><th>c</th><th>d</th>'
    ...         '</tr></table></div>')
    >>> out = for_narrow_screens(page)
    >>> out.count('tabindex="0"'), 'aria-label="Scorecard"' in out, SCROLL_HINT in out
    (1, True, True)
    """
    page = _NBCONVERT_TABINDEX.sub(r"\1", page)
    page = _CPP_TABLE.sub(_wrap_table, page)
    return _FIGURE_IMG.sub(
        rf'\1<p class="cpp-scroll-hint" aria-hidden="true">{CHART_HINT} &rarr;</p>\2', page
    )


def strip_css_comments(page: str) -> str:
    """Remove ``/* ... */`` comments inside ``<style>`` blocks (they carry stray URLs).

    Examples
    --------
    >>> strip_css_comments("<style>a{} /* see https://x */ b{}</style>")
    '<style>a{}  b{}</style>'
    """

    def _clean(match: re.Match[str]) -> str:
        return re.sub(r"/\*.*?\*/", "", match.group(0), flags=re.DOTALL)

    return re.sub(r"<style\b[^>]*>.*?</style>", _clean, page, flags=re.DOTALL | re.IGNORECASE)


def _heading_text(inner: str) -> str:
    text = _TAG.sub("", re.sub(r"<a[^>]*anchor-link[^>]*>.*?</a>", "", inner, flags=re.DOTALL))
    return html_lib.unescape(text).replace("¶", "").strip()


def add_toc(page: str) -> str:
    """Insert a table of contents (``h2``/``h3`` headings) before the first ``h2``.

    Headings without an ``id`` get one. Does nothing when there are no ``h2`` headings.

    Examples
    --------
    >>> page = add_toc("<h2>Scorecard</h2><h3>Health</h3>")
    >>> '<a href="#scorecard">Scorecard</a>' in page and 'id="health"' in page
    True
    """
    entries: list[tuple[int, str, str]] = []
    used: set[str] = set()

    def _replace(match: re.Match[str]) -> str:
        level, attrs, inner = int(match.group(1)), match.group(2), match.group(3)
        text = _heading_text(inner)
        found = _ID.search(attrs)
        if found:
            anchor = found.group(1)
        else:
            base = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "section"
            anchor, n = base, 1
            while anchor in used:
                n += 1
                anchor = f"{base}-{n}"
            attrs = f'{attrs} id="{anchor}"'
        used.add(anchor)
        if text and "cpp-toc-title" not in attrs:
            entries.append((level, anchor, text))
        return f"<h{level}{attrs}>{inner}</h{level}>"

    page = _HEADING.sub(_replace, page)
    if not entries:
        return page
    items = "\n".join(
        f'<li class="cpp-toc-h{level}"><a href="#{html_lib.escape(anchor)}">'
        f"{html_lib.escape(text)}</a></li>"
        for level, anchor, text in entries
    )
    nav = (
        '<nav class="cpp-toc" aria-labelledby="cpp-toc-title">'
        '<h2 id="cpp-toc-title" class="cpp-toc-title">Contents</h2>'
        f"<ul>\n{items}\n</ul></nav>\n"
    )
    first = re.search(r"<h2\b", page, re.IGNORECASE)
    assert first is not None
    return page[: first.start()] + nav + page[first.start() :]


def audit_html(page: str) -> list[str]:
    """Problems that make a report unfit to publish (empty list = fine).

    Checks: no externally loaded script, stylesheet, font or image; every ``<img>`` has
    non-empty alt text; no stderr/warning/traceback/log text; a table of contents; size
    under :data:`MAX_HTML_BYTES`.

    Examples
    --------
    >>> audit_html('<nav class="cpp-toc"></nav><img src="data:," alt="">')
    ['image without alt text: <img src="data:," alt="">']
    """
    problems: list[str] = []
    for match in _EXTERNAL.finditer(page):
        problems.append(f"external resource: {match.group(0)[:120]}")
    for match in _CSS_URL.finditer(page):
        problems.append(f"external resource in CSS: {match.group(0)[:120]}")
    for match in re.finditer(r"<img\b[^>]*>", page, re.IGNORECASE):
        tag = match.group(0)
        alt = re.search(r"""\balt\s*=\s*(["'])(.*?)\1""", tag, re.DOTALL)
        if not alt or not alt.group(2).strip():
            shown = re.sub(r"base64,[^\"']{20,}", "base64,…", tag)
            problems.append(f"image without alt text: {shown[:120]}")
    text = _TAG.sub(" ", re.sub(r"<(style|script)\b.*?</\1>", " ", page, flags=re.DOTALL | re.I))
    for match in _NOISE.finditer(html_lib.unescape(text)):
        problems.append(f"stderr/warning/log text in the report: {match.group(0).strip()!r}")
    if 'class="cpp-toc"' not in page:
        problems.append("no table of contents (the notebook has no '##' headings)")
    size = len(page.encode("utf-8"))
    if size >= MAX_HTML_BYTES:
        problems.append(f"HTML is {size / 1e6:.1f} MB; the limit is {MAX_HTML_BYTES / 1e6:.1f} MB")
    return problems
