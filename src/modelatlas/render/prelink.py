"""A rebuild's unchanged-looking files linked into the staging folder while the catalog loads.

In a 1% rebuild at 100k models the output stage checked 277k files of the current output (a ``stat``
each: still the size the manifest records, not modified since) and hard-linked them into the
staging folder one by one, some 4 s of the build's process, while the second core is mostly idle
during loading, which needs neither. :func:`started` forks a process that does both, for every
file of the previous manifest, into a fresh staging folder, while the build's process loads the
catalog; it sends back a byte per manifest entry (linked or not). The output stage
(:mod:`modelatlas.render.stage_walk`) then keeps a linked file that is unchanged without a
syscall, and removes the link before writing a file that changed (staged files are created
exclusively, so a write can never go through a link into the current output) or that the new
build no longer has.

A linker that fails or dies sends nothing: the stage then starts from an empty staging folder, as
without it. Not used where no process may be forked, for a first build or for data holding a
credential's value (every file is then rendered anew).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from modelatlas.build_folder import ManifestEntry
from modelatlas.cpus import reaped
from modelatlas.render.lazy import process_count
from modelatlas.render.out_folder import OutFolder, Staging
from modelatlas.render.stage_walk import on_disk

# Each file is looked up from its folder's open descriptor, not from "/" (a third of the time).
RELATIVE_CALLS = {os.stat, os.link} <= os.supports_dir_fd
ALIVE_EVERY = 4096  # files linked between two checks that the build's process is still there
MIN_FILES = 100  # below this the stage links them itself (a fork costs what linking some 60 files does)


class Prelinks:
    """The linker process, seen from the build's process."""

    def __init__(self, folder: OutFolder, files: dict[str, ManifestEntry], written_by: int) -> None:
        self.staging = folder.fresh_staging()
        self.files = files
        read, write = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:  # the linker: never returns
            os.close(read)
            _work(write, Staging(folder.root, self.staging), files, written_by)
        os.close(write)
        self.pipe = os.fdopen(read, "rb")
        self.status: int | None = None

    def not_linked(self) -> set[str] | None:
        """The paths of the manifest not linked into :attr:`staging` (waiting for the linker: few, so
        this holds a set of them, not of the 280k linked at 100k models), or None if it failed."""
        sent = self.pipe.read()
        self.close(finished=True)
        if self.status != 0 or len(sent) != len(self.files):
            return None
        return {rel for rel, flag in zip(self.files, sent, strict=True) if not flag}

    def close(self, finished: bool = False) -> None:
        """Reap the linker; idempotent. Unless ``finished`` (it has sent everything), it is stopped."""
        if self.status is not None:
            return
        self.pipe.close()
        self.status = reaped(self.pid, stop=not finished)


@contextmanager
def started(folder: OutFolder, files: dict[str, ManifestEntry], written_by: int) -> Iterator[Prelinks | None]:
    """A linker for the current output's ``files`` (its manifest's entries; ``written_by``: when it
    was written), or None where none is worth forking. Stopped, and its staging folder removed,
    if the block fails."""
    if process_count() < 2 or len(files) < MIN_FILES or not RELATIVE_CALLS:
        yield None
        return
    prelinks = Prelinks(folder, files, written_by)
    try:
        yield prelinks
    except BaseException:
        prelinks.close()
        folder.discard()
        raise
    finally:
        prelinks.close()


def _work(pipe: int, staging: Staging, files: dict[str, ManifestEntry], written_by: int) -> None:
    """Link every file of ``files`` still as the manifest describes it, send a byte each (1: linked)
    through ``pipe`` and exit (status 1, nothing sent, on any error or once the build's process is
    gone)."""
    status = 1
    try:
        parent = os.getppid()
        flags = bytearray(len(files))
        opened = (_opened(staging.source), _opened(staging.root))
        for index, (rel, entry) in enumerate(files.items()):
            if index % ALIVE_EVERY == 0 and os.getppid() != parent:
                break
            if on_disk(staging.source, rel, entry.size, written_by, opened[0]):
                staging.link(rel, opened)
                flags[index] = 1
        else:
            with os.fdopen(pipe, "wb") as out:
                out.write(flags)
            status = 0
    except BaseException:  # the stage links them itself, and meets the same error
        pass
    finally:
        os._exit(status)


def _opened(folder: str) -> int:
    """``folder`` open for looking files up in (closed when the linker exits)."""
    return os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
