"""data/ checked in a forked process while ``build`` goes on: :func:`check_data_beside`.

:func:`~modelatlas.validate.checks.check_data` reads and checks each provider document in turn, and
a rebuild waited for the checks (the bounds of every value, the price contract) before it did
anything else. Here every document is read, then one process is forked to check them all (it sees
them exactly as parsed, whatever the build then does with its own copies), while the build prepares
them and makes its catalog. The build asks for the report (:meth:`Pending.report`) before it renders
anything from the catalog, and stops there on a problem, as before; an error met meanwhile on data
that has problems gives way to the report of those problems.

The checker sends back only the problems, through a pipe; if it dies, the documents are read and
checked again here. Without ``os.fork``, with one usable CPU, or while other threads run (a fork
copies only the calling thread), each document is checked here as it is read.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from modelatlas.cpus import may_fork, reaped, usable_cpus
from modelatlas.datastore import ProviderDoc, provider_path, read_provider
from modelatlas.ids import provider_ids
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


def _may_fork_checker() -> bool:
    """Whether the checker may be forked: a process may be forked, and there is a second CPU."""
    return may_fork() and usable_cpus() > 1


class _Checker:
    """The provider documents, checked by a forked process."""

    def __init__(self, data_dir: Path, docs: dict[str, ProviderDoc]) -> None:
        self.data_dir, self.providers = data_dir, list(docs)
        read, write = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:  # the checker: never returns
            os.close(read)
            _check(write, data_dir, docs)
        os.close(write)
        self.pipe = os.fdopen(read, "rb")

    def problems(self) -> list[Problem]:
        sent = self.pipe.read()
        self.pipe.close()
        if reaped(self.pid, stop=False) == 0:
            return problems_from_json(sent)
        problems: list[Problem] = []  # it died: everything is read and checked again here
        for provider in self.providers:
            problems.extend(read_and_check(self.data_dir, provider, read_only=True)[1])
        return problems

    def stop(self) -> None:
        self.pipe.close()
        reaped(self.pid, stop=True)


def _check(pipe: int, data_dir: Path, docs: dict[str, ProviderDoc]) -> None:
    status = 1
    try:
        problems = (
            problem
            for provider, doc in docs.items()
            for problem in check_provider_doc(provider, doc, str(provider_path(data_dir, provider)))
        )
        with os.fdopen(pipe, "wb") as out:
            out.write(problems_json(problems).encode("utf-8"))
        status = 0
    finally:
        os._exit(status)


class Pending:
    """The report of documents still being checked."""

    def __init__(self, report: Report, checkers: list[_Checker], unprepared: list[Exception]) -> None:
        self._report, self._checkers, self._unprepared = report, checkers, unprepared

    def report(self) -> Report:
        """The whole report, once every checker has finished (raises what ``prepare`` raised on a
        document that has no problem: a bug, not bad data)."""
        checkers, self._checkers = self._checkers, []
        for checker in checkers:
            self._report.problems.extend(checker.problems())
        if self._unprepared and not self._report.problems:
            raise self._unprepared[0]
        return self._report

    def stop(self) -> None:
        for checker in self._checkers:
            checker.stop()
        self._checkers = []


@contextmanager
def check_data_beside(
    data_dir: Path, prepare: Callable[[ProviderDoc], None]
) -> Iterator[tuple[dict[str, ProviderDoc], Pending]]:
    """Every provider document (missing ones as empty stand-ins), prepared once a checker has them,
    and the pending report; the checker is stopped if the block ends before :meth:`Pending.report`
    was asked for."""
    require_data_dir(data_dir)
    docs: dict[str, ProviderDoc] = {}
    read: dict[str, ProviderDoc] = {}  # the documents of files, in registry order
    report, checkers, unprepared = Report(), [], []
    forking = _may_fork_checker()
    pending = Pending(report, checkers, unprepared)
    try:
        for provider in provider_ids():
            with gc_paused():
                doc = read_provider(data_dir, provider, read_only=True)
            docs[provider] = empty_provider_doc(provider) if doc is None else doc
            if doc is None:
                continue
            report.checked += 1
            report.models += count_models(doc)
            if not forking:
                problems = list(check_provider_doc(provider, doc, str(provider_path(data_dir, provider))))
                report.problems.extend(problems)
                if not problems:
                    prepare(doc)
                continue
            read[provider] = doc
        if read:
            checkers.append(_Checker(data_dir, read))
        for doc in read.values():
            try:
                prepare(doc)
            except Exception as exc:  # a document with problems: the checker reports them
                unprepared.append(exc)
        yield docs, pending
    finally:
        pending.stop()
