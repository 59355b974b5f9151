"""The catalog table's rows: one view per model for the server-side table, and the compact columnar
search index (``site-index.json``) the home page's script loads for search, filters and sorting.

The index is columnar (one array per column) so that 10,000 models stay small: repeated keys cost
nothing, provider ids are small integers, modalities and capabilities are bit masks, and a model's
page file name is stored only when it differs from its upstream id. Prices are exact decimal strings
in USD per 1M tokens (computed with :mod:`decimal`, never floats).

Price states (docs/pricing.md): a price is ``"0"`` (free), ``null`` and its bit set in ``nb`` (not
billed), or ``null`` alone (unknown); ``dp`` marks disputed prices (bit 0 prompt, 1 completion, 2
cache read, 3 cache write, as :data:`~modelatlas.render.price_table.TOKEN_KEYS`). ``s`` is the
lifecycle code (:class:`~modelatlas.render.offering_view.Listing`; 2 and above are hidden by
default), ``of`` how the id is sold (:data:`~modelatlas.render.offering_view.OFFERINGS`; 0 = pay per
use). ``k`` holds the capabilities a model has, ``kk`` those whose value is known (true or false).
``lt``/``lp``: the lowest long-context threshold (input tokens) and the prompt price above it.
``a``: the aliases.

Canonical models (docs/canonical.md): column ``cm`` holds each row's index into the top-level
``canonicalModels`` list (``null`` when the model is not linked); each entry is
``{"slug", "family", "name", "href", "providers"}`` (``href`` is the canonical page, relative to the
site root; ``providers`` how many providers offer it). Rows with equal ``cm`` are one snapshot of
one model (group by ``cm``); entries with equal ``family`` are snapshots of one model.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from modelatlas.fetch.providers import registry
from modelatlas.ids import provider_ids
from modelatlas.jsonio import compact_bytes, dumps_compact
from modelatlas.prices import format_price, per_million
from modelatlas.record import ABSENT, Record
from modelatlas.render.by_object import ByObject
from modelatlas.render.canonical_view import linked_slug
from modelatlas.render.catalog import Catalog
from modelatlas.render.markdown_safe import plain_summary
from modelatlas.render.offering_view import OFFERINGS, Listing, listing_of, offering_code, offering_label
from modelatlas.render.price_table import TOKEN_KEYS
from modelatlas.render.price_view import token_cells
from modelatlas.render.site_paths import canonical_page, model_page, model_stem

INPUT_MODALITIES = ("text", "image", "file", "audio", "video")
OUTPUT_MODALITIES = ("text", "image", "audio", "video")
SUMMARY_CHARS = 160
DAYS_KEPT = 8192  # creation days kept written (a catalog has a few thousand distinct creation times)
_TOKEN_PATHS = tuple(f"pricing.{key}" for key in TOKEN_KEYS)
INDEX_VERSION = 2
COLUMNS = (
    "p",
    "u",
    "f",
    "n",
    "a",
    "c",
    "o",
    "mi",
    "mo",
    "pp",
    "pc",
    "cr",
    "cw",
    "nb",
    "dp",
    "lt",
    "lp",
    "d",
    "k",
    "kk",
    "t",
    "s",
    "of",
    "cm",
)

# Column ``r``: why a row is hidden until "show retired" is asked for (0: a live model).


def _per_million_text(value: str | None) -> str | None:
    """A per-token price as an exact USD-per-1M-tokens string, None when unknown."""
    return None if value is None else format_price(per_million(value))


def model_date(record: Record) -> str | None:
    """Release date (YYYY-MM-DD or YYYY-MM) if known, else the creation day from ``created`` (UTC)."""
    release = record.get("modelatlas", {}).get("lifecycle", {}).get("release_date")
    if release:
        return str(release)
    created = record.get("created")
    if isinstance(created, int):
        return _day_of(created)
    return None


@lru_cache(maxsize=DAYS_KEPT)
def _day_of(created: int) -> str:
    """The UTC day of unix seconds, made once per distinct value in a process: a record's table row
    (made by each process that shows it), its search index entry and the changes page ask for it."""
    return datetime.fromtimestamp(created, UTC).strftime("%Y-%m-%d")


def capability_names(models: list[Record]) -> list[str]:
    """Capabilities that at least one model has (true), sorted: the filter's choices."""
    names = {
        name
        for m in models
        for name, value in m["modelatlas"].get("capabilities", {}).items()
        if value is True
    }
    return sorted(names)


def _mask(values: list[str], order: tuple[str, ...] | list[str]) -> int:
    return sum(1 << order.index(v) for v in values if v in order)


def _path_mask(record: Record, key: str) -> int:
    """Bit k set when ``pricing.<TOKEN_KEYS[k]>`` is listed in ``modelatlas.<key>``."""
    listed = record["modelatlas"].get(key)
    if not listed:
        return 0
    return sum(1 << k for k, path in enumerate(_TOKEN_PATHS) if path in listed)


def long_context(record: Record) -> tuple[int, str | None] | None:
    """(threshold, prompt USD per 1M above it) of the lowest long-context tier, None without tiers."""
    tiers = record["modelatlas"].get("context_tiers") or []
    if not tiers:
        return None
    lowest = min(tiers, key=lambda tier: tier["above_input_tokens"])
    return lowest["above_input_tokens"], _per_million_text(lowest.get("pricing", {}).get("prompt"))


def row_view(record: Record) -> dict[str, Any]:
    """What the server-side table shows for one model (strings for display; the template escapes)."""
    extension = record["modelatlas"]
    architecture = record.get("architecture", {})
    context = record.get("context_length")
    max_output = record.get("max_output_tokens")
    listing = listing_of(record)
    return {
        "id": record["id"],
        "provider": extension["provider"],
        "provider_name": registry.names()[extension["provider"]],
        "name": record.get("name") or extension["upstream_id"],
        "upstream_id": extension["upstream_id"],
        "href": model_page(record),
        "context": f"{context:,}" if isinstance(context, int) else "–",
        "max_output": f"{max_output:,}" if isinstance(max_output, int) else "–",
        "input": ", ".join(architecture.get("input_modalities", [])) or "–",
        "output": ", ".join(architecture.get("output_modalities", [])) or "–",
        "input_list": list(architecture.get("input_modalities", [])),
        "output_list": list(architecture.get("output_modalities", [])),
        "prices": token_cells(record, TOKEN_KEYS),
        "date": model_date(record) or "–",
        "listing": listing.label,
        "hidden": listing.hidden,
        "offering": offering_label(record),
    }


def canonical_models(catalog: Catalog) -> list[dict[str, Any]]:
    """The ``canonicalModels`` list: every canonical model with a listed offering, sorted by slug."""
    return [
        {
            "slug": group.slug,
            "family": group.family,
            "name": group.name,
            "href": canonical_page(group.slug),
            "providers": len(group.providers),
        }
        for group in catalog.groups
    ]


def _token_prices(pricing: Mapping[str, Any]) -> tuple[str | None, ...]:
    """The per-1M prices of :data:`TOKEN_KEYS` in one price sheet."""
    return tuple(_per_million_text(pricing.get(key)) for key in TOKEN_KEYS)


def build_index(catalog: Catalog) -> dict[str, Any]:
    """The columnar search index of every model, in catalog (id) order."""
    capabilities = capability_names(catalog.models)
    canonical = canonical_models(catalog)
    canonical_at = {entry["slug"]: index for index, entry in enumerate(canonical)}
    columns: dict[str, list[Any]] = {key: [] for key in COLUMNS}
    position = {provider: n for n, provider in enumerate(provider_ids())}
    prices = ByObject(_token_prices)
    modalities = ByObject(lambda architecture: (
        _mask(architecture.get("input_modalities", []), INPUT_MODALITIES),
        _mask(architecture.get("output_modalities", []), OUTPUT_MODALITIES),
    ))
    capability_masks = ByObject(lambda known: (
        _mask([name for name, value in known.items() if value is True], capabilities),
        _mask(list(known), capabilities),
    ))
    summaries: dict[str, str] = {}
    for record in catalog.models:
        extension = record["modelatlas"]
        upstream = extension["upstream_id"]
        stem = model_stem(record)
        description = record.get("description", "")
        summary = summaries.get(description)
        if summary is None:
            summary = summaries[description] = plain_summary(description, SUMMARY_CHARS)
        search_extra = " ".join(part for part in (record.get("owned_by", ""), summary) if part)
        tier = long_context(record)
        columns["p"].append(position[extension["provider"]])
        columns["u"].append(upstream)
        columns["f"].append(0 if stem == upstream else stem)
        columns["n"].append(record.get("name") or 0)
        columns["a"].append(" ".join(extension.get("aliases", [])) or 0)
        columns["c"].append(record.get("context_length"))
        columns["o"].append(record.get("max_output_tokens"))
        inputs, outputs = modalities(record.get("architecture", ABSENT))
        columns["mi"].append(inputs)
        columns["mo"].append(outputs)
        prompt, completion, cache_read, cache_write = prices(record.get("pricing", ABSENT))
        columns["pp"].append(prompt)
        columns["pc"].append(completion)
        columns["cr"].append(cache_read)
        columns["cw"].append(cache_write)
        columns["nb"].append(_path_mask(record, "not_billed"))
        columns["dp"].append(_path_mask(record, "disputed"))
        columns["lt"].append(tier[0] if tier else None)
        columns["lp"].append(tier[1] if tier else None)
        columns["d"].append(model_date(record))
        has, known = capability_masks(extension.get("capabilities", ABSENT))
        columns["k"].append(has)
        columns["kk"].append(known)
        columns["t"].append(search_extra or 0)
        columns["s"].append(int(listing_of(record)))
        columns["of"].append(offering_code(record))
        columns["cm"].append(canonical_at.get(linked_slug(record) or ""))
    return {
        "version": INDEX_VERSION,
        "count": len(catalog.models),
        "providers": list(provider_ids()),
        "providerNames": [registry.names()[p] for p in provider_ids()],
        "firstParty": [registry.declared(p).vendor or None for p in provider_ids()],
        "listings": [listing.label for listing in Listing],
        "offerings": [""] + [label for _, label in sorted(OFFERINGS.values())],
        "inputModalities": list(INPUT_MODALITIES),
        "outputModalities": list(OUTPUT_MODALITIES),
        "capabilities": capabilities,
        "canonicalModels": canonical,
        "rows": columns,
    }


def index_content(catalog: Catalog) -> list[bytes]:
    """``site-index.json``: the bytes of ``dumps_compact(build_index(catalog))``, made one column at a
    time (serialized whole, the 100k-model index held millions of JSON fragments at once: the
    build's peak memory)."""
    return list(_compact_pieces(build_index(catalog)))


def _compact_pieces(document: dict[str, Any]) -> Iterator[bytes]:
    """``dumps_compact(document)`` encoded, member by member (members that are objects, member by
    member too); each member is dropped from ``document`` once written."""
    yield b"{"
    for number, key in enumerate(sorted(document)):
        value = document.pop(key)
        head = ("," if number else "") + dumps_compact(key) + ":"
        if isinstance(value, dict):
            yield head.encode("utf-8")
            yield from _compact_pieces(value)
        else:
            yield head.encode("utf-8") + compact_bytes(value)
        del value
    yield b"}"
