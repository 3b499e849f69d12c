"""One report run: validate the parameter file, execute, convert, write the report folder.

:func:`run_report` is what ``cppanalytics run`` and each batch job call. The report folder
is ``<output_root>/<council-slug>/<period_end>/<report>/`` where ``<report>`` is the
notebook's name (``quarterly_report``), with ``_public`` appended in public mode, so the
quarterly, annual and public reports for the same 31 March sit side by side and never
overwrite each other. It holds::

    <report>.ipynb   the executed notebook
    <report>.html    the self-contained HTML report
    results.csv      the judged results table      (written by the notebook, see reporting)
    scorecard.xlsx   the accessible scorecard       (written by the notebook, see reporting)
    manifest.json    versions, parameters, input hashes, timings

The folder is built in a temporary sibling and renamed into place at the end, so a failed
or killed run leaves nothing half-written. A public report is moved into place only after
:func:`cppanalytics.reporting.publication.check_folder` has checked every file in it
against the extract's own identifiers; a refusal leaves nothing in the public folder.

Examples
--------
>>> result = run_report("params/synthetic_2026-09-30.yaml")  # doctest: +SKIP
>>> result.html.name  # doctest: +SKIP
'quarterly_report.html'
"""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from cppanalytics.errors import EXIT_INTERNAL, CppError
from cppanalytics.reporting.execute import NotebookError, execute
from cppanalytics.reporting.html import (
    MAX_HTML_BYTES,
    PreparedConverter,
    audit_html,
    notebook_to_html,
)
from cppanalytics.reporting.manifest import build_manifest, write_manifest
from cppanalytics.reporting.outputs import atomic_directory, report_dir
from cppanalytics.reporting.params import INTERNAL_ONLY, ReportSpec, load_spec
from cppanalytics.writing import write_text

if TYPE_CHECKING:  # the publication check (and pandas) is imported for public reports only
    from cppanalytics.reporting.publication import Identifiers

#: audit findings that make the HTML unpublishable (the run fails)
BLOCKING_PROBLEMS = ("external resource",)


@dataclass(frozen=True)
class RunResult:
    """What a report run produced.

    Attributes
    ----------
    spec
        the validated parameters.
    folder
        the report folder.
    html
        the HTML report.
    timings
        seconds per stage (validate, execute, convert, write, total).
    notes
        coercions made while reading the parameters.
    warnings
        HTML audit findings that did not stop the run (e.g. an image without alt text).
    """

    spec: ReportSpec
    folder: Path
    html: Path
    timings: dict[str, float]
    notes: tuple[str, ...] = ()
    warnings: tuple[str, ...] = field(default_factory=tuple)


def report_name(spec: ReportSpec) -> str:
    """The report's folder and file stem: notebook name, ``_public`` in public mode.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> report_name(SimpleNamespace(notebook=Path("q.ipynb"), parameters={"mode": "public"}))
    'q_public'
    """
    suffix = "_public" if spec.parameters.get("mode") == "public" else ""
    return f"{spec.notebook.stem}{suffix}"


def target_folder(spec: ReportSpec) -> Path:
    """Where the report for ``spec`` is written."""
    return report_dir(spec.output_root, spec.council_name, spec.period_end) / report_name(spec)


def extract_identifiers(spec: ReportSpec) -> Identifiers:
    """The identifiers of the extract a report reads (its ``data_dir``), for the
    publication check; none when ``data_dir`` holds no usable 903 files (the notebook
    then reads no child-level data)."""
    from cppanalytics.reporting.publication import Identifiers, identifiers_of
    from cppanalytics.ssda903 import load

    data_dir = spec.parameters.get("data_dir")
    if not data_dir or not Path(str(data_dir)).exists():
        return Identifiers()
    try:
        data = load([Path(str(data_dir))], la_code=spec.parameters.get("la_code") or None)
    except CppError:
        return Identifiers()
    return identifiers_of(data)


def _keep_failed(exc: NotebookError, executed: Path, keep: Path, *, public: bool) -> NotebookError:
    """Keep the failed executed notebook (internal mode) and name it in the error.

    Public runs keep nothing (the failing notebook never reaches the public folder).
    """
    if public:
        if exc.exit_status != EXIT_INTERNAL:  # the user's error: the message says what to do
            return exc
        return exc.with_message(
            f"{exc}; a public run keeps no failed notebook: run the "
            "internal version of this report to see where it failed"
        )
    if not executed.exists():
        return exc
    try:
        shutil.copyfile(executed, keep)
    except OSError:
        return exc
    if exc.exit_status == EXIT_INTERNAL:
        return exc.with_message(
            f"{exc}; the executed notebook, with the full traceback, is kept as {keep}"
        )
    return exc.with_message(f"{exc} (the executed notebook is kept as {keep})")


def server_roots(spec: ReportSpec, *folders: Path) -> list[Path]:
    """Folders of this machine a public file must not name: the working folder holding
    ``params/``, the report folders, the notebook's folder, Python's prefix and the home.

    Longest first, so the deepest match is the one replaced.
    """
    import sys

    roots = {
        spec.source.parent.parent,
        spec.notebook.parent,
        spec.output_root,
        Path(sys.prefix),
        Path(sys.base_prefix),
        Path.home(),
        *folders,
    }
    roots = {r.resolve() for r in roots} | roots
    return sorted(
        (r for r in roots if str(r) not in ("/", ".")), key=lambda r: len(str(r)), reverse=True
    )


def without_server_paths(text: str, roots: list[Path]) -> str:
    """``text`` with every path under one of ``roots`` made relative to it (see
    :func:`strip_server_paths`).

    Examples
    --------
    >>> without_server_paths("/srv/cpp/data/x and /srv/cpp", [Path("/srv/cpp")])
    'data/x and .'
    """
    for root in roots:
        text = text.replace(f"{root}/", "").replace(str(root), ".")
    return text


def strip_server_paths(path: Path, roots: list[Path]) -> None:
    """Rewrite a public file so it names no folder of this machine: a path under one of
    ``roots`` becomes relative to it (``/srv/cpp/data/2024-25`` → ``data/2024-25``), the
    report's own folder becomes ``.``.

    Raises
    ------
    CppError
        a root is still named afterwards (the file cannot be published).

    Examples
    --------
    >>> import tempfile
    >>> f = Path(tempfile.mkdtemp()) / "m.json"
    >>> _ = f.write_text('{"data_dir": "/srv/cpp/data/2024-25", "out": "/srv/cpp/reports/q"}')
    >>> strip_server_paths(f, [Path("/srv/cpp/reports/q"), Path("/srv/cpp")])
    >>> f.read_text()
    '{"data_dir": "data/2024-25", "out": "."}'
    """
    text = without_server_paths(path.read_text(encoding="utf-8"), roots)
    left = [str(r) for r in roots if str(r) in text]
    if left:
        raise CppError(
            f"{path.name} still names a folder of this machine ({left[0]}); it cannot be published"
        )
    write_text(path, text, what=path.name)


def run_report(params_file: str | Path, *, output_root: str | Path | None = None) -> RunResult:
    """Validate, execute and convert one report; write its folder atomically.

    Parameters
    ----------
    params_file
        the report's YAML parameter file.
    output_root
        overrides the file's ``report.output_root``.

    Returns
    -------
    RunResult

    Raises
    ------
    CppError
        for invalid parameters or missing inputs (before any kernel starts).
    NotebookError
        when a cell fails (naming the cell and the error); in internal mode the executed
        notebook is kept beside the report folder as ``<report>.failed.ipynb`` for
        debugging.
    """
    timings: dict[str, float] = {}
    start = time.perf_counter()
    spec = load_spec(params_file, output_root=output_root)
    timings["validate"] = time.perf_counter() - start
    target = target_folder(spec)
    name = report_name(spec)
    warnings: list[str] = []
    with atomic_directory(target) as tmp:
        parameters = dict(spec.parameters)
        if "output_dir" in parameters:
            parameters["output_dir"] = str(tmp)
        executed = tmp / f"{name}.ipynb"
        t0 = time.perf_counter()
        converter = PreparedConverter()  # prepared while the kernel works, needed just after
        try:
            nb = execute(
                spec.notebook,
                executed,
                parameters,
                kernel=spec.kernel,
                timeout=spec.timeout,
                on_launch=converter.start,
            )
        except NotebookError as exc:
            raise _keep_failed(
                exc,
                executed,
                target.parent / f"{name}.failed.ipynb",
                public=spec.parameters.get("mode") == "public",
            ) from None
        timings["execute"] = time.perf_counter() - t0

        t0 = time.perf_counter()
        title = f"{spec.council_name}: {name.replace('_', ' ')} {spec.period_end}"
        page = notebook_to_html(
            nb,
            title=title,
            internal=spec.parameters.get("mode") == "internal",
            exporter=converter.result(),
        )
        problems = audit_html(page)
        blocking = [p for p in problems if p.startswith(BLOCKING_PROBLEMS)]
        too_big = len(page.encode("utf-8")) >= MAX_HTML_BYTES
        # the analyst's internal notebooks may be big; the panel's reports may not
        if blocking or (too_big and spec.notebook.stem not in INTERNAL_ONLY):
            listed = "\n".join(f"  - {p}" for p in problems)
            raise CppError(f"{spec.source}: the HTML report is not publishable:\n{listed}")
        warnings.extend(problems)
        html_path = tmp / f"{name}.html"
        write_text(html_path, page, what="HTML report")
        timings["convert"] = time.perf_counter() - t0

        t0 = time.perf_counter()
        if "export_tables" in spec.notebook.read_text(encoding="utf-8"):
            for expected in ("results.csv", "scorecard.xlsx"):
                if not (tmp / expected).exists():
                    warnings.append(f"the notebook did not write {expected} (see export_tables)")
        outputs = [p.name for p in tmp.iterdir()] + ["manifest.json"]
        timings["write"] = time.perf_counter() - t0
        timings["total"] = time.perf_counter() - start
        manifest = build_manifest(
            params_file=spec.source,
            notebook=spec.notebook,
            parameters={**spec.parameters, "output_dir": str(target)}
            if "output_dir" in spec.parameters
            else spec.parameters,
            inputs=spec.inputs,
            timings=timings,
            outputs=outputs,
            notes=spec.notes,
            warnings=warnings,
        )
        write_manifest(manifest, tmp / "manifest.json")
        if spec.parameters.get("mode") == "public":
            for published in (executed, tmp / "manifest.json"):
                strip_server_paths(published, server_roots(spec, tmp, target))
            from cppanalytics.reporting.publication import check_folder

            t0 = time.perf_counter()
            check_folder(tmp, extract_identifiers(spec), what=f"{spec.source}: the public report")
            timings["publication_check"] = time.perf_counter() - t0
    stale = target.parent / f"{name}.failed.ipynb"
    stale.unlink(missing_ok=True)
    return RunResult(
        spec=spec,
        folder=target,
        html=target / f"{name}.html",
        timings=timings,
        notes=spec.notes,
        warnings=tuple(warnings),
    )
