"""The evidence each side of a remaining price dispute has, for the quality report.

For every field a record lists in ``modelatlas.disputed``: every source's value (from
``modelatlas.conflicts``), the value kept (absent when none could stand), the provider's stated rules
that cover the model (what was tried before the dispute was left open; none settled it), and the same
model's value elsewhere (its siblings: :func:`modelatlas.fetch.siblings.sibling_key`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from modelatlas.fetch.providers import registry
from modelatlas.fetch.siblings import model_name, sibling_key
from modelatlas.record import Record, get_path

MAX_SIBLINGS = 12  # siblings shown per dispute (the nearest ids first: same provider, then by id)


class SiblingValues:
    """The catalog's records by sibling key, to look up the same model's values elsewhere."""

    def __init__(self, records: Iterable[Record]) -> None:
        self.by_key: dict[str, list[Record]] = {}
        for record in records:
            extension = record["modelatlas"]
            if extension.get("lifecycle", {}).get("status") in ("removed", "retired"):
                continue
            key = sibling_key(extension["provider"], extension["upstream_id"])
            self.by_key.setdefault(key, []).append(record)

    def of(self, record: Record, path: str) -> dict[str, Any]:
        extension = record["modelatlas"]
        key = sibling_key(extension["provider"], extension["upstream_id"])
        others = [r for r in self.by_key.get(key, []) if r["id"] != record["id"]]
        others.sort(key=lambda r: (r["modelatlas"]["provider"] != extension["provider"], r["id"]))
        found = {r["id"]: value for r in others if (value := get_path(r, path)) is not None}
        return dict(list(found.items())[:MAX_SIBLINGS])


def rules_covering(record: Record) -> list[str]:
    """Ids of the provider's stated price rules that cover the model."""
    extension = record["modelatlas"]
    _vendor, name = model_name(extension["provider"], extension["upstream_id"])
    return [rule.id for rule in registry.declared(extension["provider"]).price_rules if rule.covers(name)]


def disputes(records: Iterable[Record], siblings: SiblingValues) -> list[dict[str, Any]]:
    """One row per disputed field of the records, by id and field."""
    rows = []
    for record in records:
        extension = record["modelatlas"]
        for path in extension.get("disputed", []):
            row: dict[str, Any] = {"id": record["id"], "field": path}
            row["values"] = dict(extension.get("conflicts", {}).get(path, {}))
            kept = get_path(record, path)
            if kept is not None:
                row["kept"] = kept
                if path in extension["provenance"]:
                    row["kept_source"] = extension["provenance"][path]
            row["rules"] = (
                rules_covering(record) if path.startswith(("pricing.", "modelatlas.extra_pricing.")) else []
            )
            row["siblings"] = siblings.of(record, path)
            rows.append(row)
    return sorted(rows, key=lambda r: (r["id"], r["field"]))


def settled(status: Mapping[str, Any]) -> dict[str, int]:
    """How the provider's last refresh settled its disputes (``status.disputes``)."""
    counts = status.get("disputes")
    return dict(counts) if isinstance(counts, dict) else {}
