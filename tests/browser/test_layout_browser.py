"""The layout figures, measured in Chromium at 1400x900 and 390x844 in both themes: rows on the first
screen, the skip link, what a phone shows without a sideways scroll, compare's pinned column, chart
text size and Tab stops, the quality page's anchors and width, a page opened from disk; and a
screenshot of every page at both sizes and in both themes, none of which scrolls sideways
($MODELATLAS_SCREENSHOTS, uploaded by CI). Data: tests/fixtures/site/market, and /history/ for a
Changes page with entries."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.conftest import VIEWS, open_view

pytestmark = pytest.mark.browser

MIN_DESK_ROWS = 15
MIN_PHONE_ROWS = 4  # the search box and its reset on one line, compact view options
MIN_CHART_TEXT_PX = 11
PAGES = {  # screenshot name -> (build, path, full page)
    "catalog": ("market", "index.html", False),
    "catalog-search": ("market", "index.html?q=llama%203.3%2070b", False),
    "catalog-grouped": ("market", "index.html?group=model&sort=pp", False),
    "catalog-unknown": ("market", "index.html?in=image&ctx=1000000", False),
    "browse": ("market", "browse/1.html", False),
    "provider": ("market", "providers/bedrock.html", True),
    "provider-empty": ("market", "providers/parasail.html", True),
    "model": ("market", "model/anthropic/claude-sonnet-4-5-20250929.html", True),
    "canonical": ("market", "canonical/anthropic/claude-sonnet-4.5-20250929.html", True),
    "compare": (
        "market",
        "compare.html?m=openai/gpt-4o&m=anthropic/claude-sonnet-4-5-20250929&m=gemini/gemini-2.5-pro",
        True,
    ),
    "charts": ("market", "charts/index.html", True),
    "chart-provider": ("market", "charts/openai.html", True),
    "changes": ("history", "changes.html", True),
    "changes-empty": ("market", "changes.html", True),
    "quality": ("market", "quality.html#vertex", False),
}


def ready(view) -> None:
    """Wait for the page's script, where it has one."""
    if view.locator("script[src$='catalog.js']").count():
        view.wait_for_selector("html[data-catalog-ready]")
    if view.locator("script[src$='compare.js']").count():
        view.wait_for_selector("html[data-compare-ready]")


def test_first_screen_skip_link_and_phone_rows(view, served) -> None:
    view.goto(served["market"] + "index.html")
    ready(view)
    width, height = view.viewport_size["width"], view.viewport_size["height"]
    assert view.evaluate("document.documentElement.scrollWidth") <= width  # no sideways page scroll
    boxes = view.locator("#catalog-table tbody tr").evaluate_all(
        "rows => rows.map(r => r.getBoundingClientRect().bottom)"
    )
    first_screen = sum(1 for bottom in boxes if bottom <= height)
    print(f"[{view.size}-{view.scheme}] model rows wholly on the first screen: {first_screen}")
    assert first_screen >= (MIN_DESK_ROWS if view.size == "desk" else MIN_PHONE_ROWS)
    view.keyboard.press("Tab")
    assert view.evaluate("document.activeElement.textContent") == "Skip to results"
    view.keyboard.press("Enter")
    assert view.evaluate("document.activeElement.id") == "results"
    view.keyboard.press("Tab")  # the next stop is in the table: the first row's compare box
    assert view.evaluate("document.activeElement.closest('#catalog-table') !== null")
    if view.size == "phone":
        rows = view.locator("#catalog-table tbody tr")
        for k in range(rows.count()):
            for cell in ("td.name", "td:nth-child(4)", "td:nth-child(5)"):  # model, prompt, completion
                box = rows.nth(k).locator(cell).bounding_box()
                if box["y"] > height:
                    break
                assert box["x"] >= 0 and box["x"] + box["width"] <= width, (k, cell, box)
        names = rows.locator("td.name").all_inner_texts()
        assert len(set(names)) == len(names)  # no two rows read alike


def test_compare_pinned_column_never_covers_a_value(view, served) -> None:
    view.goto(served["market"] + PAGES["compare"][1])
    ready(view)
    view.wait_for_selector("#compare-table tbody tr th:text-is('Batch prompt $/1M')")
    for by in (0, 400):  # as loaded, and scrolled sideways as far as it goes
        view.locator(".compare-wrap").evaluate("(wrap, by) => { wrap.scrollLeft = by; }", by)
        covered = view.locator("#compare-table tbody td").evaluate_all(
            """cells => cells.filter(c => {
                 const r = c.getBoundingClientRect();
                 const x = r.left + r.width / 2, y = r.top + Math.min(8, r.height / 2);
                 if (x < 0 || x > innerWidth || y < 0 || y > innerHeight) return false;  // off screen
                 const hit = document.elementFromPoint(x, y);
                 return !(hit && c.contains(hit));
               }).map(c => c.textContent)"""
        )
        assert covered == []


def test_charts_keep_text_readable_and_take_one_tab_stop(view, served) -> None:
    view.goto(served["market"] + "charts/index.html")
    sizes = view.locator("svg.scatter text").evaluate_all(
        "texts => texts.map(t => parseFloat(getComputedStyle(t).fontSize)"
        " * t.ownerSVGElement.getScreenCTM().a)"
    )
    print(f"[{view.size}-{view.scheme}] smallest chart text: {min(sizes):.1f} px")
    assert sizes and min(sizes) >= MIN_CHART_TEXT_PX
    view.locator("p.plotted").evaluate("p => { p.tabIndex = -1; p.focus(); }")  # start just above the chart
    view.keyboard.press("Tab")
    assert view.evaluate("document.activeElement.tagName") == "svg"
    view.keyboard.press("Tab")
    assert view.evaluate("document.activeElement.closest('figure.chart') === null")  # one stop for the chart
    legend = view.locator(".legend li").all_inner_texts()
    plotted = view.locator("#chart-table tbody th").all_inner_texts()
    assert [name.split("(")[0].strip() for name in legend] == [name.strip() for name in plotted]
    assert "not plotted" in view.inner_text("p.plotted")


def test_quality_anchors_open_their_section_and_the_table_fits(view, served) -> None:
    for provider in ("ollama", "sgl", "parasail", "elevenlabs"):
        view.goto(served["market"] + f"quality.html#{provider}")
        section = view.locator(f"details#{provider}")
        assert section.get_attribute("open") is not None and section.is_visible()
    if view.size == "desk":
        assert view.locator(".completeness").evaluate(
            "t => t.parentElement.scrollWidth <= t.parentElement.clientWidth"
        )
    heights = view.evaluate("document.documentElement.scrollHeight")
    assert heights < 6000  # sections start collapsed


@pytest.mark.parametrize(("size", "scheme"), VIEWS, ids=[f"{s}-{c}" for s, c in VIEWS])
def test_screenshots_of_every_page(browser, served, screenshot_dir: Path, size: str, scheme: str) -> None:
    context, view = open_view(browser, served, size, scheme)
    for name, (build, path, full) in PAGES.items():
        view.goto(served[build] + path)
        ready(view)
        wide = view.evaluate("document.documentElement.scrollWidth")
        assert wide <= view.viewport_size["width"], f"{name} scrolls sideways ({wide} px)"
        target = screenshot_dir / f"{name}-{size}-{scheme}.png"
        view.screenshot(path=str(target), full_page=full)
        assert target.stat().st_size > 5000, name
    context.close()
    assert view.watch.problems == [], view.watch.problems


def test_a_page_opened_from_disk_says_how_to_view_the_site(browser, served) -> None:
    index = Path(str(served["root"])) / "market" / "index.html"
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    tab = context.new_page()
    tab.goto(index.as_uri())
    note = tab.locator("#file-note")
    assert note.is_visible() and "modelatlas serve" in note.inner_text()
    assert tab.is_hidden("#filters")  # no controls that cannot work
    assert tab.locator("#catalog-table tbody tr").count() > 0  # the first rows are there all the same
    context.close()
