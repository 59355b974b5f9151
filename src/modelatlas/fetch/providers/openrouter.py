"""OpenRouter: ``GET https://openrouter.ai/api/v1/models`` (public; Bearer key sent when set).

``output_modalities=all`` (the default ``text`` hides image/audio models), ``offset``/``limit`` pages
until ``links.next`` is null or absent. The body is the same shape as the public catalog, so the
records are read by :func:`list_records`, which the public catalog of the same list
(:mod:`modelatlas.fetch.catalogs.openrouter`) uses too. Prices are USD-per-token decimal strings;
negative values (``"-1"`` on router entries) mean "varies" and stay absent. The description is kept
as untrusted text; OpenRouter's ``links`` are not copied (``build`` sets ours).
Fetched live only with ``OPENROUTER_API_KEY`` or ``MODELATLAS_OPENROUTER_BASE_URL``; otherwise the
public-catalog source already covers the same list.
"""

from __future__ import annotations

from collections import Counter
from typing import Any
from urllib.parse import parse_qs, urlsplit

from modelatlas import record as r
from modelatlas.config import Settings
from modelatlas.fetch.http import FetchError, HttpClient
from modelatlas.fetch.providers.base import CursorGuard, ProviderConfig
from modelatlas.fetch.providers.declaration import Provider
from modelatlas.fetch.providers.rules import (
    CatalogRules,
    ListCopy,
    ModelIds,
    NameReading,
    Offering,
    OfferingRule,
    ReferenceList,
    VariantTag,
    VendorSegment,
)
from modelatlas.fetch.record_builder import Normalized, Pages, RecordBuilder, RecordSet, each_object, items_of

ID = "openrouter"
DEFAULT_API_ROOT = "https://openrouter.ai/api/v1"
ENDPOINT = "/models"
PAGE_SIZE = 1000
SOURCE = "provider_api"

_PRICES = {
    "prompt": "pricing.prompt",
    "completion": "pricing.completion",
    "request": "pricing.request",
    "image": "pricing.image",
    "web_search": "pricing.web_search",
    "internal_reasoning": "pricing.internal_reasoning",
    "input_cache_read": "pricing.input_cache_read",
    "input_cache_write": "pricing.input_cache_write",
    "input_cache_write_1h": "modelatlas.extra_pricing.input_cache_write_1h",
    "audio": "modelatlas.extra_pricing.input_audio_token",
}


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


def _strings(values: object) -> list[str]:
    if not isinstance(values, list):
        return []
    return sorted({v for v in values if isinstance(v, str) and v.strip()})


def _record(upstream_id: str, model: dict[str, Any], source: str, dropped: Counter[str]) -> r.Record | None:
    b = RecordBuilder(ID, upstream_id, source)
    b.set("name", r.label(model.get("name")))
    b.set("canonical_slug", r.text(model.get("canonical_slug")))
    b.set("hugging_face_id", r.text(model.get("hugging_face_id")))
    b.set("description", r.text(model.get("description")))
    b.set("created", r.count(model.get("created")))
    b.set("context_length", r.count(model.get("context_length")))
    b.set("owned_by", r.text(upstream_id.lstrip("~").partition("/")[0]) if "/" in upstream_id else None)
    arch = r.json_object(model.get("architecture"))
    b.set("architecture.modality", r.text(arch.get("modality")))
    b.set("architecture.tokenizer", r.text(arch.get("tokenizer")))
    b.set("architecture.instruct_type", r.text(arch.get("instruct_type")))
    b.set("architecture.input_modalities", r.modalities(arch.get("input_modalities"), r.INPUT_MODALITIES))
    b.set("architecture.output_modalities", r.modalities(arch.get("output_modalities"), r.OUTPUT_MODALITIES))
    pricing = r.json_object(model.get("pricing"))
    for key, path in _PRICES.items():
        b.set_price(path, pricing.get(key))
    top = r.json_object(model.get("top_provider"))
    b.set("top_provider.context_length", r.count(top.get("context_length")))
    b.set("top_provider.max_completion_tokens", r.count(top.get("max_completion_tokens")))
    b.set("top_provider.is_moderated", r.flag(top.get("is_moderated")))
    b.set("max_output_tokens", r.count(top.get("max_completion_tokens")))
    limits = r.json_object(model.get("per_request_limits"))
    b.set("per_request_limits.prompt_tokens", r.count(limits.get("prompt_tokens")))
    b.set("per_request_limits.completion_tokens", r.count(limits.get("completion_tokens")))
    b.set("supported_parameters", _strings(model.get("supported_parameters")))
    defaults = {k: v for k, v in r.json_object(model.get("default_parameters")).items() if v is not None}
    b.set("default_parameters", defaults)
    b.set("modelatlas.lifecycle.knowledge_cutoff", r.date(model.get("knowledge_cutoff")))
    b.set("modelatlas.lifecycle.retirement_date", r.date(model.get("expiration_date")))
    return b.build(dropped)


def list_records(raw: Any, source: str, skipped: Counter[str]) -> list[r.Record]:
    """The records (sorted by id) of a ``/api/v1/models`` body, each field's provenance ``source``;
    pure. Read by :func:`normalize` and by the public catalog of the same list."""
    data = raw.get("data") if isinstance(raw, dict) else None
    if not isinstance(data, list):
        skipped["body has no data list"] += 1
        return []
    by_id: dict[str, r.Record] = {}
    for model in data:
        if not isinstance(model, dict):
            skipped["model entry is not an object"] += 1
            continue
        upstream_id = model.get("id")
        reason = r.unusable_id_reason(upstream_id)
        if reason:
            skipped[reason] += 1
            continue
        if upstream_id in by_id:
            skipped["duplicate id"] += 1
            continue
        record = _record(upstream_id, model, source, skipped)
        if record is not None:
            by_id[upstream_id] = record
    return [by_id[k] for k in sorted(by_id)]


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
    result = list_records({"data": usable}, SOURCE, skipped)
    own = records.result()
    rejected = own.rejected + [f"{n} x {reason}" for reason, n in sorted(skipped.items())]
    return Normalized(records=result, rejected=rejected)


PROVIDER = Provider(
    id=ID,
    name="OpenRouter",
    default_api_root=DEFAULT_API_ROOT,
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
    model_ids=ModelIds(vendor_segment=VendorSegment.SLASH),
    name_reading=NameReading(variant_tag=VariantTag()),  # ``:free``, ``:thinking``: offers of one model
    reference=ReferenceList(routers=frozenset({ID})),  # ``openrouter/auto`` routes, it is no model
    # Its variant tags: ``:free`` is a free, rate-limited copy of the model, ``:batch`` takes batch jobs.
    offerings=(OfferingRule(Offering.FREE_TIER, r":free$"), OfferingRule(Offering.BATCH, r":batch$")),
    catalog_rules=CatalogRules(
        copies={"ruby_llm": "openrouter"},  # ruby_llm's OpenRouter list is this list, not models.dev's
        preferred=("openrouter", "ruby_llm"),  # the public catalog of its own list is first-party
        # Its list is public: the openrouter catalog is that list. ruby_llm's OpenRouter entries that
        # are not its copies of models.dev are OpenRouter's API output of its date (newer models, every
        # output modality, embeddings) but not the whole list: they confirm, they do not contradict.
        list_copies=(ListCopy("openrouter"), ListCopy("ruby_llm", complete=False)),
        own_list=("openrouter", "ruby_llm"),  # both are its /api/v1/models answer: its own prices
        ruby_llm_prices=True,
        ruby_llm_limits=True,
    ),
)
