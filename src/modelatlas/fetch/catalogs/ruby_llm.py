"""ruby_llm's bundled model registry (``lib/ruby_llm/models.json``): names, creation times, modalities.

A list of ``{id, name, provider, created_at, context_window, max_output_tokens, knowledge_cutoff,
modalities, capabilities, pricing, metadata}``; prices in USD per 1M tokens. What is taken and why
(docs/data-sources.md, "ruby_llm"):

- entries with ``metadata.source: "models.dev"`` are ruby_llm's copy of models.dev, which is read
  directly, so they are skipped (they would count one source twice);
- entries with ``metadata.source: "known_models"`` are ruby_llm's hand-kept list of ids (retired
  ``gemini-1.5-*`` among them), not a provider's list, so they are skipped too;
- the rest come from each provider's own list: the id, a name that is not just the id (and not
  one ruby_llm made from the id: ``CatalogRules.ruby_llm_names``),
  ``created_at`` (as ``created``), the list's owner field (OpenAI's and Mistral's ``owned_by``,
  Bedrock's ``providerName``, verbatim), knowledge cutoff, modalities and capabilities are kept;
- an entry with nothing beyond its id is skipped: the id alone is no evidence of a model
  (ruby_llm's Azure list holds one account's deployment names, such as ``Codestral-2501-2``);
- prices and limits only where the provider declares that its list publishes them
  (``CatalogRules.ruby_llm_prices`` / ``ruby_llm_limits``): elsewhere ruby_llm fills gaps with fixed
  defaults (context 4096, output 16384, $0.50 / $1.50 per 1M tokens on ``sora-2`` as on
  ``gpt-3.5-turbo``), which are not facts.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from typing import Any

from modelatlas.config import HttpSettings
from modelatlas.fetch.catalogs.loader import CATALOG_HTTP, load_catalog
from modelatlas.fetch.catalogs.resolve import finish
from modelatlas.fetch.providers import registry
from modelatlas.fetch.providers.declaration import catalog_lookup
from modelatlas.fetch.record_builder import RecordBuilder
from modelatlas.prices import price_string
from modelatlas.record import (
    INPUT_MODALITIES,
    OUTPUT_MODALITIES,
    Record,
    count,
    date,
    json_object,
    label,
    modalities,
    text,
    unusable_id_reason,
)

SOURCE_ID = "ruby_llm"
DEFAULT_URL = "https://raw.githubusercontent.com/crmne/ruby_llm/main/lib/ruby_llm/models.json"
ENV_VAR = "MODELATLAS_RUBY_LLM_URL"

_CAPABILITIES = {
    "function_calling": "tool_call",
    "structured_output": "structured_output",
    "reasoning": "reasoning",
    "vision": "vision",
}
# pricing.<kind>.standard.<key> (USD per 1M) -> our field
_PRICES = {
    ("text_tokens", "input_per_million"): "pricing.prompt",
    ("text_tokens", "output_per_million"): "pricing.completion",
    ("text_tokens", "cache_read_input_per_million"): "pricing.input_cache_read",
    ("text_tokens", "cache_write_input_per_million"): "pricing.input_cache_write",
    ("text_tokens", "reasoning_output_per_million"): "pricing.internal_reasoning",
    ("audio_tokens", "input_per_million"): "modelatlas.extra_pricing.input_audio_token",
    ("audio_tokens", "output_per_million"): "modelatlas.extra_pricing.output_audio_token",
    ("images", "input_per_million"): "modelatlas.extra_pricing.input_image_token",
    ("images", "output_per_million"): "modelatlas.extra_pricing.output_image_token",
}


def load(http: HttpSettings = CATALOG_HTTP) -> Any:
    return load_catalog(SOURCE_ID, ENV_VAR, DEFAULT_URL, http)


def created(value: object) -> int | None:
    """Unix seconds from ruby_llm's ``"2023-08-21 16:16:55 UTC"`` (or an ISO 8601 time)."""
    if not isinstance(value, str) or not value.strip():
        return None
    cleaned = value.strip().removesuffix(" UTC").replace(" ", "T")
    try:
        parsed = datetime.fromisoformat(cleaned.replace("Z", "+00:00"))
    except ValueError:
        return None
    stamp = int((parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).timestamp())
    return stamp if stamp > 0 else None


def _prices(b: RecordBuilder, pricing: dict[str, Any]) -> None:
    for (kind, key), path in _PRICES.items():
        b.set_price(path, json_object(json_object(pricing.get(kind)).get("standard")).get(key), per=1_000_000)
    text = json_object(pricing.get("text_tokens"))
    above = count(text.get("long_context_threshold"))
    long_context = json_object(text.get("long_context"))
    if above and long_context:  # the whole request above the threshold
        prices = {
            path: price
            for (kind, key), path in _PRICES.items()
            if kind == "text_tokens" and (price := price_string(long_context.get(key), per=1_000_000))
        }
        b.add_context_tier(above, prices)


def _record(provider: str, model: dict[str, Any], dropped: Counter[str]) -> Record | None:
    upstream_id = model["id"]
    rules = registry.declared(provider).catalog_rules
    b = RecordBuilder(provider, upstream_id, SOURCE_ID)
    name = label(model.get("name")) if rules.ruby_llm_names else None
    b.set("name", name if name != upstream_id else None)
    b.set("created", created(model.get("created_at")))
    metadata = json_object(model.get("metadata"))  # the provider list's own owner field, verbatim
    b.set("owned_by", text(metadata.get("owned_by")) or text(metadata.get("provider_name")))
    b.set("modelatlas.lifecycle.knowledge_cutoff", date(model.get("knowledge_cutoff")))
    mods = json_object(model.get("modalities"))
    b.set("architecture.input_modalities", modalities(mods.get("input"), INPUT_MODALITIES, {"pdf": "file"}))
    b.set("architecture.output_modalities", modalities(mods.get("output"), OUTPUT_MODALITIES))
    listed = model.get("capabilities") if isinstance(model.get("capabilities"), list) else []
    for capability, ours in _CAPABILITIES.items():
        b.set(f"modelatlas.capabilities.{ours}", True if capability in listed else None)
    if rules.ruby_llm_limits:
        b.set("context_length", count(model.get("context_window")) or None)
        b.set("max_output_tokens", count(model.get("max_output_tokens")) or None)
    if rules.ruby_llm_prices:
        _prices(b, json_object(model.get("pricing")))
    return b.build(dropped)


def _usable(model: object, skipped: Counter[str]) -> str | None:
    """Our provider id for an entry to keep, else None (with the reason counted)."""
    if not isinstance(model, dict):
        skipped["model entry is not an object"] += 1
        return None
    provider = catalog_lookup(registry.PROVIDERS, SOURCE_ID)(model.get("provider"))
    if provider is None:
        return None
    origin = json_object(model.get("metadata")).get("source")
    if origin == "models.dev":
        skipped["copy of models.dev (read directly)"] += 1
        return None
    if origin == "known_models":
        skipped["ruby_llm's own hand-kept id list (no provider list behind it)"] += 1
        return None
    reason = unusable_id_reason(model.get("id"))
    if reason:
        skipped[reason] += 1
        return None
    return provider


def normalize(raw: Any, skipped: Counter[str] | None = None) -> dict[str, list[Record]]:
    """Records per our provider id, sorted by id; pure."""
    skipped = skipped if skipped is not None else Counter()
    if not isinstance(raw, list):
        skipped["catalog is not a JSON list"] += 1
        return {}
    by_id: dict[tuple[str, str], Record] = {}
    for model in raw:
        provider = _usable(model, skipped)
        if provider is None:
            continue
        if (provider, model["id"]) in by_id:
            skipped["duplicate id"] += 1
            continue
        record = _record(provider, model, skipped)
        if record is not None and not record["modelatlas"]["provenance"]:
            skipped["nothing beyond an id"] += 1
        elif record is not None:
            by_id[(provider, model["id"])] = record
    result: dict[str, list[Record]] = {}
    for (provider, _id), record in sorted(by_id.items()):
        result.setdefault(provider, []).append(record)
    return finish(result, skipped)
