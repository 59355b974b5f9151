"""Pricing one usage from one record's :class:`~modelatlas.cost.sheet.PriceBook` (docs/cost.md).

Each component of the usage with a count above 0 becomes one line: its count times the price of its
field. Token components are priced at the long-context tier when the request's input tokens (cached
ones included) exceed a tier's threshold; the other units (images, characters, seconds, queries,
searches, requests) keep the sheet's price. A count with no price is an error (never $0): the
component is either not billed by this model (``modelatlas.not_billed``) or its price is unknown.
"""

from __future__ import annotations

from decimal import Decimal
from operator import attrgetter
from typing import Any

from modelatlas.cost.components import (
    CACHE_WRITE,
    CACHE_WRITE_AS_1H,
    COMPONENTS,
    INPUT,
    OUTPUT,
    PRICE_UNIT,
    REASONING,
    REASONING_LINE,
    REQUEST_FIELD,
    REQUESTS,
    SECONDS_PER,
    Component,
)
from modelatlas.cost.errors import Unpriced, UnpricedError, UsageError
from modelatlas.cost.result import EXACT, Cost, CostLine, plain, round_total
from modelatlas.cost.sheet import ContextTier, Price, PriceBook, Sheet, variant_label
from modelatlas.cost.usage import Usage

CACHE_TTLS = ("5m", "1h")
ZERO = Decimal(0)


# Every component's count in one call; the text input and output are computed, not read.
_COUNTS = attrgetter(*(c.count or "input_tokens" for c in COMPONENTS))
_INPUT_AT, _OUTPUT_AT, _REASONING_AT = (COMPONENTS.index(c) for c in (INPUT, OUTPUT, REASONING_LINE))


def check_cache_ttl(cache_ttl: str | None) -> None:
    if cache_ttl is not None and cache_ttl not in CACHE_TTLS:
        raise UsageError(f"cache_ttl must be one of {', '.join(CACHE_TTLS)} (or None), not {cache_ttl!r}")


def _missing(book: PriceBook, component: Component, sheet: Sheet, tier: ContextTier | None) -> UnpricedError:
    fields = component.fields
    listed = [field for field in fields if field in book.not_billed]
    if listed:
        return UnpricedError(
            f"{book.id} does not bill {component.name} ({listed[0]} is in modelatlas.not_billed); "
            "its count must be 0",
            Unpriced.NOT_BILLED,
            component.name,
        )
    where = [sheet.label] if sheet.region or sheet.tier else []
    if tier is not None:
        where.append(f"above {tier.above_input_tokens} input tokens")
    at = f" ({', '.join(where)})" if where else ""
    return UnpricedError(
        f"{book.id}{at} has no price for {component.name} ({' or '.join(fields)}): unknown, not free; "
        "leave that count at 0 or choose another model",
        Unpriced.UNKNOWN_PRICE,
        component.name,
        tier.above_input_tokens if tier is not None else None,
    )


def price_sheet(book: PriceBook, sheet: Sheet, usage: Usage, cache_ttl: str | None, requested: str) -> Cost:
    """The cost of ``usage`` at one sheet of one record (raises :class:`UnpricedError`)."""
    tier = sheet.context_tier_for(usage.input_tokens) if sheet.context_tiers else None
    token_prices = tier.prices if tier is not None else sheet.prices
    above = tier.above_input_tokens if tier is not None else None
    reasoning = usage.reasoning_tokens if usage.reasoning_tokens and REASONING in token_prices else 0
    text_input = usage.input_tokens - (
        usage.cache_read_tokens
        + usage.cache_write_tokens
        + usage.cache_write_1h_tokens
        + usage.input_audio_tokens
        + usage.input_image_tokens
    )
    text_output = usage.output_tokens - (usage.output_audio_tokens + usage.output_image_tokens + reasoning)
    counts = list(_COUNTS(usage))
    counts[_INPUT_AT], counts[_OUTPUT_AT], counts[_REASONING_AT] = text_input, text_output, reasoning
    lines: list[CostLine] = []
    total = ZERO
    for component, quantity in zip(COMPONENTS, counts, strict=True):
        if not quantity:
            continue
        if component is CACHE_WRITE and cache_ttl == "1h":
            component = CACHE_WRITE_AS_1H
        token = component.token
        prices = token_prices if token else sheet.prices
        for field in component.fields:
            price = prices.get(field)
            if price is not None:
                break
        else:
            raise _missing(book, component, sheet, tier if token else None)
        line = _line(component, field, quantity, price, sheet, above if token else None)
        total = EXACT.add(total, line.amount)
        lines.append(line)
    request = sheet.prices.get(REQUEST_FIELD)
    if (usage.requests is None and request is not None) or usage.requests:
        if request is None:
            raise _missing(book, REQUESTS, sheet, None)
        line = _line(REQUESTS, REQUEST_FIELD, usage.requests or 1, request, sheet, None)
        total = EXACT.add(total, line.amount)
        lines.append(line)
    rounded = Decimal(plain(round_total(total)))
    return Cost(book.id, requested, rounded, tuple(lines), sheet.region, sheet.tier, above)


def _line(
    component: Component, field: str, quantity: Any, price: Price, sheet: Sheet, above: int | None
) -> CostLine:
    price_unit = PRICE_UNIT[field]
    amount = EXACT.multiply(quantity, price.value)
    if price_unit != component.unit:
        amount = EXACT.divide(amount, SECONDS_PER[price_unit])
    return CostLine(
        component.name,
        field,
        quantity,
        component.unit,
        price.value,
        price_unit,
        amount,
        price.source,
        sheet.region,
        sheet.tier,
        above,
        price.disputed,
    )


def price_book_usage(
    book: PriceBook,
    usage: Usage,
    *,
    region: str | None = None,
    tier: str | None = None,
    cache_ttl: str | None = None,
    requested: str | None = None,
) -> Cost:
    """The cost of ``usage`` at one record for a region and tier (see :meth:`PriceBook.sheets`).

    Several variants can match (sources that state the same region and tier): the first, in record
    order, that prices every component of the usage is used; when none can, the first one's error.
    """
    check_cache_ttl(cache_ttl)
    sheets = book.sheets(region, tier)
    if not sheets:
        raise no_variant(book, region, tier)
    first_error: UnpricedError | None = None
    for sheet in sheets:
        try:
            return price_sheet(book, sheet, usage, cache_ttl, requested or book.id)
        except UnpricedError as exc:
            first_error = first_error or exc
    assert first_error is not None
    raise first_error


def no_variant(book: PriceBook, region: str | None, tier: str | None, also: str = "") -> UnpricedError:
    choices = ", ".join(book.choices())
    return UnpricedError(
        f"{book.id} has no price for {variant_label(region, tier)}; it has: {choices}{also}",
        Unpriced.NO_VARIANT,
    )
