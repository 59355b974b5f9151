"""Canonical models as the JSON files and pages show them: one group per ``canonical_slug`` holding
every listed record linked to it (``modelatlas.family`` set), offerings sorted by price.

An offering's order: prompt price, then completion price (unknown prices last), then record id.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from modelatlas.filenames import model_filename
from modelatlas.render.catalog import Catalog

Record = dict[str, Any]
UNKNOWN = Decimal("Infinity")
FIRST_PARTY_PROVIDERS = ("anthropic", "openai", "gemini", "mistral", "cohere", "elevenlabs")


@dataclass(frozen=True)
class Group:
    slug: str
    family: str
    offerings: list[Record]
    snapshots: list[str]  # every canonical slug of the same family, this one included

    @property
    def providers(self) -> list[str]:
        return sorted({record["modelatlas"]["provider"] for record in self.offerings})

    @property
    def owned_by(self) -> str:
        return self.slug.split("/", 1)[0]

    @property
    def name(self) -> str:
        """OpenRouter's name (without its ``Vendor: `` prefix; the untagged id before ``:free``
        variants), else the vendor's own name if the vendor lists it, else the first offering's."""
        by_id = sorted(self.offerings, key=lambda record: (":" in record["id"], record["id"]))
        for provider in ("openrouter", *FIRST_PARTY_PROVIDERS):
            for record in by_id:
                name = record.get("name")
                if record["modelatlas"]["provider"] == provider and isinstance(name, str):
                    return name.split(": ", 1)[1] if provider == "openrouter" and ": " in name else name
        first = self.offerings[0]
        return str(first.get("name") or first["modelatlas"]["upstream_id"])


def slug_stem(slug: str) -> str:
    """``<vendor>/<file stem>`` of a slug: each part made a safe file name."""
    vendor, _, model = slug.partition("/")
    return f"{model_filename(vendor)}/{model_filename(model)}"


def price(record: Record, field: str) -> Decimal:
    value = record.get("pricing", {}).get(field)
    return Decimal(value) if isinstance(value, str) else UNKNOWN


def offering_order(record: Record) -> tuple[Decimal, Decimal, str]:
    return price(record, "prompt"), price(record, "completion"), record["id"]


def cheapest(offerings: Iterable[Record], field: str) -> Record | None:
    """The offering with the lowest known ``pricing.<field>`` (ties: lowest id), None if none is known."""
    known = [record for record in offerings if price(record, field) != UNKNOWN]
    return min(known, key=lambda record: (price(record, field), record["id"]), default=None)


def is_listed(record: Record) -> bool:
    return record["modelatlas"].get("lifecycle", {}).get("status") != "removed"


def groups(catalog: Catalog) -> list[Group]:
    """Every canonical model with at least one listed offering, sorted by slug."""
    by_slug: dict[str, list[Record]] = {}
    snapshots: dict[str, set[str]] = {}
    for record in catalog.models:
        family = record["modelatlas"].get("family")
        if family is None or not is_listed(record):
            continue
        by_slug.setdefault(record["canonical_slug"], []).append(record)
        snapshots.setdefault(family, set()).add(record["canonical_slug"])
    result = []
    for slug in sorted(by_slug):
        offerings = sorted(by_slug[slug], key=offering_order)
        family = offerings[0]["modelatlas"]["family"]
        result.append(Group(slug, family, offerings, sorted(snapshots[family])))
    return result
