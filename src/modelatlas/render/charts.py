"""Price-versus-context scatter plots as inline SVG, drawn at build time (no chart library, no network).

Both axes are log10 scales: x is the context window in tokens, y the prompt price in USD per 1M
tokens. Positions come from ``Decimal.log10`` of the exact price strings; only the final pixel
coordinates are rounded. Models without a context length or a positive prompt price cannot sit on a
log scale, and retired, removed and unverified ones are left out as everywhere on the site: each is
counted as "not plotted", by reason (:class:`NotPlotted`). Every point is a link to its model page
with a ``<title>`` tooltip for the mouse; the chart is one Tab stop (an image with a title and
description), and the table beside it is the accessible way to every plotted model.

A provider is told apart by colour *and* marker shape (:func:`marker_of`): eight colour-blind-safe
colours, each used with one more shape for every eight providers (four drawn shapes, then regular
polygons with five, six, ... corners), so no two providers share both, however many the registry
lists. The pages put a table of the plotted values under each chart.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache, lru_cache
from typing import Any

from markupsafe import Markup, escape

from modelatlas.prices import per_million
from modelatlas.record import Record
from modelatlas.render.offering_view import listing_of

WIDTH, HEIGHT = 720, 420
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 16, 48
LOGS_KEPT = 16384  # distinct prices and context sizes whose logarithm is kept (per process)
COLOURS = 8  # site.css: classes c<k> and c<k+8> (k < 8) are colour k
# Marker outlines centred on (0, 0), about the area of a radius-4 circle.
SHAPE_PATHS = {
    "circle": "M-4 0a4 4 0 1 0 8 0a4 4 0 1 0-8 0z",
    "square": "M-3.5-3.5h7v7h-7z",
    "triangle": "M0-4.6l4.4 7.6h-8.8z",
    "diamond": "M0-4.8l4.8 4.8-4.8 4.8-4.8-4.8z",
}
SHAPES = tuple(SHAPE_PATHS)
# The shape offset of each of the first four rounds of eight series: each colour meets each of the
# four drawn shapes once (rounds 0 and 1 give the eight colours two different shapes, and so on).
_ROUND_OFFSETS = (0, 2, 1, 3)


def shape_name(index: int) -> str:
    """Shape ``index``: the four drawn ones, then ``polygon-5``, ``polygon-6``, ... (one per index)."""
    return SHAPES[index] if index < len(SHAPES) else f"polygon-{index + 1}"


@cache
def shape_path(name: str) -> str:
    """The outline of a shape: a drawn one, or a regular polygon with a corner at the top."""
    if name in SHAPE_PATHS:
        return SHAPE_PATHS[name]
    corners = int(name.removeprefix("polygon-"))
    points = [
        (4.6 * math.sin(2 * math.pi * k / corners), -4.6 * math.cos(2 * math.pi * k / corners))
        for k in range(corners)
    ]
    return "M" + "L".join(f"{x:.1f} {y:.1f}" for x, y in points) + "z"


def marker_of(series: int) -> tuple[int, str]:
    """The colour class and shape of series ``series`` (a provider's registry index), distinct in
    both together from every other series: colour ``series % 8``; in round ``series // 8`` a shape
    that colour has not had (a drawn shape for rounds 0-3, then polygon ``round``). The class is
    ``c<colour>`` in even rounds and ``c<colour + 8>`` in odd ones (the same colour)."""
    colour, round_ = series % COLOURS, series // COLOURS
    drawn = round_ < len(_ROUND_OFFSETS)
    shape = (colour + _ROUND_OFFSETS[round_]) % len(SHAPES) if drawn else round_
    return colour + COLOURS * (round_ % 2), shape_name(shape)


def marker_defs(series: Iterable[int] = ()) -> str:
    """The ``<symbol>`` of each drawn marker shape and of each other shape ``series`` use, referenced
    by ``<use href="#mk-<shape>">``."""
    extra = sorted({marker_of(s)[1] for s in series} - set(SHAPES), key=lambda n: int(n.split("-")[1]))
    return "".join(
        f'<symbol id="mk-{name}" overflow="visible"><path d="{shape_path(name)}"/></symbol>'
        for name in (*SHAPES, *extra)
    )


@dataclass(frozen=True, slots=True)  # a chart of 100k models holds 100k of these
class Point:
    label: str
    href: str
    context: int
    price_per_million: Decimal
    series: int


@dataclass
class NotPlotted:
    """How many models a chart leaves out, by reason."""

    hidden: int = 0  # retired, removed or unverified
    no_context: int = 0
    no_price: int = 0  # prompt price unknown
    not_billed: int = 0
    free: int = 0  # a price of 0 has no place on a log scale

    @property
    def total(self) -> int:
        return self.hidden + self.no_context + self.no_price + self.not_billed + self.free

    def reasons(self) -> list[tuple[int, str]]:
        """(count, why) of each reason that applies, largest first."""
        named = [
            (self.no_price, "prompt price unknown"),
            (self.no_context, "context window unknown"),
            (self.free, "free (a zero price has no place on a log scale)"),
            (self.not_billed, "prompt not billed"),
            (self.hidden, "retired, removed or unverified"),
        ]
        return sorted(((count, why) for count, why in named if count), key=lambda item: -item[0])


def _reason(model: Record, per_million_of: Callable[[str], Decimal] = per_million) -> str | None:
    """Why ``model`` cannot be plotted (a :class:`NotPlotted` field name), None if it can
    (``per_million_of``: :func:`~modelatlas.prices.per_million`, perhaps remembered per price)."""
    if listing_of(model).hidden:
        return "hidden"
    prompt = model.get("pricing", {}).get("prompt")
    if prompt is None:
        return "not_billed" if "pricing.prompt" in model["modelatlas"].get("not_billed", ()) else "no_price"
    if per_million_of(prompt) <= 0:
        return "free"
    return None if model.get("context_length") else "no_context"


@dataclass(frozen=True)
class Scatter:
    svg: Markup
    plotted: int
    not_plotted: int


def points_of(
    models: Sequence[Record], href_of: Callable[[Record], str], series_of: Callable[[Record], int]
) -> tuple[list[Point], NotPlotted]:
    """The plottable points of ``models`` and what could not be plotted, by reason."""
    points: list[Point] = []
    skipped = NotPlotted()
    per_million_of = _Made(per_million)  # a catalog has a few hundred distinct prompt prices
    for model in models:
        reason = _reason(model, per_million_of)
        if reason is not None:
            setattr(skipped, reason, getattr(skipped, reason) + 1)
            continue
        points.append(
            Point(
                label=model.get("name") or model["id"],
                href=href_of(model),
                context=int(model["context_length"]),
                price_per_million=per_million_of(model["pricing"]["prompt"]),
                series=series_of(model),
            )
        )
    return points, skipped


class _Made(dict):  # type: ignore[type-arg]
    """A pure function's results, remembered per argument for one chart."""

    def __init__(self, make: Callable[[Any], Any]) -> None:
        super().__init__()
        self.make = make

    def __call__(self, value: Any) -> Any:
        made = self.get(value)
        if made is None:
            made = self[value] = self.make(value)
        return made


@lru_cache(maxsize=LOGS_KEPT)
def _log10(value: Decimal) -> Decimal:
    """``value.log10()`` (tens of microseconds at Decimal's precision), taken once per distinct value
    in a process: each provider's chart has values of the every-provider chart. Equal values have
    the same logarithm, whatever their exponents (2.5 and 2.50), to the digit."""
    return value.log10()


def _decades(values: Iterable[Decimal]) -> tuple[int, int]:
    """The whole decades that hold every value (at least one): ``log10`` is increasing, so only the
    smallest and the largest value's logarithms are needed."""
    low_value, high_value = _extremes(values)
    low = int(_log10(low_value).to_integral_value(rounding="ROUND_FLOOR"))
    high = int(_log10(high_value).to_integral_value(rounding="ROUND_CEILING"))
    return low, max(high, low + 1)


def _extremes(values: Iterable[Decimal]) -> tuple[Decimal, Decimal]:
    distinct = set(values)  # a chart's points share a few hundred values
    return min(distinct), max(distinct)


def _format_tick(exponent: int, money: bool) -> str:
    value = Decimal(10) ** exponent
    if money:
        return "$" + format(value.normalize(), "f")
    number = int(value) if exponent >= 0 else value
    for size, suffix in ((10**6, "M"), (10**3, "k")):
        if exponent >= 0 and number >= size:
            return f"{number // size}{suffix}"
    return format(Decimal(number).normalize(), "f")


def scatter_svg(points: list[Point], title: str, skipped: int, chart_id: str) -> Scatter:
    """One scatter plot as an inline ``<svg>`` (escaped labels; relative hrefs given by the caller)."""
    desc = (
        f"{len(points)} models plotted by context window (x, log scale, tokens) and prompt price "
        f"(y, log scale, USD per 1M tokens); {skipped} are not plotted (see the text above the chart). "
        "The table below the chart lists every plotted model."
    )
    parts: list[str] = [
        f'<svg class="scatter" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" tabindex="0" '
        f'aria-labelledby="{chart_id}-t {chart_id}-d" '
        'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-t">{escape(title)}</title><desc id="{chart_id}-d">{escape(desc)}</desc>',
    ]
    if not points:
        parts.append(
            f'<text x="{WIDTH // 2}" y="{HEIGHT // 2}" text-anchor="middle">No plottable models</text>'
        )
        parts.append("</svg>")
        return Scatter(Markup("".join(parts)), 0, skipped)
    # Each distinct value's logarithm is taken once: the scale from the extremes, the positions
    # below once per distinct context and price (:class:`_Made`).
    x_low, x_high = _decades(Decimal(context) for context in {p.context for p in points})
    y_low, y_high = _decades(p.price_per_million for p in points)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x_of(value: Decimal) -> float:
        return LEFT + float((_log10(value) - x_low) / (x_high - x_low)) * plot_w

    def y_of(value: Decimal) -> float:
        return TOP + plot_h - float((_log10(value) - y_low) / (y_high - y_low)) * plot_h

    parts.append('<g class="axes" aria-hidden="true">')
    for exponent in range(x_low, x_high + 1):
        x = x_of(Decimal(10) ** exponent)
        parts.append(f'<line class="grid" x1="{x:.1f}" y1="{TOP}" x2="{x:.1f}" y2="{TOP + plot_h}"/>')
        parts.append(
            f'<text x="{x:.1f}" y="{TOP + plot_h + 18}" text-anchor="middle">'
            f"{_format_tick(exponent, False)}</text>"
        )
    for exponent in range(y_low, y_high + 1):
        y = y_of(Decimal(10) ** exponent)
        parts.append(f'<line class="grid" x1="{LEFT}" y1="{y:.1f}" x2="{LEFT + plot_w}" y2="{y:.1f}"/>')
        tick = _format_tick(exponent, True)
        parts.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{tick}</text>')
    parts.append(
        f'<text x="{LEFT + plot_w / 2:.0f}" y="{HEIGHT - 8}" text-anchor="middle">'
        "context window (tokens, log)</text>"
        f'<text transform="rotate(-90)" x="{-(TOP + plot_h / 2):.0f}" y="14" text-anchor="middle">'
        "prompt USD per 1M tokens (log)</text></g>"
    )
    parts.append(f'<defs>{marker_defs(p.series for p in points)}</defs><g class="points">')
    # What a point shows of its context, price and series, made once per distinct value.
    contexts = _Made(lambda context: (f"{context:,}", f"{x_of(Decimal(context)):.1f}"))
    prices = _Made(lambda price: (format(price.normalize(), "f"), f"{y_of(price):.1f}"))
    uses = _Made(lambda series: '<use href="#mk-{1}" class="c{0}" '.format(*marker_of(series)))
    for point in sorted(points, key=lambda p: (p.context, p.price_per_million, p.label)):
        context, x = contexts(point.context)
        price, y = prices(point.price_per_million)
        label = escape(f"{point.label}: {context} tokens context, ${price} per 1M prompt tokens")
        parts.append(
            f'<a href="{escape(point.href)}" tabindex="-1"><title>{label}</title>'
            f'{uses(point.series)}x="{x}" y="{y}"/></a>'
        )
    parts.append("</g>")
    parts.append("</svg>")
    svg = "".join(parts)
    parts.clear()  # 100k points: the pieces, the joined text and its Markup copy are not all held at once
    return Scatter(Markup(svg), len(points), skipped)
