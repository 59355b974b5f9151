"""Benchmarks of modelatlas build / validate / fetch on synthetic catalogs; one command from the repo root:

    python bench/run.py                                   # 1k and 10k models + fetch (a few minutes)
    python bench/run.py --sizes 1000,10000,50000,100000   # the full set (100k builds take minutes each)
    python bench/run.py --sizes "" --no-fetch --snapshot data --work /dev/shm/bench   # the snapshot on tmpfs

Every figure is the median of ``--runs`` runs (sizes of 50k and more use ``--large-runs``); peak
RSS is the maximum over the runs. Not part of the unit tests (a smoke run of it is).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.build_bench import CACHE_DIR_VARIABLE, measure_size  # noqa: E402
from bench.fetch_bench import measure_fetch  # noqa: E402
from bench.measure import use_compiled_bytecode, use_kept_templates  # noqa: E402
from bench.report import check_targets, format_table, machine, write_results  # noqa: E402
from bench.snapshot_bench import measure_snapshot  # noqa: E402
from bench.synthetic_catalog import load_snapshot  # noqa: E402

DEFAULT_SIZES = "1000,10000"
LARGE = 50_000


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python bench/run.py", description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default=DEFAULT_SIZES,
                        help=f"catalog sizes, comma-separated ({DEFAULT_SIZES})")
    parser.add_argument("--runs", type=int, default=3, help="runs per figure below 50k models (3)")
    parser.add_argument("--large-runs", type=int, default=1,
                        help="runs per figure at 50k models and more (1)")
    parser.add_argument("--seed", type=int, default=2026, help="seed of the synthetic catalogs (2026)")
    parser.add_argument("--data", type=Path, default=REPO / "data",
                        help="snapshot the synthetic records are drawn from (data/)")
    parser.add_argument("--fetch", action=argparse.BooleanOptionalAction, default=True,
                        help="also benchmark 'modelatlas fetch' against local fake provider APIs (on)")
    parser.add_argument("--latency", type=float, default=0.2, help="fake API latency per request, s (0.2)")
    parser.add_argument("--catalogs", choices=("reference", "empty"), default="reference",
                        help="public catalogs the fetch gets: shared/reference copies or empty (reference)")
    parser.add_argument("--pages", type=int, default=5, help="pages per paginating fake API (5)")
    parser.add_argument("--snapshot", type=Path, default=None, metavar="DATA",
                        help="also time full builds of the data folder DATA (e.g. data) against the floor "
                             "of its bytes; with --work on tmpfs (/dev/shm/...): the build's own cost")
    parser.add_argument("--work", type=Path, default=None, help="scratch folder (a temporary one; removed)")
    parser.add_argument("--results", type=Path, default=REPO / "bench" / "results.json",
                        help="where to write the JSON results (bench/results.json)")
    return parser.parse_args(argv)


def log(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    work = args.work or Path(tempfile.mkdtemp(prefix="modelatlas-bench-"))
    started = time.perf_counter()
    snap = load_snapshot(args.data if args.data.is_dir() else None)
    results: dict[int, dict[str, Any]] = {}
    fetch: dict[str, Any] | None = None
    snapshot: dict[str, Any] | None = None
    bytecode, cache = work / "bytecode", work / "cache"
    try:
        use_compiled_bytecode(bytecode)
        use_kept_templates(cache, CACHE_DIR_VARIABLE)
        if args.snapshot is not None:
            snapshot = measure_snapshot(args.snapshot.resolve(), args.runs, work / "snapshot", REPO, log)
            shutil.rmtree(work / "snapshot", ignore_errors=True)
        for size in sizes:
            runs = args.large_runs if size >= LARGE else args.runs
            results[size] = measure_size(size, runs, args.seed, snap, work / str(size), REPO, log)
            shutil.rmtree(work / str(size), ignore_errors=True)
        if args.fetch:
            fetch = measure_fetch(work / "fetch", args.latency, args.pages, args.runs, REPO, log,
                                  use_reference=args.catalogs == "reference")
    finally:
        shutil.rmtree(bytecode, ignore_errors=True)
        shutil.rmtree(cache, ignore_errors=True)
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    targets = check_targets(results, fetch, snapshot)
    print(format_table(results, fetch, targets, snapshot))
    payload = {
        "command": "python bench/run.py " + " ".join(sys.argv[1:] if argv is None else argv),
        "machine": machine(),
        "seed": args.seed,
        "seconds": time.perf_counter() - started,
        "sizes": {str(size): figures for size, figures in results.items()},
        "fetch": fetch,
        "snapshot": snapshot,
        "targets": targets,
    }
    write_results(args.results, payload)
    log(f"wrote {args.results} in {payload['seconds']:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
