"""The JSON files of a build carry everything the site's cost calculations need (docs/cost.md, "On
the site"): a canonical model's file prices every usage exactly as its offerings' own model files do,
and the canonical page is ranked by the default usage's cost, as ``modelatlas cost --cheapest``
ranks it. Data: tests/fixtures/site/market (it carries the price contract's fields)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from modelatlas.cost import Usage, load
from modelatlas.cost.errors import CostError
from modelatlas.cost.pricing import price_book_usage
from modelatlas.cost.ranking import cheapest
from modelatlas.cost.sheet import price_book
from modelatlas.jsonio import load_path
from modelatlas.render.build import assemble
from modelatlas.render.offering_view import listing_of
from tests.paths import FIXTURES

MARKET = FIXTURES / "site" / "market"
CONTRACT = ("context_tiers", "disputed", "extra_pricing", "not_billed", "pricing_variants")
USAGES: list[tuple[dict[str, Any], dict[str, Any]]] = [
    ({"input_tokens": 2000, "output_tokens": 500}, {}),
    ({"input_tokens": 250000, "cache_read_tokens": 50000, "output_tokens": 100}, {}),
    ({"input_tokens": 30000, "cache_write_tokens": 20000, "output_tokens": 100}, {"cache_ttl": "1h"}),
    ({"input_tokens": 1000, "output_tokens": 10}, {"tier": "batch"}),
    ({"input_tokens": 1000, "output_tokens": 10}, {"region": "us-gov-west-1"}),
    ({"output_seconds": "60"}, {}),
]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("market") / "build"
    assemble(MARKET, out)
    return out


def as_record(offering: dict[str, Any]) -> dict[str, Any]:
    """A canonical file's offering in the record shape the pricing reads (as static/canonical.js does)."""
    extension = {
        "upstream_id": offering["upstream_id"],
        **{k: offering[k] for k in CONTRACT if k in offering},
    }
    return {"id": offering["id"], "pricing": offering.get("pricing"), "modelatlas": extension}


def priced(record: dict[str, Any]) -> list[Any]:
    """Each usage's cost (lines without their source: a ranking needs none) or error kind."""
    book = price_book(record)
    results = []
    for usage, options in USAGES:
        try:
            cost = price_book_usage(book, Usage.from_mapping(usage), **options).as_json()
        except CostError as error:
            results.append(error.kind)
            continue
        cost["lines"] = [{k: v for k, v in line.items() if k != "source"} for line in cost["lines"]]
        results.append(cost)
    return results


def test_a_canonical_file_prices_every_usage_as_the_model_files_do(built: Path) -> None:
    compared = 0
    for path in sorted((built / "v1" / "canonical").glob("*/*.json")):
        if path.parent.name == "page":  # the index's pages
            continue
        for offering in load_path(path)["data"]["offerings"]:
            record = load_path(path.parent / offering["links"]["details"])["data"]  # the estimator's file
            assert priced(as_record(offering)) == priced(record), offering["id"]
            assert offering.get("offering") == record["modelatlas"].get("offering")
            listing = listing_of(record)
            assert offering.get("status") == (listing.label if listing.hidden else None)
            compared += 1
    assert compared >= 25
    gemini = load_path(built / "v1" / "canonical" / "google" / "gemini-2.5-pro.json")["data"]["offerings"][0]
    assert gemini["not_billed"] == ["pricing.input_cache_write"] and gemini["context_tiers"]


def page_order(built: Path, slug: str) -> list[str]:
    html = (built / "canonical" / f"{slug}.html").read_text(encoding="utf-8")
    table = html.split('id="offerings"', 1)[1].split("</table>", 1)[0]
    return re.findall(r'<tr data-id="([^"]+)">', table)


def test_the_canonical_page_is_ranked_by_the_default_usage_as_the_library_ranks(built: Path) -> None:
    prices = load(str(built))
    chat = Usage(input_tokens=2000, output_tokens=500)
    for slug in ("meta-llama/llama-3.3-70b-instruct", "anthropic/claude-sonnet-4.5-20250929"):
        ranking = cheapest(prices, slug, chat)
        standard = [offer.model for offer in ranking.offers if offer.region is None and offer.tier is None]
        order = page_order(built, slug)
        assert order[: len(standard)] == standard, slug
    llama = page_order(built, "meta-llama/llama-3.3-70b-instruct")
    assert llama[-1].endswith(":free")  # a free tier after every pay-per-use host, though it costs $0
    html = (built / "canonical" / "meta-llama" / "llama-3.3-70b-instruct.html").read_text(encoding="utf-8")
    assert 'data-total="0.00036"' in html  # OpenRouter: 2,000 x $0.10/1M + 500 x $0.32/1M
    assert "Costs below are for the preset <strong>Chat turn</strong>" in html


def test_an_embedding_model_is_priced_by_its_own_preset(built: Path) -> None:
    html = (built / "canonical" / "openai" / "text-embedding-3-small.html").read_text(encoding="utf-8")
    assert "preset <strong>Embedding 1M tokens</strong>" in html and 'data-total="0.02"' in html
    page = next((built / "model" / "openai").glob("text-embedding-3-small*.html")).read_text(encoding="utf-8")
    assert 'data-preset="chat"' in page and 'data-preset="embedding"' in page
    shown = re.findall(
        r'<button type="button" class="preset" data-preset="([a-z-]+)"[^>]*?(?<!hidden)>', page
    )
    assert "embedding" in shown
