"""The pricing rules on hand-priced fixtures (tests/fixtures/cost/cases.json, shared with the JS module)."""

from __future__ import annotations

from typing import Any

import pytest

from modelatlas.schema import iter_violations
from tests.cost.cases import CASES, RECORDS, price


@pytest.mark.parametrize("case", CASES, ids=lambda case: case["name"])
def test_each_case_prices_as_computed_by_hand(case: dict[str, Any]) -> None:
    result = price(RECORDS[case["model"]], case["usage"], case.get("options", {}))
    if "error" in case:
        assert result == {"error": case["error"]}
        return
    assert result["total"] == case["total"], result
    assert result["currency"] == "USD" and result["model"] == case["model"]
    amounts = {line["component"]: line["amount"] for line in result["lines"]}
    for component, amount in case.get("lines", {}).items():
        assert amounts[component] == amount, (component, result["lines"])


def test_the_fixture_records_follow_the_schema() -> None:
    for record in RECORDS.values():
        assert list(iter_violations("model", record, record["id"])) == []


def test_every_rule_and_error_kind_is_covered() -> None:
    kinds = {case.get("error") for case in CASES}
    assert {"unknown_price", "not_billed", "no_variant", "usage"} <= kinds
    options = [case.get("options", {}) for case in CASES]
    assert any(o.get("cache_ttl") == "1h" for o in options) and any(o.get("region") for o in options)
    assert any(o.get("tier") == "batch" for o in options)


def test_a_line_says_which_variant_tier_and_source_priced_it() -> None:
    result = price(
        RECORDS["anthropic/fixture-sonnet"], {"input_tokens": 250000, "output_tokens": 10}, {"tier": "batch"}
    )
    assert result["tier"] == "batch" and result["context_tier"] == 200000
    assert {(line["tier"], line["context_tier"], line["source"]) for line in result["lines"]} == {
        ("batch", 200000, "curated")
    }
    plain = price(RECORDS["azure/fixture-gpt"], {"input_tokens": 10}, {})
    assert plain["lines"][0]["source"] == "curated" and plain["region"] is None


def test_a_disputed_price_marks_its_line_only() -> None:
    result = price(RECORDS["openai/fixture-disputed"], {"input_tokens": 100, "output_tokens": 100}, {})
    assert {line["component"]: line["disputed"] for line in result["lines"]} == {
        "input": True,
        "output": False,
    }


def test_a_duration_line_shows_seconds_and_the_per_minute_price() -> None:
    (line,) = price(RECORDS["openai/fixture-transcribe"], {"input_seconds": "90"}, {})["lines"]
    assert (line["quantity"], line["unit"], line["unit_price"], line["price_unit"]) == (
        "90",
        "second",
        "0.006",
        "minute",
    )


def test_the_duplicate_variant_used_is_named_by_its_source() -> None:
    result = price(
        RECORDS["bedrock/amazon.fixture-duplicate"],
        {"input_tokens": 2000, "cache_read_tokens": 1000},
        {"tier": "batch"},
    )
    assert {line["source"] for line in result["lines"]} == {"litellm"}
