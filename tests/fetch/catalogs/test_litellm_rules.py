"""LiteLLM: regions, tiers, units and aliases over real entries
(tests/fixtures/sources/litellm_rules_cut.json)."""

from __future__ import annotations

from collections import Counter

import pytest

from modelatlas.fetch.catalogs import litellm
from modelatlas.jsonio import load_path
from modelatlas.schema import iter_violations
from tests.paths import FIXTURES

FIXTURE = FIXTURES / "sources" / "litellm_rules_cut.json"


@pytest.fixture(scope="module")
def normalized() -> tuple[dict, Counter]:
    skipped: Counter[str] = Counter()
    return litellm.normalize(load_path(FIXTURE), skipped), skipped


def model(normalized: tuple[dict, Counter], provider: str, upstream: str) -> dict:
    return next(r for r in normalized[0][provider] if r["modelatlas"]["upstream_id"] == upstream)


def test_govcloud_price_never_becomes_the_plain_price(normalized: tuple[dict, Counter]) -> None:
    haiku = model(normalized, "bedrock", "anthropic.claude-3-haiku-20240307-v1:0")
    assert "pricing" not in haiku  # LiteLLM has only us-gov keys for it: no plain price
    assert "lifecycle" not in haiku["modelatlas"]  # nor the us-gov key's successor
    assert haiku["modelatlas"]["pricing_variants"] == [
        {
            "region": "us-gov-east-1",
            "pricing": {"completion": "0.0000015", "prompt": "0.0000003"},
            "source": "litellm",
        },
        {
            "region": "us-gov-west-1",
            "pricing": {"completion": "0.0000015", "prompt": "0.0000003"},
            "source": "litellm",
        },
    ]
    sonnet = model(normalized, "bedrock", "anthropic.claude-sonnet-4-5-20250929-v1:0")
    assert sonnet["pricing"]["prompt"] == "0.000003"
    assert {v.get("region") for v in sonnet["modelatlas"]["pricing_variants"]} == {None, "us-gov-east-1"}
    for record in (haiku, sonnet):
        assert list(iter_violations("model", record, record["id"])) == []


def test_geo_and_global_profiles_keep_their_own_prices(normalized: tuple[dict, Counter]) -> None:
    us = model(normalized, "bedrock", "us.anthropic.claude-sonnet-4-5-20250929-v1:0")
    world = model(normalized, "bedrock", "global.anthropic.claude-sonnet-4-5-20250929-v1:0")
    assert (us["pricing"]["prompt"], us["pricing"]["completion"]) == ("0.0000033", "0.0000165")
    assert (world["pricing"]["prompt"], world["pricing"]["completion"]) == ("0.000003", "0.000015")
    assert us["modelatlas"]["lifecycle"]["successor"] == "bedrock/us.anthropic.claude-sonnet-5-5"


def test_tier_prices_are_variants(normalized: tuple[dict, Counter]) -> None:
    image = model(normalized, "gemini", "gemini-3-pro-image-preview")
    tiers = {v["tier"]: v["pricing"] for v in image["modelatlas"]["pricing_variants"]}
    assert tiers["batch"] == {"completion": "0.000006", "prompt": "0.000001"}
    assert tiers["priority"] == {"completion": "0.0000216", "prompt": "0.0000036"}
    assert image["pricing"]["prompt"] == "0.000002"  # the standard price stays the plain one


def test_azure_zones_are_variants(normalized: tuple[dict, Counter]) -> None:
    gpt = model(normalized, "azure", "gpt-4o")
    zones = {
        v["region"]: v["pricing"]["prompt"] for v in gpt["modelatlas"]["pricing_variants"] if "tier" not in v
    }
    assert zones == {"eu": "0.00000275", "us": "0.00000275"}
    assert gpt["pricing"]["prompt"] == "0.0000025"
    mini = model(normalized, "azure", "gpt-4o-mini")
    assert "global-standard" in {v.get("region") for v in mini["modelatlas"]["pricing_variants"]}


def test_rerank_is_priced_per_query_not_free(normalized: tuple[dict, Counter]) -> None:
    for provider, upstream in (("cohere", "rerank-english-v3.0"), ("bedrock", "cohere.rerank-v3-5:0")):
        rerank = model(normalized, provider, upstream)
        assert rerank["modelatlas"]["extra_pricing"]["query"] == "0.002"  # $2 per 1,000 searches
        assert "pricing" not in rerank  # the per-token 0 placeholders are gone
    assert normalized[1]["per-token 0 of a model billed per query, image, second or character"] >= 4


def test_embedding_price_in_the_wrong_unit_is_left_out(normalized: tuple[dict, Counter]) -> None:
    light = model(normalized, "cohere", "embed-multilingual-light-v3.0")
    assert "prompt" not in light.get("pricing", {})  # 0.0001 per "token" = $100 per 1M
    english = model(normalized, "cohere", "embed-english-v3.0")
    assert english["pricing"]["prompt"] == "0.0000001" and english["pricing"]["image"] == "0.0001"
    assert normalized[1]["embedding token price above $10 per 1M tokens (not a per-token price)"] == 1


def test_image_output_tokens_are_not_completion_tokens(normalized: tuple[dict, Counter]) -> None:
    image = model(normalized, "gemini", "gemini-3-pro-image-preview")
    assert image["pricing"]["completion"] == "0.000012"  # $12 per 1M text tokens
    assert image["modelatlas"]["extra_pricing"]["output_image_token"] == "0.00012"  # $120 per 1M
    assert image["modelatlas"]["extra_pricing"]["output_image"] == "0.134"


def test_latest_alias_resolves_to_the_newest_dated_model(normalized: tuple[dict, Counter]) -> None:
    latest = model(normalized, "mistral", "mistral-medium-latest")
    assert latest["modelatlas"]["alias_of"] == "mistral-medium-2604"
    assert latest["modelatlas"]["provenance"]["modelatlas.alias_of"] == "litellm"
    assert latest["pricing"] == model(normalized, "mistral", "mistral-medium-2604")["pricing"]
