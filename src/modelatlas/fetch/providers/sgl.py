"""SGLang: a self-hosted server's ``GET <SGLANG_BASE_URL>/v1/models`` (OpenAI-compatible, one body).

``created`` is the time of the request on SGLang, so it is ignored; ``owned_by`` is always the
server's own name (``sglang``), not the model's vendor, so it is ignored too. ``max_model_len`` is
the served context window. The key is optional (servers started with ``--api-key``).
"""

from __future__ import annotations

from typing import Any

from modelatlas.config import Settings
from modelatlas.fetch.providers.openai_compatible import OpenAICompatible

PROVIDER = "sgl"
DEFAULT_BASE_URL = "{SGLANG_BASE_URL}/v1"
ENDPOINT = "/models"
ENV_VARS = ("SGLANG_BASE_URL", "SGLANG_API_KEY")
PAGINATION = "none (one body)"
METADATA = "id, owned_by, max_model_len (context window), root/parent (LoRA adapters)"


def _drop_server_name(item: dict[str, Any], fields: dict[str, Any], extension: dict[str, Any]) -> None:
    fields["owned_by"] = None


_SPEC = OpenAICompatible(
    PROVIDER,
    key_vars=("SGLANG_API_KEY",),
    key_required=False,
    created_is_request_time=True,
    extra=_drop_server_name,
)
fetch = _SPEC.fetch
normalize = _SPEC.normalize


def missing_credentials(settings: Settings) -> str | None:
    if settings.get("SGLANG_BASE_URL") or settings.get("MODELATLAS_SGL_BASE_URL"):
        return None
    return "no SGLANG_BASE_URL (a self-hosted server)"


def default_base_url(settings: Settings) -> str | None:
    server = settings.get("SGLANG_BASE_URL")
    if not server:
        return None
    server = server.rstrip("/")
    return server if server.endswith("/v1") else server + "/v1"
