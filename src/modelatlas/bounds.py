"""The documented bounds (docs/data.md "Bounds") no value from an upstream passes, checked at the
door (every record builder: a value outside them is dropped, an id outside them rejects its record)
and by ``validate`` on data/, so nothing a build cannot handle is ever committed.

Ids: a string of at most 500 characters without whitespace, control or format characters or
backslashes, no ``.``/``..`` path segment, no leading ``/``. Token counts: 0 to 100M. ``created``:
unix seconds before 2100 (milliseconds are refused). Dates: 1970 to 2099. Prices: plain decimal
strings of at most 40 characters, at most $1,000 per 1M tokens for a per-token field and $1,000 per
other unit (:mod:`modelatlas.prices`).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterator, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from modelatlas.prices import price_problem

MAX_TOKENS = 100_000_000  # no model has a 100M-token window; larger values are noise
MAX_UNIX = 4_102_444_800  # 2100-01-01
MAX_UPSTREAM_ID = 500
YEARS = range(1970, 2100)  # dates (release, retirement, ...) outside these years are noise
MAX_PARAMETER_DIGITS = 15  # a number in default_parameters (a temperature, a top_k) is below 1e15
_ID_FORBIDDEN = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")
_ID_CONTROL = frozenset({"Cc", "Cf", "Zl", "Zp"})


def id_problem(upstream_id: object, *, at_the_door: bool = True) -> str | None:
    """Why ``upstream_id`` cannot name a model (None if it can): at most 500 characters without
    whitespace or control and format characters. At the door (``at_the_door``) also no backslash,
    no ``.``/``..`` path segment and no leading ``/``: the build copes with those (an id becomes a
    hashed file name), but no upstream gets to send them."""
    if not isinstance(upstream_id, str):
        return "id is not a string"
    if not upstream_id.strip():
        return "id is empty or whitespace"
    if len(upstream_id) > MAX_UPSTREAM_ID:
        return f"id is longer than {MAX_UPSTREAM_ID} characters"
    plain = upstream_id.isascii() and upstream_id.isprintable() and " " not in upstream_id
    # (the usual case, decided without a look-up per character: printable ASCII but the space holds
    # no control, format or whitespace character)
    if not plain and (
        _ID_FORBIDDEN.search(upstream_id) or any(unicodedata.category(c) in _ID_CONTROL for c in upstream_id)
    ):
        return "id contains control characters"
    if not plain and any(ch.isspace() or unicodedata.category(ch) == "Zs" for ch in upstream_id):
        return "id contains whitespace"
    if not at_the_door:
        return None
    if "\\" in upstream_id:
        return "id contains a backslash"
    if upstream_id.startswith("/") or any(part in {".", ".."} for part in upstream_id.split("/")):
        return "id has a path segment '.', '..' or a leading '/'"
    return None


_PRICE_OBJECTS = frozenset({"pricing", "extra_pricing"})
_NOT_VALUES = frozenset({"provenance", "links"})  # maps of field paths to sources, and build links
_DATE_SHAPE = re.compile(r"^([0-9]{4})-([0-9]{2})(?:-([0-9]{2}))?")


def _number_problem(path: str, value: int | float | Decimal) -> str | None:
    name = path.rsplit(".", 1)[-1]
    if path.startswith("default_parameters"):
        if isinstance(value, Decimal):  # no arithmetic on it: 1e999999999 would overflow the context
            plain = value.is_finite() and (not value or value.adjusted() < MAX_PARAMETER_DIGITS)
        else:
            plain = math.isfinite(value) and abs(value) < 10**MAX_PARAMETER_DIGITS
        return None if plain else "is not a plain number"
    if not isinstance(value, int):
        return "is not an integer"
    if name == "created":
        return None if 0 <= value <= MAX_UNIX else "is not unix seconds before 2100 (milliseconds?)"
    return None if 0 <= value <= MAX_TOKENS else "is not a token count of at most 100M"


def _date_problem(value: str) -> str | None:
    match = _DATE_SHAPE.match(value)
    if not match:
        return None
    return None if int(match.group(1)) in YEARS else "is not a date between 1970 and 2099"


def calendar_date(value: str) -> bool:
    """Whether ``YYYY-MM[-DD]`` at the start of ``value`` names a real day (or month) in the bounds."""
    match = _DATE_SHAPE.match(value)
    if not match or int(match.group(1)) not in YEARS:
        return False
    year, month, day = match.groups()
    try:
        date(int(year), int(month), int(day or 1))
    except ValueError:
        return False
    return True


def value_problems(path: str, value: Any) -> Iterator[tuple[str, str]]:
    """(dotted path, why) for every part of ``value`` (stored at ``path`` of a record) outside the
    documented bounds: token counts over 100M, ``created`` not unix seconds before 2100, dates
    outside 1970-2099, prices that are not plain decimals of at most 40 characters or are above
    their ceiling."""
    return _problems(tuple(path.split(".")), value)


def _problems(parts: tuple[str, ...], value: Any) -> Iterator[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    _walk(parts, value, found)
    return iter(found)


def _walk(
    parts: tuple[str, ...], value: Any, found: list[tuple[str, str]], seen: SeenValues | None = None
) -> None:
    # (a walk of every record that validate and build make: a string is checked only as a price or
    # a date, so the strings, nulls and booleans of other objects, most of a record, are passed over
    # without building their paths or a call each; objects and arrays, most of the calls, are told
    # by their exact type first: none of the types below is one of them)
    kind = type(value)
    if kind is dict:
        _walk_dict(parts, value, found, seen)
    elif kind is list:
        _walk_list(parts, value, found, seen)
    elif isinstance(value, str):
        if len(parts) > 1 and parts[-2] in _PRICE_OBJECTS:
            why = price_problem(".".join(parts), value)
        elif "lifecycle" in parts:
            why = _date_problem(value)
        else:
            return
        if why:
            found.append((".".join(parts), why))
    elif isinstance(value, bool) or value is None:
        return
    elif isinstance(value, int | float | Decimal):
        _walk_number(".".join(parts), value, found)
    elif isinstance(value, dict):
        _walk_dict(parts, value, found, seen)
    elif isinstance(value, list):
        _walk_list(parts, value, found, seen)


def _walk_number(path: str, value: int | float | Decimal, found: list[tuple[str, str]]) -> None:
    why = _number_problem(path, value)
    if why:
        found.append((path, why))


def _walk_dict(
    parts: tuple[str, ...], value: dict[str, Any], found: list[tuple[str, str]], seen: SeenValues | None
) -> None:
    if seen is None:
        _walk_object(parts, value, found, None)
    else:
        found.extend(seen.problems(parts, value))


def _walk_list(
    parts: tuple[str, ...], value: list[Any], found: list[tuple[str, str]], seen: SeenValues | None
) -> None:
    for index, child in enumerate(value):
        if not isinstance(child, str):  # a string in a list is never a price, a date or a count
            _walk((*parts, str(index)), child, found, seen)


def _walk_object(
    parts: tuple[str, ...], value: dict[str, Any], found: list[tuple[str, str]], seen: SeenValues | None
) -> None:
    last = parts[-1]
    if last in _NOT_VALUES:
        return
    if last == "conflicts":  # field path -> {source: value}: each value is bound as its field
        for field, values in value.items():
            for item in values.values() if isinstance(values, dict) else ():
                _walk(tuple(field.split(".")), item, found, seen)
        return
    strings_checked = last in _PRICE_OBJECTS or "lifecycle" in parts
    for key, child in value.items():
        kind = type(child)
        if child is None or kind is bool or (kind is str and not strings_checked and key != "lifecycle"):
            continue
        # (objects, arrays and integers as _walk would, without its call each; provenance and links
        # hold no values)
        if kind is dict:
            if key not in _NOT_VALUES:
                _walk_dict((*parts, key), child, found, seen)
        elif kind is list:
            _walk_list((*parts, key), child, found, seen)
        elif kind is int:
            _walk_number(f"{'.'.join(parts)}.{key}", child, found)
        else:
            _walk((*parts, key), child, found, seen)


class SeenValues:
    """The problems of the objects a check of records met already, by identity and path: the parser
    makes equal flat objects of a document one object (a price sheet, capabilities, a lifecycle), so
    100k records hold a few thousand of each, and each is walked once. Valid only while every object
    met is alive and unchanged: one per document checked."""

    def __init__(self) -> None:
        self._found: dict[tuple[int, tuple[str, ...]], list[tuple[str, str]]] = {}

    def problems(self, parts: tuple[str, ...], value: dict[str, Any]) -> list[tuple[str, str]]:
        key = (id(value), parts)
        found = self._found.get(key)
        if found is None:
            found = self._found[key] = []
            _walk_object(parts, value, found, self)
        return found


def record_problems(record: Mapping[str, Any], seen: SeenValues | None = None) -> Iterator[tuple[str, str]]:
    """(dotted path, why) for the id and every value of a stored record outside the bounds
    (``validate``): the door's rules but the id's path rules (kept at the door; the build copes).
    ``seen``: the objects met in earlier records of the same document (:class:`SeenValues`)."""
    extension = record.get("modelatlas")
    upstream = extension.get("upstream_id") if isinstance(extension, Mapping) else None
    if upstream is not None and (why := id_problem(upstream, at_the_door=False)):
        yield "modelatlas.upstream_id", why
    found: list[tuple[str, str]] = []
    for key, value in record.items():
        kind = type(value)
        plain_text = kind is str and "." not in key and key != "lifecycle"  # a dotted key is a path
        if key == "id" or value is None or kind is bool or plain_text:
            continue  # (a name, a description: as the walk passes them over)
        if key == "modelatlas" and kind is dict:  # the record's own: never met before
            _walk_object((key,), value, found, seen)
        else:
            _walk(tuple(key.split(".")), value, found, seen)
    yield from found
