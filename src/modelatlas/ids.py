"""Provider ids and display names (read from the provider registry) and model-id helpers."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from modelatlas.fetch.providers.declaration import Provider


def providers() -> tuple[Provider, ...]:
    """Every provider declaration, in registry order."""
    # Imported here: the registry imports the provider modules, which import this module.
    from modelatlas.fetch.providers import registry

    return registry.PROVIDERS


@cache
def _ids(declared: tuple[Provider, ...]) -> tuple[str, ...]:
    return tuple(provider.id for provider in declared)


@cache
def _names(declared: tuple[Provider, ...]) -> dict[str, str]:
    return {provider.id: provider.name for provider in declared}


@cache
def _vendors(declared: tuple[Provider, ...]) -> dict[str, str]:
    return {provider.id: provider.vendor for provider in declared if provider.vendor}


def first_party_vendors() -> dict[str, str]:
    """``{provider id: vendor slug}`` of the providers that list only their own models; do not modify."""
    return _vendors(providers())


def provider_ids() -> tuple[str, ...]:
    """The provider ids in registry order (``openai``, ``anthropic``, ...)."""
    return _ids(providers())


def provider_names() -> dict[str, str]:
    """``{provider id: display name}``; do not modify."""
    return _names(providers())


def provider_name(provider: str) -> str:
    return provider_names()[provider]


def model_id(provider: str, upstream_id: str) -> str:
    """The catalog id of a model: ``<provider>/<upstream model id>``."""
    return f"{provider}/{upstream_id}"


def split_model_id(mid: str) -> tuple[str, str]:
    """Split a catalog id into (provider, upstream id); raises ValueError if the provider is unknown."""
    provider, sep, upstream = mid.partition("/")
    if not sep or provider not in provider_names() or not upstream:
        raise ValueError(f"not a catalog model id: {mid!r}")
    return provider, upstream
