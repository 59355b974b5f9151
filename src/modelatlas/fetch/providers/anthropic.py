"""Anthropic: ``GET https://api.anthropic.com/v1/models``, cursor pages by id.

Headers ``x-api-key`` and the required ``anthropic-version: 2023-06-01``. Pages: ``limit=1000``
then ``after_id=<last_id>`` while ``has_more`` is true (the default page of 20 would truncate).
"""

from __future__ import annotations

from typing import Any

from modelatlas import record as r
from modelatlas.fetch.http import FetchError, HttpClient
from modelatlas.fetch.providers.base import CursorGuard, ProviderConfig
from modelatlas.fetch.providers.declaration import Provider
from modelatlas.fetch.providers.rules import CatalogRules, ModelIds, ResponseFormat, Rewrite
from modelatlas.fetch.record_builder import Normalized, Pages, RecordSet, each_object, items_of

ID = "anthropic"
DEFAULT_API_ROOT = "https://api.anthropic.com/v1"
ENDPOINT = "/models"
API_VERSION = "2023-06-01"
PAGE_SIZE = 1000


def fetch(client: HttpClient, config: ProviderConfig) -> Pages:
    headers = {"x-api-key": config.get("ANTHROPIC_API_KEY") or "", "anthropic-version": API_VERSION}
    params: dict[str, str | int] = {"limit": PAGE_SIZE}
    guard = CursorGuard("after_id cursor")
    pages: Pages = []
    while True:
        body = client.get_json(config.url(ENDPOINT), headers=headers, params=params)
        pages.append(body)
        if not isinstance(body, dict) or body.get("has_more") is not True:
            return pages
        last_id = body.get("last_id")
        if not isinstance(last_id, str) or not last_id:
            raise FetchError("has_more is true but last_id is missing; cannot page further")
        guard.check(last_id)
        params = {"limit": PAGE_SIZE, "after_id": last_id}


def _supported(capabilities: Any, name: str) -> bool | None:
    entry = capabilities.get(name) if isinstance(capabilities, dict) else None
    value = entry.get("supported") if isinstance(entry, dict) else None
    return value if isinstance(value, bool) else None


def normalize(pages: Pages) -> Normalized:
    records = RecordSet(ID)
    for body in pages:
        for position, item in each_object(items_of(body, "data", allow_array=False), records):
            caps = item.get("capabilities")
            image, pdf = _supported(caps, "image_input"), _supported(caps, "pdf_input")
            inputs = ["text"] + (["image"] if image else []) + (["file"] if pdf else [])
            max_input = r.tokens(item.get("max_input_tokens"))
            fields: dict[str, Any] = {
                "name": r.label(item.get("display_name")),
                "created": r.unix_from_text(item.get("created_at")),
                "context_length": max_input,
                "max_input_tokens": max_input,
                "max_output_tokens": r.tokens(item.get("max_tokens")),
                "owned_by": "anthropic",
                "architecture": {"input_modalities": inputs, "output_modalities": ["text"]} if caps else None,
            }
            extension = {
                "capabilities": {
                    "vision": image,
                    "pdf_input": pdf,
                    "structured_output": _supported(caps, "structured_outputs"),
                    "reasoning": _supported(caps, "thinking"),
                },
                "lifecycle": {"release_date": r.date_string(item.get("created_at"))},
            }
            records.add(item.get("id"), fields, extension, position=position)
    return records.result()


PROVIDER = Provider(
    id=ID,
    name="Anthropic",
    default_api_root=DEFAULT_API_ROOT,
    endpoint=ENDPOINT,
    env_vars=("ANTHROPIC_API_KEY",),
    credentials=(("ANTHROPIC_API_KEY",),),
    auth="`x-api-key` + `anthropic-version: 2023-06-01`",
    pagination="`limit=1000`, `after_id=<last_id>` while `has_more`",
    metadata="display name, created_at, max_input_tokens, max_tokens, capability matrix",
    vendor="anthropic",
    fetch=fetch,
    normalize=normalize,
    catalog_names={
        "models.dev": ("anthropic",),
        "litellm": ("anthropic",),
        "ruby_llm": ("anthropic",),
        "portkey": ("anthropic",),
    },
    model_ids=ModelIds(
        latest_aliases=True,
        # From Claude 4 on the tier comes before the version (``claude-sonnet-4-20250514``); catalogs
        # that write ``claude-4-sonnet-20250514`` name that id.
        own_spellings=(Rewrite(r"^claude-([4-9](?:[-.]\d)?)-(opus|sonnet|haiku)(?=-|$)", r"claude-\2-\1"),),
        # Its aliases name a snapshot its list spells with the date: ``claude-sonnet-4-5`` and
        # ``claude-3-7-sonnet-latest`` are ``claude-sonnet-4-5-20250929`` and ``claude-3-7-sonnet-20250219``,
        # ``claude-opus-4-0`` (a ``.0`` minor version) is ``claude-opus-4-20250514`` (its models overview).
        list_aliases=(Rewrite(r"-(20\d{6}|latest)$"), Rewrite(r"-0$")),
    ),
    catalog_rules=CatalogRules(litellm_slash_free=True),
    response_formats=(ResponseFormat.ANTHROPIC,),
)
