"""Build benchmarks at one catalog size: full build, no-op rebuild, 1% change, validate, and the floor.

Each run does, on one output folder: a full build into an empty folder; a no-op rebuild of the
same data; a rebuild after 1% of the models changed (data B); and a rebuild back to data A (the
same 1% change in reverse, a second sample). Written files are counted from inode/mtime changes,
and on the first run the 1% rewrites are compared with the files whose bytes really changed.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.floor import measure_floor
from bench.measure import (
    RunResult,
    changed_content,
    check_ok,
    median,
    modelatlas_command,
    run_measured,
    tree_digests,
    tree_state,
    written_files,
)
from bench.synthetic_catalog import Snapshot, change_fraction, generate_catalog, write_data_dir

CHANGE_FRACTION = 0.01
Log = Callable[[str], None]


CACHE_DIR_VARIABLE = "MODELATLAS_CACHE_DIR"  # the children's cache folder: the bench's own (run.py)


def child_env() -> dict[str, str]:
    """The environment for modelatlas children: ours, minus overrides that would point them elsewhere
    (but the cache folder the bench gives them)."""
    return {k: v for k, v in os.environ.items() if not k.startswith("MODELATLAS_") or k == CACHE_DIR_VARIABLE}


def settle() -> None:
    """Flush dirty pages and pending deletes before a timed step, so no step pays for the last one's
    writeback (on this VM, writes of earlier builds otherwise throttle later ones by seconds)."""
    os.sync()


def build(data: Path, out: Path, cwd: Path) -> RunResult:
    settle()
    cmd = modelatlas_command("build", "--data", str(data), "--out", str(out))
    return check_ok(run_measured(cmd, env=child_env(), cwd=cwd), f"modelatlas build --data {data}")


def validate(data: Path) -> RunResult:
    settle()
    # The target is about validating the records of data/: run in the data folder, which holds no
    # build/, so the default --dir is skipped (a --dir naming a missing folder is an error).
    cmd = modelatlas_command("validate", "--data", str(data))
    return check_ok(run_measured(cmd, env=child_env(), cwd=data), f"modelatlas validate --data {data}")


def prepare_data(size: int, seed: int, snap: Snapshot, work: Path) -> tuple[Path, Path, set[str]]:
    """Data folder A (``size`` synthetic models) and B (A with 1% of the models changed)."""
    catalog = generate_catalog(size, seed, snap)
    data_a, data_b = work / "data-a", work / "data-b"
    write_data_dir(catalog, data_a, snap)
    changed = change_fraction(catalog, CHANGE_FRACTION, seed + 1)
    write_data_dir(catalog, data_b, snap)
    return data_a, data_b, changed


def measure_size(
    size: int, runs: int, seed: int, snap: Snapshot, work: Path, cwd: Path, log: Log
) -> dict[str, Any]:
    """Every build figure for one catalog size (medians over ``runs``)."""
    work.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    data_a, data_b, changed_ids = prepare_data(size, seed, snap, work)
    elapsed = time.perf_counter() - started
    log(f"[{size}] generated data in {elapsed:.1f} s ({len(changed_ids)} models changed in B)")
    out = work / "out"
    full, noop, change = [], [], []
    noop_written: list[int] = []
    change_written: list[int] = []
    needless: set[str] = set()
    content_changed: set[str] = set()
    for run in range(runs):
        if out.exists():
            shutil.rmtree(out)
        full.append(build(data_a, out, cwd))
        first = run == 0
        digests_a = tree_digests(out) if first else {}
        before = tree_state(out)
        noop.append(build(data_a, out, cwd))
        noop_written.append(len(written_files(before, tree_state(out))))
        before = tree_state(out)
        change.append(build(data_b, out, cwd))
        rewritten = written_files(before, tree_state(out))
        change_written.append(len(rewritten))
        if first:
            content_changed = changed_content(digests_a, tree_digests(out))
            needless = rewritten - content_changed
        before = tree_state(out)
        change.append(build(data_a, out, cwd))
        change_written.append(len(written_files(before, tree_state(out))))
        log(f"[{size}] run {run + 1}/{runs}: full {full[-1].seconds:.2f} s ({full[-1].peak_rss_mb:.0f} MB), "
            f"no-op {noop[-1].seconds:.2f} s ({noop_written[-1]} written), "
            f"1% {change[-2].seconds:.2f}/{change[-1].seconds:.2f} s ({change_written[-1]} written)")
    floor = measure_floor(out, work / "floor", runs)
    validations = [validate(data_a) for _ in range(runs)]
    validate_s = [r.seconds for r in validations]
    why = f"floor not measured ({floor.not_measured})"
    measured = f"floor {floor.seconds:.2f} s" if floor.seconds else why
    log(f"[{size}] {measured} for {floor.files} files; validate {median(validate_s):.2f} s")
    full_s = median([r.seconds for r in full])
    full_cpu = median([r.cpu_seconds for r in full])
    figures = {
        "runs": runs,
        "files": floor.files,
        "output_bytes": floor.output_bytes,
        "data_bytes": sum(p.stat().st_size for p in (data_a / "providers").glob("*.json")),
        "full_build_s": full_s,
        "full_build_peak_rss_mb": max(r.peak_rss_mb for r in full),
        "floor_s": floor.seconds,
        "build_over_floor": full_s / floor.seconds if floor.seconds else None,
        "full_build_cpu_s": full_cpu,
        "floor_cpu_s": floor.cpu,
        "build_over_floor_cpu": full_cpu / floor.cpu if floor.cpu else None,
        "noop_s": median([r.seconds for r in noop]),
        "noop_over_full": median([r.seconds for r in noop]) / full_s,
        "noop_cpu_s": median([r.cpu_seconds for r in noop]),
        "noop_files_written": max(noop_written),
        "noop_peak_rss_mb": max(r.peak_rss_mb for r in noop),
        "change_models": len(changed_ids),
        "change_s": median([r.seconds for r in change]),
        "change_over_full": median([r.seconds for r in change]) / full_s,
        "change_cpu_s": median([r.cpu_seconds for r in change]),
        "change_files_written": max(change_written),
        "change_files_content_changed": len(content_changed),
        "change_needless_rewrites": len(needless),
        "change_needless_examples": sorted(needless)[:10],
        "change_peak_rss_mb": max(r.peak_rss_mb for r in change),
        "validate_s": median(validate_s),
        "validate_peak_rss_mb": max(r.peak_rss_mb for r in validations),
        "validate_cpu_s": median([r.cpu_seconds for r in validations]),
        "samples": {
            "full_build_s": [r.seconds for r in full], "noop_s": [r.seconds for r in noop],
            "change_s": [r.seconds for r in change], "floor_s": floor.walls, "validate_s": validate_s,
        },
    }
    return figures

