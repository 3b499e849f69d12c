"""The list of implemented DfE rules as Markdown (``docs/validation_rules.md``).

Regenerate the file after changing the registry with::

    python -m cppanalytics.ssda903.rules.docs > docs/validation_rules.md

Examples
--------
>>> rules_markdown().splitlines()[0]
'# DfE 903 validation rules implemented'
"""

from __future__ import annotations

from cppanalytics.ssda903.rules import rules_table

_HEAD = """# DfE 903 validation rules implemented

Generated from the rule registry (`cppanalytics.ssda903.rules`) by
`python -m cppanalytics.ssda903.rules.docs > docs/validation_rules.md`; a test checks it is
up to date. `cppanalytics validate` reports each broken rule as a finding with code
`dfe_<code>`, the file, row, column and value, and the fix. DfE numbers the rules; the
wording here is this project's. Years are collection years (2024-25 runs from 1 April 2024
to 31 March 2025); a rule whose meaning changed is listed once per version. Severity
`warning` marks rules that ask for a check rather than state an error.

"""


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def rules_markdown() -> str:
    """The Markdown page listing every registered rule, ordered by DfE code.

    Examples
    --------
    >>> "| 431 |" in rules_markdown()
    True
    """
    table = rules_table()
    num = table["code"].str.extract(r"^(\d+)")[0].astype(float)
    table = table.assign(_n=num.fillna(1e9)).sort_values(["_n", "code"], kind="stable")
    lines = [
        _HEAD.rstrip("\n"),
        "",
        f"{len(table)} rule versions, {table['code'].nunique()} DfE codes.",
        "",
        "| code | tables | years | severity | what is wrong | what to do |",
        "|---|---|---|---|---|---|",
    ]
    for row in table.itertuples():
        lines.append(
            f"| {row.code} | {row.tables} | {row.years} | {row.severity} | "
            f"{_cell(row.message)} | {_cell(row.fix)} |"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":  # pragma: no cover
    print(rules_markdown(), end="")
