"""The internal report printed to a real PDF (headless Chromium) carries its marking at the
top and the bottom of every page, over no content; a public report carries none (slow;
skips cleanly without chromium or poppler-utils)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from cppanalytics.reporting.outputs import INTERNAL_MARK

from .chromium import chromium_or_skip

pytestmark = pytest.mark.slow  # on one pytest-xdist worker with its sharers (tests/conftest.py)


def _poppler_or_skip() -> None:
    missing = [t for t in ("pdftotext", "pdftoppm", "pdfinfo") if shutil.which(t) is None]
    if missing:
        pytest.skip(f"{', '.join(missing)} not installed (apt-get install -y poppler-utils)")


def _print_to_pdf(html: Path, pdf: Path, profile: Path) -> None:
    subprocess.run(
        [
            chromium_or_skip(),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
            f"--user-data-dir={profile}",
            f"--print-to-pdf={pdf}",
            html.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )


def _pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True)
    return int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.MULTILINE).group(1))


def _page_text(pdf: Path, page: int) -> str:
    return subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def _ink_rows(pdf: Path, page: int, out: Path) -> tuple[list[int], int]:
    """Rows of the page (rendered at 30 dpi, grey) holding any dark pixel, and its height."""
    folder = out / f"page{page}"
    folder.mkdir()
    stem = folder / "p"
    subprocess.run(
        ["pdftoppm", "-f", str(page), "-l", str(page), "-r", "30", "-gray", str(pdf), str(stem)],
        check=True,
        capture_output=True,
    )
    image = next(folder.glob("*.pgm"))
    data = image.read_bytes()
    # binary PGM: "P5\n<w> <h>\n<max>\n" then one byte per pixel
    header = re.match(rb"P5\s+(\d+)\s+(\d+)\s+(\d+)\s", data)
    assert header is not None
    width, height = int(header.group(1)), int(header.group(2))
    pixels = data[header.end() :]
    return [y for y in range(height) if min(pixels[y * width : (y + 1) * width]) < 128], height


@pytest.fixture(scope="module")
def printed(request: pytest.FixtureRequest, tmp_path_factory) -> tuple[Path, Path]:
    """The demo council's internal and public quarterly reports (params/synthetic_2026-09-30
    and synthetic_public_2026-09-30, made once per session in tests/reporting/conftest.py),
    printed to PDF."""
    chromium_or_skip()
    _poppler_or_skip()
    run = request.getfixturevalue("demo_run")  # the reports only once the tools are there
    assert run.status == 0, run.err
    root = request.getfixturevalue("demo_root")
    internal = root / "ouzel-vale-council-synthetic" / "2026-09-30" / "quarterly_report"
    out = tmp_path_factory.mktemp("pdf")
    pdfs = []
    for html in (internal / "quarterly_report.html", request.getfixturevalue("demo_public").html):
        pdf = out / f"{html.stem}.pdf"
        _print_to_pdf(html, pdf, out / "profile")
        pdfs.append(pdf)
    return pdfs[0], pdfs[1]


def test_every_printed_page_of_the_internal_report_is_marked_top_and_bottom(
    printed: tuple[Path, Path], tmp_path: Path
) -> None:
    internal, _ = printed
    pages = _pages(internal)
    assert pages > 5  # the real report, not a stub
    for page in range(1, pages + 1):
        text = _page_text(internal, page)
        # the margin boxes, top and bottom (page 1 adds the on-screen banner)
        assert text.count(INTERNAL_MARK) >= 2, f"page {page} of {pages} is not marked twice"
    # the marks are printed in the page margins (15 mm of A4's 297 mm), where no content
    # can go: ink there on every sampled page is the mark, not a line of the report
    margin = 15 / 297
    for page in (1, 2, pages // 2, pages):
        rows, height = _ink_rows(internal, page, tmp_path)
        assert any(y < margin * height for y in rows), f"page {page}: no mark in the top margin"
        assert any(y > (1 - margin) * height for y in rows), f"page {page}: none at the bottom"


def test_the_public_report_is_not_marked(printed: tuple[Path, Path]) -> None:
    _, public = printed
    for page in range(1, _pages(public) + 1):
        assert INTERNAL_MARK not in _page_text(public, page)
