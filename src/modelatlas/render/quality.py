"""The data-quality report: ``v1/quality.json`` (schema ``quality``) and the ``quality.html`` page.

Per provider: how complete each gateway field is over its listed models (removed ones are not
counted), the disagreements the merge kept (``modelatlas.conflicts``, the largest relative
difference first), how the evidence order settled them (``status.disputes``), the disputes left
open with the evidence each side has (:mod:`modelatlas.render.dispute_evidence`), the ids rejected
as not models (``status.rejected``) and the lifecycle counts. A maintainer curates from the top of
these lists. A pure function of the catalog.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from modelatlas.fetch.policy import relative_spread
from modelatlas.ids import provider_ids
from modelatlas.jsonio import dumps_compact
from modelatlas.render.catalog import Catalog, Record
from modelatlas.render.dispute_evidence import SiblingValues, disputes, settled
from modelatlas.render.html import environment, page_context
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
    "architecture.modality",
    "pricing.prompt",
    "pricing.completion",
    "supported_methods",
    "canonical_slug",
)
LIFECYCLE_COUNTED = ("deprecated", "retired", "removed")
_SPREAD_PLACES = Decimal("0.0001")


def _value(record: Record, path: str) -> Any:
    node: Any = record
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def has_field(record: Record, path: str) -> bool:
    """Whether a record has the field; a ``name`` that only repeats the id is no real name."""
    value = _value(record, path)
    if path == "name":
        return isinstance(value, str) and value != record["modelatlas"]["upstream_id"]
    return value is not None


def _percent(count: int, total: int) -> float:
    return round(100 * count / total, 1) if total else 0.0


def completeness(records: list[Record]) -> dict[str, dict[str, Any]]:
    result = {}
    for path in GATEWAY_FIELDS:
        count = sum(1 for record in records if has_field(record, path))
        result[path] = {"count": count, "percent": _percent(count, len(records))}
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


def provider_report(
    provider: str, doc: dict[str, Any], records: list[Record], siblings: SiblingValues
) -> dict[str, Any]:
    listed = [r for r in records if r["modelatlas"].get("lifecycle", {}).get("status") != "removed"]
    return {
        "provider": provider,
        "models": len(listed),
        "completeness": completeness(listed),
        "lifecycle": lifecycle_counts(records),
        "conflicts": conflicts(listed),
        "settled": settled(doc.get("status", {})),
        "disputes": disputes(listed, siblings),
        "rejected": list(doc.get("status", {}).get("rejected", [])),
    }


def quality_document(catalog: Catalog) -> dict[str, Any]:
    by_provider: dict[str, list[Record]] = {p: [] for p in provider_ids()}
    for record in catalog.models:
        by_provider[record["modelatlas"]["provider"]].append(record)
    siblings = SiblingValues(catalog.models)
    providers = [
        provider_report(p, catalog.providers.get(p, {}), by_provider[p], siblings) for p in provider_ids()
    ]
    every = [r for r in catalog.models if r["modelatlas"].get("lifecycle", {}).get("status") != "removed"]
    totals = {
        "models": len(every),
        "completeness": completeness(every),
        "lifecycle": lifecycle_counts(catalog.models),
        "conflicts": sum(len(p["conflicts"]) for p in providers),
        "settled": _summed(p["settled"] for p in providers),
        "disputes": sum(len(p["disputes"]) for p in providers),
        "rejected": sum(len(p["rejected"]) for p in providers),
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


def render(catalog: Catalog) -> Iterator[tuple[str, bytes]]:
    document = quality_document(catalog)
    yield JSON_PATH, dumps_compact(document).encode("utf-8")
    template = environment().get_template("quality.html")
    page = template.render(**page_context(catalog, PAGE_PATH), quality=document)
    yield PAGE_PATH, page.encode("utf-8")
