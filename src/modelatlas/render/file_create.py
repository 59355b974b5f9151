"""New files written with a system call each, not through Python's buffered file objects.

A build creates thousands of small files (6,569 for the snapshot). ``open(path, "xb")`` makes a file
object and a buffer for each; ``os.open``, one ``os.writev`` of the file's chunks and ``os.close``
cost about 40% less for the same files on tmpfs (6,500 files of 8 KB: 0.21 s against 0.13 s).
"""

from __future__ import annotations

import os
from collections.abc import Sequence

_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
_IOV_MAX = 16  # chunks per writev at most: POSIX's smallest IOV_MAX (Linux allows 1024)
if hasattr(os, "sysconf") and "SC_IOV_MAX" in getattr(os, "sysconf_names", {}):
    _IOV_MAX = max(_IOV_MAX, os.sysconf("SC_IOV_MAX"))


def create_with(path: str, chunks: Sequence[bytes]) -> None:
    """Create ``path`` holding ``chunks`` in order; an existing file is never opened (FileExistsError:
    it may be a hard link to a file of the output being replaced)."""
    if not hasattr(os, "writev"):  # Windows
        with open(path, "xb") as handle:
            handle.writelines(chunks)
        return
    fd = os.open(path, _CREATE, 0o666)
    try:
        for start in range(0, len(chunks), _IOV_MAX):
            _write_all(fd, chunks[start : start + _IOV_MAX])
    finally:
        os.close(fd)


def _write_all(fd: int, batch: Sequence[bytes]) -> None:
    """Every byte of ``batch``: one ``writev``, then what a short write left, chunk by chunk."""
    written = os.writev(fd, batch)
    for chunk in batch:
        if written >= len(chunk):
            written -= len(chunk)
            continue
        view = memoryview(chunk)[written:]
        written = 0
        while view:
            view = view[os.write(fd, view) :]
