"""Proof that the suite writes nothing outside its temporary folders.

Two checks, each robust to other processes using the machine:

* :class:`WriteAudit`, a ``sys.addaudithook`` hook in the pytest process: every file opened for
  writing, created, renamed, removed or re-permissioned outside the temporary folder (the suite's own
  HOME lives there too) is recorded with the test that did it, and that test fails. It sees only
  this process, so a cache written by another program at the same time is no false alarm.
* :func:`tree_state` of the repository (every file and folder but ``.git`` and ``__pycache__``:
  size, mode, mtime and symlink target), taken when the session starts and compared when it ends.
  It also catches child processes (git, Chromium, node, ``modelatlas`` subprocesses) writing into
  the checkout. The real home folder as a whole is compared by ``.ci/run``, on a machine nobody
  else uses.

Bytecode caches (``__pycache__``) are left out of both: Python writes them for any import.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

# Audit events that change the file system: the positions of their path arguments, and of the
# folder descriptor a relative path is taken from (-1 or None when it is the working folder).
_PATH_ARGS: dict[str, tuple[tuple[int, ...], int | None]] = {
    "os.mkdir": ((0,), 2),
    "os.rename": ((0, 1), 2),
    "os.remove": ((0,), 1),
    "os.rmdir": ((0,), 1),
    "os.symlink": ((1,), 2),
    "os.link": ((1,), 3),
    "os.truncate": ((0,), None),
    "os.chmod": ((0,), 2),
    "os.chown": ((0,), 3),
    "os.utime": ((0,), 3),
    "shutil.copyfile": ((1,), None),
    "shutil.copytree": ((1,), None),
    "shutil.move": ((1,), None),
    "shutil.rmtree": ((0,), 1),
}
# Events that take something away: they count even when the path is gone afterwards. Any other
# event counts only if its path exists after the test (a test may try to write where it cannot,
# e.g. /sys, to see the error: an attempt that failed wrote nothing).
_REMOVALS = frozenset({"os.remove", "os.rmdir", "os.rename", "shutil.rmtree", "shutil.move"})
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
_SKIPPED_FOLDERS = frozenset({".git", "__pycache__"})
TreeState = dict[str, tuple[str, int, int, int, str]]


def _write_open(args: tuple[object, ...]) -> bool:
    mode, flags = args[1], args[2]
    if isinstance(flags, int) and flags & _WRITE_FLAGS:
        return True
    return isinstance(mode, str) and any(c in mode for c in "wax+")


class WriteAudit:
    """Records writes outside ``allowed`` folders; ``where`` names the running test."""

    def __init__(self, allowed: Iterable[Path]) -> None:
        self.allowed = tuple(sorted({os.path.join(os.path.abspath(p), "") for p in allowed}))
        self.where = "collection"
        self.found: list[tuple[str, str, str]] = []  # (where, event, path)

    def install(self) -> None:
        sys.addaudithook(self._hook)

    def _hook(self, event: str, args: tuple[object, ...]) -> None:
        if event == "open":
            if _write_open(args):
                self._check(event, args[0])
        elif event in _PATH_ARGS:
            positions, folder_fd = _PATH_ARGS[event]
            if folder_fd is not None and args[folder_fd] not in (None, -1):
                return  # relative to an open folder (shutil.rmtree's walk): the top was checked
            for index in positions:
                self._check(event, args[index])

    def _check(self, event: str, path: object) -> None:
        if isinstance(path, int) or path is None:
            return  # a file descriptor (or a path relative to one): its folder was checked when opened
        try:
            text = os.path.abspath(os.fsdecode(path))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return
        if f"{os.sep}__pycache__{os.sep}" in text or os.path.join(text, "").startswith(self.allowed):
            return
        self.found.append((self.where, event, text))

    def writes(self, start: int = 0) -> list[tuple[str, str, str]]:
        """What was written from the ``start``-th record on (failed attempts left out), in order."""
        return [
            found
            for found in dict.fromkeys(self.found[start:])
            if found[1] in _REMOVALS or os.path.lexists(found[2])
        ]


def allowed_folders() -> list[Path]:
    """The temporary folder, the devices, and an artifact folder CI asked for explicitly."""
    folders = [Path(tempfile.gettempdir()), Path(tempfile.gettempdir()).resolve(), Path(os.devnull).parent]
    screenshots = os.environ.get("MODELATLAS_SCREENSHOTS")
    if screenshots:
        folders.append(Path(screenshots))
    return folders


def tree_state(root: Path) -> TreeState:
    """Every file, folder and link under ``root`` (but ``.git`` and ``__pycache__``) with its
    type, size, mode, mtime_ns and link target: any write shows as a changed or new entry."""
    state: TreeState = {}
    for folder, subfolders, names in os.walk(root):
        subfolders[:] = sorted(name for name in subfolders if name not in _SKIPPED_FOLDERS)
        for name in [*subfolders, *names]:
            path = os.path.join(folder, name)
            stat = os.lstat(path)
            kind = "link" if os.path.islink(path) else "dir" if name in subfolders else "file"
            target = os.readlink(path) if kind == "link" else ""
            size = 0 if kind == "dir" else stat.st_size
            # A folder's own mtime moves when Python creates its __pycache__: only its entries count.
            mtime = 0 if kind == "dir" else stat.st_mtime_ns
            state[os.path.relpath(path, root)] = (kind, size, stat.st_mode, mtime, target)
    return state


def tree_changes(before: TreeState, after: TreeState) -> list[str]:
    """One line per entry added, removed or changed between two :func:`tree_state` results."""
    lines = [f"added {path}" for path in sorted(after.keys() - before.keys())]
    lines += [f"removed {path}" for path in sorted(before.keys() - after.keys())]
    both = sorted(before.keys() & after.keys())
    lines += [f"changed {path}" for path in both if before[path] != after[path]]
    return lines
