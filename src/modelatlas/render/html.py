"""The HTML catalog: every page of the static site, rendered from ``site_templates/`` with Jinja2
(autoescape on, StrictUndefined). A pure function of the catalog: same catalog, same bytes.

Pages (all links relative, so the site works from any subpath):
``index.html`` (catalog, first rows server-side, the rest via ``site-index.json`` and
``static/catalog.js``), ``browse/<k>.html`` (the whole table in script-free pages),
``providers/<p>.html`` (one per provider), ``model/<p>/<stem>.html`` (one per model),
``canonical/<vendor>/<model>.html`` (one per canonical model: its offerings ranked for a buyer),
``compare.html``, ``charts/index.html`` and ``charts/<p>.html`` (:mod:`~modelatlas.render.chart_pages`)
and ``changes.html`` (:mod:`~modelatlas.render.changes_page`). The Jinja environment and what every
page gets are in :mod:`~modelatlas.render.templates`.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import Any

from modelatlas.build_folder import ROWS_CACHE_NAME
from modelatlas.errors import ModelatlasError
from modelatlas.fetch.providers import registry
from modelatlas.ids import provider_ids
from modelatlas.jsonio import compact_bytes
from modelatlas.record import Record
from modelatlas.render import canonical_page as canonical_rows
from modelatlas.render import canonical_view, changes_page, model_view, templates, usage_form
from modelatlas.render.browse_pager import pager
from modelatlas.render.canonical_api import model_path as canonical_json_path
from modelatlas.render.canonical_html import CanonicalPages
from modelatlas.render.catalog import Catalog
from modelatlas.render.chart_pages import chart_pages
from modelatlas.render.input_keys import input_key
from modelatlas.render.lazy import Content, Deferred, Lazy
from modelatlas.render.model_page import ModelPages
from modelatlas.render.model_rows import ModelRows, RecordRows
from modelatlas.render.offering_view import is_on_demand, listing_of
from modelatlas.render.page_frame import Frame
from modelatlas.render.price_table import price_table
from modelatlas.render.provider_status import statement
from modelatlas.render.record_views import CanonicalViews, RecordViews
from modelatlas.render.site_index import (
    INPUT_MODALITIES,
    OUTPUT_MODALITIES,
    capability_names,
    index_content,
)
from modelatlas.render.site_paths import (
    BROWSE_PAGE_SIZE,
    browse_page,
    canonical_page,
    is_safe_output_path,
    model_page,
    provider_chart_page,
    provider_page,
)
from modelatlas.render.sitemap import sitemap_files
from modelatlas.render.table_cells import RowsSlot, field_table
from modelatlas.render.templates import chunks, environment, page_chunks, page_context

HOME_ROWS = 100
CONTEXT_CHOICES = (8_000, 32_000, 128_000, 200_000, 1_000_000)


class _Site:
    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.env = environment()
        self.groups = {group.slug: group for group in catalog.groups}
        self.digests = catalog.digests
        self.changes_by_model = model_view.changes_by_model(catalog.changes)
        self.profiles = usage_form.regional_profiles(catalog.models)
        self.views = RecordViews(len(catalog.models))
        self.rows = ModelRows(catalog.digests, catalog.kept_rows)  # the browse and provider tables' rows
        self.canonical_views = CanonicalViews(self.views)
        self.model_pages = ModelPages(self.env)
        self.canonical_pages = CanonicalPages(self.env)

    def page(self, path: str, template: str, **context: Any) -> tuple[str, bytes]:
        html = self.env.get_template(template).render(**page_context(self.catalog, path), **context)
        return path, html.encode("utf-8")

    def big_page(self, path: str, template: str, **context: Any) -> tuple[str, Content]:
        """Like :meth:`page` (the same bytes), for pages of megabytes (a big provider's table, the
        all-models chart), encoded in chunks as the template renders."""
        return path, page_chunks(self.env, self.catalog, path, template, **context)

    def home(self) -> tuple[str, bytes]:
        models = self.catalog.models
        return self.page(
            "index.html",
            "index.html",
            rows=[self.views.row(m) for m in models[:HOME_ROWS]],
            total=len(models),
            browse_pages=self.browse_count(),
            input_modalities=INPUT_MODALITIES,
            output_modalities=OUTPUT_MODALITIES,
            capabilities=capability_names(models),
            context_choices=CONTEXT_CHOICES,
            provider_counts={p: len(self.catalog.models_of(p)) for p in provider_ids()},
        )

    def browse_count(self) -> int:
        return max(1, -(-len(self.catalog.models) // BROWSE_PAGE_SIZE))

    def browse(self, number: int) -> Content:
        """Browse page ``number`` (from 1) of :meth:`browse_count`."""
        chunk = self.catalog.models[(number - 1) * BROWSE_PAGE_SIZE : number * BROWSE_PAGE_SIZE]
        path = browse_page(number)
        table = RowsSlot("rows", RecordRows(chunk, self.rows))
        frame = Frame(self.env, "browse.html", {
            **page_context(self.catalog, path),
            "rows": table,
            "number": number,
            "pages": self.browse_count(),
            "pager": pager(number, self.browse_count()),
            "total": len(self.catalog.models),
            "first": (number - 1) * BROWSE_PAGE_SIZE + 1,
        })  # the page without its table's rows, which are written into it as it is encoded
        return chunks(frame.stream({table.slot: table.pieces()}))

    def provider(self, provider: str) -> tuple[str, Content]:
        status = self.catalog.providers.get(provider, {}).get("status", {})
        models = self.catalog.models_of(provider)
        listed = [model for model in models if not listing_of(model).hidden]
        hidden = [model for model in models if listing_of(model).hidden]
        declaration = registry.declared(provider)
        path = provider_page(provider)
        tables = (RowsSlot("rows", RecordRows(listed, self.rows)),
                  RowsSlot("hidden_rows", RecordRows(hidden, self.rows)))
        frame = Frame(self.env, "provider.html", {
            **page_context(self.catalog, path),
            "provider": provider,
            "status": status,
            "said": statement(provider, status, len(models)),
            "endpoint": f"GET {declaration.list_url}",
            "offers": declaration.metadata,
            "rows": tables[0],
            "hidden_rows": tables[1],
            "chart_href": provider_chart_page(provider),
        })  # the page without its tables' rows, which are written into it as it is encoded
        return path, chunks(frame.stream({table.slot: table.pieces() for table in tables}))

    def model(self, record: Record) -> tuple[str, Lazy]:
        """A model page, keyed by everything it shows: the record, its canonical model (its slug and
        every offering's record, in the group's order: the summary and the ranking of the other
        offerings are functions of those) and the model's change-log rows; rendered only when that
        key differs from the previous build's. Nothing but its path and group is looked up here: the
        output stage's side process passes over every model page without making its key."""
        path = model_page(record)
        group = self.groups.get(canonical_view.linked_slug(record) or "")
        share = group.slug if group else None  # its canonical model's pricing and ranking, made once
        inputs = (path, record, group)
        return path, Lazy(partial(self._model_key, *inputs), partial(self._model_page, *inputs), share)

    def _model_extras(self, record: Record) -> tuple[list[dict[str, str]], list[tuple[str, str]]]:
        """A model page's change-log rows and regional profiles."""
        history = [model_view.change_row(entry) for entry in self.changes_by_model.get(record["id"], ())]
        return history, self.profiles.get(record["id"], [])

    def _model_key(self, path: str, record: Record, group: canonical_view.Group | None) -> str:
        history, profiles = self._model_extras(record)
        return input_key(
            "model.html",
            path.encode("utf-8"),
            self.digests[record["id"]],
            group.slug.encode("utf-8") if group else b"",
            b"".join(self.digests[other["id"]] for other in group.offerings) if group else b"",
            compact_bytes(history) if history else b"",
            compact_bytes(profiles) if profiles else b"",
            (self.catalog.base_url or "").encode("utf-8"),
        )

    def _model_page(self, path: str, record: Record, group: canonical_view.Group | None) -> bytes:
        return self.model_page(path, record, group, *self._model_extras(record))

    def canonical(self, group: canonical_view.Group) -> tuple[str, Lazy]:
        """A canonical model's page: every offering, ranked for a buyer, and its region and tier
        prices; keyed by its offerings' records and its snapshots' pages, rendered only when that
        key differs from the previous build's."""
        path = canonical_page(group.slug)
        snapshots = [(slug, canonical_page(slug)) for slug in group.snapshots if slug in self.groups]
        def key() -> str:
            return input_key(
                "canonical.html",
                path.encode("utf-8"),
                b"".join(self.digests[record["id"]] for record in group.offerings),
                compact_bytes(snapshots),
                (self.catalog.base_url or "").encode("utf-8"),
            )

        return path, Lazy(key, lambda: self.canonical_page(path, group, snapshots), group.slug)

    def canonical_page(
        self, path: str, group: canonical_view.Group, snapshots: list[tuple[str, str]]
    ) -> bytes:
        offerings = canonical_rows.offerings(self.canonical_views.pricing(group), self.views.row)
        return self.canonical_pages.render(page_context(self.catalog, path), {
            "group": group,
            "offerings": offerings,
            "usage": offerings.form if offerings.form.shown else None,
            "details": canonical_json_path(group.slug),
            "snapshots": snapshots,
        })

    def model_page(
        self,
        path: str,
        record: Record,
        group: canonical_view.Group | None,
        history: list[dict[str, str]],
        profiles: list[tuple[str, str]],
    ) -> bytes:
        canonical = self.canonical_views.summary(group) if group else None
        ranked = self.canonical_views.ranked(group) if group else []
        others = [other for other in ranked if other is not record]
        extension = record["modelatlas"]
        book = self.views.book(record)
        details = extension.get("links", {}).get("details", "")
        usage = None if book is None else usage_form.form_for(
            "model", [(book, record)], profiles=profiles, json_path=details, facts=self.views.facts
        )
        if usage is not None and not usage.shown:
            usage = None
        return self.model_pages.render(page_context(self.catalog, path), {
            "record": record,
            "row": self.views.row(record),
            "prices": price_table(record),
            "fields": field_table(record),
            "description": record.get("description"),
            "description_source": extension.get("provenance", {}).get("description", ""),
            "details": extension.get("links", {}).get("details"),
            "source_link": _http_link(extension.get("links", {}).get("source")),
            "others": [self.views.row(other) for other in others],
            "compare_ids": [record["id"], *[other["id"] for other in others if is_on_demand(other)][:3]],
            "canonical": canonical,
            "history": history,
            "usage": usage,
            "estimate": usage_form.default_estimate(book, usage) if book is not None and usage else None,
        })

    def changes(self) -> tuple[str, bytes]:
        return self.page("changes.html", "changes.html", **changes_page.context(self.catalog))


def _http_link(url: object) -> str | None:
    """An upstream URL only if it is http(s); anything else (``javascript:``, ``data:``) is dropped."""
    return url if isinstance(url, str) and url.lower().startswith(("https://", "http://")) else None


def _static_files() -> Iterator[tuple[str, bytes]]:
    for path in sorted(templates.STATIC.iterdir()):
        if path.is_file():
            yield f"static/{path.name}", path.read_bytes()


def _site_files(
    site: _Site, catalog: Catalog, only_deferred: bool
) -> Iterator[tuple[str, Content | Lazy | Deferred]]:
    """The site's files; those that hold every model are :class:`Deferred` (made by whichever of the
    output stage's two processes claims them: render/side_stage.py); only those with ``only_deferred``."""
    yield "index.html", Deferred(lambda: site.home()[1])
    yield "site-index.json", Deferred(lambda: index_content(catalog))
    # The pages of the model tables share the rows they show (render/model_rows.py): one process makes them.
    for number in range(1, site.browse_count() + 1):
        yield browse_page(number), Deferred(partial(site.browse, number), share=ROWS_CACHE_NAME)
    for provider in provider_ids():
        yield provider_page(provider), Deferred(partial(lambda p: site.provider(p)[1], provider),
                                                share=ROWS_CACHE_NAME)
    if not only_deferred:
        yield from (site.model(model) for model in catalog.models)
        yield from (site.canonical(group) for group in site.groups.values())
        yield site.page("compare.html", "compare.html", usage=usage_form.compare_form())
    yield from chart_pages(catalog, site.big_page)
    yield "changes.html", Deferred(lambda: site.changes()[1])
    if not only_deferred:
        yield from _static_files()


def render(catalog: Catalog, only_deferred: bool = False) -> Iterator[tuple[str, Content | Lazy | Deferred]]:
    """Every file of the HTML site as (relative posix path under the build root, bytes), in a fixed order.

    Streamed one page at a time, so a 100k-model site never sits in memory whole (the output stage
    hashes and stages each file as it passes); every path is checked as it goes by, and a bad one
    raises before the output stage commits anything. With ``only_deferred``, only the
    :class:`Deferred` files, in the same order (see :func:`modelatlas.render.deferred_files`).
    """
    site = _Site(catalog)
    seen: set[str] = set()
    for path, content in _site_files(site, catalog, only_deferred):
        if not is_safe_output_path(path) or path in seen:
            raise ModelatlasError(
                f"site renderer produced an unsafe or duplicate path {path!r}; report this bug"
            )
        seen.add(path)
        yield path, content
    if catalog.base_url is not None and not only_deferred:
        yield from sitemap_files(catalog.base_url, sorted(p for p in seen if p.endswith(".html")))
    if catalog.kept_rows is not None:  # the rows, kept for the next build by the process that made them
        rows = partial(site.rows.kept_file, catalog.models)
        yield ROWS_CACHE_NAME, Deferred(rows, share=ROWS_CACHE_NAME, cache=True)
