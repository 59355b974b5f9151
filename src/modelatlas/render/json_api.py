"""The static JSON API: ``v1/models.json``, its pages, per-provider lists, one file per model,
``v1/providers.json``, ``v1/index.json`` and the schema files.

Every record is serialized exactly once (compact, key-sorted), by the catalog
(:mod:`~modelatlas.render.record_bodies`); list files are assembled by joining those bytes, and the
big all-models lists are handed to the output stage as chunks so no second full copy is made. URLs
in the output (``links.next``, ``modelatlas.links.details``, the providers' ``links``,
``index.json``'s templates) are relative to the document they appear in, or
absolute with a base URL (see :mod:`modelatlas.render.links`).

Models whose ``modelatlas.lifecycle.status`` is ``removed`` keep their per-model file (so old links
keep working and the record says when it was last seen) but are left out of every list.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from functools import partial
from typing import Any

from modelatlas.fetch.providers import registry
from modelatlas.ids import provider_ids
from modelatlas.jsonio import compact_bytes, dumps_compact
from modelatlas.pagination import encode_page_token, has_next, page_bounds, page_count
from modelatlas.record import Record
from modelatlas.render.catalog import Catalog
from modelatlas.render.input_keys import input_key
from modelatlas.render.lazy import Content, Deferred, Lazy
from modelatlas.render.links import Linker
from modelatlas.render.record_bodies import RecordBodies
from modelatlas.schema import SCHEMA_VERSION, schema_files

REQUEST_TYPE = "list_models"
PROVIDERS_PATH = "v1/providers.json"
INDEX_PATH = "v1/index.json"
URL_TEMPLATES: dict[str, str] = {
    "models": "v1/models.json",
    "models_page": "v1/models/page/{page}.json",
    "provider_models": "v1/models/{provider}.json",
    "provider_models_page": "v1/models/{provider}/page/{page}.json",
    "model": "v1/model/{provider}/{filename}.json",
    "providers": PROVIDERS_PATH,
    "index": INDEX_PATH,
    "quality": "v1/quality.json",
    "schema": "schema/{name}.schema.json",
}
JOINED_RECORDS = 1024  # records a list file's bodies are read and rewritten in at a time
_MODEL_FILE_HEAD = b'{"data":'
_MODEL_FILE_TAIL = dumps_compact({"schema_version": SCHEMA_VERSION}).replace("{", ",", 1).encode("utf-8")


def is_listed(model: Record) -> bool:
    """Whether a model appears in list files (everything but ``lifecycle.status == "removed"``)."""
    return model["modelatlas"].get("lifecycle", {}).get("status") != "removed"


def list_path(provider: str | None) -> str:
    return "v1/models.json" if provider is None else f"v1/models/{provider}.json"


def page_path(provider: str | None, page: int) -> str:
    base = "v1/models" if provider is None else f"v1/models/{provider}"
    return f"{base}/page/{page}.json"


def list_document(records: list[bytes], rest: dict[str, Any]) -> list[bytes]:
    """Chunks of ``{"data":[...records...], **rest}`` exactly as ``dumps_compact`` would write it.

    ``rest`` must hold ``schema_version`` and only keys that sort after ``data``.
    """
    return list(list_chunks(records, rest))


def list_chunks(records: Iterable[bytes], rest: dict[str, Any]) -> Iterator[bytes]:
    """:func:`list_document`, made as it is read (``records`` may be made one at a time too)."""
    assert "schema_version" in rest and all(key > "data" for key in rest)
    yield b'{"data":['
    for index, record in enumerate(records):
        if index:
            yield b","
        yield record
    yield b"]," + compact_bytes(rest)[1:]


def extra_fields(provider: str | None) -> dict[str, str]:
    extra = {"request_type": REQUEST_TYPE}
    if provider is not None:
        extra["provider"] = provider
    return extra


def stored_bodies(
    positions: Sequence[int], bodies: RecordBodies, linker: Linker, from_doc: str
) -> Iterator[bytes]:
    """The JSON of the records at ``positions`` of the catalog as the list file ``from_doc`` holds
    them, joined by commas :data:`JOINED_RECORDS` at a time (read as it is asked for): as items of
    :func:`list_chunks`, the same bytes as one item per record."""
    for start in range(0, len(positions), JOINED_RECORDS):
        joined = bodies.joined(positions[start : start + JOINED_RECORDS])
        yield linker.record_in(linker.stored_record(joined), from_doc)


def list_files(
    records: list[int], bodies: RecordBodies, digests: Sequence[bytes], provider: str | None, page_size: int,
    linker: Linker,
) -> Iterator[tuple[str, Deferred]]:
    """The full list file and every page file of one list (all models, or one provider's).

    The full list is made as it is written (at 100k models it is the records' whole JSON: held at
    once, with the records, it was the build's peak memory); a page is made whole, and only if its
    key (:func:`_page_key`) differs from the previous build's. ``records`` are positions in the
    catalog (and in ``bodies`` and ``digests``).
    """
    extra = extra_fields(provider)
    whole = {"extra_fields": extra, "schema_version": SCHEMA_VERSION}
    path = list_path(provider)
    yield path, Deferred(partial(_whole_list, records, bodies, linker, path, whole))
    for page in range(page_count(len(records), page_size)):
        path = page_path(provider, page)
        yield path, Deferred(
            partial(_list_page, records, bodies, provider, page, page_size, linker, extra),
            key=partial(_page_key, records, digests, path, page, page_size, linker),
        )


def _page_key(
    records: list[int], digests: Sequence[bytes], path: str, page: int, page_size: int, linker: Linker
) -> str:
    """A list page's input key: its path (the provider and page number), its records' digests, whether
    a page follows, and the base URL (the page's bytes are a function of those and the code)."""
    start, stop = page_bounds(page, len(records), page_size)
    return input_key(
        "models-page",
        path.encode("utf-8"),
        b"".join(digests[position] for position in records[start:stop]),
        b"next" if has_next(page, len(records), page_size) else b"last",
        (linker.base_url or "").encode("utf-8"),
    )


def _whole_list(
    records: list[int], bodies: RecordBodies, linker: Linker, path: str, whole: dict[str, Any]
) -> Iterator[bytes]:
    return list_chunks(stored_bodies(records, bodies, linker, path), whole)


def _list_page(
    records: list[int], bodies: RecordBodies, provider: str | None, page: int, page_size: int, linker: Linker,
    extra: dict[str, Any],
) -> bytes:
    start, stop = page_bounds(page, len(records), page_size)
    path = page_path(provider, page)
    rest: dict[str, Any] = {"extra_fields": extra, "schema_version": SCHEMA_VERSION}
    if has_next(page, len(records), page_size):
        rest["next_page_token"] = encode_page_token(page + 1)
        rest["links"] = {"next": linker.url(path, page_path(provider, page + 1))}
    else:
        rest["links"] = {"next": None}
    return b"".join(list_chunks(stored_bodies(records[start:stop], bodies, linker, path), rest))


def provider_entries(
    catalog: Catalog, listed: dict[str, int], removed: dict[str, int]
) -> list[dict[str, Any]]:
    entries = []
    for provider in provider_ids():
        status = catalog.providers.get(provider, {}).get("status", {})
        entry: dict[str, Any] = {
            "id": provider,
            "name": registry.names()[provider],
            "model_count": listed[provider],
            "removed_model_count": removed[provider],
            "source": status.get("source", "none"),
            "sources": list(status.get("sources", [])),
            "stale": bool(status.get("stale", False)),
            "links": {
                "models": catalog.linker.url(PROVIDERS_PATH, list_path(provider)),
                "first_page": catalog.linker.url(PROVIDERS_PATH, page_path(provider, 0)),
            },
        }
        for key in ("last_refresh", "reason"):
            if key in status:
                entry[key] = status[key]
        entries.append(entry)
    return entries


def snapshot_time(catalog: Catalog) -> str | None:
    """The newest ``last_refresh`` of any provider (never the build machine's clock)."""
    times = [doc.get("status", {}).get("last_refresh") for doc in catalog.providers.values()]
    known = [t for t in times if isinstance(t, str)]
    return max(known) if known else None


def index_document(catalog: Catalog, listed: dict[str, int], removed: dict[str, int]) -> dict[str, Any]:
    total = sum(listed.values())
    index: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "counts": {
            "models": total,
            "removed_models": sum(removed.values()),
            "providers": len(provider_ids()),
            "providers_with_models": sum(1 for n in listed.values() if n),
        },
        "page_size": catalog.page_size,
        "pages": page_count(total, catalog.page_size),
        "urls": {name: catalog.linker.url(INDEX_PATH, url) for name, url in URL_TEMPLATES.items()},
    }
    if catalog.base_url is not None:
        index["base_url"] = catalog.base_url
    when = snapshot_time(catalog)
    if when is not None:
        index["snapshot_time"] = when
    return index


def model_file(path: str, position: int, bodies: RecordBodies, digest: bytes, linker: Linker) -> Lazy:
    """The own file, at ``path``, of the record at ``position``, keyed by its record's digest and the
    base URL (its bytes are a function of those alone); the record is read only if the file is rendered."""
    return Lazy(
        lambda: input_key("model.json", digest, (linker.base_url or "").encode("utf-8")),
        lambda: _MODEL_FILE_HEAD
        + linker.record_in(linker.stored_record(bodies[position]), path)
        + _MODEL_FILE_TAIL,
    )


def render(catalog: Catalog, only_deferred: bool = False) -> Iterator[tuple[str, Content | Lazy | Deferred]]:
    """Every file of the JSON API; with ``only_deferred``, only the :class:`Deferred` ones, in the same
    order (see :func:`modelatlas.render.deferred_files`)."""
    everything: list[int] = []
    by_provider: dict[str, list[int]] = {provider: [] for provider in provider_ids()}
    removed = dict.fromkeys(provider_ids(), 0)
    linker, bodies = catalog.linker, catalog.bodies
    for position, model in enumerate(catalog.models):
        extension = model["modelatlas"]
        if not only_deferred:
            path = extension["links"]["details"]
            yield path, model_file(path, position, bodies, catalog.digests[model["id"]], linker)
        if is_listed(model):
            everything.append(position)
            by_provider[extension["provider"]].append(position)
        else:
            removed[extension["provider"]] += 1
    digests = [catalog.digests[model["id"]] for model in catalog.models]  # by position
    yield from list_files(everything, bodies, digests, None, catalog.page_size, linker)
    for provider in provider_ids():
        yield from list_files(by_provider[provider], bodies, digests, provider, catalog.page_size, linker)
    if only_deferred:
        return
    listed = {provider: len(records) for provider, records in by_provider.items()}
    providers_doc = {"data": provider_entries(catalog, listed, removed), "schema_version": SCHEMA_VERSION}
    yield PROVIDERS_PATH, compact_bytes(providers_doc)
    yield INDEX_PATH, compact_bytes(index_document(catalog, listed, removed))
    for name, content in schema_files():
        yield f"schema/{name}", content
