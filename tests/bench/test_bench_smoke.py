"""A small-size run of the benchmark script (bench/run.py) end to end, so it cannot rot.

200 synthetic models, one run of each measurement, and the fetch benchmark against one local fake
API per registered provider, with a short latency and empty public catalogs. Checks the script's
own bookkeeping (files counted, rewrites compared with real content changes, chains measured), not
speed. tests/test_add_provider.py runs the same smoke run with one more provider.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from modelatlas.ids import provider_ids
from tests.paths import REPO


def run_bench_smoke(work: Path, env: Mapping[str, str] | None = None) -> dict[str, Any]:
    """bench/run.py at 200 models and a fast fetch, in ``work``; the results it wrote."""
    results = work / "results.json"
    cmd = [sys.executable, str(REPO / "bench" / "run.py"), "--sizes", "200", "--runs", "1",
           "--latency", "0.05", "--pages", "2", "--catalogs", "empty",
           "--results", str(results), "--work", str(work / "work")]
    done = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=180, env=env)
    assert done.returncode == 0, done.stderr[-3000:]
    header, row = done.stdout.splitlines()[:2]
    assert "build s" in header and "b/floor" in header
    assert row.split()[0] == "200"
    payload: dict[str, Any] = json.loads(results.read_text())
    return payload


def check_bench_smoke(payload: dict[str, Any], providers: int) -> None:
    figures = payload["sizes"]["200"]
    assert figures["files"] > 200  # one JSON file per model at least, plus lists
    assert figures["full_build_s"] > figures["floor_s"] > 0
    assert figures["noop_files_written"] == 0
    assert figures["change_models"] == 2  # 1% of 200
    # the changed models' own files at least, and nothing rewritten whose bytes did not change
    assert figures["change_files_written"] >= 2
    assert figures["change_files_content_changed"] >= 2
    assert figures["change_needless_rewrites"] == 0
    assert figures["validate_s"] > 0 and figures["validate_peak_rss_mb"] > 10

    fetch = payload["fetch"]
    assert fetch["exit_code"] in (0, 3), fetch["stderr_tail"]
    assert len(fetch["providers_called"]) == providers  # every registered provider's fake API
    assert fetch["slowest_chain_requests"] >= 2  # a paginating provider walked several pages
    assert fetch["slowest_chain_s"] >= 2 * 0.05
    assert fetch["wall_s"] > fetch["slowest_chain_s"]

    names = {target["target"] for target in payload["targets"]}
    assert "fetch wall / slowest provider chain" in names
    assert "no-op rebuild writes 0 files (200)" in names


def test_bench_script_runs_end_to_end(tmp_path: Path) -> None:
    check_bench_smoke(run_bench_smoke(tmp_path), len(provider_ids()))
