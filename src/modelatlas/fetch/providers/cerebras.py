"""Cerebras: ``GET https://api.cerebras.ai/v1/models`` (Bearer key; OpenAI-compatible, one body).

``owned_by`` is unreliable upstream (the docs show ``Meta`` for ``gpt-oss-120b``) but kept as sent.
"""

from __future__ import annotations

from modelatlas.fetch.providers.openai_compatible import OpenAICompatible

PROVIDER = "cerebras"
DEFAULT_BASE_URL = "https://api.cerebras.ai/v1"
ENDPOINT = "/models"
ENV_VARS = ("CEREBRAS_API_KEY",)
PAGINATION = "none (one body)"
METADATA = "id, created, owned_by"

_SPEC = OpenAICompatible(PROVIDER, key_vars=("CEREBRAS_API_KEY",))
missing_credentials = _SPEC.missing_credentials
fetch = _SPEC.fetch
normalize = _SPEC.normalize
