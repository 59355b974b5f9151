"""Combine one provider's candidate records from several sources into one record per model.

1. Ids that break the provider's id grammar (:mod:`modelatlas.fetch.id_rules`) are rejected, with
   the reason kept, unless the provider's own API lists them.
2. Records join by :func:`match_key`: the wrapper prefixes the provider declares removed
   (``ModelIds.wrappers``), then the spelling key (case and separators folded). The joined record
   takes the provider's own spelling (see :func:`choose_spelling`); the other spellings go to
   ``modelatlas.aliases``.
3. Each leaf field (a dotted path in ``modelatlas.provenance``) is decided by
   :func:`modelatlas.fetch.policy.decide`; its provenance names the source chosen, and a price or
   limit the sources disagree on is kept in ``modelatlas.conflicts``. The token prices and
   long-context tiers are decided together, as one set (:mod:`modelatlas.fetch.record_prices`),
   and each dispute is logged with the step of the evidence order that settled it.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from modelatlas.fetch.id_rules import NO_GRAMMAR, IdGrammar, reject_ids
from modelatlas.fetch.modalities import complete_modalities
from modelatlas.fetch.policy import (
    SOURCE_ORDER,
    Candidate,
    decide,
    independence_group,
    is_evidence_field,
    relative_spread,
)
from modelatlas.fetch.price_sets import SET_FIELDS, TIERS_PATH
from modelatlas.fetch.providers import registry
from modelatlas.fetch.record_prices import PriceContext, decide_prices
from modelatlas.fetch.reliability import model_key
from modelatlas.fetch.settlement import Settlements
from modelatlas.fetch.siblings import partners
from modelatlas.fetch.spellings import (
    LISTED,
    Group,
    fold_list_aliases,
    listed_entry,
    match_key,
    split_listed,
    upstream_id_of,
)
from modelatlas.ids import model_id
from modelatlas.jsonio import dumps_compact
from modelatlas.record import Record, get_path, set_path
from modelatlas.record import date as parse_date

# List fields whose entries each stand alone (a region/tier price names its own source): every
# source's entries are kept, not one source's list.
UNION_FIELDS = frozenset({"modelatlas.pricing_variants", "modelatlas.aliases"})
# Decided together by record_prices, not field by field.
PRICE_SET_PATHS = frozenset({*SET_FIELDS, TIERS_PATH})


def _rank(source: str) -> int:
    return SOURCE_ORDER.index(source) if source in SOURCE_ORDER else len(SOURCE_ORDER)


def derive_modality(record: Record) -> None:
    """Fill ``architecture.modality`` (``text+image->text``) from the modality lists when absent."""
    arch = record.get("architecture", {})
    inputs, outputs = arch.get("input_modalities"), arch.get("output_modalities")
    if "modality" in arch or not inputs or not outputs:
        return
    arch["modality"] = "+".join(inputs) + "->" + "+".join(outputs)
    record["modelatlas"]["provenance"]["architecture.modality"] = "derived"


@dataclass(frozen=True)
class MergeContext:
    """What the merge needs besides the records: source dates, the provider's id grammar, the ids
    curated files name (the provider's spelling, checked on its own page), ``(source, field)``
    pairs whose values are ignored (e.g. a ``created`` that is the time of the request)."""

    dates: Mapping[str, date] = field(default_factory=dict)
    grammar: IdGrammar = NO_GRAMMAR
    pinned: frozenset[str] = frozenset()
    ignored: frozenset[tuple[str, str]] = frozenset()
    # The ids of the provider's own list when it was not fetched live (its last recorded list, the
    # catalogs that are its list): they are never folded away and are the id of their record.
    listed: frozenset[str] = frozenset()
    prices: PriceContext = field(default_factory=PriceContext)


@dataclass
class MergeResult:
    models: list[Record]
    rejected: list[dict[str, Any]]
    # record id -> the sources that list the model (under any of its spellings), in source order
    listed_by: dict[str, tuple[str, ...]] = field(default_factory=dict)
    settlements: Settlements = field(default_factory=Settlements)


def choose_spelling(
    provider: str,
    group: list[tuple[str, Record]],
    pinned: frozenset[str],
    listed: frozenset[str] = frozenset(),
) -> str:
    """The id a joined record is listed under: the provider API's, else the provider's last list's
    (``listed``), else one a curated file names, else among the spellings already in the provider's
    own form (``ModelIds.own_spellings``) the one the most independent sources use, else the
    best-ranked source's, else the first in sort order."""
    spellings = sorted({upstream_id_of(r) for _, r in group})
    api = [upstream_id_of(r) for s, r in group if s == "provider_api"]
    if api:
        return api[0]
    for chosen in (listed, pinned):
        for spelling in spellings:
            if spelling in chosen:
                return spelling
    ids = registry.declared(provider).model_ids
    own = [s for s in spellings if ids.own_form(ids.unwrapped(s)) == ids.unwrapped(s)]
    if own and len(own) < len(spellings):
        spellings = own

    def score(spelling: str) -> tuple[int, int, str]:
        users = [s for s, r in group if upstream_id_of(r) == spelling]
        groups = {independence_group(s, provider) for s in users}
        return (-len(groups), min(_rank(s) for s in users), spelling)

    return min(spellings, key=score)


def _as_of(source: str, record: Record, dates: Mapping[str, date]) -> date | None:
    """A record's own last_updated (from the same source) if earlier than its file's date, else the file's."""
    file_date = dates.get(source)
    extension = record["modelatlas"]
    own = None
    if extension["provenance"].get("modelatlas.lifecycle.last_updated") == source:
        own = parse_date(extension.get("lifecycle", {}).get("last_updated"))
    if own:
        day = date.fromisoformat(own if len(own) == 10 else f"{own}-01")
        return min(day, file_date) if file_date else day
    return file_date


def _union(lists: list[Any]) -> list[Any]:
    """The distinct entries of several lists, in a stable order (by their JSON text)."""
    entries = {dumps_compact(item): item for value in lists for item in value}
    return [copy.deepcopy(entries[key]) for key in sorted(entries)]


def _per_source(candidates: list[tuple[str, Record]], upstream_id: str) -> dict[str, list[Record]]:
    """Each source's records of the model, its records under the chosen spelling first."""
    per_source: dict[str, list[Record]] = {}
    ordered = sorted(candidates, key=lambda c: (_rank(c[0]), upstream_id_of(c[1]) != upstream_id))
    for source, record in ordered:
        per_source.setdefault(source, []).append(record)
    return per_source


def merge_group(
    provider: str,
    candidates: list[tuple[str, Record]],
    context: MergeContext,
    settlements: Settlements | None = None,
    partner: tuple[str, list[tuple[str, Record]]] | None = None,
) -> Record:
    """One record from ``(source, record)`` candidates for one model (all with the same match key).

    ``partner``: the id and candidates of the same model under its other id at this provider (an
    alias and its only dated snapshot), whose sources' prices are weighed with the record's own.
    """
    settlements = settlements if settlements is not None else Settlements()
    upstream_id = choose_spelling(provider, candidates, context.pinned, context.listed)
    per_source = _per_source(candidates, upstream_id)
    paths = sorted({p for _, r in candidates for p in r["modelatlas"]["provenance"]} - PRICE_SET_PATHS)
    merged: Record = {"id": model_id(provider, upstream_id)}
    provenance: dict[str, str] = {}
    conflicts: dict[str, dict[str, Any]] = {}
    key = model_key(provider, upstream_id)
    for path in paths:
        offers = {}  # source -> (candidate, the record it is from); a source's first record with the path
        for source, records in per_source.items():
            for record in records:
                value = get_path(record, path)
                if (source, path) in context.ignored or value is None:
                    continue
                if path in record["modelatlas"]["provenance"]:
                    offers[source] = (Candidate(source, value, _as_of(source, record, context.dates)), record)
                    break
        if not offers:
            continue
        if path in UNION_FIELDS:
            set_path(merged, path, _union([candidate.value for candidate, _ in offers.values()]))
            provenance[path] = next(iter(offers)) if len(offers) == 1 else "derived"
            continue
        candidates_of_path = [candidate for candidate, _ in offers.values()]
        decision = decide(provider, path, candidates_of_path, context.prices.scores, key)
        set_path(merged, path, copy.deepcopy(decision.value))
        provenance[path] = offers[decision.source][1]["modelatlas"]["provenance"][path]
        if decision.conflict:
            conflicts[path] = decision.conflict
        if decision.step and is_evidence_field(path):
            spread = relative_spread(list(decision.conflict.values()))
            settlements.settle(merged["id"], path, decision.step, spread)
    extension = merged.setdefault("modelatlas", {})
    extension.update({"provider": provider, "upstream_id": upstream_id, "provenance": provenance})
    aliases = sorted({upstream_id_of(r) for _, r in candidates} - {upstream_id})
    if aliases:
        extension["aliases"] = sorted(set(extension.get("aliases", [])) | set(aliases))
        provenance.setdefault("modelatlas.aliases", "derived")
    if conflicts:
        extension["conflicts"] = conflicts
    complete_modalities(merged)
    derive_modality(merged)
    pooled = None
    if partner is not None:
        partner_id, partner_candidates = partner
        pooled = (partner_id, _per_source(partner_candidates, partner_id.partition("/")[2]))
    decide_prices(
        merged, per_source, pooled, lambda s, r: _as_of(s, r, context.dates), context.prices, settlements
    )
    if extension.get("conflicts"):
        extension["conflicts"] = dict(sorted(extension["conflicts"].items()))
    return merged


def merge_provider(
    provider: str,
    sources: Mapping[str, Iterable[Record]],
    *,
    api_list_only: bool = False,
    context: MergeContext | None = None,
) -> MergeResult:
    """Merged records of one provider from ``{source id: records}``, sorted by id, the rejected ids
    (``{"id", "reason", "sources"}``, sorted by id) and which sources list each record.

    By default the model list is the union of all sources (public-catalog refresh). With
    ``api_list_only`` only models that ``sources["provider_api"]`` lists are kept; the catalogs
    then only enrich matching models. The ids of the provider's own list (the API's, else
    ``context.listed``) are never folded into one another (:func:`split_listed`), and shorter
    names of a listed id join it (:func:`fold_list_aliases`).
    """
    context = context or MergeContext()
    lists = {source: list(records) for source, records in sources.items()}
    api_ids = {upstream_id_of(r) for r in lists.get("provider_api", [])}
    rejected = reject_ids(
        context.grammar,
        {s: [upstream_id_of(r) for r in rs if upstream_id_of(r) not in api_ids] for s, rs in lists.items()},
    )
    groups: dict[str, Group] = {}
    listed = frozenset(api_ids) if api_list_only else context.listed | frozenset(api_ids)
    spelled = {upstream_id_of(r) for records in lists.values() for r in records}
    lists[LISTED] = [listed_entry(provider, uid) for uid in sorted(listed - spelled)]
    for source in sorted(lists, key=_rank):
        for record in lists[source]:
            if upstream_id_of(record) in rejected:
                continue
            groups.setdefault(match_key(provider, upstream_id_of(record)), []).append((source, record))
    groups = fold_list_aliases(provider, split_listed(groups, listed), listed)
    wanted = "provider_api" if api_list_only else None
    groups = {k: v for k, v in groups.items() if any(s != LISTED and wanted in (None, s) for s, _ in v)}
    group_context = replace(context, listed=listed)
    settlements = Settlements()
    pairs = partners(groups)  # an alias and its only dated snapshot: one model, one price

    def partner_of(key: str) -> tuple[str, list[tuple[str, Record]]] | None:
        other = pairs.get(key)
        if other is None:
            return None
        spelling = choose_spelling(provider, groups[other], context.pinned, listed)
        return model_id(provider, spelling), groups[other]

    merged: list[Record] = []
    listed_by: dict[str, tuple[str, ...]] = {}
    for key, group in groups.items():
        record = merge_group(provider, group, group_context, settlements, partner_of(key))
        merged.append(record)
        listed_by[record["id"]] = tuple(sorted({s for s, _ in group if s != LISTED}, key=_rank))
    rejections = [
        {"id": uid, "reason": reason, "sources": sorted(srcs, key=_rank)}
        for uid, (reason, srcs) in sorted(rejected.items())
    ]
    return MergeResult(sorted(merged, key=lambda r: r["id"]), rejections, listed_by, settlements)
