"""The table cells every page repeats (prices, counts, badges, modality letters, a model's field
rows), called by the page writers and, for the few templates that show them, as template globals.

They were Jinja macros: a macro call costs about as much as a small page's worth of output, and a
100k-model provider or browse table makes millions of them. These functions write the same HTML,
escaping each value as the template did, and return :class:`~markupsafe.Markup` so the template
does not escape it again.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sized
from functools import lru_cache
from typing import Any, Protocol

from markupsafe import Markup, escape
from markupsafe import _escape_inner as _escape_text  # escape()'s own escaper of a str (C), no Markup made

from modelatlas.record import Record
from modelatlas.render.model_view import SECTION_TITLES, FieldRow, field_row, shown_fields
from modelatlas.render.page_frame import mark
from modelatlas.render.price_table import TOKEN_KEYS, PriceTable
from modelatlas.render.price_view import PriceCell

UNKNOWN = Markup('<span role="img" aria-label="unknown">–</span>')
UNKNOWN_TEXT = "–"
DISPUTED_MARK = (
    '<span class="mark" aria-hidden="true">?</span><span class="visually-hidden"> (disputed)</span>'
)
DISPUTED_FIELD = (
    ' <span class="badge warn" title="the sources disagree; every value is under “Where the sources '
    'disagree”">disputed</span>'
)
DISTINCT_CELLS = 8192  # price cells kept written: a catalog has a few thousand distinct ones
DISTINCT_FIELD_ROWS = 16384  # field rows kept written: the snapshot has some 10,400 distinct ones
_FIELD_ROWS: dict[tuple[str, Any, type, str, bool], bytes] = {}
_SCALARS = frozenset({str, int, bool, type(None)})  # not float: 0.0 and -0.0 are one key, two texts
_SECTION_HEADS = tuple(
    f'<tbody>\n<tr class="section"><th scope="rowgroup" colspan="3">{escape(title)}</th></tr>\n'.encode()
    for title in SECTION_TITLES
)
ROWS_PER_PIECE = 512  # model table rows written as one piece of a streamed table
LETTERS = {"text": "T", "image": "I", "file": "F", "audio": "A", "video": "V"}


def unknown() -> Markup:
    """A value no source states: a dash that says "unknown" to screen readers."""
    return UNKNOWN


@lru_cache(maxsize=DISTINCT_CELLS)
def price_cell(cell: PriceCell, tag: str = "td", extra: str = "") -> Markup:
    """A price: free, not billed, unknown or an amount (rounded; the exact value in the tooltip).
    ``tag`` is the template's own element name; the state is one of :class:`PriceState`'s words.
    Written once per distinct cell: every table of every model repeats the same few thousand."""
    parts = [f'<{tag} class="num price {cell.state.value}']
    if cell.disputed:
        parts.append(" disputed")
    if extra:
        parts.append(escaped(f" {extra}"))
    parts.append('"')
    title = cell.title
    if title:
        parts.append(f' title="{escaped(title)}"')
    parts.append(">")
    parts.append(UNKNOWN if cell.state == "unknown" else escaped(cell.text))
    if cell.disputed:
        parts.append(DISPUTED_MARK)
    parts.append(f"</{tag}>")
    return Markup("".join(parts))


def value_cell(text: str, cls: str = "num") -> Markup:
    """A table cell of a count or date; an unknown one (an en dash) says so."""
    if text == UNKNOWN_TEXT:
        return Markup(f'<td class="{escaped(cls)} unknown" title="unknown">{UNKNOWN}</td>')
    return Markup(f'<td class="{escaped(cls)}">{escaped(text)}</td>')


def badges(row: dict[str, Any]) -> Markup:
    """A row's listing badge (retired, unverified, ...) and offering badge (free tier, batch, ...)."""
    parts = []
    if row["listing"]:
        parts.append(f'<span class="badge warn">{escaped(row["listing"])}</span>')
    if row["offering"]:
        parts.append(f'<span class="badge note">{escaped(row["offering"])}</span>')
    return Markup("".join(parts))


def letters(modalities: Iterable[str]) -> Markup:
    """Modalities as compact letters (``TI`` for text and image); an en dash for none."""
    shown = [escaped(LETTERS.get(m, m[:1].upper())) for m in modalities]
    return Markup("".join(shown)) if shown else Markup(UNKNOWN_TEXT)


class TableRows(Sized, Protocol):
    """A model table's rows, written piece by piece (:data:`ROWS_PER_PIECE` rows at a time) for a
    page ``root`` away from the build root, with or without the provider column."""

    def pieces(self, root: str, show_provider: bool) -> Iterator[str]: ...


class RowsSlot:
    """A model table's rows left out of a page frame (:class:`~modelatlas.render.page_frame.Frame`)
    and written into it piece by piece (:meth:`pieces`): given one, :func:`model_rows` writes the
    slot's marker and keeps the arguments the template passed it. A 20k-model provider page made
    its table as one string, several copies of it at once (120 MB of peak memory at 100k models,
    for 21 MB of page)."""

    def __init__(self, slot: str, rows: TableRows) -> None:
        self.slot, self.rows = slot, rows
        self.root, self.show_provider = "", True  # as the template passes them to model_rows

    def __len__(self) -> int:
        return len(self.rows)

    def pieces(self) -> Iterator[str]:
        """The rows' HTML, :data:`ROWS_PER_PIECE` rows at a time (made once the frame is rendered)."""
        yield from self.rows.pieces(self.root, self.show_provider)


def model_rows(rows: Iterable[dict[str, Any]] | RowsSlot, root: str, show_provider: bool = True) -> Markup:
    """The model table's body: a row per model (:func:`~modelatlas.render.site_index.row_view`):
    name and badges, provider, the four token prices, context, max output, modalities, date, id.
    ``root`` is the way back to the site root from the page. For a :class:`RowsSlot`, its marker."""
    if isinstance(rows, RowsSlot):
        rows.root, rows.show_provider = root, show_provider
        return Markup(mark(rows.slot))
    return Markup("".join(model_row(row, root, show_provider) for row in rows))


def model_row(row: dict[str, Any], root: str, show_provider: bool = True) -> str:
    """One row of :func:`model_rows`: with its provider cell where ``show_provider``."""
    head, tail = row_parts(row, root)
    if show_provider:
        return head + provider_cell(row["provider"], row["provider_name"], root) + tail
    return head + tail


def row_parts(row: dict[str, Any], root: str) -> tuple[str, str]:
    """One model table row (:func:`~modelatlas.render.site_index.row_view`) as the HTML before its
    provider cell and the HTML after it (a provider's own page leaves the cell out)."""
    name, provider_name = escaped(row["name"]), escaped(row["provider_name"])
    head = (f'<tr>\n<td class="name">{badges(row)}<a href="{root}{escaped(row["href"])}">{name}</a>'
            f'<span class="sub">{provider_name} · {escaped(row["upstream_id"])}</span></td>\n')
    prices = row["prices"]
    parts = [f"{price_cell(prices[key])}\n" for key in TOKEN_KEYS]
    parts.append(f'{value_cell(row["context"])}\n{value_cell(row["max_output"])}\n')
    mods = escaped(f"Input: {_known(row['input'])}; output: {_known(row['output'])}")
    shown = (f'{letters(row["input_list"])}→{letters(row["output_list"])}'
             if row["input_list"] or row["output_list"] else UNKNOWN_TEXT)
    parts.append(f'<td class="mods" title="{mods}"><span role="img" aria-label="{mods}">{shown}'
                 "</span></td>\n")
    model_id = escaped(row["id"])
    parts.append(f'{value_cell(row["date"])}\n<td class="id"><span class="mid" title="{model_id}">'
                 f"{model_id}</span></td>\n</tr>\n")
    return head, "".join(parts)


def provider_cell(provider: str, provider_name: str, root: str) -> str:
    """A model table row's provider cell: the provider's name, linking to its page."""
    return (f'<td class="prov"><a href="{root}providers/{escaped(provider)}.html">'
            f"{escaped(provider_name)}</a></td>")


def escaped(value: Any) -> str:
    """What ``escape(value)`` writes, as text: a plain string goes through the escaper ``escape``
    itself runs on one (it returns the very string when nothing needs replacing, as most need not),
    without a Markup made for it. A hundred calls on every model page."""
    if type(value) is str:
        return _escape_text(value)
    return str(escape(value))


def _known(text: str) -> str:
    return "unknown" if text == UNKNOWN_TEXT else text


def field_table(record: Record) -> bytes:
    """A model page's "All fields" table body, encoded: a ``<tbody>`` per section of
    :func:`~modelatlas.render.model_view.shown_fields`, a row per field (path, label, value, source,
    and a mark on a disputed value). About 25 rows on every model page; a row of a scalar value or
    a list of strings is written and encoded once per distinct row and process (most of a catalog's
    rows repeat: a capability, a modality, a price, with its source)."""
    parts: list[bytes] = []
    current = -1
    for section, path, value, source, disputed in shown_fields(record):
        if section != current:
            if parts:
                parts.append(b"</tbody>\n")
            parts.append(_SECTION_HEADS[section])
            current = section
        kind = type(value)
        if kind in _SCALARS:
            shown = value
        elif kind is list and all(type(item) is str for item in value):
            shown = tuple(value)  # a list of strings is written as its items are: modalities, methods
        else:
            parts.append(field_row_html(field_row(path, value, source, disputed)).encode())
            continue
        key = (path, shown, kind, source, disputed)  # the kind: True and 1 are different values here
        html = _FIELD_ROWS.get(key)
        if html is None:
            if len(_FIELD_ROWS) >= DISTINCT_FIELD_ROWS:
                _FIELD_ROWS.clear()
            html = _FIELD_ROWS[key] = field_row_html(field_row(path, value, source, disputed)).encode()
        parts.append(html)
    if parts:
        parts.append(b"</tbody>\n")
    return b"".join(parts)


def field_row_html(row: FieldRow) -> str:
    """One row of :func:`field_table`."""
    path, label, value, source, disputed = row
    mark = DISPUTED_FIELD if disputed else ""
    return (f'<tr><th scope="row"><span title="{escaped(path)}">{escaped(label)}</span></th>'
            f'<td>{escaped(value)}{mark}</td>'
            f'<td class="source">{escaped(source or UNKNOWN_TEXT)}</td></tr>\n')


def price_rows(table: PriceTable) -> Markup:
    """A model page's price table body: a row per region, service tier and long-context tier of
    :func:`~modelatlas.render.price_table.price_table`, a cell per column."""
    keys = [key for key, _ in table.columns]
    parts = []
    for row in table.rows:
        region, tier = escaped(row.region), escaped(row.tier)
        context = f" · {escaped(row.context)}" if row.context else ""
        cells = "".join([price_cell(row.cells[key]) for key in keys])
        parts.append(f'<tr data-region="{region}" data-tier="{tier}"><th scope="row">{region}</th><td>{tier}'
                     f'{context}</td>{cells}<td class="source">{escaped(row.sources)}</td></tr>\n')
    return Markup("".join(parts))


def twin_items(rows: Iterable[dict[str, Any]], root: str) -> Markup:
    """A model page's list of the other offerings of its canonical model (row views): badges, link,
    id and the prompt and completion prices."""
    parts = []
    for row in rows:
        prompt, completion = escaped(row["prices"]["prompt"].text), escaped(row["prices"]["completion"].text)
        parts.append(f'<li>{badges(row)}<a href="{root}{escaped(row["href"])}">'
                     f'{escaped(row["provider_name"])}: {escaped(row["name"])}</a> '
                     f'<span class="muted">{escaped(row["id"])} · prompt {prompt}'
                     f" · completion {completion} per 1M</span></li>\n")
    return Markup("".join(parts))


def _cost_cell(cost: dict[str, str]) -> str:
    """What the usage costs at an offering (:func:`~modelatlas.render.canonical_page.cost_cell`): the
    rounded total, or why there is none."""
    exact = cost["exact"]
    if exact:
        shown = escaped(cost["text"])
    elif cost["reason"]:
        shown = f'<span class="reason">{escaped(cost["reason"])}</span>'
    else:
        shown = UNKNOWN
    return (f'<td class="num cost{"" if exact else " unpriced"}" data-total="{escaped(exact)}" '
            f'title="{escaped(cost["title"])}">{shown}</td>')


def offering_rows(rows: Iterable[dict[str, Any]], root: str) -> Markup:
    """A canonical page's offering table body: a row per offering (row views with their "cost" cell):
    id and badges, the usage's cost, the four token prices, context, max output, modalities."""
    parts = []
    for row in rows:
        prices = row["prices"]
        if row["input"] == UNKNOWN_TEXT and row["output"] == UNKNOWN_TEXT:
            modalities = f'<td class="unknown" title="unknown">{UNKNOWN}</td>'
        else:
            modalities = f'<td class="nowrap">{escaped(row["input"])} → {escaped(row["output"])}</td>'
        parts.append(f'<tr data-id="{escaped(row["id"])}"><th scope="row" class="offering">{badges(row)}'
                     f'<a href="{root}{escaped(row["href"])}">{escaped(row["upstream_id"])}</a>'
                     f'<span class="sub">{escaped(row["provider_name"])}</span></th>{_cost_cell(row["cost"])}'
                     f'{price_cell(prices["prompt"], extra="price-prompt")}{price_cell(prices["completion"])}'
                     f'{price_cell(prices["input_cache_read"])}{price_cell(prices["input_cache_write"])}'
                     f'{value_cell(row["context"])}{value_cell(row["max_output"])}{modalities}</tr>\n')
    return Markup("".join(parts))


def tier_price_rows(rows: Iterable[dict[str, Any]], root: str) -> Markup:
    """A canonical page's region, tier and long-context price rows, one per offering, region and tier."""
    parts = []
    for row in rows:
        region, tier = escaped(row["region"]), escaped(row["tier"])
        context = f" · {escaped(row['context'])}" if row["context"] else ""
        cells = "".join([price_cell(cell) for cell in row["cells"]])
        parts.append(f'<tr data-id="{escaped(row["id"])}" data-region="{region}" data-tier="{tier}">'
                     f'<th scope="row" class="offering"><a href="{root}{escaped(row["href"])}">'
                     f'{escaped(row["upstream_id"])}</a><span class="sub">{escaped(row["provider_name"])}'
                     f'</span></th><td>{region}</td><td>{tier}{context}</td>{cells}<td class="source">'
                     f'{escaped(row["sources"])}</td></tr>\n')
    return Markup("".join(parts))


# What templates call (the model table's rows, a price on the Changes page); the model and canonical
# pages call the rest from Python (render/model_page.py, render/canonical_html.py).
CELLS = {"price_cell": price_cell, "model_rows": model_rows}
