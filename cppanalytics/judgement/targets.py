"""A council's targets: one file per council in ``params/targets/`` (YAML or CSV).

YAML::

    council: Milton Keynes (demo)
    targets:
      stability_3plus_placements: {target: 10, tolerance: 2}
      cla_rate_per_10k: {target: 60, tolerance: 3, polarity: down}

CSV: columns ``indicator_id, target, tolerance`` and optionally ``polarity``.

``tolerance`` (default 0) is the band beyond the target still rated amber. ``polarity``
(``up`` = higher is better, ``down``) overrides the catalogue's; an indicator whose
polarity is ``neither`` (e.g. ``cla_rate_per_10k``) needs one to carry a target.

Examples
--------
>>> t = targets_from_mapping({"health_assessment": {"target": 90, "tolerance": 5}}, "x.yaml")
>>> t.iloc[0].to_dict()
{'indicator_id': 'health_assessment', 'target': 90.0, 'tolerance': 5.0, 'polarity': 'up'}
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from cppanalytics.errors import CppError
from cppanalytics.judgement.comparators import polarity as known_polarity
from cppanalytics.yamlfile import read_yaml_file

TARGET_COLUMNS = ["indicator_id", "target", "tolerance", "polarity"]
_KEYS = {"target", "tolerance", "polarity"}


def _number(value: Any, where: str, name: str, default: float | None = None) -> float:
    if value is None or value == "":
        if default is not None:
            return default
        raise CppError(f"{where}: {name} is missing; give a number")
    try:
        return float(value)
    except (TypeError, ValueError):
        raise CppError(f"{where}: {name} {value!r} is not a number") from None


def targets_from_mapping(mapping: dict[str, Any], source: str) -> pd.DataFrame:
    """Validate ``{indicator_id: {target, tolerance, polarity}}`` into :data:`TARGET_COLUMNS`.

    A bare number is a target with tolerance 0.

    Raises
    ------
    CppError
        naming the file and indicator: unknown key, non-numeric or negative value,
        bad polarity, or no polarity for an indicator without one.
    """
    rows = []
    for ind, spec in mapping.items():
        where = f"{source}: target for {ind}"
        if not isinstance(spec, dict):
            spec = {"target": spec}
        unknown = set(spec) - _KEYS
        if unknown:
            raise CppError(
                f"{where}: unknown key(s) {', '.join(sorted(unknown))}; use "
                f"target, tolerance, polarity"
            )
        target = _number(spec.get("target"), where, "target")
        tolerance = _number(spec.get("tolerance"), where, "tolerance", 0.0)
        if tolerance < 0:
            raise CppError(f"{where}: tolerance {tolerance:g} is negative; give 0 or more")
        pol = str(spec.get("polarity") or "").strip().lower() or known_polarity(str(ind))
        if pol not in ("up", "down"):
            raise CppError(
                f"{where}: needs polarity 'up' (higher is better) or 'down' "
                f"(lower is better); got {pol!r}"
            )
        rows.append(
            {"indicator_id": str(ind), "target": target, "tolerance": tolerance, "polarity": pol}
        )
    return pd.DataFrame(rows, columns=TARGET_COLUMNS)


def read_targets(path: str | Path) -> pd.DataFrame:
    """Read a council's targets file (``.yaml``/``.yml`` or ``.csv``).

    Raises
    ------
    CppError
        file missing or malformed (message names the file and the problem).
    """
    path = Path(path)
    if not path.exists():
        raise CppError(f"{path}: targets file not found (see params/targets/example.yaml)")
    if path.suffix.lower() in (".yaml", ".yml"):
        # UTF-8 text, no aliases (an alias bomb), errors naming the line
        data = read_yaml_file(path) or {}
        if not isinstance(data, dict) or not isinstance(data.get("targets"), dict):
            raise CppError(
                f"{path}: expected a 'targets:' mapping of indicator_id to "
                f"{{target, tolerance}} (see params/targets/example.yaml)"
            )
        return targets_from_mapping(data["targets"], str(path))
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.columns = [c.strip().lower() for c in frame.columns]
    if not {"indicator_id", "target"} <= set(frame.columns):
        raise CppError(
            f"{path}: needs columns indicator_id and target (optional: tolerance, polarity)"
        )
    dup = frame["indicator_id"][frame["indicator_id"].duplicated()]
    if len(dup):
        raise CppError(
            f"{path}: row {dup.index[0] + 2}: indicator {dup.iloc[0]!r} is listed "
            f"twice; keep one target per indicator"
        )
    mapping = {
        row["indicator_id"].strip(): {k: row[k] for k in _KEYS if k in frame.columns}
        for _, row in frame.iterrows()
    }
    return targets_from_mapping(mapping, str(path))


def as_targets(targets: pd.DataFrame | str | Path | dict | None) -> pd.DataFrame:
    """Targets from a frame, a file path or a mapping (empty frame for ``None``)."""
    if targets is None:
        return pd.DataFrame(columns=TARGET_COLUMNS)
    if isinstance(targets, pd.DataFrame):
        missing = [c for c in ("indicator_id", "target") if c not in targets.columns]
        if missing:
            raise CppError(f"targets table lacks column(s) {', '.join(missing)}")
        out = targets.copy()
        if "tolerance" not in out.columns:
            out["tolerance"] = 0.0
        if "polarity" not in out.columns:
            out["polarity"] = ""
        out["polarity"] = [
            p or known_polarity(i)
            for i, p in zip(out["indicator_id"], out["polarity"].fillna(""), strict=True)
        ]
        return out[TARGET_COLUMNS]
    if isinstance(targets, dict):
        return targets_from_mapping(targets.get("targets", targets), "targets")
    return read_targets(targets)
