"""Groq: ``GET https://api.groq.com/openai/v1/models`` (Bearer key; OpenAI-compatible, one body)."""

from __future__ import annotations

from modelatlas.fetch.providers.openai_compatible import OpenAICompatible

PROVIDER = "groq"
DEFAULT_BASE_URL = "https://api.groq.com/openai/v1"
ENDPOINT = "/models"
ENV_VARS = ("GROQ_API_KEY",)
PAGINATION = "none (one body)"
METADATA = "id, created, owned_by, context_window, max_completion_tokens, active"

_SPEC = OpenAICompatible(PROVIDER, key_vars=("GROQ_API_KEY",))
missing_credentials = _SPEC.missing_credentials
fetch = _SPEC.fetch
normalize = _SPEC.normalize
