"""Groq: ``GET https://api.groq.com/openai/v1/models`` (Bearer key; OpenAI-compatible, one body)."""

from __future__ import annotations

from modelatlas.fetch.providers.declaration import Provider
from modelatlas.fetch.providers.openai_compatible import OpenAICompatible

ID = "groq"
DEFAULT_BASE_URL = "https://api.groq.com/openai/v1"
ENDPOINT = "/models"

_SPEC = OpenAICompatible(ID, key_vars=("GROQ_API_KEY",))
fetch = _SPEC.fetch
normalize = _SPEC.normalize


PROVIDER = Provider(
    id=ID,
    name="Groq",
    default_base_url=DEFAULT_BASE_URL,
    endpoint=ENDPOINT,
    env_vars=("GROQ_API_KEY",),
    credentials=(_SPEC.key_vars,),
    auth="`Authorization: Bearer`",
    pagination="none (one body)",
    metadata="id, created, owned_by, context_window, max_completion_tokens, active",
    fetch=fetch,
    normalize=normalize,
    catalog_names={"models.dev": ("groq",), "litellm": ("groq",)},
)
