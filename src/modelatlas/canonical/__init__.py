"""Canonical model identity: which records across providers are the same model and snapshot.

The build's step between loading data/ and rendering (fetch → canonical → validate → render):
:func:`enrich` sets, on every record whose model the matcher can identify,

* ``modelatlas.family``: the model (``anthropic/claude-sonnet-4.5``), and
* ``canonical_slug``: its dated snapshot where one is known (``anthropic/claude-4.5-sonnet-20250929``),
  else the model slug (as OpenRouter does for ``openai/gpt-4o``).

data/ stays per provider and as fetched; the vocabulary (OpenRouter's slugs, the vendors' own ids)
is read from it at build time, so the result is a pure function of data/. Rules:
:mod:`~modelatlas.canonical.names` (reading ids), :mod:`~modelatlas.canonical.vocabulary` (what
models exist), :mod:`~modelatlas.canonical.matcher` (linking), :mod:`~modelatlas.canonical.curated`
(hand-checked exceptions). User documentation: docs/canonical.md.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from modelatlas.canonical.curated import CuratedLink
from modelatlas.canonical.fill import fill
from modelatlas.canonical.matcher import Link, Unlinked, link_reading_name
from modelatlas.canonical.vocabulary import Vocabulary, build_vocabulary

Record = dict[str, Any]
DERIVED = "derived"
CURATED = "curated"


@dataclass(frozen=True)
class CanonicalReport:
    """What :func:`enrich` did: every record's link (or why none), in record order."""

    links: Mapping[str, Link] = field(default_factory=dict)
    unlinked: Mapping[str, Unlinked] = field(default_factory=dict)
    curated: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        object.__setattr__(self, "links", MappingProxyType(dict(self.links)))
        object.__setattr__(self, "unlinked", MappingProxyType(dict(self.unlinked)))
        object.__setattr__(self, "curated", frozenset(self.curated))

    @property
    def coverage(self) -> tuple[int, int]:
        """(records linked, records in all)."""
        return len(self.links), len(self.links) + len(self.unlinked)


@dataclass
class _Links:
    """The report while :func:`link_all` builds it."""

    links: dict[str, Link] = field(default_factory=dict)
    unlinked: dict[str, Unlinked] = field(default_factory=dict)
    curated: set[str] = field(default_factory=set)


def _follow_aliases(models: Sequence[Record], report: _Links) -> None:
    """An alias (``modelatlas.alias_of``, same provider) that no rule linked takes its target's link."""
    for record in models:
        extension = record["modelatlas"]
        target = extension.get("alias_of")
        if record["id"] in report.unlinked and isinstance(target, str):
            link = report.links.get(f"{extension['provider']}/{target}")
            if link is not None:
                del report.unlinked[record["id"]]
                report.links[record["id"]] = link


def _apply_curated(curated: list[CuratedLink], report: _Links) -> None:
    for entry in curated:
        if entry.record_id is not None:
            chosen = [entry.record_id]
        else:
            chosen = [rid for rid, link in report.links.items() if link.canonical_slug == entry.matched_slug]
        for record_id in chosen:
            report.curated.add(record_id)
            old = report.links.pop(record_id, None)
            if entry.unlink:
                report.unlinked[record_id] = Unlinked.CURATED
                continue
            report.unlinked.pop(record_id, None)
            family = entry.values.get("family") or (old.family if old else entry.values["canonical_slug"])
            slug = entry.values.get("canonical_slug") or (old.canonical_slug if old else family)
            report.links[record_id] = Link(family=family, canonical_slug=slug)


VOCABULARY_FIELDS = ("id", "canonical_slug", "hugging_face_id")
VOCABULARY_EXTENSION_FIELDS = ("provider", "upstream_id")
"""The fields of a record (``modelatlas.*`` for the second) that the vocabulary is made from, and that
:func:`linked_each` reads besides ``name``: a record's own link is a function of every record's
(the vocabulary) and, for some, of its own ``name`` (a test checks that linking reads nothing else)."""

Linked = Link | Unlinked


@dataclass(frozen=True)
class OwnLink:
    """A record's own link (or why none), and whether it was read from its ``name``."""

    result: Linked
    read_name: bool


def linked_each(
    models: Sequence[Record],
    kept: Sequence[OwnLink | None] = (),
    vocabulary: Callable[[], Vocabulary] | None = None,
) -> list[OwnLink]:
    """Each record's own link or why none, in record order, before aliases and curated links
    (:func:`settled`). ``kept[i]``, where given and not None, is taken as record i's (a rebuild's,
    :mod:`modelatlas.render.link_cache`); the vocabulary is made only if a record is left to link,
    by ``vocabulary`` where given (the previous build's, kept: it is a function of
    :data:`VOCABULARY_FIELDS` of every record), else from ``models``."""
    made: Vocabulary | None = None
    each: list[OwnLink] = []
    for index, record in enumerate(models):
        known = kept[index] if index < len(kept) else None
        if known is None:
            if made is None:
                made = vocabulary() if vocabulary is not None else vocabulary_of(models)
            known = OwnLink(*link_reading_name(made, record))
        each.append(known)
    return each


def vocabulary_of(models: Sequence[Record]) -> Vocabulary:
    """The vocabulary made from ``models`` (:func:`~modelatlas.canonical.vocabulary.build_vocabulary`)."""
    by_provider: dict[str, list[Record]] = {}
    for model in models:
        by_provider.setdefault(model["modelatlas"]["provider"], []).append(model)
    return build_vocabulary(by_provider)


def settled(models: Sequence[Record], each: Sequence[OwnLink], curated: list[CuratedLink]) -> CanonicalReport:
    """The report of the records' own links (:func:`linked_each`), with unlinked aliases following
    their targets (``modelatlas.alias_of``) and the curated links applied."""
    report = _Links()
    for record, own in zip(models, each, strict=True):
        result = own.result
        if isinstance(result, Link):
            report.links[record["id"]] = result
        else:
            report.unlinked[record["id"]] = result
    _follow_aliases(models, report)
    _apply_curated(curated, report)
    return CanonicalReport(report.links, report.unlinked, frozenset(report.curated))


def link_all(models: list[Record], curated: list[CuratedLink]) -> CanonicalReport:
    """Every record's link, without touching the records."""
    return settled(models, linked_each(models), curated)


class _Provenance:
    """New provenance maps for changed records, one object per distinct result (records share them)."""

    def __init__(self) -> None:
        self.made: dict[tuple[int, str | None, str | None], dict[str, str]] = {}
        self.keep: list[dict[str, str]] = []

    def updated(
        self, old: dict[str, str], slug_source: str | None, family_source: str | None
    ) -> dict[str, str]:
        key = (id(old), slug_source, family_source)
        if key not in self.made:
            new = {path: source for path, source in old.items() if path != "modelatlas.family"}
            if slug_source is not None:
                new["canonical_slug"] = slug_source
            if family_source is not None:
                new["modelatlas.family"] = family_source
            self.keep.append(old)  # ids stay unique while the cache lives
            self.made[key] = new
        return self.made[key]


def enrich(
    models: list[Record], curated: list[CuratedLink], report: CanonicalReport | None = None
) -> CanonicalReport:
    """Set ``canonical_slug`` and ``modelatlas.family`` on every linked record (see the module
    docstring), then fill what the same snapshot at other providers states (:mod:`.fill`); an
    unlinked record keeps an upstream ``canonical_slug`` and has no family.

    ``report``: what :func:`link_all` answers for these records and curated links, when the caller
    has it already (:mod:`modelatlas.render.link_cache`); it is computed otherwise."""
    if report is None:
        report = link_all(models, curated)
    provenance = _Provenance()
    for record in models:
        extension = record["modelatlas"]
        link = report.links.get(record["id"])
        source = CURATED if record["id"] in report.curated else DERIVED
        slug_source: str | None = None
        family_source: str | None = None
        extension.pop("family", None)
        if link is not None:
            extension["family"] = link.family
            family_source = source
            if record.get("canonical_slug") != link.canonical_slug:
                record["canonical_slug"] = link.canonical_slug
                slug_source = source
        extension["provenance"] = provenance.updated(
            extension.get("provenance", {}), slug_source, family_source
        )
    fill(models, {record_id: (link.family, link.canonical_slug) for record_id, link in report.links.items()})
    return report
