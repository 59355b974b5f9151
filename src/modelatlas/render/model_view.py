"""A model page's content: every field of the record in readable form with the source of each value,
and the model's change history.

Field rows come from walking the record's leaves (dotted paths; arrays and ``default_parameters`` are
leaves), so a field added to the schema later still shows up. Prices are shown as published (USD per
token, request, image, character or second) and, for token prices, also per 1M tokens.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from typing import Any

from modelatlas.jsonio import dumps_compact
from modelatlas.prices import format_price, per_million
from modelatlas.record import Record, leaves
from modelatlas.render.site_index import money

HIDDEN = {"id", "description", "modelatlas.provider", "modelatlas.upstream_id"}
HIDDEN_PREFIXES = ("modelatlas.provenance", "modelatlas.links")
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
            "modelatlas.context_tiers",
            "modelatlas.pricing_variants",
            "modelatlas.not_billed",
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
PER_TOKEN = {
    "prompt",
    "completion",
    "internal_reasoning",
    "input_cache_read",
    "input_cache_write",
    "input_audio_token",
    "output_audio_token",
    "input_cache_write_1h",
    "input_image_token",
    "output_image_token",
}
UNIT_OF = {
    "request": "request",
    "image": "image",
    "web_search": "web search",
    "output_image": "image",
    "input_character": "character",
    "output_character": "character",
    "input_second": "second",
    "output_second": "second",
    "input_minute": "minute",
    "output_minute": "minute",
    "input_hour": "hour",
    "query": "rerank query",
}
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
# A source that is no catalog: a rule the provider states, or the same model at another id.
SOURCE_PREFIX_LABELS = {"rule:": "the provider's rule ", "derived:": "from "}



def label_of(path: str) -> str:
    last = path.removeprefix("modelatlas.").replace("extra_pricing.", "").replace("_", " ")
    return last.replace(".", " › ")


def _sheet_text(sheet: dict[str, Any]) -> str:
    """The prices of a variant or tier: ``prompt $1.38 per 1M tokens ($…), …``."""
    parts = [
        f"{key.replace('_', ' ')} {format_value(prefix + key, price)}"
        for block, prefix in (("pricing", "pricing."), ("extra_pricing", "modelatlas.extra_pricing."))
        for key, price in sorted(sheet.get(block, {}).items())
    ]
    return ", ".join(parts)


def tiers_text(tiers: list[dict[str, Any]]) -> str:
    """Long-context tiers: ``above 200,000 input tokens, the whole request: prompt … (LiteLLM)``."""
    return "; ".join(
        f"above {tier.get('above_input_tokens', 0):,} input tokens, the whole request: {_sheet_text(tier)} "
        f"({source_label(str(tier.get('source', '')))})"
        for tier in tiers
    )


def variants_text(variants: list[dict[str, Any]]) -> str:
    """Region and tier prices, one clause each: ``eu · batch: prompt $1.38 per 1M tokens (LiteLLM)``."""
    clauses = []
    for variant in variants:
        where = " · ".join(str(variant[k]) for k in ("region", "tier") if k in variant) or "standard"
        clause = f"{where}: {_sheet_text(variant)} ({source_label(str(variant.get('source', '')))})"
        if variant.get("context_tiers"):
            clause += f", {tiers_text(variant['context_tiers'])}"
        clauses.append(clause)
    return "; ".join(clauses)


def fields_text(paths: list[str]) -> str:
    """Field paths in words: ``completion, input cache write``."""
    return ", ".join(label_of(path.removeprefix("pricing.")) for path in paths)


def format_value(path: str, value: Any) -> str:
    """A readable form of one leaf value (plain text; the template escapes it)."""
    last = path.rsplit(".", 1)[-1]
    if path == "modelatlas.pricing_variants" and isinstance(value, list):
        return variants_text(value)
    if path == "modelatlas.context_tiers" and isinstance(value, list):
        return tiers_text(value)
    if path == "modelatlas.not_billed" and isinstance(value, list):
        return f"{fields_text(value)} (does not apply to this model: not billed, not free)"
    if path == "modelatlas.disputed" and isinstance(value, list):
        return f"{fields_text(value)} (the sources disagree and no evidence settled it; every side is below)"
    if path.startswith(CONFLICT_PREFIX) and isinstance(value, dict):
        return "; ".join(f"{SOURCE_LABELS.get(source, source)}: {value[source]}" for source in sorted(value))
    if path.startswith(("pricing.", "modelatlas.extra_pricing.")) and isinstance(value, str):
        if last in PER_TOKEN:
            return f"{money(format_price(per_million(value)))} per 1M tokens (${value} per token)"
        unit = UNIT_OF.get(last, "unit")
        return "free" if value == "0" else f"${value} per {unit}"
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


def field_sections(record: Record) -> list[dict[str, Any]]:
    """Sections of rows {path, label, value, source} covering every shown leaf of the record."""
    provenance = record.get("modelatlas", {}).get("provenance", {})
    grouped: dict[int, list[dict[str, str]]] = {}
    rows = leaves(record, leaf_under=(CONFLICT_PREFIX,))
    for path, value in sorted(rows, key=lambda leaf: (_place_of(leaf[0]), leaf[0])):
        if path in HIDDEN or path.startswith(HIDDEN_PREFIXES):
            continue
        source = provenance.get(path, "")
        grouped.setdefault(_place_of(path)[0], []).append(
            {
                "path": path,
                "label": label_of(path),
                "value": format_value(path, value),
                "source": source_label(source),
            }
        )
    titles = [title for title, _ in SECTIONS] + ["Other"]
    return [{"title": titles[i], "rows": grouped[i]} for i in sorted(grouped)]


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
