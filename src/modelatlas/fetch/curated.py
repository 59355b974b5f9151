"""Hand-curated corrections: ``data/curated/<provider>.yaml``, each fact with its source URL.

A file is a YAML list of entries::

    - model: gpt-4o                    # the provider's own model id
      source: https://...              # required: where the fact is published
      quote: "the words on that page"  # optional: what it says, verbatim
      set:                             # dotted field paths of the model record
        pricing.prompt: "0.0000025"
      unset: [max_input_tokens]        # optional: fetched values the source shows are wrong
      note: why this correction exists # optional
      add: true                        # optional: the model is listed by no source

Curated values win over every fetched value and get provenance ``curated``; an ``unset`` path
is removed with its provenance (the source disproves every fetched value and gives none).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from modelatlas import regular_files, yamlio
from modelatlas.errors import InputError
from modelatlas.fetch.merge import derive_modality
from modelatlas.fetch.spellings import match_key
from modelatlas.ids import model_id
from modelatlas.prices import price_string
from modelatlas.record import Record, set_path, unusable_id_reason
from modelatlas.schema import iter_violations, load_schema

_NOT_CURATABLE = {
    "id",
    "modelatlas.provider",
    "modelatlas.upstream_id",
    "modelatlas.provenance",
    "modelatlas.links",
}
_PRICE_PREFIXES = ("pricing.", "modelatlas.extra_pricing.")
_ENTRY_KEYS = {"model", "source", "quote", "set", "unset", "note", "add"}


@dataclass(frozen=True)
class CuratedEntry:
    model: str
    source: str
    values: dict[str, Any]
    where: str  # "<file>: entry <n> (<model>)" for error messages
    note: str = ""
    add: bool = False
    unset: tuple[str, ...] = ()
    index: int = 0  # its position in the file (1 = first)


def _leaf_paths(node: dict[str, Any], defs: dict[str, Any], prefix: str) -> set[str]:
    if "$ref" in node and node["$ref"].startswith("#/$defs/"):
        node = defs[node["$ref"].removeprefix("#/$defs/")]
    properties = node.get("properties")
    if not isinstance(properties, dict):
        return {prefix}
    paths: set[str] = set()
    for name, child in properties.items():
        paths |= _leaf_paths(child, defs, f"{prefix}.{name}" if prefix else name)
    return paths


@cache
def curatable_paths() -> frozenset[str]:
    """Every leaf field path of the model schema that a curated entry may set."""
    schema = load_schema("model")
    paths = _leaf_paths(schema, schema.get("$defs", {}), "")
    return frozenset(p for p in paths if not any(p == x or p.startswith(x + ".") for x in _NOT_CURATABLE))


def curated_path(data_dir: Path, provider: str) -> Path:
    return data_dir / "curated" / f"{provider}.yaml"


def _entry(raw: object, index: int, path: Path) -> CuratedEntry:
    label = f"{path}: entry {index}"
    if not isinstance(raw, dict):
        raise InputError(f"{label}: expected a mapping with model, source and set")
    model = raw.get("model")
    label = f"{path}: entry {index} ({model})"
    unknown = set(raw) - _ENTRY_KEYS
    if unknown:
        names = ", ".join(sorted(map(str, unknown)))
        raise InputError(f"{label}: unknown key(s) {names}; allowed: {', '.join(sorted(_ENTRY_KEYS))}")
    if unusable_id_reason(model):
        raise InputError(f"{label}: 'model' must be the provider's model id ({unusable_id_reason(model)})")
    source = raw.get("source")
    if not isinstance(source, str) or not source.startswith("https://"):
        raise InputError(f"{label}: 'source' is required: the https:// URL where the fact is published")
    values = raw.get("set", {})
    unset = _unset_paths(raw.get("unset", []), label)
    if not isinstance(values, dict) or not (values or unset):
        raise InputError(f"{label}: 'set' must map field paths (e.g. pricing.prompt) to values")
    if set(values) & set(unset):
        raise InputError(f"{label}: a field path is both in 'set' and in 'unset'; keep one")
    checked: dict[str, Any] = {}
    for field, value in values.items():
        if field not in curatable_paths():
            raise InputError(f"{label}: unknown field path {field!r}; use a dotted path of the model schema")
        if isinstance(field, str) and field.startswith(_PRICE_PREFIXES):
            price = price_string(value)
            if price is None:
                raise InputError(f"{label}: {field} must be a non-negative USD price, e.g. \"0.0000025\"")
            value = price
        if value is None:
            raise InputError(f"{label}: {field} is null; unknown values are left out, not set to null")
        checked[field] = value
    note = raw.get("note", "")
    add = raw.get("add", False)
    if not isinstance(note, str) or not isinstance(raw.get("quote", ""), str) or not isinstance(add, bool):
        raise InputError(f"{label}: 'note' and 'quote' must be text and 'add' true or false")
    return CuratedEntry(
        model=model, source=source, values=checked, where=label, note=note, add=add, unset=unset, index=index
    )


def _unset_paths(raw: object, label: str) -> tuple[str, ...]:
    if not isinstance(raw, list) or not all(isinstance(p, str) for p in raw):
        raise InputError(f"{label}: 'unset' must be a list of field paths, e.g. [max_input_tokens]")
    for field in raw:
        if field not in curatable_paths():
            problem = f"unknown field path {field!r} in 'unset'; use a dotted path of the model schema"
            raise InputError(f"{label}: {problem}")
    return tuple(raw)


def _drop_path(record: dict[str, Any], path: str) -> None:
    """Remove a dotted path from ``record`` and every object the removal leaves empty."""
    head, _, rest = path.partition(".")
    child = record.get(head)
    if rest:
        if not isinstance(child, dict):
            return
        _drop_path(child, rest)
        if child:
            return
    record.pop(head, None)


def load_curated(data_dir: Path, provider: str) -> list[CuratedEntry]:
    """The provider's curated entries (empty if it has no file); bad files raise InputError."""
    path = curated_path(data_dir, provider)
    try:
        text = regular_files.read_text(path)
    except FileNotFoundError:
        return []
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read {path}: {exc}") from exc
    try:
        raw = yamlio.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark is not None else ""
        raise InputError(f"{path}:{where} not valid YAML; fix the syntax") from exc
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise InputError(f"{path}: expected a YAML list of entries (- model: ..., source: ..., set: ...)")
    return [_entry(item, index, path) for index, item in enumerate(raw, start=1)]


def unused_entries(
    provider: str, records: list[Record], entries: list[CuratedEntry]
) -> tuple[list[CuratedEntry], list[dict[str, Any]]]:
    """The entries that apply, and one report per entry naming a model no source lists (without
    ``add: true``): ``{"entry", "model", "reason"}``. Such an entry is not applied and does not stop
    the provider (its model has left the lists; the report says to remove or fix the entry)."""
    keys = {match_key(provider, r["modelatlas"]["upstream_id"]) for r in records}
    usable, unused = [], []
    for entry in entries:
        if entry.add or match_key(provider, entry.model) in keys:
            usable.append(entry)
            continue
        reason = f"no source lists {entry.model!r} for {provider} any more; remove the entry or fix its id"
        unused.append({"entry": entry.index, "model": entry.model, "reason": reason})
    return usable, unused


def _named(candidates: list[Record], model: str) -> Record | None:
    """The record an entry names among those sharing its key (two ids of one spelling key, both on
    the provider's list, are two records): the one spelled as the entry, else the first."""
    exact = [r for r in candidates if r["modelatlas"]["upstream_id"] == model]
    return (exact or candidates or [None])[0]


def apply_curated(provider: str, records: list[Record], entries: list[CuratedEntry]) -> list[Record]:
    """``records`` with every curated value set (provenance ``curated``), sorted by id. An entry for a
    model no record has raises, unless it adds the model (see :func:`unused_entries`)."""
    records = list(records)
    by_key: dict[str, list[Record]] = {}
    for record in records:
        by_key.setdefault(match_key(provider, record["modelatlas"]["upstream_id"]), []).append(record)
    for entry in entries:
        key = match_key(provider, entry.model)
        record = _named(by_key.get(key, []), entry.model)
        if record is None:
            if not entry.add:
                raise InputError(
                    f"{entry.where}: no source lists model {entry.model!r} for {provider}; "
                    "fix the id, or add 'add: true' to list it from this entry alone"
                )
            record = {
                "id": model_id(provider, entry.model),
                "modelatlas": {"provider": provider, "upstream_id": entry.model, "provenance": {}},
            }
            by_key[key] = [record]
            records.append(record)
        provenance = record["modelatlas"]["provenance"]
        for field, value in entry.values.items():
            set_path(record, field, value)
            provenance[field] = "curated"
        for field in entry.unset:
            _drop_path(record, field)
            provenance.pop(field, None)
        if provenance.get("architecture.modality") == "derived":  # re-derive from corrected lists
            del record["architecture"]["modality"], provenance["architecture.modality"]
        derive_modality(record)
        for violation in iter_violations("model", record, record["id"]):
            problem = f"corrected record invalid at {violation.pointer}: {violation.message}"
            raise InputError(f"{entry.where}: {problem}")
    return sorted(records, key=lambda r: r["id"])
