"""Every provider's ``normalize`` against a body of its real shape.

``recorded/`` holds bodies recorded from the real APIs; ``documented/`` holds the example bodies of
the providers' own API references (for APIs no public recording covers). Where each file comes
from is in ``tests/fixtures/providers/SOURCES.md``. The expectations are read off the raw bodies
(counts of distinct ids, a field of one item), so a normalizer that drops, renames or misreads
real items fails here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from modelatlas.fetch.providers.registry import by_id
from modelatlas.jsonio import loads
from modelatlas.record import get_path
from modelatlas.schema import iter_violations
from tests.paths import FIXTURES

PROVIDERS = FIXTURES / "providers"


@dataclass(frozen=True)
class RealBody:
    provider: str
    files: tuple[str, ...]
    items: str  # the key of the list in the body ("" for a top-level array)
    id_key: str
    checks: dict[str, dict[str, Any]] = field(default_factory=dict)  # model id -> {dotted path: value}
    absent: dict[str, tuple[str, ...]] = field(default_factory=dict)  # model id -> paths never filled


BODIES = [
    RealBody("openai", ("openai/models.json",), "data", "id", {"openai/gpt-4": {"owned_by": "openai"}}),
    RealBody(
        "anthropic",
        ("anthropic/page1.json", "anthropic/page2.json", "anthropic/page3.json"),
        "data",
        "id",
        {"anthropic/claude-opus-4-6": {"name": "Claude Opus 4.6"}},
    ),
    RealBody("mistral", ("mistral/models.json",), "data", "id"),
    RealBody("perplexity", ("perplexity/models.json",), "data", "id"),
    RealBody(
        "azure",
        ("recorded/azure.json",),
        "data",
        "id",
        {
            "azure/dall-e-2-2.0": {"modelatlas.lifecycle.status": "deprecated"},
            "azure/text-embedding-ada-002": {"supported_methods": ["embedding"]},
        },
    ),
    RealBody(
        "bedrock",
        ("recorded/bedrock-foundation-models.json",),
        "modelSummaries",
        "modelId",
        {
            "bedrock/nvidia.nemotron-nano-12b-v2": {
                "name": "NVIDIA Nemotron Nano 12B v2 VL BF16",
                "owned_by": "NVIDIA",
                "architecture.input_modalities": ["text", "image"],
                "architecture.output_modalities": ["text"],
            }
        },
    ),
    RealBody(
        "gemini",
        ("recorded/gemini.json",),
        "models",
        "name",
    ),
    RealBody(
        "openrouter",
        ("recorded/openrouter.json",),
        "data",
        "id",
        {
            "openrouter/qwen/qwen3-max-thinking": {
                "canonical_slug": "qwen/qwen3-max-thinking-20260123",
                "context_length": 262144,
                "pricing.prompt": "0.0000012",
                "pricing.completion": "0.000006",
            }
        },
    ),
    RealBody(
        "vertex",
        ("recorded/vertex-google.json",),
        "publisherModels",
        "name",
        {"vertex/gemini-1.5-flash-002": {"owned_by": "google"}},
    ),
    RealBody(
        "ollama",
        ("recorded/ollama-openai-style.json",),
        "data",
        "id",
        # Ollama's OpenAI-style list sends the pull time as ``created`` and the registry
        # namespace as ``owned_by``: neither is a creation date nor a vendor.
        {"ollama/qwen3:latest": {"modelatlas.lifecycle.last_updated": "2026-01-09"}},
        {"ollama/qwen3:latest": ("created", "owned_by")},
    ),
    RealBody(
        "cerebras",
        ("documented/cerebras-public-models.json",),
        "data",
        "id",
        {
            "cerebras/gpt-oss-120b": {
                "name": "OpenAI GPT OSS",
                "hugging_face_id": "openai/gpt-oss-120b",
                "context_length": 131072,
                "max_output_tokens": 40960,
                "pricing.prompt": "0.00000035",
                "pricing.completion": "0.00000075",
                "modelatlas.capabilities.tool_call": True,
                "modelatlas.capabilities.reasoning": True,
            }
        },
        {"cerebras/gpt-oss-120b": ("modelatlas.capabilities.vision", "modelatlas.lifecycle.status")},
    ),
    RealBody(
        "ollama",
        ("documented/ollama-tags.json",),
        "models",
        "name",
        {
            "ollama/deepseek-r1:latest": {
                "modelatlas.family": "qwen2",
                "modelatlas.lifecycle.last_updated": "2025-05-10",
            }
        },
        {"ollama/deepseek-r1:latest": ("created",)},
    ),
    RealBody(
        "cohere",
        ("recorded/cohere.json",),
        "models",
        "name",
        {
            "cohere/command-a-03-2025": {
                "context_length": 288000,
                "supported_methods": ["chat_completion"],
                "modelatlas.mode": "chat",
                "modelatlas.capabilities.tool_call": True,
                "modelatlas.capabilities.structured_output": True,
            },
            "cohere/c4ai-aya-vision-32b": {
                "context_length": 16384,
                "architecture.input_modalities": ["text", "image"],
                "modelatlas.capabilities.vision": True,
            },
            "cohere/rerank-v3.5": {"context_length": 4096, "modelatlas.mode": "rerank"},
            # Image embedding models: endpoint ``embed_image``, ``context_length`` 0.
            "cohere/embed-english-v3.0-image": {
                "supported_methods": ["embedding"],
                "modelatlas.mode": "embedding",
                "architecture.input_modalities": ["image"],
            },
        },
        {"cohere/embed-english-v3.0-image": ("context_length", "modelatlas.capabilities.vision")},
    ),
    RealBody(
        "groq",
        ("documented/groq-models.json",),
        "data",
        "id",
        {
            "groq/llama-3.1-8b-instant": {"context_length": 131072, "owned_by": "Meta"},
            "groq/distil-whisper-large-v3-en": {"context_length": 448, "owned_by": "Hugging Face"},
        },
        # Groq's ``created`` is 2023-09-03 for most models, Llama 3.1 (released 2024) included.
        {"groq/llama-3.1-8b-instant": ("created",)},
    ),
    RealBody(
        "elevenlabs",
        ("documented/elevenlabs-models.json",),
        "",
        "model_id",
        {
            "elevenlabs/eleven_multilingual_v2": {
                "name": "Eleven Multilingual v2",
                "architecture.input_modalities": ["text", "audio"],
                "architecture.output_modalities": ["audio"],
                "supported_methods": ["speech", "speech_stream"],
                "modelatlas.mode": "audio_speech",
            }
        },
        # Character limits and cost multipliers are not token counts or prices.
        {"elevenlabs/eleven_multilingual_v2": ("context_length", "max_output_tokens", "pricing")},
    ),
    RealBody(
        "parasail",
        ("documented/parasail-models.json",),
        "data",
        "id",
        {"parasail/parasail-deepseek-r1": {"owned_by": "parasail"}},
    ),
    RealBody(
        "sgl",
        ("documented/sgl-models-with-lora.json",),
        "data",
        "id",
        {"sgl/meta-llama/Meta-Llama-3.1-8B-Instruct": {"context_length": 131072}},
        # ``created`` is the request time and ``owned_by`` the server's own name; a LoRA
        # adapter's card has no context length.
        {
            "sgl/meta-llama/Meta-Llama-3.1-8B-Instruct": ("created", "owned_by"),
            "sgl/lora0": ("context_length", "owned_by"),
        },
    ),
]


def _load(path: Path) -> Any:
    return loads(path.read_bytes())


def _distinct_ids(body: RealBody) -> set[str]:
    ids: set[str] = set()
    for name in body.files:
        raw = _load(PROVIDERS / name)
        items = raw if not body.items else raw[body.items]
        ids |= {str(item[body.id_key]).rsplit("/", 1)[-1] for item in items}
    return ids


def test_every_provider_has_a_real_body_named_in_sources() -> None:
    sources = (PROVIDERS / "SOURCES.md").read_text()
    assert {body.provider for body in BODIES} == set(by_id())
    for body in BODIES:
        for name in body.files:
            if name.startswith(("recorded/", "documented/")):
                assert f"`{name}`" in sources, name


@pytest.mark.parametrize("body", BODIES, ids=lambda b: f"{b.provider}:{b.files[0]}")
def test_normalize_reads_every_item_of_a_real_body(body: RealBody) -> None:
    pages = [_load(PROVIDERS / name) for name in body.files]

    normalized = by_id()[body.provider].normalize(pages)

    upstream = {record["modelatlas"]["upstream_id"].rsplit("/", 1)[-1] for record in normalized.records}
    assert upstream == _distinct_ids(body), normalized.rejected
    for record in normalized.records:
        assert list(iter_violations("model", record, record["id"])) == []
    records = {record["id"]: record for record in normalized.records}
    for model, expected in body.checks.items():
        for path, value in expected.items():
            assert get_path(records[model], path) == value, (model, path)
    for model, paths in body.absent.items():
        for path in paths:
            assert get_path(records[model], path) is None, (model, path)


def test_azure_lists_one_entry_per_model_version_under_one_id() -> None:
    """The real Azure list repeats an id once per model version; one record per id comes out."""
    raw = _load(PROVIDERS / "recorded" / "azure.json")["data"]
    repeated = {item["id"] for item in raw if sum(other["id"] == item["id"] for other in raw) > 1}
    assert "text-embedding-ada-002" in repeated

    normalized = by_id()["azure"].normalize([{"data": raw, "object": "list"}])

    ids = [record["id"] for record in normalized.records]
    assert len(ids) == len(set(ids)) == len({item["id"] for item in raw})
