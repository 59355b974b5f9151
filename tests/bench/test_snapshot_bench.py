"""The benchmark's snapshot measurement (``bench/run.py --snapshot DATA``) end to end on a small data
folder: full builds of a real data folder against the floor of the same bytes, and its target."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.paths import FIXTURES, REPO

DATA = FIXTURES / "docs" / "data"


def test_snapshot_build_is_measured_against_the_floor_of_its_bytes(tmp_path: Path) -> None:
    results = tmp_path / "results.json"
    cmd = [sys.executable, str(REPO / "bench" / "run.py"), "--sizes", "", "--no-fetch", "--runs", "2",
           "--snapshot", str(DATA), "--results", str(results), "--work", str(tmp_path / "work")]
    done = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    snapshot = json.loads(results.read_text())["snapshot"]
    built = sum(1 for path in (tmp_path / "work").rglob("*") if path.is_file())
    assert built == 0  # the scratch builds are removed
    assert snapshot["files"] > 16 and snapshot["output_bytes"] > 0  # at least a list file per provider
    assert len(snapshot["samples"]["full_build_s"]) == 2 == len(snapshot["samples"]["floor_s"])
    assert snapshot["full_build_s"] > snapshot["floor_s"] > 0
    assert snapshot["build_over_floor"] == snapshot["full_build_s"] / snapshot["floor_s"]
    assert snapshot["full_build_peak_rss_mb"] > 10
    (target,) = [t for t in json.loads(results.read_text())["targets"] if "snapshot" in t["target"]]
    assert target["measured"] == snapshot["build_over_floor"] and target["limit"] == "<= 10"
    assert "build / floor" in done.stdout
    # The floor is measured after each build, so that each pair sees the host in the same state.
    runs = [line for line in (done.stdout + done.stderr).splitlines() if line.startswith("[snapshot] run ")]
    assert len(runs) == 2 and all(", floor 0." in line for line in runs), runs
