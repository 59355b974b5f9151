"""The cyclic garbage collector during a build: what was loaded is frozen, full collections are off
and young ones rare while the output stage runs (full ones walked every record and every manifest
entry again and again: 3 s of a 100k rebuild's build process), and the caller gets the collector back
as it was, whether the build wrote, had nothing to do or failed."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from modelatlas.errors import ModelatlasError
from modelatlas.render import build
from modelatlas.render.build import NO_FULL_COLLECTIONS, YOUNG_OBJECTS, assemble
from tests.paths import FIXTURES

SITE = FIXTURES / "site"


def _collector() -> tuple[bool, tuple[int, int, int], int]:
    return gc.isenabled(), gc.get_threshold(), gc.get_freeze_count()


@pytest.fixture
def stage_seen(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[bool, tuple[int, int, int], int]]]:
    """The collector's state each time the output stage starts."""
    seen: list[tuple[bool, tuple[int, int, int], int]] = []
    real = build.sync_output

    def sync_output(*args: Any, **kwargs: Any) -> Any:
        seen.append(_collector())
        return real(*args, **kwargs)

    monkeypatch.setattr(build, "sync_output", sync_output)
    yield seen


def test_the_output_stage_runs_young_collections_only_over_what_was_not_loaded(
    tmp_path: Path, stage_seen: list[tuple[bool, tuple[int, int, int], int]]
) -> None:
    before = _collector()
    assemble(SITE, tmp_path / "out")
    [(enabled, threshold, frozen)] = stage_seen
    assert enabled and threshold == (YOUNG_OBJECTS, before[1][1], NO_FULL_COLLECTIONS)
    assert frozen > before[2] + 10_000  # the catalog, the manifest and the renderers, at least
    assert _collector() == before


def test_the_collector_is_given_back_after_a_no_op_and_after_a_failed_stage(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stage_seen: list[tuple[bool, tuple[int, int, int], int]]
) -> None:
    out = tmp_path / "out"
    assemble(SITE, out)
    before = _collector()
    assemble(SITE, out)  # no-op: returns before the stage
    assert _collector() == before and len(stage_seen) == 1

    def broken(*_args: Any, **_kwargs: Any) -> Any:
        raise ModelatlasError("a renderer failed")

    monkeypatch.setattr(build, "renderers", lambda _names: [type("Broken", (), {"render": broken})])
    with pytest.raises(ModelatlasError, match="a renderer failed"):
        assemble(SITE, out, page_size=7)  # another page size: a real build, not a no-op
    assert len(stage_seen) == 2 and _collector() == before


def test_what_the_stage_made_is_not_walked_by_a_young_collection_once_it_ends() -> None:
    """The stage's caches live until the build ends: given the collector back, their first allocation
    after must not start a young collection of all of them (the end of every build)."""
    before = _collector()
    kept: list[list[int]] = []
    with build.kept_out_of_collections():
        kept.extend([n] for n in range(20_000))
    assert _collector() == before and gc.get_count()[0] < 10
    oldest = {id(item) for item in gc.get_objects(generation=2)}
    assert all(id(item) in oldest for item in kept[::1000])
