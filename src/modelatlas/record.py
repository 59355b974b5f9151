"""The model record: its type, dotted-path access, and the cleaners that turn untrusted upstream
values into schema-shaped field values.

A record is plain JSON data (``dict``); a field is named by its dotted path (``pricing.prompt``).
Cleaners return ``None`` for a value they cannot use (the field then stays absent = unknown) and
never raise on bad data. The bounds no stored value may pass are in :mod:`modelatlas.bounds`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from decimal import Decimal
from types import MappingProxyType
from typing import Any

from modelatlas.bounds import MAX_TOKENS, MAX_UNIX, calendar_date, id_problem
from modelatlas.prices import MAX_UNIT_PRICE, price_string

Record = dict[str, Any]

# Objects whose whole value is one leaf (free-form objects; provenance counts them as one field).
LEAF_OBJECTS = frozenset({"default_parameters"})
INPUT_MODALITIES = frozenset({"text", "image", "file", "audio", "video"})
OUTPUT_MODALITIES = frozenset({"text", "image", "audio", "video"})
MAX_PRICE = MAX_UNIT_PRICE  # USD per token/request/image; anything above is not a real price
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u2028\u2029]")
_DATE = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$")
_DATE_PREFIX = re.compile(r"^([0-9]{4}-[0-9]{2}(?:-[0-9]{2})?)(?:$|T)")


# What an absent object of a record (its pricing, its provenance, ...) reads as: one empty
# mapping, so a memo keyed by identity (the price contract, the search index) meets it once.
ABSENT: Mapping[str, Any] = MappingProxyType({})
CURATED = "curated"  # the provenance of a value a provider's own page states (``data/curated/``)


def repeats_its_id(record: Mapping[str, Any]) -> bool:
    """Whether a record's name only repeats its id, which names nothing the id does not, unless a
    provider's page calls the model that (a curated name: OpenAI's ``o3``)."""
    extension = record["modelatlas"]
    repeats = record.get("name") in (extension["upstream_id"], record["id"])
    return repeats and extension.get("provenance", {}).get("name") != CURATED


# --- dotted paths -------------------------------------------------------------------------------


def get_path(record: Mapping[str, Any], path: str) -> Any:
    """The value at dotted ``path``, or None when any part is missing."""
    node: Any = record
    for part in path.split("."):
        # (``type(node) is dict`` first: the ABC check alone was most of the cost of a call)
        if not (type(node) is dict or isinstance(node, Mapping)) or part not in node:
            return None
        node = node[part]
    return node


def set_path(record: dict[str, Any], path: str, value: Any) -> None:
    """Store ``value`` at dotted ``path``, creating the objects on the way."""
    parts = path.split(".")
    node = record
    for part in parts[:-1]:
        node = node.setdefault(part, {})
    node[parts[-1]] = value


def delete_path(record: dict[str, Any], path: str) -> None:
    """Remove the value at dotted ``path`` (if any) and the objects that removal leaves empty."""
    parts = path.split(".")
    parents: list[tuple[dict[str, Any], str]] = []
    node: Any = record
    for part in parts[:-1]:
        if not isinstance(node, dict) or part not in node:
            return
        parents.append((node, part))
        node = node[part]
    if isinstance(node, dict):
        node.pop(parts[-1], None)
    for parent, key in reversed(parents):
        if parent[key] == {}:
            del parent[key]


def leaves(
    value: Mapping[str, Any],
    prefix: str = "",
    skip: frozenset[str] = frozenset(),
    leaf_under: tuple[str, ...] = (),
) -> list[tuple[str, Any]]:
    """(dotted path, value) for every leaf in dict order: scalars, arrays and LEAF_OBJECTS.

    A path in ``skip`` is left out with everything below it; an object whose path starts with one
    of ``leaf_under`` is a leaf (``modelatlas.conflicts.<field>`` maps sources to values). A list,
    not a generator: every model page walks its record, and a generator per nested object cost a
    third more than the walk itself.
    """
    found: list[tuple[str, Any]] = []
    _add_leaves(value, prefix, skip, leaf_under, found)
    return found


def _add_leaves(
    value: Mapping[str, Any], prefix: str, skip: frozenset[str], leaf_under: tuple[str, ...],
    found: list[tuple[str, Any]],
) -> None:
    for key, child in value.items():
        path = prefix + key
        if path in skip:
            continue
        if isinstance(child, dict) and path not in LEAF_OBJECTS and not path.startswith(leaf_under):
            _add_leaves(child, path + ".", skip, leaf_under, found)
        else:
            found.append((path, child))


def pruned(value: Any) -> Any:
    """``value`` without None, empty strings, empty lists and empty objects, recursively."""
    if isinstance(value, dict):
        kept = {k: pruned(v) for k, v in value.items()}
        return {k: v for k, v in kept.items() if v is not None and v != {} and v != [] and v != ""}
    return value


# --- model ids ----------------------------------------------------------------------------------


def describe(value: Any, limit: int = 60) -> str:
    """A short ``repr`` of an untrusted value for a rejection reason."""
    shown = repr(value)
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


def unusable_id_reason(upstream_id: object) -> str | None:
    """Why ``upstream_id`` cannot name a model as given (None if it can); nothing is trimmed."""
    return id_problem(upstream_id)


def check_upstream_id(value: Any) -> str:
    """The trimmed upstream id of a provider API item, or ValueError with the reason it cannot be used."""
    cleaned = value.strip() if isinstance(value, str) else value
    reason = id_problem(cleaned)
    if reason is not None:
        raise ValueError(f"{reason}: {describe(cleaned)}" if isinstance(cleaned, str) and cleaned else reason)
    return cleaned


# --- numbers and dates --------------------------------------------------------------------------


def count(value: object) -> int | None:
    """A non-negative integer given as a JSON integer (tokens, seconds); JSON numbers may be Decimal."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, Decimal) and _small(value) and value == value.to_integral_value() and value >= 0:
        return int(value)
    return None


def _small(value: Decimal) -> bool:
    """Finite and below 1e18: safe for int() and arithmetic (``1e999999999`` is neither)."""
    return value.is_finite() and (not value or value.adjusted() < 18)


def as_int(value: Any) -> int | None:
    """An integer from a number or a string of digits (fractions cut off); None for anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, Decimal):
        return int(value) if _small(value) else None
    if isinstance(value, float):
        return int(value) if value == value and abs(value) < 10**18 else None
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


def date(value: object) -> str | None:
    """The ``YYYY-MM-DD`` or ``YYYY-MM`` at the start of a date or RFC 3339 string, as written
    (a day that does not exist, or a year outside 1970-2099, is noise: None)."""
    if not isinstance(value, str):
        return None
    match = _DATE_PREFIX.match(value.strip())
    return match.group(1) if match and calendar_date(match.group(1)) else None


def date_string(value: Any) -> str | None:
    """A checked ``YYYY-MM-DD`` (or ``YYYY-MM``) from a date, an RFC 3339 string or unix seconds."""
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


def price(value: Any, per: int = 1) -> str | None:
    """A USD price string per token/unit; None for unknown, negative or absurd values."""
    if isinstance(value, bool):
        return None
    result = price_string(value, per=per)
    if result is None or Decimal(result) > MAX_PRICE:
        return None
    return result


# --- text and lists -----------------------------------------------------------------------------


def text(value: object) -> str | None:
    """A string that is not blank, unchanged (catalog values, which the schema then checks); else None."""
    if isinstance(value, str) and value.strip():
        return value
    return None


def clean_text(value: Any, limit: int = 300) -> str | None:
    """A trimmed string without control characters (newlines kept), cut at ``limit``; else None."""
    if not isinstance(value, str):
        return None
    cleaned = _CONTROL.sub("", value).strip()
    if not cleaned:
        return None
    return cleaned if len(cleaned) <= limit else cleaned[: limit - 1].rstrip() + "…"


def label(value: Any, limit: int = 200) -> str | None:
    """A one-line label (a name, an owner): cleaned like :func:`clean_text`, whitespace runs collapsed."""
    cleaned = clean_text(value, limit)
    return " ".join(cleaned.split()) if cleaned else None


def json_object(value: object) -> dict[str, Any]:
    """``value`` when it is a JSON object, else an empty one (upstream shapes are untrusted)."""
    return value if isinstance(value, dict) else {}


def flag(value: object) -> bool | None:
    return value if isinstance(value, bool) else None


def string_list(values: Any, limit: int = 200) -> list[str]:
    """Distinct labels of a list, in first-seen order; non-lists give []."""
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


def modalities(values: object, allowed: frozenset[str], renames: dict[str, str] | None = None) -> list[str]:
    """Lowercased known modalities in first-seen order; unknown ones (e.g. ``embeddings``) dropped."""
    if not isinstance(values, list):
        return []
    result: list[str] = []
    for value in values:
        if not isinstance(value, str):
            continue
        name = value.strip().lower()
        name = (renames or {}).get(name, name)
        if name in allowed and name not in result:
            result.append(name)
    return result
