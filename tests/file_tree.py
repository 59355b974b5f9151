"""Test support: the state of every file under a folder, to see what a build wrote or left alone."""

from __future__ import annotations

from pathlib import Path

FileState = tuple[bytes, int, int]


def file_states(folder: Path) -> dict[str, FileState]:
    """Every file under ``folder`` (posix path relative to it): bytes, inode and mtime_ns."""
    result = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            stat = path.stat()
            result[path.relative_to(folder).as_posix()] = (path.read_bytes(), stat.st_ino, stat.st_mtime_ns)
    return result
