"""Provider documents kept between builds, so that a rebuild parses only the records whose text changed.

Parsing was the biggest part of loading a big data folder (at 100k models, about 4 s of a 1% rebuild's
22 s), yet a 1% change leaves 99% of the records byte for byte as they were. Each build keeps every
provider document as it parsed and prepared it (equal values shared: no value changed), pickled
(loading a pickle is several times faster than parsing the JSON, and a pickle keeps which values are
one object, so a kept record needs no preparing again), with the SHA-256 of the file's bytes and the
key of each record's text (:func:`~modelatlas.validate.checked_records.record_key`, as the build's
checker kept them), in
:data:`~modelatlas.build_folder.DOCUMENTS_CACHE_NAME` beside the manifest (under a key of the code, and
ending with the SHA-256 of all it holds before: a file cut short or edited is not used, and it is not
in the manifest, see below). The next build reads each provider file and takes:

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
build's own memory. A document taken whole is written again as it was kept, every other one as the
build has it. So the file holds what a fresh build's holds, the same documents, but its bytes can
differ: a pickle records which equal values are one object, and a document spliced from kept and
parsed records shares them otherwise than one parse of the file does. That is why it is the one file
of a build not in the manifest (whose bytes, like every output file's, are a fresh build's): it needs
none, since every document in it is the one parsed from the file whose SHA-256 it gives, whichever
build wrote it. Only data that passed every check and holds no credential's value is kept; without
``os.memfd_create`` (systems other than Linux) nothing is. Its pickles may name no class but
``Decimal``: a crafted file cannot run code. ``modelatlas validate`` never uses it.
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
import struct
from collections.abc import Iterable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple

from modelatlas import regular_files
from modelatlas.build_folder import DOCUMENTS_CACHE_NAME
from modelatlas.cpus import reaped
from modelatlas.datastore import ProviderDoc
from modelatlas.jsonio import loads_read_only
from modelatlas.validate.checked_records import KEY_BYTES, cut_records, keys_of, record_key, whole_record

_HEAD = b"modelatlas kept documents 1\n"
_SIZE = struct.Struct("<Q")
_PROTOCOL = 5  # fixed: the bytes kept must not change with the Python that writes them
_CHECKSUM_BYTES = hashlib.sha256().digest_size  # the file ends with the SHA-256 of all before
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

    def __init__(self, code_key: bytes, out_dir: Path | None = None):
        self.head = _HEAD + code_key.hex().encode("ascii") + b"\n"
        self.out_dir = out_dir
        self._kept: dict[str, _Kept] | None = None
        self._taken: dict[str, memoryview] = {}  # the pickles of documents taken whole, to write again
        self._parsed: dict[str, list[ProviderDoc]] = {}  # the records of spliced documents parsed here
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
        parsed: list[ProviderDoc] = []
        try:
            doc = _unpickled(kept.pickled) if whole else _spliced(provider, data, kept, parsed)
        except Exception:  # whatever went wrong (a pickle cannot be trusted to fail one way): parsed instead
            return None
        if not isinstance(doc, dict):
            return None
        if whole:
            self._taken[provider] = kept.pickled
        else:
            self._parsed[provider] = parsed
        return doc

    def unprepared(self, provider: str, doc: ProviderDoc) -> ProviderDoc:
        """What of ``doc`` the build has yet to prepare (the documents are kept as prepared): nothing of a
        document taken whole, the records parsed here of a spliced one, all of one parsed whole."""
        if provider in self._taken:
            return {"models": []}
        parsed = self._parsed.get(provider)
        return doc if parsed is None else {"models": parsed}

    def forget(self) -> None:
        """Let go of the previous build's file (once the checker, which writes this build's, has it)."""
        self._kept, self._taken, self._parsed = {}, {}, {}

    def _read(self) -> dict[str, _Kept]:
        if self.out_dir is None:
            return {}
        try:
            content = regular_files.read_bytes(self.out_dir / DOCUMENTS_CACHE_NAME)
        except OSError:
            return {}
        view, end = memoryview(content), len(content) - _CHECKSUM_BYTES
        if not content.startswith(self.head) or hashlib.sha256(view[:end]).digest() != content[end:]:
            return {}
        try:
            return dict(_entries(view[len(self.head) : end]))
        except ValueError:
            return {}

    def open(self) -> bool:
        """Make the memory file for this build's documents; False where there is none."""
        try:
            self.file = os.memfd_create("modelatlas-documents", os.MFD_CLOEXEC)
        except (AttributeError, OSError):  # not Linux, or no memory file to be had: nothing is kept
            return False
        return True

    def write(self, documents: Iterable[tuple[str, bytes, list[bytes], ProviderDoc]]) -> None:
        """Write (provider, file SHA-256, record keys, document) of every provider into :attr:`file`, and
        the SHA-256 of it all: called by the checker, a forked process, with the documents as read."""
        assert self.file is not None
        hasher = hashlib.sha256()
        with open(self.file, "wb", closefd=False) as out:

            def put(part: bytes | memoryview) -> None:
                hasher.update(part)
                out.write(part)

            put(self.head)
            for provider, sha256, keys, doc in documents:
                pickled = self._taken.get(provider) or memoryview(pickle.dumps(doc, protocol=_PROTOCOL))
                name = provider.encode("utf-8")
                put(b"".join((_SIZE.pack(len(name)), name, sha256, _SIZE.pack(len(keys)), *keys,
                              _SIZE.pack(len(pickled)))))
                put(pickled)
            out.write(hasher.digest())

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
        keys = keys_of(take(number() * KEY_BYTES))
        yield provider, _Kept(sha256, keys, take(number()))


def _spliced(provider: str, data: bytes, kept: _Kept, parsed: list[ProviderDoc]) -> ProviderDoc | None:
    """The document of a changed file from the kept one: kept records where their text is the same,
    the rest parsed on their own (and added to ``parsed``); None if the file is not in modelatlas's
    layout."""
    cut = cut_records(data)
    if cut is None or not kept.keys:
        return None
    spans, tail = cut
    by_key = dict(zip(kept.keys, _unpickled(kept.pickled)["models"], strict=True))
    models = []
    for span in spans:
        record = by_key.get(record_key(provider, span))
        if record is None:
            record = _parsed(whole_record(span))
            parsed.append(record)
        models.append(record)
    members = {} if tail.rstrip() == b"}" else _parsed(b"{" + tail[1:])
    return {"models": models, **members}


def _parsed(text: bytes) -> Any:
    """One JSON value, decoded and parsed as a provider file is (UTF-8: the layout begins ``{``)."""
    value = loads_read_only(text.decode("utf-8", "surrogatepass"))
    if not isinstance(value, dict):
        raise ValueError("not a JSON object")
    return value
