"""A small-size run of the benchmark script (bench/run.py) end to end, so it cannot rot.

200 synthetic models, one run of each measurement, and the fetch benchmark against the 16 local
fake provider APIs with a short latency and empty public catalogs. Checks the script's own
bookkeeping (files counted, rewrites compared with real content changes, chains measured), not speed.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.paths import REPO


def test_bench_script_runs_end_to_end(tmp_path: Path) -> None:
    results = tmp_path / "results.json"
    cmd = [sys.executable, str(REPO / "bench" / "run.py"), "--sizes", "200", "--runs", "1",
           "--latency", "0.05", "--pages", "2", "--catalogs", "empty",
           "--results", str(results), "--work", str(tmp_path / "work")]
    done = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    header, row = done.stdout.splitlines()[:2]
    assert "build s" in header and "b/floor" in header
    assert row.split()[0] == "200"

    payload = json.loads(results.read_text())
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
    assert len(fetch["providers_called"]) == 16
    assert fetch["slowest_chain_requests"] >= 2  # a paginating provider walked several pages
    assert fetch["slowest_chain_s"] >= 2 * 0.05
    assert fetch["wall_s"] > fetch["slowest_chain_s"]

    names = {target["target"] for target in payload["targets"]}
    assert "fetch wall / slowest provider chain" in names
    assert "no-op rebuild writes 0 files (200)" in names
