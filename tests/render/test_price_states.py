"""Free, not billed, unknown and disputed prices look different on every page, and offerings that
are hidden or not pay-per-use are marked and never ranked first (docs/pricing.md). Data:
tests/fixtures/site/market, which carries the fields of the price contract."""

from __future__ import annotations

import json

import pytest

from modelatlas.render import html
from modelatlas.render.build import load_catalog
from modelatlas.render.canonical_page import offerings, pricing
from modelatlas.render.catalog import Catalog
from modelatlas.render.output import content_bytes
from modelatlas.render.price_table import price_table
from modelatlas.render.price_view import PriceState, amount_cell, field_cell
from modelatlas.render.site_paths import model_page
from tests.paths import FIXTURES

MARKET = FIXTURES / "site" / "market"


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(MARKET)


@pytest.fixture(scope="module")
def site(catalog: Catalog) -> dict[str, str]:
    return {path: content_bytes(content).decode("utf-8") for path, content in html.render(catalog)}


def record(catalog: Catalog, model_id: str) -> dict:
    return next(m for m in catalog.models if m["id"] == model_id)


def test_the_four_states_of_a_price(catalog: Catalog) -> None:
    gpt4o = record(catalog, "openai/gpt-4o")
    assert field_cell(gpt4o, "pricing.prompt").text == "$2.50"
    cache_write = field_cell(gpt4o, "pricing.input_cache_write")
    assert (cache_write.state, cache_write.text, cache_write.comparable) == (
        PriceState.NOT_BILLED,
        "not billed",
        False,
    )
    free = field_cell(record(catalog, "openrouter/meta-llama/llama-3.3-70b-instruct:free"), "pricing.prompt")
    assert (free.state, free.text, free.comparable) == (PriceState.FREE, "free", True)
    unknown = field_cell(record(catalog, "groq/llama-3.3-70b-versatile"), "pricing.input_cache_read")
    assert (unknown.state, unknown.title) == (PriceState.UNKNOWN, "unknown: no source we trust states it")
    disputed = field_cell(record(catalog, "vertex/claude-sonnet-4-5@20250929"), "pricing.input_cache_write")
    assert disputed.disputed and disputed.state is PriceState.KNOWN and "disputed" in disputed.title
    image = field_cell(record(catalog, "openai/gpt-image-1"), "modelatlas.extra_pricing.output_image")
    assert (image.text, image.title) == ("$0.08333", "exactly $0.0833333333333")  # per image, not per 1M
    assert amount_cell("2.5").title == ""  # nothing to add when the text is exact


def test_the_search_index_carries_the_states(site: dict[str, str]) -> None:
    index = json.loads(site["site-index.json"])
    rows = index["rows"]
    ids = [index["providers"][p] + "/" + u for p, u in zip(rows["p"], rows["u"], strict=True)]

    def row(model_id: str) -> dict:
        at = ids.index(model_id)
        return {key: column[at] for key, column in rows.items()}

    gpt4o = row("openai/gpt-4o")
    assert gpt4o["cw"] is None and gpt4o["nb"] == 0b1000 and gpt4o["cr"] == "1.25"
    lyria = row("gemini/lyria-002")
    assert lyria["pp"] is None and lyria["pc"] is None and lyria["nb"] == 0b0011
    assert row("vertex/claude-sonnet-4-5@20250929")["dp"] == 0b1000
    assert row("openrouter/meta-llama/llama-3.3-70b-instruct:free")["of"] == 1
    assert row("openrouter/anthropic/claude-sonnet-4.5:batch")["of"] == 2
    assert index["offerings"][1:] == ["free tier", "batch only", "subscription", "self-hosted"]
    assert index["listings"][row("cerebras/llama-3.3-70b")["s"]] == "retired"
    assert index["listings"][row("vertex/meta/llama-3.3-70b-instruct-maas")["s"]] == "unverified"
    gemini = row("gemini/gemini-2.5-pro")
    assert (gemini["lt"], gemini["lp"]) == (200000, "2.5")  # the long-context tier of the prompt price
    assert row("anthropic/claude-sonnet-4-5-20250929")["a"] == "claude-sonnet-4-5"
    assert index["firstParty"][index["providers"].index("anthropic")] == "anthropic"


def test_the_catalog_table_shows_states_in_words_and_to_screen_readers(site: dict[str, str]) -> None:
    page = site["providers/openai.html"]
    gpt4o = page.split('title="openai/gpt-4o"')[0].rsplit("<tr>", 1)[1]
    assert 'class="num price not_billed" title="not billed: this component does not apply' in gpt4o
    embedding = page.split('title="openai/text-embedding-3-small"')[0].rsplit("<tr>", 1)[1]
    assert (
        embedding.count(">not billed<") == 1 and '<span role="img" aria-label="unknown">–</span>' in embedding
    )
    free = site["providers/openrouter.html"].split(
        'title="openrouter/meta-llama/llama-3.3-70b-instruct:free"'
    )[0]
    assert '<span class="badge note">free tier</span>' in free.rsplit("<tr>", 1)[1]


def test_a_model_page_prices_by_region_tier_and_context(catalog: Catalog, site: dict[str, str]) -> None:
    table = price_table(record(catalog, "anthropic/claude-sonnet-4-5-20250929"))
    assert [key for key, _ in table.columns] == [
        "prompt",
        "completion",
        "input_cache_read",
        "input_cache_write",
        "input_cache_write_1h",
    ]
    rows = [(r.region, r.tier, r.context, r.cells["prompt"].text, r.sources) for r in table.rows]
    assert rows == [
        ("default", "standard", "", "$3.00", "models.dev"),
        ("default", "standard", "input over 200,000 tokens", "$6.00", "LiteLLM"),
        ("default", "batch", "", "$1.50", "LiteLLM, Portkey"),  # two sources that agree: one row
    ]
    assert table.rows[1].cells["input_cache_write_1h"].state is PriceState.UNKNOWN  # never the base price
    vertex = price_table(record(catalog, "vertex/claude-sonnet-4-5@20250929"))
    assert len(vertex.rows) == 1 + 1 + 6  # standard, one batch (merged), three regions x two tiers
    gemini = price_table(record(catalog, "gemini/gemini-2.5-pro"))
    assert all(r.cells["input_cache_write"].state is PriceState.NOT_BILLED for r in gemini.rows)
    page = site[model_page(record(catalog, "vertex/claude-sonnet-4-5@20250929"))]
    prices = page.split('id="prices"')[1].split("</table>")[0]
    assert prices.count('<tr data-region="europe-west1"') == 2 and 'class="mark"' in prices
    assert "disputed</span>" in page.split('id="h-fields"')[1]


def test_canonical_offerings_are_ranked_for_a_buyer_and_hidden_ones_marked(catalog: Catalog) -> None:
    llama = next(g for g in catalog.groups if g.slug == "meta-llama/llama-3.3-70b-instruct")
    ranked = offerings(pricing(llama))
    assert [r["id"] for r in ranked.shown] == [
        "openrouter/meta-llama/llama-3.3-70b-instruct",
        "groq/llama-3.3-70b-versatile",
        "bedrock/meta.llama3-3-70b-instruct-v1:0",
        "bedrock/us.meta.llama3-3-70b-instruct-v1:0",
        "openrouter/meta-llama/llama-3.3-70b-instruct:free",  # a free tier: listed, after every host
    ]
    assert {r["id"]: r["listing"] for r in ranked.hidden} == {
        "cerebras/llama-3.3-70b": "retired",
        "vertex/meta/llama-3.3-70b-instruct-maas": "unverified",
    }
    batch = [t for t in ranked.tiers if t["tier"] == "batch"]
    assert [(t["id"], t["sources"]) for t in batch] == [
        ("bedrock/meta.llama3-3-70b-instruct-v1:0", "LiteLLM, Portkey"),  # not "batch; batch"
        ("bedrock/us.meta.llama3-3-70b-instruct-v1:0", "LiteLLM"),
    ]


def test_provider_pages_keep_hidden_models_apart_and_marked(site: dict[str, str]) -> None:
    vertex = site["providers/vertex.html"]
    listed, hidden = vertex.split('id="hidden-models"')
    assert "meta/llama-3.3-70b-instruct-maas" not in listed and "gemini-2.5-pro" in listed
    assert '<span class="badge warn">unverified</span>' in hidden.split("</details>")[0]
    assert "2 listed, and 1 retired, removed or unverified" in listed
