"""The context's integer codes of children against the plain definitions (pandas'
factorisation of the prepared episodes' CHILD, a look-up by value) on hand-built cases."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cppanalytics.indicators.context import Context
from cppanalytics.ssda903.dataset import Dataset
from tests.care.build import dataset, ep


def _mixed() -> Dataset:
    return dataset(
        [
            ep("b", "01/01/2023", "01/02/2023", "X1"),
            ep("b", "01/02/2023", rne="P"),  # same-day chain
            ep("Ä", "01/02/2023"),  # non-ASCII
            ep("a", "01/06/2022", "01/01/2023", "E4A"),
            ep("a", "01/03/2023"),  # re-entry
            ep("s", "01/03/2023", ls="V3"),  # short breaks only: no prepared episode
            ep("10", "01/03/2023"),
            ep("9", "01/03/2023"),
        ]
    )


@pytest.mark.parametrize("data", [_mixed, lambda: dataset([ep("A", "01/01/2023")]), Dataset])
def test_episode_child_codes_are_pandas_factorisation(data) -> None:
    ctx = Context(data(), "2024-03-31")
    codes, children = ctx.episode_child_codes()
    plain_codes, plain_children = pd.factorize(ctx.episodes["CHILD"].to_numpy(dtype=object))
    assert codes.tolist() == plain_codes.tolist()
    assert children.tolist() == list(plain_children)
    asked = pd.Series(["a", "s", None, "Ä", "zz", "b", "10"], dtype="string")
    expected = pd.Index(children, dtype=object).get_indexer(asked.to_numpy(dtype=object))
    assert ctx.child_codes(asked).tolist() == expected.tolist()
    assert ctx.child_codes(np.array([], dtype=object)).tolist() == []


def test_child_codes_of_the_children_looked_after() -> None:
    ctx = Context(_mixed(), "2024-03-31")
    codes, children = ctx.episode_child_codes()
    cla = ctx.cla_at()
    assert children[codes[ctx.cla_at_positions()]].tolist() == cla["CHILD"].tolist()
    assert sorted(cla["CHILD"]) == ["10", "9", "a", "b", "Ä"]


def test_child_codes_by_object_are_the_codes_by_value() -> None:
    ctx = Context(_mixed(), "2024-03-31")
    _, children = ctx.episode_child_codes()
    # the same text in distinct objects, the same object in many rows, NA, new children
    b1, b2 = "".join(["b"]), "".join(["", "b"])
    asked = np.array([b1, "new", b2, None, "Ä", b1, pd.NA, "new2", "new", "a", "s"], dtype=object)
    plain = pd.Index(children, dtype=object).get_indexer(asked)
    assert ctx.child_codes(asked).tolist() == plain.tolist()
    # new children numbered after the known ones, in order of first appearance
    k = len(children)
    assert ctx.child_codes(asked, new=True).tolist() == [
        *plain[:1],
        k,
        *plain[2:7],
        k + 1,
        k,
        *plain[9:10],
        k + 2,
    ]
    as_text = pd.Series(asked, dtype="string")
    assert ctx.child_codes(as_text).tolist() == plain.tolist()
    assert ctx.child_codes(asked[:1], new=True).tolist() == plain[:1].tolist()
