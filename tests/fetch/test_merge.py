"""Merging one provider's records from several sources: priority, provenance, joins, model list."""

from __future__ import annotations

from typing import Any

from modelatlas.fetch.merge import match_key, merge_provider
from modelatlas.fetch.record_builder import RecordBuilder


def rec(provider: str, upstream: str, source: str, **fields: Any) -> dict[str, Any]:
    builder = RecordBuilder(provider, upstream, source)
    for path, value in fields.items():
        builder.set(path.replace("__", "."), value)
    record = builder.build()
    assert record is not None
    return record


def test_priority_per_field_with_provenance() -> None:
    sources = {
        "litellm": [
            rec("openai", "gpt-4o", "litellm", pricing__prompt="0.000003", pricing__completion="0.00001",
                max_input_tokens=128000)
        ],
        "models.dev": [rec("openai", "gpt-4o", "models.dev", pricing__prompt="0.0000025", name="GPT-4o")],
        "provider_api": [rec("openai", "gpt-4o", "provider_api", created=1715367049)],
    }
    (merged,) = merge_provider("openai", sources)
    assert merged["pricing"] == {"prompt": "0.0000025", "completion": "0.00001"}
    assert merged["modelatlas"]["provenance"] == {
        "pricing.prompt": "models.dev",
        "pricing.completion": "litellm",
        "max_input_tokens": "litellm",
        "name": "models.dev",
        "created": "provider_api",
    }


def test_openrouter_outranks_models_dev_for_openrouter() -> None:
    sources = {
        "models.dev": [rec("openrouter", "a/b", "models.dev", name="md", context_length=1)],
        "openrouter": [rec("openrouter", "a/b", "openrouter", name="or")],
    }
    (merged,) = merge_provider("openrouter", sources)
    assert merged["name"] == "or" and merged["context_length"] == 1
    assert merged["modelatlas"]["provenance"]["name"] == "openrouter"


def test_modality_derived_when_absent() -> None:
    record = rec("openai", "m", "models.dev", architecture__input_modalities=["text", "image"],
                 architecture__output_modalities=["text"])
    (merged,) = merge_provider("openai", {"models.dev": [record]})
    assert merged["architecture"]["modality"] == "text+image->text"
    assert merged["modelatlas"]["provenance"]["architecture.modality"] == "derived"
    given = rec("openrouter", "x/y", "openrouter", architecture__modality="text->text",
                architecture__input_modalities=["text", "image"], architecture__output_modalities=["text"])
    (kept,) = merge_provider("openrouter", {"openrouter": [given]})
    assert kept["architecture"]["modality"] == "text->text"
    assert kept["modelatlas"]["provenance"]["architecture.modality"] == "openrouter"


def test_join_is_conservative() -> None:
    assert match_key("gemini", "models/gemini-2.5-pro") == match_key("gemini", "gemini-2.5-pro")
    assert match_key("vertex", "publishers/google/models/gemini-2.5-pro") == "gemini-2.5-pro"
    assert match_key("openai", "GPT-4o") == match_key("openai", "gpt-4o")
    # near-misses stay apart: a wrong join is worse than a duplicate
    assert match_key("anthropic", "claude-opus-4.7") != match_key("anthropic", "claude-opus-4-7")
    assert match_key("openai", "gpt-4o") != match_key("openai", "gpt-4o-2024-08-06")
    assert match_key("openrouter", "~openai/gpt-latest") != match_key("openrouter", "openai/gpt-latest")


def test_union_versus_api_list() -> None:
    sources = {
        "provider_api": [rec("gemini", "models/gemini-2.5-pro", "provider_api", name="Gemini 2.5 Pro")],
        "models.dev": [rec("gemini", "gemini-2.5-pro", "models.dev", context_length=1048576),
                       rec("gemini", "gemini-1.0-pro", "models.dev", context_length=32000)],
    }
    union = merge_provider("gemini", sources)
    assert [m["id"] for m in union] == ["gemini/gemini-1.0-pro", "gemini/models/gemini-2.5-pro"]
    (only,) = merge_provider("gemini", sources, api_list_only=True)
    assert only["id"] == "gemini/models/gemini-2.5-pro"  # the API's own id wins
    assert only["context_length"] == 1048576
    assert only["modelatlas"]["provenance"]["context_length"] == "models.dev"
    assert only["modelatlas"]["upstream_id"] == "models/gemini-2.5-pro"


def test_same_source_duplicates_first_wins_and_inputs_untouched() -> None:
    first = rec("vertex", "claude@1", "models.dev", name="A")
    second = rec("vertex", "claude@1", "models.dev", name="B", context_length=5)
    (merged,) = merge_provider("vertex", {"models.dev": [first, second]})
    assert merged["name"] == "A" and merged["context_length"] == 5
    merged["name"] = "changed"
    assert first["name"] == "A"
