"""Integer codes of a loaded table's values: equal values, equal codes (blank = -1).

The loader types each column once per distinct value (:func:`factorize_text` finds them
in Arrow, which hashes a million values several times faster than pandas does Python
strings) and keeps, in a :class:`Coded`, every typed value's code and the distinct typed
values. The checks then test blanks, codes and years on these integers instead of
comparing text row by row.

Examples
--------
>>> codes, uniques = factorize_text(pd.Series(["b", None, "a", "b"], dtype="str"))
>>> codes.tolist(), uniques.tolist()
([0, -1, 1, 0], ['b', 'a'])
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc


def factorize_text(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """``pd.factorize(values)`` for a text column, computed in Arrow where it can be.

    Parameters
    ----------
    values
        text (``str`` / ``string`` / object dtype holding strings); missing values are NA.

    Returns
    -------
    codes, uniques
        ``int64`` codes (-1 for missing) and the distinct values as an object array, in
        order of first appearance: exactly what :func:`pandas.factorize` returns.

    Examples
    --------
    >>> codes, uniques = factorize_text(pd.Series(["x", "", "x", None], dtype=object))
    >>> codes.tolist(), uniques.tolist()
    ([0, 1, 0, -1], ['x', ''])
    """
    shared = _by_identity(values)
    if shared is not None:
        return shared
    arr = _arrow_text(values)
    if arr is None:  # not all text (or text Arrow cannot hold): the general way
        codes, uniques = pd.factorize(values.astype("object"))
        return codes.astype("int64", copy=False), np.asarray(uniques, dtype=object)
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    encoded = pc.dictionary_encode(arr)
    codes = pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False)
    uniques = encoded.dictionary.to_numpy(zero_copy_only=False)
    return codes.astype("int64", copy=False), np.asarray(uniques, dtype=object)


def object_addresses(objects: np.ndarray) -> np.ndarray:
    """The addresses of the objects a C-contiguous object array holds (read from its
    buffer, copied out): equal addresses mean the same object while the objects live.

    Examples
    --------
    >>> text = "a"
    >>> a = object_addresses(np.array([text, text, "b"], dtype=object))
    >>> bool(a[0] == a[1]), bool(a[0] == a[2]), len(object_addresses(np.array([], dtype=object)))
    (True, False, 0)
    """
    if not len(objects):
        return np.zeros(0, dtype=np.intp)
    buffer = (ctypes.c_ssize_t * len(objects)).from_address(objects.ctypes.data)
    return np.ctypeslib.as_array(buffer).copy()  # the view would not keep ``objects`` alive


def python_text_objects(values: pd.Series) -> np.ndarray | None:
    """The object array of text held as Python strings with ``pd.NA`` for missing
    (``string[python]``): it holds only ``str`` objects and the ``pd.NA`` object itself.
    None for any other storage.

    Examples
    --------
    >>> python_text_objects(pd.Series(["a", None], dtype=pd.StringDtype("python"))).tolist()
    ['a', <NA>]
    >>> python_text_objects(pd.Series(["a", None], dtype=object)) is None
    True
    """
    array = values.array
    if isinstance(array, pd.arrays.StringArray) and array.dtype.na_value is pd.NA:
        return np.ascontiguousarray(np.asarray(array))
    return None


def na_objects(objects: np.ndarray) -> np.ndarray:
    """Which entries of an object array of :func:`python_text_objects` are missing: the
    ``pd.NA`` object itself, found by address (no value inspected).

    Examples
    --------
    >>> na_objects(np.array(["a", pd.NA], dtype=object)).tolist()
    [False, True]
    """
    return object_addresses(np.ascontiguousarray(objects)) == id(pd.NA)


def _by_identity(values: pd.Series) -> tuple[np.ndarray, np.ndarray] | None:
    """:func:`factorize_text` through the objects' identities, when few objects are shared
    by many rows (pandas' CSV reader gives equal values of a chunk one string object).

    The rows are factorised on the objects' addresses (integers, no text hashed); the
    distinct objects, one per address, are then factorised by value. Addresses are taken in
    order of first appearance, so values are too: the same codes and order as
    :func:`pandas.factorize`. None when the column is not object-backed or most of its
    objects are distinct (then there is little to gain).
    """
    objects = _object_array(values)
    if objects is None or len(objects) < _IDENTITY_MIN_ROWS:
        return None
    n = len(objects)
    addresses = object_addresses(objects)
    # the whole column, not a sample: ids are distinct within one file (its first rows)
    # but repeat across the years' files, which share one object per value
    row_codes, distinct = pd.factorize(addresses)
    if len(distinct) > n * _IDENTITY_MAX_SHARE:
        return None
    one_row = np.empty(len(distinct), dtype="int64")
    one_row[row_codes] = np.arange(n)  # any row holding that object
    value_codes, uniques = factorize_text(pd.Series(objects[one_row], dtype=object))
    return value_codes.take(row_codes), uniques


#: below this many rows hashing the text directly costs no more
_IDENTITY_MIN_ROWS = 10_000
#: above this share of distinct objects, the objects' text is hashed directly instead
_IDENTITY_MAX_SHARE = 0.75


def _object_array(values: pd.Series) -> np.ndarray | None:
    """The contiguous object array behind ``values`` (not a copy), or None."""
    array = values.array
    if isinstance(array, pd.arrays.ArrowStringArray):
        return None
    objects = np.asarray(array)
    if objects.dtype != object or objects.ndim != 1 or not objects.flags.c_contiguous:
        return None
    return objects


def _arrow_text(values: pd.Series) -> pa.Array | pa.ChunkedArray | None:
    """The values as an Arrow string array (None when they are not all text)."""
    array = values.array
    if isinstance(array, pd.arrays.ArrowStringArray):
        data = pa.chunked_array(array._pa_array)  # noqa: SLF001 - no public accessor
        return data if pa.types.is_string(data.type) else None
    if values.dtype != object and not pd.api.types.is_string_dtype(values.dtype):
        return None
    try:
        # the object array behind the column, not a copy; NaN / None / NA become null
        return pa.array(np.asarray(array, dtype=object), type=pa.string(), from_pandas=True)
    except (pa.ArrowException, UnicodeError, TypeError, ValueError):
        return None


@dataclass
class Coded:
    """A typed table's integer codes, from :func:`cppanalytics.ssda903.loader.coerce_coded`.

    Attributes
    ----------
    codes
        one integer column per contract column and ``YEAR``, indexed like the typed table
        it was made with: equal typed values, equal codes; blank (NA/NaT) is -1.
    values
        per column, the distinct typed values: code ``k`` stands for ``values[col][k]``.
    raw_blank
        per date or number column, True where the value as written was blank (missing or
        white space), as opposed to written but unreadable.
    """

    codes: pd.DataFrame
    values: dict[str, pd.Series] = field(default_factory=dict)
    raw_blank: dict[str, np.ndarray] = field(default_factory=dict)
    #: the last index looked up and its positions (the checks ask for one index many times)
    _last: tuple[pd.Index, np.ndarray] | None = field(default=None, repr=False, compare=False)

    def column(self, col: str, index: pd.Index) -> np.ndarray:
        """The codes of ``col`` for the rows labelled ``index`` (a subset of the table's).

        Examples
        --------
        >>> coded = Coded(pd.DataFrame({"SEX": [1, 0, 1]}))
        >>> coded.column("SEX", pd.Index([2, 1])).tolist()
        [1, 0]
        """
        return self.codes[col].to_numpy().take(self._positions(index))

    def blank_as_written(self, col: str, index: pd.Index) -> np.ndarray:
        """``raw_blank[col]`` for the rows labelled ``index``."""
        return self.raw_blank[col].take(self._positions(index))

    def _positions(self, index: pd.Index) -> np.ndarray:
        """Positions in the table of the rows labelled ``index`` (KeyError if one is not
        there), worked out once for the index asked for last (an index is immutable)."""
        if self._last is not None and self._last[0] is index:
            return self._last[1]
        own = self.codes.index
        if isinstance(own, pd.RangeIndex) and own.start == 0 and own.step == 1:
            pos = np.asarray(index, dtype="int64")
            if len(pos) and (pos.min() < 0 or pos.max() >= len(own)):
                raise KeyError("rows not in the coded table")
        else:
            pos = own.get_indexer(index)
            if (pos < 0).any():
                raise KeyError("rows not in the coded table")
        self._last = (index, pos)
        return pos


__all__ = ["Coded", "factorize_text", "object_addresses"]
