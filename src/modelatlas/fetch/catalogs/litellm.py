"""LiteLLM's ``model_prices_and_context_window.json``: USD-per-token prices, limits, modes, flags.

Keys are inconsistent (bare, ``azure/...``, ``bedrock/us-east-1/...``, ``1024-x-1024/50-steps/...``);
:func:`upstream_id_for` turns a key into the id the provider itself uses, or explains why not.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

import modelatlas.fetch.catalogs.litellm_prices as litellm_prices
from modelatlas.config import HttpSettings
from modelatlas.fetch.catalogs.loader import CATALOG_HTTP, load_catalog
from modelatlas.fetch.catalogs.resolve import finish
from modelatlas.fetch.providers import registry
from modelatlas.fetch.providers.declaration import catalog_lookup, catalog_names
from modelatlas.fetch.record_builder import RecordBuilder, context_tier
from modelatlas.ids import model_id
from modelatlas.record import (
    INPUT_MODALITIES,
    OUTPUT_MODALITIES,
    Record,
    count,
    date,
    flag,
    modalities,
    text,
    unusable_id_reason,
)

SOURCE_ID = "litellm"
DEFAULT_URL = "https://raw.githubusercontent.com/BerriAI/litellm/main/model_prices_and_context_window.json"
ENV_VAR = "MODELATLAS_LITELLM_URL"


def provider_for(litellm_provider: object) -> str | None:
    """Our provider id for a ``litellm_provider`` value (the names each provider declares)."""
    return catalog_lookup(registry.PROVIDERS, SOURCE_ID)(litellm_provider)


_IMAGE_VARIANT = re.compile(r"^(\d+|max)-x-(\d+|max)$|^(\d+|max)-steps$")
_IMAGE_QUALITY = frozenset({"hd", "high", "low", "medium", "standard"})


def upstream_id_for(key: str, provider: str) -> tuple[str | None, str, str | None]:
    """(provider's model id or None, reason if None, the region/zone prefix the key carried or None)."""
    segments = key.split("/")
    if any(_IMAGE_VARIANT.match(s) for s in segments):
        return None, "size/step-priced image variant key", None
    # A leading LiteLLM provider name is a routing prefix, not part of the provider's model id.
    if len(segments) > 1 and segments[0] in catalog_names(registry.PROVIDERS, SOURCE_ID):
        segments = segments[1:]
    if len(segments) > 1 and segments[0] in _IMAGE_QUALITY:
        return None, "size/step-priced image variant key", None
    region = None
    rules = registry.declared(provider).catalog_rules
    if rules.litellm_region and len(segments) > 1 and re.fullmatch(rules.litellm_region, segments[0]):
        region, segments = segments[0], segments[1:]
    if segments[0].startswith("ft:"):
        return None, "fine-tuning price template key", None
    upstream = "/".join(segments)
    if rules.litellm_slash_free and "/" in upstream:
        return None, "routing key with an unknown prefix", None
    return upstream, "", region


_MODES = {
    "chat": "chat",
    "completion": "completion",
    "responses": "responses",
    "embedding": "embedding",
    "image_generation": "image_generation",
    "image_edit": "image_edit",
    "audio_speech": "audio_speech",
    "audio_transcription": "audio_transcription",
    "rerank": "rerank",
    "moderation": "moderation",
    "realtime": "realtime",
    "video_generation": "video_generation",
    "ocr": "ocr",
    "search": "search",
}
_MODE_METHODS = {
    "chat": "chat_completion",
    "completion": "text_completion",
    "responses": "responses",
    "embedding": "embedding",
    "audio_speech": "speech",
    "audio_transcription": "transcription",
}
_ENDPOINT_METHODS = {
    "/v1/chat/completions": "chat_completion",
    "/v1/completions": "text_completion",
    "/v1/responses": "responses",
    "/v1/embeddings": "embedding",
    "/v1/audio/speech": "speech",
    "/v1/audio/transcriptions": "transcription",
}
_TOKEN_MODES = frozenset({"chat", "completion", "responses", "embedding", "realtime"})
_CAPABILITIES = {
    "supports_function_calling": "tool_call",
    "supports_vision": "vision",
    "supports_reasoning": "reasoning",
    "supports_response_schema": "structured_output",
    "supports_prompt_caching": "prompt_caching",
    "supports_system_messages": "system_messages",
    "supports_pdf_input": "pdf_input",
    "supports_audio_input": "audio_input",
    "supports_audio_output": "audio_output",
    "supports_web_search": "web_search",
}


def load(http: HttpSettings = CATALOG_HTTP) -> Any:
    return load_catalog(SOURCE_ID, ENV_VAR, DEFAULT_URL, http)


def _methods(mode: object, endpoints: object) -> list[str]:
    methods = [_MODE_METHODS[mode]] if isinstance(mode, str) and mode in _MODE_METHODS else []
    for endpoint in endpoints if isinstance(endpoints, list) else []:
        method = _ENDPOINT_METHODS.get(endpoint) if isinstance(endpoint, str) else None
        if method and method not in methods:
            methods.append(method)
    return sorted(methods)


def _successor(value: object, provider: str) -> str | None:
    """The successor as a catalog id (``<provider>/<id>``); a region key names no plain model."""
    key = text(value)
    if key is None:
        return None
    upstream, _reason, region = upstream_id_for(key, provider)
    return model_id(provider, upstream) if upstream is not None and region is None else None


def _builder(
    provider: str, upstream_id: str, entry: dict[str, Any], dropped: Counter[str], *, priced: bool
) -> RecordBuilder:
    """The model's fields; prices and lifecycle only when ``entry`` is the plain (region-free) key."""
    b = RecordBuilder(provider, upstream_id, SOURCE_ID)
    raw_mode = entry.get("mode")
    mode = _MODES.get(raw_mode, "other") if isinstance(raw_mode, str) else None
    b.set("modelatlas.mode", mode)
    b.set("supported_methods", _methods(raw_mode, entry.get("supported_endpoints")))
    max_input = count(entry.get("max_input_tokens"))
    b.set("max_input_tokens", max_input)
    b.set("max_output_tokens", count(entry.get("max_output_tokens")))
    if raw_mode in _TOKEN_MODES:
        b.set("context_length", max_input)
    inputs = modalities(entry.get("supported_modalities"), INPUT_MODALITIES)
    outputs = modalities(entry.get("supported_output_modalities"), OUTPUT_MODALITIES)
    b.set("architecture.input_modalities", inputs)
    b.set("architecture.output_modalities", outputs)
    for key, capability in _CAPABILITIES.items():
        b.set(f"modelatlas.capabilities.{capability}", flag(entry.get(key)))
    if not priced:
        return b
    # LiteLLM's deprecation_date is the provider's shutdown date (docs/merge-policy.md)
    b.set("modelatlas.lifecycle.retirement_date", date(entry.get("deprecation_date")))
    b.set("modelatlas.lifecycle.successor", _successor(entry.get("successor_model"), provider))
    for path, value in litellm_prices.prices(entry, raw_mode, dropped).items():
        b.set(path, value)
    long_context = litellm_prices.context_tiers(entry, dropped)
    for above, prices in sorted(long_context.get(None, {}).items()):
        b.add_context_tier(above, prices)
    for tier, pricing in litellm_prices.tier_prices(entry).items():
        b.add_variant(pricing, tier=tier, context_tiers=_tiers(long_context.get(tier, {})))
    return b


def _tiers(by_threshold: dict[int, dict[str, str]]) -> list[dict[str, Any]]:
    """The variant's long-context tiers (``context_tier`` entries) from ``{threshold: prices}``."""
    made = (context_tier(above, prices, SOURCE_ID) for above, prices in sorted(by_threshold.items()))
    return [tier for tier in made if tier is not None]


def _add_region(b: RecordBuilder, region: str, entry: dict[str, Any], dropped: Counter[str]) -> None:
    """A region/zone key's prices as variants of the plain model (on-demand, then each tier)."""
    found = litellm_prices.prices(entry, entry.get("mode"), dropped)
    long_context = litellm_prices.context_tiers(entry, dropped)
    plain = litellm_prices.plain_pricing(found)
    b.add_variant(plain, region=region, context_tiers=_tiers(long_context.get(None, {})))
    for tier, pricing in litellm_prices.tier_prices(entry).items():
        b.add_variant(pricing, region=region, tier=tier, context_tiers=_tiers(long_context.get(tier, {})))


def _entries(raw: dict[str, Any], skipped: Counter[str]) -> list[tuple[str, dict[str, Any]]]:
    """(key, entry) pairs of priced model entries.

    ``alias_of`` entries are skipped: their keys are LiteLLM's own shorthands (``claude-opus-latest``),
    not ids the provider serves, and their targets are listed under their own keys.
    """
    pairs: list[tuple[str, dict[str, Any]]] = []
    for key in sorted(raw):
        entry = raw[key]
        if key == "sample_spec":
            continue
        if not isinstance(entry, dict):
            skipped["entry is not an object"] += 1
        elif "alias_of" in entry and "litellm_provider" not in entry:
            skipped["alias_of entry (target listed under its own key)"] += 1
        elif "litellm_provider" not in entry:
            skipped["routing or documentation key"] += 1
        else:
            pairs.append((key, entry))
    return pairs


Keyed = tuple[str | None, str, dict[str, Any]]  # (region or None, LiteLLM key, entry)


def _group(raw: dict[str, Any], skipped: Counter[str]) -> dict[tuple[str, str], list[Keyed]]:
    """Entries per (provider, upstream id), in key order."""
    groups: dict[tuple[str, str], list[Keyed]] = {}
    for key, entry in _entries(raw, skipped):
        provider = provider_for(entry.get("litellm_provider"))
        if provider is None:
            continue
        upstream, reason, region = upstream_id_for(key, provider)
        if upstream is None:
            skipped[reason] += 1
            continue
        bad = unusable_id_reason(upstream)
        if bad:
            skipped[bad] += 1
            continue
        groups.setdefault((provider, upstream), []).append((region, key, entry))
    return groups


def _model(provider: str, upstream: str, keyed: list[Keyed], skipped: Counter[str]) -> Record | None:
    """One record: the plain key's fields and prices, every region/zone key's prices as variants.

    A model listed only under region keys keeps its model fields (limits, modes) but no plain
    price: a region's price is never the plain id's.
    """
    plain = [item for item in keyed if item[0] is None]
    base = plain[0] if plain else keyed[0]
    b = _builder(provider, upstream, base[2], skipped, priced=bool(plain))
    regions: set[str] = set()
    for item in keyed:
        region, _key, entry = item
        if item is base and region is None:
            continue
        if region is None or region in regions:
            skipped["duplicate key for the same model"] += 1
            continue
        regions.add(region)
        _add_region(b, region, entry, skipped)
    return b.build(skipped)


def normalize(raw: Any, skipped: Counter[str] | None = None) -> dict[str, list[Record]]:
    """Records per our provider id; pure. Where several keys name one model, the first plain key
    (no region prefix) gives the model and its price; region/zone keys give ``pricing_variants``."""
    skipped = skipped if skipped is not None else Counter()
    if not isinstance(raw, dict):
        skipped["catalog is not a JSON object"] += 1
        return {}
    result: dict[str, list[Record]] = {}
    for (provider, upstream), keyed in sorted(_group(raw, skipped).items()):
        record = _model(provider, upstream, keyed, skipped)
        if record is not None:
            result.setdefault(provider, []).append(record)
    return finish(result, skipped)
