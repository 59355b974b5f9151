"""Azure OpenAI: ``GET {AZURE_OPENAI_ENDPOINT}/openai/models?api-version=2024-10-21`` (``api-key``).

Models the resource can use (not its deployments). No pagination on this list, but a
``nextLink`` (ARM style) is followed when present, staying on the same host. Both the Azure item
shape (``created_at``, ``capabilities``, ``lifecycle_status``, ``deprecation``) and the OpenAI one
(``created``, ``owned_by``, ``shutdown_date``) are read.
"""

from __future__ import annotations

from typing import Any

from modelatlas.config import Settings
from modelatlas.fetch.http import HttpClient, same_origin_url
from modelatlas.fetch.id_rules import IdGrammar
from modelatlas.fetch.providers import records as r
from modelatlas.fetch.providers.base import CursorGuard, ProviderConfig, next_token

PROVIDER = "azure"
DEFAULT_BASE_URL = "{AZURE_OPENAI_ENDPOINT}/openai"
ENDPOINT = "/models"
ENV_VARS = ("AZURE_OPENAI_API_KEY", "AZURE_OPENAI_ENDPOINT")
PAGINATION = "none; `nextLink` followed when present"
METADATA = "created_at, capability flags, lifecycle status, deprecation dates"
# Azure serves OpenAI's models under OpenAI's ids, so the same non-model names and price tiers.
ID_GRAMMAR = IdGrammar(
    api_resources={"container": "the Containers API (code interpreter sessions), not a model"},
    tier_suffixes={"-high-res": "a resolution price tier"},
)
API_VERSION = "2024-10-21"

_METHODS = {"chat_completion": "chat_completion", "completion": "text_completion", "embeddings": "embedding"}
_STATUS = {
    "preview": "preview",
    "generally-available": "active",
    "deprecated": "deprecated",
    "deprecating": "deprecated",
    "retired": "removed",
}


def missing_credentials(settings: Settings) -> str | None:
    missing = ["AZURE_OPENAI_API_KEY"] if not settings.get("AZURE_OPENAI_API_KEY") else []
    if not settings.get("AZURE_OPENAI_ENDPOINT") and not settings.get("MODELATLAS_AZURE_BASE_URL"):
        missing.append("AZURE_OPENAI_ENDPOINT")
    return f"no {' and '.join(missing)}" if missing else None


def default_base_url(settings: Settings) -> str | None:
    endpoint = settings.get("AZURE_OPENAI_ENDPOINT")
    return endpoint.rstrip("/") + "/openai" if endpoint else None


def fetch(client: HttpClient, config: ProviderConfig) -> r.Pages:
    headers = {"api-key": config.get("AZURE_OPENAI_API_KEY") or ""}
    url = config.url(ENDPOINT)
    body = client.get_json(url, headers=headers, params={"api-version": API_VERSION})
    pages: r.Pages = [body]
    guard = CursorGuard("nextLink")
    while (link := next_token(body, "nextLink")) is not None:
        guard.check(link)
        body = client.get_json(same_origin_url(url, link), headers=headers)
        pages.append(body)
    return pages


def normalize(pages: r.Pages) -> r.Normalized:
    records = r.RecordSet(PROVIDER)
    for body in pages:
        for position, item in r.each_object(r.items_of(body, "data", "value", allow_array=False), records):
            caps = item.get("capabilities") if isinstance(item.get("capabilities"), dict) else {}
            true_caps = [name for name, value in caps.items() if value is True]
            deprecation = item.get("deprecation") if isinstance(item.get("deprecation"), dict) else {}
            status = item.get("lifecycle_status")
            fields: dict[str, Any] = {
                "created": r.unix_seconds(item.get("created_at")) or r.unix_seconds(item.get("created")),
                "owned_by": r.label(item.get("owned_by"), 100),
                "supported_methods": r.mapped(true_caps, _METHODS),
            }
            extension = {
                "mode": "chat"
                if caps.get("chat_completion") is True
                else "embedding"
                if caps.get("embeddings") is True
                else None,
                "lifecycle": {
                    "status": _STATUS.get(status.lower()) if isinstance(status, str) else None,
                    "retirement_date": r.date_string(deprecation.get("inference"))
                    or r.date_string(item.get("shutdown_date")),
                },
            }
            records.add(item.get("id"), fields, extension, position=position)
    return records.result()
