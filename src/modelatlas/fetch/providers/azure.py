"""Azure OpenAI: ``GET {AZURE_OPENAI_ENDPOINT}/openai/models?api-version=2024-10-21`` (``api-key``).

Models the resource can use (not its deployments). No pagination on this list, but a
``nextLink`` (ARM style) is followed when present, staying on the same host. Both the Azure item
shape (``created_at``, ``capabilities``, ``lifecycle_status``, ``deprecation``) and the OpenAI one
(``created``, ``owned_by``, ``shutdown_date``) are read.
"""

from __future__ import annotations

from typing import Any

from modelatlas import record as r
from modelatlas.config import Settings
from modelatlas.fetch.http import HttpClient, same_origin_url
from modelatlas.fetch.providers import openai
from modelatlas.fetch.providers.base import CursorGuard, ProviderConfig, next_token
from modelatlas.fetch.providers.declaration import Provider
from modelatlas.fetch.providers.price_rules import CACHE_WRITE, Evidence, NotBilled, PriceRule, openai_models
from modelatlas.fetch.providers.rules import CatalogRules, ModelIds, NameReading, ResponseFormat, Rewrite
from modelatlas.fetch.record_builder import Normalized, Pages, RecordSet, each_object, items_of

ID = "azure"
DEFAULT_API_ROOT = "{AZURE_OPENAI_ENDPOINT}/openai"
ENDPOINT = "/models"

API_VERSION = "2024-10-21"

_METHODS = {"chat_completion": "chat_completion", "completion": "text_completion", "embeddings": "embedding"}
_STATUS = {
    "preview": "preview",
    "generally-available": "active",
    "deprecated": "deprecated",
    "deprecating": "deprecated",
    "retired": "removed",
}


def _requirement(settings: Settings) -> str | None:
    missing = ["AZURE_OPENAI_API_KEY"] if not settings.get("AZURE_OPENAI_API_KEY") else []
    if not settings.get("AZURE_OPENAI_ENDPOINT") and not settings.get("MODELATLAS_AZURE_BASE_URL"):
        missing.append("AZURE_OPENAI_ENDPOINT")
    return f"no {' and '.join(missing)}" if missing else None


def api_root(settings: Settings) -> str | None:
    endpoint = settings.get("AZURE_OPENAI_ENDPOINT")
    return endpoint.rstrip("/") + "/openai" if endpoint else None


def fetch(client: HttpClient, config: ProviderConfig) -> Pages:
    headers = {"api-key": config.get("AZURE_OPENAI_API_KEY") or ""}
    url = config.url(ENDPOINT)
    body = client.get_json(url, headers=headers, params={"api-version": API_VERSION})
    pages: Pages = [body]
    guard = CursorGuard("nextLink")
    while (link := next_token(body, "nextLink")) is not None:
        guard.check(link)
        body = client.get_json(same_origin_url(url, link), headers=headers)
        pages.append(body)
    return pages


def normalize(pages: Pages) -> Normalized:
    records = RecordSet(ID)
    for body in pages:
        for position, item in each_object(items_of(body, "data", "value", allow_array=False), records):
            caps = r.json_object(item.get("capabilities"))
            true_caps = [name for name, value in caps.items() if value is True]
            deprecation = r.json_object(item.get("deprecation"))
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


PRICE_RULES = (
    PriceRule(
        "azure-openai-cache-writes-free-before-gpt-5.6",
        openai_models(before=(5, 6)),
        NotBilled((CACHE_WRITE,)),
        Evidence(
            "https://learn.microsoft.com/en-za/Azure/foundry-classic/openai/how-to/prompt-caching",
            "Models before gpt-5.6 don't charge extra to write to the cache. On gpt-5.6 and later models, "
            "cache writes are billed in addition to discounted cache reads.",
        ),
    ),
)

PROVIDER = Provider(
    id=ID,
    name="Azure OpenAI",
    default_api_root=DEFAULT_API_ROOT,
    endpoint=ENDPOINT,
    env_vars=("AZURE_OPENAI_API_KEY", "AZURE_OPENAI_ENDPOINT"),
    credentials=(("AZURE_OPENAI_API_KEY",), ("AZURE_OPENAI_ENDPOINT",)),
    auth="`api-key`",
    pagination="none; `nextLink` followed when present",
    metadata="created_at, capability flags, lifecycle status, deprecation dates",
    fetch=fetch,
    normalize=normalize,
    # Azure serves OpenAI's models under OpenAI's ids, so the same non-model names and price tiers.
    id_grammar=openai.ID_GRAMMAR,
    catalog_names={
        "models.dev": ("azure", "azure-cognitive-services"),
        "litellm": ("azure", "azure_ai", "azure_text"),
        "ruby_llm": ("azure",),
        "portkey": ("azure-openai", "azure-ai"),
    },
    api_root_for=api_root,
    requirement=_requirement,
    public_settings=("AZURE_OPENAI_ENDPOINT",),
    # Azure writes GPT-3.5 as ``gpt-35-…`` (a dot is not allowed in its deployment names): the
    # catalogs' ``gpt-3.5-turbo`` is its ``gpt-35-turbo``, and the canonical name reads it back.
    model_ids=ModelIds(own_spellings=(Rewrite(r"(?i)^gpt-3\.5-", "gpt-35-"),)),
    name_reading=NameReading(
        decorations=(
            Rewrite(r"(?i)^gpt-35-", "gpt-3.5-"),
            # Fireworks models deployed in Foundry: ``FW-GLM-5.2`` is GLM 5.2 served by Fireworks
            # (https://docs.fireworks.ai/nexus/microsoft-foundry: "Fireworks models deployed in your
            # Azure subscription ... such as `FW-GLM-5.2`", "GLM 5.2 on Foundry").
            Rewrite(r"^FW-", label="Fireworks"),
        )
    ),
    catalog_rules=CatalogRules(
        litellm_region=r"(us|eu|apac|global|global-standard|us-gov)",  # LiteLLM's data-zone keys
        litellm_slash_free=True,
    ),
    price_rules=PRICE_RULES,
    response_formats=(ResponseFormat.OPENAI_RESPONSES, ResponseFormat.OPENAI_CHAT),
)
