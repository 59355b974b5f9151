"""What the chart pages show beside the SVG: the legend (each provider's colour and marker shape)
and a table alternative to the dots, which overlap where many models share a price and context
window. A provider's chart lists every plotted model; the all-providers chart, which can hold 100k
points, summarises each provider in one row and links to that provider's chart for the full list.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from markupsafe import Markup

from modelatlas.fetch.providers import registry
from modelatlas.ids import provider_ids
from modelatlas.prices import format_price
from modelatlas.render.charts import Point, marker_of, shape_path
from modelatlas.render.price_view import money
from modelatlas.render.table_cells import escaped


@dataclass(frozen=True)
class LegendEntry:
    provider: str
    name: str
    colour: int
    shape: str
    path: str


@dataclass(frozen=True, slots=True)
class PointRow:
    label: str
    href: str
    context: str
    prompt: str


@dataclass(frozen=True)
class ProviderSummary:
    provider: str
    name: str
    plotted: int
    cheapest: str
    dearest: str
    largest_context: str


def legend(points: Iterable[Point]) -> list[LegendEntry]:
    """The marker of each provider with a plotted point, in registry order (the series number is
    the registry index); providers without points are left out."""
    plotted = {point.series for point in points}
    entries = []
    names = registry.names()
    for series, provider in enumerate(provider_ids()):
        if series not in plotted:
            continue
        colour, shape = marker_of(series)
        entries.append(LegendEntry(provider, names[provider], colour, shape, shape_path(shape)))
    return entries


class PointRows:
    """The plotted models, cheapest prompt price first (then larger context, then name); each row is
    made as the template iterates, so a provider chart of 30k points never holds 30k rows at once."""

    def __init__(self, points: Iterable[Point]) -> None:
        self.points = sorted(points, key=lambda p: (p.price_per_million, -p.context, p.label))

    def __len__(self) -> int:
        return len(self.points)

    def __iter__(self) -> Iterator[PointRow]:
        for p in self.points:
            yield PointRow(p.label, p.href, f"{p.context:,}", money(format_price(p.price_per_million)))

    def html(self) -> Markup:
        """The table's body, a row per model (written here, not by a template loop: a provider's chart
        at 100k models has tens of thousands of rows), each value escaped as the template escaped it."""
        return Markup("".join(
            f'<tr><th scope="row"><a href="{escaped(row.href)}">{escaped(row.label)}</a></th>'
            f'<td class="num">{escaped(row.prompt)}</td><td class="num">{escaped(row.context)}</td></tr>\n'
            for row in self
        ))


def provider_summary(points: Iterable[Point]) -> list[ProviderSummary]:
    """Per provider with plotted models: how many, the prompt price range and the largest context."""
    by_series: dict[int, list[Point]] = {}
    for point in points:
        by_series.setdefault(point.series, []).append(point)
    rows = []
    names = registry.names()
    for series, provider in enumerate(provider_ids()):
        mine = by_series.get(series)
        if not mine:
            continue
        prices = [p.price_per_million for p in mine]
        rows.append(
            ProviderSummary(
                provider=provider,
                name=names[provider],
                plotted=len(mine),
                cheapest=money(format_price(min(prices))),
                dearest=money(format_price(max(prices))),
                largest_context=f"{max(p.context for p in mine):,}",
            )
        )
    return rows
