"""The committed snapshot: coverage and the named cases hold on the real data."""

from __future__ import annotations

from collections import defaultdict

from modelatlas.render.build import load_catalog
from tests.paths import REPO

MIN_COVERAGE = 0.70


def test_committed_snapshot_links_most_records_and_the_named_models() -> None:
    catalog = load_catalog(REPO / "data")
    linked, total = catalog.canonical.coverage
    assert linked / total >= MIN_COVERAGE
    providers: dict[str, set[str]] = defaultdict(set)
    for record in catalog.models:
        if "family" in record["modelatlas"]:
            providers[record["canonical_slug"]].add(record["modelatlas"]["provider"])
    assert providers["anthropic/claude-4.5-sonnet-20250929"] >= {
        "anthropic",
        "azure",
        "bedrock",
        "openrouter",
        "perplexity",
        "vertex",
    }
    assert providers["meta-llama/llama-3.3-70b-instruct"] >= {
        "azure",
        "bedrock",
        "cerebras",
        "groq",
        "openrouter",
        "vertex",
    }


def test_the_reviewed_identity_examples_hold_on_the_committed_snapshot() -> None:
    from modelatlas.render.canonical_api import entry_fields

    catalog = load_catalog(REPO / "data")
    by_id = {record["id"]: record for record in catalog.models}

    def slug(record_id: str) -> str | None:
        record = by_id[record_id]
        return record.get("canonical_slug") if "family" in record["modelatlas"] else None

    # over-merges, each kept apart by a rule
    assert slug("gemini/gemini-2.5-pro-preview-05-06") == "google/gemini-2.5-pro-preview-05-06"
    assert slug("bedrock/mistral.mistral-7b-instruct-v0:2") is None  # no v0.2 model is listed
    assert slug("openai/gpt-4o-latest") is None
    # links a provider's own spelling makes
    for record_id in (
        "vertex/claude-3-5-sonnet-v2@20241022",
        "bedrock/meta.llama4-maverick-17b-instruct-v1:0",
        "bedrock/meta.llama4-scout-17b-instruct-v1:0",
        "bedrock/meta.llama3-2-11b-instruct-v1:0",
        "bedrock/deepseek.v3.2",
        "bedrock/qwen.qwen3-coder-480b-a35b-v1:0",
        "bedrock/cohere.embed-v4:0",
        "groq/llama3-70b-8192",
        "mistral/open-mistral-nemo",
        "mistral/pixtral-12b-2409",
    ):
        assert slug(record_id) is not None, record_id
    assert slug("vertex/claude-3-5-sonnet-v2@20241022") == slug("anthropic/claude-3-5-sonnet-20241022")
    # a misspelt id is an alias of the real one, never a model of its own
    assert "claude-4-sonnet-20250514" in by_id["anthropic/claude-sonnet-4-20250514"]["modelatlas"]["aliases"]
    phantom = "anthropic/claude-4-sonnet-20250514"
    assert not any(record.get("canonical_slug") == phantom for record in catalog.models)
    # the cheapest offering of every canonical model is a live, pay-per-use one
    for group in catalog.groups:
        entry = entry_fields(group)  # as listed in v1/canonical.json
        for field in ("cheapest_prompt", "cheapest_completion"):
            if field in entry:
                extension = by_id[entry[field]["id"]]["modelatlas"]
                assert "offering" not in extension, entry[field]
                status = extension.get("lifecycle", {}).get("status")
                assert status not in {"retired", "removed", "unverified"}, entry[field]
