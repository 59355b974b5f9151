"""Parasail: ``GET https://api.parasail.io/v1/models`` (Bearer key; OpenAI-compatible, one body)."""

from __future__ import annotations

from modelatlas.fetch.providers.openai_compatible import OpenAICompatible

PROVIDER = "parasail"
DEFAULT_BASE_URL = "https://api.parasail.io/v1"
ENDPOINT = "/models"
ENV_VARS = ("PARASAIL_API_KEY",)
PAGINATION = "none (one body)"
METADATA = "id, created, owned_by"

_SPEC = OpenAICompatible(PROVIDER, key_vars=("PARASAIL_API_KEY",))
missing_credentials = _SPEC.missing_credentials
fetch = _SPEC.fetch
normalize = _SPEC.normalize
