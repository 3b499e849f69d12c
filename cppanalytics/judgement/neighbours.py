"""DfE statistical neighbours (2021 and 2025 models) and neighbour summaries.

DfE publishes, for each council, its 10 closest councils by a socio-economic model:
the April 2021 model (``New_Statistical_Neighbour_Groupings_April_2021.csv`` /
LAIT ``sn_april_2021.xlsx``) and the May 2025 model (``sn_model_2025_wide.csv`` /
``sn_may_2025.xlsx``). Both wide layouts are read into one long table
(:data:`NEIGHBOUR_COLUMNS`), shipped as ``cppanalytics/data/comparators/neighbours.csv``.

The neighbour figure for an indicator is the **mean** of the neighbours' published values
(as LAIT) or the **median** (as DfE's dashboard), over those neighbours with a value.

Examples
--------
>>> neighbours("826", model="2025")[:3]
['822', '303', '882']
>>> summarise([10.0, 20.0, 60.0], "mean"), summarise([10.0, 20.0, 60.0], "median")
(30.0, 20.0)
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from cppanalytics.choices import NEIGHBOUR_SUMMARIES as SUMMARIES
from cppanalytics.errors import CppError

NEIGHBOUR_COLUMNS = ["model", "la_code_old", "rank", "neighbour_code_old", "closeness"]
MODELS = ("2021", "2025")


def _from_wide(frame: pd.DataFrame, model: str, source: str) -> pd.DataFrame:
    cols = [str(c).strip() for c in frame.columns]
    frame = frame.set_axis(cols, axis=1)
    code_col = next((c for c in ("old_la_code", "LA num", "LA number") if c in cols), None)
    sn_cols = [c for c in cols if c.upper().replace("_", "") in {f"SN{i}" for i in range(1, 11)}]
    if code_col is None or len(sn_cols) != 10:
        raise CppError(
            f"{source}: not a DfE statistical neighbour file (needs a council code "
            f"column and SN1..SN10)"
        )
    rows = []
    codes = frame.iloc[:, cols.index(code_col)].astype("str").str.strip()
    for rank, col in enumerate(sn_cols, start=1):
        pos = cols.index(col)
        rows.append(
            pd.DataFrame(
                {
                    "model": model,
                    "la_code_old": codes,
                    "rank": rank,
                    "neighbour_code_old": frame.iloc[:, pos]
                    .astype("str")
                    .str.strip()
                    .str.replace(r"\.0$", "", regex=True),
                    "closeness": frame.iloc[:, pos + 1].astype("str").str.strip().str.capitalize(),
                }
            )
        )
    out = pd.concat(rows, ignore_index=True)
    out = out[
        out.la_code_old.str.fullmatch(r"\d{3}") & out.neighbour_code_old.str.fullmatch(r"\d{3}")
    ]
    return out.sort_values(["la_code_old", "rank"]).reset_index(drop=True)


def read_groupings(path: str | Path, model: str) -> pd.DataFrame:
    """Read one DfE neighbour file (CSV or LAIT xlsx) into :data:`NEIGHBOUR_COLUMNS`.

    Raises
    ------
    CppError
        the file is not a neighbour grouping.
    """
    path = Path(path)
    if path.suffix.lower() in (".xlsx", ".xls"):
        raw = pd.read_excel(path, header=None, dtype=str)
        header = raw.index[raw.iloc[:, 0].astype("str").str.strip() == "LA num"]
        if len(header) == 0:
            raise CppError(f"{path}: no 'LA num' header row; is this a LAIT SN file?")
        frame = raw.iloc[header[0] + 1 :].set_axis(raw.iloc[header[0]].astype("str"), axis=1)
    else:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        frame = frame.loc[:, ~frame.columns.str.startswith("Unnamed")]
    return _from_wide(frame, model, str(path))


_FILES = {
    "2021": ("New_Statistical_Neighbour_Groupings_April_2021.csv", "sn_april_2021.xlsx"),
    "2025": ("sn_model_2025_wide.csv", "sn_may_2025.xlsx"),
}


def build_neighbours(folder: str | Path) -> pd.DataFrame:
    """Find both models' files under ``folder`` and read them into one long table.

    For each model the EES CSV is read first; the LAIT xlsx adds the councils the CSV lacks
    (LAIT also lists predecessor councils such as Cumbria 909 and Northamptonshire 928).

    Raises
    ------
    CppError
        neither model's file is present.
    """
    folder = Path(folder)
    frames = []
    for model, names in _FILES.items():
        seen: set[str] = set()
        for name in names:
            for hit in sorted(folder.rglob(name))[:1]:
                part = read_groupings(hit, model)
                part = part[~part.la_code_old.isin(seen)]
                seen |= set(part.la_code_old)
                frames.append(part)
    if not frames:
        all_names = ", ".join(n for names in _FILES.values() for n in names)
        raise CppError(f"{folder}: no statistical neighbour file ({all_names})")
    return (
        pd.concat(frames, ignore_index=True)
        .sort_values(["model", "la_code_old", "rank"])
        .reset_index(drop=True)
    )


def neighbours_path() -> Path:
    """The shipped neighbour table."""
    from cppanalytics.judgement.comparators import data_dir

    return data_dir() / "neighbours.csv"


@lru_cache(maxsize=4)
def _load(path: str) -> pd.DataFrame:
    return pd.read_csv(
        path, dtype={"la_code_old": str, "neighbour_code_old": str, "model": str, "closeness": str}
    )


def load_neighbours(path: str | Path | None = None) -> pd.DataFrame:
    """The neighbour table (shipped by default)."""
    return _load(str(path or neighbours_path())).copy()


def neighbours(
    la_code_old: str, model: str = "2025", table: pd.DataFrame | None = None
) -> list[str]:
    """The council's 10 statistical neighbours (old codes, closest first).

    Raises
    ------
    CppError
        unknown model, or the council is not in that model (e.g. a council created after
        it: use the other model).

    Examples
    --------
    >>> len(neighbours("826", "2021"))
    10
    """
    if str(model) not in MODELS:
        raise CppError(f"unknown neighbour model {model!r}; use one of {', '.join(MODELS)}")
    table = load_neighbours() if table is None else table
    hit = table[(table.model == str(model)) & (table.la_code_old == str(la_code_old))]
    if hit.empty:
        raise CppError(
            f"council {la_code_old} has no statistical neighbours in DfE's "
            f"{model} model; try neighbour_model='{'2021' if model == '2025' else '2025'}'"
        )
    return hit.sort_values("rank")["neighbour_code_old"].tolist()


def summarise(values: list[float] | np.ndarray | pd.Series, how: str = "mean") -> float:
    """Mean or median of the neighbours' values, ignoring missing ones (NaN if none).

    Examples
    --------
    >>> summarise([1.0, float("nan"), 3.0], "mean")
    2.0
    """
    if how not in SUMMARIES:
        raise CppError(
            f"unknown neighbour summary {how!r}; use 'mean' (as LAIT) or 'median' "
            f"(as DfE's dashboard)"
        )
    arr = np.asarray(values, dtype="float64")
    arr = arr[~np.isnan(arr)]
    if arr.size == 0:
        return float("nan")
    return float(np.mean(arr) if how == "mean" else np.median(arr))
