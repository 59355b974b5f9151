"""Measuring one command: wall time and peak RSS of a child process, and which output files it wrote."""

from __future__ import annotations

import hashlib
import os
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class RunResult:
    seconds: float
    cpu_seconds: float
    peak_rss_mb: float
    returncode: int
    stdout: str
    stderr: str


def modelatlas_command(*args: str) -> list[str]:
    """The ``modelatlas`` CLI as run by the current interpreter (same venv, no PATH lookup)."""
    return [sys.executable, "-m", "modelatlas", *args]


def run_measured(
    cmd: Sequence[str], env: Mapping[str, str] | None = None, cwd: Path | None = None
) -> RunResult:
    """Run ``cmd`` to completion; wall time, and peak RSS of that one child from ``wait4``'s rusage."""
    started = time.perf_counter()
    with subprocess.Popen(
        list(cmd), stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=dict(env) if env is not None else None,
        cwd=cwd,
    ) as process:
        stdout, stderr = _drain(process)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
    # ru_maxrss is in KiB on Linux.
    cpu = usage.ru_utime + usage.ru_stime
    return RunResult(seconds, cpu, usage.ru_maxrss / 1024, process.returncode, stdout, stderr)


def _drain(process: subprocess.Popen[bytes]) -> tuple[str, str]:
    """Read both pipes to EOF without reaping the child (so wait4 still gets its rusage)."""
    chunks: dict[str, bytes] = {}

    def read(name: str, stream: object) -> None:
        chunks[name] = stream.read()  # type: ignore[attr-defined]

    threads = [threading.Thread(target=read, args=(n, s)) for n, s in (("out", process.stdout),
                                                                          ("err", process.stderr))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return (chunks["out"].decode("utf-8", "replace"), chunks["err"].decode("utf-8", "replace"))


def check_ok(result: RunResult, what: str) -> RunResult:
    if result.returncode != 0:
        raise RuntimeError(f"{what} exited {result.returncode}:\n{result.stderr[-4000:]}")
    return result


FileState = tuple[int, int, int]  # inode, mtime_ns, size


def tree_state(root: Path) -> dict[str, FileState]:
    """Every file under ``root`` (relative POSIX path) with inode, mtime and size: what a rewrite changes."""
    state: dict[str, FileState] = {}
    base = len(str(root)) + 1
    for dirpath, _dirs, files in os.walk(root):
        for name in files:
            full = os.path.join(dirpath, name)
            st = os.stat(full)
            state[full[base:].replace(os.sep, "/")] = (st.st_ino, st.st_mtime_ns, st.st_size)
    return state


def written_files(before: Mapping[str, FileState], after: Mapping[str, FileState]) -> set[str]:
    """Files created, rewritten (new inode or mtime) or removed between two tree states."""
    touched = {path for path, state in after.items() if before.get(path) != state}
    return touched | (before.keys() - after.keys())


def tree_digests(root: Path) -> dict[str, bytes]:
    """Content digest of every file under ``root``, for telling real changes from needless rewrites."""
    digests: dict[str, bytes] = {}
    for path in tree_state(root):
        digests[path] = hashlib.blake2b((root / path).read_bytes(), digest_size=16).digest()
    return digests


def changed_content(before: Mapping[str, bytes], after: Mapping[str, bytes]) -> set[str]:
    return {p for p in before.keys() | after.keys() if before.get(p) != after.get(p)}


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")
