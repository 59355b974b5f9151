"""Reading provider ids: decorations removed per provider, spellings made equal, dates kept apart."""

from __future__ import annotations

import pytest

from modelatlas.canonical.names import model_key, parse
from modelatlas.ids import split_date


@pytest.mark.parametrize(
    ("provider", "upstream", "vendor", "first_name"),
    [
        (
            "bedrock",
            "us.anthropic.claude-sonnet-4-5-20250929-v1:0",
            "anthropic",
            "claude-sonnet-4-5-20250929-v1",
        ),
        (
            "bedrock",
            "global.anthropic.claude-sonnet-4-5-20250929-v1:0",
            "anthropic",
            "claude-sonnet-4-5-20250929-v1",
        ),
        ("bedrock", "us-gov.anthropic.claude-sonnet-5", "anthropic", "claude-sonnet-5"),
        ("bedrock", "meta.llama3-3-70b-instruct-v1:0", "meta-llama", "llama3-3-70b-instruct-v1"),
        ("bedrock", "amazon.nova-lite-v1:0", "amazon", "nova-lite-v1"),
        ("vertex", "meta/llama-3.3-70b-instruct-maas", "meta-llama", "llama-3.3-70b-instruct"),
        ("vertex", "claude-sonnet-4-5@20250929", None, "claude-sonnet-4-5@20250929"),
        ("vertex", "mistral-medium-3@001", None, "mistral-medium-3"),
        ("vertex", "mistral-large@2411-001", None, "mistral-large-2411"),
        ("vertex", "claude-opus-5@default", None, "claude-opus-5"),
        ("groq", "llama-3.3-70b-versatile", None, "llama-3.3-70b"),
        ("groq", "llama-3.1-8b-instant", None, "llama-3.1-8b"),
        ("openrouter", "meta-llama/llama-3.3-70b-instruct:free", "meta-llama", "llama-3.3-70b-instruct"),
        ("ollama", "gpt-oss:120b-cloud", None, "gpt-oss-120b"),
        ("azure", "gpt-35-turbo-instruct", None, "gpt-3.5-turbo-instruct"),
        ("azure", "meta-llama-3.1-8b-instruct", "meta-llama", "llama-3.1-8b-instruct"),
        ("cerebras", "zai-glm-4.7", "z-ai", "glm-4.7"),
        ("anthropic", "claude-sonnet-4-5", "anthropic", "claude-sonnet-4-5"),
        ("perplexity", "perplexity/kimi-k3", None, "kimi-k3"),  # hosted by Perplexity, not its model
        ("perplexity", "xai/grok-4.3", "x-ai", "grok-4.3"),
    ],
)
def test_decorations(provider: str, upstream: str, vendor: str | None, first_name: str) -> None:
    parsed = parse(provider, upstream)
    assert (parsed.vendor, parsed.names[0]) == (vendor, first_name)


def test_bedrock_tries_the_name_without_its_version_after_the_literal_one() -> None:
    names = parse("bedrock", "anthropic.claude-3-5-sonnet-20241022-v2:0").names
    # the literal name, the version read as the model's own (v2.0), and, since a snapshot date
    # names the model, the name without the version
    base = "claude-3-5-sonnet-20241022"
    assert names == (f"{base}-v2", f"{base}-v2.0", base)
    # titan-embed-text-v1 and -v2:0 are different models: the literal names differ
    assert parse("bedrock", "amazon.titan-embed-text-v2:0").names[0] == "titan-embed-text-v2"
    assert parse("bedrock", "amazon.titan-embed-text-v1").names == ("titan-embed-text-v1",)


@pytest.mark.parametrize(
    "upstream",
    ["mistral-large-latest", "gpt-5-chat-latest", "codestral@latest", "~anthropic/claude-sonnet-latest"],
)
def test_moving_aliases_name_no_model(upstream: str) -> None:
    assert parse("vertex", upstream).moving


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("claude-sonnet-4-5", "claude-sonnet-4.5"),
        ("llama3-3-70b", "llama-3.3-70b"),
        ("gemma3-12b", "gemma-3-12b"),
    ],
)
def test_spellings_of_one_name_share_a_key(one: str, other: str) -> None:
    assert model_key(one) == model_key(other)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("gpt-oss-120b", "gpt-oss-20b"),
        ("gemini-2.5-flash-preview-09-2025", "gemini-2.5-flash"),
        ("llama-3.1-70b", "llama-3.1-8b"),
        ("titan-embed-text-v1", "titan-embed-text-v2"),
    ],
)
def test_different_models_keep_different_keys(one: str, other: str) -> None:
    assert model_key(one) != model_key(other)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("claude-3-5-sonnet-20240620", ("claude-3-5-sonnet", "20240620")),
        ("gpt-4o-2024-08-06", ("gpt-4o", "20240806")),
        ("claude-sonnet-4-5@20250929", ("claude-sonnet-4-5", "20250929")),
        ("gemini-2.5-flash-preview-09-2025", ("gemini-2.5-flash-preview-09-2025", None)),
        ("mistral-large-2411", ("mistral-large-2411", None)),
        ("gpt-4o-2024-13-06", ("gpt-4o-2024-13-06", None)),  # no month 13: not a date
    ],
)
def test_split_date(name: str, expected: tuple[str, str | None]) -> None:
    assert split_date(name) == expected
