"""A loaded :class:`~cppanalytics.ssda903.dataset.Dataset` kept as Parquet, so one extract
loads once.

A batch of quarterly reports, or ``indicators`` run again at another period end, reads the
same 903 files every time. :func:`load_cached` keys a loaded dataset by the *contents* of
the files found (a BLAKE2 hash of each), the council code, the day the load counts as
"today" (dates after it are findings) and the package version, and keeps it in a cache
folder as one Parquet file per table plus the findings. A changed, added or removed file
gives a new key, so a stale copy is never used; a damaged cache entry is ignored and
rebuilt.

The cache holds children's records exactly as the extract does, so it lives **beside the
data** by default (``<first folder given>/.cppanalytics-cache``), where the same access
rules apply, and is removed with it. Nothing is cached when that folder cannot be written
(a read-only share): the data is then simply loaded.

Examples
--------
>>> ds = load_cached("data/synthetic", la_code="E06000042")  # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from cppanalytics import __version__
from cppanalytics.findings import Findings
from cppanalytics.ssda903.dataset import Dataset
from cppanalytics.ssda903.loader import load
from cppanalytics.ssda903.readers import discover
from cppanalytics.string_storage import python_strings

PathLike = str | Path

#: the cache folder's name, made beside the data (git-ignored)
CACHE_FOLDER = ".cppanalytics-cache"
#: bump when the cache layout changes (2: the loader's years per table are kept)
FORMAT = 2


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


def dataset_key(paths: Sequence[PathLike], la_code: str | None, today: pd.Timestamp) -> str:
    """The cache key of a load: the files' contents, council, today and package version.

    Parameters
    ----------
    paths
        what :func:`~cppanalytics.ssda903.loader.load` is given.
    la_code
        the council code asked for.
    today
        the date the load treats as today.

    Returns
    -------
    str
        a hex digest; any change to a file's bytes, the set of files, the council, the day
        or the package version changes it.
    """
    digest = hashlib.blake2b(digest_size=20)
    head = {
        "format": FORMAT,
        "version": __version__,
        "la": la_code or "",
        "today": today.strftime("%Y-%m-%d"),
    }
    digest.update(json.dumps(head, sort_keys=True).encode())
    for source in discover([Path(p) for p in paths], Findings()):
        digest.update(str(source.path).encode() + b"\0")
        try:
            with open(source.path, "rb") as handle:
                digest.update(hashlib.file_digest(handle, "blake2b").digest())
        except OSError:
            digest.update(b"<unreadable>")  # the load itself reports it
    return digest.hexdigest()


def _write(entry: Path, ds: Dataset) -> None:
    """Write ``ds`` to ``entry`` (a new folder) atomically: build aside, then rename."""
    entry.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".partial-", dir=entry.parent))
    try:
        dtypes: dict[str, dict[str, str]] = {}
        frames = {**ds.tables, "_findings": ds.findings}
        for name, frame in frames.items():
            dtypes[name] = {col: str(dt) for col, dt in frame.dtypes.items()}
            frame.to_parquet(tmp / f"{name}.parquet", index=False)
        meta = {
            "la_code": ds.la_code,
            "sources": ds.sources,
            "dtypes": dtypes,
            "table_years": {k: list(v) for k, v in ds.table_years.items()},
        }
        (tmp / "meta.json").write_text(json.dumps(meta))
        os.replace(tmp, entry)
    except OSError:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _text_column(column: pa.ChunkedArray, dtype: str) -> pd.Series:
    """One text column of a cache file as a pandas column of ``dtype`` (python storage),
    each distinct value one shared string object.

    Building the column from the dictionary (distinct values) and its codes makes one
    Python string per distinct value instead of one per row: faster, and a fraction of the
    memory on a large extract where most values repeat.

    Examples
    --------
    >>> s = _text_column(pa.chunked_array([["a", None, "a"]]), "string")
    >>> s.tolist(), s.iloc[0] is s.iloc[2]
    (['a', <NA>, 'a'], True)
    """
    combined = column.combine_chunks() if column.num_chunks != 1 else column.chunk(0)
    if not pa.types.is_dictionary(combined.type):
        combined = pc.dictionary_encode(combined)
    kind = pd.api.types.pandas_dtype(dtype)
    values = np.asarray([*combined.dictionary.to_pylist(), kind.na_value], dtype=object)
    codes = combined.indices.fill_null(len(values) - 1).to_numpy(zero_copy_only=False)
    return pd.Series(pd.arrays.StringArray(values[codes], dtype=kind), copy=False)


def _read_frame(path: Path, dtypes: dict[str, str]) -> pd.DataFrame:
    """Read one cache file with the dtypes it was written with (text columns through
    :func:`_text_column`, the others through pyarrow's own conversion)."""
    import pyarrow.parquet as pq  # here, not at import: --no-cache runs never need it

    text = [col for col, dt in dtypes.items() if dt in ("string", "str")]
    table = pq.read_table(path, read_dictionary=text)
    columns: dict[str, pd.Series] = {}
    for col, dt in dtypes.items():
        column = table.column(col)
        if dt in ("string", "str"):
            columns[col] = _text_column(column, dt)
        else:
            columns[col] = column.to_pandas().astype(dt)
    return pd.DataFrame(columns, copy=False) if columns else pd.read_parquet(path)


def _read(entry: Path) -> Dataset:
    """Read a cache entry back with the dtypes it was written with."""
    meta = json.loads((entry / "meta.json").read_text())
    frames: dict[str, pd.DataFrame] = {}
    with python_strings():
        for name, dtypes in meta["dtypes"].items():
            frames[name] = _read_frame(entry / f"{name}.parquet", dtypes)
    findings = frames.pop("_findings")
    return Dataset(
        tables=frames,
        findings=findings,
        la_code=meta["la_code"],
        sources=list(meta["sources"]),
        table_years={k: tuple(v) for k, v in meta.get("table_years", {}).items()},
    )


def load_cached(
    paths: PathLike | Sequence[PathLike],
    la_code: str | None = None,
    *,
    today: str | pd.Timestamp | None = None,
    cache_dir: PathLike | None = None,
    use_cache: bool = True,
) -> Dataset:
    """:func:`~cppanalytics.ssda903.loader.load`, reusing an earlier load of the same files.

    Parameters
    ----------
    paths, la_code, today
        as for :func:`~cppanalytics.ssda903.loader.load`.
    cache_dir
        the cache folder (default :func:`default_cache_dir`).
    use_cache
        ``False`` loads without reading or writing the cache.

    Returns
    -------
    Dataset
        the same tables, dtypes and findings as ``load`` gives.

    Raises
    ------
    CppError
        as ``load`` does (an unusable extract is never cached).
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    now = pd.Timestamp.today().normalize() if today is None else pd.Timestamp(today)
    if not use_cache or not paths:
        return load(paths, la_code, today=now)
    folder = Path(cache_dir) if cache_dir is not None else default_cache_dir(paths)
    entry = folder / dataset_key(paths, la_code, now)
    if (entry / "meta.json").is_file():
        try:
            return _read(entry)
        except (OSError, ValueError, KeyError, TypeError):
            shutil.rmtree(entry, ignore_errors=True)  # damaged: rebuild below
    ds = load(paths, la_code, today=now)
    try:
        if not entry.exists():
            _write(entry, ds)
    except OSError:
        pass  # a read-only or full disk only costs the next run a reload
    return ds


__all__ = ["CACHE_FOLDER", "dataset_key", "default_cache_dir", "load_cached"]
