"""Apply the pricing rules each provider states (``Provider.price_rules``) to its merged records.

A rule outranks every catalog and every inference (siblings, agreement, reliability), but not a
curated fact or the provider's own list: a field whose provenance is one of those is never changed.
A value a rule sets has provenance ``rule:<id>``; where the sources said something else, both sides
stay in ``modelatlas.conflicts`` and the dispute counts as settled by the rule (``status.disputes``).
A record's sheets are its standard prices, its long-context tiers and its pricing variants; entries a
rule makes (a tier, a batch variant) carry ``source: rule:<id>``, and a multiplier rule completes
those and the standard prices, never a catalog's own entry.

Effects run in this order, so each builds on the last: a regional premium (copied from the global
profile, already finished), no tier, a long-context tier, multipliers, scaled variants.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from modelatlas.fetch.policy import agree, own_list
from modelatlas.fetch.price_sets import TIERS_PATH
from modelatlas.fetch.providers import registry
from modelatlas.fetch.providers.price_rules import (
    FlatContext,
    LongContext,
    Multiplier,
    PriceRule,
    RegionalPremium,
    ScaledVariant,
)
from modelatlas.fetch.record_prices import NOT_TEXT_MODES, mode_of
from modelatlas.fetch.settlement import Settlements, rule_step
from modelatlas.fetch.siblings import model_name
from modelatlas.prices import format_price
from modelatlas.record import Record, get_path, set_path

VARIANTS_PATH = "modelatlas.pricing_variants"
PRICING, EXTRA = "pricing.", "modelatlas.extra_pricing."
_ORDER = (RegionalPremium, FlatContext, LongContext, Multiplier, ScaledVariant)


def times(value: str, factor: Decimal) -> str:
    return format_price(Decimal(value) * factor)


def sheet_get(sheet: Mapping[str, Any], path: str) -> str | None:
    """A price of a tier or variant entry by its record path (``pricing.prompt``)."""
    if path.startswith(PRICING):
        return (sheet.get("pricing") or {}).get(path.removeprefix(PRICING))
    return (sheet.get("extra_pricing") or {}).get(path.removeprefix(EXTRA))


def sheet_set(sheet: dict[str, Any], path: str, value: str) -> None:
    if path.startswith(PRICING):
        sheet.setdefault("pricing", {})[path.removeprefix(PRICING)] = value
    else:
        sheet.setdefault("extra_pricing", {})[path.removeprefix(EXTRA)] = value


def standard_sheet(record: Record) -> dict[str, Any]:
    """The standard prices as a sheet (``pricing`` and ``extra_pricing``), copied."""
    sheet = {"pricing": dict(record.get("pricing") or {})}
    extra = record.get("modelatlas", {}).get("extra_pricing")
    if extra:
        sheet["extra_pricing"] = dict(extra)
    return sheet


def scaled_sheet(sheet: Mapping[str, Any], factors: Mapping[str, Decimal]) -> dict[str, Any]:
    """The fields of ``factors`` that ``sheet`` has, each times its factor."""
    result: dict[str, Any] = {}
    for path, factor in factors.items():
        value = sheet_get(sheet, path)
        if value is not None:
            sheet_set(result, path, times(value, factor))
    return result


class RuleRun:
    """Applying one provider's rules to one record."""

    def __init__(self, record: Record, settlements: Settlements, by_id: Mapping[str, Record]) -> None:
        self.record = record
        self.extension = record["modelatlas"]
        self.settlements = settlements
        self.by_id = by_id
        provider = self.extension["provider"]
        self.protected = {"curated"} | own_list(provider)

    def set_standard(self, rule: PriceRule, path: str, value: str) -> None:
        """Set one standard price (unless a curated fact or the provider's list stated it)."""
        provenance = self.extension["provenance"]
        if provenance.get(path) in self.protected:
            return
        before, source = get_path(self.record, path), provenance.get(path, "derived")
        step = rule_step(rule.id)
        set_path(self.record, path, value)
        provenance[path] = step
        if before is not None and not agree(path, before, value):
            side = self.extension.setdefault("conflicts", {}).setdefault(path, {})
            side.setdefault(source, before)
            side[step] = value
            self.settlements.settle(self.record["id"], path, step)
        self.settlements.overrule(self.record["id"], path, step)

    def tiers(self) -> list[dict[str, Any]]:
        return self.extension.get("context_tiers") or []

    def variants(self) -> list[dict[str, Any]]:
        return self.extension.get("pricing_variants") or []

    def rule_sheets(self) -> list[dict[str, Any]]:
        """Tier and variant entries a rule made (the ones a multiplier completes)."""
        made = [t for t in self.tiers() if str(t.get("source", "")).startswith("rule:")]
        for variant in self.variants():
            if str(variant.get("source", "")).startswith("rule:"):
                made.append(variant)
                made += variant.get("context_tiers") or []
        return made

    def replace_tiers(self, tiers: list[dict[str, Any]], source: str) -> None:
        provenance = self.extension["provenance"]
        if provenance.get(TIERS_PATH) in self.protected:
            return
        if tiers:
            self.extension["context_tiers"] = tiers
            provenance[TIERS_PATH] = source
        else:
            self.extension.pop("context_tiers", None)
            provenance.pop(TIERS_PATH, None)

    def put_variant(self, entry: dict[str, Any]) -> None:
        """Replace every source's entry for the entry's region and tier by this one."""
        where = (entry.get("region"), entry.get("tier"))
        kept = [v for v in self.variants() if (v.get("region"), v.get("tier")) != where]
        ordered = sorted([*kept, entry], key=lambda v: (v.get("region") or "", v.get("tier") or ""))
        self.extension["pricing_variants"] = ordered
        self.extension["provenance"][VARIANTS_PATH] = "derived" if kept else entry["source"]

    # -- effects --------------------------------------------------------------------------------

    def regional_premium(self, rule: PriceRule, effect: RegionalPremium) -> None:
        upstream = self.extension["upstream_id"]
        head, dot, rest = upstream.partition(".")
        if dot and head == effect.global_profile:
            return
        in_region = not (dot and head in effect.geographies)
        base = self.by_id.get(f"{effect.global_profile}.{upstream if in_region else rest}")
        if base is None:
            return
        step = rule_step(rule.id)
        factor = {p: effect.factor for p in _token_paths(standard_sheet(base))}
        for path, value in _paths_values(scaled_sheet(standard_sheet(base), factor)).items():
            self.set_standard(rule, path, value)
        base_tiers = base["modelatlas"].get("context_tiers") or []
        if base_tiers:
            self.replace_tiers([_scaled_tier(t, effect.factor, step) for t in base_tiers], step)
        for variant in base["modelatlas"].get("pricing_variants") or []:
            if "region" not in variant:
                self.put_variant(_scaled_entry(variant, effect.factor, step))

    def flat_context(self, rule: PriceRule) -> None:
        self.replace_tiers([], rule_step(rule.id))

    def long_context(self, rule: PriceRule, effect: LongContext) -> None:
        step = rule_step(rule.id)
        prices = scaled_sheet(standard_sheet(self.record), effect.factors)
        if not prices:
            return
        tier = {
            "above_input_tokens": effect.above_input_tokens,
            "billing": "whole_request",
            **prices,
            "source": step,
        }
        self.replace_tiers([tier], step)

    def multiplier(self, rule: PriceRule, effect: Multiplier) -> None:
        base = get_path(self.record, effect.of)
        if isinstance(base, str):
            self.set_standard(rule, effect.field, times(base, effect.factor))
        for sheet in self.rule_sheets():
            value = sheet_get(sheet, effect.of)
            if value is not None:
                sheet_set(sheet, effect.field, times(value, effect.factor))

    def scaled_variant(self, rule: PriceRule, effect: ScaledVariant) -> None:
        where = (effect.region, effect.tier)
        listed = any((v.get("region"), v.get("tier")) == where for v in self.variants())
        if effect.only_where_listed and not listed:
            return
        step = rule_step(rule.id)
        entry = scaled_sheet(standard_sheet(self.record), effect.factors)
        if "pricing" not in entry:
            return
        entry.update({k: v for k, v in (("region", effect.region), ("tier", effect.tier)) if v})
        tiers = [_tier(t, effect.factors, step) for t in self.tiers()]
        if tiers:
            entry["context_tiers"] = tiers
        entry["source"] = step
        self.put_variant(entry)

    def apply(self, rule: PriceRule) -> None:
        effect = rule.effect
        if isinstance(effect, RegionalPremium):
            self.regional_premium(rule, effect)
        elif isinstance(effect, FlatContext):
            self.flat_context(rule)
        elif isinstance(effect, LongContext):
            self.long_context(rule, effect)
        elif isinstance(effect, Multiplier):
            self.multiplier(rule, effect)
        elif isinstance(effect, ScaledVariant):
            self.scaled_variant(rule, effect)


def _token_paths(sheet: Mapping[str, Any]) -> list[str]:
    paths = [PRICING + k for k in sheet.get("pricing", {}) if k not in ("request", "image", "web_search")]
    return paths + [EXTRA + k for k in sheet.get("extra_pricing", {}) if k == "input_cache_write_1h"]


def _paths_values(sheet: Mapping[str, Any]) -> dict[str, str]:
    values = {PRICING + k: v for k, v in sheet.get("pricing", {}).items()}
    values.update({EXTRA + k: v for k, v in sheet.get("extra_pricing", {}).items()})
    return values


def _tier(tier: Mapping[str, Any], factors: Mapping[str, Decimal], source: str) -> dict[str, Any]:
    scaled = scaled_sheet(tier, factors)
    return {
        "above_input_tokens": tier["above_input_tokens"],
        "billing": tier["billing"],
        **scaled,
        "source": source,
    }


def _scaled_tier(tier: Mapping[str, Any], factor: Decimal, source: str) -> dict[str, Any]:
    return _tier(tier, dict.fromkeys(_paths_values(tier), factor), source)


def _scaled_entry(variant: Mapping[str, Any], factor: Decimal, source: str) -> dict[str, Any]:
    entry = scaled_sheet(variant, dict.fromkeys(_token_paths(variant), factor))
    entry.update({k: variant[k] for k in ("region", "tier") if k in variant})
    tiers = [_scaled_tier(t, factor, source) for t in variant.get("context_tiers") or []]
    if tiers:
        entry["context_tiers"] = tiers
    entry["source"] = source
    return entry


def _covered(rule: PriceRule, name: str, record: Record) -> bool:
    if rule.text_models_only and mode_of(record) in NOT_TEXT_MODES:
        return False
    return rule.covers(name)


def apply_price_rules(provider: str, records: list[Record], settlements: Settlements) -> None:
    """Every rule of ``provider`` on every record it covers (global profiles first: the regional
    premium copies their finished prices)."""
    rules = registry.declared(provider).price_rules
    if not rules:
        return
    by_id = {r["modelatlas"]["upstream_id"]: r for r in records}
    bases = tuple(r.effect.global_profile + "." for r in rules if isinstance(r.effect, RegionalPremium))

    def is_base(record: Record) -> bool:
        return bool(bases) and str(record["modelatlas"]["upstream_id"]).startswith(bases)

    for record in sorted(records, key=lambda r: (not is_base(r), r["id"])):
        if record["modelatlas"].get("lifecycle", {}).get("status") == "removed":
            continue
        _vendor, name = model_name(provider, record["modelatlas"]["upstream_id"])
        run = RuleRun(record, settlements, by_id)
        for kind in _ORDER:
            for rule in rules:
                if isinstance(rule.effect, kind) and _covered(rule, name, record):
                    run.apply(rule)
        _tidy(record)


def _tidy(record: Record) -> None:
    extension = record["modelatlas"]
    if extension.get("conflicts"):
        extension["conflicts"] = {
            p: dict(sorted(v.items())) for p, v in sorted(extension["conflicts"].items())
        }
    if extension.get("extra_pricing"):
        extension["extra_pricing"] = dict(sorted(extension["extra_pricing"].items()))
    if record.get("pricing"):
        record["pricing"] = dict(sorted(record["pricing"].items()))
    for entry in [*extension.get("context_tiers", []), *extension.get("pricing_variants", [])]:
        for key in ("pricing", "extra_pricing"):
            if key in entry:
                entry[key] = dict(sorted(entry[key].items()))
