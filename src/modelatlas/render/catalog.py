"""The in-memory catalog handed to every renderer: validated data, plus build options."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from modelatlas.canonical import CanonicalReport
from modelatlas.render.links import Linker

Record = dict[str, Any]


@dataclass(frozen=True)
class Catalog:
    """What ``modelatlas build`` renders from.

    ``providers`` holds every provider document of data/ keyed by provider id (all 16 present;
    a provider without a file gets an empty document whose status says why).
    ``models`` holds every record of every provider, sorted by id, with
    ``modelatlas.links.details`` filled in (the model's JSON file, relative to the build root).
    ``changes`` holds change-log entries newest first (empty until change tracking exists).
    ``canonical`` says which records were linked to a canonical model and why the rest were not
    (the records themselves carry ``canonical_slug`` and ``modelatlas.family``).
    ``base_url`` (ending in ``/``) makes every link in the output absolute; None keeps them relative.
    """

    providers: dict[str, dict[str, Any]]
    models: list[Record]
    page_size: int
    changes: list[dict[str, Any]] = field(default_factory=list)
    canonical: CanonicalReport = field(default_factory=CanonicalReport)
    base_url: str | None = None

    @property
    def linker(self) -> Linker:
        return Linker(self.base_url)

    def models_of(self, provider: str) -> list[Record]:
        return [m for m in self.models if m["modelatlas"]["provider"] == provider]
