"""What the site shows of a canonical model: its page's tables and the summary on model pages.

Offerings are ranked for a buyer by what one usage costs at each (the first preset of
:mod:`modelatlas.cost.presets` that applies: a chat turn for a chat model; the page's form changes
it, and ``static/canonical.js`` ranks again with the same rules): listed pay-per-use offerings that
can price it, cheapest first; then free tiers, batch-only and subscription ids (marked); then the
offerings that cannot price it, each with the reason. Ties by id. Retired and unverified offerings
are listed apart, marked, in a section that is closed by default. Region, service-tier and
long-context prices are a second table with one row per offering, region and tier, none repeated.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from modelatlas.cost.errors import CostError
from modelatlas.cost.presets import Preset
from modelatlas.cost.pricing import price_book_usage
from modelatlas.cost.result import Cost
from modelatlas.cost.sheet import PriceBook, price_book
from modelatlas.record import Record
from modelatlas.render.canonical_view import Group
from modelatlas.render.offering_view import listing_of, offering_code, rank_key
from modelatlas.render.price_table import TOKEN_KEYS, tier_rows
from modelatlas.render.price_view import exact_money, money
from modelatlas.render.site_index import row_view
from modelatlas.render.site_paths import canonical_page
from modelatlas.render.usage_form import REASONS, FactsOf, UsageForm, book_facts, form_for, reason, summary

ZERO = Decimal(0)


@dataclass(frozen=True)
class Priced:
    """An offering and what the page's usage costs there (``cost`` None: ``reason`` says why not)."""

    record: Record
    cost: Cost | None
    reason: str

    def key(self) -> tuple[int, bool, Decimal, str]:
        """Hidden last; then pay-per-use that can price the usage, free tiers, batch-only and
        subscription ids, pay-per-use that cannot; by total within each, then by id."""
        if listing_of(self.record).hidden:
            group = 3
        else:
            group = 1 if offering_code(self.record) else 0 if self.cost is not None else 2
        total = self.cost.total if self.cost is not None else ZERO
        return group, self.cost is None, total, self.record["id"]


@dataclass(frozen=True)
class Offerings:
    shown: list[dict[str, Any]]  # row views, ranked, each with its "cost" cell
    hidden: list[dict[str, Any]]  # retired and unverified, marked
    tiers: list[dict[str, Any]]  # region / tier / long-context rows of the shown offerings
    form: UsageForm


def book_of(record: Record) -> PriceBook | None:
    try:
        return price_book(record)
    except CostError:
        return None


def _priced(record: Record, book: PriceBook | None, preset: Preset | None) -> Priced:
    if preset is None or book is None:
        return Priced(record, None, REASONS["no_prices"] if book is None else REASONS["empty"])
    try:
        return Priced(record, price_book_usage(book, preset.usage, tier=preset.tier), "")
    except CostError as error:
        return Priced(record, None, reason(error))


BookOf = Callable[[Record], PriceBook | None]


Pricing = tuple[list[Priced], UsageForm]  # the ranked offerings and the usage form


def pricing(group: Group, book_for: BookOf = book_of, facts: FactsOf = book_facts) -> Pricing:
    """The offerings ranked by the default usage's cost, and the page's usage form (``book_for``,
    ``facts``: a record's price book and its usage fields and presets, made here or kept by the caller)."""
    books = [(book, record) for record in group.offerings if (book := book_for(record)) is not None]
    live = [(book, record) for book, record in books if not listing_of(record).hidden]
    on_demand = [(book, record) for book, record in live if not offering_code(record)]
    form = form_for("canonical", live or books, ranked=on_demand, facts=facts)
    by_id = {record["id"]: book for book, record in books}
    priced = [_priced(record, by_id.get(record["id"]), form.default) for record in group.offerings]
    if form.default is None:  # nothing can be priced: the prices' order
        return sorted(priced, key=lambda item: rank_key(item.record)), form
    return sorted(priced, key=Priced.key), form


def ranked(priced: Pricing) -> list[Record]:
    """The offerings in the order of :func:`pricing`."""
    return [item.record for item in priced[0]]


def cost_cell(item: Priced, preset: Preset | None) -> dict[str, str]:
    """The "cost of this usage" cell: the rounded total (exact on hover), or why there is none."""
    if item.cost is None:
        return {"text": "–", "exact": "", "title": item.reason or "unknown", "reason": item.reason}
    total = item.cost.total_string
    said = f" for {preset.label.lower()} ({summary(preset)})" if preset is not None else ""
    title = f"exactly {exact_money(total)}{said}"
    return {"text": money(total), "exact": total, "title": title, "reason": ""}


def _tier_view(record: Record, view: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "id": view["id"],
            "href": view["href"],
            "provider": view["provider"],
            "provider_name": view["provider_name"],
            "upstream_id": view["upstream_id"],
            "region": row.region,
            "tier": row.tier,
            "context": row.context,
            "cells": [row.cells[key] for key in TOKEN_KEYS],
            "sources": row.sources,
        }
        for row in tier_rows(record)
    ]


def offerings(priced: Pricing, row_for: Callable[[Record], dict[str, Any]] = row_view) -> Offerings:
    """The canonical page's tables from its :func:`pricing` (``row_for``: a record's row, made here or
    kept by the caller)."""
    shown, hidden, tiers = [], [], []
    items, form = priced
    for item in items:
        view = {**row_for(item.record), "cost": cost_cell(item, form.default)}
        if listing_of(item.record).hidden:
            hidden.append(view)
            continue
        shown.append(view)
        tiers.extend(_tier_view(item.record, view))
    return Offerings(shown, hidden, tiers, form)


def page_summary(group: Group) -> dict[str, Any]:
    """What a model page shows about its canonical model (and what its page key depends on)."""
    return {
        "slug": group.slug,
        "name": group.name,
        "href": canonical_page(group.slug),
        "provider_count": len(group.providers),
        "offering_count": sum(1 for record in group.offerings if not listing_of(record).hidden),
        "hidden_count": sum(1 for record in group.offerings if listing_of(record).hidden),
    }
