"""Where the load cache lives, and whether a run's load will likely come from it, told
before pandas is imported.

:mod:`~cppanalytics.ssda903.cache` keys a cached load by the files' contents, which it
can only hash once the command is under way. The command line decides earlier whether to
begin parsing the CSV files while it imports pandas
(:func:`~cppanalytics.ssda903.plainread.start`): worth it when the files will be
loaded, wasted when the load comes from the cache (parsing them beside the import slowed
the demo council's run from its cache by 0.13-0.18 s). So each cached load notes the
files it was made from (:func:`note_load`: every file's name, size and modification time,
the council, the day and the package version), and :func:`likely_cached` compares them
with the files as they are now. It is only a hint: whatever it says, the cache's own key
decides what is loaded, and a wrong hint costs time, never a different answer.

Examples
--------
>>> import tempfile
>>> folder = Path(tempfile.mkdtemp())
>>> _ = (folder / "episodes.csv").write_text("CHILD\\n1\\n")
>>> likely_cached([folder], "E06000042", "2026-11-28")
False
>>> note_load([folder], "E06000042", "2026-11-28", "k" * 40)
>>> entry = default_cache_dir([folder]) / ("k" * 40)  # (an entry is a folder)
>>> entry.mkdir()
>>> _ = (entry / "meta.json").write_text("{}")
>>> likely_cached([folder], "E06000042", "2026-11-28")
True
>>> likely_cached([folder], "E06000042", "2026-11-29")  # another day: another key
False
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

from cppanalytics import __version__
from cppanalytics.ssda903.plainread import visible_files

PathLike = str | Path

#: the cache folder's name, made beside the data (git-ignored)
CACHE_FOLDER = ".cppanalytics-cache"

#: the file in the cache folder noting the files of the last load read or written there
LAST_LOAD = "last-load.json"


def default_cache_dir(paths: Sequence[PathLike]) -> Path:
    """Where the cache lives by default: beside the first folder (or file) given.

    Examples
    --------
    >>> default_cache_dir(["data/real/2025"]).as_posix()
    'data/real/2025/.cppanalytics-cache'
    >>> default_cache_dir(["extract/episodes.csv"]).as_posix()
    'extract/.cppanalytics-cache'
    """
    first = Path(paths[0])
    folder = first if first.is_dir() or not first.suffix else first.parent
    return folder / CACHE_FOLDER


def file_marks(paths: Sequence[PathLike]) -> list[list[str | int]]:
    """Every file under ``paths`` (:func:`~cppanalytics.ssda903.plainread.visible_files`:
    the files the command begins reading early) as ``[path, size, modification time in
    nanoseconds]``, in path order; a file that cannot be looked at (a dangling link, a
    path that does not exist) is marked ``-1``.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.csv").write_text("A")
    >>> _ = (folder / ".hidden.csv").write_text("A")
    >>> (folder / ".cache").mkdir()
    >>> _ = (folder / ".cache" / "b.csv").write_text("B")
    >>> (folder / "gone.csv").symlink_to(folder / "nowhere.csv")
    >>> [(Path(p).name, size) for p, size, _ in file_marks([folder])]
    [('a.csv', 1), ('gone.csv', -1)]
    """
    marks: list[list[str | int]] = []
    for path in visible_files(paths):
        try:
            stat = path.stat()
        except OSError:
            marks.append([str(path), -1, -1])
            continue
        marks.append([str(path), stat.st_size, stat.st_mtime_ns])
    return marks


def _note(paths: Sequence[PathLike], la_code: str | None, today: str) -> dict[str, object]:
    """What :func:`note_load` writes and :func:`likely_cached` compares (but the key)."""
    return {
        "version": __version__,
        "la": la_code or "",
        "today": today,
        "files": file_marks(paths),
    }


def note_load(
    paths: Sequence[PathLike],
    la_code: str | None,
    today: str,
    key: str,
    folder: PathLike | None = None,
) -> None:
    """Note in the cache folder (default :func:`default_cache_dir`) that the load of
    ``paths`` for ``la_code`` on ``today`` (``YYYY-MM-DD``) is held under ``key``. Written
    whole or not at all; a folder that cannot be written is passed over (the next run
    just parses its files early, as without a cache)."""
    where = Path(folder) if folder is not None else default_cache_dir(paths)
    text = json.dumps({**_note(paths, la_code, today), "key": key})
    try:
        where.mkdir(parents=True, exist_ok=True)
        handle, tmp = tempfile.mkstemp(prefix=".partial-", suffix=".json", dir=where)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(text)
            os.replace(tmp, where / LAST_LOAD)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError:
        pass


def likely_cached(
    paths: Sequence[PathLike], la_code: str | None, today: str, folder: PathLike | None = None
) -> bool:
    """Whether the load of ``paths`` for ``la_code`` on ``today`` will likely be read
    from the cache: its last noted load (:func:`note_load`) was of the same files (names,
    sizes, modification times), council, day and package version, and its entry is
    there. A hint only (the cache's key, the files' contents, decides)."""
    where = Path(folder) if folder is not None else default_cache_dir(paths)
    try:
        noted = json.loads((where / LAST_LOAD).read_text(encoding="utf-8"))
        key = noted.pop("key")
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return False
    if not isinstance(key, str) or not key.isalnum() or noted != _note(paths, la_code, today):
        return False
    return (where / key / "meta.json").is_file()


__all__ = [
    "CACHE_FOLDER",
    "LAST_LOAD",
    "default_cache_dir",
    "file_marks",
    "likely_cached",
    "note_load",
]
