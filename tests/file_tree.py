"""Test support: the state of every file under a folder, to see what a build wrote or left alone."""

from __future__ import annotations

from pathlib import Path

from modelatlas.build_folder import DOCUMENTS_CACHE_NAME
from modelatlas.validate import kept_documents

FileState = tuple[bytes, int, int]


def comparable_bytes(rel: str, data: bytes) -> bytes:
    """A built file's bytes as every build of the same data has them: the file's own, but for the kept
    documents (``validate/kept_documents.py``), whose pickles a rebuild may share values in otherwise
    than a fresh build does: what they hold (each provider, its file's SHA-256, its keys, its document)."""
    if rel != DOCUMENTS_CACHE_NAME or not data:
        return data
    head = data.index(b"\n", data.index(b"\n") + 1) + 1
    body = memoryview(data)[head : len(data) - kept_documents._CHECKSUM_BYTES]
    held = [(provider, kept.sha256, kept.keys, kept_documents._unpickled(kept.pickled))
            for provider, kept in kept_documents._entries(body)]
    return data[:head] + repr(held).encode("utf-8")


def file_states(folder: Path) -> dict[str, FileState]:
    """Every file under ``folder`` (posix path relative to it): bytes (:func:`comparable_bytes`),
    inode and mtime_ns."""
    result = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            stat = path.stat()
            rel = path.relative_to(folder).as_posix()
            result[rel] = (comparable_bytes(rel, path.read_bytes()), stat.st_ino, stat.st_mtime_ns)
    return result
