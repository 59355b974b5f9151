"""The canonical links of the previous build, reused by a rebuild for the records whose inputs are the same.

Linking every record to its canonical model is a tenth of a rebuild after a repricing. A record's
own link (:func:`~modelatlas.canonical.linked_each`) is a function of the vocabulary, made from a few
fields of every record (ids, upstream ``canonical_slug``, Hugging Face id:
:data:`~modelatlas.canonical.VOCABULARY_FIELDS`), and, for a record whose ids link nowhere, of its
``name``; never of prices. Every build keeps each record's own link (and that name, where it was
read) in :data:`LINKS_CACHE_NAME` beside the manifest, under a key:
:func:`~modelatlas.render.input_keys.input_key` of those fields of every record, in order (so of the
code too). The manifest records the file's size and SHA-256 like any file's. A rebuild reads the
file only if it has exactly those bytes, its key is this build's and it holds a link for every
record; then every record keeps its link but one whose name was read and has changed, and only
those are linked again (with the previous build's vocabulary where it was kept:
:mod:`~modelatlas.render.kept_vocabulary`). Anything else (no file, a
file edited by hand, corrupt, another key) costs only the time of linking again. What follows
(aliases, curated links, the records' fields set, :mod:`~modelatlas.canonical.fill`) always runs.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from modelatlas import jsonio
from modelatlas.build_folder import LINKS_CACHE_NAME, VOCABULARY_CACHE_NAME, ManifestEntry, recorded_cache
from modelatlas.canonical import (
    VOCABULARY_EXTENSION_FIELDS,
    VOCABULARY_FIELDS,
    CanonicalReport,
    Linked,
    OwnLink,
    enrich,
    linked_each,
    settled,
)
from modelatlas.canonical.curated import CuratedLink
from modelatlas.canonical.matcher import Link, Unlinked
from modelatlas.record import Record
from modelatlas.render.input_keys import input_key
from modelatlas.render.kept_vocabulary import KeptVocabulary

__all__ = ["LINKS_CACHE_NAME", "VOCABULARY_CACHE_NAME", "KeptLinks"]


def _typed(value: object) -> object:
    """A value JSON cannot write, told apart from any string (linking ignores what is not a string)."""
    return ["decimal", str(value)] if isinstance(value, Decimal) else ["other", repr(value)]


def links_key(models: Sequence[Record]) -> str:
    """The key of the vocabulary of ``models`` (as loaded, before linking sets their fields)."""
    inputs = [
        [*(record.get(name) for name in VOCABULARY_FIELDS),
         *(record["modelatlas"].get(name) for name in VOCABULARY_EXTENSION_FIELDS)]
        for record in models
    ]
    fields = json.dumps([VOCABULARY_FIELDS, VOCABULARY_EXTENSION_FIELDS]).encode()
    encoded = json.dumps(inputs, ensure_ascii=False, separators=(",", ":"), default=_typed).encode()
    return input_key("canonical-links", fields, encoded)


def encoded(key: str, models: Sequence[Record], each: Sequence[OwnLink]) -> bytes:
    """The cache file: the key, and each record's own link (``["L", family, slug]``) or why none
    (``["U", reason]``), in record order, followed by the record's name where linking read it."""
    rows = []
    for record, own in zip(models, each, strict=True):
        result = own.result
        row = ["L", result.family, result.canonical_slug] if isinstance(result, Link) else ["U", result.value]
        rows.append([*row, record.get("name")] if own.read_name else row)
    return json.dumps({"key": key, "records": rows}, ensure_ascii=False, separators=(",", ":"),
                      default=_typed).encode("utf-8")


def decoded(content: bytes, key: str, models: Sequence[Record]) -> list[OwnLink | None] | None:
    """Each record's kept link (None for a record whose name was read and has changed) if
    ``content`` was made with ``key`` for as many records; else None."""
    try:
        document: Any = jsonio.parse(content)
        rows = document["records"]
        if document["key"] != key or len(rows) != len(models):
            return None
        return [_kept(row, record) for row, record in zip(rows, models, strict=True)]
    except (ValueError, KeyError, TypeError):
        return None


def _kept(row: list[Any], record: Record) -> OwnLink | None:
    if row[0] == "L" and len(row) in (3, 4) and isinstance(row[1], str) and isinstance(row[2], str):
        result: Linked = Link(family=row[1], canonical_slug=row[2])
        read_name = len(row) == 4
    elif row[0] == "U" and len(row) in (2, 3):
        result, read_name = Unlinked(row[1]), len(row) == 3
    else:
        raise ValueError(f"not a kept link: {row!r}")
    if read_name:
        name = record.get("name")  # a string, or None for a record without one
        if (name is not None and not isinstance(name, str)) or row[-1] != name:
            return None
    return OwnLink(result, read_name)


class KeptLinks:
    """The links one build reuses (the previous build's, in ``out_dir``, whose manifest recorded the
    build's ``caches``) and keeps for the next (:attr:`caches`, set by :meth:`enrich`), with the
    vocabulary it links records with (:mod:`~modelatlas.render.kept_vocabulary`)."""

    def __init__(
        self, out_dir: Path | None = None, recorded: Mapping[str, ManifestEntry] | None = None
    ) -> None:
        self.out_dir, self.recorded = out_dir, recorded or {}
        self.caches: dict[str, bytes] = {}  # the files kept for the next build, by name

    def enrich(self, models: list[Record], curated: list[CuratedLink]) -> CanonicalReport:
        """:func:`~modelatlas.canonical.enrich` with the previous build's links of the records whose
        inputs are unchanged (see the module doc)."""
        key = links_key(models)
        kept = self._previous(key, models)
        each, vocabulary = self._linked(key, models, kept)
        caches = {LINKS_CACHE_NAME: encoded(key, models, each), VOCABULARY_CACHE_NAME: vocabulary}
        report = enrich(models, curated, settled(models, each, curated))
        self.caches = {name: content for name, content in caches.items() if content is not None}
        return report

    def _linked(
        self, key: str, models: Sequence[Record], kept: Sequence[OwnLink | None]
    ) -> tuple[list[OwnLink], bytes | None]:
        """Each record's own link, and the vocabulary file kept for the next build (the vocabulary
        itself is gone when this returns: at 100k models, tens of MB the output stage need not hold)."""
        vocabulary = KeptVocabulary(key, models, self.out_dir, self.recorded.get(VOCABULARY_CACHE_NAME))
        return linked_each(models, kept, vocabulary.get), vocabulary.content()

    def _previous(self, key: str, models: Sequence[Record]) -> list[OwnLink | None]:
        if self.out_dir is None:
            return []
        content = recorded_cache(self.out_dir, LINKS_CACHE_NAME, self.recorded.get(LINKS_CACHE_NAME))
        return (decoded(content, key, models) or []) if content is not None else []
