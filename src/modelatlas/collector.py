"""The cyclic garbage collector, paused where a process makes many objects and no garbage cycles."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """Cyclic GC off while a big document is parsed (and, where it is dropped right after, checked),
    or modules are imported: both create almost only acyclic containers, yet each few hundred of them
    trigger a collection that walks the growing tree (~20% of the parse time; 15 ms of the build
    command's 0.22 s of imports); freed by reference counting, they never need it."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
