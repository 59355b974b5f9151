"""Records a build checked, kept for the next by the bytes of each in its provider file.

A 1% change of a big data folder leaves 99% of the records byte for byte as they were, and the build
checked every one again (the schema, the bounds, the price contract: at 100k models about 5 s of CPU
in the checker, beside the loading). Each build now keeps a SHA-256 per record that passed, of the
provider and the record's exact text in the file (:func:`record_key`), in
:data:`~modelatlas.build_folder.CHECKED_CACHE_NAME` beside the manifest (its size and SHA-256 in the
manifest, under a key of the code: :class:`KeptChecks`). The next build's checker checks only the
records whose text is not there (the document's own fields and the uniqueness of its ids always).

Why a record's text stands for the record: the checker cuts the file into records by the layout
``modelatlas`` writes (:func:`record_spans`: two-space indents, one record after the other), and a
record whose text is new must be exactly what modelatlas writes for the record the build parsed at
that place. A text is kept only once it was such a whole JSON object, and a JSON object ends at its
own closing brace, so texts that are each a whole object, cut at the separators between them, are
exactly the array's items. The file must be the bytes the build parsed (their SHA-256), and no
second ``models`` member may follow the array (the last one read would win). Any other layout (a file
edited by hand, minified) and any problem at all are checked whole, as before, and give the same
report as ``modelatlas validate``, which never uses this file.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from modelatlas import regular_files
from modelatlas.build_folder import CHECKED_CACHE_NAME, ManifestEntry, recorded_cache
from modelatlas.datastore import ProviderDoc
from modelatlas.jsonio import pretty_bytes
from modelatlas.validate.checks import Problem, check_provider_doc

_HEAD = b"modelatlas checked records 1\n"
KEY_BYTES = hashlib.sha256().digest_size
# The layout of a provider file as modelatlas writes it: its models first, each record's braces on
# lines of their own at four spaces.
_OPEN = b'{\n  "models": [\n    {\n'
_BETWEEN = b"\n    },\n    {\n"
_CLOSE = b"\n    }\n  ]"
_END = b"\n    }"  # a record's closing line


class KeptChecks:
    """The record keys the previous build kept (read by the checker that uses them: :meth:`known`)
    and, once this build's checks are done, the file to keep for the next (:attr:`caches`)."""

    def __init__(self, code_key: bytes, out_dir: Path | None = None, recorded: ManifestEntry | None = None):
        self.head = _HEAD + code_key.hex().encode("ascii") + b"\n"
        self.out_dir, self.recorded = out_dir, recorded
        self.caches: dict[str, bytes] = {}

    def known(self) -> frozenset[bytes]:
        """The previous build's record keys: none unless its file is the one the manifest recorded
        (size and SHA-256) and was made by this code."""
        if self.out_dir is None:
            return frozenset()
        content = recorded_cache(self.out_dir, CHECKED_CACHE_NAME, self.recorded)
        if content is None or not content.startswith(self.head):
            return frozenset()
        keys = memoryview(content)[len(self.head) :]
        if len(keys) % KEY_BYTES:
            return frozenset()
        return frozenset(keys_of(keys))

    def keep(self, keys: bytes) -> None:
        """Keep ``keys`` (sorted, :data:`KEY_BYTES` each) for the next build."""
        self.caches = {CHECKED_CACHE_NAME: self.head + keys}


def keys_of(keys: memoryview) -> list[bytes]:
    """Record keys written one after the other (:data:`KEY_BYTES` each), in order."""
    return [bytes(keys[start : start + KEY_BYTES]) for start in range(0, len(keys), KEY_BYTES)]


def record_key(provider: str, span: bytes | memoryview) -> bytes:
    """The key of one record: its provider (the id rules depend on it) and its exact text, the
    record's ``span`` (:func:`record_spans`) between its braces' lines."""
    hasher = hashlib.sha256(provider.encode("utf-8") + b"\0{\n")
    hasher.update(span)
    hasher.update(_END)
    return hasher.digest()


def record_spans(path: Path, sha256: bytes) -> list[memoryview] | None:
    """Each record's text in the file at ``path`` between the lines of its braces (the record is
    ``{``, a newline, this, its closing line), if the file is still the bytes whose SHA-256 is
    ``sha256`` and holds its models in modelatlas's layout with no second ``models`` member; None
    otherwise."""
    try:
        data = regular_files.read_bytes(path)
    except OSError:
        return None
    if hashlib.sha256(data).digest() != sha256:
        return None
    cut = cut_records(data)
    return None if cut is None else cut[0]


def cut_records(data: bytes) -> tuple[list[memoryview], bytes] | None:
    """A provider file's bytes cut as :func:`record_spans` cuts them: each record's text and what
    follows the models (the document's other members, from the comma after the array, or its closing
    brace); None if they are not in modelatlas's layout or name a second ``models``."""
    if not data.startswith(_OPEN):
        return None
    view, spans, start = memoryview(data), [], len(_OPEN)
    while (cut := data.find(_BETWEEN, start)) >= 0:
        spans.append(view[start:cut])
        start = cut + len(_BETWEEN)
    end = data.find(_CLOSE, start)
    if end < 0:
        return None
    tail = data[end + len(_CLOSE) :]
    if not _no_second_models(tail):
        return None
    spans.append(view[start:end])
    return spans, tail


def _no_second_models(tail: bytes) -> bool:
    """Whether the document's members after its models (``tail``) are JSON and name no ``models``."""
    if tail.rstrip() == b"}":
        return True
    if not tail.startswith(b","):
        return False
    try:
        members = json.loads(b"{" + tail[1:], object_pairs_hook=list)
    except ValueError:
        return False
    return isinstance(members, list) and all(name != "models" for name, _ in members)


def whole_record(span: memoryview) -> bytes:
    """A record's whole text from its span (:func:`record_spans`)."""
    return b"{\n" + span + _END


def _written(record: Any) -> bytes:
    """``record`` as modelatlas writes it in a provider file (a whole JSON object: its lines
    indented by four more spaces, which no JSON string holds raw)."""
    return pretty_bytes(record).rstrip(b"\n").replace(b"\n", b"\n    ")


def _new_records_sound(
    provider: str, doc: ProviderDoc, file: str, spans: Sequence[memoryview], new: list[int]
) -> bool:
    """Whether the records at the ``new`` positions are each written exactly as modelatlas writes the
    record the build parsed there, and pass every check with the document's own fields; and whether
    all the document's ids are unique."""
    models = doc["models"]
    for index in new:
        if _written(models[index]) != whole_record(spans[index]):
            return False
    part = dict(doc)
    part["models"] = [models[index] for index in new]
    if next(check_provider_doc(provider, part, file), None) is not None:
        return False
    return len({model["id"] for model in models}) == len(models)


def checked(
    provider: str, doc: ProviderDoc, file: str, spans: list[memoryview] | None, known: frozenset[bytes]
) -> tuple[list[Problem], list[bytes]]:
    """The problems of one provider document, as :func:`check_provider_doc` reports them, and the
    keys of its records to keep (none unless every record was placed and no problem was found):
    with ``spans`` (:func:`record_spans`), the records whose key is in ``known`` are not checked
    again."""
    models = doc.get("models")
    if spans is None or not isinstance(models, list) or len(spans) != len(models):
        return list(check_provider_doc(provider, doc, file)), []
    keys = [record_key(provider, span) for span in spans]
    new = [index for index, key in enumerate(keys) if key not in known]
    if _new_records_sound(provider, doc, file, spans, new):
        return [], keys
    return list(check_provider_doc(provider, doc, file)), []
