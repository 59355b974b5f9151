"""Membership: which models a provider serves, with the evidence (docs/merge-policy.md, "Which
models are listed"), through refresh_provider as a fetch runs it."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from modelatlas.fetch.provider_lists import ProviderList
from modelatlas.fetch.refresh import refresh_provider, validate_doc
from tests.fetch.records import rec

NOW = datetime(2026, 11, 27, tzinfo=UTC)
DATES = {
    "models.dev": date(2026, 7, 2),
    "litellm": date(2026, 11, 1),
    "openrouter": date(2026, 5, 15),
    "ruby_llm": date(2026, 8, 19),
    "portkey": date(2026, 8, 21),
}


def catalogs(provider: str, *entries: tuple[str, str, dict[str, Any]]) -> dict[str, dict[str, list]]:
    result: dict[str, dict[str, list]] = {}
    for source, upstream, fields in entries:
        record = rec(provider, upstream, source, **fields)
        result.setdefault(source, {}).setdefault(provider, []).append(record)
    return result


def listed(provider: str, day: str, *ids: str, **kwargs: Any) -> ProviderList:
    return ProviderList(provider, date.fromisoformat(day), "GET test", ids, **kwargs)


def refresh(
    provider: str, cats: dict, provider_list: ProviderList | None = None, now: datetime = NOW, **kwargs: Any
) -> dict:
    doc = refresh_provider(
        provider, catalogs=cats, curated=[], now=now, dates=DATES, provider_list=provider_list, **kwargs
    )
    validate_doc(doc)
    return {m["modelatlas"]["upstream_id"]: m for m in doc["models"]} | {"": doc}


def basis(record: dict) -> tuple[str, str | None, str | None]:
    extension = record["modelatlas"]
    return (
        extension["membership"]["basis"],
        extension["membership"].get("list_date"),
        extension.get("lifecycle", {}).get("status"),
    )


def test_the_recorded_list_confirms_and_contradicts_by_date() -> None:
    old = {"modelatlas__lifecycle__release_date": "2024-03-01"}
    new = {"modelatlas__lifecycle__release_date": "2026-06-01"}
    cats = catalogs(
        "openai",
        ("models.dev", "gpt-4o", old), ("litellm", "gpt-4o", old),
        ("models.dev", "gpt-4-32k", old), ("litellm", "gpt-4-32k", old),  # older than the list, not on it
        ("models.dev", "gpt-6", new), ("litellm", "gpt-6", new),  # newer than the list
        ("models.dev", "gpt-7", {}), ("litellm", "gpt-7", {}),  # date unknown
    )
    models = refresh("openai", cats, listed("openai", "2026-02-10", "gpt-4o"))
    assert basis(models["gpt-4o"]) == ("recorded_list", "2026-02-10", None)
    assert basis(models["gpt-4-32k"]) == ("contradicted", "2026-02-10", "unverified")
    assert basis(models["gpt-6"]) == ("independent_sources", None, None)
    assert basis(models["gpt-7"]) == ("independent_sources", None, None)  # a list is silent about the future
    assert models["gpt-4o"]["modelatlas"]["membership"]["sources"] == ["models.dev", "litellm"]
    status = models[""]["status"]["provider_list"]
    assert status == {"date": "2026-02-10", "source": "GET test", "ids": 1, "matched": 1}


def test_a_partial_or_scoped_list_contradicts_nothing_outside_it() -> None:
    old = {"modelatlas__lifecycle__release_date": "2024-03-01"}
    cats = catalogs(
        "bedrock",
        ("models.dev", "us.anthropic.claude-x-v1:0", old), ("litellm", "us.anthropic.claude-x-v1:0", old),
        ("models.dev", "cohere.command-r-v1:0", old), ("litellm", "cohere.command-r-v1:0", old),
    )
    scoped = listed("bedrock", "2026-02-10", "amazon.nova-pro-v1:0", covers=r"(?!us\.).*")
    models = refresh("bedrock", cats, scoped)
    assert basis(models["us.anthropic.claude-x-v1:0"])[0] == "independent_sources"  # profiles: not its scope
    assert basis(models["cohere.command-r-v1:0"])[0] == "contradicted"
    partial = listed("bedrock", "2026-02-10", "amazon.nova-pro-v1:0", complete=False)
    assert basis(refresh("bedrock", cats, partial)["cohere.command-r-v1:0"])[0] == "independent_sources"


def test_one_catalog_alone_is_stale_when_a_newer_comparable_one_leaves_the_model_out() -> None:
    shared = [(source, f"m-{i}", {}) for i in range(4) for source in ("portkey", "litellm")]
    cats = catalogs(
        "groq",
        *shared,
        ("portkey", "mixtral-8x7b-32768", {}),  # Portkey (Aug) only; LiteLLM (Nov) lists most of Portkey's
        ("litellm", "brand-new", {}),  # the newest source alone: not stale
    )
    models = refresh("groq", cats)
    assert basis(models["mixtral-8x7b-32768"]) == ("stale_source", None, "unverified")
    assert basis(models["brand-new"]) == ("single_source", None, None)
    assert basis(models["m-0"])[0] == "independent_sources"


def test_a_catalog_of_another_offering_says_nothing_about_a_model_it_leaves_out() -> None:
    cats = catalogs(
        "ollama",
        ("models.dev", "kimi-k2.5", {}), ("models.dev", "glm-5", {}),  # Ollama's hosted models
        ("litellm", "llama2", {}), ("litellm", "vicuna", {}),  # models for a local server: no overlap
    )
    models = refresh("ollama", cats)
    assert {basis(models[m])[0] for m in ("kimi-k2.5", "glm-5", "llama2", "vicuna")} == {"single_source"}


def test_a_model_an_older_list_had_and_the_newer_one_lacks_is_gone_then_dropped() -> None:
    text = {"architecture__output_modalities": ["text"]}
    cats = catalogs(
        "openrouter",
        ("openrouter", "a/kept", text),
        ("models.dev", "a/phantom", text), ("portkey", "a/phantom", text),  # on no OpenRouter list
        ("ruby_llm", "a/newest", text),  # ruby_llm's copy of OpenRouter's output, newer than the list
    )
    cats["models.dev"]["openrouter"].append(rec("openrouter", "a/kept", "models.dev", **text))
    recent = listed("openrouter", "2026-05-01", "a/kept", "a/went", outputs=("text",))
    cats["portkey"]["openrouter"].append(rec("openrouter", "a/went", "portkey", **text))
    models = refresh("openrouter", cats, recent, now=datetime(2026, 7, 1, tzinfo=UTC))
    assert basis(models["a/kept"]) == ("provider_list", "2026-05-15", None)
    assert basis(models["a/newest"]) == ("provider_list", "2026-08-19", None)
    assert "a/phantom" not in models  # its list is its membership: other catalogs only enrich
    gone = models["a/went"]
    assert basis(gone) == ("gone", "2026-05-15", "removed")
    assert gone["modelatlas"]["lifecycle"]["last_seen"] == "2026-05-01"
    assert "a/went" not in refresh("openrouter", cats, recent)  # dropped 90 days after last_seen


def test_an_image_model_is_not_gone_from_a_text_only_list() -> None:
    image = {"architecture__output_modalities": ["image"]}
    cats = catalogs("openrouter", ("openrouter", "a/text", {}), ("ruby_llm", "a/flux", image))
    earlier = listed("openrouter", "2026-02-10", "a/flux", outputs=("text",))
    models = refresh("openrouter", cats, earlier)
    assert basis(models["a/flux"])[0] == "provider_list"


def test_the_live_list_is_the_membership() -> None:
    cats = catalogs("mistral", ("models.dev", "mistral-large-2411", {}), ("models.dev", "old-model", {}))
    api = [rec("mistral", "mistral-large-2411", "provider_api", name="Mistral Large")]
    models = refresh("mistral", cats, listed("mistral", "2026-02-10", "old-model"), api_records=api)
    assert set(models) == {"", "mistral-large-2411"}
    assert basis(models["mistral-large-2411"]) == ("provider_list", "2026-11-27", None)
    assert "provider_list" not in models[""]["status"]


def test_a_past_retirement_wins_over_unverified_and_deprecation_does_not() -> None:
    cats = catalogs(
        "groq",
        *[(s, f"m-{i}", {}) for i in range(4) for s in ("portkey", "litellm")],
        ("portkey", "dead", {"modelatlas__lifecycle__retirement_date": "2025-01-01"}),
        ("portkey", "doubtful", {"modelatlas__lifecycle__deprecation_date": "2025-01-01"}),
    )
    models = refresh("groq", cats)
    assert basis(models["dead"])[2] == "retired"
    assert basis(models["doubtful"])[2] == "unverified"
