"""What a provider is: one frozen :class:`Provider` per provider module, listed in the registry.

A provider module ends with ``PROVIDER = Provider(...)``: its id and display name, the settings it
reads, its list endpoint, how it authenticates and pages, what metadata it gives, its names in the
public catalogs, and its ``fetch`` (HTTP through the shared client, raw bodies out) and
``normalize`` (pure: raw bodies in, records and rejections out); and every rule about its model ids
and catalog entries (:mod:`modelatlas.fetch.providers.rules`: how ids are written, what the
canonical matcher takes off its names, the quirks of its catalog entries). Everything else that
names providers (the id lists, the schema enum, the credential hints, the endpoints page, the
provider table of the docs) is derived from :mod:`modelatlas.fetch.providers.registry`.

``MODELATLAS_<PROVIDER>_BASE_URL`` replaces the provider's API root (scheme, host, port and path
prefix; the variable keeps its documented name). In code, ``base_url`` means only where a build
is published; a provider's URL is its API root.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from types import MappingProxyType
from typing import Any

from modelatlas.config import Settings
from modelatlas.fetch.http import FetchError, HttpClient
from modelatlas.fetch.id_rules import NO_GRAMMAR, IdGrammar
from modelatlas.fetch.providers.base import ProviderConfig
from modelatlas.fetch.providers.price_rules import NO_RULES, PriceRule
from modelatlas.fetch.providers.rules import (
    NO_CATALOG_RULES,
    PLAIN_IDS,
    PLAIN_NAMES,
    CatalogRules,
    ModelIds,
    NameReading,
    OfferingRule,
    ReferenceList,
    ResponseFormat,
)
from modelatlas.fetch.record_builder import Normalized, Pages

Fetch = Callable[[HttpClient, ProviderConfig], Pages]
Normalize = Callable[[Pages], Normalized]


@dataclass(frozen=True, eq=False)
class Provider:
    """One provider, declared once (compared and hashed by identity)."""

    id: str  # lowercase; the first part of every model id (``<id>/<upstream id>``)
    name: str  # display name
    default_api_root: str  # as documented; ``{VAR}`` marks a part taken from a setting
    endpoint: str  # the list path after the API root
    env_vars: tuple[str, ...]  # every setting it reads
    # The settings a live list needs: each group is one setting and its alternates (any one will do).
    credentials: tuple[tuple[str, ...], ...]
    auth: str  # how the request authenticates (docs)
    pagination: str  # how the list is paged (docs)
    metadata: str  # what the endpoint gives (docs and the provider page)
    fetch: Fetch
    normalize: Normalize
    # Its provider names in each public catalog: {catalog source id: (name, ...)}; ``name*`` is a prefix.
    catalog_names: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # How its model ids are spelled and which names in its id space are not models (merge rejects the rest).
    id_grammar: IdGrammar = NO_GRAMMAR
    # A first-party provider's company as a vendor slug (``mistralai``): its list holds only that
    # vendor's models, so an id without a vendor prefix names one of them. None for hosts of others.
    vendor: str | None = None
    # A host of many vendors whose own company also makes models: its ids under that vendor are that
    # vendor's own catalog (the canonical vocabulary mints them after the first-party lists).
    house_vendor: str | None = None
    model_ids: ModelIds = PLAIN_IDS  # vendor segment, geo prefixes, API wrappers, ``-latest`` aliases
    name_reading: NameReading = PLAIN_NAMES  # what the canonical matcher takes off its names
    catalog_rules: CatalogRules = NO_CATALOG_RULES  # what its entries in the public catalogs are
    # The pricing rules its own pages state, each with the page and the words quoted (price_rules.py).
    price_rules: tuple[PriceRule, ...] = NO_RULES
    reference: ReferenceList | None = None  # its list names the models of every provider
    api_root_for: Callable[[Settings], str | None] | None = None  # when the default depends on settings
    # Why no live list can be fetched (None: it can); default: the first credential group not set.
    requirement: Callable[[Settings], str | None] | None = None
    hint: str = ""  # why the live list was not fetched without settings; default: the credentials
    # The settings it reads that are not secrets (a region, a host, an endpoint URL). Every other
    # setting in ``env_vars`` and ``credentials`` is a secret: its value is scrubbed from everything
    # the tool prints or writes (:mod:`modelatlas.fetch.providers.credentials`).
    public_settings: tuple[str, ...] = ()
    # The response formats of its inference APIs; the first that matches a body is read for its usage
    # (``modelatlas.cost.usage_from_response``). Empty when its responses carry no usage block.
    response_formats: tuple[ResponseFormat, ...] = (ResponseFormat.OPENAI_CHAT,)
    # Its ids that are not sold pay-per-use on demand (free tiers, batch-only ids, subscriptions,
    # self-hosted models), first matching rule wins: ``modelatlas.offering``.
    offerings: tuple[OfferingRule, ...] = ()

    @property
    def secret_settings(self) -> tuple[str, ...]:
        """The settings whose values are credentials (declared, never guessed from their names)."""
        declared = dict.fromkeys((*self.env_vars, *(name for group in self.credentials for name in group)))
        return tuple(name for name in declared if name not in self.public_settings)

    def __post_init__(self) -> None:
        names = MappingProxyType({catalog: tuple(n) for catalog, n in self.catalog_names.items()})
        object.__setattr__(self, "catalog_names", names)

    def missing_credentials(self, settings: Settings) -> str | None:
        """None when the live list can be fetched, else what is missing (``no OPENAI_API_KEY``)."""
        if self.requirement is not None:
            return self.requirement(settings)
        missing = [" or ".join(group) for group in self.credentials if not settings.first(*group)]
        return f"no {' and '.join(missing)}" if missing else None

    @property
    def credential_hint(self) -> str:
        """The status reason when no live list was fetched (``no OPENAI_API_KEY set``)."""
        return self.hint or f"no {' and '.join(group[0] for group in self.credentials)} set"

    @property
    def override_var(self) -> str:
        return f"MODELATLAS_{self.id.upper()}_BASE_URL"

    @property
    def list_url(self) -> str:
        """The documented list URL (``GET`` target) with ``{VAR}`` placeholders."""
        return self.default_api_root + self.endpoint

    def names_in(self, catalog: str) -> tuple[str, ...]:
        return tuple(self.catalog_names.get(catalog, ()))


def resolve_api_root(provider: Provider, settings: Settings) -> str | None:
    override = settings.get(provider.override_var)
    if override:
        return override.rstrip("/")
    default = provider.api_root_for(settings) if provider.api_root_for else provider.default_api_root
    return default.rstrip("/") if default else None


def provider_config(provider: Provider, settings: Settings) -> ProviderConfig:
    api_root = resolve_api_root(provider, settings)
    if not api_root:
        raise FetchError(f"no API root URL: set {provider.override_var}")
    if not api_root.startswith(("http://", "https://")):
        raise FetchError(f"API root URL must start with http:// or https:// (check {provider.override_var})")
    return ProviderConfig(provider.id, settings, api_root)


@cache
def catalog_names(providers: tuple[Provider, ...], catalog: str) -> dict[str, str]:
    """``{exact name: provider id}`` of one catalog's provider names (prefix names left out)."""
    names: dict[str, str] = {}
    for provider in providers:
        for name in provider.names_in(catalog):
            if not name.endswith("*"):
                names.setdefault(name, provider.id)
    return names


@cache
def catalog_lookup(providers: tuple[Provider, ...], catalog: str) -> Callable[[Any], str | None]:
    """``name -> provider id`` for one catalog's provider names (exact names first, then prefixes)."""
    exact = catalog_names(providers, catalog)
    prefixes = [
        (name[:-1], provider.id)
        for provider in providers
        for name in provider.names_in(catalog)
        if name.endswith("*")
    ]

    def lookup(name: Any) -> str | None:
        if not isinstance(name, str):
            return None
        if name in exact:
            return exact[name]
        return next((pid for prefix, pid in prefixes if name.startswith(prefix)), None)

    return lookup
