"""models.dev normalization over a cut of the real catalog (tests/fixtures/sources/models_dev_cut.json)."""

from __future__ import annotations

from collections import Counter

from modelatlas.fetch.catalogs import models_dev
from modelatlas.jsonio import load_path, loads
from modelatlas.schema import iter_violations
from tests.paths import FIXTURES

FIXTURE = FIXTURES / "sources" / "models_dev_cut.json"


def _by_id(result: dict) -> dict:
    return {r["id"]: r for records in result.values() for r in records}


def test_provider_names_map_onto_our_ids() -> None:
    result = models_dev.normalize(load_path(FIXTURE))
    ids = {p: sorted(r["modelatlas"]["upstream_id"] for r in recs) for p, recs in result.items()}
    assert ids == {
        "azure": ["claude-haiku-4-5"],  # azure-cognitive-services
        "bedrock": ["amazon.nova-2-lite-v1:0"],  # amazon-bedrock
        "cerebras": ["gpt-oss-120b"],
        "gemini": ["gemini-2.0-flash"],  # google
        "ollama": ["cogito-2.1:671b"],  # ollama-cloud
        "openai": ["chatgpt-image-latest", "gpt-4o"],
        "perplexity": ["anthropic/claude-haiku-4-5"],  # perplexity-agent
        # google-vertex and google-vertex-anthropic both list this id: merge joins them later
        "vertex": ["claude-3-5-haiku@20241022", "claude-3-5-haiku@20241022"],
    }
    assert "deepseek" not in result  # a models.dev provider that is not one of ours


def test_gpt_4o_fields_prices_and_provenance() -> None:
    record = _by_id(models_dev.normalize(load_path(FIXTURE)))["openai/gpt-4o"]
    assert record["name"] == "GPT-4o"
    assert record["pricing"] == {
        "prompt": "0.0000025",
        "completion": "0.00001",
        "input_cache_read": "0.00000125",
    }
    assert record["context_length"] == 128000 and record["max_output_tokens"] == 16384
    assert "max_input_tokens" not in record
    # pdf -> file
    assert record["architecture"]["input_modalities"] == ["text", "image", "file"]
    assert record["modelatlas"]["lifecycle"]["release_date"] == "2024-05-13"
    assert record["modelatlas"]["capabilities"]["tool_call"] is True
    provenance = record["modelatlas"]["provenance"]
    assert provenance["pricing.prompt"] == "models.dev" and provenance["name"] == "models.dev"
    assert set(provenance) == {
        "name", "modelatlas.family", "architecture.input_modalities", "architecture.output_modalities",
        "context_length", "max_output_tokens", "pricing.prompt", "pricing.completion",
        "pricing.input_cache_read", "modelatlas.lifecycle.release_date", "modelatlas.lifecycle.last_updated",
        "modelatlas.lifecycle.knowledge_cutoff",
    } | {f"modelatlas.capabilities.{c}" for c in record["modelatlas"]["capabilities"]}
    assert list(iter_violations("model", record, record["id"])) == []


def test_zero_limits_mean_unknown() -> None:
    record = _by_id(models_dev.normalize(load_path(FIXTURE)))["openai/chatgpt-image-latest"]
    assert "context_length" not in record and "max_output_tokens" not in record
    assert "pricing" not in record or "prompt" not in record["pricing"]


def test_bad_values_dropped_bad_ids_skipped_and_counted() -> None:
    raw = loads(
        """{"openai": {"id": "openai", "models": {
            "ok": {"name": "OK", "modalities": {"input": ["text", "hologram", "PDF"], "output": ["text"]},
                   "limit": {"context": -5, "output": 1.5}, "cost": {"input": -1, "output": "abc"},
                   "release_date": "someday", "status": "retired", "tool_call": "yes"},
            " ": {"name": "blank"},
            "bad\\u0007id": {"name": "bell"}}}}"""
    )
    skipped: Counter[str] = Counter()
    result = models_dev.normalize(raw, skipped)
    assert [r["id"] for r in result["openai"]] == ["openai/ok"]
    record = result["openai"][0]
    assert record["architecture"]["input_modalities"] == ["text", "file"]
    for absent in ("context_length", "max_output_tokens", "pricing"):
        assert absent not in record
    assert "lifecycle" not in record["modelatlas"] and "capabilities" not in record["modelatlas"]
    assert skipped == Counter({"id is empty or whitespace": 1, "id contains control characters": 1})


def test_cost_tiers_become_long_context_tiers() -> None:
    raw = loads(
        """{"google": {"id": "google", "models": {"gemini-9-pro": {"name": "Gemini 9 Pro",
            "cost": {"input": 1.25, "output": 10, "cache_read": 0.125,
                     "tiers": [{"input": 2.5, "output": 15, "cache_read": 0.25, "tier": {"size": 200000}}]}},
          "gemini-8-pro": {"name": "old shape", "cost": {"input": 1, "context_over_200k": {"input": 2}}}}}}"""
    )
    by_id = _by_id(models_dev.normalize(raw))
    assert by_id["gemini/gemini-9-pro"]["modelatlas"]["context_tiers"] == [{
        "above_input_tokens": 200000, "billing": "whole_request", "source": "models.dev",
        "pricing": {"completion": "0.000015", "input_cache_read": "0.00000025", "prompt": "0.0000025"},
    }]
    (old,) = by_id["gemini/gemini-8-pro"]["modelatlas"]["context_tiers"]
    assert old["above_input_tokens"] == 200000 and old["pricing"] == {"prompt": "0.000002"}
