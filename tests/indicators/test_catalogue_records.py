"""The catalogue's records agree with the facts other modules hold about the same ids."""

from __future__ import annotations

from cppanalytics.indicators import catalogue
from cppanalytics.judgement.comparators import NO_DFE_FIGURE, load_comparators


def test_comparator_source_is_given_exactly_for_ids_with_published_figures() -> None:
    published = set(load_comparators()["indicator_id"])
    for iid, ind in catalogue.CATALOGUE.items():
        assert bool(ind.comparator) == (iid in published), iid
        if iid in NO_DFE_FIGURE:
            assert not ind.comparator, iid


def test_comparator_only_records_are_not_computed_and_have_figures() -> None:
    published = set(load_comparators()["indicator_id"])
    assert not set(catalogue.COMPARATOR_ONLY) & set(catalogue.CATALOGUE)
    assert set(catalogue.COMPARATOR_ONLY) <= published


def test_scorecard_rows_follow_the_records() -> None:
    rows = catalogue.scorecard_rows()
    assert rows[:2] == [("cla_count", "point"), ("cla_rate_per_10k", "point")]
    assert ("stability_3plus_placements", "r12") in rows
    assert ("stability_3plus_placements", "fytd") in rows
    assert all(kind in ("point", "fytd", "r12", "q", "r24", "r36") for _, kind in rows)
    assert len(rows) == len(set(rows))


def test_every_id_is_written_out_in_the_catalogue_source() -> None:
    source = open(catalogue.__file__, encoding="utf-8").read()
    for iid in [*catalogue.CATALOGUE, *catalogue.COMPARATOR_ONLY]:
        assert f'"{iid}"' in source, iid
