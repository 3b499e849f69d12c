"""Write a synthetic council's 903 files: one folder per collection year, population, README.

Examples
--------
>>> import tempfile
>>> with tempfile.TemporaryDirectory() as tmp:  # doctest: +SKIP
...     info = write_council(tmp, seed=2026, extract_date="2026-09-30")
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from cppanalytics.dates import collection_year, collection_year_label, latest_quarter_end
from cppanalytics.errors import CppError
from cppanalytics.ssda903.dataset import FILE_NAMES
from cppanalytics.synth.journeys import simulate
from cppanalytics.synth.places import ANCHOR_LA
from cppanalytics.synth.returns import care_leavers, periods, year_return
from cppanalytics.writing import check_writable, make_folder, write_csv, write_text

#: the demo council's name (fictional, labelled synthetic)
COUNCIL_NAME = "Ouzel Vale Council (synthetic)"
#: collection years written (at least), ending with the year holding the extract date
N_YEARS = 10
#: default number of children looked after at 31 March
DEFAULT_SIZE = 400

README = """# {name}

**This is synthetic data.** Every child, date and event here was made up by a simulation
(`cppanalytics synth --seed {seed} --extract-date {extract}`); no real child's data is
present. Postcodes are real ONS postcodes (used only for geography: homes in Milton Keynes,
placements in Milton Keynes, its neighbours and further away), chosen at random.

- Council: {name}, geography anchored on Milton Keynes ({la_code}, old code 826,
  South East). Around {size} children looked after at each 31 March.
- Folders `{first}` … `{last}`: one SSDA903 file set per collection year in DfE's CSV
  layout (dd/mm/YYYY dates). The last year is an in-year extract to {extract_human}.
- `population.csv`: synthetic ONS-style mid-year estimates of 0-17 year olds (`year,population`).

Contains OS data © Crown copyright and database right; contains Royal Mail data © Royal Mail
copyright and database right; source: Office for National Statistics, Open Government Licence v3.0.
"""


@dataclass(frozen=True)
class CouncilInfo:
    """What :func:`write_council` wrote."""

    path: Path
    seed: int
    size: int
    extract_date: pd.Timestamp
    years: tuple[int, ...]
    la_code: str
    name: str


def default_extract_date(today: str | pd.Timestamp | None = None) -> pd.Timestamp:
    """The latest complete quarter end before ``today`` (default: the real today).

    Examples
    --------
    >>> default_extract_date("2026-11-22")
    Timestamp('2026-09-30 00:00:00')
    """
    return latest_quarter_end(pd.Timestamp.today().normalize() if today is None else today)


def population(seed: int, size: int, years: range) -> pd.DataFrame:
    """Synthetic ONS-style mid-year estimates of 0-17 year olds for ``years``.

    Scaled so that ``size`` children in care is a rate of about 63 per 10,000 (near
    England's), growing about 0.8% a year with a little noise; whole numbers.

    Examples
    --------
    >>> population(1, 400, range(2020, 2022))["year"].tolist()
    [2020, 2021]
    """
    rng = np.random.default_rng([seed, 99])
    base = size / 63.0 * 10_000
    values = [
        int(round(base * (1.008 ** (y - 2022)) * (1 + rng.normal(0, 0.003)), -1)) for y in years
    ]
    return pd.DataFrame({"year": list(years), "population": values})


def _write_csv(frame: pd.DataFrame, path: Path) -> None:
    write_csv(frame, path, lineterminator="\n")


def write_council(
    out: str | Path,
    seed: int,
    extract_date: str | pd.Timestamp | None = None,
    size: int = DEFAULT_SIZE,
    name: str = COUNCIL_NAME,
    n_years: int = N_YEARS,
) -> CouncilInfo:
    """Simulate a council and write its yearly 903 folders, population and README to ``out``.

    Parameters
    ----------
    out
        folder to write (created; existing files of the same names are overwritten).
    seed
        random seed: the same seed, size and extract date give byte-identical files.
    extract_date
        the in-year extract date (default: latest quarter end before today).
    size
        roughly the number of children looked after at each 31 March.
    """
    extract = (
        pd.Timestamp(extract_date).normalize()
        if extract_date is not None
        else (default_extract_date())
    )
    if extract < pd.Timestamp("2012-03-31"):
        raise CppError(f"extract date {extract:%Y-%m-%d} is too early; use 2012-03-31 or later")
    if size < 10:
        raise CppError(f"council size {size} is too small; use at least 10")
    last = collection_year(extract)
    years = tuple(range(last - n_years + 1, last + 1))
    root = check_writable(out, what="synthetic data folder")  # before the simulation
    journeys = simulate(seed=seed, size=size, first_year=years[0], extract_date=extract)
    leavers = care_leavers(journeys)
    history = periods(journeys.episodes)
    for year in years:
        folder = make_folder(root / collection_year_label(year), what="synthetic data folder")
        for table, frame in year_return(journeys, year, leavers, history).items():
            _write_csv(frame, folder / f"{FILE_NAMES[table]}.csv")
    _write_csv(
        population(seed, size, range(years[0] - 2, extract.year + 1)), root / "population.csv"
    )
    write_text(
        root / "README.md",
        README.format(
            name=name,
            seed=seed,
            extract=f"{extract:%Y-%m-%d}",
            extract_human=f"{extract.day} {extract:%B %Y}",
            la_code=ANCHOR_LA,
            size=size,
            first=collection_year_label(years[0]),
            last=collection_year_label(years[-1]),
        ),
    )
    return CouncilInfo(root, seed, size, extract, years, ANCHOR_LA, name)


def council_sizes(seed: int, n: int) -> list[tuple[int, int]]:
    """(seed, size) of each of ``n`` councils for scale tests: different seeds, 150-900 in care.

    Examples
    --------
    >>> [s for _, s in council_sizes(1, 3)] == [s for _, s in council_sizes(1, 3)]
    True
    """
    rng = np.random.default_rng([seed, 12345])
    sizes = rng.integers(150, 901, size=n)
    return [(seed * 1000 + i + 1, int(s)) for i, s in enumerate(sizes)]


def write_councils(
    out: str | Path, seed: int, n: int, extract_date: str | pd.Timestamp | None = None
) -> list[CouncilInfo]:
    """Write ``n`` councils into ``out/council_001`` … (different seeds and sizes)."""
    check_writable(out, what="synthetic data folder")  # before the first simulation
    infos = []
    width = max(3, len(str(n)))
    for i, (council_seed, size) in enumerate(council_sizes(seed, n), start=1):
        infos.append(
            write_council(
                Path(out) / f"council_{i:0{width}d}",
                seed=council_seed,
                extract_date=extract_date,
                size=size,
                name=f"Synthetic council {i:0{width}d} (synthetic)",
            )
        )
    return infos
