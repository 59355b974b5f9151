"""Measuring one command: wall time and peak RSS of a child process, and which output files it wrote."""

from __future__ import annotations

import hashlib
import os
import statistics
import subprocess
import sys
import threading
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


# The command runs under this small wrapper, which reaps it with wait4 and reports its rusage on
# fd 3. Why not wait4 on the command directly: Linux records the old address space's high-water
# RSS at exec(), so a child forked (or vforked) by this process starts with *our* peak as its
# ru_maxrss. The benchmark holds whole catalogs in memory, so every step reported at least that
# (all 10k steps read 103.7 MB; the 100k build 684 MB). The wrapper is a fresh ~10 MB process, so
# what the command inherits from it is small; ru_maxrss is then the command's own peak (or that of
# one of its reaped worker processes, whichever is larger), and CPU time includes those workers.
_WRAPPER = """
import os, subprocess, sys, time
report = os.fdopen(int(sys.argv[1]), "w")
started = time.perf_counter()
child = subprocess.Popen(sys.argv[2:])
_, status, usage = os.wait4(child.pid, 0)
seconds = time.perf_counter() - started
code = os.waitstatus_to_exitcode(status)
report.write(f"{seconds} {usage.ru_utime + usage.ru_stime} {usage.ru_maxrss} {code}")
report.close()
sys.exit(code if code >= 0 else 128 - code)
"""


def run_measured(
    cmd: Sequence[str], env: Mapping[str, str] | None = None, cwd: Path | None = None
) -> RunResult:
    """Run ``cmd`` to completion; its wall time, CPU time and its own peak RSS (see ``_WRAPPER``)."""
    read_end, write_end = os.pipe()
    try:
        wrapper = [sys.executable, "-I", "-S", "-c", _WRAPPER, str(write_end), *cmd]
        with subprocess.Popen(
            wrapper, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            env=dict(env) if env is not None else None, cwd=cwd, pass_fds=(write_end,),
        ) as process:
            os.close(write_end)
            write_end = -1
            stdout, stderr = _drain(process)
            process.wait()
        with os.fdopen(read_end, "r") as report:
            read_end = -1
            fields = report.read().split()
    finally:
        for fd in (read_end, write_end):
            if fd >= 0:
                os.close(fd)
    if len(fields) != 4:
        raise RuntimeError(f"measuring {cmd[:3]}: the wrapper reported nothing:\n{stderr[-4000:]}")
    seconds, cpu, maxrss_kib, returncode = float(fields[0]), float(fields[1]), int(fields[2]), int(fields[3])
    # ru_maxrss is in KiB on Linux.
    return RunResult(seconds, cpu, maxrss_kib / 1024, returncode, stdout, stderr)


def _drain(process: subprocess.Popen[bytes]) -> tuple[str, str]:
    """Read both pipes to EOF (from threads, so neither pipe can fill up and stall the child)."""
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


_IMPORT_EVERY_MODULE = """
import importlib, pkgutil, modelatlas
for module in pkgutil.walk_packages(modelatlas.__path__, "modelatlas."):
    if not module.name.endswith("__main__"):
        importlib.import_module(module.name)
"""


_KEEP_TEMPLATES = """
import sys
from pathlib import Path
from modelatlas.render.kept_templates import compiled_meanwhile
with compiled_meanwhile(Path(sys.argv[1])) as compiled:
    compiled()
"""


def use_kept_templates(folder: Path, cache_dir_variable: str) -> None:
    """Have every later child find the site's templates compiled, as every build after a user's
    first does (``modelatlas build`` keeps them in its cache folder: render/kept_templates.py): the
    children's cache folder is ``folder`` (in ``cache_dir_variable``, which they are given), and the
    templates are compiled there now. Without it, the first measured build compiled them (0.1 s of
    CPU of a snapshot build), and the children used the cache folder of whoever runs the bench."""
    os.environ[cache_dir_variable] = str(folder)
    subprocess.run([sys.executable, "-c", _KEEP_TEMPLATES, str(folder / "templates")], check=True)


def use_compiled_bytecode(folder: Path) -> None:
    """Have every later child start from compiled bytecode, as an installed tool does (pip compiles
    a wheel's modules when it installs it): children keep their ``.pyc`` files in ``folder``
    (``PYTHONPYCACHEPREFIX``, even where ``PYTHONDONTWRITEBYTECODE`` is set) and
    every module of the package, with what it imports, is compiled there now. Without it, where
    bytecode is never written, each measured command first compiled the 250 or so modules it
    imports (about 0.06 s of a snapshot build on the bench machine)."""
    os.environ["PYTHONPYCACHEPREFIX"] = str(folder)
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    subprocess.run([sys.executable, "-c", _IMPORT_EVERY_MODULE], check=True)
