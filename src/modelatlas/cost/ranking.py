"""``cheapest``: every live offering of one canonical model, ranked by what one usage costs there.

Offerings are the records whose ``canonical_slug`` or ``modelatlas.family`` is the slug asked for:
both are set when the catalog is built (``canonical/``), so this reads a built folder or a published
build, not the bare data folder. Each offering is priced at its standard price and at each of its
region and service-tier variants; rows are sorted by total (then id, region, tier).

Left out unless asked for (:class:`Include`): free tiers (``offering: free_tier`` and OpenRouter's
``:free`` ids), batch (``offering: batch`` ids and batch-tier variants), subscriptions, and
offerings whose lifecycle status is retired, removed or unverified. Offerings that cannot price the
usage (a price unknown, a component not billed) are listed apart with the reason.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from modelatlas.cost.catalog import Prices, Record
from modelatlas.cost.errors import UnknownModelError, UnpricedError
from modelatlas.cost.result import Cost
from modelatlas.cost.sheet import variant_label
from modelatlas.cost.usage import Usage


class Include(enum.Enum):
    """Kinds of offering a ranking leaves out unless asked for."""

    FREE = "free"
    BATCH = "batch"
    SUBSCRIPTION = "subscription"
    SELF_HOSTED = "self_hosted"
    RETIRED = "retired"
    REMOVED = "removed"
    UNVERIFIED = "unverified"


OFFERING_KINDS = {
    "free_tier": Include.FREE,
    "batch": Include.BATCH,
    "subscription": Include.SUBSCRIPTION,
    "self_hosted": Include.SELF_HOSTED,
}
STATUS_KINDS = {"retired": Include.RETIRED, "removed": Include.REMOVED, "unverified": Include.UNVERIFIED}


@dataclass(frozen=True)
class Unpriceable:
    model: str
    region: str | None
    tier: str | None
    reason: str

    def as_json(self) -> dict[str, Any]:
        return {"model": self.model, "reason": self.reason, "region": self.region, "tier": self.tier}


@dataclass
class Ranking:
    slug: str
    usage: Usage
    offers: list[Cost] = field(default_factory=list)
    unpriced: list[Unpriceable] = field(default_factory=list)
    excluded: dict[str, Include] = field(default_factory=dict)  # model id (or "id, tier batch") -> why

    def as_json(self) -> dict[str, Any]:
        return {
            "currency": "USD",
            "excluded": [{"model": key, "reason": why.value} for key, why in sorted(self.excluded.items())],
            "model": self.slug,
            "offers": [offer.as_json() for offer in self.offers],
            "unpriced": [item.as_json() for item in self.unpriced],
            "usage": self.usage.as_dict(),
        }


def _kind(record: Record) -> Include | None:
    """Why a record is left out by default (None: it is a live, pay-per-use offering)."""
    extension = record.get("modelatlas") if isinstance(record.get("modelatlas"), dict) else {}
    offering = OFFERING_KINDS.get(extension.get("offering"))
    if offering is not None:
        return offering
    if str(record.get("id", "")).endswith(":free"):
        return Include.FREE
    lifecycle = extension.get("lifecycle") if isinstance(extension.get("lifecycle"), dict) else {}
    return STATUS_KINDS.get(lifecycle.get("status"))


def offerings(prices: Prices, slug: str) -> list[Record]:
    """The records of one canonical model (its ``canonical_slug`` or ``modelatlas.family``)."""
    found = []
    for record in prices.records():
        extension = record.get("modelatlas") if isinstance(record.get("modelatlas"), dict) else {}
        if slug in (record.get("canonical_slug"), extension.get("family")):
            found.append(record)
    return found


def cheapest(
    prices: Prices, slug: str, usage: Usage, *, include: Iterable[Include] = (), cache_ttl: str | None = None
) -> Ranking:
    """Rank the offerings of ``slug`` by the cost of ``usage`` (see the module doc)."""
    wanted = frozenset(include)
    records = offerings(prices, slug)
    if not records:
        raise UnknownModelError(
            f"no offering of {slug!r} in {prices.source}: canonical slugs (vendor/model, e.g. "
            "openai/gpt-oss-120b) are set by 'modelatlas build'; pass a built folder or URL"
        )
    ranking = Ranking(slug, usage)
    for record in records:
        record_id = str(record["id"])
        kind = _kind(record)
        if kind is not None and kind not in wanted:
            ranking.excluded[record_id] = kind
            continue
        try:
            book = prices.book(record_id)
        except UnpricedError as exc:
            ranking.unpriced.append(Unpriceable(record_id, None, None, exc.message))
            continue
        choices = [(None, None)]
        for sheet in book.variants:
            if (sheet.region, sheet.tier) not in choices:
                choices.append((sheet.region, sheet.tier))
        for region, tier in choices:
            if tier == Include.BATCH.value and Include.BATCH not in wanted:
                ranking.excluded[f"{record_id} ({variant_label(region, tier)})"] = Include.BATCH
                continue
            try:
                ranking.offers.append(
                    prices.cost(record_id, usage, region=region, tier=tier, cache_ttl=cache_ttl)
                )
            except UnpricedError as exc:
                ranking.unpriced.append(Unpriceable(record_id, region, tier, exc.message))
    ranking.offers.sort(key=lambda c: (c.total, c.model, c.region or "", c.tier or ""))
    return ranking
