"""The demo council: where its 903 files and example targets are, wherever the package runs.

A notebook's defaults (and any params file) may name the demo with the word ``demo``:
``data_dir: demo`` is the synthetic Ouzel Vale council, ``targets_file: demo`` its example
targets. In a source checkout the demo data is the committed ``data/synthetic/`` folder; in
an installed package it is generated once (seed 2026, extract 2026-09-30, byte-identical
to the committed folder; about 12 s) into the user cache and reused.

Examples
--------
>>> demo_targets_file().name
'example_targets.yaml'
>>> is_demo("demo"), is_demo("data/demo")
(True, False)
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

#: the word that names the demo council's data or targets in a parameter
DEMO = "demo"
#: how the committed demo data was made (see data/synthetic/README.md)
DEMO_SEED = 2026
DEMO_EXTRACT = "2026-09-30"

_PACKAGE = Path(__file__).resolve().parents[1]


def is_demo(value: object) -> bool:
    """Whether a parameter value names the demo (the word ``demo``, any case).

    Examples
    --------
    >>> is_demo("Demo"), is_demo(""), is_demo(None)
    (True, False, False)
    """
    return isinstance(value, str) and value.strip().lower() == DEMO


def demo_targets_file() -> Path:
    """The demo council's example targets, shipped in the package.

    Examples
    --------
    >>> demo_targets_file().is_file()
    True
    """
    return _PACKAGE / "workfolder" / "example_targets.yaml"


def checkout_demo_dir() -> Path | None:
    """The committed ``data/synthetic`` of a source checkout holding this package, if any.

    Examples
    --------
    >>> checkout_demo_dir() is None or checkout_demo_dir().name == "synthetic"
    True
    """
    folder = _PACKAGE.parent / "data" / "synthetic"
    return folder if (folder / "population.csv").is_file() else None


def demo_data_dir(*, generate: bool = True) -> Path:
    """The demo council's 903 folder: the checkout's, else the user cache (made on first use).

    Parameters
    ----------
    generate
        write the demo data into the cache when it is not there yet (else return the path
        it would have).

    Returns
    -------
    Path
        an existing folder of yearly 903 file sets and ``population.csv`` (when generated).

    Examples
    --------
    >>> demo_data_dir(generate=False).name in {"synthetic", "demo-2026-09-30"}
    True
    """
    committed = checkout_demo_dir()
    if committed is not None:
        return committed
    from cppanalytics.geography.postcodes import cache_dir

    folder = cache_dir() / f"demo-{DEMO_EXTRACT}"
    if (folder / "population.csv").is_file() or not generate:
        return folder
    write_demo_data(folder)
    return folder


def write_demo_data(folder: str | Path) -> Path:
    """Write the demo council's 903 files to ``folder`` (atomically: complete or absent).

    Examples
    --------
    >>> write_demo_data("/tmp/demo")  # doctest: +SKIP
    PosixPath('/tmp/demo')
    """
    from cppanalytics.synth.council import write_council

    target = Path(folder)
    target.parent.mkdir(parents=True, exist_ok=True)
    print(f"writing the synthetic demo council to {target} (once, about 15 s)", file=sys.stderr)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-", dir=target.parent))
    try:
        write_council(tmp, seed=DEMO_SEED, extract_date=DEMO_EXTRACT)
        if target.exists():
            shutil.rmtree(target)
        os.replace(tmp, target)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return target
