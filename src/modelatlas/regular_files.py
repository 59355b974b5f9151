"""Reading the files a user points the tool at (the data folder's files, a config or facts file, a
built folder) only when they are regular files: a device or a pipe in a file's place (a link to
``/dev/zero``, a FIFO) would be read without end, or wait forever for a writer. Such a path raises
:class:`NotRegularFile`, an ``OSError``, so every reader's "cannot read" message names it."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path


class NotRegularFile(OSError):
    """A path that names a device, a pipe or a socket where a file was expected."""

    def __init__(self, path: Path) -> None:
        super().__init__(errno.EINVAL, "not a regular file", str(path))


def ensure_regular(path: Path) -> None:
    """:class:`NotRegularFile` unless ``path`` is a regular file (or a link to one), for a caller
    that reads it in pieces; never opens it (opening a FIFO waits for a writer)."""
    if not stat.S_ISREG(os.stat(path).st_mode):
        raise NotRegularFile(path)


def read_bytes(path: Path) -> bytes:
    """The bytes of ``path``; :class:`NotRegularFile` unless it is a regular file (or a link to one)."""
    ensure_regular(path)
    with open(path, "rb") as handle:
        return handle.read()


def read_text(path: Path) -> str:
    """``path.read_text(encoding="utf-8")`` (line ends made ``\\n``), for a regular file only."""
    return read_bytes(path).decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
