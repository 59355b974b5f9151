"""Each record's table row and price book, made once per rendering process for every page that shows
them.

A model's row (:func:`~modelatlas.render.site_index.row_view`) is in the home, browse and provider
tables, on its own page, on the pages of its canonical model's other offerings and on its canonical
page; its price book (:func:`~modelatlas.render.canonical_page.book_of`) prices its page's usage form,
ranks its canonical model and prices its canonical page. Both are pure functions of the record, which
renderers never change, so the pages share one of each. The last :data:`RECORDS_KEPT` records asked
for are kept (pages ask in id order, and a canonical model's offerings soon after): a 100k-model
build's memory stays flat.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

from modelatlas.cost.sheet import PriceBook
from modelatlas.record import Record
from modelatlas.render.canonical_page import book_of
from modelatlas.render.site_index import row_view

RECORDS_KEPT = 4096
T = TypeVar("T")


class _Kept(Generic[T]):
    """``make(record)``, remembered for the last :data:`RECORDS_KEPT` records (by identity: the
    catalog's records live as long as the pages rendered from it)."""

    def __init__(self, make: Callable[[Record], T]) -> None:
        self.make = make
        self.kept: dict[int, T] = {}

    def __call__(self, record: Record) -> T:
        key = id(record)
        if key in self.kept:
            return self.kept[key]
        value = self.kept[key] = self.make(record)
        if len(self.kept) > RECORDS_KEPT:
            del self.kept[next(iter(self.kept))]  # the first kept
        return value


class RecordViews:
    """One site's rows and price books (read-only: every page that gets one shares it)."""

    def __init__(self) -> None:
        self.row: Callable[[Record], dict[str, Any]] = _Kept(row_view)
        self.book: Callable[[Record], PriceBook | None] = _Kept(book_of)
