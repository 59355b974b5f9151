"""The cost of a request on the site, in real Chromium at 1400x900 and 390x844 (data:
tests/fixtures/site/market, which carries the price contract's fields): the model page's estimator
gives the total the Python library gives for the same record and usage, byte for byte; a request
over a long-context threshold is priced at the tier; a not-billed component, an unknown price and a
missing region or tier are said in words, never as $0; canonical pages rank by the usage's cost and
re-rank when it changes; Compare prices one usage in every column; the address keeps the usage,
and hand-made values in it break nothing."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qs, urlparse

import pytest

from modelatlas.cost import Usage, load
from modelatlas.cost.ranking import cheapest
from modelatlas.filenames import model_filename
from tests.browser.conftest import SIZES, open_view

pytestmark = pytest.mark.browser

SONNET_BEDROCK = "bedrock/anthropic.claude-sonnet-4-5-20250929-v1:0"
LLAMA = "meta-llama/llama-3.3-70b-instruct"


@pytest.fixture(params=list(SIZES))
def sized(request: pytest.FixtureRequest, browser: object, served: dict[str, object]) -> Iterator[object]:
    """A page at each size (light theme), failing the test on any console or page error."""
    context, tab = open_view(browser, served, request.param, "light")
    yield tab
    context.close()
    assert tab.watch.problems == [], tab.watch.problems


@pytest.fixture(scope="module")
def prices(served: dict[str, object]) -> object:
    return load(str(served["root"] / "market"))  # the built folder the pages were made from


def model_url(served: dict[str, object], model_id: str, query: str = "") -> str:
    provider, _, upstream = model_id.partition("/")
    return f"{served['market']}model/{provider}/{model_filename(upstream)}.html{query}"


def open_estimator(view: object, url: str) -> None:
    view.goto(url)
    view.wait_for_selector("html[data-estimate-ready]", state="attached")


def total(view: object) -> str:
    return view.get_attribute("#estimate-total", "data-total")


def lines(view: object) -> list[list[str]]:
    return view.locator("#estimate-lines tbody tr:not(.total)").evaluate_all(
        "rows => rows.map(r => [...r.cells].map(c => c.innerText.trim()))"
    )


def fill(view: object, **counts: int) -> None:
    for name, value in counts.items():
        view.fill(f"#usage input[name={name}]", str(value))


def fits_the_screen(view: object) -> None:
    """Nothing of the form or the total needs a sideways scroll of the page."""
    width = view.viewport_size["width"]
    assert view.evaluate("document.documentElement.scrollWidth") <= width
    box = view.locator("#estimate-total").bounding_box()
    assert box is not None and box["x"] + box["width"] <= width


def test_the_estimator_prices_a_typed_usage_to_the_librarys_total(sized, served, prices) -> None:
    open_estimator(sized, model_url(served, SONNET_BEDROCK))
    assert sized.get_attribute("#usage button[data-preset=chat]", "aria-pressed") == "true"  # the default
    fill(sized, input_tokens=12000, cache_read_tokens=5000, cache_write_tokens=1000, output_tokens=800)
    sized.select_option("#usage select[name=region]", "eu")  # no variant here: its eu. profile
    sized.wait_for_selector("#estimate-total:not([data-total=''])")  # once the profile is loaded
    usage = Usage(input_tokens=12000, cache_read_tokens=5000, cache_write_tokens=1000, output_tokens=800)
    expected = prices.cost(SONNET_BEDROCK, usage, region="eu")
    assert expected.model.startswith("bedrock/eu.")
    assert total(sized) == expected.total_string == "0.038775"
    assert "$0.03878" in sized.inner_text("#estimate-total")
    assert [row[0] for row in lines(sized)] == [
        "Input tokens (not cached)",
        "Cache reads",
        "Cache writes",
        "Output tokens",
    ]
    assert [row[1] for row in lines(sized)] == ["6,000 tokens", "5,000 tokens", "1,000 tokens", "800 tokens"]
    assert "eu cross-region profile, bedrock/eu." in sized.inner_text("#estimate-note")
    fits_the_screen(sized)
    # A 1-hour cache lifetime, at Anthropic's own record (it prices 1-hour writes).
    open_estimator(
        sized,
        model_url(
            served,
            "anthropic/claude-sonnet-4-5-20250929",
            "?input_tokens=12000&cache_write_tokens=4000&output_tokens=800&cache_ttl=1h",
        ),
    )
    usage = Usage(input_tokens=12000, cache_write_tokens=4000, output_tokens=800)
    assert (
        total(sized)
        == prices.cost("anthropic/claude-sonnet-4-5-20250929", usage, cache_ttl="1h").total_string
    )
    # A disputed price is marked in its line: Vertex's cache-write price.
    query = "?input_tokens=9000&cache_write_tokens=8000"
    open_estimator(sized, model_url(served, "vertex/claude-sonnet-4-5@20250929", query))
    cache_write = sized.locator("#estimate-lines tbody tr", has_text="Cache writes")
    assert cache_write.locator("td.disputed .mark").count() == 2  # its unit price and its amount
    assert "disputed" in sized.inner_text("#estimate-note")
    # Nothing asked is no estimate, not "$0": every count cleared.
    fill(sized, input_tokens="", cache_write_tokens="")
    assert "give a usage" in sized.inner_text(".estimate-total") and total(sized) == ""


def test_a_request_over_the_long_context_threshold_is_priced_at_the_tier(sized, served, prices) -> None:
    open_estimator(sized, model_url(served, "gemini/gemini-2.5-pro"))
    fill(sized, input_tokens=150000, output_tokens=1000)
    below = total(sized)
    fill(sized, input_tokens=250000)
    usage = Usage(input_tokens=250000, output_tokens=1000)
    assert total(sized) == prices.cost("gemini/gemini-2.5-pro", usage).total_string == "0.64"
    assert below == "0.1975"  # 150,000 x $1.25/1M + 1,000 x $10/1M: below the threshold
    assert all("input over 200,000 tokens" in row[5] for row in lines(sized))
    assert "long-context rate" in sized.inner_text("#estimate-note")


def test_what_cannot_be_priced_is_said_in_words_never_as_zero(sized, served) -> None:
    # Not billed: an embedding model's output.
    open_estimator(
        sized, model_url(served, "openai/text-embedding-3-small", "?input_tokens=1000&output_tokens=10")
    )
    said = sized.inner_text(".estimate-total")
    assert "Does not bill output tokens" in said and "$0" not in said and total(sized) == ""
    assert sized.is_hidden("#estimate-lines")
    # Unknown: Bedrock's batch tier states no cache-read price (absent is unknown, not free).
    open_estimator(
        sized,
        model_url(served, SONNET_BEDROCK, "?input_tokens=10000&cache_read_tokens=5000&output_tokens=100"),
    )
    assert total(sized) != ""
    sized.select_option("#usage select[name=tier]", "batch")
    said = sized.inner_text(".estimate-total")
    assert "Unknown price for cache reads" in said and "not free" in said and "$0" not in said
    assert total(sized) == ""
    # No such region and tier.
    sized.select_option("#usage select[name=region]", "us-gov-west-1")
    assert "No price for the batch tier in region us-gov-west-1" in sized.inner_text(".estimate-total")
    # A count that is not one.
    fill(sized, output_tokens="12x")
    assert "Output tokens: a whole number" in sized.inner_text("#usage-problem")
    assert sized.get_attribute("#usage input[name=output_tokens]", "aria-invalid") == "true"


def canonical_order(view: object) -> list[str]:
    return view.locator("#offerings tbody tr").evaluate_all("rows => rows.map(r => r.dataset.id)")


def test_canonical_ranking_follows_the_usage(sized, served, prices) -> None:
    sized.goto(f"{served['market']}canonical/{LLAMA}.html")
    built = canonical_order(sized)  # the build's ranking, by the default preset (a chat turn)
    sized.wait_for_selector("html[data-ranking-ready]", state="attached")
    chat = cheapest(prices, LLAMA, Usage(input_tokens=2000, output_tokens=500))
    ranked = [offer.model for offer in chat.offers if offer.region is None and offer.tier is None]
    assert canonical_order(sized) == built == [*ranked, "openrouter/meta-llama/llama-3.3-70b-instruct:free"]
    assert ranked.index("groq/llama-3.3-70b-versatile") < ranked.index(
        "bedrock/meta.llama3-3-70b-instruct-v1:0"
    )
    fill(sized, input_tokens=1000, output_tokens=100000)  # output-heavy: Groq's $0.79 output loses to $0.72
    heavy = cheapest(prices, LLAMA, Usage(input_tokens=1000, output_tokens=100000))
    ranked = [offer.model for offer in heavy.offers if offer.region is None and offer.tier is None]
    assert canonical_order(sized)[:-1] == ranked
    assert ranked.index("groq/llama-3.3-70b-versatile") > ranked.index(
        "bedrock/meta.llama3-3-70b-instruct-v1:0"
    )
    first = sized.locator("#offerings tbody tr").first.locator("td.cost")
    assert first.get_attribute("data-total") == heavy.offers[0].total_string
    # Batch: the hosts without a batch price come after, each saying why.
    sized.select_option("#usage select[name=tier]", "batch")
    order = canonical_order(sized)
    assert order[:2] == [
        "bedrock/meta.llama3-3-70b-instruct-v1:0",
        "bedrock/us.meta.llama3-3-70b-instruct-v1:0",
    ]
    groq = sized.locator("#offerings tr[data-id='groq/llama-3.3-70b-versatile'] td.cost")
    assert (
        groq.inner_text() == "No price for the batch tier" and order.index("groq/llama-3.3-70b-versatile") > 1
    )
    # Asked for, the free tier ranks too (first: it costs nothing).
    sized.select_option("#usage select[name=tier]", "")
    sized.check("#usage input[name=rank]")
    assert canonical_order(sized)[0] == "openrouter/meta-llama/llama-3.3-70b-instruct:free"
    assert sized.is_hidden("#hidden-offerings-table")  # retired and unverified stay apart
    assert sized.evaluate("document.documentElement.scrollWidth") <= sized.viewport_size["width"]


def compare_cells(view: object, label: str) -> list[object]:
    return view.locator("#compare-table tbody tr", has_text=label).first.locator("td")


def test_compare_prices_one_usage_in_every_column(sized, served, prices) -> None:
    ids = [
        "openai/gpt-4o",
        "anthropic/claude-sonnet-4-5-20250929",
        "gemini/gemini-2.5-pro",
        "openai/text-embedding-3-small",
    ]
    sized.goto(served["market"] + "compare.html?" + "&".join(f"m={i}" for i in ids))
    sized.wait_for_selector("html[data-compare-ready]", state="attached")
    cells = compare_cells(sized, "Cost of this usage")
    assert cells.count() == len(ids)  # one total per column
    chat = Usage(input_tokens=2000, output_tokens=500)
    expected = [prices.cost(i, chat).total_string for i in ids[:3]]
    assert [cells.nth(k).get_attribute("data-total") for k in range(3)] == expected
    assert "Does not bill output tokens" in cells.nth(3).inner_text()
    assert "lowest" in cells.nth(2).inner_text()  # Gemini 2.5 Pro's $0.0075
    sized.click("#usage button[data-preset=rag]")  # the same form, another usage for every column
    rag = Usage(input_tokens=100000, output_tokens=1000)
    cells = compare_cells(sized, "Cost of this usage")
    assert [cells.nth(k).get_attribute("data-total") for k in range(3)] == [
        prices.cost(i, rag).total_string for i in ids[:3]
    ]
    sized.select_option("#usage select[name=tier]", "batch")
    batch = [prices.cost(i, rag, tier="batch").total_string for i in ids[:3]]
    assert [
        compare_cells(sized, "Cost of this usage").nth(k).get_attribute("data-total") for k in range(3)
    ] == batch
    assert compare_cells(sized, "Priced at").nth(0).inner_text() == "the batch tier"
    sized.wait_for_selector("html[data-usage-saved*='tier=batch']", state="attached")
    query = parse_qs(urlparse(sized.url).query)
    assert query["m"] == ids and query["tier"] == ["batch"] and query["input_tokens"] == ["100000"]
    sized.goto(sized.url)  # the link reproduces it
    sized.wait_for_selector("html[data-compare-ready]", state="attached")
    assert [
        compare_cells(sized, "Cost of this usage").nth(k).get_attribute("data-total") for k in range(3)
    ] == batch


def test_the_address_keeps_the_usage(sized, served) -> None:
    open_estimator(sized, model_url(served, SONNET_BEDROCK))
    sized.click("#usage button[data-preset=agent]")
    fill(sized, output_tokens=2500)
    sized.select_option("#usage select[name=region]", "us-gov-east-1")
    shown = total(sized)
    sized.wait_for_selector("html[data-usage-saved*='region=us-gov-east-1']", state="attached")
    query = parse_qs(urlparse(sized.url).query)
    assert query == {
        "input_tokens": ["30000"],
        "cache_read_tokens": ["25000"],
        "output_tokens": ["2500"],
        "region": ["us-gov-east-1"],
    }
    open_estimator(sized, sized.url)
    assert total(sized) == shown != ""
    assert sized.input_value("#usage input[name=cache_read_tokens]") == "25000"
    assert sized.input_value("#usage select[name=region]") == "us-gov-east-1"
    # The canonical page too: the usage and the ranking come back from the link.
    sized.goto(f"{served['market']}canonical/{LLAMA}.html?input_tokens=1000&output_tokens=100000&rank=all")
    sized.wait_for_selector("html[data-ranking-ready]", state="attached")
    assert sized.is_checked("#usage input[name=rank]")
    assert canonical_order(sized)[0].endswith(":free")
    assert canonical_order(sized).index("groq/llama-3.3-70b-versatile") == 4


HOSTILE = (
    "?input_tokens=-5&output_tokens=1e999&cache_read_tokens=99999999999999999999&input_seconds=NaN"
    "&cache_ttl=%3Cscript%3E&region=%27%5D%29%3B&tier=batch%22%5D&rank=%3Cimg%3E&requests=%F0%9F%92%A5"
)


def test_hand_made_usage_values_in_the_address_break_nothing(sized, served) -> None:
    open_estimator(sized, model_url(served, SONNET_BEDROCK, HOSTILE))  # the page fixture fails on any error
    assert sized.get_attribute("#usage button[data-preset=chat]", "aria-pressed") == "true"  # all ignored
    assert total(sized) == "0.0135"
    sized.goto(f"{served['market']}canonical/{LLAMA}.html{HOSTILE}")
    sized.wait_for_selector("html[data-ranking-ready]", state="attached")
    assert canonical_order(sized)[0] == "openrouter/meta-llama/llama-3.3-70b-instruct"
    sized.goto(f"{served['market']}compare.html{HOSTILE}&m=openai/gpt-4o&m=%3Cb%3E")
    sized.wait_for_selector("html[data-compare-ready]", state="attached")
    assert compare_cells(sized, "Cost of this usage").first.get_attribute("data-total") == "0.01"


def test_an_edit_is_on_the_page_before_the_next_frame(page, served) -> None:
    """The estimate is rewritten in the input event's own task: read right after dispatching the
    event, before any frame or timer can run, the page already shows the new total."""
    open_estimator(page, model_url(served, "openai/gpt-4o"))
    seen = page.evaluate(
        """() => {
          const input = document.querySelector('#usage input[name=output_tokens]');
          input.value = '1000';
          input.dispatchEvent(new Event('input', {bubbles: true}));
          return document.getElementById('estimate-total').dataset.total;
        }"""
    )
    assert seen == "0.015"  # 2,000 x $2.50/1M + 1,000 x $10/1M
