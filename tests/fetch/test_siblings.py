"""The sibling key: every id of one model, at every provider, shares it (fetch/siblings.py)."""

from __future__ import annotations

import pytest

from modelatlas.fetch.siblings import model_name, sibling_key

SAME_MODEL = [
    # (provider, upstream id) pairs that name one model, and the key they share
    ([("openai", "gpt-4o-2024-08-06"), ("openai", "gpt-4o"), ("openrouter", "openai/gpt-4o"),
      ("azure", "gpt-4o")], "gpt-4o"),
    ([("bedrock", "anthropic.claude-3-5-sonnet-20241022-v2:0"),
      ("bedrock", "us.anthropic.claude-3-5-sonnet-20241022-v2:0"),
      ("anthropic", "claude-3-5-sonnet-20241022"), ("openrouter", "anthropic/claude-3.5-sonnet")],
     "claude-3-5-sonnet"),
    # a preview's month and day, then the stage, in either order, as long as either ends the name
    ([("gemini", "gemini-2.5-pro-preview-05-06"), ("gemini", "gemini-2.5-pro"),
      ("vertex", "gemini-2.5-pro-exp-2025-03-25"), ("openrouter", "google/gemini-2.5-pro-preview")],
     "gemini-2-5-pro"),
    ([("openrouter", "meta-llama/llama-3.1-8b-instruct:free"), ("groq", "llama-3.1-8b-instruct")],
     "llama-3-1-8b-instruct"),
]


@pytest.mark.parametrize(("ids", "key"), SAME_MODEL)
def test_every_id_of_one_model_has_its_key(ids: list[tuple[str, str]], key: str) -> None:
    assert {sibling_key(provider, upstream) for provider, upstream in ids} == {key}


def test_latest_is_not_a_stage_and_different_models_keep_apart() -> None:
    assert sibling_key("gemini", "gemini-pro-latest") != sibling_key("gemini", "gemini-pro")
    assert sibling_key("openai", "gpt-4o-mini") != sibling_key("openai", "gpt-4o")
    assert sibling_key("openai", "o1-mini-2024-09-12") == sibling_key("openai", "o1-mini") == "o-1-mini"


def test_model_name_takes_off_the_geography_and_the_vendor_segment() -> None:
    assert model_name("bedrock", "eu.anthropic.claude-3-haiku-20240307-v1:0") == (
        "anthropic", "claude-3-haiku-20240307-v1:0")
    assert model_name("openrouter", "openai/gpt-4o") == ("openai", "gpt-4o")
    assert model_name("openai", "gpt-4o") == (None, "gpt-4o")
