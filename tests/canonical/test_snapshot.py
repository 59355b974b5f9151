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
