"""Every record's compact JSON, serialized once per build and kept on disk, not in memory.

The JSON API holds each record five times over: its own file, ``v1/models.json``, a page of it, its
provider's list and a page of that. Serializing the record for each (sorted keys, a Python call per
exact price) was most of the lists' cost, and a large share of a rebuild's, since the lists are
rebuilt whenever any record changes. The catalog serializes every record once anyway, for its
digest (:func:`~modelatlas.render.input_keys.serialize`); :func:`serialized` keeps those bytes in
an unnamed temporary file (at 100k models, about 200 MB: never held in memory, gone when the
process ends, even if it is killed), and :class:`RecordBodies` reads one back by its position in
the catalog. Reads are positional (``os.pread``), so forked render workers share the file safely.
From :data:`SHARED_FROM` records on, a forked process serializes the second half of them while the
build does the first (the build's second core is otherwise idle then), and the build copies their
bodies after its own: the same bytes, digests and order as one process makes.
"""

from __future__ import annotations

import errno
import gc
import os
import tempfile
from array import array
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import BinaryIO

from modelatlas.cpus import reaped
from modelatlas.errors import io_error
from modelatlas.record import Record
from modelatlas.render.input_keys import KEY_BYTES, serialize
from modelatlas.render.lazy import process_count

SHARED_FROM = 1000  # records from which serializing them is shared with a forked process
COPY_BYTES = 1 << 20


class RecordBodies:
    """The serialized records of a catalog, in the catalog's order: ``bodies[i]`` is record i's
    compact JSON, exactly as ``dumps_compact`` writes it."""

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile()  # noqa: SIM115 (open as long as the catalog: closed with it)
        self._ends = array("Q", [0])

    def add(self, body: bytes) -> None:
        try:
            self._file.write(body)
        except OSError as exc:
            raise _spool_error(exc) from exc
        self._ends.append(self._ends[-1] + len(body))

    def extend(self, source: BinaryIO, sizes: Sequence[int]) -> None:
        """Add bodies of ``sizes`` bytes each, read in order from ``source`` (at its position)."""
        left = sum(sizes)
        try:
            while left:
                chunk = source.read(min(left, COPY_BYTES))
                if not chunk:
                    raise OSError(errno.EIO, "the records' temporary file ended early")
                self._file.write(chunk)
                left -= len(chunk)
        except OSError as exc:
            raise _spool_error(exc) from exc
        end = self._ends[-1]
        for size in sizes:
            end += size
            self._ends.append(end)

    def finish(self) -> None:
        """Make every added body readable (called once, after the last :meth:`add`)."""
        try:
            self._file.flush()
        except OSError as exc:
            raise _spool_error(exc) from exc

    def __len__(self) -> int:
        return len(self._ends) - 1

    def __getitem__(self, index: int) -> bytes:
        start, end = self._ends[index], self._ends[index + 1]
        return self._read(start, end)

    def joined(self, positions: Sequence[int]) -> bytes:
        """The bodies at ``positions``, in that order, joined by commas (as a JSON array holds them):
        a run of consecutive positions (a list's records mostly are) is read at once."""
        ends, pieces, count, index = self._ends, [], len(positions), 0
        while index < count:
            first = last = positions[index]
            index += 1
            while index < count and positions[index] == last + 1:
                last, index = last + 1, index + 1
            run, start = memoryview(self._read(ends[first], ends[last + 1])), ends[first]
            pieces.extend(run[ends[at] - start : ends[at + 1] - start] for at in range(first, last + 1))
        return b",".join(pieces)

    def _read(self, start: int, end: int) -> bytes:
        if hasattr(os, "pread"):
            return os.pread(self._file.fileno(), end - start, start)
        self._file.seek(start)  # no pread (Windows): no forked workers share the position there
        return self._file.read(end - start)


def _spool_error(exc: OSError) -> Exception:
    where = f"write the records' temporary file in {tempfile.gettempdir()}"
    return io_error(where, exc, "nothing was written; set TMPDIR to another folder")


def serialized(records: Sequence[Record]) -> tuple[Mapping[str, bytes], RecordBodies]:
    """``({record id: digest}, the records' bodies)``, each record serialized once: a catalog of
    :data:`SHARED_FROM` records or more shares them with a forked process (:class:`_Helper`)."""
    digests: dict[str, bytes] = {}
    bodies = RecordBodies()
    split = len(records) // 2 if len(records) >= SHARED_FROM and process_count() >= 2 else len(records)
    helper = _Helper(records[split:]) if split < len(records) else None
    try:
        for record in records[:split]:
            body, digests[record["id"]] = serialize(record)
            bodies.add(body)
        if helper is not None:
            helper.join(records[split:], digests, bodies)
    finally:
        if helper is not None:
            helper.close()
    bodies.finish()
    return MappingProxyType(digests), bodies


class _Helper:
    """A forked process serializing the second half of the records while this one does the first:
    it writes their bodies, then their digests and sizes, into an unnamed temporary file and exits
    (status 0 once all is written). This process then copies the bodies after its own. A helper that
    fails or dies leaves its records to this process, which serializes them itself."""

    def __init__(self, records: Sequence[Record]) -> None:
        self.spool = tempfile.TemporaryFile()  # noqa: SIM115 (closed by close())
        self.status: int | None = None
        self.pid = os.fork()
        if self.pid == 0:  # the helper: never returns
            _work(self.spool, records)

    def join(self, records: Sequence[Record], digests: dict[str, bytes], bodies: RecordBodies) -> None:
        """Add the helper's records (digests and bodies, in order) after this process's."""
        self.status = reaped(self.pid, stop=False)
        kept = self._result(len(records)) if self.status == 0 else None
        if kept is None:
            for record in records:
                body, digests[record["id"]] = serialize(record)
                bodies.add(body)
            return
        sizes, digest_bytes = kept
        for index, record in enumerate(records):
            digests[record["id"]] = digest_bytes[index * KEY_BYTES : (index + 1) * KEY_BYTES]
        bodies.extend(self.spool, sizes)

    def _result(self, count: int) -> tuple[array[int], bytes] | None:
        """(the bodies' sizes, their digests) as the helper wrote them after the bodies; None if the
        file does not hold exactly that."""
        length = os.fstat(self.spool.fileno()).st_size
        tail = count * (KEY_BYTES + 8)
        if length < tail:
            return None
        self.spool.seek(length - tail)
        digest_bytes = self.spool.read(count * KEY_BYTES)
        sizes = array("Q")
        sizes.frombytes(self.spool.read(count * 8))
        if sum(sizes) != length - tail:
            return None
        self.spool.seek(0)
        return sizes, digest_bytes

    def close(self) -> None:
        """Stop the helper if it still runs (this process failed) and reap it; idempotent."""
        if self.status is None:
            reaped(self.pid, stop=True)
            self.status = -1
        self.spool.close()


def _work(spool: BinaryIO, records: Sequence[Record]) -> None:
    """Write the bodies of ``records``, then their digests and sizes, into ``spool``; exit."""
    status = 1
    try:
        gc.disable()  # no collection walks (and so copies) the records it shares with the build
        sizes, digest_bytes = array("Q"), bytearray()
        for record in records:
            body, digest = serialize(record)
            spool.write(body)
            sizes.append(len(body))
            digest_bytes += digest
        spool.write(digest_bytes)
        spool.write(sizes.tobytes())
        spool.flush()
        status = 0
    finally:
        os._exit(status)
