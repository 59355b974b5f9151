"""The usage of one request: how many tokens, seconds, images, ... it consumed.

Input tokens INCLUDE the cached ones: ``cache_read_tokens``, ``cache_write_tokens`` and
``cache_write_1h_tokens`` are parts of ``input_tokens`` (OpenAI's convention), as are
``input_audio_tokens`` and ``input_image_tokens``. Likewise ``reasoning_tokens``,
``output_audio_tokens`` and ``output_image_tokens`` are parts of ``output_tokens``. The text input
priced at ``pricing.prompt`` is what remains of ``input_tokens`` after those parts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from decimal import Decimal, InvalidOperation
from typing import Any

from modelatlas.cost.errors import UsageError

INPUT_PARTS = (
    "cache_read_tokens",
    "cache_write_tokens",
    "cache_write_1h_tokens",
    "input_audio_tokens",
    "input_image_tokens",
)
OUTPUT_PARTS = ("reasoning_tokens", "output_audio_tokens", "output_image_tokens")
DURATIONS = ("input_seconds", "output_seconds")


@dataclass(frozen=True, slots=True)
class Usage:
    """Counts of one request (all default to 0).

    ``input_tokens`` counts every input token, cached ones included: ``cache_read_tokens`` (read from
    the prompt cache), ``cache_write_tokens`` (written to it, with the lifetime ``cost(cache_ttl=)``
    names, the provider's default when not given) and ``cache_write_1h_tokens`` (written with a
    1-hour lifetime) are parts of it, never added to it. ``reasoning_tokens`` are part of
    ``output_tokens``; they are priced at ``pricing.internal_reasoning`` when the record states one,
    else as output tokens. ``input_seconds``/``output_seconds`` are durations of audio or video in
    seconds (a Decimal, an int or a decimal string), priced per second, minute or hour as the record
    states. ``requests``: None (the default) means one request, charged only when the record states a
    per-request price; a number is priced strictly (an unknown per-request price is then an error).
    """

    input_tokens: int = 0
    output_tokens: int = 0
    cache_read_tokens: int = 0
    cache_write_tokens: int = 0
    cache_write_1h_tokens: int = 0
    reasoning_tokens: int = 0
    input_audio_tokens: int = 0
    output_audio_tokens: int = 0
    input_image_tokens: int = 0
    output_image_tokens: int = 0
    input_images: int = 0
    output_images: int = 0
    input_characters: int = 0
    output_characters: int = 0
    input_seconds: Decimal = Decimal(0)
    output_seconds: Decimal = Decimal(0)
    queries: int = 0
    web_searches: int = 0
    requests: int | None = None

    def __post_init__(self) -> None:
        for name in COUNT_FIELDS:
            value = getattr(self, name)
            if name == "requests" and value is None:
                continue
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise UsageError(f"usage {name} must be a whole number of at least 0, not {value!r}")
        for name in DURATIONS:
            object.__setattr__(self, name, _duration(name, getattr(self, name)))
        parts = sum(getattr(self, name) for name in INPUT_PARTS)
        if parts > self.input_tokens:
            raise UsageError(
                f"usage: cached, audio and image input tokens ({parts}) exceed input_tokens "
                f"({self.input_tokens}); input_tokens counts every input token, cached ones included"
            )
        parts = sum(getattr(self, name) for name in OUTPUT_PARTS)
        if parts > self.output_tokens:
            raise UsageError(
                f"usage: reasoning, audio and image output tokens ({parts}) exceed output_tokens "
                f"({self.output_tokens}); output_tokens counts them all"
            )

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> Usage:
        """A usage from a JSON-like mapping (unknown keys are an error, not ignored)."""
        if not isinstance(values, Mapping):
            raise UsageError(f"usage must be a Usage or a mapping of its fields, not {values!r}")
        unknown = sorted(set(values) - set(FIELD_NAMES))
        if unknown:
            raise UsageError(f"unknown usage field(s) {', '.join(unknown)}; known: {', '.join(FIELD_NAMES)}")
        return cls(**values)

    def as_dict(self) -> dict[str, Any]:
        """The non-zero counts, durations as decimal strings (what the JSON output shows)."""
        result: dict[str, Any] = {}
        for name in FIELD_NAMES:
            value = getattr(self, name)
            if value is None or value == 0:
                continue
            result[name] = format(value.normalize(), "f") if isinstance(value, Decimal) else value
        return result


def _duration(name: str, value: object) -> Decimal:
    if isinstance(value, bool):
        raise UsageError(f"usage {name} must be a number of seconds, not {value!r}")
    try:
        if isinstance(value, float):
            number = Decimal(repr(value))
        elif isinstance(value, int | str | Decimal):
            number = Decimal(value)
        else:
            raise TypeError
    except (InvalidOperation, TypeError, ValueError):
        raise UsageError(f"usage {name} must be a number of seconds, not {value!r}") from None
    if not number.is_finite() or number < 0:
        raise UsageError(f"usage {name} must be a finite number of seconds of at least 0, not {value!r}")
    return number


FIELD_NAMES = tuple(f.name for f in fields(Usage))
COUNT_FIELDS = tuple(name for name in FIELD_NAMES if name not in DURATIONS)
