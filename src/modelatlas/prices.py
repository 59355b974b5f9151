"""Exact decimal price strings. Money never goes through float arithmetic here.

Inputs arrive as JSON numbers parsed to :class:`decimal.Decimal` (see :mod:`modelatlas.jsonio`),
as strings, as ints, or -- from YAML or callers -- as floats, which are read through their
shortest ``repr`` so ``2.5e-06`` becomes ``Decimal("0.0000025")`` exactly.

Bounds (docs/data.md): a price text longer than :data:`MAX_PRICE_CHARS` is not read at all, a number
whose magnitude is outside 1e-24 .. 1e9 is not a price (``"1e999999999"`` never reaches decimal
arithmetic), and a stored price is a plain decimal string of at most :data:`MAX_PRICE_CHARS`
characters, at most :data:`MAX_TOKEN_PRICE` per token and :data:`MAX_UNIT_PRICE` per other unit.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_EVEN, Context, Decimal, InvalidOperation
from functools import lru_cache

PER_MILLION = Decimal(1_000_000)
MAX_PRICE_CHARS = 40
MAX_UNIT_PRICE = Decimal(1000)  # USD per request, image, second, ...; anything above is not a real price
MAX_TOKEN_PRICE = Decimal("0.001")  # USD per token: $1,000 per 1M tokens, ~1.7x the dearest real one
_MAGNITUDE = range(-24, 10)  # accepted adjusted exponents: 1e-24 <= |price| < 1e10
PRICE_TEXT = re.compile(r"(0|[1-9][0-9]*)(\.[0-9]*[1-9])?")
# Per-token price fields (pricing.* and extra_pricing.*): the rest are per request, image, second, ...
TOKEN_PRICE_FIELDS = frozenset({
    "prompt", "completion", "internal_reasoning",
    "input_cache_read", "input_cache_write", "input_cache_write_1h",
})
# Float noise (e.g. 0.0000025000000000000004) shows up past ~15 significant digits; real prices
# never need more than 12, so values are rounded to 12 significant digits.
_SIGNIFICANT = Context(prec=12, rounding=ROUND_HALF_EVEN)
DISTINCT_TEXTS = 1 << 16  # price texts whose reading is kept: a catalog has a few thousand distinct ones


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
            return _text_decimal(value)
        else:
            return None
    except (InvalidOperation, ValueError):
        return None
    return _bounded(number)


@lru_cache(maxsize=DISTINCT_TEXTS)  # validation reads the same few thousand price texts a million times
def _text_decimal(value: str) -> Decimal | None:
    text = value.strip()
    if not text or len(text) > MAX_PRICE_CHARS:
        return None
    try:
        return _bounded(Decimal(text))
    except (InvalidOperation, ValueError):
        return None


def _bounded(number: Decimal) -> Decimal | None:
    if not number.is_finite() or (number and number.adjusted() not in _MAGNITUDE):
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


def price_ceiling(field: str) -> Decimal:
    """The highest price a field may hold: :data:`MAX_TOKEN_PRICE` for a per-token field (by its last
    name, e.g. ``prompt`` or ``input_audio_token``), else :data:`MAX_UNIT_PRICE`."""
    name = field.rsplit(".", 1)[-1]
    return MAX_TOKEN_PRICE if name in TOKEN_PRICE_FIELDS or name.endswith("_token") else MAX_UNIT_PRICE


def price_problem(field: str, value: object) -> str | None:
    """Why ``value`` cannot be stored as the price of ``field`` (None if it can)."""
    if not isinstance(value, str):
        return "is not a price string"
    return _text_price_problem(field, value)


@lru_cache(maxsize=DISTINCT_TEXTS)
def _text_price_problem(field: str, value: str) -> str | None:
    if len(value) > MAX_PRICE_CHARS or not PRICE_TEXT.fullmatch(value):
        return f"is not a plain decimal string of at most {MAX_PRICE_CHARS} characters"
    limit = price_ceiling(field)
    if Decimal(value) > limit:
        return f"is above the ceiling of ${limit} per unit"
    return None
