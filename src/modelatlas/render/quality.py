"""The data-quality report: ``v1/quality.json`` (schema ``quality``) and the ``quality.html`` page.

Per provider: how complete each gateway field is over its current models (not retired, removed
or unverified: what a user choosing a model sees), the disagreements the merge kept
(``modelatlas.conflicts``, the largest relative difference first), how the evidence order settled
them (``status.disputes``), the disputes left open with the evidence each side has
(:mod:`modelatlas.render.dispute_evidence`), the ids rejected as not models (``status.rejected``),
the curated entries that name a model no source lists any more (``status.curated_unused``), why
models are listed (``modelatlas.membership.basis``) and the lifecycle counts. A maintainer curates
from the top of these lists. A pure function of the catalog.

The page shows one collapsible section per provider (each with an anchor, ``quality.html#openai``),
prices per 1M tokens (or per their unit) where the JSON keeps them per token, and short column
headings (:data:`FIELD_HEADINGS`) so the completeness table fits a desktop screen.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from decimal import Decimal
from functools import cache, partial
from typing import Any

from modelatlas.fetch.policy import relative_spread
from modelatlas.fetch.record_prices import NO_OUTPUT_MODES, NOT_TEXT_MODES
from modelatlas.ids import provider_ids
from modelatlas.jsonio import compact_bytes
from modelatlas.record import CURATED, get_path, repeats_its_id
from modelatlas.render.catalog import Catalog, Record
from modelatlas.render.dispute_evidence import SiblingValues, disputes, settled
from modelatlas.render.lazy import Deferred
from modelatlas.render.quality_rows import conflict_rows, dispute_rows
from modelatlas.render.templates import environment, page_chunks
from modelatlas.schema import SCHEMA_VERSION

JSON_PATH = "v1/quality.json"
PAGE_PATH = "quality.html"
# The gateway's ModelInfo fields whose completeness is measured, in display order.
GATEWAY_FIELDS: tuple[str, ...] = (
    "name",
    "owned_by",
    "created",
    "description",
    "context_length",
    "max_output_tokens",
    "architecture.input_modalities",
    "architecture.modality",
    "pricing.prompt",
    "pricing.completion",
    "supported_methods",
    "canonical_slug",
)
FIELD_HEADINGS = {
    "name": "name",
    "owned_by": "owner",
    "created": "created",
    "description": "description",
    "context_length": "context",
    "max_output_tokens": "max output",
    "architecture.input_modalities": "input kinds",
    "architecture.modality": "modality",
    "pricing.prompt": "prompt price",
    "pricing.completion": "completion price",
    "supported_methods": "methods",
    "canonical_slug": "canonical slug",
}
assert set(FIELD_HEADINGS) == set(GATEWAY_FIELDS), "every measured field has a short heading"
LIFECYCLE_COUNTED = ("deprecated", "retired", "removed", "unverified")
HIDDEN = frozenset({"retired", "removed", "unverified"})
_SPREAD_PLACES = Decimal("0.0001")


def has_field(record: Record, path: str, page_named: frozenset[str] = frozenset()) -> bool:
    """Whether a record has the field; a ``name`` that only repeats the id is no real name, unless a
    provider's page says the model is called that: a curated name (OpenAI's ``o3``), or one taken
    from a record of the same model whose name is curated (``page_named``: their ids)."""
    value = get_path(record, path)
    if path == "name":
        source = str(record["modelatlas"].get("provenance", {}).get("name", ""))
        from_page = source.startswith("derived:") and source.removeprefix("derived:") in page_named
        return isinstance(value, str) and (from_page or not repeats_its_id(record))
    return value is not None


def page_named(records: list[Record]) -> frozenset[str]:
    """The ids of the records whose name a provider's page gives (curated)."""
    return frozenset(r["id"] for r in records if r["modelatlas"].get("provenance", {}).get("name") == CURATED)


def _percent(count: int, total: int) -> float:
    return round(100 * count / total, 1) if total else 0.0


def _takes_tokens(record: Record, path: str) -> bool:
    """Whether a token limit is expected of the record: a context window of a model that reads
    tokens (not image, video or speech generation, transcription or OCR), an output limit of one
    that writes them (nor embeddings, reranking or moderation). A mode-less record counts unless
    its outputs are known and none is text."""
    mode = get_path(record, "modelatlas.mode")
    unexpected = NOT_TEXT_MODES if path == "max_output_tokens" else NOT_TEXT_MODES - NO_OUTPUT_MODES
    if mode is not None:
        return mode not in unexpected
    outputs = get_path(record, "architecture.output_modalities")
    return not outputs or "text" in outputs


# Fields measured only over the models they apply to; a record that has the field always counts.
APPLIES_TO = {"context_length": _takes_tokens, "max_output_tokens": _takes_tokens}


def _present(records: list[Record], path: str) -> list[bool]:
    """Whether each record has a value at ``path`` (:func:`~modelatlas.record.get_path` is not None),
    a field at a time over all records (at 100k models the completeness took 0.57 s with a call per
    record and field, 0.43 s so: best of three of the report's document alone)."""
    head, _, rest = path.partition(".")
    if not rest:
        return [record.get(head) is not None for record in records]
    if "." in rest:
        return [get_path(record, path) is not None for record in records]
    return [
        isinstance(node := record.get(head), Mapping) and node.get(rest) is not None for record in records
    ]


def completeness(records: list[Record], named: frozenset[str] = frozenset()) -> dict[str, dict[str, Any]]:
    """Count and share of ``records`` with each gateway field (``named``: :func:`page_named` of the
    whole catalog)."""
    result = {}
    for path in GATEWAY_FIELDS:
        if path == "name":
            present = [has_field(record, path, named) for record in records]
        else:
            present = _present(records, path)
        count = sum(present)
        result[path] = {"count": count, "percent": _percent(count, len(records))}
        applies = APPLIES_TO.get(path)
        if applies is not None:  # records without the field it applies to count as lacking it
            pairs = zip(records, present, strict=True)
            lacking = sum(1 for record, has in pairs if not has and applies(record, path))
            total = count + lacking
            result[path] |= {"applicable": total, "percent": _percent(count, total)}
    return result


def summed_completeness(reports: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """:func:`completeness` of every provider's current models together, from each provider's
    report (its counts and its number of current models): the same figures, each record counted once."""
    records = sum(report["current"] for report in reports)
    result = {}
    for path in GATEWAY_FIELDS:
        count = sum(report["completeness"][path]["count"] for report in reports)
        result[path] = {"count": count, "percent": _percent(count, records)}
        if path in APPLIES_TO:
            total = sum(report["completeness"][path]["applicable"] for report in reports)
            result[path] |= {"applicable": total, "percent": _percent(count, total)}
    return result


def _spread(values: dict[str, Any]) -> str | None:
    spread = relative_spread(list(values.values()))
    return str(spread.quantize(_SPREAD_PLACES)) if spread is not None else None


def conflicts(records: list[Record]) -> list[dict[str, Any]]:
    """Every kept disagreement, the largest relative difference first (then by id and field)."""
    rows = []
    for record in records:
        extension = record["modelatlas"]
        for path, values in sorted(extension.get("conflicts", {}).items()):
            row: dict[str, Any] = {"id": record["id"], "field": path, "values": dict(values)}
            chosen = extension["provenance"].get(path)
            if chosen:
                row["chosen"] = chosen
            spread = _spread(values)
            if spread is not None:
                row["spread"] = spread
            rows.append(row)
    return sorted(rows, key=lambda r: (-Decimal(r.get("spread", "0")), r["id"], r["field"]))


def lifecycle_counts(records: list[Record]) -> dict[str, int]:
    statuses = [r["modelatlas"].get("lifecycle", {}).get("status") for r in records]
    return {status: statuses.count(status) for status in LIFECYCLE_COUNTED}


def _status(record: Record) -> Any:
    return record["modelatlas"].get("lifecycle", {}).get("status")


def membership_counts(records: list[Record]) -> dict[str, int]:
    bases = [r["modelatlas"].get("membership", {}).get("basis") for r in records]
    return {basis: bases.count(basis) for basis in sorted({b for b in bases if isinstance(b, str)})}


def provider_report(
    provider: str, doc: dict[str, Any], records: list[Record], siblings: SiblingValues, named: frozenset[str]
) -> dict[str, Any]:
    listed = [r for r in records if _status(r) != "removed"]
    current = [r for r in listed if _status(r) not in HIDDEN]
    status = doc.get("status", {})
    return {
        "provider": provider,
        "models": len(listed),
        "current": len(current),
        "completeness": completeness(current, named),
        "lifecycle": lifecycle_counts(records),
        "membership": membership_counts(records),
        "conflicts": conflicts(listed),
        "settled": settled(status),
        "disputes": disputes(listed, siblings),
        "rejected": list(status.get("rejected", [])),
        "curated_unused": list(status.get("curated_unused", [])),
    }


def quality_document(catalog: Catalog) -> dict[str, Any]:
    by_provider: dict[str, list[Record]] = {p: [] for p in provider_ids()}
    for record in catalog.models:
        by_provider[record["modelatlas"]["provider"]].append(record)
    siblings = SiblingValues(catalog.models)
    named = page_named(catalog.models)
    providers = [
        provider_report(p, catalog.providers.get(p, {}), by_provider[p], siblings, named)
        for p in provider_ids()
    ]
    every = [r for r in catalog.models if _status(r) != "removed"]
    current = [r for r in every if _status(r) not in HIDDEN]
    totals = {
        "models": len(every),
        "current": len(current),
        "completeness": summed_completeness(providers),
        "lifecycle": lifecycle_counts(catalog.models),
        "membership": membership_counts(catalog.models),
        "conflicts": sum(len(p["conflicts"]) for p in providers),
        "settled": _summed(p["settled"] for p in providers),
        "disputes": sum(len(p["disputes"]) for p in providers),
        "rejected": sum(len(p["rejected"]) for p in providers),
        "curated_unused": sum(len(p["curated_unused"]) for p in providers),
    }
    return {
        "schema_version": SCHEMA_VERSION,
        "fields": list(GATEWAY_FIELDS),
        "totals": totals,
        "providers": providers,
    }


def _summed(counts: Any) -> dict[str, int]:
    total: dict[str, int] = {}
    for count in counts:
        for step, n in count.items():
            total[step] = total.get(step, 0) + n
    return dict(sorted(total.items()))


def render(catalog: Catalog, only_deferred: bool = False) -> Iterator[tuple[str, Deferred]]:
    """The quality report as JSON and as a page, both made (from one document) by the process of the
    output stage that takes them (both are :class:`Deferred`, whatever ``only_deferred`` says)."""
    document = cache(partial(quality_document, catalog))
    yield JSON_PATH, Deferred(lambda: compact_bytes(document()), share=JSON_PATH)
    yield PAGE_PATH, Deferred(lambda: _page(catalog, document()), share=JSON_PATH)


def _page(catalog: Catalog, document: dict[str, Any]) -> list[bytes]:
    """The page, encoded piece by piece as the template writes it (at 100k models it is some 14 MB,
    and rendered whole it held several times that at once)."""
    return page_chunks(
        environment(), catalog, PAGE_PATH, "quality.html",
        quality=document, headings=FIELD_HEADINGS, dispute_rows=dispute_rows, conflict_rows=conflict_rows,
    )
