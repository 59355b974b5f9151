"""The merge policy: which source's value a field takes when sources disagree (docs/merge-policy.md).

For one field of one model the candidates are ``(source, value, as-of date)``; a record's token
prices are decided together instead (:mod:`modelatlas.fetch.price_sets`), the rest one by one here:

1. The provider's own list states what it serves: its value wins whenever it has one (its live API,
   or a catalog that is its API's output: ``CatalogRules.own_list``).
2. A price of "0" from a catalog, where another source gives a positive price, is a placeholder
   (LiteLLM's own spec writes 0.0 for every unknown cost) and cannot win; it stays in the conflict.
   A value a source only infers (:data:`WEAK_VALUES`: LiteLLM has no window field, its
   ``context_length`` is its input limit) counts only when no other source states the field.
3. Values that agree (prices within :data:`PRICE_TOLERANCE`, everything else exactly) form one
   opinion; an opinion held by more *independent* sources than any other wins. Two sources are
   independent unless one is derived from the other (:data:`DERIVED_FROM`, or the copies the
   provider declares: ``CatalogRules.copies``).
4. Then the source measured right clearly more often at this provider
   (:mod:`modelatlas.fetch.reliability`); otherwise the field is unsettled: the sources the provider
   declares preferred (``CatalogRules.preferred``) come first, then the most recent data (a
   record's own ``last_updated`` where the source has one, else the date of the catalog file), then
   the fixed order of :data:`SOURCE_ORDER`, and the field is listed as disputed.

Everything that decides is data (the tables below, the providers' declarations,
``MODELATLAS_SOURCE_DATES``), not branches.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Protocol

from modelatlas.config import Settings
from modelatlas.errors import InputError
from modelatlas.fetch.providers import registry
from modelatlas.prices import to_decimal

# Last resort when neither votes, preferences nor dates decide; also the order of status.sources.
SOURCE_ORDER: tuple[str, ...] = (
    "curated",
    "provider_api",
    "openrouter",
    "models.dev",
    "ruby_llm",
    "portkey",
    "litellm",
    "derived",
)
# Dates of the catalog files the committed snapshot is built from (a month-only date is its 1st).
SNAPSHOT_SOURCE_DATES: dict[str, str] = {
    "models.dev": "2026-07-02",
    "litellm": "2026-11-01",
    "openrouter": "2026-05-15",
    "ruby_llm": "2026-08-19",
    "portkey": "2026-08-21",
}
SOURCE_DATES_VAR = "MODELATLAS_SOURCE_DATES"
# source -> the source it copies, for every provider that declares nothing else
# (``CatalogRules.copies``): ruby_llm's registry is refreshed from models.dev.
DERIVED_FROM: dict[str, str] = {"ruby_llm": "models.dev"}
PRICE_TOLERANCE = Decimal("0.01")
# Field paths whose disagreements are kept in modelatlas.conflicts.
LIMIT_FIELDS = frozenset({
    "context_length", "max_input_tokens", "max_output_tokens",
    "top_provider.context_length", "top_provider.max_completion_tokens",
})
PRICE_PREFIXES = ("pricing.", "modelatlas.extra_pricing.")
# (source, field) pairs whose value the source infers rather than states: used only when no other
# source has the field. LiteLLM has no context-window field; what it gives is max_input_tokens,
# which for many models is less than the window (GPT-5: 272,000 input of a 400,000 window).
WEAK_VALUES = frozenset({("litellm", "context_length")})


def is_evidence_field(path: str) -> bool:
    """Prices and limits: the fields whose disagreements are recorded."""
    return path in LIMIT_FIELDS or path.startswith(PRICE_PREFIXES)


@dataclass(frozen=True)
class Candidate:
    source: str
    value: Any
    as_of: date | None = None


@dataclass(frozen=True)
class Decision:
    source: str
    value: Any
    conflict: dict[str, Any] = field(default_factory=dict)
    step: str | None = None  # the step of the evidence order that settled a dispute (settlement.Step)


class Reliability(Protocol):
    def prefers(self, provider: str, sides: list[list[str]], leave_out: str) -> int | None: ...


def parse_source_dates(text: str) -> dict[str, date]:
    """``models.dev=2026-07-02,litellm=2026-11-01`` -> dates; a bad entry is a usage error."""
    dates: dict[str, date] = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        source, _, day = item.partition("=")
        try:
            dates[source.strip()] = date.fromisoformat(day.strip())
        except ValueError:
            raise InputError(
                f"{SOURCE_DATES_VAR}: {item!r} is not source=YYYY-MM-DD; e.g. models.dev=2026-07-02"
            ) from None
    return dates


def snapshot_dates() -> dict[str, date]:
    return {source: date.fromisoformat(day) for source, day in SNAPSHOT_SOURCE_DATES.items()}


def source_dates(
    fetched_now: Mapping[str, bool], today: date, saved: Mapping[str, date] | None = None
) -> dict[str, date]:
    """Each catalog's as-of date: ``$MODELATLAS_SOURCE_DATES`` if it names the source, else today
    for a catalog downloaded now, else the snapshot table (a local copy of a published file). A
    catalog read from its last good copy (``saved``: the day that copy was saved) is as of that day
    at the latest."""
    dates = {source: today if fetched_now.get(source) else day for source, day in snapshot_dates().items()}
    for source, day in (saved or {}).items():
        if source in dates:
            dates[source] = min(dates[source], day)
    dates.update(parse_source_dates(Settings.environment_value(SOURCE_DATES_VAR) or ""))
    return dates


def independence_group(source: str, provider: str) -> str:
    """The source ``source``'s entries for ``provider`` are a copy of (itself when none)."""
    copies = registry.declared(provider).catalog_rules.copies
    return copies.get(source) or DERIVED_FROM.get(source, source)


def preferred(provider: str) -> tuple[str, ...]:
    """The sources preferred for every field of ``provider`` before dates are compared."""
    return registry.declared(provider).catalog_rules.preferred


def own_list(provider: str) -> frozenset[str]:
    """The sources that are the provider's own list: its live API and the catalogs it declares
    to be its API's output (``CatalogRules.own_list``: OpenRouter's public list for openrouter)."""
    return frozenset({"provider_api", *registry.declared(provider).catalog_rules.own_list})


def agree(path: str, a: Any, b: Any) -> bool:
    """Prices agree within 1% of the larger; every other value only when equal."""
    if path.startswith(PRICE_PREFIXES):
        x, y = to_decimal(a), to_decimal(b)
        if x is not None and y is not None:
            return abs(x - y) <= PRICE_TOLERANCE * max(x, y)
    return bool(a == b)


def _order_key(provider: str, path: str, candidate: Candidate) -> tuple[int, int, int]:
    rank = SOURCE_ORDER.index(candidate.source) if candidate.source in SOURCE_ORDER else len(SOURCE_ORDER)
    first = 0 if candidate.source in preferred(provider) else 1
    newest = -(candidate.as_of.toordinal() if candidate.as_of else 0)
    return (first, newest, rank)


def _opinions(path: str, candidates: Sequence[Candidate]) -> list[list[Candidate]]:
    """Candidates grouped by agreeing value (each joins the first opinion it agrees with)."""
    opinions: list[list[Candidate]] = []
    for candidate in candidates:
        for opinion in opinions:
            if agree(path, opinion[0].value, candidate.value):
                opinion.append(candidate)
                break
        else:
            opinions.append([candidate])
    return opinions


def decide(
    provider: str,
    path: str,
    candidates: Sequence[Candidate],
    scores: Reliability | None = None,
    model_key: str = "",
) -> Decision:
    """The value of one field from one or more candidates (at most one per source)."""
    ordered = sorted(candidates, key=lambda c: _order_key(provider, path, c))
    opinions = _opinions(path, ordered)
    conflict = {}
    if len(opinions) > 1 and is_evidence_field(path):
        conflict = {c.source: _shown(c.value) for c in ordered}
    disputed = len(opinions) > 1
    own = [c for c in ordered if c.source in own_list(provider)]
    if own:
        own.sort(key=lambda c: (c.source != "provider_api", _order_key(provider, path, c)))
        return Decision(own[0].source, own[0].value, conflict, "provider_api" if disputed else None)
    strong = [c for c in ordered if (c.source, path) not in WEAK_VALUES]
    priced = [c for c in strong if not _is_zero_price(path, c.value)]
    if priced and len(priced) < len(ordered):  # a catalog's "0", an inferred value: only as a last resort
        ordered = priced
        opinions = _opinions(path, ordered)
    if len(opinions) == 1:  # what disagreed was no statement of the field: no dispute
        return Decision(ordered[0].source, ordered[0].value, conflict)
    votes = [len({independence_group(c.source, provider) for c in o}) for o in opinions]
    if votes.count(max(votes)) == 1:
        winner = opinions[votes.index(max(votes))][0]
        return Decision(winner.source, winner.value, conflict, "agreement")
    if scores is not None:
        best = scores.prefers(provider, [[c.source for c in o] for o in opinions], model_key)
        if best is not None:
            return Decision(opinions[best][0].source, opinions[best][0].value, conflict, "reliability")
    # Opinions are in order of their best candidate, so on a tie of votes the preferred one wins.
    tied = [o for o, v in zip(opinions, votes, strict=True) if v == max(votes)]
    return Decision(tied[0][0].source, tied[0][0].value, conflict, "unsettled")


def _is_zero_price(path: str, value: Any) -> bool:
    return path.startswith(PRICE_PREFIXES) and to_decimal(value) == 0


def _shown(value: Any) -> Any:
    return value if isinstance(value, (str, int)) and not isinstance(value, bool) else str(value)


def relative_spread(values: Sequence[Any]) -> Decimal | None:
    """(largest - smallest) / largest of numeric values; None if not numeric or all zero."""
    numbers = [to_decimal(v) for v in values]
    if not numbers or any(n is None for n in numbers):
        return None
    clean = [n for n in numbers if n is not None]
    top = max(clean)
    return (top - min(clean)) / top if top > 0 else None
