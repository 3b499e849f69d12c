"""Hand-built test datasets made as :meth:`Dataset.from_tables` makes them, the absent tables
copied from one typed empty table per name instead of typed again from nothing.

A case names one to three of the 903 tables; ``Dataset.from_tables`` types every other table
from an empty frame each time (about 15 ms a table, 0.17 s a dataset), which was most of the
time of the validation-rule and case-table tests. The Dataset is the same, table for table
(values, dtypes, text storage, column order, table order): ``tests/test_typed_dataset.py``
compares it with ``Dataset.from_tables`` on the builders' cases.
"""

from __future__ import annotations

import functools

import pandas as pd

from cppanalytics.ssda903.dataset import TABLES, Dataset, coerce_table, empty_table
from cppanalytics.string_storage import with_python_strings


@functools.cache
def _empty(name: str, storage: str) -> pd.DataFrame:
    """``empty_table(name)`` as built with ``mode.string_storage`` = ``storage`` (kept once)."""
    with pd.option_context("mode.string_storage", storage):
        return empty_table(name)


@with_python_strings
def from_tables(tables: dict[str, pd.DataFrame], la_code: str | None = None) -> Dataset:
    """``Dataset.from_tables(tables, la_code)``, the absent tables being copies of a typed
    empty table kept per table name.

    Parameters
    ----------
    tables
        table name -> raw (text) or typed frame, as for ``Dataset.from_tables``.
    la_code
        the council's code, if any.

    Returns
    -------
    Dataset
        equal to ``Dataset.from_tables(tables, la_code=la_code)``.

    Examples
    --------
    >>> ds = from_tables({"header": pd.DataFrame({"CHILD": ["1"], "DOB": ["01/06/2010"]})})
    >>> ds.header["DOB"].tolist(), len(ds.episodes), list(ds.tables)[:2]
    ([Timestamp('2010-06-01 00:00:00')], 0, ['header', 'episodes'])
    """
    if set(tables) - set(TABLES):
        return Dataset.from_tables(tables, la_code=la_code)  # its KeyError names them
    typed = {name: coerce_table(name, frame) for name, frame in tables.items()}
    storage = pd.get_option("mode.string_storage")
    for name in TABLES:
        if typed.get(name) is None:
            typed[name] = _empty(name, storage).copy(deep=True)
    return Dataset(tables=typed, la_code=la_code)
