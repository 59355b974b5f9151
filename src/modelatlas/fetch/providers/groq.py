"""Groq: ``GET https://api.groq.com/openai/v1/models`` (Bearer key; OpenAI-compatible, one body).

``created`` is not a creation date: Groq's own API reference example gives most models the same
value (2023-09-03), ``llama-3.1-8b-instant`` included, which was released in July 2024. It is
ignored; the catalogs supply release dates.
"""

from __future__ import annotations

from typing import Any

from modelatlas.fetch.providers.declaration import Provider
from modelatlas.fetch.providers.openai_compatible import OpenAICompatible
from modelatlas.fetch.providers.rules import ModelIds, NameReading, Rewrite, VendorSegment

ID = "groq"
DEFAULT_API_ROOT = "https://api.groq.com/openai/v1"
ENDPOINT = "/models"


def _drop_created(item: dict[str, Any], fields: dict[str, Any], extension: dict[str, Any]) -> None:
    fields["created"] = None


_SPEC = OpenAICompatible(ID, key_vars=("GROQ_API_KEY",), extra=_drop_created)
fetch = _SPEC.fetch
normalize = _SPEC.normalize


PROVIDER = Provider(
    id=ID,
    name="Groq",
    default_api_root=DEFAULT_API_ROOT,
    endpoint=ENDPOINT,
    env_vars=("GROQ_API_KEY",),
    credentials=(_SPEC.key_vars,),
    auth="`Authorization: Bearer`",
    pagination="none (one body)",
    metadata="id, created, owned_by, context_window, max_completion_tokens, active",
    fetch=fetch,
    normalize=normalize,
    catalog_names={"models.dev": ("groq",), "litellm": ("groq",), "portkey": ("groq",)},
    model_ids=ModelIds(vendor_segment=VendorSegment.SLASH),
    name_reading=NameReading(
        decorations=(
            Rewrite("-versatile$"),  # speed tiers: ``llama-3.3-70b-versatile``
            Rewrite("-instant$"),
            # its older ids end in the model's context window: ``llama3-70b-8192`` is Llama 3 70B
            # ("Get Started with llama3-70b", console.groq.com/docs/model/llama3-70b-8192; an 8K
            # window), ``mixtral-8x7b-32768`` Mixtral 8x7B (32K)
            Rewrite(r"-(?:2048|4096|8192|16384|32768|65536|131072)$"),
        ),
        implied_suffixes=("-instruct",),  # its Llama ids serve the Instruct weights (its model pages)
    ),
)
