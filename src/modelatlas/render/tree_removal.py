"""Removing the previous output once a build has replaced it, with both processes when it is big.

After a rebuild the previous output is a tree of hard links to the new one's unchanged files (at
100k models, 280k of them); removing it was one process unlinking them one by one, the last step of
every rebuild. :func:`remove_tree` lists the tree once (or takes the listing the build's walk for
foreign files made of it: render/out_folder.py), forks a process that unlinks the files of
about half of its folders (weighed by their files) while this one unlinks the others, then removes
what is left (the folders, and whatever the other process did not remove: if it failed, everything
it had). Small trees, and machines where no process may be forked, are removed by ``shutil.rmtree``.
"""

from __future__ import annotations

import os
import shutil
from contextlib import suppress
from pathlib import Path

from modelatlas.cpus import reaped
from modelatlas.render.lazy import process_count

SHARED_FROM = 20_000  # files from which removing them is shared with a forked process
Folders = list[tuple[str, list[str]]]  # (folder, the names of its files)


def _folders(root: str) -> Folders:
    """Every folder under ``root`` (itself included) with the names of its entries that are not
    folders (symbolic links to folders included)."""
    found: Folders = []
    pending = [root]
    while pending:
        folder = pending.pop()
        names: list[str] = []
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    pending.append(entry.path)
                else:
                    names.append(entry.name)
        found.append((folder, names))
    return found


def _unlink_all(folders: Folders) -> None:
    for folder, names in folders:
        try:
            fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        except FileNotFoundError:  # gone since it was listed
            continue
        try:
            for name in names:
                with suppress(FileNotFoundError):
                    os.unlink(name, dir_fd=fd)
        finally:
            os.close(fd)


def _halves(folders: Folders) -> tuple[Folders, Folders]:
    """The folders in two shares of about as many files each (biggest first, each to the lighter)."""
    shares: tuple[Folders, Folders] = ([], [])
    weights = [0, 0]
    for folder in sorted(folders, key=lambda item: len(item[1]), reverse=True):
        lighter = 0 if weights[0] <= weights[1] else 1
        shares[lighter].append(folder)
        weights[lighter] += len(folder[1])
    return shares


def remove_tree(root: Path, listing: Folders | None = None) -> None:
    """``shutil.rmtree(root)``, the files of a big tree unlinked by two processes at once. ``listing``:
    the tree's folders (relative to ``root``, ``""`` for itself) with the names of their entries
    that are not folders, as a walk of it just found them (it is not listed again); whatever it
    misses is removed all the same."""
    if process_count() < 2 or os.unlink not in os.supports_dir_fd:
        shutil.rmtree(root)
        return
    if listing is None:
        folders = _folders(str(root))
    else:
        folders = [(os.path.join(root, rel) if rel else str(root), names) for rel, names in listing]
    if sum(len(names) for _folder, names in folders) < SHARED_FROM:
        shutil.rmtree(root)
        return
    mine, theirs = _halves(folders)
    pid = os.fork()
    if pid == 0:  # the helper: unlinks its share and exits, never returning
        status = 1
        try:
            _unlink_all(theirs)
            status = 0
        finally:
            os._exit(status)
    try:
        _unlink_all(mine)
    except BaseException:
        reaped(pid, stop=True)
        raise
    reaped(pid, stop=False)
    shutil.rmtree(root)  # the folders, and any file the helper left
