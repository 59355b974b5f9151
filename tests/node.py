"""Node.js for the tests that run the site's JavaScript modules (Debian's ``nodejs``)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from typing import Any

import pytest


def node(checks: str) -> str:
    """The ``node`` executable; without one the calling test fails under ``CI=true`` (``checks``
    says what would go unchecked) and is skipped elsewhere."""
    found = shutil.which("node")
    if found:
        return found
    if os.environ.get("CI") == "true":
        pytest.fail(f"node not found (CI=true: {checks} must be checked)")
    pytest.skip(f"node not found: install Node.js 18+ to check {checks}")


def run_module(checks: str, script: str, argument: str, timeout: float = 120) -> Any:
    """Run ``script`` as an ES module (``node --input-type=module -e``) with ``argument`` as its one
    command-line argument, and parse what it writes to standard output as JSON."""
    done = subprocess.run(
        [node(checks), "--input-type=module", "-e", script, argument],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=True,
    )
    return json.loads(done.stdout)
