"""A record's prices as a table: one row per region, service tier and long-context tier.

The first row is the plain id's standard on-demand price in the provider's default region; then
its long-context tiers (``modelatlas.context_tiers``); then each region/tier variant
(``modelatlas.pricing_variants``) and its own long-context tiers. Variants that several sources
state alike are one row (their prices united, every source named), so nothing repeats. Columns are
the price components any row states or marks as not billed; a cell a row does not state is
unknown (for a long-context tier too: never the base price), or not billed where the record says
the component does not apply.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from modelatlas.record import Record
from modelatlas.render.model_view import source_label
from modelatlas.render.price_view import PriceCell, label_of, priced_keys, stated_cell

DEFAULT_REGION = "default"
STANDARD = "standard"
TIER_ORDER = (STANDARD, "batch", "flex", "priority", "fast")
TOKEN_KEYS = ("prompt", "completion", "input_cache_read", "input_cache_write")


@dataclass(frozen=True)
class PriceRow:
    region: str
    tier: str
    context: str  # "" or the long-context condition: "input over 200,000 tokens"
    cells: dict[str, PriceCell]
    sources: str

    @property
    def is_base(self) -> bool:
        return self.region == DEFAULT_REGION and self.tier == STANDARD and not self.context


@dataclass(frozen=True)
class PriceTable:
    columns: list[tuple[str, str]]  # (price key, heading)
    rows: list[PriceRow]


@dataclass
class _Prices:
    region: str
    tier: str
    context: str
    values: dict[str, str]
    sources: list[str]

    def agrees(self, values: dict[str, str]) -> bool:
        return all(self.values[key] == value for key, value in values.items() if key in self.values)


def _values(entry: dict[str, Any]) -> dict[str, str]:
    return {**entry.get("pricing", {}), **entry.get("extra_pricing", {})}


def _tier_entries(region: str, tier: str, tiers: list[dict[str, Any]]) -> list[_Prices]:
    return [
        _Prices(
            region, tier, f"input over {t['above_input_tokens']:,} tokens", _values(t), [str(t["source"])]
        )
        for t in sorted(tiers, key=lambda t: t["above_input_tokens"])
    ]


def _merged_variants(variants: list[dict[str, Any]]) -> list[_Prices]:
    """Variants with one region and tier whose sources agree on every price they both state become
    one entry (prices united, sources listed); disagreeing ones stay apart."""
    merged: list[_Prices] = []
    for variant in variants:
        region, tier = variant.get("region", DEFAULT_REGION), variant.get("tier", STANDARD)
        values, source = _values(variant), str(variant.get("source", ""))
        same = [m for m in merged if (m.region, m.tier, m.context) == (region, tier, "") and m.agrees(values)]
        if same:
            same[0].values.update(values)
            if source not in same[0].sources:
                same[0].sources.append(source)
        else:
            merged.append(_Prices(region, tier, "", dict(values), [source]))
        merged.extend(_tier_entries(region, tier, variant.get("context_tiers", [])))
    order = {tier: n for n, tier in enumerate(TIER_ORDER)}
    return sorted(
        merged, key=lambda m: (m.region != DEFAULT_REGION, m.region, order.get(m.tier, 9), m.context)
    )


def _base_sources(record: Record) -> list[str]:
    provenance = record["modelatlas"].get("provenance", {})
    paths = [f"pricing.{key}" for key in record.get("pricing", {})]
    paths += [f"modelatlas.extra_pricing.{key}" for key in record["modelatlas"].get("extra_pricing", {})]
    return sorted({str(provenance[path]) for path in paths if path in provenance})


def _entries(record: Record) -> list[_Prices]:
    extension = record["modelatlas"]
    values = {**record.get("pricing", {}), **extension.get("extra_pricing", {})}
    base = _Prices(DEFAULT_REGION, STANDARD, "", values, _base_sources(record))
    return [
        base,
        *_tier_entries(DEFAULT_REGION, STANDARD, extension.get("context_tiers", [])),
        *_merged_variants(extension.get("pricing_variants", [])),
    ]


def _not_billed(record: Record) -> set[str]:
    return {path.rsplit(".", 1)[-1] for path in record["modelatlas"].get("not_billed", [])}


def _disputed(record: Record) -> set[str]:
    return {path.rsplit(".", 1)[-1] for path in record["modelatlas"].get("disputed", [])}


def price_table(record: Record, keys: tuple[str, ...] | None = None) -> PriceTable:
    """Every price of ``record`` by region, tier and long-context tier; ``keys`` fixes the columns."""
    entries = _entries(record)
    not_billed, disputed = _not_billed(record), _disputed(record)
    stated = {key for entry in entries for key in entry.values} | not_billed
    columns = list(keys) if keys is not None else priced_keys(dict.fromkeys(stated))
    rows = []
    for number, entry in enumerate(entries):
        values, first = entry.values, number == 0
        cells = {
            key: stated_cell(
                key, values.get(key), key in not_billed and key not in values, first and key in disputed
            )
            for key in columns
        }
        sources = ", ".join(source_label(source) for source in entry.sources) or "–"
        rows.append(PriceRow(entry.region, entry.tier, entry.context, cells, sources))
    return PriceTable([(key, label_of(key)) for key in columns], rows)


def tier_rows(record: Record) -> list[PriceRow]:
    """The rows beyond the standard price: regions, service tiers, long context (token prices only)."""
    extension = record["modelatlas"]
    if not extension.get("context_tiers") and not extension.get("pricing_variants"):
        return []  # its table is the standard price's row alone (most records: no table made for them)
    return [row for row in price_table(record, TOKEN_KEYS).rows if not row.is_base]
