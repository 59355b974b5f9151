"""Write rendered files into the out folder: unchanged files untouched, stale files removed.

Staging strategy (how a failed build leaves the previous output intact while streaming):
each rendered file is hashed as it streams past; if its bytes differ from what the manifest says
is on disk, it is written to a hidden temporary file *beside* its target (``.<name>.tmp-modelatlas``)
and only the pair (temp, target) is remembered. Nothing visible changes until every renderer has
finished: then all temporaries are renamed over their targets (``os.replace``, atomic per file),
files of the previous build that no longer belong are deleted, and the manifest is rewritten.
If anything fails before that point, the temporaries (and folders this build created) are
deleted and the old output is exactly as it was. Memory stays small: one hash per file.

The manifest ``<out>/.modelatlas-manifest.json`` maps every file this tool wrote to its size and
SHA-256, so a no-op rebuild compares hashes instead of re-reading old files; a file whose size on
disk differs from the manifest (edited or deleted by hand) is rewritten. Only files listed in the
manifest are ever deleted.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from modelatlas.errors import InputError, ModelatlasError

MANIFEST_NAME = ".modelatlas-manifest.json"
TEMP_SUFFIX = ".tmp-modelatlas"
MANIFEST_FORMAT = 1
_FORBIDDEN = re.compile(r'[\x00-\x1f\x7f\\:*?"<>|]')  # control chars, and what Windows forbids

Content = bytes | Sequence[bytes]
"""A rendered file: its bytes, or a sequence of byte chunks written in order (big list files)."""


@dataclass(frozen=True)
class BuildReport:
    written: int
    unchanged: int
    removed: int

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


def _digest(chunks: Sequence[bytes]) -> tuple[int, str]:
    hasher = hashlib.sha256()
    size = 0
    for chunk in chunks:
        hasher.update(chunk)
        size += len(chunk)
    return size, hasher.hexdigest()


def read_manifest(out_dir: Path) -> dict[str, tuple[int, str]]:
    """Files written by the previous build: path -> (size, sha256). Empty if none or unreadable."""
    try:
        doc = json.loads((out_dir / MANIFEST_NAME).read_bytes())
        files = doc["files"]
        return {path: (int(entry[0]), str(entry[1])) for path, entry in files.items()}
    except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError):
        return {}


def _write_manifest(out_dir: Path, files: dict[str, tuple[int, str]]) -> None:
    doc = {"format": MANIFEST_FORMAT, "files": {path: list(files[path]) for path in sorted(files)}}
    target = out_dir / MANIFEST_NAME
    temp = target.with_name(MANIFEST_NAME + TEMP_SUFFIX)
    temp.write_bytes(json.dumps(doc, separators=(",", ":")).encode("utf-8"))
    os.replace(temp, target)


def _prepare_out_dir(out_dir: Path) -> None:
    if out_dir.exists() and not out_dir.is_dir():
        raise InputError(f"output path {out_dir} exists and is not a folder; pass another --out")
    if out_dir.is_dir() and not (out_dir / MANIFEST_NAME).exists() and any(out_dir.iterdir()):
        raise InputError(
            f"{out_dir} is not empty and was not written by modelatlas (no {MANIFEST_NAME}); "
            "pass a new or empty --out folder, or delete this one"
        )
    out_dir.mkdir(parents=True, exist_ok=True)


class _Staging:
    """Temporaries written so far, the folders created for them, and how to undo or commit them."""

    def __init__(self, out_dir: Path) -> None:
        self.root = out_dir.resolve()
        self.pending: list[tuple[Path, Path]] = []
        self.created_dirs: list[Path] = []
        self.checked_dirs: set[Path] = {self.root}

    def folder(self, parent: Path) -> None:
        """Create ``parent`` if needed and make sure it resolves inside the out folder (symlinks)."""
        if parent in self.checked_dirs:
            return
        self.folder(parent.parent)
        if not parent.exists():
            parent.mkdir()
            self.created_dirs.append(parent)
        if not parent.resolve().is_relative_to(self.root):
            raise ModelatlasError(f"output folder {parent} resolves outside {self.root}; remove that link")
        self.checked_dirs.add(parent)

    def stage(self, target: Path, chunks: Sequence[bytes]) -> None:
        self.folder(target.parent)
        temp = target.with_name(f".{target.name}{TEMP_SUFFIX}")
        with open(temp, "wb") as handle:
            self.pending.append((temp, target))
            handle.writelines(chunks)

    def rollback(self) -> None:
        for temp, _ in self.pending:
            temp.unlink(missing_ok=True)
        for folder in reversed(self.created_dirs):
            with contextlib.suppress(OSError):
                folder.rmdir()

    def commit(self) -> None:
        for temp, target in self.pending:
            os.replace(temp, target)


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


def sync_output(out_dir: Path, files: Iterable[tuple[str, Content]]) -> BuildReport:
    """Make ``out_dir`` hold exactly ``files`` (plus the manifest); see the module doc for how."""
    _prepare_out_dir(out_dir)
    old = read_manifest(out_dir)
    staging = _Staging(out_dir)
    root = staging.root
    new: dict[str, tuple[int, str]] = {}
    unchanged = 0
    try:
        for rel, content in files:
            try:
                check_relative_path(rel)
            except ValueError as exc:
                raise ModelatlasError(f"a renderer produced an unsafe path: {exc}") from exc
            if rel in new:
                raise ModelatlasError(f"two rendered files share the path {rel!r}")
            chunks = _chunks(content)
            entry = _digest(chunks)
            new[rel] = entry
            target = root / rel
            if old.get(rel) == entry:
                try:
                    if target.stat().st_size == entry[0]:
                        unchanged += 1
                        continue
                except FileNotFoundError:
                    pass
            staging.stage(target, chunks)
    except BaseException:
        staging.rollback()
        raise
    staging.commit()
    removed = _remove_stale(root, sorted(set(old) - set(new)))
    if new != old or not (root / MANIFEST_NAME).is_file():
        _write_manifest(root, new)
    return BuildReport(written=len(staging.pending), unchanged=unchanged, removed=removed)
