"""The HTML site renderer over the fixture catalog: pages, links, escaping, changes, determinism."""

from __future__ import annotations

import json
import posixpath
import re
from html.parser import HTMLParser

import pytest

from modelatlas.fetch.providers import registry
from modelatlas.filenames import model_filename
from modelatlas.ids import provider_ids
from modelatlas.jsonio import load_path
from modelatlas.render import html
from modelatlas.render.build import load_catalog, model_details_path
from modelatlas.render.catalog import Catalog
from modelatlas.render.offering_view import listing_of
from modelatlas.render.output import content_bytes
from modelatlas.render.provider_status import statement
from modelatlas.render.site_index import row_view
from modelatlas.render.site_paths import BROWSE_PAGE_SIZE, is_safe_output_path, provider_chart_page
from modelatlas.render.templates import page_context
from tests.paths import FIXTURES as ALL_FIXTURES

FIXTURES = ALL_FIXTURES / "site"


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(FIXTURES)


@pytest.fixture(scope="module")
def site(catalog: Catalog) -> dict[str, bytes]:
    return rendered(catalog)


def rendered(catalog: Catalog) -> dict[str, bytes]:
    """Every page of the site, lazy ones rendered."""
    return {path: content_bytes(content) for path, content in html.render(catalog)}


def text(site: dict[str, bytes], path: str) -> str:
    return site[path].decode("utf-8")


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value is not None:
                self.urls.append(value)


def links_of(page: str) -> list[str]:
    parser = _Links()
    parser.feed(page)
    return parser.urls


def with_record(catalog: Catalog, record: dict) -> Catalog:
    provider = record["modelatlas"]["provider"]
    record["modelatlas"]["links"] = {
        "details": model_details_path(provider, model_filename(record["modelatlas"]["upstream_id"]))
    }
    models = sorted([*catalog.models, record], key=lambda m: m["id"])
    return Catalog(providers=catalog.providers, models=models, page_size=catalog.page_size)


def test_every_page_is_rendered_at_a_safe_path(catalog: Catalog, site: dict[str, bytes]) -> None:
    paths = list(site)
    assert all(is_safe_output_path(p) for p in paths)
    for required in (
        "index.html",
        "site-index.json",
        "compare.html",
        "charts/index.html",
        "browse/1.html",
        "static/site.css",
        "static/catalog.js",
    ):
        assert required in site
    for provider in provider_ids():
        assert f"providers/{provider}.html" in site and f"charts/{provider}.html" in site
    for model in catalog.models:
        stem = model_filename(model["modelatlas"]["upstream_id"])
        assert f"model/{model['modelatlas']['provider']}/{stem}.html" in site
    assert "model/openrouter/openai_gpt-4o~abb375db7e.html" in site  # the id's "/" never becomes a folder


def test_render_is_deterministic(catalog: Catalog) -> None:
    assert list(rendered(catalog).items()) == list(rendered(catalog).items())


def test_every_relative_link_resolves_and_none_is_root_absolute(site: dict[str, bytes]) -> None:
    for path, content in site.items():
        if not path.endswith(".html"):
            continue
        for url in links_of(content.decode("utf-8")):
            if url.startswith(("https://", "http://", "data:", "#")):
                continue
            assert not url.startswith("/"), f"{path}: root-absolute link {url} breaks subpath hosting"
            target = posixpath.normpath(
                posixpath.join(posixpath.dirname(path), url.split("?")[0].split("#")[0])
            )
            assert not target.startswith(".."), f"{path}: {url} leaves the site"
            if target.startswith(("v1/", "changes/")) or target in ("changes.xml", "quality.html"):
                continue  # written by the JSON API, feed and quality renderers
            assert target in site, f"{path}: broken link {url}"


def test_changes_page_is_always_linked_and_says_since_when_nothing_changed(
    catalog: Catalog, site: dict[str, bytes]
) -> None:
    assert 'href="changes.html"' in text(site, "index.html")
    empty = text(site, "changes.html")
    assert "Nothing has changed since 20 November 2026" in empty  # the earliest refresh: where the log starts
    assert 'href="changes.xml"' in empty and 'href="changes/openai.xml"' in empty
    changes = [
        {
            "date": "2026-11-27",
            "model": "openai/gpt-4o",
            "provider": "openai",
            "kind": "changed",
            "field": "pricing.prompt",
            "before": "0.000005",
            "after": "0.0000025",
            "percent": "-50",
            "source": "litellm",
        },
        {
            "date": "2026-11-20",
            "model": "openai/gone",
            "provider": "openai",
            "kind": "added",
            "before": None,
            "after": {"name": "Gone", "context_length": 8192, "pricing": {"prompt": "0.000001"}},
            "source": "models.dev",
        },
    ]
    changed = rendered(Catalog(catalog.providers, catalog.models, catalog.page_size, changes))
    page = changed["changes.html"].decode()
    assert "2 changes recorded since 20 November 2026, the latest on 27 November 2026" in page
    prices = page.split('id="prices"')[1].split("</section>")[0]
    assert 'href="model/openai/gpt-4o.html"' in prices and "Prompt ($/1M tokens)" in prices
    assert prices.index(">$5.00<") < prices.index(">$2.50<") and "-50%" in prices
    added = page.split('id="added"')[1].split("</section>")[0]
    assert "openai/gone" in added and "Gone · 8,192 context · prompt $1.00/1M" in added
    model_page = changed["model/openai/gpt-4o.html"].decode()
    assert "Change history" in model_page and "0.000005" in model_page
    assert "Change history" not in changed["model/openai/gpt-4o-mini.html"].decode()


def test_model_page_shows_prices_per_million_and_per_unit_with_sources(site: dict[str, bytes]) -> None:
    page = text(site, "model/openai/gpt-4o.html")
    assert "$2.50 per 1M tokens ($0.0000025 per token)" in page
    assert "$10.00 per 1M tokens ($0.00001 per token)" in page
    assert "curated" in page and "LiteLLM" in page and "provider API" in page
    assert 'href="../../v1/model/openai/gpt-4o.json"' in page
    assert "curl -s" in page
    assert (
        "<strong>flagship</strong>" in page
        and 'href="https://platform.openai.com/docs/models/gpt-4o"' in page
    )
    audio = text(site, "model/openai/gpt-4o-audio-preview.html")
    assert "$40.00 per 1M tokens ($0.00004 per token)" in audio  # extra_pricing.input_audio_token
    for field in ("context length", "max output tokens", "tool call", "release date", "owned by", "created"):
        assert field in page, field


def test_same_model_at_other_providers_comes_from_the_canonical_model(site: dict[str, bytes]) -> None:
    sonnet = text(site, "model/anthropic/claude-3-5-sonnet-20240620.html")
    assert "bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0" in sonnet
    assert "vertex/claude-3-5-sonnet@20240620" in sonnet
    link = 'href="../../canonical/anthropic/claude-3-5-sonnet-20240620.html">Claude 3.5 Sonnet at 3 providers'
    assert link in sonnet
    gpt4o = text(site, "model/openai/gpt-4o.html")
    assert "openrouter/openai/gpt-4o" in gpt4o
    assert "openai/gpt-4o-mini" not in gpt4o.split('id="h-twins"')[1]
    assert "No other offering of this snapshot is listed" in text(site, "model/openai/gpt-4o-mini.html")


def test_a_canonical_page_lists_every_offering_cheapest_first(site: dict[str, bytes]) -> None:
    page = text(site, "canonical/meta-llama/llama-3.1-8b-instruct.html")
    assert "<h1>Llama 3.1 8B Instruct at 2 providers</h1>" in page
    free = page.index('data-id="openrouter/meta-llama/llama-3.1-8b-instruct:free"')
    assert free < page.index('data-id="bedrock/meta.llama3-1-8b-instruct-v1:0"')
    assert 'href="../../v1/canonical/meta-llama/llama-3.1-8b-instruct.json"' in page
    assert "128,000" in page and "$0.22" in page


def test_provider_pages_say_where_the_data_came_from_in_plain_words(site: dict[str, bytes]) -> None:
    bedrock = text(site, "providers/bedrock.html")
    statement = bedrock.split('class="source-statement"')[1].split("</p>")[0]
    assert ">stale<" in statement and "From public catalogs (LiteLLM, models.dev)" in statement
    assert "the last good list" in statement and "20 November 2026" in statement
    assert "HTTP 403" not in statement  # the operator's reason is kept, collapsed, below
    assert "HTTP 403 from bedrock" in bedrock.split('class="operator"')[1]
    assert "foundation-models" in bedrock  # what its list endpoint offers
    openai = text(site, "providers/openai.html").split('class="source-statement"')[1].split("</p>")[0]
    assert "no API key was configured for this run" in openai and "OPENAI_API_KEY" not in openai
    assert ">public catalogs<" in openai and ">fresh<" not in openai
    anthropic = text(site, "providers/anthropic.html")
    assert "From Anthropic&#39;s own model list API" in anthropic and ">provider API<" in anthropic
    parasail = text(site, "providers/parasail.html")
    assert "Why there are no models" in parasail and 'class="badge none">no data<' in parasail


def test_provider_tables_leave_out_the_provider_column(site: dict[str, bytes]) -> None:
    openai = text(site, "providers/openai.html")
    assert (
        ">Provider</th>" not in openai
        and 'href="../providers/openai.html"' not in openai.split("<table")[1].split("</table>")[0]
    )
    assert ">Provider</th>" in text(site, "index.html") and ">Provider</th>" in text(site, "browse/1.html")


def test_a_provider_page_is_what_its_template_writes_with_the_rows_in_place(catalog: Catalog) -> None:
    # Its tables' rows are written into a frame of the page piece by piece (never the whole table as
    # one string): the same bytes as the template rendering them itself.
    site = html._Site(catalog)
    for provider in provider_ids():
        path, content = site.provider(provider)
        models, declaration = catalog.models_of(provider), registry.declared(provider)
        status = catalog.providers[provider]["status"]
        whole = site.env.get_template("provider.html").render(
            **page_context(catalog, path), provider=provider, status=status,
            said=statement(provider, status, len(models)),
            endpoint=f"GET {declaration.list_url}", offers=declaration.metadata,
            rows=[row_view(m) for m in models if not listing_of(m).hidden],
            hidden_rows=[row_view(m) for m in models if listing_of(m).hidden],
            chart_href=provider_chart_page(provider),
        )
        assert content_bytes(content) == whole.encode("utf-8"), provider
        assert "\x00" not in whole


def test_model_rows_show_modalities_compactly_with_words(site: dict[str, bytes]) -> None:
    page = text(site, "providers/openai.html")
    audio = page.split("gpt-4o-audio-preview", 2)[2].split("</tr>")[0]
    assert '<span role="img" aria-label="Input: text, audio; output: text, audio">TA→TA</span>' in audio
    assert 'title="openai/gpt-4o-audio-preview"' in page  # the full id on hover where it is cut


def test_charts_have_a_table_alternative_and_a_marker_legend(site: dict[str, bytes]) -> None:
    overall = text(site, "charts/index.html")
    summary = overall.split('id="chart-table"')[1].split("</table>")[0]
    assert summary.count("<tr>") == 1 + 5  # header + the five providers with plotted models
    assert '<a href="openai.html">OpenAI</a>' in summary and "$0.02" in summary
    assert overall.count('<svg class="marker"') == 5 + 5  # legend (providers with points only) + summary rows
    openai = text(site, "charts/openai.html")
    listed = openai.split('id="chart-table"')[1].split("</tbody>")[0]
    assert listed.count("<tr>") == 1 + 4 and listed.index("$0.02") < listed.index("$2.50")  # cheapest first


def test_search_index_is_columnar_and_exact(catalog: Catalog, site: dict[str, bytes]) -> None:
    index = json.loads(site["site-index.json"])
    rows = index["rows"]
    assert index["count"] == len(catalog.models)
    assert {len(column) for column in rows.values()} == {len(catalog.models)}
    at = [index["providers"][p] + "/" + u for p, u in zip(rows["p"], rows["u"], strict=True)].index(
        "openai/gpt-4o"
    )
    assert (rows["pp"][at], rows["pc"][at], rows["cr"][at], rows["cw"][at]) == ("2.5", "10", "1.25", None)
    assert rows["c"][at] == 128000 and rows["d"][at] == "2024-05-13"
    assert index["inputModalities"][:2] == ["text", "image"] and rows["mi"][at] == 0b11
    assert "tool_call" in index["capabilities"]
    free = [index["providers"][p] + "/" + u for p, u in zip(rows["p"], rows["u"], strict=True)].index(
        "openrouter/meta-llama/llama-3.1-8b-instruct:free"
    )
    assert rows["pp"][free] == "0" and rows["f"][free] == "meta-llama_llama-3.1-8b-instruct_free~ade62c00d2"
    llama = index["canonicalModels"][rows["cm"][free]]
    assert llama == {
        "slug": "meta-llama/llama-3.1-8b-instruct",
        "family": "meta-llama/llama-3.1-8b-instruct",
        "name": "Llama 3.1 8B Instruct",
        "href": "canonical/meta-llama/llama-3.1-8b-instruct.html",
        "providers": 2,
    }
    bedrock = [index["providers"][p] + "/" + u for p, u in zip(rows["p"], rows["u"], strict=True)].index(
        "bedrock/meta.llama3-1-8b-instruct-v1:0"
    )
    assert rows["cm"][bedrock] == rows["cm"][free]
    assert rows["cm"][at] != rows["cm"][free]
    ids = [index["providers"][p] + "/" + u for p, u in zip(rows["p"], rows["u"], strict=True)]
    assert rows["cm"][ids.index("vertex/gemini-2.5-pro")] is None  # only a third party lists it


def test_home_table_is_capped_and_browse_pages_cover_everything(catalog: Catalog) -> None:
    template = catalog.models[0]
    many = []
    for n in range(600):
        record = json.loads(json.dumps(template))
        record["modelatlas"]["upstream_id"] = f"bulk-{n:04d}"
        record["id"] = f"{template['modelatlas']['provider']}/bulk-{n:04d}"
        many.append(record)
    big = Catalog(catalog.providers, sorted(many, key=lambda m: m["id"]), 100)
    site = rendered(big)
    home = site["index.html"].decode()
    assert home.count("<tr>") - 1 == html.HOME_ROWS  # header row + capped body
    pages = [p for p in site if p.startswith("browse/")]
    assert len(pages) == -(-600 // BROWSE_PAGE_SIZE)
    listed = sum(site[p].decode().count('class="name"') for p in pages)
    assert listed == 600


def test_hostile_record_is_escaped_and_stays_inside(catalog: Catalog) -> None:
    hostile = load_path(FIXTURES / "hostile" / "record.json")
    site = rendered(with_record(catalog, hostile))
    assert all(is_safe_output_path(p) for p in site)
    stem = model_filename(hostile["modelatlas"]["upstream_id"])
    page = site[f"model/openrouter/{stem}.html"].decode()
    for path, content in site.items():
        if not path.endswith(".html"):
            continue  # site-index.json carries the raw text as JSON data; the scripts use textContent
        body = content.decode("utf-8", "replace")
        assert "<script>window" not in body and "<img src=x" not in body and "<svg onload" not in body
        assert not re.search(r"href=\"\s*javascript:", body, re.IGNORECASE)
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in page
    assert 'href="https://example.com/ok"' in page


def test_templates_fail_loudly_on_undefined_names() -> None:
    from jinja2 import UndefinedError

    env = html.environment()
    with pytest.raises(UndefinedError):
        env.from_string("{{ missing.field }}").render()
    assert str(env.from_string("{{ x }}").render(x="<b>")) == "&lt;b&gt;"


@pytest.mark.parametrize(
    "bad", ["/etc/passwd", "../x", "a/../../x", "a/./b", "a//b", "a\\b", "C:/x", "", "a/", "."]
)
def test_a_path_leaving_the_build_or_naming_no_file_is_not_a_safe_output_path(bad: str) -> None:
    assert not is_safe_output_path(bad)
    assert is_safe_output_path("model/openai/gpt-4o.html") and is_safe_output_path("a..b/c.d")
