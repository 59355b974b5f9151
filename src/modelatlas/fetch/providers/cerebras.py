"""Cerebras: ``GET https://api.cerebras.ai/v1/models`` (Bearer key; OpenAI-compatible, one body).

``owned_by`` is unreliable upstream (the docs show ``Meta`` for ``gpt-oss-120b``) but kept as sent.
Cerebras's documented model object adds ``hugging_face_id``, ``pricing`` (USD per token as decimal
strings), ``limits`` (context and completion tokens), ``capabilities`` and ``deprecated``/``preview``
flags; each is read when present.
"""

from __future__ import annotations

from typing import Any

from modelatlas.fetch.providers import records as r
from modelatlas.fetch.providers.openai_compatible import OpenAICompatible

PROVIDER = "cerebras"
DEFAULT_BASE_URL = "https://api.cerebras.ai/v1"
ENDPOINT = "/models"
ENV_VARS = ("CEREBRAS_API_KEY",)
PAGINATION = "none (one body)"
METADATA = "id, created, owned_by; name, hugging_face_id, pricing, limits, capabilities when sent"

_CAPABILITIES = {"tool_call": "function_calling", "vision": "vision", "reasoning": "reasoning"}


def _object(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _details(item: dict[str, Any], fields: dict[str, Any], extension: dict[str, Any]) -> None:
    limits, pricing, capabilities = (_object(item.get(key)) for key in ("limits", "pricing", "capabilities"))
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


_SPEC = OpenAICompatible(PROVIDER, key_vars=("CEREBRAS_API_KEY",), extra=_details)
missing_credentials = _SPEC.missing_credentials
fetch = _SPEC.fetch
normalize = _SPEC.normalize
