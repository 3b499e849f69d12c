"""Real postcodes for the synthetic council's homes and placements.

The synthetic council borrows Milton Keynes's geography (E06000042): children's homes are
real Milton Keynes postcodes; placements are drawn from Milton Keynes, from its
neighbouring councils, or from councils far away, so that distances and in/out-of-area
are real ONSPD geography (via :mod:`cppanalytics.geography.postcodes`).

Examples
--------
>>> pools = postcode_pools()
>>> sorted(pools)
['far', 'home', 'near']
>>> bool(pools["home"].size > 1000)
True
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from cppanalytics.geography.postcodes import postcode_table

#: the real council whose geography the synthetic council borrows
ANCHOR_LA = "E06000042"  # Milton Keynes (old code 826), South East
#: councils bordering Milton Keynes (Bedford, Central Bedfordshire, Buckinghamshire,
#: West and North Northamptonshire) and nearby Luton
NEAR_LAS: tuple[str, ...] = (
    "E06000055",
    "E06000056",
    "E06000060",
    "E06000062",
    "E06000061",
    "E06000032",
)
#: first letters of the postcode files read (MK, NN, LU and many distant areas)
LETTERS: tuple[str, ...] = ("M", "N", "L")


@lru_cache(maxsize=1)
def postcode_pools() -> dict[str, np.ndarray]:
    """Sorted arrays of real English postcodes: ``home`` (in Milton Keynes), ``near``, ``far``.

    Only postcodes with a centroid are kept. ``far`` holds English postcodes (from the
    files of :data:`LETTERS`) outside Milton Keynes and its neighbours.
    """
    table = postcode_table(set(LETTERS))
    table = table[table["easting"].notna() & table["ltla"].notna()]
    table = table[table["ltla"].str.startswith("E")]
    codes = table.index.to_numpy(dtype=object)
    ltla = table["ltla"].to_numpy(dtype=object)
    home = np.sort(codes[ltla == ANCHOR_LA])
    near = np.sort(codes[np.isin(ltla, NEAR_LAS)])
    far = np.sort(codes[~np.isin(ltla, (ANCHOR_LA, *NEAR_LAS))])
    return {"home": home, "near": near, "far": far}


def format_postcode(abbr: str) -> str:
    """``"MK93EJ"`` → ``"MK9 3EJ"`` (the inward code is always the last three characters).

    Examples
    --------
    >>> format_postcode("MK93EJ"), format_postcode("N11AA")
    ('MK9 3EJ', 'N1 1AA')
    """
    return f"{abbr[:-3]} {abbr[-3:]}"


class PostcodePicker:
    """Deterministic draws of postcodes from the pools, for one council's random generator.

    Each council samples a fixed working set from each pool at construction (its
    "neighbourhoods" and "providers"), so repeated placements cluster as they do in real
    data.

    Examples
    --------
    >>> picker = PostcodePicker(np.random.default_rng(1))
    >>> picker.pick("home").startswith("MK")
    True
    """

    def __init__(self, rng: np.random.Generator, sizes: dict[str, int] | None = None) -> None:
        sizes = sizes or {"home": 2500, "near": 400, "far": 300}
        pools = postcode_pools()
        self._sets: dict[str, list[str]] = {}
        for name, pool in pools.items():
            take = min(sizes.get(name, 300), pool.size)
            chosen = rng.choice(pool.size, size=take, replace=False)
            self._sets[name] = [format_postcode(str(pool[i])) for i in np.sort(chosen)]
        self._rng = rng

    def pick(self, area: str) -> str:
        """One postcode from ``area`` (``home``, ``near`` or ``far``)."""
        values = self._sets[area]
        return values[int(self._rng.integers(len(values)))]
