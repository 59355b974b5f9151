"""LiteLLM normalization over a cut of the real file (tests/fixtures/sources/litellm_cut.json)."""

from __future__ import annotations

from collections import Counter

import pytest

from modelatlas.fetch.catalogs import litellm
from modelatlas.jsonio import load_path
from modelatlas.schema import iter_violations
from tests.paths import FIXTURES

FIXTURE = FIXTURES / "sources" / "litellm_cut.json"


@pytest.fixture(scope="module")
def normalized() -> tuple[dict, Counter]:
    skipped: Counter[str] = Counter()
    return litellm.normalize(load_path(FIXTURE), skipped), skipped


def test_provider_mapping_and_key_prefixes(normalized: tuple[dict, Counter]) -> None:
    result, _ = normalized
    ids = {p: sorted(r["modelatlas"]["upstream_id"] for r in recs) for p, recs in result.items()}
    assert ids == {
        "azure": ["claude-opus-5-5", "gpt-4o", "gpt-4o-2024-08-06"],  # azure, azure_ai; azure/eu/ a variant
        "bedrock": ["global.anthropic.claude-opus-5-5", "zai.glm-5"],  # bedrock_converse; region a variant
        "cerebras": ["gpt-oss-120b"],
        "cohere": ["command-r-08-2024"],  # cohere_chat
        "elevenlabs": ["eleven_v3"],
        "gemini": ["gemini-2.5-pro"],
        "groq": ["openai/gpt-oss-120b"],  # groq/ prefix stripped, vendor namespace kept
        "mistral": ["codestral-latest"],  # codestral + text-completion-codestral
        "ollama": ["llama3"],
        "openai": ["babbage-002", "gpt-4o", "gpt-4o-mini-tts", "text-embedding-3-small", "whisper-1"],
        "perplexity": ["sonar"],
        "vertex": ["claude-haiku-4-5@20251001"],  # vertex_ai-anthropic_models
    }


def test_skip_reasons_are_counted(normalized: tuple[dict, Counter]) -> None:
    _, skipped = normalized
    assert skipped["alias_of entry (target listed under its own key)"] == 2
    # 1024-x-1024/50-steps/..., high/1024-x-1024/...
    assert skipped["size/step-priced image variant key"] == 2
    assert skipped["fine-tuning price template key"] == 1
    assert skipped["routing or documentation key"] == 1  # fallback_generalizations
    assert skipped["routing key with an unknown prefix"] == 1  # azure_ai/doc-intelligence/prebuilt-read
    assert skipped["duplicate key for the same model"] == 1  # codestral/ and text-completion-codestral/


def _record(result: dict, provider: str, upstream: str) -> dict:
    return next(r for r in result[provider] if r["modelatlas"]["upstream_id"] == upstream)


def test_chat_model_fields(normalized: tuple[dict, Counter]) -> None:
    record = _record(normalized[0], "openai", "gpt-4o")
    assert record["pricing"]["prompt"] == "0.0000025"  # 2.5e-06 in the file
    assert record["pricing"]["completion"] == "0.00001"
    assert record["modelatlas"]["mode"] == "chat"
    assert "chat_completion" in record["supported_methods"]
    assert record["max_input_tokens"] == 128000 and record["context_length"] == 128000
    assert record["modelatlas"]["capabilities"]["tool_call"] is True
    assert record["modelatlas"]["lifecycle"]["retirement_date"] == "2027-01-14"
    assert all(source == "litellm" for source in record["modelatlas"]["provenance"].values())
    assert list(iter_violations("model", record, record["id"])) == []


def test_region_keys_become_variants_never_the_plain_price() -> None:
    raw = {
        "bedrock/ap-south-1/zai.glm-5": {"litellm_provider": "bedrock", "input_cost_per_token": 3e-06},
        "zai.glm-5": {"litellm_provider": "bedrock", "input_cost_per_token": 1e-06},
        "bedrock/us-east-1/zai.glm-5": {"litellm_provider": "bedrock", "input_cost_per_token": 2e-06},
        "azure/eu/gpt-x": {"litellm_provider": "azure", "input_cost_per_token": 5e-06, "mode": "chat"},
    }
    skipped: Counter[str] = Counter()
    result = litellm.normalize(raw, skipped)
    (glm,) = result["bedrock"]
    assert glm["pricing"] == {"prompt": "0.000001"}
    assert glm["modelatlas"]["pricing_variants"] == [
        {"region": "ap-south-1", "pricing": {"prompt": "0.000003"}, "source": "litellm"},
        {"region": "us-east-1", "pricing": {"prompt": "0.000002"}, "source": "litellm"},
    ]
    # only a zone-prefixed key: it names the model, but its price stays the zone's
    (gpt,) = result["azure"]
    assert gpt["id"] == "azure/gpt-x" and "pricing" not in gpt and gpt["modelatlas"]["mode"] == "chat"
    assert gpt["modelatlas"]["pricing_variants"] == [
        {"region": "eu", "pricing": {"prompt": "0.000005"}, "source": "litellm"}
    ]
    assert not skipped
    for record in (glm, gpt):
        assert list(iter_violations("model", record, record["id"])) == []


def test_speech_and_transcription_prices_go_to_extra_pricing(normalized: tuple[dict, Counter]) -> None:
    speech = _record(normalized[0], "elevenlabs", "eleven_v3")
    assert speech["modelatlas"]["mode"] == "audio_speech" and speech["supported_methods"] == ["speech"]
    assert speech["modelatlas"]["extra_pricing"] == {"input_character": "0.00008"}
    assert "context_length" not in speech
    whisper = _record(normalized[0], "openai", "whisper-1")
    assert whisper["supported_methods"] == ["transcription"]
    assert whisper["modelatlas"]["extra_pricing"]["input_second"] == "0.0001"


def test_unknown_mode_is_other_and_unmapped_provider_ignored() -> None:
    raw = {
        "x-model": {"litellm_provider": "openai", "mode": "evaluation", "input_cost_per_token": 1e-06},
        "fw": {"litellm_provider": "fireworks_ai", "mode": "chat"},
        "vertex_ai/claude-x": {"litellm_provider": "vertex_ai-anthropic_models", "mode": "chat"},
    }
    result = litellm.normalize(raw)
    assert set(result) == {"openai", "vertex"}
    assert result["openai"][0]["modelatlas"]["mode"] == "other"
    assert result["openai"][0]["pricing"]["prompt"] == "0.000001"  # a float input, exact output
    assert result["vertex"][0]["id"] == "vertex/claude-x"


def test_above_threshold_keys_become_long_context_tiers_of_their_sheet() -> None:
    entry = {
        "litellm_provider": "gemini", "mode": "chat",
        "input_cost_per_token": 1.25e-06, "output_cost_per_token": 1e-05,
        "input_cost_per_token_above_200k_tokens": 2.5e-06, "output_cost_per_token_above_200k_tokens": 1.5e-05,
        "cache_read_input_token_cost_above_200k_tokens": 2.5e-07,
        "cache_creation_input_token_cost_above_1hr_above_200k_tokens": 1.2e-05,
        "input_cost_per_token_batches": 6.25e-07,
        "input_cost_per_token_above_200k_tokens_batches": 1.25e-06,
        "cache_creation_input_token_cost_above_12hr_above_272k_tokens": 9e-06,  # no field for 12-hour writes
    }
    (record,) = litellm.normalize({"gemini/gemini-9-pro": entry})["gemini"]
    assert record["modelatlas"]["context_tiers"] == [{
        "above_input_tokens": 200000, "billing": "whole_request", "source": "litellm",
        "pricing": {"completion": "0.000015", "input_cache_read": "0.00000025", "prompt": "0.0000025"},
        "extra_pricing": {"input_cache_write_1h": "0.000012"},
    }]
    assert record["modelatlas"]["provenance"]["modelatlas.context_tiers"] == "litellm"
    (batch,) = record["modelatlas"]["pricing_variants"]
    assert batch["tier"] == "batch" and batch["context_tiers"][0]["pricing"] == {"prompt": "0.00000125"}
