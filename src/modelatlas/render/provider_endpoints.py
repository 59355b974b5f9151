"""What each provider's own list-models endpoint offers, for the provider pages (from the fact sheet
in shared/reference/provider-apis.md)."""

from __future__ import annotations

ENDPOINTS: dict[str, tuple[str, str]] = {
    # provider: (endpoint, what it gives)
    "openai": (
        "GET https://api.openai.com/v1/models",
        "id, created, owned_by; prices and limits come from public catalogs",
    ),
    "anthropic": (
        "GET https://api.anthropic.com/v1/models",
        "display name, creation date, context, max output and capabilities",
    ),
    "azure": (
        "GET https://<resource>.openai.azure.com/openai/models",
        "capability flags, lifecycle and deprecation dates",
    ),
    "bedrock": (
        "GET https://bedrock.<region>.amazonaws.com/foundation-models",
        "name, vendor, modalities and lifecycle",
    ),
    "cohere": (
        "GET https://api.cohere.com/v1/models",
        "context length, endpoints, features and a deprecated flag",
    ),
    "vertex": (
        "GET https://<location>-aiplatform.googleapis.com/v1beta1/publishers/<publisher>/models",
        "launch stage and version; no limits",
    ),
    "mistral": (
        "GET https://api.mistral.ai/v1/models",
        "name, description, context, capabilities, aliases and deprecation",
    ),
    "ollama": (
        "GET http://localhost:11434/api/tags (or ollama.com)",
        "size, family, quantisation and capabilities",
    ),
    "gemini": (
        "GET https://generativelanguage.googleapis.com/v1beta/models",
        "name, description, input/output token limits and methods",
    ),
    "groq": (
        "GET https://api.groq.com/openai/v1/models",
        "context window and an active flag",
    ),
    "openrouter": (
        "GET https://openrouter.ai/api/v1/models",
        "everything: prices, modalities, limits and descriptions (public, no key)",
    ),
    "sgl": (
        "GET <your SGLang server>/v1/models",
        "whatever the self-hosted server serves: max model length, multimodal flags",
    ),
    "parasail": (
        "GET https://api.parasail.io/v1/models",
        "OpenAI-style basics; needs a key",
    ),
    "elevenlabs": (
        "GET https://api.elevenlabs.io/v1/models",
        "speech capabilities, languages, character limits",
    ),
    "perplexity": (
        "GET https://api.perplexity.ai/v1/models",
        "id and owner, plus per-1M-token prices",
    ),
    "cerebras": (
        "GET https://api.cerebras.ai/v1/models",
        "id, created, owned_by",
    ),
}
