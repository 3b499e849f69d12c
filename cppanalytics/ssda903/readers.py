"""Find 903 files, decode them and read CSV tables as text.

* :func:`discover` walks the given paths (files or folders, recursively) and returns the
  CSV and XML files in a stable order, remembering which argument each came from (the
  folder names between the two can name the collection year).
* :func:`decode` turns bytes into text: a BOM decides (UTF-8, UTF-16 LE/BE, UTF-32);
  otherwise strict UTF-8, else Windows-1252 (cp1252) with a warning. A file that decodes
  as neither is one error finding and is not used. No guessing beyond that.
* :func:`read_csv` reads one CSV as text only (every value a string), cleans the column
  names (BOM, whitespace, quotes, case), recognises the table by its column set and
  numbers each row as a spreadsheet user sees it (header = row 1). Fully blank lines are
  skipped (an info finding counts them); lines with more values than the header are set
  aside with a finding unless the extra values are blank.

Examples
--------
>>> decode("CHILD\\n".encode("utf-16"))[:2]
('CHILD\\n', 'utf-16')
"""

from __future__ import annotations

import codecs
import csv
import io
import os
from collections import deque
from collections.abc import Callable, Collection, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from cppanalytics.findings import Findings
from cppanalytics.ssda903.plainread import (  # (the plain reader's parts, as before)
    FileRead,
    _dictionary_codes,  # noqa: F401
    _plain_table,  # noqa: F401
    claim,
    clean_column,
    forget,
    read_path,
    read_workers,
)
from cppanalytics.ssda903.provenance import row_findings
from cppanalytics.ssda903.schemas import POOLED_COLUMNS, SCHEMAS, match_table

_T = TypeVar("_T")

#: File suffixes the loader reads.
SUFFIXES: frozenset[str] = frozenset({".csv", ".xml"})


@dataclass(frozen=True)
class SourceFile:
    """A file to read and the argument path it was found under."""

    path: Path
    root: Path


@dataclass
class RawTable:
    """One table read from one file, all values text, with provenance columns.

    ``frame`` holds the table's contract columns (missing ones filled with ``""``), the
    pooled-layout columns ``LA``/``YEAR`` when the file had them (renamed ``_LA`` and
    ``_YEAR``), and ``source_file``, ``source_row``. A column the plain reader read is
    categorical: each row's code into the column's distinct values (one
    :class:`pandas.CategoricalDtype` shared by every file's column of that name), so no
    string is made per row; :func:`text_frame` gives it as text.
    """

    table: str
    frame: pd.DataFrame
    source: SourceFile
    #: how the rows' collection year was decided (set by the loader), e.g. "folder name 2023-24"
    year_from: str = ""

    def keep_rows(self, keep: pd.Series | np.ndarray) -> None:
        """Keep the rows where ``keep`` is True (renumbered 0, 1, 2 ...)."""
        self.frame = self.frame.loc[np.asarray(keep, dtype=bool)].reset_index(drop=True)


def discover(paths: list[Path], findings: Findings) -> list[SourceFile]:
    """The CSV/XML files under ``paths`` (files or folders, recursive), sorted.

    Folders reached through a symbolic link are followed (each real folder once, so a link
    loop cannot repeat files) and an info finding names the link. Nothing is skipped
    quietly: a path that does not exist, a dangling link and a folder that cannot be
    listed are error findings (``path_not_found``, ``link_dangling``,
    ``folder_unreadable``); other files found under folders (spreadsheets, notes) are info
    findings. Hidden files and folders (names starting with ``.``, such as the load cache)
    and Office lock files (``~$``) are passed over.

    Examples
    --------
    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> _ = (d / "episodes.csv").write_text("CHILD")
    >>> (d / "old").symlink_to(d / "gone")
    >>> f = Findings()
    >>> [s.path.name for s in discover([d], f)], f.to_frame().code.tolist()
    (['episodes.csv'], ['link_dangling'])
    """
    out: list[SourceFile] = []
    for root in paths:
        if root.is_file():
            candidates = [root]
        elif root.is_dir():
            candidates = _walk(root, findings)
        else:
            dangling = root.is_symlink()
            findings.add(
                "error",
                "link_dangling" if dangling else "path_not_found",
                file=str(root),
                message=(
                    f"{root} is a link to {os.readlink(root)}, which does not exist."
                    if dangling
                    else f"{root} does not exist."
                ),
                fix="Check the path given to the loader.",
                action="rejected_file",
            )
            continue
        for p in candidates:
            inside = p.relative_to(root).parts if root.is_dir() else (p.name,)
            if any(part.startswith((".", "~$")) for part in inside):
                continue  # hidden files and folders (the load cache, .git), Office lock files
            if p.suffix.lower() in SUFFIXES:
                out.append(SourceFile(p, root))
            elif root.is_dir():
                findings.add(
                    "info",
                    "file_ignored",
                    file=str(p),
                    message=f"{p.name} is not a CSV or XML file, so it was not read.",
                    fix="Save 903 tables as CSV (or the XML return) if this file is one.",
                    action="rejected_file",
                )
            else:
                findings.add(
                    "error",
                    "file_type",
                    file=str(p),
                    message=f"{p.name} is not a CSV or XML file.",
                    fix="Export the 903 tables as CSV files, or give the XML return.",
                    action="rejected_file",
                )
    return out


def _walk(root: Path, findings: Findings) -> list[Path]:
    """Every file under ``root``, following folder links once each, reporting failures."""
    files: list[Path] = []
    seen: set[str] = set()

    def unreadable(exc: OSError) -> None:
        where = exc.filename or str(root)
        findings.add(
            "error",
            "folder_unreadable",
            file=str(where),
            message=f"the folder {where} could not be read ({exc.strerror or exc}); "
            "its files were not loaded.",
            fix="Give your account permission to read the folder (or copy the files "
            "somewhere readable) and run again.",
            action="rejected_file",
        )

    for folder, dirs, names in os.walk(root, onerror=unreadable, followlinks=True):
        real = os.path.realpath(folder)
        if real in seen:
            dirs[:] = []
            continue
        seen.add(real)
        dirs[:] = [d for d in dirs if not d.startswith((".", "~$"))]  # the load cache, .git
        here = Path(folder)
        for d in list(dirs):
            link = here / d
            if link.is_symlink() and not d.startswith("."):
                findings.add(
                    "info",
                    "link_followed",
                    file=str(link),
                    message=f"{link} is a link to {os.path.realpath(link)}; its files were read.",
                    fix="No action needed.",
                    action="loaded",
                )
        for name in names:
            if name.startswith((".", "~$")):
                continue
            p = here / name
            if p.is_symlink() and not p.exists():
                findings.add(
                    "error",
                    "link_dangling",
                    file=str(p),
                    message=f"{p} is a link to {os.readlink(p)}, which does not exist; "
                    "it was not read.",
                    fix="Replace the link with the file it should point to.",
                    action="rejected_file",
                )
                continue
            files.append(p)
    return sorted(files)


_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode(data: bytes) -> tuple[str, str] | None:
    """Decode file bytes; ``(text, encoding)`` or ``None`` when no encoding fits.

    Order: byte-order mark; UTF-16 without BOM (NUL bytes in every other position);
    strict UTF-8; strict Windows-1252.

    Examples
    --------
    >>> decode("DÉC".encode("cp1252"))
    ('DÉC', 'cp1252')
    >>> decode(b"\\x81\\x8d\\x8f") is None
    True
    """
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(enc), enc
            except UnicodeDecodeError:
                return None
    head = data[:2000]
    if len(head) >= 4 and head.count(0) >= len(head) // 4:
        enc = "utf-16-le" if head[1::2].count(0) > head[0::2].count(0) else "utf-16-be"
        try:
            return data.decode(enc), enc
        except UnicodeDecodeError:
            return None
    for enc in ("utf-8", "cp1252"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            return None
        return text, enc
    return None


def read_text(source: SourceFile, findings: Findings) -> str | None:
    """Read and decode a file, adding a finding for a non-UTF-8 or undecodable file."""
    data = read_bytes(source, findings)
    return None if data is None else decode_text(data, source.path, findings)


def read_bytes(source: SourceFile, findings: Findings) -> bytes | None:
    """A file's bytes, or ``None`` with an error finding when it cannot be read."""
    try:
        return source.path.read_bytes()
    except OSError as exc:
        _unreadable(source.path, exc, findings)
        return None


def _unreadable(path: Path, exc: OSError, findings: Findings) -> None:
    """The error finding for a file that could not be read."""
    findings.add(
        "error",
        "file_unreadable",
        file=str(path),
        message=f"{path} could not be read: {exc}.",
        fix="Check the file exists and you have permission to read it.",
        action="rejected_file",
    )


def decode_text(data: bytes, path: Path, findings: Findings) -> str | None:
    """:func:`decode` a file's bytes, with a finding for a non-UTF-8 or undecodable file."""
    decoded = decode(data)
    if decoded is None:
        findings.add(
            "error",
            "file_encoding",
            file=str(path),
            message=(
                f"{path.name} is not text in UTF-8, UTF-16 or Windows-1252, so it "
                "could not be read (is it a spreadsheet or a damaged file?)."
            ),
            fix="Open it in the case-management export tool or Excel and save it as 'CSV UTF-8'.",
            action="rejected_file",
        )
        return None
    text, enc = decoded
    if enc == "cp1252":
        findings.add(
            "warning",
            "file_encoding",
            file=str(path),
            value=enc,
            message=(
                f"{path.name} is not UTF-8; it was read as Windows-1252 (cp1252). "
                "Accented letters may show wrongly if that is not its encoding."
            ),
            fix="Save the file as 'CSV UTF-8' to remove this warning.",
            action="loaded",
        )
    elif enc.startswith("utf-16") or enc.startswith("utf-32"):
        findings.add(
            "info",
            "file_encoding",
            file=str(path),
            value=enc,
            message=f"{path.name} is {enc.upper()}; it was read correctly.",
            fix="No action needed.",
            action="loaded",
        )
    return text


#: one CSV field as written on one line: quoted (quotes doubled inside), or not starting
#: with a quote (a quote later in it is literal, as the CSV parser reads it), or empty
_FIELD = r'(?:\s*"(?:[^"]|"")*"\s*|[^,"][^,]*|)'
_WELL_FORMED = f"{_FIELD}(?:,{_FIELD})*"

#: columns a row cut short must still have to be used (else it is set aside): whether an
#: episode ended is unknown without DEC and REC, so a cut episode must not load as open
CUT_DECISIVE: dict[str, tuple[str, ...]] = {"episodes": ("DEC", "REC")}


def split_lines(text: str) -> list[str]:
    """The physical lines of a CSV text; CRLF, LF and CR-only (old Mac) endings all count.

    Examples
    --------
    >>> split_lines("A,B\\r1,2\\r\\n3,4\\n")
    ['A,B', '1,2', '3,4']
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def stray_quotes(lines: list[str]) -> list[int]:
    """0-based indexes of data lines (not the first) with a quote mark left open.

    A CSV value never spans lines in a 903 file, so a quote not closed on its own line
    would swallow the following rows into one value. Vectorised over the lines that hold
    a quote at all.

    Examples
    --------
    >>> stray_quotes(['A,B', '1,"x', '2,"a,b"', '3,b"c', 'x"y,"z'])
    [1, 4]
    """
    s = pd.Series(lines[1:], dtype="object")
    quoted = s[s.str.contains('"', regex=False)]
    if quoted.empty:
        return []
    ok = quoted.str.fullmatch(_WELL_FORMED)
    return [int(i) + 1 for i in ok.index[~ok.astype(bool)]]


#: pairs of characters that can only occur when a value starts or ends with a space
_SPACE_PAIRS: tuple[str, ...] = (" ,", ", ", " \n", "\n ", ' "', '" ')
#: every other character ``str.strip`` removes (white space but the line end and space)
_OTHER_SPACE: tuple[str, ...] = tuple(
    c for c in map(chr, range(0x3001)) if c.isspace() and c not in " \n"
)


def _padded(text: str) -> bool:
    r"""Whether any value of a CSV text could carry leading or trailing white space.

    Whole-text checks (C speed) instead of a look at every value: when the text has none,
    the per-value strip of :func:`read_csv` would change nothing and is skipped. A space
    next to a comma, a quote or a line end, or any white space other than a space or a
    line end (tabs, non-breaking spaces), counts.

    Examples
    --------
    >>> _padded("A,B\nMK5 7FP,2\n"), _padded("A,B\n1 ,2\n"), _padded("A,B\n1,\t2\n")
    (False, True, True)
    >>> _padded('A,B\n"x ",2\n'), _padded(" A,B\n")
    (True, True)
    """
    if text[:1].isspace():
        return True
    candidates = (
        _OTHER_SPACE if not text.isascii() else tuple(c for c in _OTHER_SPACE if c < "\x80")
    )
    if any(c in text for c in candidates):
        return True
    return _space_at_edge(text)


#: the characters a value's edge can touch: comma, line end, quote
_EDGE = np.zeros(256, dtype=bool)
_EDGE[[ord(","), ord("\n"), ord('"')]] = True


def _space_at_edge(text: str) -> bool:
    r"""Whether a space stands next to a comma, line end or quote (one pass over the bytes).

    Examples
    --------
    >>> _space_at_edge("a b,c\n"), _space_at_edge("a ,b\n"), _space_at_edge('"a",\n b')
    (False, True, True)
    """
    data = np.frombuffer(text.encode("utf-8", "surrogatepass"), dtype=np.uint8)
    space = data == ord(" ")
    if not space.any():
        return False
    return bool(_EDGE[data[1:][space[:-1]]].any() or _EDGE[data[:-1][space[1:]]].any())


def _parse_csv(text: str) -> pd.DataFrame:
    return pd.read_csv(
        io.StringIO(text),
        dtype=str,
        keep_default_na=False,
        na_filter=False,
        skip_blank_lines=False,
        header=None,
        engine="c",
    )


#: appended to every line so a row cut short shows where it stops (no 903 value holds it)
_END = "\x01"


def _parse_marked(text: str, n_cols: int) -> pd.DataFrame:
    """Parse every line as text, with ``_line`` (1-based) and ``_values`` (how many values
    the line held: fewer than ``n_cols`` when it was cut short).

    An end mark is appended to each line before the C parser reads it: a complete row has
    it in column ``n_cols``, a short row earlier, so the count costs one column compare;
    in a short row the mark is then blanked like the values missing after it.
    A row with more values than the header raises (the caller falls back to
    :func:`_parse_ragged`).
    """
    raw = _parse_csv(text.replace("\n", f",{_END}\n"))
    if len(raw.columns) != n_cols + 1:
        raise ValueError("rows longer than the header")
    complete = raw.pop(raw.columns[n_cols]).to_numpy() == _END
    values = np.full(len(raw), n_cols, dtype="int64")
    if not complete.all():
        cut = ~complete
        short = raw.loc[cut].to_numpy() == _END
        values[cut] = short.argmax(axis=1)
        raw = raw.fillna("")  # only a row cut short has missing values
        raw.loc[cut] = raw.loc[cut].mask(short, "")  # its end mark is not a value
    raw["_line"] = np.arange(1, len(raw) + 1)
    raw["_values"] = values
    return raw


def _parse_ragged(text: str, path: Path, n_cols: int, findings: Findings) -> pd.DataFrame:
    """Slow path for files whose rows have more values than the header."""
    rows: list[list[str]] = []
    lines: list[int] = []
    counts: list[int] = []
    reader = csv.reader(io.StringIO(text))
    bad: list[tuple[int, list[str]]] = []
    for rec in reader:
        line = reader.line_num
        if len(rec) > n_cols and any(v.strip() for v in rec[n_cols:]):
            if line > 1:
                bad.append((line, rec))
            continue
        counts.append(len(rec) if rec else n_cols)
        rec = (rec + [""] * n_cols)[:n_cols]
        rows.append(rec)
        lines.append(line)
    for line, rec in bad:
        findings.add(
            "error",
            "row_too_many_values",
            file=str(path),
            row=line,
            value=",".join(rec)[:200],
            child=rec[0] if rec else "",
            message=(
                f"line {line} has {len(rec)} values but the header has {n_cols}; "
                "the row was not used."
            ),
            fix="Remove the stray commas (or quote values containing commas) and reload.",
            action="set_aside",
        )
    frame = pd.DataFrame(rows, columns=range(n_cols), dtype="str")
    frame["_line"] = lines
    frame["_values"] = counts
    return frame


def _blank_rows(raw: pd.DataFrame, header: list[str]) -> pd.Series:
    r"""Rows whose every value is empty (only rows with an empty first value are looked at).

    Examples
    --------
    >>> _blank_rows(pd.DataFrame({"A": ["", "1", ""], "B": ["", "", "2"]}), ["A", "B"]).tolist()
    [True, False, False]
    """
    blank = pd.Series(False, index=raw.index)
    if not header:
        return blank
    first = raw[header[0]].to_numpy() == ""
    if first.any():
        blank[first] = (raw.loc[first, header] == "").all(axis=1).to_numpy()
    return blank


def _unique(names: list[str]) -> list[str]:
    """Make repeated column names unique (``X``, ``X#2``) so the first one is used."""
    seen: dict[str, int] = {}
    out = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name}#{seen[name]}")
    return out


def _cut_short(
    raw: pd.DataFrame,
    header: list[str],
    table: str,
    path: Path,
    blank: pd.Series,
    findings: Findings,
) -> pd.DataFrame:
    """Report rows with fewer values than the header; set aside those missing a decisive
    column (:data:`CUT_DECISIVE`, the table's required columns), keep the others."""
    short = (raw["_values"] < len(header)) & ~blank
    if not short.any():
        return raw
    decisive = [*SCHEMAS[table].row_required, *CUT_DECISIVE.get(table, ())]
    positions = [header.index(c) for c in decisive if c in header]
    last_decisive = max(positions) if positions else -1
    cut = short & (raw["_values"] <= last_decisive)
    rows = raw.loc[short].assign(source_file=str(path), source_row=raw["_line"])
    if "CHILD" not in rows:
        rows["CHILD"] = ""
    values = rows["_values"].astype("int64")
    lost = {n: ", ".join(header[n:]) for n in values.unique()}  # once per distinct length
    message = (
        "the row has " + values.astype("string") + f" values but the header has "
        f"{len(header)}: it stops before " + values.map(lost).astype("string")
    )
    cut, short = cut.loc[rows.index], short.loc[rows.index]
    for mask, severity, tail, action in (
        (
            cut,
            "error",
            "; whether the record is complete cannot be told, so it was not used.",
            "set_aside",
        ),
        (short & ~cut, "warning", ", which were taken as blank.", "loaded"),
    ):
        if mask.any():
            findings.extend(
                row_findings(
                    rows,
                    mask,
                    severity,
                    "row_cut_short",
                    table,
                    column=header[-1],
                    value="",
                    message=message + tail,
                    fix="Re-export the file so every row has every column (a truncated export "
                    "or a row cut during editing).",
                    action=action,
                )
            )
    return raw.drop(index=cut.index[cut])


def shared_strings(values: list[tuple[str, pa.Array]]) -> list[np.ndarray]:
    """Text arrays as object arrays, one string object per distinct value of a column name.

    The same CHILD id, date or postcode is in every year's files and in several tables;
    one string object per value (across all the arrays of one column name, found by one
    hashing pass in pyarrow) keeps the text tables small.

    Parameters
    ----------
    values
        (column name, text array) pairs.

    Returns
    -------
    list of numpy.ndarray
        one object array per pair, in the same order.

    Examples
    --------
    >>> a, b, c = shared_strings(
    ...     [("CHILD", pa.array(["A7", "B8"])), ("CHILD", pa.array(["B8"])), ("UPN", pa.array(["B8"]))]
    ... )
    >>> b.tolist(), a[1] is b[0], a[1] is c[0]
    (['B8'], True, False)
    """
    return [distinct.take(codes) for codes, distinct in shared_codes(values)]


#: a column name holding more values than this (CHILD, read row by row) is numbered in
#: pieces side by side, one per core, whose distinct values are then numbered together
_SPLIT_ROWS = 1 << 20


def shared_codes(
    values: list[tuple[str, pa.Array]], *, strip: bool = False
) -> list[tuple[np.ndarray, np.ndarray]]:
    """:func:`shared_strings` as codes: per pair, each value's code into the distinct values
    of its column name (an object array, the same one for every pair of that name).

    With ``strip``, spaces at either end of a value are taken off first (values that
    differ only by them become one).

    The column names are numbered side by side (pyarrow hashes without the interpreter
    lock); a name with more than :data:`_SPLIT_ROWS` values is cut into pieces numbered
    side by side and put together by :func:`_joined_codes` (the same numbering: the
    distinct values in order of first appearance). A name with at least
    :data:`_FIXED_MIN_ROWS` values all of one byte width (CHILD) is numbered on one
    integer key per value (:func:`fixed_width_keys`: equal keys exactly for equal values),
    in one piece, then its distinct keys turned back into text: the same numbering, with
    less work than hashing and comparing the text.

    Examples
    --------
    >>> (a, va), (b, vb) = shared_codes([("CHILD", pa.array(["A7", "B8"])), ("CHILD", pa.array(["B8"]))])
    >>> a.tolist(), b.tolist(), va.tolist(), va is vb
    ([0, 1], [1], ['A7', 'B8'], True)
    >>> ((c, vc),) = shared_codes([("CHILD", pa.array(["A7", " A7 ", "B8 "]))], strip=True)
    >>> c.tolist(), vc.tolist()
    ([0, 0, 1], ['A7', 'B8'])
    """
    out: list[tuple[np.ndarray, np.ndarray]] = [
        (np.empty(0, dtype=np.int32), np.empty(0, dtype=object))
    ] * len(values)
    by_column: dict[str, list[int]] = {}
    for i, (column, _) in enumerate(values):
        by_column.setdefault(column, []).append(i)
    workers = read_workers()
    # column names largest first; each cut into pieces when it is large
    groups = sorted(by_column.values(), key=lambda w: -sum(len(values[i][1]) for i in w))
    keyed = [_keyed([values[i][1] for i in where]) for where in groups]
    pieces = [  # (keys are numbered whole: a second thread costs more than it gains)
        _pieces([values[i][1] for i in where], workers) if keys is None else [[keys.keys]]
        for where, keys in zip(groups, keyed, strict=True)
    ]
    jobs = sorted(
        ((g, p) for g, cut in enumerate(pieces) for p in range(len(cut))),
        key=lambda job: -sum(len(a) for a in pieces[job[0]][job[1]]),
    )

    def encode(job: tuple[int, int]) -> pa.DictionaryArray:
        group, piece = job
        return _encode_pieces(pieces[group][piece])

    def share(group: int) -> None:
        where = groups[group]
        dictionary, indices = _joined_codes(
            [encoded[(group, p)] for p in range(len(pieces[group]))]
        )
        keys = keyed[group]
        if keys is not None:  # numbered on fixed-width keys: their text
            dictionary = keys.text(dictionary)
        if strip and _any_padded(dictionary):
            trimmed = pc.utf8_trim(dictionary, characters=" ").dictionary_encode()
            indices = trimmed.indices.to_numpy().take(indices)
            dictionary = trimmed.dictionary
        distinct = dictionary.to_numpy(zero_copy_only=False)
        bounds = np.cumsum([0, *(len(values[i][1]) for i in where)])
        for i, start, stop in zip(where, bounds[:-1], bounds[1:], strict=True):
            out[i] = indices[start:stop], distinct

    # each piece hashed, then each name's pieces put together; side by side, largest first
    with ThreadPoolExecutor(workers, thread_name_prefix="cppanalytics-share") as pool:
        encoded = dict(zip(jobs, pool.map(encode, jobs), strict=True))
        list(pool.map(share, range(len(groups))))  # each group fills its own places of ``out``
    return out


def _keyed(arrays: list[pa.Array]) -> FixedKeys | None:
    """:func:`fixed_width_keys` of one column name's arrays holding at least
    :data:`_FIXED_MIN_ROWS` values (fewer: ``None``, numbered on their text)."""
    if sum(len(a) for a in arrays) < _FIXED_MIN_ROWS:
        return None
    return fixed_width_keys(arrays)


def _encode_pieces(arrays: list[pa.Array]) -> pa.DictionaryArray:
    """``pa.concat_arrays(arrays).dictionary_encode()`` without putting the text end to
    end first: the arrays are hashed as one chunked array (one table of distinct values,
    every chunk's codes into it), then only their codes are joined.

    Examples
    --------
    >>> got = _encode_pieces([pa.array(["b", "a"]), pa.array([], pa.string()), pa.array(["c", "b"])])
    >>> got.dictionary.to_pylist(), got.indices.to_pylist()
    (['b', 'a', 'c'], [0, 1, 2, 0])
    """
    if len(arrays) == 1:
        return arrays[0].dictionary_encode()
    encoded = pa.chunked_array(arrays, type=arrays[0].type).dictionary_encode()
    if not encoded.num_chunks:  # (no arrays, or all empty: nothing to join)
        return pa.concat_arrays(arrays).dictionary_encode()
    indices = pa.concat_arrays([chunk.indices for chunk in encoded.chunks])
    dictionary = encoded.chunks[-1].dictionary  # (every chunk's is the whole table)
    return pa.DictionaryArray.from_arrays(indices, dictionary)


def _pieces(arrays: list[pa.Array], count: int) -> list[list[pa.Array]]:
    """``arrays`` (one column name's values, end to end) cut into ``count`` pieces of
    about equal length (slices, no copy) when they hold more than :data:`_SPLIT_ROWS`
    values; else as one piece.

    Examples
    --------
    >>> [[a.to_pylist() for a in p] for p in _pieces([pa.array(["a", "b", "c"])], 2)]
    [[['a', 'b', 'c']]]
    """
    total = sum(len(a) for a in arrays)
    count = min(count, total)
    if count < 2 or total <= _SPLIT_ROWS:
        return [arrays]
    cuts = [total * k // count for k in range(count + 1)]
    out: list[list[pa.Array]] = []
    for low, high in zip(cuts[:-1], cuts[1:], strict=True):
        piece, start = [], 0
        for array in arrays:
            stop = start + len(array)
            if stop > low and start < high:
                piece.append(array.slice(max(low - start, 0), min(high, stop) - max(low, start)))
            start = stop
        out.append(piece)
    return out


def _joined_codes(encoded: list[pa.DictionaryArray]) -> tuple[pa.Array, np.ndarray]:
    """The distinct values and each value's code of pieces' values put end to end, from
    each piece's own :meth:`~pyarrow.Array.dictionary_encode`: the same as encoding them
    end to end (distinct values in order of first appearance), the rows hashed once per
    piece and only the pieces' distinct values again.

    Examples
    --------
    >>> one, two = pa.array(["b", "a", "b"]).dictionary_encode(), pa.array(["c", "a"]).dictionary_encode()
    >>> dictionary, codes = _joined_codes([one, two])
    >>> dictionary.to_pylist(), codes.tolist()
    (['b', 'a', 'c'], [0, 1, 0, 2, 1])
    """
    if len(encoded) == 1:
        return encoded[0].dictionary, encoded[0].indices.to_numpy()
    joined = pa.concat_arrays([e.dictionary for e in encoded]).dictionary_encode()
    into = joined.indices.to_numpy()
    starts = np.cumsum([0, *(len(e.dictionary) for e in encoded)])
    codes = [
        into[start:stop].take(e.indices.to_numpy())
        for e, start, stop in zip(encoded, starts[:-1], starts[1:], strict=True)
    ]
    return joined.dictionary, np.concatenate(codes)


#: a column name with fewer values than this is numbered on its text as it is (the
#: fixed-width keys of :func:`fixed_width_keys` pay only on many values)
_FIXED_MIN_ROWS = 1 << 16

#: the little-endian unsigned 64-bit word a value's bytes are read as
_WORD = np.dtype("<u8")

#: every bit of a 64-bit word
_ALL = (1 << 64) - 1


@dataclass(frozen=True)
class FixedKeys:
    """Text values of one byte width (1 to 16) as one unsigned 64-bit key each, equal keys
    exactly for equal values (:func:`fixed_width_keys`), and the way back (:meth:`text`).

    A value's bytes are cut in two little-endian words: ``low``, bytes 0-7 (zeros after
    the end of a shorter value), and ``high``, bytes 8-15 (all zero for a width of 8 or
    less). A bit at the same place in every value's word (outside ``low_vary`` and
    ``high_vary``; its value in ``low_same`` and ``high_same``) tells the values nothing,
    so ``high`` is moved up ``shift`` bits, where every varying bit of it lands on a bit of
    ``low`` that never varies, and the key is ``low ^ (high << shift)``: under each bit of
    the key at most one of the two varies and the other is a known constant, so the key
    gives both words back, and equal keys are equal values, nothing else. The key is an
    integer and only ever compared as one (no arithmetic, no floating point), so no two
    bit patterns can compare equal.
    """

    #: every value's byte length
    width: int
    #: the key of every value of the arrays end to end (uint64)
    keys: pa.Array
    shift: int
    low_vary: int
    low_same: int
    high_vary: int
    high_same: int

    def text(self, keys: pa.Array) -> pa.Array:
        """The text values ``keys`` (a uint64 array of this object's keys) stand for.

        Examples
        --------
        >>> found = fixed_width_keys([pa.array(["0123456789", "0123456799"])])
        >>> found.text(found.keys).to_pylist()
        ['0123456789', '0123456799']
        """
        key = keys.to_numpy().astype(_WORD, copy=False)
        moved = self.high_vary << self.shift
        # at the bits where low varies, high's (moved) bits are constant: take them off
        low = (
            (key ^ np.uint64((self.high_same << self.shift) & _ALL)) & np.uint64(self.low_vary)
        ) | np.uint64(self.low_same & ~self.low_vary & _ALL)
        # and where high's moved bits vary, low's are constant
        high = (
            ((key ^ np.uint64(self.low_same)) & np.uint64(moved)) >> np.uint64(self.shift)
        ) | np.uint64(self.high_same & ~self.high_vary & _ALL)
        count = len(key)
        rows = np.empty((count, 16), np.uint8)
        rows[:, :8] = low.view(np.uint8).reshape(count, 8)
        rows[:, 8:] = high.view(np.uint8).reshape(count, 8)
        data = np.ascontiguousarray(rows[:, : self.width])
        offsets = np.arange(0, (count + 1) * self.width, self.width, dtype=np.int32)
        return pa.StringArray.from_buffers(count, pa.py_buffer(offsets), pa.py_buffer(data))


def fixed_width_keys(arrays: list[pa.Array]) -> FixedKeys | None:
    """Every value of ``arrays`` (end to end) as one 64-bit integer key
    (:class:`FixedKeys`), when they are all text of one byte width from 1 to 16 (no
    missing values) and the bits that vary between them fit in 64; else ``None``.

    Numbering the keys (:meth:`~pyarrow.Array.dictionary_encode` on fixed-width integers:
    no string hashing or comparing) numbers the values: equal keys are exactly equal
    values, so the distinct keys in order of first appearance are the distinct values in
    that order, and :meth:`FixedKeys.text` gives them as text. A CHILD id is short (the
    903 spec: at most 10 characters) and in practice one width, and only some bits of its
    characters vary (digits: the low four), so its two words fit in one.

    Examples
    --------
    >>> found = fixed_width_keys([pa.array(["0000100183", "0000100423"]), pa.array(["0000100183"])])
    >>> encoded = found.keys.dictionary_encode()
    >>> encoded.indices.to_pylist(), found.text(encoded.dictionary).to_pylist()
    ([0, 1, 0], ['0000100183', '0000100423'])
    >>> fixed_width_keys([pa.array(["A7", "B80"])]) is None  # not one width
    True
    """
    width = _common_width(arrays)
    if width is None:
        return None
    low = _words(arrays, width)
    low_vary, low_same = _varying(low)
    high_vary = high_same = 0  # (no bytes 8-15 in a value of 8 or fewer: the key is low)
    if width > 8:
        anyset, allset = 0, _ALL
        for _, high in _high_words(arrays, width):
            anyset |= int(np.bitwise_or.reduce(high))
            allset &= int(np.bitwise_and.reduce(high))
        high_vary, high_same = anyset ^ allset, allset
    shift = _free_shift(low_vary, high_vary)
    if shift is None:
        return None
    if width > 8:
        for start, high in _high_words(arrays, width):
            high <<= np.uint64(shift)
            low[start : start + len(high)] ^= high
    return FixedKeys(width, pa.array(low), shift, low_vary, low_same, high_vary, high_same)


def _common_width(arrays: list[pa.Array]) -> int | None:
    """The byte length every value of ``arrays`` has, when it is one from 1 to 16 and they
    are plain ``string`` arrays with no missing value; else ``None`` (read from the
    offsets, the text untouched).

    Examples
    --------
    >>> _common_width([pa.array(["ab", "cd"]), pa.array(["éf"])]) is None  # ("é": two bytes)
    True
    >>> _common_width([pa.array(["ab", "cd"]), pa.array([], pa.string()), pa.array(["ef"])])
    2
    """
    width = None
    for array in arrays:
        if array.type != pa.string() or array.null_count:
            return None
        if not len(array):
            continue
        offsets = np.frombuffer(array.buffers()[1], np.int32, len(array) + 1, array.offset * 4)
        steps = np.diff(offsets)
        width = int(steps[0]) if width is None else width
        if not 1 <= width <= 16 or not (steps == width).all():
            return None
    return width


def _words(arrays: list[pa.Array], width: int) -> np.ndarray:
    """Bytes 0-7 of every value of ``arrays`` (end to end), whose values are all ``width``
    bytes long, as little-endian words (zeros after a value's end).

    Examples
    --------
    >>> low = _words([pa.array(["ABCDEFGHIJ", "abcdefghij"]).slice(1), pa.array(["0123456789"])], 10)
    >>> low.view("S8").tolist()
    [b'abcdefgh', b'01234567']
    >>> _words([pa.array(["ab", "cd"])], 2).view("S8").tolist()
    [b'ab', b'cd']
    """
    total = sum(len(a) for a in arrays)
    if width < 8:
        padded = np.zeros((total, 8), np.uint8)
    else:
        low = np.empty(total, _WORD)
    end = 0
    for array in arrays:
        count = len(array)
        if not count:
            continue
        start, end = end, end + count
        at, data = _value_bytes(array)
        if width < 8:
            values = np.frombuffer(data, np.uint8, count * width, at).reshape(count, width)
            padded[start:end, :width] = values
            continue
        low[start:end] = np.ndarray((count,), _WORD, data, at, (width,))
    if width < 8:
        return padded.view(_WORD).ravel()
    return low


#: values whose bytes 8-15 are worked on at a time (:func:`_high_words`): one small
#: buffer reused, not a word held per value (fresh memory costs more than the work)
_HIGH_CHUNK = 1 << 16


def _high_words(arrays: list[pa.Array], width: int) -> Iterator[tuple[int, np.ndarray]]:
    """Bytes 8-15 of every value of ``arrays`` (end to end), whose values are all ``width``
    bytes long (more than 8), as little-endian words (zeros after a value's end), a chunk
    at a time: the position of the chunk's first value and its words (a view of one
    buffer, overwritten by the next chunk).

    Examples
    --------
    >>> arrays = [pa.array(["ABCDEFGHIJ", "abcdefghij"]).slice(1), pa.array(["0123456789"])]
    >>> [(start, words.view("S8").tolist()) for start, words in _high_words(arrays, 10)]
    [(0, [b'ij']), (1, [b'89'])]
    """
    total = sum(len(a) for a in arrays)
    buffer = np.empty(min(_HIGH_CHUNK, total), _WORD)
    moved = np.uint64(8 * (16 - width))
    end = 0
    for array in arrays:
        count = len(array)
        if not count:
            continue
        at, data = _value_bytes(array)
        # each value's last eight bytes as a word, moved down onto bytes 8 on
        last = np.ndarray((count,), _WORD, data, at + width - 8, (width,))
        for first in range(0, count, _HIGH_CHUNK):
            words = buffer[: min(_HIGH_CHUNK, count - first)]
            np.right_shift(last[first : first + len(words)], moved, out=words)
            yield end + first, words
        end += count


def _value_bytes(array: pa.Array) -> tuple[int, pa.Buffer]:
    """Where a ``string`` array's first value starts in its data buffer, and that buffer."""
    at = int(np.frombuffer(array.buffers()[1], np.int32, 1, array.offset * 4)[0])
    return at, array.buffers()[2]


def _varying(words: np.ndarray) -> tuple[int, int]:
    """The bits that are not the same in every word, and the bits set in every word (at
    the bits that are the same in all, their value).

    Examples
    --------
    >>> _varying(np.array([0b1100, 0b1010], np.uint64)), _varying(np.array([], np.uint64))
    ((6, 8), (0, 0))
    """
    if not len(words):
        return 0, 0
    anyset = int(np.bitwise_or.reduce(words))
    allset = int(np.bitwise_and.reduce(words))
    return anyset ^ allset, allset


def _free_shift(low_vary: int, high_vary: int) -> int | None:
    """The smallest shift that moves the bits ``high_vary`` onto bits of a 64-bit word none
    of ``low_vary`` is on (none moved past bit 63), or ``None``.

    Examples
    --------
    >>> _free_shift(0x0F0F, 0x0F0F), _free_shift(0x0F0F, 0), _free_shift(2**64 - 2, 2)
    (4, 0, None)
    """
    for shift in range(64 - high_vary.bit_length() + 1):
        if not (low_vary & (high_vary << shift)):
            return shift
    return None


def _any_padded(text: pa.Array) -> bool:
    """Whether any value starts or ends with a space.

    Examples
    --------
    >>> _any_padded(pa.array(["a", "b c"])), _any_padded(pa.array(["a", "b "]))
    (False, True)
    """
    padded = pc.or_(pc.starts_with(text, " "), pc.ends_with(text, " "))
    return bool(pc.any(padded).as_py())


def _text_array(values: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """An object array of ``str`` as the ``str`` array ``pandas.read_csv`` makes."""
    dtype = pd.StringDtype(na_value=np.nan)
    if dtype.storage == "python":  # every value is a str already: no check, no copy
        return dtype.construct_array_type()._simple_new(values, dtype)
    return pd.array(values, dtype=dtype)


@dataclass
class PlainTable:
    """A plain file read (:func:`_plain_table`) but not yet given string objects: each
    column's distinct values and every kept row's code into them.

    :func:`raw_tables` turns a list of them into :class:`RawTable` frames, sharing one
    string object per distinct value of a column across all the files.
    """

    table: str
    source: SourceFile
    #: the table's contract columns (one missing from the file is blank)
    columns: list[str]
    #: file column name -> (distinct values, code per row)
    coded: dict[str, tuple[pa.Array, np.ndarray | None]]
    #: positions of the rows kept (``None``: every row), and how many lines were read
    rows: np.ndarray | None
    lines: int


def _plain_coded(
    name: str,
    source: SourceFile,
    header: list[str],
    read: FileRead,
    columns: list[str],
) -> tuple[PlainTable, int]:
    """A :class:`PlainTable` from a plain file's :class:`FileRead`, and how many blank rows
    (every value empty, as :func:`_blank_rows` finds them) it leaves out."""
    n = read.lines
    wanted = {*columns, *POOLED_COLUMNS}
    blank = np.ones(n, dtype=bool)
    coded: dict[str, tuple[pa.Array, np.ndarray | None]] = {}
    for column, (dictionary, codes) in zip(header, read.columns, strict=True):
        if blank.any():
            empty = pc.equal(dictionary, "").to_numpy(zero_copy_only=False)
            blank &= empty if codes is None else empty.take(codes)
        if column in wanted:
            coded[column] = dictionary, codes
    rows = np.flatnonzero(~blank) if blank.any() else None
    blanks = 0 if rows is None else n - len(rows)
    return PlainTable(name, source, columns, coded, rows, n), blanks


def code_dtype(count: int) -> np.dtype:
    """The integer type pandas holds a categorical's codes in, for ``count`` categories
    (the narrowest of int8, int16, int32 and int64 holding them): codes taken in it are
    kept as they are, not cast again.

    Examples
    --------
    >>> [str(code_dtype(n)) for n in (0, 126, 127, 40_000)]
    ['int8', 'int8', 'int16', 'int32']
    >>> pd.Categorical.from_codes(np.zeros(1, code_dtype(3)), categories=list("abc")).codes.dtype
    dtype('int8')
    """
    for kind in (np.int8, np.int16, np.int32):
        if count < np.iinfo(kind).max:
            return np.dtype(kind)
    return np.dtype(np.int64)


#: a file's codes into its column names' shared distinct values, and their dtype
_Shared = dict[str, tuple[np.ndarray, pd.CategoricalDtype]]


def _coded_column(
    part: PlainTable, name: str, into: np.ndarray, dtype: pd.CategoricalDtype
) -> pd.Categorical:
    """A coded column of a plain part as categorical (its kept rows): ``into`` holds the
    code of each of the part's distinct values into the column name's shared distinct
    values (a column read row by row: each row's code), ``dtype`` their categorical dtype.

    Examples
    --------
    >>> part = PlainTable("x", SourceFile(Path("x.csv"), Path(".")), ["A"],
    ...                   {"A": (pa.array(["b", "a"]), np.array([0, 1, 0], np.int32))}, None, 3)
    >>> _coded_column(part, "A", np.array([1, 0]), pd.CategoricalDtype(["a", "b"])).tolist()
    ['b', 'a', 'b']
    """
    rows = part.rows
    codes = part.coded[name][1]
    if codes is None:  # a column read row by row: ``into`` is each row's code
        own = into.copy() if rows is None else into[rows]
    else:  # (taken straight into the categorical's own code width, not cast after)
        into = into.astype(code_dtype(len(dtype.categories)), copy=False)
        own = into.take(codes if rows is None else codes[rows])
    return pd.Categorical.from_codes(own, dtype=dtype, validate=False)


def _coded_columns(part: PlainTable, shared: _Shared) -> dict[str, pd.Categorical]:
    """The part's coded columns named in ``shared`` (:func:`_coded_column`), by name; each
    column's codes are dropped from the part once it is made (their memory goes).

    Examples
    --------
    >>> part = PlainTable("x", SourceFile(Path("x.csv"), Path(".")), ["A", "B"],
    ...                   {"A": (pa.array(["b", "a"]), np.array([1, 0], np.int32)),
    ...                    "B": (pa.array(["z"]), None)}, None, 2)
    >>> made = _coded_columns(part, {"A": (np.array([0, 1]), pd.CategoricalDtype(["b", "a"]))})
    >>> made["A"].tolist(), list(part.coded)
    (['a', 'b'], ['B'])
    """
    made = {}
    for name, found in shared.items():
        made[name] = _coded_column(part, name, *found)
        del part.coded[name]
    return made


def _plain_frame(
    part: PlainTable,
    shared: _Shared,
    made: dict[str, pd.Categorical] | None = None,
    leave_out: frozenset[str] = frozenset(),
) -> pd.DataFrame:
    """A :class:`RawTable` frame built as the careful path builds it: the contract columns
    (blank when missing), ``_LA``/``_YEAR`` when present, ``source_file``, ``source_row``.

    ``shared`` holds, per coded column, the code of each of the part's distinct values
    into the column name's shared distinct values (stripped of spaces at either end, as
    the careful path strips a file holding any: that changes only those values), and
    their categorical dtype (:func:`raw_tables`): each column is categorical, its text
    never made row by row. ``made`` holds coded columns already made
    (:func:`_coded_columns`), taken as they are. Coded columns named in ``leave_out``
    are left out (:func:`_put_in` puts them in later, at their places); one the file
    lacks is blank as ever.
    """
    rows = part.rows
    size = part.lines if rows is None else len(rows)
    made = {} if made is None else made

    def column(name: str) -> pd.Categorical:
        found = made.get(name)
        return _coded_column(part, name, *shared[name]) if found is None else found

    def same(value: str) -> pd.api.extensions.ExtensionArray:
        values = np.empty(size, dtype=object)
        values.fill(value)  # one string object (numpy.full would make one per row)
        return _text_array(values)

    coded = part.coded.keys() | made.keys()
    out = {
        name: column(c) if c in coded else same("")
        for c, name in _frame_columns(part, coded)
        if c not in leave_out or c not in coded  # (a column the file lacks: blank now)
    }
    out["source_file"] = same(str(part.source.path))
    lines = np.arange(2, part.lines + 2, dtype="int64")
    out["source_row"] = lines if rows is None else lines[rows]
    return pd.DataFrame(out, copy=False)


def _frame_columns(part: PlainTable, coded: Collection[str]) -> list[tuple[str, str]]:
    """The (file column, frame column) pairs a plain part's frame is made of, in the
    frame's order: the contract columns, then each pooled column the file holds as
    ``_LA``, ``_YEAR``.

    Examples
    --------
    >>> part = PlainTable("x", SourceFile(Path("x.csv"), Path(".")), ["CHILD", "DOB"], {}, None, 0)
    >>> _frame_columns(part, {"CHILD", "LA"})
    [('CHILD', 'CHILD'), ('DOB', 'DOB'), ('LA', '_LA')]
    """
    pooled = [(c, f"_{c}") for c in sorted(POOLED_COLUMNS) if c in coded]
    return [*((c, c) for c in part.columns), *pooled]


def _put_in(
    frame: pd.DataFrame, pairs: list[tuple[str, str]], columns: dict[str, pd.Categorical]
) -> None:
    """Put the coded ``columns`` (by file column) left out of ``frame``
    (:func:`_plain_frame`'s ``leave_out``) into it, each at its place in the frame's
    order ``pairs`` (:func:`_frame_columns`); columns added at the end since, such as
    ``YEAR``, stay after them.

    Examples
    --------
    >>> part = PlainTable("x", SourceFile(Path("x.csv"), Path(".")), ["CHILD", "DOB"], {}, None, 1)
    >>> frame = pd.DataFrame({"DOB": ["d"], "_LA": ["x"], "source_file": ["x.csv"], "YEAR": [2024]})
    >>> _put_in(frame, _frame_columns(part, {"CHILD", "LA"}), {"CHILD": pd.Categorical(["7"])})
    >>> list(frame.columns)
    ['CHILD', 'DOB', '_LA', 'source_file', 'YEAR']
    """
    order = [name for _, name in pairs]
    for column, name in pairs:
        if column in columns:
            frame.insert(order.index(name), name, columns[column])


def _distinct_objects(dtype: pd.CategoricalDtype) -> np.ndarray:
    """A categorical dtype's distinct values as an object array of ``str``."""
    return np.asarray(dtype.categories.array, dtype=object)


def text_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every categorical column (:class:`RawTable`) as ``str`` text.

    Examples
    --------
    >>> dtype = pd.CategoricalDtype(["a", ""])
    >>> frame = pd.DataFrame({"X": pd.Categorical.from_codes([1, 0], dtype=dtype)})
    >>> text_frame(frame)["X"].tolist(), str(text_frame(frame)["X"].dtype)
    (['', 'a'], 'str')
    """
    out = frame.copy(deep=False)
    for name in frame.columns:
        values = frame[name].array
        if isinstance(values, pd.Categorical):
            out[name] = _text_array(_distinct_objects(values.dtype).take(values.codes))
    return out


#: plain files of at least this many lines in all have their frames built side by side
_SIDE_BY_SIDE_LINES = 200_000


def raw_tables(
    parts: list[RawTable | PlainTable],
    while_numbering: Callable[[list[RawTable]], object] | None = None,
) -> list[RawTable]:
    """Every :class:`PlainTable` as a :class:`RawTable` (others kept), in order, its columns
    categorical with one dtype (one string object per distinct value) per column name
    across them (:func:`shared_codes`).

    A column name read row by row (CHILD: every row hashed, the long part) is numbered on
    threads of its own while every file's frame is made without it; ``while_numbering``,
    if given, is then called with the tables (work on them that does not read those
    columns: the loader's collection years), and each file's CHILD is put into its frame,
    at its place, once its codes are known. The parts are used up: each plain file's
    codes are dropped once its frame is built.
    """
    held = {i: part for i, part in enumerate(parts) if isinstance(part, PlainTable)}
    keys = [(i, column) for i, part in held.items() for column in part.coded]
    by_row = {c for i, c in keys if held[i].coded[c][1] is None}
    lines = sum(part.lines for part in held.values())
    workers = 1 if lines < _SIDE_BY_SIDE_LINES else read_workers()

    def side_by_side(work: Callable[[int], _T]) -> list[_T]:
        """``work`` of each plain part, in order (on several threads for many lines: numpy's
        takes free the interpreter lock)."""
        if workers < 2:
            return [work(i) for i in held]
        with ThreadPoolExecutor(workers, thread_name_prefix="cppanalytics-frame") as pool:
            return list(pool.map(work, held))

    with ThreadPoolExecutor(1, thread_name_prefix="cppanalytics-rows") as rows:
        later = rows.submit(_shared_by_part, held, [k for k in keys if k[1] in by_row])
        shared = _shared_by_part(held, [k for k in keys if k[1] not in by_row])
        made = side_by_side(lambda i: _coded_columns(held[i], shared.pop(i, {})))
        made_by_part = dict(zip(held, made, strict=True))
        del made
        # each file's frame but the columns read row by row, while those are numbered
        pairs = {
            i: _frame_columns(part, part.coded.keys() | made_by_part[i].keys())
            for i, part in held.items()
        }

        def frame(i: int) -> RawTable:
            part = held[i]
            built = _plain_frame(part, {}, made_by_part.pop(i), frozenset(by_row))
            return RawTable(part.table, built, part.source)

        for i, built in zip(held, side_by_side(frame), strict=True):
            parts[i] = built
        tables: list[RawTable] = list(parts)  # type: ignore[arg-type]
        if while_numbering is not None:
            while_numbering(tables)
        by_row_shared = later.result()

    def put_in(i: int) -> None:
        part, found = held[i], by_row_shared.pop(i, {})
        _put_in(
            tables[i].frame, pairs.pop(i), {c: _coded_column(part, c, *found[c]) for c in found}
        )
        part.coded = {}  # the file's codes go once its frame is built

    side_by_side(put_in)
    return tables


def _shared_by_part(
    parts: dict[int, PlainTable], keys: list[tuple[int, str]]
) -> dict[int, _Shared]:
    """:func:`shared_codes` of the (part, column name) ``keys`` (spaces at either end
    stripped), with the categorical dtype of each column name's distinct values: per part,
    per column name, the part's codes into them and the dtype.

    Examples
    --------
    >>> def part(values):
    ...     return PlainTable("x", SourceFile(Path("x.csv"), Path(".")), ["A"],
    ...                       {"A": (pa.array(values), None)}, None, len(values))
    >>> got = _shared_by_part({0: part(["b", "a "]), 2: part(["a"])}, [(0, "A"), (2, "A")])
    >>> got[0]["A"][0].tolist(), got[2]["A"][0].tolist(), list(got[2]["A"][1].categories)
    ([0, 1], [1], ['b', 'a'])
    >>> got[0]["A"][1] is got[2]["A"][1]
    True
    """
    pairs = [(c, parts[i].coded[c][0]) for i, c in keys]
    found = shared_codes(pairs, strip=True)
    dtypes: dict[int, pd.CategoricalDtype] = {}
    shared: dict[int, _Shared] = {}
    for (i, column), (into, distinct) in zip(keys, found, strict=True):
        if id(distinct) not in dtypes:
            dtypes[id(distinct)] = _categories(distinct)
        shared.setdefault(i, {})[column] = into, dtypes[id(distinct)]
    return shared


def _categories(distinct: np.ndarray) -> pd.CategoricalDtype:
    """The categorical dtype of distinct ``str`` values (with the python string storage,
    the same string objects: no copy).

    Examples
    --------
    >>> _categories(np.array(["b", "a"], dtype=object)).categories.tolist()
    ['b', 'a']
    """
    categories = pd.Index(_text_array(distinct), copy=False)
    try:  # distinct already (one pyarrow dictionary): not checked for repeats again
        return pd.CategoricalDtype._from_fastpath(categories, False)  # noqa: SLF001
    except AttributeError:  # pandas without the fast path: checked
        return pd.CategoricalDtype(categories)


def _blank_finding(findings: Findings, table: str, path: Path, count: int) -> None:
    """The info finding for ``count`` blank lines skipped (none when ``count`` is 0)."""
    if count:
        findings.add(
            "info",
            "blank_lines",
            table=table,
            file=str(path),
            value=count,
            message=f"{path.name}: {count} blank line(s) skipped.",
            fix="No action needed.",
            action="",
        )


def _careful_raw(text: str, path: Path, findings: Findings) -> tuple[list[str], pd.DataFrame]:
    """Header and ``raw`` frame of any CSV text: stray quotes set aside their own line
    (error finding), rows longer than the header go to :func:`_parse_ragged`. An empty
    first line gives no header (and no rows)."""
    if "\r" in text:  # CRLF, and CR-only line ends of old Mac exports
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.endswith("\n"):
        text += "\n"
    first = next(csv.reader(io.StringIO(text[: text.index("\n")])), [])
    if not first:  # an empty first line: no column names to read the rest by
        return [], pd.DataFrame()
    header = _unique([clean_column(c) for c in first])
    stray: list[int] = []
    if '"' in text:  # a quote left open would swallow the following rows
        lines = split_lines(text)
        stray = stray_quotes(lines)
        for i in stray:
            findings.add(
                "error",
                "quote_unmatched",
                file=str(path),
                row=i + 1,
                value=lines[i][:200],
                child=lines[i].split(",", 1)[0].strip().strip('"'),
                message=(
                    f'line {i + 1} has a quote mark (") that is not closed on the same '
                    "line, so its values cannot be told apart; the row was not used (the "
                    "rest of the file was read normally)."
                ),
                fix="Remove the stray quote mark (or close it) in that line and reload.",
                action="set_aside",
            )
            lines[i] = ""
        if stray:
            text = "\n".join(lines) + "\n"
    try:
        raw = _parse_marked(text, len(header))
    except (pd.errors.ParserError, ValueError):
        raw = _parse_ragged(text, path, len(header), findings)
    raw.columns = [*header, "_line", "_values"]
    raw = raw.iloc[1:] if len(raw) and raw["_line"].iloc[0] == 1 else raw
    if stray:
        raw = raw.loc[~raw["_line"].isin([i + 1 for i in stray])]
    return header, raw


def read_file(source: SourceFile) -> FileRead:
    """:func:`~.plainread.read_path` of a source file (no finding added; an unreadable
    file's error is kept for :func:`read_csv_part`). Safe to call from several threads
    at once: pyarrow parses without holding the interpreter lock.

    Examples
    --------
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "x.csv"
    >>> _ = path.write_bytes(b"A,B\\n1,x\\n1,y\\n")
    >>> got = read_file(SourceFile(path, path.parent))
    >>> got.header, got.lines, got.columns[0][0].to_pylist(), got.columns[1][1].tolist()
    (['A', 'B'], 2, ['1'], [0, 1])
    """
    return read_path(source.path)


@contextmanager
def prefetch(sources: list[SourceFile]) -> Iterator[Iterator[FileRead]]:
    """Start :func:`read_file` on every source on :func:`read_workers` threads; within the
    block, the given iterator yields the reads in the sources' order, each when ready.
    :func:`read_csv_part` of each, in that order, then adds the findings exactly as
    reading the files one after another does.

    Each read is handed over once (then dropped, so its memory goes with the caller's
    use of it); reads not collected are cancelled when the block ends.
    """
    pool = ThreadPoolExecutor(read_workers(), thread_name_prefix="cppanalytics-read")
    try:
        # a read started before the package was imported (:func:`~.plainread.start`)
        # is taken as it is; any other file is read now
        futures = deque(claim(source.path) or pool.submit(read_file, source) for source in sources)

        def reads() -> Iterator[FileRead]:
            while futures:
                yield futures.popleft().result()

        yield reads()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        forget()  # early reads of files not asked for


def read_csv(source: SourceFile, findings: Findings) -> RawTable | None:
    """Read one CSV file as a :class:`RawTable` (text values), or ``None`` if unusable.

    :func:`read_csv_part` then :func:`raw_tables`; to read many files, call those two
    (the files then share their string objects).
    """
    part = read_csv_part(source, findings)
    if part is None:
        return None
    table = raw_tables([part])[0]
    table.frame = text_frame(table.frame)
    return table


def read_csv_part(
    source: SourceFile, findings: Findings, read: FileRead | None = None
) -> RawTable | PlainTable | None:
    """Read one CSV file: a :class:`RawTable`, a :class:`PlainTable` (for
    :func:`raw_tables`), or ``None`` if unusable.

    A plain file (:func:`_plain_table`: ASCII, no quote mark, every row complete) is read
    by pyarrow's reader; any other goes the careful way (decoding, stray quotes, rows cut
    short or too long). Both give the same table and findings. ``read`` is the file's
    :func:`read_file` when already made (default: read it now).
    """
    path = source.path
    got = read_file(source) if read is None else read
    if got.error is not None:
        _unreadable(path, got.error, findings)
        return None
    raw = pd.DataFrame()
    padded = False
    if got.header is not None:
        header = _unique([clean_column(c) for c in got.header])
    else:
        data, got.data = got.data, None  # the bytes go once decoded
        assert data is not None
        text = decode_text(data, path, findings)
        del data
        if text is None:
            return None
        if not text.strip():
            findings.add(
                "warning",
                "file_empty",
                file=str(path),
                message=f"{path.name} is empty.",
                fix="Re-export the file, or remove it.",
                action="rejected_file",
            )
            return None
        header, raw = _careful_raw(text, path, findings)
        if not header:
            findings.add(
                "warning",
                "file_unrecognised",
                file=str(path),
                message=f"{path.name}: its first line holds no column names, so it was not used.",
                fix="Remove the lines above the 903 column names (DfE names, first row) and reload.",
                action="rejected_file",
            )
            return None
        padded = _padded(text)
    match = match_table(set(header))
    if match.table is None and {"year", "population"} <= {h.lower() for h in header}:
        findings.add(
            "info",
            "population_file",
            file=str(path),
            message=(
                f"{path.name} is a population file (year, population), not a 903 table; "
                "the indicators read it for rates per 10,000."
            ),
            fix="Nothing to do.",
            action="",
        )
        return None
    if match.table is None:
        findings.add(
            "warning",
            "file_unrecognised",
            file=str(path),
            value=",".join(header)[:200],
            message=(
                f"{path.name}: its columns ({', '.join(header[:8])}"
                f"{'...' if len(header) > 8 else ''}) are not those of any 903 table, "
                "so it was not used."
            ),
            fix="Check it is a 903 table with the DfE column names in the first row.",
            action="rejected_file",
        )
        return None
    schema = SCHEMAS[match.table]
    for col in match.missing:
        key = col in schema.row_required
        findings.add(
            "error" if key else "warning",
            "column_missing",
            table=match.table,
            file=str(path),
            row=1,
            column=col,
            message=(
                f"{path.name} looks like the {match.table} table but has no {col} "
                "column"
                + (
                    "; the file cannot be used without it."
                    if key
                    else "; the column was treated as blank."
                )
            ),
            fix=f"Add the {col} column (DfE name, first row) and reload.",
            action="rejected_file" if key else "loaded",
        )
        if key:
            return None
    if match.extra:
        findings.add(
            "info",
            "column_extra",
            table=match.table,
            file=str(path),
            row=1,
            column=",".join(match.extra),
            message=f"{path.name}: columns not in the 903 {match.table} table were ignored: "
            f"{', '.join(match.extra)}.",
            fix="No action needed.",
            action="loaded",
        )
    if got.header is not None:
        part, blanks = _plain_coded(match.table, source, header, got, list(schema.columns))
        _blank_finding(findings, match.table, path, blanks)
        return part
    blank = _blank_rows(raw, header)
    raw = _cut_short(raw, header, match.table, path, blank, findings)
    blank = blank.loc[raw.index]
    _blank_finding(findings, match.table, path, int(blank.sum()))
    raw = raw.loc[~blank] if blank.any() else raw
    keep = [c for c in header if c in schema.columns]
    trim = (lambda col: col.str.strip()) if padded else (lambda col: col)
    frame = pd.DataFrame({c: trim(raw[c]) for c in dict.fromkeys(keep)}, index=raw.index)
    for col in schema.columns:
        if col not in frame.columns:
            frame[col] = ""
    frame = frame[list(schema.columns)]
    for col in sorted(POOLED_COLUMNS):
        if col in raw.columns:
            frame[f"_{col}"] = trim(raw[col])
    frame["source_file"] = str(path)
    frame["source_row"] = raw["_line"].astype("int64")
    return RawTable(match.table, frame.reset_index(drop=True), source)


__all__ = [
    "FileRead",
    "RawTable",
    "SUFFIXES",
    "PlainTable",
    "SourceFile",
    "clean_column",
    "decode",
    "discover",
    "decode_text",
    "read_bytes",
    "raw_tables",
    "read_csv",
    "read_csv_part",
    "read_file",
    "read_workers",
    "prefetch",
    "read_text",
    "shared_codes",
    "shared_strings",
    "text_frame",
]
