"""SGLang: a self-hosted server's ``GET <SGLANG_BASE_URL>/v1/models`` (OpenAI-compatible, one body).

``created`` is the time of the request on SGLang, so it is ignored; ``owned_by`` is always the
server's own name (``sglang``), not the model's vendor, so it is ignored too. ``max_model_len`` is
the served context window. The key is optional (servers started with ``--api-key``).
"""

from __future__ import annotations

from typing import Any

from modelatlas.config import Settings
from modelatlas.fetch.providers.declaration import Provider
from modelatlas.fetch.providers.openai_compatible import OpenAICompatible
from modelatlas.fetch.providers.rules import ModelIds, Offering, OfferingRule, VendorSegment

ID = "sgl"
DEFAULT_API_ROOT = "{SGLANG_BASE_URL}/v1"
ENDPOINT = "/models"


def _drop_server_name(item: dict[str, Any], fields: dict[str, Any], extension: dict[str, Any]) -> None:
    fields["owned_by"] = None


_SPEC = OpenAICompatible(
    ID,
    key_vars=("SGLANG_API_KEY",),
    key_required=False,
    created_is_request_time=True,
    extra=_drop_server_name,
)
fetch = _SPEC.fetch
normalize = _SPEC.normalize


def _requirement(settings: Settings) -> str | None:
    if settings.get("SGLANG_BASE_URL") or settings.get("MODELATLAS_SGL_BASE_URL"):
        return None
    return "no SGLANG_BASE_URL (a self-hosted server)"


def api_root(settings: Settings) -> str | None:
    server = settings.get("SGLANG_BASE_URL")
    if not server:
        return None
    server = server.rstrip("/")
    return server if server.endswith("/v1") else server + "/v1"


PROVIDER = Provider(
    id=ID,
    name="SGLang",
    default_api_root=DEFAULT_API_ROOT,
    endpoint=ENDPOINT,
    env_vars=("SGLANG_BASE_URL", "SGLANG_API_KEY"),
    credentials=(("SGLANG_BASE_URL",),),
    auth="none; `Authorization: Bearer` if `SGLANG_API_KEY`",
    pagination="none (one body)",
    metadata="id, owned_by, max_model_len (context window), root/parent (LoRA adapters)",
    fetch=fetch,
    normalize=normalize,
    api_root_for=api_root,
    requirement=_requirement,
    hint="no SGLANG_BASE_URL set (SGLang is self-hosted)",
    public_settings=("SGLANG_BASE_URL",),
    model_ids=ModelIds(vendor_segment=VendorSegment.SLASH),  # Hugging Face repository ids
    offerings=(OfferingRule(Offering.SELF_HOSTED),),  # a server of the user's own: nothing billed per use
)
