"""Building one normalized model record with per-field provenance, then fitting it to the schema.

Every source module (public catalogs here, live provider APIs in ``modelatlas.fetch.providers``) builds
records through :class:`RecordBuilder`: ``set("pricing.prompt", "0.0000025")`` stores the value at
that dotted path and records the source in ``modelatlas.provenance``. :meth:`RecordBuilder.build`
then validates against ``schema/model.schema.json`` and drops any single value that violates it
(an absurd number, a wrong type) instead of losing the whole model.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from decimal import Decimal
from typing import Any

from modelatlas.ids import model_id
from modelatlas.prices import price_string
from modelatlas.schema import iter_violations

Record = dict[str, Any]

INPUT_MODALITIES = frozenset({"text", "image", "file", "audio", "video"})
OUTPUT_MODALITIES = frozenset({"text", "image", "audio", "video"})
_DATE = re.compile(r"^([0-9]{4}-[0-9]{2}(?:-[0-9]{2})?)(?:$|T)")
MAX_UPSTREAM_ID = 500


def unusable_id_reason(upstream_id: object) -> str | None:
    """Why ``upstream_id`` cannot name a model (None if it can)."""
    if not isinstance(upstream_id, str):
        return "id is not a string"
    if not upstream_id.strip():
        return "id is empty or whitespace"
    if upstream_id != upstream_id.strip():
        return "id has leading or trailing whitespace"
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") for ch in upstream_id):
        return "id contains control characters"
    if len(upstream_id) > MAX_UPSTREAM_ID:
        return "id is longer than 500 characters"
    return None


def count(value: object) -> int | None:
    """A non-negative integer count (tokens, seconds) or None; JSON numbers may arrive as Decimal."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value() and value >= 0:
        return int(value)
    return None


def date(value: object) -> str | None:
    """``YYYY-MM-DD`` or ``YYYY-MM`` from a date or RFC 3339 string; None for anything else."""
    if not isinstance(value, str):
        return None
    match = _DATE.match(value.strip())
    return match.group(1) if match else None


def text(value: object) -> str | None:
    """A non-empty string, else None."""
    if isinstance(value, str) and value.strip():
        return value
    return None


def flag(value: object) -> bool | None:
    return value if isinstance(value, bool) else None


def modalities(values: object, allowed: frozenset[str], renames: dict[str, str] | None = None) -> list[str]:
    """Lowercased known modalities in first-seen order; unknown ones (e.g. ``embeddings``) dropped."""
    if not isinstance(values, list):
        return []
    result: list[str] = []
    for value in values:
        if not isinstance(value, str):
            continue
        name = value.strip().lower()
        name = (renames or {}).get(name, name)
        if name in allowed and name not in result:
            result.append(name)
    return result


def _delete_path(record: Record, path: str) -> None:
    parts = path.split(".")
    parents: list[tuple[dict[str, Any], str]] = []
    node: Any = record
    for part in parts[:-1]:
        if not isinstance(node, dict) or part not in node:
            return
        parents.append((node, part))
        node = node[part]
    if isinstance(node, dict):
        node.pop(parts[-1], None)
    for parent, key in reversed(parents):  # drop objects left empty
        if parent[key] == {}:
            del parent[key]


def _variant_key(variant: dict[str, Any]) -> tuple[str, str]:
    return (variant.get("region", ""), variant.get("tier", ""))


class RecordBuilder:
    """Collects the fields of one model from one source."""

    def __init__(self, provider: str, upstream_id: str, source: str) -> None:
        self.source = source
        self.provenance: dict[str, str] = {}
        self.record: Record = {
            "id": model_id(provider, upstream_id),
            "modelatlas": {"provider": provider, "upstream_id": upstream_id, "provenance": self.provenance},
        }

    def set(self, path: str, value: Any) -> None:
        """Store ``value`` at dotted ``path`` (skipping None and empty values) and note its source."""
        if value is None or value == "" or value == [] or value == {}:
            return
        parts = path.split(".")
        node = self.record
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
        self.provenance[path] = self.source

    def set_price(self, path: str, value: object, per: int = 1) -> None:
        self.set(path, price_string(value, per=per))

    def add_variant(
        self, pricing: dict[str, str], region: str | None = None, tier: str | None = None
    ) -> None:
        """Add a region or service-tier price (never the plain id's price) to ``pricing_variants``.

        ``pricing`` uses the keys of ``pricing`` (USD per unit strings); an empty one is ignored.
        A later variant for the same region and tier replaces the earlier one.
        """
        if not pricing:
            return
        variants = self.record["modelatlas"].setdefault("pricing_variants", [])
        where = {k: v for k, v in (("region", region), ("tier", tier)) if v}
        variants[:] = [v for v in variants if _variant_key(v) != _variant_key(where)]
        variants.append({**where, "pricing": dict(sorted(pricing.items())), "source": self.source})
        variants.sort(key=_variant_key)
        self.provenance["modelatlas.pricing_variants"] = self.source

    def build(self, dropped: Counter[str] | None = None) -> Record | None:
        """The finished record with schema-violating values removed; None if the record is unusable."""
        for _ in range(3):  # removing one value cannot create a new violation; loop is a safety net
            violations = list(iter_violations("model", self.record, self.record["id"]))
            if not violations:
                return self.record
            for violation in violations:
                path = self._leaf_for(violation.pointer)
                if path is None:
                    if dropped is not None:
                        dropped[f"record violates schema at {violation.pointer or '/'}"] += 1
                    return None
                if dropped is not None:
                    dropped[f"dropped invalid value at {path}"] += 1
                _delete_path(self.record, path)
                self.provenance.pop(path, None)
        return None

    def _leaf_for(self, pointer: str) -> str | None:
        parts = [p.replace("~1", "/").replace("~0", "~") for p in pointer.split("/")[1:]]
        for end in range(len(parts), 0, -1):
            candidate = ".".join(parts[:end])
            if candidate in self.provenance:
                return candidate
        return None
