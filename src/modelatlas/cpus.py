"""How much this process may do at once: the CPUs it may use, and whether it may fork (the render
workers, the side process, the checker beside a build and validation's workers all ask here); and
how a forked process is reaped."""

from __future__ import annotations

import os
import signal
import threading
from contextlib import suppress


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
