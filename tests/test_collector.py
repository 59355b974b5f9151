"""The cyclic collector paused for a block: off inside, as it was after, even when the block raises."""

from __future__ import annotations

import gc

import pytest

from modelatlas.collector import gc_paused


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
