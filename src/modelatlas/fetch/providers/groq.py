"""Groq: ``GET https://api.groq.com/openai/v1/models`` (Bearer key; OpenAI-compatible, one body).

``created`` is not a creation date: Groq's own API reference example gives most models the same
value (2023-09-03), ``llama-3.1-8b-instant`` included, which was released in July 2024. It is
ignored; the catalogs supply release dates.
"""

from __future__ import annotations

from typing import Any

from modelatlas.fetch.providers.openai_compatible import OpenAICompatible

PROVIDER = "groq"
DEFAULT_BASE_URL = "https://api.groq.com/openai/v1"
ENDPOINT = "/models"
ENV_VARS = ("GROQ_API_KEY",)
PAGINATION = "none (one body)"
METADATA = "id, created, owned_by, context_window, max_completion_tokens, active"


def _drop_created(item: dict[str, Any], fields: dict[str, Any], extension: dict[str, Any]) -> None:
    fields["created"] = None


_SPEC = OpenAICompatible(PROVIDER, key_vars=("GROQ_API_KEY",), extra=_drop_created)
missing_credentials = _SPEC.missing_credentials
fetch = _SPEC.fetch
normalize = _SPEC.normalize
