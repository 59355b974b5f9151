"""The price contract's last step (fetch/price_contract.py), the fields a model is not billed for
(fetch/record_prices.py) and the same model elsewhere (fetch/siblings.py)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from modelatlas.fetch.price_contract import (
    apply_not_billed,
    authoritative,
    drop_placeholders,
    fix_limits,
    mark_disputed,
)
from modelatlas.fetch.record_prices import kind_not_billed, rules_not_billed
from modelatlas.fetch.settlement import Settlements, Step
from modelatlas.fetch.siblings import SiblingIndex, check_siblings, dated_base, partners, sibling_key
from tests.fetch.records import rec


def test_what_a_models_kind_rules_out() -> None:
    embedding = rec("bedrock", "amazon.titan-embed-image-v1", modelatlas__mode="embedding")
    assert kind_not_billed(embedding) == {"pricing.completion", "pricing.internal_reasoning"}
    whisper = rec(
        "openrouter",
        "openai/whisper-1",
        architecture__input_modalities=["audio"],
        architecture__output_modalities=["text"],
    )
    assert kind_not_billed(whisper) == {"pricing.prompt"}  # no text in: its 0.006 is per minute
    speech = rec(
        "openai",
        "gpt-4o-mini-tts",
        architecture__input_modalities=["text"],
        architecture__output_modalities=["audio"],
    )
    assert kind_not_billed(speech) == {"pricing.completion", "pricing.internal_reasoning"}
    rerank = rec("cohere", "rerank-v3.5", modelatlas__mode="rerank", modelatlas__extra_pricing__query="0.002")
    assert "pricing.prompt" in kind_not_billed(rerank)
    assert rules_not_billed("openai", "gpt-4o", rec("openai", "gpt-4o")) == {
        "pricing.input_cache_write": "openai-cache-write-free-before-gpt-5.6"
    }
    assert rules_not_billed("openai", "gpt-5.6-sol", rec("openai", "gpt-5.6-sol")) == {}


def test_a_not_billed_field_is_absent_everywhere_unless_a_curated_fact_prices_it() -> None:
    record = rec(
        "bedrock", "amazon.titan-embed-image-v1", pricing__prompt="0.0000008", pricing__completion="0.000025"
    )
    record["modelatlas"]["not_billed"] = ["pricing.completion"]
    record["modelatlas"]["pricing_variants"] = [
        {"tier": "batch", "source": "portkey", "pricing": {"prompt": "0.0000004", "completion": "0.0000125"}}
    ]
    apply_not_billed(record)
    assert record["pricing"] == {"prompt": "0.0000008"}
    assert record["modelatlas"]["pricing_variants"][0]["pricing"] == {"prompt": "0.0000004"}
    curated = rec("openai", "m", source="curated", pricing__input_cache_write="0.000001")
    curated["modelatlas"]["not_billed"] = ["pricing.input_cache_write"]
    apply_not_billed(curated)
    assert (
        curated["pricing"] == {"input_cache_write": "0.000001"} and "not_billed" not in curated["modelatlas"]
    )


def test_a_catalog_zero_beside_a_price_is_a_placeholder_but_a_stated_zero_stands() -> None:
    catalog = rec(
        "azure", "m", source="portkey", pricing__prompt="0.00000071", pricing__input_cache_write="0"
    )
    drop_placeholders("azure", catalog)
    assert catalog["pricing"] == {"prompt": "0.00000071"}
    stated = rec("openrouter", "a/b", source="openrouter", pricing__prompt="0.000001", pricing__request="0")
    drop_placeholders("openrouter", stated)  # OpenRouter's own list: no per-request fee
    assert stated["pricing"] == {"prompt": "0.000001", "request": "0"}
    unit = rec("openrouter", "openai/whisper-1", source="ruby_llm", pricing__prompt="0.006")
    drop_placeholders("groq", unit)
    assert "pricing" not in unit  # $6,000 per 1M tokens is no token price


def test_limits_stay_inside_the_window_and_embeddings_have_no_output_limit() -> None:
    record = rec("mistral", "m", context_length=128000, max_output_tokens=262144, max_input_tokens=128000)
    fix_limits(record)
    assert record.get("max_output_tokens") is None and record["max_input_tokens"] == 128000
    embedding = rec("azure", "e", modelatlas__mode="embedding", context_length=512, max_output_tokens=512)
    fix_limits(embedding)
    assert "max_output_tokens" not in embedding


def index(*entries: tuple[str, str, str, str]) -> SiblingIndex:
    catalogs: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for source, provider, upstream, prompt in entries:
        catalogs.setdefault(source, {}).setdefault(provider, []).append(
            rec(provider, upstream, source, pricing__prompt=prompt)
        )
    return SiblingIndex.build(catalogs)


def test_siblings_a_price_8x_from_all_of_them_cannot_stand_and_one_2x_from_a_consensus_is_disputed() -> None:
    kimi = rec("azure", "Kimi-K3", source="portkey", pricing__prompt="0.000033")
    siblings = index(
        ("openrouter", "openrouter", "moonshotai/kimi-k3", "0.000003"),
        ("litellm", "bedrock", "moonshotai.kimi-k3", "0.0000033"),
    )
    settlements = Settlements()
    check_siblings("azure", kimi, siblings, settlements, authoritative)
    assert "pricing" not in kimi
    assert kimi["modelatlas"]["conflicts"]["pricing.prompt"]["portkey"] == "0.000033"
    assert settlements.step("azure/Kimi-K3", "pricing.prompt") == Step.UNSETTLED
    large = rec("mistral", "mistral-large-2407", source="portkey", pricing__prompt="0.0000005")
    hosts = index(
        ("litellm", "bedrock", "mistral.mistral-large-2407-v1:0", "0.000002"),
        ("openrouter", "openrouter", "mistralai/mistral-large-2407", "0.000002"),
    )
    check_siblings("mistral", large, hosts, settlements, authoritative)
    assert large["pricing"]["prompt"] == "0.0000005"  # kept, but disputed with the evidence beside it
    assert settlements.step("mistral/mistral-large-2407", "pricing.prompt") == Step.UNSETTLED
    mark_disputed("mistral", large, settlements)
    assert large["modelatlas"]["disputed"] == ["pricing.prompt"]
    host = rec("cerebras", "gpt-oss-120b", pricing__prompt="0.00000035")  # a host's own price
    check_siblings("cerebras", host, hosts, settlements, authoritative)
    check_siblings(
        "cerebras",
        host,
        index(
            ("litellm", "groq", "openai/gpt-oss-120b", "0.00000015"),
            ("litellm", "azure", "gpt-oss-120b", "0.00000015"),
        ),
        settlements,
        authoritative,
    )
    assert settlements.step("cerebras/gpt-oss-120b", "pricing.prompt") is None


def test_sibling_keys_and_partners() -> None:
    same = {
        sibling_key(p, u)
        for p, u in [
            ("bedrock", "eu.anthropic.claude-sonnet-4-5-20250929-v1:0"),
            ("anthropic", "claude-sonnet-4-5"),
            ("vertex", "claude-sonnet-4-5@20250929"),
            ("openrouter", "anthropic/claude-sonnet-4.5"),
        ]
    }
    assert len(same) == 1
    assert sibling_key("mistral", "mistral-large-2407") != sibling_key("mistral", "mistral-large-2411")
    assert dated_base("o1-mini-2024-09-12") == "o1-mini" and dated_base("mistral-large-2411") is None
    assert partners(
        ["o1-mini", "o1-mini-2024-09-12", "gpt-4o", "gpt-4o-2024-05-13", "gpt-4o-2024-08-06"]
    ) == {"o1-mini": "o1-mini-2024-09-12", "o1-mini-2024-09-12": "o1-mini"}  # gpt-4o has two snapshots


def test_a_first_party_price_dispute_settled_only_by_inference_stays_listed() -> None:
    settlements = Settlements()
    settlements.settle("openai/x", "pricing.prompt", Step.AGREEMENT, spread=Decimal("0.5"))
    settlements.settle("azure/x", "pricing.prompt", Step.AGREEMENT, spread=Decimal("0.5"))
    first, host = rec("openai", "x"), rec("azure", "x")
    mark_disputed("openai", first, settlements)
    mark_disputed("azure", host, settlements)
    assert first["modelatlas"]["disputed"] == ["pricing.prompt"] and "disputed" not in host["modelatlas"]
    settlements.overrule("openai/x", "pricing.prompt", Step.CURATED)
    assert settlements.disputed("openai/x", first_party=True) == []
    assert settlements.summary() == {"agreement": 1, "curated": 1}


def test_a_subscription_model_has_no_per_use_price() -> None:
    from modelatlas.fetch.price_contract import drop_subscription_zeros

    record = rec(
        "ollama",
        "gpt-oss:120b-cloud",
        pricing__prompt="0",
        pricing__completion="0",
        modelatlas__offering="subscription",
    )
    drop_subscription_zeros(record)
    assert "pricing" not in record
