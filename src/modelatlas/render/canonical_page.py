"""What the site shows of a canonical model: its page's tables and the summary on model pages.

Offerings are ranked for a buyer (:func:`~modelatlas.render.offering_view.rank_key`): listed
pay-per-use offerings with a known price first, cheapest prompt price first; then free tiers,
batch-only and subscription ids (marked); then unknown prices. Retired and unverified offerings are
listed apart, marked, in a section that is closed by default. Region, service-tier and long-context
prices are a second table with one row per offering, region and tier, none repeated.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from modelatlas.record import Record
from modelatlas.render.canonical_view import Group
from modelatlas.render.offering_view import listing_of, rank_key
from modelatlas.render.price_table import TOKEN_KEYS, tier_rows
from modelatlas.render.site_index import row_view
from modelatlas.render.site_paths import canonical_page


@dataclass(frozen=True)
class Offerings:
    shown: list[dict[str, Any]]  # row views, ranked
    hidden: list[dict[str, Any]]  # retired and unverified, marked
    tiers: list[dict[str, Any]]  # region / tier / long-context rows of the shown offerings


def ranked(group: Group) -> list[Record]:
    return sorted(group.offerings, key=rank_key)


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


def offerings(group: Group) -> Offerings:
    shown, hidden, tiers = [], [], []
    for record in ranked(group):
        view = row_view(record)
        if listing_of(record).hidden:
            hidden.append(view)
            continue
        shown.append(view)
        tiers.extend(_tier_view(record, view))
    return Offerings(shown, hidden, tiers)


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
