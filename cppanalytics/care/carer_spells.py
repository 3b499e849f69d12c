"""Carer spells: consecutive episodes with the same carer (long-term stability, adoption A10).

Within a period of care an episode joins the carer spell before it when its RNE is L, T or
U (same carer); RNE S, P or B starts a new spell. The first non-temporary episode of a
period always starts a spell; temporary episodes before it belong to none. With placement
rule 2 (``temporary_placements_continue``) a temporary episode (T0-T4) stays inside the
spell current before it and the return from it to the placement held before it continues
that spell (a hospital stay does not break long-term stability); a missing or unknown RNE
starts a new spell when the placement differs from the previous one.

For the long-term stability A3-A6 rule, :func:`add_carer_spells` also records, for every
episode in a run of A3-A6 episodes, the start of the carer spell holding the episode just
before that run (``pre_adoption_spell_start``; temporary episodes are skipped when rule 2
is on, and a temporary episode carries its held placement's value).

Columns added: ``new_carer_spell``, ``carer_spell_id`` (Int64), ``carer_spell_start``,
``pre_adoption_spell_start``.

Examples
--------
>>> from cppanalytics.care.episodes import clean_episodes
>>> from cppanalytics.care.periods import add_periods
>>> raw = pd.DataFrame({"CHILD": ["1"] * 3, "LS": ["C2", "C2", "E1"], "RNE": ["S", "T", "L"],
...     "DECOM": pd.to_datetime(["2020-01-01", "2021-01-01", "2022-01-01"]),
...     "PLACE": ["U4", "U4", "U4"], "DEC": pd.to_datetime(["2021-01-01", "2022-01-01", None]),
...     "REC": ["X1", "X1", None]})
>>> eps = add_carer_spells(add_periods(clean_episodes(raw)[0])[0])
>>> eps["carer_spell_start"].dt.year.tolist()
[2020, 2020, 2020]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cppanalytics.care.episodes import ADOPTION_PLACES, KNOWN_RNE, SAME_CARER_RNE
from cppanalytics.care.placements import TextCodes, _nullable, run_starts, temporary_structure


def add_carer_spells(
    eps: pd.DataFrame, *, temporary_placements_continue: bool = True, text: TextCodes | None = None
) -> pd.DataFrame:
    """Number the carer spells of every period of care (see the module docstring).

    Parameters
    ----------
    eps
        episodes with periods (and optionally the temporary structure from
        :func:`cppanalytics.care.placements.temporary_structure`).
    temporary_placements_continue
        placement rule 2, applied to carer spells too.
    text
        the columns of ``eps`` already factorised
        (:class:`~cppanalytics.care.placements.TextCodes`), if at hand.

    Returns
    -------
    pandas.DataFrame
        ``eps`` with the carer spell columns.

    Examples
    --------
    >>> from cppanalytics.care.episodes import clean_episodes
    >>> from cppanalytics.care.periods import add_periods
    >>> raw = pd.DataFrame({"CHILD": ["1"] * 2, "LS": ["C2"] * 2, "RNE": ["S", "P"],
    ...     "DECOM": pd.to_datetime(["2020-01-01", "2021-01-01"]), "PLACE": ["U4", "U4"],
    ...     "DEC": pd.to_datetime(["2021-01-01", None]), "REC": ["X1", None]})
    >>> add_carer_spells(add_periods(clean_episodes(raw)[0])[0])["carer_spell_id"].tolist()
    [0, 1]
    """
    text = TextCodes(eps) if text is None else text
    out = (
        eps
        if "returns_to_held" in eps
        else temporary_structure(eps, temporary_placements_continue, text=text)
    )
    out = out.copy(deep=False)  # copy-on-write
    n = len(out)
    is_temp = out["is_temp"].to_numpy()
    prev_held = out["prev_held_pos"].to_numpy()
    held = out["held_pos"].to_numpy()
    first_nontemp = ~is_temp & (prev_held < 0)
    rne_unknown = ~text.isin("RNE", KNOWN_RNE)
    normal = (~text.isin("RNE", SAME_CARER_RNE) & ~rne_unknown) | (
        rne_unknown & out["key_differs"].to_numpy()
    )
    new = ~is_temp & (first_nontemp | (~out["returns_to_held"].to_numpy() & normal))
    seq = np.cumsum(new) - 1
    has_held = held >= 0
    sid = np.where(has_held, seq, -1)
    out["new_carer_spell"] = new
    out["carer_spell_id"] = _nullable(sid)
    out["carer_spell_start"] = run_starts(out["DECOM"], new, sid)

    # A3-A6 runs over non-temporary episodes: the spell start of the episode before the run
    is_a = text.isin("PLACE", ADOPTION_PLACES) & ~is_temp
    pre = np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
    has_prev = prev_held >= 0
    prev_is_a = has_prev & is_a[np.maximum(prev_held, 0)]
    run_start = is_a & ~prev_is_a
    start_vals = np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
    rs_prev = run_start & has_prev
    start_vals[rs_prev] = out["carer_spell_start"].to_numpy()[prev_held[rs_prev]]
    # carry each run's value forward over the run's episodes (non-temporary rows only)
    # the last run start at or before each row (-1: none), as a running maximum
    marks = np.maximum.accumulate(np.where(run_start, np.arange(n), -1)) if n else np.zeros(0, int)
    marks = marks.astype(np.int64)
    in_run = is_a & (marks >= 0)
    pre[in_run] = start_vals[marks[in_run]]
    # temporary rows take their held episode's value
    temp_held = is_temp & has_held
    pre[temp_held] = pre[held[temp_held]]
    out["pre_adoption_spell_start"] = pd.Series(pre, index=out.index)
    return out
