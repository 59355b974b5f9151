"""The canonical-model JSON files: ``v1/canonical.json`` (the index, paged like the model lists in
``v1/canonical/page/<k>.json``), ``v1/canonical/<vendor>/<model>.json`` (every offering of one
model), and ``v1/canonical-unlinked.json`` (the records no model was found for, and why).

Every link is made by :func:`link` (relative to the build root, like the model lists' links).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from modelatlas.errors import ModelatlasError
from modelatlas.jsonio import dumps_compact
from modelatlas.pagination import encode_page_token, has_next, page_bounds, page_count
from modelatlas.render.canonical_view import Group, cheapest, groups, slug_stem
from modelatlas.render.catalog import Catalog, Record
from modelatlas.schema import SCHEMA_VERSION, iter_violations

INDEX_PATH = "v1/canonical.json"
UNLINKED_PATH = "v1/canonical-unlinked.json"
OFFERING_FIELDS = ("context_length", "max_output_tokens", "pricing")
# What pricing a usage at an offering needs besides ``pricing`` (docs/cost.md), and how it is sold:
# copied from the record's ``modelatlas`` object under the same names.
PRICE_FIELDS = ("context_tiers", "disputed", "extra_pricing", "not_billed", "offering", "pricing_variants")


def link(target: str) -> str:
    """The URL of build path ``target`` as written in the canonical files."""
    return target


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


def index_entry(group: Group) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "slug": group.slug,
        "family": group.family,
        "name": group.name,
        "owned_by": group.owned_by,
        "provider_count": len(group.providers),
        "offering_count": len(group.offerings),
        "providers": group.providers,
        "links": {"details": link(model_path(group.slug))},
    }
    for field in ("prompt", "completion"):
        best = _cheapest_entry(group, field)
        if best is not None:
            entry[f"cheapest_{field}"] = best
    return entry


def offering(record: Record) -> dict[str, Any]:
    extension = record["modelatlas"]
    architecture = record.get("architecture", {})
    item: dict[str, Any] = {
        "provider": extension["provider"],
        "id": record["id"],
        "upstream_id": extension["upstream_id"],
        "name": record.get("name") or extension["upstream_id"],
        "input_modalities": list(architecture.get("input_modalities", [])),
        "output_modalities": list(architecture.get("output_modalities", [])),
        "links": {"details": link(extension["links"]["details"])},
    }
    for field in OFFERING_FIELDS:
        if field in record:
            item[field] = record[field]
    for field in PRICE_FIELDS:
        if field in extension:
            item[field] = extension[field]
    status = extension.get("lifecycle", {}).get("status")
    if status is not None:
        item["status"] = status
    return item


def model_document(group: Group) -> dict[str, Any]:
    data = {
        **{key: value for key, value in index_entry(group).items() if key != "links"},
        "offerings": [offering(record) for record in group.offerings],
        "snapshots": [
            {"slug": slug, "links": {"details": link(model_path(slug))}} for slug in group.snapshots
        ],
    }
    return {"data": data, "schema_version": SCHEMA_VERSION}


def index_files(entries: list[dict[str, Any]], page_size: int) -> Iterator[tuple[str, bytes]]:
    yield checked(INDEX_PATH, "canonical-index", {"data": entries, "schema_version": SCHEMA_VERSION})
    for page in range(page_count(len(entries), page_size)):
        start, stop = page_bounds(page, len(entries), page_size)
        document: dict[str, Any] = {"data": entries[start:stop], "schema_version": SCHEMA_VERSION}
        if has_next(page, len(entries), page_size):
            document["next_page_token"] = encode_page_token(page + 1)
            document["links"] = {"next": link(page_path(page + 1))}
        else:
            document["links"] = {"next": None}
        yield checked(page_path(page), "canonical-index", document)


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
    return path, dumps_compact(document).encode("utf-8")


def render(catalog: Catalog) -> Iterator[tuple[str, bytes]]:
    every = groups(catalog)
    seen: dict[str, str] = {}
    for group in every:
        path = model_path(group.slug)
        if path.casefold() in seen or path.startswith("v1/canonical/page/"):
            other = seen.get(path.casefold(), "the index pages")
            raise ModelatlasError(
                f"canonical slugs {group.slug!r} and {other!r} map to one file {path}; "
                "fix data/curated/canonical.yaml"
            )
        seen[path.casefold()] = group.slug
        yield checked(path, "canonical-model", model_document(group))
    yield from index_files([index_entry(group) for group in every], catalog.page_size)
    yield checked(UNLINKED_PATH, "canonical-unlinked", unlinked_document(catalog))
