"""data/ checked in forked processes while ``build`` goes on: :func:`check_data_beside`.

:func:`~modelatlas.validate.checks.check_data` reads and checks each provider document in turn, and
a rebuild waited for the checks (the bounds of every value, the price contract) before it did
anything else. Here each document, once read, is checked by a process forked at that moment (it
sees the document exactly as parsed, whatever the build then does with its own copy), while the
build reads the next one, prepares it and goes on making its catalog. The build asks for the
report (:meth:`Pending.report`) before it renders anything from the catalog, and stops there on a
problem, as before; an error met meanwhile on data that has problems gives way to the report of
those problems (:meth:`Pending.raise_first`).

A checker sends back only its problems, through a pipe; one that dies sends nothing, and its
document is then read and checked again here. Without ``os.fork``, with one usable CPU, or while
other threads run (a fork copies only the calling thread), documents are checked here, in turn.
"""

from __future__ import annotations

import json
import os
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from modelatlas.datastore import ProviderDoc, provider_path, read_provider
from modelatlas.ids import provider_ids
from modelatlas.validate.checks import (
    Problem,
    Report,
    check_provider_doc,
    count_models,
    empty_provider_doc,
    gc_paused,
    read_and_check,
    require_data_dir,
)


def may_fork() -> bool:
    """Whether checkers may be forked: ``os.fork``, two usable CPUs, no other thread."""
    if not hasattr(os, "fork") or threading.active_count() > 1:
        return False
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        usable = os.cpu_count() or 1
    return usable > 1


class _Checker:
    """One provider document checked by a forked process."""

    def __init__(self, data_dir: Path, provider: str, doc: ProviderDoc) -> None:
        self.data_dir, self.provider = data_dir, provider
        read, write = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:  # the checker: never returns
            os.close(read)
            _check(write, provider, doc, str(provider_path(data_dir, provider)))
        os.close(write)
        self.pipe = os.fdopen(read, "rb")

    def problems(self) -> list[Problem]:
        sent = self.pipe.read()
        self.pipe.close()
        _pid, status = os.waitpid(self.pid, 0)
        if os.waitstatus_to_exitcode(status) == 0:
            return [Problem(*fields) for fields in json.loads(sent)]
        return read_and_check(self.data_dir, self.provider, read_only=True)[1]  # it died: check here

    def stop(self) -> None:
        self.pipe.close()
        with suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)


def _check(pipe: int, provider: str, doc: ProviderDoc, file: str) -> None:
    status = 1
    try:
        found = check_provider_doc(provider, doc, file)
        problems = [[problem.file, problem.pointer, problem.message, problem.model_id] for problem in found]
        with os.fdopen(pipe, "wb") as out:
            out.write(json.dumps(problems).encode("utf-8"))
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
    """Every provider document (missing ones as empty stand-ins), each prepared right after it was
    read, and its pending report; the checkers are stopped if the block ends before
    :meth:`Pending.report` was asked for."""
    require_data_dir(data_dir)
    docs: dict[str, ProviderDoc] = {}
    report, checkers, unprepared = Report(), [], []
    forking = may_fork()
    pending = Pending(report, checkers, unprepared)
    try:
        for provider in provider_ids():
            with gc_paused():
                doc = read_provider(data_dir, provider, read_only=True)
            if doc is None:
                docs[provider] = empty_provider_doc(provider)
                continue
            docs[provider] = doc
            report.checked += 1
            report.models += count_models(doc)
            if forking:
                checkers.append(_Checker(data_dir, provider, doc))
            else:
                problems = list(check_provider_doc(provider, doc, str(provider_path(data_dir, provider))))
                report.problems.extend(problems)
                if problems:
                    continue
            try:
                prepare(doc)
            except Exception as exc:  # a document with problems: its checker reports them
                unprepared.append(exc)
        yield docs, pending
    finally:
        pending.stop()
