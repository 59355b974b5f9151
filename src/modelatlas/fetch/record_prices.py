"""A merged record's prices: what is not billed, the token price set, long-context tiers.

Called by :func:`modelatlas.fetch.merge.merge_group` once the record's other fields are decided (the
model's mode and modalities say what cannot be billed): the fields the model is not billed for are
listed in ``modelatlas.not_billed``, then the token prices and tiers are decided as one set
(:mod:`modelatlas.fetch.price_sets`) and every dispute is logged with the step that settled it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from modelatlas.fetch.policy import own_list
from modelatlas.fetch.price_sets import SET_FIELDS, TIERS_PATH, Offer, SetEvidence, decide_set
from modelatlas.fetch.providers import registry
from modelatlas.fetch.providers.price_rules import COMPLETION, PROMPT, REASONING, NotBilled
from modelatlas.fetch.reliability import Scores, model_key
from modelatlas.fetch.settlement import Settlements
from modelatlas.fetch.siblings import SiblingIndex, model_name
from modelatlas.record import Record, get_path, set_path

NOT_BILLED_PATH = "modelatlas.not_billed"
QUERY = "modelatlas.extra_pricing.query"
# Modes that produce no output tokens (an embedding is a vector, a rerank a list of scores).
NO_OUTPUT_MODES = frozenset({"embedding", "rerank", "moderation"})
# Modes that are not text generation (a rule about chat prices does not reach them).
NOT_TEXT_MODES = NO_OUTPUT_MODES | {
    "image_generation",
    "image_edit",
    "audio_speech",
    "audio_transcription",
    "video_generation",
    "ocr",
}


@dataclass(frozen=True)
class PriceContext:
    """What deciding prices consults besides the record's own sources (all optional)."""

    scores: Scores | None = None
    siblings: SiblingIndex | None = None
    curated: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)  # match key -> {path: value}


def mode_of(record: Record) -> str | None:
    mode = get_path(record, "modelatlas.mode")
    return mode if isinstance(mode, str) else None


def kind_not_billed(record: Record) -> set[str]:
    """Fields the model's kind rules out: no output tokens for an embedding, rerank or moderation
    model, none in text on a side whose modalities have no text (speech out, audio in), and no
    per-token input for a rerank model priced per query."""
    fields: set[str] = set()
    arch = record.get("architecture") or {}
    inputs, outputs = arch.get("input_modalities"), arch.get("output_modalities")
    mode = mode_of(record)
    if mode in NO_OUTPUT_MODES or (outputs and "text" not in outputs):
        fields |= {COMPLETION, REASONING}
    if inputs and "text" not in inputs:
        fields.add(PROMPT)
    if mode == "rerank" and get_path(record, QUERY) is not None:
        fields.add(PROMPT)
    return fields


def rules_not_billed(provider: str, upstream_id: str, record: Record) -> dict[str, str]:
    """``{field: rule id}`` of the provider's :class:`NotBilled` rules covering the model."""
    _vendor, name = model_name(provider, upstream_id)
    found: dict[str, str] = {}
    for rule in registry.declared(provider).price_rules:
        if isinstance(rule.effect, NotBilled) and rule.covers(name):
            if rule.text_models_only and mode_of(record) in NOT_TEXT_MODES:
                continue
            for path in rule.effect.fields:
                found.setdefault(path, rule.id)
    return found


def mark_not_billed(record: Record, by_kind: set[str], by_rule: Mapping[str, str]) -> frozenset[str]:
    """List the fields in ``modelatlas.not_billed`` (provenance: the rule, or ``derived``)."""
    fields = sorted(set(by_kind) | set(by_rule))
    if not fields:
        return frozenset()
    extension = record["modelatlas"]
    extension["not_billed"] = fields
    rules = {by_rule[f] for f in fields if f in by_rule and f not in by_kind}
    only_rule = len(rules) == 1 and not (set(fields) & by_kind)
    extension["provenance"][NOT_BILLED_PATH] = f"rule:{rules.pop()}" if only_rule else "derived"
    return frozenset(fields)


def _offers(
    per_source: Mapping[str, Sequence[Record]],
    as_of: Callable[[str, Record], date | None],
    origin: str | None = None,
) -> list[Offer]:
    offers = []
    for source, records in per_source.items():
        values: dict[str, str] = {}
        tiers: tuple[dict[str, Any], ...] = ()
        when = None
        for record in records:
            stated = record["modelatlas"]["provenance"]
            for path in SET_FIELDS:
                value = get_path(record, path)
                if path in stated and isinstance(value, str) and path not in values:
                    values[path] = value
                    when = when or as_of(source, record)
            if not tiers and isinstance(get_path(record, TIERS_PATH), list):
                tiers = tuple(get_path(record, TIERS_PATH))
        if values or tiers:
            offers.append(Offer(source, values, when, tiers, origin))
    return offers


def decide_prices(
    merged: Record,
    per_source: Mapping[str, Sequence[Record]],
    partner: tuple[str, Mapping[str, Sequence[Record]]] | None,
    as_of: Callable[[str, Record], date | None],
    context: PriceContext,
    settlements: Settlements,
) -> None:
    """Set the record's not-billed fields, token prices, tiers and their conflicts."""
    extension = merged["modelatlas"]
    provider, upstream = extension["provider"], extension["upstream_id"]
    not_billed = mark_not_billed(
        merged, kind_not_billed(merged), rules_not_billed(provider, upstream, merged)
    )
    offers = _offers(per_source, as_of)
    exclude = {merged["id"]} | {f"{provider}/{a}" for a in extension.get("aliases", [])}
    if partner is not None:
        partner_id, partner_sources = partner
        offers += _offers(partner_sources, as_of, origin=partner_id)
        exclude.add(partner_id)
    index = context.siblings
    frozen = frozenset(exclude)

    def siblings(path: str) -> list[Any]:
        return index.prices(provider, upstream, path, frozen) if index is not None else []

    key = model_key(provider, upstream)
    curated = context.curated.get(key, {})
    evidence = SetEvidence(
        provider=provider,
        model_key=key,
        fixed={p: v for p, v in curated.items() if p in SET_FIELDS},
        own_list=own_list(provider),
        not_billed=not_billed,
        siblings=siblings,
        scores=context.scores,
    )
    decision = decide_set(offers, evidence)
    provenance = extension["provenance"]
    for path, (value, source) in decision.values.items():
        set_path(merged, path, value)
        provenance[path] = source
    if decision.tiers is not None:
        tiers, source = decision.tiers
        extension["context_tiers"] = [dict(t) for t in tiers]
        provenance[TIERS_PATH] = source
    if decision.conflicts:
        extension.setdefault("conflicts", {}).update(decision.conflicts)
    for path, step in decision.settled.items():
        settlements.settle(merged["id"], path, step, decision.spreads.get(path))
