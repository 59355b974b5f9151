"""The data-quality report: v1/quality.json's numbers on a small catalog, its schema, and the page."""

from __future__ import annotations

import json
from typing import Any

from modelatlas.ids import provider_ids
from modelatlas.render import RENDERER_MODULES
from modelatlas.render.catalog import Catalog
from modelatlas.render.json_api import URL_TEMPLATES
from modelatlas.render.output import content_bytes
from modelatlas.render.quality import (
    FIELD_HEADINGS,
    PAGE_PATH,
    has_field,
    page_named,
    quality_document,
    render,
)
from modelatlas.render.quality_rows import conflict_rows, dispute_rows
from modelatlas.render.templates import ENCODED_CHUNK_CHARS, environment, page_context
from modelatlas.schema import iter_violations


def model(provider: str, upstream: str, **fields: Any) -> dict[str, Any]:
    extension = fields.pop("modelatlas", {})
    record = {"id": f"{provider}/{upstream}", **fields}
    record["modelatlas"] = {"provider": provider, "upstream_id": upstream, "provenance": {}, **extension}
    return record


def catalog() -> Catalog:
    models = [
        model("bedrock", "amazon.nova-pro-v1:0", name="Nova Pro", owned_by="amazon", created=1,
              pricing={"prompt": "0.0000008"},
              modelatlas={"conflicts": {"pricing.prompt": {"litellm": "0.0000008", "models.dev": "0.000001"}},
                          "provenance": {"pricing.prompt": "litellm"}}),
        model("bedrock", "meta.llama3-8b-instruct-v1:0", name="meta.llama3-8b-instruct-v1:0", owned_by="meta",
              context_length=8192,
              modelatlas={"lifecycle": {"status": "retired"},
                          "conflicts": {"context_length": {"litellm": 8192, "models.dev": 4096}},
                          "provenance": {"context_length": "litellm"}}),
        model("bedrock", "old.model", modelatlas={"lifecycle": {"status": "removed"}}),
        model("bedrock", "amazon.nova-lite-v1:0", owned_by="amazon",
              modelatlas={"membership": {"basis": "recorded_list", "list_date": "2026-02-10"}}),
        model("bedrock", "ghost.model", name="Ghost", owned_by="ghost",
              modelatlas={"lifecycle": {"status": "unverified"}, "membership": {"basis": "stale_source"}}),
        model("azure", "Kimi-K3", modelatlas={
            "disputed": ["pricing.prompt"],
            "conflicts": {"pricing.prompt": {"portkey": "0.000033",
                                             "derived:openrouter/moonshotai/kimi-k3": "0.000003"}}}),
        model("azure", "gpt-4o", pricing={"prompt": "0.0000025"}, modelatlas={
            "disputed": ["pricing.prompt"], "provenance": {"pricing.prompt": "litellm"},
            "conflicts": {"pricing.prompt": {"litellm": "0.0000025", "portkey": "0.000005"}}}),
        model("openrouter", "moonshotai/kimi-k3", pricing={"prompt": "0.000003"}),
        model("openai", "gpt-x", modelatlas={"lifecycle": {"status": "deprecated"}}),
    ]
    rejected = [{"id": "guardrails", "reason": "lacks the vendor prefix", "sources": ["litellm"]}]
    providers = {p: {"provider": p, "status": {"source": "none", "count": 0, "stale": False}, "models": []}
                 for p in provider_ids()}
    providers["bedrock"]["status"]["rejected"] = rejected
    unused = {"entry": 3, "model": "anthropic.claude-v2", "reason": "no source lists it any more"}
    providers["bedrock"]["status"]["curated_unused"] = [unused]
    providers["azure"]["status"]["disputes"] = {"agreement": 3, "rule:azure-x": 1, "unsettled": 2}
    return Catalog(providers=providers, models=sorted(models, key=lambda m: m["id"]), page_size=10)


def test_numbers_per_provider_and_totals() -> None:
    doc = quality_document(catalog())
    assert list(iter_violations("quality", doc, "quality.json")) == []
    bedrock = next(p for p in doc["providers"] if p["provider"] == "bedrock")
    assert bedrock["models"] == 4  # the removed model is not listed
    assert bedrock["current"] == 2  # nor, among current ones, the retired and the unverified one
    # completeness is over current models; a name equal to the id is no name
    assert bedrock["completeness"]["name"] == {"count": 1, "percent": 50.0}
    assert bedrock["completeness"]["owned_by"] == {"count": 2, "percent": 100.0}
    assert bedrock["completeness"]["created"] == {"count": 1, "percent": 50.0}
    assert bedrock["lifecycle"] == {"deprecated": 0, "retired": 1, "removed": 1, "unverified": 1}
    assert bedrock["membership"] == {"recorded_list": 1, "stale_source": 1}
    assert bedrock["curated_unused"][0]["model"] == "anthropic.claude-v2"
    assert [(c["id"], c["field"], c["spread"], c["chosen"]) for c in bedrock["conflicts"]] == [
        ("bedrock/meta.llama3-8b-instruct-v1:0", "context_length", "0.5000", "litellm"),
        ("bedrock/amazon.nova-pro-v1:0", "pricing.prompt", "0.2000", "litellm"),
    ]
    assert bedrock["rejected"][0]["id"] == "guardrails"
    assert doc["totals"]["models"] == 8 and doc["totals"]["current"] == 6  # 1 removed, 2 hidden
    assert doc["totals"]["curated_unused"] == 1
    assert doc["totals"]["lifecycle"] == {"deprecated": 1, "retired": 1, "removed": 1, "unverified": 1}
    assert doc["totals"]["conflicts"] == 4 and doc["totals"]["rejected"] == 1
    assert doc["totals"]["completeness"]["owned_by"] == {"count": 2, "percent": 33.3}
    assert doc["totals"]["settled"] == {"agreement": 3, "rule:azure-x": 1, "unsettled": 2}
    assert doc["totals"]["disputes"] == 2
    azure = next(p for p in doc["providers"] if p["provider"] == "azure")
    assert azure["settled"] == {"agreement": 3, "rule:azure-x": 1, "unsettled": 2}
    kimi, gpt = azure["disputes"]
    assert kimi == {"id": "azure/Kimi-K3", "field": "pricing.prompt", "rules": [],
                    "values": {"portkey": "0.000033", "derived:openrouter/moonshotai/kimi-k3": "0.000003"},
                    "siblings": {"openrouter/moonshotai/kimi-k3": "0.000003"}}  # no value could stand
    assert (gpt["kept"], gpt["kept_source"]) == ("0.0000025", "litellm")
    assert gpt["rules"] == ["azure-openai-cache-writes-free-before-gpt-5.6"]  # tried, settled nothing here
    empty = next(p for p in doc["providers"] if p["provider"] == "sgl")
    assert empty["models"] == 0 and empty["completeness"]["name"]["percent"] == 0.0


def test_json_and_page_render_deterministically() -> None:
    files = {path: content_bytes(content) for path, content in render(catalog())}
    assert files == {path: content_bytes(content) for path, content in render(catalog())}
    assert json.loads(files["v1/quality.json"]) == quality_document(catalog())
    page = files["quality.html"].decode()
    assert "<h1>Data quality</h1>" in page and 'href="v1/quality.json"' in page
    assert "<code>guardrails</code> (litellm): lacks the vendor prefix" in page
    assert "Curated entries unused" in page and "<code>anthropic.claude-v2</code>" in page
    assert "<strong>LiteLLM: 8192</strong> (kept)" in page and "50.0%" in page
    bedrock = page[page.index('id="bedrock"') :]
    assert bedrock.index("context_length</code>") < bedrock.index("pricing.prompt</code></td>")  # largest 1st
    assert 'href="quality.html">Data quality</a>' in page
    azure = page[page.index('id="azure"') : page.index("</details>", page.index('id="azure"'))]
    assert azure.count("Still disputed (2)") == 1  # one table of the disputes, in $/1M
    assert "$2.50 per 1M tokens" in azure and "0.0000025</td>" not in azure  # no raw per-token cell
    assert "modelatlas.render.quality" in RENDERER_MODULES
    assert URL_TEMPLATES["quality"] in files  # v1/index.json points at the file this renderer writes


def test_a_model_page_lists_each_disagreement_with_every_source() -> None:
    from modelatlas.render.model_view import SECTION_TITLES, field_row, shown_fields

    disagreement = {"pricing.prompt": {"litellm": "0.0000015", "models.dev": "0.0000004"}}
    record = model("mistral", "m", pricing={"prompt": "0.0000015"},
                   modelatlas={"conflicts": disagreement, "provenance": {"pricing.prompt": "litellm"}})
    (row,) = [field_row(path, value, source, disputed) for section, path, value, source, disputed
              in shown_fields(record) if SECTION_TITLES[section] == "Where the sources disagree"]
    assert row.label == "conflicts › pricing › prompt"
    assert row.value == "LiteLLM: 0.0000015; models.dev: 0.0000004"


def test_token_limits_are_measured_over_the_models_that_take_tokens() -> None:
    models = [
        model("openai", "gpt-a", context_length=128000, max_output_tokens=16384, modelatlas={"mode": "chat"}),
        model("openai", "gpt-b", modelatlas={"mode": "chat"}),  # a chat model without limits: a gap
        model("openai", "text-embedding-x", context_length=8191, modelatlas={"mode": "embedding"}),
        model("openai", "tts-x", modelatlas={"mode": "audio_speech"}),  # no token window to state
        model("openai", "whisper-x", context_length=448, modelatlas={"mode": "audio_transcription"}),
        model("openrouter", "flux", architecture={"output_modalities": ["image"]}),  # mode unknown
        model("openrouter", "mystery"),  # nothing known: a window is expected
    ]
    providers = {p: {"provider": p, "status": {"source": "none", "count": 0, "stale": False}, "models": []}
                 for p in provider_ids()}
    doc = quality_document(Catalog(providers=providers, models=models, page_size=10))
    assert list(iter_violations("quality", doc, "quality.json")) == []
    totals = doc["totals"]["completeness"]
    # windows: gpt-a, the embedding, whisper (stated) + gpt-b, mystery (expected) = 3 of 5
    assert totals["context_length"] == {"count": 3, "percent": 60.0, "applicable": 5}
    # output limits: gpt-a of gpt-a, gpt-b, mystery (embeddings and speech write no tokens)
    assert totals["max_output_tokens"] == {"count": 1, "percent": 33.3, "applicable": 3}
    assert totals["name"] == {"count": 0, "percent": 0.0}  # other fields: over every current model


def test_a_name_that_repeats_the_id_counts_only_when_a_providers_page_says_so() -> None:
    def record(name: str, source: str) -> dict[str, Any]:
        extension = {"upstream_id": "o3", "provenance": {"name": source}}
        return {"id": "openai/o3", "name": name, "modelatlas": extension}

    assert not has_field(record("o3", "models.dev"), "name")
    assert has_field(record("o3", "curated"), "name")
    assert has_field(record("OpenAI o3", "models.dev"), "name")
    # a host's copy named from a record whose name a page gives counts; from any other, it does not
    maker = record("o3", "curated")
    host = {"id": "azure/o3", "name": "o3", "modelatlas": {"upstream_id": "o3",
            "provenance": {"name": "derived:openai/o3"}}}
    assert page_named([maker, host]) == {"openai/o3"}
    assert has_field(host, "name", page_named([maker, host]))
    assert not has_field(host, "name", page_named([record("o3", "models.dev"), host]))


def test_the_page_is_encoded_in_pieces_that_make_what_the_template_writes() -> None:
    fixture = catalog()
    page = dict(render(fixture))[PAGE_PATH].produce()
    assert isinstance(page, list) and all(len(piece) < 4 * ENCODED_CHUNK_CHARS for piece in page)
    whole = environment().get_template("quality.html").render(
        **page_context(fixture, PAGE_PATH), quality=quality_document(fixture), headings=FIELD_HEADINGS,
        dispute_rows=dispute_rows, conflict_rows=conflict_rows,
    )
    assert content_bytes(page) == whole.encode("utf-8")
