"""Field-level differences between two catalog snapshots, as change entries (schema/change.schema.json).

Kinds: ``added`` (a new model), ``removed`` (no longer listed: absent, or kept with
``modelatlas.lifecycle.status == "removed"``), ``readded`` (listed again after a removal) and
``changed`` (one entry per changed leaf field, dotted path, ``before`` → ``after``; ``null`` means
the field was absent, since records never hold null). Provider status blocks, provenance, links
and ``lifecycle.last_seen`` are bookkeeping, not catalog changes, and are ignored; so are
``canonical_slug`` and ``modelatlas.family``, which the build derives (docs/canonical.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from decimal import ROUND_HALF_EVEN, Decimal
from enum import StrEnum
from typing import Any

from modelatlas.changes.snapshots import Snapshot
from modelatlas.ids import split_model_id
from modelatlas.prices import to_decimal
from modelatlas.record import Record, leaves

Entry = dict[str, Any]  # one change entry (schema/change.schema.json)


class ChangeKind(StrEnum):
    """``kind`` of a change entry (schema/change.schema.json); entries read back are plain strings."""

    ADDED = "added"
    REMOVED = "removed"
    READDED = "readded"
    CHANGED = "changed"


# Leaves that change without the catalog changing (or that are the bookkeeping of a change).
IGNORED_PATHS = frozenset(
    {
        "id",
        "modelatlas.provenance",
        "modelatlas.links",
        "modelatlas.provider",
        "modelatlas.upstream_id",
        "modelatlas.lifecycle.last_seen",
        # the evidence of membership (its outcome shows in lifecycle.status), and every source's value
        # where sources disagree (the outcome shows in the value kept and in modelatlas.disputed)
        "modelatlas.membership",
        "modelatlas.conflicts",
        # set by the build's canonical matcher from the whole catalog, absent from data/
        "canonical_slug",
        "modelatlas.family",
    }
)
PRICE_PREFIXES = ("pricing.", "modelatlas.extra_pricing.")
# Fields renamed in the data (old path -> new path): an older snapshot's value is compared under the
# new name, so a rename alone is no change (the audio-token prices got their unit in the name).
RENAMED_PATHS = {
    "modelatlas.extra_pricing.input_audio": "modelatlas.extra_pricing.input_audio_token",
    "modelatlas.extra_pricing.output_audio": "modelatlas.extra_pricing.output_audio_token",
}
SUMMARY_FIELDS = ("name", "context_length", "max_output_tokens", "pricing")


def flatten(record: Record) -> dict[str, Any]:
    """Every leaf of ``record`` by dotted path (arrays, LEAF_OBJECTS are leaves), minus IGNORED_PATHS;
    renamed fields under their new names (:data:`RENAMED_PATHS`)."""
    return {
        RENAMED_PATHS.get(path, path): value
        for path, value in leaves(record, skip=IGNORED_PATHS)
        if value is not None
    }


def is_removed(record: Record | None) -> bool:
    if record is None:
        return True
    lifecycle = (record.get("modelatlas") or {}).get("lifecycle") or {}
    return lifecycle.get("status") == "removed"


def is_price_field(path: str) -> bool:
    return path.startswith(PRICE_PREFIXES)


def percent_change(before: Any, after: Any) -> str | None:
    """Relative change of a price in percent as an exact decimal string (2 places, e.g. ``"-20"``)."""
    old, new = to_decimal(before), to_decimal(after)
    if old is None or new is None or old == 0:
        return None
    percent = ((new - old) / old * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN)
    text = format(percent.normalize(), "f")
    return "0" if percent == 0 else text


def provider_of(record: Record) -> str:
    provider = (record.get("modelatlas") or {}).get("provider")
    if isinstance(provider, str):
        return provider
    try:
        return split_model_id(record["id"])[0]
    except ValueError:
        return record["id"].partition("/")[0]


def summary(record: Record) -> dict[str, Any]:
    """What an added/removed entry shows of the model: name, limits and prices where known."""
    return {key: record[key] for key in SUMMARY_FIELDS if key in record}


def _provenance(record: Record, path: str) -> str | None:
    provenance = (record.get("modelatlas") or {}).get("provenance") or {}
    old_names = [old for old, new in RENAMED_PATHS.items() if new == path]
    value = next((provenance[p] for p in (path, *old_names) if p in provenance), None)
    return value if isinstance(value, str) else None


def _status_source(snapshot: Snapshot, provider: str) -> str | None:
    source = snapshot.statuses.get(provider, {}).get("source")
    return source if isinstance(source, str) else None


def field_changes(model: str, provider: str, old: Record, new: Record) -> Iterator[Entry]:
    before_leaves, after_leaves = flatten(old), flatten(new)
    for path in sorted(before_leaves.keys() | after_leaves.keys()):
        before, after = before_leaves.get(path), after_leaves.get(path)
        if before == after:
            continue
        entry: Entry = {
            "model": model,
            "provider": provider,
            "kind": ChangeKind.CHANGED,
            "field": path,
            "before": before,
            "after": after,
            "source": _provenance(new, path) if after is not None else _provenance(old, path),
        }
        if is_price_field(path):
            percent = percent_change(before, after)
            if percent is not None:
                entry["percent"] = percent
        yield entry


def diff_snapshots(old: Snapshot, new: Snapshot, previously_removed: Iterable[str] = ()) -> list[Entry]:
    """Change entries (undated) turning ``old`` into ``new``, sorted by model, kind and field.

    ``previously_removed`` names models the change log already saw removed, so that a model absent
    from ``old`` but listed in ``new`` is reported as ``readded`` rather than ``added``.
    """
    removed_before = set(previously_removed)
    entries: list[Entry] = []
    for model in sorted(old.models.keys() | new.models.keys()):
        before, after = old.models.get(model), new.models.get(model)
        gone_before, gone_after = is_removed(before), is_removed(after)
        if gone_before and gone_after:
            continue
        record = after if after is not None else before
        assert record is not None
        provider = provider_of(record)
        if gone_after:
            assert before is not None
            entries.append(
                {
                    "model": model,
                    "provider": provider,
                    "kind": ChangeKind.REMOVED,
                    "before": summary(before),
                    "after": None,
                    "source": _status_source(new, provider),
                }
            )
        elif gone_before:
            assert after is not None
            kind = ChangeKind.READDED if before is not None or model in removed_before else ChangeKind.ADDED
            entries.append(
                {
                    "model": model,
                    "provider": provider,
                    "kind": kind,
                    "before": None,
                    "after": summary(after),
                    "source": _status_source(new, provider),
                }
            )
        else:
            assert before is not None and after is not None
            entries.extend(field_changes(model, provider, before, after))
    return entries


def counts(entries: Iterable[Entry]) -> dict[str, int]:
    """Number of models added, removed, readded and changed, and of changed fields."""
    tally = {**dict.fromkeys(ChangeKind, 0), "fields": 0}
    changed_models: set[str] = set()
    for entry in entries:
        if entry["kind"] == ChangeKind.CHANGED:
            tally["fields"] += 1
            changed_models.add(entry["model"])
        else:
            tally[entry["kind"]] += 1
    tally[ChangeKind.CHANGED] = len(changed_models)
    return tally
