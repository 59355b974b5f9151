"""Cohere: ``GET https://api.cohere.com/v1/models``, pages by ``page_token``.

``page_size=1000`` then ``page_token=<next_page_token>`` until the token is absent or empty (the
default page of 20 would truncate). The model id is ``name``. Image embedding models are listed
with the endpoint ``embed_image`` (and ``context_length`` 0, which means no limit was given).
"""

from __future__ import annotations

from typing import Any

from modelatlas import record as r
from modelatlas.fetch.http import HttpClient
from modelatlas.fetch.providers.base import ProviderConfig, token_pages
from modelatlas.fetch.providers.declaration import Provider
from modelatlas.fetch.providers.rules import CatalogRules, ModelIds
from modelatlas.fetch.record_builder import Normalized, Pages, RecordSet, each_object, items_of

ID = "cohere"
DEFAULT_API_ROOT = "https://api.cohere.com/v1"
ENDPOINT = "/models"
PAGE_SIZE = 1000

_METHODS = {
    "chat": "chat_completion",
    "generate": "text_completion",
    "embed": "embedding",
    "embed_image": "embedding",
}
_MODES = (
    ("chat", "chat"),
    ("embed", "embedding"),
    ("embed_image", "embedding"),
    ("rerank", "rerank"),
    ("generate", "completion"),
)


def _input_modalities(endpoints: list[str], vision: bool) -> list[str]:
    """Text unless the only endpoint is ``embed_image``; image with vision or ``embed_image``."""
    text = ["text"] if any(endpoint != "embed_image" for endpoint in endpoints) else []
    image = ["image"] if vision or "embed_image" in endpoints else []
    return text + image


def fetch(client: HttpClient, config: ProviderConfig) -> Pages:
    headers = {"Authorization": f"Bearer {config.first('CO_API_KEY', 'COHERE_API_KEY')}"}
    return token_pages(
        client,
        config.url(ENDPOINT),
        headers,
        size={"page_size": PAGE_SIZE},
        token_param="page_token",
        next_field="next_page_token",
    )


def normalize(pages: Pages) -> Normalized:
    records = RecordSet(ID)
    for body in pages:
        for position, item in each_object(items_of(body, "models", allow_array=False), records):
            endpoints = [e.lower() for e in r.string_list(item.get("endpoints"))]
            features = {f.lower() for f in r.string_list(item.get("features"))}
            vision = "vision" in features or item.get("supports_vision") is True or None
            fields: dict[str, Any] = {
                "name": r.label(item.get("name")),
                "context_length": r.tokens(item.get("context_length")),
                "owned_by": "cohere",
                "supported_methods": r.mapped(endpoints, _METHODS),
                "architecture": {"input_modalities": _input_modalities(endpoints, vision is True)}
                if endpoints
                else None,
            }
            extension: dict[str, Any] = {
                "mode": next((mode for endpoint, mode in _MODES if endpoint in endpoints), None),
                "capabilities": {
                    "vision": vision,
                    "tool_call": ("tools" in features or "strict_tools" in features) or None,
                    "structured_output": ("json_schema" in features or "json_mode" in features) or None,
                },
                "lifecycle": {"status": "deprecated"} if item.get("is_deprecated") is True else None,
            }
            records.add(item.get("name"), fields, extension, position=position)
    return records.result()


PROVIDER = Provider(
    id=ID,
    name="Cohere",
    default_api_root=DEFAULT_API_ROOT,
    endpoint=ENDPOINT,
    env_vars=("CO_API_KEY", "COHERE_API_KEY"),
    credentials=(("CO_API_KEY", "COHERE_API_KEY"),),
    auth="`Authorization: Bearer`",
    pagination="`page_size=1000`, `page_token=<next_page_token>` until it is absent or empty",
    metadata="context_length, endpoints (chat, embed, rerank, ...), features, is_deprecated",
    vendor="cohere",
    fetch=fetch,
    normalize=normalize,
    catalog_names={
        "models.dev": ("cohere",),
        "litellm": ("cohere", "cohere_chat"),
        "ruby_llm": ("cohere",),
        "portkey": ("cohere",),
    },
    model_ids=ModelIds(latest_aliases=True),
    catalog_rules=CatalogRules(litellm_slash_free=True),
)
