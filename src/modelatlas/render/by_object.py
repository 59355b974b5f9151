"""A pure function of an object, made once per object met, by the object's identity.

The parser and the build make equal price sheets, architectures and capability maps one shared
object, and the renderers never change the catalog's records or objects: so what is made of one
(a record's table row and price book, a price sheet's per-1M prices) is made once per object, not
once per record or page that shows it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

K = TypeVar("K")
T = TypeVar("T")


class ByObject(Generic[K, T]):
    """``make(value)``, kept by the identity of ``value``. Each entry holds its object, so no id is
    reused while the memo lives."""

    def __init__(self, make: Callable[[K], T]) -> None:
        self._make = make
        self._made: dict[int, tuple[K, T]] = {}

    def __call__(self, value: K) -> T:
        found = self._made.get(id(value))
        if found is None:
            found = self._made[id(value)] = (value, self._make(value))
        return found[1]
