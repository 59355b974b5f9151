"""The output stage's second process: the :class:`~modelatlas.render.lazy.Deferred` files, staged
beside the rest.

A 1% rebuild renders few model pages, but it remakes every file that holds every model (browse,
provider and chart pages, the search index, the quality report), and one process did all of it while
the other core idled. When a process may be forked (:func:`~modelatlas.render.lazy.process_count`),
the output stage forks one before it reads the first file. The build's process walks the stream of
every file, the side process the same stream's ``Deferred`` files alone, made without the others
(:func:`~modelatlas.render.deferred_files`; every renderer is a pure function of the catalog,
which the fork copied): the side process stages ``Deferred`` files only, the build's process
everything else, and each ``Deferred`` file is staged by the process that claims it first
(:class:`Claims`). The side process claims each as it reaches it; the build's process holds those it
meets and claims them only once it has staged all its other files (:meth:`Side.join`), so the
side process, which has nothing else to do, takes as many as it can first, and the build's process
helps with the rest at the end (in a 1% rebuild at 100k models the build's process met the quality
report and the model tables first and took them, 5 s of work, while the side process idled 40% of
the stage). Each compares, links or
writes its own files in the one staging folder; at the end the side process sends its manifest
entries and counts through a pipe, and the build's process adds them to its own (a path both made
is the same error as in one process).

A side process that fails (a renderer's error, a full disk) or dies sends nothing: the build's
process then stages the deferred files itself, replacing whatever the side process left in the
staging folder, and so meets whatever error they raise. Nothing else changes hands; the side process
exits without running any clean-up of the build's process.
"""

from __future__ import annotations

import json
import mmap
import os
import select
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from modelatlas.build_folder import ManifestEntry
from modelatlas.cpus import reaped
from modelatlas.render.lazy import Content, Deferred, Lazy, process_count
from modelatlas.render.stage_walk import StageWalk

Files = Iterable[tuple[str, Content | Lazy | Deferred]]


CLAIM_SLOTS = 1 << 20  # deferred files shared; any later ones are the build's process's
WAIT_SECONDS = 0.5  # how often a waiting side process checks that the build's process is alive


class Claims:
    """Which process stages each deferred file: the first to reach it. Both processes count the
    deferred files in the order of the stream (the same in both); a byte per file in memory shared
    by the fork records the ones taken, under a lock that is a token in a pipe."""

    def __init__(self) -> None:
        self.taken = mmap.mmap(-1, CLAIM_SLOTS)  # shared with the fork, zeros; pages made as touched
        self.token_in, self.token_out = os.pipe()
        os.write(self.token_out, b"t")
        self.seen = 0
        self.shares: dict[str, bool] = {}  # whether each share seen is this process's

    def claim(self, deferred: Deferred, build: bool, ended: int | None = None) -> bool:
        """Whether the next deferred file is this process's (``build``: this is the build's process;
        ``ended``: a pipe that is readable once the side process has finished with claims). The files
        of one ``share`` go where its first went."""
        if deferred.share is not None and deferred.share in self.shares:
            return self.shares[deferred.share]
        mine = self._claim(build, ended)
        if deferred.share is not None:
            self.shares[deferred.share] = mine
        return mine

    def _claim(self, build: bool, ended: int | None) -> bool:
        index, self.seen = self.seen, self.seen + 1
        if index >= CLAIM_SLOTS:
            return build
        if not self._acquire(ended):
            return True  # the side process has ended: everything left is this one's
        try:
            free = self.taken[index] == 0
            if free:
                self.taken[index] = 1
        finally:
            os.write(self.token_out, b"t")
        return free

    def _acquire(self, ended: int | None) -> bool:
        watched = [self.token_in] if ended is None else [self.token_in, ended]
        parent = os.getppid()
        while True:
            ready, _, _ = select.select(watched, [], [], WAIT_SECONDS)
            if self.token_in in ready:
                os.read(self.token_in, 1)
                return True
            if ready:  # the side process sent its result or died (perhaps holding the token)
                return False
            if ended is None and os.getppid() != parent:  # the build's process is gone
                os._exit(1)

    def close(self) -> None:
        os.close(self.token_in)
        os.close(self.token_out)
        self.taken.close()


@contextmanager
def started(files: Files, walk: StageWalk) -> Iterator[Side | None]:
    """A side process staging the deferred files of ``files`` (not yet read) with a copy of ``walk``;
    None where none may be forked (the caller then stages them itself). Killed if the block fails."""
    if process_count() < 2:
        yield None
        return
    side = Side(files, walk)
    try:
        yield side
    finally:
        side.close()


class Side:
    """The forked side process, seen from the build's process."""

    def __init__(self, files: Files, walk: StageWalk) -> None:
        self.held: list[tuple[str, Deferred]] = []  # the deferred files met, until settled
        self.left: list[tuple[str, Deferred]] = []  # what it stages; staged here if it fails
        self.claims = Claims()
        read, write = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:  # the side process: never returns
            os.close(read)
            _work(write, files, walk, self.claims)
        os.close(write)
        self.pipe = os.fdopen(read, "rb")
        self.status: int | None = None

    def hold(self, rel: str, deferred: Deferred) -> None:
        """Keep a deferred file of the stream for :meth:`join` (this process passes over it now)."""
        self.held.append((rel, deferred))

    def _settle(self, walk: StageWalk) -> None:
        """Once this process has staged its other files: stage the held files the side process has
        not claimed yet, claiming them in the stream's order (the side process's order: the same
        positions and shares), and leave it the others."""
        held, self.held = self.held, []
        for rel, deferred in held:
            if self.claims.claim(deferred, build=True, ended=self.pipe.fileno()):
                walk.take(rel, deferred)
            else:
                self.left.append((rel, deferred))

    def join(self, walk: StageWalk) -> None:
        """Once this process has staged its other files: stage the held files the side process has
        not claimed (:meth:`_settle`), then add what the side process staged to ``walk``, once it
        has finished (or, if it failed, stage its deferred files in this process)."""
        self._settle(walk)
        sent = self.pipe.read()
        self.close(finished=True)
        result = _parsed(sent) if self.status == 0 else None
        if result is None:
            for rel, deferred in self.left:
                walk.unstage(walk.path(rel))  # a file it left may be a link to the current output's
                walk.take(rel, deferred)
            return
        for rel, size, sha256, key in result["entries"]:
            walk.old.pop(rel, None)
            walk.add(rel, ManifestEntry(size, sha256, key))
        for name, size, sha256 in result["caches"]:
            walk.caches[name] = ManifestEntry(size, sha256)
        walk.staging.written += result["written"]
        walk.unchanged += result["unchanged"]

    def close(self, finished: bool = False) -> None:
        """Reap the side process; idempotent. ``finished``: it has closed its pipe and is exiting, so
        it is waited for (killing it then could land between its last write and its exit, and lose
        its result); otherwise the build failed and it is stopped first."""
        if self.status is not None:
            return
        self.pipe.close()
        self.claims.close()
        self.status = reaped(self.pid, stop=not finished)


def _parsed(sent: bytes) -> dict[str, Any] | None:
    try:
        result = json.loads(sent)
    except ValueError:
        return None
    return result if isinstance(result, dict) else None


def _work(pipe: int, files: Files, walk: StageWalk, claims: Claims) -> None:
    """Stage the deferred files of ``files`` this process claims first, send ``{"entries": [[path,
    size, sha256, key]...], "caches": [[name, size, sha256]...], "written", "unchanged"}`` through
    ``pipe`` and exit (status 1, nothing sent, on any error)."""
    status = 1
    try:
        with os.fdopen(pipe, "wb") as out:
            for rel, content in files:
                if isinstance(content, Deferred) and claims.claim(content, build=False):
                    walk.take(rel, content)
            entries = [[rel, entry.size, entry.sha256, entry.key] for rel, entry in walk.new.items()]
            caches = [[name, entry.size, entry.sha256] for name, entry in walk.caches.items()]
            result = {"entries": entries, "caches": caches, "written": walk.staging.written,
                      "unchanged": walk.unchanged}
            out.write(json.dumps(result).encode("utf-8"))
            status = 0
    except BaseException:  # the build's process stages them itself, and meets the same error
        pass
    finally:
        os._exit(status)
