"""Linking records to canonical models: the cases that must link and the pairs that must stay apart.

The records mirror real ids of the providers (OpenRouter's slugs are its own, from its model list).
"""

from __future__ import annotations

from typing import Any

import pytest

from modelatlas.canonical import enrich, link_all
from modelatlas.canonical.curated import CuratedLink
from modelatlas.canonical.matcher import Link, Unlinked

Record = dict[str, Any]


def rec(provider: str, upstream: str, **fields: Any) -> Record:
    return {
        "id": f"{provider}/{upstream}",
        **fields,
        "modelatlas": {"provider": provider, "upstream_id": upstream, "provenance": {}},
    }


def openrouter(upstream: str, canonical: str | None = None, hugging_face: str | None = None) -> Record:
    fields = {"canonical_slug": canonical} if canonical else {}
    if hugging_face:
        fields["hugging_face_id"] = hugging_face
    return rec("openrouter", upstream, **fields)


SONNET_45 = [
    "anthropic/claude-sonnet-4-5",
    "anthropic/claude-sonnet-4-5-20250929",
    "bedrock/anthropic.claude-sonnet-4-5-20250929-v1:0",
    "bedrock/us.anthropic.claude-sonnet-4-5-20250929-v1:0",
    "bedrock/global.anthropic.claude-sonnet-4-5-20250929-v1:0",
    "vertex/claude-sonnet-4-5@20250929",
    "vertex/claude-sonnet-4-5",
    "azure/claude-sonnet-4-5",
    "openrouter/anthropic/claude-sonnet-4.5",
    "perplexity/anthropic/claude-sonnet-4-5",
]
LLAMA_33_70B = [
    "groq/llama-3.3-70b-versatile",
    "cerebras/llama-3.3-70b",
    "bedrock/meta.llama3-3-70b-instruct-v1:0",
    "bedrock/us.meta.llama3-3-70b-instruct-v1:0",
    "openrouter/meta-llama/llama-3.3-70b-instruct",
    "openrouter/meta-llama/llama-3.3-70b-instruct:free",
    "vertex/meta/llama-3.3-70b-instruct-maas",
    "azure/llama-3.3-70b-instruct",
]
OTHERS = [
    "anthropic/claude-3-5-sonnet-20240620",
    "anthropic/claude-3-5-sonnet-20241022",
    "bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0",
    "bedrock/us.anthropic.claude-3-5-sonnet-20241022-v2:0",
    "vertex/claude-3-5-sonnet",
    "openai/gpt-4o",
    "openai/gpt-4o-2024-05-13",
    "azure/gpt-4o-2024-08-06",
    "groq/openai/gpt-oss-120b",
    "groq/openai/gpt-oss-20b",
    "gemini/gemini-2.5-flash",
    "gemini/gemini-2.5-flash-preview-09-2025",
    "ollama/FuseO1-DeepSeekR1-QwQ-SkyT1-32B-Preview",
    "mistral/mistral-large-latest",
]


def catalog() -> list[Record]:
    records = [
        openrouter("anthropic/claude-sonnet-4.5", "anthropic/claude-4.5-sonnet-20250929"),
        openrouter(
            "meta-llama/llama-3.3-70b-instruct",
            "meta-llama/llama-3.3-70b-instruct",
            "meta-llama/Llama-3.3-70B-Instruct",
        ),
        openrouter(
            "meta-llama/llama-3.3-70b-instruct:free",
            "meta-llama/llama-3.3-70b-instruct",
            "meta-llama/Llama-3.3-70B-Instruct",
        ),
        openrouter("openai/gpt-4o", "openai/gpt-4o"),
        openrouter("openai/gpt-4o-2024-05-13", "openai/gpt-4o-2024-05-13"),
        openrouter("openai/gpt-4o-2024-08-06", "openai/gpt-4o-2024-08-06"),
        openrouter("openai/gpt-oss-120b", "openai/gpt-oss-120b", "openai/gpt-oss-120b"),
        openrouter("openai/gpt-oss-20b", "openai/gpt-oss-20b", "openai/gpt-oss-20b"),
        openrouter(
            "aion-labs/aion-1.0-mini",
            "aion-labs/aion-1.0-mini",
            "FuseAI/FuseO1-DeepSeekR1-QwQ-SkyT1-32B-Preview",
        ),
        openrouter("openrouter/auto", "openrouter/auto"),
    ]
    for record_id in SONNET_45 + LLAMA_33_70B + OTHERS:
        provider, upstream = record_id.split("/", 1)
        if provider != "openrouter":
            records.append(rec(provider, upstream))
    return records


@pytest.fixture(scope="module")
def links() -> dict[str, Link | Unlinked]:
    report = link_all(catalog(), [])
    return {**report.links, **report.unlinked}


def test_claude_sonnet_45_links_across_six_providers(links: dict[str, Link | Unlinked]) -> None:
    expected = Link(
        family="anthropic/claude-sonnet-4.5", canonical_slug="anthropic/claude-4.5-sonnet-20250929"
    )
    assert {record_id: links[record_id] for record_id in SONNET_45} == dict.fromkeys(SONNET_45, expected)


def test_llama_33_70b_links_across_six_providers(links: dict[str, Link | Unlinked]) -> None:
    slug = "meta-llama/llama-3.3-70b-instruct"
    expected = Link(family=slug, canonical_slug=slug)
    assert {record_id: links[record_id] for record_id in LLAMA_33_70B} == dict.fromkeys(
        LLAMA_33_70B, expected
    )


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("anthropic/claude-3-5-sonnet-20240620", "anthropic/claude-3-5-sonnet-20241022"),
        (
            "bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0",
            "bedrock/us.anthropic.claude-3-5-sonnet-20241022-v2:0",
        ),
        ("vertex/claude-3-5-sonnet", "anthropic/claude-3-5-sonnet-20240620"),  # undated: snapshot unknown
        ("openai/gpt-4o-2024-05-13", "azure/gpt-4o-2024-08-06"),
        ("openai/gpt-4o", "openai/gpt-4o-2024-05-13"),
        ("gemini/gemini-2.5-flash", "gemini/gemini-2.5-flash-preview-09-2025"),  # preview vs GA
        ("groq/openai/gpt-oss-120b", "groq/openai/gpt-oss-20b"),
    ],
)
def test_different_snapshots_never_merge(links: dict[str, Link | Unlinked], one: str, other: str) -> None:
    assert isinstance(links[one], Link) and isinstance(links[other], Link)
    assert links[one].canonical_slug != links[other].canonical_slug


def test_snapshots_of_one_model_share_the_family(links: dict[str, Link | Unlinked]) -> None:
    assert links["anthropic/claude-3-5-sonnet-20240620"] == Link(
        "anthropic/claude-3-5-sonnet", "anthropic/claude-3-5-sonnet-20240620"
    )
    assert (
        links["bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0"]
        == links["anthropic/claude-3-5-sonnet-20240620"]
    )
    assert links["azure/gpt-4o-2024-08-06"] == Link("openai/gpt-4o", "openai/gpt-4o-2024-08-06")


def test_what_stays_unlinked_and_why(links: dict[str, Link | Unlinked]) -> None:
    # OpenRouter gives a fine-tune its base model's repository: that is not the same model
    assert links["ollama/FuseO1-DeepSeekR1-QwQ-SkyT1-32B-Preview"] is Unlinked.NO_MATCH
    assert links["mistral/mistral-large-latest"] is Unlinked.MOVING_ALIAS
    assert links["openrouter/openrouter/auto"] is Unlinked.ROUTER


def test_a_key_two_vendors_share_links_only_under_a_named_vendor() -> None:
    records = [
        openrouter("alpha/coder-large"),
        openrouter("beta/coder-large"),
        rec("azure", "coder-large"),
        rec("groq", "beta/coder-large"),
    ]
    report = link_all(records, [])
    assert report.unlinked["azure/coder-large"] is Unlinked.NO_MATCH
    assert report.links["groq/beta/coder-large"].family == "beta/coder-large"


def test_curated_entries_rewrite_a_snapshot_or_unlink_a_record() -> None:
    source = "https://docs.anthropic.com/en/docs/about-claude/models/overview"
    curated = [
        CuratedLink(
            None,
            "anthropic/claude-3-5-sonnet-20240620",
            {"canonical_slug": "anthropic/x-20240620"},
            False,
            source,
        ),
        CuratedLink("azure/claude-sonnet-4-5", None, {}, True, source),
    ]
    report = link_all(catalog(), curated)
    assert (
        report.links["bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0"].canonical_slug
        == "anthropic/x-20240620"
    )
    assert report.unlinked["azure/claude-sonnet-4-5"] is Unlinked.CURATED
    assert "bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0" in report.curated


def test_an_alias_takes_its_targets_link() -> None:
    alias = rec("mistral", "mistral-large-latest")
    alias["modelatlas"]["alias_of"] = "mistral-large-2411"
    report = link_all([rec("mistral", "mistral-large-2411"), alias], [])
    assert report.links["mistral/mistral-large-latest"] == report.links["mistral/mistral-large-2411"]


def test_enrich_sets_the_fields_and_their_source_without_touching_shared_provenance() -> None:
    shared = {"name": "models.dev", "modelatlas.family": "models.dev"}
    linked, unlinked = rec("anthropic", "claude-sonnet-4-5"), rec("azure", "FW-Inkling")
    for record in (linked, unlinked):
        record["modelatlas"].update(provenance=shared, family="claude-sonnet")  # models.dev's coarse label
    enrich(
        [openrouter("anthropic/claude-sonnet-4.5", "anthropic/claude-4.5-sonnet-20250929"), linked, unlinked],
        [],
    )
    assert linked["canonical_slug"] == "anthropic/claude-4.5-sonnet-20250929"
    assert linked["modelatlas"]["family"] == "anthropic/claude-sonnet-4.5"
    assert linked["modelatlas"]["provenance"] == {
        "name": "models.dev",
        "canonical_slug": "derived",
        "modelatlas.family": "derived",
    }
    assert "family" not in unlinked["modelatlas"] and "canonical_slug" not in unlinked
    assert unlinked["modelatlas"]["provenance"] == {"name": "models.dev"}
    assert shared == {"name": "models.dev", "modelatlas.family": "models.dev"}


def test_a_vendors_catalog_hosting_another_vendors_model_does_not_claim_it() -> None:
    records = [
        openrouter("z-ai/glm-5.2"),
        openrouter("deepseek/deepseek-v3.2"),
        rec("mistral", "glm-5-2"),
        rec("mistral", "deepseek-v4-1-flash-1017"),
        rec("mistral", "mistral-large-2411"),
    ]
    report = link_all(records, [])
    assert report.links["mistral/glm-5-2"] == Link("z-ai/glm-5.2", "z-ai/glm-5.2")
    assert report.unlinked["mistral/deepseek-v4-1-flash-1017"] is Unlinked.NO_MATCH  # not minted as Mistral's
    # Mistral's -YYMM is its snapshot of the model (NameReading.snapshot_suffix): its own family, kept apart
    large = Link("mistralai/mistral-large", "mistralai/mistral-large-2411")
    assert report.links["mistral/mistral-large-2411"] == large


def test_an_open_weights_record_links_through_its_own_hugging_face_id() -> None:
    llama = openrouter("meta-llama/llama-3.3-70b-instruct", None, "meta-llama/Llama-3.3-70B-Instruct")
    hosted = rec("ollama", "my-llama-70b", hugging_face_id="meta-llama/Llama-3.3-70B-Instruct")
    report = link_all([llama, hosted], [])
    assert report.links["ollama/my-llama-70b"].canonical_slug == "meta-llama/llama-3.3-70b-instruct"
