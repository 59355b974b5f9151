"""Provider documents kept between builds, so that a rebuild parses only the records whose text changed.

Parsing was the biggest part of loading a big data folder (at 100k models, about 4 s of a 1% rebuild's
22 s), yet a 1% change leaves 99% of the records byte for byte as they were. Each build keeps every
provider document as it parsed it, pickled (loading a pickle is several times faster than parsing the
JSON), with the SHA-256 of the file's bytes and the key of each record's text
(:func:`~modelatlas.validate.checked_records.record_key`, as the build's checker kept them), in
:data:`~modelatlas.build_folder.DOCUMENTS_CACHE_NAME` beside the manifest (its size and SHA-256 in the
manifest, under a key of the code). The next build reads each provider file and takes:

* bytes that are the ones kept: the kept document;
* other bytes in modelatlas's layout (:func:`~modelatlas.validate.checked_records.cut_records`): the
  kept record for each record whose text has a kept key, and every other record's text, and the
  document's other members, parsed on their own;
* anything else, or any failure at all: the file parsed whole, as before.

Why a document made so is the one parsing the file gives: a kept key is the key of a text the
previous build's checker verified to be one whole record object (exactly what modelatlas writes for the
record parsed there: :mod:`~modelatlas.validate.checked_records`), and a text parsed on its own must be
one whole JSON object too (anything after its closing brace is an error). Texts that are each a whole
JSON object, cut at the separators between them, are exactly the array's items, and a JSON value
parses the same wherever it stands. The records are the previous build's objects only where their
text is the same, and a pickle gives back the very values (``Decimal`` included) it was made of.

The build's checker writes the file, after sending its report, into a memory file (``memfd``) the
build copies beside its manifest at the end: on the core the loading leaves idle, and never in the
build's own memory. It holds what a fresh parse of each file makes, so that a rebuild keeps the same
bytes as a build from scratch: a document taken whole is written as it was kept, one parsed here as
parsed, and one made of kept and parsed records is parsed again by the checker (the same values, but
shared between records as one parse shares them, which a pickle records). Only data that passed
every check and holds no credential's value is kept; without ``os.memfd_create`` (systems other than
Linux) nothing is. The file is used only if the manifest recorded it and this code made it, and its
pickles may name no class but ``Decimal``: a crafted file cannot run code. ``modelatlas validate``
never uses it.
"""

from __future__ import annotations

import io
import os
import pickle
import struct
from collections.abc import Iterable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple

from modelatlas.build_folder import DOCUMENTS_CACHE_NAME, ManifestEntry, recorded_cache
from modelatlas.cpus import reaped
from modelatlas.datastore import ProviderDoc, read_provider_file
from modelatlas.jsonio import loads_read_only
from modelatlas.validate.checked_records import KEY_BYTES, cut_records, record_key, whole_record

_HEAD = b"modelatlas kept documents 1\n"
_SIZE = struct.Struct("<Q")
_PROTOCOL = 5  # fixed: the bytes kept must not change with the Python that writes them
READ_BYTES = 1 << 20  # copied from the memory file at a time


class _Kept(NamedTuple):
    """One provider's kept document: the SHA-256 of its file, its records' keys (in order; none if its
    records were not kept one by one) and the pickled document."""

    sha256: bytes
    keys: list[bytes]
    pickled: memoryview


class _Unpickler(pickle.Unpickler):
    """Plain data only: the one class a parsed document holds is ``Decimal``."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) == ("decimal", "Decimal"):
            return Decimal
        raise pickle.UnpicklingError(f"{module}.{name} is not kept data")


def _unpickled(pickled: memoryview) -> Any:
    return _Unpickler(io.BytesIO(pickled)).load()


class KeptDocuments:
    """The documents the previous build kept (:meth:`document`), and this build's, written by its
    checker into :attr:`file` (:meth:`open`, :meth:`write`) and copied out once done (:meth:`written`)."""

    def __init__(self, code_key: bytes, out_dir: Path | None = None, recorded: ManifestEntry | None = None):
        self.head = _HEAD + code_key.hex().encode("ascii") + b"\n"
        self.out_dir, self.recorded = out_dir, recorded
        self._kept: dict[str, _Kept] | None = None
        self._taken: dict[str, memoryview] = {}  # the pickles of documents taken whole, to write again
        self._spliced: set[str] = set()  # the providers whose document was made of kept and parsed records
        self.file: int | None = None  # the memory file this build's documents are written into
        self.writer: int | None = None  # the process writing them, until it is reaped

    def document(self, provider: str, data: bytes, sha256: bytes) -> ProviderDoc | None:
        """The document of a provider file's bytes (``data``, whose SHA-256 is ``sha256``) made from the
        previous build's, or None: then it is to be parsed. Each provider's is taken once (and let go)."""
        if self._kept is None:
            self._kept = self._read()
        kept = self._kept.pop(provider, None)
        if kept is None:
            return None
        whole = kept.sha256 == sha256
        try:
            doc = _unpickled(kept.pickled) if whole else _spliced(provider, data, kept)
        except Exception:  # whatever went wrong (a pickle cannot be trusted to fail one way): parsed instead
            return None
        if not isinstance(doc, dict):
            return None
        if whole:
            self._taken[provider] = kept.pickled
        else:
            self._spliced.add(provider)
        return doc

    def forget(self) -> None:
        """Let go of the previous build's file (once the checker, which writes this build's, has it)."""
        self._kept, self._taken = {}, {}

    def _read(self) -> dict[str, _Kept]:
        if self.out_dir is None:
            return {}
        content = recorded_cache(self.out_dir, DOCUMENTS_CACHE_NAME, self.recorded)
        if content is None or not content.startswith(self.head):
            return {}
        try:
            return dict(_entries(memoryview(content)[len(self.head) :]))
        except ValueError:
            return {}

    def open(self) -> bool:
        """Make the memory file for this build's documents; False where there is none."""
        if not hasattr(os, "memfd_create"):
            return False
        self.file = os.memfd_create("modelatlas-documents", os.MFD_CLOEXEC)
        return True

    def write(self, data_dir: Path, documents: Iterable[tuple[str, bytes, list[bytes], ProviderDoc]]) -> None:
        """Write (provider, file SHA-256, record keys, document) of every provider into :attr:`file`:
        called by the checker, a forked process, with the documents as they were read from ``data_dir``
        (a spliced one is parsed again; left out if its file has changed since)."""
        assert self.file is not None
        with open(self.file, "wb", closefd=False) as out:
            out.write(self.head)
            for provider, sha256, keys, doc in documents:
                pickled = self._taken.get(provider)
                if pickled is None:
                    parsed = _parsed_again(data_dir, provider, sha256) if provider in self._spliced else doc
                    if parsed is None:
                        continue
                    pickled = memoryview(pickle.dumps(parsed, protocol=_PROTOCOL))
                name = provider.encode("utf-8")
                out.write(b"".join((_SIZE.pack(len(name)), name, sha256, _SIZE.pack(len(keys)), *keys,
                                    _SIZE.pack(len(pickled)))))
                out.write(pickled)

    def written(self) -> Iterator[bytes]:
        """This build's documents for the next build, once their writer has ended; nothing if it failed."""
        if self.writer is None or self.file is None:
            return
        status, self.writer = reaped(self.writer, stop=False), None
        if status != 0:
            return
        size, offset = os.fstat(self.file).st_size, 0
        while offset < size and (chunk := os.pread(self.file, min(READ_BYTES, size - offset), offset)):
            offset += len(chunk)
            yield chunk

    def close(self) -> None:
        """Stop a writer still running (the build ended first) and let the memory file go."""
        if self.writer is not None:
            reaped(self.writer, stop=True)
            self.writer = None
        if self.file is not None:
            os.close(self.file)
            self.file = None


def _entries(content: memoryview) -> Iterator[tuple[str, _Kept]]:
    """The (provider, kept document) entries of a file :meth:`KeptDocuments.write` wrote (after its head)."""
    position = 0

    def take(size: int) -> memoryview:
        nonlocal position
        if size < 0 or position + size > len(content):
            raise ValueError("a kept documents file ends early")
        part = content[position : position + size]
        position += size
        return part

    def number() -> int:
        return _SIZE.unpack(take(_SIZE.size))[0]

    while position < len(content):
        provider = bytes(take(number())).decode("utf-8")
        sha256 = bytes(take(KEY_BYTES))
        keys = take(number() * KEY_BYTES)
        listed = [bytes(keys[start : start + KEY_BYTES]) for start in range(0, len(keys), KEY_BYTES)]
        yield provider, _Kept(sha256, listed, take(number()))


def _parsed_again(data_dir: Path, provider: str, sha256: bytes) -> ProviderDoc | None:
    """The provider's file parsed whole, as the build parses it, if it is still the bytes read."""
    found = read_provider_file(data_dir, provider, read_only=True, hashed=True)
    return found[0] if found is not None and found[1] == sha256 else None


def _spliced(provider: str, data: bytes, kept: _Kept) -> ProviderDoc | None:
    """The document of a changed file from the kept one: kept records where their text is the same,
    the rest parsed on their own (None if the file is not in modelatlas's layout)."""
    cut = cut_records(data)
    if cut is None or not kept.keys:
        return None
    spans, tail = cut
    by_key = dict(zip(kept.keys, _unpickled(kept.pickled)["models"], strict=True))
    models = []
    for span in spans:
        record = by_key.get(record_key(provider, span))
        models.append(_parsed(whole_record(span)) if record is None else record)
    members = {} if tail.rstrip() == b"}" else _parsed(b"{" + tail[1:])
    return {"models": models, **members}


def _parsed(text: bytes) -> Any:
    """One JSON value, decoded and parsed as a provider file is (UTF-8: the layout begins ``{``)."""
    value = loads_read_only(text.decode("utf-8", "surrogatepass"))
    if not isinstance(value, dict):
        raise ValueError("not a JSON object")
    return value
