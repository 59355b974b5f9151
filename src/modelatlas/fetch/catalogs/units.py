"""Unit rules shared by the catalogs (docs/data-sources.md, "Units").

Prices arrive as ``{field path: USD string}``; each sits in the field of its unit (per token,
per query, per image, per second, per character). Two rules catch a number in the wrong unit:

- a per-token ``0`` beside a price in another unit (a rerank model's per-query price, an image
  model's per-image price) means "not billed per token", not "free": it is left out;
- an embedding price above :data:`EMBEDDING_TOKEN_CEILING` per token is not a per-token price
  (a per-image or per-1K-token number in the per-token field): it is left out;
- any token price above :data:`TOKEN_CEILING` (a per-minute audio price in a per-token field) is
  left out.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

TOKEN_FIELDS = (
    "pricing.prompt",
    "pricing.completion",
    "pricing.internal_reasoning",
    "pricing.input_cache_read",
    "pricing.input_cache_write",
)
# Prices in a unit other than tokens that make a model billed by that unit.
UNIT_BILLED = (
    "modelatlas.extra_pricing.query",
    "modelatlas.extra_pricing.output_image",
    "modelatlas.extra_pricing.input_second",
    "modelatlas.extra_pricing.output_second",
    "modelatlas.extra_pricing.input_character",
    "modelatlas.extra_pricing.output_character",
)
# Every per-token field, text, audio and image tokens alike.
ALL_TOKEN_FIELDS = (
    *TOKEN_FIELDS,
    "modelatlas.extra_pricing.input_cache_write_1h",
    "modelatlas.extra_pricing.input_audio_token",
    "modelatlas.extra_pricing.output_audio_token",
    "modelatlas.extra_pricing.input_image_token",
    "modelatlas.extra_pricing.output_image_token",
)
# The prices a long-context tier can hold: the token prices of a request.
TIER_FIELDS = frozenset({*TOKEN_FIELDS, "modelatlas.extra_pricing.input_cache_write_1h",
                         "modelatlas.extra_pricing.input_audio_token"})
# $1,000 per 1M tokens: ~1.7x the dearest token price in any catalog (o1-pro output, $600).
TOKEN_CEILING = Decimal("0.001")
# $10 per 1M tokens: ~12x the dearest embedding token price in any of the catalogs ($0.80).
EMBEDDING_TOKEN_CEILING = Decimal("0.00001")


def drop_token_placeholders(prices: dict[str, str], dropped: Counter[str]) -> None:
    """Remove per-token ``"0"`` prices of a model that has a price in another unit."""
    if not any(prices.get(path, "0") != "0" for path in UNIT_BILLED):
        return
    for path in TOKEN_FIELDS:
        if prices.get(path) == "0":
            del prices[path]
            dropped["per-token 0 of a model billed per query, image, second or character"] += 1


def drop_implausible_embedding_price(prices: dict[str, str], dropped: Counter[str]) -> None:
    """Remove an embedding model's input token price above the ceiling."""
    prompt = prices.get("pricing.prompt")
    if prompt is not None and Decimal(prompt) > EMBEDDING_TOKEN_CEILING:
        del prices["pricing.prompt"]
        dropped["embedding token price above $10 per 1M tokens (not a per-token price)"] += 1


def drop_implausible_token_prices(prices: dict[str, str], dropped: Counter[str]) -> None:
    """Remove per-token prices above :data:`TOKEN_CEILING`; the entry is then priced in another
    unit, so its per-token ``0`` prices are placeholders and go too."""
    too_high = [p for p in ALL_TOKEN_FIELDS if p in prices and Decimal(prices[p]) > TOKEN_CEILING]
    for path in too_high:
        del prices[path]
        dropped["token price above $1,000 per 1M tokens (not a per-token price)"] += 1
    if too_high:
        for path in [p for p in ALL_TOKEN_FIELDS if prices.get(p) == "0"]:
            del prices[path]
            dropped["per-token 0 of a model billed per query, image, second or character"] += 1
