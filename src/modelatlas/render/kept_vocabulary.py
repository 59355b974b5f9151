"""The canonical vocabulary of the previous build, kept beside the manifest for a rebuild that must
link records again.

A rebuild keeps each record's own link (:mod:`~modelatlas.render.link_cache`) but links again a
record whose link read its ``name`` when that name has changed, and linking even one record takes
the vocabulary made from every record (:func:`~modelatlas.canonical.vocabulary_of`: about 1.5 s at
100k models). The vocabulary is a function of the fields under the links' key (and of the code), so
a build that made one keeps it in :data:`VOCABULARY_CACHE_NAME` under that key, and a build that
needed none carries the previous file over when it holds this key. A rebuild reads the file only
when a record is left to link, the manifest recorded its size and SHA-256, and its key is this
build's; anything else (no file, a file edited by hand, corrupt, another key) costs only the time of
making the vocabulary again.

The file: ``{"key": ..., "families": [[slug, vendor, current, {date: slug}], ...], "by_vendor":
[[vendor, key, family], ...], "by_key": [[key, [family, ...]], ...], "vendors": [...]}``, each family
by its position, every list in the vocabulary's own order.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from modelatlas import jsonio
from modelatlas.build_folder import VOCABULARY_CACHE_NAME, ManifestEntry, recorded_cache
from modelatlas.canonical import vocabulary_of
from modelatlas.canonical.vocabulary import Family, Vocabulary
from modelatlas.record import Record

__all__ = ["VOCABULARY_CACHE_NAME", "KeptVocabulary", "decoded", "encoded"]


def _head(key: str) -> bytes:
    return b'{"key":' + json.dumps(key).encode() + b","


def encoded(key: str, vocabulary: Vocabulary) -> bytes:
    """The file of ``vocabulary``, made under ``key``."""
    families: dict[int, int] = {}  # id(family) -> its position
    listed: list[Family] = []
    for family in [*vocabulary.by_vendor.values(), *(f for fs in vocabulary.by_key.values() for f in fs)]:
        if id(family) not in families:
            families[id(family)] = len(listed)
            listed.append(family)
    document = {
        "families": [[f.slug, f.vendor, f.current, f.snapshots] for f in listed],
        "by_vendor": [[vendor, name, families[id(f)]] for (vendor, name), f in vocabulary.by_vendor.items()],
        "by_key": [[name, [families[id(f)] for f in fs]] for name, fs in vocabulary.by_key.items()],
        "vendors": sorted(vocabulary.vendors),
    }
    body = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return _head(key) + body[1:]


def decoded(content: bytes, key: str) -> Vocabulary | None:
    """The vocabulary ``content`` holds if it was made under ``key``; else None."""
    if not content.startswith(_head(key)):
        return None
    try:
        document: Any = jsonio.parse(content)
        families = [_family(row) for row in document["families"]]
        by_vendor = {
            (_text(vendor), _text(name)): families[index] for vendor, name, index in document["by_vendor"]
        }
        by_key = {
            _text(name): [families[index] for index in indexes] for name, indexes in document["by_key"]
        }
        vendors = {_text(vendor) for vendor in document["vendors"]}
    except (ValueError, KeyError, TypeError, IndexError):
        return None
    return Vocabulary(by_vendor=by_vendor, by_key=by_key, vendors=vendors)


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"not a string: {value!r}")
    return value


def _family(row: list[Any]) -> Family:
    slug, vendor, current, snapshots = row
    if current is not None:
        _text(current)
    if not isinstance(snapshots, dict):
        raise TypeError(f"not the snapshots of a family: {snapshots!r}")
    kept = {_text(date): _text(dated) for date, dated in snapshots.items()}
    return Family(slug=_text(slug), vendor=_text(vendor), current=current, snapshots=kept)


class KeptVocabulary:
    """The vocabulary of ``models`` under ``key`` for one build: the previous build's (in ``out_dir``,
    recorded in its manifest as ``recorded``) or made anew (:meth:`get`); and the file this build
    keeps for the next (:meth:`content`)."""

    def __init__(
        self, key: str, models: Sequence[Record], out_dir: Path | None = None,
        recorded: ManifestEntry | None = None,
    ) -> None:
        self.key, self.models = key, models
        self.out_dir, self.recorded = out_dir, recorded
        self.made: Vocabulary | None = None  # made by this build
        self._read: bytes | None = None

    def get(self) -> Vocabulary:
        """The vocabulary: the previous build's if it holds this key, else made from the records."""
        previous = self._previous()
        found = decoded(previous, self.key) if previous is not None else None
        if found is not None:
            return found
        self.made = vocabulary_of(self.models)
        return self.made

    def content(self) -> bytes | None:
        """The file kept for the next build: this build's vocabulary, else the previous build's when
        it holds this key; None when there is neither."""
        if self.made is not None:
            return encoded(self.key, self.made)
        previous = self._previous()
        return previous if previous is not None and previous.startswith(_head(self.key)) else None

    def _previous(self) -> bytes | None:
        """The previous build's file, read once, if it has the bytes its manifest recorded."""
        if self._read is None and self.out_dir is not None:
            self._read = recorded_cache(self.out_dir, VOCABULARY_CACHE_NAME, self.recorded) or b""
        return self._read or None
