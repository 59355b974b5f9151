"""The chart pages: ``charts/index.html`` (every provider) and ``charts/<provider>.html``, each a
price-versus-context scatter (:mod:`~modelatlas.render.charts`), the legend of the providers it
plots, what it leaves out and why, and the chart as a table (:mod:`~modelatlas.render.chart_table`)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

from modelatlas.fetch.providers import registry
from modelatlas.ids import provider_ids
from modelatlas.record import Record
from modelatlas.render import chart_table
from modelatlas.render.catalog import Catalog
from modelatlas.render.charts import points_of, scatter_svg
from modelatlas.render.lazy import Content, Deferred
from modelatlas.render.site_paths import model_page, provider_chart_page, root_of

BigPage = Callable[..., tuple[str, Content]]


def _series() -> Callable[[Record], int]:
    position = {provider: n for n, provider in enumerate(provider_ids())}
    return lambda record: position[record["modelatlas"]["provider"]]


def _href_from(page: str) -> Callable[[Record], str]:
    return lambda record: root_of(page) + model_page(record)


def chart_pages(catalog: Catalog, big_page: BigPage) -> Iterator[tuple[str, Deferred]]:
    """Every chart page, rendered with ``big_page(path, template, **context)`` when it is produced."""
    series = _series()
    yield "charts/index.html", Deferred(lambda: _every_provider(catalog, big_page, series))
    for provider in provider_ids():
        path = provider_chart_page(provider)
        yield path, Deferred(partial(_one_provider, catalog, big_page, series, provider, path))


def _every_provider(catalog: Catalog, big_page: BigPage, series: Callable[[Record], int]) -> Content:
    points, skipped = points_of(catalog.models, _href_from("charts/index.html"), series)
    context: dict[str, Any] = {
        "chart": scatter_svg(
            points, "Prompt price versus context window, all providers", skipped.total, "all"
        ),
        "skipped": skipped,
        "provider": None,
        "markers": chart_table.legend(points),
        "summary": chart_table.provider_summary(points),
        "points": None,
    }
    del points
    return big_page("charts/index.html", "charts.html", **context)[1]


def _one_provider(
    catalog: Catalog, big_page: BigPage, series: Callable[[Record], int], provider: str, path: str
) -> Content:
    points, skipped = points_of(catalog.models_of(provider), _href_from(path), series)
    title = f"Prompt price versus context window, {registry.names()[provider]}"
    return big_page(
        path,
        "charts.html",
        chart=scatter_svg(points, title, skipped.total, provider),
        skipped=skipped,
        provider=provider,
        markers=chart_table.legend(points),
        points=chart_table.PointRows(points),
        summary=None,
    )[1]
