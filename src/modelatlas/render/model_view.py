"""A model page's content: every field of the record in readable form with the source of each value,
and the model's change history.

Field rows come from walking the record's leaves (dotted paths; arrays and ``default_parameters`` are
leaves), so a field added to the schema later still shows up. Prices are shown as published (USD per
token, request, image, character or second) and, for token prices, also per 1M tokens.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache, lru_cache
from typing import Any, NamedTuple

from modelatlas.jsonio import dumps_compact
from modelatlas.record import Record, leaves
from modelatlas.render.price_view import PRICE_LABELS, TOKEN_UNIT, display_amount, exact_money, money

HIDDEN = {"id", "description", "modelatlas.provider", "modelatlas.upstream_id"}
HIDDEN_PREFIXES = ("modelatlas.provenance", "modelatlas.links")
_NOT_WALKED = frozenset(HIDDEN_PREFIXES)  # hidden objects: their leaves are not even listed
DISTINCT_TEXTS = 8192  # labels and price texts kept made: a catalog repeats a few thousand at most
SECTIONS = (
    (
        "Identity",
        (
            "name",
            "canonical_slug",
            "owned_by",
            "hugging_face_id",
            "created",
            "modelatlas.family",
            "modelatlas.aliases",
            "modelatlas.mode",
        ),
    ),
    (
        "Limits",
        ("context_length", "max_input_tokens", "max_output_tokens", "top_provider", "per_request_limits"),
    ),
    ("Modalities", ("architecture",)),
    (
        "Prices",
        (
            "pricing",
            "modelatlas.extra_pricing",
            "modelatlas.not_billed",
            "modelatlas.context_tiers",
            "modelatlas.pricing_variants",
            "modelatlas.offering",
            "modelatlas.disputed",
        ),
    ),
    (
        "Capabilities",
        ("modelatlas.capabilities", "supported_parameters", "default_parameters", "supported_methods"),
    ),
    ("Lifecycle", ("modelatlas.lifecycle",)),
    ("Where the sources disagree", ("modelatlas.conflicts",)),
)
CONFLICT_PREFIX = "modelatlas.conflicts."  # each child is a field path whose value maps source -> value
# Shown as the price table above the fields: here only a pointer to it.
TABLED = ("modelatlas.pricing_variants", "modelatlas.context_tiers")
SOURCE_LABELS = {
    "provider_api": "provider API",
    "curated": "curated",
    "models.dev": "models.dev",
    "litellm": "LiteLLM",
    "openrouter": "OpenRouter",
    "ruby_llm": "ruby_llm",
    "portkey": "Portkey",
    "derived": "derived",
}
SECTION_TITLES = (*(title for title, _ in SECTIONS), "Other")
# A source that is no catalog: a rule the provider states, or the same model at another id.
SOURCE_PREFIX_LABELS = {"rule:": "the provider's rule ", "derived:": "from "}



@lru_cache(maxsize=DISTINCT_TEXTS)
def label_of(path: str) -> str:
    last = path.removeprefix("modelatlas.").replace("extra_pricing.", "").replace("_", " ")
    return last.replace(".", " › ")


@lru_cache(maxsize=DISTINCT_TEXTS)
def price_text(key: str, value: str) -> str:
    """``$2.50 per 1M tokens (exactly $0.0000025 per token)``, ``$0.08333 per image (exactly ...)``."""
    if value == "0" or money(value) == "free":
        return "free"
    unit = PRICE_LABELS.get(key, (key, "unit"))[1]
    shown = f"{money(display_amount(key, value))} per {unit}"
    if unit == TOKEN_UNIT:
        return f"{shown} (${value} per token)"
    exact = exact_money(value)
    return shown if money(value) == exact else f"{shown} (exactly {exact})"


def _value_text(path: str, value: Any) -> str:
    """A readable form of one leaf value (plain text; the table escapes it)."""
    last = path.rsplit(".", 1)[-1]
    if path in TABLED and isinstance(value, list):
        return f"{len(value)} in the price table above"
    if path.startswith(CONFLICT_PREFIX) and isinstance(value, dict):
        return "; ".join(f"{SOURCE_LABELS.get(source, source)}: {value[source]}" for source in sorted(value))
    if path.startswith(("pricing.", "modelatlas.extra_pricing.")) and isinstance(value, str):
        return price_text(last, value)
    if path == "created" and isinstance(value, int):
        return datetime.fromtimestamp(value, UTC).strftime("%Y-%m-%d %H:%M UTC") + f" ({value})"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, list):
        return (
            ", ".join(str(v) for v in value)
            if all(isinstance(v, str) for v in value)
            else dumps_compact(value)
        )
    if isinstance(value, dict):
        return dumps_compact(value)
    return str(value)


@cache  # a pure function of the path; the same few hundred paths repeat in every record
def _place_of(path: str) -> tuple[int, int]:
    """(section index, position of the matching prefix in that section) for ordering rows."""
    for index, (_, prefixes) in enumerate(SECTIONS):
        for position, prefix in enumerate(prefixes):
            if path == prefix or path.startswith(prefix + "."):
                return index, position
    return len(SECTIONS), 0


@lru_cache(maxsize=DISTINCT_TEXTS)
def _shown_order(paths: tuple[str, ...]) -> tuple[tuple[int, int], ...]:
    """(leaf index, section index) of each shown leaf of a record whose leaves have ``paths``, in the
    order the page lists them: records of one provider share a few such shapes."""
    shown = [(index, path) for index, path in enumerate(paths)
             if path not in HIDDEN and not path.startswith(HIDDEN_PREFIXES)]
    shown.sort(key=lambda item: (_place_of(item[1]), item[1]))
    return tuple((index, _place_of(path)[0]) for index, path in shown)


class FieldRow(NamedTuple):
    """One row of a model page's "All fields" table: the leaf's path, its label, its value as text,
    the label of its source and whether the sources dispute it."""

    path: str
    label: str
    value: str
    source: str
    disputed: bool


def field_row(path: str, value: Any, source: str, disputed: bool) -> FieldRow:
    """The row of one leaf: its path, label, value as text, the label of its source (``source``:
    as provenance records it) and whether the sources dispute it."""
    shown_source = SOURCE_LABELS.get(source, source)
    return FieldRow(path, label_of(path), _value_text(path, value), shown_source, disputed)


def shown_fields(record: Record) -> list[tuple[int, str, Any, str, bool]]:
    """(section index in :data:`SECTION_TITLES`, path, value, source, disputed) of every shown leaf
    of the record, in the order the page lists them (by section, then as :data:`SECTIONS` orders
    the fields, then by path)."""
    extension = record.get("modelatlas", {})
    source = extension.get("provenance", {}).get
    disputed = frozenset(extension.get("disputed", ()))
    rows = leaves(record, skip=_NOT_WALKED, leaf_under=(CONFLICT_PREFIX,))
    shown = []
    for index, section in _shown_order(tuple([path for path, _ in rows])):
        path, value = rows[index]
        shown.append((section, path, value, source(path, ""), path in disputed))
    return shown


@lru_cache(maxsize=DISTINCT_TEXTS)  # a few dozen sources, named in every price table and field row
def source_label(source: str) -> str:
    """``LiteLLM``, ``the provider's rule bedrock-batch-50pct``, ``from openai/o1-mini``."""
    for prefix, words in SOURCE_PREFIX_LABELS.items():
        if source.startswith(prefix):
            return words + source.removeprefix(prefix)
    return SOURCE_LABELS.get(source, source)


def change_text(value: Any) -> str:
    if value is None:
        return "—"
    return value if isinstance(value, str) else dumps_compact(value)


def change_row(entry: dict[str, Any]) -> dict[str, str]:
    """One change-log entry as display text."""
    return {
        "date": str(entry.get("date", "")),
        "field": str(entry.get("field", "")),
        "model": str(entry.get("model", "")),
        "provider": str(entry.get("provider", "")),
        "before": change_text(entry.get("before")),
        "after": change_text(entry.get("after")),
        "source": source_label(str(entry.get("source", ""))),
    }


def changes_by_model(changes: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Change-log entries grouped by model id, each group in log order (newest first, as the log is)."""
    grouped: dict[str, list[dict[str, Any]]] = {}
    for entry in changes:
        model = entry.get("model")
        if isinstance(model, str):
            grouped.setdefault(model, []).append(entry)
    return grouped
