"""Canonical models as the JSON files and pages show them: one group per ``canonical_slug`` holding
every listed record linked to it (``modelatlas.family`` set), offerings sorted by price.

An offering's order: live pay-per-use offerings first (then free tiers, batch-only ids,
subscriptions and self-hosted models, then retired and unverified ones), each by prompt price, then
completion price (unknown prices last), then record id. "Cheapest" considers live pay-per-use
offerings only: a free tier, a batch id, a subscription or a retired model is no price to compare.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import Any

from modelatlas.canonical.vocabulary import model_name, reference_provider
from modelatlas.fetch.providers import registry
from modelatlas.fetch.providers.declaration import Provider
from modelatlas.filenames import model_filename
from modelatlas.render.offering_view import is_on_demand, rank_key

Record = dict[str, Any]
UNKNOWN = Decimal("Infinity")


@dataclass(frozen=True)
class Group:
    """One canonical model: its offerings (never changed once grouped, so what is made of them is
    made once: every page and file that shows the model asks for its name and providers)."""

    slug: str
    family: str
    offerings: list[Record]
    snapshots: list[str]  # every canonical slug of the same family, this one included

    @cached_property
    def providers(self) -> list[str]:
        return sorted({record["modelatlas"]["provider"] for record in self.offerings})

    @property
    def owned_by(self) -> str:
        return self.slug.split("/", 1)[0]

    @cached_property
    def name(self) -> str:
        """A display name: the reference list's (without its ``Vendor: `` prefix) for an untagged id,
        else the maker's own list's (Mistral names Mistral's models, not the GLM it also serves), else
        another provider's, else a tagged reference id's (``... (free)``)."""
        named = [record for record in self.offerings if isinstance(record.get("name"), str)]
        if not named:
            return str(self.offerings[0]["modelatlas"]["upstream_id"])
        reference = reference_provider()
        best = min(named, key=lambda record: (_name_rank(record, reference, self.owned_by), record["id"]))
        name = str(best["name"])
        if reference is None or best["modelatlas"]["provider"] != reference.id:
            return name
        return model_name(reference, name, best["modelatlas"]["upstream_id"])


def _name_rank(record: Record, reference: Provider | None, maker: str) -> int:
    provider = record["modelatlas"]["provider"]
    if reference is not None and provider == reference.id:
        tag = reference.name_reading.variant_tag
        return 3 if tag is not None and tag.separator in record["modelatlas"]["upstream_id"] else 0
    declared = registry.declared(provider)
    return 1 if maker in (declared.vendor, declared.house_vendor) else 2


def slug_stem(slug: str) -> str:
    """``<vendor>/<file stem>`` of a slug: each part made a safe file name."""
    vendor, _, model = slug.partition("/")
    return f"{model_filename(vendor)}/{model_filename(model)}"


def price(record: Record, field: str) -> Decimal:
    value = record.get("pricing", {}).get(field)
    return Decimal(value) if isinstance(value, str) else UNKNOWN


def cheapest(offerings: Iterable[Record], field: str, *, include_all: bool = False) -> Record | None:
    """The pay-per-use, listed offering with the lowest known ``pricing.<field>`` (ties: lowest id),
    None if none is known: free tiers, batch-only, subscription and self-hosted ids and retired or
    unverified ones never count as the cheapest (docs/pricing.md, "Offerings") unless
    ``include_all`` asks to compare every offering."""
    best: tuple[Decimal, str] | None = None
    found = None
    for record in offerings:
        if include_all or is_on_demand(record):
            key = (price(record, field), record["id"])
            if key[0] != UNKNOWN and (best is None or key < best):
                best, found = key, record
    return found


def is_listed(record: Record) -> bool:
    return record["modelatlas"].get("lifecycle", {}).get("status") != "removed"


def linked_slug(record: Record) -> str | None:
    """The canonical slug of a record the matcher linked (it set ``modelatlas.family``), else None."""
    slug = record.get("canonical_slug")
    return slug if "family" in record["modelatlas"] and isinstance(slug, str) else None


def group_models(models: Iterable[Record]) -> tuple[Group, ...]:
    """Every canonical model with at least one listed offering, sorted by slug.

    The build computes this once, when it makes the catalog (:attr:`Catalog.groups
    <modelatlas.render.catalog.Catalog.groups>`); renderers read that.
    """
    by_slug: dict[str, list[Record]] = {}
    snapshots: dict[str, set[str]] = {}
    for record in models:
        slug = linked_slug(record)
        if slug is None or not is_listed(record):
            continue
        by_slug.setdefault(slug, []).append(record)
        snapshots.setdefault(record["modelatlas"]["family"], set()).add(slug)
    result = []
    for slug in sorted(by_slug):
        offerings = sorted(by_slug[slug], key=rank_key)
        family = offerings[0]["modelatlas"]["family"]
        result.append(Group(slug, family, offerings, sorted(snapshots[family])))
    return tuple(result)
