"""A built folder as every stage sees it: the manifest ``build`` writes into it, the suffix of the
temporary files a build stages there, and how a link inside a built file resolves to a build path.

``render`` writes built folders (:mod:`modelatlas.render.output`, :mod:`modelatlas.render.links`);
``validate``, ``serve`` and ``publish`` read them through this module, never through ``render``.

The manifest ``<out>/.modelatlas-manifest.json`` maps every file the build wrote to its size and
SHA-256 (and, for a file rendered only when needed, its input key), plus the whole build's input
fingerprint (``inputs``) and the size and SHA-256 of the caches it keeps beside it for the next build
(``caches``: :data:`CACHE_NAMES`; a cache whose bytes differ is not used).
"""

from __future__ import annotations

import hashlib
import posixpath
from pathlib import Path
from typing import NamedTuple
from urllib.parse import unquote, urljoin, urlsplit

from modelatlas import jsonio, regular_files

MANIFEST_NAME = ".modelatlas-manifest.json"
LINKS_CACHE_NAME = ".modelatlas-links.json"  # the canonical links, kept for the next build
ROWS_CACHE_NAME = ".modelatlas-rows.bin"  # the model tables' rows, kept for the next build
VOCABULARY_CACHE_NAME = ".modelatlas-vocabulary.json"  # the canonical vocabulary, kept for the next build
CHECKED_CACHE_NAME = ".modelatlas-checked.bin"  # the keys of the records checked, kept for the next build
DOCUMENTS_CACHE_NAME = ".modelatlas-documents.bin"  # the provider documents parsed, kept for the next build
# Beside the manifest: the build's, never output files.
CACHE_NAMES = frozenset({
    LINKS_CACHE_NAME, ROWS_CACHE_NAME, VOCABULARY_CACHE_NAME, CHECKED_CACHE_NAME, DOCUMENTS_CACHE_NAME,
})
# Of those, kept but not recorded in the manifest: its bytes depend on the builds before (what it holds
# does not), so the manifest stays a fresh build's; it checks itself (validate/kept_documents.py).
UNRECORDED_CACHE_NAMES = frozenset({DOCUMENTS_CACHE_NAME})
TEMP_SUFFIX = ".tmp-modelatlas"
MANIFEST_FORMAT = 2
# Where a build is served, for resolving: a folder, so a link climbing above the build root shows.
_LOCAL_ROOT = "http://build.invalid/build/"


class ManifestEntry(NamedTuple):
    size: int
    sha256: str
    key: str | None = None  # the input key of a Lazy file


class Manifest(NamedTuple):
    files: dict[str, ManifestEntry]
    inputs: str | None = None
    caches: dict[str, ManifestEntry] | None = None  # size and SHA-256 of each of CACHE_NAMES written

    def cache(self, name: str) -> ManifestEntry | None:
        """The size and SHA-256 recorded for the cache ``name``; None if the build kept none."""
        return (self.caches or {}).get(name)


def load_manifest(out_dir: Path) -> Manifest:
    """What the previous build wrote (files and input fingerprint); empty if none or unreadable."""
    try:
        doc = jsonio.parse(regular_files.read_bytes(out_dir / MANIFEST_NAME))
        files = {
            path: ManifestEntry(int(entry[0]), str(entry[1]), str(entry[2]) if len(entry) > 2 else None)
            for path, entry in doc["files"].items()
        }
        inputs = doc.get("inputs")
        caches = {
            name: ManifestEntry(int(entry[0]), str(entry[1]))
            for name, entry in doc.get("caches", {}).items() if name in CACHE_NAMES
        }
        return Manifest(files, inputs if isinstance(inputs, str) else None, caches)
    except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError):
        return Manifest({})


def recorded_cache(out_dir: Path, name: str, recorded: ManifestEntry | None) -> bytes | None:
    """The bytes of the cache ``name`` (one of :data:`CACHE_NAMES`) in ``out_dir`` if they are the ones
    the manifest recorded (``recorded``: size and SHA-256); None if they are not, or cannot be read."""
    if recorded is None:
        return None
    try:
        content = regular_files.read_bytes(out_dir / name)
    except OSError:
        return None
    if len(content) != recorded.size or hashlib.sha256(content).hexdigest() != recorded.sha256:
        return None
    return content


_NOT_PLAIN = frozenset({"", ".", ".."})  # parts of a path that relpath must normalize


def read_manifest(out_dir: Path) -> dict[str, ManifestEntry]:
    """Files written by the previous build: path -> (size, sha256, input key). Empty if none or unreadable."""
    return load_manifest(out_dir).files


def relative_url(from_doc: str, target: str) -> str:
    """The URL of build path ``target`` relative to build path ``from_doc`` (both files)."""
    folder = posixpath.dirname(from_doc)
    start, parts = folder.split("/") if folder else [], target.split("/")
    if _NOT_PLAIN.isdisjoint(start) and _NOT_PLAIN.isdisjoint(parts):
        # What relpath answers for plain parts, without its two getcwd() calls: a build makes
        # thousands of links (every canonical file's).
        common = 0
        for here, there in zip(start, parts, strict=False):
            if here != there:
                break
            common += 1
        return "/".join([".."] * (len(start) - common) + parts[common:]) or "."
    return posixpath.relpath(target, folder or ".")


def build_path_of(url: str, from_doc: str, base_url: str | None) -> str | None:
    """The build path a link in ``from_doc`` points at, resolved as a client would (RFC 3986);
    None if it leads outside the build (another host, above the base URL or the build root)."""
    root = base_url or _LOCAL_ROOT
    resolved = urljoin(root + from_doc, url)
    if not resolved.startswith(root):
        return None
    path = unquote(urlsplit(resolved[len(root) :]).path)
    return path or None
