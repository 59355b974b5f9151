"""The priced request: a total in USD and one line per component, and how amounts are written.

Amounts are exact: each line is quantity x unit price (divided by 60 or 3600 when a duration in
seconds meets a price per minute or hour), the total is their sum, and only then is it rounded,
half to even, to :data:`TOTAL_PLACES` decimal places. A line amount is written to at most
:data:`LINE_PLACES` places (exact for every price in the catalog; a duration priced per minute or
hour can give an endless decimal, which is rounded there for display only). Both are written as plain
decimal strings without exponent or trailing zeros, "0" for zero.
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Context, Decimal
from typing import Any, NamedTuple

TOTAL_PLACES = 12
LINE_PLACES = 24
# Wide enough that a sum of exact products never rounds, and a division by 60 or 3600 is exact far
# beyond the places kept (so rounding it equals rounding the exact fraction, as the JS module does).
EXACT = Context(prec=80, rounding=ROUND_HALF_EVEN)
_TOTAL_QUANTUM = Decimal(1).scaleb(-TOTAL_PLACES)
_LINE_QUANTUM = Decimal(1).scaleb(-LINE_PLACES)
CURRENCY = "USD"


def plain(number: Decimal) -> str:
    """A Decimal as a plain string: no exponent, no trailing zeros, "0" for zero."""
    if not number:
        return "0"
    text = format(number, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def round_total(number: Decimal) -> Decimal:
    return number.quantize(_TOTAL_QUANTUM, rounding=ROUND_HALF_EVEN, context=EXACT)


def line_amount_string(number: Decimal) -> str:
    return plain(number.quantize(_LINE_QUANTUM, rounding=ROUND_HALF_EVEN, context=EXACT))


class CostLine(NamedTuple):
    """One component of a request and what it costs.

    ``quantity`` is in ``unit`` (the usage's unit: token, second, image, ...); ``unit_price`` is USD per
    ``price_unit`` (the same, except a duration priced per minute or hour); ``field`` is the record's
    price field (``pricing.prompt``); ``source`` where that price came from (provenance, or the
    variant's or tier's source); ``region``/``tier`` the pricing variant used (None: the standard
    price), ``context_tier`` the long-context threshold the request passed (None: below any).
    """

    component: str
    field: str
    quantity: Decimal | int
    unit: str
    unit_price: Decimal
    price_unit: str
    amount: Decimal
    source: str | None
    region: str | None
    tier: str | None
    context_tier: int | None
    disputed: bool

    def as_json(self) -> dict[str, Any]:
        quantity = self.quantity
        return {
            "amount": line_amount_string(self.amount),
            "component": self.component,
            "context_tier": self.context_tier,
            "disputed": self.disputed,
            "field": self.field,
            "price_unit": self.price_unit,
            "quantity": plain(quantity) if isinstance(quantity, Decimal) else str(quantity),
            "region": self.region,
            "source": self.source,
            "tier": self.tier,
            "unit": self.unit,
            "unit_price": plain(self.unit_price),
        }


class Cost(NamedTuple):
    """What one request costs at one model: ``total`` (USD, rounded as the module doc says) and the lines.

    ``model`` is the record priced (a Bedrock regional profile when ``region`` picked one; the record
    an alias points at); ``requested`` the id asked for. ``region``/``tier`` name the pricing variant
    used (None: the standard on-demand price), ``context_tier`` the long-context threshold passed.
    """

    model: str
    requested: str
    total: Decimal
    lines: tuple[CostLine, ...]
    region: str | None = None
    tier: str | None = None
    context_tier: int | None = None
    currency: str = CURRENCY

    @property
    def total_string(self) -> str:
        return plain(self.total)

    @property
    def disputed(self) -> bool:
        """Whether any price used is disputed between sources (``modelatlas.disputed``)."""
        return any(line.disputed for line in self.lines)

    def as_json(self) -> dict[str, Any]:
        """``{"model", "total", "currency", "lines", ...}``: amounts as decimal strings, keys sorted."""
        return {
            "context_tier": self.context_tier,
            "currency": self.currency,
            "lines": [line.as_json() for line in self.lines],
            "model": self.model,
            "region": self.region,
            "requested": self.requested,
            "tier": self.tier,
            "total": self.total_string,
        }
