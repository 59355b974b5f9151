"""bench.measure.run_measured reports each command's own peak RSS, not a running or inherited maximum;
measured commands start from compiled bytecode."""

from __future__ import annotations

import json
import marshal
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench.build_bench import CACHE_DIR_VARIABLE, child_env
from bench.measure import run_measured, use_compiled_bytecode, use_kept_templates
from modelatlas.render.input_keys import code_fingerprint
from modelatlas.render.templates import compiled_templates
from tests.paths import REPO

ALLOCATE_200_MB = (
    "block = bytearray(200 * 1024 * 1024)\n"
    "for i in range(0, len(block), 4096):\n"
    "    block[i] = 1\n"
)
TINY = "print('tiny')"


def test_a_small_command_after_a_big_one_reports_its_own_small_peak() -> None:
    big = run_measured([sys.executable, "-c", ALLOCATE_200_MB])
    small = run_measured([sys.executable, "-c", TINY])
    assert big.returncode == 0 and small.returncode == 0
    assert big.peak_rss_mb > 200
    assert small.peak_rss_mb < 60, "a running maximum over earlier children leaked into this figure"
    assert small.stdout == "tiny\n"


def test_a_command_does_not_inherit_the_measuring_process_peak() -> None:
    # Run the measuring side in its own process so its 300 MB high-water mark stays out of pytest.
    driver = (
        "import json, sys\n"
        "from bench.measure import run_measured\n"
        "held = bytearray(300 * 1024 * 1024)\n"
        "for i in range(0, len(held), 4096):\n"
        "    held[i] = 1\n"
        f"result = run_measured([sys.executable, '-c', {TINY!r}])\n"
        "print(json.dumps([result.peak_rss_mb, result.returncode]))\n"
    )
    done = subprocess.run([sys.executable, "-c", driver], cwd=REPO, capture_output=True, text=True,
                          check=True)
    peak_mb, returncode = json.loads(done.stdout)
    assert returncode == 0
    assert peak_mb < 60, f"the child reported {peak_mb:.0f} MB: the parent's 300 MB leaked in"


def test_exit_code_output_and_cpu_time_are_the_command_s() -> None:
    busy = "import sys\nsum(range(3_000_000))\nsys.stderr.write('oops')\nsys.exit(3)"
    result = run_measured([sys.executable, "-c", busy])
    assert result.returncode == 3
    assert result.stderr == "oops"
    assert result.cpu_seconds > 0.01
    assert result.seconds >= result.cpu_seconds * 0.5


def test_measured_commands_start_from_compiled_bytecode(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Set first, so the test's environment is restored afterwards whatever the function does.
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    monkeypatch.setenv("PYTHONPYCACHEPREFIX", "unused")
    use_compiled_bytecode(tmp_path / "bytecode")
    assert os.environ["PYTHONPYCACHEPREFIX"] == str(tmp_path / "bytecode")
    assert "PYTHONDONTWRITEBYTECODE" not in os.environ
    # The prefix mirrors each source file's folder: the package's modules are compiled ahead.
    pyc_files = (tmp_path / "bytecode").rglob("*.pyc")
    compiled = {f"{path.parent.name}/{path.name.split('.')[0]}" for path in pyc_files}
    assert {"render/build", "render/html", "cli/__init__", "serve/__init__"} <= compiled


def test_measured_builds_find_the_templates_compiled_in_a_cache_folder_of_the_bench(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(CACHE_DIR_VARIABLE, "unused")  # restored afterwards whatever the function does
    use_kept_templates(tmp_path / "cache", CACHE_DIR_VARIABLE)
    assert child_env()[CACHE_DIR_VARIABLE] == str(tmp_path / "cache")  # what every child is given
    kept = tmp_path / "cache" / "templates" / f"{code_fingerprint().hex()}.bin"
    assert set(marshal.loads(kept.read_bytes())) == set(marshal.loads(compiled_templates()))
