"""The same model elsewhere: what the price evidence compares a record's prices with.

Two kinds of relative (docs/merge-policy.md, "Evidence"):

- **siblings**: the same model under other ids: at the same provider a dated snapshot and its
  alias, a preview and its release, and the same model at every other provider. They share a
  :func:`sibling_key` (the model's name without the provider's decorations: geography, ``vendor.``
  or ``vendor/``, Bedrock's ``-v1:0``, Vertex's ``@version`` and ``-maas``, OpenRouter's ``:free``,
  a trailing date, ``-preview``, ``-latest``). Prices of siblings may differ legitimately (a host's
  margin, a region, a preview), so they only count where a price is far from all of them.
- **partners**: an undated id and its only dated snapshot at the same provider (``o1-mini`` and
  ``o1-mini-2024-09-12``): the alias names that snapshot, so the two are one model at one price and
  their sources' prices are weighed together (:func:`partners`).

The index holds every catalog's candidate prices of every provider (not the merged values, so it
does not depend on the order providers are refreshed in).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from modelatlas.fetch.id_rules import spelling_key
from modelatlas.fetch.providers import registry
from modelatlas.fetch.providers.rules import VendorSegment
from modelatlas.prices import to_decimal
from modelatlas.record import Record, get_path

COMPARED_FIELDS = ("pricing.prompt", "pricing.completion", "pricing.input_cache_read")
# A trailing release date: -2024-09-12, -20250929, @20250929, -05-06 (a preview's month and day).
_DATE = re.compile(r"(?:[-@](?:20\d{2}-?\d{2}-?\d{2})|-(?:0[1-9]|1[0-2])-\d{2})$")
_BEDROCK_VERSION = re.compile(r"(?:-v\d+)?(?::\d+)?$")
_STAGE = re.compile(r"-(?:preview|latest|exp|experimental)$")


def model_name(provider: str, upstream_id: str) -> tuple[str | None, str]:
    """(vendor the id names or None, the model's name as the provider writes it): wrappers, the
    geography and a ``vendor.``/``vendor/`` segment taken off (what price rules match against)."""
    declared = registry.declared(provider)
    ids = declared.model_ids
    name = ids.unwrapped(upstream_id.strip())
    geo = ids.geo_prefix(name)
    if geo:
        name = name[len(geo) + 1 :]
    vendor = None
    if ids.vendor_segment is VendorSegment.DOTTED and "." in name:
        vendor, _, name = name.partition(".")
    elif "/" in name:
        vendor, _, name = name.rpartition("/")
    return vendor, name


def sibling_key(provider: str, upstream_id: str) -> str:
    """The key every id of the same model shares, across providers (see the module docstring)."""
    _vendor, name = model_name(provider, upstream_id)
    name = registry.declared(provider).name_reading.undecorated(name).lower()
    name = _BEDROCK_VERSION.sub("", name) if ":" in name or re.search(r"-v\d+$", name) else name
    previous = None
    while previous != name:
        previous = name
        name = _STAGE.sub("", _DATE.sub("", name))
    return spelling_key(name)


def dated_base(upstream_id: str) -> str | None:
    """``o1-mini`` for ``o1-mini-2024-09-12``: the id without its trailing date, None if it has none."""
    match = _DATE.search(upstream_id)
    return upstream_id[: match.start()] if match and match.start() > 0 else None


def partners(upstream_ids: Iterable[str]) -> dict[str, str]:
    """``{id: partner id}`` both ways, for each undated id listed with exactly one dated snapshot
    (ids or their match keys)."""
    ids = set(upstream_ids)
    snapshots: dict[str, list[str]] = {}
    for upstream in ids:
        base = dated_base(upstream)
        if base is not None and base in ids:
            snapshots.setdefault(base, []).append(upstream)
    pairs: dict[str, str] = {}
    for base, dated in snapshots.items():
        if len(dated) == 1:
            pairs[base], pairs[dated[0]] = dated[0], base
    return pairs


@dataclass(frozen=True)
class SiblingPrice:
    record_id: str  # <provider>/<upstream id>
    source: str
    value: Decimal


@dataclass
class SiblingIndex:
    """Every catalog's prices of :data:`COMPARED_FIELDS` by sibling key."""

    entries: dict[str, list[tuple[str, str, str, Record]]] = field(default_factory=dict)

    @classmethod
    def build(cls, catalogs: Mapping[str, Mapping[str, list[Record]]]) -> SiblingIndex:
        index = cls()
        for source, by_provider in sorted(catalogs.items()):
            for provider, records in sorted(by_provider.items()):
                for record in records:
                    upstream = record["modelatlas"]["upstream_id"]
                    key = sibling_key(provider, upstream)
                    index.entries.setdefault(key, []).append((provider, upstream, source, record))
        return index

    def prices(
        self, provider: str, upstream_id: str, path: str, exclude: frozenset[str]
    ) -> list[SiblingPrice]:
        """The prices of ``path`` at the model's siblings, leaving out the ids in ``exclude`` (the
        record's own spellings and its partner), each ``<provider>/<upstream id>``."""
        found = []
        for other, upstream, source, record in self.entries.get(sibling_key(provider, upstream_id), []):
            record_id = f"{other}/{upstream}"
            value = to_decimal(get_path(record, path))
            if record_id in exclude or value is None or value <= 0:
                continue
            found.append(SiblingPrice(record_id, source, value))
        return found


def ratio(a: Decimal, b: Decimal) -> Decimal:
    """How many times the larger of two positive prices is the smaller."""
    return max(a, b) / min(a, b)


class LastIndex:
    """The index of the last catalogs object seen (one fetch run refreshes every provider from the
    same catalogs; building it once per run instead of once per provider)."""

    def __init__(self) -> None:
        self._catalogs: object = None
        self._index: SiblingIndex | None = None

    def of(self, catalogs: Mapping[str, Mapping[str, list[Record]]]) -> SiblingIndex:
        if self._index is None or self._catalogs is not catalogs:
            self._catalogs, self._index = catalogs, SiblingIndex.build(catalogs)
        return self._index


LAST_INDEX = LastIndex()
