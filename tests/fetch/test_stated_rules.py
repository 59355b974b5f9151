"""The pricing rules providers state, as declared in their modules and applied to merged records
(fetch/stated_rules.py). Each rule quotes its page; these tests pin what each kind of rule does."""

from __future__ import annotations

from typing import Any

import pytest

from modelatlas.fetch.providers import registry
from modelatlas.fetch.providers.price_rules import Evidence, PriceRule, claude, gpt_version, openai_models
from modelatlas.fetch.settlement import Settlements
from modelatlas.fetch.stated_rules import apply_price_rules


def record(provider: str, upstream: str, source: str = "litellm", **prices: str) -> dict[str, Any]:
    pricing = {k: v for k, v in prices.items() if k != "input_cache_write_1h"}
    extension: dict[str, Any] = {"provider": provider, "upstream_id": upstream}
    extension["provenance"] = {f"pricing.{k}": source for k in pricing}
    if "input_cache_write_1h" in prices:
        extension["extra_pricing"] = {"input_cache_write_1h": prices["input_cache_write_1h"]}
        extension["provenance"]["modelatlas.extra_pricing.input_cache_write_1h"] = source
    return {"id": f"{provider}/{upstream}", "pricing": pricing, "modelatlas": extension}


def run(provider: str, *records: dict[str, Any]) -> Settlements:
    settlements = Settlements()
    apply_price_rules(provider, list(records), settlements)
    return settlements


def test_every_declared_rule_quotes_its_page() -> None:
    rules = [rule for provider in registry.PROVIDERS for rule in provider.price_rules]
    assert len(rules) >= 15 and len({r.id for r in rules}) == len(rules)
    for rule in rules:
        assert rule.evidence.url.startswith("https://") and len(rule.evidence.quote) >= 20, rule.id
    with pytest.raises(ValueError, match="rule id"):
        PriceRule(
            "Bad Id", claude(), registry.declared("openai").price_rules[0].effect, Evidence("https://x", "q")
        )


def test_claude_and_gpt_versions_are_read_from_the_name() -> None:
    since = claude(since=(4, 5))
    assert (
        since("claude-sonnet-4-5-20250929-v1:0")
        and since("claude-opus-4-6")
        and since("claude-mythos-preview")
    )
    assert not since("claude-opus-4-1-20250805") and not since("claude-sonnet-4-20250514")
    assert not since("claude-3-7-sonnet-20250219") and not since("gpt-4o")
    assert (
        gpt_version("gpt-5.6-sol") == (5, 6) and gpt_version("gpt-4o") == (4, 0) and gpt_version("o3") is None
    )
    before = openai_models(before=(5, 6))
    assert before("gpt-5.5") and before("o4-mini") and before("text-embedding-3-small")
    assert not before("gpt-5.6-sol") and not before("gpt-6-astra") and not before("gpt-oss-120b")


def test_anthropic_cache_multipliers_batch_and_the_sonnet_4_5_long_context_tier() -> None:
    sonnet = record(
        "anthropic",
        "claude-sonnet-4-5",
        prompt="0.000003",
        completion="0.000015",
        input_cache_read="0.0000003",
        input_cache_write="0",
    )
    settlements = run("anthropic", sonnet)
    assert sonnet["pricing"]["input_cache_write"] == "0.00000375"  # 1.25x: the catalog's "0" was wrong
    assert (
        sonnet["modelatlas"]["provenance"]["pricing.input_cache_write"]
        == "rule:anthropic-cache-write-5m-1.25x"
    )
    assert sonnet["modelatlas"]["conflicts"]["pricing.input_cache_write"] == {
        "litellm": "0",
        "rule:anthropic-cache-write-5m-1.25x": "0.00000375",
    }
    assert settlements.step("anthropic/claude-sonnet-4-5", "pricing.input_cache_write").startswith("rule:")
    assert sonnet["modelatlas"]["extra_pricing"]["input_cache_write_1h"] == "0.000006"  # 2x
    (tier,) = sonnet["modelatlas"]["context_tiers"]
    assert tier["above_input_tokens"] == 200000 and tier["billing"] == "whole_request"
    assert tier["pricing"] == {
        "prompt": "0.000006",
        "completion": "0.0000225",
        "input_cache_read": "0.0000006",
        "input_cache_write": "0.0000075",
    }
    assert tier["extra_pricing"] == {"input_cache_write_1h": "0.000012"}
    (batch,) = sonnet["modelatlas"]["pricing_variants"]
    assert batch["tier"] == "batch" and batch["pricing"]["prompt"] == "0.0000015"
    assert batch["pricing"]["input_cache_read"] == "0.00000015"  # cache multipliers stack on the batch price
    assert batch["context_tiers"][0]["pricing"]["prompt"] == "0.000003"


def test_anthropic_exceptions_and_what_rules_never_override() -> None:
    fable = record(
        "anthropic", "claude-fable-5-1", prompt="0.00001", completion="0.00005", input_cache_read="0.000001"
    )
    haiku3 = record(
        "anthropic",
        "claude-3-haiku-20240307",
        prompt="0.00000025",
        input_cache_read="0.00000003",
        input_cache_write="0.0000003",
    )
    curated = record(
        "anthropic",
        "claude-opus-4-1-20250805",
        source="curated",
        prompt="0.000015",
        input_cache_read="0.0000016",
    )
    opus46 = record("anthropic", "claude-opus-4-6", prompt="0.000005")
    opus46["modelatlas"]["context_tiers"] = [
        {
            "above_input_tokens": 200000,
            "billing": "whole_request",
            "pricing": {"prompt": "0.00001"},
            "source": "models.dev",
        }
    ]
    opus46["modelatlas"]["provenance"]["modelatlas.context_tiers"] = "models.dev"
    run("anthropic", fable, haiku3, curated, opus46)
    assert fable["pricing"]["input_cache_read"] == "0.00000025"  # 0.025x on Fable 5.1
    assert haiku3["pricing"]["input_cache_read"] == "0.00000003"  # the page's own (rounded) row stands
    assert haiku3["pricing"]["input_cache_write"] == "0.0000003"
    assert curated["pricing"]["input_cache_read"] == "0.0000016"  # a curated fact outranks every rule
    assert "context_tiers" not in opus46["modelatlas"]  # 4.6 and later: the whole window at standard price


def test_bedrock_regional_premium_reaches_in_region_and_geo_ids_from_the_global_profile() -> None:
    base = "anthropic.claude-sonnet-4-5-20250929-v1:0"
    global_ = record("bedrock", f"global.{base}", prompt="0.000003", completion="0.000015")
    global_["modelatlas"]["pricing_variants"] = [
        {"tier": "batch", "pricing": {"prompt": "0.0000015"}, "source": "litellm"}
    ]
    in_region = record("bedrock", base, prompt="0.000003", completion="0.000015")  # "every catalog says $3"
    eu = record("bedrock", f"eu.{base}", prompt="0.0000033", completion="0.0000165")
    older = record("bedrock", "eu.anthropic.claude-opus-4-1-20250805-v1:0", prompt="0.000015")
    run("bedrock", eu, in_region, older, global_)
    for premium in (in_region, eu):
        assert premium["pricing"] == {"completion": "0.0000165", "prompt": "0.0000033"}
        batch = next(v for v in premium["modelatlas"]["pricing_variants"] if v.get("tier") == "batch")
        assert batch["pricing"] == {
            "completion": "0.00000825",
            "prompt": "0.00000165",
        }  # 50% of the geo price
    rule = "rule:bedrock-claude-global-vs-geo-in-region-10pct"
    assert in_region["modelatlas"]["provenance"]["pricing.prompt"] == rule
    assert in_region["modelatlas"]["conflicts"]["pricing.prompt"] == {
        "litellm": "0.000003",
        rule: "0.0000033",
    }
    assert global_["pricing"]["prompt"] == "0.000003" and older["pricing"]["prompt"] == "0.000015"


def test_openai_cache_writes_from_gpt_5_6_and_the_272k_tier() -> None:
    sol = record(
        "openai", "gpt-5.6-sol", prompt="0.000004", completion="0.00002", input_cache_read="0.0000004"
    )
    gpt55 = record("openai", "gpt-5.5", prompt="0.000005", completion="0.00003")
    run("openai", sol, gpt55)
    assert sol["pricing"]["input_cache_write"] == "0.000005"  # 1.25x the uncached input
    (tier,) = sol["modelatlas"]["context_tiers"]
    assert tier["above_input_tokens"] == 272000
    assert tier["pricing"] == {
        "prompt": "0.000008",
        "completion": "0.00003",
        "input_cache_read": "0.0000008",
        "input_cache_write": "0.00001",
    }
    assert "input_cache_write" not in gpt55["pricing"]  # before GPT-5.6: not billed (merge lists it)


def test_gemini_pro_tier_flash_without_one_and_batch_keeping_the_cache_price() -> None:
    pro = record(
        "gemini", "gemini-2.5-pro", prompt="0.00000125", completion="0.00001", input_cache_read="0.000000125"
    )
    flash = record("gemini", "gemini-2.5-flash-image-preview", source="portkey", prompt="0.0000003")
    flash["modelatlas"]["context_tiers"] = [
        {
            "above_input_tokens": 128000,
            "billing": "whole_request",
            "pricing": {"prompt": "0.0000003"},
            "source": "portkey",
        }
    ]
    run("gemini", pro, flash)
    (tier,) = pro["modelatlas"]["context_tiers"]
    assert (tier["above_input_tokens"], tier["pricing"]) == (
        200000,
        {"prompt": "0.0000025", "completion": "0.000015", "input_cache_read": "0.00000025"},
    )
    (batch,) = pro["modelatlas"]["pricing_variants"]
    assert batch["pricing"] == {
        "prompt": "0.000000625",
        "completion": "0.000005",
        "input_cache_read": "0.000000125",
    }
    assert "context_tiers" not in flash["modelatlas"]


def test_mistral_cache_read_is_ten_percent_of_input_for_text_models_only() -> None:
    nemo = record("mistral", "open-mistral-nemo", prompt="0.00000015", input_cache_read="0.00000003")
    embed = record("mistral", "mistral-embed", prompt="0.0000001")
    embed["modelatlas"]["mode"] = "embedding"
    run("mistral", nemo, embed)
    assert nemo["pricing"]["input_cache_read"] == "0.000000015"
    assert "input_cache_read" not in embed["pricing"]
    assert embed["modelatlas"]["pricing_variants"][0]["pricing"] == {"prompt": "0.00000005"}  # batch for all
