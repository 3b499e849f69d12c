"""``manifest.json``: what produced a report, from what, and how long each stage took.

The manifest lets anyone check later which code and which input files a published report
came from: package version, git commit (when run from a git checkout), Python, pandas and
platform versions, the effective parameters, the sha256 of every input file (every file in
an input folder), the timings per stage and the outputs written.

Examples
--------
>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
>>> _ = p.write_text("abc")
>>> sha256_file(p)[:12]
'ba7816bf8f01'
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import platform
import subprocess
import sys
from pathlib import Path
from typing import Any

#: manifest layout version (bump when keys change meaning)
MANIFEST_VERSION = 1

#: the packages whose installed versions the manifest names, in its order
REPORTED_PACKAGES = ("pandas", "numpy", "matplotlib", "papermill", "nbconvert")


def sha256_file(path: str | Path, chunk: int = 1 << 20) -> str:
    """The sha256 hex digest of a file, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def hash_inputs(inputs: dict[str, Path]) -> dict[str, dict[str, str]]:
    """sha256 of every input: ``{parameter: {path: digest}}``; folders file by file.

    Hidden files (``.name``) inside input folders are skipped.

    Examples
    --------
    >>> hash_inputs({})
    {}
    """
    out: dict[str, dict[str, str]] = {}
    for name, path in sorted(inputs.items()):
        path = Path(path)
        if path.is_dir():
            files = sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            out[name] = {str(p): sha256_file(p) for p in files}
        elif path.is_file():
            out[name] = {str(path): sha256_file(path)}
    return out


def git_commit(folder: str | Path) -> dict[str, Any] | None:
    """``{"commit": sha, "dirty": bool}`` of the git checkout holding ``folder``, or ``None``.

    Examples
    --------
    >>> git_commit("/")  # doctest: +SKIP
    """

    def _git(*args: str) -> str | None:
        try:
            done = subprocess.run(
                ["git", "-C", str(folder), *args],
                capture_output=True,
                text=True,
                timeout=10,
                check=False,
            )
        except (OSError, subprocess.SubprocessError):
            return None
        return done.stdout.strip() if done.returncode == 0 else None

    commit = _git("rev-parse", "HEAD")
    if not commit:
        return None
    status = _git("status", "--porcelain", "--untracked-files=no")
    return {"commit": commit, "dirty": bool(status)}


def environment() -> dict[str, str]:
    """Versions of the software that produced a report.

    Read from the installed packages' metadata: the report machinery's own process does
    not import pandas or matplotlib (about 1 s) just to name their versions.

    Examples
    --------
    >>> {"cppanalytics", "python", "pandas"} <= set(environment())
    True
    """
    from importlib.metadata import version

    from cppanalytics import __version__

    return {
        "cppanalytics": __version__,
        "python": platform.python_version(),
        **{name: version(name) for name in REPORTED_PACKAGES},
        "platform": platform.platform(),
        "executable": sys.executable,
    }


def build_manifest(
    *,
    params_file: Path,
    notebook: Path,
    parameters: dict[str, Any],
    inputs: dict[str, Path],
    timings: dict[str, float],
    outputs: list[str],
    notes: list[str] | tuple[str, ...] = (),
    warnings: list[str] | tuple[str, ...] = (),
) -> dict[str, Any]:
    """The manifest as a JSON-ready dict (see the module docstring for its content)."""
    return {
        "manifest_version": MANIFEST_VERSION,
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "params_file": str(params_file),
        "notebook": str(notebook),
        "notebook_sha256": sha256_file(notebook),
        "git": git_commit(notebook.parent),
        "versions": environment(),
        "parameters": parameters,
        "inputs": hash_inputs(inputs),
        "timings_seconds": {k: round(v, 3) for k, v in timings.items()},
        "outputs": sorted(outputs),
        "notes": list(notes),
        "warnings": list(warnings),
    }


def write_manifest(manifest: dict[str, Any], path: str | Path) -> Path:
    """Write ``manifest`` as indented UTF-8 JSON; returns the path."""
    from cppanalytics.writing import write_text

    return write_text(path, json.dumps(manifest, indent=2, default=str) + "\n", what="manifest")
