"""Builders of hostile inputs and faults: one function per damage kind.

Every builder writes into a folder the test gives (``tmp_path``) and returns what the test
needs to attack with; nothing here touches the repository's data.
"""

from __future__ import annotations

import csv
import errno
import os
from pathlib import Path

import pandas as pd
import pytest

from tests.ssda903.builders import ep, episodes, hd, header, small_council, write_set

#: a classic CSV-injection payload (runs calc.exe through DDE in old Excel)
PAYLOAD = "=cmd|' /C calc'!A1"

#: one payload per character OWASP lists, as a 903 code or a local measure's text
PAYLOADS: dict[str, str] = {
    "equals": PAYLOAD,
    "plus": "+1+cmd|' /C calc'!A1",
    "minus": "-1+cmd|' /C calc'!A1",
    "at": "@SUM(1+1)*cmd|' /C calc'!A1",
    "tab": "\t=1+1",
    "cr": "\r=1+1",
}


# --------------------------------------------------------------------------- formula cells


def formula_903(folder: Path) -> Path:
    """A small 903 set whose codes and ids carry formula payloads (collection year 2023-24).

    PLACE, URN, REC, UPN and ETHNIC hold payloads; CHILD ``-12`` is a plain negative
    number (must stay as written).
    """
    tables = small_council()
    eps = tables["episodes"].copy()
    eps.loc[0, "PLACE"] = PAYLOADS["equals"]
    eps.loc[1, "URN"] = PAYLOADS["at"]
    eps.loc[2, "REC"] = PAYLOADS["plus"]
    head = tables["header"].copy()
    head.loc[0, "UPN"] = PAYLOADS["minus"]
    head.loc[1, "ETHNIC"] = PAYLOADS["tab"]
    extra_h = header([hd("-12")])
    extra_e = episodes([ep("-12", "01/06/2023", PLACE=PAYLOADS["cr"])])
    tables = {
        "header": pd.concat([head, extra_h], ignore_index=True),
        "episodes": pd.concat([eps, extra_e], ignore_index=True),
    }
    return write_set(folder / "2023-24", tables).parent


def formula_local_measures(path: Path) -> Path:
    """A local-measures CSV (results contract) whose id, group and note carry payloads,
    with a negative value that must stay a number."""
    rows = [
        {
            "indicator_id": "return_interviews",
            "period_end": "2024-03-31",
            "breakdown": "all",
            "group": PAYLOADS[k],
            "numerator": "3",
            "denominator": "9",
            "value": "-33.3",
            "unit": "percent",
            "note": PAYLOADS["at"],
        }
        for k in ("equals", "plus", "minus")
    ]
    frame = pd.DataFrame(rows)
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(path, index=False)
    return path


def csv_cells(path: Path) -> list[str]:
    """Every cell of a CSV as the raw text a spreadsheet would receive."""
    with open(path, newline="", encoding="utf-8") as handle:
        return [cell for row in csv.reader(handle) for cell in row]


# --------------------------------------------------------------------------- bad params


def non_utf8_params(folder: Path) -> Path:
    """A parameter file saved in Latin-1 (an accented council name)."""
    path = folder / "latin1.yaml"
    path.write_bytes(
        "report:\n  notebook: quarterly_report\nparameters:\n"
        '  council_name: "Caf\xe9 Council"\n'.encode("latin-1")
    )
    return path


def binary_params(folder: Path) -> Path:
    """A parameter file with binary junk (NUL and control bytes, invalid UTF-8)."""
    path = folder / "junk.yaml"
    path.write_bytes(b"report:\n  notebook: q\x00\x01\xfe\xff\nparameters: {}\n")
    return path


def nul_params(folder: Path) -> Path:
    """A parameter file in UTF-8 but with a NUL byte in a value."""
    path = folder / "nul.yaml"
    path.write_bytes(b"report:\n  notebook: quarterly_report\nparameters:\n  la_code: E0\x00\n")
    return path


# --------------------------------------------------------------------------- failing disks


def under_a_file(folder: Path, name: str = "out.csv") -> Path:
    """An output path whose parent is a regular file (NotADirectoryError even as root)."""
    blocker = folder / "not_a_folder"
    blocker.write_text("I am a file\n")
    return blocker / "deeper" / name


def dev_full() -> Path:
    """``/dev/full`` (every write fails with ENOSPC); skips where it does not exist."""
    path = Path("/dev/full")
    if not path.exists():
        pytest.skip("/dev/full is not available on this system")
    return path


class _FaultyOs:
    """The ``os`` module as the package's writer sees it, with some calls failing."""

    def __init__(self, code: int, *names: str) -> None:
        self._code, self._names = code, names

    def __getattr__(self, name: str) -> object:
        if name in self._names:

            def fail(*_args: object, **_kwargs: object) -> None:
                raise OSError(self._code, os.strerror(self._code))

            return fail
        return getattr(os, name)


def full_disk(
    monkeypatch: pytest.MonkeyPatch, code: int = errno.ENOSPC, call: str = "replace"
) -> None:
    """Make the package's writer fail as on a full disk (ENOSPC) at ``call`` (the rename
    into place, or ``"fsync"``), or with ``code`` (``errno.EROFS`` for a read-only disk,
    which root cannot otherwise get here). Only :mod:`cppanalytics.writing` sees the fault
    (Jupyter's own machinery in the same process keeps the real ``os``)."""
    import cppanalytics.writing

    monkeypatch.setattr(cppanalytics.writing, "os", _FaultyOs(code, call))


def disk_fills_mid_write(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make every CSV write stop half way with ENOSPC, as when the disk fills up."""
    real = pd.DataFrame.to_csv

    def half_then_full(
        self: pd.DataFrame, path: object = None, *args: object, **kwargs: object
    ) -> object:
        if path is None:
            return real(self, None, *args, **kwargs)
        text = real(self, None, *args, **kwargs)
        with open(path, "w", encoding="utf-8") as handle:  # type: ignore[arg-type]
            handle.write(text[: len(text) // 2])
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(pd.DataFrame, "to_csv", half_then_full)


def files_under(folder: Path) -> list[Path]:
    """Every file under ``folder`` (hidden ones too), sorted."""
    return sorted(p for p in folder.rglob("*") if p.is_file())


# --------------------------------------------------------------------------- identifiers

#: what an attacker plants where a public report could show it
FUTURE_DOB = "30/06/2035"
PLANTED_POSTCODE = "MK9 3EJ"


def identifiers_in_findings(folder: Path, source: Path, years: tuple[str, ...]) -> dict[str, str]:
    """Copy ``years`` of a 903 folder and plant identifiers where findings quote them.

    A DOB in the future (``30/06/2035``) for one child, a postcode keyed into PLACE for
    one episode and another child's CHILD id keyed into PLACE for a third. Returns the
    planted values by kind (``child``, ``dob``, ``postcode``).
    """
    import shutil

    for year in years:
        shutil.copytree(source / year, folder / year)
    for name in ("population.csv",):
        if (source / name).exists():
            shutil.copyfile(source / name, folder / name)
    latest = folder / years[-1]
    head = pd.read_csv(latest / "header.csv", dtype=str, keep_default_na=False)
    eps = pd.read_csv(latest / "episodes.csv", dtype=str, keep_default_na=False)
    open_eps = eps.index[eps["DEC"].eq("")]
    victim = eps.loc[open_eps[0], "CHILD"]
    other = head.loc[head["CHILD"].ne(victim), "CHILD"].iloc[0]
    head.loc[head["CHILD"].eq(victim), "DOB"] = FUTURE_DOB
    eps.loc[open_eps[1], "PLACE"] = PLANTED_POSTCODE
    eps.loc[open_eps[2], "PLACE"] = other
    head.to_csv(latest / "header.csv", index=False)
    eps.to_csv(latest / "episodes.csv", index=False)
    return {"child": other, "dob": FUTURE_DOB, "postcode": PLANTED_POSTCODE}


def identifiers_in_local_measures(
    path: Path, planted: dict[str, str], period_end: str, where: str = "group"
) -> Path:
    """A local-measures CSV with a CHILD id in a group and a DOB and a postcode in notes
    (``where="group"``), or all three in notes (``where="note"``)."""
    rows = []
    for i, kind in enumerate(("child", "dob", "postcode")):
        group = planted[kind] if where == "group" and kind == "child" else "all"
        note = f"see {planted[kind]}" if where == "note" or kind != "child" else ""
        rows.append(
            {
                "indicator_id": f"local_{i}",
                "period_end": period_end,
                "breakdown": "all",
                "group": group,
                "numerator": "12",
                "denominator": "20",
                "value": "60",
                "unit": "percent",
                "note": note,
            }
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    pd.DataFrame(rows).to_csv(path, index=False)
    return path
