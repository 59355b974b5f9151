"""Lazy files rendered by forked workers (``render/lazy.py``): the same files in the same order as
one process renders them, only the files the stage needs, and a failing worker's files rendered
here instead."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest

from modelatlas.render import lazy
from modelatlas.render.lazy import (
    MIN_SHARED,
    RUN_ITEMS,
    Content,
    Lazy,
    process_count,
    rendered_ahead,
)
from modelatlas.render.output import content_bytes, sync_output

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork: files pass through unchanged")

PARENT = os.getpid()
COUNT = 3 * MIN_SHARED


def page(number: int, calls: list[int], *, fail_in_worker: bool = False) -> Lazy:
    def produce() -> Content:
        if fail_in_worker and os.getpid() != PARENT:
            raise RuntimeError("worker failure")
        calls.append(number)  # recorded only where it runs: this process's list
        return [b"<p>page ", str(number).encode(), b"</p>" * number]

    return Lazy(f"key-{number}", produce)


def files(calls: list[int], **options: bool) -> list[tuple[str, Content | Lazy]]:
    items: list[tuple[str, Content | Lazy]] = [("index.html", b"home")]
    items += [(f"model/{n}.html", page(n, calls, **options)) for n in range(COUNT)]
    items.append(("v1/models.json", iter([b"[", b"]"])))
    items += [(f"canonical/{n}.html", page(1000 + n, calls, **options)) for n in range(COUNT)]
    return items


def rendered(items: Iterable[tuple[str, Content | Lazy]]) -> list[tuple[str, bytes]]:
    return [(path, content_bytes(content)) for path, content in items]


def test_workers_render_with_this_process_and_the_files_come_in_order() -> None:
    alone_calls: list[int] = []
    alone = rendered(rendered_ahead(files(alone_calls), lambda path, lazy: True, processes=1))
    calls: list[int] = []
    shared = rendered(rendered_ahead(files(calls), lambda path, lazy: True, processes=2))
    assert shared == alone
    assert len(alone_calls) == 2 * COUNT
    assert len(calls) == len(set(calls))  # never a file twice here (the worker's are its own)


def test_only_the_files_the_stage_needs_are_rendered_ahead() -> None:
    calls: list[int] = []
    originals = files(calls)
    wanted = {f"canonical/{n}.html" for n in range(COUNT)} | {f"model/{n}.html" for n in range(0, COUNT, 2)}
    items = list(rendered_ahead(originals, lambda path, lazy: path in wanted, processes=2))
    # A file not needed is handed on at once, as it came, rendered by nobody yet (never held with a
    # run); the needed ones keep their order, and a file that is not lazy closes their run.
    kept_models = [f"model/{n}.html" for n in range(1, COUNT, 2)]
    needed_models = [f"model/{n}.html" for n in range(0, COUNT, 2)]
    canonical = [f"canonical/{n}.html" for n in range(COUNT)]
    expected = ["index.html", *kept_models, *needed_models, "v1/models.json", *canonical]
    assert [path for path, _ in items] == expected
    original_of = dict(originals)
    assert all(content is original_of[path] for path, content in items if path in kept_models)
    assert not {number for number in calls if number < 1000} & set(range(1, COUNT, 2))  # needed ones only
    assert sorted(rendered(items)) == sorted(rendered(files([])))


def pid_pages(count: int, share: int = 0, pause: float = 0.0) -> list[tuple[str, Content | Lazy]]:
    """Lazy files whose bytes name the process that rendered them (each ``share`` files one share;
    ``pause``: seconds a worker takes over each)."""

    def produce() -> bytes:
        if os.getpid() != PARENT:
            time.sleep(pause)
        return str(os.getpid()).encode()

    return [(f"model/{n}.html", Lazy(f"key-{n}", produce, f"s{n // share}" if share else None))
            for n in range(count)]


def test_a_run_closes_at_the_files_to_render_not_at_the_files_looked_at(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A rebuild renders few of many lazy files: one worker for the lot, however many files pass
    # (each fork of a big build's process is costly). A full build's runs stay RUN_ITEMS long.
    forks: list[int] = []
    start = lazy._Worker.__init__

    def counted(self: lazy._Worker, *args: Any) -> None:
        forks.append(1)
        start(self, *args)

    monkeypatch.setattr(lazy._Worker, "__init__", counted)
    many = 16 * RUN_ITEMS
    few = pid_pages(many)
    wanted = {path for path, _ in few[:: many // (4 * MIN_SHARED)]}
    assert len(rendered(rendered_ahead(few, lambda path, lazy: path in wanted, processes=2))) == many
    assert len(forks) == 1
    every = pid_pages(2 * RUN_ITEMS)
    rendered(rendered_ahead(every, lambda path, lazy: True, processes=2))
    assert len(forks) == 3
    split: list[tuple[str, Content | Lazy]] = [*pid_pages(4 * MIN_SHARED), ("v1/models.json", b"[]")]
    split += [(f"canonical/{n}.html", lazy) for n, (_, lazy) in enumerate(pid_pages(4 * MIN_SHARED))]
    rendered(rendered_ahead(split, lambda path, lazy: True, processes=2))  # a file not lazy closes a run
    assert len(forks) == 5


def test_a_slow_worker_leaves_most_files_to_this_process() -> None:
    """This process renders the files a worker has not reached (ahead of their turn if need be)
    instead of waiting for it."""
    pages = pid_pages(4 * MIN_SHARED, pause=0.02)
    makers = []
    for _, content in rendered_ahead(pages, lambda path, lazy: True, processes=2):
        time.sleep(0.002)  # staging: the worker has started by the second file
        makers.append(content_bytes(content))
    here = makers.count(str(PARENT).encode())
    assert here >= 3 * MIN_SHARED, f"{here} of {len(makers)} rendered here"
    assert len(set(makers)) == 2  # the worker rendered some too


def test_files_rendered_before_their_turn_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker that hardly moves does not make this process hold the rest of the run rendered:
    past AHEAD_FILES it waits for the worker instead."""
    monkeypatch.setattr(lazy, "AHEAD_FILES", 4)
    held: list[int] = []
    render_ahead = lazy.Claims._render_ahead

    def counted(self: lazy.Claims, index: int, run: list[tuple[str, Lazy]]) -> bool:
        held.append(len(self.ahead))
        return render_ahead(self, index, run)

    monkeypatch.setattr(lazy.Claims, "_render_ahead", counted)
    pages = pid_pages(2 * MIN_SHARED, pause=0.05)
    makers = []
    for _, content in rendered_ahead(pages, lambda path, lazy: True, processes=2):
        time.sleep(0.002)
        makers.append(content_bytes(content))
    assert held and max(held) < 4
    assert len(makers) == len(pages) and len(set(makers)) == 2  # the worker rendered its share


def test_a_worker_ahead_renders_all_while_this_process_stages() -> None:
    """A fast worker leaves this process only the staging (it never waits to claim a file).

    Rendering here is made slow (50 ms a file, instant in the worker): while the worker has claimed
    a file but not yet sent it, this process renders ahead, and on a loaded host (CI) a worker
    descheduled for a moment left it 95 of 96 instant files. A delay now costs it a file per 50 ms."""

    def produce() -> bytes:
        if os.getpid() == PARENT:
            time.sleep(0.05)
        return str(os.getpid()).encode()

    pages = [(f"model/{n}.html", Lazy(f"key-{n}", produce)) for n in range(4 * MIN_SHARED)]
    makers = []
    for _, content in rendered_ahead(pages, lambda path, lazy: True, processes=2):
        time.sleep(0.005)  # staging here is slower than rendering there
        makers.append(content_bytes(content))
    assert makers.count(str(PARENT).encode()) <= 2, makers  # the first, before the worker started


def test_the_files_of_one_share_go_to_one_process() -> None:
    def produce() -> bytes:
        time.sleep(0.002)  # as slow in either process: they take turns
        return str(os.getpid()).encode()

    pages = [(f"model/{n}.html", Lazy(f"key-{n}", produce, f"s{n // 4}")) for n in range(4 * MIN_SHARED)]
    makers = [data for _, data in rendered(rendered_ahead(pages, lambda path, lazy: True, processes=2))]
    groups = [set(makers[start : start + 4]) for start in range(0, len(makers), 4)]
    assert len({maker for group in groups for maker in group}) == 2  # both rendered some
    split = [group for group in groups if len(group) > 1]
    assert len(split) <= 2, split  # only where both claimed a share at the same moment


def test_files_a_worker_sent_this_process_rendered_are_passed_over() -> None:
    """Two processes that claim a file at once both render it: this one takes its own copy and
    passes over the worker's; a file the worker never sent is rendered here."""
    read, write = os.pipe()
    for index, data in ((0, b"a"), (2, b"c"), (5, b"f")):
        os.write(write, lazy._HEADER.pack(index, len(data)) + data)
    os.close(write)
    worker = object.__new__(lazy._Worker)
    worker.failed, worker.waiting, worker.fd, worker.buffer = False, None, read, bytearray()
    try:
        assert worker.file_at(2) == b"c"  # the copy of 0 passed over
        assert worker.file_at(3) is None and not worker.failed  # never sent: rendered here
        assert worker.ready() and worker.file_at(5) == b"f"
        assert worker.file_at(6) is None and worker.failed  # it ended: the rest rendered here
    finally:
        os.close(read)


def test_a_failing_worker_leaves_its_files_to_this_process() -> None:
    calls: list[int] = []
    shared = rendered(rendered_ahead(files(calls, fail_in_worker=True), lambda path, lazy: True, processes=2))
    assert shared == rendered(files([]))
    assert len(calls) == 2 * COUNT  # the worker failed on its first file: all were rendered here


def test_an_error_in_rendering_reaches_the_build(tmp_path: Path) -> None:
    def broken() -> bytes:
        raise ValueError("template bug")

    items = [(f"model/{n}.html", Lazy(f"k{n}", broken)) for n in range(COUNT)]
    with pytest.raises(ValueError, match="template bug"):
        sync_output(tmp_path / "out", items)
    assert not (tmp_path / "out" / "model").exists()


def test_a_build_with_workers_writes_what_one_process_writes(tmp_path: Path) -> None:
    sync_output(tmp_path / "shared", files([]))
    for path, content in rendered(files([])):
        assert (tmp_path / "shared" / path).read_bytes() == content


def test_no_worker_is_forked_while_another_thread_runs() -> None:
    # A fork copies only the calling thread: a lock another thread holds would never be released
    # in the worker, so with a thread alive every file is rendered here.
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait, daemon=True)
    thread.start()
    try:
        assert process_count() == 1
        calls: list[int] = []
        list(rendered(rendered_ahead(files(calls), lambda path, lazy: True)))
        assert len(calls) == 2 * COUNT
    finally:
        stop.set()
        thread.join()
