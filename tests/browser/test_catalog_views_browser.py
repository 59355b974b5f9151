"""The catalog's views in headless Chromium: grouping by canonical model (state in the URL), one
line per row at 1400 px, the pinned model column at phone width, the no-results message and its
clear button, hiding retired models, and compare's best-value marks, empty rows and canonical models."""

from __future__ import annotations

import pytest

from tests.browser.test_site_browser import (
    TOTAL,
    open_catalog,
    open_filters,
    query_of,
    row_ids,
    wait_for_query,
)

pytestmark = pytest.mark.browser

SONNET = "anthropic/claude-3-5-sonnet-20240620"
SONNET_IDS = [
    "anthropic/claude-3-5-sonnet-20240620",
    "bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0",
    "vertex/claude-3-5-sonnet@20240620",
]


def table_items(page) -> list[str]:
    """The table body in order: "# <group heading>" for a group row, the model id for a model row."""
    return page.locator("#catalog-table tbody tr:not([hidden])").evaluate_all(
        "rows => rows.map(r => r.classList.contains('group') ? '# ' + r.innerText.trim()"
        " : r.querySelector('.mid').textContent)"
    )


def test_group_by_model_puts_offerings_under_their_model_and_lives_in_the_url(page, served) -> None:
    open_catalog(page, served["site"] + "index.html")
    assert page.locator("#catalog-table tr.group:not([hidden])").count() == 0
    page.check("#group")
    wait_for_query(page, "group=model")
    items = table_items(page)
    heading = next(k for k, item in enumerate(items) if item.startswith("# Claude 3.5 Sonnet"))
    assert items[heading + 1 : heading + 4] == SONNET_IDS
    assert "3 offerings" in items[heading] and SONNET in items[heading]
    assert items[-2:] == ["# Not linked to a canonical model 1 offering", "vertex/gemini-2.5-pro"]
    models = [i for i in items if not i.startswith("# ")]
    assert len(models) == TOTAL and sorted(models) == sorted(row_ids(page))
    link = page.locator("#catalog-table tr.group a", has_text="Claude 3.5 Sonnet")
    assert link.get_attribute("href") == "canonical/" + SONNET + ".html"

    page.fill("#q", "sonnet")  # filters apply inside the groups
    assert table_items(page)[0].startswith("# Claude 3.5 Sonnet") and table_items(page)[1:] == SONNET_IDS
    wait_for_query(page, "q=sonnet")
    page.reload()
    page.wait_for_selector("html[data-catalog-ready]")
    assert page.is_checked("#group") and page.input_value("#q") == "sonnet"
    assert table_items(page)[1:] == SONNET_IDS
    page.uncheck("#group")
    assert "group" not in query_of(page)
    assert page.locator("#catalog-table tr.group").count() == 0  # the plain view has no heading rows

    page.goto(served["site"] + "index.html?group=model")
    page.wait_for_selector("html[data-catalog-ready]")
    page.locator("#catalog-table tr.group a", has_text="Claude 3.5 Sonnet").click()
    page.wait_for_load_state()
    assert page.inner_text("h1") == "Claude 3.5 Sonnet at 3 providers"


def test_rows_are_one_line_at_1400px(page, served) -> None:
    page.set_viewport_size({"width": 1400, "height": 900})
    open_catalog(page, served["site"] + "index.html")
    heights = page.locator("#catalog-table tbody tr").evaluate_all(
        "rows => rows.map(r => r.getBoundingClientRect().height)"
    )
    line = page.locator("#catalog-table tbody tr td.name").first.evaluate(
        "td => parseFloat(getComputedStyle(td).lineHeight)"
    )
    assert len(heights) == TOTAL and max(heights) < 2 * line  # one line of text (plus padding) each
    assert page.evaluate(
        "document.querySelector('.catalog-wrap').scrollWidth <= "
        "document.querySelector('.catalog-wrap').clientWidth"
    )  # no sideways scroll
    cut = page.locator("#catalog-table tbody tr td.id .mid", has_text="bedrock/anthropic.claude-3-5").first
    assert cut.get_attribute("title") == "bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0"

    def shown_at_its_end() -> bool:  # is the id's last character drawn, or covered by the next cell?
        box = cut.bounding_box()
        return cut.evaluate(
            "(e, [x, y]) => e.contains(document.elementFromPoint(x, y))",
            [box["x"] + box["width"] - 3, box["y"] + box["height"] / 2],
        )

    assert not shown_at_its_end()  # cut with an ellipsis in the row
    cut.locator("xpath=ancestor::tr").locator("td.name a").focus()
    assert shown_at_its_end()  # keyboard focus on the row shows the whole id
    mods = page.locator("#catalog-table tbody tr td.mods").first
    assert mods.get_attribute("title").startswith("Input: text")
    assert mods.locator("[role=img]").get_attribute("aria-label") == mods.get_attribute("title")  # read aloud


def test_model_and_its_prices_fit_a_phone_and_the_rest_scroll_under_a_pinned_name(page, served) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    open_catalog(page, served["site"] + "index.html")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways page scroll
    row = page.locator("#catalog-table tbody tr").first
    name, prompt, completion = (
        row.locator(c).bounding_box() for c in ("td.name", "td:nth-child(4)", "td:nth-child(5)")
    )
    for box in (name, prompt, completion):
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390  # visible without a sideways scroll
    context = row.locator("td:nth-child(8)")
    before = context.bounding_box()
    assert before["x"] > 390  # the other columns wait off screen
    page.locator(".catalog-wrap").evaluate("(wrap, by) => { wrap.scrollLeft = by; }", before["x"] - 250)
    assert context.bounding_box()["x"] < 390
    after = row.locator("td.name").bounding_box()
    assert after["x"] == pytest.approx(name["x"], abs=1)  # the model name did not move
    covering = page.evaluate(
        "([x, y]) => document.elementFromPoint(x, y).closest('td').className",
        [after["x"] + 20, after["y"] + 10],
    )
    assert covering == "name"  # drawn above the scrolled cells, not under them


def test_no_results_message_and_clear_button(page, served) -> None:
    open_catalog(page, served["site"] + "index.html?group=model")
    assert page.is_hidden("#no-results")
    open_filters(page)
    page.check("input[name=provider][value=openai]")
    page.fill("#q", "no-such-model-anywhere")
    assert row_ids(page) == []
    assert page.is_visible("#no-results") and "No models match" in page.inner_text("#no-results")
    page.click("#clear-filters")
    assert len(row_ids(page)) == TOTAL and page.is_hidden("#no-results")
    assert page.input_value("#q") == "" and not page.is_checked("input[name=provider][value=openai]")
    assert page.is_checked("#group")  # the view is not a filter: it stays
    assert query_of(page) == {"group": ["model"]}


def test_retired_rows_hidden_unless_asked_for_also_when_grouped(page, served) -> None:
    """Retired models (index column ``r``) stay hidden by default in the grouped view too."""
    retired = "bedrock/amazon.titan-text-express-v1"
    open_catalog(page, served["site"] + "index.html?group=model")
    assert retired not in table_items(page) and not any("Titan Text" in i for i in table_items(page))
    assert page.inner_text("#result-count").endswith(" 1 retired, removed or unverified hidden.")
    page.check("#retired")
    wait_for_query(page, "retired=show")
    items = table_items(page)
    assert items[items.index(retired) - 1].startswith("# Titan Text Express")
    row = page.locator("#catalog-table tbody tr", has_text=retired)
    assert row.locator(".badge", has_text="retired").is_visible()
    assert query_of(page) == {"group": ["model"], "retired": ["show"]}
    assert "hidden" not in page.inner_text("#result-count")


def compare_rows(page) -> dict[str, list[str]]:
    rows = page.locator("#compare-table tbody tr").evaluate_all(
        "rows => rows.map(r => [...r.cells].map(c => c.innerText.trim()))"
    )
    return {cells[0]: cells[1:] for cells in rows}


def test_compare_marks_best_values_and_drops_empty_rows(page, served) -> None:
    page.goto(
        served["site"]
        + "compare.html?m=openai/gpt-4o-mini&m=openrouter/meta-llama/llama-3.1-8b-instruct:free"
    )
    page.wait_for_selector("html[data-compare-ready]")
    rows = compare_rows(page)
    assert "Cache write $/1M" not in rows  # unknown for both models
    assert rows["Prompt $/1M"] == ["$0.15", "free lowest"]
    assert rows["Context (tokens)"] == ["128,000", "131,072 largest"]
    assert rows["Max output (tokens)"] == ["16,384 largest", "4,096"]
    # prompt, completion, context, max output, and the cost of the usage (a chat turn)
    assert rows["Cost of this usage (USD)"] == ["$0.0006", "free lowest"]
    assert page.locator("#compare-table td.best").count() == 5
    page.goto(served["site"] + "compare.html?m=openai/gpt-4o&m=openrouter/openai/gpt-4o")
    page.wait_for_selector("html[data-compare-ready]")
    assert compare_rows(page)["Prompt $/1M"] == ["$2.50", "$2.50"]  # a tie between all is not marked


def test_compare_accepts_a_canonical_model(page, served) -> None:
    page.goto(served["site"] + "compare.html?canonical=" + SONNET)
    page.wait_for_selector("html[data-compare-ready]")
    assert sorted(query_of(page)["m"]) == sorted(SONNET_IDS)  # its offerings, named in the URL
    assert len(page.locator("#compare-table thead th a").all()) == 3
    page.locator("#compare-table thead button.remove").first.click()
    assert len(query_of(page)["m"]) == 2
    page.fill("#compare-q", "openai/gpt-4o")
    page.click("#compare-add button")
    page.fill("#compare-q", SONNET)  # adding the canonical model fills the free slot with its cheapest
    page.click("#compare-add button")
    assert len(query_of(page)["m"]) == 4
    canonical = page.locator("#compare-table tbody tr", has_text="Canonical model").locator("a").first
    assert canonical.inner_text() == "Claude 3.5 Sonnet"
    assert canonical.get_attribute("href") == "canonical/" + SONNET + ".html"
    page.goto(served["site"] + "canonical/" + SONNET + ".html")
    page.click("a.button:text('Compare the cheapest')")
    page.wait_for_selector("html[data-compare-ready]")
    assert sorted(query_of(page)["m"]) == sorted(SONNET_IDS)
