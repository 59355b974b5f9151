"""The same model elsewhere: what the price evidence compares a record's prices with.

Two kinds of relative (docs/merge-policy.md, "Evidence"):

- **siblings**: the same model under other ids: at the same provider a dated snapshot and its
  alias, a preview and its release, and the same model at every other provider. They share a
  :func:`sibling_key` (the model's name without the provider's decorations: geography, ``vendor.``
  or ``vendor/``, Bedrock's ``-v1:0``, Vertex's ``@version`` and ``-maas``, OpenRouter's ``:free``,
  a trailing date, ``-preview``; not ``-latest``, which moves to newer models). Prices of siblings
  may differ legitimately (a host's margin, a region, a preview), so they only count where a price
  is far from all of them, and only when two listings at least say so (:func:`corroborated`).
- **partners**: an undated id and its only dated snapshot at the same provider (``o1-mini`` and
  ``o1-mini-2024-09-12``): the alias names that snapshot, so the two are one model at one price and
  their sources' prices are weighed together (:func:`partners`).

The index holds every catalog's candidate prices of every provider (not the merged values, so it
does not depend on the order providers are refreshed in).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from modelatlas.fetch.id_rules import spelling_key
from modelatlas.fetch.policy import agree
from modelatlas.fetch.providers import registry
from modelatlas.fetch.providers.rules import ModelIds, VendorSegment
from modelatlas.fetch.settlement import Settlements, Step
from modelatlas.prices import to_decimal
from modelatlas.record import Record, delete_path, get_path

COMPARED_FIELDS = ("pricing.prompt", "pricing.completion", "pricing.input_cache_read")
SIBLING_OUTLIER = Decimal(8)  # a price this many times away from every sibling's needs a fact
CONSENSUS_GAP = Decimal(2)  # a single catalog's price this far from what others agree on is disputed
# A trailing release date: -2024-09-12, -20250929, @20250929, -05-06 (a preview's month and day).
_DATE = re.compile(r"(?:[-@](?:20\d{2}-?\d{2}-?\d{2})|-(?:0[1-9]|1[0-2])-\d{2})$")
_BEDROCK_VERSION = re.compile(r"(?:-v\d+)?(?::\d+)?$")
_VERSION_SUFFIX = re.compile(r"-v\d+$")
# A release stage the same model passes through (-latest is not one: it moves to newer models, so
# gemini-pro-latest is not gemini-pro).
_STAGE = re.compile(r"-(?:preview|exp|experimental)$")


def model_name(provider: str, upstream_id: str) -> tuple[str | None, str]:
    """(vendor the id names or None, the model's name as the provider writes it): wrappers, the
    geography and a ``vendor.``/``vendor/`` segment taken off (what price rules match against)."""
    return _name_of(registry.declared(provider).model_ids, upstream_id)


def _name_of(ids: ModelIds, upstream_id: str) -> tuple[str | None, str]:
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
    declared = registry.declared(provider)
    _vendor, name = _name_of(declared.model_ids, upstream_id)
    name = declared.name_reading.undecorated(name).lower()
    if ":" in name or _VERSION_SUFFIX.search(name):
        name = _BEDROCK_VERSION.sub("", name)
    while True:  # a trailing date and a stage, in either order, as long as either ends the name
        name, dated = _DATE.subn("", name)
        name, staged = _STAGE.subn("", name)
        if not dated and not staged:
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


def corroborated(siblings: list[SiblingPrice]) -> bool:
    """Whether the siblings' prices come from at least two sources or records (one listing alone
    is too thin to rule a price out)."""
    return len({(s.record_id, s.source) for s in siblings}) >= 2


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


def check_siblings(
    provider: str,
    record: Record,
    index: SiblingIndex | None,
    settlements: Settlements,
    stated: Callable[[str, str | None], bool],
) -> None:
    """A catalog's price (``stated``: the provider's own word, which no sibling overrides) that the
    same model elsewhere contradicts: 8x away
    from every sibling's, it cannot stand (left out); at least :data:`CONSENSUS_GAP` away from a price
    that two or more other providers agree on, and matching none, it stays but is disputed. Either
    way both sides are in ``modelatlas.conflicts``."""
    if index is None:
        return
    extension = record["modelatlas"]
    provenance = extension["provenance"]
    exclude = frozenset({record["id"], *(f"{provider}/{a}" for a in extension.get("aliases", []))})
    for path in COMPARED_FIELDS:
        value, source = to_decimal(get_path(record, path)), provenance.get(path)
        if (
            value is None
            or value <= 0
            or stated(provider, source)
            or settlements.step(record["id"], path)
        ):
            continue
        siblings = index.prices(provider, extension["upstream_id"], path, exclude)
        if not siblings or any(agree(path, str(value), str(s.value)) for s in siblings):
            continue
        if corroborated(siblings) and all(ratio(value, s.value) >= SIBLING_OUTLIER for s in siblings):
            nearest = min(siblings, key=lambda s: ratio(value, s.value))
            _note_sibling(record, path, str(source), nearest)
            delete_path(record, path)
            provenance.pop(path, None)
            settlements.settle(record["id"], path, Step.UNSETTLED)
            continue
        agreed = _consensus(
            provider, path, [s for s in siblings if not s.record_id.startswith(provider + "/")]
        )
        if agreed is not None and ratio(value, agreed.value) >= CONSENSUS_GAP:
            _note_sibling(record, path, str(source), agreed)
            settlements.settle(record["id"], path, Step.UNSETTLED)


def _consensus(provider: str, path: str, siblings: list[SiblingPrice]) -> SiblingPrice | None:
    """What the same model costs elsewhere, when that is clear enough to contradict one catalog:
    for a first-party provider's own model, a price two or more other providers agree on (the one
    most state); for a host, the price of a first-party provider of the model, where every such
    price agrees (hosts' prices of a model differ among themselves, legitimately)."""
    first_party = [s for s in siblings if registry.declared(s.record_id.partition("/")[0]).vendor is not None]
    if registry.declared(provider).vendor is None:
        if first_party and all(agree(path, str(first_party[0].value), str(s.value)) for s in first_party):
            return first_party[0]
        return None
    best: tuple[int, SiblingPrice] | None = None
    for candidate in siblings:
        providers = {
            s.record_id.partition("/")[0] for s in siblings if agree(path, str(candidate.value), str(s.value))
        }
        if len(providers) >= 2 and (best is None or len(providers) > best[0]):
            best = (len(providers), candidate)
    return best[1] if best else None


def _note_sibling(record: Record, path: str, source: str, sibling: SiblingPrice) -> None:
    extension = record["modelatlas"]
    side = extension.setdefault("conflicts", {}).setdefault(path, {})
    side.setdefault(source, get_path(record, path))
    side[f"derived:{sibling.record_id}"] = format(sibling.value.normalize(), "f")
    extension["conflicts"] = dict(sorted(extension["conflicts"].items()))
