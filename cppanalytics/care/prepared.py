"""All building blocks for one dataset, computed once and reused for every period end.

:func:`prepare_care` runs the pipeline (clean → periods → placements → carer spells) and
returns a :class:`CareData` holding the prepared episodes, the placements table, the
header (one row per child) and the findings the building blocks raised. The indicator
:class:`~cppanalytics.indicators.context.Context` builds it lazily and shares it across
period ends, so computing many quarters never repeats this work.

Examples
--------
>>> from cppanalytics.ssda903.dataset import Dataset
>>> ds = Dataset.from_tables({"episodes": pd.DataFrame({"CHILD": ["1"], "DECOM": ["01/04/2023"],
...     "RNE": ["S"], "LS": ["C2"], "PLACE": ["U4"], "DEC": [""], "REC": [""]})})
>>> care = prepare_care(ds)
>>> care.episodes.loc[0, "placement_id"], len(care.placements)
(np.int64(0), 1)
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from cppanalytics.care.carer_spells import add_carer_spells
from cppanalytics.care.cohorts import latest_rows
from cppanalytics.care.episodes import clean_episodes_coded
from cppanalytics.care.periods import add_periods, periods_table
from cppanalytics.care.placements import (
    TextCodes,
    add_placements,
    placements_table,
    temporary_structure,
)
from cppanalytics.ssda903.dataset import Dataset


@dataclass
class CareData:
    """The prepared building blocks of one dataset.

    Attributes
    ----------
    episodes
        prepared episodes, sorted by CHILD and DECOM (columns from every building block,
        plus ``held_PLACE``: the placement held before a temporary one, else PLACE).
    periods
        one row per period of care (:func:`cppanalytics.care.periods.periods_table`).
    placements
        one row per placement (:func:`cppanalytics.care.placements.placements_table`).
    header
        one row per CHILD (the latest collection year's Header row).
    findings
        findings raised while preparing (findings contract columns).
    rules
        the placement rules used.
    child_runs
        each prepared episode's child numbered 0, 1, ... in row order (a child's episodes
        are one run), or None to work it out from CHILD.
    cache
        free space for derived per-dataset caches (e.g. postcode distances).
    """

    episodes: pd.DataFrame
    periods: pd.DataFrame
    placements: pd.DataFrame
    header: pd.DataFrame
    findings: pd.DataFrame
    rules: dict[str, bool]
    cache: dict = field(default_factory=dict)
    child_runs: np.ndarray | None = None


def prepare_care(
    data: Dataset,
    *,
    adoption_with_current_carer_continues: bool = True,
    temporary_placements_continue: bool = True,
    ffa_counts_as_new_placement: bool = True,
) -> CareData:
    """Build periods of care, placements and carer spells for every child in ``data``.

    Parameters
    ----------
    data
        the 903 dataset.
    adoption_with_current_carer_continues, temporary_placements_continue, ffa_counts_as_new_placement
        the three placement rules (:class:`cppanalytics.indicators.settings.Settings`).

    Returns
    -------
    CareData

    Examples
    --------
    >>> from cppanalytics.ssda903.dataset import Dataset
    >>> len(prepare_care(Dataset()).episodes)
    0
    """
    eps, f_clean, child_runs = clean_episodes_coded(data.episodes)
    eps, f_periods = add_periods(eps, child_runs)
    text = TextCodes(eps)  # PLACE and RNE factorised once for the three steps
    eps = temporary_structure(eps, temporary_placements_continue, text=text)
    eps = add_placements(
        eps,
        adoption_with_current_carer_continues=adoption_with_current_carer_continues,
        temporary_placements_continue=temporary_placements_continue,
        ffa_counts_as_new_placement=ffa_counts_as_new_placement,
        text=text,
    )
    eps = add_carer_spells(
        eps, temporary_placements_continue=temporary_placements_continue, text=text
    )
    held = eps["held_pos"].to_numpy()
    place = eps["PLACE"].astype("string")
    # the PLACE of the placement held (the episode's own where none is held)
    eps["held_PLACE"] = place.array.take(np.where(held >= 0, held, np.arange(len(held))))
    header = latest_rows(data.header)
    parts = [f for f in (f_clean, f_periods) if len(f)]
    findings = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    return CareData(
        episodes=eps,
        periods=periods_table(eps),
        placements=placements_table(eps),
        header=header,
        findings=findings,
        rules={
            "adoption_with_current_carer_continues": adoption_with_current_carer_continues,
            "temporary_placements_continue": temporary_placements_continue,
            "ffa_counts_as_new_placement": ffa_counts_as_new_placement,
        },
        child_runs=child_runs,
    )
