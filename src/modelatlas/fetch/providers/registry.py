"""Every provider module, in the seed's order (the order of :data:`modelatlas.ids.PROVIDER_IDS`)."""

from __future__ import annotations

from types import ModuleType

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

REGISTRY: tuple[ModuleType, ...] = (
    openai,
    anthropic,
    azure,
    bedrock,
    cohere,
    vertex,
    mistral,
    ollama,
    gemini,
    groq,
    openrouter,
    sgl,
    parasail,
    elevenlabs,
    perplexity,
    cerebras,
)

BY_ID: dict[str, ModuleType] = {module.PROVIDER: module for module in REGISTRY}
