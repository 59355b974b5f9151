"""Each record's table row, price book and usage facts, and each canonical model's pricing, made once
per rendering process for every page that shows them (catalogs of up to :data:`RECORDS_KEPT` records).

A model's row (:func:`~modelatlas.render.site_index.row_view`) is in the home, browse and provider
tables, on its own page, on the pages of its canonical model's other offerings and on its canonical
page; its price book (:func:`~modelatlas.render.canonical_page.book_of`) prices its page's usage form,
ranks its canonical model and prices its canonical page. Both are pure functions of the record, which
renderers never change, so the pages share one of each. Pages ask for them in id order and then by
canonical model, across the whole catalog, so only keeping every record's pays (about 4 KB a
record); a bigger catalog makes them for each page as it asks, and its memory stays flat.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from modelatlas.cost.components import Billing
from modelatlas.cost.presets import Preset
from modelatlas.cost.sheet import PriceBook
from modelatlas.record import Record
from modelatlas.render import canonical_page
from modelatlas.render.by_object import ByObject
from modelatlas.render.canonical_page import Pricing, book_of
from modelatlas.render.canonical_view import Group
from modelatlas.render.site_index import row_view
from modelatlas.render.usage_form import book_facts

RECORDS_KEPT = 4096  # the committed snapshot has about 2,400 records


class RecordViews:
    """One site's rows and price books (read-only: every page that gets one shares it); kept only
    for a catalog of at most :data:`RECORDS_KEPT` records."""

    def __init__(self, records: int) -> None:
        kept = records <= RECORDS_KEPT
        self.row: Callable[[Record], dict[str, Any]] = ByObject(row_view) if kept else row_view
        self.book: Callable[[Record], PriceBook | None] = ByObject(book_of) if kept else book_of
        self.kept = kept
        self._facts: dict[int, tuple[dict[str, Billing], list[Preset]]] = {}

    def facts(self, book: PriceBook, record: Record) -> tuple[dict[str, Billing], list[Preset]]:
        """``record``'s usage fields and presets (:func:`~modelatlas.render.usage_form.book_facts`);
        ``book`` is its price book. They rank its canonical model and make its page's form and its
        canonical page's."""
        if not self.kept:
            return book_facts(book, record)
        found = self._facts.get(id(record))
        if found is None:
            found = self._facts[id(record)] = book_facts(book, record)
        return found


class CanonicalViews:
    """A canonical model's pricing (its offerings ranked, its usage form), ranking and summary for the
    pages that show them: its own page and each of its offerings' pages. The ranking is kept at any
    size, as it always was; the pricing and the summary only where ``views`` keeps records' views."""

    def __init__(self, views: RecordViews) -> None:
        self.views = views
        self.rankings: dict[str, list[Record]] = {}
        self.pricings: dict[str, Pricing] = {}
        self.summaries: dict[str, dict[str, Any]] = {}

    def pricing(self, group: Group) -> Pricing:
        found = self.pricings.get(group.slug)
        if found is None:
            found = canonical_page.pricing(group, self.views.book, self.views.facts)
            if self.views.kept:
                self.pricings[group.slug] = found
        return found

    def ranked(self, group: Group) -> list[Record]:
        if group.slug not in self.rankings:
            self.rankings[group.slug] = canonical_page.ranked(self.pricing(group))
        return self.rankings[group.slug]

    def summary(self, group: Group) -> dict[str, Any]:
        found = self.summaries.get(group.slug)
        if found is None:
            found = canonical_page.page_summary(group)
            if self.views.kept:
                self.summaries[group.slug] = found
        return found
