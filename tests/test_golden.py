"""Every figure of the demo council is unchanged (see ``tests/golden.py``).

When the demo data or a definition changes on purpose, regenerate the stored figures with
``python -m tests.golden --update`` and review the diff.
"""

from __future__ import annotations

import pandas as pd
import pytest

from tests import golden


@pytest.fixture(scope="module")
def recomputed() -> dict[str, pd.DataFrame]:
    if not golden.DATA.exists():
        pytest.skip("data/synthetic is absent")
    return golden.compute_golden()


@pytest.mark.parametrize("name", golden.FILES)
def test_figures_match_the_golden_files(recomputed: dict[str, pd.DataFrame], name: str) -> None:
    stored = golden.read_golden(name)
    now = recomputed[name].astype(str).reset_index(drop=True)
    assert list(now.columns) == list(stored.columns), f"{name}: columns changed"
    assert len(now) == len(stored), f"{name}: {len(now)} rows now, {len(stored)} stored"
    diff = (now != stored).any(axis=1)
    assert not diff.any(), (
        f"{name}: {int(diff.sum())} rows differ (regenerate with `python -m tests.golden "
        f"--update` only if the change is intended); first:\n"
        f"now:    {now[diff].head(3).to_dict('records')}\n"
        f"stored: {stored[diff].head(3).to_dict('records')}"
    )
