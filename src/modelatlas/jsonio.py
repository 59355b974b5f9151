"""Deterministic JSON: parse numbers exactly, write sorted, stable bytes."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

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


def dumps_pretty(value: Any) -> str:
    """Pretty, key-sorted JSON with a trailing newline: one field per line, for git diffs."""
    return json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False, default=_default) + "\n"


def dumps_compact(value: Any) -> str:
    """Compact, key-sorted JSON for published files (smaller over the wire, still deterministic)."""
    return json.dumps(value, separators=(",", ":"), sort_keys=True, ensure_ascii=False, default=_default)
