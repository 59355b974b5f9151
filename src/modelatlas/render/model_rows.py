"""The rows of the browse and provider tables: each record's made once per build, and kept for the next.

Every record has a row in a browse page and one in its provider's page (the same HTML but the
provider cell: :func:`~modelatlas.render.table_cells.row_parts`), a pure function of the record and
of the code. At 100k models making them twice took about 4 s of a 1% rebuild's 47 s of CPU, which
remakes every such page while 99% of the rows are the previous build's. So the process of the
output stage that renders these pages (one share: :class:`ModelRows`) makes each record's row once
and keeps it in an unnamed temporary file, and every build writes all rows into
``.modelatlas-rows.bin`` beside the manifest (:meth:`ModelRows.kept_file`), by record digest
(:func:`~modelatlas.render.input_keys.serialize`, which covers every field a row shows). A rebuild
reads a row there instead of making it again when the file is the one the manifest records (size
and SHA-256) and was written by the same code for the same folder depth (its key). Anything else
(no file, a file edited by hand, another key) costs only the time of making the rows again. Data
holding a credential's value keeps no rows (:attr:`~modelatlas.render.catalog.Catalog.kept_rows` is
None then).

The file's format and its reading are in :mod:`modelatlas.render.kept_rows`.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import BinaryIO

from modelatlas.fetch.providers import registry
from modelatlas.record import Record
from modelatlas.render.kept_rows import ENTRY, ROOT, KeptRows, Place, Shelf, file_head
from modelatlas.render.site_index import row_view
from modelatlas.render.table_cells import ROWS_PER_PIECE, provider_cell, row_parts


class ModelRows:
    """The rows of one build's model tables in one process: each record's read from the previous
    build's file or made, once, and then read from a temporary file of this process."""

    def __init__(self, digests: Mapping[str, bytes], kept: KeptRows | None) -> None:
        self.digests = digests
        self.kept = kept or KeptRows()
        self.made = Shelf()
        self.spool: BinaryIO | None = None  # the rows made here, made when the first one is
        self.owner = 0  # the process whose rows ``made`` holds (a forked one starts its own)
        self.end = 0
        self.cells = {p: provider_cell(p, name, ROOT) for p, name in registry.names().items()}

    def _place(self, record: Record) -> Place:
        digest = self.digests[record["id"]]
        if self.owner != os.getpid():
            self._start()
        place = self.made.find(digest) or self.kept.get(digest)
        if place is None:
            head, tail = (part.encode("utf-8") for part in row_parts(row_view(record), ROOT))
            place = self._spooled(digest, head + tail, len(head), len(tail))
        return place

    def _start(self) -> None:
        """Rows made from now on go to a temporary file of this process (a forked process shares its
        parent's ``made`` rows but never writes into the parent's file)."""
        self.spool, self.owner, self.end, self.made = None, os.getpid(), 0, Shelf()

    def _spooled(self, digest: bytes, data: bytes, before: int, after: int) -> Place:
        if self.spool is None:
            self.spool = tempfile.TemporaryFile()  # noqa: SIM115 (open as long as this process renders)
            self.made.fd = self.spool.fileno()
        offset = self.end
        if os.pwrite(self.made.fd, data, offset) != len(data):
            raise OSError(f"a model row's temporary file took less than {len(data)} bytes")
        self.end += len(data)
        self.made.add(digest, offset, before, after)
        return self.made.fd, offset, before, after

    def _read(self, place: Place) -> bytes:
        fd, offset, before, after = place
        data = os.pread(fd, before + after, offset)
        if len(data) != before + after:
            raise OSError(f"a model row could not be read whole (at byte {offset}): its file changed")
        return data

    def pieces(self, records: Iterable[Record], show_provider: bool) -> Iterator[str]:
        """The table rows of ``records``, :data:`ROWS_PER_PIECE` at a time; with each one's provider
        cell where ``show_provider`` (the browse pages), without (a provider's own page)."""
        parts: list[str] = []
        for count, record in enumerate(records, 1):
            place = self._place(record)
            data = self._read(place)
            if show_provider:
                parts.append(data[: place[2]].decode("utf-8"))
                parts.append(self.cells[record["modelatlas"]["provider"]])
                parts.append(data[place[2] :].decode("utf-8"))
            else:
                parts.append(data.decode("utf-8"))
            if count % ROWS_PER_PIECE == 0:
                yield "".join(parts)
                parts.clear()
        yield "".join(parts)

    def kept_file(self, records: Iterable[Record]) -> Iterator[bytes]:
        """The rows file of ``records`` (the catalog's, in order) for the next build."""
        places = [(self.digests[record["id"]], self._place(record)) for record in records]
        yield file_head(len(places))
        yield b"".join(ENTRY.pack(digest, place[2], place[3]) for digest, place in places)
        batch: list[bytes] = []
        for _, place in places:
            batch.append(self._read(place))
            if len(batch) == ROWS_PER_PIECE:
                yield b"".join(batch)
                batch.clear()
        yield b"".join(batch)


class RecordRows:
    """The table rows of ``records`` as a page's table writes them (a
    :class:`~modelatlas.render.table_cells.TableRows`), made by ``rows``."""

    def __init__(self, records: Sequence[Record], rows: ModelRows) -> None:
        self.records, self.rows = records, rows

    def __len__(self) -> int:
        return len(self.records)

    def pieces(self, root: str, show_provider: bool) -> Iterator[str]:
        if root != ROOT:
            raise ValueError(f"model rows are made for pages {ROOT!r} from the build root, not {root!r}")
        return self.rows.pieces(self.records, show_provider)
