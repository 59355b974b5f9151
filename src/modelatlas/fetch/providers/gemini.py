"""Gemini API: ``GET https://generativelanguage.googleapis.com/v1beta/models``, ``pageToken`` pages.

The key goes in the ``x-goog-api-key`` header (never ``?key=`` in the URL). ``pageSize=1000``
then ``pageToken=<nextPageToken>`` until the token is omitted. Ids drop the ``models/`` prefix.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from modelatlas import record as r
from modelatlas.fetch.http import HttpClient
from modelatlas.fetch.providers.base import ProviderConfig, token_pages
from modelatlas.fetch.providers.declaration import Provider
from modelatlas.fetch.providers.price_rules import (
    CACHE_READ,
    CACHE_WRITE,
    COMPLETION,
    HALF,
    PROMPT,
    Evidence,
    FlatContext,
    LongContext,
    NotBilled,
    PriceRule,
    ScaledVariant,
    every_model,
    name_matches,
)
from modelatlas.fetch.providers.rules import ModelIds, ResponseFormat
from modelatlas.fetch.record_builder import Normalized, Pages, RecordSet, each_object, items_of

ID = "gemini"
DEFAULT_API_ROOT = "https://generativelanguage.googleapis.com/v1beta"
ENDPOINT = "/models"
PAGE_SIZE = 1000

_METHODS = {
    "generatecontent": "chat_completion",
    "streamgeneratecontent": "chat_completion_stream",
    "embedcontent": "embedding",
    "batchembedcontents": "embedding",
    "generatetext": "text_completion",
}


def fetch(client: HttpClient, config: ProviderConfig) -> Pages:
    headers = {"x-goog-api-key": config.first("GEMINI_API_KEY", "GOOGLE_API_KEY") or ""}
    return token_pages(
        client,
        config.url(ENDPOINT),
        headers,
        size={"pageSize": PAGE_SIZE},
        token_param="pageToken",
        next_field="nextPageToken",
    )


def normalize(pages: Pages) -> Normalized:
    records = RecordSet(ID)
    for body in pages:
        proto3 = {"models": [], **body} if isinstance(body, dict) else body  # proto3 JSON: {} = no models
        for position, item in each_object(items_of(proto3, "models", allow_array=False), records):
            name = item.get("name")
            upstream = name.removeprefix("models/") if isinstance(name, str) else name
            methods = r.string_list(item.get("supportedGenerationMethods"))
            max_input = r.tokens(item.get("inputTokenLimit"))
            fields: dict[str, Any] = {
                "name": r.label(item.get("displayName")),
                "description": r.clean_text(item.get("description"), 20000),
                "context_length": max_input,
                "max_input_tokens": max_input,
                "max_output_tokens": r.tokens(item.get("outputTokenLimit")),
                "owned_by": "google",
                "supported_methods": r.mapped(methods, _METHODS),
            }
            extension = {"capabilities": {"reasoning": True if item.get("thinking") is True else None}}
            records.add(upstream, fields, extension, position=position)
    return records.result()


PRICING_PAGE = "https://ai.google.dev/gemini-api/docs/pricing"
# The Pro models the page prices by prompt size (not the TTS models, which have one price).
PRO_MODELS = name_matches(r"gemini-(2\.5|3|3\.1)-pro(?!.*-tts)")
# Flash and Flash-Lite from Gemini 2 on print one price whatever the prompt size (1.5 Flash had a tier).
FLASH_MODELS = name_matches(r"gemini-(2|3)(\.\d+)?-flash")
PRICE_RULES = (
    PriceRule(
        "gemini-context-cache-storage-per-hour",
        every_model,
        NotBilled((CACHE_WRITE,)),
        Evidence(
            PRICING_PAGE,
            "Context caching price Not available $0.03 (text / image / video) $0.1 (audio) $1.00 / "
            "1,000,000 tokens per hour (storage price)",
        ),
    ),
    PriceRule(
        "gemini-long-context-200k-tier",
        PRO_MODELS,
        LongContext(200_000, {PROMPT: Decimal(2), COMPLETION: Decimal("1.5"), CACHE_READ: Decimal(2)}),
        Evidence(
            PRICING_PAGE,
            "Input price Free of charge $1.25, prompts <= 200k tokens $2.50, prompts > 200k tokens … Output "
            "price (including thinking tokens) Free of charge $10.00, prompts <= 200k tokens $15.00, prompts "
            "> 200k … Context caching price Not available $0.125, prompts <= 200k tokens $0.25, prompts > "
            "200k",
        ),
    ),
    PriceRule(
        "gemini-flash-no-long-context-tier",
        FLASH_MODELS,
        FlatContext(),
        Evidence(
            PRICING_PAGE,
            "Input price Free of charge $0.30 (text / image / video) $1.00 (audio) | | Output price "
            "(including thinking tokens) Free of charge $2.50",
        ),
    ),
    PriceRule(
        "gemini-batch-50pct",
        every_model,
        ScaledVariant({PROMPT: HALF, COMPLETION: HALF, CACHE_READ: Decimal(1)}, tier="batch"),
        Evidence(PRICING_PAGE, "Batch API (50% cost reduction)"),
        text_models_only=True,
    ),
)

PROVIDER = Provider(
    id=ID,
    name="Google Gemini",
    default_api_root=DEFAULT_API_ROOT,
    endpoint=ENDPOINT,
    env_vars=("GEMINI_API_KEY", "GOOGLE_API_KEY"),
    credentials=(("GEMINI_API_KEY", "GOOGLE_API_KEY"),),
    auth="`x-goog-api-key`",
    pagination="`pageSize=1000`, `pageToken=<nextPageToken>` until it is omitted",
    metadata="display name, description, input/output token limits, generation methods, thinking",
    vendor="google",
    fetch=fetch,
    normalize=normalize,
    catalog_names={
        "models.dev": ("google",),
        "litellm": ("gemini",),
        "ruby_llm": ("gemini",),
        "portkey": ("google",),
    },
    # The API writes ``models/<id>``; the catalogs write the bare id.
    model_ids=ModelIds(wrappers=("models/",), latest_aliases=True),
    price_rules=PRICE_RULES,
    response_formats=(ResponseFormat.GOOGLE,),
)
