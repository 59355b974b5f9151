"""Cerebras: ``GET https://api.cerebras.ai/v1/models`` (Bearer key; OpenAI-compatible, one body).

``owned_by`` is unreliable upstream (the docs show ``Meta`` for ``gpt-oss-120b``) but kept as sent.
Cerebras's documented model object adds ``hugging_face_id``, ``pricing`` (USD per token as decimal
strings), ``limits`` (context and completion tokens), ``capabilities`` and ``deprecated``/``preview``
flags; each is read when present.
"""

from __future__ import annotations

from typing import Any

from modelatlas import record as r
from modelatlas.fetch.providers.declaration import Provider
from modelatlas.fetch.providers.openai_compatible import OpenAICompatible
from modelatlas.fetch.providers.rules import CatalogRules, NameReading

ID = "cerebras"
DEFAULT_API_ROOT = "https://api.cerebras.ai/v1"
ENDPOINT = "/models"

_CAPABILITIES = {"tool_call": "function_calling", "vision": "vision", "reasoning": "reasoning"}


def _details(item: dict[str, Any], fields: dict[str, Any], extension: dict[str, Any]) -> None:
    limits, pricing, capabilities = (
        r.json_object(item.get(key)) for key in ("limits", "pricing", "capabilities")
    )
    fields["hugging_face_id"] = r.label(item.get("hugging_face_id"), 200)
    fields["context_length"] = fields.get("context_length") or r.tokens(limits.get("max_context_length"))
    fields["max_output_tokens"] = fields.get("max_output_tokens") or r.tokens(
        limits.get("max_completion_tokens")
    )
    fields["pricing"] = {
        "prompt": r.price(pricing.get("prompt")),
        "completion": r.price(pricing.get("completion")),
    }
    extension["capabilities"] = {
        ours: True if capabilities.get(theirs) is True else None for ours, theirs in _CAPABILITIES.items()
    }
    status = (
        "deprecated" if item.get("deprecated") is True else "preview" if item.get("preview") is True else None
    )
    extension["lifecycle"] = {**extension.get("lifecycle", {}), "status": status}


_SPEC = OpenAICompatible(ID, key_vars=("CEREBRAS_API_KEY",), extra=_details)
fetch = _SPEC.fetch
normalize = _SPEC.normalize


PROVIDER = Provider(
    id=ID,
    name="Cerebras",
    default_api_root=DEFAULT_API_ROOT,
    endpoint=ENDPOINT,
    env_vars=("CEREBRAS_API_KEY",),
    credentials=(_SPEC.key_vars,),
    auth="`Authorization: Bearer`",
    pagination="none (one body)",
    metadata="id, created, owned_by; name, hugging_face_id, pricing, limits, capabilities when sent",
    fetch=fetch,
    normalize=normalize,
    catalog_names={"models.dev": ("cerebras",), "litellm": ("cerebras",), "portkey": ("cerebras",)},
    # Its Llama and Gemma ids leave out -instruct/-it but serve the instruction-tuned weights.
    name_reading=NameReading(implied_suffixes=("-instruct", "-it")),
    catalog_rules=CatalogRules(litellm_slash_free=True),
)
