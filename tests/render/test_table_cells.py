"""The table cells the templates call: the HTML the Jinja macros wrote, every value escaped."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from markupsafe import Markup, escape

from modelatlas.render.model_view import FieldRow
from modelatlas.render.page_frame import mark
from modelatlas.render.price_table import PriceRow, PriceTable
from modelatlas.render.price_view import PriceCell, PriceState
from modelatlas.render.table_cells import (
    RowsSlot,
    badges,
    escaped,
    field_row_html,
    field_table,
    letters,
    model_row,
    model_rows,
    offering_rows,
    price_cell,
    price_rows,
    tier_price_rows,
    twin_items,
    value_cell,
)

HOSTILE = """<img src=x onerror="a('b')">&amp;"""


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


def test_the_fields_table_is_one_tbody_per_section_with_every_value_escaped() -> None:
    record = {
        "id": "p/x", "name": "<b>x</b>", "pricing": {"prompt": "0.000001"},
        "modelatlas": {"provider": "p", "upstream_id": "x", "provenance": {"name": "models.dev"},
                       "disputed": ["pricing.prompt"]},
    }
    encoded = field_table(record)
    html = encoded.decode("utf-8")
    assert html.count("<tbody>\n") == 2 and html.endswith("</tbody>\n")
    assert html.index(">Identity</th>") < html.index(">Prices</th>")
    assert '<tr><th scope="row"><span title="name">name</span></th><td>&lt;b&gt;x&lt;/b&gt;</td>' in html
    assert '<td class="source">models.dev</td>' in html
    assert ' per token) <span class="badge warn" title="the sources disagree' in html
    assert '<td class="source">–</td>' in html  # no source known
    assert field_table({"id": "p/x", "modelatlas": {"provider": "p", "upstream_id": "x"}}) == b""


def test_a_repeated_field_row_is_the_same_html_and_true_is_not_one() -> None:
    """Rows of scalar values are kept written by value: the kept row must be the row of that very
    value (a boolean and an integer that compare equal are two rows)."""
    def record(value: object) -> dict[str, Any]:
        return {"id": "p/x", "supports": value, "modelatlas": {"provider": "p", "upstream_id": "x"}}

    assert b"<td>yes</td>" in field_table(record(True)) and b"<td>1</td>" in field_table(record(1))
    assert b"<td>yes</td>" in field_table(record(True)) and field_table(record(1)) == field_table(record(1))


def test_a_list_of_strings_is_kept_written_by_its_items() -> None:
    """Rows of a list of strings are kept by its items: another list is another row."""
    def record(value: object) -> dict[str, Any]:
        return {"id": "p/x", "supported_methods": value, "modelatlas": {"provider": "p", "upstream_id": "x"}}

    assert b"<td>chat, embed</td>" in field_table(record(["chat", "embed"]))
    assert b"<td>chat</td>" in field_table(record(["chat"]))
    assert b"<td>chat, embed</td>" in field_table(record(["chat", "embed"]))  # kept, and still its own
    assert b"<td>[1,2]</td>" in field_table(record([1, 2]))  # not only strings: written as JSON, each time


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


def test_a_model_table_left_in_a_slot_is_written_later_as_the_same_html() -> None:
    rows = [{**_row_view(f"m{n}"), "date": "2025-01-01", "input_list": [], "output_list": []}
            for n in range(7)]
    slot = RowsSlot("rows", _Views(rows))
    # In a template, the slot writes its marker and keeps the arguments for its rows, written later.
    assert model_rows(slot, "../../", show_provider=False) == mark("rows") and len(slot) == len(rows)
    assert "".join(slot.pieces()) == model_rows(rows, "../../", show_provider=False)
    assert model_rows(rows, "../../", show_provider=False).count("<tr>") == 7


def test_field_rows_escape_every_special_character_as_markupsafe_does() -> None:
    row = FieldRow(path=HOSTILE, label=HOSTILE, value=HOSTILE, source=HOSTILE, disputed=False)
    html = field_row_html(row)
    assert "<img" not in html and html.count(str(escape(HOSTILE))) == 4
    plain = FieldRow(path="name", label="name", value="GPT-4o", source="provider API", disputed=False)
    assert "<td>GPT-4o</td>" in field_row_html(plain)


class _Html:
    def __html__(self) -> str:
        return "<b>safe</b>"


def test_escaped_writes_what_escape_writes_and_returns_a_plain_string_as_it_is() -> None:
    values: list[Any] = [HOSTILE, "GPT-4o", "", "a\u00a0›\U0001f600<", "\ud800&", 3, 0.5, None, True,
                         Markup("<i>kept</i>"), _Html()]
    for value in values:
        assert escaped(value) == str(escape(value)), value
        assert type(escaped(value)) is str
    plain = "openai/gpt-4o"
    assert escaped(plain) is plain


def _row_view(text: str) -> dict[str, object]:
    cell = PriceCell("$1.00", PriceState.KNOWN)
    return {
        "id": f"p/{text}", "provider": "openai", "provider_name": "OpenAI", "name": text, "upstream_id": text,
        "href": "model/openai/x.html", "context": "–", "max_output": "8,192", "input": "–", "output": "–",
        "prices": dict.fromkeys(("prompt", "completion", "input_cache_read", "input_cache_write"), cell),
        "listing": "", "offering": "",
    }


def test_model_and_canonical_page_rows_escape_upstream_text() -> None:
    cell = PriceCell("$1.00", PriceState.KNOWN)
    table = PriceTable([("prompt", "Prompt")], [PriceRow(HOSTILE, "batch", "input over 1 tokens",
                                                         {"prompt": cell}, HOSTILE)])
    cost = {"text": "$0.01", "exact": "0.01", "title": HOSTILE, "reason": ""}
    tier = {**_row_view(HOSTILE), "region": HOSTILE, "tier": "batch", "context": "", "cells": [cell],
            "sources": HOSTILE}
    for html in (price_rows(table), twin_items([_row_view(HOSTILE)], "../../"),
                 offering_rows([{**_row_view(HOSTILE), "cost": cost}], "../../"),
                 tier_price_rows([tier], "../../")):
        assert isinstance(html, Markup) and "<img" not in html and str(escape(HOSTILE)) in html
        assert html.endswith("</tr>\n") or html.endswith("</li>\n")
    assert '<td>batch · input over 1 tokens</td><td class="num price known">$1.00</td>' in price_rows(table)
    unknown_cost = {"text": "–", "exact": "", "title": "unknown", "reason": ""}
    row = offering_rows([{**_row_view("m"), "cost": unknown_cost}], "")
    assert '<td class="num cost unpriced" data-total="" title="unknown"><span role="img"' in row
    assert '<td class="unknown" title="unknown">' in row  # neither modality known


class _Views:
    """Row views as a slot's rows (the site's pages give it records: render/model_rows.py)."""

    def __init__(self, rows: list[dict[str, Any]]) -> None:
        self.rows = rows

    def __len__(self) -> int:
        return len(self.rows)

    def pieces(self, root: str, show_provider: bool) -> Iterator[str]:
        return (model_row(row, root, show_provider) for row in self.rows)
