"""OpenRouter: ``GET https://openrouter.ai/api/v1/models`` (public; Bearer key sent when set).

``output_modalities=all`` (the default ``text`` hides image/audio models), ``offset``/``limit`` pages
until ``links.next`` is null or absent. The body is the same shape as the public catalog, so the
records come from :mod:`modelatlas.fetch.catalogs.openrouter`'s normalizer, relabelled ``provider_api``.
Fetched live only with ``OPENROUTER_API_KEY`` or ``MODELATLAS_OPENROUTER_BASE_URL``; otherwise the
public-catalog source already covers the same list.
"""

from __future__ import annotations

from collections import Counter
from typing import Any
from urllib.parse import parse_qs, urlsplit

from modelatlas import record as r
from modelatlas.config import Settings
from modelatlas.fetch.catalogs import openrouter as catalog
from modelatlas.fetch.http import FetchError, HttpClient
from modelatlas.fetch.providers.base import CursorGuard, ProviderConfig
from modelatlas.fetch.providers.declaration import Provider
from modelatlas.fetch.record_builder import Normalized, Pages, RecordSet, each_object, items_of

ID = "openrouter"
DEFAULT_BASE_URL = "https://openrouter.ai/api/v1"
ENDPOINT = "/models"
PAGE_SIZE = 1000


def _requirement(settings: Settings) -> str | None:
    if settings.first("OPENROUTER_API_KEY", "MODELATLAS_OPENROUTER_BASE_URL"):
        return None
    return "no OPENROUTER_API_KEY (the public list comes from the openrouter catalog source)"


def _next_offset(body: dict[str, Any], offset: int, count: int) -> int | None:
    links = body.get("links")
    link = links.get("next") if isinstance(links, dict) else None
    if not link:
        return None
    if not isinstance(link, str):
        raise FetchError("links.next is not a string")
    values = parse_qs(urlsplit(link).query).get("offset")
    if values and values[0].isascii() and values[0].isdigit() and len(values[0]) <= 12:
        return int(values[0])
    return offset + count


def fetch(client: HttpClient, config: ProviderConfig) -> Pages:
    key = config.get("OPENROUTER_API_KEY")
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    offset = 0
    guard = CursorGuard("offset")
    pages: Pages = []
    while True:
        params: dict[str, str | int] = {"output_modalities": "all", "offset": offset, "limit": PAGE_SIZE}
        body = client.get_json(config.url(ENDPOINT), headers=headers, params=params)
        pages.append(body)
        if not isinstance(body, dict):
            return pages
        data = body.get("data")
        next_offset = _next_offset(body, offset, len(data) if isinstance(data, list) else 0)
        if next_offset is None:
            return pages
        guard.check(offset)
        if next_offset <= offset:
            raise FetchError(f"links.next does not advance past offset {offset}; stopped paging")
        offset = next_offset


def normalize(pages: Pages) -> Normalized:
    items: list[Any] = []
    for body in pages:
        items.extend(items_of(body, "data", allow_array=False))
    records = RecordSet(ID)
    usable: list[dict[str, Any]] = []
    for position, item in each_object(items, records):
        try:
            r.check_upstream_id(item.get("id"))
        except ValueError as exc:
            records.reject(f"item {position}: {exc}")
            continue
        usable.append(item)
    skipped: Counter[str] = Counter()
    result = catalog.normalize({"data": usable}, skipped).get(ID, [])
    for record in result:
        provenance = record["modelatlas"]["provenance"]
        for path in provenance:
            provenance[path] = "provider_api"
    own = records.result()
    rejected = own.rejected + [f"{n} x {reason}" for reason, n in sorted(skipped.items())]
    return Normalized(records=result, rejected=rejected)


PROVIDER = Provider(
    id=ID,
    name="OpenRouter",
    default_base_url=DEFAULT_BASE_URL,
    endpoint=ENDPOINT,
    env_vars=("OPENROUTER_API_KEY",),
    credentials=(("OPENROUTER_API_KEY",),),
    auth="none needed; `Authorization: Bearer` if set",
    pagination="`offset`/`limit=1000` until `links.next` is null or absent",
    metadata="everything: name, description, context, modalities, prices, parameters, limits",
    fetch=fetch,
    normalize=normalize,
    catalog_names={"models.dev": ("openrouter",), "ruby_llm": ("openrouter",), "portkey": ("openrouter",)},
    requirement=_requirement,
    hint="live list not fetched",
)
