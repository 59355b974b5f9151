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


def loads(text: str | bytes) -> Any:
    """Parse JSON keeping non-integer numbers as exact Decimals (prices stay exact)."""
    return json.loads(text, parse_float=Decimal, parse_int=_integer)


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
