"""The five public catalogs (models.dev, LiteLLM, OpenRouter, ruby_llm, Portkey) that fill what
provider APIs lack.

Each module exposes ``SOURCE_ID``, ``DEFAULT_URL``, ``ENV_VAR`` (a URL or local path overriding the
default), ``load()`` (I/O) and a pure ``normalize(raw, skipped=None) -> {provider: [record]}``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from concurrent.futures import Future
from dataclasses import dataclass, field
from types import ModuleType
from typing import TYPE_CHECKING

from modelatlas.fetch.catalogs import litellm, models_dev, openrouter, portkey, ruby_llm
from modelatlas.record import Record

if TYPE_CHECKING:
    from modelatlas.fetch.providers.declaration import Provider

CATALOG_MODULES: tuple[ModuleType, ...] = (models_dev, litellm, openrouter, ruby_llm, portkey)

# {source id: {provider id: [records]}}
CatalogRecords = dict[str, dict[str, list[Record]]]


@dataclass
class CatalogLoad:
    """Every catalog's records plus, per source, how many entries were skipped and why.

    ``fallbacks``: source -> (when its last good copy was saved, why the catalog could not be read),
    for catalogs whose records come from that copy; ``unavailable``: source -> why, for catalogs
    with no records at all (see :mod:`modelatlas.fetch.catalog_cache`).
    """

    records: CatalogRecords
    skipped: dict[str, Counter[str]] = field(default_factory=dict)
    fallbacks: dict[str, tuple[str, str]] = field(default_factory=dict)
    unavailable: dict[str, str] = field(default_factory=dict)

    reported: bool = field(default=False, compare=False, repr=False)

    # A load that is already complete answers like one in progress (see catalog_cache.CatalogLoading).
    def pending(self, sources: Iterable[str]) -> list[Future[CatalogLoad]]:
        return []

    def wait(self, sources: Iterable[str] | None = None) -> CatalogLoad:
        return self

    def newly_finished(self) -> CatalogLoad:
        """Every catalog the first time, then none (what to describe on the progress lines)."""
        if self.reported:
            return CatalogLoad(records={})
        self.reported = True
        return self

    def merge(self, other: CatalogLoad) -> None:
        self.records.update(other.records)
        self.skipped.update(other.skipped)
        self.fallbacks.update(other.fallbacks)
        self.unavailable.update(other.unavailable)


def sources_for(provider: Provider, modules: tuple[ModuleType, ...] = CATALOG_MODULES) -> frozenset[str]:
    """The catalogs that can hold records of ``provider``: those its declaration names it in, and a
    catalog of that provider alone (OpenRouter's, whose module names its ``PROVIDER``)."""
    return frozenset(
        module.SOURCE_ID
        for module in modules
        if provider.names_in(module.SOURCE_ID) or getattr(module, "PROVIDER", None) == provider.id
    )


def list_outputs(source: str) -> tuple[str, ...]:
    """The output modalities a catalog that copies a provider's list answers for (``()``: all)."""
    module = next((m for m in CATALOG_MODULES if source == m.SOURCE_ID), None)
    reader = getattr(module, "list_outputs", None)
    return tuple(reader()) if reader is not None else ()


def load_catalogs(modules: tuple[ModuleType, ...] = CATALOG_MODULES) -> CatalogLoad:
    """Every catalog downloaded (or read) and normalized, all or nothing: one that cannot be read
    raises ModelatlasError (``modelatlas scores`` measures every catalog; ``fetch`` loads them with
    fallbacks through ``catalog_cache.CatalogLoading``)."""
    result = CatalogLoad(records={})
    for module in modules:
        skipped: Counter[str] = Counter()
        result.records[module.SOURCE_ID] = module.normalize(module.load(), skipped)
        result.skipped[module.SOURCE_ID] = skipped
    return result
