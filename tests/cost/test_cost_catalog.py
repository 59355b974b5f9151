"""Looking records up: ids, aliases, Bedrock's regional profiles, unknown models, the bundled snapshot."""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from pathlib import Path

import pytest

from modelatlas.bundled import data_folder
from modelatlas.cost import (
    Prices,
    UnknownModelError,
    Unpriced,
    UnpricedError,
    Usage,
    UsageError,
    cost,
    default_prices,
    load,
)
from modelatlas.errors import EXIT_FAILURE, EXIT_USAGE, InputError
from tests.cost.cases import RECORDS
from tests.paths import REPO

# The example: 12k input tokens of which 5k cached, 800 output, Claude Sonnet on Bedrock EU, batch.
EXAMPLE = Usage(input_tokens=12_000, cache_read_tokens=5_000, output_tokens=800)
BASE = "bedrock/anthropic.fixture-sonnet-v1:0"
EU = "bedrock/eu.anthropic.fixture-sonnet-v1:0"


@pytest.fixture
def prices() -> Prices:
    records = copy.deepcopy(list(RECORDS.values()))
    alias_holder = next(r for r in records if r["id"] == "openai/fixture-plain")
    alias_holder["modelatlas"]["aliases"] = ["fixture-plain-2026-01-01", "fixture-image"]
    return Prices.from_records(records, "the fixtures")


def test_a_region_without_a_variant_prices_the_bedrock_profile_record(prices: Prices) -> None:
    result = prices.cost(BASE, EXAMPLE, region="eu", tier="batch")
    assert (result.model, result.requested, result.tier) == (EU, BASE, "batch")
    assert result.total == Decimal("0.018975")  # 7000 x 1.65e-6 + 5000 x 1.65e-7 + 800 x 8.25e-6
    assert prices.cost(EU, EXAMPLE, tier="batch") == result._replace(requested=EU)


def test_a_region_variant_on_the_record_wins_over_a_profile(prices: Prices) -> None:
    result = prices.cost(BASE, EXAMPLE, region="us-gov-west-1")
    assert (result.model, result.region) == (BASE, "us-gov-west-1")


def test_an_unknown_region_names_what_exists(prices: Prices) -> None:
    with pytest.raises(UnpricedError) as caught:
        prices.cost(BASE, EXAMPLE, region="ap-south-2")
    error = caught.value
    assert error.why is Unpriced.NO_VARIANT and error.exit_code == EXIT_FAILURE
    assert "standard, region us-gov-west-1, tier batch" in error.message
    assert "regional profiles: eu" in error.message and "\n" not in error.message


def test_an_unknown_tier_in_a_profile_is_no_variant(prices: Prices) -> None:
    with pytest.raises(UnpricedError) as caught:
        prices.cost(BASE, EXAMPLE, region="eu", tier="priority")
    assert caught.value.why is Unpriced.NO_VARIANT and EU in caught.value.message


@pytest.mark.parametrize("model_id", ["openai/no-such-model", "nosuch/provider-model", "openai", "openai/"])
def test_an_unknown_model_is_an_error_not_zero(prices: Prices, model_id: str) -> None:
    with pytest.raises(UnknownModelError) as caught:
        prices.cost(model_id, EXAMPLE)
    assert caught.value.exit_code == EXIT_USAGE and repr(model_id) in caught.value.message


@pytest.mark.parametrize(
    ("model_id", "usage", "options", "error", "says"),
    [
        (None, EXAMPLE, {}, UnknownModelError, "a model id is a string"),
        (5, EXAMPLE, {}, UnknownModelError, "not 5"),
        (BASE, None, {}, UsageError, "usage must be a Usage or a mapping"),
        (BASE, [("input_tokens", 1)], {}, UsageError, "not [('input_tokens', 1)]"),
        (BASE, EXAMPLE, {"region": 5}, UsageError, "region must be a string"),
        (BASE, EXAMPLE, {"tier": ["batch"]}, UsageError, "tier must be a string"),
    ],
)
def test_an_argument_of_the_wrong_type_is_a_cost_error_that_says_so(
    prices: Prices, model_id: object, usage: object, options: dict[str, object], error: type, says: str
) -> None:
    """A caller's wrong type is one of the library's errors with a message, never an
    AttributeError or TypeError from deep inside it."""
    with pytest.raises(error) as caught:
        prices.cost(model_id, usage, **options)  # type: ignore[arg-type]
    assert says in caught.value.message and caught.value.exit_code == EXIT_USAGE


def test_an_alias_prices_its_record_but_never_shadows_a_real_id(prices: Prices) -> None:
    result = prices.cost("openai/fixture-plain-2026-01-01", Usage(input_tokens=1000))
    assert (result.model, result.requested, result.total) == (
        "openai/fixture-plain",
        "openai/fixture-plain-2026-01-01",
        Decimal("0.001"),
    )
    assert prices.cost("openai/fixture-image", Usage(output_images=1)).model == "openai/fixture-image"


def test_a_malformed_price_is_an_error_naming_the_field() -> None:
    record = copy.deepcopy(RECORDS["openai/fixture-plain"])
    record["pricing"]["prompt"] = "1e-6"
    with pytest.raises(
        UnpricedError, match=r"openai/fixture-plain: pricing.prompt is not a price \('1e-6'\)"
    ):
        Prices.from_records([record]).cost("openai/fixture-plain", Usage(input_tokens=1))


def test_providers_are_read_only_when_one_of_their_models_is_asked_for(tmp_path: Path) -> None:
    providers = tmp_path / "data" / "providers"
    providers.mkdir(parents=True)
    (providers / "openai.json").write_text(json.dumps({"models": [RECORDS["openai/fixture-plain"]]}))
    (providers / "broken.json").write_text("{not json")
    prices = load(tmp_path / "data")
    assert prices.cost("openai/fixture-plain", Usage(input_tokens=1000)).total == Decimal("0.001")
    with pytest.raises(InputError, match=r"broken\.json is not valid JSON"):
        prices.cost("broken/x", Usage(input_tokens=1))


def test_the_bundled_snapshot_is_the_committed_data_folder() -> None:
    shipped = sorted(path.name for path in data_folder().glob("*.json"))
    assert shipped == sorted(path.name for path in (REPO / "data" / "providers").glob("*.json"))
    assert default_prices() is default_prices()


def test_cost_prices_a_bundled_record_from_its_own_prices() -> None:
    """Whatever the snapshot's values, cost() reads the committed record's prices exactly."""
    document = json.loads((REPO / "data" / "providers" / "openai.json").read_text(encoding="utf-8"))
    record = next(m for m in document["models"] if {"prompt", "completion"} <= set(m.get("pricing", {})))
    usage = Usage(input_tokens=1234, output_tokens=567, requests=0)
    expected = 1234 * Decimal(record["pricing"]["prompt"]) + 567 * Decimal(record["pricing"]["completion"])
    assert cost(record["id"], usage).total == expected


def test_a_mapping_of_usage_fields_is_accepted_and_checked(prices: Prices) -> None:
    assert prices.cost("openai/fixture-plain", {"input_tokens": 1000}).total == Decimal("0.001")
    with pytest.raises(UsageError, match="unknown usage field"):
        prices.cost("openai/fixture-plain", {"prompt_tokens": 1000})
