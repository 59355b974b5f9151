"""Every record's compact JSON, serialized once per build and kept on disk, not in memory.

The JSON API holds each record five times over: its own file, ``v1/models.json``, a page of it, its
provider's list and a page of that. Serializing the record for each (sorted keys, a Python call per
exact price) was most of the lists' cost, and a large share of a rebuild's, since the lists are
rebuilt whenever any record changes. The catalog serializes every record once anyway, for its
digest (:func:`~modelatlas.render.input_keys.serialize`); :func:`serialized` keeps those bytes in
an unnamed temporary file (at 100k models, about 200 MB: never held in memory, gone when the
process ends, even if it is killed), and :class:`RecordBodies` reads one back by its position in
the catalog. Reads are positional (``os.pread``), so forked render workers share the file safely.
"""

from __future__ import annotations

import os
import tempfile
from array import array
from collections.abc import Iterable, Mapping
from types import MappingProxyType

from modelatlas.errors import io_error
from modelatlas.record import Record
from modelatlas.render.input_keys import serialize


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
        if hasattr(os, "pread"):
            return os.pread(self._file.fileno(), end - start, start)
        self._file.seek(start)  # no pread (Windows): no forked workers share the position there
        return self._file.read(end - start)


def _spool_error(exc: OSError) -> Exception:
    where = f"write the records' temporary file in {tempfile.gettempdir()}"
    return io_error(where, exc, "nothing was written; set TMPDIR to another folder")


def serialized(records: Iterable[Record]) -> tuple[Mapping[str, bytes], RecordBodies]:
    """``({record id: digest}, the records' bodies)``, each record serialized once."""
    digests: dict[str, bytes] = {}
    bodies = RecordBodies()
    for record in records:
        body, digests[record["id"]] = serialize(record)
        bodies.add(body)
    bodies.finish()
    return MappingProxyType(digests), bodies
