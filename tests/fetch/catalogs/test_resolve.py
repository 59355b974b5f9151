"""Catalog-wide rules: -latest aliases and Bedrock geo-profile copies (models.dev's real entries in
tests/fixtures/sources/models_dev_rules_cut.json, plus small hand-made cases)."""

from __future__ import annotations

from collections import Counter

import pytest

from modelatlas.fetch.catalogs import models_dev
from modelatlas.fetch.catalogs.record import RecordBuilder
from modelatlas.fetch.catalogs.resolve import alias_target, finish, version_date
from modelatlas.jsonio import load_path
from modelatlas.schema import iter_violations
from tests.paths import FIXTURES

FIXTURE = FIXTURES / "sources" / "models_dev_rules_cut.json"


@pytest.fixture(scope="module")
def normalized() -> tuple[dict, Counter]:
    skipped: Counter[str] = Counter()
    return models_dev.normalize(load_path(FIXTURE), skipped), skipped


def model(normalized: tuple[dict, Counter], provider: str, upstream: str) -> dict:
    return next(r for r in normalized[0][provider] if r["modelatlas"]["upstream_id"] == upstream)


@pytest.mark.parametrize(
    ("version", "expected"),
    [
        ("2604", (2026, 4, 0)),
        ("20250929", (2025, 9, 29)),
        ("2024-09-26", (2024, 9, 26)),
        ("08-2024", (2024, 8, 0)),
        ("3-5", None),
        ("2613", None),  # month 13: not a date
        ("001", None),
    ],
)
def test_version_dates(version: str, expected: tuple[int, int, int] | None) -> None:
    assert version_date(version) == expected


def test_alias_target_is_the_newest_dated_sibling() -> None:
    ids = ["mistral-medium-2505", "mistral-medium-2604", "mistral-medium-2508", "mistral-medium-3-5"]
    assert alias_target("mistral-medium-latest", ids) == "mistral-medium-2604"
    assert alias_target("mistral-medium-latest", ["mistral-medium-3"]) is None  # no dated sibling
    assert alias_target("mistral-medium-2604", ids) is None  # not an alias


def test_stale_latest_entry_takes_its_targets_values(normalized: tuple[dict, Counter]) -> None:
    latest = model(normalized, "mistral", "mistral-medium-latest")
    target = model(normalized, "mistral", "mistral-medium-2604")
    # models.dev's own -latest entry still carries Medium 3.1's $0.40 / $2 (release 2025-08-12)
    assert latest["modelatlas"]["alias_of"] == "mistral-medium-2604"
    assert latest["pricing"] == target["pricing"] == {"completion": "0.0000075", "prompt": "0.0000015"}
    assert latest["name"] == "Mistral Medium (latest)" and latest["id"] == "mistral/mistral-medium-latest"
    assert (
        latest["modelatlas"]["lifecycle"]["release_date"] == target["modelatlas"]["lifecycle"]["release_date"]
    )
    assert list(iter_violations("model", latest, latest["id"])) == []


def test_geo_price_that_repeats_global_is_left_out(normalized: tuple[dict, Counter]) -> None:
    us = model(normalized, "bedrock", "us.anthropic.claude-sonnet-4-5-20250929-v1:0")
    eu = model(normalized, "bedrock", "eu.anthropic.claude-sonnet-4-5-20250929-v1:0")
    world = model(normalized, "bedrock", "global.anthropic.claude-sonnet-4-5-20250929-v1:0")
    assert "pricing" not in us  # models.dev: us. $3 = global. $3, while eu. is $3.30
    assert not any(path.startswith("pricing.") for path in us["modelatlas"]["provenance"])
    assert eu["pricing"]["prompt"] == "0.0000033" and world["pricing"]["prompt"] == "0.000003"
    assert normalized[1]["geo-profile price that repeats global. (left out)"] == 1


def _priced(upstream: str, prompt: str) -> dict:
    b = RecordBuilder("bedrock", upstream, "portkey")
    b.set("pricing.prompt", prompt)
    record = b.build()
    assert record is not None
    return record


def test_geo_prices_all_like_global_are_kept() -> None:
    """Nothing in such a catalog says the geo profiles cost more (Sonnet 4 has no premium)."""
    records = [_priced("global.m", "0.000003"), _priced("us.m", "0.000003"), _priced("eu.m", "0.000003")]
    result = finish({"bedrock": records}, Counter())
    assert all("pricing" in r for r in result["bedrock"])


def test_aliases_are_not_inferred_for_hosts_of_other_vendors_models() -> None:
    b = RecordBuilder("azure", "mistral-large-latest", "litellm")
    b.set("pricing.prompt", "0.000002")
    dated = RecordBuilder("azure", "mistral-large-2402", "litellm")
    dated.set("pricing.prompt", "0.000004")
    result = finish({"azure": [b.build(), dated.build()]}, Counter())
    assert "alias_of" not in result["azure"][0]["modelatlas"]


def test_image_output_price_is_not_a_completion_price(normalized: tuple[dict, Counter]) -> None:
    image = model(normalized, "gemini", "gemini-3-pro-image-preview")
    assert "completion" not in image["pricing"]  # models.dev's one output price: 120 per 1M
    assert image["modelatlas"]["extra_pricing"]["output_image_token"] == "0.00012"
    text = model(normalized, "gemini", "gemini-2.5-flash")
    assert "completion" in text["pricing"]


def test_variants_are_sorted_replaced_per_place_and_schema_checked() -> None:
    b = RecordBuilder("azure", "gpt-x", "litellm")
    b.add_variant({"prompt": "0.000003"}, region="us")
    b.add_variant({"prompt": "0.0000015"}, tier="batch")
    b.add_variant({"prompt": "0.0000033"}, region="us")  # same region and tier: replaces
    b.add_variant({}, region="eu")  # nothing to say: ignored
    record = b.build()
    assert record is not None
    assert record["modelatlas"]["pricing_variants"] == [
        {"tier": "batch", "pricing": {"prompt": "0.0000015"}, "source": "litellm"},
        {"region": "us", "pricing": {"prompt": "0.0000033"}, "source": "litellm"},
    ]
    assert record["modelatlas"]["provenance"]["modelatlas.pricing_variants"] == "litellm"
    bad = RecordBuilder("azure", "gpt-y", "litellm")
    bad.add_variant({"prompt": "0.000003"}, tier="spot")  # not a tier the schema knows
    dropped: Counter[str] = Counter()
    built = bad.build(dropped)
    assert built is not None and "pricing_variants" not in built["modelatlas"]
    assert dropped == Counter({"dropped invalid value at modelatlas.pricing_variants": 1})
