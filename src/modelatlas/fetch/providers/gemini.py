"""Gemini API: ``GET https://generativelanguage.googleapis.com/v1beta/models``, ``pageToken`` pages.

The key goes in the ``x-goog-api-key`` header (never ``?key=`` in the URL). ``pageSize=1000``
then ``pageToken=<nextPageToken>`` until the token is omitted. Ids drop the ``models/`` prefix.
"""

from __future__ import annotations

from typing import Any

from modelatlas import record as r
from modelatlas.fetch.http import HttpClient
from modelatlas.fetch.providers.base import ProviderConfig, token_pages
from modelatlas.fetch.providers.declaration import Provider
from modelatlas.fetch.providers.rules import ModelIds
from modelatlas.fetch.record_builder import Normalized, Pages, RecordSet, each_object, items_of

ID = "gemini"
DEFAULT_API_ROOT = "https://generativelanguage.googleapis.com/v1beta"
ENDPOINT = "/models"
PAGE_SIZE = 1000

_METHODS = {
    "generatecontent": "chat_completion",
    "streamgeneratecontent": "chat_completion_stream",
    "embedcontent": "embedding",
    "batchembedcontents": "embedding",
    "generatetext": "text_completion",
}


def fetch(client: HttpClient, config: ProviderConfig) -> Pages:
    headers = {"x-goog-api-key": config.first("GEMINI_API_KEY", "GOOGLE_API_KEY") or ""}
    return token_pages(
        client,
        config.url(ENDPOINT),
        headers,
        size={"pageSize": PAGE_SIZE},
        token_param="pageToken",
        next_field="nextPageToken",
    )


def normalize(pages: Pages) -> Normalized:
    records = RecordSet(ID)
    for body in pages:
        proto3 = {"models": [], **body} if isinstance(body, dict) else body  # proto3 JSON: {} = no models
        for position, item in each_object(items_of(proto3, "models", allow_array=False), records):
            name = item.get("name")
            upstream = name.removeprefix("models/") if isinstance(name, str) else name
            methods = r.string_list(item.get("supportedGenerationMethods"))
            max_input = r.tokens(item.get("inputTokenLimit"))
            fields: dict[str, Any] = {
                "name": r.label(item.get("displayName")),
                "description": r.clean_text(item.get("description"), 20000),
                "context_length": max_input,
                "max_input_tokens": max_input,
                "max_output_tokens": r.tokens(item.get("outputTokenLimit")),
                "owned_by": "google",
                "supported_methods": r.mapped(methods, _METHODS),
            }
            extension = {"capabilities": {"reasoning": True if item.get("thinking") is True else None}}
            records.add(upstream, fields, extension, position=position)
    return records.result()


PROVIDER = Provider(
    id=ID,
    name="Google Gemini",
    default_api_root=DEFAULT_API_ROOT,
    endpoint=ENDPOINT,
    env_vars=("GEMINI_API_KEY", "GOOGLE_API_KEY"),
    credentials=(("GEMINI_API_KEY", "GOOGLE_API_KEY"),),
    auth="`x-goog-api-key`",
    pagination="`pageSize=1000`, `pageToken=<nextPageToken>` until it is omitted",
    metadata="display name, description, input/output token limits, generation methods, thinking",
    vendor="google",
    fetch=fetch,
    normalize=normalize,
    catalog_names={
        "models.dev": ("google",),
        "litellm": ("gemini",),
        "ruby_llm": ("gemini",),
        "portkey": ("google",),
    },
    # The API writes ``models/<id>``; the catalogs write the bare id.
    model_ids=ModelIds(wrappers=("models/",), latest_aliases=True),
)
