"""OpenAI: ``GET https://api.openai.com/v1/models`` (Bearer key; one unpaginated body)."""

from __future__ import annotations

from modelatlas.fetch.id_rules import IdGrammar
from modelatlas.fetch.providers.openai_compatible import OpenAICompatible

PROVIDER = "openai"
DEFAULT_BASE_URL = "https://api.openai.com/v1"
ENDPOINT = "/models"
ENV_VARS = ("OPENAI_API_KEY", "OPENAI_ORG_ID", "OPENAI_PROJECT_ID")
PAGINATION = "none (one body)"
METADATA = "id, created, owned_by, shutdown_date"
# Names of API resources (not models) that catalogs list, and suffixes that name a price tier.
ID_GRAMMAR = IdGrammar(
    api_resources={"container": "the Containers API (code interpreter sessions), not a model"},
    tier_suffixes={"-high-res": "a resolution price tier"},
)

_SPEC = OpenAICompatible(
    PROVIDER,
    key_vars=("OPENAI_API_KEY",),
    extra_headers=(("OpenAI-Organization", "OPENAI_ORG_ID"), ("OpenAI-Project", "OPENAI_PROJECT_ID")),
)
missing_credentials = _SPEC.missing_credentials
fetch = _SPEC.fetch
normalize = _SPEC.normalize
