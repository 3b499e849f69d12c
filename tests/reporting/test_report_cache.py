"""A report loads its extract through the load cache, so a batch of quarters loads once."""

from __future__ import annotations

from pathlib import Path

import pytest

from cppanalytics import pipeline
from cppanalytics.ssda903 import cache


class _Stop(Exception):
    pass


def test_report_loads_through_the_cache(monkeypatch: pytest.MonkeyPatch, demo_data: Path) -> None:
    seen: list[tuple[object, object]] = []

    def fake(paths: object, la_code: object = None, **_: object) -> object:
        seen.append((paths, la_code))
        raise _Stop

    monkeypatch.setattr(cache, "load_cached", fake)
    monkeypatch.setattr(pipeline, "_CACHE", {})
    with pytest.raises(_Stop):
        pipeline.build_report_data(
            council_name="Ouzel Vale Council (synthetic)",
            la_code="E06000042",
            period_end="2026-09-30",
            data_dir=str(demo_data),
            mode="internal",
            synthetic=True,
        )
    assert len(seen) == 1
    paths, la_code = seen[0]
    assert [Path(p).resolve() for p in paths] == [demo_data.resolve()]  # type: ignore[attr-defined]
    assert la_code == "E06000042"
