"""What docs/pricing.md promises of every listed record, beyond what the schema can say.

- no per-token price above $1,000 per 1M tokens, in the standard prices, a variant or a tier;
- no output price, and no output limit, on a model without output tokens (embedding, rerank,
  moderation);
- no ``"0"`` beside a positive token price unless the provider states it (its list, a curated fact,
  a rule it states): a catalog's zero there is a placeholder, not free;
- no pair of token prices that no source publishes: where two token prices come from different
  catalogs, the one source must not state the other price differently (``modelatlas.conflicts``);
- a field listed in ``modelatlas.not_billed`` is absent, from the variants and tiers too;
- the input and output limits are no larger than the window.

A record ``removed`` from its provider's list is history and is not checked.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Any

from modelatlas.fetch.price_contract import TOKEN_PRICES, authoritative
from modelatlas.fetch.price_sets import TOKEN_CEILING
from modelatlas.fetch.record_prices import NO_OUTPUT_MODES
from modelatlas.prices import to_decimal
from modelatlas.record import ABSENT, get_path

PAIRED = ("pricing.prompt", "pricing.completion", "pricing.input_cache_read", "pricing.input_cache_write")
NO_OUTPUT_FIELDS = ("pricing.completion", "pricing.internal_reasoning")


def _sheets(record: dict[str, Any]) -> Iterator[tuple[str, Any, Any, str | None]]:
    """(JSON pointer of the sheet, its ``pricing``, its ``extra_pricing``, the sheet's own source) of
    every sheet: the record's standard prices first."""
    extension = record["modelatlas"]
    yield "", record.get("pricing"), extension.get("extra_pricing"), None
    for i, tier in enumerate(extension.get("context_tiers") or []):
        yield (f"/modelatlas/context_tiers/{i}", *_sheet_of(tier))
    for i, variant in enumerate(extension.get("pricing_variants") or []):
        sheet = f"/modelatlas/pricing_variants/{i}"
        yield (sheet, *_sheet_of(variant))
        for j, tier in enumerate(variant.get("context_tiers") or []):
            yield (f"{sheet}/context_tiers/{j}", *_sheet_of(tier))


def _sheet_of(entry: dict[str, Any]) -> tuple[Any, Any, str | None]:
    """A tier's or variant's ``pricing``, ``extra_pricing`` and source."""
    return entry.get("pricing"), entry.get("extra_pricing"), entry.get("source")


def _prices(pricing: Any, extra: Any) -> dict[str, str]:
    """A sheet's prices by record path."""
    prices = {f"pricing.{k}": v for k, v in (pricing or {}).items()}
    prices.update({f"modelatlas.extra_pricing.{k}": v for k, v in (extra or {}).items()})
    return prices


def _pointer(sheet: str, path: str) -> str:
    return sheet + "/" + path.replace(".", "/")


SheetKey = tuple[Any, ...]
Found = list[tuple[str, str]]


def record_problems(
    provider: str, record: dict[str, Any], seen: dict[SheetKey, Found] | None = None
) -> Iterator[tuple[str, str]]:
    """(JSON pointer within the record, what is wrong) for every broken promise of one record.
    ``seen``: the problems of the price sheets of a document's earlier records, by what they are
    made of (the parser makes equal price objects, and provenance maps, one object each)."""
    extension = record["modelatlas"]
    provenance = extension.get("provenance", ABSENT)
    mode = extension.get("mode")
    not_billed = frozenset(extension.get("not_billed") or ())
    for sheet, pricing, extra, source in _sheets(record):
        # Who states a price: the record's provenance for its standard prices, else the sheet's source.
        stated: SheetKey = (True, id(provenance)) if not sheet else (False, source)
        key = (id(pricing), id(extra), stated, mode, not_billed)
        found = seen.get(key) if seen is not None else None
        if found is None:
            by_path = provenance if not sheet else None
            found = _sheet_problems(provider, _prices(pricing, extra), by_path, source, mode, not_billed)
            if seen is not None:
                seen[key] = found
        for path, message in found:
            yield _pointer(sheet, path), message
    yield from _unpublished_pairs(record)
    yield from _limit_problems(record, mode in NO_OUTPUT_MODES)


def _sheet_problems(
    provider: str, prices: dict[str, str], provenance: Mapping[str, str] | None, source: str | None,
    mode: Any, not_billed: frozenset[str],
) -> Found:
    """(record path, what is wrong) of one price sheet; who states each price: ``provenance`` (the
    standard sheet's) or else the sheet's ``source``."""
    no_output = mode in NO_OUTPUT_MODES
    found: Found = []
    positive = any((to_decimal(v) or 0) > 0 for p, v in prices.items() if p in TOKEN_PRICES)
    for path, value in prices.items():
        number = to_decimal(value) or Decimal(0)
        stated_by = provenance.get(path) if provenance is not None else source
        if path in TOKEN_PRICES and number > TOKEN_CEILING:
            found.append((path, f"{value} per token is above $1,000 per 1M tokens: a price in another unit"))
        if no_output and path in NO_OUTPUT_FIELDS:
            found.append((path, f"a {mode} model has no output tokens to price"))
        if path in TOKEN_PRICES and number == 0 and positive and not authoritative(provider, stated_by):
            found.append((path, "a zero beside a positive price that only a catalog states (a placeholder)"))
        if path in not_billed:
            found.append((path, "listed in modelatlas.not_billed, so it must be absent"))
    return found


def _unpublished_pairs(record: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """Two token prices from different sources where the first source states the second price
    otherwise (unless a curated fact, the provider's list or a rule states the second)."""
    extension = record["modelatlas"]
    provenance, conflicts = extension.get("provenance", {}), extension.get("conflicts", {})
    if not conflicts:  # no source states any price otherwise
        return
    provider = extension["provider"]
    present = [p for p in PAIRED if get_path(record, p) is not None]
    for path in present:
        source = provenance.get(path)
        for other in present:
            other_source = provenance.get(other)
            stated = conflicts.get(other, {}).get(source) if source else None
            if (
                other == path
                or other_source == source
                or stated is None
                or authoritative(provider, other_source)
            ):
                continue
            if to_decimal(stated) != to_decimal(get_path(record, other)):
                yield (
                    _pointer("", other),
                    f"paired with {path} from {source}, which states {other} as {stated}",
                )


def _limit_problems(record: dict[str, Any], no_output: bool) -> Iterator[tuple[str, str]]:
    window = record.get("context_length")
    for path in ("max_input_tokens", "max_output_tokens"):
        limit = record.get(path)
        if isinstance(window, int) and isinstance(limit, int) and limit > window:
            yield f"/{path}", f"{limit} is above the context window ({window})"
    if no_output and "max_output_tokens" in record:
        yield "/max_output_tokens", f"a {record['modelatlas']['mode']} model has no output tokens"


def contract_problems(provider: str, doc: dict[str, Any]) -> Iterator[tuple[str, str, str | None]]:
    """(JSON pointer in the document, what is wrong, model id) for every listed record."""
    seen: dict[SheetKey, Found] = {}
    for index, record in enumerate(doc.get("models", [])):
        if record.get("modelatlas", {}).get("lifecycle", {}).get("status") == "removed":
            continue
        for pointer, message in record_problems(provider, record, seen):
            yield f"/models/{index}{pointer}", message, record.get("id")
