"""OpenRouter normalization over a cut of the real response (tests/fixtures/sources/openrouter_cut.json)."""

from __future__ import annotations

from collections import Counter

from modelatlas.fetch.catalogs import openrouter
from modelatlas.jsonio import load_path, loads
from modelatlas.schema import iter_violations
from tests.paths import FIXTURES

FIXTURE = FIXTURES / "sources" / "openrouter_cut.json"


def _records() -> dict:
    result = openrouter.normalize(load_path(FIXTURE))
    assert list(result) == ["openrouter"]  # the whole list belongs to provider openrouter
    return {r["modelatlas"]["upstream_id"]: r for r in result["openrouter"]}


def test_all_models_under_openrouter_sorted() -> None:
    result = openrouter.normalize(load_path(FIXTURE))
    assert [r["id"] for r in result["openrouter"]] == [
        "openrouter/anthropic/claude-opus-4.7-fast",
        "openrouter/google/gemini-3.1-flash-lite",
        "openrouter/openrouter/auto",
        "openrouter/poolside/laguna-xs.2:free",
    ]


def test_negative_prices_are_unknown_and_links_not_copied() -> None:
    auto = _records()["openrouter/auto"]
    assert "pricing" not in auto  # "-1" means "varies"
    assert "links" not in auto["modelatlas"]
    assert auto["architecture"]["modality"] == "text+image+file+audio+video->text+image"


def test_fields_nulls_and_provenance() -> None:
    records = _records()
    fast = records["anthropic/claude-opus-4.7-fast"]
    assert fast["pricing"] == {
        "prompt": "0.00003", "completion": "0.00015", "web_search": "0.01",
        "input_cache_read": "0.000003", "input_cache_write": "0.0000375",
    }
    assert fast["canonical_slug"] == "anthropic/claude-4.7-opus-fast-20260512"
    assert "hugging_face_id" not in fast and "default_parameters" not in fast  # all null upstream
    assert "per_request_limits" not in fast
    top = {"context_length": 1000000, "max_completion_tokens": 128000, "is_moderated": True}
    assert fast["top_provider"] == top
    assert fast["owned_by"] == "anthropic"
    free = records["poolside/laguna-xs.2:free"]
    assert free["pricing"] == {"prompt": "0", "completion": "0"}  # free, not unknown
    assert free["hugging_face_id"] == "poolside/Laguna-XS.2"
    assert free["default_parameters"] and None not in free["default_parameters"].values()
    audio = records["google/gemini-3.1-flash-lite"]
    assert "input_audio_token" in audio["modelatlas"]["extra_pricing"]
    for record in records.values():
        assert set(record["modelatlas"]["provenance"].values()) == {"openrouter"}
        assert list(iter_violations("model", record, record["id"])) == []


def test_hostile_entries() -> None:
    raw = loads(
        """{"data": [
          {"id": "a/ok", "name": "<script>alert(1)</script>", "context_length": -3,
           "architecture": {"input_modalities": ["text", "smell"], "output_modalities": ["embeddings"]},
           "pricing": {"prompt": "1e-6", "completion": "0.0000020"}, "created": 1.5},
          {"id": "a/ok", "name": "duplicate"},
          {"id": ""}, {"id": 7}, "not an object"]}"""
    )
    skipped: Counter[str] = Counter()
    result = openrouter.normalize(raw, skipped)
    (record,) = result["openrouter"]
    assert record["name"] == "<script>alert(1)</script>"  # kept as text; renderers escape it
    assert record["pricing"] == {"prompt": "0.000001", "completion": "0.000002"}
    assert record["architecture"] == {"input_modalities": ["text"]}
    assert "context_length" not in record and "created" not in record
    assert skipped == Counter(
        {
            "duplicate id": 1,
            "id is empty or whitespace": 1,
            "id is not a string": 1,
            "model entry is not an object": 1,
        }
    )
    assert openrouter.normalize({"data": None}) == {}


def test_a_name_is_one_clean_line() -> None:
    raw = {"data": [{"id": "z-ai/glm-4-32b", "name": "Z.ai: GLM 4 32B ", "context_length": 128000},
                    {"id": "b/two", "name": " Two\n  lines\u0007 ", "context_length": 8000}]}
    names = [r["name"] for r in openrouter.normalize(raw)["openrouter"]]
    assert names == ["Two lines", "Z.ai: GLM 4 32B"]  # sorted by id; spaces trimmed and collapsed
