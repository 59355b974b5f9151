"""The floor: the time plain Python needs to write a finished build's bytes into an empty folder.

No rendering, no validation, no comparison with old files: just make the folders and write each
file once. ``modelatlas build`` can only approach this; the headline figure is build time / floor.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path


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
