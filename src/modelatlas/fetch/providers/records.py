"""Turning untrusted upstream values into schema-shaped model records, one record at a time.

Every provider's ``normalize`` goes through :class:`RecordSet`: a value of the wrong type, an
absurd number or a malformed date is dropped (the field stays absent = unknown); a record whose
id is unusable (not a string, empty, too long, control characters, ``..`` path segments) or
repeats an earlier id is rejected with a reason. Nothing here raises on bad data except
:class:`UpstreamShapeError`, for a body whose envelope is not the provider's at all.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from modelatlas.fetch.catalogs.record import RecordBuilder
from modelatlas.prices import price_string

Record = dict[str, Any]
Pages = list[Any]

MAX_TOKENS = 100_000_000  # no model has a 100M-token window; larger values are noise
MAX_UNIX = 4_102_444_800  # 2100-01-01
MAX_PRICE = Decimal(1000)  # USD per token/request/image; anything above is not a real price
MAX_ID = 500
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u2028\u2029]")
_ID_FORBIDDEN = re.compile(r"[\x00-\x1f\x7f\u2028\u2029\\]")
_DATE = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$")


class UpstreamShapeError(Exception):
    """The body is not shaped like this provider's list response (e.g. no ``data`` list)."""


# A page ``fetch`` appends to say which parts of the list were refused: ``{SKIPPED_PAGE: {part: reason}}``.
SKIPPED_PAGE = "modelatlas:skipped"


@dataclass
class Normalized:
    """What ``normalize`` returns: the records that passed and one reason per rejected record.

    ``skipped``: parts of the list the provider refused (part → reason, e.g. one Vertex publisher);
    the previous models whose ``owned_by`` is in ``keep_owned_by`` then keep their records instead
    of being marked removed.
    """

    records: list[Record] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)
    keep_owned_by: list[str] = field(default_factory=list)


def describe(value: Any, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def items_of(body: Any, *keys: str, allow_array: bool = True) -> list[Any]:
    """The item list of one response body: ``body[key]`` for the first key present, or the body
    itself when it is a top-level array; a ``null`` list means no items."""
    if isinstance(body, list) and allow_array:
        return body
    if not isinstance(body, dict):
        raise UpstreamShapeError(f"expected a JSON object with {'/'.join(keys)}, got {type(body).__name__}")
    for key in keys:
        if key in body:
            value = body[key]
            if value is None:
                return []
            if not isinstance(value, list):
                raise UpstreamShapeError(f"'{key}' is a {type(value).__name__}, not a list")
            return value
    raise UpstreamShapeError(f"response has no '{'/'.join(keys)}' list")


def as_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, Decimal | float):
        try:
            return int(value) if value == value and abs(value) < 10**18 else None
        except (ValueError, OverflowError):
            return None
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        return int(value.strip()) if len(value.strip()) < 19 else None
    return None


def tokens(value: Any) -> int | None:
    """A token count in (0, 100M], else None."""
    number = as_int(value)
    return number if number is not None and 0 < number <= MAX_TOKENS else None


def unix_seconds(value: Any) -> int | None:
    """Unix seconds after 1970 and before 2100 (``0`` is a placeholder for unknown)."""
    if isinstance(value, str):
        return None
    number = as_int(value)
    return number if number is not None and 0 < number <= MAX_UNIX else None


def parse_datetime(value: Any) -> datetime | None:
    if not isinstance(value, str) or not 10 <= len(value) <= 40:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def unix_from_text(value: Any) -> int | None:
    parsed = parse_datetime(value)
    return unix_seconds(int(parsed.timestamp())) if parsed else None


def date_string(value: Any) -> str | None:
    """``YYYY-MM-DD`` (or ``YYYY-MM``) from a date, an RFC 3339 string or unix seconds."""
    if isinstance(value, str):
        match = _DATE.match(value.strip())
        if match:
            year, month, day = match.groups()
            try:
                datetime(int(year), int(month), int(day or 1))
            except ValueError:
                return None
            return value.strip() if 1970 < int(year) < 2100 else None
        parsed = parse_datetime(value)
        return parsed.astimezone(UTC).strftime("%Y-%m-%d") if parsed and 1970 < parsed.year < 2100 else None
    seconds = unix_seconds(value)
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%d") if seconds else None


def text(value: Any, limit: int = 300) -> str | None:
    """A trimmed string without control characters (newlines kept), cut at ``limit``; else None."""
    if not isinstance(value, str):
        return None
    cleaned = _CONTROL.sub("", value).strip()
    if not cleaned:
        return None
    return cleaned if len(cleaned) <= limit else cleaned[: limit - 1].rstrip() + "…"


def label(value: Any, limit: int = 200) -> str | None:
    """A one-line label (a name, an owner): whitespace runs collapsed."""
    cleaned = text(value, limit)
    return " ".join(cleaned.split()) if cleaned else None


def price(value: Any, per: int = 1) -> str | None:
    """A USD price string per token/unit; None for unknown, negative or absurd values."""
    if isinstance(value, bool):
        return None
    result = price_string(value, per=per)
    if result is None or Decimal(result) > MAX_PRICE:
        return None
    return result


def string_list(values: Any, limit: int = 200) -> list[str]:
    if not isinstance(values, list):
        return []
    seen: dict[str, None] = {}
    for item in values[:limit]:
        cleaned = label(item, 120)
        if cleaned:
            seen.setdefault(cleaned, None)
    return list(seen)


def mapped(values: Iterable[Any], mapping: Mapping[str, str | None]) -> list[str]:
    """Map (case-insensitively) each known value; unknown values and ``None`` targets are dropped."""
    result: dict[str, None] = {}
    for value in values:
        if isinstance(value, str):
            target = mapping.get(value.strip().lower())
            if target:
                result.setdefault(target, None)
    return list(result)


def check_upstream_id(value: Any) -> str:
    """The upstream id, or ValueError with the reason it cannot be used."""
    if not isinstance(value, str):
        raise ValueError(f"id is a {type(value).__name__}, not a string")
    cleaned = value.strip()
    if not cleaned:
        raise ValueError("id is empty")
    if len(cleaned) > MAX_ID:
        raise ValueError(f"id is longer than {MAX_ID} characters")
    if _ID_FORBIDDEN.search(cleaned) or any(c.isspace() and c != " " for c in cleaned):
        raise ValueError(f"id {describe(cleaned)} contains control characters or backslashes")
    if cleaned.startswith("/") or any(part in {".", ".."} for part in cleaned.split("/")):
        raise ValueError(f"id {describe(cleaned)} has a path segment '.', '..' or a leading '/'")
    return cleaned


def _pruned(value: Any) -> Any:
    """Drop None, empty strings, empty lists and empty objects, recursively."""
    if isinstance(value, dict):
        kept = {k: _pruned(v) for k, v in value.items()}
        return {k: v for k, v in kept.items() if v is not None and v != {} and v != [] and v != ""}
    return value


_LEAF_OBJECTS = {"default_parameters"}


def _leaves(fields: Mapping[str, Any], prefix: str = "") -> Iterable[tuple[str, Any]]:
    for key, value in fields.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict) and key not in _LEAF_OBJECTS:
            yield from _leaves(value, path + ".")
        else:
            yield path, value


class RecordSet:
    """Collects one provider's records: validated ids, no duplicates, provenance ``provider_api``.

    Each record is built with the catalogs' :class:`~modelatlas.fetch.catalogs.record.RecordBuilder`, so
    a value the schema still refuses is dropped (and counted) instead of losing the model.
    """

    def __init__(self, provider: str) -> None:
        self.provider = provider
        self._records: dict[str, Record] = {}
        self._rejected: list[str] = []
        self.dropped: Counter[str] = Counter()

    def reject(self, reason: str) -> None:
        self._rejected.append(reason)

    def add(
        self,
        raw_id: Any,
        fields: Mapping[str, Any],
        extension: Mapping[str, Any] | None = None,
        *,
        position: int | None = None,
    ) -> None:
        where = f"item {position}" if position is not None else "item"
        try:
            upstream = check_upstream_id(raw_id)
        except ValueError as exc:
            self.reject(f"{where}: {exc}")
            return
        if upstream in self._records:
            self.reject(f"{where}: duplicate id {describe(upstream)} (the first occurrence is kept)")
            return
        builder = RecordBuilder(self.provider, upstream, "provider_api")
        for path, value in _leaves(_pruned(dict(fields))):
            builder.set(path, value)
        for path, value in _leaves(_pruned(dict(extension or {})), "modelatlas."):
            builder.set(path, value)
        record = builder.build(self.dropped)
        if record is None:
            self.reject(f"{where}: {describe(upstream)} does not fit the model schema")
            return
        self._records[upstream] = record

    def result(self) -> Normalized:
        rejected = list(self._rejected)
        rejected += [f"{n} x {reason}" for reason, n in sorted(self.dropped.items())]
        return Normalized(records=sorted(self._records.values(), key=lambda r: r["id"]), rejected=rejected)


def each_object(items: list[Any], records: RecordSet) -> Iterable[tuple[int, dict[str, Any]]]:
    """Yield (position, item) for the items that are JSON objects; reject the others."""
    for position, item in enumerate(items):
        if isinstance(item, dict):
            yield position, item
        else:
            records.reject(f"item {position}: a {type(item).__name__}, not an object")
