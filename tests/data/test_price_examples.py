"""The committed snapshot on the examples that showed prices no team could bill against: each is
now decided by a mechanism (the evidence order, price sets, units, not billed, tiers, stated rules,
limits), never by a patch for the one record. The mechanisms themselves are pinned in tests/fetch."""

from __future__ import annotations

import json
from decimal import Decimal
from functools import cache
from typing import Any

import pytest

from modelatlas.cost import Usage, load
from modelatlas.fetch.providers.price_rules import claude
from tests.paths import REPO

PER_MILLION = Decimal(1_000_000)


@cache
def records() -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for path in sorted((REPO / "data" / "providers").glob("*.json")):
        for record in json.loads(path.read_text(encoding="utf-8"))["models"]:
            found[record["id"]] = record
    return found


def per_million(record_id: str, field: str) -> Decimal | None:
    value = records()[record_id].get("pricing", {}).get(field)
    return None if value is None else Decimal(value) * PER_MILLION


def listed(record: dict[str, Any]) -> bool:
    return record["modelatlas"].get("lifecycle", {}).get("status") not in ("retired", "removed", "unverified")


def test_disputes_are_settled_by_evidence_not_by_file_date() -> None:
    # a curated fact from Mistral's page; and the same model elsewhere contradicting a lone catalog
    assert (
        per_million("mistral/mistral-large-2411", "prompt"),
        per_million("mistral/mistral-large-2411", "completion"),
    ) == (2, 6)
    large_2407 = records()["mistral/mistral-large-2407"]["modelatlas"]
    assert set(large_2407["disputed"]) >= {"pricing.prompt", "pricing.completion"}
    assert "0.000002" in large_2407["conflicts"]["pricing.prompt"].values()
    # Azure's Kimi K3 at 11x the same model everywhere else: no value can stand without a fact
    kimi = records()["azure/Kimi-K3"]
    assert "prompt" not in kimi.get("pricing", {}) and "pricing.prompt" in kimi["modelatlas"]["disputed"]
    assert kimi["modelatlas"]["conflicts"]["pricing.prompt"]["portkey"] == "0.000033"
    # an alias and its only snapshot are one model: the dated id takes the price the evidence supports
    assert (
        per_million("azure/o4-mini-deep-research-2025-06-26", "prompt"),
        per_million("azure/o4-mini-deep-research-2025-06-26", "completion"),
    ) == (2, 8)
    assert per_million("azure/gpt-4o-mini-audio-preview", "prompt") == Decimal("0.15")
    assert (
        per_million("openai/o1-mini-2024-09-12", "prompt"),
        per_million("openai/o1-mini-2024-09-12", "completion"),
    ) == (Decimal("1.1"), Decimal("4.4"))
    # no file date decides: a dispute nothing settles stays visible, every side kept
    llama = records()["azure/Meta-Llama-3.1-70B-Instruct"]["modelatlas"]
    assert {"pricing.prompt", "pricing.completion"} <= set(llama["disputed"])
    assert set(llama["conflicts"]["pricing.prompt"]) == {"models.dev", "portkey"}


def test_prices_travel_as_a_set_and_openrouters_own_list_is_its_api() -> None:
    mimo = records()["openrouter/xiaomi/mimo-v2.5"]
    assert mimo["pricing"] == {
        "completion": "0.000002",
        "input_cache_read": "0.00000008",
        "prompt": "0.0000004",
    }
    assert {mimo["modelatlas"]["provenance"][f"pricing.{k}"] for k in mimo["pricing"]} == {"openrouter"}
    assert records()["openrouter/openai/gpt-oss-120b"]["modelatlas"]["provenance"]["pricing.prompt"] in (
        "openrouter",
        "ruby_llm",
    )


def test_every_unit_in_its_own_field() -> None:
    whisper = records()["openrouter/openai/whisper-1"]
    assert "prompt" not in whisper.get("pricing", {})
    assert whisper["modelatlas"]["extra_pricing"]["input_minute"] == "0.006"
    assert "pricing.prompt" in whisper["modelatlas"]["not_billed"]
    image = records()["gemini/gemini-2.5-flash-image-preview"]
    assert "completion" not in image.get("pricing", {})  # $0.039 is the per-image price
    assert records()["openai/whisper-1"]["modelatlas"]["extra_pricing"]["input_minute"] == "0.006"
    assert records()["groq/whisper-large-v3"]["modelatlas"]["extra_pricing"] == {"input_hour": "0.111"}
    for record in records().values():
        extra = record["modelatlas"].get("extra_pricing", {})
        assert "input_audio" not in extra and "output_audio" not in extra, record["id"]


def test_free_not_billed_and_unknown_are_told_apart() -> None:
    titan = records()["bedrock/amazon.titan-embed-image-v1"]
    assert "completion" not in titan["pricing"] and "pricing.completion" in titan["modelatlas"]["not_billed"]
    assert "pricing.input_cache_write" in records()["openai/gpt-4o"]["modelatlas"]["not_billed"]
    assert "pricing" not in records()["vertex/meta/llama3-405b-instruct-maas"]  # LiteLLM's 0 means unknown
    ollama = [r for r in records().values() if r["modelatlas"]["provider"] == "ollama" and listed(r)]
    assert ollama and not any("0" in r.get("pricing", {}).values() for r in ollama)


def test_long_context_tiers_price_a_250k_request_at_its_real_cost() -> None:
    tiers = records()["anthropic/claude-sonnet-4-5-20250929"]["modelatlas"]["context_tiers"]
    assert [(t["above_input_tokens"], t["pricing"]["prompt"]) for t in tiers] == [(200000, "0.000006")]
    cost = load(REPO / "data").cost(
        "anthropic/claude-sonnet-4-5", Usage(input_tokens=250_000, output_tokens=2_000)
    )
    assert cost.total == Decimal("1.545")
    assert "context_tiers" not in records()["anthropic/claude-opus-4-6"]["modelatlas"]  # flat from 4.6 on


def test_the_regional_premium_beats_catalogs_that_lag() -> None:
    covered = claude(since=(4, 5))
    checked = 0
    for record_id, record in records().items():
        upstream = record["modelatlas"]["upstream_id"]
        if not record_id.startswith("bedrock/") or upstream.startswith("global.") or not listed(record):
            continue
        rest = (
            upstream.split(".", 1)[1]
            if upstream.split(".")[0] in ("us", "eu", "apac", "jp", "au", "ca")
            else upstream
        )
        base = records().get(f"bedrock/global.{rest}")
        if base is None or not covered(rest) or "prompt" not in base.get("pricing", {}):
            continue
        assert Decimal(record["pricing"]["prompt"]) == Decimal(base["pricing"]["prompt"]) * Decimal("1.1"), (
            record_id
        )
        checked += 1
    assert checked >= 20


@pytest.mark.parametrize("model", ["openai/gpt-5", "openai/gpt-5-mini", "openai/gpt-5-nano"])
def test_the_window_is_the_window(model: str) -> None:
    record = records()[model]
    assert (record["context_length"], record["max_input_tokens"]) == (400000, 272000)


def test_the_issues_own_example_prices() -> None:
    usage = Usage(input_tokens=12_000, cache_read_tokens=5_000, output_tokens=800)
    cost = load(REPO / "data").cost(
        "bedrock/anthropic.claude-sonnet-4-5-20250929-v1:0", usage, region="eu", tier="batch"
    )
    # 7,000 x $1.65/M + 5,000 x $0.165/M + 800 x $8.25/M: AWS's geo price, halved for batch
    assert cost.total == Decimal("0.018975")
