"""cheapest(): every live offering of one canonical model ranked by the cost of one usage."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from modelatlas.cost import UnknownModelError, Usage, load
from modelatlas.cost.ranking import Include, cheapest
from tests.cost.built import FAMILY, OFFERS, SNAPSHOT, write_build

USAGE = Usage(input_tokens=10_000, output_tokens=1_000)


@pytest.fixture
def built(tmp_path: Path) -> Path:
    return write_build(tmp_path / "build")


def rows(ranking) -> list[tuple[str, str | None, str | None, Decimal]]:
    return [(offer.model, offer.region, offer.tier, offer.total) for offer in ranking.offers]


def test_offerings_are_ranked_by_total_with_region_and_tier(built: Path) -> None:
    ranking = cheapest(load(built), FAMILY, USAGE)
    assert rows(ranking) == [
        ("bedrock/openai.fixture-oss", None, "flex", Decimal("0.00105")),
        ("openrouter/openai/fixture-oss", None, None, Decimal("0.0015")),
        ("bedrock/openai.fixture-oss", None, None, Decimal("0.0021")),
        ("groq/openai/fixture-oss", None, None, Decimal("0.00225")),
        ("bedrock/openai.fixture-oss", "eu-west-1", None, Decimal("0.00252")),
    ]
    assert ranking.excluded == {
        "openrouter/openai/fixture-oss:free": Include.FREE,
        "ollama/fixture-oss:cloud": Include.SUBSCRIPTION,
        "azure/fixture-oss-batch": Include.BATCH,
        "vertex/fixture-oss": Include.RETIRED,
        "bedrock/openai.fixture-oss (tier batch)": Include.BATCH,
    }
    (unpriced,) = ranking.unpriced
    assert unpriced.model == "cerebras/fixture-oss" and "has no price for input" in unpriced.reason


def test_free_subscription_batch_and_retired_offerings_come_back_when_asked(built: Path) -> None:
    ranking = cheapest(load(built), FAMILY, USAGE, include=list(Include))
    assert ranking.excluded == {}
    assert rows(ranking)[:2] == [
        ("ollama/fixture-oss:cloud", None, None, Decimal("0")),
        ("openrouter/openai/fixture-oss:free", None, None, Decimal("0")),
    ]
    assert ("bedrock/openai.fixture-oss", None, "batch", Decimal("0.00105")) in rows(ranking)
    assert len(ranking.offers) == len(OFFERS) - 1 + 3  # cerebras unpriced; 3 variants


def test_a_dated_canonical_slug_finds_its_snapshot_only(built: Path) -> None:
    assert rows(cheapest(load(built), SNAPSHOT, USAGE)) == [
        ("groq/openai/fixture-oss", None, None, Decimal("0.00225"))
    ]


def test_an_unknown_slug_is_an_error_naming_the_build(built: Path) -> None:
    with pytest.raises(UnknownModelError, match=r"no offering of 'openai/none'.*'modelatlas build'"):
        cheapest(load(built), "openai/none", USAGE)


def test_the_json_form_lists_offers_unpriced_and_excluded(built: Path) -> None:
    document = cheapest(load(built), FAMILY, USAGE).as_json()
    assert document["model"] == FAMILY and document["currency"] == "USD"
    assert [offer["total"] for offer in document["offers"]] == [
        "0.00105",
        "0.0015",
        "0.0021",
        "0.00225",
        "0.00252",
    ]
    assert document["usage"] == {"input_tokens": 10000, "output_tokens": 1000}
    assert {"model": "vertex/fixture-oss", "reason": "retired"} in document["excluded"]
