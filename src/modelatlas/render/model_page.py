"""A model page's HTML without a Jinja render per page: 2,373 pages of about 170 template fragments
each were a third of a snapshot build.

The frame (``base.html`` with ``model.html``'s title and head) is still the template's: it is
rendered once per build for each kind of page (folder depth, with or without the estimator), with
markers where a page's own values go (:class:`~modelatlas.render.page_frame.Frame`), which each page
fills in. The main part is written by the functions below, section by section, as ``model.html``'s
comment describes; every value from the record is escaped as the template's autoescape did.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

from jinja2 import Environment
from jinja2.utils import url_quote
from markupsafe import Markup

from modelatlas.render.markdown_safe import render_markdown
from modelatlas.render.model_view import source_label
from modelatlas.render.page_frame import Frame, mark
from modelatlas.render.table_cells import (
    UNKNOWN,
    UNKNOWN_TEXT,
    badges,
    price_cell,
    price_rows,
    twin_items,
)
from modelatlas.render.table_cells import escaped as _e
from modelatlas.render.usage_html import form_tag

IDS_KEPT = 8192  # model ids kept quoted: every page of a canonical model links its offerings by id


@lru_cache(maxsize=IDS_KEPT)
def _quoted_id(model_id: str) -> str:
    """A model id as the value of a compare link's ``m=``, escaped for the attribute."""
    return _e(url_quote(model_id))


class ModelPages:
    """Model pages of one build: a :class:`Frame` per folder depth and kind of page, made when first
    needed, and the main part of each page written here."""

    def __init__(self, env: Environment) -> None:
        self.env = env
        self.usage_body = env.globals["usage_body"]
        self.frames: dict[tuple[str, bool], Frame] = {}

    def render(self, context: dict[str, Any], page: dict[str, Any]) -> bytes:
        """The page's bytes, as ``model.html`` rendered with ``context`` (what every page gets:
        :func:`~modelatlas.render.templates.page_context`) and ``page`` (the model's own values)."""
        root, estimator = context["root"], bool(page["usage"])
        frame = self.frames.get((root, estimator))
        if frame is None:
            marked = {**context, "canonical_url": mark("canonical_url") if context["canonical_url"] else None}
            frame = self.frames[root, estimator] = Frame(self.env, "model.html", {
                **marked, "row": {"name": mark("title_name")}, "record": {"id": mark("title_id")},
                "usage": estimator, "main": Markup(mark("main")),
            })
        values = {
            "title_name": _e(page["row"]["name"]).encode(),
            "title_id": _e(page["record"]["id"]).encode(),
            "canonical_url": _e(context["canonical_url"] or "").encode(),
            "main": main_html(_e(root), lambda form: self.usage_body(form, root),
                              {**page, "base_url": context["base_url"]}),
        }
        return frame.fill(values)


def _crumbs_and_summary(row: dict[str, Any], record: dict[str, Any], root: str, canonical: Any) -> str:
    crumb = f' › <a href="{root}{_e(canonical["href"])}">{_e(canonical["name"])}</a>' if canonical else ""
    context = UNKNOWN if row["context"] == UNKNOWN_TEXT else _e(row["context"])
    max_output = UNKNOWN if row["max_output"] == UNKNOWN_TEXT else _e(row["max_output"])
    prices = row["prices"]
    return (
        f'<nav class="crumbs" aria-label="Breadcrumb"><a href="{root}index.html">Catalog</a> › '
        f'<a href="{root}providers/{_e(row["provider"])}.html">{_e(row["provider_name"])}</a>{crumb}</nav>\n'
        f'<h1>{_e(row["name"])} {badges(row)}</h1>\n'
        f'<p class="model-id"><code>{_e(record["id"])}</code></p>\n'
        '<ul class="summary">\n'
        f'  <li><span class="muted">Context</span> {context}</li>\n'
        f'  <li><span class="muted">Max output</span> {max_output}</li>\n'
        f'  <li><span class="muted">Prompt $/1M</span> {price_cell(prices["prompt"], "span")}</li>\n'
        f'  <li><span class="muted">Completion $/1M</span> {price_cell(prices["completion"], "span")}</li>\n'
        f'  <li><span class="muted">In → out</span> {_e(row["input"])} → {_e(row["output"])}</li>\n'
        "</ul>\n"
    )


def _actions(record: dict[str, Any], root: str, details: Any, source_link: Any) -> str:
    json_link = f'<a class="button" href="{root}{_e(details)}">JSON</a>' if details else ""
    source = (f'<a class="button" href="{_e(source_link)}" rel="nofollow noopener noreferrer">Source</a>'
              if source_link else "")
    return (
        f'<p class="actions">\n{json_link}'
        f'  <a class="button" href="{root}compare.html?m={_quoted_id(record["id"])}">Compare with…</a>\n'
        f"{source}</p>\n"
    )


def _estimate(usage: Any, estimate: Any, root: str, usage_body: Callable[[Any], Markup]) -> tuple[bytes, ...]:
    if not usage:
        return (b'<p class="muted" id="estimate-none">No price of this model is known: the cost of a request '
                b"cannot be estimated.</p>\n",)
    return (
        form_tag(usage, root).encode(),
        usage_body(usage).encode(),
        (
            '<div class="estimate" id="estimate">\n'
            '<p class="estimate-total" aria-live="polite">'
            f'<span id="estimate-label">{_e(estimate["label"])}</span> '
            f'<strong id="estimate-total" data-total="{_e(estimate["total"])}">'
            f'{_e(estimate["text"])}</strong> '
            f'<span class="muted" id="estimate-exact">{_e(estimate["exact"])}</span></p>\n'
        ).encode(),
        _ESTIMATE_TAIL,
    )


_ESTIMATE_TAIL = (
    b'<p class="estimate-note muted" id="estimate-note" hidden></p>\n'
    b'<div class="table-wrap js-only">\n'
    b'<table class="breakdown" id="estimate-lines" hidden>\n'
    b"<caption>How the total adds up: one line per part of the request, in USD</caption>\n"
    b'<thead><tr><th scope="col">Component</th><th scope="col" class="num">Quantity</th><th scope="col" '
    b'class="num">Unit price</th><th scope="col" class="num">Amount</th><th scope="col">Source</th>'
    b'<th scope="col">Priced at</th></tr></thead>\n'
    b"<tbody></tbody>\n</table>\n</div>\n</div>\n"
)


def _prices(prices: Any) -> str:
    headings = "".join(f'<th scope="col" class="num" data-key="{_e(key)}">{_e(heading)}</th>'
                       for key, heading in prices.columns)
    return (
        '<div class="table-wrap">\n<table class="prices" id="prices">\n'
        "<caption>Every price by region and service tier, in USD; “default” is this id's own region. "
        "Rounded prices show the exact value on hover; a price a row does not state is unknown (–)."
        '</caption>\n<thead><tr><th scope="col">Region</th><th scope="col">Tier</th>'
        f'{headings}<th scope="col">Source</th></tr></thead>\n<tbody>\n'
        f"{price_rows(prices)}</tbody>\n</table>\n</div>\n</section>\n"
    )


def _curl(details: Any, root: str, base_url: Any) -> str:
    if not details:
        return ""
    host = _e(base_url or "https://YOUR-HOST/")
    return (
        '<div class="curl">\n  <label for="curl-cmd">Fetch this record</label>\n'
        f'  <div class="curl-row"><input id="curl-cmd" readonly value="curl -s {host}{_e(details)}" '
        f'data-path="{root}{_e(details)}"><button type="button" id="copy-curl" class="js-only">Copy</button>'
        "</div>\n</div>\n"
    )


def _twins(canonical: Any, others: list[dict[str, Any]], compare_ids: list[str], root: str) -> str:
    parts = ['<section aria-labelledby="h-twins">\n<h2 id="h-twins">Where else to run it</h2>\n']
    if canonical:
        providers, offerings, hidden = (
            canonical["provider_count"], canonical["offering_count"], canonical["hidden_count"]
        )
        retired = f" (and {_e(hidden)} retired or unverified)" if hidden else ""
        parts.append(
            f'<p class="canonical-link"><a href="{root}{_e(canonical["href"])}">{_e(canonical["name"])} at '
            f'{_e(providers)} provider{"s" if providers != 1 else ""}</a> '
            f'<span class="muted">{_e(offerings)} offering{"s" if offerings != 1 else ""}{retired}, '
            "this one included · "
            f'<code>{_e(canonical["slug"])}</code></span></p>\n'
        )
    if others:
        parts.append(f'<ul class="twins">\n{twin_items(others, root)}</ul>\n')
        if len(compare_ids) > 1:
            query = "&amp;".join(f"m={_quoted_id(model_id)}" for model_id in compare_ids)
            parts.append(f'<p><a href="{root}compare.html?{query}">Compare with the cheapest of them side by '
                         "side</a></p>")
    elif canonical:
        parts.append('<p class="muted">No other offering of this snapshot is listed.</p>\n')
    else:
        parts.append('<p class="muted">Not linked to a canonical model: no source names this model with its '
                     "vendor.</p>\n")
    parts.append("</section>\n")
    return "".join(parts)


def _description(description: Any, source: Any) -> str:
    if not description:
        return ""
    said = f'<p class="muted">Source: {_e(source_label(source))}</p>' if source else ""
    return (
        '<section aria-labelledby="h-desc">\n<h2 id="h-desc">Description</h2>\n'
        f'<div class="description">{render_markdown(description)}</div>\n{said}</section>\n'
    )


def _history(history: list[dict[str, str]]) -> str:
    if not history:
        return ""
    rows = "".join(f'<tr><td>{_e(h["date"])}</td><td>{_e(h["field"])}</td><td>{_e(h["before"])}</td>'
                   f'<td>{_e(h["after"])}</td><td>{_e(h["source"])}</td></tr>\n' for h in history)
    return (
        '<section aria-labelledby="h-history">\n<h2 id="h-history">Change history</h2>\n'
        '<div class="table-wrap">\n<table class="history">\n'
        "<caption>Changes recorded for this model, newest first</caption>\n"
        '<thead><tr><th scope="col">Date</th><th scope="col">Field</th><th scope="col">Before</th>'
        '<th scope="col">After</th><th scope="col">Source</th></tr></thead>\n'
        f"<tbody>\n{rows}</tbody>\n</table>\n</div>\n</section>\n"
    )


_FIELDS_HEAD = (
    b'<section aria-labelledby="h-fields">\n<h2 id="h-fields">All fields</h2>\n'
    b'<div class="table-wrap">\n<table class="fields">\n'
    b"<caption>Every value of the record and where it came from</caption>\n"
    b'<thead><tr><th scope="col">Field</th><th scope="col">Value</th><th scope="col">Source</th>'
    b"</tr></thead>\n"
)
_FIELDS_TAIL = b"</table>\n</div>\n</section>\n"


def main_html(root: str, usage_body: Callable[[Any], Markup], page: dict[str, Any]) -> bytes:
    """The page's ``<main>`` content, encoded; ``page`` holds what ``model.html`` was given (record,
    row, prices, fields: the field table's bytes, ...). ``root`` is the way back to the site root,
    escaped; ``usage_body`` writes a usage form's body for this page. Each part is encoded on its
    own (see :meth:`~modelatlas.render.page_frame.Frame.fill`)."""
    record, row, canonical, usage = page["record"], page["row"], page["canonical"], page["usage"]
    return b"".join((
        _crumbs_and_summary(row, record, root, canonical).encode(),
        _actions(record, root, page["details"], page["source_link"]).encode(),
        b'<section aria-labelledby="h-prices">\n<h2 id="h-prices">Prices</h2>\n',
        *_estimate(usage, page["estimate"], root, usage_body),
        _prices(page["prices"]).encode(),
        _curl(page["details"], root, page["base_url"]).encode(),
        _twins(canonical, page["others"], page["compare_ids"], root).encode(),
        _description(page["description"], page["description_source"]).encode(),
        _history(page["history"]).encode(),
        _FIELDS_HEAD,
        page["fields"],
        _FIELDS_TAIL,
    ))
