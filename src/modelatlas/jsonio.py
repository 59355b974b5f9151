"""Deterministic JSON: parse numbers exactly, write sorted, stable bytes.

Writing is ``json.dumps``'s output byte for byte (sorted keys, no ASCII escaping, a ``Decimal``
written as an integer or a float), made by orjson, several times faster: a build writes each
record twice over (its file and the pages that list it). Where orjson would write other bytes,
``json.dumps`` writes them instead: a float below 1e-4 (``1e-05`` against orjson's ``0.00001`` or
``1e-5``: any orjson output that may hold one), and whatever orjson refuses (an integer beyond 64
bits, a lone surrogate, nesting deeper than 254, a type only ``default`` knows, or one it would
write itself: a dataclass, a date). One difference is left: a non-finite float (never in a record:
the bounds refuse it) is ``null`` here, ``NaN`` for ``json.dumps`` (not JSON).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import orjson

# Python refuses to read integers of more than 4,300 digits (a ValueError that would fail the whole
# body); a longer integer literal becomes an exact Decimal, which every cleaner bounds like any number.
MAX_INT_DIGITS = 4000


def _integer(text: str) -> int | Decimal:
    return int(text) if len(text) <= MAX_INT_DIGITS else Decimal(text)


class TooDeep(ValueError):
    """JSON nested deeper than the parser's recursion allows: bad input like any other (a ValueError),
    never a RecursionError for the caller to miss."""


def _decoded(text: str | bytes, **options: Any) -> Any:
    """``json.loads(text, **options)``, with JSON nested too deeply raised as :class:`TooDeep`."""
    try:
        return json.loads(text, **options)
    except RecursionError:
        raise TooDeep("nested too deeply") from None


def parse(text: str | bytes) -> Any:
    """``json.loads(text)`` (floats stay floats), for documents that hold no price; JSON nested too
    deeply is :class:`TooDeep`, a ValueError like any other JSON that cannot be read."""
    return _decoded(text)


def loads(text: str | bytes) -> Any:
    """Parse JSON keeping non-integer numbers as exact Decimals (prices stay exact)."""
    return _decoded(text, parse_float=Decimal, parse_int=_integer)


def loads_read_only(text: str) -> Any:
    """Like :func:`loads`, for a document that will only be read: equal flat objects (string,
    integer, boolean and null members, or arrays of strings) are parsed into one shared object as the
    parser goes, so a big document's repeated maps (provenance, capabilities, prices) never exist
    once per record, not even for a moment. Mutating one would change them all: copy before writing."""
    return _decoded(text, parse_float=Decimal, parse_int=_integer, object_hook=_Sharing())


class _Sharing:
    """An ``object_hook``: the first object seen with each flat content, for every later equal one."""

    def __init__(self) -> None:
        self.seen: dict[tuple[tuple[str, type, Any], ...], dict[str, Any]] = {}

    def __call__(self, obj: dict[str, Any]) -> dict[str, Any]:
        content: list[tuple[str, type, Any]] = []
        for key, value in obj.items():
            kind = type(value)
            if kind is str or kind is int or kind is bool or value is None:
                content.append((key, kind, value))
            elif kind is list and all(type(item) is str for item in value):
                content.append((key, kind, tuple(value)))
            else:
                return obj  # holds an object, a number kept exact, or a mixed array: kept as parsed
        return self.seen.setdefault(tuple(content), obj)


def load_path(path: Path) -> Any:
    return loads(path.read_bytes())


def _default(value: object) -> object:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(f"not JSON serializable: {type(value).__name__}")


_SORTED = orjson.OPT_SORT_KEYS | orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_PASSTHROUGH_DATETIME
_PRETTY = _SORTED | orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE
# Where orjson may have written a float below 1e-4 (0.00001, -1.5e-7; json.dumps: 1e-05, -1.5e-07):
# "0.0000" then a digit, not inside a number nor right after a quote (so a price string "0.0000025"
# never matches), or "e-" after a digit and before one. Each begins with a literal, which the regex
# engine looks for fast: "e-", not "e" (a tenth of a record's bytes are an "e", which made the
# second search three times the first); text in a string that matches only costs the slower writer.
_SMALL_FLOATS = (re.compile(rb'0\.0000(?<![0-9."]0\.0000)[0-9]'), re.compile(rb"e-(?<=[0-9]e-)[0-9]"))


def _fast(value: Any, option: int, default: Callable[[object], object]) -> bytes | None:
    """orjson's bytes for ``value``, or None where they may not be ``json.dumps``'s."""
    try:
        written = orjson.dumps(value, default=default, option=option)
    except TypeError:  # orjson.JSONEncodeError: json.dumps writes it, or raises its own error
        return None
    return None if any(pattern.search(written) for pattern in _SMALL_FLOATS) else written


def pretty_bytes(value: Any) -> bytes:
    """:func:`dumps_pretty` encoded as UTF-8."""
    written = _fast(value, _PRETTY, _default)
    if written is None:
        text = json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False, default=_default) + "\n"
        return text.encode("utf-8")
    return written


def compact_bytes(value: Any, default: Callable[[object], object] = _default) -> bytes:
    """:func:`dumps_compact` encoded as UTF-8. ``default`` (for a ``Decimal``: :func:`_default`'s
    number) is called as ``json.dumps`` calls it, in the order values are written, and a second time
    over where orjson gives way to ``json.dumps`` part of the way through."""
    written = _fast(value, _SORTED, default)
    if written is None:
        return json.dumps(
            value, separators=(",", ":"), sort_keys=True, ensure_ascii=False, default=default
        ).encode("utf-8")
    return written


def dumps_pretty(value: Any) -> str:
    """Pretty, key-sorted JSON with a trailing newline: one field per line, for git diffs."""
    return pretty_bytes(value).decode("utf-8")


def dumps_compact(value: Any) -> str:
    """Compact, key-sorted JSON for published files (smaller over the wire, still deterministic)."""
    return compact_bytes(value).decode("utf-8")
