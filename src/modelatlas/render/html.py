"""The HTML catalog: every page of the static site, rendered from ``site_templates/`` with Jinja2
(autoescape on, StrictUndefined). A pure function of the catalog: same catalog, same bytes.

Pages (all links relative, so the site works from any subpath):
``index.html`` (catalog, first rows server-side, the rest via ``site-index.json`` and
``static/catalog.js``), ``browse/<k>.html`` (the whole table in script-free pages),
``providers/<p>.html`` (one per provider), ``model/<p>/<stem>.html`` (one per model),
``canonical/<vendor>/<model>.html`` (one per canonical model: its offerings by price), ``compare.html``,
``charts/index.html`` and ``charts/<p>.html``, and ``changes.html`` only when the catalog has changes.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from modelatlas.bundled import templates_folder
from modelatlas.errors import ModelatlasError
from modelatlas.fetch.providers import registry
from modelatlas.ids import provider_ids
from modelatlas.jsonio import dumps_compact
from modelatlas.record import Record
from modelatlas.render import canonical_page as canonical_rows
from modelatlas.render import canonical_view, chart_table, model_view
from modelatlas.render.canonical_api import model_path as canonical_json_path
from modelatlas.render.catalog import Catalog
from modelatlas.render.charts import points_of, scatter_svg
from modelatlas.render.input_keys import input_key
from modelatlas.render.markdown_safe import render_markdown
from modelatlas.render.output import Content, Lazy
from modelatlas.render.site_index import (
    INPUT_MODALITIES,
    OUTPUT_MODALITIES,
    capability_names,
    index_bytes,
    row_view,
)
from modelatlas.render.site_paths import (
    BROWSE_PAGE_SIZE,
    browse_page,
    canonical_page,
    is_safe_output_path,
    model_page,
    provider_chart_page,
    provider_page,
    root_of,
)
from modelatlas.render.sitemap import canonical_url, sitemap_files

TEMPLATES = templates_folder()
STATIC = TEMPLATES / "static"
HOME_ROWS = 100
CHANGES_SHOWN = 500
CONTEXT_CHOICES = (8_000, 32_000, 128_000, 200_000, 1_000_000)
ENCODED_CHUNK_CHARS = 1 << 16  # a big page is encoded in pieces of about this many characters



def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # templates do not change during a build: no stat() per page
    )
    env.filters["markdown"] = render_markdown
    env.filters["source_label"] = model_view.source_label
    env.filters["thousands"] = lambda number: f"{number:,}"
    env.globals.update(provider_names=registry.names(), provider_ids=provider_ids())
    return env


def page_context(catalog: Catalog, path: str) -> dict[str, Any]:
    """What every page's template gets: the way back to the root, and its canonical URL if any."""
    base = catalog.base_url
    return {
        "root": root_of(path),
        "page_path": path,
        "has_changes": bool(catalog.changes),
        "base_url": base,
        "canonical_url": None if base is None else canonical_url(base, path),
    }


class _LazyRows:
    """The table rows of ``models``, made one at a time as the template iterates (a provider page
    of 20k models otherwise held 20k row dicts at once); ``len`` and truthiness without making any."""

    def __init__(self, models: Sequence[Record]) -> None:
        self.models = models

    def __len__(self) -> int:
        return len(self.models)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return (row_view(model) for model in self.models)


class _Site:
    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.env = environment()
        self.has_changes = bool(catalog.changes)
        self.groups = {group.slug: group for group in canonical_view.groups(catalog)}
        self.digests = catalog.digests
        self.changes_by_model = model_view.changes_by_model(catalog.changes)

    def page(self, path: str, template: str, **context: Any) -> tuple[str, bytes]:
        html = self.env.get_template(template).render(**page_context(self.catalog, path), **context)
        return path, html.encode("utf-8")

    def big_page(self, path: str, template: str, **context: Any) -> tuple[str, Content]:
        """Like :meth:`page` (the same bytes), for pages of megabytes (a big provider's table, the
        all-models chart): the template's output is encoded piece by piece into byte chunks, so
        the whole page never sits in memory as Jinja's fragment list, one str and its bytes at once."""
        fragments = self.env.get_template(template).generate(**page_context(self.catalog, path), **context)
        chunks: list[bytes] = []
        pending: list[str] = []
        size = 0
        for fragment in fragments:
            pending.append(fragment)
            size += len(fragment)
            if size >= ENCODED_CHUNK_CHARS:
                chunks.append("".join(pending).encode("utf-8"))
                pending.clear()
                size = 0
        chunks.append("".join(pending).encode("utf-8"))
        return path, chunks

    def home(self) -> tuple[str, bytes]:
        models = self.catalog.models
        return self.page(
            "index.html",
            "index.html",
            rows=[row_view(m) for m in models[:HOME_ROWS]],
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

    def browse(self) -> Iterator[tuple[str, bytes]]:
        pages = self.browse_count()
        for number in range(1, pages + 1):
            chunk = self.catalog.models[(number - 1) * BROWSE_PAGE_SIZE : number * BROWSE_PAGE_SIZE]
            yield self.page(
                browse_page(number),
                "browse.html",
                rows=[row_view(m) for m in chunk],
                number=number,
                pages=pages,
                total=len(self.catalog.models),
                first=(number - 1) * BROWSE_PAGE_SIZE + 1,
            )

    def provider(self, provider: str) -> tuple[str, Content]:
        doc = self.catalog.providers.get(provider, {})
        models = self.catalog.models_of(provider)
        declaration = registry.declared(provider)
        return self.big_page(
            provider_page(provider),
            "provider.html",
            provider=provider,
            status=doc.get("status", {}),
            endpoint=f"GET {declaration.list_url}",
            offers=declaration.metadata,
            rows=_LazyRows(models),
            chart_href=provider_chart_page(provider),
        )

    def model(self, record: Record) -> tuple[str, Lazy]:
        """A model page, keyed by everything it shows: the record, its canonical model (summary and
        the offerings at other providers), the model's change-log rows and whether the site has a
        changes page; rendered only when that key differs from the previous build's."""
        path = model_page(record)
        group = self.groups.get(canonical_view.linked_slug(record) or "")
        canonical = canonical_rows.page_summary(group) if group else None
        provider = record["modelatlas"]["provider"]
        offerings = group.offerings if group else []
        twins = [other for other in offerings if other["modelatlas"]["provider"] != provider]
        history = [model_view.change_row(entry) for entry in self.changes_by_model.get(record["id"], ())]
        key = input_key(
            "model.html",
            path.encode("utf-8"),
            self.digests[record["id"]],
            b"".join(self.digests[other["id"]] for other in twins),
            dumps_compact(canonical).encode("utf-8") if canonical else b"",
            dumps_compact(history).encode("utf-8") if history else b"",
            b"changes" if self.has_changes else b"",
            (self.catalog.base_url or "").encode("utf-8"),
        )
        return path, Lazy(key, lambda: self.model_page(path, record, twins, canonical, history))

    def canonical(self, group: canonical_view.Group) -> tuple[str, bytes]:
        """A canonical model's page: every offering, cheapest prompt price first."""
        return self.page(
            canonical_page(group.slug),
            "canonical.html",
            group=group,
            rows=canonical_rows.offering_rows(group),
            details=canonical_json_path(group.slug),
            snapshots=[(slug, canonical_page(slug)) for slug in group.snapshots if slug in self.groups],
        )

    def model_page(
        self,
        path: str,
        record: Record,
        twins: list[Record],
        canonical: dict[str, Any] | None,
        history: list[dict[str, str]],
    ) -> bytes:
        extension = record["modelatlas"]
        return self.page(
            path,
            "model.html",
            record=record,
            row=row_view(record),
            sections=model_view.field_sections(record),
            description=record.get("description"),
            description_source=extension.get("provenance", {}).get("description", ""),
            details=extension.get("links", {}).get("details"),
            source_link=_http_link(extension.get("links", {}).get("source")),
            twins=[row_view(other) for other in twins],
            canonical=canonical,
            history=history,
        )[1]

    def charts(self) -> Iterator[tuple[str, Content]]:
        position = {provider: n for n, provider in enumerate(provider_ids())}

        def series(record: Record) -> int:
            return position[record["modelatlas"]["provider"]]

        def href_from(page: str) -> Any:
            return lambda record: root_of(page) + model_page(record)

        points, skipped = points_of(self.catalog.models, href_from("charts/index.html"), series)
        overall = scatter_svg(points, "Prompt price versus context window, all providers", skipped, "all")
        summary = chart_table.provider_summary(points)
        del points
        yield self.big_page(
            "charts/index.html",
            "charts.html",
            chart=overall,
            provider=None,
            markers=chart_table.legend(),
            summary=summary,
            points=None,
        )
        del overall
        for provider in provider_ids():
            path = provider_chart_page(provider)
            points, skipped = points_of(self.catalog.models_of(provider), href_from(path), series)
            title = f"Prompt price versus context window, {registry.names()[provider]}"
            yield self.big_page(
                path,
                "charts.html",
                chart=scatter_svg(points, title, skipped, provider),
                provider=provider,
                markers=chart_table.legend(),
                points=chart_table.PointRows(points),
                summary=None,
            )

    def changes(self) -> tuple[str, bytes]:
        known = {m["id"]: model_page(m) for m in self.catalog.models}
        entries = [
            {**model_view.change_row(e), "href": known.get(str(e.get("model", "")))}
            for e in self.catalog.changes[:CHANGES_SHOWN]
        ]
        return self.page("changes.html", "changes.html", entries=entries, total=len(self.catalog.changes))


def _http_link(url: object) -> str | None:
    """An upstream URL only if it is http(s); anything else (``javascript:``, ``data:``) is dropped."""
    return url if isinstance(url, str) and url.lower().startswith(("https://", "http://")) else None


def _static_files() -> Iterator[tuple[str, bytes]]:
    for path in sorted(STATIC.iterdir()):
        if path.is_file():
            yield f"static/{path.name}", path.read_bytes()


def _site_files(site: _Site, catalog: Catalog) -> Iterator[tuple[str, Content | Lazy]]:
    yield site.home()
    yield "site-index.json", index_bytes(catalog)
    yield from site.browse()
    for provider in provider_ids():
        yield site.provider(provider)
    for model in catalog.models:
        yield site.model(model)
    for group in site.groups.values():
        yield site.canonical(group)
    yield site.page("compare.html", "compare.html")
    yield from site.charts()
    if site.has_changes:
        yield site.changes()
    yield from _static_files()


def render(catalog: Catalog) -> Iterator[tuple[str, Content | Lazy]]:
    """Every file of the HTML site as (relative posix path under the build root, bytes), in a fixed order.

    Streamed one page at a time, so a 100k-model site never sits in memory whole (the output stage
    hashes and stages each file as it passes); every path is checked as it goes by, and a bad one
    raises before the output stage commits anything.
    """
    site = _Site(catalog)
    seen: set[str] = set()
    for path, content in _site_files(site, catalog):
        if not is_safe_output_path(path) or path in seen:
            raise ModelatlasError(
                f"site renderer produced an unsafe or duplicate path {path!r}; report this bug"
            )
        seen.add(path)
        yield path, content
    if catalog.base_url is not None:
        yield from sitemap_files(catalog.base_url, sorted(p for p in seen if p.endswith(".html")))
