"""Reading plain CSV files with pyarrow, without pandas: what can start before the rest
of the package is imported.

:func:`read_path` reads one file's bytes and, when the file is plain (printable ASCII,
no quote mark, every line complete: :func:`_plain_table`), parses it into dictionary
columns; :mod:`.readers` turns the result into tables and findings. :func:`start` begins
reading an extract's CSV files on background threads straight away (the command line
calls it before importing pandas and the indicator modules, so reading and importing
overlap); :func:`~.readers.prefetch` then :func:`claim` s each read it is asked for (a
file changed since is read again) and :func:`forget` s the rest.
"""

from __future__ import annotations

import codecs
import csv
import os
import threading
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv


def clean_column(name: str) -> str:
    """A column name as the loader compares it: no BOM, quotes or spaces, upper-case.

    Examples
    --------
    >>> clean_column('\\ufeff "child " ')
    'CHILD'
    """
    return name.replace("\ufeff", "").strip().strip('"').strip("'").strip().upper()


#: bytes a plain file (:func:`_plain_table`) holds: printable ASCII but the quote mark, line ends
_PLAIN = bytes(range(0x20, 0x7F)).replace(b'"', b"") + b"\r\n"
#: every column of a plain file is read as text, each distinct value held once
_DICT_TEXT = pa.dictionary(pa.int32(), pa.string())
#: columns read as text row by row, not as a dictionary per file: a child's id is nearly
#: unique within a file, so a file's dictionary would hold almost every row's value and
#: only add a hashing pass (:func:`shared_codes` numbers them once across all files)
_ROW_TEXT: frozenset[str] = frozenset({"CHILD"})
#: files at least this large are parsed on pyarrow's threads too; smaller ones on one
#: thread each (their blocks are too few to share out; :func:`prefetch` reads several
#: files side by side instead)
_THREADED_BYTES = 16 << 20
#: files at least this large are read as text and hashed into dictionaries afterwards
#: (:func:`_encoded`: less CPU on megabytes of values); smaller ones are given as
#: dictionary columns by the reader itself (no call into pyarrow's compute functions for
#: a few kilobytes). Both give the same dictionaries, codes and blocks.
_ENCODE_AFTER_BYTES = 256 << 10


def _plain_table(data: bytes) -> tuple[list[str], pa.Table] | None:
    r"""Read a plain CSV with pyarrow's multi-threaded reader, or ``None`` if not plain.

    Plain: after an optional UTF-8 byte-order mark, only printable ASCII other than the
    quote mark, and line ends (LF, CRLF, CR); a first line with a name in it; every line
    with as many values as the header (an empty line reads as that many empty values, as
    the careful path reads it). Such a file gives the careful path's values: nothing is
    quoted, no value runs past its line, nothing but spaces can pad a value and nothing
    needs decoding. Anything else (a quote, a row cut short or too long, a tab or a
    control character, non-ASCII text, another encoding, an empty file) gives ``None``.

    A quote mark or a byte beyond ASCII anywhere (quoted exports, other encodings) is
    found before reading (two quick scans); the other bytes are checked where they land:
    the header line on its own, then the values read (a quote mark read as any other
    character), each column's distinct values once (:func:`_plain_values`). Every byte
    after the header is a line end, a comma or part of a value, so this is the check of
    every byte, made mostly on the few distinct values and without holding the
    interpreter lock.

    Returns
    -------
    tuple
        the header's names as written, and the lines after it as a table of
        dictionary-encoded text columns ``f0``, ``f1`` ... (one row per line; a
        :data:`_ROW_TEXT` column plain text).

    Examples
    --------
    >>> header, table = _plain_table(b"A,B\r\n1,x\r\n,\r\n")
    >>> header, table.column("f1").to_pylist()
    (['A', 'B'], ['x', ''])
    >>> _plain_table(b'A,B\n1,"x"\n'), _plain_table(b"A,B\n1\n"), _plain_table(b"A\n\xc3\xa9\n")
    (None, None, None)
    """
    body = data[len(codecs.BOM_UTF8) :] if data.startswith(codecs.BOM_UTF8) else data
    if not body.isascii() or b'"' in body:
        return None  # the commonest files needing care, told at once (not parsed first)
    ends = [i for i in (body.find(b"\n"), body.find(b"\r")) if i >= 0]
    if not ends:
        return None  # an empty file, or a header without a line end
    line = body[: min(ends)]
    if line.translate(None, _PLAIN):  # a byte other than those (non-ASCII too)
        return None
    first = line.decode("ascii")
    if not first.strip():
        return None  # an empty first line
    header = next(csv.reader([first]))
    names = [f"f{i}" for i in range(len(header))]
    threaded = len(body) >= _THREADED_BYTES
    # a file parsed on one thread is one block: one dictionary per column, not one per
    # megabyte (the same distinct values, in the same order, fewer of them to share out)
    block = pacsv.ReadOptions().block_size if threaded else max(1 << 20, len(body) + 1)
    row_text = [clean_column(h) in _ROW_TEXT for h in header]
    after = len(body) >= _ENCODE_AFTER_BYTES
    types = {
        n: pa.string() if text or after else _DICT_TEXT
        for n, text in zip(names, row_text, strict=True)
    }
    try:
        table = pacsv.read_csv(
            pa.py_buffer(body),
            read_options=pacsv.ReadOptions(
                column_names=names, skip_rows=1, use_threads=threaded, block_size=block
            ),
            parse_options=pacsv.ParseOptions(
                quote_char=False, newlines_in_values=False, ignore_empty_lines=False
            ),
            convert_options=pacsv.ConvertOptions(
                column_types=types,
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
                check_utf8=False,  # only plain bytes are let through (checked below)
            ),
        )
    except pa.ArrowInvalid:
        return None  # a row with fewer or more values than the header
    columns = [
        _encoded(column) if after and not text else column
        for column, text in zip(table.columns, row_text, strict=True)
    ]
    if not all(_plain_values(column) for column in columns):
        return None
    return header, pa.table(columns, names=names)


def _encoded(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """A text column read from a file as a dictionary column (:data:`_DICT_TEXT`), each
    chunk with its own dictionary: the distinct values in order of first appearance, as
    pyarrow's reader gives them when asked for dictionary columns (hashing the text once
    read costs less than the reader's own dictionary conversion).

    Examples
    --------
    >>> got = _encoded(pa.chunked_array([["b", "a", "b"], ["c"]]))
    >>> got.type == _DICT_TEXT, [c.dictionary.to_pylist() for c in got.chunks]
    (True, [['b', 'a'], ['c']])
    >>> got.chunks[0].indices.to_pylist()
    [0, 1, 0]
    """
    return pa.chunked_array([chunk.dictionary_encode() for chunk in column.chunks], _DICT_TEXT)


#: the bytes a plain file's values hold (:func:`_plain_values`): printable ASCII but the quote
_VALUE_BYTES = bytes(range(0x20, 0x7F)).replace(b'"', b"")
_VALUE_LOW, _VALUE_HIGH, _QUOTE = 0x20, 0x7E, ord('"')
#: values' bytes up to this many are checked as one ``bytes`` (quicker for a few); more
#: with numpy (without the interpreter lock)
_FEW_BYTES = 1 << 16


def _plain_values(column: pa.ChunkedArray) -> bool:
    """Whether every value of a column read from a file holds only printable ASCII other
    than the quote mark (a dictionary column: its distinct values), found on the bytes of
    the values.

    Examples
    --------
    >>> _plain_values(pa.chunked_array([pa.array(["a b", "", "~!"]).dictionary_encode()]))
    True
    >>> bad = ['a"', "a" + chr(9) + "b", "Zo" + chr(235), chr(127), chr(0)]
    >>> [_plain_values(pa.chunked_array([[v]])) for v in bad]
    [False, False, False, False, False]
    """
    for chunk in column.chunks:
        text = chunk.dictionary if pa.types.is_dictionary(chunk.type) else chunk
        if not len(text):
            continue
        if text.type != pa.string():  # (never from the reader: pyarrow's own test)
            text = text.cast(pa.string())
        _, offsets, data = text.buffers()
        bounds = np.frombuffer(offsets, dtype=np.int32)[text.offset : text.offset + len(text) + 1]
        start, stop = int(bounds[0]), int(bounds[-1])
        if data is None or stop == start:
            continue
        if stop - start <= _FEW_BYTES:
            if data.slice(start, stop - start).to_pybytes().translate(None, _VALUE_BYTES):
                return False
            continue
        held = np.frombuffer(data, dtype=np.uint8)[start:stop]
        # printable ASCII, 0x20 to 0x7E, is 0 to 0x5E once 0x20 is taken off (every
        # other byte wraps round above it): one subtraction and one comparison
        bad = np.subtract(held, _VALUE_LOW, dtype=np.uint8) > _VALUE_HIGH - _VALUE_LOW
        bad |= held == _QUOTE
        if bad.any():
            return False
    return True


def _dictionary_codes(column: pa.ChunkedArray) -> tuple[pa.Array, np.ndarray | None]:
    """A dictionary-encoded column's values and each row's code into them; a text column
    (:data:`_ROW_TEXT`) as its values row by row and ``None`` (row ``i`` is value ``i``).

    The chunks' dictionaries are put end to end (a value may then appear more than once,
    which :func:`shared_strings` makes one string again) and each chunk's codes shifted
    to match: cheaper than unifying the dictionaries.

    Examples
    --------
    >>> col = pa.chunked_array([pa.array(["a", "b", "a"]).dictionary_encode(),
    ...                         pa.array(["b", "c"]).dictionary_encode()])
    >>> values, codes = _dictionary_codes(col)
    >>> values.to_pylist(), codes.tolist()
    (['a', 'b', 'b', 'c'], [0, 1, 0, 2, 3])
    >>> values, codes = _dictionary_codes(pa.chunked_array([["a", "b"], ["a"]]))
    >>> values.to_pylist(), codes
    (['a', 'b', 'a'], None)
    """
    if not pa.types.is_dictionary(column.type):  # (one chunk: as it is, not copied)
        return column.chunk(0) if column.num_chunks == 1 else column.combine_chunks(), None
    chunks = column.chunks
    if not chunks:
        return pa.array([], pa.string()), np.empty(0, dtype=np.int32)
    if len(chunks) == 1:
        return chunks[0].dictionary, int32_values(chunks[0].indices)
    starts = np.cumsum([0, *(len(c.dictionary) for c in chunks[:-1])])
    codes = np.concatenate(
        [int32_values(c.indices) + np.int32(start) for c, start in zip(chunks, starts, strict=True)]
    )
    return pa.concat_arrays([c.dictionary for c in chunks]), codes


def int32_values(array: pa.Array) -> np.ndarray:
    """An ``int32`` array's values (none missing: a plain file's dictionary codes) as a
    read-only numpy view of its buffer, as ``array.to_numpy()`` gives them.

    pyarrow's own ``to_numpy`` imports pandas the first time it is called; a read begun
    before the package imports pandas (:func:`start`) would then import it on its own
    thread and every other read and the command's own import would wait for it, so the
    files would not be read while the command imports.

    Examples
    --------
    >>> int32_values(pa.array([5, 6, 7], pa.int32()).slice(1)).tolist()
    [6, 7]
    """
    if array.type != pa.int32() or array.null_count:
        return array.to_numpy(zero_copy_only=False)  # (not a plain file's codes)
    data = array.buffers()[1]
    if data is None:
        return np.empty(0, dtype=np.int32)
    values = np.frombuffer(data, dtype=np.int32)[array.offset : array.offset + len(array)]
    values.flags.writeable = False  # (a view of pyarrow's memory, as to_numpy gives it)
    return values


@dataclass
class FileRead:
    """One CSV file read from disk and, when plain (:func:`_plain_table`), parsed: the work
    :func:`read_file` does before any finding is made, so several files can be read side
    by side (:func:`prefetch`) while :func:`read_csv_part` adds the findings in file
    order.
    """

    #: the bytes of a file that is not plain, for the careful path
    data: bytes | None = None
    #: why the file could not be read (``None``: it was read)
    error: OSError | None = None
    #: a plain file's column names as written (``None``: not plain, or unreadable)
    header: list[str] | None = None
    #: a plain file's columns, in header order: distinct values and each line's code
    #: (:func:`_dictionary_codes`)
    columns: list[tuple[pa.Array, np.ndarray | None]] = field(default_factory=list)
    #: how many lines a plain file has after its header
    lines: int = 0


def read_path(path: Path) -> FileRead:
    """Read one CSV file's bytes and, when plain, parse them (no finding is made: an
    unreadable file's error is kept). Safe to call from several threads at once: pyarrow
    parses without holding the interpreter lock.

    Examples
    --------
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "x.csv"
    >>> _ = path.write_bytes(b"A,B\\n1,x\\n1,y\\n")
    >>> got = read_path(path)
    >>> got.header, got.lines, got.columns[0][0].to_pylist(), got.columns[1][1].tolist()
    (['A', 'B'], 2, ['1'], [0, 1])
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        return FileRead(error=exc)
    plain = _plain_table(data)
    if plain is None:
        return FileRead(data=data)
    header, table = plain
    columns = [_dictionary_codes(column) for column in table.columns]
    return FileRead(header=header, columns=columns, lines=table.num_rows)


def read_workers() -> int:
    """How many files :func:`prefetch` reads at once: one per core, at most 8.

    One file of a few megabytes gives pyarrow's reader too little to spread over the
    cores, so whole files are read side by side instead.
    """
    return max(1, min(8, os.cpu_count() or 1))


def visible_files(paths: Sequence[str | Path]) -> list[Path]:
    """The files under ``paths`` as the steps before the load see them: each path that is
    not a folder as it is, and every file in each folder searched recursively, in path
    order, without entering hidden folders (the load cache, ``.git``) or taking hidden
    files, and without following links to folders.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> (folder / "2024").mkdir()
    >>> (folder / ".cache").mkdir()
    >>> for name in ("2024/b.csv", "a.csv", ".hidden.csv", ".cache/c.csv"):
    ...     _ = (folder / name).write_text("A")
    >>> [p.relative_to(folder).as_posix() for p in visible_files([folder])]
    ['2024/b.csv', 'a.csv']
    """
    out: list[Path] = []
    for given in map(Path, paths):
        if not given.is_dir():
            out.append(given)
            continue
        found: list[Path] = []
        for folder, subfolders, names in os.walk(given):
            subfolders[:] = [d for d in subfolders if not d.startswith(".")]
            found.extend(Path(folder, n) for n in names if not n.startswith("."))
        out.extend(sorted(found))
    return out


#: reads started by :func:`start`: path -> (size, modification time, the read)
_EARLY: dict[str, tuple[int, int, Future[FileRead]]] = {}
_EARLY_LOCK = threading.Lock()


def start(paths: Sequence[str | Path]) -> None:
    """Begin reading the CSV files under ``paths`` (files, or folders searched
    recursively; hidden names skipped) on :func:`read_workers` background threads, in
    name order, for :func:`claim` to take. Nothing is reported here: a file that cannot
    be read is read again, and reported, when it is asked for.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.csv").write_bytes(b"A\\n1\\n")
    >>> start([folder])
    >>> claim(folder / "a.csv").result().lines, claim(folder / "a.csv")
    (1, None)
    """
    files = [p for p in visible_files(paths) if p.suffix.lower() == ".csv" and p.is_file()]
    if not files:
        return
    pool = ThreadPoolExecutor(read_workers(), thread_name_prefix="cppanalytics-early")
    with _EARLY_LOCK:
        for path in files:
            try:
                stat = path.stat()
            except OSError:
                continue
            future = pool.submit(read_path, path)
            _EARLY[str(path)] = (stat.st_size, stat.st_mtime_ns, future)
    pool.shutdown(wait=False)  # its threads end once the files are read


def claim(path: Path) -> Future[FileRead] | None:
    """The read :func:`start` began of ``path``, once (None: none began, or the file has
    changed since: it is to be read again)."""
    with _EARLY_LOCK:
        entry = _EARLY.pop(str(path), None)
    if entry is None:
        return None
    size, mtime, future = entry
    try:
        stat = path.stat()
    except OSError:
        return None
    if (stat.st_size, stat.st_mtime_ns) != (size, mtime):
        future.cancel()
        return None
    return future


def forget() -> None:
    """Drop the reads :func:`start` began that nobody claimed (those not begun yet are
    cancelled)."""
    with _EARLY_LOCK:
        entries = list(_EARLY.values())
        _EARLY.clear()
    for _, _, future in entries:
        future.cancel()


__all__ = [
    "FileRead",
    "claim",
    "clean_column",
    "forget",
    "int32_values",
    "read_path",
    "read_workers",
    "start",
    "visible_files",
]
