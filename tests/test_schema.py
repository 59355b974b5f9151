"""The model and provider-file schemas accept real-shaped records and reject the mistakes they exist for."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from modelatlas.schema import iter_violations


def _valid() -> dict[str, Any]:
    return {
        "id": "openai/gpt-4o",
        "name": "GPT-4o",
        "context_length": 128000,
        "architecture": {"input_modalities": ["text", "image", "file"], "output_modalities": ["text"]},
        "pricing": {"prompt": "0.0000025", "completion": "0.00001", "request": "0"},
        "modelatlas": {
            "provider": "openai",
            "upstream_id": "gpt-4o",
            "provenance": {
                "name": "models.dev",
                "pricing.prompt": "litellm",
                "modelatlas.extra_pricing.input_cache_write_1h": "openrouter",
            },
            "extra_pricing": {"input_cache_write_1h": "0.000005"},
            "mode": "responses",
        },
    }


def _errors(record: dict[str, Any]) -> list[str]:
    return [v.pointer for v in iter_violations("model", record, "test")]


def test_valid_record_is_accepted() -> None:
    assert _errors(_valid()) == []


@pytest.mark.parametrize("price", ["2.5e-06", "-1", "0.10", "1.", " 1", "01", ""])
def test_bad_price_strings_are_rejected(price: str) -> None:
    record = _valid()
    record["pricing"]["prompt"] = price
    assert _errors(record) == ["/pricing/prompt"]


@pytest.mark.parametrize(("field", "price"), [("prompt", "0"), ("prompt", "0.0000025"), ("prompt", "0.001"),
                                               ("request", "12"), ("request", "1.5")])
def test_good_price_strings(field: str, price: str) -> None:
    record = _valid()
    record["pricing"][field] = price
    assert _errors(record) == []


@pytest.mark.parametrize("price", ["0.006", "0.0010001", "1.5"])
def test_a_token_price_above_1000_dollars_per_million_is_no_token_price(price: str) -> None:
    record = _valid()
    record["pricing"]["prompt"] = price  # OpenRouter's list gives Whisper's $0.006 per minute here
    assert _errors(record) == ["/pricing/prompt"]


def test_numeric_price_is_rejected() -> None:
    record = _valid()
    record["pricing"]["prompt"] = 0.0000025
    assert _errors(record) == ["/pricing/prompt"]


def _mutated(change: str) -> dict[str, Any]:
    record = copy.deepcopy(_valid())
    if change == "missing id":
        del record["id"]
    elif change == "wrong modality":
        record["architecture"]["input_modalities"] = ["text", "Hologram"]
    elif change == "null field":
        record["name"] = None
    elif change == "unknown provider in id":
        record["id"] = "deepseek/deepseek-chat"
    elif change == "unknown provider in extension":
        record["modelatlas"]["provider"] = "deepseek"
    elif change == "missing modelatlas":
        del record["modelatlas"]
    elif change == "negative count":
        record["context_length"] = -1
    elif change == "unknown source":
        record["modelatlas"]["provenance"]["name"] = "a blog"
    elif change == "field outside the gateway shape and extension":
        record["price_per_million"] = "2.5"
    return record


@pytest.mark.parametrize(
    "change",
    [
        "missing id",
        "wrong modality",
        "null field",
        "unknown provider in id",
        "unknown provider in extension",
        "missing modelatlas",
        "negative count",
        "unknown source",
        "field outside the gateway shape and extension",
    ],
)
def test_rejections(change: str) -> None:
    assert _errors(_mutated(change)) != []


def test_provider_file_schema() -> None:
    doc = {
        "schema_version": "1",
        "provider": "openai",
        "status": {"source": "public_catalogs", "sources": ["models.dev"], "count": 1, "stale": False,
                   "last_refresh": "2026-11-27T00:00:00Z", "reason": "no OPENAI_API_KEY set"},
        "models": [_valid()],
    }
    assert list(iter_violations("provider-file", doc, "openai")) == []
    bad = copy.deepcopy(doc)
    bad["provider"] = "deepseek"
    bad["status"]["last_refresh"] = "2026-11-27 00:00"
    bad["models"][0]["pricing"]["prompt"] = "2.5e-06"
    pointers = [v.pointer for v in iter_violations("provider-file", bad, "x")]
    assert pointers == ["/models/0/pricing/prompt", "/provider", "/status/last_refresh"]
