"""The cyclic collector paused for a block: off inside, as it was after, even when the block raises; and
what a block keeps for the process's life put with the oldest objects, unexamined."""

from __future__ import annotations

import gc

import pytest

from modelatlas.collector import gc_paused, kept_unexamined


def test_the_collector_is_off_inside_and_back_on_after_an_error() -> None:
    assert gc.isenabled()
    with pytest.raises(RuntimeError), gc_paused():
        assert not gc.isenabled()
        raise RuntimeError("the block fails")
    assert gc.isenabled()


def test_a_pause_inside_a_pause_leaves_the_collector_off_for_the_outer_block() -> None:
    with gc_paused():
        with gc_paused():
            pass
        assert not gc.isenabled()  # the inner block must not switch it back on
    assert gc.isenabled()


def test_a_command_is_imported_with_the_collector_paused(monkeypatch: pytest.MonkeyPatch) -> None:
    from modelatlas import cli

    seen: list[bool] = []
    real = cli.importlib.import_module

    def importing(name: str) -> object:
        seen.append(gc.isenabled())
        return real(name)

    monkeypatch.setattr(cli.importlib, "import_module", importing)
    assert cli.cli.get_command(None, "build") is not None  # type: ignore[arg-type]
    assert seen and not any(seen)  # the command module, and what it imports by name
    assert gc.isenabled()


def test_what_a_block_keeps_joins_the_oldest_generation_without_a_young_collection() -> None:
    collections: list[int] = []

    def seen(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            collections.append(info["generation"])

    kept: list[list[int]] = []
    gc.callbacks.append(seen)
    try:
        with kept_unexamined():
            assert not gc.isenabled()
            kept.extend([n] for n in range(20_000))  # 20,000 young containers, kept
        assert gc.isenabled() and gc.get_count()[0] < 10 and gc.get_freeze_count() == 0
        oldest = {id(item) for item in gc.get_objects(generation=2)}
        assert all(id(item) in oldest for item in kept[::1000])
        after = [[n] for n in range(100)]  # without the freeze, the first would start a collection
        assert len(after) == 100
    finally:
        gc.callbacks.remove(seen)
    assert collections == []


def test_objects_frozen_before_stay_frozen() -> None:
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with kept_unexamined():
            [[n] for n in range(100)]
        assert gc.get_freeze_count() == frozen and gc.isenabled()
    finally:
        gc.unfreeze()
