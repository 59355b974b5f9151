"""The parts of a usage and the price fields that price them: the one statement of which unit each
price field is per (token, image, second, minute, query, ...), read by the formula
(:mod:`modelatlas.cost.pricing`) and by the site's price labels (``render/price_view.py``).

A :class:`Component` is one line of a priced request: the :class:`~modelatlas.cost.usage.Usage` field
counting it, and the price fields that may price it (the first one a sheet states is used).
``static/cost.js`` holds the same table for the browser.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from modelatlas.cost.sheet import EXTRA, PRICING, PriceBook

REASONING = PRICING + "internal_reasoning"
CACHE_WRITE_1H = EXTRA + "input_cache_write_1h"
# Seconds in each unit a duration may be priced per (the field's name ends with it).
SECONDS_PER = {"second": 1, "minute": 60, "hour": 3600}


@dataclass(frozen=True, slots=True)
class Component:
    """A part of the usage: the usage field counting it, and the price fields that may price it
    (the first one the sheet states is used)."""

    name: str
    count: str  # the Usage field; "" for the text input and output, computed from the others
    unit: str
    fields: tuple[str, ...]
    token: bool  # priced at the long-context tier when one applies

    @property
    def price_units(self) -> tuple[str, ...]:
        """The unit each field prices (a duration's field names it: ``input_minute``)."""
        return tuple(f.rpartition("_")[2] if self.unit == "second" else self.unit for f in self.fields)

    @property
    def usage_field(self) -> str:
        """The :class:`~modelatlas.cost.usage.Usage` field a request's count of it is given in."""
        return self.count or f"{self.name}_tokens"


def _tokens(name: str, count: str, *fields: str) -> Component:
    return Component(name, count, "token", fields, True)


def _units(name: str, unit: str, *fields: str) -> Component:
    return Component(name, name, unit, fields, False)


def _durations(direction: str, *units: str) -> Component:
    return _units(f"{direction}_seconds", "second", *(f"{EXTRA}{direction}_{unit}" for unit in units))


INPUT = _tokens("input", "", PRICING + "prompt")
OUTPUT = _tokens("output", "", PRICING + "completion")
REASONING_LINE = _tokens("reasoning", "reasoning_tokens", REASONING)
CACHE_WRITE = _tokens("cache_write", "cache_write_tokens", PRICING + "input_cache_write")
CACHE_WRITE_AS_1H = _tokens("cache_write", "cache_write_tokens", CACHE_WRITE_1H)
COMPONENTS: tuple[Component, ...] = (
    INPUT,
    _tokens("cache_read", "cache_read_tokens", PRICING + "input_cache_read"),
    CACHE_WRITE,
    _tokens("cache_write_1h", "cache_write_1h_tokens", CACHE_WRITE_1H),
    _tokens("input_audio_tokens", "input_audio_tokens", EXTRA + "input_audio_token"),
    _tokens("input_image_tokens", "input_image_tokens", EXTRA + "input_image_token"),
    OUTPUT,
    REASONING_LINE,
    _tokens("output_audio_tokens", "output_audio_tokens", EXTRA + "output_audio_token"),
    _tokens("output_image_tokens", "output_image_tokens", EXTRA + "output_image_token"),
    _units("input_images", "image", PRICING + "image"),
    _units("output_images", "image", EXTRA + "output_image"),
    _units("input_characters", "character", EXTRA + "input_character"),
    _units("output_characters", "character", EXTRA + "output_character"),
    _durations("input", "second", "minute", "hour"),
    _durations("output", "second", "minute"),
    _units("queries", "query", EXTRA + "query"),
    _units("web_searches", "web search", PRICING + "web_search"),
)
REQUESTS = _units("requests", "request", PRICING + "request")
REQUEST_FIELD = REQUESTS.fields[0]
EVERY_COMPONENT = (*COMPONENTS, CACHE_WRITE_AS_1H, REQUESTS)
# field -> the unit it prices, for every field of every component
PRICE_UNIT: dict[str, str] = {
    field: unit
    for component in EVERY_COMPONENT
    for field, unit in zip(component.fields, component.price_units, strict=True)
}


class Billing(enum.Enum):
    """How a record stands towards one usage field (absent from :func:`usage_fields`: unknown)."""

    PRICED = "priced"  # some sheet or long-context tier of the record states a price for it
    NOT_BILLED = "not_billed"  # no price, and a price field of it is in modelatlas.not_billed


def stated_fields(book: PriceBook) -> frozenset[str]:
    """The price fields a record states somewhere: its standard sheet, a variant, a long-context tier."""
    stated: set[str] = set()
    for sheet in (book.standard, *book.variants):
        stated.update(sheet.prices)
        for tier in sheet.context_tiers:
            stated.update(tier.prices)
    return frozenset(stated)


def usage_fields(book: PriceBook) -> dict[str, Billing]:
    """The usage fields a record prices somewhere (standard, a variant, a long-context tier) or marks
    not billed: what a form asking for a usage at this model needs to ask (``static/cost.js``'s
    ``usageFields`` gives the same answer)."""
    return billing_of(stated_fields(book), book.not_billed)


def billing_of(stated: frozenset[str], not_billed: frozenset[str]) -> dict[str, Billing]:
    """:func:`usage_fields` of a record that states the price fields ``stated`` and marks
    ``not_billed`` as not billed (all it depends on)."""
    found: dict[str, Billing] = {}
    for component in EVERY_COMPONENT:
        name = component.usage_field
        if any(field in stated for field in component.fields):
            found[name] = Billing.PRICED
        elif any(field in not_billed for field in component.fields):
            found.setdefault(name, Billing.NOT_BILLED)
    return found
