"""Run a report notebook with papermill on this environment's ``python3`` kernel, quietly.

:func:`ensure_kernel` makes sure the kernel named ``python3`` runs *this* Python (the
venv's), registering it in ``sys.prefix`` when it is missing. :func:`execute` injects the
parameters (papermill), plus a first setup cell tagged ``cppanalytics-setup`` that moves
the kernel into the notebook's folder (as JupyterLab would; the parent process never
changes directory, so runs in threads are safe) and silences warnings and progress bars.
A failing cell becomes a :class:`NotebookError`: one line naming the notebook, the cell and
the error (type and message); the cell's source and the notebook's stack frames are kept
in its ``details`` (shown by ``--debug``) and in the executed notebook. An error that is
not one of the package's own (:class:`~cppanalytics.errors.CppError` and its kinds) is a
bug: its exit status is 4; an :class:`~cppanalytics.errors.OutputError` keeps status 3.

Examples
--------
>>> setup_source("/tmp").splitlines()[0]
'# cppanalytics: run in the notebook folder, quietly (added by the report machinery)'
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import errno
import logging
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from cppanalytics.errors import EXIT_INPUT, EXIT_INTERNAL, EXIT_OUTPUT, CppError
from cppanalytics.reporting.light import without_iri_grammars

without_iri_grammars()  # before nbformat imports jsonschema

import nbformat  # noqa: E402

#: error names raised inside a notebook that are the user's to fix (exit status 2)
USER_ERRORS = frozenset({"CppError", "NotebookError", "DisclosureError", "OutputError"})

#: OS errors of the disk the executed notebook is written to
_DISK_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EFBIG})

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


class NotebookError(CppError):
    """A notebook cell failed; carries the cell and the error for summaries.

    Attributes
    ----------
    notebook
        the notebook's file name.
    cell
        ``"In [n]"`` label of the failing cell (or ``""``).
    source
        the failing cell's source.
    error
        ``"Name: message"`` of the error.
    details
        the failing cell's source and the notebook's stack frames (for ``--debug``).
    exit_status
        2 for the user's errors, 3 for an output that could not be written, 4 for a bug.
    """

    def __init__(
        self,
        message: str,
        *,
        notebook: str,
        cell: str = "",
        source: str = "",
        error: str = "",
        details: str = "",
        exit_status: int = 2,
    ) -> None:
        super().__init__(message)
        self.notebook = notebook
        self.cell = cell
        self.source = source
        self.error = error
        self.details = details
        self.exit_status = exit_status

    def with_message(self, message: str) -> NotebookError:
        """A copy of this error with another message (e.g. naming the kept notebook)."""
        return NotebookError(
            message,
            notebook=self.notebook,
            cell=self.cell,
            source=self.source,
            error=self.error,
            details=self.details,
            exit_status=self.exit_status,
        )

    def __reduce__(self) -> tuple[Any, ...]:
        # picklable across processes (batch workers)
        return (
            _rebuild_notebook_error,
            (
                str(self),
                self.notebook,
                self.cell,
                self.source,
                self.error,
                self.details,
                self.exit_status,
            ),
        )


def _rebuild_notebook_error(
    message: str,
    notebook: str,
    cell: str,
    source: str,
    error: str,
    details: str = "",
    exit_status: int = 2,
) -> NotebookError:
    return NotebookError(
        message,
        notebook=notebook,
        cell=cell,
        source=source,
        error=error,
        details=details,
        exit_status=exit_status,
    )


def _quiet_kernel_manager(on_launch: Callable[[], None] | None = None) -> type:
    """An ``AsyncKernelManager`` whose kernel process writes nothing to our stderr, and
    that calls ``on_launch`` once the kernel process is started.

    What a notebook prints reaches its outputs through the kernel's messages, not the
    process's stderr; the process's own start-up log lines (e.g. ipykernel's transport
    warning) would only clutter the command line and the batch progress bar.
    """
    from jupyter_client.manager import AsyncKernelManager

    class QuietKernelManager(AsyncKernelManager):
        async def _async_launch_kernel(self, kernel_cmd: list[str], **kw: Any) -> None:
            kw.setdefault("stderr", subprocess.DEVNULL)
            await super()._async_launch_kernel(kernel_cmd, **kw)
            if on_launch is not None:
                on_launch()

    return QuietKernelManager


@contextlib.contextmanager
def _quiet_papermill() -> Iterator[None]:
    """Silence papermill's own log lines (parameter inspection remarks) while executing."""
    logger = logging.getLogger("papermill")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def ensure_kernel(name: str = "python3") -> str:
    """Make sure kernel ``name`` exists and runs this Python; returns ``name``.

    A missing ``python3`` kernel is registered in ``sys.prefix`` (the venv). A kernel that
    runs another interpreter is an error with the command that fixes it.

    Examples
    --------
    >>> ensure_kernel()  # doctest: +SKIP
    'python3'
    """
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    manager = KernelSpecManager()
    try:
        spec = manager.get_kernel_spec(name)
    except NoSuchKernel:
        if name != "python3":
            raise CppError(
                f"Jupyter kernel {name!r} is not installed; use report.kernel: python3 or "
                f"install it (python -m ipykernel install --sys-prefix --name {name})"
            ) from None
        from ipykernel.kernelspec import install

        install(kernel_name=name, prefix=sys.prefix)
        return name
    exe = spec.argv[0] if spec.argv else ""
    # a bare name is replaced by this interpreter when the kernel starts; a path must be
    # this environment's own (every venv's python links to the same base interpreter, so
    # resolving links alone would take another venv's kernel for this one)
    here = Path(sys.executable).absolute()
    same = exe in {"python", "python3", f"python3.{sys.version_info.minor}"} or (
        Path(exe).absolute().parent == here.parent and Path(exe).resolve() == here.resolve()
    )
    if name == "python3" and not same:
        raise CppError(
            f"Jupyter kernel 'python3' ({spec.resource_dir}) runs {exe}, not this environment's "
            f"{sys.executable}; run: {sys.executable} -m ipykernel install --sys-prefix "
            "--name python3 (and remove the other python3 kernel)"
        )
    return name


def setup_source(folder: str | Path) -> str:
    """Source of the setup cell run before the notebook's own cells.

    Examples
    --------
    >>> "filterwarnings" in setup_source("/tmp")
    True
    """
    return (
        "# cppanalytics: run in the notebook folder, quietly (added by the report machinery)\n"
        "import os as _os\n"
        "import warnings as _warnings\n"
        f"_os.chdir({str(folder)!r})\n"
        "_os.environ['TQDM_DISABLE'] = '1'\n"
        "_warnings.filterwarnings('ignore')\n"
        "del _os, _warnings\n"
    )


def prepare(notebook: str | Path) -> nbformat.NotebookNode:
    """Read ``notebook`` and prepend the setup cell (see :func:`setup_source`)."""
    path = Path(notebook).resolve()
    nb = nbformat.read(path, as_version=4)
    cell = nbformat.v4.new_code_cell(
        setup_source(path.parent), metadata={"tags": ["cppanalytics-setup"]}
    )
    nb.cells.insert(0, cell)
    return nb


def strip_ansi(text: str) -> str:
    """Remove terminal colour codes.

    Examples
    --------
    >>> strip_ansi("\\x1b[0;31mKeyError\\x1b[0m")
    'KeyError'
    """
    return _ANSI.sub("", text)


def failing_line(traceback: str, exec_count: int | None) -> int | None:
    """The 1-based line of the failing cell named in an IPython traceback, if any.

    Examples
    --------
    >>> failing_line("Cell In[4], line 14\\n  ...", 4)
    14
    >>> failing_line("no cell here", 4) is None
    True
    """
    if exec_count is None:
        return None
    found = re.findall(rf"Cell In\[{exec_count}\], line (\d+)", traceback)
    return int(found[-1]) if found else None


def cell_excerpt(source: str, line: int | None, context: int = 3) -> str:
    """The failing cell's source, indented; around ``line`` (marked ``-->``) when known.

    Examples
    --------
    >>> print(cell_excerpt("a = 1\\nb = a[0]\\nc = 2", 2, context=1))
          a = 1
      --> b = a[0]
          c = 2
    """
    lines = source.splitlines()
    if line is None or not 1 <= line <= len(lines):
        shown = [f"    {text}" for text in lines[:12]]
        return "\n".join(shown + (["    ..."] if len(lines) > 12 else []))
    lo, hi = max(1, line - context), min(len(lines), line + context)
    out = ["    ..."] if lo > 1 else []
    out += [f"{'  -->' if n == line else '     '} {lines[n - 1]}" for n in range(lo, hi + 1)]
    return "\n".join(out + (["    ..."] if hi < len(lines) else []))


def _cell_error(notebook: Path, exc: Any) -> NotebookError:
    """A :class:`NotebookError` from papermill's ``PapermillExecutionError``."""
    label = f"In [{exc.exec_count}]" if exc.exec_count else f"cell {exc.cell_index}"
    evalue = strip_ansi(str(exc.evalue))
    error = f"{exc.ename}: {evalue}" if evalue else str(exc.ename)
    source = str(exc.source or "")
    frames = strip_ansi("\n".join(exc.traceback or []))
    shown = cell_excerpt(source, failing_line(frames, exc.exec_count))
    if exc.ename not in USER_ERRORS:  # a bug: one line (type and message)
        error = (error.strip().splitlines() or [str(exc.ename)])[0]
    message = f"{notebook.name}: {label} failed: {error}"
    lines = frames.strip().splitlines()
    tail = "\n".join(f"    {line}" for line in lines[-15:])
    details = f"  the cell:\n{shown}\n  traceback (last lines):\n{tail}"
    if exc.ename == "OutputError":
        status = EXIT_OUTPUT
    elif exc.ename in USER_ERRORS:
        status = EXIT_INPUT
    else:
        status = EXIT_INTERNAL
    return NotebookError(
        message,
        notebook=notebook.name,
        cell=label,
        source=source,
        error=error,
        details=details,
        exit_status=status,
    )


def _isolated_loop(func: Any, *args: Any, **kwargs: Any) -> Any:
    """Call ``func``; afterwards close any event loop it left as this thread's current one,
    so no later run (in a Dask or batch thread) picks up a loop another thread runs."""
    try:
        before = asyncio.get_event_loop_policy().get_event_loop()
    except RuntimeError:
        before = None
    try:
        return func(*args, **kwargs)
    finally:
        try:
            after = asyncio.get_event_loop_policy().get_event_loop()
        except RuntimeError:
            after = None
        if after is not None and after is not before and not after.is_running():
            after.close()
            asyncio.set_event_loop(before)


def execute(
    notebook: str | Path,
    output: str | Path,
    parameters: dict[str, Any],
    *,
    kernel: str = "python3",
    timeout: int = 600,
    on_launch: Callable[[], None] | None = None,
) -> nbformat.NotebookNode:
    """Execute ``notebook`` with ``parameters``, saving the executed copy to ``output``.

    Parameters
    ----------
    notebook
        the ``.ipynb`` to run.
    output
        where the executed notebook is written (also written when a cell fails).
    parameters
        injected after the cell tagged ``parameters``.
    kernel
        Jupyter kernel name (checked by :func:`ensure_kernel`).
    timeout
        seconds allowed per cell.
    on_launch
        called once the kernel process is started (the run prepares the HTML conversion
        from then on).

    Raises
    ------
    NotebookError
        when a cell fails, times out or the kernel dies.

    Examples
    --------
    >>> nb = execute("tests/reporting/fixtures/tiny_report.ipynb", "/tmp/x.ipynb",
    ...              {"data_dir": "/tmp/data"})  # doctest: +SKIP
    """
    import papermill
    from papermill.exceptions import PapermillExecutionError

    path = Path(notebook).resolve()
    ensure_kernel(kernel)
    nb = prepare(path)
    try:
        # in a copy of the context: the event loop Jupyter keeps per context (and makes the
        # thread's current loop) must not leak into later runs in other threads (Dask)
        with _quiet_papermill():
            return contextvars.copy_context().run(
                _isolated_loop,
                papermill.execute_notebook,
                nb,
                str(output),
                parameters=parameters,
                kernel_name=kernel,
                language="python",
                progress_bar=False,
                log_output=False,
                request_save_on_cell_execute=False,
                execution_timeout=timeout,
                start_timeout=120,
                kernel_manager_class=_quiet_kernel_manager(on_launch),
                # every output is in by then (each cell's messages are read to its end,
                # files are written and synced by the cells): stopping the kernel at once
                # spares the ~1 s its interpreter takes to tear down a report's objects
                shutdown_kernel="immediate",
            )
    except PapermillExecutionError as exc:
        raise _cell_error(path, exc) from None
    except OSError as exc:
        if exc.errno in _DISK_ERRNOS:
            from cppanalytics.writing import output_error

            raise output_error(output, exc, "executed notebook") from None
        raise NotebookError(
            f"{path.name}: execution failed: {type(exc).__name__}: {exc}",
            notebook=path.name,
            error=f"{type(exc).__name__}: {exc}",
        ) from None
    except Exception as exc:  # timeouts, dead kernels, kernel start failures
        name = type(exc).__name__
        detail = strip_ansi(str(exc)).strip().splitlines()
        first = detail[0] if detail else ""
        hint = (
            f" (cells may take at most {timeout} s; raise report.timeout)"
            if "imeout" in name
            else ""
        )
        raise NotebookError(
            f"{path.name}: execution failed: {name}: {first}{hint}",
            notebook=path.name,
            error=f"{name}: {first}",
        ) from None
