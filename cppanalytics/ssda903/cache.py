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
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from cppanalytics import __version__
from cppanalytics.findings import Findings
from cppanalytics.ssda903.cache_hint import CACHE_FOLDER, default_cache_dir, note_load
from cppanalytics.ssda903.dataset import Dataset
from cppanalytics.ssda903.loader import load
from cppanalytics.ssda903.plainread import forget
from cppanalytics.ssda903.readers import discover
from cppanalytics.string_storage import python_strings

PathLike = str | Path

#: bump when the cache layout changes (2: the loader's years per table are kept)
FORMAT = 2


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


def _shared_text(columns: list[pa.ChunkedArray]) -> list[tuple[np.ndarray, np.ndarray]]:
    """Text columns of one name (in several tables) as one array of distinct string
    objects and each column's rows' codes into it (-1 missing): one Python string per
    distinct value across the columns, as the loader shares them (a child's id is the
    same object in every table, so the computing side matches children by object
    before hashing any text).

    Examples
    --------
    >>> (a, va), (b, vb) = _shared_text([pa.chunked_array([["7", None]]), pa.chunked_array([["8", "7"]])])
    >>> a.tolist(), b.tolist(), va.tolist(), va is vb
    ([0, -1], [1, 0], ['7', '8'], True)
    """
    coded = []
    for column in columns:
        combined = column.combine_chunks() if column.num_chunks != 1 else column.chunk(0)
        if not pa.types.is_dictionary(combined.type):
            combined = pc.dictionary_encode(combined)
        coded.append(combined)
    dictionaries = [c.dictionary for c in coded]
    if any(d.type != pa.string() or d.null_count for d in dictionaries):
        return [_own_text(c) for c in coded]
    joined = pa.concat_arrays(dictionaries).dictionary_encode()
    objects = np.asarray(joined.dictionary.to_pylist(), dtype=object)
    into = joined.indices.to_numpy(zero_copy_only=False)
    out = []
    start = 0
    for combined in coded:
        size = len(combined.dictionary)
        place = np.append(into[start : start + size], -1)
        start += size
        codes = combined.indices.fill_null(size).to_numpy(zero_copy_only=False)
        out.append((place[codes], objects))
    return out


def _own_text(combined: pa.DictionaryArray) -> tuple[np.ndarray, np.ndarray]:
    """A dictionary-encoded column's codes (-1 missing) into its own values' objects."""
    objects = np.asarray(combined.dictionary.to_pylist(), dtype=object)
    codes = combined.indices.fill_null(-1).to_numpy(zero_copy_only=False)
    return codes, objects


def _text_series(codes: np.ndarray, objects: np.ndarray, dtype: str) -> pd.Series:
    """A text column (python storage) of ``dtype`` from codes into shared string
    objects (-1: missing)."""
    kind = pd.api.types.pandas_dtype(dtype)
    values = np.append(objects, np.asarray([kind.na_value], dtype=object))
    return pd.Series(pd.arrays.StringArray(values[codes], dtype=kind), copy=False)


def _read_frame(path: Path, dtypes: dict[str, str]) -> pd.DataFrame:
    """Read one cache file with the dtypes it was written with (text columns through
    :func:`_text_column`, the others through pyarrow's own conversion)."""
    return _read_frames({"": (path, dtypes)}, share=False)[""]


def _read_frames(
    files: dict[str, tuple[Path, dict[str, str]]], *, share: bool = True
) -> dict[str, pd.DataFrame]:
    """Read cache files with the dtypes they were written with; with ``share``, text
    columns of one name share one string object per distinct value across the files
    (:func:`_shared_text`), else each column its own (:func:`_text_column`)."""
    import pyarrow.parquet as pq  # here, not at import: --no-cache runs never need it

    tables = {}
    for name, (path, dtypes) in files.items():
        text = [col for col, dt in dtypes.items() if dt in ("string", "str")]
        tables[name] = pq.read_table(path, read_dictionary=text)
    by_column: dict[str, list[str]] = {}
    for name, (_, dtypes) in files.items():
        for col, dt in dtypes.items():
            if dt in ("string", "str"):
                by_column.setdefault(col, []).append(name)
    texts: dict[tuple[str, str], pd.Series] = {}
    for col, names in by_column.items():
        if share:
            found = _shared_text([tables[n].column(col) for n in names])
            for n, (codes, objects) in zip(names, found, strict=True):
                texts[(n, col)] = _text_series(codes, objects, files[n][1][col])
        else:
            for n in names:
                texts[(n, col)] = _text_column(tables[n].column(col), files[n][1][col])
    out: dict[str, pd.DataFrame] = {}
    for name, (path, dtypes) in files.items():
        columns: dict[str, pd.Series] = {}
        for col, dt in dtypes.items():
            if (name, col) in texts:
                columns[col] = texts[(name, col)]
            else:
                columns[col] = tables[name].column(col).to_pandas().astype(dt)
        out[name] = pd.DataFrame(columns, copy=False) if columns else pd.read_parquet(path)
    return out


def _read(entry: Path) -> Dataset:
    """Read a cache entry back with the dtypes it was written with (the tables' text
    columns of one name sharing their string objects, as the loader's do)."""
    meta = json.loads((entry / "meta.json").read_text())
    files = {name: (entry / f"{name}.parquet", d) for name, d in meta["dtypes"].items()}
    with python_strings():
        findings = _read_frames({"_findings": files.pop("_findings")}, share=False)["_findings"]
        frames = _read_frames(files)
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
    episodes_ready: Callable[[pd.DataFrame, np.ndarray | None], object] | None = None,
    header_ready: Callable[[pd.DataFrame, np.ndarray | None], object] | None = None,
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
    episodes_ready, header_ready
        as for ``load``, when the files are loaded (not called for a dataset read back
        from the cache).

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
        return load(
            paths, la_code, today=now, episodes_ready=episodes_ready, header_ready=header_ready
        )
    folder = Path(cache_dir) if cache_dir is not None else default_cache_dir(paths)
    key = dataset_key(paths, la_code, now)
    entry = folder / key
    if (entry / "meta.json").is_file():
        try:
            found = _read(entry)
            forget()  # reads of the files begun early are not needed
            note_load(paths, la_code, f"{now:%Y-%m-%d}", key, folder)
            return found
        except (OSError, ValueError, KeyError, TypeError):
            shutil.rmtree(entry, ignore_errors=True)  # damaged: rebuild below
    ds = load(paths, la_code, today=now, episodes_ready=episodes_ready, header_ready=header_ready)
    try:
        if not entry.exists():
            _write(entry, ds)
        note_load(paths, la_code, f"{now:%Y-%m-%d}", key, folder)
    except OSError:
        pass  # a read-only or full disk only costs the next run a reload
    return ds


__all__ = ["CACHE_FOLDER", "dataset_key", "default_cache_dir", "load_cached"]
