"""The report folder: where outputs go, atomic writes, and the scorecard spreadsheet.

A report lands in ``<output_root>/<council-slug>/<period_end>/`` (see :func:`report_dir`).
It is built in a hidden temporary folder beside the target and renamed into place only
when complete (:func:`atomic_directory`), so a killed or failed run never leaves a
half-written report and never damages the previous one.

Examples
--------
>>> council_slug("Ouzel Vale Council (synthetic)")
'ouzel-vale-council-synthetic'
>>> report_dir("reports", "Ouzel Vale Council (synthetic)", "2026-09-30").as_posix()
'reports/ouzel-vale-council-synthetic/2026-09-30'
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cppanalytics.errors import CppError
from cppanalytics.writing import atomic_path, make_folder, output_error, write_csv

if TYPE_CHECKING:  # pandas is imported where tables are written: the report machinery's
    import pandas as pd  # own process (folders, HTML) never needs it

#: the words marking every page of an internal report, its CSV and its spreadsheet
INTERNAL_MARK = "INTERNAL: not for publication"

#: column names that identify a child; never written to a published table
IDENTIFYING_COLUMNS: frozenset[str] = frozenset(
    {"child", "upn", "dob", "home_post", "pl_post", "postcode", "former_upn"}
)

#: the shared legend for the house-style symbols
SYMBOL_LEGEND = "c = suppressed (small number), x = not available, z = not applicable"


def council_slug(name: str) -> str:
    """A folder-safe slug of a council name (lower case, ASCII, hyphens).

    Examples
    --------
    >>> council_slug("Bath & North East Somerset")
    'bath-north-east-somerset'
    """
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return slug or "council"


def report_dir(output_root: str | Path, council_name: str, period_end: str) -> Path:
    """The folder one report is written to: ``<root>/<council-slug>/<period_end>``.

    Examples
    --------
    >>> report_dir("/r", "Leeds", "2026-03-31").as_posix()
    '/r/leeds/2026-03-31'
    """
    return Path(output_root) / council_slug(council_name) / str(period_end)


@contextlib.contextmanager
def atomic_directory(target: str | Path) -> Iterator[Path]:
    """Build a folder in a temporary sibling and rename it to ``target`` on success.

    On any exception (or interrupt) the temporary folder is removed and ``target`` is left
    exactly as it was (absent, or the previous report). An existing ``target`` is replaced
    only after the new one is complete.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> with atomic_directory(root / "out") as tmp:
    ...     _ = (tmp / "a.txt").write_text("hi")
    >>> (root / "out" / "a.txt").read_text()
    'hi'
    """
    target = Path(target)
    make_folder(target.parent, what="report folder")
    remove_stale_temporaries(target)
    try:
        tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-{os.getpid()}-", dir=target.parent))
        os.chmod(tmp, 0o755)  # mkdtemp makes it private; a report folder is readable as any
    except OSError as exc:
        raise output_error(target, exc, "report folder") from exc
    try:
        yield tmp
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    old: Path | None = None
    try:
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
            old.rmdir()
            os.replace(target, old)
        os.replace(tmp, target)
    except BaseException as exc:
        if old is not None and not target.exists():
            os.replace(old, target)
        shutil.rmtree(tmp, ignore_errors=True)
        if isinstance(exc, OSError):
            raise output_error(target, exc, "report folder") from exc
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, someone else's
        return True
    return True


def remove_stale_temporaries(target: str | Path) -> list[Path]:
    """Remove temporary siblings of ``target`` left by runs that were killed.

    A temporary folder is named ``.<target>.tmp-<pid>-<random>``; it is stale when that
    process no longer exists (a run killed with SIGKILL cannot clean up after itself).
    Folders of live processes (a concurrent run) are left alone. Returns what was removed.

    Examples
    --------
    >>> remove_stale_temporaries("/nonexistent/x")
    []
    """
    target = Path(target)
    removed: list[Path] = []
    if not target.parent.is_dir():
        return removed
    for candidate in target.parent.glob(f".{target.name}.tmp-*"):
        match = re.match(rf"\.{re.escape(target.name)}\.tmp-(\d+)-", candidate.name)
        if match and candidate.is_dir() and not _pid_alive(int(match.group(1))):
            shutil.rmtree(candidate, ignore_errors=True)
            removed.append(candidate)
    return removed


def check_publishable_columns(frame: pd.DataFrame, what: str) -> None:
    """Raise :class:`CppError` if ``frame`` has a column that identifies a child.

    Examples
    --------
    >>> import pandas as pd
    >>> check_publishable_columns(pd.DataFrame({"CHILD": [1]}), "results")
    Traceback (most recent call last):
    ...
    cppanalytics.errors.CppError: results has column(s) CHILD that identify children; ...
    """
    bad = [c for c in frame.columns if str(c).strip().lower() in IDENTIFYING_COLUMNS]
    if bad:
        raise CppError(
            f"{what} has column(s) {', '.join(map(str, bad))} that identify children; "
            "drop them before exporting (published outputs never carry CHILD/UPN/DOB/postcodes)"
        )


def write_scorecard_xlsx(
    scorecard: pd.DataFrame,
    path: str | Path,
    *,
    title: str,
    notes: str = "",
    sheet_name: str = "Scorecard",
    source: str = "",
) -> Path:
    """Write the scorecard as an accessible statistical spreadsheet (atomically).

    Built with ``gptables`` (:mod:`cppanalytics.reporting.spreadsheet`): a cover sheet,
    contents, notes and the scorecard on its own sheet, numbers stored as numbers with
    number formats, suppression marks as text (``[c]``), RAG as a word, nothing that can
    become a formula.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import pandas as pd
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "s.xlsx"
    >>> _ = write_scorecard_xlsx(pd.DataFrame({"Indicator": ["a"], "Value": [1]}), p, title="T")
    >>> p.exists()
    True
    """
    from cppanalytics.reporting.spreadsheet import Sheet, write_workbook

    frame = scorecard.reset_index(drop=True)
    check_publishable_columns(frame, f"scorecard for {path}")
    path = Path(path)
    with atomic_path(path, what="scorecard spreadsheet") as tmp:
        write_workbook(
            [Sheet(sheet_name, title, frame, notes)],
            tmp,
            title=title,
            source=source
            or "the council's SSDA903 return, computed by cppanalytics to DfE's "
            "definitions; England, region and statistical neighbours from DfE's published "
            "statistics (Open Government Licence v3.0)",
        )
    return path


def _scorecard_printed(report: Any, scorecard: pd.DataFrame | None) -> pd.DataFrame | None:
    """The scorecard as the spreadsheet prints it, with the helper columns naming each
    row's indicator and window (from the report's scorecard, row for row)."""
    import pandas as pd

    card = report.extras.get("scorecard")
    if card is None:
        return None
    card = card.reset_index(drop=True)
    if scorecard is None or len(scorecard) != len(card):
        return card
    printed = scorecard.reset_index(drop=True)
    helpers = card[[c for c in card.columns if str(c).startswith("_")]]
    return pd.concat([printed, helpers], axis=1)


def export_tables(
    output_dir: str | Path,
    *,
    results: pd.DataFrame | None = None,
    scorecard: pd.DataFrame | None = None,
    title: str = "Scorecard",
    notes: str = "",
    mode: str = "",
    report: Any = None,
) -> list[Path]:
    """Write ``results.csv`` and ``scorecard.xlsx`` to ``output_dir`` (called by notebooks).

    A public report (``mode="public"`` with its ``report``) first passes
    :func:`cppanalytics.judgement.public_tables.check_publication`: the results, the
    care-leaver projection and every drill-down table as the HTML printed them, and the
    scorecard as the spreadsheet prints it, attacked together; a figure a reader could work
    out raises :class:`~cppanalytics.reporting.publication.DisclosureError` (exit status 2,
    naming table, row and column) and nothing is published. This runs in interactive use
    too. Does nothing else when ``output_dir`` is ``""`` (interactive use). Refuses tables with
    child-identifying columns. Returns the paths written. ``mode="internal"`` marks both
    so they cannot pass for the public version: a first CSV column ``version`` reading
    ``INTERNAL: not for publication`` on every row, and the same words before the
    spreadsheet's title (cover and sheet).

    Examples
    --------
    >>> import tempfile
    >>> import pandas as pd
    >>> d = tempfile.mkdtemp()
    >>> [p.name for p in export_tables(d, results=pd.DataFrame({"indicator_id": ["x"]}))]
    ['results.csv']
    """
    import pandas as pd

    if mode == "public" and report is not None:
        from cppanalytics.judgement.public_tables import check_publication

        check_publication(report, scorecard=_scorecard_printed(report, scorecard))
    if not str(output_dir):
        return []
    out = make_folder(output_dir)
    written: list[Path] = []
    if results is not None:
        check_publishable_columns(results, "results table")
        frame = results.copy()
        if mode == "internal":
            frame.insert(0, "version", INTERNAL_MARK)
        for col in frame.columns:
            if isinstance(
                frame[col].dtype, pd.DatetimeTZDtype
            ) or pd.api.types.is_datetime64_any_dtype(frame[col]):
                frame[col] = frame[col].dt.strftime("%Y-%m-%d")
        written.append(write_csv(frame, out / "results.csv", what="results CSV"))
    if scorecard is not None:
        if mode == "internal":
            title = f"{INTERNAL_MARK}. {title}"
        written.append(
            write_scorecard_xlsx(scorecard, out / "scorecard.xlsx", title=title, notes=notes)
        )
    return written
