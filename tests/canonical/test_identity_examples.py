"""Identity, checked both ways: each over-merge and each missing link found in a review of the
canonical models is fixed by a rule (named in the comment) and pinned here, on records shaped like
the providers' real ids (OpenRouter's slugs and canonical slugs are its own list's)."""

from __future__ import annotations

from typing import Any

import pytest

from modelatlas.canonical import link_all
from modelatlas.canonical.matcher import Link, Unlinked
from modelatlas.render.canonical_view import cheapest
from modelatlas.render.offering_view import rank_key

Record = dict[str, Any]


def rec(provider: str, upstream: str, **fields: Any) -> Record:
    extension = {"provider": provider, "upstream_id": upstream, "provenance": {}}
    extension.update(fields.pop("modelatlas", {}))
    return {"id": f"{provider}/{upstream}", **fields, "modelatlas": extension}


def openrouter(upstream: str, canonical: str | None = None, hugging_face: str | None = None) -> Record:
    fields: dict[str, Any] = {"canonical_slug": canonical} if canonical else {}
    if hugging_face:
        fields["hugging_face_id"] = hugging_face
    return rec("openrouter", upstream, **fields)


def slugs(records: list[Record]) -> dict[str, str | None]:
    report = link_all(records, [])
    links = report.links
    return {r["id"]: (links[r["id"]].canonical_slug if r["id"] in links else None) for r in records}


def test_a_preview_date_never_takes_another_previews_snapshot() -> None:
    # OpenRouter's own entry for the 05-06 preview names the 03-25 preview as its canonical slug; a
    # canonical slug lacking one of its id's numbers names another snapshot (names_this_model).
    records = [
        openrouter("google/gemini-2.5-pro-preview-05-06", "google/gemini-2.5-pro-preview-03-25"),
        openrouter("google/gemini-2.5-pro-preview", "google/gemini-2.5-pro-preview-06-05"),
        rec("gemini", "gemini-2.5-pro-preview-05-06"),
        rec("gemini", "gemini-2.5-pro-preview-03-25"),
        rec("vertex", "gemini-2.5-pro-preview-05-06"),
    ]
    linked = slugs(records)
    assert linked["gemini/gemini-2.5-pro-preview-05-06"] == "google/gemini-2.5-pro-preview-05-06"
    assert linked["vertex/gemini-2.5-pro-preview-05-06"] == "google/gemini-2.5-pro-preview-05-06"
    assert linked["openrouter/google/gemini-2.5-pro-preview-05-06"] == "google/gemini-2.5-pro-preview-05-06"
    assert linked["gemini/gemini-2.5-pro-preview-03-25"] == "google/gemini-2.5-pro-preview-03-25"
    # an undated preview alias keeps the dated preview its list names as current
    assert linked["openrouter/google/gemini-2.5-pro-preview"] == "google/gemini-2.5-pro-preview-06-05"


def test_a_bedrock_version_zero_is_that_version_and_nothing_else() -> None:
    # Bedrock's -v0:2 is the model's own version 0.2, never the unversioned model (version_readings)
    mistral_7b = openrouter("mistralai/mistral-7b-instruct", "mistralai/mistral-7b-instruct-v0.3")
    bedrock = rec("bedrock", "mistral.mistral-7b-instruct-v0:2")
    assert slugs([mistral_7b, bedrock])["bedrock/mistral.mistral-7b-instruct-v0:2"] is None
    v02 = openrouter("mistralai/mistral-7b-instruct-v0.2", "mistralai/mistral-7b-instruct-v0.2")
    linked = slugs([mistral_7b, v02, bedrock])
    assert linked["bedrock/mistral.mistral-7b-instruct-v0:2"] == "mistralai/mistral-7b-instruct-v0.2"


def test_a_chatgpt_alias_is_not_a_dated_snapshot() -> None:
    # OpenAI's -latest ids follow ChatGPT's model (no ModelIds.latest_aliases): a moving alias
    from modelatlas.fetch.catalogs.resolve import finish

    catalog = {"openai": [rec("openai", "gpt-4o-2024-11-20"), rec("openai", "gpt-4o-latest")]}
    records = finish(catalog, __import__("collections").Counter())["openai"]
    assert all("alias_of" not in r["modelatlas"] for r in records)
    report = link_all([openrouter("openai/gpt-4o-2024-11-20"), *records], [])
    assert report.unlinked["openai/gpt-4o-latest"] is Unlinked.MOVING_ALIAS


@pytest.mark.parametrize(
    ("record", "reference", "slug"),
    [
        # Vertex: a generation tag before the snapshot date (Vertex decoration -v\d+@date)
        (rec("vertex", "claude-3-5-sonnet-v2@20241022"), rec("anthropic", "claude-3-5-sonnet-20241022"),
         "anthropic/claude-3-5-sonnet-20241022"),
        # Bedrock: words its ids leave out (NameReading.omitted_words: expert counts, "vision")
        (rec("bedrock", "meta.llama4-maverick-17b-instruct-v1:0"),
         openrouter("meta-llama/llama-4-maverick", "meta-llama/llama-4-maverick-17b-128e-instruct",
                    "meta-llama/Llama-4-Maverick-17B-128E-Instruct"),
         "meta-llama/llama-4-maverick-17b-128e-instruct"),
        (rec("bedrock", "us.meta.llama4-scout-17b-instruct-v1:0"),
         openrouter("meta-llama/llama-4-scout", "meta-llama/llama-4-scout-17b-16e-instruct",
                    "meta-llama/Llama-4-Scout-17B-16E-Instruct"),
         "meta-llama/llama-4-scout-17b-16e-instruct"),
        (rec("bedrock", "meta.llama3-2-11b-instruct-v1:0"),
         openrouter("meta-llama/llama-3.2-11b-vision-instruct", "meta-llama/llama-3.2-11b-vision-instruct"),
         "meta-llama/llama-3.2-11b-vision-instruct"),
        (rec("bedrock", "meta.llama3-2-3b-instruct-v1:0"),
         openrouter("meta-llama/llama-3.2-3b-instruct"), "meta-llama/llama-3.2-3b-instruct"),
        # Bedrock: a version-only name after the vendor (version_readings)
        (rec("bedrock", "deepseek.v3.2"),
         openrouter("deepseek/deepseek-v3.2", "deepseek/deepseek-v3.2-20251201"),
         "deepseek/deepseek-v3.2-20251201"),
        # Bedrock: -instruct left out (NameReading.implied_suffixes), found by the Hugging Face id
        (rec("bedrock", "qwen.qwen3-coder-480b-a35b-v1:0"),
         openrouter("qwen/qwen3-coder", "qwen/qwen3-coder-480b-a35b-07-25",
                    "Qwen/Qwen3-Coder-480B-A35B-Instruct"),
         "qwen/qwen3-coder-480b-a35b-07-25"),
        # Bedrock: -v4:0 is the model's own version 4.0
        (rec("bedrock", "cohere.embed-v4:0"), rec("cohere", "embed-v4.0"), "cohere/embed-v4.0"),
        # Groq: the context window its old ids end in (Groq decoration)
        (rec("groq", "llama3-70b-8192"),
         openrouter("meta-llama/llama-3-70b-instruct", "meta-llama/llama-3-70b-instruct"),
         "meta-llama/llama-3-70b-instruct"),
        # Mistral: open-<model> names its open-weights models (Mistral decoration)
        (rec("mistral", "open-mistral-nemo"), openrouter("mistralai/mistral-nemo", "mistralai/mistral-nemo"),
         "mistralai/mistral-nemo"),
    ],
)
def test_a_providers_own_spelling_links_to_the_same_model_elsewhere(
    record: Record, reference: Record, slug: str
) -> None:
    assert slugs([reference, record])[record["id"]] == slug


def test_display_names_link_what_the_id_hides() -> None:
    # Bedrock's deepseek.v3-v1:0 is DeepSeek-V3.1 by its list's own name: the id reads as V3
    records = [
        openrouter("deepseek/deepseek-chat-v3.1", "deepseek/deepseek-chat-v3.1", "deepseek-ai/DeepSeek-V3.1"),
        openrouter("deepseek/deepseek-chat", "deepseek/deepseek-chat-v3", "deepseek-ai/DeepSeek-V3"),
        rec("bedrock", "deepseek.v3-v1:0", name="DeepSeek-V3.1"),
    ]
    assert slugs(records)["bedrock/deepseek.v3-v1:0"] == "deepseek/deepseek-chat-v3.1"


def test_mistrals_yymm_suffix_is_a_snapshot_of_one_model() -> None:
    ids = ("pixtral-12b-2409", "pixtral-12b", "mistral-large-2411", "mistral-large-2407")
    report = link_all([rec("mistral", upstream) for upstream in ids], [])
    pixtral = Link("mistralai/pixtral-12b", "mistralai/pixtral-12b-2409")
    assert report.links["mistral/pixtral-12b-2409"] == pixtral
    assert report.links["mistral/pixtral-12b"].family == "mistralai/pixtral-12b"
    assert report.links["mistral/pixtral-12b"].canonical_slug != "mistralai/pixtral-12b-2409"
    large = {report.links[f"mistral/mistral-large-{v}"].canonical_slug for v in ("2411", "2407")}
    assert large == {"mistralai/mistral-large-2411", "mistralai/mistral-large-2407"}  # never merged


def live(provider: str, upstream: str, prompt: str, **extension: Any) -> Record:
    return rec(provider, upstream, pricing={"prompt": prompt, "completion": prompt}, modelatlas=extension)


def test_cheapest_and_the_order_leave_out_what_is_not_pay_per_use_or_not_live() -> None:
    offerings = [
        live("openrouter", "meta-llama/llama-3.3-70b-instruct:free", "0", offering="free_tier"),
        live("openrouter", "openai/gpt-4o:batch", "0.0000001", offering="batch"),
        live("ollama", "llama3.3:70b", "0", offering="subscription"),
        live("groq", "llama-3.3-70b-versatile", "0.0000006", lifecycle={"status": "retired"}),
        live("azure", "Llama-3.3-70B-Instruct", "0.0000002", lifecycle={"status": "unverified"}),
        live("bedrock", "meta.llama3-3-70b-instruct-v1:0", "0.00000072"),
        live("cerebras", "llama-3.3-70b", "0.00000085", lifecycle={"status": "deprecated"}),
    ]
    best = cheapest(offerings, "prompt")
    assert best is not None and best["id"] == "bedrock/meta.llama3-3-70b-instruct-v1:0"
    anything = cheapest(offerings, "prompt", include_all=True)
    assert anything is not None and anything["pricing"]["prompt"] == "0"  # asked for: every offering
    ordered = [r["id"].split("/", 1)[0] for r in sorted(offerings, key=rank_key)]
    assert ordered == ["bedrock", "cerebras", "ollama", "openrouter", "openrouter", "azure", "groq"]


def test_the_canonical_json_marks_offerings_that_are_not_live_or_not_per_use() -> None:
    from modelatlas.render.canonical_api import offering
    from modelatlas.render.links import Linker

    LINKER, WHERE = Linker(None), "v1/canonical/meta-llama/llama-3.1-70b-instruct.json"

    links = {"links": {"details": "v1/model/x.json"}}
    retired = live("groq", "llama-3.1-70b-versatile", "0.00000059", lifecycle={"status": "retired"}, **links)
    free = live("openrouter", "meta-llama/llama-3.3-70b-instruct:free", "0", offering="free_tier", **links)
    plain = live("bedrock", "meta.llama3-3-70b-instruct-v1:0", "0.00000072", **links)
    shown = {name: offering(record, LINKER, WHERE) for name, record in
             (("retired", retired), ("free", free), ("plain", plain))}
    assert shown["retired"]["status"] == "retired" and "offering" not in shown["retired"]
    assert shown["free"]["offering"] == "free_tier" and "status" not in shown["free"]
    assert "status" not in shown["plain"] and "offering" not in shown["plain"]
