"""What one provider's refresh in ``modelatlas fetch`` came to."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class FetchState(StrEnum):
    FRESH = "fresh"  # the new list was written (or was unchanged)
    FAILED = "failed"  # nothing usable: the provider's file keeps its models, marked stale
    HELD = "held back"  # the new list shrank past the limit: not written, marked stale


@dataclass
class ProviderResult:
    provider: str
    state: FetchState
    reason: str
    source: str = "none"  # provider_api or public_catalogs
    count: int = 0
    changed: bool = False
    rejected: list[str] = field(default_factory=list)
    # curated entries that name a model no source lists any more (not applied; the provider landed)
    curated_unused: list[str] = field(default_factory=list)
