"""Lazy files: rendered only if needed, and then by several processes at once, handed on in order.

A renderer may hand the output stage a :class:`Lazy` file (an input key and a function that renders
it) instead of its :data:`Content`; the stage (:mod:`modelatlas.render.output`) renders it only when
the key differs from the one the previous build recorded. Rendering lazy files is most of a full
build (model and canonical pages, per-model and canonical JSON files), so :func:`rendered_ahead`
holds the lazy files the stage must render (``needed``) as they come, a run of them (until
:data:`RUN_ITEMS`, or the next file that is not lazy), and, when the run holds enough to render,
forks worker processes that render them with this process: each file is rendered by the process
that reaches it first (:class:`Claims`), so this one, which also stages every file, renders only
while it would otherwise wait. Each worker sends its files' bytes back through a pipe, in order; the
files pass on, in their own order, as ``Lazy`` items whose ``produce`` returns those bytes. A lazy
file the stage need not render is never held: it passes on at once, ahead of the run (the stage
takes each file on its own; only the bytes of each file matter). The output is the same as one
process makes: every ``produce`` is a pure function of the catalog, which a forked worker has as it
was at the fork.

Nothing else changes hands: a worker inherits the renderers and the catalog (no pickling), renders,
writes and exits without running any clean-up of this process. A worker that fails or dies leaves its
files to this process, which renders them itself (and so raises whatever error rendering raises).
Without ``os.fork`` (Windows), with one usable CPU, or when this process runs other threads (a
fork copies only the calling thread, so a lock another thread held, an import's or a logger's,
would stay held in the worker forever), files pass through unchanged.
"""

from __future__ import annotations

import gc
import mmap
import os
import select
import struct
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import suppress
from dataclasses import dataclass

from modelatlas.cpus import may_fork, reaped, usable_cpus

# Lazy files to render shared out at once. Only they are held, so a 1% rebuild at 100k models
# forks a worker once for each stretch of lazy files (three), not once per 32,768 files looked at
# (ten): every fork of the build's process (600 MB) cost 15 ms plus a copy of every page it then
# wrote to while the worker lived (main's page faults: 575k in the stage, 3.5 us each).
RUN_ITEMS = 4096
MIN_SHARED = 24  # files to render in a run before forking workers for it pays off
MAX_PROCESSES = 4
PIPE_BYTES = 1 << 20  # a worker's pipe buffer (Linux), so it can run ahead of this process
READ_BYTES = 1 << 16  # read from a worker's pipe at a time
AHEAD_FILES = 256  # files this process holds rendered before their turn, at most (then it waits)
_HEADER = struct.Struct("<qq")  # a file's position in its run, and its size (or _FAILED)
_FAILED = -1
FREE, MINE = 0, 255  # a unit of files no one has claimed yet; one this process has

Content = bytes | Sequence[bytes] | Iterator[bytes]
"""A rendered file: its bytes, a sequence of byte chunks written in order, or an iterator of chunks
made as they are written (the biggest list files, never whole in memory: read once)."""


class Lazy:
    """A file rendered only if needed: ``key`` hashes every input of its bytes (see
    :mod:`modelatlas.render.input_keys`), ``produce`` renders them. The key may be given as a function
    that makes it, called once when the key is first read (only for the files the output stage's
    own process stages: the side process sees the deferred files alone)."""

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
    """``files``, the lazy ones that ``needed`` says must be rendered rendered by ``processes``
    processes at once (:func:`process_count` by default), in order among themselves and with the
    files that are not lazy; a lazy file not needed passes on as it came, at once (ahead of the
    needed ones held before it). Other files pass straight through, so big eager files are never
    held here."""
    processes = process_count() if processes is None else processes
    if processes < 2:
        yield from files
        return
    run: list[tuple[str, Lazy]] = []  # the lazy files to render, held until the run closes
    for path, content in files:
        if isinstance(content, Lazy):
            if not needed(path, content):
                yield path, content
                continue
            run.append((path, content))
            if len(run) < RUN_ITEMS:
                continue
        yield from _shared(run, processes)
        run = []
        if not isinstance(content, Lazy):
            yield path, content
    yield from _shared(run, processes)


def _bytes(content: Content) -> bytes:
    return content if isinstance(content, bytes) else b"".join(content)


def _done(data: bytes) -> Callable[[], bytes]:
    return lambda: data


def _shared(run: list[tuple[str, Lazy]], processes: int) -> Iterator[Item]:
    """The files of ``run`` (all to render), rendered by this process and forked workers."""
    if len(run) < MIN_SHARED:
        yield from run
        return
    claims = Claims([lazy.share for _, lazy in run])
    workers = [_Worker(run, claims, number) for number in range(1, processes)]
    try:
        for index, (path, lazy) in enumerate(run):
            data = claims.take(index, run, workers)
            yield path, lazy if data is None else Lazy(lazy.key, _done(data))
    finally:
        for worker in workers:
            worker.close()
        claims.close()


class Claims:
    """Which process renders each file of a run: the first to reach it. The files are in
    units (the files of one ``share``, or one file); a byte per unit in memory shared with the
    workers says whose it is (0: no one's yet, ``MINE``: this process's, else a worker's number).

    Each worker goes through the run in order and claims every free unit it reaches; this process
    takes the files in order, renders those of its units (claiming a free unit it reaches first)
    and reads the others from their worker. When the file it needs is its worker's and not yet sent,
    it claims the next free unit ahead instead and renders that file meanwhile, keeping the bytes
    until their turn: so it never waits while there is work left, whatever rendering costs against
    staging (a model page: rendering is several times staging; a small JSON file: staging is more),
    and no worker waits for it. There is no lock: two processes that claim one unit at once both
    render its file, and this process drops the copy it does not take (:meth:`_Worker.file_at`)."""

    def __init__(self, shares: Sequence[str | None]) -> None:
        units: dict[str | int, int] = {}  # by share, or by position for a file of no share
        self.unit_of = [  # by the file's position in the run
            units.setdefault(index if share is None else share, len(units))
            for index, share in enumerate(shares)
        ]
        self.whose = mmap.mmap(-1, max(1, len(units)))  # shared with the forked workers, zeros
        self.ahead: dict[int, bytes] = {}  # files this process rendered before their turn
        self.next_free = 0  # the position in the run from which a free unit is looked for

    def claim(self, index: int, who: int) -> int:
        """Whose the unit of the file at ``index`` is, claiming it for ``who`` if it is no one's."""
        unit = self.unit_of[index]
        owner = self.whose[unit]
        if owner == FREE:
            self.whose[unit] = owner = who
        return owner

    def take(self, index: int, run: list[tuple[str, Lazy]], workers: list[_Worker]) -> bytes | None:
        """The bytes of the file at ``index`` if another process rendered it (or this one, ahead of
        its turn); None if this process is to render it now."""
        if index in self.ahead:
            return self.ahead.pop(index)
        owner = self.claim(index, MINE)
        if owner == MINE:
            return None
        worker = workers[owner - 1]
        while (not worker.failed and not worker.ready() and len(self.ahead) < AHEAD_FILES
               and self._render_ahead(index, run)):
            pass
        return worker.file_at(index)

    def _render_ahead(self, index: int, run: list[tuple[str, Lazy]]) -> bool:
        """Claim the first free unit after ``index`` and render its file here; False if none is left."""
        unit_of, position = self.unit_of, max(self.next_free, index + 1)
        while position < len(unit_of) and self.whose[unit_of[position]]:
            position += 1
        self.next_free = position
        if position == len(unit_of):
            return False
        if self.claim(position, MINE) == MINE:
            self.ahead[position] = _bytes(run[position][1].produce())
        return True

    def close(self) -> None:
        self.whose.close()


class _Worker:
    """One forked process rendering, in order, the files of ``run`` it claims first."""

    def __init__(self, run: list[tuple[str, Lazy]], claims: Claims, number: int) -> None:
        self.failed = False
        self.waiting: tuple[int, int] | None = None  # a file's header read before its turn
        read, write = os.pipe()
        with suppress(AttributeError, OSError):  # a bigger buffer where the platform allows it
            import fcntl

            fcntl.fcntl(write, fcntl.F_SETPIPE_SZ, PIPE_BYTES)
        self.pid = os.fork()
        if self.pid == 0:  # the worker: never returns
            gc.freeze()  # no collection walks (and so copies) the memory it shares with this process
            os.close(read)
            _work(write, run, claims, number)
        os.close(write)
        self.fd, self.buffer = read, bytearray()

    def ready(self) -> bool:
        """Whether what it sent next can be read now (it is not still rendering it)."""
        return bool(self.waiting or self.buffer or select.select([self.fd], [], [], 0)[0])

    def file_at(self, index: int) -> bytes | None:
        """The bytes of the file at ``index``, skipping files it sent that this process rendered
        itself; None if it has failed, or did not render that file (this process renders it)."""
        while not self.failed:
            header = self.waiting or self._header()
            if header is None:
                return None
            sent, size = header
            if sent > index:  # it never took this one: rendered here
                self.waiting = header
                return None
            self.waiting = None
            data = self._read(size)
            if len(data) != size:
                self.failed = True
            elif sent == index:
                return data
        return None

    def _header(self) -> tuple[int, int] | None:
        header = self._read(_HEADER.size)
        sent, size = _HEADER.unpack(header) if len(header) == _HEADER.size else (0, _FAILED)
        if size < 0:
            self.failed = True
            return None
        return sent, size

    def _read(self, size: int) -> bytes:
        """``size`` bytes of what it sent (fewer only if it ended before sending them)."""
        buffer = self.buffer
        while len(buffer) < size:
            chunk = os.read(self.fd, max(size - len(buffer), READ_BYTES))
            if not chunk:
                break
            buffer += chunk
        with memoryview(buffer) as view:  # one copy of the file's bytes (a slice of the buffer is another)
            data = bytes(view[:size])
        del buffer[:size]
        return data

    def close(self) -> None:
        os.close(self.fd)
        reaped(self.pid, stop=True)  # done already, or abandoned with the build


def _work(pipe: int, run: list[tuple[str, Lazy]], claims: Claims, number: int) -> None:
    """Render the files of ``run`` this worker claims first into ``pipe`` (position, size, bytes
    each; :data:`_FAILED` on an error) and exit."""
    status = 1
    try:
        with os.fdopen(pipe, "wb") as out:
            try:
                for index in range(len(run)):
                    if claims.claim(index, number) == number:
                        data = _bytes(run[index][1].produce())
                        out.write(_HEADER.pack(index, len(data)))
                        out.write(data)
                        out.flush()  # sent now: the build's process renders what is not yet sent
                status = 0
            except Exception:  # the parent renders the rest itself and meets the same error
                out.write(_HEADER.pack(0, _FAILED))
    finally:
        os._exit(status)
