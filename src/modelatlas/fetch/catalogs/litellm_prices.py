"""LiteLLM's price fields, each put in the field for its unit, and its service-tier prices.

LiteLLM gives USD per token, per query, per image, per image token, per character and per second
in flat keys (``input_cost_per_query``, ``output_cost_per_image_token``, ...), and tier prices as
the same keys with a suffix (``input_cost_per_token_batches``, ``..._flex``, ``..._priority``).
A price goes to the field of its own unit, never to a per-token field; the unit rules of
:mod:`modelatlas.fetch.catalogs.units` apply. Long-context prices are the token keys with
``_above_<N>k_tokens`` (before any tier suffix: ``input_cost_per_token_above_200k_tokens_batches``):
the whole request above N thousand input tokens (:func:`context_tiers`).
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from modelatlas.fetch.catalogs.units import (
    drop_implausible_embedding_price,
    drop_implausible_token_prices,
    drop_token_placeholders,
)
from modelatlas.prices import price_string

# LiteLLM price key -> our field (dotted path), by the unit the key names.
PRICE_FIELDS = {
    "input_cost_per_token": "pricing.prompt",
    "output_cost_per_token": "pricing.completion",
    "output_cost_per_reasoning_token": "pricing.internal_reasoning",
    "cache_read_input_token_cost": "pricing.input_cache_read",
    "cache_creation_input_token_cost": "pricing.input_cache_write",
    "input_cost_per_request": "pricing.request",
    "input_cost_per_image": "pricing.image",
    "cache_creation_input_token_cost_above_1hr": "modelatlas.extra_pricing.input_cache_write_1h",
    "input_cost_per_audio_token": "modelatlas.extra_pricing.input_audio_token",
    "input_cost_per_audio_per_second": "modelatlas.extra_pricing.input_second",
    "output_cost_per_audio_token": "modelatlas.extra_pricing.output_audio_token",
    "input_cost_per_image_token": "modelatlas.extra_pricing.input_image_token",
    "output_cost_per_image_token": "modelatlas.extra_pricing.output_image_token",
    "input_cost_per_character": "modelatlas.extra_pricing.input_character",
    "output_cost_per_character": "modelatlas.extra_pricing.output_character",
    "input_cost_per_second": "modelatlas.extra_pricing.input_second",
    "output_cost_per_second": "modelatlas.extra_pricing.output_second",
    "output_cost_per_image": "modelatlas.extra_pricing.output_image",
    "input_cost_per_query": "modelatlas.extra_pricing.query",
}
# Tier suffix -> tier name; tier keys exist only for these plain token prices.
TIERS = {"_batches": "batch", "_flex": "flex", "_priority": "priority"}
_TIER_BASES = {
    "input_cost_per_token": "prompt",
    "output_cost_per_token": "completion",
    "cache_read_input_token_cost": "input_cache_read",
    "cache_creation_input_token_cost": "input_cache_write",
}


def prices(entry: dict[str, Any], mode: object, dropped: Counter[str]) -> dict[str, str]:
    """``{field path: USD string}`` of one entry, each price in the field of its unit."""
    found = {path: price_string(entry.get(key)) for key, path in PRICE_FIELDS.items()}
    result = {path: value for path, value in found.items() if value is not None}
    drop_token_placeholders(result, dropped)
    drop_implausible_token_prices(result, dropped)
    if mode == "embedding":
        drop_implausible_embedding_price(result, dropped)
    return result


def plain_pricing(found: dict[str, str]) -> dict[str, str]:
    """The ``pricing.*`` part of :func:`prices` keyed like the ``pricing`` object (for a variant)."""
    return {path.removeprefix("pricing."): v for path, v in found.items() if path.startswith("pricing.")}


def tier_prices(entry: dict[str, Any]) -> dict[str, dict[str, str]]:
    """``{tier: {pricing key: USD string}}`` from the suffixed keys (``input_cost_per_token_flex``)."""
    result: dict[str, dict[str, str]] = {}
    for suffix, tier in TIERS.items():
        pricing = {}
        for base, field in _TIER_BASES.items():
            value = price_string(entry.get(base + suffix))
            if value is not None:
                pricing[field] = value
        if pricing:
            result[tier] = pricing
    return result


# Keys priced above a context threshold: <base>_above_<N>k_tokens[<tier suffix>].
_ABOVE = re.compile(r"^(?P<base>[a-z0-9_]+?)_above_(?P<n>\d+)k_tokens(?P<suffix>_[a-z]+)?$")
_TIER_FIELDS = {
    "input_cost_per_token": "pricing.prompt",
    "output_cost_per_token": "pricing.completion",
    "cache_read_input_token_cost": "pricing.input_cache_read",
    "cache_creation_input_token_cost": "pricing.input_cache_write",
    "cache_creation_input_token_cost_above_1hr": "modelatlas.extra_pricing.input_cache_write_1h",
    "input_cost_per_audio_token": "modelatlas.extra_pricing.input_audio_token",
}


TierPrices = dict[str | None, dict[int, dict[str, str]]]


def context_tiers(entry: dict[str, Any], dropped: Counter[str]) -> TierPrices:
    """``{service tier or None: {threshold: {record path: USD string}}}`` from the ``_above_<N>k_tokens``
    keys (N thousand input tokens, as LiteLLM writes them)."""
    found: TierPrices = {}
    for key, value in entry.items():
        match = _ABOVE.match(key)
        if match is None or match["base"] not in _TIER_FIELDS:
            continue
        suffix = match["suffix"]
        if suffix is not None and suffix not in TIERS:
            continue
        price = price_string(value)
        if price is None:
            continue
        tier = TIERS[suffix] if suffix else None
        found.setdefault(tier, {}).setdefault(int(match["n"]) * 1000, {})[_TIER_FIELDS[match["base"]]] = price
    for tiers in found.values():
        for prices in tiers.values():
            drop_token_placeholders(prices, dropped)
            drop_implausible_token_prices(prices, dropped)
    return found
