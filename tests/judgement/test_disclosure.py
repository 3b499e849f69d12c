"""Disclosure control: half-up rounding, primary + secondary suppression, recovery attempts,
no child-level identifiers in public outputs."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cppanalytics.judgement.disclosure import (
    DisclosureError,
    assert_publishable,
    published_text,
    recoverable,
    round_half_up,
    suppress_results,
    suppress_table,
)
from cppanalytics.results import result_rows


@pytest.mark.parametrize(
    "value,expected",
    [(0.5, 1), (1.5, 2), (2.5, 3), (12.5, 13), (-2.5, -3), (2.4999, 2), (99.5, 100)],
)
def test_round_half_up_never_bankers(value: float, expected: int) -> None:
    assert round_half_up(value) == expected
    assert round(2.5) == 2  # what Python would have done


def test_round_half_up_decimals() -> None:
    assert round_half_up(14.45, 1) == 14.5
    assert round_half_up(2.675, 2) == 2.68


def _attack_table(cells: pd.DataFrame, hidden: pd.DataFrame) -> set[int]:
    """Try to recover every hidden figure from the published row/column/grand totals."""
    full = cells.astype(float).copy()
    full["total"] = full.sum(axis=1)
    full.loc["total"] = full.sum(axis=0)
    values = full.to_numpy().ravel()
    nrow, ncol = full.shape
    pos = np.arange(values.size).reshape(nrow, ncol)
    eqs = [list(pos[r]) for r in range(nrow)] + [list(pos[:, c]) for c in range(ncol)]
    return recoverable(values, hidden.to_numpy().ravel(), eqs)


def test_primary_and_secondary_table_suppression() -> None:
    cells = pd.DataFrame(
        {"foster": [40, 3, 25], "residential": [10, 12, 0], "other": [7, 9, 30]},
        index=["under 10", "10-15", "16+"],
    )
    hidden = suppress_table(cells)
    assert hidden.loc["10-15", "foster"]  # primary: 3
    assert (
        hidden.loc[["under 10", "10-15", "16+"], ["foster", "residential", "other"]]
        .to_numpy()
        .sum()
        >= 4
    )  # a rectangle at least
    # the attacker: subtraction along any row/column/total recovers nothing
    assert not (_attack_table(cells, hidden) & set(np.flatnonzero(hidden.to_numpy().ravel())))
    # without secondary suppression the attack succeeds
    naive = (cells >= 1) & (cells <= 5)
    naive["total"] = False
    naive.loc["total"] = False
    assert _attack_table(cells, naive)


def test_small_total_is_suppressed() -> None:
    cells = pd.DataFrame({"a": [2, 30], "b": [2, 40]})
    hidden = suppress_table(cells)
    assert hidden.loc[0, "total"]  # row total 4 is itself small
    assert not (_attack_table(cells, hidden) & set(np.flatnonzero(hidden.to_numpy().ravel())))


def test_internal_mode_shows_everything() -> None:
    cells = pd.DataFrame({"a": [2, 30]})
    assert not suppress_table(cells, mode="internal").to_numpy().any()


def _breakdown(pe: str = "2025-03-31") -> pd.DataFrame:
    groups = ["under 1", "1-4", "5-9", "10-15", "16+", "unknown"]
    nums = [4, 30, 41, 90, 60, 0]
    total = sum(nums)
    return pd.concat(
        [
            result_rows("cla_count", pe, (pe, pe), numerator=[total], unit="count"),
            result_rows(
                "cla_by_age_band",
                pe,
                (pe, pe),
                numerator=nums,
                denominator=[total] * 6,
                unit="percent",
                breakdown="age_band",
                groups=groups,
            ),
            result_rows(
                "health_assessment",
                pe,
                ("2024-04-01", pe),
                numerator=[3],
                denominator=[40],
                unit="percent",
            ),
            result_rows("adopted_count", pe, ("2024-04-01", pe), numerator=[5], unit="count"),
        ],
        ignore_index=True,
    )


def test_results_suppression_cannot_be_undone_by_subtraction() -> None:
    res = _breakdown()
    out = suppress_results(res, mode="public")
    sup = out.set_index(["indicator_id", "group"])["suppressed"]
    assert sup[("cla_by_age_band", "under 1")]  # primary: 4
    assert sup[("cla_by_age_band", "1-4")]  # secondary: next smallest positive (30)
    assert not sup[("cla_by_age_band", "unknown")]  # zero is not hidden
    assert sup[("health_assessment", "")] and sup[("adopted_count", "")]
    assert out.loc[out.suppressed, "value"].isna().all()
    # attacker: the published headline total minus the published groups
    age = out[out.indicator_id == "cla_by_age_band"]
    total = out.loc[out.indicator_id == "cla_count", "value"].iloc[0]
    values = np.append(res.loc[age.index, "numerator"].to_numpy(), total)
    hidden = np.append(age["suppressed"].to_numpy(), False)
    assert recoverable(values, hidden, [list(range(len(values)))]) == set()
    # and with only primary suppression the under-1 count would fall out
    primary = np.append(age["group"].eq("under 1").to_numpy(), False)
    assert recoverable(values, primary, [list(range(len(values)))]) == {0}


def test_results_internal_mode() -> None:
    out = suppress_results(_breakdown(), mode="internal")
    assert not out["suppressed"].any() and out["value"].notna().all()


def test_published_text_marks_c() -> None:
    text = published_text(pd.Series([2.5, 4.0, 12.5]), pd.Series([False, True, False]))
    assert text.tolist() == ["3", "c", "13"]


def test_assert_publishable_frames() -> None:
    assert_publishable(_breakdown())
    for col in ("CHILD", "UPN", "DOB", "HOME_POST", "PL_POST", "postcode"):
        with pytest.raises(DisclosureError, match=col):
            assert_publishable(pd.DataFrame({col: ["x"], "value": [1]}))
    with pytest.raises(DisclosureError, match="UPN-like"):
        assert_publishable(pd.DataFrame({"note": ["see A123456789012"]}))
    with pytest.raises(DisclosureError, match="postcode"):
        assert_publishable(pd.DataFrame({"where": ["mk9 3ej"]}))
    with pytest.raises(DisclosureError, match="child identifiers"):
        assert_publishable(pd.DataFrame({"label": ["CH12345"]}), identifiers=["CH12345"])


def test_assert_publishable_html() -> None:
    assert_publishable(
        "<table><tr><th>Indicator</th><th>Value</th></tr></table>"
        '<img src="data:image/png;base64,AB12CD+/MK93EJ==">'
    )
    with pytest.raises(DisclosureError, match="header"):
        assert_publishable("<table><tr><th>CHILD</th></tr></table>")
    with pytest.raises(DisclosureError, match="postcode"):
        assert_publishable("<p>placed at MK9 3EJ</p>")
    with pytest.raises(DisclosureError, match="identifier"):
        assert_publishable("<td>child 7731942</td>", identifiers=["7731942"])


def test_percentage_whose_complement_is_small_is_suppressed() -> None:
    # 97 of 100 had a health assessment: publishing 97% reveals the 3 who did not (1-5)
    # 90 of 100: the 10 without is not a small number, so it is published
    # 14.2 average SDQ over 3 children: suppressed on its small denominator, as before
    rows = pd.concat(
        [
            result_rows(
                "health_assessment",
                "2024-03-31",
                ("2023-04-01", "2024-03-31"),
                numerator=[97],
                denominator=[100],
                unit="percent",
            ),
            result_rows(
                "immunisations",
                "2024-03-31",
                ("2023-04-01", "2024-03-31"),
                numerator=[90],
                denominator=[100],
                unit="percent",
            ),
            result_rows(
                "sdq_average",
                "2024-03-31",
                ("2023-04-01", "2024-03-31"),
                numerator=[42.6],
                denominator=[3],
                value=[14.2],
                unit="score",
            ),
        ],
        ignore_index=True,
    )
    out = suppress_results(rows)
    assert out["suppressed"].tolist() == [True, False, True]
    assert np.isnan(out.loc[0, "value"]) and out.loc[1, "value"] == 90.0
