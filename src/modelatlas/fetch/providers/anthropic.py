"""Anthropic: ``GET https://api.anthropic.com/v1/models``, cursor pages by id.

Headers ``x-api-key`` and the required ``anthropic-version: 2023-06-01``. Pages: ``limit=1000``
then ``after_id=<last_id>`` while ``has_more`` is true (the default page of 20 would truncate).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from modelatlas import record as r
from modelatlas.fetch.http import FetchError, HttpClient
from modelatlas.fetch.providers.base import CursorGuard, ProviderConfig
from modelatlas.fetch.providers.declaration import Provider
from modelatlas.fetch.providers.price_rules import (
    ALL_TOKEN_PRICES,
    CACHE_READ,
    CACHE_WRITE,
    CACHE_WRITE_1H,
    COMPLETION,
    HALF,
    PROMPT,
    Evidence,
    FlatContext,
    LongContext,
    Multiplier,
    PriceRule,
    ScaledVariant,
    all_of,
    claude,
    none_of,
    scaled,
)
from modelatlas.fetch.providers.rules import CatalogRules, ModelIds, ResponseFormat, Rewrite
from modelatlas.fetch.record_builder import Normalized, Pages, RecordSet, each_object, items_of

ID = "anthropic"
DEFAULT_API_ROOT = "https://api.anthropic.com/v1"
ENDPOINT = "/models"
API_VERSION = "2023-06-01"
PAGE_SIZE = 1000


def fetch(client: HttpClient, config: ProviderConfig) -> Pages:
    headers = {"x-api-key": config.get("ANTHROPIC_API_KEY") or "", "anthropic-version": API_VERSION}
    params: dict[str, str | int] = {"limit": PAGE_SIZE}
    guard = CursorGuard("after_id cursor")
    pages: Pages = []
    while True:
        body = client.get_json(config.url(ENDPOINT), headers=headers, params=params)
        pages.append(body)
        if not isinstance(body, dict) or body.get("has_more") is not True:
            return pages
        last_id = body.get("last_id")
        if not isinstance(last_id, str) or not last_id:
            raise FetchError("has_more is true but last_id is missing; cannot page further")
        guard.check(last_id)
        params = {"limit": PAGE_SIZE, "after_id": last_id}


def _supported(capabilities: Any, name: str) -> bool | None:
    entry = capabilities.get(name) if isinstance(capabilities, dict) else None
    value = entry.get("supported") if isinstance(entry, dict) else None
    return value if isinstance(value, bool) else None


def normalize(pages: Pages) -> Normalized:
    records = RecordSet(ID)
    for body in pages:
        for position, item in each_object(items_of(body, "data", allow_array=False), records):
            caps = item.get("capabilities")
            image, pdf = _supported(caps, "image_input"), _supported(caps, "pdf_input")
            inputs = ["text"] + (["image"] if image else []) + (["file"] if pdf else [])
            max_input = r.tokens(item.get("max_input_tokens"))
            fields: dict[str, Any] = {
                "name": r.label(item.get("display_name")),
                "created": r.unix_from_text(item.get("created_at")),
                "context_length": max_input,
                "max_input_tokens": max_input,
                "max_output_tokens": r.tokens(item.get("max_tokens")),
                "owned_by": "anthropic",
                "architecture": {"input_modalities": inputs, "output_modalities": ["text"]} if caps else None,
            }
            extension = {
                "capabilities": {
                    "vision": image,
                    "pdf_input": pdf,
                    "structured_output": _supported(caps, "structured_outputs"),
                    "reasoning": _supported(caps, "thinking"),
                },
                "lifecycle": {"release_date": r.date_string(item.get("created_at"))},
            }
            records.add(item.get("id"), fields, extension, position=position)
    return records.result()


PRICING_PAGE = "https://platform.claude.com/docs/en/about-claude/pricing"
_MULTIPLIERS = (
    "| 5-minute cache write | 1.25x base input price | Cache valid for 5 minutes | "
    "1-hour cache write | 2x base input price | Cache valid for 1 hour | Cache read (hit) | 0.1x base input "
    "price (0.025x on Claude Fable 5.1 and Claude Mythos 5.1; 0.05x on Claude Opus 5.5) |"
)
_CACHE_READ_QUOTE = (
    "prompt caching reads cost 10% of the base input price (2.5% on Claude Fable 5.1 and Claude Mythos "
    "5.1, 5% on Claude Opus 5.5 and Claude Sonnet 5.5)"
)
# Claude Haiku 3's row of the page's table is rounded ($0.25 input, $0.30 5m write, $0.03 read):
# the multipliers hold for every other model, but the row is the price (its 1h write, $0.50, is 2x).
_HAIKU_3 = claude(families=("haiku",), versions=((3, 0),))
# The page's exceptions to the 0.1x cache read: 0.025x and 0.05x.
_QUARTER_TENTH_MODELS = claude(versions=((5, 1),), families=("fable", "mythos"))
_TWENTIETH_MODELS = claude(versions=((5, 5),), families=("opus", "sonnet"))
_HAIKU_5_5 = claude(families=("haiku",), versions=((5, 5),))
_LONG_CONTEXT_4_5 = (
    "When using Claude Opus 4.6, Sonnet 4.6, Sonnet 4.5, or Sonnet 4 at standard speed with the 1M token "
    "context window enabled, requests that exceed 200K input tokens are automatically charged at premium "
    "long context rates. … | Claude Sonnet 4.6 / 4.5 / 4 | Input: $3 / MTok | Input: $6 / MTok | | Output: "
    "$15 / MTok | Output: $22.50 / MTok | … If your request exceeds 200K input tokens, all tokens incur "
    "premium pricing."
)
# Each rule quotes the page; rule ids are stable (provenance rule:<id>).
PRICE_RULES = (
    PriceRule(
        "anthropic-cache-write-5m-1.25x",
        all_of(claude(), none_of(_HAIKU_3)),
        Multiplier(CACHE_WRITE, Decimal("1.25")),
        Evidence(PRICING_PAGE, _MULTIPLIERS),
    ),
    PriceRule(
        "anthropic-cache-write-1h-2x",
        claude(),
        Multiplier(CACHE_WRITE_1H, Decimal(2)),
        Evidence(PRICING_PAGE, _MULTIPLIERS),
    ),
    PriceRule(
        "anthropic-cache-read-0.1x",
        all_of(claude(), none_of(_QUARTER_TENTH_MODELS, _TWENTIETH_MODELS, _HAIKU_3)),
        Multiplier(CACHE_READ, Decimal("0.1")),
        Evidence(PRICING_PAGE, _MULTIPLIERS),
    ),
    PriceRule(
        "anthropic-cache-read-0.025x",
        _QUARTER_TENTH_MODELS,
        Multiplier(CACHE_READ, Decimal("0.025")),
        Evidence("https://platform.claude.com/docs/en/about-claude/models/overview", _CACHE_READ_QUOTE),
    ),
    PriceRule(
        "anthropic-cache-read-0.05x",
        _TWENTIETH_MODELS,
        Multiplier(CACHE_READ, Decimal("0.05")),
        Evidence("https://platform.claude.com/docs/en/about-claude/models/overview", _CACHE_READ_QUOTE),
    ),
    PriceRule(
        "anthropic-batch-50pct",
        claude(),
        ScaledVariant(scaled(ALL_TOKEN_PRICES, HALF), tier="batch"),
        Evidence(
            PRICING_PAGE,
            "The Batch API allows asynchronous processing of large volumes of requests with a 50% discount "
            "on both input and output tokens.",
        ),
    ),
    PriceRule(
        "anthropic-long-context-200k-sonnet-4-and-4-5",
        claude(families=("sonnet",), versions=((4, 0), (4, 5))),
        LongContext(200_000, {PROMPT: Decimal(2), COMPLETION: Decimal("1.5")}),
        Evidence(PRICING_PAGE, _LONG_CONTEXT_4_5),
    ),
    PriceRule(
        "anthropic-long-context-flat-4-6-and-later",
        all_of(claude(since=(4, 6)), none_of(_HAIKU_5_5)),
        FlatContext(),
        Evidence(
            PRICING_PAGE,
            "Claude 4.6 and later models and Claude Mythos Preview include the full 1M token context window "
            "at standard pricing. (A 900k-token request is billed at the same per-token rate as a 9k-token "
            "request.)",
        ),
    ),
    PriceRule(
        "anthropic-haiku-5-5-100k-prompt-tier",
        _HAIKU_5_5,
        LongContext(100_000, {PROMPT: Decimal(5), COMPLETION: Decimal(5)}),
        Evidence(
            "https://platform.claude.com/docs/en/models/haiku-5-5/overview",
            "| Input | $0.10 / MTok for prompts up to 100,000 tokens; $0.50 / MTok for prompts over 100,000 "
            "tokens | | Output | $0.50 / MTok for prompts up to 100,000 tokens; $2.50 / MTok for prompts "
            "over 100,000 tokens |",
        ),
    ),
)


PROVIDER = Provider(
    id=ID,
    name="Anthropic",
    default_api_root=DEFAULT_API_ROOT,
    endpoint=ENDPOINT,
    env_vars=("ANTHROPIC_API_KEY",),
    credentials=(("ANTHROPIC_API_KEY",),),
    auth="`x-api-key` + `anthropic-version: 2023-06-01`",
    pagination="`limit=1000`, `after_id=<last_id>` while `has_more`",
    metadata="display name, created_at, max_input_tokens, max_tokens, capability matrix",
    vendor="anthropic",
    fetch=fetch,
    normalize=normalize,
    catalog_names={
        "models.dev": ("anthropic",),
        "litellm": ("anthropic",),
        "ruby_llm": ("anthropic",),
        "portkey": ("anthropic",),
    },
    model_ids=ModelIds(
        latest_aliases=True,
        # From Claude 4 on the tier comes before the version (``claude-sonnet-4-20250514``); catalogs
        # that write ``claude-4-sonnet-20250514`` name that id.
        own_spellings=(Rewrite(r"^claude-([4-9](?:[-.]\d)?)-(opus|sonnet|haiku)(?=-|$)", r"claude-\2-\1"),),
        # Its aliases name a snapshot its list spells with the date: ``claude-sonnet-4-5`` and
        # ``claude-3-7-sonnet-latest`` are ``claude-sonnet-4-5-20250929`` and ``claude-3-7-sonnet-20250219``,
        # ``claude-opus-4-0`` (a ``.0`` minor version) is ``claude-opus-4-20250514`` (its models overview).
        list_aliases=(Rewrite(r"-(20\d{6}|latest)$"), Rewrite(r"-0$")),
    ),
    catalog_rules=CatalogRules(litellm_slash_free=True),
    price_rules=PRICE_RULES,
    response_formats=(ResponseFormat.ANTHROPIC,),
)
