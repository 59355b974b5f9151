"""Lazy files: rendered only if needed, and then by several processes at once, handed on in order.

A renderer may hand the output stage a :class:`Lazy` file (an input key and a function that renders
it) instead of its :data:`Content`; the stage (:mod:`modelatlas.render.output`) renders it only when
the key differs from the one the previous build recorded. Rendering lazy files is most of a full
build (model and canonical pages, per-model and canonical JSON files), so :func:`rendered_ahead`
looks at each run of consecutive lazy files (until it holds :data:`RUN_ITEMS` the stage must render,
``needed``, or :data:`RUN_FILES` in all) and, when the run holds enough to render, forks worker
processes that render most of them
(:func:`worker_shares`) while this process renders the rest. Each worker sends its files' bytes back
through a pipe, in order; the files pass on, in their own order, as ``Lazy`` items whose ``produce``
returns those bytes. The output is the same as one process makes: every ``produce`` is a pure function of the
catalog, which a forked worker has as it was at the fork.

Nothing else changes hands: a worker inherits the renderers and the catalog (no pickling), renders,
writes and exits without running any clean-up of this process. A worker that fails or dies leaves its
files to this process, which renders them itself (and so raises whatever error rendering raises).
Without ``os.fork`` (Windows), with one usable CPU, or when this process runs other threads (a
fork copies only the calling thread, so a lock another thread held, an import's or a logger's,
would stay held in the worker forever), files pass through unchanged.
"""

from __future__ import annotations

import gc
import os
import struct
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import suppress
from dataclasses import dataclass

from modelatlas.cpus import may_fork, reaped, usable_cpus

RUN_ITEMS = 4096  # lazy files to render shared out at once (a worker runs ahead by its pipe's buffer at most)
# Lazy files looked at together at most. A 1% rebuild renders few of them: at 100k models, runs of
# 4096 files forked a worker 68 times for some 50 files each, and each fork of the build's process
# (600 MB) cost 15 ms plus the copies of every page it then wrote to. Held, not rendered: a path and a
# Lazy each (about 13 MB for a full run).
RUN_FILES = 32768
MIN_SHARED = 24  # files to render in a run before forking workers for it pays off
MAX_PROCESSES = 4
PIPE_BYTES = 1 << 20  # a worker's pipe buffer (Linux), so it can run ahead of this process
_HEADER = struct.Struct("<q")
_FAILED = -1

Content = bytes | Sequence[bytes] | Iterator[bytes]
"""A rendered file: its bytes, a sequence of byte chunks written in order, or an iterator of chunks
made as they are written (the biggest list files, never whole in memory: read once)."""


class Lazy:
    """A file rendered only if needed: ``key`` hashes every input of its bytes (see
    :mod:`modelatlas.render.input_keys`), ``produce`` renders them. The key may be given as a function
    that makes it, called once when the key is first read: the output stage's side process walks every
    file but takes only the deferred ones, and so never makes the keys of the others."""

    __slots__ = ("_key", "produce", "share")

    def __init__(
        self, key: str | Callable[[], str], produce: Callable[[], Content], share: str | None = None
    ) -> None:
        self._key = key
        self.produce = produce
        self.share = share  # files with the same share go to one process (they reuse one piece of work)

    @property
    def key(self) -> str:
        if not isinstance(self._key, str):
            self._key = self._key()
        return self._key


@dataclass(frozen=True, slots=True)
class Deferred:
    """A file always rendered, but only by the process of the output stage that claims it: the files
    that hold every model (browse, provider and chart pages, the search index, the quality report,
    the lists) are shared with a second process beside the rest (:mod:`modelatlas.render.side_stage`).
    One with a ``key`` (a list's page, which a small change often leaves as it was) is kept without
    being rendered, as a :class:`Lazy` file is, when that key is the previous build's. One that is a
    ``cache`` is no output file but one the build keeps beside its manifest for the next build
    (:data:`~modelatlas.build_folder.CACHE_NAMES`), made with the files of its share."""

    produce: Callable[[], Content]
    share: str | None = None  # files with the same share go to one process (they reuse one piece of work)
    key: Callable[[], str] | None = None  # an input key, as a Lazy file's: kept unrendered if unchanged
    cache: bool = False  # not an output file: one of the build's caches, kept beside the manifest


Item = tuple[str, Content | Lazy | Deferred]


def process_count() -> int:
    """Processes that render at once: the CPUs this process may use, at most :data:`MAX_PROCESSES`
    (1 without ``os.fork``, or while other threads run)."""
    return max(1, min(usable_cpus(), MAX_PROCESSES)) if may_fork() else 1


def rendered_ahead(
    files: Iterable[Item], needed: Callable[[str, Lazy], bool], processes: int | None = None
) -> Iterator[Item]:
    """``files`` in the same order, the lazy ones that ``needed`` says must be rendered rendered by
    ``processes`` processes at once (:func:`process_count` by default). Other files pass straight
    through, so big eager files are never held here."""
    processes = process_count() if processes is None else processes
    if processes < 2:
        yield from files
        return
    run: list[tuple[str, Lazy]] = []
    todo: list[int] = []  # the positions in ``run`` of the files to render
    for path, content in files:
        if isinstance(content, Lazy):
            if needed(path, content):
                todo.append(len(run))
            run.append((path, content))
            if len(todo) < RUN_ITEMS and len(run) < RUN_FILES:
                continue
        yield from _shared(run, todo, processes)
        run, todo = [], []
        if not isinstance(content, Lazy):
            yield path, content
    yield from _shared(run, todo, processes)


def _bytes(content: Content) -> bytes:
    return content if isinstance(content, bytes) else b"".join(content)


def _done(data: bytes) -> Callable[[], bytes]:
    return lambda: data


def _shared(run: list[tuple[str, Lazy]], todo: list[int], processes: int) -> Iterator[Item]:
    if len(todo) < MIN_SHARED:
        yield from run
        return
    shares = worker_shares(todo, processes, [run[index][1].share for index in todo])
    workers = [_Worker(run, share) for share in shares]
    owner = {index: worker for worker in workers for index in worker.share}
    try:
        for index, (path, lazy) in enumerate(run):
            worker = owner.get(index)
            data = worker.next_file() if worker is not None else None
            yield path, lazy if data is None else Lazy(lazy.key, _done(data))
    finally:
        for worker in workers:
            worker.close()


def worker_shares(
    todo: list[int], processes: int, groups: Sequence[str | None] | None = None
) -> list[list[int]]:
    """The files of ``todo`` each of ``processes - 1`` workers renders, in order: of every
    ``2 * processes - 1`` files this process renders one and each worker two, since this process also
    stages every file (hashing and writing it) and reads what the workers send.

    ``groups`` (one per file of ``todo``, or None): the files of a group all go to the slot that has
    the fewest files when the group's first file comes, counted with the whole group; files of no
    group are one-file groups, so without groups the slots take the files in turn."""
    slots = 2 * processes - 1
    groups = groups if groups is not None else [None] * len(todo)
    sizes = Counter(group for group in groups if group is not None)
    loads = [0] * slots
    slot_of: dict[str, int] = {}
    shares: list[list[int]] = [[] for _ in range(processes - 1)]
    for index, group in zip(todo, groups, strict=True):
        slot = slot_of.get(group) if group is not None else None
        if slot is None:
            slot = loads.index(min(loads))
            loads[slot] += sizes[group] if group is not None else 1
            if group is not None:
                slot_of[group] = slot
        if slot:
            shares[(slot - 1) // 2].append(index)
    return shares


class _Worker:
    """One forked process rendering the files of ``run`` at the positions ``share``, in order."""

    def __init__(self, run: list[tuple[str, Lazy]], share: list[int]) -> None:
        self.share = share
        self.failed = False
        read, write = os.pipe()
        with suppress(AttributeError, OSError):  # a bigger buffer where the platform allows it
            import fcntl

            fcntl.fcntl(write, fcntl.F_SETPIPE_SZ, PIPE_BYTES)
        self.pid = os.fork()
        if self.pid == 0:  # the worker: never returns
            gc.freeze()  # no collection walks (and so copies) the memory it shares with this process
            os.close(read)
            _work(write, [run[index][1] for index in share])
        os.close(write)
        self.pipe = os.fdopen(read, "rb")

    def next_file(self) -> bytes | None:
        """The next file's bytes, or None once the worker has failed (this process renders it)."""
        if self.failed:
            return None
        header = self.pipe.read(_HEADER.size)
        size = _HEADER.unpack(header)[0] if len(header) == _HEADER.size else _FAILED
        data = self.pipe.read(size) if size >= 0 else b""
        if size < 0 or len(data) != size:
            self.failed = True
            return None
        return data

    def close(self) -> None:
        self.pipe.close()
        reaped(self.pid, stop=True)  # done already, or abandoned with the build


def _work(pipe: int, lazies: list[Lazy]) -> None:
    """Render ``lazies`` into ``pipe`` (size, bytes each; :data:`_FAILED` on an error) and exit."""
    status = 1
    try:
        with os.fdopen(pipe, "wb") as out:
            try:
                for lazy in lazies:
                    data = _bytes(lazy.produce())
                    out.write(_HEADER.pack(len(data)))
                    out.write(data)
                status = 0
            except Exception:  # the parent renders the rest itself and meets the same error
                out.write(_HEADER.pack(_FAILED))
    finally:
        os._exit(status)
