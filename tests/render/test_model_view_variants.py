"""A model page shows region and tier prices and per-query prices in their own units."""

from __future__ import annotations

from modelatlas.render.model_view import field_sections


def test_pricing_variants_and_query_prices_are_readable() -> None:
    record = {
        "id": "bedrock/anthropic.claude-3-haiku-20240307-v1:0",
        "pricing": {"prompt": "0.00000025"},
        "modelatlas": {
            "provider": "bedrock",
            "upstream_id": "anthropic.claude-3-haiku-20240307-v1:0",
            "extra_pricing": {"query": "0.002"},
            "pricing_variants": [
                {"region": "us-gov-east-1", "pricing": {"prompt": "0.0000003"}, "source": "litellm"},
                {"tier": "batch", "pricing": {"prompt": "0.000000125"}, "source": "portkey"},
            ],
            "provenance": {
                "pricing.prompt": "portkey",
                "modelatlas.extra_pricing.query": "litellm",
                "modelatlas.pricing_variants": "litellm",
            },
        },
    }
    (prices,) = [s for s in field_sections(record) if s["title"] == "Prices"]
    values = {row["path"]: row["value"] for row in prices["rows"]}
    assert values["modelatlas.extra_pricing.query"] == "$0.002 per rerank query"
    variants = values["modelatlas.pricing_variants"]
    assert "us-gov-east-1: prompt $0.30 per 1M tokens" in variants and "(LiteLLM)" in variants
    assert "batch: prompt $0.125 per 1M tokens" in variants and "(Portkey)" in variants


def test_long_context_tiers_not_billed_and_disputed_fields_are_shown_in_words() -> None:
    record = {
        "id": "openai/whisper-x",
        "pricing": {"prompt": "0.000003"},
        "modelatlas": {
            "provider": "openai",
            "upstream_id": "whisper-x",
            "extra_pricing": {"input_minute": "0.006"},
            "context_tiers": [{"above_input_tokens": 200000, "billing": "whole_request",
                               "pricing": {"prompt": "0.000006"}, "source": "rule:anthropic-long-context"}],
            "not_billed": ["pricing.completion"],
            "disputed": ["pricing.prompt"],
            "provenance": {
                "pricing.prompt": "derived:azure/whisper-x",
                "modelatlas.extra_pricing.input_minute": "curated",
            },
        },
    }
    (prices,) = [s for s in field_sections(record) if s["title"] == "Prices"]
    rows = {row["path"]: row for row in prices["rows"]}
    assert rows["modelatlas.extra_pricing.input_minute"]["value"] == "$0.006 per minute"
    assert rows["modelatlas.context_tiers"]["value"] == (
        "above 200,000 input tokens, the whole request: prompt $6.00 per 1M tokens ($0.000006 per token) "
        "(the provider's rule anthropic-long-context)")
    assert rows["modelatlas.not_billed"]["value"].startswith("completion (does not apply to this model")
    assert rows["modelatlas.disputed"]["value"].startswith("prompt (the sources disagree")
    assert rows["pricing.prompt"]["source"] == "from azure/whisper-x"
