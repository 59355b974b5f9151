"""The serve benchmark (bench/serve_bench.py) run small end to end: 200 requests over 20 threads
against ``modelatlas serve`` on the fixture build, every one answered as expected. Not a timing test."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from bench.serve_bench import percentile
from tests.paths import REPO
from tests.serve.live_server import build_api


def test_serve_bench_has_no_failures(tmp_path: Path) -> None:
    build = build_api(tmp_path / "build")
    results = tmp_path / "serve.json"
    cmd = [sys.executable, str(REPO / "bench" / "serve_bench.py"), "--dir", str(build),
           "--requests", "200", "--threads", "20", "--results", str(results)]
    done = subprocess.run(cmd, cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    report = json.loads(results.read_text())
    assert report["errors"] == 0 and report["first_errors"] == []
    assert report["requests"] == 200 and report["threads"] == 20
    kinds = report["by_kind"]
    assert set(kinds) == {"list page", "provider list", "model", "static page", "304", "gzip list"}
    assert sum(figures["count"] for figures in kinds.values()) == 200
    assert 0 < report["p50_ms"] <= report["p99_ms"]


def test_percentile_is_nearest_rank() -> None:
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 0.5) == 50.0 and percentile(values, 0.99) == 99.0
    assert percentile([7.0], 0.99) == 7.0
