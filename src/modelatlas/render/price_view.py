"""How the site shows a price: the one money format, and the four states a price can be in.

A price is *free* (``"0"``), *not billed* (its path is in ``modelatlas.not_billed``: the component
does not apply), *unknown* (neither) or a known amount; a known amount may be *disputed* (its path
is in ``modelatlas.disputed``). docs/pricing.md defines them; every page shows them apart.

Amounts are shown rounded to :data:`SIGNIFICANT` significant digits (never fewer than two decimals,
never rounding the whole dollars): ``$0.0833333333333`` shows as ``$0.08333``. The exact value stays
in the JSON and in the cell's tooltip. ``static/format.js`` implements the same rounding for the
page scripts; tests/fixtures/money_format.json holds the cases both must agree on.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from functools import lru_cache
from typing import Any

from modelatlas.cost.components import PRICE_UNIT
from modelatlas.prices import format_price, per_million
from modelatlas.record import Record, get_path

SIGNIFICANT = 4
MIN_DECIMALS = 2
UNKNOWN_MARK = "–"
# Prices shown are few distinct strings repeated over thousands of records and tables: the cells and
# display amounts of the most recent ones are kept (pure functions of their arguments).
AMOUNTS_KEPT = 8192
# The last part of a price field's path -> its label. The unit each field is per is the cost
# library's (components.PRICE_UNIT); token prices are shown per 1M tokens.
TOKEN_UNIT = "1M tokens"
FIELD_LABELS: dict[str, str] = {
    "prompt": "Prompt",
    "completion": "Completion",
    "internal_reasoning": "Reasoning",
    "input_cache_read": "Cache read",
    "input_cache_write": "Cache write",
    "input_cache_write_1h": "Cache write, 1 h",
    "input_audio_token": "Audio in",
    "output_audio_token": "Audio out",
    "input_image_token": "Image in",
    "output_image_token": "Image out",
    "request": "Request",
    "image": "Input image",
    "web_search": "Web search",
    "output_image": "Generated image",
    "input_character": "Characters in",
    "output_character": "Characters out",
    "input_second": "Input",
    "output_second": "Output",
    "input_minute": "Input",
    "output_minute": "Output",
    "input_hour": "Input",
    "query": "Rerank",
}
# How the site words a unit of the cost library where its own name would read badly.
UNIT_WORDS = {"token": TOKEN_UNIT, "query": "rerank query", "web search": "search"}


def display_unit(unit: str) -> str:
    """The unit a price is shown per: ``1M tokens`` for tokens, else the cost library's unit."""
    return UNIT_WORDS.get(unit, unit)


_UNIT_OF = {path.rsplit(".", 1)[-1]: unit for path, unit in PRICE_UNIT.items()}
assert set(_UNIT_OF) == set(FIELD_LABELS), "every field the formula prices has a label, and only those"
# The last part of a price field's path -> (label, unit shown), in table order.
PRICE_LABELS: dict[str, tuple[str, str]] = {
    key: (label, display_unit(_UNIT_OF[key])) for key, label in FIELD_LABELS.items()
}


_LABEL_ORDER = {key: position for position, key in enumerate(PRICE_LABELS)}


class PriceState(StrEnum):
    KNOWN = "known"
    FREE = "free"
    NOT_BILLED = "not_billed"
    UNKNOWN = "unknown"


def exact_money(amount: str) -> str:
    """An exact USD amount string as ``$2.50`` / ``$0.0833333333333`` (at least two decimals)."""
    whole, _, fraction = amount.partition(".")
    return f"${whole}.{fraction.ljust(MIN_DECIMALS, '0')}"


def rounded(amount: str) -> str:
    """``amount`` (a non-negative decimal string) to SIGNIFICANT digits, half up, 2+ decimals."""
    number = Decimal(amount)
    if number >= 1:
        places = max(MIN_DECIMALS, SIGNIFICANT - len(str(int(number))))
    else:
        places = max(MIN_DECIMALS, -number.adjusted() - 1 + SIGNIFICANT)
    text = format(number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP), "f")
    whole, _, fraction = text.partition(".")
    return f"{whole}.{fraction.rstrip('0').ljust(MIN_DECIMALS, '0')}"


def money(amount: str | None) -> str:
    """Display form of a USD amount string: ``free``, ``$2.50``, ``$0.08333``; an en dash when unknown."""
    if amount is None:
        return UNKNOWN_MARK
    if Decimal(amount) == 0:
        return "free"
    return "$" + rounded(amount)


@dataclass(frozen=True, slots=True)
class PriceCell:
    """One price as a table cell shows it: the text, its state, the exact amount when the text is
    rounded, and whether the sources dispute it."""

    text: str
    state: PriceState
    exact: str | None = None
    disputed: bool = False

    @property
    def title(self) -> str:
        """The tooltip: what the cell means, in words."""
        parts = []
        if self.state is PriceState.UNKNOWN:
            parts.append("unknown: no source we trust states it")
        elif self.state is PriceState.NOT_BILLED:
            parts.append("not billed: this component does not apply to this model")
        elif self.exact is not None:
            parts.append(f"exactly {self.exact}")
        if self.disputed:
            parts.append("disputed: the sources disagree (see the model page)")
        return "; ".join(parts)

    @property
    def comparable(self) -> bool:
        """Whether the amount can take part in a "lowest" mark (known, billed; free counts)."""
        return self.state in (PriceState.KNOWN, PriceState.FREE)


@lru_cache(maxsize=AMOUNTS_KEPT)
def amount_cell(amount: str | None, *, not_billed: bool = False, disputed: bool = False) -> PriceCell:
    """A cell for an amount already in display units (USD per 1M tokens, per request, ...)."""
    if amount is None:
        state = PriceState.NOT_BILLED if not_billed else PriceState.UNKNOWN
        return PriceCell("not billed" if not_billed else UNKNOWN_MARK, state, None, disputed)
    text = money(amount)
    if text == "free":
        return PriceCell(text, PriceState.FREE, None, disputed)
    exact = exact_money(amount)
    return PriceCell(text, PriceState.KNOWN, exact if exact != text else None, disputed)


@lru_cache(maxsize=AMOUNTS_KEPT)
def display_amount(key: str, value: str) -> str:
    """A stored price (USD per unit) in the unit the site shows for field ``key``."""
    unit = PRICE_LABELS.get(key, (key, "unit"))[1]
    return format_price(per_million(value)) if unit == TOKEN_UNIT else value


@lru_cache(maxsize=AMOUNTS_KEPT)
def stated_cell(key: str, value: str | None, not_billed: bool, disputed: bool) -> PriceCell:
    """The cell of price field ``key`` (its last part) stated as ``value`` (USD per unit; None: not
    stated), marked not billed or disputed as the record says: made once per distinct cell (every
    price table and model table row asks for its cells)."""
    amount = None if value is None else display_amount(key, value)
    return amount_cell(amount, not_billed=not_billed, disputed=disputed)


def field_cell(record: Record, path: str) -> PriceCell:
    """The cell of a price field of ``record`` (``pricing.prompt``, ``modelatlas.extra_pricing.query``)."""
    return _cell(path, get_path(record, path), record.get("modelatlas", {}))


def token_cells(record: Record, fields: tuple[str, ...]) -> dict[str, PriceCell]:
    """``{field: cell}`` of ``pricing.<field>`` for each field (per 1M tokens): every model table row
    has four, so the record's prices and marks are looked up once, not per dotted path."""
    pricing = record.get("pricing", {})
    extension = record.get("modelatlas", {})
    return {field: _cell("pricing." + field, pricing.get(field), extension) for field in fields}


def _cell(path: str, value: Any, extension: Mapping[str, Any]) -> PriceCell:
    """The cell of the price ``value`` at ``path`` of a record whose ``modelatlas`` is ``extension``."""
    return stated_cell(
        path.rsplit(".", 1)[-1],
        value if isinstance(value, str) else None,
        path in extension.get("not_billed", ()),
        path in extension.get("disputed", ()),
    )


def label_of(key: str) -> str:
    """A price field's column heading: ``Prompt $/1M tokens``, ``Rerank query $/query``."""
    label, unit = PRICE_LABELS.get(key, (key.replace("_", " ").capitalize(), "unit"))
    return f"{label} $/{unit}"


def priced_keys(prices: dict[str, Any]) -> list[str]:
    """The keys of a pricing object in display order (known labels first, in table order)."""
    return sorted(prices, key=lambda key: (_LABEL_ORDER.get(key, len(_LABEL_ORDER)), key))
