"""The HTML catalog in headless Chromium: search, filters, sorting, URL state, navigation, compare,
keyboard use, and a hostile record that must not execute or escape (screenshots of every page:
test_layout_browser.py)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from modelatlas.jsonio import load_path
from tests.paths import FIXTURES

FIXTURE_PROVIDERS = FIXTURES / "site" / "providers"
FIXTURE_MODELS = [m for p in FIXTURE_PROVIDERS.glob("*.json") for m in load_path(p)["models"]]
RETIRED = sorted(
    m["id"] for m in FIXTURE_MODELS if m["modelatlas"].get("lifecycle", {}).get("status") == "retired"
)
TOTAL = len(FIXTURE_MODELS) - len(RETIRED)  # retired models are hidden until asked for

pytestmark = pytest.mark.browser


def open_catalog(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector("html[data-catalog-ready]")


def open_filters(page) -> None:
    """The facet panel is closed by default (the first screen is for rows): open it."""
    if page.get_attribute("#facet-panel", "open") is None:
        page.click("#facet-panel summary")


def row_ids(page) -> list[str]:
    return page.locator("#catalog-table tbody tr td.id .mid").all_inner_texts()


def wait_for_query(page, needle: str) -> None:
    """Poll the address (wait_for_function needs eval, which the site's CSP forbids)."""
    for _ in range(40):
        if needle in urlparse(page.url).query:
            return
        page.wait_for_timeout(50)
    raise AssertionError(f"{needle!r} never reached the URL: {page.url}")


def query_of(page) -> dict[str, list[str]]:
    return parse_qs(urlparse(page.url).query)


def test_search_narrows_rows_and_survives_reload(page, served) -> None:
    open_catalog(page, served["site"] + "index.html")
    assert len(row_ids(page)) == TOTAL
    page.fill("#q", "claude")
    ids = row_ids(page)
    assert 0 < len(ids) < TOTAL
    assert all("claude" in i for i in ids)
    assert f"of {TOTAL} models match" in page.inner_text("#result-count")
    wait_for_query(page, "q=claude")
    page.reload()
    page.wait_for_selector("html[data-catalog-ready]")
    assert page.input_value("#q") == "claude"
    assert row_ids(page) == ids


def test_retired_models_are_hidden_until_the_switch_shows_them(page, served) -> None:
    assert RETIRED == ["bedrock/amazon.titan-text-express-v1"]
    open_catalog(page, served["site"] + "index.html")
    assert RETIRED[0] not in row_ids(page)
    page.check("input[name=retired]")
    assert RETIRED[0] in row_ids(page) and len(row_ids(page)) == TOTAL + 1
    wait_for_query(page, "retired=show")
    page.reload()
    page.wait_for_selector("html[data-catalog-ready]")
    assert page.is_checked("input[name=retired]") and RETIRED[0] in row_ids(page)


def test_facet_filter_and_sort_land_in_url_and_survive_reload(page, served) -> None:
    open_catalog(page, served["site"] + "index.html")
    open_filters(page)
    page.check("input[name=provider][value=openai]")
    ids = row_ids(page)
    assert ids and all(i.startswith("openai/") for i in ids)
    prompt_header = page.locator("th[data-sort=pp] button")
    prompt_header.click()
    prompt_header.click()  # second click: descending
    assert page.get_attribute("th[data-sort=pp]", "aria-sort") == "descending"
    prices = page.locator("#catalog-table tbody tr td:nth-child(4)").all_inner_texts()
    numbers = [float(p.lstrip("$")) for p in prices if p.startswith("$")]
    assert numbers == sorted(numbers, reverse=True) and len(numbers) >= 3
    query = query_of(page)
    assert query["provider"] == ["openai"] and query["sort"] == ["pp"] and query["dir"] == ["desc"]
    sorted_ids = row_ids(page)
    page.reload()
    page.wait_for_selector("html[data-catalog-ready]")
    assert page.is_checked("input[name=provider][value=openai]")
    assert page.get_attribute("th[data-sort=pp]", "aria-sort") == "descending"
    assert row_ids(page) == sorted_ids


def test_min_context_and_modality_filters(page, served) -> None:
    open_catalog(page, served["site"] + "index.html?ctx=1000000")
    assert row_ids(page) == ["vertex/gemini-2.5-pro"]
    open_filters(page)
    page.select_option("#ctx", "")
    page.check("input[name=out][value=audio]")
    assert row_ids(page) == ["openai/gpt-4o-audio-preview"]
    assert query_of(page)["out"] == ["audio"]


def test_model_and_provider_pages_open_from_table(page, served) -> None:
    open_catalog(page, served["site"] + "index.html")
    page.fill("#q", "gpt-4o-mini")
    page.click("#catalog-table tbody tr >> nth=0 >> td:nth-child(2) a")
    page.wait_for_load_state()
    assert page.inner_text("h1") == "GPT-4o mini"
    assert "per 1M tokens" in page.inner_text("table.fields")
    assert "provider API" in page.inner_text("table.fields") or "models.dev" in page.inner_text(
        "table.fields"
    )
    json_href = page.get_attribute("a.button:text('JSON')", "href")
    response = page.request.get(page.url.rsplit("/", 1)[0] + "/" + json_href)
    assert response.ok and "gpt-4o-mini" in response.text()
    assert page.input_value("#curl-cmd").startswith("curl -s " + served["site"] + "v1/model/openai/")
    page.go_back()
    page.wait_for_selector("html[data-catalog-ready]")
    page.click("#catalog-table tbody tr >> nth=0 >> td:nth-child(3) a")
    page.wait_for_load_state()
    assert page.inner_text("h1").startswith("OpenAI")
    assert "From public catalogs" in page.inner_text(".source-statement")


def test_compare_shows_two_models(page, served) -> None:
    open_catalog(page, served["site"] + "index.html")
    page.fill("#q", "claude-3-5-sonnet")
    boxes = page.locator("#catalog-table tbody input[type=checkbox]")
    boxes.nth(0).check()
    boxes.nth(1).check()
    assert page.inner_text("#compare-link") == "Compare selected (2)"
    page.click("#compare-link")
    page.wait_for_selector("html[data-compare-ready]")
    headers = page.locator("#compare-table thead th a").all_inner_texts()
    assert len(headers) == 2
    assert query_of(page)["m"] == [
        "anthropic/claude-3-5-sonnet-20240620",
        "bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0",
    ]
    assert "$3.00" in page.inner_text("#compare-table")


def test_keyboard_search_sort_and_visible_focus(page, served) -> None:
    open_catalog(page, served["site"] + "index.html")
    page.locator("h1").click()
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "q"
    page.keyboard.type("gemini")
    assert row_ids(page) == ["vertex/gemini-2.5-pro"]
    page.keyboard.press("Escape")
    page.focus("th[data-sort=c] button")
    page.keyboard.press("Enter")
    assert page.get_attribute("th[data-sort=c]", "aria-sort") == "ascending"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"


def test_hostile_record_does_not_execute(page, served) -> None:
    base = served["hostile"]
    open_catalog(page, base + "index.html")
    page.fill("#q", "evil")
    link = page.locator("#catalog-table tbody tr >> nth=0 >> td:nth-child(2) a")
    assert "<script>" in link.inner_text()  # shown as text
    link.click()
    page.wait_for_load_state()
    assert page.evaluate("window.__pwned") is None
    assert "<script>window.__pwned=1</script>" in page.inner_text("h1")
    description = page.locator(".description")
    assert [a.get_attribute("href") for a in description.locator("a").all()] == ["https://example.com/ok"]
    assert page.locator("script:not([src])").count() == 0
    page.goto(base + "compare.html?m=" + 'openrouter/../../evil"><script>window.__pwned=1</script>')
    page.wait_for_selector("html[data-compare-ready]")
    assert page.evaluate("window.__pwned") is None
    root = Path(str(served["root"])).resolve()
    for path in root.rglob("*"):
        assert root in path.resolve().parents
    assert not any(p.name == "evil" for p in root.parent.rglob("*"))
