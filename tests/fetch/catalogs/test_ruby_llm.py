"""ruby_llm's registry over a cut of the real file (tests/fixtures/sources/ruby_llm_cut.json)."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from modelatlas.fetch.catalogs import ruby_llm
from modelatlas.jsonio import load_path
from modelatlas.schema import iter_violations
from tests.paths import FIXTURES

FIXTURE = FIXTURES / "sources" / "ruby_llm_cut.json"


@pytest.fixture(scope="module")
def normalized() -> tuple[dict, Counter]:
    skipped: Counter[str] = Counter()
    return ruby_llm.normalize(load_path(FIXTURE), skipped), skipped


def model(normalized: tuple[dict, Counter], provider: str, upstream: str) -> dict:
    return next(r for r in normalized[0][provider] if r["modelatlas"]["upstream_id"] == upstream)


def test_providers_and_skips(normalized: tuple[dict, Counter]) -> None:
    result, skipped = normalized
    ids = {p: [r["modelatlas"]["upstream_id"] for r in recs] for p, recs in result.items()}
    assert ids == {
        "bedrock": ["amazon.nova-2-sonic-v1:0"],
        "mistral": ["codestral-2508"],
        "ollama": ["deepseek-v4-pro:0813"],  # ollama_cloud
        "openai": ["babbage-002", "chat-latest"],
        "openrouter": ["anthropic/claude-haiku-4.5:batch"],
        "perplexity": ["anthropic/claude-haiku-4-5"],
    }  # deepgram is not one of ours
    assert skipped == Counter(
        {
            "copy of models.dev (read directly)": 1,  # anthropic claude-fable-5
            "ruby_llm's own hand-kept id list (no provider list behind it)": 1,  # vertexai gemini-1.5-flash
            "nothing beyond an id": 1,  # azure AI21-Jamba-1.5-Large (a $0.50 / $1.50 fallback only)
        }
    )
    for records in result.values():
        for record in records:
            assert list(iter_violations("model", record, record["id"])) == []
            assert set(record["modelatlas"]["provenance"].values()) <= {"ruby_llm"}


def test_names_and_creation_times(normalized: tuple[dict, Counter]) -> None:
    babbage = model(normalized, "openai", "babbage-002")
    assert babbage["created"] == 1692634615  # "2023-08-21 16:16:55 UTC"
    assert "name" not in babbage  # ruby_llm's name is just the id
    assert babbage["owned_by"] == "system"  # OpenAI's own list says so
    assert model(normalized, "bedrock", "amazon.nova-2-sonic-v1:0")["owned_by"] == "Amazon"
    codestral = model(normalized, "mistral", "codestral-2508")
    # ruby_llm makes Mistral's names itself ("Codestral" for every codestral* id): not a name
    assert "name" not in codestral and codestral["created"] == 1756504800


def test_fallback_limits_and_prices_are_not_facts(normalized: tuple[dict, Counter]) -> None:
    record = model(normalized, "openai", "chat-latest")  # ruby_llm: 4096 / 16384, $0.50 / $1.50
    assert "pricing" not in record and "context_length" not in record
    assert "max_output_tokens" not in record


def test_provider_list_prices_are_exact(normalized: tuple[dict, Counter]) -> None:
    batch = model(normalized, "openrouter", "anthropic/claude-haiku-4.5:batch")
    assert batch["pricing"]["prompt"] == "0.0000005"  # 0.5 per 1M
    # 0.049999999999999996 per 1M in the file (float noise): 12 significant digits
    assert batch["pricing"]["input_cache_read"] == "0.00000005"
    assert batch["context_length"] == 200000
    perplexity = model(normalized, "perplexity", "anthropic/claude-haiku-4-5")
    assert perplexity["pricing"]["completion"] == "0.000005"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2023-08-21 16:16:55 UTC", 1692634615),
        ("2026-04-24T00:00:00Z", 1776988800),
        ("soon", None),
        (None, None),
    ],
)
def test_created(value: object, expected: int | None) -> None:
    assert ruby_llm.created(value) == expected


def test_not_a_list_and_env_override(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    skipped: Counter[str] = Counter()
    assert ruby_llm.normalize({"data": []}, skipped) == {}
    assert skipped == Counter({"catalog is not a JSON list": 1})
    path = tmp_path / "models.json"
    path.write_text(
        '[{"id": "m", "provider": "openrouter", "pricing": {"text_tokens": {"standard": '
        '{"input_per_million": 0.1}}}}]'
    )
    monkeypatch.setenv(ruby_llm.ENV_VAR, str(path))
    raw = ruby_llm.load()
    assert raw[0]["pricing"]["text_tokens"]["standard"]["input_per_million"] == Decimal("0.1")
    assert ruby_llm.normalize(raw)["openrouter"][0]["pricing"]["prompt"] == "0.0000001"


def test_a_provider_lists_long_context_price_is_a_tier() -> None:
    raw = [{"id": "x/long", "name": "Long", "provider": "openrouter", "metadata": {},
            "pricing": {"text_tokens": {"standard": {"input_per_million": 1, "output_per_million": 4},
                                        "long_context": {"input_per_million": 2, "output_per_million": 6},
                                        "long_context_threshold": 272000}}}]
    (record,) = ruby_llm.normalize(raw)["openrouter"]
    assert record["modelatlas"]["context_tiers"] == [{
        "above_input_tokens": 272000, "billing": "whole_request", "source": "ruby_llm",
        "pricing": {"completion": "0.000006", "prompt": "0.000002"},
    }]


def test_names_ruby_llm_makes_from_the_id_are_left_out_only_where_the_provider_says_so() -> None:
    raw = [
        {"id": "zai-glm-5-2", "name": "Zai Glm 5 2", "provider": "mistral", "created_at": "2026-05-01"},
        {"id": "gemini-pro-latest", "name": "Gemini Pro Latest", "provider": "gemini"},
    ]
    result = ruby_llm.normalize(raw)
    assert "name" not in result["mistral"][0]  # Mistral: ruby_llm_names=False
    assert result["gemini"][0]["name"] == "Gemini Pro Latest"  # Gemini's list's displayName
