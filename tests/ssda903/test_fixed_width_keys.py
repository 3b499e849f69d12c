"""Text of one byte width numbered on integer keys gives the numbering of the text.

``fixed_width_keys`` turns every value of a column name's arrays (all one byte width, 1 to
16) into one 64-bit integer key, and ``FixedKeys.text`` turns keys back into text. The
plain definition is pyarrow's ``dictionary_encode`` of the arrays put end to end: the
distinct values in order of first appearance and every value's code. Numbering the keys
must give exactly that (same codes, same distinct text in the same order) on hand-built
cases: many arrays with values repeated across them, one value, widths 1 to 16, values
equal but for spaces at the ends, a constant tail, non-ASCII text, sliced and empty
arrays, and words whose varying bits only fit side by side after a shift. Anything else
(mixed widths, empty strings, more than 16 bytes, missing values, other string types,
too many varying bits) gets ``None``, and ``shared_codes`` numbers it on the text as
before.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest

from cppanalytics.ssda903 import readers
from cppanalytics.ssda903.readers import FixedKeys, fixed_width_keys

DIGITS = [f"{i:010d}" for i in (100183, 100423, 103293, 103600, 9_999_999_999)]

KEYED = {
    "ids across files": [
        pa.array(DIGITS[:3]),
        pa.array([DIGITS[1], DIGITS[3], DIGITS[1]]),
        pa.array([], pa.string()),
        pa.array([DIGITS[4], DIGITS[0], DIGITS[2]]),
    ],
    "one value": [pa.array(["0000100183"])],
    "one value repeated in many arrays": [pa.array(["A"] * 3) for _ in range(40)],
    "width 1": [pa.array(["b", "a", "b", "~", " "])],
    "width 7": [pa.array(["ABC1234", "ABC1235", "ZZZ0000", "ABC1234"])],
    "width 8": [pa.array(["12345678", "12345679", "12345678", "A2345678"])],
    "width 9": [pa.array(["123456789", "123456780", "023456789", "123456789"])],
    "width 16": [pa.array(["0123456789ABCDEF", "0123456789ABCDEE", "1123456789ABCDEF"])],
    "equal but for spaces": [pa.array([" A7", "A7 ", "A7 ", " A7", "B8 "])],
    "constant tail": [pa.array(["0000100183XY", "0000100423XY", "0000100183XY"])],
    "non-ASCII, one byte width": [pa.array(["Zoë", "abcd", "Zoë", "abce"])],  # 4 bytes each
    "sliced": [
        pa.array(["xx", "0000100183", "0000100423", "yyy"]).slice(1, 2),
        pa.array(["0000100423", "0000100183"]).slice(1),
    ],
    # the last two bytes vary in the low four bits where the first eight vary too: only a
    # shift puts them on bits that never vary (a wrong shift merges 0...1 x0 and 0...0 x1)
    "shift needed": [pa.array(["000000001" + "0", "000000000" + "1", "0000000000", "1000000000"])],
    "shift of three": [pa.array(["@@@@@@@@" + a + b for a in "@G" for b in "@G"] + ["GGGGGGGG@@"])],
}

NOT_KEYED = {
    "mixed widths": [pa.array(["A7", "B8"]), pa.array(["C90"])],
    "empty strings": [pa.array(["", ""])],
    "no values": [pa.array([], pa.string()), pa.array([], pa.string())],
    "more than 16 bytes": [pa.array(["01234567890123456", "01234567890123457"])],
    "a missing value": [pa.array(["A7", None])],
    "large string": [pa.array(["A7", "B8"], pa.large_string())],
    "too many varying bits": [pa.array([" " * 9, "_" * 9, "_" * 8 + " "])],
}


def _plain(arrays: list[pa.Array]) -> pa.DictionaryArray:
    """The plain definition: the arrays end to end, dictionary-encoded."""
    return pa.concat_arrays(arrays).dictionary_encode()


@pytest.mark.parametrize("case", list(KEYED))
def test_keys_number_the_values_as_the_text(case: str) -> None:
    """The keys' numbering is the text's: the same codes, and the distinct keys as text
    are the distinct values in the same order; every key gives its own value back."""
    arrays = KEYED[case]
    found = fixed_width_keys(arrays)
    assert isinstance(found, FixedKeys)
    want = _plain(arrays)
    got = found.keys.dictionary_encode()
    assert got.indices.to_numpy().tolist() == want.indices.to_numpy().tolist()
    assert found.text(got.dictionary).equals(want.dictionary)
    assert found.text(found.keys).equals(pa.concat_arrays(arrays))
    assert len(set(found.keys.to_pylist())) == len(set(pa.concat_arrays(arrays).to_pylist()))


@pytest.mark.parametrize("case", list(NOT_KEYED))
def test_values_that_do_not_fit_get_no_keys(case: str) -> None:
    """Mixed widths, empty strings, more than 16 bytes, a missing value, another string
    type and varying bits that cannot share one word are left to the text numbering."""
    assert fixed_width_keys(NOT_KEYED[case]) is None


@pytest.mark.parametrize("chunk", [None, 7])
@pytest.mark.parametrize("width", [1, 3, 6, 8, 9, 10, 12, 15, 16])
@pytest.mark.parametrize(
    "alphabet", ["0123456789", "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "0123456789ABCDEF", " A7"]
)
def test_random_ids_number_as_the_text(
    width: int, alphabet: str, chunk: int | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Many random ids of one width, cut into arrays of random sizes (some empty), number
    on their keys exactly as on their text; digits always fit in one word. With ``chunk``,
    bytes 8-15 are worked on a few values at a time (chunks cut inside the arrays)."""
    if chunk is not None:
        monkeypatch.setattr(readers, "_HIGH_CHUNK", chunk)
    rng = np.random.default_rng(width * 1000 + len(alphabet))
    letters = np.array(list(alphabet))
    pool = ["".join(rng.choice(letters, width)) for _ in range(300)]
    values = [pool[i] for i in rng.integers(0, len(pool), 3000)]
    cuts = np.sort(rng.integers(0, len(values), 12))
    arrays = [pa.array(part, pa.string()) for part in np.split(np.array(values, object), cuts)]
    found = fixed_width_keys(arrays)
    if alphabet == "0123456789" or width <= 8:
        assert found is not None
    if found is None:
        return
    want = _plain(arrays)
    got = found.keys.dictionary_encode()
    assert np.array_equal(got.indices.to_numpy(), want.indices.to_numpy())
    assert found.text(got.dictionary).equals(want.dictionary)


SHARED = [
    ("CHILD", pa.array(["0000100183", "0000100423", "0000100183"])),
    ("DOB", pa.array(["01/02/2010", ""])),
    ("CHILD", pa.array([], pa.string())),
    ("CHILD", pa.array([" 000100183", "000100183 ", "0000100423", "0000103293"])),
    ("CHILD", pa.array(["0000103600"])),
    ("UPN", pa.array(["A123", "B456", "A123"])),
    ("CHILD", pa.array(["0000103600", "0000100183", " 000100183"])),
]


@pytest.mark.parametrize("strip", [False, True])
@pytest.mark.parametrize("workers", [1, 2])
def test_shared_codes_on_keys_are_the_plain_numbering(
    monkeypatch: pytest.MonkeyPatch, strip: bool, workers: int
) -> None:
    """``shared_codes`` numbering fixed-width names on their keys (the threshold lowered
    so these small arrays take that path) gives each value's code into the distinct values
    of its name in order of first appearance (with ``strip``, values equal but for spaces
    at either end are one), the same as numbering the text."""
    monkeypatch.setattr(readers, "read_workers", lambda: workers)
    keyed: list[bool] = []
    real = readers.fixed_width_keys

    def spy(arrays: list[pa.Array]) -> FixedKeys | None:
        found = real(arrays)
        keyed.append(found is not None)
        return found

    monkeypatch.setattr(readers, "_FIXED_MIN_ROWS", 0)
    monkeypatch.setattr(readers, "fixed_width_keys", spy)
    found = readers.shared_codes(SHARED, strip=strip)
    assert sorted(keyed) == [False, True, True]  # CHILD and UPN on keys, DOB (blank) not
    monkeypatch.setattr(readers, "_FIXED_MIN_ROWS", 1 << 62)
    text = readers.shared_codes(SHARED, strip=strip)
    for column in ("CHILD", "DOB", "UPN"):
        arrays = [a for c, a in SHARED if c == column]
        values = [v.strip(" ") if strip else v for a in arrays for v in a.to_pylist()]
        distinct = list(dict.fromkeys(values))  # the plain definition: first appearance
        got = [found[i] for i, (c, _) in enumerate(SHARED) if c == column]
        assert all(d is got[0][1] for _, d in got)  # one array of distinct values
        assert got[0][1].tolist() == distinct, column
        assert [int(x) for own, _ in got for x in own] == [distinct.index(v) for v in values]
        assert all(own.dtype == np.int32 for own, _ in got)
    for (codes, distinct), (text_codes, text_distinct) in zip(found, text, strict=True):
        assert np.array_equal(codes, text_codes) and codes.dtype == text_codes.dtype
        assert distinct.tolist() == text_distinct.tolist()
        assert all(type(v) is str for v in distinct)
