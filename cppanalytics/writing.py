"""Writing output files safely: whole or not at all, with one plain message on failure.

Every file the package writes (results and findings CSVs, the scorecard spreadsheet, the
HTML report, the manifest, comparator tables) goes through :func:`atomic_path`: the
content is written to a temporary file in the same folder and renamed over the target
with :func:`os.replace` only when complete. A full disk, a read-only folder or a path
under a file therefore never leaves a truncated file behind (and never damages the
previous file of that name); the failure is an :class:`~cppanalytics.errors.OutputError`
naming the file and the reason, which the command line shows as one line with exit
status 3.

:func:`write_csv` also makes every text cell spreadsheet-safe
(:func:`cppanalytics.safe_cells.safe_frame`).

Examples
--------
>>> import tempfile, pathlib
>>> import pandas as pd
>>> out = pathlib.Path(tempfile.mkdtemp()) / "r.csv"
>>> _ = write_csv(pd.DataFrame({"code": ["=1+1"], "value": [-1]}), out)
>>> out.read_text().splitlines()
['code,value', "'=1+1,-1"]
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from cppanalytics.errors import OutputError

if TYPE_CHECKING:  # pandas only where a table is written: the report machinery's own
    import pandas as pd  # process (folders, HTML, manifest) never loads it

#: plain words for the errors a user's disk gives
_REASONS: dict[int, str] = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EROFS: "the disk is read-only",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.ENOTDIR: "part of the path is a file, not a folder",
    errno.EISDIR: "it is a folder",
    errno.ENAMETOOLONG: "the name is too long",
    errno.EFBIG: "the file is too large for the disk",
    errno.EIO: "the disk reported an input/output error",
}


def reason(exc: OSError) -> str:
    """A short plain reason for an ``OSError`` (``"the disk is full"``).

    Examples
    --------
    >>> reason(OSError(errno.ENOSPC, "No space left on device"))
    'the disk is full'
    """
    return _REASONS.get(exc.errno or -1) or (exc.strerror or str(exc)).strip() or "unknown error"


def output_error(path: str | Path, exc: OSError, what: str = "") -> OutputError:
    """The :class:`OutputError` for a failed write of ``path``.

    Examples
    --------
    >>> str(output_error("out/r.csv", OSError(errno.EROFS, "Read-only file system")))
    'could not write out/r.csv: the disk is read-only; choose another folder or free the disk and run again'
    """
    label = f"{what} {path}" if what else str(path)
    return OutputError(
        f"could not write {label}: {reason(exc)}; choose another folder or "
        "free the disk and run again"
    )


@contextlib.contextmanager
def atomic_path(path: str | Path, *, what: str = "") -> Iterator[Path]:
    """Yield a temporary path beside ``path``; rename it to ``path`` when the block ends.

    The parent folder is created if needed. If the block raises (or the rename fails) the
    temporary file is removed and ``path`` is left as it was. An ``OSError`` becomes an
    :class:`OutputError` naming ``path``.

    Parameters
    ----------
    path
        the file to write.
    what
        a word for messages, e.g. ``"results CSV"``.

    Yields
    ------
    pathlib.Path
        where to write the content.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
    >>> with atomic_path(target) as tmp:
    ...     _ = tmp.write_text("hi")
    >>> target.read_text()
    'hi'
    """
    path = Path(path)
    if path.is_dir():
        raise output_error(path, IsADirectoryError(errno.EISDIR, "Is a directory"), what)
    if path.exists() and not path.is_file():
        # a device or pipe (/dev/stdout, /dev/full): write to it directly, never replace it
        try:
            yield path
        except OSError as exc:
            raise output_error(path, exc, what) from exc
        return
    make_folder(path.parent, what=f"folder for {what or path.name}")
    tmp: Path | None = None
    try:
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
        os.close(fd)
        tmp = Path(name)
        yield tmp
        mode = 0o666 & ~_umask()
        os.chmod(tmp, mode)  # mkstemp makes it private; outputs are readable like any file
        os.replace(tmp, path)
        tmp = None
    except OSError as exc:
        raise output_error(path, exc, what) from exc
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                tmp.unlink()


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def make_folder(path: str | Path, *, what: str = "output folder") -> Path:
    """Create folder ``path`` (and its parents) if needed; an ``OutputError`` if it cannot be.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> make_folder(pathlib.Path(tempfile.mkdtemp()) / "a" / "b").is_dir()
    True
    """
    path = Path(path)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except FileExistsError as exc:  # a file of that name is in the way
        raise output_error(path, OSError(errno.ENOTDIR, "Not a directory"), what) from exc
    except OSError as exc:
        raise output_error(path, exc, what) from exc
    return path


def check_writable(folder: str | Path, *, what: str = "output folder") -> Path:
    """Make ``folder`` if needed and prove a file can be written in it, before any long
    work whose results would go there; an ``OutputError`` naming it if not.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> check_writable(pathlib.Path(tempfile.mkdtemp()) / "out").is_dir()
    True
    """
    path = make_folder(folder, what=what)
    try:
        with tempfile.NamedTemporaryFile(dir=path, prefix=".write-check-"):
            pass
    except OSError as exc:
        raise output_error(path, exc, what) from exc
    return path


def write_text(path: str | Path, text: str, *, what: str = "") -> Path:
    """Write ``text`` as UTF-8 to ``path`` atomically; returns the path.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = write_text(pathlib.Path(tempfile.mkdtemp()) / "m.json", "{}")
    >>> p.read_text()
    '{}'
    """
    with atomic_path(path, what=what) as tmp:
        with open(tmp, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
    return Path(path)


def write_csv(
    frame: pd.DataFrame, path: str | Path, *, what: str = "", safe: bool = True, **to_csv: object
) -> Path:
    """Write ``frame`` as CSV atomically, with spreadsheet-safe text cells; returns the path.

    Parameters
    ----------
    frame
        the table (its index is not written unless ``index=True`` is passed).
    path
        the CSV file; a name ending ``.gz`` is compressed as pandas does.
    what
        a word for messages, e.g. ``"findings CSV"``.
    safe
        neutralise text that a spreadsheet would run as a formula (default). Only the
        synthetic 903 files, which must read back exactly, pass ``False``.
    **to_csv
        passed to :meth:`pandas.DataFrame.to_csv` (``lineterminator``, ``float_format``...).

    Returns
    -------
    pathlib.Path

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import pandas as pd
    >>> p = write_csv(pd.DataFrame({"a": [1]}), pathlib.Path(tempfile.mkdtemp()) / "a.csv")
    >>> p.read_text()
    'a\\n1\\n'
    """
    from cppanalytics.safe_cells import safe_frame

    path = Path(path)
    table = safe_frame(frame) if safe else frame
    to_csv.setdefault("index", False)
    if path.suffix == ".gz":
        to_csv.setdefault("compression", "gzip")
    with atomic_path(path, what=what) as tmp:
        table.to_csv(tmp, **to_csv)  # type: ignore[call-overload]
        with open(tmp, "rb+") as handle:
            os.fsync(handle.fileno())
    return path
