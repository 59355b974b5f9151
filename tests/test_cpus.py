"""What this process may do at once (cpus.py): shared by the render workers, the side process, the
checker beside a build and validation's workers."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest

from modelatlas.cpus import computed_beside, made_beside, may_fork, reaped, usable_cpus


@contextmanager
def another_thread_running() -> Iterator[None]:
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def test_no_fork_while_another_thread_runs() -> None:
    with another_thread_running():
        assert not may_fork()  # a fork would copy a lock the other thread may hold, never released


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


forking = pytest.mark.skipif(not hasattr(os, "fork") or usable_cpus() < 2, reason="no fork, or one CPU")


@forking
def test_a_result_computed_beside_comes_from_another_process() -> None:
    with computed_beside(lambda: str(os.getpid())) as result:
        assert result() != str(os.getpid())
        assert result() == result()  # asked twice, computed once


@forking
def test_a_computation_that_fails_beside_is_made_here_and_raises_here() -> None:
    parent = os.getpid()

    def only_here() -> str:
        if os.getpid() != parent:
            raise OSError("failed beside")
        return "made here"

    with computed_beside(only_here) as result:
        assert result() == "made here"

    def empty_beside() -> str:
        return "" if os.getpid() != parent else "made here"

    with computed_beside(empty_beside) as result:
        assert result() == ""  # an empty result is a result: not made again here

    def broken() -> str:
        raise OSError("unreadable data file")

    with pytest.raises(OSError, match="unreadable data file"), computed_beside(broken) as result:
        result()


@forking
def test_a_block_that_fails_stops_the_process_beside_without_waiting_for_it() -> None:
    started = time.monotonic()
    with pytest.raises(RuntimeError, match="manifest"), computed_beside(lambda: str(time.sleep(60))):
        raise RuntimeError("manifest unreadable")
    assert time.monotonic() - started < 10


def test_nothing_is_forked_while_another_thread_runs() -> None:
    with another_thread_running(), computed_beside(lambda: str(os.getpid())) as result:
        assert result() == str(os.getpid())


def _made_once_ready(result: Callable[[], bytes | None], seconds: float = 30) -> bytes | None:
    """What ``result`` gives once the process beside has had time to finish (asked again and again)."""
    deadline = time.monotonic() + seconds
    while (made := result()) is None and time.monotonic() < deadline:
        time.sleep(0.01)
    return made


@forking
def test_what_is_made_beside_is_taken_once_made_in_another_process() -> None:
    def pid_repeated() -> bytes:  # more than a pipe holds
        return str(os.getpid()).encode().rjust(10, b"0") * 50_000

    with made_beside(pid_repeated) as result:
        made = _made_once_ready(result)
    assert made is not None and len(made) == 500_000 and made == made[:10] * 50_000
    assert made != pid_repeated()  # made by another process


@forking
def test_what_is_not_made_yet_is_none_at_once_and_the_process_is_stopped() -> None:
    started = time.monotonic()
    with made_beside(lambda: (time.sleep(60), b"late")[1]) as result:
        assert result() is None  # not waited for
    assert time.monotonic() - started < 10  # stopped when the block ended, not waited for a minute


@forking
def test_what_fails_beside_is_none_and_is_not_made_here() -> None:
    parent = os.getpid()

    def fails_beside() -> bytes:
        if os.getpid() != parent:
            raise OSError("failed beside")
        raise AssertionError("made here")

    with made_beside(fails_beside) as result:
        assert _made_once_ready(result, seconds=0.5) is None
        assert result() is None


def test_nothing_is_made_beside_while_another_thread_runs() -> None:
    with another_thread_running(), made_beside(lambda: b"made") as result:
        assert _made_once_ready(result, seconds=0.5) is None
