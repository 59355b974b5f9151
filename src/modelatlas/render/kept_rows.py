"""The rows file a build keeps beside its manifest for the next (:data:`ROWS_CACHE_NAME`): its format,
and reading it back (:class:`KeptRows`). The rows themselves are made by
:mod:`modelatlas.render.model_rows`.

The file: a line ``modelatlas-rows 1 <key>`` (:func:`rows_key`: the code, and the folder depth the
rows are made for), the number of rows (8 bytes), then per row its record digest and the byte
lengths of the HTML before and after the provider cell, then the rows' UTF-8 HTML, in catalog
order. It is read only when it has exactly the bytes the manifest recorded (size and SHA-256) and
this code's key; anything else (no file, a file edited by hand, another key) reads as empty.
"""

from __future__ import annotations

import hashlib
import struct
from array import array
from pathlib import Path
from typing import BinaryIO

from modelatlas import regular_files
from modelatlas.build_folder import ROWS_CACHE_NAME, ManifestEntry
from modelatlas.render.input_keys import KEY_BYTES, input_key

ROOT = "../"  # browse/<n>.html and providers/<p>.html are one folder down from the build root
MAGIC = b"modelatlas-rows 1 "
COUNT = struct.Struct("<Q")
ENTRY = struct.Struct(f"<{KEY_BYTES}sII")  # record digest, bytes before and after the provider cell
READ_BYTES = 1 << 20
Place = tuple[int, int, int, int]  # (file descriptor, offset, bytes before, bytes after the provider cell)


def rows_key() -> bytes:
    """The key of every row this code makes for a page one folder down."""
    return input_key("model-rows", ROOT.encode()).encode()


def file_head(count: int) -> bytes:
    """What a rows file of ``count`` rows starts with: its first line and the number of rows."""
    return MAGIC + rows_key() + b"\n" + COUNT.pack(count)


class Shelf:
    """Where the rows in one file are, by record digest (arrays, not a tuple per row: at 100k models
    a tuple each held 20 MB more in every process that read them)."""

    def __init__(self, fd: int = -1) -> None:
        self.fd = fd
        self.at: dict[bytes, int] = {}
        self.offsets, self.befores, self.afters = array("Q"), array("I"), array("I")

    def add(self, digest: bytes, offset: int, before: int, after: int) -> None:
        self.at[digest] = len(self.offsets)
        self.offsets.append(offset)
        self.befores.append(before)
        self.afters.append(after)

    def find(self, digest: bytes) -> Place | None:
        index = self.at.get(digest)
        if index is None:
            return None
        return self.fd, self.offsets[index], self.befores[index], self.afters[index]


class KeptRows:
    """The previous build's rows file (:data:`ROWS_CACHE_NAME`), read a row at a time; empty when
    there is none to trust."""

    def __init__(self, handle: BinaryIO | None = None, shelf: Shelf | None = None) -> None:
        self.handle = handle  # open as long as the catalog: its rows are read while pages render
        self.shelf = shelf or Shelf()

    @classmethod
    def read(cls, out_dir: Path, recorded: ManifestEntry | None) -> KeptRows:
        """The rows file of ``out_dir`` if it has exactly the bytes the manifest recorded and this
        code's key; an empty one otherwise."""
        if recorded is None:
            return cls()
        path = out_dir / ROWS_CACHE_NAME
        try:
            regular_files.ensure_regular(path)
            handle = open(path, "rb")  # noqa: SIM115 (kept open for the build: see __init__)
        except OSError:
            return cls()
        try:
            shelf = _shelf(handle, recorded)
        except (OSError, ValueError, struct.error):
            shelf = None
        if shelf is None:
            handle.close()
            return cls()
        return cls(handle, shelf)

    def __len__(self) -> int:
        return len(self.shelf.at)

    def get(self, digest: bytes) -> Place | None:
        return self.shelf.find(digest)

    def close(self) -> None:
        if self.handle is not None:
            self.handle.close()


def _shelf(handle: BinaryIO, recorded: ManifestEntry) -> Shelf | None:
    """Where each row of the file is, or None if the file is not the one recorded, or not this key's."""
    hasher, size = hashlib.sha256(), 0
    while chunk := handle.read(READ_BYTES):
        hasher.update(chunk)
        size += len(chunk)
    if size != recorded.size or hasher.hexdigest() != recorded.sha256:
        return None
    handle.seek(0)
    if handle.readline() != MAGIC + rows_key() + b"\n":
        return None
    (count,) = COUNT.unpack(handle.read(COUNT.size))
    index = handle.read(count * ENTRY.size)
    offset, shelf = handle.tell(), Shelf(handle.fileno())
    for digest, before, after in ENTRY.iter_unpack(index):
        shelf.add(digest, offset, before, after)
        offset += before + after
    return shelf if offset == size else None
