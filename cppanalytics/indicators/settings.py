"""Named, documented choices where DfE's methodology leaves room (the engine's settings).

Each setting has the project's default; every one is tested both ways
(``tests/care/``, ``tests/indicators/``). Pass a :class:`Settings` to
:func:`cppanalytics.indicators.compute` to change them.

Examples
--------
>>> Settings().temporary_placements_continue
True
>>> Settings(ffa_counts_as_new_placement=False).ffa_counts_as_new_placement
False
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from cppanalytics.errors import CppError

NEIGHBOUR_SUMMARIES: tuple[str, ...] = ("mean", "median")


@dataclass(frozen=True)
class Settings:
    """The engine's configurable rules.

    Attributes
    ----------
    adoption_with_current_carer_continues
        Placement rule 1: an episode with PLACE A3 or A5 reached by RNE T or U (placed for
        adoption with the current foster carer) continues the previous placement.
    temporary_placements_continue
        Placement rule 2: temporary placements (PLACE T0-T4) are not placements, and the
        episode after a run of them that returns to the placement held before it (same
        PLACE, PL_POST and URN) continues that placement and carer spell. When ``False``
        temporary episodes are ordinary placements.
    ffa_counts_as_new_placement
        Placement rule 3: fostering-for-adoption / concurrent placements (PLACE U2, U5)
        count as a new placement (DfE from 2021). When ``False`` an episode with PLACE U2 or
        U5 never starts a new placement (unless it is the first of a period of care).
    neighbour_summary
        ``"mean"`` (as LAIT) or ``"median"`` (as DfE's dashboard) for the statistical
        neighbour comparator (used by judgement).

    Examples
    --------
    >>> Settings(neighbour_summary="median").neighbour_summary
    'median'
    """

    adoption_with_current_carer_continues: bool = True
    temporary_placements_continue: bool = True
    ffa_counts_as_new_placement: bool = True
    neighbour_summary: str = "mean"

    def __post_init__(self) -> None:
        if self.neighbour_summary not in NEIGHBOUR_SUMMARIES:
            raise CppError(
                f"setting neighbour_summary={self.neighbour_summary!r} is not allowed; "
                f"use one of {', '.join(NEIGHBOUR_SUMMARIES)}."
            )
        for f in fields(self):
            if f.type in ("bool", bool) and not isinstance(getattr(self, f.name), bool):
                raise CppError(
                    f"setting {f.name} must be true or false, not {getattr(self, f.name)!r}."
                )

    def care_rules(self) -> dict[str, bool]:
        """The three placement rules as keyword arguments for :mod:`cppanalytics.care`.

        Examples
        --------
        >>> sorted(Settings().care_rules())
        ['adoption_with_current_carer_continues', 'ffa_counts_as_new_placement', 'temporary_placements_continue']
        """
        return {
            "adoption_with_current_carer_continues": self.adoption_with_current_carer_continues,
            "temporary_placements_continue": self.temporary_placements_continue,
            "ffa_counts_as_new_placement": self.ffa_counts_as_new_placement,
        }
