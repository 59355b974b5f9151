"""OpenAI: ``GET https://api.openai.com/v1/models`` (Bearer key; one unpaginated body)."""

from __future__ import annotations

from modelatlas.fetch.id_rules import IdGrammar
from modelatlas.fetch.providers.declaration import Provider
from modelatlas.fetch.providers.openai_compatible import OpenAICompatible
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
    response_formats=(ResponseFormat.OPENAI_RESPONSES, ResponseFormat.OPENAI_CHAT),
)
