"""What this process may do at once (cpus.py): shared by the render workers, the side process, the
checker beside a build and validation's workers."""

from __future__ import annotations

import os
import signal
import threading
import time

import pytest

from modelatlas.cpus import may_fork, reaped, usable_cpus


def test_no_fork_while_another_thread_runs() -> None:
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait, daemon=True)
    thread.start()
    try:
        assert not may_fork()  # a fork would copy a lock the other thread may hold, never released
    finally:
        stop.set()
        thread.join()


def test_usable_cpus_is_this_process_affinity() -> None:
    expected = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    assert usable_cpus() == expected >= 1


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no os.fork on this platform")
def test_a_forked_process_is_reaped_with_its_exit_code_or_stopped() -> None:
    pid = os.fork()
    if pid == 0:
        os._exit(3)
    assert reaped(pid, stop=False) == 3  # waited for: its own exit code
    pid = os.fork()
    if pid == 0:
        time.sleep(60)
        os._exit(0)
    assert reaped(pid, stop=True) == -signal.SIGKILL  # stopped, not waited for a minute
