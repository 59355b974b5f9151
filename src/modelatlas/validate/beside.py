"""data/ checked in a forked process while ``build`` goes on: :func:`check_data_beside`.

:func:`~modelatlas.validate.checks.check_data` reads and checks each provider document in turn, and
a rebuild waited for the checks (the bounds of every value, the price contract) before it did
anything else. Here every document is read and prepared (equal values shared, which changes none),
then one process is forked to check them all (it sees their values exactly as parsed, whatever the
build then does with its own copies), while the build makes its catalog. The build asks for the
report (:meth:`Pending.report`) before it renders anything from the catalog, and stops there on a
problem, as before; an error met meanwhile on data that has problems gives way to the report of
those problems.

The checker sends back only the problems (and the keys of the records checked, for the next build:
:mod:`~modelatlas.validate.checked_records`), through a pipe; if it dies, the documents are read and
checked again here. It then writes the documents for the next build
(:mod:`~modelatlas.validate.kept_documents`), which the build takes from it at its end. Without
``os.fork``, with one usable CPU, or while other threads run (a fork copies only the calling
thread), each document is checked here as it is read.
"""

from __future__ import annotations

import os
import struct
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from modelatlas.cpus import may_fork, reaped, usable_cpus
from modelatlas.datastore import ProviderDoc, provider_path, read_provider_file
from modelatlas.ids import provider_ids
from modelatlas.validate.checked_records import KeptChecks, checked, record_spans
from modelatlas.validate.checks import (
    Problem,
    Report,
    check_provider_doc,
    count_models,
    empty_provider_doc,
    gc_paused,
    problems_from_json,
    problems_json,
    read_and_check,
    require_data_dir,
)
from modelatlas.validate.kept_documents import KeptDocuments


def _may_fork_checker() -> bool:
    """Whether the checker may be forked: a process may be forked, and there is a second CPU."""
    return may_fork() and usable_cpus() > 1


# The checker's report: the sizes of its problems' JSON and of its keys, then that JSON, then the keys.
_HEADER = struct.Struct(">QQ")


class _Checker:
    """The provider documents, checked by a forked process (the records ``kept`` checked before, by
    their text in files whose SHA-256 is in ``digests``, are not checked again). With ``documents``,
    the same process then writes the documents for the next build (:mod:`.kept_documents`)."""

    def __init__(
        self, data_dir: Path, docs: dict[str, ProviderDoc], digests: dict[str, bytes],
        kept: KeptChecks | None, documents: KeptDocuments | None,
    ) -> None:
        self.data_dir, self.providers = data_dir, list(docs)
        writing = kept is not None and documents is not None and documents.open()
        self.documents = documents if writing else None
        read, write = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:  # the checker: never returns
            os.close(read)
            _check(write, data_dir, docs, digests, kept, self.documents)
        os.close(write)
        self.pipe = os.fdopen(read, "rb")

    def problems(self) -> tuple[list[Problem], bytes]:
        """The problems found and the keys of the records checked (empty if the checker died)."""
        sent = self.pipe.read()
        self.pipe.close()
        report = _report(sent)
        if report is not None and self.documents is not None:
            self.documents.writer = self.pid  # it goes on with the documents: reaped when they are taken
            return report
        if reaped(self.pid, stop=False) == 0 and report is not None:
            return report
        problems: list[Problem] = []  # it died: everything is read and checked again here
        for provider in self.providers:
            problems.extend(read_and_check(self.data_dir, provider, read_only=True)[1])
        return problems, b""

    def stop(self) -> None:
        self.pipe.close()
        reaped(self.pid, stop=True)


def _report(sent: bytes) -> tuple[list[Problem], bytes] | None:
    """The problems and keys a checker sent; None if it did not send them whole."""
    if len(sent) < _HEADER.size:
        return None
    problems_size, keys_size = _HEADER.unpack(sent[: _HEADER.size])
    if len(sent) != _HEADER.size + problems_size + keys_size:
        return None
    end = _HEADER.size + problems_size
    return problems_from_json(sent[_HEADER.size : end]), sent[end:]


def _check(
    pipe: int, data_dir: Path, docs: dict[str, ProviderDoc], digests: dict[str, bytes],
    kept: KeptChecks | None, documents: KeptDocuments | None,
) -> None:
    status = 1
    try:
        known = kept.known() if kept is not None else frozenset()
        problems: list[Problem] = []
        keys: dict[str, list[bytes]] = {}
        for provider, doc in docs.items():
            path = provider_path(data_dir, provider)
            spans = record_spans(path, digests[provider]) if provider in digests else None
            found, keys[provider] = checked(provider, doc, str(path), spans, known)
            problems.extend(found)
        sent = problems_json(problems).encode("utf-8")
        every_key = b"".join(sorted(key for each in keys.values() for key in each))
        kept_keys = every_key if kept is not None and not problems else b""
        with os.fdopen(pipe, "wb") as out:
            out.write(_HEADER.pack(len(sent), len(kept_keys)) + sent + kept_keys)
        if documents is not None and not problems:  # after the report: the build need not wait for them
            documents.write((provider, digests[provider], keys[provider], doc)
                            for provider, doc in docs.items() if provider in digests)
        status = 0
    finally:
        os._exit(status)


class Pending:
    """The report of documents still being checked."""

    def __init__(
        self, report: Report, checkers: list[_Checker], unprepared: list[Exception], kept: KeptChecks | None
    ) -> None:
        self._report, self._checkers, self._unprepared, self._kept = report, checkers, unprepared, kept

    def report(self) -> Report:
        """The whole report, once every checker has finished (raises what ``prepare`` raised on a
        document that has no problem: a bug, not bad data). With no problem, the keys of the records
        checked are given to ``kept`` for the next build."""
        checkers, self._checkers = self._checkers, []
        for checker in checkers:
            problems, keys = checker.problems()
            self._report.problems.extend(problems)
            if self._kept is not None and keys and not self._report.problems:
                self._kept.keep(keys)
        if self._unprepared and not self._report.problems:
            raise self._unprepared[0]
        return self._report

    def stop(self) -> None:
        for checker in self._checkers:
            checker.stop()
        self._checkers = []


@contextmanager
def check_data_beside(
    data_dir: Path, prepare: Callable[[ProviderDoc], None], kept: KeptChecks | None = None,
    documents: KeptDocuments | None = None,
) -> Iterator[tuple[dict[str, ProviderDoc], Pending]]:
    """Every provider document (missing ones as empty stand-ins), prepared (``prepare`` may share
    equal values, never change one) and then checked by a forked process, and the pending report;
    the checker is stopped if the block ends before :meth:`Pending.report` was asked for. ``kept``:
    the records the previous build checked, not checked again (and this build's, kept for the next);
    without it every record is checked. ``documents`` (with ``kept``): the documents the previous
    build parsed, taken instead of parsing where the bytes allow (and this build's, written by the
    checker for the next)."""
    require_data_dir(data_dir)
    docs: dict[str, ProviderDoc] = {}
    read: dict[str, ProviderDoc] = {}  # the documents of files, in registry order
    digests: dict[str, bytes] = {}  # the SHA-256 of each one's bytes, where records are kept
    report, checkers, unprepared = Report(), [], []
    forking = _may_fork_checker()
    hashed = forking and kept is not None
    pending = Pending(report, checkers, unprepared, kept)
    reuse = documents.document if hashed and documents is not None else None
    try:
        for provider in provider_ids():
            with gc_paused():
                found = read_provider_file(data_dir, provider, read_only=True, hashed=hashed, kept=reuse)
            if found is None:
                docs[provider] = empty_provider_doc(provider)
                continue
            doc, sha256 = found
            docs[provider] = doc
            report.checked += 1
            report.models += count_models(doc)
            if not forking:
                problems = list(check_provider_doc(provider, doc, str(provider_path(data_dir, provider))))
                report.problems.extend(problems)
                if not problems:
                    prepare(doc)
                continue
            read[provider] = doc
            if sha256 is not None:
                digests[provider] = sha256
        for provider, doc in read.items():  # before the checker: preparing changes no value
            try:
                prepare(doc if reuse is None or documents is None else documents.unprepared(provider, doc))
            except Exception as exc:  # a document with problems: the checker reports them
                unprepared.append(exc)
        if read:  # it keeps the documents as prepared, so the next build need not prepare them again
            checkers.append(_Checker(data_dir, read, digests, kept, documents if hashed else None))
        if documents is not None:
            documents.forget()  # the checker has what it writes from
        yield docs, pending
    finally:
        pending.stop()
