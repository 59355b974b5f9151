"""Combine one provider's candidate records from several sources into one record per model.

Records are joined by :func:`match_key` of their upstream id. The join is deliberately
conservative (case and a few wrapper prefixes only): two entries wrongly merged would show one
model's price on another, which is worse than listing a model twice. Each leaf field (a dotted
path in ``modelatlas.provenance``) is taken whole from the highest-priority source that has it,
and keeps that source as its provenance.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from typing import Any

from modelatlas.fetch.catalogs.record import Record
from modelatlas.ids import model_id

# Highest priority first (docs/architecture.md).
SOURCE_PRIORITY: tuple[str, ...] = (
    "curated",
    "provider_api",
    "openrouter",
    "models.dev",
    "litellm",
    "ruby_llm",
    "portkey",
    "derived",
)
# Prefixes a provider's own API puts before ids that the catalogs leave off.
_WRAPPER_PREFIXES: dict[str, tuple[str, ...]] = {"gemini": ("models/",), "vertex": ("models/",)}


def match_key(provider: str, upstream_id: str) -> str:
    """The join key of a model id within one provider: case-folded, known wrapper prefixes removed."""
    key = upstream_id.strip()
    for prefix in _WRAPPER_PREFIXES.get(provider, ()):
        if key.startswith(prefix):
            key = key[len(prefix) :]
    if provider == "vertex" and key.startswith("publishers/") and "/models/" in key:
        key = key.split("/models/", 1)[1]
    return key.casefold()


def _rank(source: str) -> int:
    return SOURCE_PRIORITY.index(source) if source in SOURCE_PRIORITY else len(SOURCE_PRIORITY)


def get_path(record: Mapping[str, Any], path: str) -> Any:
    node: Any = record
    for part in path.split("."):
        if not isinstance(node, Mapping) or part not in node:
            return None
        node = node[part]
    return node


def set_path(record: dict[str, Any], path: str, value: Any) -> None:
    parts = path.split(".")
    node = record
    for part in parts[:-1]:
        node = node.setdefault(part, {})
    node[parts[-1]] = value


def derive_modality(record: Record) -> None:
    """Fill ``architecture.modality`` (``text+image->text``) from the modality lists when absent."""
    arch = record.get("architecture", {})
    inputs, outputs = arch.get("input_modalities"), arch.get("output_modalities")
    if "modality" in arch or not inputs or not outputs:
        return
    arch["modality"] = "+".join(inputs) + "->" + "+".join(outputs)
    record["modelatlas"]["provenance"]["architecture.modality"] = "derived"


def merge_group(provider: str, candidates: list[tuple[str, Record]]) -> Record:
    """One record from ``(source, record)`` candidates for one model (all with the same match key).

    The upstream id comes from the highest-priority source; each field from the highest-priority
    source that has it (ties: the earlier candidate).
    """
    ordered = sorted(enumerate(candidates), key=lambda item: (_rank(item[1][0]), item[0]))
    upstream_id = ordered[0][1][1]["modelatlas"]["upstream_id"]
    merged: Record = {"id": model_id(provider, upstream_id)}
    provenance: dict[str, str] = {}
    for _position, (_source, candidate) in ordered:
        for path, field_source in sorted(candidate["modelatlas"]["provenance"].items()):
            if path in provenance:
                continue
            value = get_path(candidate, path)
            if value is None:
                continue
            set_path(merged, path, copy.deepcopy(value))
            provenance[path] = field_source
    extension = merged.setdefault("modelatlas", {})
    extension.update({"provider": provider, "upstream_id": upstream_id, "provenance": provenance})
    derive_modality(merged)
    return merged


def merge_provider(
    provider: str, sources: Mapping[str, Iterable[Record]], *, api_list_only: bool = False
) -> list[Record]:
    """Merged records of one provider from ``{source id: records}``, sorted by id.

    By default the model list is the union of all sources (public-catalog refresh). With
    ``api_list_only`` only models that ``sources["provider_api"]`` lists are kept; the catalogs
    then only enrich matching models.
    """
    groups: dict[str, list[tuple[str, Record]]] = {}
    for source in sorted(sources, key=_rank):
        for record in sources[source]:
            key = match_key(provider, record["modelatlas"]["upstream_id"])
            groups.setdefault(key, []).append((source, record))
    if api_list_only:
        api_records = sources.get("provider_api", ())
        wanted = {match_key(provider, r["modelatlas"]["upstream_id"]) for r in api_records}
        groups = {k: v for k, v in groups.items() if k in wanted}
    merged = [merge_group(provider, group) for group in groups.values()]
    return sorted(merged, key=lambda r: r["id"])
