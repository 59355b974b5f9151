"""Every provider, in the order of every provider list. Adding a provider is one module (ending in
``PROVIDER = Provider(...)``), its fixtures under ``tests/fixtures/providers/<id>/`` and one line here;
then ``modelatlas docs`` regenerates the files derived from this list."""

from __future__ import annotations

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


def by_id() -> dict[str, Provider]:
    return {provider.id: provider for provider in PROVIDERS}
