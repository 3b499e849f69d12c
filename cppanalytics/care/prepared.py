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

from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from cppanalytics.care.carer_spells import add_carer_spells
from cppanalytics.care.cohorts import latest_row_positions, latest_rows
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
    header_codes
        each ``header`` row's CHILD as the loader's code (the codes the dataset holds for
        its header table, :meth:`~cppanalytics.ssda903.dataset.Dataset.loaded_child_codes`),
        or None.
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
    header_codes: np.ndarray | None = None


@dataclass(frozen=True)
class PreparedEpisodes:
    """The part of :class:`CareData` worked out from the episodes table alone
    (:func:`prepare_episodes`): everything but the header.

    Attributes
    ----------
    source
        the episodes table it was prepared from (:func:`prepare_care` uses it only for a
        dataset holding this very table).
    rules
        the placement rules used.
    episodes, periods, placements, findings, child_runs
        as :class:`CareData` holds them.
    header_source, header, header_codes
        a header table, its latest rows (:func:`~cppanalytics.care.cohorts.latest_rows`)
        and their CHILD codes as the loader gave them (or ``None``) when they were made
        while the data loaded (:class:`EarlyPreparation`), else ``None``:
        :func:`prepare_care` uses them only for a dataset holding that very header table.
    """

    source: pd.DataFrame
    rules: dict[str, bool]
    episodes: pd.DataFrame
    periods: pd.DataFrame
    placements: pd.DataFrame
    findings: pd.DataFrame
    child_runs: np.ndarray | None
    header_source: pd.DataFrame | None = None
    header: pd.DataFrame | None = None
    header_codes: np.ndarray | None = None


def _rules(
    adoption_with_current_carer_continues: bool = True,
    temporary_placements_continue: bool = True,
    ffa_counts_as_new_placement: bool = True,
) -> dict[str, bool]:
    """The three placement rules by name (the defaults: :func:`prepare_care`'s)."""
    return {
        "adoption_with_current_carer_continues": adoption_with_current_carer_continues,
        "temporary_placements_continue": temporary_placements_continue,
        "ffa_counts_as_new_placement": ffa_counts_as_new_placement,
    }


def prepare_episodes(
    episodes: pd.DataFrame, child_codes: np.ndarray | None = None, **rules: bool
) -> PreparedEpisodes:
    """Build periods of care, placements and carer spells from an episodes table: the
    part of :func:`prepare_care` that reads no other table.

    Parameters
    ----------
    episodes
        the dataset's episodes table (not changed).
    child_codes
        its rows' CHILD as integers that sort as the texts do and are equal exactly when
        they are, -1 for none (the loader's), if at hand: the texts are then not read to
        order the children.
    **rules
        the placement rules, as for :func:`prepare_care`.

    Returns
    -------
    PreparedEpisodes

    Examples
    --------
    >>> eps = pd.DataFrame({"CHILD": ["1", "1"], "DECOM": pd.to_datetime(["2023-04-01",
    ...     "2023-05-01"]), "RNE": ["S", "P"], "LS": ["C2", "C2"], "PLACE": ["U4", "U5"],
    ...     "DEC": pd.to_datetime(["2023-05-01", None]), "REC": ["X1", None]})
    >>> part = prepare_episodes(eps)
    >>> part.episodes["placement_id"].tolist(), len(part.placements), part.source is eps
    ([0, 1], 2, True)
    """
    rule = _rules(**rules)
    temporary = rule["temporary_placements_continue"]
    eps, f_clean, child_runs = clean_episodes_coded(episodes, child_codes)
    eps, f_periods = add_periods(eps, child_runs)
    text = TextCodes(eps)  # PLACE and RNE factorised once for the three steps
    eps = temporary_structure(eps, temporary, text=text)
    eps = add_placements(eps, **rule, text=text)
    eps = add_carer_spells(eps, temporary_placements_continue=temporary, text=text)
    held = eps["held_pos"].to_numpy()
    place = eps["PLACE"].astype("string")
    # the PLACE of the placement held (the episode's own where none is held)
    eps["held_PLACE"] = place.array.take(np.where(held >= 0, held, np.arange(len(held))))
    parts = [f for f in (f_clean, f_periods) if len(f)]
    return PreparedEpisodes(
        source=episodes,
        rules=rule,
        episodes=eps,
        periods=periods_table(eps),
        placements=placements_table(eps),
        findings=pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(),
        child_runs=child_runs,
    )


class EarlyPreparation:
    """Prepares a dataset's episodes as soon as the loader has built them, while it
    builds the other tables (the loader's ``episodes_ready``), and takes the header's
    latest rows as soon as the header is built (the loader's ``header_ready``, given
    :meth:`header_ready`): a large extract's preparation then runs beside the rest of
    loading instead of after it.

    Call it with the episodes table and, if at hand, its CHILD codes (the loader does:
    :func:`prepare_episodes`); :attr:`prepared` is then the :class:`PreparedEpisodes`
    for :func:`prepare_care` (or :func:`~cppanalytics.indicators.compute.compute`'s
    ``prepared``), holding the header's latest rows too once :meth:`header_ready` has
    been called. A failure here leaves :attr:`prepared` ``None`` (or without the
    header): that part is made again where it is needed, and any error is raised there,
    as without this.

    Examples
    --------
    >>> from cppanalytics.ssda903.dataset import Dataset
    >>> ds = Dataset.from_tables({"episodes": pd.DataFrame({"CHILD": ["1"],
    ...     "DECOM": ["01/04/2023"], "RNE": ["S"], "LS": ["C2"], "PLACE": ["U4"]}),
    ...     "header": pd.DataFrame({"CHILD": ["1"], "SEX": ["1"]})})
    >>> early = EarlyPreparation()
    >>> early(ds.episodes)
    >>> early.header_ready(ds.header, np.array([0]))
    >>> care = prepare_care(ds, early=early.prepared)
    >>> care.episodes is early.prepared.episodes, care.header is early.prepared.header
    (True, True)
    """

    def __init__(self, **rules: bool) -> None:
        self.rules = _rules(**rules)
        self._episodes: PreparedEpisodes | None = None
        self._header: tuple[pd.DataFrame, pd.DataFrame, np.ndarray | None] | None = None

    def __call__(self, episodes: pd.DataFrame, child_codes: np.ndarray | None = None) -> None:
        try:
            self._episodes = prepare_episodes(episodes, child_codes, **self.rules)
        except Exception:  # noqa: BLE001 - made again (and raised) where it is needed
            self._episodes = None

    def header_ready(self, header: pd.DataFrame, child_codes: np.ndarray | None = None) -> None:
        """Take the latest rows of ``header`` (:func:`~cppanalytics.care.cohorts.latest_rows`,
        on ``child_codes`` where given: each row's CHILD as an integer, equal exactly when
        the texts are, -1 for a blank), and those rows' codes."""
        try:
            if child_codes is None or header.empty:
                self._header = header, latest_rows(header, codes=child_codes), None
            else:
                rows = latest_row_positions(header, codes=child_codes)
                latest = latest_rows(header, positions=rows)
                self._header = header, latest, np.asarray(child_codes, dtype=np.int64)[rows]
        except Exception:  # noqa: BLE001 - made again (and raised) where it is needed
            self._header = None

    @property
    def prepared(self) -> PreparedEpisodes | None:
        """The episodes prepared (with the header's latest rows when taken), or ``None``."""
        if self._episodes is None or self._header is None:
            return self._episodes
        source, header, codes = self._header
        return replace(self._episodes, header_source=source, header=header, header_codes=codes)


def prepare_care(
    data: Dataset,
    *,
    adoption_with_current_carer_continues: bool = True,
    temporary_placements_continue: bool = True,
    ffa_counts_as_new_placement: bool = True,
    early: PreparedEpisodes | None = None,
) -> CareData:
    """Build periods of care, placements and carer spells for every child in ``data``.

    Parameters
    ----------
    data
        the 903 dataset.
    adoption_with_current_carer_continues, temporary_placements_continue, ffa_counts_as_new_placement
        the three placement rules (:class:`cppanalytics.indicators.settings.Settings`).
    early
        the episodes already prepared (:class:`EarlyPreparation`): used when prepared from
        ``data``'s own episodes table (the same object) under the same rules, else the
        episodes are prepared here; its header's latest rows likewise when taken from
        ``data``'s own header table.

    Returns
    -------
    CareData

    Examples
    --------
    >>> from cppanalytics.ssda903.dataset import Dataset
    >>> len(prepare_care(Dataset()).episodes)
    0
    """
    rules = _rules(
        adoption_with_current_carer_continues,
        temporary_placements_continue,
        ffa_counts_as_new_placement,
    )
    part = early
    if part is None or part.source is not data.episodes or part.rules != rules:
        part = prepare_episodes(data.episodes, None, **rules)
    if early is not None and early.header is not None and early.header_source is data.header:
        header, header_codes = early.header, early.header_codes
    else:
        header, header_codes = latest_rows(data.header), None
    return CareData(
        episodes=part.episodes,
        periods=part.periods,
        placements=part.placements,
        header=header,
        findings=part.findings,
        rules=dict(rules),
        child_runs=part.child_runs,
        header_codes=header_codes,
    )
