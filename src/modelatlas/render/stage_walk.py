"""One process's walk over the files of a build in the output stage (:mod:`modelatlas.render.output`):
each file's path checked, compared with what the previous build's manifest says is on disk, and
then linked from the current output (unchanged) or written into the staging folder."""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable, Iterator, Mapping

from modelatlas.build_folder import (
    CACHE_NAMES,
    MANIFEST_NAME,
    TEMP_SUFFIX,
    UNRECORDED_CACHE_NAMES,
    ManifestEntry,
)
from modelatlas.config import Scrubber
from modelatlas.errors import ModelatlasError
from modelatlas.render.lazy import Content, Deferred, Lazy
from modelatlas.render.out_folder import Staging
from modelatlas.render.site_paths import NOT_NAMES

_FORBIDDEN = re.compile(r'[\x00-\x1f\x7f\\:*?"<>|]')  # control chars, and what Windows forbids


def check_relative_path(path: str) -> str:
    """Return ``path`` if it is a safe, normalized, relative posix path; raise ValueError otherwise."""
    if not isinstance(path, str) or not path:
        raise ValueError(f"output path must be a non-empty string: {path!r}")
    if _FORBIDDEN.search(path):
        raise ValueError(f"output path has a forbidden character: {path!r}")
    if path.startswith("/"):
        raise ValueError(f"output path must be relative: {path!r}")
    parts = path.split("/")
    if not NOT_NAMES.isdisjoint(parts):
        raise ValueError(f"output path must not contain empty, '.' or '..' parts: {path!r}")
    if path == MANIFEST_NAME or parts[-1].endswith(TEMP_SUFFIX):
        raise ValueError(f"output path is reserved: {path!r}")
    return path


def chunks_of(content: Content) -> Iterable[bytes]:
    return (content,) if isinstance(content, bytes | bytearray) else content


def digest_of(chunks: Iterable[bytes]) -> tuple[int, str]:
    hasher = hashlib.sha256()
    size = 0
    for chunk in chunks:
        hasher.update(chunk)
        size += len(chunk)
    return size, hasher.hexdigest()


def on_disk(root: str, rel: str, size: int, written_by: int, root_fd: int | None = None) -> bool:
    """Whether ``rel`` is still the file the manifest describes: its size, and no change since.
    ``root_fd``: ``root`` open, to look ``rel`` up from (a third less time than from ``/``)."""
    try:
        info = os.stat(os.path.join(root, rel)) if root_fd is None else os.stat(rel, dir_fd=root_fd)
    except (FileNotFoundError, NotADirectoryError):
        return False
    return info.st_size == size and info.st_mtime_ns <= written_by


class StageWalk:
    """One process's share of the stage: each file it takes compared with the old manifest (``old``,
    emptied as files pass, so old and new entries are not all held twice), then linked or written."""

    def __init__(
        self, staging: Staging, old: dict[str, ManifestEntry], written_by: int, scrubber: Scrubber | None,
        not_linked: set[str] | None = None, old_caches: Mapping[str, ManifestEntry] | None = None,
    ) -> None:
        self.staging, self.old, self.written_by, self.scrubber = staging, old, written_by, scrubber
        self.new: dict[str, ManifestEntry] = {}
        self.old_caches = old_caches or {}  # the previous build's caches, by name
        self.caches: dict[str, ManifestEntry] = {}  # the caches this walk staged
        self.unchanged = 0
        # With a linker (render/prelink.py), every file of the current output still as ``old``
        # describes it was linked into the staging folder before the stage; ``not_linked`` holds the
        # others (few: files removed or edited by hand). None without one: each file is checked here.
        self.not_linked = not_linked
        self.unstaged: set[str] = set()  # linked by it, then removed here (a file that changed)

    def trusted(self, rel: str, previous: ManifestEntry | None) -> bool:
        """Whether the current output's file at ``rel`` is still the one ``previous`` describes."""
        if previous is None:
            return False
        if self.not_linked is None:
            return on_disk(self.staging.source, rel, previous.size, self.written_by)
        return rel not in self.not_linked

    def _staged(self, rel: str) -> bool:
        """Whether the linker's link for ``rel``, a path of the previous manifest, is still staged."""
        return self.not_linked is not None and rel not in self.not_linked and rel not in self.unstaged

    def keep(self, rel: str) -> None:
        """Stage the current output's file at ``rel``, unchanged (linked, unless it is already)."""
        if not self._staged(rel):
            self.staging.link(rel)

    def unstage(self, rel: str) -> None:
        """Remove what is staged at ``rel``, if anything (never written through: it may be a link)."""
        self.staging.forget(rel)
        if self.not_linked is not None:
            self.unstaged.add(rel)

    def needed(self, rel: str, lazy: Lazy) -> bool:
        """A cheap guess whether ``lazy`` must be rendered (a kept file is still checked in :meth:`take`)."""
        previous = self.old.get(rel)
        return self.scrubber is not None or previous is None or previous.key != lazy.key

    def path(self, rel: str) -> str:
        try:
            check_relative_path(rel)
            if self.scrubber is not None:
                rel = check_relative_path(self.scrubber.values_in(rel))
        except ValueError as exc:
            raise ModelatlasError(f"a renderer produced an unsafe path: {exc}") from exc
        return rel

    def add(self, rel: str, entry: ManifestEntry) -> None:
        if rel in self.new:
            raise ModelatlasError(f"two rendered files share the path {rel!r}")
        self.new[rel] = entry

    def take(self, rel: str, content: Content | Lazy | Deferred) -> None:
        if isinstance(content, Deferred) and content.cache:
            self.take_cache(rel, content)
            return
        rel = self.path(rel)
        if rel in self.new:
            raise ModelatlasError(f"two rendered files share the path {rel!r}")
        staging, scrubber = self.staging, self.scrubber
        previous = self.old.pop(rel, None)
        trusted = self.trusted(rel, previous)
        key = content.key if isinstance(content, Lazy) else None
        if isinstance(content, Deferred) and content.key is not None:
            key = content.key()
        if key is not None and trusted and previous is not None and previous.key == key and scrubber is None:
            self.new[rel] = previous
            self.keep(rel)
            self.unchanged += 1
            return
        if isinstance(content, Lazy | Deferred):
            content = content.produce()
        chunks = chunks_of(content)
        if scrubber is not None:
            chunks = (scrubber.bytes(b"".join(chunks)),)
        staged = previous is not None and self._staged(rel)
        if isinstance(chunks, Iterator):  # made as it is read: hashed as it is written
            if staged:
                self.unstage(rel)
            entry = self.new[rel] = ManifestEntry(*staging.write_hashed(rel, chunks), key)
            if trusted and previous is not None and previous[:2] == entry[:2]:
                staging.relink(rel)
                self.unchanged += 1
            return
        entry = self.new[rel] = ManifestEntry(*digest_of(chunks), key)
        if trusted and previous is not None and previous[:2] == entry[:2]:
            self.keep(rel)
            self.unchanged += 1
            return
        if staged:
            self.unstage(rel)
        staging.write(rel, chunks)

    def take_cache(self, name: str, content: Deferred | bytes) -> None:
        """Stage one of the build's caches (:data:`CACHE_NAMES`, beside the manifest; linked from the
        current output when its bytes are the previous build's): made by a renderer (a
        :class:`Deferred`), or by the build as it loaded the catalog (its bytes)."""
        if name not in CACHE_NAMES or name in self.caches:
            raise ModelatlasError(f"an unknown or second build cache {name!r}; report this bug")
        made = content if isinstance(content, bytes) else content.produce()
        if name in UNRECORDED_CACHE_NAMES:  # written, never recorded
            self.staging.write_hashed(name, (made,) if isinstance(made, bytes) else made, counted=False)
            return
        if isinstance(made, bytes):  # hashed first: linked without being written when unchanged
            entry = self.caches[name] = ManifestEntry(*digest_of((made,)))
            if self._kept_cache(name, entry):
                self.staging.link(name)
            else:
                self.staging.write_hashed(name, (made,), counted=False)
            return
        entry = self.caches[name] = ManifestEntry(*self.staging.write_hashed(name, made, counted=False))
        if self._kept_cache(name, entry):
            self.staging.relink(name, counted=False)

    def _kept_cache(self, name: str, entry: ManifestEntry) -> bool:
        """Whether the previous build recorded this very cache and it is still on disk as recorded."""
        recorded = self.old_caches.get(name)
        return recorded == entry and on_disk(self.staging.source, name, entry.size, self.written_by)

    def drop_stale(self) -> None:
        """Remove from the staging folder what the linker staged of the files left in :attr:`old`
        (the current output's files the new build does not have), and the folders that leaves empty."""
        folders = set()
        for rel in self.old:
            if self._staged(rel):
                self.staging.forget(rel)
                folders.add(rel.rpartition("/")[0])
        self.staging.prune(folders)
