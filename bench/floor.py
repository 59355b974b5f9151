"""The floor: the time plain Python needs to write a finished build's bytes into an empty folder.

No rendering, no validation, no comparison with old files: just make the folders and write each
file once. ``modelatlas build`` can only approach this; the headline figure is build time / floor.

The build's bytes are held in memory and written again (into memory too, on a tmpfs): at 100k
models about 9 GB. Where the machine has less free memory (``MemAvailable``), the floor is not
measured, with the reason, and the other figures are kept (measuring it anyway got the bench killed
by the kernel after its builds had run).
"""

from __future__ import annotations

import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.measure import median


@dataclass(frozen=True)
class Floor:
    """The floor of a build: its files and bytes, and the wall time of each run (none, with the
    reason in ``not_measured``, where memory is short)."""

    files: int
    output_bytes: int
    walls: list[float] = field(default_factory=list)
    cpu: float | None = None
    not_measured: str | None = None

    @property
    def seconds(self) -> float | None:
        return median(self.walls) if self.walls else None


def available_memory() -> int | None:
    """``MemAvailable`` in bytes (None where /proc/meminfo does not say)."""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


def measure_floor(root: Path, dest: Path, runs: int, available: int | None = None) -> Floor:
    """The floor of the build in ``root``, written ``runs`` times into ``dest`` (removed after).
    ``available``: free memory in bytes (:func:`available_memory` by default)."""
    sizes = [os.path.getsize(os.path.join(top, name)) for top, _, names in os.walk(root) for name in names]
    total = sum(sizes)
    free = available_memory() if available is None else available
    if free is not None and 2 * total > free:
        reason = (f"it needs about {2 * total / 1e9:.1f} GB of free memory (the build's {total / 1e9:.1f} GB "
                  f"held and written again), {free / 1e9:.1f} GB is free: remove other builds from the tmpfs")
        return Floor(len(sizes), total, not_measured=reason)
    files = read_build(root)
    timed = [write_files(files, dest) for _ in range(runs)]
    shutil.rmtree(dest, ignore_errors=True)
    return Floor(len(files), total, [wall for wall, _cpu in timed], median([cpu for _wall, cpu in timed]))


def read_build(root: Path) -> list[tuple[str, bytes]]:
    """Every file of a finished build as (relative path, bytes), in a stable order."""
    files: list[tuple[str, bytes]] = []
    base = len(str(root)) + 1
    for dirpath, _dirs, names in os.walk(root):
        for name in names:
            full = os.path.join(dirpath, name)
            with open(full, "rb") as handle:
                files.append((full[base:], handle.read()))
    files.sort()
    return files


def write_files(files: list[tuple[str, bytes]], dest: Path) -> tuple[float, float]:
    """Write ``files`` into the empty folder ``dest`` (removed first); (wall seconds, CPU seconds)."""
    if dest.exists():
        shutil.rmtree(dest)
    os.sync()  # start from no pending writeback, as every timed build does
    started, cpu_started = time.perf_counter(), time.process_time()
    made: set[str] = set()
    root = str(dest)
    os.makedirs(root)
    made.add(root)
    for relative, content in files:
        full = os.path.join(root, relative)
        parent = os.path.dirname(full)
        if parent not in made:
            os.makedirs(parent, exist_ok=True)
            made.add(parent)
        with open(full, "wb") as handle:
            handle.write(content)
    return time.perf_counter() - started, time.process_time() - cpu_started
