"""The in-memory catalog handed to every renderer: validated data, plus build options."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from modelatlas.canonical import CanonicalReport
from modelatlas.record import Record
from modelatlas.render.input_keys import RecordDigests
from modelatlas.render.links import Linker


@dataclass(frozen=True)
class Catalog:
    """What ``modelatlas build`` renders from.

    ``providers`` holds every provider document of data/ keyed by provider id (every registered
    provider present; a provider without a file gets an empty document whose status says why).
    ``models`` holds every record of every provider, sorted by id, with
    ``modelatlas.links.details`` filled in (the model's JSON file, relative to the build root).
    ``changes`` holds change-log entries newest first; ``changes_since`` is the day the log starts
    (its baseline, see :mod:`modelatlas.changes.history`), which an empty feed names.
    ``canonical`` says which records were linked to a canonical model and why the rest were not
    (the records themselves carry ``canonical_slug`` and ``modelatlas.family``).
    ``base_url`` (ending in ``/``) makes every link in the output absolute; None keeps them relative.
    ``digests`` holds one digest per record, shared by the renderers (see :class:`RecordDigests`).
    """

    providers: dict[str, dict[str, Any]]
    models: list[Record]
    page_size: int
    changes: list[dict[str, Any]] = field(default_factory=list)
    changes_since: str | None = None
    canonical: CanonicalReport = field(default_factory=CanonicalReport)
    base_url: str | None = None
    # The records' digests (the input keys of per-model files), filled as the renderers need them.
    digests: RecordDigests = field(default_factory=RecordDigests, compare=False, repr=False)

    @property
    def linker(self) -> Linker:
        return Linker(self.base_url)

    def models_of(self, provider: str) -> list[Record]:
        return [m for m in self.models if m["modelatlas"]["provider"] == provider]
