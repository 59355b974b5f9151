"""The 16 provider ids of the seed's ModelProvider enum, their display names, and model-id helpers."""

from __future__ import annotations

PROVIDER_IDS: tuple[str, ...] = (
    "openai",
    "anthropic",
    "azure",
    "bedrock",
    "cohere",
    "vertex",
    "mistral",
    "ollama",
    "gemini",
    "groq",
    "openrouter",
    "sgl",
    "parasail",
    "elevenlabs",
    "perplexity",
    "cerebras",
)

PROVIDER_NAMES: dict[str, str] = {
    "openai": "OpenAI",
    "anthropic": "Anthropic",
    "azure": "Azure OpenAI",
    "bedrock": "Amazon Bedrock",
    "cohere": "Cohere",
    "vertex": "Google Vertex AI",
    "mistral": "Mistral AI",
    "ollama": "Ollama",
    "gemini": "Google Gemini",
    "groq": "Groq",
    "openrouter": "OpenRouter",
    "sgl": "SGLang",
    "parasail": "Parasail",
    "elevenlabs": "ElevenLabs",
    "perplexity": "Perplexity",
    "cerebras": "Cerebras",
}


def model_id(provider: str, upstream_id: str) -> str:
    """The catalog id of a model: ``<provider>/<upstream model id>``."""
    return f"{provider}/{upstream_id}"


def split_model_id(mid: str) -> tuple[str, str]:
    """Split a catalog id into (provider, upstream id); raises ValueError if the provider is unknown."""
    provider, sep, upstream = mid.partition("/")
    if not sep or provider not in PROVIDER_NAMES or not upstream:
        raise ValueError(f"not a catalog model id: {mid!r}")
    return provider, upstream
