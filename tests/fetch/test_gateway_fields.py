"""owned_by and created: from the sources, the id's vendor, first-party providers, the family table."""

from __future__ import annotations

import pytest

from modelatlas.fetch.gateway_fields import (
    FAMILY_VENDORS,
    fill_created,
    fill_owned_by,
    owner,
    request_time_sources,
)


@pytest.mark.parametrize(
    ("provider", "upstream", "expected"),
    [
        ("bedrock", "us.anthropic.claude-sonnet-4-5-20250929-v1:0", "anthropic"),
        ("bedrock", "global.amazon.nova-2-lite-v1:0", "amazon"),
        ("bedrock", "meta.llama3-70b-instruct-v1:0", "meta-llama"),
        ("groq", "meta-llama/llama-4-scout-17b-16e-instruct", "meta-llama"),
        ("groq", "llama-3.3-70b-versatile", "meta-llama"),
        ("openrouter", "~anthropic/claude-haiku-latest", "anthropic"),
        ("openai", "whisper-1", "openai"),
        ("mistral", "codestral-2508", "mistralai"),
        ("azure", "gpt-oss-120b", "openai"),
        ("vertex", "claude-opus-4-5@20251101", "anthropic"),
        ("azure", "Phi-4", "microsoft"),
        ("azure", "model-router", None),
        ("vertex", "text-embedding-005", "google"),
        ("openai", "text-embedding-3-small", "openai"),
        ("perplexity", "perplexity/kimi-k3", "moonshotai"),
        ("perplexity", "perplexity/sonar", "perplexity"),
        ("groq", "groq/compound", "groq"),
        ("cerebras", "zai-glm-4.7", None),
    ],
)
def test_owner(provider: str, upstream: str, expected: str | None) -> None:
    assert owner(provider, upstream) == expected


def test_family_table_longest_prefix_first() -> None:
    prefixes = [p for p, _ in FAMILY_VENDORS]
    for i, prefix in enumerate(prefixes):
        assert not any(prefix.startswith(earlier) and prefix != earlier for earlier in prefixes[:i]), prefix


def test_fill_keeps_a_stated_owner_and_marks_derived() -> None:
    extension = {"upstream_id": "gpt-4o", "provenance": {"owned_by": "provider_api"}}
    stated = {"owned_by": "openai", "modelatlas": extension}
    fill_owned_by("openai", stated)
    assert stated["owned_by"] == "openai" and extension["provenance"]["owned_by"] == "provider_api"
    bare = {"modelatlas": {"upstream_id": "gpt-4o", "provenance": {}}}
    fill_owned_by("openai", bare)
    assert bare["owned_by"] == "openai" and bare["modelatlas"]["provenance"]["owned_by"] == "derived"


def test_created_from_a_full_release_date_only() -> None:
    day = {"modelatlas": {"lifecycle": {"release_date": "2024-05-13"}, "provenance": {}}}
    fill_created(day)
    assert day["created"] == 1715558400 and day["modelatlas"]["provenance"]["created"] == "derived"
    month = {"modelatlas": {"lifecycle": {"release_date": "2024-05"}, "provenance": {}}}
    fill_created(month)
    assert "created" not in month


def test_one_created_for_every_model_is_the_request_time() -> None:
    mistral = {"provider_api": [{"created": 1770700000}, {"created": 1770700000}, {}],
               "models.dev": [{"created": 1}, {"created": 2}]}
    assert request_time_sources("mistral", mistral) == {("provider_api", "created")}
    assert request_time_sources("x", {"provider_api": [{"created": 5}]}) == frozenset()


@pytest.mark.parametrize(
    ("provider", "upstream", "given", "expected"),
    [
        ("openai", "gpt-4o", "system", "openai"),  # an account label of OpenAI's list, not a maker
        ("openai", "gpt-4o", "openai-internal", "openai"),
        ("bedrock", "meta.llama3-70b-instruct-v1:0", "Meta", "meta-llama"),
        ("bedrock", "mistral.mistral-large-2407-v1:0", "Mistral AI", "mistralai"),
        ("bedrock", "stability.sd3-5-large-v1:0", "Stability AI", "stability"),
        ("openrouter", "x-ai/grok-4", "xai", "x-ai"),
        ("azure", "glm-5", "zai-org", "z-ai"),
        ("ollama", "kimi-k2.5", "ollama", "moonshotai"),  # the host is no maker: the family table is
        ("groq", "groq/compound", "groq", "groq"),  # ... and where it says nothing, the host stays
    ],
)
def test_every_owner_is_one_spelling_of_the_vendor_vocabulary(
    provider: str, upstream: str, given: str, expected: str
) -> None:
    extension = {"upstream_id": upstream, "provenance": {"owned_by": "litellm"}}
    record = {"owned_by": given, "modelatlas": extension}
    fill_owned_by(provider, record)
    assert record["owned_by"] == expected
    assert record["modelatlas"]["provenance"]["owned_by"] == ("litellm" if given == expected else "derived")


def test_the_committed_snapshot_spells_each_vendor_one_way() -> None:
    from modelatlas.datastore import load_all
    from modelatlas.fetch.vendors import NOT_VENDORS, VENDOR_ALIASES, vendor_slug
    from tests.paths import REPO

    docs = load_all(REPO / "data").values()
    owners = {m["owned_by"] for doc in docs for m in doc["models"] if "owned_by" in m}
    assert owners and all(vendor_slug(o) == o for o in owners)
    assert not owners & (set(VENDOR_ALIASES) | NOT_VENDORS)
