"""What a record asks a usage form for (components.usage_fields), which presets fit it
(presets.applies), and the site's price labels built on the library's units (stated once)."""

from __future__ import annotations

from typing import Any

import pytest

from modelatlas.cost.components import PRICE_UNIT, Billing, usage_fields
from modelatlas.cost.errors import Unpriced, UnpricedError
from modelatlas.cost.presets import BY_ID, PRESETS, applies
from modelatlas.cost.pricing import price_book_usage
from modelatlas.cost.sheet import price_book
from modelatlas.cost.usage import Usage
from modelatlas.render.price_view import PRICE_LABELS, label_of


def record(pricing: dict[str, str], **extension: Any) -> dict[str, Any]:
    return {
        "id": "p/m",
        "pricing": pricing,
        "modelatlas": {"provider": "p", "upstream_id": "m", "provenance": {}, **extension},
    }


EMBEDDING = record({"prompt": "0.00000002"}, not_billed=["pricing.completion"])
CHAT = record(
    {"prompt": "0.000003", "completion": "0.000015"},
    context_tiers=[
        {
            "above_input_tokens": 200000,
            "billing": "whole_request",
            "pricing": {"input_cache_read": "0.0000006"},
        }
    ],
    pricing_variants=[{"tier": "batch", "pricing": {"prompt": "0.0000015"}, "source": "litellm"}],
    extra_pricing={"input_cache_write_1h": "0.000006"},
)


def test_a_record_asks_for_what_it_prices_anywhere_or_marks_not_billed() -> None:
    assert usage_fields(price_book(EMBEDDING)) == {
        "input_tokens": Billing.PRICED,
        "output_tokens": Billing.NOT_BILLED,
    }
    fields = usage_fields(price_book(CHAT))
    assert fields["cache_read_tokens"] is Billing.PRICED  # stated only above the 200k threshold
    assert fields["cache_write_tokens"] is Billing.PRICED  # with the 1-hour lifetime
    assert fields["cache_write_1h_tokens"] is Billing.PRICED
    assert "input_images" not in fields and "requests" not in fields  # unknown: not asked


def test_presets_fit_by_prices_context_tier_and_kind() -> None:
    chat, embedding = price_book(CHAT), price_book(EMBEDDING)
    chat_fields, embedding_fields = usage_fields(chat), usage_fields(embedding)
    assert applies(BY_ID["chat"], chat_fields, 200_000, {None, "batch"})
    assert not applies(BY_ID["chat"], embedding_fields, 8191, {None})  # output not billed
    assert applies(BY_ID["embedding"], embedding_fields, 8191, {None})  # many requests: no context limit
    assert not applies(BY_ID["embedding"], chat_fields, None, {None})  # a chat model is no embedding model
    assert applies(BY_ID["embedding"], {"input_tokens": Billing.PRICED}, None, {None}, "embedding")
    assert not applies(BY_ID["long-document"], chat_fields, 200_000, {None})  # 250k does not fit
    assert applies(BY_ID["long-document"], chat_fields, None, {None})  # unknown context: not ruled out
    assert applies(BY_ID["batch-classification"], chat_fields, None, {None, "batch"})
    assert not applies(BY_ID["batch-classification"], chat_fields, None, {None})
    assert PRESETS[0].id == "chat"  # the default usage of a chat model's pages


def test_an_unpriced_component_is_named_on_the_error() -> None:
    with pytest.raises(UnpricedError) as raised:
        price_book_usage(price_book(EMBEDDING), Usage(input_tokens=10, output_tokens=1))
    assert (raised.value.why, raised.value.component, raised.value.above) == (
        Unpriced.NOT_BILLED,
        "output",
        None,
    )
    long = Usage(input_tokens=300_000, output_tokens=1)
    with pytest.raises(UnpricedError) as raised:
        price_book_usage(price_book(CHAT), long)
    assert (raised.value.component, raised.value.above) == (
        "input",
        200_000,
    )  # the tier states no prompt price


def test_the_site_labels_every_priced_field_in_the_library_unit() -> None:
    assert set(PRICE_LABELS) == {path.rsplit(".", 1)[-1] for path in PRICE_UNIT}
    assert label_of("input_minute") == "Input $/minute"
    assert label_of("output_second") == "Output $/second"
    assert label_of("prompt") == "Prompt $/1M tokens"
    assert label_of("query") == "Rerank $/rerank query"
