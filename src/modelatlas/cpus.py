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
    with _beside(lambda: compute().encode("utf-8")) as process:
        done: list[str] = []

        def result() -> str:
            if not process.exited:
                sent = process.received()
                if sent is not None:
                    done.append(sent.decode("utf-8"))
            if not done:
                done.append(compute())
            return done[0]

        yield result


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
    with _beside(make) as process:
        made: list[bytes] = []

        def result() -> bytes | None:
            # It writes only once all is made, so a readable pipe means made (or failed: nothing sent).
            if not process.exited and select.select([process.read], [], [], 0)[0]:
                sent = process.received()
                if sent is not None:
                    made.append(sent)
            return made[0] if made else None

        yield result


class _Beside:
    """A forked process sending ``make()``'s bytes through a pipe, seen from this process."""

    def __init__(self, make: Callable[[], bytes]) -> None:
        self.read, write = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:  # the forked process: never returns
            os.close(self.read)
            _send(write, make)
        os.close(write)
        self.exited: list[int] = []  # its exit code, once reaped

    def received(self) -> bytes | None:
        """All it sent, once it has exited 0 (it does only once all of it is written); else None."""
        with os.fdopen(self.read, "rb", closefd=False) as pipe:
            sent = pipe.read()
        self.exited.append(reaped(self.pid, stop=False))
        return sent if self.exited[0] == 0 else None


@contextmanager
def _beside(make: Callable[[], bytes]) -> Iterator[_Beside]:
    """A :class:`_Beside` process for the block; stopped at its end unless reaped already."""
    process = _Beside(make)
    try:
        yield process
    finally:
        os.close(process.read)
        if not process.exited:
            reaped(process.pid, stop=True)


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
