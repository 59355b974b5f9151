"""Cerebras: ``GET https://api.cerebras.ai/v1/models`` (Bearer key; OpenAI-compatible, one body).

``owned_by`` is unreliable upstream (the docs show ``Meta`` for ``gpt-oss-120b``) but kept as sent.
"""

from __future__ import annotations

from modelatlas.fetch.providers.declaration import Provider
from modelatlas.fetch.providers.openai_compatible import OpenAICompatible

ID = "cerebras"
DEFAULT_BASE_URL = "https://api.cerebras.ai/v1"
ENDPOINT = "/models"

_SPEC = OpenAICompatible(ID, key_vars=("CEREBRAS_API_KEY",))
fetch = _SPEC.fetch
normalize = _SPEC.normalize


PROVIDER = Provider(
    id=ID,
    name="Cerebras",
    default_base_url=DEFAULT_BASE_URL,
    endpoint=ENDPOINT,
    env_vars=("CEREBRAS_API_KEY",),
    credentials=(_SPEC.key_vars,),
    auth="`Authorization: Bearer`",
    pagination="none (one body)",
    metadata="id, created, owned_by",
    fetch=fetch,
    normalize=normalize,
    catalog_names={"models.dev": ("cerebras",), "litellm": ("cerebras",)},
)
