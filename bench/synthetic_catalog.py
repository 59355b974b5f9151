"""Synthetic but realistic catalogs for the benchmarks: N models over the registered providers.

Record shapes and value distributions come from the committed snapshot (``data/providers/*.json``):
every synthetic record is a copy of a real record of the same provider (or, for a provider the
snapshot has no models for, of any provider) with a fresh unique id, a numbered name, and its
prices, limits and creation time re-drawn from the values the snapshot holds. Prices are drawn as
one real record's whole price set (with their provenance and disagreements) and the limits as one
record's window and limits together, so a synthetic record keeps the price contract
(docs/pricing.md) as the real ones do. Field sets, descriptions and nesting stay as the real
records have them.
Without a snapshot (a fresh tree before the first refresh) a small built-in set of records in the
schema's shapes stands in. Everything is a pure function of (size, seed, snapshot).
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from modelatlas.datastore import new_provider_doc, serialize_provider
from modelatlas.ids import provider_ids
from modelatlas.jsonio import loads

Record = dict[str, Any]

# Every provider gets at least this share of the models, so every provider appears at every size.
MIN_SHARE = 0.005
FIXED_REFRESH = "2026-01-01T00:00:00Z"
POOLED_INT_FIELDS = ("context_length", "max_input_tokens", "max_output_tokens", "created")
LIMIT_FIELDS = ("context_length", "max_input_tokens", "max_output_tokens")
# One record's standard prices, whole: pricing, extra_pricing, their provenance and their disagreements.
PriceSet = tuple[dict[str, str], dict[str, str], dict[str, str], dict[str, Any]]
PriceShape = tuple[str, tuple[str, ...], tuple[str, ...]]  # provider, pricing keys, extra_pricing keys


def _copy(value: Any) -> Any:
    """A deep copy of JSON-shaped data (dicts, lists, scalars); faster than copy.deepcopy."""
    if type(value) is dict:
        return {k: _copy(v) for k, v in value.items()}
    if type(value) is list:
        return [_copy(v) for v in value]
    return value


def _fallback_templates() -> list[Record]:
    """Records in the schema's shapes (bench/fallback_records.json), for a tree without a snapshot yet."""
    return loads((Path(__file__).parent / "fallback_records.json").read_bytes())


@dataclass(frozen=True)
class Snapshot:
    """What the generator draws from: template records per provider, value pools, provider weights."""

    templates: dict[str, list[Record]]
    price_pools: dict[PriceShape, list[PriceSet]]
    int_pools: dict[str, list[int]]
    limit_pools: dict[tuple[str, ...], list[dict[str, int]]]
    weights: dict[str, float]
    statuses: dict[str, dict[str, Any]]

    def templates_for(self, provider: str) -> list[Record]:
        return self.templates.get(provider) or self.templates["*"]


def load_snapshot(data_dir: Path | None) -> Snapshot:
    """Read the committed snapshot; fall back to built-in shapes where it has no models."""
    per_provider: dict[str, list[Record]] = {}
    statuses: dict[str, dict[str, Any]] = {}
    if data_dir is not None:
        for provider in provider_ids():
            path = data_dir / "providers" / f"{provider}.json"
            if path.is_file():
                doc = loads(path.read_bytes())
                statuses[provider] = doc.get("status", {})
                if doc.get("models"):
                    per_provider[provider] = doc["models"]
    everyone = [record for records in per_provider.values() for record in records]
    templates: dict[str, list[Record]] = dict(per_provider)
    # For a provider without models: records whose prices hold at any provider (a "0" stands only
    # where the provider itself states it, docs/pricing.md).
    templates["*"] = [r for r in everyone if not _has_zero(r)] or _fallback_templates()
    counts = {p: len(per_provider.get(p, ())) for p in provider_ids()}  # all 0 without a snapshot
    total = sum(counts.values()) or 1
    weights = {p: max(counts[p] / total, MIN_SHARE) for p in provider_ids()}
    return Snapshot(templates, *_value_pools(everyone or templates["*"]), weights, statuses)


def _has_zero(record: Record) -> bool:
    return any(not v.strip("0.") for v in record.get("pricing", {}).values())


def _shape(record: Record) -> PriceShape:
    extra = record["modelatlas"].get("extra_pricing", {})
    return (record["modelatlas"]["provider"], tuple(sorted(record.get("pricing", {}))), tuple(sorted(extra)))


def _price_paths(record: Record) -> set[str]:
    extra = record["modelatlas"].get("extra_pricing", {})
    paths = {f"pricing.{k}" for k in record.get("pricing", {})}
    return paths | {f"modelatlas.extra_pricing.{k}" for k in extra}


LimitPools = dict[tuple[str, ...], list[dict[str, int]]]


def _value_pools(
    records: Iterable[Record],
) -> tuple[dict[PriceShape, list[PriceSet]], dict[str, list[int]], LimitPools]:
    """Price sets by shape, limit sets by the fields they hold, each pooled integer field's values."""
    prices: dict[PriceShape, list[PriceSet]] = {}
    ints: dict[str, list[int]] = {f: [] for f in POOLED_INT_FIELDS}
    limits: LimitPools = {}
    for record in records:
        if record.get("pricing"):
            extension = record["modelatlas"]
            paths = _price_paths(record)
            provenance = {p: s for p, s in extension.get("provenance", {}).items() if p in paths}
            conflicts = {p: v for p, v in extension.get("conflicts", {}).items() if p in paths}
            drawn = (record["pricing"], extension.get("extra_pricing", {}), provenance, conflicts)
            prices.setdefault(_shape(record), []).append(drawn)
        for key in POOLED_INT_FIELDS:
            if key in record:
                ints[key].append(record[key])
        held = {f: record[f] for f in LIMIT_FIELDS if f in record}
        if held:
            limits.setdefault(tuple(sorted(held)), []).append(held)
    return prices, ints, limits


def provider_sizes(total: int, weights: dict[str, float]) -> dict[str, int]:
    """Split ``total`` models over the providers by weight (largest remainder), summing exactly to total."""
    weight_sum = sum(weights.values())
    exact = {p: total * w / weight_sum for p, w in weights.items()}
    sizes = {p: int(x) for p, x in exact.items()}
    by_remainder = sorted(weights, key=lambda p: (sizes[p] - exact[p], p))
    for provider in by_remainder[: total - sum(sizes.values())]:
        sizes[provider] += 1
    return sizes


def synthesize_record(
    template: Record, provider: str, serial: int, snap: Snapshot, rng: random.Random
) -> Record:
    """One synthetic model: the template's shape, a unique id, values re-drawn from the snapshot's pools."""
    record = _copy(template)
    old_upstream = template["modelatlas"]["upstream_id"]
    upstream = f"{old_upstream}-syn{serial:06d}"
    record["id"] = f"{provider}/{upstream}"
    extension = record["modelatlas"]
    extension["provider"] = provider
    extension["upstream_id"] = upstream
    extension.pop("links", None)
    if "canonical_slug" in record:
        record["canonical_slug"] = f"{record['canonical_slug']}-syn{serial:06d}"
    if "name" in record:
        record["name"] = f"{record['name']} #{serial}"
    if record.get("pricing") and snap.price_pools.get(_shape(template)):
        _draw_prices(record, rng.choice(snap.price_pools[_shape(template)]))
    held = tuple(sorted(f for f in LIMIT_FIELDS if f in record))
    if held:
        record.update(rng.choice(snap.limit_pools[held]))
    if "created" in record and snap.int_pools["created"]:
        record["created"] = rng.choice(snap.int_pools["created"])
    return record


def _draw_prices(record: Record, drawn: PriceSet) -> None:
    """Put one real record's price set (values, provenance, disagreements) in place of the template's."""
    pricing, extra, provenance, conflicts = drawn
    extension = record["modelatlas"]
    paths = _price_paths(record)
    record["pricing"] = _copy(pricing)
    if extra:
        extension["extra_pricing"] = _copy(extra)
    extension["provenance"] = {p: s for p, s in extension["provenance"].items() if p not in paths}
    extension["provenance"].update(provenance)
    kept = {p: v for p, v in extension.get("conflicts", {}).items() if p not in paths}
    kept.update(_copy(conflicts))
    if kept:
        extension["conflicts"] = kept
    else:
        extension.pop("conflicts", None)


def generate_catalog(total: int, seed: int, snap: Snapshot) -> dict[str, list[Record]]:
    """``total`` synthetic records over the 16 providers, keyed by provider, each list sorted by id."""
    rng = random.Random(seed)
    sizes = provider_sizes(total, snap.weights)
    catalog: dict[str, list[Record]] = {}
    serial = 0
    for provider in provider_ids():
        templates = snap.templates_for(provider)
        records = []
        for _ in range(sizes[provider]):
            records.append(synthesize_record(rng.choice(templates), provider, serial, snap, rng))
            serial += 1
        catalog[provider] = sorted(records, key=lambda r: r["id"])
    return catalog


def change_fraction(catalog: dict[str, list[Record]], fraction: float, seed: int) -> set[str]:
    """Reprice (or, without prices, rename) ``fraction`` of the models in place; returns the changed ids."""
    rng = random.Random(seed)
    everyone = [record for records in catalog.values() for record in records]
    count = max(1, round(len(everyone) * fraction)) if everyone else 0
    changed = rng.sample(everyone, count)
    for record in changed:
        pricing = record.get("pricing") or {}
        positive = [key for key in sorted(pricing) if pricing[key].strip("0.")]  # "0" stays free
        if positive:
            key = positive[0]
            pricing[key] = _bumped_price(pricing[key])
        else:
            record["name"] = f"{record.get('name', record['id'])} (updated)"
            record["modelatlas"]["provenance"]["name"] = "curated"
    return {record["id"] for record in changed}


def _bumped_price(price: str) -> str:
    """A different exact price string, never above the original (so within every price ceiling):
    a tenth of it ("0.003" -> "0.0003"), a fraction of a whole one ("20" -> "0.2"), or a tiny price
    for a free one."""
    if price == "0":
        return "0.0000001"
    return price.replace(".", ".0", 1) if "." in price else f"0.{price}".rstrip("0")


def provider_status(provider: str, count: int, snap: Snapshot) -> dict[str, Any]:
    status = _copy(snap.statuses.get(provider, {}))
    status.update({"count": count, "stale": False, "last_refresh": FIXED_REFRESH})
    status.setdefault("source", "public_catalogs")
    status.pop("last_attempt", None)
    return status


def write_data_dir(catalog: dict[str, list[Record]], data_dir: Path, snap: Snapshot) -> None:
    """Write the catalog as a data/ folder: one provider document per provider (schema provider-file)."""
    (data_dir / "providers").mkdir(parents=True, exist_ok=True)
    for sub in ("curated", "changes"):
        (data_dir / sub).mkdir(exist_ok=True)
    for provider, records in catalog.items():
        doc = new_provider_doc(provider, records, provider_status(provider, len(records), snap))
        (data_dir / "providers" / f"{provider}.json").write_bytes(serialize_provider(doc))
