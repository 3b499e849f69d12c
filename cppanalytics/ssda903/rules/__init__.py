"""DfE's SSDA903 validation rules, year-versioned, as findings.

Each module holds the rules of one group of 903 tables, one small function per rule,
registered with DfE's code in :data:`~cppanalytics.ssda903.rules.registry.RULES`;
:func:`run_rules` applies them to a Dataset. ``docs/validation_rules.md`` lists them
(:func:`~cppanalytics.ssda903.rules.docs.rules_markdown`).

Examples
--------
>>> len(RULES) > 100
True
"""

from cppanalytics.ssda903.rules import (  # noqa: F401  (importing registers the rules)
    adoption,
    care_leavers,
    codelists,
    dolo,
    episodes,
    header,
    health,
    integrity,
    missing,
    prev_perm,
    reviews,
    social_workers,
    uasc,
)
from cppanalytics.ssda903.rules.context import RuleContext
from cppanalytics.ssda903.rules.registry import RULES, Rule, rules_table, run_rules

__all__ = ["RULES", "Rule", "RuleContext", "rules_table", "run_rules"]
