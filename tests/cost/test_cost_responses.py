"""usage_from_response on real response bodies (tests/fixtures/cost/responses/, sources in SOURCES.md):
each API's counts become the one convention of Usage (input tokens include the cached ones)."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest

from modelatlas.cost import Usage, UsageError, usage_from_response
from modelatlas.fetch.providers import registry
from modelatlas.fetch.providers.rules import ResponseFormat
from modelatlas.ids import provider_ids
from tests.paths import FIXTURES

RESPONSES = FIXTURES / "cost" / "responses"

# file, provider, the usage it reports (read from the body by hand: see the comments)
EXPECTED: list[tuple[str, str, dict[str, Any]]] = [
    ("openai-chat-completion.json", "openai", {"input_tokens": 14, "output_tokens": 37}),
    (
        "openai-chat-audio.json",
        "openai",  # prompt_tokens 53 = 16 text + 37 audio
        {"input_tokens": 53, "input_audio_tokens": 37, "output_tokens": 123},
    ),
    ("openai-embeddings.json", "openai", {"input_tokens": 7}),
    ("openai-responses.json", "openai", {"input_tokens": 14, "output_tokens": 50}),
    (
        "openai-responses-cached.json",
        "openai",  # input_tokens 6165 already include 6016 cached
        {"input_tokens": 6165, "cache_read_tokens": 6016, "output_tokens": 5},
    ),
    (
        "openai-responses-reasoning.json",
        "openai",
        {"input_tokens": 13, "output_tokens": 157, "reasoning_tokens": 128},
    ),
    ("azure-responses.json", "azure", {"input_tokens": 18, "output_tokens": 129, "reasoning_tokens": 64}),
    ("anthropic-message.json", "anthropic", {"input_tokens": 406, "output_tokens": 50}),
    (
        "anthropic-message-web-search.json",
        "anthropic",
        {"input_tokens": 11306, "output_tokens": 163, "web_searches": 1},
    ),
    (
        "anthropic-cache-write.json",
        "anthropic",  # input_tokens 10 + cache_creation 7351 (all 5-minute)
        {"input_tokens": 7361, "cache_write_tokens": 7351, "output_tokens": 4},
    ),
    (
        "anthropic-cache-read.json",
        "anthropic",  # input_tokens 10 + cache_read 7351
        {"input_tokens": 7361, "cache_read_tokens": 7351, "output_tokens": 4},
    ),
    ("bedrock-converse.json", "bedrock", {"input_tokens": 53, "output_tokens": 39}),
    (
        "bedrock-converse-cache-write.json",
        "bedrock",  # inputTokens 10 + cacheWriteInputTokens 7351 (ttl 5m)
        {"input_tokens": 7361, "cache_write_tokens": 7351, "output_tokens": 4},
    ),
    (
        "bedrock-converse-cache-read.json",
        "bedrock",
        {"input_tokens": 7361, "cache_read_tokens": 7351, "output_tokens": 4},
    ),
    (
        "gemini-thoughts.json",
        "gemini",  # candidates 8 + thoughts 23
        {"input_tokens": 10, "output_tokens": 31, "reasoning_tokens": 23},
    ),
    (
        "gemini-cached-content.json",
        "gemini",  # promptTokenCount 9622 includes the 9609 cached
        {"input_tokens": 9622, "cache_read_tokens": 9609, "output_tokens": 171, "reasoning_tokens": 136},
    ),
    (
        "gemini-audio.json",
        "gemini",  # promptTokensDetails: TEXT 6, AUDIO 119
        {"input_tokens": 125, "input_audio_tokens": 119, "output_tokens": 35, "reasoning_tokens": 25},
    ),
    (
        "vertex-generate-content.json",
        "vertex",
        {"input_tokens": 9, "output_tokens": 27, "reasoning_tokens": 19},
    ),
    (
        "vertex-cached-content.json",
        "vertex",
        {"input_tokens": 9613, "cache_read_tokens": 9602, "output_tokens": 72, "reasoning_tokens": 39},
    ),
    (
        "cohere-chat-v2.json",
        "cohere",
        {"input_tokens": 8, "output_tokens": 8},
    ),  # billed_units, not tokens 503/11
    ("mistral-chat.json", "mistral", {"input_tokens": 23, "output_tokens": 9}),
    (
        "mistral-audio.json",
        "mistral",  # the 375 audio tokens are billed as 3 seconds, outside prompt_tokens
        {"input_tokens": 9, "output_tokens": 248, "input_seconds": Decimal(3)},
    ),
    ("openrouter-chat.json", "openrouter", {"input_tokens": 16, "output_tokens": 13}),
    ("perplexity-chat.json", "perplexity", {"input_tokens": 9, "output_tokens": 12}),
    ("ollama-v1-chat.json", "ollama", {"input_tokens": 74, "output_tokens": 48}),
]


def body(name: str) -> Any:
    return json.loads((RESPONSES / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize(("name", "provider", "expected"), EXPECTED, ids=[row[0] for row in EXPECTED])
def test_a_real_body_gives_its_usage(name: str, provider: str, expected: dict[str, Any]) -> None:
    assert usage_from_response(provider, body(name)) == Usage(**expected)


def test_every_fixture_is_tested_and_named_in_sources() -> None:
    files = sorted(path.name for path in RESPONSES.glob("*.json"))
    tested = {row[0] for row in EXPECTED} | {"azure-foundry-grok-chat.json"}
    assert set(files) == tested
    sources = (RESPONSES / "SOURCES.md").read_text(encoding="utf-8")
    assert all(f"`{name}`" in sources for name in files)


def test_cached_tokens_above_the_prompt_tokens_are_a_one_line_error() -> None:
    """Azure AI Foundry's grok reports 163 cached tokens of a 7-token prompt: no guess, a clear error."""
    with pytest.raises(UsageError) as caught:
        usage_from_response("azure", body("azure-foundry-grok-chat.json"))
    assert "exceed input_tokens (7)" in caught.value.message and caught.value.exit_code == 2


def test_a_body_of_another_api_is_refused() -> None:
    with pytest.raises(UsageError, match="expected a Gemini generateContent body"):
        usage_from_response("gemini", body("anthropic-message.json"))


@pytest.mark.parametrize(
    ("provider", "value", "message"),
    [
        ("nosuch", {}, "unknown provider 'nosuch'"),
        ("elevenlabs", {}, "carry no usage block"),
        ("openai", [1, 2], "a response body of openai is a JSON object"),
        ("openai", {"usage": {"prompt_tokens": "12"}}, r"usage\.prompt_tokens is not a count \('12'\)"),
        ("openai", {"usage": {"prompt_tokens": -1}}, "is not a count"),
        ("mistral", {"usage": {"prompt_tokens": 1, "prompt_audio_seconds": "3"}}, "not a duration"),
        ("anthropic", {"id": "msg", "content": []}, "no usage in this anthropic response"),
    ],
)
def test_bad_bodies_are_one_line_usage_errors(provider: str, value: Any, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        usage_from_response(provider, value)


def test_every_registered_provider_has_a_reader_or_says_why_not() -> None:
    chat = {"usage": {"prompt_tokens": 10, "completion_tokens": 2}}
    for provider in provider_ids():
        formats = registry.declared(provider).response_formats
        if not formats:
            with pytest.raises(UsageError, match="carry no usage block"):
                usage_from_response(provider, chat)
        elif ResponseFormat.OPENAI_CHAT in formats:
            assert usage_from_response(provider, chat).input_tokens == 10
