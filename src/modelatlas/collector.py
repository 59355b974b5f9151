"""The cyclic garbage collector, paused where a process makes many objects and no garbage cycles."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """Cyclic GC off while a big document is parsed (and, where it is dropped right after, checked):
    parsing creates only acyclic containers, yet each few hundred of them trigger a collection that
    walks the growing tree (~20% of the parse time); freed by reference counting, they never need it."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@contextmanager
def kept_unexamined() -> Iterator[None]:
    """Collections off while the block makes objects that live as long as the process (a command's
    modules), which then join the oldest generation unexamined (frozen, then unfrozen): collected as
    they were made, they cost 64 young collections, 17 ms of the build command's imports, and
    paused, one young collection of all of them (15 ms) on the first allocation after. Where objects
    are frozen already (unfreezing would release them too), the collector is only paused."""
    frozen = gc.get_freeze_count()
    with gc_paused():
        try:
            yield
        finally:
            if not frozen:
                into_oldest_generation()


def into_oldest_generation() -> None:
    """Every object the collector tracks (frozen ones too, which are let go) moved into its oldest
    generation without a collection examining any: frozen, then unfrozen. A young collection would
    only walk them to promote them, and the next allocation starts none."""
    gc.freeze()
    gc.unfreeze()
