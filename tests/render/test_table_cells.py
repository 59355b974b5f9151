"""The table cells the templates call: the HTML the Jinja macros wrote, every value escaped."""

from __future__ import annotations

from markupsafe import Markup

from modelatlas.render.price_view import PriceCell, PriceState
from modelatlas.render.table_cells import badges, field_rows, letters, model_rows, price_cell, value_cell


def test_a_price_cell_shows_state_tooltip_and_dispute() -> None:
    cell = PriceCell("$2.50", PriceState.KNOWN, "$2.5000001", disputed=True)
    assert price_cell(cell, "span", extra="price-prompt") == (
        '<span class="num price known disputed price-prompt" title="exactly $2.5000001; disputed: the '
        'sources disagree (see the model page)">$2.50<span class="mark" aria-hidden="true">?</span>'
        '<span class="visually-hidden"> (disputed)</span></span>'
    )
    unknown = price_cell(PriceCell("–", PriceState.UNKNOWN))
    assert unknown == ('<td class="num price unknown" title="unknown: no source we trust states it">'
                       '<span role="img" aria-label="unknown">–</span></td>')
    assert price_cell(PriceCell("free", PriceState.FREE)) == '<td class="num price free">free</td>'


def test_upstream_text_is_escaped_and_the_result_is_not_escaped_again() -> None:
    hostile = "<script>alert(1)</script>"
    row = {"listing": hostile, "offering": '"free"'}
    assert badges(row) == ('<span class="badge warn">&lt;script&gt;alert(1)&lt;/script&gt;</span>'
                           '<span class="badge note">&#34;free&#34;</span>')
    assert value_cell(hostile) == '<td class="num">&lt;script&gt;alert(1)&lt;/script&gt;</td>'
    assert price_cell(PriceCell(hostile, PriceState.KNOWN), extra='x" onclick="y').count("<script>") == 0
    assert letters(["text", "<b>"]) == "T&lt;"
    assert all(isinstance(html, Markup) for html in (badges(row), value_cell("1"), letters([])))


def test_unknown_counts_and_missing_modalities_are_dashes() -> None:
    assert value_cell("–", "num w") == ('<td class="num w unknown" title="unknown">'
                                        '<span role="img" aria-label="unknown">–</span></td>')
    assert letters([]) == "–" and letters(["image", "video"]) == "IV"
    assert badges({"listing": None, "offering": ""}) == ""


def test_field_rows_are_one_tbody_per_section_with_every_value_escaped() -> None:
    sections = [
        {"title": "Identity", "rows": [
            {"path": "name", "label": "name", "value": "<b>x</b>", "source": "models.dev", "disputed": False},
        ]},
        {"title": "Prices", "rows": [
            {"path": "pricing.prompt", "label": "prompt", "value": "$1", "source": "", "disputed": True},
        ]},
    ]
    html = field_rows(sections)
    assert isinstance(html, Markup) and html.count("<tbody>\n") == 2 and html.endswith("</tbody>\n")
    assert '<tr><th scope="row"><span title="name">name</span></th><td>&lt;b&gt;x&lt;/b&gt;</td>' in html
    assert '<td>$1 <span class="badge warn" title="the sources disagree' in html
    assert '<td class="source">–</td>' in html  # no source known
    assert field_rows([]) == ""


def test_model_rows_escape_upstream_names_and_leave_out_the_provider_column_on_request() -> None:
    cell = PriceCell("$1.00", PriceState.KNOWN)
    row = {
        "id": "p/<i>", "provider": "openai", "provider_name": "OpenAI", "name": '<img src=x onerror="y">',
        "upstream_id": "<i>", "href": "model/openai/x.html", "context": "8,192", "max_output": "–",
        "input": "text, image", "output": "–", "input_list": ["text", "image"], "output_list": [],
        "prices": dict.fromkeys(("prompt", "completion", "input_cache_read", "input_cache_write"), cell),
        "date": "2025-01-01", "listing": "", "offering": "",
    }
    html = model_rows([row], "../")
    assert "<img" not in html and "&lt;img src=x onerror=&#34;y&#34;&gt;" in html
    assert '<a href="../model/openai/x.html">' in html and '<td class="prov">' in html
    assert 'title="Input: text, image; output: unknown"' in html and ">TI→–</span>" in html
    assert html.count('<td class="num price known">$1.00</td>\n') == 4
    assert '<td class="prov">' not in model_rows([row], "../", show_provider=False)
