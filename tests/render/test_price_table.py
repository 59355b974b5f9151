"""A canonical page's region, tier and long-context rows of an offering (price_table.tier_rows): the
rows of its price table beyond the standard price, made without a table where it has none."""

from __future__ import annotations

from typing import Any

from modelatlas.jsonio import load_path
from modelatlas.render.price_table import TOKEN_KEYS, price_table, tier_rows
from tests.paths import REPO


def _beyond_standard(record: dict[str, Any]) -> list[Any]:
    return [row for row in price_table(record, TOKEN_KEYS).rows if not row.is_base]


def test_every_snapshot_record_has_the_rows_of_its_table_beyond_the_standard_price() -> None:
    records = [record for path in sorted((REPO / "data" / "providers").glob("*.json"))
               for record in load_path(path)["models"]]
    with_rows = [record for record in records if _beyond_standard(record)]
    assert len(with_rows) > 100  # the snapshot's regions, batch tiers and long-context prices
    for record in records:
        assert tier_rows(record) == _beyond_standard(record), record["id"]


def test_a_long_context_tier_is_a_row_and_a_record_with_only_its_standard_price_has_none() -> None:
    plain: dict[str, Any] = {"id": "p/m", "pricing": {"prompt": "0.000001"},
                             "modelatlas": {"provenance": {"pricing.prompt": "provider_api"}}}
    assert tier_rows(plain) == []
    tiered = {**plain, "modelatlas": {**plain["modelatlas"], "context_tiers": [
        {"above_input_tokens": 200_000, "billing": "whole_request", "pricing": {"prompt": "0.000002"},
         "source": "provider_api"}]}}
    (row,) = tier_rows(tiered)
    assert (row.region, row.tier, row.context) == ("default", "standard", "input over 200,000 tokens")
    assert row.cells["prompt"] != price_table(plain, TOKEN_KEYS).rows[0].cells["prompt"]


def test_a_variant_stating_neither_region_nor_tier_is_not_a_row_of_its_own() -> None:
    record: dict[str, Any] = {"id": "p/m", "pricing": {"prompt": "0.000001"}, "modelatlas": {
        "pricing_variants": [{"pricing": {"prompt": "0.000001"}, "source": "litellm"}]}}
    assert tier_rows(record) == []
