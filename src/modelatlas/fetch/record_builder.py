"""Building model records from one source's data: one record at a time with per-field provenance
(:class:`RecordBuilder`, used by the public catalogs) and a provider API's whole list
(:class:`RecordSet`, used by every provider's ``normalize``).

``RecordBuilder.set("pricing.prompt", "0.0000025")`` stores the value at that dotted path and notes
the source in ``modelatlas.provenance``; :meth:`RecordBuilder.build` then validates against
``schema/model.schema.json`` and drops any single value that violates it (a wrong type) instead of
losing the whole model. Every value is checked against the documented bounds as it is set
(:mod:`modelatlas.bounds`: token counts, timestamps, dates, prices); one outside them is dropped
and counted, never stored. :class:`RecordSet` adds id checks (unusable or repeated ids are rejected
with a reason, kept for the provider's status block). Nothing here raises on bad data except
:class:`UpstreamShapeError`, for a body whose envelope is not the provider's at all.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from modelatlas.bounds import value_problems
from modelatlas.ids import model_id
from modelatlas.prices import price_problem, price_string
from modelatlas.record import Record, check_upstream_id, delete_path, describe, leaves, pruned
from modelatlas.schema import iter_violations

Pages = list[Any]


class UpstreamShapeError(Exception):
    """The body is not shaped like this provider's list response (e.g. no ``data`` list)."""


# A page ``fetch`` appends to say which parts of the list were refused: ``{SKIPPED_PAGE: {part: reason}}``.
SKIPPED_PAGE = "modelatlas:skipped"


@dataclass
class Normalized:
    """What ``normalize`` returns: the records that passed and one reason per rejected record.

    ``skipped``: parts of the list the provider refused (part → reason, e.g. one Vertex publisher);
    the previous models whose ``owned_by`` is in ``keep_owned_by`` then keep their records instead
    of being marked removed.
    """

    records: list[Record] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)
    keep_owned_by: list[str] = field(default_factory=list)
    # Records refused whole: (the id as received, shown with repr, why), for the status block.
    rejected_ids: list[tuple[str, str]] = field(default_factory=list)


def items_of(body: Any, *keys: str, allow_array: bool = True) -> list[Any]:
    """The item list of one response body: ``body[key]`` for the first key present, or the body
    itself when it is a top-level array; a ``null`` list means no items."""
    if isinstance(body, list) and allow_array:
        return body
    if not isinstance(body, dict):
        raise UpstreamShapeError(f"expected a JSON object with {'/'.join(keys)}, got {type(body).__name__}")
    for key in keys:
        if key in body:
            value = body[key]
            if value is None:
                return []
            if not isinstance(value, list):
                raise UpstreamShapeError(f"'{key}' is a {type(value).__name__}, not a list")
            return value
    raise UpstreamShapeError(f"response has no '{'/'.join(keys)}' list")


_INDEX = re.compile(r"\.[0-9]+(?=\.|$)")


def _variant_key(variant: dict[str, Any]) -> tuple[str, str]:
    return (variant.get("region", ""), variant.get("tier", ""))


PRICING_PREFIX, EXTRA_PREFIX = "pricing.", "modelatlas.extra_pricing."


def context_tier(above_input_tokens: int, prices: dict[str, str], source: str) -> dict[str, Any] | None:
    """A long-context tier (docs/pricing.md) from ``{record path: USD string}``: the whole request is
    priced at it once the input exceeds ``above_input_tokens``; None when it states no price."""
    pricing = {p.removeprefix(PRICING_PREFIX): v for p, v in prices.items() if p.startswith(PRICING_PREFIX)}
    extra = {p.removeprefix(EXTRA_PREFIX): v for p, v in prices.items() if p.startswith(EXTRA_PREFIX)}
    if not pricing or above_input_tokens < 1:
        return None
    tier: dict[str, Any] = {"above_input_tokens": above_input_tokens, "billing": "whole_request"}
    tier["pricing"] = dict(sorted(pricing.items()))
    if extra:
        tier["extra_pricing"] = dict(sorted(extra.items()))
    tier["source"] = source
    return tier


class RecordBuilder:
    """Collects the fields of one model from one source."""

    def __init__(self, provider: str, upstream_id: str, source: str) -> None:
        self.source = source
        self.refused: Counter[str] = Counter()  # values outside the bounds, by path and reason
        self.provenance: dict[str, str] = {}
        self.record: Record = {
            "id": model_id(provider, upstream_id),
            "modelatlas": {"provider": provider, "upstream_id": upstream_id, "provenance": self.provenance},
        }

    def set(self, path: str, value: Any) -> None:
        """Store ``value`` at dotted ``path`` (skipping None and empty values) and note its source."""
        if value is None or value == "" or value == [] or value == {}:
            return
        problems = list(value_problems(path, value))
        if problems:
            for where, why in problems:
                self.refused[f"dropped {_INDEX.sub('', where)}: {why}"] += 1
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
        self,
        pricing: dict[str, str],
        region: str | None = None,
        tier: str | None = None,
        context_tiers: list[dict[str, Any]] | None = None,
    ) -> None:
        """Add a region or service-tier price (never the plain id's price) to ``pricing_variants``.

        ``pricing`` uses the keys of ``pricing`` (USD per unit strings); an empty one is ignored.
        ``context_tiers``: the variant's own long-context tiers (:func:`context_tier`).
        A later variant for the same region and tier replaces the earlier one.
        """
        for name, value in list(pricing.items()):
            why = price_problem(f"pricing.{name}", value)
            if why:
                del pricing[name]
                self.refused[f"dropped pricing_variants.pricing.{name}: {why}"] += 1
        if not pricing:
            return
        variants = self.record["modelatlas"].setdefault("pricing_variants", [])
        where = {k: v for k, v in (("region", region), ("tier", tier)) if v}
        variants[:] = [v for v in variants if _variant_key(v) != _variant_key(where)]
        entry: dict[str, Any] = {**where, "pricing": dict(sorted(pricing.items())), "source": self.source}
        if context_tiers:
            entry["context_tiers"] = sorted(context_tiers, key=lambda t: t["above_input_tokens"])
        variants.append(entry)
        variants.sort(key=_variant_key)
        self.provenance["modelatlas.pricing_variants"] = self.source

    def add_context_tier(self, above_input_tokens: int, prices: dict[str, str]) -> None:
        """Add a long-context tier of the standard prices (``{record path: USD string}``)."""
        tier = context_tier(above_input_tokens, prices, self.source)
        if tier is None:
            return
        tiers = self.record["modelatlas"].setdefault("context_tiers", [])
        tiers[:] = [t for t in tiers if t["above_input_tokens"] != above_input_tokens]
        tiers.append(tier)
        tiers.sort(key=lambda t: t["above_input_tokens"])
        self.provenance["modelatlas.context_tiers"] = self.source

    def build(self, dropped: Counter[str] | None = None) -> Record | None:
        """The finished record with schema-violating values removed; None if the record is unusable."""
        if dropped is not None:
            dropped.update(self.refused)
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
                delete_path(self.record, path)
                self.provenance.pop(path, None)
        return None

    def _leaf_for(self, pointer: str) -> str | None:
        parts = [p.replace("~1", "/").replace("~0", "~") for p in pointer.split("/")[1:]]
        for end in range(len(parts), 0, -1):
            candidate = ".".join(parts[:end])
            if candidate in self.provenance:
                return candidate
        return None


class RecordSet:
    """Collects one provider's records: validated ids, no duplicates, provenance ``provider_api``.

    Each record is built with the catalogs' :class:`RecordBuilder`, so
    a value the schema still refuses is dropped (and counted) instead of losing the model.
    """

    def __init__(self, provider: str) -> None:
        self.provider = provider
        self._records: dict[str, Record] = {}
        self._rejected: list[str] = []
        self._rejected_ids: list[tuple[str, str]] = []
        self.dropped: Counter[str] = Counter()

    def reject(self, reason: str, raw_id: Any = None) -> None:
        """Note why an item was refused; with ``raw_id`` the whole record was (for the status block)."""
        self._rejected.append(reason)
        if raw_id is not None:
            self._rejected_ids.append((describe(raw_id, 120), reason.split(": ", 1)[-1]))

    def add(
        self,
        raw_id: Any,
        fields: Mapping[str, Any],
        extension: Mapping[str, Any] | None = None,
        *,
        position: int | None = None,
    ) -> None:
        where = f"item {position}" if position is not None else "item"
        try:
            upstream = check_upstream_id(raw_id)
        except ValueError as exc:
            self.reject(f"{where}: {exc}", raw_id if raw_id is not None else f"<{where}>")
            return
        if upstream in self._records:
            self.reject(f"{where}: duplicate id {describe(upstream)} (the first occurrence is kept)")
            return
        builder = RecordBuilder(self.provider, upstream, "provider_api")
        for path, value in leaves(pruned(dict(fields))):
            builder.set(path, value)
        for path, value in leaves(pruned(dict(extension or {})), "modelatlas."):
            builder.set(path, value)
        record = builder.build(self.dropped)
        if record is None:
            self.reject(f"{where}: {describe(upstream)} does not fit the model schema", upstream)
            return
        self._records[upstream] = record

    def result(self) -> Normalized:
        rejected = list(self._rejected)
        rejected += [f"{n} x {reason}" for reason, n in sorted(self.dropped.items())]
        records = sorted(self._records.values(), key=lambda r: r["id"])
        return Normalized(records=records, rejected=rejected, rejected_ids=list(self._rejected_ids))


def each_object(items: list[Any], records: RecordSet) -> Iterable[tuple[int, dict[str, Any]]]:
    """Yield (position, item) for the items that are JSON objects; reject the others."""
    for position, item in enumerate(items):
        if isinstance(item, dict):
            yield position, item
        else:
            records.reject(f"item {position}: a {type(item).__name__}, not an object")
