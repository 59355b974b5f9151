"""A big data folder's provider files read by two processes: :func:`read_documents`.

Loading a 100k-model folder began with parsing 270 MB of JSON (about 4 s) on the build's process
alone, while the second core had little to do until the checker started. From
:data:`READ_AHEAD_FROM` bytes of provider files on, a forked process parses the biggest files (about
half the bytes) while this one parses the rest, and sends the documents back pickled through a pipe
once all are parsed: unpickling a document is several times faster than parsing its JSON, and
keeps the objects the parser made one shared (:func:`~modelatlas.jsonio.loads_read_only`). Both
processes read a file the same way (:func:`~modelatlas.datastore.read_provider_file`), so the
documents and their SHA-256 are the same whichever read it. A process that fails or dies leaves
the files it did not send to this one, which reads them and meets whatever error they raise; the
first unreadable file in registry order is the error raised, as when one process reads them all.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import BinaryIO

from modelatlas.cpus import may_fork, reaped, usable_cpus
from modelatlas.datastore import ProviderDoc, provider_path, read_provider_file
from modelatlas.ids import provider_ids
from modelatlas.validate.checks import gc_paused

READ_AHEAD_FROM = 32 * 1024 * 1024  # bytes of provider files from which a second process reads some
AHEAD_SHARE = 0.5  # of the bytes, about what the forked process parses
Found = tuple[ProviderDoc, bytes | None] | None  # read_provider_file's result


def file_sizes(data_dir: Path) -> dict[str, int]:
    sizes = {}
    for provider in provider_ids():
        with suppress(OSError):
            sizes[provider] = provider_path(data_dir, provider).stat().st_size
    return sizes


def ahead_share(sizes: dict[str, int]) -> list[str]:
    """The providers whose files (``sizes``: :func:`file_sizes`) the forked process reads, in
    registry order: the biggest first while they add up to at most :data:`AHEAD_SHARE` of all the
    bytes; none below :data:`READ_AHEAD_FROM` bytes in all."""
    total = sum(sizes.values())
    if total < READ_AHEAD_FROM:
        return []
    taken, share = set(), 0
    for provider in sorted(sizes, key=lambda p: (-sizes[p], p)):
        if share + sizes[provider] <= AHEAD_SHARE * total:
            taken.add(provider)
            share += sizes[provider]
    return [provider for provider in sizes if provider in taken]


class _Ahead:
    """The forked process reading ``providers``' files, the documents sent pickled once all are parsed."""

    def __init__(self, data_dir: Path, providers: list[str], hashed: bool) -> None:
        read, write = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:  # the reader: never returns
            os.close(read)
            _read(write, data_dir, providers, hashed)
        os.close(write)
        self.pipe: BinaryIO = os.fdopen(read, "rb")

    def received(self) -> dict[str, Found]:
        """Every document it sent (all of them, unless it failed or died)."""
        sent: dict[str, Found] = {}
        with gc_paused():  # unpickling makes no cycles: collections would only walk the documents
            while True:
                try:
                    provider, found = pickle.load(self.pipe)
                except (EOFError, pickle.UnpicklingError, ValueError):
                    break  # the end, or a process that died while writing
                sent[provider] = found
        self.close()
        return sent

    def close(self) -> None:
        if not self.pipe.closed:
            self.pipe.close()
            reaped(self.pid, stop=True)


def _read(pipe: int, data_dir: Path, providers: list[str], hashed: bool) -> None:
    """Parse every file, then send them all (writing into the pipe as it went would wait for this
    process, busy with its own files, to read, and the parsing with it)."""
    status = 1
    try:
        pickled = []
        for provider in providers:
            with gc_paused():
                found = read_provider_file(data_dir, provider, read_only=True, hashed=hashed)
                pickled.append(pickle.dumps((provider, found), protocol=pickle.HIGHEST_PROTOCOL))
                del found
        with os.fdopen(pipe, "wb") as out:
            for data in pickled:
                out.write(data)
        status = 0
    finally:
        os._exit(status)


@contextmanager
def read_documents(data_dir: Path, hashed: bool) -> Iterator[Iterator[tuple[str, Found]]]:
    """Every provider's :func:`~modelatlas.datastore.read_provider_file` result (``read_only``, and
    ``hashed`` as asked), in registry order, read by this process and, for a big folder, a forked one."""
    providers = ahead_share(file_sizes(data_dir)) if may_fork() and usable_cpus() > 1 else []
    ahead = _Ahead(data_dir, providers, hashed) if providers else None
    try:
        yield _documents(data_dir, hashed, ahead, providers)
    finally:
        if ahead is not None:
            ahead.close()


def _documents(
    data_dir: Path, hashed: bool, ahead: _Ahead | None, providers: list[str]
) -> Iterator[tuple[str, Found]]:
    found: dict[str, Found | Exception] = {}
    for provider in provider_ids():  # this process's files first, the forked one's meanwhile
        if provider not in providers:
            found[provider] = _read_here(data_dir, provider, hashed)
    if ahead is not None:
        found.update(ahead.received())
    for provider in provider_ids():
        result = found[provider] if provider in found else _read_here(data_dir, provider, hashed)
        if isinstance(result, Exception):
            raise result
        yield provider, result


def _read_here(data_dir: Path, provider: str, hashed: bool) -> Found | Exception:
    """The file read here; its error returned, to be raised in registry order."""
    try:
        with gc_paused():
            return read_provider_file(data_dir, provider, read_only=True, hashed=hashed)
    except Exception as exc:  # raised by the caller in its turn
        return exc
