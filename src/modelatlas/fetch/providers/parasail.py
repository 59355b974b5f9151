"""Parasail: ``GET https://api.parasail.io/v1/models`` (Bearer key; OpenAI-compatible, one body)."""

from __future__ import annotations

from modelatlas.fetch.providers.declaration import Provider
from modelatlas.fetch.providers.openai_compatible import OpenAICompatible
from modelatlas.fetch.providers.rules import ModelIds, VendorSegment

ID = "parasail"
DEFAULT_API_ROOT = "https://api.parasail.io/v1"
ENDPOINT = "/models"

_SPEC = OpenAICompatible(ID, key_vars=("PARASAIL_API_KEY",))
fetch = _SPEC.fetch
normalize = _SPEC.normalize


PROVIDER = Provider(
    id=ID,
    name="Parasail",
    default_api_root=DEFAULT_API_ROOT,
    endpoint=ENDPOINT,
    env_vars=("PARASAIL_API_KEY",),
    credentials=(_SPEC.key_vars,),
    auth="`Authorization: Bearer`",
    pagination="none (one body)",
    metadata="id, created, owned_by",
    fetch=fetch,
    normalize=normalize,
    model_ids=ModelIds(vendor_segment=VendorSegment.SLASH),  # Hugging Face repository ids
)
