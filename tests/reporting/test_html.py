"""HTML conversion: self-contained, code hidden, quiet, TOC, A4 print CSS, alt text."""

from __future__ import annotations

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from cppanalytics.reporting.html import (
    MAX_HTML_BYTES,
    add_toc,
    audit_html,
    clean_notebook,
    notebook_to_html,
    preload_converter,
)

PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="


def _notebook() -> nbformat.NotebookNode:
    code = new_code_cell("import secret_code_here\nprint('shown')")
    code.outputs = [
        new_output("stream", name="stdout", text="shown on stdout\n"),
        new_output("stream", name="stderr", text="UserWarning: noisy\n"),
        new_output(
            "display_data",
            data={"image/png": PNG, "text/plain": "<Figure>"},
            metadata={"image/png": {"alt": "A chart of children in care"}},
        ),
        new_output("display_data", data={"text/html": "<table><tr><td>7</td></tr></table>"}),
    ]
    hidden = new_code_cell("x = 1", metadata={"tags": ["remove_cell"]})
    hidden.outputs = [new_output("stream", name="stdout", text="removed output\n")]
    return new_notebook(
        cells=[
            new_markdown_cell("# Ouzel Vale report\n\nIntro."),
            new_markdown_cell("## Scorecard"),
            code,
            hidden,
            new_markdown_cell("## Stability\n\n### Long-term stability"),
        ]
    )


def test_clean_notebook_drops_stderr_errors_and_removed_cells():
    nb = _notebook()
    nb.cells[2].outputs.append(new_output("error", ename="E", evalue="v", traceback=[]))
    clean = clean_notebook(nb)
    assert len(clean.cells) == 4
    kinds = [(o.output_type, o.get("name")) for o in clean.cells[2].outputs]
    assert ("stream", "stderr") not in kinds and ("error", None) not in kinds
    assert len(nb.cells[2].outputs) == 5  # the input is not modified


def test_html_is_self_contained_quiet_and_code_hidden():
    page = notebook_to_html(_notebook(), title="Ouzel Vale: quarterly report")
    assert "<title>Ouzel Vale: quarterly report</title>" in page
    assert "<script" not in page  # no require.js / MathJax / Mermaid at all
    assert "http://" not in page and "https://" not in page
    assert "secret_code_here" not in page  # code hidden
    assert "In&nbsp;[" not in page and "In [" not in page  # no prompts
    assert "shown on stdout" in page
    assert "UserWarning" not in page and "noisy" not in page  # stderr stripped
    assert "removed output" not in page
    assert 'alt="A chart of children in care"' in page
    assert f"data:image/png;base64,{PNG}" in page
    assert audit_html(page) == []


def test_print_css_is_a4():
    page = notebook_to_html(_notebook(), title="T")
    assert "@page { size: A4" in page
    assert "break-inside: avoid" in page and "thead { display: table-header-group; }" in page


def test_toc_lists_h2_h3_in_order_before_first_h2():
    page = notebook_to_html(_notebook(), title="T")
    nav_at = page.index('class="cpp-toc"')
    assert page.index("Ouzel Vale report") < nav_at < page.index(">Scorecard<")
    toc = page[nav_at : page.index("</nav>")]
    assert toc.index("Scorecard") < toc.index("Stability") < toc.index("Long-term stability")
    assert 'class="cpp-toc-h3"' in toc
    for anchor in ("#Scorecard", "#Stability", "#Long-term-stability"):
        assert f'href="{anchor}"' in toc
        assert f'id="{anchor[1:]}"' in page


def test_add_toc_adds_missing_ids_and_dedupes():
    page = add_toc("<h2>Health</h2><p>x</p><h2>Health</h2>")
    assert 'id="health"' in page and 'id="health-2"' in page
    assert add_toc("<h1>Only a title</h1>") == "<h1>Only a title</h1>"


def test_audit_catches_each_problem():
    page = (
        '<script src="https://cdn.example/require.js"></script>'
        '<link rel="stylesheet" href="http://fonts.example/css">'
        "<style>@import url(https://fonts.googleapis.com/css);</style>"
        '<img src="data:image/png;base64,xyz"><img src="data:," alt=" ">'
        "<pre>Traceback (most recent call last):</pre>"
        "<pre>FutureWarning: x</pre>"
    )
    problems = audit_html(page)
    text = "\n".join(problems)
    assert text.count("external resource") == 3
    assert text.count("image without alt text") == 2
    assert "Traceback (most recent call last)" in text
    assert "FutureWarning" in text
    assert "no table of contents" in text
    big = '<nav class="cpp-toc"></nav>' + "x" * MAX_HTML_BYTES
    assert any("limit is 3.0 MB" in p for p in audit_html(big))


def test_links_to_sources_are_allowed():
    page = '<nav class="cpp-toc"></nav><a href="https://www.gov.uk/x">DfE statistics</a>'
    assert audit_html(page) == []


def test_a_warmed_exporter_converts_exactly_as_a_fresh_one():
    # the exporter prepared while the kernel runs has converted its own small notebook
    # first: nothing of that may reach the report (headings, ids, images, tables, marks)
    nb = _notebook()
    for internal in (False, True):
        warmed = preload_converter().result()
        assert warmed is not None
        fresh = notebook_to_html(nb, title="Ouzel Vale", internal=internal)
        assert notebook_to_html(nb, title="Ouzel Vale", internal=internal, exporter=warmed) == fresh
        assert "warm-up" not in fresh
