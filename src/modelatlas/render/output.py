"""Write rendered files into the out folder: unchanged files untouched, stale files removed.

Staging strategy (how a failed build leaves the previous output intact while streaming):
each rendered file is hashed as it streams past; if its bytes differ from what the manifest says
is on disk, it is written to a hidden temporary file *beside* its target (``.<name>.tmp-modelatlas``)
and only the pair (temp, target) is remembered. Nothing visible changes until every renderer has
finished: then all temporaries are renamed over their targets (``os.replace``, atomic per file),
files of the previous build that no longer belong are deleted, and the manifest is rewritten.
If anything fails before that point, the temporaries (and folders this build created) are
deleted and the old output is exactly as it was. Memory stays small: one hash per file.

The manifest ``<out>/.modelatlas-manifest.json`` (:mod:`modelatlas.build_folder`) maps every file
this tool wrote to its size and SHA-256, so a no-op rebuild compares hashes instead of re-reading
old files; a file whose size on disk differs from the manifest (edited or deleted by hand) is
rewritten. Only files listed in the manifest are ever deleted.

Skipping work, not just writes: a renderer may yield a :class:`Lazy` file (an input key and a
function that renders it) instead of bytes. The manifest records each path's input key beside its
hash; a lazy file whose key equals the recorded one, and whose file is still there with the
recorded size, counts as unchanged without being rendered. The manifest also records the whole
build's input fingerprint (``inputs``), so :func:`unchanged_build` can answer a no-op rebuild
from the manifest and a ``stat`` of every file.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from modelatlas.build_folder import (
    MANIFEST_FORMAT,
    MANIFEST_NAME,
    TEMP_SUFFIX,
    Manifest,
    ManifestEntry,
    load_manifest,
)
from modelatlas.config import Scrubber
from modelatlas.errors import InputError, ModelatlasError, io_error

MANIFEST_WRITE_CHARS = 1 << 20
_FORBIDDEN = re.compile(r'[\x00-\x1f\x7f\\:*?"<>|]')  # control chars, and what Windows forbids

Content = bytes | Sequence[bytes]
"""A rendered file: its bytes, or a sequence of byte chunks written in order (big list files)."""


@dataclass(frozen=True, slots=True)
class Lazy:
    """A file rendered only if needed: ``key`` hashes every input of its bytes (see
    :mod:`modelatlas.render.input_keys`), ``produce`` renders them."""

    key: str
    produce: Callable[[], Content]


@dataclass(frozen=True)
class BuildReport:
    written: int
    unchanged: int
    removed: int
    scrubbed: tuple[str, ...] = ()  # data files holding a credential's value (replaced by *** in the build)

    @property
    def total(self) -> int:
        return self.written + self.unchanged


def check_relative_path(path: str) -> str:
    """Return ``path`` if it is a safe, normalized, relative posix path; raise ValueError otherwise."""
    if not isinstance(path, str) or not path:
        raise ValueError(f"output path must be a non-empty string: {path!r}")
    if _FORBIDDEN.search(path):
        raise ValueError(f"output path has a forbidden character: {path!r}")
    if path.startswith("/"):
        raise ValueError(f"output path must be relative: {path!r}")
    parts = path.split("/")
    if any(part in ("", ".", "..") for part in parts):
        raise ValueError(f"output path must not contain empty, '.' or '..' parts: {path!r}")
    if path == MANIFEST_NAME or parts[-1].endswith(TEMP_SUFFIX):
        raise ValueError(f"output path is reserved: {path!r}")
    return path


def _chunks(content: Content) -> Sequence[bytes]:
    return (content,) if isinstance(content, bytes | bytearray) else content


def content_bytes(content: Content | Lazy) -> bytes:
    """The bytes of one rendered file, rendering a :class:`Lazy` one (readers other than the output stage)."""
    if isinstance(content, Lazy):
        content = content.produce()
    return b"".join(_chunks(content))


def _digest(chunks: Sequence[bytes]) -> tuple[int, str]:
    hasher = hashlib.sha256()
    size = 0
    for chunk in chunks:
        hasher.update(chunk)
        size += len(chunk)
    return size, hasher.hexdigest()


def _write_manifest(out_dir: Path, manifest: Manifest) -> None:
    files = manifest.files
    # Entries stay tuples (JSON writes them as arrays), and the text is encoded a slice at a time:
    # at 200k files, a list per entry and a second full copy of the text were the build's last peak.
    entries = {path: files[path] if files[path].key else files[path][:2] for path in sorted(files)}
    text = json.dumps({"format": MANIFEST_FORMAT, "files": entries, "inputs": manifest.inputs},
                      separators=(",", ":"))
    del entries
    target = out_dir / MANIFEST_NAME
    temp = target.with_name(MANIFEST_NAME + TEMP_SUFFIX)
    with open(temp, "wb") as handle:
        for start in range(0, len(text), MANIFEST_WRITE_CHARS):
            handle.write(text[start : start + MANIFEST_WRITE_CHARS].encode("utf-8"))
    os.replace(temp, target)


def _on_disk(root: str, rel: str, size: int) -> bool:
    try:
        return os.stat(os.path.join(root, rel)).st_size == size
    except (FileNotFoundError, NotADirectoryError):
        return False


def unchanged_build(out_dir: Path, inputs: str) -> BuildReport | None:
    """The report of a no-op rebuild if ``out_dir`` was built from exactly ``inputs`` and every file
    it lists is still there with its recorded size; None when a real build is needed."""
    if not (out_dir / MANIFEST_NAME).is_file():
        return None
    manifest = load_manifest(out_dir)
    if manifest.inputs != inputs or not manifest.files:
        return None
    root = str(out_dir)
    if not all(_on_disk(root, rel, entry.size) for rel, entry in manifest.files.items()):
        return None
    return BuildReport(written=0, unchanged=len(manifest.files), removed=0)


def _prepare_out_dir(out_dir: Path) -> None:
    try:
        if out_dir.exists() and not out_dir.is_dir():
            raise InputError(f"output path {out_dir} exists and is not a folder; pass another --out")
        if out_dir.is_dir() and not (out_dir / MANIFEST_NAME).exists() and any(out_dir.iterdir()):
            raise InputError(
                f"{out_dir} is not empty and was not written by modelatlas (no {MANIFEST_NAME}); "
                "pass a new or empty --out folder, or delete this one"
            )
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise io_error("create the output folder", exc, "pass another --out") from exc


class _Staging:
    """Temporaries written so far, the folders created for them, and how to undo or commit them.

    Paths are kept as plain strings relative to the root (a 100k-model build stages 200k files).
    """

    def __init__(self, out_dir: Path) -> None:
        self.root = out_dir.resolve()
        self.root_text = str(self.root)
        self.pending: list[str] = []
        self.created_dirs: list[Path] = []
        self.checked_dirs: set[str] = {""}

    def folder(self, rel_dir: str) -> None:
        """Create ``rel_dir`` if needed and make sure it resolves inside the out folder (symlinks)."""
        if rel_dir in self.checked_dirs:
            return
        self.folder(rel_dir.rpartition("/")[0])
        parent = self.root / rel_dir
        if not parent.exists():
            parent.mkdir()
            self.created_dirs.append(parent)
        if not parent.resolve().is_relative_to(self.root):
            raise ModelatlasError(f"output folder {parent} resolves outside {self.root}; remove that link")
        self.checked_dirs.add(rel_dir)

    def _temp(self, rel: str) -> str:
        folder, _, name = rel.rpartition("/")
        return os.path.join(self.root_text, folder, f".{name}{TEMP_SUFFIX}")

    def stage(self, rel: str, chunks: Sequence[bytes]) -> None:
        self.folder(rel.rpartition("/")[0])
        with open(self._temp(rel), "wb") as handle:
            self.pending.append(rel)
            handle.writelines(chunks)

    def rollback(self) -> None:
        for rel in self.pending:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self._temp(rel))
        for folder in reversed(self.created_dirs):
            with contextlib.suppress(OSError):
                folder.rmdir()

    def commit(self) -> None:
        for rel in self.pending:
            os.replace(self._temp(rel), os.path.join(self.root_text, rel))


def _remove_stale(root: Path, stale: Iterable[str]) -> int:
    removed = 0
    folders: set[Path] = set()
    for rel in stale:
        path = root / rel
        try:
            path.unlink()
            removed += 1
        except FileNotFoundError:
            pass
        folders.update(p for p in path.parents if p != root and p.is_relative_to(root))
    for folder in sorted(folders, key=lambda p: len(p.parts), reverse=True):
        with contextlib.suppress(OSError):
            folder.rmdir()  # only succeeds when empty
    return removed


def sync_output(
    out_dir: Path,
    files: Iterable[tuple[str, Content | Lazy]],
    inputs: str | None = None,
    *,
    scrubber: Scrubber | None = None,
) -> BuildReport:
    """Make ``out_dir`` hold exactly ``files`` (plus the manifest); see the module doc for how.

    ``inputs`` is the whole build's input fingerprint, recorded for :func:`unchanged_build`.
    ``scrubber`` (when the data holds a credential's value): that value is replaced in every path
    and file, and every lazy file is rendered (a kept one was written without this scrubber).
    """
    _prepare_out_dir(out_dir)
    old_manifest = load_manifest(out_dir)
    old = old_manifest.files  # emptied as files pass, so old and new entries are not all held twice
    changed = old_manifest.inputs != inputs
    staging = _Staging(out_dir)
    root = staging.root_text
    new: dict[str, ManifestEntry] = {}
    unchanged = 0
    try:
        for rel, content in files:
            try:
                check_relative_path(rel)
            except ValueError as exc:
                raise ModelatlasError(f"a renderer produced an unsafe path: {exc}") from exc
            if rel in new:
                raise ModelatlasError(f"two rendered files share the path {rel!r}")
            if scrubber is not None:
                rel = check_relative_path(scrubber.values_in(rel))
            previous = old.pop(rel, None)
            key = None
            if isinstance(content, Lazy):
                key = content.key
                reusable = previous is not None and previous.key == key and scrubber is None
                if reusable and _on_disk(root, rel, previous.size):
                    new[rel] = previous
                    unchanged += 1
                    continue
                content = content.produce()
            chunks = _chunks(content)
            if scrubber is not None:
                chunks = (scrubber.bytes(b"".join(chunks)),)
            entry = ManifestEntry(*_digest(chunks), key)
            new[rel] = entry
            changed = changed or entry != previous
            if previous is not None and previous[:2] == entry[:2] and _on_disk(root, rel, entry.size):
                unchanged += 1
                continue
            staging.stage(rel, chunks)
    except OSError as exc:
        staging.rollback()
        raise io_error("write", exc, f"nothing in {out_dir} was changed") from exc
    except BaseException:
        staging.rollback()
        raise
    try:
        staging.commit()
        removed = _remove_stale(staging.root, sorted(old))  # what is left of the old manifest is stale
        if changed or old or not (staging.root / MANIFEST_NAME).is_file():
            _write_manifest(staging.root, Manifest(new, inputs))
    except OSError as exc:  # after the swap began: the next build redoes what is missing
        raise io_error("finish writing", exc, "run the build again once that is fixed") from exc
    return BuildReport(written=len(staging.pending), unchanged=unchanged, removed=removed)
