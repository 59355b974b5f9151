"""A full build of one real data folder (the committed snapshot) against the floor of its bytes.

The synthetic sizes measure how the build scales; this measures what a user of the snapshot waits
for. Put ``--work`` on tmpfs (``/dev/shm/...``) to see the build's own cost: there writing a file
costs almost nothing, so ``build / floor`` is rendering, hashing and bookkeeping against plain
``open().write()`` of the same bytes (:mod:`bench.floor`).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from bench.build_bench import Log, build
from bench.floor import Floor, measure_floor
from bench.measure import median


def _seconds(floor: Floor) -> str:
    return "not measured" if floor.seconds is None else f"{floor.seconds:.3f} s"


def measure_snapshot(data: Path, runs: int, work: Path, cwd: Path, log: Log) -> dict[str, Any]:
    """Full builds of ``data`` into an empty folder under ``work`` and the floor, measured after
    each build (medians of ``runs`` each)."""
    work.mkdir(parents=True, exist_ok=True)
    out = work / "out"
    builds = []
    floors: list[Floor] = []
    for run in range(runs):
        shutil.rmtree(out, ignore_errors=True)
        builds.append(build(data, out, cwd))
        # The floor right after each build: this host's speed drifts within minutes (the same
        # floor measured 0.25-0.45 s in eight runs in a row), so each pair sees the same host.
        floors.append(measure_floor(out, work / "floor", 1))
        log(f"[snapshot] run {run + 1}/{runs}: full {builds[-1].seconds:.2f} s "
            f"({builds[-1].cpu_seconds:.2f} s CPU, {builds[-1].peak_rss_mb:.0f} MB), "
            f"floor {_seconds(floors[-1])}")
    floor = Floor(floors[-1].files, floors[-1].output_bytes, [wall for one in floors for wall in one.walls],
                  not_measured=floors[-1].not_measured)
    build_s = median([result.seconds for result in builds])
    floor_s = floor.seconds
    ratio = build_s / floor_s if floor_s else None
    if floor_s is None:
        log(f"[snapshot] floor not measured: {floor.not_measured}")
    else:
        log(f"[snapshot] floor {floor_s:.3f} s for {floor.files} files; build / floor {ratio:.1f}")
    return {
        "data": str(data),
        "work": str(work),
        "runs": runs,
        "files": floor.files,
        "output_bytes": floor.output_bytes,
        "full_build_s": build_s,
        "full_build_cpu_s": median([result.cpu_seconds for result in builds]),
        "full_build_peak_rss_mb": max(result.peak_rss_mb for result in builds),
        "floor_s": floor_s,
        "build_over_floor": ratio,
        "samples": {"full_build_s": [result.seconds for result in builds], "floor_s": floor.walls},
    }
