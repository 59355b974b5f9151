"""The last step of a provider's prices and limits: what docs/pricing.md promises holds.

After the merge, the curated facts and the provider's rules, each listed record gets:

- no field its ``modelatlas.not_billed`` lists (in its prices, variants and tiers), unless a curated
  fact states a price for it (then the fact wins and the field is no longer listed);
- no ``"0"`` beside a positive price (of any unit) that only a catalog states (a placeholder, not
  free: LiteLLM's spec writes 0 for every cost it does not know); a zero from the provider's own
  list, a curated fact or a rule stands;
- no per-token price above $1,000 per 1M tokens in any sheet (another unit in a token field);
- no output limit on a model without output tokens, and no input limit above the window;
- no price 8x away from every sibling's (the same model elsewhere) unless a fact, the provider's
  list or a rule states it: such a value cannot stand, it is left out and the field is disputed;
- ``modelatlas.disputed``: the fields no step of the evidence order settled.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from modelatlas.fetch.policy import own_list
from modelatlas.fetch.price_sets import TOKEN_CEILING
from modelatlas.fetch.providers import registry
from modelatlas.fetch.record_prices import NO_OUTPUT_MODES, NOT_BILLED_PATH, mode_of
from modelatlas.fetch.settlement import Settlements, Step
from modelatlas.fetch.siblings import SiblingIndex, check_siblings
from modelatlas.prices import to_decimal
from modelatlas.record import Record, delete_path, get_path

PRICING, EXTRA = "pricing.", "modelatlas.extra_pricing."
TOKEN_PRICES = frozenset(
    {
        "pricing.prompt",
        "pricing.completion",
        "pricing.internal_reasoning",
        "pricing.input_cache_read",
        "pricing.input_cache_write",
        "modelatlas.extra_pricing.input_cache_write_1h",
        "modelatlas.extra_pricing.input_audio_token",
        "modelatlas.extra_pricing.output_audio_token",
        "modelatlas.extra_pricing.input_image_token",
        "modelatlas.extra_pricing.output_image_token",
    }
)
DISPUTED_PATH = "modelatlas.disputed"
OUTPUT_LIMITS = ("max_output_tokens", "top_provider.max_completion_tokens")


def authoritative(provider: str, source: str | None) -> bool:
    """A source whose zero is a price: a curated fact, the provider's own list, a stated rule."""
    return source is not None and (
        source == "curated" or source in own_list(provider) or source.startswith("rule:")
    )


def _drop(record: Record, path: str) -> None:
    delete_path(record, path)
    record["modelatlas"]["provenance"].pop(path, None)


def _entries(record: Record) -> list[dict[str, Any]]:
    """Every tier and variant entry (and each variant's tiers)."""
    extension = record["modelatlas"]
    entries = list(extension.get("context_tiers") or [])
    for variant in extension.get("pricing_variants") or []:
        entries.append(variant)
        entries += variant.get("context_tiers") or []
    return entries


def _entry_prices(entry: dict[str, Any]) -> Iterable[tuple[str, dict[str, Any], str]]:
    for key, prefix in (("pricing", PRICING), ("extra_pricing", EXTRA)):
        block = entry.get(key) or {}
        for name in list(block):
            yield prefix + name, block, name


def _standard_prices(record: Record) -> dict[str, str]:
    prices = {PRICING + k: v for k, v in (record.get("pricing") or {}).items()}
    prices.update({EXTRA + k: v for k, v in (record["modelatlas"].get("extra_pricing") or {}).items()})
    return prices


def apply_not_billed(record: Record) -> None:
    extension = record["modelatlas"]
    listed = extension.get("not_billed") or []
    stated = {p for p in listed if extension["provenance"].get(p) == "curated"}
    remaining = [p for p in listed if p not in stated]
    for path in remaining:
        _drop(record, path)
    for entry in _entries(record):
        for path, block, name in list(_entry_prices(entry)):
            if path in remaining:
                del block[name]
    if remaining:
        extension["not_billed"] = remaining
    else:
        extension.pop("not_billed", None)
        extension["provenance"].pop(NOT_BILLED_PATH, None)


def drop_placeholders(provider: str, record: Record) -> None:
    """Zeros beside a positive price (of any unit) that only a catalog states; token prices above
    the ceiling."""
    provenance = record["modelatlas"]["provenance"]
    prices = _standard_prices(record)
    positive = any((to_decimal(v) or 0) > 0 for v in prices.values())
    for path, value in prices.items():
        number = to_decimal(value) or Decimal(0)
        if (path in TOKEN_PRICES and number > TOKEN_CEILING) or (
            number == 0 and positive and not authoritative(provider, provenance.get(path))
        ):
            _drop(record, path)
    for entry in _entries(record):
        found = list(_entry_prices(entry))
        positive = any((to_decimal(b[n]) or 0) > 0 for _p, b, n in found)
        for path, block, name in found:
            number = to_decimal(block[name]) or Decimal(0)
            if (path in TOKEN_PRICES and number > TOKEN_CEILING) or (
                number == 0 and positive and not authoritative(provider, entry.get("source"))
            ):
                del block[name]
    _drop_empty_entries(record)


def _drop_empty_entries(record: Record) -> None:
    extension = record["modelatlas"]
    for variant in extension.get("pricing_variants") or []:
        for tier in variant.get("context_tiers") or []:
            _prune(tier)
        if "context_tiers" in variant:
            variant["context_tiers"] = [t for t in variant["context_tiers"] if t.get("pricing")]
            if not variant["context_tiers"]:
                del variant["context_tiers"]
        _prune(variant)
    for key in ("pricing_variants", "context_tiers"):
        if key in extension:
            extension[key] = [e for e in extension[key] if e.get("pricing")]
            if not extension[key]:
                del extension[key]
                extension["provenance"].pop(f"modelatlas.{key}", None)
    for key in ("pricing",):
        if key in record and not record[key]:
            del record[key]
    if "extra_pricing" in extension and not extension["extra_pricing"]:
        del extension["extra_pricing"]


def _prune(entry: dict[str, Any]) -> None:
    for key in ("pricing", "extra_pricing"):
        if key in entry and not entry[key]:
            del entry[key]


def fix_limits(record: Record) -> None:
    """No output limit without output tokens; no input or output limit above the window (the window
    holds both: a larger limit is another figure in that field, such as a catalog's window copied
    into its output limit)."""
    if mode_of(record) in NO_OUTPUT_MODES:
        for path in OUTPUT_LIMITS:
            if get_path(record, path) is not None:
                _drop(record, path)
        if "top_provider" in record and not record["top_provider"]:
            del record["top_provider"]
    window = record.get("context_length")
    if not isinstance(window, int):
        return
    for path in ("max_input_tokens", "max_output_tokens"):
        limit = record.get(path)
        if isinstance(limit, int) and limit > window:
            _drop(record, path)


def mark_disputed(provider: str, record: Record, settlements: Settlements) -> None:
    extension = record["modelatlas"]
    first_party = registry.declared(provider).vendor is not None
    fields = settlements.disputed(record["id"], first_party)
    if fields:
        extension["disputed"] = fields
        extension["provenance"][DISPUTED_PATH] = "derived"


def drop_subscription_zeros(record: Record) -> None:
    """A model sold by subscription (``modelatlas.offering``) has no per-use price: a catalog's
    zeros for it are placeholders, not free."""
    if record["modelatlas"].get("offering") != "subscription":
        return
    provenance = record["modelatlas"]["provenance"]
    for path, value in _standard_prices(record).items():
        if to_decimal(value) == 0 and provenance.get(path) not in ("curated", "provider_api"):
            _drop(record, path)
    _drop_empty_entries(record)


def screen_prices(
    provider: str, records: list[Record], settlements: Settlements, siblings: SiblingIndex | None = None
) -> None:
    """Before the provider's rules derive anything from them: values that are no prices go (a
    placeholder zero, a token price above the ceiling, a sibling outlier, a field not billed)."""
    for record in _listed(records):
        drop_subscription_zeros(record)
        apply_not_billed(record)
        drop_placeholders(provider, record)
        check_siblings(provider, record, siblings, settlements, authoritative)


def finish_prices(provider: str, records: list[Record], settlements: Settlements) -> None:
    """After the rules: the contract holds on every sheet (rules add tiers and variants), the limits
    are consistent, and the fields left unsettled are listed as disputed."""
    for record in _listed(records):
        apply_not_billed(record)
        drop_placeholders(provider, record)
        fix_limits(record)
        mark_disputed(provider, record, settlements)


def _listed(records: list[Record]) -> list[Record]:
    return [r for r in records if r["modelatlas"].get("lifecycle", {}).get("status") != "removed"]


def note_curated(records: Iterable[Record], settlements: Settlements) -> None:
    """A curated fact settles the dispute on the field it sets."""
    for record in records:
        for path, source in record["modelatlas"]["provenance"].items():
            if source == "curated":
                settlements.overrule(record["id"], path, Step.CURATED)


def curated_prices(provider: str, entries: Iterable[Any], key: Any) -> Mapping[str, Mapping[str, Any]]:
    """``{model key: {price path: value}}`` of the curated entries (what the set decision must fit)."""
    found: dict[str, dict[str, Any]] = {}
    for entry in entries:
        values = {p: v for p, v in entry.values.items() if p.startswith((PRICING, EXTRA))}
        if values:
            found.setdefault(key(provider, entry.model), {}).update(values)
    return found
