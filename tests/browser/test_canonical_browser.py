"""Canonical-model pages in headless Chromium: a model page opens its canonical page, which lists
every offering of that snapshot by price (screenshots in $MODELATLAS_SCREENSHOTS, if set)."""

from __future__ import annotations

import pytest

from modelatlas.filenames import model_filename

pytestmark = pytest.mark.browser

BEDROCK_LLAMA = f"model/bedrock/{model_filename('meta.llama3-1-8b-instruct-v1:0')}.html"


def test_model_page_opens_its_canonical_page_with_offerings_by_price(page, served) -> None:
    page.goto(served["site"] + BEDROCK_LLAMA)
    link = page.locator("#h-twins ~ .canonical-link a")
    assert link.inner_text() == "Llama 3.1 8B Instruct at 2 providers"
    link.click()
    page.wait_for_load_state()
    assert page.url.endswith("/canonical/meta-llama/llama-3.1-8b-instruct.html")
    assert page.inner_text("h1") == "Llama 3.1 8B Instruct at 2 providers"
    rows = page.locator("#offerings tbody tr")
    assert rows.locator("th .sub").all_inner_texts() == ["OpenRouter", "Amazon Bedrock"]
    assert rows.locator(".price-prompt").all_inner_texts() == ["free", "$0.22"]
    assert rows.nth(1).locator("td").all_inner_texts()[5:7] == ["128,000", "4,096"]  # context, max output
    json_href = page.get_attribute("a.button:text('JSON')", "href")
    document = page.request.get(page.url.rsplit("/", 1)[0] + "/" + json_href).json()
    assert [o["id"] for o in document["data"]["offerings"]] == [
        "openrouter/meta-llama/llama-3.1-8b-instruct:free",
        "bedrock/meta.llama3-1-8b-instruct-v1:0",
    ]
    rows.nth(1).locator("th a").click()
    page.wait_for_load_state()
    assert page.url.endswith(BEDROCK_LLAMA)  # and back to the offering's own page
