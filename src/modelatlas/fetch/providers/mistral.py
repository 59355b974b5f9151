"""Mistral: ``GET https://api.mistral.ai/v1/models`` (Bearer key; one body of model cards).

Real bodies repeat ids with different metadata: the first card wins and the others are rejected
as duplicates. Alias ids are listed as cards of their own and are also kept as ``aliases``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from modelatlas import record as r
from modelatlas.fetch.http import HttpClient
from modelatlas.fetch.providers.base import ProviderConfig
from modelatlas.fetch.providers.declaration import Provider
from modelatlas.fetch.providers.price_rules import (
    CACHE_READ,
    CACHE_WRITE,
    COMPLETION,
    HALF,
    PROMPT,
    Evidence,
    Multiplier,
    NotBilled,
    PriceRule,
    ScaledVariant,
    every_model,
)
from modelatlas.fetch.providers.rules import CatalogRules, ModelIds, NameReading, ResponseFormat, Rewrite
from modelatlas.fetch.record_builder import Normalized, Pages, RecordSet, each_object, items_of

ID = "mistral"
DEFAULT_API_ROOT = "https://api.mistral.ai/v1"
ENDPOINT = "/models"

_METHODS = (
    ("completion_chat", "chat_completion"),
    ("audio_transcription", "transcription"),
    ("audio_speech", "speech"),
)


def fetch(client: HttpClient, config: ProviderConfig) -> Pages:
    return [
        client.get_json(
            config.url(ENDPOINT), headers={"Authorization": f"Bearer {config.get('MISTRAL_API_KEY')}"}
        )
    ]


def _mode(caps: dict[str, Any]) -> str | None:
    for capability, mode in (
        ("completion_chat", "chat"),
        ("ocr", "ocr"),
        ("moderation", "moderation"),
        ("audio_transcription", "audio_transcription"),
        ("audio_speech", "audio_speech"),
    ):
        if caps.get(capability) is True:
            return mode
    return None


def normalize(pages: Pages) -> Normalized:
    records = RecordSet(ID)
    for body in pages:
        for position, item in each_object(items_of(body, "data"), records):
            caps = r.json_object(item.get("capabilities"))
            on = {name for name, value in caps.items() if value is True}
            inputs = (
                ["text"]
                + (["image"] if "vision" in on else [])
                + (["audio"] if on & {"audio", "audio_transcription"} else [])
            )
            outputs = (["text"] if on & {"completion_chat", "ocr", "audio_transcription"} else []) + (
                ["audio"] if "audio_speech" in on else []
            )
            deprecation = r.date_string(item.get("deprecation"))
            temperature = item.get("default_model_temperature")
            upstream = item.get("id")
            fields: dict[str, Any] = {
                "name": r.label(item.get("name")),
                "description": r.clean_text(item.get("description"), 20000),
                "created": r.unix_seconds(item.get("created")),
                "context_length": r.tokens(item.get("max_context_length")),
                "owned_by": r.label(item.get("owned_by"), 100),
                "architecture": {"input_modalities": inputs, "output_modalities": outputs} if caps else None,
                "supported_methods": [method for cap, method in _METHODS if cap in on],
                "default_parameters": {"temperature": temperature}
                if r.price(temperature) is not None and not isinstance(temperature, bool)
                else None,
            }
            extension = {
                "mode": _mode(caps),
                "aliases": [a for a in r.string_list(item.get("aliases")) if a != upstream],
                "capabilities": {
                    "tool_call": caps.get("function_calling")
                    if isinstance(caps.get("function_calling"), bool)
                    else None,
                    "vision": caps.get("vision") if isinstance(caps.get("vision"), bool) else None,
                    "reasoning": caps.get("reasoning") if isinstance(caps.get("reasoning"), bool) else None,
                },
                "lifecycle": {
                    "status": "deprecated" if deprecation else None,
                    "deprecation_date": deprecation,
                    "successor": r.label(item.get("deprecation_replacement_model")),
                },
            }
            records.add(upstream, fields, extension, position=position)
    return records.result()


CACHING_PAGE = "https://docs.mistral.ai/studio/conversations/advanced/prompt-caching"
BATCH_PAGE = "https://docs.mistral.ai/studio/batch-processing"
PRICE_RULES = (
    PriceRule(
        "mistral-cache-read-10pct",
        every_model,
        Multiplier(CACHE_READ, Decimal("0.1")),
        Evidence(
            CACHING_PAGE,
            "Cached prompt tokens are billed at 10% of the standard input token price, and cache hits can "
            "reduce response latency by reusing part of the previous prompt computation.",
        ),
        text_models_only=True,
    ),
    PriceRule(
        "mistral-cache-writes-not-billed",
        every_model,
        NotBilled((CACHE_WRITE,)),
        Evidence(
            CACHING_PAGE,
            "Cached prompt tokens are billed at 10% of the standard input token price … The billable "
            "uncached input tokens are `prompt_tokens - cached_tokens`.",
        ),
    ),
    PriceRule(
        "mistral-batch-50pct",
        every_model,
        ScaledVariant({PROMPT: HALF, COMPLETION: HALF}, tier="batch"),
        Evidence(
            BATCH_PAGE,
            "Is the batch API available for all models? Yes, batch API is available for all models. … Does "
            "the batch API affect pricing? We offer a 50% discount on batch API.",
        ),
    ),
)


PROVIDER = Provider(
    id=ID,
    name="Mistral AI",
    default_api_root=DEFAULT_API_ROOT,
    endpoint=ENDPOINT,
    env_vars=("MISTRAL_API_KEY",),
    credentials=(("MISTRAL_API_KEY",),),
    auth="`Authorization: Bearer`",
    pagination="none (one body)",
    metadata="name, description, created, max_context_length, capabilities, aliases, deprecation",
    vendor="mistralai",
    fetch=fetch,
    normalize=normalize,
    catalog_names={
        "models.dev": ("mistral",),
        "litellm": ("mistral", "codestral", "text-completion-codestral"),
        "ruby_llm": ("mistral",),
        "portkey": ("mistral-ai",),
    },
    model_ids=ModelIds(latest_aliases=True),
    name_reading=NameReading(
        # Its API names open-weights models ``open-<model>`` (``open-mistral-nemo`` is Mistral NeMo,
        # ``open-mixtral-8x7b`` Mixtral 8x7B Instruct), and serves their Instruct weights.
        decorations=(Rewrite(r"^open-"),),
        implied_suffixes=("-instruct",),
        # ``-YYMM`` is its version of a model (``pixtral-12b-2409``: Pixtral 12B of September 2024).
        snapshot_suffix=r"-(\d{2}(?:0[1-9]|1[0-2]))$",
    ),
    # ruby_llm names Mistral's models itself (lib/ruby_llm/providers/mistral/capabilities.rb,
    # ``format_display_name``: ``Codestral`` for every ``codestral*`` id, embeddings included, else the
    # id's words capitalized); Mistral's list has no display name (its ``name`` is the id).
    catalog_rules=CatalogRules(litellm_slash_free=True, ruby_llm_names=False),
    price_rules=PRICE_RULES,
    response_formats=(ResponseFormat.MISTRAL,),
)
