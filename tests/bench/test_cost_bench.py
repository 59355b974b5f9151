"""The cost benchmark (bench/cost_bench.py) run small: it finds its requests in the snapshot, times a
fresh interpreter's first call and a short throughput run, and writes every figure. Not a timing test."""

from __future__ import annotations

import json
from pathlib import Path

from bench.cost_bench import main


def test_cost_bench_writes_its_figures(tmp_path: Path) -> None:
    results = tmp_path / "cost.json"
    main(["--runs", "1", "--seconds", "0.05", "--results", str(results)])
    report = json.loads(results.read_text())
    assert report["first_call_model"].startswith("bedrock/") and report["first_call_ms"] > 0
    assert report["first_call_cpu_ms"] > 0 and report["process_wall_ms"] >= report["first_call_ms"]
    assert report["calls_per_second"] > 0 and report["calls_per_cpu_second"] > 0
    assert 1 <= len(report["requests"]) <= 4  # found in the snapshot (openai, anthropic, ...)
