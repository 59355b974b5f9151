"""How much this process may do at once: the CPUs it may use, and whether it may fork (the render
workers, the side process, the checker beside a build and validation's workers all ask here); how
a forked process is reaped; and a result computed in a forked process meanwhile (waited for, or
taken only if it is ready)."""

from __future__ import annotations

import os
import select
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress


def usable_cpus() -> int:
    """The CPUs this process may run on (its affinity on Linux, else the machine's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def may_fork() -> bool:
    """Whether a process may be forked: the platform has ``os.fork`` and no other thread runs (a
    fork copies only the calling thread, and with it any lock another thread holds)."""
    return hasattr(os, "fork") and threading.active_count() == 1


def reaped(pid: int, *, stop: bool) -> int:
    """The exit code of the forked process ``pid``, once it has ended; ``stop``: killed first (a
    process that has ended already is only reaped)."""
    if stop:
        with suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    _pid, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


@contextmanager
def computed_beside(compute: Callable[[], str]) -> Iterator[Callable[[], str]]:
    """``compute`` run in a forked process while the block runs; the block gets a function that
    waits for its result. A thread would not do: the block's work (parsing JSON) holds the
    interpreter's lock for long stretches. A process that fails or dies sends nothing, and the result
    is then computed here (which raises whatever error ``compute`` raises); so it is where no process
    may be forked (:func:`may_fork`) or there is one CPU. The process is reaped when the block ends."""
    if not may_fork() or usable_cpus() < 2:
        yield compute
        return
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the forked process: never returns
        os.close(read)
        _send(write, lambda: compute().encode("utf-8"))
    os.close(write)
    exited: list[int] = []
    done: list[str] = []

    def result() -> str:
        if not exited:
            with os.fdopen(read, "rb", closefd=False) as pipe:
                sent = pipe.read()
            exited.append(reaped(pid, stop=False))
            if exited[0] == 0:  # it exits 0 only once all of the result is written
                done.append(sent.decode("utf-8"))
        if not done:
            done.append(compute())
        return done[0]

    try:
        yield result
    finally:
        os.close(read)
        if not exited:
            reaped(pid, stop=True)


@contextmanager
def made_beside(make: Callable[[], bytes]) -> Iterator[Callable[[], bytes | None]]:
    """``make`` run in a forked process while the block runs, for work the block can do without:
    the block gets a function that returns its bytes if the process has made them by then, and
    otherwise None, never waiting for it to finish (nor making them here); None too where no process
    may be forked (:func:`may_fork`) or there is one CPU, or if the process failed. The process is
    stopped when the block ends."""
    if not may_fork() or usable_cpus() < 2:
        yield lambda: None
        return
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the forked process: never returns
        os.close(read)
        _send(write, make)
    os.close(write)
    exited: list[int] = []
    made: list[bytes] = []

    def result() -> bytes | None:
        # It writes only once all is made, so a readable pipe means made (or failed: nothing sent).
        if not exited and select.select([read], [], [], 0)[0]:
            with os.fdopen(read, "rb", closefd=False) as pipe:
                sent = pipe.read()
            exited.append(reaped(pid, stop=False))
            if exited[0] == 0:  # it exits 0 only once all of it is written
                made.append(sent)
        return made[0] if made else None

    try:
        yield result
    finally:
        os.close(read)
        if not exited:
            reaped(pid, stop=True)


def _send(pipe: int, make: Callable[[], bytes]) -> None:
    status = 1
    try:
        with os.fdopen(pipe, "wb") as out:
            out.write(make())
            status = 0
    except BaseException:  # computed again by the caller, which meets the same error
        pass
    finally:
        os._exit(status)
