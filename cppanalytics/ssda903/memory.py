"""Hand memory the loader has finished with back to the operating system.

Loading a large extract builds and drops many large arrays (text frames, codes, one table
after another). On Linux, glibc's allocator keeps most freed memory in its heap for later
use instead of returning it, so the process's resident size stays at the high-water mark
of loading (about 0.6 GB of 1.2 GB at 1M episode rows) while the indicators are computed
on top of it. :func:`release_free_memory` asks the allocator to return the free pages
(``malloc_trim``) and pyarrow's pool its cached blocks; nothing held is touched, so no value
changes. Elsewhere (macOS, Windows, other C libraries) only pyarrow's pool is asked.

Examples
--------
>>> release_free_memory() in (True, False)
True
"""

from __future__ import annotations

import ctypes
import sys
from collections.abc import Callable
from functools import cache

import pyarrow as pa


@cache
def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's ``malloc_trim``, or None where there is none."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        trim = ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):  # not glibc (musl), or no such symbol
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return trim  # type: ignore[no-any-return]


def release_free_memory() -> bool:
    """Return freed heap memory and pyarrow's cached blocks to the operating system.

    Returns
    -------
    bool
        True when the C library's allocator was asked too (glibc on Linux).

    Examples
    --------
    >>> import numpy as np
    >>> block = np.ones(10_000_000)
    >>> del block
    >>> isinstance(release_free_memory(), bool)
    True
    """
    pa.default_memory_pool().release_unused()
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True


__all__ = ["release_free_memory"]
