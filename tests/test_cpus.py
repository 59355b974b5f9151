"""What this process may do at once (cpus.py): shared by the render workers, the side process, the
checker beside a build and validation's workers."""

from __future__ import annotations

import os
import threading

from modelatlas.cpus import may_fork, usable_cpus


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
