"""The in-memory catalog handed to every renderer: validated data, plus build options."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from modelatlas.canonical import CanonicalReport
from modelatlas.record import Record
from modelatlas.render.canonical_view import Group, group_models
from modelatlas.render.kept_rows import KeptRows
from modelatlas.render.links import Linker
from modelatlas.render.record_bodies import RecordBodies, serialized


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
    ``digests`` maps every record's id to its digest (:func:`~modelatlas.render.input_keys.serialize`),
    computed once with the catalog: the input keys of the per-model files; ``bodies`` holds each
    record's JSON as serialized for its digest, by position in ``models``
    (:mod:`~modelatlas.render.record_bodies`). ``groups`` holds every canonical model with a listed
    offering (:func:`~modelatlas.render.canonical_view.group_models`), also computed once with the
    catalog, for every renderer that shows canonical models, and ``by_provider`` every provider's
    records (:meth:`models_of`). ``kept_rows``: the previous build's model table rows (perhaps none)
    when this build keeps its own for the next (:mod:`~modelatlas.render.kept_rows`); None when it
    keeps none (data holding a credential's value, a catalog rendered outside ``build``).

    The catalog is read-only: its collections are frozen when it is made, and renderers treat the
    records (plain data, shared between providers' values) as read-only too.
    """

    providers: Mapping[str, dict[str, Any]]
    models: Sequence[Record]
    page_size: int
    changes: Sequence[dict[str, Any]] = ()
    changes_since: str | None = None
    canonical: CanonicalReport = field(default_factory=CanonicalReport)
    base_url: str | None = None
    kept_rows: KeptRows | None = field(default=None, compare=False, repr=False)
    digests: Mapping[str, bytes] = field(init=False, compare=False, repr=False)
    bodies: RecordBodies = field(init=False, compare=False, repr=False)
    groups: Sequence[Group] = field(init=False, compare=False, repr=False)
    by_provider: Mapping[str, tuple[Record, ...]] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "providers", MappingProxyType(dict(self.providers)))
        object.__setattr__(self, "models", tuple(self.models))
        object.__setattr__(self, "changes", tuple(self.changes))
        digests, bodies = serialized(self.models)
        object.__setattr__(self, "digests", digests)
        object.__setattr__(self, "bodies", bodies)
        object.__setattr__(self, "groups", group_models(self.models))
        by_provider: dict[str, list[Record]] = {}
        for model in self.models:
            by_provider.setdefault(model["modelatlas"]["provider"], []).append(model)
        frozen = {provider: tuple(models) for provider, models in by_provider.items()}
        object.__setattr__(self, "by_provider", MappingProxyType(frozen))

    @property
    def linker(self) -> Linker:
        return Linker(self.base_url)

    def models_of(self, provider: str) -> list[Record]:
        """``provider``'s records, sorted by id (grouped once with the catalog: three renderers ask
        for every provider's)."""
        return list(self.by_provider.get(provider, ()))
