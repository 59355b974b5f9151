"""Portkey's open model database: per-provider price files, with region and service-tier prices.

Published as ``<base>/pricing/<file>.json`` and ``<base>/general/<file>.json`` (base
``https://configs.portkey.ai``; ``MODELATLAS_PORTKEY_URL`` overrides it with another base URL or a
local folder). Prices are **US cents** per token (or per unit), converted exactly:
``0.00025`` cents = ``"0.0000025"`` USD. What is read (docs/data-sources.md, "Portkey"):

- ``pricing_config.pay_as_you_go``: the plain id's standard on-demand price;
- ``custom_pricing.regions.<region list>.execution_modes.<mode>``: one variant per region and
  tier (``default`` region = no region; ``standard`` mode = no tier); with context tiers, the
  lowest tier (``context_tier_map["0"]``); ``batch_config``: the batch tier;
- a rerank model's ``request_token`` is its price per query (``general`` type ``rerank``, or
  ``rerank`` in the id), not per token;
- ``ft:`` keys are fine-tuning price templates, and keys without a vendor prefix in the file of a
  provider whose ids are ``vendor.model`` (``VendorSegment.DOTTED``) are Portkey's own shorthands:
  both skipped;
- an ``audio`` model's ``request_token`` without audio-token prices is per character (speech) or
  per minute (transcription), not per token, and is left out; so is any token price above
  $1,000 per 1M tokens (whisper's $0.006 per minute sits in ``request_audio_token``);
- keys ending ``-gt-<N>k`` are the price above a context threshold and are skipped; ``-lte-<N>k``
  keys are the model's base price under the id without that suffix.
"""

from __future__ import annotations

import re
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from typing import Any

from modelatlas.fetch.catalogs.loader import load_catalog_part
from modelatlas.fetch.catalogs.resolve import finish
from modelatlas.fetch.catalogs.units import drop_implausible_token_prices, drop_token_placeholders
from modelatlas.fetch.providers import registry
from modelatlas.fetch.providers.declaration import catalog_names
from modelatlas.fetch.providers.rules import VendorSegment
from modelatlas.fetch.record_builder import RecordBuilder
from modelatlas.prices import price_string
from modelatlas.record import Record, count, json_object, unusable_id_reason

SOURCE_ID = "portkey"
DEFAULT_URL = "https://configs.portkey.ai"
ENV_VAR = "MODELATLAS_PORTKEY_URL"
CENTS = Decimal(100)


PARALLEL_FILES = 8  # Portkey files requested at once

def file_providers() -> dict[str, str]:
    """``{Portkey file name: our provider id}``: the names each provider declares for this catalog.

    For one provider, the entry of an id in its earlier-declared file wins.
    """
    return catalog_names(registry.PROVIDERS, SOURCE_ID)


_TEMPLATE_KEYS = frozenset({"default", "name", "description"})
# Dotted ids always start with a vendor (``anthropic.``, ``us.anthropic.``); Portkey's files for such
# a provider also price its own shorthands (``claude``, ``claude-3-haiku-20240307``), which are not ids.
_VENDOR_PREFIXED = re.compile(r"^[a-z0-9-]+\.")
_ABOVE_THRESHOLD = re.compile(r"-gt-\d+k$")
_BASE_TIER = re.compile(r"-lte-\d+k$")
# pay_as_you_go key (cents per token) -> our field
_TOKEN_PRICES = {
    "request_token": "pricing.prompt",
    "response_token": "pricing.completion",
    "cache_read_input_token": "pricing.input_cache_read",
    "cache_write_input_token": "pricing.input_cache_write",
    "reasoning_token": "pricing.internal_reasoning",
    "request_audio_token": "modelatlas.extra_pricing.input_audio",
    "response_audio_token": "modelatlas.extra_pricing.output_audio",
    "request_image_token": "modelatlas.extra_pricing.input_image_token",
    "response_image_token": "modelatlas.extra_pricing.output_image_token",
}
# additional_units key (cents per unit) -> our field
_UNIT_PRICES = {
    "cache_write_1h": "modelatlas.extra_pricing.input_cache_write_1h",
    "image_token": "modelatlas.extra_pricing.output_image_token",
    "web_search": "pricing.web_search",
}
_AUDIO_TOKENS = ("request_audio_token", "response_audio_token")
_MODES = {"standard": None, "batch": "batch", "flex": "flex", "priority": "priority", "fast": "fast"}


def load() -> dict[str, Any]:
    """``{file: {"pricing": ..., "general": ...}}`` for every file in :func:`file_providers`.

    The files are requested a few at a time (one round trip each); the result is in file order.
    """
    wanted = [(name, part) for name in file_providers() for part in ("pricing", "general")]
    with ThreadPoolExecutor(max_workers=PARALLEL_FILES, thread_name_prefix="portkey") as pool:
        bodies = pool.map(
            lambda item: load_catalog_part(SOURCE_ID, ENV_VAR, DEFAULT_URL, f"{item[1]}/{item[0]}.json"),
            wanted,
        )
        loaded: dict[str, Any] = {}
        for (name, part), body in zip(wanted, bodies, strict=True):
            loaded.setdefault(name, {})[part] = body
    return loaded


Kind = tuple[object, str]  # (general type.primary, model id): what decides a price's unit


def _usd(node: object) -> str | None:
    """USD from a ``{"price": <cents>}`` node."""
    return price_string(json_object(node).get("price"), per=CENTS)


def prices(pay: dict[str, Any], kind: Kind, dropped: Counter[str]) -> dict[str, str]:
    """``{field path: USD string}`` of one ``pay_as_you_go`` object."""
    primary, upstream = kind
    rerank = primary == "rerank" or "rerank" in upstream
    found = {path: _usd(pay.get(key)) for key, path in _TOKEN_PRICES.items()}
    if primary == "audio" and not any(key in pay for key in _AUDIO_TOKENS):
        for path in ("pricing.prompt", "pricing.completion"):  # per character or minute here
            if found.pop(path) is not None:
                dropped["audio model price without audio tokens (per character or minute)"] += 1
    units = json_object(pay.get("additional_units"))
    found.update({path: _usd(units.get(key)) for key, path in _UNIT_PRICES.items()})
    image = json_object(json_object(pay.get("image")).get("default")).get("default")
    found["modelatlas.extra_pricing.output_image"] = _usd(image)
    if rerank:
        found["modelatlas.extra_pricing.query"] = found.pop("pricing.prompt")
    result = {path: value for path, value in found.items() if value is not None}
    drop_token_placeholders(result, dropped)
    drop_implausible_token_prices(result, dropped)
    return result


def _variant_pricing(config: dict[str, Any], context_map: dict[str, Any], kind: Kind) -> dict[str, str]:
    """The ``pricing`` object of one execution mode (lowest context tier where there are tiers)."""
    if "context_tiers" in config:
        base = context_map.get("0")
        config = json_object(json_object(config.get("context_tiers")).get(str(base)))
    pay = json_object(json_object(config.get("pricing_config")).get("pay_as_you_go"))
    found = prices(pay, kind, Counter())
    return {p.removeprefix("pricing."): v for p, v in found.items() if p.startswith("pricing.")}


def _add_variants(b: RecordBuilder, entry: dict[str, Any], kind: Kind) -> None:
    custom = json_object(entry.get("custom_pricing"))
    context_map = json_object(custom.get("context_tier_map"))
    batch = json_object(json_object(entry.get("pricing_config")).get("batch_config"))
    b.add_variant(_variant_pricing({"pricing_config": {"pay_as_you_go": batch}}, {}, kind), tier="batch")
    for regions, region_entry in sorted(json_object(custom.get("regions")).items()):
        modes = json_object(json_object(region_entry).get("execution_modes"))
        for mode, config in sorted(modes.items()):
            if mode not in _MODES or (regions == "default" and mode == "standard"):
                continue
            pricing = _variant_pricing(json_object(config), context_map, kind)
            for region in regions.split(","):
                where = None if region == "default" else region.strip()
                b.add_variant(pricing, region=where, tier=_MODES[mode])


def _max_output(general: dict[str, Any]) -> int | None:
    for param in general.get("params") or []:
        if isinstance(param, dict) and param.get("key") in ("max_tokens", "max_completion_tokens"):
            return count(param.get("maxValue")) or None
    return None


def _record(
    provider: str, upstream: str, entry: dict[str, Any], general: dict[str, Any], dropped: Counter[str]
) -> Record | None:
    kind: Kind = (json_object(general.get("type")).get("primary"), upstream)
    b = RecordBuilder(provider, upstream, SOURCE_ID)
    b.set("max_output_tokens", _max_output(general))
    pay = json_object(json_object(entry.get("pricing_config")).get("pay_as_you_go"))
    for path, value in prices(pay, kind, dropped).items():
        b.set(path, value)
    _add_variants(b, entry, kind)
    return b.build(dropped)


def _model_id(key: str, provider: str, skipped: Counter[str]) -> str | None:
    if key in _TEMPLATE_KEYS:
        return None
    if key.startswith("ft:"):
        skipped["fine-tuning price template key"] += 1
        return None
    dotted = registry.declared(provider).model_ids.vendor_segment is VendorSegment.DOTTED
    if dotted and not _VENDOR_PREFIXED.match(key):
        skipped[f"{provider} key without a vendor prefix (not a model id)"] += 1
        return None
    if _ABOVE_THRESHOLD.search(key):
        skipped["price above a context threshold (-gt-<N>k key)"] += 1
        return None
    upstream = _BASE_TIER.sub("", key)
    reason = unusable_id_reason(upstream)
    if reason:
        skipped[reason] += 1
        return None
    return upstream


def _entries(files: dict[str, Any], skipped: Counter[str]) -> dict[tuple[str, str], tuple[dict, dict]]:
    """``{(provider, id): (pricing entry, general entry)}``; a plain key beats its ``-lte-`` key."""
    chosen: dict[tuple[str, str], tuple[bool, dict, dict]] = {}
    for name, provider in file_providers().items():
        parts = json_object(files.get(name))
        pricing, general = json_object(parts.get("pricing")), json_object(parts.get("general"))
        for key in sorted(pricing):
            upstream = _model_id(key, provider, skipped)
            entry = json_object(pricing[key])
            if upstream is None:
                continue
            if not json_object(entry.get("pricing_config")):
                skipped["entry without a pricing_config"] += 1
                continue
            tiered = upstream != key
            slot = (provider, upstream)
            if slot in chosen and (chosen[slot][0] <= tiered):
                skipped["duplicate key for the same model"] += 1
                continue
            chosen[slot] = (tiered, entry, json_object(general.get(key) or general.get(upstream)))
    return {slot: (entry, general) for slot, (_t, entry, general) in chosen.items()}


def normalize(raw: Any, skipped: Counter[str] | None = None) -> dict[str, list[Record]]:
    """Records per our provider id from ``{file: {"pricing": ..., "general": ...}}``; pure."""
    skipped = skipped if skipped is not None else Counter()
    if not isinstance(raw, dict):
        skipped["catalog is not a JSON object"] += 1
        return {}
    result: dict[str, list[Record]] = {}
    for (provider, upstream), (entry, general) in sorted(_entries(raw, skipped).items()):
        record = _record(provider, upstream, entry, general, skipped)
        if record is not None and not record["modelatlas"]["provenance"]:
            skipped["nothing beyond an id (e.g. only a fine-tuning price)"] += 1
        elif record is not None:
            result.setdefault(provider, []).append(record)
    return finish(result, skipped)
