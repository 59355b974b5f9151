"""What a refresh adds to a provider's new document beyond the merge: the parts of the live list the
provider refused (their previous records kept), the records it refused whole (in ``status.rejected``)
and the catalogs used from their last good copy (in ``status.catalog_fallbacks`` and the reason)."""

from __future__ import annotations

from typing import Any

from modelatlas.datastore import ProviderDoc
from modelatlas.fetch.catalogs import CatalogLoad
from modelatlas.fetch.record_builder import Normalized


def note_fallbacks(doc: ProviderDoc, catalogs: CatalogLoad) -> None:
    """Say in the status block which catalogs came from their last good copy, and from when."""
    status = doc["status"]
    used = {s: catalogs.fallbacks[s][0] for s in status.get("sources", []) if s in catalogs.fallbacks}
    if used:
        status["catalog_fallbacks"] = used
        copies = ", ".join(f"{source} (copy of {saved_at})" for source, saved_at in used.items())
        status["reason"] += f"; unreachable, used their last good copy: {copies}"


def _lifecycle(model: dict[str, Any]) -> Any:
    return model.get("modelatlas", {}).get("lifecycle", {}).get("status")


def keep_skipped_parts(doc: ProviderDoc, previous: ProviderDoc | None, live: Normalized) -> None:
    """A part of the live list the provider refused (one Vertex publisher) keeps its previous
    records instead of being marked removed; the status reason says what was skipped and why."""
    before = {m["id"]: m for m in (previous or {}).get("models", [])}
    owners = set(live.keep_owned_by)
    kept = []
    for model in doc["models"]:
        old = before.get(model["id"])
        refused = old is not None and old.get("owned_by") in owners and _lifecycle(old) != "removed"
        kept.append(old if refused and _lifecycle(model) == "removed" else model)
    doc["models"] = kept
    skipped = "; ".join(f"{part}: {reason}" for part, reason in live.skipped.items())
    doc["status"]["reason"] = f"{doc['status']['reason']}; skipped {skipped}"


def note_rejected_records(doc: ProviderDoc, rejected: list[tuple[str, str]]) -> None:
    """Records the provider's own list held that were refused whole (an id outside the bounds) join
    the status block's ``rejected`` list, each with its reason."""
    entries = doc["status"].setdefault("rejected", [])
    entries.extend({"id": shown, "reason": reason, "sources": ["provider_api"]} for shown, reason in rejected)
    entries.sort(key=lambda entry: entry["id"])
