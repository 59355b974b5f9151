"""Requests priced by hand from the providers' own price pages (tests/fixtures/cost/billing_cases.yaml):
the committed snapshot must give each total within 1%. A failure names a price the data gets wrong
(or lacks: a long-context tier, a regional premium), not a bug in the arithmetic, which the shared
fixtures (cases.json) pin down."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
import yaml

from modelatlas.cost import CostError, Prices, Usage, load
from tests.paths import FIXTURES, REPO

CASES: list[dict[str, Any]] = yaml.safe_load(
    (FIXTURES / "cost" / "billing_cases.yaml").read_text(encoding="utf-8")
)["cases"]
TOLERANCE = Decimal("0.01")
REQUIRED = {
    "cache_read",
    "cache_write",
    "long_context",
    "batch",
    "bedrock_regional_profile",
    "azure_data_zone",
    "embedding",
    "per_minute_audio",
}


@pytest.fixture(scope="module")
def snapshot() -> Prices:
    return load(REPO / "data")


def test_every_case_names_its_page_quote_and_arithmetic() -> None:
    names = [case["name"] for case in CASES]
    assert len(names) == len(set(names))
    for case in CASES:
        assert case["url"].startswith("https://") and case["quote"].strip() and case["arithmetic"].strip()
        assert case["read_in"] in {"page", "copy", "secondary"}, case["name"]
        assert case["read_in"] != "secondary" or case.get("quote_source"), case["name"]
        assert Decimal(case["expected_total"]) > 0
        Usage.from_mapping(case["usage"])  # a usage the library accepts
    covered = {tag for case in CASES for tag in case["covers"]}
    assert covered >= REQUIRED, REQUIRED - covered
    assert len({case["model"].partition("/")[0] for case in CASES}) >= 12


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_the_snapshot_prices_the_case_within_one_percent(snapshot: Prices, case: dict[str, Any]) -> None:
    options = case.get("options", {})
    try:
        result = snapshot.cost(
            case["model"],
            Usage.from_mapping(case["usage"]),
            region=options.get("region"),
            tier=options.get("tier"),
            cache_ttl=options.get("cache_ttl"),
        )
    except CostError as exc:
        pytest.fail(f"the snapshot cannot price it: {exc.message}")
    expected = Decimal(case["expected_total"])
    deviation = abs(result.total - expected) / expected
    assert deviation <= TOLERANCE, (
        f"{case['model']}: snapshot {result.total_string} USD, page {case['expected_total']} USD "
        f"({deviation * 100:.1f}% off; {case['arithmetic']})"
    )
