"""OpenRouter's public ``GET /api/v1/models``: the whole list belongs to provider ``openrouter``.

Prices are USD-per-token decimal strings; negative values (``"-1"`` on router entries) mean
"varies" and stay absent. The description is kept as untrusted text; OpenRouter's ``links`` are
not copied (``build`` sets ours).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from modelatlas.config import HttpSettings
from modelatlas.fetch.catalogs.loader import CATALOG_HTTP, load_catalog
from modelatlas.fetch.record_builder import RecordBuilder
from modelatlas.record import (
    INPUT_MODALITIES,
    OUTPUT_MODALITIES,
    Record,
    count,
    date,
    flag,
    json_object,
    modalities,
    text,
    unusable_id_reason,
)

SOURCE_ID = "openrouter"
DEFAULT_URL = "https://openrouter.ai/api/v1/models"
ENV_VAR = "MODELATLAS_OPENROUTER_URL"
PROVIDER = "openrouter"

_PRICES = {
    "prompt": "pricing.prompt",
    "completion": "pricing.completion",
    "request": "pricing.request",
    "image": "pricing.image",
    "web_search": "pricing.web_search",
    "internal_reasoning": "pricing.internal_reasoning",
    "input_cache_read": "pricing.input_cache_read",
    "input_cache_write": "pricing.input_cache_write",
    "input_cache_write_1h": "modelatlas.extra_pricing.input_cache_write_1h",
    "audio": "modelatlas.extra_pricing.input_audio",
}


def load(http: HttpSettings = CATALOG_HTTP) -> Any:
    return load_catalog(SOURCE_ID, ENV_VAR, DEFAULT_URL, http)


def _strings(values: object) -> list[str]:
    if not isinstance(values, list):
        return []
    return sorted({v for v in values if isinstance(v, str) and v.strip()})


def _record(upstream_id: str, model: dict[str, Any], dropped: Counter[str]) -> Record | None:
    b = RecordBuilder(PROVIDER, upstream_id, SOURCE_ID)
    b.set("name", text(model.get("name")))
    b.set("canonical_slug", text(model.get("canonical_slug")))
    b.set("hugging_face_id", text(model.get("hugging_face_id")))
    b.set("description", text(model.get("description")))
    b.set("created", count(model.get("created")))
    b.set("context_length", count(model.get("context_length")))
    b.set("owned_by", text(upstream_id.lstrip("~").partition("/")[0]) if "/" in upstream_id else None)
    arch = json_object(model.get("architecture"))
    b.set("architecture.modality", text(arch.get("modality")))
    b.set("architecture.tokenizer", text(arch.get("tokenizer")))
    b.set("architecture.instruct_type", text(arch.get("instruct_type")))
    b.set("architecture.input_modalities", modalities(arch.get("input_modalities"), INPUT_MODALITIES))
    b.set("architecture.output_modalities", modalities(arch.get("output_modalities"), OUTPUT_MODALITIES))
    pricing = json_object(model.get("pricing"))
    for key, path in _PRICES.items():
        b.set_price(path, pricing.get(key))
    top = json_object(model.get("top_provider"))
    b.set("top_provider.context_length", count(top.get("context_length")))
    b.set("top_provider.max_completion_tokens", count(top.get("max_completion_tokens")))
    b.set("top_provider.is_moderated", flag(top.get("is_moderated")))
    b.set("max_output_tokens", count(top.get("max_completion_tokens")))
    limits = json_object(model.get("per_request_limits"))
    b.set("per_request_limits.prompt_tokens", count(limits.get("prompt_tokens")))
    b.set("per_request_limits.completion_tokens", count(limits.get("completion_tokens")))
    b.set("supported_parameters", _strings(model.get("supported_parameters")))
    defaults = {k: v for k, v in json_object(model.get("default_parameters")).items() if v is not None}
    b.set("default_parameters", defaults)
    b.set("modelatlas.lifecycle.knowledge_cutoff", date(model.get("knowledge_cutoff")))
    b.set("modelatlas.lifecycle.retirement_date", date(model.get("expiration_date")))
    return b.build(dropped)


def normalize(raw: Any, skipped: Counter[str] | None = None) -> dict[str, list[Record]]:
    """``{"openrouter": [records sorted by id]}`` from a ``/api/v1/models`` body; pure."""
    skipped = skipped if skipped is not None else Counter()
    data = raw.get("data") if isinstance(raw, dict) else None
    if not isinstance(data, list):
        skipped["body has no data list"] += 1
        return {}
    by_id: dict[str, Record] = {}
    for model in data:
        if not isinstance(model, dict):
            skipped["model entry is not an object"] += 1
            continue
        upstream_id = model.get("id")
        reason = unusable_id_reason(upstream_id)
        if reason:
            skipped[reason] += 1
            continue
        if upstream_id in by_id:
            skipped["duplicate id"] += 1
            continue
        record = _record(upstream_id, model, skipped)
        if record is not None:
            by_id[upstream_id] = record
    return {PROVIDER: [by_id[k] for k in sorted(by_id)]} if by_id else {}
