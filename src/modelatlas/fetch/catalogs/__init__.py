"""The five public catalogs (models.dev, LiteLLM, OpenRouter, ruby_llm, Portkey) that fill what
provider APIs lack.

Each module exposes ``SOURCE_ID``, ``DEFAULT_URL``, ``ENV_VAR`` (a URL or local path overriding the
default), ``load()`` (I/O) and a pure ``normalize(raw, skipped=None) -> {provider: [record]}``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from types import ModuleType

from modelatlas.fetch.catalogs import litellm, models_dev, openrouter, portkey, ruby_llm
from modelatlas.record import Record

CATALOG_MODULES: tuple[ModuleType, ...] = (models_dev, litellm, openrouter, ruby_llm, portkey)
CATALOG_IDS: tuple[str, ...] = tuple(m.SOURCE_ID for m in CATALOG_MODULES)

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


def list_outputs(source: str) -> tuple[str, ...]:
    """The output modalities a catalog that copies a provider's list answers for (``()``: all)."""
    module = next((m for m in CATALOG_MODULES if source == m.SOURCE_ID), None)
    reader = getattr(module, "list_outputs", None)
    return tuple(reader()) if reader is not None else ()


def load_catalogs(modules: tuple[ModuleType, ...] = CATALOG_MODULES) -> CatalogLoad:
    """Download (or read) and normalize every catalog; any failure raises ModelatlasError.

    A catalog that cannot be read fails the whole refresh: refreshing without it would mark
    every model only it lists as removed.
    """
    result = CatalogLoad(records={})
    for module in modules:
        skipped: Counter[str] = Counter()
        result.records[module.SOURCE_ID] = module.normalize(module.load(), skipped)
        result.skipped[module.SOURCE_ID] = skipped
    return result
