"""Lazy files rendered by forked workers (``render/lazy.py``): the same files in the same order as
one process renders them, only the files the stage needs, and a failing worker's files rendered
here instead."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable
from pathlib import Path

import pytest

from modelatlas.render.lazy import (
    MIN_SHARED,
    RUN_FILES,
    RUN_ITEMS,
    Content,
    Lazy,
    process_count,
    rendered_ahead,
    worker_shares,
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


def test_workers_render_a_share_and_the_files_come_in_order() -> None:
    alone_calls: list[int] = []
    alone = rendered(rendered_ahead(files(alone_calls), lambda path, lazy: True, processes=1))
    calls: list[int] = []
    shared = rendered(rendered_ahead(files(calls), lambda path, lazy: True, processes=2))
    assert shared == alone
    assert len(alone_calls) == 2 * COUNT
    assert len(calls) == 2 * len(range(0, COUNT, 3))  # a third of each run here, the rest by the worker
    assert calls == sorted(calls)


def test_only_the_files_the_stage_needs_are_rendered_ahead() -> None:
    calls: list[int] = []
    originals = files(calls)
    wanted = {f"canonical/{n}.html" for n in range(COUNT)}
    items = list(rendered_ahead(originals, lambda path, lazy: path in wanted, processes=2))
    assert [path for path, _ in items] == [path for path, _ in originals]
    for (path, content), (_, original) in zip(items, originals, strict=True):
        if path.startswith("model/"):  # not needed: handed on as it came, rendered by nobody yet
            assert content is original
    assert calls == []
    by_path = dict(originals)
    from_worker = sum(1 for path, content in items if path in wanted and content is not by_path[path])
    assert from_worker == COUNT - len(range(0, COUNT, 3))


def pid_pages(count: int) -> list[tuple[str, Content | Lazy]]:
    """Lazy files whose bytes name the process that rendered them."""
    return [(f"model/{n}.html", Lazy(f"key-{n}", lambda: str(os.getpid()).encode())) for n in range(count)]


def test_a_run_closes_at_the_files_to_render_not_at_the_files_looked_at() -> None:
    # A rebuild renders few of many lazy files: one worker for the lot, not one per 4096 files
    # (each fork of a big build's process is costly). A full build's runs stay RUN_ITEMS long.
    few = pid_pages(RUN_FILES)
    wanted = {path for path, _ in few[:: RUN_FILES // (4 * MIN_SHARED)]}
    items = rendered_ahead(few, lambda path, lazy: path in wanted, processes=2)
    makers = {content_bytes(content) for path, content in items if path in wanted}
    assert len(makers - {str(PARENT).encode()}) == 1
    every = pid_pages(2 * RUN_ITEMS)
    items = rendered_ahead(every, lambda path, lazy: True, processes=2)
    makers = {content_bytes(content) for _, content in items}
    assert len(makers - {str(PARENT).encode()}) == 2
    over = pid_pages(RUN_FILES + 4 * MIN_SHARED)  # a run never holds more than RUN_FILES files
    wanted = {path for path, _ in over[-4 * MIN_SHARED :]} | {path for path, _ in over[: 4 * MIN_SHARED]}
    items = rendered_ahead(over, lambda path, lazy: path in wanted, processes=2)
    makers = {content_bytes(content) for path, content in items if path in wanted}
    assert len(makers - {str(PARENT).encode()}) == 2


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


def test_this_process_renders_one_file_in_2n_minus_1_and_each_worker_two() -> None:
    todo = list(range(0, 40, 2))
    assert worker_shares(todo, 2) == [[i for k, i in enumerate(todo) if k % 3]]
    shares = worker_shares(todo, 3)
    assert shares[0] == [i for k, i in enumerate(todo) if k % 5 in (1, 2)]
    assert shares[1] == [i for k, i in enumerate(todo) if k % 5 in (3, 4)]
    assert sorted(set(todo) - {i for share in shares for i in share}) == todo[::5]  # this process's


def test_files_of_one_share_go_to_one_process_and_the_loads_stay_even() -> None:
    todo = list(range(30))
    groups = [f"g{n % 5}" if n < 20 else None for n in todo]  # five groups of four, ten files of none
    shares = worker_shares(todo, 2, groups)
    worker = set(shares[0])
    for group in {g for g in groups if g is not None}:
        members = {index for index, g in zip(todo, groups, strict=True) if g == group}
        assert members <= worker or not members & worker, group
    assert len(worker) == 20  # two files in three, as without groups
