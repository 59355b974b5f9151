"""Exact decimal price strings. Money never goes through float arithmetic here.

Inputs arrive as JSON numbers parsed to :class:`decimal.Decimal` (see :mod:`modelatlas.jsonio`),
as strings, as ints, or -- from YAML or callers -- as floats, which are read through their
shortest ``repr`` so ``2.5e-06`` becomes ``Decimal("0.0000025")`` exactly.
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Context, Decimal, InvalidOperation

PER_MILLION = Decimal(1_000_000)
# Float noise (e.g. 0.0000025000000000000004) shows up past ~15 significant digits; real prices
# never need more than 12, so values are rounded to 12 significant digits.
_SIGNIFICANT = Context(prec=12, rounding=ROUND_HALF_EVEN)


def to_decimal(value: object) -> Decimal | None:
    """Parse a price-like value into a Decimal; None if it is missing, not a number, or not finite."""
    if value is None or isinstance(value, bool):
        return None
    try:
        if isinstance(value, Decimal):
            number = value
        elif isinstance(value, int):
            number = Decimal(value)
        elif isinstance(value, float):
            number = Decimal(repr(value))
        elif isinstance(value, str):
            text = value.strip()
            if not text:
                return None
            number = Decimal(text)
        else:
            return None
    except (InvalidOperation, ValueError):
        return None
    if not number.is_finite():
        return None
    return number


def format_price(number: Decimal) -> str:
    """Render a non-negative Decimal as a plain decimal string: no exponent, no trailing zeros."""
    rounded = _SIGNIFICANT.plus(number)
    if rounded == 0:
        return "0"
    text = format(rounded.normalize(), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def price_string(value: object, per: Decimal | int = 1) -> str | None:
    """A USD-per-unit price string from ``value`` given per ``per`` units (e.g. per 1M tokens).

    Returns None (meaning: unknown, leave the field absent) for missing, non-numeric or
    negative inputs -- OpenRouter uses ``"-1"`` for "varies", which is not a price.
    """
    number = to_decimal(value)
    if number is None or number < 0:
        return None
    divisor = Decimal(per)
    if divisor != 1:
        number = number / divisor
    return format_price(number)


def per_million(price: str) -> Decimal:
    """A per-token price string as USD per 1M tokens (for display and sorting)."""
    return Decimal(price) * PER_MILLION
