"""Builds that always converge: a real ``modelatlas build`` subprocess killed with SIGKILL at a series of
points leaves the old complete output or the new complete output, and a rebuild gives the same
bytes as a clean build with nothing left beside the folder; two builds into one ``--out`` at once
serialize on its lock.

Before: killed just before the manifest was written (building B over a build of A), a later build
of A said "0 written" while 5,087 files still differed; two concurrent builds left 552 temporary
files and a mix of both outputs.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from modelatlas.render.build import assemble
from modelatlas.render.out_folder import MANIFEST_NAME, locked
from tests.file_tree import file_states
from tests.paths import FIXTURES, REPO

ENV = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO / "src"), os.environ.get("PYTHONPATH", "")])}


def _data_b(tmp_path: Path) -> Path:
    """data_small with a price changed, a model renamed, one removed and one added."""
    data = tmp_path / "data-b"
    shutil.copytree(FIXTURES / "data_small", data)
    path = data / "providers" / "openai.json"
    doc = json.loads(path.read_text())
    first, second, third = doc["models"][:3]
    first.setdefault("pricing", {})["prompt"] = "0.0000123"
    first["modelatlas"]["provenance"]["pricing.prompt"] = "litellm"
    second["name"] = "Renamed in B"
    added = json.loads(json.dumps(third))
    added["id"], added["modelatlas"]["upstream_id"] = "openai/zz-added-in-b", "zz-added-in-b"
    doc["models"] = [m for m in doc["models"] if m is not third] + [added]
    doc["status"]["count"] = len(doc["models"])
    path.write_text(json.dumps(doc, indent=2, sort_keys=True))
    return data


# The build run with its swap of the out folder wrapped: the process stops itself (SIGSTOP) just
# before or just after the swap, as the test asks, so that the kill lands at that very point however
# loaded the host is (polling for a window of a few milliseconds missed it on a busy CI machine).
_STOPPING_AT_THE_SWAP = """
import os, signal, sys
from modelatlas.render.out_folder import OutFolder
from modelatlas.cli import main

swap, stop = OutFolder.swap, sys.argv.pop(1)

def stopping_swap(self, *listing):
    if stop == "before":
        os.kill(os.getpid(), signal.SIGSTOP)
    swap(self, *listing)
    if stop == "after":
        os.kill(os.getpid(), signal.SIGSTOP)

OutFolder.swap = stopping_swap
main()
"""


def _command(data: Path, out: Path, stop_at_swap: str = "") -> list[str]:
    entry = ["-c", _STOPPING_AT_THE_SWAP, stop_at_swap] if stop_at_swap else ["-m", "modelatlas"]
    return [
        sys.executable,
        *entry,
        "build",
        "--data",
        str(data),
        "--out",
        str(out),
        "--allow-missing",
    ]


def _build(data: Path, out: Path) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(_command(data, out), env=ENV, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result


def _assemble(data: Path, out: Path) -> None:
    """The same build in this process (quicker than a subprocess, for everything not killed)."""
    assemble(data, out)


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, bytes], dict[str, bytes]]:
    """Data A and B, and the trees of a clean build of each."""
    tmp = tmp_path_factory.mktemp("clean")
    data_a, data_b = FIXTURES / "data_small", _data_b(tmp)
    _assemble(data_a, tmp / "clean-a")
    _assemble(data_b, tmp / "clean-b")
    tree_a, tree_b = _tree(tmp / "clean-a"), _tree(tmp / "clean-b")
    assert tree_a != tree_b
    return data_a, data_b, tree_a, tree_b


Clean = tuple[Path, Path, dict[str, bytes], dict[str, bytes]]


def _tree(out: Path) -> dict[str, bytes]:
    return {rel: state[0] for rel, state in file_states(out).items()}


def _beside(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}.modelatlas"))


def _staged(out: Path) -> int:
    staging = out.parent / f".{out.name}.modelatlas-new"
    return sum(len(files) for _, _, files in os.walk(staging)) if staging.is_dir() else -1


def _manifest_inode(out: Path) -> int:
    try:
        return (out / MANIFEST_NAME).stat().st_ino
    except OSError:
        return -1


def _stopped(pid: int) -> bool:
    """Whether the process is stopped (state T in /proc/<pid>/stat, after the command's name)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2] == "T"


# When to kill: each a predicate, polled while the build runs, and where the build stops itself.
def _points(out: Path, total: int, pid: int) -> dict[str, Callable[[], bool]]:
    return {
        "staging created": lambda: _staged(out) >= 0,
        "half staged": lambda: _staged(out) >= total // 2,
        "manifest staged": lambda: _stopped(pid),  # stopped just before the swap
        "just swapped": lambda: _stopped(pid),  # stopped just after it
        "after 0.05 s": lambda: False,  # (timing only)
    }


_STOP_AT_SWAP = {"manifest staged": "before", "just swapped": "after"}


@pytest.mark.parametrize(
    "point",
    ["staging created", "half staged", "manifest staged", "just swapped", "after 0.05 s"],
)
def test_a_build_killed_at_any_point_converges(tmp_path: Path, clean: Clean, point: str) -> None:
    data_a, data_b, tree_a, tree_b = clean
    out = tmp_path / "site" / "out"
    _assemble(data_a, out)
    before = _manifest_inode(out)
    command = _command(data_b, out, _STOP_AT_SWAP.get(point, ""))
    process = subprocess.Popen(command, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    due = _points(out, len(tree_b), process.pid)[point]
    started = time.monotonic()
    while (
        process.poll() is None
        and not due()
        and time.monotonic() - started < (0.05 if "0.05" in point else 60)
    ):
        pass
    stopped = _stopped(process.pid)
    process.send_signal(signal.SIGKILL)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == -signal.SIGKILL, f"the build ended before '{point}': {stderr!r}"
    if point == "manifest staged":
        assert stopped and _manifest_inode(out) == before
        assert (out.parent / f".{out.name}.modelatlas-new" / MANIFEST_NAME).is_file()
    if point == "just swapped":
        assert stopped and _manifest_inode(out) != before

    assert _tree(out) in (tree_a, tree_b), f"killed at '{point}': a mix of two outputs"
    _build(data_a, out)
    assert _tree(out) == tree_a, f"killed at '{point}': a rebuild of A differs from a clean build of A"
    assert _beside(out) == []  # the killed build's staging folder is gone


def test_two_builds_into_one_out_at_once_converge(tmp_path: Path, clean: Clean) -> None:
    data_a, data_b, tree_a, tree_b = clean
    out = tmp_path / "out"
    for _ in range(2):
        runs = [
            subprocess.Popen(
                _command(data, out), env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
            )
            for data in (data_a, data_b)
        ]
        outputs = [run.communicate(timeout=120) for run in runs]
        assert [run.returncode for run in runs] == [0, 0], outputs
        assert _tree(out) in (tree_a, tree_b)
        assert _beside(out) == []
    _assemble(data_a, out)
    assert _tree(out) == tree_a


def test_a_second_build_waits_for_the_lock_with_one_line(tmp_path: Path) -> None:
    out = tmp_path / "out"
    waiting = f"build: another build is writing {out}; waiting for it"
    with locked(out):  # another build holds the folder
        process = subprocess.Popen(
            _command(FIXTURES / "data_small", out),
            env=ENV,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        stderr = _StderrReader(process, waiting)
        # a loaded host may take seconds to import and load before it reaches the lock: no fixed sleep
        assert stderr.seen.wait(timeout=60), f"no waiting line within 60 s: {stderr.lines}"
        time.sleep(0.3)
        assert process.poll() is None  # still waiting
        assert not out.exists() or not any(out.iterdir())
    assert process.stdout is not None
    stdout = process.stdout.read()  # (stderr is the reader's alone)
    assert process.wait(timeout=120) == 0, stderr.lines
    stderr.thread.join(timeout=30)
    assert [line for line in stderr.lines if "waiting" in line] == [waiting]  # said once
    assert "built" in stdout


class _StderrReader:
    """Reads a process's stderr lines as they come; ``seen`` is set once ``line`` has come."""

    def __init__(self, process: subprocess.Popen[str], line: str) -> None:
        self.lines: list[str] = []
        self.seen = threading.Event()
        self.thread = threading.Thread(target=self._read, args=(process, line), daemon=True)
        self.thread.start()

    def _read(self, process: subprocess.Popen[str], line: str) -> None:
        assert process.stderr is not None
        for text in process.stderr:
            self.lines.append(text.rstrip("\n"))
            if self.lines[-1] == line:
                self.seen.set()


def test_a_file_changed_by_hand_is_rewritten_even_with_its_size(tmp_path: Path) -> None:
    """The manifest is not trusted over the files: same size, other bytes, a later mtime."""
    out = tmp_path / "out"
    _assemble(FIXTURES / "data_small", out)
    clean = _tree(out)
    page = out / "v1" / "models.json"
    text = page.read_bytes()
    page.write_bytes(text.replace(b"GPT", b"XYZ", 1))
    assert len(page.read_bytes()) == len(text) and page.read_bytes() != text
    result = _build(FIXTURES / "data_small", out)
    assert "1 written" in result.stdout
    assert _tree(out) == clean


def test_an_out_that_is_a_link_updates_the_folder_it_points_at(tmp_path: Path, clean: Clean) -> None:
    """A site deployed as a link (``/var/www/site`` -> a folder): the folder is replaced, the link
    stays. The swap used to exchange the link itself, turning it into a folder, and then failed to
    remove the link it had moved aside, which stopped every later build."""
    data_a, data_b, _tree_a, tree_b = clean
    target, out = tmp_path / "target", tmp_path / "site"
    target.mkdir()
    out.symlink_to(target)
    _assemble(data_a, out)
    _assemble(data_b, out)
    assert out.is_symlink() and _tree(target) == tree_b
    assert _beside(out) == [] and _beside(target) == []


def test_a_link_a_failed_build_left_beside_out_is_removed(tmp_path: Path, clean: Clean) -> None:
    """What the swap of a linked --out left before: a link named as the staging folder."""
    data_a, _data_b, tree_a, _tree_b = clean
    elsewhere, out = tmp_path / "elsewhere", tmp_path / "out"
    elsewhere.mkdir()
    (elsewhere / "keep.txt").write_text("not the build's")
    (tmp_path / ".out.modelatlas-new").symlink_to(elsewhere)
    _assemble(data_a, out)
    assert _tree(out) == tree_a and _beside(out) == []
    assert (elsewhere / "keep.txt").read_text() == "not the build's"  # the link removed, not its folder
