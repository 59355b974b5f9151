"""Merging one provider's records from several sources: priority, provenance, joins, model list."""

from __future__ import annotations

from datetime import date
from typing import Any

from modelatlas.fetch.merge import MergeContext, merge_provider
from modelatlas.fetch.providers import bedrock, openai
from modelatlas.fetch.spellings import match_key
from tests.fetch.records import rec


def test_disagreement_newest_source_wins_and_conflict_is_kept() -> None:
    sources = {
        "litellm": [
            rec("openai", "gpt-4o", "litellm", pricing__prompt="0.000003", pricing__completion="0.00001",
                max_input_tokens=128000)
        ],
        "models.dev": [rec("openai", "gpt-4o", "models.dev", pricing__prompt="0.0000025", name="GPT-4o")],
        "provider_api": [rec("openai", "gpt-4o", "provider_api", created=1715367049)],
    }
    dates = {"litellm": date(2026, 11, 1), "models.dev": date(2026, 7, 2)}
    (merged,) = merge_provider("openai", sources, context=MergeContext(dates=dates)).models
    assert merged["pricing"] == {"prompt": "0.000003", "completion": "0.00001"}
    assert merged["modelatlas"]["provenance"] == {
        "pricing.prompt": "litellm",
        "pricing.completion": "litellm",
        "max_input_tokens": "litellm",
        "name": "models.dev",
        "created": "provider_api",
        "modelatlas.not_billed": "rule:openai-cache-write-free-before-gpt-5.6",  # openai.py's rule
    }
    assert merged["modelatlas"]["conflicts"] == {
        "pricing.prompt": {"litellm": "0.000003", "models.dev": "0.0000025"}
    }
    assert merged["modelatlas"]["not_billed"] == ["pricing.input_cache_write"]


def test_models_dev_record_date_is_its_own_last_updated() -> None:
    sources = {
        "litellm": [rec("openai", "m", "litellm", max_output_tokens=1000)],
        "models.dev": [rec("openai", "m", "models.dev", max_output_tokens=2000,
                           modelatlas__lifecycle__last_updated="2026-09-01")],
    }
    newer_md = {"litellm": date(2026, 8, 1), "models.dev": date(2026, 10, 1)}
    (merged,) = merge_provider("openai", sources, context=MergeContext(dates=newer_md)).models
    assert merged["max_output_tokens"] == 2000  # 2026-09-01 (its record) is newer than 2026-08-01
    older_md = {"litellm": date(2026, 9, 15), "models.dev": date(2026, 10, 1)}
    (merged,) = merge_provider("openai", sources, context=MergeContext(dates=older_md)).models
    assert merged["max_output_tokens"] == 1000
    assert merged["modelatlas"]["conflicts"] == {"max_output_tokens": {"litellm": 1000, "models.dev": 2000}}


def test_independent_sources_that_agree_outvote_a_newer_one() -> None:
    sources = {
        "litellm": [rec("groq", "m", "litellm", pricing__prompt="0.000001")],
        "models.dev": [rec("groq", "m", "models.dev", pricing__prompt="0.000002")],
        "openrouter": [rec("groq", "m", "openrouter", pricing__prompt="0.000002005")],  # within 1%
    }
    dates = {"litellm": date(2026, 11, 1), "models.dev": date(2026, 7, 2), "openrouter": date(2026, 5, 15)}
    (merged,) = merge_provider("groq", sources, context=MergeContext(dates=dates)).models
    assert merged["pricing"]["prompt"] == "0.000002"
    assert merged["modelatlas"]["provenance"]["pricing.prompt"] == "models.dev"
    assert set(merged["modelatlas"]["conflicts"]["pricing.prompt"]) == {"litellm", "models.dev", "openrouter"}


def test_a_copy_is_not_an_independent_vote() -> None:
    sources = {
        "litellm": [rec("groq", "m", "litellm", pricing__prompt="0.000001")],
        "models.dev": [rec("groq", "m", "models.dev", pricing__prompt="0.000002")],
        "ruby_llm": [rec("groq", "m", "models.dev", pricing__prompt="0.000002")],
    }
    sources["ruby_llm"][0]["modelatlas"]["provenance"]["pricing.prompt"] = "ruby_llm"
    dates = {"litellm": date(2026, 11, 1), "models.dev": date(2026, 7, 2), "ruby_llm": date(2026, 8, 19)}
    (merged,) = merge_provider("groq", sources, context=MergeContext(dates=dates)).models
    assert merged["modelatlas"]["provenance"]["pricing.prompt"] == "litellm"  # 1 vote each: newest wins


def test_agreeing_prices_and_zero_placeholders() -> None:
    sources = {
        "litellm": [rec("cohere", "m", "litellm", pricing__prompt="0", pricing__completion="0.00001")],
        "models.dev": [rec("cohere", "m", "models.dev", pricing__prompt="0.0000025",
                           pricing__completion="0.0000100999")],
    }
    dates = {"litellm": date(2026, 11, 1), "models.dev": date(2026, 7, 2)}
    (merged,) = merge_provider("cohere", sources, context=MergeContext(dates=dates)).models
    assert merged["pricing"]["prompt"] == "0.0000025"  # litellm's "0" is a placeholder
    assert merged["pricing"]["completion"] == "0.00001"  # within 1%: no conflict, newest kept
    assert list(merged["modelatlas"]["conflicts"]) == ["pricing.prompt"]


def test_provider_api_wins_even_against_agreeing_catalogs() -> None:
    sources = {
        "provider_api": [rec("mistral", "m", "provider_api", context_length=256000)],
        "litellm": [rec("mistral", "m", "litellm", context_length=128000)],
        "models.dev": [rec("mistral", "m", "models.dev", context_length=128000)],
    }
    (merged,) = merge_provider("mistral", sources).models
    assert merged["context_length"] == 256000
    assert merged["modelatlas"]["provenance"]["context_length"] == "provider_api"
    assert merged["modelatlas"]["conflicts"]["context_length"]["provider_api"] == 256000


def test_openrouter_outranks_models_dev_for_openrouter() -> None:
    sources = {
        "models.dev": [rec("openrouter", "a/b", "models.dev", name="md", context_length=1,
                           modelatlas__lifecycle__last_updated="2026-06-01")],
        "openrouter": [rec("openrouter", "a/b", "openrouter", name="or", context_length=2)],
    }
    (merged,) = merge_provider("openrouter", sources).models
    assert merged["name"] == "or" and merged["context_length"] == 2
    assert merged["modelatlas"]["provenance"]["name"] == "openrouter"


def test_spelling_variants_become_one_record_with_aliases() -> None:
    sources = {
        "litellm": [rec("cerebras", "llama-3.1-8b", "litellm", pricing__prompt="0.0000001"),
                    rec("cerebras", "llama3.1-8b", "litellm", pricing__prompt="0.0000001"),
                    rec("cerebras", "llama-3.1-70b", "litellm")],
    }
    pinned = MergeContext(pinned=frozenset({"llama3.1-8b"}))  # a curated file names this spelling
    merged = merge_provider("cerebras", sources, context=pinned).models
    assert [m["id"] for m in merged] == ["cerebras/llama-3.1-70b", "cerebras/llama3.1-8b"]
    assert merged[1]["modelatlas"]["aliases"] == ["llama-3.1-8b"]
    api = {"provider_api": [rec("mistral", "mistral-medium-3.5", "provider_api")],
           "litellm": [rec("mistral", "mistral-medium-3-5", "litellm", context_length=5)]}
    (one,) = merge_provider("mistral", api).models
    assert one["id"] == "mistral/mistral-medium-3.5" and one["context_length"] == 5
    assert one["modelatlas"]["aliases"] == ["mistral-medium-3-5"]


def test_ids_against_the_provider_grammar_are_rejected_with_reasons() -> None:
    sources = {
        "litellm": [rec("bedrock", "anthropic.claude-haiku-4-5@20251001", "litellm"),
                    rec("bedrock", "claude-sonnet-4-5-20250929-v1:0", "litellm"),
                    rec("bedrock", "us.anthropic.claude-sonnet-4-5-20250929-v1:0", "litellm"),
                    rec("bedrock", "anthropic.claude-3-haiku-20240307-v1:0", "litellm")],
        "models.dev": [rec("bedrock", "guardrails", "models.dev")],
    }
    result = merge_provider("bedrock", sources, context=MergeContext(grammar=bedrock.PROVIDER.id_grammar))
    assert [m["id"] for m in result.models] == [
        "bedrock/anthropic.claude-3-haiku-20240307-v1:0",
        "bedrock/us.anthropic.claude-sonnet-4-5-20250929-v1:0",
    ]
    reasons = {r["id"]: (r["reason"], r["sources"]) for r in result.rejected}
    assert reasons["anthropic.claude-haiku-4-5@20251001"][0].startswith("uses Vertex AI's model@version")
    assert reasons["claude-sonnet-4-5-20250929-v1:0"][0].startswith("lacks the vendor prefix")
    assert reasons["guardrails"] == (reasons["claude-sonnet-4-5-20250929-v1:0"][0], ["models.dev"])


def test_price_tier_needs_its_base_and_the_api_is_never_rejected() -> None:
    grammar = openai.PROVIDER.id_grammar
    ids = ("sora-2-pro", "sora-2-pro-high-res", "x-high-res", "container")
    sources = {"litellm": [rec("openai", uid, "litellm") for uid in ids]}
    result = merge_provider("openai", sources, context=MergeContext(grammar=grammar))
    assert [m["id"] for m in result.models] == ["openai/sora-2-pro", "openai/x-high-res"]
    assert [r["id"] for r in result.rejected] == ["container", "sora-2-pro-high-res"]
    with_api = {**sources, "provider_api": [rec("openai", "container", "provider_api")]}
    result = merge_provider("openai", with_api, context=MergeContext(grammar=grammar))
    assert "openai/container" in [m["id"] for m in result.models]


def test_modality_derived_when_absent() -> None:
    record = rec("openai", "m", "models.dev", architecture__input_modalities=["text", "image"],
                 architecture__output_modalities=["text"])
    (merged,) = merge_provider("openai", {"models.dev": [record]}).models
    assert merged["architecture"]["modality"] == "text+image->text"
    assert merged["modelatlas"]["provenance"]["architecture.modality"] == "derived"
    given = rec("openrouter", "x/y", "openrouter", architecture__modality="text->text",
                architecture__input_modalities=["text", "image"], architecture__output_modalities=["text"])
    (kept,) = merge_provider("openrouter", {"openrouter": [given]}).models
    assert kept["architecture"]["modality"] == "text->text"
    assert kept["modelatlas"]["provenance"]["architecture.modality"] == "openrouter"


def test_join_is_conservative() -> None:
    assert match_key("gemini", "models/gemini-2.5-pro") == match_key("gemini", "gemini-2.5-pro")
    published = match_key("vertex", "publishers/google/models/gemini-2.5-pro")
    assert published == match_key("vertex", "gemini-2.5-pro")
    assert match_key("openai", "GPT-4o") == match_key("openai", "gpt-4o")
    # separators fold; letters and digits never do: a wrong join is worse than a duplicate
    assert match_key("anthropic", "claude-opus-4.7") == match_key("anthropic", "claude-opus-4-7")
    assert match_key("azure", "model_router") == match_key("azure", "model-router")
    assert match_key("cerebras", "llama3.1-8b") == match_key("cerebras", "llama-3.1-8b")
    assert match_key("openai", "gpt-4.1") != match_key("openai", "gpt-41")
    assert match_key("openai", "o3") != match_key("openai", "o3-mini")
    assert match_key("openai", "gpt-4o") != match_key("openai", "gpt-4o-2024-08-06")
    assert match_key("openrouter", "~openai/gpt-latest") != match_key("openrouter", "openai/gpt-latest")


def test_union_versus_api_list() -> None:
    sources = {
        "provider_api": [rec("gemini", "models/gemini-2.5-pro", "provider_api", name="Gemini 2.5 Pro")],
        "models.dev": [rec("gemini", "gemini-2.5-pro", "models.dev", context_length=1048576),
                       rec("gemini", "gemini-1.0-pro", "models.dev", context_length=32000)],
    }
    union = merge_provider("gemini", sources).models
    assert [m["id"] for m in union] == ["gemini/gemini-1.0-pro", "gemini/models/gemini-2.5-pro"]
    (only,) = merge_provider("gemini", sources, api_list_only=True).models
    assert only["id"] == "gemini/models/gemini-2.5-pro"  # the API's own id wins
    assert only["context_length"] == 1048576
    assert only["modelatlas"]["provenance"]["context_length"] == "models.dev"
    assert only["modelatlas"]["upstream_id"] == "models/gemini-2.5-pro"


def test_same_source_duplicates_first_wins_and_inputs_untouched() -> None:
    first = rec("vertex", "claude@1", "models.dev", name="A")
    second = rec("vertex", "claude@1", "models.dev", name="B", context_length=5)
    (merged,) = merge_provider("vertex", {"models.dev": [first, second]}).models
    assert merged["name"] == "A" and merged["context_length"] == 5
    merged["name"] = "changed"
    assert first["name"] == "A"


def test_aliases_from_every_source_are_kept() -> None:
    sources = {
        "provider_api": [
            rec("mistral", "mistral-large-2411", "provider_api", modelatlas__aliases=["mistral-large-latest"])
        ],
        "litellm": [rec("mistral", "mistral-large-2411", "litellm", modelatlas__aliases=["mistral-large"])],
        "models.dev": [rec("mistral", "Mistral-Large-2411", "models.dev")],
    }
    (merged,) = merge_provider("mistral", sources).models
    assert merged["modelatlas"]["aliases"] == ["Mistral-Large-2411", "mistral-large", "mistral-large-latest"]


def test_a_tie_of_votes_goes_to_the_preferred_opinion() -> None:
    sources = {
        "litellm": [rec("groq", "m", "litellm", max_output_tokens=1)],
        "models.dev": [rec("groq", "m", "models.dev", max_output_tokens=2)],
        "openrouter": [rec("groq", "m", "openrouter", max_output_tokens=2)],
        "portkey": [rec("groq", "m", "litellm", max_output_tokens=1)],
        "ruby_llm": [rec("groq", "m", "litellm", max_output_tokens=3)],
    }
    for source in ("portkey", "ruby_llm"):
        sources[source][0]["modelatlas"]["provenance"]["max_output_tokens"] = source
    dates = {"litellm": date(2026, 11, 1), "models.dev": date(2026, 7, 2), "openrouter": date(2026, 5, 15),
             "portkey": date(2026, 8, 21), "ruby_llm": date(2026, 12, 1)}
    (merged,) = merge_provider("groq", sources, context=MergeContext(dates=dates)).models
    # 2 votes for 1, 2 votes for 2 (ruby_llm copies models.dev, so 3 has one): litellm's opinion is newer
    assert merged["max_output_tokens"] == 1


def _ids(result: Any) -> dict[str, list[str]]:
    return {m["modelatlas"]["upstream_id"]: m["modelatlas"].get("aliases", []) for m in result.models}


def test_ids_the_provider_lists_are_never_folded_into_one_another() -> None:
    # Azure's own list has both qwen-3-32b and qwen3-32b (one spelling key): both stay, and a catalog
    # spelling joins the one it matches but for case.
    api = [rec("azure", "qwen-3-32b", "provider_api"), rec("azure", "qwen3-32b", "provider_api")]
    catalog = [rec("azure", "Qwen3-32B", "litellm", pricing__prompt="0.0000001")]
    result = merge_provider("azure", {"provider_api": api, "litellm": catalog}, api_list_only=True)
    assert _ids(result) == {"qwen-3-32b": [], "qwen3-32b": ["Qwen3-32B"]}
    recorded = MergeContext(listed=frozenset({"qwen-3-32b", "qwen3-32b"}))
    both = {"models.dev": [rec("azure", uid, "models.dev") for uid in ("qwen-3-32b", "qwen3-32b")]}
    assert sorted(_ids(merge_provider("azure", both, context=recorded))) == ["qwen-3-32b", "qwen3-32b"]


def test_the_provider_list_spells_the_id_and_catalog_spellings_become_aliases() -> None:
    cats = {
        "models.dev": [rec("azure", "cohere-command-r-08-2024", "models.dev", context_length=128000)],
        "litellm": [rec("azure", "gpt-3.5-turbo", "litellm", pricing__prompt="0.0000005")],
    }
    listed = MergeContext(listed=frozenset({"Cohere-command-r-08-2024", "gpt-35-turbo"}))
    result = merge_provider("azure", cats, context=listed)
    # case folds; Azure declares gpt-35- as its spelling of gpt-3.5- (ModelIds.own_spellings)
    assert _ids(result) == {
        "Cohere-command-r-08-2024": ["cohere-command-r-08-2024"],
        "gpt-35-turbo": ["gpt-3.5-turbo"],
    }
    assert {m["id"]: m.get("pricing") for m in result.models}["azure/gpt-35-turbo"] == {"prompt": "0.0000005"}


def test_without_a_list_the_provider_own_form_is_the_id() -> None:
    cats = {
        "litellm": [rec("vertex", "claude-opus-4-1-20250805", "litellm"), rec("azure", "x", "litellm")],
        "portkey": [rec("vertex", "claude-opus-4-1-20250805", "portkey")],
        "models.dev": [rec("vertex", "claude-opus-4-1@20250805", "models.dev")],
    }
    vertex = {s: [r for r in rs if r["modelatlas"]["provider"] == "vertex"] for s, rs in cats.items()}
    # two sources write the dash, but Vertex's own spelling (the @ date) is the id
    expected = {"claude-opus-4-1@20250805": ["claude-opus-4-1-20250805"]}
    assert _ids(merge_provider("vertex", vertex)) == expected


def test_bedrock_version_suffix_spellings_join_and_the_list_decides() -> None:
    cats = {
        "litellm": [rec("bedrock", "anthropic.claude-opus-4-6-v1:0", "litellm"),
                    rec("bedrock", "qwen.qwen3-32b", "litellm")],
        "models.dev": [rec("bedrock", "anthropic.claude-v2:1", "models.dev"),
                       rec("bedrock", "anthropic.claude-v2", "models.dev")],
    }
    listed = MergeContext(listed=frozenset({"anthropic.claude-opus-4-6-v1", "qwen.qwen3-32b-v1:0"}))
    ids = _ids(merge_provider("bedrock", cats, context=listed))
    # the list's spelling is the id even where no catalog writes it so
    assert ids["anthropic.claude-opus-4-6-v1"] == ["anthropic.claude-opus-4-6-v1:0"]
    assert ids["qwen.qwen3-32b-v1:0"] == ["qwen.qwen3-32b"]
    assert "anthropic.claude-v2:1" in ids and "anthropic.claude-v2" in ids  # another revision, another model
    assert len(ids) == 4  # a listed id no source has makes no record


def test_shorter_names_of_a_listed_id_are_its_aliases() -> None:
    cats = {
        "models.dev": [
            rec("anthropic", "claude-sonnet-4-5", "models.dev"),  # dateless alias
            rec("anthropic", "claude-opus-4-0", "models.dev"),  # a .0 minor version
            rec("anthropic", "claude-4-sonnet-20250514", "models.dev"),  # words in the wrong order
            rec("anthropic", "claude-3-5-sonnet", "models.dev"),  # two listed snapshots share the name
        ],
        "portkey": [rec("bedrock", "qwen.qwen3-coder-30b-a3b-instruct", "portkey")],
    }
    anthropic = {"models.dev": cats["models.dev"]}
    listed = frozenset({
        "claude-sonnet-4-5-20250929", "claude-opus-4-20250514", "claude-sonnet-4-20250514",
        "claude-3-5-sonnet-20240620", "claude-3-5-sonnet-20241022",
    })
    ids = _ids(merge_provider("anthropic", anthropic, context=MergeContext(listed=listed)))
    assert ids == {
        "claude-sonnet-4-5-20250929": ["claude-sonnet-4-5"],
        "claude-opus-4-20250514": ["claude-opus-4-0"],
        "claude-sonnet-4-20250514": ["claude-4-sonnet-20250514"],
        "claude-3-5-sonnet": [],  # ambiguous: joins neither
    }
    qwen = {"portkey": cats["portkey"]}
    listed_qwen = MergeContext(listed=frozenset({"qwen.qwen3-coder-30b-a3b-v1:0"}))
    assert _ids(merge_provider("bedrock", qwen, context=listed_qwen)) == {
        "qwen.qwen3-coder-30b-a3b-v1:0": ["qwen.qwen3-coder-30b-a3b-instruct"]
    }


def test_sources_listing_each_record_are_reported() -> None:
    cats = {"litellm": [rec("groq", "a", "litellm")], "models.dev": [rec("groq", "A", "models.dev")]}
    result = merge_provider("groq", cats)
    assert result.listed_by == {"groq/A": ("models.dev", "litellm")}


def test_litellms_input_limit_is_no_window_when_another_source_states_one() -> None:
    sources = {
        "litellm": [rec("openai", "gpt-5", "litellm", context_length=272000, max_input_tokens=272000)],
        "models.dev": [rec("openai", "gpt-5", "models.dev", context_length=400000)],
    }
    (merged,) = merge_provider("openai", sources).models
    assert (merged["context_length"], merged["max_input_tokens"]) == (400000, 272000)
    alone = {"litellm": [rec("openai", "gpt-x", "litellm", context_length=128000)]}
    assert merge_provider("openai", alone).models[0]["context_length"] == 128000  # the best there is


def test_an_alias_and_its_only_snapshot_are_priced_together_and_each_dispute_is_logged() -> None:
    sources = {
        "portkey": [rec("azure", "o4-mini-deep-research", "portkey", pricing__prompt="0.000002"),
                    rec("azure", "o4-mini-deep-research-2025-06-26", "portkey", pricing__prompt="0.00001")],
        "litellm": [rec("azure", "o4-mini-deep-research", "litellm", pricing__prompt="0.000002")],
    }
    result = merge_provider("azure", sources)
    alias, dated = result.models
    assert alias["pricing"]["prompt"] == dated["pricing"]["prompt"] == "0.000002"
    assert dated["modelatlas"]["provenance"]["pricing.prompt"] == "derived:azure/o4-mini-deep-research"
    assert dated["modelatlas"]["conflicts"]["pricing.prompt"] == {
        "portkey": "0.00001", "derived:azure/o4-mini-deep-research": "0.000002"}
    assert result.settlements.step("azure/o4-mini-deep-research-2025-06-26", "pricing.prompt") == "agreement"


def test_the_providers_own_list_decides_every_value_it_states() -> None:
    sources = {
        "openrouter": [rec("openrouter", "a/b", "openrouter", context_length=1048576)],
        "models.dev": [rec("openrouter", "a/b", "models.dev", context_length=32000)],
        "portkey": [rec("openrouter", "a/b", "portkey", context_length=32000)],
    }
    result = merge_provider("openrouter", sources)
    assert result.models[0]["context_length"] == 1048576  # two catalogs agreeing do not outvote the list
    assert result.settlements.summary() == {"provider_api": 1}
