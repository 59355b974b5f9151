"""models.dev (``https://models.dev/api.json``): names, limits, modalities, dates and USD/1M prices."""

from __future__ import annotations

from collections import Counter
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
    flag,
    json_object,
    label,
    modalities,
    text,
    unusable_id_reason,
)

SOURCE_ID = "models.dev"
DEFAULT_URL = "https://models.dev/api.json"
ENV_VAR = "MODELATLAS_MODELS_DEV_URL"

_CAPABILITIES = ("attachment", "reasoning", "tool_call", "open_weights", "structured_output", "temperature")
_STATUSES = {"alpha": "alpha", "beta": "beta", "deprecated": "deprecated"}
_LIMITS = {"context": "context_length", "input": "max_input_tokens", "output": "max_output_tokens"}
# cost key (USD per 1M tokens) -> our field
_COSTS = {
    "input": "pricing.prompt",
    "output": "pricing.completion",
    "cache_read": "pricing.input_cache_read",
    "cache_write": "pricing.input_cache_write",
    "reasoning": "pricing.internal_reasoning",
    "input_audio": "modelatlas.extra_pricing.input_audio_token",
    "output_audio": "modelatlas.extra_pricing.output_audio_token",
}


# models.dev has one ``output`` price; for a model that outputs images it is the image-token price
# (gemini-2.5-flash-image: 30 = Google's $30 per 1M image tokens; its text output is $2.50).
IMAGE_OUTPUT_PRICE = "modelatlas.extra_pricing.output_image_token"


def load(http: HttpSettings = CATALOG_HTTP) -> Any:
    return load_catalog(SOURCE_ID, ENV_VAR, DEFAULT_URL, http)


def _record(provider: str, upstream_id: str, model: dict[str, Any], dropped: Counter[str]) -> Record | None:
    b = RecordBuilder(provider, upstream_id, SOURCE_ID)
    b.set("name", label(model.get("name")))
    b.set("modelatlas.family", text(model.get("family")))
    for key in _CAPABILITIES:
        b.set(f"modelatlas.capabilities.{key}", flag(model.get(key)))
    b.set("modelatlas.lifecycle.status", _STATUSES.get(str(model.get("status"))))
    b.set("modelatlas.lifecycle.release_date", date(model.get("release_date")))
    b.set("modelatlas.lifecycle.last_updated", date(model.get("last_updated")))
    b.set("modelatlas.lifecycle.knowledge_cutoff", date(model.get("knowledge")))
    mods = json_object(model.get("modalities"))
    b.set("architecture.input_modalities", modalities(mods.get("input"), INPUT_MODALITIES, {"pdf": "file"}))
    b.set("architecture.output_modalities", modalities(mods.get("output"), OUTPUT_MODALITIES))
    limit = json_object(model.get("limit"))
    for key, path in _LIMITS.items():
        b.set(path, count(limit.get(key)) or None)  # 0 means unknown in models.dev
    cost = json_object(model.get("cost"))
    outputs = modalities(mods.get("output"), OUTPUT_MODALITIES)
    for key, path in _COSTS.items():
        if key == "output" and "image" in outputs:
            path = IMAGE_OUTPUT_PRICE
        b.set_price(path, cost.get(key), per=1_000_000)
    for above, prices in _context_tiers(cost, "image" in outputs):
        b.add_context_tier(above, prices)
    return b.build(dropped)


def _context_tiers(cost: dict[str, Any], image_output: bool) -> list[tuple[int, dict[str, str]]]:
    """``(threshold, {record path: USD})`` of the long-context prices: ``cost.tiers`` entries
    (``{"tier": {"size": 200000}, "input": ..., ...}``) and the older ``context_over_200k`` object."""
    listed = [json_object(t) for t in cost.get("tiers") or [] if isinstance(t, dict)]
    tiers = [(t.get("tier"), t) for t in listed]
    found = [(count(json_object(size).get("size")), prices) for size, prices in tiers]
    if isinstance(cost.get("context_over_200k"), dict):
        found.append((200_000, cost["context_over_200k"]))
    result = []
    for above, prices in found:
        if not above:
            continue
        converted = {}
        for key, path in _COSTS.items():
            if key == "output" and image_output:
                path = IMAGE_OUTPUT_PRICE
            value = price_string(prices.get(key), per=1_000_000)
            if value is not None:
                converted[path] = value
        result.append((above, converted))
    return result


def normalize(raw: Any, skipped: Counter[str] | None = None) -> dict[str, list[Record]]:
    """Records per our provider id, from the whole ``api.json`` object; pure (no I/O)."""
    skipped = skipped if skipped is not None else Counter()
    result: dict[str, list[Record]] = {}
    if not isinstance(raw, dict):
        skipped["catalog is not a JSON object"] += 1
        return result
    for catalog_provider in sorted(raw):
        provider = catalog_lookup(registry.PROVIDERS, SOURCE_ID)(catalog_provider)
        entry = raw[catalog_provider]
        if provider is None or not isinstance(entry, dict) or not isinstance(entry.get("models"), dict):
            continue
        for key in sorted(entry["models"]):
            model = entry["models"][key]
            if not isinstance(model, dict):
                skipped["model entry is not an object"] += 1
                continue
            reason = unusable_id_reason(key)
            if reason:
                skipped[reason] += 1
                continue
            record = _record(provider, key, model, skipped)
            if record is not None:
                result.setdefault(provider, []).append(record)
    return finish(result, skipped)
