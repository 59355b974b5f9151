"""A record's token prices, decided as one set (docs/merge-policy.md, "Prices travel as a set").

Each source offers its own set of the :data:`SET_FIELDS` (and its long-context tiers). Offers that
agree on every field they share (prices within 1%) form one opinion. With one opinion there is no
dispute: every field comes from the best-ranked offer stating it. With several, the evidence order
picks one opinion and the record's token prices all come from it, so no record carries a pair of
prices that no source publishes:

1. ``curated``: the opinions that agree with the curated values (a fact from the provider's page);
2. ``provider_api``: the opinion holding the provider's own list (its API, or a catalog that is
   its API's output: ``CatalogRules.own_list``);
3. (a rule the provider states is applied after the merge and overrides the fields it decides,
   :mod:`modelatlas.fetch.stated_rules`);
4. ``siblings``: an opinion with a price 8x away from every sibling's (the same model elsewhere,
   :mod:`modelatlas.fetch.siblings`) is out; of the rest, the only one whose prices each match a
   sibling's wins;
5. ``agreement``: the opinion held by the most independent sources;
6. ``reliability``: the opinion whose source is right clearly more often at this provider
   (:mod:`modelatlas.fetch.reliability`, leave-one-out);
7. otherwise ``unsettled``: the best-ranked opinion is kept and the fields stay disputed.

Before that, values that are no prices are left out of each offer: a token price above $1,000 per
1M tokens (another unit in a token field), a field the model is not billed for, and a catalog's
``"0"`` that nothing corroborates (LiteLLM's spec writes 0 for every unknown cost; Portkey does the
same for cache writes): a zero stands only from the provider's own list, or when the offer prices
nothing above zero and another independent source says zero too.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from modelatlas.fetch.policy import SOURCE_ORDER, agree, independence_group, preferred, relative_spread
from modelatlas.fetch.providers.price_rules import (
    CACHE_READ,
    CACHE_WRITE,
    CACHE_WRITE_1H,
    COMPLETION,
    PROMPT,
    REASONING,
)
from modelatlas.fetch.reliability import Scores
from modelatlas.fetch.settlement import Step
from modelatlas.fetch.siblings import COMPARED_FIELDS, SIBLING_OUTLIER, SiblingPrice, corroborated, ratio
from modelatlas.prices import to_decimal

SET_FIELDS = (PROMPT, COMPLETION, CACHE_READ, CACHE_WRITE, REASONING, CACHE_WRITE_1H)
TIERS_PATH = "modelatlas.context_tiers"
# $1,000 per 1M tokens: above the dearest token price any provider states ($600 output, o1-pro).
TOKEN_CEILING = Decimal("0.001")


@dataclass(frozen=True)
class Offer:
    """One source's token prices for the record (``origin``: the partner id it was listed under)."""

    source: str
    values: Mapping[str, str]
    as_of: date | None = None
    tiers: tuple[dict[str, Any], ...] = ()
    origin: str | None = None

    @property
    def label(self) -> str:
        """The provenance of a value taken from this offer."""
        return f"derived:{self.origin}" if self.origin else self.source


@dataclass(frozen=True)
class SetEvidence:
    """What the decision may consult besides the offers."""

    provider: str
    model_key: str  # left out of the reliability scores (leave-one-out)
    fixed: Mapping[str, str] = field(default_factory=dict)  # curated values of set fields
    own_list: frozenset[str] = frozenset({"provider_api"})
    not_billed: frozenset[str] = frozenset()
    siblings: Callable[[str], list[SiblingPrice]] = lambda _path: []
    scores: Scores | None = None


@dataclass
class SetDecision:
    values: dict[str, tuple[str, str]] = field(default_factory=dict)  # field -> (value, provenance)
    tiers: tuple[list[dict[str, Any]], str] | None = None  # (tier list, provenance)
    conflicts: dict[str, dict[str, str]] = field(default_factory=dict)
    settled: dict[str, str] = field(default_factory=dict)  # disputed field -> step
    spreads: dict[str, Decimal | None] = field(default_factory=dict)


def _rank(provider: str, offer: Offer, own: frozenset[str]) -> tuple[int, int, int, int, int]:
    """Own list first, then the record's own offers, preferred sources, newest data, fixed order."""
    order = SOURCE_ORDER.index(offer.source) if offer.source in SOURCE_ORDER else len(SOURCE_ORDER)
    newest = -(offer.as_of.toordinal() if offer.as_of else 0)
    first = 0 if offer.source in preferred(provider) else 1
    return (0 if offer.source in own else 1, 1 if offer.origin else 0, first, newest, order)


def _zero(value: str) -> bool:
    return to_decimal(value) == 0


def clean(offers: Sequence[Offer], evidence: SetEvidence) -> list[Offer]:
    """The offers without values that are no prices (see the module docstring); empty ones dropped."""
    provider = evidence.provider

    def all_zero(offer: Offer) -> bool:
        return all(_zero(v) for v in offer.values.values())

    zero_groups = {independence_group(o.source, provider) for o in offers if o.values and all_zero(o)}
    cleaned = []
    for offer in offers:
        keep = {}
        for path, value in offer.values.items():
            number = to_decimal(value)
            if number is None or number > TOKEN_CEILING or path in evidence.not_billed:
                continue
            if number == 0 and offer.source not in evidence.own_list:
                group = independence_group(offer.source, provider)
                if not (all_zero(offer) and zero_groups - {group}):
                    continue
            keep[path] = value
        if keep or offer.tiers:
            cleaned.append(Offer(offer.source, keep, offer.as_of, offer.tiers, offer.origin))
    return cleaned


def compatible(a: Mapping[str, str], b: Mapping[str, str]) -> bool:
    return all(agree(path, a[path], b[path]) for path in a.keys() & b.keys())


def opinions(offers: Sequence[Offer]) -> list[list[Offer]]:
    """Offers grouped: each joins the first opinion it agrees with entirely."""
    groups: list[list[Offer]] = []
    for offer in offers:
        for group in groups:
            if all(compatible(offer.values, other.values) for other in group):
                group.append(offer)
                break
        else:
            groups.append([offer])
    return groups


def _values(group: Sequence[Offer]) -> dict[str, str]:
    merged: dict[str, str] = {}
    for offer in group:
        for path, value in offer.values.items():
            merged.setdefault(path, value)
    return merged


def _by_siblings(groups: list[list[Offer]], disputed: set[str], evidence: SetEvidence) -> list[int]:
    """Indexes of the opinions the siblings leave standing (one 8x away from every sibling's price
    is out); a single index when one opinion has more sibling support than every other. Support is
    the siblings' sources that state an opinion's price, leaving out the opinion's own sources (a
    catalog repeating its own figure at another provider is no second opinion)."""
    compared = [p for p in sorted(disputed) if p in COMPARED_FIELDS]
    prices = {path: evidence.siblings(path) for path in compared}
    provider = evidence.provider
    standing: list[int] = []
    support: dict[int, int] = {}
    for index, group in enumerate(groups):
        values = _values(group)
        stated = [p for p in compared if p in values and prices[p] and (to_decimal(values[p]) or 0) > 0]
        far = any(
            corroborated(prices[p])
            and all(ratio(to_decimal(values[p]) or Decimal(1), s.value) >= SIBLING_OUTLIER for s in prices[p])
            for p in stated
        )
        if far:
            continue
        standing.append(index)
        own = {independence_group(o.source, provider) for o in group}
        support[index] = len(
            {
                (p, independence_group(s.source, s.record_id.partition("/")[0]))
                for p in stated
                for s in prices[p]
                if agree(p, values[p], str(s.value)) and independence_group(s.source, provider) not in own
            }
        )
    best = max(support.values(), default=0)
    if best > 0 and list(support.values()).count(best) == 1:
        return [max(support, key=lambda i: support[i])]
    return standing


def _votes(group: Sequence[Offer], provider: str) -> int:
    """Independent sources holding the opinion (a partner's entry in a source is that source)."""
    return len({independence_group(o.source, provider) for o in group})


def choose(groups: list[list[Offer]], disputed: set[str], evidence: SetEvidence) -> tuple[int, str]:
    """The index of the winning opinion and the step that chose it (groups are in rank order)."""
    candidates = list(range(len(groups)))
    if evidence.fixed:
        fitting = [i for i in candidates if compatible(_values(groups[i]), evidence.fixed)]
        if len(fitting) == 1:
            return fitting[0], Step.CURATED
        candidates = fitting or candidates
    own = [i for i in candidates if any(o.source in evidence.own_list and not o.origin for o in groups[i])]
    if len(own) == 1:
        return own[0], Step.PROVIDER_API
    standing = [i for i in _by_siblings([groups[i] for i in candidates], disputed, evidence)]
    standing = [candidates[i] for i in standing]
    if len(standing) == 1:
        return standing[0], Step.SIBLINGS
    candidates = standing or candidates
    votes = {i: _votes(groups[i], evidence.provider) for i in candidates}
    top = max(votes.values())
    if list(votes.values()).count(top) == 1:
        return max(votes, key=lambda i: votes[i]), Step.AGREEMENT
    if evidence.scores is not None:
        sides = [[o.source for o in groups[i]] for i in candidates]
        best = evidence.scores.prefers(evidence.provider, sides, evidence.model_key)
        if best is not None:
            return candidates[best], Step.RELIABILITY
    return candidates[0], Step.UNSETTLED


def _conflicts(offers: Sequence[Offer]) -> dict[str, dict[str, str]]:
    """Every field the offers disagree on -> {offer label: value} (the first offer per label)."""
    result: dict[str, dict[str, str]] = {}
    for path in sorted({p for o in offers for p in o.values}):
        stated: dict[str, str] = {}
        for offer in offers:
            if path in offer.values:
                stated.setdefault(offer.label, offer.values[path])
        values = list(stated.values())
        if any(not agree(path, values[0], v) for v in values[1:]):
            result[path] = stated
    return result


def _tiers(group: Sequence[Offer], provider: str) -> tuple[list[dict[str, Any]], str] | None:
    """The tier list of the opinion: the one most independent sources give, else the best-ranked."""
    lists = [(o, list(o.tiers)) for o in group if o.tiers]
    if not lists:
        return None

    def stated(tiers: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [{k: v for k, v in tier.items() if k != "source"} for tier in tiers]

    support = {
        id(offer): len(
            {independence_group(o.source, provider) for o, other in lists if stated(other) == stated(tiers)}
        )
        for offer, tiers in lists
    }
    offer, tiers = max(lists, key=lambda item: support[id(item[0])])
    return tiers, offer.label


def decide_set(offers: Sequence[Offer], evidence: SetEvidence) -> SetDecision:
    """The record's set of token prices (see the module docstring)."""
    own = evidence.own_list
    ranked = sorted(offers, key=lambda o: _rank(evidence.provider, o, own))
    shown = [
        Offer(
            o.source,
            {p: v for p, v in o.values.items() if p not in evidence.not_billed},
            o.as_of,
            o.tiers,
            o.origin,
        )
        for o in ranked
    ]
    decision = SetDecision(conflicts=_conflicts(shown))
    groups = opinions(clean(ranked, evidence))
    if not any(not o.origin for g in groups for o in g):
        return decision  # nothing of the record's own: a partner's prices are never copied over
    disputed = {p for p in SET_FIELDS if _differ(groups, p)}
    if not disputed:
        winner = [o for g in groups for o in g if not o.origin]
    else:
        index, step = choose(groups, disputed, evidence)
        for path in sorted(disputed):
            decision.settled[path] = step
            decision.spreads[path] = relative_spread([v for g in groups if (v := _pick(g, path))])
        winner = [o for o in groups[index] if not o.origin] or groups[index]
    for offer in winner:
        for path, value in offer.values.items():
            decision.values.setdefault(path, (value, offer.label))
    decision.tiers = _tiers(winner, evidence.provider)
    return decision


def _pick(group: Sequence[Offer], path: str) -> str | None:
    return next((o.values[path] for o in group if path in o.values), None)


def _differ(groups: list[list[Offer]], path: str) -> bool:
    stated = [v for g in groups if (v := _pick(g, path)) is not None]
    return any(not agree(path, stated[0], v) for v in stated[1:])
