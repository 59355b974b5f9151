"""Each provider's live fetch over real HTTP (pytest-httpserver) with realistic bodies.

The server checks the exact auth headers and query parameters of every request, in order, and
serves the fixture pages; the records that come back must validate against the model schema.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

from modelatlas.config import HttpSettings, Settings
from modelatlas.fetch.providers.registry import BY_ID
from modelatlas.fetch.run import fetch_live
from modelatlas.schema import iter_violations
from tests.paths import FIXTURES as ALL_FIXTURES

FIXTURES = ALL_FIXTURES / "providers"
CREDENTIAL_HEADERS = {"authorization", "x-api-key", "api-key", "xi-api-key", "x-goog-api-key"}
KEY = "sk-test-0123456789abcdef"


@dataclass
class Call:
    path: str
    fixture: str
    query: dict[str, str] = field(default_factory=dict)


@dataclass
class Scenario:
    provider: str
    env: dict[str, str]
    headers: dict[str, str]
    calls: list[Call]
    count: int
    checks: dict[str, dict[str, Any]] = field(default_factory=dict)  # model id -> {dotted path: value}
    prefix: str = ""  # path prefix of the base URL override


def _bearer(var: str) -> dict[str, str]:
    return {var: KEY}


SCENARIOS = [
    Scenario(
        "openai",
        {"OPENAI_API_KEY": KEY, "OPENAI_ORG_ID": "org-abc123"},
        {"Authorization": f"Bearer {KEY}", "OpenAI-Organization": "org-abc123"},
        [Call("/v1/models", "models.json")],
        119,
        {"openai/gpt-4": {"created": 1687882411, "owned_by": "openai"}},
        prefix="/v1",
    ),
    Scenario(
        "anthropic",
        {"ANTHROPIC_API_KEY": KEY},
        {"x-api-key": KEY, "anthropic-version": "2023-06-01"},
        [
            Call("/v1/models", "page1.json", {"limit": "1000"}),
            Call("/v1/models", "page2.json", {"limit": "1000", "after_id": "claude-sonnet-4-5-20250929"}),
            Call("/v1/models", "page3.json", {"limit": "1000", "after_id": "claude-3-7-sonnet-20250219"}),
        ],
        10,
        {"anthropic/claude-opus-4-6": {"name": "Claude Opus 4.6", "created": 1770163200}},
        prefix="/v1",
    ),
    Scenario(
        "azure",
        {"AZURE_OPENAI_API_KEY": KEY},
        {"api-key": KEY},
        [
            Call("/openai/models", "page1.json", {"api-version": "2024-10-21"}),
            Call("/openai/models", "page2.json", {"api-version": "2024-10-21", "skiptoken": "p2"}),
        ],
        5,
        {
            "azure/gpt-35-turbo-0125": {
                "modelatlas.lifecycle.status": "deprecated",
                "modelatlas.lifecycle.retirement_date": "2025-04-01",
            },
            "azure/text-embedding-3-large": {"supported_methods": ["embedding"]},
        },
        prefix="/openai",
    ),
    Scenario(
        "bedrock",
        {"AWS_BEARER_TOKEN_BEDROCK": KEY},
        {"Authorization": f"Bearer {KEY}"},
        [
            Call("/foundation-models", "foundation-models.json"),
            Call("/inference-profiles", "inference-profiles-page1.json", {"maxResults": "1000"}),
            Call(
                "/inference-profiles",
                "inference-profiles-page2.json",
                {"maxResults": "1000", "nextToken": "eyJwIjoyfQ=="},
            ),
        ],
        7,
        {
            "bedrock/amazon.nova-sonic-v1:0": {
                "architecture.input_modalities": ["audio"],
                "architecture.output_modalities": ["audio", "text"],
            },
            "bedrock/amazon.titan-embed-text-v2:0": {"modelatlas.mode": "embedding"},
            "bedrock/anthropic.claude-3-haiku-20240307-v1:0": {"modelatlas.lifecycle.status": "deprecated"},
            "bedrock/us.anthropic.claude-sonnet-4-20250514-v1:0": {
                "owned_by": "Anthropic",
                "architecture.input_modalities": ["text", "image"],
            },
        },
    ),
    Scenario(
        "cohere",
        {"CO_API_KEY": KEY},
        {"Authorization": f"Bearer {KEY}"},
        [
            Call("/v1/models", "page1.json", {"page_size": "1000"}),
            Call("/v1/models", "page2.json", {"page_size": "1000", "page_token": "cGFnZTI="}),
            Call("/v1/models", "page3.json", {"page_size": "1000", "page_token": "cGFnZTM="}),
        ],
        5,
        {
            "cohere/command-a-03-2025": {"context_length": 256000, "modelatlas.capabilities.tool_call": True},
            "cohere/command-r-08-2024": {"modelatlas.lifecycle.status": "deprecated"},
        },
        prefix="/v1",
    ),
    Scenario(
        "vertex",
        {"VERTEX_ACCESS_TOKEN": KEY, "GOOGLE_CLOUD_PROJECT": "my-project"},
        {"Authorization": f"Bearer {KEY}", "x-goog-user-project": "my-project"},
        [
            Call("/v1beta1/publishers/google/models", "google-page1.json", {"pageSize": "100"}),
            Call(
                "/v1beta1/publishers/google/models",
                "google-page2.json",
                {"pageSize": "100", "pageToken": "Cg5nZW1pbmktMi4wLWZsYXNo"},
            ),
            Call("/v1beta1/publishers/anthropic/models", "anthropic-page1.json", {"pageSize": "100"}),
            Call("/v1beta1/publishers/mistralai/models", "mistralai-page1.json", {"pageSize": "100"}),
        ],
        6,
        {
            "vertex/gemini-2.5-pro": {"name": "Gemini 2.5 Pro", "owned_by": "google"},
            "vertex/claude-sonnet-4": {"owned_by": "anthropic"},
            "vertex/gemini-2.0-flash-lite": {"modelatlas.lifecycle.status": "preview"},
        },
        prefix="/v1beta1",
    ),
    Scenario(
        "mistral",
        {"MISTRAL_API_KEY": KEY},
        {"Authorization": f"Bearer {KEY}"},
        [Call("/v1/models", "models.json")],
        55,
        {
            "mistral/mistral-medium-2505": {
                "context_length": 131072,
                "architecture.input_modalities": ["text", "image"],
            }
        },
        prefix="/v1",
    ),
    Scenario(
        "ollama",
        {"OLLAMA_API_KEY": KEY},
        {"Authorization": f"Bearer {KEY}"},
        [Call("/api/tags", "tags.json")],
        4,
        {
            "ollama/llama3.1:8b": {"context_length": 131072, "modelatlas.family": "llama"},
            "ollama/gemma3:4b": {"architecture.input_modalities": ["text", "image"]},
        },
    ),
    Scenario(
        "gemini",
        {"GEMINI_API_KEY": KEY},
        {"x-goog-api-key": KEY},
        [
            Call("/v1beta/models", "page1.json", {"pageSize": "1000"}),
            Call(
                "/v1beta/models",
                "page2.json",
                {"pageSize": "1000", "pageToken": "Ch5tb2RlbHMvZ2VtaW5pLTIuNS1mbGFzaA=="},
            ),
            Call(
                "/v1beta/models",
                "page3.json",
                {"pageSize": "1000", "pageToken": "Ch1tb2RlbHMvZ2VtaW5pLWVtYmVkZGluZy0wMDE="},
            ),
        ],
        5,
        {
            "gemini/gemini-2.5-pro": {
                "max_input_tokens": 1048576,
                "max_output_tokens": 65536,
                "modelatlas.capabilities.reasoning": True,
            },
            "gemini/gemini-embedding-001": {"supported_methods": ["embedding"]},
        },
        prefix="/v1beta",
    ),
    Scenario(
        "groq",
        {"GROQ_API_KEY": KEY},
        {"Authorization": f"Bearer {KEY}"},
        [Call("/openai/v1/models", "models.json")],
        4,
        {"groq/llama-3.3-70b-versatile": {"context_length": 131072, "max_output_tokens": 32768}},
        prefix="/openai/v1",
    ),
    Scenario(
        "openrouter",
        {"OPENROUTER_API_KEY": KEY},
        {"Authorization": f"Bearer {KEY}"},
        [
            Call(
                "/api/v1/models", "page1.json", {"output_modalities": "all", "offset": "0", "limit": "1000"}
            ),
            Call(
                "/api/v1/models", "page2.json", {"output_modalities": "all", "offset": "2", "limit": "1000"}
            ),
            Call(
                "/api/v1/models", "page3.json", {"output_modalities": "all", "offset": "4", "limit": "1000"}
            ),
        ],
        5,
        prefix="/api/v1",
    ),
    Scenario(
        "sgl",
        {"SGLANG_API_KEY": KEY},
        {"Authorization": f"Bearer {KEY}"},
        [Call("/v1/models", "models.json")],
        2,
        {"sgl/Qwen/Qwen2.5-7B-Instruct": {"context_length": 32768}},
        prefix="/v1",
    ),
    Scenario(
        "parasail",
        {"PARASAIL_API_KEY": KEY},
        {"Authorization": f"Bearer {KEY}"},
        [Call("/v1/models", "models.json")],
        3,
        {"parasail/parasail-deepseek-r1": {"created": 1737676800}},
        prefix="/v1",
    ),
    Scenario(
        "elevenlabs",
        {"ELEVENLABS_API_KEY": KEY},
        {"xi-api-key": KEY},
        [Call("/v1/models", "models.json")],
        4,
        {
            "elevenlabs/eleven_multilingual_v2": {
                "architecture.output_modalities": ["audio"],
                "modelatlas.mode": "audio_speech",
            },
            "elevenlabs/eleven_multilingual_sts_v2": {"architecture.input_modalities": ["audio"]},
        },
        prefix="/v1",
    ),
    Scenario(
        "perplexity",
        {"PERPLEXITY_API_KEY": KEY},
        {"Authorization": f"Bearer {KEY}"},
        [Call("/v1/models", "models.json")],
        39,
        {
            "perplexity/anthropic/claude-haiku-4-5": {
                "pricing.prompt": "0.000001",
                "pricing.completion": "0.000005",
                "pricing.input_cache_read": "0.0000001",
                "pricing.input_cache_write": "0.00000125",
            }
        },
        prefix="/v1",
    ),
    Scenario(
        "cerebras",
        {"CEREBRAS_API_KEY": KEY},
        {"Authorization": f"Bearer {KEY}"},
        [Call("/v1/models", "models.json")],
        3,
        {"cerebras/gpt-oss-120b": {"owned_by": "Meta"}},
        prefix="/v1",
    ),
]


def fast_http(**overrides: Any) -> HttpSettings:
    values = {
        "connect_timeout": 2.0,
        "read_timeout": 2.0,
        "retries": 2,
        "backoff": 0.01,
        "backoff_max": 0.05,
        "retry_after_cap": 0.2,
        "deadline": 10.0,
    }
    values.update(overrides)
    return HttpSettings(**values)


def get_path(record: dict[str, Any], path: str) -> Any:
    node: Any = record
    for part in path.split("."):
        node = node[part]
    return node


def test_every_registered_provider_has_a_scenario() -> None:
    assert sorted(s.provider for s in SCENARIOS) == sorted(BY_ID)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.provider)
def test_provider_fetch_over_http(httpserver: HTTPServer, scenario: Scenario) -> None:
    module = BY_ID[scenario.provider]
    for call in scenario.calls:
        body = (FIXTURES / scenario.provider / call.fixture).read_bytes()
        httpserver.expect_ordered_request(
            call.path, method="GET", query_string=call.query, headers=scenario.headers
        ).respond_with_data(body, content_type="application/json")
    override = f"MODELATLAS_{scenario.provider.upper()}_BASE_URL"
    env = {**scenario.env, override: httpserver.url_for(scenario.prefix)}
    settings = Settings(values=env, http=fast_http(retries=0))
    assert module.missing_credentials(settings) is None

    normalized = fetch_live(module, settings)

    httpserver.check_assertions()
    assert len(httpserver.log) == len(scenario.calls)
    expected_credentials = {h.lower() for h in scenario.headers} & CREDENTIAL_HEADERS
    for request, _response in httpserver.log:
        sent = {name.lower() for name, _value in request.headers.items()}
        assert sent & CREDENTIAL_HEADERS == expected_credentials
    assert len(normalized.records) == scenario.count, normalized.rejected
    by_id = {r["id"]: r for r in normalized.records}
    for record in normalized.records:
        assert list(iter_violations("model", record, record["id"])) == []
        assert record["modelatlas"]["provider"] == scenario.provider
        # A record may carry no field at all (an SGLang LoRA adapter has only its id).
        assert set(record["modelatlas"]["provenance"].values()) <= {"provider_api"}
    for model, expected in scenario.checks.items():
        for path, value in expected.items():
            assert get_path(by_id[model], path) == value, (model, path)


def test_missing_credentials_name_the_env_vars() -> None:
    empty = Settings(values={})
    reasons = {p: m.missing_credentials(empty) for p, m in BY_ID.items()}
    assert reasons["openai"] == "no OPENAI_API_KEY"
    assert "AZURE_OPENAI_ENDPOINT" in reasons["azure"] and "AZURE_OPENAI_API_KEY" in reasons["azure"]
    assert "CO_API_KEY" in reasons["cohere"] and "COHERE_API_KEY" in reasons["cohere"]
    assert all(reasons.values()), "with no settings every provider must say what is missing"
    # The alternative names work too.
    assert BY_ID["cohere"].missing_credentials(Settings(values={"COHERE_API_KEY": "x"})) is None
    assert BY_ID["gemini"].missing_credentials(Settings(values={"GOOGLE_API_KEY": "x"})) is None
    assert BY_ID["ollama"].missing_credentials(Settings(values={"OLLAMA_HOST": "127.0.0.1:11434"})) is None
