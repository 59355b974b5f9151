"""A model page shows per-query prices in their own units; region and tier prices are in its price
table (tests/render/test_price_table.py)."""

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
    assert values["modelatlas.pricing_variants"] == "2 in the price table above"
