"""The shared implementation of OpenAI-style ``GET <base>/models`` lists.

Used by the providers whose list is OpenAI-shaped (each module builds one :class:`OpenAICompatible`):
one unpaginated body ``{"object": "list", "data": [{"id", "object", "created", "owned_by", ...}]}``.
Fields that compatible servers add (``context_window``, ``max_model_len``, ``shutdown_date``,
``name``, ``max_completion_tokens``) are read when present; a provider-specific hook adds the rest.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from modelatlas import record as r
from modelatlas.fetch.http import HttpClient
from modelatlas.fetch.providers.base import ProviderConfig
from modelatlas.fetch.record_builder import Normalized, Pages, RecordSet, each_object, items_of

Extra = Callable[[dict[str, Any], dict[str, Any], dict[str, Any]], None]


@dataclass(frozen=True)
class OpenAICompatible:
    provider: str
    key_vars: tuple[str, ...]
    key_required: bool = True
    endpoint: str = "/models"
    created_is_request_time: bool = False
    extra: Extra | None = None
    extra_headers: tuple[tuple[str, str], ...] = ()  # (header, env var)

    def headers(self, config: ProviderConfig) -> dict[str, str]:
        headers: dict[str, str] = {}
        key = config.first(*self.key_vars)
        if key:
            headers["Authorization"] = f"Bearer {key}"
        for header, var in self.extra_headers:
            value = config.get(var)
            if value:
                headers[header] = value
        return headers

    def fetch(self, client: HttpClient, config: ProviderConfig) -> Pages:
        return [client.get_json(config.url(self.endpoint), headers=self.headers(config))]

    def normalize(self, pages: Pages) -> Normalized:
        records = RecordSet(self.provider)
        for body in pages:
            for position, item in each_object(items_of(body, "data"), records):
                fields: dict[str, Any] = {
                    "owned_by": r.label(item.get("owned_by"), 100),
                    "name": r.label(item.get("name")),
                    "description": r.clean_text(item.get("description"), 20000),
                    "context_length": r.tokens(item.get("context_window"))
                    or r.tokens(item.get("context_length"))
                    or r.tokens(item.get("max_model_len")),
                    "max_output_tokens": r.tokens(item.get("max_completion_tokens")),
                }
                if not self.created_is_request_time:
                    fields["created"] = r.unix_seconds(item.get("created"))
                extension: dict[str, Any] = {
                    "lifecycle": {"retirement_date": r.date_string(item.get("shutdown_date"))},
                }
                if self.extra is not None:
                    self.extra(item, fields, extension)
                records.add(item.get("id"), fields, extension, position=position)
        return records.result()
