"""The records prices come from, looked up by id: :class:`Prices`.

A model id is ``<provider>/<upstream id>`` as in the catalog; an id listed in a record's
``modelatlas.aliases`` (``openai/gpt-4o-2024-08-06``) prices that record. Records are read one
provider at a time, the first time one of its models is asked for, and each record's prices are
read into Decimals once (:class:`~modelatlas.cost.sheet.PriceBook`), so repeated calls cost a
dictionary look-up and the arithmetic.

Regions: ``region="eu"`` picks the record's ``pricing_variants`` entry for region ``eu``. When the
record has none and the provider has a record ``<provider>/eu.<upstream id>`` (Amazon Bedrock's
cross-region inference profiles: ``eu.``, ``us.``, ``apac.``, ``global.``, ...), that record is
priced instead, with ``tier`` looked up in it. An Azure data zone is a region variant (``eu``,
``us``) of the deployment's record. Passing the profile id itself works too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from modelatlas.cost.errors import UnknownModelError, UsageError
from modelatlas.cost.pricing import no_variant, price_book_usage
from modelatlas.cost.result import Cost
from modelatlas.cost.sheet import PriceBook, price_book
from modelatlas.cost.usage import Usage

Record = dict[str, Any]
# provider id -> its records (None: the provider is not in this source)
ProviderLoader = Callable[[str], list[Record] | None]


@dataclass
class _Provider:
    records: dict[str, Record]
    aliases: dict[str, str]  # alias catalog id -> record id
    books: dict[str, PriceBook] = field(default_factory=dict)


class Prices:
    """Prices from one source: the bundled snapshot, a built folder, a data folder or a published URL.

    ``source`` names it; ``stale`` is None, or why a cached copy is used instead of a fresh one.
    """

    def __init__(
        self, load_provider: ProviderLoader, providers: tuple[str, ...], source: str, stale: str | None = None
    ) -> None:
        self._load_provider = load_provider
        self._loaded: dict[str, _Provider | None] = {}
        self.providers = providers
        self.source = source
        self.stale = stale

    @classmethod
    def from_records(cls, records: list[Record], source: str = "records", stale: str | None = None) -> Prices:
        """Prices from records already in memory (a built ``v1/models.json``, test fixtures)."""
        by_provider: dict[str, list[Record]] = {}
        for record in records:
            record_id = record.get("id") if isinstance(record, dict) else None
            if isinstance(record_id, str) and "/" in record_id:
                by_provider.setdefault(record_id.partition("/")[0], []).append(record)
        return cls(by_provider.get, tuple(sorted(by_provider)), source, stale)

    def _provider(self, provider: str) -> _Provider | None:
        if provider not in self._loaded:
            records = self._load_provider(provider) if provider in self.providers else None
            self._loaded[provider] = None if records is None else _index(provider, records)
        return self._loaded[provider]

    def records(self) -> Iterator[Record]:
        """Every record of every provider (reads them all), in provider then id order."""
        for provider in self.providers:
            entry = self._provider(provider)
            if entry is not None:
                yield from (entry.records[key] for key in sorted(entry.records))

    def record(self, model_id: str) -> Record:
        """The record ``model_id`` names (its own id or an alias); :class:`UnknownModelError` if none."""
        record_id, entry = self._resolve(model_id)
        return entry.records[record_id]

    def _resolve(self, model_id: str) -> tuple[str, _Provider]:
        if not isinstance(model_id, str):
            raise UnknownModelError(f"a model id is a string '<provider>/<model id>', not {model_id!r}")
        provider, _, upstream = model_id.partition("/")
        entry = self._provider(provider) if upstream else None
        if entry is None:
            known = ", ".join(self.providers)
            raise UnknownModelError(
                f"unknown model {model_id!r} in {self.source}: ids are <provider>/<model id> with a provider "
                f"among {known}"
            )
        record_id = model_id if model_id in entry.records else entry.aliases.get(model_id)
        if record_id is None:
            raise UnknownModelError(
                f"unknown model {model_id!r} in {self.source}: no such id or alias at {provider}; "
                f"the catalog lists every id"
            )
        return record_id, entry

    def book(self, model_id: str) -> PriceBook:
        record_id, entry = self._resolve(model_id)
        book = entry.books.get(record_id)
        if book is None:
            book = entry.books[record_id] = price_book(entry.records[record_id])
        return book

    def cost(
        self,
        model_id: str,
        usage: Usage | Mapping[str, Any],
        *,
        region: str | None = None,
        tier: str | None = None,
        cache_ttl: str | None = None,
    ) -> Cost:
        """What ``usage`` (a :class:`Usage`, or a mapping of its fields) costs at ``model_id`` (see
        :func:`modelatlas.cost.cost`)."""
        if not isinstance(usage, Usage):
            usage = Usage.from_mapping(usage)
        for name, choice in (("region", region), ("tier", tier)):
            if choice is not None and not isinstance(choice, str):
                raise UsageError(f"{name} must be a string (or None), not {choice!r}")
        book = self.book(model_id)
        if region is None or book.sheets(region, tier):
            return price_book_usage(
                book, usage, region=region, tier=tier, cache_ttl=cache_ttl, requested=model_id
            )
        profile = self._profile(book, region)
        if profile is None:
            raise no_variant(book, region, tier, self._profiles_hint(book))
        return price_book_usage(profile, usage, tier=tier, cache_ttl=cache_ttl, requested=model_id)

    def _profile(self, book: PriceBook, region: str) -> PriceBook | None:
        provider = book.id.partition("/")[0]
        candidate = f"{provider}/{region}.{book.upstream_id}"
        entry = self._provider(provider)
        if entry is None or candidate not in entry.records:
            return None
        return self.book(candidate)

    def _profiles_hint(self, book: PriceBook) -> str:
        provider = book.id.partition("/")[0]
        entry = self._provider(provider)
        suffix = "." + book.upstream_id
        geos = sorted(
            upstream[: -len(suffix)]
            for record_id in (entry.records if entry else ())
            if (upstream := record_id.partition("/")[2]).endswith(suffix)
        )
        if not geos:
            return ""
        return f"; regional profiles: {', '.join(geos)} (region=<name> or the profile's own id)"


def _index(provider: str, records: list[Record]) -> _Provider:
    by_id: dict[str, Record] = {}
    for record in records:
        record_id = record.get("id") if isinstance(record, dict) else None
        if isinstance(record_id, str):
            by_id[record_id] = record
    aliases: dict[str, str] = {}
    for record_id, record in by_id.items():
        extension = record.get("modelatlas")
        names = extension.get("aliases") if isinstance(extension, Mapping) else None
        for name in names if isinstance(names, list) else ():
            alias = f"{provider}/{name}"
            if isinstance(name, str) and alias not in by_id:
                aliases.setdefault(alias, record_id)
    return _Provider(by_id, aliases)
