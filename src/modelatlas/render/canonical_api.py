"""The canonical-model JSON files: ``v1/canonical.json`` (the index, paged like the model lists in
``v1/canonical/page/<k>.json``), ``v1/canonical/<vendor>/<model>.json`` (every offering of one
model), and ``v1/canonical-unlinked.json`` (the records no model was found for, and why).

Every link is relative to the document holding it (RFC 3986), or absolute with a base URL, made by
the catalog's :class:`~modelatlas.render.links.Linker` like the model lists' links.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from functools import cache, partial
from typing import Any

from modelatlas.errors import ModelatlasError
from modelatlas.jsonio import compact_bytes
from modelatlas.pagination import encode_page_token, has_next, page_bounds, page_count
from modelatlas.render.canonical_view import Group, cheapest, slug_stem
from modelatlas.render.catalog import Catalog, Record
from modelatlas.render.input_keys import input_key
from modelatlas.render.lazy import Deferred, Lazy
from modelatlas.render.links import Linker
from modelatlas.render.offering_view import listing_of
from modelatlas.schema import SCHEMA_VERSION, iter_violations

INDEX_PATH = "v1/canonical.json"
UNLINKED_PATH = "v1/canonical-unlinked.json"
OFFERING_FIELDS = ("context_length", "max_output_tokens", "pricing")
# What pricing a usage at an offering needs besides ``pricing`` (docs/cost.md), and how it is sold:
# copied from the record's ``modelatlas`` object under the same names.
PRICE_FIELDS = ("context_tiers", "disputed", "extra_pricing", "not_billed", "offering", "pricing_variants")


def page_path(page: int) -> str:
    return f"v1/canonical/page/{page}.json"


def model_path(slug: str) -> str:
    return f"v1/canonical/{slug_stem(slug)}.json"


def _cheapest_entry(group: Group, field: str) -> dict[str, str] | None:
    record = cheapest(group.offerings, field)
    if record is None:
        return None
    return {
        "price": record["pricing"][field],
        "provider": record["modelatlas"]["provider"],
        "id": record["id"],
    }


def entry_fields(group: Group) -> dict[str, Any]:
    """What the index says of one canonical model, but its link (the same wherever it is listed)."""
    entry: dict[str, Any] = {
        "slug": group.slug,
        "family": group.family,
        "name": group.name,
        "owned_by": group.owned_by,
        "provider_count": len(group.providers),
        "offering_count": len(group.offerings),
        "providers": group.providers,
    }
    for field in ("prompt", "completion"):
        best = _cheapest_entry(group, field)
        if best is not None:
            entry[f"cheapest_{field}"] = best
    return entry


def _linked(fields: dict[str, Any], group: Group, linker: Linker, where: str) -> dict[str, Any]:
    return {**fields, "links": {"details": linker.url(where, model_path(group.slug))}}


def offering(record: Record, linker: Linker, where: str) -> dict[str, Any]:
    extension = record["modelatlas"]
    architecture = record.get("architecture", {})
    item: dict[str, Any] = {
        "provider": extension["provider"],
        "id": record["id"],
        "upstream_id": extension["upstream_id"],
        "name": record.get("name") or extension["upstream_id"],
        "input_modalities": list(architecture.get("input_modalities", [])),
        "output_modalities": list(architecture.get("output_modalities", [])),
        "links": {"details": linker.url(where, extension["links"]["details"])},
    }
    for field in OFFERING_FIELDS:
        if field in record:
            item[field] = record[field]
    for field in PRICE_FIELDS:
        if field in extension:
            item[field] = extension[field]
    listing = listing_of(record)
    if listing.hidden:  # retired, removed or unverified: marked, never ranked
        item["status"] = listing.label
    return item


def model_document(group: Group, linker: Linker) -> dict[str, Any]:
    where = model_path(group.slug)
    data = {
        **entry_fields(group),
        "offerings": [offering(record, linker, where) for record in group.offerings],
        "snapshots": [
            {"slug": slug, "links": {"details": linker.url(where, model_path(slug))}}
            for slug in group.snapshots
        ],
    }
    return {"data": data, "schema_version": SCHEMA_VERSION}


def index_files(every: Sequence[Group], page_size: int, linker: Linker) -> Iterator[tuple[str, Deferred]]:
    fields = cache(lambda: [(entry_fields(group), group) for group in every])  # once: the index, its pages
    yield INDEX_PATH, Deferred(lambda: _index(fields(), linker), share=INDEX_PATH)
    for page in range(page_count(len(every), page_size)):
        page_file = partial(_index_page, fields, page, page_size, linker)
        yield page_path(page), Deferred(page_file, share=INDEX_PATH)  # the pages reuse the index's fields


def _index(fields: list[tuple[dict[str, Any], Group]], linker: Linker) -> bytes:
    entries = [_linked(entry, group, linker, INDEX_PATH) for entry, group in fields]
    return checked(INDEX_PATH, "canonical-index", {"data": entries, "schema_version": SCHEMA_VERSION})[1]


def _index_page(
    fields: Callable[[], list[tuple[dict[str, Any], Group]]], page: int, page_size: int, linker: Linker
) -> bytes:
    every = fields()
    start, stop = page_bounds(page, len(every), page_size)
    where = page_path(page)
    listed = [_linked(entry, group, linker, where) for entry, group in every[start:stop]]
    document: dict[str, Any] = {"data": listed, "schema_version": SCHEMA_VERSION}
    if has_next(page, len(every), page_size):
        document["next_page_token"] = encode_page_token(page + 1)
        document["links"] = {"next": linker.url(where, page_path(page + 1))}
    else:
        document["links"] = {"next": None}
    return checked(where, "canonical-index", document)[1]


def unlinked_document(catalog: Catalog) -> dict[str, Any]:
    linked, total = catalog.canonical.coverage
    reasons = catalog.canonical.unlinked
    return {
        "data": [{"id": record_id, "reason": reasons[record_id].value} for record_id in sorted(reasons)],
        "counts": {"records": total, "linked": linked, "unlinked": total - linked},
        "schema_version": SCHEMA_VERSION,
    }


def checked(path: str, schema: str, document: dict[str, Any]) -> tuple[str, bytes]:
    """``(path, bytes)`` of a document the schema accepts; a violation is a bug of this renderer."""
    for violation in iter_violations(schema, document, path):
        raise ModelatlasError(f"canonical renderer wrote an invalid file: {violation}; report this bug")
    return path, compact_bytes(document)


def _model_file(catalog: Catalog, path: str, group: Group) -> Lazy:
    """One canonical model's file, keyed by its offerings' records (their digests, in order), its
    snapshots and the base URL; rendered (and checked) only when that key changed."""
    def key() -> str:
        return input_key(
            "canonical-model",
            path.encode("utf-8"),
            b"".join(catalog.digests[record["id"]] for record in group.offerings),
            "\0".join(group.snapshots).encode("utf-8"),
            (catalog.base_url or "").encode("utf-8"),
        )

    return Lazy(key, lambda: checked(path, "canonical-model", model_document(group, catalog.linker))[1])


def render(catalog: Catalog, only_deferred: bool = False) -> Iterator[tuple[str, Lazy | Deferred]]:
    """Every canonical file; with ``only_deferred``, only the :class:`Deferred` ones (the index and
    the unlinked list), in the same order (see :func:`modelatlas.render.deferred_files`)."""
    every = catalog.groups
    seen: dict[str, str] = {}
    for group in () if only_deferred else every:
        path = model_path(group.slug)
        if path.casefold() in seen or path.startswith("v1/canonical/page/"):
            other = seen.get(path.casefold(), "the index pages")
            raise ModelatlasError(
                f"canonical slugs {group.slug!r} and {other!r} map to one file {path}; "
                "fix data/curated/canonical.yaml"
            )
        seen[path.casefold()] = group.slug
        yield path, _model_file(catalog, path, group)
    yield from index_files(every, catalog.page_size, catalog.linker)
    unlinked = Deferred(lambda: checked(UNLINKED_PATH, "canonical-unlinked", unlinked_document(catalog))[1])
    yield UNLINKED_PATH, unlinked
