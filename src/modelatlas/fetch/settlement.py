"""Which step of the evidence order settled each dispute (docs/merge-policy.md, "Evidence").

A dispute is one price or limit field of one record whose sources disagree (beyond 1% for a price).
The steps, in order: ``curated`` (a fact from the provider's page), ``provider_api`` (the provider's
own list), ``rule:<id>`` (a rule the provider states), ``siblings`` (the same model elsewhere),
``agreement`` (more independent sources), ``reliability`` (the catalog right more often at this
provider), else ``unsettled``. Each provider file's ``status.disputes`` counts them; the fields left
``unsettled`` (and a first-party model's price disputes of more than :data:`FIRST_PARTY_SPREAD`
that only an inference step settled) are listed in the record's ``modelatlas.disputed``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum


class Step(StrEnum):
    CURATED = "curated"
    PROVIDER_API = "provider_api"
    SIBLINGS = "siblings"
    AGREEMENT = "agreement"
    RELIABILITY = "reliability"
    UNSETTLED = "unsettled"


# Steps that infer a value instead of reading the provider's own statement.
INFERENCE = frozenset({Step.SIBLINGS, Step.AGREEMENT, Step.RELIABILITY})
# A first-party model's price dispute wider than this needs the provider's own evidence.
FIRST_PARTY_SPREAD = Decimal("0.2")


def rule_step(rule_id: str) -> str:
    return f"rule:{rule_id}"


Key = tuple[str, str]  # (record id, field path)


@dataclass
class Settlements:
    """The step that settled each dispute of one provider, updated as later stages decide, and
    each dispute's spread ((largest - smallest) / largest of the sources' values)."""

    steps: dict[Key, str] = field(default_factory=dict)
    spreads: dict[Key, Decimal | None] = field(default_factory=dict)

    def settle(self, record_id: str, path: str, step: str, spread: Decimal | None = None) -> None:
        self.steps[(record_id, path)] = step
        self.spreads.setdefault((record_id, path), spread)

    def overrule(self, record_id: str, path: str, step: str) -> None:
        """A stronger step decided a field; it settles the field's dispute if there is one."""
        if (record_id, path) in self.steps:
            self.steps[(record_id, path)] = step

    def step(self, record_id: str, path: str) -> str | None:
        return self.steps.get((record_id, path))

    def disputed(self, record_id: str, first_party: bool) -> list[str]:
        """The record's fields that stay disputed (see the module docstring)."""
        fields = []
        for (rid, path), step in self.steps.items():
            if rid != record_id:
                continue
            spread = self.spreads.get((rid, path))
            wide = spread is not None and spread > FIRST_PARTY_SPREAD
            price = path.startswith(("pricing.", "modelatlas.extra_pricing."))
            if step == Step.UNSETTLED or (first_party and price and wide and step in INFERENCE):
                fields.append(path)
        return sorted(fields)

    def summary(self) -> dict[str, int]:
        """``{step: number of disputes it settled}`` (``unsettled`` for the rest)."""
        return dict(sorted(Counter(self.steps.values()).items()))
