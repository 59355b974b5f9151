"""A record's prices read once into Decimals: the standard sheet, one sheet per pricing variant, and
each sheet's long-context tiers (the contract is docs/pricing.md).

A price is looked up by its record path (``pricing.prompt``, ``modelatlas.extra_pricing.query``). A
variant's or tier's sheet holds only what that variant or tier states: a price it leaves out is
unknown there, never borrowed from the standard price.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from modelatlas.cost.errors import Unpriced, UnpricedError

PRICING = "pricing."
EXTRA = "modelatlas.extra_pricing."
VARIANTS_PATH = "modelatlas.pricing_variants"
TIERS_PATH = "modelatlas.context_tiers"
DECIMAL = re.compile(r"(0|[1-9][0-9]*)(\.[0-9]+)?\Z")
DISTINCT_PRICES = 16384  # prices kept made (by value, source and disputed mark)


def variant_label(region: str | None, tier: str | None) -> str:
    """``region eu tier batch``, ``region eu``, ``tier batch``, or "" for neither (a blank one given
    is shown quoted: ``region ''``)."""
    given = [(kind, value) for kind, value in (("region", region), ("tier", tier)) if value is not None]
    return " ".join(f"{kind} {value if value.strip() else repr(value)}" for kind, value in given)


@dataclass(frozen=True, slots=True)
class Price:
    value: Decimal
    source: str | None
    disputed: bool


@dataclass(frozen=True, slots=True)
class ContextTier:
    above_input_tokens: int
    prices: dict[str, Price]


@dataclass(frozen=True, slots=True)
class Sheet:
    """The prices of one way of buying a model: standard (region and tier None) or one variant."""

    region: str | None
    tier: str | None
    prices: dict[str, Price]
    context_tiers: tuple[ContextTier, ...]  # ascending thresholds

    @property
    def label(self) -> str:
        """``region eu tier batch``, ``tier flex``, or ``standard``."""
        return variant_label(self.region, self.tier) or "standard"

    def context_tier_for(self, input_tokens: int) -> ContextTier | None:
        """The highest tier whose threshold the input exceeds (cached tokens count), or None."""
        chosen = None
        for tier in self.context_tiers:
            if input_tokens > tier.above_input_tokens:
                chosen = tier
        return chosen


@dataclass(frozen=True, slots=True)
class PriceBook:
    """Everything one record says about its prices."""

    id: str
    upstream_id: str
    standard: Sheet
    variants: tuple[Sheet, ...]
    not_billed: frozenset[str]

    def sheets(self, region: str | None, tier: str | None) -> tuple[Sheet, ...]:
        """The sheets for a region and tier, in record order (empty when none matches).

        A region the id itself names (``eu`` for Bedrock's ``eu.anthropic...`` profile) is already
        satisfied: only the tier is then looked for.
        """
        if region is not None and self.upstream_id.startswith(region + "."):
            region = None
        if region is None and tier is None:
            return (self.standard,)
        return tuple(s for s in self.variants if s.region == region and s.tier == tier)

    def choices(self) -> list[str]:
        """What a caller may ask for, for error messages: ``standard``, ``tier batch``, ``region eu``..."""
        names = ["standard"]
        for sheet in self.variants:
            if sheet.label not in names:
                names.append(sheet.label)
        return names


_PRICES: dict[tuple[str, str | None, bool], Price] = {}  # made, by value, source and disputed mark


def _price(record_id: str, path: str, value: Any, source: str | None, disputed: bool) -> Price:
    """A price string (a plain non-negative decimal, as the schema and the JS module require). A
    price is immutable and made once per distinct value, source and mark: the snapshot's 21,398
    prices have 1,927 (each was a regular expression, a Decimal and a frozen dataclass)."""
    if isinstance(value, str):
        key = (value, source, disputed)
        found = _PRICES.get(key)
        if found is not None:
            return found
        if DECIMAL.match(value):
            if len(_PRICES) >= DISTINCT_PRICES:
                _PRICES.clear()
            made = _PRICES[key] = Price(Decimal(value), source, disputed)
            return made
    raise UnpricedError(
        f"{record_id}: {path} is not a price ({value!r}); fix the data", Unpriced.UNKNOWN_PRICE
    )


def _prices(
    record_id: str,
    holder: dict[str, Any],
    source_of: Callable[[str], Any],
    disputed_of: Callable[[str], bool],
) -> dict[str, Price]:
    """``{path: Price}`` of one ``pricing`` + ``extra_pricing`` pair."""
    prices: dict[str, Price] = {}
    for prefix, key in ((PRICING, "pricing"), (EXTRA, "extra_pricing")):
        block = holder.get(key)
        if not isinstance(block, dict):
            continue
        for name, value in block.items():
            path = prefix + name
            source = source_of(path)
            prices[path] = _price(
                record_id, path, value, source if isinstance(source, str) else None, disputed_of(path)
            )
    return prices


def _whole(
    holder: dict[str, Any], path: str, disputed: frozenset[str]
) -> tuple[Callable[[str], Any], Callable[[str], bool]]:
    """A variant's or tier's prices share its one source, and are disputed when its list is."""
    source, listed = holder.get("source"), path in disputed
    return (lambda _path: source), (lambda _path: listed)


def _tiers(record_id: str, raw: Any, disputed: frozenset[str]) -> tuple[ContextTier, ...]:
    tiers = []
    for item in raw if isinstance(raw, list) else []:
        if not isinstance(item, dict) or item.get("billing") != "whole_request":
            continue
        threshold = item.get("above_input_tokens")
        if isinstance(threshold, int) and not isinstance(threshold, bool) and threshold > 0:
            prices = _prices(record_id, item, *_whole(item, TIERS_PATH, disputed))
            tiers.append(ContextTier(threshold, prices))
    return tuple(sorted(tiers, key=lambda tier: tier.above_input_tokens))


def _variant(record_id: str, raw: dict[str, Any], disputed: frozenset[str]) -> Sheet:
    region, tier = raw.get("region"), raw.get("tier")
    return Sheet(
        region if isinstance(region, str) else None,
        tier if isinstance(tier, str) else None,
        _prices(record_id, raw, *_whole(raw, VARIANTS_PATH, disputed)),
        _tiers(record_id, raw.get("context_tiers"), disputed),
    )


def price_book(record: dict[str, Any]) -> PriceBook:
    """Read one record's prices (raises :class:`UnpricedError` on a price that is not a decimal string)."""
    record_id = str(record.get("id"))
    extension = record.get("modelatlas")
    extension = extension if isinstance(extension, dict) else {}
    disputed = frozenset(x for x in extension.get("disputed") or () if isinstance(x, str))
    provenance = extension.get("provenance")
    provenance = provenance if isinstance(provenance, dict) else {}
    standard_holder = {"pricing": record.get("pricing"), "extra_pricing": extension.get("extra_pricing")}
    standard = Sheet(
        None,
        None,
        _prices(record_id, standard_holder, provenance.get, disputed.__contains__),
        _tiers(record_id, extension.get("context_tiers"), disputed),
    )
    raw_variants = extension.get("pricing_variants")
    variants = (
        tuple(_variant(record_id, raw, disputed) for raw in raw_variants or () if isinstance(raw, dict))
        if isinstance(raw_variants, list)
        else ()
    )
    upstream = extension.get("upstream_id")
    if not isinstance(upstream, str):
        upstream = record_id.partition("/")[2]
    not_billed = frozenset(x for x in extension.get("not_billed") or () if isinstance(x, str))
    return PriceBook(record_id, upstream, standard, variants, not_billed)
