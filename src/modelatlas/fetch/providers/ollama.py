"""Ollama: a local server's ``GET /api/tags`` (``OLLAMA_HOST``), or ollama.com with ``OLLAMA_API_KEY``.

One body, no pagination. ``modified_at`` is when the model was pulled, so it becomes
``lifecycle.last_updated`` rather than ``created``. The OpenAI-style ``/v1/models`` shape (whose
``data`` is ``null`` on an empty server) is read too: there Ollama fills ``created`` with the same
pull time and ``owned_by`` with the registry namespace (``library``), so neither is a creation date
or a vendor.
"""

from __future__ import annotations

from typing import Any

from modelatlas import record as r
from modelatlas.config import Settings
from modelatlas.fetch.http import HttpClient
from modelatlas.fetch.providers.base import ProviderConfig
from modelatlas.fetch.providers.declaration import Provider
from modelatlas.fetch.providers.rules import (
    ModelIds,
    NameReading,
    Offering,
    OfferingRule,
    VariantTag,
    VendorSegment,
)
from modelatlas.fetch.record_builder import Normalized, Pages, RecordSet, each_object, items_of

ID = "ollama"
DEFAULT_API_ROOT = "http://localhost:11434"
HOSTED_API_ROOT = "https://ollama.com"
ENDPOINT = "/api/tags"
DEFAULT_PORT = 11434

_METHODS = {"completion": "chat_completion", "embedding": "embedding"}


def _requirement(settings: Settings) -> str | None:
    if settings.first("OLLAMA_HOST", "OLLAMA_API_KEY", "MODELATLAS_OLLAMA_BASE_URL"):
        return None
    return "no OLLAMA_HOST (local server) or OLLAMA_API_KEY (ollama.com)"


def api_root(settings: Settings) -> str:
    host = settings.get("OLLAMA_HOST")
    if not host:
        return HOSTED_API_ROOT if settings.get("OLLAMA_API_KEY") else DEFAULT_API_ROOT
    if "://" not in host:
        host = "http://" + host
    scheme, _, rest = host.partition("://")
    authority = rest.split("/", 1)[0]
    if ":" not in authority.rsplit("]", 1)[-1]:
        host = f"{scheme}://{authority}:{DEFAULT_PORT}" + rest[len(authority) :]
    return host.replace("://0.0.0.0", "://127.0.0.1")


def fetch(client: HttpClient, config: ProviderConfig) -> Pages:
    key = config.get("OLLAMA_API_KEY")
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    return [client.get_json(config.url(ENDPOINT), headers=headers)]


def normalize(pages: Pages) -> Normalized:
    records = RecordSet(ID)
    for body in pages:
        for position, item in each_object(items_of(body, "models", "data", allow_array=False), records):
            details = r.json_object(item.get("details"))
            caps = [c.lower() for c in r.string_list(item.get("capabilities"))]
            upstream = item.get("model") or item.get("name") or item.get("id")
            fields: dict[str, Any] = {
                "name": r.label(item.get("name")),
                "context_length": r.tokens(details.get("context_length")),
                "supported_methods": r.mapped(caps, _METHODS),
                "architecture": {"input_modalities": ["text", "image"] if "vision" in caps else ["text"]}
                if caps
                else None,
            }
            extension = {
                "family": r.label(details.get("family"), 100),
                "mode": "embedding" if "embedding" in caps else "chat" if "completion" in caps else None,
                "capabilities": {
                    "tool_call": True if "tools" in caps else None,
                    "vision": True if "vision" in caps else None,
                    "reasoning": True if "thinking" in caps else None,
                },
                "lifecycle": {"last_updated": r.date_string(item.get("modified_at") or item.get("created"))},
            }
            records.add(upstream, fields, extension, position=position)
    return records.result()


PROVIDER = Provider(
    id=ID,
    name="Ollama",
    default_api_root=DEFAULT_API_ROOT,
    endpoint=ENDPOINT,
    env_vars=("OLLAMA_HOST", "OLLAMA_API_KEY"),
    credentials=(("OLLAMA_HOST", "OLLAMA_API_KEY"),),
    auth="none locally; `Authorization: Bearer` for ollama.com",
    pagination="none (one body)",
    metadata="family, parameter size, quantisation, capabilities, context length when reported",
    fetch=fetch,
    normalize=normalize,
    catalog_names={"models.dev": ("ollama-cloud",), "litellm": ("ollama",), "ruby_llm": ("ollama_cloud",)},
    api_root_for=api_root,
    requirement=_requirement,
    hint="no OLLAMA_HOST or OLLAMA_API_KEY set",
    public_settings=("OLLAMA_HOST",),
    # Ollama's hosted models (ollama.com's ``-cloud`` tags, the catalogs' Ollama Cloud lists) are billed
    # by plan; LiteLLM's ``ollama/`` keys are models pulled to a local server, which bills nothing.
    offerings=(
        OfferingRule(Offering.SUBSCRIPTION, r"[:-]cloud$"),
        OfferingRule(Offering.SELF_HOSTED, sources=("litellm",)),
        OfferingRule(Offering.SUBSCRIPTION, sources=("models.dev", "ruby_llm")),
    ),
    model_ids=ModelIds(vendor_segment=VendorSegment.SLASH),
    name_reading=NameReading(
        # A size tag is part of the model (``gpt-oss:120b``); ``-cloud`` only says where it runs.
        variant_tag=VariantTag(part_of_name=True, ignored_suffixes=("-cloud", "cloud")),
        implied_suffixes=("-instruct", "-it"),  # its Llama and Gemma tags are the instruction-tuned weights
    ),
)
