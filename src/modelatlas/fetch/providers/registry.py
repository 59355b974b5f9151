"""Every provider, in the order of every provider list. Adding a provider is one module (ending in
``PROVIDER = Provider(...)``), its fixtures under ``tests/fixtures/providers/<id>/`` and one line here;
then ``modelatlas docs`` regenerates the files derived from this list."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from types import MappingProxyType

from modelatlas.fetch.providers import (
    anthropic,
    azure,
    bedrock,
    cerebras,
    cohere,
    elevenlabs,
    gemini,
    groq,
    mistral,
    ollama,
    openai,
    openrouter,
    parasail,
    perplexity,
    sgl,
    vertex,
)
from modelatlas.fetch.providers.declaration import Provider

# The order of every provider list (files, pages, the schema enum).
PROVIDERS: tuple[Provider, ...] = (
    openai.PROVIDER,
    anthropic.PROVIDER,
    azure.PROVIDER,
    bedrock.PROVIDER,
    cohere.PROVIDER,
    vertex.PROVIDER,
    mistral.PROVIDER,
    ollama.PROVIDER,
    gemini.PROVIDER,
    groq.PROVIDER,
    openrouter.PROVIDER,
    sgl.PROVIDER,
    parasail.PROVIDER,
    elevenlabs.PROVIDER,
    perplexity.PROVIDER,
    cerebras.PROVIDER,
)


def by_id() -> Mapping[str, Provider]:
    """``{provider id: declaration}`` (PROVIDERS is read at each call)."""
    return _by_id(PROVIDERS)


def declared(provider: str) -> Provider:
    """One provider's declaration; KeyError for an id the registry does not list."""
    return _by_id(PROVIDERS)[provider]


def names() -> Mapping[str, str]:
    """``{provider id: display name}``."""
    return _names(PROVIDERS)


@cache
def _by_id(providers: tuple[Provider, ...]) -> Mapping[str, Provider]:
    return MappingProxyType({provider.id: provider for provider in providers})


@cache
def _names(providers: tuple[Provider, ...]) -> Mapping[str, str]:
    return MappingProxyType({provider.id: provider.name for provider in providers})

