"""Hostile upstream data: each record is normalized or rejected with a reason, never a crash."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from modelatlas.fetch.providers import cohere, elevenlabs, gemini, mistral, ollama, parasail, perplexity
from modelatlas.fetch.providers.records import UpstreamShapeError
from modelatlas.fetch.providers.registry import REGISTRY
from modelatlas.schema import iter_violations


def test_hostile_openai_style_list() -> None:
    body = {
        "object": "list",
        "data": [
            {"id": "../../etc/passwd", "owned_by": "x"},
            {"id": "ok/../up"},
            {"id": 42},
            {"id": "bad\nnewline"},
            {"id": ""},
            "not an object",
            {"id": "x" * 600},
            {"id": "fine", "owned_by": "<script>alert(1)</script>", "created": -5, "context_window": 10**30},
            {"id": "fine", "owned_by": "duplicate"},
            {"id": "typed", "created": "yesterday", "context_window": "lots", "max_completion_tokens": True},
        ],
    }
    result = parasail.normalize([body])
    ids = [r["id"] for r in result.records]
    assert ids == ["parasail/fine", "parasail/typed"]
    fine = result.records[0]
    assert fine["owned_by"] == "<script>alert(1)</script>"  # kept as text; renderers escape it
    assert "created" not in fine and "context_length" not in fine  # absurd values are unknown, not errors
    assert set(result.records[1]) == {"id", "modelatlas"}
    reasons = " | ".join(result.rejected)
    for expected in (
        "path segment",
        "not a string",
        "control characters",
        "empty",
        "longer than 500",
        "not an object",
        "duplicate id 'fine'",
    ):
        assert expected in reasons
    assert len(result.rejected) == 8
    for record in result.records:
        assert list(iter_violations("model", record, record["id"])) == []


@pytest.mark.parametrize("module", REGISTRY, ids=lambda m: m.PROVIDER)
@pytest.mark.parametrize("body", [None, 7, "text", {"unexpected": True}, {"data": 5, "models": {}}])
def test_wrong_envelopes_raise_shape_errors_not_crashes(module: Any, body: Any) -> None:
    try:
        result = module.normalize([body])
    except UpstreamShapeError:
        return
    assert result.records == []


def test_null_data_is_an_empty_list() -> None:
    assert ollama.normalize([{"object": "list", "data": None}]).records == []


def test_top_level_array_is_read_for_elevenlabs_but_not_for_gemini() -> None:
    result = elevenlabs.normalize([[{"model_id": "eleven_v3", "name": "v3", "can_do_text_to_speech": True}]])
    assert [r["id"] for r in result.records] == ["elevenlabs/eleven_v3"]
    with pytest.raises(UpstreamShapeError):
        gemini.normalize([[{"name": "models/x"}]])


def test_perplexity_prices_are_exact_per_token_strings_and_absurd_ones_dropped() -> None:
    body = {
        "data": [
            {
                "id": "a",
                "pricing": {
                    "input": Decimal("2.5"),
                    "output": 15,
                    "cache_read": Decimal("0.25"),
                    "unit": "usd_per_1m_tokens",
                },
            },
            {"id": "b", "pricing": {"input": Decimal("1e30"), "output": -1, "unit": "usd_per_1m_tokens"}},
            {"id": "c", "pricing": {"input": 3, "unit": "usd_per_token"}},
        ]
    }
    records = {r["id"]: r for r in perplexity.normalize([body]).records}
    assert records["perplexity/a"]["pricing"] == {
        "prompt": "0.0000025",
        "completion": "0.000015",
        "input_cache_read": "0.00000025",
    }
    assert "pricing" not in records["perplexity/b"] and "pricing" not in records["perplexity/c"]


def test_mistral_duplicate_ids_keep_the_first_card_and_say_so() -> None:
    card = {"id": "voxtral-mini-latest", "name": "first", "capabilities": {"audio_transcription": True}}
    result = mistral.normalize([{"data": [card, {**card, "name": "second"}]}])
    assert [r["name"] for r in result.records] == ["first"]
    assert result.rejected == ["item 1: duplicate id 'voxtral-mini-latest' (the first occurrence is kept)"]


def test_cohere_reads_the_vision_flag_and_image_embedding_endpoint() -> None:
    """Both appear in the real list though the OpenAPI document names neither."""
    body = {
        "models": [
            {"name": "seer", "endpoints": ["chat"], "supports_vision": True, "features": None},
            {"name": "pictures", "endpoints": ["embed_image"], "context_length": 0},
            {"name": "both", "endpoints": ["embed", "embed_image"]},
        ]
    }
    records = {r["id"]: r for r in cohere.normalize([body]).records}

    assert records["cohere/seer"]["architecture"]["input_modalities"] == ["text", "image"]
    assert records["cohere/seer"]["modelatlas"]["capabilities"]["vision"] is True
    assert records["cohere/pictures"]["architecture"]["input_modalities"] == ["image"]
    assert records["cohere/pictures"]["modelatlas"]["mode"] == "embedding"
    assert "context_length" not in records["cohere/pictures"]
    assert records["cohere/both"]["architecture"]["input_modalities"] == ["text", "image"]
    assert records["cohere/both"]["supported_methods"] == ["embedding"]
