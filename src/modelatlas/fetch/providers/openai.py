"""OpenAI: ``GET https://api.openai.com/v1/models`` (Bearer key; one unpaginated body)."""

from __future__ import annotations

from decimal import Decimal

from modelatlas.fetch.id_rules import IdGrammar
from modelatlas.fetch.providers.declaration import Provider
from modelatlas.fetch.providers.openai_compatible import OpenAICompatible
from modelatlas.fetch.providers.price_rules import (
    CACHE_READ,
    CACHE_WRITE,
    COMPLETION,
    PROMPT,
    Evidence,
    LongContext,
    Multiplier,
    NotBilled,
    PriceRule,
    name_matches,
    openai_models,
)
from modelatlas.fetch.providers.rules import CatalogRules, ResponseFormat

ID = "openai"
DEFAULT_API_ROOT = "https://api.openai.com/v1"
ENDPOINT = "/models"
# Names of API resources (not models) that catalogs list, and suffixes that name a price tier.
ID_GRAMMAR = IdGrammar(
    api_resources={"container": "the Containers API (code interpreter sessions), not a model"},
    tier_suffixes={"-high-res": "a resolution price tier"},
)

_SPEC = OpenAICompatible(
    ID,
    key_vars=("OPENAI_API_KEY",),
    extra_headers=(("OpenAI-Organization", "OPENAI_ORG_ID"), ("OpenAI-Project", "OPENAI_PROJECT_ID")),
)
fetch = _SPEC.fetch
normalize = _SPEC.normalize


CACHING_GUIDE = "https://developers.openai.com/api/docs/guides/prompt-caching?prompt-cache-api=chat-completions"
_CACHE_WRITES = (
    "Cache writes have no additional fee on models before the GPT-5.6 family. For GPT-5.6 models and later "
    "model families, cache writes cost 1.25× the uncached input token rate."
)
# The 1.05M-window models whose pages state the 272K long-context tier (not gpt-5 to 5.2: 400K window).
LONG_CONTEXT_MODELS = name_matches(r"gpt-(5\.4|5\.5|5\.6)(-pro|-sol|-terra|-luna)?(-\d{4}-\d{2}-\d{2})?$")
PRICE_RULES = (
    PriceRule(
        "openai-cache-write-free-before-gpt-5.6",
        openai_models(before=(5, 6)),
        NotBilled((CACHE_WRITE,)),
        Evidence(CACHING_GUIDE, _CACHE_WRITES),
    ),
    PriceRule(
        "openai-cache-write-1.25x-from-gpt-5.6",
        openai_models(since=(5, 6)),
        Multiplier(CACHE_WRITE, Decimal("1.25")),
        Evidence(CACHING_GUIDE, _CACHE_WRITES),
    ),
    PriceRule(
        "openai-long-context-272k",
        LONG_CONTEXT_MODELS,
        LongContext(
            272_000,
            {PROMPT: Decimal(2), COMPLETION: Decimal("1.5"), CACHE_READ: Decimal(2), CACHE_WRITE: Decimal(2)},
        ),
        Evidence(
            "https://developers.openai.com/api/docs/models/gpt-5.5",
            "For GPT-5.5, prompts with >272K input tokens are priced at 2x input and 1.5x output for the "
            "full session for standard, batch, and flex.",
        ),
    ),
)

PROVIDER = Provider(
    id=ID,
    name="OpenAI",
    default_api_root=DEFAULT_API_ROOT,
    endpoint=ENDPOINT,
    env_vars=("OPENAI_API_KEY", "OPENAI_ORG_ID", "OPENAI_PROJECT_ID"),
    credentials=(_SPEC.key_vars,),
    auth="`Authorization: Bearer`",
    pagination="none (one body)",
    metadata="id, created, owned_by, shutdown_date",
    vendor="openai",
    fetch=fetch,
    normalize=normalize,
    id_grammar=ID_GRAMMAR,
    catalog_names={
        "models.dev": ("openai",),
        "litellm": ("openai", "text-completion-openai"),
        "ruby_llm": ("openai",),
        "portkey": ("openai",),
    },
    # No ``latest_aliases``: its ``-latest`` ids follow the model ChatGPT uses (``chatgpt-4o-latest``,
    # ``gpt-5-chat-latest``), not its newest dated API snapshot.
    catalog_rules=CatalogRules(litellm_slash_free=True),
    price_rules=PRICE_RULES,
    response_formats=(ResponseFormat.OPENAI_RESPONSES, ResponseFormat.OPENAI_CHAT),
)
