"""The output stage's second process (``render/side_stage.py``): deferred files staged by whichever
process reaches them first, the same output and report as one process makes, and a failing side
process's files staged by the build's process instead."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from modelatlas.build_folder import MANIFEST_NAME
from modelatlas.errors import ModelatlasError
from modelatlas.render import side_stage
from modelatlas.render.lazy import Content, Deferred, Lazy
from modelatlas.render.output import BuildReport, sync_output
from tests.file_tree import file_states

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork: one process stages every file")

PARENT = os.getpid()
COUNT = 60


@pytest.fixture(autouse=True)
def side_process_forked(monkeypatch: pytest.MonkeyPatch) -> None:
    """A side process in every test here, even while another test's server thread runs (the suite's
    HTTP fixtures live for the whole session, and a build forks only with no other thread): without
    it these tests would compare one process with one process. The forked processes here only run
    the stand-in renderers below and write files."""
    monkeypatch.setattr(side_stage, "process_count", lambda: 2)


def table(number: int, *, fail_in_side: int | None = None, fail: bool = False) -> Deferred:
    """A deferred page; ``fail_in_side``: it fails in the side process if ``number`` is at least that."""

    def produce() -> Content:
        if fail or (fail_in_side is not None and number >= fail_in_side and os.getpid() != PARENT):
            raise RuntimeError(f"table {number} failed")
        return [b"<table>", b"<tr></tr>" * number, b"</table>"]

    return Deferred(produce)


def files(version: int = 1, **options: Any) -> list[tuple[str, Content | Lazy | Deferred]]:
    items: list[tuple[str, Content | Lazy | Deferred]] = [("index.html", b"home")]
    for n in range(COUNT):
        items.append((f"browse/{n}.html", table(n * version, **options)))
        items.append((f"model/{n}.html", Lazy(f"key-{n}", lambda n=n: f"<p>{n}</p>".encode())))
    items.append(("v1/models.json", Deferred(lambda: iter([b"[", b"]"]))))
    return items


def tree(root: Path) -> dict[str, bytes]:
    return {rel: state[0] for rel, state in file_states(root).items() if rel != MANIFEST_NAME}


def alone(monkeypatch: pytest.MonkeyPatch, out: Path, items: list) -> BuildReport:
    with monkeypatch.context() as patch:
        patch.setattr(side_stage, "process_count", lambda: 1)
        return sync_output(out, items)


def test_two_processes_stage_what_one_does(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    one = alone(monkeypatch, tmp_path / "one", files())
    two = sync_output(tmp_path / "two", files())
    assert two == one and two.written == 2 * COUNT + 2
    assert tree(tmp_path / "two") == tree(tmp_path / "one")
    assert (tmp_path / "two" / MANIFEST_NAME).read_bytes() == (tmp_path / "one" / MANIFEST_NAME).read_bytes()
    again = sync_output(tmp_path / "two", files(version=2))  # every browse page but the first changes
    assert again == BuildReport(written=COUNT - 1, unchanged=COUNT + 3, removed=0)
    assert tree(tmp_path / "two") == {**tree(tmp_path / "one"), **{
        f"browse/{n}.html": b"<table>" + b"<tr></tr>" * 2 * n + b"</table>" for n in range(COUNT)
    }}


def test_a_failing_side_process_leaves_its_files_to_the_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sync_output(tmp_path / "out", files())
    monkeypatch.setattr(side_stage.Claims, "claim", lambda self, deferred, build, ended=None: not build)
    # the side process claims every deferred page, stages (links) the unchanged ones before the
    # 30th, then fails: the build's process stages every page left to it, in place of what it staged
    report = sync_output(tmp_path / "out", files(fail_in_side=30))
    assert report == BuildReport(written=0, unchanged=2 * COUNT + 2, removed=0)
    report = sync_output(tmp_path / "out", files(version=3, fail_in_side=30))
    expected = alone(monkeypatch, tmp_path / "alone", files(version=3))
    assert expected.written == 2 * COUNT + 2
    assert report == BuildReport(written=COUNT - 1, unchanged=expected.total - COUNT + 1, removed=0)
    assert tree(tmp_path / "out") == tree(tmp_path / "alone")


def test_an_error_in_a_deferred_file_reaches_the_build(tmp_path: Path) -> None:
    sync_output(tmp_path / "out", files())
    before = tree(tmp_path / "out")
    with pytest.raises(RuntimeError, match="table 7 failed"):
        sync_output(tmp_path / "out", [*files()[:15], ("browse/x.html", table(7, fail=True))])
    assert tree(tmp_path / "out") == before
    assert not any(tmp_path.glob(".out.modelatlas-*"))


def test_a_path_made_by_both_processes_is_refused(tmp_path: Path) -> None:
    items = [*files(), ("browse/3.html", b"again")]
    with pytest.raises(ModelatlasError, match=r"two rendered files share the path 'browse/3\.html'"):
        sync_output(tmp_path / "out", items)


def claimed(files: list[Deferred]) -> tuple[set[int], set[int]]:
    """The positions in ``files`` this process and a forked one claim, both claiming all at once."""
    claims = side_stage.Claims()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover (the forked claimer)
        won = [index for index, deferred in enumerate(files) if claims.claim(deferred, build=False)]
        os.write(write, json.dumps(won).encode())
        os._exit(0)
    os.close(write)
    ours = {index for index, deferred in enumerate(files) if claims.claim(deferred, build=True, ended=None)}
    with os.fdopen(read, "rb") as pipe:
        theirs = set(json.loads(pipe.read()))
    os.waitpid(pid, 0)
    claims.close()
    return ours, theirs


def test_each_deferred_file_is_claimed_by_exactly_one_process() -> None:
    ours, theirs = claimed([Deferred(bytes) for _ in range(2000)])
    assert ours.isdisjoint(theirs) and ours | theirs == set(range(2000))


def test_the_files_of_one_share_go_to_one_process() -> None:
    ours, theirs = claimed([Deferred(bytes, share=f"s{index // 10}") for index in range(2000)])  # 200 of 10
    assert ours.isdisjoint(theirs) and ours | theirs == set(range(2000))
    assert {index // 10 for index in ours}.isdisjoint({index // 10 for index in theirs})


def test_a_side_process_still_exiting_is_waited_for(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Its result is sent and its pipe closed before it exits: a build that stopped it then (as it
    once did) lost the result and staged every deferred file again."""
    real_work, real_exit = side_stage._work, os._exit

    def slow_to_exit(pipe: int, *args: Any) -> None:
        monkeypatch.setattr(os, "_exit", lambda status: (time.sleep(0.3), real_exit(status)))
        real_work(pipe, *args)

    def only_in_side() -> Content:
        if os.getpid() == PARENT:
            raise RuntimeError("staged again by the build's process")
        return b"<table></table>"

    monkeypatch.setattr(side_stage, "_work", slow_to_exit)
    monkeypatch.setattr(side_stage.Claims, "claim", lambda self, deferred, build, ended=None: not build)
    items: list[tuple[str, Content | Lazy | Deferred]] = [
        (f"browse/{n}.html", Deferred(only_in_side)) for n in range(5)
    ]
    assert sync_output(tmp_path / "out", items) == BuildReport(written=5, unchanged=0, removed=0)


def test_the_build_takes_deferred_files_only_after_its_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The build's process holds the deferred files it meets and claims them once every other file
    is staged: the side process, which has nothing else to do, gets the first chance at each."""
    made: list[str] = []  # in the build's process, in order

    def logged(name: str, content: bytes) -> Callable[[], bytes]:
        def produce() -> bytes:
            if os.getpid() == PARENT:
                made.append(name)
            return content
        return produce

    monkeypatch.setattr(side_stage.Claims, "claim", lambda self, deferred, build, ended=None: build)
    items: list[tuple[str, Content | Lazy | Deferred]] = []
    for n in range(10):  # fewer lazy files than make a render worker worth forking: all made here
        items.append((f"browse/{n}.html", Deferred(logged(f"deferred {n}", b"<table></table>"))))
        items.append((f"model/{n}.html", Lazy(f"key-{n}", logged(f"lazy {n}", b"<p></p>"))))
    assert sync_output(tmp_path / "out", items) == BuildReport(written=20, unchanged=0, removed=0)
    assert made == [f"lazy {n}" for n in range(10)] + [f"deferred {n}" for n in range(10)]
